//! HTTP Digest access authentication (RFC 7616, and RFC 2069/2617 servers): parse the
//! `WWW-Authenticate` challenge, compute the `Authorization` answer.

use md5::Md5;
use sha2::{Digest as _, Sha256, Sha512_256};

use super::hex;
use crate::model::DigestAuth;

/// One `Digest` challenge from a `WWW-Authenticate` header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    /// As the server wrote it (`MD5` when absent).
    pub algorithm: String,
    /// The qop values offered (`auth`, `auth-int`); empty for an RFC 2069 server.
    pub qop: Vec<String>,
    pub userhash: bool,
}

/// Splits `WWW-Authenticate` values into `(scheme, params)` challenges. Handles several
/// challenges in one header and quoted values with commas and escapes.
pub fn parse_www_authenticate(values: &[&str]) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for value in values {
        let chars: Vec<char> = value.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            while i < chars.len() && (chars[i] == ',' || chars[i].is_whitespace()) {
                i += 1;
            }
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ',' && chars[i] != '=' {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            if token.is_empty() {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j] == '=' {
                // A parameter of the current challenge.
                i = j + 1;
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                let mut val = String::new();
                if i < chars.len() && chars[i] == '"' {
                    i += 1;
                    while i < chars.len() && chars[i] != '"' {
                        if chars[i] == '\\' && i + 1 < chars.len() {
                            i += 1;
                        }
                        val.push(chars[i]);
                        i += 1;
                    }
                    i += 1;
                } else {
                    while i < chars.len() && chars[i] != ',' && !chars[i].is_whitespace() {
                        val.push(chars[i]);
                        i += 1;
                    }
                }
                if let Some(last) = out.last_mut() {
                    last.1.push((token.to_ascii_lowercase(), val));
                }
            } else {
                out.push((token, Vec::new()));
            }
        }
    }
    out
}

/// The `Digest` challenges among `WWW-Authenticate` values.
pub fn digest_challenges(values: &[&str]) -> Vec<Challenge> {
    parse_www_authenticate(values)
        .into_iter()
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("digest"))
        .map(|(_, params)| {
            let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            Challenge {
                realm: get("realm").unwrap_or_default(),
                nonce: get("nonce").unwrap_or_default(),
                opaque: get("opaque"),
                algorithm: get("algorithm").unwrap_or_else(|| "MD5".to_owned()),
                qop: get("qop")
                    .map(|q| {
                        q.split(',')
                            .map(|s| s.trim().to_ascii_lowercase())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                userhash: get("userhash").is_some_and(|v| v.eq_ignore_ascii_case("true")),
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Algo {
    Md5,
    Sha256,
    Sha512_256,
}

fn parse_algorithm(name: &str) -> Option<(Algo, bool)> {
    let upper = name.to_ascii_uppercase();
    let (base, sess) = match upper.strip_suffix("-SESS") {
        Some(base) => (base.to_owned(), true),
        None => (upper, false),
    };
    let algo = match base.as_str() {
        "MD5" => Algo::Md5,
        "SHA-256" => Algo::Sha256,
        "SHA-512-256" => Algo::Sha512_256,
        _ => return None,
    };
    Some((algo, sess))
}

fn h(algo: Algo, data: &str) -> String {
    h_bytes(algo, data.as_bytes())
}

fn h_bytes(algo: Algo, data: &[u8]) -> String {
    match algo {
        Algo::Md5 => hex(&Md5::digest(data)),
        Algo::Sha256 => hex(&Sha256::digest(data)),
        Algo::Sha512_256 => hex(&Sha512_256::digest(data)),
    }
}

/// Picks the challenge to answer: the user's pinned algorithm if offered, else the strongest.
pub fn choose<'a>(challenges: &'a [Challenge], preferred: &str) -> Option<&'a Challenge> {
    let supported = challenges.iter().filter(|c| parse_algorithm(&c.algorithm).is_some());
    if !preferred.is_empty()
        && let Some(c) = challenges.iter().find(|c| c.algorithm.eq_ignore_ascii_case(preferred))
    {
        return Some(c);
    }
    supported.max_by_key(|c| match parse_algorithm(&c.algorithm) {
        Some((Algo::Sha512_256, _)) => 3,
        Some((Algo::Sha256, _)) => 2,
        _ => 1,
    })
}

/// Why a challenge cannot be answered, worded to follow "digest auth: ".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("the server asks for the unsupported digest algorithm {algorithm}")]
    UnsupportedAlgorithm { algorithm: String },
    /// Neither `auth` is offered nor `auth-int` with a body to hash.
    #[error("the server offers no usable qop ({})", .offered.join(", "))]
    NoUsableQop { offered: Vec<String> },
}

/// A fresh client nonce.
pub fn new_cnonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The `Authorization` header value answering `challenge` for `method` on `uri` (the request
/// target: path and query). `body` is needed only for `qop=auth-int`.
pub fn authorization(
    challenge: &Challenge,
    creds: &DigestAuth,
    method: &str,
    uri: &str,
    body: Option<&[u8]>,
    cnonce: &str,
    nc: u32,
) -> Result<String, DigestError> {
    let (algo, sess) = parse_algorithm(&challenge.algorithm)
        .ok_or_else(|| DigestError::UnsupportedAlgorithm { algorithm: challenge.algorithm.clone() })?;
    let qop = if challenge.qop.is_empty() {
        None
    } else if challenge.qop.iter().any(|q| q == "auth") {
        Some("auth")
    } else if challenge.qop.iter().any(|q| q == "auth-int") && body.is_some() {
        Some("auth-int")
    } else {
        return Err(DigestError::NoUsableQop { offered: challenge.qop.clone() });
    };
    let realm = &challenge.realm;
    let nonce = &challenge.nonce;
    let nc = format!("{nc:08x}");
    let mut ha1 = h(algo, &format!("{}:{realm}:{}", creds.username, creds.password));
    if sess {
        ha1 = h(algo, &format!("{ha1}:{nonce}:{cnonce}"));
    }
    let ha2 = match qop {
        Some("auth-int") => h(algo, &format!("{method}:{uri}:{}", h_bytes(algo, body.unwrap_or_default()))),
        _ => h(algo, &format!("{method}:{uri}")),
    };
    let response = match qop {
        Some(q) => h(algo, &format!("{ha1}:{nonce}:{nc}:{cnonce}:{q}:{ha2}")),
        None => h(algo, &format!("{ha1}:{nonce}:{ha2}")),
    };
    let username = if challenge.userhash {
        h(algo, &format!("{}:{realm}", creds.username))
    } else {
        creds.username.clone()
    };
    let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}, response=\"{response}\"",
        q(&username),
        q(realm),
        q(nonce),
        q(uri),
        challenge.algorithm
    );
    if let Some(qop) = qop {
        out.push_str(&format!(", qop={qop}, nc={nc}, cnonce=\"{}\"", q(cnonce)));
    }
    if let Some(opaque) = &challenge.opaque {
        out.push_str(&format!(", opaque=\"{}\"", q(opaque)));
    }
    if challenge.userhash {
        out.push_str(", userhash=true");
    }
    Ok(out)
}

/// A challenge made of the values the user pinned, for a pre-emptive answer (no 401 round trip).
pub fn pinned_challenge(creds: &DigestAuth) -> Option<Challenge> {
    if creds.realm.is_empty() || creds.nonce.is_empty() {
        return None;
    }
    Some(Challenge {
        realm: creds.realm.clone(),
        nonce: creds.nonce.clone(),
        opaque: (!creds.opaque.is_empty()).then(|| creds.opaque.clone()),
        algorithm: if creds.algorithm.is_empty() { "MD5".into() } else { creds.algorithm.clone() },
        qop: if creds.qop.is_empty() { Vec::new() } else { vec![creds.qop.to_ascii_lowercase()] },
        userhash: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_CHALLENGE: &str = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
    const CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    fn mufasa(password: &str) -> DigestAuth {
        DigestAuth { username: "Mufasa".into(), password: password.into(), ..DigestAuth::default() }
    }

    fn response_of(header: &str) -> String {
        let parsed = parse_www_authenticate(&[header]);
        parsed[0].1.iter().find(|(k, _)| k == "response").unwrap().1.clone()
    }

    #[test]
    fn rfc7616_section_3_9_1_vectors() {
        let challenges = digest_challenges(&[RFC_CHALLENGE]);
        assert_eq!(challenges.len(), 2);
        let sha = choose(&challenges, "").unwrap();
        assert_eq!(sha.algorithm, "SHA-256");
        let header =
            authorization(sha, &mufasa("Circle of Life"), "GET", "/dir/index.html", None, CNONCE, 1).unwrap();
        assert_eq!(response_of(&header), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
        assert!(header.contains("qop=auth, nc=00000001"));
        assert!(header.contains(r#"opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#));
        let md5 = choose(&challenges, "MD5").unwrap();
        let header =
            authorization(md5, &mufasa("Circle of Life"), "GET", "/dir/index.html", None, CNONCE, 1).unwrap();
        assert_eq!(response_of(&header), "8ca523f5e9506fed4657c9700eebdbec");
    }

    #[test]
    fn rfc2617_vector() {
        let c = digest_challenges(&[
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        ]);
        let header =
            authorization(&c[0], &mufasa("Circle Of Life"), "GET", "/dir/index.html", None, "0a4f113b", 1)
                .unwrap();
        assert_eq!(response_of(&header), "6629fae49393a05397450978507c4ef1");
    }

    #[test]
    fn parses_mixed_schemes_and_escapes() {
        let parsed = parse_www_authenticate(&[r#"Basic realm="a, b", Digest realm="x\"y", nonce=abc"#]);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0], ("Basic".into(), vec![("realm".into(), "a, b".into())]));
        assert_eq!(parsed[1].1, vec![("realm".into(), "x\"y".into()), ("nonce".into(), "abc".into())]);
        let c = digest_challenges(&[r#"Digest realm="r", nonce="n", algorithm=UNKNOWN"#]);
        let e = authorization(&c[0], &mufasa("p"), "GET", "/", None, "c", 1).unwrap_err();
        assert_eq!(e.to_string(), "the server asks for the unsupported digest algorithm UNKNOWN");
        let c = digest_challenges(&[r#"Digest realm="r", nonce="n", qop="auth-int, x""#]);
        let e = authorization(&c[0], &mufasa("p"), "GET", "/", None, "c", 1).unwrap_err();
        assert_eq!(e.to_string(), "the server offers no usable qop (auth-int, x)");
    }
}
