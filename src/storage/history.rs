//! History files: one file per send under `history/<date>/`, so appending never rewrites
//! earlier entries and retention deletes whole files.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::atomic::write_atomic;
use super::document;
use super::error::{Problem, StoreError};
use super::layout::HISTORY_DIR;
use super::load::read_document;
use crate::model::{HistoryEntry, Settings};

/// Entries between two prunes of one workspace's history (a prune lists the whole folder).
const PRUNE_EVERY: u64 = 100;

/// The file of a history entry: `history/<date>/<time>-<id>.ron`.
pub fn entry_path(ws_dir: &Path, entry: &HistoryEntry) -> PathBuf {
    let at = entry.at;
    let day = format!("{:04}-{:02}-{:02}", at.year(), u8::from(at.month()), at.day());
    let name = format!(
        "{:02}{:02}{:02}-{:03}-{}.ron",
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond(),
        entry.id.short()
    );
    ws_dir.join(HISTORY_DIR).join(day).join(name)
}

/// Writes one history entry; returns its file.
pub fn append(ws_dir: &Path, entry: &HistoryEntry) -> Result<PathBuf, StoreError> {
    let path = entry_path(ws_dir, entry);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| StoreError::write(dir, e))?;
    }
    let text = document::to_text(entry)
        .map_err(|e| StoreError::Encode { what: path.display().to_string(), message: e.to_string() })?;
    write_atomic(&path, text.as_bytes(), false).map_err(|e| StoreError::write(&path, e))?;
    Ok(path)
}

/// Records sends: appends each entry and now and then prunes the workspace's history to the
/// settings' count and age limits (every [`PRUNE_EVERY`] entries, starting with the first).
#[derive(Debug, Default)]
pub struct Keeper {
    appended: HashMap<PathBuf, u64>,
}

impl Keeper {
    /// Appends `entry` to the history in `ws_dir`; returns its file. A failed prune is
    /// reported after the entry is written.
    pub fn record(
        &mut self,
        ws_dir: &Path,
        entry: &HistoryEntry,
        settings: &Settings,
    ) -> Result<PathBuf, StoreError> {
        let path = append(ws_dir, entry)?;
        let count = self.appended.entry(ws_dir.to_owned()).or_insert(0);
        let due = count.is_multiple_of(PRUNE_EVERY);
        *count += 1;
        if due {
            prune(
                ws_dir,
                Some(settings.history_max_entries),
                settings.history_retention_days,
                OffsetDateTime::now_utc(),
            )?;
        }
        Ok(path)
    }
}

/// Every history file of a workspace, newest first.
pub fn files(ws_dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(days) = fs::read_dir(ws_dir.join(HISTORY_DIR)) else { return out };
    for day in days.filter_map(Result::ok).filter(|d| d.path().is_dir()) {
        let Ok(files) = fs::read_dir(day.path()) else { continue };
        out.extend(
            files
                .filter_map(Result::ok)
                .map(|f| f.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron")),
        );
    }
    // Day folder then time-prefixed name: lexical order is time order.
    out.sort();
    out.reverse();
    out
}

/// Loads history, newest first, at most `limit` entries. Unreadable files are reported.
pub fn load(ws_dir: &Path, limit: usize) -> (Vec<HistoryEntry>, Vec<Problem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for path in files(ws_dir).into_iter().take(limit) {
        match read_document::<HistoryEntry>(&path) {
            Ok(parsed) => entries.push(parsed.entity),
            Err(kind) => problems.push(Problem { path, kind, workspace: None, parent: None }),
        }
    }
    (entries, problems)
}

/// Deletes all history of a workspace.
pub fn clear(ws_dir: &Path) -> Result<(), StoreError> {
    let dir = ws_dir.join(HISTORY_DIR);
    match fs::remove_dir_all(&dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::Remove { path: dir, error: e }),
    }
}

/// Deletes one entry.
pub fn remove(ws_dir: &Path, entry: &HistoryEntry) -> Result<(), StoreError> {
    let path = entry_path(ws_dir, entry);
    fs::remove_file(&path).map_err(|e| StoreError::Remove { path, error: e })
}

/// Keeps at most `max_entries` entries and none older than `max_age_days` before `now`.
/// Returns how many were deleted.
pub fn prune(
    ws_dir: &Path,
    max_entries: Option<usize>,
    max_age_days: Option<u32>,
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let files = files(ws_dir);
    let cutoff = max_age_days.map(|d| now - time::Duration::days(i64::from(d)));
    let cutoff_day = cutoff.map(|c| format!("{:04}-{:02}-{:02}", c.year(), u8::from(c.month()), c.day()));
    let mut removed = 0;
    for (i, path) in files.iter().enumerate() {
        let day = path.parent().and_then(|d| d.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        let too_many = max_entries.is_some_and(|max| i >= max);
        let too_old = cutoff_day.as_deref().is_some_and(|cut| day < cut);
        if too_many || too_old {
            fs::remove_file(path).map_err(|e| StoreError::Remove { path: path.clone(), error: e })?;
            removed += 1;
            if let Some(dir) = path.parent()
                && fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
            {
                let _ = fs::remove_dir(dir);
            }
        }
    }
    Ok(removed)
}
