//! Getting an endpoint's schema: from the cache, by introspection through the engine, or from a
//! file the user chose. All of it runs off the UI thread; results arrive as [`Arrival`]s.

use std::time::Duration;

use time::OffsetDateTime;

use super::{Arrival, Busy, GraphQlCommand, ReadySchema};
use crate::app::App;
use crate::app::dialogs::Chosen;
use crate::app::job::{self, Job};
use crate::app::send::{inherited_chain, request_scopes};
use crate::app::state::{AppState, PathField, Tab, TabId};
use crate::app::writer::WriteJob;
use crate::http::{self, PreparedRequest, SendOptions};
use crate::interop::graphql::{INTROSPECTION_QUERY, Schema};
use crate::model::{BodyMode, GraphQlBody, Method, Request};
use crate::storage::graphql::{CachedSchema, SchemaOrigin};

/// How long a fetch waits for the workspace's cookie jar to be read.
const COOKIE_WAIT: Duration = Duration::from_secs(3);

/// The request that asks `draft`'s endpoint for its schema: the same URL, headers and auth,
/// POSTed with the introspection query as a GraphQL body.
pub fn introspection_request(draft: &Request) -> Request {
    let mut request = draft.clone();
    request.method = Method::Post;
    request.body.mode = BodyMode::GraphQl;
    request.body.graphql = GraphQlBody {
        query: INTROSPECTION_QUERY.to_owned(),
        variables: String::new(),
        operation_name: String::new(),
    };
    request
}

/// The endpoint of a prepared request: its URL without query, fragment or credentials.
pub fn endpoint_of(url: &url::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

/// Prepares `tab`'s introspection request as a send would prepare the request itself.
/// `as_written` sends variables no scope defines as written (working out the endpoint).
fn prepare_introspection(state: &AppState, tab: TabId, as_written: bool) -> Result<PreparedRequest, String> {
    let tab = state.tab(tab).ok_or("the tab is closed")?;
    let r = tab.request().ok_or("not a request tab")?;
    let ws = state.library.workspaces.get(&tab.workspace).ok_or("the workspace is not loaded")?;
    if r.draft.url.trim().is_empty() {
        return Err("enter the endpoint's URL first".into());
    }
    let saved = ws.requests.contains_key(&r.draft.id);
    let environment = state.active_environment.get(&tab.workspace).copied();
    let scopes = request_scopes(ws, environment, &r.draft, saved, r.parent);
    let chain = inherited_chain(ws, &r.draft, saved, r.parent);
    let request = introspection_request(&r.draft);
    let prepared = if as_written || state.effective_settings().send_unresolved_variables {
        http::prepare_as_written(&request, Some(ws), &chain, &scopes).map(|(p, _)| p)
    } else {
        http::prepare_in(&request, Some(ws), &chain, &scopes)
    };
    prepared.map_err(|e| e.to_string())
}

/// The endpoint of a request tab, or why its URL gives none.
pub(super) fn endpoint_key(state: &AppState, tab: TabId) -> Result<String, String> {
    prepare_introspection(state, tab, true).map(|p| endpoint_of(&p.url))
}

/// Reads an introspection answer; the error names the host and what was wrong.
fn schema_of_answer(host: &str, status: u16, body: &[u8]) -> Result<Schema, String> {
    Schema::from_introspection(body).map_err(|e| {
        if (200..300).contains(&status) {
            format!("{host} did not answer with a schema: {e}")
        } else {
            format!("{host} answered {status} and no schema: {e}")
        }
    })
}

/// Reads a schema file: introspection JSON when it starts with `{`, SDL otherwise.
pub fn schema_of_file(text: &str) -> Result<Schema, String> {
    let result = if text.trim_start().starts_with('{') {
        Schema::from_introspection(text.as_bytes())
    } else {
        Schema::from_sdl(text)
    };
    result.map_err(|e| e.to_string())
}

fn obtained(schema: Schema, url: String, origin: SchemaOrigin) -> (ReadySchema, CachedSchema) {
    let fetched_at = OffsetDateTime::now_utc();
    let cached = CachedSchema { url, fetched_at, origin: origin.clone(), sdl: schema.to_sdl() };
    (ReadySchema::new(schema, fetched_at, origin), cached)
}

impl App {
    pub(in crate::app) fn graphql_command(&mut self, ctx: &egui::Context, command: GraphQlCommand) {
        match command {
            GraphQlCommand::Fetch(tab) => self.fetch_schema(ctx, tab, false),
            GraphQlCommand::BrowseFile(tab) => {
                let job = self.file_dialog(ctx, || {
                    rfd::FileDialog::new()
                        .set_title("Load a GraphQL schema")
                        .add_filter(
                            "GraphQL schema (SDL or introspection JSON)",
                            &["graphql", "graphqls", "gql", "json"],
                        )
                        .pick_file()
                });
                self.graphql.browse = Some((tab, job));
            }
            GraphQlCommand::LoadFile(tab, path) => self.load_schema_file(ctx, tab, path),
        }
    }

    /// Fetches the schema of `tab`'s endpoint. An automatic fetch (the first time a GraphQL body
    /// of an endpoint without a cached schema is opened) does nothing when sending is blocked
    /// by the policy or the request cannot be prepared; a fetch the user asked for says why.
    pub(super) fn fetch_schema(&mut self, ctx: &egui::Context, tab: TabId, automatic: bool) {
        let prepared = prepare_introspection(&self.state, tab, false).and_then(|p| {
            self.state.policy.check_url(&p.url).map_err(|e| format!("The schema was not fetched: {e}"))?;
            Ok(p)
        });
        let Some(Ok(key)) = endpoint_key_of(&self.state, tab) else { return };
        let endpoint = self.graphql.endpoints.entry(key.clone()).or_default();
        endpoint.asked_by = Some(tab);
        let prepared = match prepared {
            Ok(p) => p,
            Err(_) if automatic => return,
            Err(e) => {
                endpoint.status.error = Some(e);
                return;
            }
        };
        let engine = match self.engine() {
            Ok(engine) => engine,
            Err(e) => {
                if let Some(endpoint) = self.graphql.endpoints.get_mut(&key) {
                    endpoint.status.error = Some(format!("The HTTP engine could not start: {e}"));
                }
                return;
            }
        };
        let ws = self.state.tab(tab).map(|t| t.workspace);
        let latch = ws.map(|ws| self.cookie_latch(&engine, ws));
        let host = prepared.url.host_str().unwrap_or("the endpoint").to_owned();
        let url = key.clone();
        let job: Job<Arrival> = job::spawn(ctx, "fetching the GraphQL schema", move || {
            if let Some(latch) = latch {
                latch.wait(COOKIE_WAIT);
            }
            let result = engine.send(prepared, SendOptions::default()).promise.block_and_take();
            let answer = result.map_err(|e| format!("Could not fetch the schema from {host}: {e}")).and_then(
                |exchange| {
                    let response = &exchange.response;
                    let body = match response.body.bytes() {
                        Some(bytes) => bytes.clone(),
                        None => response
                            .body
                            .read_all()
                            .map_err(|e| format!("Could not read {host}'s answer: {e}"))?,
                    };
                    let schema = schema_of_answer(&host, response.status, &body)?;
                    Ok(obtained(schema, url, SchemaOrigin::Introspection))
                },
            );
            Arrival::Obtained(answer)
        });
        if let Some(endpoint) = self.graphql.endpoints.get_mut(&key) {
            endpoint.auto_fetched = true;
            endpoint.status.busy = Some(Busy::Fetching);
            if !automatic {
                endpoint.status.error = None;
            }
            endpoint.job = Some(job);
        }
    }

    /// Reads a schema file for `tab`'s endpoint, in the background.
    fn load_schema_file(&mut self, ctx: &egui::Context, tab: TabId, path: String) {
        let Some(Ok(key)) = endpoint_key_of(&self.state, tab) else {
            self.state
                .error("The request's URL gives no endpoint to keep the schema for: enter its URL first.");
            return;
        };
        let url = key.clone();
        let job: Job<Arrival> = job::spawn(ctx, "reading the schema file", move || {
            let path = path.trim().to_owned();
            let text = std::fs::read_to_string(&path).map_err(|e| format!("Cannot read {path}: {e}"));
            let schema =
                text.and_then(|t| schema_of_file(&t).map_err(|e| format!("{path} is not a schema: {e}")));
            Arrival::Obtained(schema.map(|s| obtained(s, url, SchemaOrigin::File(path))))
        });
        let endpoint = self.graphql.endpoints.entry(key).or_default();
        endpoint.status.busy = Some(Busy::Reading);
        endpoint.status.error = None;
        endpoint.job = Some(job);
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            r.graphql.file_path = None;
        }
    }

    /// Where a chosen schema file goes: read it, or fall back on the path field.
    pub(super) fn poll_schema_browse(&mut self, ctx: &egui::Context) {
        let Some((tab, job)) = self.graphql.browse.take() else { return };
        match job.try_take() {
            Err(job) => self.graphql.browse = Some((tab, job)),
            Ok(Ok(Chosen::Path(path))) => self.load_schema_file(ctx, tab, path.display().to_string()),
            Ok(Ok(Chosen::Cancelled)) => {}
            Ok(Ok(Chosen::Unavailable)) => {
                if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
                    r.graphql.file_path.get_or_insert_with(String::new);
                }
                self.no_file_chooser(PathField::Body);
            }
            Ok(Err(e)) => self.state.error(e),
        }
    }

    /// Starts reading the cache of `key` (the first time the endpoint is seen).
    pub(super) fn read_schema_cache(&mut self, ctx: &egui::Context, key: &str, tab: TabId) {
        let root = self.state.data_dir.clone();
        let url = key.to_owned();
        let job: Job<Arrival> = job::spawn(ctx, "reading the cached GraphQL schema", move || {
            let cached = crate::storage::graphql::load_schema(&root, &url).map_err(|e| e.to_string());
            Arrival::Cache(cached.and_then(|c| match c {
                None => Ok(None),
                Some(cached) => ReadySchema::from_cached(&cached).map(Some).map_err(|e| {
                    let path = crate::storage::graphql::schema_path(&root, &url);
                    format!(
                        "the cached schema {} is not valid ({e}); it will be fetched again",
                        path.display()
                    )
                }),
            }))
        });
        let endpoint = self.graphql.endpoints.entry(key.to_owned()).or_default();
        endpoint.asked_by = Some(tab);
        endpoint.status.busy = Some(Busy::Loading);
        endpoint.job = Some(job);
    }

    /// Keeps a schema in the cache, on the writer thread.
    pub(super) fn keep_schema(&mut self, cached: CachedSchema) {
        self.submit(WriteJob::Task {
            what: "keeping the GraphQL schema".into(),
            run: Box::new(move |store| store.save_graphql_schema(&cached).map(drop)),
        });
    }
}

/// The endpoint a tab holds now, or why it has none (`None`: not worked out yet).
fn endpoint_key_of(state: &AppState, tab: TabId) -> Option<Result<String, String>> {
    state.tab(tab).and_then(Tab::request).and_then(|r| r.graphql.endpoint.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_leaves_out_query_fragment_and_credentials() {
        let url = url::Url::parse("https://me:pw@api.example.com/graphql?api_key=s3cret#x").unwrap();
        assert_eq!(endpoint_of(&url), "https://api.example.com/graphql");
    }

    #[test]
    fn introspection_keeps_the_requests_headers_and_auth() {
        let mut draft = Request::new("GitHub");
        draft.method = Method::Get;
        draft.url = "https://api.github.com/graphql".into();
        draft.headers.push(crate::model::KeyValue::new("X-Team", "a"));
        let r = introspection_request(&draft);
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.body.mode, BodyMode::GraphQl);
        assert!(r.body.graphql.query.contains("__schema"));
        assert_eq!(r.headers, draft.headers);
        assert_eq!(r.auth, draft.auth);
    }

    #[test]
    fn an_html_answer_names_the_host() {
        let err =
            schema_of_answer("api.example.com", 502, b"<html><body>Bad gateway</body></html>").unwrap_err();
        assert!(err.contains("api.example.com") && err.contains("502"), "{err}");
    }
}
