//! `localpost doctor`: names every problem in the data folder; exits non-zero if there is any.

use std::path::Path;
use std::process::ExitCode;

use crate::storage::{Severity, doctor};

pub fn run(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let (library, problems) = doctor::check(data_dir)?;
    let requests: usize = library.workspaces.values().map(|w| w.requests.len()).sum();
    if problems.is_empty() {
        println!(
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
        println!("{label}: {p}");
    }
    let errors = problems.iter().filter(|p| p.severity() == Severity::Error).count();
    println!(
        "\n{} problems in {} ({errors} files did not load; nothing was changed)",
        problems.len(),
        data_dir.display()
    );
    Ok(ExitCode::FAILURE)
}
