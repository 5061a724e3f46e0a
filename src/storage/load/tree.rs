//! A workspace's collections on disk: every collection and folder walked first (the files to
//! parse numbered as they are found), all files parsed at once, then the tree assembled from
//! what parsed, each container's stored order reconciled with what is really in its folder. A
//! damaged or missing own file gives a placeholder (see [`assemble`]). Linear in the number of
//! entities: no lookup scans a list.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Ctx, file_name, list_dir, only_missing, placeholder_id, read_document, salvage_id};
use crate::model::*;
use crate::storage::Place;
use crate::storage::document::Parsed;
use crate::storage::error::ProblemKind;
use crate::storage::layout::{self, COLLECTION_FILE, COLLECTIONS_DIR, FOLDER_FILE};

/// Reads every collection of the workspace in `dir` into `data`.
pub(super) fn load_collections(ctx: &mut Ctx, dir: &Path, data: &mut WorkspaceData) {
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
        assemble(ctx, tree, None, assigned, &mut parsed, data);
    }
    settle_unfound(ctx, data);
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
/// own file gives a placeholder (see [`add_placeholder`]).
fn assemble(
    ctx: &mut Ctx,
    tree: DirTree,
    parent: Option<ParentId>,
    assigned: Option<uuid::Uuid>,
    parsed: &mut [Option<RawEntity>],
    data: &mut WorkspaceData,
) -> Option<ItemId> {
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
            (add_placeholder(ctx, &tree, parent, assigned, failed, data)?, Vec::new(), true)
        }
    };

    let mut contents = load_requests(ctx, tree.requests, me, parsed, data);
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
            contents.present.push(item);
        }
    }
    let order = reconcile_order(ctx, me, parent, children_order, contents, placeholder);
    match me {
        ParentId::Collection(id) => data.collections[&id].children = order,
        ParentId::Folder(id) => data.folders[&id].children = order,
    }
    match me {
        ParentId::Collection(_) => None,
        ParentId::Folder(id) => Some(ItemId::Folder(id)),
    }
}

/// Adds the placeholder of a container whose own file is damaged or missing: named after
/// the folder, marked damaged and never written, with the id read from the damaged file, else
/// `assigned` (from the parent's order), else a stable one made from its path. `None` when
/// there is nothing to hold (an empty folder that is not a collection) or the id is taken.
fn add_placeholder(
    ctx: &mut Ctx,
    tree: &DirTree,
    parent: Option<ParentId>,
    assigned: Option<uuid::Uuid>,
    failed: Option<RawEntity>,
    data: &mut WorkspaceData,
) -> Option<ParentId> {
    let is_collection = parent.is_none();
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
    let id = salvage_id(&tree.own_file).or(assigned).unwrap_or_else(|| placeholder_id(&ctx.root, &tree.dir));
    ctx.broken_id(id, &tree.own_file);
    let place = if is_collection { Place::Collection(CollectionId(id)) } else { Place::Folder(FolderId(id)) };
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
        Some(ParentId::Collection(CollectionId(id)))
    } else {
        let mut f = Folder::new(name);
        f.id = FolderId(id);
        ctx.index.places.insert(Place::Folder(f.id), tree.dir.clone());
        data.folders.insert(f.id, f);
        Some(ParentId::Folder(FolderId(id)))
    }
}

/// What a container's folder holds once loaded: the children that loaded, and the request
/// files that did not (by id when it could be read from the file, else by path).
struct Contents {
    present: Vec<ItemId>,
    broken_requests: Vec<PathBuf>,
    salvaged: HashSet<uuid::Uuid>,
}

/// Loads the request files of container `me`; the subfolders are not in the result yet.
fn load_requests(
    ctx: &mut Ctx,
    requests: Vec<(PathBuf, usize)>,
    me: ParentId,
    parsed: &mut [Option<RawEntity>],
    data: &mut WorkspaceData,
) -> Contents {
    let mut contents =
        Contents { present: Vec::new(), broken_requests: Vec::new(), salvaged: HashSet::new() };
    for (path, i) in requests {
        match parsed[i].take() {
            Some(RawEntity::Request(p)) => {
                let Some(request) = ctx.accept(&path, Ok(*p), Some(me)) else { continue };
                if !ctx.claim(request.id.0, Place::Request(request.id), &path, Some(me)) {
                    continue;
                }
                let id = request.id;
                ctx.index.places.insert(Place::Request(id), path);
                data.requests.insert(id, request);
                contents.present.push(ItemId::Request(id));
            }
            Some(RawEntity::Failed(kind)) => {
                match salvage_id(&path) {
                    Some(id) => {
                        ctx.broken_id(id, &path);
                        contents.salvaged.insert(id);
                    }
                    None => contents.broken_requests.push(path.clone()),
                }
                ctx.broken(&path, kind, Some(me));
            }
            _ => {}
        }
    }
    contents
}

/// Reconciles container `me`'s stored order with what is really in its folder: an entry named
/// twice is dropped, an entry not here is kept for [`settle_unfound`] to settle, and a child
/// no entry names is added at the end (reported, unless `me` is a placeholder).
fn reconcile_order(
    ctx: &mut Ctx,
    me: ParentId,
    parent: Option<ParentId>,
    stored: Vec<ItemId>,
    contents: Contents,
    placeholder: bool,
) -> Vec<ItemId> {
    // Each child here, whether its parent's order has named it yet.
    let own_path = file_path_of(ctx, me);
    let mut here: foldhash::HashMap<ItemId, bool> =
        contents.present.iter().map(|item| (*item, false)).collect();
    let mut order = Vec::with_capacity(stored.len().max(contents.present.len()));
    let mut unfound_here: HashSet<ItemId> = HashSet::new();
    for id in stored {
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
                let candidate = contents.broken_requests.first().filter(|_| match id {
                    ItemId::Request(r) => !contents.salvaged.contains(&r.0),
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
    for id in contents.present {
        if !here.get(&id).copied().unwrap_or(false) {
            // A placeholder has no order of its own: everything inside is "unlisted" by nature.
            if !placeholder {
                ctx.problem(&own_path, ProblemKind::Unlisted { id: item_uuid(id) }, parent);
            }
            order.push(id);
        }
    }
    order
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
pub(super) struct Unfound {
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
