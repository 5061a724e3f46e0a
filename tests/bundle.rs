//! The native backup bundle end to end: export from a real data folder, import into another,
//! compare the files one by one; conflicts and each choice; secrets; damaged bundles.

#![allow(clippy::unwrap_used)] // test code: a failure is a failed test

mod support;

use std::fs;

use localpost::interop::apply::{self, Choices, ItemKey, ItemKind, Resolution, Target};
use localpost::interop::bundle::{self, ExportOptions, Scope, Secrets};
use localpost::interop::{self, ImportError};
use localpost::model::*;
use localpost::storage::Store;
use support::data::{assert_same_files, populate, snapshot};

/// Exports as the app and the command line do: the data folder's records, then the bundle.
fn export(
    store: &Store,
    library: &Library,
    scope: &Scope,
    options: ExportOptions,
) -> Result<bundle::Exported, bundle::BundleError> {
    let records = store.records(bundle::workspaces_of(library, scope), options.records());
    bundle::export(&records, library, scope, options)
}

fn full_backup(root: &std::path::Path, secrets: Secrets) -> String {
    let opened = Store::open_existing(root).unwrap();
    let options = ExportOptions { secrets, include_history: true, include_runs: true };
    export(&opened.store, &opened.library, &Scope::Everything, options).unwrap().text
}

fn import_into(root: &std::path::Path, text: &str, target: &Target, choices: &Choices) -> apply::Applied {
    fs::create_dir_all(root).unwrap();
    let mut opened = Store::open_existing(root).unwrap();
    let imported = interop::import(text.as_bytes(), "backup.ron").unwrap();
    let mut plan = apply::plan(&imported, &opened.library, target).unwrap();
    let (settings, _) = opened.store.load_settings();
    plan.check_settings(Some(&settings));
    support::data::write_import(&plan, choices, &mut opened.store, &mut opened.library).unwrap()
}

#[test]
fn full_restore_onto_an_empty_folder_reproduces_every_file() {
    let src = tempfile::tempdir().unwrap();
    populate(src.path());
    let text = full_backup(src.path(), Secrets::Include);
    let dst = tempfile::tempdir().unwrap();
    let applied = import_into(dst.path(), &text, &Target::Auto, &Choices::all(Resolution::Overwrite));
    assert!(applied.written.files > 10, "{applied:?}");
    assert_same_files(src.path(), dst.path());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dst.path().join("secrets.ron")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // And the copy loads cleanly.
    let (_, problems, _) = localpost::storage::doctor::check(dst.path()).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn importing_the_same_backup_again_changes_nothing() {
    let src = tempfile::tempdir().unwrap();
    populate(src.path());
    let text = full_backup(src.path(), Secrets::Include);
    let before = snapshot(src.path());
    let mut opened = Store::open_existing(src.path()).unwrap();
    let imported = interop::import(text.as_bytes(), "backup.ron").unwrap();
    let plan = apply::plan(&imported, &opened.library, &Target::Auto).unwrap();
    assert!(!plan.conflicts.is_empty());
    assert_eq!(plan.changed_conflicts().count(), 0, "{:#?}", plan.conflicts);
    let applied = support::data::write_import(
        &plan,
        &Choices::all(Resolution::Overwrite),
        &mut opened.store,
        &mut opened.library,
    )
    .unwrap();
    assert_eq!(applied.written.files, 0, "{applied:?}");
    assert_eq!(snapshot(src.path()), before);
}

#[test]
fn secrets_are_left_out_by_default_and_kept_here_on_import() {
    let src = tempfile::tempdir().unwrap();
    populate(src.path());
    let text = full_backup(src.path(), Secrets::default());
    for secret in ["env-secret-token", "collection-secret", "global-secret"] {
        assert!(!text.contains(secret), "{secret} leaked into the bundle");
    }
    assert!(text.contains("local-dev-token") || !text.contains("token\", value: \"env"));
    // Restoring elsewhere: the variables are there, their values empty.
    let dst = tempfile::tempdir().unwrap();
    import_into(dst.path(), &text, &Target::Auto, &Choices::all(Resolution::Overwrite));
    let secrets = fs::read_to_string(dst.path().join("secrets.ron")).unwrap();
    assert!(!secrets.contains("env-secret-token"));
    let lib = Store::open_existing(dst.path()).unwrap().library;
    let token = lib
        .workspaces
        .values()
        .flat_map(|w| w.environments.values())
        .flat_map(|e| &e.variables)
        .find(|v| v.key == "token")
        .unwrap();
    assert!(token.secret && token.value.is_empty());
    // Importing it back where the values are: overwriting keeps them.
    let before = fs::read(src.path().join("secrets.ron")).unwrap();
    import_into(src.path(), &text, &Target::Auto, &Choices::all(Resolution::Overwrite));
    assert_eq!(fs::read(src.path().join("secrets.ron")).unwrap(), before);
}

#[test]
fn conflicts_overwrite_keep_both_and_skip() {
    let src = tempfile::tempdir().unwrap();
    let fx = populate(src.path());
    let text = full_backup(src.path(), Secrets::Include);
    // Change two requests and an environment here after the backup.
    let mut opened = Store::open_existing(src.path()).unwrap();
    let ws = opened.library.workspaces.get_mut(&fx.team).unwrap();
    let admin = ParentId::Folder(fx.admin);
    for id in [fx.get_user, fx.get_user_2] {
        let r = ws.requests.get_mut(&id).unwrap();
        r.url.push_str("?changed=here");
        opened.store.save_request(admin, r).unwrap();
    }
    let imported = interop::import(text.as_bytes(), "backup.ron").unwrap();
    let plan = apply::plan(&imported, &opened.library, &Target::Auto).unwrap();
    let changed: Vec<_> = plan.changed_conflicts().map(|c| (c.key.kind, c.name.clone())).collect();
    assert_eq!(
        changed,
        vec![(ItemKind::Request, "Get user".to_owned()), (ItemKind::Request, "Fetch user".to_owned())]
    );
    let conflict = plan.changed_conflicts().next().unwrap();
    assert_eq!(conflict.local_path, "Team / Users API / Admin / Get user");

    // Overwrite the first, keep both of the second, skip the rest.
    let k1 = ItemKey { kind: ItemKind::Request, id: fx.get_user_2.0 };
    let k2 = ItemKey { kind: ItemKind::Request, id: fx.get_user.0 };
    let choices =
        Choices::all(Resolution::Skip).with(k1, Resolution::Overwrite).with(k2, Resolution::KeepBoth);
    support::data::write_import(&plan, &choices, &mut opened.store, &mut opened.library).unwrap();

    let reloaded = Store::open_existing(src.path()).unwrap();
    assert!(reloaded.report.is_clean(), "{:?}", reloaded.report);
    let ws = &reloaded.library.workspaces[&fx.team];
    assert_eq!(ws.requests[&fx.get_user_2].url, "{{base}}/users/2", "overwritten with the backup");
    assert!(ws.requests[&fx.get_user].url.ends_with("?changed=here"), "kept as it was here");
    let copy = ws.requests.values().find(|r| r.name == "Fetch user (imported)").expect("a copy");
    assert_ne!(copy.id, fx.get_user);
    assert_eq!(copy.url, "{{base}}/users/:id");
    // The copy sits right after the original in the folder.
    let children = &ws.folders[&fx.admin].children;
    let pos = |id: RequestId| children.iter().position(|c| *c == ItemId::Request(id)).unwrap();
    assert_eq!(pos(copy.id), pos(fx.get_user) + 1, "{children:?}");
    // A second import finds the copy's original unchanged and the copy new... the copy is kept.
    assert_eq!(ws.requests.values().filter(|r| r.name.starts_with("Fetch user")).count(), 2);
}

#[test]
fn keep_both_on_a_folder_copies_its_subtree_with_fresh_ids() {
    let src = tempfile::tempdir().unwrap();
    let fx = populate(src.path());
    let opened = Store::open_existing(src.path()).unwrap();
    let text = export(&opened.store, &opened.library, &Scope::Folder(fx.admin), ExportOptions::default())
        .unwrap()
        .text;
    drop(opened);
    let mut opened = Store::open_existing(src.path()).unwrap();
    let before_requests = opened.library.workspaces[&fx.team].requests.len();
    let imported = interop::import(text.as_bytes(), "admin.ron").unwrap();
    let plan = apply::plan(&imported, &opened.library, &Target::Auto).unwrap();
    assert_eq!(plan.targets[0].workspace, fx.team);
    let key = ItemKey { kind: ItemKind::Folder, id: fx.admin.0 };
    let choices = Choices::all(Resolution::Skip).with(key, Resolution::KeepBoth);
    support::data::write_import(&plan, &choices, &mut opened.store, &mut opened.library).unwrap();
    let reloaded = Store::open_existing(src.path()).unwrap();
    assert!(reloaded.report.is_clean(), "{:?}", reloaded.report);
    let ws = &reloaded.library.workspaces[&fx.team];
    assert_eq!(ws.requests.len(), before_requests + 4);
    let copy = ws.folders.values().find(|f| f.name == "Admin (imported)").unwrap();
    assert_eq!(ws.requests_under(ParentId::Folder(copy.id)).len(), 4);
    assert!(ws.collections[&fx.users].children.contains(&ItemId::Folder(copy.id)));
    // Variables of the copy have their own ids (secret values are kept by variable id).
    let deep_copy = ws.folders.values().find(|f| f.name == "Deep" && f.id != fx.nested).unwrap();
    assert_ne!(deep_copy.variables[0].id, ws.folders[&fx.nested].variables[0].id);
}

#[test]
fn a_collection_bundle_goes_into_another_workspace_with_new_ids() {
    let src = tempfile::tempdir().unwrap();
    let fx = populate(src.path());
    let opened = Store::open_existing(src.path()).unwrap();
    let exported =
        export(&opened.store, &opened.library, &Scope::Collection(fx.users), ExportOptions::default())
            .unwrap();
    assert_eq!(exported.header.counts.requests, 5);
    let first = *opened.library.workspaces.keys().nth(1).unwrap();
    drop(opened);
    let mut opened = Store::open_existing(src.path()).unwrap();
    let imported = interop::import(exported.text.as_bytes(), "users.ron").unwrap();
    let plan = apply::plan(&imported, &opened.library, &Target::Workspace(first)).unwrap();
    assert!(plan.conflicts.is_empty());
    assert_eq!(plan.reidentified, 1 + 2 + 5);
    support::data::write_import(
        &plan,
        &Choices::all(Resolution::Skip),
        &mut opened.store,
        &mut opened.library,
    )
    .unwrap();
    let reloaded = Store::open_existing(src.path()).unwrap();
    assert!(reloaded.report.is_clean(), "{:?}", reloaded.report);
    assert_eq!(reloaded.library.workspaces[&first].requests.len(), 5);
    assert_eq!(reloaded.library.workspaces[&fx.team].requests.len(), 6);
}

#[test]
fn damaged_bundles_are_refused_with_the_reason() {
    let src = tempfile::tempdir().unwrap();
    populate(src.path());
    let text = full_backup(src.path(), Secrets::Exclude);
    let cut = &text.as_bytes()[..text.len() * 2 / 3];
    let err = interop::import(cut, "backup.ron").unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
    let edited = text.replacen("Users API", "Users APl", 1);
    let err = interop::import(edited.as_bytes(), "backup.ron").unwrap_err();
    assert!(matches!(err, ImportError::Shape { .. }), "{err}");
    assert!(err.to_string().contains("changed after it was exported"), "{err}");
}
