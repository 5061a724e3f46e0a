//! A WebSocket request's own part: subprotocols, saved messages, keep-alive and reconnect.
//!
//! A WebSocket request is a [`super::Request`] of kind [`RequestKind::WebSocket`]: it lives in
//! collections and folders, tabs, drafts and the bundle like an HTTP request, and uses the
//! request's URL (`ws://`/`wss://`), params, headers and auth for the upgrade. Only what HTTP
//! has no place for is here. Binary saved messages keep their bytes as standard base64 text
//! (with padding) so the RON file stays text.

use serde::{Deserialize, Serialize};

use super::ids::MessageId;
use super::kv::is_false;

/// What kind of request: the HTTP one (the default, left out of files) or a WebSocket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RequestKind {
    #[default]
    Http,
    WebSocket,
}

impl RequestKind {
    pub fn is_http(&self) -> bool {
        *self == RequestKind::Http
    }
}

/// The badge lists show for a WebSocket request where an HTTP one shows its method.
pub const WEBSOCKET_BADGE: &str = "WS";

/// How a message's body is written and sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MessageFormat {
    #[default]
    Text,
    /// Text that must parse as JSON before it is sent.
    Json,
    /// Bytes, written as base64 text in files.
    Binary,
}

impl MessageFormat {
    pub const ALL: [MessageFormat; 3] = [MessageFormat::Text, MessageFormat::Json, MessageFormat::Binary];

    pub fn label(self) -> &'static str {
        match self {
            MessageFormat::Text => "Text",
            MessageFormat::Json => "JSON",
            MessageFormat::Binary => "Binary",
        }
    }
}

/// A message kept with the request to send again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedMessage {
    pub id: MessageId,
    pub name: String,
    pub format: MessageFormat,
    /// The text as written (`{{variables}}` resolved at send), or base64 for [`MessageFormat::Binary`].
    pub body: String,
}

impl Default for SavedMessage {
    fn default() -> Self {
        Self { id: MessageId::new(), name: String::new(), format: MessageFormat::Text, body: String::new() }
    }
}

impl SavedMessage {
    pub fn new(name: impl Into<String>, format: MessageFormat, body: impl Into<String>) -> Self {
        Self { id: MessageId::new(), name: name.into(), format, body: body.into() }
    }
}

/// Reconnecting after the connection drops without the user asking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReconnectSettings {
    #[serde(skip_serializing_if = "is_false")]
    pub enabled: bool,
    pub delay_ms: u64,
    pub max_attempts: u32,
}

impl Default for ReconnectSettings {
    fn default() -> Self {
        Self { enabled: false, delay_ms: 1000, max_attempts: 5 }
    }
}

/// The largest message accepted by default: 64 MiB (a larger one closes the connection with 1009).
pub const DEFAULT_MAX_MESSAGE_BYTES: u64 = 64 * 1024 * 1024;

/// What a WebSocket request keeps besides the HTTP parts it shares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebSocketSettings {
    /// Offered in `Sec-WebSocket-Protocol`, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subprotocols: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<SavedMessage>,
    /// A ping every so many seconds while connected; `0` sends none.
    #[serde(skip_serializing_if = "is_zero")]
    pub ping_interval_s: u64,
    #[serde(skip_serializing_if = "super::request::is_default")]
    pub reconnect: ReconnectSettings,
    pub max_message_bytes: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Default for WebSocketSettings {
    fn default() -> Self {
        Self {
            subprotocols: Vec::new(),
            messages: Vec::new(),
            ping_interval_s: 0,
            reconnect: ReconnectSettings::default(),
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
        }
    }
}

/// Whether a URL names a WebSocket endpoint (`ws://`, `wss://`, any case, after spaces).
pub fn is_websocket_url(url: &str) -> bool {
    let lower: String = url.trim_start().chars().take(6).collect::<String>().to_ascii_lowercase();
    lower.starts_with("ws://") || lower.starts_with("wss://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_settings_write_nothing_but_the_size() {
        let text = ron::to_string(&WebSocketSettings::default()).unwrap();
        let back: WebSocketSettings = ron::from_str(&text).unwrap();
        assert_eq!(back, WebSocketSettings::default());
        let old: WebSocketSettings = ron::from_str("()").unwrap();
        assert_eq!(old.max_message_bytes, DEFAULT_MAX_MESSAGE_BYTES);
    }

    #[test]
    fn http_requests_are_written_as_before_and_websocket_ones_round_trip() {
        let http = crate::model::Request::new("plain").with_url("https://example.com");
        let text = ron::to_string(&http).unwrap();
        assert!(!text.contains("kind") && !text.contains("websocket"), "{text}");
        let back: crate::model::Request = ron::from_str(&text).unwrap();
        assert_eq!(back.kind, RequestKind::Http);
        let mut ws = crate::model::Request::websocket("live");
        ws.url = "wss://example.com/live".into();
        ws.websocket.messages.push(SavedMessage::new("hi", MessageFormat::Json, "{}"));
        ws.websocket.reconnect.enabled = true;
        let text = ron::to_string(&ws).unwrap();
        assert_eq!(ron::from_str::<crate::model::Request>(&text).unwrap(), ws);
    }

    #[test]
    fn websocket_urls_are_recognised() {
        assert!(is_websocket_url("ws://localhost:1/x"));
        assert!(is_websocket_url("  WSS://example.com"));
        assert!(!is_websocket_url("https://example.com"));
        assert!(!is_websocket_url("wé"));
        assert!(is_websocket_url("ws://é"));
    }
}
