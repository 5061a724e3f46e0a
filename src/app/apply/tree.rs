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
        self.submit(WriteJob::Workspace(ws.clone()));
        self.state.library.workspaces.insert(id, WorkspaceData::new(ws));
        self.save_workspace_order();
        self.apply(ctx, Command::SwitchWorkspace(id));
    }

    pub(super) fn rename_workspace(&mut self, id: WorkspaceId, name: String) {
        if let Some(ws) = self.state.library.workspaces.get_mut(&id) {
            ws.workspace.name = name;
            let ws = ws.workspace.clone();
            self.submit(WriteJob::Workspace(ws));
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

    pub(super) fn new_folder(&mut self, parent: ParentId) {
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

    pub(super) fn new_request_in(&mut self, parent: ParentId) {
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
    pub(super) fn add_child(&mut self, ws: WorkspaceId, parent: ParentId, item: ItemId, index: usize) {
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return };
        if let Some(children) = data.children_mut(parent) {
            children.retain(|c| *c != item);
            let at = index.min(children.len());
            children.insert(at, item);
        }
        self.save_container(ws, parent);
    }

    /// Queues a write of a collection's or folder's own file.
    pub(in crate::app) fn save_container(&mut self, ws: WorkspaceId, container: ParentId) {
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

    pub(super) fn apply_rename_workspace(&mut self, id: WorkspaceId, name: String) {
        if let Some(ws) = self.state.library.workspaces.get_mut(&id) {
            ws.workspace.name = name;
            let w = ws.workspace.clone();
            self.submit(WriteJob::Workspace(w));
        }
    }

    pub(super) fn duplicate(&mut self, target: Target) {
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

    pub(super) fn insert_request(&mut self, ws: WorkspaceId, parent: ParentId, request: Request) {
        self.submit(WriteJob::Request { parent, request: request.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.requests.insert(request.id, request);
        }
    }

    pub(super) fn copy_child(&mut self, ws: WorkspaceId, child: ItemId, into: ParentId) {
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
    pub(super) fn copy_folder(
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

    pub(super) fn confirm_delete(&mut self, target: Target) {
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
}
