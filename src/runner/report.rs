//! A run as JSON and as JUnit XML (the shape CI systems read: `testsuites` > `testsuite` per
//! request and iteration > `testcase` per assertion, with `failure` and `error` elements).
//! Both stream their results, so a run of any length is written in bounded memory.

use std::io::{self, Write};

use time::format_description::well_known::Rfc3339;

use super::journal::Tally;
use crate::model::{RequestOutcome, RunResult};

/// The run as one JSON object: the run's fields, a `summary`, then `results`, one per line.
pub fn write_json(
    w: &mut impl Write,
    run: &RunResult,
    tally: &Tally,
    outcomes: impl Iterator<Item = io::Result<RequestOutcome>>,
) -> io::Result<()> {
    let mut head = serde_json::to_value(run).map_err(io::Error::other)?;
    if let Some(map) = head.as_object_mut() {
        map.remove("results");
        map.insert(
            "summary".into(),
            serde_json::json!({
                "requests": tally.requests,
                "passed": tally.passed,
                "failed": tally.failed,
                "errors": tally.errors,
                "assertions": tally.assertions,
                "assertions_failed": tally.assertions_failed,
                "assertions_skipped": tally.assertions_skipped,
                "prerequest_scripts": tally.pre_request_scripts,
                "prerequest_scripts_failed": tally.pre_request_scripts_failed,
                "test_scripts": tally.test_scripts,
                "test_scripts_failed": tally.test_scripts_failed,
                "total_time_ms": tally.total_ms,
            }),
        );
    }
    let head = serde_json::to_string(&head).map_err(io::Error::other)?;
    // `{...}` without its closing brace, then the results.
    let open = head.strip_suffix('}').unwrap_or(&head);
    w.write_all(open.as_bytes())?;
    w.write_all(if open.ends_with('{') { b"\"results\":[" } else { b",\"results\":[" })?;
    let mut first = true;
    for outcome in outcomes {
        // Where the run kept the response is the run file's business, not the report's.
        let outcome = RequestOutcome { kept: crate::model::ResponseKept::No, ..outcome? };
        w.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *w, &outcome).map_err(io::Error::other)?;
    }
    w.write_all(b"\n]}\n")
}

/// Escapes text for an XML attribute or element.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn seconds(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

/// The run as JUnit XML.
pub fn write_junit(
    w: &mut impl Write,
    run: &RunResult,
    tally: &Tally,
    outcomes: impl Iterator<Item = io::Result<RequestOutcome>>,
) -> io::Result<()> {
    let timestamp = run.started_at.format(&Rfc3339).unwrap_or_default();
    // Every request is at least one test case: its assertions, or "response received".
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<testsuites name="{}" tests="{}" failures="{}" errors="{}" skipped="{}" time="{}" timestamp="{}">"#,
        xml(&run.target.name),
        tally.cases,
        tally.assertions_failed,
        tally.errors,
        tally.assertions_skipped,
        seconds(tally.total_ms),
        timestamp,
    )?;
    let class_prefix = xml(&run.target.name.replace(['/', ' '], "_"));
    for (index, outcome) in outcomes.enumerate() {
        let o = outcome?;
        let cases = o.assertions.len().max(1);
        let failures = o.assertions.iter().filter(|a| !a.passed).count();
        let errors = usize::from(o.error.is_some() && o.assertions.is_empty());
        let skipped = o.assertions.iter().filter(|a| a.skipped).count();
        let suite = if run.iterations > 1 || o.iteration > 0 {
            format!("{} (iteration {})", o.name, o.iteration + 1)
        } else {
            o.name.clone()
        };
        writeln!(
            w,
            r#"  <testsuite name="{}" id="{index}" tests="{cases}" failures="{failures}" errors="{errors}" skipped="{skipped}" time="{}" timestamp="{timestamp}">"#,
            xml(&suite),
            seconds(o.time_ms),
        )?;
        let classname = format!("{class_prefix}.{}", xml(&o.name.replace(['/', ' '], "_")));
        let status = o.status.map_or_else(|| "no response".to_owned(), |s| s.to_string());
        writeln!(
            w,
            r#"    <properties><property name="method" value="{}"/><property name="url" value="{}"/><property name="status" value="{status}"/></properties>"#,
            xml(&o.method),
            xml(&o.url),
        )?;
        if o.assertions.is_empty() {
            write!(
                w,
                r#"    <testcase name="response received" classname="{classname}" time="{}""#,
                seconds(o.time_ms)
            )?;
            match &o.error {
                None => writeln!(w, "/>")?,
                Some(e) => writeln!(
                    w,
                    ">\n      <error type=\"RequestError\" message=\"{}\">{}</error>\n    </testcase>",
                    xml(e),
                    xml(e)
                )?,
            }
        }
        for a in &o.assertions {
            write!(
                w,
                r#"    <testcase name="{}" classname="{classname}" time="{}""#,
                xml(&a.name),
                seconds(o.time_ms)
            )?;
            if a.skipped {
                writeln!(w, ">\n      <skipped message=\"{}\"/>\n    </testcase>", xml(&a.message))?;
            } else if a.passed {
                writeln!(w, "/>")?;
            } else {
                writeln!(
                    w,
                    ">\n      <failure type=\"AssertionFailure\" message=\"{}\">{}: {}</failure>\n    </testcase>",
                    xml(&a.message),
                    xml(&a.name),
                    xml(&a.message)
                )?;
            }
        }
        if let (Some(e), false) = (&o.error, o.assertions.is_empty()) {
            writeln!(w, "    <system-err>{}</system-err>", xml(e))?;
        }
        writeln!(w, "  </testsuite>")?;
    }
    writeln!(w, "</testsuites>")
}
