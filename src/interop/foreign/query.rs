//! Query strings of URLs as users write them, `{{variables}}` and all: split, parsed into rows,
//! and joined back, without decoding (the params table shows what the URL says).

use crate::model::KeyValue;

/// The URL without its query and fragment, the query (without `?`), and the fragment.
pub(crate) fn split_url(url: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, fragment) = match first_outside_braces(url, '#') {
        Some(i) => (&url[..i], Some(&url[i + 1..])),
        None => (url, None),
    };
    match first_outside_braces(rest, '?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..]), fragment),
        None => (rest, None, fragment),
    }
}

/// The first `needle` that is not inside `{{...}}` (a `#` or `?` there is part of a variable name).
fn first_outside_braces(text: &str, needle: char) -> Option<usize> {
    text.match_indices(needle).map(|(i, _)| i).find(|i| !inside_braces(text, *i))
}

fn inside_braces(text: &str, at: usize) -> bool {
    let before = &text[..at];
    match (before.rfind("{{"), before.rfind("}}")) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

/// `a=1&b&c=` into rows; empty segments (`&&`) are skipped. An `&` or `=` inside `{{...}}` is
/// part of a variable name, not a separator.
pub(crate) fn parse_query(query: &str) -> Vec<KeyValue> {
    split_outside_braces(query, '&')
        .into_iter()
        .filter(|pair| !pair.is_empty())
        .map(|pair| match first_outside_braces(pair, '=') {
            Some(i) => KeyValue::new(&pair[..i], &pair[i + 1..]),
            None => KeyValue::new(pair, ""),
        })
        .collect()
}

fn split_outside_braces(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices(separator) {
        if !inside_braces(text, i) {
            parts.push(&text[start..i]);
            start = i + separator.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Rows back into a query string: enabled rows only, `key` alone when the value is empty.
pub(crate) fn join_query(rows: &[KeyValue]) -> String {
    rows.iter()
        .filter(|row| row.enabled && !(row.key.is_empty() && row.value.is_empty()))
        .map(|row| if row.value.is_empty() { row.key.clone() } else { format!("{}={}", row.key, row.value) })
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes `text` for a form value or query (unreserved characters kept, space as `%20`).
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` sequences (and `+` as space when `plus_is_space`); invalid sequences stay as
/// they are, and bytes that are not UTF-8 are replaced.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A name for a request that has none: `POST api.example.com/users`, the method and the URL
/// without scheme, query and fragment, at most 80 characters.
pub(crate) fn request_name(method: &str, url: &str) -> String {
    let (base, _, _) = split_url(url);
    let base = base.split_once("://").map_or(base, |(_, rest)| rest);
    let mut name = format!("{method} {base}");
    if name.chars().count() > 80 {
        name = name.chars().take(79).collect::<String>() + "…";
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_query_and_fragment_but_not_inside_variables() {
        assert_eq!(split_url("http://a/b?x=1#top"), ("http://a/b", Some("x=1"), Some("top")));
        assert_eq!(split_url("{{#base}}/p"), ("{{#base}}/p", None, None));
        assert_eq!(split_url("{{a?b}}/p?q"), ("{{a?b}}/p", Some("q"), None));
    }

    #[test]
    fn parses_and_joins() {
        let rows = parse_query("a=1&&b&c=x=y&");
        let pairs: Vec<(&str, &str)> = rows.iter().map(|r| (r.key.as_str(), r.value.as_str())).collect();
        assert_eq!(pairs, [("a", "1"), ("b", ""), ("c", "x=y")]);
        assert_eq!(join_query(&rows), "a=1&b&c=x=y");
        let braces = parse_query("{{?}}={{&}}&q={{a=b}}");
        let pairs: Vec<(&str, &str)> = braces.iter().map(|r| (r.key.as_str(), r.value.as_str())).collect();
        assert_eq!(pairs, [("{{?}}", "{{&}}"), ("q", "{{a=b}}")]);
    }

    #[test]
    fn percent_round_trip() {
        assert_eq!(percent_encode("a b&c=ü"), "a%20b%26c%3D%C3%BC");
        assert_eq!(percent_decode("a%20b+c%zz%", true), "a b c%zz%");
        assert_eq!(percent_decode("%C3%BC", false), "ü");
    }
}
