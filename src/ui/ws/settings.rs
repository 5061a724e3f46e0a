//! A WebSocket request's Settings section: subprotocols, keep-alive pings, reconnecting, the
//! largest message accepted, and the transport settings it shares with HTTP (timeout, TLS).

use egui::{RichText, Ui};

use super::super::Named;
use super::super::request::timeout_and_tls_rows;
use crate::app::state::RequestTab;

/// Largest message size offered: 1 GiB.
const MAX_MESSAGE_MB: u64 = 1024;

pub(super) fn websocket_settings_ui(ui: &mut Ui, tab: &mut RequestTab, tls_bypass_allowed: bool) -> bool {
    let mut changed = false;
    let RequestTab { draft, websocket, .. } = tab;
    let Some(live) = websocket.as_deref_mut() else { return false };
    let ws = &mut draft.websocket;
    egui::Grid::new("ws-settings").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
        ui.label("Subprotocols");
        let text = live.subprotocols_text.get_or_insert_with(|| ws.subprotocols.join(", "));
        let r = ui
            .add(egui::TextEdit::singleline(text).hint_text("graphql-ws, chat.v2").desired_width(280.0))
            .named("Subprotocols offered")
            .on_hover_text("Offered in Sec-WebSocket-Protocol, in order; separate with commas");
        if r.changed() {
            ws.subprotocols =
                text.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect();
            changed = true;
        }
        ui.end_row();

        ui.label("Ping interval");
        ui.horizontal(|ui| {
            let r = ui
                .add(egui::DragValue::new(&mut ws.ping_interval_s).range(0..=3600).suffix(" s"))
                .named("Ping interval");
            changed |= r.changed();
            ui.label(RichText::new("0 = no pings").weak());
        });
        ui.end_row();

        ui.label("Reconnect automatically");
        changed |= ui
            .checkbox(&mut ws.reconnect.enabled, "After the server closes (not 1000) or the connection drops")
            .changed();
        ui.end_row();
        if ws.reconnect.enabled {
            ui.label("Reconnect delay");
            changed |= ui
                .add(egui::DragValue::new(&mut ws.reconnect.delay_ms).range(0..=600_000).suffix(" ms"))
                .named("Reconnect delay")
                .changed();
            ui.end_row();
            ui.label("Attempts");
            changed |= ui
                .add(egui::DragValue::new(&mut ws.reconnect.max_attempts).range(1..=1000))
                .named("Reconnect attempts")
                .changed();
            ui.end_row();
        }

        ui.label("Largest message");
        ui.horizontal(|ui| {
            let mut mb = ws.max_message_bytes.div_ceil(1024 * 1024).max(1);
            if ui
                .add(egui::DragValue::new(&mut mb).range(1..=MAX_MESSAGE_MB).suffix(" MB"))
                .named("Largest message")
                .changed()
            {
                ws.max_message_bytes = mb * 1024 * 1024;
                changed = true;
            }
            ui.label(RichText::new("larger ones close the connection (1009)").weak());
        });
        ui.end_row();

        changed |= timeout_and_tls_rows(ui, &mut draft.settings, "Connect timeout", tls_bypass_allowed);
    });
    changed
}
