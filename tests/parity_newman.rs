//! Request parity with newman: every Postman collection of the test fixtures is run by newman
//! and by `localpost run --import`, both through one recording proxy on 127.0.0.1 (every URL
//! made `http://`, so the proxy sees each request whole), and the requests are paired in the
//! order sent and compared on method, host, path and query, body, and headers (the headers each
//! tool adds for itself, and values that change on every send, masked).
//!
//! The proxy answers as postman-echo does, so scripts that chain values see what they expect.
//! Each collection has a floor of identical requests (raised as differences are fixed): the test
//! fails if parity falls below it, and prints the figures and every difference.
//!
//! Skips, saying why, where node/npm is absent or newman cannot be installed.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::path::Path;
use std::process::Command;

use support::{Received, Server};

/// Collection, and how many of its requests must be identical (at least).
const COLLECTIONS: &[(&str, usize)] = &[
    ("postman-v2.0/edge-newman-bom-in-collection-file.postman_collection.json", 3),
    ("postman-v2.0/insomnia-fixture-complex-v2.0-body-modes.postman_collection.json", 0),
    ("postman-v2.0/newman-echo-v2.0-auth-examples.postman_collection.json", 23),
    ("postman-v2.0/newman-multi-level-folders-v2.0.postman_collection.json", 6),
    ("postman-v2.1/bruno-binary-file-body-mode.postman_collection.json", 0),
    ("postman-v2.1/bruno-export-awsv4-auth.postman_collection.json", 2),
    ("postman-v2.1/bruno-export-basic-auth-folder-inheritance.postman_collection.json", 8),
    ("postman-v2.1/bruno-export-ntlm-auth.postman_collection.json", 2),
    ("postman-v2.1/bruno-export-oauth1-signature-methods.postman_collection.json", 4),
    ("postman-v2.1/bruno-export-oauth2-all-grants.postman_collection.json", 8),
    ("postman-v2.1/fastly-api-large.postman_collection.json", 406),
    ("postman-v2.1/newman-protocol-profile-behavior.postman_collection.json", 8),
    ("postman-v2.1/newman-whatwg-url-unicode.postman_collection.json", 23),
    ("postman-v2.1/postman-api-scripts-all-levels.postman_collection.json", 46),
    ("postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json", 41),
    ("postman-v2.1/yaak-params-pathvars-disabled.postman_collection.json", 0),
    // Written for this test (tests/fixtures/README.md).
    ("../parity/localpost-asap-edgegrid.postman_collection.json", 7),
];

/// Headers a tool adds for itself (newman's `Postman-Token`, each tool's `User-Agent`...), or
/// that depend on the connection, not on the collection.
const OWN_HEADERS: &[&str] = &[
    "user-agent",
    "postman-token",
    "cache-control",
    "connection",
    "accept-encoding",
    "proxy-connection",
    ITEM,
];

/// What one request looked like on the wire, for comparing.
#[derive(Debug, PartialEq)]
struct Wire {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

fn masked(name: &str, value: &str) -> String {
    // Signatures and nonces change on every send: keep the scheme word only (EdgeGrid's are
    // compared whole: the only collection using it fixes its nonce and timestamp).
    if name == "authorization" {
        let scheme = value.split_whitespace().next().unwrap_or("");
        if !["Basic", "Bearer", "EG1-HMAC-SHA256"].contains(&scheme) {
            return format!("{scheme} <signed>");
        }
    }
    if ["x-amz-date", "x-amz-content-sha256"].contains(&name) {
        return "<signed>".into();
    }
    if name == "content-type" && value.starts_with("multipart/") {
        return value.split(';').next().unwrap_or("").to_owned();
    }
    value.to_owned()
}

fn wire(r: &Received) -> Wire {
    let mut headers: Vec<(String, String)> = r
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .filter(|(k, _)| !OWN_HEADERS.contains(&k.as_str()))
        .map(|(k, v)| {
            let v = masked(&k, &v);
            (k, v)
        })
        .collect();
    headers.sort();
    let mut body = r.body_text();
    // A multipart boundary is chosen by each tool.
    if let Some(ct) = r.header("content-type")
        && let Some(boundary) = ct.split("boundary=").nth(1)
    {
        body = body.replace(boundary.trim_matches('"'), "<boundary>");
        headers.retain(|(k, _)| k != "content-length");
    }
    Wire { method: r.method.clone(), target: r.target.clone(), headers, body }
}

fn differences(a: &Wire, b: &Wire) -> Vec<String> {
    let mut out = Vec::new();
    if a.method != b.method {
        out.push(format!("method: newman {}, localpost {}", a.method, b.method));
    }
    if a.target != b.target {
        out.push(format!("target: newman {}, localpost {}", a.target, b.target));
    }
    for (k, v) in &a.headers {
        match b.headers.iter().find(|(bk, _)| bk == k) {
            None => out.push(format!("header {k}: newman {v:?}, localpost none")),
            Some((_, bv)) if bv != v => out.push(format!("header {k}: newman {v:?}, localpost {bv:?}")),
            _ => {}
        }
    }
    for (k, v) in &b.headers {
        if !a.headers.iter().any(|(ak, _)| ak == k) {
            out.push(format!("header {k}: newman none, localpost {v:?}"));
        }
    }
    if a.body != b.body {
        let short = |s: &str| s.chars().take(120).collect::<String>();
        out.push(format!("body: newman {:?}, localpost {:?}", short(&a.body), short(&b.body)));
    }
    out
}

/// Every `https://` made `http://` (and every URL object's `protocol`), so the proxy sees the
/// request rather than a tunnel.
fn plain_http(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            // (Also a script's `"https"`: one collection sets its protocol from a variable.)
            *s = s
                .replace("https:", "http:")
                .replace("HTTPS:", "http:")
                .replace("https%3A", "http%3A")
                .replace("\"https\"", "\"http\"");
        }
        Value::Array(items) => items.iter_mut().for_each(plain_http),
        Value::Object(map) => {
            if map
                .get("protocol")
                .and_then(Value::as_str)
                .is_some_and(|p| p.to_ascii_lowercase().starts_with("https"))
            {
                map.insert("protocol".into(), Value::String("http".into()));
            }
            map.values_mut().for_each(plain_http);
        }
        _ => {}
    }
}

/// The header that names each request's item (added to both tools' copy; not compared).
const ITEM: &str = "x-parity-item";

/// Numbers every request of the collection with an [`ITEM`] header.
fn number_items(v: &mut serde_json::Value, next: &mut usize) {
    use serde_json::{Value, json};
    let Some(items) = v.get_mut("item").and_then(Value::as_array_mut) else { return };
    for item in items {
        if item.get("item").is_some() {
            number_items(item, next);
            continue;
        }
        let Some(request) = item.get_mut("request") else { continue };
        if let Value::String(url) = request {
            *request = json!({ "url": url.clone(), "method": "GET" });
        }
        let Value::Object(map) = request else { continue };
        let header = map.entry("header").or_insert_with(|| json!([]));
        if let Value::Array(headers) = header {
            headers.push(json!({ "key": ITEM, "value": next.to_string() }));
            *next += 1;
        }
    }
}

/// Pairs each of newman's requests with ours: by item (the [`ITEM`] header), in the order sent
/// within an item; requests a script sent (no item) in the order sent.
fn pair(theirs: &[Received], ours: &[Received]) -> Vec<(Option<usize>, Option<usize>)> {
    let item = |r: &Received| r.header(ITEM).map(str::to_owned);
    let mut keys: Vec<Option<String>> = theirs.iter().chain(ours).map(item).collect();
    keys.dedup();
    let mut order: Vec<Option<String>> = Vec::new();
    for k in keys {
        if !order.contains(&k) {
            order.push(k);
        }
    }
    order.sort_by_key(|k| k.as_deref().and_then(|n| n.parse::<usize>().ok()).unwrap_or(usize::MAX));
    let mut pairs = Vec::new();
    for key in order {
        let a: Vec<usize> = (0..theirs.len()).filter(|&i| item(&theirs[i]) == key).collect();
        let b: Vec<usize> = (0..ours.len()).filter(|&i| item(&ours[i]) == key).collect();
        for n in 0..a.len().max(b.len()) {
            pairs.push((a.get(n).copied(), b.get(n).copied()));
        }
    }
    pairs
}

fn new_requests(server: &Server, seen: &mut usize) -> Vec<Received> {
    let all = server.requests();
    let fresh = all[*seen..].to_vec();
    *seen = all.len();
    fresh
}

#[test]
fn corpus_collections_send_what_newman_sends() {
    let newman = match support::newman::find() {
        Ok(n) => n,
        Err(why) => {
            eprintln!("skipped: newman is not available ({why})");
            return;
        }
    };
    // The proxy answers every request as postman-echo would answer its path.
    let server = Server::start(support::echo::answer);
    let proxy = server.url("");
    let tmp = tempfile::tempdir().unwrap();
    let mut seen = 0;
    let mut report = Vec::new();
    let mut below = Vec::new();
    let (mut total_pairs, mut total_same) = (0, 0);
    for (name, floor) in COLLECTIONS {
        let text = std::fs::read_to_string(support::corpus().join(name)).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        plain_http(&mut json);
        let root = if json.get("collection").is_some() { &mut json["collection"] } else { &mut json };
        number_items(root, &mut 0);
        let stem = Path::new(name).file_name().unwrap().to_string_lossy().into_owned();
        let file = tmp.path().join(&stem);
        std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();

        let ran = support::newman::run(
            Command::new(&newman)
                .args(["run"])
                .arg(&file)
                .args(["--reporters", "cli", "--timeout-request", "5000", "--suppress-exit-code"])
                .env("HTTP_PROXY", &proxy)
                .env("http_proxy", &proxy)
                .env_remove("NO_PROXY")
                .env_remove("no_proxy"),
        );
        let theirs = new_requests(&server, &mut seen);
        let ours_out = support::localpost(&tmp.path().join("data"))
            .args(["run", "--send-unresolved", "--import"])
            .arg(&file)
            .args(["--timeout-request", "5000"])
            .env("HTTP_PROXY", &proxy)
            .env("http_proxy", &proxy)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .output()
            .unwrap();
        let ours = new_requests(&server, &mut seen);
        if theirs.is_empty() {
            report.push(format!("{name}: newman sent nothing ({})", ran.stderr.lines().last().unwrap_or("")));
            continue;
        }
        let paired = pair(&theirs, &ours);
        let pairs = paired.len();
        let mut same = 0;
        let mut diffs = Vec::new();
        for (i, (a, b)) in paired.into_iter().enumerate() {
            match (a.map(|a| &theirs[a]), b.map(|b| &ours[b])) {
                (Some(a), Some(b)) => {
                    let d = differences(&wire(a), &wire(b));
                    if d.is_empty() {
                        same += 1;
                    } else {
                        diffs.push(format!("    #{i} {} {}: {}", a.method, a.target, d.join("; ")));
                    }
                }
                (Some(a), None) => {
                    diffs.push(format!("    #{i} {} {}: localpost sent no request", a.method, a.target));
                }
                (None, Some(b)) => {
                    diffs.push(format!("    #{i} {} {}: newman sent no request", b.method, b.target));
                }
                (None, None) => {}
            }
        }
        total_pairs += pairs;
        total_same += same;
        report.push(format!(
            "{name}: newman {} requests, localpost {}, {same} of {pairs} identical{}",
            theirs.len(),
            ours.len(),
            if ours.is_empty() {
                format!(" ({})", String::from_utf8_lossy(&ours_out.stderr).lines().last().unwrap_or(""))
            } else {
                String::new()
            }
        ));
        report.extend(diffs);
        if same < *floor {
            below.push(format!("{name}: {same} identical, floor {floor}"));
        }
    }
    report.push(format!("all: {total_same} of {total_pairs} requests identical"));
    eprintln!("{}", report.join("\n"));
    assert!(below.is_empty(), "parity fell below its floor:\n{}\n\n{}", below.join("\n"), report.join("\n"));
}
