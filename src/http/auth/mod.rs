//! Auth schemes that need more than a header computed from the request: digest (a challenge and
//! a retry), OAuth 2.0 (a token fetched and cached), AWS Signature Version 4 (a signature over the
//! final request; Akamai EdgeGrid likewise), OAuth 1.0a (a signature over the prepared request, made in [`super::prepare`]).
//! Basic, bearer and API key are applied in [`super::prepare`].

pub mod digest;
pub mod edgegrid;
pub mod hawk;
pub mod jwt;
pub mod ntlm;
pub mod oauth1;
pub mod oauth2;
mod rsa_sha1;
pub mod sigv4;

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}
