//! Where the machine's policy sources live on each platform, and reading them with the checks that
//! make a source count: a regular file (or a symbolic link to one), owned by root with its folder,
//! not writable by group or others, at most 1 MiB.
//!
//! ```text
//! Linux    /etc/localpost/policy.ron                          then /etc/localpost/policy.d/*.ron
//! macOS    /Library/Application Support/Localpost/policy.ron  then .../policy.d/*.ron
//! Windows  C:\ProgramData\Localpost\policy.ron                then ...\policy.d\*.ron
//! ```
//!
//! Nothing here reads the environment, the data folder or the command line: nothing a user can
//! write decides which sources count. Tests use [`LoadOptions::under_root`], which the binary never
//! calls.

use std::fs;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use super::effective::{EffectivePolicy, SourceInput, SourceKind, SourceReport, SourceStatus};
use super::error::{SourceError, SourceProblem};
use super::parse::MAX_SOURCE_BYTES;

/// The policy folder, relative to the file system's root.
#[cfg(target_os = "macos")]
const POLICY_FOLDER: &str = "Library/Application Support/Localpost";
/// `%ProgramData%` is not read from the environment, which the user controls.
#[cfg(windows)]
const POLICY_FOLDER: &str = "ProgramData/Localpost";
#[cfg(not(any(target_os = "macos", windows)))]
const POLICY_FOLDER: &str = "etc/localpost";

/// The machine-wide file.
pub const MAIN_FILE: &str = "policy.ron";
/// The folder of drop-in files, read in name order after the main file.
pub const DROP_IN_DIR: &str = "policy.d";

/// Where the sources are looked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLocations {
    /// `/etc/localpost`: the folder of both, checked like the files.
    pub folder: PathBuf,
    /// `/etc/localpost/policy.ron`.
    pub main_file: PathBuf,
    /// `/etc/localpost/policy.d`.
    pub drop_in_dir: PathBuf,
}

impl SourceLocations {
    /// The platform's locations under `root` (`/` on Unix, `C:\` on Windows).
    pub fn under(root: &Path) -> Self {
        let folder = root.join(POLICY_FOLDER);
        Self { main_file: folder.join(MAIN_FILE), drop_in_dir: folder.join(DROP_IN_DIR), folder }
    }

    /// The machine's locations.
    pub fn machine() -> Self {
        #[cfg(windows)]
        let root = Path::new("C:\\");
        #[cfg(not(windows))]
        let root = Path::new("/");
        Self::under(root)
    }
}

/// How sources are found and whom they must belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    pub locations: SourceLocations,
    /// The user id sources and their folders must belong to: root (0) on the machine. Ignored on
    /// platforms without Unix ownership.
    pub trusted_uid: u32,
}

impl LoadOptions {
    /// The machine's sources, owned by root. The only options the binary uses.
    pub fn machine() -> Self {
        Self { locations: SourceLocations::machine(), trusted_uid: 0 }
    }

    /// The platform's layout under `root`, owned by `trusted_uid`: for tests, which cannot make
    /// root-owned files when they do not run as root. Not reachable from the binary's flags or
    /// environment.
    pub fn under_root(root: &Path, trusted_uid: u32) -> Self {
        Self { locations: SourceLocations::under(root), trusted_uid }
    }
}

impl EffectivePolicy {
    /// Loads the machine's policy. Reads a few small files: call it at start-up before the
    /// window opens, or from a background task (Reload). Never fails; see [`PolicyState`].
    ///
    /// [`PolicyState`]: super::PolicyState
    pub fn load_machine() -> Self {
        Self::load(&LoadOptions::machine())
    }

    /// Loads the sources `options` point at.
    pub fn load(options: &LoadOptions) -> Self {
        let gathered = gather(options);
        Self::build(gathered.inputs, gathered.problems, gathered.ignored)
    }
}

/// The sources found, before parsing.
#[derive(Debug, Default)]
pub struct Gathered {
    pub inputs: Vec<SourceInput>,
    /// Problems with the folders themselves (Lockdown).
    pub problems: Vec<SourceProblem>,
    /// Files in `policy.d/` that are not sources (`README`, `x.ron.bak`, `.x.ron.swp`).
    pub ignored: Vec<SourceReport>,
}

/// Finds and reads every source `options` point at, in precedence order.
pub fn gather(options: &LoadOptions) -> Gathered {
    let mut out = Gathered::default();
    let loc = &options.locations;
    let problem = |path: &Path, error| SourceProblem { source: path.display().to_string(), error };
    match check_folder(&loc.folder, options.trusted_uid) {
        Ok(false) => return out,
        Ok(true) => {}
        Err(error) => {
            out.problems.push(problem(&loc.folder, error));
            return out;
        }
    }
    if let Some(input) = read_source(&loc.main_file, SourceKind::Machine, options.trusted_uid) {
        out.inputs.push(input);
    }
    match check_folder(&loc.drop_in_dir, options.trusted_uid) {
        Ok(false) => return out,
        Ok(true) => {}
        Err(error) => {
            out.problems.push(problem(&loc.drop_in_dir, error));
            return out;
        }
    }
    let entries = match fs::read_dir(&loc.drop_in_dir).and_then(Iterator::collect::<io::Result<Vec<_>>>) {
        Ok(entries) => entries,
        Err(e) => {
            out.problems.push(problem(&loc.drop_in_dir, SourceError::Read { message: e.to_string() }));
            return out;
        }
    };
    let mut names: Vec<_> = entries.into_iter().map(|e| e.file_name()).collect();
    names.sort();
    for name in names {
        let path = loc.drop_in_dir.join(&name);
        let text = name.to_string_lossy();
        let reason = if text.starts_with('.') {
            Some(
                "a hidden file (its name starts with a dot); hidden files are never read, rename it to use it",
            )
        } else if !text.ends_with(".ron") || text.len() <= ".ron".len() {
            Some("not a policy source (only *.ron files count)")
        } else {
            None
        };
        if let Some(reason) = reason {
            out.ignored.push(SourceReport {
                label: path.display().to_string(),
                kind: SourceKind::DropIn,
                status: SourceStatus::Ignored(reason.into()),
                sha256: None,
            });
            continue;
        }
        if let Some(input) = read_source(&path, SourceKind::DropIn, options.trusted_uid) {
            out.inputs.push(input);
        }
    }
    out
}

/// `Ok(false)`: the folder is not there. `Ok(true)`: it is, and it is trusted.
fn check_folder(path: &Path, trusted_uid: u32) -> Result<bool, SourceError> {
    match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(SourceError::Read { message: e.to_string() }),
        Ok(meta) if !meta.is_dir() => Err(SourceError::NotAFolder),
        Ok(meta) => check_owner(path, &meta, trusted_uid).map(|()| true),
    }
}

/// Reads one source; `None` when it is not there.
fn read_source(path: &Path, kind: SourceKind, trusted_uid: u32) -> Option<SourceInput> {
    let content = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => Err(SourceError::Read { message: e.to_string() }),
        Ok(meta) => read_checked(path, &meta, trusted_uid),
    };
    Some(SourceInput::new(path.display().to_string(), kind, content))
}

fn read_checked(path: &Path, meta: &fs::Metadata, trusted_uid: u32) -> Result<Vec<u8>, SourceError> {
    let read_error = |e: io::Error| SourceError::Read { message: e.to_string() };
    // A symbolic link counts when its target passes the same checks, with the target's folder
    // (configuration tools link into their own root-owned stores).
    let (target, meta) = if meta.file_type().is_symlink() {
        let target =
            fs::canonicalize(path).map_err(|e| SourceError::DanglingLink { message: e.to_string() })?;
        let target_meta = fs::metadata(&target).map_err(read_error)?;
        if let Some(folder) = target.parent() {
            let folder_meta = fs::metadata(folder).map_err(read_error)?;
            check_owner(folder, &folder_meta, trusted_uid)?;
        }
        (target, target_meta)
    } else {
        (path.to_path_buf(), meta.clone())
    };
    if meta.is_dir() {
        return Err(SourceError::Folder);
    }
    if !meta.is_file() {
        // A FIFO or a device could block or never end.
        return Err(SourceError::NotRegular);
    }
    check_owner(&target, &meta, trusted_uid)?;
    read_limited(&target)
}

/// Reads at most [`MAX_SOURCE_BYTES`]; a bigger file is refused without reading all of it.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, SourceError> {
    let file = fs::File::open(path).map_err(|e| SourceError::Read { message: e.to_string() })?;
    let mut bytes = Vec::new();
    file.take(MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SourceError::Read { message: e.to_string() })?;
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(SourceError::TooLarge { limit_bytes: MAX_SOURCE_BYTES });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn check_owner(path: &Path, meta: &fs::Metadata, trusted_uid: u32) -> Result<(), SourceError> {
    use std::os::unix::fs::MetadataExt as _;
    check_ownership(path, meta.uid(), meta.mode(), trusted_uid)
}

#[cfg(not(unix))]
fn check_owner(_path: &Path, _meta: &fs::Metadata, _trusted_uid: u32) -> Result<(), SourceError> {
    // Windows: %ProgramData%\Localpost is writable by administrators only unless an
    // administrator changed its ACL; ACLs are not checked here.
    Ok(())
}

/// The Unix rule: owned by `trusted_uid`, not writable by group or others.
pub fn check_ownership(path: &Path, uid: u32, mode: u32, trusted_uid: u32) -> Result<(), SourceError> {
    if uid != trusted_uid {
        return Err(SourceError::WrongOwner { path: path.to_path_buf(), uid });
    }
    if mode & 0o022 != 0 {
        return Err(SourceError::Writable { path: path.to_path_buf(), mode: mode & 0o7777 });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ownership_rule() {
        let p = Path::new("/etc/localpost/policy.ron");
        assert_eq!(check_ownership(p, 0, 0o100644, 0), Ok(()));
        assert_eq!(check_ownership(p, 0, 0o100600, 0), Ok(()));
        assert!(matches!(
            check_ownership(p, 1000, 0o100644, 0),
            Err(SourceError::WrongOwner { uid: 1000, .. })
        ));
        assert!(matches!(check_ownership(p, 0, 0o100664, 0), Err(SourceError::Writable { mode: 0o664, .. })));
        assert!(matches!(check_ownership(p, 0, 0o40777, 0), Err(SourceError::Writable { mode: 0o777, .. })));
        assert!(matches!(check_ownership(p, 0, 0o41757, 0), Err(SourceError::Writable { .. })));
    }

    #[test]
    fn machine_locations_are_fixed() {
        let loc = SourceLocations::machine();
        #[cfg(target_os = "linux")]
        {
            assert_eq!(loc.main_file, Path::new("/etc/localpost/policy.ron"));
            assert_eq!(loc.drop_in_dir, Path::new("/etc/localpost/policy.d"));
        }
        assert!(loc.main_file.starts_with(&loc.folder) && loc.drop_in_dir.starts_with(&loc.folder));
        assert_eq!(LoadOptions::machine().trusted_uid, 0);
    }
}
