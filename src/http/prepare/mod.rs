//! The prepare step: a [`Request`] as the user wrote it, plus its workspace and the scopes, becomes
//! a [`PreparedRequest`]: every variable resolved, auth inherited and applied where it can be
//! without the network, the body built. Nothing is sent and no file is touched, so the UI may
//! call it on its own thread to preview the request or list missing variables.

mod auth;

use std::path::PathBuf;

use bytes::Bytes;
use url::Url;

use super::auth::{hawk, oauth1};
use super::error::SendError;
use super::redact::Redactions;
use super::url_build;
use crate::model::{
    Auth, AwsSigV4Auth, BodyMode, DigestAuth, EdgeGridAuth, EnvironmentId, FormPartKind, HawkAuth, Header,
    ItemId, NtlmAuth, OAuth1Auth, OAuth2Auth, ParentId, Request, RequestId, RequestSettings, SentRequest,
    StoredBody, WorkspaceData, WorkspaceId, find_header, set_header,
};
use crate::vars::Scopes;
use auth::{apply_auth, basic, sign_oauth1};

use super::added::{self, ACCEPT, ACCEPT_ENCODING, USER_AGENT};

/// A request ready to send: what [`crate::http::Engine`] takes. Its `Debug` output hides
/// auth headers and secret values.
#[derive(Clone)]
pub struct PreparedRequest {
    /// The saved request it came from (`None` for a scratch request).
    pub request_id: Option<RequestId>,
    /// The name shown in history.
    pub name: String,
    /// Whose cookie jar is used; `None` uses a jar shared by scratch sends.
    pub workspace: Option<WorkspaceId>,
    /// Keys the OAuth 2.0 token cache.
    pub environment: Option<EnvironmentId>,
    pub method: reqwest::Method,
    pub url: Url,
    /// In order, repeats kept. Cookies, digest, OAuth 2.0 and SigV4 headers are added per hop.
    pub headers: Vec<Header>,
    pub body: PreparedBody,
    /// Auth that needs the network or the clock, applied when sending.
    pub auth: PendingAuth,
    /// Per-request transport settings, inherited from folders and the collection; `None` fields
    /// take the engine's [`crate::model::Settings`].
    pub settings: RequestSettings,
    /// What history must not keep.
    pub redactions: Redactions,
    /// The request as the user wrote it, for history's written copy (see
    /// [`Redactions::strip_request`]).
    pub source: std::sync::Arc<Request>,
}

/// The body of a [`PreparedRequest`]. Files are opened (and streamed) only when sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreparedBody {
    None,
    /// Raw text, URL-encoded form or GraphQL JSON.
    Bytes(Bytes),
    /// A binary file sent as the whole body.
    File(PathBuf),
    Multipart(Vec<PreparedPart>),
}

/// One multipart part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedPart {
    pub name: String,
    pub value: PartValue,
    /// An explicit `Content-Type` for the part.
    pub content_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartValue {
    Text(String),
    File(PathBuf),
    /// A file part with no file chosen: sent empty, with an empty file name (as Postman).
    NoFile,
}

/// Auth applied when sending.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum PendingAuth {
    #[default]
    None,
    /// Answers the server's `WWW-Authenticate: Digest` challenge (RFC 7616), or pre-emptively
    /// when the user pinned realm and nonce.
    Digest(DigestAuth),
    /// Fetches (or reuses a cached) token, then sends `Authorization: <prefix> <token>`.
    OAuth2(OAuth2Auth),
    /// Signs the final request (AWS Signature Version 4).
    AwsSigV4(AwsSigV4Auth),
    /// Signed once the URL and body are built, before the request leaves `prepare`.
    OAuth1(OAuth1Auth),
    /// Signed once the URL and body are built, before the request leaves `prepare`.
    Hawk(HawkAuth),
    /// Signs each attempt (Akamai EdgeGrid), as AWS Signature v4.
    EdgeGrid(EdgeGridAuth),
    /// Answers the server's NTLM challenge: negotiate, then authenticate, on one connection.
    Ntlm(NtlmAuth),
}

impl std::fmt::Debug for PendingAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PendingAuth::None => "None",
            PendingAuth::Digest(_) => "Digest(..)",
            PendingAuth::OAuth2(_) => "OAuth2(..)",
            PendingAuth::AwsSigV4(_) => "AwsSigV4(..)",
            PendingAuth::OAuth1(_) => "OAuth1(..)",
            PendingAuth::Hawk(_) => "Hawk(..)",
            PendingAuth::EdgeGrid(_) => "EdgeGrid(..)",
            PendingAuth::Ntlm(_) => "Ntlm(..)",
        })
    }
}

/// The auth a request uses and where it came from: `None` for its own, or the folder or
/// collection it inherits from. A collection's `Inherit` means no auth.
pub fn effective_auth<'a>(
    request: &'a Request,
    ws: Option<&'a WorkspaceData>,
) -> (&'a Auth, Option<ParentId>) {
    let chain = ws.map(|ws| ws.ancestors(ItemId::Request(request.id))).unwrap_or_default();
    auth_from_chain(request, ws, &chain)
}

fn auth_from_chain<'a>(
    request: &'a Request,
    ws: Option<&'a WorkspaceData>,
    chain: &[ParentId],
) -> (&'a Auth, Option<ParentId>) {
    if !matches!(request.auth, Auth::Inherit) {
        return (&request.auth, None);
    }
    let Some(ws) = ws else { return (&Auth::None, None) };
    for &parent in chain {
        let auth = match parent {
            ParentId::Folder(id) => ws.folders.get(&id).map(|f| &f.auth),
            ParentId::Collection(id) => ws.collections.get(&id).map(|c| &c.auth),
        };
        match auth {
            Some(Auth::Inherit) | None => {}
            Some(auth) => return (auth, Some(parent)),
        }
    }
    (&Auth::None, None)
}

/// The request's settings with unset fields taken from the nearest folder, then the collection.
pub fn effective_settings(request: &Request, ws: Option<&WorkspaceData>) -> RequestSettings {
    let chain = ws.map(|ws| ws.ancestors(ItemId::Request(request.id))).unwrap_or_default();
    settings_from_chain(&request.settings, ws, &chain)
}

/// What the folders and collection above `parent` give a request's settings (nearest first):
/// a request (perhaps not saved yet) under `parent` sends with its own settings
/// [`RequestSettings::inherit`]ing these.
pub fn inherited_settings(ws: &WorkspaceData, parent: Option<ParentId>) -> RequestSettings {
    let mut chain: Vec<ParentId> = parent.into_iter().collect();
    if let Some(ParentId::Folder(f)) = parent {
        chain.extend(ws.ancestors(ItemId::Folder(f)));
    }
    settings_from_chain(&RequestSettings::default(), Some(ws), &chain)
}

/// `own` settings inheriting, for what they leave unset, from each of `chain` (nearest first).
fn settings_from_chain(
    own: &RequestSettings,
    ws: Option<&WorkspaceData>,
    chain: &[ParentId],
) -> RequestSettings {
    let mut out = own.clone();
    let Some(ws) = ws else { return out };
    for &parent in chain {
        let inherited = match parent {
            ParentId::Folder(id) => ws.folders.get(&id).map(|f| &f.settings),
            ParentId::Collection(id) => ws.collections.get(&id).map(|c| &c.settings),
        };
        if let Some(s) = inherited {
            out.inherit(s);
        }
    }
    out
}

/// Resolves text and keeps what went missing, looped or was secret.
struct Resolver<'a> {
    scopes: &'a Scopes,
    missing: Vec<String>,
    cycles: Vec<Vec<String>>,
    secrets: Vec<String>,
}

impl Resolver<'_> {
    fn r(&mut self, text: &str) -> String {
        if !text.contains("{{") {
            return text.to_owned();
        }
        let resolved = self.scopes.resolve(text);
        for name in resolved.missing {
            if !self.missing.contains(&name) {
                self.missing.push(name);
            }
        }
        for cycle in resolved.cycles {
            if !self.cycles.contains(&cycle) {
                self.cycles.push(cycle);
            }
        }
        self.secrets.extend(resolved.secrets);
        resolved.text
    }

    /// A value that is itself a secret (a password, a token): resolved and marked secret.
    fn secret(&mut self, text: &str) -> String {
        let value = self.r(text);
        if !value.is_empty() {
            self.secrets.push(value.clone());
        }
        value
    }
}

/// Builds the request as it will be sent. Fails, before anything is sent, when a variable is
/// missing or loops, the URL, method or a header is invalid, or the auth kind is not supported.
pub fn prepare(
    request: &Request,
    ws: Option<&WorkspaceData>,
    scopes: &Scopes,
) -> Result<PreparedRequest, SendError> {
    let chain = ws.map(|ws| ws.ancestors(ItemId::Request(request.id))).unwrap_or_default();
    prepare_in(request, ws, &chain, scopes)
}

/// [`prepare`] with the request's containers given (nearest first), for callers that prepare
/// many requests of one workspace and know each one's chain without scanning the tree.
pub fn prepare_in(
    request: &Request,
    ws: Option<&WorkspaceData>,
    chain: &[ParentId],
    scopes: &Scopes,
) -> Result<PreparedRequest, SendError> {
    prepare_with(request, ws, chain, scopes, false).map(|(p, _)| p)
}

/// [`prepare_in`] as Postman and newman do it: a variable no scope defines is sent as written
/// (`{{token}}`) instead of stopping the send; the names are returned so the caller can say so.
/// A loop between variables still stops it.
pub fn prepare_as_written(
    request: &Request,
    ws: Option<&WorkspaceData>,
    chain: &[ParentId],
    scopes: &Scopes,
) -> Result<(PreparedRequest, Vec<String>), SendError> {
    prepare_with(request, ws, chain, scopes, true)
}

fn prepare_with(
    request: &Request,
    ws: Option<&WorkspaceData>,
    chain: &[ParentId],
    scopes: &Scopes,
    missing_as_written: bool,
) -> Result<(PreparedRequest, Vec<String>), SendError> {
    let mut res = Resolver { scopes, missing: Vec::new(), cycles: Vec::new(), secrets: Vec::new() };
    let settings = settings_from_chain(&request.settings, ws, chain);

    // 1. Resolve every field that is sent, before validating anything. A disabled param still
    // written in the URL is not sent (unless an enabled one says the same).
    let enabled = |k: &str, v: &str| request.params.iter().any(|p| p.enabled && p.key == k && p.value == v);
    let disabled: Vec<(String, String)> = request
        .params
        .iter()
        .filter(|p| !p.enabled && !p.key.is_empty() && !enabled(&p.key, &p.value))
        .map(|p| (p.key.clone(), p.value.clone()))
        .collect();
    let url_text = url_build::without_query_pairs(&request.url, &disabled);
    let raw_url = res.r(&url_text);
    let path_vars: Vec<(String, String)> = request
        .path_variables
        .iter()
        .filter(|p| p.enabled && !p.key.is_empty())
        .map(|p| (p.key.clone(), res.r(&p.value)))
        .collect();
    // Params already in the URL's own query string (as written) are not added twice.
    let mut in_url = url_build::raw_query_pairs(&url_text);
    let mut extra_query: Vec<(String, String)> = Vec::new();
    for p in request.params.iter().filter(|p| p.enabled && !p.key.is_empty()) {
        if let Some(pos) = in_url.iter().position(|(k, v)| url_build::same_pair((k, v), (&p.key, &p.value))) {
            in_url.swap_remove(pos);
        } else {
            extra_query.push((res.r(&p.key), res.r(&p.value)));
        }
    }
    let mut headers: Vec<Header> = request
        .headers
        .iter()
        .filter(|h| h.enabled)
        .map(|h| Header::new(res.r(&h.key).trim(), res.r(&h.value)))
        .filter(|h| !h.name.is_empty())
        .collect();
    let (body, default_content_type) = resolve_body(request, &mut res)?;
    let (auth, _) = auth_from_chain(request, ws, chain);
    let mut redactions = Redactions::default();
    let pending = apply_auth(auth, &mut res, &mut headers, &mut extra_query, &mut redactions)?;
    // An OAuth 2.0 token sent in the query replaces any `access_token` written there (as newman).
    let raw_url = match auth {
        Auth::OAuth2(o) if o.token_in_query && extra_query.iter().any(|(k, _)| k == "access_token") => {
            url_build::without_query_key(&raw_url, "access_token")
        }
        _ => raw_url,
    };

    let missing = std::mem::take(&mut res.missing);
    if !missing.is_empty() && !missing_as_written {
        return Err(SendError::MissingVariables { names: missing });
    }
    if let Some(cycle) = res.cycles.into_iter().next() {
        return Err(SendError::VariableCycle { cycle });
    }

    // 2. Validate and assemble.
    if !request.method.is_valid_token() {
        return Err(SendError::InvalidMethod { method: request.method.to_string() });
    }
    let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
        .map_err(|_| SendError::InvalidMethod { method: request.method.to_string() })?;
    let mut url = url_build::build(&raw_url, &path_vars, &extra_query)?;
    user_info_as_basic(&mut url, &mut headers, &mut redactions);
    let (pending, body) = match pending {
        PendingAuth::OAuth1(cfg) => {
            let body = sign_oauth1(&cfg, request, &method, &mut url, body, &mut headers, &mut redactions)?;
            (PendingAuth::None, body)
        }
        PendingAuth::Hawk(cfg) => {
            // Signed over the body and the `Content-Type` the user set (Postman adds its own
            // after signing).
            let payload = match (&body, request.body.mode) {
                (PreparedBody::Bytes(b), BodyMode::Raw | BodyMode::GraphQl | BodyMode::UrlEncoded) => {
                    Some((b.as_ref(), find_header(&headers, "content-type")))
                }
                _ => None,
            };
            let signed =
                hawk::header(&cfg, method.as_str(), &url, payload, &oauth1::timestamp(), &hawk::nonce());
            if let Some(value) = signed {
                set_header(&mut headers, "Authorization", value);
            }
            (PendingAuth::None, body)
        }
        other => (other, body),
    };
    for h in &headers {
        validate_header(h)?;
    }
    add_engine_headers(&mut headers, request.body.mode, &settings, default_content_type);
    redactions.secret_values.extend(res.secrets);
    redactions.secret_values.sort();
    redactions.secret_values.dedup();

    let prepared = PreparedRequest {
        request_id: ws.and_then(|w| w.requests.contains_key(&request.id).then_some(request.id)),
        name: request.name.clone(),
        workspace: ws.map(WorkspaceData::id),
        environment: scopes.environment_id(),
        method,
        url,
        headers,
        body,
        auth: pending,
        settings,
        redactions,
        source: std::sync::Arc::new(request.clone()),
    };
    Ok((prepared, missing))
}

/// User info in the URL (`http://user:pass@host`) is sent as Basic auth when nothing else set
/// an `Authorization` header, and never in the request line (as Postman sends it).
fn user_info_as_basic(url: &mut Url, headers: &mut Vec<Header>, redactions: &mut Redactions) {
    if url.username().is_empty() && url.password().is_none() {
        return;
    }
    let decode = |t: &str| percent_encoding::percent_decode_str(t).decode_utf8_lossy().into_owned();
    let value = basic(&decode(url.username()), &decode(url.password().unwrap_or("")));
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if find_header(headers, "authorization").is_none() {
        headers.push(Header::new("Authorization", value));
        redactions.add_header("authorization");
    }
}

/// The headers Localpost adds, by the rules the editor shows them with (`added`): the body's
/// `Content-Type`, then `User-Agent` and `Accept-Encoding` unless the request turns automatic
/// headers off, and the `Accept: */*` reqwest sends when there is none (so it shows as sent).
fn add_engine_headers(
    headers: &mut Vec<Header>,
    mode: BodyMode,
    settings: &RequestSettings,
    default_content_type: Option<String>,
) {
    let user_type = find_header(headers, "content-type");
    if let Some(ct) = default_content_type
        && added::sets_content_type(mode, user_type, settings.disable_auto_headers)
    {
        set_header(headers, "Content-Type", ct);
    }
    if !settings.disable_auto_headers {
        if find_header(headers, "user-agent").is_none() {
            headers.push(Header::new("User-Agent", USER_AGENT));
        }
        if find_header(headers, "accept-encoding").is_none() {
            headers.push(Header::new("Accept-Encoding", ACCEPT_ENCODING));
        }
    }
    if find_header(headers, "accept").is_none() {
        headers.push(Header::new("Accept", ACCEPT));
    }
}

fn validate_header(h: &Header) -> Result<(), SendError> {
    reqwest::header::HeaderName::from_bytes(h.name.as_bytes()).map_err(|_| SendError::InvalidHeader {
        name: h.name.clone(),
        reason: "a header name is letters, digits and !#$%&'*+-.^_`|~ without spaces".into(),
    })?;
    reqwest::header::HeaderValue::from_bytes(h.value.as_bytes()).map_err(|_| SendError::InvalidHeader {
        name: h.name.clone(),
        reason: "the value contains a line break or control character".into(),
    })?;
    Ok(())
}

/// The body and the `Content-Type` it implies.
fn resolve_body(
    request: &Request,
    res: &mut Resolver<'_>,
) -> Result<(PreparedBody, Option<String>), SendError> {
    let body = &request.body;
    // An empty raw body, or a form with no enabled row, is no body and implies no
    // `Content-Type` (as Postman sends it); the type each body implies is `added`'s.
    if !added::sends_body(body) {
        return Ok((PreparedBody::None, None));
    }
    let implied = |path: &str| added::implied_content_type(body, path);
    Ok(match body.mode {
        BodyMode::None => (PreparedBody::None, None),
        BodyMode::Raw => {
            let text = res.r(&body.raw);
            (PreparedBody::Bytes(Bytes::from(text)), implied(""))
        }
        // Encoded as Postman encodes a form (JavaScript's `encodeURIComponent`: a space is `%20`).
        BodyMode::UrlEncoded => {
            let pairs: Vec<String> = body
                .urlencoded
                .iter()
                .filter(|kv| kv.enabled && !kv.key.is_empty())
                .map(|kv| {
                    let (k, v) = (res.r(&kv.key), res.r(&kv.value));
                    format!("{}={}", url_build::encode_uri_component(&k), url_build::encode_uri_component(&v))
                })
                .collect();
            (PreparedBody::Bytes(Bytes::from(pairs.join("&"))), implied(""))
        }
        BodyMode::Multipart => {
            let parts = body
                .multipart
                .iter()
                .filter(|p| p.enabled && !p.key.is_empty())
                .map(|p| PreparedPart {
                    name: res.r(&p.key),
                    value: match &p.kind {
                        FormPartKind::Text(v) => PartValue::Text(res.r(v)),
                        FormPartKind::File(path) if path.trim().is_empty() => PartValue::NoFile,
                        FormPartKind::File(path) => PartValue::File(PathBuf::from(res.r(path))),
                    },
                    content_type: (!p.content_type.is_empty()).then(|| res.r(&p.content_type)),
                })
                .collect();
            (PreparedBody::Multipart(parts), implied(""))
        }
        BodyMode::Binary => {
            let path = res.r(&body.binary_path);
            if path.trim().is_empty() {
                return Err(SendError::InvalidField {
                    field: "binary body".into(),
                    reason: "no file is selected".into(),
                });
            }
            let mime = implied(&path);
            (PreparedBody::File(PathBuf::from(path)), mime)
        }
        BodyMode::GraphQl => {
            let g = &body.graphql;
            let query = res.r(&g.query);
            let variables = res.r(&g.variables);
            let operation = res.r(&g.operation_name);
            let json =
                crate::model::sent_body::graphql_json(&query, &variables, &operation).map_err(|e| {
                    SendError::InvalidField { field: "GraphQL variables".into(), reason: e.to_string() }
                })?;
            (PreparedBody::Bytes(Bytes::from(json)), implied(""))
        }
    })
}

/// Replaces any header named `name` with one of `value`.
impl std::fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let safe = self.redactions.apply(&self.to_sent_request());
        f.debug_struct("PreparedRequest")
            .field("name", &self.name)
            .field("method", &safe.method)
            .field("url", &safe.url)
            .field("headers", &safe.headers)
            .field("body", &safe.body_summary)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl PreparedRequest {
    /// The request as it will be sent (before cookies and auth added per hop), for display.
    pub fn to_sent_request(&self) -> SentRequest {
        sent_request(&self.method, &self.url, &self.headers, &self.body)
    }

    /// Whether the body must be re-sent from its source for a retry (it always can: bodies are
    /// rebuilt from bytes or reopened files).
    pub fn has_body(&self) -> bool {
        !matches!(self.body, PreparedBody::None)
    }
}

/// A [`SentRequest`] from its parts.
pub(crate) fn sent_request(
    method: &reqwest::Method,
    url: &Url,
    headers: &[Header],
    body: &PreparedBody,
) -> SentRequest {
    let (stored, size, summary) = match body {
        PreparedBody::None => (None, 0, String::new()),
        PreparedBody::Bytes(bytes) => {
            (Some(StoredBody::from_bytes(bytes)), bytes.len() as u64, String::new())
        }
        PreparedBody::File(path) => (None, 0, format!("binary file {}", path.display())),
        PreparedBody::Multipart(parts) => {
            let files: Vec<String> = parts
                .iter()
                .filter_map(|p| match &p.value {
                    PartValue::File(path) => Some(
                        path.file_name()
                            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
                    ),
                    PartValue::NoFile => Some("(no file)".to_owned()),
                    PartValue::Text(_) => None,
                })
                .collect();
            let fields = parts.len() - files.len();
            let mut summary = format!("multipart: {fields} field{}", if fields == 1 { "" } else { "s" });
            if !files.is_empty() {
                summary.push_str(&format!(
                    ", {} file{} ({})",
                    files.len(),
                    if files.len() == 1 { "" } else { "s" },
                    files.join(", ")
                ));
            }
            (None, 0, summary)
        }
    };
    SentRequest {
        method: method.to_string(),
        url: url.to_string(),
        headers: headers.to_vec(),
        body: stored,
        body_size_bytes: size,
        body_truncated: false,
        body_summary: summary,
    }
}
