//! What can be wrong with a policy source (each puts Localpost in Lockdown), and the refusals the
//! effective policy hands to the rest of the app.

use std::fmt;
use std::path::PathBuf;

use super::keys::ProxyError;
use super::parse::DataDirError;
use crate::model::Format;

/// A line and column in a policy file, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why a policy source could not be used. Any of these puts Localpost in Lockdown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read: {message}")]
    Read { message: String },
    #[error("is a folder, not a file")]
    Folder,
    #[error("is not a regular file")]
    NotRegular,
    #[error("expected a folder here")]
    NotAFolder,
    #[error("is a symbolic link to a file that does not exist: {message}")]
    DanglingLink { message: String },
    #[error("is owned by user id {uid}; policy files and their folders must be owned by root: {}", path.display())]
    WrongOwner { path: PathBuf, uid: u32 },
    #[error(
        "is writable by group or others (mode {mode:o}); policy files and their folders must not be: {}",
        path.display()
    )]
    Writable { path: PathBuf, mode: u32 },
    #[error("is empty")]
    Empty,
    #[error("is larger than {limit_bytes} bytes")]
    TooLarge { limit_bytes: usize },
    #[error("is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("{message}")]
    Parse { position: Position, message: String },
    /// A key written twice: which of the two counts would be a guess, so the file is refused.
    #[error("{key} is set more than once (again here); keep one")]
    DuplicateKey { key: String, position: Position },
    #[error("missing `schema_version`; add `schema_version: {supported},`")]
    MissingSchemaVersion { supported: u32 },
    #[error("schema_version {found} is not supported; this Localpost reads schema_version {supported}")]
    UnsupportedSchema { position: Option<Position>, found: u32, supported: u32 },
    #[error("unknown keys while `strict: true`: {}", keys.join(", "))]
    UnknownKeysUnderStrict { position: Option<Position>, keys: Vec<String> },
    /// A key whose bad value has no safe fallback (`proxy`, `data_dir`).
    #[error("{key}: {reason}")]
    BadValue { key: &'static str, position: Option<Position>, reason: BadValueReason },
}

/// What is wrong with the value of a key that has no safe fallback.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadValueReason {
    #[error(transparent)]
    Proxy(#[from] ProxyError),
    #[error(transparent)]
    DataDir(#[from] DataDirError),
}

impl SourceError {
    /// Where in the file the problem is, when it is at one place.
    pub fn position(&self) -> Option<Position> {
        match self {
            SourceError::Parse { position, .. } | SourceError::DuplicateKey { position, .. } => {
                Some(*position)
            }
            SourceError::UnsupportedSchema { position, .. }
            | SourceError::UnknownKeysUnderStrict { position, .. }
            | SourceError::BadValue { position, .. } => *position,
            _ => None,
        }
    }
}

/// A source that failed, with the file it is about: `/etc/localpost/policy.ron:3:7: ...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceProblem {
    /// The file's path, or `built-in policy` for the shipped baseline.
    pub source: String,
    pub error: SourceError,
}

impl fmt::Display for SourceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error.position() {
            Some(p) => write!(f, "{}:{p}: {}", self.source, self.error),
            None => write!(f, "{}: {}", self.source, self.error),
        }
    }
}

/// Something the organization policy does not allow. The message names the rule and the file
/// that set it, so the user knows whom to ask.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyViolation {
    #[error("{action} is blocked: the organization policy is in lockdown ({reason})")]
    Lockdown { action: &'static str, reason: String },
    #[error("the scheme `{scheme}` is not in allowed_schemes ({allowed}) set by {by}")]
    SchemeNotAllowed { scheme: String, allowed: String, by: String },
    #[error("the URL has no host; the organization policy only allows requests to hosts")]
    NoHost,
    #[error("the host {host} is blocked by the blocked_hosts rule `{pattern}` in {by}")]
    HostBlocked { host: String, pattern: String, by: String },
    #[error("the host {host} is not in allowed_hosts ({allowed}) set by {by}")]
    HostNotAllowed { host: String, allowed: String, by: String },
    #[error(
        "turning TLS certificate verification off is not allowed (allow_tls_verification_bypass is false in {by})"
    )]
    TlsBypassForbidden { by: String },
    #[error("importing is not allowed (allow_import is false in {by})")]
    ImportForbidden { by: String },
    #[error("importing {format} is not allowed (allowed_import_formats in {by})")]
    ImportFormatForbidden { format: Format, by: String },
    #[error("exporting is not allowed (allow_export is false in {by})")]
    ExportForbidden { by: String },
    #[error("exporting secret values is not allowed (allow_secrets_in_exports is false in {by})")]
    SecretsInExportForbidden { by: String },
    #[error("the response is larger than {limit_bytes} bytes (max_response_size_bytes in {by})")]
    ResponseTooLarge { limit_bytes: u64, by: String },
    #[error("scripts are turned off by the organization's policy (allow_scripts is false in {by})")]
    ScriptsForbidden { by: String },
}
