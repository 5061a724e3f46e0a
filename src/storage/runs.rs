//! Collection run results: one file per run under `runs/`.

use std::fs;
use std::path::{Path, PathBuf};

use super::atomic::write_atomic;
use super::document;
use super::error::{Problem, StoreError};
use super::layout::RUNS_DIR;
use super::load::read_document;
use crate::model::{KeptExchange, RunId, RunResult};

/// The file of a run: `runs/<started>-<id>.ron`, so names sort by time.
pub fn run_path(ws_dir: &Path, run: &RunResult) -> PathBuf {
    let t = run.started_at;
    let name = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}-{}.ron",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        run.id.short()
    );
    ws_dir.join(RUNS_DIR).join(name)
}

pub fn save(ws_dir: &Path, run: &RunResult) -> Result<PathBuf, StoreError> {
    let path = run_path(ws_dir, run);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| StoreError::write(dir, e))?;
    }
    let text = document::to_text(run)
        .map_err(|e| StoreError::Encode { what: path.display().to_string(), message: e.to_string() })?;
    write_atomic(&path, text.as_bytes(), false).map_err(|e| StoreError::write(&path, e))?;
    Ok(path)
}

/// Run files, newest first.
pub fn files(ws_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(ws_dir.join(RUNS_DIR)) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    out.sort();
    out.reverse();
    out
}

/// Every run of a workspace, newest first; unreadable files are reported.
pub fn load(ws_dir: &Path) -> (Vec<RunResult>, Vec<Problem>) {
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    for path in files(ws_dir) {
        match read_document::<RunResult>(&path) {
            Ok(parsed) => runs.push(parsed.entity),
            Err(kind) => problems.push(Problem { path, kind, workspace: None, parent: None }),
        }
    }
    (runs, problems)
}

pub fn delete(ws_dir: &Path, id: RunId) -> Result<(), StoreError> {
    let suffix = format!("-{}.ron", id.short());
    for path in files(ws_dir) {
        if path.to_string_lossy().ends_with(&suffix) {
            let responses = path.with_extension(RESPONSES_EXTENSION);
            fs::remove_file(&path).map_err(|e| StoreError::Remove { path, error: e })?;
            match fs::remove_file(&responses) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(StoreError::Remove { path: responses, error: e });
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The extension of the file beside a run's results that holds its kept responses.
pub const RESPONSES_EXTENSION: &str = "responses";

/// The file of a run's kept responses: `runs/<started>-<id>.responses`, beside its results. It
/// holds [`KeptExchange`] values one after the other, each one RON value on its own line; a
/// result finds its own by offset and length ([`crate::model::ResponseKept::At`]), so opening
/// one reads only that one.
pub fn responses_path(ws_dir: &Path, run: &RunResult) -> PathBuf {
    run_path(ws_dir, run).with_extension(RESPONSES_EXTENSION)
}

/// One kept response as it is written in a responses file: a RON value and a line end.
pub fn encode_kept(kept: &KeptExchange) -> Result<Vec<u8>, StoreError> {
    let mut text = ron::to_string(kept)
        .map_err(|e| StoreError::Encode { what: "a kept response".into(), message: e.to_string() })?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// Reads the kept response at `offset_bytes` (`len_bytes` long) of `file`, without moving the
/// file's shared position.
pub fn read_kept_from(file: &fs::File, offset_bytes: u64, len_bytes: u64) -> std::io::Result<KeptExchange> {
    let len = usize::try_from(len_bytes).map_err(std::io::Error::other)?;
    let mut buf = vec![0; len];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut buf, offset_bytes)?;
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < len {
            let n =
                std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset_bytes + done as u64)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
    }
    let text = std::str::from_utf8(&buf).map_err(std::io::Error::other)?;
    ron::from_str(text.trim_end()).map_err(std::io::Error::other)
}

/// The response a past run kept at `offset_bytes` (see [`responses_path`]).
pub fn read_kept(
    ws_dir: &Path,
    run: &RunResult,
    offset_bytes: u64,
    len_bytes: u64,
) -> Result<KeptExchange, StoreError> {
    let path = responses_path(ws_dir, run);
    let file = fs::File::open(&path).map_err(|e| StoreError::Read { path: path.clone(), error: e })?;
    read_kept_from(&file, offset_bytes, len_bytes).map_err(|e| StoreError::Read { path, error: e })
}
