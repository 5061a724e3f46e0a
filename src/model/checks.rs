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
