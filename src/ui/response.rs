//! The response panel: status, time and size; Body (pretty, raw, hex, preview, find), Headers,
//! Cookies, Test results, Timeline; copy, save to a file, save as example. Only visible rows are
//! laid out.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, RichText, Ui};

use super::{Named, theme};
use crate::app::body::TextDoc;
use crate::app::command::Command;
pub use crate::app::response::format_size;
use crate::app::response::{BodyKind, BodyMode, BodyView, ResponseOrigin, ResponseView};
use crate::app::scripts::{ScriptReport, TestFilter};
use crate::app::state::{RequestTab, ResponseSection, TabId};
use crate::script::TestStatus;

pub fn response_ui(ui: &mut Ui, tab_id: TabId, tab: &mut RequestTab, out: &mut Vec<Command>) {
    if super::sse::live_events_ui(ui, tab_id, tab, out) {
        return;
    }
    if let Some(in_flight) = &tab.in_flight {
        if super::live_body::live_body_ui(ui, tab_id, in_flight, out) {
            return;
        }
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.spinner();
            ui.label(format!(
                "{} {:.1} s",
                in_flight.phase().label(),
                in_flight.started.elapsed().as_secs_f32()
            ));
            if ui.button("Cancel").clicked() {
                out.push(Command::Cancel(tab_id));
            }
        });
        return;
    }
    let skipped = tab.scripts.as_ref().is_some_and(|s| s.skipped_request);
    // Without a response, the scripts' results stand alone: tests that ran on no response, or
    // errors the message above does not already give.
    let results_alone = tab.response.is_none()
        && tab
            .scripts
            .as_ref()
            .is_some_and(|s| !s.tests.is_empty() || (!s.errors.is_empty() && tab.error.is_none()));
    if skipped {
        ui.add_space(8.0);
        ui.label(RichText::new("Not sent").strong());
        ui.label("A pre-request script skipped this request (pm.execution.skipRequest()).");
        if !results_alone {
            return;
        }
        ui.separator();
    } else if let Some(error) = &tab.error {
        ui.add_space(8.0);
        if error == crate::app::send::CANCELLED {
            ui.label(RichText::new("Cancelled").strong());
            ui.label("The request was cancelled before its response arrived.");
        } else {
            ui.label(
                RichText::new("Could not send the request").strong().color(theme::error_color(ui.visuals())),
            );
            ui.label(error);
        }
        if tab.response.is_none() && !results_alone {
            return;
        }
        if tab.response.is_some() {
            ui.label(RichText::new("Below: the response to the previous send.").weak().italics());
        }
        ui.separator();
    }
    let Some(response) = &mut tab.response else {
        if let Some(report) = tab.scripts.as_ref().filter(|_| results_alone) {
            // No response, but the scripts ran (on no response): their results.
            ui.strong(tests_title(report));
            test_results_ui(ui, report, &mut tab.test_filter);
            return;
        }
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.label(RichText::new("Enter the URL and click Send to get a response").weak());
        });
        return;
    };
    summary_ui(ui, tab_id, response, out);
    ui.horizontal(|ui| {
        let cookies = crate::app::cookies::set_cookie::set_cookie_count(&response.headers);
        super::sse::events_tab_ui(ui, tab.sse.as_ref(), &mut tab.response_section);
        for (section, label) in [
            (ResponseSection::Body, "Body".to_owned()),
            (ResponseSection::Headers, format!("Headers ({})", response.headers.len())),
            (
                ResponseSection::Cookies,
                if cookies > 0 { format!("Cookies ({cookies})") } else { "Cookies".to_owned() },
            ),
            (
                ResponseSection::Tests,
                tab.scripts.as_ref().map_or_else(|| "Test results".to_owned(), tests_title),
            ),
            (ResponseSection::Timeline, "Timeline".to_owned()),
        ] {
            let label = match (section, &tab.scripts) {
                (ResponseSection::Tests, Some(report))
                    if report.count(TestStatus::Failed) > 0 || !report.errors.is_empty() =>
                {
                    RichText::new(label).color(theme::error_color(ui.visuals()))
                }
                _ => RichText::new(label),
            };
            ui.selectable_value(&mut tab.response_section, section, label);
        }
    });
    ui.separator();
    match tab.response_section {
        ResponseSection::Body => {
            // The filter typed in this tab applies to its next responses too.
            let view = &mut response.body_view;
            if !view.filter_seeded {
                view.filter_query.clone_from(&tab.body_filter);
                view.filter_seeded = true;
            }
            body_ui(ui, tab_id, response, out);
            if tab.body_filter != response.body_view.filter_query {
                tab.body_filter.clone_from(&response.body_view.filter_query);
            }
        }
        ResponseSection::Headers => headers_ui(ui, response),
        ResponseSection::Cookies => super::cookies::response_cookies_ui(ui, response, out),
        ResponseSection::Tests => tests_section_ui(ui, tab.scripts.as_ref(), &mut tab.test_filter),
        ResponseSection::Timeline => timeline_ui(ui, tab_id, response),
        ResponseSection::Events => super::sse::closed_events_ui(ui, tab_id, tab.sse.as_mut(), out),
    }
}

/// The Test results section: what the test scripts reported, or how to write some.
fn tests_section_ui(ui: &mut Ui, report: Option<&ScriptReport>, filter: &mut TestFilter) {
    match report {
        Some(report) => test_results_ui(ui, report, filter),
        None => {
            ui.label(
                RichText::new(
                    "No tests ran. Write them in the request's Scripts tab (Post-response) with pm.test.",
                )
                .weak(),
            );
        }
    }
}

/// `Test results (2/3)`: passed of all.
fn tests_title(report: &ScriptReport) -> String {
    format!("Test results ({}/{})", report.count(TestStatus::Passed), report.tests.len())
}

/// Each test with its status and error, the script errors with where they stopped; a filter.
fn test_results_ui(ui: &mut Ui, report: &ScriptReport, filter: &mut TestFilter) {
    ui.horizontal(|ui| {
        for f in TestFilter::ALL {
            let n = match f {
                TestFilter::All => report.tests.len(),
                TestFilter::Passed => report.count(TestStatus::Passed),
                TestFilter::Failed => report.count(TestStatus::Failed),
                TestFilter::Skipped => report.count(TestStatus::Skipped),
            };
            ui.selectable_value(filter, f, format!("{} ({n})", f.label()));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical().id_salt("test-results").auto_shrink([false, false]).show(ui, |ui| {
        if report.tests.is_empty() && report.errors.is_empty() {
            ui.label(RichText::new("The scripts ran no tests.").weak());
        }
        for test in report.tests.iter().filter(|t| filter.shows(t.status)) {
            let color = theme::test_color(test.status, ui.visuals());
            ui.horizontal_wrapped(|ui| {
                let word = match test.status {
                    TestStatus::Passed => "PASS",
                    TestStatus::Failed => "FAIL",
                    TestStatus::Skipped => "SKIP",
                };
                ui.label(RichText::new(word).monospace().strong().color(color));
                ui.label(&test.name);
                if !test.error.is_empty() {
                    ui.label(RichText::new(format!("| {}", test.error)).color(
                        if test.status == TestStatus::Failed { color } else { theme::muted(ui.visuals()) },
                    ));
                }
            });
        }
        if !report.errors.is_empty() && *filter != TestFilter::Passed && *filter != TestFilter::Skipped {
            ui.add_space(8.0);
            ui.strong("Script errors");
            let color = theme::error_color(ui.visuals());
            for e in &report.errors {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("ERROR").monospace().strong().color(color));
                    ui.label(format!("{} {}", e.owner, e.event.label()));
                    if let (Some(l), Some(c)) = (e.line, e.column) {
                        ui.label(RichText::new(format!("line {l}:{c}")).monospace());
                    }
                    ui.label(RichText::new(&e.message).color(color));
                });
            }
        }
    });
}

fn summary_ui(ui: &mut Ui, tab_id: TabId, r: &ResponseView, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let color = theme::status_color(r.status, ui.visuals());
        ui.label(RichText::new(format!("{} {}", r.status, r.reason)).color(color).strong())
            .on_hover_text(format!("{} {}", r.http_version, r.status));
        ui.label(RichText::new(format!("{} ms", r.time_ms)).strong());
        let size = match r.wire_size_bytes {
            Some(w) if w != r.size_bytes => {
                format!("{} ({} on the wire)", format_size(r.size_bytes), format_size(w))
            }
            _ => format_size(r.size_bytes),
        };
        ui.label(RichText::new(size).strong());
        match &r.origin {
            ResponseOrigin::Live => {}
            ResponseOrigin::History(at) => {
                ui.label(RichText::new(format!("from history, {}", super::sidebar::format_time(*at))).weak());
            }
            ResponseOrigin::Run(label) => {
                ui.label(RichText::new(label).weak());
            }
            ResponseOrigin::Example(name) => {
                ui.label(RichText::new(format!("example \"{name}\"")).weak());
            }
        }
        if r.body_truncated {
            ui.label(RichText::new("body cut for history").weak());
        }
        if r.stopped {
            ui.label(RichText::new(format!("Stopped after {}", format_size(r.size_bytes))).strong())
                .on_hover_text("You stopped the body before it ended: this is what arrived until then.");
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Save as example").clicked() {
                out.push(Command::SaveResponseAsExample(tab_id));
            }
            if ui.button("Save to file…").clicked() {
                out.push(Command::SaveResponseBody(tab_id));
            }
            if ui.button("Copy").on_hover_text("Copy the whole body").clicked() {
                out.push(Command::CopyToClipboard(String::from_utf8_lossy(&r.body).into_owned()));
            }
        });
    });
}

pub(super) fn body_ui(ui: &mut Ui, tab_id: TabId, r: &mut ResponseView, out: &mut Vec<Command>) {
    let view = &mut r.body_view;
    if view.kind == BodyKind::Empty {
        ui.label(RichText::new("The response has no body.").weak());
        return;
    }
    ui.horizontal(|ui| {
        let before = view.mode;
        let modes: &[(BodyMode, &str)] = match view.kind {
            BodyKind::Json => &[
                (BodyMode::Pretty, "Pretty"),
                (BodyMode::Tree, "Tree"),
                (BodyMode::Raw, "Raw"),
                (BodyMode::Hex, "Hex"),
            ],
            BodyKind::Image => &[(BodyMode::Preview, "Preview"), (BodyMode::Hex, "Hex")],
            BodyKind::Text => &[(BodyMode::Raw, "Raw"), (BodyMode::Hex, "Hex")],
            BodyKind::Binary | BodyKind::Empty => &[(BodyMode::Hex, "Hex"), (BodyMode::Raw, "Raw")],
        };
        for (mode, label) in modes {
            ui.selectable_value(&mut view.mode, *mode, *label);
        }
        if view.mode != before {
            view.reset_find();
        }
        if matches!(view.mode, BodyMode::Pretty | BodyMode::Raw) {
            ui.separator();
            let find_id = egui::Id::unique(("find", tab_id.0));
            let open_find = ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F));
            if open_find {
                view.find.open = true;
                ui.memory_mut(|m| m.request_focus(find_id));
            }
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut view.find.query)
                        .id(find_id)
                        .hint_text("Find in body (Ctrl+F)")
                        .desired_width(200.0),
                )
                .named("Find in body");
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if r.changed() || (enter && view.find.matches.is_empty()) {
                view.search(ui.ctx());
            } else if enter {
                let shift = ui.input(|i| i.modifiers.shift);
                view.find.next(!shift);
                r.request_focus();
            }
            if view.find.is_searching() {
                ui.spinner();
            } else if !view.find.query.is_empty() {
                let n = view.find.matches.len();
                let label = if n == 0 {
                    "no matches".to_owned()
                } else if n >= crate::app::response::MAX_MATCHES {
                    format!("{} of {n}+", view.find.current + 1)
                } else {
                    format!("{} of {n}", view.find.current + 1)
                };
                ui.label(label);
                if ui.small_button("⏶").on_hover_text("Previous match (Shift+Enter)").clicked() {
                    view.find.next(false);
                }
                if ui.small_button("⏷").on_hover_text("Next match (Enter)").clicked() {
                    view.find.next(true);
                }
            }
        }
    });
    if super::body_filter::filter_ui(ui, tab_id, view, out) {
        return;
    }
    match view.mode {
        BodyMode::Tree => super::json_tree::tree_ui(ui, tab_id, "body", &mut view.tree, out),
        BodyMode::Pretty | BodyMode::Raw => {
            let Some(doc) = view.doc(ui.ctx()) else {
                return preparing_ui(ui, tab_id, view, r.body.len() as u64);
            };
            view.resume_search(ui.ctx());
            view.poll_find(&doc);
            let current = view.find.matches.get(view.find.current).copied();
            if let Some(m) = current
                && view.find.scroll_to_row.is_none()
                && ui.memory(|mem| mem.data.get_temp::<usize>(egui::Id::unique(("shown-match", tab_id.0))))
                    != Some(m)
            {
                view.find.scroll_to_row = Some(doc.row_of(m));
                ui.memory_mut(|mem| mem.data.insert_temp(egui::Id::unique(("shown-match", tab_id.0)), m));
            }
            let json = view.mode == BodyMode::Pretty || view.kind == BodyKind::Json;
            let query_len = view.find.query.len();
            let scroll_to = view.find.scroll_to_row.take();
            text_rows_ui(ui, tab_id, &doc, json, current.map(|m| (m, query_len)), scroll_to);
        }
        BodyMode::Hex => hex_ui(ui, tab_id, &r.body),
        BodyMode::Preview => {
            let uri = format!("bytes://response-{}", tab_id.0);
            egui::ScrollArea::both().show(ui, |ui| {
                ui.add(
                    egui::Image::from_bytes(uri, egui::load::Bytes::Shared(r.body.clone()))
                        .max_width(ui.available_width()),
                );
            });
        }
    }
}

/// The body's text while it is being prepared: the formatted start the download's formatting
/// gave, else the raw text when it is ready sooner, else a spinner.
fn preparing_ui(ui: &mut Ui, tab_id: TabId, view: &mut BodyView, body_len: u64) {
    let size = format_size(body_len);
    if let Some((preview, done)) = view.live_preview() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!(
                "Formatting {size}: {:.0}% done; the start is shown, the rest follows",
                done * 100.0
            ));
        });
        text_rows_ui(ui, tab_id, &preview, true, None, None);
        return;
    }
    // Unless the download's formatting is about to give the formatted text.
    let raw =
        if view.mode == BodyMode::Pretty && !view.text_coming() { view.raw_doc(ui.ctx()) } else { None };
    ui.horizontal(|ui| {
        ui.spinner();
        match raw {
            Some(_) => ui.label(format!("Formatting {size}… the raw body is shown meanwhile")),
            None => ui.label(format!("Preparing {size}…")),
        };
    });
    if let Some(raw) = raw {
        text_rows_ui(ui, tab_id, &raw, true, None, None);
    }
}

/// Draws only the visible rows of a text document.
pub(super) fn text_rows_ui(
    ui: &mut Ui,
    tab_id: TabId,
    doc: &TextDoc,
    json: bool,
    highlight: Option<(usize, usize)>,
    scroll_to: Option<usize>,
) {
    let font = FontId::monospace(12.0);
    let row_height = ui.fonts_mut(|f| f.row_height(&font));
    let total = doc.rows();
    let gutter_digits = total.to_string().len();
    let mut area = egui::ScrollArea::both().id_salt(("body", tab_id.0)).auto_shrink([false, false]);
    if let Some(row) = scroll_to {
        let spacing = ui.spacing().item_spacing.y;
        let offset = (row as f32) * (row_height + spacing) - 60.0;
        area = area.vertical_scroll_offset(offset.max(0.0));
    }
    let colors = theme::json_colors(ui.visuals());
    let text_color = ui.visuals().text_color();
    let weak = theme::muted(ui.visuals());
    area.show_rows(ui, row_height, total, |ui, rows| {
        for i in rows {
            let line = doc.row(i);
            let start = doc.row_starts[i];
            let mut job = LayoutJob::default();
            job.append(
                &format!("{:>w$}  ", i + 1, w = gutter_digits),
                0.0,
                TextFormat::simple(font.clone(), weak),
            );
            let mark = highlight.and_then(|(at, len)| {
                let end = start + line.len();
                (at < end && at + len > start)
                    .then(|| (at.saturating_sub(start), (at + len - start).min(line.len())))
            });
            if json {
                json_line(&mut job, line, &font, &colors, mark);
            } else {
                append_marked(&mut job, line, 0, &font, text_color, mark);
            }
            ui.add(egui::Label::new(job).extend());
        }
    });
}

/// Appends `text` (which starts at byte `offset` of its line) with the marked range highlighted.
fn append_marked(
    job: &mut LayoutJob,
    text: &str,
    offset: usize,
    font: &FontId,
    color: Color32,
    mark: Option<(usize, usize)>,
) {
    let mut fmt = TextFormat::simple(font.clone(), color);
    match mark {
        Some((a, b)) if a < offset + text.len() && b > offset => {
            let a = a.saturating_sub(offset).min(text.len());
            let b = (b - offset).min(text.len());
            let (a, b) = (floor_char(text, a), floor_char(text, b));
            job.append(&text[..a], 0.0, fmt.clone());
            let mut hl = fmt.clone();
            hl.background = Color32::from_rgba_unmultiplied(255, 200, 0, 120);
            job.append(&text[a..b], 0.0, hl);
            fmt.background = Color32::TRANSPARENT;
            job.append(&text[b..], 0.0, fmt);
        }
        _ => job.append(text, 0.0, fmt),
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Colours one line of JSON: keys, strings, numbers, literals, punctuation.
fn json_line(
    job: &mut LayoutJob,
    line: &str,
    font: &FontId,
    c: &theme::JsonColors,
    mark: Option<(usize, usize)>,
) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let color = match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                let rest = line[i..].trim_start();
                if rest.starts_with(':') { c.key } else { c.string }
            }
            b'-' | b'0'..=b'9' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || b".-+".contains(&bytes[i])) {
                    i += 1;
                }
                c.number
            }
            b't' | b'f' | b'n' => {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                c.literal
            }
            _ => {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') {
                    i += 1;
                }
                c.punct
            }
        };
        let end = floor_char(line, i.min(line.len()));
        let end = if end <= start {
            line.len().min(start + line[start..].chars().next().map_or(1, char::len_utf8))
        } else {
            end
        };
        append_marked(job, &line[start..end], start, font, color, mark);
        i = end;
    }
}

fn hex_ui(ui: &mut Ui, tab_id: TabId, body: &[u8]) {
    let font = FontId::monospace(12.0);
    let row_height = ui.fonts_mut(|f| f.row_height(&font));
    let rows = body.len().div_ceil(16);
    let color = ui.visuals().text_color();
    egui::ScrollArea::both().id_salt(("hex", tab_id.0)).auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        rows,
        |ui, range| {
            for row in range {
                let start = row * 16;
                let chunk = &body[start..(start + 16).min(body.len())];
                let mut line = format!("{start:08x}  ");
                for (i, b) in chunk.iter().enumerate() {
                    line.push_str(&format!("{b:02x} "));
                    if i == 7 {
                        line.push(' ');
                    }
                }
                for _ in chunk.len()..16 {
                    line.push_str("   ");
                }
                line.push_str(" |");
                line.extend(
                    chunk.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' }),
                );
                line.push('|');
                ui.label(RichText::new(line).font(font.clone()).color(color));
            }
        },
    );
}

pub(super) fn headers_ui(ui: &mut Ui, r: &ResponseView) {
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        egui::Grid::new("response-headers").num_columns(2).striped(true).spacing([16.0, 4.0]).show(
            ui,
            |ui| {
                ui.strong("Name");
                ui.strong("Value");
                ui.end_row();
                for h in &r.headers {
                    ui.label(&h.name);
                    ui.add(egui::Label::new(&h.value).wrap());
                    ui.end_row();
                }
            },
        );
    });
}

fn timeline_ui(ui: &mut Ui, tab_id: TabId, r: &ResponseView) {
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        // Secrets (auth headers, secret variables' values) stay masked until revealed.
        let reveal_id = egui::Id::unique(("reveal-sent", tab_id.0));
        let mut reveal = ui.data(|d| d.get_temp::<bool>(reveal_id)).unwrap_or(false);
        let has_secrets = r.redactions != crate::http::Redactions::default();
        ui.horizontal(|ui| {
            ui.strong("Request as sent");
            if has_secrets && ui.checkbox(&mut reveal, "Reveal secrets").changed() {
                ui.data_mut(|d| d.insert_temp(reveal_id, reveal));
            }
        });
        let masked;
        let shown = if reveal || !has_secrets {
            &r.sent
        } else {
            masked = r.redactions.apply(&r.sent);
            &masked
        };
        let mut sent = format!("{} {}\n", shown.method, shown.url);
        for h in &shown.headers {
            sent.push_str(&format!("{}: {}\n", h.name, h.value));
        }
        if let Some(body) = &shown.body {
            sent.push('\n');
            sent.push_str(&String::from_utf8_lossy(&body.to_bytes()));
            if shown.body_truncated {
                sent.push_str("\n…");
            }
        } else if !shown.body_summary.is_empty() {
            sent.push_str(&format!("\n<{}>", shown.body_summary));
        }
        ui.add(egui::Label::new(RichText::new(sent).monospace()).wrap());
        if let Some(addr) = &r.remote_addr {
            ui.label(format!("Remote address: {addr}"));
        }
        if !r.redirects.is_empty() {
            ui.add_space(8.0);
            ui.strong("Redirects");
            for (status, url) in &r.redirects {
                ui.label(format!("{status} -> {url}"));
            }
        }
        ui.add_space(8.0);
        ui.strong("Timing");
        egui::Grid::new("timing").num_columns(2).show(ui, |ui| {
            for (phase, ms) in &r.timing {
                ui.label(phase);
                ui.label(format!("{ms:.1} ms"));
                ui.end_row();
            }
        });
        ui.add_space(8.0);
        ui.strong("Response headers");
        let mut head = format!("{} {} {}\n", r.http_version, r.status, r.reason);
        for h in &r.headers {
            head.push_str(&format!("{}: {}\n", h.name, h.value));
        }
        ui.add(egui::Label::new(RichText::new(head).monospace()).wrap());
    });
}
