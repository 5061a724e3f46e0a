//! The schema explorer: root types first, then every type, searchable; a type opens to its
//! fields with their arguments, types (a click goes to the type), descriptions and
//! deprecations; Back returns. A field of the query root can be added to the query.

use egui::{RichText, ScrollArea, TextEdit, Ui};

use crate::app::graphql::{Explorer, ReadySchema};
use crate::interop::graphql::{FieldInfo, TypeInfo, TypeKind};
use crate::ui::{Named, theme};

/// What the explorer asks of the editor.
pub enum ExplorerAction {
    /// Add this field of the query root to the query.
    InsertField(String),
}

/// Draws the explorer of `schema`.
pub fn explorer_ui(ui: &mut Ui, x: &mut Explorer, schema: &ReadySchema) -> Option<ExplorerAction> {
    let mut action = None;
    ui.horizontal(|ui| {
        if ui.add_enabled(!x.back.is_empty(), egui::Button::new("◀ Back")).clicked() {
            x.go_back();
        }
        if x.current.is_some() && ui.small_button("All types").clicked() {
            x.go(None);
        }
    });
    match x.current.clone() {
        None => types_ui(ui, x, schema),
        Some(name) => match schema.type_named(&name) {
            Some(t) => action = type_ui(ui, x, schema, t),
            None => {
                ui.label(format!("The schema has no type {name}."));
            }
        },
    }
    action
}

/// The list of types, root types first, filtered by the search.
fn types_ui(ui: &mut Ui, x: &mut Explorer, schema: &ReadySchema) {
    ui.add(
        TextEdit::singleline(&mut x.search).hint_text("Search types and fields").desired_width(f32::INFINITY),
    )
    .named("Search the schema");
    let roots = schema.schema.roots();
    let root_names: Vec<&str> = [&roots.query, &roots.mutation, &roots.subscription]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let needle = x.search.trim().to_lowercase();
    let matches = |t: &TypeInfo| {
        needle.is_empty()
            || t.name.to_lowercase().contains(&needle)
            || t.fields.iter().any(|f| f.name.to_lowercase().contains(&needle))
    };
    let mut list: Vec<&TypeInfo> = schema.types.iter().filter(|t| matches(t)).collect();
    if !needle.is_empty() {
        // Types named like the search first (the exact name, then by name), then those with
        // such a field; the sort is stable, so the schema's order holds within each group.
        list.sort_by_key(|t| {
            let name = t.name.to_lowercase();
            (name != needle, !name.contains(&needle))
        });
    }
    let row_height = ui.spacing().interact_size.y;
    let mut go = None;
    ScrollArea::vertical().id_salt("schema-types").auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        list.len(),
        |ui, rows| {
            for t in &list[rows] {
                ui.horizontal(|ui| {
                    let text = if root_names.contains(&t.name.as_str()) {
                        RichText::new(&t.name).strong()
                    } else {
                        RichText::new(&t.name)
                    };
                    if ui.link(text).clicked() {
                        go = Some(t.name.clone());
                    }
                    ui.label(RichText::new(kind_text(t.kind)).small().weak());
                });
            }
        },
    );
    if list.is_empty() {
        ui.label(RichText::new(format!("No type or field matches “{}”.", x.search.trim())).weak());
    }
    if let Some(name) = go {
        x.go(Some(name));
    }
}

/// One type: its description, then fields, enum values, members or interfaces.
fn type_ui(ui: &mut Ui, x: &mut Explorer, schema: &ReadySchema, t: &TypeInfo) -> Option<ExplorerAction> {
    let is_query_root = schema.schema.roots().query.as_deref() == Some(t.name.as_str());
    let mut go = None;
    let mut action = None;
    ui.horizontal(|ui| {
        ui.heading(&t.name);
        ui.label(RichText::new(kind_text(t.kind)).weak());
    });
    ScrollArea::vertical().id_salt(("schema-type", &t.name)).auto_shrink([false, false]).show(ui, |ui| {
        if let Some(d) = &t.description {
            ui.label(RichText::new(d).weak());
        }
        if !t.interfaces.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label("Implements");
                for i in &t.interfaces {
                    if ui.link(i).clicked() {
                        go = Some(i.clone());
                    }
                }
            });
        }
        for f in &t.fields {
            ui.separator();
            if let Some(a) = field_ui(ui, f, is_query_root, &mut go) {
                action = Some(a);
            }
        }
        for v in &t.enum_values {
            ui.separator();
            deprecated_name_ui(ui, &v.name, v.deprecated.as_deref());
            if let Some(d) = &v.description {
                ui.label(RichText::new(d).small().weak());
            }
        }
        if !t.possible_types.is_empty() {
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                ui.label(if t.kind == TypeKind::Union { "Members" } else { "Implemented by" });
                for p in &t.possible_types {
                    if ui.link(p).clicked() {
                        go = Some(p.clone());
                    }
                }
            });
        }
    });
    if let Some(name) = go {
        x.go(Some(name));
    }
    action
}

/// A field: name (struck through when deprecated, with the reason) and type (a link), then its
/// arguments and description.
fn field_ui(ui: &mut Ui, f: &FieldInfo, insertable: bool, go: &mut Option<String>) -> Option<ExplorerAction> {
    let mut action = None;
    ui.horizontal(|ui| {
        deprecated_name_ui(ui, &f.name, f.deprecated.as_deref());
        ui.label(":");
        type_link_ui(ui, &f.type_text, go);
        if insertable && ui.small_button("+ Add").on_hover_text("Add this field to the query").clicked() {
            action = Some(ExplorerAction::InsertField(f.name.clone()));
        }
    });
    if !f.args.is_empty() {
        let args: Vec<String> = f
            .args
            .iter()
            .map(|a| match &a.default {
                Some(default) => format!("{}: {} = {default}", a.name, a.type_text),
                None => format!("{}: {}", a.name, a.type_text),
            })
            .collect();
        let shown = ui.label(RichText::new(format!("({})", args.join(", "))).monospace().small());
        let described: Vec<String> = f
            .args
            .iter()
            .filter_map(|a| a.description.as_ref().map(|d| format!("{}: {d}", a.name)))
            .collect();
        if !described.is_empty() {
            shown.on_hover_text(described.join("\n"));
        }
    }
    if let Some(d) = &f.description {
        ui.label(RichText::new(d).small().weak());
    }
    action
}

fn deprecated_name_ui(ui: &mut Ui, name: &str, deprecated: Option<&str>) {
    let mut text = RichText::new(name).monospace().strong();
    if deprecated.is_some() {
        text = text.strikethrough();
    }
    let shown = ui.label(text);
    if let Some(reason) = deprecated {
        let why =
            if reason.trim().is_empty() { "deprecated".to_owned() } else { format!("deprecated: {reason}") };
        ui.label(RichText::new(&why).small().color(theme::error_color(ui.visuals())));
        shown.on_hover_text(why);
    }
}

/// A type as written (`[Film!]!`), its named type a link.
fn type_link_ui(ui: &mut Ui, type_text: &str, go: &mut Option<String>) {
    let name: String = type_text.chars().filter(|c| c.is_alphanumeric() || *c == '_').collect();
    let Some(at) = type_text.find(name.as_str()).filter(|_| !name.is_empty()) else {
        ui.label(RichText::new(type_text).monospace());
        return;
    };
    let color = theme::variable_color(ui.visuals());
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        ui.label(RichText::new(&type_text[..at]).monospace().color(color));
        if ui.link(RichText::new(&name).monospace().color(color)).clicked() {
            *go = Some(name.clone());
        }
        ui.label(RichText::new(&type_text[at + name.len()..]).monospace().color(color));
    });
}

fn kind_text(kind: TypeKind) -> &'static str {
    match kind {
        TypeKind::Object => "type",
        TypeKind::Interface => "interface",
        TypeKind::Union => "union",
        TypeKind::Enum => "enum",
        TypeKind::InputObject => "input",
        TypeKind::Scalar => "scalar",
    }
}

/// `query` with `field` added to the selection of its first operation (or a new query).
pub fn insert_field(query: &str, field: &str) -> String {
    let trimmed = query.trim();
    if trimmed.is_empty() {
        return format!("query {{\n  {field}\n}}\n");
    }
    match query.rfind('}') {
        Some(end) => {
            let mut out = query[..end].trim_end().to_owned();
            out.push_str("\n  ");
            out.push_str(field);
            out.push('\n');
            out.push_str(&query[end..]);
            out
        }
        None => format!("{query}\n{{\n  {field}\n}}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_goes_into_the_query() {
        assert_eq!(insert_field("", "hero"), "query {\n  hero\n}\n");
        assert_eq!(insert_field("query {\n  droid\n}\n", "hero"), "query {\n  droid\n  hero\n}\n");
    }
}
