//! What newman sends, Localpost sends: each kind of difference found by running real Postman
//! collections through newman and `localpost run --import` side by side gets a test here, named
//! after it, asserting what arrives at a recording server on 127.0.0.1 (what newman sent there).
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};
use support::{Received, Reply, Server};

fn recorder() -> Server {
    Server::start(|_| Reply::json("{}"))
}

fn run(dir: &Path, collection: &[u8], env: Option<&[u8]>) -> Output {
    let file = dir.join("collection.json");
    std::fs::write(&file, collection).unwrap();
    let mut cmd = support::localpost(&dir.join("data"));
    // Compared with what newman sends: undefined variables go as written, as newman sends them.
    cmd.args(["run", "--send-unresolved", "--import"]).arg(&file);
    if let Some(env) = env {
        let path = dir.join("env.json");
        std::fs::write(&path, env).unwrap();
        cmd.arg("--env-file").arg(path);
    }
    cmd.output().unwrap()
}

/// Runs a collection of `items` (v2.1) and returns what the server received, by `X-Case`.
fn received(items: Vec<Value>) -> Vec<(String, Received)> {
    let server = recorder();
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<Value> = items
        .into_iter()
        .map(|mut item| {
            let name = item["name"].as_str().unwrap().to_owned();
            let headers = item["request"]["header"].as_array().cloned().unwrap_or_default();
            let mut headers = headers;
            headers.push(json!({ "key": "X-Case", "value": name }));
            item["request"]["header"] = Value::Array(headers);
            item
        })
        .collect();
    let collection = json!({
        "info": { "name": "Fidelity", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "variable": [{ "key": "base", "value": server.url("/") }],
        "item": items,
    });
    let out = run(dir.path(), &serde_json::to_vec(&collection).unwrap(), None);
    assert!(out.status.success() || out.status.code() == Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    server.requests().into_iter().map(|r| (r.header("x-case").unwrap_or_default().to_owned(), r)).collect()
}

fn one(items: Vec<Value>, case: &str) -> Received {
    received(items)
        .into_iter()
        .find(|(c, _)| c == case)
        .map(|(_, r)| r)
        .unwrap_or_else(|| panic!("{case} was not sent"))
}

#[test]
fn query_rows_in_the_url_object_but_not_in_raw_are_sent() {
    let r = one(
        vec![json!({ "name": "billing", "request": { "method": "GET", "url": {
            "raw": "{{base}}billing/:id",
            "host": ["{{base}}billing"], "path": [":id"],
            "query": [{ "key": "customer_id", "value": "" }, { "key": "flag", "value": null }, { "key": "off", "value": "1", "disabled": true }],
            "variable": [{ "key": "id", "value": "7" }],
        } } })],
        "billing",
    );
    assert_eq!(r.target, "/billing/7?customer_id=&flag");
}

#[test]
fn an_empty_raw_body_sends_no_content_type() {
    let r = one(
        vec![json!({ "name": "empty", "request": { "method": "POST", "url": "{{base}}post",
            "body": { "mode": "raw", "raw": "", "options": { "raw": { "language": "json" } } } } })],
        "empty",
    );
    assert_eq!(r.header("content-type"), None);
    assert!(r.body.is_empty());
}

#[test]
fn a_get_with_a_form_body_is_pruned_unless_pruning_is_off() {
    let form = json!({ "mode": "formdata", "formdata": [{ "key": "a", "value": "1", "type": "text" }] });
    let got = received(vec![
        json!({ "name": "pruned", "request": { "method": "GET", "url": "{{base}}get", "body": form } }),
        json!({ "name": "kept", "protocolProfileBehavior": { "disableBodyPruning": true },
            "request": { "method": "GET", "url": "{{base}}get", "body": form } }),
    ]);
    let case = |c: &str| &got.iter().find(|(n, _)| n == c).unwrap().1;
    assert_eq!(case("pruned").header("content-type"), None);
    assert!(case("pruned").body.is_empty());
    assert!(
        case("kept").header("content-type").unwrap_or_default().starts_with("multipart/form-data; boundary=")
    );
}

// newman, side by side: a form with no enabled row sends no body and keeps the user's type; a
// form with rows sends its own type whatever the user wrote; a raw body keeps the user's type.
#[test]
fn the_users_content_type_is_kept_unless_a_form_body_sets_its_own() {
    let ct = json!([{ "key": "Content-Type", "value": "application/x-www-form-urlencoded" }]);
    let got = received(vec![
        json!({ "name": "all-off", "request": { "method": "POST", "url": "{{base}}post", "header": ct,
            "body": { "mode": "formdata", "formdata": [{ "key": "a", "value": "1", "type": "text", "disabled": true }] } } }),
        json!({ "name": "empty-form", "request": { "method": "POST", "url": "{{base}}post",
            "body": { "mode": "formdata", "formdata": [] } } }),
        json!({ "name": "form", "request": { "method": "POST", "url": "{{base}}post", "header": ct,
            "body": { "mode": "formdata", "formdata": [{ "key": "a", "value": "1", "type": "text" }] } } }),
        json!({ "name": "urlencoded", "request": { "method": "POST", "url": "{{base}}post",
            "header": [{ "key": "Content-Type", "value": "multipart/form-data" }],
            "body": { "mode": "urlencoded", "urlencoded": [{ "key": "a", "value": "1" }] } } }),
        json!({ "name": "raw", "request": { "method": "POST", "url": "{{base}}post", "header": ct,
            "body": { "mode": "raw", "raw": "a=1", "options": { "raw": { "language": "json" } } } } }),
    ]);
    let case = |c: &str| &got.iter().find(|(n, _)| n == c).unwrap_or_else(|| panic!("{c} not sent")).1;
    assert_eq!(case("all-off").header("content-type"), Some("application/x-www-form-urlencoded"));
    assert!(case("all-off").body.is_empty());
    assert_eq!(case("empty-form").header("content-type"), None);
    assert!(
        case("form").header("content-type").unwrap_or_default().starts_with("multipart/form-data; boundary=")
    );
    assert_eq!(case("urlencoded").header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(case("urlencoded").body_text(), "a=1");
    assert_eq!(case("raw").header("content-type"), Some("application/x-www-form-urlencoded"));
}

// newman sends the user info of `http://us@r:p@ssword@host` as Basic auth (user `us@r`, password
// `p@ssword`) and not in the request line.
#[test]
fn user_info_in_the_url_is_sent_as_basic_auth() {
    let server = recorder();
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/ui").replace("http://", "http://us@r:p@ssword@");
    let collection = json!({ "item": [{ "name": "ui", "request": { "method": "GET", "url": url } }] });
    let out = run(dir.path(), &serde_json::to_vec(&collection).unwrap(), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = server.last();
    assert_eq!(r.target, "/ui");
    assert_eq!(r.header("authorization"), Some("Basic dXNAcjpwQHNzd29yZA=="));
}

#[test]
fn an_empty_bearer_token_sends_no_authorization() {
    let got = received(vec![
        json!({ "name": "empty", "request": { "method": "GET", "url": "{{base}}get",
            "auth": { "type": "bearer", "bearer": [{ "key": "token", "value": "" }] } } }),
        json!({ "name": "set", "request": { "method": "GET", "url": "{{base}}get",
            "auth": { "type": "bearer", "bearer": [{ "key": "token", "value": "t0k" }] } } }),
    ]);
    let case = |c: &str| &got.iter().find(|(n, _)| n == c).unwrap().1;
    assert_eq!(case("empty").header("authorization"), None);
    assert_eq!(case("set").header("authorization"), Some("Bearer t0k"));
}

#[test]
fn query_keys_with_ampersand_or_hash_are_sent_once() {
    let r = one(
        vec![json!({ "name": "amp", "request": { "method": "GET", "url": {
            "raw": "{{base}}get?q=%231%23&x%26y=2",
            "host": ["{{base}}get"],
            "query": [{ "key": "q", "value": "#1#" }, { "key": "x&y", "value": "2" }],
        } } })],
        "amp",
    );
    assert_eq!(r.target, "/get?q=%231%23&x%26y=2");
}

#[test]
fn a_collection_without_info_and_a_utf16_environment_are_read() {
    let server = recorder();
    let dir = tempfile::tempdir().unwrap();
    let collection =
        json!({ "item": [{ "name": "r", "request": { "method": "GET", "url": "{{base}}get?v={{v}}" } }] });
    let env = json!({ "name": "Windows", "values": [
        { "key": "base", "value": server.url("/"), "enabled": true },
        { "key": "v", "value": "é", "enabled": true } ] });
    let text = serde_json::to_string(&env).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let out = run(dir.path(), &serde_json::to_vec(&collection).unwrap(), Some(&utf16));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(server.last().target, "/get?v=%C3%A9");
}

// Found by the parity test (fastly-api-large): newman encodes a form as `encodeURIComponent`
// does (a space is `%20`, not `+`), and a POST or PUT with no body says `Content-Length: 0`.
#[test]
fn forms_are_encoded_and_empty_bodies_announced_as_newman_does() {
    let got = received(vec![
        json!({ "name": "form", "request": { "method": "POST", "url": "{{base}}post",
            "body": { "mode": "urlencoded", "urlencoded": [{ "key": "name", "value": "Kris Owner" }, { "key": "x", "value": "a+b!*'()~" }] } } }),
        json!({ "name": "post", "request": { "method": "POST", "url": "{{base}}post" } }),
        json!({ "name": "get", "request": { "method": "GET", "url": "{{base}}get" } }),
        json!({ "name": "delete", "request": { "method": "DELETE", "url": "{{base}}delete" } }),
    ]);
    let case = |c: &str| &got.iter().find(|(n, _)| n == c).unwrap().1;
    assert_eq!(case("form").body_text(), "name=Kris%20Owner&x=a%2Bb!*'()~");
    assert_eq!(case("post").header("content-length"), Some("0"));
    assert_eq!(case("get").header("content-length"), None);
    assert_eq!(case("delete").header("content-length"), None);
}

// Found by the parity test (postman-echo cookies): newman's request after a redirect names the
// page it came from in `Referer`.
#[test]
fn a_followed_redirect_names_the_page_it_came_from() {
    let server = Server::start(|r| {
        if r.path() == "/from" { Reply::new(302).header("location", "/to") } else { Reply::json("{}") }
    });
    let dir = tempfile::tempdir().unwrap();
    let collection =
        json!({ "item": [{ "name": "r", "request": { "method": "GET", "url": server.url("/from?a=1") } }] });
    let out = run(dir.path(), &serde_json::to_vec(&collection).unwrap(), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let to = server.last();
    assert_eq!(to.target, "/to");
    assert_eq!(to.header("referer"), Some(server.url("/from?a=1").as_str()));
}

// Found by the parity test (postman-api-scripts-all-levels, "Import exported data"): a file part
// with no file chosen is sent by newman as an empty part with an empty file name; Localpost
// refused to send the request.
#[test]
fn a_file_part_with_no_file_is_sent_empty() {
    let r = one(
        vec![json!({ "name": "nofile", "request": { "method": "POST", "url": "{{base}}post",
            "body": { "mode": "formdata", "formdata": [{ "key": "type", "value": "json", "type": "text" },
                { "key": "input", "type": "file", "src": "" }] } } })],
        "nofile",
    );
    let body = r.body_text();
    assert!(
        body.contains("Content-Disposition: form-data; name=\"input\"; filename=\"\"\r\n\r\n\r\n--"),
        "{body}"
    );
    assert!(body.contains("name=\"type\"\r\n\r\njson\r\n"), "{body}");
}
