//! The background writer: one thread owns the [`Store`] and performs every write in order, so
//! the window never waits on the disk. Saves of the same entity queued back to back collapse
//! into the last one. The footer's save state ("Saved", "Saving...", "Error") comes from here.

use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use crate::model::*;
use crate::storage::{Problem, Store, StoreError, WriteMode};

/// The data folder as read again by the writer, in order with the writes.
pub struct Reloaded {
    pub library: Library,
    pub problems: Vec<Problem>,
    /// The last job done before reading: later jobs' changes are not in `library`.
    pub after_job: u64,
}

/// Work that needs the store, run on the writer thread.
pub type StoreTask = Box<dyn FnOnce(&mut Store) -> Result<(), StoreError> + Send>;

/// A change to write, or any other work that needs the store.
pub enum WriteJob {
    /// A change of the tree: the workspace's file, collections, folders, requests.
    Tree(TreeWrite),
    DeleteWorkspace(WorkspaceId),
    WorkspaceOrder(Vec<WorkspaceId>),
    /// Replaces the file even though another program changed it (the user chose to).
    OverwriteRequest {
        parent: ParentId,
        request: Request,
    },
    Environment {
        ws: WorkspaceId,
        environment: Environment,
    },
    DeleteEnvironment(EnvironmentId),
    Globals {
        ws: WorkspaceId,
        globals: Globals,
    },
    Preset {
        ws: WorkspaceId,
        preset: HeaderPreset,
    },
    DeletePreset(PresetId),
    Settings(Settings),
    Session(Box<super::session::Session>),
    /// Anything else that needs the store (reads included); runs in queue order.
    Task {
        what: String,
        run: StoreTask,
    },
    /// Re-reads the whole data folder (after outside changes, or when asked).
    Reload {
        reply: Sender<Reloaded>,
    },
    /// Deletes all local data ([`crate::storage::reset::reset`]) and starts afresh.
    Reset {
        reply: Sender<Reloaded>,
    },
    /// Files the watcher saw change: re-read everything if any changed from outside.
    CheckExternal {
        paths: Vec<std::path::PathBuf>,
        reply: Sender<Reloaded>,
    },
}

fn write_tree(store: &mut Store, write: TreeWrite) -> Result<(), StoreError> {
    match write {
        TreeWrite::Workspace(w) => store.save_workspace(&w),
        TreeWrite::Collection { ws, collection } => store.save_collection(ws, &collection),
        TreeWrite::DeleteCollection(id) => store.delete_collection(id),
        TreeWrite::Folder { parent, folder } => store.save_folder(parent, &folder),
        TreeWrite::Request { parent, request } => store.save_request(parent, &request),
        TreeWrite::DeleteItem(item) => store.delete_item(item),
        TreeWrite::Move { item, to } => store.move_item(item, to),
    }
}

/// Jobs with the same key replace each other while queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobKey {
    Workspace(WorkspaceId),
    Order,
    Collection(CollectionId),
    Folder(FolderId),
    Request(RequestId),
    Environment(EnvironmentId),
    Globals(WorkspaceId),
    Preset(PresetId),
    Settings,
    Session,
}

impl WriteJob {
    fn key(&self) -> Option<JobKey> {
        Some(match self {
            WriteJob::Tree(TreeWrite::Workspace(w)) => JobKey::Workspace(w.id),
            WriteJob::WorkspaceOrder(_) => JobKey::Order,
            WriteJob::Tree(TreeWrite::Collection { collection, .. }) => JobKey::Collection(collection.id),
            WriteJob::Tree(TreeWrite::Folder { folder, .. }) => JobKey::Folder(folder.id),
            WriteJob::Tree(TreeWrite::Request { request, .. })
            | WriteJob::OverwriteRequest { request, .. } => JobKey::Request(request.id),
            WriteJob::Environment { environment, .. } => JobKey::Environment(environment.id),
            WriteJob::Globals { ws, .. } => JobKey::Globals(*ws),
            WriteJob::Preset { preset, .. } => JobKey::Preset(preset.id),
            WriteJob::Settings(_) => JobKey::Settings,
            WriteJob::Session(_) => JobKey::Session,
            _ => return None,
        })
    }

    /// What the footer says is being saved.
    pub fn describe(&self) -> String {
        match self {
            WriteJob::Tree(TreeWrite::Workspace(w)) => format!("workspace \"{}\"", w.name),
            WriteJob::DeleteWorkspace(_) => "deleting a workspace".into(),
            WriteJob::WorkspaceOrder(_) => "workspace order".into(),
            WriteJob::Tree(TreeWrite::Collection { collection, .. }) => {
                format!("collection \"{}\"", collection.name)
            }
            WriteJob::Tree(TreeWrite::DeleteCollection(_)) => "deleting a collection".into(),
            WriteJob::Tree(TreeWrite::Folder { folder, .. }) => format!("folder \"{}\"", folder.name),
            WriteJob::Tree(TreeWrite::Request { request, .. })
            | WriteJob::OverwriteRequest { request, .. } => {
                format!("request \"{}\"", request.name)
            }
            WriteJob::Tree(TreeWrite::DeleteItem(_)) => "deleting an item".into(),
            WriteJob::Tree(TreeWrite::Move { .. }) => "moving an item".into(),
            WriteJob::Environment { environment, .. } => format!("environment \"{}\"", environment.name),
            WriteJob::DeleteEnvironment(_) => "deleting an environment".into(),
            WriteJob::Globals { .. } => "globals".into(),
            WriteJob::Preset { preset, .. } => format!("header preset \"{}\"", preset.name),
            WriteJob::DeletePreset(_) => "deleting a header preset".into(),
            WriteJob::Settings(_) => "settings".into(),
            WriteJob::Session(_) => "open tabs".into(),
            WriteJob::Task { what, .. } => what.clone(),
            WriteJob::Reload { .. } | WriteJob::CheckExternal { .. } => "reading the data folder".into(),
            WriteJob::Reset { .. } => "deleting all local data".into(),
        }
    }

    /// Whether the job changes what the library holds (so a re-read started before it is stale).
    pub fn changes_entities(&self) -> bool {
        !matches!(
            self,
            WriteJob::Settings(_)
                | WriteJob::Session(_)
                | WriteJob::Task { .. }
                | WriteJob::Reload { .. }
                | WriteJob::Reset { .. }
                | WriteJob::CheckExternal { .. }
        )
    }

    fn run(self, store: &mut Store, id: u64) -> Result<(), StoreError> {
        match self {
            WriteJob::Tree(write) => write_tree(store, write),
            WriteJob::DeleteWorkspace(id) => store.delete_workspace(id),
            WriteJob::WorkspaceOrder(order) => store.set_workspace_order(&order),
            WriteJob::OverwriteRequest { parent, request } => {
                store.save_request_with(parent, &request, WriteMode::Overwrite)
            }
            WriteJob::Environment { ws, environment } => store.save_environment(ws, &environment),
            WriteJob::DeleteEnvironment(id) => store.delete_environment(id),
            WriteJob::Globals { ws, globals } => store.save_globals(ws, &globals),
            WriteJob::Preset { ws, preset } => store.save_preset(ws, &preset),
            WriteJob::DeletePreset(id) => store.delete_preset(id),
            WriteJob::Settings(settings) => store.save_settings(&settings),
            WriteJob::Session(session) => store.save_app_file(super::session::SESSION_FILE, session.as_ref()),
            WriteJob::Task { run, .. } => run(store),
            WriteJob::Reload { reply } => reload(store, id, &reply),
            WriteJob::Reset { reply } => {
                let root = store.root().to_owned();
                crate::storage::reset::reset(&root)?;
                let opened = Store::open(&root)?;
                *store = opened.store;
                let _ = reply.send(Reloaded {
                    library: opened.library,
                    problems: opened.report.problems,
                    after_job: id,
                });
                Ok(())
            }
            WriteJob::CheckExternal { paths, reply } => {
                if paths.iter().any(|p| store.is_external_change(p)) {
                    reload(store, id, &reply)
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// The outcome of one job.
pub struct WriteDone {
    pub id: u64,
    pub what: String,
    pub key: Option<JobKey>,
    pub result: Result<(), WriteError>,
}

#[derive(Clone, Debug)]
pub struct WriteError {
    /// Names the file and the reason.
    pub message: String,
    /// Another program changed the file since it was read; nothing was written.
    pub changed_on_disk: bool,
}

fn reload(store: &mut Store, id: u64, reply: &Sender<Reloaded>) -> Result<(), StoreError> {
    let root = store.root().to_owned();
    let opened = Store::open_existing(&root)?;
    *store = opened.store;
    let _ = reply.send(Reloaded { library: opened.library, problems: opened.report.problems, after_job: id });
    Ok(())
}

/// What the footer shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving {
        pending: usize,
    },
    /// The last write that failed, until a later write of the same thing succeeds.
    Error {
        what: String,
        reason: String,
    },
}

pub struct Writer {
    tx: Option<Sender<(u64, WriteJob)>>,
    done_rx: Receiver<WriteDone>,
    next_id: u64,
    last_entity_job: u64,
    pending: BTreeMap<u64, String>,
    errors: Vec<(String, String)>,
    thread: Option<JoinHandle<Store>>,
}

impl Writer {
    /// Starts the writer thread; `wake` is called after each batch (e.g. to repaint).
    pub fn spawn(mut store: Store, wake: impl Fn() + Send + 'static) -> Self {
        let (tx, rx) = mpsc::channel::<(u64, WriteJob)>();
        let (done_tx, done_rx) = mpsc::channel();
        let thread = std::thread::Builder::new().name("localpost-writer".into()).spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                batch.extend(rx.try_iter());
                for (ids, job) in coalesce(batch) {
                    let what = job.describe();
                    let key = job.key();
                    let last = ids.last().copied().unwrap_or_default();
                    // A job that panics fails alone: the writer goes on with the next one.
                    let result = match super::job::catch(&what, || job.run(&mut store, last)) {
                        Ok(done) => done.map_err(|e| WriteError {
                            changed_on_disk: matches!(e, StoreError::ChangedOnDisk { .. }),
                            message: e.to_string(),
                        }),
                        Err(message) => Err(WriteError { changed_on_disk: false, message }),
                    };
                    for id in ids {
                        let _ =
                            done_tx.send(WriteDone { id, what: what.clone(), key, result: result.clone() });
                    }
                }
                wake();
            }
            store
        });
        let thread = thread.ok();
        Self {
            tx: Some(tx),
            done_rx,
            next_id: 0,
            last_entity_job: 0,
            pending: BTreeMap::new(),
            errors: Vec::new(),
            thread,
        }
    }

    /// Queues a job; returns its id (ids grow in submission order).
    pub fn submit(&mut self, job: WriteJob) -> u64 {
        self.next_id += 1;
        let what = job.describe();
        if job.changes_entities() {
            self.last_entity_job = self.next_id;
        }
        let Some(tx) = &self.tx else { return self.next_id };
        if tx.send((self.next_id, job)).is_ok() {
            self.pending.insert(self.next_id, what);
        } else {
            self.errors.push((what, "the background writer stopped".into()));
        }
        self.next_id
    }

    /// The id of the last queued job that changes entities.
    pub fn last_entity_job(&self) -> u64 {
        self.last_entity_job
    }

    /// Collects finished jobs; returns the failures among them.
    pub fn poll(&mut self) -> Vec<WriteDone> {
        let mut failed = Vec::new();
        for done in self.done_rx.try_iter() {
            self.pending.remove(&done.id);
            // A later success of the same thing clears its earlier error.
            self.errors.retain(|(what, _)| *what != done.what);
            match &done.result {
                Ok(()) => {}
                Err(e) => {
                    // A change made elsewhere is a question for the user (the app asks), not a
                    // failure to show in the footer.
                    if !e.changed_on_disk {
                        self.errors.push((done.what.clone(), e.message.clone()));
                    }
                    failed.push(done);
                }
            }
        }
        failed
    }

    pub fn state(&self) -> SaveState {
        if let Some((what, reason)) = self.errors.last() {
            SaveState::Error { what: what.clone(), reason: reason.clone() }
        } else if self.pending.is_empty() {
            SaveState::Saved
        } else {
            SaveState::Saving { pending: self.pending.len() }
        }
    }

    pub fn dismiss_errors(&mut self) {
        self.errors.clear();
    }

    /// Finishes every queued write and returns the store.
    pub fn finish(mut self) -> Option<Store> {
        self.tx = None;
        let store = self.thread.take()?.join().ok();
        let _ = self.poll();
        store
    }
}

/// Collapses queued saves of one entity into one: the latest content, written where the first
/// was queued (so a folder is still created before the requests saved into it).
/// Returns each job with the ids it answers for.
fn coalesce(batch: Vec<(u64, WriteJob)>) -> Vec<(Vec<u64>, WriteJob)> {
    let mut slots: Vec<(Vec<u64>, Option<WriteJob>)> = Vec::with_capacity(batch.len());
    let mut first: std::collections::HashMap<JobKey, usize> = std::collections::HashMap::new();
    for (id, job) in batch {
        match job.key().and_then(|k| first.get(&k).copied().map(|i| (k, i))) {
            Some((_, i)) => {
                slots[i].0.push(id);
                slots[i].1 = Some(job);
            }
            None => {
                if let Some(k) = job.key() {
                    first.insert(k, slots.len());
                }
                slots.push((vec![id], Some(job)));
            }
        }
    }
    slots.into_iter().filter_map(|(ids, job)| job.map(|j| (ids, j))).collect()
}
