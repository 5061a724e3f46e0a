//! JWT Bearer as Postman makes the token: the header the user wrote with `alg` set, the payload,
//! signed with HS256/384/512 (a secret), RS256/384/512 or PS256/384/512 (an RSA key) or
//! ES256/384/512 (an EC key), each key as PKCS #8 PEM. The token goes in `Authorization`
//! (after a prefix, `Bearer` unless set) or in a query parameter (`token` unless named).

use aws_lc_rs::error::KeyRejected;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use indexmap::IndexMap;

use crate::model::{AsapAuth, JwtAlgorithm, JwtAuth};

/// Why a JWT or ASAP token cannot be made: what the user must fix, worded to follow
/// "JWT auth: " or "ASAP auth: ".
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    /// `what` names the part: its header, its payload or its claims.
    #[error("{what} is not a JSON object ({source})")]
    NotJsonObject { what: &'static str, source: serde_json::Error },
    #[error("its secret is empty")]
    EmptySecret,
    #[error("its secret is not base64 ({source})")]
    SecretNotBase64 { source: base64::DecodeError },
    #[error("its secret cannot be used as an HMAC key")]
    UnusableSecret,
    #[error("{} is not an ASAP algorithm (RS, PS or ES only)", .algorithm.name())]
    NotAsapAlgorithm { algorithm: JwtAlgorithm },
    #[error("its issuer, audience and key ID are required")]
    MissingAsapFields,
    #[error("its private key is empty")]
    EmptyKey,
    #[error("its private key is a malformed data URI (data:application/pkcs8;kid=...;base64,...)")]
    MalformedDataUri,
    /// The data URI's `kid` is not the auth's key ID.
    #[error("the key ID in its private key's data URI is not its key ID")]
    KeyIdMismatch { in_uri: String, key_id: String },
    #[error("its private key is not valid base64 ({source})")]
    KeyNotBase64 { source: base64::DecodeError },
    #[error(
        "its private key is not a PKCS #8 PEM key (-----BEGIN PRIVATE KEY-----; convert with \
         `openssl pkcs8 -topk8 -nocrypt`)"
    )]
    NotPkcs8,
    #[error("its private key has no END line")]
    NoEndLine,
    #[error("its private key is not an RSA key ({source})")]
    NotRsaKey { source: KeyRejected },
    #[error("its private key is not an EC key of {}'s curve ({source})", .algorithm.name())]
    NotEcKey { algorithm: JwtAlgorithm, source: KeyRejected },
    #[error("its private key could not sign")]
    SigningFailed,
    #[error("an HMAC algorithm has no key")]
    HmacHasNoKey,
}

/// The signed token.
pub fn token(cfg: &JwtAuth) -> Result<String, JwtError> {
    let alg = cfg.algorithm;
    let mut header = json_object(&cfg.header, "its header")?;
    // Postman sets `alg` where the header has it, else last.
    header.insert("alg".into(), serde_json::Value::String(alg.name().into()));
    let payload = json_object(&cfg.payload, "its payload")?;
    let encode = |map: &IndexMap<String, serde_json::Value>| {
        URL_SAFE_NO_PAD.encode(serde_json::to_string(map).unwrap_or_else(|_| "{}".into()))
    };
    let input = format!("{}.{}", encode(&header), encode(&payload));
    let signature = match alg {
        JwtAlgorithm::Hs256 | JwtAlgorithm::Hs384 | JwtAlgorithm::Hs512 => {
            if cfg.secret.is_empty() {
                return Err(JwtError::EmptySecret);
            }
            let key = if cfg.secret_base64 {
                STANDARD.decode(cfg.secret.trim()).map_err(|source| JwtError::SecretNotBase64 { source })?
            } else {
                cfg.secret.as_bytes().to_vec()
            };
            let mac = |bytes: Vec<u8>| bytes;
            match alg {
                JwtAlgorithm::Hs256 => Hmac::<sha2::Sha256>::new_from_slice(&key)
                    .map(|m| mac(m.chain_update(&input).finalize().into_bytes().to_vec())),
                JwtAlgorithm::Hs384 => Hmac::<sha2::Sha384>::new_from_slice(&key)
                    .map(|m| mac(m.chain_update(&input).finalize().into_bytes().to_vec())),
                _ => Hmac::<sha2::Sha512>::new_from_slice(&key)
                    .map(|m| mac(m.chain_update(&input).finalize().into_bytes().to_vec())),
            }
            .map_err(|_| JwtError::UnusableSecret)?
        }
        _ => sign_with_key(alg, &pkcs8(&cfg.private_key)?, input.as_bytes())?,
    };
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// An ASAP token as Postman makes it (postman-runtime's asap authorizer): header `{alg, kid}`;
/// the payload is the user's claims, then `iat`, `iss`, `sub` (the issuer when empty), `jti`,
/// `aud` and `exp` (now plus the expiry), a claim the user wrote winning over the field.
/// `now` is seconds since the epoch; `jti` is used when the claims have none.
pub fn asap_token(cfg: &AsapAuth, now: u64, jti: &str) -> Result<String, JwtError> {
    let alg = cfg.algorithm;
    if alg.is_hmac() {
        return Err(JwtError::NotAsapAlgorithm { algorithm: alg });
    }
    let mut claims = json_object(&cfg.claims, "its claims")?;
    let claim = |claims: &IndexMap<String, serde_json::Value>, key: &str| -> Option<serde_json::Value> {
        claims.get(key).filter(|v| truthy(v)).cloned()
    };
    let text = |v: &str| Some(serde_json::Value::String(v.to_owned())).filter(truthy);
    let issuer = claim(&claims, "iss").or_else(|| text(&cfg.issuer));
    let subject = claim(&claims, "sub").or_else(|| text(&cfg.subject));
    let audience = claim(&claims, "aud").or_else(|| text(&cfg.audience));
    let kid = claim(&claims, "kid").or_else(|| text(&cfg.key_id));
    let (Some(issuer), Some(audience), Some(kid)) = (issuer, audience, kid) else {
        return Err(JwtError::MissingAsapFields);
    };
    let subject = subject.unwrap_or_else(|| issuer.clone());
    if cfg.private_key.trim().is_empty() {
        return Err(JwtError::EmptyKey);
    }
    let jti = claim(&claims, "jti").unwrap_or_else(|| serde_json::Value::String(jti.to_owned()));
    let iat = claim(&claims, "iat").unwrap_or_else(|| now.into());
    let expiry = leading_int(&cfg.expiry_seconds).filter(|n| *n != 0).unwrap_or(3600);
    let exp = claim(&claims, "exp")
        .and_then(|v| leading_int(&v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
        .filter(|n| *n != 0)
        .map_or_else(
            || serde_json::Value::from(i64::try_from(now).unwrap_or(i64::MAX).saturating_add(expiry)),
            serde_json::Value::from,
        );
    let kid_text = kid.as_str().map_or_else(|| kid.to_string(), str::to_owned);
    let der = asap_key(&cfg.private_key, &kid_text)?;
    claims.insert("iat".into(), iat);
    claims.insert("iss".into(), issuer);
    claims.insert("sub".into(), subject);
    claims.insert("jti".into(), jti);
    claims.insert("aud".into(), audience);
    claims.insert("exp".into(), exp);
    let header = serde_json::json!({ "alg": alg.name(), "kid": kid });
    let header = URL_SAFE_NO_PAD.encode(header.to_string());
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_string(&claims).unwrap_or_else(|_| "{}".into()));
    let input = format!("{header}.{payload}");
    let signature = sign_with_key(alg, &der, input.as_bytes())?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// JavaScript's truthiness for a claim: absent, `null`, `false`, `0` and `""` fall back.
fn truthy(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => false,
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        serde_json::Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// JavaScript's `parseInt(text, 10)`: the leading integer, if any.
fn leading_int(text: &str) -> Option<i64> {
    let t = text.trim_start();
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
    digits[..end].parse::<i64>().ok().map(|n| sign * n)
}

/// The key of an ASAP auth, as Postman reads it: quotes around it and new lines dropped,
/// URI-decoded, and either PKCS #8 PEM or `data:application/pkcs8;kid=<kid>;base64,<DER>`
/// (whose kid must be the key ID).
fn asap_key(text: &str, kid: &str) -> Result<Vec<u8>, JwtError> {
    let text = text.replace('\n', "");
    let text = text.trim();
    let text = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    let Some(uri) = decoded.strip_prefix("data:") else {
        // Insomnia's keys may be PKCS #1 (`BEGIN RSA PRIVATE KEY`).
        if let Some(("RSA PRIVATE KEY", der)) =
            super::oauth1::pem_body(&decoded).as_ref().map(|(label, der)| (label.as_str(), der))
        {
            return Ok(der.clone());
        }
        return pkcs8(&decoded);
    };
    let rest = uri.strip_prefix("application/pkcs8;kid=").ok_or(JwtError::MalformedDataUri)?;
    let (key_id, data) = rest.split_once(";base64,").ok_or(JwtError::MalformedDataUri)?;
    if key_id != kid {
        return Err(JwtError::KeyIdMismatch { in_uri: key_id.to_owned(), key_id: kid.to_owned() });
    }
    STANDARD.decode(data.trim()).map_err(|source| JwtError::KeyNotBase64 { source })
}

/// A JSON object written by the user (empty: `{}`), its keys in the order written.
fn json_object(text: &str, what: &'static str) -> Result<IndexMap<String, serde_json::Value>, JwtError> {
    if text.trim().is_empty() {
        return Ok(IndexMap::new());
    }
    serde_json::from_str(text).map_err(|source| JwtError::NotJsonObject { what, source })
}

/// Signs with a DER key: PKCS #8, or PKCS #1 for an RSA key.
fn sign_with_key(alg: JwtAlgorithm, der: &[u8], input: &[u8]) -> Result<Vec<u8>, JwtError> {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair as _, RsaKeyPair};
    let rng = SystemRandom::new();
    let rsa = |encoding: &'static dyn aws_lc_rs::signature::RsaEncoding| -> Result<Vec<u8>, JwtError> {
        let key = RsaKeyPair::from_pkcs8(der)
            .or_else(|e| RsaKeyPair::from_der(der).map_err(|_| e))
            .map_err(|source| JwtError::NotRsaKey { source })?;
        let mut sig = vec![0; key.public_modulus_len()];
        key.sign(encoding, &rng, input, &mut sig).map_err(|_| JwtError::SigningFailed)?;
        Ok(sig)
    };
    let ec = |algorithm: &'static signature::EcdsaSigningAlgorithm| -> Result<Vec<u8>, JwtError> {
        let key = EcdsaKeyPair::from_pkcs8(algorithm, der)
            .map_err(|source| JwtError::NotEcKey { algorithm: alg, source })?;
        let _ = key.public_key();
        key.sign(&rng, input).map(|s| s.as_ref().to_vec()).map_err(|_| JwtError::SigningFailed)
    };
    match alg {
        JwtAlgorithm::Rs256 => rsa(&signature::RSA_PKCS1_SHA256),
        JwtAlgorithm::Rs384 => rsa(&signature::RSA_PKCS1_SHA384),
        JwtAlgorithm::Rs512 => rsa(&signature::RSA_PKCS1_SHA512),
        JwtAlgorithm::Ps256 => rsa(&signature::RSA_PSS_SHA256),
        JwtAlgorithm::Ps384 => rsa(&signature::RSA_PSS_SHA384),
        JwtAlgorithm::Ps512 => rsa(&signature::RSA_PSS_SHA512),
        JwtAlgorithm::Es256 => ec(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
        JwtAlgorithm::Es384 => ec(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
        JwtAlgorithm::Es512 => ec(&signature::ECDSA_P521_SHA512_FIXED_SIGNING),
        JwtAlgorithm::Hs256 | JwtAlgorithm::Hs384 | JwtAlgorithm::Hs512 => Err(JwtError::HmacHasNoKey),
    }
}

/// The DER of a PKCS #8 PEM key (`-----BEGIN PRIVATE KEY-----`), as Postman requires.
fn pkcs8(pem: &str) -> Result<Vec<u8>, JwtError> {
    let start = pem.find("-----BEGIN PRIVATE KEY-----").ok_or(JwtError::NotPkcs8)?;
    let body = &pem[start + "-----BEGIN PRIVATE KEY-----".len()..];
    let end = body.find("-----END PRIVATE KEY-----").ok_or(JwtError::NoEndLine)?;
    let text: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(text).map_err(|source| JwtError::KeyNotBase64 { source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(alg: JwtAlgorithm) -> JwtAuth {
        JwtAuth { algorithm: alg, ..JwtAuth::default() }
    }

    // jwt.io's example token (HS256, secret `your-256-bit-secret`), byte for byte: `alg` keeps
    // its place in the header, the payload its key order.
    #[test]
    fn hs256_makes_jwt_ios_example() {
        let jwt = JwtAuth {
            secret: "your-256-bit-secret".into(),
            header: r#"{"alg":"none","typ":"JWT"}"#.into(),
            payload: r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#.into(),
            ..cfg(JwtAlgorithm::Hs256)
        };
        assert_eq!(
            token(&jwt).unwrap(),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.\
             SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        );
        // A base64 secret is decoded first.
        let b64 =
            JwtAuth { secret: STANDARD.encode("your-256-bit-secret"), secret_base64: true, ..jwt.clone() };
        assert_eq!(token(&b64).unwrap(), token(&jwt).unwrap());
        let e = token(&JwtAuth { payload: "[1]".into(), ..jwt.clone() }).unwrap_err().to_string();
        assert!(e.starts_with("its payload is not a JSON object"), "{e}");
        assert_eq!(
            token(&JwtAuth { secret: String::new(), ..jwt }).unwrap_err().to_string(),
            "its secret is empty"
        );
    }

    // RS256 (deterministic: the same signature as Node's `crypto`, which Postman's jose uses) and
    // PS256/ES256 (randomized: verified with the public key).
    #[test]
    fn rsa_and_ec_tokens_verify() {
        use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair as _, RsaKeyPair, UnparsedPublicKey};
        let rsa_pem = include_str!("../../../tests/fixtures/oauth1/test-key-pkcs8.pem");
        let rs =
            JwtAuth { private_key: rsa_pem.into(), payload: r#"{"a":1}"#.into(), ..cfg(JwtAlgorithm::Rs256) };
        let t = token(&rs).unwrap();
        let (input, sig) = t.rsplit_once('.').unwrap();
        assert!(input.starts_with("eyJhbGciOiJSUzI1NiJ9."), "{input}");
        let der = pkcs8(rsa_pem).unwrap();
        let public = RsaKeyPair::from_pkcs8(&der).unwrap().public_key().as_ref().to_vec();
        for (alg, verify) in [
            (
                JwtAlgorithm::Rs256,
                &signature::RSA_PKCS1_2048_8192_SHA256 as &dyn signature::VerificationAlgorithm,
            ),
            (JwtAlgorithm::Ps512, &signature::RSA_PSS_2048_8192_SHA512),
        ] {
            let t = token(&JwtAuth { algorithm: alg, ..rs.clone() }).unwrap();
            let (input, sig) = t.rsplit_once('.').unwrap();
            let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
            assert!(
                UnparsedPublicKey::new(verify, &public).verify(input.as_bytes(), &sig).is_ok(),
                "{alg:?}"
            );
        }
        assert_eq!(URL_SAFE_NO_PAD.decode(sig).unwrap().len(), 256);
        // What newman sent for this key, header and payload (RS256 is deterministic).
        let newman = JwtAuth {
            header: r#"{"typ":"JWT","kid":"k1"}"#.into(),
            payload: r#"{"sub":"x","n":1}"#.into(),
            ..rs.clone()
        };
        assert_eq!(
            token(&newman).unwrap(),
            "eyJ0eXAiOiJKV1QiLCJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJ4IiwibiI6MX0.7N_TysLtLsN9iRzWpUuwLId4d0Mi0Q\
             emrqscP88Z1Q72_HB2-t-9ElxasCopKApnynpfTj6__nl6xJWn6iKvo7WKdDdm1FMDcq9e6ZjyB8Tn46TnxOh7GikvoePWckrT8zgch_f_\
             VzcxicziamiH3m2yG-b3looDmoidaVMBoofSMFv9JD6RBuyy5d3Z7sV7KAokpGUVzU1f5ELbZdAYFq5UgHDfv8xUlvNcFSeAfiHWslUyNm\
             ECFSvYrh6g-IlvkZA-N4Bz1hQMMuHD5_UQkbRS-iGqeV0rVV3jreFNeRizVk7JC5CYsHnsgB2uvR3ADjY6kDcShL6lJ-kJ3ns2yg"
        );
        let ec_pem = include_str!("../../../tests/fixtures/oauth1/test-ec-p256-pkcs8.pem");
        let es = JwtAuth { private_key: ec_pem.into(), ..cfg(JwtAlgorithm::Es256) };
        let t = token(&es).unwrap();
        let (input, sig) = t.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        assert_eq!(sig.len(), 64, "JOSE's r||s");
        let key =
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8(ec_pem).unwrap())
                .unwrap();
        let public = key.public_key().as_ref().to_vec();
        assert!(
            UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, &public)
                .verify(input.as_bytes(), &sig)
                .is_ok()
        );
        // An RSA key for an EC algorithm says so.
        let e = token(&JwtAuth { private_key: rsa_pem.into(), ..es }).unwrap_err().to_string();
        assert!(e.starts_with("its private key is not an EC key of ES256's curve"), "{e}");
        let e = token(&JwtAuth { private_key: "-----BEGIN RSA PRIVATE KEY-----".into(), ..rs }).unwrap_err();
        assert_eq!(
            e.to_string(),
            "its private key is not a PKCS #8 PEM key (-----BEGIN PRIVATE KEY-----; convert with \
             `openssl pkcs8 -topk8 -nocrypt`)"
        );
    }

    // postman-runtime's asap authorizer, run by node on the same key and claims, made these tokens
    // (RS256 is deterministic): the claims' order, the fields after them, a data-URI key.
    #[test]
    fn asap_tokens_are_postmans() {
        let pem = include_str!("../../../tests/fixtures/oauth1/test-key-pkcs8.pem");
        let asap = AsapAuth {
            key_id: "svc/key1".into(),
            issuer: "svc".into(),
            audience: "api".into(),
            private_key: pem.into(),
            claims: r#"{"jti":"fixed-jti","iat":1700000000,"exp":1700003600,"scope":"read"}"#.into(),
            ..AsapAuth::default()
        };
        assert_eq!(
            asap_token(&asap, 1, "unused").unwrap(),
            "eyJhbGciOiJSUzI1NiIsImtpZCI6InN2Yy9rZXkxIn0.eyJqdGkiOiJmaXhlZC1qdGkiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMCwic2NvcGUiOiJyZWFkIiwiaXNzIjoic3ZjIiwic3ViIjoic3ZjIiwiYXVkIjoiYXBpIn0.\
             iVREbTtJbp7YSqQEcXQA9mmggd1kzDe_INpO_rm__03jHWBBoUPcAGUcL9Zs4n_dLRLwytkev9wxjCuYTE-1E1ESKmbzUk4L4RrQ7YutMyFWOOu_i_4wPgRGwuYWTmlhbAqHtsRFD4tXaa8NT1qHok0Qio7_pbJ5o4ekq5IgVJV_drlAKBUORDbttvVkSj7UkLQcqTvvFZ_LbzOZhBR9oQqTRgR3fOmtvnvjkTwMsIVjnAcDKzh3I9zDPn5KhpmEV87ogMXOirfhCqltus-mAv1xd5nUB6t6ThXULXQYUUXr_4Fqi_rRZS0xORUUG_8-TiUYBJIcHOyy3TOhBqnPJQ"
        );
        let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let uri = AsapAuth {
            subject: "me".into(),
            expiry_seconds: "60".into(),
            private_key: format!("data:application/pkcs8;kid=svc/key1;base64,{der}"),
            claims: r#"{"jti":"j2","iat":1700000000}"#.into(),
            ..asap.clone()
        };
        assert_eq!(
            asap_token(&uri, 1_796_515_743, "unused").unwrap(),
            "eyJhbGciOiJSUzI1NiIsImtpZCI6InN2Yy9rZXkxIn0.eyJqdGkiOiJqMiIsImlhdCI6MTcwMDAwMDAwMCwiaXNzIjoic3ZjIiwic3ViIjoibWUiLCJhdWQiOiJhcGkiLCJleHAiOjE3OTY1MTU4MDN9.\
             lxy9Bg2DumTRTwcjEi3Ob41tdashOQ-jRvijv9u2KJiXukKprR0S0UKEu2h6MkP5SIed_IEPzizSHzxGe8_Raj_HBgBqbWV2ZxuUCTPwkEDU-2EVR1pYwP-Y5Qbhq3ZCkJTC1R64UxJlmMVUXzc-KumGpYpepBFyvL-yALP562oZsfjZlni-4FcE7G1TiEGHbADh258uUpe64ciTh7vQNRkwNOdiU9xbesWS18xTSE5PLHbnJGwMJ9SZji0bfOQik0bIjiIlMaYEqIrOQksAiQ5vSXn08FiZypOWVqDjEY3gxrQQ0g-7e7aqWi2GvHWmqAsuhuUCh5dUmKD1CTZW5A"
        );
        // Without claims: a fresh jti, iat now, exp now + 3600, sub the issuer.
        let plain = AsapAuth { claims: String::new(), ..asap.clone() };
        let t = asap_token(&plain, 1000, "the-jti").unwrap();
        let payload = URL_SAFE_NO_PAD.decode(t.split('.').nth(1).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(payload).unwrap(),
            r#"{"iat":1000,"iss":"svc","sub":"svc","jti":"the-jti","aud":"api","exp":4600}"#
        );
        // What the user must fix.
        let e = asap_token(&AsapAuth { audience: String::new(), ..plain.clone() }, 1, "j").unwrap_err();
        assert_eq!(e.to_string(), "its issuer, audience and key ID are required");
        let e = asap_token(&AsapAuth { key_id: "other".into(), ..uri }, 1, "j").unwrap_err();
        let JwtError::KeyIdMismatch { in_uri, key_id } = &e else { panic!("{e}") };
        assert_eq!((in_uri.as_str(), key_id.as_str()), ("svc/key1", "other"));
        assert_eq!(e.to_string(), "the key ID in its private key's data URI is not its key ID");
        let e =
            asap_token(&AsapAuth { algorithm: JwtAlgorithm::Hs256, ..plain.clone() }, 1, "j").unwrap_err();
        assert_eq!(e.to_string(), "HS256 is not an ASAP algorithm (RS, PS or ES only)");
        // Insomnia's PKCS #1 keys are read too.
        let pkcs1 = include_str!("../../../tests/fixtures/oauth1/test-key-pkcs1.pem");
        let a =
            asap_token(&AsapAuth { private_key: pkcs1.into(), ..plain.clone() }, 1000, "the-jti").unwrap();
        assert_eq!(a, asap_token(&plain, 1000, "the-jti").unwrap());
    }
}
