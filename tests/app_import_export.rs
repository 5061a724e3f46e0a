//! Import and export from the window: a Postman collection through the path field with its
//! preview, a backup of a collection exported and imported back over a changed copy ("keep
//! both"), and a Postman export that reads back.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use localpost::app::AppOptions;
use localpost::app::command::{Action, Command};
use localpost::app::interop::{ExportFormat, ExportWhat, ImportStage};
use localpost::app::state::Modal;
use localpost::app::writer::SaveState;
use localpost::model::*;
use localpost::shell::Window;
use support::app::{apply, open_sized, shown, step_until, type_into};

/// The window these tests were written for (taller than the shared default).
const WINDOW: egui::Vec2 = egui::vec2(1280.0, 900.0);

fn open(dir: &Path) -> Harness<'static, Window> {
    open_sized(AppOptions::new(dir.to_owned()), WINDOW)
}

fn previewing(app: &Window) -> bool {
    matches!(&app.state.modal, Some(Modal::Import(d)) if matches!(d.stage, ImportStage::Preview(_)))
}

fn saved(app: &Window) -> bool {
    app.state.modal.is_none() && app.save_state() == SaveState::Saved
}

fn import_through_the_dialog(harness: &mut Harness<'_, Window>, file: &Path) {
    apply(harness, Command::Action(Action::Import));
    type_into(harness, "Import file", &file.display().to_string());
    harness.get_by_label("Preview").click();
    harness.run_steps(1);
    step_until(harness, "the preview", previewing);
}

#[test]
fn a_postman_collection_is_previewed_then_imported() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    let file =
        &support::corpus().join("postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json");
    import_through_the_dialog(&mut harness, file);
    assert!(shown(&harness, "Postman"), "the format is named");
    assert!(shown(&harness, "My Workspace"), "the target is named");
    assert!(harness.state().state.ws().unwrap().collections.is_empty(), "nothing is written before Import");
    harness.get_by_label("Import").click();
    harness.run_steps(1);
    step_until(&mut harness, "the import", |app| {
        saved(app) && app.state.ws().is_some_and(|w| !w.collections.is_empty())
    });
    assert!(shown(&harness, "Imported"), "a notice says what was imported");
    let on_disk = localpost::storage::Store::open_existing(dir.path()).unwrap();
    let ws = on_disk.library.workspaces.values().next().unwrap();
    assert_eq!(ws.collections.len(), 1);
    assert!(ws.requests.len() > 10, "{} requests", ws.requests.len());
}

// `localpost FILE` (the desktop entry's "Open with Localpost"): the window opens on the file's
// import preview, and nothing is written before the user says Import.
#[test]
fn a_file_the_app_is_opened_with_is_previewed() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = AppOptions::new(dir.path().to_owned());
    options.open_files =
        vec![support::corpus().join("postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json")];
    let mut harness = open_sized(options, WINDOW);
    step_until(&mut harness, "the preview", previewing);
    assert!(shown(&harness, "Postman"), "the format is named");
    assert!(harness.state().state.ws().unwrap().collections.is_empty(), "nothing is written before Import");
}

#[test]
fn a_backup_imported_over_a_changed_copy_keeps_both() {
    let dir = tempfile::tempdir().unwrap();
    let spec = localpost::storage::sample::SampleSpec { collections: 1, folders: 1, requests: 3 };
    localpost::storage::sample::generate(dir.path(), "Team", spec).unwrap();
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("team.localpost.ron");
    let mut harness = open(dir.path());
    let collection = *harness.state().state.ws().unwrap().collections.keys().next().unwrap();

    // Export the collection as a backup.
    apply(&mut harness, Command::Export(ExportWhat::Container(ParentId::Collection(collection))));
    if let Some(Modal::Export(d)) = &mut harness.state_mut().state.modal {
        d.format = ExportFormat::Bundle;
    }
    harness.run_steps(2);
    type_into(&mut harness, "Export file", &backup.display().to_string());
    harness.get_by_label("Export").click();
    harness.run_steps(1);
    step_until(&mut harness, "the export", |app| app.state.modal.is_none());
    assert!(backup.exists(), "{:?}", harness.state().state.notice);

    // Change a request here, then import the backup: the changed request is a conflict.
    let request = harness.state().state.ws().unwrap().requests.values().next().unwrap().clone();
    let parent = harness.state().state.ws().unwrap().parent_of(ItemId::Request(request.id)).unwrap();
    let changed = Request { url: "http://127.0.0.1:9/changed-here".into(), ..request.clone() };
    let mut store = localpost::storage::Store::open_existing(dir.path()).unwrap().store;
    store.save_request(parent, &changed).unwrap();
    apply(&mut harness, Command::Action(Action::ReloadFromDisk));
    step_until(&mut harness, "the re-read", |app| {
        app.state.ws().is_some_and(|w| w.requests[&request.id].url == changed.url)
    });

    import_through_the_dialog(&mut harness, &backup);
    assert!(shown(&harness, "already here and differ"), "the conflict is listed");
    harness.get_by_label("Import").click();
    harness.run_steps(1);
    step_until(&mut harness, "the import", |app| {
        saved(app) && app.state.ws().is_some_and(|w| w.requests.len() > 3)
    });
    let on_disk = localpost::storage::Store::open_existing(dir.path()).unwrap();
    let ws = on_disk.library.workspaces.values().next().unwrap();
    assert_eq!(ws.requests[&request.id].url, changed.url, "ours is kept");
    let copy =
        ws.requests.values().find(|r| r.name.contains("(imported)")).expect("theirs comes in as a copy");
    assert_eq!(copy.url, request.url);
}

#[test]
fn a_collection_exported_for_postman_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let spec = localpost::storage::sample::SampleSpec { collections: 1, folders: 2, requests: 6 };
    localpost::storage::sample::generate(dir.path(), "Team", spec).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("api.postman_collection.json");
    let mut harness = open(dir.path());
    let collection = *harness.state().state.ws().unwrap().collections.keys().next().unwrap();
    apply(&mut harness, Command::Export(ExportWhat::Container(ParentId::Collection(collection))));
    type_into(&mut harness, "Export file", &file.display().to_string());
    harness.get_by_label("Export").click();
    harness.run_steps(1);
    step_until(&mut harness, "the export", |app| app.state.modal.is_none());
    let back = localpost::interop::import(&std::fs::read(&file).unwrap(), "api.json").unwrap();
    assert_eq!(back.format, localpost::interop::Format::PostmanCollectionV21);
    assert_eq!(back.workspaces[0].requests.len(), 6);
}
