//! A runner result opened under the results table: where it comes from, its outcome, and the
//! response's Body, Headers, Cookies and Tests with the request as sent, drawn with the response
//! panel's own views.

use egui::{RichText, Ui};

use super::{Named, response, theme};
use crate::app::command::Command;
use crate::app::run_detail::{DetailContent, DetailSection, RunDetail, RunResultCommand, failed_cap_note};
use crate::app::state::TabId;
use crate::model::{AssertionOutcome, RequestOutcome, SentRequest, WorkspaceData};

/// Splits the space left between the results (above) and the opened result (below), with a
/// handle between them the user drags; returns the two rects. The caller draws into each and
/// then advances past both.
pub fn split_ui(ui: &mut Ui, tab: TabId, share: &mut f32) -> (egui::Rect, egui::Rect) {
    const HANDLE: f32 = 8.0;
    let whole = ui.available_rect_before_wrap();
    let height = whole.height().max(1.0);
    let detail = (height * *share).clamp(140.0_f32.min(height * 0.8), (height - 90.0).max(height * 0.2));
    let bottom = whole.max.y;
    let handle = egui::Rect::from_x_y_ranges(whole.x_range(), (bottom - detail - HANDLE)..=(bottom - detail));
    let drag = ui
        .interact(handle, egui::Id::unique(("run-detail-split", tab.0)), egui::Sense::drag())
        .on_hover_cursor(egui::CursorIcon::ResizeVertical);
    if drag.dragged() {
        *share = ((detail - drag.drag_delta().y) / height).clamp(0.15, 0.9);
    }
    let stroke = if drag.hovered() || drag.dragged() {
        ui.visuals().widgets.hovered.fg_stroke
    } else {
        ui.visuals().widgets.noninteractive.bg_stroke
    };
    ui.painter().hline(whole.x_range(), handle.center().y, stroke);
    let table = egui::Rect::from_x_y_ranges(whole.x_range(), whole.min.y..=handle.min.y);
    let below = egui::Rect::from_x_y_ranges(whole.x_range(), handle.max.y..=bottom);
    (table, below)
}

/// The opened result: a header (what and where from, Close) and its sections.
pub fn run_detail_ui(ui: &mut Ui, tab: TabId, d: &mut RunDetail, ws: &WorkspaceData, out: &mut Vec<Command>) {
    header_ui(ui, tab, d, ws, out);
    let (headers, cookies) = match &d.content {
        DetailContent::Kept { response: Some(r), .. } => {
            (Some(r.headers.len()), Some(crate::app::cookies::set_cookie::set_cookie_count(&r.headers)))
        }
        _ => (None, None),
    };
    let tests = &d.outcome.assertions;
    let held = tests.iter().filter(|a| a.passed && !a.skipped).count();
    let counted = tests.iter().filter(|a| !a.skipped).count();
    ui.horizontal(|ui| {
        let sections = [
            (DetailSection::Body, RichText::new("Body")),
            (
                DetailSection::Headers,
                RichText::new(headers.map_or("Headers".into(), |n| format!("Headers ({n})"))),
            ),
            (
                DetailSection::Cookies,
                RichText::new(
                    cookies.filter(|n| *n > 0).map_or("Cookies".into(), |n| format!("Cookies ({n})")),
                ),
            ),
            (DetailSection::Tests, {
                let text = RichText::new(format!("Tests ({held}/{counted})"));
                if held < counted { text.color(theme::error_color(ui.visuals())) } else { text }
            }),
            (DetailSection::Request, RichText::new("Request sent")),
        ];
        for (section, label) in sections {
            ui.selectable_value(&mut d.section, section, label);
        }
    });
    ui.separator();
    if d.section == DetailSection::Tests {
        egui::ScrollArea::vertical()
            .id_salt(("run-detail-tests", tab.0))
            .auto_shrink([false, false])
            .show(ui, |ui| tests_ui(ui, &d.outcome));
        return;
    }
    match &mut d.content {
        DetailContent::Loading(_) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading the kept response…");
            });
        }
        DetailContent::NotKept(why) => {
            if d.section == DetailSection::Request {
                sent_line_ui(ui, &d.outcome.method, &d.outcome.url);
            }
            ui.label(RichText::new(why.as_str()).weak());
        }
        DetailContent::Unreadable(why) => {
            ui.label(RichText::new(why.as_str()).color(theme::error_color(ui.visuals())));
        }
        DetailContent::Kept { sent, sent_body, response, note } => match (d.section, response) {
            (DetailSection::Request, _) => {
                egui::ScrollArea::vertical()
                    .id_salt(("run-detail-sent", tab.0))
                    .auto_shrink([false, false])
                    .show(ui, |ui| sent_ui(ui, sent, sent_body.as_deref()));
            }
            (_, None) => {
                let why = d.outcome.error.as_deref().unwrap_or("no response");
                ui.label(
                    RichText::new(format!("No response came: {why}")).color(theme::error_color(ui.visuals())),
                );
                ui.label(RichText::new("The request as sent is under \"Request sent\".").weak());
            }
            (DetailSection::Body, Some(r)) => {
                if !note.is_empty() {
                    let text =
                        if r.body_truncated { format!("{note} {}", failed_cap_note()) } else { note.clone() };
                    ui.label(RichText::new(text).weak().italics());
                }
                response::body_ui(ui, tab, r, out);
            }
            (DetailSection::Headers, Some(r)) => response::headers_ui(ui, r),
            (DetailSection::Cookies, Some(r)) => super::cookies::response_cookies_ui(ui, r, out),
            (DetailSection::Tests, Some(_)) => {}
        },
    }
}

/// Close, the outcome's mark, method and name, where it comes from, and its status line.
fn header_ui(ui: &mut Ui, tab: TabId, d: &RunDetail, ws: &WorkspaceData, out: &mut Vec<Command>) {
    let o = &d.outcome;
    ui.horizontal(|ui| {
        if ui.button("✖").named("Close the result").on_hover_text("Close the result").clicked() {
            out.push(Command::RunResult(RunResultCommand::Close(tab)));
        }
        mark_ui(ui, o);
        let method = crate::model::Method::parse(&o.method);
        ui.label(
            RichText::new(&o.method).monospace().strong().color(theme::method_color(&method, ui.visuals())),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(id) = o.request.filter(|id| ws.requests.contains_key(id))
                && ui.button("Open request").on_hover_text("Open the saved request in a tab").clicked()
            {
                out.push(Command::OpenRequest(id));
            }
            // The name and where it comes from take what the button leaves, cut if need be.
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.add(egui::Label::new(RichText::new(&o.name).strong()).truncate()).on_hover_text(&o.name);
                ui.add(egui::Label::new(RichText::new(&d.origin).weak()).truncate()).on_hover_text(&d.origin);
            });
        });
    });
    ui.horizontal(|ui| {
        match o.status {
            Some(status) => {
                let reason = match &d.content {
                    DetailContent::Kept { response: Some(r), .. } => r.reason.clone(),
                    _ => String::new(),
                };
                let color = theme::status_color(status, ui.visuals());
                ui.label(RichText::new(format!("{status} {reason}").trim().to_owned()).color(color).strong());
                ui.label(RichText::new(format!("{} ms", o.time_ms)).strong());
                ui.label(RichText::new(response::format_size(o.size_bytes)).strong());
            }
            None => {
                ui.label(RichText::new("No response").strong().color(theme::error_color(ui.visuals())));
            }
        }
        if let Some(e) = &o.error {
            ui.add(egui::Label::new(RichText::new(e).color(theme::error_color(ui.visuals()))).truncate())
                .on_hover_text(e);
        }
    });
}

/// ✔ or ✖ in the outcome's colour.
pub fn mark_ui(ui: &mut Ui, o: &RequestOutcome) {
    let (mark, color) = if o.passed() {
        ("✔", theme::ok_color(ui.visuals()))
    } else {
        ("✖", theme::error_color(ui.visuals()))
    };
    ui.label(RichText::new(mark).color(color));
}

/// The outcome's assertions and tests, one a line, and the request's error.
fn tests_ui(ui: &mut Ui, o: &RequestOutcome) {
    if let Some(e) = &o.error {
        ui.label(RichText::new(format!("✖ {e}")).color(theme::error_color(ui.visuals())));
    }
    if o.assertions.is_empty() {
        ui.label(RichText::new("The request has no assertions or tests.").weak());
    }
    assertions_ui(ui, &o.assertions);
}

/// Each assertion with its mark: passed, failed (with why), or skipped.
pub fn assertions_ui(ui: &mut Ui, assertions: &[AssertionOutcome]) {
    for a in assertions {
        let (text, color) = if a.skipped {
            let why = if a.message.is_empty() { String::new() } else { format!(": {}", a.message) };
            (format!("- skipped {}{why}", a.name), theme::skipped_color(ui.visuals()))
        } else if a.passed {
            (format!("✔ {}", a.name), theme::ok_color(ui.visuals()))
        } else {
            (format!("✖ {}: {}", a.name, a.message), theme::error_color(ui.visuals()))
        };
        ui.label(RichText::new(text).color(color));
    }
}

fn sent_line_ui(ui: &mut Ui, method: &str, url: &str) {
    ui.add(egui::Label::new(RichText::new(format!("{method} {url}")).monospace()).wrap());
}

/// The request as sent: method and URL, headers, body.
fn sent_ui(ui: &mut Ui, sent: &SentRequest, body: Option<&str>) {
    sent_line_ui(ui, &sent.method, &sent.url);
    ui.add_space(6.0);
    ui.strong(format!("Headers ({})", sent.headers.len()));
    egui::Grid::new("run-detail-sent-headers").num_columns(2).striped(true).show(ui, |ui| {
        for h in &sent.headers {
            ui.label(RichText::new(&h.name).monospace());
            ui.add(egui::Label::new(RichText::new(&h.value).monospace()).wrap());
            ui.end_row();
        }
    });
    ui.add_space(6.0);
    ui.strong("Body");
    match body {
        Some(text) => {
            ui.add(egui::Label::new(RichText::new(text).monospace()).wrap());
            if sent.body_truncated {
                ui.label(
                    RichText::new(format!(
                        "Cut when the run kept it ({} in all).",
                        response::format_size(sent.body_size_bytes)
                    ))
                    .weak()
                    .italics(),
                );
            }
        }
        None if !sent.body_summary.is_empty() => {
            ui.label(RichText::new(&sent.body_summary).weak());
        }
        None => {
            ui.label(RichText::new("No body.").weak());
        }
    }
}
