//! Putting right what a crash left, each time a data folder is opened: a staged write (an
//! import, a restore) is finished or undone from its intent (see [`super::stage`]), and temp
//! files no process is writing are removed. Nothing a user made is touched, and what was done is
//! reported, so the app and the CLI can say so.

use std::path::{Path, PathBuf};

use super::atomic::remove_if_unlocked;
use super::error::{Problem, ProblemKind, Repair, RepairKind};
use super::stage::{self, Recovered};

/// Finishes or undoes the staged writes a crash interrupted under `root`. Call it before
/// reading the folder: afterwards it holds each write whole or not at all.
pub fn interrupted_writes(root: &Path) -> (Vec<Repair>, Vec<Problem>) {
    let mut repairs = Vec::new();
    let mut problems = Vec::new();
    for (path, result) in stage::recover(root) {
        match result {
            Ok(recovered) => {
                let kind = match recovered {
                    Recovered::Completed { moves } => RepairKind::WriteCompleted { moves },
                    Recovered::RolledBack { moves } => RepairKind::WriteRolledBack { moves },
                    Recovered::Discarded => RepairKind::StagingRemoved,
                };
                repairs.push(Repair { path, kind });
            }
            Err(error) => problems.push(Problem {
                path,
                kind: ProblemKind::InterruptedWrite(error.to_string()),
                workspace: None,
                parent: None,
            }),
        }
    }
    (repairs, problems)
}

/// Removes the temp files among `paths` that no process is writing.
pub fn temp_files(paths: &[PathBuf]) -> Vec<Repair> {
    paths
        .iter()
        .filter(|p| remove_if_unlocked(p))
        .map(|p| Repair { path: p.clone(), kind: RepairKind::TempFileRemoved })
        .collect()
}
