//! From an import to the data folder's next state: preview, conflicts, choices. Pure: this
//! module reads and writes nothing; the caller does both, through storage.
//!
//! ```text
//! Imported --plan(&Library, Target)--> ImportPlan (counts, conflicts)
//!     --merge(Choices, &Library, LocalFiles)--> Merged (next library, extras) --write_library--> files
//! ```
//!
//! [`plan`] decides where each imported workspace goes, gives fresh ids to anything whose id is
//! already used elsewhere (another workspace, another variable), and lists the conflicts: items
//! of the target workspace with the same id, and whether they differ. [`merge`] takes the user's
//! [`Choices`] (per import and per item: overwrite, keep both, skip) and what the data folder
//! holds outside the library ([`LocalFiles`]: cookie jars and settings, read by
//! [`Store::local_files`]) and builds the resulting library in memory; the caller hands it to
//! [`Store::write_library`], which stages every file and moves them into place, all or nothing.
//!
//! ```ignore
//! let plan = apply::plan(&imported, &library, &target)?;
//! let local = store.local_files(plan.existing_targets());
//! let applied = apply::merge(&plan, &choices, &library, &local)?
//!     .commit(&mut library, |current, next, extras| store.write_library(current, next, extras))?;
//! ```
//!
//! What each choice means:
//! - **Overwrite**: the imported item replaces the local one (and moves to where the import puts
//!   it). A container keeps its local-only children, in their places next to the imported ones.
//!   An empty secret value in the import never wipes a value that is here.
//! - **Keep both**: the imported item comes in as a copy with new ids (a container with its whole
//!   subtree) named "<name> (imported)"; the local one is untouched.
//! - **Skip**: the local item stays as it is. A skipped container still receives the imported
//!   children that are new here.

mod merge;
mod plan;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;

use uuid::Uuid;

use super::bundle::Counts;
use super::{Format, Imported, Report};
use crate::model::*;
#[cfg(doc)]
use crate::storage::Store;
use crate::storage::StoreError;
use crate::storage::stage::{Extras, Written};
use plan::{entity_ids, keep_settings_secrets, remap, remap_records, same_settings, variable_lists_mut};

pub use self::merge::merge;
pub use self::plan::plan;
pub use crate::storage::stage::LocalFiles;

/// Where an import goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A bundle's workspaces go back to the workspaces with their ids (created when missing);
    /// anything else goes into the first workspace (created when there is none).
    Auto,
    /// Everything goes into this existing workspace.
    Workspace(WorkspaceId),
    /// Everything goes into a new workspace with this name.
    NewWorkspace(String),
}

/// The kind of an item that can conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Workspace,
    Settings,
    Globals,
    Environment,
    HeaderPreset,
    Collection,
    Folder,
    Request,
}

impl ItemKind {
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Workspace => "workspace",
            ItemKind::Settings => "settings",
            ItemKind::Globals => "globals",
            ItemKind::Environment => "environment",
            ItemKind::HeaderPreset => "header preset",
            ItemKind::Collection => "collection",
            ItemKind::Folder => "folder",
            ItemKind::Request => "request",
        }
    }
}

/// Names an item of an import: its kind and its id as the import has it (for globals, the
/// target workspace's id; for settings, the nil id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemKey {
    pub kind: ItemKind,
    pub id: Uuid,
}

/// An imported item whose id is already in the target workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub key: ItemKey,
    /// The imported item's name.
    pub name: String,
    /// Where the local item is, e.g. `Team / Users API / Admin / Get user`.
    pub local_path: String,
    /// Whether the imported item differs from the local one (containers: their own fields,
    /// not their children, which are items of their own).
    pub changed: bool,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.changed { "changed" } else { "unchanged" };
        write!(f, "{} \"{}\" ({state}; here: {})", self.key.kind.label(), self.name, self.local_path)
    }
}

/// What to do with a conflicting item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resolution {
    Overwrite,
    KeepBoth,
    Skip,
}

impl Resolution {
    pub fn label(self) -> &'static str {
        match self {
            Resolution::Overwrite => "overwrite",
            Resolution::KeepBoth => "keep both",
            Resolution::Skip => "skip",
        }
    }
}

/// The user's choices: one for the whole import, and any per item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choices {
    pub default: Resolution,
    pub items: HashMap<ItemKey, Resolution>,
}

impl Choices {
    pub fn all(default: Resolution) -> Self {
        Self { default, items: HashMap::new() }
    }

    #[must_use]
    pub fn with(mut self, key: ItemKey, resolution: Resolution) -> Self {
        self.items.insert(key, resolution);
        self
    }

    /// The choice for a conflict: its own, else the default for a changed item. An unchanged
    /// item without a choice of its own is overwritten, which writes nothing new (copying or
    /// skipping what is identical would only make duplicates or lose the imported order).
    pub fn for_conflict(&self, conflict: &Conflict) -> Resolution {
        match self.items.get(&conflict.key) {
            Some(r) => *r,
            None if conflict.changed => self.default,
            None => Resolution::Overwrite,
        }
    }
}

/// Where one imported workspace goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedTarget {
    pub workspace: WorkspaceId,
    pub name: String,
    /// The workspace is created by the import.
    pub is_new: bool,
}

/// The preview of an import: what it holds, where it goes, what conflicts. Nothing is written
/// until the caller writes what [`merge`] returns.
#[derive(Clone, Debug)]
pub struct ImportPlan {
    pub format: Format,
    /// `collection "Fastly API"`, `everything (...)`, ...
    pub contains: String,
    pub counts: Counts,
    /// One per imported workspace, in order.
    pub targets: Vec<PlannedTarget>,
    pub conflicts: Vec<Conflict>,
    /// Items given fresh ids because their ids are used in another workspace here.
    pub reidentified: usize,
    /// The import's warnings, then the plan's.
    pub report: Report,
    imported: Imported,
}

impl ImportPlan {
    /// Conflicts where the imported item differs from the local one.
    pub fn changed_conflicts(&self) -> impl Iterator<Item = &Conflict> {
        self.conflicts.iter().filter(|c| c.changed)
    }

    /// The workspaces here that the import writes into (the ones it creates have nothing to
    /// respect): what [`Store::local_files`](crate::storage::Store::local_files) reads for [`merge`].
    pub fn existing_targets(&self) -> impl Iterator<Item = WorkspaceId> + '_ {
        self.targets.iter().filter(|t| !t.is_new).map(|t| t.workspace)
    }

    /// The import as it will be written (with any fresh ids).
    pub fn imported(&self) -> &Imported {
        &self.imported
    }

    /// Adds the settings conflict when the import carries settings and the data folder has its
    /// own that differ. [`merge`] checks again against the data folder either way.
    pub fn check_settings(&mut self, local: Option<&Settings>) {
        let Some(imported) = self.imported.bundle.as_ref().and_then(|b| b.settings.as_ref()) else { return };
        let Some(local) = local else { return };
        self.conflicts.retain(|c| c.key.kind != ItemKind::Settings);
        self.conflicts.insert(
            0,
            Conflict {
                key: settings_key(),
                name: "settings".into(),
                local_path: "settings.ron".into(),
                changed: !same_settings(imported, local, self.secrets_left_out()),
            },
        );
    }

    fn secrets_left_out(&self) -> bool {
        self.imported.bundle.as_ref().is_some_and(|b| b.header.secrets == super::bundle::Secrets::Exclude)
    }
}

/// Why an import cannot be planned or written.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("there is no workspace {0} in the data folder")]
    NoSuchWorkspace(WorkspaceId),
    #[error("the data folder changed since the preview: {0}; preview the import again")]
    Stale(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What [`merge`] returns: the library to write, what goes with it, and the counts.
#[derive(Clone, Debug)]
pub struct Merged {
    pub library: Library,
    pub extras: Extras,
    pub applied: Applied,
}

impl Merged {
    /// Writes the merge through `write` (storage's all-or-nothing [`Store::write_library`],
    /// given the library as it is and as it will be) and, once written, makes `library` the
    /// merged one. On failure `library` is unchanged.
    pub fn commit(
        self,
        library: &mut Library,
        write: impl FnOnce(&Library, &Library, &Extras) -> Result<Written, StoreError>,
    ) -> Result<Applied, ApplyError> {
        let Merged { library: next, extras, mut applied } = self;
        applied.written = write(library, &next, &extras)?;
        *library = next;
        Ok(applied)
    }
}

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// Items that are new here (copies included).
    pub added: usize,
    /// Items here replaced by a different imported version.
    pub overwritten: usize,
    /// Items here identical to the imported ones (nothing to write).
    pub unchanged: usize,
    pub copied: usize,
    pub skipped: usize,
    pub written: Written,
    pub report: Report,
}

impl Applied {
    /// Counts an item the import replaces: overwritten when it differed, else unchanged.
    fn replaced(&mut self, changed: bool) {
        if changed {
            self.overwritten += 1;
        } else {
            self.unchanged += 1;
        }
    }

    /// "3 added, 1 overwritten, 12 unchanged": the counts that are not zero.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            (self.added, "added"),
            (self.overwritten, "overwritten"),
            (self.unchanged, "unchanged"),
            (self.copied, "copied"),
            (self.skipped, "skipped"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() { "nothing".into() } else { parts.join(", ") }
    }
}

fn settings_key() -> ItemKey {
    ItemKey { kind: ItemKind::Settings, id: Uuid::nil() }
}
