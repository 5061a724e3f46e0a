//! Postman environments and globals: `{id, name, values: [{key, value, type, enabled}]}` with
//! `_postman_variable_scope` saying which, the older forms without it (extra legacy keys,
//! `disabled` instead of `enabled`), and the oldest globals export, a bare array of rows.

use super::variables;
use crate::interop::foreign::ids::IdMint;
use crate::interop::foreign::node::Node;
use crate::interop::foreign::tree::Tree;
use crate::interop::{Format, ImportError, Report};
use crate::model::{Environment, EnvironmentId, Globals, GlobalsId, WorkspaceData};

/// Whether `node` looks like an environment or globals file.
pub(crate) fn looks_like(node: &Node) -> bool {
    node.get("values").is_some_and(Node::is_array)
        && (node.get("_postman_variable_scope").is_some()
            || node.get("name").is_some()
            || node.get("id").is_some())
}

/// Whether `node` is a legacy globals export: a bare array of `{key, value}` rows.
pub(crate) fn looks_like_legacy_globals(node: &Node) -> bool {
    let rows = node.items();
    !rows.is_empty() && rows.iter().all(|r| r.is_object() && r.get("key").is_some())
}

/// An environment entity from an environment object.
pub(crate) fn environment(node: &Node, mint: &mut IdMint, fallback_name: &str) -> Environment {
    let name = node.str("name").filter(|n| !n.trim().is_empty()).unwrap_or(fallback_name);
    let mut environment = Environment::new(name);
    environment.id = EnvironmentId(mint.id("environment", node.str("id")));
    environment.variables = variables(node.at("values"), environment.id.0, mint);
    environment
}

fn check_values(node: &Node, format: Format) -> Result<(), ImportError> {
    match node.get("values") {
        Some(Node::Array(_)) => Ok(()),
        Some(other) => Err(ImportError::Shape {
            format,
            path: "$.values".into(),
            message: format!("expected an array of variables, found {}", other.kind()),
        }),
        None => Err(ImportError::Shape { format, path: "$.values".into(), message: "missing".into() }),
    }
}

pub(crate) fn import_environment(
    root: &Node,
    source_name: &str,
    _report: &mut Report,
) -> Result<WorkspaceData, ImportError> {
    check_values(root, Format::PostmanEnvironment)?;
    let mut mint = IdMint::new("postman-environment", root.str("id"));
    let environment = environment(root, &mut mint, source_name);
    let mut tree = Tree::new(mint.id("workspace", root.str("id")), &environment.name);
    tree.add_environment(environment);
    Ok(tree.into_data())
}

pub(crate) fn import_globals(
    root: &Node,
    source_name: &str,
    _report: &mut Report,
) -> Result<WorkspaceData, ImportError> {
    let mut mint = IdMint::new("postman-globals", root.str("id"));
    let rows = if root.is_array() {
        root
    } else {
        check_values(root, Format::PostmanGlobals)?;
        root.at("values")
    };
    let name = root.str("name").filter(|n| !n.trim().is_empty()).unwrap_or(source_name);
    let mut tree = Tree::new(mint.id("workspace", root.str("id")), name);
    let globals_id = GlobalsId(mint.id("globals", root.str("id")));
    tree.data.globals = Globals { id: globals_id, variables: variables(rows, globals_id.0, &mut mint) };
    Ok(tree.into_data())
}
