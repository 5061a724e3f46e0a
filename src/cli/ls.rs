//! `localpost ls`: the workspace tree with counts.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::out::out;
use crate::model::{ItemId, ParentId, WorkspaceData};

#[derive(Debug, clap::Args)]
pub struct LsArgs {
    /// How deep to list: 1 workspaces, 2 collections and environments, 3 and more folders and requests.
    #[arg(long, default_value_t = usize::MAX)]
    depth: usize,
}

pub fn run(data_dir: &Path, args: &LsArgs) -> anyhow::Result<ExitCode> {
    let opened = super::open_store(data_dir)?;
    let mut out = String::new();
    let library = &opened.library;
    let _ = writeln!(out, "{} ({})", data_dir.display(), plural(library.workspaces.len(), "workspace"));
    for ws in library.workspaces.values() {
        list_workspace(&mut out, ws, args.depth);
    }
    let broken = opened.report.errors().count();
    if broken > 0 {
        let _ =
            writeln!(out, "\n{} did not load; run `localpost doctor` for details.", plural(broken, "file"));
    }
    out!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn list_workspace(out: &mut String, ws: &WorkspaceData, depth: usize) {
    let _ = writeln!(
        out,
        "{}  [{}, {}, {}, {}, {}]{}",
        ws.workspace.name,
        plural(ws.collections.len(), "collection"),
        plural(ws.folders.len(), "folder"),
        plural(ws.requests.len(), "request"),
        plural(ws.environments.len(), "environment"),
        plural(ws.header_presets.len(), "header preset"),
        damaged(ws, ws.id().0),
    );
    if depth < 2 {
        return;
    }
    for c in ws.collections.values() {
        let parent = ParentId::Collection(c.id);
        let _ = writeln!(
            out,
            "  {}  [{}]{}",
            c.name,
            plural(ws.requests_under(parent).len(), "request"),
            damaged(ws, c.id.0)
        );
        if depth >= 3 {
            list_children(out, ws, parent, 2, depth);
        }
    }
    for env in ws.environments.values() {
        let _ = writeln!(out, "  env: {}  [{}]", env.name, plural(env.variables.len(), "variable"));
    }
    if !ws.globals.variables.is_empty() {
        let _ = writeln!(out, "  globals  [{}]", plural(ws.globals.variables.len(), "variable"));
    }
    for preset in ws.header_presets.values() {
        let _ = writeln!(out, "  preset: {}  [{}]", preset.name, plural(preset.headers.len(), "header"));
    }
}

fn list_children(out: &mut String, ws: &WorkspaceData, parent: ParentId, level: usize, depth: usize) {
    let Some(children) = ws.children(parent) else { return };
    let indent = "  ".repeat(level);
    for child in children {
        match child {
            ItemId::Folder(id) => {
                let Some(folder) = ws.folders.get(id) else { continue };
                let inner = ParentId::Folder(*id);
                let _ = writeln!(
                    out,
                    "{indent}{}/  [{}]{}",
                    folder.name,
                    plural(ws.requests_under(inner).len(), "request"),
                    damaged(ws, id.0)
                );
                if level < depth {
                    list_children(out, ws, inner, level + 1, depth);
                }
            }
            ItemId::Request(id) => {
                let Some(request) = ws.requests.get(id) else { continue };
                let _ = writeln!(out, "{indent}{:<7} {}", request.method.as_str(), request.name);
            }
        }
    }
}

/// The mark of a placeholder for a workspace, collection or folder whose own file did not load.
fn damaged(ws: &WorkspaceData, id: uuid::Uuid) -> &'static str {
    if ws.is_damaged(id) { "  (damaged: its own file did not load; see `localpost doctor`)" } else { "" }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}
