//! The window's rough edges, as a user meets them: the footer says what is on disk and what is
//! not; a new request is named after its URL; a cancelled send says what the response shown is;
//! "Browse…" without a file chooser says so.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

#[path = "../support/mod.rs"]
mod support;

mod code;
mod cookies;
mod docs;
mod examples;
mod explore;
mod graphql;
mod live_body;
mod run_results;
mod sidebar;
mod sse;
mod tabs;
mod websocket;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use localpost::app::AppOptions;
use localpost::app::command::{Action, Command};
use std::time::Duration;

use support::app::{
    apply, new_tab, open, open_with, send_and_wait, sending, settle, shown, step_until, type_into, type_url,
    wait_for_send,
};
use support::data::populate;
use support::{Reply, Server};

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

#[test]
fn a_cancelled_send_says_the_response_shown_is_the_previous_one() {
    let server = Server::start(|r| {
        let reply = Reply::text(200, &format!("answer to {}", r.path()));
        if r.path() == "/slow" { reply.delay(Duration::from_secs(30)) } else { reply }
    });
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/fast"));
    send_and_wait(&mut harness);
    assert!(shown(&harness, "answer to /fast"));
    assert!(!shown(&harness, "previous send"));

    type_url(&mut harness, &server.url("/slow"));
    harness.get_by_label("Send").click();
    harness.run_steps(2);
    assert!(sending(harness.state()));
    harness.key_press(Key::Escape);
    wait_for_send(&mut harness);
    assert!(shown(&harness, "Cancelled"));
    assert!(!shown(&harness, "Could not send"), "a cancel is not a failure");
    assert!(shown(&harness, "Below: the response to the previous send."));
    assert!(shown(&harness, "answer to /fast"));
}

/// egui redraws a focused field twice a second only when its style says the cursor blinks
/// (`TextCursorStyle::blink`, egui's `paint_text_cursor`): the app sets it from the settings.
#[test]
fn the_text_cursor_blinks_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    assert!(!harness.state().state.settings.blink_cursor, "steady by default");
    for theme in [egui::Theme::Dark, egui::Theme::Light] {
        assert!(!harness.ctx.style_of(theme).visuals.text_cursor.blink, "{theme:?}");
    }
    harness.state_mut().state.settings.blink_cursor = true;
    harness.run_steps(2);
    for theme in [egui::Theme::Dark, egui::Theme::Light] {
        assert!(harness.ctx.style_of(theme).visuals.text_cursor.blink, "{theme:?}");
    }
    harness.state_mut().state.settings.blink_cursor = false;
    harness.run_steps(2);
    assert!(!harness.ctx.global_style().visuals.text_cursor.blink);
}

#[test]
fn browse_without_a_file_chooser_says_so_and_puts_the_cursor_in_the_path_field() {
    let dir = tempfile::tempdir().unwrap();
    let options = AppOptions { file_chooser: false, ..AppOptions::new(dir.path().to_owned()) };
    let mut harness = open_with(options);
    apply(&mut harness, Command::Action(Action::Import));
    assert!(shown(&harness, "Import"));
    harness.get_by_label("Browse…").click();
    step_until(&mut harness, "the answer of the file dialog", |app| app.state.notice.is_some());
    harness.run_steps(2);
    assert!(shown(&harness, "The system file chooser is not available here"));
    assert!(harness.get_by_label("Import file").is_focused(), "the cursor is in the path field");
}

#[test]
fn a_notice_moves_nothing_on_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    let before = harness.get_by_label("URL").rect();
    harness.state_mut().state.error("Something went wrong with a file, said at length so that it wraps.");
    harness.run_steps(2);
    assert!(shown(&harness, "Something went wrong with a file"));
    assert_eq!(harness.get_by_label("URL").rect(), before, "the editor stays where it was");
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    assert!(harness.state().state.notice.is_none(), "the toast's ✖ dismisses it");
}

#[test]
fn policy_values_are_read_on_one_line_not_one_character_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    apply(&mut harness, Command::Action(Action::ShowPolicy));
    let schemes = harness.get_by_label_contains("\"https\"").rect();
    let key = harness.get_by_label("allowed_schemes").rect();
    assert!(schemes.height() <= key.height() * 1.5, "one line: {schemes:?} beside {key:?}");
    assert!((schemes.center().y - key.center().y).abs() < 4.0, "level with its key: {schemes:?} {key:?}");
}
