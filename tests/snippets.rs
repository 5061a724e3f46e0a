//! Code snippets run for real: each request is sent once by Localpost's engine and once by the
//! snippet of each language whose tool is on this machine (curl, wget, Python requests, Node
//! fetch and axios, Java), to a loopback server the test starts; what the server received must
//! be the same request (method, path, query, the headers that matter, the body). Languages whose
//! tool is missing here (Go, C#, PowerShell; Rust, too slow to compile per test) are compared
//! with reviewed files in `tests/expected/snippets/`; the Rust files are compiled into this test
//! against reqwest.
//!
//! After a deliberate change to a snippet writer: `LOCALPOST_BLESS=1 cargo test --test snippets`,
//! then review `git diff tests/expected/snippets`.

// Test helpers outside #[test] functions: a failure should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use localpost::http::{Engine, prepare};
use localpost::interop::export::snippet::{Language, snippet};
use localpost::model::*;
use localpost::vars::Scopes;
use support::{Received, Reply, Server};

// The Rust snippets, compiled here against the project's reqwest: a snippet that does not
// compile fails the build of this test.
#[allow(dead_code, clippy::all, clippy::pedantic)]
mod rust_snippets {
    pub mod json {
        include!("expected/snippets/json.rs");
    }
    pub mod query {
        include!("expected/snippets/query.rs");
    }
    pub mod form {
        include!("expected/snippets/form.rs");
    }
    pub mod multipart {
        include!("expected/snippets/multipart.rs");
    }
    pub mod typed_part {
        include!("expected/snippets/typed_part.rs");
    }
    pub mod binary {
        include!("expected/snippets/binary.rs");
    }
}

/// Text with everything a language may get wrong: both quotes, a backslash, a line break, a
/// tab, `$` and `${…}`, backticks, non-ASCII and an emoji.
const ODD: &str = "O'Brien \"quoted\" back\\slash\nnext\tline $HOME ${x} `cmd` Zürich 😀 100%";

/// The requests every runnable language sends. `dir` holds the files they upload.
fn cases(server: &Server, dir: &Path) -> Vec<Request> {
    let upload = dir.join("up load.bin");
    std::fs::write(&upload, b"\x00\x01binary\xff\r\n--not-a-boundary\r\n").unwrap();
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "héllo\nworld\n").unwrap();

    let mut query = Request::new("query").with_url(server.url("/search"));
    query.params = vec![
        KeyValue::new("q", "café & crème"),
        KeyValue::new("sign", "a+b=c"),
        KeyValue::new("skip", "x").disabled(),
        KeyValue::new("shell", "$HOME 'x' \"y\""),
    ];
    query.headers =
        vec![KeyValue::new("X-Quote", "it's \"quoted\" \\ $HOME"), KeyValue::new("X-Off", "no").disabled()];
    query.auth = Auth::Bearer { token: "t0k$en'\"".into() };

    let mut json = Request::new("json").with_method(Method::Post).with_url(server.url("/items/1?x=1"));
    let body = serde_json::json!({ "name": ODD, "price": "$5", "nested": { "list": [1, 2.5, null] } });
    json.body = Body::json(serde_json::to_string_pretty(&body).unwrap());
    json.auth = Auth::Basic { username: "ali ce".into(), password: "p@ss:w'rd$\"\\".into() };

    let mut form = Request::new("form").with_method(Method::Put).with_url(server.url("/form"));
    form.body.mode = BodyMode::UrlEncoded;
    form.body.urlencoded = vec![
        KeyValue::new("name", ODD),
        KeyValue::new("math", "1+1=2 & 3"),
        KeyValue::new("off", "x").disabled(),
        KeyValue::new("empty", ""),
    ];
    form.auth =
        Auth::ApiKey { key: "X-Api-Key".into(), value: "k'$y".into(), location: ApiKeyLocation::Header };

    let mut multipart = Request::new("multipart").with_method(Method::Post).with_url(server.url("/upload"));
    multipart.body.mode = BodyMode::Multipart;
    let mut typed = FormPart::text("meta", "{\"a\": \"$b\"}");
    typed.content_type = "application/json".into();
    multipart.body.multipart = vec![
        FormPart::text("note", "caf\u{e9} \"quoted\" $HOME"),
        FormPart::file("file", upload.display().to_string()),
        FormPart::file("notes", notes.display().to_string()),
    ];
    // A text part with a type of its own (browsers' FormData cannot write one).
    let mut typed_part = multipart.clone();
    typed_part.name = "typed part".into();
    typed_part.body.multipart.insert(1, typed);

    let mut graphql = Request::new("graphql").with_method(Method::Post).with_url(server.url("/graphql"));
    graphql.body.mode = BodyMode::GraphQl;
    graphql.body.graphql = GraphQlBody {
        query: "query Q($id: ID!) {\n  user(id: $id) { name }\n}".into(),
        variables: "{\"id\": \"42\"}".into(),
        operation_name: "Q".into(),
    };

    let mut binary = Request::new("binary").with_method(Method::Post).with_url(server.url("/raw"));
    binary.body.mode = BodyMode::Binary;
    binary.body.binary_path = upload.display().to_string();

    let mut text = Request::new("text").with_method(Method::Patch).with_url(server.url("/notes"));
    text.body = Body::raw(RawLanguage::Text, format!("  {ODD}\n\n"));
    text.headers = vec![KeyValue::new("Content-Type", "text/plain; charset=utf-8")];

    vec![query, json, form, multipart, typed_part, graphql, binary, text]
}

fn ok(_: &Received) -> Reply {
    Reply::json("{\"ok\": true}")
}

fn engine() -> Engine {
    Engine::new(Settings { proxy: ProxySetting::None, ..Settings::default() }).unwrap()
}

/// What the server received from Localpost's engine for `request`.
fn sent_by_localpost(server: &Server, request: &Request) -> Received {
    let before = server.requests().len();
    let prepared = prepare(request, None, &Scopes::new()).unwrap();
    engine().send_blocking(&prepared).unwrap();
    let mut got = server.requests().split_off(before);
    assert_eq!(got.len(), 1, "{}: the engine sent {} requests", request.name, got.len());
    got.remove(0)
}

/// The request as compared: method, decoded path and query, the headers that matter, the body
/// in the form its type gives it (form pairs, multipart parts, or bytes).
#[derive(Debug, PartialEq)]
struct Shape {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: SentBody,
}

#[derive(Debug, PartialEq)]
enum SentBody {
    Bytes(String),
    Form(Vec<(String, String)>),
    Parts(Vec<Part>),
}

fn shape(r: &Received) -> Shape {
    let decode = |t: &str| percent_encoding::percent_decode_str(t).decode_utf8_lossy().into_owned();
    let (path, query) = r.target.split_once('?').unwrap_or((&r.target, ""));
    let query = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let content_type = r.header("content-type").unwrap_or("").to_owned();
    let mut headers: Vec<(String, String)> = r
        .headers
        .iter()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k == "authorization" || k.starts_with("x-")
        })
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    let main_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let body = if main_type == "application/x-www-form-urlencoded" {
        headers.push(("content-type".into(), main_type));
        SentBody::Form(url::form_urlencoded::parse(&r.body).into_owned().collect())
    } else if main_type == "multipart/form-data" {
        headers.push(("content-type".into(), main_type));
        SentBody::Parts(parts(&content_type, &r.body))
    } else {
        if !r.body.is_empty() {
            headers.push(("content-type".into(), content_type));
        }
        SentBody::Bytes(String::from_utf8_lossy(&r.body).into_owned())
    };
    headers.sort();
    Shape { method: r.method.clone(), path: decode(path), query, headers, body }
}

/// A multipart part: `(name, file name, explicit type, data)`.
type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// The parts of a multipart body.
fn parts(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type.split("boundary=").nth(1).unwrap().trim_matches('"');
    let delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut data = b"\r\n".to_vec();
    data.extend_from_slice(body);
    let mut out = Vec::new();
    let mut chunks = split_bytes(&data, &delimiter);
    chunks.remove(0);
    for chunk in chunks {
        if chunk.starts_with(b"--") {
            break;
        }
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let at = chunk.windows(4).position(|w| w == b"\r\n\r\n").expect("a part has a head");
        let head = String::from_utf8_lossy(&chunk[..at]).into_owned();
        let content = chunk[at + 4..].to_vec();
        let param = |name: &str| {
            head.split(&format!("{name}=\"")).nth(1).and_then(|s| s.split('"').next()).map(str::to_owned)
        };
        let name = param("; name").or_else(|| param(" name")).unwrap_or_default();
        let file = param("filename");
        let typed = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-type:").map(|v| v.trim().to_owned()))
            // A file part's type is the tool's guess; a text part's default is plain text.
            .filter(|t| !t.starts_with("text/plain") && t != "application/octet-stream");
        let typed = if file.is_some() { None } else { typed };
        out.push((name, file, typed, content));
    }
    out
}

fn split_bytes<'a>(data: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + delimiter.len() <= data.len() {
        if &data[i..i + delimiter.len()] == delimiter {
            out.push(&data[start..i]);
            i += delimiter.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&data[start..]);
    out
}

/// How a language's snippet runs here: the program and its arguments for the snippet's file.
struct Runner {
    language: Language,
    file_name: &'static str,
    program: &'static str,
    args: &'static [&'static str],
}

fn tool_present(program: &str, version_arg: &str) -> bool {
    Command::new(program)
        .arg(version_arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `program args file` in `dir` (with `NODE_PATH` for axios), at most a minute.
fn run(runner: &Runner, dir: &Path, file: &Path) -> (bool, String) {
    let mut command = Command::new(runner.program);
    command.args(runner.args).arg(file).current_dir(dir).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(modules) = NODE_MODULES.get().and_then(Option::as_ref) {
        command.env("NODE_PATH", modules);
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// Sends every case with the snippet of `runner.language` and with the engine, and compares.
/// Cases the language cannot send whole (it says so in the snippet's report) are skipped.
fn compare_language(runner: &Runner) {
    let server = Server::start(ok);
    let dir = tempfile::tempdir().unwrap();
    for request in cases(&server, dir.path()) {
        let exported = snippet(runner.language, None, &request);
        let cannot = exported.report.warnings.iter().find(|w| w.message.contains("cannot"));
        if let Some(w) = cannot {
            println!("{} / {}: not run ({})", runner.language.label(), request.name, w.message);
            continue;
        }
        let expected = shape(&sent_by_localpost(&server, &request));
        let file = dir.path().join(runner.file_name);
        // A shell snippet is run by the shell, as the user would paste it.
        std::fs::write(&file, &exported.text).unwrap();
        let before = server.requests().len();
        let (success, output) = run(runner, dir.path(), &file);
        let got = server.requests().split_off(before);
        assert!(
            success && got.len() == 1,
            "{} / {}: the snippet did not send one request ({} received):\n{output}\n--- snippet ---\n{}",
            runner.language.label(),
            request.name,
            got.len(),
            exported.text
        );
        assert_eq!(
            shape(&got[0]),
            expected,
            "{} / {}: the snippet's request differs from Localpost's\n--- snippet ---\n{}",
            runner.language.label(),
            request.name,
            exported.text
        );
    }
}

fn skip(what: &str, why: &str) {
    println!("SKIPPED {what}: {why}");
}

#[test]
fn curl_snippets_send_what_localpost_sends() {
    if !tool_present("curl", "--version") {
        return skip("cURL", "curl is not installed");
    }
    compare_language(&Runner { language: Language::Curl, file_name: "snippet.sh", program: "sh", args: &[] });
}

#[test]
fn wget_snippets_send_what_localpost_sends() {
    if !tool_present("wget", "--version") {
        return skip("wget", "wget is not installed");
    }
    compare_language(&Runner { language: Language::Wget, file_name: "snippet.sh", program: "sh", args: &[] });
}

#[test]
fn python_requests_snippets_send_what_localpost_sends() {
    let has_requests = Command::new("python3")
        .args(["-c", "import requests"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_requests {
        return skip("Python", "python3 with the requests package is not installed");
    }
    compare_language(&Runner {
        language: Language::PythonRequests,
        file_name: "snippet.py",
        program: "python3",
        args: &[],
    });
}

#[test]
fn javascript_fetch_snippets_send_what_localpost_sends() {
    if !tool_present("node", "--version") {
        return skip("JavaScript fetch", "node is not installed");
    }
    // Top-level `await`: an ES module.
    compare_language(&Runner {
        language: Language::JavaScriptFetch,
        file_name: "snippet.mjs",
        program: "node",
        args: &[],
    });
}

/// `node_modules` holding axios, installed once into the target folder; `None` when npm cannot.
static NODE_MODULES: OnceLock<Option<PathBuf>> = OnceLock::new();

fn axios_modules() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snippet-axios");
    let modules = dir.join("node_modules");
    if modules.join("axios").join("package.json").exists() {
        return Ok(modules);
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
        .arg(&dir)
        .arg("axios@1")
        .output()
        .map_err(|e| format!("npm did not start: {e}"))?;
    if output.status.success() && modules.join("axios").exists() {
        Ok(modules)
    } else {
        Err(format!("npm could not install axios: {}", String::from_utf8_lossy(&output.stderr).trim()))
    }
}

#[test]
fn node_axios_snippets_send_what_localpost_sends() {
    if !tool_present("node", "--version") {
        return skip("Node axios", "node is not installed");
    }
    let modules = NODE_MODULES.get_or_init(|| match axios_modules() {
        Ok(dir) => Some(dir),
        Err(why) => {
            skip("Node axios", &why);
            None
        }
    });
    if modules.is_none() {
        return;
    }
    compare_language(&Runner {
        language: Language::NodeAxios,
        file_name: "snippet.js",
        program: "node",
        args: &[],
    });
}

#[test]
fn java_httpclient_snippets_send_what_localpost_sends() {
    if !tool_present("java", "-version") {
        return skip("Java", "java is not installed");
    }
    // Single-file source launch (JDK 11+).
    compare_language(&Runner {
        language: Language::JavaHttpClient,
        file_name: "Snippet.java",
        program: "java",
        args: &[],
    });
}

#[test]
fn httpie_snippets_send_what_localpost_sends() {
    if !tool_present("http", "--version") {
        return skip("HTTPie", "HTTPie (`http`) is not installed");
    }
    compare_language(&Runner {
        language: Language::Httpie,
        file_name: "snippet.sh",
        program: "sh",
        args: &[],
    });
}

// ---- languages without their tool here: reviewed text ------------------------------------------

fn expected_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/snippets")
}

/// Compares `actual` with the reviewed file `name`, or writes it when blessing.
fn check_expected(name: &str, actual: &str) {
    let path = expected_dir().join(name);
    if std::env::var_os("LOCALPOST_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("missing expected snippet {} ({e}); run with LOCALPOST_BLESS=1 and review", path.display())
    });
    assert!(
        expected == actual,
        "{name} differs from the reviewed snippet; rerun with LOCALPOST_BLESS=1 and review the diff\n--- now ---\n{actual}"
    );
}

/// The cases with fixed URLs and file paths, so the text is the same on every machine.
fn fixed_cases() -> Vec<Request> {
    let server = Server::start(ok);
    let dir = Path::new("/data");
    let port = server.addr.port().to_string();
    let files = tempfile::tempdir().unwrap();
    cases(&server, files.path())
        .into_iter()
        .map(|mut r| {
            r.url = r.url.replace(&port, "8080");
            if r.body.mode == BodyMode::Binary {
                r.body.binary_path = dir.join("up load.bin").display().to_string();
            }
            for part in &mut r.body.multipart {
                if let FormPartKind::File(path) = &mut part.kind {
                    let name = Path::new(path.as_str()).file_name().unwrap().to_string_lossy().into_owned();
                    *path = dir.join(name).display().to_string();
                }
            }
            r
        })
        .collect()
}

#[test]
fn snippets_without_a_tool_here_match_the_reviewed_text() {
    let wanted = ["query", "json", "form", "multipart", "typed part", "binary"];
    for request in fixed_cases().into_iter().filter(|r| wanted.contains(&r.name.as_str())) {
        for language in
            [Language::GoNetHttp, Language::CSharpHttpClient, Language::PowerShell, Language::RustReqwest]
        {
            let text = snippet(language, None, &request).text;
            let file = request.name.replace(' ', "_");
            let name = match language {
                // The Rust files are compiled into this test: one module each.
                Language::RustReqwest => format!("{file}.rs"),
                _ => format!("{file}.{}", language.extension()),
            };
            check_expected(&name, &text);
        }
    }
}

#[test]
fn a_language_without_multipart_says_so() {
    let server = Server::start(ok);
    let dir = tempfile::tempdir().unwrap();
    let multipart = cases(&server, dir.path()).into_iter().find(|r| r.name == "multipart").unwrap();
    let report = snippet(Language::Wget, None, &multipart).report;
    assert!(
        report.warnings.iter().any(|w| w.message.contains("wget cannot build a multipart/form-data body")),
        "{report:?}"
    );
}
