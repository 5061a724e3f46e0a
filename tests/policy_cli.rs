//! Issue 4: `localpost policy check FILE` for administrators (errors at line and column, non-zero
//! exit when the file would cause Lockdown) and `localpost policy show [--json]`.
#![allow(clippy::unwrap_used)] // Helpers of tests: a failed unwrap is a failed test.

use std::path::Path;
use std::process::{Command, Output};

fn localpost(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_localpost")).args(args).output().unwrap()
}

fn check(path: &Path) -> (i32, String) {
    let out = localpost(&["policy", "check", path.to_str().unwrap()]);
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn check_accepts_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.ron");
    std::fs::write(
        &file,
        "(schema_version: 1, organization_name: \"ACME\", allowed_hosts: [\"*.acme.example\"])",
    )
    .unwrap();
    let (code, out) = check(&file);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": OK (effective policy sha256 "), "{out}");
}

#[test]
fn check_points_at_bad_values_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.ron");
    std::fs::write(&file, "(\n    schema_version: 1,\n    colour: Blue,\n    allowed_hosts: [\"https://api.example.com\"],\n)\n")
        .unwrap();
    let (code, out) = check(&file);
    assert_eq!(code, 3, "{out}");
    let at = format!("{}:4:5: allowed_hosts: `https://api.example.com` is a URL", file.display());
    assert!(out.contains(&format!("error: {at}")), "{out}");
    assert!(
        out.contains(&format!("warning: {}:3:5: unknown key `colour`; ignored", file.display())),
        "{out}"
    );
}

#[test]
fn check_exits_1_when_the_file_would_cause_lockdown() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.ron");
    std::fs::write(&file, "(\n    schema_version: 1,\n    allow_import: \"no\",\n)\n").unwrap();
    let (code, out) = check(&file);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("error: {}:3:19: allow_import: Expected boolean", file.display())),
        "{out}"
    );
    assert!(out.contains("would put Localpost in Lockdown"), "{out}");

    for (path, needle) in
        [(dir.path().to_path_buf(), "is a folder"), (dir.path().join("missing.ron"), "cannot read")]
    {
        let (code, out) = check(&path);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains(needle), "{out}");
    }
}

#[test]
fn show_prints_every_key_as_json() {
    let out = localpost(&["policy", "show", "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(["baseline", "managed", "lockdown"].contains(&json["state"].as_str().unwrap()));
    assert_eq!(json["sha256"].as_str().unwrap().len(), 64);
    let keys: Vec<&str> = json["keys"].as_array().unwrap().iter().filter_map(|k| k["key"].as_str()).collect();
    for key in ["account_sign_in", "cloud_sync", "telemetry", "update_checks", "allowed_hosts"] {
        assert!(keys.contains(&key), "{key}");
    }
    let text = localpost(&["policy", "show"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("Organization policy: Managed by "), "{text}");
    assert!(text.contains("account_sign_in") && text.contains("Disabled"), "{text}");
}
