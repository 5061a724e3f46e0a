//! `localpost doctor`: every consistency check on a data folder, without changing it.

use std::path::Path;

use super::atomic::TEMP_PREFIX;
use super::error::{Problem, ProblemKind, StoreError};
use super::{Place, Store, history, runs};
use crate::model::Library;

/// Everything wrong in the data folder at `root`, in a stable order. Empty means healthy.
pub fn check(root: &Path) -> Result<(Library, Vec<Problem>), StoreError> {
    let opened = Store::open_existing(root)?;
    let mut problems = opened.report.problems;
    for ws in opened.library.workspaces.keys() {
        let Some(dir) = opened.store.path_of(Place::Workspace(*ws)) else { continue };
        let (_, mut bad) = history::load(dir, usize::MAX);
        problems.append(&mut bad);
        let (_, mut bad) = runs::load(dir);
        problems.append(&mut bad);
    }
    leftover_temp_files(root, &mut problems);
    problems.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.kind.to_string().cmp(&b.kind.to_string())));
    Ok((opened.library, problems))
}

/// Temp files a crash left behind (harmless, reported so they can be removed).
fn leftover_temp_files(dir: &Path, out: &mut Vec<Problem>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            out.push(Problem { path, kind: ProblemKind::Unexpected, workspace: None, parent: None });
        } else if entry.file_type().is_ok_and(|t| t.is_dir()) {
            leftover_temp_files(&path, out);
        }
    }
}
