//! Postman: collections v2.0 and v2.1 (and the v1 collections inside old data dumps),
//! environments, globals and data dumps.
//!
//! The pieces every Postman shape shares live here: key/value rows, auth, scripts,
//! `protocolProfileBehavior`, bodies, URLs and saved examples.

pub(crate) mod collection;
pub(crate) mod dump;
pub(crate) mod environment;
pub(crate) mod v1;

use indexmap::IndexMap;

use super::ids::IdMint;
use super::node::Node;
use super::query::{join_query, percent_decode, query_params};
use crate::interop::Report;
use crate::model::{
    ApiKeyLocation, AsapAuth, Auth, AwsSigV4Auth, Body, BodyMode, DigestAuth, EdgeGridAuth, ExampleId,
    FormPart, FormPartKind, GraphQlBody, HawkAlgorithm, HawkAuth, Header, JwtAlgorithm, JwtAuth, KeyValue,
    NtlmAuth, OAuth1Auth, OAuth1Method, OAuth2Auth, OAuth2ClientAuth, OAuth2Grant, RawLanguage, Request,
    RequestSettings, ResponseRecord, SavedResponse, Scripts, SentRequest, StoredBody, Variable, VariableId,
};

/// A description: a string, or `{content, type}` in v2.1.
pub(crate) fn description(node: &Node) -> String {
    match node {
        Node::Object(_) => node.text("content"),
        Node::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// A row is off when it says `disabled: true` (v2.1) or `enabled: false` (v2.0 and older).
fn is_enabled(row: &Node) -> bool {
    row.bool("disabled") != Some(true) && row.bool("enabled") != Some(false)
}

/// Rows of a key/value list (query, urlencoded, headers). Rows with neither key nor value are
/// noise some exporters leave behind and are skipped.
pub(crate) fn key_values(list: &Node) -> Vec<KeyValue> {
    let mut rows = Vec::new();
    for row in list.items() {
        match row {
            Node::Object(_) => {
                let key = row.get("key").or_else(|| row.get("name")).map(Node::to_text).unwrap_or_default();
                let value = row.text("value");
                let description = description(row.at("description"));
                if key.is_empty() && value.is_empty() && description.is_empty() {
                    continue;
                }
                rows.push(KeyValue { key, value, enabled: is_enabled(row), description });
            }
            Node::String(line) => rows.extend(header_lines(line)),
            _ => {}
        }
    }
    rows
}

/// Headers written as text (`Key: value` per line, `//` in front of a disabled one), as v1
/// collections and old v2.0 exports have them.
pub(crate) fn header_lines(text: &str) -> Vec<KeyValue> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let (line, enabled) = match line.strip_prefix("//") {
                Some(rest) => (rest.trim_start(), false),
                None => (line, true),
            };
            let (key, value) = line.split_once(':')?;
            let key = key.trim();
            if key.is_empty() {
                return None;
            }
            Some(KeyValue {
                key: key.to_owned(),
                value: value.trim().to_owned(),
                enabled,
                ..KeyValue::default()
            })
        })
        .collect()
}

/// Headers in any of Postman's shapes: an array of rows or one string.
pub(crate) fn headers(node: &Node) -> Vec<KeyValue> {
    match node {
        Node::String(text) => header_lines(text),
        _ => key_values(node),
    }
}

/// Variables (collection, folder, environment, globals). `owner` is the id of what holds them;
/// each variable's id derives from it and the key, so a re-import keeps them.
pub(crate) fn variables(list: &Node, owner: uuid::Uuid, mint: &mut IdMint) -> Vec<Variable> {
    let mut seen: IndexMap<String, usize> = IndexMap::new();
    let mut out = Vec::new();
    for row in list.items() {
        if !row.is_object() {
            continue;
        }
        // Old v2.0 exports name variables by `id`; legacy environments add a `name`.
        let key = row
            .str("key")
            .or_else(|| row.str("name"))
            .or_else(|| row.str("id"))
            .unwrap_or_default()
            .to_owned();
        if key.is_empty() && row.text("value").is_empty() {
            continue;
        }
        let count = seen.entry(key.clone()).or_insert(0);
        *count += 1;
        let local = format!("variable/{key}#{count}");
        out.push(Variable {
            id: VariableId(mint.child(owner, &local)),
            value: row.text("value"),
            enabled: is_enabled(row),
            secret: row.str("type") == Some("secret"),
            description: description(row.at("description")),
            key,
        });
    }
    out
}

/// Postman's name for an auth type, for messages.
fn auth_label(kind: &str) -> &str {
    match kind {
        "ntlm" => "NTLM",
        "hawk" => "Hawk",
        "oauth1" => "OAuth 1.0",
        "edgegrid" => "Akamai EdgeGrid",
        "jwt" => "JWT bearer",
        "asap" => "ASAP (Atlassian)",
        other => other,
    }
}

/// The parameters of an auth block: v2.1 lists `[{key, value}]`, v2.0 objects `{key: value}`.
fn auth_params(node: &Node) -> Vec<(&str, &Node)> {
    match node {
        Node::Array(rows) => rows.iter().filter_map(|row| Some((row.str("key")?, row.at("value")))).collect(),
        Node::Object(entries) => entries.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        _ => Vec::new(),
    }
}

/// A value that says nothing: empty, `false`, an empty list.
fn is_blank(value: &Node) -> bool {
    match value {
        Node::Null => true,
        Node::Bool(b) => !b,
        Node::String(s) => s.trim().is_empty(),
        Node::Array(items) => items.is_empty(),
        Node::Object(entries) => entries.is_empty(),
        Node::Number(_) => false,
    }
}

/// Reads an auth block. `None` when there is none (the caller decides what that means: inherit
/// for folders and requests, none for a collection).
pub(crate) fn auth(node: &Node, location: &str, report: &mut Report) -> Option<Auth> {
    if !node.is_object() {
        return None;
    }
    let kind = node.str("type").unwrap_or_default();
    let params = auth_params(node.at(kind));
    auth_from_params(kind, &params, location, report)
}

/// Maps Postman's auth `kind` with its parameters; shared with v1's helper attributes.
pub(crate) fn auth_from_params(
    kind: &str,
    params: &[(&str, &Node)],
    location: &str,
    report: &mut Report,
) -> Option<Auth> {
    let get =
        |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_text()).unwrap_or_default();
    let mut unused: Vec<String> = Vec::new();
    let mut note_unused = |known: &[&str], ignorable: &[&str]| {
        for (k, v) in params {
            if !known.contains(k) && !ignorable.contains(k) && !is_blank(v) {
                unused.push((*k).to_owned());
            }
        }
    };
    let auth = match kind {
        "" => return None,
        "noauth" => Auth::None,
        "inherit" => Auth::Inherit,
        "basic" => {
            note_unused(&["username", "password"], &["showPassword", "saveHelperData", "id"]);
            Auth::Basic { username: get("username"), password: get("password") }
        }
        "bearer" => {
            note_unused(&["token"], &[]);
            Auth::Bearer { token: get("token") }
        }
        "apikey" => {
            note_unused(&["key", "value", "in"], &[]);
            let location = if get("in") == "query" { ApiKeyLocation::Query } else { ApiKeyLocation::Header };
            Auth::ApiKey { key: get("key"), value: get("value"), location }
        }
        "digest" => {
            note_unused(
                &[
                    "username",
                    "password",
                    "realm",
                    "nonce",
                    "algorithm",
                    "qop",
                    "nonceCount",
                    "clientNonce",
                    "opaque",
                ],
                &["showPassword", "saveHelperData", "id", "disableRetryRequest"],
            );
            if params.iter().any(|(k, v)| *k == "disableRetryRequest" && matches!(v, Node::Bool(true))) {
                report.warn(
                    location,
                    "digest auth: Postman was set not to retry after the server's challenge; Localpost \
                     always answers the challenge",
                );
            }
            Auth::Digest(DigestAuth {
                username: get("username"),
                password: get("password"),
                algorithm: get("algorithm"),
                realm: get("realm"),
                nonce: get("nonce"),
                qop: get("qop"),
                opaque: get("opaque"),
                client_nonce: get("clientNonce"),
                nonce_count: get("nonceCount"),
            })
        }
        "awsv4" => {
            note_unused(
                &["accessKey", "secretKey", "region", "service", "sessionToken"],
                &["saveHelperData", "id"],
            );
            Auth::AwsSigV4(AwsSigV4Auth {
                access_key: get("accessKey"),
                secret_key: get("secretKey"),
                region: get("region"),
                service: get("service"),
                session_token: get("sessionToken"),
            })
        }
        "oauth2" => Auth::OAuth2(oauth2(params, location, report)),
        "jwt" => {
            note_unused(
                &[
                    "algorithm",
                    "secret",
                    "isSecretBase64Encoded",
                    "privateKey",
                    "payload",
                    "header",
                    "addTokenTo",
                    "headerPrefix",
                    "queryParamKey",
                ],
                &["id", "saveHelperData"],
            );
            let has = |name: &str| params.iter().any(|(k, _)| *k == name);
            let text = get("algorithm");
            let algorithm = JwtAlgorithm::parse(&text).unwrap_or_else(|| {
                report.warn(location, format!("JWT algorithm `{}` is unknown; read as HS256", short(&text)));
                JwtAlgorithm::Hs256
            });
            Auth::Jwt(JwtAuth {
                algorithm,
                secret: get("secret"),
                secret_base64: get("isSecretBase64Encoded").trim() == "true",
                private_key: get("privateKey"),
                payload: get("payload"),
                header: get("header"),
                in_query: get("addTokenTo") == "queryParam",
                // Postman reads an absent prefix as `Bearer`, an empty one as none.
                header_prefix: if has("headerPrefix") { get("headerPrefix") } else { "Bearer".into() },
                query_param_key: if get("queryParamKey").is_empty() {
                    "token".into()
                } else {
                    get("queryParamKey")
                },
            })
        }
        "asap" => {
            note_unused(
                &["alg", "kid", "iss", "aud", "sub", "privateKey", "claims", "exp"],
                &["id", "saveHelperData"],
            );
            let text = get("alg");
            let algorithm = match JwtAlgorithm::parse(&text) {
                Some(a) if !a.is_hmac() => a,
                None if text.trim().is_empty() => JwtAlgorithm::Rs256,
                _ => {
                    report.warn(
                        location,
                        format!("ASAP algorithm `{}` is unknown; read as RS256", short(&text)),
                    );
                    JwtAlgorithm::Rs256
                }
            };
            Auth::Asap(AsapAuth {
                algorithm,
                issuer: get("iss"),
                audience: get("aud"),
                subject: get("sub"),
                key_id: get("kid"),
                private_key: get("privateKey"),
                claims: get("claims"),
                expiry_seconds: get("exp"),
            })
        }
        "ntlm" => {
            note_unused(
                &["username", "password", "domain", "workstation", "disableRetryRequest"],
                &["id", "saveHelperData", "state", "ntlmHeader"],
            );
            Auth::Ntlm(NtlmAuth {
                username: get("username"),
                password: get("password"),
                domain: get("domain"),
                workstation: get("workstation"),
                disable_retry: get("disableRetryRequest").trim() == "true",
            })
        }
        "edgegrid" => {
            note_unused(
                &[
                    "accessToken",
                    "clientToken",
                    "clientSecret",
                    "baseURL",
                    "nonce",
                    "timestamp",
                    "headersToSign",
                    "maxBodySize",
                ],
                &["id", "saveHelperData"],
            );
            Auth::EdgeGrid(EdgeGridAuth {
                access_token: get("accessToken"),
                client_token: get("clientToken"),
                client_secret: get("clientSecret"),
                base_url: get("baseURL"),
                nonce: get("nonce"),
                timestamp: get("timestamp"),
                headers_to_sign: get("headersToSign"),
                max_body_size: get("maxBodySize"),
            })
        }
        "hawk" => {
            note_unused(
                &[
                    "authId",
                    "authKey",
                    "algorithm",
                    "user",
                    "nonce",
                    "timestamp",
                    "extraData",
                    "app",
                    "delegation",
                    "includePayloadHash",
                ],
                &["id", "saveHelperData"],
            );
            let algorithm = match get("algorithm").trim().to_ascii_lowercase().as_str() {
                "sha1" => HawkAlgorithm::Sha1,
                "sha256" | "" => HawkAlgorithm::Sha256,
                other => {
                    report.warn(
                        location,
                        format!("Hawk algorithm `{}` is unknown; read as sha256", short(other)),
                    );
                    HawkAlgorithm::Sha256
                }
            };
            Auth::Hawk(HawkAuth {
                auth_id: get("authId"),
                auth_key: get("authKey"),
                algorithm,
                user: get("user"),
                nonce: get("nonce"),
                timestamp: get("timestamp"),
                ext: get("extraData"),
                app: get("app"),
                delegation: get("delegation"),
                include_payload_hash: params.iter().any(|(k, v)| {
                    *k == "includePayloadHash"
                        && matches!(v, Node::Bool(true) | Node::String(_) if v.to_text().trim() == "true")
                }),
            })
        }
        "oauth1" => {
            note_unused(
                &[
                    "signatureMethod",
                    "consumerKey",
                    "consumerSecret",
                    "token",
                    "tokenSecret",
                    "privateKey",
                    "callback",
                    "verifier",
                    "timestamp",
                    "nonce",
                    "version",
                    "realm",
                    "addParamsToHeader",
                    "includeBodyHash",
                    "addEmptyParamsToSign",
                    "disableHeaderEncoding",
                ],
                &["id", "saveHelperData"],
            );
            // Postman reads a flag that is absent as off.
            let flag = |name: &str| {
                params.iter().find(|(k, _)| *k == name).is_some_and(|(_, v)| match v {
                    Node::Bool(b) => *b,
                    other => other.to_text().trim().eq_ignore_ascii_case("true"),
                })
            };
            let method = get("signatureMethod");
            let signature_method = match OAuth1Method::parse(&method) {
                Some(m) => m,
                None => {
                    if !method.trim().is_empty() {
                        report.warn(
                            location,
                            format!(
                                "OAuth 1.0 signature method `{}` is unknown; read as HMAC-SHA1",
                                short(&method)
                            ),
                        );
                    }
                    OAuth1Method::HmacSha1
                }
            };
            Auth::OAuth1(OAuth1Auth {
                signature_method,
                consumer_key: get("consumerKey"),
                consumer_secret: get("consumerSecret"),
                token: get("token"),
                token_secret: get("tokenSecret"),
                private_key: get("privateKey"),
                callback: get("callback"),
                verifier: get("verifier"),
                timestamp: get("timestamp"),
                nonce: get("nonce"),
                version: get("version"),
                realm: get("realm"),
                in_header: flag("addParamsToHeader"),
                include_body_hash: flag("includeBodyHash"),
                add_empty_params_to_sign: flag("addEmptyParamsToSign"),
                disable_header_encoding: flag("disableHeaderEncoding"),
            })
        }
        other => {
            let mut kept = IndexMap::new();
            for (k, v) in params {
                kept.insert((*k).to_owned(), v.to_text());
            }
            report.warn(
                location,
                format!(
                    "{} auth is kept with its settings but Localpost cannot send it; pick another auth \
                     before sending",
                    auth_label(other)
                ),
            );
            Auth::Unsupported { kind: other.to_owned(), params: kept }
        }
    };
    if !unused.is_empty() {
        report.warn(location, format!("{} auth: settings not carried over: {}", kind, unused.join(", ")));
    }
    Some(auth)
}

/// Shortens a value for a message.
pub(crate) fn short(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

fn oauth2(params: &[(&str, &Node)], location: &str, report: &mut Report) -> OAuth2Auth {
    let mut auth = OAuth2Auth { grant: OAuth2Grant::AuthorizationCode, ..OAuth2Auth::default() };
    let mut dropped = Vec::new();
    for (key, value) in params {
        let text = value.to_text();
        match *key {
            "grant_type" => {
                auth.grant = match text.as_str() {
                    "authorization_code" | "" => OAuth2Grant::AuthorizationCode,
                    "authorization_code_with_pkce" => OAuth2Grant::AuthorizationCodePkce,
                    "implicit" => OAuth2Grant::Implicit,
                    "password_credentials" | "password" => OAuth2Grant::Password,
                    "client_credentials" => OAuth2Grant::ClientCredentials,
                    other => {
                        dropped.push(format!("grant type `{other}` (read as authorization code)"));
                        OAuth2Grant::AuthorizationCode
                    }
                }
            }
            "accessTokenUrl" => auth.access_token_url = text,
            "authUrl" => auth.auth_url = text,
            "redirect_uri" => auth.redirect_uri = text,
            "clientId" => auth.client_id = text,
            "clientSecret" => auth.client_secret = text,
            "username" => auth.username = text,
            "password" => auth.password = text,
            "scope" => auth.scope = text,
            "state" => auth.state = text,
            "audience" => auth.audience = text,
            "challengeAlgorithm" => auth.code_challenge_method = text,
            "headerPrefix" => auth.header_prefix = text,
            "accessToken" => auth.access_token = text,
            "client_authentication" => {
                auth.client_auth =
                    if text == "body" { OAuth2ClientAuth::Body } else { OAuth2ClientAuth::BasicHeader };
            }
            "addTokenTo" => auth.token_in_query = text == "queryParams",
            // Labels and UI state of Postman's token helper; nothing that changes a request.
            "tokenName" | "useBrowser" | "tokenType" | "id" | "saveHelperData" => {}
            _ if is_blank(value) => {}
            "authRequestParams" | "tokenRequestParams" | "refreshRequestParams" => {
                let rows = value.items().len().max(1);
                dropped.push(format!("{key} ({rows} row{})", if rows == 1 { "" } else { "s" }));
            }
            _ => dropped.push((*key).to_owned()),
        }
    }
    if auth.grant == OAuth2Grant::AuthorizationCodePkce && auth.code_challenge_method.is_empty() {
        auth.code_challenge_method = "S256".to_owned();
    }
    if !dropped.is_empty() {
        report.warn(location, format!("OAuth 2.0 settings Localpost does not have: {}", dropped.join(", ")));
    }
    auth
}

/// Scripts from an `event` list, verbatim. Each kept script is listed in the report.
pub(crate) fn scripts(events: &Node, location: &str, report: &mut Report) -> Scripts {
    let mut scripts = Scripts::default();
    for event in events.items() {
        let script = event.at("script");
        let text = match script.get("exec") {
            Some(Node::Array(lines)) => lines.iter().map(Node::to_text).collect::<Vec<_>>().join("\n"),
            Some(other) => other.to_text(),
            None => String::new(),
        };
        if let Some(src) = script.str("src").filter(|s| !s.is_empty()) {
            report.warn(location, format!("script loaded from {src} is not kept (only its address)"));
        }
        if text.trim().is_empty() {
            continue;
        }
        let (slot, label) = match event.str("listen") {
            Some("prerequest") => (&mut scripts.pre_request, "pre-request"),
            Some("test") => (&mut scripts.test, "test"),
            other => {
                report.warn(
                    location,
                    format!(
                        "script for event `{}` dropped: Localpost keeps only pre-request and test scripts",
                        other.unwrap_or("")
                    ),
                );
                continue;
            }
        };
        // A disabled script does not run in Postman: it is kept, commented out, so it does not
        // run here either.
        let text = if event.bool("disabled") == Some(true) {
            report.warn(location, format!("{label} script was disabled in Postman: kept commented out"));
            text.lines().map(|l| format!("// {l}")).collect::<Vec<_>>().join("\n")
        } else {
            text
        };
        if !slot.is_empty() {
            slot.push_str("\n\n");
        }
        slot.push_str(&text);
    }
    scripts
}

/// What `protocolProfileBehavior` says.
#[derive(Default)]
pub(crate) struct Behavior {
    pub settings: RequestSettings,
    /// `disableBodyPruning`: send a body even with GET/HEAD/... (`None`: not said here).
    pub keep_body: Option<bool>,
}

pub(crate) fn behavior(node: &Node, location: &str, report: &mut Report) -> Behavior {
    let mut out = Behavior::default();
    for (key, value) in node.entries() {
        let flag = match value {
            Node::Bool(b) => Some(*b),
            _ => None,
        };
        match key.as_str() {
            "followRedirects" => out.settings.follow_redirects = flag,
            "maxRedirects" => {
                out.settings.max_redirects = value.as_u64().map(|n| n.min(u64::from(u32::MAX)) as u32);
            }
            "followOriginalHttpMethod" => out.settings.follow_original_method = flag,
            "strictSSL" => out.settings.verify_tls = flag,
            "disableBodyPruning" => out.keep_body = flag,
            // Off is what Localpost does anyway.
            "removeRefererHeaderOnRedirect"
            | "followAuthorizationHeader"
            | "disableCookies"
            | "insecureHTTPParser"
            | "disableUrlEncoding"
            | "tlsPreferServerCiphers"
                if flag == Some(false) => {}
            _ if is_blank(value) => {}
            _ => report.warn(
                location,
                format!(
                    "request setting `{key}` = {} is not one Localpost has; dropped",
                    short(&value.to_text())
                ),
            ),
        }
    }
    out
}

/// Methods Postman sends without a body unless `disableBodyPruning` is set.
fn prunes_body(method: &str) -> bool {
    ["GET", "HEAD", "COPY", "PURGE", "UNLOCK"].iter().any(|m| m.eq_ignore_ascii_case(method))
}

/// Postman sends no body with GET, HEAD... unless told to (`keep_body`): the body is kept, its
/// mode set to none, so the request sends what it sent in Postman.
pub(crate) fn prune_body(request: &mut Request, keep_body: bool, location: &str, report: &mut Report) {
    if keep_body || request.body.mode == BodyMode::None || !prunes_body(request.method.as_str()) {
        return;
    }
    let had_content = body_has_content(&request.body);
    request.body.mode = BodyMode::None;
    if had_content {
        report.warn(
            location,
            format!(
                "Postman does not send a body with {} unless body pruning is off; the body is kept but set to none",
                request.method
            ),
        );
    }
}

/// The raw language from `options.raw.language`, else guessed from the `Content-Type` header.
fn raw_language(body: &Node, headers: &[KeyValue]) -> RawLanguage {
    match body.at("options").at("raw").str("language") {
        Some("json") => RawLanguage::Json,
        Some("xml") => RawLanguage::Xml,
        Some("html") => RawLanguage::Html,
        Some("javascript") => RawLanguage::JavaScript,
        Some(_) => RawLanguage::Text,
        None => language_of_content_type(
            headers
                .iter()
                .find(|h| h.enabled && h.key.eq_ignore_ascii_case("content-type"))
                .map_or("", |h| h.value.as_str()),
        ),
    }
}

/// The raw language a `Content-Type` suggests.
pub(crate) fn language_of_content_type(content_type: &str) -> RawLanguage {
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("json") {
        RawLanguage::Json
    } else if ct.contains("xml") {
        RawLanguage::Xml
    } else if ct.contains("html") {
        RawLanguage::Html
    } else if ct.contains("javascript") {
        RawLanguage::JavaScript
    } else {
        RawLanguage::Text
    }
}

/// Form-data rows; a file row with several files becomes one part per file.
fn form_parts(list: &Node) -> Vec<FormPart> {
    let mut parts = Vec::new();
    for row in list.items() {
        if !row.is_object() {
            continue;
        }
        let key = row.text("key");
        let base = FormPart {
            key: key.clone(),
            kind: FormPartKind::Text(String::new()),
            content_type: row.text("contentType"),
            enabled: is_enabled(row),
            description: description(row.at("description")),
        };
        if row.str("type") == Some("file") {
            let sources: Vec<String> = match row.at("src") {
                Node::Array(paths) => paths.iter().map(Node::to_text).collect(),
                other => vec![other.to_text()],
            };
            let sources = if sources.is_empty() { vec![String::new()] } else { sources };
            for src in sources {
                parts.push(FormPart { kind: FormPartKind::File(src), ..base.clone() });
            }
        } else {
            if key.is_empty() && row.text("value").is_empty() {
                continue;
            }
            parts.push(FormPart { kind: FormPartKind::Text(row.text("value")), ..base });
        }
    }
    parts
}

/// A v2 body in every mode; all modes present are kept, `mode` picks the one sent.
pub(crate) fn body(node: &Node, headers: &[KeyValue], location: &str, report: &mut Report) -> Body {
    let mut body = Body::default();
    if !node.is_object() {
        return body;
    }
    if let Some(raw) = node.get("raw") {
        body.raw = raw.to_text();
    }
    body.raw_language = raw_language(node, headers);
    body.urlencoded = key_values(node.at("urlencoded"));
    body.multipart = form_parts(node.at("formdata"));
    let file = node.at("file");
    body.binary_path = file.text("src");
    let graphql = node.at("graphql");
    if graphql.is_object() {
        body.graphql = GraphQlBody {
            query: graphql.text("query"),
            variables: match graphql.get("variables") {
                Some(Node::String(s)) => s.clone(),
                Some(v @ Node::Object(_)) => v.to_json_pretty(),
                _ => String::new(),
            },
            operation_name: graphql.text("operationName"),
        };
    }
    let mode = node.str("mode").unwrap_or_default();
    body.mode = match mode {
        "" => BodyMode::None,
        "raw" => BodyMode::Raw,
        "urlencoded" => BodyMode::UrlEncoded,
        "formdata" => BodyMode::Multipart,
        "file" => {
            if body.binary_path.is_empty() && !file.text("content").is_empty() {
                // The file's content itself rather than a path: keep it as raw text.
                body.raw = file.text("content");
                report.warn(location, "file body given by content, not path; kept as a raw text body");
                BodyMode::Raw
            } else {
                BodyMode::Binary
            }
        }
        "graphql" => BodyMode::GraphQl,
        other => {
            let content = node.at(other);
            if body.raw.is_empty() && !is_blank(content) {
                body.raw = content.to_text();
            }
            report.warn(
                location,
                format!("body mode `{other}` is not one Localpost has; its content is kept in the raw body, not sent"),
            );
            BodyMode::None
        }
    };
    if node.bool("disabled") == Some(true) && body.mode != BodyMode::None {
        body.mode = BodyMode::None;
        report.warn(location, "the body was disabled in Postman; kept, not sent");
    }
    body
}

/// Whether a body would send anything.
fn body_has_content(body: &Body) -> bool {
    match body.mode {
        BodyMode::None => false,
        BodyMode::Raw => !body.raw.is_empty(),
        BodyMode::UrlEncoded => !body.urlencoded.is_empty(),
        BodyMode::Multipart => !body.multipart.is_empty(),
        BodyMode::Binary => !body.binary_path.is_empty(),
        BodyMode::GraphQl => !body.graphql.query.is_empty(),
    }
}

/// A request's URL with its query rows and path variables.
pub(crate) struct UrlParts {
    pub url: String,
    pub params: Vec<KeyValue>,
    pub path_variables: Vec<KeyValue>,
}

/// Reads a URL: a string, or v2's object (`raw` plus its parts). An object's parts are what
/// Postman and newman send (`raw` is only what the editor showed, and exports from generators
/// often leave query rows out of it), so the URL is built from them when there are any; `raw`
/// is read only when they are missing. Disabled query rows live only in `params`.
pub(crate) fn url(node: &Node, location: &str, report: &mut Report) -> UrlParts {
    let (url, listed) = match node {
        Node::String(s) => (s.clone(), None),
        Node::Object(_) => {
            let url = match node.str("raw") {
                Some(raw) if !has_parts(node) => raw.to_owned(),
                _ => url_from_parts(node),
            };
            (url, node.get("query").map(key_values))
        }
        _ => (String::new(), None),
    };
    let path_variables = node
        .at("variable")
        .items()
        .iter()
        .filter(|v| v.is_object())
        .map(|v| KeyValue {
            key: v.get("key").or_else(|| v.get("id")).map(Node::to_text).unwrap_or_default(),
            value: v.text("value"),
            enabled: is_enabled(v),
            description: description(v.at("description")),
        })
        .filter(|v| !v.key.is_empty())
        .collect();
    let params = reconcile_params(&url, listed, location, report);
    UrlParts { url, params, path_variables }
}

/// The params table: the URL's own query, with the descriptions and disabled rows the source's
/// list adds. Rows listed as enabled but missing from the URL are kept, disabled, and reported.
pub(crate) fn reconcile_params(
    url: &str,
    listed: Option<Vec<KeyValue>>,
    location: &str,
    report: &mut Report,
) -> Vec<KeyValue> {
    let in_url = query_params(url);
    let Some(listed) = listed else { return in_url };
    // Compared decoded: a list may hold `b#a` where the URL says `b%23a`.
    let same = |a: &KeyValue, b: &KeyValue| {
        percent_decode(&a.key, false) == percent_decode(&b.key, false)
            && percent_decode(&a.value, false) == percent_decode(&b.value, false)
    };
    let enabled: Vec<&KeyValue> = listed.iter().filter(|r| r.enabled).collect();
    if enabled.len() == in_url.len() && enabled.iter().zip(&in_url).all(|(a, b)| same(a, b)) {
        return listed;
    }
    // Walk the URL's rows, borrowing descriptions; append what the list has beyond them.
    let mut rows = in_url;
    let mut used = vec![false; listed.len()];
    for row in &mut rows {
        if let Some(i) = listed.iter().enumerate().position(|(i, l)| {
            !used[i] && l.enabled && percent_decode(&l.key, false) == percent_decode(&row.key, false)
        }) {
            used[i] = true;
            row.description.clone_from(&listed[i].description);
        }
    }
    let mut missing = Vec::new();
    for (i, row) in listed.into_iter().enumerate() {
        if used[i] {
            continue;
        }
        if row.enabled {
            missing.push(row.key.clone());
        }
        rows.push(KeyValue { enabled: false, ..row });
    }
    if !missing.is_empty() {
        report.warn(
            location,
            format!(
                "query parameter(s) {} listed but not in the URL; kept disabled",
                missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    rows
}

/// Whether a v2 URL object has the parts Postman builds a URL from (a host or a path: query rows
/// beside `raw` alone make no URL, and are reconciled with `raw`'s own).
fn has_parts(node: &Node) -> bool {
    ["host", "path"].iter().any(|k| node.get(k).is_some_and(|v| !v.is_null()))
}

/// The URL text of v2's parts, as postman-collection's `Url.toString` writes it: `auth` as user
/// info, the host's labels joined by dots, the path's segments by slashes, the enabled query rows
/// (a row whose value is not a string is its key alone), the hash.
fn url_from_parts(node: &Node) -> String {
    let mut url = String::new();
    if let Some(protocol) = node.str("protocol").filter(|p| !p.is_empty()) {
        url.push_str(protocol.trim_end_matches("://"));
        url.push_str("://");
    }
    let auth = node.at("auth");
    let user = auth.str("user");
    let password = auth.str("password");
    if user.is_some() || password.is_some() {
        url.push_str(user.unwrap_or_default());
        if let Some(password) = password {
            url.push(':');
            url.push_str(password);
        }
        url.push('@');
    }
    match node.at("host") {
        Node::Array(parts) => url.push_str(&parts.iter().map(Node::to_text).collect::<Vec<_>>().join(".")),
        other => url.push_str(&other.to_text()),
    }
    let port = node.text("port");
    if !port.is_empty() {
        url.push(':');
        url.push_str(&port);
    }
    let path: Option<Vec<String>> = match node.at("path") {
        Node::Array(parts) => Some(
            parts
                .iter()
                .map(|p| match p {
                    Node::Object(_) => p.text("value"),
                    other => other.to_text(),
                })
                .collect(),
        ),
        Node::String(s) => match s.trim_start_matches('/') {
            "" if s.is_empty() => None,
            "" => Some(vec![String::new()]),
            rest => Some(rest.split('/').map(str::to_owned).collect()),
        },
        _ => None,
    };
    if let Some(path) = path {
        url.push('/');
        url.push_str(&path.join("/"));
    }
    let rows: Vec<&Node> =
        node.at("query").items().iter().filter(|r| r.is_object() && is_enabled(r)).collect();
    if !rows.is_empty() {
        url.push('?');
        let query: Vec<String> = rows
            .iter()
            .map(|row| {
                let mut pair =
                    row.get("key").map(|k| normalize_param(&k.to_text(), true)).unwrap_or_default();
                if let Some(value) = row.get("value").filter(|v| !v.is_null()) {
                    pair.push('=');
                    pair.push_str(&normalize_param(&value.to_text(), false));
                }
                pair
            })
            .collect();
        url.push_str(&query.join("&"));
    }
    if let Some(hash) = node.get("hash").filter(|h| !h.is_null()) {
        url.push('#');
        url.push_str(&hash.to_text());
    }
    url
}

/// A query key or value as postman-collection writes it into a URL: `&` and `#` (and `=` in a
/// key) are percent-encoded, except inside `{{variables}}`, so they cannot split the query.
fn normalize_param(text: &str, key: bool) -> String {
    let reserved: Vec<usize> = [b'&', b'#']
        .into_iter()
        .chain(key.then_some(b'='))
        .flat_map(|c| crate::vars::offsets_outside_references(text, c))
        .collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            '&' | '#' | '=' if reserved.contains(&i) => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The URL text of a request node (for an example's original request).
fn url_text(node: &Node) -> String {
    match node {
        Node::String(s) => s.clone(),
        Node::Object(_) => node.str("raw").map_or_else(|| url_from_parts(node), str::to_owned),
        _ => String::new(),
    }
}

/// Plain headers (enabled rows) from a key/value list.
fn plain_headers(node: &Node) -> Vec<Header> {
    headers(node).into_iter().filter(|h| h.enabled).map(|h| Header::new(h.key, h.value)).collect()
}

/// A saved response (`response[]` of an item). `request_node` is the item's request, used when
/// the example has no `originalRequest`.
/// `fallback_id` identifies the example when it has no id of its own (its request's source id
/// and its position), so re-importing keeps it.
pub(crate) fn example(
    node: &Node,
    request_node: &Node,
    mint: &mut IdMint,
    fallback_id: Option<&str>,
    location: &str,
    report: &mut Report,
) -> Option<SavedResponse> {
    if !node.is_object() {
        return None;
    }
    let original = node.get("originalRequest").filter(|r| r.is_object()).unwrap_or(request_node);
    let headers_kv = headers(original.at("header"));
    let sent_body = body(original.at("body"), &headers_kv, location, &mut Report::default());
    let (body_text, summary) = match sent_body.mode {
        BodyMode::Raw => (Some(sent_body.raw.clone()), String::new()),
        BodyMode::UrlEncoded => (Some(join_query(&sent_body.urlencoded)), String::new()),
        BodyMode::GraphQl => {
            let mut text = format!("{{\"query\":{}", Node::String(sent_body.graphql.query.clone()).to_json());
            if !sent_body.graphql.variables.trim().is_empty() {
                text.push_str(",\"variables\":");
                text.push_str(sent_body.graphql.variables.trim());
            }
            text.push('}');
            (Some(text), String::new())
        }
        BodyMode::Multipart if sent_body.multipart.is_empty() => (None, String::new()),
        BodyMode::Multipart => {
            let files =
                sent_body.multipart.iter().filter(|p| matches!(p.kind, FormPartKind::File(_))).count();
            (None, format!("multipart: {} fields, {files} files", sent_body.multipart.len() - files))
        }
        BodyMode::Binary => (None, format!("file: {}", sent_body.binary_path)),
        BodyMode::None => (None, String::new()),
    };
    let body_size_bytes = body_text.as_ref().map_or(0, |b| b.len() as u64);
    let request = SentRequest {
        method: original.str("method").unwrap_or("GET").to_owned(),
        url: url_text(original.at("url")),
        headers: plain_headers(original.at("header")),
        body: body_text.filter(|b| !b.is_empty()).map(StoredBody::Text),
        body_size_bytes,
        body_truncated: false,
        body_summary: summary,
    };
    let response_body = match node.get("body") {
        Some(Node::Null) | None => None,
        Some(b) => Some(b.to_text()),
    };
    let code = node.u64("code").and_then(|c| u16::try_from(c).ok()).unwrap_or(0);
    let status_text = node.text("status");
    // Some exporters write `"status": "200 OK"`; keep just the reason.
    let reason = match status_text.split_once(' ') {
        Some((num, rest)) if num == code.to_string() => rest.to_owned(),
        _ => status_text,
    };
    if code == 0 {
        report.warn(location, format!("example `{}` has no status code", node.text("name")));
    }
    let response = ResponseRecord {
        status: code,
        reason,
        http_version: String::new(),
        headers: plain_headers(node.at("header")),
        size_bytes: response_body.as_ref().map_or(0, |b| b.len() as u64),
        body: response_body.filter(|b| !b.is_empty()).map(StoredBody::Text),
        body_truncated: false,
        wire_size_bytes: None,
        time_ms: node.u64("responseTime").unwrap_or(0),
    };
    let source_id = node.str("id").or_else(|| node.str("_postman_id")).or(fallback_id);
    let name = node.str("name").filter(|n| !n.is_empty()).map_or_else(|| format!("{code}"), str::to_owned);
    Some(SavedResponse {
        id: ExampleId(mint.id("example", source_id)),
        name,
        request,
        response,
        saved_at: None,
        source_request: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::foreign::node::parse_json;

    #[test]
    fn header_lines_read_disabled_rows() {
        let rows = header_lines("Content-Type: application/json\n// X-Off: 1\nbad line\n");
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].key.as_str(), rows[1].value.as_str(), rows[1].enabled), ("X-Off", "1", false));
    }

    #[test]
    fn both_auth_shapes_read_the_same() {
        let v21 = parse_json(
            r#"{"type":"basic","basic":[{"key":"username","value":"u"},{"key":"password","value":"p"}]}"#,
            None,
        )
        .unwrap();
        let v20 = parse_json(r#"{"type":"basic","basic":{"username":"u","password":"p"}}"#, None).unwrap();
        let mut report = Report::default();
        let a = auth(&v21, "x", &mut report);
        let b = auth(&v20, "x", &mut report);
        assert_eq!(a, b);
        assert_eq!(a, Some(Auth::Basic { username: "u".into(), password: "p".into() }));
        assert!(report.warnings.is_empty());
    }

    #[test]
    fn unsupported_auth_keeps_params_and_is_reported() {
        let node = parse_json(r#"{"type":"wsse","wsse":{"username":"u","password":"k"}}"#, None).unwrap();
        let mut report = Report::default();
        let Some(Auth::Unsupported { kind, params }) = auth(&node, "r", &mut report) else { panic!() };
        assert_eq!(kind, "wsse");
        assert_eq!(params.get("password").map(String::as_str), Some("k"));
        assert_eq!(report.warnings.len(), 1);
        assert!(report.warnings[0].message.contains("wsse"), "{}", report.warnings[0].message);
        // NTLM is sent now.
        let node = parse_json(
            r#"{"type":"ntlm","ntlm":[{"key":"username","value":"CORP\\u"},{"key":"password","value":"k"},{"key":"disableRetryRequest","value":true}]}"#,
            None,
        )
        .unwrap();
        let mut report = Report::default();
        let Some(Auth::Ntlm(n)) = auth(&node, "r", &mut report) else { panic!() };
        assert_eq!((n.username.as_str(), n.password.as_str(), n.disable_retry), ("CORP\\u", "k", true));
        assert!(report.warnings.is_empty());
        // Hawk is sent now: imported as itself, without a warning.
        let node =
            parse_json(r#"{"type":"hawk","hawk":{"authId":"id","authKey":"k","algorithm":"sha1"}}"#, None)
                .unwrap();
        let mut report = Report::default();
        let Some(Auth::Hawk(h)) = auth(&node, "r", &mut report) else { panic!() };
        assert_eq!((h.auth_id.as_str(), h.algorithm), ("id", HawkAlgorithm::Sha1));
        assert!(report.warnings.is_empty());
    }

    // Found on fastly-api-large ("Get a billing address"): the query rows are in the parts but
    // not in `raw`; newman sends `customer_id=`.
    #[test]
    fn query_rows_missing_from_raw_are_sent_as_newman_sends_them() {
        let node = parse_json(
            r#"{"raw":"{{base}}/billing/:id","host":["{{base}}"],"path":["billing",":id"],"query":[{"key":"customer_id","value":""},{"key":"flag","value":null},{"key":"x&y","value":"a#b"},{"key":"off","value":"3","disabled":true}],"variable":[{"key":"id","value":"7"}]}"#,
            None,
        )
        .unwrap();
        let mut report = Report::default();
        let parts = url(&node, "r", &mut report);
        assert_eq!(parts.url, "{{base}}/billing/:id?customer_id=&flag&x%26y=a%23b");
        let rows: Vec<(&str, bool)> = parts.params.iter().map(|r| (r.key.as_str(), r.enabled)).collect();
        assert_eq!(rows, [("customer_id", true), ("flag", true), ("x&y", true), ("off", false)]);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        // A `&` inside a variable's name is the variable's, not the query's.
        let node =
            parse_json(r#"{"raw":"x","host":["h"],"query":[{"key":"{{a&b}}","value":"{{c#d}}"}]}"#, None)
                .unwrap();
        assert_eq!(url(&node, "r", &mut report).url, "h?{{a&b}}={{c#d}}");
        // User info in the parts.
        let node = parse_json(r#"{"raw":"x","protocol":"http","auth":{"user":"us@r","password":"p@ss"},"host":["h"],"path":[""]}"#, None).unwrap();
        assert_eq!(url(&node, "r", &mut report).url, "http://us@r:p@ss@h/");
    }

    #[test]
    fn params_not_in_the_url_stay_disabled() {
        let node = parse_json(
            r#"{"raw":"http://x/a?q=1","query":[{"key":"q","value":"1","description":"d"},{"key":"gone","value":"2"},{"key":"off","value":"3","disabled":true}]}"#,
            None,
        )
        .unwrap();
        let mut report = Report::default();
        let parts = url(&node, "r", &mut report);
        let rows: Vec<(&str, bool, &str)> =
            parts.params.iter().map(|r| (r.key.as_str(), r.enabled, r.description.as_str())).collect();
        assert_eq!(rows, [("q", true, "d"), ("gone", false, ""), ("off", false, "")]);
        assert_eq!(report.warnings.len(), 1);
    }
}
