//! Assertions and captures evaluated against a response, without scripts.
//!
//! The body is read and parsed as JSON at most once per response, and only when a check needs
//! it. A JSON path is RFC 9535 JSONPath (`$.data[0].id`); the `$.` may be left out, as people
//! write `data[0].id` in Postman's tests.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::http::Response;
use crate::model::{Assertion, AssertionOutcome, Capture, CaptureSource, Check};
use crate::vars::Scopes;

/// Largest body the checks read (a bigger one is checked on its first bytes, and said so).
pub const CHECK_BODY_CAP_BYTES: u64 = 256 * 1024 * 1024;

/// Why a check failed, or a capture could not be taken: what the response had instead, or why
/// it could not be looked at. The messages are what a run's results show.
///
/// A bad pattern or path, and a body that cannot be read or parsed, are remembered and their
/// failure is handed to every check that uses them: so it can be cloned, with other crates'
/// errors in an `Arc`.
#[derive(Clone, Debug, thiserror::Error)]
pub enum CheckFailure {
    #[error("status was {status}")]
    Status { status: u16 },
    #[error("no {name} header")]
    NoHeader { name: String },
    /// A value that is not the one expected (shown shortened).
    #[error("it was {}", shown(.actual))]
    Mismatch { actual: String },
    /// A number on the wrong side of the bound.
    #[error("it was {actual}")]
    OutOfBound { actual: f64 },
    /// A value compared with a number that is not one (shown shortened).
    #[error("it was {}, not a number", shown(.actual))]
    NotANumber { actual: String },
    #[error("not found in the {size_bytes} byte body")]
    NotInBody { size_bytes: usize },
    /// A JSON path that should select something, and selects nothing.
    #[error("{path} selects nothing in the body")]
    PathNotFound { path: String },
    /// A JSON path whose value a check or a capture needs, and that selects nothing.
    #[error("{path} selects nothing")]
    NoValue { path: String },
    /// A capture's regular expression that does not match the body.
    #[error("/{pattern}/ does not match the body")]
    NoMatch { pattern: String },
    #[error("it took {time_ms} ms")]
    TooSlow { time_ms: u64 },
    #[error("it was {size_bytes} bytes")]
    TooLarge { size_bytes: u64 },
    #[error("the pattern /{pattern}/ does not parse: {error}")]
    BadPattern { pattern: String, error: regex::Error },
    #[error("the JSON path {path} does not parse: {error}")]
    BadPath { path: String, error: Arc<serde_json_path::ParseError> },
    /// A body kept on disk that could not be read.
    #[error("the body could not be read back: {error}")]
    BodyUnreadable { error: Arc<std::io::Error> },
    #[error("the body is not JSON ({error})")]
    NotJson { error: Arc<serde_json::Error> },
}

/// Compiled regular expressions and JSON paths of a run, so a check used on every iteration is
/// parsed once. Bad patterns are remembered as their error.
#[derive(Default)]
pub struct Compiled {
    regexes: HashMap<String, Result<regex::Regex, CheckFailure>>,
    paths: HashMap<String, Result<JsonPath, CheckFailure>>,
}

impl Compiled {
    fn regex(&mut self, pattern: &str) -> Result<&regex::Regex, CheckFailure> {
        self.regexes
            .entry(pattern.to_owned())
            .or_insert_with(|| {
                regex::Regex::new(pattern)
                    .map_err(|error| CheckFailure::BadPattern { pattern: pattern.to_owned(), error })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    fn path(&mut self, path: &str) -> Result<&JsonPath, CheckFailure> {
        self.paths
            .entry(path.to_owned())
            .or_insert_with(|| {
                JsonPath::parse(&normalize_path(path))
                    .map_err(|e| CheckFailure::BadPath { path: path.to_owned(), error: Arc::new(e) })
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// `data[0].id` and `.data` become `$.data[0].id` and `$.data`.
fn normalize_path(path: &str) -> String {
    let path = path.trim();
    if path.starts_with('$') {
        path.to_owned()
    } else if path.starts_with('[') || path.starts_with('.') {
        format!("${path}")
    } else {
        format!("$.{path}")
    }
}

/// A response as the checks see it; the body is read and parsed lazily.
pub struct Subject<'a> {
    pub response: &'a Response,
    pub time_ms: u64,
    /// An event stream's JSON is its first this many events (see [`super::stream`]).
    event_limit: Option<u32>,
    body: OnceCell<Result<Vec<u8>, CheckFailure>>,
    json: OnceCell<Result<Value, CheckFailure>>,
}

impl<'a> Subject<'a> {
    pub fn new(response: &'a Response, time_ms: u64) -> Self {
        Self { response, time_ms, event_limit: None, body: OnceCell::new(), json: OnceCell::new() }
    }

    /// Checks on an event stream see only its first `max_events` events.
    #[must_use]
    pub fn with_event_limit(mut self, max_events: u32) -> Self {
        self.event_limit = Some(max_events);
        self
    }

    fn body(&self) -> Result<&[u8], CheckFailure> {
        self.body
            .get_or_init(|| {
                let body = &self.response.body;
                match body.bytes() {
                    Some(b) => Ok(b.to_vec()),
                    None => body
                        .read_prefix(CHECK_BODY_CAP_BYTES)
                        .map(|b| b.to_vec())
                        .map_err(|e| CheckFailure::BodyUnreadable { error: Arc::new(e) }),
                }
            })
            .as_deref()
            .map_err(Clone::clone)
    }

    fn body_text(&self) -> Result<String, CheckFailure> {
        self.body().map(|b| String::from_utf8_lossy(b).into_owned())
    }

    fn json(&self) -> Result<&Value, CheckFailure> {
        self.json
            .get_or_init(|| {
                let body = self.body()?;
                if self.response.content_type().is_some_and(crate::http::sse::is_event_stream) {
                    return Ok(super::stream::events_json(body, self.event_limit));
                }
                serde_json::from_slice(body).map_err(|e| CheckFailure::NotJson { error: Arc::new(e) })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The first node `path` selects, `Ok(None)` when it selects nothing.
    fn select(&self, compiled: &mut Compiled, path: &str) -> Result<Option<Value>, CheckFailure> {
        let path = compiled.path(path)?;
        let json = self.json()?;
        Ok(path.query(json).first().cloned())
    }

    /// The first node `path` selects; that it selects nothing is a failure.
    fn value(&self, compiled: &mut Compiled, path: &str) -> Result<Value, CheckFailure> {
        self.select(compiled, path)?.ok_or_else(|| CheckFailure::NoValue { path: path.to_owned() })
    }
}

/// A JSON value as a user would write it in a variable: strings without quotes.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Shortens long actual values in messages.
fn shown(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut:?}...")
    }
}

/// Evaluates every enabled assertion, `{{variables}}` in its values resolved first.
pub fn evaluate_all(
    assertions: &[Assertion],
    subject: &Subject<'_>,
    compiled: &mut Compiled,
    scopes: &Scopes,
) -> Vec<AssertionOutcome> {
    assertions
        .iter()
        .filter(|a| a.enabled)
        .map(|a| evaluate(&resolve_check(&a.check, scopes), subject, compiled))
        .collect()
}

/// The check with `{{variables}}` in its texts replaced (unresolved ones stay as written).
pub fn resolve_check(check: &Check, scopes: &Scopes) -> Check {
    let r = |t: &String| if t.contains("{{") { scopes.resolve(t).text } else { t.clone() };
    match check {
        Check::HeaderExists(name) => Check::HeaderExists(r(name)),
        Check::HeaderEquals { name, value } => Check::HeaderEquals { name: r(name), value: r(value) },
        Check::HeaderContains { name, value } => Check::HeaderContains { name: r(name), value: r(value) },
        Check::BodyContains(text) => Check::BodyContains(r(text)),
        Check::JsonPathEquals { path, value } => Check::JsonPathEquals { path: r(path), value: r(value) },
        Check::JsonPathExists(path) => Check::JsonPathExists(r(path)),
        Check::JsonPathMatches { path, pattern } => {
            Check::JsonPathMatches { path: r(path), pattern: r(pattern) }
        }
        Check::JsonPathLess { path, value } => Check::JsonPathLess { path: r(path), value: *value },
        Check::JsonPathGreater { path, value } => Check::JsonPathGreater { path: r(path), value: *value },
        other => other.clone(),
    }
}

/// One check: passed, or why not (expected and actual).
pub fn evaluate(check: &Check, subject: &Subject<'_>, compiled: &mut Compiled) -> AssertionOutcome {
    let name = check.to_string();
    match judge(check, subject, compiled) {
        Ok(()) => AssertionOutcome { name, passed: true, message: String::new(), skipped: false },
        Err(failure) => {
            AssertionOutcome { name, passed: false, message: failure.to_string(), skipped: false }
        }
    }
}

fn judge(check: &Check, s: &Subject<'_>, compiled: &mut Compiled) -> Result<(), CheckFailure> {
    let r = s.response;
    let expect = |ok: bool, failure: &dyn Fn() -> CheckFailure| if ok { Ok(()) } else { Err(failure()) };
    let status = || CheckFailure::Status { status: r.status };
    let no_header = |name: &String| CheckFailure::NoHeader { name: name.clone() };
    let mismatch = |actual: &str| CheckFailure::Mismatch { actual: actual.to_owned() };
    match check {
        Check::StatusEquals(code) => expect(r.status == *code, &status),
        Check::StatusInRange { min, max } => expect((*min..=*max).contains(&r.status), &status),
        Check::HeaderExists(name) => expect(r.header(name).is_some(), &|| no_header(name)),
        Check::HeaderEquals { name, value } => match r.header(name) {
            None => Err(no_header(name)),
            Some(actual) => expect(actual == value, &|| mismatch(actual)),
        },
        Check::HeaderContains { name, value } => match r.header(name) {
            None => Err(no_header(name)),
            Some(actual) => expect(actual.contains(value.as_str()), &|| mismatch(actual)),
        },
        Check::BodyContains(text) => {
            let body = s.body()?;
            let found = memchr::memmem::find(body, text.as_bytes()).is_some();
            expect(found, &|| CheckFailure::NotInBody { size_bytes: body.len() })
        }
        Check::JsonPathExists(path) => {
            expect(s.select(compiled, path)?.is_some(), &|| CheckFailure::PathNotFound { path: path.clone() })
        }
        Check::JsonPathEquals { path, value } => {
            let actual = s.value(compiled, path)?;
            // The expected value is JSON text; anything else is taken as a plain string.
            let expected =
                serde_json::from_str::<Value>(value).unwrap_or_else(|_| Value::String(value.clone()));
            // 7 and 7.0 are the same number.
            let same = actual == expected
                || (actual.is_number() && expected.is_number() && actual.as_f64() == expected.as_f64());
            expect(same, &|| mismatch(&actual.to_string()))
        }
        Check::JsonPathMatches { path, pattern } => {
            let text = as_text(&s.value(compiled, path)?);
            let re = compiled.regex(pattern)?;
            expect(re.is_match(&text), &|| mismatch(&text))
        }
        Check::JsonPathLess { path, value } | Check::JsonPathGreater { path, value } => {
            let actual = s.value(compiled, path)?;
            let Some(n) = as_number(&actual) else {
                return Err(CheckFailure::NotANumber { actual: actual.to_string() });
            };
            let ok = if matches!(check, Check::JsonPathLess { .. }) { n < *value } else { n > *value };
            expect(ok, &|| CheckFailure::OutOfBound { actual: n })
        }
        Check::ResponseTimeBelow { ms } => {
            expect(s.time_ms < *ms, &|| CheckFailure::TooSlow { time_ms: s.time_ms })
        }
        Check::SizeBelow { bytes } => {
            let size_bytes = r.size_bytes();
            expect(size_bytes < *bytes, &|| CheckFailure::TooLarge { size_bytes })
        }
    }
}

/// A value a capture took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captured {
    pub variable: String,
    pub value: String,
}

/// Runs one capture: the value, or why it could not be taken.
pub fn capture(
    c: &Capture,
    subject: &Subject<'_>,
    compiled: &mut Compiled,
) -> Result<Captured, CheckFailure> {
    let value = match &c.source {
        CaptureSource::Status => subject.response.status.to_string(),
        CaptureSource::Header(name) => subject
            .response
            .header(name)
            .ok_or_else(|| CheckFailure::NoHeader { name: name.clone() })?
            .to_owned(),
        CaptureSource::JsonPath(path) => as_text(&subject.value(compiled, path)?),
        CaptureSource::BodyRegex(pattern) => {
            let body = subject.body_text()?;
            let re = compiled.regex(pattern)?;
            let caps =
                re.captures(&body).ok_or_else(|| CheckFailure::NoMatch { pattern: pattern.clone() })?;
            caps.get(1).or_else(|| caps.get(0)).map(|m| m.as_str().to_owned()).unwrap_or_default()
        }
    };
    Ok(Captured { variable: c.variable.clone(), value })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::http::ResponseBody;
    use crate::model::{CaptureScope, Header};

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            reason: String::new(),
            http_version: "HTTP/1.1".into(),
            remote_addr: None,
            headers: vec![Header::new("Content-Type", "application/json"), Header::new("X-Id", "abc-42")],
            cookies: Vec::new(),
            body: ResponseBody::in_memory(bytes::Bytes::copy_from_slice(body.as_bytes())),
            wire_size_bytes: body.len() as u64,
            content_encoding: None,
            url: "http://127.0.0.1/".into(),
            stopped: false,
        }
    }

    #[allow(clippy::needless_pass_by_value)] // reads better at the call sites
    fn check(c: Check, body: &str) -> AssertionOutcome {
        let r = response(201, body);
        evaluate(&c, &Subject::new(&r, 12), &mut Compiled::default())
    }

    #[test]
    fn checks_pass_and_fail_with_the_actual_value() {
        let body = r#"{"data":[{"id":7,"name":"Ada","score":"3.5"}],"ok":true}"#;
        assert!(check(Check::StatusEquals(201), body).passed);
        assert_eq!(check(Check::StatusEquals(200), body).message, "status was 201");
        assert!(check(Check::StatusInRange { min: 200, max: 299 }, body).passed);
        assert!(check(Check::HeaderExists("x-id".into()), body).passed);
        assert!(!check(Check::HeaderEquals { name: "X-Id".into(), value: "abc".into() }, body).passed);
        assert!(check(Check::HeaderContains { name: "X-Id".into(), value: "abc".into() }, body).passed);
        assert!(check(Check::BodyContains("Ada".into()), body).passed);
        assert!(check(Check::JsonPathEquals { path: "$.data[0].id".into(), value: "7".into() }, body).passed);
        assert!(
            check(Check::JsonPathEquals { path: "data[0].name".into(), value: "\"Ada\"".into() }, body)
                .passed
        );
        assert!(
            check(Check::JsonPathEquals { path: "data[0].name".into(), value: "Ada".into() }, body).passed
        );
        assert!(check(Check::JsonPathEquals { path: "$.ok".into(), value: "true".into() }, body).passed);
        let wrong = check(Check::JsonPathEquals { path: "$.data[0].id".into(), value: "8".into() }, body);
        assert_eq!(wrong.message, "it was \"7\"");
        assert!(check(Check::JsonPathExists("$.data[0]".into()), body).passed);
        assert!(!check(Check::JsonPathExists("$.nope".into()), body).passed);
        assert!(
            check(Check::JsonPathMatches { path: "$.data[0].name".into(), pattern: "^A".into() }, body)
                .passed
        );
        assert!(check(Check::JsonPathLess { path: "$.data[0].score".into(), value: 4.0 }, body).passed);
        assert!(!check(Check::JsonPathGreater { path: "$.data[0].id".into(), value: 7.0 }, body).passed);
        assert!(check(Check::ResponseTimeBelow { ms: 13 }, body).passed);
        assert_eq!(check(Check::ResponseTimeBelow { ms: 12 }, body).message, "it took 12 ms");
        assert!(check(Check::SizeBelow { bytes: 1000 }, body).passed);
    }

    #[test]
    fn bad_paths_patterns_and_bodies_fail_with_a_reason() {
        let bad_path = check(Check::JsonPathExists("$.[".into()), "{}");
        assert!(!bad_path.passed);
        assert!(bad_path.message.contains("does not parse"), "{}", bad_path.message);
        let not_json = check(Check::JsonPathExists("$.a".into()), "<html>");
        assert!(not_json.message.contains("not JSON"), "{}", not_json.message);
        let bad_re = check(Check::JsonPathMatches { path: "$.a".into(), pattern: "(".into() }, r#"{"a":1}"#);
        assert!(bad_re.message.contains("does not parse"), "{}", bad_re.message);
        let not_number = check(Check::JsonPathLess { path: "$.a".into(), value: 1.0 }, r#"{"a":[1]}"#);
        assert!(not_number.message.contains("not a number"), "{}", not_number.message);
    }

    #[test]
    fn captures_take_values_from_every_source() {
        let r = response(201, r#"{"token":"t-1","n":5,"obj":{"a":1}}"#);
        let s = Subject::new(&r, 1);
        let mut compiled = Compiled::default();
        let cap =
            |source| Capture { enabled: true, variable: "v".into(), scope: CaptureScope::Runtime, source };
        let take = |c: Capture, compiled: &mut Compiled| capture(&c, &s, compiled).map(|c| c.value);
        assert_eq!(take(cap(CaptureSource::JsonPath("$.token".into())), &mut compiled).unwrap(), "t-1");
        assert_eq!(take(cap(CaptureSource::JsonPath("n".into())), &mut compiled).unwrap(), "5");
        assert_eq!(take(cap(CaptureSource::JsonPath("$.obj".into())), &mut compiled).unwrap(), r#"{"a":1}"#);
        assert_eq!(take(cap(CaptureSource::Header("x-id".into())), &mut compiled).unwrap(), "abc-42");
        assert_eq!(take(cap(CaptureSource::BodyRegex(r#""n":(\d+)"#.into())), &mut compiled).unwrap(), "5");
        assert_eq!(take(cap(CaptureSource::Status), &mut compiled).unwrap(), "201");
        let missing = capture(&cap(CaptureSource::JsonPath("$.missing".into())), &s, &mut compiled);
        assert!(
            matches!(&missing, Err(CheckFailure::NoValue { path }) if path == "$.missing"),
            "{missing:?}"
        );
        assert_eq!(missing.unwrap_err().to_string(), "$.missing selects nothing");
    }
}
