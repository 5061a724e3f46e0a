//! `localpost policy show [--json]` and `localpost policy check FILE`: the organization policy from
//! a terminal, for users and for the administrators who write it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use super::out::outln;
use crate::policy::{EffectivePolicy, EntryStatus, PolicyState, SourceInput, SourceKind, sources};

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the effective policy: its state, its sources, and every key with its value, source
    /// and status.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Validate a candidate policy file before installing it. Errors point at line and column.
    /// Exit status: 0 if it applies as written, 1 if it would put Localpost in Lockdown, 3 if some
    /// keys have bad values (they would take their most restrictive value).
    Check {
        /// The file to check.
        file: PathBuf,
    },
}

/// Exit status of `policy check` when keys have bad values but the file would load.
const KEY_ERRORS: u8 = 3;

pub fn run(command: &PolicyCommand) -> anyhow::Result<ExitCode> {
    match command {
        PolicyCommand::Show { json } => {
            let policy = EffectivePolicy::load_machine();
            let text = if *json { policy.to_json() + "\n" } else { policy.to_text() };
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // `localpost policy show | head` is fine.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(ExitCode::SUCCESS),
            }
        }
        PolicyCommand::Check { file } => Ok(check(file)),
    }
}

/// Checks `file` as if it were the machine's only administrator source, on top of the baseline.
fn check(file: &Path) -> ExitCode {
    let label = file.display().to_string();
    let content = match std::fs::metadata(file) {
        Ok(meta) if meta.is_dir() => Err(crate::policy::SourceError::Folder),
        _ => sources::read_limited(file),
    };
    let policy = EffectivePolicy::from_inputs(vec![SourceInput::new(&label, SourceKind::Machine, content)]);
    if let PolicyState::Lockdown { reasons } = policy.state() {
        for reason in reasons {
            outln!("error: {reason}");
        }
        outln!("\n{label} would put Localpost in Lockdown: sending, importing and exporting would be off.");
        return ExitCode::FAILURE;
    }
    let mut errors = 0;
    for entry in policy.entries() {
        let label = match entry.status {
            EntryStatus::Ok => continue,
            EntryStatus::Error => {
                errors += 1;
                "error"
            }
            EntryStatus::Unknown | EntryStatus::Conflict => "warning",
        };
        for m in &entry.messages {
            outln!("{label}: {m}");
        }
    }
    owner_note(file);
    if errors > 0 {
        outln!(
            "\n{label} loads, but {errors} key(s) have bad values and would take their most restrictive value."
        );
        return ExitCode::from(KEY_ERRORS);
    }
    outln!("{label}: OK (effective policy sha256 {})", policy.sha256());
    ExitCode::SUCCESS
}

/// Ownership is checked where the file is installed; say so when this copy would not pass.
#[cfg(unix)]
fn owner_note(file: &Path) {
    use std::os::unix::fs::MetadataExt as _;
    if let Ok(meta) = std::fs::metadata(file)
        && let Err(e) = sources::check_ownership(file, meta.uid(), meta.mode(), 0)
    {
        outln!("note: once installed, the file must pass the ownership check; this copy {e}");
    }
}

#[cfg(not(unix))]
fn owner_note(_file: &Path) {}
