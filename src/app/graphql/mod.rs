//! GraphQL bodies and their schemas.
//!
//! A schema belongs to an endpoint: the resolved URL of the request, without its query string,
//! fragment or credentials (so no API key ends up in a cache file name or in the cache). The
//! active tab's endpoint is worked out when its URL, its variables or the environment change;
//! the first time an endpoint is seen its cached schema is read in the background
//! ([`crate::storage::graphql`]); with none (or a broken cache file) the schema is fetched once by
//! introspection ([`fetch`]), through the same prepare path and engine as a send, unless the
//! policy stops sending. Fetched schemas are written to the cache by the writer thread.
//!
//! The query editor's checks run in the background too ([`checks`]): validation and the
//! variables check 300 ms after the last edit, completion when the editor asks for it. Results
//! carry a fingerprint of the text they were computed for; the editor shows only those that
//! match what it holds now.

mod checks;
mod fetch;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::App;
use super::job::Job;
use super::state::{Tab, TabId};
use crate::interop::graphql::{Schema, TypeInfo};
use crate::model::BodyMode;
use crate::storage::graphql::{CachedSchema, SchemaOrigin};
pub use checks::{Checks, CompletionPopup, ShownCompletions, fingerprint};

/// What the GraphQL controls of a request tab ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphQlCommand {
    /// Fetch (or fetch again) the schema of the tab's endpoint by introspection.
    Fetch(TabId),
    /// Open the system's file chooser for a schema file.
    BrowseFile(TabId),
    /// Read the schema of the tab's endpoint from a file: SDL or an introspection answer.
    LoadFile(TabId, String),
}

/// A schema ready to use, with what the explorer lists; cheap to clone.
#[derive(Clone)]
pub struct ReadySchema {
    pub schema: Schema,
    /// Every type, root types first (computed in the background).
    pub types: Arc<[TypeInfo]>,
    pub fetched_at: OffsetDateTime,
    pub origin: SchemaOrigin,
    /// Tells schemas apart (a refresh gives a new one): checks are redone when it changes.
    pub generation: u64,
}

impl ReadySchema {
    /// Parses a cached schema and lists its types (background work).
    pub fn from_cached(cached: &CachedSchema) -> Result<Self, String> {
        let schema = Schema::from_sdl(&cached.sdl).map_err(|e| e.to_string())?;
        Ok(Self::new(schema, cached.fetched_at, cached.origin.clone()))
    }

    fn new(schema: Schema, fetched_at: OffsetDateTime, origin: SchemaOrigin) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let types = schema.types().into();
        Self { schema, types, fetched_at, origin, generation: NEXT.fetch_add(1, Ordering::Relaxed) }
    }

    /// One type by name, from the list.
    pub fn type_named(&self, name: &str) -> Option<&TypeInfo> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// What is in progress for an endpoint's schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Busy {
    /// Reading the cache file.
    Loading,
    /// Asking the endpoint by introspection.
    Fetching,
    /// Reading a file the user chose.
    Reading,
}

/// An endpoint's schema as the window shows it: the one in use (kept while a refresh runs or
/// after it failed), what is in progress, and the last error.
#[derive(Clone, Default)]
pub struct SchemaStatus {
    pub ready: Option<ReadySchema>,
    pub busy: Option<Busy>,
    pub error: Option<String>,
}

/// A request tab's GraphQL state: its endpoint, the schema's status, the editor's checks,
/// completion and the schema explorer. Transient: none of it is saved with the request.
#[derive(Default)]
pub struct GraphQlTab {
    /// The endpoint (schema cache key), or why the URL gives none.
    pub endpoint: Option<Result<String, String>>,
    /// What the endpoint was worked out from: the URL, the state's revision, the environment.
    endpoint_of: Option<(String, u64, Option<crate::model::EnvironmentId>)>,
    /// A URL being typed, and when it last changed: the endpoint follows it once it rests.
    url_typed: Option<(String, Instant)>,
    pub status: SchemaStatus,
    pub checks: Checks,
    pub completion: CompletionPopup,
    pub explorer: Explorer,
    /// The "Load schema from file" path field, when open.
    pub file_path: Option<String>,
}

/// The schema explorer beside the query editor.
#[derive(Default)]
pub struct Explorer {
    pub open: bool,
    pub search: String,
    /// The type shown; `None` lists the types.
    pub current: Option<String>,
    /// Where Back goes.
    pub back: Vec<Option<String>>,
}

impl Explorer {
    /// Shows `name` (or the list, for `None`), remembering where it was.
    pub fn go(&mut self, to: Option<String>) {
        if self.current != to {
            self.back.push(self.current.take());
            self.current = to;
        }
    }

    pub fn go_back(&mut self) {
        if let Some(previous) = self.back.pop() {
            self.current = previous;
        }
    }
}

/// How long a typed URL rests before the endpoint follows it.
const URL_REST: Duration = Duration::from_millis(800);

/// What a background job brings for an endpoint.
enum Arrival {
    /// The cache: a schema, none, or why the file did not read.
    Cache(Result<Option<ReadySchema>, String>),
    /// A fetched (or loaded) schema, with what to write to the cache; or why there is none.
    Obtained(Result<(ReadySchema, CachedSchema), String>),
}

/// One endpoint's schema and the work on it.
#[derive(Default)]
struct Endpoint {
    status: SchemaStatus,
    job: Option<Job<Arrival>>,
    /// The schema was fetched without being asked once already (never again on its own).
    auto_fetched: bool,
    /// The tab that last needed it (the automatic fetch uses its headers and auth).
    asked_by: Option<TabId>,
}

/// Every endpoint's schema seen this session.
#[derive(Default)]
pub struct Schemas {
    endpoints: HashMap<String, Endpoint>,
    /// The file chooser of "Load schema from file…", open for a tab.
    browse: Option<(TabId, Job<super::dialogs::Chosen>)>,
}

impl App {
    /// Once per frame: schemas that arrived, the active tab's endpoint, its checks.
    pub(in crate::app) fn poll_graphql(&mut self, ctx: &egui::Context) {
        self.poll_schema_browse(ctx);
        self.poll_schema_jobs(ctx);
        if self.loading.is_some() {
            return;
        }
        let Some(tab) = self.state.active_tab else { return };
        let Some(r) = self.state.tab(tab).and_then(Tab::request) else { return };
        if r.draft.body.mode != BodyMode::GraphQl {
            return;
        }
        self.follow_endpoint(ctx, tab);
        let key = self.state.tab(tab).and_then(Tab::request).and_then(|r| r.graphql.endpoint.clone());
        let status = match &key {
            Some(Ok(key)) => self.graphql.endpoints.get(key).map(|e| e.status.clone()).unwrap_or_default(),
            _ => SchemaStatus::default(),
        };
        let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) else { return };
        r.graphql.status = status;
        let Some(ready) = r.graphql.status.ready.clone() else { return };
        if let Some(wait) = r.graphql.checks.drive(ctx, &r.draft.body.graphql, &ready) {
            ctx.request_repaint_after(wait);
        }
        r.graphql.completion.drive(ctx, &r.draft.body.graphql.query, &ready);
    }

    /// Works out the tab's endpoint again when its URL or variables changed; the first time an
    /// endpoint is seen, its cache is read.
    fn follow_endpoint(&mut self, ctx: &egui::Context, tab: TabId) {
        let revision = self.state.revision;
        let Some(t) = self.state.tab(tab) else { return };
        let environment = self.state.active_environment.get(&t.workspace).copied();
        let Some(r) = t.request() else { return };
        let of = (r.draft.url.clone(), revision, environment);
        if r.graphql.endpoint_of.as_ref() == Some(&of) {
            return;
        }
        // While the URL is being typed, wait for it to rest: every prefix of it is no endpoint
        // to read a cache for, let alone to fetch a schema from.
        let typing = r.graphql.endpoint_of.as_ref().is_some_and(|(url, ..)| *url != r.draft.url);
        if typing {
            let url = r.draft.url.clone();
            let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) else { return };
            let since = match &r.graphql.url_typed {
                Some((typed, at)) if *typed == url => *at,
                _ => {
                    r.graphql.url_typed = Some((url, Instant::now()));
                    Instant::now()
                }
            };
            if let Some(wait) = URL_REST.checked_sub(since.elapsed()).filter(|w| !w.is_zero()) {
                ctx.request_repaint_after(wait);
                return;
            }
        }
        let key = fetch::endpoint_key(&self.state, tab);
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            r.graphql.endpoint = Some(key.clone());
            r.graphql.endpoint_of = Some(of);
        }
        if let Ok(key) = key {
            match self.graphql.endpoints.get_mut(&key) {
                Some(endpoint) => endpoint.asked_by = Some(tab),
                None => self.read_schema_cache(ctx, &key, tab),
            }
        }
    }

    /// Takes what the endpoints' jobs brought; fetches once where the cache had nothing.
    fn poll_schema_jobs(&mut self, ctx: &egui::Context) {
        let (mut fetch, mut keep) = (Vec::new(), Vec::new());
        for endpoint in self.graphql.endpoints.values_mut() {
            let Some(job) = endpoint.job.take() else { continue };
            let result = match job.try_take() {
                Ok(result) => result,
                Err(job) => {
                    endpoint.job = Some(job);
                    continue;
                }
            };
            let status = &mut endpoint.status;
            status.busy = None;
            let automatic = !endpoint.auto_fetched;
            match result {
                Ok(Arrival::Cache(Ok(Some(ready)))) => status.ready = Some(ready),
                Ok(Arrival::Cache(Ok(None))) => fetch.extend(endpoint.asked_by.filter(|_| automatic)),
                Ok(Arrival::Cache(Err(e))) => {
                    self.state.notice = Some(super::state::Notice { text: e.clone(), is_error: true });
                    status.error = Some(e);
                    fetch.extend(endpoint.asked_by.filter(|_| automatic));
                }
                Ok(Arrival::Obtained(Ok((ready, cached)))) => {
                    status.ready = Some(ready);
                    status.error = None;
                    keep.push(cached);
                }
                Ok(Arrival::Obtained(Err(e))) | Err(e) => status.error = Some(e),
            }
        }
        for tab in fetch {
            self.fetch_schema(ctx, tab, true);
        }
        for cached in keep {
            self.keep_schema(cached);
        }
    }
}

/// Whether the active tab's query editor shows its completion list (Esc closes it first).
pub fn completion_open(state: &super::state::AppState) -> bool {
    state.active().and_then(Tab::request).is_some_and(|r| r.graphql.completion.shown.is_some())
}

/// "5 min ago", "just now", "3 h ago", "2 days ago".
pub fn age_text(at: OffsetDateTime, now: OffsetDateTime) -> String {
    let secs = (now - at).whole_seconds().max(0);
    match secs {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        _ => match secs / 86_400 {
            1 => "1 day ago".into(),
            days => format!("{days} days ago"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_people_say_them() {
        let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(10);
        assert_eq!(age_text(now, now), "just now");
        assert_eq!(age_text(now - time::Duration::minutes(5), now), "5 min ago");
        assert_eq!(age_text(now - time::Duration::hours(3), now), "3 h ago");
        assert_eq!(age_text(now - time::Duration::days(2), now), "2 days ago");
        assert_eq!(age_text(now + time::Duration::minutes(5), now), "just now");
    }

    #[test]
    fn the_explorer_goes_back_where_it_was() {
        let mut x = Explorer::default();
        x.go(Some("Query".into()));
        x.go(Some("Film".into()));
        x.go(Some("Film".into()));
        x.go_back();
        assert_eq!(x.current.as_deref(), Some("Query"));
        x.go_back();
        assert_eq!(x.current, None);
        x.go_back();
        assert_eq!(x.current, None);
    }
}
