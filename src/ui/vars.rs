//! `{{variables}}` in text fields: resolved ones in one colour with their value and scope on
//! hover (a secret's value masked: it is revealed only where the user reveals it), unresolved
//! ones in red.

use std::collections::HashMap;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Response, TextEdit, Ui};

use super::theme;
use crate::model::{Environment, ItemId, ParentId, Variable, WorkspaceData};

/// The variables visible to one request, narrowest scope first.
#[derive(Default)]
pub struct VarIndex {
    values: HashMap<String, Found>,
}

/// A variable as a field's tooltip describes it.
pub struct Found {
    pub value: String,
    /// Where it comes from: `environment "Local"`, `collection "API"`...
    pub scope: String,
    pub secret: bool,
}

/// What a tooltip shows in place of a secret value.
pub const MASK: &str = "••••••";

impl VarIndex {
    /// Environment, then the folder chain (nearest first), the collection, then globals.
    pub fn build(ws: &WorkspaceData, parent: Option<ParentId>, env: Option<&Environment>) -> Self {
        let mut index = VarIndex::default();
        let mut add = |vars: &[Variable], scope: String| {
            for v in vars.iter().filter(|v| v.enabled && !v.key.is_empty()) {
                index.values.entry(v.key.clone()).or_insert_with(|| Found {
                    value: v.value.clone(),
                    scope: scope.clone(),
                    secret: v.secret,
                });
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

    /// Whether `name` resolves.
    pub fn resolves(&self, name: &str) -> bool {
        name.starts_with('$') || self.values.contains_key(name)
    }

    /// What the tooltip over `{{name}}` says: its value (masked when secret) and its scope.
    pub fn describe(&self, name: &str) -> String {
        if name.starts_with('$') {
            return format!("{{{{{name}}}}} = (generated when sent)\nfrom dynamic variable");
        }
        match self.values.get(name) {
            Some(found) if found.secret => format!(
                "{{{{{name}}}}} = {MASK} (secret)\nfrom {}; reveal it there to see its value",
                found.scope
            ),
            Some(found) => format!("{{{{{name}}}}} = {}\nfrom {}", found.value, found.scope),
            None => format!("{{{{{name}}}}} is not defined in the environment, collection or globals"),
        }
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
        let color = if vars.resolves(name) {
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
            return response.on_hover_text(vars.describe(name));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_value_is_masked_in_its_tooltip() {
        let mut ws = WorkspaceData::new(crate::model::Workspace::new("W"));
        ws.globals.variables.push(Variable::new("token", "s3cret-value").secret());
        ws.globals.variables.push(Variable::new("base", "http://127.0.0.1"));
        let vars = VarIndex::build(&ws, None, None);
        let tip = vars.describe("token");
        assert!(!tip.contains("s3cret-value") && tip.contains(MASK) && tip.contains("globals"), "{tip}");
        assert!(vars.describe("base").contains("http://127.0.0.1"));
    }

    #[test]
    fn finds_references() {
        let refs = references("{{base}}/a/{{ id }}?x={{unclosed");
        let names: Vec<_> = refs.iter().map(|(_, n)| *n).collect();
        assert_eq!(names, vec!["base", "id"]);
        assert_eq!(refs[0].0, 0..8);
    }
}
