//! All-or-nothing writes of many entities at once (imports and restores).
//!
//! [`Store::write_library`] compares the library as it is with the library as it should be,
//! works out every file that changes, and hands them to [`commit`], which stages them and moves them into place all or nothing, across
//! a crash too (see its module doc).

pub(crate) mod commit;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use uuid::Uuid;

pub use self::commit::Recovered;
#[cfg(test)]
pub(crate) use self::commit::fault;
pub(crate) use self::commit::recover;
use self::commit::{Pending, commit};
use super::document::{self, Document, FolderIndex, SecretValues};
use super::layout::*;
use super::{Place, Store, StoreError, history, runs, shareable};
use crate::model::*;

/// What a write carries besides the library itself.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Preferred file or folder names (the last part of the path) of entities written new, by
    /// entity id: a restore reuses the names the backup came from. A name that is taken or not
    /// a plain file name is ignored.
    pub names: HashMap<Uuid, String>,
    /// The user's settings, written when set.
    pub settings: Option<Settings>,
    /// Cookie jars, written whole.
    pub cookies: Vec<(WorkspaceId, CookieJar)>,
    /// History entries to add (an entry whose file exists is left as is).
    pub history: Vec<(WorkspaceId, HistoryEntry)>,
    /// Run results to add (a run whose file exists is left as is).
    pub runs: Vec<(WorkspaceId, RunResult)>,
    /// New workspaces whose globals file is written even when it holds no variable.
    pub globals_files: HashSet<WorkspaceId>,
}

/// What a merge into the library must respect that lives outside it: the cookie jars of the
/// workspaces it writes into and the settings file, each with the problem reading it, if any.
#[derive(Clone, Debug, Default)]
pub struct LocalFiles {
    pub cookies: HashMap<WorkspaceId, (CookieJar, Option<super::Problem>)>,
    /// `None` when the data folder has no settings file.
    pub settings: Option<(Settings, Option<super::Problem>)>,
}

/// What a write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or replaced.
    pub files: usize,
    /// Files or folders removed (an entity moved to another folder leaves its old place).
    pub removed: usize,
}

impl Store {
    /// Reads what a merge into `workspaces` must respect besides the library (see
    /// [`LocalFiles`]).
    pub fn local_files(&mut self, workspaces: impl IntoIterator<Item = WorkspaceId>) -> LocalFiles {
        let cookies = workspaces.into_iter().map(|ws| (ws, self.load_cookies(ws))).collect();
        let settings = self.root().join(SETTINGS_FILE).exists().then(|| self.load_settings());
        LocalFiles { cookies, settings }
    }

    /// Makes the data folder hold `next`, given that it holds `current` now, plus `extras`, all
    /// or nothing (see the module doc). Entities only in `current` are left alone: this adds
    /// and replaces, it never deletes. On success the store's index follows the new files.
    pub fn write_library(
        &mut self,
        current: &Library,
        next: &Library,
        extras: &Extras,
    ) -> Result<Written, StoreError> {
        let mut plan = Planner {
            root: self.root.clone(),
            broken: &self.index.broken,
            broken_ids: &self.index.broken_ids,
            names: &extras.names,
            places: self.index.places.clone(),
            files: BTreeMap::new(),
            removals: Vec::new(),
            taken: HashSet::new(),
            secrets: self.index.secrets.clone(),
            owners: self.index.secret_owners.clone(),
        };
        for data in next.workspaces.values() {
            plan.workspace(current.workspaces.get(&data.id()), data, extras)?;
        }
        if let Some(settings) = &extras.settings {
            plan.put(self.root.join(SETTINGS_FILE), settings)?;
        }
        let mut order = self.index.order.clone();
        order.extend(next.workspaces.keys().filter(|id| !self.index.order.contains(id)).copied());
        if order != self.index.order {
            plan.put(self.root.join(INDEX_FILE), &FolderIndex { workspaces: order.clone() })?;
        }
        if plan.secrets != self.index.secrets {
            let path = self.root.join(SECRETS_FILE);
            plan.put(path.clone(), &plan.secrets.clone())?;
            if let Some(pending) = plan.files.get_mut(&path) {
                pending.private = true;
            }
        }

        let Planner { places, files, removals, secrets, owners, .. } = plan;
        let written = Written { files: files.len(), removed: removals.len() };
        commit(&self.root, &files, &removals)?;
        // What is on disk now is what this store wrote: later saves must not take it for
        // another program's change.
        for (path, pending) in &files {
            self.index.fingerprints.insert(path.clone(), document::fingerprint(&pending.bytes));
        }
        for removed in &removals {
            self.index.fingerprints.retain(|p, _| !p.starts_with(removed));
        }
        self.index.places = places;
        self.index.secrets = secrets;
        self.index.secret_owners = owners;
        self.index.order = order;
        Ok(written)
    }
}

struct Planner<'a> {
    root: PathBuf,
    broken: &'a HashMap<PathBuf, String>,
    broken_ids: &'a HashMap<Uuid, PathBuf>,
    names: &'a HashMap<Uuid, String>,
    places: foldhash::HashMap<Place, PathBuf>,
    files: BTreeMap<PathBuf, Pending>,
    /// Files and folders moved aside for good (old places of moved entities).
    removals: Vec<PathBuf>,
    /// Paths given out in this write, so two new entities never get the same one.
    taken: HashSet<PathBuf>,
    secrets: SecretValues,
    owners: HashMap<VariableId, Place>,
}

impl Planner<'_> {
    fn put<T: Document>(&mut self, path: PathBuf, entity: &T) -> Result<(), StoreError> {
        if let Some(reason) = self.broken.get(&path) {
            return Err(StoreError::Broken { path, reason: reason.clone() });
        }
        let text = document::to_text(entity)
            .map_err(|e| StoreError::Encode { what: path.display().to_string(), message: e.to_string() })?;
        self.taken.insert(path.clone());
        self.files.insert(path, Pending { bytes: text.into_bytes(), private: false });
        Ok(())
    }

    /// Refuses to give `id` a new file while a file that did not load holds it: the new one
    /// would shadow it (two files, one id) and the damaged one could never be fixed in place.
    fn not_shadowing(&self, id: Uuid, kind: &'static str, name: &str) -> Result<(), StoreError> {
        match self.broken_ids.get(&id) {
            Some(path) => Err(StoreError::Shadowed {
                kind,
                name: name.to_owned(),
                path: path.clone(),
                reason: self.broken.get(path).cloned().unwrap_or_else(|| "it did not load".into()),
            }),
            None => Ok(()),
        }
    }

    /// A free path in `dir` for a new entity: its preferred name if free, else one from `name`.
    fn alloc(&mut self, dir: &Path, id: Uuid, name: &str, suffix: &str, fallback: Option<&str>) -> PathBuf {
        let preferred = self.names.get(&id).map(String::as_str).or(fallback);
        if let Some(file_name) = preferred.filter(|n| plain_name(n, suffix)) {
            let path = dir.join(file_name);
            if !self.taken.contains(&path) && !path.exists() {
                self.taken.insert(path.clone());
                return path;
            }
        }
        let path = free_path(dir, &slug(name), suffix, |p| self.taken.contains(p));
        self.taken.insert(path.clone());
        path
    }

    /// Keeps the secret values in step with an owner's variables (as `Store::sync_secrets`).
    fn sync_secrets(&mut self, owner: Place, vars: &[Variable]) {
        let wanted: HashMap<VariableId, &str> =
            vars.iter().filter(|v| v.secret).map(|v| (v.id, v.value.as_str())).collect();
        let secrets = &mut self.secrets;
        self.owners.retain(|id, o| {
            let keep = *o != owner || wanted.contains_key(id);
            if !keep {
                secrets.values.remove(id);
            }
            keep
        });
        for (id, value) in wanted {
            self.secrets.values.insert(id, value.to_owned());
            self.owners.insert(id, owner);
        }
    }

    fn workspace(
        &mut self,
        cur: Option<&WorkspaceData>,
        next: &WorkspaceData,
        extras: &Extras,
    ) -> Result<(), StoreError> {
        let ws = next.id();
        let is_new = !self.places.contains_key(&Place::Workspace(ws));
        let dir = if let Some(dir) = self.places.get(&Place::Workspace(ws)) {
            dir.clone()
        } else {
            self.not_shadowing(ws.0, "workspace", &next.workspace.name)?;
            let dir = self.alloc(&self.root.join(WORKSPACES_DIR), ws.0, &next.workspace.name, "", None);
            self.places.insert(Place::Workspace(ws), dir.clone());
            self.places.insert(Place::Globals(ws), dir.join(GLOBALS_FILE));
            dir
        };
        if cur.map(|c| &c.workspace) != Some(&next.workspace) {
            self.put(dir.join(WORKSPACE_FILE), &next.workspace)?;
        }
        if cur.map(|c| &c.globals) != Some(&next.globals) {
            let path = dir.join(GLOBALS_FILE);
            let wanted = !next.globals.variables.is_empty()
                || (is_new && extras.globals_files.contains(&ws))
                || (!is_new && path.exists());
            if wanted {
                self.sync_secrets(Place::Globals(ws), &next.globals.variables);
                let file = Globals { variables: shareable(&next.globals.variables), ..next.globals.clone() };
                self.put(path, &file)?;
            }
        }
        for env in next.environments.values() {
            if cur.and_then(|c| c.environments.get(&env.id)) == Some(env) {
                continue;
            }
            let place = Place::Environment(env.id);
            let path = match self.places.get(&place) {
                Some(path) => path.clone(),
                None => {
                    self.not_shadowing(env.id.0, "environment", &env.name)?;
                    let path = self.alloc(&dir.join(ENVIRONMENTS_DIR), env.id.0, &env.name, ".ron", None);
                    self.places.insert(place, path.clone());
                    path
                }
            };
            self.sync_secrets(place, &env.variables);
            self.put(path, &Environment { variables: shareable(&env.variables), ..env.clone() })?;
        }
        for preset in next.header_presets.values() {
            if cur.and_then(|c| c.header_presets.get(&preset.id)) == Some(preset) {
                continue;
            }
            let place = Place::Preset(preset.id);
            let path = match self.places.get(&place) {
                Some(path) => path.clone(),
                None => {
                    self.not_shadowing(preset.id.0, "header preset", &preset.name)?;
                    let path = self.alloc(&dir.join(PRESETS_DIR), preset.id.0, &preset.name, ".ron", None);
                    self.places.insert(place, path.clone());
                    path
                }
            };
            self.put(path, preset)?;
        }

        let tree = Tree { cur, next, cur_parents: cur.map(WorkspaceData::parent_index).unwrap_or_default() };
        let mut visited = HashSet::new();
        for c in next.collections.values() {
            let place = Place::Collection(c.id);
            let cdir = match self.places.get(&place) {
                Some(d) => d.clone(),
                None => {
                    self.not_shadowing(c.id.0, "collection", &c.name)?;
                    let d = self.alloc(&dir.join(COLLECTIONS_DIR), c.id.0, &c.name, "", None);
                    self.places.insert(place, d.clone());
                    d
                }
            };
            if cur.and_then(|w| w.collections.get(&c.id)) != Some(c) {
                self.sync_secrets(place, &c.variables);
                self.put(
                    cdir.join(COLLECTION_FILE),
                    &Collection { variables: shareable(&c.variables), ..c.clone() },
                )?;
            }
            self.children(&tree, ParentId::Collection(c.id), &cdir, false, &mut visited)?;
        }

        for (_, jar) in extras.cookies.iter().filter(|(id, _)| *id == ws) {
            self.put(dir.join(COOKIES_FILE), jar)?;
        }
        for (_, entry) in extras.history.iter().filter(|(id, _)| *id == ws) {
            let path = history::entry_path(&dir, entry);
            if !path.exists() {
                self.put(path, entry)?;
            }
        }
        for (_, run) in extras.runs.iter().filter(|(id, _)| *id == ws) {
            let path = runs::run_path(&dir, run);
            if !path.exists() {
                self.put(path, run)?;
            }
        }
        Ok(())
    }

    /// Writes the children of `parent` (whose folder is `dir`) that are new, changed or moved.
    /// `forced`: the parent itself moved, so everything below is written at its new place.
    fn children(
        &mut self,
        tree: &Tree<'_>,
        parent: ParentId,
        dir: &Path,
        forced: bool,
        visited: &mut HashSet<ItemId>,
    ) -> Result<(), StoreError> {
        let Some(children) = tree.next.children(parent) else { return Ok(()) };
        for child in children {
            if !visited.insert(*child) {
                continue;
            }
            let stays = !forced && tree.cur_parents.get(child) == Some(&parent);
            match *child {
                ItemId::Request(id) => {
                    let Some(r) = tree.next.requests.get(&id) else { continue };
                    let place = Place::Request(id);
                    match self.places.get(&place).cloned() {
                        Some(path) if stays => {
                            if tree.cur.and_then(|w| w.requests.get(&id)) != Some(r) {
                                self.put(path, r)?;
                            }
                        }
                        old => {
                            if old.is_none() {
                                self.not_shadowing(id.0, "request", &r.name)?;
                            }
                            let old_name = old.as_deref().and_then(file_name_of);
                            let path = self.alloc(dir, id.0, &r.name, REQUEST_SUFFIX, old_name.as_deref());
                            if let Some(old) = old {
                                self.removals.push(old);
                            }
                            self.places.insert(place, path.clone());
                            self.put(path, r)?;
                        }
                    }
                }
                ItemId::Folder(id) => {
                    let Some(f) = tree.next.folders.get(&id) else { continue };
                    let place = Place::Folder(id);
                    let (fdir, moved) = match self.places.get(&place).cloned() {
                        Some(fdir) if stays => (fdir, false),
                        old => {
                            if old.is_none() {
                                self.not_shadowing(id.0, "folder", &f.name)?;
                            }
                            let old_name = old.as_deref().and_then(file_name_of);
                            let fdir = self.alloc(dir, id.0, &f.name, "", old_name.as_deref());
                            if let Some(old) = old {
                                self.check_movable(&old)?;
                                self.removals.push(old);
                            }
                            self.places.insert(place, fdir.clone());
                            (fdir, true)
                        }
                    };
                    if moved || tree.cur.and_then(|w| w.folders.get(&id)) != Some(f) {
                        self.sync_secrets(place, &f.variables);
                        self.put(
                            fdir.join(FOLDER_FILE),
                            &Folder { variables: shareable(&f.variables), ..f.clone() },
                        )?;
                    }
                    let had_place = moved && tree.cur.is_some_and(|w| w.folders.contains_key(&id));
                    self.children(tree, ParentId::Folder(id), &fdir, forced || had_place, visited)?;
                }
            }
        }
        Ok(())
    }

    /// A folder that moves is written anew and its old folder removed: refuse when the old
    /// folder holds anything that would be lost (a file that did not load, a file of the user's).
    fn check_movable(&self, old_dir: &Path) -> Result<(), StoreError> {
        if let Some((path, reason)) = self.broken.iter().find(|(p, _)| p.starts_with(old_dir)) {
            return Err(StoreError::Broken { path: path.clone(), reason: reason.clone() });
        }
        let known: HashSet<&Path> = self.places.values().map(PathBuf::as_path).collect();
        let mut stack = vec![old_dir.to_owned()];
        while let Some(dir) = stack.pop() {
            let entries = fs::read_dir(&dir).map_err(|e| StoreError::read(&dir, e))?;
            for entry in entries {
                let path = entry.map_err(|e| StoreError::read(&dir, e))?.path();
                let name = file_name_of(&path).unwrap_or_default();
                if path.is_dir() {
                    stack.push(path);
                } else if !(known.contains(path.as_path()) || name == FOLDER_FILE) {
                    return Err(StoreError::Move {
                        from: old_dir.to_owned(),
                        to: old_dir.to_owned(),
                        error: io::Error::other(format!(
                            "the folder holds {}, which is not part of the data; move it out first",
                            path.display()
                        )),
                    });
                }
            }
        }
        Ok(())
    }
}

struct Tree<'a> {
    cur: Option<&'a WorkspaceData>,
    next: &'a WorkspaceData,
    cur_parents: HashMap<ItemId, ParentId>,
}

fn file_name_of(path: &Path) -> Option<String> {
    path.file_name().and_then(|n| n.to_str()).map(str::to_owned)
}

/// Whether `name` is a plain, visible file name fit for an entity whose files end in `suffix`.
fn plain_name(name: &str, suffix: &str) -> bool {
    let plain = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control);
    if !plain {
        return false;
    }
    match suffix {
        "" => !name.ends_with(".ron"),
        REQUEST_SUFFIX => is_request_file(name),
        _ => name.ends_with(suffix) && name.len() > suffix.len() && !is_request_file(name),
    }
}
