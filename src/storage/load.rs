//! Reading a whole data folder: walk the tree, parse every file in parallel, assemble the model,
//! and report (never stop at) what is broken.

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
    unfound: Vec<Unfound>,
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
        let known = [INDEX_FILE, SECRETS_FILE, WORKSPACES_DIR].contains(&name.as_str())
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

    // Collections: walk every folder first (numbering the files), then parse all files at once.
    let mut trees = Vec::new();
    let mut files = Vec::new();
    for (path, is_dir) in list_dir(ctx, &dir.join(COLLECTIONS_DIR)) {
        if is_dir {
            trees.push(walk(ctx, &path, COLLECTION_FILE, &mut files));
        } else {
            ctx.problem(&path, ProblemKind::Unexpected, None);
        }
    }
    let mut parsed: Vec<Option<RawEntity>> = files
        .par_iter()
        .map(|(path, kind)| {
            let entity = match kind {
                FileKind::Collection => {
                    read_document::<Collection>(path).map(|p| RawEntity::Collection(Box::new(p)))
                }
                FileKind::Folder => read_document::<Folder>(path).map(|p| RawEntity::Folder(Box::new(p))),
                FileKind::Request => read_document::<Request>(path).map(|p| RawEntity::Request(Box::new(p))),
            };
            Some(entity.unwrap_or_else(RawEntity::Failed))
        })
        .collect();
    // Sized once: the maps hold whole entities, and growing them by doubling would copy each
    // one several times over (and hold two copies at the peak).
    let requests = files.iter().filter(|(_, k)| matches!(k, FileKind::Request)).count();
    data.requests.reserve(requests);
    data.folders.reserve(files.len() - requests);
    ctx.index.places.reserve(files.len());
    ctx.index.fingerprints.reserve(files.len());
    ctx.seen.reserve(files.len());
    drop(files);
    let listed: Vec<uuid::Uuid> = data.workspace.collections.iter().map(|c| c.0).collect();
    let assigned = assigned_container_ids(&trees, &parsed, &listed);
    for (tree, assigned) in trees.into_iter().zip(assigned) {
        assemble(ctx, tree, None, assigned, &mut parsed, &mut data);
    }
    settle_unfound(ctx, &mut data);
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

#[derive(Clone, Copy)]
enum FileKind {
    Collection,
    Folder,
    Request,
}

/// Boxed so the table of parsed files stays small while it lives beside the model being built.
enum RawEntity {
    Collection(Box<Parsed<Collection>>),
    Folder(Box<Parsed<Folder>>),
    Request(Box<Parsed<Request>>),
    Failed(ProblemKind),
}

/// A container folder on disk, before parsing. Files are named by their index in the list of
/// files to parse (and so in the list of parsed results).
struct DirTree {
    dir: PathBuf,
    own_file: PathBuf,
    /// The own file's index, when it exists.
    own: Option<usize>,
    requests: Vec<(PathBuf, usize)>,
    subdirs: Vec<DirTree>,
}

impl DirTree {
    fn count_entries(&self) -> usize {
        self.requests.len() + self.subdirs.iter().map(|s| 1 + s.count_entries()).sum::<usize>()
    }
}

/// Walks a container's folder, adding every file to parse to `files` (a damaged or missing own
/// file does not hide what is inside).
fn walk(ctx: &mut Ctx, dir: &Path, own: &str, files: &mut Vec<(PathBuf, FileKind)>) -> DirTree {
    let own_file = dir.join(own);
    let own_index = fs::symlink_metadata(&own_file).is_ok().then(|| {
        let kind = if own == COLLECTION_FILE { FileKind::Collection } else { FileKind::Folder };
        files.push((own_file.clone(), kind));
        files.len() - 1
    });
    let mut tree =
        DirTree { dir: dir.to_owned(), own_file, own: own_index, requests: Vec::new(), subdirs: Vec::new() };
    for (path, is_dir) in list_dir(ctx, dir) {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let is_request = layout::is_request_file(&name);
        if is_dir && (is_request || name == FOLDER_FILE) {
            ctx.broken(&path, ProblemKind::WrongKind { expected: "file" }, None);
        } else if is_dir {
            tree.subdirs.push(walk(ctx, &path, FOLDER_FILE, files));
        } else if is_request {
            files.push((path.clone(), FileKind::Request));
            tree.requests.push((path, files.len() - 1));
        } else if name != own {
            ctx.problem(&path, ProblemKind::Unexpected, None);
        }
    }
    tree
}

/// The id of a container as its own file gives it, if it parsed.
fn parsed_container_id(parsed: &[Option<RawEntity>], tree: &DirTree) -> Option<uuid::Uuid> {
    match tree.own.and_then(|i| parsed[i].as_ref()) {
        Some(RawEntity::Collection(p)) => Some(p.entity.id.0),
        Some(RawEntity::Folder(p)) => Some(p.entity.id.0),
        _ => None,
    }
}

/// For each of `trees`, the id its placeholder takes from the parent's order when its own file
/// is damaged and holds no readable id (see [`only_missing`]).
fn assigned_container_ids(
    trees: &[DirTree],
    parsed: &[Option<RawEntity>],
    listed: &[uuid::Uuid],
) -> Vec<Option<uuid::Uuid>> {
    let loaded: HashSet<uuid::Uuid> = trees.iter().filter_map(|t| parsed_container_id(parsed, t)).collect();
    let damaged: Vec<usize> =
        (0..trees.len()).filter(|i| parsed_container_id(parsed, &trees[*i]).is_none()).collect();
    let salvaged: Vec<(usize, Option<uuid::Uuid>)> =
        damaged.into_iter().map(|i| (i, salvage_id(&trees[i].own_file))).collect();
    let unresolved: Vec<usize> = salvaged.iter().filter(|(_, id)| id.is_none()).map(|(i, _)| *i).collect();
    let salvaged: HashSet<uuid::Uuid> = salvaged.iter().filter_map(|(_, id)| *id).collect();
    let id = only_missing(listed, &loaded, &salvaged, unresolved.len());
    (0..trees.len()).map(|i| id.filter(|_| unresolved.first() == Some(&i))).collect()
}

/// Builds one container (collection or folder) and everything below it. A damaged or missing
/// own file gives a placeholder named after the folder, marked damaged and never written, with
/// the id read from the damaged file, else `assigned` (from the parent's order), else a stable
/// one made from its path.
fn assemble(
    ctx: &mut Ctx,
    tree: DirTree,
    parent: Option<ParentId>,
    assigned: Option<uuid::Uuid>,
    parsed: &mut [Option<RawEntity>],
    data: &mut WorkspaceData,
) -> Option<ItemId> {
    let is_collection = parent.is_none();
    let entity = tree.own.and_then(|i| parsed[i].take());
    let (me, children_order, placeholder) = match entity {
        Some(RawEntity::Collection(p)) => {
            let c = ctx.accept(&tree.own_file, Ok(*p), parent)?;
            if !ctx.claim(c.id.0, Place::Collection(c.id), &tree.own_file, parent) {
                return None;
            }
            let id = c.id;
            ctx.index.places.insert(Place::Collection(id), tree.dir.clone());
            let order = c.children.clone();
            data.collections.insert(id, c);
            (ParentId::Collection(id), order, false)
        }
        Some(RawEntity::Folder(p)) => {
            let f = ctx.accept(&tree.own_file, Ok(*p), parent)?;
            if !ctx.claim(f.id.0, Place::Folder(f.id), &tree.own_file, parent) {
                return None;
            }
            let id = f.id;
            ctx.index.places.insert(Place::Folder(id), tree.dir.clone());
            let order = f.children.clone();
            data.folders.insert(id, f);
            (ParentId::Folder(id), order, false)
        }
        Some(RawEntity::Request(_)) => return None,
        failed @ (Some(RawEntity::Failed(_)) | None) => {
            let own = if is_collection { COLLECTION_FILE } else { FOLDER_FILE };
            if tree.own.is_none() {
                if tree.count_entries() == 0 && !is_collection {
                    ctx.problem(&tree.dir, ProblemKind::Unexpected, parent);
                    return None;
                }
                let kind = ProblemKind::MissingFolderFile { file: own };
                ctx.broken(&tree.dir, kind.clone(), parent);
                // Never written while the folder has no file of its own.
                ctx.index.broken.insert(tree.own_file.clone(), kind.to_string());
            } else if let Some(RawEntity::Failed(kind)) = failed {
                ctx.broken(&tree.own_file, kind, parent);
            }
            let id = salvage_id(&tree.own_file)
                .or(assigned)
                .unwrap_or_else(|| placeholder_id(&ctx.root, &tree.dir));
            ctx.broken_id(id, &tree.own_file);
            let place =
                if is_collection { Place::Collection(CollectionId(id)) } else { Place::Folder(FolderId(id)) };
            if !ctx.claim(id, place, &tree.own_file, parent) {
                return None;
            }
            let name = file_name(&tree.dir);
            data.damaged.insert(id);
            if is_collection {
                let mut c = Collection::new(name);
                c.id = CollectionId(id);
                ctx.index.places.insert(Place::Collection(c.id), tree.dir.clone());
                data.collections.insert(c.id, c);
                (ParentId::Collection(CollectionId(id)), Vec::new(), true)
            } else {
                let mut f = Folder::new(name);
                f.id = FolderId(id);
                ctx.index.places.insert(Place::Folder(f.id), tree.dir.clone());
                data.folders.insert(f.id, f);
                (ParentId::Folder(FolderId(id)), Vec::new(), true)
            }
        }
    };

    let mut present: Vec<ItemId> = Vec::new();
    let mut broken_requests: Vec<PathBuf> = Vec::new();
    let mut salvaged: HashSet<uuid::Uuid> = HashSet::new();
    for (path, i) in tree.requests {
        match parsed[i].take() {
            Some(RawEntity::Request(p)) => {
                let Some(request) = ctx.accept(&path, Ok(*p), Some(me)) else { continue };
                if !ctx.claim(request.id.0, Place::Request(request.id), &path, Some(me)) {
                    continue;
                }
                let id = request.id;
                ctx.index.places.insert(Place::Request(id), path);
                data.requests.insert(id, request);
                present.push(ItemId::Request(id));
            }
            Some(RawEntity::Failed(kind)) => {
                match salvage_id(&path) {
                    Some(id) => {
                        ctx.broken_id(id, &path);
                        salvaged.insert(id);
                    }
                    None => broken_requests.push(path.clone()),
                }
                ctx.broken(&path, kind, Some(me));
            }
            _ => {}
        }
    }
    let listed_folders: Vec<uuid::Uuid> = children_order
        .iter()
        .filter_map(|c| match c {
            ItemId::Folder(f) => Some(f.0),
            ItemId::Request(_) => None,
        })
        .collect();
    let assigned = assigned_container_ids(&tree.subdirs, parsed, &listed_folders);
    for (sub, assigned) in tree.subdirs.into_iter().zip(assigned) {
        if let Some(item) = assemble(ctx, sub, Some(me), assigned, parsed, data) {
            present.push(item);
        }
    }
    // Reconcile the stored order with what is really here: each child here, whether its
    // parent's order has named it yet.
    let own_path = file_path_of(ctx, me);
    let mut here: foldhash::HashMap<ItemId, bool> = present.iter().map(|item| (*item, false)).collect();
    let mut order = Vec::with_capacity(children_order.len().max(present.len()));
    let mut unfound_here: HashSet<ItemId> = HashSet::new();
    for id in children_order {
        match here.get_mut(&id) {
            Some(listed) if *listed => {
                ctx.problem(&own_path, ProblemKind::ListedTwice { id: item_uuid(id) }, parent);
                continue;
            }
            Some(listed) => *listed = true,
            None => {
                if !unfound_here.insert(id) {
                    ctx.problem(&own_path, ProblemKind::ListedTwice { id: item_uuid(id) }, parent);
                    continue;
                }
                // Not here: elsewhere in the workspace, or nowhere (settled once all is read).
                let candidate = broken_requests.first().filter(|_| match id {
                    ItemId::Request(r) => !salvaged.contains(&r.0),
                    ItemId::Folder(_) => false,
                });
                ctx.unfound.push(Unfound {
                    container: me,
                    own_path: own_path.clone(),
                    parent,
                    id,
                    broken_file: candidate.cloned(),
                });
            }
        }
        order.push(id);
    }
    for id in present {
        if !here.get(&id).copied().unwrap_or(false) {
            // A placeholder has no order of its own: everything inside is "unlisted" by nature.
            if !placeholder {
                ctx.problem(&own_path, ProblemKind::Unlisted { id: item_uuid(id) }, parent);
            }
            order.push(id);
        }
    }
    match me {
        ParentId::Collection(id) => data.collections[&id].children = order,
        ParentId::Folder(id) => data.folders[&id].children = order,
    }
    match me {
        ParentId::Collection(_) => None,
        ParentId::Folder(id) => Some(ItemId::Folder(id)),
    }
}

fn file_path_of(ctx: &Ctx, container: ParentId) -> PathBuf {
    match container {
        ParentId::Collection(id) => ctx.index.places[&Place::Collection(id)].join(COLLECTION_FILE),
        ParentId::Folder(id) => ctx.index.places[&Place::Folder(id)].join(FOLDER_FILE),
    }
}

fn item_uuid(item: ItemId) -> String {
    match item {
        ItemId::Folder(id) => id.to_string(),
        ItemId::Request(id) => id.to_string(),
    }
}

/// A child a parent's order names that is not in the parent's folder.
struct Unfound {
    container: ParentId,
    own_path: PathBuf,
    parent: Option<ParentId>,
    id: ItemId,
    /// A request file in the folder that did not load and whose id could not be read.
    broken_file: Option<PathBuf>,
}

/// Settles each order entry naming a child that is not in its parent's folder, once the whole
/// workspace is read. Loaded elsewhere: the entry is dropped (where the file is decides where
/// the item is, so the tree never shows one item twice). Nowhere: the entry is kept, so nothing
/// is lost, and reported; when a file in that folder did not load, that file is (probably) it,
/// and an import must not write the entity again beside it.
fn settle_unfound(ctx: &mut Ctx, data: &mut WorkspaceData) {
    let mut misplaced: Vec<(ParentId, ItemId)> = Vec::new();
    for u in std::mem::take(&mut ctx.unfound) {
        let elsewhere = match u.id {
            ItemId::Request(r) => data.requests.contains_key(&r),
            ItemId::Folder(f) => data.folders.contains_key(&f),
        };
        if elsewhere {
            ctx.problem(&u.own_path, ProblemKind::ListedTwice { id: item_uuid(u.id) }, None);
            misplaced.push((u.container, u.id));
        } else {
            ctx.problem(&u.own_path, ProblemKind::MissingChild { id: item_uuid(u.id) }, u.parent);
            if let (ItemId::Request(r), Some(file)) = (u.id, &u.broken_file) {
                ctx.broken_id(r.0, file);
            }
        }
    }
    for (container, id) in misplaced {
        if let Some(children) = data.children_mut(container) {
            children.retain(|c| *c != id);
        }
    }
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
