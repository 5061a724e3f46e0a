//! What a response's `Set-Cookie` headers asked for, attribute by attribute, as the response's
//! Cookies tab lists them (whether the jar kept each is the jar's business: see
//! [`crate::http::cookies`]).

use time::OffsetDateTime;

use super::form::format_expiry;
use crate::model::Header;

/// One `Set-Cookie` header, read. Not `Debug`: it holds the cookie's value, a credential.
#[derive(Clone, PartialEq, Eq)]
pub struct SetCookieView {
    pub name: String,
    pub value: String,
    /// The `Domain` attribute, or the host that answered (the cookie is then for it alone).
    pub domain: String,
    /// Whether there was no `Domain` attribute.
    pub host_only: bool,
    /// The `Path` attribute, or the default path the jar uses for it.
    pub path: String,
    /// `Session`, a date, `Max-Age N s`, or both.
    pub expires: String,
    /// The cookie deletes one of that name (an expiry in the past, or `Max-Age` 0 or less).
    pub deletes: bool,
    pub secure: bool,
    pub http_only: bool,
    /// `Strict`, `Lax`, `None`, or empty when not set.
    pub same_site: String,
    /// Set when the header could not be read as a cookie: the header as received.
    pub unreadable: Option<String>,
}

/// The `Set-Cookie` headers of a response from `url` (the URL the final request went to).
pub fn set_cookies(headers: &[Header], url: &str) -> Vec<SetCookieView> {
    let url = url::Url::parse(url).ok();
    let host = url
        .as_ref()
        .and_then(|u| u.host_str())
        .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase())
        .unwrap_or_default();
    let default_path = url.as_ref().map_or_else(|| "/".to_owned(), crate::http::cookies::default_path);
    headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
        .map(|h| read(&h.value, &host, &default_path, OffsetDateTime::now_utc()))
        .collect()
}

/// Only the count, for the tab's title (drawn every frame).
pub fn set_cookie_count(headers: &[Header]) -> usize {
    headers.iter().filter(|h| h.name.eq_ignore_ascii_case("set-cookie")).count()
}

fn read(raw: &str, host: &str, default_path: &str, now: OffsetDateTime) -> SetCookieView {
    let parsed = match cookie::Cookie::parse(raw.to_owned()) {
        Ok(c) if !c.name().is_empty() => c,
        _ => return unreadable(raw),
    };
    let (domain, host_only) = match parsed.domain().map(|d| d.trim_start_matches('.')) {
        Some(d) if !d.is_empty() => (d.to_ascii_lowercase(), false),
        _ => (host.to_owned(), true),
    };
    let path = match parsed.path() {
        Some(p) if p.starts_with('/') => p.to_owned(),
        _ => default_path.to_owned(),
    };
    let max_age = parsed.max_age();
    let at = parsed.expires_datetime();
    let expires = match (max_age, at) {
        (Some(age), Some(at)) => format!("Max-Age {} s (Expires {})", age.whole_seconds(), format_expiry(at)),
        (Some(age), None) => format!("Max-Age {} s", age.whole_seconds()),
        (None, Some(at)) => format_expiry(at),
        (None, None) => "Session".to_owned(),
    };
    // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
    let deletes = match (max_age, at) {
        (Some(age), _) => age.whole_seconds() <= 0,
        (None, Some(at)) => at <= now,
        (None, None) => false,
    };
    SetCookieView {
        name: parsed.name().to_owned(),
        value: parsed.value().to_owned(),
        domain,
        host_only,
        path,
        expires,
        deletes,
        secure: parsed.secure().unwrap_or(false),
        http_only: parsed.http_only().unwrap_or(false),
        same_site: parsed.same_site().map(|s| s.to_string()).unwrap_or_default(),
        unreadable: None,
    }
}

fn unreadable(raw: &str) -> SetCookieView {
    SetCookieView {
        name: String::new(),
        value: String::new(),
        domain: String::new(),
        host_only: true,
        path: String::new(),
        expires: String::new(),
        deletes: false,
        secure: false,
        http_only: false,
        same_site: String::new(),
        unreadable: Some(raw.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(v: &str) -> Header {
        Header::new("Set-Cookie", v)
    }

    #[test]
    fn every_attribute_the_response_set_is_read() {
        let headers = vec![
            Header::new("Content-Type", "text/plain"),
            header(
                "sid=abc123; Domain=.Example.com; Path=/app; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Secure; HttpOnly; SameSite=Strict",
            ),
            header("theme=dark"),
            header("gone=; Max-Age=0"),
            header("=nameless"),
        ];
        let list = set_cookies(&headers, "http://api.example.com/v1/login");
        assert_eq!(list.len(), 4);
        assert_eq!(set_cookie_count(&headers), 4);
        let sid = &list[0];
        assert_eq!((sid.name.as_str(), sid.value.as_str()), ("sid", "abc123"));
        assert_eq!((sid.domain.as_str(), sid.host_only, sid.path.as_str()), ("example.com", false, "/app"));
        assert_eq!(sid.expires, "2037-10-21 07:28:00 UTC");
        assert!(sid.secure && sid.http_only && !sid.deletes);
        assert_eq!(sid.same_site, "Strict");
        let theme = &list[1];
        assert_eq!(
            (theme.domain.as_str(), theme.host_only, theme.path.as_str()),
            ("api.example.com", true, "/v1")
        );
        assert_eq!(theme.expires, "Session");
        assert!(!theme.secure && !theme.http_only && theme.same_site.is_empty());
        assert!(list[2].deletes);
        assert_eq!(list[2].expires, "Max-Age 0 s");
        assert_eq!(list[3].unreadable.as_deref(), Some("=nameless"));
    }
}
