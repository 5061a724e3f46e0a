//! `localpost export`: a backup bundle, or a Postman collection or environment.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::import::find_workspace;
use super::out::{errln, outln};
use crate::interop::bundle::{self, ExportOptions, Scope, Secrets};
use crate::interop::export::postman::{self, PostmanOptions};
use crate::interop::{Format, Report};
use crate::model::{ItemId, Library, ParentId, WorkspaceData, WorkspaceId};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The workspace (name or id); without it, everything (bundle) or where the collection is.
    #[arg(long, value_name = "W")]
    workspace: Option<String>,
    /// A collection (name or id), or a folder in it as `Collection/Folder/...`.
    #[arg(long, value_name = "C", conflicts_with = "environment")]
    collection: Option<String>,
    /// An environment (name or id).
    #[arg(long, value_name = "E")]
    environment: Option<String>,
    #[arg(long, value_enum, default_value = "bundle")]
    format: ExportFormat,
    /// Put secret values in the file (left out by default).
    #[arg(long)]
    include_secrets: bool,
    /// Put the request history in the bundle.
    #[arg(long)]
    include_history: bool,
    /// Put collection run results in the bundle.
    #[arg(long)]
    include_runs: bool,
    /// The file to write (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Localpost's lossless backup bundle (RON).
    Bundle,
    /// Postman Collection v2.1 (with --collection) or Postman environment (with --environment).
    Postman,
}

pub fn run(
    data_dir: &Path,
    args: &ExportArgs,
    policy: &crate::policy::EffectivePolicy,
) -> anyhow::Result<ExitCode> {
    // Refused before anything is read or written; the message names the rule and its file.
    policy.check_export(args.include_secrets)?;
    let opened = super::open_store(data_dir)?;
    let library = &opened.library;
    let workspace = match &args.workspace {
        Some(w) => Some(
            find_workspace(library, w)
                .with_context(|| format!("no workspace \"{w}\" in {}", data_dir.display()))?,
        ),
        None => None,
    };
    let scope = match (&args.collection, &args.environment) {
        (Some(c), _) => find_collection_or_folder(library, workspace, c)?,
        (None, Some(e)) => find_environment(library, workspace, e)?,
        (None, None) => workspace.map_or(Scope::Everything, Scope::Workspace),
    };
    let secrets = if args.include_secrets { Secrets::Include } else { Secrets::Exclude };
    let (text, report, what) = match args.format {
        ExportFormat::Bundle => {
            let options = ExportOptions {
                secrets,
                include_history: args.include_history,
                include_runs: args.include_runs,
            };
            let records = opened.store.records(bundle::workspaces_of(library, &scope), options.records());
            let exported = bundle::export(&records, library, &scope, options)?;
            let what = format!(
                "{}: {} ({})",
                Format::Bundle,
                exported.header.contains.describe(),
                exported.header.counts.summary()
            );
            (exported.text, exported.report, what)
        }
        ExportFormat::Postman => {
            if args.include_history || args.include_runs {
                bail!("history and run results go only into a bundle (--format bundle)");
            }
            let options = PostmanOptions { secrets };
            match scope {
                Scope::Collection(id) => postman_tree(library, ParentId::Collection(id), options)?,
                Scope::Folder(id) => postman_tree(library, ParentId::Folder(id), options)?,
                Scope::Environment(id) => {
                    let env = library
                        .workspaces
                        .values()
                        .find_map(|w| w.environments.get(&id))
                        .context("the environment is gone")?;
                    let ex = postman::environment(env, options);
                    (ex.text, ex.report, format!("Postman environment \"{}\"", env.name))
                }
                Scope::Everything | Scope::Workspace(_) => {
                    bail!(
                        "a Postman file holds one collection or one environment: name it with --collection or --environment"
                    )
                }
            }
        }
    };
    if args.output.as_os_str() == "-" {
        outln!("{text}");
    } else {
        // A file holding secrets is readable by its owner only.
        crate::storage::atomic::write_replacing(&args.output, text.as_bytes(), args.include_secrets)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
    }
    print_report(&report);
    let to = if args.output.as_os_str() == "-" {
        "standard output".to_owned()
    } else {
        args.output.display().to_string()
    };
    errln!("wrote {to}: {what}");
    Ok(ExitCode::SUCCESS)
}

fn postman_tree(
    library: &Library,
    root: ParentId,
    options: PostmanOptions,
) -> anyhow::Result<(String, Report, String)> {
    let data = library
        .workspaces
        .values()
        .find(|w| w.parent_name(root).is_some())
        .context("the collection is gone")?;
    let ex = postman::collection_v21(data, root, options).context("the collection is gone")?;
    let count = data.requests_under(root).len();
    let what =
        format!("Postman Collection v2.1 \"{}\" ({count} requests)", data.parent_name(root).unwrap_or(""));
    Ok((ex.text, ex.report, what))
}

fn print_report(report: &Report) {
    for w in &report.warnings {
        errln!("warning: {w}");
    }
}

fn in_scope(library: &Library, workspace: Option<WorkspaceId>) -> Vec<&WorkspaceData> {
    library.workspaces.values().filter(|w| workspace.is_none_or(|id| w.id() == id)).collect()
}

fn find_collection_or_folder(
    library: &Library,
    workspace: Option<WorkspaceId>,
    spec: &str,
) -> anyhow::Result<Scope> {
    let mut found = Vec::new();
    for data in in_scope(library, workspace) {
        for c in data.collections.values() {
            if c.id.to_string() == spec || c.name == spec {
                found.push((data, Scope::Collection(c.id)));
                continue;
            }
            // `Collection/Folder/...`
            let Some(rest) = spec.strip_prefix(c.name.as_str()).and_then(|r| r.strip_prefix('/')) else {
                continue;
            };
            let mut parent = ParentId::Collection(c.id);
            let mut ok = true;
            for name in rest.split('/') {
                let next = data.children(parent).and_then(|children| {
                    children.iter().find_map(|child| match child {
                        ItemId::Folder(f) if data.folders.get(f).is_some_and(|f| f.name == name) => Some(*f),
                        _ => None,
                    })
                });
                match next {
                    Some(f) => parent = ParentId::Folder(f),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if let (true, ParentId::Folder(f)) = (ok, parent) {
                found.push((data, Scope::Folder(f)));
            }
        }
        for f in data.folders.values().filter(|f| f.id.to_string() == spec) {
            found.push((data, Scope::Folder(f.id)));
        }
    }
    pick(found, "collection", spec)
}

fn find_environment(library: &Library, workspace: Option<WorkspaceId>, spec: &str) -> anyhow::Result<Scope> {
    let mut found = Vec::new();
    for data in in_scope(library, workspace) {
        for e in data.environments.values().filter(|e| e.id.to_string() == spec || e.name == spec) {
            found.push((data, Scope::Environment(e.id)));
        }
    }
    pick(found, "environment", spec)
}

fn pick(found: Vec<(&WorkspaceData, Scope)>, kind: &str, spec: &str) -> anyhow::Result<Scope> {
    match found.len() {
        0 => bail!("no {kind} \"{spec}\""),
        1 => Ok(found.into_iter().next().map(|(_, s)| s).unwrap_or(Scope::Everything)),
        _ => {
            let names: Vec<String> = found.iter().map(|(w, _)| format!("\"{}\"", w.workspace.name)).collect();
            bail!(
                "{kind} \"{spec}\" is in several workspaces ({}); pick one with --workspace",
                names.join(", ")
            )
        }
    }
}
