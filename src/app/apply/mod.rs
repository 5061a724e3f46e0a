//! Applying commands: the one place where the app's state changes and writes are queued.

mod records;
mod tabs;
mod tree;

use crate::model::*;

use super::App;
use super::command::{Action, Command};
use super::state::{DiskState, Modal, RequestTab, SidebarSection, Tab, TabKind};
use super::writer::WriteJob;

impl App {
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        self.state.revision += 1;
        match command {
            Command::Action(action) => self.action(ctx, action),

            Command::SwitchWorkspace(id) => {
                if self.state.library.workspaces.contains_key(&id) {
                    self.state.workspace = Some(id);
                    self.state.active_tab =
                        self.state.tabs.iter().rev().find(|t| t.workspace == id).map(|t| t.id);
                    self.state.history.clear();
                    self.reload_history(ctx);
                }
            }
            Command::CreateWorkspace(name) => {
                let ws = Workspace::new(name.trim());
                let id = ws.id;
                self.submit(WriteJob::Workspace(ws.clone()));
                self.state.library.workspaces.insert(id, WorkspaceData::new(ws));
                self.save_workspace_order();
                self.apply(ctx, Command::SwitchWorkspace(id));
            }
            Command::RenameWorkspace(id, name) => {
                if let Some(ws) = self.state.library.workspaces.get_mut(&id) {
                    ws.workspace.name = name;
                    let ws = ws.workspace.clone();
                    self.submit(WriteJob::Workspace(ws));
                }
            }
            Command::DeleteWorkspace(id) => self.workspace_delete_prompt(id),
            Command::DeleteWorkspaceConfirmed(id) => {
                self.state.modal = None;
                if self.state.library.workspaces.shift_remove(&id).is_none() {
                    return;
                }
                self.state.tabs.retain(|t| t.workspace != id);
                self.submit(WriteJob::DeleteWorkspace(id));
                if self.state.library.workspaces.is_empty() {
                    self.apply(ctx, Command::CreateWorkspace(crate::storage::FIRST_WORKSPACE.into()));
                } else {
                    self.save_workspace_order();
                    if self.state.workspace == Some(id)
                        && let Some(next) = self.state.library.workspaces.keys().next().copied()
                    {
                        self.apply(ctx, Command::SwitchWorkspace(next));
                    }
                }
            }

            Command::NewFolder(parent) => self.new_folder(parent),
            Command::NewRequestIn(parent) => self.new_request_in(parent),
            Command::Rename(target, name) => self.rename(target, &name),
            Command::Duplicate(target) => self.duplicate(target),
            Command::Delete(target) => self.confirm_delete(target),
            Command::DeleteConfirmed(target) => {
                self.state.modal = None;
                self.delete(target);
            }
            Command::Move { item, to, index } => self.move_item(item, to, index),
            Command::StartRename(target) => {
                let name = self.target_name(target).unwrap_or_default();
                self.state.sidebar.renaming = Some((target, name));
            }
            Command::RenameTyping(text) => {
                if let Some((_, t)) = &mut self.state.sidebar.renaming {
                    *t = text;
                }
            }
            Command::CancelRename => self.state.sidebar.renaming = None,
            Command::NewPreset => self.new_preset(),
            Command::ToggleExpanded(parent) => {
                if !self.state.sidebar.expanded.remove(&parent) {
                    self.state.sidebar.expanded.insert(parent);
                }
            }

            Command::OpenRequest(id) => self.open_request(id),
            Command::OpenTarget(target) => self.open_target(target),
            Command::SelectTab(id) => {
                if let Some(tab) = self.state.tab(id) {
                    let ws = tab.workspace;
                    self.state.active_tab = Some(id);
                    if self.state.workspace != Some(ws) {
                        self.apply(ctx, Command::SwitchWorkspace(ws));
                        self.state.active_tab = Some(id);
                    }
                }
            }
            Command::CloseTab(id) => {
                let dirty = self.state.tab(id).and_then(Tab::request).is_some_and(|r| r.dirty);
                if dirty {
                    self.state.active_tab = Some(id);
                    self.state.modal = Some(Modal::UnsavedTab(id));
                } else {
                    self.close_tab(id);
                }
            }
            Command::CloseTabDiscard(id) => {
                self.state.modal = None;
                self.close_tab(id);
            }
            Command::SaveTab(id) => {
                self.save_tab(id);
            }
            Command::SaveTabThenClose(id) => {
                self.state.modal = None;
                if self.save_tab(id) {
                    self.close_tab(id);
                }
            }
            Command::SaveAs { tab, parent, name } => {
                self.state.modal = None;
                self.save_as(tab, parent, &name);
            }
            Command::Send(tab) => self.send(ctx, tab),
            Command::Cancel(tab) => {
                if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut)
                    && let Some(in_flight) = &mut r.in_flight
                {
                    in_flight.cancel();
                }
            }
            Command::PasteCurl { tab, text } => self.paste_curl(tab, &text),

            Command::SelectEnvironment(env) => {
                let Some(ws) = self.state.workspace else { return };
                match env {
                    Some(env) => self.state.active_environment.insert(ws, env),
                    None => self.state.active_environment.shift_remove(&ws),
                };
            }
            Command::EnvironmentEdited(id) => {
                if let Some(ws) = self.state.ws()
                    && let Some(env) = ws.environments.get(&id)
                {
                    let job = WriteJob::Environment { ws: ws.id(), environment: env.clone() };
                    self.submit(job);
                }
            }
            Command::GlobalsEdited => {
                if let Some(ws) = self.state.ws() {
                    let job = WriteJob::Globals { ws: ws.id(), globals: ws.globals.clone() };
                    self.submit(job);
                }
            }
            Command::PresetEdited(id) => {
                if let Some(ws) = self.state.ws()
                    && let Some(preset) = ws.header_presets.get(&id)
                {
                    let job = WriteJob::Preset { ws: ws.id(), preset: preset.clone() };
                    self.submit(job);
                }
            }
            Command::InsertPreset { tab, preset } => {
                let Some(headers) =
                    self.state.ws().and_then(|w| w.header_presets.get(&preset)).map(|p| p.headers.clone())
                else {
                    return;
                };
                if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
                    for h in headers {
                        if !r
                            .draft
                            .headers
                            .iter()
                            .any(|x| x.key.eq_ignore_ascii_case(&h.key) && x.value == h.value)
                        {
                            r.draft.headers.push(h);
                        }
                    }
                }
                self.state.refresh_dirty(tab);
            }

            Command::OpenHistory(id) => self.open_history(id),
            Command::ClearHistory => {
                self.state.modal = Some(Modal::Confirm {
                    title: "Clear history".into(),
                    message: "Delete every history entry of this workspace? Saved requests are not affected."
                        .into(),
                    confirm_label: "Clear history".into(),
                    on_confirm: Command::ClearHistoryConfirmed,
                });
            }
            Command::ClearHistoryConfirmed => {
                self.state.modal = None;
                self.clear_history();
            }
            Command::ReloadHistory => self.reload_history(ctx),

            Command::SaveResponseAsExample(tab) => self.save_example(tab),
            Command::SaveResponseBody(tab) => self.save_response_body(tab),
            Command::PickFile { tab, field } => self.pick_file(ctx, tab, field),
            Command::OpenRunner(target) => self.open_runner(target),
            Command::StartRun(tab) => self.start_run(ctx, tab),
            Command::CancelRun(tab) => self.cancel_run(tab),
            Command::RefreshPastRuns => {
                if let Some(ws) = self.state.workspace {
                    self.load_past_runs(ws);
                }
            }
            Command::DeletePastRun(id) => {
                if let Some(ws) = self.state.workspace {
                    self.delete_past_run(ws, id);
                }
            }
            Command::ExportRun { tab, run } => self.export_run(ctx, tab, run),
            Command::BrowseRunner { tab, what } => self.browse_runner(ctx, tab, what),
            Command::BrowseSavePath => self.browse_save_path(ctx),
            Command::WriteResponseBody { tab, path } => self.write_body(ctx, tab, path),
            Command::DraftEdited(tab) => self.state.refresh_dirty(tab),
            Command::ContainerEdited(container) => {
                if let Some(ws) = self.state.workspace {
                    self.save_container(ws, container);
                }
            }
            Command::SettingsEdited => self.submit(WriteJob::Settings(self.state.settings.clone())),
            Command::OpenDataFolder => self.open_data_folder(),
            Command::ReloadPolicy => self.reload_policy(ctx),
            Command::WriteResetBackup => self.write_reset_backup(ctx),
            Command::ImportFile(path) => self.open_import(ctx, Some(path)),
            Command::BrowseImportPath => self.browse_import_path(ctx),
            Command::ReadImport => self.read_import(ctx),
            Command::ConfirmImport => self.confirm_import(ctx),
            Command::ImportBack => {
                if let Some(Modal::Import(d)) = &mut self.state.modal {
                    d.stage = super::interop::ImportStage::Input;
                }
            }
            Command::Export(what) => self.open_export(what),
            Command::ExportFormatChanged => self.export_format_changed(),
            Command::WriteExport => self.write_export(ctx),
            Command::CopyAsCurl(request) => self.copy_as_curl(ctx, request),
            Command::BrowseResetBackupPath => self.browse_reset_backup_path(ctx),
            Command::ResetConfirmed => self.reset_local_data(),
            Command::SetTheme(theme) => {
                self.state.settings.theme = theme;
                self.submit(WriteJob::Settings(self.state.settings.clone()));
            }
            Command::CopyToClipboard(text) => ctx.copy_text(text),
            Command::ClearConsole => self.state.console.clear(),
            Command::DismissNotice => self.state.notice = None,
            Command::DismissSaveError => {
                if let Some(w) = &mut self.writer {
                    w.dismiss_errors();
                }
            }
            Command::CloseModal => self.state.modal = None,
            Command::OverwriteOnDisk(tab) => self.overwrite_on_disk(tab),
            Command::SaveMineAsNew(tab) => self.save_mine_as_new(tab),
            Command::KeepDeleted(tab) => self.keep_deleted(tab),
            Command::DiscardDraft(tab) => {
                let Some(t) = self.state.tab(tab) else { return };
                let saved = t.request().and_then(|r| {
                    self.state
                        .library
                        .workspaces
                        .get(&t.workspace)
                        .and_then(|w| w.requests.get(&r.draft.id))
                        .cloned()
                });
                if let (Some(saved), Some(r)) = (saved, self.state.tab_mut(tab).and_then(Tab::request_mut)) {
                    r.draft = saved;
                    r.disk = DiskState::InSync;
                }
                self.state.refresh_dirty(tab);
            }
        }
    }

    fn action(&mut self, ctx: &egui::Context, action: Action) {
        let active = self.state.active_tab;
        match action {
            Action::NewRequest => {
                let Some(ws) = self.state.workspace else { return };
                let request = Request::new("Untitled request");
                self.open_tab(ws, TabKind::Request(Box::new(RequestTab::new(request, None))));
                self.state.focus_url = true;
            }
            Action::NewCollection => self.new_collection(),
            Action::NewEnvironment => self.new_environment(),
            Action::Save => {
                if let Some(id) = active {
                    self.apply(ctx, Command::SaveTab(id));
                }
            }
            Action::SaveAs => {
                if let Some(id) = active
                    && let Some(r) = self.state.tab(id).and_then(Tab::request)
                {
                    let name = r.draft.name.clone();
                    let parent = r.parent;
                    self.state.modal = Some(Modal::SaveAs { tab: id, name, parent });
                }
            }
            Action::Send => {
                if let Some(id) = active {
                    self.apply(ctx, Command::Send(id));
                }
            }
            Action::Cancel => {
                if self.state.modal.is_some() {
                    self.state.modal = None;
                } else if let Some(id) = active {
                    self.apply(ctx, Command::Cancel(id));
                }
            }
            Action::CloseTab => {
                if let Some(id) = active {
                    self.apply(ctx, Command::CloseTab(id));
                }
            }
            Action::FocusUrl => self.state.focus_url = true,
            Action::CopyAsCurl => self.copy_active_as_curl(ctx),
            Action::QuickOpen => {
                self.state.modal = Some(Modal::QuickOpen { query: String::new(), selected: 0 });
            }
            Action::CommandPalette => {
                self.state.modal = Some(Modal::CommandPalette { query: String::new(), selected: 0 });
            }
            Action::ShowCollections => self.state.sidebar.section = SidebarSection::Collections,
            Action::ShowEnvironments => self.state.sidebar.section = SidebarSection::Environments,
            Action::ShowHistory => {
                self.state.sidebar.section = SidebarSection::History;
                self.reload_history(ctx);
            }
            Action::ShowPresets => self.state.sidebar.section = SidebarSection::Presets,
            Action::OpenGlobals => {
                if let Some(ws) = self.state.workspace {
                    self.open_tab(ws, TabKind::Globals);
                }
            }
            Action::ToggleTheme => {
                let dark = ctx.global_style().visuals.dark_mode;
                self.state.settings.theme = if dark { Theme::Light } else { Theme::Dark };
                self.submit(WriteJob::Settings(self.state.settings.clone()));
            }
            Action::ReloadFromDisk => self.reload_from_disk(),
            Action::ResetLocalData => self.open_reset(),
            Action::Import => self.open_import(ctx, None),
            Action::ExportEverything => self.open_export(super::interop::ExportWhat::Everything),
            Action::RunCollection => {
                // The collection (or folder) of what is open, else the first collection.
                let open = self.state.active().and_then(|t| match &t.kind {
                    TabKind::Container(p) => Some(*p),
                    TabKind::Runner(r) => Some(r.target),
                    TabKind::Request(r) => self
                        .state
                        .ws()
                        .and_then(|ws| ws.collection_of(ItemId::Request(r.draft.id)))
                        .map(ParentId::Collection),
                    _ => None,
                });
                let first = self.state.ws().and_then(|ws| ws.collections.keys().next().copied());
                match open.or(first.map(ParentId::Collection)) {
                    Some(target) => self.open_runner(target),
                    None => self
                        .state
                        .notify("Create a collection first: the runner runs a collection or folder."),
                }
            }
            Action::ToggleConsole => self.state.console.open = !self.state.console.open,
            Action::ShowPolicy => {
                if let Some(ws) = self.state.workspace {
                    self.open_tab(ws, TabKind::Policy);
                }
            }
            Action::OpenSettings => {
                if let Some(ws) = self.state.workspace {
                    self.open_tab(ws, TabKind::Settings);
                }
            }
            Action::ZoomIn | Action::ZoomOut => {
                let step = if action == Action::ZoomIn { 1.0 } else { -1.0 };
                self.state.settings.font_size = (self.state.settings.font_size + step).clamp(8.0, 32.0);
                self.submit(WriteJob::Settings(self.state.settings.clone()));
            }
        }
    }
}
