//! What a run keeps of each request so that its result opens later, and where it keeps it.
//!
//! The rule ([`KeepRule`], from the settings): a request that failed always keeps the request as
//! sent and its response, the body cut at [`failed_body_cap_bytes`]; a request that passed keeps
//! them when its response body is at most the limit, and nothing otherwise (its result says so).
//! One run keeps at most [`RUN_KEPT_BUDGET_BYTES`] (requests that passed stop at half of it, so
//! room stays for failures): a run of 10,000 requests writes a bounded file.
//!
//! While the run goes, kept responses are appended to a temporary file without a name (like
//! the [`super::Journal`]); the window reads a live result's response from it by offset. At the
//! end it is copied beside the run's results (see [`crate::storage::runs::responses_path`]).

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use crate::http::{Exchange, PreparedRequest};
use crate::model::{KeptExchange, ResponseKept, SentRequest, Settings, capped_body};
use crate::storage::atomic::AtomicFile;

/// Most bytes of kept responses one run writes.
pub const RUN_KEPT_BUDGET_BYTES: u64 = 64 * 1024 * 1024;

/// Failed requests' bodies are cut at this size, or at the limit when it is larger.
pub const FAILED_BODY_CAP_BYTES: u64 = 1024 * 1024;

/// Which responses a run keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeepRule {
    /// A request that passed keeps its response when the body is at most this big (0: never).
    pub limit_bytes: u64,
    /// Whether response bodies are kept at all (the organization's policy may keep none).
    pub bodies: bool,
}

impl Default for KeepRule {
    fn default() -> Self {
        Self::from_settings(&Settings::default())
    }
}

impl KeepRule {
    /// The rule of the (effective) settings.
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            limit_bytes: settings.run_response_limit_bytes,
            bodies: settings.store_response_bodies_in_history,
        }
    }
}

/// Where a failed request's body is cut.
pub fn failed_body_cap_bytes(rule: &KeepRule) -> u64 {
    rule.limit_bytes.max(FAILED_BODY_CAP_BYTES)
}

/// What to keep of a request that got a response, or why nothing is kept. May read a spilled
/// body's head from disk.
pub(super) fn of_exchange(
    rule: &KeepRule,
    exchange: &Exchange,
    passed: bool,
) -> Result<KeptExchange, ResponseKept> {
    let size = exchange.response.size_bytes();
    if passed && (rule.limit_bytes == 0 || size > rule.limit_bytes) {
        return Err(ResponseKept::OverLimit { limit_bytes: rule.limit_bytes });
    }
    let cap = failed_body_cap_bytes(rule);
    let (request, response) = exchange.redacted_record(cap, rule.bodies.then_some(cap));
    let note = if !rule.bodies && size > 0 {
        "The organization's policy keeps no response bodies.".to_owned()
    } else if response.body_truncated {
        format!(
            "The body was cut at {} when the run kept it ({} in all).",
            crate::http::size(cap),
            crate::http::size(size)
        )
    } else {
        String::new()
    };
    Ok(KeptExchange { request, response: Some(response), note })
}

/// What to keep of a request that was sent and got no response: the request as sent.
pub(super) fn of_failure(rule: &KeepRule, prepared: &PreparedRequest) -> KeptExchange {
    let mut request = prepared.redactions.apply(&prepared.to_sent_request());
    cap_sent(&mut request, failed_body_cap_bytes(rule));
    KeptExchange { request, response: None, note: String::new() }
}

fn cap_sent(sent: &mut SentRequest, cap_bytes: u64) {
    if let Some(body) = &sent.body {
        let (stored, cut) = capped_body(&body.to_bytes(), usize::try_from(cap_bytes).unwrap_or(usize::MAX));
        sent.body = Some(stored);
        sent.body_truncated |= cut;
    }
}

/// The kept responses of a run in progress, in a temporary file without a name.
pub struct ResponseLog {
    file: File,
    len_bytes: u64,
    /// Bytes kept for requests that passed, and in all.
    passed_bytes: u64,
    /// The first write error: nothing more is kept after it.
    failed: bool,
}

impl ResponseLog {
    pub fn create() -> io::Result<Self> {
        Ok(Self { file: tempfile::tempfile()?, len_bytes: 0, passed_bytes: 0, failed: false })
    }

    /// A reader of what is kept so far (and later), for the window.
    pub fn reader(&self) -> io::Result<KeptReader> {
        Ok(KeptReader { file: Arc::new(self.file.try_clone()?) })
    }

    pub fn is_empty(&self) -> bool {
        self.len_bytes == 0
    }

    /// Keeps one request's exchange within the run's budget; where it went, or why it did not.
    pub fn keep(&mut self, kept: &KeptExchange, passed: bool) -> ResponseKept {
        if self.failed {
            return ResponseKept::Unwritten;
        }
        let Ok(bytes) = crate::storage::runs::encode_kept(kept) else { return ResponseKept::Unwritten };
        let len = bytes.len() as u64;
        let budget = if passed { RUN_KEPT_BUDGET_BYTES / 2 } else { RUN_KEPT_BUDGET_BYTES };
        let spent = if passed { self.passed_bytes } else { self.len_bytes };
        if spent + len > budget {
            return ResponseKept::OverBudget;
        }
        // Written whole at once, so that a reader never meets half a value.
        if (&self.file).write_all(&bytes).is_err() {
            self.failed = true;
            return ResponseKept::Unwritten;
        }
        let at = ResponseKept::At { offset_bytes: self.len_bytes, len_bytes: len };
        self.len_bytes += len;
        if passed {
            self.passed_bytes += len;
        }
        at
    }

    /// Copies what is kept to `target`, atomically.
    pub fn copy_to(&self, target: &Path) -> io::Result<()> {
        let mut out = AtomicFile::create(target, false)?;
        let mut from = io::Read::take(super::journal::ReadFrom::new(self.file.try_clone()?), self.len_bytes);
        io::copy(&mut from, &mut out)?;
        out.commit()
    }
}

/// Reads kept responses of a run in progress (or finished), by offset: the file stays readable
/// for as long as a reader holds it.
#[derive(Clone)]
pub struct KeptReader {
    file: Arc<File>,
}

impl KeptReader {
    pub fn read(&self, offset_bytes: u64, len_bytes: u64) -> io::Result<KeptExchange> {
        crate::storage::runs::read_kept_from(&self.file, offset_bytes, len_bytes)
    }
}

impl std::fmt::Debug for KeptReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeptReader")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResponseRecord;

    fn kept(body: &str) -> KeptExchange {
        KeptExchange {
            request: SentRequest { method: "GET".into(), url: "http://x/".into(), ..SentRequest::default() },
            response: Some(ResponseRecord {
                status: 200,
                body: Some(crate::model::StoredBody::Text(body.into())),
                ..ResponseRecord::default()
            }),
            note: String::new(),
        }
    }

    #[test]
    fn kept_responses_read_back_by_offset_and_copy_whole() {
        let mut log = ResponseLog::create().unwrap();
        let reader = log.reader().unwrap();
        let a = kept("first\nline two \u{1F600}");
        let b = kept("{\"second\": true}");
        let ResponseKept::At { offset_bytes: a_at, len_bytes: a_len } = log.keep(&a, true) else { panic!() };
        let ResponseKept::At { offset_bytes: b_at, len_bytes: b_len } = log.keep(&b, false) else { panic!() };
        assert_eq!(reader.read(b_at, b_len).unwrap(), b);
        assert_eq!(reader.read(a_at, a_len).unwrap(), a);
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run.responses");
        log.copy_to(&target).unwrap();
        let file = File::open(&target).unwrap();
        assert_eq!(crate::storage::runs::read_kept_from(&file, b_at, b_len).unwrap(), b);
        assert_eq!(std::fs::metadata(&target).unwrap().len(), a_len + b_len);
    }

    #[test]
    fn a_run_keeps_a_bounded_amount_and_keeps_room_for_failures() {
        let mut log = ResponseLog::create().unwrap();
        let big = kept(&"x".repeat(1024 * 1024));
        let mut passed_kept = 0;
        while matches!(log.keep(&big, true), ResponseKept::At { .. }) {
            passed_kept += 1;
        }
        assert!((31..=32).contains(&passed_kept), "{passed_kept} MiB of passed responses");
        assert!(matches!(log.keep(&big, false), ResponseKept::At { .. }), "a failure still fits");
        while matches!(log.keep(&big, false), ResponseKept::At { .. }) {}
        assert!(log.len_bytes <= RUN_KEPT_BUDGET_BYTES);
        assert_eq!(log.keep(&big, false), ResponseKept::OverBudget, "stays refused");
        assert_eq!(log.keep(&big, true), ResponseKept::OverBudget, "passed ones too");
    }
}
