//! A save that runs out of space fails with a message naming the file, and the old file stays.
//! The disk is "full" for a child process through a file-size limit (`ulimit -f`), which makes
//! writes fail the way a full disk does, without needing a real full disk.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::path::Path;
use std::process::Command;

use localpost::model::*;
use localpost::storage::{Place, Store};

const CHILD_ENV: &str = "LOCALPOST_FULL_DISK_DIR";

#[test]
#[ignore = "run by a_full_disk_keeps_the_old_file as a child process"]
fn full_disk_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    let mut opened = Store::open(Path::new(&dir)).unwrap();
    let ws = opened.library.workspaces.values().next().unwrap().clone();
    let (&id, request) = ws.requests.iter().next().unwrap();
    let mut big = request.clone();
    big.description = "a long description ".repeat(2_000);
    let parent = ws.parent_of(ItemId::Request(id)).unwrap();
    match opened.store.save_request(parent, &big) {
        Ok(()) => println!("SAVED"),
        Err(e) => println!("ERROR: {e}"),
    }
}

#[cfg(unix)]
#[test]
fn a_full_disk_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws = *opened.library.workspaces.keys().next().unwrap();
    let mut c = Collection::new("C");
    opened.store.save_collection(ws, &c).unwrap();
    let r = Request::new("Small").with_url("http://127.0.0.1/");
    opened.store.save_request(ParentId::Collection(c.id), &r).unwrap();
    c.children.push(ItemId::Request(r.id));
    opened.store.save_collection(ws, &c).unwrap();
    let path = opened.store.file_of(Place::Request(r.id)).unwrap();
    let before = std::fs::read(&path).unwrap();

    let exe = std::env::current_exe().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 2; exec \"$0\" --exact full_disk_child --ignored --nocapture --test-threads=1")
        .arg(&exe)
        .env(CHILD_ENV, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.find("ERROR").or_else(|| l.find("SAVED")).map(|at| &l[at..]))
        .unwrap_or_default();
    assert!(line.starts_with("ERROR: cannot write"), "expected a write error, got {line:?}\n{stdout}");
    assert!(line.contains(&path.display().to_string()), "the message names the file: {line}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the old file is intact");
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".lp-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "no temp file left behind");
    assert!(Store::open_existing(dir.path()).unwrap().report.is_clean());
}
