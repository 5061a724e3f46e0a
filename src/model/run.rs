//! Collection run results, kept per workspace like Postman's "collection run results".

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ids::{CollectionId, EnvironmentId, FolderId, RequestId, RunId};

/// A finished (or cancelled) run: what ran, with what, and each request's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub id: RunId,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub finished_at: Option<OffsetDateTime>,
    pub target: RunTarget,
    #[serde(default)]
    pub environment: Option<RunEnvironment>,
    #[serde(default = "one")]
    pub iterations: u32,
    /// The data file's path, when the run used one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_file: Option<String>,
    #[serde(default)]
    pub cancelled: bool,
    #[serde(default)]
    pub results: Vec<RequestOutcome>,
}

fn one() -> u32 {
    1
}

/// What a run ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunTarget {
    /// Display name, e.g. `Fastly API / Purging`.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<CollectionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<FolderId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunEnvironment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<EnvironmentId>,
    pub name: String,
}

/// One request of one iteration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestOutcome {
    /// Zero-based iteration.
    pub iteration: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestId>,
    pub name: String,
    pub method: String,
    pub url: String,
    /// `None` when the request failed before a response (transport error, unresolved variable).
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub time_ms: u64,
    #[serde(default)]
    pub size_bytes: u64,
    #[serde(default)]
    pub assertions: Vec<AssertionOutcome>,
    /// Why the request itself failed (transport, variables, policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The scripts that ran for it, and how many stopped on an error.
    #[serde(default, skip_serializing_if = "ScriptCounts::is_empty")]
    pub scripts: ScriptCounts,
    /// Variables no scope defined, sent as written (`{{token}}`) because the run allowed it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<String>,
    /// Where the request as sent and its response were kept, or why they were not.
    #[serde(default, skip_serializing_if = "super::kept::ResponseKept::is_no")]
    pub kept: super::kept::ResponseKept,
}

/// Pre-request and test scripts run for one request (newman's summary counts them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptCounts {
    #[serde(default)]
    pub pre_request: u32,
    #[serde(default)]
    pub pre_request_failed: u32,
    #[serde(default)]
    pub test: u32,
    #[serde(default)]
    pub test_failed: u32,
}

impl ScriptCounts {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl RequestOutcome {
    /// Passed: a response came and every assertion held.
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.assertions.iter().all(|a| a.passed)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionOutcome {
    /// Human-readable description of the check, e.g. `status == 200`.
    pub name: String,
    pub passed: bool,
    /// Why it failed (expected vs actual), empty when it passed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// A test a script skipped (`pm.test.skip`, or scripts forbidden by policy): neither passed
    /// nor failed; `passed` is true so it fails nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
}

impl RunResult {
    pub fn passed_count(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    pub fn failed_count(&self) -> usize {
        self.results.len() - self.passed_count()
    }
}
