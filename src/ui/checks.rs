//! The request editor's Checks section: assertions and captures the runner evaluates after each
//! response, edited as rows (no scripts).

use egui::{RichText, TextEdit, Ui};

use crate::model::{Assertion, Capture, CaptureScope, CaptureSource, Check, Request};

const KINDS: [&str; 13] = [
    "Status equals",
    "Status in range",
    "Header exists",
    "Header equals",
    "Header contains",
    "Body contains",
    "JSON path equals",
    "JSON path exists",
    "JSON path matches",
    "JSON path less than",
    "JSON path greater than",
    "Response time below (ms)",
    "Size below (bytes)",
];

fn kind_of(c: &Check) -> usize {
    match c {
        Check::StatusEquals(_) => 0,
        Check::StatusInRange { .. } => 1,
        Check::HeaderExists(_) => 2,
        Check::HeaderEquals { .. } => 3,
        Check::HeaderContains { .. } => 4,
        Check::BodyContains(_) => 5,
        Check::JsonPathEquals { .. } => 6,
        Check::JsonPathExists(_) => 7,
        Check::JsonPathMatches { .. } => 8,
        Check::JsonPathLess { .. } => 9,
        Check::JsonPathGreater { .. } => 10,
        Check::ResponseTimeBelow { .. } => 11,
        Check::SizeBelow { .. } => 12,
    }
}

/// The text a check keeps when its kind changes (a header name, a JSON path...).
fn main_text(c: &Check) -> String {
    match c {
        Check::HeaderExists(s) | Check::BodyContains(s) | Check::JsonPathExists(s) => s.clone(),
        Check::HeaderEquals { name, .. } | Check::HeaderContains { name, .. } => name.clone(),
        Check::JsonPathEquals { path, .. }
        | Check::JsonPathMatches { path, .. }
        | Check::JsonPathLess { path, .. }
        | Check::JsonPathGreater { path, .. } => path.clone(),
        _ => String::new(),
    }
}

fn with_kind(kind: usize, old: &Check) -> Check {
    let text = main_text(old);
    let path = if text.is_empty() { "$.".to_owned() } else { text.clone() };
    match kind {
        0 => Check::StatusEquals(200),
        1 => Check::StatusInRange { min: 200, max: 299 },
        2 => Check::HeaderExists(text),
        3 => Check::HeaderEquals { name: text, value: String::new() },
        4 => Check::HeaderContains { name: text, value: String::new() },
        5 => Check::BodyContains(text),
        6 => Check::JsonPathEquals { path, value: String::new() },
        7 => Check::JsonPathExists(path),
        8 => Check::JsonPathMatches { path, pattern: String::new() },
        9 => Check::JsonPathLess { path, value: 0.0 },
        10 => Check::JsonPathGreater { path, value: 0.0 },
        11 => Check::ResponseTimeBelow { ms: 1000 },
        _ => Check::SizeBelow { bytes: 1_000_000 },
    }
}

fn field(ui: &mut Ui, text: &mut String, hint: &str, width: f32) -> bool {
    ui.add(TextEdit::singleline(text).hint_text(hint).desired_width(width)).changed()
}

fn check_fields(ui: &mut Ui, c: &mut Check) -> bool {
    match c {
        Check::StatusEquals(code) => ui.add(egui::DragValue::new(code).range(100..=599)).changed(),
        Check::StatusInRange { min, max } => {
            let a = ui.add(egui::DragValue::new(min).range(100..=599)).changed();
            ui.label("to");
            a | ui.add(egui::DragValue::new(max).range(100..=599)).changed()
        }
        Check::HeaderExists(name) => field(ui, name, "Header name", 200.0),
        Check::HeaderEquals { name, value } | Check::HeaderContains { name, value } => {
            field(ui, name, "Header name", 160.0) | field(ui, value, "Value", 200.0)
        }
        Check::BodyContains(text) => field(ui, text, "Text", 260.0),
        Check::JsonPathExists(path) => field(ui, path, "$.data[0].id", 220.0),
        Check::JsonPathEquals { path, value } => {
            field(ui, path, "$.data[0].id", 200.0) | field(ui, value, "JSON value: 7, \"text\", true", 200.0)
        }
        Check::JsonPathMatches { path, pattern } => {
            field(ui, path, "$.data[0].id", 200.0) | field(ui, pattern, "Regular expression", 200.0)
        }
        Check::JsonPathLess { path, value } | Check::JsonPathGreater { path, value } => {
            field(ui, path, "$.data[0].id", 200.0) | ui.add(egui::DragValue::new(value).speed(1.0)).changed()
        }
        Check::ResponseTimeBelow { ms } => ui.add(egui::DragValue::new(ms).range(1..=3_600_000)).changed(),
        Check::SizeBelow { bytes } => ui.add(egui::DragValue::new(bytes).range(1..=u64::MAX)).changed(),
    }
}

const SOURCES: [&str; 4] = ["JSON path", "Header", "Body regex", "Status"];

fn source_kind(s: &CaptureSource) -> usize {
    match s {
        CaptureSource::JsonPath(_) => 0,
        CaptureSource::Header(_) => 1,
        CaptureSource::BodyRegex(_) => 2,
        CaptureSource::Status => 3,
    }
}

fn source_text(s: &mut CaptureSource) -> Option<&mut String> {
    match s {
        CaptureSource::JsonPath(t) | CaptureSource::Header(t) | CaptureSource::BodyRegex(t) => Some(t),
        CaptureSource::Status => None,
    }
}

/// The Checks section; returns whether anything changed.
pub fn checks_ui(ui: &mut Ui, id: u64, request: &mut Request) -> bool {
    let mut changed = false;
    ui.label(
        RichText::new(
            "Assertions are checked after every response in a run; captures set variables for the requests after it. Values may use {{variables}}.",
        )
        .weak(),
    );
    ui.add_space(4.0);
    ui.strong("Assertions");
    let mut remove = None;
    for (i, a) in request.assertions.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            changed |= ui.checkbox(&mut a.enabled, "").changed();
            let mut kind = kind_of(&a.check);
            egui::ComboBox::from_id_salt(("check-kind", id, i))
                .width(190.0)
                .selected_text(KINDS[kind])
                .show_ui(ui, |ui| {
                    for (k, label) in KINDS.iter().enumerate() {
                        ui.selectable_value(&mut kind, k, *label);
                    }
                });
            if kind != kind_of(&a.check) {
                a.check = with_kind(kind, &a.check);
                changed = true;
            }
            changed |= check_fields(ui, &mut a.check);
            if ui.small_button("✖").on_hover_text("Remove").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        request.assertions.remove(i);
        changed = true;
    }
    if ui.button("+ Add assertion").clicked() {
        request.assertions.push(Assertion::new(Check::StatusEquals(200)));
        changed = true;
    }
    ui.add_space(8.0);
    ui.strong("Captures");
    let mut remove = None;
    for (i, c) in request.captures.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            changed |= ui.checkbox(&mut c.enabled, "").changed();
            ui.label("Set");
            changed |= field(ui, &mut c.variable, "variable", 120.0);
            ui.label("in");
            egui::ComboBox::from_id_salt(("capture-scope", id, i)).selected_text(c.scope.label()).show_ui(
                ui,
                |ui| {
                    for scope in [CaptureScope::Runtime, CaptureScope::Environment, CaptureScope::Collection]
                    {
                        changed |= ui.selectable_value(&mut c.scope, scope, scope.label()).changed();
                    }
                },
            );
            ui.label("from");
            let mut kind = source_kind(&c.source);
            egui::ComboBox::from_id_salt(("capture-source", id, i)).selected_text(SOURCES[kind]).show_ui(
                ui,
                |ui| {
                    for (k, label) in SOURCES.iter().enumerate() {
                        ui.selectable_value(&mut kind, k, *label);
                    }
                },
            );
            if kind != source_kind(&c.source) {
                let text = source_text(&mut c.source).map(|t| t.clone()).unwrap_or_default();
                c.source = match kind {
                    0 => CaptureSource::JsonPath(if text.is_empty() { "$.".into() } else { text }),
                    1 => CaptureSource::Header(text),
                    2 => CaptureSource::BodyRegex(text),
                    _ => CaptureSource::Status,
                };
                changed = true;
            }
            let hint = match kind {
                0 => "$.token",
                1 => "Header name",
                _ => "Regex; group 1 is taken",
            };
            if let Some(text) = source_text(&mut c.source) {
                changed |= field(ui, text, hint, 200.0);
            }
            if ui.small_button("✖").on_hover_text("Remove").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        request.captures.remove(i);
        changed = true;
    }
    if ui.button("+ Add capture").clicked() {
        request.captures.push(Capture {
            enabled: true,
            variable: String::new(),
            scope: CaptureScope::Runtime,
            source: CaptureSource::JsonPath("$.".into()),
        });
        changed = true;
    }
    changed
}
