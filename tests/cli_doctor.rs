//! `localpost doctor` and `localpost ls` on real data folders, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::fs;
use std::path::Path;
use std::process::Command;

use localpost::model::*;
use localpost::storage::{Place, Store};

fn localpost(data: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_localpost"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("LOCALPOST_DATA_DIR")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

fn sample(dir: &Path) {
    let spec = localpost::storage::sample::SampleSpec { collections: 2, folders: 6, requests: 30 };
    localpost::storage::sample::generate(dir, "Sample", spec).unwrap();
}

#[test]
fn doctor_passes_a_healthy_folder_and_ls_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let (code, out) = localpost(dir.path(), &["doctor"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no problems") && out.contains("30 requests"), "{out}");

    let (code, out) = localpost(dir.path(), &["ls"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Sample  [2 collections, 6 folders, 30 requests, 2 environments, 1 header preset]"),
        "{out}"
    );
    assert!(out.contains("Users API  [15 requests]"), "{out}");
    assert!(out.contains("env: Local  [3 variables]"), "{out}");
    assert!(out.lines().any(|l| l.trim_start().starts_with("GET ") && l.contains("users #0")), "{out}");
}

#[test]
fn doctor_names_every_planted_problem() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let opened = Store::open_existing(dir.path()).unwrap();
    let ws = opened.library.workspaces.values().find(|w| w.workspace.name == "Sample").unwrap().clone();
    let store = opened.store;
    let mut requests = ws.requests.keys();
    let r1 = store.file_of(Place::Request(*requests.next().unwrap())).unwrap();
    let r2 = store.file_of(Place::Request(*requests.next().unwrap())).unwrap();
    let r3 = store.file_of(Place::Request(*requests.next().unwrap())).unwrap();
    let folder = ws.folders.values().next().unwrap();
    let folder_file = store.file_of(Place::Folder(folder.id)).unwrap();
    let ws_dir = store.workspace_dir(ws.id()).unwrap().to_owned();

    // 1. a broken file
    fs::write(&r1, "(format: 1, request: (id: \"oops\"").unwrap();
    // 2. a duplicate id
    let dup = r2.parent().unwrap().join("copy-of-it.request.ron");
    fs::copy(&r2, &dup).unwrap();
    // 3. an order naming a missing child, and 4. an unlisted child
    let ghost = RequestId::new();
    let text = fs::read_to_string(&folder_file).unwrap();
    let text = text.replacen("children: [", &format!("children: [\n            Request(\"{ghost}\"),"), 1);
    fs::write(&folder_file, text).unwrap();
    let stray = Request::new("Stray");
    let stray_path = folder_file.parent().unwrap().join("stray.request.ron");
    fs::write(&stray_path, localpost::storage::document::to_text(&stray).unwrap()).unwrap();
    // 5. an unknown field
    let text = fs::read_to_string(&r3).unwrap().replacen("name:", "colour: \"red\",\n        name:", 1);
    fs::write(&r3, text).unwrap();
    // 6. a secret for a variable that no longer exists, 7. readable by others
    let secrets = dir.path().join("secrets.ron");
    let text = fs::read_to_string(&secrets).unwrap();
    let orphan = VariableId::new();
    fs::write(
        &secrets,
        text.replacen("values: {", &format!("values: {{\n        \"{orphan}\": \"old\","), 1),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&secrets, fs::Permissions::from_mode(0o644)).unwrap();
    }
    // 8. a temp file a crash left behind (cleaned, not an error), 9. a file that does not belong
    let leftover = folder_file.parent().unwrap().join(".lp-tmp-abc123");
    fs::write(&leftover, "partial").unwrap();
    fs::write(ws_dir.join("environments").join("notes.txt"), "hello").unwrap();
    // 10. a broken history entry
    let day = ws_dir.join("history").join("2026-01-01");
    fs::create_dir_all(&day).unwrap();
    fs::write(day.join("120000-000-deadbeef.ron"), "(format: 1, history_entry: (").unwrap();

    let before = fs::read(&r1).unwrap();
    let (code, out) = localpost(dir.path(), &["doctor"]);
    assert_eq!(code, 1, "{out}");
    let expect = [
        (r1.display().to_string(), "error"),
        // Which of two files with one id loads is decided by path order; the other is named.
        (r2.parent().unwrap().display().to_string(), "already used by"),
        (folder_file.display().to_string(), &format!("order lists {ghost}")),
        (folder_file.display().to_string(), &format!("{} is not in its parent's order", stray.id)),
        (r3.display().to_string(), "colour"),
        (secrets.display().to_string(), &format!("{orphan}")),
        (secrets.display().to_string(), "readable by others"),
        (".lp-tmp-abc123".to_owned(), "cleaned: removed"),
        ("notes.txt".to_owned(), "not part of"),
        ("120000-000-deadbeef.ron".to_owned(), "error"),
    ];
    for (path, what) in expect {
        assert!(
            out.lines().any(|l| l.contains(&path) && l.contains(what)),
            "doctor did not report {what:?} for {path}:\n{out}"
        );
    }
    assert!(out.contains("nothing you made was changed"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("error") && l.contains(".lp-tmp-")), "{out}");
    // doctor changed nothing of the user's; the crash's leftover is gone.
    assert_eq!(fs::read(&r1).unwrap(), before);
    assert!(!leftover.exists());
}

#[test]
fn the_cli_on_a_fresh_machine_makes_the_data_folder_as_the_app_does() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    // doctor checks; it does not make anything.
    let (code, out) = localpost(&missing, &["doctor"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("does not exist yet"), "{out}");
    assert!(!missing.exists(), "doctor must not create the data folder");
    // Any other command makes it as the app's first start does.
    let (code, out) = localpost(&missing, &["ls"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(1 workspace)") && out.contains("My Workspace"), "{out}");
    // An empty folder too.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let (code, out) = localpost(&empty, &["ls"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("My Workspace"), "{out}");
}

#[test]
fn cli_errors_carry_the_os_error_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    let (code, out) = localpost(&file.join("below"), &["ls"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("below"), "{out}");
    assert_eq!(out.matches("os error").count(), 1, "{out}");
    let (code, out) = localpost(&file, &["ls"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not a folder"), "{out}");
}

#[test]
fn doctor_names_the_file_a_workspace_folder_lacks_and_checks_the_top_files() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let opened = Store::open_existing(dir.path()).unwrap();
    let ws = opened.library.workspaces.values().next().unwrap().clone();
    let ws_dir = opened.store.workspace_dir(ws.id()).unwrap().to_owned();
    // A workspace folder without its workspace.ron.
    fs::remove_file(ws_dir.join("workspace.ron")).unwrap();
    // localpost.ron listing a workspace that is not there, and a garbage settings.ron.
    let ghost = WorkspaceId::new();
    let index = dir.path().join("localpost.ron");
    let text = fs::read_to_string(&index).unwrap().replacen(
        "workspaces: [",
        &format!("workspaces: [\n        \"{ghost}\","),
        1,
    );
    fs::write(&index, text).unwrap();
    fs::write(dir.path().join("settings.ron"), "this is not RON").unwrap();

    let (code, out) = localpost(dir.path(), &["doctor"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.lines().any(|l| l.contains("has no workspace.ron")), "{out}");
    assert!(!out.contains("no folder.ron"), "{out}");
    assert!(out.lines().any(|l| l.contains("localpost.ron") && l.contains(&ghost.to_string())), "{out}");
    assert!(out.lines().any(|l| l.starts_with("error") && l.contains("settings.ron")), "{out}");
}
