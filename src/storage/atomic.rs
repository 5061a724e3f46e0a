//! Crash-safe writes: a temp file in the same folder, fsync, rename over the target, fsync the
//! folder. After a crash at any moment the target holds either the old or the new content.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Prefix of in-flight temp files; the loader ignores them (a crash can leave one behind).
pub const TEMP_PREFIX: &str = ".lp-tmp-";

/// Writes `bytes` to `path` atomically. `private` makes the file readable by its owner only.
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // 0644 minus the umask, as any other file the user creates; secrets stay 0600.
        builder.permissions(fs::Permissions::from_mode(if private { 0o600 } else { 0o644 }));
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
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
}
