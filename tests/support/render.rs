//! A readable text rendering of an import, for the expected-output files under
//! `tests/expected/import/`: the tree in order, every field of every entity, the report.
//!
//! Ids are shown as `#n` when derived from the source (uuid v5: the same on every import) and
//! `~n` when fresh (v4), numbered in order of first appearance, so the files stay stable while
//! still showing which ids are stable. Very long strings are cut, with their length and a hash so
//! a change anywhere in them still changes the rendering.

use std::collections::HashMap;
use std::fmt::Write as _;

use localpost::interop::{ImportError, Imported};
use localpost::model::{ItemId, ParentId, Request, WorkspaceData};
use serde_json::Value;

/// How much to show.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every field.
    Full,
    /// The tree with names, methods, URLs, auth kinds and example counts (large files).
    Summary,
}

const MAX_STRING: usize = 400;

pub struct Renderer {
    ids: HashMap<String, String>,
    derived: usize,
    fresh: usize,
    out: String,
    detail: Detail,
    in_id_field: bool,
}

impl Renderer {
    pub fn new(detail: Detail) -> Self {
        Self { ids: HashMap::new(), derived: 0, fresh: 0, out: String::new(), detail, in_id_field: false }
    }

    fn id(&mut self, uuid: &str) -> String {
        if let Some(label) = self.ids.get(uuid) {
            return label.clone();
        }
        let label = if uuid::Uuid::parse_str(uuid).map(|u| u.get_version_num()) == Ok(5) {
            self.derived += 1;
            format!("#{}", self.derived)
        } else {
            self.fresh += 1;
            format!("~{}", self.fresh)
        };
        self.ids.insert(uuid.to_owned(), label.clone());
        label
    }

    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{text}", "");
    }

    pub fn finish(self) -> String {
        self.out
    }

    pub fn imported(&mut self, imported: &Imported) {
        self.line(0, &format!("format: {}", imported.format));
        self.line(0, &format!("warnings: {}", imported.report.warnings.len()));
        for w in &imported.report.warnings {
            let text = format!("- {}: {}", w.location, w.message);
            let text = self.clip(&text);
            self.line(2, &text);
        }
        if !imported.cookies.is_empty() {
            self.line(0, &format!("cookies: {}", imported.cookies.len()));
            for cookie in &imported.cookies {
                let value = serde_json::to_value(cookie).unwrap_or(Value::Null);
                let text = format!("- {}", self.inline(&value));
                self.line(2, &text);
            }
        }
        for workspace in &imported.workspaces {
            self.workspace(workspace);
        }
    }

    pub fn error(&mut self, error: &ImportError) {
        self.line(0, &format!("error: {error}"));
    }

    fn workspace(&mut self, data: &WorkspaceData) {
        let id = self.id(&data.workspace.id.to_string());
        self.line(0, &format!("workspace {:?} {id}", data.workspace.name));
        if !data.globals.variables.is_empty() {
            let id = self.id(&data.globals.id.to_string());
            self.line(2, &format!("globals {id}"));
            let value = serde_json::to_value(&data.globals.variables).unwrap_or(Value::Null);
            self.field(4, "variables", &value);
        }
        for env_id in &data.workspace.environments {
            let Some(env) = data.environments.get(env_id) else {
                self.line(2, &format!("MISSING environment {env_id}"));
                continue;
            };
            let id = self.id(&env.id.to_string());
            self.line(2, &format!("environment {:?} {id}", env.name));
            let value = serde_json::to_value(&env.variables).unwrap_or(Value::Null);
            self.field(4, "variables", &value);
        }
        for preset_id in &data.workspace.header_presets {
            let Some(preset) = data.header_presets.get(preset_id) else { continue };
            let id = self.id(&preset.id.to_string());
            self.line(2, &format!("header preset {:?} {id}", preset.name));
            let value = serde_json::to_value(&preset.headers).unwrap_or(Value::Null);
            self.field(4, "headers", &value);
        }
        let mut seen_folders = 0;
        let mut seen_requests = 0;
        for collection_id in &data.workspace.collections {
            let Some(collection) = data.collections.get(collection_id) else {
                self.line(2, &format!("MISSING collection {collection_id}"));
                continue;
            };
            let id = self.id(&collection.id.to_string());
            let total = data.requests_under(ParentId::Collection(collection.id)).len();
            let noun = if total == 1 { "request" } else { "requests" };
            self.line(2, &format!("collection {:?} {id} ({total} {noun})", collection.name));
            let value = serde_json::to_value(collection).unwrap_or(Value::Null);
            self.fields(4, &value, &["id", "name", "children"]);
            self.children(data, &collection.children, 4, &mut seen_folders, &mut seen_requests, 0);
        }
        if seen_folders != data.folders.len() || seen_requests != data.requests.len() {
            self.line(
                2,
                &format!(
                    "UNREACHABLE: {} of {} folders and {} of {} requests are in no order list",
                    data.folders.len() - seen_folders.min(data.folders.len()),
                    data.folders.len(),
                    data.requests.len() - seen_requests.min(data.requests.len()),
                    data.requests.len()
                ),
            );
        }
    }

    fn children(
        &mut self,
        data: &WorkspaceData,
        children: &[ItemId],
        indent: usize,
        seen_folders: &mut usize,
        seen_requests: &mut usize,
        depth: usize,
    ) {
        if depth > 64 {
            self.line(indent, "TOO DEEP");
            return;
        }
        for child in children {
            match child {
                ItemId::Folder(folder_id) => {
                    let Some(folder) = data.folders.get(folder_id) else {
                        self.line(indent, &format!("MISSING folder {folder_id}"));
                        continue;
                    };
                    *seen_folders += 1;
                    let id = self.id(&folder.id.to_string());
                    self.line(indent, &format!("folder {:?} {id}", folder.name));
                    let value = serde_json::to_value(folder).unwrap_or(Value::Null);
                    match self.detail {
                        Detail::Full => self.fields(indent + 2, &value, &["id", "name", "children"]),
                        Detail::Summary => self.summary_auth(indent + 2, &value),
                    }
                    self.children(data, &folder.children, indent + 2, seen_folders, seen_requests, depth + 1);
                }
                ItemId::Request(request_id) => {
                    let Some(request) = data.requests.get(request_id) else {
                        self.line(indent, &format!("MISSING request {request_id}"));
                        continue;
                    };
                    *seen_requests += 1;
                    self.request(request, indent);
                }
            }
        }
    }

    fn request(&mut self, request: &Request, indent: usize) {
        let id = self.id(&request.id.to_string());
        self.line(indent, &format!("request {:?} {id}", request.name));
        let mut value = serde_json::to_value(request).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            // Said explicitly, so a reader sees inheritance rather than an absence.
            map.entry("auth").or_insert_with(|| Value::String("Inherit".into()));
        }
        match self.detail {
            Detail::Full => self.fields(indent + 2, &value, &["id", "name"]),
            Detail::Summary => {
                let url = self.clip(&request.url);
                self.line(indent + 2, &format!("{} {url}", request.method));
                self.summary_auth(indent + 2, &value);
                if request.body.mode != localpost::model::BodyMode::None {
                    self.line(indent + 2, &format!("body: {:?}", request.body.mode));
                }
                if !request.examples.is_empty() {
                    let statuses: Vec<String> =
                        request.examples.iter().map(|e| e.response.status.to_string()).collect();
                    self.line(indent + 2, &format!("examples: {}", statuses.join(", ")));
                }
            }
        }
    }

    fn summary_auth(&mut self, indent: usize, entity: &Value) {
        if let Some(auth) = entity.get("auth") {
            let kind = match auth {
                Value::String(s) => s.clone(),
                Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
                _ => String::new(),
            };
            if kind != "Inherit" {
                self.line(indent, &format!("auth: {kind}"));
            }
        }
    }

    fn fields(&mut self, indent: usize, value: &Value, skip: &[&str]) {
        if let Value::Object(map) = value {
            for (key, v) in map {
                if !skip.contains(&key.as_str()) {
                    self.field(indent, key, v);
                }
            }
        }
    }

    fn field(&mut self, indent: usize, key: &str, value: &Value) {
        let inline = self.inline_field(key, value);
        if inline.chars().count() + indent + key.len() <= 110 || is_scalar(value) {
            self.line(indent, &format!("{key}: {inline}"));
            return;
        }
        match value {
            Value::Array(items) => {
                self.line(indent, &format!("{key}:"));
                for item in items {
                    let inline = self.inline(item);
                    if inline.chars().count() + indent <= 108 || is_scalar(item) {
                        self.line(indent + 2, &format!("- {inline}"));
                    } else {
                        self.line(indent + 2, "-");
                        self.block(indent + 4, item);
                    }
                }
            }
            Value::Object(map) if map.len() == 1 && starts_upper(map.keys().next()) => {
                let (tag, inner) = map.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap_or_default();
                self.line(indent, &format!("{key}: {tag}"));
                self.block(indent + 2, &inner);
            }
            _ => {
                self.line(indent, &format!("{key}:"));
                self.block(indent + 2, value);
            }
        }
    }

    fn block(&mut self, indent: usize, value: &Value) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    self.field(indent, k, v);
                }
            }
            other => {
                let inline = self.inline(other);
                self.line(indent, &inline);
            }
        }
    }

    fn inline(&mut self, value: &Value) -> String {
        match value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => {
                if self.in_id_field && looks_like_uuid(s) {
                    self.id(s)
                } else {
                    let clipped = self.clip(s);
                    serde_json::to_string(&clipped).unwrap_or_default()
                }
            }
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(|i| self.inline(i)).collect();
                format!("[{}]", parts.join(", "))
            }
            Value::Object(map) if map.len() == 1 && starts_upper(map.keys().next()) => {
                let (tag, inner) = map.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap_or_default();
                format!("{tag} {}", self.inline(&inner))
            }
            Value::Object(map) => {
                let parts: Vec<String> =
                    map.iter().map(|(k, v)| format!("{k}: {}", self.inline_field(k, v))).collect();
                format!("{{{}}}", parts.join(", "))
            }
        }
    }

    /// A value under `key`; only id fields have their UUIDs replaced by labels.
    fn inline_field(&mut self, key: &str, value: &Value) -> String {
        let was = self.in_id_field;
        self.in_id_field = key == "id" || key.ends_with("_id") || key == "source_request";
        let text = self.inline(value);
        self.in_id_field = was;
        text
    }

    fn clip(&self, s: &str) -> String {
        if s.chars().count() <= MAX_STRING {
            return s.to_owned();
        }
        let head: String = s.chars().take(MAX_STRING - 100).collect();
        format!("{head}… [{} chars, fnv {:016x}]", s.chars().count(), fnv(s.as_bytes()))
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn starts_upper(key: Option<&String>) -> bool {
    key.and_then(|k| k.chars().next()).is_some_and(char::is_uppercase)
}

fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Renders an import result (or its error).
pub fn render(result: &Result<Imported, ImportError>, detail: Detail) -> String {
    let mut renderer = Renderer::new(detail);
    match result {
        Ok(imported) => renderer.imported(imported),
        Err(error) => renderer.error(error),
    }
    renderer.finish()
}

/// Renders one request (a parsed cURL command).
pub fn render_request(result: &Result<Request, ImportError>) -> String {
    let mut renderer = Renderer::new(Detail::Full);
    match result {
        Ok(request) => renderer.request(request, 0),
        Err(error) => renderer.error(error),
    }
    renderer.finish()
}
