//! The response panel while a body arrives: status and headers as soon as the head is in, the
//! bytes so far and the rate, Stop, and the text received so far (a bounded window of it, only
//! the visible rows laid out).

use egui::{RichText, Ui};

use super::{Named, theme};
use crate::app::command::Command;
use crate::app::response::format_size;
use crate::app::send::InFlight;
use crate::app::state::TabId;

/// Draws the live response of `in_flight`; `false` (nothing drawn) until its head arrived.
pub fn live_body_ui(ui: &mut Ui, tab_id: TabId, in_flight: &InFlight, out: &mut Vec<Command>) -> bool {
    let live = &in_flight.live;
    let Some(head) = live.head() else { return false };
    let received = live.received_bytes();
    let headers_id = egui::Id::unique(("live-headers", tab_id.0));
    let mut show_headers = ui.data(|d| d.get_temp::<bool>(headers_id)).unwrap_or(false);
    ui.horizontal(|ui| {
        let color = theme::status_color(head.status, ui.visuals());
        ui.label(RichText::new(format!("{} {}", head.status, head.reason)).color(color).strong());
        ui.spinner();
        let mut progress = format!("Receiving… {}", format_size(received));
        if let Some(rate) = live.rate_bytes_per_s() {
            progress.push_str(&format!(" · {}/s", format_size(rate as u64)));
        }
        ui.label(RichText::new(progress).strong()).named("Receiving");
        ui.label(RichText::new(format!("{:.1} s", in_flight.started.elapsed().as_secs_f32())).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Cancel").on_hover_text("Drop the response").clicked() {
                out.push(Command::Cancel(tab_id));
            }
            if ui.button("Stop").on_hover_text("Keep what arrived and stop receiving").clicked() {
                out.push(Command::StopBody(tab_id));
            }
        });
    });
    let follow_id = egui::Id::unique(("live-follow", tab_id.0));
    let mut follow = ui.data(|d| d.get_temp::<bool>(follow_id)).unwrap_or(false);
    ui.horizontal(|ui| {
        ui.selectable_value(&mut show_headers, false, "Body");
        ui.selectable_value(&mut show_headers, true, format!("Headers ({})", head.headers.len()));
        if !show_headers {
            ui.separator();
            ui.checkbox(&mut follow, "Follow the latest").on_hover_text("Keep the newest lines in view");
        }
    });
    ui.data_mut(|d| {
        d.insert_temp(headers_id, show_headers);
        d.insert_temp(follow_id, follow);
    });
    ui.separator();
    if show_headers {
        egui::ScrollArea::vertical().id_salt(("live-headers", tab_id.0)).show(ui, |ui| {
            egui::Grid::new(("live-header-grid", tab_id.0)).striped(true).show(ui, |ui| {
                for (name, value) in &head.headers {
                    ui.label(RichText::new(name).strong());
                    ui.label(value);
                    ui.end_row();
                }
            });
        });
        return true;
    }
    match live.window() {
        Some(doc) => {
            let gap = live.window_gap_bytes();
            if gap > 0 {
                ui.label(
                    RichText::new(format!(
                        "Showing the first {} and the latest part while receiving; the whole body \
                         shows when it is complete or stopped.",
                        format_size(crate::app::live_body::WINDOW_HEAD_BYTES as u64)
                    ))
                    .weak(),
                );
            }
            let scroll_to = follow.then(|| {
                // The row that puts the last one at the bottom of the panel.
                let row_height = ui.fonts_mut(|f| f.row_height(&egui::FontId::monospace(12.0)))
                    + ui.spacing().item_spacing.y;
                let visible = (ui.available_height() / row_height.max(1.0)) as usize;
                doc.rows().saturating_sub(visible.saturating_sub(4))
            });
            super::response::text_rows_ui(ui, tab_id, &doc, false, None, scroll_to);
        }
        None => {
            ui.label(RichText::new("Waiting for the body…").weak());
        }
    }
    true
}
