//! The native backup bundle: everything, one workspace, one collection or folder, or one
//! environment in a single RON file that imports back losslessly.
//!
//! ```text
//! // Localpost backup bundle. ...
//! (
//!     bundle: (format: 1, app_version: "0.1.0", created_at: "...", contains: ..., counts: ..., content_sha256: "..."),
//!     content: (
//!         ...
//!     ),
//! )
//! ```
//!
//! The whole file is one RON value. The header sits on one line; the SHA-256 covers the exact
//! text of `content` (from after `content: ` to the closing `,\n)\n`), so a cut or edited file
//! is refused with a message saying which. Secret values are left out unless asked for; history
//! and run results only when asked for. Ids, order and file names are kept, so restoring a
//! full backup into an empty data folder gives back the same files.

mod format;
mod gather;

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Format, ImportError, Report};
use crate::model::*;
use gather::secret_variables;

pub use self::format::{detect, import, read, write};
pub use self::gather::{export, gather, workspaces_of};

/// The bundle format this version writes and reads.
pub const BUNDLE_FORMAT: u32 = 1;

const FIRST_LINE: &str =
    "// Localpost backup bundle. Do not edit: a SHA-256 guards the content; export again instead.";
const HEADER_PREFIX: &str = "    bundle: ";
const CONTENT_PREFIX: &str = "    content: ";
const CLOSING: &str = ",\n)\n";

/// What to export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every workspace, the settings and the workspace order.
    Everything,
    Workspace(WorkspaceId),
    Collection(CollectionId),
    /// A folder with everything below it, inside its collection (and parent folders) so it
    /// imports back to where it was.
    Folder(FolderId),
    Environment(EnvironmentId),
}

/// Whether secret variable values go into the bundle. The organization policy may forbid
/// [`Secrets::Include`]; the caller decides before asking.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Secrets {
    /// Secret variables are kept, their values left empty.
    #[default]
    Exclude,
    Include,
}

/// How to export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub secrets: Secrets,
    pub include_history: bool,
    pub include_runs: bool,
}

impl ExportOptions {
    /// The records to read from the data folder for this export.
    pub fn records(self) -> crate::storage::records::Include {
        crate::storage::records::Include { history: self.include_history, runs: self.include_runs }
    }
}

/// What a bundle holds, as its header says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Contents {
    Everything,
    Workspace { id: WorkspaceId, name: String },
    Collection { id: CollectionId, name: String },
    Folder { id: FolderId, name: String },
    Environment { id: EnvironmentId, name: String },
}

impl Contents {
    /// Whether the bundle holds whole workspaces (their own fields and orders are part of it).
    pub fn is_whole_workspaces(&self) -> bool {
        matches!(self, Contents::Everything | Contents::Workspace { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            Contents::Everything => "everything (all workspaces and settings)".to_owned(),
            Contents::Workspace { name, .. } => format!("workspace \"{name}\""),
            Contents::Collection { name, .. } => format!("collection \"{name}\""),
            Contents::Folder { name, .. } => format!("folder \"{name}\""),
            Contents::Environment { name, .. } => format!("environment \"{name}\""),
        }
    }
}

/// How many of each thing an import or a bundle holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Counts {
    pub workspaces: usize,
    pub collections: usize,
    pub folders: usize,
    pub requests: usize,
    pub examples: usize,
    pub environments: usize,
    pub header_presets: usize,
    pub global_variables: usize,
    pub secret_values: usize,
    pub cookies: usize,
    pub history: usize,
    pub runs: usize,
}

impl Counts {
    pub fn of_workspace(&mut self, data: &WorkspaceData) {
        self.collections += data.collections.len();
        self.folders += data.folders.len();
        self.requests += data.requests.len();
        self.examples += data.requests.values().map(|r| r.examples.len()).sum::<usize>();
        self.environments += data.environments.len();
        self.header_presets += data.header_presets.len();
        self.global_variables += data.globals.variables.len();
        self.secret_values += secret_variables(data).filter(|v| !v.value.is_empty()).count();
    }

    /// `3 collections, 12 folders, 240 requests, ...`, leaving out what is zero.
    pub fn summary(&self) -> String {
        let parts = [
            (self.workspaces, "workspace"),
            (self.collections, "collection"),
            (self.folders, "folder"),
            (self.requests, "request"),
            (self.examples, "saved example"),
            (self.environments, "environment"),
            (self.header_presets, "header preset"),
            (self.global_variables, "global variable"),
            (self.secret_values, "secret value"),
            (self.cookies, "cookie"),
            (self.history, "history entry"),
            (self.runs, "run result"),
        ];
        let text: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| match (*n, *what) {
                (1, w) => format!("1 {w}"),
                (n, "history entry") => format!("{n} history entries"),
                (n, w) => format!("{n} {w}s"),
            })
            .collect();
        if text.is_empty() { "nothing".to_owned() } else { text.join(", ") }
    }
}

/// The first part of a bundle: what made it, what it holds, and the content's checksum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    pub format: u32,
    pub app_version: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub contains: Contents,
    pub counts: Counts,
    pub secrets: Secrets,
    pub history_included: bool,
    pub runs_included: bool,
    /// Length of the content text in bytes.
    pub content_bytes: u64,
    /// Lowercase hex SHA-256 of the content text.
    pub content_sha256: String,
}

/// The second part of a bundle: the entities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BundleContent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    pub workspaces: Vec<BundleWorkspace>,
}

/// One workspace (or the part of it that was exported).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BundleWorkspace {
    pub workspace: Workspace,
    /// `None` when the workspace had no globals file.
    #[serde(default)]
    pub globals: Option<Globals>,
    #[serde(default)]
    pub environments: Vec<Environment>,
    #[serde(default)]
    pub header_presets: Vec<HeaderPreset>,
    #[serde(default)]
    pub collections: Vec<Collection>,
    #[serde(default)]
    pub folders: Vec<Folder>,
    #[serde(default)]
    pub requests: Vec<Request>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<CookieJar>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunResult>,
    /// The names of files and folders in the data folder, by entity id, so a restore gives
    /// back the same names.
    #[serde(default)]
    pub file_names: BTreeMap<Uuid, String>,
}

/// What a bundle carries beyond [`Imported::workspaces`], for the import pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct BundleExtras {
    pub header: BundleHeader,
    pub settings: Option<Settings>,
    pub workspaces: IndexMap<WorkspaceId, WorkspaceExtras>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkspaceExtras {
    pub has_globals_file: bool,
    pub cookies: Option<CookieJar>,
    pub history: Vec<HistoryEntry>,
    pub runs: Vec<RunResult>,
    pub file_names: HashMap<Uuid, String>,
}

/// Why a bundle could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{0} is not in the data folder")]
    NotFound(String),
    #[error("cannot encode the bundle: {0}")]
    Encode(String),
    #[error("the bundle is not UTF-8 text (was it converted or damaged?)")]
    NotText,
    #[error("the bundle's header is missing or damaged: {0}")]
    Header(String),
    #[error(
        "the bundle was made by Localpost {app_version} in bundle format {found}; this version reads format {supported} and older: update Localpost to import it"
    )]
    NewerFormat { found: u32, supported: u32, app_version: String },
    #[error("the bundle is truncated: its content has {found} of {expected} bytes (copy the file again)")]
    Truncated { expected: u64, found: u64 },
    #[error(
        "the bundle's content does not match its SHA-256 checksum: the file was changed after it was exported (expected {expected}, found {found})"
    )]
    Checksum { expected: String, found: String },
    #[error("the bundle's content is invalid at line {line}, column {column}: {message}")]
    Content { line: usize, column: usize, message: String },
    #[error("cannot read {what} from the data folder: {message}")]
    Read { what: String, message: String },
}

impl From<BundleError> for ImportError {
    fn from(e: BundleError) -> Self {
        match e {
            BundleError::Content { line, column, message } => {
                ImportError::Syntax { format: Format::Bundle, line, column, message }
            }
            other => ImportError::Shape {
                format: Format::Bundle,
                path: "bundle".into(),
                message: other.to_string(),
            },
        }
    }
}

/// A finished export: the file's text and what the user should know about it.
#[derive(Clone, Debug)]
pub struct Exported {
    pub text: String,
    pub header: BundleHeader,
    pub report: Report,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BundleContent {
        let mut ws = Workspace::new("Team");
        let mut c = Collection::new("API");
        let r = Request::new("Get \"user\"\nline two").with_url("{{base}}/users/:id");
        c.children.push(ItemId::Request(r.id));
        ws.collections.push(c.id);
        let mut env = Environment::new("Local");
        env.variables.push(Variable::new("token", "s3cret").secret());
        ws.environments.push(env.id);
        BundleContent {
            settings: None,
            workspaces: vec![BundleWorkspace {
                workspace: ws,
                globals: None,
                environments: vec![env],
                header_presets: Vec::new(),
                collections: vec![c],
                folders: Vec::new(),
                requests: vec![r],
                cookies: None,
                history: Vec::new(),
                runs: Vec::new(),
                file_names: BTreeMap::new(),
            }],
        }
    }

    fn written(content: &BundleContent) -> String {
        let options = ExportOptions { secrets: Secrets::Include, ..ExportOptions::default() };
        write(content, Contents::Everything, options, OffsetDateTime::UNIX_EPOCH).unwrap().0
    }

    #[test]
    fn round_trips_and_is_one_ron_value() {
        let original = sample();
        let text = written(&original);
        assert!(detect(text.as_bytes()));
        let (header, content) = read(text.as_bytes()).unwrap();
        assert_eq!(content, original);
        assert_eq!(header.counts.requests, 1);
        assert_eq!(header.counts.secret_values, 1);
        // Other RON tools can read the file as a whole.
        let value: ron::Value = ron::from_str(&text).unwrap();
        assert!(matches!(value, ron::Value::Map(_)));
    }

    #[test]
    fn crlf_copies_still_verify() {
        let original = sample();
        let text = written(&original).replace('\n', "\r\n");
        assert_eq!(read(text.as_bytes()).unwrap().1, original);
    }

    #[test]
    fn tampering_is_detected() {
        let text = written(&sample()).replace("s3cret", "s3creT");
        let err = read(text.as_bytes()).unwrap_err();
        assert!(matches!(err, BundleError::Checksum { .. }), "{err}");
        assert!(err.to_string().contains("changed after it was exported"), "{err}");
    }

    #[test]
    fn truncation_is_detected_at_any_cut() {
        let text = written(&sample());
        let header_end = text.find("\n    content: ").unwrap();
        for cut in [header_end + 20, text.len() / 2 + header_end / 2, text.len() - 3, text.len() - 1] {
            let err = read(&text.as_bytes()[..cut]).unwrap_err();
            assert!(matches!(err, BundleError::Truncated { .. }), "cut at {cut}: {err}");
        }
        let err = read(&text.as_bytes()[..header_end / 2]).unwrap_err();
        assert!(matches!(err, BundleError::Header(_)), "{err}");
    }

    #[test]
    fn newer_format_says_to_update() {
        let text = written(&sample()).replacen("(format:1,", "(format:9,", 1);
        let err = read(text.as_bytes()).unwrap_err();
        assert!(matches!(err, BundleError::NewerFormat { found: 9, .. }), "{err}");
        assert!(err.to_string().contains("update Localpost"), "{err}");
    }

    #[test]
    fn foreign_text_is_not_a_bundle() {
        assert!(!detect(br#"{"info": {"name": "x"}, "item": []}"#));
        assert!(!detect(b"curl https://example.com"));
    }
}
