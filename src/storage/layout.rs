//! Where each entity lives in the data folder, and how names become file names.
//!
//! ```text
//! <data>/localpost.ron                      workspace order
//! <data>/secrets.ron                        secret variable values (0600, never shared)
//! <data>/workspaces/<ws>/workspace.ron
//! <data>/settings.ron                       the user's settings
//! <data>/workspaces/<ws>/globals.ron
//! <data>/workspaces/<ws>/cookies.ron        the workspace's cookie jar
//! <data>/workspaces/<ws>/environments/<env>.ron
//! <data>/workspaces/<ws>/header-presets/<preset>.ron
//! <data>/workspaces/<ws>/collections/<c>/collection.ron
//! <data>/workspaces/<ws>/collections/<c>/<folder>/folder.ron     (nested to any depth)
//! <data>/workspaces/<ws>/collections/<c>/.../<req>.request.ron
//! <data>/workspaces/<ws>/runs/<started>-<id>.ron
//! <data>/workspaces/<ws>/history/<date>/<time>-<id>.ron
//! <data>/graphql/<hash of the endpoint URL>.ron     cached GraphQL schemas (SDL)
//! ```

use std::path::{Path, PathBuf};

pub const INDEX_FILE: &str = "localpost.ron";
pub const SECRETS_FILE: &str = "secrets.ron";
pub const WORKSPACES_DIR: &str = "workspaces";
pub const WORKSPACE_FILE: &str = "workspace.ron";
pub const GLOBALS_FILE: &str = "globals.ron";
pub const ENVIRONMENTS_DIR: &str = "environments";
pub const PRESETS_DIR: &str = "header-presets";
pub const COLLECTIONS_DIR: &str = "collections";
pub const COLLECTION_FILE: &str = "collection.ron";
pub const FOLDER_FILE: &str = "folder.ron";
pub const REQUEST_SUFFIX: &str = ".request.ron";
pub const RUNS_DIR: &str = "runs";
pub const HISTORY_DIR: &str = "history";
pub const COOKIES_FILE: &str = "cookies.ron";
pub const SETTINGS_FILE: &str = "settings.ron";
/// Cached GraphQL schemas, one file per endpoint ([`super::graphql`]).
pub const GRAPHQL_DIR: &str = "graphql";
/// Files the app itself keeps at the top of the data folder (settings, open tabs).
pub const APP_FILES: &[&str] = &["settings.ron", "session.ron", ".lock", ".gitignore"];

const MAX_SLUG_CHARS: usize = 60;

/// A file-name-safe form of `name`: lowercase letters and digits (any script) joined by `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(ch.to_lowercase());
        } else {
            dash = true;
        }
        if out.chars().count() >= MAX_SLUG_CHARS {
            break;
        }
    }
    if out.is_empty() { "untitled".to_owned() } else { out }
}

/// The first of `<stem><suffix>`, `<stem>-2<suffix>`, ... in `dir` that nothing occupies.
pub fn free_path(dir: &Path, stem: &str, suffix: &str, taken: impl Fn(&Path) -> bool) -> PathBuf {
    let first = dir.join(format!("{stem}{suffix}"));
    if !taken(&first) && !first.exists() {
        return first;
    }
    (2..).map(|n| dir.join(format!("{stem}-{n}{suffix}"))).find(|p| !taken(p) && !p.exists()).unwrap_or(first)
}

/// Whether `file_name`, in a folder at any depth, is a request file.
pub fn is_request_file(file_name: &str) -> bool {
    file_name.ends_with(REQUEST_SUFFIX) && file_name.len() > REQUEST_SUFFIX.len()
}

/// Whether an existing path's stem already fits `name` (so a save need not rename it).
pub fn stem_fits(path: &Path, name: &str, suffix: &str) -> bool {
    let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    let Some(stem) = file_name.strip_suffix(suffix) else { return false };
    let want = slug(name);
    stem == want
        || stem
            .strip_prefix(&want)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| n.parse::<u32>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_and_safe() {
        assert_eq!(slug("Get User by ID"), "get-user-by-id");
        assert_eq!(slug("  ../../etc/passwd "), "etc-passwd");
        assert_eq!(slug("Überweisung anlegen"), "überweisung-anlegen");
        assert_eq!(slug("🚀"), "untitled");
        assert_eq!(slug(""), "untitled");
        assert_eq!(slug(&"a".repeat(500)).len(), MAX_SLUG_CHARS);
    }

    #[test]
    fn stems_fit_with_number_suffixes() {
        assert!(stem_fits(Path::new("/x/get-user.request.ron"), "Get user", REQUEST_SUFFIX));
        assert!(stem_fits(Path::new("/x/get-user-3.request.ron"), "Get user", REQUEST_SUFFIX));
        assert!(!stem_fits(Path::new("/x/get-user-x.request.ron"), "Get user", REQUEST_SUFFIX));
        assert!(!stem_fits(Path::new("/x/other.request.ron"), "Get user", REQUEST_SUFFIX));
    }
}
