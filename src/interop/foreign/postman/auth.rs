//! Authentication: Postman's auth types and their parameters as Localpost's.

use indexmap::IndexMap;

use crate::interop::Report;
use crate::interop::foreign::node::Node;
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

pub(super) fn oauth2(params: &[(&str, &Node)], location: &str, report: &mut Report) -> OAuth2Auth {
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
