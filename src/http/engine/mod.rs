//! [`Engine`]: owns the tokio runtime, the reqwest clients, the cookie jars and the OAuth 2.0
//! token cache, and turns a [`PreparedRequest`] into an [`Exchange`].

mod auth_flow;
mod transfer;

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use futures_util::FutureExt as _;
use poll_promise::Promise;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::auth::oauth2::TokenCache;
use super::client::{ClientCache, ClientKey, ProxyRoute, certificate_for};
use super::cookies::CookieJars;
use super::error::{SendError, TimeoutPhase, host_port};
use super::guard::{AllowAll, SendGuard};
use super::live::{BodyListener, LiveBody, StopHandle};
use super::prepare::PreparedRequest;
use super::response::{Exchange, failed_history_entry};
use crate::model::{Cookie, CookieJar, HistoryEntry, SentRequest, Settings, WorkspaceId};
use transfer::Transfer;

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
    /// Called once the promise is ready (success, failure or cancellation), from the engine's
    /// thread: the UI passes a closure calling `ctx.request_repaint()`.
    pub on_finished: Option<Box<dyn FnOnce() + Send>>,
    /// Hears the final head, each decoded chunk and the end of the body as they arrive, from the
    /// engine's thread; it must return quickly and never block (see [`crate::http::LiveEvent`]).
    pub on_body: Option<BodyListener>,
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
    /// Ends the body where it is (the promise resolves with what arrived, marked stopped);
    /// before the head, the same as cancel.
    pub stop: StopHandle,
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

/// What a WebSocket connection works with (see [`Engine::ws_context`]).
pub(in crate::http) struct WsContext<'a> {
    pub settings: Arc<Settings>,
    pub route: Result<Arc<ProxyRoute>, SendError>,
    pub guard: Arc<dyn SendGuard>,
    pub cookies: &'a CookieJars,
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

    /// What a WebSocket connection works with: the settings, the proxy route and the guard in
    /// force now, and the cookie jars (see [`crate::http::ws`]).
    pub(in crate::http) fn ws_context(&self) -> WsContext<'_> {
        let Snapshot { settings, route, guard } = self.snapshot();
        WsContext { settings, route, guard, cookies: &self.inner.cookies }
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

    /// Deletes the cookies stored for exactly `domain`, or all of them.
    pub fn clear_cookies(&self, ws: Option<WorkspaceId>, domain: Option<&str>) {
        self.inner.cookies.clear(ws, domain);
    }

    /// Forgets every cached OAuth 2.0 token.
    pub fn clear_token_cache(&self) {
        self.inner.tokens.clear();
    }

    // ---- sending -------------------------------------------------------------------------------

    /// Sends on the engine's runtime. The promise always resolves; `options.on_finished` runs
    /// right after. Nothing is recorded: the caller makes the history entry
    /// ([`Self::history_entry`]) and stores it.
    pub fn send(&self, prepared: PreparedRequest, options: SendOptions) -> SendHandle {
        let (sender, promise) = Promise::new();
        let mut slot = ResultSlot { sender: Some(sender), on_finished: options.on_finished };
        let token = CancellationToken::new();
        let cancel = token.clone();
        let stop = StopHandle::new(token.clone());
        let mut live = LiveBody::new(options.on_body, stop.clone());
        let engine = self.clone();
        self.inner.handle.spawn(async move {
            let run = AssertUnwindSafe(engine.execute_live(&prepared, &mut live)).catch_unwind();
            let result = tokio::select! {
                biased;
                () = token.cancelled() => Err(SendError::Cancelled),
                outcome = run => outcome.unwrap_or_else(|_| Err(SendError::Internal("the send panicked".into()))),
            };
            slot.send(result);
        });
        SendHandle { promise, cancel: CancelHandle(cancel), stop }
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
        let settings = self.settings();
        let mut entry = match result {
            Ok(exchange) => exchange.to_history_entry(&settings),
            Err(SendError::Cancelled) => return None,
            Err(e) if e.is_before_sending() => return None,
            Err(e) => failed_history_entry(prepared, e, started_at, &settings),
        };
        // What reopening the entry sends again: templates, never a secret nor a redaction mark.
        if let Some((written, incomplete)) = prepared.redactions.strip_request(&prepared.source) {
            entry.written = Some(Box::new(written));
            entry.written_incomplete = incomplete;
        }
        Some(entry)
    }

    /// Sends `prepared` and reads the whole response. Await it on [`Self::runtime`] (the
    /// runner's entry point); it records no history (see [`Self::history_entry`]).
    pub async fn execute(&self, prepared: &PreparedRequest) -> Result<Exchange, SendError> {
        self.execute_live(prepared, &mut LiveBody::none()).await
    }

    /// [`Self::execute`], telling `live` about the body as it arrives.
    async fn execute_live(
        &self,
        prepared: &PreparedRequest,
        live: &mut LiveBody,
    ) -> Result<Exchange, SendError> {
        let Snapshot { settings, route, guard } = self.snapshot();
        if let Some(reason) = guard.sending_blocked() {
            return Err(SendError::Policy { rule: reason });
        }
        // A ws:// or wss:// URL is a WebSocket request: `connect_ws` opens it, not a send.
        if matches!(prepared.url.scheme(), "ws" | "wss") {
            return Err(SendError::UnsupportedScheme {
                scheme: prepared.url.scheme().to_owned(),
                url: prepared.url.to_string(),
            });
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
        let run = transfer.run(prepared, live);
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

/// The request of an exchange as it will be stored in history (redacted), for callers that
/// keep their own records (the runner).
pub fn redacted_request(exchange: &Exchange) -> SentRequest {
    exchange.redactions.apply(&exchange.request)
}
