//! Saved examples: listed under their request in the sidebar and in its editor, opened
//! read-only, edited and saved, renamed, duplicated, deleted, and tried in a new tab; a request
//! with thousands of examples unfolds without drawing them all.

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use localpost::app::command::Command;
use localpost::app::examples::{ExampleCommand, ExampleTab};
use localpost::app::state::TabKind;
use localpost::interop::apply::{self, Choices, Resolution};
use localpost::model::*;
use localpost::shell::Window;
use localpost::storage::Store;

use crate::support::app::{WAIT, apply, open, send_and_wait, settle, shown, step_until_drawn, type_into};
use crate::support::{Reply, Server};

/// The Postman Echo collection (18 saved examples), imported as the app imports it.
const ECHO: &str = "postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json";

fn import_echo(dir: &Path) {
    let mut opened = Store::open(dir).unwrap();
    let bytes = std::fs::read(crate::support::corpus().join(ECHO)).unwrap();
    let imported = localpost::interop::import(&bytes, ECHO).unwrap();
    let plan = apply::plan(&imported, &opened.library, &apply::Target::Auto).unwrap();
    crate::support::data::write_import(
        &plan,
        &Choices::all(Resolution::KeepBoth),
        &mut opened.store,
        &mut opened.library,
    )
    .unwrap();
}

/// The request named `name`, with the folders above it unfolded in the sidebar.
fn reveal(harness: &mut Harness<'_, Window>, name: &str) -> Request {
    let app = &mut harness.state_mut().state;
    let ws = app.ws().expect("a workspace");
    let request = ws.requests.values().find(|r| r.name == name).expect("the request").clone();
    let ancestors = ws.ancestors(ItemId::Request(request.id));
    app.sidebar.expanded.extend(ancestors);
    app.revision += 1;
    harness.run_steps(2);
    request
}

/// Clicks the fold arrow on the row of the request named `name`.
fn unfold(harness: &mut Harness<'_, Window>, name: &str) {
    let row = harness.get_by_label(name).rect().center().y;
    let distances: Vec<f32> =
        harness.query_all_by_label("Show examples").map(|n| (n.rect().center().y - row).abs()).collect();
    let (nearest, distance) =
        distances.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).expect("a fold arrow");
    assert!(*distance < 4.0, "the arrow is on the request's row");
    harness.query_all_by_label("Show examples").nth(nearest).unwrap().click();
    harness.run_steps(2);
}

/// Clicks the leftmost (`leftmost`) or rightmost node labelled `label`: the sidebar's row
/// rather than the tab's header, the name rather than the status beside it.
fn click_at_side(harness: &mut Harness<'_, Window>, label: &str, leftmost: bool) {
    let xs: Vec<f32> = harness.query_all_by_label(label).map(|n| n.rect().center().x).collect();
    let pick = xs.iter().enumerate().min_by(|a, b| {
        let order = a.1.total_cmp(b.1);
        if leftmost { order } else { order.reverse() }
    });
    let (index, _) = pick.expect("a node with the label");
    harness.query_all_by_label(label).nth(index).unwrap().click();
    harness.run_steps(2);
}

fn active_example<'a>(harness: &'a Harness<'_, Window>) -> Option<&'a ExampleTab> {
    match &harness.state().state.active()?.kind {
        TabKind::Example(x) => Some(x),
        _ => None,
    }
}

fn saved_example(dir: &Path, request: RequestId, example: ExampleId) -> Option<SavedResponse> {
    let opened = Store::open_existing(dir).unwrap();
    opened.library.workspaces.values().find_map(|w| w.example(request, example).cloned())
}

#[test]
fn a_requests_examples_unfold_under_it_and_open_read_only() {
    let dir = tempfile::tempdir().unwrap();
    import_echo(dir.path());
    let mut harness = open(dir.path());
    let request = reveal(&mut harness, "GET Request");
    assert!(shown(&harness, "GET Request"));
    assert!(!shown(&harness, "GET Request Woops"), "examples are folded by default");

    unfold(&mut harness, "GET Request");
    assert!(shown(&harness, "GET Request Woops"), "the example is listed under its request");
    assert!(harness.state().state.sidebar.expanded_requests.contains(&request.id));

    harness.get_by_label("GET Request Woops").click();
    harness.run_steps(2);
    let tab = active_example(&harness).expect("the example's tab is active");
    assert_eq!(tab.request, request.id);
    assert!(shown(&harness, "read-only"));
    assert!(shown(&harness, "200 OK"), "its status");
    assert!(shown(&harness, "https://postman-echo.com/get?foo1=bar1&foo2=bar2"), "its request");
    step_until_drawn(&mut harness, "the example's body", WAIT, |h| shown(h, "x-forwarded-proto"));
    assert!(harness.query_by_label("Example URL").is_none(), "nothing is editable before Edit");

    // Its headers, in the response's Headers section.
    harness.get_by_label("Headers (9)").click();
    harness.run_steps(2);
    assert!(shown(&harness, "application/json; charset=utf-8"));

    // Opening it again shows the same tab.
    let tabs = harness.state().state.tabs.len();
    click_at_side(&mut harness, "GET Request Woops", true);
    assert_eq!(harness.state().state.tabs.len(), tabs);
}

#[test]
fn the_request_editor_lists_its_examples() {
    let dir = tempfile::tempdir().unwrap();
    import_echo(dir.path());
    let mut harness = open(dir.path());
    let request = reveal(&mut harness, "OAuth1.0 (verify signature)");
    apply(&mut harness, Command::OpenRequest(request.id));
    harness.get_by_label("Examples (2) ⏷").click();
    harness.run_steps(2);
    assert!(shown(&harness, "401"));
    let second = request.examples[1].clone();
    click_at_side(&mut harness, &second.name, false);
    let tab = active_example(&harness).expect("the example's tab");
    assert_eq!(tab.example(), second.id);
}

#[test]
fn an_example_is_edited_then_saved_to_its_requests_file() {
    let dir = tempfile::tempdir().unwrap();
    import_echo(dir.path());
    let mut harness = open(dir.path());
    let request = reveal(&mut harness, "GET Request");
    let example = request.examples[0].id;
    // The request's own tab is open too: it must not lose the edit when saved later.
    apply(&mut harness, Command::OpenRequest(request.id));
    apply(&mut harness, Command::Example(ExampleCommand::Open(request.id, example)));

    harness.get_by_label("✏ Edit").click();
    harness.run_steps(2);
    type_into(&mut harness, "Example name", "Not found");
    type_into(&mut harness, "Example status", "40");
    assert!(harness.get_by_label("Save").accesskit_node().is_disabled(), "40 is no status");
    type_into(&mut harness, "Example status", "404");
    type_into(&mut harness, "Example reason", "Not Found");
    type_into(&mut harness, "Example response body", "{\"error\": \"no such thing\"}");
    assert!(active_example(&harness).unwrap().dirty);
    harness.run_steps(1);
    assert!(shown(&harness, "1 tab holds a draft"), "the footer counts an example being edited");
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    settle(&mut harness);

    let on_disk = saved_example(dir.path(), request.id, example).expect("the example is still saved");
    assert_eq!(on_disk.name, "Not found");
    assert_eq!(on_disk.response.status, 404);
    assert_eq!(on_disk.response.body, Some(StoredBody::Text("{\"error\": \"no such thing\"}".into())));
    assert_eq!(on_disk.request, request.examples[0].request, "the request part was not touched");
    let tab = active_example(&harness).unwrap();
    assert!(tab.editing.is_none() && !tab.dirty, "read-only again");
    assert!(!shown(&harness, "tab holds a draft"));
    assert!(shown(&harness, "404 Not Found"));
    step_until_drawn(&mut harness, "the new body", WAIT, |h| shown(h, "no such thing"));

    // Ctrl+S saves an edited example too; closing it with edits asks first.
    harness.get_by_label("✏ Edit").click();
    harness.run_steps(2);
    type_into(&mut harness, "Example name", "Missing");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(saved_example(dir.path(), request.id, example).unwrap().name, "Missing");
    harness.get_by_label("✏ Edit").click();
    harness.run_steps(2);
    type_into(&mut harness, "Example name", "Unsaved name");
    let tab = harness.state().state.active_tab.unwrap();
    apply(&mut harness, Command::CloseTab(tab));
    assert!(harness.state().state.tab(tab).is_some(), "not closed yet");
    assert!(matches!(harness.state().state.modal, Some(localpost::app::state::Modal::Confirm { .. })));
    apply(&mut harness, Command::CloseTabDiscard(tab));
    assert!(harness.state().state.tab(tab).is_none());
    assert_eq!(saved_example(dir.path(), request.id, example).unwrap().name, "Missing");

    // The request's tab carries the saved example: saving it keeps the edit.
    apply(&mut harness, Command::OpenRequest(request.id));
    let open = harness.state().state.active().and_then(|t| t.request()).unwrap();
    assert!(!open.dirty);
    assert_eq!(open.draft.examples[0].name, "Missing");
}

#[test]
fn an_example_is_renamed_in_place_duplicated_and_deleted_from_the_sidebar() {
    let dir = tempfile::tempdir().unwrap();
    import_echo(dir.path());
    let mut harness = open(dir.path());
    let request = reveal(&mut harness, "GET Request");
    unfold(&mut harness, "GET Request");
    let example = request.examples[0].id;

    // Rename, in place.
    harness.get_by_label("GET Request Woops").click_secondary();
    harness.run_steps(2);
    assert!(shown(&harness, "Try this example"), "the menu offers trying it");
    harness.get_by_label("Rename").click();
    harness.run_steps(2);
    let field = harness.get(By::new().role(egui::accesskit::Role::TextInput).value("GET Request Woops"));
    field.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get(By::new().role(egui::accesskit::Role::TextInput).value("GET Request Woops"))
        .type_text("Found");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(saved_example(dir.path(), request.id, example).unwrap().name, "Found");

    // Duplicate: the copy follows the original.
    harness.get_by_label("Found").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Duplicate").click();
    harness.run_steps(2);
    settle(&mut harness);
    assert!(shown(&harness, "Found Copy"));
    let names = |h: &Harness<'_, Window>| -> Vec<String> {
        let ws = h.state().state.ws().unwrap();
        ws.requests[&request.id].examples.iter().map(|e| e.name.clone()).collect()
    };
    assert_eq!(names(&harness), ["Found", "Found Copy"]);

    // Delete, confirmed.
    harness.get_by_label("Found Copy").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Delete…").click();
    harness.run_steps(2);
    // The menu closes, then the dialog sizes itself before it shows.
    harness.run_steps(5);
    assert!(shown(&harness, "Delete the example \"Found Copy\""), "the confirmation names it");
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(names(&harness), ["Found"]);
    let opened = Store::open_existing(dir.path()).unwrap();
    let on_disk = opened.library.workspaces.values().find_map(|w| w.requests.get(&request.id)).unwrap();
    assert_eq!(on_disk.examples.len(), 1);
    assert!(!shown(&harness, "Found Copy"));
}

#[test]
fn trying_an_example_opens_its_request_in_a_new_tab_ready_to_send() {
    let server = Server::start(|r| Reply::text(200, &format!("tried {} {:?}", r.path(), r.header("x-from"))));
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws = *opened.library.workspaces.keys().next().unwrap();
    let mut collection = Collection::new("Shop");
    let mut request = Request::new("Orders").with_url(server.url("/orders"));
    request.examples.push(SavedResponse {
        id: ExampleId::new(),
        name: "One order".into(),
        request: SentRequest {
            method: "GET".into(),
            url: server.url("/orders/7?expand=lines"),
            headers: vec![Header::new("X-From", "example")],
            ..SentRequest::default()
        },
        response: ResponseRecord { status: 200, reason: "OK".into(), ..ResponseRecord::default() },
        saved_at: None,
        source_request: None,
    });
    collection.children.push(ItemId::Request(request.id));
    opened.store.save_collection(ws, &collection).unwrap();
    opened.store.save_request(ParentId::Collection(collection.id), &request).unwrap();
    let mut workspace = opened.library.workspaces[&ws].workspace.clone();
    workspace.collections.push(collection.id);
    opened.store.save_workspace(&workspace).unwrap();

    let mut harness = open(dir.path());
    let example = request.examples[0].id;
    apply(&mut harness, Command::Example(ExampleCommand::Open(request.id, example)));
    harness.get_by_label("▶ Try this example").click();
    harness.run_steps(2);
    let tab = harness.state().state.active().and_then(|t| t.request()).expect("a request tab");
    assert!(tab.parent.is_none(), "a new, unsaved request");
    assert_ne!(tab.draft.id, request.id);
    assert_eq!(tab.draft.url, server.url("/orders/7?expand=lines"));
    assert_eq!(
        tab.draft.name,
        format!("{}/orders/7", server.url("").trim_start_matches("http://").trim_end_matches('/'))
    );
    assert_eq!(tab.draft.params.len(), 1, "its query as params");
    send_and_wait(&mut harness);
    assert!(shown(&harness, "tried /orders/7 Some(\"example\")"), "sent as the example was");

    // From the sidebar's menu too.
    let tabs = harness.state().state.tabs.len();
    apply(&mut harness, Command::Example(ExampleCommand::Try(request.id, example)));
    assert_eq!(harness.state().state.tabs.len(), tabs + 1);
}

#[test]
fn a_request_with_thousands_of_examples_unfolds_without_drawing_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws = *opened.library.workspaces.keys().next().unwrap();
    let mut collection = Collection::new("Big");
    let mut request = Request::new("Many").with_url("http://127.0.0.1:9/many");
    for i in 0..3000 {
        request.examples.push(SavedResponse {
            id: ExampleId::new(),
            name: format!("Example {i:04}"),
            request: SentRequest {
                method: "GET".into(),
                url: format!("http://127.0.0.1:9/{i}"),
                ..SentRequest::default()
            },
            response: ResponseRecord { status: 200, ..ResponseRecord::default() },
            saved_at: None,
            source_request: None,
        });
    }
    collection.children.push(ItemId::Request(request.id));
    opened.store.save_collection(ws, &collection).unwrap();
    opened.store.save_request(ParentId::Collection(collection.id), &request).unwrap();
    let mut workspace = opened.library.workspaces[&ws].workspace.clone();
    workspace.collections.push(collection.id);
    opened.store.save_workspace(&workspace).unwrap();

    let mut harness = open(dir.path());
    reveal(&mut harness, "Many");
    let listed = |h: &Harness<'_, Window>| {
        h.query_all(By::new().label_contains("Example 0")).count()
            + h.query_all(By::new().label_contains("Example 1")).count()
            + h.query_all(By::new().label_contains("Example 2")).count()
    };
    assert_eq!(listed(&harness), 0);
    unfold(&mut harness, "Many");
    let drawn = listed(&harness);
    assert!(drawn > 5 && drawn < 100, "only the rows in view are drawn: {drawn}");
    assert!(!shown(&harness, "Example 2999"));
    harness.get_by_label("Hide examples").click();
    harness.run_steps(2);
    assert_eq!(listed(&harness), 0, "folded again");
}
