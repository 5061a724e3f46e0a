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

// ---- parts loaded on first use ----

// A part of the sandbox library in its own module (chai-more.js, sandbox-sdk.js), evaluated in
// this sandbox the first time it is needed; its default export.
function part(name) {
  return native.lib(name);
}

let sdkParts;
// The SDK's objects (sandbox-sdk.js).
function sdk() {
  if (!sdkParts) sdkParts = part('sandbox-sdk')({ stringify: stringify, replaceIn: replaceIn, changed: () => { requestChanged = true; } });
  return sdkParts;
}

// Sets `o[name]` to `v` as a plain property (replacing a getter of the prototype) and returns `v`.
function own(o, name, v) {
  Object.defineProperty(o, name, { value: v, writable: true, configurable: true, enumerable: true });
  return v;
}

// ---- the response ----

class Response {
  constructor(r) {
    this.__lpResponse = true;
    this.code = r.code;
    this.status = r.status;
    this.responseTime = r.responseTime;
    this.responseSize = r.responseSize;
    this._body = r.body;
    this._headerList = r.headers;
    this._cookieList = r.cookies || [];
  }
  // Headers and cookies become property lists when a script first reads them.
  get headers() { return own(this, 'headers', new (sdk().PropertyList)(this._headerList)); }
  set headers(v) { own(this, 'headers', v); }
  get cookies() {
    const list = new (sdk().PropertyList)(this._cookieList.map((c) => ({ key: c.name, value: c.value })));
    list.get = function (name) { const e = this._list.find((c) => c.key === name); return e ? e.value : undefined; };
    return own(this, 'cookies', list);
  }
  set cookies(v) { own(this, 'cookies', v); }
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

function sendRequest(req, callback) {
  const spec = sdk().sendSpec(req);
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
  ajv: 'ajv', chai: 'chai', atob: 'atob', btoa: 'btoa', buffer: 'buffer', 'postman-collection': 'postman-collection',
};
function require_(name) {
  const n = String(name);
  if (n === 'chai') return { expect: expect, assert: undefined, AssertionError: AssertionError };
  if (n === 'buffer') return { Buffer: library('buffer') };
  if (n === 'atob') return G.atob;
  if (n === 'btoa') return G.btoa;
  if (n === 'postman-collection') {
    const k = sdk();
    return { Url: k.Url, PropertyList: k.PropertyList, VariableScope: VariableScope, Request: k.Request, Response: Response };
  }
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
  if (!requestObj) requestObj = new (sdk().Request)(requestInput);
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

// Postman's legacy globals (sandbox-legacy.js), each loaded when a script first reads it.
const LEGACY = ['postman', 'environment', 'globals', 'data', 'request', 'responseBody', 'responseCode',
  'responseHeaders', 'responseTime', 'responseCookies'];
let legacyPart;
function legacy() {
  if (!legacyPart) {
    legacyPart = part('sandbox-legacy')({
      stringify: stringify,
      lookup: lookup,
      scope: (name) => (name === 'environment' ? environment : name === 'globals' ? globals : data),
      setNextRequest: setNextRequest,
      response: () => responseObj,
      request: theRequest,
    });
  }
  return legacyPart;
}

function legacyGlobals(isTest) {
  const response = isTest ? responseObj : undefined;
  LEGACY.forEach((name) => lazy(name, () => legacy().value(name, response)));
  G.iteration = input.info.iteration;
  G.tests = {};
}

function setNextRequest(name) {
  nextRequest = name === null || name === undefined ? null : String(name);
}

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
    get cookies() { return own(this, 'cookies', responseObj ? responseObj.cookies : new (sdk().PropertyList)([])); },
    test: test,
    expect: expect,
    sendRequest: sendRequest,
    require: require_,
    execution: {
      setNextRequest: setNextRequest,
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
  G.console = consoleApi;
  G.setTimeout = setTimeout_;
  G.clearTimeout = clearTimeout_;
  G.setInterval = undefined;
  G.setImmediate = (fn) => setTimeout_(fn, 0);
  G.require = require_;
  legacyGlobals(event === 'test');
}

const lazyGlobals = { _: 'lodash', CryptoJS: 'crypto-js', moment: 'moment', tv4: 'tv4', uuid: 'uuid', Buffer: 'buffer' };
Object.keys(lazyGlobals).forEach((k) => {
  Object.defineProperty(G, k, {
    get() { const v = library(lazyGlobals[k]); Object.defineProperty(G, k, { value: v, writable: true, configurable: true }); return v; },
    set(v) { Object.defineProperty(G, k, { value: v, writable: true, configurable: true }); },
    configurable: true,
  });
});
// The typed arrays are not made with the context (most scripts never use them): reading or
// assigning any of these globals first adds them all (src/script/natives.rs, `typedArrays`).
native.typedArrayNames.forEach((name) => {
  const real = () => {
    native.typedArrays();
    const d = Object.getOwnPropertyDescriptor(G, name);
    return d && 'value' in d ? d.value : undefined;
  };
  Object.defineProperty(G, name, {
    get: real,
    set(v) { real(); Object.defineProperty(G, name, { value: v, writable: true, configurable: true }); },
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
