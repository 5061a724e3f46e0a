//! Deleting all local data: the local counterpart of Postman's sign-out clearing the local
//! instance. Only what Localpost wrote goes; anything else in the folder (a `.git` folder, a
//! README the user keeps there) stays.

use std::fs;
use std::io;
use std::path::Path;

use super::StoreError;
#[cfg(test)]
use super::layout::SETTINGS_FILE;
use super::layout::{APP_FILES, GRAPHQL_DIR, INDEX_FILE, SECRETS_FILE, WORKSPACES_DIR};

/// Removes every workspace (collections, requests, environments, history, run results,
/// cookies), the secrets, the settings and the session from `root`. The next
/// [`super::Store::open`] starts afresh with one empty workspace.
pub fn reset(root: &Path) -> Result<(), StoreError> {
    // The index first: a reset cut short leaves no list pointing at half-deleted workspaces.
    // Settings and session; the lock and `.gitignore` stay.
    let app_files = APP_FILES.iter().filter(|f| !f.starts_with('.'));
    for file in [INDEX_FILE, SECRETS_FILE].iter().chain(app_files) {
        let path = root.join(file);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::write(path, e)),
        }
    }
    // The cached GraphQL schemas (fetched from endpoints the user used) go too.
    for dir in [WORKSPACES_DIR, GRAPHQL_DIR] {
        let dir = root.join(dir);
        match fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::write(dir, e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Store;

    #[test]
    fn reset_deletes_what_localpost_wrote_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let spec = crate::storage::sample::SampleSpec { collections: 2, folders: 2, requests: 10 };
        crate::storage::sample::generate(dir.path(), "Team", spec).unwrap();
        fs::create_dir_all(dir.path().join(".git")).unwrap();
        fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(dir.path().join(SETTINGS_FILE), "(format: 1, settings: ())").unwrap();
        let schema = crate::storage::graphql::CachedSchema {
            url: "http://127.0.0.1:4000/graphql".into(),
            fetched_at: time::OffsetDateTime::UNIX_EPOCH,
            origin: crate::storage::graphql::SchemaOrigin::Introspection,
            sdl: "type Query { a: Int }".into(),
        };
        crate::storage::graphql::save_schema(dir.path(), &schema).unwrap();
        let before = Store::open(dir.path()).unwrap();
        assert!(before.report.is_clean(), "the schema cache is the data folder's own: {:?}", before.report);
        drop(before);

        reset(dir.path()).unwrap();
        assert!(!dir.path().join(WORKSPACES_DIR).exists());
        assert!(!dir.path().join(SETTINGS_FILE).exists());
        assert!(!dir.path().join(GRAPHQL_DIR).exists(), "cached GraphQL schemas go too");
        assert!(dir.path().join(".git/HEAD").exists(), "the user's own files stay");
        let opened = Store::open(dir.path()).unwrap();
        let names: Vec<_> = opened.library.workspaces.values().map(|w| w.workspace.name.clone()).collect();
        assert_eq!(names, vec![crate::storage::FIRST_WORKSPACE.to_owned()]);
        assert!(opened.report.is_clean(), "{:?}", opened.report);
    }
}
