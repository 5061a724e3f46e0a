//! The window under things a user or a file controls: odd text in any field, secrets, the
//! policy's locks, history re-sends, paste. Each test is named after the problem it guards.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use localpost::model::*;
use localpost::storage::Store;
use support::app::{WAIT, open, shown, step_until_drawn};

/// A data folder with one collection holding `requests`, expanded on first start.
fn folder_with(requests: &[Request]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws_id = *opened.library.workspaces.keys().next().unwrap();
    let mut ws = opened.library.workspaces[&ws_id].workspace.clone();
    let mut c = Collection::new("API");
    for r in requests {
        c.children.push(ItemId::Request(r.id));
    }
    opened.store.save_collection(ws_id, &c).unwrap();
    for r in requests {
        opened.store.save_request(ParentId::Collection(c.id), r).unwrap();
    }
    ws.collections.push(c.id);
    opened.store.save_workspace(&ws).unwrap();
    dir
}

#[test]
fn a_custom_method_with_non_ascii_letters_draws_without_panicking() {
    let odd = Request::new("odd one").with_method(Method::Custom("AÄÄÄÄÄÄÄ".into()));
    let dir = folder_with(&[odd]);
    for _ in 0..2 {
        // Twice: the tree's open state is kept, so a panic here would come back every start.
        let mut harness = open(dir.path());
        harness.run_steps(3);
        assert!(shown(&harness, "AÄÄÄÄÄ"), "the method is cut by characters, not bytes");
        assert!(shown(&harness, "odd one"));
    }
}

/// A workspace environment named "Local" with `base` and a secret `token`, selected.
fn local_env(harness: &mut egui_kittest::Harness<'_, localpost::shell::Window>, base: &str, token: &str) {
    let mut env = Environment::new("Local");
    env.variables = vec![Variable::new("base", base), Variable::new("token", token).secret()];
    let id = env.id;
    harness.state_mut().state.ws_mut().unwrap().environments.insert(id, env);
    support::app::apply(harness, localpost::app::command::Command::SelectEnvironment(Some(id)));
}

fn set_auth(harness: &mut egui_kittest::Harness<'_, localpost::shell::Window>, auth: Auth) {
    let state = &mut harness.state_mut().state;
    let id = state.active_tab.unwrap();
    state.tab_mut(id).and_then(|t| t.request_mut()).unwrap().draft.auth = auth;
    harness.run_steps(1);
}

fn reopen_last_history_entry(harness: &mut egui_kittest::Harness<'_, localpost::shell::Window>) {
    let id = harness.state().state.history.first().expect("the send is in History").id;
    support::app::apply(harness, localpost::app::command::Command::OpenHistory(id));
}

#[test]
fn resending_from_history_sends_the_templates_not_the_redaction_mark() {
    use support::{Reply, Server};
    let server = Server::start(|r| Reply::text(200, r.header("authorization").unwrap_or("none")));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    local_env(&mut harness, &server.url(""), "s3cret-token");
    support::app::new_tab(&mut harness);
    support::app::type_url(&mut harness, "{{base}}/post");
    set_auth(&mut harness, Auth::Bearer { token: "{{token}}".into() });
    support::app::send_and_wait(&mut harness);
    assert_eq!(server.last().header("authorization"), Some("Bearer s3cret-token"));
    // History shows the send redacted...
    let entry = harness.state().state.history.first().unwrap().clone();
    assert!(entry.request.headers.iter().any(|h| h.value == "Bearer (redacted)"));
    // ...and reopening it keeps the templates, which resolve anew.
    reopen_last_history_entry(&mut harness);
    let reopened = harness.state().state.active().and_then(|t| t.request()).unwrap().draft.clone();
    assert_eq!(reopened.url, "{{base}}/post");
    assert_eq!(reopened.auth, Auth::Bearer { token: "{{token}}".into() });
    support::app::send_and_wait(&mut harness);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(server.last().header("authorization"), Some("Bearer s3cret-token"));

    // A token typed in literally is not kept: the reopened request asks for it, and its
    // redaction mark is never sent.
    support::app::new_tab(&mut harness);
    support::app::type_url(&mut harness, "{{base}}/post");
    set_auth(&mut harness, Auth::Bearer { token: "typed-in-secret".into() });
    support::app::send_and_wait(&mut harness);
    reopen_last_history_entry(&mut harness);
    let reopened = harness.state().state.active().and_then(|t| t.request()).unwrap().draft.clone();
    assert_eq!(reopened.auth, Auth::Bearer { token: String::new() });
    assert!(shown(&harness, "enter them again"));
    support::app::send_and_wait(&mut harness);
    let sent = server.last().header("authorization").unwrap_or("none").to_owned();
    assert!(!sent.contains("redacted") && !sent.contains("typed-in-secret"), "{sent}");
    support::app::settle(&mut harness);
    let all = support::app::all_text_under(&dir.path().join("workspaces/my-workspace/history"));
    assert!(!all.contains("typed-in-secret") && !all.contains("s3cret-token"), "history holds a secret");
}

#[test]
fn hovering_a_secret_variable_shows_it_masked() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    local_env(&mut harness, "http://127.0.0.1:9", "s3cret-token");
    support::app::new_tab(&mut harness);
    // A URL of nothing but the secret, so wherever the pointer rests it is over `{{token}}`.
    support::app::type_url(&mut harness, &"{{token}}".repeat(30));
    harness.get_by_label("URL").hover();
    // Tooltips wait for the pointer to rest.
    step_until_drawn(&mut harness, "the tooltip to name the variable", WAIT, |h| shown(h, "(secret)"));
    assert!(shown(&harness, localpost::ui::vars::MASK));
    assert!(!shown(&harness, "s3cret-token"), "the tooltip prints the secret");
}

#[test]
fn types_holding_secrets_never_print_them_in_debug() {
    let mut env = Environment::new("Local");
    env.variables.push(Variable::new("token", "s3cret-1").secret());
    let mut request = Request::new("r");
    request.auth = Auth::Basic { username: "me".into(), password: "s3cret-2".into() };
    request.headers.push(KeyValue::new("Authorization", "Bearer s3cret-3"));
    let settings = Settings {
        proxy: ProxySetting::Manual {
            url: "http://p:1".into(),
            username: "u".into(),
            password: "s3cret-4".into(),
            no_proxy: String::new(),
        },
        ..Settings::default()
    };
    let cookie = Cookie {
        name: "sid".into(),
        value: "s3cret-5".into(),
        domain: "example.com".into(),
        path: "/".into(),
        expires: None,
        secure: false,
        http_only: false,
        host_only: true,
        same_site: String::new(),
    };
    let oauth = OAuth2Auth {
        client_secret: "s3cret-6".into(),
        access_token: "s3cret-7".into(),
        ..OAuth2Auth::default()
    };
    let printed =
        format!("{env:?} {request:?} {settings:?} {cookie:?} {:?} {:#?}", Auth::OAuth2(oauth), request);
    assert!(!printed.contains("s3cret"), "{printed}");
    assert!(printed.contains("***") && printed.contains("token") && printed.contains("Local"));
}

#[test]
fn settings_show_what_the_policy_enforces_locked_and_who_manages_it() {
    use localpost::app::command::{Action, Command};
    use localpost::policy::{EffectivePolicy, SourceInput, SourceKind};
    let text = r#"(schema_version: 1, organization_name: "Example Corp", min_tls_version: "1.3",
        max_response_size_bytes: 10485760, history_retention_days: 30, max_script_timeout_ms: 2000)"#;
    let source =
        SourceInput::new("/etc/localpost/policy.ron", SourceKind::Machine, Ok(text.as_bytes().to_vec()));
    let policy = EffectivePolicy::from_inputs(vec![source]);
    assert!(!policy.is_lockdown(), "{}", policy.to_text());
    let dir = tempfile::tempdir().unwrap();
    let mut options = localpost::app::AppOptions::new(dir.path().to_owned());
    options.policy = std::sync::Arc::new(policy);
    let mut harness = support::app::open_with(options);
    support::app::apply(&mut harness, Command::Action(Action::OpenSettings));
    harness.run_steps(2);
    // TLS: 1.3 in effect, 1.2 not selectable.
    let tls12 = harness.get_by_label("TLS 1.2");
    assert!(tls12.accesskit_node().is_disabled(), "TLS 1.2 can still be chosen");
    assert_eq!(
        harness.get_by_label("TLS 1.3").accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    // The size cap and the retention, as the policy has them, with who manages them.
    assert!(shown(&harness, "10 MiB"), "the response limit shows the policy's 10 MiB");
    assert!(shown(&harness, "30 days"), "the retention shows the policy's 30 days");
    assert!(shown(&harness, "Managed by Example Corp: at most 10 MiB (set in /etc/localpost/policy.ron)"));
    assert!(shown(&harness, "Managed by Example Corp: at most 30 days"));
    assert!(shown(&harness, "Managed by Example Corp: TLS 1.3 at least"));
    // The script timeout: the user's 5000 ms capped to the policy's 2000 ms.
    let timeout = harness.query_all(By::new().predicate(|n| n.numeric_value() == Some(2000.0))).next();
    assert!(
        timeout.is_some_and(|n| n.accesskit_node().is_disabled()),
        "the script timeout shows the policy's 2000 ms, locked"
    );
    assert!(shown(
        &harness,
        "Managed by Example Corp: at most 2000 ms per script (set in /etc/localpost/policy.ron)"
    ));
}

#[test]
fn typing_curl_into_the_url_field_is_typing_not_a_paste() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    support::app::new_tab(&mut harness);
    harness.get_by_label("URL").focus();
    harness.run_steps(1);
    // Typed a key at a time: no error, no lost space, the text is as typed.
    for ch in "curl http://127.0.0.1:9/x".chars() {
        harness.get_by_label("URL").type_text(&ch.to_string());
        harness.run_steps(1);
    }
    let draft = harness.state().state.active().and_then(|t| t.request()).unwrap().draft.clone();
    assert_eq!(draft.url, "curl http://127.0.0.1:9/x");
    assert!(harness.state().state.notice.as_ref().is_none_or(|n| !n.is_error), "an error was shown");
    // Enter turns the complete command into the request.
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let draft = harness.state().state.active().and_then(|t| t.request()).unwrap().draft.clone();
    assert_eq!(draft.url, "http://127.0.0.1:9/x");
}

#[test]
fn a_damaged_collection_is_shown_marked_with_its_requests() {
    let dir = folder_with(&[Request::new("still here")]);
    let file = dir.path().join("workspaces/my-workspace/collections/api/collection.ron");
    std::fs::write(&file, "(format: 1, collection: (").unwrap();
    let mut harness = open(dir.path());
    harness.run_steps(3);
    assert!(shown(&harness, "api (damaged)"), "the placeholder is marked");
    assert!(shown(&harness, "still here"), "its request is shown");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "(format: 1, collection: (");
}
