//! Key/value tables (params, path variables, headers, form fields): enable checkboxes,
//! descriptions, add and remove, and a bulk-edit text mode (`key:value` per line, `//` disables).

use egui::{TextEdit, Ui};

use super::vars::{VarIndex, var_text_edit};
use super::{Named, cell};
use crate::model::KeyValue;

pub struct KvOptions {
    /// What a row is, for accessible names: "Param", "Header"...
    pub row_name: &'static str,
    /// Rows can be added and removed (path variables cannot: the URL decides them).
    pub editable_keys: bool,
    pub key_hint: &'static str,
    pub value_hint: &'static str,
}

impl Default for KvOptions {
    fn default() -> Self {
        Self { row_name: "Row", editable_keys: true, key_hint: "Key", value_hint: "Value" }
    }
}

/// Draws the table; returns whether anything changed.
pub fn kv_table_ui(
    ui: &mut Ui,
    id_salt: &str,
    rows: &mut Vec<KeyValue>,
    vars: &VarIndex,
    bulk: Option<&mut String>,
    options: &KvOptions,
) -> bool {
    if let Some(text) = bulk {
        return bulk_ui(ui, id_salt, rows, text);
    }
    let mut changed = false;
    let mut remove = None;
    let width = ui.available_width();
    let key_w = (width * 0.28).max(80.0);
    let value_w = (width * 0.38).max(100.0);
    // The checkbox, the ✖ button, the grid gaps and the text fields' margins take the rest.
    let desc_w = (width - key_w - value_w - 110.0).max(60.0);
    egui::Grid::new(id_salt).num_columns(5).spacing([6.0, 4.0]).striped(true).show(ui, |ui| {
        ui.label("");
        ui.strong(options.key_hint);
        ui.strong(options.value_hint);
        ui.strong("Description");
        ui.label("");
        ui.end_row();
        for (i, row) in rows.iter_mut().enumerate() {
            changed |= ui.checkbox(&mut row.enabled, "").on_hover_text("Send this row").changed();
            if options.editable_keys {
                let edit = TextEdit::singleline(&mut row.key)
                    .id(field_id(id_salt, i, "key"))
                    .desired_width(key_w)
                    .hint_text(options.key_hint);
                changed |=
                    cell(ui, key_w, |ui| ui.add(edit)).named(&format!("{} key", options.row_name)).changed();
            } else {
                ui.add_sized([key_w, 20.0], egui::Label::new(&row.key).truncate());
            }
            changed |= cell(ui, value_w, |ui| {
                var_text_edit(ui, &mut row.value, vars, false, |e| {
                    e.id(field_id(id_salt, i, "value")).desired_width(value_w).hint_text(options.value_hint)
                })
            })
            .named(&format!("{} value", options.row_name))
            .changed();
            let desc =
                TextEdit::singleline(&mut row.description).desired_width(desc_w).hint_text("Description");
            changed |= cell(ui, desc_w, |ui| ui.add(desc))
                .named(&format!("{} description", options.row_name))
                .changed();
            if options.editable_keys {
                if ui.small_button("✖").on_hover_text("Remove row").clicked() {
                    remove = Some(i);
                }
            } else {
                ui.label("");
            }
            ui.end_row();
        }
        if options.editable_keys {
            // The trailing blank row: typing into it adds a row, as in Postman.
            ui.label("");
            let mut key = String::new();
            let mut value = String::new();
            let k = cell(ui, key_w, |ui| {
                ui.add(
                    TextEdit::singleline(&mut key)
                        .id(field_id(id_salt, usize::MAX, "key"))
                        .desired_width(key_w)
                        .hint_text(options.key_hint),
                )
                .named(&format!("New {} key", options.row_name.to_lowercase()))
            });
            cell(ui, value_w, |ui| {
                ui.add(
                    TextEdit::singleline(&mut value)
                        .id(field_id(id_salt, usize::MAX, "value"))
                        .desired_width(value_w)
                        .hint_text(options.value_hint),
                )
                .named(&format!("New {} value", options.row_name.to_lowercase()))
            });
            if !key.is_empty() || !value.is_empty() {
                let typed = if k.changed() { key.chars().count() } else { value.chars().count() };
                rows.push(KeyValue::new(key, value));
                changed = true;
                // Keep typing in the new row's field, cursor after what was typed.
                let target = field_id(id_salt, rows.len() - 1, if k.changed() { "key" } else { "value" });
                let mut state = egui::text_edit::TextEditState::default();
                state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::one(egui::text::CCursor::new(typed))));
                state.store(ui.ctx(), target);
                ui.memory_mut(|m| m.request_focus(target));
            }
            ui.end_row();
        }
    });
    if let Some(i) = remove {
        rows.remove(i);
        changed = true;
    }
    changed
}

fn field_id(table: &str, row: usize, column: &str) -> egui::Id {
    egui::Id::unique((table, row, column))
}

fn bulk_ui(ui: &mut Ui, id_salt: &str, rows: &mut Vec<KeyValue>, text: &mut String) -> bool {
    ui.label(
        egui::RichText::new("One row per line as key:value; start a line with // to disable it.").weak(),
    );
    let response = ui.add(
        TextEdit::multiline(text)
            .id_salt((id_salt, "bulk"))
            .code_editor()
            .desired_rows(8)
            .desired_width(f32::INFINITY),
    );
    if response.changed() {
        *rows = from_bulk(text, rows);
        return true;
    }
    false
}

/// Rows as bulk-edit text.
pub fn to_bulk(rows: &[KeyValue]) -> String {
    rows.iter()
        .map(|r| format!("{}{}:{}", if r.enabled { "" } else { "//" }, r.key, r.value))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Bulk-edit text as rows; descriptions are kept for keys that stay.
pub fn from_bulk(text: &str, old: &[KeyValue]) -> Vec<KeyValue> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (enabled, line) = match line.trim_start().strip_prefix("//") {
                Some(rest) => (false, rest),
                None => (true, line),
            };
            let (key, value) = line.split_once(':').unwrap_or((line, ""));
            let description =
                old.iter().find(|o| o.key == key.trim()).map(|o| o.description.clone()).unwrap_or_default();
            KeyValue {
                key: key.trim().to_owned(),
                value: value.trim_start().to_owned(),
                enabled,
                description,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_round_trip() {
        let rows = vec![
            KeyValue::new("Accept", "application/json").with_description("d"),
            KeyValue::new("X-Off", "1").disabled(),
            KeyValue::new("Auth", "Bearer a:b"),
        ];
        let text = to_bulk(&rows);
        assert_eq!(text, "Accept:application/json\n//X-Off:1\nAuth:Bearer a:b");
        assert_eq!(from_bulk(&text, &rows), rows);
    }
}
