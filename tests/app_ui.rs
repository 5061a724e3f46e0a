//! The desktop app driven through egui_kittest: real widgets found by role and label, real
//! clicks and typing, a real data folder on disk.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use localpost::app::AppOptions;
use localpost::app::command::Command;
use localpost::app::session::SESSION_FILE;
use localpost::model::*;
use localpost::shell::Window;
use support::app::{
    WAIT, apply, new_tab, open, open_sized, settle, shown, step_until, step_until_drawn, type_into, type_url,
};

/// Steps until the session (open tabs, drafts) on disk holds `text`: it is written a moment
/// after the last change. Then waits for every write.
fn settle_session(harness: &mut Harness<'_, Window>, dir: &std::path::Path, text: &str) {
    step_until(harness, "the session to be written", |_| {
        std::fs::read_to_string(dir.join(SESSION_FILE)).is_ok_and(|session| session.contains(text))
    });
    settle(harness);
}

fn active_request(harness: &Harness<'_, Window>) -> Request {
    let state = &harness.state().state;
    state.active().and_then(|t| t.request()).expect("a request tab is active").draft.clone()
}

#[test]
fn first_start_shows_local_truth() {
    let dir = tempfile::tempdir().unwrap();
    let harness = open(dir.path());
    assert!(shown(&harness, "Sync off"));
    assert!(shown(&harness, "Saved"));
    assert!(shown(&harness, "No account"));
    // A first start made one workspace.
    assert_eq!(harness.state().state.ws().unwrap().workspace.name, "My Workspace");
    assert!(dir.path().join("workspaces/my-workspace/workspace.ron").exists());
}

#[test]
fn create_collection_and_request_then_edit_url_and_params() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    harness.get_by_label("Create a collection").click();
    harness.run_steps(2);
    // The new collection's name is being edited in place.
    let name = harness.get(By::new().role(Role::TextInput).value("New Collection"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    name.type_text("Pets");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    harness.get_by_label("🗀 Pets").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Add request").click();
    harness.run_steps(3);

    let url = harness.get_by_label("URL");
    url.focus();
    url.type_text("http://127.0.0.1:9/pets?kind=cat&limit=10");
    harness.run_steps(2);
    let request = active_request(&harness);
    assert_eq!(request.url, "http://127.0.0.1:9/pets?kind=cat&limit=10");
    let params: Vec<_> = request.params.iter().map(|p| (p.key.as_str(), p.value.as_str())).collect();
    assert_eq!(params, vec![("kind", "cat"), ("limit", "10")]);
    harness.get_by_label("Params (2)");

    // Editing a param's value rewrites the URL.
    let cat = harness.get(By::new().role(Role::TextInput).value("cat"));
    cat.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    cat.type_text("dog");
    harness.run_steps(2);
    assert_eq!(active_request(&harness).url, "http://127.0.0.1:9/pets?kind=dog&limit=10");

    // Unsaved marker, then Ctrl+S writes the request file.
    assert!(harness.state().state.active().unwrap().request().unwrap().dirty);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    harness.run_steps(2);
    settle(&mut harness);
    assert!(!harness.state().state.active().unwrap().request().unwrap().dirty);
    let saved = localpost::storage::Store::open_existing(dir.path()).unwrap();
    let ws = saved.library.workspaces.values().next().unwrap();
    let c = ws.collections.values().find(|c| c.name == "Pets").expect("collection saved");
    let r = ws.requests.values().next().expect("request saved");
    assert_eq!(c.children, vec![ItemId::Request(r.id)]);
    assert_eq!(r.url, "http://127.0.0.1:9/pets?kind=dog&limit=10");
}

#[test]
fn drafts_and_tabs_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let spec = localpost::storage::sample::SampleSpec { collections: 1, folders: 1, requests: 2 };
    localpost::storage::sample::generate(dir.path(), "Team", spec).unwrap();
    let mut harness = open(dir.path());
    let team =
        harness.state().state.library.workspaces.values().find(|w| w.workspace.name == "Team").unwrap().id();
    let request_id = *harness.state().state.library.workspaces[&team].requests.keys().next().unwrap();
    harness.state_mut().state.workspace = Some(team);
    harness.run_steps(2);
    apply(&mut harness, Command::OpenRequest(request_id));
    type_url(&mut harness, "http://127.0.0.1:9/unsaved-edit");
    assert!(harness.state().state.active().unwrap().request().unwrap().dirty);
    settle_session(&mut harness, dir.path(), "http://127.0.0.1:9/unsaved-edit");
    drop(harness);

    let harness = open(dir.path());
    let state = &harness.state().state;
    assert_eq!(state.workspace, Some(team), "the workspace is restored");
    let tab = state.active().and_then(|t| t.request()).expect("the tab is restored");
    assert_eq!(tab.draft.id, request_id);
    assert_eq!(tab.draft.url, "http://127.0.0.1:9/unsaved-edit", "the unsaved draft is restored");
    assert!(tab.dirty, "and still marked unsaved");
    // The saved request itself was not changed.
    assert_ne!(state.library.workspaces[&team].requests[&request_id].url, tab.draft.url);
    assert_eq!(harness.get_by_label("URL").value().as_deref(), Some("http://127.0.0.1:9/unsaved-edit"));
}

#[test]
fn closing_a_dirty_tab_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    harness.get_by_label("URL").type_text("http://127.0.0.1:9/x");
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::W);
    harness.run_steps(2);
    assert!(shown(&harness, "has changes that are not saved"));
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert_eq!(harness.state().state.tabs.len(), 1, "cancel keeps the tab");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::W);
    harness.run_steps(2);
    harness.get_by_label("Don't save").click();
    harness.run_steps(2);
    assert!(harness.state().state.tabs.is_empty());
}

#[test]
fn settings_the_policy_fixes_cannot_be_changed() {
    use localpost::policy::{EffectivePolicy, SourceInput, SourceKind};
    let dir = tempfile::tempdir().unwrap();
    let text = "(schema_version: 1, organization_name: \"ACME Corp\", allow_tls_verification_bypass: false)";
    let source =
        SourceInput::new("/etc/localpost/policy.ron", SourceKind::Machine, Ok(text.as_bytes().to_vec()));
    let policy = EffectivePolicy::from_inputs(vec![source]);
    assert!(!policy.is_lockdown(), "{}", policy.to_text());
    // The user's own file says "do not verify": the policy wins, the file is not rewritten.
    std::fs::create_dir_all(dir.path()).unwrap();
    let user = Settings { verify_tls: false, ..Settings::default() };
    std::fs::write(dir.path().join("settings.ron"), localpost::storage::document::to_text(&user).unwrap())
        .unwrap();

    let mut options = AppOptions::new(dir.path().to_owned());
    options.policy = std::sync::Arc::new(policy);
    let mut harness = open_sized(options, egui::vec2(1280.0, 900.0));
    assert!(harness.state().state.effective_settings().verify_tls, "verification stays on");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Comma);
    harness.run_steps(3);
    assert!(shown(&harness, "🔒 Verify TLS certificates"));
    let checkbox = harness.get_by_label("Turning this off is insecure");
    assert!(checkbox.accesskit_node().is_disabled(), "the control is locked");
    assert_eq!(
        checkbox.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "it shows the policy's value"
    );
    checkbox.click();
    harness.run_steps(2);
    assert!(harness.state().state.effective_settings().verify_tls);
    settle(&mut harness);
    let on_disk = std::fs::read_to_string(dir.path().join("settings.ron")).unwrap();
    assert!(
        on_disk.contains("verify_tls: false"),
        "the user's own choice is kept for when the policy relaxes"
    );
}

#[test]
fn reset_local_data_offers_a_backup_then_asks_for_the_word() {
    use localpost::app::command::Action;
    let dir = tempfile::tempdir().unwrap();
    let spec = localpost::storage::sample::SampleSpec { collections: 2, folders: 2, requests: 12 };
    localpost::storage::sample::generate(dir.path(), "Team", spec).unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("backup.localpost.ron");

    let mut harness = open(dir.path());
    apply(&mut harness, Command::Action(Action::ResetLocalData));
    assert!(shown(&harness, "cannot be undone"));
    let delete = harness.get_by_label("Delete all local data");
    assert!(delete.accesskit_node().is_disabled(), "nothing can be deleted before the word is typed");

    type_into(&mut harness, "Backup file", &backup.display().to_string());
    harness.get_by_label("Export backup").click();
    harness.run_steps(1);
    step_until_drawn(&mut harness, "the backup to be written", WAIT, |h| {
        h.query_by_label_contains("Backup written to").is_some()
    });
    let (header, _) = localpost::interop::bundle::read(&std::fs::read(&backup).unwrap()).unwrap();
    assert_eq!(header.counts.requests, 12, "the backup holds every request");

    type_into(&mut harness, "Confirmation", "DELETE");
    harness.get_by_label("Delete all local data").click();
    harness.run_steps(2);
    step_until(&mut harness, "the reset to finish", |app| {
        app.state.library.workspaces.values().map(|w| w.workspace.name.as_str()).eq(["My Workspace"])
    });
    settle(&mut harness);
    assert!(shown(&harness, "All local data was deleted"));
    let on_disk = localpost::storage::Store::open_existing(dir.path()).unwrap();
    let names: Vec<_> = on_disk.library.workspaces.values().map(|w| w.workspace.name.clone()).collect();
    assert_eq!(names, ["My Workspace"]);
    assert!(dir.path().join(".git/HEAD").exists(), "the user's own files stay");
}
