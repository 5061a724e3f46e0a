//! Akamai EdgeGrid (EG1-HMAC-SHA256) as Postman signs it (postman-runtime's edgegrid
//! authorizer): a signing key made from the timestamp, then a MAC over the method, scheme, host,
//! path with query, the chosen headers, a hash of a POST body and the header's own fields.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::model::EdgeGridAuth;

/// The most body bytes hashed when the auth does not say.
const DEFAULT_MAX_BODY: usize = 131_072;

/// What is signed besides the auth's fields.
pub struct Signed<'a> {
    pub method: &'a str,
    pub url: &'a url::Url,
    /// The request's headers (names in any case).
    pub headers: &'a [(String, String)],
    /// The body as sent (hashed for POST only, as Postman does; `None` for a form-data body,
    /// which Postman does not hash).
    pub body: Option<&'a [u8]>,
    pub timestamp: &'a str,
    pub nonce: &'a str,
}

/// The `Authorization` value, or `None` when the access token, client token or client secret is
/// empty (Postman sends the request unsigned then).
pub fn authorization(cfg: &EdgeGridAuth, r: &Signed<'_>) -> Option<String> {
    if cfg.access_token.is_empty() || cfg.client_token.is_empty() || cfg.client_secret.is_empty() {
        return None;
    }
    let mut head = format!(
        "EG1-HMAC-SHA256 client_token={};access_token={};timestamp={};nonce={};",
        cfg.client_token, cfg.access_token, r.timestamp, r.nonce
    );
    let host = Some(cfg.base_url.trim())
        .filter(|b| !b.is_empty())
        .and_then(|b| {
            let with_scheme = if b.contains("://") { b.to_owned() } else { format!("https://{b}") };
            url::Url::parse(&with_scheme).ok()
        })
        .map_or_else(|| host_of(r.url), |u| host_of(&u));
    let path = match r.url.query() {
        Some(q) => format!("{}?{q}", r.url.path()),
        None => r.url.path().to_owned(),
    };
    let max_body =
        cfg.max_body_size.trim().parse::<usize>().ok().filter(|n| *n > 0).unwrap_or(DEFAULT_MAX_BODY);
    let body_hash = match r.body {
        Some(body) if r.method == "POST" && !body.is_empty() => {
            STANDARD.encode(Sha256::digest(&body[..body.len().min(max_body)]))
        }
        _ => String::new(),
    };
    let data = [
        r.method,
        r.url.scheme(),
        &host,
        if path.is_empty() { "/" } else { &path },
        &canonical_headers(&cfg.headers_to_sign, r.headers),
        &body_hash,
        &head,
    ]
    .join("\t");
    let key = hmac_base64(cfg.client_secret.as_bytes(), r.timestamp.as_bytes());
    head.push_str("signature=");
    head.push_str(&hmac_base64(key.as_bytes(), data.as_bytes()));
    Some(head)
}

/// The most body bytes hashed: the auth's `max_body_size`, or 128 KiB when empty or not a number.
pub fn max_body(cfg: &EdgeGridAuth) -> usize {
    cfg.max_body_size.trim().parse::<usize>().ok().filter(|n| *n > 0).unwrap_or(DEFAULT_MAX_BODY)
}

/// Host and port as Node's URL gives them (the port only when not the scheme's default).
fn host_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// `name:value` for each header named in `to_sign` (comma-separated) that the request has once
/// with a non-empty value, lower-cased, value trimmed and its whitespace runs made one space;
/// joined by tabs.
fn canonical_headers(to_sign: &str, headers: &[(String, String)]) -> String {
    to_sign
        .split(',')
        .filter_map(|name| {
            let name = name.trim().to_ascii_lowercase();
            let mut values = headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(&name));
            let (_, value) = values.next()?;
            // A header given twice is a list in Postman's request, and is not signed.
            if values.next().is_some() || value.is_empty() {
                return None;
            }
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            Some(format!("{name}:{value}"))
        })
        .collect::<Vec<_>>()
        .join("\t")
}

fn hmac_base64(key: &[u8], data: &[u8]) -> String {
    let mac = Hmac::<Sha256>::new_from_slice(key).map(|m| m.chain_update(data).finalize().into_bytes());
    mac.map(|m| STANDARD.encode(m)).unwrap_or_default()
}

/// The time of sending as EdgeGrid writes it: `20140321T19:34:21+0000`.
pub fn timestamp(now: std::time::SystemTime) -> String {
    let at = time::OffsetDateTime::from(now).to_offset(time::UtcOffset::UTC);
    let format = time::macros::format_description!("[year][month][day]T[hour]:[minute]:[second]+0000");
    at.format(format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net";

    fn cfg() -> EdgeGridAuth {
        EdgeGridAuth {
            access_token: "akab-access-token-xxx-xxxxxxxxxxxxxxxx".into(),
            client_token: "akab-client-token-xxx-xxxxxxxxxxxxxxxx".into(),
            client_secret: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=".into(),
            headers_to_sign: "X-Test1,X-Test2,X-Test3".into(),
            max_body_size: "2048".into(),
            ..EdgeGridAuth::default()
        }
    }

    fn sign(cfg: &EdgeGridAuth, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> String {
        let url = url::Url::parse(&format!("{BASE}{path}")).unwrap();
        let headers: Vec<(String, String)> =
            headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let value = authorization(
            cfg,
            &Signed {
                method,
                url: &url,
                headers: &headers,
                body: Some(body.as_bytes()),
                timestamp: "20140321T19:34:21+0000",
                nonce: "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            },
        )
        .unwrap();
        let (head, signature) = value.split_once("signature=").unwrap();
        assert_eq!(
            head,
            "EG1-HMAC-SHA256 client_token=akab-client-token-xxx-xxxxxxxxxxxxxxxx;\
             access_token=akab-access-token-xxx-xxxxxxxxxxxxxxxx;timestamp=20140321T19:34:21+0000;\
             nonce=nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx;"
        );
        signature.to_owned()
    }

    // Akamai's published test data (testdata.json of the EdgeGrid client libraries).
    #[test]
    fn akamai_test_vectors() {
        let c = cfg();
        assert_eq!(sign(&c, "GET", "/", &[], ""), "tL+y4hxyHxgWVD30X3pWnGKHcPzmrIF+LThiAOhMxYU=");
        assert_eq!(
            sign(&c, "GET", "/testapi/v1/t1?p1=1&p2=2", &[], ""),
            "hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA="
        );
        assert_eq!(
            sign(&c, "POST", "/testapi/v1/t3", &[], "datadatadatadatadatadatadatadata"),
            "hXm4iCxtpN22m4cbZb4lVLW5rhX8Ca82vCFqXzSTPe4="
        );
        assert_eq!(
            sign(&c, "POST", "/testapi/v1/t6", &[], ""),
            "1gEDxeQGD5GovIkJJGcBaKnZ+VaPtrc4qBUHixjsPCQ="
        );
    }

    // Headers, a base URL and a body limit, checked against postman-runtime's own
    // `computeHeader` (node, the same inputs).
    #[test]
    fn signs_what_postman_signs() {
        let c = EdgeGridAuth { headers_to_sign: "X-Test1, x-test2,X-Test3".into(), ..cfg() };
        let headers = [("X-Test1", "  test-simple-header  "), ("x-test2", "a   b\tc"), ("X-Other", "no")];
        assert_eq!(
            sign(&c, "GET", "/testapi/v1/t4?a=1", &headers, ""),
            "CN30poITLYV4AhTc/syPw6tfnVl1hxuhZk7FDI03EWU="
        );
        // A header given twice is not signed; neither is one the list does not name.
        let twice = [("X-Test1", "a"), ("X-Test1", "b")];
        assert_eq!(sign(&c, "GET", "/t", &twice, ""), sign(&c, "GET", "/t", &[("X-Other", "x")], ""));
        // Only the first max-body bytes are hashed; a GET body is not hashed at all.
        let long = "d".repeat(2049);
        assert_eq!(sign(&c, "POST", "/t", &[], &long), sign(&c, "POST", "/t", &[], &long[..2048]));
        assert_eq!(sign(&c, "GET", "/t", &[], "body"), sign(&c, "GET", "/t", &[], ""));
        // The base URL's host replaces the request's.
        let based = EdgeGridAuth { base_url: BASE.into(), ..cfg() };
        let url = url::Url::parse("http://127.0.0.1:9/t").unwrap();
        let at = |cfg: &EdgeGridAuth, url: &url::Url| {
            authorization(
                cfg,
                &Signed {
                    method: "GET",
                    url,
                    headers: &[],
                    body: None,
                    timestamp: "20140321T19:34:21+0000",
                    nonce: "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                },
            )
            .unwrap()
        };
        assert_ne!(at(&based, &url), at(&cfg(), &url));
        let akamai = url::Url::parse(&format!("http://{}/t", &BASE["https://".len()..])).unwrap();
        assert_eq!(at(&based, &url), at(&cfg(), &akamai));
        // Without the three credentials, nothing is signed.
        assert!(
            authorization(
                &EdgeGridAuth { client_secret: String::new(), ..cfg() },
                &Signed { method: "GET", url: &url, headers: &[], body: None, timestamp: "t", nonce: "n" }
            )
            .is_none()
        );
    }

    #[test]
    fn timestamps_are_edgegrids() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_395_430_461);
        assert_eq!(timestamp(t), "20140321T19:34:21+0000");
        let leap = std::time::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400);
        assert_eq!(timestamp(leap), "20000229T00:00:00+0000");
    }
}
