//! The headers Localpost adds to a request when it sends it: one source for [`super::prepare`],
//! which adds them, and the request editor, which shows them (greyed, under the user's own).

use crate::model::{BodyMode, Request, RequestSettings};

/// The `User-Agent` sent unless the user set one.
pub const USER_AGENT: &str = concat!("localpost/", env!("CARGO_PKG_VERSION"));
/// The `Accept-Encoding` sent unless the user set one; the engine decodes all of these.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";
/// The `Accept` sent when there is none (as reqwest and Postman send it).
pub const ACCEPT: &str = "*/*";
/// What the editor shows for a value only the send knows.
const WHEN_SENT: &str = "<calculated when sent>";

/// Headers the engine or its HTTP stack sets by itself: a request rebuilt from history leaves
/// them out, so the next send sets them anew.
pub fn is_added_by_engine(name: &str) -> bool {
    ["user-agent", "accept-encoding", "connection", "host", "content-length"]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

pub use crate::model::sent_body::{implied_content_type, sends_body, sets_content_type};

/// The headers Localpost adds to `request` sent with `settings` (its effective settings), in
/// the order they are shown, with `<calculated when sent>` for what only the send knows. Auth
/// headers are not here: they depend on the auth, which the editor shows beside these.
pub fn added_headers(request: &Request, settings: &RequestSettings) -> Vec<(String, String)> {
    let user = |name: &str| {
        request
            .headers
            .iter()
            .find(|h| h.enabled && h.key.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    };
    let off = settings.disable_auto_headers;
    let mut out = Vec::new();
    if let Some(implied) = implied_content_type(&request.body, &request.body.binary_path)
        && sets_content_type(request.body.mode, user("content-type"), off)
    {
        let shown = match request.body.mode {
            BodyMode::Multipart => format!("{implied}; boundary={WHEN_SENT}"),
            _ => implied,
        };
        out.push(("Content-Type".to_owned(), shown));
    }
    if sends_body(&request.body) {
        out.push(("Content-Length".to_owned(), WHEN_SENT.to_owned()));
    }
    out.push(("Host".to_owned(), WHEN_SENT.to_owned()));
    if !off && user("user-agent").is_none() {
        out.push(("User-Agent".to_owned(), USER_AGENT.to_owned()));
    }
    if user("accept").is_none() {
        out.push(("Accept".to_owned(), ACCEPT.to_owned()));
    }
    if !off && user("accept-encoding").is_none() {
        out.push(("Accept-Encoding".to_owned(), ACCEPT_ENCODING.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, KeyValue, RawLanguage};

    fn names(request: &Request, settings: &RequestSettings) -> Vec<String> {
        added_headers(request, settings).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn a_plain_get_gets_host_agent_accept_and_encodings() {
        let r = Request::new("r");
        assert_eq!(
            names(&r, &RequestSettings::default()),
            ["Host", "User-Agent", "Accept", "Accept-Encoding"]
        );
    }

    #[test]
    fn automatic_headers_off_leaves_out_what_the_engine_would_not_send() {
        let mut r = Request::new("r");
        r.body = Body::raw(RawLanguage::Json, "{}");
        let settings = RequestSettings { disable_auto_headers: true, ..RequestSettings::default() };
        // No User-Agent, no Accept-Encoding, no JSON Content-Type: prepare sends none of them.
        assert_eq!(names(&r, &settings), ["Content-Length", "Host", "Accept"]);
    }

    #[test]
    fn the_users_own_headers_replace_the_defaults() {
        let mut r = Request::new("r");
        r.body = Body::raw(RawLanguage::Json, "{}");
        r.headers = vec![KeyValue::new("content-type", "text/plain"), KeyValue::new("User-Agent", "me")];
        assert_eq!(
            names(&r, &RequestSettings::default()),
            ["Content-Length", "Host", "Accept", "Accept-Encoding"]
        );
        // A disabled row is not sent, so the default shows again.
        r.headers[1].enabled = false;
        assert!(names(&r, &RequestSettings::default()).contains(&"User-Agent".to_owned()));
    }

    #[test]
    fn an_empty_body_implies_no_type() {
        let mut r = Request::new("r");
        r.body = Body::raw(RawLanguage::Json, "");
        assert_eq!(implied_content_type(&r.body, ""), None);
        assert!(!names(&r, &RequestSettings::default()).contains(&"Content-Length".to_owned()));
    }

    #[test]
    fn a_form_type_replaces_the_users_unless_it_is_multipart() {
        assert!(sets_content_type(BodyMode::UrlEncoded, Some("text/plain"), false));
        assert!(!sets_content_type(BodyMode::Raw, Some("text/plain"), false));
        assert!(sets_content_type(BodyMode::Multipart, Some("text/plain"), false));
        assert!(!sets_content_type(BodyMode::Multipart, Some("multipart/mixed"), false));
        assert!(sets_content_type(BodyMode::Multipart, None, true));
        assert!(!sets_content_type(BodyMode::Raw, None, true));
    }
}
