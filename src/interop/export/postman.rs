//! Postman Collection v2.1 and Postman environment JSON, as Postman and newman load them.
//!
//! Mapped: folders to any depth, collection and folder variables, every body mode (raw with its
//! language, urlencoded, form-data text and file parts, binary file, GraphQL), every auth kind
//! (those Localpost sends, and the ones it keeps verbatim from an import: NTLM, Hawk, OAuth 1.0,
//! EdgeGrid...), auth inheritance, saved examples, descriptions, disabled entries, path
//! variables, scripts and `protocolProfileBehavior`. What Postman has no place for (assertions,
//! captures, per-request timeouts...) is listed in the report.

mod auth;

use serde_json::{Map, Value, json};

use super::{Exported, split_url};
use crate::interop::Report;
use crate::interop::bundle::Secrets;
use crate::model::url_text::UrlText;
use crate::model::*;

pub const SCHEMA_V21: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// Options of a Postman export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PostmanOptions {
    /// Secret variable values are left empty unless included (the policy may forbid it).
    pub secrets: Secrets,
}

/// A collection (or a folder, exported as a collection of its own) as Postman v2.1 JSON.
pub fn collection_v21(data: &WorkspaceData, root: ParentId, options: PostmanOptions) -> Option<Exported> {
    let mut ex = Exporter { data, report: Report::default(), options, secrets_left_out: 0 };
    let mut out = Map::new();
    let (id, name, description, variables, auth, scripts, settings) = match root {
        ParentId::Collection(id) => {
            let c = data.collections.get(&id)?;
            (id.0, &c.name, &c.description, c.variables.clone(), c.auth.clone(), &c.scripts, &c.settings)
        }
        ParentId::Folder(id) => {
            let f = data.folders.get(&id)?;
            // The folder stands alone: it takes what it would inherit.
            let mut vars = Vec::new();
            let mut auth = f.auth.clone();
            for parent in data.ancestors(ItemId::Folder(id)).into_iter().rev() {
                let (pv, pa) = match parent {
                    ParentId::Collection(c) => data.collections.get(&c).map(|c| (&c.variables, &c.auth)),
                    ParentId::Folder(p) => data.folders.get(&p).map(|p| (&p.variables, &p.auth)),
                }?;
                vars.retain(|v: &Variable| !pv.iter().any(|p| p.key == v.key));
                vars.extend(pv.iter().cloned());
                if auth == Auth::Inherit && *pa != Auth::Inherit {
                    auth = pa.clone();
                }
            }
            vars.retain(|v: &Variable| !f.variables.iter().any(|p| p.key == v.key));
            vars.extend(f.variables.iter().cloned());
            ex.report.warn(
                &f.name,
                "exported as a collection of its own, with the variables and auth it inherits",
            );
            (id.0, &f.name, &f.description, vars, auth, &f.scripts, &f.settings)
        }
    };
    let mut info = Map::new();
    info.insert("_postman_id".into(), json!(id.to_string()));
    info.insert("name".into(), json!(name));
    if !description.is_empty() {
        info.insert("description".into(), json!(description));
    }
    info.insert("schema".into(), json!(SCHEMA_V21));
    out.insert("info".into(), Value::Object(info));
    out.insert("item".into(), Value::Array(ex.items(root, name)));
    let root_auth = if auth == Auth::Inherit { Auth::None } else { auth };
    if let Some(a) = ex.auth(&root_auth, name) {
        out.insert("auth".into(), a);
    }
    if let Some(events) = events(scripts) {
        out.insert("event".into(), events);
    }
    if !variables.is_empty() {
        out.insert("variable".into(), ex.variables(&variables));
    }
    if let Some(ppb) = ex.protocol_profile(settings, name) {
        out.insert("protocolProfileBehavior".into(), ppb);
    }
    ex.finish_secrets();
    let text = serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default();
    Some(Exported { text, report: ex.report })
}

/// An environment as a Postman environment file.
pub fn environment(env: &Environment, options: PostmanOptions) -> Exported {
    variables_file(&env.id.to_string(), &env.name, "environment", &env.variables, options)
}

/// Globals as a Postman globals file.
pub fn globals(variables: &[crate::model::Variable], options: PostmanOptions) -> Exported {
    variables_file(&uuid::Uuid::new_v4().to_string(), "Globals", "globals", variables, options)
}

fn variables_file(
    id: &str,
    name: &str,
    scope: &str,
    variables: &[crate::model::Variable],
    options: PostmanOptions,
) -> Exported {
    let mut report = Report::default();
    let mut left_out = 0;
    let values: Vec<Value> = variables
        .iter()
        .map(|v| {
            let mut value = v.value.clone();
            if v.secret && options.secrets == Secrets::Exclude && !value.is_empty() {
                value.clear();
                left_out += 1;
            }
            let mut m = Map::new();
            m.insert("key".into(), json!(v.key));
            m.insert("value".into(), json!(value));
            m.insert("type".into(), json!(if v.secret { "secret" } else { "default" }));
            m.insert("enabled".into(), json!(v.enabled));
            if !v.description.is_empty() {
                m.insert("description".into(), json!(v.description));
            }
            Value::Object(m)
        })
        .collect();
    if left_out > 0 {
        report.warn(name, format!("{left_out} secret values left out"));
    }
    let out = json!({
        "id": id,
        "name": name,
        "values": values,
        "_postman_variable_scope": scope,
        "_postman_exported_using": format!("Localpost/{}", env!("CARGO_PKG_VERSION")),
    });
    Exported { text: serde_json::to_string_pretty(&out).unwrap_or_default(), report }
}

struct Exporter<'a> {
    data: &'a WorkspaceData,
    report: Report,
    options: PostmanOptions,
    secrets_left_out: usize,
}

impl Exporter<'_> {
    fn finish_secrets(&mut self) {
        if self.secrets_left_out > 0 {
            let n = self.secrets_left_out;
            self.report.warn("secrets", format!("{n} secret values left out"));
        }
    }

    fn items(&mut self, parent: ParentId, path: &str) -> Vec<Value> {
        let Some(children) = self.data.children(parent) else { return Vec::new() };
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            match *child {
                ItemId::Folder(id) => {
                    let Some(f) = self.data.folders.get(&id) else { continue };
                    let here = format!("{path} / {}", f.name);
                    let mut m = Map::new();
                    m.insert("id".into(), json!(id.to_string()));
                    m.insert("name".into(), json!(f.name));
                    if !f.description.is_empty() {
                        m.insert("description".into(), json!(f.description));
                    }
                    m.insert("item".into(), Value::Array(self.items(ParentId::Folder(id), &here)));
                    if let Some(a) = self.auth(&f.auth, &here) {
                        m.insert("auth".into(), a);
                    }
                    if let Some(e) = events(&f.scripts) {
                        m.insert("event".into(), e);
                    }
                    if !f.variables.is_empty() {
                        m.insert("variable".into(), self.variables(&f.variables));
                        self.report.warn(
                            &here,
                            "folder variables are in the file, but Postman's app does not show them",
                        );
                    }
                    if let Some(ppb) = self.protocol_profile(&f.settings, &here) {
                        m.insert("protocolProfileBehavior".into(), ppb);
                    }
                    out.push(Value::Object(m));
                }
                ItemId::Request(id) => {
                    let Some(r) = self.data.requests.get(&id) else { continue };
                    let here = format!("{path} / {}", r.name);
                    if r.is_websocket() {
                        self.report.warn(&here, super::WEBSOCKET_NOT_EXPORTED);
                        continue;
                    }
                    out.push(self.request_item(r, &here));
                }
            }
        }
        out
    }

    fn request_item(&mut self, r: &Request, here: &str) -> Value {
        let mut req = Map::new();
        req.insert("method".into(), json!(r.method.as_str()));
        req.insert("header".into(), Value::Array(r.headers.iter().map(kv).collect()));
        if let Some(body) = self.body(&r.body, here) {
            req.insert("body".into(), body);
        }
        req.insert("url".into(), url_object(&r.url, &r.params, &r.path_variables));
        if let Some(a) = self.auth(&r.auth, here) {
            req.insert("auth".into(), a);
        }
        if !r.description.is_empty() {
            req.insert("description".into(), json!(r.description));
        }
        if r.path_variables.iter().any(|v| !v.enabled) {
            self.report.warn(here, "Postman has no disabled path variables; they are exported enabled");
        }
        if !r.assertions.is_empty() {
            self.report.warn(
                here,
                format!("{} assertions not exported (Postman checks with test scripts)", r.assertions.len()),
            );
        }
        if !r.captures.is_empty() {
            self.report.warn(
                here,
                format!("{} captures not exported (Postman sets variables in scripts)", r.captures.len()),
            );
        }
        let mut m = Map::new();
        m.insert("id".into(), json!(r.id.to_string()));
        m.insert("name".into(), json!(r.name));
        if let Some(e) = events(&r.scripts) {
            m.insert("event".into(), e);
        }
        if let Some(ppb) = self.protocol_profile(&r.settings, here) {
            m.insert("protocolProfileBehavior".into(), ppb);
        }
        m.insert("request".into(), Value::Object(req));
        m.insert("response".into(), Value::Array(r.examples.iter().map(|e| self.example(e, here)).collect()));
        Value::Object(m)
    }

    fn body(&mut self, body: &Body, here: &str) -> Option<Value> {
        let mut m = Map::new();
        // Postman, like Localpost, keeps the other modes' contents: write all that is set.
        if !body.raw.is_empty() || body.mode == BodyMode::Raw {
            m.insert("raw".into(), json!(body.raw));
            let language = match body.raw_language {
                RawLanguage::Text => "text",
                RawLanguage::Json => "json",
                RawLanguage::Xml => "xml",
                RawLanguage::Html => "html",
                RawLanguage::JavaScript => "javascript",
            };
            m.insert("options".into(), json!({ "raw": { "language": language } }));
        }
        if !body.urlencoded.is_empty() || body.mode == BodyMode::UrlEncoded {
            m.insert("urlencoded".into(), Value::Array(body.urlencoded.iter().map(kv).collect()));
        }
        if !body.multipart.is_empty() || body.mode == BodyMode::Multipart {
            let parts = body
                .multipart
                .iter()
                .map(|p| {
                    let mut pm = Map::new();
                    pm.insert("key".into(), json!(p.key));
                    match &p.kind {
                        FormPartKind::Text(v) => {
                            pm.insert("value".into(), json!(v));
                            pm.insert("type".into(), json!("text"));
                        }
                        FormPartKind::File(path) => {
                            pm.insert("src".into(), json!(path));
                            pm.insert("type".into(), json!("file"));
                        }
                    }
                    if !p.content_type.is_empty() {
                        pm.insert("contentType".into(), json!(p.content_type));
                    }
                    if !p.enabled {
                        pm.insert("disabled".into(), json!(true));
                    }
                    if !p.description.is_empty() {
                        pm.insert("description".into(), json!(p.description));
                    }
                    Value::Object(pm)
                })
                .collect();
            m.insert("formdata".into(), Value::Array(parts));
        }
        if !body.binary_path.is_empty() || body.mode == BodyMode::Binary {
            m.insert("file".into(), json!({ "src": body.binary_path }));
        }
        let g = &body.graphql;
        if !g.query.is_empty() || !g.variables.is_empty() || body.mode == BodyMode::GraphQl {
            m.insert("graphql".into(), json!({ "query": g.query, "variables": g.variables }));
            if !g.operation_name.is_empty() {
                self.report.warn(
                    here,
                    format!(
                        "GraphQL operation name `{}` not exported: Postman has no field for it",
                        g.operation_name
                    ),
                );
            }
        }
        let mode = match body.mode {
            BodyMode::Raw => "raw",
            BodyMode::UrlEncoded => "urlencoded",
            BodyMode::Multipart => "formdata",
            BodyMode::Binary => "file",
            BodyMode::GraphQl => "graphql",
            BodyMode::None => {
                // Content kept from another mode, not sent: Postman's `disabled` body.
                let first = ["raw", "urlencoded", "formdata", "file", "graphql"]
                    .into_iter()
                    .find(|k| m.contains_key(*k))?;
                m.insert("disabled".into(), json!(true));
                first
            }
        };
        m.insert("mode".into(), json!(mode));
        Some(Value::Object(m))
    }

    fn variables(&mut self, vars: &[Variable]) -> Value {
        Value::Array(
            vars.iter()
                .map(|v| {
                    let mut value = v.value.clone();
                    if v.secret && self.options.secrets == Secrets::Exclude && !value.is_empty() {
                        value.clear();
                        self.secrets_left_out += 1;
                    }
                    let mut m = Map::new();
                    m.insert("key".into(), json!(v.key));
                    m.insert("value".into(), json!(value));
                    m.insert("type".into(), json!(if v.secret { "secret" } else { "string" }));
                    if !v.enabled {
                        m.insert("disabled".into(), json!(true));
                    }
                    if !v.description.is_empty() {
                        m.insert("description".into(), json!(v.description));
                    }
                    Value::Object(m)
                })
                .collect(),
        )
    }

    fn protocol_profile(&mut self, s: &RequestSettings, here: &str) -> Option<Value> {
        let mut m = Map::new();
        if let Some(v) = s.follow_redirects {
            m.insert("followRedirects".into(), json!(v));
        }
        if let Some(v) = s.max_redirects {
            m.insert("maxRedirects".into(), json!(v));
        }
        if let Some(v) = s.follow_original_method {
            m.insert("followOriginalHttpMethod".into(), json!(v));
        }
        if let Some(v) = s.verify_tls {
            m.insert("strictSSL".into(), json!(v));
        }
        if s.disable_auto_headers {
            m.insert(
                "disabledSystemHeaders".into(),
                json!({ "user-agent": true, "accept": true, "accept-encoding": true, "connection": true, "content-type": true, "cache-control": true, "postman-token": true }),
            );
        }
        if let Some(ms) = s.timeout_ms {
            self.report
                .warn(here, format!("timeout of {ms} ms not exported: Postman has no per-request timeout"));
        }
        (!m.is_empty()).then_some(Value::Object(m))
    }

    fn example(&mut self, e: &SavedResponse, here: &str) -> Value {
        let sent = &e.request;
        let mut original = Map::new();
        original.insert("method".into(), json!(if sent.method.is_empty() { "GET" } else { &sent.method }));
        original.insert(
            "header".into(),
            Value::Array(sent.headers.iter().map(|h| json!({ "key": h.name, "value": h.value })).collect()),
        );
        original.insert("url".into(), url_object(&sent.url, &[], &[]));
        if let Some(body) = &sent.body {
            original.insert("body".into(), json!({ "mode": "raw", "raw": self.body_text(body, here) }));
        }
        let res = &e.response;
        let content_type = find_header(&res.headers, "content-type").unwrap_or("");
        let language = if content_type.contains("json") {
            "json"
        } else if content_type.contains("xml") {
            "xml"
        } else if content_type.contains("html") {
            "html"
        } else {
            "text"
        };
        let mut m = Map::new();
        m.insert("id".into(), json!(e.id.to_string()));
        m.insert("name".into(), json!(e.name));
        m.insert("originalRequest".into(), Value::Object(original));
        m.insert("status".into(), json!(res.reason));
        m.insert("code".into(), json!(res.status));
        m.insert("_postman_previewlanguage".into(), json!(language));
        m.insert(
            "header".into(),
            Value::Array(res.headers.iter().map(|h| json!({ "key": h.name, "value": h.value })).collect()),
        );
        m.insert("cookie".into(), json!([]));
        m.insert("responseTime".into(), json!(res.time_ms));
        m.insert(
            "body".into(),
            json!(res.body.as_ref().map(|b| self.body_text(b, here)).unwrap_or_default()),
        );
        Value::Object(m)
    }

    fn body_text(&mut self, body: &StoredBody, here: &str) -> String {
        match body {
            StoredBody::Text(t) => t.clone(),
            StoredBody::Base64(b) => {
                self.report
                    .warn(here, "a binary example body is written as base64 text (Postman keeps text only)");
                b.clone()
            }
        }
    }
}

fn kv(k: &KeyValue) -> Value {
    let mut m = Map::new();
    m.insert("key".into(), json!(k.key));
    m.insert("value".into(), json!(k.value));
    m.insert("type".into(), json!("text"));
    if !k.enabled {
        m.insert("disabled".into(), json!(true));
    }
    if !k.description.is_empty() {
        m.insert("description".into(), json!(k.description));
    }
    Value::Object(m)
}

fn events(scripts: &Scripts) -> Option<Value> {
    let mut out = Vec::new();
    for (listen, text) in [("prerequest", &scripts.pre_request), ("test", &scripts.test)] {
        if !text.trim().is_empty() {
            let exec: Vec<&str> = text.split('\n').collect();
            out.push(json!({ "listen": listen, "script": { "type": "text/javascript", "exec": exec } }));
        }
    }
    (!out.is_empty()).then_some(Value::Array(out))
}

/// Postman's URL object: `raw` plus its parts, query params (disabled ones too) and path
/// variables.
fn url_object(url: &str, params: &[KeyValue], path_variables: &[KeyValue]) -> Value {
    let (base, query_text, hash) = split_url(url);
    let query: Vec<Value> = if params.is_empty() {
        crate::model::url_text::query_segments(query_text)
            .into_iter()
            .map(|(k, v)| json!({ "key": k, "value": v }))
            .collect()
    } else {
        params
            .iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("key".into(), json!(p.key));
                m.insert("value".into(), json!(p.value));
                if !p.enabled {
                    m.insert("disabled".into(), json!(true));
                }
                if !p.description.is_empty() {
                    m.insert("description".into(), json!(p.description));
                }
                Value::Object(m)
            })
            .collect()
    };
    let enabled_query: Vec<String> = if params.is_empty() {
        vec![query_text.to_owned()].into_iter().filter(|q| !q.is_empty()).collect()
    } else {
        params.iter().filter(|p| p.enabled).map(|p| format!("{}={}", p.key, p.value)).collect()
    };
    let raw = UrlText { base, query: None, fragment: (!hash.is_empty()).then_some(hash) }
        .with_query(&enabled_query.join("&"));

    let mut m = Map::new();
    m.insert("raw".into(), json!(raw));
    let (protocol, rest) = match base.find("://") {
        Some(i) => (Some(&base[..i]), &base[i + 3..]),
        None => (None, base),
    };
    if let Some(p) = protocol {
        m.insert("protocol".into(), json!(p));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    // A port is digits after the last `:` outside `{{...}}`.
    let (host, port) = match authority.rfind(':') {
        Some(i)
            if !authority[i..].contains("}}") && authority[i + 1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            (&authority[..i], Some(&authority[i + 1..]))
        }
        _ => (authority, None),
    };
    if !host.is_empty() {
        let parts: Vec<&str> = if host.starts_with("{{") { vec![host] } else { host.split('.').collect() };
        m.insert("host".into(), json!(parts));
    }
    if let Some(port) = port.filter(|p| !p.is_empty()) {
        m.insert("port".into(), json!(port));
    }
    if let Some(path) = path {
        m.insert("path".into(), json!(path.split('/').collect::<Vec<_>>()));
    }
    if !query.is_empty() {
        m.insert("query".into(), Value::Array(query));
    }
    if !hash.is_empty() {
        m.insert("hash".into(), json!(hash));
    }
    if !path_variables.is_empty() {
        let vars: Vec<Value> = path_variables
            .iter()
            .map(|v| {
                let mut vm = Map::new();
                vm.insert("key".into(), json!(v.key));
                vm.insert("value".into(), json!(v.value));
                if !v.description.is_empty() {
                    vm.insert("description".into(), json!(v.description));
                }
                Value::Object(vm)
            })
            .collect();
        m.insert("variable".into(), Value::Array(vars));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_object_splits_like_postman() {
        let params = vec![KeyValue::new("page", "2"), KeyValue::new("debug", "1").disabled()];
        let vars = vec![KeyValue::new("id", "7")];
        let v = url_object("http://127.0.0.1:8080/users/:id?page=2", &params, &vars);
        assert_eq!(
            v,
            json!({
                "raw": "http://127.0.0.1:8080/users/:id?page=2",
                "protocol": "http",
                "host": ["127", "0", "0", "1"],
                "port": "8080",
                "path": ["users", ":id"],
                "query": [{"key": "page", "value": "2"}, {"key": "debug", "value": "1", "disabled": true}],
                "variable": [{"key": "id", "value": "7"}],
            })
        );
        let v = url_object("{{base}}/v1/x", &[], &[]);
        assert_eq!(v["host"], json!(["{{base}}"]));
        assert_eq!(v["path"], json!(["v1", "x"]));
    }
}
