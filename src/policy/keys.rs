//! The typed values of policy keys that need more than a bool or a number: host patterns, TLS
//! versions, the proxy rule. Each parses from what an administrator writes and says exactly what
//! is wrong with a bad value.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A rule in `allowed_hosts` or `blocked_hosts`.
///
/// - `*` matches every host;
/// - `api.example.com` matches that host only;
/// - `*.example.com` matches every subdomain at any depth (`a.example.com`, `a.b.example.com`),
///   not `example.com` itself (list both to mean both);
/// - `10.1.2.3`, `::1` match that address (an IPv4-mapped IPv6 address counts as its IPv4 one);
/// - `10.0.0.0/8`, `fd00::/8` match every address in the range.
///
/// Names match the host of the URL as written (internationalized names in their `xn--` form);
/// addresses match IP literals in URLs and, when the engine asks, the address a name resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPattern {
    text: String,
    kind: PatternKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum PatternKind {
    Any,
    Exact(String),
    Subdomains(String),
    Ip(IpAddr),
    Range { network: IpAddr, prefix_len: u8 },
}

/// The host of a URL, as host patterns see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckedHost {
    /// Lower-case ASCII (punycode), without a trailing dot.
    Domain(String),
    Ip(IpAddr),
}

impl CheckedHost {
    /// The host of `url`, or `None` for URLs without one (`mailto:`, `data:`).
    pub fn of(url: &url::Url) -> Option<Self> {
        match url.host()? {
            url::Host::Domain(d) => Some(Self::Domain(d.trim_end_matches('.').to_ascii_lowercase())),
            url::Host::Ipv4(ip) => Some(Self::Ip(IpAddr::V4(ip))),
            url::Host::Ipv6(ip) => Some(Self::Ip(IpAddr::V6(ip).to_canonical())),
        }
    }
}

impl fmt::Display for CheckedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckedHost::Domain(d) => f.write_str(d),
            CheckedHost::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// What is wrong with a host pattern; each names the pattern as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HostPatternError {
    #[error("an empty host pattern")]
    Empty,
    #[error("`{text}` is a URL; write only its host (e.g. `api.example.com`)")]
    Url { text: String },
    #[error("`{text}` contains a space")]
    Space { text: String },
    /// A range (`addr/len`) whose address part is not an address.
    #[error("`{text}`: `{addr}` is not an IP address")]
    NotAnAddress { text: String, addr: String },
    #[error("`{text}`: the prefix length must be 0 to {max}")]
    PrefixLength { text: String, max: u8 },
    #[error("`{text}`: `*` is only allowed alone or as a leading `*.`")]
    Wildcard { text: String },
    #[error("`{text}`: ports are not part of host patterns; write the host only")]
    Port { text: String },
    /// `*.` in front of an address (`*.10.0.0.1`).
    #[error("`{text}`: `*.` goes before a domain name, not an address")]
    WildcardAddress { text: String },
    #[error("`{text}` is not a host name ({error})")]
    NotAHost { text: String, error: url::ParseError },
}

impl HostPattern {
    /// Reads a pattern as an administrator writes it; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, HostPatternError> {
        let trimmed = text.trim();
        let kind = Self::parse_kind(trimmed)?;
        Ok(Self { text: trimmed.to_owned(), kind })
    }

    fn parse_kind(text: &str) -> Result<PatternKind, HostPatternError> {
        if text.is_empty() {
            return Err(HostPatternError::Empty);
        }
        if text == "*" {
            return Ok(PatternKind::Any);
        }
        if text.contains("://") {
            return Err(HostPatternError::Url { text: text.to_owned() });
        }
        if text.chars().any(char::is_whitespace) {
            return Err(HostPatternError::Space { text: text.to_owned() });
        }
        if let Some((addr, len)) = text.split_once('/') {
            let network: IpAddr = addr.parse().map_err(|_| HostPatternError::NotAnAddress {
                text: text.to_owned(),
                addr: addr.to_owned(),
            })?;
            let max = if network.is_ipv4() { 32 } else { 128 };
            let prefix_len: u8 = len
                .parse()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| HostPatternError::PrefixLength { text: text.to_owned(), max })?;
            // An IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) is read as its IPv4 range, as the
            // addresses it is compared with are.
            let (network, prefix_len) = match network.to_canonical() {
                IpAddr::V4(v4) if network.is_ipv6() && prefix_len >= 96 => (IpAddr::V4(v4), prefix_len - 96),
                _ => (network, prefix_len),
            };
            return Ok(PatternKind::Range { network: mask(network, prefix_len), prefix_len });
        }
        if let Ok(ip) = text.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            return Ok(PatternKind::Ip(ip.to_canonical()));
        }
        let (subdomains, name) = match text.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if name.contains('*') {
            return Err(HostPatternError::Wildcard { text: text.to_owned() });
        }
        if name.contains(':') {
            return Err(HostPatternError::Port { text: text.to_owned() });
        }
        match url::Host::parse(name) {
            Ok(url::Host::Domain(d)) if !subdomains => {
                Ok(PatternKind::Exact(d.trim_end_matches('.').to_ascii_lowercase()))
            }
            Ok(url::Host::Domain(d)) => {
                Ok(PatternKind::Subdomains(d.trim_end_matches('.').to_ascii_lowercase()))
            }
            Ok(url::Host::Ipv4(ip)) if !subdomains => Ok(PatternKind::Ip(IpAddr::V4(ip))),
            Ok(url::Host::Ipv6(ip)) if !subdomains => Ok(PatternKind::Ip(IpAddr::V6(ip).to_canonical())),
            Ok(_) => Err(HostPatternError::WildcardAddress { text: text.to_owned() }),
            Err(e) => Err(HostPatternError::NotAHost { text: text.to_owned(), error: e }),
        }
    }

    /// `*`: every host.
    pub fn any() -> Self {
        Self { text: "*".to_owned(), kind: PatternKind::Any }
    }

    /// The pattern as the administrator wrote it (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, host: &CheckedHost) -> bool {
        match (&self.kind, host) {
            (PatternKind::Any, _) => true,
            (PatternKind::Exact(p), CheckedHost::Domain(d)) => p == d,
            (PatternKind::Subdomains(p), CheckedHost::Domain(d)) => {
                d.len() > p.len() + 1 && d.ends_with(p.as_str()) && d[..d.len() - p.len()].ends_with('.')
            }
            (PatternKind::Ip(p), CheckedHost::Ip(ip)) => p == ip,
            (PatternKind::Range { network, prefix_len }, CheckedHost::Ip(ip)) => {
                network.is_ipv4() == ip.is_ipv4() && mask(*ip, *prefix_len) == *network
            }
            _ => false,
        }
    }

    /// Whether this pattern can only ever match addresses (so resolved addresses matter).
    pub(crate) fn is_address(&self) -> bool {
        matches!(self.kind, PatternKind::Ip(_) | PatternKind::Range { .. })
    }
}

fn mask(ip: IpAddr, prefix_len: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = if prefix_len == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix_len.min(32))) };
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = if prefix_len == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix_len.min(128))) };
            IpAddr::V6((bits & m).into())
        }
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for HostPattern {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// What is wrong with a scheme in `allowed_schemes`; each names the scheme as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    /// `https://` or `https:` instead of `https`.
    #[error("`{text}`: write the scheme without `:` or `://` (e.g. `https`)")]
    Separator { text: String },
    #[error("`{text}` is not a URL scheme")]
    Invalid { text: String },
}

/// Reads a URL scheme as written in `allowed_schemes` (`https`, `HTTP` is read as `http`).
pub fn parse_scheme(text: &str) -> Result<String, SchemeError> {
    let scheme = text.trim().to_ascii_lowercase();
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '-' | '.'));
    if valid {
        Ok(scheme)
    } else if scheme.ends_with("://") || scheme.ends_with(':') {
        Err(SchemeError::Separator { text: text.to_owned() })
    } else {
        Err(SchemeError::Invalid { text: text.to_owned() })
    }
}

/// The oldest TLS version a connection may use. Localpost's TLS stack speaks 1.2 and 1.3 only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TlsVersion {
    Tls1_2,
    Tls1_3,
}

/// What is wrong with `min_tls_version`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TlsVersionError {
    /// A TLS version older than Localpost's TLS stack speaks (`1.0`, `1.1`).
    #[error("TLS {version} is not supported (Localpost speaks TLS 1.2 and 1.3); write \"1.2\" or \"1.3\"")]
    Unsupported { version: String },
    #[error("`{text}` is not a TLS version; write \"1.2\" or \"1.3\"")]
    Unknown { text: String },
}

impl TlsVersion {
    pub fn parse(text: &str) -> Result<Self, TlsVersionError> {
        match text.trim() {
            "1.2" => Ok(Self::Tls1_2),
            "1.3" => Ok(Self::Tls1_3),
            version @ ("1.0" | "1.1") => Err(TlsVersionError::Unsupported { version: version.to_owned() }),
            other => Err(TlsVersionError::Unknown { text: other.to_owned() }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tls1_2 => "1.2",
            Self::Tls1_3 => "1.3",
        }
    }
}

impl fmt::Display for TlsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TlsVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where requests go through, as the policy states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProxyMode {
    /// The proxy the environment names (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`).
    System,
    /// Direct connections.
    None,
    /// One proxy for every request, except hosts in `no_proxy`.
    Fixed {
        /// `http://host:port`, `https://host:port` or `socks5://host:port`.
        url: String,
        #[serde(default)]
        no_proxy: Vec<String>,
    },
}

/// What is wrong with a fixed proxy in the `proxy` key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProxyError {
    #[error("`{url}` is not a proxy URL ({error})")]
    NotAUrl { url: String, error: url::ParseError },
    #[error("the proxy scheme must be http, https, socks5 or socks5h, not `{scheme}`")]
    Scheme { scheme: String },
    #[error("`{url}` has no host")]
    NoHost { url: String },
    /// A user name or password in the proxy URL.
    #[error("a policy file is readable by every user; do not put proxy credentials in it")]
    Credentials,
    #[error("no_proxy entry `{entry}` is not a host")]
    NoProxyEntry { entry: String },
}

/// The `proxy` key: a mode, and whether users may change it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyRule {
    pub mode: ProxyMode,
    /// Users may not change it. Not written: `false`.
    #[serde(default)]
    pub locked: bool,
}

impl ProxyRule {
    /// The user setting this rule stands for.
    pub fn to_setting(&self) -> crate::model::ProxySetting {
        use crate::model::ProxySetting;
        match &self.mode {
            ProxyMode::System => ProxySetting::System,
            ProxyMode::None => ProxySetting::None,
            ProxyMode::Fixed { url, no_proxy } => ProxySetting::Manual {
                url: url.clone(),
                username: String::new(),
                password: String::new(),
                no_proxy: no_proxy.join(","),
            },
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ProxyError> {
        let ProxyMode::Fixed { url, no_proxy } = &self.mode else { return Ok(()) };
        let parsed = url::Url::parse(url).map_err(|error| ProxyError::NotAUrl { url: url.clone(), error })?;
        if !matches!(parsed.scheme(), "http" | "https" | "socks5" | "socks5h") {
            return Err(ProxyError::Scheme { scheme: parsed.scheme().to_owned() });
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(ProxyError::NoHost { url: url.clone() });
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(ProxyError::Credentials);
        }
        if let Some(bad) = no_proxy.iter().find(|h| h.trim().is_empty() || h.contains(char::is_whitespace)) {
            return Err(ProxyError::NoProxyEntry { entry: bad.clone() });
        }
        Ok(())
    }
}

/// What is wrong with a path that must be absolute.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("an empty path")]
    Empty,
    #[error("`{text}` is not an absolute path")]
    NotAbsolute { text: String },
}

/// Reads an absolute file or folder path; relative paths would depend on where Localpost starts.
pub fn parse_absolute_path(text: &str) -> Result<PathBuf, PathError> {
    let path = PathBuf::from(text.trim());
    if text.trim().is_empty() {
        Err(PathError::Empty)
    } else if !path.is_absolute() {
        Err(PathError::NotAbsolute { text: text.to_owned() })
    } else {
        Ok(path)
    }
}

/// What is wrong with `organization_name` or `support_contact`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("an empty text")]
    Empty,
    #[error("longer than {max_chars} characters")]
    TooLong { max_chars: usize },
    #[error("contains control characters (a line break or tab)")]
    ControlCharacters,
}

/// Reads `organization_name` or `support_contact`: one line of text, at most `max_chars`.
pub fn parse_label(text: &str, max_chars: usize) -> Result<String, LabelError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        Err(LabelError::Empty)
    } else if trimmed.chars().count() > max_chars {
        Err(LabelError::TooLong { max_chars })
    } else if trimmed.chars().any(char::is_control) {
        Err(LabelError::ControlCharacters)
    } else {
        Ok(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(url: &str) -> CheckedHost {
        CheckedHost::of(&url::Url::parse(url).unwrap()).unwrap()
    }

    #[test]
    fn exact_and_subdomain_patterns() {
        let exact = HostPattern::parse("API.Example.com").unwrap();
        assert!(exact.matches(&host("https://api.example.com/x")));
        assert!(exact.matches(&host("https://api.example.com./x")));
        assert!(!exact.matches(&host("https://example.com/")));
        let sub = HostPattern::parse("*.example.com").unwrap();
        assert!(sub.matches(&host("https://a.example.com/")));
        assert!(sub.matches(&host("https://a.b.example.com/")));
        assert!(!sub.matches(&host("https://example.com/")));
        assert!(!sub.matches(&host("https://badexample.com/")));
        assert!(HostPattern::parse("*").unwrap().matches(&host("http://10.0.0.1/")));
    }

    #[test]
    fn address_and_range_patterns() {
        let range = HostPattern::parse("169.254.0.0/16").unwrap();
        assert!(range.matches(&host("http://169.254.169.254/latest")));
        assert!(range.matches(&host("http://[::ffff:169.254.169.254]/")));
        // Decimal and short forms are read as the address they are.
        assert!(range.matches(&host("http://2852039166/")));
        assert!(!range.matches(&host("http://169.255.0.1/")));
        let v6 = HostPattern::parse("fd00::/8").unwrap();
        assert!(v6.matches(&host("http://[fd12::1]/")));
        assert!(!v6.matches(&host("http://[fe80::1]/")));
        let one = HostPattern::parse("[::1]").unwrap();
        assert!(one.matches(&host("http://[::1]:8080/")));
        assert!(HostPattern::parse("0.0.0.0/0").unwrap().matches(&host("http://8.8.8.8/")));
    }

    #[test]
    fn internationalized_names_match_their_punycode() {
        let p = HostPattern::parse("*.bücher.example").unwrap();
        assert!(p.matches(&host("https://shop.bücher.example/")));
        assert!(p.matches(&host("https://shop.xn--bcher-kva.example/")));
    }

    #[test]
    fn bad_patterns_say_why() {
        for (text, needle) in [
            ("", "empty"),
            ("https://api.example.com", "is a URL"),
            ("api.example.com:443", "ports"),
            ("a*.example.com", "leading `*.`"),
            ("exa mple.com", "space"),
            ("10.0.0.0/33", "prefix length"),
            ("*.10.0.0.1", "not an address"),
        ] {
            let err = HostPattern::parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn schemes_and_tls_versions() {
        assert_eq!(parse_scheme("HTTPS").unwrap(), "https");
        assert!(parse_scheme("https://").unwrap_err().to_string().contains("without"));
        assert!(parse_scheme("1http").is_err());
        assert_eq!(TlsVersion::parse("1.3").unwrap(), TlsVersion::Tls1_3);
        assert!(TlsVersion::parse("1.1").unwrap_err().to_string().contains("not supported"));
        assert!(TlsVersion::Tls1_3 > TlsVersion::Tls1_2);
    }

    #[test]
    fn proxy_rules_are_checked() {
        let fixed = |url: &str| ProxyRule {
            mode: ProxyMode::Fixed { url: url.into(), no_proxy: vec!["localhost".into()] },
            locked: true,
        };
        assert!(fixed("http://proxy.corp.example:3128").validate().is_ok());
        assert!(fixed("ftp://proxy").validate().unwrap_err().to_string().contains("scheme"));
        assert_eq!(fixed("http://user:pw@proxy:3128").validate(), Err(ProxyError::Credentials));
        assert!(fixed("not a url").validate().is_err());
    }
}
