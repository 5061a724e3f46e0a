//! Postman: collections v2.0 and v2.1 (and the v1 collections inside old data dumps),
//! environments, globals and data dumps.
//!
//! The pieces every Postman shape shares live here: key/value rows, auth, scripts,
//! `protocolProfileBehavior`, bodies, URLs and saved examples.

mod auth;
mod body;
pub(crate) mod collection;
pub(crate) mod dump;
pub(crate) mod environment;
mod url;
pub(crate) mod v1;

use indexmap::IndexMap;

use super::ids::IdMint;
use super::node::Node;
use super::query::join_query;
use crate::interop::Report;
use crate::model::{
    BodyMode, ExampleId, FormPartKind, KeyValue, RequestSettings, ResponseRecord, SavedResponse, Scripts,
    SentRequest, StoredBody, Variable, VariableId,
};

use self::auth::is_blank;
pub(crate) use self::auth::{auth, auth_from_params, short};
pub(crate) use self::body::{body, language_of_content_type, prune_body};
use self::url::{plain_headers, url_text};
pub(crate) use self::url::{reconcile_params, url};

/// A description: a string, or `{content, type}` in v2.1.
pub(crate) fn description(node: &Node) -> String {
    match node {
        Node::Object(_) => node.text("content"),
        Node::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// A row is off when it says `disabled: true` (v2.1) or `enabled: false` (v2.0 and older).
fn is_enabled(row: &Node) -> bool {
    row.bool("disabled") != Some(true) && row.bool("enabled") != Some(false)
}

/// Rows of a key/value list (query, urlencoded, headers). Rows with neither key nor value are
/// noise some exporters leave behind and are skipped.
pub(crate) fn key_values(list: &Node) -> Vec<KeyValue> {
    let mut rows = Vec::new();
    for row in list.items() {
        match row {
            Node::Object(_) => {
                let key = row.get("key").or_else(|| row.get("name")).map(Node::to_text).unwrap_or_default();
                let value = row.text("value");
                let description = description(row.at("description"));
                if key.is_empty() && value.is_empty() && description.is_empty() {
                    continue;
                }
                rows.push(KeyValue { key, value, enabled: is_enabled(row), description });
            }
            Node::String(line) => rows.extend(header_lines(line)),
            _ => {}
        }
    }
    rows
}

/// Headers written as text (`Key: value` per line, `//` in front of a disabled one), as v1
/// collections and old v2.0 exports have them.
pub(crate) fn header_lines(text: &str) -> Vec<KeyValue> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let (line, enabled) = match line.strip_prefix("//") {
                Some(rest) => (rest.trim_start(), false),
                None => (line, true),
            };
            let (key, value) = line.split_once(':')?;
            let key = key.trim();
            if key.is_empty() {
                return None;
            }
            Some(KeyValue {
                key: key.to_owned(),
                value: value.trim().to_owned(),
                enabled,
                ..KeyValue::default()
            })
        })
        .collect()
}

/// Headers in any of Postman's shapes: an array of rows or one string.
pub(crate) fn headers(node: &Node) -> Vec<KeyValue> {
    match node {
        Node::String(text) => header_lines(text),
        _ => key_values(node),
    }
}

/// Variables (collection, folder, environment, globals). `owner` is the id of what holds them;
/// each variable's id derives from it and the key, so a re-import keeps them.
pub(crate) fn variables(list: &Node, owner: uuid::Uuid, mint: &mut IdMint) -> Vec<Variable> {
    let mut seen: IndexMap<String, usize> = IndexMap::new();
    let mut out = Vec::new();
    for row in list.items() {
        if !row.is_object() {
            continue;
        }
        // Old v2.0 exports name variables by `id`; legacy environments add a `name`.
        let key = row
            .str("key")
            .or_else(|| row.str("name"))
            .or_else(|| row.str("id"))
            .unwrap_or_default()
            .to_owned();
        if key.is_empty() && row.text("value").is_empty() {
            continue;
        }
        let count = seen.entry(key.clone()).or_insert(0);
        *count += 1;
        let local = format!("variable/{key}#{count}");
        out.push(Variable {
            id: VariableId(mint.child(owner, &local)),
            value: row.text("value"),
            enabled: is_enabled(row),
            secret: row.str("type") == Some("secret"),
            description: description(row.at("description")),
            key,
        });
    }
    out
}

/// Scripts from an `event` list, verbatim. Each kept script is listed in the report.
pub(crate) fn scripts(events: &Node, location: &str, report: &mut Report) -> Scripts {
    let mut scripts = Scripts::default();
    for event in events.items() {
        let script = event.at("script");
        let text = match script.get("exec") {
            Some(Node::Array(lines)) => lines.iter().map(Node::to_text).collect::<Vec<_>>().join("\n"),
            Some(other) => other.to_text(),
            None => String::new(),
        };
        if let Some(src) = script.str("src").filter(|s| !s.is_empty()) {
            report.warn(location, format!("script loaded from {src} is not kept (only its address)"));
        }
        if text.trim().is_empty() {
            continue;
        }
        let (slot, label) = match event.str("listen") {
            Some("prerequest") => (&mut scripts.pre_request, "pre-request"),
            Some("test") => (&mut scripts.test, "test"),
            other => {
                report.warn(
                    location,
                    format!(
                        "script for event `{}` dropped: Localpost keeps only pre-request and test scripts",
                        other.unwrap_or("")
                    ),
                );
                continue;
            }
        };
        // A disabled script does not run in Postman: it is kept, commented out, so it does not
        // run here either.
        let text = if event.bool("disabled") == Some(true) {
            report.warn(location, format!("{label} script was disabled in Postman: kept commented out"));
            text.lines().map(|l| format!("// {l}")).collect::<Vec<_>>().join("\n")
        } else {
            text
        };
        if !slot.is_empty() {
            slot.push_str("\n\n");
        }
        slot.push_str(&text);
    }
    scripts
}

/// What `protocolProfileBehavior` says.
#[derive(Default)]
pub(crate) struct Behavior {
    pub settings: RequestSettings,
    /// `disableBodyPruning`: send a body even with GET/HEAD/... (`None`: not said here).
    pub keep_body: Option<bool>,
}

pub(crate) fn behavior(node: &Node, location: &str, report: &mut Report) -> Behavior {
    let mut out = Behavior::default();
    for (key, value) in node.entries() {
        let flag = match value {
            Node::Bool(b) => Some(*b),
            _ => None,
        };
        match key.as_str() {
            "followRedirects" => out.settings.follow_redirects = flag,
            "maxRedirects" => {
                out.settings.max_redirects = value.as_u64().map(|n| n.min(u64::from(u32::MAX)) as u32);
            }
            "followOriginalHttpMethod" => out.settings.follow_original_method = flag,
            "strictSSL" => out.settings.verify_tls = flag,
            "disableBodyPruning" => out.keep_body = flag,
            // Off is what Localpost does anyway.
            "removeRefererHeaderOnRedirect"
            | "followAuthorizationHeader"
            | "disableCookies"
            | "insecureHTTPParser"
            | "disableUrlEncoding"
            | "tlsPreferServerCiphers"
                if flag == Some(false) => {}
            _ if is_blank(value) => {}
            _ => report.warn(
                location,
                format!(
                    "request setting `{key}` = {} is not one Localpost has; dropped",
                    short(&value.to_text())
                ),
            ),
        }
    }
    out
}
/// A saved response (`response[]` of an item). `request_node` is the item's request, used when
/// the example has no `originalRequest`.
/// `fallback_id` identifies the example when it has no id of its own (its request's source id
/// and its position), so re-importing keeps it.
pub(crate) fn example(
    node: &Node,
    request_node: &Node,
    mint: &mut IdMint,
    fallback_id: Option<&str>,
    location: &str,
    report: &mut Report,
) -> Option<SavedResponse> {
    if !node.is_object() {
        return None;
    }
    let original = node.get("originalRequest").filter(|r| r.is_object()).unwrap_or(request_node);
    let headers_kv = headers(original.at("header"));
    let sent_body = body(original.at("body"), &headers_kv, location, &mut Report::default());
    let (body_text, summary) = match sent_body.mode {
        BodyMode::Raw => (Some(sent_body.raw.clone()), String::new()),
        BodyMode::UrlEncoded => (Some(join_query(&sent_body.urlencoded)), String::new()),
        BodyMode::GraphQl => {
            let mut text = format!("{{\"query\":{}", Node::String(sent_body.graphql.query.clone()).to_json());
            if !sent_body.graphql.variables.trim().is_empty() {
                text.push_str(",\"variables\":");
                text.push_str(sent_body.graphql.variables.trim());
            }
            text.push('}');
            (Some(text), String::new())
        }
        BodyMode::Multipart if sent_body.multipart.is_empty() => (None, String::new()),
        BodyMode::Multipart => {
            let files =
                sent_body.multipart.iter().filter(|p| matches!(p.kind, FormPartKind::File(_))).count();
            (None, format!("multipart: {} fields, {files} files", sent_body.multipart.len() - files))
        }
        BodyMode::Binary => (None, format!("file: {}", sent_body.binary_path)),
        BodyMode::None => (None, String::new()),
    };
    let body_size_bytes = body_text.as_ref().map_or(0, |b| b.len() as u64);
    let request = SentRequest {
        method: original.str("method").unwrap_or("GET").to_owned(),
        url: url_text(original.at("url")),
        headers: plain_headers(original.at("header")),
        body: body_text.filter(|b| !b.is_empty()).map(StoredBody::Text),
        body_size_bytes,
        body_truncated: false,
        body_summary: summary,
    };
    let response_body = match node.get("body") {
        Some(Node::Null) | None => None,
        Some(b) => Some(b.to_text()),
    };
    let code = node.u64("code").and_then(|c| u16::try_from(c).ok()).unwrap_or(0);
    let status_text = node.text("status");
    // Some exporters write `"status": "200 OK"`; keep just the reason.
    let reason = match status_text.split_once(' ') {
        Some((num, rest)) if num == code.to_string() => rest.to_owned(),
        _ => status_text,
    };
    if code == 0 {
        report.warn(location, format!("example `{}` has no status code", node.text("name")));
    }
    let response = ResponseRecord {
        status: code,
        reason,
        http_version: String::new(),
        headers: plain_headers(node.at("header")),
        size_bytes: response_body.as_ref().map_or(0, |b| b.len() as u64),
        body: response_body.filter(|b| !b.is_empty()).map(StoredBody::Text),
        body_truncated: false,
        wire_size_bytes: None,
        time_ms: node.u64("responseTime").unwrap_or(0),
    };
    let source_id = node.str("id").or_else(|| node.str("_postman_id")).or(fallback_id);
    let name = node.str("name").filter(|n| !n.is_empty()).map_or_else(|| format!("{code}"), str::to_owned);
    Some(SavedResponse {
        id: ExampleId(mint.id("example", source_id)),
        name,
        request,
        response,
        saved_at: None,
        source_request: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::foreign::node::parse_json;
    use crate::model::{Auth, HawkAlgorithm};

    #[test]
    fn header_lines_read_disabled_rows() {
        let rows = header_lines("Content-Type: application/json\n// X-Off: 1\nbad line\n");
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].key.as_str(), rows[1].value.as_str(), rows[1].enabled), ("X-Off", "1", false));
    }

    #[test]
    fn both_auth_shapes_read_the_same() {
        let v21 = parse_json(
            r#"{"type":"basic","basic":[{"key":"username","value":"u"},{"key":"password","value":"p"}]}"#,
            None,
        )
        .unwrap();
        let v20 = parse_json(r#"{"type":"basic","basic":{"username":"u","password":"p"}}"#, None).unwrap();
        let mut report = Report::default();
        let a = auth(&v21, "x", &mut report);
        let b = auth(&v20, "x", &mut report);
        assert_eq!(a, b);
        assert_eq!(a, Some(Auth::Basic { username: "u".into(), password: "p".into() }));
        assert!(report.warnings.is_empty());
    }

    #[test]
    fn unsupported_auth_keeps_params_and_is_reported() {
        let node = parse_json(r#"{"type":"wsse","wsse":{"username":"u","password":"k"}}"#, None).unwrap();
        let mut report = Report::default();
        let Some(Auth::Unsupported { kind, params }) = auth(&node, "r", &mut report) else { panic!() };
        assert_eq!(kind, "wsse");
        assert_eq!(params.get("password").map(String::as_str), Some("k"));
        assert_eq!(report.warnings.len(), 1);
        assert!(report.warnings[0].message.contains("wsse"), "{}", report.warnings[0].message);
        // NTLM is sent now.
        let node = parse_json(
            r#"{"type":"ntlm","ntlm":[{"key":"username","value":"CORP\\u"},{"key":"password","value":"k"},{"key":"disableRetryRequest","value":true}]}"#,
            None,
        )
        .unwrap();
        let mut report = Report::default();
        let Some(Auth::Ntlm(n)) = auth(&node, "r", &mut report) else { panic!() };
        assert_eq!((n.username.as_str(), n.password.as_str(), n.disable_retry), ("CORP\\u", "k", true));
        assert!(report.warnings.is_empty());
        // Hawk is sent now: imported as itself, without a warning.
        let node =
            parse_json(r#"{"type":"hawk","hawk":{"authId":"id","authKey":"k","algorithm":"sha1"}}"#, None)
                .unwrap();
        let mut report = Report::default();
        let Some(Auth::Hawk(h)) = auth(&node, "r", &mut report) else { panic!() };
        assert_eq!((h.auth_id.as_str(), h.algorithm), ("id", HawkAlgorithm::Sha1));
        assert!(report.warnings.is_empty());
    }

    // Found on fastly-api-large ("Get a billing address"): the query rows are in the parts but
    // not in `raw`; newman sends `customer_id=`.
    #[test]
    fn query_rows_missing_from_raw_are_sent_as_newman_sends_them() {
        let node = parse_json(
            r#"{"raw":"{{base}}/billing/:id","host":["{{base}}"],"path":["billing",":id"],"query":[{"key":"customer_id","value":""},{"key":"flag","value":null},{"key":"x&y","value":"a#b"},{"key":"off","value":"3","disabled":true}],"variable":[{"key":"id","value":"7"}]}"#,
            None,
        )
        .unwrap();
        let mut report = Report::default();
        let parts = url(&node, "r", &mut report);
        assert_eq!(parts.url, "{{base}}/billing/:id?customer_id=&flag&x%26y=a%23b");
        let rows: Vec<(&str, bool)> = parts.params.iter().map(|r| (r.key.as_str(), r.enabled)).collect();
        assert_eq!(rows, [("customer_id", true), ("flag", true), ("x&y", true), ("off", false)]);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        // A `&` inside a variable's name is the variable's, not the query's.
        let node =
            parse_json(r#"{"raw":"x","host":["h"],"query":[{"key":"{{a&b}}","value":"{{c#d}}"}]}"#, None)
                .unwrap();
        assert_eq!(url(&node, "r", &mut report).url, "h?{{a&b}}={{c#d}}");
        // User info in the parts.
        let node = parse_json(r#"{"raw":"x","protocol":"http","auth":{"user":"us@r","password":"p@ss"},"host":["h"],"path":[""]}"#, None).unwrap();
        assert_eq!(url(&node, "r", &mut report).url, "http://us@r:p@ss@h/");
    }

    #[test]
    fn params_not_in_the_url_stay_disabled() {
        let node = parse_json(
            r#"{"raw":"http://x/a?q=1","query":[{"key":"q","value":"1","description":"d"},{"key":"gone","value":"2"},{"key":"off","value":"3","disabled":true}]}"#,
            None,
        )
        .unwrap();
        let mut report = Report::default();
        let parts = url(&node, "r", &mut report);
        let rows: Vec<(&str, bool, &str)> =
            parts.params.iter().map(|r| (r.key.as_str(), r.enabled, r.description.as_str())).collect();
        assert_eq!(rows, [("q", true, "d"), ("gone", false, ""), ("off", false, "")]);
        assert_eq!(report.warnings.len(), 1);
    }
}
