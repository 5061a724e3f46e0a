//! Import and export: pure functions from bytes to the model and back, each with a report of
//! what did not map exactly. Nothing here touches the data folder; writing an import goes
//! through [`crate::storage`] after the user has seen the preview.

use std::fmt;

use crate::model::{Cookie, WorkspaceData};

/// Every format Localpost reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// Localpost's own backup bundle (RON).
    Bundle,
    PostmanCollectionV20,
    PostmanCollectionV21,
    PostmanEnvironment,
    PostmanGlobals,
    /// `Backup.postman_dump` (single JSON file, v1 collections inside).
    PostmanDumpLegacy,
    /// The newer data export: a folder or ZIP with `archive.json` and one file per entity.
    PostmanDumpArchive,
    InsomniaV4,
    InsomniaV5,
    Har,
    OpenApi3,
    Swagger2,
    Curl,
    /// A standalone Postman Collection v1 (the shape inside old data dumps).
    PostmanCollectionV1,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Bundle => "Localpost bundle",
            Format::PostmanCollectionV20 => "Postman Collection v2.0",
            Format::PostmanCollectionV21 => "Postman Collection v2.1",
            Format::PostmanEnvironment => "Postman environment",
            Format::PostmanGlobals => "Postman globals",
            Format::PostmanDumpLegacy => "Postman data dump (Backup.postman_dump)",
            Format::PostmanDumpArchive => "Postman data export (archive.json)",
            Format::InsomniaV4 => "Insomnia export v4",
            Format::InsomniaV5 => "Insomnia export v5",
            Format::Har => "HAR 1.2",
            Format::OpenApi3 => "OpenAPI 3",
            Format::Swagger2 => "Swagger 2.0",
            Format::Curl => "cURL command",
            Format::PostmanCollectionV1 => "Postman Collection v1",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

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
    /// The organization policy refuses it; the message names the rule and the file that set it.
    #[error("{0}")]
    Forbidden(crate::policy::PolicyViolation),
    #[error("cannot read {}: {error}", path.display())]
    Read { path: std::path::PathBuf, error: std::io::Error },
}

pub mod apply;
pub mod bundle;
pub mod export;
pub mod foreign;

/// Like [`import`], under the organization policy: the format is told apart first and checked
/// (import allowed, the format in `allowed_import_formats`, no lockdown) before anything is
/// parsed. Every import a user starts goes through here.
pub fn import_allowed(
    bytes: &[u8],
    source_name: &str,
    policy: &crate::policy::EffectivePolicy,
) -> Result<Imported, ImportError> {
    let format = if bundle::detect(bytes) { Some(Format::Bundle) } else { foreign::detect(bytes) };
    match format {
        Some(format) => policy.check_import(format).map_err(ImportError::Forbidden)?,
        // Not a known format: the parser says why, unless importing is off altogether.
        None => policy.check_import_any().map_err(ImportError::Forbidden)?,
    }
    import(bytes, source_name)
}

/// Reads any supported input: a Localpost bundle or another tool's file, told apart by content.
pub fn import(bytes: &[u8], source_name: &str) -> Result<Imported, ImportError> {
    if bundle::detect(bytes) {
        return bundle::import(bytes);
    }
    foreign::import(bytes, source_name)
}
