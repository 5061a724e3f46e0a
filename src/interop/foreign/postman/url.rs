//! A request's URL: a string, or v2's object built from its parts, and its params reconciled.

use super::{description, headers, is_enabled, key_values};
use crate::interop::Report;
use crate::interop::foreign::node::Node;
use crate::interop::foreign::query::{percent_decode, query_params};
use crate::model::{Header, KeyValue};

/// A request's URL with its query rows and path variables.
pub(crate) struct UrlParts {
    pub url: String,
    pub params: Vec<KeyValue>,
    pub path_variables: Vec<KeyValue>,
}

/// Reads a URL: a string, or v2's object (`raw` plus its parts). An object's parts are what
/// Postman and newman send (`raw` is only what the editor showed, and exports from generators
/// often leave query rows out of it), so the URL is built from them when there are any; `raw`
/// is read only when they are missing. Disabled query rows live only in `params`.
pub(crate) fn url(node: &Node, location: &str, report: &mut Report) -> UrlParts {
    let (url, listed) = match node {
        Node::String(s) => (s.clone(), None),
        Node::Object(_) => {
            let url = match node.str("raw") {
                Some(raw) if !has_parts(node) => raw.to_owned(),
                _ => url_from_parts(node),
            };
            (url, node.get("query").map(key_values))
        }
        _ => (String::new(), None),
    };
    let path_variables = node
        .at("variable")
        .items()
        .iter()
        .filter(|v| v.is_object())
        .map(|v| KeyValue {
            key: v.get("key").or_else(|| v.get("id")).map(Node::to_text).unwrap_or_default(),
            value: v.text("value"),
            enabled: is_enabled(v),
            description: description(v.at("description")),
        })
        .filter(|v| !v.key.is_empty())
        .collect();
    let params = reconcile_params(&url, listed, location, report);
    UrlParts { url, params, path_variables }
}

/// The params table: the URL's own query, with the descriptions and disabled rows the source's
/// list adds. Rows listed as enabled but missing from the URL are kept, disabled, and reported.
pub(crate) fn reconcile_params(
    url: &str,
    listed: Option<Vec<KeyValue>>,
    location: &str,
    report: &mut Report,
) -> Vec<KeyValue> {
    let in_url = query_params(url);
    let Some(listed) = listed else { return in_url };
    // Compared decoded: a list may hold `b#a` where the URL says `b%23a`.
    let same = |a: &KeyValue, b: &KeyValue| {
        percent_decode(&a.key, false) == percent_decode(&b.key, false)
            && percent_decode(&a.value, false) == percent_decode(&b.value, false)
    };
    let enabled: Vec<&KeyValue> = listed.iter().filter(|r| r.enabled).collect();
    if enabled.len() == in_url.len() && enabled.iter().zip(&in_url).all(|(a, b)| same(a, b)) {
        return listed;
    }
    // Walk the URL's rows, borrowing descriptions; append what the list has beyond them.
    let mut rows = in_url;
    let mut used = vec![false; listed.len()];
    for row in &mut rows {
        if let Some(i) = listed.iter().enumerate().position(|(i, l)| {
            !used[i] && l.enabled && percent_decode(&l.key, false) == percent_decode(&row.key, false)
        }) {
            used[i] = true;
            row.description.clone_from(&listed[i].description);
        }
    }
    let mut missing = Vec::new();
    for (i, row) in listed.into_iter().enumerate() {
        if used[i] {
            continue;
        }
        if row.enabled {
            missing.push(row.key.clone());
        }
        rows.push(KeyValue { enabled: false, ..row });
    }
    if !missing.is_empty() {
        report.warn(
            location,
            format!(
                "query parameter(s) {} listed but not in the URL; kept disabled",
                missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    rows
}

/// Whether a v2 URL object has the parts Postman builds a URL from (a host or a path: query rows
/// beside `raw` alone make no URL, and are reconciled with `raw`'s own).
pub(super) fn has_parts(node: &Node) -> bool {
    ["host", "path"].iter().any(|k| node.get(k).is_some_and(|v| !v.is_null()))
}

/// The URL text of v2's parts, as postman-collection's `Url.toString` writes it: `auth` as user
/// info, the host's labels joined by dots, the path's segments by slashes, the enabled query rows
/// (a row whose value is not a string is its key alone), the hash.
pub(super) fn url_from_parts(node: &Node) -> String {
    let mut url = String::new();
    if let Some(protocol) = node.str("protocol").filter(|p| !p.is_empty()) {
        url.push_str(protocol.trim_end_matches("://"));
        url.push_str("://");
    }
    let auth = node.at("auth");
    let user = auth.str("user");
    let password = auth.str("password");
    if user.is_some() || password.is_some() {
        url.push_str(user.unwrap_or_default());
        if let Some(password) = password {
            url.push(':');
            url.push_str(password);
        }
        url.push('@');
    }
    match node.at("host") {
        Node::Array(parts) => url.push_str(&parts.iter().map(Node::to_text).collect::<Vec<_>>().join(".")),
        other => url.push_str(&other.to_text()),
    }
    let port = node.text("port");
    if !port.is_empty() {
        url.push(':');
        url.push_str(&port);
    }
    let path: Option<Vec<String>> = match node.at("path") {
        Node::Array(parts) => Some(
            parts
                .iter()
                .map(|p| match p {
                    Node::Object(_) => p.text("value"),
                    other => other.to_text(),
                })
                .collect(),
        ),
        Node::String(s) => match s.trim_start_matches('/') {
            "" if s.is_empty() => None,
            "" => Some(vec![String::new()]),
            rest => Some(rest.split('/').map(str::to_owned).collect()),
        },
        _ => None,
    };
    if let Some(path) = path {
        url.push('/');
        url.push_str(&path.join("/"));
    }
    let rows: Vec<&Node> =
        node.at("query").items().iter().filter(|r| r.is_object() && is_enabled(r)).collect();
    if !rows.is_empty() {
        url.push('?');
        let query: Vec<String> = rows
            .iter()
            .map(|row| {
                let mut pair =
                    row.get("key").map(|k| normalize_param(&k.to_text(), true)).unwrap_or_default();
                if let Some(value) = row.get("value").filter(|v| !v.is_null()) {
                    pair.push('=');
                    pair.push_str(&normalize_param(&value.to_text(), false));
                }
                pair
            })
            .collect();
        url.push_str(&query.join("&"));
    }
    if let Some(hash) = node.get("hash").filter(|h| !h.is_null()) {
        url.push('#');
        url.push_str(&hash.to_text());
    }
    url
}

/// A query key or value as postman-collection writes it into a URL: `&` and `#` (and `=` in a
/// key) are percent-encoded, except inside `{{variables}}`, so they cannot split the query.
pub(super) fn normalize_param(text: &str, key: bool) -> String {
    let reserved: Vec<usize> = [b'&', b'#']
        .into_iter()
        .chain(key.then_some(b'='))
        .flat_map(|c| crate::vars::offsets_outside_references(text, c))
        .collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            '&' | '#' | '=' if reserved.contains(&i) => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The URL text of a request node (for an example's original request).
pub(super) fn url_text(node: &Node) -> String {
    match node {
        Node::String(s) => s.clone(),
        Node::Object(_) => node.str("raw").map_or_else(|| url_from_parts(node), str::to_owned),
        _ => String::new(),
    }
}

/// Plain headers (enabled rows) from a key/value list.
pub(super) fn plain_headers(node: &Node) -> Vec<Header> {
    headers(node).into_iter().filter(|h| h.enabled).map(|h| Header::new(h.key, h.value)).collect()
}
