//! A GraphQL body: the schema bar (state, Fetch/Refresh, Load from file, Explorer), the query
//! editor with completion and problems, the variables editor checked against the operation, the
//! operation name, and the schema explorer beside them.

mod editor;
mod explorer;

pub use editor::apply_completion;
pub use explorer::insert_field;

use egui::{RichText, TextEdit, Ui};

use super::request::EditorContext;
use super::vars::var_text_edit;
use super::{Named, path_field, theme};
use crate::app::command::Command;
use crate::app::graphql::{Busy, GraphQlCommand, GraphQlTab, age_text};
use crate::app::state::{PathField, RequestTab, TabId};
use crate::storage::graphql::SchemaOrigin;

/// Draws a GraphQL body; returns whether the body changed.
pub fn graphql_body_ui(
    ui: &mut Ui,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    out: &mut Vec<Command>,
) -> bool {
    let tab_id = cx.tab_id;
    let g = &mut tab.graphql;
    schema_bar_ui(ui, tab_id, g, out);
    if let Some(path) = &mut g.file_path
        && !file_row_ui(ui, tab_id, path, out)
    {
        g.file_path = None;
    }
    ui.add_space(4.0);
    let body = &mut tab.draft.body.graphql;
    let mut changed = false;
    let mut inserted = None;
    ui.columns(2, |cols| {
        cols[0].label("Query");
        changed |=
            editor::query_editor_ui(&mut cols[0], ("gql-query", tab_id.0), &mut body.query, g, cx.vars, 12);
        problems_ui(&mut cols[0], g, body.query.trim().is_empty());
        cols[1].label("Variables (JSON)");
        let vars_edit = var_text_edit(&mut cols[1], &mut body.variables, cx.vars, true, |e| {
            e.id_salt(("gql-vars", tab_id.0))
                .code_editor()
                .desired_rows(8)
                .desired_width(f32::INFINITY)
                .hint_text("{ \"id\": \"1000\" }")
        })
        .named("GraphQL variables");
        if vars_edit.changed() {
            changed = true;
            g.checks.edited_at = Some(std::time::Instant::now());
        }
        variable_problems_ui(&mut cols[1], g);
        cols[1].label("Operation name");
        let op = cols[1].add(
            TextEdit::singleline(&mut body.operation_name)
                .hint_text("the operation to run, when the query has several")
                .desired_width(f32::INFINITY),
        );
        if op.named("Operation name").changed() {
            changed = true;
            g.checks.edited_at = Some(std::time::Instant::now());
        }
    });
    if g.explorer.open
        && let Some(ready) = g.status.ready.clone()
    {
        // A window of its own beside the editor: the editor's pane is often short.
        let mut open = true;
        let screen = ui.ctx().content_rect();
        egui::Window::new("Schema explorer")
            .id(ui.make_persistent_id(("gql-explorer", tab_id.0)))
            .open(&mut open)
            .default_size([460.0, 620.0])
            .max_width(620.0)
            .default_pos(egui::pos2(screen.right() - 470.0, screen.top() + 90.0))
            .resizable(true)
            .show(ui.ctx(), |ui| {
                if let Some(explorer::ExplorerAction::InsertField(field)) =
                    explorer::explorer_ui(ui, &mut g.explorer, &ready)
                {
                    inserted = Some(field);
                }
            });
        g.explorer.open &= open;
    }
    if let Some(field) = inserted {
        body.query = insert_field(&body.query, &field);
        g.checks.edited_at = Some(std::time::Instant::now());
        changed = true;
    }
    changed
}

/// "Schema: 214 types, fetched 5 min ago" (or what is going on), with its buttons.
fn schema_bar_ui(ui: &mut Ui, tab_id: TabId, g: &mut GraphQlTab, out: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let visuals = ui.visuals().clone();
        let status = &g.status;
        match (&g.endpoint, status.busy, &status.ready) {
            (Some(Err(why)), _, _) => {
                ui.label(RichText::new(format!("Schema: no endpoint ({why})")).color(theme::muted(&visuals)));
            }
            (_, Some(busy), _) => {
                ui.spinner();
                ui.label(match busy {
                    Busy::Loading => "Reading the cached schema…",
                    Busy::Fetching => "Fetching the schema…",
                    Busy::Reading => "Reading the schema file…",
                });
            }
            (_, None, Some(ready)) => {
                let when = age_text(ready.fetched_at, time::OffsetDateTime::now_utc());
                let how = match &ready.origin {
                    SchemaOrigin::Introspection => format!("fetched {when}"),
                    SchemaOrigin::File(path) => format!("loaded from {path} {when}"),
                };
                ui.label(RichText::new(format!("Schema: {} types, {how}", ready.types.len())).color(theme::ok_color(&visuals)))
                    .named("Schema state");
            }
            (_, None, None) => {
                ui.label(RichText::new("Schema: not fetched").color(theme::muted(&visuals)));
            }
        }
        let label = if status.ready.is_some() { "⟳ Refresh schema" } else { "⟳ Fetch schema" };
        let fetch = ui.add_enabled(status.busy.is_none(), egui::Button::new(label));
        if fetch.on_hover_text("Ask the endpoint for its schema (an introspection query with this request's headers and auth)").clicked() {
            out.push(Command::GraphQl(GraphQlCommand::Fetch(tab_id)));
        }
        if ui.button("Load schema from file…").clicked() {
            g.file_path.get_or_insert_with(String::new);
            out.push(Command::GraphQl(GraphQlCommand::BrowseFile(tab_id)));
        }
        if status.ready.is_some() {
            let label = if g.explorer.open { "Hide explorer" } else { "📖 Explorer" };
            if ui.selectable_label(g.explorer.open, label).on_hover_text("Browse the schema's types and fields").clicked() {
                g.explorer.open = !g.explorer.open;
            }
        }
    });
    if let Some(error) = &g.status.error {
        ui.label(RichText::new(format!("⚠ {error}")).color(theme::error_color(ui.visuals())))
            .named("Schema error");
    }
}

/// The path field of "Load schema from file…" (the way in where no file chooser opens);
/// returns false when closed.
fn file_row_ui(ui: &mut Ui, tab_id: TabId, path: &mut String, out: &mut Vec<Command>) -> bool {
    ui.horizontal(|ui| {
        ui.label("Schema file");
        let edit = TextEdit::singleline(path)
            .hint_text("/path/to/schema.graphql or introspection.json")
            .desired_width(ui.available_width() - 160.0);
        path_field::add(ui, PathField::Body, edit);
        if ui.add_enabled(!path.trim().is_empty(), egui::Button::new("Load")).clicked() {
            out.push(Command::GraphQl(GraphQlCommand::LoadFile(tab_id, path.clone())));
        }
        !ui.button("Cancel").clicked()
    })
    .inner
}

/// The query's problems against the schema, "line:column message", under the editor.
fn problems_ui(ui: &mut Ui, g: &GraphQlTab, empty: bool) {
    if g.status.ready.is_none() || empty {
        return;
    }
    let color = theme::error_color(ui.visuals());
    if g.checks.diagnostics.is_empty() {
        if g.checks.checked.is_some() {
            ui.label(
                RichText::new("✔ The query fits the schema.").small().color(theme::ok_color(ui.visuals())),
            );
        }
        return;
    }
    egui::ScrollArea::vertical().id_salt("gql-problems").max_height(90.0).show(ui, |ui| {
        for d in &g.checks.diagnostics {
            ui.label(
                RichText::new(format!("{}:{}  {}", d.line, d.column, d.message))
                    .small()
                    .monospace()
                    .color(color),
            );
        }
    });
}

/// The variables' problems, each naming its variable.
fn variable_problems_ui(ui: &mut Ui, g: &GraphQlTab) {
    if g.status.ready.is_none() {
        return;
    }
    let color = theme::error_color(ui.visuals());
    for p in &g.checks.variables {
        let named = p.name.is_empty() || p.message.contains(p.name.trim_start_matches('$'));
        let text = if named { p.message.clone() } else { format!("{}: {}", p.name, p.message) };
        ui.label(RichText::new(text).small().color(color));
    }
}
