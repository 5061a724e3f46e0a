//! OAuth 1.0a (RFC 5849) as Postman signs a request: which parameters are signed, the base
//! string, the key, and where the parameters go (the `Authorization` header, else the form body
//! of a POST or PUT, else the query). Postman's runtime is the reference: a collection moved
//! from Postman must put the same parameters on the wire.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use url::Url;

use crate::model::{OAuth1Auth, OAuth1Method};

/// The parameters Postman removes from a request before signing it (and then adds anew).
const OAUTH_PARAMS: [&str; 10] = [
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_version",
    "oauth_signature",
    "oauth_callback",
    "oauth_verifier",
    "oauth_body_hash",
];

/// HMAC of `text` with `key`, base64.
macro_rules! hmac_base64 {
    ($digest:ty, $key:expr, $text:expr) => {
        match Hmac::<$digest>::new_from_slice($key.as_bytes()) {
            Ok(mut mac) => {
                mac.update($text.as_bytes());
                STANDARD.encode(mac.finalize().into_bytes())
            }
            Err(_) => String::new(),
        }
    };
}

/// What a request looks like to the signer.
pub struct Message<'a> {
    pub method: &'a str,
    /// The URL as it will be sent.
    pub url: &'a Url,
    /// The fields of a URL-encoded body, decoded (`None`: the body is not a form).
    pub form: Option<&'a [(String, String)]>,
    /// The bytes of a raw body, for the body hash (`None`: no body, or one Postman does not hash).
    pub body: Option<&'a [u8]>,
    /// Whether there is a multipart or file body (Postman hashes neither).
    pub unhashable_body: bool,
}

/// Where the signed parameters go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The `Authorization` header's value.
    Header(String),
    /// Fields to add to the URL-encoded body, as values (the body's own encoding applies).
    Body(Vec<(String, String)>),
    /// Pairs to add to the query, already percent-encoded.
    Query(Vec<(String, String)>),
}

/// A signed request: the query to send (Postman re-encodes it as RFC 3986 when it signs) and
/// where the parameters go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub query: Option<String>,
    pub placement: Placement,
    /// The signature (a secret in clear for PLAINTEXT).
    pub signature: String,
}

/// Why a request cannot be signed: its RSA private key is unusable. Worded to follow
/// "OAuth 1.0 auth: ".
#[derive(Debug, thiserror::Error)]
pub enum OAuth1Error {
    #[error("its private key is not a PEM key (-----BEGIN ... KEY-----)")]
    NotPem,
    #[error("its private key cannot be read as an RSA key: {source}")]
    NotRsaKey { source: aws_lc_rs::error::KeyRejected },
    /// Not an RSA key, for RSA-SHA1's signer (which gives no reason).
    #[error("its private key cannot be read as an RSA key")]
    UnreadableRsaKey,
    #[error("its private key could not sign the request")]
    SigningFailed,
}

/// Signs `msg`. `None` when a required value is missing (the consumer key, and the consumer
/// secret or the RSA private key): Postman then sends the request unsigned. `timestamp` and
/// `nonce` are used where the auth leaves them empty.
pub fn sign(
    cfg: &OAuth1Auth,
    msg: &Message<'_>,
    timestamp: &str,
    nonce: &str,
) -> Result<Option<Signed>, OAuth1Error> {
    let method = cfg.signature_method;
    if cfg.consumer_key.is_empty()
        || (!method.is_rsa() && cfg.consumer_secret.is_empty())
        || (method.is_rsa() && cfg.private_key.is_empty())
    {
        return Ok(None);
    }
    // Postman leaves out the values that are blank unless asked to sign empty parameters.
    let keep = |v: &str| -> Option<String> {
        (cfg.add_empty_params_to_sign || !v.trim().is_empty()).then(|| v.to_owned())
    };
    let timestamp = if cfg.timestamp.is_empty() { timestamp } else { &cfg.timestamp };
    let nonce = if cfg.nonce.is_empty() { nonce } else { &cfg.nonce };
    let body_hash = match (msg.form, cfg.include_body_hash, digest_of(method)) {
        (None, true, Some(digest)) if !msg.unhashable_body => {
            Some(STANDARD.encode(digest(msg.body.unwrap_or_default())))
        }
        _ => None,
    };
    let mut params: Vec<(&str, String)> = [
        ("oauth_consumer_key", keep(&cfg.consumer_key)),
        ("oauth_token", keep(&cfg.token)),
        ("oauth_signature_method", keep(method.name())),
        ("oauth_timestamp", keep(timestamp)),
        ("oauth_nonce", keep(nonce)),
        ("oauth_version", keep(&cfg.version)),
        // The extensions are signed only when they have a value, whatever the setting.
        ("oauth_body_hash", body_hash.filter(|h| !h.is_empty())),
        ("oauth_callback", keep(&cfg.callback).filter(|v| !v.is_empty())),
        ("oauth_verifier", keep(&cfg.verifier).filter(|v| !v.is_empty())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| cfg.add_empty_params_to_sign || !v.is_empty()).map(|v| (k, v)))
    .collect();

    // The query without OAuth's own parameters, decoded.
    let query: Vec<(String, Option<String>)> = msg
        .url
        .query()
        .map(decode_form)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| !OAUTH_PARAMS.contains(&k.as_str()))
        .collect();
    let form: Vec<(String, String)> = msg
        .form
        .unwrap_or_default()
        .iter()
        .filter(|(k, _)| !OAUTH_PARAMS.contains(&k.as_str()))
        .cloned()
        .collect();
    let mut all: Vec<(String, Option<String>)> = query.clone();
    all.extend(params.iter().map(|(k, v)| ((*k).to_owned(), Some(v.clone()))));
    all.extend(form.iter().map(|(k, v)| (k.clone(), Some(v.clone()))));
    let base = base_string(msg.method, msg.url, &all);
    let key = format!(
        "{}&{}",
        percent_encode(&cfg.consumer_secret),
        percent_encode(if cfg.add_empty_params_to_sign || !cfg.token_secret.trim().is_empty() {
            &cfg.token_secret
        } else {
            ""
        })
    );
    let signature = match method {
        OAuth1Method::HmacSha1 => hmac_base64!(sha1::Sha1, key, base),
        OAuth1Method::HmacSha256 => hmac_base64!(sha2::Sha256, key, base),
        OAuth1Method::HmacSha512 => hmac_base64!(sha2::Sha512, key, base),
        OAuth1Method::Plaintext => key,
        OAuth1Method::RsaSha1 | OAuth1Method::RsaSha256 | OAuth1Method::RsaSha512 => {
            rsa_sign(method, &cfg.private_key, &base)?
        }
    };
    params.push(("oauth_signature", signature.clone()));

    let query_text = (!query.is_empty()).then(|| {
        query
            .iter()
            .map(|(k, v)| match v {
                Some(v) => format!("{}={}", percent_encode(k), percent_encode(v)),
                None => percent_encode(k),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    let post_or_put = msg.method.contains("POST") || msg.method.contains("PUT");
    let placement = if cfg.in_header {
        Placement::Header(header(&cfg.realm, &params, cfg.disable_header_encoding))
    } else if post_or_put && msg.form.is_some() {
        Placement::Body(params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    } else {
        Placement::Query(params.into_iter().map(|(k, v)| (k.to_owned(), percent_encode(&v))).collect())
    };
    Ok(Some(Signed { query: query_text, placement, signature }))
}

/// A new nonce as Postman makes one: 11 characters of its alphabet.
pub fn nonce() -> String {
    // (Postman's alphabet, its typo included: a second T where the Y belongs.)
    const CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXTZabcdefghiklmnopqrstuvwxyz";
    (0..11).map(|_| char::from(CHARS[fastrand::usize(..CHARS.len())])).collect()
}

/// Seconds since the epoch, as text.
pub fn timestamp() -> String {
    time::OffsetDateTime::now_utc().unix_timestamp().to_string()
}

/// The `Authorization` header: `OAuth realm="..",oauth_consumer_key="..",...` (empty values
/// left out).
fn header(realm: &str, params: &[(&str, String)], raw: bool) -> String {
    let enc = |s: &str| if raw { s.to_owned() } else { percent_encode(s) };
    let mut parts = Vec::new();
    if !realm.trim().is_empty() {
        parts.push(format!("realm=\"{}\"", enc(realm)));
    }
    for (k, v) in params {
        let v = v.trim();
        if !v.is_empty() {
            parts.push(format!("{}=\"{}\"", enc(k), enc(v)));
        }
    }
    format!("OAuth {}", parts.join(","))
}

/// RFC 5849 §3.4.1: `METHOD&url&params`, each part percent-encoded.
fn base_string(method: &str, url: &Url, params: &[(String, Option<String>)]) -> String {
    let mut sortable: Vec<(String, String, String)> = params
        .iter()
        .filter(|(k, _)| k != "oauth_signature")
        .map(|(k, v)| {
            let (k, v) = (percent_encode(k), percent_encode(v.as_deref().unwrap_or_default()));
            (format!("{k} {v}"), k, v)
        })
        .collect();
    sortable.sort_by(|a, b| a.0.cmp(&b.0));
    let normalized: Vec<String> = sortable.into_iter().map(|(_, k, v)| format!("{k}={v}")).collect();
    format!(
        "{}&{}&{}",
        percent_encode(&method.to_ascii_uppercase()),
        percent_encode(&base_url(url)),
        percent_encode(&normalized.join("&"))
    )
}

/// The URL without query and fragment, scheme and host lowercase, the port only when it is not
/// 80 or 443 (Postman drops either port whatever the scheme).
fn base_url(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = match url.port() {
        Some(port) if port != 80 && port != 443 => format!("{host}:{port}"),
        _ => host,
    };
    let path = if url.path().is_empty() { "/" } else { url.path() };
    format!("{}://{host}{path}", url.scheme().to_ascii_lowercase())
}

/// RFC 3986 percent-encoding, as OAuth wants it (the same as AWS's).
pub fn percent_encode(text: &str) -> String {
    crate::http::url_build::encode_rfc3986(text)
}

/// A query or form as Postman's OAuth code reads it: `+` is a space, a name without `=` has no
/// value.
fn decode_form(text: &str) -> Vec<(String, Option<String>)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s).decode_utf8_lossy().into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), Some(decode(v))),
            None => (decode(p), None),
        })
        .collect()
}

/// A hash function over a body.
type BodyDigest = fn(&[u8]) -> Vec<u8>;

/// The digest a body hash uses: the signature method's (none for PLAINTEXT).
fn digest_of(method: OAuth1Method) -> Option<BodyDigest> {
    use sha2::Digest as _;
    match method {
        OAuth1Method::HmacSha1 | OAuth1Method::RsaSha1 => Some(|b| sha1::Sha1::digest(b).to_vec()),
        OAuth1Method::HmacSha256 | OAuth1Method::RsaSha256 => Some(|b| sha2::Sha256::digest(b).to_vec()),
        OAuth1Method::HmacSha512 | OAuth1Method::RsaSha512 => Some(|b| sha2::Sha512::digest(b).to_vec()),
        OAuth1Method::Plaintext => None,
    }
}

/// RSASSA-PKCS1-v1_5 over `text` with the PEM key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE
/// KEY`).
fn rsa_sign(method: OAuth1Method, pem: &str, text: &str) -> Result<String, OAuth1Error> {
    use aws_lc_rs::{rand::SystemRandom, rsa::KeyPair, signature};
    let (label, der) = pem_body(pem).ok_or(OAuth1Error::NotPem)?;
    let encoding = match method {
        OAuth1Method::RsaSha256 => &signature::RSA_PKCS1_SHA256,
        OAuth1Method::RsaSha512 => &signature::RSA_PKCS1_SHA512,
        _ => {
            let digest = <sha1::Sha1 as sha1::Digest>::digest(text.as_bytes());
            return super::rsa_sha1::sign(&der, &digest).map(|sig| STANDARD.encode(sig));
        }
    };
    let key = if label == "RSA PRIVATE KEY" { KeyPair::from_der(&der) } else { KeyPair::from_pkcs8(&der) }
        .map_err(|source| OAuth1Error::NotRsaKey { source })?;
    let mut sig = vec![0; key.public_modulus_len()];
    key.sign(encoding, &SystemRandom::new(), text.as_bytes(), &mut sig)
        .map_err(|_| OAuth1Error::SigningFailed)?;
    Ok(STANDARD.encode(sig))
}

/// The label and the decoded bytes of the first PEM block holding a private key (a file may
/// hold a certificate before it).
pub(super) fn pem_body(pem: &str) -> Option<(String, Vec<u8>)> {
    let mut rest = pem;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let label_end = after.find("-----")?;
        let label = after[..label_end].trim().to_owned();
        let body = &after[label_end + 5..];
        let end = body.find("-----END ")?;
        if label.ends_with("PRIVATE KEY") {
            let text: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
            return STANDARD.decode(text).ok().map(|der| (label, der));
        }
        rest = &body[end..];
        rest = rest.get("-----END ".len()..).unwrap_or_default();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> OAuth1Auth {
        OAuth1Auth {
            consumer_key: "dpf43f3p2l4k3l03".into(),
            consumer_secret: "kd94hf93k423kf44".into(),
            token: "nnch734d00sl2jdk".into(),
            token_secret: "pfkkdhi9sl3r4s00".into(),
            timestamp: "1191242096".into(),
            nonce: "kllo9940pd9333jh".into(),
            version: "1.0".into(),
            in_header: true,
            ..OAuth1Auth::default()
        }
    }

    fn message<'a>(url: &'a Url) -> Message<'a> {
        Message { method: "GET", url, form: None, body: None, unhashable_body: false }
    }

    // The example of the OAuth 1.0 specification (Appendix A.5): its base string and signature.
    #[test]
    fn the_specifications_example_signs_as_published() {
        let url = Url::parse("http://photos.example.net/photos?file=vacation.jpg&size=original").unwrap();
        let params: Vec<(String, Option<String>)> = decode_form("file=vacation.jpg&size=original")
            .into_iter()
            .chain(
                [
                    ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
                    ("oauth_token", "nnch734d00sl2jdk"),
                    ("oauth_signature_method", "HMAC-SHA1"),
                    ("oauth_timestamp", "1191242096"),
                    ("oauth_nonce", "kllo9940pd9333jh"),
                    ("oauth_version", "1.0"),
                ]
                .map(|(k, v)| (k.to_owned(), Some(v.to_owned()))),
            )
            .collect();
        assert_eq!(
            base_string("GET", &url, &params),
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03\
             %26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096\
             %26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal"
        );
        let signed = sign(&cfg(), &message(&url), "", "").unwrap().unwrap();
        assert_eq!(signed.signature, "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
        assert_eq!(
            signed.placement,
            Placement::Header(
                "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\",oauth_token=\"nnch734d00sl2jdk\",\
                 oauth_signature_method=\"HMAC-SHA1\",oauth_timestamp=\"1191242096\",oauth_nonce=\"kllo9940pd9333jh\",\
                 oauth_version=\"1.0\",oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\""
                    .into()
            )
        );
    }

    // RFC 5849's own example (§3.4.1.1): a form body, a repeated query name, encoded characters.
    #[test]
    fn the_rfcs_example_base_string_is_built_from_query_form_and_oauth_parameters() {
        let url = Url::parse("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b").unwrap();
        let mut params = decode_form(url.query().unwrap());
        params.extend(
            [
                ("oauth_consumer_key", "9djdj82h48djs9d2"),
                ("oauth_token", "kkk9d7dh3k39sjv7"),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", "137131201"),
                ("oauth_nonce", "7d8f3e4a"),
                ("c2", ""),
                ("a3", "2 q"),
            ]
            .map(|(k, v)| (k.to_owned(), Some(v.to_owned()))),
        );
        assert_eq!(
            base_string("POST", &url, &params),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D\
             %26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1\
             %26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
        );
    }

    #[test]
    fn parameters_go_to_the_query_or_the_form_when_not_in_the_header() {
        let url = Url::parse("http://h.test/p?x=a!b").unwrap();
        let query = OAuth1Auth { in_header: false, ..cfg() };
        let signed = sign(&query, &message(&url), "", "").unwrap().unwrap();
        // The query is re-encoded as RFC 3986 (as Postman does when it signs).
        assert_eq!(signed.query.as_deref(), Some("x=a%21b"));
        let Placement::Query(pairs) = &signed.placement else { panic!("{:?}", signed.placement) };
        assert_eq!(pairs[0], ("oauth_consumer_key".to_owned(), "dpf43f3p2l4k3l03".to_owned()));
        assert_eq!(pairs.last().map(|p| p.0.as_str()), Some("oauth_signature"));
        let form = vec![("f".to_owned(), "1".to_owned())];
        let post = Message { method: "POST", form: Some(&form), ..message(&url) };
        assert!(matches!(sign(&query, &post, "", "").unwrap().unwrap().placement, Placement::Body(_)));
        // A GET with a form still signs into the query.
        let get = Message { form: Some(&form), ..message(&url) };
        assert!(matches!(sign(&query, &get, "", "").unwrap().unwrap().placement, Placement::Query(_)));
    }

    #[test]
    fn without_a_consumer_secret_nothing_is_signed_and_blank_values_are_left_out() {
        let url = Url::parse("http://h.test/").unwrap();
        let none = OAuth1Auth { consumer_secret: String::new(), ..cfg() };
        assert_eq!(sign(&none, &message(&url), "", "").unwrap(), None);
        let blank = OAuth1Auth { token: String::new(), version: String::new(), realm: "r m".into(), ..cfg() };
        let Placement::Header(h) = sign(&blank, &message(&url), "", "").unwrap().unwrap().placement else {
            panic!()
        };
        assert!(h.starts_with("OAuth realm=\"r%20m\",oauth_consumer_key="), "{h}");
        assert!(!h.contains("oauth_token") && !h.contains("oauth_version"), "{h}");
        // Signing empty parameters keeps them in the signature; the header still skips them.
        let empty = OAuth1Auth { add_empty_params_to_sign: true, ..blank };
        let Placement::Header(h2) = sign(&empty, &message(&url), "", "").unwrap().unwrap().placement else {
            panic!()
        };
        assert_ne!(h, h2, "a different signature");
        assert!(!h2.contains("oauth_token"), "{h2}");
    }

    #[test]
    fn plaintext_signs_with_the_key_and_a_body_hash_is_signed_when_asked() {
        let url = Url::parse("http://h.test/").unwrap();
        let plain = OAuth1Auth { signature_method: OAuth1Method::Plaintext, ..cfg() };
        assert_eq!(
            sign(&plain, &message(&url), "", "").unwrap().unwrap().signature,
            "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
        );
        let hashed = OAuth1Auth { include_body_hash: true, ..cfg() };
        let body = Message { method: "POST", body: Some(b"Hello World!"), ..message(&url) };
        let Placement::Header(h) = sign(&hashed, &body, "", "").unwrap().unwrap().placement else { panic!() };
        // SHA-1 of "Hello World!", base64 (the body-hash draft's example).
        assert!(h.contains("oauth_body_hash=\"Lve95gjOVATpfV8EL5X4nxwjKHE%3D\""), "{h}");
    }

    // Node's `crypto.createSign` (what Postman signs with) over the same base string and key
    // (a key made for these tests) gave these; PKCS #1 v1.5 signatures are deterministic.
    #[test]
    fn rsa_signatures_match_nodes() {
        let base = "GET&http%3A%2F%2Fh.test%2F&a%3Db";
        let pkcs8 = include_str!("../../../tests/fixtures/oauth1/test-key-pkcs8.pem");
        let pkcs1 = include_str!("../../../tests/fixtures/oauth1/test-key-pkcs1.pem");
        let sha256 = "kdLheludrhSJmNC65mmzUbR8k9NQiOnL1E7rSKbQ/bf4F2ti8bYDRlUFkZcSPucsUWQJDaal3YqGrZPtLp9yFc0BZXv8pXShMJHWHUObsJbDopy8BMMl3jIeOVjOSAly11cI7sGe+YQd+TeTnM/cezWdFKSLyzWGMHm0sKcy3y8BwjZWrqdlMOJJMPwqJqiz83mxaKsauyDfnlC7BS+mP3ZeZUucpyJoy3l5gWVtqRvnpw6nucjMVBWXB2BUC/8f/I0miWr7EhNi/0HbbonOj6y6sVtMNr+acueWn0iJ6A38dZs22gQ585HgLy0xroIRNrrkLkqz19qNF5NiDi535g==";
        let sha512 = "jFfh1zL6wLh2CkEhM3GIH6Q6FiAbC/8PygZ8fRX2vak9iH5D/fGtwvnupEBMrl1RLq7f7Uzu9CVX0yxUXhCHXBGboznaikw06D/xRfCrJVmSXUzbaPNpuYal6KrqcjEQga6Is6hPkCdIaDVk5GhZCNwsik7NfwJk25kM0h1V6ybCo/E/+rZ8cbwBbDBsaATvLVdWpcoNk2jdhnaHeyCTwhAs0UqOHlJill8sblZv68MzfyUWGWyGX81loysYErwpb/ua0YEGMakVZaAMcpL2MbhBKlaAebXVJkjycyMbj9Mm4MCrx8i2JsfsAIBUtn6W++QGrsCaX2ZNvf07J87g9w==";
        assert_eq!(rsa_sign(OAuth1Method::RsaSha256, pkcs8, base).unwrap(), sha256);
        assert_eq!(rsa_sign(OAuth1Method::RsaSha256, pkcs1, base).unwrap(), sha256);
        assert_eq!(rsa_sign(OAuth1Method::RsaSha512, pkcs8, base).unwrap(), sha512);
        let sha1 = "2os5GGzSg/8aTd48xS4Tn+lwGqxk3p0vEB4BwncvZdnA4x8c/gzAU1tRXZeTC/Hxbj5yqtGkXOCEOxrKcb3gA/+IrK3gTWvvfubEQjLUJgkzZZivNKhaEx08qBNu20wZjIlvE95V21SPmjYSko1ZRcejVPdzvGjz5zm13efaO4O6qWrXB+YCfI7eiou1NkFmMRi8sQ15s1/M1ttSbBIDwjybfO3zD9O5VoaunHA0aAtuBbafdbnvoSqrI0F51Q1EPsUUVkK5rTFwHLtKj4yhKD4parpM+7hCNat4KN0mYL3Wbj+0rKx8LBjXFFA4AOT5wV/NmrVF9h1rqhol7R3qug==";
        assert_eq!(rsa_sign(OAuth1Method::RsaSha1, pkcs8, base).unwrap(), sha1);
        assert_eq!(rsa_sign(OAuth1Method::RsaSha1, pkcs1, base).unwrap(), sha1);
        // A certificate before the key is skipped.
        let bundle = format!("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n{pkcs8}");
        assert_eq!(rsa_sign(OAuth1Method::RsaSha256, &bundle, base).unwrap(), sha256);
    }

    #[test]
    fn rsa_keys_sign_and_bad_keys_say_why() {
        let url = Url::parse("http://h.test/").unwrap();
        let bad =
            OAuth1Auth { signature_method: OAuth1Method::RsaSha256, private_key: "nope".into(), ..cfg() };
        let e = sign(&bad, &message(&url), "", "").unwrap_err().to_string();
        assert!(e.contains("not a PEM key"), "{e}");
        let garbage = OAuth1Auth {
            private_key: "-----BEGIN PRIVATE KEY-----\nVGVzdA==\n-----END PRIVATE KEY-----".into(),
            ..bad
        };
        let e = sign(&garbage, &message(&url), "", "").unwrap_err().to_string();
        assert!(e.starts_with("its private key cannot be read as an RSA key: "), "{e}");
        let sha1 = OAuth1Auth { signature_method: OAuth1Method::RsaSha1, ..garbage };
        let e = sign(&sha1, &message(&url), "", "").unwrap_err();
        assert!(matches!(e, OAuth1Error::UnreadableRsaKey), "{e}");
        assert_eq!(e.to_string(), "its private key cannot be read as an RSA key");
    }

    #[test]
    fn nonces_are_postmans_shape() {
        let n = nonce();
        assert_eq!(n.len(), 11);
        assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
}
