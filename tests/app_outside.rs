//! Changes from outside while the app runs: external edits, deletions, and two windows on one
//! data folder. Driven through egui_kittest with the real watcher and a real data folder.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use std::path::Path;

use egui::Key;
use egui_kittest::kittest::Queryable;
use localpost::app::command::Command;
use localpost::app::state::DiskState;
use localpost::model::*;
use localpost::shell::Window;
use localpost::storage::{Place, Store};
use support::app::{apply, open, settle, step_until, type_url};

struct Setup {
    dir: tempfile::TempDir,
    request: RequestId,
    parent: ParentId,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let spec = localpost::storage::sample::SampleSpec { collections: 1, folders: 1, requests: 2 };
    localpost::storage::sample::generate(dir.path(), "Team", spec).unwrap();
    let opened = Store::open_existing(dir.path()).unwrap();
    let ws = opened.library.workspaces.values().next().unwrap();
    let request = *ws.requests.keys().next().unwrap();
    let parent = ws.parent_of(ItemId::Request(request)).unwrap();
    Setup { dir, request, parent }
}

/// Another program (here: another store on the same folder) changes the request's URL.
fn edit_on_disk(dir: &Path, id: RequestId, url: &str) {
    let mut opened = Store::open_existing(dir).unwrap();
    let ws = opened.library.workspaces.values().next().unwrap();
    let mut request = ws.requests[&id].clone();
    let parent = ws.parent_of(ItemId::Request(id)).unwrap();
    request.url = url.to_owned();
    opened.store.save_request(parent, &request).unwrap();
}

fn url_on_disk(dir: &Path, id: RequestId) -> Option<String> {
    let opened = Store::open_existing(dir).unwrap();
    opened.library.workspaces.values().find_map(|w| w.requests.get(&id)).map(|r| r.url.clone())
}

fn tab(app: &Window) -> &localpost::app::state::RequestTab {
    app.state.active().and_then(|t| t.request()).expect("a request tab")
}

#[test]
fn an_outside_edit_updates_a_clean_tab_in_place() {
    let s = setup();
    let mut harness = open(s.dir.path());
    apply(&mut harness, Command::OpenRequest(s.request));
    edit_on_disk(s.dir.path(), s.request, "http://127.0.0.1:9/from-git");
    step_until(&mut harness, "the tab shows the new URL", |app| {
        tab(app).draft.url == "http://127.0.0.1:9/from-git"
    });
    let t = tab(harness.state());
    assert!(!t.dirty && t.disk == DiskState::InSync);
    // The sidebar's copy followed too.
    let ws = harness.state().state.ws().unwrap();
    assert_eq!(ws.requests[&s.request].url, "http://127.0.0.1:9/from-git");
}

#[test]
fn an_outside_edit_of_a_dirty_tab_offers_the_three_choices() {
    for choice in ["Overwrite the version on disk", "Save mine as a new request", "Cancel"] {
        let s = setup();
        let mut harness = open(s.dir.path());
        apply(&mut harness, Command::OpenRequest(s.request));
        type_url(&mut harness, "http://127.0.0.1:9/mine");
        assert!(tab(harness.state()).dirty);
        edit_on_disk(s.dir.path(), s.request, "http://127.0.0.1:9/theirs");
        step_until(&mut harness, "the tab is flagged", |app| tab(app).disk == DiskState::Changed);
        assert_eq!(tab(harness.state()).draft.url, "http://127.0.0.1:9/mine", "edits are kept");

        harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
        harness.run_steps(2);
        harness.get_by_label(choice).click();
        harness.run_steps(2);
        settle(&mut harness);
        let opened = Store::open_existing(s.dir.path()).unwrap();
        let ws = opened.library.workspaces.values().next().unwrap();
        match choice {
            "Overwrite the version on disk" => {
                assert_eq!(ws.requests[&s.request].url, "http://127.0.0.1:9/mine");
                assert!(!tab(harness.state()).dirty);
            }
            "Save mine as a new request" => {
                assert_eq!(ws.requests[&s.request].url, "http://127.0.0.1:9/theirs", "theirs kept");
                let mine =
                    ws.requests.values().find(|r| r.url == "http://127.0.0.1:9/mine").expect("mine saved");
                assert!(mine.name.ends_with("(my version)"));
                assert_eq!(ws.parent_of(ItemId::Request(mine.id)), Some(s.parent));
                assert_eq!(tab(harness.state()).draft.id, mine.id, "the tab now holds the new request");
            }
            _ => {
                assert_eq!(ws.requests[&s.request].url, "http://127.0.0.1:9/theirs");
                assert!(harness.state().state.modal.is_none());
                assert!(tab(harness.state()).dirty, "still unsaved");
            }
        }
    }
}

#[test]
fn a_request_deleted_on_disk_can_be_kept_or_closed() {
    for keep in [true, false] {
        let s = setup();
        let mut harness = open(s.dir.path());
        apply(&mut harness, Command::OpenRequest(s.request));
        let path =
            Store::open_existing(s.dir.path()).unwrap().store.file_of(Place::Request(s.request)).unwrap();
        std::fs::remove_file(&path).unwrap();
        step_until(&mut harness, "the tab is flagged deleted", |app| tab(app).disk == DiskState::Deleted);
        if keep {
            harness.get_by_label("Keep it (re-create the file)").click();
            harness.run_steps(2);
            settle(&mut harness);
            assert!(url_on_disk(s.dir.path(), s.request).is_some(), "re-created");
            let opened = Store::open_existing(s.dir.path()).unwrap();
            let ws = opened.library.workspaces.values().next().unwrap();
            assert_eq!(ws.parent_of(ItemId::Request(s.request)), Some(s.parent), "in its old place");
        } else {
            harness.get_by_label("Close").click();
            harness.run_steps(2);
            assert!(harness.state().state.tabs.is_empty());
            assert!(url_on_disk(s.dir.path(), s.request).is_none());
        }
    }
}

#[test]
fn a_websocket_request_deleted_on_disk_says_so_and_can_be_kept() {
    let s = setup();
    let mut opened = Store::open_existing(s.dir.path()).unwrap();
    let mut request = opened.library.workspaces.values().next().unwrap().requests[&s.request].clone();
    request.kind = RequestKind::WebSocket;
    request.url = "ws://127.0.0.1:9/live".into();
    opened.store.save_request(s.parent, &request).unwrap();
    let mut harness = open(s.dir.path());
    apply(&mut harness, Command::OpenRequest(s.request));
    assert_eq!(tab(harness.state()).draft.kind, RequestKind::WebSocket);
    let path = Store::open_existing(s.dir.path()).unwrap().store.file_of(Place::Request(s.request)).unwrap();
    std::fs::remove_file(&path).unwrap();
    step_until(&mut harness, "the tab is flagged deleted", |app| tab(app).disk == DiskState::Deleted);
    harness.run_steps(1);
    assert!(
        harness.query_by_label_contains("This request was deleted on disk").is_some(),
        "the banner shows"
    );
    harness.get_by_label("Keep it (re-create the file)").click();
    harness.run_steps(2);
    settle(&mut harness);
    let opened = Store::open_existing(s.dir.path()).unwrap();
    let kept = &opened.library.workspaces.values().next().unwrap().requests[&s.request];
    assert_eq!(
        (kept.kind, kept.url.as_str()),
        (RequestKind::WebSocket, "ws://127.0.0.1:9/live"),
        "re-created"
    );
}

#[test]
fn two_windows_on_one_folder_never_lose_each_others_saves() {
    let s = setup();
    let mut a = open(s.dir.path());
    let mut b = open(s.dir.path());
    apply(&mut a, Command::OpenRequest(s.request));
    apply(&mut b, Command::OpenRequest(s.request));

    // A saves; B's clean tab follows.
    type_url(&mut a, "http://127.0.0.1:9/a1");
    a.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    a.run_steps(2);
    settle(&mut a);
    step_until(&mut b, "B follows A", |app| tab(app).draft.url == "http://127.0.0.1:9/a1");

    // Both edit; A saves first; B's save must not silently replace it.
    type_url(&mut b, "http://127.0.0.1:9/b2");
    type_url(&mut a, "http://127.0.0.1:9/a2");
    a.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    a.run_steps(2);
    settle(&mut a);
    b.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    b.run_steps(2);
    step_until(&mut b, "B asks", |app| {
        matches!(app.state.modal, Some(localpost::app::state::Modal::Conflict(_)))
    });
    assert_eq!(url_on_disk(s.dir.path(), s.request).as_deref(), Some("http://127.0.0.1:9/a2"));
    // B keeps both: A's stays, B's becomes a new request.
    b.get_by_label("Save mine as a new request").click();
    b.run_steps(2);
    settle(&mut b);
    let opened = Store::open_existing(s.dir.path()).unwrap();
    let ws = opened.library.workspaces.values().next().unwrap();
    assert_eq!(ws.requests[&s.request].url, "http://127.0.0.1:9/a2");
    assert!(ws.requests.values().any(|r| r.url == "http://127.0.0.1:9/b2"));
}

#[test]
fn reload_from_disk_reads_everything_again() {
    let s = setup();
    let mut harness = open(s.dir.path());
    // A new collection copied in by hand.
    let mut opened = Store::open_existing(s.dir.path()).unwrap();
    let ws = *opened.library.workspaces.keys().next().unwrap();
    let mut w = opened.library.workspaces[&ws].workspace.clone();
    let c = Collection::new("Copied in");
    opened.store.save_collection(ws, &c).unwrap();
    w.collections.push(c.id);
    opened.store.save_workspace(&w).unwrap();
    apply(&mut harness, Command::Action(localpost::app::command::Action::ReloadFromDisk));
    step_until(&mut harness, "the new collection shows", |app| {
        app.state.ws().is_some_and(|w| w.collections.values().any(|c| c.name == "Copied in"))
    });
}
