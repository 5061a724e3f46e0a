//! History: every send, as sent, with the response's head and a capped body.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ids::{HistoryId, RequestId};
use super::request::Request;
use super::response::{ResponseRecord, SentRequest};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: HistoryId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The saved request it was sent from, if any (a scratch request has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    /// The name shown in the history list.
    #[serde(default)]
    pub name: String,
    /// As sent, with secrets redacted (what History shows).
    pub request: SentRequest,
    /// The request as the user wrote it (`{{templates}}` kept), holding no secret value: what
    /// reopening the entry edits and sends again, resolving its variables anew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<Box<Request>>,
    /// Values typed in as literal secrets were cut out of `written` (they must be entered again).
    #[serde(default, skip_serializing_if = "super::kv::is_false")]
    pub written_incomplete: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseRecord>,
    /// The failure, when no response came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
