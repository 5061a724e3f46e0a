//! `localpost import` and `localpost export`, run as the built binary.

#![allow(clippy::unwrap_used)] // test code: a failure is a failed test

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use support::data::{assert_same_files, populate, snapshot};

fn localpost(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_localpost"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("LOCALPOST_DATA_DIR")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn backup_and_restore_through_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let dst = tmp.path().join("dst");
    populate(&src);
    let backup = tmp.path().join("backup.ron");
    let b = backup.to_str().unwrap();

    let out =
        localpost(&src, &["export", "--include-secrets", "--include-history", "--include-runs", "-o", b]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("everything"), "{}", text(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
            0o600,
            "a bundle with secrets is private"
        );
    }

    // A dry run writes nothing, not even the data folder.
    let out = localpost(&dst, &["import", b, "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("holds: 2 workspaces"), "{}", text(&out));
    assert!(text(&out).contains("dry run: nothing written"), "{}", text(&out));
    assert!(!dst.exists() || snapshot(&dst).is_empty());

    let out = localpost(&dst, &["import", b]);
    assert!(out.status.success(), "{}", text(&out));
    assert_same_files(&src, &dst);

    // Change a request here, then import again: the conflict must be decided.
    let file = dst.join("workspaces/team/collections/users-api/admin/get-user-2.request.ron");
    let changed = fs::read_to_string(&file).unwrap().replace("/users/2", "/users/3");
    fs::write(&file, &changed).unwrap();
    let before = snapshot(&dst);
    let out = localpost(&dst, &["import", b]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("changed: request \"Get user\""), "{}", text(&out));
    assert!(text(&out).contains("--on-conflict"), "{}", text(&out));
    assert_eq!(snapshot(&dst), before, "nothing is written without a choice");

    let out = localpost(&dst, &["import", b, "--on-conflict", "skip"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fs::read_to_string(&file).unwrap(), changed);

    let out = localpost(&dst, &["import", b, "--on-conflict", "copy"]);
    assert!(out.status.success(), "{}", text(&out));
    let copies = snapshot(&dst)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("Get user (imported)"))
        .count();
    assert_eq!(copies, 1);

    let out = localpost(&dst, &["import", b, "--on-conflict", "overwrite"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(fs::read_to_string(&file).unwrap().contains("/users/2"));
    let out = localpost(&dst, &["doctor"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn export_leaves_secrets_out_by_default_and_writes_postman() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    populate(&src);
    let plain = tmp.path().join("plain.ron");
    let out = localpost(&src, &["export", "--workspace", "Team", "-o", plain.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("secret values left out"), "{}", text(&out));
    let bundle = fs::read_to_string(&plain).unwrap();
    assert!(!bundle.contains("env-secret-token") && !bundle.contains("global-secret"));
    assert!(
        !bundle.contains("history_entry") && !bundle.contains("connection refused"),
        "history only when asked"
    );

    let json = tmp.path().join("users.postman_collection.json");
    let out = localpost(
        &src,
        &["export", "--collection", "Users API", "--format", "postman", "-o", json.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["info"]["schema"], "https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
    assert_eq!(v["item"][1]["name"], "Admin");
    assert_eq!(v["variable"][1]["value"], "", "secret left out");

    let env = tmp.path().join("local.postman_environment.json");
    let out = localpost(
        &src,
        &[
            "export",
            "--environment",
            "Local",
            "--format",
            "postman",
            "--include-secrets",
            "-o",
            env.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(fs::read_to_string(&env).unwrap().contains("env-secret-token"));

    let out = localpost(
        &src,
        &["export", "--workspace", "Team", "--format", "postman", "-o", env.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("one collection or one environment"), "{}", text(&out));
}

#[test]
fn a_broken_file_is_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populate(&data);
    let before = snapshot(&data);
    let good = tmp.path().join("good.ron");
    assert!(localpost(&data, &["export", "-o", good.to_str().unwrap()]).status.success());
    let bad = tmp.path().join("cut.ron");
    let bytes = fs::read(&good).unwrap();
    fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    // The good file comes first: still nothing is written, as the second one is refused.
    let out = localpost(&data, &["import", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("cut.ron") && text(&out).contains("truncated"), "{}", text(&out));
    assert_eq!(snapshot(&data), before);
}

/// Runs `localpost ARGS | head -c keep_bytes` (or `2>&1 | head` when `both`): reads that much,
/// closes the pipe, and returns the exit status and what the process wrote to its stderr.
#[cfg(unix)]
fn piped_to_head(data_dir: &Path, args: &[&str], keep_bytes: usize, both: bool) -> (Option<i32>, String) {
    use std::io::Read as _;
    use std::process::Stdio;
    let (reader, writer) = std::io::pipe().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_localpost"));
    cmd.arg("--data-dir").arg(data_dir).args(args).env_remove("LOCALPOST_DATA_DIR");
    if both {
        cmd.stdout(writer.try_clone().unwrap()).stderr(writer);
    } else {
        cmd.stdout(writer).stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    drop(cmd);
    let mut kept = vec![0; keep_bytes];
    let mut reader = reader;
    reader.read_exact(&mut kept).unwrap();
    drop(reader); // `head` is done: the pipe is closed.
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).unwrap();
    }
    (child.wait().unwrap().code(), err)
}

#[cfg(unix)]
#[test]
fn the_cli_exits_quietly_when_its_output_is_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    populate(&data);
    let backup = tmp.path().join("backup.ron");
    let out = localpost(&data, &["export", "-o", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let big = tmp.path().join("big");
    localpost::storage::sample::generate(
        &big,
        "Big",
        localpost::storage::sample::SampleSpec { collections: 2, folders: 20, requests: 3000 },
    )
    .unwrap();

    // `localpost export -o - | head -c 10`
    let (code, err) = piped_to_head(&big, &["export", "-o", "-"], 10, false);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{err}");
    // `localpost ls | head -3`
    let (code, err) = piped_to_head(&big, &["ls"], 40, false);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
    // `localpost import FILE 2>&1 | head -3`: the import still happens, whole.
    let target = tmp.path().join("restored");
    let (code, _) = piped_to_head(&target, &["import", backup.to_str().unwrap()], 20, true);
    assert_eq!(code, Some(0));
    let out = localpost(&target, &["doctor"]);
    assert!(out.status.success() && text(&out).contains("no problems"), "{}", text(&out));
}

#[test]
fn import_counts_tell_overwritten_from_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let spec = localpost::storage::sample::SampleSpec { collections: 1, folders: 2, requests: 10 };
    localpost::storage::sample::generate(&data, "S", spec).unwrap();
    let backup = tmp.path().join("backup.ron");
    let out = localpost(&data, &["export", "-o", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    // Change three requests here: the backup overwrites those three and nothing else.
    let mut changed = 0;
    for (rel, bytes) in snapshot(&data) {
        let path = data.join(&rel);
        if changed < 3 && rel.to_string_lossy().ends_with(".request.ron") {
            fs::write(&path, String::from_utf8(bytes).unwrap().replace("?page=", "?changed=1&page="))
                .unwrap();
            changed += 1;
        }
    }
    let out = localpost(&data, &["import", backup.to_str().unwrap(), "--on-conflict", "overwrite"]);
    assert!(out.status.success(), "{}", text(&out));
    // 1 workspace, 1 collection, 2 folders, 10 requests, 2 environments, 1 preset are here.
    assert!(text(&out).contains("wrote 3 files: 3 overwritten, 14 unchanged"), "{}", text(&out));
    let out = localpost(&data, &["import", backup.to_str().unwrap(), "--on-conflict", "overwrite"]);
    assert!(text(&out).contains("wrote 0 files: 17 unchanged"), "{}", text(&out));
}
