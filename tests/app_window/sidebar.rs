//! The sidebar by keyboard, and history searched and grouped by day.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use localpost::app::command::Command;
use localpost::app::state::{TabKind, Target};
use localpost::model::*;
use localpost::shell::Window;
use localpost::storage::Store;
use time::OffsetDateTime;

use crate::support::app::{apply, open, settle, shown, step_until, type_into};
use crate::support::data::{Fixture, populate};

fn press(harness: &mut Harness<'_, Window>, key: Key) {
    harness.key_press(key);
    harness.run_steps(2);
}

fn selected(harness: &Harness<'_, Window>) -> Option<Target> {
    harness.state().state.sidebar.tree.selected
}

fn tree_has_keyboard(harness: &Harness<'_, Window>) -> bool {
    harness.get_by_label("Collections tree").is_focused()
}

/// The Team workspace of [`populate`], every container folded, the tree given the keyboard by a
/// click on its first row ("Orders", which a click also unfolds).
fn team_tree(dir: &std::path::Path) -> (Harness<'static, Window>, Fixture) {
    let fx = populate(dir);
    let mut harness = open(dir);
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    harness.state_mut().state.sidebar.expanded.clear();
    harness.run_steps(2);
    harness.get_by_label("🗀 Orders").click();
    harness.run_steps(2);
    (harness, fx)
}

fn request_named(harness: &Harness<'_, Window>, name: &str) -> RequestId {
    let ws = harness.state().state.ws().unwrap();
    ws.requests.values().find(|r| r.name == name).unwrap_or_else(|| panic!("no request {name}")).id
}

#[test]
fn arrows_walk_the_tree_right_unfolds_and_steps_in_left_folds_and_steps_out() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, fx) = team_tree(dir.path());
    let orders =
        harness.state().state.ws().unwrap().collections.keys().copied().find(|c| *c != fx.users).unwrap();
    assert_eq!(selected(&harness), Some(Target::Collection(orders)), "a click selects the row");
    assert!(tree_has_keyboard(&harness), "a click gives the tree the keyboard");
    let list_orders = request_named(&harness, "List orders");

    press(&mut harness, Key::ArrowDown);
    assert_eq!(selected(&harness), Some(Target::Request(list_orders)), "the click unfolded Orders");
    press(&mut harness, Key::ArrowDown);
    assert_eq!(selected(&harness), Some(Target::Collection(fx.users)));
    press(&mut harness, Key::ArrowDown);
    assert_eq!(selected(&harness), Some(Target::Collection(fx.users)), "the last row stays selected");

    press(&mut harness, Key::ArrowRight);
    assert!(
        harness.state().state.sidebar.expanded.contains(&ParentId::Collection(fx.users)),
        "Right unfolds"
    );
    assert!(shown(&harness, "📁 Admin"));
    press(&mut harness, Key::ArrowRight);
    let query = request_named(&harness, "Query");
    assert_eq!(selected(&harness), Some(Target::Request(query)), "Right again: the first child");
    press(&mut harness, Key::ArrowDown);
    assert_eq!(selected(&harness), Some(Target::Folder(fx.admin)));
    press(&mut harness, Key::ArrowRight);
    press(&mut harness, Key::ArrowRight);
    assert_eq!(selected(&harness), Some(Target::Request(fx.get_user_2)), "into Admin");
    press(&mut harness, Key::ArrowLeft);
    assert_eq!(selected(&harness), Some(Target::Folder(fx.admin)), "Left on a request: its folder");
    press(&mut harness, Key::ArrowLeft);
    assert!(!harness.state().state.sidebar.expanded.contains(&ParentId::Folder(fx.admin)), "Left folds");
    assert!(!shown(&harness, "📁 Deep"));
    press(&mut harness, Key::ArrowLeft);
    assert_eq!(selected(&harness), Some(Target::Collection(fx.users)), "Left on a folded folder: its parent");
    press(&mut harness, Key::Home);
    assert_eq!(selected(&harness), Some(Target::Collection(orders)));
    press(&mut harness, Key::End);
    assert_eq!(selected(&harness), Some(Target::Folder(fx.admin)));
    assert!(tree_has_keyboard(&harness), "the arrows never moved the keyboard to another widget");
}

#[test]
fn enter_opens_a_request_in_its_tab_and_a_folder_in_its_overview() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, fx) = team_tree(dir.path());
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::Enter);
    let state = &harness.state().state;
    let open = state.active().and_then(|t| t.request()).expect("a request tab");
    assert_eq!(open.draft.name, "List orders");

    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::ArrowRight);
    press(&mut harness, Key::ArrowRight);
    press(&mut harness, Key::ArrowDown);
    assert_eq!(selected(&harness), Some(Target::Folder(fx.admin)));
    press(&mut harness, Key::Enter);
    let active = harness.state().state.active().map(|t| &t.kind);
    assert!(
        matches!(active, Some(TabKind::Container(ParentId::Folder(f))) if *f == fx.admin),
        "its overview"
    );
    assert_eq!(selected(&harness), Some(Target::Folder(fx.admin)), "the tree still shows it");
}

#[test]
fn f2_renames_in_place_and_the_tree_keeps_the_keyboard_after() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = team_tree(dir.path());
    press(&mut harness, Key::ArrowDown);
    let list_orders = request_named(&harness, "List orders");
    press(&mut harness, Key::F2);
    let renaming = harness.state().state.sidebar.renaming.clone();
    assert_eq!(renaming, Some((Target::Request(list_orders), "List orders".into())));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness.get(By::new().role(Role::TextInput).value("List orders")).type_text("All orders");
    harness.run_steps(1);
    press(&mut harness, Key::Enter);
    settle(&mut harness);
    let ws = harness.state().state.ws().unwrap();
    assert_eq!(ws.requests[&list_orders].name, "All orders");
    harness.run_steps(2);
    assert!(tree_has_keyboard(&harness), "the keyboard is back on the tree");
    press(&mut harness, Key::ArrowDown);
    assert!(matches!(selected(&harness), Some(Target::Collection(_))), "and the arrows work on");
}

#[test]
fn delete_asks_first_then_the_next_row_is_selected() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, fx) = team_tree(dir.path());
    press(&mut harness, Key::ArrowDown);
    let list_orders = request_named(&harness, "List orders");
    press(&mut harness, Key::Delete);
    assert!(shown(&harness, "Delete the request \"List orders\"?"), "a confirmation, not a deletion");
    assert!(harness.state().state.ws().unwrap().requests.contains_key(&list_orders));
    // Nothing moves in the tree behind the dialog.
    press(&mut harness, Key::ArrowDown);
    assert_eq!(selected(&harness), Some(Target::Request(list_orders)));

    harness.get(By::new().role(Role::Button).label("Delete")).click();
    harness.run_steps(2);
    settle(&mut harness);
    assert!(!harness.state().state.ws().unwrap().requests.contains_key(&list_orders), "deleted");
    harness.run_steps(2);
    assert_eq!(selected(&harness), Some(Target::Collection(fx.users)), "the row now in its place");
    assert!(tree_has_keyboard(&harness), "the keyboard is back on the tree");
}

#[test]
fn ctrl_d_duplicates_the_selected_request() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = team_tree(dir.path());
    press(&mut harness, Key::ArrowDown);
    let before = harness.state().state.ws().unwrap().requests.len();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::D);
    harness.run_steps(2);
    settle(&mut harness);
    let ws = harness.state().state.ws().unwrap();
    assert_eq!(ws.requests.len(), before + 1);
    assert!(ws.requests.values().any(|r| r.name.contains("List orders") && r.name != "List orders"));
}

#[test]
fn keys_typed_in_a_text_field_stay_in_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, fx) = team_tree(dir.path());
    let orders = selected(&harness);
    type_into(&mut harness, "Filter requests", "user");
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::Delete);
    press(&mut harness, Key::F2);
    assert_eq!(selected(&harness), orders, "the filter's keys did not move the tree");
    assert!(harness.state().state.modal.is_none() && harness.state().state.sidebar.renaming.is_none());
    assert!(harness.get_by_label("Filter requests").is_focused());

    // The URL field of an open request, likewise.
    apply(&mut harness, Command::OpenRequest(fx.get_user));
    let followed = selected(&harness);
    assert_eq!(followed, Some(Target::Request(fx.get_user)), "the tree follows the open tab");
    harness.get_by_label("URL").focus();
    harness.run_steps(1);
    press(&mut harness, Key::ArrowUp);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::D);
    harness.run_steps(2);
    assert_eq!(selected(&harness), followed);
    let ws = harness.state().state.ws().unwrap();
    assert_eq!(ws.requests.values().filter(|r| r.name == "Fetch user").count(), 1, "nothing duplicated");
}

#[test]
fn the_tree_follows_the_open_tab_once_per_change() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, fx) = team_tree(dir.path());
    apply(&mut harness, Command::OpenRequest(fx.get_user));
    let state = &harness.state().state;
    assert_eq!(selected(&harness), Some(Target::Request(fx.get_user)));
    for p in [ParentId::Collection(fx.users), ParentId::Folder(fx.admin)] {
        assert!(state.sidebar.expanded.contains(&p), "{p:?} unfolded to show it");
    }
    assert!(shown(&harness, "Fetch user"));

    // The user moves on in the tree: the open tab does not pull the selection back.
    harness.get_by_label("🗀 Users API").click();
    harness.run_steps(2);
    press(&mut harness, Key::ArrowDown);
    let moved = selected(&harness);
    assert_ne!(moved, Some(Target::Request(fx.get_user)));
    harness.run_steps(5);
    assert_eq!(selected(&harness), moved);

    // A collection's overview is followed too.
    apply(&mut harness, Command::OpenTarget(Target::Folder(fx.nested)));
    assert_eq!(selected(&harness), Some(Target::Folder(fx.nested)));
}

/// A collection of 300 requests: opening the last scrolls its row into view, once; the user can
/// scroll away after.
#[test]
fn the_open_tab_s_row_is_scrolled_into_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws = *opened.library.workspaces.keys().next().unwrap();
    let mut big = Collection::new("Big");
    opened.store.save_collection(ws, &big).unwrap();
    for i in 0..300 {
        let r = Request::new(format!("Request {i:03}")).with_url(format!("http://127.0.0.1:9/{i}"));
        opened.store.save_request(ParentId::Collection(big.id), &r).unwrap();
        big.children.push(ItemId::Request(r.id));
    }
    opened.store.save_collection(ws, &big).unwrap();
    let last = match big.children.last() {
        Some(ItemId::Request(r)) => *r,
        _ => unreachable!(),
    };
    let mut harness = open(dir.path());
    assert!(shown(&harness, "Request 000") && !shown(&harness, "Request 298"), "only the top is drawn");
    apply(&mut harness, Command::OpenRequest(last));
    harness.run_steps(3);
    // (The tab shows the open request's name too: its neighbour is only in the tree.)
    assert!(shown(&harness, "Request 298"), "the open request's row is in view");
    assert!(!shown(&harness, "Request 000"));

    harness.get_by_label("Request 290").scroll_up();
    harness.run_steps(5);
    let y = harness.get_by_label("Request 290").rect().top();
    harness.run_steps(5);
    assert_eq!(harness.get_by_label("Request 290").rect().top(), y, "not pulled back every frame");
}

fn entry(method: &str, url: &str, status: Option<u16>, at: OffsetDateTime) -> HistoryEntry {
    HistoryEntry {
        id: HistoryId::new(),
        at,
        request_id: None,
        name: String::new(),
        request: SentRequest { method: method.into(), url: url.into(), ..SentRequest::default() },
        written: None,
        written_incomplete: false,
        response: status.map(|status| ResponseRecord { status, ..ResponseRecord::default() }),
        error: status.is_none().then(|| "connection refused".to_owned()),
    }
}

/// Opens History on `entries`, written to the data folder as sends write them.
fn history_window(dir: &std::path::Path, entries: &[HistoryEntry]) -> Harness<'static, Window> {
    let opened = Store::open(dir).unwrap();
    let ws = *opened.library.workspaces.keys().next().unwrap();
    for e in entries {
        opened.store.append_history(ws, e).unwrap();
    }
    drop(opened);
    let mut harness = open(dir);
    step_until(&mut harness, "history to load", |app| app.state.history.len() == entries.len());
    harness.get_by_label("History").click();
    harness.run_steps(2);
    harness
}

fn urls_shown(harness: &Harness<'_, Window>) -> Vec<String> {
    harness
        .query_all(By::new().label_contains("http://api/"))
        .filter_map(|n| egui_kittest::kittest::NodeT::accesskit_node(&n).label())
        .collect()
}

#[test]
fn history_is_grouped_by_day_with_times_and_searched_by_url_method_status_and_time() {
    let now = OffsetDateTime::now_utc();
    let day = time::Duration::days(1);
    let entries = [
        entry("GET", "http://api/users", Some(200), now - time::Duration::minutes(1)),
        entry("POST", "http://api/orders", Some(503), now - time::Duration::minutes(2)),
        entry("DELETE", "http://api/users/7", Some(404), now - day),
        entry("GET", "http://api/down", None, now - day * 10),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut harness = history_window(dir.path(), &entries);
    let today = localpost::ui::local_time::today();
    for heading in ["Today", "Yesterday"] {
        assert!(shown(&harness, heading), "{heading}");
    }
    let older = localpost::ui::local_time::local(entries[3].at).date();
    let label = localpost::ui::local_time::day_label(older, today);
    assert!(shown(&harness, &label), "then the date: {label}");
    let time = localpost::ui::local_time::hour_minute(entries[0].at);
    assert!(harness.query_by_label(&time).is_some(), "each entry shows its time, {time}");
    assert_eq!(urls_shown(&harness).len(), 4);
    assert!(shown(&harness, "4 requests"));

    let search = |harness: &mut Harness<'_, Window>, query: &str| {
        type_into(harness, "Search history", query);
        urls_shown(harness)
    };
    assert_eq!(search(&mut harness, "users"), ["http://api/users", "http://api/users/7"]);
    assert!(shown(&harness, "2 of 4 match"));
    assert_eq!(search(&mut harness, "POST"), ["http://api/orders"]);
    assert_eq!(search(&mut harness, "404"), ["http://api/users/7"]);
    assert!(shown(&harness, "Yesterday") && !shown(&harness, "Today"), "only the days with matches");
    assert_eq!(search(&mut harness, "5xx"), ["http://api/orders"]);
    assert_eq!(search(&mut harness, &time), ["http://api/users"]);
    assert_eq!(search(&mut harness, "error"), ["http://api/down"]);
    assert!(search(&mut harness, "nothing-like-this").is_empty());
    assert!(shown(&harness, "No request matches"));

    // An entry found is reopened by a click.
    search(&mut harness, "404");
    harness.get_by_label("http://api/users/7").click();
    harness.run_steps(2);
    let open = harness.state().state.active().and_then(|t| t.request()).expect("reopened");
    assert_eq!(open.draft.url, "http://api/users/7");
}

/// Thousands of entries: only the rows in view are drawn, and a keystroke in the search filters
/// them in a frame.
#[test]
fn thousands_of_history_entries_draw_only_the_rows_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let now = OffsetDateTime::now_utc();
    let mut harness = history_window(dir.path(), &[entry("GET", "http://api/first", Some(200), now)]);
    harness.state_mut().state.history = (0..5000)
        .map(|i| entry("GET", &format!("http://api/items/{i}"), Some(200), now - time::Duration::minutes(i)))
        .collect();
    harness.run_steps(2);
    let drawn = urls_shown(&harness).len();
    assert!((10..80).contains(&drawn), "{drawn} rows drawn of 5000");

    type_into(&mut harness, "Search history", "items/4999");
    assert_eq!(urls_shown(&harness), ["http://api/items/4999"]);
}
