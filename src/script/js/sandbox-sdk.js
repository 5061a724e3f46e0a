// The Postman SDK's objects a script may build or read (`pm.request`, headers and cookies as
// property lists, `Url`, and what `pm.sendRequest` is given): loaded into a sandbox the first time
// a script needs one, so a request whose scripts only test the response never pays for them.
// `k` is what they need from sandbox.js.

export default function (k) {
  const { stringify, replaceIn } = k;
  const changed = k.changed;
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
      changed();
    };
    return body;
  }

  class Request {
    constructor(r) {
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
    set method(m) { this._method = String(m).toUpperCase(); changed(); }
    get body() { return this._body; }
    set body(b) { this._body = bodyView(typeof b === 'string' ? { mode: 'raw', raw: b } : b || {}); changed(); }
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
      if (this._url) { this._url.update(v instanceof Url ? v.toString() : v); changed(); } else this._url = v;
    },
  });

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

  Request.prototype.toJSONFull = function () {
    const b = this._body;
    return {
      method: this.method,
      url: this.url.toString(),
      headers: this.headers._list.map((e) => ({ key: e.key, value: stringify(e.value), disabled: !!e.disabled })),
      body: b ? { mode: b.mode, raw: b.raw === undefined ? null : b.raw } : null,
    };
  };

  return { PropertyList: PropertyList, QueryList: QueryList, Url: Url, Request: Request, parseHeader: parseHeader, sendSpec: sendSpec };
}
