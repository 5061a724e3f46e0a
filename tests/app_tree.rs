//! Tree edits through the app (the sidebar's Duplicate, Move and Delete): what they leave in
//! the data folder, read back by a fresh store. The edits themselves are tested in
//! `model::tree`; this checks that the app writes what they return, in an order the store takes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use std::path::Path;

use localpost::app::command::Command;
use localpost::app::state::Target;
use localpost::model::*;
use localpost::storage::Store;
use support::app::{apply, open, settle, shown};
use support::data::populate;

/// The workspace as a fresh store reads it from disk; the folder must load cleanly.
fn on_disk(dir: &Path, ws: WorkspaceId) -> WorkspaceData {
    let opened = Store::open_existing(dir).unwrap();
    assert!(opened.report.is_clean(), "{:?}", opened.report);
    opened.library.workspaces[&ws].clone()
}

fn names(ws: &WorkspaceData, parent: ParentId) -> Vec<String> {
    ws.children(parent)
        .unwrap()
        .iter()
        .map(|c| match c {
            ItemId::Request(r) => ws.requests[r].name.clone(),
            ItemId::Folder(f) => format!("{}/", ws.folders[f].name),
        })
        .collect()
}

#[test]
fn duplicated_moved_and_deleted_items_reach_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let before = on_disk(dir.path(), fx.team);
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));

    // A folder two deep, copied whole, right after the original.
    apply(&mut harness, Command::Duplicate(Target::Folder(fx.admin)));
    settle(&mut harness);
    let ws = on_disk(dir.path(), fx.team);
    assert_eq!(names(&ws, ParentId::Collection(fx.users)), ["Query", "Admin/", "Admin Copy/"]);
    let ItemId::Folder(copy) = ws.collections[&fx.users].children[2] else { panic!("not a folder") };
    assert_eq!(names(&ws, ParentId::Folder(copy)), names(&ws, ParentId::Folder(fx.admin)));
    assert_eq!(ws.requests_under(ParentId::Folder(copy)).len(), 4);
    assert_eq!(ws.requests.len(), before.requests.len() + 4);
    assert!(
        ws.requests_under(ParentId::Folder(copy)).iter().all(|r| !before.requests.contains_key(r)),
        "the copies have ids of their own"
    );

    // A request into another collection, first there.
    let orders = before.workspace.collections[0];
    apply(
        &mut harness,
        Command::Move { item: ItemId::Request(fx.get_user), to: ParentId::Collection(orders), index: 0 },
    );
    settle(&mut harness);
    let ws = on_disk(dir.path(), fx.team);
    assert_eq!(names(&ws, ParentId::Collection(orders)), ["Fetch user", "List orders"]);
    assert_eq!(names(&ws, ParentId::Folder(fx.admin)), ["Get user", "Deep/"]);

    // The copy deleted: its files go with it.
    apply(&mut harness, Command::DeleteConfirmed(Target::Folder(copy)));
    settle(&mut harness);
    let ws = on_disk(dir.path(), fx.team);
    assert_eq!(names(&ws, ParentId::Collection(fx.users)), ["Query", "Admin/"]);
    assert_eq!(ws.requests.len(), before.requests.len());
    assert_eq!(ws.folders.len(), before.folders.len());

    // A folder below itself: refused and said; nothing changes.
    apply(
        &mut harness,
        Command::Move { item: ItemId::Folder(fx.admin), to: ParentId::Folder(fx.nested), index: 0 },
    );
    assert!(shown(&harness, "A folder cannot be moved into itself."));
    settle(&mut harness);
    assert_eq!(on_disk(dir.path(), fx.team), ws);
}
