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

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Format, ImportError, Imported, Report};
use crate::model::*;
use crate::storage::layout::{COOKIES_FILE, GLOBALS_FILE, SETTINGS_FILE};
use crate::storage::load::read_document;
use crate::storage::{Place, Store, history, runs};

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

// ---- export ------------------------------------------------------------------------------------

/// Exports `scope` of the data folder into a bundle's text.
pub fn export(
    store: &Store,
    library: &Library,
    scope: &Scope,
    options: ExportOptions,
) -> Result<Exported, BundleError> {
    let mut report = Report::default();
    let (contents, content) = gather(store, library, scope, options, &mut report)?;
    let (text, header) = write(&content, contents, options, OffsetDateTime::now_utc())?;
    Ok(Exported { text, header, report })
}

/// Collects what `scope` covers from the library and the data folder.
pub fn gather(
    store: &Store,
    library: &Library,
    scope: &Scope,
    options: ExportOptions,
    report: &mut Report,
) -> Result<(Contents, BundleContent), BundleError> {
    let mut content = BundleContent::default();
    let contents = match scope {
        Scope::Everything => {
            let settings_path = store.root().join(SETTINGS_FILE);
            if settings_path.exists() {
                match read_document::<Settings>(&settings_path) {
                    Ok(parsed) => content.settings = Some(parsed.entity),
                    Err(e) => report.warn(settings_path.display().to_string(), format!("left out: {e}")),
                }
            }
            for data in library.workspaces.values() {
                content.workspaces.push(whole_workspace(store, data, options, report));
            }
            Contents::Everything
        }
        Scope::Workspace(id) => {
            let data =
                library.workspaces.get(id).ok_or_else(|| BundleError::NotFound(format!("workspace {id}")))?;
            content.workspaces.push(whole_workspace(store, data, options, report));
            Contents::Workspace { id: *id, name: data.workspace.name.clone() }
        }
        Scope::Collection(id) => {
            let data = library
                .workspaces
                .values()
                .find(|w| w.collections.contains_key(id))
                .ok_or_else(|| BundleError::NotFound(format!("collection {id}")))?;
            let mut bw = empty_workspace(data);
            bw.workspace.collections = vec![*id];
            let c = &data.collections[id];
            bw.collections.push(c.clone());
            name_of(store, Place::Collection(*id), &mut bw.file_names);
            add_subtree(store, data, ParentId::Collection(*id), &mut bw);
            content.workspaces.push(bw);
            Contents::Collection { id: *id, name: c.name.clone() }
        }
        Scope::Folder(id) => {
            let data = library
                .workspaces
                .values()
                .find(|w| w.folders.contains_key(id))
                .ok_or_else(|| BundleError::NotFound(format!("folder {id}")))?;
            let mut bw = empty_workspace(data);
            // The chain of containers above, each listing only the next one down.
            let mut below = ItemId::Folder(*id);
            for parent in data.ancestors(ItemId::Folder(*id)) {
                match parent {
                    ParentId::Collection(c) => {
                        let mut collection = data.collections[&c].clone();
                        collection.children = vec![below];
                        bw.workspace.collections = vec![c];
                        bw.collections.push(collection);
                        name_of(store, Place::Collection(c), &mut bw.file_names);
                    }
                    ParentId::Folder(f) => {
                        let mut folder = data.folders[&f].clone();
                        folder.children = vec![below];
                        bw.folders.push(folder);
                        name_of(store, Place::Folder(f), &mut bw.file_names);
                        below = ItemId::Folder(f);
                    }
                }
            }
            bw.folders.reverse();
            let folder = &data.folders[id];
            bw.folders.push(folder.clone());
            name_of(store, Place::Folder(*id), &mut bw.file_names);
            add_subtree(store, data, ParentId::Folder(*id), &mut bw);
            content.workspaces.push(bw);
            Contents::Folder { id: *id, name: folder.name.clone() }
        }
        Scope::Environment(id) => {
            let data = library
                .workspaces
                .values()
                .find(|w| w.environments.contains_key(id))
                .ok_or_else(|| BundleError::NotFound(format!("environment {id}")))?;
            let mut bw = empty_workspace(data);
            bw.workspace.environments = vec![*id];
            let env = &data.environments[id];
            bw.environments.push(env.clone());
            name_of(store, Place::Environment(*id), &mut bw.file_names);
            content.workspaces.push(bw);
            Contents::Environment { id: *id, name: env.name.clone() }
        }
    };
    if options.secrets == Secrets::Exclude {
        let mut left_out = 0;
        for bw in &mut content.workspaces {
            left_out += blank_secrets(bw);
        }
        if let Some(settings) = &mut content.settings {
            left_out += blank_settings_secrets(settings);
        }
        if left_out > 0 {
            report.warn(
                "secrets",
                format!("{left_out} secret values left out (export with secrets included to keep them)"),
            );
        }
    }
    // Files that did not load are not in the library, so not in the bundle: say so.
    let roots: Vec<std::path::PathBuf> = content
        .workspaces
        .iter()
        .filter_map(|bw| store.path_of(Place::Workspace(bw.workspace.id)).map(std::path::Path::to_owned))
        .collect();
    let mut broken: Vec<_> =
        store.broken_files().filter(|(p, _)| roots.iter().any(|r| p.starts_with(r))).collect();
    broken.sort();
    for (path, reason) in broken {
        report
            .warn(path.display().to_string(), format!("did not load, so it is not in the bundle: {reason}"));
    }
    if !contents.is_whole_workspaces() {
        for bw in &mut content.workspaces {
            add_related_records(store, &contents, bw, options, report);
        }
    }
    Ok((contents, content))
}

fn empty_workspace(data: &WorkspaceData) -> BundleWorkspace {
    let mut workspace = data.workspace.clone();
    workspace.collections.clear();
    workspace.environments.clear();
    workspace.header_presets.clear();
    BundleWorkspace {
        workspace,
        globals: None,
        environments: Vec::new(),
        header_presets: Vec::new(),
        collections: Vec::new(),
        folders: Vec::new(),
        requests: Vec::new(),
        cookies: None,
        history: Vec::new(),
        runs: Vec::new(),
        file_names: BTreeMap::new(),
    }
}

fn whole_workspace(
    store: &Store,
    data: &WorkspaceData,
    options: ExportOptions,
    report: &mut Report,
) -> BundleWorkspace {
    let ws = data.id();
    let mut bw = empty_workspace(data);
    bw.workspace = data.workspace.clone();
    let dir = store.path_of(Place::Workspace(ws)).map(std::path::Path::to_owned);
    if dir.as_ref().is_some_and(|d| d.join(GLOBALS_FILE).exists()) || !data.globals.variables.is_empty() {
        bw.globals = Some(data.globals.clone());
    }
    name_of(store, Place::Workspace(ws), &mut bw.file_names);
    for env in data.environments.values() {
        bw.environments.push(env.clone());
        name_of(store, Place::Environment(env.id), &mut bw.file_names);
    }
    for preset in data.header_presets.values() {
        bw.header_presets.push(preset.clone());
        name_of(store, Place::Preset(preset.id), &mut bw.file_names);
    }
    for c in data.collections.values() {
        bw.collections.push(c.clone());
        name_of(store, Place::Collection(c.id), &mut bw.file_names);
        add_subtree(store, data, ParentId::Collection(c.id), &mut bw);
    }
    if let Some(dir) = &dir {
        let cookies = dir.join(COOKIES_FILE);
        if cookies.exists() {
            match read_document::<CookieJar>(&cookies) {
                Ok(parsed) => bw.cookies = Some(parsed.entity),
                Err(e) => report.warn(cookies.display().to_string(), format!("left out: {e}")),
            }
        }
        if options.include_history {
            let (mut entries, problems) = history::load(dir, usize::MAX);
            entries.reverse(); // oldest first
            bw.history = entries;
            for p in problems {
                report.warn(p.path.display().to_string(), format!("history entry left out: {}", p.kind));
            }
        }
        if options.include_runs {
            let (mut list, problems) = runs::load(dir);
            list.reverse();
            bw.runs = list;
            for p in problems {
                report.warn(p.path.display().to_string(), format!("run result left out: {}", p.kind));
            }
        }
    }
    bw
}

/// For a collection, folder or environment: the history of its requests and the runs of it.
fn add_related_records(
    store: &Store,
    contents: &Contents,
    bw: &mut BundleWorkspace,
    options: ExportOptions,
    report: &mut Report,
) {
    let Some(dir) = store.path_of(Place::Workspace(bw.workspace.id)) else { return };
    if options.include_history && !bw.requests.is_empty() {
        let ids: std::collections::HashSet<RequestId> = bw.requests.iter().map(|r| r.id).collect();
        let (mut entries, problems) = history::load(dir, usize::MAX);
        entries.retain(|e| e.request_id.is_some_and(|id| ids.contains(&id)));
        entries.reverse();
        bw.history = entries;
        for p in problems {
            report.warn(p.path.display().to_string(), format!("history entry left out: {}", p.kind));
        }
    }
    if options.include_runs {
        let (mut list, problems) = runs::load(dir);
        list.retain(|run| match contents {
            Contents::Collection { id, .. } => run.target.collection == Some(*id),
            // The folder and those below it (its parents are in the bundle only as context).
            Contents::Folder { id, .. } => run.target.folder.is_some_and(|f| {
                f == *id || bw.folders.iter().skip_while(|x| x.id != *id).any(|x| x.id == f)
            }),
            _ => false,
        });
        list.reverse();
        bw.runs = list;
        for p in problems {
            report.warn(p.path.display().to_string(), format!("run result left out: {}", p.kind));
        }
    }
}

/// Adds every folder and request below `parent`, parents before children.
fn add_subtree(store: &Store, data: &WorkspaceData, parent: ParentId, bw: &mut BundleWorkspace) {
    let mut stack = vec![parent];
    let mut seen = std::collections::HashSet::new();
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
            continue;
        }
        let Some(children) = data.children(p) else { continue };
        for child in children {
            match *child {
                ItemId::Folder(f) => {
                    if let Some(folder) = data.folders.get(&f) {
                        bw.folders.push(folder.clone());
                        name_of(store, Place::Folder(f), &mut bw.file_names);
                        stack.push(ParentId::Folder(f));
                    }
                }
                ItemId::Request(r) => {
                    if let Some(request) = data.requests.get(&r) {
                        bw.requests.push(request.clone());
                        name_of(store, Place::Request(r), &mut bw.file_names);
                    }
                }
            }
        }
    }
}

fn name_of(store: &Store, place: Place, names: &mut BTreeMap<Uuid, String>) {
    let id = match place {
        Place::Workspace(id) | Place::Globals(id) => id.0,
        Place::Collection(id) => id.0,
        Place::Folder(id) => id.0,
        Place::Request(id) => id.0,
        Place::Environment(id) => id.0,
        Place::Preset(id) => id.0,
    };
    if let Some(name) = store.path_of(place).and_then(|p| p.file_name()).and_then(|n| n.to_str()) {
        names.insert(id, name.to_owned());
    }
}

fn secret_variables(data: &WorkspaceData) -> impl Iterator<Item = &Variable> {
    data.globals
        .variables
        .iter()
        .chain(data.environments.values().flat_map(|e| &e.variables))
        .chain(data.collections.values().flat_map(|c| &c.variables))
        .chain(data.folders.values().flat_map(|f| &f.variables))
        .filter(|v| v.secret)
}

fn blank_secrets(bw: &mut BundleWorkspace) -> usize {
    let mut n = 0;
    let mut blank = |vars: &mut Vec<Variable>| {
        for v in vars.iter_mut().filter(|v| v.secret && !v.value.is_empty()) {
            v.value.clear();
            n += 1;
        }
    };
    if let Some(g) = &mut bw.globals {
        blank(&mut g.variables);
    }
    bw.environments.iter_mut().for_each(|e| blank(&mut e.variables));
    bw.collections.iter_mut().for_each(|c| blank(&mut c.variables));
    bw.folders.iter_mut().for_each(|f| blank(&mut f.variables));
    n
}

/// Proxy passwords and certificate passphrases count as secrets too.
fn blank_settings_secrets(settings: &mut Settings) -> usize {
    let mut n = 0;
    if let ProxySetting::Manual { password, .. } = &mut settings.proxy
        && !password.is_empty()
    {
        password.clear();
        n += 1;
    }
    for cert in &mut settings.client_certificates {
        if !cert.passphrase.is_empty() {
            cert.passphrase.clear();
            n += 1;
        }
    }
    n
}

/// Writes a bundle's text (pure: no file system).
pub fn write(
    content: &BundleContent,
    contains: Contents,
    options: ExportOptions,
    created_at: OffsetDateTime,
) -> Result<(String, BundleHeader), BundleError> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false);
    let body = ron::ser::to_string_pretty(content, config).map_err(|e| BundleError::Encode(e.to_string()))?;
    let mut counts = Counts::default();
    for bw in &content.workspaces {
        counts.workspaces += 1;
        counts.of_workspace(&to_workspace_data(bw));
        counts.cookies += bw.cookies.as_ref().map_or(0, |j| j.cookies.len());
        counts.history += bw.history.len();
        counts.runs += bw.runs.len();
    }
    let header = BundleHeader {
        format: BUNDLE_FORMAT,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at,
        contains,
        counts,
        secrets: options.secrets,
        history_included: options.include_history,
        runs_included: options.include_runs,
        content_bytes: body.len() as u64,
        content_sha256: sha256_hex(body.as_bytes()),
    };
    let header_text = ron::ser::to_string(&header).map_err(|e| BundleError::Encode(e.to_string()))?;
    let mut text = String::with_capacity(body.len() + header_text.len() + 200);
    let _ = write!(text, "{FIRST_LINE}\n(\n{HEADER_PREFIX}{header_text},\n{CONTENT_PREFIX}{body}{CLOSING}");
    Ok((text, header))
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in &digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

// ---- import ------------------------------------------------------------------------------------

/// Whether `bytes` look like a bundle (by content, never by file name).
pub fn detect(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 400)];
    head.starts_with(b"// Localpost backup bundle")
        || (head.starts_with(b"(")
            && head.windows(HEADER_PREFIX.len()).any(|w| w == HEADER_PREFIX.as_bytes()))
}

/// Reads a bundle, checking its format version, length and checksum.
pub fn read(bytes: &[u8]) -> Result<(BundleHeader, BundleContent), BundleError> {
    let text = std::str::from_utf8(bytes).map_err(|_| BundleError::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Only line endings can differ after a text-mode copy; the content never holds a raw CR.
    let normalized;
    let text = if text.contains("\r\n") {
        normalized = text.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        text
    };
    let header_start = text
        .find(&format!("\n{HEADER_PREFIX}"))
        .ok_or_else(|| BundleError::Header("no `bundle:` line".into()))?
        + 1
        + HEADER_PREFIX.len();
    let header_end = text[header_start..]
        .find('\n')
        .map(|i| header_start + i)
        .ok_or_else(|| BundleError::Header("the file ends inside the header".into()))?;
    let header_line = text[header_start..header_end].trim_end().trim_end_matches(',');
    let header = parse_header(header_line)?;
    let rest = &text[header_end + 1..];
    let body = rest
        .strip_prefix(CONTENT_PREFIX)
        .ok_or_else(|| BundleError::Header("no `content:` after the header".into()))?;
    let Some(body) = body.strip_suffix(CLOSING) else {
        let found = body.trim_end().trim_end_matches([')', ',', '\n']).len() as u64;
        if found < header.content_bytes {
            return Err(BundleError::Truncated { expected: header.content_bytes, found });
        }
        return Err(BundleError::Content {
            line: text.lines().count(),
            column: 1,
            message: "the file does not end with the bundle's closing `)`".into(),
        });
    };
    if (body.len() as u64) < header.content_bytes {
        return Err(BundleError::Truncated { expected: header.content_bytes, found: body.len() as u64 });
    }
    let found = sha256_hex(body.as_bytes());
    if !found.eq_ignore_ascii_case(&header.content_sha256) {
        return Err(BundleError::Checksum { expected: header.content_sha256.clone(), found });
    }
    let content: BundleContent = ron::from_str(body).map_err(|e| {
        // Lines of the file: three before the content; the first content line starts mid-line.
        let line = e.span.start.line;
        let column = if line == 1 { e.span.start.col + CONTENT_PREFIX.len() } else { e.span.start.col };
        BundleError::Content { line: line + 3, column, message: e.code.to_string() }
    })?;
    Ok((header, content))
}

fn parse_header(line: &str) -> Result<BundleHeader, BundleError> {
    #[derive(Deserialize)]
    struct Probe {
        format: u32,
        #[serde(default)]
        app_version: String,
    }
    match ron::from_str::<BundleHeader>(line) {
        Ok(h) if h.format > BUNDLE_FORMAT => Err(BundleError::NewerFormat {
            found: h.format,
            supported: BUNDLE_FORMAT,
            app_version: h.app_version,
        }),
        Ok(h) => Ok(h),
        Err(e) => match ron::from_str::<Probe>(line) {
            Ok(p) if p.format > BUNDLE_FORMAT => Err(BundleError::NewerFormat {
                found: p.format,
                supported: BUNDLE_FORMAT,
                app_version: p.app_version,
            }),
            _ => Err(BundleError::Header(format!("line 3, column {}: {}", e.span.start.col, e.code))),
        },
    }
}

/// Reads a bundle into the form every import takes.
pub fn import(bytes: &[u8]) -> Result<Imported, ImportError> {
    let (header, content) = read(bytes)?;
    let mut report = Report::default();
    if header.secrets == Secrets::Exclude {
        let secret_vars: usize =
            content.workspaces.iter().map(|bw| secret_variables(&to_workspace_data(bw)).count()).sum();
        if secret_vars > 0 {
            report.warn(
                "secrets",
                format!(
                    "the bundle was exported without secret values: {secret_vars} secret variables come without a value (values already here are kept)"
                ),
            );
        }
    }
    let mut workspaces = Vec::with_capacity(content.workspaces.len());
    let mut extras = IndexMap::new();
    for bw in content.workspaces {
        let data = to_workspace_data(&bw);
        extras.insert(
            data.id(),
            WorkspaceExtras {
                has_globals_file: bw.globals.is_some(),
                cookies: bw.cookies,
                history: bw.history,
                runs: bw.runs,
                file_names: bw.file_names.into_iter().collect(),
            },
        );
        workspaces.push(data);
    }
    Ok(Imported {
        format: Format::Bundle,
        workspaces,
        cookies: Vec::new(),
        report,
        bundle: Some(Box::new(BundleExtras { header, settings: content.settings, workspaces: extras })),
    })
}

fn to_workspace_data(bw: &BundleWorkspace) -> WorkspaceData {
    let mut data = WorkspaceData::new(bw.workspace.clone());
    if let Some(g) = &bw.globals {
        data.globals = g.clone();
    }
    data.collections = bw.collections.iter().map(|c| (c.id, c.clone())).collect();
    data.folders = bw.folders.iter().map(|f| (f.id, f.clone())).collect();
    data.requests = bw.requests.iter().map(|r| (r.id, r.clone())).collect();
    data.environments = bw.environments.iter().map(|e| (e.id, e.clone())).collect();
    data.header_presets = bw.header_presets.iter().map(|p| (p.id, p.clone())).collect();
    data
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
