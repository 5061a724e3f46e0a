//! Sending from the window: the Send button against a loopback server, environments feeding
//! `{{variables}}`, a missing variable stopping the send, a pasted cURL command, Cancel, and the
//! send landing in History and the cookie jar on disk.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use localpost::app::command::Command;
use localpost::model::*;
use localpost::shell::Window;
use support::app::{
    apply, new_tab, open, send_and_wait, sending, settle, shown, step_until, type_url, wait_for_send,
};
use support::{Reply, Server};

fn add_environment(harness: &mut Harness<'_, Window>, name: &str, vars: &[(&str, &str)]) -> EnvironmentId {
    let mut env = Environment::new(name);
    env.variables = vars.iter().map(|(k, v)| Variable::new(*k, *v)).collect();
    let id = env.id;
    harness.state_mut().state.ws_mut().unwrap().environments.insert(id, env);
    id
}

fn response(harness: &Harness<'_, Window>) -> (u16, String) {
    let tab = harness.state().state.active().and_then(|t| t.request()).unwrap();
    assert_eq!(tab.error, None, "the send failed");
    let r = tab.response.as_ref().expect("a response is shown");
    (r.status, String::from_utf8_lossy(&r.body).into_owned())
}

#[test]
fn send_shows_the_response_and_the_environment_decides_the_values() {
    let server = Server::start(|r| Reply::json(&format!("{{\"path\":\"{}\"}}", r.path())));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    let staging = add_environment(&mut harness, "Staging", &[("base", &server.url("")), ("animal", "cat")]);
    let production =
        add_environment(&mut harness, "Production", &[("base", &server.url("")), ("animal", "dog")]);
    apply(&mut harness, Command::SelectEnvironment(Some(staging)));
    new_tab(&mut harness);
    type_url(&mut harness, "{{base}}/pets/{{animal}}");
    send_and_wait(&mut harness);
    assert_eq!(response(&harness), (200, "{\"path\":\"/pets/cat\"}".to_owned()));
    assert_eq!(server.last().path(), "/pets/cat");
    assert!(shown(&harness, "200"), "the status is shown");
    assert!(shown(&harness, "/pets/cat"), "the body is shown");

    // Switching the environment changes what the same request sends.
    apply(&mut harness, Command::SelectEnvironment(Some(production)));
    send_and_wait(&mut harness);
    assert_eq!(server.last().path(), "/pets/dog");
    assert_eq!(response(&harness).1, "{\"path\":\"/pets/dog\"}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_missing_variable_is_named_and_nothing_is_sent() {
    let server = Server::start(|_| Reply::new(204));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/{{tenant}}/users"));
    harness.get_by_label("Send").click();
    harness.run_steps(2);
    let tab = harness.state().state.active().and_then(|t| t.request()).unwrap();
    let error = tab.error.clone().expect("the send is refused");
    assert!(error.contains("tenant"), "{error}");
    assert!(shown(&harness, "Could not send the request"));
    // The send was refused before it started, so nothing can reach the server later.
    assert!(!sending(harness.state()), "no send is under way");
    assert!(server.requests().is_empty(), "nothing reached the server");

    // The setting sends it as written (as Postman), and the console names the variable.
    let tab = harness.state().state.active_tab.unwrap();
    apply(&mut harness, Command::Action(localpost::app::command::Action::OpenSettings));
    harness.get_by_label("Send as written, as Postman does").click();
    harness.run_steps(2);
    assert!(harness.state().state.settings.send_unresolved_variables);
    apply(&mut harness, Command::SelectTab(tab));
    send_and_wait(&mut harness);
    assert_eq!(response(&harness).0, 204);
    assert_eq!(server.requests()[0].target, "/%7B%7Btenant%7D%7D/users", "as newman sends it");
    let console = &harness.state().state.console.entries;
    assert!(
        console.iter().any(|e| e.text(false) == "{{tenant}} is not defined in any scope: sent as written"),
        "the console says so"
    );
}

#[test]
fn a_pasted_curl_command_becomes_the_request_and_sends() {
    let server = Server::start(|r| Reply::text(200, &r.body_text()));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    let command =
        format!("curl -X PUT '{}' -H 'X-Team: blue' --data-raw 'hello there'", server.url("/notes/7"));
    // Pasted, as from another application's clipboard.
    harness.get_by_label("URL").focus();
    harness.run_steps(1);
    harness.event(egui::Event::Paste(command));
    harness.run_steps(2);
    let draft = harness.state().state.active().and_then(|t| t.request()).unwrap().draft.clone();
    assert_eq!(draft.method, Method::Put);
    assert_eq!(draft.url, server.url("/notes/7"));
    assert!(draft.headers.iter().any(|h| h.key == "X-Team" && h.value == "blue"), "{:?}", draft.headers);
    send_and_wait(&mut harness);
    let got = server.last();
    assert_eq!(got.method, "PUT");
    assert_eq!(got.header("x-team"), Some("blue"));
    assert_eq!(got.body_text(), "hello there");
    assert_eq!(response(&harness), (200, "hello there".to_owned()));
}

#[test]
fn cancel_stops_a_slow_send() {
    let server = Server::start(|_| Reply::text(200, "late").delay(Duration::from_secs(20)));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/slow"));
    harness.get_by_label("Send").click();
    harness.run_steps(2);
    assert!(sending(harness.state()), "the send is under way");
    let started = Instant::now();
    harness.get_all_by_label("Cancel").next().unwrap().click();
    wait_for_send(&mut harness);
    assert!(started.elapsed() < Duration::from_secs(5), "cancel took {:?}", started.elapsed());
    let tab = harness.state().state.active().and_then(|t| t.request()).unwrap();
    assert_eq!(tab.error.as_deref(), Some("Cancelled."));
    assert!(tab.response.is_none());
}

#[test]
fn a_send_lands_in_history_and_its_cookies_on_disk() {
    let server = Server::start(|_| Reply::text(200, "ok").header("set-cookie", "session=abc123; Path=/"));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/login"));
    send_and_wait(&mut harness);
    let history = &harness.state().state.history;
    assert_eq!(history.len(), 1, "History lists the send at once");
    assert_eq!(history[0].request.url, server.url("/login"));

    let ws_dir = dir.path().join("workspaces/my-workspace");
    step_until(&mut harness, "the history file and the cookie jar", |_| {
        let history = localpost::storage::history::load(&ws_dir, 10).0;
        let mut store = localpost::storage::Store::open_existing(dir.path()).unwrap();
        let ws = *store.library.workspaces.keys().next().unwrap();
        let (jar, _) = store.store.load_cookies(ws);
        history.len() == 1 && jar.cookies.iter().any(|c| c.value == "abc123")
    });
    settle(&mut harness);

    // A second send carries the cookie.
    send_and_wait(&mut harness);
    assert_eq!(server.last().header("cookie"), Some("session=abc123"));

    // History reopens the first send with its response, from the sidebar.
    harness.get_by_label("History").click();
    harness.run_steps(2);
    let tabs_before = harness.state().state.tabs.len();
    harness.get_all_by_label(&server.url("/login")).next().expect("the entry is listed").click();
    harness.run_steps(2);
    let state = &harness.state().state;
    assert_eq!(state.tabs.len(), tabs_before + 1, "the entry opens in a tab");
    let reopened = state.active().and_then(|t| t.request()).unwrap();
    assert_eq!(reopened.draft.url, server.url("/login"));
    let response = reopened.response.as_ref().expect("with its response");
    assert_eq!(response.status, 200);
    assert!(matches!(response.origin, localpost::app::response::ResponseOrigin::History(_)));
}
