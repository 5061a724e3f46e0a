//! The data folder: the only code that reads or writes a user's files.
//!
//! Every entity is one RON file (see [`layout`] for the tree), written atomically
//! ([`atomic`]) in an envelope carrying its format version ([`document`]). Loading is tolerant
//! ([`load`]): a broken file is reported with its path, line and column, the rest loads, and the
//! broken file is never written over. Secret variable values go to one private file, never into
//! the shareable ones.

pub mod atomic;
pub mod doctor;
pub mod document;
pub mod error;
pub mod graphql;
pub mod history;
pub mod layout;
pub mod load;
pub mod records;
pub mod repair;
pub mod reset;
pub mod runs;
pub mod sample;
pub mod stage;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

pub use error::{LoadReport, Problem, ProblemKind, Repair, RepairKind, Severity, StoreError};

use self::atomic::{sync_dir, write_atomic};
use self::document::{Document, FolderIndex, SecretValues};
use self::layout::*;
use crate::model::*;

/// Where the data folder is when nothing says otherwise: the platform's data directory
/// (`$XDG_DATA_HOME/localpost` on Linux).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "Localpost")
        .map(|d| d.data_dir().to_owned())
        .unwrap_or_else(|| PathBuf::from(".localpost"))
}

/// The environment variable that overrides the default data folder.
pub const DATA_DIR_ENV: &str = "LOCALPOST_DATA_DIR";

/// A file or folder of the data folder, by the entity it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// The workspace's folder.
    Workspace(WorkspaceId),
    Globals(WorkspaceId),
    /// The collection's folder.
    Collection(CollectionId),
    /// The folder's folder.
    Folder(FolderId),
    Request(RequestId),
    Environment(EnvironmentId),
    Preset(PresetId),
}

/// What the store knows about the files: where each entity is and which files are broken.
/// The maps with one entry per entity use a fast hash: loading 100,000 requests is mostly
/// inserting into them.
#[derive(Debug, Default)]
pub struct StoreIndex {
    pub(crate) order: Vec<WorkspaceId>,
    pub(crate) places: foldhash::HashMap<Place, PathBuf>,
    /// Files that did not load, with why; never written.
    pub(crate) broken: HashMap<PathBuf, String>,
    /// Entities whose file exists but did not load, by id (read from the damaged text or from
    /// the parent's order): nothing may write the same entity elsewhere while it is there.
    pub(crate) broken_ids: HashMap<uuid::Uuid, PathBuf>,
    pub(crate) secrets: SecretValues,
    pub(crate) secret_owners: HashMap<VariableId, Place>,
    /// The hash of each entity file as last read or written here; a different file on disk
    /// means another program (or window) changed it since.
    pub(crate) fingerprints: foldhash::HashMap<PathBuf, u64>,
}

/// Whether a save may replace a file another program changed since it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// Refuse with [`StoreError::ChangedOnDisk`] (the default).
    Checked,
    /// The user chose to replace the version on disk.
    Overwrite,
}

/// An open data folder.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    index: StoreIndex,
    history: history::Keeper,
}

/// A freshly opened data folder: the store, what it holds, and what was wrong.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub library: Library,
    pub report: LoadReport,
}

/// The name of the workspace a first start creates.
pub const FIRST_WORKSPACE: &str = "My Workspace";

impl Store {
    /// Opens `root`, creating it with one workspace named "My Workspace" on a first start.
    pub fn open(root: &Path) -> Result<Opened, StoreError> {
        if root.exists() && !root.is_dir() {
            return Err(StoreError::NotAFolder { path: root.to_owned() });
        }
        fs::create_dir_all(root).map_err(|e| StoreError::write(root, e))?;
        let mut opened = Self::open_existing(root)?;
        if opened.library.workspaces.is_empty() && opened.report.errors().next().is_none() {
            let ws = Workspace::new(FIRST_WORKSPACE);
            opened.store.create_workspace(&ws)?;
            opened.library.workspaces.insert(ws.id, WorkspaceData::new(ws));
        }
        Ok(opened)
    }

    /// Opens an existing `root` without creating anything. What a crash left is put right
    /// first (see [`repair`]): an interrupted import finished or undone, leftover temp files
    /// removed; the report's `repairs` say what was done.
    pub fn open_existing(root: &Path) -> Result<Opened, StoreError> {
        match fs::metadata(root) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(StoreError::NotAFolder { path: root.to_owned() }),
            Err(e) => return Err(StoreError::read(root, e)),
        }
        let (mut repairs, mut problems) = repair::interrupted_writes(root);
        let loaded = load::load(root);
        repairs.extend(repair::temp_files(&loaded.temp_files));
        let mut report = loaded.report;
        problems.append(&mut report.problems);
        report.problems = problems;
        report.repairs = repairs;
        Ok(Opened {
            store: Store { root: root.to_owned(), index: loaded.index, history: history::Keeper::default() },
            library: loaded.library,
            report,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file (or, for containers, folder) an entity lives in.
    pub fn path_of(&self, place: Place) -> Option<&Path> {
        self.index.places.get(&place).map(PathBuf::as_path)
    }

    /// The file an entity is read from and written to.
    pub fn file_of(&self, place: Place) -> Option<PathBuf> {
        let path = self.path_of(place)?;
        Some(match place {
            Place::Workspace(_) => path.join(WORKSPACE_FILE),
            Place::Collection(_) => path.join(COLLECTION_FILE),
            Place::Folder(_) => path.join(FOLDER_FILE),
            _ => path.to_owned(),
        })
    }

    /// Whether `path` (reported by a file watcher) changed from outside: an entity file whose
    /// content is not what this store last read or wrote, one that appeared, or one that went.
    /// The store's own writes, temp files, history, runs and the app's files are not changes.
    pub fn is_external_change(&self, path: &Path) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let own = name.starts_with('.')
            || !name.ends_with(".ron")
            || APP_FILES.contains(&name.as_str())
            || name == COOKIES_FILE
            || name == SECRETS_FILE
            || path.components().any(|c| c.as_os_str() == HISTORY_DIR || c.as_os_str() == RUNS_DIR)
            || path.starts_with(self.root.join(GRAPHQL_DIR));
        if own || !path.starts_with(&self.root) {
            return false;
        }
        match (load::read_regular(path), self.index.fingerprints.get(path)) {
            (Ok(bytes), Some(known)) => document::fingerprint(&bytes) != *known,
            // A new file, or a broken one rewritten: worth a look.
            (Ok(_), None) => true,
            // Gone: it matters only if it was one of ours.
            (Err(_), known) => known.is_some(),
        }
    }

    /// The folder of a workspace, where its history and runs live too.
    pub fn workspace_dir(&self, ws: WorkspaceId) -> Result<&Path, StoreError> {
        self.path_of(Place::Workspace(ws)).ok_or_else(|| unknown("workspace", ws))
    }

    /// Broken files and why they did not load.
    pub fn broken_files(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.index.broken.iter().map(|(p, r)| (p.as_path(), r.as_str()))
    }

    // ---- workspaces -------------------------------------------------------------------------

    /// Creates a new workspace's folder and file, and lists it last.
    pub fn create_workspace(&mut self, ws: &Workspace) -> Result<(), StoreError> {
        let parent = self.root.join(WORKSPACES_DIR);
        let dir = self.new_dir(&parent, &ws.name)?;
        self.index.places.insert(Place::Workspace(ws.id), dir.clone());
        self.index.places.insert(Place::Globals(ws.id), dir.join(GLOBALS_FILE));
        self.write_entity(&dir.join(WORKSPACE_FILE), ws)?;
        if !self.index.order.contains(&ws.id) {
            let mut order = self.index.order.clone();
            order.push(ws.id);
            self.set_workspace_order(&order)?;
        }
        Ok(())
    }

    /// Saves a workspace's own file (name, description, orders); renames its folder with its name.
    pub fn save_workspace(&mut self, ws: &Workspace) -> Result<(), StoreError> {
        if !self.index.places.contains_key(&Place::Workspace(ws.id)) {
            return self.create_workspace(ws);
        }
        let dir = self.rename_dir_for(Place::Workspace(ws.id), &ws.name, WORKSPACE_FILE)?;
        self.write_entity(&dir.join(WORKSPACE_FILE), ws)
    }

    /// Deletes a workspace's folder and everything in it.
    pub fn delete_workspace(&mut self, ws: WorkspaceId) -> Result<(), StoreError> {
        let dir = self.workspace_dir(ws)?.to_owned();
        self.remove_tree(&dir)?;
        let order: Vec<_> = self.index.order.iter().copied().filter(|id| *id != ws).collect();
        self.set_workspace_order(&order)
    }

    /// Saves the user's order of workspaces.
    pub fn set_workspace_order(&mut self, order: &[WorkspaceId]) -> Result<(), StoreError> {
        let index = FolderIndex { workspaces: order.to_vec() };
        self.write_doc(&self.root.join(INDEX_FILE), &index)?;
        self.index.order = order.to_vec();
        Ok(())
    }

    // ---- collections, folders, requests -----------------------------------------------------

    /// Saves a collection (creating its folder when new, renaming it with its name).
    pub fn save_collection(&mut self, ws: WorkspaceId, c: &Collection) -> Result<(), StoreError> {
        let place = Place::Collection(c.id);
        let dir = if self.index.places.contains_key(&place) {
            self.rename_dir_for(place, &c.name, COLLECTION_FILE)?
        } else {
            let parent = self.workspace_dir(ws)?.join(COLLECTIONS_DIR);
            let dir = self.new_dir(&parent, &c.name)?;
            self.index.places.insert(place, dir.clone());
            dir
        };
        self.sync_secrets(place, &c.variables)?;
        let shareable = Collection { variables: shareable(&c.variables), ..c.clone() };
        self.write_entity(&dir.join(COLLECTION_FILE), &shareable)
    }

    /// Saves a folder; `parent` places it when new.
    pub fn save_folder(&mut self, parent: ParentId, f: &Folder) -> Result<(), StoreError> {
        let place = Place::Folder(f.id);
        let dir = if self.index.places.contains_key(&place) {
            self.rename_dir_for(place, &f.name, FOLDER_FILE)?
        } else {
            let parent_dir = self.container_dir(parent)?.to_owned();
            let dir = self.new_dir(&parent_dir, &f.name)?;
            self.index.places.insert(place, dir.clone());
            dir
        };
        self.sync_secrets(place, &f.variables)?;
        let shareable = Folder { variables: shareable(&f.variables), ..f.clone() };
        self.write_entity(&dir.join(FOLDER_FILE), &shareable)
    }

    /// Saves a request; `parent` places it when new. Renaming renames its file. Refuses when
    /// another program changed the file since it was read (see [`Self::save_request_with`]).
    pub fn save_request(&mut self, parent: ParentId, r: &Request) -> Result<(), StoreError> {
        self.save_request_with(parent, r, WriteMode::Checked)
    }

    /// Saves a request, replacing a version another program wrote when `mode` says so.
    pub fn save_request_with(
        &mut self,
        parent: ParentId,
        r: &Request,
        mode: WriteMode,
    ) -> Result<(), StoreError> {
        let place = Place::Request(r.id);
        if let Some(old) = self.index.places.get(&place).cloned() {
            self.write_entity_with(&old, r, mode)?;
            if !stem_fits(&old, &r.name, REQUEST_SUFFIX) {
                let dir = old.parent().unwrap_or(&self.root).to_owned();
                let new = free_path(&dir, &slug(&r.name), REQUEST_SUFFIX, |p| p == old);
                if new != old {
                    fs::rename(&old, &new).map_err(|e| StoreError::Move {
                        from: old.clone(),
                        to: new.clone(),
                        error: e,
                    })?;
                    sync_dir(&dir).map_err(|e| StoreError::write(&dir, e))?;
                    self.repath(&old, &new);
                }
            }
            return Ok(());
        }
        let dir = self.container_dir(parent)?.to_owned();
        let path = free_path(&dir, &slug(&r.name), REQUEST_SUFFIX, |_| false);
        self.write_entity(&path, r)?;
        self.index.places.insert(place, path);
        Ok(())
    }

    /// Deletes a collection's folder and everything in it.
    pub fn delete_collection(&mut self, id: CollectionId) -> Result<(), StoreError> {
        let dir = self.path_of(Place::Collection(id)).ok_or_else(|| unknown("collection", id))?.to_owned();
        self.remove_tree(&dir)
    }

    /// Deletes a folder (with everything in it) or a request. The caller saves the parent's order.
    pub fn delete_item(&mut self, item: ItemId) -> Result<(), StoreError> {
        match item {
            ItemId::Folder(id) => {
                let dir = self.path_of(Place::Folder(id)).ok_or_else(|| unknown("folder", id))?.to_owned();
                self.remove_tree(&dir)
            }
            ItemId::Request(id) => {
                let path = self.path_of(Place::Request(id)).ok_or_else(|| unknown("request", id))?.to_owned();
                self.remove_file(&path)?;
                self.index.places.remove(&Place::Request(id));
                Ok(())
            }
        }
    }

    /// Moves a folder or request into another container's folder. The caller saves both orders.
    pub fn move_item(&mut self, item: ItemId, to: ParentId) -> Result<(), StoreError> {
        let to_dir = self.container_dir(to)?.to_owned();
        let (place, suffix) = match item {
            ItemId::Folder(id) => (Place::Folder(id), ""),
            ItemId::Request(id) => (Place::Request(id), REQUEST_SUFFIX),
        };
        let from = self.path_of(place).ok_or_else(|| unknown("item", format!("{item:?}")))?.to_owned();
        if from.parent() == Some(to_dir.as_path()) {
            return Ok(());
        }
        if to_dir.starts_with(&from) {
            return Err(StoreError::Move {
                from: from.clone(),
                to: to_dir,
                error: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "cannot move a folder into itself",
                ),
            });
        }
        let name = from.file_name().and_then(|n| n.to_str()).unwrap_or("untitled");
        let stem = name.strip_suffix(suffix).unwrap_or(name);
        let to = free_path(&to_dir, stem, suffix, |_| false);
        fs::rename(&from, &to).map_err(|e| StoreError::Move {
            from: from.clone(),
            to: to.clone(),
            error: e,
        })?;
        for dir in [to_dir.as_path(), from.parent().unwrap_or(&self.root)] {
            sync_dir(dir).map_err(|e| StoreError::write(dir, e))?;
        }
        self.repath(&from, &to);
        Ok(())
    }

    // ---- environments, globals, presets ------------------------------------------------------

    pub fn save_environment(&mut self, ws: WorkspaceId, env: &Environment) -> Result<(), StoreError> {
        let place = Place::Environment(env.id);
        let path = self.entity_file(place, ws, ENVIRONMENTS_DIR, &env.name)?;
        self.sync_secrets(place, &env.variables)?;
        let shareable = Environment { variables: shareable(&env.variables), ..env.clone() };
        self.write_entity(&path, &shareable)?;
        self.index.places.insert(place, path);
        Ok(())
    }

    pub fn delete_environment(&mut self, id: EnvironmentId) -> Result<(), StoreError> {
        self.delete_file_entity(Place::Environment(id), "environment")
    }

    pub fn save_globals(&mut self, ws: WorkspaceId, globals: &Globals) -> Result<(), StoreError> {
        let path = self.workspace_dir(ws)?.join(GLOBALS_FILE);
        self.sync_secrets(Place::Globals(ws), &globals.variables)?;
        let shareable = Globals { variables: shareable(&globals.variables), ..globals.clone() };
        self.write_entity(&path, &shareable)?;
        self.index.places.insert(Place::Globals(ws), path);
        Ok(())
    }

    pub fn save_preset(&mut self, ws: WorkspaceId, preset: &HeaderPreset) -> Result<(), StoreError> {
        let place = Place::Preset(preset.id);
        let path = self.entity_file(place, ws, PRESETS_DIR, &preset.name)?;
        self.write_entity(&path, preset)?;
        self.index.places.insert(place, path);
        Ok(())
    }

    pub fn delete_preset(&mut self, id: PresetId) -> Result<(), StoreError> {
        self.delete_file_entity(Place::Preset(id), "header preset")
    }

    // ---- history and runs --------------------------------------------------------------------

    /// Appends an entry to the workspace's history as it is (no pruning).
    pub fn append_history(&self, ws: WorkspaceId, entry: &HistoryEntry) -> Result<PathBuf, StoreError> {
        history::append(self.workspace_dir(ws)?, entry)
    }

    /// Appends a send to the workspace's history, pruning it to `settings`' limits now and
    /// then (see [`history::Keeper`]).
    pub fn record_history(
        &mut self,
        ws: WorkspaceId,
        entry: &HistoryEntry,
        settings: &Settings,
    ) -> Result<PathBuf, StoreError> {
        let dir = self.path_of(Place::Workspace(ws)).ok_or_else(|| unknown("workspace", ws))?.to_owned();
        self.history.record(&dir, entry, settings)
    }

    pub fn save_run(&self, ws: WorkspaceId, run: &RunResult) -> Result<PathBuf, StoreError> {
        runs::save(self.workspace_dir(ws)?, run)
    }

    // ---- settings and cookies ----------------------------------------------------------------

    /// The user's settings; defaults when there is no file yet. A broken file is reported, its
    /// defaults used, and it is not written over until fixed.
    pub fn load_settings(&mut self) -> (Settings, Option<Problem>) {
        let path = self.root.join(SETTINGS_FILE);
        self.load_optional(&path, None)
    }

    pub fn save_settings(&self, settings: &Settings) -> Result<(), StoreError> {
        self.write_doc(&self.root.join(SETTINGS_FILE), settings).map(drop)
    }

    /// A workspace's cookie jar; empty when there is none yet.
    pub fn load_cookies(&mut self, ws: WorkspaceId) -> (CookieJar, Option<Problem>) {
        let Ok(dir) = self.workspace_dir(ws) else { return (CookieJar::default(), None) };
        let path = dir.join(COOKIES_FILE);
        self.load_optional(&path, Some(ws))
    }

    pub fn save_cookies(&self, ws: WorkspaceId, jar: &CookieJar) -> Result<(), StoreError> {
        self.write_doc(&self.workspace_dir(ws)?.join(COOKIES_FILE), jar).map(drop)
    }

    /// Reads one of the app's own files at the top of the data folder (see [`APP_FILES`]).
    pub fn load_app_file<T: Document + Default>(&mut self, file_name: &str) -> (T, Option<Problem>) {
        let path = self.root.join(file_name);
        self.load_optional(&path, None)
    }

    /// Writes one of the app's own files at the top of the data folder.
    pub fn save_app_file<T: Document>(&self, file_name: &str, value: &T) -> Result<(), StoreError> {
        debug_assert!(APP_FILES.contains(&file_name), "{file_name} is not an app file");
        self.write_doc(&self.root.join(file_name), value).map(drop)
    }

    fn load_optional<T: Document + Default>(
        &mut self,
        path: &Path,
        ws: Option<WorkspaceId>,
    ) -> (T, Option<Problem>) {
        if !path.exists() {
            return (T::default(), None);
        }
        match load::read_document::<T>(path) {
            Ok(parsed) => {
                let problem = (!parsed.unknown_fields.is_empty()).then(|| Problem {
                    path: path.to_owned(),
                    kind: ProblemKind::UnknownFields(parsed.unknown_fields),
                    workspace: ws,
                    parent: None,
                });
                (parsed.entity, problem)
            }
            Err(kind) => {
                self.index.broken.insert(path.to_owned(), kind.to_string());
                (T::default(), Some(Problem { path: path.to_owned(), kind, workspace: ws, parent: None }))
            }
        }
    }

    // ---- internals ---------------------------------------------------------------------------

    /// Writes an entity's file, refusing when another program changed it since it was read.
    fn write_entity<T: Document>(&mut self, path: &Path, entity: &T) -> Result<(), StoreError> {
        self.write_entity_with(path, entity, WriteMode::Checked)
    }

    fn write_entity_with<T: Document>(
        &mut self,
        path: &Path,
        entity: &T,
        mode: WriteMode,
    ) -> Result<(), StoreError> {
        if mode == WriteMode::Checked
            && let Some(known) = self.index.fingerprints.get(path)
            && let Ok(bytes) = load::read_regular(path)
            && document::fingerprint(&bytes) != *known
        {
            return Err(StoreError::ChangedOnDisk { path: path.to_owned() });
        }
        let text = self.write_doc(path, entity)?;
        self.index.fingerprints.insert(path.to_owned(), document::fingerprint(text.as_bytes()));
        Ok(())
    }

    /// Writes a file, no questions asked (the app's own files); returns the text written.
    fn write_doc<T: Document>(&self, path: &Path, entity: &T) -> Result<String, StoreError> {
        if let Some(reason) = self.index.broken.get(path) {
            return Err(StoreError::Broken { path: path.to_owned(), reason: reason.clone() });
        }
        let text = document::to_text(entity)
            .map_err(|e| StoreError::Encode { what: path.display().to_string(), message: e.to_string() })?;
        write_atomic(path, text.as_bytes(), false).map_err(|e| StoreError::write(path, e))?;
        Ok(text)
    }

    /// The file of a file-per-entity kind (environment, preset), renamed to fit `name`.
    fn entity_file(
        &mut self,
        place: Place,
        ws: WorkspaceId,
        dir_name: &str,
        name: &str,
    ) -> Result<PathBuf, StoreError> {
        if let Some(old) = self.index.places.get(&place).cloned() {
            if stem_fits(&old, name, ".ron") {
                return Ok(old);
            }
            let dir = old.parent().unwrap_or(&self.root).to_owned();
            let new = free_path(&dir, &slug(name), ".ron", |p| p == old);
            fs::rename(&old, &new).map_err(|e| StoreError::Move {
                from: old.clone(),
                to: new.clone(),
                error: e,
            })?;
            self.repath(&old, &new);
            return Ok(new);
        }
        let dir = self.workspace_dir(ws)?.join(dir_name);
        fs::create_dir_all(&dir).map_err(|e| StoreError::write(&dir, e))?;
        Ok(free_path(&dir, &slug(name), ".ron", |_| false))
    }

    fn delete_file_entity(&mut self, place: Place, kind: &'static str) -> Result<(), StoreError> {
        let path = self.path_of(place).ok_or_else(|| unknown(kind, format!("{place:?}")))?.to_owned();
        self.remove_file(&path)?;
        self.index.places.remove(&place);
        self.drop_secrets_of(|owner| owner == place)
    }

    /// The folder of a collection or folder.
    fn container_dir(&self, parent: ParentId) -> Result<&Path, StoreError> {
        match parent {
            ParentId::Collection(id) => {
                self.path_of(Place::Collection(id)).ok_or_else(|| unknown("collection", id))
            }
            ParentId::Folder(id) => self.path_of(Place::Folder(id)).ok_or_else(|| unknown("folder", id)),
        }
    }

    /// Makes a new, uniquely named folder for `name` inside `parent`.
    fn new_dir(&self, parent: &Path, name: &str) -> Result<PathBuf, StoreError> {
        fs::create_dir_all(parent).map_err(|e| StoreError::write(parent, e))?;
        let dir = free_path(parent, &slug(name), "", |_| false);
        fs::create_dir(&dir).map_err(|e| StoreError::write(&dir, e))?;
        Ok(dir)
    }

    /// Renames a container's folder when its name no longer fits; returns the folder.
    fn rename_dir_for(&mut self, place: Place, name: &str, own_file: &str) -> Result<PathBuf, StoreError> {
        let old = self.index.places[&place].clone();
        if stem_fits(&old, name, "") || self.index.broken.contains_key(&old.join(own_file)) {
            return Ok(old);
        }
        let parent = old.parent().unwrap_or(&self.root).to_owned();
        let new = free_path(&parent, &slug(name), "", |p| p == old);
        fs::rename(&old, &new).map_err(|e| StoreError::Move {
            from: old.clone(),
            to: new.clone(),
            error: e,
        })?;
        sync_dir(&parent).map_err(|e| StoreError::write(&parent, e))?;
        self.repath(&old, &new);
        Ok(new)
    }

    /// After `from` moved to `to`, fixes every known path under it.
    fn repath(&mut self, from: &Path, to: &Path) {
        for path in self.index.places.values_mut() {
            if let Ok(rest) = path.strip_prefix(from) {
                *path = if rest.as_os_str().is_empty() { to.to_owned() } else { to.join(rest) };
            }
        }
        let moved: Vec<_> = self.index.fingerprints.keys().filter(|p| p.starts_with(from)).cloned().collect();
        for path in moved {
            if let Some(f) = self.index.fingerprints.remove(&path) {
                let rest = path.strip_prefix(from).map(Path::to_owned).unwrap_or_default();
                self.index
                    .fingerprints
                    .insert(if rest.as_os_str().is_empty() { to.to_owned() } else { to.join(rest) }, f);
            }
        }
        let broken: Vec<_> = self.index.broken.keys().filter(|p| p.starts_with(from)).cloned().collect();
        for path in broken {
            if let Some(reason) = self.index.broken.remove(&path) {
                let rest = path.strip_prefix(from).map(Path::to_owned).unwrap_or_default();
                self.index.broken.insert(to.join(rest), reason);
            }
        }
    }

    fn remove_file(&mut self, path: &Path) -> Result<(), StoreError> {
        self.index.fingerprints.remove(path);
        match fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::Remove { path: path.to_owned(), error: e }),
        }
        let dir = path.parent().unwrap_or(&self.root);
        sync_dir(dir).map_err(|e| StoreError::write(dir, e))
    }

    fn remove_tree(&mut self, dir: &Path) -> Result<(), StoreError> {
        match fs::remove_dir_all(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::Remove { path: dir.to_owned(), error: e }),
        }
        let gone: HashSet<Place> =
            self.index.places.iter().filter(|(_, p)| p.starts_with(dir)).map(|(k, _)| *k).collect();
        self.index.places.retain(|k, _| !gone.contains(k));
        self.index.broken.retain(|p, _| !p.starts_with(dir));
        self.index.fingerprints.retain(|p, _| !p.starts_with(dir));
        self.drop_secrets_of(|owner| gone.contains(&owner))
    }

    /// Keeps the private secrets file in step with an owner's secret variables.
    fn sync_secrets(&mut self, owner: Place, vars: &[Variable]) -> Result<(), StoreError> {
        let wanted: HashMap<VariableId, &str> =
            vars.iter().filter(|v| v.secret).map(|v| (v.id, v.value.as_str())).collect();
        let mut next = self.index.secrets.clone();
        let mut owners = self.index.secret_owners.clone();
        owners.retain(|id, o| {
            let keep = *o != owner || wanted.contains_key(id);
            if !keep {
                next.values.remove(id);
            }
            keep
        });
        for (id, value) in &wanted {
            if next.values.get(id).map(String::as_str) != Some(*value) {
                next.values.insert(*id, (*value).to_owned());
            }
            owners.insert(*id, owner);
        }
        if next != self.index.secrets {
            self.write_secrets(&next)?;
        }
        self.index.secrets = next;
        self.index.secret_owners = owners;
        Ok(())
    }

    fn drop_secrets_of(&mut self, gone: impl Fn(Place) -> bool) -> Result<(), StoreError> {
        let mut next = self.index.secrets.clone();
        self.index.secret_owners.retain(|id, owner| {
            let keep = !gone(*owner);
            if !keep {
                next.values.remove(id);
            }
            keep
        });
        if next != self.index.secrets {
            self.write_secrets(&next)?;
            self.index.secrets = next;
        }
        Ok(())
    }

    fn write_secrets(&self, secrets: &SecretValues) -> Result<(), StoreError> {
        let path = self.root.join(SECRETS_FILE);
        if let Some(reason) = self.index.broken.get(&path) {
            return Err(StoreError::Broken { path, reason: reason.clone() });
        }
        let text = document::to_text(secrets)
            .map_err(|e| StoreError::Encode { what: path.display().to_string(), message: e.to_string() })?;
        write_atomic(&path, text.as_bytes(), true).map_err(|e| StoreError::write(&path, e))
    }
}

/// Variables as written to a shareable file: secret values left out.
fn shareable(vars: &[Variable]) -> Vec<Variable> {
    vars.iter()
        .map(|v| if v.secret { Variable { value: String::new(), ..v.clone() } } else { v.clone() })
        .collect()
}

fn unknown(kind: &'static str, id: impl std::fmt::Display) -> StoreError {
    StoreError::Unknown { kind, id: id.to_string() }
}
