//! JWT Bearer as Postman makes the token: the header the user wrote with `alg` set, the payload,
//! signed with HS256/384/512 (a secret), RS256/384/512 or PS256/384/512 (an RSA key) or
//! ES256/384/512 (an EC key), each key as PKCS #8 PEM. The token goes in `Authorization`
//! (after a prefix, `Bearer` unless set) or in a query parameter (`token` unless named).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use indexmap::IndexMap;

use crate::model::{JwtAlgorithm, JwtAuth};

/// The signed token. Errors are what the user must fix, worded to follow "JWT auth: ".
pub fn token(cfg: &JwtAuth) -> Result<String, String> {
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
                return Err("its secret is empty".into());
            }
            let key = if cfg.secret_base64 {
                STANDARD.decode(cfg.secret.trim()).map_err(|e| format!("its secret is not base64 ({e})"))?
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
            .map_err(|_| "its secret cannot be used as an HMAC key".to_owned())?
        }
        _ => sign_with_key(alg, &cfg.private_key, input.as_bytes())?,
    };
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// A JSON object written by the user (empty: `{}`), its keys in the order written.
fn json_object(text: &str, what: &str) -> Result<IndexMap<String, serde_json::Value>, String> {
    if text.trim().is_empty() {
        return Ok(IndexMap::new());
    }
    serde_json::from_str(text).map_err(|e| format!("{what} is not a JSON object ({e})"))
}

fn sign_with_key(alg: JwtAlgorithm, pem: &str, input: &[u8]) -> Result<Vec<u8>, String> {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair as _, RsaKeyPair};
    let der = pkcs8(pem)?;
    let rng = SystemRandom::new();
    let rsa = |encoding: &'static dyn aws_lc_rs::signature::RsaEncoding| -> Result<Vec<u8>, String> {
        let key =
            RsaKeyPair::from_pkcs8(&der).map_err(|e| format!("its private key is not an RSA key ({e})"))?;
        let mut sig = vec![0; key.public_modulus_len()];
        key.sign(encoding, &rng, input, &mut sig).map_err(|_| "its private key could not sign".to_owned())?;
        Ok(sig)
    };
    let ec = |algorithm: &'static signature::EcdsaSigningAlgorithm| -> Result<Vec<u8>, String> {
        let key = EcdsaKeyPair::from_pkcs8(algorithm, &der)
            .map_err(|e| format!("its private key is not an EC key of {}'s curve ({e})", alg.name()))?;
        let _ = key.public_key();
        key.sign(&rng, input)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| "its private key could not sign".to_owned())
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
        JwtAlgorithm::Hs256 | JwtAlgorithm::Hs384 | JwtAlgorithm::Hs512 => {
            Err("an HMAC algorithm has no key".into())
        }
    }
}

/// The DER of a PKCS #8 PEM key (`-----BEGIN PRIVATE KEY-----`), as Postman requires.
fn pkcs8(pem: &str) -> Result<Vec<u8>, String> {
    let start = pem.find("-----BEGIN PRIVATE KEY-----").ok_or(
        "its private key is not a PKCS #8 PEM key (-----BEGIN PRIVATE KEY-----; convert with \
         `openssl pkcs8 -topk8 -nocrypt`)",
    )?;
    let body = &pem[start + "-----BEGIN PRIVATE KEY-----".len()..];
    let end = body.find("-----END PRIVATE KEY-----").ok_or("its private key has no END line")?;
    let text: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(text).map_err(|e| format!("its private key is not valid base64 ({e})"))
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
        let e = token(&JwtAuth { payload: "[1]".into(), ..jwt.clone() }).unwrap_err();
        assert!(e.starts_with("its payload is not a JSON object"), "{e}");
        assert_eq!(token(&JwtAuth { secret: String::new(), ..jwt }).unwrap_err(), "its secret is empty");
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
        let e = token(&JwtAuth { private_key: rsa_pem.into(), ..es }).unwrap_err();
        assert!(e.starts_with("its private key is not an EC key of ES256's curve"), "{e}");
        let e = token(&JwtAuth { private_key: "-----BEGIN RSA PRIVATE KEY-----".into(), ..rs }).unwrap_err();
        assert!(e.contains("PKCS #8"), "{e}");
    }
}
