//! `localpost doctor`: names every problem in the data folder; exits non-zero if there is any.

use std::path::Path;
use std::process::ExitCode;

use super::out::outln;
use crate::storage::{Severity, doctor};

pub fn run(data_dir: &Path) -> anyhow::Result<ExitCode> {
    if std::fs::symlink_metadata(data_dir).is_err() {
        outln!(
            "{}: does not exist yet (Localpost makes it on first use); nothing to check",
            data_dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (library, problems, repairs) = doctor::check(data_dir)?;
    for repair in &repairs {
        outln!("cleaned: {repair}");
    }
    let requests: usize = library.workspaces.values().map(|w| w.requests.len()).sum();
    if problems.is_empty() {
        outln!(
            "{}: no problems ({} workspaces, {requests} requests)",
            data_dir.display(),
            library.workspaces.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        let label = match p.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        outln!("{label}: {p}");
    }
    let errors = problems.iter().filter(|p| p.severity() == Severity::Error).count();
    outln!(
        "\n{} problems in {} ({errors} files did not load; nothing you made was changed)",
        problems.len(),
        data_dir.display()
    );
    Ok(ExitCode::FAILURE)
}
