//! [`Engine`]: owns the tokio runtime, the reqwest clients, the cookie jars and the OAuth 2.0
//! token cache, and turns a [`PreparedRequest`] into an [`Exchange`].

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use futures_util::FutureExt as _;
use poll_promise::Promise;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::auth::oauth2::{self, TokenCache};
use super::auth::{digest, ntlm, sigv4};
use super::body::{ReadLimits, read_body, wire_body};
use super::client::{ClientCache, ClientKey, ProxyRoute, certificate_for};
use super::cookies::CookieJars;
use super::error::{ErrorSite, SendError, TimeoutPhase, classify, host_port};
use super::guard::{AllowAll, SendGuard};
use super::history::{HistoryTicket, HistoryWriter, Job};
use super::prepare::{PendingAuth, PreparedBody, PreparedRequest, sent_request};
use super::response::{Exchange, RedirectHop, Response, ResponseBody, Timing, failed_history_entry};
use crate::model::{Cookie, CookieJar, Header, HistoryEntry, SentRequest, Settings, WorkspaceId};

/// Engine-wide options that are not user settings.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Response bodies larger than this go to a temporary file instead of memory.
    pub spill_threshold_bytes: u64,
    /// Where spilled bodies go (default: the system's temporary folder).
    pub spill_dir: Option<PathBuf>,
    /// Worker threads of the engine's runtime.
    pub worker_threads: usize,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self { spill_threshold_bytes: 8 * 1024 * 1024, spill_dir: None, worker_threads: 2 }
    }
}

/// Options of one [`Engine::send`].
#[derive(Default)]
pub struct SendOptions {
    /// The workspace folder whose history records this send (see
    /// [`crate::storage::Store::workspace_dir`]); `None` records nothing.
    pub history_dir: Option<PathBuf>,
    /// Called once the promise is ready (success, failure or cancellation), from the engine's
    /// thread: the UI passes a closure calling `ctx.request_repaint()`.
    pub on_finished: Option<Box<dyn FnOnce() + Send>>,
}

/// Cancels a send; cloneable, usable from any thread.
#[derive(Clone, Debug)]
pub struct CancelHandle(CancellationToken);

impl CancelHandle {
    /// Stops the send: its connection is dropped and its promise resolves to
    /// [`SendError::Cancelled`]. Does nothing once the send is finished.
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

/// A send in flight.
pub struct SendHandle {
    /// Resolves exactly once, never hangs: a panic or a dropped runtime becomes an error.
    pub promise: Promise<Result<Exchange, SendError>>,
    pub cancel: CancelHandle,
}

impl SendHandle {
    pub fn cancel(&self) {
        self.cancel.cancel();
    }
}

/// Sends the result exactly once, even if the task is dropped or panics.
struct ResultSlot {
    sender: Option<poll_promise::Sender<Result<Exchange, SendError>>>,
    on_finished: Option<Box<dyn FnOnce() + Send>>,
}

impl ResultSlot {
    fn send(&mut self, result: Result<Exchange, SendError>) {
        if let Some(sender) = self.sender.take() {
            sender.send(result);
            if let Some(done) = self.on_finished.take() {
                done();
            }
        }
    }
}

impl Drop for ResultSlot {
    fn drop(&mut self) {
        self.send(Err(SendError::Internal("the send stopped before it had a result".into())));
    }
}

struct Config {
    settings: Arc<Settings>,
    route: Result<Arc<ProxyRoute>, SendError>,
    guard: Arc<dyn SendGuard>,
}

/// The configuration one send works with, taken at its start.
struct Snapshot {
    settings: Arc<Settings>,
    route: Result<Arc<ProxyRoute>, SendError>,
    guard: Arc<dyn SendGuard>,
}

struct Inner {
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
    handle: tokio::runtime::Handle,
    config: RwLock<Config>,
    clients: Mutex<ClientCache>,
    cookies: CookieJars,
    tokens: TokenCache,
    options: EngineOptions,
    history: HistoryWriter,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Dropping a runtime inside async code panics; shutting down in the background does not.
        if let Ok(mut rt) = self.runtime.lock()
            && let Some(rt) = rt.take()
        {
            rt.shutdown_background();
        }
    }
}

/// The HTTP engine. Cheap to clone (shared state); see the [module docs](super).
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("options", &self.inner.options).finish_non_exhaustive()
    }
}

fn read_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Engine {
    /// An engine with its own runtime, sending with `settings`.
    pub fn new(settings: Settings) -> Result<Self, SendError> {
        Self::with_options(settings, EngineOptions::default())
    }

    pub fn with_options(settings: Settings, options: EngineOptions) -> Result<Self, SendError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(options.worker_threads.max(1))
            .thread_name("localpost-http")
            .enable_all()
            .build()
            .map_err(|e| SendError::Internal(format!("cannot start the network runtime: {e}")))?;
        let handle = runtime.handle().clone();
        let route = ProxyRoute::from_setting(&settings.proxy, read_env).map(Arc::new);
        Ok(Self {
            inner: Arc::new(Inner {
                runtime: Mutex::new(Some(runtime)),
                handle,
                config: RwLock::new(Config {
                    settings: Arc::new(settings),
                    route,
                    guard: Arc::new(AllowAll),
                }),
                clients: Mutex::new(ClientCache::default()),
                cookies: CookieJars::default(),
                tokens: TokenCache::default(),
                options,
                history: HistoryWriter::new(),
            }),
        })
    }

    /// The engine's runtime: the runner spawns its tasks here and awaits [`Self::execute`].
    pub fn runtime(&self) -> &tokio::runtime::Handle {
        &self.inner.handle
    }

    /// Replaces the settings; clients are rebuilt on the next send.
    pub fn set_settings(&self, settings: Settings) {
        let route = ProxyRoute::from_setting(&settings.proxy, read_env).map(Arc::new);
        if let Ok(mut config) = self.inner.config.write() {
            config.settings = Arc::new(settings);
            config.route = route;
        }
        if let Ok(mut clients) = self.inner.clients.lock() {
            clients.clear();
        }
    }

    pub fn settings(&self) -> Arc<Settings> {
        self.inner.config.read().map(|c| Arc::clone(&c.settings)).unwrap_or_default()
    }

    /// Installs the policy hook consulted before every connection. Clients are rebuilt: their
    /// resolvers ask the guard too.
    pub fn set_guard(&self, guard: Arc<dyn SendGuard>) {
        if let Ok(mut config) = self.inner.config.write() {
            config.guard = guard;
        }
        if let Ok(mut clients) = self.inner.clients.lock() {
            clients.clear();
        }
    }

    fn snapshot(&self) -> Snapshot {
        match self.inner.config.read() {
            Ok(c) => Snapshot {
                settings: Arc::clone(&c.settings),
                route: c.route.clone(),
                guard: Arc::clone(&c.guard),
            },
            Err(_) => Snapshot {
                settings: Arc::new(Settings::default()),
                route: Err(SendError::Internal("settings lock poisoned".into())),
                guard: Arc::new(AllowAll),
            },
        }
    }

    // ---- cookies -------------------------------------------------------------------------------

    /// The cookies of a workspace (`None`: scratch sends), expired ones dropped.
    /// The cookies the jar would send to `url` (`pm.cookies`), as name and value.
    pub fn cookies_for(&self, ws: Option<WorkspaceId>, url: &Url) -> Vec<(String, String)> {
        self.inner
            .cookies
            .header_for(ws, url)
            .map(|h| {
                h.split("; ")
                    .filter_map(|pair| pair.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn cookie_jar(&self, ws: Option<WorkspaceId>) -> CookieJar {
        self.inner.cookies.snapshot(ws)
    }

    /// Replaces a workspace's jar (after loading it with `Store::load_cookies`).
    pub fn set_cookie_jar(&self, ws: Option<WorkspaceId>, jar: CookieJar) {
        self.inner.cookies.replace(ws, jar);
    }

    /// Adds or edits a cookie (same name, domain and path replace).
    pub fn upsert_cookie(&self, ws: Option<WorkspaceId>, cookie: Cookie) {
        self.inner.cookies.upsert(ws, cookie);
    }

    /// Deletes a cookie; returns whether it existed.
    pub fn remove_cookie(&self, ws: Option<WorkspaceId>, name: &str, domain: &str, path: &str) -> bool {
        self.inner.cookies.remove(ws, name, domain, path)
    }

    /// Deletes the cookies of `domain` (and subdomains), or all of them.
    pub fn clear_cookies(&self, ws: Option<WorkspaceId>, domain: Option<&str>) {
        self.inner.cookies.clear(ws, domain);
    }

    /// Forgets every cached OAuth 2.0 token.
    pub fn clear_token_cache(&self) {
        self.inner.tokens.clear();
    }

    // ---- sending -------------------------------------------------------------------------------

    /// Sends on the engine's runtime. The promise always resolves; `options.on_finished` runs
    /// right after. When `options.history_dir` is set the send is appended to that history,
    /// off the caller's thread.
    pub fn send(&self, prepared: PreparedRequest, options: SendOptions) -> SendHandle {
        let (sender, promise) = Promise::new();
        let mut slot = ResultSlot { sender: Some(sender), on_finished: options.on_finished };
        let token = CancellationToken::new();
        let cancel = token.clone();
        let engine = self.clone();
        let history_dir = options.history_dir;
        self.inner.handle.spawn(async move {
            let started_at = OffsetDateTime::now_utc();
            let run = AssertUnwindSafe(engine.execute(&prepared)).catch_unwind();
            let result = tokio::select! {
                biased;
                () = token.cancelled() => Err(SendError::Cancelled),
                outcome = run => outcome.unwrap_or_else(|_| Err(SendError::Internal("the send panicked".into()))),
            };
            if let Some(dir) = history_dir {
                let _ = engine.record_history(dir, &prepared, &result, started_at);
            }
            slot.send(result);
        });
        SendHandle { promise, cancel: CancelHandle(cancel) }
    }

    /// Sends and waits, for callers outside the runtime (the command line). Not for the UI
    /// thread.
    pub fn send_blocking(&self, prepared: &PreparedRequest) -> Result<Exchange, SendError> {
        self.inner.handle.block_on(self.execute(prepared))
    }

    /// The history entry of a send's outcome, or `None` when nothing went on the wire
    /// (cancelled, refused before sending).
    pub fn history_entry(
        &self,
        prepared: &PreparedRequest,
        result: &Result<Exchange, SendError>,
        started_at: OffsetDateTime,
    ) -> Option<HistoryEntry> {
        self.entry_with(prepared, result, started_at, &self.settings())
    }

    fn entry_with(
        &self,
        prepared: &PreparedRequest,
        result: &Result<Exchange, SendError>,
        started_at: OffsetDateTime,
        settings: &Settings,
    ) -> Option<HistoryEntry> {
        let mut entry = match result {
            Ok(exchange) => exchange.to_history_entry(settings),
            Err(SendError::Cancelled) => return None,
            Err(e) if e.is_before_sending() => return None,
            Err(e) => failed_history_entry(prepared, e, started_at, settings),
        };
        // What reopening the entry sends again: templates, never a secret nor a redaction mark.
        if let Some((written, incomplete)) = prepared.redactions.strip_request(&prepared.source) {
            entry.written = Some(Box::new(written));
            entry.written_incomplete = incomplete;
        }
        Some(entry)
    }

    /// Appends a send to the history in `ws_dir` (see
    /// [`crate::storage::Store::workspace_dir`]) on the engine's history thread, which also
    /// prunes it to the settings' limits now and then. The entry is redacted and capped here
    /// (no disk access unless the history cap exceeds the spill threshold); the write happens
    /// on the history thread. Returns at once; the ticket may be waited on or dropped. `None` when there is nothing to record (cancelled, refused before
    /// sending). A failure is also kept for [`Self::last_history_error`].
    pub fn record_history(
        &self,
        ws_dir: PathBuf,
        prepared: &PreparedRequest,
        result: &Result<Exchange, SendError>,
        started_at: OffsetDateTime,
    ) -> Option<HistoryTicket> {
        let settings = self.settings();
        let entry = self.entry_with(prepared, result, started_at, &settings)?;
        let (done, ticket) = tokio::sync::oneshot::channel();
        self.inner.history.submit(Job { ws_dir, entry, settings, done: Some(done) });
        Some(HistoryTicket(ticket))
    }

    /// The last failure to write history, if any (taken: asking again returns `None`).
    pub fn last_history_error(&self) -> Option<String> {
        self.inner.history.last_error.lock().ok().and_then(|mut e| e.take())
    }

    /// Sends `prepared` and reads the whole response. Await it on [`Self::runtime`] (the
    /// runner's entry point); it records no history (see [`Self::record_history`]).
    pub async fn execute(&self, prepared: &PreparedRequest) -> Result<Exchange, SendError> {
        let Snapshot { settings, route, guard } = self.snapshot();
        if let Some(reason) = guard.sending_blocked() {
            return Err(SendError::Policy { rule: reason });
        }
        let route = route?;
        let verify_tls = prepared.settings.verify_tls.unwrap_or(settings.verify_tls);
        if !verify_tls && !guard.allow_tls_bypass() {
            return Err(SendError::Policy { rule: guard.tls_bypass_refusal() });
        }
        let timeout_ms = prepared.settings.timeout_ms.unwrap_or(settings.request_timeout_ms);
        let transfer = Transfer {
            engine: self,
            settings: &settings,
            route: &route,
            guard: &*guard,
            guard_arc: &guard,
            verify_tls,
        };
        let run = transfer.run(prepared);
        if timeout_ms == 0 {
            return run.await;
        }
        match tokio::time::timeout(Duration::from_millis(timeout_ms), run).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Timeout {
                host: host_port(&prepared.url),
                phase: TimeoutPhase::Total,
                after_ms: timeout_ms,
            }),
        }
    }

    fn client(
        &self,
        settings: &Settings,
        route: &Arc<ProxyRoute>,
        guard: &Arc<dyn SendGuard>,
        url: &Url,
        verify_tls: bool,
    ) -> Result<reqwest::Client, SendError> {
        let key = ClientKey { verify_tls, certificate: certificate_for(settings, url) };
        let mut clients = self
            .inner
            .clients
            .lock()
            .map_err(|_| SendError::Internal("client cache lock poisoned".into()))?;
        clients.get(settings, route, guard, key)
    }
}

/// Whose response size limit applies when it is the user's own.
const OWN_LIMIT: &str = "Settings → Largest response kept";

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

fn version_text(v: reqwest::Version) -> String {
    match v {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_11 => "HTTP/1.1",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP",
    }
    .to_owned()
}

fn headers_of(map: &HeaderMap) -> Vec<Header> {
    map.iter().map(|(k, v)| Header::new(k.as_str(), String::from_utf8_lossy(v.as_bytes()))).collect()
}

/// Where an NTLM handshake is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NtlmStep {
    /// The request went without credentials.
    Plain,
    /// The negotiate message (type 1) went.
    Negotiated,
    /// The authenticate message (type 3) went: the next response is the answer.
    Authenticated,
}

/// Reads and drops a refused response's body (up to 1 MiB), so that its connection goes back to
/// the pool for the next message of a handshake; a longer body closes the connection instead.
async fn drain(mut resp: reqwest::Response) {
    let mut read = 0usize;
    while let Ok(Some(chunk)) = resp.chunk().await {
        read += chunk.len();
        if read > 1 << 20 {
            break;
        }
    }
}

/// Signs one attempt with Akamai EdgeGrid: the hop's URL, its headers as the user wrote them (no
/// cookies from the jar) and, for a POST, the start of its body, as Postman signs.
async fn sign_edgegrid(
    eg: &crate::model::EdgeGridAuth,
    hop: &Hop,
    headers: &mut Vec<Header>,
) -> Result<(), SendError> {
    use super::auth::edgegrid;
    let max = edgegrid::max_body(eg);
    let body = if hop.method == reqwest::Method::POST {
        super::body::body_head(&hop.body, max).await?
    } else {
        None
    };
    let pairs: Vec<(String, String)> =
        hop.headers.iter().map(|h| (h.name.clone(), h.value.clone())).collect();
    let nonce = if eg.nonce.is_empty() { uuid::Uuid::new_v4().to_string() } else { eg.nonce.clone() };
    let timestamp = if eg.timestamp.is_empty() {
        edgegrid::timestamp(std::time::SystemTime::now())
    } else {
        eg.timestamp.clone()
    };
    let signed = edgegrid::Signed {
        method: hop.method.as_str(),
        url: &hop.url,
        headers: &pairs,
        body: body.as_deref(),
        timestamp: &timestamp,
        nonce: &nonce,
    };
    headers.retain(|h| !h.name.eq_ignore_ascii_case("authorization"));
    if let Some(value) = edgegrid::authorization(eg, &signed) {
        headers.push(Header::new("Authorization", value));
    }
    Ok(())
}

fn set_header(headers: &mut Vec<Header>, name: &str, value: String) {
    headers.retain(|h| !h.name.eq_ignore_ascii_case(name));
    headers.push(Header::new(name, value));
}

/// One send in progress.
struct Transfer<'a> {
    engine: &'a Engine,
    settings: &'a Settings,
    route: &'a Arc<ProxyRoute>,
    guard: &'a dyn SendGuard,
    /// The same guard, shared with the clients' resolvers.
    guard_arc: &'a Arc<dyn SendGuard>,
    verify_tls: bool,
}

/// The request of one hop.
struct Hop {
    method: reqwest::Method,
    url: Url,
    headers: Vec<Header>,
    body: PreparedBody,
}

impl Transfer<'_> {
    fn site<'s>(&'s self, url: &'s Url) -> ErrorSite<'s> {
        ErrorSite {
            url,
            proxy: self.route.proxy_for(url),
            connect_timeout_ms: self.settings.connect_timeout_ms,
            total_timeout_ms: self.settings.request_timeout_ms,
        }
    }

    /// Asks the guard before a connection to `url`: its rules on the URL, and, when a proxy
    /// will resolve the name, on the addresses it resolves to here (see [`super::resolve`]).
    async fn check(&self, url: &Url) -> Result<(), SendError> {
        self.guard.check_url(url).map_err(|rule| SendError::Policy { rule })?;
        if self.route.proxy_for(url).is_some()
            && let Some(host) = url.host_str()
        {
            super::resolve::check_name(self.guard, host).await.map_err(|rule| SendError::Policy { rule })?;
        }
        Ok(())
    }

    async fn run(&self, prepared: &PreparedRequest) -> Result<Exchange, SendError> {
        let started = Instant::now();
        let started_at = OffsetDateTime::now_utc();
        let inner = &self.engine.inner;
        let ws = prepared.workspace;
        let follow = prepared.settings.follow_redirects.unwrap_or(self.settings.follow_redirects);
        let max_redirects = prepared.settings.max_redirects.unwrap_or(self.settings.max_redirects);
        let keep_method = prepared.settings.follow_original_method.unwrap_or(false);

        // OAuth 2.0: a cached or fresh token before the first hop.
        let mut timing = Timing::default();
        let mut auth_header: Option<String> = None;
        let mut oauth_cached = false;
        if let PendingAuth::OAuth2(cfg) = &prepared.auth {
            let t = Instant::now();
            let (header, cached) = self.oauth_header(cfg, prepared, false).await?;
            timing.auth = t.elapsed();
            auth_header = Some(header);
            oauth_cached = cached;
        }
        let mut auth_active = true;
        let mut digest_tried = false;
        let mut ntlm_step = NtlmStep::Plain;
        let mut oauth_retried = false;
        let mut cookies_changed = false;
        let mut redirects: Vec<RedirectHop> = Vec::new();
        let mut hop = Hop {
            method: prepared.method.clone(),
            url: prepared.url.clone(),
            headers: prepared.headers.clone(),
            body: prepared.body.clone(),
        };
        if let (PendingAuth::Digest(creds), true) = (&prepared.auth, auth_active)
            && let Some(challenge) = digest::pinned_challenge(creds)
        {
            auth_header = Some(self.digest_answer(&challenge, creds, &hop)?);
        }

        loop {
            self.check(&hop.url).await?;
            let site = self.site(&hop.url);
            let client =
                self.engine.client(self.settings, self.route, self.guard_arc, &hop.url, self.verify_tls)?;

            // Headers of this attempt: the hop's, cookies, auth.
            let mut headers = hop.headers.clone();
            if let Some(jar_cookies) = inner.cookies.header_for(ws, &hop.url) {
                match headers.iter_mut().find(|h| h.name.eq_ignore_ascii_case("cookie")) {
                    Some(h) if !h.value.is_empty() => h.value = format!("{}; {jar_cookies}", h.value),
                    Some(h) => h.value = jar_cookies,
                    None => headers.push(Header::new("Cookie", jar_cookies)),
                }
            }
            if auth_active {
                if let Some(value) = &auth_header {
                    set_header(&mut headers, "Authorization", value.clone());
                }
                if let PendingAuth::AwsSigV4(aws) = &prepared.auth {
                    self.sign_aws(aws, &hop, &mut headers, &prepared.source.headers).await?;
                }
                if let PendingAuth::EdgeGrid(eg) = &prepared.auth {
                    sign_edgegrid(eg, &hop, &mut headers).await?;
                }
            }

            let wire = wire_body(&hop.body).await?;
            let is_multipart = wire.multipart.is_some();
            let mut builder = client.request(hop.method.clone(), hop.url.clone());
            if let Some(form) = wire.multipart {
                builder = builder.multipart(form);
            } else if let Some(body) = wire.body {
                builder = builder.body(body);
            }
            let mut req = builder.build().map_err(|e| classify(&e, &site))?;
            if is_multipart {
                let generated =
                    req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                let boundary = generated.split("boundary=").nth(1).unwrap_or("").to_owned();
                let media = crate::model::find_header(&headers, "content-type")
                    .map(|ct| ct.split(';').next().unwrap_or("").trim().to_owned())
                    .filter(|m| m.to_ascii_lowercase().starts_with("multipart/"))
                    .unwrap_or_else(|| "multipart/form-data".to_owned());
                set_header(&mut headers, "Content-Type", format!("{media}; boundary={boundary}"));
                if let Some(len) = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()) {
                    set_header(&mut headers, "Content-Length", len.to_owned());
                }
            } else if let Some(len) = wire.length
                && crate::model::find_header(&headers, "content-length").is_none()
            {
                headers.push(Header::new("Content-Length", len.to_string()));
            } else if matches!(hop.body, PreparedBody::None)
                && !["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"].contains(&hop.method.as_str())
                && crate::model::find_header(&headers, "content-length").is_none()
            {
                // A POST, PUT... with no body says so (as Postman, curl and browsers do; some
                // servers answer 411 Length Required otherwise).
                headers.push(Header::new("Content-Length", "0"));
            }
            let mut map = HeaderMap::with_capacity(headers.len());
            for h in &headers {
                let (Ok(name), Ok(value)) =
                    (HeaderName::from_bytes(h.name.as_bytes()), HeaderValue::from_bytes(h.value.as_bytes()))
                else {
                    return Err(SendError::InvalidHeader {
                        name: h.name.clone(),
                        reason: "not a valid header".into(),
                    });
                };
                map.append(name, value);
            }
            *req.headers_mut() = map;
            let mut sent = sent_request(&hop.method, &hop.url, &headers, &hop.body);
            if is_multipart {
                sent.body_size_bytes = crate::model::find_header(&headers, "content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
            } else if let (PreparedBody::File(_), Some(len)) = (&hop.body, wire.length) {
                sent.body_size_bytes = len;
            }

            let hop_start = Instant::now();
            let resp = client.execute(req).await.map_err(|e| classify(&e, &site))?;
            let first_byte = hop_start.elapsed();
            let status = resp.status().as_u16();
            let resp_headers = headers_of(resp.headers());
            let set_cookie: Vec<&str> = resp
                .headers()
                .get_all(reqwest::header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            let cookies = inner.cookies.store(ws, &hop.url, &set_cookie);
            cookies_changed |= !cookies.is_empty();

            // Digest: answer the challenge once per hop.
            if status == 401
                && auth_active
                && !digest_tried
                && let PendingAuth::Digest(creds) = &prepared.auth
            {
                let values: Vec<&str> = resp
                    .headers()
                    .get_all(reqwest::header::WWW_AUTHENTICATE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                let challenges = digest::digest_challenges(&values);
                if let Some(challenge) = digest::choose(&challenges, &creds.algorithm) {
                    auth_header = Some(self.digest_answer(challenge, creds, &hop)?);
                    digest_tried = true;
                    drop(resp);
                    continue;
                }
            }
            // NTLM: a server that asks is answered on the same connection, negotiate then
            // authenticate (the refused response's body is read so the connection is kept).
            if matches!(status, 401 | 403)
                && auth_active
                && let PendingAuth::Ntlm(cfg) = &prepared.auth
                && !cfg.disable_retry
            {
                let values: Vec<String> = resp
                    .headers()
                    .get_all(reqwest::header::WWW_AUTHENTICATE)
                    .iter()
                    .filter_map(|v| v.to_str().ok().map(str::to_owned))
                    .collect();
                let id = ntlm::Identity::of(cfg);
                let next = match ntlm_step {
                    NtlmStep::Plain
                        if ntlm::offers_ntlm(&values.iter().map(String::as_str).collect::<Vec<_>>()) =>
                    {
                        Some((ntlm::negotiate(&id), NtlmStep::Negotiated))
                    }
                    NtlmStep::Negotiated => {
                        let challenge = values.iter().find(|v| v.starts_with("NTLM ")).ok_or_else(|| {
                            SendError::InvalidField {
                                field: "NTLM auth".into(),
                                reason: format!("{} answered the negotiate message without an NTLM challenge (HTTP {status})", hop.url.host_str().unwrap_or("the server")),
                            }
                        })?;
                        let challenge = ntlm::parse_challenge(challenge).map_err(|reason| {
                            SendError::InvalidField { field: "NTLM auth".into(), reason }
                        })?;
                        let mut client = [0u8; 8];
                        client.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[..8]);
                        let now_ms = std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
                        Some((ntlm::authenticate(&id, &challenge, client, now_ms), NtlmStep::Authenticated))
                    }
                    _ => None,
                };
                if let Some((header, step)) = next {
                    auth_header = Some(header);
                    ntlm_step = step;
                    drain(resp).await;
                    continue;
                }
            }
            // OAuth 2.0: a cached token the server refuses is fetched anew, once.
            if status == 401
                && auth_active
                && oauth_cached
                && !oauth_retried
                && let PendingAuth::OAuth2(cfg) = &prepared.auth
            {
                oauth_retried = true;
                inner.tokens.remove(&oauth2::cache_key(prepared.environment, cfg));
                let (header, _) = self.oauth_header(cfg, prepared, true).await?;
                auth_header = Some(header);
                drop(resp);
                continue;
            }

            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if follow
                && matches!(status, 301 | 302 | 303 | 307 | 308)
                && let Some(location) = location
            {
                let next = hop.url.join(&location).map_err(|e| SendError::InvalidUrl {
                    url: location.clone(),
                    reason: format!("the server redirected to an invalid address: {e}"),
                })?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(SendError::UnsupportedScheme {
                        scheme: next.scheme().to_owned(),
                        url: next.to_string(),
                    });
                }
                if redirects.len() as u32 >= max_redirects {
                    return Err(SendError::TooManyRedirects { max: max_redirects, url: next.to_string() });
                }
                redirects.push(RedirectHop {
                    request: sent,
                    status,
                    headers: resp_headers,
                    location: next.to_string(),
                    elapsed: hop_start.elapsed(),
                });
                drop(resp);
                let to_get = status == 303 && hop.method != reqwest::Method::HEAD
                    || matches!(status, 301 | 302) && hop.method == reqwest::Method::POST && !keep_method;
                if to_get {
                    hop.method = reqwest::Method::GET;
                    hop.body = PreparedBody::None;
                    hop.headers.retain(|h| {
                        !["content-type", "content-length", "content-encoding"]
                            .iter()
                            .any(|n| h.name.eq_ignore_ascii_case(n))
                    });
                }
                if !same_origin(&hop.url, &next) {
                    // Credentials stay with the origin they were meant for (as curl and browsers).
                    auth_active = false;
                    hop.headers.retain(|h| {
                        !h.name.eq_ignore_ascii_case("authorization")
                            && !h.name.eq_ignore_ascii_case("cookie")
                            && !prepared.redactions.header_names.contains(&h.name.to_ascii_lowercase())
                    });
                }
                // The next request names the one redirected from, as Postman does (not from an
                // https page to an http one, as browsers).
                if !(hop.url.scheme() == "https" && next.scheme() == "http") {
                    let mut referer = hop.url.clone();
                    referer.set_fragment(None);
                    let _ = referer.set_username("");
                    let _ = referer.set_password(None);
                    set_header(&mut hop.headers, "Referer", referer.to_string());
                }
                hop.url = next;
                digest_tried = false;
                if matches!(prepared.auth, PendingAuth::Ntlm(_)) {
                    ntlm_step = NtlmStep::Plain;
                    auth_header = None;
                }
                continue;
            }

            // The final response.
            let before_final = hop_start.duration_since(started);
            let version = version_text(resp.version());
            let remote_addr = resp.remote_addr();
            let reason = resp.status().canonical_reason().unwrap_or("").to_owned();
            let url = hop.url.to_string();
            let own = Some(self.settings.max_response_size_bytes).filter(|m| *m > 0);
            let (max_bytes, max_set_by) = match (own, self.guard.max_response_size_bytes()) {
                (Some(own), Some(policy)) if own < policy => (Some(own), OWN_LIMIT.to_owned()),
                (_, Some(policy)) => (Some(policy), self.guard.max_response_size_rule()),
                (own, None) => (own, OWN_LIMIT.to_owned()),
            };
            let limits = ReadLimits {
                max_bytes,
                max_set_by,
                spill_threshold_bytes: inner.options.spill_threshold_bytes,
                spill_dir: inner.options.spill_dir.as_deref(),
            };
            let download_start = Instant::now();
            let (body, wire_size, encoding) = if hop.method == reqwest::Method::HEAD {
                (ResponseBody::empty(), 0, None)
            } else {
                read_body(resp, &limits, &site).await?
            };
            timing.download = download_start.elapsed();
            timing.first_byte = first_byte;
            timing.before_final = before_final;
            timing.total = started.elapsed();
            return Ok(Exchange {
                request_id: prepared.request_id,
                name: prepared.name.clone(),
                started_at,
                request: sent,
                response: Response {
                    status,
                    reason,
                    http_version: version,
                    remote_addr,
                    headers: resp_headers,
                    cookies,
                    body,
                    wire_size_bytes: wire_size,
                    content_encoding: encoding,
                    url,
                },
                redirects,
                timing,
                cookies_changed,
                redactions: prepared.redactions.clone(),
            });
        }
    }

    fn digest_answer(
        &self,
        challenge: &digest::Challenge,
        creds: &crate::model::DigestAuth,
        hop: &Hop,
    ) -> Result<String, SendError> {
        let mut uri = hop.url.path().to_owned();
        if let Some(q) = hop.url.query() {
            uri.push('?');
            uri.push_str(q);
        }
        let body = match &hop.body {
            PreparedBody::Bytes(b) => Some(&b[..]),
            PreparedBody::None => Some(&[][..]),
            _ => None,
        };
        let cnonce =
            if creds.client_nonce.is_empty() { digest::new_cnonce() } else { creds.client_nonce.clone() };
        let nc = u32::from_str_radix(creds.nonce_count.trim(), 16).unwrap_or(1).max(1);
        digest::authorization(challenge, creds, hop.method.as_str(), &uri, body, &cnonce, nc)
            .map_err(|reason| SendError::InvalidField { field: "digest auth".into(), reason })
    }

    /// Signs with AWS Signature v4 as Postman does: the headers the user wrote, `host` and the
    /// `X-Amz-*` ones; not those Localpost adds (`Accept`, a default `Content-Type`...), which
    /// Postman adds after signing.
    async fn sign_aws(
        &self,
        aws: &crate::model::AwsSigV4Auth,
        hop: &Hop,
        headers: &mut Vec<Header>,
        written: &[crate::model::KeyValue],
    ) -> Result<(), SendError> {
        let payload = match super::body::body_sha256(&hop.body).await? {
            Some(hash) => hash,
            None => sigv4::UNSIGNED_PAYLOAD.to_owned(),
        };
        let date = sigv4::amz_date(OffsetDateTime::now_utc());
        set_header(headers, "X-Amz-Date", date.clone());
        if !aws.session_token.is_empty() {
            set_header(headers, "X-Amz-Security-Token", aws.session_token.clone());
        }
        // The body's hash goes in a header when there is a body (as Postman), and always for S3.
        let has_body = !matches!(hop.body, PreparedBody::None);
        if has_body || aws.service.eq_ignore_ascii_case("s3") {
            set_header(headers, "X-Amz-Content-Sha256", payload.clone());
        }
        let by_user =
            |name: &str| written.iter().any(|kv| kv.enabled && kv.key.trim().eq_ignore_ascii_case(name));
        let pairs: Vec<(String, String)> = headers
            .iter()
            .filter(|h| h.name.to_ascii_lowercase().starts_with("x-amz-") || by_user(&h.name))
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        let creds = sigv4::Credentials {
            access_key: &aws.access_key,
            secret_key: &aws.secret_key,
            region: &aws.region,
            service: &aws.service,
        };
        let signature = sigv4::sign(&creds, hop.method.as_str(), &hop.url, &pairs, &payload, &date);
        set_header(headers, "Authorization", signature.authorization);
        Ok(())
    }

    /// `Authorization` for an OAuth 2.0 request, and whether it came from the cache.
    async fn oauth_header(
        &self,
        cfg: &crate::model::OAuth2Auth,
        prepared: &PreparedRequest,
        force_new: bool,
    ) -> Result<(String, bool), SendError> {
        let prefix = if cfg.header_prefix.is_empty() { "Bearer" } else { cfg.header_prefix.as_str() };
        let key = oauth2::cache_key(prepared.environment, cfg);
        let tokens = &self.engine.inner.tokens;
        let now = Instant::now();
        let cached = if force_new { None } else { tokens.get(&key) };
        if let Some(token) = &cached
            && token.is_fresh(now)
        {
            return Ok((format!("{prefix} {}", token.access_token), true));
        }
        let refreshed = match cached.and_then(|t| t.refresh_token) {
            Some(refresh) => self.fetch_token(cfg, Some(&refresh)).await.ok(),
            None => None,
        };
        let token = match refreshed {
            Some(t) => t,
            None => self.fetch_token(cfg, None).await?,
        };
        let header = format!("{prefix} {}", token.access_token);
        tokens.put(key, token);
        Ok((header, false))
    }

    async fn fetch_token(
        &self,
        cfg: &crate::model::OAuth2Auth,
        refresh: Option<&str>,
    ) -> Result<oauth2::Token, SendError> {
        let url_text = cfg.access_token_url.trim();
        let fail = |detail: String| SendError::OAuth { url: url_text.to_owned(), detail };
        let url = super::url_build::build(url_text, &[], &[])?;
        self.check(&url).await?;
        let site = self.site(&url);
        let client = self.engine.client(self.settings, self.route, self.guard_arc, &url, self.verify_tls)?;
        let (form, basic) = oauth2::token_request(cfg, refresh);
        let body = {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &form {
                ser.append_pair(k, v);
            }
            ser.finish()
        };
        let mut req = client
            .post(url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, super::added::USER_AGENT)
            .body(body);
        if let Some(basic) = basic {
            req = req.header(reqwest::header::AUTHORIZATION, basic);
        }
        let resp = req.send().await.map_err(|e| fail(classify(&e, &site).to_string()))?;
        let status = resp.status().as_u16();
        let limits = ReadLimits {
            max_bytes: Some(1024 * 1024),
            max_set_by: "token responses are at most 1 MiB".into(),
            spill_threshold_bytes: 1024 * 1024,
            spill_dir: None,
        };
        let (bytes, _, _) = read_body(resp, &limits, &site).await.map_err(|e| fail(e.to_string()))?;
        let bytes = bytes.bytes().cloned().unwrap_or_default();
        oauth2::parse_token_response(status, &bytes, Instant::now()).map_err(fail)
    }
}

/// The request of an exchange as it will be stored in history (redacted), for callers that
/// keep their own records (the runner).
pub fn redacted_request(exchange: &Exchange) -> SentRequest {
    exchange.redactions.apply(&exchange.request)
}
