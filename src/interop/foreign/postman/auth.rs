//! Authentication: Postman's auth types and their parameters as Localpost's.

use indexmap::IndexMap;

use crate::interop::Report;
use crate::interop::foreign::node::Node;
use crate::interop::foreign::oauth1_texts;
use crate::model::{
    ApiKeyLocation, AsapAuth, Auth, AwsSigV4Auth, DigestAuth, EdgeGridAuth, HawkAlgorithm, HawkAuth,
    JwtAlgorithm, JwtAuth, NtlmAuth, OAuth1Auth, OAuth1Method, OAuth2Auth, OAuth2ClientAuth, OAuth2Grant,
};

/// Postman's name for an auth type, for messages.
pub(super) fn auth_label(kind: &str) -> &str {
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
pub(super) fn auth_params(node: &Node) -> Vec<(&str, &Node)> {
    match node {
        Node::Array(rows) => rows.iter().filter_map(|row| Some((row.str("key")?, row.at("value")))).collect(),
        Node::Object(entries) => entries.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        _ => Vec::new(),
    }
}

/// A value that says nothing: empty, `false`, an empty list.
pub(super) fn is_blank(value: &Node) -> bool {
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

/// The parameters Localpost reads for each auth kind it maps field by field, and those it
/// drops without a word (Postman's helper state); any other parameter that is set is reported
/// as not carried over.
const READ_PARAMS: [(&str, &[&str], &[&str]); 11] = [
    ("basic", &["username", "password"], &["showPassword", "saveHelperData", "id"]),
    ("bearer", &["token"], &[]),
    ("apikey", &["key", "value", "in"], &[]),
    (
        "digest",
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
    ),
    ("awsv4", &["accessKey", "secretKey", "region", "service", "sessionToken"], &["saveHelperData", "id"]),
    (
        "jwt",
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
    ),
    ("asap", &["alg", "kid", "iss", "aud", "sub", "privateKey", "claims", "exp"], &["id", "saveHelperData"]),
    (
        "ntlm",
        &["username", "password", "domain", "workstation", "disableRetryRequest"],
        &["id", "saveHelperData", "state", "ntlmHeader"],
    ),
    (
        "edgegrid",
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
    ),
    (
        "hawk",
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
    ),
    (
        "oauth1",
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
    ),
];

/// Maps Postman's auth `kind` with its parameters; shared with v1's helper attributes.
pub(crate) fn auth_from_params(
    kind: &str,
    params: &[(&str, &Node)],
    location: &str,
    report: &mut Report,
) -> Option<Auth> {
    let p = Params(params);
    let auth = match kind {
        "" => return None,
        "noauth" => Auth::None,
        "inherit" => Auth::Inherit,
        "basic" => Auth::Basic { username: p.text("username"), password: p.text("password") },
        "bearer" => Auth::Bearer { token: p.text("token") },
        "apikey" => {
            let key_location =
                if p.text("in") == "query" { ApiKeyLocation::Query } else { ApiKeyLocation::Header };
            Auth::ApiKey { key: p.text("key"), value: p.text("value"), location: key_location }
        }
        "digest" => digest(p, location, report),
        "awsv4" => Auth::AwsSigV4(AwsSigV4Auth {
            access_key: p.text("accessKey"),
            secret_key: p.text("secretKey"),
            region: p.text("region"),
            service: p.text("service"),
            session_token: p.text("sessionToken"),
        }),
        "oauth2" => Auth::OAuth2(oauth2(params, location, report)),
        "jwt" => jwt(p, location, report),
        "asap" => asap(p, location, report),
        "ntlm" => Auth::Ntlm(NtlmAuth {
            username: p.text("username"),
            password: p.text("password"),
            domain: p.text("domain"),
            workstation: p.text("workstation"),
            disable_retry: p.text("disableRetryRequest").trim() == "true",
        }),
        "edgegrid" => Auth::EdgeGrid(EdgeGridAuth {
            access_token: p.text("accessToken"),
            client_token: p.text("clientToken"),
            client_secret: p.text("clientSecret"),
            base_url: p.text("baseURL"),
            nonce: p.text("nonce"),
            timestamp: p.text("timestamp"),
            headers_to_sign: p.text("headersToSign"),
            max_body_size: p.text("maxBodySize"),
        }),
        "hawk" => hawk(p, location, report),
        "oauth1" => oauth1(p, location, report),
        other => unsupported(other, params, location, report),
    };
    if let Some((_, read, ignored)) = READ_PARAMS.iter().find(|(k, _, _)| *k == kind) {
        let unused = p.unused(read, ignored);
        if !unused.is_empty() {
            report.warn(location, format!("{} auth: settings not carried over: {}", kind, unused.join(", ")));
        }
    }
    Some(auth)
}

/// An auth block's parameters, read by name.
#[derive(Clone, Copy)]
struct Params<'p, 'n>(&'p [(&'n str, &'n Node)]);

impl Params<'_, '_> {
    /// The text of the first parameter called `name`; empty when there is none.
    fn text(self, name: &str) -> String {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_text()).unwrap_or_default()
    }

    fn has(self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| *k == name)
    }

    /// Whether a parameter called `name` matches `test`.
    fn any(self, name: &str, test: impl Fn(&Node) -> bool) -> bool {
        self.0.iter().any(|(k, v)| *k == name && test(v))
    }

    /// A flag, `true` as a boolean or as text; Postman reads a flag that is absent as off.
    fn flag(self, name: &str) -> bool {
        self.0.iter().find(|(k, _)| *k == name).is_some_and(|(_, v)| match v {
            Node::Bool(b) => *b,
            other => other.to_text().trim().eq_ignore_ascii_case("true"),
        })
    }

    /// The names of the parameters that are set but neither `read` nor `ignored`.
    fn unused(self, read: &[&str], ignored: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| !read.contains(k) && !ignored.contains(k) && !is_blank(v))
            .map(|(k, _)| (*k).to_owned())
            .collect()
    }
}

fn digest(p: Params, location: &str, report: &mut Report) -> Auth {
    if p.any("disableRetryRequest", |v| matches!(v, Node::Bool(true))) {
        report.warn(
            location,
            "digest auth: Postman was set not to retry after the server's challenge; Localpost \
             always answers the challenge",
        );
    }
    Auth::Digest(DigestAuth {
        username: p.text("username"),
        password: p.text("password"),
        algorithm: p.text("algorithm"),
        realm: p.text("realm"),
        nonce: p.text("nonce"),
        qop: p.text("qop"),
        opaque: p.text("opaque"),
        client_nonce: p.text("clientNonce"),
        nonce_count: p.text("nonceCount"),
    })
}

fn jwt(p: Params, location: &str, report: &mut Report) -> Auth {
    let text = p.text("algorithm");
    let algorithm = JwtAlgorithm::parse(&text).unwrap_or_else(|| {
        report.warn(location, format!("JWT algorithm `{}` is unknown; read as HS256", short(&text)));
        JwtAlgorithm::Hs256
    });
    let query_param_key = p.text("queryParamKey");
    Auth::Jwt(JwtAuth {
        algorithm,
        secret: p.text("secret"),
        secret_base64: p.text("isSecretBase64Encoded").trim() == "true",
        private_key: p.text("privateKey"),
        payload: p.text("payload"),
        header: p.text("header"),
        in_query: p.text("addTokenTo") == "queryParam",
        // Postman reads an absent prefix as `Bearer`, an empty one as none.
        header_prefix: if p.has("headerPrefix") { p.text("headerPrefix") } else { "Bearer".into() },
        query_param_key: if query_param_key.is_empty() { "token".into() } else { query_param_key },
    })
}

fn asap(p: Params, location: &str, report: &mut Report) -> Auth {
    let text = p.text("alg");
    let algorithm = match JwtAlgorithm::parse(&text) {
        Some(a) if !a.is_hmac() => a,
        None if text.trim().is_empty() => JwtAlgorithm::Rs256,
        _ => {
            report.warn(location, format!("ASAP algorithm `{}` is unknown; read as RS256", short(&text)));
            JwtAlgorithm::Rs256
        }
    };
    Auth::Asap(AsapAuth {
        algorithm,
        issuer: p.text("iss"),
        audience: p.text("aud"),
        subject: p.text("sub"),
        key_id: p.text("kid"),
        private_key: p.text("privateKey"),
        claims: p.text("claims"),
        expiry_seconds: p.text("exp"),
    })
}

fn hawk(p: Params, location: &str, report: &mut Report) -> Auth {
    let algorithm = match p.text("algorithm").trim().to_ascii_lowercase().as_str() {
        "sha1" => HawkAlgorithm::Sha1,
        "sha256" | "" => HawkAlgorithm::Sha256,
        other => {
            report.warn(location, format!("Hawk algorithm `{}` is unknown; read as sha256", short(other)));
            HawkAlgorithm::Sha256
        }
    };
    Auth::Hawk(HawkAuth {
        auth_id: p.text("authId"),
        auth_key: p.text("authKey"),
        algorithm,
        user: p.text("user"),
        nonce: p.text("nonce"),
        timestamp: p.text("timestamp"),
        ext: p.text("extraData"),
        app: p.text("app"),
        delegation: p.text("delegation"),
        include_payload_hash: p.any(
            "includePayloadHash",
            |v| matches!(v, Node::Bool(true) | Node::String(_) if v.to_text().trim() == "true"),
        ),
    })
}

fn oauth1(p: Params, location: &str, report: &mut Report) -> Auth {
    let method = p.text("signatureMethod");
    let signature_method = OAuth1Method::parse(&method).unwrap_or_else(|| {
        if !method.trim().is_empty() {
            report.warn(
                location,
                format!("OAuth 1.0 signature method `{}` is unknown; read as HMAC-SHA1", short(&method)),
            );
        }
        OAuth1Method::HmacSha1
    });
    Auth::OAuth1(OAuth1Auth {
        signature_method,
        version: p.text("version"),
        in_header: p.flag("addParamsToHeader"),
        include_body_hash: p.flag("includeBodyHash"),
        add_empty_params_to_sign: p.flag("addEmptyParamsToSign"),
        disable_header_encoding: p.flag("disableHeaderEncoding"),
        ..oauth1_texts("token", |name| p.text(name))
    })
}

/// An auth kind Localpost cannot send: kept with its parameters as text, and reported.
fn unsupported(kind: &str, params: &[(&str, &Node)], location: &str, report: &mut Report) -> Auth {
    let mut kept = IndexMap::new();
    for (k, v) in params {
        kept.insert((*k).to_owned(), v.to_text());
    }
    report.warn(
        location,
        format!(
            "{} auth is kept with its settings but Localpost cannot send it; pick another auth \
             before sending",
            auth_label(kind)
        ),
    );
    Auth::Unsupported { kind: kind.to_owned(), params: kept }
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

/// Postman's OAuth 2.0 parameters; what Localpost has no field for is reported.
pub(super) fn oauth2(params: &[(&str, &Node)], location: &str, report: &mut Report) -> OAuth2Auth {
    let mut auth = OAuth2Auth { grant: OAuth2Grant::AuthorizationCode, ..OAuth2Auth::default() };
    let mut dropped = Vec::new();
    for (key, value) in params {
        let text = value.to_text();
        if let Some(field) = oauth2_text(&mut auth, key) {
            *field = text;
            continue;
        }
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

/// The text setting that Postman's OAuth 2.0 parameter `key` fills, if it is one.
fn oauth2_text<'a>(auth: &'a mut OAuth2Auth, key: &str) -> Option<&'a mut String> {
    let fields = [
        ("accessTokenUrl", &mut auth.access_token_url),
        ("authUrl", &mut auth.auth_url),
        ("redirect_uri", &mut auth.redirect_uri),
        ("clientId", &mut auth.client_id),
        ("clientSecret", &mut auth.client_secret),
        ("username", &mut auth.username),
        ("password", &mut auth.password),
        ("scope", &mut auth.scope),
        ("state", &mut auth.state),
        ("audience", &mut auth.audience),
        ("challengeAlgorithm", &mut auth.code_challenge_method),
        ("headerPrefix", &mut auth.header_prefix),
        ("accessToken", &mut auth.access_token),
    ];
    fields.into_iter().find_map(|(name, field)| (name == key).then_some(field))
}
