// `pm.expect`: chai's BDD chain and its failure messages, written for Localpost (no chai code),
// plus the response assertions of `pm.response.to` (Postman's chai-postman plugin).
// Evaluated with the sandbox (one module with sandbox.js); the rarer words are in chai-more.js,
// loaded the first time a script reads one of them.

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

// How values are shown in messages (chai's `inspect` and `objDisplay`): in chai-more.js, loaded
// when a message is first written.
export function inspect(v, depth, seen) { return more().inspect(v, depth, seen); }
function display(v) { return more().display(v); }
function quote(s) { return more().quote(s); }

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
property(['exist', 'exists'], function () {
  const o = this.__flags.object;
  this.assert(o !== null && o !== undefined, 'expected #{this} to exist', 'expected #{this} to not exist');
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
chainable(['lengthOf', 'length'], function (n, msg) {
  if (msg) this.__flags.message = msg;
  const len = lengthOf(this.__flags.object);
  this.assert(len === n, 'expected #{this} to have a length of #{exp} but got #{act}', 'expected #{this} to not have a length of #{act}', n, len);
}, (f) => { f.doLength = true; });

method(['match', 'matches'], function (re, msg) {
  if (msg) this.__flags.message = msg;
  this.assert(re.exec(this.__flags.object), 'expected #{this} to match ' + re, 'expected #{this} not to match ' + re);
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

// ---- Postman's response assertions (`pm.response.to.have.status(200)`...) ----

function statusIs(a, code, msg) {
  const act = a.__flags.object.code;
  a.assert(act === code, msg, 'expected response code to not be ' + code + ' but found #{act}', code, act);
}
property(['json'], function () {
  const o = this.__flags.object;
  if (!isResponse(o)) return;
  let error = null;
  try { JSON.parse(o.text()); } catch (e) { error = e; }
  this.assert(!error, 'expected response body to be a valid json but got error ' + (error && error.message), 'expected response body not to be a valid json');
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
// The words chai-more.js defines. Reading one of them on an assertion before they are loaded
// misses on `AP` and reaches this proxy (AP's prototype), which loads them and reads again.
const MORE = new Set(['NaN', 'finite', 'within', 'closeTo', 'approximately', 'string', 'instanceOf', 'instanceof',
  'oneOf', 'satisfy', 'satisfies', 'ownProperty', 'haveOwnProperty', 'keys', 'key', 'members', 'throw', 'throws',
  'Throw', 'respondTo', 'respondsTo', 'fail', 'accepted', 'badRequest', 'unauthorized', 'forbidden', 'notFound',
  'rateLimited', 'info', 'success', 'redirection', 'clientError', 'serverError', 'error', 'withBody', 'html', 'xml',
  'statusCode', 'body', 'jsonSchema', 'jsonBody']);
let moreParts;
function more() {
  if (!moreParts) {
    moreParts = part('chai-more')({ AP, AssertionError, typeOf, deepEqual, hasOwn, method, property, isResponse, statusIs, lengthOf, nestedPath });
  }
  return moreParts;
}
Object.setPrototypeOf(AP, new Proxy(Object.prototype, {
  get(target, name, receiver) {
    if (!moreParts && typeof name === 'string' && MORE.has(name)) {
      more();
      return Reflect.get(AP, name, receiver);
    }
    return Reflect.get(target, name, receiver);
  },
}));

export function expect(value, message) {
  return new Assertion(value, message);
}
expect.fail = function (actual, expected, message) {
  if (arguments.length < 2) throw new AssertionError(actual === undefined ? 'expect.fail()' : String(actual));
  throw new AssertionError(message || ('expected ' + inspect(actual) + ' to equal ' + inspect(expected)));
};
