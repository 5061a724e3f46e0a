//! Dialogs over the window: confirmations, unsaved tab, Save As, quick open (Ctrl+K) and the
//! command palette (Ctrl+Shift+P).

use egui::{Modal, ModalResponse, RichText, Ui};

use std::collections::HashMap;

use crate::app::command::{Action, Command};
use crate::app::interop::{ExportDialog, ExportFormat, ImportDialog, ImportInto, ImportStage};
use crate::app::reset::{BackupState, CONFIRM_WORD, ResetDialog};
use crate::app::state::{AppState, Modal as ModalState, PathField, TabId};
use crate::interop::apply::{Conflict, ImportPlan, ItemKey, Resolution};
use crate::model::*;
use crate::policy::EffectivePolicy;

use super::{Named, path_field};

pub fn modal_ui(ui: &mut Ui, state: &mut AppState, out: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let Some(modal) = &mut state.modal else { return };
    let response = match modal {
        ModalState::Confirm { title, message, confirm_label, on_confirm } => {
            let answers = vec![(confirm_label.as_str(), Look::Danger, on_confirm.clone())];
            let question = Question { id: "confirm", max_width: 420.0, title, message, answers };
            question_ui(&ctx, question, out)
        }
        ModalState::UnsavedTab(tab) => {
            let tab = *tab;
            unsaved_tab_ui(&ctx, tab, &draft_name(state, tab), out)
        }
        ModalState::UnsavedTabs(tabs) => {
            let tabs = tabs.clone();
            let names: Vec<String> = tabs.iter().map(|t| draft_name(state, *t)).collect();
            super::tabs::unsaved_tabs_ui(&ctx, &tabs, &names, out)
        }
        ModalState::Conflict(tab) => {
            let tab = *tab;
            conflict_ui(&ctx, tab, &draft_name(state, tab), out)
        }
        ModalState::SaveAs { tab, name, parent } => {
            let ws = state.workspace.and_then(|w| state.library.workspaces.get(&w));
            super::save_as::save_as_ui(&ctx, *tab, name, parent, ws, out)
        }
        ModalState::QuickOpen { query, selected } => {
            let ws = state.workspace.and_then(|w| state.library.workspaces.get(&w));
            quick_open_ui(&ctx, ws, state.revision, query, selected, out)
        }
        ModalState::SaveBody { tab, path } => save_body_ui(&ctx, *tab, path, out),
        ModalState::Import(dialog) => {
            let policy = state.policy.clone();
            let ws_name = state
                .workspace
                .and_then(|w| state.library.workspaces.get(&w))
                .map(|w| w.workspace.name.clone())
                .unwrap_or_default();
            Modal::new(egui::Id::unique("import"))
                .show(&ctx, |ui| import_ui(ui, dialog, &policy, &ws_name, out))
        }
        ModalState::Export(dialog) => {
            let policy = state.policy.clone();
            Modal::new(egui::Id::unique("export")).show(&ctx, |ui| export_ui(ui, dialog, &policy, out))
        }
        ModalState::Reset(dialog) => {
            let policy = state.policy.clone();
            let data_dir = state.data_dir.display().to_string();
            Modal::new(egui::Id::unique("reset"))
                .show(&ctx, |ui| reset_ui(ui, dialog, &policy, &data_dir, out))
        }
        ModalState::CommandPalette { query, selected } => command_palette_ui(&ctx, query, selected, out),
        ModalState::Cookies(manager) => super::cookies::manager_ui(&ctx, manager, out),
    };
    if response.should_close() && !out.iter().any(|c| matches!(c, Command::CloseModal)) {
        out.push(Command::CloseModal);
    }
}

/// The name of the request a tab edits, or nothing.
fn draft_name(state: &AppState, tab: TabId) -> String {
    state.tab(tab).and_then(|t| t.request()).map(|r| r.draft.name.clone()).unwrap_or_default()
}

/// How an answer's button looks.
#[derive(Clone, Copy)]
pub(super) enum Look {
    Plain,
    Strong,
    Danger,
}

/// A question and its answers: a button each, then Cancel.
pub(super) struct Question<'a> {
    pub(super) id: &'a str,
    pub(super) max_width: f32,
    pub(super) title: &'a str,
    pub(super) message: &'a str,
    pub(super) answers: Vec<(&'a str, Look, Command)>,
}

/// Draws a [`Question`]; a click on an answer queues its command.
pub(super) fn question_ui(
    ctx: &egui::Context,
    question: Question<'_>,
    out: &mut Vec<Command>,
) -> ModalResponse<()> {
    let Question { id, max_width, title, message, answers } = question;
    Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(max_width);
        ui.heading(title);
        ui.label(message);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for (label, look, command) in answers {
                let text: egui::WidgetText = match look {
                    Look::Plain => label.into(),
                    Look::Strong => RichText::new(label).strong().into(),
                    Look::Danger => {
                        RichText::new(label).color(super::theme::error_color(ui.visuals())).into()
                    }
                };
                if ui.button(text).clicked() {
                    out.push(command);
                }
            }
            if ui.button("Cancel").clicked() {
                out.push(Command::CloseModal);
            }
        });
    })
}

/// Closing a tab with unsaved edits: save them, drop them, or keep the tab open.
fn unsaved_tab_ui(ctx: &egui::Context, tab: TabId, name: &str, out: &mut Vec<Command>) -> ModalResponse<()> {
    let message = format!("\"{name}\" has changes that are not saved. Save them before closing?");
    let answers = vec![
        ("Save", Look::Strong, Command::SaveTabThenClose(tab)),
        ("Don't save", Look::Plain, Command::CloseTabDiscard(tab)),
    ];
    let question =
        Question { id: "unsaved", max_width: 420.0, title: "Unsaved changes", message: &message, answers };
    question_ui(ctx, question, out)
}

/// Saving a request that changed on disk while edited here: overwrite it, or save a copy.
fn conflict_ui(ctx: &egui::Context, tab: TabId, name: &str, out: &mut Vec<Command>) -> ModalResponse<()> {
    let message = format!(
        "\"{name}\" was changed on disk (by another window, a git pull or an editor) while you were editing it here."
    );
    let answers = vec![
        ("Overwrite the version on disk", Look::Plain, Command::OverwriteOnDisk(tab)),
        ("Save mine as a new request", Look::Plain, Command::SaveMineAsNew(tab)),
    ];
    let question =
        Question { id: "conflict", max_width: 460.0, title: "Changed on disk", message: &message, answers };
    question_ui(ctx, question, out)
}

/// Quick open (Ctrl+K): the requests matching what is typed; Enter or a click opens one.
fn quick_open_ui(
    ctx: &egui::Context,
    ws: Option<&WorkspaceData>,
    revision: u64,
    query: &mut String,
    selected: &mut usize,
    out: &mut Vec<Command>,
) -> ModalResponse<()> {
    Modal::new(egui::Id::unique("quick-open")).show(ctx, |ui| {
        ui.set_width(520.0);
        let r = ui.add(
            egui::TextEdit::singleline(query)
                .hint_text("Search requests by name, method or URL")
                .desired_width(f32::INFINITY),
        );
        r.request_focus();
        let Some(ws) = ws else { return };
        let hits = quick_open_hits(ui, ws, revision, query);
        *selected = move_selection(ui, *selected, hits.len());
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            for (i, id) in hits.iter().enumerate() {
                let req = &ws.requests[id];
                let badge = req.badge();
                let color = super::theme::method_color(&badge, ui.visuals());
                let row = ui.horizontal(|ui| {
                    ui.label(RichText::new(badge.as_str()).color(color).monospace().small());
                    ui.selectable_label(i == *selected, format!("{}   {}", req.name, req.url))
                });
                if row.inner.clicked() || (i == *selected && ui.input(|i| i.key_pressed(egui::Key::Enter))) {
                    out.push(Command::CloseModal);
                    out.push(Command::OpenRequest(*id));
                }
            }
            if hits.is_empty() {
                ui.label(RichText::new("No request matches.").weak());
            }
        });
    })
}

/// Save response body: the file to write it to.
fn save_body_ui(
    ctx: &egui::Context,
    tab: TabId,
    path: &mut String,
    out: &mut Vec<Command>,
) -> ModalResponse<()> {
    Modal::new(egui::Id::unique("save-body")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading("Save response body");
        ui.label("File");
        ui.horizontal(|ui| {
            path_field::add(ui, PathField::Modal, egui::TextEdit::singleline(path).desired_width(360.0));
            if ui.button("Browse…").clicked() {
                out.push(Command::BrowseSavePath);
            }
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!path.trim().is_empty(), egui::Button::new(RichText::new("Save").strong()))
                .clicked()
            {
                out.push(Command::WriteResponseBody { tab, path: path.clone() });
            }
            if ui.button("Cancel").clicked() {
                out.push(Command::CloseModal);
            }
        });
    })
}

/// The command palette (Ctrl+Shift+P): every [`Action`] matching what is typed, best first.
fn command_palette_ui(
    ctx: &egui::Context,
    query: &mut String,
    selected: &mut usize,
    out: &mut Vec<Command>,
) -> ModalResponse<()> {
    Modal::new(egui::Id::unique("palette")).show(ctx, |ui| {
        ui.set_width(420.0);
        let r = ui
            .add(egui::TextEdit::singleline(query).hint_text("Type a command").desired_width(f32::INFINITY));
        r.request_focus();
        let mut hits: Vec<(i64, Action)> =
            Action::ALL.iter().filter_map(|a| fuzzy_score(query, a.label()).map(|s| (s, *a))).collect();
        hits.sort_by_key(|(s, _)| -s);
        *selected = move_selection(ui, *selected, hits.len());
        for (i, (_, action)) in hits.iter().enumerate() {
            let text = action.with_shortcut(ui.ctx());
            let r = ui.selectable_label(i == *selected, text);
            if r.clicked() || (i == *selected && ui.input(|i| i.key_pressed(egui::Key::Enter))) {
                out.push(Command::CloseModal);
                out.push(Command::Action(*action));
            }
        }
    })
}

fn move_selection(ui: &Ui, selected: usize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let (down, up) = ui.input(|i| (i.key_pressed(egui::Key::ArrowDown), i.key_pressed(egui::Key::ArrowUp)));
    let mut s = selected.min(len - 1);
    if down {
        s = (s + 1).min(len - 1);
    }
    if up {
        s = s.saturating_sub(1);
    }
    s
}

/// Fuzzy match: every query character in order (case-insensitive); consecutive and word-start
/// matches score higher. `None` when it does not match.
/// The 50 best quick-open matches. The lowercased "method name URL" of every request is kept
/// until the library changes, and the hits until the query changes, so a dialog left open costs
/// nothing per frame and a keystroke only scores.
fn quick_open_hits(
    ui: &Ui,
    ws: &WorkspaceData,
    revision: u64,
    query: &str,
) -> std::sync::Arc<Vec<RequestId>> {
    use std::sync::Arc;
    type Haystacks = Option<((WorkspaceId, u64), Arc<Vec<(RequestId, Vec<char>)>>)>;
    type Hits = Option<((WorkspaceId, u64, String), Arc<Vec<RequestId>>)>;
    let (hay_id, hits_id) = (egui::Id::unique("quick-open-haystacks"), egui::Id::unique("quick-open-hits"));
    let hits_key = (ws.id(), revision, query.to_owned());
    if let Some((key, hits)) = ui.data(|d| d.get_temp::<Hits>(hits_id)).flatten()
        && key == hits_key
    {
        return hits;
    }
    let hay_key = (ws.id(), revision);
    let haystacks = match ui.data(|d| d.get_temp::<Haystacks>(hay_id)).flatten() {
        Some((key, hay)) if key == hay_key => hay,
        _ => {
            let hay: Vec<(RequestId, Vec<char>)> = ws
                .requests
                .values()
                .map(|r| {
                    let text = format!("{} {} {}", r.method, r.name, r.url);
                    (r.id, text.chars().flat_map(char::to_lowercase).collect())
                })
                .collect();
            let hay = Arc::new(hay);
            ui.data_mut(|d| d.insert_temp::<Haystacks>(hay_id, Some((hay_key, hay.clone()))));
            hay
        }
    };
    let mut scored: Vec<(i64, RequestId)> =
        haystacks.iter().filter_map(|(id, text)| fuzzy_score_chars(query, text).map(|s| (s, *id))).collect();
    scored.sort_by_key(|(s, _)| -s);
    scored.truncate(50);
    let hits = Arc::new(scored.into_iter().map(|(_, id)| id).collect::<Vec<_>>());
    ui.data_mut(|d| d.insert_temp::<Hits>(hits_id, Some((hits_key, hits.clone()))));
    hits
}

pub fn fuzzy_score(query: &str, text: &str) -> Option<i64> {
    let text_chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    fuzzy_score_chars(query, &text_chars)
}

/// [`fuzzy_score`] on text already lowercased into characters.
fn fuzzy_score_chars(query: &str, text_chars: &[char]) -> Option<i64> {
    let query = query.trim();
    if query.is_empty() {
        return Some(0);
    }
    let mut score = 0i64;
    let mut ti = 0;
    let mut last_match: Option<usize> = None;
    for qc in query.chars().flat_map(char::to_lowercase) {
        if qc == ' ' {
            continue;
        }
        let found = text_chars[ti..].iter().position(|&c| c == qc)? + ti;
        score += 10;
        if last_match.is_some_and(|l| l + 1 == found) {
            score += 15;
        }
        if found == 0 || !text_chars[found - 1].is_alphanumeric() {
            score += 10;
        }
        score -= (found - ti) as i64 / 4;
        last_match = Some(found);
        ti = found + 1;
    }
    Some(score)
}

/// Import: the input (file, dropped file or pasted text), then a preview with the conflicts,
/// then the write.
fn import_ui(
    ui: &mut Ui,
    dialog: &mut ImportDialog,
    policy: &EffectivePolicy,
    ws_name: &str,
    out: &mut Vec<Command>,
) {
    ui.set_width(640.0);
    let danger = super::theme::error_color(ui.visuals());
    ui.heading("Import into Localpost");
    match &mut dialog.stage {
        ImportStage::Input => {
            ui.label(
                "A Localpost backup, a Postman collection, environment, globals or data dump, an Insomnia \
                      export, a HAR file, an OpenAPI or Swagger file, or a cURL command. You can also drop a \
                      file on the window.",
            );
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.label("File");
                path_field::add(
                    ui,
                    PathField::Modal,
                    egui::TextEdit::singleline(&mut dialog.path).desired_width(440.0),
                )
                .named("Import file");
                if ui.button("Browse…").clicked() {
                    out.push(Command::BrowseImportPath);
                }
            });
            ui.label("…or paste it here");
            ui.add(
                egui::TextEdit::multiline(&mut dialog.pasted)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY)
                    .font(egui::TextStyle::Monospace)
                    .hint_text("curl https://api.example.com/items -H 'Accept: application/json'"),
            )
            .named("Pasted text");
            ui.add_space(6.0);
            ui.label("Into");
            ui.radio_value(
                &mut dialog.into,
                ImportInto::AsInTheFile,
                format!("A backup's own workspaces; anything else into \"{ws_name}\""),
            );
            ui.radio_value(&mut dialog.into, ImportInto::Current, format!("\"{ws_name}\""));
            ui.horizontal(|ui| {
                ui.radio_value(&mut dialog.into, ImportInto::NewWorkspace, "A new workspace named");
                ui.add(egui::TextEdit::singleline(&mut dialog.new_workspace).desired_width(200.0));
            });
            if let Some(formats) = policy.allowed_import_formats() {
                let names: Vec<String> = formats.iter().map(ToString::to_string).collect();
                ui.label(RichText::new(format!("{}: only {}", policy.managed_by(), names.join(", "))).weak());
            }
        }
        ImportStage::Reading => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading…");
            });
        }
        ImportStage::Writing => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Importing… nothing changes unless all of it is written.");
            });
        }
        ImportStage::Preview(plan) => import_preview_ui(ui, plan, &mut dialog.default, &mut dialog.per_item),
    }
    if let Some(e) = &dialog.error {
        ui.add_space(6.0);
        ui.label(RichText::new(e).color(danger));
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| import_buttons_ui(ui, &dialog.stage, out));
}

/// Import's preview: what the file holds, where it goes, and a choice for each item that is
/// already here and differs.
fn import_preview_ui(
    ui: &mut Ui,
    plan: &ImportPlan,
    default: &mut Resolution,
    per_item: &mut HashMap<ItemKey, Resolution>,
) {
    ui.label(RichText::new(format!("{}: {}", plan.format, plan.contains)).strong());
    ui.label(plan.counts.summary());
    for t in &plan.targets {
        let how = if t.is_new { "a new workspace" } else { "the existing workspace" };
        ui.label(format!("Into {how} \"{}\"", t.name));
    }
    let changed: Vec<_> = plan.changed_conflicts().cloned().collect();
    let same = plan.conflicts.len() - changed.len();
    if same > 0 {
        ui.label(RichText::new(format!("{same} items are already here unchanged.")).weak());
    }
    if !changed.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new(format!("{} items are already here and differ", changed.len())).strong());
        ui.horizontal(|ui| {
            ui.label("For all of them:");
            for r in [Resolution::KeepBoth, Resolution::Overwrite, Resolution::Skip] {
                ui.radio_value(default, r, resolution_label(r));
            }
        });
        egui::ScrollArea::vertical().id_salt("conflicts").max_height(180.0).show(ui, |ui| {
            conflicts_ui(ui, &changed, *default, per_item);
        });
    }
    if !plan.report.warnings.is_empty() {
        ui.add_space(6.0);
        ui.collapsing(
            format!("{} notes on what did not carry over as is", plan.report.warnings.len()),
            |ui| {
                egui::ScrollArea::vertical().id_salt("import-notes").max_height(160.0).show(ui, |ui| {
                    for w in plan.report.warnings.iter().take(500) {
                        ui.label(RichText::new(w.to_string()).small());
                    }
                });
            },
        );
    }
}

/// The items already here that differ, each with its own choice (`default` until chosen).
fn conflicts_ui(
    ui: &mut Ui,
    changed: &[Conflict],
    default: Resolution,
    per_item: &mut HashMap<ItemKey, Resolution>,
) {
    egui::Grid::new("conflict-grid").num_columns(3).striped(true).show(ui, |ui| {
        for c in changed {
            ui.label(c.key.kind.label());
            ui.label(&c.name).on_hover_text(&c.local_path);
            let chosen = per_item.get(&c.key).copied().unwrap_or(default);
            let mut pick = chosen;
            egui::ComboBox::from_id_salt(("conflict", c.key.id))
                .selected_text(resolution_label(pick))
                .show_ui(ui, |ui| {
                    for r in [Resolution::KeepBoth, Resolution::Overwrite, Resolution::Skip] {
                        ui.selectable_value(&mut pick, r, resolution_label(r));
                    }
                });
            if pick != chosen {
                per_item.insert(c.key, pick);
            }
            ui.end_row();
        }
    });
}

/// Import's buttons for the stage it is at (none while it reads or writes).
fn import_buttons_ui(ui: &mut Ui, stage: &ImportStage, out: &mut Vec<Command>) {
    match stage {
        ImportStage::Input => {
            if ui.button(RichText::new("Preview").strong()).clicked() {
                out.push(Command::ReadImport);
            }
            if ui.button("Cancel").clicked() {
                out.push(Command::CloseModal);
            }
        }
        ImportStage::Preview(_) => {
            if ui.button(RichText::new("Import").strong()).clicked() {
                out.push(Command::ConfirmImport);
            }
            if ui.button("Back").clicked() {
                out.push(Command::ImportBack);
            }
            if ui.button("Cancel").clicked() {
                out.push(Command::CloseModal);
            }
        }
        ImportStage::Reading | ImportStage::Writing => {}
    }
}

fn resolution_label(r: Resolution) -> &'static str {
    match r {
        Resolution::KeepBoth => "Keep both",
        Resolution::Overwrite => "Overwrite",
        Resolution::Skip => "Skip",
    }
}

/// Export: format, options and the file.
fn export_ui(ui: &mut Ui, dialog: &mut ExportDialog, policy: &EffectivePolicy, out: &mut Vec<Command>) {
    ui.set_width(560.0);
    ui.heading(format!("Export {}", dialog.name));
    let before = dialog.format;
    ui.radio_value(&mut dialog.format, ExportFormat::Bundle, "Localpost backup (lossless, checksummed)");
    ui.add_enabled_ui(dialog.postman_possible(), |ui| {
        ui.radio_value(&mut dialog.format, ExportFormat::Postman, "Postman (Collection v2.1 or environment)");
    });
    if dialog.format != before {
        out.push(Command::ExportFormatChanged);
    }
    include_secrets_ui(ui, &mut dialog.include_secrets, policy);
    if dialog.format == ExportFormat::Bundle {
        ui.checkbox(&mut dialog.include_history, "Include history and run results");
    }
    ui.horizontal(|ui| {
        ui.label("File");
        path_field::add(
            ui,
            PathField::Modal,
            egui::TextEdit::singleline(&mut dialog.path).desired_width(400.0),
        )
        .named("Export file");
        if ui.button("Browse…").clicked() {
            out.push(Command::BrowseSavePath);
        }
    });
    if let Some(e) = &dialog.error {
        ui.label(RichText::new(e).color(super::theme::error_color(ui.visuals())));
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if dialog.writing {
            ui.spinner();
            ui.label("Writing…");
        } else if ui.button(RichText::new("Export").strong()).clicked() {
            out.push(Command::WriteExport);
        }
        if ui.button("Cancel").clicked() {
            out.push(Command::CloseModal);
        }
    });
}

/// "Include secret values", disabled with the reason when the policy forbids exporting them.
fn include_secrets_ui(ui: &mut Ui, include_secrets: &mut bool, policy: &EffectivePolicy) {
    let secrets_allowed = policy.check_export(true);
    ui.add_enabled_ui(secrets_allowed.is_ok(), |ui| {
        let r = ui.checkbox(include_secrets, "Include secret values (the file is readable by you only)");
        if let Err(e) = &secrets_allowed {
            r.on_disabled_hover_text(format!("{}: {e}", policy.managed_by()));
        }
    });
}

/// Reset local data: what goes, a backup first, then the typed word.
fn reset_ui(
    ui: &mut Ui,
    dialog: &mut ResetDialog,
    policy: &EffectivePolicy,
    data_dir: &str,
    out: &mut Vec<Command>,
) {
    ui.set_width(560.0);
    let danger = super::theme::error_color(ui.visuals());
    ui.heading("Reset local data");
    ui.label(format!(
        "This deletes every workspace, collection, request, environment, header preset, history entry, run result, \
         cookie and setting in {data_dir}. Files Localpost did not write there (a .git folder, for one) stay. \
         Nothing is kept anywhere else: it cannot be undone."
    ));
    ui.add_space(10.0);
    ui.label(RichText::new("1. Export a backup first").strong());
    let export_allowed = policy.check_export(false);
    let writing = dialog.backup == BackupState::Writing;
    ui.add_enabled_ui(export_allowed.is_ok() && !writing, |ui| {
        ui.horizontal(|ui| {
            path_field::add(
                ui,
                PathField::Modal,
                egui::TextEdit::singleline(&mut dialog.backup_path).desired_width(400.0),
            )
            .named("Backup file");
            if ui.button("Browse…").clicked() {
                out.push(Command::BrowseResetBackupPath);
            }
        });
        include_secrets_ui(ui, &mut dialog.include_secrets, policy);
        ui.checkbox(&mut dialog.include_history, "Include history and run results");
        if ui.button("Export backup").clicked() {
            out.push(Command::WriteResetBackup);
        }
    });
    if let Err(e) = &export_allowed {
        ui.label(RichText::new(format!("{}: {e}", policy.managed_by())).weak());
    }
    match &dialog.backup {
        BackupState::NotWritten => {
            ui.label(RichText::new("No backup written yet.").weak());
        }
        BackupState::Writing => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Writing the backup…");
            });
        }
        BackupState::Written(path) => {
            ui.label(format!("Backup written to {}", path.display()));
        }
        BackupState::Failed(e) => {
            ui.label(RichText::new(format!("The backup failed: {e}")).color(danger));
        }
    }
    ui.add_space(10.0);
    ui.label(RichText::new(format!("2. Type {CONFIRM_WORD} to confirm")).strong());
    ui.add(egui::TextEdit::singleline(&mut dialog.typed).desired_width(200.0)).named("Confirmation");
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let delete = egui::Button::new(RichText::new("Delete all local data").color(danger));
        if ui.add_enabled(dialog.confirmed() && !writing, delete).clicked() {
            out.push(Command::ResetConfirmed);
        }
        if ui.button("Cancel").clicked() {
            out.push(Command::CloseModal);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::fuzzy_score;

    #[test]
    fn fuzzy_prefers_consecutive_word_starts() {
        assert!(fuzzy_score("gu", "GET users").is_some());
        assert!(fuzzy_score("xyz", "GET users").is_none());
        assert!(fuzzy_score("users", "GET /users") > fuzzy_score("users", "GET /u-s-e-r-s"));
    }
}
