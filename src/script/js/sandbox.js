// Postman's script sandbox (`pm`, the legacy globals, `console`, timers, `require`), written for
// Localpost. Compiled once per process with chai.js into one module; every context evaluates it
// and then calls `__lp.setup(input)`. The host (src/script/context.rs) gives `__lp_native`.
//
// Nothing here reaches the host but through `__lp_native`: no file system, no environment, no
// sockets. Variable writes are recorded as operations the host applies to its scopes.

const native = globalThis.__lp_native;
delete globalThis.__lp_native;
const G = globalThis;

// Postman's legacy sandbox gave every string `has` (old collections test `responseBody.has(...)`).
Object.defineProperty(String.prototype, 'has', {
  value: function (text) { return this.indexOf(text) !== -1; },
  writable: true,
  configurable: true,
});

let input = null;
let ops = [];
let tests = [];
let consoleLines = [];
let nextRequest; // undefined: not called
let skipped = false;
let requestChanged = false;
const timers = [];
let timerSeq = 0;
const pending = new Map(); // sendRequest id -> callback
let currentScript = null;

function stringify(v) {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  if (v !== null && typeof v === 'object') {
    try { return JSON.stringify(v); } catch (e) { return String(v); }
  }
  return String(v);
}

// ---- variables ----

const TEMPLATE = /\{\{([^{}]+)\}\}/g;

function lookup(name) {
  const layers = [local, data, environment, collectionVariables, globals];
  for (let i = 0; i < layers.length; i++) {
    if (layers[i].has(name)) return { found: true, value: layers[i].get(name) };
  }
  return { found: false };
}

function replaceIn(text) {
  if (text === null || text === undefined) return text;
  if (typeof text !== 'string') {
    return JSON.parse(replaceIn(JSON.stringify(text)));
  }
  let out = String(text);
  for (let depth = 0; depth < 16 && out.indexOf('{{') !== -1; depth++) {
    let changed = false;
    out = out.replace(TEMPLATE, (whole, name) => {
      const l = lookup(name);
      if (l.found) { changed = true; return stringify(l.value); }
      if (name.charAt(0) === '$') {
        const d = native.dynamic(name);
        if (d !== undefined && d !== null) { changed = true; return d; }
      }
      return whole;
    });
    if (!changed) break;
  }
  return out;
}

class VariableScope {
  constructor(kind, values, writable) {
    this._kind = kind;
    this._values = new Map();
    this._writable = writable;
    if (values) for (const k of Object.keys(values)) this._values.set(k, values[k]);
  }
  has(key) { return this._values.has(String(key)); }
  get(key) { return this._values.get(String(key)); }
  set(key, value) {
    if (!this._writable) throw new TypeError('pm.' + this._kind + ' is read-only');
    key = String(key);
    this._values.set(key, value);
    const op = { scope: this._kind, op: 'set', key: key, value: stringify(value) };
    // Numbers, booleans, objects keep their type for the rest of the run (as newman).
    if (typeof value !== 'string' && value !== undefined && typeof value !== 'function') {
      try { op.typed = JSON.parse(JSON.stringify(value)); } catch (e) { /* a cycle: the text only */ }
    }
    ops.push(op);
  }
  unset(key) {
    if (!this._writable) throw new TypeError('pm.' + this._kind + ' is read-only');
    key = String(key);
    this._values.delete(key);
    ops.push({ scope: this._kind, op: 'unset', key: key });
  }
  clear() {
    if (!this._writable) throw new TypeError('pm.' + this._kind + ' is read-only');
    this._values.clear();
    ops.push({ scope: this._kind, op: 'clear' });
  }
  toObject() {
    const o = {};
    this._values.forEach((v, k) => { o[k] = v; });
    return o;
  }
  toJSON() {
    const values = [];
    this._values.forEach((v, k) => { values.push({ key: k, value: v, type: typeof v === 'string' ? 'string' : 'any' }); });
    return { values: values };
  }
  replaceIn(text) { return replaceIn(text); }
  get name() { return this._kind === 'environment' ? input.environmentName : undefined; }
}

let globals, environment, collectionVariables, local, data;

class Variables {
  has(key) { return lookup(String(key)).found; }
  get(key) { return lookup(String(key)).value; }
  set(key, value) { local.set(key, value); }
  unset(key) { local.unset(key); }
  clear() { local.clear(); }
  toObject() {
    const o = {};
    [globals, collectionVariables, environment, data, local].forEach((s) => Object.assign(o, s.toObject()));
    return o;
  }
  replaceIn(text) { return replaceIn(text); }
}

// ---- headers, query, url ----

class PropertyList {
  constructor(entries) {
    this._list = (entries || []).map((e) => ({ key: e.key, value: e.value, disabled: !!e.disabled }));
  }
  _find(key) {
    const k = String(key).toLowerCase();
    for (let i = this._list.length - 1; i >= 0; i--) if (!this._list[i].disabled && String(this._list[i].key).toLowerCase() === k) return this._list[i];
    return undefined;
  }
  get(key) { const e = this._find(key); return e ? e.value : undefined; }
  has(key, value) {
    const e = this._find(key);
    return !!e && (arguments.length < 2 || e.value === value);
  }
  one(key) { return this._find(key); }
  all() { return this._list.filter((e) => !e.disabled).map((e) => ({ key: e.key, value: e.value })); }
  count() { return this.all().length; }
  get length() { return this.count(); }
  each(fn) { this.all().forEach(fn); }
  map(fn) { return this.all().map(fn); }
  filter(fn) { return this.all().filter(fn); }
  find(fn) { return this.all().find(fn); }
  idx(i) { return this.all()[i]; }
  toObject() {
    const o = {};
    this.all().forEach((e) => { o[e.key] = e.value; });
    return o;
  }
  toString() { return this.all().map((e) => e.key + ': ' + e.value).join('\n'); }
  _changed() { if (this._onChange) this._onChange(); }
  add(item, value) {
    const e = typeof item === 'string' ? parseHeader(item, value) : { key: item.key, value: item.value, disabled: !!item.disabled };
    this._list.push(e);
    this._changed();
  }
  append(item) { this.add(item); }
  upsert(item, value) {
    const e = typeof item === 'string' ? parseHeader(item, value) : item;
    const found = this._find(e.key);
    if (found) found.value = e.value; else this._list.push({ key: e.key, value: e.value, disabled: !!e.disabled });
    this._changed();
  }
  remove(keyOrFn) {
    const before = this._list.length;
    if (typeof keyOrFn === 'function') this._list = this._list.filter((e) => !keyOrFn(e));
    else {
      const k = String(keyOrFn && keyOrFn.key !== undefined ? keyOrFn.key : keyOrFn).toLowerCase();
      this._list = this._list.filter((e) => String(e.key).toLowerCase() !== k);
    }
    if (this._list.length !== before) this._changed();
  }
  clear() { this._list = []; this._changed(); }
  populate(items) { (items || []).forEach((e) => this._list.push({ key: e.key, value: e.value })); this._changed(); }
  repopulate(items) { this._list = []; this.populate(items); }
}

function parseHeader(line, value) {
  if (value !== undefined) return { key: line, value: String(value) };
  const i = String(line).indexOf(':');
  return i < 0 ? { key: String(line).trim(), value: '' } : { key: line.slice(0, i).trim(), value: line.slice(i + 1).trim() };
}

class QueryList extends PropertyList {
  get(key) { const e = this._list.find((x) => !x.disabled && x.key === key); return e ? e.value : undefined; }
  has(key) { return this._list.some((x) => !x.disabled && x.key === key); }
  toString() {
    return this._list.filter((e) => !e.disabled).map((e) => (e.value === null || e.value === undefined ? e.key : e.key + '=' + e.value)).join('&');
  }
}

function splitUrl(text) {
  const u = { protocol: undefined, auth: undefined, host: [], port: undefined, path: [], query: [], hash: undefined };
  let rest = String(text || '');
  let i = rest.indexOf('#');
  if (i >= 0) { u.hash = rest.slice(i + 1); rest = rest.slice(0, i); }
  i = rest.indexOf('?');
  let query = null;
  if (i >= 0) { query = rest.slice(i + 1); rest = rest.slice(0, i); }
  const proto = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (proto) { u.protocol = proto[1]; rest = rest.slice(proto[0].length); }
  const slash = rest.indexOf('/');
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash + 1) : null;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const cred = authority.slice(0, at); authority = authority.slice(at + 1);
    const c = cred.indexOf(':');
    u.auth = c >= 0 ? { user: cred.slice(0, c), password: cred.slice(c + 1) } : { user: cred };
  }
  const port = /:(\d+|\{\{[^{}]*\}\})$/.exec(authority);
  if (port) { u.port = port[1]; authority = authority.slice(0, -port[0].length); }
  u.host = authority === '' ? [] : authority.split('.');
  if (path !== null) u.path = path.split('/');
  if (query !== null && query !== '') {
    u.query = query.split('&').map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { key: p, value: null } : { key: p.slice(0, eq), value: p.slice(eq + 1) };
    });
  }
  return u;
}

class Url {
  constructor(text, onChange) {
    this._onChange = onChange;
    this.update(text, true);
  }
  update(text, quiet) {
    const u = typeof text === 'string' ? splitUrl(text) : splitUrl(text && text.raw !== undefined ? text.raw : String(text));
    this.protocol = u.protocol;
    this.auth = u.auth;
    this.host = u.host;
    this.port = u.port;
    this.path = u.path;
    this.hash = u.hash;
    this.query = new QueryList(u.query);
    this.query._onChange = this._onChange;
    this.variables = new PropertyList([]);
    if (!quiet && this._onChange) this._onChange();
  }
  getHost() { return this.host.join('.'); }
  getPath(unresolved) {
    const p = '/' + this.path.join('/');
    return unresolved ? p : p;
  }
  getQueryString() { return this.query.toString(); }
  getPathWithQuery() { const q = this.getQueryString(); return this.getPath() + (q ? '?' + q : ''); }
  getRemote(forcePort) { return this.getHost() + (this.port ? ':' + this.port : forcePort ? ':' + (this.protocol === 'http' ? 80 : 443) : ''); }
  getOAuth1BaseUrl() { return (this.protocol || 'http') + '://' + this.getRemote() + this.getPath(); }
  addQueryParams(params) {
    (Array.isArray(params) ? params : String(params).split('&').map((p) => parseHeader(p.replace('=', ':'))))
      .forEach((p) => this.query.add(p));
  }
  removeQueryParams(keys) { (Array.isArray(keys) ? keys : [keys]).forEach((k) => this.query.remove(typeof k === 'string' ? k : k.key)); }
  toString(forceProtocol) {
    let s = '';
    if (this.protocol) s += this.protocol + '://';
    else if (forceProtocol) s += 'http://';
    if (this.auth && this.auth.user !== undefined) s += this.auth.user + (this.auth.password !== undefined ? ':' + this.auth.password : '') + '@';
    s += this.getHost();
    if (this.port) s += ':' + this.port;
    if (this.path.length) s += '/' + this.path.join('/');
    const q = this.query.toString();
    if (q) s += '?' + q;
    if (this.hash !== undefined) s += '#' + this.hash;
    return s;
  }
  toJSON() { return this.toString(); }
}

// ---- request and response ----

function bodyView(b) {
  const body = { mode: b.mode, raw: b.raw, urlencoded: new PropertyList(b.urlencoded), formdata: new PropertyList(b.formdata), graphql: b.graphql };
  body.toString = function () { return this.mode === 'raw' ? (this.raw || '') : this.mode === 'urlencoded' ? this.urlencoded.all().map((e) => e.key + '=' + e.value).join('&') : ''; };
  body.isEmpty = function () { return !this.raw && !this.urlencoded.count() && !this.formdata.count(); };
  body.update = function (v) {
    if (typeof v === 'string') { this.mode = 'raw'; this.raw = v; } else if (v) { this.mode = v.mode || this.mode; if (v.raw !== undefined) this.raw = v.raw; }
    requestChanged = true;
  };
  return body;
}

class Request {
  constructor(r) {
    const changed = () => { requestChanged = true; };
    this.id = r.id;
    this.name = r.name;
    this._method = r.method;
    this.url = new Url(r.url, changed);
    this.headers = new PropertyList(r.headers);
    this.headers._onChange = changed;
    this._body = r.body ? bodyView(r.body) : undefined;
    this.auth = r.auth;
  }
  get method() { return this._method; }
  set method(m) { this._method = String(m).toUpperCase(); requestChanged = true; }
  get body() { return this._body; }
  set body(b) { this._body = bodyView(typeof b === 'string' ? { mode: 'raw', raw: b } : b || {}); requestChanged = true; }
  addHeader(h) { this.headers.add(h); }
  upsertHeader(h) { this.headers.upsert(h); }
  removeHeader(h) { this.headers.remove(h); }
  getHeaders(opts) {
    const o = {};
    this.headers.all().forEach((e) => { o[opts && opts.ignoreCase ? e.key.toLowerCase() : e.key] = e.value; });
    return o;
  }
  toJSON() {
    return { method: this.method, url: this.url.toString(), header: this.headers.all(), body: this._body ? { mode: this._body.mode, raw: this._body.raw } : undefined };
  }
}

// `url` as a property that may be assigned a string (Postman allows `pm.request.url = '...'`).
Object.defineProperty(Request.prototype, 'url', {
  get() { return this._url; },
  set(v) {
    if (this._url) { this._url.update(v instanceof Url ? v.toString() : v); requestChanged = true; } else this._url = v;
  },
});

class Response {
  constructor(r) {
    this.__lpResponse = true;
    this.code = r.code;
    this.status = r.status;
    this.headers = new PropertyList(r.headers);
    this.responseTime = r.responseTime;
    this.responseSize = r.responseSize;
    this._body = r.body;
    this.cookies = new PropertyList((r.cookies || []).map((c) => ({ key: c.name, value: c.value })));
    this.cookies.get = function (name) { const e = this._list.find((c) => c.key === name); return e ? e.value : undefined; };
  }
  text() { return this._body; }
  json() { return JSON.parse(this._body); }
  reason() { return this.status; }
  size() { return { body: this.responseSize, header: 0, total: this.responseSize }; }
  get to() { return expect(this).to; }
  get not() { return expect(this).not; }
  get stream() { return { toString: () => this._body, length: this.responseSize }; }
  dataURI() { return 'data:' + (this.headers.get('content-type') || 'text/plain') + ';base64,' + native.btoa(this._body); }
  toJSON() { return { code: this.code, status: this.status, header: this.headers.all(), body: this._body, responseTime: this.responseTime }; }
}

// ---- tests ----

function errorText(e) {
  if (e instanceof AssertionError) return e.message;
  if (e && typeof e === 'object' && e.message !== undefined) return (e.name || 'Error') + ': ' + e.message;
  return String(e);
}

function test(name, fn) {
  const entry = { name: String(name), status: 'passed', error: '' };
  tests.push(entry);
  if (typeof fn !== 'function') { entry.status = 'skipped'; return pmApi; }
  const fail = (e) => { if (entry.status !== 'failed') { entry.status = 'failed'; entry.error = errorText(e); } };
  try {
    if (fn.length > 0) {
      entry.status = 'pending';
      let settled = false;
      const done = (err) => {
        if (settled) return;
        settled = true;
        if (err) fail(err); else if (entry.status === 'pending') entry.status = 'passed';
      };
      fn(done);
    } else {
      const r = fn();
      if (r && typeof r.then === 'function') {
        entry.status = 'pending';
        r.then(() => { if (entry.status === 'pending') entry.status = 'passed'; }, fail);
      }
    }
  } catch (e) {
    fail(e);
  }
  return pmApi;
}
test.skip = function (name) {
  tests.push({ name: String(name), status: 'skipped', error: '' });
  return pmApi;
};
test.index = function () { return tests.length; };

// ---- console ----

function format(args) {
  return Array.prototype.map.call(args, (a) => (typeof a === 'string' ? a : inspect(a, 4))).join(' ');
}
const consoleApi = {};
['log', 'info', 'warn', 'error', 'debug'].forEach((level) => {
  consoleApi[level] = function () {
    consoleLines.push({ level: level === 'debug' ? 'log' : level, text: format(arguments), script: currentScript });
    if (consoleLines.length > 10000) consoleLines.splice(0, consoleLines.length - 10000);
  };
});
consoleApi.clear = function () {};

// ---- timers ----

function setTimeout_(fn, ms) {
  if (typeof fn !== 'function') throw new TypeError('setTimeout needs a function');
  const args = Array.prototype.slice.call(arguments, 2);
  const id = ++timerSeq;
  timers.push({ id: id, at: native.now() + Math.max(0, Number(ms) || 0), fn: fn, args: args, script: currentScript });
  return id;
}
function clearTimeout_(id) {
  const i = timers.findIndex((t) => t.id === id);
  if (i >= 0) timers.splice(i, 1);
}

// ---- pm.sendRequest ----

function sendSpec(req) {
  if (typeof req === 'string') return { url: req, method: 'GET', header: [], body: null };
  const url = req.url instanceof Url ? req.url.toString() : typeof req.url === 'object' && req.url ? (req.url.raw || '') : String(req.url || '');
  let header = [];
  if (Array.isArray(req.header)) header = req.header.map((h) => (typeof h === 'string' ? parseHeader(h) : { key: h.key, value: stringify(h.value) }));
  else if (req.header instanceof PropertyList) header = req.header.all();
  else if (req.header && typeof req.header === 'object') header = Object.keys(req.header).map((k) => ({ key: k, value: stringify(req.header[k]) }));
  else if (req.headers && typeof req.headers === 'object') header = Object.keys(req.headers).map((k) => ({ key: k, value: stringify(req.headers[k]) }));
  let body = null;
  const b = req.body;
  if (b && typeof b === 'object') {
    if (b.mode === 'urlencoded') body = { mode: 'urlencoded', urlencoded: (b.urlencoded || []).map((e) => ({ key: e.key, value: stringify(e.value) })) };
    else if (b.mode === 'formdata') body = { mode: 'formdata', formdata: (b.formdata || []).map((e) => ({ key: e.key, value: stringify(e.value) })) };
    else if (b.mode === 'graphql') body = { mode: 'raw', raw: JSON.stringify(b.graphql || {}) };
    else body = { mode: 'raw', raw: typeof b.raw === 'string' ? b.raw : stringify(b.raw) };
  } else if (typeof b === 'string') body = { mode: 'raw', raw: b };
  return { url: replaceIn(url), method: String(req.method || 'GET').toUpperCase(), header: header, body: body };
}

function sendRequest(req, callback) {
  const spec = sendSpec(req);
  const id = native.send(JSON.stringify(spec));
  if (typeof callback === 'function') {
    pending.set(id, { callback: callback, script: currentScript });
    return undefined;
  }
  return new Promise((resolve, reject) => {
    pending.set(id, { callback: (err, res) => (err ? reject(err) : resolve(res)), script: currentScript });
  });
}

// ---- libraries, loaded on first use ----

const libraries = {};
function library(name) {
  if (!(name in libraries)) libraries[name] = native.lib(name)(native);
  return libraries[name];
}
const MODULES = {
  lodash: 'lodash', 'crypto-js': 'crypto-js', moment: 'moment', tv4: 'tv4', uuid: 'uuid', xml2js: 'xml2js',
  ajv: 'ajv', chai: 'chai', atob: 'atob', btoa: 'btoa', 'postman-collection': 'postman-collection',
};
function require_(name) {
  const n = String(name);
  if (n === 'chai') return { expect: expect, assert: undefined, AssertionError: AssertionError };
  if (n === 'atob') return G.atob;
  if (n === 'btoa') return G.btoa;
  if (n === 'postman-collection') return { Url: Url, PropertyList: PropertyList, VariableScope: VariableScope, Request: Request, Response: Response };
  if (!(n in MODULES)) {
    const e = new Error("Cannot find module '" + n + "'");
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return library(MODULES[n]);
}

// ---- pm ----

let pmApi;
let responseObj;
let requestObj;
let requestInput;
// `pm.request` is built on first use: most scripts never read it.
function theRequest() {
  if (!requestObj) requestObj = new Request(requestInput);
  return requestObj;
}

// A global computed when a script first reads it (the legacy sandbox's many globals).
function lazy(name, make) {
  const settle = (v) => Object.defineProperty(G, name, { value: v, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(G, name, {
    get() { const v = make(); settle(v); return v; },
    set(v) { settle(v); },
    configurable: true,
    enumerable: true,
  });
}

function legacyGlobals(isTest) {
  lazy('environment', () => environment.toObject());
  lazy('globals', () => globals.toObject());
  lazy('data', () => data.toObject());
  G.iteration = input.info.iteration;
  lazy('request', () => {
    const r = theRequest();
    return {
      id: r.id, name: r.name, method: r.method, url: r.url.toString(),
      headers: r.getHeaders(), data: r.body && r.body.mode === 'raw' ? r.body.raw : {},
    };
  });
  G.tests = {};
  const response = isTest ? responseObj : undefined;
  lazy('responseBody', () => (response ? response.text() : undefined));
  lazy('responseCode', () => (response ? { code: response.code, name: response.status, detail: response.status } : undefined));
  lazy('responseHeaders', () => (response ? response.headers.toObject() : undefined));
  lazy('responseTime', () => (response ? response.responseTime : undefined));
  lazy('responseCookies', () => (response ? response.cookies.all().map((c) => ({ name: c.key, value: c.value })) : undefined));
}

// The legacy setters: a value replacing an existing one is stored as text, a new one keeps its
// type (newman does exactly this).
const legacySet = (scope, k, v) => scope.set(k, scope.has(k) ? stringify(v) : v);
const postman = {
  setEnvironmentVariable: (k, v) => legacySet(environment, k, v),
  getEnvironmentVariable: (k) => environment.get(k),
  clearEnvironmentVariable: (k) => environment.unset(k),
  clearEnvironmentVariables: () => environment.clear(),
  setGlobalVariable: (k, v) => legacySet(globals, k, v),
  getGlobalVariable: (k) => globals.get(k),
  clearGlobalVariable: (k) => globals.unset(k),
  clearGlobalVariables: () => globals.clear(),
  getVariable: (k) => lookup(String(k)).value,
  setNextRequest: (name) => { nextRequest = name === null || name === undefined ? null : String(name); },
  getResponseHeader: (k) => (responseObj ? responseObj.headers.get(k) : undefined),
  getResponseCookie: (name) => {
    if (!responseObj) return undefined;
    const v = responseObj.cookies.get(name);
    return v === undefined ? undefined : { name: name, value: v };
  },
};

function makePm(event) {
  const info = input.info;
  const pm = {
    info: { eventName: event, iteration: info.iteration, iterationCount: info.iterationCount, requestName: info.requestName, requestId: info.requestId },
    globals: globals,
    environment: environment,
    collectionVariables: collectionVariables,
    variables: new Variables(),
    iterationData: data,
    get request() { return theRequest(); },
    response: responseObj,
    cookies: responseObj ? responseObj.cookies : new PropertyList([]),
    test: test,
    expect: expect,
    sendRequest: sendRequest,
    require: require_,
    execution: {
      setNextRequest: postman.setNextRequest,
      skipRequest: () => { skipped = true; },
      location: [info.collectionName, info.requestName],
    },
    visualizer: { set: () => {}, clear: () => {} },
  };
  pm.execution.location.current = info.requestName;
  return pm;
}

function install(event) {
  pmApi = makePm(event);
  G.pm = pmApi;
  G.insomnia = pmApi;
  G.postman = postman;
  G.console = consoleApi;
  G.setTimeout = setTimeout_;
  G.clearTimeout = clearTimeout_;
  G.setInterval = undefined;
  G.setImmediate = (fn) => setTimeout_(fn, 0);
  G.require = require_;
  legacyGlobals(event === 'test');
}

const lazyGlobals = { _: 'lodash', CryptoJS: 'crypto-js', moment: 'moment', tv4: 'tv4', uuid: 'uuid' };
Object.keys(lazyGlobals).forEach((k) => {
  Object.defineProperty(G, k, {
    get() { const v = library(lazyGlobals[k]); Object.defineProperty(G, k, { value: v, writable: true, configurable: true }); return v; },
    set(v) { Object.defineProperty(G, k, { value: v, writable: true, configurable: true }); },
    configurable: true,
  });
});
G.xml2Json = (xml) => library('xml2js').xml2Json(xml);
G.atob = (s) => native.atob(String(s));
G.btoa = (s) => native.btoa(String(s));
G.__lpValidateSchema = (schema, value) => native.validateSchema(JSON.stringify(schema), JSON.stringify(value === undefined ? null : value));

// ---- the host's entry points ----

G.__lp = {
  // Called once per context, before the first event.
  setup(json) {
    input = JSON.parse(json);
    const v = input.variables;
    const typed = input.typed || {};
    ['globals', 'environment', 'collection', 'local'].forEach((scope) => {
      const t = typed[scope];
      if (t) Object.keys(t).forEach((k) => { if (k in v[scope]) v[scope][k] = t[k]; });
    });
    globals = new VariableScope('globals', v.globals, true);
    environment = new VariableScope('environment', v.environment, true);
    collectionVariables = new VariableScope('collectionVariables', v.collection, true);
    local = new VariableScope('variables', v.local, true);
    data = new VariableScope('iterationData', v.data, false);
    requestInput = input.request;
    requestObj = undefined;
  },
  // Before each event: the response (tests) and the event name.
  begin(event, json, body) {
    ops = [];
    tests = [];
    consoleLines = [];
    nextRequest = undefined;
    skipped = false;
    requestChanged = false;
    const e = json ? JSON.parse(json) : {};
    if (e.response) {
      e.response.body = body;
      responseObj = new Response(e.response);
    }
    if (e.sentRequest) {
      requestInput = e.sentRequest;
      requestObj = undefined;
    }
    install(event);
  },
  // Before each script of the event: which script logs and tests belong to.
  script(label) {
    currentScript = label;
    G.tests = {};
  },
  // After each script: its legacy `tests["name"] = ok` entries.
  afterScript() {
    const t = G.tests;
    if (t && typeof t === 'object') {
      Object.keys(t).forEach((k) => tests.push({ name: k, status: t[k] ? 'passed' : 'failed', error: t[k] ? '' : 'AssertionError: expected ' + inspect(t[k]) + ' to be truthy' }));
    }
    G.tests = {};
  },
  // The next timer due, in ms from now (-1: none).
  nextTimer() {
    if (!timers.length) return -1;
    let first = timers[0];
    for (let i = 1; i < timers.length; i++) if (timers[i].at < first.at) first = timers[i];
    return Math.max(0, first.at - native.now());
  },
  fireTimer() {
    if (!timers.length) return;
    let idx = 0;
    for (let i = 1; i < timers.length; i++) if (timers[i].at < timers[idx].at) idx = i;
    const t = timers.splice(idx, 1)[0];
    currentScript = t.script;
    t.fn.apply(undefined, t.args);
  },
  // A response (or error) for a pm.sendRequest.
  deliver(id, error, responseJson, body) {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    currentScript = p.script;
    if (error) {
      const e = new Error(error);
      p.callback(e, undefined);
      return;
    }
    const r = JSON.parse(responseJson);
    r.body = body;
    p.callback(null, new Response(r));
  },
  // What the event did, for the host.
  collect() {
    tests.forEach((t) => { if (t.status === 'pending') { t.status = 'failed'; t.error = 'the test did not finish (its done callback or promise never completed)'; } });
    return JSON.stringify({
      ops: ops,
      tests: tests,
      console: consoleLines,
      nextRequest: nextRequest === undefined ? { set: false } : { set: true, name: nextRequest },
      skip: skipped,
      request: requestChanged ? theRequest().toJSONFull() : null,
    });
  },
};

Request.prototype.toJSONFull = function () {
  const b = this._body;
  return {
    method: this.method,
    url: this.url.toString(),
    headers: this.headers._list.map((e) => ({ key: e.key, value: stringify(e.value), disabled: !!e.disabled })),
    body: b ? { mode: b.mode, raw: b.raw === undefined ? null : b.raw } : null,
  };
};
