//! The Code panel: a snippet of the open request in the language picked, copied as shown.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use localpost::app::code_panel::CodeCommand;
use localpost::app::command::Command;
use localpost::interop::export::snippet::Language;
use localpost::shell::Window;

use crate::support::app::{apply, open, settle, shown, step_until, type_url};
use crate::support::data::populate;

/// The snippet as the panel shows it.
fn snippet_shown(harness: &Harness<'_, Window>) -> String {
    harness.get_by_label("Snippet").value().unwrap_or_default()
}

/// What the frames stepped through copied to the clipboard.
fn copied(harness: &mut Harness<'_, Window>) -> Option<String> {
    for _ in 0..3 {
        let text = harness.output().platform_output.commands.iter().find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        });
        if text.is_some() {
            return text;
        }
        harness.step();
    }
    None
}

fn pick_language(harness: &mut Harness<'_, Window>, language: Language) {
    harness.get_by_label("Snippet language").click();
    harness.run_steps(2);
    harness.get_by_label(language.label()).click();
    harness.run_steps(3);
}

#[test]
fn the_code_button_shows_the_open_request_as_a_snippet_that_follows_edits() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    apply(&mut harness, Command::OpenRequest(fx.get_user));
    assert!(harness.query_by_label("Snippet").is_none(), "closed until asked for");

    harness.get_by_label("Code snippet").click();
    harness.run_steps(3);
    let text = snippet_shown(&harness);
    assert!(text.starts_with("curl '{{base}}/users/7'"), "{text}");
    assert!(text.contains("--user 'root:{{pw}}'"), "the folder's auth, inherited: {text}");

    // An edit of the draft shows at once, without saving.
    type_url(&mut harness, "http://127.0.0.1:9/people?q=a b");
    harness.run_steps(2);
    let text = snippet_shown(&harness);
    assert!(text.starts_with("curl 'http://127.0.0.1:9/people?q=a%20b'"), "{text}");

    pick_language(&mut harness, Language::GoNetHttp);
    let text = snippet_shown(&harness);
    assert!(text.contains("http.NewRequest(\"GET\", url, nil)"), "{text}");
    assert!(text.contains("req.SetBasicAuth(\"root\", \"{{pw}}\")"), "{text}");

    harness.get_by_label("Copy snippet").click();
    harness.run_steps(1);
    assert_eq!(copied(&mut harness).as_deref(), Some(text.as_str()), "Copy copies what is shown");
    harness.run_steps(2);
    assert!(shown(&harness, "Copied the Go (net/http) snippet."));

    harness.get_by_label("Close the code snippet").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("Snippet").is_none());
}

#[test]
fn resolve_variables_uses_what_a_send_would_and_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    apply(&mut harness, Command::SelectEnvironment(Some(fx.local_env)));
    apply(&mut harness, Command::OpenRequest(fx.get_user));
    apply(&mut harness, Command::Code(CodeCommand::Toggle));
    pick_language(&mut harness, Language::PythonRequests);
    assert!(snippet_shown(&harness).contains("url = \"{{base}}/users/7\""));
    assert!(!shown(&harness, "Not defined"), "nothing is resolved yet");

    harness.get_by_label("Resolve variables").click();
    harness.run_steps(3);
    let text = snippet_shown(&harness);
    assert!(text.contains("url = \"http://127.0.0.1:1/users/7\""), "the environment's base: {text}");
    assert!(text.contains("auth=(\"root\", \"{{pw}}\")"), "an undefined name stays as written: {text}");
    assert!(shown(&harness, "Not defined, left as written: {{pw}}"));

    // Another environment's values follow the picker.
    apply(&mut harness, Command::SelectEnvironment(None));
    assert!(snippet_shown(&harness).contains("url = \"{{base}}/users/7\""), "{}", snippet_shown(&harness));
}

#[test]
fn the_panel_language_and_switch_are_remembered_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    {
        let mut harness = open(dir.path());
        apply(&mut harness, Command::SwitchWorkspace(fx.team));
        apply(&mut harness, Command::OpenRequest(fx.get_user));
        apply(&mut harness, Command::Code(CodeCommand::Toggle));
        pick_language(&mut harness, Language::JavaHttpClient);
        harness.get_by_label("Resolve variables").click();
        harness.run_steps(2);
        let session = dir.path().join("session.ron");
        step_until(&mut harness, "the session to be written", |_| {
            std::fs::read_to_string(&session)
                .is_ok_and(|s| s.contains("java-httpclient") && s.replace(' ', "").contains("resolve:true"))
        });
        settle(&mut harness);
    }
    let mut harness = open(dir.path());
    harness.run_steps(3);
    let code = &harness.state().state.code;
    assert!(code.open && code.resolve);
    assert_eq!(code.language, Language::JavaHttpClient);
    assert!(snippet_shown(&harness).contains("public class Snippet"), "{}", snippet_shown(&harness));
}

#[test]
fn a_large_body_is_written_off_the_ui_thread_and_shown_in_part() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    apply(&mut harness, Command::OpenRequest(fx.get_user));
    let big = format!("{{\"data\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    {
        let state = &mut harness.state_mut().state;
        let id = state.active_tab.unwrap();
        let tab = state.tab_mut(id).unwrap();
        let localpost::app::state::TabKind::Request(r) = &mut tab.kind else { panic!("a request tab") };
        r.draft.method = localpost::model::Method::Post;
        r.draft.body = localpost::model::Body::json(big.clone());
    }
    apply(&mut harness, Command::Code(CodeCommand::Toggle));
    step_until(&mut harness, "the snippet to be written", |app| !app.state.code.writing());
    assert!(shown(&harness, "Showing the first 64 KiB of 2048 KiB; Copy copies all of it."));
    assert!(snippet_shown(&harness).len() <= 64 * 1024);
    harness.get_by_label("Copy snippet").click();
    harness.run_steps(1);
    let all = copied(&mut harness).expect("copied");
    assert!(all.contains(&big), "the whole body is copied");
}
