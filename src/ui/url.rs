//! Keeping the URL and the Params/Path-variables tables in step, both ways, as Postman does:
//! the query string is shown as typed (no decoding), disabled params stay in the table but out of
//! the URL, and `:name` path segments get a row each.

use crate::model::{Body, BodyMode, KeyValue, Request};

/// The query string of `url` (between `?` and `#`), if any.
fn split_url(url: &str) -> (&str, Option<&str>, Option<&str>) {
    let (before_fragment, fragment) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i + 1..])),
        None => (url, None),
    };
    match before_fragment.find('?') {
        Some(i) => (&before_fragment[..i], Some(&before_fragment[i + 1..]), fragment),
        None => (before_fragment, None, fragment),
    }
}

/// The params written in `url`'s query string, in order.
pub fn query_params(url: &str) -> Vec<KeyValue> {
    let (_, query, _) = split_url(url);
    query
        .filter(|q| !q.is_empty())
        .map(|q| {
            q.split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| match pair.split_once('=') {
                    Some((k, v)) => KeyValue::new(k, v),
                    None => KeyValue::new(pair, ""),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// After the URL was edited: the table becomes the URL's params, with disabled rows kept where
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

/// After the table was edited: the URL's query string becomes the enabled rows.
pub fn url_with_params(url: &str, params: &[KeyValue]) -> String {
    let (base, _, fragment) = split_url(url);
    let query: Vec<String> = params
        .iter()
        .filter(|p| p.enabled && !(p.key.is_empty() && p.value.is_empty()))
        .map(|p| {
            if p.value.is_empty() && !p.key.is_empty() {
                p.key.clone()
            } else {
                format!("{}={}", p.key, p.value)
            }
        })
        .collect();
    let mut out = base.to_owned();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The `:name` segments of the URL's path.
pub fn path_variable_names(url: &str) -> Vec<String> {
    let (base, _, _) = split_url(url);
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

/// Headers the engine adds itself; history shows them, the editor shows them greyed.
pub fn is_auto_header(name: &str) -> bool {
    ["user-agent", "accept-encoding", "connection", "host", "content-length"]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

/// The headers Localpost will add when sending, as shown (greyed) under the user's headers.
pub fn auto_headers(request: &Request) -> Vec<(String, String)> {
    let has = |name: &str| request.headers.iter().any(|h| h.enabled && h.key.eq_ignore_ascii_case(name));
    let mut out = Vec::new();
    if let Some(content_type) = default_content_type(&request.body)
        && !has("content-type")
    {
        out.push(("Content-Type".to_owned(), content_type.to_owned()));
    }
    if !matches!(request.body.mode, BodyMode::None) {
        out.push(("Content-Length".to_owned(), "<calculated when sent>".to_owned()));
    }
    out.push(("Host".to_owned(), "<calculated when sent>".to_owned()));
    if !has("user-agent") {
        out.push(("User-Agent".to_owned(), concat!("localpost/", env!("CARGO_PKG_VERSION")).to_owned()));
    }
    if !has("accept") {
        out.push(("Accept".to_owned(), "*/*".to_owned()));
    }
    if !has("accept-encoding") {
        out.push(("Accept-Encoding".to_owned(), "gzip, deflate, br, zstd".to_owned()));
    }
    out.push(("Connection".to_owned(), "keep-alive".to_owned()));
    out
}

fn default_content_type(body: &Body) -> Option<&'static str> {
    match body.mode {
        BodyMode::None | BodyMode::Binary => None,
        BodyMode::Raw => Some(body.raw_language.content_type()),
        BodyMode::UrlEncoded => Some("application/x-www-form-urlencoded"),
        BodyMode::Multipart => Some("multipart/form-data; boundary=<calculated when sent>"),
        BodyMode::GraphQl => Some("application/json"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
