//! Formats from other tools: Postman, Insomnia, HAR, OpenAPI/Swagger, cURL.
//!
//! An import is: bytes -> text (UTF-8 only; a BOM is dropped, UTF-16/32 refused by name) ->
//! a document tree (JSON or YAML, see [`node`]) or a cURL command line -> the format, judged by
//! content and never by file name -> that format's reader, which builds workspace fragments and
//! lists in the [`Report`](crate::interop::Report) everything it could not carry over exactly.

pub mod curl;
pub(crate) mod har;
pub(crate) mod ids;
pub(crate) mod insomnia;
pub(crate) mod node;
pub(crate) mod openapi;
pub(crate) mod postman;
pub(crate) mod query;
pub(crate) mod tree;

use std::borrow::Cow;
use std::path::Path;

use self::node::{Node, parse_json, parse_yaml};
use super::{Format, ImportError, Imported, Report};

/// Which foreign format `bytes` hold, judged by content (never by file name). `None` when the
/// bytes are no format Localpost reads (or not readable text at all).
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if postman::dump::is_zip(bytes) {
        return postman::dump::zip_has_archive_index(bytes).then_some(Format::PostmanDumpArchive);
    }
    let text = decode_text(bytes).ok()?;
    match read_document(&text).ok()? {
        Document::Curl => Some(Format::Curl),
        Document::Tree(node) => classify(&node).ok(),
    }
}

/// Reads a file of another tool. `source_name` (a file name) names things when the file does not.
pub fn import(bytes: &[u8], source_name: &str) -> Result<Imported, ImportError> {
    if postman::dump::is_zip(bytes) {
        return postman::dump::import_zip(bytes, source_name);
    }
    let text = decode_text(bytes)?;
    match read_document(&text)? {
        Document::Curl => curl::import(&text, source_name),
        Document::Tree(node) => import_tree(&node, source_name),
    }
}

/// Reads a Postman data export unpacked into a folder (`archive.json` and the files beside it).
pub fn import_dir(path: &Path) -> Result<Imported, ImportError> {
    postman::dump::import_dir(path)
}

/// The name a file gives when its content names nothing: the file name without extensions.
pub(crate) fn stem(source_name: &str) -> String {
    let file = source_name.rsplit(['/', '\\']).next().unwrap_or(source_name);
    let stem = file.split('.').next().unwrap_or(file).trim();
    if stem.is_empty() { "Imported".to_owned() } else { stem.to_owned() }
}

/// A recorded or hand-set `Content-Type: multipart/form-data` (without a boundary, or with
/// the boundary of a body that is not kept) would break the multipart body Localpost builds,
/// which carries its own: such a header is dropped from requests with a multipart body.
pub(crate) fn drop_stale_multipart_type(request: &mut crate::model::Request) {
    if request.body.mode == crate::model::BodyMode::Multipart {
        request.headers.retain(|h| {
            !(h.key.eq_ignore_ascii_case("content-type")
                && h.value.trim().to_ascii_lowercase().starts_with("multipart/form-data"))
        });
    }
}

/// OAuth 1.0's text settings, read through `get` by the names Postman and Insomnia both use
/// (but for the token's, `token_name`); the other settings as by default.
pub(crate) fn oauth1_texts(
    token_name: &str,
    mut get: impl FnMut(&str) -> String,
) -> crate::model::OAuth1Auth {
    crate::model::OAuth1Auth {
        consumer_key: get("consumerKey"),
        consumer_secret: get("consumerSecret"),
        token: get(token_name),
        token_secret: get("tokenSecret"),
        private_key: get("privateKey"),
        callback: get("callback"),
        verifier: get("verifier"),
        timestamp: get("timestamp"),
        nonce: get("nonce"),
        realm: get("realm"),
        ..crate::model::OAuth1Auth::default()
    }
}

/// The text of a file: UTF-8 (a byte order mark dropped), or UTF-16 as Windows tools save it
/// (with a byte order mark, or ASCII text with every other byte zero), which newman reads too.
/// UTF-32 and text in no Unicode encoding are refused by name.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    let utf16 = match bytes {
        [0xFF, 0xFE, 0, 0, ..] => return Err(ImportError::Encoding { encoding: "UTF-32 (little-endian)" }),
        [0, 0, 0xFE, 0xFF, ..] => return Err(ImportError::Encoding { encoding: "UTF-32 (big-endian)" }),
        [0xFF, 0xFE, rest @ ..] => Some((rest, false)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, true)),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some((bytes, false)),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some((bytes, true)),
        _ => None,
    };
    if let Some((body, big_endian)) = utf16 {
        let encoding = if big_endian { "UTF-16 (big-endian)" } else { "UTF-16 (little-endian)" };
        let units = body.chunks(2).map(|pair| match pair {
            [a, b] if big_endian => Ok(u16::from_be_bytes([*a, *b])),
            [a, b] => Ok(u16::from_le_bytes([*a, *b])),
            _ => Err(()),
        });
        let units: Result<Vec<u16>, ()> = units.collect();
        return units
            .ok()
            .and_then(|units| String::from_utf16(&units).ok())
            .map(Cow::Owned)
            .ok_or(ImportError::Encoding { encoding });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(e) if bytes.contains(&0) || looks_binary(bytes) => Err(ImportError::UnknownFormat(format!(
            "binary data (not text: invalid UTF-8 at byte {})",
            e.valid_up_to()
        ))),
        Err(_) => Err(ImportError::Encoding { encoding: "not UTF-8 (perhaps Latin-1 or Windows-1252)" }),
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let control = head.iter().filter(|b| **b < 0x09 || (0x0E..0x20).contains(*b)).count();
    control * 10 > head.len()
}

/// What the text is before its format is known.
pub(crate) enum Document {
    Tree(Node),
    Curl,
}

/// Parses text as JSON (when it starts like JSON), a cURL command, or YAML.
pub(crate) fn read_document(text: &str) -> Result<Document, ImportError> {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(ImportError::UnknownFormat("the file is empty".into()));
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return parse_json(text, sniff(text))
            .map(Document::Tree)
            .map_err(node::SyntaxError::into_import_error);
    }
    if curl::looks_like(trimmed) {
        return Ok(Document::Curl);
    }
    match parse_yaml(text, sniff(text)) {
        Ok(node @ (Node::Object(_) | Node::Array(_))) => Ok(Document::Tree(node)),
        Ok(_) => Err(ImportError::UnknownFormat(
            "plain text, not JSON, YAML or a cURL command (a cURL command starts with `curl`)".into(),
        )),
        Err(e) if e.format.is_none() => Err(ImportError::UnknownFormat(format!(
            "neither JSON, YAML nor a cURL command (as YAML: line {}, column {}: {})",
            e.line, e.column, e.message
        ))),
        Err(e) => Err(e.into_import_error()),
    }
}

/// A guess at the format of text that does not parse, to say what was assumed in the error.
fn sniff(text: &str) -> Option<Format> {
    let head: String = text.chars().take(64 * 1024).collect();
    let trimmed = head.trim_start();
    let first_key = trimmed.strip_prefix('{').and_then(|rest| {
        let rest = rest.trim_start().strip_prefix('"')?;
        rest.find('"').map(|end| &rest[..end])
    });
    let has = |needle: &str| head.contains(needle);
    let yaml_key = |key: &str| head.lines().any(|l| l.starts_with(key));
    if has("schema.getpostman.com/json/collection/v2.0") {
        Some(Format::PostmanCollectionV20)
    } else if has("schema.getpostman.com/json/collection/v2.1") || has("\"_postman_id\"") {
        Some(Format::PostmanCollectionV21)
    } else if has("\"_postman_variable_scope\"") {
        Some(if has("\"globals\"") { Format::PostmanGlobals } else { Format::PostmanEnvironment })
    } else if has("insomnia.rest/5") {
        Some(Format::InsomniaV5)
    } else if has("__export_format") || has("\"_type\": \"export\"") || yaml_key("_type: export") {
        Some(Format::InsomniaV4)
    } else if first_key == Some("log") || (has("\"log\"") && has("\"entries\"")) {
        Some(Format::Har)
    } else if first_key == Some("openapi") || yaml_key("openapi:") || has("\"openapi\":") {
        Some(Format::OpenApi3)
    } else if first_key == Some("swagger") || yaml_key("swagger:") || has("\"swagger\":") {
        Some(Format::Swagger2)
    } else if has("\"collections\"") && has("\"version\"") {
        Some(Format::PostmanDumpLegacy)
    } else if first_key == Some("info") || (has("\"info\"") && has("\"item\"")) {
        Some(Format::PostmanCollectionV21)
    } else {
        None
    }
}

/// Which format a parsed document is, or why it is none.
pub(crate) fn classify(node: &Node) -> Result<Format, ImportError> {
    if let Some(inner) = node.get("collection").filter(|c| c.get("info").is_some()) {
        return Ok(postman_version(inner));
    }
    if node.at("info").is_object() && (node.get("item").is_some() || node.at("info").str("schema").is_some())
    {
        return Ok(postman_version(node));
    }
    if node.at("log").is_object() {
        return Ok(Format::Har);
    }
    if let Some(version) = node.get("openapi") {
        let version = version.to_text();
        return if version.starts_with('3') {
            Ok(Format::OpenApi3)
        } else {
            Err(ImportError::UnknownFormat(format!(
                "OpenAPI {version}: Localpost reads OpenAPI 3.x and Swagger 2.0"
            )))
        };
    }
    if let Some(version) = node.get("swagger") {
        let version = version.to_text();
        return if version.starts_with('2') {
            Ok(Format::Swagger2)
        } else {
            Err(ImportError::UnknownFormat(format!(
                "Swagger {version}: Localpost reads Swagger 2.0 and OpenAPI 3.x"
            )))
        };
    }
    if node.str("_type") == Some("export") || node.get("__export_format").is_some() {
        return Ok(Format::InsomniaV4);
    }
    if node.str("type").is_some_and(|t| t.contains(".insomnia.rest/5")) {
        return Ok(Format::InsomniaV5);
    }
    if node.get("collections").is_some_and(Node::is_array) {
        return Ok(Format::PostmanDumpLegacy);
    }
    // A v2 collection without its `info` block (newman runs these; the file names it): `item`
    // holding requests or folders.
    if node.at("item").items().iter().any(|i| i.get("request").is_some() || i.get("item").is_some()) {
        return Ok(Format::PostmanCollectionV21);
    }
    if postman::v1::looks_like(node) {
        return Ok(Format::PostmanCollectionV1);
    }
    if postman::environment::looks_like(node) {
        return Ok(if node.str("_postman_variable_scope") == Some("globals") {
            Format::PostmanGlobals
        } else {
            Format::PostmanEnvironment
        });
    }
    if postman::environment::looks_like_legacy_globals(node) {
        return Ok(Format::PostmanGlobals);
    }
    if postman::dump::looks_like_archive_index(node) {
        return Err(ImportError::UnknownFormat(
            "this is the index (archive.json) of a Postman data export: import the whole folder or ZIP"
                .into(),
        ));
    }
    let keys: Vec<&str> = node.entries().iter().take(6).map(|(k, _)| k.as_str()).collect();
    Err(ImportError::UnknownFormat(if keys.is_empty() {
        format!(
            "{} that is no Postman, Insomnia, HAR or OpenAPI document",
            match node {
                Node::Array(_) => "a JSON/YAML array",
                _ => "a document",
            }
        )
    } else {
        format!("a document with keys {} is no Postman, Insomnia, HAR or OpenAPI file", keys.join(", "))
    }))
}

fn postman_version(collection: &Node) -> Format {
    let schema = collection.at("info").str("schema").unwrap_or_default();
    if schema.contains("v2.0") { Format::PostmanCollectionV20 } else { Format::PostmanCollectionV21 }
}

/// Imports a parsed document of any format.
pub(crate) fn import_tree(node: &Node, source_name: &str) -> Result<Imported, ImportError> {
    let format = classify(node)?;
    let mut report = Report::default();
    let mut cookies = Vec::new();
    let workspaces = match format {
        Format::PostmanCollectionV20 | Format::PostmanCollectionV21 => {
            let (root, path) = match node.get("collection") {
                Some(inner) if inner.get("info").is_some() => (inner, "$.collection"),
                _ => (node, "$"),
            };
            vec![postman::collection::import(root, path, format, &stem(source_name), &mut report)?]
        }
        Format::PostmanCollectionV1 => vec![postman::dump::import_v1_collection(node, &mut report)?],
        Format::PostmanEnvironment => {
            vec![postman::environment::import_environment(node, &stem(source_name), &mut report)?]
        }
        Format::PostmanGlobals => {
            vec![postman::environment::import_globals(node, &stem(source_name), &mut report)?]
        }
        Format::PostmanDumpLegacy => {
            vec![postman::dump::import_legacy(node, &stem(source_name), &mut report)?]
        }
        Format::InsomniaV4 => {
            let imported = insomnia::import_v4(node, &stem(source_name), &mut report)?;
            cookies = imported.1;
            imported.0
        }
        Format::InsomniaV5 => {
            let imported = insomnia::import_v5(node, &stem(source_name), &mut report)?;
            cookies = imported.1;
            imported.0
        }
        Format::Har => vec![har::import(node, &stem(source_name), &mut report)?],
        Format::OpenApi3 | Format::Swagger2 => {
            vec![openapi::import(node, format, &stem(source_name), &mut report)?]
        }
        Format::Bundle | Format::PostmanDumpArchive | Format::Curl => {
            return Err(ImportError::UnknownFormat(format!(
                "{format} is not read from a single JSON/YAML document"
            )));
        }
    };
    Ok(Imported { format, workspaces, cookies, report, bundle: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Found with newman: an environment saved as UTF-16 with a byte order mark (Windows tools do
    // this) is read by newman; Localpost refused it.
    #[test]
    fn utf16_is_read_and_utf32_refused_by_name() {
        let text = "{\"a\":\"é ✓\"}";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in
            [[vec![0xFF, 0xFE], le.clone()].concat(), [vec![0xFE, 0xFF], be.clone()].concat(), le, be]
        {
            assert_eq!(decode_text(&bytes).unwrap(), text);
        }
        // An odd byte or an unpaired surrogate is named, not guessed at.
        assert!(
            matches!(decode_text(&[0xFF, 0xFE, b'{', 0, b'}']), Err(ImportError::Encoding { encoding }) if encoding.contains("UTF-16"))
        );
        assert!(matches!(decode_text(&[0xFF, 0xFE, 0x00, 0xD8, b'x', 0]), Err(ImportError::Encoding { .. })));
        let utf32: Vec<u8> = [0xFF, 0xFE, 0, 0]
            .into_iter()
            .chain("{}".chars().flat_map(|c| (c as u32).to_le_bytes()))
            .collect();
        let err = import(&utf32, "x.json").unwrap_err();
        assert_eq!(err.to_string(), "the file is UTF-32 (little-endian); save it as UTF-8 and import again");
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode_text(b"\xEF\xBB\xBF{}").unwrap(), "{}");
    }

    #[test]
    fn stem_drops_folders_and_extensions() {
        assert_eq!(stem("/a/b/My API.postman_collection.json"), "My API");
        assert_eq!(stem(""), "Imported");
    }

    #[test]
    fn unknown_json_names_its_keys() {
        let err = import(br#"{"hello": 1}"#, "x.json").unwrap_err();
        assert!(err.to_string().contains("keys hello"), "{err}");
    }

    #[test]
    fn broken_json_says_what_was_assumed_and_where() {
        let err = import(b"{\"info\": {\"name\": \"x\"},\n \"item\": [\n}", "x.json").unwrap_err();
        let ImportError::Syntax { format, line, .. } = err else { panic!("{err:?}") };
        assert_eq!((format, line), (Format::PostmanCollectionV21, 3));
    }
}
