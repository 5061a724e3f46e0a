//! A workspace: the top-level container a user switches between, and the loaded whole of it.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::collection::{Collection, Folder};
use super::ids::{CollectionId, EnvironmentId, FolderId, ItemId, ParentId, PresetId, RequestId, WorkspaceId};
use super::kv::KeyValue;
use super::request::Request;
use super::variables::{Environment, Globals};

/// The workspace's own file: its name and the order of what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub collections: Vec<CollectionId>,
    #[serde(default)]
    pub environments: Vec<EnvironmentId>,
    #[serde(default)]
    pub header_presets: Vec<PresetId>,
}

impl Workspace {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            id: WorkspaceId::new(),
            name: name.into(),
            description: String::new(),
            collections: Vec::new(),
            environments: Vec::new(),
            header_presets: Vec::new(),
        }
    }
}

/// A named list of headers a user can drop into a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderPreset {
    pub id: PresetId,
    pub name: String,
    #[serde(default)]
    pub headers: Vec<KeyValue>,
}

impl HeaderPreset {
    pub fn new(name: impl Into<String>) -> Self {
        Self { id: PresetId::new(), name: name.into(), headers: Vec::new() }
    }
}

/// Everything of one workspace held in memory: flat maps by id, the tree given by each parent's
/// `children` order. History and run results are loaded on demand, not here.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkspaceData {
    pub workspace: Workspace,
    pub globals: Globals,
    pub collections: IndexMap<CollectionId, Collection>,
    pub folders: IndexMap<FolderId, Folder>,
    pub requests: IndexMap<RequestId, Request>,
    pub environments: IndexMap<EnvironmentId, Environment>,
    pub header_presets: IndexMap<PresetId, HeaderPreset>,
    /// Placeholders for the workspace itself or a collection or folder whose own file did not
    /// load: named after their folder, holding what loaded inside, never written back.
    pub damaged: std::collections::HashSet<uuid::Uuid>,
}

impl WorkspaceData {
    pub fn new(workspace: Workspace) -> Self {
        Self {
            workspace,
            globals: Globals::default(),
            collections: IndexMap::new(),
            folders: IndexMap::new(),
            requests: IndexMap::new(),
            environments: IndexMap::new(),
            header_presets: IndexMap::new(),
            damaged: std::collections::HashSet::new(),
        }
    }

    /// Whether a workspace, collection or folder (by id) is a placeholder for a damaged file.
    pub fn is_damaged(&self, id: uuid::Uuid) -> bool {
        self.damaged.contains(&id)
    }

    pub fn id(&self) -> WorkspaceId {
        self.workspace.id
    }

    /// The order list of a parent, if it exists.
    pub fn children(&self, parent: ParentId) -> Option<&Vec<ItemId>> {
        match parent {
            ParentId::Collection(id) => self.collections.get(&id).map(|c| &c.children),
            ParentId::Folder(id) => self.folders.get(&id).map(|f| &f.children),
        }
    }

    pub fn children_mut(&mut self, parent: ParentId) -> Option<&mut Vec<ItemId>> {
        match parent {
            ParentId::Collection(id) => self.collections.get_mut(&id).map(|c| &mut c.children),
            ParentId::Folder(id) => self.folders.get_mut(&id).map(|f| &mut f.children),
        }
    }

    /// The parent listing `item` in its order (a scan; see [`Self::parent_index`] for many).
    pub fn parent_of(&self, item: ItemId) -> Option<ParentId> {
        self.collections
            .values()
            .find(|c| c.children.contains(&item))
            .map(|c| ParentId::Collection(c.id))
            .or_else(|| {
                self.folders.values().find(|f| f.children.contains(&item)).map(|f| ParentId::Folder(f.id))
            })
    }

    /// Every item's parent at once.
    pub fn parent_index(&self) -> std::collections::HashMap<ItemId, ParentId> {
        let mut index = std::collections::HashMap::with_capacity(self.folders.len() + self.requests.len());
        for c in self.collections.values() {
            for child in &c.children {
                index.insert(*child, ParentId::Collection(c.id));
            }
        }
        for f in self.folders.values() {
            for child in &f.children {
                index.insert(*child, ParentId::Folder(f.id));
            }
        }
        index
    }

    /// The chain of containers above `item`, nearest first, ending at its collection.
    /// Stops (rather than loops) if the order lists contain a cycle. Each step scans the orders:
    /// for many items, build a [`Self::parent_index`] once and use [`Self::ancestors_in`].
    pub fn ancestors(&self, item: ItemId) -> Vec<ParentId> {
        Self::chain(item, |i| self.parent_of(i))
    }

    /// [`Self::ancestors`] from a [`Self::parent_index`] built once (a run of many requests).
    pub fn ancestors_in(
        parents: &std::collections::HashMap<ItemId, ParentId>,
        item: ItemId,
    ) -> Vec<ParentId> {
        Self::chain(item, |i| parents.get(&i).copied())
    }

    fn chain(item: ItemId, parent_of: impl Fn(ItemId) -> Option<ParentId>) -> Vec<ParentId> {
        let mut chain = Vec::new();
        let mut current = item;
        while let Some(parent) = parent_of(current) {
            if chain.contains(&parent) {
                break;
            }
            chain.push(parent);
            match parent {
                ParentId::Collection(_) => break,
                ParentId::Folder(f) => current = ItemId::Folder(f),
            }
        }
        chain
    }

    /// The collection an item belongs to.
    pub fn collection_of(&self, item: ItemId) -> Option<CollectionId> {
        self.ancestors(item).into_iter().find_map(|p| match p {
            ParentId::Collection(c) => Some(c),
            ParentId::Folder(_) => None,
        })
    }

    /// Request ids under `parent` in tree order, depth first.
    pub fn requests_under(&self, parent: ParentId) -> Vec<RequestId> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        self.collect_requests(parent, &mut out, &mut seen);
        out
    }

    /// What a collection run sends under `parent`, in tree order: its HTTP requests. WebSocket
    /// requests are connected to by hand, not run (as in Postman's and Insomnia's runners).
    pub fn runnable_requests_under(&self, parent: ParentId) -> Vec<RequestId> {
        let mut out = self.requests_under(parent);
        out.retain(|id| self.requests.get(id).is_some_and(|r| !r.is_websocket()));
        out
    }

    fn collect_requests(
        &self,
        parent: ParentId,
        out: &mut Vec<RequestId>,
        seen: &mut std::collections::HashSet<ParentId>,
    ) {
        if !seen.insert(parent) {
            return;
        }
        let Some(children) = self.children(parent) else { return };
        for child in children {
            match *child {
                ItemId::Request(r) if self.requests.contains_key(&r) => out.push(r),
                ItemId::Request(_) => {}
                ItemId::Folder(f) => self.collect_requests(ParentId::Folder(f), out, seen),
            }
        }
    }

    /// Every folder and request under `parent`, at any depth.
    pub fn descendants(&self, parent: ParentId) -> (Vec<FolderId>, Vec<RequestId>) {
        let mut folders = Vec::new();
        let mut requests = Vec::new();
        let mut stack = vec![parent];
        let mut seen = std::collections::HashSet::new();
        while let Some(p) = stack.pop() {
            if !seen.insert(p) {
                continue;
            }
            for child in self.children(p).into_iter().flatten() {
                match *child {
                    ItemId::Folder(f) if self.folders.contains_key(&f) => {
                        folders.push(f);
                        stack.push(ParentId::Folder(f));
                    }
                    ItemId::Request(r) if self.requests.contains_key(&r) => requests.push(r),
                    _ => {}
                }
            }
        }
        (folders, requests)
    }

    /// The display name of a parent.
    pub fn parent_name(&self, parent: ParentId) -> Option<&str> {
        match parent {
            ParentId::Collection(id) => self.collections.get(&id).map(|c| c.name.as_str()),
            ParentId::Folder(id) => self.folders.get(&id).map(|f| f.name.as_str()),
        }
    }
}

/// Everything in a data folder: its workspaces in the user's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Library {
    pub workspaces: IndexMap<WorkspaceId, WorkspaceData>,
}
