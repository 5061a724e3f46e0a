//! WebSocket connections: a [`PreparedRequest`] with a `ws://` or `wss://` URL in, a live
//! [`WsHandle`] out.
//!
//! # The life of a connection
//!
//! ```text
//! PreparedRequest ──Engine::connect_ws()──▶ WsHandle ──drain()──▶ WsEvent (Connecting, Opened,
//!  (prepare() as for HTTP:                 (send, close,          Message, Closed, Error)
//!   variables, query, headers, auth)        state)                        │
//!                                                                         └─▶ history_summary()
//! ```
//!
//! The connection goes through everything an HTTP send goes through:
//!
//! - **Policy.** Lockdown ("sending blocked"), the URL rules (`allowed_schemes`, `allowed_hosts`,
//!   `blocked_hosts`) and every address the host resolves to are checked before connecting, on
//!   every reconnect too. `ws` is allowed where `http` is, `wss` where `https` is (the opening
//!   handshake is an HTTP request; see policy/README.md). Turning TLS verification off is refused
//!   unless the policy allows it.
//! - **TLS.** The same trust as HTTP: the platform's roots plus the settings' extra CA files, the
//!   minimum TLS version, the client certificate configured for the host.
//! - **Proxy.** The same route as HTTP (settings, environment, `no_proxy`); `ws` and `wss` both
//!   go through an HTTP `CONNECT` tunnel, with `Proxy-Authorization` when the proxy has
//!   credentials.
//! - **Cookies.** The workspace's jar adds `Cookie` to the upgrade request; `Set-Cookie` on the
//!   `101` answer is stored (then [`WsEvent::sets_cookies`] is true: the app saves the jar).
//! - **Timeouts.** Connecting and the upgrade are bounded by the request's timeout (or the
//!   settings'; 30 s when both are 0).
//!
//! # Events and memory
//!
//! The connection task hands events to the handle through a bounded queue: at most
//! [`EVENT_QUEUE_CAPACITY`] events and [`QUEUE_BYTES`] bytes of messages (or one larger message).
//! When the queue is full the task stops reading the socket until the UI drains it: the server
//! is slowed by TCP flow control, nothing is dropped and memory stays bounded however fast the
//! server sends. A message larger than
//! [`WsOptions::max_message_bytes`] is refused before it is read (close code 1009).

mod connect;
mod session;
mod summary;
mod tls;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use super::engine::Engine;
use super::prepare::PreparedRequest;

pub use summary::{WsSessionSummary, WsTally, history_summary};

/// How many events wait for [`WsHandle::drain`] before the connection stops reading.
pub const EVENT_QUEUE_CAPACITY: usize = 4096;

/// How many bytes of messages wait for [`WsHandle::drain`] before the connection stops reading
/// (one larger message may wait alone).
pub const QUEUE_BYTES: usize = 64 * 1024 * 1024;

/// The default [`WsOptions::max_message_bytes`]: 64 MiB.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// How one connection behaves.
#[derive(Clone)]
pub struct WsOptions {
    /// Offered in `Sec-WebSocket-Protocol`, in order.
    pub subprotocols: Vec<String>,
    /// Pings sent this often while open (None: never).
    pub ping_interval: Option<Duration>,
    /// Reconnect after an unexpected close or failure (not after a close the user asked for).
    pub reconnect: Option<Reconnect>,
    /// Largest message accepted (default 64 MiB); a larger one is refused with a clear message,
    /// and the connection closed with 1009.
    pub max_message_bytes: usize,
    /// Called (from the engine's thread) whenever events are waiting; the UI passes
    /// `ctx.request_repaint()`. Called once per batch: again only after a [`WsHandle::drain`].
    pub on_event: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl Default for WsOptions {
    fn default() -> Self {
        Self {
            subprotocols: Vec::new(),
            ping_interval: None,
            reconnect: None,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            on_event: None,
        }
    }
}

impl std::fmt::Debug for WsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsOptions")
            .field("subprotocols", &self.subprotocols)
            .field("ping_interval", &self.ping_interval)
            .field("reconnect", &self.reconnect)
            .field("max_message_bytes", &self.max_message_bytes)
            .field("on_event", &self.on_event.is_some())
            .finish()
    }
}

/// Reconnecting after the server closes (with any code but 1000) or the connection fails.
/// Refusals (policy, TLS settings, a bad URL) are not retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reconnect {
    /// Wait before each attempt.
    pub delay: Duration,
    /// Attempts after a drop before giving up. The count starts again after a connection that
    /// carried a message or stayed open 10 s; one dropped right after opening counts.
    pub max_attempts: u32,
}

/// Where a connection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WsState {
    Connecting,
    Open,
    /// Waiting to try again: `attempt` counts from 1.
    Reconnecting {
        attempt: u32,
    },
    Closed,
}

/// A message to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WsOutgoing {
    Text(String),
    Binary(Vec<u8>),
    Ping(Vec<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Sent,
    Received,
}

/// A message's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WsData {
    Text(String),
    Binary(Bytes),
    Ping(Bytes),
    Pong(Bytes),
}

/// What happened on a connection, in order. A session ends with `Closed`, or with `Error`
/// when it never opened (or gave up reconnecting); [`WsHandle::state`] is then `Closed`.
#[derive(Clone, Debug, PartialEq)]
pub enum WsEvent {
    /// `attempt` is 0 for the first connection, then 1, 2… for reconnects.
    Connecting {
        url: url::Url,
        attempt: u32,
        at: OffsetDateTime,
    },
    /// The server accepted the upgrade (`status` 101) with these headers and subprotocol.
    Opened {
        status: u16,
        headers: Vec<(String, String)>,
        protocol: Option<String>,
        handshake: Duration,
        at: OffsetDateTime,
    },
    Message {
        direction: Direction,
        data: WsData,
        size: usize,
        at: OffsetDateTime,
    },
    /// The connection ended: `code` from the close frame (None: no close frame), `by_server`
    /// when the server (or the network) ended it.
    Closed {
        code: Option<u16>,
        reason: String,
        by_server: bool,
        at: OffsetDateTime,
    },
    /// A clear message naming the host (refused by policy, cannot connect, TLS, upgrade refused
    /// with status N, invalid UTF-8 in a text frame, message too large, closed mid-message,
    /// handshake timed out...).
    Error {
        message: String,
        at: OffsetDateTime,
    },
}

impl WsEvent {
    /// Whether this is an `Opened` whose answer set cookies (stored in the workspace's jar: the
    /// app saves the jar, as after an HTTP exchange with `cookies_changed`).
    pub fn sets_cookies(&self) -> bool {
        matches!(self, WsEvent::Opened { headers, .. }
            if headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("set-cookie")))
    }
}

/// Why [`WsHandle::send`] refused a message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WsSendError {
    #[error("the connection is not open ({state}): connect first")]
    NotOpen { state: String },
    #[error("the connection has ended")]
    Ended,
}

/// A command from the handle to the connection task.
#[derive(Debug)]
pub(crate) enum Control {
    Send(WsOutgoing),
    Close { code: u16, reason: String },
}

/// Shared between the handle and the task.
pub(crate) struct Shared {
    state: Mutex<WsState>,
    /// Set when `on_event` was called and no drain has happened since.
    notified: AtomicBool,
    /// Bytes of the messages in the queue.
    queued_bytes: AtomicUsize,
    /// Signalled when a drain makes room.
    room: tokio::sync::Notify,
    on_event: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl Shared {
    pub(crate) fn set_state(&self, state: WsState) {
        if let Ok(mut s) = self.state.lock() {
            *s = state;
        }
    }

    pub(crate) fn state(&self) -> WsState {
        self.state.lock().map_or(WsState::Closed, |s| *s)
    }

    /// Counts `size` more bytes in the queue when they fit (or the queue holds none).
    pub(crate) fn try_reserve(&self, size: usize) -> bool {
        self.queued_bytes
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |queued| {
                (queued == 0 || queued.saturating_add(size) <= QUEUE_BYTES).then(|| queued + size)
            })
            .is_ok()
    }

    /// Signalled when a drain makes room.
    pub(crate) fn room(&self) -> &tokio::sync::Notify {
        &self.room
    }

    /// Counts an event taken out of the queue.
    fn taken(&self, event: &WsEvent) {
        let size = queued_size(event);
        if size > 0 {
            self.queued_bytes.fetch_sub(size, Ordering::AcqRel);
            self.room.notify_one();
        }
    }

    /// Tells the UI events are waiting, once per batch.
    pub(crate) fn notify(&self) {
        if !self.notified.swap(true, Ordering::AcqRel)
            && let Some(f) = &self.on_event
        {
            f();
        }
    }
}

/// A live connection. Dropping it closes the connection (1001, going away).
pub struct WsHandle {
    control: mpsc::UnboundedSender<Control>,
    events: tokio::sync::Mutex<mpsc::Receiver<WsEvent>>,
    shared: Arc<Shared>,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for WsHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsHandle").field("state", &self.state()).finish_non_exhaustive()
    }
}

impl WsHandle {
    /// Queues a message; refused with a message when the connection is not open.
    pub fn send(&self, message: WsOutgoing) -> Result<(), WsSendError> {
        match self.state() {
            WsState::Open => self.control.send(Control::Send(message)).map_err(|_| WsSendError::Ended),
            WsState::Closed => Err(WsSendError::Ended),
            other => Err(WsSendError::NotOpen { state: state_text(other) }),
        }
    }

    /// The user's close: sends a close frame with `code` and `reason`; no reconnect follows.
    /// Also stops a connection that is still connecting or waiting to reconnect.
    pub fn close(&self, code: u16, reason: &str) {
        let _ = self.control.send(Control::Close { code, reason: reason.to_owned() });
    }

    /// Up to `max` waiting events, oldest first; never blocks. When more wait, `on_event` is
    /// called again (the UI takes the rest next frame).
    pub fn drain(&self, max: usize) -> Vec<WsEvent> {
        self.shared.notified.store(false, Ordering::Release);
        let mut out = Vec::new();
        if let Ok(mut rx) = self.events.try_lock() {
            while out.len() < max {
                match rx.try_recv() {
                    Ok(event) => {
                        self.shared.taken(&event);
                        out.push(event);
                    }
                    Err(_) => break,
                }
            }
            if !rx.is_empty() {
                self.shared.notify();
            }
        }
        out
    }

    /// Bytes of the messages waiting to be drained (at most [`QUEUE_BYTES`], or one message).
    pub fn buffered_bytes(&self) -> usize {
        self.shared.queued_bytes.load(Ordering::Acquire)
    }

    /// How many events wait to be drained (at most [`EVENT_QUEUE_CAPACITY`]).
    pub fn buffered(&self) -> usize {
        self.events.try_lock().map_or(0, |rx| rx.len())
    }

    /// Waits for the next event; `None` once the connection has ended and every event was
    /// taken. For code on the engine's runtime (benchmarks, the runner).
    pub async fn next_event(&self) -> Option<WsEvent> {
        let event = self.events.lock().await.recv().await;
        self.shared.notified.store(false, Ordering::Release);
        if let Some(event) = &event {
            self.shared.taken(event);
        }
        event
    }

    /// Waits up to `timeout` for the next event, blocking this thread: for threads outside the
    /// engine's runtime (tests, the command line), never the UI thread. On one of the runtime's
    /// threads it does not wait.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<WsEvent> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return self.drain(1).pop();
        }
        // The next event is often microseconds away (an echo): look a few times before sleeping,
        // which costs a thread wake-up.
        for _ in 0..64 {
            if let Some(event) = self.drain(1).pop() {
                return Some(event);
            }
            std::thread::yield_now();
        }
        self.runtime.block_on(async { tokio::time::timeout(timeout, self.next_event()).await.ok().flatten() })
    }

    pub fn state(&self) -> WsState {
        self.shared.state()
    }
}

impl Drop for WsHandle {
    fn drop(&mut self) {
        let _ = self.control.send(Control::Close { code: 1001, reason: String::new() });
    }
}

/// The bytes an event holds in the queue (its message's size).
pub(crate) fn queued_size(event: &WsEvent) -> usize {
    match event {
        WsEvent::Message { size, .. } => *size,
        _ => 0,
    }
}

fn state_text(state: WsState) -> String {
    match state {
        WsState::Connecting => "connecting".into(),
        WsState::Open => "open".into(),
        WsState::Reconnecting { attempt } => format!("reconnecting, attempt {attempt}"),
        WsState::Closed => "closed".into(),
    }
}

impl Engine {
    /// Opens a WebSocket connection on the engine's runtime. Never blocks: progress, messages
    /// and failures arrive as [`WsEvent`]s through [`WsHandle::drain`] (see the module docs).
    pub fn connect_ws(&self, prepared: PreparedRequest, options: WsOptions) -> WsHandle {
        let (control_tx, control_rx) = mpsc::unbounded_channel();
        let (event_tx, event_rx) = mpsc::channel(EVENT_QUEUE_CAPACITY);
        let shared = Arc::new(Shared {
            state: Mutex::new(WsState::Connecting),
            notified: AtomicBool::new(false),
            queued_bytes: AtomicUsize::new(0),
            room: tokio::sync::Notify::new(),
            on_event: options.on_event.clone(),
        });
        let task = session::Session::new(self.clone(), prepared, options, event_tx, Arc::clone(&shared));
        self.runtime().spawn(task.run(control_rx));
        WsHandle {
            control: control_tx,
            events: tokio::sync::Mutex::new(event_rx),
            shared,
            runtime: self.runtime().clone(),
        }
    }
}
