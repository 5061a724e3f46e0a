//! What a request puts on the wire, as rules of the model alone: whether a body sends anything,
//! the `Content-Type` it implies, the JSON of a GraphQL body, how a form body and query params
//! are percent-encoded. One source for the engine (`http::prepare`, `http::url_build`), the
//! editor's list of added headers (`http::added`) and the code snippets (`interop::export`), so
//! a snippet sends what a send sends.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::{Body, BodyMode};

/// Characters encoded in a query key or value taken from the params table. `%` is handled
/// separately: kept when it starts a valid escape.
const QUERY_COMPONENT: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>').add(b'&').add(b'+').add(b'`').add(b'\'');
const QUERY_KEY: &AsciiSet = &QUERY_COMPONENT.add(b'=');
/// Characters encoded in a path variable's value.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/');

/// Percent-encodes `text` with `set`, and `%` unless it starts a valid `%XX` escape (so a value
/// the user already encoded is not encoded twice).
fn encode(text: &str, set: &'static AsciiSet) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%' {
            let valid = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            if !valid {
                out.extend(utf8_percent_encode(&text[last..i], set));
                out.push_str("%25");
                last = i + 1;
            }
        }
    }
    out.extend(utf8_percent_encode(&text[last..], set));
    out
}

/// A query key from the params table, encoded as it is sent.
pub fn encode_query_key(text: &str) -> String {
    encode(text, QUERY_KEY)
}

/// A query value from the params table, encoded as it is sent.
pub fn encode_query_value(text: &str) -> String {
    encode(text, QUERY_COMPONENT)
}

/// A path variable's value, encoded as it is sent.
pub fn encode_path_segment(text: &str) -> String {
    encode(text, PATH_SEGMENT)
}

/// Whether a body of this mode and content is sent at all: an empty raw body, or a form with no
/// enabled row, is no body and implies no `Content-Type` (as Postman sends it).
pub fn sends_body(body: &Body) -> bool {
    match body.mode {
        BodyMode::None => false,
        BodyMode::Raw => !body.raw.is_empty(),
        BodyMode::UrlEncoded => body.urlencoded.iter().any(|kv| kv.enabled && !kv.key.is_empty()),
        BodyMode::Multipart => body.multipart.iter().any(|p| p.enabled && !p.key.is_empty()),
        BodyMode::Binary | BodyMode::GraphQl => true,
    }
}

/// The `Content-Type` a body implies. `binary_path` is the file of a binary body (resolved when
/// sending, as written when shown): its type is guessed from the name.
pub fn implied_content_type(body: &Body, binary_path: &str) -> Option<String> {
    if !sends_body(body) {
        return None;
    }
    Some(match body.mode {
        BodyMode::None => return None,
        BodyMode::Raw => body.raw_language.content_type().to_owned(),
        BodyMode::UrlEncoded => "application/x-www-form-urlencoded".to_owned(),
        BodyMode::Multipart => "multipart/form-data".to_owned(),
        BodyMode::Binary => mime_guess::from_path(binary_path).first_or_octet_stream().to_string(),
        BodyMode::GraphQl => "application/json".to_owned(),
    })
}

/// Whether the implied `Content-Type` is set, given the one the user wrote (`user_type`). A
/// form body's type replaces the user's (the body is encoded as its mode says, whatever the
/// header claims; a `multipart/...` type the user chose is kept, the engine adds its boundary);
/// other bodies' types are defaults. With automatic headers off only a multipart body gets one
/// (its boundary must be named).
pub fn sets_content_type(mode: BodyMode, user_type: Option<&str>, auto_headers_off: bool) -> bool {
    let replaced = match mode {
        BodyMode::UrlEncoded => true,
        BodyMode::Multipart => {
            user_type.is_some_and(|t| !t.trim_start().to_ascii_lowercase().starts_with("multipart/"))
        }
        _ => false,
    };
    (user_type.is_none() || (replaced && !auto_headers_off))
        && (!auto_headers_off || matches!(mode, BodyMode::Multipart))
}

/// JavaScript's `encodeURIComponent`: everything but letters, digits and `-_.!~*'()` as `%XX`
/// (how a form body's names and values are encoded, as Postman encodes them).
pub fn encode_uri_component(text: &str) -> String {
    use percent_encoding::NON_ALPHANUMERIC;
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'!')
        .remove(b'~')
        .remove(b'*')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')');
    utf8_percent_encode(text, KEEP).to_string()
}

/// A URL-encoded form body: `name=value` pairs, each side [`encode_uri_component`]d, joined by `&`.
pub fn urlencoded<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", encode_uri_component(k), encode_uri_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Why GraphQL variables cannot be sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GraphQlVariablesError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("must be a JSON object")]
    NotObject,
}

/// The JSON a GraphQL body sends: `{"query":…}`, then `"variables"` (as written, when there are
/// any) and `"operationName"` (when named). The texts are already resolved.
pub fn graphql_json(query: &str, variables: &str, operation: &str) -> Result<String, GraphQlVariablesError> {
    let mut json = String::from("{\"query\":");
    json.push_str(&serde_json::Value::String(query.to_owned()).to_string());
    if !variables.trim().is_empty() {
        let parsed: serde_json::Value =
            serde_json::from_str(variables).map_err(|e| GraphQlVariablesError::NotJson(e.to_string()))?;
        if !parsed.is_object() {
            return Err(GraphQlVariablesError::NotObject);
        }
        json.push_str(",\"variables\":");
        json.push_str(variables.trim());
    }
    if !operation.is_empty() {
        json.push_str(",\"operationName\":");
        json.push_str(&serde_json::Value::String(operation.to_owned()).to_string());
    }
    json.push('}');
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_variables_are_kept_as_written_and_left_out_when_empty() {
        assert_eq!(graphql_json("{ a }", "  ", "").unwrap(), r#"{"query":"{ a }"}"#);
        assert_eq!(
            graphql_json("q", " {\"id\": 1} ", "Op").unwrap(),
            r#"{"query":"q","variables":{"id": 1},"operationName":"Op"}"#
        );
        assert_eq!(graphql_json("q", "[1]", ""), Err(GraphQlVariablesError::NotObject));
        assert!(matches!(graphql_json("q", "{", ""), Err(GraphQlVariablesError::NotJson(_))));
    }
}
