// `pm.expect`: chai's BDD chain and its failure messages, written for Localpost (no chai code),
// plus the response assertions of `pm.response.to` (Postman's chai-postman plugin).
// Loaded with the sandbox; `install(lib)` returns `expect`.

const toStr = Object.prototype.toString;
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

// chai's type-detect, lower-cased: 'string', 'number', 'array', 'null', 'object'...
export function typeOf(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t !== 'object' && t !== 'function') return t;
  return toStr.call(v).slice(8, -1).toLowerCase();
}

function quote(s) {
  return "'" + String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
}

// chai's `inspect`: `{ a: 1, b: 'x' }`, `[ 1, 2 ]`, `'text'`.
export function inspect(v, depth, seen) {
  depth = depth === undefined ? 2 : depth;
  seen = seen || [];
  switch (typeOf(v)) {
    case 'string': return quote(v);
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return String(v) + 'n';
    case 'boolean': case 'null': case 'undefined': return String(v);
    case 'symbol': return v.toString();
    case 'function': return v.name ? '[Function: ' + v.name + ']' : '[Function]';
    case 'regexp': return String(v);
    case 'date': return isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    case 'error': return '[' + (v.name || 'Error') + ': ' + v.message + ']';
    case 'array': {
      if (seen.indexOf(v) >= 0) return '[Circular]';
      if (v.length === 0) return '[]';
      if (depth < 0) return '[Array]';
      seen.push(v);
      const parts = [];
      for (let i = 0; i < v.length && i < 100; i++) parts.push(inspect(v[i], depth - 1, seen));
      if (v.length > 100) parts.push('... ' + (v.length - 100) + ' more items');
      seen.pop();
      return '[ ' + parts.join(', ') + ' ]';
    }
    default: {
      if (seen.indexOf(v) >= 0) return '[Circular]';
      const keys = Object.keys(v);
      if (keys.length === 0) return '{}';
      if (depth < 0) return '[Object]';
      seen.push(v);
      const parts = keys.map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)) + ': ' + inspect(v[k], depth - 1, seen));
      seen.pop();
      return '{ ' + parts.join(', ') + ' }';
    }
  }
}

// chai's `objDisplay`: long objects and arrays are shortened in messages.
export function display(v) {
  const s = inspect(v);
  if (s.length < 40) return s;
  const t = typeOf(v);
  if (t === 'array') return '[ Array(' + v.length + ') ]';
  if (t === 'object') {
    const keys = Object.keys(v);
    return '{ Object (' + (keys.length > 2 ? keys.slice(0, 2).join(', ') + ', ...' : keys.join(', ')) + ') }';
  }
  return s;
}

// deep-eql: structural equality of plain data, dates, regexps, maps and sets.
export function deepEqual(a, b, memo) {
  if (a === b) return a !== 0 || 1 / a === 1 / b;
  if (a !== a && b !== b) return true;
  const ta = typeOf(a);
  if (ta !== typeOf(b) || a === null || b === null || typeof a !== 'object') return false;
  memo = memo || [];
  for (let i = 0; i < memo.length; i++) if (memo[i][0] === a && memo[i][1] === b) return true;
  memo.push([a, b]);
  switch (ta) {
    case 'date': return a.getTime() === b.getTime();
    case 'regexp': case 'string': case 'number': case 'boolean': return String(a) === String(b);
    case 'array': {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], memo)) return false;
      return true;
    }
    case 'set': case 'map': {
      if (a.size !== b.size) return false;
      const ea = Array.from(a.entries()), eb = Array.from(b.entries());
      return ea.every((x) => eb.some((y) => deepEqual(x, y, memo)));
    }
    default: {
      const ka = Object.keys(a), kb = Object.keys(b);
      if (ka.length !== kb.length) return false;
      ka.sort(); kb.sort();
      for (let i = 0; i < ka.length; i++) {
        if (ka[i] !== kb[i] || !deepEqual(a[ka[i]], b[ka[i]], memo)) return false;
      }
      return true;
    }
  }
}

// `a.b[1].c` → { exists, value }.
function nestedPath(obj, path) {
  const parts = String(path).replace(/\[(\d+)\]/g, '.$1').split('.').filter((p) => p !== '');
  let cur = obj;
  for (let i = 0; i < parts.length; i++) {
    if (cur === null || cur === undefined || !(parts[i] in Object(cur))) return { exists: false, value: undefined };
    cur = cur[parts[i]];
  }
  return { exists: true, value: cur };
}

function Assertion(obj, message) {
  this.__flags = { object: obj, message: message };
}
const AP = Assertion.prototype;

function flag(a, key) {
  return a.__flags[key];
}

AP.assert = function (ok, msg, negMsg, expected, actual, showDiff) {
  const negate = this.__flags.negate;
  if (negate ? !ok : ok) return;
  let m = negate ? negMsg : msg;
  const obj = this.__flags.object;
  m = m.replace(/#\{this\}/g, () => display(obj))
    .replace(/#\{exp\}/g, () => display(expected))
    .replace(/#\{act\}/g, () => display(actual));
  const custom = this.__flags.message;
  const err = new AssertionError(custom ? custom + ': ' + m : m);
  if (showDiff !== false) { err.expected = expected; err.actual = actual; }
  throw err;
};

function returnThis() { return this; }
function chain(name, set) {
  const get = set ? function () { set(this.__flags); return this; } : returnThis;
  Object.defineProperty(AP, name, { get: get, configurable: true });
}
['to', 'be', 'been', 'is', 'and', 'has', 'have', 'with', 'that', 'which', 'at', 'of', 'same', 'but', 'does', 'still', 'also']
  .forEach((n) => chain(n));
chain('not', (f) => { f.negate = true; });
chain('deep', (f) => { f.deep = true; });
chain('nested', (f) => { f.nested = true; });
chain('own', (f) => { f.own = true; });
chain('ordered', (f) => { f.ordered = true; });
chain('any', (f) => { f.any = true; f.all = false; });
chain('all', (f) => { f.all = true; f.any = false; });
chain('itself', (f) => { f.itself = true; });

function method(names, fn) {
  const wrapped = function () { const r = fn.apply(this, arguments); return r === undefined ? this : r; };
  names.forEach((n) => { AP[n] = wrapped; });
}

// A word that is both a chain (`include.members`) and a call (`include(2)`), as chai's
// addChainableMethod: the getter returns a function whose prototype is this assertion.
function chainable(names, fn, onChain) {
  const get = function () {
    if (onChain) onChain(this.__flags);
    const self = this;
    const f = function () { const r = fn.apply(self, arguments); return r === undefined ? self : r; };
    delete f.length;
    delete f.name;
    Object.setPrototypeOf(f, self);
    return f;
  };
  names.forEach((n) => Object.defineProperty(AP, n, { get: get, configurable: true }));
}

// Words that assert when read: `to.be.true`, `to.exist`; on a response, Postman's status words.
function property(names, fn) {
  const get = function () { fn.call(this); return this; };
  names.forEach((n) => Object.defineProperty(AP, n, { get: get, configurable: true }));
}

function isResponse(v) {
  return v !== null && typeof v === 'object' && v.__lpResponse === true;
}

function an(type, msg) {
  if (msg) this.__flags.message = msg;
  type = String(type).toLowerCase();
  const article = /^[aeiou]/.test(type) ? 'an ' : 'a ';
  this.assert(typeOf(this.__flags.object) === type,
    'expected #{this} to be ' + article + type, 'expected #{this} not to be ' + article + type);
}
chainable(['a', 'an'], an);

function include(val, msg) {
  if (msg) this.__flags.message = msg;
  const f = this.__flags, obj = f.object, t = typeOf(obj);
  const desc = (f.deep ? 'deep ' : '') + 'include ';
  let ok;
  if (t === 'string') {
    if (typeof val !== 'string') {
      throw new TypeError('object tested must be an array, a map, an object, a set, a string, or a weakset, but string given');
    }
    ok = obj.indexOf(val) !== -1;
  } else if (t === 'array') {
    ok = f.deep ? obj.some((x) => deepEqual(x, val)) : obj.indexOf(val) !== -1;
  } else if (t === 'set' || t === 'map') {
    ok = f.deep ? Array.from(obj.values()).some((x) => deepEqual(x, val)) : (t === 'set' ? obj.has(val) : Array.from(obj.values()).indexOf(val) !== -1);
  } else if (obj !== null && typeof obj === 'object' && val !== null && typeof val === 'object') {
    const keys = Object.keys(val);
    if (f.negate && keys.length > 1) {
      ok = keys.every((k) => hasOwn(obj, k) && (f.deep ? deepEqual(obj[k], val[k]) : obj[k] === val[k]));
    } else {
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i], has = k in obj, same = has && (f.deep ? deepEqual(obj[k], val[k]) : obj[k] === val[k]);
        if (!f.negate && !same) {
          this.assert(false, has ? 'expected #{this} to have ' + (f.deep ? 'deep ' : '') + 'property ' + quote(k) + ' of #{exp}, but got #{act}'
            : 'expected #{this} to have ' + (f.deep ? 'deep ' : '') + 'property ' + quote(k), '', val[k], obj[k]);
        }
        if (f.negate && same) ok = true;
      }
      if (f.negate) ok = ok === true;
      else return;
    }
  } else {
    throw new TypeError('object tested must be an array, a map, an object, a set, a string, or a weakset, but ' + t + ' given');
  }
  this.assert(ok, 'expected #{this} to ' + desc + '#{exp}', 'expected #{this} to not ' + desc + '#{exp}', val);
}
chainable(['include', 'includes', 'contain', 'contains'], include, (f) => { f.contains = true; });

property(['ok'], function () {
  const o = this.__flags.object;
  if (isResponse(o)) return statusIs(this, 200, 'expected response code to be 200 but found #{act}');
  this.assert(o, 'expected #{this} to be truthy', 'expected #{this} to be falsy');
});
property(['true'], function () {
  this.assert(this.__flags.object === true, 'expected #{this} to be true', 'expected #{this} to be false', !this.__flags.negate);
});
property(['false'], function () {
  this.assert(this.__flags.object === false, 'expected #{this} to be false', 'expected #{this} to be true', !!this.__flags.negate);
});
property(['null'], function () {
  this.assert(this.__flags.object === null, 'expected #{this} to be null', 'expected #{this} not to be null');
});
property(['undefined'], function () {
  this.assert(this.__flags.object === undefined, 'expected #{this} to be undefined', 'expected #{this} not to be undefined');
});
property(['NaN'], function () {
  const o = this.__flags.object;
  this.assert(typeof o === 'number' && o !== o, 'expected #{this} to be NaN', 'expected #{this} not to be NaN');
});
property(['exist', 'exists'], function () {
  const o = this.__flags.object;
  this.assert(o !== null && o !== undefined, 'expected #{this} to exist', 'expected #{this} to not exist');
});
property(['finite'], function () {
  const o = this.__flags.object;
  this.assert(typeof o === 'number' && isFinite(o), 'expected #{this} to be a finite number', 'expected #{this} to not be a finite number');
});
property(['empty'], function () {
  const o = this.__flags.object, t = typeOf(o);
  let size;
  if (t === 'string' || t === 'array') size = o.length;
  else if (t === 'map' || t === 'set') size = o.size;
  else if (o !== null && typeof o === 'object') size = Object.keys(o).length;
  else throw new TypeError('.empty was passed non-string primitive ' + inspect(o));
  this.assert(size === 0, 'expected #{this} to be empty', 'expected #{this} not to be empty');
});

function assertEqual(val, msg) {
  if (msg) this.__flags.message = msg;
  if (this.__flags.deep) return assertEql.call(this, val);
  this.assert(val === this.__flags.object, 'expected #{this} to equal #{exp}', 'expected #{this} to not equal #{exp}', val, this.__flags.object, true);
}
method(['equal', 'equals', 'eq'], assertEqual);

function assertEql(val, msg) {
  if (msg) this.__flags.message = msg;
  this.assert(deepEqual(val, this.__flags.object), 'expected #{this} to deeply equal #{exp}', 'expected #{this} to not deeply equal #{exp}', val, this.__flags.object, true);
}
method(['eql', 'eqls'], assertEql);

function lengthOf(obj) {
  const t = typeOf(obj);
  if (t === 'map' || t === 'set') return obj.size;
  if (obj === null || obj === undefined) throw new AssertionError('expected ' + inspect(obj) + ' to have property \'length\'');
  return obj.length;
}

function compare(word, lengthWord, test) {
  return function (n, msg) {
    if (msg) this.__flags.message = msg;
    const f = this.__flags, obj = f.object;
    if (f.doLength) {
      const len = lengthOf(obj);
      this.assert(test(len, n), 'expected #{this} to have a length ' + lengthWord + ' #{exp} but got #{act}',
        'expected #{this} to not have a length ' + lengthWord + ' #{exp}', n, len);
      return;
    }
    const t = typeOf(obj);
    if (t !== 'number' && t !== 'date') throw new AssertionError((msg ? msg + ': ' : '') + 'expected ' + inspect(obj) + ' to be a number or a date');
    if (typeOf(n) !== t) throw new AssertionError((msg ? msg + ': ' : '') + 'the argument to ' + word.split(' ').pop() + ' must be a ' + t);
    this.assert(test(obj, n), 'expected #{this} to be ' + word + ' #{exp}', 'expected #{this} to be ' + (word === 'above' ? 'at most' : word === 'below' ? 'at least' : word === 'at least' ? 'below' : 'above') + ' #{exp}', n);
  };
}
method(['above', 'gt', 'greaterThan'], compare('above', 'above', (a, b) => a > b));
method(['least', 'gte', 'greaterThanOrEqual'], compare('at least', 'at least', (a, b) => a >= b));
method(['below', 'lt', 'lessThan'], compare('below', 'below', (a, b) => a < b));
method(['most', 'lte', 'lessThanOrEqual'], compare('at most', 'at most', (a, b) => a <= b));
method(['within'], function (start, finish, msg) {
  if (msg) this.__flags.message = msg;
  const f = this.__flags, range = display(start) + '..' + display(finish);
  if (f.doLength) {
    const len = lengthOf(f.object);
    this.assert(len >= start && len <= finish, 'expected #{this} to have a length within ' + range, 'expected #{this} to not have a length within ' + range);
    return;
  }
  const o = f.object;
  this.assert(o >= start && o <= finish, 'expected #{this} to be within ' + range, 'expected #{this} to not be within ' + range);
});
method(['closeTo', 'approximately'], function (expected, delta, msg) {
  if (msg) this.__flags.message = msg;
  const o = this.__flags.object;
  this.assert(Math.abs(o - expected) <= delta, 'expected #{this} to be close to ' + expected + ' +/- ' + delta, 'expected #{this} not to be close to ' + expected + ' +/- ' + delta);
});

chainable(['lengthOf', 'length'], function (n, msg) {
  if (msg) this.__flags.message = msg;
  const len = lengthOf(this.__flags.object);
  this.assert(len === n, 'expected #{this} to have a length of #{exp} but got #{act}', 'expected #{this} to not have a length of #{act}', n, len);
}, (f) => { f.doLength = true; });

method(['match', 'matches'], function (re, msg) {
  if (msg) this.__flags.message = msg;
  this.assert(re.exec(this.__flags.object), 'expected #{this} to match ' + re, 'expected #{this} not to match ' + re);
});
method(['string'], function (s, msg) {
  if (msg) this.__flags.message = msg;
  this.assert(String(this.__flags.object).indexOf(s) !== -1, 'expected #{this} to contain ' + inspect(s), 'expected #{this} to not contain ' + inspect(s));
});
method(['instanceOf', 'instanceof'], function (ctor, msg) {
  if (msg) this.__flags.message = msg;
  const name = (ctor && ctor.name) || 'an unnamed constructor';
  this.assert(this.__flags.object instanceof ctor, 'expected #{this} to be an instance of ' + name, 'expected #{this} to not be an instance of ' + name);
});
method(['oneOf'], function (list, msg) {
  if (msg) this.__flags.message = msg;
  const o = this.__flags.object, deep = this.__flags.deep;
  this.assert(list.some((x) => (deep ? deepEqual(x, o) : x === o)), 'expected #{this} to be one of #{exp}', 'expected #{this} to not be one of #{exp}', list);
});
method(['satisfy', 'satisfies'], function (fn, msg) {
  if (msg) this.__flags.message = msg;
  const r = fn(this.__flags.object);
  this.assert(r, 'expected #{this} to satisfy ' + display(fn), 'expected #{this} to not satisfy' + display(fn), !this.__flags.negate, r);
});

method(['property'], function (name, val, msg) {
  if (msg) this.__flags.message = msg;
  const f = this.__flags, obj = f.object;
  if (obj === null || obj === undefined) {
    throw new AssertionError((msg ? msg + ': ' : '') + 'Target cannot be null or undefined.');
  }
  let has, value;
  if (f.nested) {
    const p = nestedPath(obj, name); has = p.exists; value = p.value;
  } else if (f.own) {
    has = hasOwn(obj, name); value = obj[name];
  } else {
    has = name in Object(obj); value = obj[name];
  }
  const desc = (f.deep ? 'deep ' : '') + (f.own ? 'own ' : '') + (f.nested ? 'nested ' : '') + 'property ' + inspect(name);
  const withValue = arguments.length > 1;
  if (!f.negate || !withValue) this.assert(has, 'expected #{this} to have ' + desc, 'expected #{this} to not have ' + desc);
  if (withValue) {
    this.assert(has && (f.deep ? deepEqual(val, value) : val === value), 'expected #{this} to have ' + desc + ' of #{exp}, but got #{act}',
      'expected #{this} to not have ' + desc + ' of #{act}', val, value);
  }
  f.object = value;
});
method(['ownProperty', 'haveOwnProperty'], function (name, val, msg) {
  this.__flags.own = true;
  return arguments.length > 1 ? this.property(name, val, msg) : this.property(name);
});

function listKeys(keys, word) {
  const q = keys.map((k) => inspect(k));
  if (q.length < 2) return q.join('');
  return q.slice(0, -1).join(', ') + ', ' + word + ' ' + q[q.length - 1];
}
method(['keys', 'key'], function (first) {
  const f = this.__flags, obj = f.object, t = typeOf(obj);
  let expected = Array.isArray(first) ? first.slice()
    : (first !== null && typeof first === 'object' && t !== 'map' && t !== 'set') ? Object.keys(first)
    : Array.prototype.slice.call(arguments);
  if (!expected.length) throw new Error('keys required');
  const actual = t === 'map' || t === 'set' ? Array.from(obj.keys()) : Object.keys(obj);
  const any = f.any, all = f.all || !f.any;
  const found = (k) => actual.some((a) => (f.deep ? deepEqual(a, k) : a === k));
  let ok;
  if (any) ok = expected.some(found);
  if (all) {
    ok = expected.every(found);
    if (!f.contains) ok = ok && expected.length === actual.length;
  }
  const str = (f.contains ? 'contain ' : 'have ') + (f.deep ? 'deep ' : '') + (expected.length > 1 ? 'keys ' : 'key ') + listKeys(expected, any ? 'or' : 'and');
  this.assert(ok, 'expected #{this} to ' + str, 'expected #{this} to not ' + str, expected.slice(0).sort(), actual.sort(), true);
});

method(['members'], function (subset, msg) {
  if (msg) this.__flags.message = msg;
  const f = this.__flags, obj = f.object;
  const eq = f.deep ? deepEqual : (a, b) => a === b;
  const contains = (big, small) => small.every((x) => big.some((y) => eq(x, y)));
  let ok;
  if (f.ordered) ok = (f.contains ? subset.length <= obj.length : subset.length === obj.length) && subset.every((x, i) => eq(x, obj[i]));
  else ok = f.contains ? contains(obj, subset) : obj.length === subset.length && contains(obj, subset) && contains(subset, obj);
  const what = f.contains ? 'be a superset of' : 'have the same ' + (f.ordered ? 'ordered ' : '') + 'members as';
  this.assert(ok, 'expected #{this} to ' + what + ' #{exp}', 'expected #{this} to not ' + what + ' #{exp}', subset, obj);
});

method(['throw', 'throws', 'Throw'], function (errLike, errMsg, msg) {
  if (msg) this.__flags.message = msg;
  let thrown = null, did = false;
  try { this.__flags.object(); } catch (e) { thrown = e; did = true; }
  if (errLike === undefined) {
    this.assert(did, 'expected #{this} to throw an error', 'expected #{this} to not throw an error but #{act} was thrown', undefined, thrown);
    return;
  }
  if (typeof errLike === 'string' || errLike instanceof RegExp) { errMsg = errLike; errLike = null; }
  if (errLike) this.assert(did && thrown instanceof errLike, 'expected #{this} to throw ' + (errLike.name || 'an error'), 'expected #{this} to not throw ' + (errLike.name || 'an error'));
  if (errMsg !== undefined && errMsg !== null) {
    const text = thrown && thrown.message !== undefined ? String(thrown.message) : String(thrown);
    const ok = did && (errMsg instanceof RegExp ? errMsg.test(text) : text.indexOf(errMsg) !== -1);
    this.assert(ok, 'expected #{this} to throw error including #{exp} but got #{act}', 'expected #{this} to throw error not including #{exp}', errMsg, text);
  }
});
method(['respondTo', 'respondsTo'], function (name) {
  const o = this.__flags.object;
  const target = typeof o === 'function' && !this.__flags.itself ? o.prototype : o;
  this.assert(typeof target[name] === 'function', 'expected #{this} to respond to ' + inspect(name), 'expected #{this} to not respond to ' + inspect(name));
});
method(['fail'], function (msg) { throw new AssertionError(msg || 'expect.fail()'); });

// ---- Postman's response assertions (`pm.response.to.have.status(200)`...) ----

function statusIs(a, code, msg) {
  const act = a.__flags.object.code;
  a.assert(act === code, msg, 'expected response code to not be ' + code + ' but found #{act}', code, act);
}
function statusClass(a, lo, label) {
  const act = a.__flags.object.code;
  a.assert(Math.floor(act / 100) === lo, 'expected response code to be ' + label + ' but found #{act}', 'expected response code to not be ' + label + ' but found #{act}', label, act);
}
const named = { accepted: 202, badRequest: 400, unauthorized: 401, forbidden: 403, notFound: 404, rateLimited: 429 };
Object.keys(named).forEach((n) => property([n], function () {
  if (isResponse(this.__flags.object)) statusIs(this, named[n], 'expected response code to be ' + named[n] + ' but found #{act}');
}));
[['info', 1, '1XX'], ['success', 2, '2XX'], ['redirection', 3, '3XX'], ['clientError', 4, '4XX'], ['serverError', 5, '5XX']]
  .forEach((s) => property([s[0]], function () { if (isResponse(this.__flags.object)) statusClass(this, s[1], s[2]); }));
property(['error'], function () {
  const o = this.__flags.object;
  if (!isResponse(o)) return;
  const c = Math.floor(o.code / 100);
  this.assert(c === 4 || c === 5, 'expected response code to be 4XX or 5XX but found #{act}', 'expected response code to not be 4XX or 5XX but found #{act}', undefined, o.code);
});
property(['withBody'], function () {
  const o = this.__flags.object;
  if (isResponse(o)) this.assert(o.text().length > 0, 'expected response to have content in body', 'expected response to not have content in body');
});
function contentType(o) {
  return String(o.headers.get('content-type') || '');
}
property(['json'], function () {
  const o = this.__flags.object;
  if (!isResponse(o)) return;
  let error = null;
  try { JSON.parse(o.text()); } catch (e) { error = e; }
  this.assert(!error, 'expected response body to be a valid json but got error ' + (error && error.message), 'expected response body not to be a valid json');
});
property(['html'], function () {
  const o = this.__flags.object;
  if (isResponse(o)) this.assert(/html/i.test(contentType(o)), 'expected response to be html but got ' + inspect(contentType(o)), 'expected response to not be html');
});
property(['xml'], function () {
  const o = this.__flags.object;
  if (isResponse(o)) this.assert(/xml/i.test(contentType(o)), 'expected response to be xml but got ' + inspect(contentType(o)), 'expected response to not be xml');
});

method(['status'], function (code) {
  const o = this.__flags.object;
  if (!isResponse(o)) throw new TypeError('status() checks a response: pm.response.to.have.status(200)');
  if (typeof code === 'string') {
    this.assert(o.status === code, 'expected response to have status reason #{exp} but got #{act}', 'expected response to not have status reason #{exp}', code, o.status);
  } else {
    this.assert(o.code === code, 'expected response to have status code #{exp} but got #{act}', 'expected response to not have status code #{exp}', code, o.code);
  }
});
method(['statusCode'], function (code) { return this.status(Number(code)); });
method(['header'], function (key, value) {
  const o = this.__flags.object;
  if (!isResponse(o)) throw new TypeError('header() checks a response: pm.response.to.have.header("Content-Type")');
  const has = o.headers.has(key);
  if (arguments.length < 2 || !has) {
    this.assert(has, 'expected response to have header with key #{exp}', 'expected response to not have header with key #{exp}', key);
    if (arguments.length < 2) return;
  }
  const act = o.headers.get(key);
  this.assert(String(act).toLowerCase() === String(value).toLowerCase(), 'expected response to have header ' + inspect(key) + ' with value #{exp} but got #{act}',
    'expected response to not have header ' + inspect(key) + ' with value #{exp}', value, act);
});
method(['body'], function (value) {
  const o = this.__flags.object;
  if (!isResponse(o)) throw new TypeError('body() checks a response: pm.response.to.have.body("text")');
  const text = o.text();
  if (arguments.length === 0) {
    this.assert(text.length > 0, 'expected response to have content in body', 'expected response to not have content in body');
  } else if (value instanceof RegExp) {
    this.assert(value.test(text), 'expected response body text to match #{exp} but got #{act}', 'expected response body text to not match #{exp}', value, text);
  } else if (typeof value === 'string') {
    this.assert(text === value, 'expected response body to equal #{exp} but got #{act}', 'expected response body to not equal #{exp}', value, text);
  } else {
    let json;
    try { json = JSON.parse(text); } catch (e) { json = undefined; }
    this.assert(deepEqual(json, value), 'expected response body json to equal #{exp} but got #{act}', 'expected response body json to not equal #{exp}', value, json);
  }
});
method(['jsonBody'], function (path, value) {
  const o = this.__flags.object;
  if (!isResponse(o)) throw new TypeError('jsonBody() checks a response');
  let json, error = null;
  try { json = JSON.parse(o.text()); } catch (e) { error = e; }
  if (arguments.length === 0 || error) {
    this.assert(!error, 'expected response body to be a valid json but got error ' + (error && error.message), 'expected response body not to be a valid json');
    return;
  }
  if (typeof path !== 'string') {
    this.assert(deepEqual(json, path), 'expected response body json to equal #{exp} but got #{act}', 'expected response body json to not equal #{exp}', path, json);
    return;
  }
  const p = nestedPath(json, path);
  if (arguments.length === 1) {
    this.assert(p.exists, 'expected #{act} in response to contain property ' + inspect(path), 'expected #{act} in response to not contain property ' + inspect(path), path, json);
  } else {
    this.assert(p.exists && deepEqual(p.value, value), 'expected response body json at ' + inspect(path) + ' to contain #{exp} but got #{act}',
      'expected response body json at ' + inspect(path) + ' to not contain #{exp}', value, p.value);
  }
});
method(['jsonSchema'], function (schema) {
  const o = this.__flags.object;
  const subject = isResponse(o) ? (() => { try { return JSON.parse(o.text()); } catch (e) { return undefined; } })() : o;
  const errors = globalThis.__lpValidateSchema(schema, subject);
  this.assert(errors.length === 0, 'expected data to satisfy schema but found following errors: \n' + errors.join(', '), 'expected data to not satisfy schema', schema, subject);
});

export function expect(value, message) {
  return new Assertion(value, message);
}
expect.fail = function (actual, expected, message) {
  if (arguments.length < 2) throw new AssertionError(actual === undefined ? 'expect.fail()' : String(actual));
  throw new AssertionError(message || ('expected ' + inspect(actual) + ' to equal ' + inspect(expected)));
};
