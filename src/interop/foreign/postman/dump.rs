//! Postman data dumps: the legacy single file (`Backup.postman_dump`: v1 collections,
//! environments, globals, header presets) and the newer data export, a folder or ZIP holding
//! `archive.json` (the index) with `collection/<id>.json` and `environment/<id>.json` beside it.

use std::io::Read;
use std::path::Path;

use super::{collection, environment, key_values, v1, variables};
use crate::interop::foreign::ids::IdMint;
use crate::interop::foreign::node::{Node, parse_json};
use crate::interop::foreign::tree::Tree;
use crate::interop::foreign::{Document, classify, decode_text, read_document, stem};
use crate::interop::{Format, ImportError, Imported, Report};
use crate::model::{Globals, GlobalsId, HeaderPreset, PresetId, WorkspaceData};

/// Largest file read from an archive, and largest total: a ZIP bomb stops here.
const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;
const MAX_TOTAL_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Most files looked at in an archive or folder.
const MAX_FILES: usize = 100_000;

/// A standalone v1 collection, as a workspace of its own.
pub(crate) fn import_v1_collection(root: &Node, report: &mut Report) -> Result<WorkspaceData, ImportError> {
    let mut mint = IdMint::new("postman", root.str("id"));
    let name = root.str("name").filter(|n| !n.trim().is_empty()).unwrap_or("Untitled collection");
    let mut tree = Tree::new(mint.id("workspace", root.str("id")), name);
    v1::read_into(&mut tree, root, "$", Format::PostmanCollectionV1, &mut mint, report)?;
    Ok(tree.into_data())
}

/// `Backup.postman_dump`.
pub(crate) fn import_legacy(
    root: &Node,
    name: &str,
    report: &mut Report,
) -> Result<WorkspaceData, ImportError> {
    let format = Format::PostmanDumpLegacy;
    let collections = root.at("collections");
    if !collections.is_array() {
        return Err(ImportError::Shape {
            format,
            path: "$.collections".into(),
            message: format!("expected an array of collections, found {}", collections.kind()),
        });
    }
    let scope = dump_scope(
        collections.items().iter().filter_map(|c| c.str("id").or_else(|| c.at("info").str("_postman_id"))),
    );
    let mut mint = IdMint::new("postman-dump", Some(&scope));
    let mut tree = Tree::new(mint.id("workspace", Some("dump")), name);
    for (i, c) in collections.items().iter().enumerate() {
        let path = format!("$.collections[{i}]");
        if c.get("info").is_some() {
            let mut inner = IdMint::new("postman", c.at("info").str("_postman_id"));
            collection::read_into(&mut tree, c, &path, format, name, &mut inner, report)?;
        } else {
            let mut inner = IdMint::new("postman", c.str("id"));
            v1::read_into(&mut tree, c, &path, format, &mut inner, report)?;
        }
    }
    for e in root.at("environments").items().iter().filter(|e| e.is_object()) {
        let mut inner = IdMint::new("postman-environment", e.str("id"));
        tree.add_environment(environment::environment(e, &mut inner, "Environment"));
    }
    // Globals: a bare list of rows, or (later versions) an object with `values`.
    let globals = root.at("globals");
    let rows = if globals.is_object() { globals.at("values") } else { globals };
    if !rows.items().is_empty() {
        let id = GlobalsId(mint.id("globals", Some("globals")));
        tree.data.globals = Globals { id, variables: variables(rows, id.0, &mut mint) };
    }
    for p in root.at("headerPresets").items().iter().filter(|p| p.is_object()) {
        let mut preset = HeaderPreset::new(p.str("name").unwrap_or("Header preset"));
        preset.id = PresetId(mint.id("header-preset", p.str("id")));
        preset.headers = key_values(p.at("headers"));
        tree.data.workspace.header_presets.push(preset.id);
        tree.data.header_presets.insert(preset.id, preset);
    }
    for (key, value) in root.entries() {
        if !matches!(key.as_str(), "version" | "collections" | "environments" | "globals" | "headerPresets")
            && !value.items().is_empty()
        {
            report.warn(
                name,
                format!(
                    "`{key}` in the dump ({} entries) is not something Localpost imports",
                    value.items().len()
                ),
            );
        }
    }
    Ok(tree.into_data())
}

/// A stable scope from the ids of what a dump holds (sorted, so order does not matter).
fn dump_scope<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    ids.join(",")
}

/// `archive.json`: `{"collection": {"<id>": true}, "environment": {"<id>": true}}`.
pub(crate) fn looks_like_archive_index(node: &Node) -> bool {
    let sections = ["collection", "environment", "globals"];
    !node.entries().is_empty()
        && node.entries().iter().all(|(k, v)| {
            sections.contains(&k.as_str())
                && v.entries().iter().all(|(_, flag)| matches!(flag, Node::Bool(_)))
        })
}

pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

pub(crate) fn zip_has_archive_index(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map(|archive| archive.file_names().any(|n| n.is_ok_and(|n| file_name(&n) == "archive.json")))
        .unwrap_or(false)
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn zip_error(message: String) -> ImportError {
    ImportError::Shape { format: Format::PostmanDumpArchive, path: "(zip)".into(), message }
}

/// A ZIP of a Postman data export.
pub(crate) fn import_zip(bytes: &[u8], source_name: &str) -> Result<Imported, ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| zip_error(format!("not a readable ZIP archive: {e}")))?;
    if !archive.file_names().any(|n| n.is_ok_and(|n| file_name(&n) == "archive.json")) {
        return Err(ImportError::UnknownFormat(
            "a ZIP file without archive.json (Localpost reads ZIPs of Postman data exports)".into(),
        ));
    }
    let mut files = Vec::new();
    let mut total = 0u64;
    for i in 0..archive.len().min(MAX_FILES) {
        let mut entry = archive.by_index(i).map_err(|e| zip_error(format!("entry {i}: {e}")))?;
        let name = entry.name().map_err(|e| zip_error(format!("entry {i}: {e}")))?.replace('\\', "/");
        if entry.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        let mut content = Vec::new();
        (&mut entry)
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut content)
            .map_err(|e| zip_error(format!("{name}: cannot unpack: {e}")))?;
        if content.len() as u64 > MAX_ENTRY_BYTES {
            return Err(zip_error(format!("{name}: larger than {} MiB unpacked", MAX_ENTRY_BYTES >> 20)));
        }
        total += content.len() as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(zip_error(format!("more than {} GiB unpacked", MAX_TOTAL_BYTES >> 30)));
        }
        files.push((name, content));
    }
    import_archive_files(&files, &stem(source_name))
}

/// A Postman data export unpacked into a folder.
pub(crate) fn import_dir(dir: &Path) -> Result<Imported, ImportError> {
    let mut files = Vec::new();
    collect_json_files(dir, dir, 0, &mut files)?;
    if !files.iter().any(|(name, _)| file_name(name) == "archive.json") {
        return Err(ImportError::UnknownFormat(format!(
            "the folder has no archive.json (Localpost reads folders of Postman data exports): {}",
            dir.display()
        )));
    }
    let name =
        dir.file_name().map_or_else(|| "Postman export".to_owned(), |n| n.to_string_lossy().into_owned());
    import_archive_files(&files, &name)
}

fn collect_json_files(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), ImportError> {
    let read_error = |path: &Path, error| ImportError::Read { path: path.to_owned(), error };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| read_error(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if out.len() >= MAX_FILES {
            break;
        }
        if path.is_dir() {
            if depth < 8 {
                collect_json_files(root, &path, depth + 1, out)?;
            }
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            let content = std::fs::read(&path).map_err(|e| read_error(&path, e))?;
            let name = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((name, content));
        }
    }
    Ok(())
}

/// The files of a data export, each with its path inside the export.
pub(crate) fn import_archive_files(files: &[(String, Vec<u8>)], name: &str) -> Result<Imported, ImportError> {
    let format = Format::PostmanDumpArchive;
    let mut report = Report::default();
    // The index nearest the top decides which folder is the export.
    let Some((index_path, index_bytes)) = files
        .iter()
        .filter(|(n, _)| file_name(n) == "archive.json")
        .min_by_key(|(n, _)| n.matches('/').count())
    else {
        return Err(ImportError::Shape { format, path: "archive.json".into(), message: "missing".into() });
    };
    let base = index_path.strip_suffix("archive.json").unwrap_or_default();
    let index = parse_file(index_path, index_bytes)?;
    if !looks_like_archive_index(&index) {
        return Err(ImportError::Shape {
            format,
            path: index_path.clone(),
            message: "expected {\"collection\": {id: true}, \"environment\": {id: true}}".into(),
        });
    }
    let listed: Vec<(&str, &str)> = index
        .entries()
        .iter()
        .flat_map(|(section, ids)| ids.entries().iter().map(move |(id, _)| (section.as_str(), id.as_str())))
        .collect();
    let scope = dump_scope(listed.iter().map(|(_, id)| *id));
    let mut mint = IdMint::new("postman-dump", Some(&scope));
    let mut tree = Tree::new(mint.id("workspace", Some("dump")), name);

    let mut found = Vec::new();
    for (path, bytes) in files {
        let Some(relative) = path.strip_prefix(base) else { continue };
        if relative == "archive.json" {
            continue;
        }
        let node = parse_file(path, bytes)?;
        let file_id = file_name(relative).trim_end_matches(".json");
        match classify(&node) {
            Ok(Format::PostmanCollectionV20 | Format::PostmanCollectionV21) => {
                let (root, json_path) = match node.get("collection") {
                    Some(inner) if inner.get("info").is_some() => {
                        (inner, format!("{relative}: $.collection"))
                    }
                    _ => (&node, format!("{relative}: $")),
                };
                let mut inner = IdMint::new("postman", root.at("info").str("_postman_id"));
                collection::read_into(
                    &mut tree,
                    root,
                    &json_path,
                    format,
                    &stem(relative),
                    &mut inner,
                    &mut report,
                )?;
            }
            Ok(Format::PostmanCollectionV1) => {
                let mut inner = IdMint::new("postman", node.str("id"));
                v1::read_into(&mut tree, &node, &format!("{relative}: $"), format, &mut inner, &mut report)?;
            }
            Ok(Format::PostmanEnvironment) => {
                let mut inner = IdMint::new("postman-environment", node.str("id"));
                tree.add_environment(environment::environment(&node, &mut inner, file_id));
            }
            Ok(Format::PostmanGlobals) => {
                let rows = if node.is_array() { &node } else { node.at("values") };
                let id = GlobalsId(mint.id("globals", Some("globals")));
                tree.data.globals.id = id;
                let vars = variables(rows, id.0, &mut mint);
                tree.data.globals.variables.extend(vars);
            }
            Ok(other) => {
                report.warn(relative, format!("{other} file inside a Postman export; not imported"));
                continue;
            }
            Err(e) => {
                report.warn(relative, format!("not imported: {e}"));
                continue;
            }
        }
        found.push(file_id.to_owned());
    }
    for (section, id) in &listed {
        if !found.iter().any(|f| f == id) {
            report.warn(
                format!("{base}archive.json"),
                format!("{section} {id} is listed but its file is missing"),
            );
        }
    }
    Ok(Imported { format, workspaces: vec![tree.into_data()], cookies: Vec::new(), report, bundle: None })
}

fn parse_file(path: &str, bytes: &[u8]) -> Result<Node, ImportError> {
    let wrap = |message: String| ImportError::Shape {
        format: Format::PostmanDumpArchive,
        path: path.to_owned(),
        message,
    };
    let text = decode_text(bytes).map_err(|e| wrap(e.to_string()))?;
    let text = text.as_ref();
    match read_document(text) {
        Ok(Document::Tree(node)) => Ok(node),
        Ok(Document::Curl) => Err(wrap("a cURL command, not JSON".into())),
        Err(_) => match parse_json(text, None) {
            Ok(node) => Ok(node),
            Err(e) => {
                Err(wrap(format!("invalid JSON at line {}, column {}: {}", e.line, e.column, e.message)))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut writer = zip::ZipWriter::new(&mut out);
            for (name, content) in files {
                writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
                writer.write_all(content.as_bytes()).unwrap();
            }
            writer.finish().unwrap();
        }
        out.into_inner()
    }

    const COLLECTION: &str = r#"{"info":{"_postman_id":"c-1","name":"Zipped","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"item":[{"id":"r-1","name":"One","request":{"method":"GET","url":"https://example.com/one"}}]}"#;
    const ENVIRONMENT: &str = r#"{"id":"e-1","name":"Staging","values":[{"key":"host","value":"staging.example.com","enabled":true}],"_postman_variable_scope":"environment"}"#;

    #[test]
    fn reads_a_zip_export() {
        let bytes = zip_of(&[
            ("export/archive.json", r#"{"collection":{"c-1":true},"environment":{"e-1":true,"e-2":true}}"#),
            ("export/collection/c-1.json", COLLECTION),
            ("export/environment/e-1.json", ENVIRONMENT),
        ]);
        assert!(is_zip(&bytes));
        assert!(zip_has_archive_index(&bytes));
        let imported = import_zip(&bytes, "export.zip").unwrap();
        assert_eq!(imported.format, Format::PostmanDumpArchive);
        let ws = &imported.workspaces[0];
        assert_eq!(ws.collections.values().next().unwrap().name, "Zipped");
        assert_eq!(ws.requests.len(), 1);
        assert_eq!(ws.environments.values().next().unwrap().name, "Staging");
        assert_eq!(imported.report.warnings.len(), 1, "{:?}", imported.report);
        assert!(
            imported.report.warnings[0].message.contains("environment e-2 is listed but its file is missing")
        );
    }

    #[test]
    fn a_zip_without_index_is_refused() {
        let bytes = zip_of(&[("x.json", "{}")]);
        assert!(matches!(import_zip(&bytes, "x.zip"), Err(ImportError::UnknownFormat(_))));
    }

    #[test]
    fn a_broken_file_inside_names_the_file() {
        let bytes = zip_of(&[
            ("archive.json", r#"{"collection":{"c-1":true}}"#),
            ("collection/c-1.json", "{\"info\": "),
        ]);
        let err = import_zip(&bytes, "x.zip").unwrap_err();
        assert!(err.to_string().contains("collection/c-1.json"), "{err}");
    }

    #[test]
    fn reads_an_export_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("collection")).unwrap();
        std::fs::write(dir.path().join("archive.json"), r#"{"collection":{"c-1":true}}"#).unwrap();
        std::fs::write(dir.path().join("collection/c-1.json"), COLLECTION).unwrap();
        let imported = import_dir(dir.path()).unwrap();
        assert_eq!(imported.workspaces[0].requests.len(), 1);
        assert!(imported.report.warnings.is_empty(), "{:?}", imported.report);
        // Same export, same ids.
        let again = import_dir(dir.path()).unwrap();
        assert_eq!(
            imported.workspaces[0].requests.keys().collect::<Vec<_>>(),
            again.workspaces[0].requests.keys().collect::<Vec<_>>()
        );
    }
}
