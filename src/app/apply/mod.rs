//! Applying commands: the one place where the app's state changes and writes are queued.

mod examples;
mod records;
mod tabs;
mod tree;

use crate::model::*;

use super::App;
use super::command::{Action, Command};
use super::state::{Modal, RequestTab, SidebarSection, Tab, TabKind};
use super::writer::WriteJob;

impl App {
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        self.state.revision += 1;
        match command {
            Command::Action(action) => self.action(ctx, action),

            Command::SwitchWorkspace(id) => self.switch_workspace(ctx, id),
            Command::CreateWorkspace(name) => self.create_workspace(ctx, &name),
            Command::RenameWorkspace(id, name) => self.rename_workspace(id, name),
            Command::DeleteWorkspace(id) => self.workspace_delete_prompt(id),
            Command::DeleteWorkspaceConfirmed(id) => self.delete_workspace(ctx, id),

            Command::NewFolder(parent) => self.new_folder(parent),
            Command::NewRequestIn(parent) => self.new_request_in(parent),
            Command::Rename(target, name) => self.rename(target, &name),
            Command::Duplicate(target) => self.duplicate(target),
            Command::Delete(target) => self.confirm_delete(target),
            Command::DeleteConfirmed(target) => self.delete_confirmed(target),
            Command::Move { item, to, index } => self.move_item(item, to, index),
            Command::StartRename(target) => self.start_rename(target),
            Command::RenameTyping(text) => self.rename_typing(text),
            Command::CancelRename => self.state.sidebar.renaming = None,
            Command::NewPreset => self.new_preset(),
            Command::ToggleExpanded(parent) => self.toggle_expanded(parent),

            Command::OpenRequest(id) => self.open_request(id),
            Command::OpenTarget(target) => self.open_target(target),
            Command::SelectTab(id) => self.select_tab(ctx, id),
            Command::CloseTab(id) => self.ask_close_tab(id),
            Command::CloseTabDiscard(id) => {
                self.state.modal = None;
                self.close_tab(id);
            }
            Command::SaveTab(id) => {
                self.save_tab(id);
            }
            Command::SaveTabThenClose(id) => self.save_then_close(id),
            Command::SaveAs { tab, parent, name } => {
                self.state.modal = None;
                self.save_as(tab, parent, &name);
            }
            Command::SaveDialog(command) => self.save_dialog(command),
            Command::Send(tab) => {
                self.keep_tab(tab);
                self.send(ctx, tab);
            }
            Command::Cancel(tab) => self.cancel_send(tab),
            Command::StopBody(tab) => self.stop_body(tab),
            Command::Sse(command) => self.sse_command(command),
            Command::PasteCurl { tab, text } => self.paste_curl(tab, &text),

            Command::SelectEnvironment(env) => self.select_environment(env),
            Command::EnvironmentEdited(id) => self.environment_edited(id),
            Command::GlobalsEdited => self.globals_edited(),
            Command::PresetEdited(id) => self.preset_edited(id),
            Command::InsertPreset { tab, preset } => self.insert_preset_headers(tab, preset),

            Command::OpenHistory(id) => self.open_history(id),
            Command::ClearHistory => self.ask_clear_history(),
            Command::ClearHistoryConfirmed => self.clear_history_confirmed(),
            Command::ReloadHistory => self.reload_history(ctx),

            Command::SaveResponseAsExample(tab) => self.save_example(tab),
            Command::Cookies(command) => self.cookie_command(ctx, command),
            Command::GraphQl(command) => self.graphql_command(ctx, command),
            Command::Example(command) => self.example_command(command),
            Command::SaveResponseBody(tab) => self.save_response_body(tab),
            Command::PickFile { tab, field } => self.pick_file(ctx, tab, field),
            Command::OpenRunner(target) => self.open_runner(target),
            Command::StartRun(tab) => self.start_run(ctx, tab),
            Command::CancelRun(tab) => self.cancel_run(tab),
            Command::RefreshPastRuns => self.refresh_past_runs(),
            Command::DeletePastRun(id) => self.delete_past_run_here(id),
            Command::ExportRun { tab, run } => self.export_run(ctx, tab, run),
            Command::BrowseRunner { tab, what } => self.browse_runner(ctx, tab, what),
            Command::RunResult(command) => self.run_result_command(command),
            Command::BrowseSavePath => self.browse_save_path(ctx),
            Command::WriteResponseBody { tab, path } => self.write_body(ctx, tab, path),
            Command::DraftEdited(tab) => self.state.refresh_dirty(tab),
            Command::ContainerEdited(container) => self.container_edited(container),
            Command::SettingsEdited => self.submit(WriteJob::Settings(self.state.settings.clone())),
            Command::OpenDataFolder => self.open_data_folder(),
            Command::ReloadPolicy => self.reload_policy(ctx),
            Command::WriteResetBackup => self.write_reset_backup(ctx),
            Command::ImportFile(path) => self.open_import(ctx, Some(path)),
            Command::BrowseImportPath => self.browse_import_path(ctx),
            Command::ReadImport => self.read_import(ctx),
            Command::ConfirmImport => self.confirm_import(ctx),
            Command::ImportBack => self.import_back(),
            Command::Export(what) => self.open_export(what),
            Command::ExportFormatChanged => self.export_format_changed(),
            Command::WriteExport => self.write_export(ctx),
            Command::CopyAsCurl(request) => self.copy_as_curl(ctx, request),
            Command::BrowseResetBackupPath => self.browse_reset_backup_path(ctx),
            Command::ResetConfirmed => self.reset_local_data(),
            Command::SetTheme(theme) => self.set_theme(theme),
            Command::CopyToClipboard(text) => ctx.copy_text(text),
            Command::Code(c) => self.code_command(ctx, c),
            Command::ClearConsole => self.state.console.clear(),
            Command::DismissNotice => self.state.notice = None,
            Command::DismissSaveError => self.dismiss_save_error(),
            Command::CloseModal => self.state.modal = None,
            Command::OverwriteOnDisk(tab) => self.overwrite_on_disk(tab),
            Command::SaveMineAsNew(tab) => self.save_mine_as_new(tab),
            Command::KeepDeleted(tab) => self.keep_deleted(tab),
            Command::DiscardDraft(tab) => self.discard_draft(tab),
            Command::Tabs(command) => self.tab_command(command),
            Command::WebSocket(command) => self.ws_command(ctx, command),
        }
    }

    fn action(&mut self, ctx: &egui::Context, action: Action) {
        let active = self.state.active_tab;
        match action {
            Action::NewRequest => {
                let Some(ws) = self.state.workspace else { return };
                let request = Request::new(crate::model::url_text::UNNAMED_REQUEST);
                self.open_tab(ws, TabKind::Request(Box::new(RequestTab::unnamed(request))));
                self.state.focus_url = true;
            }
            Action::NewWebSocketRequest => self.ws_command(ctx, super::ws::WsCommand::New(None)),
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
            Action::ManageCookies => self.cookie_command(ctx, super::cookies::CookieCommand::Open),
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
