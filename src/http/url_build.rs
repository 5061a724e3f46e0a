//! Building the URL that is sent: scheme defaulting, `:path` variables, query params merged with
//! the URL's own query string as Postman does, and percent-encoding.

use percent_encoding::{AsciiSet, utf8_percent_encode};
use url::Url;

use super::error::SendError;
use crate::model::url_text::{UrlText, query_segments};

/// RFC 3986's unreserved characters are all that stays as is (OAuth 1.0 and AWS Signature v4
/// encode everything else).
const NOT_UNRESERVED: &AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// `text` with everything but RFC 3986's unreserved characters percent-encoded, as UTF-8.
pub(crate) fn encode_rfc3986(text: &str) -> String {
    utf8_percent_encode(text, NOT_UNRESERVED).to_string()
}

pub(crate) use crate::model::sent_body::{encode_path_segment, encode_query_key, encode_query_value};

/// A URL's text split into what comes before the query, the query, and the fragment
/// (`model::url_text`: the marks inside `{{...}}` are the variables').
fn split_query(url: &str) -> (&str, Option<&str>, Option<&str>) {
    let u = UrlText::parse(url);
    (u.base, u.query, u.fragment)
}

pub(crate) use crate::model::sent_body::encode_uri_component;

/// The raw `key=value` pairs of a URL's query string as written (nothing decoded; `&`, `#` and
/// `=` inside `{{...}}` are the variable's).
pub(crate) fn raw_query_pairs(url: &str) -> Vec<(String, String)> {
    UrlText::parse(url).pairs().into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// Whether a pair as written in a URL's query (`x%26y=a%23b`) is the params-table row `row`
/// (`x&y` = `a#b`): the same text, or the same once both are percent-decoded.
pub(crate) fn same_pair(written: (&str, &str), row: (&str, &str)) -> bool {
    let decoded = |t: &str| percent_encoding::percent_decode_str(t).decode_utf8_lossy().into_owned();
    (written.0 == row.0 && written.1 == row.1)
        || (decoded(written.0) == decoded(row.0) && decoded(written.1) == decoded(row.1))
}

/// `url` without the query pairs in `drop` (compared as written, one occurrence each): a param
/// the user disabled is not sent even when the URL text still holds it, as in Postman.
pub(crate) fn without_query_pairs(url: &str, drop: &[(String, String)]) -> String {
    if drop.is_empty() {
        return url.to_owned();
    }
    let mut drop: Vec<&(String, String)> = drop.iter().collect();
    without_query_params(url, |k, v| match drop.iter().position(|(dk, dv)| dk == k && dv == v) {
        Some(at) => {
            drop.swap_remove(at);
            false
        }
        None => true,
    })
}

/// `url` without the query params named `key` (the rest kept as written).
pub(crate) fn without_query_key(url: &str, key: &str) -> String {
    without_query_params(url, |k, _| k != key)
}

/// `url` with only the query params `keep(key, value)` accepts, each kept as written.
fn without_query_params(url: &str, mut keep: impl FnMut(&str, &str) -> bool) -> String {
    let u = UrlText::parse(url);
    let Some(query) = u.query else { return url.to_owned() };
    let kept: Vec<String> = query_segments(query)
        .into_iter()
        .filter(|(k, v)| keep(k, v.unwrap_or("")))
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.to_owned(),
        })
        .collect();
    u.with_query(&kept.join("&"))
}

/// Line breaks and tabs in a URL's query are a value's (Postman sends `%0A`); the URL parser
/// would drop them, and trimming would cut them from the end.
fn keep_controls_in_query(raw: &str) -> String {
    let u = UrlText::parse(raw);
    match u.query {
        Some(query) if query.contains(['\n', '\r', '\t']) => {
            let query = query.replace('\n', "%0A").replace('\r', "%0D").replace('\t', "%09");
            UrlText { base: u.base.trim_start(), ..u }.with_query(&query)
        }
        _ => raw.to_owned(),
    }
}

/// Adds `http://` when the URL has no scheme; refuses schemes other than http, https, and ws
/// and wss (WebSocket requests, opened with [`crate::http::Engine::connect_ws`]).
fn with_scheme(raw: &str) -> Result<String, SendError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(SendError::InvalidUrl { url: String::new(), reason: "the URL is empty".into() });
    }
    match trimmed.find("://") {
        Some(pos) if trimmed[..pos].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) => {
            let scheme = trimmed[..pos].to_ascii_lowercase();
            if matches!(scheme.as_str(), "http" | "https" | "ws" | "wss") {
                Ok(format!("{scheme}{}", &trimmed[pos..]))
            } else {
                Err(SendError::UnsupportedScheme { scheme, url: trimmed.to_owned() })
            }
        }
        _ => Ok(format!("http://{trimmed}")),
    }
}

/// Replaces `:name` path segments that have a value in `path_vars`; others stay as written.
fn substitute_path_variables(url: &str, path_vars: &[(String, String)]) -> String {
    if path_vars.is_empty() {
        return url.to_owned();
    }
    let path_end = UrlText::parse(url).base.len();
    let after_scheme = url[..path_end].find("://").map_or(0, |p| p + 3);
    let Some(path_start) = url[after_scheme..path_end].find('/').map(|p| p + after_scheme) else {
        return url.to_owned();
    };
    let path = &url[path_start..path_end];
    let replaced: Vec<String> = path
        .split('/')
        .map(|segment| {
            segment
                .strip_prefix(':')
                .and_then(|name| path_vars.iter().find(|(k, _)| k == name))
                .map_or_else(|| segment.to_owned(), |(_, v)| encode_path_segment(v))
        })
        .collect();
    format!("{}{}{}", &url[..path_start], replaced.join("/"), &url[path_end..])
}

/// The final URL: `raw` (variables already resolved), path variables substituted, then `extra`
/// query pairs (already resolved, not yet encoded) appended.
pub(crate) fn build(
    raw: &str,
    path_vars: &[(String, String)],
    extra_query: &[(String, String)],
) -> Result<Url, SendError> {
    let text = with_scheme(&keep_controls_in_query(raw))?;
    let text = substitute_path_variables(&text, path_vars);
    // A `#` inside a `{{variable}}` left as written is the query's, not the fragment's.
    let mut text = match split_query(&text) {
        // (Any `#` left in the query is inside a variable: the fragment starts at the first other.)
        (base, Some(query), fragment) if query.contains('#') => {
            let mut out = format!("{base}?{}", query.replace('#', "%23"));
            if let Some(fragment) = fragment {
                out.push('#');
                out.push_str(fragment);
            }
            out
        }
        _ => text,
    };
    if !extra_query.is_empty() {
        // Appended to the text (before any fragment) so the URL is parsed once.
        let fragment = split_query(&text).2.map(str::len).map(|len| text.split_off(text.len() - len - 1));
        let mut sep =
            if text.contains('?') { if text.ends_with(['?', '&']) { "" } else { "&" } } else { "?" };
        for (k, v) in extra_query {
            text.push_str(sep);
            text.push_str(&encode_query_key(k));
            text.push('=');
            text.push_str(&encode_query_value(v));
            sep = "&";
        }
        if let Some(fragment) = fragment {
            text.push_str(&fragment);
        }
    }
    let url = Url::parse(&text)
        .map_err(|e| SendError::InvalidUrl { url: raw.trim().to_owned(), reason: e.to_string() })?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(SendError::InvalidUrl { url: raw.trim().to_owned(), reason: "no host".into() });
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_pairs_leave_the_query() {
        let drop = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        assert_eq!(without_query_pairs("h/p?a=1&b=2&c=3", &drop(&[("b", "2")])), "h/p?a=1&c=3");
        assert_eq!(without_query_pairs("h/p?b=2#top", &drop(&[("b", "2")])), "h/p#top");
        assert_eq!(without_query_pairs("h/p?b=2&b=2", &drop(&[("b", "2")])), "h/p?b=2");
        assert_eq!(without_query_pairs("h/p?flag", &drop(&[("flag", "")])), "h/p");
        assert_eq!(without_query_pairs("h/p?b=3", &drop(&[("b", "2")])), "h/p?b=3");
    }

    fn b(raw: &str, path: &[(&str, &str)], extra: &[(&str, &str)]) -> String {
        let path: Vec<_> = path.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let extra: Vec<_> = extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        build(raw, &path, &extra).map(|u| u.to_string()).unwrap_or_else(|e| format!("ERR {e}"))
    }

    // Found with newman (newman-whatwg-url-unicode): `&`, `#` and `=` inside a variable's name
    // are the variable's; a line break in a query value is sent as `%0A`, not dropped or trimmed.
    #[test]
    fn variables_holding_query_syntax_and_line_breaks_are_kept() {
        assert_eq!(
            raw_query_pairs("h/get?q=%23{{foo&bar}}%23&x%26y={{#foo#}}&b%23a%26r#frag"),
            [
                ("q".to_owned(), "%23{{foo&bar}}%23".to_owned()),
                ("x%26y".to_owned(), "{{#foo#}}".to_owned()),
                ("b%23a%26r".to_owned(), String::new())
            ]
        );
        assert_eq!(
            b("h/get?q=%23{{foo&bar}}%23&x%26y={{#foo#}}&b%23a%26r", &[], &[]),
            "http://h/get?q=%23{{foo&bar}}%23&x%26y={{%23foo%23}}&b%23a%26r"
        );
        assert_eq!(b("h/get?x={{#a}}#top", &[], &[("k", "v")]), "http://h/get?x={{%23a}}&k=v#top");
        assert_eq!(b("https://h/get?foo=\nbar\n", &[], &[]), "https://h/get?foo=%0Abar%0A");
        let drop = vec![("x".to_owned(), "{{a&b}}".to_owned())];
        assert_eq!(without_query_pairs("h?x={{a&b}}&y=1#f", &drop), "h?y=1#f");
    }

    #[test]
    fn scheme_is_added_and_checked() {
        assert_eq!(b("localhost:8080/a", &[], &[]), "http://localhost:8080/a");
        assert_eq!(b("HTTPS://example.com", &[], &[]), "https://example.com/");
        assert!(b("ftp://example.com", &[], &[]).starts_with("ERR unsupported URL scheme `ftp`"));
        // WebSocket requests keep their scheme, params merged as for HTTP.
        assert_eq!(b("WS://h:9/chat", &[], &[("room", "a b")]), "ws://h:9/chat?room=a%20b");
        assert_eq!(b("wss://h/s?x=1", &[], &[]), "wss://h/s?x=1");
        assert!(b("   ", &[], &[]).starts_with("ERR invalid URL (the URL is empty)"));
        assert!(b("http://exa mple.com/", &[], &[]).starts_with("ERR invalid URL"));
    }

    #[test]
    fn path_variables_replace_whole_segments() {
        assert_eq!(
            b("http://h/users/:id/posts/:post?x=:id", &[("id", "7"), ("post", "a b/c")], &[]),
            "http://h/users/7/posts/a%20b%2Fc?x=:id"
        );
        assert_eq!(b("http://h/:unknown", &[("id", "7")], &[]), "http://h/:unknown");
    }

    #[test]
    fn query_params_are_encoded_once() {
        assert_eq!(
            b(
                "http://h/s?q=a b",
                &[],
                &[("name", "Zoë & co"), ("math", "1+1=2"), ("pre", "a%20b"), ("pct", "100%")]
            ),
            "http://h/s?q=a%20b&name=Zo%C3%AB%20%26%20co&math=1%2B1=2&pre=a%20b&pct=100%25"
        );
        assert_eq!(b("http://h/p#frag", &[], &[("a", "1")]), "http://h/p?a=1#frag");
    }

    #[test]
    fn raw_pairs_are_not_decoded() {
        assert_eq!(
            raw_query_pairs("http://h/?a=1&b&c=%20#x"),
            vec![("a".into(), "1".into()), ("b".into(), String::new()), ("c".into(), "%20".into())]
        );
    }
}
