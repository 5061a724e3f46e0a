//! The native functions the sandbox library calls (`__lp_native`): the only bridge between a
//! script and the host. Each does one small job over a Rust crate: time, dynamic variables,
//! queueing a `pm.sendRequest`, base64, hashing and HMAC, JSON Schema, loading a library.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rquickjs::{Ctx, Exception, Function, Object, Value};

use super::context::Host;
use super::error::NativeError;
use super::{SendSpec, libs};

/// Puts `__lp_native` on the context's global object (the sandbox library takes it away).
pub(super) fn install<'js>(ctx: &Ctx<'js>, host: Arc<Mutex<Host>>, started: Instant) -> rquickjs::Result<()> {
    let n = Object::new(ctx.clone())?;
    n.set("now", Function::new(ctx.clone(), move || started.elapsed().as_secs_f64() * 1000.0)?)?;
    n.set("dynamic", Function::new(ctx.clone(), |name: String| crate::vars::dynamic::generate(&name))?)?;
    n.set(
        "send",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, json: String| -> rquickjs::Result<u32> {
            let spec: SendSpec = serde_json::from_str(&json)
                .map_err(|e| Exception::throw_type(&ctx, &format!("pm.sendRequest: {e}")))?;
            let mut h = host.lock().unwrap_or_else(PoisonError::into_inner);
            h.next_send += 1;
            let id = h.next_send;
            h.sends.push((id, spec));
            Ok(id)
        })?,
    )?;
    install_encodings(ctx, &n)?;
    install_crypto(ctx, &n)?;
    n.set(
        "validateSchema",
        Function::new(ctx.clone(), |schema: String, value: String| validate_schema(&schema, &value))?,
    )?;
    n.set(
        "lib",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, name: String| -> rquickjs::Result<Value<'js>> {
            let code = libs::bytecode(&name).map_err(|e| Exception::throw_message(&ctx, &e.to_string()))?;
            let ns = super::context::load_module(&ctx, code)?;
            ns.get("default")
        })?,
    )?;
    let added = std::sync::atomic::AtomicBool::new(false);
    n.set(
        "typedArrays",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>| -> rquickjs::Result<()> {
            if added.swap(true, std::sync::atomic::Ordering::SeqCst) {
                return Ok(());
            }
            add_typed_arrays(&ctx)
        })?,
    )?;
    n.set("typedArrayNames", TYPED_ARRAY_GLOBALS.to_vec())?;
    n.set(
        "xml",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, text: String| -> rquickjs::Result<String> {
            libs::xml_to_json(&text).map_err(|e| Exception::throw_message(&ctx, &e.to_string()))
        })?,
    )?;
    ctx.globals().set("__lp_native", n)
}

/// The encodings: base64 as the browser's `btoa` and `atob`, and hex to and from UTF-8,
/// Latin-1 and base64 (CryptoJS's encoders work on hex).
fn install_encodings<'js>(ctx: &Ctx<'js>, n: &Object<'js>) -> rquickjs::Result<()> {
    n.set("btoa", Function::new(ctx.clone(), |ctx: Ctx<'js>, s: String| btoa(&ctx, &s))?)?;
    n.set("atob", Function::new(ctx.clone(), |ctx: Ctx<'js>, s: String| atob(&ctx, &s))?)?;
    n.set("utf8Hex", Function::new(ctx.clone(), |s: String| hex(s.as_bytes()))?)?;
    n.set(
        "hexUtf8",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, h: String| -> rquickjs::Result<String> {
            let bytes = unhex(&ctx, &h)?;
            String::from_utf8(bytes).map_err(|_| Exception::throw_message(&ctx, "Malformed UTF-8 data"))
        })?,
    )?;
    n.set(
        "latin1Hex",
        Function::new(ctx.clone(), |s: String| {
            s.chars().map(|c| format!("{:02x}", u32::from(c) & 0xff)).collect::<String>()
        })?,
    )?;
    n.set(
        "hexLatin1",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, h: String| -> rquickjs::Result<String> {
            Ok(unhex(&ctx, &h)?.into_iter().map(char::from).collect())
        })?,
    )?;
    n.set(
        "hexBase64",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, h: String| -> rquickjs::Result<String> {
            Ok(STANDARD.encode(unhex(&ctx, &h)?))
        })?,
    )?;
    n.set(
        "base64Hex",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, b: String| -> rquickjs::Result<String> {
            let cleaned: String = b.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(cleaned.trim_end_matches('='))
                .map_err(|e| Exception::throw_message(&ctx, &format!("invalid base64: {e}")))?;
            Ok(hex(&bytes))
        })?,
    )?;
    Ok(())
}

/// Hashing, HMAC and AES over hex data (CryptoJS), random bytes and UUIDs.
fn install_crypto<'js>(ctx: &Ctx<'js>, n: &Object<'js>) -> rquickjs::Result<()> {
    n.set(
        "digest",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, alg: String, h: String| -> rquickjs::Result<String> {
            let data = unhex(&ctx, &h)?;
            digest(&alg, &data)
                .map(|d| hex(&d))
                .ok_or_else(|| Exception::throw_type(&ctx, &format!("unknown hash {alg}")))
        })?,
    )?;
    n.set(
        "hmac",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, alg: String, key: String, data: String| -> rquickjs::Result<String> {
                let key = unhex(&ctx, &key)?;
                let data = unhex(&ctx, &data)?;
                hmac(&alg, &key, &data)
                    .map(|d| hex(&d))
                    .ok_or_else(|| Exception::throw_type(&ctx, &format!("unknown hash {alg}")))
            },
        )?,
    )?;
    n.set(
        "randomHex",
        Function::new(ctx.clone(), |n: usize| {
            (0..n.min(1 << 16)).map(|_| format!("{:02x}", fastrand::u8(..))).collect::<String>()
        })?,
    )?;
    n.set("uuid", Function::new(ctx.clone(), || uuid::Uuid::new_v4().to_string())?)?;
    n.set(
        "aes",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>,
             encrypt: bool,
             key: String,
             iv: String,
             data: String,
             mode: String,
             padding: String|
             -> rquickjs::Result<String> {
                let (key, iv, data) = (unhex(&ctx, &key)?, unhex(&ctx, &iv)?, unhex(&ctx, &data)?);
                aes(encrypt, &key, &iv, &data, &mode, &padding)
                    .map(|b| hex(&b))
                    .map_err(|e| Exception::throw_message(&ctx, &e.to_string()))
            },
        )?,
    )?;
    Ok(())
}

/// The globals QuickJS's typed-array intrinsic defines. A sandbox's context is made without them
/// (most scripts never use them); the sandbox library puts a stand-in at each of these names that
/// adds them all when a script first reads or assigns one.
pub(super) const TYPED_ARRAY_GLOBALS: [&str; 16] = [
    "ArrayBuffer",
    "SharedArrayBuffer",
    "DataView",
    "Atomics",
    "Int8Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "Int16Array",
    "Uint16Array",
    "Int32Array",
    "Uint32Array",
    "BigInt64Array",
    "BigUint64Array",
    "Float16Array",
    "Float32Array",
    "Float64Array",
];

/// Adds the typed arrays to a context made without them (see [`TYPED_ARRAY_GLOBALS`]), once.
#[allow(unsafe_code)]
fn add_typed_arrays(ctx: &Ctx<'_>) -> rquickjs::Result<()> {
    // QuickJS requires that none of the names exists yet (it aborts the process otherwise): the
    // stand-ins go, and a script that made one of them undeletable gets an error instead.
    let globals = ctx.globals();
    for name in TYPED_ARRAY_GLOBALS {
        let _ = globals.remove(name);
        if globals.contains_key(name)? {
            return Err(Exception::throw_type(
                ctx,
                &format!("the typed arrays cannot be added: a script made the global {name} undeletable"),
            ));
        }
    }
    // SAFETY: `ctx` is a live context, borrowed for this call on the thread that holds its
    // runtime; none of the names the function defines exists on its global object (checked
    // above), and the caller runs it at most once per context.
    let status = unsafe { rquickjs::qjs::JS_AddIntrinsicTypedArrays(ctx.as_raw().as_ptr()) };
    if status < 0 { Err(rquickjs::Error::Exception) } else { Ok(()) }
}

fn btoa<'js>(ctx: &Ctx<'js>, s: &str) -> rquickjs::Result<String> {
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        let b = u8::try_from(u32::from(c)).map_err(|_| {
            Exception::throw_message(
                ctx,
                "InvalidCharacterError: btoa takes a string of characters up to U+00FF",
            )
        })?;
        bytes.push(b);
    }
    Ok(STANDARD.encode(bytes))
}

fn atob<'js>(ctx: &Ctx<'js>, s: &str) -> rquickjs::Result<String> {
    let cleaned: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(cleaned.trim_end_matches('='))
        .map_err(|_| {
            Exception::throw_message(ctx, "InvalidCharacterError: the string to decode is not valid base64")
        })?;
    Ok(bytes.into_iter().map(char::from).collect())
}

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn unhex<'js>(ctx: &Ctx<'js>, h: &str) -> rquickjs::Result<Vec<u8>> {
    let b = h.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(Exception::throw_message(ctx, "invalid hex data"));
    }
    b.chunks(2)
        .map(|p| {
            std::str::from_utf8(p)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or_else(|| Exception::throw_message(ctx, "invalid hex data"))
        })
        .collect()
}

pub(super) fn digest(alg: &str, data: &[u8]) -> Option<Vec<u8>> {
    use sha2::Digest;
    Some(match alg.to_ascii_lowercase().as_str() {
        "md5" => md5::Md5::digest(data).to_vec(),
        "sha1" => sha1::Sha1::digest(data).to_vec(),
        "sha224" => sha2::Sha224::digest(data).to_vec(),
        "sha256" => sha2::Sha256::digest(data).to_vec(),
        "sha384" => sha2::Sha384::digest(data).to_vec(),
        "sha512" => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    })
}

fn hmac(alg: &str, key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    use hmac::{Hmac, Mac};
    macro_rules! mac {
        ($d:ty) => {{
            let mut m = <Hmac<$d> as Mac>::new_from_slice(key).ok()?;
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }};
    }
    Some(match alg.to_ascii_lowercase().as_str() {
        "md5" => mac!(md5::Md5),
        "sha1" => mac!(sha1::Sha1),
        "sha224" => mac!(sha2::Sha224),
        "sha256" => mac!(sha2::Sha256),
        "sha384" => mac!(sha2::Sha384),
        "sha512" => mac!(sha2::Sha512),
        _ => return None,
    })
}

/// AES in CBC or ECB mode with PKCS#7 or no padding, as CryptoJS does it; the key's length picks
/// AES-128, -192 or -256.
fn aes(
    encrypt: bool,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
    mode: &str,
    padding: &str,
) -> Result<Vec<u8>, NativeError> {
    use aes::cipher::{KeyInit, KeyIvInit};
    let pkcs7 = padding == "pkcs7";
    macro_rules! run {
        ($aes:ty) => {{
            if mode == "ecb" {
                let c =
                    <ecb::Encryptor<$aes> as KeyInit>::new_from_slice(key).map_err(NativeError::AesLength)?;
                let d =
                    <ecb::Decryptor<$aes> as KeyInit>::new_from_slice(key).map_err(NativeError::AesLength)?;
                crypt(c, d, encrypt, pkcs7, data)
            } else {
                let c = cbc::Encryptor::<$aes>::new_from_slices(key, iv).map_err(NativeError::AesLength)?;
                let d = cbc::Decryptor::<$aes>::new_from_slices(key, iv).map_err(NativeError::AesLength)?;
                crypt(c, d, encrypt, pkcs7, data)
            }
        }};
    }
    match key.len() {
        16 => run!(aes::Aes128),
        24 => run!(aes::Aes192),
        32 => run!(aes::Aes256),
        bytes => Err(NativeError::AesKeyLength { bytes }),
    }
}

/// Encrypts `data` with `encryptor`, or decrypts it with `decryptor`, padded with PKCS#7 or not
/// at all.
fn crypt<E, D>(
    encryptor: E,
    decryptor: D,
    encrypt: bool,
    pkcs7: bool,
    data: &[u8],
) -> Result<Vec<u8>, NativeError>
where
    E: aes::cipher::BlockEncryptMut,
    D: aes::cipher::BlockDecryptMut,
{
    use aes::cipher::block_padding::{NoPadding, Pkcs7};
    match (encrypt, pkcs7) {
        (true, true) => Ok(encryptor.encrypt_padded_vec_mut::<Pkcs7>(data)),
        (true, false) => Ok(encryptor.encrypt_padded_vec_mut::<NoPadding>(data)),
        (false, true) => decryptor.decrypt_padded_vec_mut::<Pkcs7>(data).map_err(NativeError::AesUnpad),
        (false, false) => decryptor.decrypt_padded_vec_mut::<NoPadding>(data).map_err(NativeError::AesUnpad),
    }
}

/// Errors of `value` against a JSON Schema (draft 4 to 2020-12, as the schema says), each as
/// `path: message`; a schema that does not compile is one error.
fn validate_schema(schema: &str, value: &str) -> Vec<String> {
    let schema: serde_json::Value = match serde_json::from_str(schema) {
        Ok(s) => s,
        Err(e) => return vec![format!("the schema is not JSON: {e}")],
    };
    let value: serde_json::Value = serde_json::from_str(value).unwrap_or(serde_json::Value::Null);
    let validator = match jsonschema::options().should_validate_formats(true).build(&schema) {
        Ok(v) => v,
        Err(e) => return vec![format!("the schema is not valid: {e}")],
    };
    validator
        .iter_errors(&value)
        .take(100)
        .map(|e| {
            let path = e.instance_path().to_string();
            if path.is_empty() { e.to_string() } else { format!("{path}: {e}") }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_known_values() {
        assert_eq!(hex(&digest("md5", b"abc").unwrap_or_default()), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hex(&digest("SHA1", b"abc").unwrap_or_default()),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&hmac("sha256", b"key", b"The quick brown fox jumps over the lazy dog").unwrap_or_default()),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
        assert!(digest("whirlpool", b"").is_none());
    }

    #[test]
    fn schema_errors_name_the_path() {
        let errors =
            validate_schema(r#"{"type":"object","properties":{"a":{"type":"number"}}}"#, r#"{"a":"x"}"#);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("/a: "), "{errors:?}");
        assert!(validate_schema(r#"{"type":"object"}"#, "{}").is_empty());
    }
}
