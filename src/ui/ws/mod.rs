//! A WebSocket request's tab: name and URL with Connect/Disconnect and the connection's state;
//! the Message (composer and saved messages), Params, Headers, Auth, Settings and Docs sections;
//! the live log below.

mod log;
mod settings;

use egui::{RichText, TextEdit, Ui};

use super::request::{EditorContext, name_field_ui};
use super::vars::var_text_edit;
use super::{Named, theme};
use crate::app::command::{Action, Command};
use crate::app::state::{KvTable, RequestTab};
use crate::app::ws::composer::BinaryInput;
use crate::app::ws::{ConnStatus, WsCommand, WsSection, WsTab};
use crate::model::url_text as url;
use crate::model::*;

/// Draws a WebSocket tab's editor (top pane); returns whether the draft changed.
pub fn websocket_editor_ui(
    ui: &mut Ui,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    focus_url: &mut bool,
    out: &mut Vec<Command>,
) -> bool {
    let mut changed = false;
    super::request::disk_banner_ui(ui, cx.tab_id, tab, out);
    let RequestTab { draft, websocket, named_from_url, dirty, .. } = tab;
    let live = websocket.get_or_insert_with(Box::default);
    ui.horizontal(|ui| changed |= name_field_ui(ui, &cx.breadcrumb, &mut draft.name, named_from_url));
    ui.add_space(2.0);
    changed |= url_bar_ui(ui, draft, live, cx, std::mem::take(focus_url), *dirty, out);
    ui.add_space(4.0);
    // Params edited there rewrite the URL and report it as a change.
    changed |= sections_ui(ui, tab, cx, out);
    changed
}

/// Draws a WebSocket tab's live log (bottom pane).
pub fn websocket_log_ui(
    ui: &mut Ui,
    tab: &mut RequestTab,
    out: &mut Vec<Command>,
    tab_id: crate::app::state::TabId,
) {
    let live = tab.websocket.get_or_insert_with(Box::default);
    log::log_ui(ui, tab_id, live, out);
}

fn url_bar_ui(
    ui: &mut Ui,
    draft: &mut Request,
    live: &mut WsTab,
    cx: &EditorContext<'_>,
    focus: bool,
    dirty: bool,
    out: &mut Vec<Command>,
) -> bool {
    let tab_id = cx.tab_id;
    let mut changed = false;
    ui.horizontal(|ui| {
        let badge = draft.badge();
        ui.label(
            RichText::new(badge.as_str())
                .strong()
                .monospace()
                .color(theme::method_color(&badge, ui.visuals())),
        )
        .on_hover_text("WebSocket request");
        let connected = live.connected();
        let buttons_w = 190.0;
        let url_w = (ui.available_width() - buttons_w).max(120.0);
        let response = var_text_edit(ui, &mut draft.url, cx.vars, false, |e| {
            e.id(egui::Id::unique(("url", tab_id.0)))
                .desired_width(url_w)
                .hint_text("ws://localhost:8080/socket or wss://…")
                .font(egui::TextStyle::Monospace)
        })
        .named("URL");
        if focus {
            response.request_focus();
        }
        if response.changed() {
            draft.params = url::params_from_url(&draft.url, &draft.params);
            changed = true;
        }
        if response.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.command)
            && !connected
        {
            out.push(Command::WebSocket(WsCommand::Connect(tab_id)));
        }
        if connected {
            if ui
                .add(egui::Button::new(RichText::new("Disconnect").strong()).min_size(egui::vec2(90.0, 0.0)))
                .clicked()
            {
                out.push(Command::WebSocket(WsCommand::Disconnect(tab_id)));
            }
        } else if ui
            .add(egui::Button::new(RichText::new("Connect").strong()).min_size(egui::vec2(90.0, 0.0)))
            .on_hover_text("Open the connection (Enter in the URL)")
            .clicked()
        {
            out.push(Command::WebSocket(WsCommand::Connect(tab_id)));
        }
        let save_label = if dirty { "Save •" } else { "Save" };
        if ui.button(save_label).on_hover_text(Action::Save.with_shortcut(ui.ctx())).clicked() {
            out.push(Command::SaveTab(tab_id));
        }
    });
    status_line_ui(ui, &live.status);
    changed
}

fn status_line_ui(ui: &mut Ui, status: &ConnStatus) {
    let visuals = ui.visuals();
    let color = match status {
        ConnStatus::Open { .. } => theme::ok_color(visuals),
        ConnStatus::Failed(_) => theme::error_color(visuals),
        ConnStatus::Closed { code: Some(1000), .. } | ConnStatus::Idle => theme::muted(visuals),
        ConnStatus::Closed { .. } | ConnStatus::Connecting | ConnStatus::Reconnecting { .. } => {
            visuals.warn_fg_color
        }
    };
    ui.horizontal(|ui| {
        if matches!(status, ConnStatus::Connecting | ConnStatus::Reconnecting { .. }) {
            ui.spinner();
        } else {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter().circle_filled(rect.center(), 4.0, color);
        }
        ui.add(egui::Label::new(RichText::new(status.label()).color(color)).truncate());
    });
}

fn count_label(label: &str, n: usize) -> String {
    if n == 0 { label.to_owned() } else { format!("{label} ({n})") }
}

fn sections_ui(ui: &mut Ui, tab: &mut RequestTab, cx: &EditorContext<'_>, out: &mut Vec<Command>) -> bool {
    let d = &tab.draft;
    let sections = [
        (WsSection::Message, count_label("Message", d.websocket.messages.len())),
        (WsSection::Params, count_label("Params", d.params.iter().filter(|p| p.enabled).count())),
        (WsSection::Headers, count_label("Headers", d.headers.iter().filter(|p| p.enabled).count())),
        (WsSection::Auth, "Auth".to_owned()),
        (WsSection::Settings, "Settings".to_owned()),
        (WsSection::Docs, if d.description.trim().is_empty() { "Docs" } else { "Docs •" }.to_owned()),
    ];
    let Some(live) = tab.websocket.as_deref_mut() else { return false };
    ui.horizontal(|ui| {
        for (section, label) in sections {
            ui.selectable_value(&mut live.section, section, label);
        }
    });
    ui.separator();
    let section = live.section;
    let tab_id = cx.tab_id;
    if section == WsSection::Message {
        return message_ui(ui, tab, cx, out);
    }
    let mut changed = false;
    egui::ScrollArea::vertical().id_salt(("ws-editor", tab_id.0)).auto_shrink([false, true]).show(ui, |ui| {
        changed = match section {
            WsSection::Params => {
                let options = super::kv::KvOptions { row_name: "Param", ..super::kv::KvOptions::default() };
                let c = super::request::kv_section_ui(ui, tab, KvTable::Params, cx.vars, &options);
                if c {
                    tab.draft.url = url::url_with_params(&tab.draft.url, &tab.draft.params);
                }
                c
            }
            WsSection::Headers => super::request::headers_ui(ui, tab, cx, out),
            WsSection::Auth => {
                super::auth::auth_ui(ui, &mut tab.draft.auth, cx.vars, cx.inherited_auth.as_ref(), true)
            }
            WsSection::Settings => settings::websocket_settings_ui(ui, tab, cx.tls_bypass_allowed),
            WsSection::Docs => super::docs::description_ui(
                ui,
                egui::Id::unique(("ws-docs", tab_id.0)),
                &mut tab.draft.description,
                "What this endpoint does, what it expects, what it sends.",
            ),
            WsSection::Message => false,
        };
    });
    changed
}

/// The composer on the left, the saved messages on the right.
fn message_ui(ui: &mut Ui, tab: &mut RequestTab, cx: &EditorContext<'_>, out: &mut Vec<Command>) -> bool {
    let tab_id = cx.tab_id;
    let RequestTab { draft, websocket, .. } = tab;
    let Some(live) = websocket.as_deref_mut() else { return false };
    let saved_w = (ui.available_width() * 0.3).clamp(180.0, 320.0);
    let height = ui.available_height();
    let mut changed = false;
    ui.horizontal_top(|ui| {
        let composer_w = (ui.available_width() - saved_w - 12.0).max(200.0);
        ui.allocate_ui_with_layout(
            egui::vec2(composer_w, height),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_width(composer_w);
                composer_ui(ui, live, cx, out);
            },
        );
        ui.separator();
        ui.allocate_ui_with_layout(
            egui::vec2(saved_w, height),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_width(saved_w);
                changed |= saved_messages_ui(ui, tab_id, &mut draft.websocket.messages, live, out);
            },
        );
    });
    changed
}

fn composer_ui(ui: &mut Ui, live: &mut WsTab, cx: &EditorContext<'_>, out: &mut Vec<Command>) {
    let tab_id = cx.tab_id;
    let can_send = live.handle_open();
    let c = &mut live.composer;
    ui.horizontal(|ui| {
        for format in MessageFormat::ALL {
            if ui.selectable_value(&mut c.format, format, format.label()).changed() {
                c.error = None;
            }
        }
        if c.format == MessageFormat::Binary {
            ui.separator();
            for input in BinaryInput::ALL {
                ui.selectable_value(&mut c.binary_input, input, input.label());
            }
        }
        if c.format == MessageFormat::Json
            && ui.button("Pretty").on_hover_text("Re-indent the JSON").clicked()
        {
            out.push(Command::WebSocket(WsCommand::Pretty(tab_id)));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let send = ui
                .add_enabled(
                    can_send,
                    egui::Button::new(RichText::new("Send").strong()).min_size(egui::vec2(70.0, 0.0)),
                )
                .on_hover_text(format!("Send the message ({})", ui.ctx().format_shortcut(&send_shortcut())))
                .on_disabled_hover_text("Connect first");
            if send.clicked() {
                out.push(Command::WebSocket(WsCommand::Send(tab_id)));
            }
        });
    });
    let c = &mut live.composer;
    let hint = match c.format {
        MessageFormat::Text => "Message text; {{variables}} are resolved when sent",
        MessageFormat::Json => "{\"type\": \"hello\"}",
        MessageFormat::Binary => match c.binary_input {
            BinaryInput::Hex => "Bytes in hex: 01 02 ff",
            BinaryInput::Base64 => "Bytes in base64: AQL/",
        },
    };
    let rows = ((ui.available_height() - 60.0) / 16.0).clamp(2.0, 20.0) as usize;
    let response = var_text_edit(ui, &mut c.text, cx.vars, true, |e| {
        e.id_salt(("ws-composer", tab_id.0))
            .code_editor()
            .desired_rows(rows)
            .desired_width(f32::INFINITY)
            .hint_text(hint)
    })
    .named("Message to send");
    if response.changed() {
        c.error = None;
    }
    if c.error.is_none()
        && let Some(e) = c.json_warning()
    {
        ui.label(RichText::new(e).color(ui.visuals().warn_fg_color).small());
    }
    if let Some(e) = &c.error {
        ui.add(egui::Label::new(RichText::new(e).color(theme::error_color(ui.visuals()))).wrap());
    }
    ui.horizontal(|ui| {
        ui.add(TextEdit::singleline(&mut c.save_name).hint_text("Name").desired_width(160.0))
            .named("Message name");
        if ui
            .button("Save message")
            .on_hover_text("Keep this message with the request to send again")
            .clicked()
        {
            out.push(Command::WebSocket(WsCommand::SaveMessage(tab_id)));
        }
    });
}

fn send_shortcut() -> egui::KeyboardShortcut {
    Action::Send.shortcut().unwrap_or(egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Enter))
}

/// The saved messages: click a name to edit it in the composer, ▶ to send it as it is.
fn saved_messages_ui(
    ui: &mut Ui,
    tab_id: crate::app::state::TabId,
    messages: &mut [SavedMessage],
    live: &mut WsTab,
    out: &mut Vec<Command>,
) -> bool {
    ui.label(RichText::new("Saved messages").strong());
    if messages.is_empty() {
        ui.label(RichText::new("None yet: write a message and press Save message.").weak().small());
        return false;
    }
    let can_send = live.handle_open();
    egui::ScrollArea::vertical().id_salt(("ws-saved", tab_id.0)).auto_shrink([false, true]).show(ui, |ui| {
        for m in messages.iter() {
            ui.horizontal(|ui| {
                if let Some((id, name)) = &mut live.renaming
                    && *id == m.id
                {
                    let r = ui
                        .add(TextEdit::singleline(name).desired_width(ui.available_width() - 30.0))
                        .named("Rename message");
                    r.request_focus();
                    if r.lost_focus() {
                        if !ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                            out.push(Command::WebSocket(WsCommand::RenameMessage(
                                tab_id,
                                m.id,
                                name.clone(),
                            )));
                        }
                        live.renaming = None;
                    }
                    return;
                }
                let send = ui
                    .add_enabled(can_send, egui::Button::new("▶").small())
                    .on_hover_text(format!("Send \"{}\"", m.name));
                if send.clicked() {
                    out.push(Command::WebSocket(WsCommand::SendSaved(tab_id, m.id)));
                }
                ui.label(RichText::new(m.format.label()).small().weak());
                let name_w = (ui.available_width() - 84.0).max(40.0);
                let name = ui
                    .add_sized([name_w, 18.0], egui::Button::new(&m.name).frame(false).truncate())
                    .on_hover_text("Open in the composer (double-click to rename)");
                if ui.small_button("✏").on_hover_text(format!("Rename \"{}\"", m.name)).clicked() {
                    live.renaming = Some((m.id, m.name.clone()));
                }
                if ui.small_button("🗑").on_hover_text(format!("Delete \"{}\"", m.name)).clicked() {
                    out.push(Command::WebSocket(WsCommand::DeleteMessage(tab_id, m.id)));
                }
                if name.double_clicked() {
                    live.renaming = Some((m.id, m.name.clone()));
                } else if name.clicked() {
                    out.push(Command::WebSocket(WsCommand::LoadMessage(tab_id, m.id)));
                }
                name.context_menu(|ui| {
                    if ui.button("Rename").clicked() {
                        live.renaming = Some((m.id, m.name.clone()));
                        ui.close();
                    }
                    if ui.button("Delete").clicked() {
                        out.push(Command::WebSocket(WsCommand::DeleteMessage(tab_id, m.id)));
                        ui.close();
                    }
                });
            });
        }
    });
    false
}
