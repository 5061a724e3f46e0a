//! Postman Collection v2.0 and v2.1 (also inside the `{"collection": {...}}` envelope of
//! Postman's API): folders nested to any depth, requests, saved examples, variables, auth with
//! inheritance, scripts and `protocolProfileBehavior`.

use super::{
    Behavior, auth, behavior, body, description, example, headers, prune_body, scripts, url, variables,
};
use crate::interop::foreign::ids::IdMint;
use crate::interop::foreign::node::Node;
use crate::interop::foreign::tree::Tree;
use crate::interop::{Format, ImportError, Report};
use crate::model::{Auth, Collection, CollectionId, Folder, FolderId, Method, ParentId, Request, RequestId};

/// Reads a whole collection file into a workspace named after the collection.
pub(crate) fn import(
    root: &Node,
    json_path: &str,
    format: Format,
    source_name: &str,
    report: &mut Report,
) -> Result<crate::model::WorkspaceData, ImportError> {
    let info = root.at("info");
    let mut mint = IdMint::new("postman", info.str("_postman_id"));
    let name = collection_name(root, source_name);
    let mut tree = Tree::new(mint.id("workspace", info.str("_postman_id")), &name);
    read_into(&mut tree, root, json_path, format, source_name, &mut mint, report)?;
    Ok(tree.into_data())
}

fn collection_name(root: &Node, source_name: &str) -> String {
    root.at("info").str("name").filter(|n| !n.trim().is_empty()).unwrap_or(source_name).to_owned()
}

/// Adds the collection in `root` to `tree` (a data dump adds several to one workspace).
pub(crate) fn read_into(
    tree: &mut Tree,
    root: &Node,
    json_path: &str,
    format: Format,
    source_name: &str,
    mint: &mut IdMint,
    report: &mut Report,
) -> Result<CollectionId, ImportError> {
    // Without an `info` block (newman runs such files) the file names the collection.
    let info = root.at("info");
    if !info.is_object() && !info.is_null() {
        return Err(ImportError::Shape {
            format,
            path: format!("{json_path}.info"),
            message: format!("expected an object naming the collection, found {}", info.kind()),
        });
    }
    let items = match root.get("item") {
        Some(items @ Node::Array(_)) => items,
        Some(other) => {
            return Err(ImportError::Shape {
                format,
                path: format!("{json_path}.item"),
                message: format!("expected an array of requests and folders, found {}", other.kind()),
            });
        }
        None => {
            return Err(ImportError::Shape {
                format,
                path: format!("{json_path}.item"),
                message: "missing: a collection lists its requests and folders under `item`".into(),
            });
        }
    };
    let name = collection_name(root, source_name);
    let mut collection = Collection::new(&name);
    collection.id = CollectionId(mint.id("collection", info.str("_postman_id")));
    collection.description = description(info.at("description"));
    let vars = root.get("variable").or_else(|| root.get("variables")).unwrap_or(&Node::Null);
    collection.variables = variables(vars, collection.id.0, mint);
    collection.auth = auth(root.at("auth"), &name, report).unwrap_or(Auth::None);
    if collection.auth == Auth::Inherit {
        collection.auth = Auth::None;
    }
    collection.scripts = scripts(root.at("event"), &name, report);
    let Behavior { settings, keep_body } = behavior(root.at("protocolProfileBehavior"), &name, report);
    collection.settings = settings;
    let id = tree.add_collection(collection);
    let mut walk = Walk { tree, mint, report };
    walk.items(
        items,
        ParentId::Collection(id),
        &name,
        &format!("{json_path}.item"),
        keep_body.unwrap_or(false),
    );
    Ok(id)
}

struct Walk<'a> {
    tree: &'a mut Tree,
    mint: &'a mut IdMint,
    report: &'a mut Report,
}

impl Walk<'_> {
    fn items(&mut self, list: &Node, parent: ParentId, location: &str, json_path: &str, keep_body: bool) {
        for (i, item) in list.items().iter().enumerate() {
            let item_path = format!("{json_path}[{i}]");
            if !item.is_object() {
                self.report.warn(
                    &item_path,
                    format!("skipped: expected a request or folder object, found {}", item.kind()),
                );
                continue;
            }
            let name = item.str("name").filter(|n| !n.is_empty()).unwrap_or("Untitled").to_owned();
            let item_location = format!("{location} / {name}");
            if item.get("item").is_some() {
                self.folder(item, name, parent, &item_location, &item_path, keep_body);
            } else {
                self.request(item, name, parent, &item_location, keep_body);
            }
        }
    }

    fn folder(
        &mut self,
        item: &Node,
        name: String,
        parent: ParentId,
        location: &str,
        json_path: &str,
        keep_body: bool,
    ) {
        let mut folder = Folder::new(name);
        folder.id = FolderId(self.mint.id("folder", source_id(item)));
        folder.description = description(item.at("description"));
        folder.variables = variables(item.at("variable"), folder.id.0, self.mint);
        folder.auth = auth(item.at("auth"), location, self.report).unwrap_or(Auth::Inherit);
        folder.scripts = scripts(item.at("event"), location, self.report);
        let Behavior { settings, keep_body: own_keep_body } =
            behavior(item.at("protocolProfileBehavior"), location, self.report);
        folder.settings = settings;
        let children = item.at("item");
        if !children.is_array() {
            self.report.warn(
                location,
                format!("folder contents are {}, not a list; the folder is empty", children.kind()),
            );
        }
        let id = self.tree.add_folder(parent, folder);
        self.items(
            children,
            ParentId::Folder(id),
            location,
            &format!("{json_path}.item"),
            own_keep_body.unwrap_or(keep_body),
        );
    }

    fn request(&mut self, item: &Node, name: String, parent: ParentId, location: &str, keep_body: bool) {
        let node = item.at("request");
        // `"request": "https://..."` is a GET of that URL.
        let url_node = if let Node::String(_) = node { node } else { node.at("url") };
        let mut request = Request::new(name);
        request.id = RequestId(self.mint.id("request", source_id(item)));
        request.method = Method::parse(node.str("method").filter(|m| !m.trim().is_empty()).unwrap_or("GET"));
        let parts = url(url_node, location, self.report);
        request.url = parts.url;
        request.params = parts.params;
        request.path_variables = parts.path_variables;
        request.headers = headers(node.at("header"));
        request.body = body(node.at("body"), &request.headers, location, self.report);
        let Behavior { settings, keep_body: own_keep_body } =
            behavior(item.at("protocolProfileBehavior"), location, self.report);
        request.settings = settings;
        prune_body(&mut request, own_keep_body.unwrap_or(keep_body), location, self.report);
        request.auth = auth(node.at("auth"), location, self.report).unwrap_or(Auth::Inherit);
        request.description = description(node.at("description"));
        if request.description.is_empty() {
            request.description = description(item.at("description"));
        }
        request.scripts = scripts(item.at("event"), location, self.report);
        if node.get("proxy").is_some_and(|p| !p.entries().is_empty() && p.bool("disabled") != Some(true)) {
            self.report.warn(
                location,
                format!(
                    "request proxy {}:{} is not kept: Localpost's proxy is an app setting (Settings → Proxy)",
                    node.at("proxy").text("host"),
                    node.at("proxy").text("port")
                ),
            );
        }
        if node.get("certificate").is_some_and(|c| !c.entries().is_empty()) {
            self.report.warn(
                location,
                format!(
                    "client certificate `{}` is not kept on the request: add it in Settings → Certificates",
                    node.at("certificate").text("name")
                ),
            );
        }
        if !item.at("variable").items().is_empty() {
            self.report.warn(
                location,
                "request-level variables are not kept: Localpost has variables on folders and collections",
            );
        }
        for (i, response) in item.at("response").items().iter().enumerate() {
            let fallback = source_id(item).map(|id| format!("{id}/example/{i}"));
            if let Some(example) =
                example(response, node, self.mint, fallback.as_deref(), location, self.report)
            {
                request.examples.push(example);
            }
        }
        self.tree.add_request(parent, request);
    }
}

fn source_id(item: &Node) -> Option<&str> {
    item.str("id").or_else(|| item.str("_postman_id"))
}
