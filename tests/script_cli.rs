//! `localpost run --import` with scripts, as a CI job calls newman: the everyday flags
//! (`-e`, `-g`, `--env-var`, `--global-var`, `--folder`, `--export-environment`,
//! `--export-globals`, `--reporter-junit-export`, `--suppress-exit-code`, `--timeout-script`),
//! against the postman-echo look-alike on 127.0.0.1.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};

fn localpost(dir: &Path, args: &[&str]) -> Output {
    support::localpost(&dir.join("data")).args(args).output().unwrap()
}

fn item(name: &str, method: &str, url: &str, pre: &[&str], test: &[&str]) -> Value {
    let mut events = Vec::new();
    if !pre.is_empty() {
        events.push(json!({ "listen": "prerequest", "script": { "type": "text/javascript", "exec": pre } }));
    }
    if !test.is_empty() {
        events.push(json!({ "listen": "test", "script": { "type": "text/javascript", "exec": test } }));
    }
    json!({ "name": name, "event": events, "request": { "method": method, "url": url, "header": [
        { "key": "Authorization", "value": "Bearer {{token}}" }, { "key": "X-Region", "value": "{{region}}" } ] } })
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

fn files(dir: &Path, base: &str) -> (String, String, String) {
    let collection = json!({
        "info": { "name": "Scripted", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "item": [
            { "name": "Auth", "item": [
                item("Login", "GET", "{{base}}/get?user={{user}}", &[],
                     &["pm.test('login ok', () => pm.response.to.have.status(200));",
                       "pm.environment.set('token', 'tok-' + pm.response.json().args.user);",
                       "pm.globals.set('logins', String(Number(pm.globals.get('logins') || 0) + 1));"]),
            ]},
            { "name": "Data", "item": [
                item("Me", "GET", "{{base}}/headers", &["pm.request.headers.add({ key: 'X-Pre', value: 'yes' });"],
                     &["const h = pm.response.json().headers;",
                       "pm.test('token sent', () => pm.expect(h.authorization).to.equal('Bearer tok-ada'));",
                       "pm.test('region from --global-var', () => pm.expect(h['x-region']).to.equal('eu'));",
                       "pm.test('pre-request header', () => pm.expect(h['x-pre']).to.equal('yes'));",
                       "pm.test.skip('not yet', () => {});",
                       "pm.test('fails on purpose', () => pm.expect(1).to.equal(2));"]),
            ]},
            item("Elsewhere", "GET", "{{base}}/status/500", &[], &["pm.test('never run with --folder', () => {});"]),
        ]
    });
    let env = json!({ "name": "Dev", "values": [ { "key": "base", "value": base, "enabled": true }, { "key": "user", "value": "bob", "enabled": true } ],
                      "_postman_variable_scope": "environment" });
    let globals = json!({ "name": "Globals", "values": [ { "key": "logins", "value": "41", "enabled": true } ], "_postman_variable_scope": "globals" });
    (write(dir, "c.json", &collection), write(dir, "e.json", &env), write(dir, "g.json", &globals))
}

#[test]
fn newman_style_flags_run_scripts_and_export_what_they_changed() {
    let server = support::echo::start();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (collection, env, globals) = files(dir, &server.url(""));
    let env_out = dir.join("out/env.json").display().to_string();
    let globals_out = dir.join("out/globals.json").display().to_string();
    let junit = dir.join("out/junit.xml").display().to_string();
    let out = localpost(
        dir,
        &[
            "run",
            "--send-unresolved",
            "--import",
            &collection,
            "-e",
            &env,
            "-g",
            &globals,
            "--env-var",
            "user=ada",
            "--global-var",
            "region=eu",
            "--folder",
            "Auth",
            "--folder",
            "Data",
            "--export-environment",
            &env_out,
            "--export-globals",
            &globals_out,
            "--reporter-junit-export",
            &junit,
            "--color",
            "off",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a failing test fails the run\n{stdout}\n{stderr}");
    assert!(stdout.contains("fails on purpose: expected 1 to equal 2"), "{stdout}");
    assert!(!stdout.contains("Elsewhere"), "--folder runs only the folders named\n{stdout}");
    assert!(stdout.contains("test-scripts"), "{stdout}");
    let paths: Vec<_> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(paths, ["/get?user=ada", "/headers"]);

    let env: Value = serde_json::from_str(&std::fs::read_to_string(&env_out).unwrap()).unwrap();
    let value = |file: &Value, key: &str| {
        file["values"].as_array().unwrap().iter().find(|v| v["key"] == key).map(|v| v["value"].clone())
    };
    assert_eq!(value(&env, "token"), Some(json!("tok-ada")));
    assert_eq!(value(&env, "user"), Some(json!("ada")));
    let globals: Value = serde_json::from_str(&std::fs::read_to_string(&globals_out).unwrap()).unwrap();
    assert_eq!(globals["_postman_variable_scope"], "globals");
    assert_eq!(value(&globals, "logins"), Some(json!("42")));
    assert_eq!(value(&globals, "region"), Some(json!("eu")));

    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    let names: Vec<_> = cases.iter().filter_map(|c| c.attribute("name")).collect();
    assert_eq!(
        names,
        [
            "login ok",
            "token sent",
            "region from --global-var",
            "pre-request header",
            "not yet",
            "fails on purpose"
        ]
    );
    assert!(cases[4].children().any(|c| c.has_tag_name("skipped")));
    assert!(cases[5].children().any(|c| c.has_tag_name("failure")));

    let suppressed = localpost(
        dir,
        &[
            "run",
            "--send-unresolved",
            "--import",
            &collection,
            "-e",
            &env_out,
            "--folder",
            "Data",
            "--suppress-exit-code",
        ],
    );
    assert_eq!(suppressed.status.code(), Some(0), "{}", String::from_utf8_lossy(&suppressed.stdout));
}

#[test]
fn a_script_timeout_from_the_command_line_stops_a_looping_script() {
    let server = support::echo::start();
    let tmp = tempfile::tempdir().unwrap();
    let collection = json!({
        "info": { "name": "Loop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "item": [ item("Spin", "GET", &server.url("/get"), &[], &["console.log('spinning');", "while (true) {}"]),
                  item("After", "GET", &server.url("/get?after"), &[], &["pm.test('still runs', () => pm.response.to.be.ok);"]) ]
    });
    let file = write(tmp.path(), "loop.json", &collection);
    let started = std::time::Instant::now();
    let out =
        localpost(tmp.path(), &["run", "--send-unresolved", "--import", &file, "--timeout-script", "300"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("request \"Spin\" test script: line "), "{stdout}");
    assert!(stdout.contains("the script ran longer than its limit of 300 ms"), "{stdout}");
    assert!(stdout.contains("| spinning"), "console lines are shown: {stdout}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn an_unknown_folder_is_a_usage_error() {
    let server = support::echo::start();
    let tmp = tempfile::tempdir().unwrap();
    let (collection, _, _) = files(tmp.path(), &server.url(""));
    let out = localpost(tmp.path(), &["run", "--import", &collection, "--folder", "Nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no folder or request named Nope"));
    assert!(server.requests().is_empty());
}

// A variable no scope defines stops its request by default, with a hint; `--send-unresolved`
// sends the text as written (as newman), and the run names each request sent so.
#[test]
fn undefined_variables_stop_a_request_unless_the_run_sends_them_as_written() {
    let server = support::echo::start();
    let tmp = tempfile::tempdir().unwrap();
    let collection = json!({
        "info": { "name": "Vars", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "item": [ { "name": "Needs token", "request": { "method": "GET", "url": server.url("/get?t={{token}}") } },
                  { "name": "Plain", "request": { "method": "GET", "url": server.url("/get?plain") } } ]
    });
    let file = write(tmp.path(), "vars.json", &collection);
    let out = localpost(tmp.path(), &["run", "--import", &file]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("not sent: these variables are not defined in any scope: {{token}}"), "{stdout}");
    assert!(
        stderr.contains("1 request was not sent: a variable no scope defines (--send-unresolved"),
        "{stdout}{stderr}"
    );
    assert_eq!(server.requests().len(), 1, "only the request without the variable went");

    let reports = tmp.path().display().to_string();
    let out = localpost(
        tmp.path(),
        &["run", "--send-unresolved", "--import", &file, "-r", "cli,json", "--out", &reports],
    );
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("{{token}} is not defined in any scope: sent as written"), "{stdout}");
    assert!(
        stderr.contains(
            "1 request went out with variables no scope defines, sent as written:\n  Needs token: {{token}}"
        ),
        "{stderr}"
    );
    let sent = server.requests();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[1].target, "/get?t={{token}}", "as newman sends it");
    let report = std::fs::read_to_string(tmp.path().join("localpost-run.json")).unwrap();
    assert!(report.contains("\"unresolved\""), "{report}");
}
