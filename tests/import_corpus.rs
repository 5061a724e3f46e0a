//! Every file of the import corpus (`tests/fixtures/corpus/`, real exports of the tools people
//! come from) imports, or for the deliberately broken `edge-` ones fails with a precise message.
//! The important ones are compared with a reviewed rendering in `tests/expected/import/`.
//!
//! To see what changed after a deliberate change to an importer, run with
//! `LOCALPOST_BLESS=1 cargo test --test import_corpus`, then review `git diff tests/expected`.

// Test helpers outside #[test] functions: a failure should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};

use localpost::interop::foreign::{self, curl};
use localpost::interop::{Format, ImportError, Imported};
use localpost::model::{Auth, BodyMode, ItemId, OAuth2Grant, ParentId, WorkspaceData};
use support::corpus;
use support::render::{Detail, render, render_request};

fn expected_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/import")
}

fn import_file(relative: &str) -> Result<Imported, ImportError> {
    let path = corpus().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    foreign::import(&bytes, relative)
}

fn ok(relative: &str) -> Imported {
    import_file(relative).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Compares `actual` with the expected file, or writes it when blessing.
fn check_expected(name: &str, actual: &str) {
    let path = expected_dir().join(name);
    if std::env::var_os("LOCALPOST_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("missing expected output {} ({e}); run with LOCALPOST_BLESS=1 and review", path.display())
    });
    if expected != actual {
        let first_difference =
            expected.lines().zip(actual.lines()).enumerate().find(|(_, (e, a))| e != a).map_or_else(
                || {
                    format!(
                        "lengths differ: {} vs {} lines",
                        expected.lines().count(),
                        actual.lines().count()
                    )
                },
                |(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1),
            );
        panic!(
            "{name} differs from the expected rendering ({first_difference}); rerun with LOCALPOST_BLESS=1 and review the diff"
        );
    }
}

/// (corpus file, expected-output file, detail). The files whose rendering is reviewed.
const REVIEWED: &[(&str, &str, Detail)] = &[
    ("postman-v2.1/fastly-api-large.postman_collection.json", "fastly-api-large.txt", Detail::Summary),
    (
        "postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json",
        "postman-echo-hawk-digest-oauth1.txt",
        Detail::Full,
    ),
    (
        "postman-v2.1/postman-api-scripts-all-levels.postman_collection.json",
        "postman-api-scripts-all-levels.txt",
        Detail::Summary,
    ),
    (
        "postman-v2.1/bruno-export-basic-auth-folder-inheritance.postman_collection.json",
        "bruno-basic-auth-folder-inheritance.txt",
        Detail::Full,
    ),
    ("postman-v2.1/bruno-export-ntlm-auth.postman_collection.json", "bruno-ntlm-auth.txt", Detail::Full),
    ("postman-v2.1/bruno-export-awsv4-auth.postman_collection.json", "bruno-awsv4-auth.txt", Detail::Full),
    (
        "postman-v2.1/bruno-export-oauth2-all-grants.postman_collection.json",
        "bruno-oauth2-all-grants.txt",
        Detail::Full,
    ),
    (
        "postman-v2.1/bruno-export-oauth1-signature-methods.postman_collection.json",
        "bruno-oauth1-signature-methods.txt",
        Detail::Full,
    ),
    (
        "postman-v2.1/bruno-binary-file-body-mode.postman_collection.json",
        "bruno-binary-file-body-mode.txt",
        Detail::Full,
    ),
    (
        "postman-v2.1/yaak-params-pathvars-disabled.postman_collection.json",
        "yaak-params-pathvars-disabled.txt",
        Detail::Full,
    ),
    (
        "postman-v2.1/newman-protocol-profile-behavior.postman_collection.json",
        "newman-protocol-profile-behavior.txt",
        Detail::Full,
    ),
    (
        "postman-v2.1/newman-whatwg-url-unicode.postman_collection.json",
        "newman-whatwg-url-unicode.txt",
        Detail::Full,
    ),
    (
        "postman-v2.1/edge-bruno-wrapped-collection-envelope.json",
        "edge-bruno-wrapped-collection-envelope.txt",
        Detail::Full,
    ),
    (
        "postman-v2.1/edge-bruno-malformed-item-is-string.json",
        "edge-bruno-malformed-item-is-string.txt",
        Detail::Full,
    ),
    (
        "postman-v2.0/newman-echo-v2.0-auth-examples.postman_collection.json",
        "newman-echo-v2.0-auth-examples.txt",
        Detail::Full,
    ),
    (
        "postman-v2.0/insomnia-fixture-complex-v2.0-body-modes.postman_collection.json",
        "insomnia-fixture-complex-v2.0-body-modes.txt",
        Detail::Full,
    ),
    (
        "postman-v2.0/newman-multi-level-folders-v2.0.postman_collection.json",
        "newman-multi-level-folders-v2.0.txt",
        Detail::Full,
    ),
    (
        "postman-v2.0/edge-newman-bom-in-collection-file.postman_collection.json",
        "edge-newman-bom-in-collection-file.txt",
        Detail::Full,
    ),
    (
        "postman-environment/newman-disabled-and-duplicate-vars.postman_environment.json",
        "env-newman-disabled-and-duplicate-vars.txt",
        Detail::Full,
    ),
    (
        "postman-environment/yaak-secret-and-description.postman_environment.json",
        "env-yaak-secret-and-description.txt",
        Detail::Full,
    ),
    (
        "postman-environment/newman-legacy-no-scope.postman_environment.json",
        "env-newman-legacy-no-scope.txt",
        Detail::Full,
    ),
    ("postman-environment/cocart-local.postman_environment.json", "env-cocart-local.txt", Detail::Full),
    (
        "postman-environment/edge-newman-utf8-bom.postman_environment.json",
        "env-edge-newman-utf8-bom.txt",
        Detail::Full,
    ),
    (
        "postman-globals/bruno-globals-with-secret.postman_globals.json",
        "globals-bruno-with-secret.txt",
        Detail::Full,
    ),
    ("postman-globals/pagseguro-globals.postman_globals.json", "globals-pagseguro.txt", Detail::Full),
    (
        "postman-globals/datafordeler-globals-huge-js-value.postman_globals.json",
        "globals-datafordeler-huge-js-value.txt",
        Detail::Full,
    ),
    ("postman-dump/evagoras-box-backup.postman_dump.json", "dump-evagoras-box-backup.txt", Detail::Full),
    (
        "postman-dump/kong-horse-chestnut-backup.postman_dump.json",
        "dump-kong-horse-chestnut-backup.txt",
        Detail::Full,
    ),
    (
        "insomnia/rentx-v4-nested-folder-env.insomnia.json",
        "insomnia-rentx-v4-nested-folder-env.txt",
        Detail::Full,
    ),
    ("insomnia/kong-graphql-opa-v4.insomnia.yaml", "insomnia-kong-graphql-opa-v4.txt", Detail::Full),
    (
        "insomnia/insomnia-smoke-oauth2-flows-v4.insomnia.yaml",
        "insomnia-smoke-oauth2-flows-v4.txt",
        Detail::Full,
    ),
    (
        "insomnia/insomnia-smoke-mixed-resource-types-v4.insomnia.yaml",
        "insomnia-smoke-mixed-resource-types-v4.txt",
        Detail::Full,
    ),
    (
        "insomnia/yaak-insomnia-v5-basic-multipart.insomnia.yaml",
        "insomnia-yaak-v5-basic-multipart.txt",
        Detail::Full,
    ),
    ("insomnia/edge-bruno-insomnia-malformed.json", "insomnia-edge-bruno-malformed.txt", Detail::Full),
    ("har/mitmproxy-chrome-export.har", "har-chrome.txt", Detail::Full),
    ("har/mitmproxy-firefox-export.har", "har-firefox.txt", Detail::Summary),
    ("har/mitmproxy-charles-export.har", "har-charles.txt", Detail::Full),
    ("har/mitmproxy-insomnia-export.har", "har-insomnia.txt", Detail::Full),
    ("har/mitmproxy-successful-log-urlencoded-post.har", "har-mitmproxy-urlencoded-post.txt", Detail::Full),
    ("har/edge-mitmproxy-broken.har", "har-edge-broken.txt", Detail::Full),
    ("openapi/oai-v3.0-uspto.yaml", "openapi-uspto.txt", Detail::Full),
    ("openapi/oai-v3.0-callback-example.yaml", "openapi-callback-example.txt", Detail::Full),
    ("openapi/oai-v3.1-non-oauth-scopes.yaml", "openapi-3.1-non-oauth-scopes.txt", Detail::Full),
    ("openapi/apisguru-httpbin.yaml", "openapi-httpbin.txt", Detail::Summary),
    ("openapi/yaak-petstore-3.0.2-content-types.yaml", "openapi-petstore-3.0.2.txt", Detail::Full),
    ("openapi/insomnia-fixture-swagger2-petstore.json", "swagger2-petstore.txt", Detail::Full),
    ("openapi/edge-bruno-openapi-malformed.yaml", "openapi-edge-malformed.txt", Detail::Full),
];

#[test]
fn reviewed_files_match_their_expected_rendering() {
    for (file, expected, detail) in REVIEWED {
        let result = import_file(file);
        check_expected(expected, &render(&result, *detail));
    }
}

/// Every file in the corpus is either reviewed above or checked here; a new corpus file fails
/// this test until someone decides which.
#[test]
fn every_corpus_file_is_covered() {
    let mut files = Vec::new();
    collect(&corpus(), &mut files);
    assert!(files.len() > 40, "corpus not found at {}", corpus().display());
    for path in files {
        let relative = path.strip_prefix(corpus()).unwrap().to_string_lossy().replace('\\', "/");
        if relative == "MANIFEST.tsv" || relative == "README.md" || relative.starts_with("curl/") {
            continue;
        }
        assert!(
            REVIEWED.iter().any(|(f, _, _)| *f == relative),
            "{relative} is not covered by a reviewed rendering"
        );
        let name = relative.rsplit('/').next().unwrap();
        let result = import_file(&relative);
        if name.starts_with("edge-") {
            // Broken or odd on purpose: a precise error, or an import (with whatever it reports).
            if let Err(e) = &result {
                assert!(
                    !matches!(e, ImportError::UnknownFormat(_)),
                    "{relative}: the format should be recognized: {e}"
                );
            }
        } else {
            let imported = result.unwrap_or_else(|e| panic!("{relative}: {e}"));
            assert!(!imported.workspaces.is_empty(), "{relative}: nothing imported");
            // The format is known from the content alone, whatever the file is called.
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(foreign::detect(&bytes), Some(imported.format), "{relative}");
            assert_eq!(
                foreign::import(&bytes, "renamed.txt").map(|i| i.format).ok(),
                Some(imported.format),
                "{relative}"
            );
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn curl_entries() -> Vec<String> {
    let text = std::fs::read_to_string(corpus().join("curl/curl-commands.txt")).unwrap();
    let mut entries = vec![String::new()];
    for line in text.lines() {
        if line == "---" {
            entries.push(String::new());
        } else {
            let last = entries.last_mut().unwrap();
            if !last.is_empty() {
                last.push('\n');
            }
            last.push_str(line);
        }
    }
    entries
}

#[test]
fn every_curl_entry_matches_its_expected_rendering() {
    let entries = curl_entries();
    assert_eq!(entries.len(), 16);
    let mut out = String::new();
    for (i, entry) in entries.iter().enumerate() {
        out.push_str(&format!("=== entry {}\n{entry}\n--- imported as\n", i + 1));
        let result = curl::parse_with_report(entry);
        match &result {
            Ok((request, report)) => {
                out.push_str(&render_request(&Ok(request.clone())));
                for w in &report.warnings {
                    out.push_str(&format!("warning: {w}\n"));
                }
            }
            Err(e) => out.push_str(&format!("error: {e}\n")),
        }
        // The last entry has no URL on purpose; every other one parses.
        assert_eq!(result.is_err(), i == 15, "entry {}: {:?}", i + 1, result.err());
    }
    check_expected("curl-commands.txt", &out);
}

// Checks that say in code what the renderings show, for the features that matter most.

fn collection(data: &WorkspaceData) -> &localpost::model::Collection {
    data.collections.values().next().unwrap()
}

fn request_named<'a>(data: &'a WorkspaceData, path: &[&str]) -> &'a localpost::model::Request {
    let mut parent = ParentId::Collection(collection(data).id);
    for (i, name) in path.iter().enumerate() {
        let children = data.children(parent).unwrap();
        let last = i == path.len() - 1;
        let found = children.iter().find(|c| match c {
            ItemId::Folder(f) if !last => data.folders[f].name == *name,
            ItemId::Request(r) if last => data.requests[r].name == *name,
            _ => false,
        });
        match found.unwrap_or_else(|| panic!("{name} not found")) {
            ItemId::Folder(f) => parent = ParentId::Folder(*f),
            ItemId::Request(r) => return &data.requests[r],
        }
    }
    unreachable!()
}

#[test]
fn fastly_keeps_every_request_and_example() {
    let imported = ok("postman-v2.1/fastly-api-large.postman_collection.json");
    let data = &imported.workspaces[0];
    assert_eq!(data.requests.len(), 406);
    assert_eq!(data.folders.len(), 104);
    assert_eq!(data.requests.values().map(|r| r.examples.len()).sum::<usize>(), 406);
    assert!(data.requests.values().any(|r| r.method.as_str() == "PURGE"));
}

#[test]
fn importing_the_same_file_twice_gives_the_same_ids() {
    for file in [
        "postman-v2.0/newman-echo-v2.0-auth-examples.postman_collection.json",
        "postman-dump/kong-horse-chestnut-backup.postman_dump.json",
        "insomnia/rentx-v4-nested-folder-env.insomnia.json",
        "insomnia/yaak-insomnia-v5-basic-multipart.insomnia.yaml",
        "openapi/yaak-petstore-3.0.2-content-types.yaml",
        "postman-environment/cocart-local.postman_environment.json",
    ] {
        let a = ok(file);
        let b = ok(file);
        let ids = |i: &Imported| {
            let d = &i.workspaces[0];
            (
                d.workspace.id,
                d.collections.keys().copied().collect::<Vec<_>>(),
                d.folders.keys().copied().collect::<Vec<_>>(),
                d.requests.keys().copied().collect::<Vec<_>>(),
                d.environments.keys().copied().collect::<Vec<_>>(),
                d.requests.values().flat_map(|r| r.examples.iter().map(|e| e.id)).collect::<Vec<_>>(),
            )
        };
        assert_eq!(ids(&a), ids(&b), "{file}");
    }
}

#[test]
fn postman_auth_inheritance_is_kept() {
    let imported = ok("postman-v2.1/bruno-export-basic-auth-folder-inheritance.postman_collection.json");
    let data = &imported.workspaces[0];
    assert_eq!(collection(data).auth, Auth::Basic { username: "john".into(), password: "johnm".into() });
    assert_eq!(request_named(data, &["Inherited Folder", "Inherited"]).auth, Auth::Inherit);
    let no_auth = data.folders.values().find(|f| f.name == "No Auth").unwrap();
    assert_eq!(no_auth.auth, Auth::None);
    assert_eq!(
        request_named(data, &["Own Auth folder", "Own Auth"]).auth,
        Auth::Basic { username: "folder-leaf".into(), password: "leaf-pass".into() }
    );
}

#[test]
fn ntlm_auth_is_read_with_its_domain() {
    let imported = ok("postman-v2.1/bruno-export-ntlm-auth.postman_collection.json");
    let Auth::Ntlm(n) = &collection(&imported.workspaces[0]).auth else { panic!() };
    assert_eq!(n.domain, "example.com");
    assert!(!imported.report.warnings.iter().any(|w| w.message.contains("NTLM")));
}

#[test]
fn every_oauth2_grant_maps() {
    let imported = ok("postman-v2.1/bruno-export-oauth2-all-grants.postman_collection.json");
    let grants: Vec<OAuth2Grant> = imported.workspaces[0]
        .requests
        .values()
        .map(|r| match &r.auth {
            Auth::OAuth2(o) => o.grant,
            other => panic!("{other:?}"),
        })
        .collect();
    for grant in OAuth2Grant::ALL {
        assert!(grants.contains(&grant), "{grant:?} missing from {grants:?}");
    }
}

#[test]
fn scripts_are_kept_verbatim_and_run_without_a_warning() {
    let imported = ok("postman-v2.0/newman-multi-level-folders-v2.0.postman_collection.json");
    let data = &imported.workspaces[0];
    let request = data.requests.values().find(|r| r.name == "F1.R1").unwrap();
    assert!(request.scripts.pre_request.contains("postman.setEnvironmentVariable(\"count\""));
    assert!(request.scripts.test.contains("tests[\"Status code is 200\"]"));
    // Scripts run now: importing them is no longer worth a warning.
    assert!(
        !imported.report.warnings.iter().any(|w| w.message.contains("script")),
        "{:?}",
        imported.report.warnings
    );
}

#[test]
fn a_script_disabled_in_postman_is_kept_commented_out() {
    let json = r#"{"info":{"name":"d","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item":[{"name":"r","request":{"method":"GET","url":"http://127.0.0.1/"},
        "event":[{"listen":"test","disabled":true,"script":{"exec":["pm.test('x', () => {});","throw 1;"]}}]}]}"#;
    let imported = localpost::interop::import(json.as_bytes(), "d.json").unwrap();
    let request = imported.workspaces[0].requests.values().next().unwrap();
    assert_eq!(request.scripts.test, "// pm.test('x', () => {});\n// throw 1;");
    assert!(imported.report.warnings.iter().any(|w| w.message.contains("disabled in Postman")));
}

#[test]
fn protocol_profile_behavior_maps_to_settings() {
    let imported = ok("postman-v2.1/newman-protocol-profile-behavior.postman_collection.json");
    let data = &imported.workspaces[0];
    let c = collection(data);
    assert_eq!((c.settings.follow_redirects, c.settings.max_redirects), (Some(false), Some(10)));
    let folder = data.folders.values().find(|f| f.name == "followOriginalHttpMethod").unwrap();
    assert_eq!(folder.settings.follow_original_method, Some(true));
    let max = data.requests.values().find(|r| r.name == "maxRedirects").unwrap();
    assert_eq!(max.settings.max_redirects, Some(11));
    assert!(imported.report.warnings.iter().any(|w| w.message.contains("removeRefererHeaderOnRedirect")));
}

#[test]
fn v20_body_modes_all_map() {
    let imported = ok("postman-v2.0/insomnia-fixture-complex-v2.0-body-modes.postman_collection.json");
    let modes: Vec<BodyMode> = imported.workspaces[0].requests.values().map(|r| r.body.mode).collect();
    for mode in [BodyMode::Multipart, BodyMode::UrlEncoded, BodyMode::Raw, BodyMode::GraphQl] {
        assert!(modes.contains(&mode), "{mode:?}");
    }
    assert!(imported.report.warnings.iter().any(|w| w.message.contains("body mode `unknown`")));
}

#[test]
fn dumps_bring_collections_environments_and_presets() {
    let imported = ok("postman-dump/kong-horse-chestnut-backup.postman_dump.json");
    let data = &imported.workspaces[0];
    assert_eq!(data.collections.len(), 2);
    assert_eq!(data.requests.len(), 75);
    assert_eq!(data.environments.len(), 3);
    assert_eq!(data.header_presets.len(), 1);
    let evagoras = ok("postman-dump/evagoras-box-backup.postman_dump.json");
    let data = &evagoras.workspaces[0];
    assert_eq!(data.folders.len(), 4);
    assert!(data.requests.values().all(|r| data.parent_of(ItemId::Request(r.id)).is_some()));
}

#[test]
fn insomnia_unsupported_kinds_are_reported() {
    let imported = ok("insomnia/insomnia-smoke-mixed-resource-types-v4.insomnia.yaml");
    let messages: Vec<&str> = imported.report.warnings.iter().map(|w| w.message.as_str()).collect();
    for kind in ["gRPC request", "gRPC proto file"] {
        assert!(messages.iter().any(|m| m.starts_with(kind)), "{kind} not reported: {messages:?}");
    }
    // WebSocket requests are imported (with their payloads as saved messages), not reported.
    assert!(!messages.iter().any(|m| m.contains("WebSocket")), "{messages:?}");
    assert_eq!(imported.cookies.len(), 1);
    let data = &imported.workspaces[0];
    assert_eq!(data.environments.len(), 2);
}

#[test]
fn har_pseudo_headers_are_dropped_and_responses_kept() {
    let imported = ok("har/mitmproxy-chrome-export.har");
    let data = &imported.workspaces[0];
    assert_eq!(data.requests.len(), 3);
    assert!(data.requests.values().all(|r| r.headers.iter().all(|h| !h.key.starts_with(':'))));
    assert_eq!(data.requests.values().filter(|r| !r.examples.is_empty()).count(), 2);
    assert!(imported.report.warnings.iter().any(|w| w.message.contains("pseudo-headers")));
}

#[test]
fn openapi_groups_by_tag_and_maps_security() {
    let imported = ok("openapi/yaak-petstore-3.0.2-content-types.yaml");
    let data = &imported.workspaces[0];
    assert_eq!(data.requests.len(), 19);
    let folders: Vec<&str> = data.folders.values().map(|f| f.name.as_str()).collect();
    assert_eq!(folders, ["pet", "store", "user"]);
    assert!(collection(data).variables.iter().any(|v| v.key == "base"));
    assert!(data.requests.values().any(|r| matches!(r.auth, Auth::OAuth2(_))));
    assert!(data.requests.values().any(|r| matches!(r.auth, Auth::ApiKey { .. })));
    let swagger = ok("openapi/insomnia-fixture-swagger2-petstore.json");
    assert_eq!(swagger.format, Format::Swagger2);
    assert_eq!(swagger.workspaces[0].requests.len(), 20);
}

#[test]
fn edge_files_fail_with_precise_messages() {
    let cases: &[(&str, &str)] = &[
        ("har/edge-mitmproxy-broken.har", "read as HAR 1.2: invalid syntax at line 5, column 1"),
        (
            "insomnia/edge-bruno-insomnia-malformed.json",
            "read as Insomnia export v4: invalid syntax at line 17, column 7",
        ),
        ("openapi/edge-bruno-openapi-malformed.yaml", "read as OpenAPI 3: invalid syntax at line 15"),
        (
            "postman-v2.1/edge-bruno-malformed-item-is-string.json",
            "read as Postman Collection v2.1: $.item: expected an array of requests and folders, found a string",
        ),
    ];
    for (file, message) in cases {
        let err = import_file(file).err().unwrap_or_else(|| panic!("{file} imported"));
        assert!(err.to_string().starts_with(message), "{file}: {err}");
    }
    for file in [
        "postman-v2.1/edge-bruno-wrapped-collection-envelope.json",
        "postman-v2.0/edge-newman-bom-in-collection-file.postman_collection.json",
        "postman-environment/edge-newman-utf8-bom.postman_environment.json",
    ] {
        ok(file);
    }
}
