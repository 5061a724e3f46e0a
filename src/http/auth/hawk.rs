//! Hawk (hapijs/hawk, header scheme 1) as Postman signs a request: a MAC over the method, the
//! resource, the host and port, an optional payload hash and `ext`/`app`/`dlg`, sent in
//! `Authorization: Hawk id="..", ts="..", nonce="..", [hash="..",] [ext="..",] mac=".."`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Digest as _;
use url::Url;

use crate::model::{HawkAlgorithm, HawkAuth};

/// The `Authorization` value for a request to `url` with `method`; `payload` is the body and the
/// `Content-Type` the user set, for the payload hash (`None`: no hash, as for an empty or
/// multipart body). `None` without an id or key (Postman then sends the request unsigned).
pub fn header(
    cfg: &HawkAuth,
    method: &str,
    url: &Url,
    payload: Option<(&[u8], Option<&str>)>,
    timestamp: &str,
    nonce: &str,
) -> Option<String> {
    if cfg.auth_id.is_empty() || cfg.auth_key.is_empty() {
        return None;
    }
    let ts = if cfg.timestamp.trim().parse::<i64>().is_ok_and(|t| t != 0) {
        cfg.timestamp.trim()
    } else {
        timestamp
    };
    let nonce = if cfg.nonce.is_empty() { nonce } else { &cfg.nonce };
    let hash = match (cfg.include_payload_hash, payload) {
        (true, Some((body, content_type))) => Some(payload_hash(cfg.algorithm, body, content_type)),
        _ => None,
    };
    let resource = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let port = url.port_or_known_default().unwrap_or(80);
    let mut normalized = format!(
        "hawk.1.header\n{ts}\n{nonce}\n{}\n{resource}\n{}\n{port}\n{}\n",
        method.to_ascii_uppercase(),
        url.host_str().unwrap_or_default().to_ascii_lowercase(),
        hash.as_deref().unwrap_or_default()
    );
    if !cfg.ext.is_empty() {
        // (Only the first backslash and line break are escaped, as Postman's Hawk does.)
        normalized.push_str(&cfg.ext.replacen('\\', "\\\\", 1).replacen('\n', "\\n", 1));
    }
    normalized.push('\n');
    if !cfg.app.is_empty() {
        normalized.push_str(&format!("{}\n{}\n", cfg.app, cfg.delegation));
    }
    let key = cfg.auth_key.as_bytes();
    let mac = match cfg.algorithm {
        HawkAlgorithm::Sha256 => Hmac::<sha2::Sha256>::new_from_slice(key)
            .map(|m| m.chain_update(&normalized).finalize().into_bytes().to_vec()),
        HawkAlgorithm::Sha1 => Hmac::<sha1::Sha1>::new_from_slice(key)
            .map(|m| m.chain_update(&normalized).finalize().into_bytes().to_vec()),
    }
    .map(|bytes| STANDARD.encode(bytes))
    .unwrap_or_default();
    let mut out = format!("Hawk id=\"{}\", ts=\"{ts}\", nonce=\"{nonce}\"", cfg.auth_id);
    if let Some(hash) = &hash {
        out.push_str(&format!(", hash=\"{hash}\""));
    }
    if !cfg.ext.is_empty() {
        out.push_str(&format!(", ext=\"{}\"", cfg.ext.replace('\\', "\\\\").replace('"', "\\\"")));
    }
    out.push_str(&format!(", mac=\"{mac}\""));
    if !cfg.app.is_empty() {
        out.push_str(&format!(", app=\"{}\"", cfg.app));
        if !cfg.delegation.is_empty() {
            out.push_str(&format!(", dlg=\"{}\"", cfg.delegation));
        }
    }
    Some(out)
}

/// A new nonce as Postman makes one: 6 letters or digits.
pub fn nonce() -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    (0..6).map(|_| char::from(CHARS[fastrand::usize(..CHARS.len())])).collect()
}

fn payload_hash(algorithm: HawkAlgorithm, body: &[u8], content_type: Option<&str>) -> String {
    let content_type = content_type
        .map(|t| t.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let mut input = format!("hawk.1.payload\n{content_type}\n").into_bytes();
    input.extend_from_slice(body);
    input.push(b'\n');
    match algorithm {
        HawkAlgorithm::Sha256 => STANDARD.encode(sha2::Sha256::digest(&input)),
        HawkAlgorithm::Sha1 => STANDARD.encode(sha1::Sha1::digest(&input)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> HawkAuth {
        HawkAuth {
            auth_id: "dh37fgj492je".into(),
            auth_key: "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn".into(),
            algorithm: HawkAlgorithm::Sha256,
            ..HawkAuth::default()
        }
    }

    // The examples of hapijs/hawk's README (its "Protocol Example" and "Payload Validation").
    #[test]
    fn the_hawk_readmes_examples_sign_as_published() {
        let url = Url::parse("http://example.com:8000/resource/1?b=1&a=2").unwrap();
        let ext = HawkAuth { ext: "some-app-ext-data".into(), ..cfg() };
        let h = header(&ext, "GET", &url, None, "1353832234", "j4h3g2").unwrap();
        assert_eq!(
            h,
            "Hawk id=\"dh37fgj492je\", ts=\"1353832234\", nonce=\"j4h3g2\", ext=\"some-app-ext-data\", \
             mac=\"6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE=\""
        );
        let hashed = HawkAuth { include_payload_hash: true, ..ext };
        let body: &[u8] = b"Thank you for flying Hawk";
        let h =
            header(&hashed, "POST", &url, Some((body, Some("text/plain"))), "1353832234", "j4h3g2").unwrap();
        assert_eq!(
            h,
            "Hawk id=\"dh37fgj492je\", ts=\"1353832234\", nonce=\"j4h3g2\", \
             hash=\"Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY=\", ext=\"some-app-ext-data\", \
             mac=\"aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw=\""
        );
    }

    #[test]
    fn without_an_id_or_key_nothing_is_signed_and_app_goes_last() {
        let url = Url::parse("https://h.test/").unwrap();
        assert_eq!(header(&HawkAuth { auth_key: String::new(), ..cfg() }, "GET", &url, None, "1", "n"), None);
        let app = HawkAuth { app: "app1".into(), delegation: "d1".into(), ..cfg() };
        let h = header(&app, "GET", &url, None, "1", "n").unwrap();
        assert!(h.ends_with(", app=\"app1\", dlg=\"d1\""), "{h}");
        assert_eq!(nonce().len(), 6);
    }
}
