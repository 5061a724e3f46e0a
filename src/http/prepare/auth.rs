//! Auth on a prepared request: its fields resolved, what goes on the request now applied,
//! OAuth 1.0 signed.

use bytes::Bytes;

use super::{PendingAuth, PreparedBody, Resolver};
use crate::http::auth::{jwt, oauth1};
use crate::http::error::SendError;
use crate::http::redact::Redactions;
use crate::http::url_build;
use crate::model::{
    ApiKeyLocation, Auth, BodyMode, Header, OAuth1Auth, OAuth1Method, OAuth2Auth, OAuth2Grant, Request,
    set_header,
};

/// Resolves the auth's fields and applies what goes on the request now (Basic, Bearer, API key,
/// JWT, ASAP, a saved OAuth 2.0 token); what is computed per attempt (Digest, NTLM, OAuth 1.0,
/// Hawk, EdgeGrid, AWS, a fetched OAuth 2.0 token) comes back pending.
pub(super) fn apply_auth(
    auth: &Auth,
    res: &mut Resolver<'_>,
    headers: &mut Vec<Header>,
    query: &mut Vec<(String, String)>,
    redactions: &mut Redactions,
) -> Result<PendingAuth, SendError> {
    let mut auth = auth.clone();
    for (text, secret) in auth.text_fields_mut() {
        *text = if secret { res.secret(text) } else { res.r(text) };
    }
    // Auth that always puts its own Authorization header (or clears it, as NTLM's first try):
    // the header is a secret in history. Bearer, API key and JWT say where they put theirs;
    // OAuth 1.0 when it is signed.
    let own_header = !matches!(
        auth,
        Auth::Inherit
            | Auth::None
            | Auth::Bearer { .. }
            | Auth::ApiKey { .. }
            | Auth::Jwt(_)
            | Auth::OAuth1(_)
    );
    if own_header {
        redactions.add_header("authorization");
    }
    Ok(match auth {
        Auth::Inherit | Auth::None => PendingAuth::None,
        Auth::Basic { username, password } => {
            set_header(headers, "Authorization", basic(&username, &password));
            PendingAuth::None
        }
        Auth::Bearer { token } => {
            // No token, no header (as Postman: an empty token sends nothing, not `Bearer `).
            if !token.is_empty() {
                set_header(headers, "Authorization", format!("Bearer {token}"));
                redactions.add_header("authorization");
            }
            PendingAuth::None
        }
        Auth::ApiKey { key, value, location } => {
            if key.is_empty() {
                return Err(SendError::InvalidField {
                    field: "API key auth".into(),
                    reason: "the key name is empty".into(),
                });
            }
            match location {
                ApiKeyLocation::Header => {
                    redactions.add_header(&key);
                    set_header(headers, &key, value);
                }
                ApiKeyLocation::Query => query.push((key, value)),
            }
            PendingAuth::None
        }
        Auth::Digest(d) => PendingAuth::Digest(d),
        Auth::OAuth2(o) => oauth2(o, headers, query)?,
        Auth::OAuth1(o) => PendingAuth::OAuth1(o),
        Auth::Jwt(cfg) => {
            let token = jwt::token(&cfg)
                .map_err(|e| SendError::InvalidField { field: "JWT auth".into(), reason: e.to_string() })?;
            redactions.secret_values.push(token.clone());
            if cfg.in_query {
                let key =
                    if cfg.query_param_key.is_empty() { "token".to_owned() } else { cfg.query_param_key };
                query.retain(|(k, _)| *k != key);
                query.push((key, token));
            } else {
                redactions.add_header("authorization");
                let prefix = cfg.header_prefix.trim();
                let value = if prefix.is_empty() { token } else { format!("{prefix} {token}") };
                set_header(headers, "Authorization", value);
            }
            PendingAuth::None
        }
        Auth::Asap(cfg) => {
            let now =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let token = jwt::asap_token(&cfg, now, &uuid::Uuid::new_v4().to_string())
                .map_err(|e| SendError::InvalidField { field: "ASAP auth".into(), reason: e.to_string() })?;
            redactions.secret_values.push(token.clone());
            set_header(headers, "Authorization", format!("Bearer {token}"));
            PendingAuth::None
        }
        Auth::Ntlm(n) => {
            // The first attempt goes without credentials (as Postman's), whatever a header says.
            headers.retain(|h| !h.name.eq_ignore_ascii_case("authorization"));
            PendingAuth::Ntlm(n)
        }
        Auth::EdgeGrid(e) => PendingAuth::EdgeGrid(e),
        Auth::Hawk(h) => PendingAuth::Hawk(h),
        Auth::AwsSigV4(a) => {
            redactions.add_header("x-amz-security-token");
            PendingAuth::AwsSigV4(a)
        }
        Auth::Unsupported { kind, .. } => {
            return Err(SendError::UnsupportedAuth { kind: format!("{kind} auth") });
        }
    })
}

/// OAuth 2.0: a saved token goes on the request; without one, a token is fetched per attempt
/// only where the user asked for it.
fn oauth2(
    resolved: OAuth2Auth,
    headers: &mut Vec<Header>,
    query: &mut Vec<(String, String)>,
) -> Result<PendingAuth, SendError> {
    if !resolved.access_token.is_empty() {
        // As newman: the saved token in the header (or the query), replacing any there.
        if resolved.token_in_query {
            query.retain(|(k, _)| k != "access_token");
            query.push(("access_token".into(), resolved.access_token.clone()));
        } else {
            let prefix = resolved.header_prefix.trim();
            let prefix = if prefix.is_empty() { "Bearer" } else { prefix };
            set_header(headers, "Authorization", format!("{prefix} {}", resolved.access_token));
        }
        return Ok(PendingAuth::None);
    }
    // No saved token: newman sends the request without one; Localpost fetches one only
    // where the user asked it to.
    let fetchable = matches!(resolved.grant, OAuth2Grant::ClientCredentials | OAuth2Grant::Password);
    if !(resolved.fetch_automatically && fetchable) {
        return Ok(PendingAuth::None);
    }
    // A fetched token is sent in the header only (in a URL it would be kept in history).
    if resolved.token_in_query {
        return Err(SendError::InvalidField {
            field: "OAuth 2.0 auth".into(),
            reason: "a token Localpost fetches goes in the Authorization header: choose \"Header\", \
                     or paste the token to send it in the query"
                .into(),
        });
    }
    if resolved.access_token_url.trim().is_empty() {
        return Err(SendError::InvalidField {
            field: "OAuth 2.0 access token URL".into(),
            reason: "it is empty".into(),
        });
    }
    Ok(PendingAuth::OAuth2(resolved))
}

/// Signs the request with OAuth 1.0a as Postman does (see [`oauth1::sign`]) and puts the
/// parameters where the auth says; returns the body (a form body may gain them). Nothing changes
/// when the consumer key or secret is missing (Postman sends such a request unsigned).
pub(super) fn sign_oauth1(
    cfg: &OAuth1Auth,
    request: &Request,
    method: &reqwest::Method,
    url: &mut reqwest::Url,
    body: PreparedBody,
    headers: &mut Vec<Header>,
    redactions: &mut Redactions,
) -> Result<PreparedBody, SendError> {
    let form: Option<Vec<(String, String)>> = match (&body, request.body.mode) {
        (PreparedBody::Bytes(b), BodyMode::UrlEncoded) => {
            Some(url::form_urlencoded::parse(b).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        }
        _ => None,
    };
    let bytes = match (&body, request.body.mode) {
        (PreparedBody::Bytes(b), BodyMode::Raw | BodyMode::GraphQl) => Some(b.as_ref()),
        _ => None,
    };
    let message = oauth1::Message {
        method: method.as_str(),
        url,
        form: form.as_deref(),
        body: bytes,
        unhashable_body: matches!(body, PreparedBody::Multipart(_) | PreparedBody::File(_)),
    };
    let signed = oauth1::sign(cfg, &message, &oauth1::timestamp(), &oauth1::nonce())
        .map_err(|e| SendError::InvalidField { field: "OAuth 1.0 auth".into(), reason: e.to_string() })?;
    let Some(signed) = signed else { return Ok(body) };
    headers.retain(|h| !h.name.eq_ignore_ascii_case("authorization"));
    if cfg.signature_method == OAuth1Method::Plaintext {
        redactions.secret_values.push(signed.signature.clone());
    }
    url.set_query(signed.query.as_deref());
    Ok(match signed.placement {
        oauth1::Placement::Header(value) => {
            headers.push(Header::new("Authorization", value));
            redactions.add_header("authorization");
            body
        }
        oauth1::Placement::Query(pairs) => {
            let added: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let query = match url.query() {
                Some(q) if !q.is_empty() => format!("{q}&{}", added.join("&")),
                _ => added.join("&"),
            };
            url.set_query(Some(&query));
            body
        }
        oauth1::Placement::Body(pairs) => {
            let fields =
                form.unwrap_or_default().into_iter().filter(|(k, _)| !k.starts_with("oauth_")).chain(pairs);
            let encoded: Vec<String> = fields
                .map(|(k, v)| {
                    format!("{}={}", url_build::encode_uri_component(&k), url_build::encode_uri_component(&v))
                })
                .collect();
            PreparedBody::Bytes(Bytes::from(encoded.join("&")))
        }
    })
}

/// The `Authorization` value of Basic auth.
pub(super) fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}
