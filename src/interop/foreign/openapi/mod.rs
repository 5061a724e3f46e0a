//! OpenAPI 3.0/3.1 and Swagger 2.0, JSON or YAML: one request per operation, grouped into a
//! folder per tag (the operation's first), in the document's order.
//!
//! - The first server (Swagger: scheme, host and base path) is the collection variable `base`;
//!   server variables become collection variables, and with several servers each gets an
//!   environment setting `base`.
//! - Path templates `{id}` become `:id` path variables; required query and header parameters
//!   are enabled rows, optional ones disabled rows, with their example or default as value.
//! - Bodies use the spec's example, or one generated from the schema.
//! - Security schemes map to auth (global on the collection, per operation where it differs);
//!   credentials are `{{variables}}` added to the collection, for the user to fill in.
//! - Local `$ref`s are resolved (with cycle and depth limits); external ones are reported.

mod schema;
mod security;

use std::collections::HashSet;

use indexmap::IndexMap;

use super::ids::IdMint;
use super::node::Node;
use super::query::{join_query, percent_decode};
use super::tree::Tree;
use crate::interop::{Format, ImportError, Report};
use crate::model::{
    Auth, Body, BodyMode, Collection, CollectionId, Environment, EnvironmentId, Folder, FolderId, FormPart,
    KeyValue, Method, ParentId, RawLanguage, Request, RequestId, Variable, VariableId, WorkspaceData,
};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// How deep `$ref` chains and generated examples go before stopping.
const MAX_DEPTH: usize = 12;

pub(crate) fn import(
    root: &Node,
    format: Format,
    name: &str,
    report: &mut Report,
) -> Result<WorkspaceData, ImportError> {
    let paths = root.at("paths");
    if !paths.is_object() && !paths.is_null() {
        return Err(ImportError::Shape {
            format,
            path: "$.paths".into(),
            message: format!("expected an object of paths, found {}", paths.kind()),
        });
    }
    let title = root.at("info").str("title").filter(|t| !t.trim().is_empty()).unwrap_or(name).to_owned();
    let mut mint = IdMint::new("openapi", Some(&title));
    let mut tree = Tree::new(mint.id("workspace", Some(&title)), &title);
    let mut collection = Collection::new(&title);
    collection.id = CollectionId(mint.id("collection", Some(&title)));
    collection.description = root.at("info").text("description");
    let mut spec = Spec { root, format, report, variables: IndexMap::new(), external_refs: Vec::new() };

    let servers = spec.servers(&title);
    spec.variables
        .insert("base".into(), (servers.first().map(|s| s.url.clone()).unwrap_or_default(), String::new()));
    for server in servers.iter().take(1) {
        for (key, value, description) in &server.variables {
            spec.variables.insert(key.clone(), (value.clone(), description.clone()));
        }
    }
    // The collection's auth: the document's first security requirement.
    let global_security = root.get("security");
    collection.auth = match global_security {
        Some(list) => spec.security(list, &title).unwrap_or(Auth::None),
        None => Auth::None,
    };
    let collection_id = tree.add_collection(collection);

    // Folders: tags in the order the document lists them, then as operations use them.
    let mut folders: IndexMap<String, Option<FolderId>> = IndexMap::new();
    let mut tag_descriptions: IndexMap<String, String> = IndexMap::new();
    for tag in root.at("tags").items() {
        if let Some(name) = tag.str("name") {
            folders.insert(name.to_owned(), None);
            tag_descriptions.insert(name.to_owned(), tag.text("description"));
        }
    }
    for (path, item) in paths.entries() {
        let item = spec.resolve(item, &format!("paths.{path}"));
        let shared_params = item.at("parameters");
        for (method, operation) in item.entries() {
            if !METHODS.contains(&method.to_ascii_lowercase().as_str()) {
                continue;
            }
            let location = format!("{} {path}", method.to_ascii_uppercase());
            let request =
                spec.operation(path, method, operation, shared_params, global_security, &location, &mut mint);
            let tag = operation.at("tags").items().first().map(Node::to_text).filter(|t| !t.is_empty());
            let parent = match tag {
                Some(tag) => {
                    let slot = folders.entry(tag.clone()).or_insert(None);
                    let id = match slot {
                        Some(id) => *id,
                        None => {
                            let mut folder = Folder::new(&tag);
                            folder.id = FolderId(mint.id("folder", Some(&tag)));
                            folder.description = tag_descriptions.get(&tag).cloned().unwrap_or_default();
                            let id = tree.add_folder(ParentId::Collection(collection_id), folder);
                            *slot = Some(id);
                            id
                        }
                    };
                    ParentId::Folder(id)
                }
                None => ParentId::Collection(collection_id),
            };
            tree.add_request(parent, request);
        }
    }
    if let Some(webhooks) = root.get("webhooks").filter(|w| !w.entries().is_empty()) {
        spec.report.warn(
            &title,
            format!(
                "{} webhooks not imported: they are requests the API sends, not ones you send",
                webhooks.entries().len()
            ),
        );
    }

    // Variables the requests refer to, on the collection.
    let collection_uuid = collection_id.0;
    let variables: Vec<Variable> = spec
        .variables
        .iter()
        .map(|(key, (value, description))| Variable {
            id: VariableId(mint.child(collection_uuid, &format!("variable/{key}"))),
            key: key.clone(),
            value: value.clone(),
            enabled: true,
            secret: is_secret_name(key),
            description: description.clone(),
        })
        .collect();
    if let Some(c) = tree.data.collections.get_mut(&collection_id) {
        c.variables = variables;
    }
    if servers.len() > 1 {
        for server in &servers {
            let label =
                if server.description.is_empty() { server.url.clone() } else { server.description.clone() };
            let mut environment = Environment::new(label);
            environment.id = EnvironmentId(mint.id("environment", Some(&server.url)));
            let mut variable = Variable::new("base", &server.url);
            variable.id = VariableId(mint.child(environment.id.0, "variable/base"));
            environment.variables.push(variable);
            for (key, value, description) in &server.variables {
                let mut variable = Variable::new(key, value);
                variable.description.clone_from(description);
                variable.id = VariableId(mint.child(environment.id.0, &format!("variable/{key}")));
                environment.variables.push(variable);
            }
            tree.add_environment(environment);
        }
    }
    if !spec.external_refs.is_empty() {
        let refs = spec.external_refs.clone();
        spec.report.warn(&title, format!("references to other files are not followed: {}", refs.join(", ")));
    }
    Ok(tree.into_data())
}

fn is_secret_name(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["password", "secret", "token", "apikey", "api_key"].iter().any(|s| key.contains(s))
}

struct Server {
    url: String,
    description: String,
    /// Name, default value, description.
    variables: Vec<(String, String, String)>,
}

struct Spec<'a> {
    root: &'a Node,
    format: Format,
    report: &'a mut Report,
    /// Collection variables the requests use: name -> (value, description).
    variables: IndexMap<String, (String, String)>,
    external_refs: Vec<String>,
}

impl<'a> Spec<'a> {
    /// Follows `$ref` (local JSON pointers) until a value without one.
    fn resolve(&mut self, node: &'a Node, location: &str) -> &'a Node {
        let mut current = node;
        for _ in 0..MAX_DEPTH {
            let Some(reference) = current.str("$ref") else { return current };
            match reference.strip_prefix('#') {
                Some(pointer) => match lookup(self.root, pointer) {
                    Some(target) => current = target,
                    None => {
                        self.report
                            .warn(location, format!("`$ref: {reference}` points at nothing in the document"));
                        return &Node::Null;
                    }
                },
                None => {
                    if !self.external_refs.iter().any(|r| r == reference) && self.external_refs.len() < 20 {
                        self.external_refs.push(reference.to_owned());
                    }
                    return &Node::Null;
                }
            }
        }
        self.report.warn(location, "a chain of `$ref`s is too long or loops; left empty");
        &Node::Null
    }

    fn servers(&mut self, title: &str) -> Vec<Server> {
        if self.format == Format::Swagger2 {
            let host = self.root.text("host");
            if host.is_empty() {
                self.report
                    .warn(title, "no host in the document: set the `base` variable to the API's address");
                return vec![Server {
                    url: self.root.text("basePath"),
                    description: String::new(),
                    variables: Vec::new(),
                }];
            }
            let scheme = self
                .root
                .at("schemes")
                .items()
                .iter()
                .filter_map(Node::as_str)
                .find(|s| *s == "https")
                .or_else(|| self.root.at("schemes").items().first().and_then(Node::as_str))
                .unwrap_or("https")
                .to_owned();
            let base_path = self.root.text("basePath");
            let base_path = base_path.trim_end_matches('/');
            return vec![Server {
                url: format!("{scheme}://{host}{base_path}"),
                description: String::new(),
                variables: Vec::new(),
            }];
        }
        let mut servers = Vec::new();
        for server in self.root.at("servers").items() {
            let mut url = server.text("url");
            let mut variables = Vec::new();
            for (name, variable) in server.at("variables").entries() {
                let default = variable.text("default");
                let mut description = variable.text("description");
                let options: Vec<String> = variable.at("enum").items().iter().map(Node::to_text).collect();
                if !options.is_empty() {
                    if !description.is_empty() {
                        description.push(' ');
                    }
                    description.push_str(&format!("(one of: {})", options.join(", ")));
                }
                url = url.replace(&format!("{{{name}}}"), &format!("{{{{{name}}}}}"));
                variables.push((name.clone(), default, description));
            }
            let url = url.trim_end_matches('/').to_owned();
            if url.starts_with('/') || url.is_empty() {
                self.report.warn(
                    title,
                    format!("server URL `{url}` is relative: put the API's address in front of it in `base`"),
                );
            }
            servers.push(Server { url, description: server.text("description"), variables });
        }
        if servers.is_empty() {
            self.report
                .warn(title, "no servers in the document: set the `base` variable to the API's address");
        }
        servers
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        operation: &'a Node,
        shared_params: &'a Node,
        global_security: Option<&'a Node>,
        location: &str,
        mint: &mut IdMint,
    ) -> Request {
        let summary = operation.text("summary");
        let operation_id = operation.text("operationId");
        let name = [summary.trim(), operation_id.trim()]
            .into_iter()
            .find(|s| !s.is_empty())
            .map_or_else(|| format!("{} {path}", method.to_ascii_uppercase()), str::to_owned);
        let mut request = Request::new(name);
        let source_id = if operation_id.is_empty() {
            format!("{} {path}", method.to_ascii_uppercase())
        } else {
            operation_id
        };
        request.id = RequestId(mint.id("request", Some(&source_id)));
        request.method = Method::parse(method);
        request.description = operation.text("description");
        if operation.bool("deprecated") == Some(true) {
            request.description = format!("**Deprecated.** {}", request.description).trim_end().to_owned();
        }

        // Parameters: the path item's, overridden by the operation's (same name and place).
        let mut params: IndexMap<(String, String), &'a Node> = IndexMap::new();
        for list in [shared_params, operation.at("parameters")] {
            for p in list.items() {
                let p = self.resolve(p, location);
                let key = (p.text("in"), p.text("name"));
                params.insert(key, p);
            }
        }
        let (url_path, mut path_names) = convert_path(path, location, self.report);
        let mut query = Vec::new();
        let mut cookies = Vec::new();
        let mut form = Vec::new();
        let mut body_param = None;
        for ((place, name), p) in &params {
            let required = p.bool("required") == Some(true) || place == "path";
            let value = self.parameter_value(p, location);
            let row =
                KeyValue { key: name.clone(), value, enabled: required, description: p.text("description") };
            match place.as_str() {
                "path" => {
                    if let Some(i) = path_names.iter().position(|n| n.key == *name) {
                        path_names[i].value = row.value;
                        path_names[i].description = row.description;
                    } else {
                        self.variables.entry(name.clone()).or_insert((row.value, row.description));
                    }
                }
                "query" => query.push(row),
                "header" => {
                    if !name.eq_ignore_ascii_case("content-type") && !name.eq_ignore_ascii_case("accept") {
                        request.headers.push(row);
                    }
                }
                "cookie" => cookies.push(row),
                "body" => body_param = Some(*p),
                "formData" => form.push(*p),
                other => self
                    .report
                    .warn(location, format!("parameter `{name}` in `{other}` not understood; skipped")),
            }
        }
        let enabled_cookies: Vec<String> =
            cookies.iter().filter(|c| c.enabled).map(|c| format!("{}={}", c.key, c.value)).collect();
        if !cookies.is_empty() {
            request.headers.push(KeyValue {
                key: "Cookie".into(),
                value: if enabled_cookies.is_empty() {
                    cookies.iter().map(|c| format!("{}={}", c.key, c.value)).collect::<Vec<_>>().join("; ")
                } else {
                    enabled_cookies.join("; ")
                },
                enabled: !enabled_cookies.is_empty(),
                description: "cookie parameters".into(),
            });
        }
        for row in &mut query {
            row.value = encode_query_value(&row.value);
        }
        let query_text = join_query(&query);
        request.url = if query_text.is_empty() {
            format!("{{{{base}}}}{url_path}")
        } else {
            format!("{{{{base}}}}{url_path}?{query_text}")
        };
        request.params = query;
        request.path_variables = path_names;

        request.body = if self.format == Format::Swagger2 {
            self.swagger_body(operation, body_param, &form, &mut request.headers, location)
        } else {
            match operation.get("requestBody") {
                Some(body) => {
                    let body = self.resolve(body, location);
                    self.openapi_body(body.at("content"), &mut request.headers, location)
                }
                None => Body::default(),
            }
        };
        if let Some(accept) = self.accept(operation) {
            request.headers.push(KeyValue::new("Accept", accept));
        }

        request.auth = match operation.get("security") {
            None => Auth::Inherit,
            Some(own) if Some(own) == global_security => Auth::Inherit,
            Some(own) => self.security(own, location).unwrap_or(Auth::None),
        };
        if !operation.at("callbacks").entries().is_empty() {
            self.report
                .warn(location, "callbacks not imported: they are requests the API sends, not ones you send");
        }
        request.examples = self.examples(operation, &request, mint, location);
        request
    }

    /// A parameter's value: its example, default, first enum value, or empty.
    fn parameter_value(&mut self, p: &'a Node, location: &str) -> String {
        let schema = self.resolve(p.at("schema"), location);
        let candidates = [
            p.get("example"),
            p.at("examples").entries().first().map(|(_, e)| self.resolve(e, location).at("value")),
            schema.get("example"),
            schema.get("default"),
            p.get("default"),
            schema.at("enum").items().first(),
            p.at("enum").items().first(),
            p.get("x-example"),
            // An array parameter: its items' default or first allowed value.
            schema.at("items").get("default"),
            p.at("items").get("default"),
            schema.at("items").at("enum").items().first(),
            p.at("items").at("enum").items().first(),
        ];
        candidates.into_iter().flatten().find(|v| !v.is_null()).map(Node::to_text).unwrap_or_default()
    }

    /// `Accept` from the success response's content types, when there is exactly one kind.
    fn accept(&mut self, operation: &'a Node) -> Option<String> {
        let types: Vec<String> = if self.format == Format::Swagger2 {
            operation
                .get("produces")
                .or_else(|| self.root.get("produces"))
                .map(|p| p.items().iter().map(Node::to_text).collect())
                .unwrap_or_default()
        } else {
            let responses = operation.at("responses");
            let ok = responses
                .entries()
                .iter()
                .find(|(code, _)| code.starts_with('2'))
                .map(|(_, r)| self.resolve(r, "responses"));
            ok.map(|r| r.at("content").entries().iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default()
        };
        match types.as_slice() {
            [only] if only != "*/*" => Some(only.clone()),
            _ => None,
        }
    }

    fn openapi_body(&mut self, content: &'a Node, headers: &mut Vec<KeyValue>, location: &str) -> Body {
        let entries = content.entries();
        if entries.is_empty() {
            return Body::default();
        }
        let rank = |media: &str| {
            let m = media.to_ascii_lowercase();
            if m == "application/json" {
                0
            } else if m.contains("json") {
                1
            } else if m.starts_with("application/x-www-form-urlencoded") {
                2
            } else if m.starts_with("multipart/form-data") {
                3
            } else if m.contains("xml") {
                4
            } else if m.starts_with("text/") {
                5
            } else {
                6
            }
        };
        let Some((media, media_node)) = entries.iter().min_by_key(|(m, _)| rank(m)) else {
            return Body::default();
        };
        let schema = self.resolve(media_node.at("schema"), location);
        let explicit = media_node
            .get("example")
            .or_else(|| {
                media_node
                    .at("examples")
                    .entries()
                    .first()
                    .map(|(_, e)| self.resolve(e, location).at("value"))
            })
            .filter(|e| !e.is_null());
        let lower = media.to_ascii_lowercase();
        if lower.starts_with("application/x-www-form-urlencoded") || lower.starts_with("multipart/form-data")
        {
            let example = match explicit {
                Some(e) => e.clone(),
                None => self.example(schema, 0, &mut HashSet::new(), location),
            };
            let required: Vec<String> = schema.at("required").items().iter().map(Node::to_text).collect();
            let properties = self.properties(schema, location);
            if lower.starts_with("multipart") {
                let parts = properties
                    .iter()
                    .map(|(name, prop)| {
                        let is_file = matches!(prop.str("format"), Some("binary" | "base64"))
                            || prop.str("type") == Some("file");
                        let mut part = if is_file {
                            FormPart::file(name, "")
                        } else {
                            FormPart::text(name, example.get(name).map(Node::to_text).unwrap_or_default())
                        };
                        part.enabled = required.is_empty() || required.contains(name);
                        part.description = prop.text("description");
                        part
                    })
                    .collect();
                return Body { mode: BodyMode::Multipart, multipart: parts, ..Body::default() };
            }
            let rows = if properties.is_empty() {
                example.entries().iter().map(|(k, v)| KeyValue::new(k, v.to_text())).collect()
            } else {
                properties
                    .iter()
                    .map(|(name, prop)| KeyValue {
                        key: name.clone(),
                        value: example.get(name).map(Node::to_text).unwrap_or_default(),
                        enabled: required.is_empty() || required.contains(name),
                        description: prop.text("description"),
                    })
                    .collect()
            };
            return Body { mode: BodyMode::UrlEncoded, urlencoded: rows, ..Body::default() };
        }
        if lower == "application/octet-stream" || schema.str("format") == Some("binary") {
            headers.push(KeyValue::new("Content-Type", media.clone()));
            return Body { mode: BodyMode::Binary, ..Body::default() };
        }
        let language = super::postman::language_of_content_type(&lower);
        let text = match explicit {
            Some(Node::String(s)) => s.clone(),
            Some(other) if language == RawLanguage::Json => other.to_json_pretty(),
            Some(other) => other.to_text(),
            None if language == RawLanguage::Json => {
                self.example(schema, 0, &mut HashSet::new(), location).to_json_pretty()
            }
            None => {
                if !schema.is_null() {
                    self.report.warn(location, format!("no example for the {media} body; it is left empty"));
                }
                String::new()
            }
        };
        if language.content_type() != lower.as_str() {
            headers.push(KeyValue::new("Content-Type", media.clone()));
        }
        Body::raw(language, text)
    }

    fn swagger_body(
        &mut self,
        operation: &'a Node,
        body_param: Option<&'a Node>,
        form: &[&'a Node],
        headers: &mut Vec<KeyValue>,
        location: &str,
    ) -> Body {
        let consumes: Vec<String> = operation
            .get("consumes")
            .or_else(|| self.root.get("consumes"))
            .map(|c| c.items().iter().map(Node::to_text).collect())
            .unwrap_or_default();
        if let Some(param) = body_param {
            let schema = self.resolve(param.at("schema"), location);
            let media = consumes
                .iter()
                .find(|c| c.contains("json"))
                .or_else(|| consumes.first())
                .cloned()
                .unwrap_or_else(|| "application/json".to_owned());
            let language = super::postman::language_of_content_type(&media);
            let example = param.get("x-example").or_else(|| schema.get("example")).cloned();
            let text = match example {
                Some(Node::String(s)) => s,
                Some(other) => other.to_json_pretty(),
                None if language == RawLanguage::Json => {
                    self.example(schema, 0, &mut HashSet::new(), location).to_json_pretty()
                }
                None => String::new(),
            };
            if language.content_type() != media {
                headers.push(KeyValue::new("Content-Type", media));
            }
            return Body::raw(language, text);
        }
        if form.is_empty() {
            return Body::default();
        }
        let multipart = form.iter().any(|p| p.str("type") == Some("file"))
            || (consumes.iter().any(|c| c.starts_with("multipart/form-data"))
                && !consumes.iter().any(|c| c.starts_with("application/x-www-form-urlencoded")));
        if multipart {
            let parts = form
                .iter()
                .map(|p| {
                    let mut part = if p.str("type") == Some("file") {
                        FormPart::file(p.text("name"), "")
                    } else {
                        FormPart::text(p.text("name"), self.parameter_value(p, location))
                    };
                    part.enabled = p.bool("required") == Some(true);
                    part.description = p.text("description");
                    part
                })
                .collect();
            return Body { mode: BodyMode::Multipart, multipart: parts, ..Body::default() };
        }
        let rows = form
            .iter()
            .map(|p| KeyValue {
                key: p.text("name"),
                value: self.parameter_value(p, location),
                enabled: p.bool("required") == Some(true),
                description: p.text("description"),
            })
            .collect();
        Body { mode: BodyMode::UrlEncoded, urlencoded: rows, ..Body::default() }
    }
}

/// An example value made safe for a query string: the characters that would end or split it
/// (and `%`, space, control characters) are escaped; everything else stays readable.
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' | '#' | '%' | '+' | ' ' | '=' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Follows a local JSON pointer (`/components/schemas/Pet`).
fn lookup<'n>(root: &'n Node, pointer: &str) -> Option<&'n Node> {
    let mut current = root;
    for token in pointer.split('/').skip(1) {
        let token = percent_decode(token, false).replace("~1", "/").replace("~0", "~");
        current = match current {
            Node::Object(_) => current.get(&token)?,
            Node::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// `/pets/{petId}` to `/pets/:petId`, with the path variables it names. A template that is only
/// part of a segment (`/files/{name}.json`) becomes a `{{variable}}` instead.
fn convert_path(path: &str, location: &str, report: &mut Report) -> (String, Vec<KeyValue>) {
    let mut names = Vec::new();
    let mut partial = Vec::new();
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| {
            if let Some(name) = segment
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .filter(|n| !n.contains(['{', '}']))
            {
                names.push(KeyValue::new(name, ""));
                format!(":{name}")
            } else if segment.contains('{') {
                let mut out = String::new();
                let mut rest = segment;
                while let Some(start) = rest.find('{') {
                    out.push_str(&rest[..start]);
                    match rest[start..].find('}') {
                        Some(end) => {
                            let name = &rest[start + 1..start + end];
                            partial.push(name.to_owned());
                            out.push_str(&format!("{{{{{name}}}}}"));
                            rest = &rest[start + end + 1..];
                        }
                        None => {
                            out.push_str(&rest[start..]);
                            rest = "";
                        }
                    }
                }
                out.push_str(rest);
                out
            } else {
                segment.to_owned()
            }
        })
        .collect();
    if !partial.is_empty() {
        report.warn(
            location,
            format!("path parameters inside a segment became collection variables: {}", partial.join(", ")),
        );
    }
    (segments.join("/"), names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_path_templates() {
        let mut report = Report::default();
        let (path, names) = convert_path("/pets/{petId}/files/{name}.json", "x", &mut report);
        assert_eq!(path, "/pets/:petId/files/{{name}}.json");
        assert_eq!(names, [KeyValue::new("petId", "")]);
        assert_eq!(report.warnings.len(), 1);
    }

    #[test]
    fn query_values_are_escaped_only_where_needed() {
        assert_eq!(encode_query_value("a b&c=d#e+f%/:"), "a%20b%26c%3Dd%23e%2Bf%25/:");
    }

    #[test]
    fn json_pointer_unescapes() {
        let root =
            super::super::node::parse_json(r#"{"paths":{"/a/{b}":{"x":1}},"list":[10,20]}"#, None).unwrap();
        assert_eq!(lookup(&root, "/paths/~1a~1%7Bb%7D/x").map(Node::to_text).as_deref(), Some("1"));
        assert_eq!(lookup(&root, "/list/1").map(Node::to_text).as_deref(), Some("20"));
        assert!(lookup(&root, "/nope").is_none());
    }

    #[test]
    fn recursive_schemas_stop() {
        let root = super::super::node::parse_yaml(
            "components:\n  schemas:\n    Node:\n      type: object\n      properties:\n        name: {type: string}\n        child: {$ref: '#/components/schemas/Node'}\n",
            None,
        )
        .unwrap();
        let mut report = Report::default();
        let mut spec = Spec {
            root: &root,
            format: Format::OpenApi3,
            report: &mut report,
            variables: IndexMap::new(),
            external_refs: Vec::new(),
        };
        let schema = root.at("components").at("schemas").at("Node");
        let example = spec.example(schema, 0, &mut HashSet::new(), "x");
        assert_eq!(example.to_json(), r#"{"name":"string","child":null}"#);
    }
}
