//! A request's saved examples in the tree: the fold arrow on a request that has some, and one
//! row per example under it (folded by default; the tree draws only the rows in view, so a
//! request with thousands of examples scrolls as smoothly as one with two).

use egui::{RichText, Ui};

use super::{MenuEntry, Row, context_menu_ui, indent, rename_inline_ui};
use crate::app::command::Command;
use crate::app::examples::ExampleCommand;
use crate::app::state::{AppState, TabKind, Target};
use crate::model::*;
use crate::ui::theme;

/// An example's line, under its request.
#[derive(Clone, Debug)]
pub(super) struct ExampleRow {
    pub request: RequestId,
    pub example: ExampleId,
    /// Its place in the request's list when the rows were made (checked against the id).
    pub index: usize,
    pub depth: usize,
}

/// The rows of a request's examples, when the user unfolded them.
pub(super) fn push_rows(state: &AppState, request: &Request, depth: usize, rows: &mut Vec<Row>) {
    if request.examples.is_empty() || !state.sidebar.expanded_requests.contains(&request.id) {
        return;
    }
    rows.extend(request.examples.iter().enumerate().map(|(index, e)| {
        Row::Example(ExampleRow { request: request.id, example: e.id, index, depth: depth + 1 })
    }));
}

/// The fold arrow of a request with examples, drawn in the indentation just left of the
/// cursor (which sits after the row's indent), so rows with and without it stay aligned.
pub(super) fn fold_arrow_ui(ui: &mut Ui, state: &AppState, request: &Request, out: &mut Vec<Command>) {
    if request.examples.is_empty() {
        return;
    }
    let open = state.sidebar.expanded_requests.contains(&request.id);
    let size = egui::vec2(14.0, ui.spacing().interact_size.y);
    let at = ui.cursor().min;
    let rect = egui::Rect::from_min_size(egui::pos2(at.x - size.x, at.y), size);
    let id = ui.scope_id().with(("examples-fold", request.id));
    let response = ui.interact(rect, id, egui::Sense::click());
    let label = if open { "Hide examples" } else { "Show examples" };
    let n = request.examples.len();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
    let visuals = ui.style().interact(&response);
    ui.painter().text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        if open { "⏷" } else { "⏵" },
        egui::TextStyle::Button.resolve(ui.style()),
        visuals.text_color(),
    );
    let response =
        response.on_hover_text(if n == 1 { "1 example".to_owned() } else { format!("{n} examples") });
    if response.clicked() {
        out.push(Command::Example(ExampleCommand::ToggleExpanded(request.id)));
    }
}

/// An example's line: its status and name; a click opens it, a right click offers the rest.
pub(super) fn example_row_ui(
    ui: &mut Ui,
    state: &AppState,
    ws: &WorkspaceData,
    row: &ExampleRow,
    out: &mut Vec<Command>,
) {
    let Some(request) = ws.requests.get(&row.request) else { return };
    let example = match request.examples.get(row.index) {
        Some(e) if e.id == row.example => e,
        _ => match request.examples.iter().find(|e| e.id == row.example) {
            Some(e) => e,
            None => return,
        },
    };
    let target = Target::Example(row.request, row.example);
    let active = state.active().is_some_and(
        |t| matches!(&t.kind, TabKind::Example(x) if x.request == row.request && x.example() == row.example),
    );
    let response = ui
        .horizontal(|ui| {
            indent(ui, row.depth + 1);
            let status = example.response.status;
            let color = theme::status_color(status, ui.visuals());
            let text = if status == 0 { "e.g.".to_owned() } else { status.to_string() };
            ui.add_sized([46.0, 16.0], egui::Label::new(RichText::new(text).small().strong().color(color)))
                .on_hover_text(format!("{} {}", example.response.status, example.response.reason));
            if matches!(&state.sidebar.renaming, Some((t, _)) if *t == target) {
                rename_inline_ui(ui, state, target, out);
                return None;
            }
            Some(
                ui.add(egui::Button::selectable(active, &example.name).frame_when_inactive(false).truncate()),
            )
        })
        .inner;
    let Some(response) = response else { return };
    let response = response.on_hover_text(format!(
        "Example of \"{}\"\n{} {}",
        request.name, example.request.method, example.request.url
    ));
    if response.clicked() {
        out.push(Command::Example(ExampleCommand::Open(row.request, row.example)));
    }
    response.context_menu(|ui| context_menu_ui(ui, super::context_menu(target), out));
}

/// What an example's context menu offers before rename, duplicate and delete.
pub(super) fn menu(request: RequestId, example: ExampleId) -> Vec<MenuEntry> {
    use MenuEntry::{Button, Separator};
    vec![
        Button("Open", Command::Example(ExampleCommand::Open(request, example))),
        Button("Try this example", Command::Example(ExampleCommand::Try(request, example))),
        Separator,
    ]
}
