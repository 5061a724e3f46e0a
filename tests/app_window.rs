//! The window's rough edges, as a user meets them: the footer says what is on disk and what is
//! not; a new request is named after its URL.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use egui::{Key, Modifiers};
use localpost::app::command::Command;
use support::app::{apply, new_tab, open, settle, shown, type_into, type_url};
use support::data::populate;

#[test]
fn the_footer_counts_the_tabs_that_hold_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    apply(&mut harness, Command::OpenRequest(fx.get_user));
    settle(&mut harness);
    assert!(!shown(&harness, "draft"), "nothing edited yet");

    type_url(&mut harness, "http://127.0.0.1:9/edited");
    settle(&mut harness);
    assert!(shown(&harness, "1 tab holds a draft"), "an edited saved request");
    assert!(!shown(&harness, "✔ Saved"), "the footer does not say everything is saved");

    new_tab(&mut harness);
    type_url(&mut harness, "http://127.0.0.1:9/new");
    assert!(shown(&harness, "2 tabs hold drafts"), "and a new request never saved");

    // Saving the edited request leaves one draft.
    apply(&mut harness, Command::OpenRequest(fx.get_user));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    assert!(shown(&harness, "1 tab holds a draft"), "the saved tab is no longer a draft");
}

fn active_name(harness: &egui_kittest::Harness<'_, localpost::shell::Window>) -> String {
    harness
        .state()
        .state
        .active()
        .and_then(|t| t.request())
        .expect("a request tab is active")
        .draft
        .name
        .clone()
}

#[test]
fn a_new_request_is_named_after_its_url_until_the_user_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    assert_eq!(active_name(&harness), "Untitled request");
    type_url(&mut harness, "http://127.0.0.1:9/users?page=2");
    assert_eq!(active_name(&harness), "127.0.0.1:9/users");
    assert!(shown(&harness, "127.0.0.1:9/users"), "the tab shows the name");

    type_into(&mut harness, "Request name", "List users");
    type_url(&mut harness, "http://127.0.0.1:9/people");
    assert_eq!(active_name(&harness), "List users", "a name the user gave stays");
}
