//! Applying commands: the one place where the app's state changes and writes are queued.

use crate::model::*;

use super::App;
use super::command::{Action, Command};
use super::response::{ResponseOrigin, ResponseView};
use super::state::{DiskState, Modal, RequestTab, SidebarSection, Tab, TabId, TabKind, Target};
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

    // ---- tabs -----------------------------------------------------------------------------------

    fn open_tab(&mut self, workspace: WorkspaceId, kind: TabKind) -> TabId {
        let existing = self.state.tabs.iter().find(|t| {
            t.workspace == workspace
                && match (&t.kind, &kind) {
                    (TabKind::Environment(a), TabKind::Environment(b)) => a == b,
                    (TabKind::Preset(a), TabKind::Preset(b)) => a == b,
                    (TabKind::Container(a), TabKind::Container(b)) => a == b,
                    (TabKind::Globals, TabKind::Globals)
                    | (TabKind::Settings, TabKind::Settings)
                    | (TabKind::Policy, TabKind::Policy) => true,
                    _ => false,
                }
        });
        if let Some(t) = existing {
            let id = t.id;
            self.state.active_tab = Some(id);
            return id;
        }
        let id = self.state.new_tab_id();
        // Open next to the active tab, as browsers do.
        let at = self
            .state
            .active_tab
            .and_then(|a| self.state.tabs.iter().position(|t| t.id == a))
            .map_or(self.state.tabs.len(), |i| i + 1);
        self.state.tabs.insert(at, Tab { id, workspace, kind });
        self.state.active_tab = Some(id);
        self.state.refresh_dirty(id);
        id
    }

    fn open_request(&mut self, id: RequestId) {
        let Some(ws) = self.state.ws() else { return };
        let ws_id = ws.id();
        if let Some(t) = self.state.tabs.iter().find(|t| t.request().is_some_and(|r| r.draft.id == id)) {
            self.state.active_tab = Some(t.id);
            return;
        }
        let Some(request) = ws.requests.get(&id).cloned() else { return };
        let parent = ws.parent_of(ItemId::Request(id));
        self.open_tab(ws_id, TabKind::Request(Box::new(RequestTab::new(request, parent))));
    }

    fn open_target(&mut self, target: Target) {
        let Some(ws) = self.state.workspace else { return };
        match target {
            Target::Request(id) => self.open_request(id),
            Target::Environment(id) => {
                self.open_tab(ws, TabKind::Environment(id));
            }
            Target::Preset(id) => {
                self.open_tab(ws, TabKind::Preset(id));
            }
            Target::Collection(id) => {
                self.open_tab(ws, TabKind::Container(ParentId::Collection(id)));
            }
            Target::Folder(id) => {
                self.open_tab(ws, TabKind::Container(ParentId::Folder(id)));
            }
            Target::Workspace(id) => {
                self.state.workspace = Some(id);
            }
        }
    }

    fn close_tab(&mut self, id: TabId) {
        let Some(pos) = self.state.tabs.iter().position(|t| t.id == id) else { return };
        let mut tab = self.state.tabs.remove(pos);
        if let Some(r) = tab.request_mut()
            && let Some(f) = &mut r.in_flight
        {
            f.cancel();
        }
        if self.state.active_tab == Some(id) {
            let ws = self.state.workspace;
            let same_ws: Vec<TabId> =
                self.state.tabs.iter().filter(|t| Some(t.workspace) == ws).map(|t| t.id).collect();
            let next = self.state.tabs[..pos.min(self.state.tabs.len())]
                .iter()
                .rev()
                .chain(self.state.tabs[pos.min(self.state.tabs.len())..].iter())
                .find(|t| same_ws.contains(&t.id))
                .map(|t| t.id);
            self.state.active_tab = next;
        }
    }

    /// Saves a request tab; returns false when it first needs a place (Save As is shown).
    pub(super) fn save_tab(&mut self, id: TabId) -> bool {
        let Some(tab) = self.state.tab(id) else { return false };
        let ws = tab.workspace;
        let Some(r) = tab.request() else { return true };
        if r.disk == DiskState::Changed {
            self.state.active_tab = Some(id);
            self.state.modal = Some(Modal::Conflict(id));
            return false;
        }
        let parent_exists = r
            .parent
            .is_some_and(|p| self.state.library.workspaces.get(&ws).and_then(|w| w.children(p)).is_some());
        let Some(parent) = r.parent.filter(|_| parent_exists) else {
            let name = r.draft.name.clone();
            self.state.modal = Some(Modal::SaveAs { tab: id, name, parent: None });
            return false;
        };
        let request = r.draft.clone();
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return false };
        let is_new = !data.requests.contains_key(&request.id);
        data.requests.insert(request.id, request.clone());
        self.submit(WriteJob::Request { parent, request: request.clone() });
        if is_new {
            self.add_child(ws, parent, ItemId::Request(request.id), usize::MAX);
        }
        self.state.refresh_dirty(id);
        true
    }

    pub(super) fn save_as(&mut self, id: TabId, parent: ParentId, name: &str) {
        let Some(tab) = self.state.tab(id) else { return };
        let ws = tab.workspace;
        let Some(r) = tab.request() else { return };
        let mut request = r.draft.clone();
        let already_saved =
            self.state.library.workspaces.get(&ws).is_some_and(|w| w.requests.contains_key(&request.id));
        if already_saved {
            // Save As makes a new request; the original stays as it was saved.
            request.id = RequestId::new();
        }
        request.name = if name.trim().is_empty() { request.name } else { name.trim().to_owned() };
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.requests.insert(request.id, request.clone());
        }
        self.submit(WriteJob::Request { parent, request: request.clone() });
        self.add_child(ws, parent, ItemId::Request(request.id), usize::MAX);
        if let Some(r) = self.state.tab_mut(id).and_then(Tab::request_mut) {
            r.draft = request;
            r.parent = Some(parent);
        }
        self.state.sidebar.expanded.insert(parent);
        self.state.refresh_dirty(id);
    }

    // ---- tree -----------------------------------------------------------------------------------

    fn new_collection(&mut self) {
        let Some(ws) = self.state.workspace else { return };
        let collection = Collection::new("New Collection");
        let id = collection.id;
        self.submit(WriteJob::Collection { ws, collection: collection.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.collections.insert(id, collection);
            data.workspace.collections.push(id);
            let w = data.workspace.clone();
            self.submit(WriteJob::Workspace(w));
        }
        self.state.sidebar.section = SidebarSection::Collections;
        self.state.sidebar.expanded.insert(ParentId::Collection(id));
        self.state.sidebar.renaming = Some((Target::Collection(id), "New Collection".into()));
    }

    fn new_folder(&mut self, parent: ParentId) {
        let Some(ws) = self.state.workspace else { return };
        let folder = Folder::new("New Folder");
        let id = folder.id;
        self.submit(WriteJob::Folder { parent, folder: folder.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.folders.insert(id, folder);
        }
        self.add_child(ws, parent, ItemId::Folder(id), usize::MAX);
        self.state.sidebar.expanded.insert(parent);
        self.state.sidebar.expanded.insert(ParentId::Folder(id));
        self.state.sidebar.renaming = Some((Target::Folder(id), "New Folder".into()));
    }

    fn new_request_in(&mut self, parent: ParentId) {
        let Some(ws) = self.state.workspace else { return };
        let request = Request::new("New Request");
        let id = request.id;
        self.submit(WriteJob::Request { parent, request: request.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.requests.insert(id, request);
        }
        self.add_child(ws, parent, ItemId::Request(id), usize::MAX);
        self.state.sidebar.expanded.insert(parent);
        self.open_request(id);
        self.state.focus_url = true;
    }

    /// Inserts `item` into `parent`'s order at `index` (clamped) and saves the parent.
    fn add_child(&mut self, ws: WorkspaceId, parent: ParentId, item: ItemId, index: usize) {
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return };
        if let Some(children) = data.children_mut(parent) {
            children.retain(|c| *c != item);
            let at = index.min(children.len());
            children.insert(at, item);
        }
        self.save_container(ws, parent);
    }

    /// Queues a write of a collection's or folder's own file.
    pub(super) fn save_container(&mut self, ws: WorkspaceId, container: ParentId) {
        let Some(data) = self.state.library.workspaces.get(&ws) else { return };
        let job = match container {
            ParentId::Collection(id) => {
                let Some(c) = data.collections.get(&id) else { return };
                WriteJob::Collection { ws, collection: c.clone() }
            }
            ParentId::Folder(id) => {
                let Some(f) = data.folders.get(&id) else { return };
                let Some(parent) = data.parent_of(ItemId::Folder(id)) else { return };
                WriteJob::Folder { parent, folder: f.clone() }
            }
        };
        self.submit(job);
    }

    fn save_workspace_order(&mut self) {
        let order = self.state.library.workspaces.keys().copied().collect();
        self.submit(WriteJob::WorkspaceOrder(order));
    }

    fn target_name(&self, target: Target) -> Option<String> {
        let ws = self.state.ws()?;
        Some(match target {
            Target::Workspace(id) => self.state.library.workspaces.get(&id)?.workspace.name.clone(),
            Target::Collection(id) => ws.collections.get(&id)?.name.clone(),
            Target::Folder(id) => ws.folders.get(&id)?.name.clone(),
            Target::Request(id) => ws.requests.get(&id)?.name.clone(),
            Target::Environment(id) => ws.environments.get(&id)?.name.clone(),
            Target::Preset(id) => ws.header_presets.get(&id)?.name.clone(),
        })
    }

    fn rename(&mut self, target: Target, name: &str) {
        self.state.sidebar.renaming = None;
        let name = name.trim().to_owned();
        if name.is_empty() {
            return;
        }
        if let Target::Workspace(id) = target {
            self.apply_rename_workspace(id, name);
            return;
        }
        let Some(ws) = self.state.workspace else { return };
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return };
        match target {
            Target::Collection(id) => {
                if let Some(c) = data.collections.get_mut(&id) {
                    c.name = name;
                    self.save_container(ws, ParentId::Collection(id));
                }
            }
            Target::Folder(id) => {
                if let Some(f) = data.folders.get_mut(&id) {
                    f.name = name;
                    self.save_container(ws, ParentId::Folder(id));
                }
            }
            Target::Request(id) => {
                let Some(r) = data.requests.get_mut(&id) else { return };
                r.name.clone_from(&name);
                let request = r.clone();
                let Some(parent) = data.parent_of(ItemId::Request(id)) else { return };
                self.submit(WriteJob::Request { parent, request });
                // An open tab follows the new name without becoming dirty.
                let tab = self.state.tabs.iter_mut().find(|t| t.request().is_some_and(|r| r.draft.id == id));
                if let Some(tab) = tab {
                    let tid = tab.id;
                    if let Some(r) = tab.request_mut() {
                        r.draft.name = name;
                    }
                    self.state.refresh_dirty(tid);
                }
            }
            Target::Environment(id) => {
                if let Some(env) = data.environments.get_mut(&id) {
                    env.name = name;
                    let environment = env.clone();
                    self.submit(WriteJob::Environment { ws, environment });
                }
            }
            Target::Preset(id) => {
                if let Some(p) = data.header_presets.get_mut(&id) {
                    p.name = name;
                    let preset = p.clone();
                    self.submit(WriteJob::Preset { ws, preset });
                }
            }
            Target::Workspace(_) => {}
        }
    }

    fn apply_rename_workspace(&mut self, id: WorkspaceId, name: String) {
        if let Some(ws) = self.state.library.workspaces.get_mut(&id) {
            ws.workspace.name = name;
            let w = ws.workspace.clone();
            self.submit(WriteJob::Workspace(w));
        }
    }

    fn duplicate(&mut self, target: Target) {
        let Some(ws) = self.state.workspace else { return };
        let Some(data) = self.state.library.workspaces.get(&ws) else { return };
        match target {
            Target::Request(id) => {
                let Some(original) = data.requests.get(&id) else { return };
                let Some(parent) = data.parent_of(ItemId::Request(id)) else { return };
                let mut copy = original.clone();
                copy.id = RequestId::new();
                copy.name = format!("{} Copy", original.name);
                let at = data.children(parent).and_then(|c| c.iter().position(|x| *x == ItemId::Request(id)));
                let copy_id = copy.id;
                self.insert_request(ws, parent, copy);
                self.add_child(ws, parent, ItemId::Request(copy_id), at.map_or(usize::MAX, |i| i + 1));
            }
            Target::Folder(id) => {
                let Some(parent) = data.parent_of(ItemId::Folder(id)) else { return };
                let at = data.children(parent).and_then(|c| c.iter().position(|x| *x == ItemId::Folder(id)));
                if let Some(copy) = self.copy_folder(ws, id, parent, true) {
                    self.add_child(ws, parent, ItemId::Folder(copy), at.map_or(usize::MAX, |i| i + 1));
                }
            }
            Target::Collection(id) => {
                let Some(original) = data.collections.get(&id).cloned() else { return };
                let mut copy = original.clone();
                copy.id = CollectionId::new();
                copy.name = format!("{} Copy", original.name);
                copy.children.clear();
                for v in &mut copy.variables {
                    v.id = VariableId::new();
                }
                let copy_id = copy.id;
                self.submit(WriteJob::Collection { ws, collection: copy.clone() });
                if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
                    data.collections.insert(copy_id, copy);
                    let at = data.workspace.collections.iter().position(|c| *c == id).map_or(0, |i| i + 1);
                    data.workspace.collections.insert(at, copy_id);
                    // Keep the map in the sidebar's order.
                    let order = data.workspace.collections.clone();
                    data.collections.sort_by_key(|k, _| order.iter().position(|o| o == k));
                    let w = data.workspace.clone();
                    self.submit(WriteJob::Workspace(w));
                }
                let parent = ParentId::Collection(copy_id);
                for child in original.children {
                    self.copy_child(ws, child, parent);
                }
                self.save_container(ws, parent);
            }
            Target::Environment(id) => {
                let Some(original) = data.environments.get(&id) else { return };
                let mut copy = original.clone();
                copy.id = EnvironmentId::new();
                copy.name = format!("{} Copy", original.name);
                for v in &mut copy.variables {
                    v.id = VariableId::new();
                }
                self.insert_environment(ws, copy);
            }
            Target::Preset(id) => {
                let Some(original) = data.header_presets.get(&id) else { return };
                let mut copy = original.clone();
                copy.id = PresetId::new();
                copy.name = format!("{} Copy", original.name);
                self.insert_preset(ws, copy);
            }
            Target::Workspace(_) => {}
        }
    }

    fn insert_request(&mut self, ws: WorkspaceId, parent: ParentId, request: Request) {
        self.submit(WriteJob::Request { parent, request: request.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.requests.insert(request.id, request);
        }
    }

    fn copy_child(&mut self, ws: WorkspaceId, child: ItemId, into: ParentId) {
        let Some(data) = self.state.library.workspaces.get(&ws) else { return };
        match child {
            ItemId::Request(r) => {
                let Some(mut copy) = data.requests.get(&r).cloned() else { return };
                copy.id = RequestId::new();
                let id = copy.id;
                self.insert_request(ws, into, copy);
                if let Some(children) =
                    self.state.library.workspaces.get_mut(&ws).and_then(|d| d.children_mut(into))
                {
                    children.push(ItemId::Request(id));
                }
            }
            ItemId::Folder(f) => {
                if let Some(id) = self.copy_folder(ws, f, into, false)
                    && let Some(children) =
                        self.state.library.workspaces.get_mut(&ws).and_then(|d| d.children_mut(into))
                {
                    children.push(ItemId::Folder(id));
                }
            }
        }
    }

    /// Copies a folder and everything in it under `into`; returns the copy's id.
    fn copy_folder(
        &mut self,
        ws: WorkspaceId,
        id: FolderId,
        into: ParentId,
        rename: bool,
    ) -> Option<FolderId> {
        let original = self.state.library.workspaces.get(&ws)?.folders.get(&id)?.clone();
        let mut copy = original.clone();
        copy.id = FolderId::new();
        if rename {
            copy.name = format!("{} Copy", original.name);
        }
        copy.children.clear();
        for v in &mut copy.variables {
            v.id = VariableId::new();
        }
        let copy_id = copy.id;
        self.submit(WriteJob::Folder { parent: into, folder: copy.clone() });
        self.state.library.workspaces.get_mut(&ws)?.folders.insert(copy_id, copy);
        // The folder's own file is written again once its children are listed.
        self.state.library.workspaces.get_mut(&ws)?.children_mut(into)?.push(ItemId::Folder(copy_id));
        for child in original.children {
            self.copy_child(ws, child, ParentId::Folder(copy_id));
        }
        self.state
            .library
            .workspaces
            .get_mut(&ws)?
            .children_mut(into)?
            .retain(|c| *c != ItemId::Folder(copy_id));
        self.save_container(ws, ParentId::Folder(copy_id));
        Some(copy_id)
    }

    fn confirm_delete(&mut self, target: Target) {
        let Some(ws) = self.state.ws() else { return };
        let (what, detail) = match target {
            Target::Workspace(id) => {
                self.workspace_delete_prompt(id);
                return;
            }
            Target::Collection(id) => {
                let Some(c) = ws.collections.get(&id) else { return };
                let n = ws.requests_under(ParentId::Collection(id)).len();
                (format!("the collection \"{}\"", c.name), format!(" and its {n} requests"))
            }
            Target::Folder(id) => {
                let Some(f) = ws.folders.get(&id) else { return };
                let n = ws.requests_under(ParentId::Folder(id)).len();
                (format!("the folder \"{}\"", f.name), format!(" and its {n} requests"))
            }
            Target::Request(id) => {
                let Some(r) = ws.requests.get(&id) else { return };
                (format!("the request \"{}\"", r.name), String::new())
            }
            Target::Environment(id) => {
                let Some(e) = ws.environments.get(&id) else { return };
                (format!("the environment \"{}\"", e.name), String::new())
            }
            Target::Preset(id) => {
                let Some(p) = ws.header_presets.get(&id) else { return };
                (format!("the header preset \"{}\"", p.name), String::new())
            }
        };
        self.state.modal = Some(Modal::Confirm {
            title: "Delete".into(),
            message: format!("Delete {what}{detail}? Its files are removed from the data folder."),
            confirm_label: "Delete".into(),
            on_confirm: Command::DeleteConfirmed(target),
        });
    }

    fn workspace_delete_prompt(&mut self, id: WorkspaceId) {
        let Some(ws) = self.state.library.workspaces.get(&id) else { return };
        self.state.modal = Some(Modal::Confirm {
            title: "Delete workspace".into(),
            message: format!(
                "Delete the workspace \"{}\" with its {} collections, {} requests and {} environments? \
                 This removes its folder from the data folder and cannot be undone.",
                ws.workspace.name,
                ws.collections.len(),
                ws.requests.len(),
                ws.environments.len()
            ),
            confirm_label: "Delete workspace".into(),
            on_confirm: Command::DeleteWorkspaceConfirmed(id),
        });
    }

    fn delete(&mut self, target: Target) {
        let Some(ws) = self.state.workspace else { return };
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return };
        match target {
            Target::Collection(id) => {
                let (folders, requests) = data.descendants(ParentId::Collection(id));
                data.collections.shift_remove(&id);
                data.workspace.collections.retain(|c| *c != id);
                for f in folders {
                    data.folders.shift_remove(&f);
                }
                for r in &requests {
                    data.requests.shift_remove(r);
                }
                let w = data.workspace.clone();
                self.submit(WriteJob::DeleteCollection(id));
                self.submit(WriteJob::Workspace(w));
                self.close_tabs_of(&requests);
            }
            Target::Folder(id) => {
                let parent = data.parent_of(ItemId::Folder(id));
                let (folders, requests) = data.descendants(ParentId::Folder(id));
                data.folders.shift_remove(&id);
                for f in folders {
                    data.folders.shift_remove(&f);
                }
                for r in &requests {
                    data.requests.shift_remove(r);
                }
                if let Some(parent) = parent {
                    if let Some(children) = data.children_mut(parent) {
                        children.retain(|c| *c != ItemId::Folder(id));
                    }
                    self.submit(WriteJob::DeleteItem(ItemId::Folder(id)));
                    self.save_container(ws, parent);
                }
                self.close_tabs_of(&requests);
            }
            Target::Request(id) => {
                let parent = data.parent_of(ItemId::Request(id));
                data.requests.shift_remove(&id);
                if let Some(parent) = parent {
                    if let Some(children) = data.children_mut(parent) {
                        children.retain(|c| *c != ItemId::Request(id));
                    }
                    self.submit(WriteJob::DeleteItem(ItemId::Request(id)));
                    self.save_container(ws, parent);
                }
                self.close_tabs_of(&[id]);
            }
            Target::Environment(id) => {
                data.environments.shift_remove(&id);
                data.workspace.environments.retain(|e| *e != id);
                let w = data.workspace.clone();
                self.submit(WriteJob::DeleteEnvironment(id));
                self.submit(WriteJob::Workspace(w));
                if self.state.active_environment.get(&ws) == Some(&id) {
                    self.state.active_environment.shift_remove(&ws);
                }
                self.state.tabs.retain(|t| !matches!(t.kind, TabKind::Environment(e) if e == id));
            }
            Target::Preset(id) => {
                data.header_presets.shift_remove(&id);
                data.workspace.header_presets.retain(|p| *p != id);
                let w = data.workspace.clone();
                self.submit(WriteJob::DeletePreset(id));
                self.submit(WriteJob::Workspace(w));
                self.state.tabs.retain(|t| !matches!(t.kind, TabKind::Preset(p) if p == id));
            }
            Target::Workspace(id) => self.workspace_delete_prompt(id),
        }
        if self.state.active_tab.is_some_and(|a| self.state.tab(a).is_none()) {
            self.state.active_tab = self
                .state
                .tabs
                .iter()
                .rev()
                .find(|t| Some(t.workspace) == self.state.workspace)
                .map(|t| t.id);
        }
    }

    /// Deleted requests: their tabs become unsaved drafts rather than vanishing with edits.
    fn close_tabs_of(&mut self, requests: &[RequestId]) {
        let ids: Vec<TabId> = self
            .state
            .tabs
            .iter()
            .filter(|t| t.request().is_some_and(|r| requests.contains(&r.draft.id) && !r.dirty))
            .map(|t| t.id)
            .collect();
        for id in ids {
            self.close_tab(id);
        }
        for t in &mut self.state.tabs {
            if let Some(r) = t.request_mut()
                && requests.contains(&r.draft.id)
            {
                r.parent = None;
                r.dirty = true;
            }
        }
    }

    fn move_item(&mut self, item: ItemId, to: ParentId, index: usize) {
        let Some(ws) = self.state.workspace else { return };
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return };
        let Some(from) = data.parent_of(item) else { return };
        if let ItemId::Folder(f) = item {
            // Not into itself or below itself.
            let target_chain = match to {
                ParentId::Folder(t) => {
                    let mut chain = data.ancestors(ItemId::Folder(t));
                    chain.push(ParentId::Folder(t));
                    chain
                }
                ParentId::Collection(_) => Vec::new(),
            };
            if target_chain.contains(&ParentId::Folder(f)) {
                self.state.error("A folder cannot be moved into itself.");
                return;
            }
        }
        if from == to {
            let Some(children) = data.children_mut(to) else { return };
            let Some(old) = children.iter().position(|c| *c == item) else { return };
            children.remove(old);
            let at = if index > old { index - 1 } else { index }.min(children.len());
            children.insert(at, item);
            self.save_container(ws, to);
            return;
        }
        if let Some(children) = data.children_mut(from) {
            children.retain(|c| *c != item);
        }
        self.submit(WriteJob::MoveItem { item, to });
        self.save_container(ws, from);
        self.add_child(ws, to, item, index);
        self.state.sidebar.expanded.insert(to);
        // Open tabs of moved requests now save to the new place.
        let moved: Vec<RequestId> = match item {
            ItemId::Request(r) => vec![r],
            ItemId::Folder(_) => Vec::new(),
        };
        for t in &mut self.state.tabs {
            if let Some(r) = t.request_mut()
                && moved.contains(&r.draft.id)
            {
                r.parent = Some(to);
            }
        }
    }

    // ---- environments, presets, history --------------------------------------------------------

    fn new_environment(&mut self) {
        let Some(ws) = self.state.workspace else { return };
        let env = Environment::new("New Environment");
        let id = env.id;
        self.insert_environment(ws, env);
        self.state.sidebar.section = SidebarSection::Environments;
        self.state.sidebar.renaming = Some((Target::Environment(id), "New Environment".into()));
        self.open_tab(ws, TabKind::Environment(id));
    }

    fn insert_environment(&mut self, ws: WorkspaceId, env: Environment) {
        self.submit(WriteJob::Environment { ws, environment: env.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.workspace.environments.push(env.id);
            data.environments.insert(env.id, env);
            let w = data.workspace.clone();
            self.submit(WriteJob::Workspace(w));
        }
    }

    pub(super) fn new_preset(&mut self) {
        let Some(ws) = self.state.workspace else { return };
        let preset = HeaderPreset::new("New Preset");
        let id = preset.id;
        self.insert_preset(ws, preset);
        self.open_tab(ws, TabKind::Preset(id));
    }

    fn insert_preset(&mut self, ws: WorkspaceId, preset: HeaderPreset) {
        self.submit(WriteJob::Preset { ws, preset: preset.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.workspace.header_presets.push(preset.id);
            data.header_presets.insert(preset.id, preset);
            let w = data.workspace.clone();
            self.submit(WriteJob::Workspace(w));
        }
    }

    /// Opens a history entry as a new, unsaved request: the request as it was written
    /// (`{{templates}}` resolved anew on the next send), in the place of the saved request it
    /// came from when that still exists. A value history did not keep (a secret, an auth
    /// header) is never filled in with a redaction mark: the user is told to enter it again.
    fn open_history(&mut self, id: HistoryId) {
        let Some(entry) = self.state.history.iter().find(|e| e.id == id).cloned() else { return };
        let Some(ws) = self.state.workspace else { return };
        let name = if entry.name.is_empty() { entry.request.url.clone() } else { entry.name.clone() };
        let parent = entry.request_id.and_then(|r| {
            self.state.library.workspaces.get(&ws).and_then(|w| w.parent_of(ItemId::Request(r)))
        });
        let (request, incomplete) = match &entry.written {
            Some(written) => {
                (Request { id: RequestId::new(), name, ..(**written).clone() }, entry.written_incomplete)
            }
            None => sent_as_request(&entry.request, name),
        };
        if incomplete {
            self.state.notify(
                "History does not keep secrets: values that were typed in as secrets (a token, a password) are empty; enter them again before sending.",
            );
        }
        let mut tab = RequestTab::new(request, parent);
        tab.response = entry
            .response
            .as_ref()
            .map(|r| ResponseView::from_record(r, entry.request.clone(), ResponseOrigin::History(entry.at)));
        tab.error.clone_from(&entry.error);
        self.open_tab(ws, TabKind::Request(Box::new(tab)));
    }

    fn clear_history(&mut self) {
        let Some(ws) = self.state.workspace else { return };
        self.state.history.clear();
        self.submit(WriteJob::Task {
            what: "clearing history".into(),
            run: Box::new(move |store| crate::storage::history::clear(store.workspace_dir(ws)?)),
        });
    }

    fn save_example(&mut self, id: TabId) {
        let Some(tab) = self.state.tab(id) else { return };
        let ws = tab.workspace;
        let Some(r) = tab.request() else { return };
        let Some(response) = &r.response else { return };
        let example = SavedResponse {
            id: ExampleId::new(),
            name: format!("{} {}", response.status, response.reason).trim().to_owned(),
            // The request file is shareable: no auth header, no secret variable's value.
            request: response.redactions.apply(&response.sent),
            response: ResponseRecord {
                status: response.status,
                reason: response.reason.clone(),
                http_version: response.http_version.clone(),
                headers: response.headers.clone(),
                body: Some(StoredBody::from_bytes(&response.body)),
                body_truncated: response.body_truncated,
                size_bytes: response.size_bytes,
                wire_size_bytes: response.wire_size_bytes,
                time_ms: response.time_ms,
            },
            saved_at: Some(time::OffsetDateTime::now_utc()),
            source_request: Some(r.draft.id),
        };
        let request_id = r.draft.id;
        let parent = r.parent;
        let name = example.name.clone();
        if let Some(r) = self.state.tab_mut(id).and_then(Tab::request_mut) {
            r.draft.examples.push(example.clone());
        }
        let saved = self.state.library.workspaces.get_mut(&ws).and_then(|w| w.requests.get_mut(&request_id));
        match (saved, parent) {
            (Some(saved), Some(parent)) => {
                saved.examples.push(example);
                let request = saved.clone();
                self.submit(WriteJob::Request { parent, request });
                self.state.notify(format!("Saved the response as example \"{name}\"."));
            }
            _ => self.state.notify("Example added; save the request to keep it."),
        }
        self.state.refresh_dirty(id);
    }

    fn paste_curl(&mut self, tab: TabId, text: &str) {
        match super::send::parse_curl(text) {
            Ok(request) => {
                if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
                    let keep_id = r.draft.id;
                    let keep_name = r.draft.name.clone();
                    r.draft = Request { id: keep_id, name: keep_name, ..request };
                }
                self.state.refresh_dirty(tab);
            }
            Err(e) => self.state.error(format!("Could not read the pasted cURL command: {e}")),
        }
    }
}

/// A request rebuilt from what was sent (history written before it kept the request as written):
/// headers history redacted are left out rather than sent with their mark. Also says whether
/// any was left out.
fn sent_as_request(sent: &SentRequest, name: String) -> (Request, bool) {
    let mut request = Request::new(name);
    request.method = Method::parse(&sent.method);
    request.url = sent.url.replace(crate::http::SECRET, "");
    request.params = crate::model::url_text::query_params(&request.url);
    let redacted = |v: &str| v.contains(crate::http::REDACTED) || v.contains(crate::http::SECRET);
    request.headers = sent
        .headers
        .iter()
        .filter(|h| !crate::http::is_added_by_engine(&h.name) && !redacted(&h.value))
        .map(|h| KeyValue::new(&h.name, &h.value))
        .collect();
    let mut incomplete = sent.headers.iter().any(|h| redacted(&h.value)) || redacted(&sent.url);
    if let Some(body) = &sent.body {
        let text = String::from_utf8_lossy(&body.to_bytes()).into_owned();
        incomplete |= redacted(&text);
        let text = text.replace(crate::http::SECRET, "");
        let json = find_header(&sent.headers, "content-type").is_some_and(|c| c.contains("json"));
        request.body = Body::raw(if json { RawLanguage::Json } else { RawLanguage::Text }, text);
    }
    (request, incomplete)
}
