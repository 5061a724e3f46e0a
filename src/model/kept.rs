//! What a run keeps of one request so that its result opens later: the request as sent and the
//! response that came back. Kept responses live in a file beside the run's results (see
//! `crate::storage::runs`); a result only says where its response is, or why it was not kept.

use serde::{Deserialize, Serialize};

use super::response::{ResponseRecord, SentRequest};

/// Whether a result's response was kept, and where, or why not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseKept {
    /// Nothing kept: a run from before responses were kept, or a request that failed before it
    /// was sent (an unresolved variable, a bad data row).
    #[default]
    No,
    /// In the run's responses file: `len_bytes` bytes from `offset_bytes` hold one
    /// [`KeptExchange`].
    At { offset_bytes: u64, len_bytes: u64 },
    /// The request passed and its response body was over the limit the settings set.
    OverLimit { limit_bytes: u64 },
    /// The run had already kept as much as one run keeps.
    OverBudget,
    /// Writing it failed (the temporary folder is full...).
    Unwritten,
}

impl ResponseKept {
    pub fn is_no(&self) -> bool {
        *self == ResponseKept::No
    }
}

/// One request of a run as kept: what was sent and what came back (secrets hidden, bodies cut
/// as the run's rule says).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeptExchange {
    pub request: SentRequest,
    /// `None`: no response came (a transport error, a timeout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseRecord>,
    /// Why the response's body is missing or cut, when it is, for the reader.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}
