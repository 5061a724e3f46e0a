//! Code snippets of a request: cURL, wget, HTTPie, PowerShell, Python `requests`, JavaScript
//! `fetch`, Node axios, Go `net/http`, Rust reqwest, Java `HttpClient` and C# `HttpClient`.
//!
//! Each is written from the request reduced by [`super::prepare`] (auth as headers or
//! credentials, the body as the engine sends it), with every text quoted for its language.

mod axios;
mod csharp;
mod go;
mod java;
mod powershell;
mod reqwest;
mod wget;

use std::fmt::Write as _;

use super::curl::quote;
use super::{Exported, Prepared, PreparedBody, prepare};
use crate::interop::Report;
use crate::model::{Request, WorkspaceData};

/// The languages a snippet can be written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    Curl,
    Wget,
    Httpie,
    PowerShell,
    PythonRequests,
    JavaScriptFetch,
    NodeAxios,
    GoNetHttp,
    RustReqwest,
    JavaHttpClient,
    CSharpHttpClient,
}

impl Language {
    pub const ALL: [Language; 11] = [
        Language::Curl,
        Language::Wget,
        Language::Httpie,
        Language::PowerShell,
        Language::PythonRequests,
        Language::JavaScriptFetch,
        Language::NodeAxios,
        Language::GoNetHttp,
        Language::RustReqwest,
        Language::JavaHttpClient,
        Language::CSharpHttpClient,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Language::Curl => "cURL",
            Language::Wget => "wget",
            Language::Httpie => "HTTPie",
            Language::PowerShell => "PowerShell (Invoke-WebRequest)",
            Language::PythonRequests => "Python (requests)",
            Language::JavaScriptFetch => "JavaScript (fetch)",
            Language::NodeAxios => "Node.js (axios)",
            Language::GoNetHttp => "Go (net/http)",
            Language::RustReqwest => "Rust (reqwest)",
            Language::JavaHttpClient => "Java (HttpClient)",
            Language::CSharpHttpClient => "C# (HttpClient)",
        }
    }

    /// A stable name for settings and the session (labels may change).
    pub fn id(self) -> &'static str {
        match self {
            Language::Curl => "curl",
            Language::Wget => "wget",
            Language::Httpie => "httpie",
            Language::PowerShell => "powershell",
            Language::PythonRequests => "python-requests",
            Language::JavaScriptFetch => "javascript-fetch",
            Language::NodeAxios => "node-axios",
            Language::GoNetHttp => "go-net-http",
            Language::RustReqwest => "rust-reqwest",
            Language::JavaHttpClient => "java-httpclient",
            Language::CSharpHttpClient => "csharp-httpclient",
        }
    }

    /// The language of [`Language::id`]; `None` for a name this version does not know.
    pub fn from_id(id: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.id() == id)
    }

    /// The file extension of the language's source (for highlighting and saving).
    pub fn extension(self) -> &'static str {
        match self {
            Language::Curl | Language::Wget | Language::Httpie => "sh",
            Language::PowerShell => "ps1",
            Language::PythonRequests => "py",
            Language::JavaScriptFetch | Language::NodeAxios => "js",
            Language::GoNetHttp => "go",
            Language::RustReqwest => "rs",
            Language::JavaHttpClient => "java",
            Language::CSharpHttpClient => "cs",
        }
    }
}

/// The request as a snippet in `language`.
pub fn snippet(language: Language, data: Option<&WorkspaceData>, request: &Request) -> Exported {
    if let Some(left_out) = super::websocket_left_out(request) {
        return left_out;
    }
    let written = |write: fn(&Prepared, &str, &mut Report) -> String| {
        let mut report = Report::default();
        let p = prepare(data, request, &mut report);
        let text = write(&p, &request.name, &mut report);
        Exported { text, report }
    };
    match language {
        Language::Curl => super::curl::request_to_curl(data, request),
        Language::Httpie => httpie(data, request),
        Language::PythonRequests => python_requests(data, request),
        Language::JavaScriptFetch => javascript_fetch(data, request),
        Language::Wget => written(wget::wget),
        Language::PowerShell => written(powershell::powershell),
        Language::NodeAxios => written(axios::axios),
        Language::GoNetHttp => written(go::go),
        Language::RustReqwest => written(reqwest::reqwest),
        Language::JavaHttpClient => written(java::java),
        Language::CSharpHttpClient => written(csharp::csharp),
    }
}

/// The file name of a path (either separator), for a multipart file part.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A form body as the engine encodes it, for languages given the bytes to send.
fn form_text(fields: &[(String, String)]) -> String {
    crate::model::sent_body::urlencoded(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The header named `name` (any case), if the request has one.
fn header<'a>(p: &'a Prepared, name: &str) -> Option<&'a str> {
    p.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// The headers with a form body's `Content-Type` added when the language does not write one.
fn headers_with_form_type(p: &Prepared) -> Vec<(String, String)> {
    let mut headers = p.headers.clone();
    if matches!(p.body, PreparedBody::Form(_)) && header(p, "content-type").is_none() {
        headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
    }
    headers
}

/// Warns that `language` has no `kind` auth built in, for digest and AWS Signature v4.
fn warn_unsigned(p: &Prepared, name: &str, language: &str, report: &mut Report) -> bool {
    let kind = if p.digest {
        "Digest"
    } else if p.aws_sigv4.is_some() {
        "AWS Signature v4"
    } else {
        return false;
    };
    report.warn(name, format!("{language} has no {kind} auth built in; the request goes without it"));
    true
}

pub fn httpie(data: Option<&WorkspaceData>, request: &Request) -> Exported {
    let mut report = Report::default();
    let p = prepare(data, request, &mut report);
    let mut args = vec!["http".to_owned()];
    match &p.body {
        PreparedBody::Form(_) => args.push("--form".into()),
        PreparedBody::Multipart(_) => args.push("--multipart".into()),
        _ => {}
    }
    if p.follow_redirects == Some(true) {
        args.push("--follow".into());
    }
    if let Some(n) = p.max_redirects {
        args.push(format!("--max-redirects={n}"));
    }
    if p.insecure {
        args.push("--verify=no".into());
    }
    if let Some(ms) = p.timeout_ms {
        args.push(format!("--timeout={}", ms as f64 / 1000.0));
    }
    if let Some((user, password)) = &p.credentials {
        if p.aws_sigv4.is_some() {
            report.warn(&request.name, "HTTPie has no AWS Signature v4 built in; the request goes unsigned");
        } else {
            if p.digest {
                args.push("--auth-type=digest".into());
            }
            args.push(format!("--auth={}", quote(&format!("{user}:{password}"))));
        }
    }
    if let PreparedBody::Text(text) = &p.body {
        args.push(format!("--raw={}", quote(text)));
    }
    args.push(p.method.clone());
    args.push(quote(&p.url));
    for (k, v) in &p.headers {
        args.push(quote(&format!("{k}:{v}")));
    }
    match &p.body {
        PreparedBody::Form(fields) => args.extend(fields.iter().map(|(k, v)| quote(&format!("{k}={v}")))),
        PreparedBody::Multipart(parts) => args.extend(parts.iter().map(|(k, v, is_file, ct)| {
            if *is_file {
                let typed = if ct.is_empty() { String::new() } else { format!(";type={ct}") };
                quote(&format!("{k}@{v}{typed}"))
            } else {
                quote(&format!("{k}={v}"))
            }
        })),
        PreparedBody::File(path) => args.push(format!("< {}", quote(path))),
        PreparedBody::None | PreparedBody::Text(_) => {}
    }
    Exported { text: args.join(" \\\n  "), report }
}

pub fn python_requests(data: Option<&WorkspaceData>, request: &Request) -> Exported {
    let mut report = Report::default();
    let p = prepare(data, request, &mut report);
    let mut out = String::from("import requests\n");
    if p.digest {
        out.push_str("from requests.auth import HTTPDigestAuth\n");
    }
    let _ = writeln!(out, "\nurl = {}", py_str(&p.url));
    let mut call_args = vec![py_str(&p.method), "url".to_owned()];
    if !p.headers.is_empty() {
        out.push_str("headers = {\n");
        for (k, v) in &p.headers {
            let _ = writeln!(out, "    {}: {},", py_str(k), py_str(v));
        }
        out.push_str("}\n");
        call_args.push("headers=headers".into());
    }
    match &p.body {
        PreparedBody::None => {}
        PreparedBody::Text(text) => {
            let _ = writeln!(out, "data = {}", py_str(text));
            call_args.push("data=data.encode(\"utf-8\")".into());
        }
        PreparedBody::Form(fields) => {
            out.push_str("data = [\n");
            for (k, v) in fields {
                let _ = writeln!(out, "    ({}, {}),", py_str(k), py_str(v));
            }
            out.push_str("]\n");
            call_args.push("data=data".into());
        }
        PreparedBody::Multipart(parts) => {
            out.push_str("files = [\n");
            for (k, v, is_file, ct) in parts {
                if *is_file {
                    let name = v.rsplit(['/', '\\']).next().unwrap_or(v);
                    let ct = if ct.is_empty() { String::new() } else { format!(", {}", py_str(ct)) };
                    let _ = writeln!(
                        out,
                        "    ({}, ({}, open({}, \"rb\"){ct})),",
                        py_str(k),
                        py_str(name),
                        py_str(v)
                    );
                } else if ct.is_empty() {
                    let _ = writeln!(out, "    ({}, (None, {})),", py_str(k), py_str(v));
                } else {
                    let _ = writeln!(out, "    ({}, (None, {}, {})),", py_str(k), py_str(v), py_str(ct));
                }
            }
            out.push_str("]\n");
            call_args.push("files=files".into());
        }
        PreparedBody::File(path) => {
            let _ = writeln!(out, "data = open({}, \"rb\")", py_str(path));
            call_args.push("data=data".into());
        }
    }
    if let Some((user, password)) = &p.credentials {
        if p.aws_sigv4.is_some() {
            report.warn(&request.name, "requests has no AWS Signature v4 built in (see requests-aws4auth); the request goes unsigned");
        } else if p.digest {
            call_args.push(format!("auth=HTTPDigestAuth({}, {})", py_str(user), py_str(password)));
        } else {
            call_args.push(format!("auth=({}, {})", py_str(user), py_str(password)));
        }
    }
    if let Some(follow) = p.follow_redirects {
        call_args.push(format!("allow_redirects={}", if follow { "True" } else { "False" }));
    }
    if p.max_redirects.is_some() {
        report.warn(&request.name, "the redirect limit is not written (requests sets it on a Session)");
    }
    if p.insecure {
        call_args.push("verify=False".into());
    }
    if let Some(ms) = p.timeout_ms {
        call_args.push(format!("timeout={}", ms as f64 / 1000.0));
    }
    let _ = writeln!(out, "\nresponse = requests.request({})\n", call_args.join(", "));
    out.push_str("print(response.status_code)\nprint(response.text)\n");
    Exported { text: out, report }
}

pub fn javascript_fetch(data: Option<&WorkspaceData>, request: &Request) -> Exported {
    let mut report = Report::default();
    let p = prepare(data, request, &mut report);
    let mut out = String::new();
    let mut headers = p.headers.clone();
    if let Some((user, password)) = &p.credentials {
        if p.digest || p.aws_sigv4.is_some() {
            let kind = if p.digest { "Digest" } else { "AWS Signature v4" };
            report.warn(&request.name, format!("fetch has no {kind} auth; the request goes without it"));
        } else {
            headers.push(("Authorization".into(), format!("__BASIC__{user}:{password}")));
        }
    }
    let mut options = vec![format!("method: {}", js_str(&p.method))];
    if !headers.is_empty() {
        let mut h = String::from("headers: {\n");
        for (k, v) in &headers {
            let value = match v.strip_prefix("__BASIC__") {
                Some(pair) => format!("\"Basic \" + btoa({})", js_str(pair)),
                None => js_str(v),
            };
            let _ = writeln!(h, "    {}: {value},", js_str(k));
        }
        h.push_str("  }");
        options.push(h);
    }
    match &p.body {
        PreparedBody::None => {}
        PreparedBody::Text(text) => options.push(format!("body: {}", js_str(text))),
        PreparedBody::Form(fields) => {
            out.push_str("const body = new URLSearchParams();\n");
            for (k, v) in fields {
                let _ = writeln!(out, "body.append({}, {});", js_str(k), js_str(v));
            }
            options.push("body".into());
        }
        PreparedBody::Multipart(parts) => {
            out.push_str("const body = new FormData();\n");
            for (k, v, is_file, ct) in parts {
                if *is_file {
                    let name = v.rsplit(['/', '\\']).next().unwrap_or(v);
                    let ty =
                        if ct.is_empty() { String::new() } else { format!(", {{ type: {} }}", js_str(ct)) };
                    let _ = writeln!(
                        out,
                        "body.append({}, new Blob([await readFile({})]{ty}), {});",
                        js_str(k),
                        js_str(v),
                        js_str(name)
                    );
                } else {
                    if !ct.is_empty() {
                        report.warn(
                            &request.name,
                            format!("FormData cannot give text part {k} a type; it goes without it"),
                        );
                    }
                    let _ = writeln!(out, "body.append({}, {});", js_str(k), js_str(v));
                }
            }
            options.push("body".into());
        }
        PreparedBody::File(path) => {
            let _ = writeln!(out, "const body = await readFile({});", js_str(path));
            options.push("body".into());
        }
    }
    if out.contains("readFile(") {
        out.insert_str(0, "import { readFile } from \"node:fs/promises\";\n\n");
    }
    if p.follow_redirects == Some(false) {
        options.push("redirect: \"manual\"".into());
    }
    if let Some(ms) = p.timeout_ms {
        options.push(format!("signal: AbortSignal.timeout({ms})"));
    }
    if p.insecure {
        report.warn(&request.name, "fetch cannot turn off certificate checks; run Node with NODE_TLS_REJECT_UNAUTHORIZED=0 if you must");
    }
    if p.max_redirects.is_some() {
        report.warn(&request.name, "fetch has no redirect limit option");
    }
    let _ = write!(
        out,
        "const response = await fetch({}, {{\n  {},\n}});\nconsole.log(response.status);\nconsole.log(await response.text());\n",
        js_str(&p.url),
        options.join(",\n  ")
    );
    Exported { text: out, report }
}

/// A Python string literal.
fn py_str(s: &str) -> String {
    // JSON string syntax is valid Python for everything JSON escapes.
    serde_json::Value::String(s.to_owned()).to_string()
}

/// A JavaScript string literal.
fn js_str(s: &str) -> String {
    serde_json::Value::String(s.to_owned())
        .to_string()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A Go interpreted string literal (JSON's escapes are all Go escapes; source is UTF-8).
fn go_str(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// A C# regular string literal (JSON's escapes are all C# escapes).
fn cs_str(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// A Rust string literal: `str`'s `Debug` form is one.
fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// A Java string literal, ASCII only (`\uXXXX` for the rest, so the source's encoding does not
/// matter). JSON never writes `\u000a` or `\u000d`, which Java would read as line breaks.
fn java_str(s: &str) -> String {
    let json = serde_json::Value::String(s.to_owned()).to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

/// A PowerShell single-quoted (verbatim) string: no `$` expansion, no backslash escapes; a
/// quote, straight or typographic, is doubled.
fn ps_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn form_request() -> Request {
        let mut r = Request::new("Login").with_method(Method::Post).with_url("http://127.0.0.1:9/login");
        r.body.mode = BodyMode::UrlEncoded;
        r.body.urlencoded = vec![KeyValue::new("user", "a\"b"), KeyValue::new("skip", "x").disabled()];
        r.auth = Auth::Bearer { token: "t0k".into() };
        r
    }

    #[test]
    fn literals_escape_what_each_language_reads_specially() {
        assert_eq!(java_str("ü😀\n\"\\u0041"), "\"\\u00fc\\ud83d\\ude00\\n\\\"\\\\u0041\"");
        assert_eq!(ps_str("it’s 'a' $x `n"), "'it’’s ''a'' $x `n'");
        assert_eq!(rust_str("a\"\\\n\u{0}é"), "\"a\\\"\\\\\\n\\0é\"");
        assert_eq!(go_str("$x\t\u{1}"), "\"$x\\t\\u0001\"");
        assert_eq!(js_str("\u{2028}`${x}`"), "\"\\u2028`${x}`\"");
    }

    #[test]
    fn every_language_has_a_stable_id() {
        for language in Language::ALL {
            assert_eq!(Language::from_id(language.id()), Some(language));
        }
        assert_eq!(Language::from_id("cobol"), None);
    }

    #[test]
    fn httpie_form() {
        let out = httpie(None, &form_request()).text;
        assert_eq!(
            out,
            "http \\\n  --form \\\n  POST \\\n  http://127.0.0.1:9/login \\\n  'Authorization:Bearer t0k' \\\n  'user=a\"b'"
        );
    }

    #[test]
    fn python_form() {
        let out = python_requests(None, &form_request()).text;
        assert!(out.contains("data = [\n    (\"user\", \"a\\\"b\"),\n]"), "{out}");
        assert!(out.contains("\"Authorization\": \"Bearer t0k\""), "{out}");
        assert!(!out.contains("skip"), "{out}");
    }

    #[test]
    fn fetch_form() {
        let out = javascript_fetch(None, &form_request()).text;
        assert!(
            out.contains("const body = new URLSearchParams();\nbody.append(\"user\", \"a\\\"b\");"),
            "{out}"
        );
        assert!(out.contains("method: \"POST\""), "{out}");
    }
}
