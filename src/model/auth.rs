//! Authentication settings of a request, folder or collection.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::masked::Masked;

/// How a request authenticates. Requests default to [`Auth::Inherit`], which takes the nearest
/// folder's or the collection's auth.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Auth {
    #[default]
    Inherit,
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        key: String,
        value: String,
        location: ApiKeyLocation,
    },
    Digest(DigestAuth),
    OAuth2(OAuth2Auth),
    OAuth1(OAuth1Auth),
    Hawk(HawkAuth),
    Jwt(JwtAuth),
    Asap(AsapAuth),
    EdgeGrid(EdgeGridAuth),
    Ntlm(NtlmAuth),
    AwsSigV4(AwsSigV4Auth),
    /// A scheme Localpost does not send (NTLM, Hawk, OAuth 1.0...), kept verbatim from an import
    /// so that nothing is lost and an export can write it back.
    Unsupported {
        kind: String,
        params: IndexMap<String, String>,
    },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Inherit => f.write_str("Inherit"),
            Auth::None => f.write_str("None"),
            Auth::Basic { username, password } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &Masked(password))
                .finish(),
            Auth::Bearer { token } => f.debug_struct("Bearer").field("token", &Masked(token)).finish(),
            Auth::ApiKey { key, value, location } => f
                .debug_struct("ApiKey")
                .field("key", key)
                .field("value", &Masked(value))
                .field("location", location)
                .finish(),
            Auth::Digest(d) => f.debug_tuple("Digest").field(d).finish(),
            Auth::OAuth2(o) => f.debug_tuple("OAuth2").field(o).finish(),
            Auth::OAuth1(o) => f.debug_tuple("OAuth1").field(o).finish(),
            Auth::Hawk(h) => f.debug_tuple("Hawk").field(h).finish(),
            Auth::Jwt(j) => f.debug_tuple("Jwt").field(j).finish(),
            Auth::Asap(a) => f.debug_tuple("Asap").field(a).finish(),
            Auth::EdgeGrid(e) => f.debug_tuple("EdgeGrid").field(e).finish(),
            Auth::Ntlm(n) => f.debug_tuple("Ntlm").field(n).finish(),
            Auth::AwsSigV4(a) => f.debug_tuple("AwsSigV4").field(a).finish(),
            // An unknown scheme's parameters may all be secrets (keys, tokens): names only.
            Auth::Unsupported { kind, params } => f
                .debug_struct("Unsupported")
                .field("kind", kind)
                .field("params", &params.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

impl Auth {
    /// Every text field of the settings that `{{variables}}` may fill, each with whether it
    /// holds a secret (resolved as one, kept out of what is shown). Fixed choices (algorithms,
    /// grant types, a PKCE method) and switches are not listed.
    pub fn text_fields_mut(&mut self) -> Vec<(&mut String, bool)> {
        const S: bool = true;
        const T: bool = false;
        match self {
            Auth::Inherit | Auth::None | Auth::Unsupported { .. } => Vec::new(),
            Auth::Basic { username, password } => vec![(username, T), (password, S)],
            Auth::Bearer { token } => vec![(token, S)],
            Auth::ApiKey { key, value, .. } => vec![(key, T), (value, S)],
            Auth::Digest(d) => vec![
                (&mut d.username, T),
                (&mut d.password, S),
                (&mut d.algorithm, T),
                (&mut d.realm, T),
                (&mut d.nonce, T),
                (&mut d.qop, T),
                (&mut d.opaque, T),
                (&mut d.client_nonce, T),
                (&mut d.nonce_count, T),
            ],
            Auth::OAuth2(o) => vec![
                (&mut o.access_token_url, T),
                (&mut o.auth_url, T),
                (&mut o.redirect_uri, T),
                (&mut o.client_id, T),
                (&mut o.client_secret, S),
                (&mut o.username, T),
                (&mut o.password, S),
                (&mut o.scope, T),
                (&mut o.audience, T),
                (&mut o.state, T),
                (&mut o.header_prefix, T),
                (&mut o.access_token, S),
            ],
            Auth::OAuth1(o) => vec![
                (&mut o.consumer_key, T),
                (&mut o.consumer_secret, S),
                (&mut o.token, S),
                (&mut o.token_secret, S),
                (&mut o.private_key, S),
                (&mut o.callback, T),
                (&mut o.verifier, T),
                (&mut o.timestamp, T),
                (&mut o.nonce, T),
                (&mut o.version, T),
                (&mut o.realm, T),
            ],
            Auth::Hawk(h) => vec![
                (&mut h.auth_id, T),
                (&mut h.auth_key, S),
                (&mut h.user, T),
                (&mut h.nonce, T),
                (&mut h.timestamp, T),
                (&mut h.ext, T),
                (&mut h.app, T),
                (&mut h.delegation, T),
            ],
            Auth::Jwt(j) => vec![
                (&mut j.secret, S),
                (&mut j.private_key, S),
                (&mut j.payload, T),
                (&mut j.header, T),
                (&mut j.header_prefix, T),
                (&mut j.query_param_key, T),
            ],
            Auth::Asap(a) => vec![
                (&mut a.issuer, T),
                (&mut a.audience, T),
                (&mut a.subject, T),
                (&mut a.key_id, T),
                (&mut a.private_key, S),
                (&mut a.claims, T),
                (&mut a.expiry_seconds, T),
            ],
            Auth::EdgeGrid(e) => vec![
                (&mut e.access_token, S),
                (&mut e.client_token, S),
                (&mut e.client_secret, S),
                (&mut e.base_url, T),
                (&mut e.nonce, T),
                (&mut e.timestamp, T),
                (&mut e.headers_to_sign, T),
                (&mut e.max_body_size, T),
            ],
            Auth::Ntlm(n) => {
                vec![(&mut n.username, T), (&mut n.password, S), (&mut n.domain, T), (&mut n.workstation, T)]
            }
            Auth::AwsSigV4(a) => vec![
                (&mut a.access_key, T),
                (&mut a.secret_key, S),
                (&mut a.region, T),
                (&mut a.service, T),
                (&mut a.session_token, S),
            ],
        }
    }

    /// The names shown in the auth picker, one per variant a user can choose.
    pub fn kind_label(&self) -> &str {
        match self {
            Auth::Inherit => "Inherit auth from parent",
            Auth::None => "No auth",
            Auth::Basic { .. } => "Basic auth",
            Auth::Bearer { .. } => "Bearer token",
            Auth::ApiKey { .. } => "API key",
            Auth::Digest(_) => "Digest auth",
            Auth::OAuth2(_) => "OAuth 2.0",
            Auth::OAuth1(_) => "OAuth 1.0",
            Auth::Hawk(_) => "Hawk",
            Auth::Jwt(_) => "JWT Bearer",
            Auth::Asap(_) => "ASAP (Atlassian)",
            Auth::EdgeGrid(_) => "Akamai EdgeGrid",
            Auth::Ntlm(_) => "NTLM",
            Auth::AwsSigV4(_) => "AWS Signature v4",
            Auth::Unsupported { kind, .. } => kind,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApiKeyLocation {
    #[default]
    Header,
    Query,
}

/// HTTP digest (RFC 7616). Realm, nonce and the rest come from the server's challenge; the fields
/// here only pin what a user chose to fix.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DigestAuth {
    pub username: String,
    pub password: String,
    /// `MD5`, `SHA-256`, ... (empty: whatever the server asks).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub algorithm: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub realm: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nonce: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub qop: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub opaque: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub client_nonce: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nonce_count: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OAuth2Grant {
    #[default]
    ClientCredentials,
    Password,
    AuthorizationCode,
    AuthorizationCodePkce,
    Implicit,
}

impl OAuth2Grant {
    pub const ALL: [OAuth2Grant; 5] = [
        OAuth2Grant::ClientCredentials,
        OAuth2Grant::Password,
        OAuth2Grant::AuthorizationCode,
        OAuth2Grant::AuthorizationCodePkce,
        OAuth2Grant::Implicit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OAuth2Grant::ClientCredentials => "Client credentials",
            OAuth2Grant::Password => "Password credentials",
            OAuth2Grant::AuthorizationCode => "Authorization code",
            OAuth2Grant::AuthorizationCodePkce => "Authorization code (PKCE)",
            OAuth2Grant::Implicit => "Implicit",
        }
    }
}

/// Where the client id and secret go when fetching a token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OAuth2ClientAuth {
    /// HTTP basic auth header (RFC 6749's preferred way).
    #[default]
    BasicHeader,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuth2Auth {
    pub grant: OAuth2Grant,
    pub access_token_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub auth_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub redirect_uri: String,
    pub client_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub client_secret: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub username: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub password: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub scope: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub audience: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub state: String,
    /// PKCE method: `S256` or `plain`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub code_challenge_method: String,
    pub client_auth: OAuth2ClientAuth,
    /// The word before the token in `Authorization` (default `Bearer`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub header_prefix: String,
    /// The saved token (pasted, imported or fetched): sent as is when set, as Postman sends it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub access_token: String,
    /// The token goes in the query as `access_token` instead of the `Authorization` header
    /// (Postman's "Add token to: query params").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub token_in_query: bool,
    /// With no saved token, fetch one before sending (client-credentials and password grants).
    /// Off unless the user turns it on, as Postman's auto-refresh: a request never fetches a
    /// token the user did not ask for, and an imported collection sends what newman sends.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fetch_automatically: bool,
}

/// OAuth 1.0a (RFC 5849), signed as Postman signs it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuth1Auth {
    pub signature_method: OAuth1Method,
    pub consumer_key: String,
    pub consumer_secret: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub token: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub token_secret: String,
    /// The PEM private key of the RSA methods.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub private_key: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub callback: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub verifier: String,
    /// Empty: the time of sending.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub timestamp: String,
    /// Empty: a new random one for every send.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nonce: String,
    pub version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub realm: String,
    /// Where the parameters go: the `Authorization` header, or else the form body (POST and PUT
    /// with a URL-encoded body) or the query.
    pub in_header: bool,
    /// Sign a hash of the body too (`oauth_body_hash`; not for URL-encoded bodies).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub include_body_hash: bool,
    /// Sign parameters whose value is empty as well.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub add_empty_params_to_sign: bool,
    /// Write the header's values as they are instead of percent-encoding them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disable_header_encoding: bool,
}

impl Default for OAuth1Auth {
    fn default() -> Self {
        Self {
            signature_method: OAuth1Method::HmacSha1,
            consumer_key: String::new(),
            consumer_secret: String::new(),
            token: String::new(),
            token_secret: String::new(),
            private_key: String::new(),
            callback: String::new(),
            verifier: String::new(),
            timestamp: String::new(),
            nonce: String::new(),
            version: "1.0".into(),
            realm: String::new(),
            in_header: true,
            include_body_hash: false,
            add_empty_params_to_sign: false,
            disable_header_encoding: false,
        }
    }
}

/// Hawk (hapijs/hawk), signed as Postman signs it: a MAC over the request in `Authorization`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HawkAuth {
    pub auth_id: String,
    pub auth_key: String,
    pub algorithm: HawkAlgorithm,
    /// Kept for Postman's exports; Hawk's header has no user.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// Empty: a new random one for every send.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nonce: String,
    /// Empty: the time of sending.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub timestamp: String,
    /// Hawk's `ext`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ext: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app: String,
    /// Hawk's `dlg` (with `app`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub delegation: String,
    /// Sign a hash of the body (and its `Content-Type`) too.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub include_payload_hash: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HawkAlgorithm {
    #[default]
    Sha256,
    Sha1,
}

impl HawkAlgorithm {
    pub fn name(self) -> &'static str {
        match self {
            HawkAlgorithm::Sha256 => "sha256",
            HawkAlgorithm::Sha1 => "sha1",
        }
    }
}

impl std::fmt::Debug for HawkAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HawkAuth")
            .field("auth_id", &self.auth_id)
            .field("auth_key", &Masked(&self.auth_key))
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// JWT Bearer: a token Localpost makes and signs for every send, as Postman does.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JwtAuth {
    pub algorithm: JwtAlgorithm,
    /// The HMAC secret (HS algorithms).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub secret: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret_base64: bool,
    /// The PKCS #8 PEM key (RS, PS and ES algorithms).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub private_key: String,
    /// The payload, a JSON object.
    pub payload: String,
    /// More header fields, a JSON object (`alg` is set from the algorithm).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub header: String,
    /// The token goes in the query instead of `Authorization`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_query: bool,
    /// The word before the token in `Authorization` (empty: none).
    pub header_prefix: String,
    /// The query parameter's name.
    pub query_param_key: String,
}

impl Default for JwtAuth {
    fn default() -> Self {
        Self {
            algorithm: JwtAlgorithm::Hs256,
            secret: String::new(),
            secret_base64: false,
            private_key: String::new(),
            payload: String::new(),
            header: String::new(),
            in_query: false,
            header_prefix: "Bearer".into(),
            query_param_key: "token".into(),
        }
    }
}

impl std::fmt::Debug for JwtAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtAuth")
            .field("algorithm", &self.algorithm)
            .field("secret", &Masked(&self.secret))
            .field("private_key", &Masked(&self.private_key))
            .field("in_query", &self.in_query)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JwtAlgorithm {
    #[default]
    Hs256,
    Hs384,
    Hs512,
    Rs256,
    Rs384,
    Rs512,
    Ps256,
    Ps384,
    Ps512,
    Es256,
    Es384,
    Es512,
}

impl JwtAlgorithm {
    pub const ALL: [JwtAlgorithm; 12] = [
        JwtAlgorithm::Hs256,
        JwtAlgorithm::Hs384,
        JwtAlgorithm::Hs512,
        JwtAlgorithm::Rs256,
        JwtAlgorithm::Rs384,
        JwtAlgorithm::Rs512,
        JwtAlgorithm::Ps256,
        JwtAlgorithm::Ps384,
        JwtAlgorithm::Ps512,
        JwtAlgorithm::Es256,
        JwtAlgorithm::Es384,
        JwtAlgorithm::Es512,
    ];

    /// The name in the token's `alg` and in Postman's exports.
    pub fn name(self) -> &'static str {
        match self {
            JwtAlgorithm::Hs256 => "HS256",
            JwtAlgorithm::Hs384 => "HS384",
            JwtAlgorithm::Hs512 => "HS512",
            JwtAlgorithm::Rs256 => "RS256",
            JwtAlgorithm::Rs384 => "RS384",
            JwtAlgorithm::Rs512 => "RS512",
            JwtAlgorithm::Ps256 => "PS256",
            JwtAlgorithm::Ps384 => "PS384",
            JwtAlgorithm::Ps512 => "PS512",
            JwtAlgorithm::Es256 => "ES256",
            JwtAlgorithm::Es384 => "ES384",
            JwtAlgorithm::Es512 => "ES512",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name.trim())
    }

    pub fn is_hmac(self) -> bool {
        matches!(self, JwtAlgorithm::Hs256 | JwtAlgorithm::Hs384 | JwtAlgorithm::Hs512)
    }
}

/// ASAP (Atlassian's service-to-service auth): a JWT Localpost signs for every send with the
/// issuer, audience and key id given, sent as `Authorization: Bearer`, as Postman makes it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AsapAuth {
    /// RS, PS or ES (ASAP has no HMAC algorithms).
    pub algorithm: JwtAlgorithm,
    pub issuer: String,
    pub audience: String,
    /// Empty: the issuer.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subject: String,
    pub key_id: String,
    /// The PKCS #8 PEM key, or a `data:application/pkcs8;kid=...;base64,...` URI.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub private_key: String,
    /// More claims, a JSON object (its `iss`, `sub`, `aud`, `jti`, `iat`, `exp` and `kid` win).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub claims: String,
    /// Seconds the token is valid (empty: 3600).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub expiry_seconds: String,
}

impl Default for AsapAuth {
    fn default() -> Self {
        Self {
            algorithm: JwtAlgorithm::Rs256,
            issuer: String::new(),
            audience: String::new(),
            subject: String::new(),
            key_id: String::new(),
            private_key: String::new(),
            claims: String::new(),
            expiry_seconds: String::new(),
        }
    }
}

impl std::fmt::Debug for AsapAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsapAuth")
            .field("algorithm", &self.algorithm)
            .field("issuer", &self.issuer)
            .field("key_id", &self.key_id)
            .field("private_key", &Masked(&self.private_key))
            .finish_non_exhaustive()
    }
}

/// Akamai EdgeGrid (EG1-HMAC-SHA256), signed as Postman signs it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EdgeGridAuth {
    pub access_token: String,
    pub client_token: String,
    pub client_secret: String,
    /// The API host (`https://akab-....luna.akamaiapis.net`); empty: the request's host.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub base_url: String,
    /// Empty: a new random one for every send.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nonce: String,
    /// Empty: the time of sending (`20260101T12:00:00+0000`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub timestamp: String,
    /// Header names to sign, separated by commas.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub headers_to_sign: String,
    /// The most body bytes hashed (empty: 131072).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub max_body_size: String,
}

impl std::fmt::Debug for EdgeGridAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EdgeGridAuth")
            .field("client_token", &self.client_token)
            .field("access_token", &Masked(&self.access_token))
            .field("client_secret", &Masked(&self.client_secret))
            .finish_non_exhaustive()
    }
}

/// NTLM: the request, then a negotiate and an authenticate message on the same connection when
/// the server asks, as Postman does.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NtlmAuth {
    /// `user`, `DOMAIN\user` or `user@domain`.
    pub username: String,
    pub password: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub workstation: String,
    /// Send the request once, without answering the server's challenge.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disable_retry: bool,
}

impl std::fmt::Debug for NtlmAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NtlmAuth")
            .field("username", &self.username)
            .field("password", &Masked(&self.password))
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

/// How an OAuth 1.0 request is signed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OAuth1Method {
    #[default]
    HmacSha1,
    HmacSha256,
    HmacSha512,
    RsaSha1,
    RsaSha256,
    RsaSha512,
    Plaintext,
}

impl OAuth1Method {
    pub const ALL: [OAuth1Method; 7] = [
        OAuth1Method::HmacSha1,
        OAuth1Method::HmacSha256,
        OAuth1Method::HmacSha512,
        OAuth1Method::RsaSha1,
        OAuth1Method::RsaSha256,
        OAuth1Method::RsaSha512,
        OAuth1Method::Plaintext,
    ];

    /// The name on the wire (`oauth_signature_method`) and in Postman's exports.
    pub fn name(self) -> &'static str {
        match self {
            OAuth1Method::HmacSha1 => "HMAC-SHA1",
            OAuth1Method::HmacSha256 => "HMAC-SHA256",
            OAuth1Method::HmacSha512 => "HMAC-SHA512",
            OAuth1Method::RsaSha1 => "RSA-SHA1",
            OAuth1Method::RsaSha256 => "RSA-SHA256",
            OAuth1Method::RsaSha512 => "RSA-SHA512",
            OAuth1Method::Plaintext => "PLAINTEXT",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name().eq_ignore_ascii_case(name.trim()))
    }

    pub fn is_rsa(self) -> bool {
        matches!(self, OAuth1Method::RsaSha1 | OAuth1Method::RsaSha256 | OAuth1Method::RsaSha512)
    }
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AwsSigV4Auth {
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
    pub service: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub session_token: String,
}

impl std::fmt::Debug for DigestAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestAuth")
            .field("username", &self.username)
            .field("password", &Masked(&self.password))
            .field("algorithm", &self.algorithm)
            .field("realm", &self.realm)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for OAuth2Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth2Auth")
            .field("grant", &self.grant)
            .field("access_token_url", &self.access_token_url)
            .field("auth_url", &self.auth_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &Masked(&self.client_secret))
            .field("username", &self.username)
            .field("password", &Masked(&self.password))
            .field("scope", &self.scope)
            .field("access_token", &Masked(&self.access_token))
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for OAuth1Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth1Auth")
            .field("signature_method", &self.signature_method)
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &Masked(&self.consumer_secret))
            .field("token", &Masked(&self.token))
            .field("token_secret", &Masked(&self.token_secret))
            .field("private_key", &Masked(&self.private_key))
            .field("in_header", &self.in_header)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for AwsSigV4Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsSigV4Auth")
            .field("access_key", &self.access_key)
            .field("secret_key", &Masked(&self.secret_key))
            .field("region", &self.region)
            .field("service", &self.service)
            .field("session_token", &Masked(&self.session_token))
            .finish()
    }
}
