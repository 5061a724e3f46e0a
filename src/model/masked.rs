//! `Debug` output that never carries a secret (a log line or a panic message may end up in a bug
//! report): a value that may be one prints as `***`. Secret values on screen are masked by the
//! UI; this is the same promise for text meant for developers.

use std::fmt;

/// A value that may be a secret: `***` when set, `""` when empty (so a missing value still
/// shows).
pub(crate) struct Masked<'a>(pub &'a str);

impl fmt::Debug for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { f.write_str("\"\"") } else { f.write_str("***") }
    }
}

/// Header names whose values are credentials.
pub fn is_credential_header(name: &str) -> bool {
    const NAMES: [&str; 7] = [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "x-auth-token",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name.trim()))
}

/// A header's or key-value row's value as `Debug` shows it: masked under a credential name.
pub(crate) struct HeaderValue<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

impl fmt::Debug for HeaderValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_credential_header(self.name) {
            Masked(self.value).fmt(f)
        } else {
            fmt::Debug::fmt(self.value, f)
        }
    }
}
