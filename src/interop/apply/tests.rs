//! All or nothing: writes that fail or are killed at every step, and the order merge.
use super::merge::merge_ids;
use super::*;
use crate::storage::Store;

/// The import written as the app and the CLI write it: the merge, then one all-or-nothing write.
fn apply(
    plan: &ImportPlan,
    choices: &Choices,
    store: &mut Store,
    library: &mut Library,
) -> Result<Applied, ApplyError> {
    let local = store.local_files(plan.existing_targets());
    merge(plan, choices, library, &local)?
        .commit(library, |current, next, extras| store.write_library(current, next, extras))
}

#[test]
fn merged_order_keeps_local_entries_next_to_their_neighbours() {
    // Local [A, F, B] with the import holding only F: nothing moves.
    assert_eq!(merge_ids(&['F'], &['A', 'F', 'B'], true), vec!['A', 'F', 'B']);
    // The import reorders; a local-only X stays after A.
    assert_eq!(merge_ids(&['B', 'A', 'F'], &['A', 'X', 'F', 'B'], true), vec!['B', 'A', 'X', 'F']);
    // Skip: local order, new ones at the end.
    assert_eq!(merge_ids(&['N', 'A'], &['A', 'B'], false), vec!['A', 'B', 'N']);
}

fn snapshot(root: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_owned(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// A data folder with one workspace: a collection, a folder, requests, a secret.
fn folder_with_work(root: &std::path::Path) -> (WorkspaceId, CollectionId, RequestId) {
    let mut opened = Store::open(root).unwrap();
    let store = &mut opened.store;
    let ws_id = *opened.library.workspaces.keys().next().unwrap();
    let mut ws = opened.library.workspaces[&ws_id].workspace.clone();
    let mut c = Collection::new("Users");
    c.variables.push(Variable::new("key", "here-secret").secret());
    store.save_collection(ws_id, &c).unwrap();
    let mut f = Folder::new("Admin");
    store.save_folder(ParentId::Collection(c.id), &f).unwrap();
    let r = Request::new("Get").with_url("http://127.0.0.1/u");
    store.save_request(ParentId::Folder(f.id), &r).unwrap();
    f.children.push(ItemId::Request(r.id));
    store.save_folder(ParentId::Collection(c.id), &f).unwrap();
    c.children.push(ItemId::Folder(f.id));
    store.save_collection(ws_id, &c).unwrap();
    ws.collections.push(c.id);
    store.save_workspace(&ws).unwrap();
    (ws_id, c.id, r.id)
}

/// An import that touches every kind of write: a changed request (replace a file), a request
/// moved to another folder (remove a file), a new collection (a new folder tree), a new
/// secret (the secrets file) and a new environment.
fn import_touching_everything(root: &std::path::Path) -> (ImportPlan, Library, Store) {
    let (ws, c, r) = folder_with_work(root);
    let opened = Store::open_existing(root).unwrap();
    let mut data = opened.library.workspaces[&ws].clone();
    data.requests.get_mut(&r).unwrap().url.push_str("?v=2");
    // Move the request from the folder to the collection.
    let folder = *data.folders.keys().next().unwrap();
    data.folders.get_mut(&folder).unwrap().children.clear();
    data.collections.get_mut(&c).unwrap().children.push(ItemId::Request(r));
    let mut extra = Collection::new("Orders");
    let mut sub = Folder::new("Deep");
    let nr = Request::new("List").with_url("http://127.0.0.1/o");
    sub.children.push(ItemId::Request(nr.id));
    extra.children.push(ItemId::Folder(sub.id));
    data.workspace.collections.push(extra.id);
    data.collections.insert(extra.id, extra);
    data.folders.insert(sub.id, sub);
    data.requests.insert(nr.id, nr);
    let mut env = Environment::new("Local");
    env.variables.push(Variable::new("token", "new-secret").secret());
    data.workspace.environments.push(env.id);
    data.environments.insert(env.id, env);
    let imported = Imported {
        format: Format::PostmanCollectionV21,
        workspaces: vec![data],
        cookies: Vec::new(),
        report: Report::default(),
        bundle: None,
    };
    let plan = plan(&imported, &opened.library, &Target::Workspace(ws)).unwrap();
    (plan, opened.library, opened.store)
}

#[test]
fn a_failure_at_any_step_of_the_write_changes_nothing() {
    let mut step = 0;
    loop {
        let dir = tempfile::tempdir().unwrap();
        let (plan, mut library, mut store) = import_touching_everything(dir.path());
        let before = snapshot(dir.path());
        let library_before = library.clone();
        crate::storage::stage::fault::fail_at(Some(step));
        let result = apply(&plan, &Choices::all(Resolution::Overwrite), &mut store, &mut library);
        crate::storage::stage::fault::fail_at(None);
        match result {
            Err(e) => {
                assert!(e.to_string().contains("injected failure"), "{e}");
                assert_eq!(snapshot(dir.path()), before, "step {step} left changes behind");
                assert_eq!(library, library_before);
                step += 1;
            }
            Ok(applied) => {
                // Past the last step: the write went through, and did all of it.
                assert!(step >= 5, "only {step} steps: {applied:?}");
                let reloaded = Store::open_existing(dir.path()).unwrap();
                assert!(reloaded.report.is_clean(), "{:?}", reloaded.report);
                let mut reloaded_library = reloaded.library.clone();
                for (id, ws) in &mut reloaded_library.workspaces {
                    // No globals file: a load makes up a fresh globals id.
                    ws.globals.id = library.workspaces[id].globals.id;
                }
                assert_eq!(reloaded_library, library);
                let secrets = std::fs::read_to_string(dir.path().join("secrets.ron")).unwrap();
                assert!(secrets.contains("new-secret") && secrets.contains("here-secret"));
                break;
            }
        }
    }
}

/// Copies a folder tree (the state to compare a crashed write with).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for (rel, bytes) in snapshot(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// The same import, applied to a copy without any fault: the "wholly new" state.
fn applied_cleanly(
    dir: &std::path::Path,
    plan: &ImportPlan,
) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(dir, copy.path());
    let mut opened = Store::open_existing(copy.path()).unwrap();
    apply(plan, &Choices::all(Resolution::Overwrite), &mut opened.store, &mut opened.library).unwrap();
    snapshot(copy.path())
}

#[test]
fn an_overwrite_import_killed_midway_is_whole_after_the_next_open() {
    use crate::storage::stage::fault::{self, Fault};
    let mut step = 0;
    loop {
        let dir = tempfile::tempdir().unwrap();
        let (plan, mut library, mut store) = import_touching_everything(dir.path());
        let before = snapshot(dir.path());
        let after = applied_cleanly(dir.path(), &plan);
        assert_ne!(before, after);
        fault::set(Some(Fault::Crash(step)));
        let result = apply(&plan, &Choices::all(Resolution::Overwrite), &mut store, &mut library);
        fault::set(None);
        if result.is_ok() {
            assert!(step >= 5, "only {step} steps");
            break;
        }
        // The process "died" mid-way: the folder is a mix until the next open finishes it.
        let reopened = Store::open_existing(dir.path()).unwrap();
        assert!(
            reopened
                .report
                .repairs
                .iter()
                .any(|r| matches!(r.kind, crate::storage::RepairKind::WriteCompleted { .. })),
            "step {step}: {:?}",
            reopened.report
        );
        assert!(reopened.report.is_clean(), "step {step}: {:?}", reopened.report);
        assert_eq!(snapshot(dir.path()), after, "step {step}: not wholly new after the next open");
        step += 1;
    }
}

#[test]
fn a_failed_import_killed_while_undoing_is_undone_on_the_next_open() {
    use crate::storage::stage::fault::{self, Fault};
    let mut killed_mid_undo = 0;
    // A move fails, the undo starts (over every move, last first), and the process dies at
    // each of the undo's moves in turn.
    for fail in 1..8 {
        for crash_after in 1..12 {
            let dir = tempfile::tempdir().unwrap();
            let (plan, mut library, mut store) = import_touching_everything(dir.path());
            let before = snapshot(dir.path());
            fault::set(Some(Fault::FailThenCrash(fail, fail + crash_after)));
            let result = apply(&plan, &Choices::all(Resolution::Overwrite), &mut store, &mut library);
            fault::set(None);
            let Err(e) = result else { continue }; // past the last move
            let reopened = Store::open_existing(dir.path()).unwrap();
            if e.to_string().contains("simulated crash") {
                killed_mid_undo += 1;
                assert!(
                    reopened
                        .report
                        .repairs
                        .iter()
                        .any(|r| matches!(r.kind, crate::storage::RepairKind::WriteRolledBack { .. })),
                    "{fail}/{crash_after}: {:?}",
                    reopened.report
                );
            }
            assert!(reopened.report.is_clean(), "{fail}/{crash_after}: {:?}", reopened.report);
            assert_eq!(
                snapshot(dir.path()),
                before,
                "{fail}/{crash_after}: not wholly old after the next open"
            );
        }
    }
    assert!(killed_mid_undo > 20, "only {killed_mid_undo} kills landed inside an undo");
}

#[test]
fn nothing_is_written_before_apply() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let (plan, _, _) = import_touching_everything(dir.path());
        // The collection and folder only differ in their children: items of their own.
        let changed: Vec<_> = plan.conflicts.iter().map(|c| (c.key.kind, c.changed)).collect();
        assert_eq!(
            changed,
            vec![(ItemKind::Collection, false), (ItemKind::Folder, false), (ItemKind::Request, true)]
        );
        snapshot(dir.path())
    };
    assert_eq!(snapshot(dir.path()), before);
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".lp-tmp"))
    );
}
