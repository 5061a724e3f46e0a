//! Auth blocks: every auth kind as Postman's `auth` object, inheritance as its absence.

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::Exporter;
use crate::model::{ApiKeyLocation, Auth, JwtAuth, OAuth1Auth, OAuth2Auth, OAuth2ClientAuth, OAuth2Grant};

/// The auth types Postman has, among those Localpost keeps verbatim from an import.
const POSTMAN_KINDS: [&str; 7] = ["oauth1", "hawk", "ntlm", "edgegrid", "akamai", "jwt", "asap"];

impl Exporter<'_> {
    /// `None` means "inherit" (no `auth` key).
    pub(super) fn auth(&mut self, auth: &Auth, here: &str) -> Option<Value> {
        let (kind, list) = match auth {
            Auth::Inherit => return None,
            Auth::None => return Some(json!({ "type": "noauth" })),
            Auth::Unsupported { kind, params } => (kind.as_str(), self.kept_params(kind, params, here)),
            sent => {
                let (kind, pairs) = sent_params(sent)?;
                (kind, param_list(&pairs))
            }
        };
        let mut m = Map::new();
        m.insert("type".into(), json!(kind));
        m.insert(kind.to_owned(), list);
        Some(Value::Object(m))
    }

    /// The parameters of an auth kept verbatim from an import, as they were read; a kind that
    /// Postman does not have is reported.
    fn kept_params(&mut self, kind: &str, params: &IndexMap<String, String>, here: &str) -> Value {
        if !POSTMAN_KINDS.contains(&kind) {
            self.report
                .warn(here, format!("auth `{kind}` is not a Postman auth type; Postman will ignore it"));
        }
        let list = params
            .iter()
            .map(|(k, v)| {
                // Kept as text on import; booleans go back as booleans.
                let value = match v.as_str() {
                    "true" => json!(true),
                    "false" => json!(false),
                    _ => json!(v),
                };
                let ty = if value.is_boolean() { "boolean" } else { "string" };
                json!({ "key": k, "value": value, "type": ty })
            })
            .collect();
        Value::Array(list)
    }
}

/// Postman's `[{key, value, type}]` list of auth parameters; empty text is left out.
fn param_list(pairs: &[(&str, Value)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .filter(|(_, v)| !matches!(v, Value::String(s) if s.is_empty()))
            .map(|(k, v)| {
                let ty = match v {
                    Value::Bool(_) => "boolean",
                    _ => "string",
                };
                json!({ "key": k, "value": v, "type": ty })
            })
            .collect(),
    )
}

/// Postman's type and parameters of an auth that Localpost sends; `None` for inherit, none
/// and the kinds kept verbatim.
fn sent_params(auth: &Auth) -> Option<(&'static str, Vec<(&'static str, Value)>)> {
    let sent = match auth {
        Auth::Inherit | Auth::None | Auth::Unsupported { .. } => return None,
        Auth::Basic { username, password } => {
            ("basic", vec![("username", json!(username)), ("password", json!(password))])
        }
        Auth::Bearer { token } => ("bearer", vec![("token", json!(token))]),
        Auth::ApiKey { key, value, location } => {
            let at = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query",
            };
            ("apikey", vec![("key", json!(key)), ("value", json!(value)), ("in", json!(at))])
        }
        Auth::Digest(d) => (
            "digest",
            vec![
                ("username", json!(d.username)),
                ("password", json!(d.password)),
                ("realm", json!(d.realm)),
                ("nonce", json!(d.nonce)),
                ("algorithm", json!(d.algorithm)),
                ("qop", json!(d.qop)),
                ("nonceCount", json!(d.nonce_count)),
                ("clientNonce", json!(d.client_nonce)),
                ("opaque", json!(d.opaque)),
            ],
        ),
        Auth::OAuth2(o) => ("oauth2", oauth2_params(o)),
        Auth::OAuth1(o) => ("oauth1", oauth1_params(o)),
        Auth::Jwt(j) => ("jwt", jwt_params(j)),
        Auth::Hawk(h) => (
            "hawk",
            vec![
                ("authId", json!(h.auth_id)),
                ("authKey", json!(h.auth_key)),
                ("algorithm", json!(h.algorithm.name())),
                ("user", json!(h.user)),
                ("nonce", json!(h.nonce)),
                ("timestamp", json!(h.timestamp)),
                ("extraData", json!(h.ext)),
                ("app", json!(h.app)),
                ("delegation", json!(h.delegation)),
                ("includePayloadHash", json!(h.include_payload_hash)),
            ],
        ),
        Auth::Asap(a) => (
            "asap",
            vec![
                ("alg", json!(a.algorithm.name())),
                ("kid", json!(a.key_id)),
                ("iss", json!(a.issuer)),
                ("aud", json!(a.audience)),
                ("sub", json!(a.subject)),
                ("privateKey", json!(a.private_key)),
                ("claims", json!(a.claims)),
                ("exp", json!(a.expiry_seconds)),
            ],
        ),
        Auth::Ntlm(n) => (
            "ntlm",
            vec![
                ("username", json!(n.username)),
                ("password", json!(n.password)),
                ("domain", json!(n.domain)),
                ("workstation", json!(n.workstation)),
                ("disableRetryRequest", json!(n.disable_retry)),
            ],
        ),
        Auth::EdgeGrid(e) => (
            "edgegrid",
            vec![
                ("accessToken", json!(e.access_token)),
                ("clientToken", json!(e.client_token)),
                ("clientSecret", json!(e.client_secret)),
                ("baseURL", json!(e.base_url)),
                ("nonce", json!(e.nonce)),
                ("timestamp", json!(e.timestamp)),
                ("headersToSign", json!(e.headers_to_sign)),
                ("maxBodySize", json!(e.max_body_size)),
            ],
        ),
        Auth::AwsSigV4(a) => (
            "awsv4",
            vec![
                ("accessKey", json!(a.access_key)),
                ("secretKey", json!(a.secret_key)),
                ("region", json!(a.region)),
                ("service", json!(a.service)),
                ("sessionToken", json!(a.session_token)),
            ],
        ),
    };
    Some(sent)
}

/// OAuth 2.0's parameters; an audience goes with the token request, as Postman sends it.
fn oauth2_params(o: &OAuth2Auth) -> Vec<(&'static str, Value)> {
    let grant = match o.grant {
        OAuth2Grant::ClientCredentials => "client_credentials",
        OAuth2Grant::Password => "password_credentials",
        OAuth2Grant::AuthorizationCode => "authorization_code",
        OAuth2Grant::AuthorizationCodePkce => "authorization_code_with_pkce",
        OAuth2Grant::Implicit => "implicit",
    };
    let client_auth = match o.client_auth {
        OAuth2ClientAuth::BasicHeader => "header",
        OAuth2ClientAuth::Body => "body",
    };
    let mut pairs = vec![
        ("grant_type", json!(grant)),
        ("accessTokenUrl", json!(o.access_token_url)),
        ("authUrl", json!(o.auth_url)),
        ("redirect_uri", json!(o.redirect_uri)),
        ("clientId", json!(o.client_id)),
        ("clientSecret", json!(o.client_secret)),
        ("username", json!(o.username)),
        ("password", json!(o.password)),
        ("scope", json!(o.scope)),
        ("state", json!(o.state)),
        ("challengeAlgorithm", json!(o.code_challenge_method)),
        ("client_authentication", json!(client_auth)),
        ("headerPrefix", json!(o.header_prefix)),
        ("accessToken", json!(o.access_token)),
        ("addTokenTo", json!(if o.token_in_query { "queryParams" } else { "header" })),
    ];
    if !o.audience.is_empty() {
        pairs.push((
            "tokenRequestParams",
            json!([{ "key": "audience", "value": o.audience, "enabled": true, "send_as": "request_body" }]),
        ));
    }
    pairs
}

/// OAuth 1.0's parameters, its flags as booleans.
fn oauth1_params(o: &OAuth1Auth) -> Vec<(&'static str, Value)> {
    vec![
        ("signatureMethod", json!(o.signature_method.name())),
        ("consumerKey", json!(o.consumer_key)),
        ("consumerSecret", json!(o.consumer_secret)),
        ("token", json!(o.token)),
        ("tokenSecret", json!(o.token_secret)),
        ("privateKey", json!(o.private_key)),
        ("callback", json!(o.callback)),
        ("verifier", json!(o.verifier)),
        ("timestamp", json!(o.timestamp)),
        ("nonce", json!(o.nonce)),
        ("version", json!(o.version)),
        ("realm", json!(o.realm)),
        ("addParamsToHeader", json!(o.in_header)),
        ("includeBodyHash", json!(o.include_body_hash)),
        ("addEmptyParamsToSign", json!(o.add_empty_params_to_sign)),
        ("disableHeaderEncoding", json!(o.disable_header_encoding)),
    ]
}

/// JWT bearer's parameters: an empty header is Postman's `{}`.
fn jwt_params(j: &JwtAuth) -> Vec<(&'static str, Value)> {
    vec![
        ("algorithm", json!(j.algorithm.name())),
        ("secret", json!(j.secret)),
        ("isSecretBase64Encoded", json!(j.secret_base64)),
        ("privateKey", json!(j.private_key)),
        ("payload", json!(j.payload)),
        ("header", json!(if j.header.is_empty() { "{}" } else { j.header.as_str() })),
        ("addTokenTo", json!(if j.in_query { "queryParam" } else { "header" })),
        ("headerPrefix", json!(j.header_prefix)),
        ("queryParamKey", json!(j.query_param_key)),
    ]
}
