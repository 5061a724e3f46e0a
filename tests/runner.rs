//! The collection runner against servers on 127.0.0.1: assertions, captures, iterations, data
//! files, bail, cancel, kept results, reports, and `localpost run` end to end.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::time::Duration;

use localpost::http::Engine;
use localpost::model::*;
use localpost::runner::{self, RunFinished, RunSpec, data};
use localpost::storage::{Store, runs};
use support::{Reply, Server};

/// A server for a login flow: `POST /login` hands out `t-<n>`; `GET /me` answers 200 with
/// `{"id":7,"name":"Ada"}` for `Bearer t-<n>` and 401 otherwise; `/u/<x>` echoes `x`;
/// `/slow` waits 3 s.
fn flow_server() -> Server {
    let logins = Arc::new(std::sync::atomic::AtomicU32::new(0));
    Server::start(move |r| match r.path() {
        "/login" => {
            let n = logins.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            Reply::json(&format!(r#"{{"token":"t-{n}","n":{n}}}"#)).header("X-Session", &format!("s{n}"))
        }
        "/me" if r.header("authorization").is_some_and(|a| a.starts_with("Bearer t-")) => {
            Reply::json(r#"{"id":7,"name":"Ada","tags":["a","b"]}"#)
        }
        "/me" => Reply::text(401, "no token"),
        "/slow" => Reply::text(200, "late").delay(Duration::from_secs(3)),
        p if p.starts_with("/u/") => Reply::text(200, &p[3..]),
        _ => Reply::text(404, "not found"),
    })
}

fn check(c: Check) -> Assertion {
    Assertion::new(c)
}

fn capture(variable: &str, scope: CaptureScope, source: CaptureSource) -> Capture {
    Capture { enabled: true, variable: variable.into(), scope, source }
}

/// A workspace with one collection holding `requests`, in order, and an environment "Dev".
fn workspace(
    requests: Vec<Request>,
    env_vars: Vec<Variable>,
) -> (WorkspaceData, CollectionId, EnvironmentId) {
    let mut ws = WorkspaceData::new(Workspace::new("Team"));
    let mut c = Collection::new("API");
    for r in requests {
        c.children.push(ItemId::Request(r.id));
        ws.requests.insert(r.id, r);
    }
    let cid = c.id;
    ws.collections.insert(c.id, c);
    let mut env = Environment::new("Dev");
    env.variables = env_vars;
    let eid = env.id;
    ws.environments.insert(env.id, env);
    (ws, cid, eid)
}

fn engine() -> Engine {
    Engine::new(Settings::default()).unwrap()
}

fn run(spec: RunSpec) -> (Box<RunFinished>, Vec<RequestOutcome>) {
    let engine = engine();
    let mut streamed = Vec::new();
    let done = runner::start(&engine, spec, None).wait(|_, o, _| streamed.push(o.clone())).unwrap();
    let kept = done.journal.as_ref().unwrap().read_all().unwrap();
    assert_eq!(kept, streamed, "the journal holds what was streamed");
    (done, streamed)
}

fn login_flow(server: &Server) -> (WorkspaceData, CollectionId, EnvironmentId) {
    let mut login = Request::new("login").with_method(Method::Post).with_url("{{base}}/login");
    login.assertions = vec![check(Check::StatusEquals(200)), check(Check::JsonPathExists("$.token".into()))];
    login.captures = vec![
        capture("token", CaptureScope::Runtime, CaptureSource::JsonPath("$.token".into())),
        capture("session", CaptureScope::Environment, CaptureSource::Header("x-session".into())),
    ];
    let mut me = Request::new("me").with_url("{{base}}/me?s={{session}}");
    me.headers = vec![KeyValue::new("Authorization", "Bearer {{token}}")];
    me.assertions = vec![
        check(Check::StatusEquals(200)),
        check(Check::JsonPathEquals { path: "$.id".into(), value: "7".into() }),
        check(Check::JsonPathEquals { path: "$.name".into(), value: "\"Bob\"".into() }),
        check(Check::HeaderContains { name: "content-type".into(), value: "json".into() }),
        check(Check::ResponseTimeBelow { ms: 60_000 }),
    ];
    workspace(vec![login, me], vec![Variable::new("base", server.url("")), Variable::new("session", "none")])
}

#[test]
fn assertions_pass_and_fail_and_captures_feed_later_requests() {
    let server = flow_server();
    let (ws, c, env) = login_flow(&server);
    let mut spec = RunSpec::for_parent(Arc::new(ws), ParentId::Collection(c));
    spec.environment = Some(env);
    let (done, outcomes) = run(spec);
    assert_eq!(outcomes.len(), 2);
    assert!(outcomes[0].passed(), "{:?}", outcomes[0]);
    let me = &outcomes[1];
    assert_eq!(me.status, Some(200));
    let failed: Vec<_> = me.assertions.iter().filter(|a| !a.passed).collect();
    assert_eq!(failed.len(), 1, "{:?}", me.assertions);
    assert_eq!(failed[0].name, r#"$.name == "Bob""#);
    assert_eq!(failed[0].message, r#"it was "\"Ada\"""#);
    // The runtime capture set the token, the environment capture overrode the session.
    let got = server.requests();
    assert_eq!(got[1].header("authorization"), Some("Bearer t-1"));
    assert_eq!(got[1].target, "/me?s=s1");
    assert_eq!(done.tally.requests, 2);
    assert_eq!(done.tally.assertions, 7);
    assert_eq!(done.tally.assertions_failed, 1);
    assert!(!done.tally.all_passed());
    assert_eq!(done.failures.len(), 1);
}

#[test]
fn iterations_and_data_rows_set_the_data_scope_and_a_bad_row_is_reported() {
    let server = flow_server();
    let mut get = Request::new("user").with_url("{{base}}/u/{{user}}");
    get.assertions = vec![
        check(Check::BodyContains("{{user}}".into())),
        check(Check::StatusInRange { min: 200, max: 299 }),
    ];
    let (ws, c, env) = workspace(vec![get], vec![Variable::new("base", server.url(""))]);
    let mut spec = RunSpec::for_parent(Arc::new(ws), ParentId::Collection(c));
    spec.environment = Some(env);
    spec.data = Some(data::parse(b"user,role\nada,admin\nbob\ncy,dev\n", "users.csv").unwrap());
    let (done, outcomes) = run(spec);
    assert_eq!(done.run.iterations, 3);
    assert_eq!(done.run.data_file.as_deref(), Some("users.csv"));
    assert_eq!(outcomes.iter().map(|o| o.iteration).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(outcomes[0].passed());
    // The bad row is named, with its iteration and request; the run went on.
    let bad = &outcomes[1];
    assert_eq!(bad.name, "user");
    let error = bad.error.as_deref().unwrap();
    assert!(error.starts_with("data file users.csv: row 2 (line 3)"), "{error}");
    assert!(outcomes[2].passed());
    let paths: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(paths, ["/u/ada", "/u/cy"]);
    // Variables in assertions resolve like the request's own.
    assert_eq!(outcomes[2].assertions[0].name, r#"body contains "cy""#);
}

#[test]
fn iterations_repeat_the_requests_and_runtime_values_carry_over() {
    let server = flow_server();
    let (ws, c, env) = login_flow(&server);
    let mut spec = RunSpec::for_parent(Arc::new(ws), ParentId::Collection(c));
    spec.environment = Some(env);
    spec.iterations = Some(3);
    let (done, outcomes) = run(spec);
    assert_eq!(outcomes.len(), 6);
    assert_eq!(done.run.iterations, 3);
    let auth: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path() == "/me")
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(auth, ["Bearer t-1", "Bearer t-2", "Bearer t-3"]);
}

#[test]
fn a_transport_failure_is_reported_and_the_run_goes_on_unless_bail() {
    let server = flow_server();
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let down = Request::new("down").with_url(format!("http://{closed}/x"));
    let up = Request::new("up").with_url(server.url("/u/ok"));
    let (ws, c, _) = workspace(vec![down, up], vec![]);
    let ws = Arc::new(ws);
    let (done, outcomes) = run(RunSpec::for_parent(ws.clone(), ParentId::Collection(c)));
    assert_eq!(outcomes.len(), 2);
    let error = outcomes[0].error.as_deref().unwrap();
    assert!(error.contains(&closed.to_string()), "names the host: {error}");
    assert!(outcomes[1].passed());
    assert_eq!(done.tally.errors, 1);

    let mut spec = RunSpec::for_parent(ws, ParentId::Collection(c));
    spec.bail = true;
    spec.iterations = Some(5);
    let (done, outcomes) = run(spec);
    assert_eq!(outcomes.len(), 1, "bail stops at the first failure");
    assert!(!done.run.cancelled);
}

#[test]
fn a_run_sends_the_http_requests_and_leaves_websocket_requests_out() {
    let server = flow_server();
    let socket = Request::websocket("socket").with_url("ws://127.0.0.1:9/live");
    let up = Request::new("up").with_url(server.url("/u/ok"));
    let (ws, c, _) = workspace(vec![socket.clone(), up.clone()], vec![]);
    let ws = Arc::new(ws);
    let mut spec = RunSpec::for_parent(ws.clone(), ParentId::Collection(c));
    assert_eq!(spec.requests, vec![up.id], "the run's list holds the HTTP request only");
    // Named explicitly (an older run configuration), it is still left out, not failed.
    spec.requests = vec![socket.id, up.id];
    let (done, outcomes) = run(spec);
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].name, "up");
    assert!(outcomes[0].passed());
    assert_eq!(done.tally.errors, 0);
}

#[test]
fn missing_variables_and_bad_json_paths_fail_the_request_not_the_run() {
    let server = flow_server();
    let missing = Request::new("missing").with_url("{{base}}/u/{{nobody}}");
    let mut bad_path = Request::new("bad path").with_url("{{base}}/me");
    bad_path.headers = vec![KeyValue::new("Authorization", "Bearer t-9")];
    bad_path.assertions = vec![check(Check::JsonPathExists("$.[".into())), check(Check::StatusEquals(200))];
    let (ws, c, env) = workspace(vec![missing, bad_path], vec![Variable::new("base", server.url(""))]);
    let mut spec = RunSpec::for_parent(Arc::new(ws), ParentId::Collection(c));
    spec.environment = Some(env);
    let (_, outcomes) = run(spec);
    assert!(outcomes[0].error.as_deref().unwrap().contains("nobody"), "{:?}", outcomes[0].error);
    let a = &outcomes[1].assertions;
    assert!(!a[0].passed && a[0].message.contains("does not parse"), "{a:?}");
    assert!(a[1].passed);
}

#[test]
fn results_are_kept_in_the_workspace_and_reload() {
    let server = flow_server();
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let (ws, c, env) = login_flow(&server);
    let ws_id = ws.id();
    opened.store.create_workspace(&ws.workspace).unwrap();
    let ws_dir = opened.store.workspace_dir(ws_id).unwrap().to_owned();
    let mut spec = RunSpec::for_parent(Arc::new(ws), ParentId::Collection(c));
    spec.environment = Some(env);
    spec.iterations = Some(2);
    spec.results_dir = Some(ws_dir.clone());
    let (done, outcomes) = run(spec);
    let saved = done.saved.clone().unwrap().unwrap();
    assert!(saved.starts_with(ws_dir.join("runs")));
    let (loaded, problems) = runs::load(&ws_dir);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(loaded.len(), 1);
    let mut expected = done.run.clone();
    expected.results = outcomes.clone();
    assert_eq!(loaded[0], expected);
    assert_eq!(loaded[0].environment.as_ref().unwrap().name, "Dev");
    // The streamed file is the same text the storage layer writes for the whole run.
    let text = std::fs::read_to_string(&saved).unwrap();
    assert_eq!(text, localpost::storage::document::to_text(&expected).unwrap());
    // Nothing else was left in the data folder: the run and, beside it, its kept responses.
    let mut names: Vec<_> =
        std::fs::read_dir(ws_dir.join("runs")).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    assert_eq!(names, vec![runs::responses_path(&ws_dir, &done.run), saved.clone()], "{names:?}");
    // Each result opens: its response is read back from there.
    for o in &outcomes {
        let ResponseKept::At { offset_bytes, len_bytes } = o.kept else {
            panic!("{:?} was not kept", o.kept)
        };
        let kept = runs::read_kept(&ws_dir, &done.run, offset_bytes, len_bytes).unwrap();
        assert_eq!(kept.response.as_ref().map(|r| r.status), o.status, "{}", o.name);
        assert_eq!(kept.request.url, o.url);
    }
}

#[test]
fn a_run_can_be_cancelled_and_is_kept_as_cancelled() {
    let server = flow_server();
    let fast = Request::new("fast").with_url(server.url("/u/a"));
    let slow = Request::new("slow").with_url(server.url("/slow"));
    let (ws, c, _) = workspace(vec![fast, slow], vec![]);
    let dir = tempfile::tempdir().unwrap();
    let mut spec = RunSpec::for_parent(Arc::new(ws), ParentId::Collection(c));
    spec.results_dir = Some(dir.path().to_owned());
    spec.iterations = Some(10);
    let engine = engine();
    let handle = runner::start(&engine, spec, None);
    let cancel = handle.canceller();
    let started = std::time::Instant::now();
    let done = handle
        .wait(|index, _, _| {
            if index == 0 {
                cancel.cancel();
            }
        })
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "cancel drops the request in flight");
    assert!(done.run.cancelled);
    assert_eq!(done.tally.requests, 1);
    let (loaded, _) = runs::load(dir.path());
    assert!(loaded[0].cancelled);
    assert_eq!(loaded[0].results.len(), 1);
}

#[test]
fn junit_and_json_reports_have_the_shape_ci_reads() {
    let server = flow_server();
    let (ws, c, env) = login_flow(&server);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut ws = ws;
    let down = Request::new("down <&>").with_url(format!("http://{closed}/"));
    ws.collections.get_mut(&c).unwrap().children.push(ItemId::Request(down.id));
    ws.requests.insert(down.id, down);
    let mut spec = RunSpec::for_parent(Arc::new(ws), ParentId::Collection(c));
    spec.environment = Some(env);
    let (done, outcomes) = run(spec);
    let journal = done.journal.as_ref().unwrap();

    let mut xml = Vec::new();
    runner::report::write_junit(&mut xml, &done.run, &done.tally, journal.outcomes().unwrap()).unwrap();
    let xml = String::from_utf8(xml).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), outcomes.len());
    let mut cases = 0;
    let mut failures = 0;
    let mut errors = 0;
    for suite in &suites {
        let attr = |n: &str| suite.attribute(n).unwrap().parse::<usize>().unwrap();
        let tc: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
        assert_eq!(attr("tests"), tc.len());
        assert_eq!(
            attr("failures"),
            tc.iter().filter(|t| t.children().any(|c| c.has_tag_name("failure"))).count()
        );
        assert_eq!(
            attr("errors"),
            tc.iter().filter(|t| t.children().any(|c| c.has_tag_name("error"))).count()
        );
        for t in &tc {
            assert!(t.attribute("name").is_some() && t.attribute("classname").is_some());
            assert!(t.attribute("time").unwrap().parse::<f64>().is_ok());
        }
        cases += attr("tests");
        failures += attr("failures");
        errors += attr("errors");
    }
    assert_eq!(root.attribute("tests").unwrap().parse::<usize>().unwrap(), cases);
    assert_eq!(root.attribute("failures").unwrap().parse::<usize>().unwrap(), failures);
    assert_eq!(root.attribute("errors").unwrap().parse::<usize>().unwrap(), errors);
    assert_eq!((failures, errors), (1, 1));
    assert_eq!(suites[2].attribute("name"), Some("down <&>"));

    let mut json = Vec::new();
    runner::report::write_json(&mut json, &done.run, &done.tally, journal.outcomes().unwrap()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["results"].as_array().unwrap().len(), 3);
    assert_eq!(json["summary"]["assertions_failed"], 1);
    assert_eq!(json["target"]["name"], "API");
}

// ---- the command line ------------------------------------------------------------------------

fn localpost(dir: &Path, args: &[&str]) -> Output {
    support::localpost(dir).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The login flow saved in a data folder.
fn saved_flow(server: &Server, fail: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let store = &mut opened.store;
    let (mut ws, c, _) = login_flow(server);
    if !fail {
        for r in ws.requests.values_mut() {
            r.assertions.retain(|a| !a.check.to_string().contains("Bob"));
        }
    }
    store.create_workspace(&ws.workspace).unwrap();
    let collection = ws.collections.get(&c).unwrap().clone();
    store.save_collection(ws.id(), &collection).unwrap();
    for r in ws.requests.values() {
        store.save_request(ParentId::Collection(c), r).unwrap();
    }
    for e in ws.environments.values() {
        store.save_environment(ws.id(), e).unwrap();
    }
    ws.workspace.collections = vec![c];
    ws.workspace.environments = ws.environments.keys().copied().collect();
    store.save_workspace(&ws.workspace).unwrap();
    dir
}

#[test]
fn cli_exit_status_follows_failures_and_the_result_is_kept() {
    let server = flow_server();
    let dir = saved_flow(&server, true);
    let out = localpost(dir.path(), &["run", "Team/API", "--env", "Dev"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains(r#"FAIL GET"#) && t.contains(r#"$.name == "Bob": it was"#), "{t}");
    assert!(t.contains("result kept in"), "{t}");

    let dir = saved_flow(&server, false);
    let out = localpost(dir.path(), &["run", "Team/API", "--env", "Dev", "-n", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("requests") && t.contains(" 4 "), "{t}");

    // Bad input: exit 2 before anything is sent.
    let before = server.requests().len();
    for args in [
        vec!["run", "Team/Nope"],
        vec!["run", "Team/API", "--env", "Staging"],
        vec!["run", "Team/API", "--data", "/nonexistent/rows.csv"],
    ] {
        let out = localpost(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
    assert!(
        text(&localpost(dir.path(), &["run", "Team/API", "--env", "Staging"])).contains("there are: Dev")
    );
    assert_eq!(server.requests().len(), before);
}

#[test]
fn cli_runs_a_postman_collection_file_with_reports_and_touches_no_data_folder() {
    let server = flow_server();
    let work = tempfile::tempdir().unwrap();
    let collection = serde_json::json!({
        "info": {"name": "Imported", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {"name": "one", "request": {"method": "GET", "url": "{{base}}/u/{{who}}"}},
            {"name": "folder", "item": [
                {"name": "two", "request": {"method": "POST", "url": "{{base}}/u/two",
                 "body": {"mode": "raw", "raw": "{\"a\":1}"}}}
            ]}
        ]
    });
    let env = serde_json::json!({
        "name": "Local", "_postman_variable_scope": "environment",
        "values": [{"key": "base", "value": server.url(""), "enabled": true}, {"key": "who", "value": "ada", "enabled": true}]
    });
    let col_path = work.path().join("c.postman_collection.json");
    let env_path = work.path().join("e.postman_environment.json");
    std::fs::write(&col_path, collection.to_string()).unwrap();
    std::fs::write(&env_path, env.to_string()).unwrap();
    let data_dir = work.path().join("data");
    let reports = work.path().join("reports");
    let out = localpost(
        &data_dir,
        &[
            "run",
            "--import",
            col_path.to_str().unwrap(),
            "--env-file",
            env_path.to_str().unwrap(),
            "--reporter",
            "cli,json,junit",
            "--out",
            reports.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let paths: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(paths, ["/u/ada", "/u/two"]);
    assert!(!data_dir.exists(), "a run of a file reads and writes no data folder");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(reports.join("localpost-run.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["requests"], 2);
    let xml = std::fs::read_to_string(reports.join("localpost-run.xml")).unwrap();
    roxmltree::Document::parse(&xml).unwrap();

    // Not a terminal: one plain line per request.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().filter(|l| l.starts_with("ok ")).count(), 2, "{stdout}");

    // A transport failure makes the exit status 1.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let env = serde_json::json!({"name": "Down", "values": [
        {"key": "base", "value": format!("http://{closed}"), "enabled": true},
        {"key": "who", "value": "x", "enabled": true}]});
    std::fs::write(&env_path, env.to_string()).unwrap();
    let out = localpost(
        &data_dir,
        &["run", "--import", col_path.to_str().unwrap(), "--env-file", env_path.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(&closed.to_string()), "{}", text(&out));
}
