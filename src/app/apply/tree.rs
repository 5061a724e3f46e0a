//! The tree: new collections, folders and requests; rename, duplicate, copy, delete, move.

use crate::app::App;
use crate::app::command::Command;
use crate::app::state::{Modal, SidebarSection, TabId, TabKind, Target};
use crate::app::writer::WriteJob;
use crate::model::*;

impl App {
    /// Makes `id` the workspace shown, with its last tab and its history.
    pub(super) fn switch_workspace(&mut self, ctx: &egui::Context, id: WorkspaceId) {
        if self.state.library.workspaces.contains_key(&id) {
            self.state.workspace = Some(id);
            self.state.active_tab = self.state.tabs.iter().rev().find(|t| t.workspace == id).map(|t| t.id);
            self.state.history.clear();
            self.reload_history(ctx);
        }
    }

    /// A new workspace, shown.
    pub(super) fn create_workspace(&mut self, ctx: &egui::Context, name: &str) {
        let ws = Workspace::new(name.trim());
        let id = ws.id;
        self.submit(WriteJob::Tree(TreeWrite::Workspace(ws.clone())));
        self.state.library.workspaces.insert(id, WorkspaceData::new(ws));
        self.save_workspace_order();
        self.apply(ctx, Command::SwitchWorkspace(id));
    }

    pub(super) fn rename_workspace(&mut self, id: WorkspaceId, name: String) {
        if let Some(ws) = self.state.library.workspaces.get_mut(&id) {
            ws.workspace.name = name;
            let ws = ws.workspace.clone();
            self.submit(WriteJob::Tree(TreeWrite::Workspace(ws)));
        }
    }

    /// Deletes a workspace (confirmed): its tabs close; the last one gone, a first one is made.
    pub(super) fn delete_workspace(&mut self, ctx: &egui::Context, id: WorkspaceId) {
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

    pub(super) fn delete_confirmed(&mut self, target: Target) {
        self.state.modal = None;
        self.delete(target);
    }

    pub(super) fn start_rename(&mut self, target: Target) {
        let name = self.target_name(target).unwrap_or_default();
        self.state.sidebar.renaming = Some((target, name));
    }

    pub(super) fn rename_typing(&mut self, text: String) {
        if let Some((_, t)) = &mut self.state.sidebar.renaming {
            *t = text;
        }
    }

    pub(super) fn toggle_expanded(&mut self, parent: ParentId) {
        if !self.state.sidebar.expanded.remove(&parent) {
            self.state.sidebar.expanded.insert(parent);
        }
    }

    pub(super) fn container_edited(&mut self, container: ParentId) {
        if let Some(ws) = self.state.workspace {
            self.save_container(ws, container);
        }
    }

    pub(super) fn new_collection(&mut self) {
        let Some(ws) = self.state.workspace else { return };
        let collection = Collection::new("New Collection");
        let id = collection.id;
        self.edit_tree(ws, |data| Some(data.add_collection(collection)));
        self.state.sidebar.section = SidebarSection::Collections;
        self.state.sidebar.expanded.insert(ParentId::Collection(id));
        self.state.sidebar.renaming = Some((Target::Collection(id), "New Collection".into()));
    }

    pub(super) fn new_folder(&mut self, parent: ParentId) {
        let Some(ws) = self.state.workspace else { return };
        let folder = Folder::new("New Folder");
        let id = folder.id;
        self.edit_tree(ws, |data| Some(data.add_folder(parent, folder)));
        self.state.sidebar.expanded.insert(parent);
        self.state.sidebar.expanded.insert(ParentId::Folder(id));
        self.state.sidebar.renaming = Some((Target::Folder(id), "New Folder".into()));
    }

    pub(super) fn new_request_in(&mut self, parent: ParentId) {
        let Some(ws) = self.state.workspace else { return };
        let request = Request::new("New Request");
        let id = request.id;
        self.edit_tree(ws, |data| Some(data.add_request(parent, request)));
        self.state.sidebar.expanded.insert(parent);
        self.open_request(id);
        self.state.focus_url = true;
    }

    /// Runs a tree edit on workspace `ws`'s data and queues its writes; the tabs of requests
    /// it removed become drafts.
    pub(in crate::app) fn edit_tree(
        &mut self,
        ws: WorkspaceId,
        edit: impl FnOnce(&mut WorkspaceData) -> Option<Edit>,
    ) {
        let Some(edit) = self.state.library.workspaces.get_mut(&ws).and_then(edit) else { return };
        for write in edit.writes {
            self.submit(WriteJob::Tree(write));
        }
        if !edit.removed_requests.is_empty() {
            self.close_tabs_of(&edit.removed_requests);
        }
    }

    /// Queues a write of a collection's or folder's own file.
    pub(in crate::app) fn save_container(&mut self, ws: WorkspaceId, container: ParentId) {
        let Some(write) = self.state.library.workspaces.get(&ws).and_then(|d| d.container_write(container))
        else {
            return;
        };
        self.submit(WriteJob::Tree(write));
    }

    pub(super) fn save_workspace_order(&mut self) {
        let order = self.state.library.workspaces.keys().copied().collect();
        self.submit(WriteJob::WorkspaceOrder(order));
    }

    pub(super) fn target_name(&self, target: Target) -> Option<String> {
        let ws = self.state.ws()?;
        Some(match target {
            Target::Workspace(id) => self.state.library.workspaces.get(&id)?.workspace.name.clone(),
            Target::Collection(id) => ws.collections.get(&id)?.name.clone(),
            Target::Folder(id) => ws.folders.get(&id)?.name.clone(),
            Target::Request(id) => ws.requests.get(&id)?.name.clone(),
            Target::Environment(id) => ws.environments.get(&id)?.name.clone(),
            Target::Preset(id) => ws.header_presets.get(&id)?.name.clone(),
            Target::Example(r, e) => self.example_name(r, e)?,
        })
    }

    pub(super) fn rename(&mut self, target: Target, name: &str) {
        self.state.sidebar.renaming = None;
        let name = name.trim().to_owned();
        if name.is_empty() {
            return;
        }
        if let Target::Workspace(id) = target {
            self.apply_rename_workspace(id, name);
            return;
        }
        if let Target::Example(r, e) = target {
            self.rename_example(r, e, &name);
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
                self.submit(WriteJob::Tree(TreeWrite::Request { parent, request }));
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
            Target::Workspace(_) | Target::Example(..) => {}
        }
    }

    pub(super) fn apply_rename_workspace(&mut self, id: WorkspaceId, name: String) {
        if let Some(ws) = self.state.library.workspaces.get_mut(&id) {
            ws.workspace.name = name;
            let w = ws.workspace.clone();
            self.submit(WriteJob::Tree(TreeWrite::Workspace(w)));
        }
    }

    pub(super) fn duplicate(&mut self, target: Target) {
        let Some(ws) = self.state.workspace else { return };
        let Some(data) = self.state.library.workspaces.get(&ws) else { return };
        match target {
            Target::Request(id) => self.edit_tree(ws, |d| d.duplicate_request(id).map(|(_, edit)| edit)),
            Target::Folder(id) => self.edit_tree(ws, |d| d.duplicate_folder(id).map(|(_, edit)| edit)),
            Target::Collection(id) => {
                self.edit_tree(ws, |d| d.duplicate_collection(id).map(|(_, edit)| edit));
            }
            Target::Environment(id) => {
                let Some(original) = data.environments.get(&id) else { return };
                let mut copy = original.clone();
                copy.id = EnvironmentId::new();
                copy.name = crate::model::tree::copy_name(&original.name);
                for v in &mut copy.variables {
                    v.id = VariableId::new();
                }
                self.insert_environment(ws, copy);
            }
            Target::Preset(id) => {
                let Some(original) = data.header_presets.get(&id) else { return };
                let mut copy = original.clone();
                copy.id = PresetId::new();
                copy.name = crate::model::tree::copy_name(&original.name);
                self.insert_preset(ws, copy);
            }
            Target::Example(r, e) => self.duplicate_example(r, e),
            Target::Workspace(_) => {}
        }
    }

    pub(super) fn confirm_delete(&mut self, target: Target) {
        let Some(ws) = self.state.ws() else { return };
        let (what, detail) = match target {
            Target::Workspace(id) => {
                self.workspace_delete_prompt(id);
                return;
            }
            Target::Example(r, e) => {
                self.confirm_delete_example(r, e);
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

    pub(super) fn workspace_delete_prompt(&mut self, id: WorkspaceId) {
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

    pub(super) fn delete(&mut self, target: Target) {
        let Some(ws) = self.state.workspace else { return };
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return };
        match target {
            Target::Collection(id) => self.edit_tree(ws, |d| Some(d.delete_collection(id))),
            Target::Folder(id) => self.edit_tree(ws, |d| Some(d.delete_item(ItemId::Folder(id)))),
            Target::Request(id) => self.edit_tree(ws, |d| Some(d.delete_item(ItemId::Request(id)))),
            Target::Environment(id) => {
                data.environments.shift_remove(&id);
                data.workspace.environments.retain(|e| *e != id);
                let w = data.workspace.clone();
                self.submit(WriteJob::DeleteEnvironment(id));
                self.submit(WriteJob::Tree(TreeWrite::Workspace(w)));
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
                self.submit(WriteJob::Tree(TreeWrite::Workspace(w)));
                self.state.tabs.retain(|t| !matches!(t.kind, TabKind::Preset(p) if p == id));
            }
            Target::Workspace(id) => self.workspace_delete_prompt(id),
            Target::Example(r, e) => self.delete_example(r, e),
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
    pub(super) fn close_tabs_of(&mut self, requests: &[RequestId]) {
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

    pub(super) fn move_item(&mut self, item: ItemId, to: ParentId, index: usize) {
        let Some(ws) = self.state.workspace else { return };
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return };
        let moving = data.parent_of(item).is_some_and(|from| from != to);
        match data.move_item(item, to, index) {
            Ok(edit) => self.edit_tree(ws, |_| Some(edit)),
            Err(e) => {
                self.state.error(e.to_string());
                return;
            }
        }
        if !moving {
            return;
        }
        self.state.sidebar.expanded.insert(to);
        // Open tabs of moved requests now save to the new place.
        if let ItemId::Request(moved) = item {
            for t in &mut self.state.tabs {
                if let Some(r) = t.request_mut()
                    && r.draft.id == moved
                {
                    r.parent = Some(to);
                }
            }
        }
    }
}
