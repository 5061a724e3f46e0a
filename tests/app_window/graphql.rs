//! GraphQL schemas in the window (issue 18): a GraphQL body fetches its endpoint's schema by
//! introspection (once, on first use, and on Refresh), keeps it in the data folder and reads it
//! from there next time; the query editor completes from it and marks what does not fit; the
//! variables are checked against the operation; the explorer searches and navigates; an answer
//! that is not a schema says so.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use egui::{Key, Modifiers};
use egui_kittest::kittest::{By, Queryable};
use localpost::app::command::Command;
use localpost::app::graphql::GraphQlTab;
use localpost::model::*;
use localpost::shell::Window;
use localpost::storage::Store;

use crate::support::app::{apply, open, shown, step_until};
use crate::support::{Reply, Server};

type Harness = egui_kittest::Harness<'static, Window>;

/// The GitHub schema's introspection answer (tests/fixtures/graphql, gzip).
fn github_introspection() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graphql/github-schema.json.gz");
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()).read_to_end(&mut out).unwrap();
    out
}

/// A GraphQL endpoint on 127.0.0.1 answering every POST with the GitHub schema; counts them.
fn schema_server() -> (Server, Arc<AtomicUsize>) {
    let schema = Arc::new(github_introspection());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let server = Server::start(move |req| {
        if req.method == "POST" && req.body_text().contains("__schema") {
            counted.fetch_add(1, Ordering::SeqCst);
        }
        Reply::new(200).header("content-type", "application/json").body(schema.to_vec())
    });
    (server, hits)
}

/// A data folder holding one saved request with a GraphQL body to `url`.
fn folder_with_request(dir: &Path, url: &str, query: &str) -> RequestId {
    let mut opened = Store::open(dir).unwrap();
    let ws = *opened.library.workspaces.keys().next().unwrap();
    let mut api = Collection::new("GitHub");
    let mut request = Request::new("Viewer").with_method(Method::Post).with_url(url);
    request.headers.push(KeyValue::new("X-Team", "octo"));
    request.body.mode = BodyMode::GraphQl;
    request.body.graphql.query = query.into();
    api.children.push(ItemId::Request(request.id));
    opened.store.save_collection(ws, &api).unwrap();
    opened.store.save_request(ParentId::Collection(api.id), &request).unwrap();
    let mut workspace = opened.library.workspaces[&ws].workspace.clone();
    workspace.collections.push(api.id);
    opened.store.save_workspace(&workspace).unwrap();
    request.id
}

fn graphql(app: &Window) -> Option<&GraphQlTab> {
    app.state.active().and_then(|t| t.request()).map(|r| &r.graphql)
}

fn schema_ready(app: &Window) -> bool {
    graphql(app).is_some_and(|g| g.status.ready.is_some() && g.status.busy.is_none())
}

fn query_of(app: &Window) -> String {
    app.state
        .active()
        .and_then(|t| t.request())
        .map(|r| r.draft.body.graphql.query.clone())
        .unwrap_or_default()
}

/// Opens the request and shows its Body section, then waits for the schema.
fn open_body(harness: &mut Harness, id: RequestId) {
    apply(harness, Command::OpenRequest(id));
    harness.get(By::new().predicate(|n| n.label().is_some_and(|l| l.starts_with("Body")))).click();
    harness.run_steps(2);
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join("graphql")) else { return Vec::new() };
    entries.map(|e| e.unwrap().path()).collect()
}

/// Replaces the query by typing `text` into the editor (cursor at its end).
fn type_query(harness: &mut Harness, text: &str) {
    harness.get_by_label("GraphQL query").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("GraphQL query").type_text(text);
    harness.run_steps(2);
}

/// A data folder with one GraphQL request of `query` to the schema server, open in the window
/// on its Body with the schema fetched (the server and the folder live as long as the window).
fn open_with_schema(query: &str) -> (Server, tempfile::TempDir, Harness) {
    let (server, _hits) = schema_server();
    let dir = tempfile::tempdir().unwrap();
    let id = folder_with_request(dir.path(), &server.url("/graphql"), query);
    let mut harness = open(dir.path());
    open_body(&mut harness, id);
    step_until(&mut harness, "the schema", schema_ready);
    (server, dir, harness)
}

#[test]
fn fetching_shows_the_type_count_writes_the_cache_and_the_next_start_reads_it() {
    let (server, hits) = schema_server();
    let dir = tempfile::tempdir().unwrap();
    let id = folder_with_request(dir.path(), &server.url("/graphql?api_key=s3cret"), "{ viewer { login } }");
    {
        let mut harness = open(dir.path());
        open_body(&mut harness, id);
        step_until(&mut harness, "the schema to be fetched on first use", schema_ready);
        assert_eq!(hits.load(Ordering::SeqCst), 1, "fetched once, on its own");
        let types = graphql(harness.state()).unwrap().status.ready.as_ref().unwrap().types.len();
        assert!(types > 500, "the GitHub schema has about 1,000 types, not {types}");
        assert!(shown(&harness, &format!("Schema: {types} types, fetched just now")));
        let sent = server.requests().into_iter().find(|r| r.body_text().contains("__schema")).unwrap();
        assert_eq!(sent.method, "POST");
        assert_eq!(sent.header("x-team"), Some("octo"), "the request's own headers go with it");
        step_until(&mut harness, "the cache file", |_| cache_files(dir.path()).len() == 1);
        let cached = std::fs::read_to_string(&cache_files(dir.path())[0]).unwrap();
        assert!(cached.contains("type Query") && !cached.contains("s3cret"), "SDL, no API key");
        harness.run_steps(3);
        assert_eq!(hits.load(Ordering::SeqCst), 1, "not fetched again on every frame");
    }
    let mut harness = open(dir.path());
    open_body(&mut harness, id);
    step_until(&mut harness, "the cached schema", schema_ready);
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the cache answers; the endpoint is not asked");

    harness.get_by_label("⟳ Refresh schema").click();
    harness.run_steps(1);
    step_until(&mut harness, "the refresh", |app| schema_ready(app) && hits.load(Ordering::SeqCst) == 2);
}

#[test]
fn an_answer_that_is_not_a_schema_says_what_is_wrong_and_names_the_host() {
    let server = Server::start(|_| {
        Reply::new(502)
            .header("content-type", "text/html")
            .body(b"<html><body>Bad gateway</body></html>".to_vec())
    });
    let dir = tempfile::tempdir().unwrap();
    let id = folder_with_request(dir.path(), &server.url("/graphql"), "{ viewer { login } }");
    let mut harness = open(dir.path());
    open_body(&mut harness, id);
    step_until(&mut harness, "the failed fetch", |app| {
        graphql(app).is_some_and(|g| g.status.error.is_some() && g.status.busy.is_none())
    });
    let error = graphql(harness.state()).unwrap().status.error.clone().unwrap();
    assert!(error.contains("127.0.0.1") && error.contains("502") && error.contains("HTML"), "{error}");
    assert!(shown(&harness, "HTML"), "the message is on screen");
    assert!(cache_files(dir.path()).is_empty(), "nothing cached");
}

#[test]
fn a_corrupt_cache_file_is_reported_by_name_and_fetched_again() {
    let (server, hits) = schema_server();
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/graphql");
    let id = folder_with_request(dir.path(), &url, "{ viewer { login } }");
    let broken = localpost::storage::graphql::schema_path(dir.path(), &url);
    std::fs::create_dir_all(broken.parent().unwrap()).unwrap();
    std::fs::write(&broken, "(format: 1, graphql_schema: (url: ").unwrap();
    let mut harness = open(dir.path());
    open_body(&mut harness, id);
    step_until(&mut harness, "the schema fetched again", schema_ready);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let notice = harness.state().state.notice.clone().map(|n| n.text).unwrap_or_default();
    assert!(notice.contains(&broken.display().to_string()), "{notice}");
    step_until(&mut harness, "the cache written again", |_| {
        std::fs::read_to_string(&broken).is_ok_and(|t| t.contains("type Query"))
    });
}

#[test]
fn completion_offers_the_fields_and_enter_inserts_one() {
    let (_server, _dir, mut harness) = open_with_schema("");
    type_query(&mut harness, "{ vie");
    step_until(&mut harness, "the completion list", |app| {
        graphql(app)
            .and_then(|g| g.completion.shown.as_ref())
            .is_some_and(|s| s.items.iter().any(|i| i.label == "viewer"))
    });
    assert!(shown(&harness, "viewer"), "the list is on screen");
    let first = graphql(harness.state()).unwrap().completion.shown.as_ref().unwrap().items[0].label.clone();
    assert_eq!(first, "viewer");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert_eq!(query_of(harness.state()), "{ viewer", "Enter put the field in place of what was typed");
    assert!(graphql(harness.state()).unwrap().completion.shown.is_none(), "the list closed");

    // Ctrl+Space inside a selection set offers the type's fields.
    harness.get_by_label("GraphQL query").type_text(" { ");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Space);
    step_until(&mut harness, "the viewer's fields", |app| {
        graphql(app)
            .and_then(|g| g.completion.shown.as_ref())
            .is_some_and(|s| s.items.iter().any(|i| i.label == "login"))
    });
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(graphql(harness.state()).unwrap().completion.shown.is_none(), "Esc closes the list");
    assert_eq!(query_of(harness.state()), "{ viewer { ");
}

#[test]
fn a_field_the_schema_lacks_is_marked_with_its_message() {
    let (_server, _dir, mut harness) = open_with_schema("{ viewer { login } }");
    step_until(&mut harness, "the first check", |app| {
        graphql(app).is_some_and(|g| g.checks.checked.is_some())
    });
    assert!(graphql(harness.state()).unwrap().checks.diagnostics.is_empty(), "a valid query");
    assert!(shown(&harness, "The query fits the schema"));

    type_query(&mut harness, "{ viewer { nope } }");
    step_until(&mut harness, "the query to be checked again", |app| {
        graphql(app).is_some_and(|g| !g.checks.diagnostics.is_empty())
    });
    let d = graphql(harness.state()).unwrap().checks.diagnostics[0].clone();
    assert!(d.message.contains("nope"), "{}", d.message);
    assert_eq!(&"{ viewer { nope } }"[d.start..d.end.max(d.start + 4)].get(..4), &Some("nope"));
    assert!(shown(&harness, &format!("{}:{}", d.line, d.column)), "listed under the editor with line:column");
}

#[test]
fn the_variables_are_checked_against_the_operation() {
    let query =
        "query Repo($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) { id }\n}";
    let (_server, _dir, mut harness) = open_with_schema(query);
    harness.get_by_label("GraphQL variables").focus();
    harness.get_by_label("GraphQL variables").type_text("{\"owner\": 7}");
    step_until(&mut harness, "the variables checked", |app| {
        graphql(app).is_some_and(|g| g.checks.variables.len() >= 2)
    });
    let problems = graphql(harness.state()).unwrap().checks.variables.clone();
    assert!(problems.iter().any(|p| p.name.contains("name")), "the missing $name: {problems:?}");
    assert!(problems.iter().any(|p| p.name.contains("owner")), "$owner is not a String: {problems:?}");
    assert!(shown(&harness, &problems[0].message), "the problems are listed under the editor");
}

#[test]
fn the_explorer_searches_opens_a_type_and_goes_back() {
    let (_server, _dir, mut harness) = open_with_schema("{ viewer { login } }");
    harness.get_by_label("📖 Explorer").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Query"), "the root type is listed first");
    harness.get_by_label("Search the schema").focus();
    harness.get_by_label("Search the schema").type_text("CodeOfConduct");
    harness.run_steps(2);
    harness.get_by_label("CodeOfConduct").click();
    harness.run_steps(2);
    let x = &graphql(harness.state()).unwrap().explorer;
    assert_eq!(x.current.as_deref(), Some("CodeOfConduct"));
    assert!(shown(&harness, "body") && shown(&harness, "key"), "its fields are listed");
    harness.get_by_label("◀ Back").click();
    harness.run_steps(2);
    assert_eq!(graphql(harness.state()).unwrap().explorer.current, None, "back to the list");
}

#[test]
fn typing_the_url_fetches_once_when_it_rests_not_for_every_prefix() {
    let (server, hits) = schema_server();
    let dir = tempfile::tempdir().unwrap();
    let id = folder_with_request(dir.path(), "", "{ viewer { login } }");
    let mut harness = open(dir.path());
    open_body(&mut harness, id);
    assert!(shown(&harness, "Schema: no endpoint"), "no URL, no endpoint");
    harness.get_by_label("URL").focus();
    for c in server.url("/graphql").chars() {
        harness.get_by_label("URL").type_text(&c.to_string());
        harness.step();
    }
    step_until(&mut harness, "the schema of the typed endpoint", schema_ready);
    assert_eq!(hits.load(Ordering::SeqCst), 1, "one fetch, for the whole URL");
}

#[test]
fn a_schema_file_loads_for_the_endpoint_and_is_kept() {
    let server = Server::start(|_| Reply::text(404, "no GraphQL here"));
    let dir = tempfile::tempdir().unwrap();
    let id = folder_with_request(dir.path(), &server.url("/graphql"), "{ viewer { login } }");
    let sdl = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graphql/github-schema.graphql.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(sdl).unwrap()).read_to_string(&mut text).unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("schema.graphql");
    std::fs::write(&file, text).unwrap();
    let mut harness = open(dir.path());
    open_body(&mut harness, id);
    step_until(&mut harness, "the failed fetch", |app| {
        graphql(app).is_some_and(|g| g.status.error.is_some())
    });
    let tab = harness.state().state.active_tab.unwrap();
    let path = file.display().to_string();
    apply(
        &mut harness,
        Command::GraphQl(localpost::app::graphql::GraphQlCommand::LoadFile(tab, path.clone())),
    );
    step_until(&mut harness, "the schema file", schema_ready);
    assert!(shown(&harness, "loaded from"), "the state says where it came from");
    assert!(graphql(harness.state()).unwrap().status.error.is_none(), "the old error is gone");
    step_until(&mut harness, "the cache file", |_| cache_files(dir.path()).len() == 1);
    std::fs::remove_file(&file).unwrap();

    apply(
        &mut harness,
        Command::GraphQl(localpost::app::graphql::GraphQlCommand::LoadFile(tab, path.clone())),
    );
    step_until(&mut harness, "the missing file's message", |app| {
        graphql(app).is_some_and(|g| g.status.error.as_ref().is_some_and(|e| e.contains(&path)))
    });
    assert!(schema_ready(harness.state()), "the schema in use stays");
}
