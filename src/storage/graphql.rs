//! The GraphQL schema cache: one RON file per endpoint under `<data>/graphql/`, named after a
//! hash of the endpoint's resolved URL, holding the URL, when and how the schema was obtained,
//! and the schema as SDL.
//!
//! The cache belongs to the data folder as a whole, not to a workspace: a schema describes an
//! endpoint, and two workspaces (or collections) that talk to the same endpoint share one fetch.
//! It is derived data that can always be fetched again, so it stays out of the workspace folders
//! people commit and share. A cache file that does not read is reported by its path and the
//! caller fetches again, which writes over it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::atomic::write_atomic;
use super::document::{self, Document};
use super::layout::GRAPHQL_DIR;
use super::{Store, StoreError};

/// Where a cached schema came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SchemaOrigin {
    /// Fetched from the endpoint by an introspection query.
    Introspection,
    /// Loaded by the user from a file (SDL or introspection JSON): the file's path.
    File(String),
}

/// One endpoint's cached schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CachedSchema {
    /// The endpoint's resolved URL (variables replaced), the cache's key.
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    pub fetched_at: OffsetDateTime,
    pub origin: SchemaOrigin,
    /// The schema as GraphQL SDL.
    pub sdl: String,
}

impl Document for CachedSchema {
    const KEY: &'static str = "graphql_schema";
}

/// Why a cached schema could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the cached schema {} could not be read ({reason}); it will be fetched again", path.display())]
pub struct CacheError {
    pub path: PathBuf,
    pub reason: String,
}

/// The cache file of the endpoint `url` under the data folder `root`.
pub fn schema_path(root: &Path, url: &str) -> PathBuf {
    let digest = Sha256::digest(url.as_bytes());
    let name: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    root.join(GRAPHQL_DIR).join(format!("{name}.ron"))
}

impl Store {
    /// The cached schema of `url`: `Ok(None)` when there is none, an error naming the file when
    /// it does not read (or holds another URL's schema).
    pub fn load_graphql_schema(&self, url: &str) -> Result<Option<CachedSchema>, CacheError> {
        load_schema(self.root(), url)
    }

    /// Writes (or replaces) the cached schema of its URL; returns the file's path.
    pub fn save_graphql_schema(&self, cached: &CachedSchema) -> Result<PathBuf, StoreError> {
        save_schema(self.root(), cached)
    }
}

/// See [`Store::load_graphql_schema`].
pub fn load_schema(root: &Path, url: &str) -> Result<Option<CachedSchema>, CacheError> {
    let path = schema_path(root, url);
    if !path.exists() {
        return Ok(None);
    }
    let fail = |reason: String| CacheError { path: path.clone(), reason };
    let cached = super::load::read_document::<CachedSchema>(&path).map_err(|e| fail(e.to_string()))?.entity;
    if cached.url != url {
        return Err(fail(format!("it holds the schema of {}", cached.url)));
    }
    Ok(Some(cached))
}

/// See [`Store::save_graphql_schema`].
pub fn save_schema(root: &Path, cached: &CachedSchema) -> Result<PathBuf, StoreError> {
    let path = schema_path(root, &cached.url);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::write(dir, e))?;
    }
    let text = document::to_text(cached)
        .map_err(|e| StoreError::Encode { what: path.display().to_string(), message: e.to_string() })?;
    write_atomic(&path, text.as_bytes(), false).map_err(|e| StoreError::write(&path, e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(url: &str) -> CachedSchema {
        CachedSchema {
            url: url.into(),
            fetched_at: OffsetDateTime::UNIX_EPOCH,
            origin: SchemaOrigin::Introspection,
            sdl: "type Query {\n  hero(id: ID): String\n}\n".into(),
        }
    }

    #[test]
    fn a_schema_round_trips_under_its_endpoint() {
        let dir = tempfile::tempdir().unwrap();
        let url = "http://127.0.0.1:4000/graphql";
        assert_eq!(load_schema(dir.path(), url), Ok(None));
        let path = save_schema(dir.path(), &sample(url)).unwrap();
        assert!(path.starts_with(dir.path().join(GRAPHQL_DIR)), "{}", path.display());
        assert_eq!(load_schema(dir.path(), url), Ok(Some(sample(url))));
        assert_eq!(load_schema(dir.path(), "http://127.0.0.1:4000/other"), Ok(None));
    }

    #[test]
    fn a_corrupt_cache_file_is_reported_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://api.example.com/graphql";
        let path = schema_path(dir.path(), url);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "(format: 1, graphql_schema: (url: \"https://api").unwrap();
        let err = load_schema(dir.path(), url).unwrap_err();
        assert_eq!(err.path, path);
        assert!(err.to_string().contains(&path.display().to_string()), "{err}");
    }

    #[test]
    fn a_file_holding_another_endpoint_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://a.example/graphql";
        let other = save_schema(dir.path(), &sample("https://b.example/graphql")).unwrap();
        std::fs::rename(&other, schema_path(dir.path(), url)).unwrap();
        let err = load_schema(dir.path(), url).unwrap_err();
        assert!(err.reason.contains("b.example"), "{err}");
    }
}
