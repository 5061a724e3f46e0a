//! What went over the wire and what came back, as kept in history and saved examples.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ids::{ExampleId, RequestId};
use super::kv::{Header, is_false};

/// A body kept in a file: UTF-8 text as is, anything else as base64 so the file stays text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoredBody {
    Text(String),
    Base64(String),
}

impl StoredBody {
    pub fn from_bytes(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(text) => StoredBody::Text(text.to_owned()),
            Err(_) => StoredBody::Base64(base64::engine::general_purpose::STANDARD.encode(bytes)),
        }
    }

    /// The bytes; a corrupt base64 string yields its text as is rather than nothing.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            StoredBody::Text(text) => text.as_bytes().to_vec(),
            StoredBody::Base64(b64) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap_or_else(|_| b64.as_bytes().to_vec()),
        }
    }

    pub fn len_bytes(&self) -> usize {
        match self {
            StoredBody::Text(text) => text.len(),
            StoredBody::Base64(b64) => b64.len() / 4 * 3,
        }
    }
}

/// A body capped to at most `cap_bytes` for storage; returns the body and whether it was cut.
pub fn capped_body(bytes: &[u8], cap_bytes: usize) -> (StoredBody, bool) {
    if bytes.len() <= cap_bytes {
        return (StoredBody::from_bytes(bytes), false);
    }
    let mut cut = cap_bytes;
    // Do not split a UTF-8 sequence when the body is text.
    if std::str::from_utf8(bytes).is_ok() {
        while cut > 0 && (bytes[cut] & 0xC0) == 0x80 {
            cut -= 1;
        }
    }
    (StoredBody::from_bytes(&bytes[..cut]), true)
}

/// The request exactly as sent: variables resolved, auth applied, auto headers added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<Header>,
    /// The body (capped for storage); `None` for no body or a streamed file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<StoredBody>,
    pub body_size_bytes: u64,
    #[serde(skip_serializing_if = "is_false")]
    pub body_truncated: bool,
    /// A summary when the body is not kept, e.g. `multipart: 2 fields, 1 file (report.pdf)`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub body_summary: String,
}

/// A response as kept in history or an example.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseRecord {
    pub status: u16,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub http_version: String,
    pub headers: Vec<Header>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<StoredBody>,
    #[serde(skip_serializing_if = "is_false")]
    pub body_truncated: bool,
    /// Decoded body size.
    pub size_bytes: u64,
    /// Bytes on the wire (compressed), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wire_size_bytes: Option<u64>,
    pub time_ms: u64,
}

/// A saved response ("example") attached to a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedResponse {
    pub id: ExampleId,
    pub name: String,
    #[serde(default)]
    pub request: SentRequest,
    #[serde(default)]
    pub response: ResponseRecord,
    #[serde(with = "time::serde::rfc3339::option", default, skip_serializing_if = "Option::is_none")]
    pub saved_at: Option<OffsetDateTime>,
    /// The request it was saved from, when it came from a send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_request: Option<RequestId>,
}
