//! `localpost import FILE...`: preview, conflicts and an all-or-nothing write per file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use super::out::{errln, out, outln};
use crate::interop::apply::{self, Choices, ImportPlan, Resolution, Target};
use crate::interop::{self, Imported};
use crate::model::{Library, WorkspaceId};
use crate::storage::Store;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Files to import: a Localpost bundle or another tool's export (told apart by content).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The workspace to import into (name or id); a new one is made when none has that name.
    #[arg(long, value_name = "W")]
    workspace: Option<String>,
    /// What to do with items that are already here and differ.
    #[arg(long, value_enum, value_name = "CHOICE")]
    on_conflict: Option<OnConflict>,
    /// Show what would be imported and the conflicts; write nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OnConflict {
    /// Replace what is here with the imported item.
    Overwrite,
    /// Keep both: the imported item comes in as a copy named "... (imported)".
    Copy,
    /// Keep what is here.
    Skip,
}

impl From<OnConflict> for Resolution {
    fn from(c: OnConflict) -> Self {
        match c {
            OnConflict::Overwrite => Resolution::Overwrite,
            OnConflict::Copy => Resolution::KeepBoth,
            OnConflict::Skip => Resolution::Skip,
        }
    }
}

pub fn run(
    data_dir: &Path,
    args: &ImportArgs,
    policy: &crate::policy::EffectivePolicy,
) -> anyhow::Result<ExitCode> {
    // Read and parse every file before writing anything.
    let mut inputs: Vec<(PathBuf, Imported)> = Vec::new();
    for file in &args.files {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name =
            file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        let imported = import_checked(&bytes, &name, policy)
            .with_context(|| format!("{}: not imported", file.display()))?;
        inputs.push((file.clone(), imported));
    }
    // A new data folder is made as the app's first start makes it ("My Workspace", where a
    // collection then goes), except for a restore of whole workspaces, which gives back exactly
    // the backup.
    let restoring = inputs
        .iter()
        .all(|(_, i)| i.bundle.as_ref().is_some_and(|b| b.header.contains.is_whole_workspaces()));
    let mut opened = if restoring {
        std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
        let opened = Store::open_existing(data_dir)?;
        super::report_repairs(&opened.report);
        opened
    } else {
        super::open_store(data_dir)?
    };
    let mut failed = false;
    for (file, imported) in &inputs {
        let target = resolve_target(&opened.library, args.workspace.as_deref());
        let mut plan = apply::plan(imported, &opened.library, &target)?;
        if imported.bundle.as_ref().is_some_and(|b| b.settings.is_some())
            && data_dir.join(crate::storage::layout::SETTINGS_FILE).exists()
        {
            let (settings, _) = opened.store.load_settings();
            plan.check_settings(Some(&settings));
        }
        out!("{}", describe(file, &plan));
        let changed = plan.changed_conflicts().count();
        let choice = match (args.on_conflict, changed) {
            (Some(c), _) => Resolution::from(c),
            // Unchanged items: overwriting writes nothing new and keeps the imported order.
            (None, 0) => Resolution::Overwrite,
            (None, _) if args.dry_run => Resolution::Skip,
            (None, n) => {
                errln!(
                    "localpost: {}: {n} items here differ from the import; choose --on-conflict overwrite, copy or skip (nothing was written)",
                    file.display()
                );
                failed = true;
                continue;
            }
        };
        if args.dry_run {
            outln!("  dry run: nothing written\n");
            continue;
        }
        let local = opened.store.local_files(plan.existing_targets());
        let store = &mut opened.store;
        let applied = apply::merge(&plan, &Choices::all(choice), &opened.library, &local)
            .and_then(|m| {
                m.commit(&mut opened.library, |now, next, extras| store.write_library(now, next, extras))
            })
            .with_context(|| format!("{}: nothing was written", file.display()))?;
        for w in applied.report.warnings.iter().skip(plan.report.warnings.len()) {
            outln!("  warning: {w}");
        }
        outln!("  wrote {} files: {}\n", applied.written.files, applied.summary());
    }
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// `--workspace W`: an id, then an exact name, then a name in any case; else a new workspace.
pub(crate) fn resolve_target(library: &Library, workspace: Option<&str>) -> Target {
    let Some(w) = workspace else { return Target::Auto };
    find_workspace(library, w).map_or_else(|| Target::NewWorkspace(w.to_owned()), Target::Workspace)
}

pub(crate) fn find_workspace(library: &Library, w: &str) -> Option<WorkspaceId> {
    if let Ok(id) = w.parse::<WorkspaceId>()
        && library.workspaces.contains_key(&id)
    {
        return Some(id);
    }
    let ws = library.workspaces.values();
    ws.clone()
        .find(|d| d.workspace.name == w)
        .or_else(|| ws.clone().find(|d| d.workspace.name.eq_ignore_ascii_case(w)))
        .map(crate::model::WorkspaceData::id)
}

fn describe(file: &Path, plan: &ImportPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}: {})", file.display(), plan.format, plan.contains);
    let _ = writeln!(out, "  holds: {}", plan.counts.summary());
    let mut seen = Vec::new();
    for t in &plan.targets {
        if seen.contains(&t.workspace) {
            continue;
        }
        seen.push(t.workspace);
        let _ = writeln!(out, "  into: workspace \"{}\"{}", t.name, if t.is_new { " (new)" } else { "" });
    }
    if plan.reidentified > 0 {
        let _ = writeln!(
            out,
            "  {} items get new ids (their ids are used in another workspace here)",
            plan.reidentified
        );
    }
    if plan.conflicts.is_empty() {
        let _ = writeln!(out, "  conflicts: none");
    } else {
        let changed = plan.changed_conflicts().count();
        let _ = writeln!(out, "  conflicts: {changed} changed, {} unchanged", plan.conflicts.len() - changed);
        for c in plan.changed_conflicts() {
            let _ = writeln!(out, "    changed: {c}");
        }
    }
    for w in &plan.report.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    out
}

/// Why a file a user named was not imported.
#[derive(Debug, thiserror::Error)]
pub(super) enum NotImported {
    /// The organization policy refuses it; the message names the rule and the file that set it.
    #[error(transparent)]
    Forbidden(#[from] crate::policy::PolicyViolation),
    #[error(transparent)]
    Import(#[from] interop::ImportError),
}

/// Imports `bytes` under the organization policy: the format is told apart and checked (import
/// allowed, the format in `allowed_import_formats`, no lockdown) before anything is parsed.
pub(super) fn import_checked(
    bytes: &[u8],
    source_name: &str,
    policy: &crate::policy::EffectivePolicy,
) -> Result<Imported, NotImported> {
    policy.check_import_of(interop::detect(bytes))?;
    Ok(interop::import(bytes, source_name)?)
}
