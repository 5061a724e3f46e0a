//! Insomnia WebSocket requests (`websocket_request` in v4, `ws-req_…` items in v5) and their
//! saved payloads (`websocket_payload`, v4), read as Localpost WebSocket requests with saved
//! messages.

use super::templates::Templates;
use super::{Shape, non_empty, request};
use crate::interop::Report;
use crate::interop::foreign::ids::IdMint;
use crate::interop::foreign::node::Node;
use crate::model::{Body, MessageFormat, Method, Request, RequestKind, SavedMessage};

/// A WebSocket request: the URL, query, headers, auth and description as an HTTP request reads
/// them, its payloads as saved messages (in the order given).
pub(super) fn websocket_request(
    node: &Node,
    shape: &Shape,
    payloads: &[&Node],
    mint: &mut IdMint,
    templates: &mut Templates,
    location: &str,
    report: &mut Report,
) -> Request {
    let mut request = request(node, shape, mint, templates, location, report);
    request.kind = RequestKind::WebSocket;
    request.method = Method::Get;
    request.body = Body::default();
    request.websocket.messages = payloads.iter().map(|p| payload(p, templates)).collect();
    request
}

/// One saved payload; `mode` is a MIME type (`application/json` is JSON, anything else text).
fn payload(node: &Node, templates: &mut Templates) -> SavedMessage {
    let name = non_empty(node.str("name")).unwrap_or("Message");
    let format = match node.str("mode").map(str::trim) {
        Some(mode) if mode.eq_ignore_ascii_case("application/json") => MessageFormat::Json,
        _ => MessageFormat::Text,
    };
    SavedMessage::new(name, format, templates.convert(&node.text("value")))
}
