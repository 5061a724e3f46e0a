//! The file formats Localpost reads or writes (what `interop` parses and the policy names).

use std::fmt;

/// Every format Localpost reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    /// Localpost's own backup bundle (RON).
    Bundle,
    PostmanCollectionV20,
    PostmanCollectionV21,
    PostmanEnvironment,
    PostmanGlobals,
    /// `Backup.postman_dump` (single JSON file, v1 collections inside).
    PostmanDumpLegacy,
    /// The newer data export: a folder or ZIP with `archive.json` and one file per entity.
    PostmanDumpArchive,
    InsomniaV4,
    InsomniaV5,
    Har,
    OpenApi3,
    Swagger2,
    Curl,
    /// A standalone Postman Collection v1 (the shape inside old data dumps).
    PostmanCollectionV1,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Bundle => "Localpost bundle",
            Format::PostmanCollectionV20 => "Postman Collection v2.0",
            Format::PostmanCollectionV21 => "Postman Collection v2.1",
            Format::PostmanEnvironment => "Postman environment",
            Format::PostmanGlobals => "Postman globals",
            Format::PostmanDumpLegacy => "Postman data dump (Backup.postman_dump)",
            Format::PostmanDumpArchive => "Postman data export (archive.json)",
            Format::InsomniaV4 => "Insomnia export v4",
            Format::InsomniaV5 => "Insomnia export v5",
            Format::Har => "HAR 1.2",
            Format::OpenApi3 => "OpenAPI 3",
            Format::Swagger2 => "Swagger 2.0",
            Format::Curl => "cURL command",
            Format::PostmanCollectionV1 => "Postman Collection v1",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
