//! Building a workspace fragment: entities go into the flat maps, their ids into the parent's
//! order, in the order the source lists them.

use crate::model::{
    Collection, CollectionId, Environment, Folder, FolderId, ItemId, ParentId, Request, RequestId, Workspace,
    WorkspaceData, WorkspaceId,
};

/// A workspace being filled by an importer.
pub(crate) struct Tree {
    pub data: WorkspaceData,
}

impl Tree {
    pub fn new(id: uuid::Uuid, name: &str) -> Self {
        let mut workspace = Workspace::new(name);
        workspace.id = WorkspaceId(id);
        Self { data: WorkspaceData::new(workspace) }
    }

    pub fn add_collection(&mut self, collection: Collection) -> CollectionId {
        let id = collection.id;
        self.data.workspace.collections.push(id);
        self.data.collections.insert(id, collection);
        id
    }

    pub fn add_folder(&mut self, parent: ParentId, folder: Folder) -> FolderId {
        let id = folder.id;
        self.push_child(parent, ItemId::Folder(id));
        self.data.folders.insert(id, folder);
        id
    }

    pub fn add_request(&mut self, parent: ParentId, request: Request) -> RequestId {
        let id = request.id;
        self.push_child(parent, ItemId::Request(id));
        self.data.requests.insert(id, request);
        id
    }

    pub fn add_environment(&mut self, environment: Environment) {
        self.data.workspace.environments.push(environment.id);
        self.data.environments.insert(environment.id, environment);
    }

    fn push_child(&mut self, parent: ParentId, child: ItemId) {
        if let Some(children) = self.data.children_mut(parent) {
            children.push(child);
        }
    }

    pub fn into_data(self) -> WorkspaceData {
        self.data
    }
}
