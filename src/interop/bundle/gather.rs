//! What goes into a bundle, gathered from the library and what the data folder holds besides it
//! ([`Records`], read by the caller): names of files, history, run results, cookies and
//! settings, with secrets blanked unless asked for. Nothing here reads a file.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    BundleContent, BundleError, BundleWorkspace, Contents, ExportOptions, Exported, Scope, Secrets, write,
};
use crate::interop::Report;
use crate::model::*;
use crate::storage::records::{Records, WorkspaceRecords};

/// Exports `scope` of the library into a bundle's text; `records` are the data folder's (see
/// [`workspaces_of`]).
pub fn export(
    records: &Records,
    library: &Library,
    scope: &Scope,
    options: ExportOptions,
) -> Result<Exported, BundleError> {
    let mut report = Report::default();
    let (contents, content) = gather(records, library, scope, options, &mut report)?;
    let (text, header) = write(&content, contents, options, OffsetDateTime::now_utc())?;
    Ok(Exported { text, header, report })
}

/// The workspaces `scope` takes something from: the records to read for its export.
pub fn workspaces_of(library: &Library, scope: &Scope) -> Vec<WorkspaceId> {
    let holds = |data: &WorkspaceData| match scope {
        Scope::Everything => true,
        Scope::Workspace(id) => data.id() == *id,
        Scope::Collection(id) => data.collections.contains_key(id),
        Scope::Folder(id) => data.folders.contains_key(id),
        Scope::Environment(id) => data.environments.contains_key(id),
    };
    library.workspaces.values().filter(|d| holds(d)).map(WorkspaceData::id).collect()
}

/// Collects what `scope` covers from the library and the data folder's records.
pub fn gather(
    records: &Records,
    library: &Library,
    scope: &Scope,
    options: ExportOptions,
    report: &mut Report,
) -> Result<(Contents, BundleContent), BundleError> {
    let mut content = BundleContent::default();
    let contents = match scope {
        Scope::Everything => {
            match &records.settings {
                Some(Ok(settings)) => content.settings = Some(settings.clone()),
                Some(Err(p)) => report.warn(p.path.display().to_string(), format!("left out: {}", p.kind)),
                None => {}
            }
            for data in library.workspaces.values() {
                content.workspaces.push(whole_workspace(records, data, options, report));
            }
            Contents::Everything
        }
        Scope::Workspace(id) => {
            let data =
                library.workspaces.get(id).ok_or_else(|| BundleError::NotFound(format!("workspace {id}")))?;
            content.workspaces.push(whole_workspace(records, data, options, report));
            Contents::Workspace { id: *id, name: data.workspace.name.clone() }
        }
        Scope::Collection(id) => {
            let data = library
                .workspaces
                .values()
                .find(|w| w.collections.contains_key(id))
                .ok_or_else(|| BundleError::NotFound(format!("collection {id}")))?;
            let mut bw = empty_workspace(data);
            bw.workspace.collections = vec![*id];
            let c = &data.collections[id];
            bw.collections.push(c.clone());
            name_of(records, id.0, &mut bw.file_names);
            add_subtree(records, data, ParentId::Collection(*id), &mut bw);
            content.workspaces.push(bw);
            Contents::Collection { id: *id, name: c.name.clone() }
        }
        Scope::Folder(id) => {
            let data = library
                .workspaces
                .values()
                .find(|w| w.folders.contains_key(id))
                .ok_or_else(|| BundleError::NotFound(format!("folder {id}")))?;
            let mut bw = empty_workspace(data);
            // The chain of containers above, each listing only the next one down.
            let mut below = ItemId::Folder(*id);
            for parent in data.ancestors(ItemId::Folder(*id)) {
                match parent {
                    ParentId::Collection(c) => {
                        let mut collection = data.collections[&c].clone();
                        collection.children = vec![below];
                        bw.workspace.collections = vec![c];
                        bw.collections.push(collection);
                        name_of(records, c.0, &mut bw.file_names);
                    }
                    ParentId::Folder(f) => {
                        let mut folder = data.folders[&f].clone();
                        folder.children = vec![below];
                        bw.folders.push(folder);
                        name_of(records, f.0, &mut bw.file_names);
                        below = ItemId::Folder(f);
                    }
                }
            }
            bw.folders.reverse();
            let folder = &data.folders[id];
            bw.folders.push(folder.clone());
            name_of(records, id.0, &mut bw.file_names);
            add_subtree(records, data, ParentId::Folder(*id), &mut bw);
            content.workspaces.push(bw);
            Contents::Folder { id: *id, name: folder.name.clone() }
        }
        Scope::Environment(id) => {
            let data = library
                .workspaces
                .values()
                .find(|w| w.environments.contains_key(id))
                .ok_or_else(|| BundleError::NotFound(format!("environment {id}")))?;
            let mut bw = empty_workspace(data);
            bw.workspace.environments = vec![*id];
            let env = &data.environments[id];
            bw.environments.push(env.clone());
            name_of(records, id.0, &mut bw.file_names);
            content.workspaces.push(bw);
            Contents::Environment { id: *id, name: env.name.clone() }
        }
    };
    if options.secrets == Secrets::Exclude {
        let mut left_out = 0;
        for bw in &mut content.workspaces {
            left_out += blank_secrets(bw);
        }
        if let Some(settings) = &mut content.settings {
            left_out += blank_settings_secrets(settings);
        }
        if left_out > 0 {
            report.warn(
                "secrets",
                format!("{left_out} secret values left out (export with secrets included to keep them)"),
            );
        }
    }
    // Files that did not load are not in the library, so not in the bundle: say so.
    for bw in &content.workspaces {
        let Some(of_workspace) = records.workspaces.get(&bw.workspace.id) else { continue };
        for (path, reason) in &of_workspace.broken {
            report.warn(
                path.display().to_string(),
                format!("did not load, so it is not in the bundle: {reason}"),
            );
        }
    }
    if !contents.is_whole_workspaces() {
        for bw in &mut content.workspaces {
            add_related_records(records, &contents, bw, options, report);
        }
    }
    Ok((contents, content))
}

pub(super) fn empty_workspace(data: &WorkspaceData) -> BundleWorkspace {
    let mut workspace = data.workspace.clone();
    workspace.collections.clear();
    workspace.environments.clear();
    workspace.header_presets.clear();
    BundleWorkspace {
        workspace,
        globals: None,
        environments: Vec::new(),
        header_presets: Vec::new(),
        collections: Vec::new(),
        folders: Vec::new(),
        requests: Vec::new(),
        cookies: None,
        history: Vec::new(),
        runs: Vec::new(),
        file_names: BTreeMap::new(),
    }
}

pub(super) fn whole_workspace(
    records: &Records,
    data: &WorkspaceData,
    options: ExportOptions,
    report: &mut Report,
) -> BundleWorkspace {
    let ws = data.id();
    let mut bw = empty_workspace(data);
    bw.workspace = data.workspace.clone();
    let kept = records.workspaces.get(&ws);
    if kept.is_some_and(|k| k.has_globals_file) || !data.globals.variables.is_empty() {
        bw.globals = Some(data.globals.clone());
    }
    name_of(records, ws.0, &mut bw.file_names);
    for env in data.environments.values() {
        bw.environments.push(env.clone());
        name_of(records, env.id.0, &mut bw.file_names);
    }
    for preset in data.header_presets.values() {
        bw.header_presets.push(preset.clone());
        name_of(records, preset.id.0, &mut bw.file_names);
    }
    for c in data.collections.values() {
        bw.collections.push(c.clone());
        name_of(records, c.id.0, &mut bw.file_names);
        add_subtree(records, data, ParentId::Collection(c.id), &mut bw);
    }
    if let Some(kept) = kept {
        match &kept.cookies {
            Some(Ok(jar)) => bw.cookies = Some(jar.clone()),
            Some(Err(p)) => report.warn(p.path.display().to_string(), format!("left out: {}", p.kind)),
            None => {}
        }
        if options.include_history {
            bw.history.clone_from(&kept.history);
            warn_history(kept, report);
        }
        if options.include_runs {
            bw.runs.clone_from(&kept.runs);
            warn_runs(kept, report);
        }
    }
    bw
}

fn warn_history(kept: &WorkspaceRecords, report: &mut Report) {
    for p in &kept.history_problems {
        report.warn(p.path.display().to_string(), format!("history entry left out: {}", p.kind));
    }
}

fn warn_runs(kept: &WorkspaceRecords, report: &mut Report) {
    for p in &kept.run_problems {
        report.warn(p.path.display().to_string(), format!("run result left out: {}", p.kind));
    }
}

/// For a collection, folder or environment: the history of its requests and the runs of it.
pub(super) fn add_related_records(
    records: &Records,
    contents: &Contents,
    bw: &mut BundleWorkspace,
    options: ExportOptions,
    report: &mut Report,
) {
    let Some(kept) = records.workspaces.get(&bw.workspace.id) else { return };
    if options.include_history && !bw.requests.is_empty() {
        let ids: std::collections::HashSet<RequestId> = bw.requests.iter().map(|r| r.id).collect();
        bw.history = kept
            .history
            .iter()
            .filter(|e| e.request_id.is_some_and(|id| ids.contains(&id)))
            .cloned()
            .collect();
        warn_history(kept, report);
    }
    if options.include_runs {
        bw.runs = kept
            .runs
            .iter()
            .filter(|run| match contents {
                Contents::Collection { id, .. } => run.target.collection == Some(*id),
                // The folder and those below it (its parents are in the bundle only as context).
                Contents::Folder { id, .. } => run.target.folder.is_some_and(|f| {
                    f == *id || bw.folders.iter().skip_while(|x| x.id != *id).any(|x| x.id == f)
                }),
                _ => false,
            })
            .cloned()
            .collect();
        warn_runs(kept, report);
    }
}

/// Adds every folder and request below `parent`, parents before children.
pub(super) fn add_subtree(
    records: &Records,
    data: &WorkspaceData,
    parent: ParentId,
    bw: &mut BundleWorkspace,
) {
    let mut stack = vec![parent];
    let mut seen = std::collections::HashSet::new();
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
            continue;
        }
        let Some(children) = data.children(p) else { continue };
        for child in children {
            match *child {
                ItemId::Folder(f) => {
                    if let Some(folder) = data.folders.get(&f) {
                        bw.folders.push(folder.clone());
                        name_of(records, f.0, &mut bw.file_names);
                        stack.push(ParentId::Folder(f));
                    }
                }
                ItemId::Request(r) => {
                    if let Some(request) = data.requests.get(&r) {
                        bw.requests.push(request.clone());
                        name_of(records, r.0, &mut bw.file_names);
                    }
                }
            }
        }
    }
}

pub(super) fn name_of(records: &Records, id: Uuid, names: &mut BTreeMap<Uuid, String>) {
    if let Some(name) = records.file_names.get(&id) {
        names.insert(id, name.clone());
    }
}

pub(super) fn secret_variables(data: &WorkspaceData) -> impl Iterator<Item = &Variable> {
    data.globals
        .variables
        .iter()
        .chain(data.environments.values().flat_map(|e| &e.variables))
        .chain(data.collections.values().flat_map(|c| &c.variables))
        .chain(data.folders.values().flat_map(|f| &f.variables))
        .filter(|v| v.secret)
}

pub(super) fn blank_secrets(bw: &mut BundleWorkspace) -> usize {
    let mut n = 0;
    let mut blank = |vars: &mut Vec<Variable>| {
        for v in vars.iter_mut().filter(|v| v.secret && !v.value.is_empty()) {
            v.value.clear();
            n += 1;
        }
    };
    if let Some(g) = &mut bw.globals {
        blank(&mut g.variables);
    }
    bw.environments.iter_mut().for_each(|e| blank(&mut e.variables));
    bw.collections.iter_mut().for_each(|c| blank(&mut c.variables));
    bw.folders.iter_mut().for_each(|f| blank(&mut f.variables));
    n
}

/// Proxy passwords and certificate passphrases count as secrets too.
pub(super) fn blank_settings_secrets(settings: &mut Settings) -> usize {
    let mut n = 0;
    if let ProxySetting::Manual { password, .. } = &mut settings.proxy
        && !password.is_empty()
    {
        password.clear();
        n += 1;
    }
    for cert in &mut settings.client_certificates {
        if !cert.passphrase.is_empty() {
            cert.passphrase.clear();
            n += 1;
        }
    }
    n
}
