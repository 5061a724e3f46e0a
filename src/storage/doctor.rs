//! `localpost doctor`: every consistency check on a data folder. It changes nothing a user made;
//! opening the folder only puts right what a crash left (and says so).

use std::path::Path;

use super::error::{Problem, Repair, StoreError};
use super::{Place, Store, history, runs};
use crate::model::Library;

/// Everything wrong in the data folder at `root`, in a stable order (empty means healthy), and
/// what opening it put right (see [`super::repair`]).
pub fn check(root: &Path) -> Result<(Library, Vec<Problem>, Vec<Repair>), StoreError> {
    let mut opened = Store::open_existing(root)?;
    let mut problems = opened.report.problems;
    let (_, settings) = opened.store.load_settings();
    problems.extend(settings);
    for ws in opened.library.workspaces.keys() {
        let (_, cookies) = opened.store.load_cookies(*ws);
        problems.extend(cookies);
        let Some(dir) = opened.store.path_of(Place::Workspace(*ws)) else { continue };
        let (_, mut bad) = history::load(dir, usize::MAX);
        problems.append(&mut bad);
        let (_, mut bad) = runs::load(dir);
        problems.append(&mut bad);
    }
    problems.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.kind.to_string().cmp(&b.kind.to_string())));
    Ok((opened.library, problems, opened.report.repairs))
}
