//! `{{variables}}` in text fields: resolved ones in one colour with their value and scope on
//! hover, unresolved ones in red.

use std::collections::HashMap;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Response, TextEdit, Ui};

use super::theme;
use crate::model::{Environment, ItemId, ParentId, Variable, WorkspaceData};

/// The variables visible to one request, narrowest scope first.
#[derive(Default)]
pub struct VarIndex {
    values: HashMap<String, (String, String)>,
}

impl VarIndex {
    /// Environment, then the folder chain (nearest first), the collection, then globals.
    pub fn build(ws: &WorkspaceData, parent: Option<ParentId>, env: Option<&Environment>) -> Self {
        let mut index = VarIndex::default();
        let mut add = |vars: &[Variable], scope: String| {
            for v in vars.iter().filter(|v| v.enabled && !v.key.is_empty()) {
                index.values.entry(v.key.clone()).or_insert_with(|| (v.value.clone(), scope.clone()));
            }
        };
        if let Some(env) = env {
            add(&env.variables, format!("environment \"{}\"", env.name));
        }
        if let Some(parent) = parent {
            let mut chain = vec![parent];
            let item = match parent {
                ParentId::Folder(f) => Some(ItemId::Folder(f)),
                ParentId::Collection(_) => None,
            };
            if let Some(item) = item {
                chain.extend(ws.ancestors(item));
            }
            for p in chain {
                match p {
                    ParentId::Folder(f) => {
                        if let Some(f) = ws.folders.get(&f) {
                            add(&f.variables, format!("folder \"{}\"", f.name));
                        }
                    }
                    ParentId::Collection(c) => {
                        if let Some(c) = ws.collections.get(&c) {
                            add(&c.variables, format!("collection \"{}\"", c.name));
                        }
                    }
                }
            }
        }
        add(&ws.globals.variables, "globals".to_owned());
        index
    }

    /// The value and the scope it comes from.
    pub fn lookup(&self, name: &str) -> Option<(&str, &str)> {
        if name.starts_with('$') {
            return Some(("(generated when sent)", "dynamic variable"));
        }
        self.values.get(name).map(|(v, s)| (v.as_str(), s.as_str()))
    }
}

/// Every `{{name}}` in `text`: byte range of the whole reference and the name.
pub fn references(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| i + from) {
        let Some(end) = text[start + 2..].find("}}").map(|i| i + start + 2) else { break };
        let name = text[start + 2..end].trim();
        if !name.is_empty() && !name.contains("{{") {
            out.push((start..end + 2, name));
        }
        from = end + 2;
    }
    out
}

fn layout_job(ui: &Ui, text: &str, vars: &VarIndex, wrap_width: f32, multiline: bool) -> LayoutJob {
    let style = ui.style();
    let font_id = if multiline { egui::TextStyle::Monospace } else { egui::TextStyle::Body }.resolve(style);
    let normal = TextFormat::simple(font_id.clone(), style.visuals.text_color());
    let mut job = LayoutJob::default();
    let mut at = 0;
    for (range, name) in references(text) {
        job.append(&text[at..range.start], 0.0, normal.clone());
        let color = if vars.lookup(name).is_some() {
            theme::variable_color(&style.visuals)
        } else {
            theme::unresolved_color(&style.visuals)
        };
        job.append(&text[range.clone()], 0.0, TextFormat::simple(font_id.clone(), color));
        at = range.end;
    }
    job.append(&text[at..], 0.0, normal);
    job.wrap.max_width = if multiline { wrap_width } else { f32::INFINITY };
    job
}

/// A text field that highlights variables and explains them on hover. `configure` sets the
/// field's width, hint, id...
pub fn var_text_edit(
    ui: &mut Ui,
    text: &mut String,
    vars: &VarIndex,
    multiline: bool,
    configure: impl for<'t> FnOnce(TextEdit<'t>) -> TextEdit<'t>,
) -> Response {
    let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| -> Arc<egui::Galley> {
        let job = layout_job(ui, buf.as_str(), vars, wrap_width, multiline);
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let edit = if multiline { TextEdit::multiline(text) } else { TextEdit::singleline(text) };
    let output = configure(edit).layouter(&mut layouter).show(ui);
    let response = output.response.response.clone();
    if let Some(pos) = response.hover_pos() {
        let cursor = output.galley.cursor_from_pos(pos - output.galley_pos);
        let byte = text.char_indices().nth(cursor.index.into()).map_or(text.len(), |(b, _)| b);
        if let Some((_, name)) = references(text).into_iter().find(|(r, _)| r.start <= byte && byte < r.end) {
            let tip = match vars.lookup(name) {
                Some((value, scope)) => format!("{{{{{name}}}}} = {value}\nfrom {scope}"),
                None => format!("{{{{{name}}}}} is not defined in the environment, collection or globals"),
            };
            return response.on_hover_text(tip);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references() {
        let refs = references("{{base}}/a/{{ id }}?x={{unclosed");
        let names: Vec<_> = refs.iter().map(|(_, n)| *n).collect();
        assert_eq!(names, vec!["base", "id"]);
        assert_eq!(refs[0].0, 0..8);
    }
}
