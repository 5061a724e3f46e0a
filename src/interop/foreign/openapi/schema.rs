//! Examples made from schemas: a body, a parameter's value, saved responses.

use std::collections::HashSet;

use super::{MAX_DEPTH, Spec};
use crate::interop::Format;
use crate::interop::foreign::ids::IdMint;
use crate::interop::foreign::node::Node;
use crate::model::{ExampleId, Header, Request, ResponseRecord, SavedResponse, SentRequest, StoredBody};

impl<'a> Spec<'a> {
    /// The properties of an object schema (through `allOf`), resolved.
    pub(super) fn properties(&mut self, schema: &'a Node, location: &str) -> Vec<(String, &'a Node)> {
        let mut out: Vec<(String, &'a Node)> = Vec::new();
        for (name, prop) in schema.at("properties").entries() {
            out.push((name.clone(), self.resolve(prop, location)));
        }
        for part in schema.at("allOf").items() {
            let part = self.resolve(part, location);
            for (name, prop) in self.properties(part, location) {
                if !out.iter().any(|(n, _)| *n == name) {
                    out.push((name, prop));
                }
            }
        }
        out
    }

    /// An example value for a schema: its own example or default, else one made from its type.
    pub(super) fn example(
        &mut self,
        schema: &'a Node,
        depth: usize,
        seen: &mut HashSet<*const Node>,
        location: &str,
    ) -> Node {
        let schema = self.resolve(schema, location);
        if depth > MAX_DEPTH || !seen.insert(std::ptr::from_ref(schema)) {
            return Node::Null;
        }
        let result = if let Some(given) = given_example(schema) {
            given.clone()
        } else if let Some(first) =
            ["oneOf", "anyOf"].into_iter().find_map(|key| schema.at(key).items().first())
        {
            self.example(first, depth + 1, seen, location)
        } else {
            match schema_type(schema).as_str() {
                "object" => {
                    let mut entries = Vec::new();
                    for (name, prop) in self.properties(schema, location) {
                        if prop.bool("readOnly") == Some(true) {
                            continue;
                        }
                        entries.push((name, self.example(prop, depth + 1, seen, location)));
                    }
                    Node::Object(entries)
                }
                "array" => {
                    let item = self.example(schema.at("items"), depth + 1, seen, location);
                    if item.is_null() { Node::Array(Vec::new()) } else { Node::Array(vec![item]) }
                }
                scalar => scalar_example(scalar, schema),
            }
        };
        seen.remove(&std::ptr::from_ref(schema));
        result
    }

    /// Saved examples from responses that carry an explicit example.
    pub(super) fn examples(
        &mut self,
        operation: &'a Node,
        request: &Request,
        mint: &mut IdMint,
        location: &str,
    ) -> Vec<SavedResponse> {
        let mut out = Vec::new();
        for (code, response) in operation.at("responses").entries() {
            let Ok(status) = code.parse::<u16>() else { continue };
            let response = self.resolve(response, location);
            let mut bodies: Vec<(String, String, Node)> = Vec::new();
            if self.format == Format::Swagger2 {
                for (media, example) in response.at("examples").entries() {
                    bodies.push((media.clone(), String::new(), example.clone()));
                }
            } else {
                for (media, content) in response.at("content").entries() {
                    if let Some(example) = content.get("example") {
                        bodies.push((media.clone(), String::new(), example.clone()));
                    }
                    for (name, example) in content.at("examples").entries() {
                        let example = self.resolve(example, location);
                        if let Some(value) = example.get("value") {
                            bodies.push((media.clone(), name.clone(), value.clone()));
                        }
                    }
                }
            }
            for (media, example_name, value) in bodies {
                let text = match &value {
                    Node::String(s) => s.clone(),
                    other => other.to_json_pretty(),
                };
                let description = response.text("description");
                let mut name = format!("{status} {description}").trim().to_owned();
                if !example_name.is_empty() {
                    name = format!("{name} ({example_name})");
                }
                let source = format!("{}#{status}#{media}#{example_name}", request.id.0);
                out.push(SavedResponse {
                    id: ExampleId(mint.id("example", Some(&source))),
                    name,
                    request: SentRequest {
                        method: request.method.as_str().to_owned(),
                        url: request.url.clone(),
                        ..SentRequest::default()
                    },
                    response: ResponseRecord {
                        status,
                        headers: vec![Header::new("Content-Type", media)],
                        size_bytes: text.len() as u64,
                        body: Some(StoredBody::Text(text)),
                        ..ResponseRecord::default()
                    },
                    saved_at: None,
                    source_request: None,
                });
            }
        }
        out
    }
}

/// The value a schema gives itself: its example (or first of its examples), default, first
/// enum value or const.
fn given_example(schema: &Node) -> Option<&Node> {
    schema
        .get("example")
        .or_else(|| schema.at("examples").items().first())
        .or_else(|| schema.get("default"))
        .or_else(|| schema.at("enum").items().first())
        .or_else(|| schema.get("const"))
}

/// A schema's type: its own, or the one its keywords imply; empty when neither says.
fn schema_type(schema: &Node) -> String {
    match schema.get("type") {
        Some(Node::String(t)) => t.clone(),
        // 3.1 allows a list of types; the first that is not "null".
        Some(Node::Array(types)) => types.iter().map(Node::to_text).find(|t| t != "null").unwrap_or_default(),
        _ if schema.get("properties").is_some() || schema.get("allOf").is_some() => "object".into(),
        _ if schema.get("items").is_some() => "array".into(),
        _ => String::new(),
    }
}

/// An example of a scalar type (`null` for a type that is none).
fn scalar_example(kind: &str, schema: &Node) -> Node {
    match kind {
        "integer" | "number" => Node::Number("0".into()),
        "boolean" => Node::Bool(false),
        "string" => Node::String(
            match schema.str("format") {
                Some("date-time") => "1970-01-01T00:00:00Z",
                Some("date") => "1970-01-01",
                Some("email") => "user@example.com",
                Some("uuid") => "00000000-0000-0000-0000-000000000000",
                Some("uri" | "url") => "https://example.com",
                _ => "string",
            }
            .into(),
        ),
        _ => Node::Null,
    }
}
