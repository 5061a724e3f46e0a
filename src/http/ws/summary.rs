//! What history keeps of a WebSocket session: the upgrade request as it went out, redacted
//! exactly as an HTTP request in history (auth headers, secret variable values in the URL and
//! headers), and counts; never the messages themselves.
//!
//! The app feeds every event it drains to [`WsTally::observe`] (the log may spill or drop old
//! messages; the tally does not), then calls [`history_summary`] when the session ends (a
//! `Closed` with no reconnect to follow, or the user's close) and writes the result to history.

use std::time::Duration;

use time::OffsetDateTime;

use super::{Direction, WsData, WsEvent};
use crate::http::prepare::PreparedRequest;
use crate::model::SentRequest;

/// Running counts over a session's events.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WsTally {
    pub sent_messages: u64,
    pub sent_bytes: u64,
    pub received_messages: u64,
    pub received_bytes: u64,
    /// Pings and pongs both ways (not in the message counts).
    pub control_frames: u64,
    /// Connections opened (more than one after reconnects).
    pub connections: u32,
    pub status: Option<u16>,
    pub protocol: Option<String>,
    pub first_opened_at: Option<OffsetDateTime>,
    pub started_at: Option<OffsetDateTime>,
    pub ended_at: Option<OffsetDateTime>,
    pub close_code: Option<u16>,
    pub close_reason: String,
    pub closed_by_server: bool,
    /// Error messages, in order (at most 20 kept).
    pub errors: Vec<String>,
}

impl WsTally {
    /// Counts one event.
    pub fn observe(&mut self, event: &WsEvent) {
        match event {
            WsEvent::Connecting { at, .. } => {
                self.started_at.get_or_insert(*at);
            }
            WsEvent::Opened { status, protocol, at, .. } => {
                self.connections += 1;
                self.status = Some(*status);
                self.protocol.clone_from(protocol);
                self.first_opened_at.get_or_insert(*at);
            }
            WsEvent::Message { direction, data, size, .. } => {
                let size = *size as u64;
                match (data, direction) {
                    (WsData::Ping(_) | WsData::Pong(_), _) => self.control_frames += 1,
                    (_, Direction::Sent) => {
                        self.sent_messages += 1;
                        self.sent_bytes += size;
                    }
                    (_, Direction::Received) => {
                        self.received_messages += 1;
                        self.received_bytes += size;
                    }
                }
            }
            WsEvent::Closed { code, reason, by_server, at } => {
                self.close_code = *code;
                self.close_reason.clone_from(reason);
                self.closed_by_server = *by_server;
                self.ended_at = Some(*at);
            }
            WsEvent::Error { message, at } => {
                if self.errors.len() < 20 {
                    self.errors.push(message.clone());
                }
                self.ended_at = Some(*at);
            }
        }
    }
}

/// A session as history keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct WsSessionSummary {
    /// The upgrade request (method `GET`, the `ws://`/`wss://` URL, the headers as prepared),
    /// redacted as HTTP history is.
    pub request: SentRequest,
    pub counts: WsTally,
    /// From the first `Connecting` to the last `Closed` or `Error` (zero when neither came).
    pub duration: Duration,
    /// One line for a history list: `101 · 3 sent (48 B) · 5 received (1.2 KB) · closed 1000`.
    pub line: String,
}

/// The history summary of a session: `prepared` is the request the connection was opened with,
/// `tally` its events. Error messages are scrubbed of secret values too.
pub fn history_summary(prepared: &PreparedRequest, tally: &WsTally) -> WsSessionSummary {
    let mut sent = prepared.to_sent_request();
    sent.method = "GET".into();
    let request = prepared.redactions.apply(&sent);
    let mut counts = tally.clone();
    counts.errors = counts.errors.iter().map(|e| prepared.redactions.scrub(e)).collect();
    counts.close_reason = prepared.redactions.scrub(&counts.close_reason);
    let duration = match (tally.started_at, tally.ended_at) {
        (Some(a), Some(b)) if b > a => Duration::try_from(b - a).unwrap_or_default(),
        _ => Duration::ZERO,
    };
    let status = tally.status.map_or_else(|| "not opened".to_owned(), |s| s.to_string());
    let end = match (tally.close_code, counts.errors.last()) {
        (Some(code), _) => format!("closed {code}"),
        (None, Some(error)) => error.clone(),
        (None, None) => "closed".to_owned(),
    };
    let line = format!(
        "{status} · {} sent ({}) · {} received ({}) · {end}",
        tally.sent_messages,
        crate::http::size(tally.sent_bytes),
        tally.received_messages,
        crate::http::size(tally.received_bytes),
    );
    WsSessionSummary { request, counts, duration, line }
}
