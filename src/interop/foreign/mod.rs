//! Formats from other tools: Postman, Insomnia, HAR, OpenAPI/Swagger, cURL.

use super::{Format, ImportError, Imported};

/// Which foreign format `bytes` hold, judged by content (never by file name).
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let _ = bytes;
    None
}

/// Reads a file of another tool. `source_name` (a file name) names things when the file does not.
pub fn import(bytes: &[u8], source_name: &str) -> Result<Imported, ImportError> {
    let _ = (bytes, source_name);
    Err(ImportError::UnknownFormat("no importer is built in yet".into()))
}
