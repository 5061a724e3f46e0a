//! AWS Signature Version 4: the canonical request, the string to sign, the signing key and the
//! `Authorization` header (header-based signing).

use hmac::{Hmac, Mac};
use percent_encoding::percent_decode_str;
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;
use url::Url;

use super::hex;

/// SHA-256 of an empty payload.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The payload hash used when a body cannot be hashed up front (streamed multipart).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Headers never signed: they may change on the way (or are the signature).
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "user-agent",
    "expect",
    "connection",
    "transfer-encoding",
    "content-length",
    "x-amzn-trace-id",
    "proxy-authorization",
    "cookie",
    "accept-encoding",
];

/// The credentials and scope of a signature.
pub struct Credentials<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
pub fn amz_date(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    at.to_offset(time::UtcOffset::UTC).format(format).unwrap_or_default()
}

fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// SHA-256 of a payload, hex.
pub fn payload_hash(data: &[u8]) -> String {
    sha256_hex(data)
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return Vec::new() };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn encode(s: &str) -> String {
    crate::http::url_build::encode_rfc3986(s)
}

/// The canonical URI: each segment decoded then encoded (twice for services other than S3).
fn canonical_uri(url: &Url, service: &str) -> String {
    let path = url.path();
    if path.is_empty() || path == "/" {
        return "/".to_owned();
    }
    path.split('/')
        .map(|seg| {
            let decoded = percent_decode_str(seg).decode_utf8_lossy();
            let once = encode(&decoded);
            if service.eq_ignore_ascii_case("s3") { once } else { encode(&once) }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn canonical_query(url: &Url) -> String {
    let Some(query) = url.query() else { return String::new() };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                encode(&percent_decode_str(k).decode_utf8_lossy()),
                encode(&percent_decode_str(v).decode_utf8_lossy()),
            )
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// The `Host` value: host, and the port when not the scheme's default.
pub fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// A computed signature.
pub struct Signature {
    pub authorization: String,
    pub canonical_request: String,
    pub string_to_sign: String,
}

/// Signs a request. `headers` must already hold `X-Amz-Date` (and `X-Amz-Security-Token`,
/// `X-Amz-Content-Sha256` when used); `host` is taken from the URL.
pub fn sign(
    creds: &Credentials<'_>,
    method: &str,
    url: &Url,
    headers: &[(String, String)],
    payload_sha256: &str,
    amz_date: &str,
) -> Signature {
    let mut canon: Vec<(String, String)> = vec![("host".to_owned(), host_header(url))];
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if name == "host" || UNSIGNED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match canon.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            None => canon.push((name, value)),
        }
    }
    canon.sort_by(|a, b| a.0.cmp(&b.0));
    let signed_headers = canon.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(";");
    let canonical_headers: String = canon.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical_request = format!(
        "{method}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_sha256}",
        canonical_uri(url, creds.service),
        canonical_query(url),
    );
    let date = amz_date.get(..8).unwrap_or(amz_date);
    let scope = format!("{date}/{}/{}/aws4_request", creds.region, creds.service);
    let string_to_sign =
        format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", sha256_hex(canonical_request.as_bytes()));
    let k_date = hmac(format!("AWS4{}", creds.secret_key).as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, creds.region.as_bytes());
    let k_service = hmac(&k_region, creds.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let signature = hex(&hmac(&k_signing, string_to_sign.as_bytes()));
    Signature {
        authorization: format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            creds.access_key
        ),
        canonical_request,
        string_to_sign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: Credentials<'static> = Credentials {
        access_key: "AKIDEXAMPLE",
        secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "service",
    };
    const DATE: &str = "20150830T123600Z";

    fn suite(method: &str, url: &str) -> String {
        let url = Url::parse(url).unwrap();
        sign(&SUITE, method, &url, &[("X-Amz-Date".into(), DATE.into())], EMPTY_SHA256, DATE).authorization
    }

    #[test]
    fn aws_test_suite_get_vanilla() {
        assert_eq!(
            suite("GET", "https://example.amazonaws.com/"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn aws_test_suite_query_order_and_post() {
        assert!(
            suite("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1")
                .ends_with("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
        );
        assert!(
            suite("POST", "https://example.amazonaws.com/")
                .ends_with("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
        );
    }

    #[test]
    fn s3_documented_get_object() {
        let creds = Credentials {
            access_key: "AKIAIOSFODNN7EXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "s3",
        };
        let url = Url::parse("https://examplebucket.s3.amazonaws.com/test.txt").unwrap();
        let headers = vec![
            ("Range".to_owned(), "bytes=0-9".to_owned()),
            ("x-amz-content-sha256".to_owned(), EMPTY_SHA256.to_owned()),
            ("x-amz-date".to_owned(), "20130524T000000Z".to_owned()),
            ("User-Agent".to_owned(), "localpost".to_owned()),
        ];
        let sig = sign(&creds, "GET", &url, &headers, EMPTY_SHA256, "20130524T000000Z");
        assert_eq!(
            sig.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn date_format() {
        let at = OffsetDateTime::from_unix_timestamp(1_440_938_160).unwrap();
        assert_eq!(amz_date(at), DATE);
    }
}
