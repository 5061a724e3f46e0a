//! Collection run results: one file per run under `runs/`.

use std::fs;
use std::path::{Path, PathBuf};

use super::atomic::write_atomic;
use super::document;
use super::error::{Problem, StoreError};
use super::layout::RUNS_DIR;
use super::load::read_document;
use crate::model::{RunId, RunResult};

/// The file of a run: `runs/<started>-<id>.ron`, so names sort by time.
pub fn run_path(ws_dir: &Path, run: &RunResult) -> PathBuf {
    let t = run.started_at;
    let name = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}-{}.ron",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        run.id.short()
    );
    ws_dir.join(RUNS_DIR).join(name)
}

pub fn save(ws_dir: &Path, run: &RunResult) -> Result<PathBuf, StoreError> {
    let path = run_path(ws_dir, run);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| StoreError::write(dir, e))?;
    }
    let text = document::to_text(run)
        .map_err(|e| StoreError::Encode { what: path.display().to_string(), message: e.to_string() })?;
    write_atomic(&path, text.as_bytes(), false).map_err(|e| StoreError::write(&path, e))?;
    Ok(path)
}

/// Run files, newest first.
pub fn files(ws_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(ws_dir.join(RUNS_DIR)) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    out.sort();
    out.reverse();
    out
}

/// Every run of a workspace, newest first; unreadable files are reported.
pub fn load(ws_dir: &Path) -> (Vec<RunResult>, Vec<Problem>) {
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    for path in files(ws_dir) {
        match read_document::<RunResult>(&path) {
            Ok(parsed) => runs.push(parsed.entity),
            Err(kind) => problems.push(Problem { path, kind, workspace: None, parent: None }),
        }
    }
    (runs, problems)
}

pub fn delete(ws_dir: &Path, id: RunId) -> Result<(), StoreError> {
    let suffix = format!("-{}.ron", id.short());
    for path in files(ws_dir) {
        if path.to_string_lossy().ends_with(&suffix) {
            fs::remove_file(&path).map_err(|e| StoreError::Remove { path, error: e })?;
        }
    }
    Ok(())
}
