// Postman's legacy sandbox, which older collections still use: the `postman` object
// (`postman.setEnvironmentVariable`...) and the globals `responseBody`, `responseCode`,
// `responseHeaders`, `responseTime`, `responseCookies`, `environment`, `globals`, `data` and
// `request`. Loaded into a sandbox the first time a script reads one of them. `k` is what it
// needs from sandbox.js.

export default function (k) {
  const { stringify, lookup, scope } = k;

  // The legacy setters: a value replacing an existing one is stored as text, a new one keeps
  // its type (newman does exactly this).
  const legacySet = (s, key, v) => s.set(key, s.has(key) ? stringify(v) : v);
  const postman = {
    setEnvironmentVariable: (key, v) => legacySet(scope('environment'), key, v),
    getEnvironmentVariable: (key) => scope('environment').get(key),
    clearEnvironmentVariable: (key) => scope('environment').unset(key),
    clearEnvironmentVariables: () => scope('environment').clear(),
    setGlobalVariable: (key, v) => legacySet(scope('globals'), key, v),
    getGlobalVariable: (key) => scope('globals').get(key),
    clearGlobalVariable: (key) => scope('globals').unset(key),
    clearGlobalVariables: () => scope('globals').clear(),
    getVariable: (key) => lookup(String(key)).value,
    setNextRequest: k.setNextRequest,
    getResponseHeader: (key) => {
      const r = k.response();
      return r ? r.headers.get(key) : undefined;
    },
    getResponseCookie: (name) => {
      const r = k.response();
      if (!r) return undefined;
      const v = r.cookies.get(name);
      return v === undefined ? undefined : { name: name, value: v };
    },
  };

  // The value of the legacy global `name`; `response` is the test event's response.
  function value(name, response) {
    switch (name) {
      case 'postman': return postman;
      case 'environment': case 'globals': case 'data': return scope(name).toObject();
      case 'request': {
        const r = k.request();
        return {
          id: r.id, name: r.name, method: r.method, url: r.url.toString(),
          headers: r.getHeaders(), data: r.body && r.body.mode === 'raw' ? r.body.raw : {},
        };
      }
      case 'responseBody': return response ? response.text() : undefined;
      case 'responseCode': return response ? { code: response.code, name: response.status, detail: response.status } : undefined;
      case 'responseHeaders': return response ? response.headers.toObject() : undefined;
      case 'responseTime': return response ? response.responseTime : undefined;
      case 'responseCookies': return response ? response.cookies.all().map((c) => ({ name: c.key, value: c.value })) : undefined;
      default: return undefined;
    }
  }

  return { value: value };
}
