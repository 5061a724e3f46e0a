//! A parsed JSON or YAML document as one tree type, keys kept in the file's order.
//!
//! Importers read other tools' files through this rather than typed structs: those files vary a
//! lot (a field that is a string in one version is an object or an array in another), and a
//! tolerant reader that looks at what is there and reports the rest loses less than a strict one.
//! Objects keep their keys in order (the order of variables, paths and operations matters to a
//! user), and every accessor is total: asking for a missing key or the wrong kind gives `None`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

use crate::interop::{Format, ImportError};

/// One value of a document.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Node {
    #[default]
    Null,
    Bool(bool),
    /// Kept as the text it reads as (`12`, `1.5`), since importers only ever show or copy it.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

static NULL: Node = Node::Null;

impl Node {
    /// The value under `key` in an object (the first one when a file repeats a key).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Like [`Self::get`], but a missing value reads as `null`, for chains of lookups.
    pub fn at(&self, key: &str) -> &Node {
        self.get(key).unwrap_or(&NULL)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string value under `key`.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The text of a scalar under `key` (strings, numbers and booleans; empty for anything else).
    pub fn text(&self, key: &str) -> String {
        self.get(key).map(Node::to_text).unwrap_or_default()
    }

    /// A scalar as text: strings as they are, numbers and booleans as written, `null` as empty,
    /// arrays and objects as compact JSON (so a value someone put there is not lost).
    pub fn to_text(&self) -> String {
        match self {
            Node::Null => String::new(),
            Node::Bool(b) => b.to_string(),
            Node::Number(n) => n.clone(),
            Node::String(s) => s.clone(),
            Node::Array(_) | Node::Object(_) => self.to_json(),
        }
    }

    /// A boolean under `key`; the strings `"true"`/`"false"` count (some exporters write those).
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Node::Bool(b) => Some(*b),
            Node::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Node::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// A non-negative integer (numbers or numeric strings).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Node::Number(n) | Node::String(n) => {
                let n = n.trim();
                n.parse::<u64>().ok().or_else(|| {
                    n.parse::<f64>().ok().filter(|f| f.is_finite() && *f >= 0.0).map(|f| f.round() as u64)
                })
            }
            _ => None,
        }
    }

    pub fn u64(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Node::as_u64)
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Node::Number(n) | Node::String(n) => n.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        }
    }

    /// The items of an array; empty for anything else.
    pub fn items(&self) -> &[Node] {
        match self {
            Node::Array(items) => items,
            _ => &[],
        }
    }

    /// The entries of an object; empty for anything else.
    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Object(entries) => entries,
            _ => &[],
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Node::Array(_))
    }

    /// What kind of value this is, for messages: `a string`, `an object`...
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::String(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }

    /// Compact JSON of the value (numbers as read, strings escaped).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, None, 0);
        out
    }

    /// Indented JSON (two spaces), for example bodies generated from a spec.
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, Some(2), 0);
        out
    }

    fn write_json(&self, out: &mut String, indent: Option<usize>, depth: usize) {
        let newline = |out: &mut String, depth: usize| {
            if let Some(width) = indent {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', width * depth));
            }
        };
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Number(n) => out.push_str(n),
            Node::String(s) => write_json_string(out, s),
            Node::Array(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    item.write_json(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
            Node::Object(entries) => {
                if entries.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    write_json_string(out, key);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    value.write_json(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
        }
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON or YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        // JSON has no NaN or infinity; YAML's `.nan`/`.inf` are kept as their YAML spelling.
        if v.is_nan() {
            Ok(Node::String(".nan".into()))
        } else if v.is_infinite() {
            Ok(Node::String(if v > 0.0 { ".inf" } else { "-.inf" }.into()))
        } else {
            Ok(Node::Number(v.to_string()))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::String(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        // Keys may be numbers or booleans in YAML (`200:` under `responses`); they become text.
        while let Some(key) = map.next_key::<Node>()? {
            let key = match key {
                Node::String(s) => s,
                other => other.to_text(),
            };
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Node::Object(entries))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        // A YAML value with a custom tag (`!Ref x`): keep the value, drop the tag.
        use de::VariantAccess;
        let (tag, variant): (Node, _) = data.variant()?;
        let value: Node = variant.newtype_variant()?;
        Ok(Node::Object(vec![(tag.to_text(), value)]))
    }
}

/// Parses JSON text. On failure the error names `format` and the line and column.
pub(crate) fn parse_json(text: &str, format: Option<Format>) -> Result<Node, SyntaxError> {
    serde_json::from_str::<Node>(text).map_err(|e| {
        let message = strip_position(&e.to_string());
        SyntaxError { format, line: e.line(), column: e.column(), message, language: "JSON" }
    })
}

/// Parses YAML text (JSON is YAML too, but [`parse_json`] is faster and its errors clearer).
pub(crate) fn parse_yaml(text: &str, format: Option<Format>) -> Result<Node, SyntaxError> {
    if let Some((line, column)) = too_deep_flow(text) {
        return Err(SyntaxError {
            format,
            line,
            column,
            message: format!("nested deeper than {MAX_FLOW_DEPTH} levels"),
            language: "YAML",
        });
    }
    serde_yaml_ng::from_str::<Node>(text).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
        SyntaxError { format, line, column, message: strip_position(&e.to_string()), language: "YAML" }
    })
}

/// Deeper `[`/`{` nesting than any real document has. The YAML parser refuses past 128 levels
/// anyway, but only after a scan that takes seconds on a small hostile file; this check is
/// linear and runs first.
const MAX_FLOW_DEPTH: usize = 200;

/// Where unquoted flow brackets first nest deeper than [`MAX_FLOW_DEPTH`], if they do.
fn too_deep_flow(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
            comment = false;
            previous = c;
            continue;
        }
        if comment {
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some((line, column));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = c;
    }
    None
}

/// A syntax error before the format is known for sure.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub format: Option<Format>,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub language: &'static str,
}

impl SyntaxError {
    pub fn into_import_error(self) -> ImportError {
        match self.format {
            Some(format) => ImportError::Syntax {
                format,
                line: self.line,
                column: self.column,
                message: format!("{} ({})", self.message, self.language),
            },
            None => ImportError::UnknownFormat(format!(
                "invalid {} at line {}, column {}: {}",
                self.language, self.line, self.column, self.message
            )),
        }
    }
}

/// serde_json and serde_yaml put ` at line L column C` in their messages; the error carries
/// the position separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_owned(),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_reads_scalars() {
        let node = parse_json(r#"{"b": 1, "a": [true, null, 1.5], "c": {"x": "y"}}"#, None).unwrap();
        let keys: Vec<&str> = node.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(node.text("b"), "1");
        assert_eq!(node.at("a").items()[2].to_text(), "1.5");
        assert_eq!(node.at("c").text("x"), "y");
        assert!(node.at("missing").at("deeper").is_null());
    }

    #[test]
    fn yaml_integer_keys_become_text() {
        let node = parse_yaml("responses:\n  200:\n    description: ok\n", None).unwrap();
        assert_eq!(node.at("responses").at("200").text("description"), "ok");
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let err = parse_json("{\n  \"a\": 1\n  \"b\": 2\n}", Some(Format::Har)).unwrap_err();
        assert_eq!((err.line, err.column), (3, 3));
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn yaml_errors_carry_line() {
        let err = parse_yaml("a: b\n  c: d: e\n", None).unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
    }

    #[test]
    fn deep_yaml_is_refused_quickly() {
        let text = format!("a: {}{}", "[".repeat(50_000), "]".repeat(50_000));
        let started = std::time::Instant::now();
        let err = parse_yaml(&text, None).unwrap_err();
        assert!(started.elapsed().as_secs() < 2);
        assert_eq!((err.line, err.column), (1, 4 + MAX_FLOW_DEPTH));
        // Brackets in quotes and comments do not count.
        let quoted = format!("a: '{}'\n# {}\nb: 1\n", "[".repeat(500), "{".repeat(500));
        assert!(parse_yaml(&quoted, None).is_ok());
    }

    #[test]
    fn yaml_alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut previous = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            text.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
            previous = name;
        }
        let started = std::time::Instant::now();
        assert!(parse_yaml(&text, None).is_err());
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn to_json_round_trips() {
        let text = r#"{"a":[1,"x\"y",{"b":null}],"c":true}"#;
        let node = parse_json(text, None).unwrap();
        assert_eq!(node.to_json(), text);
        assert_eq!(parse_json(&node.to_json_pretty(), None).unwrap(), node);
    }
}
