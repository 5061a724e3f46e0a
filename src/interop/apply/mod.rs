//! From an import to the data folder: preview, conflicts, choices, one all-or-nothing write.
//!
//! ```text
//! Imported --plan(&Library, Target)--> ImportPlan (counts, conflicts) --apply(Choices)--> files
//! ```
//!
//! [`plan`] reads nothing and writes nothing: it decides where each imported workspace goes,
//! gives fresh ids to anything whose id is already used elsewhere (another workspace, another
//! variable), and lists the conflicts: items of the target workspace with the same id, and
//! whether they differ. [`apply`] takes the user's [`Choices`] (per import and per item:
//! overwrite, keep both, skip), builds the resulting library in memory and hands it to
//! [`Store::write_library`], which stages every file and moves them into place, all or nothing.
//!
//! What each choice means:
//! - **Overwrite**: the imported item replaces the local one (and moves to where the import puts
//!   it). A container keeps its local-only children, in their places next to the imported ones.
//!   An empty secret value in the import never wipes a value that is here.
//! - **Keep both**: the imported item comes in as a copy with new ids (a container with its whole
//!   subtree) named "<name> (imported)"; the local one is untouched.
//! - **Skip**: the local item stays as it is. A skipped container still receives the imported
//!   children that are new here.

use std::collections::{HashMap, HashSet};
use std::fmt;

use uuid::Uuid;

use super::bundle::Counts;
use super::{Format, Imported, Report};
use crate::model::*;
use crate::storage::stage::{Extras, Written};
use crate::storage::{Store, StoreError};

/// Where an import goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A bundle's workspaces go back to the workspaces with their ids (created when missing);
    /// anything else goes into the first workspace (created when there is none).
    Auto,
    /// Everything goes into this existing workspace.
    Workspace(WorkspaceId),
    /// Everything goes into a new workspace with this name.
    NewWorkspace(String),
}

/// The kind of an item that can conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Workspace,
    Settings,
    Globals,
    Environment,
    HeaderPreset,
    Collection,
    Folder,
    Request,
}

impl ItemKind {
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Workspace => "workspace",
            ItemKind::Settings => "settings",
            ItemKind::Globals => "globals",
            ItemKind::Environment => "environment",
            ItemKind::HeaderPreset => "header preset",
            ItemKind::Collection => "collection",
            ItemKind::Folder => "folder",
            ItemKind::Request => "request",
        }
    }
}

/// Names an item of an import: its kind and its id as the import has it (for globals, the
/// target workspace's id; for settings, the nil id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemKey {
    pub kind: ItemKind,
    pub id: Uuid,
}

/// An imported item whose id is already in the target workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub key: ItemKey,
    /// The imported item's name.
    pub name: String,
    /// Where the local item is, e.g. `Team / Users API / Admin / Get user`.
    pub local_path: String,
    /// Whether the imported item differs from the local one (containers: their own fields,
    /// not their children, which are items of their own).
    pub changed: bool,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.changed { "changed" } else { "unchanged" };
        write!(f, "{} \"{}\" ({state}; here: {})", self.key.kind.label(), self.name, self.local_path)
    }
}

/// What to do with a conflicting item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resolution {
    Overwrite,
    KeepBoth,
    Skip,
}

impl Resolution {
    pub fn label(self) -> &'static str {
        match self {
            Resolution::Overwrite => "overwrite",
            Resolution::KeepBoth => "keep both",
            Resolution::Skip => "skip",
        }
    }
}

/// The user's choices: one for the whole import, and any per item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choices {
    pub default: Resolution,
    pub items: HashMap<ItemKey, Resolution>,
}

impl Choices {
    pub fn all(default: Resolution) -> Self {
        Self { default, items: HashMap::new() }
    }

    #[must_use]
    pub fn with(mut self, key: ItemKey, resolution: Resolution) -> Self {
        self.items.insert(key, resolution);
        self
    }

    /// The choice for a conflict: its own, else the default for a changed item. An unchanged
    /// item without a choice of its own is overwritten, which writes nothing new (copying or
    /// skipping what is identical would only make duplicates or lose the imported order).
    pub fn for_conflict(&self, conflict: &Conflict) -> Resolution {
        match self.items.get(&conflict.key) {
            Some(r) => *r,
            None if conflict.changed => self.default,
            None => Resolution::Overwrite,
        }
    }
}

/// Where one imported workspace goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedTarget {
    pub workspace: WorkspaceId,
    pub name: String,
    /// The workspace is created by the import.
    pub is_new: bool,
}

/// The preview of an import: what it holds, where it goes, what conflicts. Nothing is written
/// until [`apply`].
#[derive(Clone, Debug)]
pub struct ImportPlan {
    pub format: Format,
    /// `collection "Fastly API"`, `everything (...)`, ...
    pub contains: String,
    pub counts: Counts,
    /// One per imported workspace, in order.
    pub targets: Vec<PlannedTarget>,
    pub conflicts: Vec<Conflict>,
    /// Items given fresh ids because their ids are used in another workspace here.
    pub reidentified: usize,
    /// The import's warnings, then the plan's.
    pub report: Report,
    imported: Imported,
}

impl ImportPlan {
    /// Conflicts where the imported item differs from the local one.
    pub fn changed_conflicts(&self) -> impl Iterator<Item = &Conflict> {
        self.conflicts.iter().filter(|c| c.changed)
    }

    /// The import as it will be written (with any fresh ids).
    pub fn imported(&self) -> &Imported {
        &self.imported
    }

    /// Adds the settings conflict when the import carries settings and the data folder has its
    /// own that differ. [`apply`] checks again against the data folder either way.
    pub fn check_settings(&mut self, local: Option<&Settings>) {
        let Some(imported) = self.imported.bundle.as_ref().and_then(|b| b.settings.as_ref()) else { return };
        let Some(local) = local else { return };
        self.conflicts.retain(|c| c.key.kind != ItemKind::Settings);
        self.conflicts.insert(
            0,
            Conflict {
                key: settings_key(),
                name: "settings".into(),
                local_path: "settings.ron".into(),
                changed: !same_settings(imported, local, self.secrets_left_out()),
            },
        );
    }

    fn secrets_left_out(&self) -> bool {
        self.imported.bundle.as_ref().is_some_and(|b| b.header.secrets == super::bundle::Secrets::Exclude)
    }
}

/// Why an import cannot be planned or written.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("there is no workspace {0} in the data folder")]
    NoSuchWorkspace(WorkspaceId),
    #[error("the data folder changed since the preview: {0}; preview the import again")]
    Stale(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// Items that are new here (copies included).
    pub added: usize,
    /// Items here replaced by a different imported version.
    pub overwritten: usize,
    /// Items here identical to the imported ones (nothing to write).
    pub unchanged: usize,
    pub copied: usize,
    pub skipped: usize,
    pub written: Written,
    pub report: Report,
}

impl Applied {
    /// Counts an item the import replaces: overwritten when it differed, else unchanged.
    fn replaced(&mut self, changed: bool) {
        if changed {
            self.overwritten += 1;
        } else {
            self.unchanged += 1;
        }
    }

    /// "3 added, 1 overwritten, 12 unchanged": the counts that are not zero.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            (self.added, "added"),
            (self.overwritten, "overwritten"),
            (self.unchanged, "unchanged"),
            (self.copied, "copied"),
            (self.skipped, "skipped"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() { "nothing".into() } else { parts.join(", ") }
    }
}

fn settings_key() -> ItemKey {
    ItemKey { kind: ItemKind::Settings, id: Uuid::nil() }
}

// ---- plan ----------------------------------------------------------------------------------------

/// Previews an import into `library`. Pure: reads and writes nothing.
pub fn plan(imported: &Imported, library: &Library, target: &Target) -> Result<ImportPlan, ApplyError> {
    let mut imported = imported.clone();
    let mut report = imported.report.clone();
    let whole = imported.bundle.as_ref().is_some_and(|b| b.header.contains.is_whole_workspaces());
    let secrets_left_out =
        imported.bundle.as_ref().is_some_and(|b| b.header.secrets == super::bundle::Secrets::Exclude);

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
fn library_owners(library: &Library) -> HashMap<Uuid, (WorkspaceId, ItemKind)> {
    let mut out = HashMap::new();
    for data in library.workspaces.values() {
        out.insert(data.id().0, (data.id(), ItemKind::Workspace));
        for (id, kind) in entity_ids(data) {
            out.insert(id, (data.id(), kind));
        }
    }
    out
}

fn entity_ids(data: &WorkspaceData) -> Vec<(Uuid, ItemKind)> {
    let mut out = Vec::with_capacity(data.requests.len() + data.folders.len() + 16);
    out.extend(data.collections.keys().map(|id| (id.0, ItemKind::Collection)));
    out.extend(data.folders.keys().map(|id| (id.0, ItemKind::Folder)));
    out.extend(data.requests.keys().map(|id| (id.0, ItemKind::Request)));
    out.extend(data.environments.keys().map(|id| (id.0, ItemKind::Environment)));
    out.extend(data.header_presets.keys().map(|id| (id.0, ItemKind::HeaderPreset)));
    out
}

/// Which entity owns each variable id (secret values are kept by variable id).
fn variable_owners(library: &Library) -> HashMap<VariableId, ItemKey> {
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

fn variable_lists_mut(data: &mut WorkspaceData, ws: WorkspaceId) -> Vec<(ItemKey, &mut Vec<Variable>)> {
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
fn remap(data: &mut WorkspaceData, map: &HashMap<Uuid, Uuid>) {
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

fn remap_records(history: &mut [HistoryEntry], runs: &mut [RunResult], map: &HashMap<Uuid, Uuid>) {
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

fn conflicts_in(
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
                changed: !same_collection(c, l, secrets_left_out),
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
                    changed: !same_folder(f, l, secrets_left_out),
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
fn tree_order(data: &WorkspaceData) -> Vec<ItemId> {
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
fn same_variables(imported: &[Variable], local: &[Variable], secrets_left_out: bool) -> bool {
    imported.len() == local.len()
        && imported.iter().zip(local).all(|(a, b)| {
            a == b
                || (secrets_left_out
                    && a.secret
                    && a.value.is_empty()
                    && Variable { value: b.value.clone(), ..a.clone() } == *b)
        })
}

fn same_collection(a: &Collection, b: &Collection, secrets_left_out: bool) -> bool {
    same_variables(&a.variables, &b.variables, secrets_left_out)
        && Collection { children: Vec::new(), variables: Vec::new(), ..a.clone() }
            == Collection { children: Vec::new(), variables: Vec::new(), ..b.clone() }
}

fn same_folder(a: &Folder, b: &Folder, secrets_left_out: bool) -> bool {
    same_variables(&a.variables, &b.variables, secrets_left_out)
        && Folder { children: Vec::new(), variables: Vec::new(), ..a.clone() }
            == Folder { children: Vec::new(), variables: Vec::new(), ..b.clone() }
}

fn same_settings(imported: &Settings, local: &Settings, secrets_left_out: bool) -> bool {
    if !secrets_left_out {
        return imported == local;
    }
    let mut merged = imported.clone();
    keep_settings_secrets(&mut merged, local);
    merged == *local
}

fn keep_settings_secrets(imported: &mut Settings, local: &Settings) {
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

// ---- apply ---------------------------------------------------------------------------------------

/// Writes the import as planned and chosen, all or nothing; on success `library` holds the
/// result. On failure nothing in the data folder or in `library` has changed.
pub fn apply(
    plan: &ImportPlan,
    choices: &Choices,
    store: &mut Store,
    library: &mut Library,
) -> Result<Applied, ApplyError> {
    let mut applied = Applied { report: plan.report.clone(), ..Applied::default() };
    let mut next = library.clone();
    let mut extras = Extras::default();
    let conflicts: HashMap<ItemKey, &Conflict> = plan.conflicts.iter().map(|c| (c.key, c)).collect();
    // Whether an item here differs from the imported one (an item not here is new).
    let changed = |key: ItemKey| conflicts.get(&key).is_none_or(|c| c.changed);
    let secrets_left_out = plan.secrets_left_out();
    let bundle = plan.imported.bundle.as_deref();

    for (index, (data, t)) in plan.imported.workspaces.iter().zip(&plan.targets).enumerate() {
        let mut data = data.clone();
        let mut target = t.clone();
        if !t.is_new && !next.workspaces.contains_key(&t.workspace) {
            return Err(ApplyError::Stale(format!("workspace \"{}\" is gone", t.name)));
        }
        let ws_extras = bundle.and_then(|b| b.workspaces.get(&data.id())).cloned().unwrap_or_default();
        let mut history = ws_extras.history.clone();
        let mut runs = ws_extras.runs.clone();

        // Keep both at the workspace level: the whole fragment becomes a new workspace.
        let ws_key = ItemKey { kind: ItemKind::Workspace, id: data.id().0 };
        let ws_choice = conflicts.get(&ws_key).map(|c| choices.for_conflict(c));
        if ws_choice == Some(Resolution::KeepBoth) {
            let map = fresh_map(entity_ids(&data).into_iter().map(|(id, _)| id));
            remap(&mut data, &map);
            remap_records(&mut history, &mut runs, &map);
            fresh_variables_all(&mut data);
            target = PlannedTarget {
                workspace: WorkspaceId::new(),
                name: format!("{} (imported)", data.workspace.name),
                is_new: true,
            };
            applied.copied += 1;
        }

        // Keep both for containers, environments, presets, requests: fresh ids, renamed.
        let mut copy_map = HashMap::new();
        let mut in_copied = HashSet::new();
        for (key, conflict) in &conflicts {
            if choices.for_conflict(conflict) != Resolution::KeepBoth
                || ws_choice == Some(Resolution::KeepBoth)
            {
                continue;
            }
            match key.kind {
                ItemKind::Collection => {
                    let id = CollectionId(key.id);
                    if data.collections.contains_key(&id) {
                        copy_map.insert(key.id, Uuid::new_v4());
                        for r in data.requests_under(ParentId::Collection(id)) {
                            in_copied.insert(r.0);
                        }
                        collect_folders(&data, ParentId::Collection(id), &mut in_copied);
                    }
                }
                ItemKind::Folder => {
                    let id = FolderId(key.id);
                    if data.folders.contains_key(&id) {
                        copy_map.insert(key.id, Uuid::new_v4());
                        for r in data.requests_under(ParentId::Folder(id)) {
                            in_copied.insert(r.0);
                        }
                        collect_folders(&data, ParentId::Folder(id), &mut in_copied);
                    }
                }
                ItemKind::Request if data.requests.contains_key(&RequestId(key.id)) => {
                    copy_map.insert(key.id, Uuid::new_v4());
                }
                ItemKind::Environment if data.environments.contains_key(&EnvironmentId(key.id)) => {
                    copy_map.insert(key.id, Uuid::new_v4());
                }
                ItemKind::HeaderPreset if data.header_presets.contains_key(&PresetId(key.id)) => {
                    copy_map.insert(key.id, Uuid::new_v4());
                }
                _ => {}
            }
        }
        let renamed: HashSet<Uuid> = copy_map.values().copied().collect();
        for id in in_copied {
            copy_map.entry(id).or_insert_with(Uuid::new_v4);
        }
        applied.copied += renamed.len();
        remap(&mut data, &copy_map);
        remap_records(&mut history, &mut runs, &copy_map);
        let copied_ids: HashSet<Uuid> = copy_map.values().copied().collect();
        for c in data.collections.values_mut().filter(|c| copied_ids.contains(&c.id.0)) {
            fresh_variables(&mut c.variables);
            if renamed.contains(&c.id.0) {
                c.name.push_str(" (imported)");
            }
        }
        for f in data.folders.values_mut().filter(|f| copied_ids.contains(&f.id.0)) {
            fresh_variables(&mut f.variables);
            if renamed.contains(&f.id.0) {
                f.name.push_str(" (imported)");
            }
        }
        for r in data.requests.values_mut().filter(|r| renamed.contains(&r.id.0)) {
            r.name.push_str(" (imported)");
        }
        for e in data.environments.values_mut().filter(|e| copied_ids.contains(&e.id.0)) {
            fresh_variables(&mut e.variables);
            e.name.push_str(" (imported)");
        }
        for p in data.header_presets.values_mut().filter(|p| copied_ids.contains(&p.id.0)) {
            p.name.push_str(" (imported)");
        }

        // The target workspace, created when new.
        if target.is_new && !next.workspaces.contains_key(&target.workspace) {
            let mut ws = data.workspace.clone();
            ws.id = target.workspace;
            ws.name.clone_from(&target.name);
            ws.collections.clear();
            ws.environments.clear();
            ws.header_presets.clear();
            let mut fresh = WorkspaceData::new(ws);
            fresh.globals.id = data.globals.id;
            next.workspaces.insert(target.workspace, fresh);
            if ws_extras.has_globals_file {
                extras.globals_files.insert(target.workspace);
            }
            applied.added += 1;
        }
        let Some(dest) = next.workspaces.get_mut(&target.workspace) else { continue };
        let resolve = |key: ItemKey| -> Option<Resolution> {
            // `None`: not here, so new.
            conflicts.get(&key).map(|c| choices.for_conflict(c))
        };
        let whole_here = data.id() == dest.id()
            && bundle.is_some_and(|b| b.header.contains.is_whole_workspaces())
            && !target.is_new;
        let merge_ws_orders = whole_here && resolve(ws_key) == Some(Resolution::Overwrite);
        if merge_ws_orders {
            dest.workspace.name.clone_from(&data.workspace.name);
            dest.workspace.description.clone_from(&data.workspace.description);
            applied.replaced(changed(ws_key));
        } else if whole_here {
            applied.skipped += 1;
        }
        if target.is_new && data.id() == dest.id() {
            dest.workspace.description.clone_from(&data.workspace.description);
        }

        let globals_choice = resolve(ItemKey { kind: ItemKind::Globals, id: dest.id().0 });
        merge_globals(dest, &data, globals_choice, &mut applied);

        // Environments and presets.
        let mut env_order = Vec::new();
        for env in data.environments.values() {
            let key = ItemKey { kind: ItemKind::Environment, id: env.id.0 };
            match resolve(key) {
                None => {
                    dest.environments.insert(env.id, env.clone());
                    env_order.push(env.id);
                    applied.added += 1;
                }
                Some(Resolution::Overwrite) => {
                    let mut env = env.clone();
                    if let Some(l) = dest.environments.get(&env.id) {
                        keep_local_secrets(&mut env.variables, &l.variables);
                    }
                    dest.environments.insert(env.id, env.clone());
                    env_order.push(env.id);
                    applied.replaced(changed(key));
                }
                Some(_) => {
                    env_order.push(env.id);
                    applied.skipped += 1;
                }
            }
        }
        let env_order_set: HashSet<EnvironmentId> = env_order.iter().copied().collect();
        let imported_env_order: Vec<EnvironmentId> = data
            .workspace
            .environments
            .iter()
            .copied()
            .filter(|id| env_order_set.contains(id))
            .chain(env_order.iter().copied())
            .collect();
        dest.workspace.environments =
            merge_ids(&imported_env_order, &dest.workspace.environments, merge_ws_orders);
        let mut preset_order = Vec::new();
        for p in data.header_presets.values() {
            let key = ItemKey { kind: ItemKind::HeaderPreset, id: p.id.0 };
            match resolve(key) {
                None => {
                    dest.header_presets.insert(p.id, p.clone());
                    applied.added += 1;
                }
                Some(Resolution::Overwrite) => {
                    dest.header_presets.insert(p.id, p.clone());
                    applied.replaced(changed(key));
                }
                Some(_) => applied.skipped += 1,
            }
            preset_order.push(p.id);
        }
        let preset_order_set: HashSet<PresetId> = preset_order.iter().copied().collect();
        let imported_preset_order: Vec<PresetId> = data
            .workspace
            .header_presets
            .iter()
            .copied()
            .filter(|id| preset_order_set.contains(id))
            .chain(preset_order.iter().copied())
            .collect();
        dest.workspace.header_presets =
            merge_ids(&imported_preset_order, &dest.workspace.header_presets, merge_ws_orders);

        // Collections, folders, requests.
        merge_tree(dest, &data, &resolve, &changed, &mut applied);
        let col_ids: Vec<CollectionId> = data.collections.keys().copied().collect();
        let col_ids_set: HashSet<CollectionId> = col_ids.iter().copied().collect();
        let imported_col_order: Vec<CollectionId> = data
            .workspace
            .collections
            .iter()
            .copied()
            .filter(|id| col_ids_set.contains(id))
            .chain(col_ids.iter().copied())
            .collect();
        dest.workspace.collections =
            merge_ids(&imported_col_order, &dest.workspace.collections, merge_ws_orders);

        // Records and names that only a bundle has.
        let dest_id = dest.id();
        extras.history.extend(history.into_iter().map(|h| (dest_id, h)));
        extras.runs.extend(runs.into_iter().map(|r| (dest_id, r)));
        for (id, name) in &ws_extras.file_names {
            extras.names.insert(*id, name.clone());
        }
        let foreign: Vec<Cookie> = if index == 0 { plan.imported.cookies.clone() } else { Vec::new() };
        if ws_extras.cookies.is_some() || !foreign.is_empty() {
            let bundled = ws_extras.cookies.clone().unwrap_or_default();
            if target.is_new {
                extras.cookies.push((dest_id, merge_cookies(bundled, foreign, true)));
            } else {
                let (local, problem) = store.load_cookies(dest_id);
                if let Some(p) = problem {
                    applied
                        .report
                        .warn(p.path.display().to_string(), format!("cookies not imported: {}", p.kind));
                } else {
                    let wins = choices.default == Resolution::Overwrite;
                    let merged = merge_cookies(
                        local.clone(),
                        bundled.cookies.into_iter().chain(foreign).collect(),
                        wins,
                    );
                    if merged != local {
                        extras.cookies.push((dest_id, merged));
                    }
                }
            }
        }
    }

    // Settings: only a full backup carries them.
    if let Some(settings) = bundle.and_then(|b| b.settings.as_ref()) {
        let path = store.root().join(crate::storage::layout::SETTINGS_FILE);
        if path.exists() {
            let (local, problem) = store.load_settings();
            if let Some(p) = problem {
                applied
                    .report
                    .warn(p.path.display().to_string(), format!("settings not imported: {}", p.kind));
            } else if !same_settings(settings, &local, secrets_left_out) {
                let choice =
                    conflicts.get(&settings_key()).map_or(choices.default, |c| choices.for_conflict(c));
                if choice == Resolution::Overwrite {
                    let mut s = settings.clone();
                    keep_settings_secrets(&mut s, &local);
                    extras.settings = Some(s);
                    applied.overwritten += 1;
                } else {
                    applied.skipped += 1;
                }
            }
        } else {
            extras.settings = Some(settings.clone());
            applied.added += 1;
        }
    }

    applied.written = store.write_library(library, &next, &extras)?;
    *library = next;
    Ok(applied)
}

fn collect_folders(data: &WorkspaceData, parent: ParentId, out: &mut HashSet<Uuid>) {
    let Some(children) = data.children(parent) else { return };
    for child in children {
        if let ItemId::Folder(f) = child
            && out.insert(f.0)
        {
            collect_folders(data, ParentId::Folder(*f), out);
        }
    }
}

fn fresh_map(ids: impl Iterator<Item = Uuid>) -> HashMap<Uuid, Uuid> {
    ids.map(|id| (id, Uuid::new_v4())).collect()
}

fn fresh_variables(vars: &mut [Variable]) {
    for v in vars {
        v.id = VariableId::new();
    }
}

fn fresh_variables_all(data: &mut WorkspaceData) {
    let ws = data.id();
    for (_, vars) in variable_lists_mut(data, ws) {
        fresh_variables(vars);
    }
}

/// An empty imported secret keeps the value that is here (matched by id, then by key).
fn keep_local_secrets(imported: &mut [Variable], local: &[Variable]) {
    for v in imported.iter_mut().filter(|v| v.secret && v.value.is_empty()) {
        if let Some(l) =
            local.iter().find(|l| l.id == v.id).or_else(|| local.iter().find(|l| l.key == v.key && l.secret))
        {
            v.value.clone_from(&l.value);
        }
    }
}

fn merge_globals(
    dest: &mut WorkspaceData,
    data: &WorkspaceData,
    choice: Option<Resolution>,
    applied: &mut Applied,
) {
    if data.globals.variables.is_empty() {
        return;
    }
    if dest.globals.variables.is_empty() {
        dest.globals.variables.clone_from(&data.globals.variables);
        applied.added += 1;
        return;
    }
    let overwrite = choice == Some(Resolution::Overwrite);
    let mut vars = dest.globals.variables.clone();
    for v in &data.globals.variables {
        match vars.iter_mut().find(|l| l.key == v.key) {
            Some(l) if overwrite => {
                let mut v = v.clone();
                if v.secret && v.value.is_empty() {
                    v.value.clone_from(&l.value);
                }
                v.id = l.id;
                *l = v;
            }
            Some(_) => {}
            None => vars.push(v.clone()),
        }
    }
    if vars != dest.globals.variables {
        if overwrite {
            applied.overwritten += 1;
        } else {
            applied.added += 1;
        }
    } else {
        applied.skipped += 1;
    }
    dest.globals.variables = vars;
}

/// `imported` order with local-only entries kept right after the entry they follow here; or,
/// when `imported_first` is false, the local order with new entries appended. Linear: a
/// collection of 100,000 requests merges as fast as its size allows.
fn merge_ids<T: Copy + Eq + std::hash::Hash>(imported: &[T], local: &[T], imported_first: bool) -> Vec<T> {
    let mut in_import: HashSet<T> = HashSet::with_capacity(imported.len());
    let unique: Vec<T> = imported.iter().copied().filter(|id| in_import.insert(*id)).collect();
    if !imported_first {
        let here: HashSet<T> = local.iter().copied().collect();
        let mut out = local.to_vec();
        out.extend(unique.into_iter().filter(|id| !here.contains(id)));
        return out;
    }
    // Each local-only run of entries stays attached to the shared entry before it (or the top).
    let mut attached: HashMap<Option<T>, Vec<T>> = HashMap::new();
    let mut after: Option<T> = None;
    for id in local {
        if in_import.contains(id) {
            after = Some(*id);
        } else {
            attached.entry(after).or_default().push(*id);
        }
    }
    let mut out = Vec::with_capacity(unique.len() + local.len());
    out.extend(attached.remove(&None).unwrap_or_default());
    for id in unique {
        out.push(id);
        out.extend(attached.remove(&Some(id)).unwrap_or_default());
    }
    out
}

/// Merges the imported collections, folders and requests into `dest`.
fn merge_tree(
    dest: &mut WorkspaceData,
    data: &WorkspaceData,
    resolve: &dyn Fn(ItemKey) -> Option<Resolution>,
    changed: &dyn Fn(ItemKey) -> bool,
    applied: &mut Applied,
) {
    let key_of = |item: ItemId| match item {
        ItemId::Folder(f) => ItemKey { kind: ItemKind::Folder, id: f.0 },
        ItemId::Request(r) => ItemKey { kind: ItemKind::Request, id: r.0 },
    };
    // Which imported items land where they are in the import (new or overwritten).
    let landing =
        |item: ItemId| !matches!(resolve(key_of(item)), Some(Resolution::Skip | Resolution::KeepBoth));
    let local_parents = dest.parent_index();
    // Overwritten items that move away from their local parent leave it.
    let imported_parents = data.parent_index();
    let mut leaving: HashMap<ParentId, HashSet<ItemId>> = HashMap::new();
    for (item, new_parent) in &imported_parents {
        if landing(*item)
            && let Some(old) = local_parents.get(item)
            && old != new_parent
        {
            leaving.entry(*old).or_default().insert(*item);
        }
    }
    for (parent, items) in &leaving {
        if let Some(children) = dest.children_mut(*parent) {
            children.retain(|c| !items.contains(c));
        }
    }

    let landing_children =
        |children: &[ItemId]| -> Vec<ItemId> { children.iter().copied().filter(|c| landing(*c)).collect() };
    for c in data.collections.values() {
        let key = ItemKey { kind: ItemKind::Collection, id: c.id.0 };
        let incoming = landing_children(&c.children);
        match (resolve(key), dest.collections.get_mut(&c.id)) {
            (Some(Resolution::Overwrite), Some(local)) => {
                let mut merged = c.clone();
                keep_local_secrets(&mut merged.variables, &local.variables);
                merged.children = merge_ids(&incoming, &local.children, true);
                *local = merged;
                applied.replaced(changed(key));
            }
            (Some(_), Some(local)) => {
                local.children = merge_ids(&incoming, &local.children, false);
                applied.skipped += 1;
            }
            _ => {
                let mut merged = c.clone();
                merged.children = incoming;
                dest.collections.insert(c.id, merged);
                applied.added += 1;
            }
        }
    }
    for f in data.folders.values() {
        let key = ItemKey { kind: ItemKind::Folder, id: f.id.0 };
        let incoming = landing_children(&f.children);
        match (resolve(key), dest.folders.get_mut(&f.id)) {
            (Some(Resolution::Overwrite), Some(local)) => {
                let mut merged = f.clone();
                keep_local_secrets(&mut merged.variables, &local.variables);
                merged.children = merge_ids(&incoming, &local.children, true);
                *local = merged;
                applied.replaced(changed(key));
            }
            (Some(_), Some(local)) => {
                local.children = merge_ids(&incoming, &local.children, false);
                applied.skipped += 1;
            }
            _ => {
                let mut merged = f.clone();
                merged.children = incoming;
                dest.folders.insert(f.id, merged);
                applied.added += 1;
            }
        }
    }
    for r in data.requests.values() {
        let key = ItemKey { kind: ItemKind::Request, id: r.id.0 };
        match resolve(key) {
            None => {
                dest.requests.insert(r.id, r.clone());
                applied.added += 1;
            }
            Some(Resolution::Overwrite) => {
                dest.requests.insert(r.id, r.clone());
                applied.replaced(changed(key));
            }
            Some(_) => applied.skipped += 1,
        }
    }
}

/// Cookies by (name, domain, path); `imported_wins` decides a clash.
fn merge_cookies(mut jar: CookieJar, incoming: Vec<Cookie>, imported_wins: bool) -> CookieJar {
    for c in incoming {
        match jar.cookies.iter_mut().find(|l| l.name == c.name && l.domain == c.domain && l.path == c.path) {
            Some(l) if imported_wins => *l = c,
            Some(_) => {}
            None => jar.cookies.push(c),
        }
    }
    jar
}

#[cfg(test)]
mod tests;
