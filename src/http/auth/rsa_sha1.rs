//! RSASSA-PKCS1-v1_5 with SHA-1 (OAuth 1.0's RSA-SHA1), which aws-lc-rs does not offer for
//! signing: the same aws-lc library, called directly. The only `unsafe` here is the FFI.

use std::os::raw::{c_long, c_uint};

use super::oauth1::OAuth1Error;

/// Signs a SHA-1 `digest` with a DER private key (PKCS #8 or PKCS #1 RSA).
#[allow(unsafe_code)]
pub fn sign(der: &[u8], digest: &[u8]) -> Result<Vec<u8>, OAuth1Error> {
    use aws_lc_sys::{EVP_PKEY_free, EVP_PKEY_get0_RSA, NID_sha1, RSA_sign, RSA_size, d2i_AutoPrivateKey};
    let len = c_long::try_from(der.len()).map_err(|_| OAuth1Error::UnreadableRsaKey)?;
    // SAFETY: `der` outlives the call and `len` is its length; aws-lc reads at most `len` bytes
    // and returns an owned key (or null), freed below on every path.
    let key = unsafe {
        let mut input = der.as_ptr();
        d2i_AutoPrivateKey(std::ptr::null_mut(), &raw mut input, len)
    };
    if key.is_null() {
        return Err(OAuth1Error::UnreadableRsaKey);
    }
    // SAFETY: `key` is a valid key until freed at the end; the RSA it holds is borrowed (get0),
    // `out` has RSA_size bytes as RSA_sign requires, and `digest.len()` is the digest's length.
    unsafe {
        let rsa = EVP_PKEY_get0_RSA(key);
        let result = if rsa.is_null() {
            Err(OAuth1Error::UnreadableRsaKey)
        } else {
            let mut out = vec![0u8; RSA_size(rsa) as usize];
            let mut out_len: c_uint = 0;
            let ok =
                RSA_sign(NID_sha1, digest.as_ptr(), digest.len(), out.as_mut_ptr(), &raw mut out_len, rsa);
            if ok == 1 {
                out.truncate(out_len as usize);
                Ok(out)
            } else {
                Err(OAuth1Error::SigningFailed)
            }
        };
        EVP_PKEY_free(key);
        result
    }
}
