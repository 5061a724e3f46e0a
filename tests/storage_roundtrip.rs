//! Every entity kind survives a trip through the data folder unchanged (property-based).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use localpost::model::*;
use localpost::storage::{Store, history, runs};
use proptest::prelude::*;
use time::OffsetDateTime;

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, including quotes, backslashes, newlines, `{{braces}}` and control characters.
    prop_oneof![
        3 => "\\PC{0,24}",
        1 => ".{0,12}",
        1 => Just("{{base}}/a?b=\"c\"\\n\t".to_owned()),
        1 => Just(String::new()),
    ]
}

fn name() -> impl Strategy<Value = String> {
    // Names become file names: include ones that slug to the same thing.
    prop_oneof![
        "\\PC{1,20}",
        Just("Get user".to_owned()),
        Just("get-user".to_owned()),
        Just("../../etc".to_owned()),
        Just("🚀".to_owned()),
    ]
}

fn kv() -> impl Strategy<Value = KeyValue> {
    (text(), text(), any::<bool>(), text()).prop_map(|(key, value, enabled, description)| KeyValue {
        key,
        value,
        enabled,
        description,
    })
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        proptest::sample::select(Method::STANDARD.to_vec()),
        "[A-Z]{1,10}".prop_map(|s| Method::parse(&s)),
    ]
}

fn body() -> impl Strategy<Value = Body> {
    (
        proptest::sample::select(BodyMode::ALL.to_vec()),
        text(),
        proptest::sample::select(RawLanguage::ALL.to_vec()),
        prop::collection::vec(kv(), 0..3),
        prop::collection::vec(
            (text(), any::<bool>(), text(), text(), any::<bool>()).prop_map(
                |(key, file, value, ct, enabled)| FormPart {
                    key,
                    kind: if file { FormPartKind::File(value) } else { FormPartKind::Text(value) },
                    content_type: ct,
                    enabled,
                    description: String::new(),
                },
            ),
            0..3,
        ),
        text(),
        (text(), text(), text()),
    )
        .prop_map(
            |(
                mode,
                raw,
                raw_language,
                urlencoded,
                multipart,
                binary_path,
                (query, variables, operation_name),
            )| Body {
                mode,
                raw,
                raw_language,
                urlencoded,
                multipart,
                binary_path,
                graphql: GraphQlBody { query, variables, operation_name },
            },
        )
}

fn auth() -> impl Strategy<Value = Auth> {
    prop_oneof![
        Just(Auth::Inherit),
        Just(Auth::None),
        (text(), text()).prop_map(|(username, password)| Auth::Basic { username, password }),
        text().prop_map(|token| Auth::Bearer { token }),
        (text(), text(), any::<bool>()).prop_map(|(key, value, q)| Auth::ApiKey {
            key,
            value,
            location: if q { ApiKeyLocation::Query } else { ApiKeyLocation::Header }
        }),
        (text(), text(), text()).prop_map(|(username, password, algorithm)| Auth::Digest(DigestAuth {
            username,
            password,
            algorithm,
            ..DigestAuth::default()
        })),
        (proptest::sample::select(OAuth2Grant::ALL.to_vec()), text(), text(), text(), text()).prop_map(
            |(grant, access_token_url, client_id, client_secret, scope)| Auth::OAuth2(OAuth2Auth {
                grant,
                access_token_url,
                client_id,
                client_secret,
                scope,
                client_auth: OAuth2ClientAuth::Body,
                ..OAuth2Auth::default()
            })
        ),
        (text(), text(), text(), text()).prop_map(
            |(access_key, secret_key, region, service)| Auth::AwsSigV4(AwsSigV4Auth {
                access_key,
                secret_key,
                region,
                service,
                session_token: String::new()
            })
        ),
        (text(), prop::collection::vec((text(), text()), 0..3))
            .prop_map(|(kind, params)| Auth::Unsupported { kind, params: params.into_iter().collect() }),
    ]
}

fn settings() -> impl Strategy<Value = RequestSettings> {
    (
        any::<Option<bool>>(),
        any::<Option<u32>>(),
        any::<Option<bool>>(),
        any::<Option<u64>>(),
        any::<Option<bool>>(),
        any::<bool>(),
        any::<Option<u32>>(),
        any::<Option<u64>>(),
    )
        .prop_map(
            |(
                follow_redirects,
                max_redirects,
                follow_original_method,
                timeout_ms,
                verify_tls,
                disable_auto_headers,
                stream_max_events,
                stream_window_ms,
            )| {
                RequestSettings {
                    follow_redirects,
                    max_redirects,
                    follow_original_method,
                    timeout_ms,
                    verify_tls,
                    disable_auto_headers,
                    stream_max_events,
                    stream_window_ms,
                }
            },
        )
}

fn check() -> impl Strategy<Value = Check> {
    prop_oneof![
        any::<u16>().prop_map(Check::StatusEquals),
        (any::<u16>(), any::<u16>()).prop_map(|(min, max)| Check::StatusInRange { min, max }),
        text().prop_map(Check::HeaderExists),
        (text(), text()).prop_map(|(path, value)| Check::JsonPathEquals { path, value }),
        (text(), -1e12f64..1e12).prop_map(|(path, value)| Check::JsonPathLess { path, value }),
        any::<u64>().prop_map(|ms| Check::ResponseTimeBelow { ms }),
    ]
}

fn sent() -> impl Strategy<Value = SentRequest> {
    (
        text(),
        text(),
        prop::collection::vec((text(), text()).prop_map(|(n, v)| Header::new(n, v)), 0..3),
        any::<Option<Vec<u8>>>(),
    )
        .prop_map(|(method, url, headers, body)| SentRequest {
            method,
            url,
            headers,
            body_size_bytes: body.as_ref().map_or(0, |b| b.len() as u64),
            body: body.map(|b| StoredBody::from_bytes(&b)),
            body_truncated: false,
            body_summary: String::new(),
        })
}

fn response() -> impl Strategy<Value = ResponseRecord> {
    (any::<u16>(), text(), any::<Vec<u8>>(), any::<u64>(), any::<Option<u64>>()).prop_map(
        |(status, reason, body, time_ms, wire)| ResponseRecord {
            status,
            reason,
            http_version: "HTTP/1.1".into(),
            headers: vec![Header::new("content-type", "application/json")],
            size_bytes: body.len() as u64,
            body: Some(StoredBody::from_bytes(&body)),
            body_truncated: false,
            wire_size_bytes: wire,
            time_ms,
        },
    )
}

fn timestamp() -> impl Strategy<Value = OffsetDateTime> {
    (0i64..4_000_000_000, 0u32..1000).prop_map(|(s, ms)| {
        OffsetDateTime::from_unix_timestamp(s).unwrap() + time::Duration::milliseconds(i64::from(ms))
    })
}

fn request() -> impl Strategy<Value = Request> {
    (
        (name(), method(), text(), prop::collection::vec(kv(), 0..3), prop::collection::vec(kv(), 0..2)),
        prop::collection::vec(kv(), 0..4),
        body(),
        auth(),
        settings(),
        text(),
        (text(), text()),
        prop::collection::vec(check().prop_map(Assertion::new), 0..3),
        prop::collection::vec((name(), sent(), response(), proptest::option::of(timestamp())), 0..2),
    )
        .prop_map(
            |(
                (name, method, url, params, path_variables),
                headers,
                body,
                auth,
                settings,
                description,
                scripts,
                assertions,
                examples,
            )| {
                let mut r = Request::new(name);
                r.method = method;
                r.url = url;
                r.params = params;
                r.path_variables = path_variables;
                r.headers = headers;
                r.body = body;
                r.auth = auth;
                r.settings = settings;
                r.description = description;
                r.scripts = Scripts { pre_request: scripts.0, test: scripts.1 };
                r.assertions = assertions;
                r.captures = vec![Capture {
                    enabled: true,
                    variable: "id".into(),
                    scope: CaptureScope::Environment,
                    source: CaptureSource::JsonPath("$.id".into()),
                }];
                r.examples = examples
                    .into_iter()
                    .map(|(name, request, response, saved_at)| SavedResponse {
                        id: ExampleId::new(),
                        name,
                        request,
                        response,
                        saved_at,
                        source_request: None,
                    })
                    .collect();
                r
            },
        )
}

fn variable() -> impl Strategy<Value = Variable> {
    (text(), text(), any::<bool>(), any::<bool>(), text()).prop_map(
        |(key, value, enabled, secret, description)| Variable {
            id: VariableId::new(),
            key,
            value,
            enabled,
            secret,
            description,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_entity_round_trips(
        requests in prop::collection::vec(request(), 1..6),
        env_name in name(),
        env_vars in prop::collection::vec(variable(), 0..5),
        globals in prop::collection::vec(variable(), 0..3),
        coll_vars in prop::collection::vec(variable(), 0..3),
        folder_name in name(),
        coll_auth in auth(),
        preset_headers in prop::collection::vec(kv(), 0..3),
        at in timestamp(),
        history_request in sent(),
        history_response in response(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut opened = Store::open(dir.path()).unwrap();
        let store = &mut opened.store;
        let ws_id = *opened.library.workspaces.keys().next().unwrap();
        let mut ws = opened.library.workspaces[&ws_id].workspace.clone();

        let mut collection = Collection::new("Round trip");
        collection.variables = coll_vars;
        collection.auth = coll_auth;
        store.save_collection(ws_id, &collection).unwrap();
        let mut folder = Folder::new(folder_name);
        store.save_folder(ParentId::Collection(collection.id), &folder).unwrap();
        for r in &requests {
            store.save_request(ParentId::Folder(folder.id), r).unwrap();
            folder.children.push(ItemId::Request(r.id));
        }
        store.save_folder(ParentId::Collection(collection.id), &folder).unwrap();
        collection.children.push(ItemId::Folder(folder.id));
        store.save_collection(ws_id, &collection).unwrap();

        let mut env = Environment::new(env_name);
        env.variables = env_vars;
        store.save_environment(ws_id, &env).unwrap();
        let g = Globals { id: GlobalsId::new(), variables: globals };
        store.save_globals(ws_id, &g).unwrap();
        let mut preset = HeaderPreset::new("Preset");
        preset.headers = preset_headers;
        store.save_preset(ws_id, &preset).unwrap();
        ws.collections.push(collection.id);
        ws.environments.push(env.id);
        ws.header_presets.push(preset.id);
        store.save_workspace(&ws).unwrap();

        let entry = HistoryEntry {
            id: HistoryId::new(),
            at,
            request_id: Some(requests[0].id),
            name: requests[0].name.clone(),
            request: history_request,
            response: Some(history_response),
            error: None,
            written: None,
            written_incomplete: false,
        };
        store.append_history(ws_id, &entry).unwrap();
        let run = RunResult {
            id: RunId::new(),
            started_at: at,
            finished_at: Some(at),
            target: RunTarget { name: "Round trip".into(), collection: Some(collection.id), folder: None },
            environment: Some(RunEnvironment { id: Some(env.id), name: env.name.clone() }),
            iterations: 2,
            data_file: None,
            cancelled: false,
            results: vec![RequestOutcome {
                iteration: 0,
                request: Some(requests[0].id),
                name: "x".into(),
                method: "GET".into(),
                url: "http://127.0.0.1/".into(),
                status: Some(200),
                time_ms: 3,
                size_bytes: 10,
                assertions: vec![
                    AssertionOutcome { name: "status == 200".into(), passed: true, message: String::new(), skipped: false },
                    AssertionOutcome { name: "later".into(), passed: true, message: String::new(), skipped: true },
                ],
                error: None,
                scripts: localpost::model::ScriptCounts { pre_request: 1, pre_request_failed: 0, test: 2, test_failed: 1 },
                unresolved: vec!["token".into()],
                kept: localpost::model::ResponseKept::At { offset_bytes: 0, len_bytes: 10 },
            }],
        };
        store.save_run(ws_id, &run).unwrap();
        let mut cookies = CookieJar::default();
        cookies.cookies.push(Cookie {
            name: "sid".into(), value: "abc".into(), domain: "127.0.0.1".into(), path: "/".into(),
            expires: Some(at), secure: false, http_only: true, host_only: true, same_site: "Lax".into(),
        });
        store.save_cookies(ws_id, &cookies).unwrap();
        let settings = Settings { font_size: 15.5, history_retention_days: Some(7), ..Settings::default() };
        store.save_settings(&settings).unwrap();

        let mut again = Store::open(dir.path()).unwrap();
        prop_assert!(again.report.is_clean(), "{:?}", again.report);
        let data = &again.library.workspaces[&ws_id];
        prop_assert_eq!(&data.workspace, &ws);
        prop_assert_eq!(&data.collections[&collection.id], &collection);
        prop_assert_eq!(&data.folders[&folder.id], &folder);
        for r in &requests {
            prop_assert_eq!(&data.requests[&r.id], r);
        }
        prop_assert_eq!(&data.environments[&env.id], &env);
        prop_assert_eq!(&data.globals, &g);
        prop_assert_eq!(&data.header_presets[&preset.id], &preset);
        let ws_dir = again.store.workspace_dir(ws_id).unwrap().to_owned();
        let (h, problems) = history::load(&ws_dir, 10);
        prop_assert!(problems.is_empty());
        prop_assert_eq!(h, vec![entry]);
        let (r, problems) = runs::load(&ws_dir);
        prop_assert!(problems.is_empty());
        prop_assert_eq!(r, vec![run]);
        prop_assert_eq!(again.store.load_cookies(ws_id).0, cookies);
        prop_assert_eq!(again.store.load_settings().0, settings);
    }
}

#[test]
fn secret_values_stay_out_of_shareable_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws_id = *opened.library.workspaces.keys().next().unwrap();
    let mut env = Environment::new("Prod");
    env.variables.push(Variable::new("token", "s3cr3t-value").secret());
    env.variables.push(Variable::new("base", "https://api.example.com"));
    opened.store.save_environment(ws_id, &env).unwrap();

    let env_file = std::fs::read_to_string(
        opened.store.path_of(localpost::storage::Place::Environment(env.id)).unwrap(),
    )
    .unwrap();
    assert!(!env_file.contains("s3cr3t-value"), "{env_file}");
    assert!(env_file.contains("https://api.example.com"));
    let secrets = dir.path().join("secrets.ron");
    assert!(std::fs::read_to_string(&secrets).unwrap().contains("s3cr3t-value"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&secrets).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Turning the flag off moves the value back into the shareable file and out of secrets.
    env.variables[0].secret = false;
    opened.store.save_environment(ws_id, &env).unwrap();
    assert!(!std::fs::read_to_string(&secrets).unwrap().contains("s3cr3t-value"));
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.library.workspaces[&ws_id].environments[&env.id], env);
}

#[test]
fn renaming_moves_the_file_but_keeps_the_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws_id = *opened.library.workspaces.keys().next().unwrap();
    let store = &mut opened.store;
    let mut c = Collection::new("Users");
    store.save_collection(ws_id, &c).unwrap();
    let mut f = Folder::new("Admin");
    store.save_folder(ParentId::Collection(c.id), &f).unwrap();
    let mut r = Request::new("List users");
    store.save_request(ParentId::Folder(f.id), &r).unwrap();
    f.children.push(ItemId::Request(r.id));
    store.save_folder(ParentId::Collection(c.id), &f).unwrap();
    c.children.push(ItemId::Folder(f.id));
    store.save_collection(ws_id, &c).unwrap();

    r.name = "All users".into();
    store.save_request(ParentId::Folder(f.id), &r).unwrap();
    f.name = "Administration".into();
    store.save_folder(ParentId::Collection(c.id), &f).unwrap();
    let path = store.path_of(localpost::storage::Place::Request(r.id)).unwrap().to_owned();
    assert!(path.ends_with("administration/all-users.request.ron"), "{}", path.display());
    assert!(path.exists());

    let reopened = Store::open(dir.path()).unwrap();
    assert!(reopened.report.is_clean(), "{:?}", reopened.report);
    let ws = &reopened.library.workspaces[&ws_id];
    assert_eq!(ws.requests[&r.id].name, "All users");
    assert_eq!(ws.folders[&f.id].children, vec![ItemId::Request(r.id)]);
}

#[test]
fn moving_and_deleting_items() {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws_id = *opened.library.workspaces.keys().next().unwrap();
    let store = &mut opened.store;
    let mut c = Collection::new("C");
    store.save_collection(ws_id, &c).unwrap();
    let mut a = Folder::new("A");
    let mut b = Folder::new("B");
    store.save_folder(ParentId::Collection(c.id), &a).unwrap();
    store.save_folder(ParentId::Collection(c.id), &b).unwrap();
    let r = Request::new("R");
    store.save_request(ParentId::Folder(a.id), &r).unwrap();
    a.children.push(ItemId::Request(r.id));
    c.children = vec![ItemId::Folder(a.id), ItemId::Folder(b.id)];
    store.save_folder(ParentId::Collection(c.id), &a).unwrap();
    store.save_collection(ws_id, &c).unwrap();

    // Move R from A to B, then B (holding R) into A.
    store.move_item(ItemId::Request(r.id), ParentId::Folder(b.id)).unwrap();
    a.children.clear();
    b.children.push(ItemId::Request(r.id));
    store.save_folder(ParentId::Collection(c.id), &a).unwrap();
    store.save_folder(ParentId::Collection(c.id), &b).unwrap();
    store.move_item(ItemId::Folder(b.id), ParentId::Folder(a.id)).unwrap();
    a.children.push(ItemId::Folder(b.id));
    c.children = vec![ItemId::Folder(a.id)];
    store.save_folder(ParentId::Collection(c.id), &a).unwrap();
    store.save_collection(ws_id, &c).unwrap();
    // A folder cannot go inside itself.
    assert!(store.move_item(ItemId::Folder(a.id), ParentId::Folder(b.id)).is_err());

    let again = Store::open(dir.path()).unwrap();
    assert!(again.report.is_clean(), "{:?}", again.report);
    let ws = &again.library.workspaces[&ws_id];
    assert_eq!(
        ws.ancestors(ItemId::Request(r.id)),
        vec![ParentId::Folder(b.id), ParentId::Folder(a.id), ParentId::Collection(c.id)]
    );

    let mut opened = again;
    opened.store.delete_item(ItemId::Folder(b.id)).unwrap();
    a.children.clear();
    opened.store.save_folder(ParentId::Collection(c.id), &a).unwrap();
    let last = Store::open(dir.path()).unwrap();
    assert!(last.report.is_clean(), "{:?}", last.report);
    assert!(last.library.workspaces[&ws_id].requests.is_empty());
}

#[test]
fn a_save_never_silently_replaces_a_change_made_by_another_program() {
    use localpost::storage::{Place, StoreError, WriteMode};
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let ws_id = *opened.library.workspaces.keys().next().unwrap();
    let store = &mut opened.store;
    let mut c = Collection::new("C");
    store.save_collection(ws_id, &c).unwrap();
    let mut r = Request::new("R").with_url("http://127.0.0.1/a");
    store.save_request(ParentId::Collection(c.id), &r).unwrap();
    c.children.push(ItemId::Request(r.id));
    store.save_collection(ws_id, &c).unwrap();
    // Our own saves follow each other freely.
    r.url = "http://127.0.0.1/b".into();
    store.save_request(ParentId::Collection(c.id), &r).unwrap();

    // Another window saves the same request.
    let mut other = Store::open(dir.path()).unwrap();
    let mut theirs = r.clone();
    theirs.url = "http://127.0.0.1/theirs".into();
    other.store.save_request(ParentId::Collection(c.id), &theirs).unwrap();

    r.url = "http://127.0.0.1/mine".into();
    let err = store.save_request(ParentId::Collection(c.id), &r).unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
    let path = store.file_of(Place::Request(r.id)).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("/theirs"), "their save is intact");
    // The user chose to overwrite.
    store.save_request_with(ParentId::Collection(c.id), &r, WriteMode::Overwrite).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("/mine"));
    // And the other window is now the one that is told.
    theirs.url = "http://127.0.0.1/theirs-again".into();
    assert!(matches!(
        other.store.save_request(ParentId::Collection(c.id), &theirs),
        Err(StoreError::ChangedOnDisk { .. })
    ));
}

/// After an import (a staged write), the same store saves what it wrote without taking its own
/// files for another program's change.
#[test]
fn saving_after_an_import_is_not_refused_as_changed_on_disk() {
    use localpost::interop::apply::{self, Choices, Resolution, Target};
    let dir = tempfile::tempdir().unwrap();
    let mut opened = Store::open(dir.path()).unwrap();
    let mut data = opened.library.workspaces.values().next().unwrap().clone();
    let c = Collection::new("Imported");
    data.workspace.collections.push(c.id);
    data.collections.insert(c.id, c.clone());
    let imported = localpost::interop::Imported {
        format: localpost::interop::Format::PostmanCollectionV21,
        workspaces: vec![data],
        cookies: Vec::new(),
        report: localpost::interop::Report::default(),
        bundle: None,
    };
    let ws = *opened.library.workspaces.keys().next().unwrap();
    let plan = apply::plan(&imported, &opened.library, &Target::Workspace(ws)).unwrap();
    support::data::write_import(
        &plan,
        &Choices::all(Resolution::Overwrite),
        &mut opened.store,
        &mut opened.library,
    )
    .unwrap();
    let mut w = opened.library.workspaces[&ws].workspace.clone();
    w.description = "edited after the import".into();
    opened.store.save_workspace(&w).unwrap();
    let mut c = opened.library.workspaces[&ws].collections[&c.id].clone();
    c.description = "edited too".into();
    opened.store.save_collection(ws, &c).unwrap();
}
