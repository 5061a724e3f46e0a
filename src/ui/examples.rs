//! Saved examples in the editor: an example's tab (its request on top, its response below,
//! read-only until Edit; then every field editable and Save writes it), and the "Examples (N)"
//! menu of a request's editor.

use egui::{RichText, TextEdit, Ui};

use super::{Named, response, theme};
use crate::app::command::Command;
use crate::app::examples::{
    ExampleCommand, ExampleFields, ExampleRequestSection, ExampleResponseSection, ExampleTab,
};
use crate::app::state::TabId;
use crate::model::*;

/// An example's tab.
pub fn example_tab_ui(
    ui: &mut Ui,
    tab_id: TabId,
    tab: &mut ExampleTab,
    ws: &WorkspaceData,
    out: &mut Vec<Command>,
) {
    let gone = ws.example(tab.request, tab.example()).is_none();
    let request_name = ws.requests.get(&tab.request).map(|r| r.name.clone());
    let mut changed = header_ui(ui, tab_id, tab, request_name.as_deref(), gone, out);
    if gone {
        ui.label(
            RichText::new(
                "This example was deleted. The tab shows what it held; \"Try this example\" keeps its request.",
            )
            .color(theme::error_color(ui.visuals())),
        );
    }
    ui.separator();
    let available = ui.available_height();
    egui::Panel::top(("example-request", tab_id.0))
        .resizable(true)
        .default_size(available * 0.4)
        .size_range(100.0..=(available - 80.0).max(101.0))
        .show(ui, |ui| {
            ui.set_min_height(ui.available_height());
            changed |= request_ui(ui, tab_id, tab);
        });
    egui::CentralPanel::default().show(ui, |ui| changed |= response_ui(ui, tab_id, tab, out));
    if changed {
        out.push(Command::Example(ExampleCommand::Edited(tab_id)));
    }
}

/// Where the example belongs, its name, and what can be done with it.
fn header_ui(
    ui: &mut Ui,
    tab_id: TabId,
    tab: &mut ExampleTab,
    request_name: Option<&str>,
    gone: bool,
    out: &mut Vec<Command>,
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        if let Some(name) = request_name {
            ui.label(RichText::new(format!("{name} /")).weak());
        }
        ui.label(RichText::new("e.g.").small().weak()).on_hover_text("A saved example");
        match &mut tab.editing {
            Some(fields) => {
                let name = TextEdit::singleline(&mut fields.name).desired_width(ui.available_width() * 0.4);
                changed |= ui.add(name).named("Example name").changed();
            }
            None => {
                ui.label(RichText::new(&tab.saved.name).strong());
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            match &tab.editing {
                Some(fields) => {
                    let problem = fields.problem();
                    let save = ui.add_enabled(!gone && problem.is_none(), egui::Button::new("Save"));
                    let save = match problem {
                        Some(p) => save.on_disabled_hover_text(p),
                        None => save.on_hover_text("Save the example (Ctrl+S)"),
                    };
                    if save.clicked() {
                        out.push(Command::Example(ExampleCommand::Save(tab_id)));
                    }
                    if ui.button("Cancel").on_hover_text("Drop the edits").clicked() {
                        out.push(Command::Example(ExampleCommand::CancelEdit(tab_id)));
                    }
                    if tab.dirty {
                        ui.label(RichText::new("edited").weak());
                    }
                }
                None => {
                    if ui.add_enabled(!gone, egui::Button::new("✏ Edit")).clicked() {
                        out.push(Command::Example(ExampleCommand::Edit(tab_id)));
                    }
                    ui.label(RichText::new("read-only").weak());
                }
            }
            if ui
                .button("▶ Try this example")
                .on_hover_text("Open its request in a new tab, ready to send")
                .clicked()
            {
                out.push(Command::Example(ExampleCommand::TryTab(tab_id)));
            }
        });
    });
    changed
}

/// The example's request: method and URL, then its headers or body. Returns whether a field
/// was edited.
fn request_ui(ui: &mut Ui, tab_id: TabId, tab: &mut ExampleTab) -> bool {
    let mut changed = false;
    ui.label(RichText::new("Request").strong());
    let saved = &tab.saved.request;
    match &mut tab.editing {
        Some(fields) => {
            ui.horizontal(|ui| {
                let method = TextEdit::singleline(&mut fields.method)
                    .desired_width(80.0)
                    .font(egui::TextStyle::Monospace);
                changed |= ui.add(method).named("Example method").changed();
                let url = TextEdit::singleline(&mut fields.url)
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Monospace);
                changed |= ui.add(url).named("Example URL").changed();
            });
        }
        None => {
            ui.horizontal(|ui| {
                let method = Method::parse(&saved.method);
                let color = theme::method_color(&method, ui.visuals());
                ui.label(RichText::new(method.as_str()).monospace().color(color));
                ui.add(egui::Label::new(RichText::new(&saved.url).monospace()).truncate())
                    .on_hover_text(&saved.url);
            });
        }
    }
    let headers = tab.editing.as_ref().map_or(saved.headers.len(), |f| f.request_headers.len());
    ui.horizontal(|ui| {
        let s = &mut tab.request_section;
        ui.selectable_value(s, ExampleRequestSection::Headers, format!("Headers ({headers})"));
        ui.selectable_value(s, ExampleRequestSection::Body, "Body");
    });
    let id = ("example-request", tab_id.0);
    egui::ScrollArea::vertical().id_salt(id).auto_shrink([false, false]).show(ui, |ui| {
        match (tab.request_section, &mut tab.editing) {
            (ExampleRequestSection::Headers, Some(fields)) => {
                changed |= headers_edit_ui(ui, "example-request-headers", &mut fields.request_headers);
            }
            (ExampleRequestSection::Headers, None) => {
                headers_view_ui(ui, "example-request-headers", &saved.headers);
            }
            (ExampleRequestSection::Body, Some(ExampleFields { request_body: Some(body), .. })) => {
                changed |= body_edit_ui(ui, "Example request body", body);
            }
            (ExampleRequestSection::Body, _) => request_body_view_ui(ui, saved),
        }
    });
    changed
}

fn request_body_view_ui(ui: &mut Ui, sent: &SentRequest) {
    match &sent.body {
        Some(StoredBody::Text(text)) if !text.is_empty() => {
            ui.add(egui::Label::new(RichText::new(text).monospace()).selectable(true));
        }
        Some(body @ StoredBody::Base64(_)) => {
            ui.label(
                RichText::new(format!(
                    "A binary body of {}.",
                    response::format_size(body.len_bytes() as u64)
                ))
                .weak(),
            );
        }
        _ if !sent.body_summary.is_empty() => {
            ui.label(RichText::new(&sent.body_summary).weak());
        }
        _ => {
            ui.label(RichText::new("The request has no body.").weak());
        }
    }
}

/// The example's response: status, then its body (the response views) or headers.
fn response_ui(ui: &mut Ui, tab_id: TabId, tab: &mut ExampleTab, out: &mut Vec<Command>) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new("Response").strong());
        match &mut tab.editing {
            Some(fields) => {
                ui.label("Status");
                let status = TextEdit::singleline(&mut fields.status).desired_width(44.0);
                changed |= ui.add(status).named("Example status").changed();
                let reason =
                    TextEdit::singleline(&mut fields.reason).hint_text("reason").desired_width(140.0);
                changed |= ui.add(reason).named("Example reason").changed();
            }
            None => {
                let r = &tab.saved.response;
                let color = theme::status_color(r.status, ui.visuals());
                ui.label(RichText::new(format!("{} {}", r.status, r.reason)).color(color).strong());
                if r.time_ms > 0 {
                    ui.label(RichText::new(format!("{} ms", r.time_ms)).weak());
                }
                ui.label(RichText::new(response::format_size(r.size_bytes)).weak());
                if ui.button("Copy").on_hover_text("Copy the whole body").clicked() {
                    out.push(Command::CopyToClipboard(String::from_utf8_lossy(&tab.view.body).into_owned()));
                }
            }
        }
    });
    let headers = tab.editing.as_ref().map_or(tab.saved.response.headers.len(), |f| f.response_headers.len());
    ui.horizontal(|ui| {
        let s = &mut tab.response_section;
        ui.selectable_value(s, ExampleResponseSection::Body, "Body");
        ui.selectable_value(s, ExampleResponseSection::Headers, format!("Headers ({headers})"));
    });
    ui.separator();
    match (tab.response_section, &mut tab.editing) {
        (ExampleResponseSection::Body, None) => response::body_ui(ui, tab_id, &mut tab.view, out),
        (ExampleResponseSection::Body, Some(ExampleFields { response_body: Some(body), .. })) => {
            egui::ScrollArea::vertical().id_salt(("example-response-body", tab_id.0)).show(ui, |ui| {
                changed |= body_edit_ui(ui, "Example response body", body);
            });
        }
        (ExampleResponseSection::Body, Some(_)) => {
            ui.label(RichText::new("The body is not text; it is kept as it is.").weak());
        }
        (ExampleResponseSection::Headers, None) => response::headers_ui(ui, &tab.view),
        (ExampleResponseSection::Headers, Some(fields)) => {
            egui::ScrollArea::vertical().id_salt(("example-response-headers", tab_id.0)).show(ui, |ui| {
                changed |= headers_edit_ui(ui, "example-response-headers", &mut fields.response_headers);
            });
        }
    }
    changed
}

fn headers_view_ui(ui: &mut Ui, id: &str, headers: &[Header]) {
    if headers.is_empty() {
        ui.label(RichText::new("No headers.").weak());
        return;
    }
    egui::Grid::new(id).num_columns(2).striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
        for h in headers {
            ui.label(&h.name);
            ui.add(egui::Label::new(&h.value).wrap());
            ui.end_row();
        }
    });
}

/// Name and value fields per header, a ✖ to remove one and a button to add one.
fn headers_edit_ui(ui: &mut Ui, id: &str, headers: &mut Vec<Header>) -> bool {
    let mut changed = false;
    let mut remove = None;
    for (i, h) in headers.iter_mut().enumerate() {
        ui.push_id((id, i), |ui| {
            ui.horizontal(|ui| {
                let name = TextEdit::singleline(&mut h.name).hint_text("Name").desired_width(220.0);
                changed |= ui.add(name).named(&format!("Header name {}", i + 1)).changed();
                let width = (ui.available_width() - 48.0).max(80.0);
                let value = TextEdit::singleline(&mut h.value).hint_text("Value");
                let height = ui.spacing().interact_size.y;
                changed |=
                    ui.add_sized([width, height], value).named(&format!("Header value {}", i + 1)).changed();
                if ui.small_button("✖").on_hover_text("Remove the header").clicked() {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        headers.remove(i);
        changed = true;
    }
    if ui.button("+ Add header").clicked() {
        headers.push(Header::new("", ""));
        changed = true;
    }
    changed
}

fn body_edit_ui(ui: &mut Ui, name: &str, body: &mut String) -> bool {
    let edit = TextEdit::multiline(body).code_editor().desired_rows(8).desired_width(f32::INFINITY);
    ui.add(edit).named(name).changed()
}

/// "Examples (N)" beside a saved request's name: its examples, each a click away.
pub fn examples_menu_ui(ui: &mut Ui, request: &Request, out: &mut Vec<Command>) {
    let n = request.examples.len();
    if n == 0 {
        return;
    }
    ui.menu_button(format!("Examples ({n}) ⏷"), |ui| {
        let row_height = ui.spacing().interact_size.y;
        ui.set_min_width(280.0);
        egui::ScrollArea::vertical().max_height(360.0).show_rows(ui, row_height, n, |ui, range| {
            for e in &request.examples[range] {
                ui.horizontal(|ui| {
                    let color = theme::status_color(e.response.status, ui.visuals());
                    ui.add_sized(
                        [36.0, 16.0],
                        egui::Label::new(
                            RichText::new(e.response.status.to_string()).small().strong().color(color),
                        ),
                    );
                    if ui.add(egui::Button::new(&e.name).frame(false).truncate()).clicked() {
                        out.push(Command::Example(ExampleCommand::Open(request.id, e.id)));
                        ui.close();
                    }
                });
            }
        });
    })
    .response
    .on_hover_text("Saved examples of this request: open one to see its request and response");
}
