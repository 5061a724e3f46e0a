// `_` and `require('lodash')` for scripts: the lodash functions real Postman scripts use,
// written for Localpost with lodash's semantics (iteratee shorthands, paths, deep equality).
export default function () {
  const toStr = Object.prototype.toString;
  const hasOwn = (o, k) => o !== null && o !== undefined && Object.prototype.hasOwnProperty.call(o, k);
  const isNil = (v) => v === null || v === undefined;
  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
  const isPlainObject = (v) => toStr.call(v) === '[object Object]' && (Object.getPrototypeOf(v) === null || Object.getPrototypeOf(v) === Object.prototype);
  const isArrayLike = (v) => !isNil(v) && typeof v !== 'function' && typeof v.length === 'number';
  const toPath = (p) => (Array.isArray(p) ? p : String(p).replace(/\[(?:'([^']*)'|"([^"]*)"|([^\]]*))\]/g, (m, a, b, c) => '.' + (a !== undefined ? a : b !== undefined ? b : c)).split('.').filter((s) => s !== ''));
  function get(obj, path, def) {
    const parts = toPath(path);
    let cur = obj;
    for (let i = 0; i < parts.length; i++) {
      if (isNil(cur)) return def;
      cur = cur[parts[i]];
    }
    return cur === undefined ? def : cur;
  }
  function has(obj, path) {
    const parts = toPath(path);
    let cur = obj;
    for (let i = 0; i < parts.length; i++) {
      if (!hasOwn(cur, parts[i])) return false;
      cur = cur[parts[i]];
    }
    return parts.length > 0;
  }
  function set(obj, path, value) {
    const parts = toPath(path);
    let cur = obj;
    for (let i = 0; i < parts.length - 1; i++) {
      if (!isObject(cur[parts[i]])) cur[parts[i]] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      cur = cur[parts[i]];
    }
    if (parts.length) cur[parts[parts.length - 1]] = value;
    return obj;
  }
  function unset(obj, path) {
    const parts = toPath(path);
    const parent = parts.length > 1 ? get(obj, parts.slice(0, -1)) : obj;
    return isObject(parent) ? delete parent[parts[parts.length - 1]] : true;
  }
  function isEqual(a, b) {
    if (a === b) return true;
    if (a !== a && b !== b) return true;
    if (!isObject(a) || !isObject(b) || toStr.call(a) !== toStr.call(b)) return false;
    if (a instanceof Date) return a.getTime() === b.getTime();
    if (a instanceof RegExp) return String(a) === String(b);
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => hasOwn(b, k) && isEqual(a[k], b[k]));
  }
  function isMatch(obj, src) {
    return Object.keys(src).every((k) => (isObject(src[k]) && isObject(obj && obj[k]) ? isMatch(obj[k], src[k]) : !isNil(obj) && isEqual(obj[k], src[k])));
  }
  function iteratee(f) {
    if (typeof f === 'function') return f;
    if (isNil(f)) return (v) => v;
    if (Array.isArray(f)) return (v) => isEqual(get(v, f[0]), f[1]);
    if (typeof f === 'object') return (v) => isMatch(v, f);
    return (v) => get(v, f);
  }
  const values = (o) => (isNil(o) ? [] : isArrayLike(o) ? Array.prototype.slice.call(o) : Object.keys(o).map((k) => o[k]));
  const entries = (o) => (isNil(o) ? [] : Object.keys(o).map((k) => [k, o[k]]));
  function each(coll, fn) {
    if (isArrayLike(coll)) { for (let i = 0; i < coll.length; i++) if (fn(coll[i], i, coll) === false) break; }
    else if (isObject(coll)) { const ks = Object.keys(coll); for (let i = 0; i < ks.length; i++) if (fn(coll[ks[i]], ks[i], coll) === false) break; }
    return coll;
  }
  function map(coll, f) { const it = iteratee(f), out = []; each(coll, (v, k, c) => { out.push(it(v, k, c)); }); return out; }
  function filter(coll, f) { const it = iteratee(f), out = []; each(coll, (v, k, c) => { if (it(v, k, c)) out.push(v); }); return out; }
  function reject(coll, f) { const it = iteratee(f); return filter(coll, (v, k, c) => !it(v, k, c)); }
  function find(coll, f) { const it = iteratee(f); let found; each(coll, (v, k, c) => { if (it(v, k, c)) { found = v; return false; } return true; }); return found; }
  function findIndex(arr, f) { const it = iteratee(f); for (let i = 0; i < (arr || []).length; i++) if (it(arr[i], i, arr)) return i; return -1; }
  function findLastIndex(arr, f) { const it = iteratee(f); for (let i = (arr || []).length - 1; i >= 0; i--) if (it(arr[i], i, arr)) return i; return -1; }
  function reduce(coll, fn, acc) { let first = arguments.length < 3; each(coll, (v, k, c) => { if (first) { acc = v; first = false; } else acc = fn(acc, v, k, c); }); return acc; }
  const some = (coll, f) => { const it = iteratee(f); let r = false; each(coll, (v, k, c) => { if (it(v, k, c)) { r = true; return false; } return true; }); return r; };
  const every = (coll, f) => { const it = iteratee(f); let r = true; each(coll, (v, k, c) => { if (!it(v, k, c)) { r = false; return false; } return true; }); return r; };
  const includes = (coll, v, from) => (typeof coll === 'string' ? coll.indexOf(v, from || 0) !== -1 : values(coll).slice(from || 0).some((x) => x === v || (x !== x && v !== v)));
  function uniqBy(arr, f) { const it = iteratee(f), seen = [], out = []; (arr || []).forEach((v) => { const k = it(v); if (!seen.some((s) => s === k || (s !== s && k !== k))) { seen.push(k); out.push(v); } }); return out; }
  function sortBy(coll, fs) {
    const its = (Array.isArray(fs) ? fs : [fs]).map(iteratee);
    return values(coll).map((v, i) => ({ v: v, i: i })).sort((a, b) => {
      for (let j = 0; j < its.length; j++) { const x = its[j](a.v), y = its[j](b.v); if (x < y) return -1; if (x > y) return 1; }
      return a.i - b.i;
    }).map((e) => e.v);
  }
  function orderBy(coll, fs, orders) {
    const its = (Array.isArray(fs) ? fs : [fs]).map(iteratee);
    orders = Array.isArray(orders) ? orders : [orders];
    return values(coll).map((v, i) => ({ v: v, i: i })).sort((a, b) => {
      for (let j = 0; j < its.length; j++) {
        const x = its[j](a.v), y = its[j](b.v), d = orders[j] === 'desc' ? -1 : 1;
        if (x < y) return -d; if (x > y) return d;
      }
      return a.i - b.i;
    }).map((e) => e.v);
  }
  function groupBy(coll, f) { const it = iteratee(f), out = {}; each(coll, (v) => { const k = it(v); (out[k] = out[k] || []).push(v); }); return out; }
  function keyBy(coll, f) { const it = iteratee(f), out = {}; each(coll, (v) => { out[it(v)] = v; }); return out; }
  function countBy(coll, f) { const it = iteratee(f), out = {}; each(coll, (v) => { const k = it(v); out[k] = (out[k] || 0) + 1; }); return out; }
  function partition(coll, f) { const it = iteratee(f), a = [], b = []; each(coll, (v) => { (it(v) ? a : b).push(v); }); return [a, b]; }
  const flatten = (arr) => [].concat.apply([], (arr || []).map((v) => v));
  const flattenDeep = (arr) => (arr || []).reduce((acc, v) => acc.concat(Array.isArray(v) ? flattenDeep(v) : [v]), []);
  function cloneDeep(v) {
    if (!isObject(v) || typeof v === 'function') return v;
    if (v instanceof Date) return new Date(v.getTime());
    if (v instanceof RegExp) return new RegExp(v.source, v.flags);
    if (Array.isArray(v)) return v.map(cloneDeep);
    const o = {};
    Object.keys(v).forEach((k) => { o[k] = cloneDeep(v[k]); });
    return o;
  }
  function merge(target) {
    for (let i = 1; i < arguments.length; i++) {
      const src = arguments[i];
      if (!isObject(src)) continue;
      Object.keys(src).forEach((k) => {
        const s = src[k];
        if ((isPlainObject(s) || Array.isArray(s)) && isObject(target[k])) merge(target[k], s);
        else if (isPlainObject(s)) target[k] = merge({}, s);
        else if (Array.isArray(s)) target[k] = merge([], s);
        else if (s !== undefined || !hasOwn(target, k)) target[k] = s;
      });
    }
    return target;
  }
  const words = (s) => String(isNil(s) ? '' : s).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').match(/[A-Za-z0-9]+/g) || [];
  const upperFirst = (s) => { s = String(isNil(s) ? '' : s); return s.charAt(0).toUpperCase() + s.slice(1); };
  const lowerFirst = (s) => { s = String(isNil(s) ? '' : s); return s.charAt(0).toLowerCase() + s.slice(1); };
  const pad = (s, n, c, start) => { s = String(isNil(s) ? '' : s); c = c === undefined ? ' ' : String(c); if (!c) return s; let p = ''; while (s.length + p.length < n) p += c; p = p.slice(0, Math.max(0, n - s.length)); return start ? p + s : s + p; };
  const random = (lo, hi, floating) => {
    if (hi === undefined) { hi = lo === undefined ? 1 : lo; lo = 0; }
    if (typeof hi === 'boolean') { floating = hi; hi = lo; lo = 0; }
    const r = lo + Math.random() * (hi - lo);
    return floating || lo % 1 || hi % 1 ? r : Math.floor(lo + Math.random() * (hi - lo + 1));
  };
  const range = (start, end, step) => {
    if (end === undefined) { end = start; start = 0; }
    step = step === undefined ? (end < start ? -1 : 1) : step;
    const out = [];
    if (step === 0) return out;
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  };
  const num = (f) => (arr, it) => { const g = iteratee(it); const vs = (arr || []).map((v) => g(v)); return vs.length ? f(vs, arr) : undefined; };
  const _ = function (value) { return chain(value); };
  function chain(value) {
    const w = { __wrapped: value };
    Object.keys(_).forEach((k) => {
      if (typeof _[k] === 'function') w[k] = function () { return chain(_[k].apply(null, [w.__wrapped].concat(Array.prototype.slice.call(arguments)))); };
    });
    w.value = () => w.__wrapped;
    w.valueOf = w.value;
    w.toJSON = w.value;
    return w;
  }
  Object.assign(_, {
    get: get, set: set, has: has, hasIn: has, unset: unset, isEqual: isEqual, isMatch: isMatch, iteratee: iteratee,
    isNil: isNil, isNull: (v) => v === null, isUndefined: (v) => v === undefined, isObject: isObject,
    isObjectLike: (v) => v !== null && typeof v === 'object', isPlainObject: isPlainObject, isArray: Array.isArray,
    isArrayLike: isArrayLike, isString: (v) => typeof v === 'string' || toStr.call(v) === '[object String]',
    isNumber: (v) => typeof v === 'number' || toStr.call(v) === '[object Number]', isBoolean: (v) => v === true || v === false,
    isFunction: (v) => typeof v === 'function', isDate: (v) => v instanceof Date, isRegExp: (v) => v instanceof RegExp,
    isInteger: Number.isInteger, isFinite: Number.isFinite, isNaN: (v) => typeof v === 'number' && v !== v,
    isError: (v) => v instanceof Error,
    isEmpty: (v) => (isNil(v) ? true : isArrayLike(v) ? v.length === 0 : v instanceof Map || v instanceof Set ? v.size === 0 : isObject(v) ? Object.keys(v).length === 0 : true),
    each: each, forEach: each, forIn: each, forOwn: each, map: map, filter: filter, reject: reject, find: find,
    findLast: (c, f) => { const a = values(c), i = findLastIndex(a, f); return i < 0 ? undefined : a[i]; },
    findIndex: findIndex, findLastIndex: findLastIndex, reduce: reduce, some: some, every: every, includes: includes, contains: includes,
    findKey: (o, f) => { const it = iteratee(f); return Object.keys(o || {}).find((k) => it(o[k], k, o)); },
    keys: (o) => (isNil(o) ? [] : Object.keys(o)), values: values, entries: entries, toPairs: entries,
    fromPairs: (ps) => { const o = {}; (ps || []).forEach((p) => { o[p[0]] = p[1]; }); return o; },
    zipObject: (ks, vs) => { const o = {}; (ks || []).forEach((k, i) => { o[k] = (vs || [])[i]; }); return o; },
    zip: function () { const arrs = Array.prototype.slice.call(arguments); const n = Math.max.apply(null, arrs.map((a) => a.length).concat([0])); return range(n).map((i) => arrs.map((a) => a[i])); },
    pick: (o, ...ks) => { const out = {}; flattenDeep(ks).forEach((k) => { if (has(o, k)) set(out, k, get(o, k)); }); return out; },
    omit: (o, ...ks) => { const out = Object.assign({}, o); flattenDeep(ks).forEach((k) => { delete out[k]; }); return out; },
    pickBy: (o, f) => { const it = iteratee(f), out = {}; Object.keys(o || {}).forEach((k) => { if (it(o[k], k)) out[k] = o[k]; }); return out; },
    omitBy: (o, f) => { const it = iteratee(f), out = {}; Object.keys(o || {}).forEach((k) => { if (!it(o[k], k)) out[k] = o[k]; }); return out; },
    mapValues: (o, f) => { const it = iteratee(f), out = {}; Object.keys(o || {}).forEach((k) => { out[k] = it(o[k], k, o); }); return out; },
    mapKeys: (o, f) => { const it = iteratee(f), out = {}; Object.keys(o || {}).forEach((k) => { out[it(o[k], k, o)] = o[k]; }); return out; },
    invert: (o) => { const out = {}; Object.keys(o || {}).forEach((k) => { out[o[k]] = k; }); return out; },
    assign: Object.assign, extend: Object.assign, merge: merge,
    defaults: function (o) { for (let i = 1; i < arguments.length; i++) Object.keys(arguments[i] || {}).forEach((k) => { if (o[k] === undefined) o[k] = arguments[i][k]; }); return o; },
    clone: (v) => (Array.isArray(v) ? v.slice() : isObject(v) ? Object.assign({}, v) : v), cloneDeep: cloneDeep,
    uniq: (a) => uniqBy(a), uniqBy: uniqBy, sortBy: sortBy, orderBy: orderBy, groupBy: groupBy, keyBy: keyBy, countBy: countBy, partition: partition,
    flatten: flatten, flattenDeep: flattenDeep, flatMap: (c, f) => flatten(map(c, f)),
    chunk: (a, n) => { n = Math.max(1, n || 1); const out = []; for (let i = 0; i < (a || []).length; i += n) out.push(a.slice(i, i + n)); return out; },
    compact: (a) => (a || []).filter(Boolean), concat: function () { return [].concat.apply([], arguments); },
    difference: (a, ...others) => { const o = flatten(others); return (a || []).filter((v) => !o.includes(v)); },
    intersection: (a, ...others) => uniqBy((a || []).filter((v) => others.every((o) => o.includes(v)))),
    union: function () { return uniqBy(flatten(Array.prototype.slice.call(arguments))); },
    without: (a, ...vs) => (a || []).filter((v) => !vs.includes(v)),
    pull: (a, ...vs) => { for (let i = a.length - 1; i >= 0; i--) if (vs.includes(a[i])) a.splice(i, 1); return a; },
    remove: (a, f) => { const it = iteratee(f), out = []; for (let i = 0; i < a.length; i++) if (it(a[i], i, a)) { out.push(a[i]); a.splice(i--, 1); } return out; },
    first: (a) => (a ? a[0] : undefined), head: (a) => (a ? a[0] : undefined), last: (a) => (a && a.length ? a[a.length - 1] : undefined),
    nth: (a, n) => (a ? a[n < 0 ? a.length + n : n] : undefined), tail: (a) => (a || []).slice(1), initial: (a) => (a || []).slice(0, -1),
    take: (a, n) => (a || []).slice(0, n === undefined ? 1 : n), takeRight: (a, n) => { n = n === undefined ? 1 : n; return n ? (a || []).slice(-n) : []; },
    drop: (a, n) => (a || []).slice(n === undefined ? 1 : n), dropRight: (a, n) => { n = n === undefined ? 1 : n; return (a || []).slice(0, Math.max(0, a.length - n)); },
    indexOf: (a, v, from) => (a || []).indexOf(v, from), lastIndexOf: (a, v) => (a || []).lastIndexOf(v),
    reverse: (a) => a.reverse(), slice: (a, s, e) => (a || []).slice(s, e), join: (a, sep) => (a || []).join(sep === undefined ? ',' : sep),
    size: (c) => (isNil(c) ? 0 : isArrayLike(c) ? c.length : c instanceof Map || c instanceof Set ? c.size : Object.keys(c).length),
    castArray: function (v) { return arguments.length === 0 ? [] : Array.isArray(v) ? v : [v]; },
    range: range, times: (n, f) => range(Math.max(0, n || 0)).map(iteratee(f)), random: random,
    sample: (c) => { const v = values(c); return v[Math.floor(Math.random() * v.length)]; },
    sampleSize: (c, n) => { const v = values(c).slice(); for (let i = v.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); const t = v[i]; v[i] = v[j]; v[j] = t; } return v.slice(0, n === undefined ? 1 : n); },
    shuffle: (c) => { const v = values(c).slice(); for (let i = v.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); const t = v[i]; v[i] = v[j]; v[j] = t; } return v; },
    sum: (a) => (a || []).reduce((s, v) => s + v, 0), sumBy: (a, f) => { const it = iteratee(f); return (a || []).reduce((s, v) => s + it(v), 0); },
    mean: (a) => (a && a.length ? a.reduce((s, v) => s + v, 0) / a.length : NaN), meanBy: (a, f) => { const it = iteratee(f); return a && a.length ? a.reduce((s, v) => s + it(v), 0) / a.length : NaN; },
    max: (a) => (a && a.length ? a.reduce((m, v) => (v > m ? v : m)) : undefined), min: (a) => (a && a.length ? a.reduce((m, v) => (v < m ? v : m)) : undefined),
    maxBy: num((vs, arr) => arr[vs.indexOf(Math.max.apply(null, vs))]), minBy: num((vs, arr) => arr[vs.indexOf(Math.min.apply(null, vs))]),
    clamp: (n, lo, hi) => Math.min(Math.max(n, lo), hi), inRange: (n, s, e) => { if (e === undefined) { e = s; s = 0; } return n >= Math.min(s, e) && n < Math.max(s, e); },
    round: (n, p) => { const f = Math.pow(10, p || 0); return Math.round(n * f) / f; }, floor: (n, p) => { const f = Math.pow(10, p || 0); return Math.floor(n * f) / f; },
    ceil: (n, p) => { const f = Math.pow(10, p || 0); return Math.ceil(n * f) / f; },
    toNumber: (v) => Number(v), toInteger: (v) => Math.trunc(Number(v)) || 0, toString: (v) => (isNil(v) ? '' : String(v)),
    parseInt: (s, radix) => parseInt(s, radix || 10),
    toLower: (s) => String(isNil(s) ? '' : s).toLowerCase(), toUpper: (s) => String(isNil(s) ? '' : s).toUpperCase(),
    capitalize: (s) => upperFirst(String(isNil(s) ? '' : s).toLowerCase()), upperFirst: upperFirst, lowerFirst: lowerFirst, words: words,
    camelCase: (s) => words(s).map((w, i) => (i ? upperFirst(w.toLowerCase()) : w.toLowerCase())).join(''),
    kebabCase: (s) => words(s).map((w) => w.toLowerCase()).join('-'), snakeCase: (s) => words(s).map((w) => w.toLowerCase()).join('_'),
    startCase: (s) => words(s).map(upperFirst).join(' '), lowerCase: (s) => words(s).map((w) => w.toLowerCase()).join(' '), upperCase: (s) => words(s).map((w) => w.toUpperCase()).join(' '),
    trim: (s, c) => (c ? String(s).replace(new RegExp('^[' + c.replace(/[\]\\^-]/g, '\\$&') + ']+|[' + c.replace(/[\]\\^-]/g, '\\$&') + ']+$', 'g'), '') : String(isNil(s) ? '' : s).trim()),
    trimStart: (s) => String(isNil(s) ? '' : s).replace(/^\s+/, ''), trimEnd: (s) => String(isNil(s) ? '' : s).replace(/\s+$/, ''),
    pad: (s, n, c) => { s = String(isNil(s) ? '' : s); const total = Math.max(0, n - s.length); return pad('', Math.floor(total / 2), c, true) + s + pad('', Math.ceil(total / 2), c, false); },
    padStart: (s, n, c) => pad(s, n, c, true), padEnd: (s, n, c) => pad(s, n, c, false),
    repeat: (s, n) => String(isNil(s) ? '' : s).repeat(Math.max(0, n === undefined ? 1 : n)),
    startsWith: (s, t, p) => String(s).startsWith(t, p), endsWith: (s, t, p) => String(s).endsWith(t, p),
    split: (s, sep, n) => String(isNil(s) ? '' : s).split(sep, n), replace: (s, a, b) => String(s).replace(a, b),
    escape: (s) => String(isNil(s) ? '' : s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]),
    unescape: (s) => String(isNil(s) ? '' : s).replace(/&(amp|lt|gt|quot|#39);/g, (m, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]),
    escapeRegExp: (s) => String(isNil(s) ? '' : s).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'),
    identity: (v) => v, noop: () => undefined, constant: (v) => () => v, now: () => Date.now(),
    uniqueId: (() => { let n = 0; return (p) => String(p === undefined ? '' : p) + ++n; })(),
    once: (f) => { let done = false, r; return function () { if (!done) { done = true; r = f.apply(this, arguments); } return r; }; },
    memoize: (f) => { const cache = new Map(); return (k) => { if (!cache.has(k)) cache.set(k, f(k)); return cache.get(k); }; },
    chain: chain, matches: (src) => (v) => isMatch(v, src), property: (p) => (v) => get(v, p),
  });
  _.VERSION = '4.17.21';
  return _;
}
