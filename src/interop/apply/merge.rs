//! The merge: the user's choices applied to the plan, the resulting library built in memory.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use uuid::Uuid;

use super::{
    Applied, ApplyError, Choices, Conflict, ImportPlan, ItemKey, ItemKind, LocalFiles, Merged, PlannedTarget,
    Resolution, entity_ids, keep_settings_secrets, remap, remap_records, same_settings, settings_key,
    variable_lists_mut,
};
use crate::interop::bundle::{BundleExtras, WorkspaceExtras};
use crate::model::*;
use crate::storage::stage::Extras;

/// Builds the library an import leaves, as planned and chosen. Pure: what the data folder holds
/// outside the library (cookie jars, the settings file) comes in `local`, read by the caller
/// ([`Store::local_files`]); what to write comes back in [`Merged`], for
/// [`Store::write_library`] to write all or nothing.
pub fn merge(
    plan: &ImportPlan,
    choices: &Choices,
    library: &Library,
    local: &LocalFiles,
) -> Result<Merged, ApplyError> {
    let mut out = Merged {
        library: library.clone(),
        extras: Extras::default(),
        applied: Applied { report: plan.report.clone(), ..Applied::default() },
    };
    let cx = Context {
        choices,
        conflicts: plan.conflicts.iter().map(|c| (c.key, c)).collect(),
        bundle: plan.imported.bundle.as_deref(),
        local,
    };
    for (index, (data, target)) in plan.imported.workspaces.iter().zip(&plan.targets).enumerate() {
        // Cookies read from another tool's file go to the first workspace.
        let foreign_cookies = if index == 0 { plan.imported.cookies.clone() } else { Vec::new() };
        merge_workspace(&cx, data, target, foreign_cookies, &mut out)?;
    }
    // Settings: only a full backup carries them.
    if let Some(settings) = cx.bundle.and_then(|b| b.settings.as_ref()) {
        merge_settings(&cx, settings, plan.secrets_left_out(), &mut out);
    }
    Ok(out)
}

/// What every step of a merge reads: the user's choices, the bundle's extras and the files
/// here outside the library.
struct Context<'p> {
    choices: &'p Choices,
    conflicts: HashMap<ItemKey, &'p Conflict>,
    bundle: Option<&'p BundleExtras>,
    local: &'p LocalFiles,
}

impl Context<'_> {
    /// The choice for an item here; `None`: not here, so new.
    fn resolve(&self, key: ItemKey) -> Option<Resolution> {
        self.conflicts.get(&key).map(|c| self.choices.for_conflict(c))
    }

    /// Whether an item here differs from the imported one (an item not here is new).
    fn changed(&self, key: ItemKey) -> bool {
        self.conflicts.get(&key).is_none_or(|c| c.changed)
    }
}

/// Merges one imported workspace into its planned target, with the records, names and cookies
/// that come with it.
fn merge_workspace(
    cx: &Context,
    data: &WorkspaceData,
    target: &PlannedTarget,
    foreign_cookies: Vec<Cookie>,
    out: &mut Merged,
) -> Result<(), ApplyError> {
    if !target.is_new && !out.library.workspaces.contains_key(&target.workspace) {
        return Err(ApplyError::Stale(format!("workspace \"{}\" is gone", target.name)));
    }
    let mut data = data.clone();
    let mut target = target.clone();
    let ws_extras = cx.bundle.and_then(|b| b.workspaces.get(&data.id())).cloned().unwrap_or_default();
    let mut history = ws_extras.history.clone();
    let mut runs = ws_extras.runs.clone();

    let ws_key = ItemKey { kind: ItemKind::Workspace, id: data.id().0 };
    if cx.resolve(ws_key) == Some(Resolution::KeepBoth) {
        target = copy_workspace(&mut data, &mut history, &mut runs);
        out.applied.copied += 1;
    } else {
        out.applied.copied += copy_kept_both(cx, &mut data, &mut history, &mut runs);
    }
    add_target_workspace(&data, &target, &ws_extras, out);
    let Some(dest) = out.library.workspaces.get_mut(&target.workspace) else { return Ok(()) };
    merge_contents(cx, dest, &data, &target, ws_key, &mut out.applied);

    // Records and names that only a bundle has.
    let dest_id = dest.id();
    out.extras.history.extend(history.into_iter().map(|h| (dest_id, h)));
    out.extras.runs.extend(runs.into_iter().map(|r| (dest_id, r)));
    for (id, name) in &ws_extras.file_names {
        out.extras.names.insert(*id, name.clone());
    }
    if ws_extras.cookies.is_some() || !foreign_cookies.is_empty() {
        let bundled = ws_extras.cookies.clone().unwrap_or_default();
        merge_workspace_cookies(cx, dest_id, target.is_new, bundled, foreign_cookies, out);
    }
    Ok(())
}

/// Keep both at the workspace level: the whole fragment becomes a new workspace, every entity
/// and variable with a fresh id. Returns the new target.
fn copy_workspace(
    data: &mut WorkspaceData,
    history: &mut [HistoryEntry],
    runs: &mut [RunResult],
) -> PlannedTarget {
    let map = fresh_map(entity_ids(data).into_iter().map(|(id, _)| id));
    remap(data, &map);
    remap_records(history, runs, &map);
    fresh_variables_all(data);
    PlannedTarget {
        workspace: WorkspaceId::new(),
        name: format!("{} (imported)", data.workspace.name),
        is_new: true,
    }
}

/// Keep both for containers, environments, presets, requests: fresh ids (for everything under
/// a copied container too), " (imported)" after the names the user chose to copy. Returns how
/// many items were copied.
fn copy_kept_both(
    cx: &Context,
    data: &mut WorkspaceData,
    history: &mut [HistoryEntry],
    runs: &mut [RunResult],
) -> usize {
    let mut copy_map = HashMap::new();
    let mut in_copied = HashSet::new();
    for (key, conflict) in &cx.conflicts {
        if cx.choices.for_conflict(conflict) != Resolution::KeepBoth {
            continue;
        }
        match key.kind {
            ItemKind::Collection if data.collections.contains_key(&CollectionId(key.id)) => {
                copy_map.insert(key.id, Uuid::new_v4());
                copied_subtree(data, ParentId::Collection(CollectionId(key.id)), &mut in_copied);
            }
            ItemKind::Folder if data.folders.contains_key(&FolderId(key.id)) => {
                copy_map.insert(key.id, Uuid::new_v4());
                copied_subtree(data, ParentId::Folder(FolderId(key.id)), &mut in_copied);
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
    remap(data, &copy_map);
    remap_records(history, runs, &copy_map);
    let copied_ids: HashSet<Uuid> = copy_map.values().copied().collect();
    rename_copies(data, &copied_ids, &renamed);
    renamed.len()
}

/// Copies get fresh variable ids; the ones in `renamed` (the copies the user chose, not what
/// came along inside them) get " (imported)" after their names.
fn rename_copies(data: &mut WorkspaceData, copied_ids: &HashSet<Uuid>, renamed: &HashSet<Uuid>) {
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
}

/// The target workspace, created when new (and not yet created for an earlier fragment): the
/// imported workspace's own fields under the target's id and name, without its contents.
fn add_target_workspace(
    data: &WorkspaceData,
    target: &PlannedTarget,
    ws_extras: &WorkspaceExtras,
    out: &mut Merged,
) {
    if !target.is_new || out.library.workspaces.contains_key(&target.workspace) {
        return;
    }
    let mut ws = data.workspace.clone();
    ws.id = target.workspace;
    ws.name.clone_from(&target.name);
    ws.collections.clear();
    ws.environments.clear();
    ws.header_presets.clear();
    let mut fresh = WorkspaceData::new(ws);
    fresh.globals.id = data.globals.id;
    out.library.workspaces.insert(target.workspace, fresh);
    if ws_extras.has_globals_file {
        out.extras.globals_files.insert(target.workspace);
    }
    out.applied.added += 1;
}

/// Merges what the imported workspace holds into `dest`: its name and description (`ws_key`
/// names the imported workspace's choice), globals, environments, presets, collections,
/// folders and requests, and the orders of its lists.
fn merge_contents(
    cx: &Context,
    dest: &mut WorkspaceData,
    data: &WorkspaceData,
    target: &PlannedTarget,
    ws_key: ItemKey,
    applied: &mut Applied,
) {
    let whole_here = data.id() == dest.id()
        && cx.bundle.is_some_and(|b| b.header.contains.is_whole_workspaces())
        && !target.is_new;
    // A whole workspace overwritten here brings its own order of collections, environments and presets.
    let merge_ws_orders = whole_here && cx.resolve(ws_key) == Some(Resolution::Overwrite);
    if merge_ws_orders {
        dest.workspace.name.clone_from(&data.workspace.name);
        dest.workspace.description.clone_from(&data.workspace.description);
        applied.replaced(cx.changed(ws_key));
    } else if whole_here {
        applied.skipped += 1;
    }
    if target.is_new && data.id() == dest.id() {
        dest.workspace.description.clone_from(&data.workspace.description);
    }

    let globals_choice = cx.resolve(ItemKey { kind: ItemKind::Globals, id: dest.id().0 });
    merge_globals(dest, data, globals_choice, applied);

    merge_environments(cx, dest, data, applied);
    let env_ids: Vec<EnvironmentId> = data.environments.values().map(|e| e.id).collect();
    dest.workspace.environments = merge_ids(
        &imported_order(&data.workspace.environments, &env_ids),
        &dest.workspace.environments,
        merge_ws_orders,
    );
    merge_presets(cx, dest, data, applied);
    let preset_ids: Vec<PresetId> = data.header_presets.values().map(|p| p.id).collect();
    dest.workspace.header_presets = merge_ids(
        &imported_order(&data.workspace.header_presets, &preset_ids),
        &dest.workspace.header_presets,
        merge_ws_orders,
    );

    merge_tree(dest, data, &|key| cx.resolve(key), &|key| cx.changed(key), applied);
    let col_ids: Vec<CollectionId> = data.collections.keys().copied().collect();
    dest.workspace.collections = merge_ids(
        &imported_order(&data.workspace.collections, &col_ids),
        &dest.workspace.collections,
        merge_ws_orders,
    );
}

/// The imported order of a workspace's list: the entries it lists that were imported, in its
/// order, then every imported one (`ids`), for [`merge_ids`] to drop the repeats.
fn imported_order<T: Copy + Eq + std::hash::Hash>(listed: &[T], ids: &[T]) -> Vec<T> {
    let imported: HashSet<T> = ids.iter().copied().collect();
    listed.iter().copied().filter(|id| imported.contains(id)).chain(ids.iter().copied()).collect()
}

/// Imported environments: new ones added, overwritten ones replaced (keeping the secret values
/// here that the import left empty), the others skipped.
fn merge_environments(cx: &Context, dest: &mut WorkspaceData, data: &WorkspaceData, applied: &mut Applied) {
    for env in data.environments.values() {
        let key = ItemKey { kind: ItemKind::Environment, id: env.id.0 };
        match cx.resolve(key) {
            None => {
                dest.environments.insert(env.id, env.clone());
                applied.added += 1;
            }
            Some(Resolution::Overwrite) => {
                let mut env = env.clone();
                if let Some(l) = dest.environments.get(&env.id) {
                    keep_local_secrets(&mut env.variables, &l.variables);
                }
                dest.environments.insert(env.id, env);
                applied.replaced(cx.changed(key));
            }
            Some(_) => applied.skipped += 1,
        }
    }
}

/// Imported header presets: new ones added, overwritten ones replaced, the others skipped.
fn merge_presets(cx: &Context, dest: &mut WorkspaceData, data: &WorkspaceData, applied: &mut Applied) {
    for p in data.header_presets.values() {
        let key = ItemKey { kind: ItemKind::HeaderPreset, id: p.id.0 };
        match cx.resolve(key) {
            None => {
                dest.header_presets.insert(p.id, p.clone());
                applied.added += 1;
            }
            Some(Resolution::Overwrite) => {
                dest.header_presets.insert(p.id, p.clone());
                applied.replaced(cx.changed(key));
            }
            Some(_) => applied.skipped += 1,
        }
    }
}

/// The bundled and foreign cookies of a workspace: a new workspace takes them as its jar; one
/// here gets them merged into its jar (the import winning a clash when the default choice is
/// to overwrite), unless that jar could not be read.
fn merge_workspace_cookies(
    cx: &Context,
    dest_id: WorkspaceId,
    is_new: bool,
    bundled: CookieJar,
    foreign: Vec<Cookie>,
    out: &mut Merged,
) {
    if is_new {
        out.extras.cookies.push((dest_id, merge_cookies(bundled, foreign, true)));
        return;
    }
    let (here, problem) = cx.local.cookies.get(&dest_id).cloned().unwrap_or_default();
    if let Some(p) = problem {
        out.applied.report.warn(p.path.display().to_string(), format!("cookies not imported: {}", p.kind));
        return;
    }
    let wins = cx.choices.default == Resolution::Overwrite;
    let merged = merge_cookies(here.clone(), bundled.cookies.into_iter().chain(foreign).collect(), wins);
    if merged != here {
        out.extras.cookies.push((dest_id, merged));
    }
}

/// The settings of a full backup: taken when there are none here, else written over the ones
/// here when chosen (keeping the secrets here that the backup left out).
fn merge_settings(cx: &Context, settings: &Settings, secrets_left_out: bool, out: &mut Merged) {
    let Some((here, problem)) = &cx.local.settings else {
        out.extras.settings = Some(settings.clone());
        out.applied.added += 1;
        return;
    };
    if let Some(p) = problem {
        out.applied.report.warn(p.path.display().to_string(), format!("settings not imported: {}", p.kind));
    } else if !same_settings(settings, here, secrets_left_out) {
        let choice =
            cx.conflicts.get(&settings_key()).map_or(cx.choices.default, |c| cx.choices.for_conflict(c));
        if choice == Resolution::Overwrite {
            let mut s = settings.clone();
            keep_settings_secrets(&mut s, here);
            out.extras.settings = Some(s);
            out.applied.overwritten += 1;
        } else {
            out.applied.skipped += 1;
        }
    }
}

/// Every request and folder under `parent`, which a copy gives fresh ids.
fn copied_subtree(data: &WorkspaceData, parent: ParentId, out: &mut HashSet<Uuid>) {
    out.extend(data.requests_under(parent).into_iter().map(|r| r.0));
    collect_folders(data, parent, out);
}

pub(super) fn collect_folders(data: &WorkspaceData, parent: ParentId, out: &mut HashSet<Uuid>) {
    let Some(children) = data.children(parent) else { return };
    for child in children {
        if let ItemId::Folder(f) = child
            && out.insert(f.0)
        {
            collect_folders(data, ParentId::Folder(*f), out);
        }
    }
}

pub(super) fn fresh_map(ids: impl Iterator<Item = Uuid>) -> HashMap<Uuid, Uuid> {
    ids.map(|id| (id, Uuid::new_v4())).collect()
}

pub(super) fn fresh_variables(vars: &mut [Variable]) {
    for v in vars {
        v.id = VariableId::new();
    }
}

pub(super) fn fresh_variables_all(data: &mut WorkspaceData) {
    let ws = data.id();
    for (_, vars) in variable_lists_mut(data, ws) {
        fresh_variables(vars);
    }
}

/// An empty imported secret keeps the value that is here (matched by id, then by key).
pub(super) fn keep_local_secrets(imported: &mut [Variable], local: &[Variable]) {
    for v in imported.iter_mut().filter(|v| v.secret && v.value.is_empty()) {
        if let Some(l) =
            local.iter().find(|l| l.id == v.id).or_else(|| local.iter().find(|l| l.key == v.key && l.secret))
        {
            v.value.clone_from(&l.value);
        }
    }
}

pub(super) fn merge_globals(
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
pub(super) fn merge_ids<T: Copy + Eq + std::hash::Hash>(
    imported: &[T],
    local: &[T],
    imported_first: bool,
) -> Vec<T> {
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
pub(super) fn merge_tree(
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
    let mut merge = Containers { resolve, changed, landing_children: &landing_children, applied };
    merge.merge(&data.collections, &mut dest.collections, ItemKind::Collection);
    merge.merge(&data.folders, &mut dest.folders, ItemKind::Folder);
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
pub(super) fn merge_cookies(mut jar: CookieJar, incoming: Vec<Cookie>, imported_wins: bool) -> CookieJar {
    for c in incoming {
        match jar.cookies.iter_mut().find(|l| l.name == c.name && l.domain == c.domain && l.path == c.path) {
            Some(l) if imported_wins => *l = c,
            Some(_) => {}
            None => jar.cookies.push(c),
        }
    }
    jar
}

/// Merges imported containers of one kind (collections or folders) into the workspace's.
struct Containers<'a> {
    resolve: &'a dyn Fn(ItemKey) -> Option<Resolution>,
    changed: &'a dyn Fn(ItemKey) -> bool,
    /// The children of an imported container that land with it.
    landing_children: &'a dyn Fn(&[ItemId]) -> Vec<ItemId>,
    applied: &'a mut Applied,
}

impl Containers<'_> {
    /// An overwritten container keeps its local secret values and local-only children; a
    /// skipped one still receives the imported children that land; a new one comes with them.
    fn merge<Id: ContainerId>(
        &mut self,
        imported: &IndexMap<Id, Container<Id>>,
        here: &mut IndexMap<Id, Container<Id>>,
        kind: ItemKind,
    ) {
        for c in imported.values() {
            let key = ItemKey { kind, id: c.id.uuid() };
            let incoming = (self.landing_children)(&c.children);
            match ((self.resolve)(key), here.get_mut(&c.id)) {
                (Some(Resolution::Overwrite), Some(local)) => {
                    let mut merged = c.clone();
                    keep_local_secrets(&mut merged.variables, &local.variables);
                    merged.children = merge_ids(&incoming, &local.children, true);
                    *local = merged;
                    self.applied.replaced((self.changed)(key));
                }
                (Some(_), Some(local)) => {
                    local.children = merge_ids(&incoming, &local.children, false);
                    self.applied.skipped += 1;
                }
                _ => {
                    let mut merged = c.clone();
                    merged.children = incoming;
                    here.insert(c.id, merged);
                    self.applied.added += 1;
                }
            }
        }
    }
}
