//! Crash safety: a child process saving in a loop is killed with SIGKILL at random moments, 200
//! times; afterwards every file parses and holds either an old or a new version, never a mix.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use localpost::model::*;
use localpost::storage::Store;

const CHILD_ENV: &str = "LOCALPOST_CRASH_CHILD_DIR";

/// The description written in version `n`: its length varies so a torn write cannot look whole.
fn description(n: u64) -> String {
    format!("version {n} {}", "x".repeat((n % 97) as usize * 41))
}

fn setup(dir: &Path) -> (WorkspaceId, Request, Environment) {
    let mut opened = Store::open(dir).unwrap();
    let ws = *opened.library.workspaces.keys().next().unwrap();
    let store = &mut opened.store;
    let mut c = Collection::new("Crash");
    store.save_collection(ws, &c).unwrap();
    let mut r = Request::new("Target");
    r.description = description(0);
    store.save_request(ParentId::Collection(c.id), &r).unwrap();
    c.children.push(ItemId::Request(r.id));
    store.save_collection(ws, &c).unwrap();
    let mut env = Environment::new("Env");
    env.variables.push(Variable::new("plain", "p0"));
    env.variables.push(Variable::new("secret", "s0").secret());
    store.save_environment(ws, &env).unwrap();
    (ws, r, env)
}

/// The child: saves the same request and environment forever with increasing versions.
#[test]
#[ignore = "run by crash_safety_under_sigkill as a child process"]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    let mut opened = Store::open(Path::new(&dir)).unwrap();
    let ws_id = *opened.library.workspaces.keys().next().unwrap();
    let ws = opened.library.workspaces[&ws_id].clone();
    let (&id, request) = ws.requests.iter().next().unwrap();
    let parent = ws.parent_of(ItemId::Request(id)).unwrap();
    let mut request = request.clone();
    let mut env = ws.environments.values().next().unwrap().clone();
    let version = |s: &str| -> u64 {
        s.trim_start_matches(|c: char| !c.is_ascii_digit()).split(' ').next().unwrap().parse().unwrap()
    };
    let start = version(&request.description)
        .max(version(&env.variables[0].value))
        .max(version(&env.variables[1].value));
    for n in start + 1.. {
        request.description = description(n);
        // Renames too: the file moves between two names.
        request.name = if n % 5 == 0 { "Target renamed".into() } else { "Target".into() };
        opened.store.save_request(parent, &request).unwrap();
        env.variables[0].value = format!("p{n}");
        env.variables[1].value = format!("s{n}");
        opened.store.save_environment(ws_id, &env).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn crash_safety_under_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, request, env) = setup(dir.path());
    let exe = std::env::current_exe().unwrap();
    let mut seed = u64::from(std::process::id()) ^ 0x9E37_79B9_7F4A_7C15;
    let mut last_version = 0;
    let (mut last_plain, mut last_secret) = (0, 0);
    let started = Instant::now();
    for round in 0..200 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        std::thread::sleep(Duration::from_micros(2_000 + (seed >> 33) % 40_000));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let opened = Store::open_existing(dir.path()).unwrap();
        assert!(opened.report.is_clean(), "round {round}: {:#?}", opened.report.problems);
        let data = &opened.library.workspaces[&ws];
        let now = &data.requests[&request.id];
        let version: u64 = now.description.split(' ').nth(1).unwrap().parse().unwrap();
        assert_eq!(now.description, description(version), "round {round}: torn request");
        assert!(version >= last_version, "round {round}: went back from {last_version} to {version}");
        let e = &data.environments[&env.id];
        let plain: u64 = e.variables[0].value[1..].parse().unwrap();
        let secret: u64 = e.variables[1].value[1..].parse().unwrap();
        // Each file is whole and never goes back to an older version.
        assert!(plain >= last_plain && secret >= last_secret, "round {round}: p{plain} s{secret}");
        last_version = version;
        (last_plain, last_secret) = (plain, secret);
    }
    assert!(last_version > 0, "the child never got to save");
    eprintln!("200 kills in {:?}, {last_version} saves survived", started.elapsed());
}
