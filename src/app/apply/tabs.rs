//! Tabs: opening, closing, saving, and saving a request elsewhere.

use crate::app::App;
use crate::app::command::Command;
use crate::app::state::{DiskState, Modal, RequestTab, Tab, TabId, TabKind, Target};
use crate::app::writer::WriteJob;
use crate::model::*;

impl App {
    pub(super) fn select_tab(&mut self, ctx: &egui::Context, id: TabId) {
        if let Some(tab) = self.state.tab(id) {
            let ws = tab.workspace;
            self.state.active_tab = Some(id);
            if self.state.workspace != Some(ws) {
                self.apply(ctx, Command::SwitchWorkspace(ws));
                self.state.active_tab = Some(id);
            }
        }
    }

    /// Closes a tab, asking first when it has unsaved changes.
    pub(in crate::app) fn ask_close_tab(&mut self, id: TabId) {
        if self.ask_close_example_tab(id) {
            return;
        }
        let dirty = self.state.tab(id).and_then(Tab::request).is_some_and(|r| r.dirty);
        if dirty {
            self.state.active_tab = Some(id);
            self.state.modal = Some(Modal::UnsavedTab(id));
        } else {
            self.close_tab(id);
        }
    }

    pub(super) fn save_then_close(&mut self, id: TabId) {
        self.state.modal = None;
        if self.save_tab(id) {
            self.close_tab(id);
        }
    }

    pub(super) fn cancel_send(&mut self, tab: TabId) {
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut)
            && let Some(in_flight) = &mut r.in_flight
        {
            in_flight.cancel();
        }
    }

    /// Puts the saved request back in the tab.
    pub(super) fn discard_draft(&mut self, tab: TabId) {
        let Some(t) = self.state.tab(tab) else { return };
        let saved = t.request().and_then(|r| {
            self.state.library.workspaces.get(&t.workspace).and_then(|w| w.requests.get(&r.draft.id)).cloned()
        });
        if let (Some(saved), Some(r)) = (saved, self.state.tab_mut(tab).and_then(Tab::request_mut)) {
            r.draft = saved;
            r.disk = DiskState::InSync;
        }
        self.state.refresh_dirty(tab);
    }

    pub(in crate::app) fn open_tab(&mut self, workspace: WorkspaceId, kind: TabKind) -> TabId {
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

    pub(in crate::app) fn open_request(&mut self, id: RequestId) {
        let Some(ws) = self.state.ws() else { return };
        let ws_id = ws.id();
        if let Some(t) = self.state.tabs.iter().find(|t| t.request().is_some_and(|r| r.draft.id == id)) {
            let id = t.id;
            self.state.active_tab = Some(id);
            // Opening what the preview tab shows (a double-click in the sidebar) keeps it.
            self.keep_tab(id);
            return;
        }
        let Some(request) = ws.requests.get(&id).cloned() else { return };
        let parent = ws.parent_of(ItemId::Request(id));
        self.open_tab(ws_id, TabKind::Request(Box::new(RequestTab::new(request, parent))));
    }

    pub(super) fn open_target(&mut self, target: Target) {
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
            Target::Example(r, e) => self.open_example(r, e),
        }
    }

    pub(in crate::app) fn close_tab(&mut self, id: TabId) {
        let Some(pos) = self.state.tabs.iter().position(|t| t.id == id) else { return };
        let mut tab = self.state.tabs.remove(pos);
        if self.state.preview_tab == Some(id) {
            self.state.preview_tab = None;
        }
        if let Some(r) = tab.request_mut()
            && let Some(f) = &mut r.in_flight
        {
            f.cancel();
        }
        if let Some(r) = tab.request_mut() {
            let live = r.websocket.take();
            self.ws_tab_closed(live);
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
    pub(in crate::app) fn save_tab(&mut self, id: TabId) -> bool {
        let Some(tab) = self.state.tab(id) else { return false };
        let ws = tab.workspace;
        if matches!(tab.kind, TabKind::Example(_)) {
            return self.save_example_tab(id);
        }
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
        if data.requests.contains_key(&request.id) {
            data.requests.insert(request.id, request.clone());
            self.submit(WriteJob::Tree(TreeWrite::Request { parent, request }));
        } else {
            self.edit_tree(ws, |data| Some(data.add_request(parent, request)));
        }
        self.state.refresh_dirty(id);
        true
    }

    pub(in crate::app) fn save_as(&mut self, id: TabId, parent: ParentId, name: &str) {
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
        self.edit_tree(ws, |data| Some(data.add_request(parent, request.clone())));
        if let Some(r) = self.state.tab_mut(id).and_then(Tab::request_mut) {
            r.draft = request;
            r.parent = Some(parent);
        }
        self.state.sidebar.expanded.insert(parent);
        self.state.refresh_dirty(id);
    }
}
