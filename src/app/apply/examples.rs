//! Saved examples: open one in its tab, edit and save it, try it (its request in a new tab),
//! and rename, duplicate and delete it for the tree's commands. Every change rewrites the
//! example's request file through the tree's edits, then brings the open tabs of that request
//! (its editor and its examples' tabs) up to date.

use crate::app::App;
use crate::app::command::Command;
use crate::app::examples::{ExampleCommand, ExampleFields, ExampleTab};
use crate::app::state::{Modal, RequestTab, TabId, TabKind, Target};
use crate::model::*;

impl App {
    pub(super) fn example_command(&mut self, command: ExampleCommand) {
        match command {
            ExampleCommand::Open(request, example) => self.open_example(request, example),
            ExampleCommand::ToggleExpanded(request) => {
                let expanded = &mut self.state.sidebar.expanded_requests;
                if !expanded.remove(&request) {
                    expanded.insert(request);
                }
            }
            ExampleCommand::Try(request, example) => {
                if let Some(example) = self.state.ws().and_then(|w| w.example(request, example)).cloned() {
                    self.try_example(&example);
                }
            }
            ExampleCommand::TryTab(tab) => {
                if let Some(example) = self.example_tab(tab).map(ExampleTab::current) {
                    self.try_example(&example);
                }
            }
            ExampleCommand::Edit(tab) => {
                if let Some(t) = self.example_tab_mut(tab)
                    && t.editing.is_none()
                {
                    t.editing = Some(ExampleFields::of(&t.saved));
                }
            }
            ExampleCommand::Save(tab) => {
                self.save_example_tab(tab);
            }
            ExampleCommand::CancelEdit(tab) => {
                if let Some(t) = self.example_tab_mut(tab) {
                    t.editing = None;
                    t.dirty = false;
                }
            }
            ExampleCommand::Edited(tab) => {
                if let Some(t) = self.example_tab_mut(tab) {
                    t.refresh_dirty();
                }
            }
        }
    }

    fn example_tab(&self, id: TabId) -> Option<&ExampleTab> {
        match &self.state.tab(id)?.kind {
            TabKind::Example(t) => Some(t),
            _ => None,
        }
    }

    fn example_tab_mut(&mut self, id: TabId) -> Option<&mut ExampleTab> {
        match &mut self.state.tab_mut(id)?.kind {
            TabKind::Example(t) => Some(t),
            _ => None,
        }
    }

    pub(super) fn open_example(&mut self, request: RequestId, example: ExampleId) {
        let Some(ws) = self.state.workspace else { return };
        let open = self.state.tabs.iter().find(|t| {
            t.workspace == ws
                && matches!(&t.kind, TabKind::Example(x) if x.request == request && x.example() == example)
        });
        if let Some(t) = open {
            self.state.active_tab = Some(t.id);
            return;
        }
        let Some(saved) = self.state.ws().and_then(|w| w.example(request, example)).cloned() else {
            self.state.notify("This example is not saved yet: save its request first.");
            return;
        };
        self.open_tab(ws, TabKind::Example(Box::new(ExampleTab::new(request, saved))));
    }

    /// The example's request in a new, unnamed request tab (named after its URL), ready to send.
    fn try_example(&mut self, example: &SavedResponse) {
        let Some(ws) = self.state.workspace else { return };
        let (request, incomplete) = super::records::sent_as_request(&example.request, String::new());
        let mut tab = RequestTab::unnamed(request);
        tab.url_changed();
        if incomplete {
            self.state.notify(
                "The example does not keep secrets: values saved as secrets (a token, a password) are empty; enter them before sending.",
            );
        }
        self.open_tab(ws, TabKind::Request(Box::new(tab)));
    }

    pub(super) fn example_name(&self, request: RequestId, example: ExampleId) -> Option<String> {
        self.state.ws()?.example(request, example).map(|e| e.name.clone())
    }

    pub(super) fn rename_example(&mut self, request: RequestId, example: ExampleId, name: &str) {
        let Some(ws) = self.state.workspace else { return };
        self.edit_tree(ws, |d| d.rename_example(request, example, name));
        self.sync_example_tabs(ws, request);
    }

    pub(super) fn duplicate_example(&mut self, request: RequestId, example: ExampleId) {
        let Some(ws) = self.state.workspace else { return };
        self.edit_tree(ws, |d| d.duplicate_example(request, example).map(|(_, edit)| edit));
        self.state.sidebar.expanded_requests.insert(request);
        self.sync_example_tabs(ws, request);
    }

    pub(super) fn confirm_delete_example(&mut self, request: RequestId, example: ExampleId) {
        let Some(ws) = self.state.ws() else { return };
        let Some(saved) = ws.example(request, example) else { return };
        let of = ws.requests.get(&request).map(|r| r.name.as_str()).unwrap_or_default();
        self.state.modal = Some(Modal::Confirm {
            title: "Delete example".into(),
            message: format!(
                "Delete the example \"{}\" of \"{of}\"? It is removed from the request's file.",
                saved.name
            ),
            confirm_label: "Delete".into(),
            on_confirm: Command::DeleteConfirmed(Target::Example(request, example)),
        });
    }

    /// Deletes an example; its tab closes, unless it holds edits (it then says the example is
    /// gone, and its request can still be tried).
    pub(super) fn delete_example(&mut self, request: RequestId, example: ExampleId) {
        let Some(ws) = self.state.workspace else { return };
        self.edit_tree(ws, |d| d.delete_example(request, example));
        let tabs: Vec<TabId> = self
            .state
            .tabs
            .iter()
            .filter(|t| {
                matches!(&t.kind, TabKind::Example(x)
                    if x.request == request && x.example() == example && !x.dirty)
            })
            .map(|t| t.id)
            .collect();
        for id in tabs {
            self.close_tab(id);
        }
        self.sync_example_tabs(ws, request);
    }

    /// Closing an example's tab with edits asks first; returns whether it asked.
    pub(super) fn ask_close_example_tab(&mut self, id: TabId) -> bool {
        let Some(t) = self.example_tab(id).filter(|t| t.dirty) else { return false };
        let name = t.saved.name.clone();
        self.state.active_tab = Some(id);
        self.state.modal = Some(Modal::Confirm {
            title: "Unsaved changes".into(),
            message: format!("The example \"{name}\" has edits that are not saved. Close it and lose them?"),
            confirm_label: "Close without saving".into(),
            on_confirm: Command::CloseTabDiscard(id),
        });
        true
    }

    /// Saves an example's edits into its request's file; returns false when they cannot be
    /// saved (the user is told why).
    pub(in crate::app) fn save_example_tab(&mut self, id: TabId) -> bool {
        let Some(workspace) = self.state.tab(id).map(|t| t.workspace) else { return false };
        let Some(t) = self.example_tab(id) else { return true };
        let Some(fields) = &t.editing else { return true };
        if let Some(problem) = fields.problem() {
            self.state.error(format!("Could not save the example: {problem}"));
            return false;
        }
        let (request, edited) = (t.request, fields.applied_to(&t.saved));
        let exists = self
            .state
            .library
            .workspaces
            .get(&workspace)
            .and_then(|w| w.example(request, edited.id))
            .is_some();
        if !exists {
            self.state.error(
                "This example was deleted, so its edits cannot be saved to it. \"Try this example\" keeps its request in a new tab.",
            );
            return false;
        }
        self.edit_tree(workspace, |d| d.replace_example(request, edited));
        if let Some(t) = self.example_tab_mut(id) {
            t.editing = None;
        }
        self.sync_example_tabs(workspace, request);
        true
    }

    /// After a change to a request's examples: its editor's draft carries the new list (its
    /// unsaved marker unchanged by it), and its examples' tabs show what is saved.
    fn sync_example_tabs(&mut self, ws: WorkspaceId, request: RequestId) {
        let Some(examples) = self
            .state
            .library
            .workspaces
            .get(&ws)
            .and_then(|w| w.requests.get(&request))
            .map(|r| &r.examples)
        else {
            return;
        };
        let mut request_tabs = Vec::new();
        for t in &mut self.state.tabs {
            match &mut t.kind {
                TabKind::Request(r) if t.workspace == ws && r.draft.id == request => {
                    r.draft.examples.clone_from(examples);
                    request_tabs.push(t.id);
                }
                TabKind::Example(x) if t.workspace == ws && x.request == request => {
                    if let Some(saved) = examples.iter().find(|e| e.id == x.example())
                        && *saved != x.saved
                    {
                        x.set_saved(saved.clone());
                    } else {
                        x.refresh_dirty();
                    }
                }
                _ => {}
            }
        }
        for id in request_tabs {
            self.state.refresh_dirty(id);
        }
    }
}
