//! Generated sample workspaces for benchmarks, tests and screenshots: realistic requests
//! (every method, headers, bodies, auth) in nested folders, plus environments.

use std::path::Path;

use super::{Store, StoreError};
use crate::model::*;

/// The shape of a generated workspace.
#[derive(Clone, Copy, Debug)]
pub struct SampleSpec {
    pub collections: usize,
    /// Folders in all; each collection gets its share, nested two levels deep.
    pub folders: usize,
    /// Requests in all, spread evenly over the folders.
    pub requests: usize,
}

impl SampleSpec {
    /// The benchmark workspace: 10,000 requests in 500 folders over 20 collections.
    pub const BENCH: SampleSpec = SampleSpec { collections: 20, folders: 500, requests: 10_000 };
}

/// Writes a workspace named `name` shaped by `spec` into the data folder at `root`.
pub fn generate(root: &Path, name: &str, spec: SampleSpec) -> Result<WorkspaceId, StoreError> {
    std::fs::create_dir_all(root).map_err(|e| StoreError::write(root, e))?;
    // Not `Store::open`: a generated folder holds just the sample, no "My Workspace".
    let mut opened = Store::open_existing(root)?;
    let store = &mut opened.store;
    let mut ws = Workspace::new(name);
    store.create_workspace(&ws)?;

    let mut env = Environment::new("Local");
    env.variables.push(Variable::new("base", "http://127.0.0.1:8080"));
    env.variables.push(Variable::new("user", "demo"));
    env.variables.push(Variable::new("token", "local-dev-token").secret());
    store.save_environment(ws.id, &env)?;
    ws.environments.push(env.id);
    let mut staging = Environment::new("Staging");
    staging.variables.push(Variable::new("base", "https://staging.example.com"));
    staging.variables.push(Variable::new("user", "qa"));
    store.save_environment(ws.id, &staging)?;
    ws.environments.push(staging.id);

    let mut preset = HeaderPreset::new("JSON API");
    preset.headers.push(KeyValue::new("Accept", "application/json"));
    preset.headers.push(KeyValue::new("Content-Type", "application/json"));
    store.save_preset(ws.id, &preset)?;
    ws.header_presets.push(preset.id);

    let collections = spec.collections.max(1);
    let folders_per = (spec.folders / collections).max(1);
    let total_folders = folders_per * collections;
    let per_folder = spec.requests / total_folders;
    let mut extra = spec.requests % total_folders;
    let mut n = 0usize;
    for c in 0..collections {
        let mut collection = Collection::new(format!("{} API", RESOURCES[c % RESOURCES.len()]));
        collection.description = format!("Sample collection {c}.");
        collection.variables.push(Variable::new("version", "v1"));
        collection.auth = Auth::Bearer { token: "{{token}}".into() };
        store.save_collection(ws.id, &collection)?;
        // A fifth of the folders at the top, the rest nested one level under them.
        let top_count = folders_per.div_ceil(5);
        let mut folders: Vec<(ParentId, Folder)> = Vec::with_capacity(folders_per);
        for f in 0..folders_per {
            let folder = Folder::new(format!("{} {f}", VERBS[f % VERBS.len()]));
            let parent = if f < top_count {
                ParentId::Collection(collection.id)
            } else {
                ParentId::Folder(folders[f % top_count].1.id)
            };
            store.save_folder(parent, &folder)?;
            folders.push((parent, folder));
        }
        let nested: Vec<(usize, FolderId)> =
            folders.iter().enumerate().skip(top_count).map(|(i, (_, f))| (i % top_count, f.id)).collect();
        for (f, (_, folder)) in folders.iter_mut().enumerate().take(top_count) {
            folder.children =
                nested.iter().filter(|(t, _)| *t == f).map(|(_, id)| ItemId::Folder(*id)).collect();
        }
        for (parent, folder) in &mut folders {
            let count = per_folder + usize::from(extra > 0);
            extra = extra.saturating_sub(1);
            for _ in 0..count {
                let request = sample_request(n);
                store.save_request(ParentId::Folder(folder.id), &request)?;
                folder.children.push(ItemId::Request(request.id));
                n += 1;
            }
            store.save_folder(*parent, folder)?;
            if matches!(parent, ParentId::Collection(_)) {
                collection.children.push(ItemId::Folder(folder.id));
            }
        }
        store.save_collection(ws.id, &collection)?;
        ws.collections.push(collection.id);
    }
    store.save_workspace(&ws)?;
    Ok(ws.id)
}

const RESOURCES: [&str; 10] =
    ["Users", "Orders", "Billing", "Catalog", "Search", "Auth", "Inventory", "Shipping", "Reports", "Admin"];
const VERBS: [&str; 5] = ["Manage", "Query", "Sync", "Audit", "Export"];

fn sample_request(n: usize) -> Request {
    let resource = RESOURCES[n % RESOURCES.len()].to_lowercase();
    let method = match n % 7 {
        0..=2 => Method::Get,
        3 => Method::Post,
        4 => Method::Put,
        5 => Method::Patch,
        _ => Method::Delete,
    };
    let mut r = Request::new(format!("{} {resource} #{n}", method.as_str().to_lowercase()))
        .with_method(method.clone())
        .with_url(format!("{{{{base}}}}/{{{{version}}}}/{resource}/:id?page={}", n % 10));
    r.path_variables.push(KeyValue::new("id", n.to_string()));
    r.params.push(KeyValue::new("page", (n % 10).to_string()));
    r.headers.push(KeyValue::new("Accept", "application/json"));
    r.headers.push(KeyValue::new("X-Request-Index", n.to_string()).with_description("sample header"));
    if matches!(method, Method::Post | Method::Put | Method::Patch) {
        r.body = Body::json(format!(
            "{{\n  \"id\": {n},\n  \"name\": \"{resource} {n}\",\n  \"owner\": \"{{{{user}}}}\"\n}}"
        ));
    }
    r.description = format!("Sample request {n} on `{resource}`.");
    r
}
