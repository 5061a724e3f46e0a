//! Cookies, as kept in a workspace's cookie jar (`cookies.ron`) and imported from other tools.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::kv::{is_false, is_true};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cookie {
    pub name: String,
    pub value: String,
    /// The domain without a leading dot.
    pub domain: String,
    #[serde(default = "root_path")]
    pub path: String,
    /// `None`: a session cookie.
    #[serde(with = "time::serde::rfc3339::option", default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub secure: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub http_only: bool,
    /// Sent only to exactly `domain`, not its subdomains.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub host_only: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub same_site: String,
}

fn root_path() -> String {
    "/".to_owned()
}

fn yes() -> bool {
    true
}

/// A workspace's cookies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CookieJar {
    #[serde(default)]
    pub cookies: Vec<Cookie>,
}

/// A cookie's value is a credential (a session): masked.
impl std::fmt::Debug for Cookie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cookie")
            .field("name", &self.name)
            .field("value", &super::masked::Masked(&self.value))
            .field("domain", &self.domain)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}
