//! The left sidebar: workspace switcher, then Collections (the tree), Environments, History and
//! Header presets. The tree draws only the rows in view, so 10,000 requests scroll smoothly.

use std::sync::Arc;

use egui::{RichText, Ui};

use super::{Named, theme};
use crate::app::command::{Action, Command};
use crate::app::interop::ExportWhat;
use crate::app::state::{AppState, SidebarSection, Target};
use crate::model::*;

mod examples;
mod history;
mod keys;

pub fn sidebar_ui(ui: &mut Ui, state: &mut AppState, out: &mut Vec<Command>) -> usize {
    workspace_switcher_ui(ui, state, out);
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let s = &mut state.sidebar.section;
        ui.selectable_value(s, SidebarSection::Collections, "Collections");
        ui.selectable_value(s, SidebarSection::Environments, "Environments");
        ui.selectable_value(s, SidebarSection::History, "History");
        ui.selectable_value(s, SidebarSection::Presets, "Presets");
    });
    ui.separator();
    match state.sidebar.section {
        SidebarSection::Collections => collections_ui(ui, state, out),
        SidebarSection::Environments => {
            environments_ui(ui, state, out);
            0
        }
        SidebarSection::History => {
            history::history_ui(ui, state, out);
            0
        }
        SidebarSection::Presets => {
            presets_ui(ui, state, out);
            0
        }
    }
}

fn workspace_switcher_ui(ui: &mut Ui, state: &mut AppState, out: &mut Vec<Command>) {
    // A placeholder for a workspace whose workspace.ron did not load says so.
    let shown_name = |w: &WorkspaceData| {
        if w.is_damaged(w.id().0) {
            format!("⚠ {} (damaged)", w.workspace.name)
        } else {
            w.workspace.name.clone()
        }
    };
    let current = state.ws().map(|w| (w.id(), shown_name(w)));
    ui.horizontal(|ui| {
        ui.label(RichText::new("Workspace").weak());
        let name = current.as_ref().map_or("—".to_owned(), |(_, n)| n.clone());
        egui::ComboBox::from_id_salt("workspace")
            .selected_text(RichText::new(name).strong())
            .width(ui.available_width() - 40.0)
            .show_ui(ui, |ui| {
                for (id, ws) in &state.library.workspaces {
                    if ui.selectable_label(Some(*id) == state.workspace, shown_name(ws)).clicked() {
                        out.push(Command::SwitchWorkspace(*id));
                    }
                }
                ui.separator();
                if ui.selectable_label(false, "+ New workspace…").clicked() {
                    state.sidebar.new_workspace_name = Some(String::new());
                }
            })
            .named("Workspace");
        if let Some((id, _)) = current {
            ui.menu_button("☰", |ui| {
                if ui.button("Rename workspace…").clicked() {
                    out.push(Command::StartRename(Target::Workspace(id)));
                }
                if ui.button("Export workspace…").clicked() {
                    out.push(Command::Export(ExportWhat::Workspace(id)));
                }
                if ui.button(Action::Import.label()).clicked() {
                    out.push(Command::Action(Action::Import));
                }
                if ui.button("Delete workspace…").clicked() {
                    out.push(Command::DeleteWorkspace(id));
                }
            });
        }
    });
    if let Some(name) = &mut state.sidebar.new_workspace_name {
        let mut done = None;
        ui.horizontal(|ui| {
            let r = ui.add(
                egui::TextEdit::singleline(name)
                    .hint_text("New workspace name")
                    .desired_width(ui.available_width() - 110.0),
            );
            r.request_focus();
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Create").clicked() || enter) && !name.trim().is_empty() {
                done = Some(Some(name.trim().to_owned()));
            }
            if ui.button("✖").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                done = Some(None);
            }
        });
        if let Some(result) = done {
            state.sidebar.new_workspace_name = None;
            if let Some(name) = result {
                out.push(Command::CreateWorkspace(name));
            }
        }
    }
    if let Some((Target::Workspace(id), _)) = state.sidebar.renaming {
        rename_field_ui(ui, state, Target::Workspace(id), out);
    }
}

/// One visible line of the tree.
#[derive(Clone, Debug)]
enum Row {
    Container { id: ParentId, depth: usize, open: bool },
    Request(RequestRow),
    Broken { path: std::path::PathBuf, message: String, depth: usize },
    Example(examples::ExampleRow),
}

/// A request's line, with its place among its container's children (a drop on it lands there).
#[derive(Clone, Debug)]
struct RequestRow {
    id: RequestId,
    parent: ParentId,
    index: usize,
    depth: usize,
}

/// What the visible rows were computed from: anything else changing goes through a command,
/// which moves the revision.
#[derive(Clone, PartialEq)]
struct RowsKey {
    ws: WorkspaceId,
    revision: u64,
    filter: String,
    expanded: usize,
    problems: usize,
}

/// The visible rows, recomputed only when what they depend on changed: walking and filtering
/// 10,000 requests every frame would cost more than drawing the rows in view.
fn cached_rows(ui: &Ui, state: &AppState, ws: &WorkspaceData) -> std::sync::Arc<Vec<Row>> {
    type Cached = Option<(RowsKey, std::sync::Arc<Vec<Row>>)>;
    let key = RowsKey {
        ws: ws.id(),
        revision: state.revision,
        filter: state.sidebar.filter.clone(),
        expanded: state.sidebar.expanded.len(),
        problems: state.problems.len(),
    };
    let id = egui::Id::unique("sidebar-rows");
    let cached = ui.data(|d| d.get_temp::<Cached>(id)).flatten();
    if let Some((k, rows)) = cached
        && k == key
    {
        return rows;
    }
    let rows = std::sync::Arc::new(visible_rows(ui, state, ws));
    ui.data_mut(|d| d.insert_temp::<Cached>(id, Some((key, rows.clone()))));
    rows
}

fn visible_rows(ui: &Ui, state: &AppState, ws: &WorkspaceData) -> Vec<Row> {
    let filter = state.sidebar.filter.trim().to_lowercase();
    let mut matching = std::collections::HashSet::new();
    let lower = if filter.is_empty() { Arc::default() } else { lowercased(ui, state, ws) };
    if !filter.is_empty() {
        for c in ws.collections.keys() {
            mark_matches(ws, &lower, ParentId::Collection(*c), &filter, 0, &mut matching);
        }
    }
    let tree = Tree { state, ws, matching: &matching, lower: &lower };
    let mut rows = Vec::new();
    for c in ws.collections.keys() {
        tree.push_container(ParentId::Collection(*c), 0, &filter, &mut rows);
    }
    rows
}

/// Names and URLs lowercased once per filter change, so the walk below only compares.
#[derive(Default)]
struct Lowercased {
    requests: std::collections::HashMap<RequestId, String>,
}

impl Lowercased {
    fn of(ws: &WorkspaceData) -> Self {
        let requests = ws
            .requests
            .values()
            .map(|r| {
                let mut text = r.name.to_lowercase();
                text.push('\n');
                text.push_str(&r.url.to_lowercase());
                (r.id, text)
            })
            .collect();
        Self { requests }
    }

    /// The request's name or URL contains `filter` (lowercase), or its method is `filter`.
    fn hit(&self, r: &Request, filter: &str) -> bool {
        self.requests.get(&r.id).is_some_and(|text| text.contains(filter))
            || r.method.as_str().eq_ignore_ascii_case(filter)
    }
}

/// The lowercased names, kept until the library changes (a keystroke in the filter then only
/// compares).
fn lowercased(ui: &Ui, state: &AppState, ws: &WorkspaceData) -> Arc<Lowercased> {
    type Cached = Option<((WorkspaceId, u64), Arc<Lowercased>)>;
    let id = egui::Id::unique("sidebar-lowercased");
    let key = (ws.id(), state.revision);
    if let Some((k, lower)) = ui.data(|d| d.get_temp::<Cached>(id)).flatten()
        && k == key
    {
        return lower;
    }
    let lower = Arc::new(Lowercased::of(ws));
    ui.data_mut(|d| d.insert_temp::<Cached>(id, Some((key, lower.clone()))));
    lower
}

/// Finds, in one walk, every container with a match at or below it.
fn mark_matches(
    ws: &WorkspaceData,
    lower: &Lowercased,
    p: ParentId,
    filter: &str,
    depth: usize,
    matching: &mut std::collections::HashSet<ParentId>,
) -> bool {
    let mut any = ws.parent_name(p).is_some_and(|n| n.to_lowercase().contains(filter));
    if depth <= 64 {
        for c in ws.children(p).into_iter().flatten() {
            any |= match *c {
                ItemId::Request(r) => ws.requests.get(&r).is_some_and(|r| lower.hit(r, filter)),
                ItemId::Folder(f) => {
                    mark_matches(ws, lower, ParentId::Folder(f), filter, depth + 1, matching)
                }
            };
        }
    }
    if any {
        matching.insert(p);
    }
    any
}

struct Tree<'a> {
    state: &'a AppState,
    ws: &'a WorkspaceData,
    matching: &'a std::collections::HashSet<ParentId>,
    lower: &'a Lowercased,
}

impl Tree<'_> {
    fn push_container(&self, p: ParentId, depth: usize, filter: &str, rows: &mut Vec<Row>) {
        let (state, ws) = (self.state, self.ws);
        let filtering = !filter.is_empty();
        if filtering && !self.matching.contains(&p) {
            return;
        }
        let open = filtering || state.sidebar.expanded.contains(&p);
        rows.push(Row::Container { id: p, depth, open });
        if !open || depth > 64 {
            return;
        }
        let name_matches = filtering && ws.parent_name(p).is_some_and(|n| n.to_lowercase().contains(filter));
        for (index, child) in ws.children(p).into_iter().flatten().enumerate() {
            match *child {
                ItemId::Folder(f) if ws.folders.contains_key(&f) => self.push_container(
                    ParentId::Folder(f),
                    depth + 1,
                    if name_matches { "" } else { filter },
                    rows,
                ),
                ItemId::Request(r) => {
                    if let Some(req) = ws.requests.get(&r)
                        && (!filtering || name_matches || self.lower.hit(req, filter))
                    {
                        rows.push(Row::Request(RequestRow { id: r, parent: p, index, depth: depth + 1 }));
                        examples::push_rows(state, req, depth + 1, rows);
                    }
                }
                ItemId::Folder(_) => {}
            }
        }
        // Files that did not load show where they are, until fixed.
        for problem in state.problems.iter().filter(|pr| pr.parent == Some(p) && pr.is_error()) {
            rows.push(Row::Broken {
                path: problem.path.clone(),
                message: problem.kind.to_string(),
                depth: depth + 1,
            });
        }
    }
}

fn collections_ui(ui: &mut Ui, state: &mut AppState, out: &mut Vec<Command>) -> usize {
    ui.horizontal(|ui| {
        ui.menu_button("+", |ui| {
            for action in [Action::NewCollection, Action::NewRequest, Action::NewWebSocketRequest] {
                if ui.button(action.label()).clicked() {
                    out.push(Command::Action(action));
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text("New collection, request or WebSocket request");
        ui.add(
            egui::TextEdit::singleline(&mut state.sidebar.filter)
                .hint_text("🔍 Filter")
                .desired_width(f32::INFINITY),
        )
        .named("Filter requests");
    });
    keys::follow_active_tab(state);
    let Some(ws) = state.ws() else { return 0 };
    if ws.collections.is_empty() {
        ui.add_space(16.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new("No collections yet").strong());
            ui.label(RichText::new("Collections group your requests.").weak());
            if ui.button("Create a collection").clicked() {
                out.push(Command::Action(Action::NewCollection));
            }
        });
        return 0;
    }
    let rows = cached_rows(ui, state, ws);
    if rows.is_empty() {
        ui.label(RichText::new("Nothing matches the filter.").weak());
        return 0;
    }
    let frame = keys::tree_frame_ui(ui, state, &rows, out);
    let row_height = ui.spacing().interact_size.y;
    let mut drawn = 0;
    egui::ScrollArea::vertical().id_salt("tree").auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        rows.len(),
        |ui, range| {
            if let Some(i) = frame.scroll_to {
                keys::scroll_to_row(ui, &range, i, row_height);
            }
            for (i, row) in range.clone().zip(&rows[range]) {
                // The row's background is painted behind it once its height is known.
                let slot = (ui.painter().add(egui::Shape::Noop), ui.cursor().top());
                row_ui(ui, state, row, out);
                keys::row_background_ui(ui, state, row, i, slot, frame.focused);
                drawn += 1;
            }
        },
    );
    drawn
}

fn indent(ui: &mut Ui, depth: usize) {
    ui.add_space(depth as f32 * 14.0);
}

fn row_ui(ui: &mut Ui, state: &AppState, row: &Row, out: &mut Vec<Command>) {
    let Some(ws) = state.ws() else { return };
    match row {
        Row::Container { id, depth, open } => {
            let target = Target::from(*id);
            let name = ws.parent_name(*id).unwrap_or("?").to_owned();
            let response = ui
                .horizontal(|ui| {
                    indent(ui, *depth);
                    let arrow = if *open { "⏷" } else { "⏵" };
                    if ui.add(egui::Button::new(arrow).frame(false).small()).clicked() {
                        out.push(Command::ToggleExpanded(*id));
                    }
                    let icon = if matches!(id, ParentId::Collection(_)) { "🗀" } else { "📁" };
                    if matches!(&state.sidebar.renaming, Some((t, _)) if *t == target) {
                        ui.label(icon);
                        rename_inline_ui(ui, state, target, out);
                        return None;
                    }
                    let damaged = ws.is_damaged(parent_uuid(*id));
                    let text = if damaged {
                        RichText::new(format!("⚠ {icon} {name} (damaged)"))
                            .color(theme::error_color(ui.visuals()))
                    } else {
                        RichText::new(format!("{icon} {name}"))
                    };
                    let label = ui.add(
                        egui::Button::new(text).frame(false).truncate().sense(egui::Sense::click_and_drag()),
                    );
                    Some(if damaged {
                        label.on_hover_text(
                            "Its own file did not load, so it is shown from its folder, with what loaded inside. \
                             Its requests open, send and export as usual; its own settings cannot be saved \
                             until the file is fixed or restored (see Problems, or `localpost doctor`).",
                        )
                    } else {
                        label
                    })
                })
                .inner;
            let Some(response) = response else { return };
            if response.clicked() {
                out.push(Command::ToggleExpanded(*id));
            }
            if response.double_clicked() {
                out.push(Command::OpenTarget(target));
            }
            drag_drop(ui, &response, *id, None, out);
            if let ParentId::Folder(f) = id {
                response.dnd_set_drag_payload(ItemId::Folder(*f));
            }
            response.context_menu(|ui| context_menu_ui(ui, context_menu(target), out));
        }
        Row::Request(row) => request_row_ui(ui, state, ws, row, out),
        Row::Example(row) => examples::example_row_ui(ui, state, ws, row, out),
        Row::Broken { path, message, depth } => {
            ui.horizontal(|ui| {
                indent(ui, *depth + 1);
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                ui.label(RichText::new(format!("⚠ {name}")).color(theme::error_color(ui.visuals())))
                    .on_hover_text(format!(
                        "{}\n{message}\nFix the file (Localpost never writes over it), then restart.",
                        path.display()
                    ));
            });
        }
    }
}

/// A request's line: method and name; a click opens it, and it can be dragged.
fn request_row_ui(
    ui: &mut Ui,
    state: &AppState,
    ws: &WorkspaceData,
    row: &RequestRow,
    out: &mut Vec<Command>,
) {
    let RequestRow { id, parent, index, depth } = *row;
    let Some(request) = ws.requests.get(&id) else { return };
    let target = Target::Request(id);
    let active = state.active().and_then(|t| t.request()).is_some_and(|r| r.draft.id == id);
    let response = ui
        .horizontal(|ui| {
            indent(ui, depth + 1);
            examples::fold_arrow_ui(ui, state, request, out);
            let badge = request.badge();
            let color = theme::method_color(&badge, ui.visuals());
            // Cut by characters: a custom method may be any Unicode (`AÄÄÄ`).
            let short: String = badge.as_str().chars().take(6).collect();
            ui.add_sized(
                [46.0, 16.0],
                egui::Label::new(RichText::new(short).small().strong().color(color).monospace()),
            );
            if matches!(&state.sidebar.renaming, Some((t, _)) if *t == target) {
                rename_inline_ui(ui, state, target, out);
                return None;
            }
            // The row behind shows the selection and the hover; the open request is in bold.
            let name =
                if active { RichText::new(&request.name).strong() } else { RichText::new(&request.name) };
            let button = egui::Button::new(name).frame(false).truncate().sense(egui::Sense::click_and_drag());
            let response = ui.add(button);
            let selected = state.sidebar.tree.selected == Some(target);
            ui.ctx().accesskit_node_builder(response.id, |node| node.set_selected(selected));
            Some(response)
        })
        .inner;
    let Some(response) = response else { return };
    let response = response.on_hover_text(format!("{} {}", request.badge(), request.url));
    // A click previews the request (the next click reuses its tab); a double-click keeps it.
    if response.double_clicked() {
        out.push(Command::OpenRequest(id));
    } else if response.clicked() {
        out.push(Command::Tabs(crate::app::tabs::TabCommand::Preview(id)));
    }
    response.dnd_set_drag_payload(ItemId::Request(id));
    drag_drop(ui, &response, parent, Some(index), out);
    response.context_menu(|ui| context_menu_ui(ui, context_menu(target), out));
}

/// Drop handling: onto a container moves into it; onto a request moves before it.
fn drag_drop(
    ui: &Ui,
    response: &egui::Response,
    container: ParentId,
    index: Option<usize>,
    out: &mut Vec<Command>,
) {
    if let Some(payload) = response.dnd_hover_payload::<ItemId>() {
        let rect = response.rect;
        let stroke = egui::Stroke::new(2.0, ui.visuals().selection.stroke.color);
        match index {
            Some(_) => ui.painter().hline(rect.x_range(), rect.top(), stroke),
            None => ui.painter().rect_stroke(rect, 2.0, stroke, egui::StrokeKind::Inside),
        };
        let _ = payload;
    }
    if let Some(payload) = response.dnd_release_payload::<ItemId>() {
        let item = *payload;
        if item
            != ItemId::Folder(match container {
                ParentId::Folder(f) => f,
                ParentId::Collection(_) => FolderId(uuid::Uuid::nil()),
            })
        {
            out.push(Command::Move { item, to: container, index: index.unwrap_or(usize::MAX) });
        }
    }
}

fn rename_inline_ui(ui: &mut Ui, state: &AppState, target: Target, out: &mut Vec<Command>) {
    let Some((_, text)) = &state.sidebar.renaming else { return };
    let mut text = text.clone();
    let id = egui::Id::unique(("rename", format!("{target:?}")));
    let r = ui.add(egui::TextEdit::singleline(&mut text).id(id).desired_width(ui.available_width() - 8.0));
    if !r.has_focus() && !r.lost_focus() {
        r.request_focus();
    }
    if r.changed() {
        out.push(Command::RenameTyping(text.clone()));
    }
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        out.push(Command::CancelRename);
    } else if r.lost_focus() {
        out.push(Command::Rename(target, text));
    }
}

fn rename_field_ui(ui: &mut Ui, state: &AppState, target: Target, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label("Name");
        rename_inline_ui(ui, state, target, out);
    });
}

fn environments_ui(ui: &mut Ui, state: &mut AppState, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if ui.button("+ New").on_hover_text(Action::NewEnvironment.label()).clicked() {
            out.push(Command::Action(Action::NewEnvironment));
        }
        if ui.button("Globals").on_hover_text("Variables for every request of this workspace").clicked() {
            out.push(Command::Action(Action::OpenGlobals));
        }
    });
    let Some(ws) = state.ws() else { return };
    if ws.environments.is_empty() {
        ui.label(
            RichText::new(
                "No environments yet. An environment is a set of variables, e.g. {{base}} for Dev and Prod.",
            )
            .weak(),
        );
    }
    let active = state.active_environment.get(&ws.id()).copied();
    egui::ScrollArea::vertical().id_salt("envs").auto_shrink([false, false]).show(ui, |ui| {
        for env in ws.environments.values() {
            let target = Target::Environment(env.id);
            ui.horizontal(|ui| {
                let is_active = active == Some(env.id);
                if ui.radio(is_active, "").on_hover_text("Use this environment").clicked() {
                    out.push(Command::SelectEnvironment(if is_active { None } else { Some(env.id) }));
                }
                if matches!(&state.sidebar.renaming, Some((t, _)) if *t == target) {
                    rename_inline_ui(ui, state, target, out);
                    return;
                }
                let r = ui.add(egui::Button::new(&env.name).frame(false));
                if r.clicked() {
                    out.push(Command::OpenTarget(target));
                }
                r.context_menu(|ui| context_menu_ui(ui, context_menu(target), out));
                ui.label(RichText::new(format!("{} vars", env.variables.len())).weak().small());
            });
        }
    });
}

/// An entry of a sidebar context menu.
enum MenuEntry {
    /// A button and the command a click queues.
    Button(&'static str, Command),
    Separator,
}

/// The context menu of a collection, folder, request, environment or header preset: what can
/// be done to it, then rename, duplicate and delete.
fn context_menu(target: Target) -> Vec<MenuEntry> {
    use MenuEntry::Button;
    let mut entries = match target {
        Target::Collection(id) => container_menu(ParentId::Collection(id)),
        Target::Folder(id) => container_menu(ParentId::Folder(id)),
        Target::Request(id) => {
            vec![Button("Open", Command::OpenRequest(id)), Button("Copy as cURL", Command::CopyAsCurl(id))]
        }
        Target::Environment(id) => vec![Button("Export…", Command::Export(ExportWhat::Environment(id)))],
        Target::Preset(_) => Vec::new(),
        Target::Example(r, e) => examples::menu(r, e),
        // The workspace has its own menu, next to the switcher.
        Target::Workspace(_) => return Vec::new(),
    };
    entries.extend([
        Button("Rename", Command::StartRename(target)),
        Button("Duplicate", Command::Duplicate(target)),
        Button("Delete…", Command::Delete(target)),
    ]);
    entries
}

/// What a collection or folder offers before rename, duplicate and delete.
fn container_menu(p: ParentId) -> Vec<MenuEntry> {
    use MenuEntry::{Button, Separator};
    vec![
        Button("Add request", Command::NewRequestIn(p)),
        Button("Add WebSocket request", Command::WebSocket(crate::app::ws::WsCommand::New(Some(p)))),
        Button("Add folder", Command::NewFolder(p)),
        Button("▶ Run…", Command::OpenRunner(p)),
        Separator,
        Button("Edit auth, variables, description", Command::OpenTarget(Target::from(p))),
        Button("Export…", Command::Export(ExportWhat::Container(p))),
    ]
}

/// Draws a context menu: a click queues the entry's command and closes the menu.
fn context_menu_ui(ui: &mut Ui, entries: Vec<MenuEntry>, out: &mut Vec<Command>) {
    for entry in entries {
        match entry {
            MenuEntry::Button(label, command) => {
                if ui.button(label).clicked() {
                    out.push(command);
                    ui.close();
                }
            }
            MenuEntry::Separator => {
                ui.separator();
            }
        }
    }
}

fn presets_ui(ui: &mut Ui, state: &mut AppState, out: &mut Vec<Command>) {
    if ui.button("+ New preset").clicked() {
        out.push(Command::NewPreset);
    }
    let Some(ws) = state.ws() else { return };
    if ws.header_presets.is_empty() {
        ui.label(
            RichText::new("A header preset is a named set of headers you can insert into any request.")
                .weak(),
        );
    }
    for preset in ws.header_presets.values() {
        let target = Target::Preset(preset.id);
        ui.horizontal(|ui| {
            if matches!(&state.sidebar.renaming, Some((t, _)) if *t == target) {
                rename_inline_ui(ui, state, target, out);
                return;
            }
            let r = ui.add(egui::Button::new(&preset.name).frame(false));
            if r.clicked() {
                out.push(Command::OpenTarget(target));
            }
            r.context_menu(|ui| context_menu_ui(ui, context_menu(target), out));
            ui.label(RichText::new(format!("{} headers", preset.headers.len())).weak().small());
        });
    }
}

/// "14:03:22" today, else "2026-11-20 14:03" (the response shows when a reopened entry was sent).
pub use super::local_time::format_time;

fn parent_uuid(id: ParentId) -> uuid::Uuid {
    match id {
        ParentId::Collection(c) => c.0,
        ParentId::Folder(f) => f.0,
    }
}
