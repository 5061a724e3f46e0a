//! The request editor: method, URL and Send on top; Params, Path variables, Headers, Body, Auth,
//! Settings, Checks, Scripts and Description below.

use egui::{ComboBox, RichText, TextEdit, Ui};

use super::cell;
use super::kv::{KvOptions, kv_table_ui, to_bulk};
use super::vars::{VarIndex, var_text_edit};
use super::{Named, theme};
use crate::app::command::{Action, Command, FileField};
use crate::app::state::{DiskState, EditorSection, KvTable, RequestTab, TabId};
use crate::model::url_text as url;
use crate::model::*;

/// What the editor needs besides the tab.
pub struct EditorContext<'a> {
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
}

/// Draws the top part of a request tab; returns whether the draft changed.
pub fn request_ui(
    ui: &mut Ui,
    tab_id: TabId,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    focus_url: &mut bool,
    out: &mut Vec<Command>,
) -> bool {
    let mut changed = false;
    disk_banner_ui(ui, tab_id, tab, out);
    ui.horizontal(|ui| {
        if !cx.breadcrumb.is_empty() {
            ui.label(RichText::new(format!("{} /", cx.breadcrumb)).weak());
        }
        let name = TextEdit::singleline(&mut tab.draft.name)
            .frame(egui::Frame::NONE)
            .desired_width(ui.available_width() * 0.6);
        changed |= ui.add(name).named("Request name").on_hover_text("Request name").changed();
    });
    ui.add_space(2.0);
    changed |= url_bar_ui(ui, tab_id, tab, cx, focus_url, out);
    ui.add_space(4.0);
    changed |= sections_ui(ui, tab_id, tab, cx, out);
    changed
}

fn disk_banner_ui(ui: &mut Ui, tab_id: TabId, tab: &RequestTab, out: &mut Vec<Command>) {
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

fn url_bar_ui(
    ui: &mut Ui,
    tab_id: TabId,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    focus_url: &mut bool,
    out: &mut Vec<Command>,
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        changed |= method_picker_ui(ui, tab);
        let in_flight = tab.in_flight.is_some();
        let buttons_w = if in_flight { 190.0 } else { 150.0 };
        let url_w = (ui.available_width() - buttons_w).max(120.0);
        let before = tab.draft.url.clone();
        let response = var_text_edit(ui, &mut tab.draft.url, cx.vars, false, |e| {
            e.id(egui::Id::unique(("url", tab_id.0)))
                .desired_width(url_w)
                .hint_text("Enter URL or paste a cURL command")
                .font(egui::TextStyle::Monospace)
        })
        .named("URL");
        if *focus_url {
            response.request_focus();
            *focus_url = false;
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
                tab.draft.params = url::params_from_url(&tab.draft.url, &tab.draft.params);
                tab.draft.path_variables = url::path_variables_for(&tab.draft.url, &tab.draft.path_variables);
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
            if ui.button("Cancel").on_hover_text("Cancel the request (Esc)").clicked() {
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

fn sections_ui(
    ui: &mut Ui,
    tab_id: TabId,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    out: &mut Vec<Command>,
) -> bool {
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
        (EditorSection::Description, "Description".to_owned()),
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
            EditorSection::Headers => headers_ui(ui, tab_id, tab, cx, out),
            EditorSection::Body => body_ui(ui, tab_id, tab, cx, out),
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
            EditorSection::Description => {
                ui.label(RichText::new("Markdown").weak());
                ui.add(
                    TextEdit::multiline(&mut tab.draft.description)
                        .desired_rows(8)
                        .desired_width(f32::INFINITY)
                        .hint_text("What this request does, what it needs, what it returns."),
                )
                .changed()
            }
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
fn kv_section_ui(
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

fn headers_ui(
    ui: &mut Ui,
    tab_id: TabId,
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
                        out.push(Command::InsertPreset { tab: tab_id, preset: *id });
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
                for (name, value) in super::url::auto_headers(&tab.draft) {
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

/// A grid row with a multi-line field of a fixed height that scrolls (a PEM key, a JSON
/// payload), so a long value does not push the rest of the form away.
fn text_area(ui: &mut Ui, label: &str, text: &mut String, rows: usize, code: bool) -> bool {
    ui.label(label);
    let row = ui.text_style_height(&egui::TextStyle::Monospace);
    let changed = egui::ScrollArea::vertical()
        .id_salt(label)
        .max_height(row * rows as f32 + 10.0)
        .min_scrolled_height(row * rows as f32 + 10.0)
        .show(ui, |ui| {
            let mut edit = TextEdit::multiline(text).desired_width(320.0).desired_rows(rows);
            if code {
                edit = edit.code_editor();
            }
            ui.add(edit).named(label).changed()
        })
        .inner;
    ui.end_row();
    changed
}

fn auth_header_preview(auth: &Auth, inherited: Option<&(String, Auth)>) -> Option<(String, String)> {
    let auth = match auth {
        Auth::Inherit => &inherited?.1,
        other => other,
    };
    Some(match auth {
        Auth::Basic { .. } => ("Authorization".into(), "Basic <from the Auth tab>".into()),
        Auth::Bearer { .. } => ("Authorization".into(), "Bearer <from the Auth tab>".into()),
        Auth::Digest(_) => ("Authorization".into(), "Digest <after the server's challenge>".into()),
        Auth::OAuth2(o) if o.token_in_query => return None,
        Auth::OAuth2(o) if o.access_token.is_empty() && !o.fetch_automatically => return None,
        Auth::OAuth2(o) if o.access_token.is_empty() => {
            ("Authorization".into(), "Bearer <token fetched by OAuth 2.0>".into())
        }
        Auth::OAuth2(_) => ("Authorization".into(), "Bearer <the access token>".into()),
        Auth::AwsSigV4(_) => ("Authorization".into(), "AWS4-HMAC-SHA256 <signed when sent>".into()),
        Auth::OAuth1(o) if o.in_header => ("Authorization".into(), "OAuth <signed when sent>".into()),
        Auth::Hawk(_) => ("Authorization".into(), "Hawk <signed when sent>".into()),
        Auth::Asap(_) => ("Authorization".into(), "Bearer <ASAP token signed when sent>".into()),
        Auth::EdgeGrid(_) => ("Authorization".into(), "EG1-HMAC-SHA256 <signed when sent>".into()),
        Auth::Ntlm(_) => ("Authorization".into(), "NTLM <when the server asks>".into()),
        Auth::Jwt(j) if !j.in_query => {
            ("Authorization".into(), format!("{} <JWT signed when sent>", j.header_prefix.trim()))
        }
        Auth::ApiKey { key, location: ApiKeyLocation::Header, .. } => {
            (key.clone(), "<from the Auth tab>".into())
        }
        _ => return None,
    })
}

fn body_ui(
    ui: &mut Ui,
    tab_id: TabId,
    tab: &mut RequestTab,
    cx: &EditorContext<'_>,
    out: &mut Vec<Command>,
) -> bool {
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
    let body = &mut tab.draft.body;
    match body.mode {
        BodyMode::None => {
            ui.label(RichText::new("This request does not have a body.").weak());
        }
        BodyMode::Raw => {
            changed |= var_text_edit(ui, &mut body.raw, cx.vars, true, |e| {
                e.id_salt(("raw-body", tab_id.0)).code_editor().desired_rows(12).desired_width(f32::INFINITY)
            })
            .changed();
        }
        BodyMode::UrlEncoded => {}
        BodyMode::Multipart => changed |= multipart_ui(ui, tab_id, &mut body.multipart, cx.vars, out),
        BodyMode::Binary => {
            ui.label("The file's bytes are sent as the whole body, streamed from disk.");
            ui.horizontal(|ui| {
                changed |= ui
                    .add(
                        TextEdit::singleline(&mut body.binary_path)
                            .desired_width(ui.available_width() - 90.0)
                            .hint_text("/path/to/file"),
                    )
                    .changed();
                if ui.button("Browse…").clicked() {
                    out.push(Command::PickFile { tab: tab_id, field: FileField::Binary });
                }
            });
        }
        BodyMode::GraphQl => {
            ui.columns(2, |cols| {
                cols[0].label("Query");
                changed |= var_text_edit(&mut cols[0], &mut body.graphql.query, cx.vars, true, |e| {
                    e.id_salt(("gql-query", tab_id.0))
                        .code_editor()
                        .desired_rows(12)
                        .desired_width(f32::INFINITY)
                })
                .changed();
                cols[1].label("Variables (JSON)");
                changed |= var_text_edit(&mut cols[1], &mut body.graphql.variables, cx.vars, true, |e| {
                    e.id_salt(("gql-vars", tab_id.0))
                        .code_editor()
                        .desired_rows(8)
                        .desired_width(f32::INFINITY)
                })
                .changed();
                cols[1].label("Operation name");
                changed |= cols[1].text_edit_singleline(&mut body.graphql.operation_name).changed();
            });
        }
    }
    changed
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
                        changed |= ui
                            .add(TextEdit::singleline(path).desired_width(150.0).hint_text("/path/to/file"))
                            .changed();
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

/// The auth editor, shared by requests, folders and collections. `can_inherit` is false for
/// collections (the top of the chain).
pub fn auth_ui(
    ui: &mut Ui,
    auth: &mut Auth,
    vars: &VarIndex,
    inherited: Option<&(String, Auth)>,
    can_inherit: bool,
) -> bool {
    let mut changed = false;
    let kinds: Vec<(&str, Auth)> = [
        can_inherit.then_some(("Inherit auth from parent", Auth::Inherit)),
        Some(("No auth", Auth::None)),
        Some(("Basic auth", Auth::Basic { username: String::new(), password: String::new() })),
        Some(("Bearer token", Auth::Bearer { token: String::new() })),
        Some((
            "API key",
            Auth::ApiKey { key: String::new(), value: String::new(), location: ApiKeyLocation::Header },
        )),
        Some(("Digest auth", Auth::Digest(DigestAuth::default()))),
        Some(("OAuth 1.0", Auth::OAuth1(OAuth1Auth::default()))),
        Some(("Hawk", Auth::Hawk(HawkAuth::default()))),
        Some(("JWT Bearer", Auth::Jwt(JwtAuth::default()))),
        Some(("ASAP (Atlassian)", Auth::Asap(AsapAuth::default()))),
        Some(("Akamai EdgeGrid", Auth::EdgeGrid(EdgeGridAuth::default()))),
        Some(("NTLM", Auth::Ntlm(NtlmAuth::default()))),
        Some(("OAuth 2.0", Auth::OAuth2(OAuth2Auth::default()))),
        Some(("AWS Signature v4", Auth::AwsSigV4(AwsSigV4Auth::default()))),
    ]
    .into_iter()
    .flatten()
    .collect();
    ui.horizontal(|ui| {
        ui.label("Type");
        ComboBox::from_id_salt("auth-kind")
            .selected_text(auth.kind_label().to_owned())
            .width(200.0)
            // Every kind in view at once (the popup may reach past the editor pane).
            .height(460.0)
            .show_ui(ui, |ui| {
                for (label, fresh) in kinds {
                    let same = std::mem::discriminant(auth) == std::mem::discriminant(&fresh);
                    if ui.selectable_label(same, label).clicked() && !same {
                        *auth = fresh;
                        changed = true;
                    }
                }
            })
            .named("Auth type");
    });
    ui.add_space(4.0);
    let field = |ui: &mut Ui, label: &str, value: &mut String| -> bool {
        ui.label(label);
        let r = cell(ui, 320.0, |ui| var_text_edit(ui, value, vars, false, |e| e.desired_width(320.0)));
        ui.end_row();
        r.changed()
    };
    egui::Grid::new("auth-fields").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| match auth {
        Auth::Inherit => {
            match inherited {
                Some((from, a)) => ui.label(format!("This request uses {} from \"{from}\".", a.kind_label())),
                None => ui.label("No parent sets auth: this request is sent without auth."),
            };
            ui.end_row();
        }
        Auth::None => {
            ui.label("This request does not use any authorization.");
            ui.end_row();
        }
        Auth::Basic { username, password } => {
            changed |= field(ui, "Username", username);
            changed |= field(ui, "Password", password);
        }
        Auth::Bearer { token } => changed |= field(ui, "Token", token),
        Auth::ApiKey { key, value, location } => {
            changed |= field(ui, "Key", key);
            changed |= field(ui, "Value", value);
            ui.label("Add to");
            ui.horizontal(|ui| {
                changed |= ui.radio_value(location, ApiKeyLocation::Header, "Header").changed();
                changed |= ui.radio_value(location, ApiKeyLocation::Query, "Query params").changed();
            });
            ui.end_row();
        }
        Auth::Digest(d) => {
            changed |= field(ui, "Username", &mut d.username);
            changed |= field(ui, "Password", &mut d.password);
            changed |= field(ui, "Algorithm (optional)", &mut d.algorithm);
            changed |= field(ui, "Realm (optional)", &mut d.realm);
        }
        Auth::OAuth2(o) => {
            ui.label("Grant type");
            ComboBox::from_id_salt("grant")
                .selected_text(o.grant.label())
                .show_ui(ui, |ui| {
                    for g in OAuth2Grant::ALL {
                        changed |= ui.selectable_value(&mut o.grant, g, g.label()).changed();
                    }
                })
                .named("Grant type");
            ui.end_row();
            changed |= field(ui, "Access token URL", &mut o.access_token_url);
            if matches!(
                o.grant,
                OAuth2Grant::AuthorizationCode | OAuth2Grant::AuthorizationCodePkce | OAuth2Grant::Implicit
            ) {
                changed |= field(ui, "Auth URL", &mut o.auth_url);
                changed |= field(ui, "Callback URL", &mut o.redirect_uri);
            }
            changed |= field(ui, "Client ID", &mut o.client_id);
            changed |= field(ui, "Client secret", &mut o.client_secret);
            if o.grant == OAuth2Grant::Password {
                changed |= field(ui, "Username", &mut o.username);
                changed |= field(ui, "Password", &mut o.password);
            }
            changed |= field(ui, "Scope", &mut o.scope);
            changed |= field(ui, "Audience", &mut o.audience);
            ui.label("Client authentication");
            ui.horizontal(|ui| {
                changed |= ui
                    .radio_value(&mut o.client_auth, OAuth2ClientAuth::BasicHeader, "Basic auth header")
                    .changed();
                changed |=
                    ui.radio_value(&mut o.client_auth, OAuth2ClientAuth::Body, "In the body").changed();
            });
            ui.end_row();
            ui.label("Add token to");
            ui.horizontal(|ui| {
                changed |= ui.radio_value(&mut o.token_in_query, false, "Header").changed();
                changed |= ui.radio_value(&mut o.token_in_query, true, "Query (access_token)").changed();
            });
            ui.end_row();
            if !o.token_in_query {
                changed |= field(ui, "Header prefix", &mut o.header_prefix);
            }
            changed |= field(ui, "Access token", &mut o.access_token);
            if matches!(o.grant, OAuth2Grant::ClientCredentials | OAuth2Grant::Password) && !o.token_in_query {
                ui.label("");
                changed |= ui
                    .checkbox(&mut o.fetch_automatically, "Fetch a token when none is saved")
                    .on_hover_text(
                        "Off: with no access token the request goes without one, as in Postman and newman. \
                         On: Localpost asks the token URL for one before sending, and keeps it until it expires.",
                    )
                    .changed();
                ui.end_row();
            }
        }
        Auth::OAuth1(o) => {
            ui.label("Signature method");
            ComboBox::from_id_salt("oauth1-method")
                .selected_text(o.signature_method.name())
                .show_ui(ui, |ui| {
                    for m in OAuth1Method::ALL {
                        changed |= ui.selectable_value(&mut o.signature_method, m, m.name()).changed();
                    }
                })
                .named("Signature method");
            ui.end_row();
            changed |= field(ui, "Consumer key", &mut o.consumer_key);
            if o.signature_method.is_rsa() {
                changed |= text_area(ui, "Private key (PEM)", &mut o.private_key, 4, false);
            } else {
                changed |= field(ui, "Consumer secret", &mut o.consumer_secret);
            }
            changed |= field(ui, "Access token", &mut o.token);
            if !o.signature_method.is_rsa() {
                changed |= field(ui, "Token secret", &mut o.token_secret);
            }
            changed |= field(ui, "Callback URL (optional)", &mut o.callback);
            changed |= field(ui, "Verifier (optional)", &mut o.verifier);
            changed |= field(ui, "Timestamp (empty: now)", &mut o.timestamp);
            changed |= field(ui, "Nonce (empty: random)", &mut o.nonce);
            changed |= field(ui, "Version", &mut o.version);
            changed |= field(ui, "Realm (optional)", &mut o.realm);
            ui.label("Add to");
            ui.horizontal(|ui| {
                changed |= ui.radio_value(&mut o.in_header, true, "Header").changed();
                changed |= ui.radio_value(&mut o.in_header, false, "Body or query").changed();
            });
            ui.end_row();
            ui.label("");
            ui.vertical(|ui| {
                changed |= ui.checkbox(&mut o.include_body_hash, "Include a body hash").changed();
                changed |= ui.checkbox(&mut o.add_empty_params_to_sign, "Sign empty parameters").changed();
                if o.in_header {
                    changed |= ui
                        .checkbox(&mut o.disable_header_encoding, "Do not encode the header's values")
                        .changed();
                }
            });
            ui.end_row();
        }
        Auth::Jwt(j) => {
            ui.label("Algorithm");
            ComboBox::from_id_salt("jwt-alg")
                .selected_text(j.algorithm.name())
                .show_ui(ui, |ui| {
                    for a in JwtAlgorithm::ALL {
                        changed |= ui.selectable_value(&mut j.algorithm, a, a.name()).changed();
                    }
                })
                .named("JWT algorithm");
            ui.end_row();
            if j.algorithm.is_hmac() {
                changed |= field(ui, "Secret", &mut j.secret);
                ui.label("");
                changed |= ui.checkbox(&mut j.secret_base64, "The secret is base64").changed();
                ui.end_row();
            } else {
                changed |= text_area(ui, "Private key (PKCS #8 PEM)", &mut j.private_key, 4, false);
            }
            changed |= text_area(ui, "Payload (JSON)", &mut j.payload, 4, true);
            changed |= text_area(ui, "Header fields (JSON)", &mut j.header, 2, true);
            ui.label("Add token to");
            ui.horizontal(|ui| {
                changed |= ui.radio_value(&mut j.in_query, false, "Header").changed();
                changed |= ui.radio_value(&mut j.in_query, true, "Query param").changed();
            });
            ui.end_row();
            if j.in_query {
                changed |= field(ui, "Query param name", &mut j.query_param_key);
            } else {
                changed |= field(ui, "Header prefix", &mut j.header_prefix);
            }
        }
        Auth::Hawk(h) => {
            changed |= field(ui, "Hawk Auth ID", &mut h.auth_id);
            changed |= field(ui, "Hawk Auth Key", &mut h.auth_key);
            ui.label("Algorithm");
            ui.horizontal(|ui| {
                for a in [HawkAlgorithm::Sha256, HawkAlgorithm::Sha1] {
                    changed |= ui.radio_value(&mut h.algorithm, a, a.name()).changed();
                }
            });
            ui.end_row();
            changed |= field(ui, "User (optional)", &mut h.user);
            changed |= field(ui, "Nonce (empty: random)", &mut h.nonce);
            changed |= field(ui, "Timestamp (empty: now)", &mut h.timestamp);
            changed |= field(ui, "ext (optional)", &mut h.ext);
            changed |= field(ui, "app (optional)", &mut h.app);
            changed |= field(ui, "dlg (optional)", &mut h.delegation);
            ui.label("");
            changed |= ui.checkbox(&mut h.include_payload_hash, "Include a payload hash").changed();
            ui.end_row();
        }
        Auth::Asap(a) => {
            ui.label("Algorithm");
            ComboBox::from_id_salt("asap-alg")
                .selected_text(a.algorithm.name())
                .show_ui(ui, |ui| {
                    for alg in JwtAlgorithm::ALL.into_iter().filter(|alg| !alg.is_hmac()) {
                        changed |= ui.selectable_value(&mut a.algorithm, alg, alg.name()).changed();
                    }
                })
                .named("ASAP algorithm");
            ui.end_row();
            changed |= field(ui, "Issuer", &mut a.issuer);
            changed |= field(ui, "Audience", &mut a.audience);
            changed |= field(ui, "Key ID", &mut a.key_id);
            changed |= text_area(ui, "Private key (PKCS #8 PEM or data URI)", &mut a.private_key, 4, false);
            changed |= field(ui, "Subject (empty: the issuer)", &mut a.subject);
            changed |= field(ui, "Expiry in seconds (empty: 3600)", &mut a.expiry_seconds);
            changed |= text_area(ui, "More claims (JSON)", &mut a.claims, 3, true);
        }
        Auth::Ntlm(n) => {
            changed |= field(ui, "Username (or DOMAIN\\user)", &mut n.username);
            changed |= field(ui, "Password", &mut n.password);
            changed |= field(ui, "Domain (optional)", &mut n.domain);
            changed |= field(ui, "Workstation (optional)", &mut n.workstation);
            ui.label("");
            changed |= ui
                .checkbox(&mut n.disable_retry, "Send once, without answering the server's challenge")
                .changed();
            ui.end_row();
        }
        Auth::EdgeGrid(e) => {
            changed |= field(ui, "Access token", &mut e.access_token);
            changed |= field(ui, "Client token", &mut e.client_token);
            changed |= field(ui, "Client secret", &mut e.client_secret);
            changed |= field(ui, "Base URL (empty: the request's host)", &mut e.base_url);
            changed |= field(ui, "Headers to sign (comma-separated)", &mut e.headers_to_sign);
            changed |= field(ui, "Max body size (empty: 131072)", &mut e.max_body_size);
            changed |= field(ui, "Nonce (empty: random)", &mut e.nonce);
            changed |= field(ui, "Timestamp (empty: now)", &mut e.timestamp);
        }
        Auth::AwsSigV4(a) => {
            changed |= field(ui, "Access key", &mut a.access_key);
            changed |= field(ui, "Secret key", &mut a.secret_key);
            changed |= field(ui, "Region", &mut a.region);
            changed |= field(ui, "Service", &mut a.service);
            changed |= field(ui, "Session token", &mut a.session_token);
        }
        Auth::Unsupported { kind, params } => {
            ui.label(format!("{kind} auth was imported and is kept, but Localpost cannot send it."));
            ui.end_row();
            for (k, v) in params.iter() {
                ui.label(k.as_str());
                ui.label(v.as_str());
                ui.end_row();
            }
        }
    });
    changed
}

fn tri_state(
    ui: &mut Ui,
    id: &str,
    value: &mut Option<bool>,
    on: &str,
    off: &str,
    default_label: &str,
) -> bool {
    let mut changed = false;
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

/// Per-request transport settings; `tls_bypass_allowed` is false when the policy forbids it.
pub fn settings_ui(ui: &mut Ui, s: &mut RequestSettings, tls_bypass_allowed: bool) -> bool {
    let mut changed = false;
    egui::Grid::new("request-settings").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
        ui.label("Follow redirects");
        changed |= tri_state(
            ui,
            "Follow redirects",
            &mut s.follow_redirects,
            "Follow",
            "Do not follow",
            "App default",
        );
        ui.end_row();
        ui.label("Keep the method on 301/302");
        changed |= tri_state(
            ui,
            "orig-method",
            &mut s.follow_original_method,
            "Keep (e.g. POST)",
            "Switch to GET",
            "App default",
        );
        ui.end_row();
        ui.label("Maximum redirects");
        ui.horizontal(|ui| {
            let mut custom = s.max_redirects.is_some();
            if ui.checkbox(&mut custom, "").changed() {
                s.max_redirects = custom.then_some(10);
                changed = true;
            }
            match &mut s.max_redirects {
                Some(n) => changed |= ui.add(egui::DragValue::new(n).range(0..=100)).changed(),
                None => {
                    ui.label(RichText::new("app default").weak());
                }
            }
        });
        ui.end_row();
        ui.label("Timeout");
        ui.horizontal(|ui| {
            let mut custom = s.timeout_ms.is_some();
            if ui.checkbox(&mut custom, "").changed() {
                s.timeout_ms = custom.then_some(30_000);
                changed = true;
            }
            match &mut s.timeout_ms {
                Some(ms) => {
                    changed |= ui.add(egui::DragValue::new(ms).range(0..=3_600_000).suffix(" ms")).changed();
                    ui.label(RichText::new("0 = no limit").weak());
                }
                None => {
                    ui.label(RichText::new("app default").weak());
                }
            }
        });
        ui.end_row();
        ui.label("TLS certificate verification");
        ui.add_enabled_ui(tls_bypass_allowed, |ui| {
            changed |= tri_state(
                ui,
                "verify-tls",
                &mut s.verify_tls,
                "Verify",
                "Do not verify (insecure)",
                "App default",
            );
        })
        .response
        .on_disabled_hover_text("🔒 Turning verification off is not allowed by your organization's policy.");
        ui.end_row();
        ui.label("Automatic headers");
        let mut auto = !s.disable_auto_headers;
        if ui.checkbox(&mut auto, "Add User-Agent, Accept and Content-Type when not set").changed() {
            s.disable_auto_headers = !auto;
            changed = true;
        }
        ui.end_row();
    });
    changed
}
