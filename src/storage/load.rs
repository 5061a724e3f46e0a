//! Reading a whole data folder: walk the tree, parse every file in parallel, assemble the model,
//! and report (never stop at) what is broken.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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
}

/// Reads `path` and parses it as `T`. Problems carry no workspace or parent; callers add them.
pub fn read_document<T: Document>(path: &Path) -> Result<Parsed<T>, ProblemKind> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory || path.is_dir() => {
            return Err(ProblemKind::WrongKind { expected: "file" });
        }
        Err(e) => return Err(ProblemKind::Io(e.to_string())),
    };
    let fingerprint = document::fingerprint(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| ProblemKind::NotText)?;
    if text.trim().is_empty() {
        return Err(ProblemKind::Parse { line: 1, column: 1, message: "the file is empty".into() });
    }
    document::from_text(&text).map(|parsed| Parsed { fingerprint, ..parsed })
}

struct Ctx {
    report: LoadReport,
    index: StoreIndex,
    /// Every id seen, across kinds, with the file that claimed it first.
    seen: HashMap<uuid::Uuid, PathBuf>,
    workspace: Option<WorkspaceId>,
    root: PathBuf,
}

impl Ctx {
    fn problem(&mut self, path: &Path, kind: ProblemKind, parent: Option<ParentId>) {
        self.report.problems.push(Problem { path: path.to_owned(), kind, workspace: self.workspace, parent });
    }

    fn broken(&mut self, path: &Path, kind: ProblemKind, parent: Option<ParentId>) {
        self.index.broken.insert(path.to_owned(), kind.to_string());
        self.problem(path, kind, parent);
    }

    /// Claims `id` for `path`; a second claim is reported and refused.
    fn claim(&mut self, id: uuid::Uuid, path: &Path, parent: Option<ParentId>) -> bool {
        if let Some(first) = self.seen.get(&id) {
            let first = first.clone();
            self.broken(path, ProblemKind::DuplicateId { id: id.to_string(), first }, parent);
            return false;
        }
        self.seen.insert(id, path.to_owned());
        true
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
        seen: HashMap::new(),
        workspace: None,
        root: root.to_owned(),
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

    let mut library = Library::default();
    let workspaces_dir = root.join(WORKSPACES_DIR);
    for (path, is_dir) in list_dir(&mut ctx, &workspaces_dir) {
        if !is_dir {
            ctx.problem(&path, ProblemKind::Unexpected, None);
            continue;
        }
        if let Some(data) = load_workspace(&mut ctx, &path) {
            library.workspaces.insert(data.id(), data);
        }
    }
    for (path, is_dir) in list_dir(&mut ctx, root) {
        let name = file_name(&path);
        let known = [INDEX_FILE, SECRETS_FILE, WORKSPACES_DIR].contains(&name.as_str())
            || APP_FILES.contains(&name.as_str())
            || name.starts_with('.');
        if !known {
            ctx.problem(&path, ProblemKind::Unexpected, None);
        }
        let _ = is_dir;
    }

    // The user's order first, then any workspace not listed (by name).
    library.workspaces = in_order(library.workspaces, &order.workspaces, |w| &w.workspace.name);

    fill_secrets(&mut ctx, &mut library);
    Loaded { library, index: ctx.index, report: ctx.report }
}

/// Entries of `dir`, sorted, ignoring temp files and dot files. A missing folder is empty.
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
    let mut out: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false)
                || (e.file_type().map(|t| t.is_symlink()).unwrap_or(false) && e.path().is_dir());
            (e.path(), is_dir)
        })
        .collect();
    out.sort();
    out
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn load_workspace(ctx: &mut Ctx, dir: &Path) -> Option<WorkspaceData> {
    let ws_path = dir.join(WORKSPACE_FILE);
    let parsed = read_document::<Workspace>(&ws_path);
    let workspace = match parsed {
        Err(ProblemKind::Io(_)) if !ws_path.exists() => {
            ctx.broken(dir, ProblemKind::MissingFolderFile, None);
            return None;
        }
        other => ctx.accept(&ws_path, other, None)?,
    };
    if !ctx.claim(workspace.id.0, &ws_path, None) {
        return None;
    }
    ctx.workspace = Some(workspace.id);
    ctx.index.places.insert(Place::Workspace(workspace.id), dir.to_owned());
    let mut data = WorkspaceData::new(workspace);

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
        if let Some(env) = ctx.accept(&path, parsed, None)
            && ctx.claim(env.id.0, &path, None)
        {
            ctx.index.places.insert(Place::Environment(env.id), path);
            data.environments.insert(env.id, env);
        }
    }
    let preset_files = ron_files(ctx, &dir.join(PRESETS_DIR));
    for (path, parsed) in parse_all::<HeaderPreset>(&preset_files) {
        if let Some(preset) = ctx.accept(&path, parsed, None)
            && ctx.claim(preset.id.0, &path, None)
        {
            ctx.index.places.insert(Place::Preset(preset.id), path);
            data.header_presets.insert(preset.id, preset);
        }
    }
    data.environments =
        in_order(std::mem::take(&mut data.environments), &data.workspace.environments, |e| &e.name);
    data.header_presets =
        in_order(std::mem::take(&mut data.header_presets), &data.workspace.header_presets, |p| &p.name);

    // Collections: walk every folder first, then parse all files at once.
    let mut trees = Vec::new();
    for (path, is_dir) in list_dir(ctx, &dir.join(COLLECTIONS_DIR)) {
        if is_dir {
            trees.push(walk(ctx, &path, COLLECTION_FILE));
        } else {
            ctx.problem(&path, ProblemKind::Unexpected, None);
        }
    }
    let mut files = Vec::new();
    for tree in &trees {
        tree.files(&mut files);
    }
    let mut parsed: HashMap<PathBuf, RawEntity> = files
        .par_iter()
        .map(|(path, kind)| {
            let entity = match kind {
                FileKind::Collection => {
                    read_document::<Collection>(path).map(|p| RawEntity::Collection(Box::new(p)))
                }
                FileKind::Folder => read_document::<Folder>(path).map(|p| RawEntity::Folder(Box::new(p))),
                FileKind::Request => read_document::<Request>(path).map(|p| RawEntity::Request(Box::new(p))),
            };
            (path.clone(), entity.unwrap_or_else(RawEntity::Failed))
        })
        .collect();
    let mut physical = HashMap::new();
    for tree in trees {
        assemble(ctx, tree, None, &mut parsed, &mut data, &mut physical);
    }
    drop_misplaced(ctx, &mut data, &physical);
    data.collections =
        in_order(std::mem::take(&mut data.collections), &data.workspace.collections, |c| &c.name);
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

/// A container folder on disk, before parsing.
struct DirTree {
    dir: PathBuf,
    own_file: PathBuf,
    has_own_file: bool,
    requests: Vec<PathBuf>,
    subdirs: Vec<DirTree>,
}

impl DirTree {
    fn files(&self, out: &mut Vec<(PathBuf, FileKind)>) {
        if self.has_own_file {
            let kind = if file_name(&self.own_file) == COLLECTION_FILE {
                FileKind::Collection
            } else {
                FileKind::Folder
            };
            out.push((self.own_file.clone(), kind));
            out.extend(self.requests.iter().map(|p| (p.clone(), FileKind::Request)));
            for sub in &self.subdirs {
                sub.files(out);
            }
        }
    }

    fn count_entries(&self) -> usize {
        self.requests.len() + self.subdirs.iter().map(|s| 1 + s.count_entries()).sum::<usize>()
    }
}

fn walk(ctx: &mut Ctx, dir: &Path, own: &str) -> DirTree {
    let own_file = dir.join(own);
    let mut tree = DirTree {
        dir: dir.to_owned(),
        has_own_file: own_file.exists(),
        own_file,
        requests: Vec::new(),
        subdirs: Vec::new(),
    };
    for (path, is_dir) in list_dir(ctx, dir) {
        let name = file_name(&path);
        if is_dir && (layout::is_request_file(&name) || name == FOLDER_FILE) {
            ctx.broken(&path, ProblemKind::WrongKind { expected: "file" }, None);
        } else if is_dir {
            tree.subdirs.push(walk(ctx, &path, FOLDER_FILE));
        } else if layout::is_request_file(&name) {
            tree.requests.push(path);
        } else if name != own {
            ctx.problem(&path, ProblemKind::Unexpected, None);
        }
    }
    tree
}

fn assemble(
    ctx: &mut Ctx,
    tree: DirTree,
    parent: Option<ParentId>,
    parsed: &mut HashMap<PathBuf, RawEntity>,
    data: &mut WorkspaceData,
    physical: &mut HashMap<ItemId, ParentId>,
) -> Option<ItemId> {
    if !tree.has_own_file {
        let inside = tree.count_entries();
        if inside > 0 || parent.is_none() {
            ctx.broken(&tree.dir, ProblemKind::MissingFolderFile, parent);
        } else {
            ctx.problem(&tree.dir, ProblemKind::Unexpected, parent);
        }
        return None;
    }
    let entity = parsed.remove(&tree.own_file);
    let (me, children_order) = match entity {
        Some(RawEntity::Collection(p)) => {
            let c = ctx.accept(&tree.own_file, Ok(*p), parent)?;
            if !ctx.claim(c.id.0, &tree.own_file, parent) {
                return None;
            }
            let id = c.id;
            ctx.index.places.insert(Place::Collection(id), tree.dir.clone());
            let order = c.children.clone();
            data.collections.insert(id, c);
            (ParentId::Collection(id), order)
        }
        Some(RawEntity::Folder(p)) => {
            let f = ctx.accept(&tree.own_file, Ok(*p), parent)?;
            if !ctx.claim(f.id.0, &tree.own_file, parent) {
                return None;
            }
            let id = f.id;
            ctx.index.places.insert(Place::Folder(id), tree.dir.clone());
            let order = f.children.clone();
            data.folders.insert(id, f);
            (ParentId::Folder(id), order)
        }
        Some(RawEntity::Failed(kind)) => {
            ctx.broken(&tree.own_file, kind, parent);
            return None;
        }
        Some(RawEntity::Request(_)) | None => return None,
    };

    let mut present: Vec<ItemId> = Vec::new();
    for path in tree.requests {
        match parsed.remove(&path) {
            Some(RawEntity::Request(p)) => {
                let Some(request) = ctx.accept(&path, Ok(*p), Some(me)) else { continue };
                if !ctx.claim(request.id.0, &path, Some(me)) {
                    continue;
                }
                let id = request.id;
                ctx.index.places.insert(Place::Request(id), path);
                data.requests.insert(id, request);
                present.push(ItemId::Request(id));
            }
            Some(RawEntity::Failed(kind)) => ctx.broken(&path, kind, Some(me)),
            _ => {}
        }
    }
    for sub in tree.subdirs {
        if let Some(item) = assemble(ctx, sub, Some(me), parsed, data, physical) {
            present.push(item);
        }
    }
    for item in &present {
        physical.insert(*item, me);
    }

    // Reconcile the stored order with what is really here.
    let own_path = file_path_of(ctx, me);
    let mut order = Vec::with_capacity(children_order.len().max(present.len()));
    let mut listed = HashSet::new();
    for id in children_order {
        if !listed.insert(id) {
            ctx.problem(&own_path, ProblemKind::ListedTwice { id: item_uuid(id) }, parent);
            continue;
        }
        if !present.contains(&id) {
            ctx.problem(&own_path, ProblemKind::MissingChild { id: item_uuid(id) }, parent);
        }
        order.push(id);
    }
    for id in present {
        if !listed.contains(&id) {
            ctx.problem(&own_path, ProblemKind::Unlisted { id: item_uuid(id) }, parent);
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

/// An order entry naming an item that lives under another parent is dropped: where the file is
/// decides where the item is, so the tree never shows one item twice.
fn drop_misplaced(ctx: &mut Ctx, data: &mut WorkspaceData, physical: &HashMap<ItemId, ParentId>) {
    let containers: Vec<ParentId> = data
        .collections
        .keys()
        .map(|id| ParentId::Collection(*id))
        .chain(data.folders.keys().map(|id| ParentId::Folder(*id)))
        .collect();
    for container in containers {
        let Some(children) = data.children(container) else { continue };
        let misplaced: Vec<ItemId> =
            children.iter().filter(|c| physical.get(c).is_some_and(|p| *p != container)).copied().collect();
        if misplaced.is_empty() {
            continue;
        }
        let path = file_path_of(ctx, container);
        for id in &misplaced {
            // The MissingChild report already given for it says "not there"; be precise instead.
            ctx.report
                .problems
                .retain(|p| !(p.path == path && p.kind == ProblemKind::MissingChild { id: item_uuid(*id) }));
            ctx.problem(&path, ProblemKind::ListedTwice { id: item_uuid(*id) }, None);
        }
        if let Some(children) = data.children_mut(container) {
            children.retain(|c| !misplaced.contains(c));
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
