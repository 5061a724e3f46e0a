//! The headers the engine adds, as the request editor shows them (greyed, under the user's).
//! The URL and its params and path-variables tables are kept in step by `model::url_text`.

use crate::model::{Body, BodyMode, Request};

/// Headers the engine adds itself; history shows them, the editor shows them greyed.
pub fn is_auto_header(name: &str) -> bool {
    ["user-agent", "accept-encoding", "connection", "host", "content-length"]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

/// The headers Localpost will add when sending, as shown (greyed) under the user's headers.
pub fn auto_headers(request: &Request) -> Vec<(String, String)> {
    let has = |name: &str| request.headers.iter().any(|h| h.enabled && h.key.eq_ignore_ascii_case(name));
    let mut out = Vec::new();
    if let Some(content_type) = default_content_type(&request.body)
        && !has("content-type")
    {
        out.push(("Content-Type".to_owned(), content_type.to_owned()));
    }
    if !matches!(request.body.mode, BodyMode::None) {
        out.push(("Content-Length".to_owned(), "<calculated when sent>".to_owned()));
    }
    out.push(("Host".to_owned(), "<calculated when sent>".to_owned()));
    if !has("user-agent") {
        out.push(("User-Agent".to_owned(), concat!("localpost/", env!("CARGO_PKG_VERSION")).to_owned()));
    }
    if !has("accept") {
        out.push(("Accept".to_owned(), "*/*".to_owned()));
    }
    if !has("accept-encoding") {
        out.push(("Accept-Encoding".to_owned(), "gzip, deflate, br, zstd".to_owned()));
    }
    out.push(("Connection".to_owned(), "keep-alive".to_owned()));
    out
}

fn default_content_type(body: &Body) -> Option<&'static str> {
    match body.mode {
        BodyMode::None | BodyMode::Binary => None,
        BodyMode::Raw => Some(body.raw_language.content_type()),
        BodyMode::UrlEncoded => Some("application/x-www-form-urlencoded"),
        BodyMode::Multipart => Some("multipart/form-data; boundary=<calculated when sent>"),
        BodyMode::GraphQl => Some("application/json"),
    }
}
