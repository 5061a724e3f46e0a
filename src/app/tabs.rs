//! The tab strip's commands beyond opening and closing one tab: preview tabs (a single click in
//! the sidebar opens a tab the next single click reuses), closing several tabs at once (others,
//! to the right, all; drafts always ask first), and the request editor's share of the height.

use crate::model::*;

use super::App;
use super::session::Session;
use super::state::{AppState, Modal, RequestTab, Tab, TabId, TabKind};

/// The editor's share of a request tab's height on a first start.
pub const DEFAULT_EDITOR_SPLIT: f32 = 0.5;

/// The narrowest and widest share the editor may be given (the pixels' minimums apply too).
pub const EDITOR_SPLIT_RANGE: std::ops::RangeInclusive<f32> = 0.1..=0.9;

/// Which tabs a close from a tab's context menu closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseScope {
    /// Every other tab of the workspace.
    Others,
    /// The tabs after this one in the strip.
    ToTheRight,
    /// Every tab of the workspace.
    All,
}

/// What the tab strip and the request tab ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum TabCommand {
    /// A single click on a request in the sidebar: show it in the preview tab.
    Preview(RequestId),
    /// Makes a preview tab a normal tab (a double-click on it, or "Keep open").
    Keep(TabId),
    /// Closes the tabs `scope` names, relative to `tab`; the ones holding drafts ask first.
    Close {
        tab: TabId,
        scope: CloseScope,
    },
    /// The answers of the dialog listing several drafts being closed.
    SaveAllThenClose(Vec<TabId>),
    DiscardAllThenClose(Vec<TabId>),
    /// The splitter between the request editor and the response was dragged.
    SetEditorSplit(f32),
}

impl App {
    pub(super) fn tab_command(&mut self, command: TabCommand) {
        match command {
            TabCommand::Preview(id) => self.preview_request(id),
            TabCommand::Keep(tab) => self.keep_tab(tab),
            TabCommand::Close { tab, scope } => self.close_scope(tab, scope),
            TabCommand::SaveAllThenClose(tabs) => self.save_all_then_close(&tabs),
            TabCommand::DiscardAllThenClose(tabs) => {
                self.state.modal = None;
                for tab in tabs {
                    self.close_tab(tab);
                }
            }
            TabCommand::SetEditorSplit(fraction) => {
                if fraction.is_finite() {
                    self.state.editor_split =
                        fraction.clamp(*EDITOR_SPLIT_RANGE.start(), *EDITOR_SPLIT_RANGE.end());
                }
            }
        }
    }

    /// Makes a preview tab a normal one; any other tab is left as it is.
    pub(super) fn keep_tab(&mut self, tab: TabId) {
        if self.state.preview_tab == Some(tab) {
            self.state.preview_tab = None;
        }
    }

    /// Shows a request in the preview tab: an open tab of it is only selected; otherwise the
    /// preview tab (if any) now shows it, or a new preview tab opens next to the active one.
    fn preview_request(&mut self, id: RequestId) {
        let Some(ws) = self.state.ws() else { return };
        let ws_id = ws.id();
        if let Some(t) = self.state.tabs.iter().find(|t| t.request().is_some_and(|r| r.draft.id == id)) {
            self.state.active_tab = Some(t.id);
            return;
        }
        let Some(request) = ws.requests.get(&id).cloned() else { return };
        let parent = ws.parent_of(ItemId::Request(id));
        let reusable = self.state.preview_tab.filter(|p| {
            self.state.tab(*p).is_some_and(|t| {
                t.workspace == ws_id && t.request().is_some_and(|r| !r.dirty && r.in_flight.is_none())
            })
        });
        let tab = RequestTab::new(request, parent);
        match reusable.and_then(|p| self.state.tab_mut(p)) {
            Some(t) => {
                t.kind = TabKind::Request(Box::new(tab));
                let p = t.id;
                self.state.active_tab = Some(p);
                self.state.refresh_dirty(p);
            }
            None => {
                let opened = self.open_tab(ws_id, TabKind::Request(Box::new(tab)));
                self.state.preview_tab = Some(opened);
            }
        }
    }

    /// Closes the tabs of `tab`'s workspace that `scope` names. Tabs without drafts close at
    /// once; one draft asks as closing that tab does, several ask in one dialog listing them.
    fn close_scope(&mut self, tab: TabId, scope: CloseScope) {
        let Some(ws) = self.state.tab(tab).map(|t| t.workspace) else { return };
        let strip: Vec<TabId> = self.state.tabs.iter().filter(|t| t.workspace == ws).map(|t| t.id).collect();
        let Some(at) = strip.iter().position(|t| *t == tab) else { return };
        let closing: Vec<TabId> = match scope {
            CloseScope::Others => strip.iter().copied().filter(|t| *t != tab).collect(),
            CloseScope::ToTheRight => strip[at + 1..].to_vec(),
            CloseScope::All => strip,
        };
        if scope != CloseScope::All {
            self.state.active_tab = Some(tab);
        }
        let is_draft =
            |state: &AppState, id: TabId| state.tab(id).and_then(Tab::request).is_some_and(|r| r.dirty);
        let (drafts, clean): (Vec<TabId>, Vec<TabId>) =
            closing.into_iter().partition(|id| is_draft(&self.state, *id));
        for id in clean {
            self.close_tab(id);
        }
        match drafts.as_slice() {
            [] => {}
            [one] => self.ask_close_tab(*one),
            _ => self.state.modal = Some(Modal::UnsavedTabs(drafts)),
        }
    }

    /// "Save all" of the several-drafts dialog: each tab that can be saved in place is saved
    /// and closed; one that first needs a place (never saved) or was changed on disk stays
    /// open, its dialog shown, and the notice names the others.
    fn save_all_then_close(&mut self, tabs: &[TabId]) {
        self.state.modal = None;
        let mut kept = Vec::new();
        for &id in tabs {
            let modal = self.state.modal.take();
            if self.save_tab(id) {
                self.close_tab(id);
                self.state.modal = modal;
            } else {
                kept.push(id);
                // Keep the first tab's question (Save As, or the conflict) on screen.
                if modal.is_some() {
                    self.state.modal = modal;
                }
            }
        }
        if let Some(first) = kept.first() {
            self.state.active_tab = Some(*first);
        }
        if kept.len() > 1 {
            let names: Vec<String> = kept
                .iter()
                .filter_map(|id| self.state.tab(*id).and_then(Tab::request))
                .map(|r| format!("\"{}\"", r.draft.name))
                .collect();
            self.state.notify(format!(
                "{} tabs stay open: they need a place to be saved or were changed on disk ({}).",
                kept.len(),
                names.join(", ")
            ));
        }
    }
}

/// Puts back what the session remembers of the tab strip: the preview tab and the split.
pub fn restore_view(state: &mut AppState, session: &Session) {
    state.preview_tab = session
        .preview_tab
        .and_then(|i| state.tabs.get(i))
        .filter(|t| t.request().is_some_and(|r| !r.dirty))
        .map(|t| t.id);
    if let Some(split) = session.editor_split.filter(|s| s.is_finite()) {
        state.editor_split = split.clamp(*EDITOR_SPLIT_RANGE.start(), *EDITOR_SPLIT_RANGE.end());
    }
}
