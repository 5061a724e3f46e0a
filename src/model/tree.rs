//! Edits of a workspace's tree (add, duplicate, delete, move) as operations on its data. Each
//! changes the [`WorkspaceData`] in memory and returns an [`Edit`]: the files to write, in the
//! order they must be written (a folder before what it holds), and the requests that went away.
//! The caller turns the writes into its own (the app queues them on its writer thread).

use std::collections::HashSet;

use super::collection::{Collection, Folder};
use super::ids::{CollectionId, FolderId, ItemId, ParentId, RequestId, VariableId, WorkspaceId};
use super::request::Request;
use super::variables::Variable;
use super::workspace::{Workspace, WorkspaceData};

/// One file a tree edit changed: a snapshot of what to write, or what to remove.
#[derive(Clone, Debug, PartialEq)]
pub enum TreeWrite {
    /// The workspace's own file (the order of its collections).
    Workspace(Workspace),
    Collection {
        ws: WorkspaceId,
        collection: Collection,
    },
    Folder {
        parent: ParentId,
        folder: Folder,
    },
    Request {
        parent: ParentId,
        request: Request,
    },
    /// An item (with everything inside a folder) now lives in another container.
    Move {
        item: ItemId,
        to: ParentId,
    },
    DeleteCollection(CollectionId),
    DeleteItem(ItemId),
}

/// What a tree edit changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edit {
    /// In the order to write them.
    pub writes: Vec<TreeWrite>,
    /// Requests deleted with the edit (their open tabs become drafts).
    pub removed_requests: Vec<RequestId>,
}

/// Why a tree edit was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("A folder cannot be moved into itself.")]
    IntoItself,
}

/// The name a duplicate gets.
pub fn copy_name(name: &str) -> String {
    format!("{name} Copy")
}

/// Fresh ids for copied variables (ids are unique across the workspace).
fn renew_ids(variables: &mut [Variable]) {
    for v in variables {
        v.id = VariableId::new();
    }
}

impl WorkspaceData {
    /// The write of a container's own file as it is now; `None` when it is gone (or a folder
    /// no container lists).
    pub fn container_write(&self, container: ParentId) -> Option<TreeWrite> {
        match container {
            ParentId::Collection(id) => {
                let collection = self.collections.get(&id)?.clone();
                Some(TreeWrite::Collection { ws: self.id(), collection })
            }
            ParentId::Folder(id) => {
                let parent = self.parent_of(ItemId::Folder(id))?;
                let folder = self.folders.get(&id)?.clone();
                Some(TreeWrite::Folder { parent, folder })
            }
        }
    }

    /// Lists `item` in `parent`'s order at `index` (clamped; moved there when already listed).
    pub fn insert_child(&mut self, parent: ParentId, item: ItemId, index: usize) -> Edit {
        let Some(children) = self.children_mut(parent) else { return Edit::default() };
        children.retain(|c| *c != item);
        let at = index.min(children.len());
        children.insert(at, item);
        Edit { writes: self.container_write(parent).into_iter().collect(), ..Edit::default() }
    }

    /// Adds `request` at the end of `parent`.
    pub fn add_request(&mut self, parent: ParentId, request: Request) -> Edit {
        let id = request.id;
        let mut edit = Edit::default();
        edit.writes.push(TreeWrite::Request { parent, request: request.clone() });
        self.requests.insert(id, request);
        edit.writes.extend(self.insert_child(parent, ItemId::Request(id), usize::MAX).writes);
        edit
    }

    /// Adds `folder` at the end of `parent`.
    pub fn add_folder(&mut self, parent: ParentId, folder: Folder) -> Edit {
        let id = folder.id;
        let mut edit = Edit::default();
        edit.writes.push(TreeWrite::Folder { parent, folder: folder.clone() });
        self.folders.insert(id, folder);
        edit.writes.extend(self.insert_child(parent, ItemId::Folder(id), usize::MAX).writes);
        edit
    }

    /// Adds `collection` after the workspace's last one.
    pub fn add_collection(&mut self, collection: Collection) -> Edit {
        let id = collection.id;
        let mut edit = Edit::default();
        edit.writes.push(TreeWrite::Collection { ws: self.id(), collection: collection.clone() });
        self.collections.insert(id, collection);
        self.workspace.collections.push(id);
        edit.writes.push(TreeWrite::Workspace(self.workspace.clone()));
        edit
    }

    // ---- duplicating ---------------------------------------------------------------------------

    /// Copies a request (named "… Copy") right after the original; returns the copy's id.
    pub fn duplicate_request(&mut self, id: RequestId) -> Option<(RequestId, Edit)> {
        let original = self.requests.get(&id)?;
        let parent = self.parent_of(ItemId::Request(id))?;
        let mut copy = original.clone();
        copy.id = RequestId::new();
        copy.name = copy_name(&original.name);
        let copy_id = copy.id;
        let mut edit = Edit::default();
        edit.writes.push(TreeWrite::Request { parent, request: copy.clone() });
        self.requests.insert(copy_id, copy);
        let after = self.after(parent, ItemId::Request(id));
        edit.writes.extend(self.insert_child(parent, ItemId::Request(copy_id), after).writes);
        Some((copy_id, edit))
    }

    /// Copies a folder and everything in it (named "… Copy") right after the original; returns
    /// the copy's id.
    pub fn duplicate_folder(&mut self, id: FolderId) -> Option<(FolderId, Edit)> {
        let parent = self.parent_of(ItemId::Folder(id))?;
        let name = copy_name(&self.folders.get(&id)?.name);
        let mut edit = Edit::default();
        let copy_id = self.copy_folder(id, parent, Some(name), &mut HashSet::new(), &mut edit)?;
        let after = self.after(parent, ItemId::Folder(id));
        edit.writes.extend(self.insert_child(parent, ItemId::Folder(copy_id), after).writes);
        Some((copy_id, edit))
    }

    /// Copies a collection and everything in it (named "… Copy") right after the original in
    /// the workspace's order; returns the copy's id.
    pub fn duplicate_collection(&mut self, id: CollectionId) -> Option<(CollectionId, Edit)> {
        let original = self.collections.get(&id)?.clone();
        let mut copy = original.clone();
        copy.id = CollectionId::new();
        copy.name = copy_name(&original.name);
        copy.children.clear();
        renew_ids(&mut copy.variables);
        let copy_id = copy.id;
        let mut edit = Edit::default();
        edit.writes.push(TreeWrite::Collection { ws: self.id(), collection: copy.clone() });
        self.collections.insert(copy_id, copy);
        let at = self.workspace.collections.iter().position(|c| *c == id).map_or(0, |i| i + 1);
        self.workspace.collections.insert(at, copy_id);
        // Keep the map in the sidebar's order.
        let order = self.workspace.collections.clone();
        self.collections.sort_by_key(|k, _| order.iter().position(|o| o == k));
        edit.writes.push(TreeWrite::Workspace(self.workspace.clone()));
        let into = ParentId::Collection(copy_id);
        self.copy_children(&original.children, into, &mut HashSet::new(), &mut edit);
        edit.writes.extend(self.container_write(into));
        Some((copy_id, edit))
    }

    /// The place right after `item` in `parent`'s order (the end when it is not there).
    fn after(&self, parent: ParentId, item: ItemId) -> usize {
        self.children(parent).and_then(|c| c.iter().position(|x| *x == item)).map_or(usize::MAX, |i| i + 1)
    }

    /// Copies folder `id` and its contents into `into` (without listing the copy there: the
    /// caller places it). Its file is written empty first, so that its folder exists for what
    /// it holds, and again once its children are listed. `copying` stops a damaged tree whose
    /// orders form a cycle.
    fn copy_folder(
        &mut self,
        id: FolderId,
        into: ParentId,
        name: Option<String>,
        copying: &mut HashSet<FolderId>,
        edit: &mut Edit,
    ) -> Option<FolderId> {
        if !copying.insert(id) {
            return None;
        }
        let original = self.folders.get(&id)?.clone();
        let mut copy = original.clone();
        copy.id = FolderId::new();
        if let Some(name) = name {
            copy.name = name;
        }
        copy.children.clear();
        renew_ids(&mut copy.variables);
        let copy_id = copy.id;
        edit.writes.push(TreeWrite::Folder { parent: into, folder: copy.clone() });
        self.folders.insert(copy_id, copy);
        self.copy_children(&original.children, ParentId::Folder(copy_id), copying, edit);
        let folder = self.folders.get(&copy_id)?.clone();
        edit.writes.push(TreeWrite::Folder { parent: into, folder });
        copying.remove(&id);
        Some(copy_id)
    }

    /// Copies each of `children` (requests keep their names) to the end of `into`.
    fn copy_children(
        &mut self,
        children: &[ItemId],
        into: ParentId,
        copying: &mut HashSet<FolderId>,
        edit: &mut Edit,
    ) {
        for child in children {
            let copied = match *child {
                ItemId::Request(r) => {
                    let Some(mut copy) = self.requests.get(&r).cloned() else { continue };
                    copy.id = RequestId::new();
                    let id = copy.id;
                    edit.writes.push(TreeWrite::Request { parent: into, request: copy.clone() });
                    self.requests.insert(id, copy);
                    ItemId::Request(id)
                }
                ItemId::Folder(f) => match self.copy_folder(f, into, None, copying, edit) {
                    Some(id) => ItemId::Folder(id),
                    None => continue,
                },
            };
            if let Some(list) = self.children_mut(into) {
                list.push(copied);
            }
        }
    }

    // ---- deleting ------------------------------------------------------------------------------

    /// Deletes a collection with everything in it.
    pub fn delete_collection(&mut self, id: CollectionId) -> Edit {
        let (folders, requests) = self.descendants(ParentId::Collection(id));
        self.forget(&folders, &requests);
        self.collections.shift_remove(&id);
        self.workspace.collections.retain(|c| *c != id);
        Edit {
            writes: vec![TreeWrite::DeleteCollection(id), TreeWrite::Workspace(self.workspace.clone())],
            removed_requests: requests,
        }
    }

    /// Deletes a request, or a folder with everything in it, and unlists it from its parent.
    pub fn delete_item(&mut self, item: ItemId) -> Edit {
        let parent = self.parent_of(item);
        let requests = match item {
            ItemId::Request(r) => {
                self.requests.shift_remove(&r);
                vec![r]
            }
            ItemId::Folder(f) => {
                let (folders, requests) = self.descendants(ParentId::Folder(f));
                self.forget(&folders, &requests);
                self.folders.shift_remove(&f);
                requests
            }
        };
        let mut edit = Edit { writes: Vec::new(), removed_requests: requests };
        if let Some(parent) = parent {
            if let Some(children) = self.children_mut(parent) {
                children.retain(|c| *c != item);
            }
            edit.writes.push(TreeWrite::DeleteItem(item));
            edit.writes.extend(self.container_write(parent));
        }
        edit
    }

    fn forget(&mut self, folders: &[FolderId], requests: &[RequestId]) {
        for f in folders {
            self.folders.shift_remove(f);
        }
        for r in requests {
            self.requests.shift_remove(r);
        }
    }

    // ---- moving --------------------------------------------------------------------------------

    /// Moves `item` to position `index` of `to` (clamped), counted in `to`'s order before the
    /// move, as a drop between two rows is. Nothing changes when `item` is not in the tree.
    pub fn move_item(&mut self, item: ItemId, to: ParentId, index: usize) -> Result<Edit, TreeError> {
        let Some(from) = self.parent_of(item) else { return Ok(Edit::default()) };
        if let ItemId::Folder(f) = item {
            let target_chain = match to {
                ParentId::Folder(t) => {
                    let mut chain = self.ancestors(ItemId::Folder(t));
                    chain.push(ParentId::Folder(t));
                    chain
                }
                ParentId::Collection(_) => Vec::new(),
            };
            if target_chain.contains(&ParentId::Folder(f)) {
                return Err(TreeError::IntoItself);
            }
        }
        if from == to {
            let Some(children) = self.children_mut(to) else { return Ok(Edit::default()) };
            let Some(old) = children.iter().position(|c| *c == item) else { return Ok(Edit::default()) };
            children.remove(old);
            let at = if index > old { index - 1 } else { index }.min(children.len());
            children.insert(at, item);
            return Ok(Edit { writes: self.container_write(to).into_iter().collect(), ..Edit::default() });
        }
        if let Some(children) = self.children_mut(from) {
            children.retain(|c| *c != item);
        }
        let mut edit = Edit::default();
        edit.writes.push(TreeWrite::Move { item, to });
        edit.writes.extend(self.container_write(from));
        edit.writes.extend(self.insert_child(to, item, index).writes);
        Ok(edit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace with one collection: `[r1, f1 [r2, f2 [r3]], r4]`.
    struct Fixture {
        data: WorkspaceData,
        c: CollectionId,
        f1: FolderId,
        f2: FolderId,
        r: [RequestId; 4],
    }

    fn fixture() -> Fixture {
        let mut data = WorkspaceData::new(Workspace::new("W"));
        let c = Collection::new("C");
        let cid = c.id;
        data.add_collection(c);
        let top = ParentId::Collection(cid);
        let r1 = Request::new("r1");
        let r = [r1.id, RequestId::new(), RequestId::new(), RequestId::new()];
        data.add_request(top, r1);
        let mut f1 = Folder::new("f1");
        f1.variables.push(Variable::new("v", "1"));
        let f1id = f1.id;
        data.add_folder(top, f1);
        let mut r2 = Request::new("r2");
        r2.id = r[1];
        data.add_request(ParentId::Folder(f1id), r2);
        let f2 = Folder::new("f2");
        let f2id = f2.id;
        data.add_folder(ParentId::Folder(f1id), f2);
        let mut r3 = Request::new("r3");
        r3.id = r[2];
        data.add_request(ParentId::Folder(f2id), r3);
        let mut r4 = Request::new("r4");
        r4.id = r[3];
        data.add_request(top, r4);
        Fixture { data, c: cid, f1: f1id, f2: f2id, r }
    }

    fn names(data: &WorkspaceData, parent: ParentId) -> Vec<String> {
        data.children(parent)
            .unwrap()
            .iter()
            .map(|c| match c {
                ItemId::Request(r) => data.requests[r].name.clone(),
                ItemId::Folder(f) => format!("{}/", data.folders[f].name),
            })
            .collect()
    }

    #[test]
    fn adding_lists_the_item_and_writes_it_before_its_parent() {
        let f = fixture();
        let top = ParentId::Collection(f.c);
        assert_eq!(names(&f.data, top), ["r1", "f1/", "r4"]);
        let mut data = f.data;
        let request = Request::new("new");
        let id = request.id;
        let edit = data.add_request(ParentId::Folder(f.f2), request);
        assert!(matches!(&edit.writes[0], TreeWrite::Request { request, .. } if request.id == id));
        assert!(
            matches!(&edit.writes[1], TreeWrite::Folder { parent, folder } if folder.id == f.f2 && *parent == ParentId::Folder(f.f1) && folder.children.contains(&ItemId::Request(id)))
        );
        assert_eq!(edit.writes.len(), 2);
    }

    #[test]
    fn a_duplicated_request_follows_its_original_with_a_new_id() {
        let mut f = fixture();
        let (copy, edit) = f.data.duplicate_request(f.r[0]).unwrap();
        assert_ne!(copy, f.r[0]);
        assert_eq!(names(&f.data, ParentId::Collection(f.c)), ["r1", "r1 Copy", "f1/", "r4"]);
        assert_eq!(f.data.requests[&copy].url, f.data.requests[&f.r[0]].url);
        assert_eq!(edit.writes.len(), 2, "the copy and its collection: {edit:?}");
        assert!(edit.removed_requests.is_empty());
        assert!(f.data.duplicate_request(RequestId::new()).is_none(), "an unknown request");
    }

    #[test]
    fn a_duplicated_folder_copies_its_whole_tree_with_new_ids() {
        let mut f = fixture();
        let before = (f.data.folders.len(), f.data.requests.len());
        let (copy, edit) = f.data.duplicate_folder(f.f1).unwrap();
        assert_eq!(names(&f.data, ParentId::Collection(f.c)), ["r1", "f1/", "f1 Copy/", "r4"]);
        assert_eq!(names(&f.data, ParentId::Folder(copy)), ["r2", "f2/"]);
        assert_eq!((f.data.folders.len(), f.data.requests.len()), (before.0 + 2, before.1 + 2));
        let inner = f.data.folders[&copy].children[1];
        let ItemId::Folder(inner) = inner else { panic!("{inner:?}") };
        assert_ne!(inner, f.f2);
        assert_eq!(names(&f.data, ParentId::Folder(inner)), ["r3"]);
        assert_ne!(f.data.folders[&copy].variables[0].id, f.data.folders[&f.f1].variables[0].id);
        // A folder is written before anything inside it; the parent's order last.
        let written_at = |id: FolderId| {
            edit.writes.iter().position(|w| matches!(w, TreeWrite::Folder { folder, .. } if folder.id == id))
        };
        let first_request = edit.writes.iter().position(|w| matches!(w, TreeWrite::Request { .. })).unwrap();
        assert!(written_at(copy).unwrap() < first_request);
        assert!(written_at(inner).unwrap() > written_at(copy).unwrap());
        assert!(
            matches!(edit.writes.last(), Some(TreeWrite::Collection { collection: c, .. }) if c.children.contains(&ItemId::Folder(copy)))
        );
        // The copy's final file lists its children.
        let last_of_copy = edit
            .writes
            .iter()
            .rev()
            .find_map(|w| match w {
                TreeWrite::Folder { folder, .. } if folder.id == copy => Some(folder),
                _ => None,
            })
            .unwrap();
        assert_eq!(last_of_copy.children.len(), 2);
    }

    #[test]
    fn copying_a_tree_whose_orders_form_a_cycle_ends() {
        let mut f = fixture();
        // A damaged tree: f2 lists f1, its own ancestor.
        f.data.folders.get_mut(&f.f2).unwrap().children.push(ItemId::Folder(f.f1));
        let (copy, _) = f.data.duplicate_folder(f.f1).unwrap();
        assert!(f.data.folders.contains_key(&copy));
    }

    #[test]
    fn a_duplicated_collection_comes_right_after_the_original() {
        let mut f = fixture();
        let other = Collection::new("Other");
        let other_id = other.id;
        f.data.add_collection(other);
        let (copy, edit) = f.data.duplicate_collection(f.c).unwrap();
        assert_eq!(f.data.workspace.collections, [f.c, copy, other_id]);
        assert_eq!(f.data.collections.keys().copied().collect::<Vec<_>>(), [f.c, copy, other_id]);
        assert_eq!(f.data.collections[&copy].name, "C Copy");
        assert_eq!(names(&f.data, ParentId::Collection(copy)), ["r1", "f1/", "r4"]);
        assert!(
            matches!(edit.writes[0], TreeWrite::Collection { collection: ref c, .. } if c.id == copy && c.children.is_empty())
        );
        assert!(matches!(edit.writes[1], TreeWrite::Workspace(_)));
        assert!(
            matches!(edit.writes.last(), Some(TreeWrite::Collection { collection: c, .. }) if c.children.len() == 3)
        );
    }

    #[test]
    fn deleting_a_folder_removes_everything_inside_and_names_the_requests() {
        let mut f = fixture();
        let edit = f.data.delete_item(ItemId::Folder(f.f1));
        assert_eq!(names(&f.data, ParentId::Collection(f.c)), ["r1", "r4"]);
        assert!(!f.data.folders.contains_key(&f.f1) && !f.data.folders.contains_key(&f.f2));
        let mut removed = edit.removed_requests.clone();
        removed.sort_by_key(|r| r.0);
        let mut expected = vec![f.r[1], f.r[2]];
        expected.sort_by_key(|r| r.0);
        assert_eq!(removed, expected);
        assert_eq!(edit.writes[0], TreeWrite::DeleteItem(ItemId::Folder(f.f1)));
        assert!(matches!(edit.writes[1], TreeWrite::Collection { .. }));
    }

    #[test]
    fn deleting_a_request_or_a_collection() {
        let mut f = fixture();
        let edit = f.data.delete_item(ItemId::Request(f.r[3]));
        assert_eq!(edit.removed_requests, [f.r[3]]);
        assert_eq!(names(&f.data, ParentId::Collection(f.c)), ["r1", "f1/"]);
        let edit = f.data.delete_collection(f.c);
        assert_eq!(edit.removed_requests.len(), 3);
        assert!(f.data.collections.is_empty() && f.data.folders.is_empty() && f.data.requests.is_empty());
        assert!(f.data.workspace.collections.is_empty());
        assert_eq!(edit.writes[0], TreeWrite::DeleteCollection(f.c));
    }

    #[test]
    fn a_folder_cannot_move_into_itself_or_below_itself() {
        let mut f = fixture();
        let before = f.data.clone();
        assert_eq!(
            f.data.move_item(ItemId::Folder(f.f1), ParentId::Folder(f.f1), 0),
            Err(TreeError::IntoItself)
        );
        assert_eq!(
            f.data.move_item(ItemId::Folder(f.f1), ParentId::Folder(f.f2), 0),
            Err(TreeError::IntoItself)
        );
        assert_eq!(f.data, before, "nothing changed");
    }

    #[test]
    fn moving_within_a_parent_counts_the_index_before_the_move() {
        let mut f = fixture();
        let top = ParentId::Collection(f.c);
        // Dropped after r4 (index 3 of [r1, f1, r4]).
        let edit = f.data.move_item(ItemId::Request(f.r[0]), top, 3).unwrap();
        assert_eq!(names(&f.data, top), ["f1/", "r4", "r1"]);
        assert_eq!(edit.writes.len(), 1);
        f.data.move_item(ItemId::Request(f.r[0]), top, 0).unwrap();
        assert_eq!(names(&f.data, top), ["r1", "f1/", "r4"]);
    }

    #[test]
    fn moving_to_another_parent_writes_the_move_and_both_orders() {
        let mut f = fixture();
        let top = ParentId::Collection(f.c);
        let edit = f.data.move_item(ItemId::Request(f.r[2]), top, 1).unwrap();
        assert_eq!(names(&f.data, top), ["r1", "r3", "f1/", "r4"]);
        assert!(names(&f.data, ParentId::Folder(f.f2)).is_empty());
        assert_eq!(edit.writes[0], TreeWrite::Move { item: ItemId::Request(f.r[2]), to: top });
        assert!(matches!(&edit.writes[1], TreeWrite::Folder { folder, .. } if folder.id == f.f2));
        assert!(matches!(&edit.writes[2], TreeWrite::Collection { collection: c, .. } if c.id == f.c));
        assert_eq!(f.data.move_item(ItemId::Request(RequestId::new()), top, 0), Ok(Edit::default()));
    }
}
