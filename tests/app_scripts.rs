//! Scripts in the window, against the postman-echo look-alike on 127.0.0.1: a send runs the
//! collection's, folders' and request's scripts; tests land in the Test results tab; variable
//! writes land in the environment (and its file); console output, masked secrets and Clear; a
//! script's error marked on its line; a folder's scripts edited and saved; an endless script
//! stopped by its time limit while the window keeps drawing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use localpost::app::command::Command;
use localpost::app::scripts::ScriptReport;
use localpost::app::state::{RequestTab, ResponseSection};
use localpost::model::*;
use localpost::script::{Event, ScriptOwner, TestStatus};
use localpost::shell::Window;
use localpost::storage::Store;
use support::app::{apply, open, send_and_wait, sending, settle, shown, step_until};

/// A data folder: collection "Echo" holding folder "Auth" holding `requests`, environment "Dev"
/// with the server's address and a secret API key.
struct Fixture {
    dir: tempfile::TempDir,
    env: EnvironmentId,
    folder: FolderId,
    requests: Vec<RequestId>,
}

const SECRET: &str = "sk-live-4242";

fn fixture(server: &support::Server, requests: &[Request]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let store = &mut opened.store;
    let mut ws = opened.library.workspaces.values().next().unwrap().workspace.clone();
    let mut c = Collection::new("Echo");
    let mut f = Folder::new("Auth");
    let ids: Vec<RequestId> = requests.iter().map(|r| r.id).collect();
    f.children = ids.iter().map(|id| ItemId::Request(*id)).collect();
    c.children = vec![ItemId::Folder(f.id)];
    store.save_collection(ws.id, &c).unwrap();
    store.save_folder(ParentId::Collection(c.id), &f).unwrap();
    for r in requests {
        store.save_request(ParentId::Folder(f.id), r).unwrap();
    }
    let mut env = Environment::new("Dev");
    env.variables = vec![Variable::new("base", server.url("")), Variable::new("api_key", SECRET).secret()];
    store.save_environment(ws.id, &env).unwrap();
    ws.collections.push(c.id);
    ws.environments.push(env.id);
    store.save_workspace(&ws).unwrap();
    Fixture { dir, env: env.id, folder: f.id, requests: ids }
}

fn request(name: &str, method: Method, url: &str, pre: &str, test: &str) -> Request {
    Request::new(name).with_method(method).with_url(url).with_scripts(pre, test)
}

/// The app on the fixture, "Dev" active, the `i`th request open.
fn open_request(f: &Fixture, i: usize) -> Harness<'static, Window> {
    let mut harness = open(f.dir.path());
    apply(&mut harness, Command::SelectEnvironment(Some(f.env)));
    apply(&mut harness, Command::OpenRequest(f.requests[i]));
    harness
}

fn tab<'a>(harness: &'a Harness<'static, Window>) -> &'a RequestTab {
    harness.state().state.active().and_then(|t| t.request()).expect("a request tab is active")
}

fn report<'a>(harness: &'a Harness<'static, Window>) -> &'a ScriptReport {
    tab(harness).scripts.as_ref().expect("the send's scripts reported")
}

/// The text of every file under `dir` whose name ends with `suffix`.
fn files_ending(dir: &Path, suffix: &str) -> Vec<(PathBuf, String)> {
    support::files_under(dir)
        .into_iter()
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            (path, text)
        })
        .collect()
}

#[test]
fn test_results_list_passed_failed_and_skipped_tests() {
    let server = support::echo::start();
    let r = request(
        "Get",
        Method::Get,
        "{{base}}/get?q=1",
        "",
        r#"pm.test("status is 200", function () { pm.response.to.have.status(200); });
pm.test("the query came back", () => pm.expect(pm.response.json().args.q).to.eql("1"));
pm.test("status is 404", () => pm.response.to.have.status(404));
pm.test.skip("not written yet", () => {});"#,
    );
    let f = fixture(&server, &[r]);
    let mut harness = open_request(&f, 0);
    send_and_wait(&mut harness);

    let statuses: Vec<(String, TestStatus)> =
        report(&harness).tests.iter().map(|t| (t.name.clone(), t.status)).collect();
    assert_eq!(
        statuses,
        vec![
            ("status is 200".to_owned(), TestStatus::Passed),
            ("the query came back".to_owned(), TestStatus::Passed),
            ("status is 404".to_owned(), TestStatus::Failed),
            ("not written yet".to_owned(), TestStatus::Skipped),
        ]
    );
    assert!(tab(&harness).response.as_ref().is_some_and(|r| r.status == 200), "the response is shown");

    harness.get_by_label("Test results (2/4)").click();
    harness.run_steps(2);
    assert_eq!(tab(&harness).response_section, ResponseSection::Tests);
    for name in ["status is 200", "the query came back", "status is 404", "not written yet"] {
        assert!(shown(&harness, name), "{name} is listed");
    }
    assert!(shown(&harness, "404"), "the failure says why");
    assert!(shown(&harness, "SKIP"));

    harness.get_by_label("Failed (1)").click();
    harness.run_steps(2);
    assert!(shown(&harness, "status is 404"));
    assert!(!shown(&harness, "status is 200"), "the filter hides what passed");
    harness.get_by_label("Skipped (1)").click();
    harness.run_steps(2);
    assert!(shown(&harness, "not written yet"));
    assert!(!shown(&harness, "status is 404"));
}

#[test]
fn a_login_script_saves_the_token_in_the_environment_and_the_next_request_sends_it() {
    let server = support::echo::start();
    let mut login = request(
        "Login",
        Method::Post,
        "{{base}}/post",
        "",
        r#"pm.environment.set("token", pm.response.json().json.token);
pm.globals.set("logged_in", "yes");
pm.collectionVariables.set("user", "ada");
pm.variables.set("scratch", "gone after the send");"#,
    );
    login.body = Body::raw(RawLanguage::Json, r#"{"token":"abc-123"}"#);
    let mut me = Request::new("Me").with_url("{{base}}/headers");
    me.headers = vec![KeyValue::new("Authorization", "Bearer {{token}}")];
    let f = fixture(&server, &[login, me]);
    let mut harness = open_request(&f, 0);
    send_and_wait(&mut harness);

    let ws = harness.state().state.ws().unwrap();
    let value = |vars: &[Variable], key: &str| vars.iter().find(|v| v.key == key).map(|v| v.value.clone());
    let env = &ws.environments[&f.env];
    assert_eq!(value(&env.variables, "token").as_deref(), Some("abc-123"));
    assert_eq!(value(&env.variables, "api_key").as_deref(), Some(SECRET), "the others are kept");
    assert!(env.variables.iter().any(|v| v.key == "api_key" && v.secret), "and stay secret");
    assert_eq!(value(&ws.globals.variables, "logged_in").as_deref(), Some("yes"));
    let collection = ws.collections.values().next().unwrap();
    assert_eq!(value(&collection.variables, "user").as_deref(), Some("ada"));
    let everywhere: Vec<&Variable> =
        env.variables.iter().chain(&ws.globals.variables).chain(&collection.variables).collect();
    assert!(everywhere.iter().all(|v| v.key != "scratch"), "pm.variables lived only for the send");

    settle(&mut harness);
    let env_files = files_ending(f.dir.path(), ".ron")
        .into_iter()
        .filter(|(p, _)| p.parent().is_some_and(|d| d.ends_with("environments")))
        .collect::<Vec<_>>();
    assert_eq!(env_files.len(), 1);
    assert!(env_files[0].1.contains("abc-123"), "the environment's file holds the token: {}", env_files[0].1);
    assert!(!env_files[0].1.contains(SECRET), "the secret stays in secrets.ron");
    let globals = files_ending(f.dir.path(), "globals.ron");
    assert!(globals.iter().any(|(_, t)| t.contains("logged_in")), "{globals:?}");
    let collection_file = files_ending(f.dir.path(), "collection.ron");
    assert!(collection_file.iter().any(|(_, t)| t.contains("ada")), "{collection_file:?}");

    apply(&mut harness, Command::OpenRequest(f.requests[1]));
    send_and_wait(&mut harness);
    assert_eq!(server.last().header("authorization"), Some("Bearer abc-123"));
}

#[test]
fn a_pre_request_script_adds_a_header_the_server_receives() {
    let server = support::echo::start();
    let r = request(
        "Stamped",
        Method::Get,
        "{{base}}/get",
        r#"pm.variables.set("stamp", "s-1");
pm.request.headers.add({ key: "X-From-Script", value: "{{stamp}}" });"#,
        "",
    );
    let f = fixture(&server, &[r]);
    let mut harness = open_request(&f, 0);
    send_and_wait(&mut harness);
    assert_eq!(server.last().header("x-from-script"), Some("s-1"));
    assert_eq!(tab(&harness).error, None);
    // The change was for the send: the request as written is unchanged.
    assert!(tab(&harness).draft.headers.is_empty());
    assert!(!tab(&harness).dirty);
}

#[test]
fn console_lines_appear_secrets_are_masked_until_revealed_and_clear_empties_it() {
    let server = support::echo::start();
    let r = request(
        "Logged",
        Method::Get,
        "{{base}}/get",
        r#"console.info("about to send");"#,
        r#"console.log("hello from the test");
console.warn("the key is " + pm.environment.get("api_key"));"#,
    );
    let f = fixture(&server, &[r]);
    let mut harness = open_request(&f, 0);
    send_and_wait(&mut harness);

    let console = &harness.state().state.console;
    let texts: Vec<&str> = console.entries.iter().map(|e| e.text(false)).collect();
    assert_eq!(texts, vec!["about to send", "hello from the test", "the key is (secret)"]);
    assert!(
        console.entries[1].source.contains("request \"Logged\" test script"),
        "{}",
        console.entries[1].source
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::ALT, egui::Key::C);
    harness.run_steps(2);
    assert!(harness.state().state.console.open, "Ctrl+Alt+C opens the console");
    assert!(shown(&harness, "hello from the test"));
    assert!(shown(&harness, "the key is (secret)"));
    assert!(!shown(&harness, SECRET), "the secret is not shown in clear");

    harness.get_by_label("Reveal secrets").click();
    harness.run_steps(2);
    assert!(shown(&harness, &format!("the key is {SECRET}")), "revealed on request");

    harness.get_by_label("Clear").click();
    harness.run_steps(2);
    assert!(harness.state().state.console.entries.is_empty());
    assert!(!shown(&harness, "hello from the test"));

    // The footer button closes it again (the panel's title says "Console" too).
    harness
        .get_by(|n| n.label().as_deref() == Some("Console") && n.role() != egui::accesskit::Role::Label)
        .click();
    harness.run_steps(2);
    assert!(!harness.state().state.console.open);
}

#[test]
fn a_syntax_error_is_marked_on_its_line_and_the_app_keeps_working() {
    let server = support::echo::start();
    let r =
        request("Broken", Method::Get, "{{base}}/get", "", "pm.test(\"a\", () => {\n    let x = ;\n});\n");
    let f = fixture(&server, &[r]);
    let mut harness = open_request(&f, 0);
    send_and_wait(&mut harness);

    assert!(
        tab(&harness).response.as_ref().is_some_and(|r| r.status == 200),
        "a test script error does not stop the send"
    );
    let errors = &report(&harness).errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, Some(2), "{errors:?}");
    assert!(errors[0].message.contains("SyntaxError"), "{errors:?}");
    let mark = harness.state().state.script_marks.get(&(ScriptOwner::Request(f.requests[0]), Event::Test));
    assert_eq!(mark.and_then(|m| m.line), Some(2));

    harness.get_by_label("Scripts (1)").click();
    harness.run_steps(2);
    harness.get_by_label("Post-response •").click();
    harness.run_steps(2);
    assert!(shown(&harness, "line 2:"), "the message under the editor names the line");
    assert!(shown(&harness, "SyntaxError"));

    // Fixed: the mark goes, the tests run.
    let id = harness.state().state.active_tab.unwrap();
    if let Some(r) = harness.state_mut().state.tab_mut(id).and_then(|t| t.request_mut()) {
        r.draft.scripts.test = "pm.test(\"a\", () => {\n    let x = 1;\n});\n".into();
    }
    send_and_wait(&mut harness);
    assert!(report(&harness).errors.is_empty());
    assert_eq!(report(&harness).count(TestStatus::Passed), 1);
    assert!(harness.state().state.script_marks.is_empty(), "the old mark is gone");
    assert!(!shown(&harness, "SyntaxError"));
}

#[test]
fn a_folders_scripts_are_edited_saved_to_its_file_and_run() {
    let server = support::echo::start();
    let r = Request::new("Plain").with_url("{{base}}/get");
    let f = fixture(&server, &[r]);
    let mut harness = open_request(&f, 0);
    apply(&mut harness, Command::OpenTarget(localpost::app::state::Target::Folder(f.folder)));
    harness.get_by_label("Scripts").click();
    harness.run_steps(2);
    assert!(
        shown(&harness, "Status code is 200") || shown(&harness, "Set an environment variable"),
        "snippets are listed"
    );
    let script = r#"pm.request.headers.add({ key: "X-Folder", value: "yes" });"#;
    harness.get_by_label("Pre-request script").focus();
    harness.run_steps(1);
    harness.get_by_label("Pre-request script").type_text(script);
    harness.run_steps(2);
    let folder = &harness.state().state.ws().unwrap().folders[&f.folder];
    assert_eq!(folder.scripts.pre_request, script);

    // A snippet goes at the end of the post-response script.
    harness.get_by_label("Post-response").click();
    harness.run_steps(2);
    harness.get_by_label("Status code is 200").click();
    harness.run_steps(2);
    let folder = &harness.state().state.ws().unwrap().folders[&f.folder];
    assert!(folder.scripts.test.contains("pm.response.to.have.status(200)"), "{}", folder.scripts.test);

    settle(&mut harness);
    let files = files_ending(f.dir.path(), "folder.ron");
    assert_eq!(files.len(), 1);
    assert!(files[0].1.contains("X-Folder"), "the folder's file holds the script: {}", files[0].1);
    assert!(files[0].1.contains("have.status(200)"), "{}", files[0].1);

    apply(&mut harness, Command::OpenRequest(f.requests[0]));
    send_and_wait(&mut harness);
    assert_eq!(server.last().header("x-folder"), Some("yes"), "the folder's script ran for its request");
    assert_eq!(report(&harness).count(TestStatus::Passed), 1, "and its test");
}

#[test]
fn an_endless_script_does_not_freeze_the_window_and_stops_at_its_time_limit() {
    let server = support::echo::start();
    let r = request("Loop", Method::Get, "{{base}}/get", "while (true) {}", "");
    let f = fixture(&server, &[r]);
    let mut harness = open_request(&f, 0);
    harness.get_by_label("Send").click();
    harness.run_steps(1);

    // The window keeps drawing frames while the script spins.
    let started = Instant::now();
    let mut frames = 0;
    while started.elapsed() < Duration::from_millis(1500) {
        let frame = Instant::now();
        harness.step();
        assert!(frame.elapsed() < Duration::from_millis(500), "a frame took {:?}", frame.elapsed());
        frames += 1;
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(frames > 20, "only {frames} frames in 1.5 s");
    assert!(tab(&harness).in_flight.is_some(), "the script is still running");
    assert!(shown(&harness, "Running pre-request scripts"));

    step_until(&mut harness, "the script to hit its time limit", |app| !sending(app));
    let error = tab(&harness).error.clone().expect("the send says why it stopped");
    assert!(error.contains("ran longer than its limit"), "{error}");
    assert!(shown(&harness, "ran longer than its limit"));
    assert!(server.requests().is_empty(), "a failed pre-request script stops the send");
    assert!(
        harness
            .state()
            .state
            .console
            .entries
            .iter()
            .any(|e| e.text(false).contains("ran longer than its limit")),
        "the console has it too"
    );
}

#[test]
fn a_skipped_request_sends_nothing_and_a_failed_send_still_runs_its_tests() {
    let server = support::echo::start();
    let skipped = request("Skipped", Method::Get, "{{base}}/get", "pm.execution.skipRequest();", "");
    // A port nothing listens on: the send fails, the test script runs on no response.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/nowhere", closed.local_addr().unwrap());
    drop(closed);
    let refused = request(
        "Refused",
        Method::Get,
        &url,
        "",
        r#"pm.test("got a response", () => pm.response.to.have.status(200));"#,
    );
    let f = fixture(&server, &[skipped, refused]);
    let mut harness = open_request(&f, 0);
    send_and_wait(&mut harness);
    assert!(report(&harness).skipped_request);
    assert!(server.requests().is_empty(), "nothing was sent");
    assert!(tab(&harness).response.is_none() && tab(&harness).error.is_none());
    assert!(shown(&harness, "A pre-request script skipped this request"));

    apply(&mut harness, Command::OpenRequest(f.requests[1]));
    send_and_wait(&mut harness);
    assert!(tab(&harness).error.is_some(), "the send failed");
    let tests: Vec<(String, TestStatus)> =
        report(&harness).tests.iter().map(|t| (t.name.clone(), t.status)).collect();
    assert_eq!(tests, vec![("got a response".to_owned(), TestStatus::Failed)]);
    assert!(shown(&harness, "Test results (0/1)"), "the results are shown without a response");
}
