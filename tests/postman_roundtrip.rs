//! Postman v2.1 export, read back through `interop::import` (the foreign importer): the same
//! tree, requests, bodies, auth and variables must come back.

#![allow(clippy::unwrap_used)] // test code: a failure is a failed test

use localpost::interop::export::postman::{self, PostmanOptions};
use localpost::interop::{self, Format};
use localpost::model::*;

/// `Collection / Folder / Request` -> request, for comparing trees whatever the ids.
fn by_path(data: &WorkspaceData) -> Vec<(String, Request)> {
    let mut out = Vec::new();
    fn walk(data: &WorkspaceData, parent: ParentId, path: &str, out: &mut Vec<(String, Request)>) {
        for child in data.children(parent).into_iter().flatten() {
            match child {
                ItemId::Folder(f) => {
                    let folder = &data.folders[f];
                    walk(data, ParentId::Folder(*f), &format!("{path} / {}", folder.name), out);
                }
                ItemId::Request(r) => {
                    let request = &data.requests[r];
                    out.push((format!("{path} / {}", request.name), request.clone()));
                }
            }
        }
    }
    for c in data.collections.values() {
        walk(data, ParentId::Collection(c.id), &c.name, &mut out);
    }
    out
}

fn sample() -> (WorkspaceData, CollectionId) {
    let mut data = WorkspaceData::new(Workspace::new("W"));
    let mut c = Collection::new("Round trip");
    c.description = "Collection **docs**".into();
    c.variables.push(Variable::new("base", "http://127.0.0.1:1"));
    c.variables.push(Variable::new("off", "x").disabled());
    c.auth = Auth::Bearer { token: "{{token}}".into() };
    let mut folder = Folder::new("Folder");
    folder.auth = Auth::Basic { username: "u".into(), password: "p".into() };
    let mut get = Request::new("Get").with_url("{{base}}/users/:id?page=2");
    get.path_variables.push(KeyValue::new("id", "1").with_description("user id"));
    get.params = vec![KeyValue::new("page", "2"), KeyValue::new("debug", "1").disabled()];
    get.headers = vec![KeyValue::new("Accept", "application/json"), KeyValue::new("X-Off", "1").disabled()];
    get.description = "Gets a user".into();
    let mut post = Request::new("Post").with_method(Method::Post).with_url("{{base}}/users");
    post.body = Body::json("{\"a\": 1}");
    post.auth = Auth::ApiKey { key: "X-Key".into(), value: "k".into(), location: ApiKeyLocation::Header };
    let mut form = Request::new("Form").with_method(Method::Post).with_url("{{base}}/form");
    form.body.mode = BodyMode::UrlEncoded;
    form.body.urlencoded = vec![KeyValue::new("a", "1"), KeyValue::new("b", "2").disabled()];
    form.auth = Auth::None;
    let mut ntlm = Request::new("NTLM").with_url("{{base}}/ntlm");
    ntlm.auth = Auth::Ntlm(NtlmAuth {
        username: "u".into(),
        password: "p".into(),
        domain: "D".into(),
        ..NtlmAuth::default()
    });
    folder.children = vec![ItemId::Request(get.id), ItemId::Request(post.id)];
    c.children = vec![ItemId::Folder(folder.id), ItemId::Request(form.id), ItemId::Request(ntlm.id)];
    for r in [get, post, form, ntlm] {
        data.requests.insert(r.id, r);
    }
    data.folders.insert(folder.id, folder);
    let id = c.id;
    data.workspace.collections.push(id);
    data.collections.insert(id, c);
    (data, id)
}

#[test]
fn postman_v21_export_imports_back_the_same() {
    let (data, id) = sample();
    let exported =
        postman::collection_v21(&data, ParentId::Collection(id), PostmanOptions::default()).unwrap();
    let imported = interop::import(exported.text.as_bytes(), "round-trip.postman_collection.json").unwrap();
    assert_eq!(imported.format, Format::PostmanCollectionV21);
    let back = &imported.workspaces[0];
    let c = back.collections.values().next().unwrap();
    let original = &data.collections[&id];
    assert_eq!(c.name, original.name);
    assert_eq!(c.description, original.description);
    assert_eq!(c.auth, original.auth);
    let vars: Vec<_> = c.variables.iter().map(|v| (&v.key, &v.value, v.enabled)).collect();
    let want: Vec<_> = original.variables.iter().map(|v| (&v.key, &v.value, v.enabled)).collect();
    assert_eq!(vars, want);
    let folder = back.folders.values().next().unwrap();
    assert_eq!(folder.auth, Auth::Basic { username: "u".into(), password: "p".into() });

    let (a, b) = (by_path(&data), by_path(back));
    assert_eq!(a.iter().map(|(p, _)| p).collect::<Vec<_>>(), b.iter().map(|(p, _)| p).collect::<Vec<_>>());
    for ((path, want), (_, got)) in a.iter().zip(&b) {
        assert_eq!(got.method, want.method, "{path}");
        assert_eq!(got.params, want.params, "{path}");
        assert_eq!(got.path_variables, want.path_variables, "{path}");
        assert_eq!(got.headers, want.headers, "{path}");
        assert_eq!(got.body.mode, want.body.mode, "{path}");
        assert_eq!(got.body.raw, want.body.raw, "{path}");
        assert_eq!(got.body.urlencoded, want.body.urlencoded, "{path}");
        assert_eq!(got.auth, want.auth, "{path}");
        assert_eq!(got.description, want.description, "{path}");
        // The URL may come back with or without the query it shares with `params`.
        assert!(got.url.starts_with(want.url.split('?').next().unwrap()), "{path}: {}", got.url);
    }
}
