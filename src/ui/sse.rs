//! The Events view of a `text/event-stream` response: one row per event (time received, type,
//! id, data on one line, retry), a filter, the counts, auto-scroll with a pause, Stop while it
//! streams, and the opened row's whole data below the list (pretty when it is JSON). Only the
//! visible rows are laid out, so a stream of 100,000 events scrolls as smoothly as ten.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::{Named, theme};
use crate::app::command::Command;
use crate::app::sse::{LogSummary, SseCommand, SseSession, one_line};
use crate::app::state::{RequestTab, ResponseSection, TabId};
use crate::model::RequestSettings;

const ROW: f32 = 22.0;
/// Characters of data a row shows; the opened row shows all of it.
const ROW_DATA_CHARS: usize = 400;

/// Whether the tab's send is streaming events now.
pub fn streaming(tab: &RequestTab) -> bool {
    tab.in_flight.is_some() && tab.sse.as_ref().is_some_and(SseSession::is_stream)
}

/// Whether the tab's last response was an event stream (its events stay after it ended).
pub fn has_events(tab: &RequestTab) -> bool {
    tab.sse.as_ref().is_some_and(SseSession::is_stream)
}

pub fn stop_button_ui(ui: &mut Ui, tab_id: TabId, out: &mut Vec<Command>) {
    let stop = egui::Button::new(RichText::new("⏹ Stop").strong());
    if ui.add(stop).on_hover_text("Stop reading the stream; the events so far stay").clicked() {
        out.push(Command::Sse(SseCommand::Stop(tab_id)));
    }
}

/// `1,204`
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1,204 events · 3 ignored lines", with "12 shown" when a filter hides some.
pub fn counts_text(summary: &LogSummary, shown: Option<usize>) -> String {
    let plural =
        |n: u64, one: &str, many: &str| format!("{} {}", grouped(n), if n == 1 { one } else { many });
    let mut text = plural(summary.total, "event", "events");
    if let Some(shown) = shown {
        text.push_str(&format!(" ({} shown)", grouped(shown as u64)));
    }
    let ignored = summary.ignored;
    let lines = (ignored.comments + ignored.unknown_fields + ignored.bad_values) as u64;
    if lines > 0 {
        text.push_str(" · ");
        text.push_str(&plural(lines, "ignored line", "ignored lines"));
    }
    text
}

/// What the stream sent that the user should know about: lines it ignored, events let go,
/// cut, or unfinished. Each note says whether it is a warning.
fn notes(summary: &LogSummary) -> Vec<(bool, String)> {
    let mut notes = Vec::new();
    let ig = summary.ignored;
    let count = |n: usize, one: &str, many: &str| {
        format!("{} {}", grouped(n as u64), if n == 1 { one } else { many })
    };
    let mut ignored = Vec::new();
    if ig.unknown_fields > 0 {
        ignored.push(count(ig.unknown_fields, "line with an unknown field", "lines with unknown fields"));
    }
    if ig.bad_values > 0 {
        ignored.push(count(ig.bad_values, "bad retry or id value", "bad retry or id values"));
    }
    if !ignored.is_empty() {
        if ig.comments > 0 {
            ignored.push(count(ig.comments, "comment", "comments"));
        }
        notes.push((true, format!("Ignored, as the standard says: {}.", ignored.join(", "))));
    }
    if summary.dropped > 0 {
        notes.push((
            false,
            format!(
                "The oldest {} events are no longer listed here, to keep memory bounded; the Body holds the whole stream.",
                grouped(summary.dropped)
            ),
        ));
    }
    if summary.truncated > 0 {
        let n = usize::try_from(summary.truncated).unwrap_or(usize::MAX);
        notes.push((true, format!("{} cut at 16 MiB of data.", count(n, "event was", "events were"))));
    }
    if summary.unfinished_dropped {
        notes.push((
            true,
            "The stream ended in the middle of an event (no blank line after it): that event was dropped."
                .into(),
        ));
    }
    notes
}

/// While the tab's send streams events, the Events view in place of the response; returns
/// whether it drew it.
pub fn live_events_ui(ui: &mut Ui, tab_id: TabId, tab: &mut RequestTab, out: &mut Vec<Command>) -> bool {
    if !streaming(tab) {
        return false;
    }
    let Some(events) = &mut tab.sse else { return false };
    tab.response_section = ResponseSection::Events;
    events_ui(ui, tab_id, events, true, out);
    true
}

/// The "Events (N)" section button of a response that was an event stream; another response
/// leaves the section for the Body.
pub fn events_tab_ui(ui: &mut Ui, events: Option<&SseSession>, section: &mut ResponseSection) {
    match events.filter(|s| s.is_stream()) {
        Some(events) => {
            let label = format!("Events ({})", grouped(events.log.summary().total));
            ui.selectable_value(section, ResponseSection::Events, label);
        }
        None if *section == ResponseSection::Events => *section = ResponseSection::Body,
        None => {}
    }
}

/// The Events section after the stream closed.
pub fn closed_events_ui(ui: &mut Ui, tab_id: TabId, events: Option<&mut SseSession>, out: &mut Vec<Command>) {
    if let Some(events) = events.filter(|s| s.is_stream()) {
        events_ui(ui, tab_id, events, false, out);
    }
}

/// The Events view. `live`: the send is still streaming (Stop shows).
pub fn events_ui(ui: &mut Ui, tab_id: TabId, s: &mut SseSession, live: bool, out: &mut Vec<Command>) {
    let summary = s.log.summary();
    let filtered = !s.filter.trim().is_empty();
    let shown_len = s.shown_seqs().len();
    ui.horizontal(|ui| {
        if live {
            ui.spinner();
            ui.label(RichText::new("Streaming").strong());
            stop_button_ui(ui, tab_id, out);
        } else {
            ui.label(RichText::new("Stream closed").strong());
        }
        ui.label(counts_text(&summary, filtered.then_some(shown_len)));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.checkbox(&mut s.follow, "Auto-scroll")
                .on_hover_text("Keep the newest event in sight; untick to pause scrolling");
            ui.add(
                egui::TextEdit::singleline(&mut s.filter)
                    .hint_text("Filter by event or data")
                    .desired_width(220.0),
            )
            .named("Filter events");
        });
    });
    for (warning, note) in notes(&summary) {
        let color =
            if warning { theme::unresolved_color(ui.visuals()) } else { ui.visuals().weak_text_color() };
        ui.label(RichText::new(note).color(color));
    }
    if summary.total == 0 {
        ui.add_space(12.0);
        let waiting = if live { "Waiting for the first event…" } else { "The stream sent no events." };
        ui.label(RichText::new(waiting).weak());
        return;
    }
    let opened = s.opened_event();
    let room = ui.available_height();
    let list_height = if opened.is_some() { (room * 0.55).max(ROW * 4.0) } else { room };
    let clicked = rows_ui(ui, s, list_height);
    if let Some(seq) = clicked {
        s.opened = if s.opened == Some(seq) { None } else { Some(seq) };
        // The row opened stays where it is: new events no longer scroll it away.
        s.follow = false;
    }
    if let Some((row, text)) = opened {
        ui.separator();
        ui.horizontal(|ui| {
            let e = &row.event;
            ui.strong(format!("Event #{}", grouped(row.seq + 1)));
            ui.label(format!("event: {}", e.event));
            if !e.id.is_empty() {
                ui.label(format!("id: {}", e.id));
            }
            if let Some(retry) = e.retry_ms {
                ui.label(format!("retry: {retry} ms"));
            }
            if e.truncated {
                ui.label(RichText::new("cut at 16 MiB").color(theme::error_color(ui.visuals())));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Close").clicked() {
                    s.opened = None;
                }
                if ui.button("Copy data").clicked() {
                    out.push(Command::CopyToClipboard(e.data.clone()));
                }
            });
        });
        egui::ScrollArea::both().id_salt("sse-opened").auto_shrink([false, false]).show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(&*text).monospace()).selectable(true).extend());
        });
    }
}

/// The list; returns the `seq` of a row clicked.
fn rows_ui(ui: &mut Ui, s: &mut SseSession, height: f32) -> Option<u64> {
    let follow = s.follow;
    let opened = s.opened;
    let log = s.log.clone();
    let seqs = s.shown_seqs();
    let mut clicked = None;
    let weak = ui.visuals().weak_text_color();
    let event_color = theme::variable_color(ui.visuals());
    let fixed = [104.0, 110.0, 70.0, 64.0];
    let spacing = ui.spacing().item_spacing.x;
    let free = (ui.available_width() - fixed.iter().sum::<f32>() - spacing * 6.0).max(160.0);
    ui.scope(|ui| {
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("sse-events")
            .striped(true)
            .sense(egui::Sense::click())
            .stick_to_bottom(follow)
            .min_scrolled_height(0.0)
            .max_scroll_height(height - ROW)
            .column(Column::exact(fixed[0]))
            .column(Column::exact(fixed[1]).clip(true))
            .column(Column::exact(fixed[2]).clip(true))
            .column(Column::exact(free).clip(true))
            .column(Column::exact(fixed[3]).clip(true))
            .header(ROW, |mut h| {
                for title in ["Time", "Event", "ID", "Data", "Retry"] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(ROW, seqs.len(), |mut row| {
                    let seq = seqs[row.index()];
                    let Some(r) = log.rows(&[seq]).pop() else { return };
                    row.set_selected(opened == Some(seq));
                    cells(&mut row, &r, weak, event_color);
                    if row.response().clicked() {
                        clicked = Some(seq);
                    }
                });
            });
    });
    clicked
}

fn cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    r: &crate::app::sse::Received,
    weak: Color32,
    kind: Color32,
) {
    let at = super::local_time::local(r.at);
    row.col(|ui| {
        let time = format!("{:02}:{:02}:{:02}.{:03}", at.hour(), at.minute(), at.second(), at.millisecond());
        ui.label(RichText::new(time).monospace().color(weak));
    });
    row.col(|ui| {
        ui.label(RichText::new(&r.event.event).color(kind));
    });
    row.col(|ui| {
        ui.label(RichText::new(&r.event.id).monospace());
    });
    row.col(|ui| {
        let mut data = RichText::new(one_line(&r.event.data, ROW_DATA_CHARS)).monospace();
        if r.event.truncated {
            data = data.italics();
        }
        ui.add(egui::Label::new(data).truncate());
    });
    row.col(|ui| {
        if let Some(retry) = r.event.retry_ms {
            ui.label(RichText::new(format!("{retry} ms")).color(weak));
        }
    });
}

/// The request settings of event streams in runs (rows of the Settings grid).
pub fn stream_settings_ui(ui: &mut Ui, s: &mut RequestSettings) -> bool {
    use crate::runner::stream::{DEFAULT_MAX_EVENTS, DEFAULT_WINDOW_MS};
    let mut changed = false;
    ui.label("Event streams in runs: events")
        .on_hover_text("A run stops reading a text/event-stream response after this many events");
    let note = format!("default {DEFAULT_MAX_EVENTS}");
    changed |= super::request::optional_number_ui(
        ui,
        &mut s.stream_max_events,
        DEFAULT_MAX_EVENTS,
        1..=1_000_000,
        None,
        Some(&note),
    );
    ui.end_row();
    ui.label("Event streams in runs: window")
        .on_hover_text("… or this long after the response's head, whichever comes first");
    let note = format!("default {DEFAULT_WINDOW_MS} ms");
    changed |= super::request::optional_number_ui(
        ui,
        &mut s.stream_window_ms,
        DEFAULT_WINDOW_MS,
        1..=86_400_000,
        Some(" ms"),
        Some(&note),
    );
    ui.end_row();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_like_a_sentence() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(1204), "1,204");
        assert_eq!(grouped(1_000_000), "1,000,000");
        let mut s = LogSummary { total: 1204, ..LogSummary::default() };
        s.ignored.comments = 3;
        assert_eq!(counts_text(&s, None), "1,204 events · 3 ignored lines");
        s.total = 1;
        s.ignored.comments = 0;
        assert_eq!(counts_text(&s, Some(0)), "1 event (0 shown)");
    }
}
