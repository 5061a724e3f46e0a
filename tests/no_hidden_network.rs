//! No hidden network: the real binary, traced with `strace -f -e trace=connect`, makes no
//! internet-family connection when it starts (the window, under Xvfb), sits idle, imports,
//! exports or shows the policy; and a user's send makes exactly the one connection it should.
//! Local sockets (the X server, D-Bus) are not network traffic and are only listed.
//! `.ci/run` installs strace and Xvfb; without them these tests fail rather than pass unseen.
#![cfg(unix)] // strace, Xvfb and the X server's socket
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed setup step should fail loudly

mod support;

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use localpost::model::*;
use localpost::storage::Store;
use support::{Reply, Server};

const BIN: &str = env!("CARGO_BIN_EXE_localpost");

fn require(tool: &str) {
    let found =
        Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output().unwrap().status.success();
    assert!(found, "`{tool}` is needed for this test (.ci/run installs it: apt-get install -y strace xvfb)");
}

/// Runs `args` under strace; returns the connect() calls to internet addresses and the others.
fn traced(args: &[&str], env: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
    require("strace");
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut command = Command::new("strace");
    command.args(["-f", "-qq", "-e", "trace=connect", "-o"]).arg(out.path()).args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let status = command.stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap();
    let _ = status;
    let log = std::fs::read_to_string(out.path()).unwrap();
    let calls: Vec<String> = log.lines().filter(|l| l.contains("connect(")).map(str::to_owned).collect();
    calls.into_iter().partition(|l| l.contains("AF_INET"))
}

fn no_inet(what: &str, args: &[&str], env: &[(&str, &str)]) {
    let (inet, local) = traced(args, env);
    assert!(inet.is_empty(), "{what} made network connections:\n{}", inet.join("\n"));
    eprintln!("{what}: no network connection; local sockets: {local:?}");
}

/// A data folder with one saved request to `url`.
fn folder_with_request(url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws = opened.library.workspaces.values().next().unwrap().workspace.clone();
    let mut collection = Collection::new("API");
    let request = Request::new("ping").with_url(url);
    collection.children = vec![ItemId::Request(request.id)];
    opened.store.save_collection(ws.id, &collection).unwrap();
    opened.store.save_request(ParentId::Collection(collection.id), &request).unwrap();
    let ws = Workspace { collections: vec![collection.id], ..ws };
    opened.store.save_workspace(&ws).unwrap();
    dir
}

#[test]
fn the_command_line_makes_no_connection_of_its_own() {
    let dir = folder_with_request("http://127.0.0.1:9/never");
    let data = dir.path().to_str().unwrap();
    no_inet("policy show", &[BIN, "policy", "show"], &[]);
    no_inet("ls", &[BIN, "--data-dir", data, "ls"], &[]);
    no_inet("doctor", &[BIN, "--data-dir", data, "doctor"], &[]);
    let collection =
        support::corpus().join("postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json");
    no_inet("import", &[BIN, "--data-dir", data, "import", collection.to_str().unwrap()], &[]);
    let backup = dir.path().join("backup.ron");
    no_inet("export", &[BIN, "--data-dir", data, "export", "--output", backup.to_str().unwrap()], &[]);
    assert!(backup.exists(), "the export was written");
}

#[test]
fn a_send_makes_exactly_one_connection_to_its_host() {
    let server = Server::start(|_| Reply::text(200, "pong"));
    let dir = folder_with_request(&server.url("/ping"));
    let data = dir.path().to_str().unwrap();
    let (inet, _) = traced(&[BIN, "--data-dir", data, "send", "My Workspace/API/ping"], &[("NO_PROXY", "*")]);
    let port = server.addr.port();
    assert_eq!(inet.len(), 1, "one connection expected:\n{}", inet.join("\n"));
    assert!(
        inet[0].contains(&format!("sin_port=htons({port})")) && inet[0].contains("127.0.0.1"),
        "{}",
        inet[0]
    );
    assert_eq!(server.requests().len(), 1);
}

/// Starts Xvfb on `display` and waits until it accepts clients on its socket.
fn start_xvfb(display: &str) -> Child {
    let mut xvfb = Command::new("Xvfb")
        .args([display, "-screen", "0", "1280x800x24"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let socket = Path::new("/tmp/.X11-unix").join(format!("X{}", display.trim_start_matches(':')));
    let deadline = Instant::now() + Duration::from_secs(10);
    while UnixStream::connect(&socket).is_err() {
        assert!(xvfb.try_wait().unwrap().is_none(), "Xvfb exited instead of serving {display}");
        assert!(Instant::now() < deadline, "Xvfb did not start serving {display}");
        std::thread::sleep(Duration::from_millis(20));
    }
    xvfb
}

#[test]
fn the_window_makes_no_connection_starting_or_idle() {
    require("Xvfb");
    let display = format!(":{}", 200 + std::process::id() % 100);
    let mut xvfb = start_xvfb(&display);
    let dir = folder_with_request("http://127.0.0.1:9/never");
    let data = dir.path().to_str().unwrap();
    // Start-up and six seconds of idle; `timeout` ends the app, strace follows both.
    let (inet, local) =
        traced(&["timeout", "-s", "TERM", "6", BIN, "--data-dir", data], &[("DISPLAY", &display)]);
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    assert!(inet.is_empty(), "the window made network connections:\n{}", inet.join("\n"));
    assert!(
        local.iter().any(|l| l.contains("AF_UNIX") && l.contains("X11")),
        "the window did not reach the X server, so it did not start: {local:?}"
    );
    eprintln!("window: no network connection; local sockets: {local:?}");
}
