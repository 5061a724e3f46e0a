//! Errors of the storage layer, and the problems a load or `doctor` reports.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::model::{ParentId, WorkspaceId};

/// An operation on the data folder that failed. Each names the file it was about and says the
/// OS's reason in its message (so the reason is not also a `source`: a chain printed whole would
/// say it twice).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {}: {error}", path.display())]
    Read { path: PathBuf, error: io::Error },
    #[error("cannot write {}: {error}", path.display())]
    Write { path: PathBuf, error: io::Error },
    #[error("cannot remove {}: {error}", path.display())]
    Remove { path: PathBuf, error: io::Error },
    #[error("cannot move {} to {}: {error}", from.display(), to.display())]
    Move { from: PathBuf, to: PathBuf, error: io::Error },
    #[error("cannot open {}: {error}", path.display())]
    Open { path: PathBuf, error: io::Error },
    #[error("cannot encode {what} as RON: {message}")]
    Encode { what: String, message: String },
    /// A file Localpost wrote for itself (a staged write's intent) that does not parse.
    #[error("{} is not readable: {error}", path.display())]
    Decode { path: PathBuf, error: Box<ron::error::SpannedError> },
    #[error("{} exists but is not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("{kind} {id} is not in the data folder (it may have been deleted or failed to load)")]
    Unknown { kind: &'static str, id: String },
    #[error("{} did not load ({reason}); it is left untouched until it is fixed", path.display())]
    Broken { path: PathBuf, reason: String },
    #[error("{} could not be parsed: {problem}", path.display())]
    Parse { path: PathBuf, problem: ProblemKind },
    #[error("{} was changed by another program since it was read; nothing was written", path.display())]
    ChangedOnDisk { path: PathBuf },
    #[error(
        "{kind} \"{name}\" is already here in {}, which did not load ({reason}); nothing was written \
         beside it: fix or remove that file, then try again",
        path.display()
    )]
    Shadowed { kind: &'static str, name: String, path: PathBuf, reason: String },
}

impl StoreError {
    pub(crate) fn read(path: impl Into<PathBuf>, error: io::Error) -> Self {
        Self::Read { path: path.into(), error }
    }

    pub(crate) fn write(path: impl Into<PathBuf>, error: io::Error) -> Self {
        Self::Write { path: path.into(), error }
    }
}

/// How bad a problem is. Errors mean a file did not load; warnings mean it loaded with a caveat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One thing wrong in the data folder, tied to the file it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub path: PathBuf,
    pub kind: ProblemKind,
    /// The workspace it was found in, if any.
    pub workspace: Option<WorkspaceId>,
    /// The container whose folder holds the file, so the tree can show a broken entry in place.
    pub parent: Option<ParentId>,
}

impl Problem {
    /// Whether something did not load (rather than loaded with a warning).
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// Whether the file itself did not load (and so must not be overwritten).
    pub fn is_broken_file(&self) -> bool {
        self.kind.severity() == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::Parse { line, column, .. } if *line > 0 => {
                write!(f, "{}:{line}:{column}: {}", self.path.display(), self.kind)
            }
            _ => write!(f, "{}: {}", self.path.display(), self.kind),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ProblemKind {
    /// The file or folder could not be read (permission denied, I/O error).
    Io(String),
    /// The file is not valid RON for what it should hold.
    Parse { line: usize, column: usize, message: String },
    /// The file is not UTF-8 text.
    NotText,
    /// Written by a newer Localpost whose format this version does not read.
    NewerFormat { found: u32, supported: u32 },
    /// An older format that could not be upgraded.
    Migration(MigrationError),
    /// Fields this version does not know; they are dropped if this entity is saved from here.
    UnknownFields(Vec<String>),
    /// Another file already has this id; this one is not loaded.
    DuplicateId { id: String, first: PathBuf },
    /// A parent's order names a child that is not there.
    MissingChild { id: String },
    /// A child that is in the parent's folder but not in its order; shown at the end.
    Unlisted { id: String },
    /// A child listed twice in orders; only its first listing counts.
    ListedTwice { id: String },
    /// A file where a folder is expected, or the reverse.
    WrongKind { expected: &'static str },
    /// A workspace, collection or folder folder without its own file (`file`); what it holds
    /// is shown under a placeholder.
    MissingFolderFile { file: &'static str },
    /// Something the data folder does not use; left alone.
    Unexpected,
    /// The secrets file is readable by others.
    SecretsPermissions { mode: u32 },
    /// A secret value whose variable no longer exists.
    OrphanSecret { id: String },
    /// Not a regular file (a pipe, a socket, a device): never opened, so it cannot hang a read.
    NotRegularFile,
    /// A staged write (an import, a restore) interrupted by a crash that could not be finished
    /// or undone; its staging folder is left in place.
    InterruptedWrite(String),
}

impl ProblemKind {
    pub fn severity(&self) -> Severity {
        match self {
            ProblemKind::Io(_)
            | ProblemKind::Parse { .. }
            | ProblemKind::NotText
            | ProblemKind::NewerFormat { .. }
            | ProblemKind::Migration(_)
            | ProblemKind::DuplicateId { .. }
            | ProblemKind::WrongKind { .. }
            | ProblemKind::MissingFolderFile { .. }
            | ProblemKind::NotRegularFile
            | ProblemKind::InterruptedWrite(_) => Severity::Error,
            ProblemKind::UnknownFields(_)
            | ProblemKind::MissingChild { .. }
            | ProblemKind::Unlisted { .. }
            | ProblemKind::ListedTwice { .. }
            | ProblemKind::Unexpected
            | ProblemKind::SecretsPermissions { .. }
            | ProblemKind::OrphanSecret { .. } => Severity::Warning,
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Io(message) => write!(f, "cannot read: {message}"),
            ProblemKind::Parse { message, .. } => write!(f, "not valid: {message}"),
            ProblemKind::NotText => f.write_str("not UTF-8 text"),
            ProblemKind::NewerFormat { found, supported } => write!(
                f,
                "written in format {found} by a newer Localpost; this version reads up to format {supported}"
            ),
            ProblemKind::Migration(error) => write!(f, "cannot upgrade from an older format: {error}"),
            ProblemKind::UnknownFields(fields) => write!(
                f,
                "fields unknown to this version (kept in the file, but lost if this entity is saved here): {}",
                fields.join(", ")
            ),
            ProblemKind::DuplicateId { id, first } => {
                write!(f, "id {id} is already used by {}; this file was not loaded", first.display())
            }
            ProblemKind::MissingChild { id } => write!(f, "order lists {id}, which is not there"),
            ProblemKind::Unlisted { id } => write!(f, "{id} is not in its parent's order; shown last"),
            ProblemKind::ListedTwice { id } => write!(f, "{id} is listed more than once; the first counts"),
            ProblemKind::WrongKind { expected } => write!(f, "expected a {expected}"),
            ProblemKind::MissingFolderFile { file } => {
                write!(
                    f,
                    "folder has no {file}; what it holds is shown under a placeholder named after the folder"
                )
            }
            ProblemKind::Unexpected => f.write_str("not part of the data folder's layout; ignored"),
            ProblemKind::SecretsPermissions { mode } => {
                write!(f, "secrets file is readable by others (mode {mode:o}); it should be 600")
            }
            ProblemKind::OrphanSecret { id } => {
                write!(f, "secret value for variable {id}, which no longer exists")
            }
            ProblemKind::NotRegularFile => {
                f.write_str("not a regular file (a pipe, socket or device); not read")
            }
            ProblemKind::InterruptedWrite(message) => write!(
                f,
                "an import or restore interrupted by a crash could not be finished or undone: {message}"
            ),
        }
    }
}

/// Why a file in an older format could not be upgraded to today's (see
/// [`super::document::Migration`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    /// No step upgrades this format for this kind of file.
    #[error("no upgrade from format {from}")]
    NoStep { from: u32 },
    /// A step found a value of another shape than its format has.
    #[error("{at} is not {expected}")]
    Shape { at: &'static str, expected: &'static str },
    /// A step did not find a field its format has.
    #[error("`{field}` is missing")]
    MissingField { field: &'static str },
    /// The upgraded value does not read as today's shape.
    #[error("{error}")]
    Decode { error: Box<ron::Error> },
    /// The upgraded value holds no entity.
    #[error("upgraded file has no `{key}`")]
    NoEntity { key: &'static str },
}

/// Something a crash left that opening the data folder put right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    pub path: PathBuf,
    pub kind: RepairKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepairKind {
    /// An import or restore had begun moving files into place: the rest were moved.
    WriteCompleted { moves: usize },
    /// An import or restore had failed and was being undone: the undo was finished.
    WriteRolledBack { moves: usize },
    /// An import or restore had not changed anything yet: its staged files were removed.
    StagingRemoved,
    /// A temporary file of a write that never finished.
    TempFileRemoved,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match self.kind {
            RepairKind::WriteCompleted { moves } => write!(
                f,
                "an import or restore interrupted by a crash was completed ({moves} moves from {path}): \
                 the data folder holds it whole"
            ),
            RepairKind::WriteRolledBack { moves } => write!(
                f,
                "a failed import or restore interrupted by a crash was undone ({moves} moves from {path}): \
                 the data folder is as it was before it"
            ),
            RepairKind::StagingRemoved => write!(
                f,
                "an import or restore interrupted before it changed anything was discarded ({path}): \
                 the data folder is as it was before it"
            ),
            RepairKind::TempFileRemoved => write!(f, "removed {path}, left by a write that never finished"),
        }
    }
}

/// What a load found besides the data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadReport {
    pub problems: Vec<Problem>,
    /// What a crash left, put right before or while loading.
    pub repairs: Vec<Repair>,
}

impl LoadReport {
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity() == Severity::Error)
    }

    /// No problem (repairs made are not problems).
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}
