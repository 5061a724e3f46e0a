//! What an export takes from the data folder besides the library: the names of the entities'
//! files and folders, and the records kept beside them (settings, cookies, history, run
//! results), read here so that the export itself ([`crate::interop::bundle`]) reads nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use uuid::Uuid;

use super::layout::{COOKIES_FILE, GLOBALS_FILE, SETTINGS_FILE};
use super::load::read_document;
use super::{Place, Problem, ProblemKind, Store, history, runs};
use crate::model::{CookieJar, HistoryEntry, RunResult, Settings, WorkspaceId};

/// Which records to read besides the files every export reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Include {
    pub history: bool,
    pub runs: bool,
}

/// The data folder's part of an export.
#[derive(Debug, Default)]
pub struct Records {
    /// Each entity's file (or, for containers, folder) name, by id.
    pub file_names: BTreeMap<Uuid, String>,
    /// The settings file; `None` when there is none.
    pub settings: Option<Result<Settings, Problem>>,
    pub workspaces: HashMap<WorkspaceId, WorkspaceRecords>,
}

/// What one workspace's folder holds besides its entities.
#[derive(Debug, Default)]
pub struct WorkspaceRecords {
    /// Whether the globals have a file of their own.
    pub has_globals_file: bool,
    /// The cookie jar; `None` when there is no file.
    pub cookies: Option<Result<CookieJar, Problem>>,
    /// Oldest first; empty unless asked for.
    pub history: Vec<HistoryEntry>,
    pub history_problems: Vec<Problem>,
    /// Oldest first; empty unless asked for.
    pub runs: Vec<RunResult>,
    pub run_problems: Vec<Problem>,
    /// The entity files under the workspace's folder that did not load, with why, by path.
    pub broken: Vec<(PathBuf, String)>,
}

fn problem(path: PathBuf, kind: ProblemKind) -> Problem {
    Problem { path, kind, workspace: None, parent: None }
}

impl Store {
    /// Reads what an export of `workspaces` (or of part of them) takes from the data folder.
    pub fn records(&self, workspaces: impl IntoIterator<Item = WorkspaceId>, include: Include) -> Records {
        let file_names = self
            .index
            .places
            .iter()
            // The globals' file is the workspace's too: its id names the workspace's folder.
            .filter(|(place, _)| !matches!(place, Place::Globals(_)))
            .filter_map(|(place, path)| {
                let name = path.file_name()?.to_str()?.to_owned();
                Some((place_uuid(*place), name))
            })
            .collect();
        let settings_path = self.root().join(SETTINGS_FILE);
        let settings = settings_path.exists().then(|| {
            read_document::<Settings>(&settings_path).map(|p| p.entity).map_err(|k| problem(settings_path, k))
        });
        let workspaces = workspaces
            .into_iter()
            .filter_map(|ws| Some((ws, self.workspace_records(ws, include)?)))
            .collect();
        Records { file_names, settings, workspaces }
    }

    fn workspace_records(&self, ws: WorkspaceId, include: Include) -> Option<WorkspaceRecords> {
        let dir = self.path_of(Place::Workspace(ws))?;
        let mut records =
            WorkspaceRecords { has_globals_file: dir.join(GLOBALS_FILE).exists(), ..Default::default() };
        let cookies = dir.join(COOKIES_FILE);
        if cookies.exists() {
            records.cookies =
                Some(read_document::<CookieJar>(&cookies).map(|p| p.entity).map_err(|k| problem(cookies, k)));
        }
        if include.history {
            let (mut entries, problems) = history::load(dir, usize::MAX);
            entries.reverse();
            records.history = entries;
            records.history_problems = problems;
        }
        if include.runs {
            let (mut list, problems) = runs::load(dir);
            list.reverse();
            records.runs = list;
            records.run_problems = problems;
        }
        let mut broken: Vec<_> = self
            .broken_files()
            .filter(|(p, _)| p.starts_with(dir))
            .map(|(p, why)| (p.to_owned(), why.to_owned()))
            .collect();
        broken.sort();
        records.broken = broken;
        Some(records)
    }
}

fn place_uuid(place: Place) -> Uuid {
    match place {
        Place::Workspace(id) | Place::Globals(id) => id.0,
        Place::Collection(id) => id.0,
        Place::Folder(id) => id.0,
        Place::Request(id) => id.0,
        Place::Environment(id) => id.0,
        Place::Preset(id) => id.0,
    }
}
