//! The runner in the window: a collection run against a loopback server from the Run button,
//! live results, the run kept and listed under Past runs, compared and exported; and the Checks
//! section of the request editor writing assertions to the request's file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use localpost::app::AppOptions;
use localpost::app::command::Command;
use localpost::app::runs::{ReportFormat, RunnerPage};
use localpost::app::state::TabKind;
use localpost::model::*;
use localpost::shell::Window;
use localpost::storage::Store;
use support::app::{apply, open_sized, shown, step_until};
use support::{Reply, Server};

/// The window these tests were written for (wider and taller than the shared default).
const WINDOW: egui::Vec2 = egui::vec2(1400.0, 860.0);

fn open(dir: &Path) -> Harness<'static, Window> {
    open_sized(AppOptions::new(dir.to_owned()), WINDOW)
}

fn runner(app: &Window) -> &localpost::app::runs::RunnerTab {
    match &app.state.active().unwrap().kind {
        TabKind::Runner(r) => r,
        _ => panic!("the runner tab is not the active one"),
    }
}

fn runner_mut(app: &mut Window) -> &mut localpost::app::runs::RunnerTab {
    let id = app.state.active_tab.unwrap();
    match &mut app.state.tab_mut(id).unwrap().kind {
        TabKind::Runner(r) => r,
        _ => panic!("the runner tab is not the active one"),
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    collection: CollectionId,
    env: EnvironmentId,
    me: RequestId,
}

/// Workspace "Team", collection "API" with "login" (captures the token) and "me" (one of its
/// assertions fails), environment "Dev" holding the server's address.
fn fixture(server: &Server) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let store = &mut opened.store;
    let mut ws = opened.library.workspaces.values().next().unwrap().workspace.clone();
    let mut c = Collection::new("API");
    let mut login = Request::new("login").with_method(Method::Post).with_url("{{base}}/login");
    login.assertions = vec![Assertion::new(Check::StatusEquals(200))];
    login.captures = vec![Capture {
        enabled: true,
        variable: "token".into(),
        scope: CaptureScope::Runtime,
        source: CaptureSource::JsonPath("$.token".into()),
    }];
    let mut me = Request::new("me").with_url("{{base}}/me");
    me.headers = vec![KeyValue::new("Authorization", "Bearer {{token}}")];
    me.assertions = vec![
        Assertion::new(Check::StatusEquals(200)),
        Assertion::new(Check::JsonPathEquals { path: "$.name".into(), value: "\"Bob\"".into() }),
    ];
    c.children = vec![ItemId::Request(login.id), ItemId::Request(me.id)];
    store.save_collection(ws.id, &c).unwrap();
    store.save_request(ParentId::Collection(c.id), &login).unwrap();
    store.save_request(ParentId::Collection(c.id), &me).unwrap();
    let mut env = Environment::new("Dev");
    env.variables = vec![Variable::new("base", server.url(""))];
    store.save_environment(ws.id, &env).unwrap();
    ws.collections.push(c.id);
    ws.environments.push(env.id);
    store.save_workspace(&ws).unwrap();
    Fixture { dir, collection: c.id, env: env.id, me: me.id }
}

fn server() -> Server {
    Server::start(|r| match r.path() {
        "/login" => Reply::json(r#"{"token":"t-1"}"#),
        "/me" if r.header("authorization") == Some("Bearer t-1") => Reply::json(r#"{"name":"Ada"}"#),
        _ => Reply::text(401, "no"),
    })
}

fn run_to_the_end(harness: &mut Harness<'_, Window>) {
    harness.get_by_label("▶ Run API").click();
    harness.run_steps(1);
    step_until(harness, "the run to finish and be kept", |app| {
        runner(app).live.as_ref().and_then(|l| l.finished.as_ref()).is_some_and(|f| f.saved.is_some())
    });
}

#[test]
fn a_run_from_the_window_streams_results_keeps_them_and_exports_them() {
    let server = server();
    let f = fixture(&server);
    let mut harness = open(f.dir.path());
    apply(&mut harness, Command::SelectEnvironment(Some(f.env)));
    apply(&mut harness, Command::OpenRunner(ParentId::Collection(f.collection)));
    assert!(shown(&harness, "Run configuration"));
    assert!(shown(&harness, "2 of 2 requests"));
    run_to_the_end(&mut harness);

    let live = runner(harness.state()).live.as_ref().unwrap();
    assert_eq!(live.tally.requests, 2);
    assert_eq!(live.tally.failed, 1, "the \"Bob\" assertion fails");
    assert_eq!(server.last().header("authorization"), Some("Bearer t-1"), "the capture fed the next request");
    let saved = live.finished.as_ref().unwrap().saved.clone().unwrap().unwrap();
    assert!(Path::new(&saved).is_file(), "{saved}");
    assert!(shown(&harness, "1 of 2 requests failed."));
    assert!(shown(&harness, "it was"), "the failure message is in the table");

    // Past runs: listed (read back from disk), opened, exported as JUnit XML.
    runner_mut(harness.state_mut()).page = RunnerPage::Past;
    apply(&mut harness, Command::RefreshPastRuns);
    step_until(&mut harness, "the past runs", |app| app.state.past_runs.list.len() == 1);
    let run = harness.state().state.past_runs.list[0].0.clone();
    assert_eq!(run.results.len(), 2);
    assert_eq!(run.environment.as_ref().unwrap().name, "Dev");
    let out = tempfile::tempdir().unwrap();
    let xml = out.path().join("run.xml");
    {
        let r = runner_mut(harness.state_mut());
        r.opened = Some(run.id);
        r.export_format = ReportFormat::Junit;
        r.export_path = xml.display().to_string();
    }
    harness.run_steps(2);
    assert!(shown(&harness, "Export as"));
    harness.get_by_label("Export").click();
    harness.run_steps(1);
    step_until(&mut harness, "the export", |app| runner(app).export_status.is_some());
    assert!(
        matches!(runner(harness.state()).export_status, Some(Ok(_))),
        "{:?}",
        runner(harness.state()).export_status
    );
    let text = std::fs::read_to_string(&xml).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().attribute("failures"), Some("1"));

    // A second run, compared with the first: same outcome, nothing changed.
    runner_mut(harness.state_mut()).page = RunnerPage::Run;
    runner_mut(harness.state_mut()).live = None;
    harness.run_steps(2);
    run_to_the_end(&mut harness);
    step_until(&mut harness, "two past runs", |app| app.state.past_runs.list.len() == 2);
    let list = &harness.state().state.past_runs.list;
    let rows = localpost::app::runs::compare(&list[0].0, &list[1].0);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| !r.differs()));
    let (a, b) = (list[0].0.id, list[1].0.id);
    {
        let r = runner_mut(harness.state_mut());
        r.page = RunnerPage::Past;
        r.opened = Some(a);
        r.compare_with = Some(b);
    }
    harness.run_steps(2);
    assert!(shown(&harness, "A: "), "the comparison is shown");
}

#[test]
fn a_policy_with_allow_scripts_false_skips_the_scripts_of_a_window_run() {
    use localpost::policy::{EffectivePolicy, SourceInput, SourceKind};
    let server = server();
    let f = fixture(&server);
    // "login" gets a test script that would fail if it ran.
    {
        let mut opened = Store::open(f.dir.path()).unwrap();
        let ws = opened.library.workspaces.values_mut().next().unwrap();
        let login = ws.requests.values_mut().find(|r| r.name == "login").unwrap();
        login.scripts.test = "pm.test('never', () => { throw new Error('ran'); });".into();
        let login = login.clone();
        opened.store.save_request(ParentId::Collection(f.collection), &login).unwrap();
    }
    let text = "(schema_version: 1, allow_scripts: false)";
    let source = SourceInput::new("/etc/localpost/policy.ron", SourceKind::Machine, Ok(text.into()));
    let mut options = AppOptions::new(f.dir.path().to_owned());
    options.policy = std::sync::Arc::new(EffectivePolicy::from_inputs(vec![source]));
    let mut harness = open_sized(options, WINDOW);
    apply(&mut harness, Command::SelectEnvironment(Some(f.env)));
    apply(&mut harness, Command::OpenRunner(ParentId::Collection(f.collection)));
    run_to_the_end(&mut harness);

    let live = runner(harness.state()).live.as_ref().unwrap();
    assert_eq!(live.tally.requests, 2, "the requests are still sent");
    assert_eq!(live.tally.assertions_skipped, 1);
    let login = live.outcomes.iter().find(|o| o.name == "login").unwrap();
    let skipped = login.assertions.iter().find(|a| a.skipped).unwrap();
    assert_eq!(
        skipped.message,
        "scripts are turned off by the organization's policy (allow_scripts is false in /etc/localpost/policy.ron)"
    );
}

#[test]
fn assertions_are_edited_in_the_checks_section_and_saved_with_the_request() {
    let server = server();
    let f = fixture(&server);
    let mut harness = open(f.dir.path());
    apply(&mut harness, Command::OpenRequest(f.me));
    harness.get_by_label("Checks (2)").click();
    harness.run_steps(2);
    // The editor panel is short in the test window: the buttons are scrolled out of its view,
    // so they are pressed the way assistive technology does.
    harness.get_by_label("+ Add assertion").click_accesskit();
    harness.run_steps(2);
    harness.get_by_label("+ Add capture").click_accesskit();
    harness.run_steps(2);
    let tab = harness.state().state.active().unwrap().request().unwrap();
    assert_eq!(tab.draft.assertions.len(), 3);
    assert_eq!(tab.draft.captures.len(), 1);
    assert!(tab.dirty);
    let tab_id = harness.state().state.active_tab.unwrap();
    apply(&mut harness, Command::SaveTab(tab_id));
    let saved_assertions = || {
        let reopened = Store::open_existing(f.dir.path()).unwrap();
        reopened.library.workspaces.values().find_map(|w| w.requests.get(&f.me)).unwrap().assertions.clone()
    };
    step_until(&mut harness, "the assertion to be saved", |_| saved_assertions().len() == 3);
    assert_eq!(saved_assertions()[2].check, Check::StatusEquals(200));
}

#[test]
fn variables_a_window_runs_scripts_set_are_kept_in_the_environment() {
    let server = server();
    let f = fixture(&server);
    {
        let mut opened = Store::open(f.dir.path()).unwrap();
        let ws = opened.library.workspaces.values_mut().next().unwrap();
        let login = ws.requests.values_mut().find(|r| r.name == "login").unwrap();
        login.scripts.test =
            "pm.environment.set('session', pm.response.json().token); pm.globals.set('runs', '1');".into();
        let login = login.clone();
        opened.store.save_request(ParentId::Collection(f.collection), &login).unwrap();
    }
    let mut harness = open(f.dir.path());
    apply(&mut harness, Command::SelectEnvironment(Some(f.env)));
    apply(&mut harness, Command::OpenRunner(ParentId::Collection(f.collection)));
    run_to_the_end(&mut harness);
    let value = |app: &Window| {
        let ws = app.state.library.workspaces.values().next().unwrap();
        let env = ws.environments.get(&f.env).unwrap();
        env.variables.iter().find(|v| v.key == "session").map(|v| v.value.clone())
    };
    assert_eq!(value(harness.state()).as_deref(), Some("t-1"));
    let globals =
        |app: &Window| app.state.library.workspaces.values().next().unwrap().globals.variables.len();
    assert_eq!(globals(harness.state()), 1);
    // And on disk, once the writer has saved it.
    step_until(&mut harness, "the environment saved", |_| {
        let opened = Store::open(f.dir.path()).unwrap();
        let ws = opened.library.workspaces.values().next().unwrap();
        ws.environments
            .get(&f.env)
            .is_some_and(|e| e.variables.iter().any(|v| v.key == "session" && v.value == "t-1"))
    });
}
