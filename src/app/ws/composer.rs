//! The message composer of a WebSocket tab: what is typed, in which format, and turning it into
//! the frame that is sent (JSON checked, binary decoded from hex or base64).

use base64::Engine as _;

use crate::model::{MessageFormat, SavedMessage};

/// How binary input is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BinaryInput {
    #[default]
    Hex,
    Base64,
}

impl BinaryInput {
    pub const ALL: [BinaryInput; 2] = [BinaryInput::Hex, BinaryInput::Base64];

    pub fn label(self) -> &'static str {
        match self {
            BinaryInput::Hex => "Hex",
            BinaryInput::Base64 => "Base64",
        }
    }
}

/// The composer's state.
#[derive(Clone, Debug, Default)]
pub struct Composer {
    pub format: MessageFormat,
    pub binary_input: BinaryInput,
    pub text: String,
    /// The name typed for "Save message".
    pub save_name: String,
    /// Why the last send or pretty-print was refused.
    pub error: Option<String>,
    /// The text last checked as JSON and what the check found (the check runs when the text
    /// changes, not every frame).
    json_checked: Option<(String, Option<String>)>,
}

/// A frame ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    Text(String),
    Binary(Vec<u8>),
}

impl Composer {
    /// The frame for `text` (variables already resolved), or why it cannot be sent.
    pub fn encode(format: MessageFormat, binary_input: BinaryInput, text: &str) -> Result<Outgoing, String> {
        match format {
            MessageFormat::Text => Ok(Outgoing::Text(text.to_owned())),
            MessageFormat::Json => json_error(text).map_or_else(|| Ok(Outgoing::Text(text.to_owned())), Err),
            MessageFormat::Binary => decode_binary(binary_input, text).map(Outgoing::Binary),
        }
    }

    /// Why the JSON message is not valid JSON, checked again only when its text changed.
    pub fn json_warning(&mut self) -> Option<&str> {
        if self.format != MessageFormat::Json || self.text.trim().is_empty() {
            return None;
        }
        if self.json_checked.as_ref().is_none_or(|(text, _)| *text != self.text) {
            self.json_checked = Some((self.text.clone(), json_error(&self.text)));
        }
        self.json_checked.as_ref().and_then(|(_, error)| error.as_deref())
    }

    /// Re-indents JSON text; an error names the line and column.
    pub fn pretty(&mut self) {
        match serde_json::from_str::<serde_json::Value>(&self.text) {
            Ok(value) => {
                if let Ok(text) = serde_json::to_string_pretty(&value) {
                    self.text = text;
                    self.error = None;
                }
            }
            Err(e) => self.error = Some(json_message(&e)),
        }
    }

    /// The composer as a saved message (binary kept as base64, see [`crate::model::websocket`]).
    pub fn to_saved(&self, name: &str) -> Result<SavedMessage, String> {
        let body = match self.format {
            MessageFormat::Binary => {
                let bytes = decode_binary(self.binary_input, &self.text)?;
                base64::engine::general_purpose::STANDARD.encode(bytes)
            }
            _ => self.text.clone(),
        };
        let name = if name.trim().is_empty() { default_name(&self.text) } else { name.trim().to_owned() };
        Ok(SavedMessage::new(name, self.format, body))
    }

    /// Puts a saved message in the composer.
    pub fn load(&mut self, message: &SavedMessage) {
        self.format = message.format;
        self.text = message.body.clone();
        if message.format == MessageFormat::Binary {
            self.binary_input = BinaryInput::Base64;
        }
        self.save_name = message.name.clone();
        self.error = None;
    }
}

/// A saved message's name when none was typed: its first words.
fn default_name(text: &str) -> String {
    let first: String = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(30).collect();
    if first.is_empty() { "Message".to_owned() } else { first }
}

/// Why `text` is not JSON (with its line and column), or `None` when it is.
pub fn json_error(text: &str) -> Option<String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).err().map(|e| json_message(&e))
}

fn json_message(e: &serde_json::Error) -> String {
    let what = e.to_string();
    // serde_json ends its messages with " at line L column C"; say it first.
    let what = what.split(" at line ").next().unwrap_or(&what).to_owned();
    format!("Not valid JSON at line {}, column {}: {what}", e.line(), e.column())
}

/// Bytes from hex (spaces, newlines and `0x` prefixes allowed) or base64 (standard or URL-safe,
/// padding optional).
pub fn decode_binary(input: BinaryInput, text: &str) -> Result<Vec<u8>, String> {
    match input {
        BinaryInput::Hex => decode_hex(text),
        BinaryInput::Base64 => {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let trimmed = compact.trim_end_matches('=');
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(trimmed)
                .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed))
                .map_err(|e| format!("Not valid base64: {e}"))
        }
    }
}

fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
    let mut digits = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == ',') {
        let word = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")).unwrap_or(word);
        for (i, c) in word.chars().enumerate() {
            let Some(d) = c.to_digit(16) else {
                return Err(format!("Not valid hex: `{c}` in `{word}` (position {})", i + 1));
            };
            digits.push(d as u8);
        }
    }
    if digits.len() % 2 != 0 {
        return Err(format!("Not valid hex: {} digits, an even number is needed", digits.len()));
    }
    Ok(digits.chunks(2).map(|pair| (pair[0] << 4) | pair[1]).collect())
}

/// `bytes` as spaced hex (`0a ff 10`), at most `max` of them, with "…" when cut.
pub fn hex_preview(bytes: &[u8], max: usize) -> String {
    let mut out = String::with_capacity(bytes.len().min(max) * 3 + 2);
    for (i, b) in bytes.iter().take(max).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{b:02x}"));
    }
    if bytes.len() > max {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_checked_with_its_position() {
        assert_eq!(
            Composer::encode(MessageFormat::Json, BinaryInput::Hex, r#"{"a": 1}"#),
            Ok(Outgoing::Text(r#"{"a": 1}"#.into()))
        );
        let err = Composer::encode(MessageFormat::Json, BinaryInput::Hex, "{\n  \"a\": }").unwrap_err();
        assert!(err.starts_with("Not valid JSON at line 2, column"), "{err}");
    }

    #[test]
    fn the_json_warning_follows_the_text() {
        let mut c = Composer { format: MessageFormat::Json, text: "{\"a\": ".into(), ..Composer::default() };
        assert!(c.json_warning().unwrap().starts_with("Not valid JSON at line 1"));
        c.text.push_str("1}");
        assert_eq!(c.json_warning(), None);
        c.format = MessageFormat::Text;
        c.text.push('x');
        assert_eq!(c.json_warning(), None, "only JSON messages are checked");
    }

    #[test]
    fn binary_from_hex_and_base64() {
        assert_eq!(decode_binary(BinaryInput::Hex, "0x01 ff\n10"), Ok(vec![1, 255, 16]));
        assert!(decode_binary(BinaryInput::Hex, "abc").unwrap_err().contains("even"));
        assert!(decode_binary(BinaryInput::Hex, "zz").unwrap_err().contains("`z`"));
        assert_eq!(decode_binary(BinaryInput::Base64, "AQL/"), Ok(vec![1, 2, 255]));
        assert_eq!(decode_binary(BinaryInput::Base64, "AQI"), Ok(vec![1, 2]));
        assert!(decode_binary(BinaryInput::Base64, "!!").is_err());
        assert_eq!(hex_preview(&[1, 2, 3], 2), "01 02 …");
    }

    #[test]
    fn saved_binary_is_base64_and_loads_back() {
        let composer = Composer {
            format: MessageFormat::Binary,
            binary_input: BinaryInput::Hex,
            text: "de ad be ef".into(),
            ..Composer::default()
        };
        let saved = composer.to_saved("").unwrap();
        assert_eq!(saved.body, "3q2+7w==");
        let mut again = Composer::default();
        again.load(&saved);
        assert_eq!(
            Composer::encode(again.format, again.binary_input, &again.text),
            Ok(Outgoing::Binary(vec![0xde, 0xad, 0xbe, 0xef]))
        );
    }

    #[test]
    fn pretty_reindents_or_says_where() {
        let mut c = Composer { text: r#"{"a":[1,2]}"#.into(), ..Composer::default() };
        c.pretty();
        assert!(c.text.contains("\n  \"a\""));
        c.text = "[1,".into();
        c.pretty();
        assert!(c.error.as_deref().is_some_and(|e| e.contains("line 1")));
    }
}
