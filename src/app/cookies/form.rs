//! The cookie manager's form: the text a user typed for one cookie, checked and turned into a
//! [`Cookie`] (or a message saying what to fix), and how an expiry is written and read back.

use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::model::Cookie;

/// What identifies a cookie in a jar: two cookies with the same name, domain and path are one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookieKey {
    pub name: String,
    pub domain: String,
    pub path: String,
}

impl CookieKey {
    pub fn of(cookie: &Cookie) -> Self {
        Self { name: cookie.name.clone(), domain: cookie.domain.clone(), path: cookie.path.clone() }
    }

    /// Whether `cookie` is the one this key names (domains compare without case, as the jar does).
    pub fn names(&self, cookie: &Cookie) -> bool {
        cookie.name == self.name
            && cookie.domain.eq_ignore_ascii_case(&self.domain)
            && cookie.path == self.path
    }
}

/// The `SameSite` choices the form offers; empty means the attribute is not set.
pub const SAME_SITE: [&str; 4] = ["", "Lax", "Strict", "None"];

/// A cookie as typed into the manager's form (its `Debug` masks the value, a credential).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CookieForm {
    /// The cookie being edited; `None` when adding one.
    pub original: Option<CookieKey>,
    pub name: String,
    pub value: String,
    pub domain: String,
    pub path: String,
    /// Empty for a session cookie, else a date (see [`parse_expiry`]).
    pub expires: String,
    /// Sent to subdomains of `domain` too (a `Domain` attribute); otherwise to `domain` alone.
    pub subdomains: bool,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: String,
    /// What is wrong with what was typed, after a save was tried.
    pub error: Option<String>,
}

impl std::fmt::Debug for CookieForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CookieForm")
            .field("name", &self.name)
            .field("value", &crate::model::masked::Masked(&self.value))
            .field("domain", &self.domain)
            .field("path", &self.path)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl CookieForm {
    /// A new cookie for `domain` (may be empty), path `/`, a session cookie.
    pub fn new_for(domain: &str) -> Self {
        Self { domain: domain.to_owned(), path: "/".to_owned(), ..Self::default() }
    }

    /// The form of an existing cookie.
    pub fn edit(cookie: &Cookie) -> Self {
        Self {
            original: Some(CookieKey::of(cookie)),
            name: cookie.name.clone(),
            value: cookie.value.clone(),
            domain: cookie.domain.clone(),
            path: cookie.path.clone(),
            expires: cookie.expires.map(format_expiry_input).unwrap_or_default(),
            subdomains: !cookie.host_only,
            secure: cookie.secure,
            http_only: cookie.http_only,
            same_site: cookie.same_site.clone(),
            error: None,
        }
    }

    /// The cookie the form describes, or what to fix, in words for the user.
    pub fn to_cookie(&self, now: OffsetDateTime) -> Result<Cookie, String> {
        let name = self.name.trim();
        check_name(name)?;
        check_value(&self.value)?;
        let domain = check_domain(&self.domain)?;
        let path = check_path(&self.path)?;
        let expires = parse_expiry(&self.expires, now)?;
        Ok(Cookie {
            name: name.to_owned(),
            value: self.value.clone(),
            domain,
            path,
            expires,
            secure: self.secure,
            http_only: self.http_only,
            host_only: !self.subdomains,
            same_site: self.same_site.clone(),
        })
    }
}

/// RFC 6265 §4.1.1: a cookie name is a token (no separators, spaces or control characters).
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("The cookie needs a name.".to_owned());
    }
    if let Some(c) =
        name.chars().find(|c| c.is_control() || c.is_whitespace() || "()<>@,;:\\\"/[]?={}".contains(*c))
    {
        return Err(format!("A cookie name cannot contain {}.", describe(c)));
    }
    if !name.is_ascii() {
        return Err("A cookie name can hold only ASCII letters, digits and symbols.".to_owned());
    }
    Ok(())
}

fn check_value(value: &str) -> Result<(), String> {
    match value.chars().find(|c| c.is_control() || *c == ';') {
        Some(';') => Err("A cookie value cannot contain `;` (it ends the cookie).".to_owned()),
        Some(c) => Err(format!("A cookie value cannot contain {}.", describe(c))),
        None => Ok(()),
    }
}

/// The domain as the jar keeps it: lowercase, without a leading dot.
fn check_domain(typed: &str) -> Result<String, String> {
    let domain = typed.trim().trim_start_matches('.').to_ascii_lowercase();
    if domain.is_empty() {
        return Err("Enter the domain the cookie is sent to, like example.com.".to_owned());
    }
    if domain.contains("://") || domain.contains('/') {
        return Err(format!("Enter only the domain, like example.com, not a URL: `{}`.", typed.trim()));
    }
    if domain.parse::<std::net::IpAddr>().is_ok() {
        return Ok(domain);
    }
    match url::Host::parse(&domain) {
        Ok(url::Host::Domain(_) | url::Host::Ipv4(_)) if !domain.contains(':') && !domain.ends_with('.') => {
            Ok(domain)
        }
        _ => Err(format!(
            "`{}` is not a domain name: write it like example.com or api.example.com.",
            typed.trim()
        )),
    }
}

fn check_path(typed: &str) -> Result<String, String> {
    let path = typed.trim();
    if path.is_empty() {
        return Ok("/".to_owned());
    }
    if !path.starts_with('/') {
        return Err(format!("A cookie path starts with `/`, like /api: `{path}`."));
    }
    match path.chars().find(|c| c.is_control() || c.is_whitespace() || *c == ';') {
        Some(c) => Err(format!("A cookie path cannot contain {}.", describe(c))),
        None => Ok(path.to_owned()),
    }
}

/// A character named so a user can find it in what they typed.
fn describe(c: char) -> String {
    match c {
        ' ' => "spaces".to_owned(),
        '\t' => "tabs".to_owned(),
        '\n' | '\r' => "line breaks".to_owned(),
        c if c.is_control() => "control characters".to_owned(),
        c => format!("`{c}`"),
    }
}

/// How an expiry is shown: `2027-12-31 23:59:00 UTC`.
pub fn format_expiry(at: OffsetDateTime) -> String {
    format!("{} UTC", format_expiry_input(at))
}

/// An expiry as the form's field holds it (read back by [`parse_expiry`]).
fn format_expiry_input(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    at.format(&format).unwrap_or_else(|_| at.to_string())
}

/// An expiry typed by the user: empty (or "session") for a session cookie; a date
/// (`2027-12-31`), a date and time in UTC (`2027-12-31 23:59`, seconds optional, `T` or a space
/// between, `UTC` or `Z` after), RFC 3339 with an offset, or an HTTP date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`). A date that has passed is refused: the jar would drop the
/// cookie at once.
pub fn parse_expiry(typed: &str, now: OffsetDateTime) -> Result<Option<OffsetDateTime>, String> {
    let text = typed.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("session") {
        return Ok(None);
    }
    let at = parse_date(text).ok_or_else(|| {
        format!(
            "The expiry `{text}` is not a date: write it like 2027-12-31 or 2027-12-31 23:59 (UTC), \
             or leave it empty for a session cookie."
        )
    })?;
    if at <= now {
        return Err(format!(
            "The expiry {} has passed: the cookie would be deleted at once. Pick a later date, \
             or delete the cookie.",
            format_expiry(at)
        ));
    }
    Ok(Some(at))
}

fn parse_date(text: &str) -> Option<OffsetDateTime> {
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(at);
    }
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc2822) {
        return Some(at);
    }
    if let Some(at) = parse_http_date(text) {
        return Some(at);
    }
    let bare = text
        .strip_suffix("UTC")
        .or_else(|| text.strip_suffix("GMT"))
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or(text)
        .trim()
        .replace('T', " ");
    let date_only = format_description!("[year]-[month]-[day]");
    if let Ok(date) = Date::parse(&bare, &date_only) {
        return Some(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc());
    }
    let minutes = format_description!("[year]-[month]-[day] [hour]:[minute]");
    let seconds = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    PrimitiveDateTime::parse(&bare, &seconds)
        .or_else(|_| PrimitiveDateTime::parse(&bare, &minutes))
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// The date of an `Expires` attribute (`Wed, 21 Oct 2026 07:28:00 GMT`), as the `cookie` crate
/// reads it for the jar.
fn parse_http_date(text: &str) -> Option<OffsetDateTime> {
    let parsed = cookie::Cookie::parse(format!("x=y; Expires={text}")).ok()?;
    parsed.expires_datetime()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-06-01 12:00 UTC);

    fn form(name: &str, domain: &str) -> CookieForm {
        CookieForm { name: name.into(), value: "v".into(), ..CookieForm::new_for(domain) }
    }

    #[test]
    fn a_valid_form_becomes_the_cookie_it_describes() {
        let mut f = form(" sid ", ".Example.COM");
        f.expires = "2027-01-31 08:30".into();
        f.secure = true;
        f.subdomains = true;
        let c = f.to_cookie(NOW).unwrap();
        assert_eq!((c.name.as_str(), c.domain.as_str(), c.path.as_str()), ("sid", "example.com", "/"));
        assert_eq!(c.expires, Some(datetime!(2027-01-31 08:30 UTC)));
        assert!(c.secure && !c.host_only && !c.http_only);
        // And back: the form of that cookie saves the same cookie.
        assert_eq!(CookieForm::edit(&c).to_cookie(NOW).unwrap(), c);
    }

    #[test]
    fn each_mistake_gets_a_message_that_names_it() {
        let err = |f: CookieForm| f.to_cookie(NOW).unwrap_err();
        assert_eq!(err(form("", "example.com")), "The cookie needs a name.");
        assert!(err(form("a b", "example.com")).contains("spaces"));
        assert!(err(form("a=b", "example.com")).contains("`=`"));
        assert!(err(form("a", "")).contains("Enter the domain"));
        assert!(err(form("a", "https://example.com/x")).contains("not a URL"));
        assert!(err(form("a", "exa mple.com")).contains("is not a domain name"));
        assert!(err(form("a", "example.com:8080")).contains("is not a domain name"));
        let mut f = form("a", "example.com");
        f.value = "x;y".into();
        assert!(err(f).contains("`;`"));
        let mut f = form("a", "example.com");
        f.path = "api".into();
        assert!(err(f).contains("starts with `/`"));
        let mut f = form("a", "example.com");
        f.expires = "next tuesday".into();
        assert!(err(f).contains("is not a date"));
        let mut f = form("a", "example.com");
        f.expires = "2020-01-01".into();
        assert!(err(f).contains("has passed"));
    }

    #[test]
    fn expiry_is_read_in_the_forms_people_write() {
        let at = |s: &str| parse_expiry(s, NOW).unwrap();
        assert_eq!(at(""), None);
        assert_eq!(at("Session"), None);
        assert_eq!(at("2027-01-31"), Some(datetime!(2027-01-31 0:00 UTC)));
        assert_eq!(at("2027-01-31T08:30:15Z"), Some(datetime!(2027-01-31 08:30:15 UTC)));
        assert_eq!(at("2027-01-31 08:30:15 UTC"), Some(datetime!(2027-01-31 08:30:15 UTC)));
        assert_eq!(at("2027-01-31T10:30:00+02:00"), Some(datetime!(2027-01-31 08:30 UTC)));
        assert_eq!(at("Sun, 31 Jan 2027 08:30:00 GMT"), Some(datetime!(2027-01-31 08:30 UTC)));
        assert_eq!(format_expiry(datetime!(2027-01-31 10:30 +2)), "2027-01-31 08:30:00 UTC");
        assert_eq!(
            at(&format_expiry(datetime!(2027-01-31 08:30 UTC))),
            Some(datetime!(2027-01-31 08:30 UTC))
        );
    }

    #[test]
    fn an_ip_address_is_a_domain_a_cookie_can_have() {
        assert_eq!(form("a", "127.0.0.1").to_cookie(NOW).unwrap().domain, "127.0.0.1");
        assert_eq!(form("a", "::1").to_cookie(NOW).unwrap().domain, "::1");
        assert_eq!(form("a", "localhost").to_cookie(NOW).unwrap().domain, "localhost");
    }
}
