//! Import and export: pure functions from bytes to the model and back, each with a report of
//! what did not map exactly. Nothing here touches the data folder; writing an import goes
//! through [`crate::storage`] after the user has seen the preview.

use std::fmt;

use crate::model::{Cookie, WorkspaceData};

pub use crate::model::Format;

/// Something an import or export could not carry over exactly. The import still succeeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Where in the input (or the model) it is: `Users / Create user: auth`, `item[3].request.body`.
    pub location: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// What an import or export noticed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub warnings: Vec<Warning>,
}

impl Report {
    pub fn warn(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning { location: location.into(), message: message.into() });
    }
}

/// The result of reading a file: one or more workspace fragments (collections with their
/// folders and requests, environments, globals, header presets) and cookies.
#[derive(Clone, Debug)]
pub struct Imported {
    pub format: Format,
    /// Usually one. Its `workspace.name` is the name the source gave (or the file's).
    pub workspaces: Vec<WorkspaceData>,
    pub cookies: Vec<Cookie>,
    pub report: Report,
    /// What only a Localpost bundle carries (settings, history, runs, file names); `None` for
    /// other formats.
    pub bundle: Option<Box<bundle::BundleExtras>>,
}

/// Why an input could not be imported. Nothing is written when this happens.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("not a format Localpost imports: {0}")]
    UnknownFormat(String),
    #[error("the file is {encoding}; save it as UTF-8 and import again")]
    Encoding { encoding: &'static str },
    #[error("read as {format}: invalid syntax at line {line}, column {column}: {message}")]
    Syntax { format: Format, line: usize, column: usize, message: String },
    #[error("read as {format}: {path}: {message}")]
    Shape { format: Format, path: String, message: String },
    #[error("cannot read {}: {error}", path.display())]
    Read { path: std::path::PathBuf, error: std::io::Error },
}

/// What a JSON value is, for messages: "a string", "an array", "null".
pub fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub mod apply;
pub mod bundle;
pub mod export;
pub mod foreign;
pub mod graphql;

/// Which format `bytes` are in, told apart by content as [`import`] does; `None` when none.
/// A caller checks it against the organization policy before importing (every import a user
/// starts does: `EffectivePolicy::check_import_of`).
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if bundle::detect(bytes) { Some(Format::Bundle) } else { foreign::detect(bytes) }
}

/// Reads any supported input: a Localpost bundle or another tool's file, told apart by content.
pub fn import(bytes: &[u8], source_name: &str) -> Result<Imported, ImportError> {
    if bundle::detect(bytes) {
        return bundle::import(bytes);
    }
    foreign::import(bytes, source_name)
}
