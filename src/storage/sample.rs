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

/// Writes a workspace named `name` shaped by `spec` into the data folder at `root`, in one
/// staged write (see [`super::stage`]). With `folders: 0` the requests sit directly in the
/// collections.
pub fn generate(root: &Path, name: &str, spec: SampleSpec) -> Result<WorkspaceId, StoreError> {
    std::fs::create_dir_all(root).map_err(|e| StoreError::write(root, e))?;
    // Not `Store::open`: a generated folder holds just the sample, no "My Workspace".
    let mut opened = Store::open_existing(root)?;
    let data = build(name, spec);
    let id = data.id();
    let mut next = opened.library.clone();
    next.workspaces.insert(id, data);
    opened.store.write_library(&opened.library, &next, &super::stage::Extras::default())?;
    Ok(id)
}

/// The sample workspace in memory.
fn build(name: &str, spec: SampleSpec) -> WorkspaceData {
    let mut data = WorkspaceData::new(Workspace::new(name));

    let mut env = Environment::new("Local");
    env.variables.push(Variable::new("base", "http://127.0.0.1:8080"));
    env.variables.push(Variable::new("user", "demo"));
    env.variables.push(Variable::new("token", "local-dev-token").secret());
    let mut staging = Environment::new("Staging");
    staging.variables.push(Variable::new("base", "https://staging.example.com"));
    staging.variables.push(Variable::new("user", "qa"));
    for env in [env, staging] {
        data.workspace.environments.push(env.id);
        data.environments.insert(env.id, env);
    }
    let mut preset = HeaderPreset::new("JSON API");
    preset.headers.push(KeyValue::new("Accept", "application/json"));
    preset.headers.push(KeyValue::new("Content-Type", "application/json"));
    data.workspace.header_presets.push(preset.id);
    data.header_presets.insert(preset.id, preset);

    let collections = spec.collections.max(1);
    let folders_per = spec.folders / collections;
    let mut n = 0usize;
    for c in 0..collections {
        let mut collection = Collection::new(format!("{} API", RESOURCES[c % RESOURCES.len()]));
        collection.description = format!("Sample collection {c}.");
        collection.variables.push(Variable::new("version", "v1"));
        collection.auth = Auth::Bearer { token: "{{token}}".into() };
        // Requests left for this collection and the ones after it, shared evenly.
        let share = (spec.requests - n) / (collections - c);
        if folders_per == 0 {
            for _ in 0..share {
                let request = sample_request(n);
                collection.children.push(ItemId::Request(request.id));
                data.requests.insert(request.id, request);
                n += 1;
            }
        } else {
            // A fifth of the folders at the top, the rest nested one level under them.
            let top_count = folders_per.div_ceil(5);
            let mut folders: Vec<Folder> =
                (0..folders_per).map(|f| Folder::new(format!("{} {f}", VERBS[f % VERBS.len()]))).collect();
            for f in top_count..folders_per {
                let child = ItemId::Folder(folders[f].id);
                folders[f % top_count].children.push(child);
            }
            let per_folder = share / folders_per;
            let mut extra = share % folders_per;
            for folder in &mut folders {
                let count = per_folder + usize::from(extra > 0);
                extra = extra.saturating_sub(1);
                for _ in 0..count {
                    let request = sample_request(n);
                    folder.children.push(ItemId::Request(request.id));
                    data.requests.insert(request.id, request);
                    n += 1;
                }
            }
            for folder in folders.iter().take(top_count) {
                collection.children.push(ItemId::Folder(folder.id));
            }
            data.folders.extend(folders.into_iter().map(|f| (f.id, f)));
        }
        data.workspace.collections.push(collection.id);
        data.collections.insert(collection.id, collection);
    }
    data
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
