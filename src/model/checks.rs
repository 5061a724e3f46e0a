//! Assertions and captures: the no-code checks a run evaluates after each response.

use serde::{Deserialize, Serialize};

/// A check on a response. Evaluated by the runner (and shown after a manual send).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assertion {
    #[serde(default = "enabled")]
    pub enabled: bool,
    pub check: Check,
}

fn enabled() -> bool {
    true
}

impl Assertion {
    pub fn new(check: Check) -> Self {
        Self { enabled: true, check }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Check {
    StatusEquals(u16),
    /// Inclusive range, e.g. 200..=299.
    StatusInRange {
        min: u16,
        max: u16,
    },
    HeaderExists(String),
    HeaderEquals {
        name: String,
        value: String,
    },
    HeaderContains {
        name: String,
        value: String,
    },
    BodyContains(String),
    /// `path` is a JSONPath such as `$.data[0].id`; `value` is JSON text (`"a"`, `3`, `true`).
    JsonPathEquals {
        path: String,
        value: String,
    },
    JsonPathExists(String),
    /// The value at `path`, as text, matches the regular expression.
    JsonPathMatches {
        path: String,
        pattern: String,
    },
    JsonPathLess {
        path: String,
        value: f64,
    },
    JsonPathGreater {
        path: String,
        value: f64,
    },
    ResponseTimeBelow {
        ms: u64,
    },
    SizeBelow {
        bytes: u64,
    },
}

/// Sets a variable from the response, for the requests that follow in a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    #[serde(default = "enabled")]
    pub enabled: bool,
    pub variable: String,
    pub scope: CaptureScope,
    pub source: CaptureSource,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaptureScope {
    /// Lives only for the run.
    #[default]
    Runtime,
    Environment,
    Collection,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaptureSource {
    JsonPath(String),
    Header(String),
    /// The first capture group (or the whole match) of a regular expression on the body.
    BodyRegex(String),
    Status,
}

impl std::fmt::Display for Check {
    /// The check as a user reads it in results: `status == 200`, `$.id exists`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Check::StatusEquals(code) => write!(f, "status == {code}"),
            Check::StatusInRange { min, max } => write!(f, "status in {min}..={max}"),
            Check::HeaderExists(name) => write!(f, "header {name} exists"),
            Check::HeaderEquals { name, value } => write!(f, "header {name} == {value:?}"),
            Check::HeaderContains { name, value } => write!(f, "header {name} contains {value:?}"),
            Check::BodyContains(text) => write!(f, "body contains {text:?}"),
            Check::JsonPathEquals { path, value } => write!(f, "{path} == {value}"),
            Check::JsonPathExists(path) => write!(f, "{path} exists"),
            Check::JsonPathMatches { path, pattern } => write!(f, "{path} matches /{pattern}/"),
            Check::JsonPathLess { path, value } => write!(f, "{path} < {value}"),
            Check::JsonPathGreater { path, value } => write!(f, "{path} > {value}"),
            Check::ResponseTimeBelow { ms } => write!(f, "time < {ms} ms"),
            Check::SizeBelow { bytes } => write!(f, "size < {bytes} bytes"),
        }
    }
}

impl std::fmt::Display for CaptureSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaptureSource::JsonPath(path) => f.write_str(path),
            CaptureSource::Header(name) => write!(f, "header {name}"),
            CaptureSource::BodyRegex(pattern) => write!(f, "body /{pattern}/"),
            CaptureSource::Status => f.write_str("status"),
        }
    }
}

impl CaptureScope {
    pub fn label(self) -> &'static str {
        match self {
            CaptureScope::Runtime => "runtime",
            CaptureScope::Environment => "environment",
            CaptureScope::Collection => "collection",
        }
    }
}
