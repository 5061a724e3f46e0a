//! Edits of a request's saved examples (rename, duplicate, delete, replace) as operations on a
//! workspace's data. Examples live in their request's file, so each edit returns an [`Edit`]
//! that rewrites that one request.

use super::ids::{ExampleId, ItemId, RequestId};
use super::response::SavedResponse;
use super::tree::{Edit, TreeWrite, copy_name};
use super::workspace::WorkspaceData;

impl WorkspaceData {
    /// The saved example `example` of request `request`.
    pub fn example(&self, request: RequestId, example: ExampleId) -> Option<&SavedResponse> {
        self.requests.get(&request)?.examples.iter().find(|e| e.id == example)
    }

    /// Changes a request's examples with `change` and returns the write of its file, or `None`
    /// (nothing changed) when the request is not in the tree or `change` returns `None`.
    fn edit_examples<T>(
        &mut self,
        request: RequestId,
        change: impl FnOnce(&mut Vec<SavedResponse>) -> Option<T>,
    ) -> Option<(T, Edit)> {
        let parent = self.parent_of(ItemId::Request(request))?;
        let saved = self.requests.get_mut(&request)?;
        let result = change(&mut saved.examples)?;
        let edit = Edit {
            writes: vec![TreeWrite::Request { parent, request: saved.clone() }],
            removed_requests: Vec::new(),
        };
        Some((result, edit))
    }

    /// Renames an example; an empty name is refused (`None`).
    pub fn rename_example(&mut self, request: RequestId, example: ExampleId, name: &str) -> Option<Edit> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        self.edit_examples(request, |examples| {
            let e = examples.iter_mut().find(|e| e.id == example)?;
            name.clone_into(&mut e.name);
            Some(())
        })
        .map(|((), edit)| edit)
    }

    /// Copies an example (named "… Copy") right after the original; returns the copy's id.
    pub fn duplicate_example(&mut self, request: RequestId, example: ExampleId) -> Option<(ExampleId, Edit)> {
        self.edit_examples(request, |examples| {
            let at = examples.iter().position(|e| e.id == example)?;
            let mut copy = examples[at].clone();
            copy.id = ExampleId::new();
            copy.name = copy_name(&examples[at].name);
            let id = copy.id;
            examples.insert(at + 1, copy);
            Some(id)
        })
    }

    /// Removes an example from its request.
    pub fn delete_example(&mut self, request: RequestId, example: ExampleId) -> Option<Edit> {
        self.edit_examples(request, |examples| {
            let at = examples.iter().position(|e| e.id == example)?;
            examples.remove(at);
            Some(())
        })
        .map(|((), edit)| edit)
    }

    /// Puts an edited example in the place of the one with its id.
    pub fn replace_example(&mut self, request: RequestId, example: SavedResponse) -> Option<Edit> {
        self.edit_examples(request, |examples| {
            let slot = examples.iter_mut().find(|e| e.id == example.id)?;
            *slot = example;
            Some(())
        })
        .map(|((), edit)| edit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Collection, ParentId, Request, ResponseRecord, SentRequest, Workspace};

    fn example(name: &str) -> SavedResponse {
        SavedResponse {
            id: ExampleId::new(),
            name: name.to_owned(),
            request: SentRequest { method: "GET".into(), url: "http://h/x".into(), ..SentRequest::default() },
            response: ResponseRecord { status: 200, ..ResponseRecord::default() },
            saved_at: None,
            source_request: None,
        }
    }

    fn fixture() -> (WorkspaceData, RequestId, [ExampleId; 2]) {
        let mut data = WorkspaceData::new(Workspace::new("W"));
        let c = Collection::new("C");
        let top = ParentId::Collection(c.id);
        data.add_collection(c);
        let mut r = Request::new("r");
        let (a, b) = (example("ok"), example("missing"));
        let ids = [a.id, b.id];
        r.examples = vec![a, b];
        let id = r.id;
        data.add_request(top, r);
        (data, id, ids)
    }

    fn names(data: &WorkspaceData, r: RequestId) -> Vec<String> {
        data.requests[&r].examples.iter().map(|e| e.name.clone()).collect()
    }

    /// The one write is the request's file, as it now is.
    fn written(edit: &Edit) -> &Request {
        match edit.writes.as_slice() {
            [TreeWrite::Request { request, .. }] => request,
            other => panic!("one request write expected, got {other:?}"),
        }
    }

    #[test]
    fn renaming_an_example_rewrites_its_request() {
        let (mut data, r, [a, _]) = fixture();
        let edit = data.rename_example(r, a, "  All good ").unwrap();
        assert_eq!(names(&data, r), ["All good", "missing"]);
        assert_eq!(written(&edit), &data.requests[&r]);
        assert!(data.rename_example(r, a, "   ").is_none(), "an empty name is refused");
        assert!(data.rename_example(r, ExampleId::new(), "x").is_none(), "an unknown example");
    }

    #[test]
    fn a_duplicated_example_follows_its_original_with_a_new_id() {
        let (mut data, r, [a, _]) = fixture();
        let (copy, edit) = data.duplicate_example(r, a).unwrap();
        assert_eq!(names(&data, r), ["ok", "ok Copy", "missing"]);
        assert_ne!(copy, a);
        assert_eq!(data.example(r, copy).unwrap().request, data.example(r, a).unwrap().request);
        assert_eq!(written(&edit).examples.len(), 3);
    }

    #[test]
    fn deleting_and_replacing_an_example() {
        let (mut data, r, [a, b]) = fixture();
        let mut edited = data.example(r, b).unwrap().clone();
        edited.response.status = 404;
        data.replace_example(r, edited).unwrap();
        assert_eq!(data.example(r, b).unwrap().response.status, 404);
        let edit = data.delete_example(r, a).unwrap();
        assert_eq!(names(&data, r), ["missing"]);
        assert_eq!(written(&edit).examples.len(), 1);
        assert!(data.delete_example(r, a).is_none(), "already gone");
    }
}
