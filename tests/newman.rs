//! A Postman v2.1 export run by newman (Postman's own runner) against a loopback echo server
//! this test starts: every body mode and auth kind, variables, folders, path variables and
//! disabled entries must arrive as Localpost means them.
//!
//! Skips, saying why, where node/npm is absent or newman cannot be installed. newman is taken
//! from `$NEWMAN`, the PATH, or installed once with npm into `~/.cache/localpost-tests`.

#![allow(clippy::unwrap_used)] // test code: a failure is a failed test

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use indexmap::IndexMap;
use localpost::interop::bundle::Secrets;
use localpost::interop::export::postman::{self, PostmanOptions};
use localpost::model::*;

use support::{Received, Reply, Server};

fn request(name: &str, method: Method, url: &str) -> Request {
    let mut r = Request::new(name).with_method(method).with_url(url);
    r.headers.push(KeyValue::new("X-Case", name));
    r
}

fn unsupported(kind: &str, params: &[(&str, &str)]) -> Auth {
    let params: IndexMap<String, String> =
        params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    Auth::Unsupported { kind: kind.into(), params }
}

/// The auth cases, each a request of its own in the Auth folder.
fn auth_cases() -> Vec<(&'static str, Auth)> {
    vec![
        ("inherit", Auth::Inherit),
        ("noauth", Auth::None),
        ("basic", Auth::Basic { username: "{{user}}".into(), password: "pw".into() }),
        (
            "apikey header",
            Auth::ApiKey { key: "X-Api-Key".into(), value: "k1".into(), location: ApiKeyLocation::Header },
        ),
        (
            "apikey query",
            Auth::ApiKey { key: "api_key".into(), value: "k2".into(), location: ApiKeyLocation::Query },
        ),
        (
            "digest",
            Auth::Digest(DigestAuth {
                username: "alice".into(),
                password: "pw".into(),
                realm: "test".into(),
                nonce: "abc123".into(),
                algorithm: "MD5".into(),
                ..DigestAuth::default()
            }),
        ),
        (
            "oauth2",
            Auth::OAuth2(OAuth2Auth {
                access_token: "tok2".into(),
                client_id: "cid".into(),
                ..OAuth2Auth::default()
            }),
        ),
        (
            "awsv4",
            Auth::AwsSigV4(AwsSigV4Auth {
                access_key: "AKID".into(),
                secret_key: "SECRET".into(),
                region: "eu-west-1".into(),
                service: "execute-api".into(),
                session_token: String::new(),
            }),
        ),
        ("hawk", unsupported("hawk", &[("authId", "hid"), ("authKey", "hkey"), ("algorithm", "sha256")])),
        (
            "oauth1",
            unsupported(
                "oauth1",
                &[
                    ("consumerKey", "ck"),
                    ("consumerSecret", "cs"),
                    ("signatureMethod", "HMAC-SHA1"),
                    ("version", "1.0"),
                    ("addParamsToHeader", "true"),
                ],
            ),
        ),
        (
            "edgegrid",
            unsupported(
                "edgegrid",
                &[
                    ("accessToken", "at"),
                    ("clientToken", "ct"),
                    ("clientSecret", "c2VjcmV0"),
                    ("baseURL", ""),
                ],
            ),
        ),
    ]
}

/// The URL cases: a path variable, a param and a disabled one, a disabled header, a collection
/// variable; and a custom method.
fn url_requests() -> Vec<Request> {
    let mut url = request("url", Method::Get, "{{base}}/users/:id?page=2&debug=1");
    url.path_variables.push(KeyValue::new("id", "42"));
    url.params = vec![
        KeyValue::new("page", "2"),
        KeyValue::new("debug", "1").disabled(),
        KeyValue::new("who", "{{user}}"),
    ];
    url.headers.push(KeyValue::new("X-Off", "1").disabled());
    let custom = request("custom method", Method::Custom("PURGE".into()), "{{base}}/cache");
    vec![url, custom]
}

/// The body cases: raw JSON, urlencoded and multipart (each with a disabled entry) for the
/// Bodies folder; binary (a file written into `files`) and GraphQL for the Deeper one.
fn body_requests(files: &Path) -> (Vec<Request>, Vec<Request>) {
    let file = files.join("upload.txt");
    std::fs::write(&file, "file-content").unwrap();
    let bin = files.join("blob.bin");
    std::fs::write(&bin, [0u8, 1, 2, 255]).unwrap();
    let mut raw = request("raw json", Method::Post, "{{base}}/bodies/raw");
    raw.body = Body::json("{\"user\": \"{{user}}\"}");
    let mut form = request("urlencoded", Method::Post, "{{base}}/bodies/form");
    form.body.mode = BodyMode::UrlEncoded;
    form.body.urlencoded =
        vec![KeyValue::new("a", "1"), KeyValue::new("b", "2").disabled(), KeyValue::new("c", "{{user}}")];
    let mut multi = request("formdata", Method::Post, "{{base}}/bodies/multipart");
    multi.body.mode = BodyMode::Multipart;
    let mut off = FormPart::text("off", "no");
    off.enabled = false;
    multi.body.multipart =
        vec![FormPart::text("note", "hello"), FormPart::file("doc", file.to_str().unwrap()), off];
    let mut binary = request("binary", Method::Put, "{{base}}/bodies/binary");
    binary.body.mode = BodyMode::Binary;
    binary.body.binary_path = bin.to_str().unwrap().to_owned();
    let mut gql = request("graphql", Method::Post, "{{base}}/bodies/graphql");
    gql.body.mode = BodyMode::GraphQl;
    gql.body.graphql = GraphQlBody {
        query: "query Me { me { id } }".into(),
        variables: "{\"n\": 1}".into(),
        ..GraphQlBody::default()
    };
    (vec![raw, form, multi], vec![binary, gql])
}

/// Puts `requests` into `data`, listed in `children`.
fn add(data: &mut WorkspaceData, children: &mut Vec<ItemId>, requests: Vec<Request>) {
    for r in requests {
        children.push(ItemId::Request(r.id));
        data.requests.insert(r.id, r);
    }
}

/// The collection: auth cases in one folder (inheriting the collection's bearer), bodies in a
/// nested folder with auth turned off, URL features at the top.
fn collection(files: &Path) -> (WorkspaceData, CollectionId) {
    let mut data = WorkspaceData::new(Workspace::new("Newman"));
    let mut c = Collection::new("Everything");
    c.variables.push(Variable::new("user", "alice"));
    c.variables.push(Variable::new("unused", "x").disabled());
    c.auth = Auth::Bearer { token: "{{token}}".into() };
    let mut auth_folder = Folder::new("Auth");
    let mut bodies = Folder::new("Bodies");
    bodies.auth = Auth::None;
    let mut deeper = Folder::new("Deeper");
    deeper.auth = Auth::Inherit;

    add(&mut data, &mut c.children, url_requests());
    let auth_requests = auth_cases().into_iter().map(|(name, auth)| {
        let mut r = request(name, Method::Get, &format!("{{{{base}}}}/auth/{}", name.replace(' ', "-")));
        r.auth = auth;
        r
    });
    add(&mut data, &mut auth_folder.children, auth_requests.collect());
    let (body_requests, deep_requests) = body_requests(files);
    add(&mut data, &mut bodies.children, body_requests);
    add(&mut data, &mut deeper.children, deep_requests);
    bodies.children.push(ItemId::Folder(deeper.id));

    c.children.push(ItemId::Folder(auth_folder.id));
    c.children.push(ItemId::Folder(bodies.id));
    for f in [auth_folder, bodies, deeper] {
        data.folders.insert(f.id, f);
    }
    let id = c.id;
    data.workspace.collections.push(id);
    data.collections.insert(id, c);
    (data, id)
}

/// The requests `server` received, by their `X-Case` header.
fn by_case(server: &Server) -> HashMap<String, Received> {
    server.requests().iter().filter_map(|r| r.header("x-case").map(|c| (c.to_owned(), r.clone()))).collect()
}

/// Writes the collection and an environment pointing at `port` as Postman files into `dir`,
/// for newman. Returns the collection's data, the environment and the two files.
fn export_for_newman(dir: &Path, port: u16) -> (WorkspaceData, Environment, PathBuf, PathBuf) {
    let (data, id) = collection(dir);
    let exported =
        postman::collection_v21(&data, ParentId::Collection(id), PostmanOptions::default()).unwrap();
    let col = dir.join("c.postman_collection.json");
    std::fs::write(&col, &exported.text).unwrap();
    let mut env = Environment::new("Loopback");
    env.variables.push(Variable::new("base", format!("http://127.0.0.1:{port}")));
    env.variables.push(Variable::new("token", "env-token").secret());
    let env_file = dir.join("e.postman_environment.json");
    std::fs::write(&env_file, postman::environment(&env, PostmanOptions { secrets: Secrets::Include }).text)
        .unwrap();
    (data, env, col, env_file)
}

/// Runs newman on the exported files; fails unless every request went out.
fn run_newman(newman: &Path, dir: &Path, col: &Path, env_file: &Path) -> String {
    let out = support::newman::run(
        Command::new(newman)
            .arg("run")
            .arg(col)
            .arg("-e")
            .arg(env_file)
            .args(["--reporters", "cli", "--working-dir"])
            .arg(dir),
    );
    let stdout = out.stdout;
    let failed_in_summary = stdout.lines().any(|l| l.contains("requests") && !l.trim_end().ends_with("0 │"));
    assert!(
        out.code == Some(0)
            || (out.code.is_none() && stdout.contains("total run duration") && !failed_in_summary),
        "newman failed:\n{stdout}\n{}",
        out.stderr
    );
    stdout
}

/// What newman sent for the URL and auth cases.
fn assert_urls_and_auth<'r>(case: impl Fn(&str) -> &'r Received) {
    let url = case("url");
    assert_eq!(url.method, "GET");
    assert_eq!(url.target, "/users/42?page=2&who=alice");
    assert!(url.header("x-off").is_none());
    assert_eq!(case("custom method").method, "PURGE");

    let auth = |name: &str| case(name).header("authorization").unwrap_or("").to_owned();
    assert_eq!(auth("inherit"), "Bearer env-token");
    assert_eq!(auth("noauth"), "");
    assert_eq!(auth("basic"), "Basic YWxpY2U6cHc="); // alice:pw
    assert_eq!(case("apikey header").header("x-api-key"), Some("k1"));
    assert_eq!(case("apikey query").target, "/auth/apikey-query?api_key=k2");
    assert!(
        auth("digest").starts_with("Digest username=\"alice\", realm=\"test\", nonce=\"abc123\""),
        "{}",
        auth("digest")
    );
    assert_eq!(auth("oauth2"), "Bearer tok2");
    assert!(auth("awsv4").starts_with("AWS4-HMAC-SHA256 Credential=AKID/"), "{}", auth("awsv4"));
    assert!(auth("awsv4").contains("/eu-west-1/execute-api/aws4_request"), "{}", auth("awsv4"));
    assert!(auth("hawk").starts_with("Hawk id=\"hid\""), "{}", auth("hawk"));
    assert!(
        auth("oauth1").starts_with("OAuth ") && auth("oauth1").contains("oauth_consumer_key=\"ck\""),
        "{}",
        auth("oauth1")
    );
    assert!(
        auth("edgegrid").starts_with("EG1-HMAC-SHA256 client_token=ct;access_token=at;"),
        "{}",
        auth("edgegrid")
    );
}

/// What newman sent for the body cases.
fn assert_bodies<'r>(case: impl Fn(&str) -> &'r Received) {
    let raw = case("raw json");
    assert_eq!(raw.body_text(), "{\"user\": \"alice\"}");
    assert_eq!(raw.header("content-type"), Some("application/json"));
    assert_eq!(raw.header("authorization"), None, "the Bodies folder turns auth off");
    let form = case("urlencoded");
    assert_eq!(form.body_text(), "a=1&c=alice");
    assert!(form.header("content-type").unwrap_or("").starts_with("application/x-www-form-urlencoded"));
    let multi = case("formdata");
    let text = multi.body_text();
    assert!(multi.header("content-type").unwrap_or("").starts_with("multipart/form-data; boundary="));
    assert!(text.contains("name=\"note\"\r\n\r\nhello\r\n"), "{text}");
    assert!(text.contains("filename=\"upload.txt\"") && text.contains("file-content"), "{text}");
    assert!(!text.contains("name=\"off\""), "{text}");
    let binary = case("binary");
    assert_eq!(binary.method, "PUT");
    assert_eq!(binary.body, vec![0u8, 1, 2, 255]);
    assert_eq!(binary.header("authorization"), None, "inherits `none` through two folders");
    let gql: serde_json::Value = serde_json::from_slice(&case("graphql").body).unwrap();
    assert_eq!(gql["query"], "query Me { me { id } }");
    assert_eq!(gql["variables"]["n"], 1);
}

/// Sends every request of `data` through Localpost's engine under `env`; returns how many went.
fn send_through_engine(data: &WorkspaceData, env: &Environment) -> usize {
    let engine =
        localpost::http::Engine::new(Settings { proxy: ProxySetting::None, ..Settings::default() }).unwrap();
    let mut sent = 0;
    for request in data.requests.values() {
        let scopes = localpost::vars::Scopes::for_request(data, request.id, None).with_environment(env);
        let Ok(prepared) = localpost::http::prepare(request, Some(data), &scopes) else { continue };
        if engine.send_blocking(&prepared).is_ok() {
            sent += 1;
        }
    }
    sent
}

/// Auth kinds that need a server exchange (digest challenge, OAuth 2.0 token fetch) or that
/// Localpost keeps as unsupported (hawk, OAuth 1.0, EdgeGrid).
const SKIP_AUTH: [&str; 6] = ["digest", "oauth2", "awsv4", "hawk", "oauth1", "edgegrid"];

/// Compares what Localpost sent (`ours`) with what newman sent (`got`), case by case; returns
/// how many were compared.
fn compare_with_newman(got: &HashMap<String, Received>, ours: &HashMap<String, Received>) -> usize {
    let mut compared = 0;
    for (name, theirs) in got {
        let Some(mine) = ours.get(name) else {
            assert!(SKIP_AUTH.contains(&name.as_str()), "the engine did not send `{name}`");
            continue;
        };
        compared += 1;
        assert_eq!(mine.method, theirs.method, "{name}: method");
        assert_eq!(mine.target, theirs.target, "{name}: path and query");
        let media = |r: &Received| {
            r.header("content-type").map(|v| v.split(';').next().unwrap_or("").trim().to_owned())
        };
        assert_eq!(media(mine), media(theirs), "{name}: content type");
        if !SKIP_AUTH.contains(&name.as_str()) {
            assert_eq!(mine.header("authorization"), theirs.header("authorization"), "{name}: authorization");
            assert_eq!(mine.header("x-api-key"), theirs.header("x-api-key"), "{name}: api key");
            assert_eq!(mine.header("x-off"), theirs.header("x-off"), "{name}: disabled header");
        }
        if media(theirs).as_deref() == Some("multipart/form-data") {
            for part in ["name=\"note\"", "filename=\"upload.txt\"", "file-content"] {
                assert!(mine.body_text().contains(part), "{name}: {part} missing:\n{}", mine.body_text());
            }
            assert!(!mine.body_text().contains("name=\"off\""), "{name}: a disabled part was sent");
        } else if media(theirs).as_deref() == Some("application/json") && !theirs.body.is_empty() {
            let a: serde_json::Value = serde_json::from_slice(&mine.body).unwrap();
            let b: serde_json::Value = serde_json::from_slice(&theirs.body).unwrap();
            assert_eq!(a, b, "{name}: JSON body");
        } else {
            assert_eq!(mine.body, theirs.body, "{name}: body");
        }
    }
    compared
}

#[test]
fn newman_runs_the_exported_collection_as_localpost_means_it() {
    let newman = match support::newman::find() {
        Ok(path) => path,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    // hyper's server: a keep-alive connection, a chunked or streamed file body, several
    // connections at once (a hand-written one hung on newman's streamed binary body under load).
    let server = Server::start(|_| Reply::json("{}"));
    let dir = tempfile::tempdir().unwrap();
    let (data, env, col, env_file) = export_for_newman(dir.path(), server.addr.port());
    let stdout = run_newman(&newman, dir.path(), &col, &env_file);

    let got = by_case(&server);
    let case =
        |name: &str| got.get(name).unwrap_or_else(|| panic!("newman did not send `{name}`:\n{stdout}"));
    assert_urls_and_auth(case);
    assert_bodies(case);

    // The same requests through Localpost's engine, against the same server: what arrives must
    // be what newman sent. Multipart boundaries differ by nature, and the auth kinds of
    // `SKIP_AUTH` are compared by newman's side above only.
    server.received.lock().unwrap().clear();
    let sent = send_through_engine(&data, &env);
    let ours = by_case(&server);
    assert!(sent >= got.len() - 6, "only {sent} of {} requests went out through the engine", got.len());
    let compared = compare_with_newman(&got, &ours);
    assert!(compared >= 10, "only {compared} requests compared");
}
