//! Moving a staged write into place, all or nothing, across a crash too.
//!
//! 1. Every file is written into a staging folder inside the data folder
//!    (`.lp-tmp-stage-<id>/new/...`, which the loader ignores) and flushed to disk. A lock file
//!    in the staging folder is held for as long as the write runs, so another process never
//!    takes a write in flight for a crashed one.
//! 2. The intent is written (`intent.ron`: every move, in order, and the direction "forward").
//! 3. The moves: a new folder tree in one rename; a file into an existing folder in one rename
//!    after the file it replaces is moved aside (`old/...`); an entity's old place moved aside.
//! 4. Done: the intent is removed, then the staging folder.
//!
//! A failure in step 3 turns the intent to "backward" and undoes the moves. Every move checks
//! what is on disk before acting, so it can be run again after a crash at any point: when the
//! data folder is next opened, [`recover`] finds a staging folder nobody holds and runs its
//! intent to the end (forward: the write is completed; backward: it is undone), or, with no
//! intent, removes it (nothing had moved). Either way the data folder holds the old state or the
//! new one, whole.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::storage::StoreError;
use crate::storage::atomic::{sync_dir, write_atomic};

/// A file to write, as staged.
pub(crate) struct Pending {
    pub bytes: Vec<u8>,
    pub private: bool,
}

/// Staging folders start with this.
pub(crate) const STAGE_PREFIX: &str = ".lp-tmp-stage-";
const LOCK_FILE: &str = "lock";
const INTENT_FILE: &str = "intent.ron";
const NEW_DIR: &str = "new";
const OLD_DIR: &str = "old";

/// Threads writing staged files at once.
const SYNC_WRITERS: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Direction {
    Forward,
    Backward,
}

/// One move, with paths relative to the data folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Step {
    /// `new/<path>` goes to `<path>`; when `replaces`, what is there first goes to `old/<path>`.
    Place { path: PathBuf, replaces: bool },
    /// `<path>` goes aside to `old/<path>` (the old place of an entity that moved).
    Remove { path: PathBuf },
}

#[derive(Debug, Serialize, Deserialize)]
struct Intent {
    direction: Direction,
    steps: Vec<Step>,
}

/// A staging folder: its paths, and the lock held while a write uses it.
struct Stage {
    root: PathBuf,
    dir: PathBuf,
    lock: Option<fs::File>,
}

impl Stage {
    fn new_path(&self, rel: &Path) -> PathBuf {
        self.dir.join(NEW_DIR).join(rel)
    }

    fn old_path(&self, rel: &Path) -> PathBuf {
        self.dir.join(OLD_DIR).join(rel)
    }

    fn write_intent(&self, intent: &Intent) -> Result<(), StoreError> {
        let path = self.dir.join(INTENT_FILE);
        let text = ron::to_string(intent)
            .map_err(|e| StoreError::Encode { what: path.display().to_string(), message: e.to_string() })?;
        write_atomic(&path, text.as_bytes(), false).map_err(|e| StoreError::write(&path, e))
    }

    /// Removes the intent first (so a crash from here on finds nothing to replay), then the rest.
    fn remove(&mut self) {
        let intent = self.dir.join(INTENT_FILE);
        if fs::remove_file(&intent).is_ok() {
            let _ = sync_dir(&self.dir);
        }
        let _ = fs::remove_dir_all(&self.dir);
        self.lock = None;
    }

    /// Runs one step in `direction`; each step looks before it moves, so running it twice is
    /// the same as once.
    fn run(&self, step: &Step, direction: Direction) -> Result<(), StoreError> {
        let exists = |p: &Path| fs::symlink_metadata(p).is_ok();
        match (step, direction) {
            (Step::Place { path, replaces }, Direction::Forward) => {
                let (target, staged, aside) =
                    (self.root.join(path), self.new_path(path), self.old_path(path));
                if !exists(&staged) {
                    return Ok(()); // placed already
                }
                if *replaces && exists(&target) && !exists(&aside) {
                    move_to(&target, &aside)?;
                }
                move_to(&staged, &target)
            }
            (Step::Place { path, replaces }, Direction::Backward) => {
                let (target, staged, aside) =
                    (self.root.join(path), self.new_path(path), self.old_path(path));
                if !exists(&staged) && exists(&target) {
                    move_to(&target, &staged)?;
                }
                if *replaces && exists(&aside) && !exists(&target) {
                    move_to(&aside, &target)?;
                }
                Ok(())
            }
            (Step::Remove { path }, Direction::Forward) => {
                let (target, aside) = (self.root.join(path), self.old_path(path));
                if exists(&target) && !exists(&aside) {
                    move_to(&target, &aside)?;
                }
                Ok(())
            }
            (Step::Remove { path }, Direction::Backward) => {
                let (target, aside) = (self.root.join(path), self.old_path(path));
                if exists(&aside) && !exists(&target) {
                    move_to(&aside, &target)?;
                }
                Ok(())
            }
        }
    }

    /// Makes the moves of `steps` durable: syncs every folder they touched.
    fn sync_touched(&self, steps: &[Step]) -> Result<(), StoreError> {
        let dirs: HashSet<PathBuf> = steps
            .iter()
            .map(|s| match s {
                Step::Place { path, .. } | Step::Remove { path } => {
                    self.root.join(path).parent().unwrap_or(&self.root).to_owned()
                }
            })
            .collect();
        for dir in &dirs {
            // A folder an undone step created may be gone; nothing to sync there.
            if let Err(e) = sync_dir(dir)
                && e.kind() != io::ErrorKind::NotFound
            {
                return Err(StoreError::write(dir, e));
            }
        }
        Ok(())
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if self.lock.is_some() {
            self.remove();
        }
    }
}

/// Writes `files` and moves `removals` aside, all or nothing (see the module doc).
pub(crate) fn commit(
    root: &Path,
    files: &BTreeMap<PathBuf, Pending>,
    removals: &[PathBuf],
) -> Result<(), StoreError> {
    if files.is_empty() && removals.is_empty() {
        return Ok(());
    }
    let (dir, lock) = new_stage(root)?;
    let mut stage = Stage { root: root.to_owned(), dir, lock: Some(lock) };

    // 1. Everything into the staging folder, durably, before anything moves into place.
    // Failing here changes nothing. On Linux the files are written without a sync each and the
    // file system is synced once (syncfs): one flush instead of one per file. Elsewhere many
    // writers let the file system batch the per-file syncs.
    let rel = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_owned();
    let sync_each = !cfg!(target_os = "linux");
    let write_all = || {
        files.par_iter().try_for_each(|(path, pending)| {
            let to = stage.new_path(&rel(path));
            write_new(&to, &pending.bytes, pending.private, sync_each).map_err(|e| StoreError::write(path, e))
        })
    };
    match rayon::ThreadPoolBuilder::new().num_threads(SYNC_WRITERS.min(files.len().max(1))).build() {
        Ok(pool) => pool.install(write_all)?,
        Err(_) => write_all()?,
    }
    #[cfg(target_os = "linux")]
    fs::File::open(&stage.dir)
        .and_then(|dir| rustix::fs::syncfs(&dir).map_err(io::Error::from))
        .map_err(|e| StoreError::write(&stage.dir, e))?;

    // 2. The intent, then 3. the moves.
    let steps = plan_steps(root, files, removals);
    stage.write_intent(&Intent { direction: Direction::Forward, steps: steps.clone() })?;
    let step_run = |step: &Step, direction: Direction| {
        let target = match step {
            Step::Place { path, .. } | Step::Remove { path } => root.join(path),
        };
        fault::point(&target)?;
        stage.run(step, direction)
    };
    let moved = steps.iter().try_for_each(|step| step_run(step, Direction::Forward));
    if let Err(e) = moved {
        if e.is_simulated_crash() {
            // A test's stand-in for SIGKILL: the process "dies" here, holding nothing.
            stage.lock = None;
            return Err(e);
        }
        // Undo, recorded first so that a crash while undoing is undone on the next open.
        let undone = stage
            .write_intent(&Intent { direction: Direction::Backward, steps: steps.clone() })
            .and_then(|()| steps.iter().rev().try_for_each(|step| step_run(step, Direction::Backward)))
            .and_then(|()| stage.sync_touched(&steps));
        if let Err(undo_error) = undone {
            // The intent stays: the next open finishes the undo.
            stage.lock = None;
            if undo_error.is_simulated_crash() {
                return Err(undo_error);
            }
        }
        return Err(e);
    }
    stage.sync_touched(&steps)?;
    Ok(())
}

/// Makes a staging folder and takes its lock. A recovery in another process removes a staging
/// folder without a lock file (one whose write is over); if it removes ours in the instant before
/// the lock file exists, the lock file cannot be made, and we start again with another folder.
fn new_stage(root: &Path) -> Result<(PathBuf, fs::File), StoreError> {
    let mut last = None;
    for _ in 0..3 {
        let dir = root.join(format!("{STAGE_PREFIX}{}", Uuid::new_v4().simple()));
        fs::create_dir(&dir).map_err(|e| StoreError::write(&dir, e))?;
        let lock_path = dir.join(LOCK_FILE);
        match fs::File::create(&lock_path) {
            Ok(lock) => {
                lock.lock().map_err(|e| StoreError::write(&lock_path, e))?;
                if fs::symlink_metadata(&lock_path).is_ok() {
                    return Ok((dir, lock));
                }
                last = Some(StoreError::write(&lock_path, io::Error::from(io::ErrorKind::NotFound)));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => last = Some(StoreError::write(&lock_path, e)),
            Err(e) => return Err(StoreError::write(&lock_path, e)),
        }
    }
    Err(last.unwrap_or_else(|| StoreError::write(root, io::Error::other("cannot make a staging folder"))))
}

/// The moves, in order: for each file, the highest new folder on its way (one rename brings a
/// new tree) or the file itself; then the removals, outermost first.
fn plan_steps(root: &Path, files: &BTreeMap<PathBuf, Pending>, removals: &[PathBuf]) -> Vec<Step> {
    let rel = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_owned();
    let mut steps = Vec::new();
    let mut placed_dirs: HashSet<PathBuf> = HashSet::new();
    for path in files.keys() {
        if path.ancestors().any(|a| placed_dirs.contains(a)) {
            continue;
        }
        match topmost_missing(root, path) {
            Some(top) => {
                steps.push(Step::Place { path: rel(&top), replaces: false });
                if &top != path {
                    placed_dirs.insert(top);
                }
            }
            None => steps.push(Step::Place { path: rel(path), replaces: true }),
        }
    }
    let mut sorted: Vec<&PathBuf> = removals.iter().collect();
    sorted.sort();
    let mut removed: Vec<&PathBuf> = Vec::new();
    for path in sorted {
        if removed.iter().any(|r| path.starts_with(r)) || fs::symlink_metadata(path).is_err() {
            continue;
        }
        steps.push(Step::Remove { path: rel(path) });
        removed.push(path);
    }
    steps
}

/// What [`recover`] did with one staging folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recovered {
    /// The write had started moving files into place: it was completed.
    Completed { moves: usize },
    /// The write had failed and was being undone: the undo was finished.
    RolledBack { moves: usize },
    /// Nothing had moved yet: the staged files were removed.
    Discarded,
}

/// Finishes or undoes every staged write under `root` that no process holds (see the module
/// doc). Returns what it did per staging folder, and what it could not do.
pub(crate) fn recover(root: &Path) -> Vec<(PathBuf, Result<Recovered, StoreError>)> {
    let Ok(entries) = fs::read_dir(root) else { return Vec::new() };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(STAGE_PREFIX))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let lock_path = dir.join(LOCK_FILE);
        let lock = match fs::File::open(&lock_path) {
            Ok(lock) => lock,
            // No lock file: a write being torn down when its process died (the intent goes
            // first, so nothing is left to replay), or one not started (see `new_stage`).
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let _ = fs::remove_dir_all(&dir);
                out.push((dir, Ok(Recovered::Discarded)));
                continue;
            }
            Err(e) => {
                out.push((dir, Err(StoreError::Open { path: lock_path, error: e })));
                continue;
            }
        };
        if lock.try_lock().is_err() {
            continue; // a write in flight
        }
        let mut stage = Stage { root: root.to_owned(), dir: dir.clone(), lock: Some(lock) };
        let result = replay(&stage);
        match &result {
            Ok(_) => stage.remove(),
            // Left in place, with its intent, for the next attempt or for a person.
            Err(_) => stage.lock = None,
        }
        out.push((dir, result));
    }
    out
}

fn replay(stage: &Stage) -> Result<Recovered, StoreError> {
    let intent_path = stage.dir.join(INTENT_FILE);
    let text = match fs::read_to_string(&intent_path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Recovered::Discarded),
        Err(e) => return Err(StoreError::read(intent_path, e)),
    };
    let intent: Intent = ron::from_str(&text)
        .map_err(|error| StoreError::Decode { path: intent_path, error: Box::new(error) })?;
    let moves = intent.steps.len();
    let ran = match intent.direction {
        Direction::Forward => intent.steps.iter().try_for_each(|s| stage.run(s, Direction::Forward)),
        Direction::Backward => intent.steps.iter().rev().try_for_each(|s| stage.run(s, Direction::Backward)),
    };
    ran.and_then(|()| stage.sync_touched(&intent.steps))?;
    Ok(match intent.direction {
        Direction::Forward => Recovered::Completed { moves },
        Direction::Backward => Recovered::RolledBack { moves },
    })
}

/// The highest folder (or the file itself) on the way from `root` to `path` that does not
/// exist yet; `None` when the file exists.
fn topmost_missing(root: &Path, path: &Path) -> Option<PathBuf> {
    let mut chain: Vec<&Path> = path.ancestors().take_while(|a| *a != root).collect();
    chain.reverse();
    chain.into_iter().find(|a| fs::symlink_metadata(a).is_err()).map(Path::to_owned)
}

/// Renames `from` to `to`, making `to`'s folder first when needed.
fn move_to(from: &Path, to: &Path) -> Result<(), StoreError> {
    if let Some(dir) = to.parent()
        && fs::symlink_metadata(dir).is_err()
    {
        fs::create_dir_all(dir).map_err(|e| StoreError::write(dir, e))?;
    }
    fs::rename(from, to).map_err(|e| StoreError::Move { from: from.to_owned(), to: to.to_owned(), error: e })
}

/// Writes a new file (and its folders), readable by its owner only when `private`; synced to
/// disk when `sync` (otherwise the caller syncs the file system).
fn write_new(path: &Path, bytes: &[u8], private: bool, sync: bool) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    if sync { file.sync_all() } else { Ok(()) }
}

impl StoreError {
    /// The error [`fault`] uses to stand for the process being killed.
    fn is_simulated_crash(&self) -> bool {
        cfg!(test) && matches!(self, StoreError::Write { error, .. } if error.to_string() == fault::CRASH)
    }
}

/// Failures injected at the n-th move, for the tests of all-or-nothing: an error (the write
/// undoes itself) or a crash (it stops dead, as under SIGKILL, leaving recovery to the next open).
pub(crate) mod fault {
    use std::path::Path;

    use crate::storage::StoreError;

    pub(crate) const CRASH: &str = "simulated crash";

    #[cfg(test)]
    #[derive(Clone, Copy)]
    pub(crate) enum Fault {
        /// The n-th move fails (the write undoes itself).
        Fail(usize),
        /// The process dies at the n-th move.
        Crash(usize),
        /// The first fails, and the process dies at the second (a move of the undo).
        FailThenCrash(usize, usize),
    }

    #[cfg(test)]
    thread_local! {
        static FAULT: std::cell::Cell<Option<Fault>> = const { std::cell::Cell::new(None) };
        static STEP: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Makes the `step`-th move (0-based) of this thread's next commits fail.
    #[cfg(test)]
    pub(crate) fn fail_at(step: Option<usize>) {
        set(step.map(Fault::Fail));
    }

    #[cfg(test)]
    pub(crate) fn set(fault: Option<Fault>) {
        FAULT.with(|f| f.set(fault));
        STEP.with(|s| s.set(0));
    }

    #[cfg(test)]
    pub(crate) fn point(target: &Path) -> Result<(), StoreError> {
        let step = STEP.with(|s| {
            let n = s.get();
            s.set(n + 1);
            n
        });
        let fail = || Err(StoreError::write(target, std::io::Error::other("injected failure")));
        let crash = || Err(StoreError::write(target, std::io::Error::other(CRASH)));
        match FAULT.with(std::cell::Cell::get) {
            Some(Fault::Fail(n) | Fault::FailThenCrash(n, _)) if n == step => fail(),
            Some(Fault::Crash(n) | Fault::FailThenCrash(_, n)) if n == step => crash(),
            _ => Ok(()),
        }
    }

    #[cfg(not(test))]
    #[allow(clippy::unnecessary_wraps)] // the test build's version fails on demand
    #[inline]
    pub(crate) fn point(_target: &Path) -> Result<(), StoreError> {
        Ok(())
    }
}
