//! The task behind a [`super::WsHandle`]: connects, carries messages both ways, pings, and
//! reconnects after a drop, reporting everything as [`WsEvent`]s through the bounded queue.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt as _, StreamExt as _};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::error::{CapacityError, Error as WsError, ProtocolError};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use super::connect::{self, Socket};
use super::{Control, Direction, Shared, WsData, WsEvent, WsOptions, WsOutgoing, WsState};
use crate::http::engine::Engine;
use crate::http::error::host_port;
use crate::http::prepare::PreparedRequest;

/// How long a connection must stay open for the reconnect count to start again (when it
/// carried no message).
const STABLE_AFTER: Duration = Duration::from_secs(10);

/// How long a closing handshake may take before the connection is dropped.
const CLOSE_WAIT: Duration = Duration::from_secs(3);

/// How a conversation ended.
enum End {
    /// The user closed (or dropped the handle): no reconnect.
    User,
    /// The server or the network ended it; `reconnect` says whether trying again makes sense.
    Dropped { reconnect: bool },
}

pub(super) struct Session {
    engine: Engine,
    prepared: PreparedRequest,
    options: WsOptions,
    events: mpsc::Sender<WsEvent>,
    shared: Arc<Shared>,
    host: String,
    /// Whether the current connection carried a message (text or binary, either way).
    carried: AtomicBool,
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Waits for the user's close (or the handle's drop); sends are ignored (the handle refuses
/// them while not open).
async fn user_close(control: &mut mpsc::UnboundedReceiver<Control>) -> (u16, String) {
    loop {
        match control.recv().await {
            Some(Control::Close { code, reason }) => return (code, reason),
            Some(Control::Send(_)) => {}
            None => return (1001, String::new()),
        }
    }
}

/// A close code the protocol lets an endpoint send (1005, 1006 and 1015 are reserved).
fn sendable_code(code: u16) -> u16 {
    match code {
        1000..=1003 | 1007..=1014 | 3000..=4999 => code,
        _ => 1000,
    }
}

impl Session {
    pub(super) fn new(
        engine: Engine,
        prepared: PreparedRequest,
        options: WsOptions,
        events: mpsc::Sender<WsEvent>,
        shared: Arc<Shared>,
    ) -> Self {
        let host = host_port(&prepared.url);
        Self { engine, prepared, options, events, shared, host, carried: AtomicBool::new(false) }
    }

    /// Queues an event, waiting while the queue is full (see the module docs of `ws`).
    async fn emit(&self, event: WsEvent) {
        let size = super::queued_size(&event);
        while !self.shared.try_reserve(size) {
            tokio::select! {
                () = self.shared.room().notified() => {}
                () = self.events.closed() => return,
            }
        }
        if self.events.send(event).await.is_ok() {
            self.shared.notify();
        }
    }

    async fn error(&self, message: String) {
        self.emit(WsEvent::Error { message, at: now() }).await;
    }

    async fn finish(&self) {
        self.shared.set_state(WsState::Closed);
        self.shared.notify();
    }

    pub(super) async fn run(self, mut control: mpsc::UnboundedReceiver<Control>) {
        let mut attempt = 0u32;
        loop {
            self.shared.set_state(WsState::Connecting);
            self.emit(WsEvent::Connecting { url: self.prepared.url.clone(), attempt, at: now() }).await;
            let outcome = tokio::select! {
                opened = connect::open(&self.engine, &self.prepared, &self.options) => opened,
                (_, reason) = user_close(&mut control) => {
                    self.emit(WsEvent::Closed { code: None, reason, by_server: false, at: now() }).await;
                    return self.finish().await;
                }
            };
            let retry = match outcome {
                Ok(opened) => {
                    self.carried.store(false, Ordering::Relaxed);
                    let since = std::time::Instant::now();
                    // Open before the event says so: a send right after `Opened` is accepted.
                    self.shared.set_state(WsState::Open);
                    self.emit(WsEvent::Opened {
                        status: opened.status,
                        headers: opened.headers,
                        protocol: opened.protocol,
                        handshake: opened.handshake,
                        at: now(),
                    })
                    .await;
                    let end = self.converse(opened.socket, &mut control).await;
                    // A connection that carried messages or lasted starts the count again; one
                    // dropped right after opening counts as a failed attempt.
                    if self.carried.load(Ordering::Relaxed) || since.elapsed() >= STABLE_AFTER {
                        attempt = 0;
                    }
                    match end {
                        End::User => return self.finish().await,
                        End::Dropped { reconnect } => reconnect,
                    }
                }
                Err(failure) => {
                    self.error(failure.message).await;
                    failure.retry
                }
            };
            let Some(policy) = self.options.reconnect.filter(|_| retry) else {
                return self.finish().await;
            };
            attempt += 1;
            if attempt > policy.max_attempts {
                let tries = policy.max_attempts;
                self.error(format!("gave up reconnecting after {tries} attempts: {}", self.host)).await;
                return self.finish().await;
            }
            self.shared.set_state(WsState::Reconnecting { attempt });
            self.shared.notify();
            tokio::select! {
                () = tokio::time::sleep(policy.delay) => {}
                (_, reason) = user_close(&mut control) => {
                    self.emit(WsEvent::Closed { code: None, reason, by_server: false, at: now() }).await;
                    return self.finish().await;
                }
            }
        }
    }

    /// Carries messages until the connection ends.
    async fn converse(&self, mut socket: Socket, control: &mut mpsc::UnboundedReceiver<Control>) -> End {
        let mut ping = self.options.ping_interval.filter(|d| !d.is_zero()).map(|every| {
            let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            interval
        });
        loop {
            tokio::select! {
                incoming = socket.next() => {
                    if let Some(end) = self.received(&mut socket, incoming).await {
                        return end;
                    }
                }
                command = control.recv() => match command {
                    Some(Control::Send(message)) => {
                        if let Some(end) = self.send(&mut socket, message).await {
                            return end;
                        }
                    }
                    Some(Control::Close { code, reason }) => return self.close(&mut socket, code, reason).await,
                    None => return self.close(&mut socket, 1001, String::new()).await,
                },
                () = async {
                    match ping.as_mut() {
                        Some(interval) => { interval.tick().await; }
                        None => std::future::pending::<()>().await,
                    }
                } => {
                    if let Some(end) = self.send(&mut socket, WsOutgoing::Ping(Vec::new())).await {
                        return end;
                    }
                }
            }
        }
    }

    async fn send(&self, socket: &mut Socket, message: WsOutgoing) -> Option<End> {
        let (wire, data) = match message {
            WsOutgoing::Text(text) => (Message::Text(Utf8Bytes::from(text.clone())), WsData::Text(text)),
            WsOutgoing::Binary(bytes) => {
                let bytes = Bytes::from(bytes);
                (Message::Binary(bytes.clone()), WsData::Binary(bytes))
            }
            WsOutgoing::Ping(bytes) => {
                let bytes = Bytes::from(bytes);
                (Message::Ping(bytes.clone()), WsData::Ping(bytes))
            }
        };
        let size = wire.len();
        if let Err(e) = socket.send(wire).await {
            return Some(self.failed(socket, e).await);
        }
        if matches!(data, WsData::Text(_) | WsData::Binary(_)) {
            self.carried.store(true, Ordering::Relaxed);
        }
        self.emit(WsEvent::Message { direction: Direction::Sent, data, size, at: now() }).await;
        None
    }

    async fn received(&self, socket: &mut Socket, incoming: Option<Result<Message, WsError>>) -> Option<End> {
        let (data, size) = match incoming {
            Some(Ok(Message::Text(text))) => {
                let size = text.len();
                (WsData::Text(text.as_str().to_owned()), size)
            }
            Some(Ok(Message::Binary(bytes))) => (WsData::Binary(bytes.clone()), bytes.len()),
            Some(Ok(Message::Ping(bytes))) => (WsData::Ping(bytes.clone()), bytes.len()),
            Some(Ok(Message::Pong(bytes))) => (WsData::Pong(bytes.clone()), bytes.len()),
            Some(Ok(Message::Frame(_))) => return None,
            Some(Ok(Message::Close(frame))) => {
                let (code, reason) =
                    frame.map_or((None, String::new()), |f| (Some(u16::from(f.code)), f.reason.to_string()));
                // Let the library answer the close, then wait for the server to hang up.
                let _ =
                    tokio::time::timeout(CLOSE_WAIT, async { while socket.next().await.is_some() {} }).await;
                self.emit(WsEvent::Closed { code, reason, by_server: true, at: now() }).await;
                return Some(End::Dropped { reconnect: code != Some(1000) });
            }
            Some(Err(e)) => return Some(self.failed(socket, e).await),
            None => return Some(self.lost(None).await),
        };
        if matches!(data, WsData::Text(_) | WsData::Binary(_)) {
            self.carried.store(true, Ordering::Relaxed);
        }
        self.emit(WsEvent::Message { direction: Direction::Received, data, size, at: now() }).await;
        None
    }

    /// The user's close: a close frame, then the server's answer (or a bounded wait for it).
    async fn close(&self, socket: &mut Socket, code: u16, reason: String) -> End {
        let code = sendable_code(code);
        let frame =
            CloseFrame { code: CloseCode::from(code), reason: Utf8Bytes::from(truncate_reason(&reason)) };
        let _ = tokio::time::timeout(CLOSE_WAIT, async {
            if socket.close(Some(frame)).await.is_ok() {
                while socket.next().await.is_some() {}
            }
        })
        .await;
        self.emit(WsEvent::Closed { code: Some(code), reason, by_server: false, at: now() }).await;
        End::User
    }

    /// An error on the open connection, in words; the connection is closed with the code the
    /// protocol asks for when there is one.
    async fn failed(&self, socket: &mut Socket, e: WsError) -> End {
        let host = &self.host;
        let (message, close_with) = match e {
            WsError::Capacity(CapacityError::MessageTooLong { size, max_size }) => (
                format!(
                    "a message of {size} bytes is larger than the limit of {max_size} bytes: closed with 1009, from {host}"
                ),
                Some((1009, "message too big")),
            ),
            WsError::Capacity(other) => {
                (format!("{other}: closed with 1009, from {host}"), Some((1009, "message too big")))
            }
            WsError::Utf8(_) => (
                format!("a text message is not valid UTF-8: closed with 1007, from {host}"),
                Some((1007, "invalid UTF-8")),
            ),
            WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake)
            | WsError::ConnectionClosed
            | WsError::AlreadyClosed => return self.lost(None).await,
            WsError::Io(io) => return self.lost(Some(io.to_string())).await,
            WsError::Protocol(p) => (
                format!("the server broke the WebSocket protocol ({p}): closed with 1002, from {host}"),
                Some((1002, "protocol error")),
            ),
            other => (format!("the connection failed ({other}): {host}"), None),
        };
        self.error(message).await;
        let code = match close_with {
            Some((code, reason)) => {
                let frame = CloseFrame { code: CloseCode::from(code), reason: Utf8Bytes::from(reason) };
                let _ = tokio::time::timeout(CLOSE_WAIT, async {
                    if socket.close(Some(frame)).await.is_ok() {
                        while socket.next().await.is_some() {}
                    }
                })
                .await;
                Some(code)
            }
            None => None,
        };
        self.emit(WsEvent::Closed { code, reason: String::new(), by_server: false, at: now() }).await;
        End::Dropped { reconnect: code.is_none() }
    }

    /// The connection ended without a close frame.
    async fn lost(&self, detail: Option<String>) -> End {
        let host = &self.host;
        let message = match detail {
            Some(detail) => {
                format!("the connection was lost ({detail}), mid-message or between messages: {host}")
            }
            None => format!(
                "the server closed the connection without a close frame (a message in progress is lost): {host}"
            ),
        };
        self.error(message).await;
        self.emit(WsEvent::Closed { code: None, reason: String::new(), by_server: true, at: now() }).await;
        End::Dropped { reconnect: true }
    }
}

/// A close reason fits in 123 bytes.
fn truncate_reason(reason: &str) -> String {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}
