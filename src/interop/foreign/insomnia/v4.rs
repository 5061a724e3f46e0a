//! Insomnia v4: the JSON export of resources, parents named by id.

use std::collections::{HashMap, HashSet};

use super::{
    Imported, Shape, Templates, cookie_jar, env_variables, environment, folder, non_empty, request,
    sort_by_key, unsupported,
};
use crate::interop::foreign::ids::IdMint;
use crate::interop::foreign::node::Node;
use crate::interop::foreign::tree::Tree;
use crate::interop::{Format, ImportError, Report};
use crate::model::{Collection, CollectionId, Cookie, ParentId, WorkspaceData};

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

pub(super) struct V4<'a, 'n> {
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
            "websocket_request" => {
                let kids = self.kids(node.str("_id").unwrap_or_default());
                let (payloads, others): (Vec<&Node>, Vec<&Node>) =
                    kids.into_iter().partition(|k| k.str("_type") == Some("websocket_payload"));
                let request = super::websocket::websocket_request(
                    node,
                    &Shape::V4,
                    &payloads,
                    mint,
                    templates,
                    &location,
                    self.report,
                );
                tree.add_request(parent, request);
                for kid in others {
                    unsupported(
                        kid.str("_type").unwrap_or_default(),
                        &format!("{location} / {}", kid.text("name")),
                        self.report,
                    );
                }
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
