//! The libraries scripts reach for (`require('lodash')`, `CryptoJS`, `moment`, `tv4`, `uuid`,
//! `xml2Json`, `Buffer`), written for Localpost over the natives; each is compiled to bytecode on first
//! use in the process and evaluated in a sandbox only when a script touches it.

use std::sync::OnceLock;

use super::LibraryError;
use super::error::NativeError;

/// Name, source. Each module's default export is the library. The last three are parts of the
/// sandbox library itself, loaded when a script first needs them (`require` cannot name them).
const LIBRARIES: &[(&str, &str)] = &[
    ("uuid", include_str!("js/libs/uuid.js")),
    ("lodash", include_str!("js/libs/lodash.js")),
    ("crypto-js", include_str!("js/libs/crypto-js.js")),
    ("moment", include_str!("js/libs/moment.js")),
    ("tv4", include_str!("js/libs/tv4.js")),
    ("ajv", include_str!("js/libs/ajv.js")),
    ("xml2js", include_str!("js/libs/xml2js.js")),
    ("buffer", include_str!("js/libs/buffer.js")),
    ("chai-more", include_str!("js/chai-more.js")),
    ("sandbox-sdk", include_str!("js/sandbox-sdk.js")),
    ("sandbox-legacy", include_str!("js/sandbox-legacy.js")),
];

/// The bytecode of library `name`.
pub(super) fn bytecode(name: &str) -> Result<&'static [u8], LibraryError> {
    static CODE: [OnceLock<Result<Vec<u8>, LibraryError>>; LIBRARIES.len()] =
        [const { OnceLock::new() }; LIBRARIES.len()];
    let Some(index) = LIBRARIES.iter().position(|(n, _)| *n == name) else {
        return Err(LibraryError::NotFound { name: name.to_owned() });
    };
    let (name, source) = LIBRARIES[index];
    CODE[index].get_or_init(|| super::context::compile(name, source)).as_deref().map_err(Clone::clone)
}

/// XML as Postman's `xml2Json` gives it (xml2js with `explicitArray: false`): an element with
/// only text is its text; attributes go under `$`, text beside elements or attributes under `_`;
/// repeated elements become an array.
pub(super) fn xml_to_json(text: &str) -> Result<String, NativeError> {
    let doc = roxmltree::Document::parse(text).map_err(NativeError::Xml)?;
    let root = doc.root_element();
    let mut out = serde_json::Map::new();
    out.insert(root.tag_name().name().to_owned(), element(root));
    Ok(serde_json::Value::Object(out).to_string())
}

fn element(node: roxmltree::Node<'_, '_>) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut map = Map::new();
    let attrs: Map<String, Value> =
        node.attributes().map(|a| (a.name().to_owned(), Value::String(a.value().to_owned()))).collect();
    let text: String = node.children().filter(roxmltree::Node::is_text).filter_map(|c| c.text()).collect();
    let text = text.trim();
    let children: Vec<_> = node.children().filter(roxmltree::Node::is_element).collect();
    if attrs.is_empty() && children.is_empty() {
        return Value::String(text.to_owned());
    }
    if !attrs.is_empty() {
        map.insert("$".into(), Value::Object(attrs));
    }
    if !text.is_empty() {
        map.insert("_".into(), Value::String(text.to_owned()));
    }
    for child in children {
        let name = child.tag_name().name().to_owned();
        let value = element(child);
        match map.get_mut(&name) {
            Some(Value::Array(list)) => list.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                map.insert(name, value);
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_shaped_as_xml2js_shapes_it() {
        let json = xml_to_json(r#"<r a="1"><x>one</x><x>two</x><y b="2">t</y><z/></r>"#).unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(v["r"]["$"]["a"], "1");
        assert_eq!(v["r"]["x"], serde_json::json!(["one", "two"]));
        assert_eq!(v["r"]["y"], serde_json::json!({"$": {"b": "2"}, "_": "t"}));
        assert_eq!(v["r"]["z"], "");
        let error = xml_to_json("<unclosed>").unwrap_err();
        assert!(matches!(error, NativeError::Xml(_)) && error.to_string().starts_with("xml2Json: "));
    }

    #[test]
    fn every_library_compiles() {
        for (name, _) in LIBRARIES {
            assert!(bytecode(name).is_ok(), "{name}: {:?}", bytecode(name).err());
        }
        let missing = bytecode("fs").err().map(|e| e.to_string());
        assert_eq!(missing.as_deref(), Some("Cannot find module 'fs'"));
    }
}
