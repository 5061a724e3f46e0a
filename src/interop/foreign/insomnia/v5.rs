//! Insomnia v5: the YAML export with a nested collection, or environments alone.

use super::{
    Imported, Shape, Templates, cookie_jar, env_variables, environment, folder, non_empty, request,
    sort_by_key, unsupported,
};
use crate::interop::foreign::ids::IdMint;
use crate::interop::foreign::node::Node;
use crate::interop::foreign::tree::Tree;
use crate::interop::{Format, ImportError, Report};
use crate::model::{Collection, CollectionId, Environment, EnvironmentId, ParentId};

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
pub(super) fn v5_items(
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
            "websocket" => {
                let request = super::websocket::websocket_request(
                    item,
                    &Shape::V5,
                    &[],
                    mint,
                    templates,
                    &item_location,
                    report,
                );
                tree.add_request(parent, request);
            }
            other => unsupported(other, &item_location, report),
        }
    }
}
