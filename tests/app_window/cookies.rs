//! The cookie manager and the response's Cookies tab (issue 17, item 2): what a response set is
//! listed with every attribute; the manager lists the jar by domain; adding, editing, deleting
//! and clearing reach the next send's `Cookie` header and the jar on disk.

use std::path::Path;

use egui_kittest::kittest::Queryable;
use localpost::app::command::{Action, Command};
use localpost::app::state::Modal;
use localpost::model::{Cookie, WorkspaceId};
use localpost::shell::Window;

use crate::support::app::{
    apply, new_tab, open, send_and_wait, settle, shown, step_until, type_into, type_url,
};
use crate::support::{Reply, Server};

type Harness = egui_kittest::Harness<'static, Window>;

/// The manager is open and has read the jar.
fn manager_ready(app: &Window) -> bool {
    matches!(&app.state.modal, Some(Modal::Cookies(m)) if m.jar.is_some())
}

/// Opens the manager from the Request menu and waits for the jar.
fn open_manager(harness: &mut Harness) {
    harness.get_by_label("Request").click();
    harness.run_steps(2);
    harness.get_by_label("Manage cookies…").click();
    step_until(harness, "the cookie manager to read the jar", manager_ready);
}

fn close_manager(harness: &mut Harness) {
    harness.get_by_label("Close cookies").click();
    harness.run_steps(2);
    assert!(harness.state().state.modal.is_none());
}

/// The jar as a fresh read of the data folder finds it.
fn jar_on_disk(dir: &Path, ws: WorkspaceId) -> Vec<Cookie> {
    let mut opened = localpost::storage::Store::open_existing(dir).unwrap();
    opened.store.load_cookies(ws).0.cookies
}

fn add_cookie(harness: &mut Harness, name: &str, value: &str, domain: &str) {
    harness.get_by_label("Add cookie").click();
    harness.run_steps(2);
    type_into(harness, "Cookie name", name);
    type_into(harness, "Cookie value", value);
    type_into(harness, "Cookie domain", domain);
    harness.get_by_label("Save cookie").click();
    harness.run_steps(2);
}

/// Closes the manager, sends the open request and returns the `Cookie` header the server got.
fn send_cookie_header(harness: &mut Harness, server: &Server) -> Option<String> {
    close_manager(harness);
    send_and_wait(harness);
    server.last().header("cookie").map(str::to_owned)
}

#[test]
fn the_cookies_tab_shows_every_attribute_and_the_manager_lists_what_was_stored() {
    let server = Server::start(|_| {
        Reply::text(200, "welcome")
            .header("set-cookie", "sid=abc123; Path=/; HttpOnly; SameSite=Lax")
            .header("set-cookie", "theme=dark; Max-Age=3600; Secure")
    });
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/account/login"));
    send_and_wait(&mut harness);

    harness.get_by_label("Cookies (2)").click();
    harness.run_steps(2);
    assert!(shown(&harness, "This response set 2 cookies."));
    for text in ["sid", "abc123", "127.0.0.1", "Lax", "Max-Age 3600 s", "Session", "SameSite", "HttpOnly"] {
        assert!(shown(&harness, text), "the Cookies tab shows {text}");
    }

    harness.get_by_label("Manage cookies…").click();
    step_until(&mut harness, "the cookie manager to read the jar", manager_ready);
    assert!(shown(&harness, "127.0.0.1  (2)"), "the domain with its count");
    assert!(shown(&harness, "2 cookies in 1 domain"));
    // The dialog stays put (it once grew, and so moved, every frame: no click could land).
    let before = harness.get_by_label("Add cookie").rect();
    harness.run_steps(5);
    assert_eq!(harness.get_by_label("Add cookie").rect(), before, "the dialog does not move");
    assert!(harness.query_by_label("Edit sid").is_some(), "sid is listed");
    assert!(harness.query_by_label("Edit theme").is_some(), "theme is listed");
    let Some(Modal::Cookies(m)) = &harness.state().state.modal else { panic!("the manager is open") };
    let sid = m.cookies_of("127.0.0.1").into_iter().find(|c| c.name == "sid").cloned().unwrap();
    assert!(sid.http_only && sid.expires.is_none() && sid.same_site == "Lax");

    // The filter narrows the domains.
    type_into(&mut harness, "Filter domains", "example");
    assert!(!shown(&harness, "127.0.0.1  (2)"));
    assert!(shown(&harness, "No domain contains \u{201c}example\u{201d}."));
    type_into(&mut harness, "Filter domains", "127");
    assert!(shown(&harness, "127.0.0.1  (2)"));
}

#[test]
fn add_edit_delete_and_clear_reach_the_next_send_and_the_file() {
    let server = Server::start(|_| Reply::text(200, "ok"));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    let ws = harness.state().state.workspace.unwrap();
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/echo"));

    // Add.
    open_manager(&mut harness);
    assert!(shown(&harness, "No cookies yet."));
    add_cookie(&mut harness, "token", "t1", "127.0.0.1");
    assert!(shown(&harness, "127.0.0.1  (1)"), "the new cookie's domain is listed");
    assert_eq!(send_cookie_header(&mut harness, &server).as_deref(), Some("token=t1"));
    settle(&mut harness);
    let disk = jar_on_disk(dir.path(), ws);
    assert_eq!(disk.len(), 1);
    assert_eq!((disk[0].name.as_str(), disk[0].value.as_str()), ("token", "t1"));

    // Edit: a new value and an expiry.
    open_manager(&mut harness);
    harness.get_by_label("Edit token").click();
    harness.run_steps(2);
    type_into(&mut harness, "Cookie value", "t2");
    type_into(&mut harness, "Cookie expires", "2099-01-31 12:00");
    harness.get_by_label("Save cookie").click();
    harness.run_steps(2);
    assert!(shown(&harness, "2099-01-31 12:00:00 UTC"));
    add_cookie(&mut harness, "other", "1", "127.0.0.1");
    assert!(shown(&harness, "127.0.0.1  (2)"));
    assert_eq!(send_cookie_header(&mut harness, &server).as_deref(), Some("token=t2; other=1"));
    settle(&mut harness);
    let disk = jar_on_disk(dir.path(), ws);
    let token = disk.iter().find(|c| c.name == "token").unwrap();
    assert_eq!(token.value, "t2");
    assert_eq!(token.expires.map(time::OffsetDateTime::year), Some(2099));

    // Delete one.
    open_manager(&mut harness);
    harness.get_by_label("Delete token").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("Edit token").is_none());
    assert_eq!(send_cookie_header(&mut harness, &server).as_deref(), Some("other=1"));
    settle(&mut harness);
    let names: Vec<String> = jar_on_disk(dir.path(), ws).into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["other"]);

    // Clear a domain, after confirming; another domain's cookies stay.
    open_manager(&mut harness);
    add_cookie(&mut harness, "elsewhere", "1", "example.com");
    harness.get_by_label("127.0.0.1  (1)").click();
    harness.run_steps(2);
    harness.get_by_label("Clear domain…").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Delete the 1 cookie of 127.0.0.1?"));
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    assert!(!shown(&harness, "127.0.0.1  ("));
    assert!(shown(&harness, "example.com  (1)"));
    assert_eq!(send_cookie_header(&mut harness, &server), None);
    settle(&mut harness);
    let names: Vec<String> = jar_on_disk(dir.path(), ws).into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["elsewhere"]);

    // Clear all: "Keep them" keeps them, "Delete" deletes every one.
    open_manager(&mut harness);
    add_cookie(&mut harness, "again", "1", "127.0.0.1");
    harness.get_by_label("Clear all…").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Delete all 2 cookies of workspace"));
    harness.get_by_label("Keep them").click();
    harness.run_steps(2);
    assert!(shown(&harness, "2 cookies in 2 domains"), "nothing deleted");
    // Escape closes the question, not the manager under it.
    harness.get_by_label("Clear all…").click();
    harness.run_steps(2);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(!shown(&harness, "Delete all 2 cookies of workspace"));
    assert!(manager_ready(harness.state()), "the manager stays open");
    harness.get_by_label("Clear all…").click();
    harness.run_steps(2);
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    assert!(shown(&harness, "No cookies yet."));
    assert_eq!(send_cookie_header(&mut harness, &server), None);
    settle(&mut harness);
    assert!(jar_on_disk(dir.path(), ws).is_empty());
}

#[test]
fn a_mistake_in_the_form_is_named_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    apply(&mut harness, Command::Action(Action::ManageCookies));
    step_until(&mut harness, "the cookie manager to read the jar", manager_ready);

    harness.get_by_label("Add cookie").click();
    harness.run_steps(2);
    type_into(&mut harness, "Cookie domain", "example.com");
    harness.get_by_label("Save cookie").click();
    harness.run_steps(2);
    assert!(shown(&harness, "The cookie needs a name."));

    type_into(&mut harness, "Cookie name", "sid");
    type_into(&mut harness, "Cookie domain", "https://example.com/login");
    harness.get_by_label("Save cookie").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Enter only the domain, like example.com, not a URL"));

    type_into(&mut harness, "Cookie domain", "exa mple.com");
    harness.get_by_label("Save cookie").click();
    harness.run_steps(2);
    assert!(shown(&harness, "is not a domain name"));

    type_into(&mut harness, "Cookie domain", "example.com");
    type_into(&mut harness, "Cookie expires", "next week");
    harness.get_by_label("Save cookie").click();
    harness.run_steps(2);
    assert!(shown(&harness, "The expiry `next week` is not a date"));

    type_into(&mut harness, "Cookie expires", "2001-01-01");
    harness.get_by_label("Save cookie").click();
    harness.run_steps(2);
    assert!(shown(&harness, "has passed"));

    let Some(Modal::Cookies(m)) = &harness.state().state.modal else { panic!("the manager is open") };
    assert!(m.jar.as_ref().unwrap().cookies.is_empty(), "nothing was added");
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(shown(&harness, "No cookies yet."));

    // Adding a cookie that exists already asks to edit that one instead.
    add_cookie(&mut harness, "sid", "1", "example.com");
    add_cookie(&mut harness, "sid", "2", "example.com");
    assert!(shown(&harness, "There is already a cookie `sid` for example.com with path /"));
    settle(&mut harness);
}

/// An import that brings cookies into a workspace whose jar the engine already holds: the
/// manager and the next send see them, and no later save of the jar drops them.
#[test]
fn cookies_an_import_brings_into_a_jar_in_use_are_kept() {
    let server = Server::start(|_| Reply::text(200, "ok").header("set-cookie", "live=1; Path=/"));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    let ws = harness.state().state.workspace.unwrap();
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/login"));
    send_and_wait(&mut harness);
    settle(&mut harness);

    let file = dir.path().join("with-cookies.insomnia.json");
    let export = serde_json::json!({
        "_type": "export",
        "__export_format": 4,
        "resources": [
            {"_id": "wrk_1", "_type": "workspace", "name": "Shop", "parentId": null},
            {"_id": "req_1", "_type": "request", "parentId": "wrk_1", "name": "Cart", "method": "GET", "url": "http://127.0.0.1/cart"},
            {"_id": "jar_1", "_type": "cookie_jar", "parentId": "wrk_1", "name": "Default Jar", "cookies": [
                {"key": "imported", "value": "yes", "domain": "127.0.0.1", "path": "/", "hostOnly": true}
            ]}
        ]
    });
    std::fs::write(&file, export.to_string()).unwrap();
    apply(&mut harness, Command::Action(Action::Import));
    type_into(&mut harness, "Import file", &file.display().to_string());
    harness.get_by_label("Preview").click();
    harness.run_steps(1);
    step_until(
        &mut harness,
        "the preview",
        |app| matches!(&app.state.modal, Some(Modal::Import(d)) if matches!(d.stage, localpost::app::interop::ImportStage::Preview(_))),
    );
    harness.get_by_label("Import").click();
    harness.run_steps(1);
    step_until(&mut harness, "the import", |app| app.state.modal.is_none());
    settle(&mut harness);
    assert!(jar_on_disk(dir.path(), ws).iter().any(|c| c.name == "imported"), "the import wrote the cookie");

    open_manager(&mut harness);
    assert!(harness.query_by_label("Edit imported").is_some(), "the manager lists the imported cookie");
    assert!(harness.query_by_label("Edit live").is_some());
    assert_eq!(send_cookie_header(&mut harness, &server).as_deref(), Some("live=1; imported=yes"));
    settle(&mut harness);
    let mut names: Vec<String> = jar_on_disk(dir.path(), ws).into_iter().map(|c| c.name).collect();
    names.sort();
    assert_eq!(names, vec!["imported", "live"], "the jar saved after the send keeps the import");
}
