//! No bytes make an import panic: random bytes, mutated real files from the corpus, and random
//! documents built from the keys the importers look for (so wrong shapes are met deep inside).

// Test helpers outside #[test] functions: a failure should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use localpost::interop::foreign;
use proptest::prelude::*;
use serde_json::{Map, Value};

/// The import corpus kept in the repository (`tests/fixtures/corpus/`, with its manifest).
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// The corpus files small enough to mutate many times in a debug build.
fn seeds() -> &'static Vec<Vec<u8>> {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files = Vec::new();
        let mut stack = vec![corpus()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = std::fs::read(&path)
                    && bytes.len() < 40_000
                {
                    files.push(bytes);
                }
            }
        }
        files.sort();
        assert!(files.len() > 20, "corpus not found at {}", corpus().display());
        files
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Truncate { at: usize },
    Duplicate { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            any::<usize>(),
            prop::collection::vec(prop::sample::select(b"{}[]\":,\\ \n-#@$'\x00\xff".to_vec()), 1..8)
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1usize..256).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Flip { at, byte } => {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    bytes[i] = *byte;
                }
            }
            Mutation::Delete { at, len } => {
                let start = at % n;
                let end = (start + len).min(bytes.len());
                if start < end {
                    bytes.drain(start..end);
                }
            }
            Mutation::Insert { at, bytes: inserted } => {
                let i = at % (bytes.len() + 1);
                bytes.splice(i..i, inserted.iter().copied());
            }
            Mutation::Truncate { at } => bytes.truncate(at % n),
            Mutation::Duplicate { at, len } => {
                let start = at % n;
                let end = (start + len).min(bytes.len());
                if start < end {
                    let copy: Vec<u8> = bytes[start..end].to_vec();
                    bytes.splice(end..end, copy);
                }
            }
        }
    }
    bytes
}

/// Keys the importers read, so random documents reach deep into them.
const KEYS: &[&str] = &[
    "info",
    "item",
    "request",
    "url",
    "raw",
    "query",
    "variable",
    "auth",
    "type",
    "basic",
    "oauth2",
    "apikey",
    "body",
    "mode",
    "formdata",
    "urlencoded",
    "graphql",
    "file",
    "header",
    "response",
    "originalRequest",
    "event",
    "script",
    "exec",
    "listen",
    "protocolProfileBehavior",
    "name",
    "id",
    "key",
    "value",
    "disabled",
    "log",
    "entries",
    "postData",
    "params",
    "content",
    "text",
    "encoding",
    "status",
    "headers",
    "openapi",
    "swagger",
    "paths",
    "get",
    "post",
    "parameters",
    "in",
    "schema",
    "$ref",
    "components",
    "securitySchemes",
    "security",
    "servers",
    "requestBody",
    "responses",
    "examples",
    "_type",
    "__export_format",
    "resources",
    "parentId",
    "_id",
    "authentication",
    "environment",
    "data",
    "cookies",
    "collection",
    "children",
    "meta",
    "values",
    "_postman_variable_scope",
    "collections",
    "requests",
    "order",
    "folders",
    "folders_order",
    "dataMode",
    "rawModeData",
    "headerData",
    "currentHelper",
    "helperAttributes",
    "properties",
    "items",
    "allOf",
    "tags",
    "flows",
    "subEnvironments",
    "metaSortKey",
    "host",
    "path",
    "version",
];

const STRINGS: &[&str] = &[
    "",
    "request",
    "request_group",
    "workspace",
    "environment",
    "cookie_jar",
    "export",
    "3.0.0",
    "2.0",
    "oauth2",
    "basic",
    "digest",
    "ntlm",
    "raw",
    "formdata",
    "file",
    "graphql",
    "urlencoded",
    "query",
    "header",
    "path",
    "#/components/schemas/A",
    "#/nope",
    "{{var}}",
    "{{ _.x }}",
    "{% uuid %}",
    "http://x/{id}?a=1&b",
    ":id",
    "collection.insomnia.rest/5.0",
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    "globals",
    "base64",
    "multipart/form-data",
    "application/json",
    "GET",
    "\u{0}",
    "é🍪",
    "%zz",
    "-1",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(STRINGS).prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|pairs| {
                let mut map = Map::new();
                for (k, v) in pairs {
                    map.insert((*k).to_owned(), v);
                }
                Value::Object(map)
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = foreign::import(&bytes, "random.bin");
        let _ = foreign::detect(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in "(curl |\\{|\\[|openapi: |- )?[ -~\\n\\t'\"\\\\^`$]{0,400}") {
        let _ = foreign::import(text.as_bytes(), "random.txt");
        let _ = foreign::curl::parse(&text);
    }

    #[test]
    fn mutated_corpus_files_never_panic(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let bytes = apply(seeds[seed.index(seeds.len())].clone(), &mutations);
        let _ = foreign::import(&bytes, "mutated.json");
    }

    #[test]
    fn random_documents_never_panic(value in json_value()) {
        let text = value.to_string();
        let _ = foreign::import(text.as_bytes(), "doc.json");
        // The same document wrapped the way each format starts, so it is read as that format.
        for wrapper in [
            serde_json::json!({"info": {"name": "x"}, "item": [value.clone()]}),
            serde_json::json!({"_type": "export", "__export_format": 4, "resources": [value.clone(), {"_id": "w", "_type": "workspace"}]}),
            serde_json::json!({"log": {"entries": [value.clone()]}}),
            serde_json::json!({"openapi": "3.0.0", "paths": {"/a/{id}": value.clone()}, "components": value.clone()}),
            serde_json::json!({"swagger": "2.0", "paths": {"/a": {"post": value.clone()}}}),
            serde_json::json!({"type": "collection.insomnia.rest/5.0", "collection": [value.clone()], "environments": value.clone()}),
            serde_json::json!({"version": 1, "collections": [value.clone()], "environments": [value.clone()]}),
            serde_json::json!({"id": "e", "name": "env", "values": [value.clone()]}),
        ] {
            let _ = foreign::import(wrapper.to_string().as_bytes(), "doc.json");
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(foreign::import(deep.as_bytes(), "deep.json").is_err());
    let deep_yaml = format!("openapi: 3.0.0\npaths: {}{}", "[".repeat(50_000), "]".repeat(50_000));
    assert!(foreign::import(deep_yaml.as_bytes(), "deep.yaml").is_err());
    let nested = |levels: usize| {
        let mut items = String::new();
        for _ in 0..levels {
            items.push_str(r#"{"name":"f","item":["#);
        }
        items.push_str(&"]}".repeat(levels));
        format!(r#"{{"info":{{"name":"x"}},"item":[{items}]}}"#)
    };
    // 50 levels of folders (far more than anyone nests) import...
    let imported = foreign::import(nested(50).as_bytes(), "nested.json").unwrap();
    assert_eq!(imported.workspaces[0].folders.len(), 50);
    // ...and past the parser's depth limit the error says so.
    let err = foreign::import(nested(120).as_bytes(), "nested.json").unwrap_err();
    assert!(err.to_string().contains("recursion limit exceeded"), "{err}");
}

#[test]
fn a_zip_of_garbage_is_an_error() {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend(std::iter::repeat_n(0xAB, 500));
    assert!(foreign::import(&bytes, "x.zip").is_err());
}
