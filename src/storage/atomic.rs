//! Crash-safe writes: a temp file in the same folder, fsync, rename over the target, fsync the
//! folder. After a crash at any moment the target holds either the old or the new content.
//!
//! A temp file is named `.lp-tmp-<target name>.<random>` and locked (an advisory lock the OS
//! drops when the process dies) for as long as it is being written. What a killed process left
//! behind is therefore told apart from a write in flight: [`remove_stale`] removes only temp
//! files nobody holds. The data folder is swept when it is opened; an export or report swept
//! before each write of the same target.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Prefix of in-flight temp files and staging folders; the loader ignores them.
pub const TEMP_PREFIX: &str = ".lp-tmp-";

/// The longest part of a target's name kept in its temp file's name (in bytes).
const NAME_IN_TEMP_MAX_BYTES: usize = 100;

/// A file being written beside its target: it becomes the target on [`Self::commit`], and
/// vanishes when dropped without one. Write to it through [`Write`] (buffer large writes).
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl AtomicFile {
    /// Starts writing `target` (inside the data folder: leftovers are swept when it is opened).
    /// `private` makes the file readable by its owner only.
    pub fn create(target: &Path, private: bool) -> io::Result<Self> {
        let dir = parent_dir(target);
        let prefix = temp_prefix(target);
        // A sweep that removed the file between its creation and its lock: make another.
        for _ in 0..3 {
            let mut builder = tempfile::Builder::new();
            builder.prefix(&prefix).suffix("");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                // 0644 minus the umask, as any other file the user creates; secrets stay 0600.
                builder.permissions(fs::Permissions::from_mode(if private { 0o600 } else { 0o644 }));
            }
            #[cfg(not(unix))]
            let _ = private;
            let tmp = builder.tempfile_in(dir)?;
            tmp.as_file().lock()?;
            if still_linked(tmp.as_file())? {
                return Ok(Self { tmp, target: target.to_owned() });
            }
        }
        Err(io::Error::other(format!("cannot keep a temporary file in {}", dir.display())))
    }

    /// Starts writing `target` outside the data folder (an export, a report): first removes
    /// what an earlier write of the same target left when its process was killed.
    pub fn replacing(target: &Path, private: bool) -> io::Result<Self> {
        let dir = parent_dir(target);
        remove_stale(dir, &temp_prefix(target));
        Self::create(target, private)
    }

    /// The temp file (e.g. for a `BufWriter` over it).
    pub fn file_mut(&mut self) -> &mut fs::File {
        self.tmp.as_file_mut()
    }

    /// Makes the written content the target's, durably.
    pub fn commit(self) -> io::Result<()> {
        let dir = parent_dir(&self.target).to_owned();
        self.tmp.as_file().sync_all()?;
        self.tmp.persist(&self.target).map_err(|e| e.error)?;
        sync_dir(&dir)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.as_file_mut().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.as_file_mut().flush()
    }
}

/// Writes `bytes` to `path` atomically. `private` makes the file readable by its owner only.
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    let mut file = AtomicFile::create(path, private)?;
    file.write_all(bytes)?;
    file.commit()
}

/// [`write_atomic`] for a file outside the data folder (see [`AtomicFile::replacing`]).
pub fn write_replacing(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    let mut file = AtomicFile::replacing(path, private)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Makes a rename or removal in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes the temp files in `dir` whose names start with `prefix` and that no process is
/// writing (their lock is free); returns what it removed. Folders are left to their owners.
pub fn remove_stale(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(prefix) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        if remove_if_unlocked(&path) {
            removed.push(path);
        }
    }
    removed
}

/// Removes a temp file when no process holds its lock; true when it is gone.
pub(crate) fn remove_if_unlocked(path: &Path) -> bool {
    let Ok(file) = fs::File::open(path) else { return false };
    match file.try_lock() {
        // Removed while locked, so a writer that locks it next sees it unlinked and starts over.
        Ok(()) => fs::remove_file(path).is_ok(),
        Err(_) => false,
    }
}

/// The temp files of `target` start with this.
fn temp_prefix(target: &Path) -> String {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut cut = name.len().min(NAME_IN_TEMP_MAX_BYTES);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{TEMP_PREFIX}{}.", &name[..cut])
}

fn parent_dir(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Whether an open file still has a name (a sweep may have removed it before it was locked).
fn still_linked(file: &fs::File) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(file.metadata()?.nlink() > 0)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"old", false).unwrap();
        write_atomic(&path, b"new", false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.ron");
        write_atomic(&path, b"x", true).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn failure_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"old", false).unwrap();
        // A target that is a directory cannot be replaced: the write fails, nothing changes.
        let blocked = dir.path().join("blocked");
        fs::create_dir(&blocked).unwrap();
        fs::write(blocked.join("inner"), b"keep").unwrap();
        assert!(write_atomic(&blocked, b"new", false).is_err());
        assert_eq!(fs::read(blocked.join("inner")).unwrap(), b"keep");
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn a_write_in_flight_is_not_swept_but_a_dead_ones_leftover_is() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("export.json");
        let mut live = AtomicFile::create(&target, false).unwrap();
        live.write_all(b"half").unwrap();
        // What a killed writer leaves: a temp file nobody holds.
        let dead = dir.path().join(format!("{}abc123", temp_prefix(&target)));
        fs::write(&dead, b"torn").unwrap();
        let removed = remove_stale(dir.path(), &temp_prefix(&target));
        assert_eq!(removed, vec![dead]);
        live.write_all(b" and the rest").unwrap();
        live.commit().unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"half and the rest");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_export_sweeps_what_a_killed_export_of_the_same_file_left() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup.ron");
        let other = dir.path().join(format!("{TEMP_PREFIX}someone-else.x1"));
        fs::write(&other, b"not ours to judge").unwrap();
        fs::write(dir.path().join(format!("{}k1ll3d", temp_prefix(&target))), b"torn").unwrap();
        write_replacing(&target, b"whole", false).unwrap();
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        names.sort();
        assert_eq!(names, vec![format!("{TEMP_PREFIX}someone-else.x1"), "backup.ron".to_owned()]);
    }

    #[test]
    fn long_and_non_ascii_names_make_valid_temp_names() {
        let long = "é".repeat(120);
        let prefix = temp_prefix(Path::new(&long));
        assert!(prefix.len() <= TEMP_PREFIX.len() + NAME_IN_TEMP_MAX_BYTES + 1);
        let dir = tempfile::tempdir().unwrap();
        write_atomic(&dir.path().join(format!("{long}.ron")), b"x", false).unwrap();
    }
}
