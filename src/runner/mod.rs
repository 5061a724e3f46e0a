//! The collection runner: sends a list of saved requests in order, for a number of iterations
//! or once per row of a data file, evaluates each request's assertions and captures, and keeps
//! the results. The app and `localpost run` both drive it.
//!
//! A run is a task on the engine's runtime. It streams [`RunEvent`]s (the app polls them, the
//! command line waits on them) and writes each outcome to a [`Journal`] as it comes, so memory
//! stays bounded however long the run: no response body outlives its checks. At the end the
//! journal becomes the run's file in the workspace (see [`crate::storage::runs`]) and, for the
//! command line, its reports ([`report`]).
//!
//! Captured values flow to the requests that follow, within the run: a runtime capture is the
//! narrowest scope; an environment or collection capture overrides that scope's value, as
//! Postman's `pm.environment.set` does during a run (the saved environment is not changed).

pub mod checks;
pub mod data;
pub mod journal;
mod policy_guard;
pub mod report;
pub mod script_bridge;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub use data::DataFile;
pub use journal::{Journal, Tally};

use crate::http::{self, Engine, SendError};
use crate::model::{
    AssertionOutcome, CaptureScope, EnvironmentId, ItemId, ParentId, RequestId, RequestOutcome,
    RunEnvironment, RunId, RunResult, RunTarget, ScriptCounts, WorkspaceData,
};
use crate::script::{
    self, ConsoleLine, Event, NextRequest, ScriptHost, ScriptJob, TestStatus, VarOp, VarScope,
};
use crate::vars::{ScopeKind, Scopes};

/// How many failures a finished run lists in memory (the rest are in its file).
pub const FAILURES_KEPT: usize = 100;

/// What to run and how.
#[derive(Clone)]
pub struct RunSpec {
    /// A snapshot of the workspace: edits made during the run do not change it.
    pub workspace: Arc<WorkspaceData>,
    pub target: RunTarget,
    /// The requests, in the order they are sent in each iteration.
    pub requests: Vec<RequestId>,
    pub environment: Option<EnvironmentId>,
    /// `None`: one per data row when there is a data file, else 1.
    pub iterations: Option<u32>,
    pub data: Option<DataFile>,
    /// Pause between two requests.
    pub delay: Duration,
    /// Stop at the first request that fails (an assertion, or no response).
    pub bail: bool,
    /// The workspace folder whose `runs/` keeps the result; `None` keeps nothing.
    pub results_dir: Option<PathBuf>,
    /// Runtime values set before the first request (`--var`); captures add to them.
    pub runtime: Vec<(String, String)>,
    /// A data file to read when the run starts (the app's choice), when `data` is not given.
    /// A file that cannot be read ends the run before any request, with the reason.
    pub data_path: Option<PathBuf>,
    /// Whether pre-request and test scripts run, and their limits.
    pub scripts: ScriptRule,
    /// Send a variable no scope defines as written (`{{token}}`), as newman does, instead of
    /// failing the request (`localpost run`); the console says which.
    pub missing_as_written: bool,
}

/// Whether a run's scripts run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptRule {
    Run(script::Limits),
    /// Forbidden (by the organization's policy): requests are sent, each script's tests are
    /// reported as skipped with this reason.
    Forbidden(String),
}

impl Default for ScriptRule {
    fn default() -> Self {
        ScriptRule::Run(script::Limits::default())
    }
}

/// The organization policy's answer ([`crate::policy::EffectivePolicy::script_permission`]) as
/// the runner's rule: its timeout with the engine's default memory and stack limits, or the
/// refusal's message (which names `allow_scripts` and the file that set it).
impl From<crate::policy::ScriptPermission> for ScriptRule {
    fn from(permission: crate::policy::ScriptPermission) -> Self {
        match permission {
            crate::policy::ScriptPermission::Run { timeout } => {
                ScriptRule::Run(script::Limits { timeout, ..script::Limits::default() })
            }
            crate::policy::ScriptPermission::Forbidden(refusal) => ScriptRule::Forbidden(refusal.to_string()),
        }
    }
}

impl RunSpec {
    /// A run of everything under `parent` (a collection or a folder), once, no environment.
    pub fn for_parent(workspace: Arc<WorkspaceData>, parent: ParentId) -> Self {
        let requests = workspace.requests_under(parent);
        let target = target_of(&workspace, parent);
        Self {
            workspace,
            target,
            requests,
            environment: None,
            iterations: None,
            data: None,
            delay: Duration::ZERO,
            bail: false,
            results_dir: None,
            runtime: Vec::new(),
            data_path: None,
            scripts: ScriptRule::default(),
            missing_as_written: false,
        }
    }

    /// The iterations the run will make.
    pub fn iteration_count(&self) -> u32 {
        match (self.iterations, &self.data) {
            (Some(n), _) => n.max(1),
            (None, Some(data)) => u32::try_from(data.rows.len()).unwrap_or(u32::MAX).max(1),
            (None, None) => 1,
        }
    }

    /// Requests the run will send in all.
    pub fn total(&self) -> u64 {
        u64::from(self.iteration_count()) * self.requests.len() as u64
    }
}

/// `Collection / Folder / Subfolder`, and the ids, of what `parent` is.
pub fn target_of(ws: &WorkspaceData, parent: ParentId) -> RunTarget {
    let mut names: Vec<String> = Vec::new();
    let mut collection = None;
    if let ParentId::Folder(f) = parent {
        for p in ws.ancestors(ItemId::Folder(f)).into_iter().rev() {
            if let ParentId::Collection(c) = p {
                collection = Some(c);
            }
            names.extend(ws.parent_name(p).map(str::to_owned));
        }
    } else if let ParentId::Collection(c) = parent {
        collection = Some(c);
    }
    names.extend(ws.parent_name(parent).map(str::to_owned));
    let folder = match parent {
        ParentId::Folder(f) => Some(f),
        ParentId::Collection(_) => None,
    };
    RunTarget { name: names.join(" / "), collection, folder }
}

/// What a run reports while it goes.
#[derive(Debug)]
pub enum RunEvent {
    /// The run has begun (its data file read): `total` requests will be sent.
    Started {
        total: u64,
    },
    /// One request of one iteration is done; `index` counts from 0 across iterations.
    Outcome {
        index: u64,
        outcome: Box<RequestOutcome>,
        /// What its scripts printed.
        console: Vec<ConsoleLine>,
    },
    Finished(Box<RunFinished>),
}

/// A run's end.
pub struct RunFinished {
    /// Every field but `results` (those are in the journal and the saved file).
    pub run: RunResult,
    pub tally: Tally,
    pub elapsed: Duration,
    /// The outcomes, for the reports; removed from disk when dropped.
    pub journal: Option<Journal>,
    /// Where the result was kept, or why it could not be (`None`: not asked to keep it).
    pub saved: Option<Result<PathBuf, String>>,
    /// The first [`FAILURES_KEPT`] failures.
    pub failures: Vec<RequestOutcome>,
    /// A problem with the run itself (its journal could not be written...).
    pub problem: Option<String>,
    /// Whether a response changed the workspace's cookie jar (the app saves it).
    pub cookies_changed: bool,
    /// What scripts and captures set (`Some`) or unset (`None`) during the run, by scope, over
    /// the saved values: for `--export-environment`, and for the app to save.
    pub variables: RunVariables,
}

/// Variable changes a run made, over the saved values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunVariables {
    pub environment: IndexMap<String, Option<String>>,
    pub collection: IndexMap<String, Option<String>>,
    pub globals: IndexMap<String, Option<String>>,
}

impl RunVariables {
    /// `saved` with these changes applied (a set value keeps its secret flag; a new one is not
    /// secret).
    pub fn apply(
        changes: &IndexMap<String, Option<String>>,
        saved: &[crate::model::Variable],
    ) -> Vec<crate::model::Variable> {
        let mut out: Vec<crate::model::Variable> = saved.to_vec();
        for (key, value) in changes {
            match value {
                Some(v) => match out.iter_mut().find(|x| x.key == *key && x.enabled) {
                    Some(existing) => existing.value.clone_from(v),
                    None => out.push(crate::model::Variable::new(key.clone(), v.clone())),
                },
                None => out.retain(|x| x.key != *key),
            }
        }
        out
    }
}

impl std::fmt::Debug for RunFinished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunFinished")
            .field("target", &self.run.target.name)
            .field("tally", &self.tally)
            .field("saved", &self.saved)
            .field("problem", &self.problem)
            .finish_non_exhaustive()
    }
}

/// A run in progress.
pub struct RunHandle {
    pub events: mpsc::Receiver<RunEvent>,
    cancel: CancellationToken,
    pub total: u64,
}

impl RunHandle {
    /// Stops the run: the request in flight is dropped, the result is kept as cancelled.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn canceller(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Waits for the run's end (for callers outside the runtime, e.g. the command line);
    /// `on_outcome` sees each outcome as it comes, with what its scripts printed.
    pub fn wait(
        mut self,
        mut on_outcome: impl FnMut(u64, &RequestOutcome, &[ConsoleLine]),
    ) -> Option<Box<RunFinished>> {
        while let Some(event) = self.events.blocking_recv() {
            match event {
                RunEvent::Outcome { index, outcome, console } => on_outcome(index, &outcome, &console),
                RunEvent::Finished(done) => return Some(done),
                RunEvent::Started { .. } => {}
            }
        }
        None
    }
}

/// Starts a run on the engine's runtime. `notify` is called after each event (the app passes a
/// repaint request).
pub fn start(engine: &Engine, spec: RunSpec, notify: Option<Arc<dyn Fn() + Send + Sync>>) -> RunHandle {
    let (tx, rx) = mpsc::channel(256);
    let cancel = CancellationToken::new();
    let total = spec.total();
    let engine2 = engine.clone();
    let token = cancel.clone();
    engine.runtime().spawn(async move {
        let finished = run(&engine2, spec, &token, &tx, notify.as_deref()).await;
        let _ = tx.send(RunEvent::Finished(Box::new(finished))).await;
        if let Some(n) = notify {
            n();
        }
    });
    RunHandle { events: rx, cancel, total }
}

/// Per-run state: compiled checks, captured values, the scopes of each container.
struct State {
    compiled: checks::Compiled,
    /// `pm.variables` and captures into the runtime scope, and `--var`.
    runtime: IndexMap<String, String>,
    /// Values set (`Some`) or unset (`None`) during the run, over the saved ones.
    environment: IndexMap<String, Option<String>>,
    collection: IndexMap<String, Option<String>>,
    globals: IndexMap<String, Option<String>>,
    /// Values scripts set with a type (see [`script::TypedValues`]).
    typed: script::TypedValues,
    /// The scripts' thread, started at the first script.
    scripts: Option<ScriptHost>,
    /// Base scopes (environment, folders, collection, globals) per parent, built once.
    bases: HashMap<ParentId, Scopes>,
    parents: HashMap<ItemId, ParentId>,
}

impl State {
    fn scopes(&mut self, ws: &WorkspaceData, id: RequestId, env: Option<EnvironmentId>) -> Scopes {
        match self.parents.get(&ItemId::Request(id)).copied() {
            Some(parent) => {
                self.bases.entry(parent).or_insert_with(|| Scopes::for_request(ws, id, env)).clone()
            }
            None => Scopes::for_request(ws, id, env),
        }
    }
}

fn failed(iteration: u32, id: RequestId, ws: &WorkspaceData, error: String) -> RequestOutcome {
    let (name, method, url) = ws
        .requests
        .get(&id)
        .map(|r| (r.name.clone(), r.method.as_str().to_owned(), r.url.clone()))
        .unwrap_or_else(|| ("(deleted request)".into(), String::new(), String::new()));
    RequestOutcome {
        iteration,
        request: Some(id),
        name,
        method,
        url,
        status: None,
        time_ms: 0,
        size_bytes: 0,
        assertions: Vec::new(),
        error: Some(error),
        scripts: ScriptCounts::default(),
        unresolved: Vec::new(),
    }
}

async fn run(
    engine: &Engine,
    mut spec: RunSpec,
    cancel: &CancellationToken,
    tx: &mpsc::Sender<RunEvent>,
    notify: Option<&(dyn Fn() + Send + Sync)>,
) -> RunFinished {
    let started = Instant::now();
    let mut data_problem = None;
    if spec.data.is_none()
        && let Some(path) = spec.data_path.clone()
    {
        match tokio::task::spawn_blocking(move || data::read(&path)).await {
            Ok(Ok(data)) => spec.data = Some(data),
            Ok(Err(e)) => data_problem = Some(e.to_string()),
            Err(e) => data_problem = Some(format!("reading the data file failed: {e}")),
        }
    }
    let ws = &*spec.workspace;
    let iterations = spec.iteration_count();
    let mut result = RunResult {
        id: RunId::new(),
        started_at: OffsetDateTime::now_utc(),
        finished_at: None,
        target: spec.target.clone(),
        environment: spec
            .environment
            .and_then(|id| ws.environments.get(&id))
            .map(|e| RunEnvironment { id: Some(e.id), name: e.name.clone() }),
        iterations,
        data_file: spec.data.as_ref().map(|d| d.name.clone()),
        cancelled: false,
        results: Vec::new(),
    };
    let mut finished = RunFinished {
        run: result.clone(),
        tally: Tally::default(),
        elapsed: Duration::ZERO,
        journal: None,
        saved: None,
        failures: Vec::new(),
        problem: None,
        cookies_changed: false,
        variables: RunVariables::default(),
    };
    if let Some(problem) = data_problem {
        finished.problem = Some(problem);
        return finished;
    }
    // In the temporary folder, not the data folder: an interrupted run leaves nothing there.
    let mut journal = match Journal::create(None) {
        Ok(j) => j,
        Err(e) => {
            finished.problem = Some(format!("cannot write the run's results to the temporary folder: {e}"));
            return finished;
        }
    };
    let mut state = State {
        compiled: checks::Compiled::default(),
        runtime: spec.runtime.iter().cloned().collect(),
        environment: IndexMap::new(),
        collection: IndexMap::new(),
        globals: IndexMap::new(),
        typed: script::TypedValues::new(),
        scripts: None,
        bases: HashMap::new(),
        parents: ws.parent_index(),
    };
    let _ = tx.send(RunEvent::Started { total: u64::from(iterations) * spec.requests.len() as u64 }).await;
    let mut tally = Tally::default();
    let mut index = 0u64;
    'run: for iteration in 0..iterations {
        let row = spec.data.as_ref().and_then(|d| d.row(iteration));
        let mut i = 0;
        while i < spec.requests.len() {
            let id = spec.requests[i];
            if cancel.is_cancelled() {
                result.cancelled = true;
                break 'run;
            }
            let mut console = Vec::new();
            let mut next = None;
            let outcome = match row {
                Some(Err(row_error)) => {
                    let file = spec.data.as_ref().map(|d| d.name.as_str()).unwrap_or_default();
                    Some(failed(iteration, id, ws, format!("data file {file}: {row_error}")))
                }
                _ => {
                    let row = row.and_then(|r| r.as_ref().ok());
                    match send_one(engine, ws, &spec, &mut state, (iteration, iterations), id, row, cancel)
                        .await
                    {
                        Some(sent) => {
                            finished.cookies_changed |= sent.cookies_changed;
                            console = sent.console;
                            next = sent.next;
                            sent.outcome
                        }
                        None => {
                            result.cancelled = true;
                            break 'run;
                        }
                    }
                }
            };
            let mut passed = true;
            if let Some(outcome) = outcome {
                journal.append(&outcome);
                tally.add(&outcome);
                passed = outcome.passed();
                if !passed && finished.failures.len() < FAILURES_KEPT {
                    finished.failures.push(outcome.clone());
                }
                if tx.send(RunEvent::Outcome { index, outcome: Box::new(outcome), console }).await.is_err() {
                    // Nobody listens any more: the run goes on and is kept.
                }
                if let Some(n) = notify {
                    n();
                }
                index += 1;
            }
            if spec.bail && !passed {
                break 'run;
            }
            // `setNextRequest`: by name or id among the run's requests; `null` ends the iteration.
            i = match next {
                None => i + 1,
                Some(NextRequest::Stop) => spec.requests.len(),
                Some(NextRequest::Named(name)) => spec
                    .requests
                    .iter()
                    .position(|r| {
                        ws.requests.get(r).is_some_and(|q| q.name == name || q.id.0.to_string() == name)
                    })
                    .unwrap_or(spec.requests.len()),
            };
            let last = iteration + 1 == iterations && i >= spec.requests.len();
            if !spec.delay.is_zero() && !last {
                tokio::select! {
                    () = cancel.cancelled() => { result.cancelled = true; break 'run; }
                    () = tokio::time::sleep(spec.delay) => {}
                }
            }
        }
    }
    result.finished_at = Some(OffsetDateTime::now_utc());
    finished.variables = RunVariables {
        environment: std::mem::take(&mut state.environment),
        collection: std::mem::take(&mut state.collection),
        globals: std::mem::take(&mut state.globals),
    };
    finished.run = result;
    finished.tally = tally;
    finished.elapsed = started.elapsed();
    if let Err(e) = journal.finish() {
        finished.problem = Some(format!("the run's results could not be written in full: {e}"));
    }
    if let Some(dir) = &spec.results_dir {
        finished.saved = Some(journal.save_run(dir, &finished.run).map_err(|e| e.to_string()));
    }
    finished.journal = Some(journal);
    finished
}

/// What sending one request gave.
struct Sent {
    /// `None`: a pre-request script skipped the request (`pm.execution.skipRequest`).
    outcome: Option<RequestOutcome>,
    cookies_changed: bool,
    console: Vec<ConsoleLine>,
    next: Option<NextRequest>,
}

/// Sends one request with its scripts and checks it; `None` when the run was cancelled
/// meanwhile.
#[allow(clippy::too_many_arguments)]
async fn send_one(
    engine: &Engine,
    ws: &WorkspaceData,
    spec: &RunSpec,
    state: &mut State,
    (iteration, iterations): (u32, u32),
    id: RequestId,
    row: Option<&Vec<(String, String)>>,
    cancel: &CancellationToken,
) -> Option<Sent> {
    let mut sent = Sent { outcome: None, cookies_changed: false, console: Vec::new(), next: None };
    let Some(written) = ws.requests.get(&id) else {
        sent.outcome = Some(failed(iteration, id, ws, "the request no longer exists".into()));
        return Some(sent);
    };
    let mut scopes = state.scopes(ws, id, spec.environment);
    if let Some(row) = row {
        scopes = scopes.with_data_row(row.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
    overlay(&mut scopes, ScopeKind::Environment, &state.environment);
    overlay(&mut scopes, ScopeKind::Collection, &state.collection);
    overlay(&mut scopes, ScopeKind::Globals, &state.globals);
    for (k, v) in &state.runtime {
        scopes.set(ScopeKind::Runtime, k, v);
    }
    let chain = WorkspaceData::ancestors_in(&state.parents, ItemId::Request(id));
    let pre = script::chain_scripts(ws, &chain, written, Event::PreRequest);
    let post = script::chain_scripts(ws, &chain, written, Event::Test);
    let mut assertions: Vec<AssertionOutcome> = Vec::new();
    let mut counts = ScriptCounts::default();
    let mut request = std::borrow::Cow::Borrowed(written);
    let mut fresh = None;
    let limits = match &spec.scripts {
        ScriptRule::Run(limits) => Some(*limits),
        ScriptRule::Forbidden(reason) => {
            let labelled =
                pre.iter().map(|s| (s, Event::PreRequest)).chain(post.iter().map(|s| (s, Event::Test)));
            for (s, event) in labelled {
                assertions.push(AssertionOutcome {
                    name: format!("{} {}", s.owner, event.label()),
                    passed: true,
                    message: reason.clone(),
                    skipped: true,
                });
            }
            None
        }
    };
    if let Some(limits) = limits
        && !(pre.is_empty() && post.is_empty())
    {
        let collection_name =
            chain.last().and_then(|p| ws.parent_name(*p)).map(str::to_owned).unwrap_or_default();
        fresh = Some(Box::new(script::SandboxInput {
            variables: script_bridge::vars_of(&scopes),
            typed: state.typed.clone(),
            environment_name: spec.environment.and_then(|e| ws.environments.get(&e)).map(|e| e.name.clone()),
            request: script_bridge::request_view(written),
            info: script::InfoView {
                iteration,
                iteration_count: iterations,
                request_name: written.name.clone(),
                request_id: written.id.0.to_string(),
                collection_name,
            },
        }));
        if state.scripts.is_none() {
            let outbound = Box::new(script_bridge::EngineOutbound { engine: engine.clone() });
            match ScriptHost::spawn_for_run(limits, outbound) {
                Ok(host) => state.scripts = Some(host),
                Err(e) => assertions.push(AssertionOutcome {
                    name: "scripts".into(),
                    passed: false,
                    message: format!("cannot start the script thread: {e}"),
                    skipped: false,
                }),
            }
        }
    }
    if let (Some(host), false) = (&state.scripts, pre.is_empty() || limits.is_none()) {
        let job = ScriptJob {
            fresh: fresh.take(),
            event: Event::PreRequest,
            scripts: pre,
            response: None,
            sent: None,
        };
        let out = run_scripts(host, job, cancel).await?;
        counts.pre_request = u32::try_from(out.scripts_run).unwrap_or(u32::MAX);
        counts.pre_request_failed = u32::try_from(out.errors.len()).unwrap_or(u32::MAX);
        state.absorb(&out.ops, &mut scopes);
        if let Some(changed) = &out.request {
            request = std::borrow::Cow::Owned(script_bridge::apply_change(written, changed));
        }
        assertions.extend(script_assertions(&out));
        sent.console.extend(out.console);
        sent.next = out.next_request;
        if out.skip_request {
            return Some(sent);
        }
    }
    let mut unresolved = Vec::new();
    let prepared = if spec.missing_as_written {
        http::prepare_as_written(&request, Some(ws), &chain, &scopes).map(|(p, missing)| {
            unresolved.clone_from(&missing);
            if !missing.is_empty() {
                sent.console.push(ConsoleLine {
                    level: "warn".into(),
                    text: http::sent_as_written(&missing),
                    script: None,
                });
            }
            p
        })
    } else {
        http::prepare_in(&request, Some(ws), &chain, &scopes)
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            let mut o = failed(iteration, id, ws, e.to_string());
            o.assertions = assertions;
            o.scripts = counts;
            sent.outcome = Some(o);
            return Some(sent);
        }
    };
    let result = tokio::select! {
        biased;
        () = cancel.cancelled() => return None,
        r = engine.execute(&prepared) => r,
    };
    let mut outcome = RequestOutcome {
        iteration,
        request: Some(id),
        name: written.name.clone(),
        method: prepared.method.as_str().to_owned(),
        // Secret values (an API key in the query) are not kept in results.
        url: prepared.redactions.scrub(prepared.url.as_str()),
        status: None,
        time_ms: 0,
        size_bytes: 0,
        assertions,
        error: None,
        scripts: counts,
        unresolved,
    };
    let exchange = match result {
        Ok(x) => x,
        Err(SendError::Cancelled) => return None,
        Err(e) => {
            outcome.error = Some(e.to_string());
            // Test scripts still run, on no response (as newman): their tests fail, and what
            // they set still counts.
            if let (Some(host), false) = (&state.scripts, post.is_empty() || limits.is_none()) {
                let job = ScriptJob {
                    fresh,
                    event: Event::Test,
                    scripts: post,
                    response: Some(script_bridge::no_response()),
                    sent: Some(script_bridge::sent_view(&prepared, None)),
                };
                let out = run_scripts(host, job, cancel).await?;
                state.after_tests(&out, &mut outcome, &mut sent, &mut scopes);
            }
            sent.outcome = Some(outcome);
            return Some(sent);
        }
    };
    sent.cookies_changed = exchange.cookies_changed;
    let time_ms = u64::try_from(exchange.timing.total.as_millis()).unwrap_or(u64::MAX);
    outcome.status = Some(exchange.response.status);
    outcome.time_ms = time_ms;
    outcome.size_bytes = exchange.response.size_bytes();
    let subject = checks::Subject::new(&exchange.response, time_ms);
    outcome.assertions.extend(checks::evaluate_all(
        &written.assertions,
        &subject,
        &mut state.compiled,
        &scopes,
    ));
    for c in written.captures.iter().filter(|c| c.enabled && !c.variable.trim().is_empty()) {
        match checks::capture(c, &subject, &mut state.compiled) {
            Ok(taken) => match c.scope {
                CaptureScope::Runtime => {
                    state.forget_typed(VarScope::Local, &taken.variable);
                    state.runtime.insert(taken.variable, taken.value);
                }
                CaptureScope::Environment => {
                    state.forget_typed(VarScope::Environment, &taken.variable);
                    state.environment.insert(taken.variable, Some(taken.value));
                }
                CaptureScope::Collection => {
                    state.forget_typed(VarScope::Collection, &taken.variable);
                    state.collection.insert(taken.variable, Some(taken.value));
                }
            },
            Err(message) => outcome.assertions.push(AssertionOutcome {
                name: format!("capture {} from {}", c.variable, c.source),
                passed: false,
                message,
                skipped: false,
            }),
        }
    }
    if let (Some(host), false) = (&state.scripts, post.is_empty() || limits.is_none()) {
        // A body kept on disk is read on a blocking-friendly thread.
        let response = if exchange.response.body.bytes().is_some() {
            script_bridge::response_view_with_jar(&exchange, engine, prepared.workspace)
        } else {
            tokio::task::block_in_place(|| {
                script_bridge::response_view_with_jar(&exchange, engine, prepared.workspace)
            })
        };
        let job = ScriptJob {
            fresh,
            event: Event::Test,
            scripts: post,
            response: Some(response),
            sent: Some(script_bridge::sent_view(&prepared, Some(&exchange))),
        };
        let out = run_scripts(host, job, cancel).await?;
        state.after_tests(&out, &mut outcome, &mut sent, &mut scopes);
    }
    sent.outcome = Some(outcome);
    Some(sent)
}

impl State {
    /// What a request's test scripts did, into its outcome and the run.
    fn after_tests(
        &mut self,
        out: &script::EventOutput,
        outcome: &mut RequestOutcome,
        sent: &mut Sent,
        scopes: &mut Scopes,
    ) {
        outcome.scripts.test = u32::try_from(out.scripts_run).unwrap_or(u32::MAX);
        outcome.scripts.test_failed = u32::try_from(out.errors.len()).unwrap_or(u32::MAX);
        self.absorb(&out.ops, scopes);
        outcome.assertions.extend(script_assertions(out));
        sent.console.extend(out.console.iter().cloned());
        if out.next_request.is_some() {
            sent.next.clone_from(&out.next_request);
        }
    }
}

/// Runs one script event; `None` when the run is cancelled first.
async fn run_scripts(
    host: &ScriptHost,
    job: ScriptJob,
    cancel: &CancellationToken,
) -> Option<script::EventOutput> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        out = host.run(job) => Some(out),
    }
}

/// Values set or unset during the run, over a request's scopes.
fn overlay(scopes: &mut Scopes, kind: ScopeKind, values: &IndexMap<String, Option<String>>) {
    for (k, v) in values {
        match v {
            Some(v) => scopes.set(kind, k, v),
            None => {
                scopes.unset(kind, k);
                if kind == ScopeKind::Collection {
                    scopes.unset(ScopeKind::Folder, k);
                }
            }
        }
    }
}

impl State {
    fn forget_typed(&mut self, scope: VarScope, key: &str) {
        if let Some(values) = self.typed.get_mut(scope.key()) {
            values.shift_remove(key);
        }
    }

    /// Keeps a script's variable writes for the rest of the run, and applies them to the
    /// request's scopes (a pre-request script's writes are seen by the request it precedes).
    fn absorb(&mut self, ops: &[VarOp], scopes: &mut Scopes) {
        for op in ops {
            match op {
                VarOp::Set { scope, key, typed: Some(value), .. } => {
                    self.typed.entry(scope.key()).or_default().insert(key.clone(), value.clone());
                }
                VarOp::Set { scope, key, .. } | VarOp::Unset { scope, key } => self.forget_typed(*scope, key),
                VarOp::Clear { scope } => {
                    self.typed.shift_remove(scope.key());
                }
            }
            let before = match op {
                VarOp::Clear { scope } => {
                    let kinds: &[ScopeKind] = match scope {
                        VarScope::Collection => &[ScopeKind::Folder, ScopeKind::Collection],
                        other => &[script_bridge::scope_kind(*other)],
                    };
                    scopes.values_of(kinds).into_keys().collect()
                }
                _ => Vec::new(),
            };
            script_bridge::apply_to_scopes(op, scopes);
            let map = match op.scope() {
                VarScope::Local => {
                    op.apply_to(&mut self.runtime);
                    continue;
                }
                VarScope::Environment => &mut self.environment,
                VarScope::Collection => &mut self.collection,
                VarScope::Globals => &mut self.globals,
            };
            match op {
                VarOp::Set { key, value, .. } => {
                    map.insert(key.clone(), Some(value.clone()));
                }
                VarOp::Unset { key, .. } => {
                    map.insert(key.clone(), None);
                }
                VarOp::Clear { .. } => {
                    for k in before {
                        map.insert(k, None);
                    }
                }
            }
        }
    }
}

/// A script event's tests and errors, as the request's assertions.
fn script_assertions(out: &script::EventOutput) -> Vec<AssertionOutcome> {
    let tests = out.tests.iter().map(|t| AssertionOutcome {
        name: t.name.clone(),
        passed: t.status != TestStatus::Failed,
        message: t.error.clone(),
        skipped: t.status == TestStatus::Skipped,
    });
    let errors = out.errors.iter().map(|e| AssertionOutcome {
        name: format!("{} {}", e.owner, e.event.label()),
        passed: false,
        message: e.detail(),
        skipped: false,
    });
    tests.chain(errors).collect()
}
