//! The Save dialog's new collection or folder: named inline, checked (not empty, no sibling of
//! the same name), created, and chosen as where the request is saved.

use crate::model::*;

use super::App;
use super::state::Modal;

/// What the Save dialog asks of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveDialogCommand {
    /// A new collection named so, chosen as the destination.
    CreateCollection(String),
    /// A new folder in `parent`, chosen as the destination.
    CreateFolder { parent: ParentId, name: String },
}

/// Why `name` cannot name a new collection (`parent` is `None`) or a new folder in `parent`,
/// or `None` when it can.
pub fn container_name_problem(ws: &WorkspaceData, parent: Option<ParentId>, name: &str) -> Option<String> {
    let name = name.trim();
    let what = if parent.is_some() { "folder" } else { "collection" };
    if name.is_empty() {
        return Some(format!("Give the {what} a name."));
    }
    let lower = name.to_lowercase();
    if sibling_names(ws, parent).any(|n| n.trim().to_lowercase() == lower) {
        let place = match parent.and_then(|p| ws.parent_name(p)) {
            Some(p) => format!("in “{p}”"),
            None => "in this workspace".to_owned(),
        };
        return Some(format!("A {what} named “{name}” already exists {place}."));
    }
    None
}

/// The names of the collections (`parent` is `None`) or of the folders directly in `parent`.
fn sibling_names(ws: &WorkspaceData, parent: Option<ParentId>) -> Box<dyn Iterator<Item = &str> + '_> {
    match parent {
        None => Box::new(ws.collections.values().map(|c| c.name.as_str())),
        Some(p) => Box::new(ws.children(p).into_iter().flatten().filter_map(|child| match child {
            ItemId::Folder(f) => ws.folders.get(f).map(|f| f.name.as_str()),
            _ => None,
        })),
    }
}

/// "New Collection" (or "New Folder"), numbered when that name is taken: the inline field's
/// first text.
pub fn default_container_name(ws: &WorkspaceData, parent: Option<ParentId>) -> String {
    let base = if parent.is_some() { "New Folder" } else { "New Collection" };
    (1..1000)
        .map(|n| if n == 1 { base.to_owned() } else { format!("{base} {n}") })
        .find(|name| container_name_problem(ws, parent, name).is_none())
        .unwrap_or_else(|| base.to_owned())
}

impl App {
    pub(super) fn save_dialog(&mut self, command: SaveDialogCommand) {
        let Some(ws_id) = self.state.workspace else { return };
        let (parent, name) = match command {
            SaveDialogCommand::CreateCollection(name) => (None, name),
            SaveDialogCommand::CreateFolder { parent, name } => (Some(parent), name),
        };
        let problem = match self.state.library.workspaces.get(&ws_id) {
            None => return,
            Some(ws) if parent.is_some_and(|p| ws.children(p).is_none()) => {
                Some(format!("“{}” cannot be made: its place was deleted.", name.trim()))
            }
            Some(ws) => container_name_problem(ws, parent, &name),
        };
        if let Some(problem) = problem {
            self.state.error(problem);
            return;
        }
        let name = name.trim();
        let chosen = match parent {
            None => {
                let collection = Collection::new(name);
                let id = collection.id;
                self.edit_tree(ws_id, |data| Some(data.add_collection(collection)));
                ParentId::Collection(id)
            }
            Some(parent) => {
                let folder = Folder::new(name);
                let id = folder.id;
                self.edit_tree(ws_id, |data| Some(data.add_folder(parent, folder)));
                self.state.sidebar.expanded.insert(parent);
                ParentId::Folder(id)
            }
        };
        self.state.sidebar.expanded.insert(chosen);
        if let Some(Modal::SaveAs { parent, .. }) = &mut self.state.modal {
            *parent = Some(chosen);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_given_and_new_among_their_siblings() {
        let mut ws = WorkspaceData::new(Workspace::new("W"));
        let api = Collection::new("API");
        let api_id = ParentId::Collection(api.id);
        let _ = ws.add_collection(api);
        let _ = ws.add_folder(api_id, Folder::new("Users"));
        assert_eq!(container_name_problem(&ws, None, "  "), Some("Give the collection a name.".into()));
        assert_eq!(
            container_name_problem(&ws, None, " api "),
            Some("A collection named “api” already exists in this workspace.".into())
        );
        assert_eq!(container_name_problem(&ws, None, "Other"), None);
        assert_eq!(
            container_name_problem(&ws, Some(api_id), "users"),
            Some("A folder named “users” already exists in “API”.".into())
        );
        assert_eq!(
            container_name_problem(&ws, Some(api_id), "API"),
            None,
            "a folder may share its collection's name"
        );
        assert_eq!(default_container_name(&ws, None), "New Collection");
        let _ = ws.add_collection(Collection::new("New Collection"));
        assert_eq!(default_container_name(&ws, None), "New Collection 2");
        assert_eq!(default_container_name(&ws, Some(api_id)), "New Folder");
    }
}
