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
pub mod kept;
mod one;
mod policy_guard;
pub mod report;
pub mod script_bridge;
mod scripts;
pub mod stream;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub use data::DataFile;
pub use journal::{Journal, Tally};
pub use kept::{KeepRule, KeptReader};

use crate::http::Engine;
use crate::model::{
    EnvironmentId, ItemId, ParentId, RequestId, RequestOutcome, RunEnvironment, RunId, RunResult, RunTarget,
    ScriptCounts, WorkspaceData,
};
use crate::script::{self, ConsoleLine, NextRequest, ScriptHost};
use crate::storage::StoreError;
use crate::vars::Scopes;
use one::{Sent, send_one};
use scripts::{overlay, run_scripts, script_assertions};

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
    /// Which requests' responses the run keeps (see [`kept`]).
    pub keep: KeepRule,
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
        let requests = workspace.runnable_requests_under(parent);
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
            keep: KeepRule::default(),
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
        /// Reads the responses the run keeps, as it keeps them (`None`: it keeps none).
        responses: Option<KeptReader>,
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
    /// Where the result was kept, or why it could not be (`None`: not asked to keep it). The
    /// error is in an `Arc` so that this can be cloned.
    pub saved: Option<Result<PathBuf, Arc<StoreError>>>,
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

impl RunFinished {
    /// The end of a run that has done nothing yet: the run fills it in as it goes.
    fn nothing_yet(run: RunResult) -> Self {
        Self {
            run,
            tally: Tally::default(),
            elapsed: Duration::ZERO,
            journal: None,
            saved: None,
            failures: Vec::new(),
            problem: None,
            cookies_changed: false,
            variables: RunVariables::default(),
        }
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
pub fn start(engine: &Engine, mut spec: RunSpec, notify: Option<Arc<dyn Fn() + Send + Sync>>) -> RunHandle {
    // A WebSocket request is connected to by hand; a run sends HTTP requests only.
    let workspace = Arc::clone(&spec.workspace);
    spec.requests.retain(|id| workspace.requests.get(id).is_none_or(|r| !r.is_websocket()));
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
    /// The state a run of `spec` starts from: its `--var` values, nothing else set yet.
    fn new(spec: &RunSpec) -> Self {
        Self {
            compiled: checks::Compiled::default(),
            runtime: spec.runtime.iter().cloned().collect(),
            environment: IndexMap::new(),
            collection: IndexMap::new(),
            globals: IndexMap::new(),
            typed: script::TypedValues::new(),
            scripts: None,
            bases: HashMap::new(),
            parents: spec.workspace.parent_index(),
        }
    }

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
        kept: crate::model::ResponseKept::No,
    }
}

/// Runs `spec` to its end (or its cancellation), streaming each outcome to `tx`.
async fn run(
    engine: &Engine,
    mut spec: RunSpec,
    cancel: &CancellationToken,
    tx: &mpsc::Sender<RunEvent>,
    notify: Option<&(dyn Fn() + Send + Sync)>,
) -> RunFinished {
    let started = Instant::now();
    let data_problem = read_data_file(&mut spec).await;
    let ws = &*spec.workspace;
    let iterations = spec.iteration_count();
    let mut result = new_result(&spec, iterations);
    let mut finished = RunFinished::nothing_yet(result.clone());
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
    let mut state = State::new(&spec);
    // A run that cannot keep responses still runs; its results say nothing was kept.
    let responses = journal.keep_responses().ok();
    let total = u64::from(iterations) * spec.requests.len() as u64;
    let _ = tx.send(RunEvent::Started { total, responses }).await;
    let mut recorder =
        Recorder { journal, tally: Tally::default(), failures: Vec::new(), index: 0, tx, notify };
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
            let mut kept = None;
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
                            kept = sent.kept;
                            sent.outcome
                        }
                        None => {
                            result.cancelled = true;
                            break 'run;
                        }
                    }
                }
            };
            let passed = match outcome {
                Some(outcome) => recorder.record(outcome, console, kept).await,
                None => true,
            };
            if spec.bail && !passed {
                break 'run;
            }
            i = next_index(&spec, i, next);
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
    finished.elapsed = started.elapsed();
    recorder.finish(&mut finished, spec.results_dir.as_deref());
    finished
}

/// Reads the data file the spec names, when it gives no data; the reason when it cannot.
async fn read_data_file(spec: &mut RunSpec) -> Option<String> {
    if spec.data.is_some() {
        return None;
    }
    let path = spec.data_path.clone()?;
    match tokio::task::spawn_blocking(move || data::read(&path)).await {
        Ok(Ok(data)) => {
            spec.data = Some(data);
            None
        }
        Ok(Err(e)) => Some(e.to_string()),
        Err(e) => Some(format!("reading the data file failed: {e}")),
    }
}

/// The run's result as it begins: what runs, where, and how many times; no outcome yet.
fn new_result(spec: &RunSpec, iterations: u32) -> RunResult {
    RunResult {
        id: RunId::new(),
        started_at: OffsetDateTime::now_utc(),
        finished_at: None,
        target: spec.target.clone(),
        environment: spec
            .environment
            .and_then(|id| spec.workspace.environments.get(&id))
            .map(|e| RunEnvironment { id: Some(e.id), name: e.name.clone() }),
        iterations,
        data_file: spec.data.as_ref().map(|d| d.name.clone()),
        cancelled: false,
        results: Vec::new(),
    }
}

/// The index in the run's requests of the next one to send: the following one, or the one a
/// script named with `setNextRequest` (by name or id; `null`, or a name not in the run, ends
/// the iteration).
fn next_index(spec: &RunSpec, i: usize, next: Option<NextRequest>) -> usize {
    let ws = &spec.workspace;
    match next {
        None => i + 1,
        Some(NextRequest::Stop) => spec.requests.len(),
        Some(NextRequest::Named(name)) => spec
            .requests
            .iter()
            .position(|r| ws.requests.get(r).is_some_and(|q| q.name == name || q.id.0.to_string() == name))
            .unwrap_or(spec.requests.len()),
    }
}

/// Where a run's outcomes go as they come: its journal, its tally, the failures kept in
/// memory, and whoever listens to the run.
struct Recorder<'a> {
    journal: Journal,
    tally: Tally,
    failures: Vec<RequestOutcome>,
    /// The next outcome's index, counting from 0 across iterations.
    index: u64,
    tx: &'a mpsc::Sender<RunEvent>,
    notify: Option<&'a (dyn Fn() + Send + Sync)>,
}

impl Recorder<'_> {
    /// Keeps one outcome and tells the listeners; whether it passed.
    async fn record(
        &mut self,
        mut outcome: RequestOutcome,
        console: Vec<ConsoleLine>,
        kept: Option<crate::model::KeptExchange>,
    ) -> bool {
        let passed = outcome.passed();
        if let Some(kept) = kept {
            outcome.kept = self.journal.keep(&kept, passed);
        }
        self.journal.append(&outcome);
        self.tally.add(&outcome);
        if !passed && self.failures.len() < FAILURES_KEPT {
            self.failures.push(outcome.clone());
        }
        let index = self.index;
        if self.tx.send(RunEvent::Outcome { index, outcome: Box::new(outcome), console }).await.is_err() {
            // Nobody listens any more: the run goes on and is kept.
        }
        if let Some(n) = self.notify {
            n();
        }
        self.index += 1;
        passed
    }

    /// Hands the outcomes to the run's end: the tally and failures, the journal finished, and
    /// the run's file written in `results_dir` when there is one.
    fn finish(mut self, finished: &mut RunFinished, results_dir: Option<&Path>) {
        finished.tally = self.tally;
        finished.failures = self.failures;
        if let Err(e) = self.journal.finish() {
            finished.problem = Some(format!("the run's results could not be written in full: {e}"));
        }
        if let Some(dir) = results_dir {
            finished.saved = Some(self.journal.save_run(dir, &finished.run).map_err(Arc::new));
        }
        finished.journal = Some(self.journal);
    }
}
