//! The live log of a WebSocket tab: a toolbar (search, direction, pause, clear, counts), one row
//! per message or event (only the visible rows are laid out), and the selected row in full below
//! (pretty-printed when it is JSON).

use egui::{RichText, Sense, TextStyle, Ui};

use super::super::{Named, local_time, theme};
use crate::app::command::Command;
use crate::app::state::TabId;
use crate::app::ws::log::{DataKind, DirectionFilter, EntryKind, LogEntry, Row};
use crate::app::ws::{WsCommand, WsTab};

/// Characters of a message shown on its row.
const ROW_CHARS: usize = 240;
/// A selected message larger than this is shown as it is, cut, instead of pretty-printed.
const PRETTY_MAX_BYTES: usize = 256 * 1024;

pub(super) fn log_ui(ui: &mut Ui, tab_id: TabId, live: &mut WsTab, out: &mut Vec<Command>) {
    toolbar_ui(ui, tab_id, live, out);
    live.apply_filter();
    if let Some(e) = &live.log.spill_error {
        ui.label(RichText::new(format!("⚠ {e}")).color(ui.visuals().warn_fg_color).small());
    }
    ui.separator();
    let detail_h = if live.selected.is_some() { (ui.available_height() * 0.45).max(80.0) } else { 0.0 };
    let rows_h = (ui.available_height() - detail_h).max(40.0);
    ui.allocate_ui_with_layout(
        egui::vec2(ui.available_width(), rows_h),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            rows_ui(ui, tab_id, live);
        },
    );
    if live.selected.is_some() {
        ui.separator();
        detail_ui(ui, tab_id, live, out);
    }
}

fn toolbar_ui(ui: &mut Ui, tab_id: TabId, live: &mut WsTab, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut live.search).hint_text("🔍 Search messages").desired_width(200.0),
        )
        .named("Search messages");
        for d in DirectionFilter::ALL {
            ui.selectable_value(&mut live.direction, d, d.label());
        }
        ui.separator();
        let (label, tip) = if live.paused {
            ("▶ Resume", "Follow new messages again")
        } else {
            ("⏸ Pause", "Stop scrolling to new messages")
        };
        if ui.button(label).on_hover_text(tip).clicked() {
            live.paused = !live.paused;
        }
        if ui.button("Clear").on_hover_text("Empty the log (the connection stays)").clicked() {
            out.push(Command::WebSocket(WsCommand::ClearLog(tab_id)));
        }
        let log = &live.log;
        let mut counts = format!(
            "{} messages · ⬆ {} sent · ⬇ {} received",
            log.sent + log.received,
            log.sent,
            log.received
        );
        if log.is_filtered() {
            counts = format!("{} shown of {} · {counts}", log.row_count(), log.len());
        }
        if log.searching() {
            counts.push_str(" · searching older messages…");
        }
        if log.spilled() > 0 {
            counts.push_str(&format!(" · {} older on disk", log.spilled()));
        }
        ui.add(egui::Label::new(RichText::new(counts).weak().small()).truncate());
    });
}

fn rows_ui(ui: &mut Ui, tab_id: TabId, live: &mut WsTab) {
    let row_h = ui.text_style_height(&TextStyle::Monospace).max(ui.text_style_height(&TextStyle::Body)) + 4.0;
    let total = live.log.row_count();
    if total == 0 {
        let text = if live.log.is_empty() {
            "No messages yet. Connect, then send a message: both directions show here as they happen."
        } else {
            "No message matches the search."
        };
        ui.label(RichText::new(text).weak());
        return;
    }
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt(("ws-log", tab_id.0))
        .auto_shrink([false, false])
        .stick_to_bottom(!live.paused)
        .show_rows(ui, row_h, total, |ui, range| {
            ui.spacing_mut().item_spacing.y = 0.0;
            for row in range {
                let Some(index) = live.log.index_of_row(row) else { continue };
                let selected = live.selected == Some(index);
                let r = row_ui(ui, row_h, live.log.entry(index), selected);
                if r.clicked() {
                    clicked = Some(index);
                }
            }
        });
    if let Some(index) = clicked {
        live.selected = if live.selected == Some(index) { None } else { Some(index) };
        live.detail = None;
    }
}

fn row_ui(ui: &mut Ui, row_h: f32, row: Row<'_>, selected: bool) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(ui.available_width(), row_h), Sense::click());
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.visuals();
    if selected {
        ui.painter().rect_filled(rect, 2.0, theme::row_selected_fill(visuals, true));
    } else if response.hovered() {
        ui.painter().rect_filled(rect, 2.0, theme::row_hover_fill(visuals));
    }
    let entry = match row {
        Row::Entry(e) => e,
        Row::Loading | Row::Unavailable => {
            let text = if matches!(row, Row::Loading) { "loading…" } else { "(could not be read back)" };
            let at = rect.left_center() + egui::vec2(6.0, 0.0);
            ui.painter().text(
                at,
                egui::Align2::LEFT_CENTER,
                text,
                TextStyle::Small.resolve(ui.style()),
                theme::muted(visuals),
            );
            return response;
        }
    };
    let painter = ui.painter_at(rect);
    let mono = TextStyle::Monospace.resolve(ui.style());
    let color = theme::ws_entry_color(entry.kind, visuals);
    let y = rect.center().y;
    let mut x = rect.left() + 6.0;
    match entry.kind {
        EntryKind::Sent | EntryKind::Received => {
            let (from, by) = if entry.kind == EntryKind::Sent { (5.0, -10.0) } else { (-5.0, 10.0) };
            painter.arrow(egui::pos2(x + 5.0, y + from), egui::vec2(0.0, by), egui::Stroke::new(1.5, color));
        }
        EntryKind::Event(_) => {
            painter.circle_filled(egui::pos2(x + 5.0, y), 3.5, color);
        }
    }
    x += 18.0;
    painter.text(
        egui::pos2(x, y),
        egui::Align2::LEFT_CENTER,
        clock(entry),
        mono.clone(),
        theme::muted(visuals),
    );
    x += 100.0;
    let size =
        if matches!(entry.kind, EntryKind::Event(_)) { String::new() } else { size_text(entry.size_bytes) };
    painter.text(
        egui::pos2(x + 64.0, y),
        egui::Align2::RIGHT_CENTER,
        size,
        mono.clone(),
        theme::muted(visuals),
    );
    x += 76.0;
    let text_color = if matches!(entry.kind, EntryKind::Event(_)) { color } else { visuals.text_color() };
    painter.text(egui::pos2(x, y), egui::Align2::LEFT_CENTER, one_line(entry), mono, text_color);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, row_label(entry)));
    response
}

/// What a screen reader (and a test) reads of a row.
fn row_label(entry: &LogEntry) -> String {
    let what = match entry.kind {
        EntryKind::Sent => "Sent",
        EntryKind::Received => "Received",
        EntryKind::Event(_) => "Event",
    };
    format!("{what}: {}", one_line(entry))
}

/// "14:03:22.481" on the local clock.
fn clock(entry: &LogEntry) -> String {
    let at = local_time::local(entry.at);
    format!("{:02}:{:02}:{:02}.{:03}", at.hour(), at.minute(), at.second(), at.millisecond())
}

fn size_text(bytes: usize) -> String {
    crate::http::size(bytes as u64)
}

/// The start of an entry's text on one line (cut by characters).
fn one_line(entry: &LogEntry) -> String {
    let prefix = match entry.data {
        DataKind::Binary => "[binary] ",
        _ => "",
    };
    let mut out = String::with_capacity(ROW_CHARS + prefix.len());
    out.push_str(prefix);
    for (i, c) in entry.text.chars().enumerate() {
        if i >= ROW_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

fn detail_ui(ui: &mut Ui, tab_id: TabId, live: &mut WsTab, out: &mut Vec<Command>) {
    let Some(index) = live.selected else { return };
    let Some(entry) = live.log.peek(index).cloned() else {
        ui.label(RichText::new("loading…").weak());
        return;
    };
    if live.detail.as_ref().is_none_or(|(i, _)| *i != index) {
        live.detail = Some((index, detail_text(&entry)));
    }
    let text = live.detail.as_ref().map(|(_, t)| t.as_str()).unwrap_or_default();
    ui.horizontal(|ui| {
        let what = match entry.kind {
            EntryKind::Sent => "Sent",
            EntryKind::Received => "Received",
            EntryKind::Event(_) => "Event",
        };
        let kind = match entry.data {
            DataKind::Text => "text",
            DataKind::Binary => "binary (hex)",
            DataKind::Ping => "ping",
            DataKind::Pong => "pong",
            DataKind::None => "",
        };
        ui.label(
            RichText::new(format!("{what} {kind}"))
                .strong()
                .color(theme::ws_entry_color(entry.kind, ui.visuals())),
        );
        ui.label(
            RichText::new(format!("{} · {}", local_time::format_time(entry.at), size_text(entry.size_bytes)))
                .weak(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("✖").on_hover_text("Close").clicked() {
                live.selected = None;
            }
            if ui.button("Copy").clicked() {
                out.push(Command::CopyToClipboard(entry.text.clone()));
            }
        });
    });
    egui::ScrollArea::both().id_salt(("ws-detail", tab_id.0)).auto_shrink([false, false]).show(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(text).monospace()).selectable(true).extend());
    });
}

/// The text shown in full: JSON pretty-printed; a very large message cut, as it is.
fn detail_text(entry: &LogEntry) -> String {
    if entry.text.len() > PRETTY_MAX_BYTES {
        let cut: String = entry.text.chars().take(PRETTY_MAX_BYTES).collect();
        return format!("{cut}\n… (the first {} shown; Copy copies it all)", size_text(PRETTY_MAX_BYTES));
    }
    if entry.data == DataKind::Text
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&entry.text)
        && (value.is_object() || value.is_array())
        && let Ok(pretty) = serde_json::to_string_pretty(&value)
    {
        return pretty;
    }
    entry.text.clone()
}
