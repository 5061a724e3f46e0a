//! Tabs: the overflow list, scroll buttons, close others / to the right, preview tabs; the editor's height.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use localpost::app::command::Command;
use localpost::app::session::SESSION_FILE;
use localpost::app::state::{TabId, Target};
use localpost::app::tabs::TabCommand;
use localpost::model::RequestId;
use localpost::shell::Window;
use localpost::ui::split::{EDITOR_MIN_HEIGHT, RESPONSE_MIN_HEIGHT};
use localpost::ui::tabs::TAB_MIN_WIDTH;

use crate::support::app::{apply, new_tab, open, send_and_wait, settle, shown, step_until, type_url};
use crate::support::{Reply, Server};

/// A data folder with `n` requests under long names, and their ids in tree order.
fn requests(dir: &Path, n: usize) -> (Harness<'static, Window>, Vec<RequestId>) {
    let spec = localpost::storage::sample::SampleSpec { collections: 1, folders: 1, requests: n };
    localpost::storage::sample::generate(dir, "Team", spec).unwrap();
    let mut harness = open(dir);
    let team =
        harness.state().state.library.workspaces.values().find(|w| w.workspace.name == "Team").unwrap().id();
    apply(&mut harness, Command::SwitchWorkspace(team));
    let ws = &harness.state().state.library.workspaces[&team];
    let mut ids: Vec<RequestId> = ws.requests.keys().copied().collect();
    ids.sort_by_key(|id| ws.requests[id].name.clone());
    (harness, ids)
}

/// Names each request so that no tab can show it whole at its narrowest.
fn rename_long(harness: &mut Harness<'_, Window>, ids: &[RequestId]) {
    for (i, id) in ids.iter().enumerate() {
        let name = format!("List every order of customer {i:02} with its invoices and refunds");
        apply(harness, Command::Rename(Target::Request(*id), name));
    }
    settle(harness);
}

fn open_all(harness: &mut Harness<'_, Window>, ids: &[RequestId]) {
    for id in ids {
        harness.state_mut().apply(&egui::Context::default(), Command::OpenRequest(*id));
    }
    harness.run_steps(3);
}

/// The tabs drawn in the strip: (accessible name, rectangle), in strip order.
fn tab_rects(harness: &Harness<'_, Window>) -> Vec<(String, egui::Rect)> {
    let mut tabs: Vec<(String, egui::Rect)> = harness
        .query_all(By::new().role(Role::Tab))
        .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()))
        .collect();
    tabs.sort_by(|a, b| a.1.left().total_cmp(&b.1.left()));
    tabs
}

/// The part of the strip where tabs are seen: between the scroll buttons.
fn strip_span(harness: &Harness<'_, Window>) -> (f32, f32) {
    let left = harness.get_by_label("Scroll tabs left").rect().right();
    let right = harness.get_by_label("Scroll tabs right").rect().left();
    (left, right)
}

fn active_tab(harness: &Harness<'_, Window>) -> TabId {
    harness.state().state.active_tab.expect("a tab is active")
}

fn tab_title(harness: &Harness<'_, Window>, tab: TabId) -> String {
    let state = &harness.state().state;
    state.tab(tab).and_then(|t| t.request()).map(|r| r.draft.name.clone()).unwrap_or_default()
}

fn tab_count(harness: &Harness<'_, Window>) -> usize {
    harness.state().state.tabs.len()
}

/// Whether the tab showing `title` is inside the visible part of the strip.
fn in_view(harness: &Harness<'_, Window>, title: &str) -> bool {
    let (left, right) = strip_span(harness);
    tab_rects(harness)
        .iter()
        .any(|(name, r)| name == title && r.left() >= left - 0.5 && r.right() <= right + 0.5)
}

#[test]
fn with_25_tabs_titles_stay_readable_and_the_strip_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, ids) = requests(dir.path(), 25);
    rename_long(&mut harness, &ids);
    open_all(&mut harness, &ids);
    assert_eq!(tab_count(&harness), 25);

    let tabs = tab_rects(&harness);
    assert_eq!(tabs.len(), 25, "every tab is in the strip (and reachable by a screen reader)");
    for (name, rect) in &tabs {
        assert!(rect.width() >= TAB_MIN_WIDTH - 0.5, "{name} is {} wide", rect.width());
        assert!(name.starts_with("List every order of customer"), "the full name is the tab's name: {name}");
    }
    // Overflow: the scroll buttons and the list are there; the active (last opened) tab is seen.
    let last = tab_title(&harness, active_tab(&harness));
    assert!(in_view(&harness, &last), "the active tab is scrolled into view");
    let first = tabs[0].0.clone();
    assert!(!in_view(&harness, &first), "the first tab is scrolled away");

    // ◀ brings earlier tabs in, one step at a time.
    let before = tab_rects(&harness)[0].1.left();
    harness.get_by_label("Scroll tabs left").click();
    harness.run_steps(4);
    let after = tab_rects(&harness)[0].1.left();
    assert!(after > before + 100.0, "◀ scrolls: {before} -> {after}");

    // The wheel scrolls the strip without Shift.
    let (left, right) = strip_span(&harness);
    let strip_y = tab_rects(&harness)[0].1.center().y;
    harness.hover_at(egui::pos2((left + right) / 2.0, strip_y));
    let before = tab_rects(&harness)[0].1.left();
    for _ in 0..60 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 120.0),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        harness.step();
    }
    harness.run_steps(6);
    let after = tab_rects(&harness)[0].1.left();
    assert!(after > before + 1000.0, "the wheel scrolls the strip: {before} -> {after}");
    assert!(in_view(&harness, &first), "wheel up scrolls back to the first tab");
    let at_start = harness.get_by_label("Scroll tabs left");
    assert!(at_start.accesskit_node().is_disabled(), "◀ is off at the start");
}

#[test]
fn the_list_of_open_tabs_switches_and_scrolls_to_the_tab() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, ids) = requests(dir.path(), 25);
    rename_long(&mut harness, &ids);
    open_all(&mut harness, &ids);
    // A tab far from the active (last) one, scrolled out of the strip.
    let first = tab_rects(&harness)[14].0.clone();
    assert!(!in_view(&harness, &first));
    // A draft is marked in the list.
    type_url(&mut harness, "http://127.0.0.1:9/edited");
    let last = tab_title(&harness, active_tab(&harness));

    harness.get_by_label("All open tabs").click();
    // The list opens, then scrolls to the active tab.
    harness.run_steps(4);
    let entries =
        harness.query_all(By::new().predicate(|n| n.label().is_some_and(|l| l.starts_with("Open tab "))));
    assert_eq!(entries.count(), 25, "every open tab is listed");
    assert!(shown(&harness, &format!("Open tab {last} •")), "the draft is marked");
    harness.get_by_label(&format!("Open tab {first}")).click();
    harness.run_steps(6);
    assert_eq!(tab_title(&harness, active_tab(&harness)), first);
    assert!(in_view(&harness, &first), "the chosen tab is scrolled into view");
    assert!(!shown(&harness, "Open tab "), "the list closed");
}

#[test]
fn a_tab_closes_the_others_or_those_to_its_right_and_a_middle_click_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, ids) = requests(dir.path(), 6);
    open_all(&mut harness, &ids);
    let names: Vec<String> = tab_rects(&harness).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names.len(), 6);

    harness.get(By::new().role(Role::Tab).label(names[3].as_str())).click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Close to the right").click();
    harness.run_steps(3);
    let left: Vec<String> = tab_rects(&harness).into_iter().map(|(n, _)| n).collect();
    assert_eq!(left, names[..4].to_vec(), "the tabs after it are closed");
    assert_eq!(tab_title(&harness, active_tab(&harness)), names[3]);

    harness.get(By::new().role(Role::Tab).label(names[1].as_str())).click_button(egui::PointerButton::Middle);
    harness.run_steps(3);
    let left: Vec<String> = tab_rects(&harness).into_iter().map(|(n, _)| n).collect();
    assert_eq!(left, vec![names[0].clone(), names[2].clone(), names[3].clone()], "a middle click closes");

    harness.get(By::new().role(Role::Tab).label(names[2].as_str())).click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Close others").click();
    harness.run_steps(3);
    let left: Vec<String> = tab_rects(&harness).into_iter().map(|(n, _)| n).collect();
    assert_eq!(left, vec![names[2].clone()]);

    harness.get(By::new().role(Role::Tab).label(names[2].as_str())).click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Close all").click();
    harness.run_steps(3);
    assert_eq!(tab_count(&harness), 0);
}

#[test]
fn closing_several_drafts_asks_once_and_never_drops_one_silently() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, ids) = requests(dir.path(), 4);
    open_all(&mut harness, &ids[..4]);
    // Two drafts: the second and the fourth tab.
    let tabs: Vec<TabId> = harness.state().state.tabs.iter().map(|t| t.id).collect();
    for (i, tab) in [(1, tabs[1]), (3, tabs[3])] {
        apply(&mut harness, Command::SelectTab(tab));
        type_url(&mut harness, &format!("http://127.0.0.1:9/draft-{i}"));
    }
    let first = tab_title(&harness, tabs[0]);
    harness.get(By::new().role(Role::Tab).label(first.as_str())).click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Close others").click();
    harness.run_steps(3);
    assert!(shown(&harness, "2 tabs have changes that are not saved"));
    assert!(shown(&harness, &tab_title(&harness, tabs[1])), "the dialog names the drafts");
    assert_eq!(tab_count(&harness), 3, "the clean tab closed, the drafts wait for the answer");

    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert_eq!(tab_count(&harness), 3, "cancel keeps the drafts open");

    harness.get(By::new().role(Role::Tab).label(first.as_str())).click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Close others").click();
    harness.run_steps(3);
    harness.get_by_label("Save all").click();
    harness.run_steps(3);
    settle(&mut harness);
    assert_eq!(tab_count(&harness), 1, "saved, then closed");
    let saved = localpost::storage::Store::open_existing(dir.path()).unwrap();
    let urls: Vec<String> =
        saved.library.workspaces.values().flat_map(|w| w.requests.values().map(|r| r.url.clone())).collect();
    for i in [1, 3] {
        assert!(urls.contains(&format!("http://127.0.0.1:9/draft-{i}")), "draft {i} was saved to its file");
    }
}

/// The sidebar's button of a request (the tab of the same name is a tab, not a button).
fn sidebar_row<'h>(harness: &'h Harness<'_, Window>, name: &'h str) -> egui_kittest::Node<'h> {
    harness.get(By::new().role(Role::Button).label(name))
}

/// Two clicks at `pos`, 50 ms apart, each press and release a frame of its own (the harness's
/// frames are a quarter second apart, too slow for a double-click).
fn double_click(harness: &mut Harness<'_, Window>, pos: egui::Pos2) {
    let start = harness.ctx.input(|i| i.time);
    harness.event(egui::Event::PointerMoved(pos));
    // Press, release, a frame to draw what the first click did, press, release.
    for (i, pressed) in [Some(true), Some(false), None, Some(true), Some(false)].into_iter().enumerate() {
        harness.input_mut().time = Some(start + 0.04 * (i + 1) as f64);
        if let Some(pressed) = pressed {
            harness.event(egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            });
        }
        harness.step();
    }
    harness.run_steps(3);
}

fn preview(harness: &Harness<'_, Window>) -> Option<String> {
    harness.state().state.preview_tab.map(|t| tab_title(harness, t))
}

#[test]
fn a_single_click_previews_a_request_and_the_next_one_reuses_its_tab() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, ids) = requests(dir.path(), 4);
    let names: Vec<String> =
        ids.iter().map(|id| harness.state().state.ws().unwrap().requests[id].name.clone()).collect();
    let folder = harness.state().state.ws().unwrap().folders.keys().next().copied().unwrap();
    let collection = harness.state().state.ws().unwrap().collections.keys().next().copied().unwrap();
    for p in [localpost::model::ParentId::Collection(collection), localpost::model::ParentId::Folder(folder)]
    {
        harness.state_mut().state.sidebar.expanded.insert(p);
    }
    harness.run_steps(2);

    sidebar_row(&harness, &names[0]).click();
    harness.run_steps(3);
    assert_eq!(tab_count(&harness), 1);
    assert_eq!(preview(&harness).as_deref(), Some(names[0].as_str()), "a single click opens a preview");
    sidebar_row(&harness, &names[1]).click();
    harness.run_steps(3);
    assert_eq!(tab_count(&harness), 1, "the next single click reuses the preview tab");
    assert_eq!(preview(&harness).as_deref(), Some(names[1].as_str()));

    // A double-click on the tab keeps it; the next click opens a new preview.
    let tab = harness.get(By::new().role(Role::Tab).label(names[1].as_str())).rect().center();
    double_click(&mut harness, tab);
    assert_eq!(preview(&harness), None, "a double-click on the tab keeps it");
    sidebar_row(&harness, &names[2]).click();
    harness.run_steps(3);
    assert_eq!(tab_count(&harness), 2);
    assert_eq!(preview(&harness).as_deref(), Some(names[2].as_str()));

    // Editing keeps it too.
    type_url(&mut harness, "http://127.0.0.1:9/edited");
    assert_eq!(preview(&harness), None, "an edit keeps the preview tab");
    // A double-click in the sidebar (its first click previews, its second opens) keeps the tab.
    sidebar_row(&harness, &names[3]).click();
    harness.run_steps(3);
    assert_eq!(preview(&harness).as_deref(), Some(names[3].as_str()));
    apply(&mut harness, Command::OpenRequest(ids[3]));
    assert_eq!(tab_count(&harness), 3);
    assert_eq!(preview(&harness), None, "opening the previewed request keeps its tab");
}

/// The splitter's rectangle.
fn splitter(harness: &Harness<'_, Window>) -> egui::Rect {
    harness.get(By::new().role(Role::Splitter).label("Resize the request editor and the response")).rect()
}

/// Drags the splitter by `dy` points.
fn drag_splitter(harness: &mut Harness<'_, Window>, dy: f32) {
    let from = splitter(harness).center();
    harness.drag_at(from);
    harness.step();
    for i in 1..=5 {
        harness.hover_at(from + egui::vec2(0.0, dy * i as f32 / 5.0));
        harness.step();
    }
    harness.drop_at(from + egui::vec2(0.0, dy));
    harness.run_steps(3);
}

#[test]
fn the_editor_keeps_its_height_over_a_long_response_and_the_split_survives_a_restart() {
    let body = format!(
        "[{}]",
        (0..400).map(|i| format!("{{\"id\":{i},\"name\":\"item {i}\"}}")).collect::<Vec<_>>().join(",")
    );
    let server = Server::start(move |_| Reply::json(&body));
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = requests(dir.path(), 2);
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/items"));
    send_and_wait(&mut harness);
    assert!(shown(&harness, "200 OK"), "the response is shown");

    let editor_top = harness.get_by_label("URL").rect().top();
    let start = splitter(&harness);
    // Dragging far up stops at the editor's minimum.
    drag_splitter(&mut harness, -600.0);
    let up = splitter(&harness);
    assert!(up.top() < start.top(), "the splitter moved up");
    assert!(
        up.top() - editor_top >= EDITOR_MIN_HEIGHT - 60.0,
        "the editor keeps room for its sections and rows: {}",
        up.top() - editor_top
    );
    assert!(shown(&harness, "Params"), "the section tabs are still shown");
    // Far down stops at the response's minimum.
    drag_splitter(&mut harness, 900.0);
    let down = splitter(&harness);
    let window_bottom = harness.ctx.content_rect().bottom();
    assert!(window_bottom - down.bottom() >= RESPONSE_MIN_HEIGHT, "the response keeps its minimum");

    // Somewhere in between, remembered across a restart.
    drag_splitter(&mut harness, -150.0);
    let split = harness.state().state.editor_split;
    let kept = splitter(&harness);
    step_until(&mut harness, "the session to hold the split", |_| {
        std::fs::read_to_string(dir.path().join(SESSION_FILE))
            .is_ok_and(|s| s.contains(&format!("editor_split: Some({split}")))
    });
    settle(&mut harness);
    drop(harness);

    let harness = open(dir.path());
    assert!((harness.state().state.editor_split - split).abs() < 1e-4, "the split is restored");
    assert!((splitter(&harness).top() - kept.top()).abs() < 2.0, "and drawn where it was");
}

#[test]
fn the_preview_tab_and_the_split_are_restored_with_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, ids) = requests(dir.path(), 3);
    apply(&mut harness, Command::OpenRequest(ids[0]));
    apply(&mut harness, Command::Tabs(TabCommand::Preview(ids[1])));
    apply(&mut harness, Command::Tabs(TabCommand::SetEditorSplit(0.35)));
    let name = tab_title(&harness, active_tab(&harness));
    step_until(&mut harness, "the session to hold the preview", |_| {
        std::fs::read_to_string(dir.path().join(SESSION_FILE))
            .is_ok_and(|s| s.contains("preview_tab: Some(1)") && s.contains("editor_split: Some(0.35)"))
    });
    settle(&mut harness);
    drop(harness);

    let mut harness = open(dir.path());
    assert_eq!(tab_count(&harness), 2, "both tabs are restored");
    assert_eq!(preview(&harness).as_deref(), Some(name.as_str()), "the preview is still a preview");
    assert!((harness.state().state.editor_split - 0.35).abs() < 1e-4);
    apply(&mut harness, Command::Tabs(TabCommand::Preview(ids[2])));
    assert_eq!(tab_count(&harness), 2, "and the next preview reuses it");
}
