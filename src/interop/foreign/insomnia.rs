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
//! - WebSocket and gRPC requests, proto files, design documents and tests are reported, not
//!   silently dropped.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::ids::IdMint;
use super::node::Node;
use super::postman::language_of_content_type;
use super::query::{join_query, query_params};
use super::tree::Tree;
use crate::interop::{Format, ImportError, Report};
use crate::model::url_text::UrlText;
use crate::model::{
    ApiKeyLocation, AsapAuth, Auth, AwsSigV4Auth, Body, BodyMode, Collection, CollectionId, Cookie,
    DigestAuth, Environment, EnvironmentId, Folder, FolderId, FormPart, GraphQlBody, HawkAlgorithm, HawkAuth,
    KeyValue, Method, NtlmAuth, OAuth1Auth, OAuth1Method, OAuth2Auth, OAuth2ClientAuth, OAuth2Grant,
    ParentId, RawLanguage, Request, RequestId, RequestSettings, Scripts, Variable, VariableId, WorkspaceData,
};

type Imported = (Vec<WorkspaceData>, Vec<Cookie>);

/// Insomnia v4: `{"_type": "export", "__export_format": 4, "resources": [...]}`.
pub(crate) fn import_v4(
    root: &Node,
    source_name: &str,
    report: &mut Report,
) -> Result<Imported, ImportError> {
    let format = Format::InsomniaV4;
    let resources = match root.get("resources") {
        Some(r @ Node::Array(_)) => r.items(),
        Some(other) => {
            return Err(ImportError::Shape {
                format,
                path: "$.resources".into(),
                message: format!("expected an array of resources, found {}", other.kind()),
            });
        }
        None => {
            return Err(ImportError::Shape { format, path: "$.resources".into(), message: "missing".into() });
        }
    };
    let export_format = root.u64("__export_format").unwrap_or(4);
    if export_format != 4 {
        report.warn("$.__export_format", format!("export format {export_format}; read as format 4"));
    }
    let mut children: HashMap<&str, Vec<&Node>> = HashMap::new();
    let mut by_id: HashMap<&str, &Node> = HashMap::new();
    for (i, resource) in resources.iter().enumerate() {
        if !resource.is_object() {
            report.warn(
                format!("resources[{i}]"),
                format!("skipped: expected an object, found {}", resource.kind()),
            );
            continue;
        }
        if let Some(id) = resource.str("_id") {
            by_id.insert(id, resource);
        }
        children.entry(resource.str("parentId").unwrap_or_default()).or_default().push(resource);
    }
    let mut workspaces: Vec<&Node> =
        resources.iter().filter(|r| r.str("_type") == Some("workspace")).collect();
    // Resources whose parent is not in the file hang off the first workspace (or a made-up one).
    let orphans: Vec<&Node> = resources
        .iter()
        .filter(|r| r.is_object() && r.str("_type") != Some("workspace"))
        .filter(|r| r.str("parentId").is_none_or(|p| !by_id.contains_key(p)))
        .collect();
    let synthetic = Node::Object(vec![
        ("_id".into(), Node::String(String::new())),
        ("name".into(), Node::String(source_name.to_owned())),
        ("_type".into(), Node::String("workspace".into())),
    ]);
    if workspaces.is_empty() {
        workspaces.push(&synthetic);
    }
    let mut out = Vec::new();
    let mut cookies = Vec::new();
    for (w, workspace) in workspaces.iter().enumerate() {
        let id = workspace.str("_id").unwrap_or_default();
        let mut kids: Vec<&Node> = children.get(id).cloned().unwrap_or_default();
        if w == 0 && !orphans.is_empty() {
            if !id.is_empty() {
                report.warn(
                    workspace.text("name"),
                    format!(
                        "{} resources name a parent that is not in the file; placed in this workspace",
                        orphans.len()
                    ),
                );
            }
            kids.extend(orphans.iter().copied());
        }
        let mut reader = V4 { children: &children, report, visited: HashSet::new() };
        let (data, jar) = reader.workspace(workspace, &kids, source_name);
        out.push(data);
        cookies.extend(jar);
    }
    Ok((out, cookies))
}

struct V4<'a, 'n> {
    children: &'a HashMap<&'n str, Vec<&'n Node>>,
    report: &'a mut Report,
    visited: HashSet<*const Node>,
}

impl<'n> V4<'_, 'n> {
    fn kids(&self, id: &str) -> Vec<&'n Node> {
        let mut kids = self.children.get(id).cloned().unwrap_or_default();
        sort_by_key(&mut kids, |n| n.get("metaSortKey").and_then(Node::as_f64));
        kids
    }

    fn workspace(
        &mut self,
        workspace: &Node,
        kids: &[&'n Node],
        source_name: &str,
    ) -> (WorkspaceData, Vec<Cookie>) {
        let source_id = workspace.str("_id").filter(|s| !s.is_empty());
        let mut mint = IdMint::new("insomnia", source_id);
        let name = non_empty(workspace.str("name")).unwrap_or(source_name).to_owned();
        let mut tree = Tree::new(mint.id("workspace", source_id), &name);
        let mut collection = Collection::new(&name);
        collection.id = CollectionId(mint.id("collection", source_id));
        collection.description = workspace.text("description");
        let collection_id = tree.add_collection(collection);
        let mut templates = Templates::default();
        let mut kids = kids.to_vec();
        sort_by_key(&mut kids, |n| n.get("metaSortKey").and_then(Node::as_f64));

        // Environments: the base one (child of the workspace) and its sub-environments.
        let bases: Vec<&Node> =
            kids.iter().copied().filter(|k| k.str("_type") == Some("environment")).collect();
        for (i, base) in bases.iter().enumerate() {
            let location = format!("{name} / environment {}", base.text("name"));
            if i == 0 {
                let vars = env_variables(
                    base.at("data"),
                    collection_id.0,
                    &mut mint,
                    base.bool("isPrivate") == Some(true),
                    &mut templates,
                );
                if let Some(c) = tree.data.collections.get_mut(&collection_id) {
                    c.variables = vars;
                }
            } else {
                self.report.warn(&location, "a second base environment; imported as an environment");
                tree.add_environment(environment(base, &mut mint, &mut templates));
            }
            for sub in self.kids(base.str("_id").unwrap_or_default()) {
                if sub.str("_type") == Some("environment") {
                    tree.add_environment(environment(sub, &mut mint, &mut templates));
                }
            }
        }

        let mut cookies = Vec::new();
        for kid in kids.iter().filter(|k| k.str("_type") == Some("cookie_jar")) {
            cookies.extend(cookie_jar(kid.at("cookies"), &name, self.report));
        }
        let parent = ParentId::Collection(collection_id);
        for kid in &kids {
            self.resource(kid, parent, &name, &mut tree, &mut mint, &mut templates, 0);
        }
        templates.report(&name, self.report);
        (tree.into_data(), cookies)
    }

    #[allow(clippy::too_many_arguments)]
    fn resource(
        &mut self,
        node: &'n Node,
        parent: ParentId,
        location: &str,
        tree: &mut Tree,
        mint: &mut IdMint,
        templates: &mut Templates,
        depth: usize,
    ) {
        if depth > 64 || !self.visited.insert(std::ptr::from_ref(node)) {
            return;
        }
        let kind = node.str("_type").unwrap_or_default();
        let name = non_empty(node.str("name")).unwrap_or("Untitled").to_owned();
        let location = format!("{location} / {name}");
        match kind {
            "request" => {
                let request = request(node, &Shape::V4, mint, templates, &location, self.report);
                tree.add_request(parent, request);
            }
            "request_group" => {
                let folder = folder(node, &Shape::V4, mint, templates, &location, self.report);
                let id = tree.add_folder(parent, folder);
                for kid in self.kids(node.str("_id").unwrap_or_default()) {
                    self.resource(kid, ParentId::Folder(id), &location, tree, mint, templates, depth + 1);
                }
            }
            "environment" | "cookie_jar" | "workspace" => {}
            "api_spec" => {
                if !node.text("contents").trim().is_empty() {
                    self.report.warn(
                        &location,
                        "the API design document is not imported; export it from Insomnia and import it as an OpenAPI file",
                    );
                }
            }
            other => {
                unsupported(other, &location, self.report);
                // What hangs below it (a WebSocket request's messages) is not imported either.
                for kid in self.kids(node.str("_id").unwrap_or_default()) {
                    self.resource(kid, parent, &location, tree, mint, templates, depth + 1);
                }
            }
        }
    }
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
    let extra: Vec<KeyValue> = node
        .at("parameters")
        .items()
        .iter()
        .map(|p| KeyValue {
            key: tpl(&p.text("name")),
            value: tpl(&p.text("value")),
            enabled: p.bool("disabled") != Some(true),
            description: p.text("description"),
        })
        .filter(|p| !(p.key.is_empty() && p.value.is_empty()))
        .collect();
    let query = join_query(&extra);
    request.url = if query.is_empty() {
        url
    } else {
        let UrlText { base, query: own, fragment } = UrlText::parse(&url);
        let mut joined = base.to_owned();
        joined.push('?');
        if let Some(own) = own.filter(|o| !o.is_empty()) {
            joined.push_str(own);
            joined.push('&');
        }
        joined.push_str(&query);
        if let Some(fragment) = fragment {
            joined.push('#');
            joined.push_str(fragment);
        }
        joined
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
    request.headers = node
        .at("headers")
        .items()
        .iter()
        .map(|h| KeyValue {
            key: tpl(&h.text("name")),
            value: tpl(&h.text("value")),
            enabled: h.bool("disabled") != Some(true),
            description: h.text("description"),
        })
        .filter(|h| !(h.key.is_empty() && h.value.is_empty()))
        .collect();
    request.body = body(node.at("body"), &mut request.headers, templates, location, report);
    request.auth = auth(node.at("authentication"), location, report, templates);
    super::drop_stale_multipart_type(&mut request);
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

fn auth(node: &Node, location: &str, report: &mut Report, templates: &mut Templates) -> Auth {
    if !node.is_object() || node.entries().is_empty() {
        return Auth::Inherit;
    }
    let mut get = |key: &str| templates.convert(&node.text(key));
    let kind = node.text("type");
    if node.bool("disabled") == Some(true) && kind != "none" {
        report.warn(
            location,
            format!(
                "{kind} auth was turned off in Insomnia; imported as no auth (its settings are not kept)"
            ),
        );
        return Auth::None;
    }
    match kind.as_str() {
        "none" => Auth::None,
        "inherit" | "" => Auth::Inherit,
        "basic" => {
            if node.bool("useISO88591") == Some(true) {
                report.warn(
                    location,
                    "basic auth: ISO-8859-1 encoding of the credentials is not kept (UTF-8 is used)",
                );
            }
            Auth::Basic { username: get("username"), password: get("password") }
        }
        "bearer" => {
            let prefix = get("prefix");
            let token = get("token");
            if prefix.is_empty() || prefix.eq_ignore_ascii_case("bearer") {
                Auth::Bearer { token }
            } else {
                // A custom word before the token: the exact header, as an API key.
                Auth::ApiKey {
                    key: "Authorization".into(),
                    value: format!("{prefix} {token}"),
                    location: ApiKeyLocation::Header,
                }
            }
        }
        "digest" => Auth::Digest(DigestAuth {
            username: get("username"),
            password: get("password"),
            ..DigestAuth::default()
        }),
        "apikey" => match node.str("addTo") {
            Some("cookie") => {
                report.warn(location, "API key sent as a cookie: kept with its settings, but Localpost sends API keys in a header or the query");
                let mut params = IndexMap::new();
                params.insert("key".to_owned(), get("key"));
                params.insert("value".to_owned(), get("value"));
                params.insert("addTo".to_owned(), "cookie".to_owned());
                Auth::Unsupported { kind: "apikey".into(), params }
            }
            Some("queryParams") => {
                Auth::ApiKey { key: get("key"), value: get("value"), location: ApiKeyLocation::Query }
            }
            _ => Auth::ApiKey { key: get("key"), value: get("value"), location: ApiKeyLocation::Header },
        },
        "iam" => Auth::AwsSigV4(AwsSigV4Auth {
            access_key: get("accessKeyId"),
            secret_key: get("secretAccessKey"),
            region: get("region"),
            service: get("service"),
            session_token: get("sessionToken"),
        }),
        "oauth2" => Auth::OAuth2(oauth2(node, location, report, templates)),
        // Insomnia puts OAuth 1.0 in the header and Hawk's payload check under `validatePayload`.
        "oauth1" => {
            let method = node.text("signatureMethod");
            let signature_method = OAuth1Method::parse(&method).unwrap_or_else(|| {
                if !method.is_empty() {
                    report.warn(
                        location,
                        format!("OAuth 1.0 signature method `{method}` is unknown; read as HMAC-SHA1"),
                    );
                }
                OAuth1Method::HmacSha1
            });
            let version = get("version");
            Auth::OAuth1(OAuth1Auth {
                signature_method,
                consumer_key: get("consumerKey"),
                consumer_secret: get("consumerSecret"),
                token: get("tokenKey"),
                token_secret: get("tokenSecret"),
                private_key: get("privateKey"),
                callback: get("callback"),
                verifier: get("verifier"),
                timestamp: get("timestamp"),
                nonce: get("nonce"),
                version: if version.is_empty() { "1.0".into() } else { version },
                realm: get("realm"),
                in_header: true,
                include_body_hash: node.bool("includeBodyHash") == Some(true),
                ..OAuth1Auth::default()
            })
        }
        "hawk" => Auth::Hawk(HawkAuth {
            auth_id: get("id"),
            auth_key: get("key"),
            algorithm: if node.text("algorithm").eq_ignore_ascii_case("sha1") {
                HawkAlgorithm::Sha1
            } else {
                HawkAlgorithm::Sha256
            },
            ext: get("ext"),
            include_payload_hash: node.bool("validatePayload") == Some(true),
            ..HawkAuth::default()
        }),
        "ntlm" => Auth::Ntlm(NtlmAuth {
            username: get("username"),
            password: get("password"),
            ..NtlmAuth::default()
        }),
        // Insomnia signs ASAP with RS256; `additionalClaims` is a JSON object.
        "asap" => Auth::Asap(AsapAuth {
            issuer: get("issuer"),
            subject: get("subject"),
            audience: get("audience"),
            key_id: get("keyId"),
            private_key: get("privateKey"),
            claims: get("additionalClaims"),
            ..AsapAuth::default()
        }),
        other => {
            let mut params = IndexMap::new();
            for (key, value) in node.entries() {
                if key != "type" && key != "disabled" {
                    params.insert(key.clone(), templates.convert(&value.to_text()));
                }
            }
            report.warn(
                location,
                format!("{other} auth is kept with its settings but Localpost cannot send it"),
            );
            Auth::Unsupported { kind: other.to_owned(), params }
        }
    }
}

fn oauth2(node: &Node, location: &str, report: &mut Report, templates: &mut Templates) -> OAuth2Auth {
    let mut get = |key: &str| templates.convert(&node.text(key));
    let use_pkce = node.bool("usePkce") == Some(true);
    let grant = match node.str("grantType").unwrap_or("authorization_code") {
        "authorization_code" if use_pkce => OAuth2Grant::AuthorizationCodePkce,
        "implicit" => OAuth2Grant::Implicit,
        "password" => OAuth2Grant::Password,
        "client_credentials" => OAuth2Grant::ClientCredentials,
        "refresh_token" => {
            report.warn(location, "OAuth 2.0 refresh-token grant read as authorization code");
            OAuth2Grant::AuthorizationCode
        }
        _ => OAuth2Grant::AuthorizationCode,
    };
    let pkce_method = match node.str("pkceMethod") {
        Some("plain") => "plain",
        _ => "S256",
    };
    let auth = OAuth2Auth {
        grant,
        access_token_url: get("accessTokenUrl"),
        auth_url: get("authorizationUrl"),
        redirect_uri: get("redirectUrl"),
        client_id: get("clientId"),
        client_secret: get("clientSecret"),
        username: if matches!(grant, OAuth2Grant::Password) { get("username") } else { String::new() },
        password: if matches!(grant, OAuth2Grant::Password) { get("password") } else { String::new() },
        scope: get("scope"),
        audience: get("audience"),
        state: get("state"),
        code_challenge_method: if grant == OAuth2Grant::AuthorizationCodePkce {
            pkce_method.to_owned()
        } else {
            String::new()
        },
        client_auth: if node.bool("credentialsInBody") == Some(true) {
            OAuth2ClientAuth::Body
        } else {
            OAuth2ClientAuth::BasicHeader
        },
        header_prefix: get("tokenPrefix"),
        // Insomnia fetches a token on send; an import does not (the user turns it on).
        ..OAuth2Auth::default()
    };
    let mut dropped = Vec::new();
    // The response type only matters to the implicit grant (the code flow always asks for a code).
    if let Some(response_type) =
        node.str("responseType").filter(|r| grant == OAuth2Grant::Implicit && r.contains("id_token"))
    {
        dropped.push(format!("response type `{response_type}` (OpenID Connect ID token)"));
    }
    if !node.text("resource").is_empty() {
        dropped.push("resource".to_owned());
    }
    if !node.text("origin").is_empty() {
        dropped.push("origin".to_owned());
    }
    if grant != OAuth2Grant::Password
        && (!node.text("username").is_empty() || !node.text("password").is_empty())
    {
        dropped.push("username/password (only used by the password grant)".to_owned());
    }
    if !dropped.is_empty() {
        report.warn(location, format!("OAuth 2.0 settings Localpost does not have: {}", dropped.join(", ")));
    }
    auth
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

/// Converts Insomnia's Nunjucks templates and remembers what could not be converted.
#[derive(Default)]
struct Templates {
    tags: Vec<String>,
    expressions: Vec<String>,
}

impl Templates {
    /// `{{ _.name }}` and `{{ name }}` become `{{name}}`; anything else stays as written.
    fn convert(&mut self, text: &str) -> String {
        if !text.contains("{{") && !text.contains("{%") {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(['{']) {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            if let Some(inner) = tail.strip_prefix("{{") {
                if let Some(end) = inner.find("}}") {
                    let expr = inner[..end].trim();
                    let name = expr.strip_prefix("_.").unwrap_or(expr);
                    let name = name.strip_prefix("_['").and_then(|n| n.strip_suffix("']")).unwrap_or(name);
                    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || "_-.$[]".contains(c)) {
                        out.push_str("{{");
                        out.push_str(name);
                        out.push_str("}}");
                    } else {
                        self.note_expression(expr);
                        out.push_str(&tail[..end + 4]);
                    }
                    rest = &inner[end + 2..];
                    continue;
                }
            } else if let Some(inner) = tail.strip_prefix("{%")
                && let Some(end) = inner.find("%}")
            {
                let tag = inner[..end].split_whitespace().next().unwrap_or_default().to_owned();
                if !self.tags.contains(&tag) {
                    self.tags.push(tag);
                }
                out.push_str(&tail[..end + 4]);
                rest = &inner[end + 2..];
                continue;
            }
            out.push('{');
            rest = &tail[1..];
        }
        out.push_str(rest);
        out
    }

    fn note_expression(&mut self, expr: &str) {
        let expr = expr.to_owned();
        if !self.expressions.contains(&expr) && self.expressions.len() < 20 {
            self.expressions.push(expr);
        }
    }

    fn report(&self, location: &str, report: &mut Report) {
        if !self.tags.is_empty() {
            report.warn(
                location,
                format!(
                    "Insomnia template tags kept as text, Localpost does not run them: {}",
                    self.tags.iter().map(|t| format!("{{% {t} %}}")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if !self.expressions.is_empty() {
            report.warn(
                location,
                format!(
                    "template expressions kept as text (only plain variable names convert): {}",
                    self.expressions.iter().map(|e| format!("{{{{ {e} }}}}")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
}

/// Insomnia v5: `type: collection.insomnia.rest/5.0` with a nested `collection`, or
/// `environment.insomnia.rest/5.0` with environments only.
pub(crate) fn import_v5(
    root: &Node,
    source_name: &str,
    report: &mut Report,
) -> Result<Imported, ImportError> {
    let format = Format::InsomniaV5;
    let kind = root.str("type").unwrap_or_default();
    if !kind.starts_with("collection.") && !kind.starts_with("environment.") {
        return Err(ImportError::Shape {
            format,
            path: "$.type".into(),
            message: format!(
                "`{kind}`: Localpost imports Insomnia collections and environments (a design document is imported as \
                 its OpenAPI file)"
            ),
        });
    }
    let collection_items = root.at("collection");
    if !collection_items.is_null() && !collection_items.is_array() {
        return Err(ImportError::Shape {
            format,
            path: "$.collection".into(),
            message: format!("expected a list of requests and folders, found {}", collection_items.kind()),
        });
    }
    let source_id = root.at("meta").str("id");
    let mut mint = IdMint::new("insomnia", source_id);
    let name = non_empty(root.str("name")).unwrap_or(source_name).to_owned();
    let mut tree = Tree::new(mint.id("workspace", source_id), &name);
    let mut templates = Templates::default();

    let environments = root.at("environments");
    let mut collection_vars = Vec::new();
    let collection_uuid = mint.id("collection", source_id);
    if environments.is_object() {
        collection_vars = env_variables(
            environments.at("data"),
            collection_uuid,
            &mut mint,
            environments.at("meta").bool("isPrivate") == Some(true),
            &mut templates,
        );
        let mut subs: Vec<&Node> = environments.at("subEnvironments").items().iter().collect();
        sort_by_key(&mut subs, |n| n.at("meta").get("sortKey").and_then(Node::as_f64));
        for sub in subs {
            tree.add_environment(environment(sub, &mut mint, &mut templates));
        }
    }
    if kind.starts_with("collection.") {
        let mut collection = Collection::new(&name);
        collection.id = CollectionId(collection_uuid);
        collection.description = root.at("meta").text("description");
        collection.variables = collection_vars;
        let id = tree.add_collection(collection);
        v5_items(
            collection_items,
            ParentId::Collection(id),
            &name,
            &mut tree,
            &mut mint,
            &mut templates,
            report,
            0,
        );
    } else if !collection_vars.is_empty() {
        // An environment file alone: the base environment has no collection to live on.
        let mut base = Environment::new(non_empty(environments.str("name")).unwrap_or("Base Environment"));
        base.id = EnvironmentId(mint.id("environment", environments.at("meta").str("id")));
        base.variables = collection_vars;
        tree.data.workspace.environments.insert(0, base.id);
        tree.data.environments.shift_insert(0, base.id, base);
    }
    let cookies = cookie_jar(root.at("cookieJar").at("cookies"), &name, report);
    templates.report(&name, report);
    Ok((vec![tree.into_data()], cookies))
}

#[allow(clippy::too_many_arguments)]
fn v5_items(
    list: &Node,
    parent: ParentId,
    location: &str,
    tree: &mut Tree,
    mint: &mut IdMint,
    templates: &mut Templates,
    report: &mut Report,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let mut items: Vec<&Node> = list.items().iter().filter(|n| n.is_object()).collect();
    sort_by_key(&mut items, |n| n.at("meta").get("sortKey").and_then(Node::as_f64));
    for item in items {
        let name = non_empty(item.str("name")).unwrap_or("Untitled").to_owned();
        let item_location = format!("{location} / {name}");
        let id = item.at("meta").str("id").unwrap_or_default();
        let kind = if id.starts_with("fld_") || item.get("children").is_some() {
            "folder"
        } else if id.starts_with("greq_") || item.get("protoMethodName").is_some() {
            "grpc"
        } else if id.starts_with("ws-req_") {
            "websocket"
        } else if id.starts_with("req_") || item.get("method").is_some() || item.get("url").is_some() {
            "request"
        } else {
            ""
        };
        match kind {
            "folder" => {
                let folder = folder(item, &Shape::V5, mint, templates, &item_location, report);
                let folder_id = tree.add_folder(parent, folder);
                v5_items(
                    item.at("children"),
                    ParentId::Folder(folder_id),
                    &item_location,
                    tree,
                    mint,
                    templates,
                    report,
                    depth + 1,
                );
            }
            "request" => {
                let request = request(item, &Shape::V5, mint, templates, &item_location, report);
                tree.add_request(parent, request);
            }
            other => unsupported(other, &item_location, report),
        }
    }
}

#[cfg(test)]
mod tests {

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

    use super::*;

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
