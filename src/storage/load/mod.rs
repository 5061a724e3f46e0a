//! Reading a whole data folder: walk the tree, parse every file in parallel, assemble the model,
//! and report (never stop at) what is broken.

mod tree;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::atomic::TEMP_PREFIX;
use super::document::{self, Document, FolderIndex, Parsed, SecretValues};
use super::error::{LoadReport, Problem, ProblemKind};
use super::layout::{self, *};
use super::{Place, StoreIndex};
use crate::model::*;

/// The result of reading a data folder.
pub struct Loaded {
    pub library: Library,
    pub index: StoreIndex,
    pub report: LoadReport,
    /// Temp files found on the way (see [`crate::storage::atomic`]).
    pub temp_files: Vec<PathBuf>,
}

/// Reads `path` and parses it as `T`. Problems carry no workspace or parent; callers add them.
pub fn read_document<T: Document>(path: &Path) -> Result<Parsed<T>, ProblemKind> {
    let bytes = read_regular(path)?;
    let fingerprint = document::fingerprint(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| ProblemKind::NotText)?;
    if text.trim().is_empty() {
        return Err(ProblemKind::Parse { line: 1, column: 1, message: "the file is empty".into() });
    }
    document::from_text(&text).map(|parsed| Parsed { fingerprint, ..parsed })
}

/// Reads a regular file (links followed). Anything else (a folder, a pipe, a socket, a device)
/// is a problem and is never read: a pipe would block the read for ever.
pub fn read_regular(path: &Path) -> Result<Vec<u8>, ProblemKind> {
    use std::io::Read as _;
    let io = |e: std::io::Error| ProblemKind::Io(e.to_string());
    let mut file = open_without_blocking(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::IsADirectory || path.is_dir() {
            ProblemKind::WrongKind { expected: "file" }
        } else {
            io(e)
        }
    })?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ProblemKind::WrongKind { expected: "file" });
    }
    if !meta.is_file() {
        return Err(ProblemKind::NotRegularFile);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// Opens for reading without waiting for a writer (opening a pipe otherwise blocks): one path
/// lookup, then the open file says what it is.
#[cfg(target_os = "linux")]
fn open_without_blocking(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    #[allow(clippy::cast_possible_wrap)] // a flag bit, not a number
    let nonblock = rustix::fs::OFlags::NONBLOCK.bits() as i32;
    fs::OpenOptions::new().read(true).custom_flags(nonblock).open(path)
}

/// Elsewhere: look before opening (a second lookup, but never an open of a pipe).
#[cfg(not(target_os = "linux"))]
fn open_without_blocking(path: &Path) -> std::io::Result<fs::File> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() && !meta.is_dir() {
        return Err(std::io::Error::other("not a regular file (a pipe, socket or device); not read"));
    }
    fs::File::open(path)
}

/// The id of the entity a file that did not parse was meant to hold, when it can still be read
/// from its text (the first `id: "<uuid>"`, which the envelope puts first).
fn salvage_id(path: &Path) -> Option<uuid::Uuid> {
    static ID: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let re = ID
        .get_or_init(|| regex::Regex::new(r#"\bid\s*:\s*"([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})""#).ok())
        .as_ref()?;
    let bytes = read_regular(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    re.captures(&text)?.get(1)?.as_str().parse().ok()
}

/// A stable id for a damaged container whose own id is lost: the same folder gets the same id
/// on every load, so open tabs and references to it survive a restart.
fn placeholder_id(root: &Path, dir: &Path) -> uuid::Uuid {
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6c6f_6361_6c70_6f73_7464_616d_6167_6564);
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    uuid::Uuid::new_v5(&NAMESPACE, rel.to_string_lossy().as_bytes())
}

struct Ctx {
    report: LoadReport,
    index: StoreIndex,
    /// Every id seen, across kinds, with the file that claimed it first.
    seen: foldhash::HashMap<uuid::Uuid, Place>,
    workspace: Option<WorkspaceId>,
    root: PathBuf,
    /// Order entries naming a child not in its parent's folder, settled when the workspace is in.
    unfound: Vec<tree::Unfound>,
    /// Temp files seen (`.lp-tmp-*`): a finished write leaves none, so each is a crash's
    /// leftover or a write in flight; the opener tells them apart and removes the leftovers.
    temp_files: Vec<PathBuf>,
}

impl Ctx {
    fn problem(&mut self, path: &Path, kind: ProblemKind, parent: Option<ParentId>) {
        self.report.problems.push(Problem { path: path.to_owned(), kind, workspace: self.workspace, parent });
    }

    fn broken(&mut self, path: &Path, kind: ProblemKind, parent: Option<ParentId>) {
        self.index.broken.insert(path.to_owned(), kind.to_string());
        self.problem(path, kind, parent);
    }

    /// A broken entity file whose id is known (read from its text or from its parent's order):
    /// an import must not write the same entity beside it.
    fn broken_id(&mut self, id: uuid::Uuid, path: &Path) {
        self.index.broken_ids.entry(id).or_insert_with(|| path.to_owned());
    }

    /// Claims `id` for the entity at `place` (whose file is `path`); a second claim is reported
    /// and refused, naming the first claimant's file.
    fn claim(&mut self, id: uuid::Uuid, place: Place, path: &Path, parent: Option<ParentId>) -> bool {
        if let Some(first) = self.seen.get(&id) {
            let first = self.file_of(*first);
            self.broken(path, ProblemKind::DuplicateId { id: id.to_string(), first }, parent);
            return false;
        }
        self.seen.insert(id, place);
        true
    }

    /// The file of an entity placed in this load.
    fn file_of(&self, place: Place) -> PathBuf {
        let Some(path) = self.index.places.get(&place) else { return PathBuf::new() };
        match place {
            Place::Workspace(_) => path.join(WORKSPACE_FILE),
            Place::Collection(_) => path.join(COLLECTION_FILE),
            Place::Folder(_) => path.join(FOLDER_FILE),
            _ => path.clone(),
        }
    }

    /// Unwraps a parse result, reporting a failure as a broken file.
    fn accept<T>(
        &mut self,
        path: &Path,
        result: Result<Parsed<T>, ProblemKind>,
        parent: Option<ParentId>,
    ) -> Option<T> {
        match result {
            Ok(parsed) => {
                self.index.fingerprints.insert(path.to_owned(), parsed.fingerprint);
                if !parsed.unknown_fields.is_empty() {
                    self.problem(path, ProblemKind::UnknownFields(parsed.unknown_fields), parent);
                }
                Some(parsed.entity)
            }
            Err(kind) => {
                self.broken(path, kind, parent);
                None
            }
        }
    }
}

/// A quick first look at a data folder: its workspaces and their collections, without folders,
/// requests or environments, so a window can show the tree's top while [`load`] reads the rest.
/// Anything unreadable is skipped here; [`load`] reports it.
pub fn outline(root: &Path) -> Library {
    let order =
        read_document::<FolderIndex>(&root.join(INDEX_FILE)).map(|p| p.entity.workspaces).unwrap_or_default();
    let mut library = Library::default();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join(WORKSPACES_DIR))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs {
        let Ok(ws) = read_document::<Workspace>(&dir.join(WORKSPACE_FILE)) else { continue };
        let mut data = WorkspaceData::new(ws.entity);
        let mut collection_dirs: Vec<PathBuf> = fs::read_dir(dir.join(COLLECTIONS_DIR))
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        collection_dirs.sort();
        for c in collection_dirs {
            if let Ok(parsed) = read_document::<Collection>(&c.join(COLLECTION_FILE)) {
                data.collections.insert(parsed.entity.id, parsed.entity);
            }
        }
        data.collections =
            in_order(std::mem::take(&mut data.collections), &data.workspace.collections, |c| &c.name);
        library.workspaces.insert(data.id(), data);
    }
    library.workspaces = in_order(library.workspaces, &order, |w| &w.workspace.name);
    library
}

/// Reads everything under `root`. Never fails: what cannot be read is reported.
pub fn load(root: &Path) -> Loaded {
    let mut ctx = Ctx {
        report: LoadReport::default(),
        index: StoreIndex::default(),
        seen: foldhash::HashMap::default(),
        workspace: None,
        root: root.to_owned(),
        temp_files: Vec::new(),
        unfound: Vec::new(),
    };
    let index_path = root.join(INDEX_FILE);
    let order = if index_path.exists() {
        let parsed = read_document::<FolderIndex>(&index_path);
        ctx.accept(&index_path, parsed, None).unwrap_or_default()
    } else {
        FolderIndex::default()
    };
    ctx.index.order = order.workspaces.clone();

    let secrets_path = root.join(SECRETS_FILE);
    if secrets_path.exists() {
        check_secrets_mode(&mut ctx, &secrets_path);
        let parsed = read_document::<SecretValues>(&secrets_path);
        ctx.index.secrets = ctx.accept(&secrets_path, parsed, None).unwrap_or_default();
    }

    // Each workspace's own file first, so a damaged one can take the id its order lists.
    let mut heads = Vec::new();
    for (path, is_dir) in list_dir(&mut ctx, &root.join(WORKSPACES_DIR)) {
        if is_dir {
            let parsed = read_document::<Workspace>(&path.join(WORKSPACE_FILE));
            heads.push((path, parsed));
        } else {
            ctx.problem(&path, ProblemKind::Unexpected, None);
        }
    }
    let loaded_ids: HashSet<uuid::Uuid> =
        heads.iter().filter_map(|(_, p)| p.as_ref().ok()).map(|p| p.entity.id.0).collect();
    let listed: Vec<uuid::Uuid> = order.workspaces.iter().map(|w| w.0).collect();
    let salvaged: Vec<(usize, Option<uuid::Uuid>)> = heads
        .iter()
        .enumerate()
        .filter(|(_, (_, p))| p.is_err())
        .map(|(i, (dir, _))| (i, salvage_id(&dir.join(WORKSPACE_FILE))))
        .collect();
    let unresolved: Vec<usize> = salvaged.iter().filter(|(_, id)| id.is_none()).map(|(i, _)| *i).collect();
    let salvaged: HashSet<uuid::Uuid> = salvaged.iter().filter_map(|(_, id)| *id).collect();
    let from_order = only_missing(&listed, &loaded_ids, &salvaged, unresolved.len());

    let mut library = Library::default();
    for (i, (dir, parsed)) in heads.into_iter().enumerate() {
        let assigned = from_order.filter(|_| unresolved.first() == Some(&i));
        if let Some(data) = load_workspace(&mut ctx, &dir, parsed, assigned) {
            library.workspaces.insert(data.id(), data);
        }
    }
    for (path, _) in list_dir(&mut ctx, root) {
        let name = file_name(&path);
        let known = [INDEX_FILE, SECRETS_FILE, WORKSPACES_DIR, GRAPHQL_DIR].contains(&name.as_str())
            || APP_FILES.contains(&name.as_str());
        if !known {
            ctx.problem(&path, ProblemKind::Unexpected, None);
        }
    }

    // The user's order first, then any workspace not listed (by name).
    for id in &order.workspaces {
        if !library.workspaces.contains_key(id) {
            ctx.problem(&index_path, ProblemKind::MissingChild { id: id.to_string() }, None);
        }
    }
    library.workspaces = in_order(library.workspaces, &order.workspaces, |w| &w.workspace.name);

    fill_secrets(&mut ctx, &mut library);
    Loaded { library, index: ctx.index, report: ctx.report, temp_files: ctx.temp_files }
}

/// The one id `listed` names that is neither loaded nor read from a damaged file, when exactly
/// one damaged entity has no id of its own: that must be its id.
fn only_missing(
    listed: &[uuid::Uuid],
    loaded: &HashSet<uuid::Uuid>,
    salvaged: &HashSet<uuid::Uuid>,
    unresolved: usize,
) -> Option<uuid::Uuid> {
    let mut missing = listed.iter().filter(|id| !loaded.contains(id) && !salvaged.contains(id));
    let first = *missing.next()?;
    (missing.all(|id| *id == first) && unresolved == 1).then_some(first)
}

/// Entries of `dir`, sorted, without dot files (temp files among them are noted in `ctx`). A
/// missing folder is empty.
fn list_dir(ctx: &mut Ctx, dir: &Path) -> Vec<(PathBuf, bool)> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            let kind = if dir.is_file() {
                ProblemKind::WrongKind { expected: "folder" }
            } else {
                ProblemKind::Io(e.to_string())
            };
            ctx.broken(dir, kind, None);
            return Vec::new();
        }
    };
    let mut named: Vec<(std::ffi::OsString, bool)> = Vec::new();
    for e in entries.filter_map(Result::ok) {
        let file_type = e.file_type();
        let name = e.file_name();
        let text = name.to_string_lossy();
        if text.starts_with('.') {
            if text.starts_with(TEMP_PREFIX) && file_type.as_ref().is_ok_and(fs::FileType::is_file) {
                ctx.temp_files.push(e.path());
            }
            continue;
        }
        let is_dir = file_type.as_ref().is_ok_and(fs::FileType::is_dir)
            || (file_type.as_ref().is_ok_and(fs::FileType::is_symlink) && e.path().is_dir());
        named.push((name, is_dir));
    }
    // One folder's entries: ordering by name is ordering by path, and cheaper.
    named.sort_unstable();
    named.into_iter().map(|(name, is_dir)| (dir.join(name), is_dir)).collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Loads one workspace folder. A damaged `workspace.ron` leaves a placeholder named after the
/// folder (marked damaged, never written), so what the folder holds still loads.
fn load_workspace(
    ctx: &mut Ctx,
    dir: &Path,
    parsed: Result<Parsed<Workspace>, ProblemKind>,
    assigned: Option<uuid::Uuid>,
) -> Option<WorkspaceData> {
    let ws_path = dir.join(WORKSPACE_FILE);
    let (workspace, damaged) = match parsed {
        Ok(parsed) => (ctx.accept(&ws_path, Ok(parsed), None)?, false),
        Err(kind) => {
            let missing = matches!(kind, ProblemKind::Io(_)) && fs::symlink_metadata(&ws_path).is_err();
            if missing && list_dir(ctx, dir).is_empty() {
                ctx.problem(dir, ProblemKind::Unexpected, None);
                return None;
            }
            let id = salvage_id(&ws_path).or(assigned).unwrap_or_else(|| placeholder_id(&ctx.root, dir));
            if missing {
                ctx.broken(dir, ProblemKind::MissingFolderFile { file: WORKSPACE_FILE }, None);
                // Never written while the folder holds no workspace.ron of its own.
                ctx.index.broken.insert(
                    ws_path.clone(),
                    ProblemKind::MissingFolderFile { file: WORKSPACE_FILE }.to_string(),
                );
            } else {
                ctx.broken(&ws_path, kind, None);
            }
            ctx.broken_id(id, &ws_path);
            let mut ws = Workspace::new(file_name(dir));
            ws.id = WorkspaceId(id);
            (ws, true)
        }
    };
    if !ctx.claim(workspace.id.0, Place::Workspace(workspace.id), &ws_path, None) {
        return None;
    }
    ctx.workspace = Some(workspace.id);
    ctx.index.places.insert(Place::Workspace(workspace.id), dir.to_owned());
    let mut data = WorkspaceData::new(workspace);
    if damaged {
        data.damaged.insert(data.id().0);
    }

    let globals_path = dir.join(GLOBALS_FILE);
    if globals_path.exists() {
        let parsed = read_document::<Globals>(&globals_path);
        if let Some(globals) = ctx.accept(&globals_path, parsed, None) {
            data.globals = globals;
        }
    }
    ctx.index.places.insert(Place::Globals(data.id()), globals_path);

    let env_files = ron_files(ctx, &dir.join(ENVIRONMENTS_DIR));
    for (path, parsed) in parse_all::<Environment>(&env_files) {
        if parsed.is_err()
            && let Some(id) = salvage_id(&path)
        {
            ctx.broken_id(id, &path);
        }
        if let Some(env) = ctx.accept(&path, parsed, None)
            && ctx.claim(env.id.0, Place::Environment(env.id), &path, None)
        {
            ctx.index.places.insert(Place::Environment(env.id), path);
            data.environments.insert(env.id, env);
        }
    }
    let preset_files = ron_files(ctx, &dir.join(PRESETS_DIR));
    for (path, parsed) in parse_all::<HeaderPreset>(&preset_files) {
        if parsed.is_err()
            && let Some(id) = salvage_id(&path)
        {
            ctx.broken_id(id, &path);
        }
        if let Some(preset) = ctx.accept(&path, parsed, None)
            && ctx.claim(preset.id.0, Place::Preset(preset.id), &path, None)
        {
            ctx.index.places.insert(Place::Preset(preset.id), path);
            data.header_presets.insert(preset.id, preset);
        }
    }
    data.environments =
        in_order(std::mem::take(&mut data.environments), &data.workspace.environments, |e| &e.name);
    data.header_presets =
        in_order(std::mem::take(&mut data.header_presets), &data.workspace.header_presets, |p| &p.name);

    tree::load_collections(ctx, dir, &mut data);
    data.collections =
        in_order(std::mem::take(&mut data.collections), &data.workspace.collections, |c| &c.name);

    // Temp files of history and runs (the walk above does not go there).
    let runs_dir = dir.join(RUNS_DIR);
    list_dir(ctx, &runs_dir);
    for (day, is_dir) in list_dir(ctx, &dir.join(HISTORY_DIR)) {
        if is_dir {
            list_dir(ctx, &day);
        }
    }
    ctx.workspace = None;
    Some(data)
}

/// Keeps `map` in the order of `order`, then the rest by name.
fn in_order<K: std::hash::Hash + Eq + Copy, V>(
    mut map: indexmap::IndexMap<K, V>,
    order: &[K],
    name: impl Fn(&V) -> &String,
) -> indexmap::IndexMap<K, V> {
    let mut out = indexmap::IndexMap::with_capacity(map.len());
    for id in order {
        if let Some(v) = map.shift_remove(id) {
            out.insert(*id, v);
        }
    }
    let mut rest: Vec<_> = map.into_iter().collect();
    rest.sort_by_key(|(_, v)| name(v).to_lowercase());
    out.extend(rest);
    out
}

fn ron_files(ctx: &mut Ctx, dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (path, is_dir) in list_dir(ctx, dir) {
        if !is_dir && path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        } else {
            ctx.problem(&path, ProblemKind::Unexpected, None);
        }
    }
    out
}

fn parse_all<T: Document + Send>(paths: &[PathBuf]) -> Vec<(PathBuf, Result<Parsed<T>, ProblemKind>)> {
    paths.par_iter().map(|p| (p.clone(), read_document::<T>(p))).collect()
}

fn fill_secrets(ctx: &mut Ctx, library: &mut Library) {
    let mut used = HashSet::new();
    for data in library.workspaces.values_mut() {
        let ws = data.id();
        let mut visit = |owner: Place, vars: &mut Vec<Variable>, ctx: &mut Ctx| {
            for var in vars.iter_mut().filter(|v| v.secret) {
                if let Some(value) = ctx.index.secrets.values.get(&var.id) {
                    var.value.clone_from(value);
                }
                used.insert(var.id);
                ctx.index.secret_owners.insert(var.id, owner);
            }
        };
        visit(Place::Globals(ws), &mut data.globals.variables, ctx);
        for env in data.environments.values_mut() {
            visit(Place::Environment(env.id), &mut env.variables, ctx);
        }
        for c in data.collections.values_mut() {
            visit(Place::Collection(c.id), &mut c.variables, ctx);
        }
        for f in data.folders.values_mut() {
            visit(Place::Folder(f.id), &mut f.variables, ctx);
        }
    }
    let orphans: Vec<_> = ctx.index.secrets.values.keys().filter(|id| !used.contains(*id)).copied().collect();
    // A broken file that can hold variables may own an "orphan"; say nothing then.
    let may_own_secrets = ctx.index.broken.keys().any(|p| {
        let name = file_name(p);
        !layout::is_request_file(&name)
            && !p.components().any(|c| c.as_os_str() == HISTORY_DIR || c.as_os_str() == RUNS_DIR)
    });
    if !orphans.is_empty() && !may_own_secrets {
        let path = ctx.root.join(SECRETS_FILE);
        for id in orphans {
            ctx.problem(&path, ProblemKind::OrphanSecret { id: id.to_string() }, None);
        }
    }
}

fn check_secrets_mode(ctx: &mut Ctx, path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                ctx.problem(path, ProblemKind::SecretsPermissions { mode }, None);
            }
        }
    }
}
