//! A request as the user wrote it: method, URL, params, headers, body, auth, settings.
//!
//! This is the recipe, not what went over the wire; variables are still `{{unresolved}}` here.
//! The engine turns it into a [`crate::model::SentRequest`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::auth::Auth;
use super::checks::{Assertion, Capture};
use super::ids::RequestId;
use super::kv::{KeyValue, is_false};
use super::response::SavedResponse;
use super::scripts::Scripts;
use super::websocket::{RequestKind, WebSocketSettings};

/// An HTTP method: one of the standard ones or any custom token (`PURGE`, `PROPFIND`...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Method {
    #[default]
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Trace,
    Connect,
    /// Any other token, kept as the user typed it.
    Custom(String),
}

impl Method {
    /// The methods offered in pickers, in the order Postman lists them.
    pub const STANDARD: [Method; 9] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
        Method::Trace,
        Method::Connect,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Connect => "CONNECT",
            Method::Custom(token) => token,
        }
    }

    /// Parses a method; standard names match case-insensitively, anything else is kept verbatim.
    pub fn parse(s: &str) -> Method {
        let s = s.trim();
        Method::STANDARD
            .iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .cloned()
            .unwrap_or_else(|| Method::Custom(s.to_owned()))
    }

    /// Whether the token is a valid HTTP method token (RFC 9110 `tchar`s, non-empty).
    pub fn is_valid_token(&self) -> bool {
        let s = self.as_str();
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    }
}

impl From<String> for Method {
    fn from(s: String) -> Self {
        Method::parse(&s)
    }
}

impl From<Method> for String {
    fn from(m: Method) -> Self {
        m.as_str().to_owned()
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which body is sent. All modes' contents are kept in [`Body`] so switching mode in the editor
/// loses nothing, as in Postman.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BodyMode {
    #[default]
    None,
    Raw,
    UrlEncoded,
    Multipart,
    Binary,
    GraphQl,
}

impl BodyMode {
    pub const ALL: [BodyMode; 6] = [
        BodyMode::None,
        BodyMode::Raw,
        BodyMode::UrlEncoded,
        BodyMode::Multipart,
        BodyMode::Binary,
        BodyMode::GraphQl,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BodyMode::None => "none",
            BodyMode::Raw => "raw",
            BodyMode::UrlEncoded => "x-www-form-urlencoded",
            BodyMode::Multipart => "form-data",
            BodyMode::Binary => "binary",
            BodyMode::GraphQl => "GraphQL",
        }
    }
}

/// The language of a raw body; decides the default `Content-Type`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RawLanguage {
    #[default]
    Text,
    Json,
    Xml,
    Html,
    JavaScript,
}

impl RawLanguage {
    pub const ALL: [RawLanguage; 5] =
        [RawLanguage::Text, RawLanguage::Json, RawLanguage::Xml, RawLanguage::Html, RawLanguage::JavaScript];

    pub fn label(self) -> &'static str {
        match self {
            RawLanguage::Text => "Text",
            RawLanguage::Json => "JSON",
            RawLanguage::Xml => "XML",
            RawLanguage::Html => "HTML",
            RawLanguage::JavaScript => "JavaScript",
        }
    }

    /// The `Content-Type` sent when the user set none.
    pub fn content_type(self) -> &'static str {
        match self {
            RawLanguage::Text => "text/plain",
            RawLanguage::Json => "application/json",
            RawLanguage::Xml => "application/xml",
            RawLanguage::Html => "text/html",
            RawLanguage::JavaScript => "application/javascript",
        }
    }
}

/// One part of a multipart/form-data body: a text value or a file read from disk when sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormPart {
    pub key: String,
    pub kind: FormPartKind,
    /// An explicit `Content-Type` for the part; empty means the engine's default.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub content_type: String,
    #[serde(skip_serializing_if = "super::kv::is_true")]
    pub enabled: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

// Enabled unless the file says otherwise: the field is left out of files when true.
impl Default for FormPart {
    fn default() -> Self {
        Self {
            key: String::new(),
            kind: FormPartKind::default(),
            content_type: String::new(),
            enabled: true,
            description: String::new(),
        }
    }
}

impl FormPart {
    pub fn text(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self { key: key.into(), kind: FormPartKind::Text(value.into()), enabled: true, ..Self::default() }
    }

    pub fn file(key: impl Into<String>, path: impl Into<String>) -> Self {
        Self { key: key.into(), kind: FormPartKind::File(path.into()), enabled: true, ..Self::default() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormPartKind {
    Text(String),
    /// A path on this machine; the file is streamed from disk when the request is sent.
    File(String),
}

impl Default for FormPartKind {
    fn default() -> Self {
        FormPartKind::Text(String::new())
    }
}

/// A GraphQL body, sent as JSON `{query, variables, operationName}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GraphQlBody {
    pub query: String,
    /// JSON text of the variables object; empty means none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub variables: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub operation_name: String,
}

/// The body of a request in every mode; only `mode` is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Body {
    pub mode: BodyMode,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub raw: String,
    pub raw_language: RawLanguage,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub urlencoded: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub multipart: Vec<FormPart>,
    /// Path of the file sent as the whole body in [`BodyMode::Binary`].
    #[serde(skip_serializing_if = "String::is_empty")]
    pub binary_path: String,
    #[serde(skip_serializing_if = "is_default_graphql")]
    pub graphql: GraphQlBody,
}

fn is_default_graphql(g: &GraphQlBody) -> bool {
    is_default(g)
}

pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Body {
    pub fn raw(language: RawLanguage, text: impl Into<String>) -> Self {
        Self { mode: BodyMode::Raw, raw: text.into(), raw_language: language, ..Self::default() }
    }

    pub fn json(text: impl Into<String>) -> Self {
        Self::raw(RawLanguage::Json, text)
    }
}

/// Per-request transport settings. `None` means "use the app's default".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_redirects: Option<u32>,
    /// Keep the original method (e.g. POST) when following 301/302, as curl's `--post301/302`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_original_method: Option<bool>,
    /// Total timeout in milliseconds; `Some(0)` means no timeout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// `Some(false)` turns TLS certificate verification off (the policy may forbid it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_tls: Option<bool>,
    /// Do not add a `Content-Type`/`User-Agent`/... the user did not write.
    #[serde(skip_serializing_if = "is_false")]
    pub disable_auto_headers: bool,
    /// A run reads an event stream (`text/event-stream`) until this many events arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_max_events: Option<u32>,
    /// A run reads an event stream for at most this long, in milliseconds, from its head.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_window_ms: Option<u64>,
}

impl RequestSettings {
    /// Takes what this does not set from `outer` (a folder's or collection's settings, nearest
    /// first): what "inherit" means for a request's settings.
    pub fn inherit(&mut self, outer: &RequestSettings) {
        self.follow_redirects = self.follow_redirects.or(outer.follow_redirects);
        self.max_redirects = self.max_redirects.or(outer.max_redirects);
        self.follow_original_method = self.follow_original_method.or(outer.follow_original_method);
        self.timeout_ms = self.timeout_ms.or(outer.timeout_ms);
        self.verify_tls = self.verify_tls.or(outer.verify_tls);
        self.disable_auto_headers |= outer.disable_auto_headers;
        self.stream_max_events = self.stream_max_events.or(outer.stream_max_events);
        self.stream_window_ms = self.stream_window_ms.or(outer.stream_window_ms);
    }
}

/// A request the user wrote and saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: RequestId,
    pub name: String,
    /// HTTP (the default, left out of files) or WebSocket.
    #[serde(default, skip_serializing_if = "RequestKind::is_http")]
    pub kind: RequestKind,
    #[serde(default)]
    pub method: Method,
    #[serde(default)]
    pub url: String,
    /// Query parameters; kept in sync with the URL's query string by the editor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<KeyValue>,
    /// Values for `:name` segments of the URL's path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path_variables: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub body: Body,
    #[serde(default, skip_serializing_if = "is_default")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "is_default")]
    pub settings: RequestSettings,
    /// Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Postman-style pre-request and test scripts, run around each send and in runs (see
    /// [`crate::script`]); imported ones are kept verbatim.
    #[serde(default, skip_serializing_if = "Scripts::is_empty")]
    pub scripts: Scripts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assertions: Vec<Assertion>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captures: Vec<Capture>,
    /// Saved responses ("examples").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<SavedResponse>,
    /// A WebSocket request's subprotocols, saved messages and connection settings.
    #[serde(default, skip_serializing_if = "is_default")]
    pub websocket: WebSocketSettings,
}

impl Request {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            id: RequestId::new(),
            name: name.into(),
            kind: RequestKind::Http,
            method: Method::Get,
            url: String::new(),
            params: Vec::new(),
            path_variables: Vec::new(),
            headers: Vec::new(),
            body: Body::default(),
            auth: Auth::Inherit,
            settings: RequestSettings::default(),
            description: String::new(),
            scripts: Scripts::default(),
            assertions: Vec::new(),
            captures: Vec::new(),
            examples: Vec::new(),
            websocket: WebSocketSettings::default(),
        }
    }

    /// A new WebSocket request.
    pub fn websocket(name: impl Into<String>) -> Self {
        Self { kind: RequestKind::WebSocket, ..Self::new(name) }
    }

    pub fn is_websocket(&self) -> bool {
        self.kind == RequestKind::WebSocket
    }

    /// What lists show before the name: the method, or `WS` for a WebSocket request.
    pub fn badge(&self) -> Method {
        match self.kind {
            RequestKind::Http => self.method.clone(),
            RequestKind::WebSocket => Method::Custom(super::websocket::WEBSOCKET_BADGE.to_owned()),
        }
    }

    #[must_use]
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    #[must_use]
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    pub fn with_scripts(mut self, pre_request: impl Into<String>, test: impl Into<String>) -> Self {
        self.scripts = Scripts { pre_request: pre_request.into(), test: test.into() };
        self
    }
}
