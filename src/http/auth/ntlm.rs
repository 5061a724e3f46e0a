//! NTLM as Postman speaks it (postman-runtime's ntlm authorizer over httpntlm): the request goes
//! first without credentials; a 401 or 403 that offers NTLM is answered with a negotiate message
//! (type 1), the server's challenge (type 2) with an authenticate message (type 3), each on the
//! same connection. NTLMv2 when the challenge carries target information (every Windows server
//! since 2008), else NTLM2 session security or NTLMv1, as httpntlm chooses.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use des::cipher::{BlockEncrypt, KeyInit, generic_array::GenericArray};
use hmac::{Hmac, Mac};
use md5::Digest as _;

use crate::model::NtlmAuth;

const NEGOTIATE_UNICODE: u32 = 0x0000_0001;
const NEGOTIATE_OEM: u32 = 0x0000_0002;
const REQUEST_TARGET: u32 = 0x0000_0004;
const NEGOTIATE_NTLM: u32 = 0x0000_0200;
const OEM_DOMAIN_SUPPLIED: u32 = 0x0000_1000;
const OEM_WORKSTATION_SUPPLIED: u32 = 0x0000_2000;
const ALWAYS_SIGN: u32 = 0x0000_8000;
const EXTENDED_SECURITY: u32 = 0x0008_0000;
const TARGET_INFO: u32 = 0x0080_0000;
const NEGOTIATE_VERSION: u32 = 0x0200_0000;
const NEGOTIATE_128: u32 = 0x2000_0000;
const NEGOTIATE_56: u32 = 0x8000_0000;

const TYPE1_FLAGS: u32 = NEGOTIATE_UNICODE
    | NEGOTIATE_OEM
    | REQUEST_TARGET
    | NEGOTIATE_NTLM
    | OEM_DOMAIN_SUPPLIED
    | OEM_WORKSTATION_SUPPLIED
    | ALWAYS_SIGN
    | EXTENDED_SECURITY
    | NEGOTIATE_VERSION
    | NEGOTIATE_128
    | NEGOTIATE_56;
const TYPE3_FLAGS: u32 = NEGOTIATE_UNICODE
    | REQUEST_TARGET
    | NEGOTIATE_NTLM
    | ALWAYS_SIGN
    | EXTENDED_SECURITY
    | TARGET_INFO
    | NEGOTIATE_VERSION
    | NEGOTIATE_128
    | NEGOTIATE_56;
/// Windows XP SP2's version (5.1.2600, NTLM revision 15), as httpntlm writes it.
const VERSION: [u8; 8] = [5, 1, 0x28, 0x0a, 0, 0, 0, 15];

/// The user, domain and workstation a message names: an empty domain is taken from a
/// `DOMAIN\user` or `user@domain` user name, as Postman does.
pub struct Identity {
    pub user: String,
    pub domain: String,
    pub workstation: String,
    pub password: String,
}

impl Identity {
    pub fn of(cfg: &NtlmAuth) -> Self {
        let (user, domain) = if cfg.domain.is_empty() {
            split_user(&cfg.username)
        } else {
            (cfg.username.clone(), cfg.domain.clone())
        };
        Self { user, domain, workstation: cfg.workstation.clone(), password: cfg.password.clone() }
    }
}

fn split_user(name: &str) -> (String, String) {
    let down_level: Vec<&str> = name.split('\\').collect();
    let upn: Vec<&str> = name.split('@').collect();
    if down_level.len() > 1 && upn.len() > 1 {
        return (name.to_owned(), String::new());
    }
    match (down_level.as_slice(), upn.as_slice()) {
        ([domain, user], _) | (_, [user, domain]) if !domain.is_empty() && !user.is_empty() => {
            ((*user).to_owned(), (*domain).to_owned())
        }
        _ => (name.to_owned(), String::new()),
    }
}

/// Whether a response asks for NTLM: a `WWW-Authenticate` of `NTLM` or `Negotiate`, or one that
/// names NTLM among others.
pub fn offers_ntlm(www_authenticate: &[&str]) -> bool {
    www_authenticate.iter().any(|v| {
        let v = v.trim();
        v == "NTLM" || v == "Negotiate" || v.contains("NTLM")
    })
}

/// The negotiate message: `NTLM <base64>`.
pub fn negotiate(id: &Identity) -> String {
    let domain = escape(&id.domain.to_uppercase());
    let workstation = escape(&id.workstation.to_uppercase());
    let mut flags = TYPE1_FLAGS;
    if domain.is_empty() {
        flags &= !OEM_DOMAIN_SUPPLIED;
    }
    let mut m = Vec::with_capacity(40 + domain.len() + workstation.len());
    m.extend_from_slice(b"NTLMSSP\0");
    m.extend_from_slice(&1u32.to_le_bytes());
    m.extend_from_slice(&flags.to_le_bytes());
    let (d, w) = (u16_len(domain.len()), u16_len(workstation.len()));
    m.extend_from_slice(&d.to_le_bytes());
    m.extend_from_slice(&d.to_le_bytes());
    m.extend_from_slice(&(40 + u32::from(w)).to_le_bytes());
    m.extend_from_slice(&w.to_le_bytes());
    m.extend_from_slice(&w.to_le_bytes());
    m.extend_from_slice(&40u32.to_le_bytes());
    m.extend_from_slice(&VERSION);
    m.extend_from_slice(workstation.as_bytes());
    m.extend_from_slice(domain.as_bytes());
    format!("NTLM {}", STANDARD.encode(m))
}

/// What a server's challenge (type 2) says.
#[derive(Debug, PartialEq, Eq)]
pub struct Challenge {
    pub flags: u32,
    pub server_challenge: [u8; 8],
    pub target_info: Option<Vec<u8>>,
}

/// Why a server's NTLM challenge cannot be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeError {
    #[error("the server's NTLM challenge is not base64")]
    NotBase64,
    /// Too short, not signed `NTLMSSP`, not message type 2, or its target info out of bounds.
    #[error("the server's NTLM challenge is not a type 2 message")]
    NotType2,
}

/// Reads the challenge from a `WWW-Authenticate: NTLM <base64>` value.
pub fn parse_challenge(value: &str) -> Result<Challenge, ChallengeError> {
    let b64 = value.trim().strip_prefix("NTLM ").map(str::trim).filter(|b| !b.is_empty());
    let bytes = b64.and_then(|b| STANDARD.decode(b).ok()).ok_or(ChallengeError::NotBase64)?;
    let bad = || ChallengeError::NotType2;
    if bytes.len() < 32 || &bytes[..8] != b"NTLMSSP\0" || u32_at(&bytes, 8) != Some(2) {
        return Err(bad());
    }
    let flags = u32_at(&bytes, 20).ok_or_else(bad)?;
    let mut server_challenge = [0u8; 8];
    server_challenge.copy_from_slice(&bytes[24..32]);
    let target_info = if flags & TARGET_INFO != 0 {
        let len = usize::from(u16::from_le_bytes([
            *bytes.get(40).ok_or_else(bad)?,
            *bytes.get(41).ok_or_else(bad)?,
        ]));
        let offset = usize::try_from(u32_at(&bytes, 44).ok_or_else(bad)?).map_err(|_| bad())?;
        Some(bytes.get(offset..offset.saturating_add(len)).ok_or_else(bad)?.to_vec())
    } else {
        None
    };
    Ok(Challenge { flags, server_challenge, target_info })
}

/// The authenticate message answering `challenge`. `client_challenge` is 8 random bytes and
/// `now_ms` the time in milliseconds since 1970 (both passed in, for tests).
pub fn authenticate(id: &Identity, challenge: &Challenge, client_challenge: [u8; 8], now_ms: u64) -> String {
    let unicode = challenge.flags & NEGOTIATE_UNICODE != 0;
    let domain = escape(&id.domain.to_uppercase());
    let workstation = escape(&id.workstation.to_uppercase());
    let encode = |s: &str| -> Vec<u8> {
        if unicode { s.encode_utf16().flat_map(u16::to_le_bytes).collect() } else { ascii(s) }
    };
    let (domain_b, user_b, workstation_b) = (encode(&domain), encode(&id.user), encode(&workstation));
    let nt_hash = nt_hash(&id.password);
    let (lm, nt) = if challenge.flags & EXTENDED_SECURITY != 0 {
        match &challenge.target_info {
            Some(info) => ntlmv2(
                &nt_hash,
                &id.user,
                &domain,
                info,
                &challenge.server_challenge,
                client_challenge,
                now_ms,
            ),
            None => ntlm2_session(&nt_hash, &challenge.server_challenge, client_challenge),
        }
    } else {
        (
            des_response(&lm_hash(&id.password), &challenge.server_challenge),
            des_response(&nt_hash, &challenge.server_challenge),
        )
    };
    let base = 72usize;
    let offset = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut m = Vec::new();
    m.extend_from_slice(b"NTLMSSP\0");
    m.extend_from_slice(&3u32.to_le_bytes());
    let fields = domain_b.len() + user_b.len() + workstation_b.len();
    let field = |m: &mut Vec<u8>, len: usize, at: usize| {
        m.extend_from_slice(&u16_len(len).to_le_bytes());
        m.extend_from_slice(&u16_len(len).to_le_bytes());
        m.extend_from_slice(&offset(at).to_le_bytes());
    };
    field(&mut m, lm.len(), base + fields);
    field(&mut m, nt.len(), base + fields + lm.len());
    field(&mut m, domain_b.len(), base);
    field(&mut m, user_b.len(), base + domain_b.len());
    field(&mut m, workstation_b.len(), base + domain_b.len() + user_b.len());
    field(&mut m, 0, base + fields + lm.len() + nt.len());
    let flags = if unicode { TYPE3_FLAGS } else { TYPE3_FLAGS & !NEGOTIATE_UNICODE };
    m.extend_from_slice(&flags.to_le_bytes());
    m.extend_from_slice(&VERSION);
    for part in [&domain_b, &user_b, &workstation_b, &lm, &nt] {
        m.extend_from_slice(part);
    }
    format!("NTLM {}", STANDARD.encode(m))
}

fn ntlmv2(
    nt_hash: &[u8],
    user: &str,
    domain: &str,
    target_info: &[u8],
    server: &[u8; 8],
    client: [u8; 8],
    now_ms: u64,
) -> (Vec<u8>, Vec<u8>) {
    let identity: Vec<u8> =
        format!("{}{domain}", user.to_uppercase()).encode_utf16().flat_map(u16::to_le_bytes).collect();
    let key = hmac_md5(nt_hash, &[&identity]);
    let mut lm = hmac_md5(&key, &[server, &client]);
    lm.extend_from_slice(&client);
    // Windows time: tenths of microseconds since 1601.
    let time = (u128::from(now_ms) + 11_644_473_600_000) * 10_000;
    let time = u64::try_from(time).unwrap_or(u64::MAX);
    let mut blob = vec![1, 1, 0, 0, 0, 0, 0, 0];
    blob.extend_from_slice(&time.to_le_bytes());
    blob.extend_from_slice(&client);
    blob.extend_from_slice(&[0; 4]);
    blob.extend_from_slice(target_info);
    blob.extend_from_slice(&[0; 4]);
    let mut nt = hmac_md5(&key, &[server, &blob]);
    nt.extend_from_slice(&blob);
    (lm, nt)
}

fn ntlm2_session(nt_hash: &[u8], server: &[u8; 8], client: [u8; 8]) -> (Vec<u8>, Vec<u8>) {
    let mut lm = client.to_vec();
    lm.extend_from_slice(&[0; 16]);
    let session = md5::Md5::new().chain_update(server).chain_update(client).finalize();
    let mut challenge = [0u8; 8];
    challenge.copy_from_slice(&session[..8]);
    (lm, des_response(nt_hash, &challenge))
}

/// MD4 of the password in UTF-16LE.
fn nt_hash(password: &str) -> Vec<u8> {
    let bytes: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    md4::Md4::digest(&bytes).to_vec()
}

/// The LM hash: the upper-cased password's first 14 bytes, two DES keys over `KGS!@#$%`.
fn lm_hash(password: &str) -> Vec<u8> {
    let mut padded = [0u8; 14];
    let bytes = ascii(&password.to_uppercase());
    let n = bytes.len().min(14);
    padded[..n].copy_from_slice(&bytes[..n]);
    let mut out = des_block(&padded[..7], b"KGS!@#$%");
    out.extend(des_block(&padded[7..], b"KGS!@#$%"));
    out
}

/// The 24-byte DES response: the hash padded to 21 bytes as three keys over the challenge.
fn des_response(hash: &[u8], challenge: &[u8; 8]) -> Vec<u8> {
    let mut padded = [0u8; 21];
    let n = hash.len().min(21);
    padded[..n].copy_from_slice(&hash[..n]);
    padded.chunks(7).flat_map(|key| des_block(key, challenge)).collect()
}

/// Encrypts one block with a 7-byte key spread over 8 bytes (a zero bit after every seven).
fn des_block(key7: &[u8], block: &[u8; 8]) -> Vec<u8> {
    let mut bits = 0u64;
    for b in key7 {
        bits = (bits << 8) | u64::from(*b);
    }
    let key: Vec<u8> =
        (0..8).map(|i| u8::try_from(((bits >> (49 - 7 * i)) & 0x7f) << 1).unwrap_or(0)).collect();
    let Ok(cipher) = des::Des::new_from_slice(&key) else {
        return vec![0; 8];
    };
    let mut out = GenericArray::clone_from_slice(block);
    cipher.encrypt_block(&mut out);
    out.to_vec()
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let Ok(mut mac) = <Hmac<md5::Md5> as Mac>::new_from_slice(key) else {
        return Vec::new();
    };
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// Node's `Buffer.from(s, 'ascii')`: each UTF-16 unit's low byte.
fn ascii(s: &str) -> Vec<u8> {
    s.encode_utf16().map(|u| u.to_le_bytes()[0]).collect()
}

/// JavaScript's `escape`, which httpntlm applies to the domain and workstation.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for unit in s.encode_utf16() {
        match u8::try_from(unit) {
            Ok(b) if b.is_ascii_alphanumeric() || b"@*_+-./".contains(&b) => out.push(char::from(b)),
            Ok(b) => out.push_str(&format!("%{b:02X}")),
            Err(_) => out.push_str(&format!("%u{unit:04X}")),
        }
    }
    out
}

fn u16_len(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(domain: &str, workstation: &str) -> Identity {
        Identity {
            user: "User".into(),
            domain: domain.into(),
            workstation: workstation.into(),
            password: "Password".into(),
        }
    }

    // httpntlm (what newman uses), run by node with `Math.random` and `Date.now` fixed, made every
    // message here; the NTLMv1 responses are also MS-NLMP's own example (4.2.2: User, Domain,
    // Password, server challenge 0123456789abcdef).
    #[test]
    fn messages_are_httpntlms() {
        assert_eq!(
            negotiate(&id("Domain", "COMPUTER")),
            "NTLM TlRMTVNTUAABAAAAB7IIogYABgAwAAAACAAIACgAAAAFASgKAAAAD0NPTVBVVEVSRE9NQUlO"
        );
        assert_eq!(negotiate(&id("", "")), "NTLM TlRMTVNTUAABAAAAB6IIogAAAAAoAAAAAAAAACgAAAAFASgKAAAADw==");
        let client = [0x19; 8];
        let now = 1_700_000_000_000;
        let cases = [
            (
                "NTLM TlRMTVNTUAACAAAADAAMADAAAAAFgogAASNFZ4mrze8AAAAAAAAAACQAJAA8AAAARABvAG0AYQBpAG4AAgAMAEQAbwBtAGEAaQBuAAEADABTAGUAcgB2AGUAcgAAAAAA",
                "NTLM TlRMTVNTUAADAAAAGAAYAGwAAABUAFQAhAAAAAwADABIAAAACAAIAFQAAAAQABAAXAAAAAAAAADYAAAABYKIogUBKAoAAAAPRABPAE0AQQBJAE4AVQBzAGUAcgBDAE8ATQBQAFUAVABFAFIARcCLuW8xn8WYefrLrdfg5RkZGRkZGRkZMPi30At87wZJtfrE6rYq8AEBAAAAAAAAAABtxkcX2gEZGRkZGRkZGQAAAAACAAwARABvAG0AYQBpAG4AAQAMAFMAZQByAHYAZQByAAAAAAAAAAAA",
            ),
            (
                "NTLM TlRMTVNTUAACAAAADAAMADAAAAABAggAASNFZ4mrze8AAAAAAAAAAAAAAAAAAAAARABvAG0AYQBpAG4A",
                "NTLM TlRMTVNTUAADAAAAGAAYAGwAAAAYABgAhAAAAAwADABIAAAACAAIAFQAAAAQABAAXAAAAAAAAACcAAAABYKIogUBKAoAAAAPRABPAE0AQQBJAE4AVQBzAGUAcgBDAE8ATQBQAFUAVABFAFIAGRkZGRkZGRkAAAAAAAAAAAAAAAAAAAAA10rKzUxabIYOYWG7D7Bi46eObBwBUOWC",
            ),
            (
                "NTLM TlRMTVNTUAACAAAADAAMADAAAAABAgAAASNFZ4mrze8AAAAAAAAAAAAAAAAAAAAARABvAG0AYQBpAG4A",
                "NTLM TlRMTVNTUAADAAAAGAAYAGwAAAAYABgAhAAAAAwADABIAAAACAAIAFQAAAAQABAAXAAAAAAAAACcAAAABYKIogUBKAoAAAAPRABPAE0AQQBJAE4AVQBzAGUAcgBDAE8ATQBQAFUAVABFAFIAmN73uH+Iql2v4t93loihct7xHH1cze8TZ8QwEfMCmKKtNezmTxYzHES9vtknhB+U",
            ),
            (
                "NTLM TlRMTVNTUAACAAAADAAMADAAAAAAAgAAASNFZ4mrze8AAAAAAAAAAAAAAAAAAAAARABvAG0AYQBpAG4A",
                "NTLM TlRMTVNTUAADAAAAGAAYAFoAAAAYABgAcgAAAAYABgBIAAAABAAEAE4AAAAIAAgAUgAAAAAAAACKAAAABIKIogUBKAoAAAAPRE9NQUlOVXNlckNPTVBVVEVSmN73uH+Iql2v4t93loihct7xHH1cze8TZ8QwEfMCmKKtNezmTxYzHES9vtknhB+U",
            ),
        ];
        for (challenge, expected) in cases {
            let c = parse_challenge(challenge).unwrap();
            assert_eq!(c.server_challenge, [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
            assert_eq!(authenticate(&id("Domain", "COMPUTER"), &c, client, now), expected, "{challenge}");
        }
    }

    #[test]
    fn the_domain_comes_from_the_user_name_when_empty() {
        let of = |user: &str, domain: &str| {
            let i = Identity::of(&NtlmAuth {
                username: user.into(),
                domain: domain.into(),
                ..NtlmAuth::default()
            });
            (i.user, i.domain)
        };
        assert_eq!(of("CORP\\alice", ""), ("alice".into(), "CORP".into()));
        assert_eq!(of("alice@corp.example", ""), ("alice".into(), "corp.example".into()));
        assert_eq!(of("CORP\\alice@x", ""), ("CORP\\alice@x".into(), String::new()));
        assert_eq!(of("CORP\\alice", "OTHER"), ("CORP\\alice".into(), "OTHER".into()));
        assert_eq!(of("alice", ""), ("alice".into(), String::new()));
    }

    #[test]
    fn challenges_are_read_or_refused() {
        assert!(
            offers_ntlm(&["Negotiate, NTLM"])
                && offers_ntlm(&["Basic", "NTLM"])
                && offers_ntlm(&["Negotiate"])
        );
        assert!(!offers_ntlm(&["Basic realm=x"]) && !offers_ntlm(&[]));
        for bad in ["NTLM", "NTLM !!!", "NTLM AAAA", "Basic abc"] {
            assert!(parse_challenge(bad).is_err(), "{bad}");
        }
        // A target-info length past the end is refused, not read.
        let mut b = STANDARD.decode("TlRMTVNTUAACAAAADAAMADAAAAAFgogAASNFZ4mrze8AAAAAAAAAACQAJAA8AAAARABvAG0AYQBpAG4AAgAMAEQAbwBtAGEAaQBuAAEADABTAGUAcgB2AGUAcgAAAAAA").unwrap();
        b[40] = 0xff;
        assert!(parse_challenge(&format!("NTLM {}", STANDARD.encode(&b))).is_err());
        assert_eq!(escape("ÄB c"), "%C4B%20c");
    }
}
