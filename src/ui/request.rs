//! The request editor: method, URL and Send on top; Params, Path variables, Headers, Body, Auth,
//! Settings, Checks, Scripts and Description below.

use egui::{ComboBox, RichText, TextEdit, Ui};

use super::auth::{auth_header_preview, auth_ui};
use super::cell;
use super::kv::{KvOptions, kv_table_ui, to_bulk};
use super::vars::{VarIndex, var_text_edit};
use super::{Named, path_field, theme};
use crate::app::command::{Action, Command, FileField};
use crate::app::state::{DiskState, EditorSection, KvTable, PathField, RequestTab, TabId};
use crate::model::url_text as url;
use crate::model::*;

/// What the editor needs besides the tab.
pub struct EditorContext<'a> {
    /// The tab's id, for the commands the editor queues and the ids of its widgets.
    pub tab_id: TabId,
    pub vars: &'a VarIndex,
    /// Header presets of the workspace, for "Insert preset".
    pub presets: Vec<(PresetId, String)>,
    /// Where "inherit" takes its auth from: the container's name and its auth.
    pub inherited_auth: Option<(String, Auth)>,
    /// Where the request is saved ("Collection / Folder"), empty when unsaved.
    pub breadcrumb: String,
    pub tls_bypass_allowed: bool,
    /// Where scripts last stopped on an error.
    pub script_marks: &'a crate::app::scripts::ScriptMarks,
    /// Why scripts do not run (the organization's policy), if they do not.
    pub scripts_forbidden: Option<String>,
    /// The settings the request's folders and collection give it (what "inherit" means).
    pub inherited_settings: RequestSettings,
}

impl EditorContext<'_> {
    /// The settings a send of `draft` would use: its own, inheriting the rest.
    fn sent_settings(&self, draft: &Request) -> RequestSettings {
        let mut s = draft.settings.clone();
        s.inherit(&self.inherited_settings);
        s
    }
}

/// Draws the top part of a request tab; returns whether the draft changed.
pub fn request_ui(
    ui: &mut Ui,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    focus_url: &mut bool,
    out: &mut Vec<Command>,
) -> bool {
    let mut changed = false;
    disk_banner_ui(ui, cx.tab_id, tab, out);
    ui.horizontal(|ui| {
        changed |= name_field_ui(ui, &cx.breadcrumb, &mut tab.draft.name, &mut tab.named_from_url);
        super::examples::examples_menu_ui(ui, &tab.draft, out);
    });
    ui.add_space(2.0);
    changed |= url_bar_ui(ui, tab, cx, std::mem::take(focus_url), out);
    ui.add_space(4.0);
    changed |= sections_ui(ui, tab, cx, out);
    changed
}

/// The start of the row above the URL bar (inside the caller's `horizontal`): the breadcrumb
/// and the request's name; editing the name stops naming the request after its URL. Returns
/// whether the name changed.
pub(super) fn name_field_ui(
    ui: &mut Ui,
    breadcrumb: &str,
    name: &mut String,
    named_from_url: &mut bool,
) -> bool {
    if !breadcrumb.is_empty() {
        ui.label(RichText::new(format!("{breadcrumb} /")).weak());
    }
    let edit = TextEdit::singleline(name).frame(egui::Frame::NONE).desired_width(ui.available_width() * 0.6);
    let changed = ui.add(edit).named("Request name").on_hover_text("Request name").changed();
    if changed {
        *named_from_url = false;
    }
    changed
}

/// Says when the open request was changed or deleted on disk, with what to do about it.
pub(super) fn disk_banner_ui(ui: &mut Ui, tab_id: TabId, tab: &RequestTab, out: &mut Vec<Command>) {
    let text = match tab.disk {
        DiskState::InSync => return,
        DiskState::Changed => {
            "⚠ This request was changed on disk while you were editing it. Your edits are kept; saving asks what to do."
        }
        DiskState::Deleted => "⚠ This request was deleted on disk.",
    };
    egui::Frame::new()
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
        .inner_margin(6)
        .corner_radius(4)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(text);
                match tab.disk {
                    DiskState::Changed => {
                        if ui.button("Use the version on disk").clicked() {
                            out.push(Command::DiscardDraft(tab_id));
                        }
                    }
                    DiskState::Deleted => {
                        if ui.button("Keep it (re-create the file)").clicked() {
                            out.push(Command::KeepDeleted(tab_id));
                        }
                        if ui.button("Close").clicked() {
                            out.push(Command::CloseTabDiscard(tab_id));
                        }
                    }
                    DiskState::InSync => {}
                }
            });
        });
}

/// Method, URL, Send (or Cancel) and Save. The URL field takes the keyboard focus when `focus`.
fn url_bar_ui(
    ui: &mut Ui,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    focus: bool,
    out: &mut Vec<Command>,
) -> bool {
    let tab_id = cx.tab_id;
    let mut changed = false;
    ui.horizontal(|ui| {
        changed |= method_picker_ui(ui, tab);
        let in_flight = tab.in_flight.is_some();
        let buttons_w = if in_flight { 215.0 } else { 150.0 };
        let url_w = (ui.available_width() - buttons_w).max(120.0);
        let before = tab.draft.url.clone();
        let response = var_text_edit(ui, &mut tab.draft.url, cx.vars, false, |e| {
            e.id(egui::Id::unique(("url", tab_id.0)))
                .desired_width(url_w)
                .hint_text("Enter URL or paste a cURL command")
                .font(egui::TextStyle::Monospace)
        })
        .named("URL");
        if focus {
            response.request_focus();
        }
        // A pasted cURL command becomes the request; typing is typing (`curl ` stays as typed
        // until the command is complete and Enter turns it into the request).
        let pasted = response.has_focus() || response.lost_focus();
        let pasted = pasted && ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Paste(_))));
        if response.changed() {
            if pasted && is_curl_command(&tab.draft.url) {
                out.push(Command::PasteCurl { tab: tab_id, text: tab.draft.url.clone() });
                tab.draft.url = before;
            } else {
                tab.url_changed();
                changed = true;
            }
        }
        if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.command) {
            if is_curl_command(&tab.draft.url) {
                out.push(Command::PasteCurl { tab: tab_id, text: tab.draft.url.clone() });
            } else {
                out.push(Command::Send(tab_id));
            }
        }
        if let Some(f) = &tab.in_flight {
            ui.spinner();
            ui.label(format!("{:.1} s", f.started.elapsed().as_secs_f32()));
            if super::sse::streaming(tab) {
                super::sse::stop_button_ui(ui, tab_id, out);
            } else if ui.button("Cancel").on_hover_text("Cancel the request (Esc)").clicked() {
                out.push(Command::Cancel(tab_id));
            }
        } else {
            let send = egui::Button::new(RichText::new("Send").strong()).min_size(egui::vec2(70.0, 0.0));
            if ui.add(send).on_hover_text(Action::Send.with_shortcut(ui.ctx())).clicked() {
                out.push(Command::Send(tab_id));
            }
        }
        let save_label = if tab.dirty { "Save •" } else { "Save" };
        if ui.button(save_label).on_hover_text(Action::Save.with_shortcut(ui.ctx())).clicked() {
            out.push(Command::SaveTab(tab_id));
        }
    });
    changed
}

/// Whether the URL field holds a cURL command rather than a URL.
fn is_curl_command(text: &str) -> bool {
    let trimmed = text.trim_start();
    trimmed.starts_with("curl ") || trimmed.starts_with("curl\t")
}

fn method_picker_ui(ui: &mut Ui, tab: &mut RequestTab) -> bool {
    let mut changed = false;
    let current = tab.draft.method.clone();
    let color = theme::method_color(&current, ui.visuals());
    ComboBox::from_id_salt("method")
        .selected_text(RichText::new(current.as_str()).color(color).strong().monospace())
        .width(96.0)
        .show_ui(ui, |ui| {
            for m in Method::STANDARD {
                let text = RichText::new(m.as_str()).color(theme::method_color(&m, ui.visuals())).monospace();
                if ui.selectable_label(tab.draft.method == m, text).clicked() {
                    tab.draft.method = m;
                    tab.custom_method = None;
                    changed = true;
                }
            }
            ui.separator();
            if ui.selectable_label(matches!(tab.draft.method, Method::Custom(_)), "Custom…").clicked() {
                tab.custom_method = Some(match &tab.draft.method {
                    Method::Custom(t) => t.clone(),
                    _ => String::new(),
                });
            }
        })
        .named("Method");
    if let Some(custom) = &mut tab.custom_method {
        let r = ui.add(TextEdit::singleline(custom).desired_width(80.0).hint_text("METHOD").char_limit(32));
        if r.changed() {
            let token = custom.trim().to_ascii_uppercase();
            if !token.is_empty() {
                tab.draft.method = Method::parse(&token);
                changed = true;
            }
        }
        if r.lost_focus() {
            tab.custom_method = None;
        }
    }
    changed
}

fn count_label(label: &str, n: usize) -> String {
    if n == 0 { label.to_owned() } else { format!("{label} ({n})") }
}

fn sections_ui(ui: &mut Ui, tab: &mut RequestTab, cx: &EditorContext<'_>, out: &mut Vec<Command>) -> bool {
    let tab_id = cx.tab_id;
    let mut changed = false;
    let d = &tab.draft;
    let params = d.params.iter().filter(|p| p.enabled).count();
    let headers = d.headers.iter().filter(|p| p.enabled).count();
    let body_label = if d.body.mode == BodyMode::None {
        "Body".to_owned()
    } else {
        format!("Body ({})", d.body.mode.label())
    };
    let sections = [
        (EditorSection::Params, count_label("Params", params)),
        (EditorSection::PathVariables, count_label("Path variables", d.path_variables.len())),
        (EditorSection::Headers, count_label("Headers", headers)),
        (EditorSection::Body, body_label),
        (EditorSection::Auth, "Auth".to_owned()),
        (EditorSection::Settings, "Settings".to_owned()),
        (EditorSection::Checks, count_label("Checks", d.assertions.len() + d.captures.len())),
        (
            EditorSection::Scripts,
            count_label(
                "Scripts",
                usize::from(!d.scripts.pre_request.trim().is_empty())
                    + usize::from(!d.scripts.test.trim().is_empty()),
            ),
        ),
        (
            EditorSection::Description,
            if d.description.trim().is_empty() { "Docs" } else { "Docs •" }.to_owned(),
        ),
    ];
    ui.horizontal(|ui| {
        for (section, label) in sections {
            if section == EditorSection::PathVariables
                && tab.draft.path_variables.is_empty()
                && tab.section != section
            {
                continue;
            }
            ui.selectable_value(&mut tab.section, section, label);
        }
    });
    ui.separator();
    egui::ScrollArea::vertical().id_salt(("editor", tab_id.0)).auto_shrink([false, true]).show(ui, |ui| {
        changed |= match tab.section {
            EditorSection::Params => {
                let options = KvOptions { row_name: "Param", ..KvOptions::default() };
                let c = kv_section_ui(ui, tab, KvTable::Params, cx.vars, &options);
                if c {
                    tab.draft.url = url::url_with_params(&tab.draft.url, &tab.draft.params);
                }
                c
            }
            EditorSection::PathVariables => {
                ui.label(RichText::new("Values for the :name segments of the URL.").weak());
                let options =
                    KvOptions { row_name: "Path variable", editable_keys: false, ..KvOptions::default() };
                kv_section_ui(ui, tab, KvTable::PathVariables, cx.vars, &options)
            }
            EditorSection::Headers => headers_ui(ui, tab, cx, out),
            EditorSection::Body => body_ui(ui, tab, cx, out),
            EditorSection::Auth => {
                auth_ui(ui, &mut tab.draft.auth, cx.vars, cx.inherited_auth.as_ref(), true)
            }
            EditorSection::Settings => settings_ui(ui, &mut tab.draft.settings, cx.tls_bypass_allowed),
            EditorSection::Checks => super::checks::checks_ui(ui, tab_id.0, &mut tab.draft),
            EditorSection::Scripts => {
                let scripts_cx = super::code::ScriptsContext {
                    owner: crate::script::ScriptOwner::Request(tab.draft.id),
                    marks: cx.script_marks,
                    forbidden: cx.scripts_forbidden.as_deref(),
                };
                super::code::scripts_ui(ui, &mut tab.draft.scripts, &mut tab.script_event, &scripts_cx)
            }
            EditorSection::Description => super::docs::description_ui(
                ui,
                egui::Id::unique(("request-docs", tab_id.0)),
                &mut tab.draft.description,
                "What this request does, what it needs, what it returns.",
            ),
        };
    });
    changed
}

fn table_rows(draft: &mut Request, table: KvTable) -> &mut Vec<KeyValue> {
    match table {
        KvTable::Params => &mut draft.params,
        KvTable::PathVariables => &mut draft.path_variables,
        KvTable::Headers => &mut draft.headers,
        KvTable::UrlEncoded => &mut draft.body.urlencoded,
    }
}

/// A key/value table with its "Bulk edit" switch.
pub(super) fn kv_section_ui(
    ui: &mut Ui,
    tab: &mut RequestTab,
    table: KvTable,
    vars: &VarIndex,
    options: &KvOptions,
) -> bool {
    let key = table as u8;
    let bulk = tab.bulk.contains(&table);
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let label = if bulk { "Key-value edit" } else { "Bulk edit" };
            if options.editable_keys && ui.small_button(label).clicked() {
                if bulk {
                    tab.bulk.remove(&table);
                } else {
                    tab.bulk.insert(table);
                    let text = to_bulk(table_rows(&mut tab.draft, table));
                    tab.bulk_text.insert(key, text);
                }
            }
        });
    });
    let bulk_text = if tab.bulk.contains(&table) { tab.bulk_text.get_mut(&key) } else { None };
    let rows = match table {
        KvTable::Params => &mut tab.draft.params,
        KvTable::PathVariables => &mut tab.draft.path_variables,
        KvTable::Headers => &mut tab.draft.headers,
        KvTable::UrlEncoded => &mut tab.draft.body.urlencoded,
    };
    kv_table_ui(ui, &format!("kv-{key}"), rows, vars, bulk_text, options)
}

pub(super) fn headers_ui(
    ui: &mut Ui,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    out: &mut Vec<Command>,
) -> bool {
    ui.horizontal(|ui| {
        ComboBox::from_id_salt("presets")
            .selected_text("Insert preset")
            .show_ui(ui, |ui| {
                if cx.presets.is_empty() {
                    ui.label(RichText::new("No header presets yet (sidebar -> Presets)").weak());
                }
                for (id, name) in &cx.presets {
                    if ui.selectable_label(false, name).clicked() {
                        out.push(Command::InsertPreset { tab: cx.tab_id, preset: *id });
                    }
                }
            })
            .named("Insert header preset");
    });
    let options = KvOptions { row_name: "Header", ..KvOptions::default() };
    let changed = kv_section_ui(ui, tab, KvTable::Headers, cx.vars, &options);
    ui.add_space(6.0);
    egui::CollapsingHeader::new(RichText::new("Headers Localpost adds").weak()).default_open(true).show(
        ui,
        |ui| {
            egui::Grid::new("auto-headers").num_columns(2).spacing([12.0, 2.0]).show(ui, |ui| {
                let weak = theme::muted(ui.visuals());
                for (name, value) in crate::http::added_headers(&tab.draft, &cx.sent_settings(&tab.draft)) {
                    ui.label(RichText::new(name).color(weak));
                    ui.label(RichText::new(value).color(weak));
                    ui.end_row();
                }
                if let Some(what) = auth_header_preview(&tab.draft.auth, cx.inherited_auth.as_ref()) {
                    ui.label(RichText::new(what.0).color(weak));
                    ui.label(RichText::new(what.1).color(weak));
                    ui.end_row();
                }
            });
        },
    );
    changed
}

fn body_ui(ui: &mut Ui, tab: &mut RequestTab, cx: &EditorContext<'_>, out: &mut Vec<Command>) -> bool {
    let tab_id = cx.tab_id;
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        for mode in BodyMode::ALL {
            changed |= ui.radio_value(&mut tab.draft.body.mode, mode, mode.label()).changed();
        }
        if tab.draft.body.mode == BodyMode::Raw {
            ui.separator();
            ComboBox::from_id_salt("raw-language")
                .selected_text(tab.draft.body.raw_language.label())
                .show_ui(ui, |ui| {
                    for lang in RawLanguage::ALL {
                        changed |= ui
                            .selectable_value(&mut tab.draft.body.raw_language, lang, lang.label())
                            .changed();
                    }
                })
                .named("Body language");
            if tab.draft.body.raw_language == RawLanguage::Json && ui.small_button("Beautify").clicked() {
                let cancel = std::sync::atomic::AtomicBool::new(false);
                if let Some(pretty) = crate::app::body::pretty_json(&tab.draft.body.raw, &cancel) {
                    tab.draft.body.raw = pretty;
                    changed = true;
                }
            }
        }
    });
    ui.add_space(4.0);
    if tab.draft.body.mode == BodyMode::UrlEncoded {
        let options = KvOptions { row_name: "Form field", ..KvOptions::default() };
        return kv_section_ui(ui, tab, KvTable::UrlEncoded, cx.vars, &options) || changed;
    }
    if tab.draft.body.mode == BodyMode::GraphQl {
        return super::graphql::graphql_body_ui(ui, tab, cx, out) || changed;
    }
    let body = &mut tab.draft.body;
    match body.mode {
        BodyMode::None => {
            ui.label(RichText::new("This request does not have a body.").weak());
        }
        BodyMode::Raw => changed |= code_edit_ui(ui, &mut body.raw, cx.vars, ("raw-body", tab_id.0), 12),
        // Drawn above: the form table and `super::graphql`.
        BodyMode::UrlEncoded | BodyMode::GraphQl => {}
        BodyMode::Multipart => changed |= multipart_ui(ui, tab_id, &mut body.multipart, cx.vars, out),
        BodyMode::Binary => {
            ui.label("The file's bytes are sent as the whole body, streamed from disk.");
            ui.horizontal(|ui| {
                let edit = TextEdit::singleline(&mut body.binary_path)
                    .desired_width(ui.available_width() - 90.0)
                    .hint_text("/path/to/file");
                changed |= path_field::add(ui, PathField::Body, edit).changed();
                if ui.button("Browse…").clicked() {
                    out.push(Command::PickFile { tab: tab_id, field: FileField::Binary });
                }
            });
        }
    }
    changed
}

/// A full-width code editor of `rows` lines that highlights {{variables}} (a raw or GraphQL body).
fn code_edit_ui(
    ui: &mut Ui,
    text: &mut String,
    vars: &VarIndex,
    id_salt: impl egui::AsIdSalt,
    rows: usize,
) -> bool {
    var_text_edit(ui, text, vars, true, |e| {
        e.id_salt(id_salt).code_editor().desired_rows(rows).desired_width(f32::INFINITY)
    })
    .changed()
}

fn multipart_ui(
    ui: &mut Ui,
    tab_id: TabId,
    parts: &mut Vec<FormPart>,
    vars: &VarIndex,
    out: &mut Vec<Command>,
) -> bool {
    let mut changed = false;
    let mut remove = None;
    egui::Grid::new("multipart").num_columns(6).spacing([6.0, 4.0]).striped(true).show(ui, |ui| {
        for h in ["", "Key", "Type", "Value", "Content-Type", ""] {
            ui.strong(h);
        }
        ui.end_row();
        for (i, part) in parts.iter_mut().enumerate() {
            changed |= ui.checkbox(&mut part.enabled, "").changed();
            changed |= cell(ui, 120.0, |ui| {
                ui.add(TextEdit::singleline(&mut part.key).desired_width(120.0).hint_text("Key"))
            })
            .changed();
            let is_file = matches!(part.kind, FormPartKind::File(_));
            ComboBox::from_id_salt(("part-kind", i))
                .selected_text(if is_file { "File" } else { "Text" })
                .width(60.0)
                .show_ui(ui, |ui| {
                    if ui.selectable_label(!is_file, "Text").clicked() && is_file {
                        part.kind = FormPartKind::Text(String::new());
                        changed = true;
                    }
                    if ui.selectable_label(is_file, "File").clicked() && !is_file {
                        part.kind = FormPartKind::File(String::new());
                        changed = true;
                    }
                })
                .named("Part type");
            match &mut part.kind {
                FormPartKind::Text(value) => {
                    changed |= cell(ui, 200.0, |ui| {
                        var_text_edit(ui, value, vars, false, |e| e.desired_width(200.0).hint_text("Value"))
                    })
                    .changed();
                }
                FormPartKind::File(path) => {
                    cell(ui, 220.0, |ui| {
                        let edit = TextEdit::singleline(path).desired_width(150.0).hint_text("/path/to/file");
                        changed |= path_field::add(ui, PathField::Body, edit).changed();
                        if ui.small_button("Browse…").clicked() {
                            out.push(Command::PickFile { tab: tab_id, field: FileField::MultipartPart(i) });
                        }
                    });
                }
            }
            changed |= cell(ui, 110.0, |ui| {
                ui.add(TextEdit::singleline(&mut part.content_type).desired_width(110.0).hint_text("auto"))
            })
            .changed();
            if ui.small_button("✖").clicked() {
                remove = Some(i);
            }
            ui.end_row();
        }
    });
    if let Some(i) = remove {
        parts.remove(i);
        changed = true;
    }
    ui.horizontal(|ui| {
        if ui.button("+ Text field").clicked() {
            parts.push(FormPart::text("", ""));
            changed = true;
        }
        if ui.button("+ File").clicked() {
            parts.push(FormPart::file("", ""));
            changed = true;
        }
    });
    changed
}

/// A choice between `on`, `off` and the app's default (`None`).
pub(super) fn tri_state(ui: &mut Ui, id: &str, value: &mut Option<bool>, on: &str, off: &str) -> bool {
    let mut changed = false;
    let default_label = "App default";
    let text = match value {
        None => default_label.to_owned(),
        Some(true) => on.to_owned(),
        Some(false) => off.to_owned(),
    };
    ComboBox::from_id_salt(id)
        .selected_text(text)
        .width(220.0)
        .show_ui(ui, |ui| {
            changed |= ui.selectable_value(value, None, default_label).changed();
            changed |= ui.selectable_value(value, Some(true), on).changed();
            changed |= ui.selectable_value(value, Some(false), off).changed();
        })
        .named(id);
    changed
}

/// A number that is the app's default unless ticked; ticking it starts at `initial`. A `unit`
/// follows the value, then a `note`.
pub(super) fn optional_number_ui<T: egui::emath::Numeric>(
    ui: &mut Ui,
    value: &mut Option<T>,
    initial: T,
    range: std::ops::RangeInclusive<T>,
    unit: Option<&str>,
    note: Option<&str>,
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        let mut custom = value.is_some();
        if ui.checkbox(&mut custom, "").changed() {
            *value = custom.then_some(initial);
            changed = true;
        }
        match value {
            Some(n) => {
                let mut drag = egui::DragValue::new(n).range(range);
                if let Some(unit) = unit {
                    drag = drag.suffix(unit);
                }
                changed |= ui.add(drag).changed();
                if let Some(note) = note {
                    ui.label(RichText::new(note).weak());
                }
            }
            None => {
                ui.label(RichText::new("app default").weak());
            }
        }
    });
    changed
}

/// The grid rows an HTTP and a WebSocket request share: the timeout (labelled `timeout_label`)
/// and TLS certificate verification, which the policy may forbid turning off.
pub(super) fn timeout_and_tls_rows(
    ui: &mut Ui,
    s: &mut RequestSettings,
    timeout_label: &str,
    tls_bypass_allowed: bool,
) -> bool {
    ui.label(timeout_label);
    let mut changed =
        optional_number_ui(ui, &mut s.timeout_ms, 30_000, 0..=3_600_000, Some(" ms"), Some("0 = no limit"));
    ui.end_row();
    ui.label("TLS certificate verification");
    ui.add_enabled_ui(tls_bypass_allowed, |ui| {
        changed |= tri_state(ui, "verify-tls", &mut s.verify_tls, "Verify", "Do not verify (insecure)");
    })
    .response
    .on_disabled_hover_text("🔒 Turning verification off is not allowed by your organization's policy.");
    ui.end_row();
    changed
}

/// Per-request transport settings; `tls_bypass_allowed` is false when the policy forbids it.
pub fn settings_ui(ui: &mut Ui, s: &mut RequestSettings, tls_bypass_allowed: bool) -> bool {
    let mut changed = false;
    egui::Grid::new("request-settings").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
        ui.label("Follow redirects");
        changed |= tri_state(ui, "Follow redirects", &mut s.follow_redirects, "Follow", "Do not follow");
        ui.end_row();
        ui.label("Keep the method on 301/302");
        changed |=
            tri_state(ui, "orig-method", &mut s.follow_original_method, "Keep (e.g. POST)", "Switch to GET");
        ui.end_row();
        ui.label("Maximum redirects");
        changed |= optional_number_ui(ui, &mut s.max_redirects, 10, 0..=100, None, None);
        ui.end_row();
        changed |= timeout_and_tls_rows(ui, s, "Timeout", tls_bypass_allowed);
        ui.label("Automatic headers");
        let mut auto = !s.disable_auto_headers;
        if ui.checkbox(&mut auto, "Add User-Agent, Accept-Encoding and Content-Type when not set").changed() {
            s.disable_auto_headers = !auto;
            changed = true;
        }
        ui.end_row();
        changed |= super::sse::stream_settings_ui(ui, s);
    });
    changed
}
