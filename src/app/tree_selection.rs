//! The collections tree's selected row, as in a file explorer: moved by the keyboard, set by a
//! click, and following the open tab. Transient: nothing of it is written to the data folder.

use crate::model::*;

use super::state::{Tab, TabId, TabKind, Target};

/// Which row of the tree is selected, and what the tree still has to do about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeSelection {
    /// The selected collection, folder or request.
    pub selected: Option<Target>,
    /// Where the selected row was in the visible rows when last drawn: when it goes away (deleted),
    /// the row now at that place is selected, as a file explorer does.
    pub index_hint: usize,
    /// The active tab the tree last followed; another active tab is followed once.
    pub followed: Option<TabId>,
    /// Scroll the selected row into view on the next draw (once, not every frame).
    pub scroll_pending: bool,
    /// A key sent the focus elsewhere (F2's rename field, Delete's confirmation): the tree takes
    /// the keyboard back when that is over and nothing else took it.
    pub resume_focus: bool,
}

impl TreeSelection {
    /// Selects `target` and asks for it to be scrolled into view.
    pub fn select(&mut self, target: Target) {
        self.selected = Some(target);
        self.scroll_pending = true;
    }
}

/// The tree row a tab shows: its saved request, a saved example, or the collection or folder of
/// an overview.
pub fn tab_target(tab: &Tab) -> Option<Target> {
    match &tab.kind {
        TabKind::Request(r) => Some(Target::Request(r.draft.id)),
        TabKind::Container(p) => Some(Target::from(*p)),
        TabKind::Example(x) => Some(Target::Example(x.request, x.example())),
        _ => None,
    }
}

/// Whether the tree's `target` still exists in `ws`.
pub fn exists(ws: &WorkspaceData, target: Target) -> bool {
    match target {
        Target::Collection(id) => ws.collections.contains_key(&id),
        Target::Folder(id) => ws.folders.contains_key(&id),
        Target::Request(id) => ws.requests.contains_key(&id),
        Target::Example(r, e) => ws.requests.get(&r).is_some_and(|r| r.examples.iter().any(|x| x.id == e)),
        _ => false,
    }
}

/// The containers above a tree row, nearest first (none for a collection or anything else); an
/// example's are its request's.
pub fn ancestors(ws: &WorkspaceData, target: Target) -> Vec<ParentId> {
    match target {
        Target::Request(id) | Target::Example(id, _) => ws.ancestors(ItemId::Request(id)),
        Target::Folder(id) => ws.ancestors(ItemId::Folder(id)),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_s_ancestors_are_its_folders_then_its_collection() {
        let mut ws = WorkspaceData::new(Workspace::new("W"));
        let c = Collection::new("C");
        let cid = c.id;
        let _ = ws.add_collection(c);
        let f = Folder::new("F");
        let fid = f.id;
        let _ = ws.add_folder(ParentId::Collection(cid), f);
        let r = Request::new("R");
        let rid = r.id;
        let _ = ws.add_request(ParentId::Folder(fid), r);
        assert_eq!(
            ancestors(&ws, Target::Request(rid)),
            vec![ParentId::Folder(fid), ParentId::Collection(cid)]
        );
        assert!(ancestors(&ws, Target::Collection(cid)).is_empty());
        assert!(exists(&ws, Target::Request(rid)));
        let _ = ws.delete_item(ItemId::Request(rid));
        assert!(!exists(&ws, Target::Request(rid)), "gone once deleted");
    }
}
