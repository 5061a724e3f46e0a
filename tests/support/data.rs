//! A realistic data folder, file-by-file snapshots, and imports written as the app writes them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use localpost::interop::apply::{self, Applied, ApplyError, Choices, ImportPlan};
use localpost::model::*;
use localpost::storage::Store;
use time::macros::datetime;

/// Every file under `root` (relative path -> bytes), dot files included.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_owned(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Asserts two folders hold the same files with the same bytes, naming the first difference.
pub fn assert_same_files(a: &Path, b: &Path) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    let names_a: Vec<_> = sa.keys().collect();
    let names_b: Vec<_> = sb.keys().collect();
    assert_eq!(names_a, names_b, "the folders hold different files");
    for (path, bytes) in &sa {
        assert!(
            bytes == &sb[path],
            "{} differs:\n--- {}\n{}\n--- {}\n{}",
            path.display(),
            a.display(),
            String::from_utf8_lossy(bytes),
            b.display(),
            String::from_utf8_lossy(&sb[path])
        );
    }
}

/// Ids of what [`populate`] made, for tests that change or export parts of it.
pub struct Fixture {
    pub team: WorkspaceId,
    pub users: CollectionId,
    pub admin: FolderId,
    pub nested: FolderId,
    pub get_user: RequestId,
    pub get_user_2: RequestId,
    pub local_env: EnvironmentId,
}

/// A data folder with two workspaces and a bit of everything: nested folders, requests with
/// the same name, every body mode, secrets, globals, presets, cookies, settings, history, runs.
pub fn populate(root: &Path) -> Fixture {
    let mut opened = Store::open(root).unwrap();
    let store = &mut opened.store;
    let first = *opened.library.workspaces.keys().next().unwrap();

    let mut ws = Workspace::new("Team");
    ws.description = "Shared APIs".into();
    store.create_workspace(&ws).unwrap();
    let users = save_users_api(store, ws.id);
    let orders = save_orders(store, ws.id);
    // Listed after Users API although created later; order is by the workspace's list.
    ws.collections = vec![orders, users.id];
    let local_env = save_variables_and_presets(store, &mut ws);
    store.save_workspace(&ws).unwrap();
    store.set_workspace_order(&[ws.id, first]).unwrap();
    save_personal_files(store, ws.id, &users);

    Fixture {
        team: ws.id,
        users: users.id,
        admin: users.admin,
        nested: users.nested,
        get_user: users.get_user,
        get_user_2: users.get_user_2,
        local_env,
    }
}

/// What [`save_users_api`] made.
struct UsersApi {
    id: CollectionId,
    admin: FolderId,
    nested: FolderId,
    get_user: RequestId,
    get_user_2: RequestId,
}

/// The "Users API" collection: variables and auth at each level, folders two deep, two
/// requests with one name, and every body mode.
fn save_users_api(store: &mut Store, ws: WorkspaceId) -> UsersApi {
    let mut users = Collection::new("Users API");
    users.variables.push(Variable::new("version", "v2"));
    users.variables.push(Variable::new("api_key", "collection-secret").secret());
    users.auth = Auth::Bearer { token: "{{token}}".into() };
    store.save_collection(ws, &users).unwrap();
    let mut admin = Folder::new("Admin");
    admin.auth = Auth::Basic { username: "root".into(), password: "{{pw}}".into() };
    store.save_folder(ParentId::Collection(users.id), &admin).unwrap();
    let mut nested = Folder::new("Deep");
    nested.variables.push(Variable::new("depth", "2"));
    store.save_folder(ParentId::Folder(admin.id), &nested).unwrap();

    // Two requests with one name: the second file is `get-user-2.request.ron`.
    let mut get_user = Request::new("Get user").with_url("{{base}}/users/:id");
    get_user.path_variables.push(KeyValue::new("id", "7"));
    get_user.headers.push(KeyValue::new("X-Off", "1").disabled());
    let get_user_2 = Request::new("Get user").with_method(Method::Head).with_url("{{base}}/users/2");
    store.save_request(ParentId::Folder(admin.id), &get_user).unwrap();
    store.save_request(ParentId::Folder(admin.id), &get_user_2).unwrap();
    // Renaming the first renames its file; the second keeps `get-user-2`, which a restore must
    // reproduce although `get-user` is free by then.
    get_user.name = "Fetch user".into();
    store.save_request(ParentId::Folder(admin.id), &get_user).unwrap();
    let mut post = Request::new("Create user").with_method(Method::Post).with_url("{{base}}/users");
    post.body = Body::json("{\"name\": \"{{user}}\"}");
    let mut form = Request::new("Upload avatar").with_method(Method::Put).with_url("{{base}}/avatar");
    form.body.mode = BodyMode::Multipart;
    form.body.multipart = vec![FormPart::text("note", "hi"), FormPart::file("file", "/tmp/a.png")];
    let mut gql = Request::new("Query").with_method(Method::Post).with_url("{{base}}/graphql");
    gql.body.mode = BodyMode::GraphQl;
    gql.body.graphql = GraphQlBody { query: "{ me { id } }".into(), ..GraphQlBody::default() };
    for r in [&post, &form] {
        store.save_request(ParentId::Folder(nested.id), r).unwrap();
    }
    store.save_request(ParentId::Collection(users.id), &gql).unwrap();
    nested.children = vec![ItemId::Request(post.id), ItemId::Request(form.id)];
    admin.children =
        vec![ItemId::Request(get_user_2.id), ItemId::Folder(nested.id), ItemId::Request(get_user.id)];
    users.children = vec![ItemId::Request(gql.id), ItemId::Folder(admin.id)];
    store.save_folder(ParentId::Folder(admin.id), &nested).unwrap();
    store.save_folder(ParentId::Collection(users.id), &admin).unwrap();
    store.save_collection(ws, &users).unwrap();
    UsersApi {
        id: users.id,
        admin: admin.id,
        nested: nested.id,
        get_user: get_user.id,
        get_user_2: get_user_2.id,
    }
}

/// The "Orders" collection, one request in it.
fn save_orders(store: &mut Store, ws: WorkspaceId) -> CollectionId {
    let mut orders = Collection::new("Orders");
    store.save_collection(ws, &orders).unwrap();
    let list = Request::new("List orders").with_url("{{base}}/orders");
    store.save_request(ParentId::Collection(orders.id), &list).unwrap();
    orders.children.push(ItemId::Request(list.id));
    store.save_collection(ws, &orders).unwrap();
    orders.id
}

/// Environments "Local" (with a secret and a disabled variable) and "Prod", a header preset and
/// globals with a secret, listed in `ws` (saved by the caller). Returns Local's id.
fn save_variables_and_presets(store: &mut Store, ws: &mut Workspace) -> EnvironmentId {
    let mut local = Environment::new("Local");
    local.variables.push(Variable::new("base", "http://127.0.0.1:1"));
    local.variables.push(Variable::new("token", "env-secret-token").secret());
    local.variables.push(Variable::new("off", "x").disabled());
    store.save_environment(ws.id, &local).unwrap();
    let prod = Environment::new("Prod");
    store.save_environment(ws.id, &prod).unwrap();
    ws.environments = vec![prod.id, local.id];
    let mut preset = HeaderPreset::new("JSON");
    preset.headers.push(KeyValue::new("Accept", "application/json"));
    store.save_preset(ws.id, &preset).unwrap();
    ws.header_presets.push(preset.id);
    let globals = Globals {
        id: GlobalsId::new(),
        variables: vec![Variable::new("g", "1"), Variable::new("gsecret", "global-secret").secret()],
    };
    store.save_globals(ws.id, &globals).unwrap();
    local.id
}

/// What is the user's own rather than the team's: a cookie, settings, a history entry, a run.
fn save_personal_files(store: &mut Store, ws: WorkspaceId, users: &UsersApi) {
    let jar = CookieJar {
        cookies: vec![Cookie {
            name: "sid".into(),
            value: "abc".into(),
            domain: "example.com".into(),
            path: "/".into(),
            expires: None,
            secure: true,
            http_only: true,
            host_only: true,
            same_site: String::new(),
        }],
    };
    store.save_cookies(ws, &jar).unwrap();
    let settings = Settings { font_size: 15.0, history_max_entries: 42, ..Settings::default() };
    store.save_settings(&settings).unwrap();
    let entry = HistoryEntry {
        id: HistoryId::new(),
        at: datetime!(2024-05-06 07:08:09.123 UTC),
        request_id: Some(users.get_user),
        name: "Get user".into(),
        request: SentRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:1/users/7".into(),
            ..SentRequest::default()
        },
        response: None,
        error: Some("connection refused".into()),
        written: None,
        written_incomplete: false,
    };
    store.append_history(ws, &entry).unwrap();
    let run = RunResult {
        id: RunId::new(),
        started_at: datetime!(2024-05-06 08:00:00 UTC),
        finished_at: Some(datetime!(2024-05-06 08:00:01 UTC)),
        target: RunTarget { name: "Users API".into(), collection: Some(users.id), folder: None },
        environment: None,
        iterations: 1,
        data_file: None,
        cancelled: false,
        results: Vec::new(),
    };
    store.save_run(ws, &run).unwrap();
}

/// An import written as the app and the CLI write it: the merge, then one all-or-nothing write.
pub fn write_import(
    plan: &ImportPlan,
    choices: &Choices,
    store: &mut Store,
    library: &mut Library,
) -> Result<Applied, ApplyError> {
    let local = store.local_files(plan.existing_targets());
    apply::merge(plan, choices, library, &local)?
        .commit(library, |now, next, extras| store.write_library(now, next, extras))
}
