//! Insomnia exports: v4 (JSON or YAML; a flat `resources` list tied together by `parentId`) and
//! v5 (YAML; a nested `collection` tree). Workspaces, request groups (folders), requests,
//! environments and cookie jars map onto Localpost's model:
//!
//! - an Insomnia workspace becomes a workspace holding one collection of the same name;
//! - the base environment becomes the collection's variables (always active, like Insomnia's),
//!   sub-environments become environments (which take precedence, as they do in Insomnia);
//! - a folder's environment becomes the folder's variables;
//! - templates `{{ _.name }}` become `{{name}}`; template tags (`{% response ... %}`) and filters
//!   are kept as text and listed in the report;
//! - WebSocket requests become WebSocket requests, their payloads saved messages ([`websocket`]);
//! - gRPC requests, proto files, design documents and tests are reported, not silently dropped.

mod authentication;
mod templates;
mod v4;
mod v5;
mod websocket;

use std::collections::HashMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::ids::IdMint;
use super::node::Node;
use super::postman::language_of_content_type;
use super::query::{join_query, query_params};
use crate::interop::Report;
use crate::model::url_text::UrlText;
use crate::model::{
    Body, BodyMode, Cookie, Environment, EnvironmentId, Folder, FolderId, FormPart, GraphQlBody, KeyValue,
    Method, RawLanguage, Request, RequestId, RequestSettings, Scripts, Variable, VariableId, WorkspaceData,
};
use authentication::auth;
use templates::Templates;

pub(crate) use v4::import_v4;
pub(crate) use v5::import_v5;

type Imported = (Vec<WorkspaceData>, Vec<Cookie>);

/// Insomnia's `{name, value, disabled, description}` rows (query parameters, headers), templates
/// converted; rows with neither name nor value are left out.
fn rows(list: &Node, tpl: &mut impl FnMut(&str) -> String) -> Vec<KeyValue> {
    list.items()
        .iter()
        .map(|row| KeyValue {
            key: tpl(&row.text("name")),
            value: tpl(&row.text("value")),
            enabled: row.bool("disabled") != Some(true),
            description: row.text("description"),
        })
        .filter(|row| !(row.key.is_empty() && row.value.is_empty()))
        .collect()
}

/// A resource kind Localpost has no counterpart for.
fn unsupported(kind: &str, location: &str, report: &mut Report) {
    if kind == "client_certificate" || kind == "ca_certificate" {
        report.warn(
            location,
            "certificate not imported: add it in Settings → Certificates (certificates are app settings)",
        );
        return;
    }
    let what = match kind {
        "websocket_request" | "websocket" => "WebSocket request",
        "websocket_payload" => "WebSocket message",
        "grpc_request" | "grpc" => "gRPC request",
        "proto_file" => "gRPC proto file",
        "proto_directory" => "gRPC proto folder",
        "unit_test_suite" => "test suite",
        "unit_test" => "test",
        "mock_server" | "mock_route" => "mock",
        "" => "resource of unknown kind",
        other => other,
    };
    report.warn(location, format!("{what} not imported: Localpost has no {what}s"));
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

/// Stable sort by a numeric key; items without one keep their place at the end.
fn sort_by_key(items: &mut [&Node], key: impl Fn(&Node) -> Option<f64>) {
    items.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// Where v4 and v5 keep the same thing under different names.
enum Shape {
    V4,
    V5,
}

impl Shape {
    fn id<'a>(&self, node: &'a Node) -> Option<&'a str> {
        match self {
            Shape::V4 => node.str("_id"),
            Shape::V5 => node.at("meta").str("id"),
        }
    }

    fn description(&self, node: &Node) -> String {
        match self {
            Shape::V4 => node.text("description"),
            Shape::V5 => node.at("meta").text("description"),
        }
    }

    fn scripts(&self, node: &Node) -> (String, String) {
        match self {
            Shape::V4 => (node.text("preRequestScript"), node.text("afterResponseScript")),
            Shape::V5 => (node.at("scripts").text("preRequest"), node.at("scripts").text("afterResponse")),
        }
    }

    fn folder_variables<'a>(&self, node: &'a Node) -> &'a Node {
        node.at("environment")
    }
}

fn scripts(shape: &Shape, node: &Node, location: &str, report: &mut Report) -> Scripts {
    let (pre, after) = shape.scripts(node);
    let (pre, a) = as_postman(&pre);
    let (after, b) = as_postman(&after);
    if a || b {
        report.warn(
            location,
            "Insomnia's insomnia.* script calls written as pm.* (the same API, as Postman names it)",
        );
    }
    Scripts { pre_request: pre, test: after }
}

/// An Insomnia script with `insomnia.` calls written as Postman's `pm.`; whether any was.
fn as_postman(script: &str) -> (String, bool) {
    let mut out = String::with_capacity(script.len());
    let mut changed = false;
    let mut rest = script;
    while let Some(at) = rest.find("insomnia.") {
        let before = rest[..at].chars().next_back();
        let word_start = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'));
        out.push_str(&rest[..at]);
        if word_start {
            out.push_str("pm.");
            changed = true;
        } else {
            out.push_str("insomnia.");
        }
        rest = &rest[at + "insomnia.".len()..];
    }
    out.push_str(rest);
    (out, changed)
}

fn folder(
    node: &Node,
    shape: &Shape,
    mint: &mut IdMint,
    templates: &mut Templates,
    location: &str,
    report: &mut Report,
) -> Folder {
    let mut folder = Folder::new(non_empty(node.str("name")).unwrap_or("Untitled folder"));
    folder.id = FolderId(mint.id("folder", shape.id(node)));
    folder.description = shape.description(node);
    folder.variables = env_variables(shape.folder_variables(node), folder.id.0, mint, false, templates);
    folder.auth = auth(node.at("authentication"), location, report, templates);
    folder.scripts = scripts(shape, node, location, report);
    let headers: Vec<&Node> =
        node.at("headers").items().iter().filter(|h| !h.text("name").is_empty()).collect();
    if !headers.is_empty() {
        let names: Vec<String> = headers.iter().map(|h| h.text("name")).collect();
        report.warn(
            location,
            format!(
                "folder headers ({}) are not kept: Localpost has headers on requests only",
                names.join(", ")
            ),
        );
    }
    folder
}

fn request(
    node: &Node,
    shape: &Shape,
    mint: &mut IdMint,
    templates: &mut Templates,
    location: &str,
    report: &mut Report,
) -> Request {
    let mut request = Request::new(non_empty(node.str("name")).unwrap_or("Untitled"));
    request.id = RequestId(mint.id("request", shape.id(node)));
    request.method = Method::parse(non_empty(node.str("method")).unwrap_or("GET"));
    request.description = shape.description(node);
    let mut tpl = |text: &str| templates.convert(text);

    // Insomnia keeps query parameters apart from the URL; Localpost's URL carries the enabled ones.
    let url = tpl(&node.text("url"));
    let mut params = query_params(&url);
    let extra = rows(node.at("parameters"), &mut tpl);
    let query = join_query(&extra);
    request.url = if query.is_empty() {
        url
    } else {
        let parts = UrlText::parse(&url);
        match parts.query.filter(|own| !own.is_empty()) {
            Some(own) => parts.with_query(&format!("{own}&{query}")),
            None => parts.with_query(&query),
        }
    };
    params.extend(extra);
    request.params = params;
    request.path_variables = node
        .at("pathParameters")
        .items()
        .iter()
        .map(|p| KeyValue {
            key: p.text("name"),
            value: tpl(&p.text("value")),
            enabled: true,
            description: p.text("description"),
        })
        .filter(|p| !p.key.is_empty())
        .collect();
    request.headers = rows(node.at("headers"), &mut tpl);
    request.body = body(node.at("body"), &mut request.headers, templates, location, report);
    request.auth = auth(node.at("authentication"), location, report, templates);
    crate::interop::foreign::drop_stale_multipart_type(&mut request);
    request.settings = settings(node, shape, location, report);
    request.scripts = scripts(shape, node, location, report);
    request
}

fn settings(node: &Node, shape: &Shape, location: &str, report: &mut Report) -> RequestSettings {
    let mut settings = RequestSettings::default();
    let (follow, encode, send, store, render) = match shape {
        Shape::V4 => (
            node.str("settingFollowRedirects"),
            node.bool("settingEncodeUrl"),
            node.bool("settingSendCookies"),
            node.bool("settingStoreCookies"),
            node.bool("settingDisableRenderRequestBody").map(|d| !d),
        ),
        Shape::V5 => {
            let s = node.at("settings");
            (
                s.str("followRedirects"),
                s.bool("encodeUrl"),
                s.at("cookies").bool("send"),
                s.at("cookies").bool("store"),
                s.bool("renderRequestBody"),
            )
        }
    };
    settings.follow_redirects = match follow {
        Some("on") => Some(true),
        Some("off") => Some(false),
        _ => None,
    };
    let mut dropped = Vec::new();
    if encode == Some(false) {
        dropped.push("do not encode the URL");
    }
    if send == Some(false) {
        dropped.push("do not send cookies");
    }
    if store == Some(false) {
        dropped.push("do not store cookies");
    }
    if render == Some(false) {
        dropped.push("do not fill in variables in the body");
    }
    if !dropped.is_empty() {
        report.warn(location, format!("request settings Localpost does not have: {}", dropped.join(", ")));
    }
    settings
}

fn body(
    node: &Node,
    headers: &mut Vec<KeyValue>,
    templates: &mut Templates,
    location: &str,
    report: &mut Report,
) -> Body {
    if !node.is_object() {
        return Body::default();
    }
    let mime = node.text("mimeType");
    let text = templates.convert(&node.text("text"));
    let params = node.at("params").items();
    let lower = mime.to_ascii_lowercase();
    let base = lower.split(';').next().unwrap_or_default().trim();
    match base {
        "application/x-www-form-urlencoded" => Body {
            mode: BodyMode::UrlEncoded,
            urlencoded: params
                .iter()
                .map(|p| KeyValue {
                    key: templates.convert(&p.text("name")),
                    value: templates.convert(&p.text("value")),
                    enabled: p.bool("disabled") != Some(true),
                    description: p.text("description"),
                })
                .collect(),
            ..Body::default()
        },
        "multipart/form-data" => Body {
            mode: BodyMode::Multipart,
            multipart: params
                .iter()
                .map(|p| {
                    let mut part = if p.str("type") == Some("file") {
                        FormPart::file(templates.convert(&p.text("name")), p.text("fileName"))
                    } else {
                        FormPart::text(
                            templates.convert(&p.text("name")),
                            templates.convert(&p.text("value")),
                        )
                    };
                    part.enabled = p.bool("disabled") != Some(true);
                    part.description = p.text("description");
                    part
                })
                .collect(),
            ..Body::default()
        },
        "application/graphql" => match super::node::parse_json(&text, None) {
            Ok(query @ Node::Object(_)) => Body {
                mode: BodyMode::GraphQl,
                graphql: GraphQlBody {
                    query: query.text("query"),
                    variables: match query.get("variables") {
                        Some(v @ Node::Object(_)) if !v.entries().is_empty() => v.to_json_pretty(),
                        Some(Node::String(s)) => s.clone(),
                        _ => String::new(),
                    },
                    operation_name: query.text("operationName"),
                },
                ..Body::default()
            },
            _ => {
                report.warn(location, "GraphQL body is not the JSON Insomnia writes; kept as raw text");
                Body::raw(RawLanguage::Text, text)
            }
        },
        "application/octet-stream" if !node.text("fileName").is_empty() => {
            Body { mode: BodyMode::Binary, binary_path: node.text("fileName"), ..Body::default() }
        }
        _ if text.is_empty() && base.is_empty() => Body::default(),
        _ => {
            let language = language_of_content_type(base);
            if language == RawLanguage::Text
                && !base.is_empty()
                && base != "text/plain"
                && !headers.iter().any(|h| h.key.eq_ignore_ascii_case("content-type"))
            {
                // A content type the raw languages do not name (text/yaml, application/edn...): say it.
                headers.push(KeyValue::new("Content-Type", mime.clone()));
            }
            Body::raw(language, text)
        }
    }
}

/// Variables from an Insomnia environment's `data` object. Nested objects are flattened to
/// dotted keys (`{"api": {"url": ...}}` is `api.url`, as templates refer to it).
fn env_variables(
    data: &Node,
    owner: uuid::Uuid,
    mint: &mut IdMint,
    secret: bool,
    templates: &mut Templates,
) -> Vec<Variable> {
    let mut flat = Vec::new();
    flatten("", data, &mut flat, 0);
    let mut seen: HashMap<String, usize> = HashMap::new();
    flat.into_iter()
        .map(|(key, value)| {
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            Variable {
                id: VariableId(mint.child(owner, &format!("variable/{key}#{n}"))),
                value: templates.convert(&value),
                enabled: true,
                secret,
                description: String::new(),
                key,
            }
        })
        .collect()
}

fn flatten(prefix: &str, node: &Node, out: &mut Vec<(String, String)>, depth: usize) {
    for (key, value) in node.entries() {
        let key = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            Node::Object(_) if depth < 16 => flatten(&key, value, out, depth + 1),
            other => out.push((key, other.to_text())),
        }
    }
}

fn environment(node: &Node, mint: &mut IdMint, templates: &mut Templates) -> Environment {
    let shape_id = node.str("_id").or_else(|| node.at("meta").str("id"));
    let mut environment = Environment::new(non_empty(node.str("name")).unwrap_or("Environment"));
    environment.id = EnvironmentId(mint.id("environment", shape_id));
    let private = node.bool("isPrivate") == Some(true) || node.at("meta").bool("isPrivate") == Some(true);
    environment.variables = env_variables(node.at("data"), environment.id.0, mint, private, templates);
    environment
}

fn cookie_jar(list: &Node, location: &str, report: &mut Report) -> Vec<Cookie> {
    let mut cookies = Vec::new();
    for c in list.items() {
        let name = c.text("key");
        let domain = c.text("domain");
        if name.is_empty() || domain.is_empty() {
            report.warn(location, format!("cookie `{name}` without a name or domain skipped"));
            continue;
        }
        let expires = match c.get("expires") {
            Some(Node::String(s)) if s != "Infinity" => match OffsetDateTime::parse(s, &Rfc3339) {
                Ok(t) => Some(t),
                Err(_) => {
                    report.warn(
                        location,
                        format!("cookie `{name}`: expiry `{s}` not understood; kept as a session cookie"),
                    );
                    None
                }
            },
            _ => None,
        };
        cookies.push(Cookie {
            host_only: c.bool("hostOnly").unwrap_or(!domain.starts_with('.')),
            domain: domain.trim_start_matches('.').to_owned(),
            name,
            value: c.text("value"),
            path: non_empty(c.str("path")).unwrap_or("/").to_owned(),
            expires,
            secure: c.bool("secure") == Some(true),
            http_only: c.bool("httpOnly") == Some(true),
            same_site: c.text("sameSite"),
        });
    }
    cookies
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Auth, HawkAlgorithm, OAuth1Method};

    #[test]
    fn insomnia_script_calls_are_written_as_postmans() {
        let (text, changed) = as_postman(
            "insomnia.test('ok', () => insomnia.expect(insomnia.response.code).to.equal(200));\nmyinsomnia.x; a.insomnia.y;",
        );
        assert!(changed);
        assert_eq!(
            text,
            "pm.test('ok', () => pm.expect(pm.response.code).to.equal(200));\nmyinsomnia.x; a.insomnia.y;"
        );
        assert_eq!(as_postman("pm.test('x')"), ("pm.test('x')".to_owned(), false));
    }

    #[test]
    fn templates_convert_plain_names_and_keep_the_rest() {
        let mut t = Templates::default();
        assert_eq!(
            t.convert("{{ _.base_url }}/a/{{token}}?x={{ _['odd'] }}"),
            "{{base_url}}/a/{{token}}?x={{odd}}"
        );
        assert_eq!(
            t.convert("{% response 'body', 'req_1', '$.t' %} {{ name | upper }} {x}"),
            "{% response 'body', 'req_1', '$.t' %} {{ name | upper }} {x}"
        );
        assert_eq!(t.tags, ["response"]);
        assert_eq!(t.expressions, ["name | upper"]);
    }

    #[test]
    fn oauth1_and_hawk_are_read_as_what_localpost_sends() {
        let node = super::super::node::parse_json(
            r#"{"type":"oauth1","consumerKey":"ck","consumerSecret":"{{ _.cs }}","tokenKey":"t","tokenSecret":"ts","signatureMethod":"HMAC-SHA256","version":"","includeBodyHash":true}"#,
            None,
        )
        .unwrap();
        let mut report = Report::default();
        let Auth::OAuth1(o) = auth(&node, "r", &mut report, &mut Templates::default()) else { panic!() };
        assert_eq!(
            (
                o.signature_method,
                o.consumer_secret.as_str(),
                o.token.as_str(),
                o.version.as_str(),
                o.in_header
            ),
            (OAuth1Method::HmacSha256, "{{cs}}", "t", "1.0", true)
        );
        assert!(o.include_body_hash && report.warnings.is_empty());
        let node = super::super::node::parse_json(
            r#"{"type":"hawk","id":"i","key":"k","algorithm":"sha1","ext":"e","validatePayload":true}"#,
            None,
        )
        .unwrap();
        let Auth::Hawk(h) = auth(&node, "r", &mut report, &mut Templates::default()) else { panic!() };
        assert_eq!((h.auth_id.as_str(), h.algorithm, h.ext.as_str()), ("i", HawkAlgorithm::Sha1, "e"));
        assert!(h.include_payload_hash);
        let node = super::super::node::parse_json(
            r#"{"type":"asap","issuer":"svc","subject":"","audience":"api","keyId":"svc/1","privateKey":"k","additionalClaims":"{\"a\":1}"}"#,
            None,
        )
        .unwrap();
        let Auth::Asap(a) = auth(&node, "r", &mut report, &mut Templates::default()) else { panic!() };
        assert_eq!(
            (a.issuer.as_str(), a.audience.as_str(), a.key_id.as_str(), a.claims.as_str(), a.algorithm),
            ("svc", "api", "svc/1", r#"{"a":1}"#, crate::model::JwtAlgorithm::Rs256)
        );
        assert!(report.warnings.is_empty());
    }

    #[test]
    fn nested_environment_data_is_flattened() {
        let data = super::super::node::parse_json(r#"{"api":{"url":"u","v":2},"list":[1,2]}"#, None).unwrap();
        let mut mint = IdMint::new("insomnia", None);
        let vars = env_variables(&data, uuid::Uuid::nil(), &mut mint, false, &mut Templates::default());
        let pairs: Vec<(&str, &str)> = vars.iter().map(|v| (v.key.as_str(), v.value.as_str())).collect();
        assert_eq!(pairs, [("api.url", "u"), ("api.v", "2"), ("list", "[1,2]")]);
    }
}
