//! Changes from outside: the data folder is plain files that a user may edit, pull from git or
//! copy into while the app runs, and that a second window may write. A watcher notices; the
//! writer thread checks whether anything really changed (its own writes do not count) and, if
//! so, re-reads the folder in order with its writes; the app then updates what is not being
//! edited and flags what is.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use notify::Watcher as _;

use super::App;
use super::state::{DiskState, Modal, Tab, TabId, TabKind};
use super::writer::{JobKey, Reloaded, WriteJob};
use crate::model::*;

/// Quiet time after the last event before checking (editors and git write in bursts).
const SETTLE: Duration = Duration::from_millis(250);

#[derive(Default)]
pub struct Outside {
    watcher: Option<notify::RecommendedWatcher>,
    events: Option<Receiver<PathBuf>>,
    pending: BTreeSet<PathBuf>,
    last_event: Option<Instant>,
    reloads: Vec<Receiver<Reloaded>>,
    /// Why watching could not start (the app still works; Reload from disk still does).
    pub watch_error: Option<String>,
}

impl App {
    /// Starts watching the data folder.
    pub(super) fn watch_data_folder(&mut self, ctx: &egui::Context) {
        let (tx, rx) = channel();
        let repaint = ctx.clone();
        let handler = move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    return;
                }
                for path in event.paths {
                    let _ = tx.send(path);
                }
                repaint.request_repaint();
            }
        };
        match notify::recommended_watcher(handler) {
            Ok(mut watcher) => match watcher.watch(&self.state.data_dir, notify::RecursiveMode::Recursive) {
                Ok(()) => {
                    self.outside.watcher = Some(watcher);
                    self.outside.events = Some(rx);
                }
                Err(e) => {
                    self.outside.watch_error =
                        Some(format!("cannot watch {}: {e}", self.state.data_dir.display()));
                }
            },
            Err(e) => self.outside.watch_error = Some(format!("cannot watch for outside changes: {e}")),
        }
    }

    /// Re-reads the whole data folder (the "Reload from disk" command).
    pub(super) fn reload_from_disk(&mut self) {
        let (reply, rx) = channel();
        self.submit(WriteJob::Reload { reply });
        self.outside.reloads.push(rx);
    }

    /// Deletes all local data on the writer thread; the fresh folder arrives as a reload.
    pub(super) fn reset_data_folder(&mut self) {
        let (reply, rx) = channel();
        self.submit(WriteJob::Reset { reply });
        self.outside.reloads.push(rx);
    }

    pub(super) fn poll_outside(&mut self, ctx: &egui::Context) {
        if let Some(events) = &self.outside.events {
            for path in events.try_iter() {
                self.outside.pending.insert(path);
                self.outside.last_event = Some(Instant::now());
            }
        }
        if let Some(at) = self.outside.last_event {
            if at.elapsed() >= SETTLE {
                let paths: Vec<PathBuf> = std::mem::take(&mut self.outside.pending).into_iter().collect();
                self.outside.last_event = None;
                let (reply, rx) = channel();
                self.submit(WriteJob::CheckExternal { paths, reply });
                self.outside.reloads.push(rx);
            } else {
                ctx.request_repaint_after(SETTLE.saturating_sub(at.elapsed()));
            }
        }
        let mut arrived = Vec::new();
        self.outside.reloads.retain(|rx| match rx.try_recv() {
            Ok(reloaded) => {
                arrived.push(reloaded);
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => false,
        });
        if !self.outside.reloads.is_empty() {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        for reloaded in arrived {
            let newest = self.writer.as_ref().map_or(0, super::writer::Writer::last_entity_job);
            if reloaded.after_job < newest {
                // Edits made here since the re-read began are not in it: read again.
                self.reload_from_disk();
            } else {
                self.apply_reload(reloaded);
            }
        }
    }

    /// Takes a fresh read as the truth for everything not being edited.
    fn apply_reload(&mut self, reloaded: Reloaded) {
        self.state.revision += 1;
        let old = std::mem::replace(&mut self.state.library, reloaded.library);
        self.state.problems = reloaded.problems;
        let library = &self.state.library;
        if self.state.workspace.is_none_or(|w| !library.workspaces.contains_key(&w)) {
            self.state.workspace = library.workspaces.keys().next().copied();
        }
        let mut gone = Vec::new();
        for tab in &mut self.state.tabs {
            let new_ws = library.workspaces.get(&tab.workspace);
            let old_ws = old.workspaces.get(&tab.workspace);
            match &mut tab.kind {
                TabKind::Request(r) => {
                    let id = r.draft.id;
                    let before = old_ws.and_then(|w| w.requests.get(&id));
                    let after = new_ws.and_then(|w| w.requests.get(&id));
                    match (before, after) {
                        (Some(b), Some(a)) if a != b => {
                            if r.dirty {
                                r.disk = DiskState::Changed;
                            } else {
                                r.draft = a.clone();
                                r.disk = DiskState::InSync;
                            }
                        }
                        (Some(_), None) => r.disk = DiskState::Deleted,
                        (_, Some(_)) if r.disk == DiskState::Deleted => r.disk = DiskState::InSync,
                        _ => {}
                    }
                    if let Some(parent) = new_ws.and_then(|w| w.parent_of(ItemId::Request(id))) {
                        r.parent = Some(parent);
                    }
                }
                TabKind::Environment(id) if new_ws.is_none_or(|w| !w.environments.contains_key(id)) => {
                    gone.push(tab.id);
                }
                TabKind::Preset(id) if new_ws.is_none_or(|w| !w.header_presets.contains_key(id)) => {
                    gone.push(tab.id);
                }
                _ if new_ws.is_none() => gone.push(tab.id),
                _ => {}
            }
        }
        self.state.tabs.retain(|t| !gone.contains(&t.id));
        let ids: Vec<TabId> = self.state.tabs.iter().map(|t| t.id).collect();
        for id in ids {
            self.state.refresh_dirty(id);
        }
        if self.state.active_tab.is_some_and(|a| self.state.tab(a).is_none()) {
            self.state.active_tab = self.state.tabs.first().map(|t| t.id);
        }
    }

    /// A save was refused because the file changed on disk: ask what to do.
    pub(super) fn on_changed_on_disk(&mut self, key: Option<JobKey>) {
        let Some(JobKey::Request(id)) = key else {
            self.state.error(
                "Something you changed was also changed by another program; nothing was written. \\
                 Use View -> Reload from disk, then make the change again.",
            );
            return;
        };
        let Some(tab) = self.state.tabs.iter_mut().find(|t| t.request().is_some_and(|r| r.draft.id == id))
        else {
            return;
        };
        let tab_id = tab.id;
        if let Some(r) = tab.request_mut() {
            r.disk = DiskState::Changed;
        }
        self.state.active_tab = Some(tab_id);
        self.state.modal = Some(Modal::Conflict(tab_id));
    }

    /// Conflict choice: write my version over the one on disk.
    pub(super) fn overwrite_on_disk(&mut self, tab: TabId) {
        self.state.modal = None;
        let Some(t) = self.state.tab(tab) else { return };
        let ws = t.workspace;
        let Some(r) = t.request() else { return };
        let Some(parent) = r.parent else { return };
        let request = r.draft.clone();
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.requests.insert(request.id, request.clone());
        }
        self.submit(WriteJob::OverwriteRequest { parent, request });
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            r.disk = DiskState::InSync;
        }
        self.state.refresh_dirty(tab);
    }

    /// Conflict choice: keep the version on disk and save mine beside it as a new request.
    pub(super) fn save_mine_as_new(&mut self, tab: TabId) {
        self.state.modal = None;
        let Some(t) = self.state.tab(tab) else { return };
        let Some(r) = t.request() else { return };
        let Some(parent) = r.parent else { return };
        let name = format!("{} (my version)", r.draft.name);
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            r.disk = DiskState::InSync;
        }
        self.save_as(tab, parent, &name);
    }

    /// A request deleted on disk that is open: re-create it where it was.
    pub(super) fn keep_deleted(&mut self, tab: TabId) {
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            r.disk = DiskState::InSync;
            r.dirty = true;
        }
        self.save_tab(tab);
    }
}
