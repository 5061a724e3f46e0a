//! Percent-encoding for importers, and names for requests that have none. Query strings are
//! split and joined by `model::url_text` (re-exported here for the importers).

use crate::model::url_text::UrlText;

pub(crate) use crate::model::url_text::{join_query, query_params};

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
    let base = UrlText::parse(url).base;
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
    fn percent_round_trip() {
        assert_eq!(percent_encode("a b&c=ü"), "a%20b%26c%3D%C3%BC");
        assert_eq!(percent_decode("a%20b+c%zz%", true), "a b c%zz%");
        assert_eq!(percent_decode("%C3%BC", false), "ü");
    }
}
