//! A request's authentication, Insomnia's kinds as Localpost's.

use indexmap::IndexMap;

use super::Templates;
use crate::interop::Report;
use crate::interop::foreign::node::Node;
use crate::interop::foreign::oauth1_texts;
use crate::model::{
    ApiKeyLocation, AsapAuth, Auth, AwsSigV4Auth, DigestAuth, HawkAlgorithm, HawkAuth, NtlmAuth, OAuth1Auth,
    OAuth1Method, OAuth2Auth, OAuth2ClientAuth, OAuth2Grant,
};

/// Reads a request's or a folder's `authentication`; none there means inherit.
pub(super) fn auth(node: &Node, location: &str, report: &mut Report, templates: &mut Templates) -> Auth {
    if !node.is_object() || node.entries().is_empty() {
        return Auth::Inherit;
    }
    let mut get = |key: &str| templates.convert(&node.text(key));
    let kind = node.text("type");
    if node.bool("disabled") == Some(true) && kind != "none" {
        report.warn(
            location,
            format!(
                "{kind} auth was turned off in Insomnia; imported as no auth (its settings are not kept)"
            ),
        );
        return Auth::None;
    }
    match kind.as_str() {
        "none" => Auth::None,
        "inherit" | "" => Auth::Inherit,
        "basic" => {
            if node.bool("useISO88591") == Some(true) {
                report.warn(
                    location,
                    "basic auth: ISO-8859-1 encoding of the credentials is not kept (UTF-8 is used)",
                );
            }
            Auth::Basic { username: get("username"), password: get("password") }
        }
        "bearer" => {
            let prefix = get("prefix");
            let token = get("token");
            if prefix.is_empty() || prefix.eq_ignore_ascii_case("bearer") {
                Auth::Bearer { token }
            } else {
                // A custom word before the token: the exact header, as an API key.
                Auth::ApiKey {
                    key: "Authorization".into(),
                    value: format!("{prefix} {token}"),
                    location: ApiKeyLocation::Header,
                }
            }
        }
        "digest" => Auth::Digest(DigestAuth {
            username: get("username"),
            password: get("password"),
            ..DigestAuth::default()
        }),
        "apikey" => match node.str("addTo") {
            Some("cookie") => {
                report.warn(location, "API key sent as a cookie: kept with its settings, but Localpost sends API keys in a header or the query");
                let mut params = IndexMap::new();
                params.insert("key".to_owned(), get("key"));
                params.insert("value".to_owned(), get("value"));
                params.insert("addTo".to_owned(), "cookie".to_owned());
                Auth::Unsupported { kind: "apikey".into(), params }
            }
            Some("queryParams") => {
                Auth::ApiKey { key: get("key"), value: get("value"), location: ApiKeyLocation::Query }
            }
            _ => Auth::ApiKey { key: get("key"), value: get("value"), location: ApiKeyLocation::Header },
        },
        "iam" => Auth::AwsSigV4(AwsSigV4Auth {
            access_key: get("accessKeyId"),
            secret_key: get("secretAccessKey"),
            region: get("region"),
            service: get("service"),
            session_token: get("sessionToken"),
        }),
        "oauth2" => Auth::OAuth2(oauth2(node, location, report, templates)),
        "oauth1" => Auth::OAuth1(oauth1(node, location, report, templates)),
        // Insomnia checks Hawk's payload under `validatePayload`.
        "hawk" => Auth::Hawk(HawkAuth {
            auth_id: get("id"),
            auth_key: get("key"),
            algorithm: if node.text("algorithm").eq_ignore_ascii_case("sha1") {
                HawkAlgorithm::Sha1
            } else {
                HawkAlgorithm::Sha256
            },
            ext: get("ext"),
            include_payload_hash: node.bool("validatePayload") == Some(true),
            ..HawkAuth::default()
        }),
        "ntlm" => Auth::Ntlm(NtlmAuth {
            username: get("username"),
            password: get("password"),
            ..NtlmAuth::default()
        }),
        // Insomnia signs ASAP with RS256; `additionalClaims` is a JSON object.
        "asap" => Auth::Asap(AsapAuth {
            issuer: get("issuer"),
            subject: get("subject"),
            audience: get("audience"),
            key_id: get("keyId"),
            private_key: get("privateKey"),
            claims: get("additionalClaims"),
            ..AsapAuth::default()
        }),
        other => unsupported(other, node, location, report, templates),
    }
}

/// An auth kind Localpost cannot send: kept with its settings as text, and reported.
fn unsupported(
    kind: &str,
    node: &Node,
    location: &str,
    report: &mut Report,
    templates: &mut Templates,
) -> Auth {
    let mut params = IndexMap::new();
    for (key, value) in node.entries() {
        if key != "type" && key != "disabled" {
            params.insert(key.clone(), templates.convert(&value.to_text()));
        }
    }
    report.warn(location, format!("{kind} auth is kept with its settings but Localpost cannot send it"));
    Auth::Unsupported { kind: kind.to_owned(), params }
}

/// Insomnia's OAuth 1.0, which always goes in the header.
fn oauth1(node: &Node, location: &str, report: &mut Report, templates: &mut Templates) -> OAuth1Auth {
    let mut get = |key: &str| templates.convert(&node.text(key));
    let method = node.text("signatureMethod");
    let signature_method = OAuth1Method::parse(&method).unwrap_or_else(|| {
        if !method.is_empty() {
            report.warn(
                location,
                format!("OAuth 1.0 signature method `{method}` is unknown; read as HMAC-SHA1"),
            );
        }
        OAuth1Method::HmacSha1
    });
    let version = get("version");
    OAuth1Auth {
        signature_method,
        version: if version.is_empty() { "1.0".into() } else { version },
        in_header: true,
        include_body_hash: node.bool("includeBodyHash") == Some(true),
        ..oauth1_texts("tokenKey", get)
    }
}

pub(super) fn oauth2(
    node: &Node,
    location: &str,
    report: &mut Report,
    templates: &mut Templates,
) -> OAuth2Auth {
    let mut get = |key: &str| templates.convert(&node.text(key));
    let use_pkce = node.bool("usePkce") == Some(true);
    let grant = match node.str("grantType").unwrap_or("authorization_code") {
        "authorization_code" if use_pkce => OAuth2Grant::AuthorizationCodePkce,
        "implicit" => OAuth2Grant::Implicit,
        "password" => OAuth2Grant::Password,
        "client_credentials" => OAuth2Grant::ClientCredentials,
        "refresh_token" => {
            report.warn(location, "OAuth 2.0 refresh-token grant read as authorization code");
            OAuth2Grant::AuthorizationCode
        }
        _ => OAuth2Grant::AuthorizationCode,
    };
    let pkce_method = match node.str("pkceMethod") {
        Some("plain") => "plain",
        _ => "S256",
    };
    let auth = OAuth2Auth {
        grant,
        access_token_url: get("accessTokenUrl"),
        auth_url: get("authorizationUrl"),
        redirect_uri: get("redirectUrl"),
        client_id: get("clientId"),
        client_secret: get("clientSecret"),
        username: if matches!(grant, OAuth2Grant::Password) { get("username") } else { String::new() },
        password: if matches!(grant, OAuth2Grant::Password) { get("password") } else { String::new() },
        scope: get("scope"),
        audience: get("audience"),
        state: get("state"),
        code_challenge_method: if grant == OAuth2Grant::AuthorizationCodePkce {
            pkce_method.to_owned()
        } else {
            String::new()
        },
        client_auth: if node.bool("credentialsInBody") == Some(true) {
            OAuth2ClientAuth::Body
        } else {
            OAuth2ClientAuth::BasicHeader
        },
        header_prefix: get("tokenPrefix"),
        // Insomnia fetches a token on send; an import does not (the user turns it on).
        ..OAuth2Auth::default()
    };
    let mut dropped = Vec::new();
    // The response type only matters to the implicit grant (the code flow always asks for a code).
    if let Some(response_type) =
        node.str("responseType").filter(|r| grant == OAuth2Grant::Implicit && r.contains("id_token"))
    {
        dropped.push(format!("response type `{response_type}` (OpenID Connect ID token)"));
    }
    if !node.text("resource").is_empty() {
        dropped.push("resource".to_owned());
    }
    if !node.text("origin").is_empty() {
        dropped.push("origin".to_owned());
    }
    if grant != OAuth2Grant::Password
        && (!node.text("username").is_empty() || !node.text("password").is_empty())
    {
        dropped.push("username/password (only used by the password grant)".to_owned());
    }
    if !dropped.is_empty() {
        report.warn(location, format!("OAuth 2.0 settings Localpost does not have: {}", dropped.join(", ")));
    }
    auth
}
