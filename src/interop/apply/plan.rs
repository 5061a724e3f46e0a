//! The plan: where each imported workspace goes, fresh ids where they clash, and the conflicts.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::{ApplyError, Conflict, ImportPlan, ItemKey, ItemKind, PlannedTarget, Target};
use crate::interop::Imported;
use crate::interop::bundle::Counts;
use crate::model::*;

// ---- plan ----------------------------------------------------------------------------------------

/// Previews an import into `library`. Pure: reads and writes nothing.
pub fn plan(imported: &Imported, library: &Library, target: &Target) -> Result<ImportPlan, ApplyError> {
    let mut imported = imported.clone();
    let mut report = imported.report.clone();
    let whole = imported.bundle.as_ref().is_some_and(|b| b.header.contains.is_whole_workspaces());
    let secrets_left_out = imported
        .bundle
        .as_ref()
        .is_some_and(|b| b.header.secrets == crate::interop::bundle::Secrets::Exclude);

    // Where each fragment goes.
    let new_id = WorkspaceId::new();
    let mut targets = Vec::new();
    for data in &imported.workspaces {
        let t = match target {
            Target::Workspace(id) => {
                let ws = library.workspaces.get(id).ok_or(ApplyError::NoSuchWorkspace(*id))?;
                PlannedTarget { workspace: *id, name: ws.workspace.name.clone(), is_new: false }
            }
            Target::NewWorkspace(name) => {
                PlannedTarget { workspace: new_id, name: name.clone(), is_new: true }
            }
            Target::Auto => {
                if let Some(ws) = library.workspaces.get(&data.id()) {
                    PlannedTarget { workspace: ws.id(), name: ws.workspace.name.clone(), is_new: false }
                } else if whole || library.workspaces.is_empty() {
                    PlannedTarget { workspace: data.id(), name: data.workspace.name.clone(), is_new: true }
                } else if let Some(first) = library.workspaces.values().next() {
                    PlannedTarget { workspace: first.id(), name: first.workspace.name.clone(), is_new: false }
                } else {
                    PlannedTarget { workspace: data.id(), name: data.workspace.name.clone(), is_new: true }
                }
            }
        };
        targets.push(t);
    }
    // Several fragments bound for the same new workspace share it.
    let mut seen_new: HashMap<WorkspaceId, usize> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        if t.is_new {
            seen_new.entry(t.workspace).or_insert(i);
        }
    }

    // Fresh ids for ids used elsewhere (another workspace, an earlier fragment, another kind).
    let owners = library_owners(library);
    let var_owners = variable_owners(library);
    let mut claimed: HashSet<Uuid> = HashSet::new();
    let mut reidentified = 0;
    for (data, t) in imported.workspaces.iter_mut().zip(&targets) {
        let mut map = HashMap::new();
        for (id, kind) in entity_ids(data) {
            let elsewhere = owners.get(&id).is_some_and(|(ws, k)| *ws != t.workspace || *k != kind);
            if elsewhere || !claimed.insert(id) {
                map.insert(id, Uuid::new_v4());
            }
        }
        reidentified += map.len();
        remap(data, &map);
        if let Some(extras) = imported.bundle.as_mut().and_then(|b| b.workspaces.get_mut(&data.workspace.id))
        {
            remap_records(&mut extras.history, &mut extras.runs, &map);
        }
        for (owner, vars) in variable_lists_mut(data, t.workspace) {
            for v in vars.iter_mut() {
                let taken = var_owners.get(&v.id).is_some_and(|o| *o != owner);
                if taken || !claimed.insert(v.id.0) {
                    v.id = VariableId::new();
                    claimed.insert(v.id.0);
                }
            }
        }
    }
    if reidentified > 0 {
        report.warn(
            "ids",
            format!("{reidentified} items are already in another workspace here; they come in with new ids"),
        );
    }

    // Conflicts within each target workspace.
    let mut conflicts = Vec::new();
    for (data, t) in imported.workspaces.iter().zip(&targets) {
        let Some(local) = library.workspaces.get(&t.workspace) else { continue };
        conflicts.extend(conflicts_in(data, local, whole && data.id() == local.id(), secrets_left_out));
    }

    let mut counts = Counts::default();
    for data in &imported.workspaces {
        counts.of_workspace(data);
    }
    counts.workspaces =
        targets.iter().filter(|t| t.is_new).map(|t| t.workspace).collect::<HashSet<_>>().len();
    counts.cookies = imported.cookies.len();
    if let Some(b) = &imported.bundle {
        for e in b.workspaces.values() {
            counts.cookies += e.cookies.as_ref().map_or(0, |j| j.cookies.len());
            counts.history += e.history.len();
            counts.runs += e.runs.len();
        }
    }
    let contains = match &imported.bundle {
        Some(b) => b.header.contains.describe(),
        None => imported
            .workspaces
            .iter()
            .map(|w| format!("\"{}\"", w.workspace.name))
            .collect::<Vec<_>>()
            .join(", "),
    };
    Ok(ImportPlan {
        format: imported.format,
        contains,
        counts,
        targets,
        conflicts,
        reidentified,
        report,
        imported,
    })
}

/// Every entity id of the library, with its workspace and kind.
pub(super) fn library_owners(library: &Library) -> HashMap<Uuid, (WorkspaceId, ItemKind)> {
    let mut out = HashMap::new();
    for data in library.workspaces.values() {
        out.insert(data.id().0, (data.id(), ItemKind::Workspace));
        for (id, kind) in entity_ids(data) {
            out.insert(id, (data.id(), kind));
        }
    }
    out
}

pub(super) fn entity_ids(data: &WorkspaceData) -> Vec<(Uuid, ItemKind)> {
    let mut out = Vec::with_capacity(data.requests.len() + data.folders.len() + 16);
    out.extend(data.collections.keys().map(|id| (id.0, ItemKind::Collection)));
    out.extend(data.folders.keys().map(|id| (id.0, ItemKind::Folder)));
    out.extend(data.requests.keys().map(|id| (id.0, ItemKind::Request)));
    out.extend(data.environments.keys().map(|id| (id.0, ItemKind::Environment)));
    out.extend(data.header_presets.keys().map(|id| (id.0, ItemKind::HeaderPreset)));
    out
}

/// Which entity owns each variable id (secret values are kept by variable id).
pub(super) fn variable_owners(library: &Library) -> HashMap<VariableId, ItemKey> {
    let mut out = HashMap::new();
    for data in library.workspaces.values() {
        let mut data = data.clone();
        let ws = data.id();
        for (owner, vars) in variable_lists_mut(&mut data, ws) {
            for v in vars.iter() {
                out.insert(v.id, owner);
            }
        }
    }
    out
}

pub(super) fn variable_lists_mut(
    data: &mut WorkspaceData,
    ws: WorkspaceId,
) -> Vec<(ItemKey, &mut Vec<Variable>)> {
    let mut out = vec![(ItemKey { kind: ItemKind::Globals, id: ws.0 }, &mut data.globals.variables)];
    out.extend(
        data.environments
            .values_mut()
            .map(|e| (ItemKey { kind: ItemKind::Environment, id: e.id.0 }, &mut e.variables)),
    );
    out.extend(
        data.collections
            .values_mut()
            .map(|c| (ItemKey { kind: ItemKind::Collection, id: c.id.0 }, &mut c.variables)),
    );
    out.extend(
        data.folders.values_mut().map(|f| (ItemKey { kind: ItemKind::Folder, id: f.id.0 }, &mut f.variables)),
    );
    out
}

/// Gives the entities named in `map` their new ids, everywhere they are referenced.
pub(super) fn remap(data: &mut WorkspaceData, map: &HashMap<Uuid, Uuid>) {
    if map.is_empty() {
        return;
    }
    let m = |u: Uuid| map.get(&u).copied().unwrap_or(u);
    let item = |i: &ItemId| match *i {
        ItemId::Folder(f) => ItemId::Folder(FolderId(m(f.0))),
        ItemId::Request(r) => ItemId::Request(RequestId(m(r.0))),
    };
    let ws = &mut data.workspace;
    ws.collections = ws.collections.iter().map(|c| CollectionId(m(c.0))).collect();
    ws.environments = ws.environments.iter().map(|e| EnvironmentId(m(e.0))).collect();
    ws.header_presets = ws.header_presets.iter().map(|p| PresetId(m(p.0))).collect();
    data.collections = std::mem::take(&mut data.collections)
        .into_values()
        .map(|mut c| {
            c.id = CollectionId(m(c.id.0));
            c.children = c.children.iter().map(item).collect();
            (c.id, c)
        })
        .collect();
    data.folders = std::mem::take(&mut data.folders)
        .into_values()
        .map(|mut f| {
            f.id = FolderId(m(f.id.0));
            f.children = f.children.iter().map(item).collect();
            (f.id, f)
        })
        .collect();
    data.requests = std::mem::take(&mut data.requests)
        .into_values()
        .map(|mut r| {
            r.id = RequestId(m(r.id.0));
            for e in &mut r.examples {
                e.source_request = e.source_request.map(|s| RequestId(m(s.0)));
            }
            (r.id, r)
        })
        .collect();
    data.environments = std::mem::take(&mut data.environments)
        .into_values()
        .map(|mut e| {
            e.id = EnvironmentId(m(e.id.0));
            (e.id, e)
        })
        .collect();
    data.header_presets = std::mem::take(&mut data.header_presets)
        .into_values()
        .map(|mut p| {
            p.id = PresetId(m(p.id.0));
            (p.id, p)
        })
        .collect();
}

pub(super) fn remap_records(history: &mut [HistoryEntry], runs: &mut [RunResult], map: &HashMap<Uuid, Uuid>) {
    if map.is_empty() {
        return;
    }
    let m = |u: Uuid| map.get(&u).copied().unwrap_or(u);
    for e in history {
        e.request_id = e.request_id.map(|r| RequestId(m(r.0)));
    }
    for run in runs {
        run.target.collection = run.target.collection.map(|c| CollectionId(m(c.0)));
        run.target.folder = run.target.folder.map(|f| FolderId(m(f.0)));
        for o in &mut run.results {
            o.request = o.request.map(|r| RequestId(m(r.0)));
        }
    }
}

pub(super) fn conflicts_in(
    data: &WorkspaceData,
    local: &WorkspaceData,
    whole: bool,
    secrets_left_out: bool,
) -> Vec<Conflict> {
    let mut out = Vec::new();
    let ws_name = &local.workspace.name;
    if whole {
        let (a, b) = (&data.workspace, &local.workspace);
        out.push(Conflict {
            key: ItemKey { kind: ItemKind::Workspace, id: a.id.0 },
            name: a.name.clone(),
            local_path: ws_name.clone(),
            changed: a.name != b.name || a.description != b.description,
        });
    }
    if !data.globals.variables.is_empty() && !local.globals.variables.is_empty() {
        let changed = !same_variables(&data.globals.variables, &local.globals.variables, secrets_left_out);
        out.push(Conflict {
            key: ItemKey { kind: ItemKind::Globals, id: local.id().0 },
            name: "globals".into(),
            local_path: format!("{ws_name} / globals"),
            changed,
        });
    }
    for env in data.environments.values() {
        if let Some(l) = local.environments.get(&env.id) {
            out.push(Conflict {
                key: ItemKey { kind: ItemKind::Environment, id: env.id.0 },
                name: env.name.clone(),
                local_path: format!("{ws_name} / {}", l.name),
                changed: env.name != l.name
                    || !same_variables(&env.variables, &l.variables, secrets_left_out),
            });
        }
    }
    for p in data.header_presets.values() {
        if let Some(l) = local.header_presets.get(&p.id) {
            out.push(Conflict {
                key: ItemKey { kind: ItemKind::HeaderPreset, id: p.id.0 },
                name: p.name.clone(),
                local_path: format!("{ws_name} / {}", l.name),
                changed: p != l,
            });
        }
    }
    let parents = local.parent_index();
    let path_of = |item: Option<ItemId>, name: &str| {
        let mut parts = vec![name.to_owned()];
        let mut cur = item;
        let mut guard = 0;
        while let Some(i) = cur {
            guard += 1;
            match parents.get(&i) {
                Some(ParentId::Folder(f)) if guard < 256 => {
                    parts.push(local.folders.get(f).map(|f| f.name.clone()).unwrap_or_default());
                    cur = Some(ItemId::Folder(*f));
                }
                Some(ParentId::Collection(c)) => {
                    parts.push(local.collections.get(c).map(|c| c.name.clone()).unwrap_or_default());
                    cur = None;
                }
                _ => cur = None,
            }
        }
        parts.push(ws_name.clone());
        parts.reverse();
        parts.join(" / ")
    };
    for c in data.collections.values() {
        if let Some(l) = local.collections.get(&c.id) {
            out.push(Conflict {
                key: ItemKey { kind: ItemKind::Collection, id: c.id.0 },
                name: c.name.clone(),
                local_path: path_of(None, &l.name),
                changed: !same_container(c, l, secrets_left_out),
            });
        }
    }
    // Folders and requests in the import's tree order.
    for item in tree_order(data) {
        match item {
            ItemId::Folder(id) => {
                let (Some(f), Some(l)) = (data.folders.get(&id), local.folders.get(&id)) else { continue };
                out.push(Conflict {
                    key: ItemKey { kind: ItemKind::Folder, id: id.0 },
                    name: f.name.clone(),
                    local_path: path_of(Some(item), &l.name),
                    changed: !same_container(f, l, secrets_left_out),
                });
            }
            ItemId::Request(id) => {
                let (Some(r), Some(l)) = (data.requests.get(&id), local.requests.get(&id)) else { continue };
                out.push(Conflict {
                    key: ItemKey { kind: ItemKind::Request, id: id.0 },
                    name: r.name.clone(),
                    local_path: path_of(Some(item), &l.name),
                    changed: r != l,
                });
            }
        }
    }
    out
}

/// Every folder and request, depth first in each collection's order.
pub(super) fn tree_order(data: &WorkspaceData) -> Vec<ItemId> {
    let mut out = Vec::with_capacity(data.folders.len() + data.requests.len());
    let mut seen = HashSet::new();
    fn walk(data: &WorkspaceData, parent: ParentId, out: &mut Vec<ItemId>, seen: &mut HashSet<ItemId>) {
        let Some(children) = data.children(parent) else { return };
        for child in children {
            if !seen.insert(*child) {
                continue;
            }
            out.push(*child);
            if let ItemId::Folder(f) = child {
                walk(data, ParentId::Folder(*f), out, seen);
            }
        }
    }
    for c in data.collections.keys() {
        walk(data, ParentId::Collection(*c), &mut out, &mut seen);
    }
    out
}

/// Equal variables, where an empty imported secret (left out of a bundle) matches any value.
pub(super) fn same_variables(imported: &[Variable], local: &[Variable], secrets_left_out: bool) -> bool {
    imported.len() == local.len()
        && imported.iter().zip(local).all(|(a, b)| {
            a == b
                || (secrets_left_out
                    && a.secret
                    && a.value.is_empty()
                    && Variable { value: b.value.clone(), ..a.clone() } == *b)
        })
}

/// Whether two collections (or two folders) are the same, children aside (they merge on their
/// own) and secret values aside when the import left them out.
pub(super) fn same_container<Id: ContainerId>(
    a: &Container<Id>,
    b: &Container<Id>,
    secrets_left_out: bool,
) -> bool {
    same_variables(&a.variables, &b.variables, secrets_left_out)
        && Container { children: Vec::new(), variables: Vec::new(), ..a.clone() }
            == Container { children: Vec::new(), variables: Vec::new(), ..b.clone() }
}

pub(super) fn same_settings(imported: &Settings, local: &Settings, secrets_left_out: bool) -> bool {
    if !secrets_left_out {
        return imported == local;
    }
    let mut merged = imported.clone();
    keep_settings_secrets(&mut merged, local);
    merged == *local
}

pub(super) fn keep_settings_secrets(imported: &mut Settings, local: &Settings) {
    if let (ProxySetting::Manual { password, .. }, ProxySetting::Manual { password: here, .. }) =
        (&mut imported.proxy, &local.proxy)
        && password.is_empty()
    {
        password.clone_from(here);
    }
    for cert in &mut imported.client_certificates {
        if cert.passphrase.is_empty()
            && let Some(l) = local.client_certificates.iter().find(|l| l.host == cert.host)
        {
            cert.passphrase.clone_from(&l.passphrase);
        }
    }
}
