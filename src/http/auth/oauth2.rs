//! OAuth 2.0 client-credentials and password grants: the token request, its answer, and a cache
//! of tokens per environment until they expire (refreshed with the refresh token when there is
//! one).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::model::{EnvironmentId, OAuth2Auth, OAuth2ClientAuth, OAuth2Grant};

/// A token as cached.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub access_token: String,
    pub token_type: String,
    pub expires_at: Option<Instant>,
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Tokens are treated as expired this long before the server says, to avoid a 401 in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(10);

impl Token {
    pub fn is_fresh(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|at| now + EXPIRY_MARGIN < at)
    }
}

/// Tokens by [`cache_key`].
#[derive(Debug, Default)]
pub struct TokenCache {
    tokens: Mutex<HashMap<String, Token>>,
}

impl TokenCache {
    pub fn get(&self, key: &str) -> Option<Token> {
        self.tokens.lock().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: String, token: Token) {
        if let Ok(mut map) = self.tokens.lock() {
            map.insert(key, token);
        }
    }

    pub fn remove(&self, key: &str) {
        if let Ok(mut map) = self.tokens.lock() {
            map.remove(key);
        }
    }

    pub fn clear(&self) {
        if let Ok(mut map) = self.tokens.lock() {
            map.clear();
        }
    }
}

/// One token per environment, token endpoint, client, user, scope and audience.
pub fn cache_key(env: Option<EnvironmentId>, cfg: &OAuth2Auth) -> String {
    format!(
        "{}\n{:?}\n{}\n{}\n{}\n{}\n{}",
        env.map(|e| e.to_string()).unwrap_or_default(),
        cfg.grant,
        cfg.access_token_url,
        cfg.client_id,
        cfg.username,
        cfg.scope,
        cfg.audience
    )
}

/// The form fields and optional `Authorization` header of a token request; `refresh` asks for
/// a refresh-token grant instead.
pub fn token_request(cfg: &OAuth2Auth, refresh: Option<&str>) -> (Vec<(String, String)>, Option<String>) {
    let mut form: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: &str| form.push((k.to_owned(), v.to_owned()));
    match refresh {
        Some(token) => {
            push("grant_type", "refresh_token");
            push("refresh_token", token);
        }
        None => match cfg.grant {
            OAuth2Grant::Password => {
                push("grant_type", "password");
                push("username", &cfg.username);
                push("password", &cfg.password);
            }
            _ => push("grant_type", "client_credentials"),
        },
    }
    if !cfg.scope.is_empty() {
        push("scope", &cfg.scope);
    }
    if !cfg.audience.is_empty() && refresh.is_none() {
        push("audience", &cfg.audience);
    }
    let header = match cfg.client_auth {
        OAuth2ClientAuth::BasicHeader => {
            // RFC 6749 §2.3.1: id and secret are form-encoded before the basic encoding.
            let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let pair = format!("{}:{}", enc(&cfg.client_id), enc(&cfg.client_secret));
            Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair)))
        }
        OAuth2ClientAuth::Body => {
            push("client_id", &cfg.client_id);
            if !cfg.client_secret.is_empty() {
                push("client_secret", &cfg.client_secret);
            }
            None
        }
    };
    (form, header)
}

/// Why a token endpoint's answer gives no token, worded to go inside "OAuth 2.0 token request
/// failed (...)".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// A status other than 2xx, or an `error` field (RFC 6749 §5.2): `HTTP 400: invalid_client
    /// (bad secret)`, or without an `error` field the start of the body.
    #[error(
        "HTTP {status}{}",
        refusal_detail(.error.as_deref(), .description.as_deref(), .excerpt.as_deref())
    )]
    Refused {
        status: u16,
        error: Option<String>,
        description: Option<String>,
        /// The first 200 characters of the body, trimmed, when it has no `error` field.
        excerpt: Option<String>,
    },
    #[error("the answer has no access_token")]
    NoAccessToken,
}

/// What [`TokenError::Refused`] says after the status.
fn refusal_detail(error: Option<&str>, description: Option<&str>, excerpt: Option<&str>) -> String {
    let mut detail = String::new();
    if let Some(error) = error {
        detail.push_str(": ");
        detail.push_str(error);
    }
    if let Some(description) = description {
        detail.push_str(" (");
        detail.push_str(description);
        detail.push(')');
    }
    if let Some(excerpt) = excerpt {
        detail.push_str(": ");
        detail.push_str(excerpt);
    }
    detail
}

/// Reads a token endpoint's answer (JSON, or a form-encoded body as some servers send).
pub fn parse_token_response(status: u16, body: &[u8], now: Instant) -> Result<Token, TokenError> {
    let fields: HashMap<String, String> = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, v)
            })
            .collect(),
        _ => url::form_urlencoded::parse(body).into_owned().collect(),
    };
    if !(200..300).contains(&status) || fields.contains_key("error") {
        let error = fields.get("error").cloned();
        let excerpt = if error.is_some() {
            None
        } else {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            (!text.is_empty()).then(|| text.chars().take(200).collect())
        };
        return Err(TokenError::Refused {
            status,
            error,
            description: fields.get("error_description").cloned(),
            excerpt,
        });
    }
    let access_token =
        fields.get("access_token").filter(|t| !t.is_empty()).cloned().ok_or(TokenError::NoAccessToken)?;
    let expires_at = fields
        .get("expires_in")
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|secs| now + Duration::from_secs_f64(secs.min(10.0 * 365.0 * 86_400.0)));
    Ok(Token {
        access_token,
        token_type: fields.get("token_type").cloned().unwrap_or_else(|| "Bearer".to_owned()),
        expires_at,
        refresh_token: fields.get("refresh_token").filter(|t| !t.is_empty()).cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_token_request_for_each_grant() {
        let cfg = OAuth2Auth {
            grant: OAuth2Grant::Password,
            client_id: "app id".into(),
            client_secret: "s:e".into(),
            username: "ann".into(),
            password: "pw".into(),
            scope: "read write".into(),
            ..OAuth2Auth::default()
        };
        let (form, header) = token_request(&cfg, None);
        assert_eq!(form[0], ("grant_type".into(), "password".into()));
        assert!(form.contains(&("username".into(), "ann".into())));
        let expected = base64::engine::general_purpose::STANDARD.encode("app+id:s%3Ae");
        assert_eq!(header, Some(format!("Basic {expected}")));
        let body_cfg =
            OAuth2Auth { client_auth: OAuth2ClientAuth::Body, grant: OAuth2Grant::ClientCredentials, ..cfg };
        let (form, header) = token_request(&body_cfg, Some("r1"));
        assert_eq!(header, None);
        assert_eq!(form[0], ("grant_type".into(), "refresh_token".into()));
        assert!(form.contains(&("client_id".into(), "app id".into())));
    }

    #[test]
    fn reads_answers_and_errors() {
        let now = Instant::now();
        let t = parse_token_response(
            200,
            br#"{"access_token":"abc","expires_in":3600,"refresh_token":"r"}"#,
            now,
        )
        .unwrap();
        assert_eq!(t.access_token, "abc");
        assert!(t.is_fresh(now) && !t.is_fresh(now + Duration::from_secs(3600)));
        let t = parse_token_response(200, b"access_token=xyz&token_type=bearer", now).unwrap();
        assert_eq!(t.access_token, "xyz");
        let e =
            parse_token_response(400, br#"{"error":"invalid_client","error_description":"bad secret"}"#, now);
        assert_eq!(e.unwrap_err().to_string(), "HTTP 400: invalid_client (bad secret)");
        let e = parse_token_response(502, b"  bad gateway\n", now).unwrap_err();
        assert_eq!(e.to_string(), "HTTP 502: bad gateway");
        assert_eq!(parse_token_response(200, b"{}", now), Err(TokenError::NoAccessToken));
    }
}
