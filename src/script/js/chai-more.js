// The rarer words of `pm.expect` and `pm.response.to` (see chai.js), and how values are shown in
// messages: loaded into a sandbox the first time a script reads one of these words (chai.js's
// `MORE`) or a message shows a value, so a request whose tests use only the common words and
// pass never pays for them. Returns `inspect`, `display` and `quote`.

export default function (k) {
  const { AP, AssertionError, typeOf, deepEqual, hasOwn, method, property, isResponse, statusIs, lengthOf, nestedPath } = k;

  function quote(s) {
    return "'" + String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
  }

  // chai's `inspect`: `{ a: 1, b: 'x' }`, `[ 1, 2 ]`, `'text'`.
  function inspect(v, depth, seen) {
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
  function display(v) {
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
  property(['NaN'], function () {
    const o = this.__flags.object;
    this.assert(typeof o === 'number' && o !== o, 'expected #{this} to be NaN', 'expected #{this} not to be NaN');
  });
  property(['finite'], function () {
    const o = this.__flags.object;
    this.assert(typeof o === 'number' && isFinite(o), 'expected #{this} to be a finite number', 'expected #{this} to not be a finite number');
  });
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
  property(['html'], function () {
    const o = this.__flags.object;
    if (isResponse(o)) this.assert(/html/i.test(contentType(o)), 'expected response to be html but got ' + inspect(contentType(o)), 'expected response to not be html');
  });
  property(['xml'], function () {
    const o = this.__flags.object;
    if (isResponse(o)) this.assert(/xml/i.test(contentType(o)), 'expected response to be xml but got ' + inspect(contentType(o)), 'expected response to not be xml');
  });

  method(['statusCode'], function (code) { return this.status(Number(code)); });
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
  method(['jsonSchema'], function (schema) {
    const o = this.__flags.object;
    const subject = isResponse(o) ? (() => { try { return JSON.parse(o.text()); } catch (e) { return undefined; } })() : o;
    const errors = globalThis.__lpValidateSchema(schema, subject);
    this.assert(errors.length === 0, 'expected data to satisfy schema but found following errors: \n' + errors.join(', '), 'expected data to not satisfy schema', schema, subject);
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

  return { inspect: inspect, display: display, quote: quote };
}
