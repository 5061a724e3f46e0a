//! A URL as the user writes it, `{{variables}}` and all, and its params and path variables: the
//! one place a URL's text is split into its parts and put back together. The editor, every
//! importer and exporter and the engine use it, so that a `#`, `?`, `&` or `=` inside `{{...}}`
//! means the same everywhere: part of the variable's name, never a separator (as in Postman).
//!
//! Nothing is decoded or normalised: the params table shows what the URL says, and a URL split
//! and joined again is the same text.

use super::KeyValue;
use super::template::offsets_outside_references;

/// A URL's text in its three parts: everything before the query, the query (without `?`) and
/// the fragment (without `#`). The fragment starts at the first `#` outside a reference; the
/// query at the first `?` outside a reference before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UrlText<'a> {
    pub base: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

impl<'a> UrlText<'a> {
    pub fn parse(url: &'a str) -> Self {
        let (rest, fragment) = match first_outside(url, b'#') {
            Some(i) => (&url[..i], Some(&url[i + 1..])),
            None => (url, None),
        };
        let (base, query) = match first_outside(rest, b'?') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        Self { base, query, fragment }
    }

    /// The query's `key=value` pairs as written (nothing decoded); a pair without `=` has an
    /// empty value; empty pairs (`&&`) are skipped.
    pub fn pairs(&self) -> Vec<(&'a str, &'a str)> {
        self.query.map(query_pairs).unwrap_or_default()
    }

    /// The same URL with `query` as its query (none when empty), the fragment kept.
    pub fn with_query(&self, query: &str) -> String {
        let mut out = self.base.to_owned();
        if !query.is_empty() {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = self.fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }
}

impl std::fmt::Display for UrlText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.base)?;
        if let Some(q) = self.query {
            write!(f, "?{q}")?;
        }
        if let Some(h) = self.fragment {
            write!(f, "#{h}")?;
        }
        Ok(())
    }
}

/// What a new request is called before it has a URL.
pub const UNNAMED_REQUEST: &str = "Untitled request";

/// The longest name [`name_from_url`] gives (in characters).
const NAME_FROM_URL_MAX_CHARS: usize = 80;

/// A new request's name from its URL, as Postman and Insomnia show an unsaved request: the URL
/// without its scheme, query and fragment (`https://api.example.com/users/?page=2` is
/// `api.example.com/users`); [`UNNAMED_REQUEST`] while it is empty.
pub fn name_from_url(url: &str) -> String {
    let base = UrlText::parse(url.trim()).base;
    let base = base.split_once("://").map_or(base, |(_, rest)| rest);
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return UNNAMED_REQUEST.to_owned();
    }
    match base.char_indices().nth(NAME_FROM_URL_MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &base[..cut]),
        None => base.to_owned(),
    }
}

fn first_outside(text: &str, c: u8) -> Option<usize> {
    offsets_outside_references(text, c).first().copied()
}

/// `text` split at `c` where it is outside every reference.
fn split_outside(text: &str, c: u8) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut last = 0;
    for at in offsets_outside_references(text, c) {
        parts.push(&text[last..at]);
        last = at + 1;
    }
    parts.push(&text[last..]);
    parts
}

/// A query string's pairs as written: see [`UrlText::pairs`].
pub fn query_pairs(query: &str) -> Vec<(&str, &str)> {
    query_segments(query).into_iter().map(|(k, v)| (k, v.unwrap_or(""))).collect()
}

/// A query string's pairs as written, telling `key` (no value: `None`) from `key=` (`Some("")`),
/// as Postman's URL object does.
pub fn query_segments(query: &str) -> Vec<(&str, Option<&str>)> {
    split_outside(query, b'&')
        .into_iter()
        .filter(|pair| !pair.is_empty())
        .map(|pair| match first_outside(pair, b'=') {
            Some(i) => (&pair[..i], Some(&pair[i + 1..])),
            None => (pair, None),
        })
        .collect()
}

/// A query string as params-table rows.
pub fn parse_query(query: &str) -> Vec<KeyValue> {
    query_pairs(query).into_iter().map(|(k, v)| KeyValue::new(k, v)).collect()
}

/// Rows back into a query string: enabled rows only, `key` alone when the value is empty.
pub fn join_query(rows: &[KeyValue]) -> String {
    rows.iter()
        .filter(|row| row.enabled && !(row.key.is_empty() && row.value.is_empty()))
        .map(|row| if row.value.is_empty() { row.key.clone() } else { format!("{}={}", row.key, row.value) })
        .collect::<Vec<_>>()
        .join("&")
}

/// The params written in `url`'s query, in order.
pub fn query_params(url: &str) -> Vec<KeyValue> {
    UrlText::parse(url).query.map(parse_query).unwrap_or_default()
}

/// After the URL was edited: the params table becomes the URL's params, disabled rows kept where
/// they were and descriptions kept for keys that stay.
pub fn params_from_url(url: &str, old: &[KeyValue]) -> Vec<KeyValue> {
    let mut parsed = query_params(url).into_iter();
    let mut used_descriptions = vec![false; old.len()];
    let mut out = Vec::new();
    for (i, row) in old.iter().enumerate() {
        if !row.enabled {
            out.push(row.clone());
            used_descriptions[i] = true;
        } else if let Some(mut p) = parsed.next() {
            if p.key == row.key {
                p.description.clone_from(&row.description);
            }
            out.push(p);
        }
    }
    for mut p in parsed {
        if let Some(i) = old.iter().enumerate().position(|(i, r)| !used_descriptions[i] && r.key == p.key) {
            p.description.clone_from(&old[i].description);
        }
        out.push(p);
    }
    out
}

/// After the params table was edited: the URL's query becomes the enabled rows.
pub fn url_with_params(url: &str, params: &[KeyValue]) -> String {
    UrlText::parse(url).with_query(&join_query(params))
}

/// The `:name` segments of the URL's path, in order, each once.
pub fn path_variable_names(url: &str) -> Vec<String> {
    let base = UrlText::parse(url).base;
    // Skip the scheme and authority: `http://host:8080` is not a path variable.
    let path = match base.find("://") {
        Some(i) => base[i + 3..].find('/').map_or("", |j| &base[i + 3 + j..]),
        None => base.find('/').map_or("", |j| &base[j..]),
    };
    let mut names = Vec::new();
    for segment in path.split('/') {
        if let Some(name) = segment.strip_prefix(':') {
            let name: String =
                name.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The path-variables table for the URL: a row per `:name`, keeping values already typed.
pub fn path_variables_for(url: &str, old: &[KeyValue]) -> Vec<KeyValue> {
    path_variable_names(url)
        .into_iter()
        .map(|name| old.iter().find(|v| v.key == name).cloned().unwrap_or_else(|| KeyValue::new(name, "")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_request_is_named_after_its_url() {
        assert_eq!(name_from_url("https://api.example.com/users/?page=2#top"), "api.example.com/users");
        assert_eq!(name_from_url("{{base}}/users/:id?x={{a#b}}"), "{{base}}/users/:id");
        assert_eq!(name_from_url("  http://127.0.0.1:9  "), "127.0.0.1:9");
        assert_eq!(name_from_url(""), UNNAMED_REQUEST);
        assert_eq!(name_from_url("https://"), UNNAMED_REQUEST);
        let long = format!("https://example.com/{}", "é".repeat(200));
        let name = name_from_url(&long);
        assert_eq!(name.chars().count(), 81, "80 characters and an ellipsis: {name}");
        assert!(name.ends_with('…'));
    }

    #[test]
    fn splits_at_the_first_marks_outside_references() {
        let u = UrlText::parse("{{base}}/get?q=%23{{foo&bar}}%23&x%26y={{#foo#}}&b#frag?not=query");
        assert_eq!(u.base, "{{base}}/get");
        assert_eq!(u.query, Some("q=%23{{foo&bar}}%23&x%26y={{#foo#}}&b"));
        assert_eq!(u.fragment, Some("frag?not=query"));
        assert_eq!(u.pairs(), [("q", "%23{{foo&bar}}%23"), ("x%26y", "{{#foo#}}"), ("b", "")]);
        // A `?` or `#` in a variable's name is the name's.
        assert_eq!(
            UrlText::parse("h/{{a?b}}/{{c#d}}"),
            UrlText { base: "h/{{a?b}}/{{c#d}}", query: None, fragment: None }
        );
        // A `#` before any `?` starts the fragment.
        assert_eq!(UrlText::parse("h/a#b?c"), UrlText { base: "h/a", query: None, fragment: Some("b?c") });
        assert_eq!(UrlText::parse("h?"), UrlText { base: "h", query: Some(""), fragment: None });
    }

    #[test]
    fn tables_follow_the_url_and_back() {
        let rows = query_params("http://h/p?a=1&b&&c={{x=y}}#top");
        let pairs: Vec<(&str, &str)> = rows.iter().map(|r| (r.key.as_str(), r.value.as_str())).collect();
        assert_eq!(pairs, [("a", "1"), ("b", ""), ("c", "{{x=y}}")]);
        let mut rows = rows;
        rows[1].enabled = false;
        assert_eq!(url_with_params("http://h/p?old#top", &rows), "http://h/p?a=1&c={{x=y}}#top");
        assert_eq!(url_with_params("http://h/p?old", &[]), "http://h/p");
        assert_eq!(path_variable_names("http://h:8080/users/:id/:id/x:y/:other-1?q=:no"), ["id", "other-1"]);
    }

    #[test]
    fn url_to_params_keeps_disabled_rows_and_descriptions() {
        let old = vec![
            KeyValue::new("a", "1").with_description("first"),
            KeyValue::new("off", "x").disabled(),
            KeyValue::new("b", "2"),
        ];
        let params = params_from_url("{{base}}/x?a=10&b=2&c=3#top", &old);
        let keys: Vec<_> = params.iter().map(|p| (p.key.as_str(), p.value.as_str(), p.enabled)).collect();
        assert_eq!(keys, vec![("a", "10", true), ("off", "x", false), ("b", "2", true), ("c", "3", true)]);
        assert_eq!(params[0].description, "first");
    }

    #[test]
    fn params_to_url_writes_enabled_rows_only() {
        let params =
            vec![KeyValue::new("q", "x y"), KeyValue::new("off", "1").disabled(), KeyValue::new("flag", "")];
        assert_eq!(url_with_params("http://h/p?old=1#f", &params), "http://h/p?q=x y&flag#f");
        assert_eq!(url_with_params("http://h/p?old=1", &[]), "http://h/p");
    }

    #[test]
    fn round_trip_is_stable() {
        let url = "https://api.example.com/users?page=2&sort=name&filter={{f}}";
        let params = params_from_url(url, &[]);
        assert_eq!(url_with_params(url, &params), url);
    }

    #[test]
    fn path_variables_follow_the_url() {
        assert_eq!(
            path_variable_names("http://localhost:8080/users/:id/posts/:post_id?x=:no"),
            vec!["id", "post_id"]
        );
        assert_eq!(path_variable_names("{{base}}/a/:b"), vec!["b"]);
        let old = vec![KeyValue::new("id", "7"), KeyValue::new("gone", "1")];
        let vars = path_variables_for("/users/:id/:other", &old);
        assert_eq!(vars, vec![KeyValue::new("id", "7"), KeyValue::new("other", "")]);
    }

    proptest::proptest! {
        // Splitting and joining gives back the URL as written, whatever it holds.
        #[test]
        fn parse_then_display_is_the_same_text(url in "[a-z:/?#&={}%.]{0,40}") {
            proptest::prop_assert_eq!(UrlText::parse(&url).to_string(), url);
        }

        // A query rebuilt from its pairs is the query, less its empty pairs.
        #[test]
        fn pairs_rebuild_the_query(query in "[a-z&={}#]{0,30}") {
            let rows = parse_query(&query);
            let rebuilt = join_query(&rows);
            let expected: Vec<&str> = split_outside(&query, b'&').into_iter().filter(|p| !p.is_empty()).collect();
            let expected: Vec<String> = expected
                .into_iter()
                .map(|p| p.strip_suffix('=').filter(|k| first_outside(k, b'=').is_none()).unwrap_or(p).to_owned())
                .filter(|p| !p.is_empty())
                .collect();
            proptest::prop_assert_eq!(rebuilt, expected.join("&"));
        }
    }
}
