//! Cookie jars, one per workspace (RFC 6265 matching: domain, path, secure, expiry).
//!
//! The engine keeps the jars in memory. The app loads a workspace's jar with
//! [`crate::storage::Store::load_cookies`] and hands it to [`crate::http::Engine::set_cookie_jar`];
//! after an exchange whose `cookies_changed` is true it saves
//! [`crate::http::Engine::cookie_jar`] with [`crate::storage::Store::save_cookies`] (off the UI
//! thread). The list, edit and delete functions on the engine back the cookie manager.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use time::OffsetDateTime;
use url::Url;

use crate::model::{Cookie, CookieJar, WorkspaceId};

/// Jars by workspace; `None` is the jar of scratch sends outside any workspace.
#[derive(Debug, Default)]
pub struct CookieJars {
    jars: Mutex<HashMap<Option<WorkspaceId>, CookieJar>>,
}

impl CookieJars {
    fn with<T>(&self, ws: Option<WorkspaceId>, f: impl FnOnce(&mut CookieJar) -> T) -> T {
        // A poisoned lock only means another send panicked mid-update; the jar is still usable.
        let mut map = self.jars.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(map.entry(ws).or_default())
    }

    pub fn snapshot(&self, ws: Option<WorkspaceId>) -> CookieJar {
        self.with(ws, |jar| {
            purge_expired(jar, OffsetDateTime::now_utc());
            jar.clone()
        })
    }

    pub fn replace(&self, ws: Option<WorkspaceId>, new: CookieJar) {
        self.with(ws, |jar| *jar = new);
    }

    /// Adds or replaces (same name, domain and path) a cookie.
    pub fn upsert(&self, ws: Option<WorkspaceId>, cookie: Cookie) {
        self.with(ws, |jar| upsert(jar, cookie));
    }

    /// Removes a cookie; returns whether it was there.
    pub fn remove(&self, ws: Option<WorkspaceId>, name: &str, domain: &str, path: &str) -> bool {
        self.with(ws, |jar| {
            let before = jar.cookies.len();
            jar.cookies
                .retain(|c| !(c.name == name && c.domain.eq_ignore_ascii_case(domain) && c.path == path));
            jar.cookies.len() != before
        })
    }

    /// Removes every cookie stored for exactly `domain` (as the cookie manager lists them: a
    /// subdomain's cookies are its own), or all when `domain` is `None`.
    pub fn clear(&self, ws: Option<WorkspaceId>, domain: Option<&str>) {
        let domain = domain.map(|d| d.trim_start_matches('.'));
        self.with(ws, |jar| match domain {
            Some(d) => jar.cookies.retain(|c| !c.domain.eq_ignore_ascii_case(d)),
            None => jar.cookies.clear(),
        });
    }

    /// The `Cookie` header value for a request to `url`, if any cookie applies.
    pub fn header_for(&self, ws: Option<WorkspaceId>, url: &Url) -> Option<String> {
        self.with(ws, |jar| cookie_header(jar, url, OffsetDateTime::now_utc()))
    }

    /// Stores the `Set-Cookie` values of a response from `url`; returns the cookies set (and
    /// those deleted, with an expiry in the past).
    pub fn store(&self, ws: Option<WorkspaceId>, url: &Url, set_cookies: &[&str]) -> Vec<Cookie> {
        if set_cookies.is_empty() {
            return Vec::new();
        }
        self.with(ws, |jar| store(jar, url, set_cookies, OffsetDateTime::now_utc()))
    }
}

fn upsert(jar: &mut CookieJar, cookie: Cookie) {
    match jar.cookies.iter_mut().find(|c| {
        c.name == cookie.name && c.domain.eq_ignore_ascii_case(&cookie.domain) && c.path == cookie.path
    }) {
        Some(existing) => *existing = cookie,
        None => jar.cookies.push(cookie),
    }
}

fn purge_expired(jar: &mut CookieJar, now: OffsetDateTime) {
    jar.cookies.retain(|c| c.expires.is_none_or(|at| at > now));
}

/// RFC 6265 §5.1.3: `host` is `domain` or a subdomain of it (never for IP addresses).
fn domain_match(domain: &str, host: &str) -> bool {
    let (domain, host) = (domain.to_ascii_lowercase(), host.to_ascii_lowercase());
    if host == domain {
        return true;
    }
    host.parse::<IpAddr>().is_err()
        && host.ends_with(&domain)
        && host[..host.len() - domain.len()].ends_with('.')
}

/// Whether `domain` (lowercase, no leading dot) is a public suffix: a name under which anyone
/// may register (`com`, `co.uk`, `github.io`), by the public-suffix list compiled in. A name the
/// list does not know is judged by its default rule (its last label is a suffix).
fn is_public_suffix(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.');
    // The list is in ASCII (punycode) form; a Unicode name is compared in that form.
    let ascii = url::Host::parse(domain).ok().and_then(|h| match h {
        url::Host::Domain(d) => Some(d),
        _ => None,
    });
    let Some(ascii) = ascii else { return false };
    psl::suffix(ascii.as_bytes()).is_some_and(|s| s.as_bytes() == ascii.as_bytes())
}

/// RFC 6265 §5.1.4.
fn path_match(cookie_path: &str, request_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || request_path[cookie_path.len()..].starts_with('/')))
}

/// RFC 6265 §5.1.4: the directory of the request path.
pub fn default_path(url: &Url) -> String {
    let path = url.path();
    match path.rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(i) => path[..i].to_owned(),
    }
}

fn host_of(url: &Url) -> String {
    url.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase()
}

fn is_secure_origin(url: &Url) -> bool {
    url.scheme() == "https" || matches!(host_of(url).as_str(), "localhost" | "127.0.0.1" | "::1")
}

fn cookie_header(jar: &mut CookieJar, url: &Url, now: OffsetDateTime) -> Option<String> {
    if jar.cookies.is_empty() {
        return None;
    }
    purge_expired(jar, now);
    let host = host_of(url);
    let path = url.path();
    let mut matching: Vec<&Cookie> = jar
        .cookies
        .iter()
        .filter(|c| {
            // A public-suffix cookie (imported, or from an older jar) reaches no one but its host.
            if c.host_only || is_public_suffix(&c.domain) {
                c.domain.eq_ignore_ascii_case(&host)
            } else {
                domain_match(&c.domain, &host)
            }
        })
        .filter(|c| path_match(&c.path, path))
        .filter(|c| !c.secure || is_secure_origin(url))
        .collect();
    if matching.is_empty() {
        return None;
    }
    // Longer paths first (RFC 6265 §5.4); the sort is stable so older cookies stay first.
    matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
    Some(matching.iter().map(|c| format!("{}={}", c.name, c.value)).collect::<Vec<_>>().join("; "))
}

fn store(jar: &mut CookieJar, url: &Url, set_cookies: &[&str], now: OffsetDateTime) -> Vec<Cookie> {
    let host = host_of(url);
    let mut set = Vec::new();
    for raw in set_cookies {
        let Ok(parsed) = cookie::Cookie::parse(raw.to_string()) else { continue };
        if parsed.name().is_empty() {
            continue;
        }
        let (domain, host_only) =
            match parsed.domain().map(|d| d.trim_start_matches('.').to_ascii_lowercase()) {
                Some(d) if !d.is_empty() => {
                    if !domain_match(&d, &host) {
                        continue; // a server may not set cookies for another site
                    }
                    if is_public_suffix(&d) {
                        // RFC 6265 §5.3 step 5, as browsers do: a cookie for a public suffix
                        // (`co.uk`, `github.io`) would reach every site under it. Only the
                        // suffix's own host may set it, and then for itself alone.
                        if d != host {
                            continue;
                        }
                        (d, true)
                    } else {
                        (d, false)
                    }
                }
                _ => (host.clone(), true),
            };
        let path = match parsed.path() {
            Some(p) if p.starts_with('/') => p.to_owned(),
            _ => default_path(url),
        };
        let expires = match (parsed.max_age(), parsed.expires_datetime()) {
            (Some(age), _) => Some(now + age),
            (None, Some(at)) => Some(at),
            (None, None) => None,
        };
        if parsed.secure() == Some(true) && !is_secure_origin(url) {
            continue;
        }
        let cookie = Cookie {
            name: parsed.name().to_owned(),
            value: parsed.value().to_owned(),
            domain,
            path,
            expires,
            secure: parsed.secure().unwrap_or(false),
            http_only: parsed.http_only().unwrap_or(false),
            host_only,
            same_site: parsed.same_site().map(|s| s.to_string()).unwrap_or_default(),
        };
        if cookie.expires.is_some_and(|at| at <= now) {
            jar.cookies.retain(|c| {
                !(c.name == cookie.name
                    && c.domain.eq_ignore_ascii_case(&cookie.domain)
                    && c.path == cookie.path)
            });
        } else {
            upsert(jar, cookie.clone());
        }
        set.push(cookie);
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn a_cookie_for_a_public_suffix_is_rejected() {
        let jars = CookieJars::default();
        let ws = Some(WorkspaceId::new());
        let set = jars.store(
            ws,
            &url("https://evil.co.uk/"),
            &["a=b; Domain=co.uk", "c=d; Domain=.uk", "e=f; Domain=evil.co.uk"],
        );
        let names: Vec<&str> = set.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["e"], "only the cookie for the site itself is kept");
        assert_eq!(jars.header_for(ws, &url("https://bank.co.uk/")), None, "no cookie reaches another site");
        // Private-section suffixes count too, as in browsers.
        let set = jars.store(ws, &url("https://me.github.io/"), &["x=1; Domain=github.io"]);
        assert!(set.is_empty());
        assert_eq!(jars.header_for(ws, &url("https://you.github.io/")), None);
        // A suffix's own host may set a cookie for itself only.
        let set = jars.store(ws, &url("http://localhost/"), &["dev=1; Domain=localhost"]);
        assert_eq!(set.len(), 1);
        assert!(set[0].host_only);
        // Ordinary registrable domains are unaffected.
        let set = jars.store(ws, &url("https://a.example.com/"), &["s=1; Domain=example.com"]);
        assert_eq!(set.len(), 1);
        assert_eq!(jars.header_for(ws, &url("https://b.example.com/")).as_deref(), Some("s=1"));
    }

    #[test]
    fn stores_and_sends_by_domain_and_path() {
        let jars = CookieJars::default();
        let ws = Some(WorkspaceId::new());
        let set = jars.store(
            ws,
            &url("http://api.example.com/v1/login"),
            &[
                "sid=abc; Path=/; HttpOnly",
                "pref=dark; Domain=example.com; Path=/",
                "deep=1",
                "evil=1; Domain=other.com",
            ],
        );
        assert_eq!(set.len(), 3);
        assert_eq!(
            jars.header_for(ws, &url("http://api.example.com/v1/x")).unwrap(),
            "deep=1; sid=abc; pref=dark"
        );
        assert_eq!(jars.header_for(ws, &url("http://www.example.com/")).unwrap(), "pref=dark");
        assert_eq!(jars.header_for(ws, &url("http://api.example.com/v2")).unwrap(), "sid=abc; pref=dark");
        assert_eq!(jars.header_for(ws, &url("http://other.com/")), None);
        assert_eq!(jars.header_for(Some(WorkspaceId::new()), &url("http://api.example.com/")), None);
    }

    #[test]
    fn expiry_and_deletion() {
        let jars = CookieJars::default();
        let u = url("https://h.test/");
        jars.store(None, &u, &["a=1; Max-Age=3600", "b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT"]);
        assert_eq!(jars.header_for(None, &u).unwrap(), "a=1");
        jars.store(None, &u, &["a=; Max-Age=0"]);
        assert_eq!(jars.header_for(None, &u), None);
    }

    #[test]
    fn secure_cookies_need_https_and_edit_functions_work() {
        let jars = CookieJars::default();
        jars.store(None, &url("https://h.test/"), &["s=1; Secure"]);
        assert_eq!(jars.header_for(None, &url("http://h.test/")), None);
        assert_eq!(jars.header_for(None, &url("https://h.test/")).unwrap(), "s=1");
        assert!(jars.remove(None, "s", "h.test", "/"));
        assert!(jars.snapshot(None).cookies.is_empty());
        jars.upsert(
            None,
            Cookie {
                name: "x".into(),
                value: "y".into(),
                domain: "h.test".into(),
                path: "/".into(),
                expires: None,
                secure: false,
                http_only: false,
                host_only: false,
                same_site: String::new(),
            },
        );
        assert_eq!(jars.header_for(None, &url("http://sub.h.test/p")).unwrap(), "x=y");
        jars.clear(None, Some("h.test"));
        assert!(jars.snapshot(None).cookies.is_empty());
    }

    /// Clearing a domain (the cookie manager's "Clear domain") deletes what is listed under it:
    /// not the cookies of its parent domain, nor those of its subdomains.
    #[test]
    fn clearing_a_domain_deletes_exactly_its_cookies() {
        let jars = CookieJars::default();
        jars.store(None, &url("http://api.example.com/"), &["own=1", "parent=1; Domain=example.com"]);
        jars.store(None, &url("http://www.api.example.com/"), &["child=1"]);
        jars.clear(None, Some("API.example.com"));
        let mut left: Vec<String> = jars.snapshot(None).cookies.into_iter().map(|c| c.name).collect();
        left.sort();
        assert_eq!(left, vec!["child", "parent"]);
        jars.clear(None, None);
        assert!(jars.snapshot(None).cookies.is_empty());
    }
}
