//! The window under things a user or a file controls: odd text in any field, secrets, the
//! policy's locks, history re-sends, paste. Each test is named after the problem it guards.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use localpost::model::*;
use localpost::storage::Store;
use support::app::{open, shown};

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
