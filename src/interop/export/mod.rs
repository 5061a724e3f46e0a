//! Formats to other tools: Postman Collection v2.1 and environments, a request as a cURL
//! command, and code snippets (HTTPie, Python requests, JavaScript fetch).
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
/// filled in; `{{variables}}` are left as they are.
pub fn full_url(request: &Request) -> String {
    let (base, query_in_url, hash) = split_url(&request.url);
    let url = fill_path_variables(base, &request.path_variables);
    let query = if request.params.is_empty() {
        query_in_url.to_owned()
    } else {
        request
            .params
            .iter()
            .filter(|p| p.enabled)
            .map(|p| {
                if p.value.is_empty() && p.key.is_empty() {
                    String::new()
                } else {
                    format!("{}={}", p.key, p.value)
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    UrlText { base: &url, query: None, fragment: (!hash.is_empty()).then_some(hash) }.with_query(&query)
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
            Some(name) => vars
                .iter()
                .find(|v| v.key == name && v.enabled)
                .map_or_else(|| segment.to_owned(), |v| v.value.clone()),
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

impl Prepared {
    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
    }
}

pub(crate) fn prepare(data: Option<&WorkspaceData>, request: &Request, report: &mut Report) -> Prepared {
    use crate::model::{ApiKeyLocation, BodyMode, FormPartKind};
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
    let body = &request.body;
    p.body = match body.mode {
        BodyMode::None => PreparedBody::None,
        BodyMode::Raw => {
            if !p.has_header("content-type") {
                p.headers.push(("Content-Type".into(), body.raw_language.content_type().into()));
            }
            PreparedBody::Text(body.raw.clone())
        }
        BodyMode::UrlEncoded => PreparedBody::Form(
            body.urlencoded.iter().filter(|f| f.enabled).map(|f| (f.key.clone(), f.value.clone())).collect(),
        ),
        BodyMode::Multipart => PreparedBody::Multipart(
            body.multipart
                .iter()
                .filter(|f| f.enabled)
                .map(|f| match &f.kind {
                    FormPartKind::Text(v) => (f.key.clone(), v.clone(), false, f.content_type.clone()),
                    FormPartKind::File(path) => (f.key.clone(), path.clone(), true, f.content_type.clone()),
                })
                .collect(),
        ),
        BodyMode::Binary => PreparedBody::File(body.binary_path.clone()),
        BodyMode::GraphQl => {
            let g = &body.graphql;
            let variables: serde_json::Value = if g.variables.trim().is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::from_str(&g.variables).unwrap_or_else(|_| {
                    report.warn(&request.name, "GraphQL variables are not valid JSON; sent as text");
                    serde_json::Value::String(g.variables.clone())
                })
            };
            let mut m = serde_json::Map::new();
            m.insert("query".into(), g.query.clone().into());
            m.insert("variables".into(), variables);
            if !g.operation_name.is_empty() {
                m.insert("operationName".into(), g.operation_name.clone().into());
            }
            if !p.has_header("content-type") {
                p.headers.push(("Content-Type".into(), "application/json".into()));
            }
            PreparedBody::Text(serde_json::Value::Object(m).to_string())
        }
    };
    if !request.scripts.is_empty() {
        report.warn(&request.name, "scripts are not part of a command line");
    }
    p
}
