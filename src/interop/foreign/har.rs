//! HAR 1.2 (HTTP Archive), as browsers' developer tools and proxies export it: one request per
//! entry, in recorded order, with the recorded response as a saved example.
//!
//! Recorded requests carry headers no one typed: HTTP/2 pseudo-headers (`:authority`,
//! `:method`...) repeat the URL and method and are dropped (with a check that they agree, and a
//! note in the report); `Content-Length` is computed when sending and dropped too. Everything else
//! the browser sent is kept, as it was sent.

use base64::Engine as _;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::node::Node;
use super::postman::language_of_content_type;
use super::query::{percent_decode, query_params, request_name};
use super::tree::Tree;
use crate::interop::{Format, ImportError, Report};
use crate::model::url_text::UrlText;
use crate::model::{
    Auth, Body, BodyMode, Collection, ExampleId, FormPart, Header, KeyValue, Method, ParentId, Request,
    ResponseRecord, SavedResponse, SentRequest, StoredBody, WorkspaceData,
};

pub(crate) fn import(root: &Node, name: &str, report: &mut Report) -> Result<WorkspaceData, ImportError> {
    let log = root.at("log");
    let entries = match log.get("entries") {
        Some(entries @ Node::Array(_)) => entries,
        Some(other) => {
            return Err(ImportError::Shape {
                format: Format::Har,
                path: "$.log.entries".into(),
                message: format!("expected an array of recorded requests, found {}", other.kind()),
            });
        }
        None => {
            return Err(ImportError::Shape {
                format: Format::Har,
                path: "$.log.entries".into(),
                message: "missing".into(),
            });
        }
    };
    let mut tree = Tree::new(uuid::Uuid::new_v4(), name);
    let mut collection = Collection::new(name);
    let creator = log.at("creator");
    if let Some(tool) = creator.str("name") {
        collection.description =
            format!("Recorded with {tool} {}", creator.text("version")).trim_end().to_owned();
    }
    let collection_id = tree.add_collection(collection);
    let mut notes = Notes::default();
    for (i, entry) in entries.items().iter().enumerate() {
        let location = format!("entries[{i}]");
        if !entry.at("request").is_object() {
            report.warn(
                &location,
                format!("skipped: the entry has no request object ({})", entry.at("request").kind()),
            );
            continue;
        }
        let request = entry_request(entry, &location, &mut notes, report);
        tree.add_request(ParentId::Collection(collection_id), request);
    }
    if notes.pseudo_headers > 0 {
        report.warn(
            name,
            format!(
                "HTTP/2 pseudo-headers (:authority, :method, :path, :scheme) dropped from {}; the URL and method \
                 carry them",
                requests(notes.pseudo_headers)
            ),
        );
    }
    if notes.content_length > 0 {
        report.warn(
            name,
            format!(
                "Content-Length dropped from {}; it is computed when sending",
                requests(notes.content_length)
            ),
        );
    }
    if notes.host > 0 {
        report.warn(name, format!("Host dropped from {}; it repeated the URL's host", requests(notes.host)));
    }
    Ok(tree.into_data())
}

/// What is reported once for the whole file rather than per entry.
#[derive(Default)]
struct Notes {
    pseudo_headers: usize,
    content_length: usize,
    host: usize,
}

fn entry_request(entry: &Node, location: &str, notes: &mut Notes, report: &mut Report) -> Request {
    let recorded = entry.at("request");
    let method = recorded.str("method").filter(|m| !m.trim().is_empty()).unwrap_or("GET");
    let url = recorded.text("url");
    let mut request = Request::new(request_name(method, &url));
    request.method = Method::parse(method);
    request.params = query_params(&url);
    request.auth = Auth::Inherit;

    let mut had_pseudo = false;
    let mut had_length = false;
    let mut had_host = false;
    for header in recorded.at("headers").items() {
        let key = header.text("name");
        let value = header.text("value");
        if key.starts_with(':') {
            had_pseudo = true;
            check_pseudo_header(&key, &value, method, &url, location, report);
            continue;
        }
        if key.eq_ignore_ascii_case("content-length") {
            had_length = true;
            continue;
        }
        // The URL says the same; a stale copy would break the request if the URL changes.
        if key.eq_ignore_ascii_case("host") && value.eq_ignore_ascii_case(authority(&url)) {
            had_host = true;
            continue;
        }
        request.headers.push(KeyValue::new(key, value));
    }
    // Cookies recorded apart from the headers (some tools leave out the `Cookie` header).
    let cookies: Vec<String> = recorded
        .at("cookies")
        .items()
        .iter()
        .filter(|c| c.get("name").is_some())
        .map(|c| format!("{}={}", c.text("name"), c.text("value")))
        .collect();
    if !cookies.is_empty() && !request.headers.iter().any(|h| h.key.eq_ignore_ascii_case("cookie")) {
        request.headers.push(KeyValue::new("Cookie", cookies.join("; ")));
    }
    notes.pseudo_headers += usize::from(had_pseudo);
    notes.content_length += usize::from(had_length);
    notes.host += usize::from(had_host);
    request.body = body(recorded.at("postData"), &request.headers, location, report);
    super::drop_stale_multipart_type(&mut request);
    request.url = url;

    let response = entry.at("response");
    let status = response.u64("status").and_then(|s| u16::try_from(s).ok()).unwrap_or(0);
    if status == 0 {
        let why =
            response.str("_error").filter(|e| !e.is_empty()).map_or(String::new(), |e| format!(" ({e})"));
        report.warn(
            location,
            format!("no response was recorded{why}; the request is imported without an example"),
        );
    } else {
        request.examples.push(example(entry, &request, status, location, report));
    }
    request
}

fn requests(n: usize) -> String {
    if n == 1 { "1 request".to_owned() } else { format!("{n} requests") }
}

/// `host[:port]` of a URL.
fn authority(url: &str) -> &str {
    let base = UrlText::parse(url).base;
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    let authority = after_scheme.split('/').next().unwrap_or_default();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host)
}

/// A pseudo-header that disagrees with the URL or method is a recording worth a look.
fn check_pseudo_header(key: &str, value: &str, method: &str, url: &str, location: &str, report: &mut Report) {
    let authority = authority(url);
    let agrees = match key {
        ":method" => value.eq_ignore_ascii_case(method),
        ":authority" => authority.eq_ignore_ascii_case(value) || authority.split(':').next() == Some(value),
        ":scheme" => url.to_ascii_lowercase().starts_with(&format!("{}://", value.to_ascii_lowercase())),
        ":path" => {
            let path_and_query = url.split_once("://").map_or(url, |(_, rest)| rest);
            let path = path_and_query.find('/').map_or("/", |i| &path_and_query[i..]);
            UrlText { fragment: None, ..UrlText::parse(path) }.to_string() == value
        }
        _ => true,
    };
    if !agrees {
        report.warn(
            location,
            format!("recorded {key} `{value}` differs from the URL/method; the URL and method are kept"),
        );
    }
}

fn body(post: &Node, headers: &[KeyValue], location: &str, report: &mut Report) -> Body {
    if !post.is_object() {
        return Body::default();
    }
    let mime = post.text("mimeType");
    let text = post.text("text");
    let params = post.at("params").items();
    let lower = mime.to_ascii_lowercase();
    if lower.starts_with("multipart/form-data") && !params.is_empty() {
        let parts = params
            .iter()
            .map(|p| {
                let mut part = match p.str("fileName").filter(|f| !f.is_empty()) {
                    Some(file) => FormPart::file(p.text("name"), file),
                    None => FormPart::text(p.text("name"), p.text("value")),
                };
                part.content_type = p.text("contentType");
                part
            })
            .collect::<Vec<_>>();
        if parts.iter().any(|p| matches!(p.kind, crate::model::FormPartKind::File(_))) {
            report.warn(
                location,
                "multipart files were recorded by name only; choose the files again before sending",
            );
        }
        return Body { mode: BodyMode::Multipart, multipart: parts, ..Body::default() };
    }
    if lower.starts_with("application/x-www-form-urlencoded") {
        let rows: Vec<KeyValue> = if params.is_empty() {
            text.split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    KeyValue::new(percent_decode(k, true), percent_decode(v, true))
                })
                .collect()
        } else {
            params.iter().map(|p| KeyValue::new(p.text("name"), p.text("value"))).collect()
        };
        if !rows.is_empty() {
            return Body { mode: BodyMode::UrlEncoded, urlencoded: rows, ..Body::default() };
        }
    }
    if text.is_empty() {
        return Body::default();
    }
    if post.str("encoding") == Some("base64") {
        report.warn(location, "the request body was recorded as base64; kept as that text");
    }
    let content_type = headers
        .iter()
        .find(|h| h.key.eq_ignore_ascii_case("content-type"))
        .map_or(mime.as_str(), |h| h.value.as_str());
    Body::raw(language_of_content_type(content_type), text)
}

fn example(
    entry: &Node,
    request: &Request,
    status: u16,
    location: &str,
    report: &mut Report,
) -> SavedResponse {
    let recorded = entry.at("request");
    let response = entry.at("response");
    let content = response.at("content");
    let body = match content.get("text") {
        Some(Node::String(text)) if content.str("encoding") == Some("base64") => {
            match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                Ok(bytes) => Some(StoredBody::from_bytes(&bytes)),
                Err(_) => {
                    report.warn(location, "the response body is marked base64 but is not; kept as text");
                    Some(StoredBody::Text(text.clone()))
                }
            }
        }
        Some(Node::String(text)) if !text.is_empty() => Some(StoredBody::Text(text.clone())),
        _ => None,
    };
    let decoded_size = body.as_ref().map_or(0, |b| b.len_bytes() as u64);
    let size_bytes = content.u64("size").filter(|s| *s > 0).unwrap_or(decoded_size);
    let wire_size_bytes =
        response.u64("_transferSize").or_else(|| response.u64("bodySize")).filter(|s| *s > 0);
    let reason = response.text("statusText");
    let sent_body = recorded.at("postData").get("text").map(Node::to_text).filter(|t| !t.is_empty());
    SavedResponse {
        id: ExampleId::new(),
        name: if reason.is_empty() {
            format!("Recorded {status}")
        } else {
            format!("Recorded {status} {reason}")
        },
        request: SentRequest {
            method: request.method.as_str().to_owned(),
            url: request.url.clone(),
            headers: recorded
                .at("headers")
                .items()
                .iter()
                .map(|h| Header::new(h.text("name"), h.text("value")))
                .collect(),
            body_size_bytes: recorded
                .u64("bodySize")
                .unwrap_or_else(|| sent_body.as_ref().map_or(0, |b| b.len() as u64)),
            body: sent_body.map(StoredBody::Text),
            body_truncated: false,
            body_summary: String::new(),
        },
        response: ResponseRecord {
            status,
            reason,
            http_version: response.text("httpVersion"),
            headers: response
                .at("headers")
                .items()
                .iter()
                .map(|h| Header::new(h.text("name"), h.text("value")))
                .collect(),
            body,
            body_truncated: false,
            size_bytes,
            wire_size_bytes,
            time_ms: entry.get("time").and_then(Node::as_f64).map_or(0, |t| t.max(0.0).round() as u64),
        },
        saved_at: entry.str("startedDateTime").and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok()),
        source_request: None,
    }
}
