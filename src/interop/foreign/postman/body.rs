//! A request's body: its mode, raw language, form parts, and the pruning Postman applies.

use super::{description, is_blank, is_enabled, key_values};
use crate::interop::Report;
use crate::interop::foreign::node::Node;
use crate::model::{Body, BodyMode, FormPart, FormPartKind, GraphQlBody, KeyValue, RawLanguage, Request};

/// Methods Postman sends without a body unless `disableBodyPruning` is set.
pub(super) fn prunes_body(method: &str) -> bool {
    ["GET", "HEAD", "COPY", "PURGE", "UNLOCK"].iter().any(|m| m.eq_ignore_ascii_case(method))
}

/// Postman sends no body with GET, HEAD... unless told to (`keep_body`): the body is kept, its
/// mode set to none, so the request sends what it sent in Postman.
pub(crate) fn prune_body(request: &mut Request, keep_body: bool, location: &str, report: &mut Report) {
    if keep_body || request.body.mode == BodyMode::None || !prunes_body(request.method.as_str()) {
        return;
    }
    let had_content = body_has_content(&request.body);
    request.body.mode = BodyMode::None;
    if had_content {
        report.warn(
            location,
            format!(
                "Postman does not send a body with {} unless body pruning is off; the body is kept but set to none",
                request.method
            ),
        );
    }
}

/// The raw language from `options.raw.language`, else guessed from the `Content-Type` header.
pub(super) fn raw_language(body: &Node, headers: &[KeyValue]) -> RawLanguage {
    match body.at("options").at("raw").str("language") {
        Some("json") => RawLanguage::Json,
        Some("xml") => RawLanguage::Xml,
        Some("html") => RawLanguage::Html,
        Some("javascript") => RawLanguage::JavaScript,
        Some(_) => RawLanguage::Text,
        None => language_of_content_type(
            headers
                .iter()
                .find(|h| h.enabled && h.key.eq_ignore_ascii_case("content-type"))
                .map_or("", |h| h.value.as_str()),
        ),
    }
}

/// The raw language a `Content-Type` suggests.
pub(crate) fn language_of_content_type(content_type: &str) -> RawLanguage {
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("json") {
        RawLanguage::Json
    } else if ct.contains("xml") {
        RawLanguage::Xml
    } else if ct.contains("html") {
        RawLanguage::Html
    } else if ct.contains("javascript") {
        RawLanguage::JavaScript
    } else {
        RawLanguage::Text
    }
}

/// Form-data rows; a file row with several files becomes one part per file.
pub(super) fn form_parts(list: &Node) -> Vec<FormPart> {
    let mut parts = Vec::new();
    for row in list.items() {
        if !row.is_object() {
            continue;
        }
        let key = row.text("key");
        let base = FormPart {
            key: key.clone(),
            kind: FormPartKind::Text(String::new()),
            content_type: row.text("contentType"),
            enabled: is_enabled(row),
            description: description(row.at("description")),
        };
        if row.str("type") == Some("file") {
            let sources: Vec<String> = match row.at("src") {
                Node::Array(paths) => paths.iter().map(Node::to_text).collect(),
                other => vec![other.to_text()],
            };
            let sources = if sources.is_empty() { vec![String::new()] } else { sources };
            for src in sources {
                parts.push(FormPart { kind: FormPartKind::File(src), ..base.clone() });
            }
        } else {
            if key.is_empty() && row.text("value").is_empty() {
                continue;
            }
            parts.push(FormPart { kind: FormPartKind::Text(row.text("value")), ..base });
        }
    }
    parts
}

/// A v2 body in every mode; all modes present are kept, `mode` picks the one sent.
pub(crate) fn body(node: &Node, headers: &[KeyValue], location: &str, report: &mut Report) -> Body {
    let mut body = Body::default();
    if !node.is_object() {
        return body;
    }
    if let Some(raw) = node.get("raw") {
        body.raw = raw.to_text();
    }
    body.raw_language = raw_language(node, headers);
    body.urlencoded = key_values(node.at("urlencoded"));
    body.multipart = form_parts(node.at("formdata"));
    let file = node.at("file");
    body.binary_path = file.text("src");
    let graphql = node.at("graphql");
    if graphql.is_object() {
        body.graphql = GraphQlBody {
            query: graphql.text("query"),
            variables: match graphql.get("variables") {
                Some(Node::String(s)) => s.clone(),
                Some(v @ Node::Object(_)) => v.to_json_pretty(),
                _ => String::new(),
            },
            operation_name: graphql.text("operationName"),
        };
    }
    let mode = node.str("mode").unwrap_or_default();
    body.mode = match mode {
        "" => BodyMode::None,
        "raw" => BodyMode::Raw,
        "urlencoded" => BodyMode::UrlEncoded,
        "formdata" => BodyMode::Multipart,
        "file" => {
            if body.binary_path.is_empty() && !file.text("content").is_empty() {
                // The file's content itself rather than a path: keep it as raw text.
                body.raw = file.text("content");
                report.warn(location, "file body given by content, not path; kept as a raw text body");
                BodyMode::Raw
            } else {
                BodyMode::Binary
            }
        }
        "graphql" => BodyMode::GraphQl,
        other => {
            let content = node.at(other);
            if body.raw.is_empty() && !is_blank(content) {
                body.raw = content.to_text();
            }
            report.warn(
                location,
                format!("body mode `{other}` is not one Localpost has; its content is kept in the raw body, not sent"),
            );
            BodyMode::None
        }
    };
    if node.bool("disabled") == Some(true) && body.mode != BodyMode::None {
        body.mode = BodyMode::None;
        report.warn(location, "the body was disabled in Postman; kept, not sent");
    }
    body
}

/// Whether a body would send anything.
pub(super) fn body_has_content(body: &Body) -> bool {
    match body.mode {
        BodyMode::None => false,
        BodyMode::Raw => !body.raw.is_empty(),
        BodyMode::UrlEncoded => !body.urlencoded.is_empty(),
        BodyMode::Multipart => !body.multipart.is_empty(),
        BodyMode::Binary => !body.binary_path.is_empty(),
        BodyMode::GraphQl => !body.graphql.query.is_empty(),
    }
}
