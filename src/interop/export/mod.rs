//! Formats to other tools: Postman Collection v2.1 and environments, a request as a cURL
//! command, and code snippets in ten more languages ([`snippet::Language`]).
//!
//! Each exporter is a pure function from the model to text and returns a [`Report`] of what
//! did not map exactly; nothing is dropped without a line in it.

pub mod curl;
pub mod postman;
pub mod snippet;

use super::Report;
use crate::model::url_text::UrlText;
use crate::model::{Auth, KeyValue, ParentId, Request, WorkspaceData};

/// An export's text and what did not map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub text: String,
    pub report: Report,
}

/// What an export to a format without WebSocket requests says of each one it leaves out.
pub const WEBSOCKET_NOT_EXPORTED: &str =
    "WebSocket request not exported: the format has no WebSocket requests (Localpost's bundle keeps them)";

/// An export of a WebSocket request to a format that has none: no text, a line in the report
/// naming the request (never an HTTP GET in its place).
pub fn websocket_left_out(request: &Request) -> Option<Exported> {
    request.is_websocket().then(|| {
        let mut report = Report::default();
        report.warn(&request.name, WEBSOCKET_NOT_EXPORTED);
        Exported { text: String::new(), report }
    })
}

/// The auth a request really uses: its own, or the nearest folder's or collection's.
pub fn effective_auth<'a>(data: &'a WorkspaceData, request: &'a Request) -> &'a Auth {
    if request.auth != Auth::Inherit {
        return &request.auth;
    }
    for parent in data.ancestors(crate::model::ItemId::Request(request.id)) {
        let auth = match parent {
            ParentId::Collection(id) => data.collections.get(&id).map(|c| &c.auth),
            ParentId::Folder(id) => data.folders.get(&id).map(|f| &f.auth),
        };
        match auth {
            Some(Auth::Inherit) | None => {}
            Some(auth) => return auth,
        }
    }
    &Auth::None
}

/// The URL with the request's enabled query params (when it has any) and its path variables
/// filled in, encoded as the engine encodes them (`model::sent_body`); `{{variables}}` are left
/// as they are. Without variables left, the URL is written as it goes on the wire (spaces and
/// non-ASCII percent-encoded, as the engine's URL parser does).
pub fn full_url(request: &Request) -> String {
    use crate::model::sent_body::{encode_query_key, encode_query_value};
    let (base, query_in_url, hash) = split_url(&request.url);
    let url = fill_path_variables(base, &request.path_variables);
    let query = if request.params.is_empty() {
        query_in_url.to_owned()
    } else {
        request
            .params
            .iter()
            .filter(|p| p.enabled && !p.key.is_empty())
            .map(|p| format!("{}={}", encode_query_key(&p.key), encode_query_value(&p.value)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let text =
        UrlText { base: &url, query: None, fragment: (!hash.is_empty()).then_some(hash) }.with_query(&query);
    if text.contains("{{") {
        return text;
    }
    match url::Url::parse(&text) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => parsed.to_string(),
        _ => text,
    }
}

/// `(before ?, query, fragment)` of a URL as written, empty where absent (`model::url_text`).
pub fn split_url(url: &str) -> (&str, &str, &str) {
    let u = UrlText::parse(url);
    (u.base, u.query.unwrap_or(""), u.fragment.unwrap_or(""))
}

fn fill_path_variables(base: &str, vars: &[KeyValue]) -> String {
    if vars.is_empty() {
        return base.to_owned();
    }
    base.split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => vars.iter().find(|v| v.key == name && v.enabled).map_or_else(
                || segment.to_owned(),
                |v| crate::model::sent_body::encode_path_segment(&v.value),
            ),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A request reduced to what a command line or a snippet needs: the auth turned into headers,
/// query params or credentials where that is possible.
#[derive(Clone, Debug, Default)]
pub(crate) struct Prepared {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: PreparedBody,
    /// `(user, password)` for basic or digest auth.
    pub credentials: Option<(String, String)>,
    pub digest: bool,
    /// `aws:amz:<region>:<service>` with the access key and secret in `credentials`.
    pub aws_sigv4: Option<String>,
    pub follow_redirects: Option<bool>,
    pub max_redirects: Option<u32>,
    pub insecure: bool,
    pub timeout_ms: Option<u64>,
}

#[derive(Clone, Debug, Default)]
pub(crate) enum PreparedBody {
    #[default]
    None,
    Text(String),
    Form(Vec<(String, String)>),
    /// `(name, value or path, is_file, content type)`.
    Multipart(Vec<(String, String, bool, String)>),
    File(String),
}

pub(crate) fn prepare(data: Option<&WorkspaceData>, request: &Request, report: &mut Report) -> Prepared {
    use crate::model::ApiKeyLocation;
    let mut p = Prepared {
        method: request.method.as_str().to_owned(),
        url: full_url(request),
        headers: request
            .headers
            .iter()
            .filter(|h| h.enabled)
            .map(|h| (h.key.clone(), h.value.clone()))
            .collect(),
        follow_redirects: request.settings.follow_redirects,
        max_redirects: request.settings.max_redirects,
        insecure: request.settings.verify_tls == Some(false),
        timeout_ms: request.settings.timeout_ms.filter(|t| *t > 0),
        ..Prepared::default()
    };
    let auth = match data {
        Some(data) => effective_auth(data, request).clone(),
        None if request.auth == Auth::Inherit => Auth::None,
        None => request.auth.clone(),
    };
    match auth {
        Auth::Inherit | Auth::None => {}
        Auth::Basic { username, password } => p.credentials = Some((username, password)),
        Auth::Bearer { token } => p.headers.push(("Authorization".into(), format!("Bearer {token}"))),
        Auth::ApiKey { key, value, location: ApiKeyLocation::Header } => p.headers.push((key, value)),
        Auth::ApiKey { key, value, location: ApiKeyLocation::Query } => {
            let sep = if p.url.contains('?') { '&' } else { '?' };
            p.url = format!("{}{sep}{key}={value}", p.url);
        }
        Auth::Digest(d) => {
            p.credentials = Some((d.username, d.password));
            p.digest = true;
        }
        Auth::OAuth2(o) if !o.access_token.is_empty() => {
            let prefix = if o.header_prefix.is_empty() { "Bearer" } else { &o.header_prefix };
            p.headers.push(("Authorization".into(), format!("{prefix} {}", o.access_token)));
        }
        Auth::OAuth2(_) => report.warn(
            &request.name,
            "OAuth 2.0 without a token yet: fetch one in Localpost first; no Authorization header written",
        ),
        Auth::AwsSigV4(a) => {
            p.aws_sigv4 = Some(format!("aws:amz:{}:{}", a.region, a.service));
            p.credentials = Some((a.access_key, a.secret_key));
            if !a.session_token.is_empty() {
                p.headers.push(("X-Amz-Security-Token".into(), a.session_token));
            }
        }
        // A signature is made for one send (a timestamp and nonce): a snippet cannot carry it.
        Auth::OAuth1(_) | Auth::Hawk(_) | Auth::Jwt(_) | Auth::Asap(_) | Auth::EdgeGrid(_) => report.warn(
            &request.name,
            format!(
                "{} signs each send with a fresh timestamp and nonce; the snippet goes without the signature",
                auth.kind_label()
            ),
        ),
        Auth::Ntlm(_) => report.warn(
            &request.name,
            "NTLM answers the server's challenge on one connection; the snippet goes without it",
        ),
        Auth::Unsupported { kind, .. } => {
            report.warn(
                &request.name,
                format!("{kind} auth cannot be written here; the request goes without it"),
            );
        }
    }
    p.body = prepared_body(request, &mut p, report);
    if !request.scripts.is_empty() {
        report.warn(&request.name, "scripts are not part of a command line");
    }
    p
}

/// The body as the engine sends it (`model::sent_body`): nothing for an empty one, rows with a
/// name only, the `Content-Type` the engine would set (a form's own type left to the tool).
fn prepared_body(request: &Request, p: &mut Prepared, report: &mut Report) -> PreparedBody {
    use crate::model::sent_body::{graphql_json, implied_content_type, sends_body, sets_content_type};
    use crate::model::{BodyMode, FormPartKind};
    let body = &request.body;
    if !sends_body(body) {
        return PreparedBody::None;
    }
    let user_type =
        p.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.as_str());
    let sets_type = sets_content_type(body.mode, user_type, request.settings.disable_auto_headers);
    match body.mode {
        BodyMode::UrlEncoded | BodyMode::Multipart => {
            // The tool writes the form's type (and the multipart boundary) itself.
            if sets_type {
                p.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
            }
        }
        _ => {
            if let Some(implied) = implied_content_type(body, &body.binary_path)
                && sets_type
            {
                p.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
                p.headers.push(("Content-Type".into(), implied));
            }
        }
    }
    match body.mode {
        BodyMode::None => PreparedBody::None,
        BodyMode::Raw => PreparedBody::Text(body.raw.clone()),
        BodyMode::UrlEncoded => PreparedBody::Form(
            body.urlencoded
                .iter()
                .filter(|f| f.enabled && !f.key.is_empty())
                .map(|f| (f.key.clone(), f.value.clone()))
                .collect(),
        ),
        BodyMode::Multipart => PreparedBody::Multipart(
            body.multipart
                .iter()
                .filter(|f| f.enabled && !f.key.is_empty())
                .map(|f| match &f.kind {
                    FormPartKind::Text(v) => (f.key.clone(), v.clone(), false, f.content_type.clone()),
                    FormPartKind::File(path) => (f.key.clone(), path.clone(), true, f.content_type.clone()),
                })
                .collect(),
        ),
        BodyMode::Binary => PreparedBody::File(body.binary_path.clone()),
        BodyMode::GraphQl => {
            let g = &body.graphql;
            match graphql_json(&g.query, &g.variables, &g.operation_name) {
                Ok(json) => PreparedBody::Text(json),
                Err(e) => {
                    report.warn(
                        &request.name,
                        format!("GraphQL variables {e}: Localpost would not send this; written without them"),
                    );
                    PreparedBody::Text(graphql_json(&g.query, "", &g.operation_name).unwrap_or_default())
                }
            }
        }
    }
}
