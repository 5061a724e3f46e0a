//! A WebSocket session's two ends in the rest of the app: the upgrade request it starts with,
//! prepared as a send is, and the history entry it ends with.

use std::sync::Arc;

use time::OffsetDateTime;

use crate::http::PreparedRequest;
use crate::http::ws::{WsTally, history_summary};
use crate::model::*;

/// Prepares the upgrade request of a WebSocket request as a send is prepared (variables, query,
/// headers, auth and the containers it inherits from), as a `GET` without a body. A URL without
/// a scheme, or whose variables resolve to `http`/`https`, connects with `ws`/`wss`.
pub fn prepare_upgrade(
    draft: &Request,
    ws: &WorkspaceData,
    chain: &[ParentId],
    scopes: &crate::vars::Scopes,
    send_unresolved: bool,
) -> Result<PreparedRequest, String> {
    // A scheme written out is checked here; one from a variable once it is resolved.
    if let Some((scheme, _)) = draft.url.trim_start().split_once("://")
        && !scheme.contains("{{")
        && !scheme.eq_ignore_ascii_case("ws")
        && !scheme.eq_ignore_ascii_case("wss")
    {
        return Err(format!("A WebSocket URL starts with ws:// or wss://, not {scheme}://"));
    }
    let mut upgrade = draft.clone();
    upgrade.kind = RequestKind::Http;
    upgrade.method = Method::Get;
    upgrade.body = Body::default();
    let prepared = if send_unresolved {
        crate::http::prepare_as_written(&upgrade, Some(ws), chain, scopes).map(|(p, _)| p)
    } else {
        crate::http::prepare_in(&upgrade, Some(ws), chain, scopes)
    };
    let mut prepared = prepared.map_err(|e| e.to_string())?;
    let target = match prepared.url.scheme() {
        "http" | "ws" => "ws",
        _ => "wss",
    };
    if prepared.url.set_scheme(target).is_err() {
        return Err(format!("cannot connect to {}", prepared.url));
    }
    prepared.source = Arc::new(draft.clone());
    Ok(prepared)
}

/// The history entry of a session: the upgrade request as sent (redacted), `101` and a line of
/// counts as the response, the failure when it never opened.
pub(super) fn session_history_entry(prepared: &PreparedRequest, tally: &WsTally) -> HistoryEntry {
    let summary = history_summary(prepared, tally);
    let response = tally.status.map(|status| ResponseRecord {
        status,
        reason: summary.line.clone(),
        http_version: "HTTP/1.1".into(),
        headers: Vec::new(),
        body: None,
        body_truncated: false,
        size_bytes: tally.sent_bytes + tally.received_bytes,
        wire_size_bytes: None,
        time_ms: u64::try_from(summary.duration.as_millis()).unwrap_or(u64::MAX),
    });
    let error = if response.is_none() {
        Some(summary.counts.errors.join("; ")).filter(|e| !e.is_empty())
    } else {
        None
    };
    let (written, written_incomplete) = prepared
        .redactions
        .strip_request(&prepared.source)
        .map_or((None, false), |(w, i)| (Some(Box::new(w)), i));
    HistoryEntry {
        id: HistoryId::new(),
        at: tally.started_at.unwrap_or_else(OffsetDateTime::now_utc),
        request_id: prepared.request_id,
        name: prepared.name.clone(),
        request: summary.request,
        written,
        written_incomplete,
        response,
        error: error.or_else(|| (tally.status.is_none()).then(|| "not connected".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upgrade_is_prepared_as_a_send_with_the_ws_scheme() {
        let mut data = WorkspaceData::new(Workspace::new("W"));
        let mut request = Request::websocket("chat");
        request.url = "wss://{{host}}/chat?room=1".into();
        request.headers.push(KeyValue::new("X-Token", "{{token}}"));
        request.auth = Auth::None;
        data.requests.insert(request.id, request.clone());
        let scopes = crate::vars::Scopes::new().with_values(
            crate::vars::ScopeKind::Environment,
            "env",
            [("host", "example.com:8443"), ("token", "t0")],
        );
        let p = prepare_upgrade(&request, &data, &[], &scopes, false).unwrap();
        assert_eq!(p.url.as_str(), "wss://example.com:8443/chat?room=1");
        assert!(p.headers.iter().any(|h| h.name == "X-Token" && h.value == "t0"));
        assert!(p.source.is_websocket());
        let mut http = request.clone();
        http.url = "https://example.com".into();
        assert!(prepare_upgrade(&http, &data, &[], &scopes, false).unwrap_err().contains("ws://"));
    }

    #[test]
    fn a_scheme_from_a_variable_or_none_at_all_connects_with_ws() {
        let data = WorkspaceData::new(Workspace::new("W"));
        let scopes = crate::vars::Scopes::new().with_values(
            crate::vars::ScopeKind::Environment,
            "env",
            [("base", "wss://example.com"), ("plain", "http://example.com")],
        );
        let url_of = |url: &str| {
            let mut request = Request::websocket("chat");
            request.url = url.into();
            prepare_upgrade(&request, &data, &[], &scopes, false).map(|p| p.url.to_string())
        };
        assert_eq!(url_of("{{base}}/chat").unwrap(), "wss://example.com/chat");
        assert_eq!(url_of("{{plain}}/chat").unwrap(), "ws://example.com/chat");
        assert_eq!(url_of("127.0.0.1:9/chat").unwrap(), "ws://127.0.0.1:9/chat");
        assert_eq!(url_of("WSS://example.com/").unwrap(), "wss://example.com/");
    }
}
