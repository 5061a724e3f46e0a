//! The script-bearing collections of the corpus run by newman and by `localpost run --import`
//! against the same postman-echo look-alike: every test (`pm.test`, `tests[...]`) must end the
//! same way (passed, failed or skipped) in both. Hosts the collections call on the internet
//! (postman-echo.com, echo.getpostman.com, api.getpostman.com, httpbin.org) are pointed at the
//! look-alike in a copy of each file, for both tools.
//!
//! Skips, saying why, where node/npm is absent or newman cannot be installed.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The corpus files with scripts that newman can run (a Postman data dump it cannot).
const COLLECTIONS: &[&str] = &[
    "postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json",
    "postman-v2.1/newman-whatwg-url-unicode.postman_collection.json",
    "postman-v2.0/newman-echo-v2.0-auth-examples.postman_collection.json",
    "postman-v2.1/postman-api-scripts-all-levels.postman_collection.json",
    "postman-v2.0/newman-multi-level-folders-v2.0.postman_collection.json",
    "postman-v2.1/newman-protocol-profile-behavior.postman_collection.json",
    "postman-v2.1/bruno-export-basic-auth-folder-inheritance.postman_collection.json",
    "postman-v2.1/yaak-params-pathvars-disabled.postman_collection.json",
    "postman-v2.1/bruno-export-oauth1-signature-methods.postman_collection.json",
    "postman-v2.1/bruno-export-ntlm-auth.postman_collection.json",
    "postman-v2.1/bruno-export-awsv4-auth.postman_collection.json",
    "postman-v2.0/edge-newman-bom-in-collection-file.postman_collection.json",
];

const REMOTE_HOSTS: &[&str] =
    &["postman-echo.com", "echo.getpostman.com", "api.getpostman.com", "httpbin.org"];

/// Points every URL at a remote host to the look-alike (strings and Postman's URL objects).
fn rewrite(v: &mut Value, port: u16) {
    match v {
        Value::String(s) => {
            for host in REMOTE_HOSTS {
                for scheme in ["https://", "http://"] {
                    *s = s.replace(&format!("{scheme}{host}"), &format!("http://127.0.0.1:{port}"));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite(i, port)),
        Value::Object(map) => {
            let host = match map.get("host") {
                Some(Value::Array(parts)) => {
                    Some(parts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("."))
                }
                Some(Value::String(h)) => Some(h.clone()),
                _ => None,
            };
            if map.contains_key("raw") && host.is_some_and(|h| REMOTE_HOSTS.contains(&h.as_str())) {
                map.insert("host".into(), serde_json::json!(["127", "0", "0", "1"]));
                map.insert("port".into(), Value::String(port.to_string()));
                map.insert("protocol".into(), Value::String("http".into()));
            }
            map.values_mut().for_each(|i| rewrite(i, port));
        }
        _ => {}
    }
}

/// Tests that end differently, each with the reason; anything else that differs fails the test.
const KNOWN: &[(&str, &str, &str)] = &[
    ("Hawk Auth", "*", "Hawk auth is not supported yet (issue 14): the request is not sent"),
    (
        "OAuth1.0 (verify signature)",
        "*",
        "OAuth 1.0 is not supported yet (issue 14): the request is not sent",
    ),
    ("OAuth1.0 Verify Signature", "*", "OAuth 1.0 is not supported yet (issue 14): the request is not sent"),
    (
        "Delete Cookies",
        "*",
        "newman sends the cookies a response has just deleted with the redirect it follows; Localpost's jar drops them first",
    ),
];

fn known(request: &str, test: &str) -> Option<&'static str> {
    KNOWN.iter().find(|(r, t, _)| *r == request && (*t == "*" || *t == test)).map(|(_, _, why)| *why)
}

type Outcomes = BTreeMap<(String, String), Vec<&'static str>>;

fn add(out: &mut Outcomes, request: &str, test: &str, outcome: &'static str) {
    out.entry((request.to_owned(), test.to_owned())).or_default().push(outcome);
}

fn newman_outcomes(report: &Value) -> Outcomes {
    let mut out = Outcomes::new();
    for e in report["run"]["executions"].as_array().into_iter().flatten() {
        let request = e["item"]["name"].as_str().unwrap_or_default();
        for a in e["assertions"].as_array().into_iter().flatten() {
            let outcome = if a["skipped"].as_bool() == Some(true) {
                "skipped"
            } else if a.get("error").is_some_and(|e| !e.is_null()) {
                "failed"
            } else {
                "passed"
            };
            add(&mut out, request, a["assertion"].as_str().unwrap_or_default(), outcome);
        }
    }
    out
}

fn localpost_outcomes(report: &Value) -> Outcomes {
    let mut out = Outcomes::new();
    for r in report["results"].as_array().into_iter().flatten() {
        let request = r["name"].as_str().unwrap_or_default();
        for a in r["assertions"].as_array().into_iter().flatten() {
            let name = a["name"].as_str().unwrap_or_default();
            // Script errors are reported beside the tests; newman counts them apart.
            if name.ends_with(" pre-request script") || name.ends_with(" test script") {
                continue;
            }
            let outcome = if a["skipped"].as_bool() == Some(true) {
                "skipped"
            } else if a["passed"].as_bool() == Some(true) {
                "passed"
            } else {
                "failed"
            };
            add(&mut out, request, name, outcome);
        }
    }
    out
}

#[test]
fn corpus_collections_with_scripts_end_as_they_do_under_newman() {
    let newman = match support::newman::find() {
        Ok(n) => n,
        Err(why) => {
            eprintln!("skipped: newman is not available ({why})");
            return;
        }
    };
    let server = support::echo::start();
    let port = server.addr.port();
    let tmp = tempfile::tempdir().unwrap();
    let mut report = Vec::new();
    let mut differing = 0;
    for name in COLLECTIONS {
        let source = support::corpus().join(name);
        let text = std::fs::read_to_string(&source).unwrap();
        let mut json: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        rewrite(&mut json, port);
        let stem = Path::new(name).file_name().unwrap().to_string_lossy().into_owned();
        let file = tmp.path().join(&stem);
        std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();

        let newman_json = tmp.path().join(format!("{stem}.newman.json"));
        let ran = support::newman::run(
            Command::new(&newman)
                .args(["run"])
                .arg(&file)
                .args(["--reporters", "cli,json", "--reporter-json-export"])
                .arg(&newman_json)
                .args(["--timeout-request", "5000", "--suppress-exit-code"]),
        );
        assert!(newman_json.exists(), "newman did not run {name}: {}", ran.stderr);
        let expected =
            newman_outcomes(&serde_json::from_slice(&std::fs::read(&newman_json).unwrap()).unwrap());

        let out_dir = tmp.path().join(format!("{stem}.localpost"));
        let ran = support::localpost(&tmp.path().join("data"))
            .args(["run", "--send-unresolved", "--import"])
            .arg(&file)
            .args(["--reporter", "json", "--out"])
            .arg(&out_dir)
            .args(["--timeout-request", "5000"])
            .output()
            .unwrap();
        let ours_path = out_dir.join("localpost-run.json");
        assert!(ours_path.exists(), "localpost did not run {name}: {}", String::from_utf8_lossy(&ran.stderr));
        let ours = localpost_outcomes(&serde_json::from_slice(&std::fs::read(&ours_path).unwrap()).unwrap());

        let total: usize = expected.values().map(Vec::len).sum();
        let mut agree = 0;
        let mut diffs = Vec::new();
        for (key, want) in &expected {
            let got = ours.get(key).cloned().unwrap_or_default();
            let same = want.iter().zip(&got).filter(|(a, b)| a == b).count();
            agree += same;
            if same < want.len() || got.len() != want.len() {
                diffs.push((key.clone(), format!("newman {want:?}, localpost {got:?}")));
            }
        }
        for (key, got) in &ours {
            if !expected.contains_key(key) {
                diffs.push((key.clone(), format!("newman [], localpost {got:?}")));
            }
        }
        let diffs: Vec<String> = diffs
            .into_iter()
            .map(|((request, test), what)| match known(&request, &test) {
                Some(why) => format!("    {request} / {test}: {what} (known: {why})"),
                None => {
                    differing += 1;
                    format!("    {request} / {test}: {what} (UNEXPECTED)")
                }
            })
            .collect();
        report.push(format!("{name}: {total} tests, {agree} agree, {} differ", diffs.len()));
        report.extend(diffs);
    }
    eprintln!("{}", report.join("\n"));
    assert_eq!(differing, 0, "tests that end differently without a known reason:\n{}", report.join("\n"));
}
