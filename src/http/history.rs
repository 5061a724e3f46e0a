//! The history writer: one background thread that appends entries with
//! [`crate::storage::history::append`], in order, and prunes each workspace's history to the
//! settings' limits now and then. Senders never wait for the disk.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use time::OffsetDateTime;

use crate::model::{HistoryEntry, Settings};
use crate::storage::{self, StoreError};

/// Entries between two prunes of one workspace's history.
const PRUNE_EVERY: u64 = 100;

/// What to write: an entry already redacted and capped, so a backlog of entries (the disk is
/// slower than loopback sends) holds capped bodies only.
pub(crate) struct Job {
    pub ws_dir: PathBuf,
    pub entry: HistoryEntry,
    pub settings: Arc<Settings>,
    pub done: Option<tokio::sync::oneshot::Sender<Result<PathBuf, StoreError>>>,
}

/// Waits for one entry to be on disk (or dropped: the writer is gone).
#[derive(Debug)]
pub struct HistoryTicket(pub(crate) tokio::sync::oneshot::Receiver<Result<PathBuf, StoreError>>);

impl HistoryTicket {
    /// The file written, or why not. Await it from async code.
    pub async fn wait(self) -> Result<PathBuf, String> {
        match self.0.await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err("the history writer stopped".into()),
        }
    }

    /// The same, blocking (not from async code, not from the UI thread).
    pub fn wait_blocking(self) -> Result<PathBuf, String> {
        match self.0.blocking_recv() {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err("the history writer stopped".into()),
        }
    }
}

/// The handle to the writer thread; the thread ends when this is dropped.
pub(crate) struct HistoryWriter {
    sender: Mutex<Option<mpsc::Sender<Job>>>,
    pub last_error: Arc<Mutex<Option<String>>>,
}

impl HistoryWriter {
    pub fn new() -> Self {
        Self { sender: Mutex::new(None), last_error: Arc::new(Mutex::new(None)) }
    }

    /// Queues a job, starting the thread on first use.
    pub fn submit(&self, job: Job) {
        let Ok(mut sender) = self.sender.lock() else { return };
        if sender.is_none() {
            let (tx, rx) = mpsc::channel::<Job>();
            let errors = Arc::clone(&self.last_error);
            let started = std::thread::Builder::new()
                .name("localpost-history".into())
                .spawn(move || write_loop(&rx, &errors));
            if started.is_err() {
                if let Ok(mut e) = self.last_error.lock() {
                    *e = Some("cannot start the history writer thread".into());
                }
                return;
            }
            *sender = Some(tx);
        }
        if let Some(tx) = sender.as_ref() {
            let _ = tx.send(job);
        }
    }
}

fn write_loop(rx: &mpsc::Receiver<Job>, errors: &Mutex<Option<String>>) {
    let mut counts: HashMap<PathBuf, u64> = HashMap::new();
    while let Ok(job) = rx.recv() {
        let result = storage::history::append(&job.ws_dir, &job.entry);
        let mut failure = result.as_ref().err().map(ToString::to_string);
        let n = counts.entry(job.ws_dir.clone()).or_insert(0);
        if result.is_ok() && n.is_multiple_of(PRUNE_EVERY) {
            let pruned = storage::history::prune(
                &job.ws_dir,
                Some(job.settings.history_max_entries),
                job.settings.history_retention_days,
                OffsetDateTime::now_utc(),
            );
            if let Err(e) = pruned {
                failure = Some(format!("pruning history: {e}"));
            }
        }
        *n += 1;
        if let Some(failure) = failure
            && let Ok(mut slot) = errors.lock()
        {
            *slot = Some(failure);
        }
        if let Some(done) = job.done {
            let _ = done.send(result);
        }
    }
}
