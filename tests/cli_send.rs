//! `localpost send` end to end: a data folder written with the storage API, the real binary,
//! a real server on 127.0.0.1.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::path::Path;
use std::process::{Command, Output};

use localpost::model::*;
use localpost::storage::Store;
use support::{Reply, Server};

struct Fixture {
    dir: tempfile::TempDir,
    ws: WorkspaceId,
}

/// A data folder with workspace "Team", collection "API" (variable `base`), folder "users",
/// requests "users/get one" and "login", environments "Dev" and "Prod".
fn fixture(server: &Server) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let store = &mut opened.store;
    let mut ws = Workspace::new("Team");
    store.create_workspace(&ws).unwrap();
    let mut c = Collection::new("API");
    c.variables = vec![Variable::new("base", server.url(""))];
    let mut users = Folder::new("users");
    let mut get_one = Request::new("get one").with_url("{{base}}/users/:id?verbose={{verbose}}");
    get_one.path_variables = vec![KeyValue::new("id", "{{user}}")];
    get_one.auth = Auth::Inherit;
    let mut login = Request::new("log/in").with_method(Method::Post).with_url("{{base}}/login");
    login.body = Body::json(r#"{"user":"{{user}}","token":"{{token}}"}"#);
    c.auth = Auth::Bearer { token: "{{token}}".into() };
    users.children.push(ItemId::Request(get_one.id));
    c.children = vec![ItemId::Folder(users.id), ItemId::Request(login.id)];
    store.save_collection(ws.id, &c).unwrap();
    store.save_folder(ParentId::Collection(c.id), &users).unwrap();
    store.save_request(ParentId::Folder(users.id), &get_one).unwrap();
    store.save_request(ParentId::Collection(c.id), &login).unwrap();
    let mut dev = Environment::new("Dev");
    dev.variables = vec![
        Variable::new("user", "42"),
        Variable::new("token", "dev-secret").secret(),
        Variable::new("verbose", "yes"),
    ];
    let mut prod = Environment::new("Prod");
    prod.variables = vec![Variable::new("user", "7"), Variable::new("token", "prod-secret").secret()];
    store.save_environment(ws.id, &dev).unwrap();
    store.save_environment(ws.id, &prod).unwrap();
    ws.collections = vec![c.id];
    ws.environments = vec![dev.id, prod.id];
    store.save_workspace(&ws).unwrap();
    Fixture { dir, ws: ws.id }
}

fn localpost(dir: &Path, args: &[&str]) -> Output {
    support::localpost(dir).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn sends_a_saved_request_and_prints_status_headers_and_pretty_json() {
    let server = Server::start(|r| {
        Reply::json(&format!(
            r#"{{"path":"{}","auth":"{}","z":1,"a":[1,2]}}"#,
            r.target,
            r.header("authorization").unwrap_or("")
        ))
        .header("x-served-by", "test")
    });
    let f = fixture(&server);
    let out = localpost(f.dir.path(), &["send", "Team/API/users/get one", "--env", "Dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("HTTP/1.1 200 OK\n"), "{text}");
    assert!(text.contains("\nx-served-by: test\n"));
    assert!(text.contains("{\n  \"path\": \"/users/42?verbose=yes\",\n  \"auth\": \"Bearer dev-secret\",\n  \"z\": 1,\n  \"a\": [\n    1,\n    2\n  ]\n}"), "{text}");

    // --var wins over the environment; names with `/` are found as they are.
    let out = localpost(f.dir.path(), &["send", "Team/API/log/in", "--env", "prod", "--var", "user=9"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let last = server.last();
    assert_eq!(last.method, "POST");
    assert_eq!(last.body_text(), r#"{"user":"9","token":"prod-secret"}"#);

    // History was recorded, secrets redacted.
    let ws_dir = Store::open_existing(f.dir.path()).unwrap().store.workspace_dir(f.ws).unwrap().to_owned();
    let (entries, problems) = localpost::storage::history::load(&ws_dir, 10);
    assert!(problems.is_empty());
    assert_eq!(entries.len(), 2);
    let all = ron::to_string(&entries).unwrap();
    assert!(!all.contains("prod-secret") && !all.contains("dev-secret"), "{all}");
}

#[test]
fn missing_variables_unknown_paths_and_transport_errors_exit_non_zero() {
    let server = Server::start(|_| Reply::text(200, "ok"));
    let f = fixture(&server);
    let out = localpost(f.dir.path(), &["send", "Team/API/users/get one"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("{{verbose}}, {{user}}, {{token}}"), "{}", stderr(&out));
    assert!(server.requests().is_empty());

    let out = localpost(f.dir.path(), &["send", "Team/API/nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no request at Team/API/nope"));
    let out = localpost(f.dir.path(), &["send", "Team/API/log/in", "--env", "Staging"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("there are: Dev, Prod"), "{}", stderr(&out));

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("base=http://127.0.0.1:{port}");
    let out = localpost(f.dir.path(), &["send", "Team/API/log/in", "--env", "Dev", "--var", &base]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&format!("connection refused by 127.0.0.1:{port}")), "{}", stderr(&out));
}

#[test]
fn cookies_persist_between_runs_and_the_system_proxy_is_used() {
    let server = Server::start(|r| match r.path() {
        "/login" => Reply::text(200, "in").header("set-cookie", "sid=xyz; Path=/"),
        _ => Reply::text(200, &format!("cookie={}", r.header("cookie").unwrap_or(""))),
    });
    let f = fixture(&server);
    let out = localpost(f.dir.path(), &["send", "Team/API/log/in", "--env", "Dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = localpost(f.dir.path(), &["send", "Team/API/users/get one", "--env", "Dev"]);
    assert!(stdout(&out).ends_with("cookie=sid=xyz"), "{}", stdout(&out));

    // HTTP_PROXY from the environment (the default proxy setting is the system's).
    let proxy = support::Proxy::start(None);
    let out = Command::new(env!("CARGO_BIN_EXE_localpost"))
        .arg("--data-dir")
        .arg(f.dir.path())
        .args(["send", "Team/API/users/get one", "--env", "Dev"])
        .env("HTTP_PROXY", proxy.url())
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let seen = proxy.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].0.starts_with(&format!("GET {}", server.url("/users/42"))), "{seen:?}");
}

#[test]
fn import_then_send_works_on_a_new_machine() {
    let server = Server::start(|r| Reply::text(200, &format!("got {}", r.target)));
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("never-made");
    let collection = home.path().join("api.postman_collection.json");
    let json = format!(
        r#"{{"info":{{"name":"Shop API","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}},
            "item":[{{"name":"List items","request":{{"method":"GET","url":"{}"}}}}]}}"#,
        server.url("/items?page=1")
    );
    std::fs::write(&collection, json).unwrap();
    let out = localpost(&data, &["import", collection.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    // The collection went where the app's first start would have put it.
    assert!(stdout(&out).contains("into: workspace \"My Workspace\""), "{}", stdout(&out));
    let out = localpost(&data, &["send", "My Workspace/Shop API/List items"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).ends_with("got /items?page=1"), "{}", stdout(&out));
}
