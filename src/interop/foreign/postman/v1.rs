//! Postman Collection v1, the shape inside `Backup.postman_dump` files: flat lists of `folders`
//! and `requests` tied together by id lists (`order`, `folders_order`), headers as text,
//! `dataMode`/`data`/`rawModeData` bodies and the old auth "helpers".

use std::collections::{HashMap, HashSet};

use super::{
    Behavior, auth, auth_from_params, behavior, description, headers, key_values, language_of_content_type,
    prune_body, reconcile_params, scripts, variables,
};
use crate::interop::foreign::ids::IdMint;
use crate::interop::foreign::node::Node;
use crate::interop::foreign::tree::Tree;
use crate::interop::{Format, ImportError, Report};
use crate::model::{
    Auth, Body, BodyMode, Collection, CollectionId, ExampleId, Folder, FolderId, FormPart, FormPartKind,
    GraphQlBody, Header, KeyValue, Method, ParentId, Request, RequestId, ResponseRecord, SavedResponse,
    Scripts, SentRequest, StoredBody,
};

/// Whether `node` looks like a v1 collection.
pub(crate) fn looks_like(node: &Node) -> bool {
    node.get("requests").is_some_and(Node::is_array)
        && (node.get("order").is_some() || node.get("folders").is_some())
}

/// Adds one v1 collection to `tree`.
pub(crate) fn read_into(
    tree: &mut Tree,
    root: &Node,
    json_path: &str,
    format: Format,
    mint: &mut IdMint,
    report: &mut Report,
) -> Result<CollectionId, ImportError> {
    if !root.is_object() {
        return Err(ImportError::Shape {
            format,
            path: json_path.to_owned(),
            message: format!("expected a collection object, found {}", root.kind()),
        });
    }
    let requests = root.at("requests");
    if !requests.is_array() {
        return Err(ImportError::Shape {
            format,
            path: format!("{json_path}.requests"),
            message: format!("expected an array of requests, found {}", requests.kind()),
        });
    }
    let name = root.str("name").filter(|n| !n.trim().is_empty()).unwrap_or("Untitled collection").to_owned();
    let mut collection = Collection::new(&name);
    collection.id = CollectionId(mint.id("collection", root.str("id")));
    collection.description = description(root.at("description"));
    collection.variables = variables(root.at("variables"), collection.id.0, mint);
    collection.auth = auth(root.at("auth"), &name, report).unwrap_or(Auth::None);
    if collection.auth == Auth::Inherit {
        collection.auth = Auth::None;
    }
    collection.scripts = scripts(root.at("events"), &name, report);
    let Behavior { settings, keep_body } = behavior(root.at("protocolProfileBehavior"), &name, report);
    collection.settings = settings;
    let collection_id = tree.add_collection(collection);

    let folders: HashMap<&str, &Node> =
        root.at("folders").items().iter().filter_map(|f| Some((f.str("id")?, f))).collect();
    let by_id: HashMap<&str, &Node> =
        requests.items().iter().filter_map(|r| Some((r.str("id")?, r))).collect();
    let mut walk = Walk {
        tree,
        mint,
        report,
        folders: &folders,
        requests: &by_id,
        placed_requests: HashSet::new(),
        placed_folders: HashSet::new(),
    };

    // Root folders: `folders_order` when there is one, else every folder no other folder holds
    // (v1 before nesting), in file order. Folders come before requests, as Postman shows them.
    let nested: HashSet<&str> = root
        .at("folders")
        .items()
        .iter()
        .flat_map(|f| f.at("folders_order").items().iter().filter_map(Node::as_str))
        .collect();
    let root_folders: Vec<&str> = match root.get("folders_order") {
        Some(Node::Array(ids)) if !ids.is_empty() => ids.iter().filter_map(Node::as_str).collect(),
        _ => root
            .at("folders")
            .items()
            .iter()
            .filter(|f| f.str("folder").is_none_or(str::is_empty))
            .filter_map(|f| f.str("id"))
            .filter(|id| !nested.contains(id))
            .collect(),
    };
    let parent = ParentId::Collection(collection_id);
    let keep_body = keep_body.unwrap_or(false);
    for folder_id in root_folders {
        walk.folder(folder_id, parent, &name, keep_body, 0);
    }
    walk.requests_in(root.at("order"), parent, &name, keep_body);

    // Anything no order list mentions would vanish in Postman too; keep it, at the top.
    for folder in root.at("folders").items() {
        if let Some(id) = folder.str("id").filter(|id| !walk.placed_folders.contains(id)) {
            walk.report.warn(
                &name,
                format!("folder `{}` was in no order list; placed at the top", folder.text("name")),
            );
            walk.folder(id, parent, &name, keep_body, 0);
        }
    }
    for request in requests.items() {
        match request.str("id") {
            Some(id) if walk.placed_requests.contains(id) => {}
            _ => {
                walk.report.warn(
                    &name,
                    format!("request `{}` was in no order list; placed at the top", request.text("name")),
                );
                walk.request(request, parent, &name, keep_body);
            }
        }
    }
    Ok(collection_id)
}

struct Walk<'a, 'n> {
    tree: &'a mut Tree,
    mint: &'a mut IdMint,
    report: &'a mut Report,
    folders: &'a HashMap<&'n str, &'n Node>,
    requests: &'a HashMap<&'n str, &'n Node>,
    placed_requests: HashSet<&'n str>,
    placed_folders: HashSet<&'n str>,
}

impl<'n> Walk<'_, 'n> {
    fn folder(&mut self, id: &'n str, parent: ParentId, location: &str, keep_body: bool, depth: usize) {
        let Some(node) = self.folders.get(id).copied() else {
            self.report.warn(location, format!("folder {id} is listed but not in the file"));
            return;
        };
        if depth > 64 || !self.placed_folders.insert(id) {
            self.report.warn(location, format!("folder `{}` is listed twice; kept once", node.text("name")));
            return;
        }
        let name = node.str("name").filter(|n| !n.is_empty()).unwrap_or("Untitled folder").to_owned();
        let location = format!("{location} / {name}");
        let mut folder = Folder::new(name);
        folder.id = FolderId(self.mint.id("folder", Some(id)));
        folder.description = description(node.at("description"));
        folder.variables = variables(node.at("variables"), folder.id.0, self.mint);
        folder.auth = auth(node.at("auth"), &location, self.report).unwrap_or(Auth::Inherit);
        folder.scripts = scripts(node.at("events"), &location, self.report);
        let Behavior { settings, keep_body: own } =
            behavior(node.at("protocolProfileBehavior"), &location, self.report);
        folder.settings = settings;
        let keep_body = own.unwrap_or(keep_body);
        let folder_id = self.tree.add_folder(parent, folder);
        let parent = ParentId::Folder(folder_id);
        for sub in node.at("folders_order").items().iter().filter_map(Node::as_str) {
            self.folder(sub, parent, &location, keep_body, depth + 1);
        }
        self.requests_in(node.at("order"), parent, &location, keep_body);
    }

    fn requests_in(&mut self, order: &'n Node, parent: ParentId, location: &str, keep_body: bool) {
        for id in order.items().iter().filter_map(Node::as_str) {
            match self.requests.get(id).copied() {
                Some(_) if self.placed_requests.contains(id) => {
                    self.report.warn(location, format!("request {id} is listed twice; kept once"));
                }
                Some(node) => self.request(node, parent, location, keep_body),
                None => self.report.warn(location, format!("request {id} is listed but not in the file")),
            }
        }
    }

    fn request(&mut self, node: &'n Node, parent: ParentId, location: &str, keep_body: bool) {
        if let Some(id) = node.str("id") {
            self.placed_requests.insert(id);
        }
        let name = node.str("name").filter(|n| !n.is_empty()).unwrap_or("Untitled").to_owned();
        let location = format!("{location} / {name}");
        let mut request = Request::new(name);
        request.id = RequestId(self.mint.id("request", node.str("id")));
        request.method = Method::parse(node.str("method").filter(|m| !m.trim().is_empty()).unwrap_or("GET"));
        request.url = node.text("url");
        let listed = node.get("queryParams").filter(|q| q.is_array()).map(key_values);
        request.params = reconcile_params(&request.url, listed, &location, self.report);
        request.path_variables = path_variables(node);
        request.headers = match node.get("headerData") {
            Some(rows @ Node::Array(_)) => key_values(rows),
            _ => headers(node.at("headers")),
        };
        request.body = body(node, &request.headers, &location, self.report);
        let Behavior { settings, keep_body: own } =
            behavior(node.at("protocolProfileBehavior"), &location, self.report);
        request.settings = settings;
        prune_body(&mut request, own.unwrap_or(keep_body), &location, self.report);
        request.auth = match auth(node.at("auth"), &location, self.report) {
            Some(auth) => auth,
            None => helper_auth(node, &location, self.report),
        };
        request.description = description(node.at("description"));
        request.scripts = if node.at("events").items().is_empty() {
            legacy_scripts(node)
        } else {
            scripts(node.at("events"), &location, self.report)
        };
        for (i, response) in node.at("responses").items().iter().enumerate() {
            let fallback = node.str("id").map(|id| format!("{id}/example/{i}"));
            if let Some(example) = example(response, node, self.mint, fallback.as_deref()) {
                request.examples.push(example);
            }
        }
        self.tree.add_request(parent, request);
    }
}

fn path_variables(node: &Node) -> Vec<KeyValue> {
    match node.get("pathVariableData") {
        Some(rows @ Node::Array(items)) if !items.is_empty() => key_values(rows),
        _ => node.at("pathVariables").entries().iter().map(|(k, v)| KeyValue::new(k, v.to_text())).collect(),
    }
}

/// Auth of old app versions: `currentHelper` names the kind, `helperAttributes` its settings.
fn helper_auth(node: &Node, location: &str, report: &mut Report) -> Auth {
    let kind = match node.str("currentHelper") {
        Some("basicAuth") => "basic",
        Some("digestAuth") => "digest",
        Some("oAuth1") => "oauth1",
        Some("oAuth2") => "oauth2",
        Some("hawkAuth") => "hawk",
        Some("awsSigV4") => "awsv4",
        Some("bearerAuth") => "bearer",
        Some("ntlmAuth") => "ntlm",
        Some("normal" | "") | None => return Auth::Inherit,
        Some(other) => other,
    };
    let params: Vec<(&str, &Node)> =
        node.at("helperAttributes").entries().iter().map(|(k, v)| (k.as_str(), v)).collect();
    auth_from_params(kind, &params, location, report).unwrap_or(Auth::Inherit)
}

/// `preRequestScript` and `tests` as plain strings.
fn legacy_scripts(node: &Node) -> Scripts {
    Scripts { pre_request: node.text("preRequestScript"), test: node.text("tests") }
}

/// A v1 body: `dataMode` with `data` rows, `rawModeData` or `graphqlModeData`.
fn body(node: &Node, headers: &[KeyValue], location: &str, report: &mut Report) -> Body {
    let mut body = Body::default();
    let raw = match node.get("rawModeData") {
        Some(Node::String(s)) => s.clone(),
        _ => match node.get("data") {
            Some(Node::String(s)) => s.clone(),
            _ => String::new(),
        },
    };
    body.raw = raw;
    body.raw_language = match node.at("dataOptions").at("raw").str("language") {
        Some("json") => crate::model::RawLanguage::Json,
        Some("xml") => crate::model::RawLanguage::Xml,
        Some("html") => crate::model::RawLanguage::Html,
        Some("javascript") => crate::model::RawLanguage::JavaScript,
        Some(_) => crate::model::RawLanguage::Text,
        None => language_of_content_type(
            headers
                .iter()
                .find(|h| h.enabled && h.key.eq_ignore_ascii_case("content-type"))
                .map_or("", |h| &h.value),
        ),
    };
    let rows = node.at("data");
    let mode = node.str("dataMode").unwrap_or_default();
    match mode {
        "params" => {
            body.multipart = rows
                .items()
                .iter()
                .filter(|r| r.is_object())
                .map(|r| {
                    let kind = if r.str("type") == Some("file") {
                        FormPartKind::File(r.str("src").map_or_else(|| r.text("value"), str::to_owned))
                    } else {
                        FormPartKind::Text(r.text("value"))
                    };
                    FormPart {
                        key: r.text("key"),
                        kind,
                        content_type: r.text("contentType"),
                        enabled: r.bool("enabled") != Some(false) && r.bool("disabled") != Some(true),
                        description: description(r.at("description")),
                    }
                })
                .collect();
        }
        "urlencoded" => body.urlencoded = key_values(rows),
        "graphql" => {
            let g = node.at("graphqlModeData");
            body.graphql = GraphQlBody {
                query: g.text("query"),
                variables: g.text("variables"),
                operation_name: String::new(),
            };
        }
        _ => {}
    }
    body.mode = match mode {
        "raw" => BodyMode::Raw,
        "params" => BodyMode::Multipart,
        "urlencoded" => BodyMode::UrlEncoded,
        "graphql" => BodyMode::GraphQl,
        "binary" => {
            report.warn(location, "binary body: the file itself is not in a Postman dump; choose it again");
            BodyMode::Binary
        }
        "" => BodyMode::None,
        other => {
            report.warn(location, format!("body mode `{other}` is not one Localpost has; not sent"));
            BodyMode::None
        }
    };
    // Empty form rows under "params" are what v1 wrote for "no body".
    if body.mode == BodyMode::Multipart && body.multipart.is_empty() {
        body.mode = BodyMode::None;
    }
    if node.bool("dataDisabled") == Some(true) && body.mode != BodyMode::None {
        body.mode = BodyMode::None;
        report.warn(location, "the body was disabled in Postman; kept, not sent");
    }
    body
}

/// A v1 saved response.
fn example(
    node: &Node,
    request: &Node,
    mint: &mut IdMint,
    fallback_id: Option<&str>,
) -> Option<SavedResponse> {
    if !node.is_object() {
        return None;
    }
    let original = node.get("request").filter(|r| r.is_object()).unwrap_or(request);
    let sent_headers = match original.get("headerData") {
        Some(rows @ Node::Array(_)) => key_values(rows),
        _ => headers(original.at("headers")),
    };
    let raw = original.text("rawModeData");
    let code = node
        .at("responseCode")
        .u64("code")
        .or_else(|| node.u64("code"))
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(0);
    let text = node.text("text");
    Some(SavedResponse {
        id: ExampleId(mint.id("example", node.str("id").or(fallback_id))),
        name: node.str("name").filter(|n| !n.is_empty()).map_or_else(|| code.to_string(), str::to_owned),
        request: SentRequest {
            method: original.str("method").unwrap_or("GET").to_owned(),
            url: original.text("url"),
            headers: sent_headers
                .into_iter()
                .filter(|h| h.enabled)
                .map(|h| Header::new(h.key, h.value))
                .collect(),
            body_size_bytes: raw.len() as u64,
            body: Some(raw).filter(|r| !r.is_empty()).map(StoredBody::Text),
            ..SentRequest::default()
        },
        response: ResponseRecord {
            status: code,
            reason: node.at("responseCode").str("name").map_or_else(|| node.text("status"), str::to_owned),
            headers: key_values(node.at("headers"))
                .into_iter()
                .map(|h| Header::new(h.key, h.value))
                .collect(),
            size_bytes: text.len() as u64,
            body: Some(text).filter(|t| !t.is_empty()).map(StoredBody::Text),
            time_ms: node.u64("time").unwrap_or(0),
            ..ResponseRecord::default()
        },
        saved_at: None,
        source_request: None,
    })
}
