//! What goes into a bundle, gathered from the library and the data folder: names of files, history,
//! run results, cookies and settings, with secrets blanked unless asked for.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    BundleContent, BundleError, BundleWorkspace, Contents, ExportOptions, Exported, Scope, Secrets, write,
};
use crate::interop::Report;
use crate::model::*;
use crate::storage::layout::{COOKIES_FILE, GLOBALS_FILE, SETTINGS_FILE};
use crate::storage::load::read_document;
use crate::storage::{Place, Store, history, runs};

/// Exports `scope` of the data folder into a bundle's text.
pub fn export(
    store: &Store,
    library: &Library,
    scope: &Scope,
    options: ExportOptions,
) -> Result<Exported, BundleError> {
    let mut report = Report::default();
    let (contents, content) = gather(store, library, scope, options, &mut report)?;
    let (text, header) = write(&content, contents, options, OffsetDateTime::now_utc())?;
    Ok(Exported { text, header, report })
}

/// Collects what `scope` covers from the library and the data folder.
pub fn gather(
    store: &Store,
    library: &Library,
    scope: &Scope,
    options: ExportOptions,
    report: &mut Report,
) -> Result<(Contents, BundleContent), BundleError> {
    let mut content = BundleContent::default();
    let contents = match scope {
        Scope::Everything => {
            let settings_path = store.root().join(SETTINGS_FILE);
            if settings_path.exists() {
                match read_document::<Settings>(&settings_path) {
                    Ok(parsed) => content.settings = Some(parsed.entity),
                    Err(e) => report.warn(settings_path.display().to_string(), format!("left out: {e}")),
                }
            }
            for data in library.workspaces.values() {
                content.workspaces.push(whole_workspace(store, data, options, report));
            }
            Contents::Everything
        }
        Scope::Workspace(id) => {
            let data =
                library.workspaces.get(id).ok_or_else(|| BundleError::NotFound(format!("workspace {id}")))?;
            content.workspaces.push(whole_workspace(store, data, options, report));
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
            name_of(store, Place::Collection(*id), &mut bw.file_names);
            add_subtree(store, data, ParentId::Collection(*id), &mut bw);
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
                        name_of(store, Place::Collection(c), &mut bw.file_names);
                    }
                    ParentId::Folder(f) => {
                        let mut folder = data.folders[&f].clone();
                        folder.children = vec![below];
                        bw.folders.push(folder);
                        name_of(store, Place::Folder(f), &mut bw.file_names);
                        below = ItemId::Folder(f);
                    }
                }
            }
            bw.folders.reverse();
            let folder = &data.folders[id];
            bw.folders.push(folder.clone());
            name_of(store, Place::Folder(*id), &mut bw.file_names);
            add_subtree(store, data, ParentId::Folder(*id), &mut bw);
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
            name_of(store, Place::Environment(*id), &mut bw.file_names);
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
    let roots: Vec<std::path::PathBuf> = content
        .workspaces
        .iter()
        .filter_map(|bw| store.path_of(Place::Workspace(bw.workspace.id)).map(std::path::Path::to_owned))
        .collect();
    let mut broken: Vec<_> =
        store.broken_files().filter(|(p, _)| roots.iter().any(|r| p.starts_with(r))).collect();
    broken.sort();
    for (path, reason) in broken {
        report
            .warn(path.display().to_string(), format!("did not load, so it is not in the bundle: {reason}"));
    }
    if !contents.is_whole_workspaces() {
        for bw in &mut content.workspaces {
            add_related_records(store, &contents, bw, options, report);
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
    store: &Store,
    data: &WorkspaceData,
    options: ExportOptions,
    report: &mut Report,
) -> BundleWorkspace {
    let ws = data.id();
    let mut bw = empty_workspace(data);
    bw.workspace = data.workspace.clone();
    let dir = store.path_of(Place::Workspace(ws)).map(std::path::Path::to_owned);
    if dir.as_ref().is_some_and(|d| d.join(GLOBALS_FILE).exists()) || !data.globals.variables.is_empty() {
        bw.globals = Some(data.globals.clone());
    }
    name_of(store, Place::Workspace(ws), &mut bw.file_names);
    for env in data.environments.values() {
        bw.environments.push(env.clone());
        name_of(store, Place::Environment(env.id), &mut bw.file_names);
    }
    for preset in data.header_presets.values() {
        bw.header_presets.push(preset.clone());
        name_of(store, Place::Preset(preset.id), &mut bw.file_names);
    }
    for c in data.collections.values() {
        bw.collections.push(c.clone());
        name_of(store, Place::Collection(c.id), &mut bw.file_names);
        add_subtree(store, data, ParentId::Collection(c.id), &mut bw);
    }
    if let Some(dir) = &dir {
        let cookies = dir.join(COOKIES_FILE);
        if cookies.exists() {
            match read_document::<CookieJar>(&cookies) {
                Ok(parsed) => bw.cookies = Some(parsed.entity),
                Err(e) => report.warn(cookies.display().to_string(), format!("left out: {e}")),
            }
        }
        if options.include_history {
            let (mut entries, problems) = history::load(dir, usize::MAX);
            entries.reverse(); // oldest first
            bw.history = entries;
            for p in problems {
                report.warn(p.path.display().to_string(), format!("history entry left out: {}", p.kind));
            }
        }
        if options.include_runs {
            let (mut list, problems) = runs::load(dir);
            list.reverse();
            bw.runs = list;
            for p in problems {
                report.warn(p.path.display().to_string(), format!("run result left out: {}", p.kind));
            }
        }
    }
    bw
}

/// For a collection, folder or environment: the history of its requests and the runs of it.
pub(super) fn add_related_records(
    store: &Store,
    contents: &Contents,
    bw: &mut BundleWorkspace,
    options: ExportOptions,
    report: &mut Report,
) {
    let Some(dir) = store.path_of(Place::Workspace(bw.workspace.id)) else { return };
    if options.include_history && !bw.requests.is_empty() {
        let ids: std::collections::HashSet<RequestId> = bw.requests.iter().map(|r| r.id).collect();
        let (mut entries, problems) = history::load(dir, usize::MAX);
        entries.retain(|e| e.request_id.is_some_and(|id| ids.contains(&id)));
        entries.reverse();
        bw.history = entries;
        for p in problems {
            report.warn(p.path.display().to_string(), format!("history entry left out: {}", p.kind));
        }
    }
    if options.include_runs {
        let (mut list, problems) = runs::load(dir);
        list.retain(|run| match contents {
            Contents::Collection { id, .. } => run.target.collection == Some(*id),
            // The folder and those below it (its parents are in the bundle only as context).
            Contents::Folder { id, .. } => run.target.folder.is_some_and(|f| {
                f == *id || bw.folders.iter().skip_while(|x| x.id != *id).any(|x| x.id == f)
            }),
            _ => false,
        });
        list.reverse();
        bw.runs = list;
        for p in problems {
            report.warn(p.path.display().to_string(), format!("run result left out: {}", p.kind));
        }
    }
}

/// Adds every folder and request below `parent`, parents before children.
pub(super) fn add_subtree(store: &Store, data: &WorkspaceData, parent: ParentId, bw: &mut BundleWorkspace) {
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
                        name_of(store, Place::Folder(f), &mut bw.file_names);
                        stack.push(ParentId::Folder(f));
                    }
                }
                ItemId::Request(r) => {
                    if let Some(request) = data.requests.get(&r) {
                        bw.requests.push(request.clone());
                        name_of(store, Place::Request(r), &mut bw.file_names);
                    }
                }
            }
        }
    }
}

pub(super) fn name_of(store: &Store, place: Place, names: &mut BTreeMap<Uuid, String>) {
    let id = match place {
        Place::Workspace(id) | Place::Globals(id) => id.0,
        Place::Collection(id) => id.0,
        Place::Folder(id) => id.0,
        Place::Request(id) => id.0,
        Place::Environment(id) => id.0,
        Place::Preset(id) => id.0,
    };
    if let Some(name) = store.path_of(place).and_then(|p| p.file_name()).and_then(|n| n.to_str()) {
        names.insert(id, name.to_owned());
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
