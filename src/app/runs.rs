//! The runner tab: what to run and how, the run in progress (polled each frame, never waited
//! on), and the workspace's past runs (read, exported and deleted off the UI thread).

use super::job::{self, Job};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::App;
use super::dialogs::Chosen;
use super::scripts::{ConsoleEntry, ConsoleLevel};
use super::state::{Tab, TabId, TabKind};
use super::writer::WriteJob;
use crate::model::{EnvironmentId, ParentId, RequestId, RequestOutcome, RunId, RunResult, WorkspaceId};
use crate::runner::{self, RunEvent, RunHandle, RunSpec, Tally};

/// Outcomes a live run keeps for its table; older ones are in the run's file.
pub const LIVE_KEPT: usize = 10_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunnerPage {
    #[default]
    Run,
    Past,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReportFormat {
    #[default]
    Json,
    Junit,
}

impl ReportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Junit => "xml",
        }
    }
}

/// A run started from this tab.
pub struct LiveRun {
    pub handle: Option<RunHandle>,
    pub started: Instant,
    pub total: u64,
    pub tally: Tally,
    /// The latest [`LIVE_KEPT`] outcomes.
    pub outcomes: std::collections::VecDeque<RequestOutcome>,
    pub finished: Option<LiveEnd>,
    /// Secret values the console hides from the run's script output.
    secrets: crate::http::Redactions,
    /// Reads the responses the run keeps (see [`crate::runner::kept`]).
    pub responses: Option<runner::KeptReader>,
}

pub struct LiveEnd {
    pub elapsed: Duration,
    pub cancelled: bool,
    /// Why the run could not go (a data file that cannot be read...).
    pub problem: Option<String>,
    /// Where the result went, once the writer has kept it.
    pub saved: Option<Result<String, String>>,
}

pub struct RunnerTab {
    pub target: ParentId,
    /// Every request under the target, in order, and whether it runs.
    pub order: Vec<(RequestId, bool)>,
    pub environment: Option<EnvironmentId>,
    pub iterations: u32,
    pub delay_ms: u64,
    pub data_path: String,
    pub bail: bool,
    pub page: RunnerPage,
    pub live: Option<LiveRun>,
    pub failed_only: bool,
    /// The past run shown, and the one it is compared with.
    pub opened: Option<RunId>,
    pub compare_with: Option<RunId>,
    pub export_format: ReportFormat,
    pub export_path: String,
    pub export_status: Option<Result<String, String>>,
    export: Option<Job<Result<String, String>>>,
    browse: Option<(BrowseFor, Job<Chosen>)>,
    /// The result opened under the results table.
    pub detail: Option<super::run_detail::RunDetail>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrowseFor {
    Data,
    Export,
}

impl RunnerTab {
    pub fn new(
        ws: &crate::model::WorkspaceData,
        target: ParentId,
        environment: Option<EnvironmentId>,
    ) -> Self {
        let export_path = directories::UserDirs::new()
            .map(|d| d.download_dir().unwrap_or(d.home_dir()).join("localpost-run").display().to_string())
            .unwrap_or_default();
        Self {
            target,
            order: ws.runnable_requests_under(target).into_iter().map(|id| (id, true)).collect(),
            environment,
            iterations: 1,
            delay_ms: 0,
            data_path: String::new(),
            bail: false,
            page: RunnerPage::Run,
            live: None,
            failed_only: false,
            opened: None,
            compare_with: None,
            export_format: ReportFormat::Json,
            export_path,
            export_status: None,
            export: None,
            browse: None,
            detail: None,
        }
    }

    pub fn running(&self) -> bool {
        self.live.as_ref().is_some_and(|l| l.handle.is_some())
    }

    /// Takes in what the run reported since the last frame; what its scripts printed goes to
    /// `console`.
    fn poll(&mut self, console: &mut Vec<ConsoleEntry>) -> Option<Box<runner::RunFinished>> {
        let live = self.live.as_mut()?;
        let handle = live.handle.as_mut()?;
        let mut done = None;
        while let Ok(event) = handle.events.try_recv() {
            match event {
                RunEvent::Started { total, responses } => {
                    live.total = total;
                    live.responses = responses;
                }
                RunEvent::Outcome { outcome, console: lines, .. } => {
                    let fallback = format!("request \"{}\"", outcome.name);
                    console.extend(lines.into_iter().map(|line| {
                        let source = line.script.unwrap_or_else(|| fallback.clone());
                        ConsoleEntry::new(ConsoleLevel::of(&line.level), line.text, source, &live.secrets)
                    }));
                    live.tally.add(&outcome);
                    if live.outcomes.len() == LIVE_KEPT {
                        live.outcomes.pop_front();
                    }
                    live.outcomes.push_back(*outcome);
                }
                RunEvent::Finished(f) => {
                    done = Some(f);
                    break;
                }
            }
        }
        if let Some(f) = &done {
            live.handle = None;
            live.finished = Some(LiveEnd {
                elapsed: f.elapsed,
                cancelled: f.run.cancelled,
                problem: f.problem.clone(),
                saved: None,
            });
        }
        done
    }
}

/// A finished run being written into its workspace: (runner tab, workspace, where it went).
pub type Keeping = (TabId, WorkspaceId, Job<String>);

/// A kept run with its counts.
pub type PastRun = (RunResult, Tally);

/// The past runs of the workspace the runner looks at.
#[derive(Default)]
pub struct PastRuns {
    pub workspace: Option<WorkspaceId>,
    /// Newest first, each with its counts (computed when read, not per frame).
    pub list: Vec<PastRun>,
    pub problems: Vec<String>,
    pub loading: Option<Job<(Vec<PastRun>, Vec<String>)>>,
}

impl PastRuns {
    pub fn get(&self, id: RunId) -> Option<&PastRun> {
        self.list.iter().find(|(r, _)| r.id == id)
    }
}

impl App {
    pub(super) fn any_run_live(&self) -> bool {
        self.state.tabs.iter().any(|t| matches!(&t.kind, TabKind::Runner(r) if r.running()))
    }

    pub(super) fn open_runner(&mut self, target: ParentId) {
        let Some(ws) = self.state.ws() else { return };
        let ws_id = ws.id();
        if let Some(t) =
            self.state.tabs.iter().find(|t| matches!(&t.kind, TabKind::Runner(r) if r.target == target))
        {
            self.state.active_tab = Some(t.id);
            self.load_past_runs(ws_id);
            return;
        }
        let env = self.state.active_environment.get(&ws_id).copied();
        let tab = RunnerTab::new(ws, target, env);
        let id = self.state.new_tab_id();
        self.state.tabs.push(Tab { id, workspace: ws_id, kind: TabKind::Runner(Box::new(tab)) });
        self.state.active_tab = Some(id);
        self.load_past_runs(ws_id);
    }

    pub(super) fn start_run(&mut self, ctx: &egui::Context, tab_id: TabId) {
        let engine = match self.engine() {
            Ok(e) => e,
            Err(e) => {
                self.state.error(format!("The HTTP engine could not start: {e}"));
                return;
            }
        };
        let rule = self.state.script_rule();
        let send_unresolved = self.state.effective_settings().send_unresolved_variables;
        let keep = runner::KeepRule::from_settings(&self.state.effective_settings());
        let Some(tab) = self.state.tabs.iter_mut().find(|t| t.id == tab_id) else { return };
        let Some(ws) = self.state.library.workspaces.get(&tab.workspace) else { return };
        let TabKind::Runner(r) = &mut tab.kind else { return };
        if r.running() {
            return;
        }
        let mut spec = RunSpec::for_parent(Arc::new(ws.clone()), r.target);
        spec.requests = r
            .order
            .iter()
            .filter(|(id, on)| *on && ws.requests.contains_key(id))
            .map(|(id, _)| *id)
            .collect();
        spec.environment = r.environment.filter(|id| ws.environments.contains_key(id));
        spec.delay = Duration::from_millis(r.delay_ms);
        spec.bail = r.bail;
        spec.missing_as_written = send_unresolved;
        let data = r.data_path.trim();
        spec.data_path = (!data.is_empty()).then(|| PathBuf::from(data));
        // With a data file, one iteration per row unless the user asked for more than one.
        spec.iterations =
            if spec.data_path.is_some() && r.iterations <= 1 { None } else { Some(r.iterations.max(1)) };
        if spec.requests.is_empty() {
            self.state.error("Pick at least one request to run.");
            return;
        }
        spec.scripts = rule;
        spec.keep = keep;
        let secrets = secret_values(ws, spec.environment);
        let repaint = ctx.clone();
        let total = spec.total();
        let handle = runner::start(&engine, spec, Some(Arc::new(move || repaint.request_repaint())));
        r.live = Some(LiveRun {
            handle: Some(handle),
            started: Instant::now(),
            total,
            tally: Tally::default(),
            outcomes: std::collections::VecDeque::new(),
            finished: None,
            secrets,
            responses: None,
        });
        r.page = RunnerPage::Run;
        r.detail = None;
    }

    pub(super) fn cancel_run(&mut self, tab_id: TabId) {
        if let Some(Tab { kind: TabKind::Runner(r), .. }) = self.state.tab_mut(tab_id)
            && let Some(handle) = r.live.as_ref().and_then(|l| l.handle.as_ref())
        {
            handle.cancel();
        }
    }

    pub(super) fn poll_runs(&mut self) {
        let mut finished = Vec::new();
        let mut console = Vec::new();
        let mut no_chooser = false;
        for tab in &mut self.state.tabs {
            let workspace = tab.workspace;
            let id = tab.id;
            if let TabKind::Runner(r) = &mut tab.kind {
                if let Some(done) = r.poll(&mut console) {
                    finished.push((id, workspace, done));
                }
                r.poll_detail();
                if let Some(p) = r.export.take() {
                    match p.try_take() {
                        Ok(result) => r.export_status = Some(result.and_then(|r| r)),
                        Err(p) => r.export = Some(p),
                    }
                }
                if let Some((what, p)) = r.browse.take() {
                    match p.try_take() {
                        Ok(Ok(Chosen::Path(path))) => match what {
                            BrowseFor::Data => r.data_path = path.display().to_string(),
                            BrowseFor::Export => r.export_path = path.display().to_string(),
                        },
                        Ok(Ok(Chosen::Cancelled)) => {}
                        Ok(Ok(Chosen::Unavailable)) => no_chooser = true,
                        Ok(Err(e)) => r.export_status = Some(Err(super::dialogs::dialog_failed(&e))),
                        Err(p) => r.browse = Some((what, p)),
                    }
                }
            }
        }
        self.state.console.extend(console);
        if no_chooser {
            self.no_file_chooser(super::state::PathField::Runner);
        }
        for (tab, ws, done) in finished {
            self.keep_run(tab, ws, done);
        }
        // A runner tab restored from the last session lists its past runs too.
        if self.state.past_runs.workspace.is_none()
            && let Some(ws) =
                self.state.tabs.iter().find(|t| matches!(t.kind, TabKind::Runner(_))).map(|t| t.workspace)
        {
            self.load_past_runs(ws);
        }
        if let Some(p) = self.state.past_runs.loading.take() {
            match p.try_take() {
                Ok(Ok((list, problems))) => {
                    self.state.past_runs.list = list;
                    self.state.past_runs.problems = problems;
                }
                Ok(Err(e)) => self.state.past_runs.problems = vec![e],
                Err(p) => self.state.past_runs.loading = Some(p),
            }
        }
    }

    /// Writes a finished run into its workspace's `runs/` (on the writer thread), then re-reads
    /// the list of past runs. Cookies the run received are saved too.
    fn keep_run(&mut self, tab: TabId, ws: WorkspaceId, done: Box<runner::RunFinished>) {
        let runner::RunFinished { run, journal, cookies_changed, variables, .. } = *done;
        // What the run's scripts set is kept, as Postman's runner keeps variable values.
        let targets = super::scripts::WriteTargets {
            environment: run.environment.as_ref().and_then(|e| e.id),
            collection: run.target.collection,
        };
        let ops = run_writes(&variables);
        if !ops.is_empty() {
            self.apply_script_writes(ws, targets, &ops);
        }
        let Some(journal) = journal else { return };
        let engine = self.sends.engine.clone();
        let (reply, promise) = job::reply(&self.repaint, "keeping the run");
        self.submit(WriteJob::Task {
            what: format!("keeping the run of {}", run.target.name),
            run: Box::new(move |store| {
                let result = match store.workspace_dir(ws) {
                    Ok(dir) => journal
                        .save_run(dir, &run)
                        .map(|p| p.display().to_string())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                reply.send_result(result);
                if cookies_changed && let Some(engine) = engine {
                    store.save_cookies(ws, &engine.cookie_jar(Some(ws)))?;
                }
                Ok(())
            }),
        });
        self.kept.push((tab, ws, promise));
    }

    pub(super) fn poll_kept(&mut self) {
        let mut reload = None;
        for (tab, ws, promise) in std::mem::take(&mut self.kept) {
            match promise.try_take() {
                Ok(result) => {
                    if let Some(Tab { kind: TabKind::Runner(r), .. }) = self.state.tab_mut(tab)
                        && let Some(end) = r.live.as_mut().and_then(|l| l.finished.as_mut())
                    {
                        end.saved = Some(result);
                    }
                    reload = Some(ws);
                }
                Err(p) => self.kept.push((tab, ws, p)),
            }
        }
        if let Some(ws) = reload {
            self.load_past_runs(ws);
        }
    }

    /// Reads the past runs of `ws` on the writer thread.
    pub(super) fn load_past_runs(&mut self, ws: WorkspaceId) {
        let (reply, promise) = job::reply(&self.repaint, "reading past runs");
        self.submit(WriteJob::Task {
            what: "reading past runs".into(),
            run: Box::new(move |store| {
                let loaded = match store.workspace_dir(ws) {
                    Ok(dir) => {
                        let (runs, problems) = crate::storage::runs::load(dir);
                        let runs = runs
                            .into_iter()
                            .map(|r| {
                                let t = Tally::of(&r);
                                (r, t)
                            })
                            .collect();
                        (runs, problems.iter().map(ToString::to_string).collect())
                    }
                    Err(e) => (Vec::new(), vec![e.to_string()]),
                };
                reply.send(loaded);
                Ok(())
            }),
        });
        self.state.past_runs.workspace = Some(ws);
        self.state.past_runs.loading = Some(promise);
    }

    pub(super) fn delete_past_run(&mut self, ws: WorkspaceId, id: RunId) {
        self.state.past_runs.list.retain(|(r, _)| r.id != id);
        self.submit(WriteJob::Task {
            what: "deleting a past run".into(),
            run: Box::new(move |store| {
                let dir = store.workspace_dir(ws)?.to_owned();
                crate::storage::runs::delete(&dir, id)
            }),
        });
    }

    /// Writes a past run as JSON or JUnit XML to the tab's export path, off the UI thread.
    pub(super) fn export_run(&mut self, ctx: &egui::Context, tab_id: TabId, id: RunId) {
        let Some((run, tally)) = self.state.past_runs.get(id).cloned() else { return };
        if let Err(e) = self.state.policy.check_export(false) {
            if let Some(Tab { kind: TabKind::Runner(r), .. }) = self.state.tab_mut(tab_id) {
                r.export_status = Some(Err(e.to_string()));
            }
            return;
        }
        let Some(Tab { kind: TabKind::Runner(r), .. }) = self.state.tab_mut(tab_id) else { return };
        let mut path = PathBuf::from(r.export_path.trim());
        if path.extension().is_none() {
            path.set_extension(r.export_format.extension());
        }
        let format = r.export_format;
        r.export_status = None;
        r.export = Some(job::spawn(ctx, "exporting the run", move || {
            write_report(&path, &run, &tally, format)
                .map(|()| format!("Wrote {}", path.display()))
                .map_err(|e| format!("Could not write {}: {e}", path.display()))
        }));
    }

    pub(super) fn browse_runner(&mut self, ctx: &egui::Context, tab_id: TabId, what: BrowseFor) {
        let chooser = self.file_dialog(ctx, move || {
            let dialog = rfd::FileDialog::new();
            match what {
                BrowseFor::Data => dialog
                    .set_title("Choose a data file")
                    .add_filter("CSV or JSON", &["csv", "json"])
                    .pick_file(),
                BrowseFor::Export => dialog.set_title("Export the run to").save_file(),
            }
        });
        let Some(Tab { kind: TabKind::Runner(r), .. }) = self.state.tab_mut(tab_id) else { return };
        r.browse = Some((what, chooser));
    }
}

/// Every secret variable's value a run of `ws` may print: the environment's, the globals', the
/// collections' and folders'.
fn secret_values(
    ws: &crate::model::WorkspaceData,
    environment: Option<EnvironmentId>,
) -> crate::http::Redactions {
    let env = environment.and_then(|id| ws.environments.get(&id)).map(|e| e.variables.as_slice());
    let lists = env
        .into_iter()
        .chain(std::iter::once(ws.globals.variables.as_slice()))
        .chain(ws.collections.values().map(|c| c.variables.as_slice()))
        .chain(ws.folders.values().map(|f| f.variables.as_slice()));
    let mut values: Vec<String> = lists
        .flatten()
        .filter(|v| v.secret && v.enabled && !v.value.is_empty())
        .map(|v| v.value.clone())
        .collect();
    values.sort();
    values.dedup();
    crate::http::Redactions { secret_values: values, ..crate::http::Redactions::default() }
}

/// A past run (whole, in memory) as a report file; atomic.
fn write_report(
    path: &std::path::Path,
    run: &RunResult,
    tally: &Tally,
    format: ReportFormat,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let outcomes = run.results.iter().cloned().map(Ok);
    match format {
        ReportFormat::Json => runner::report::write_json(&mut buf, run, tally, outcomes)?,
        ReportFormat::Junit => runner::report::write_junit(&mut buf, run, tally, outcomes)?,
    }
    crate::storage::atomic::write_replacing(path, &buf, false)
}

/// One row of a comparison: the same request and iteration in two runs.
pub struct CompareRow<'a> {
    pub name: &'a str,
    pub iteration: u32,
    pub a: Option<&'a RequestOutcome>,
    pub b: Option<&'a RequestOutcome>,
}

impl CompareRow<'_> {
    /// Whether the outcome differs (passed vs failed, or a different status).
    pub fn differs(&self) -> bool {
        match (self.a, self.b) {
            (Some(a), Some(b)) => a.passed() != b.passed() || a.status != b.status,
            _ => true,
        }
    }
}

/// Pairs the outcomes of two runs by request (id, else name) and iteration, in `a`'s order, then
/// what only `b` has.
pub fn compare<'a>(a: &'a RunResult, b: &'a RunResult) -> Vec<CompareRow<'a>> {
    let key = |o: &RequestOutcome| {
        (o.request.map(|r| r.to_string()).unwrap_or_else(|| o.name.clone()), o.iteration)
    };
    let mut b_index: std::collections::HashMap<_, &RequestOutcome> =
        b.results.iter().map(|o| (key(o), o)).collect();
    let mut rows: Vec<CompareRow<'a>> = a
        .results
        .iter()
        .map(|o| CompareRow { name: &o.name, iteration: o.iteration, a: Some(o), b: b_index.remove(&key(o)) })
        .collect();
    for o in &b.results {
        if b_index.contains_key(&key(o)) {
            rows.push(CompareRow { name: &o.name, iteration: o.iteration, a: None, b: Some(o) });
        }
    }
    rows
}

/// A run's variable changes as the writes that make them.
fn run_writes(v: &runner::RunVariables) -> Vec<crate::script::VarOp> {
    use crate::script::{VarOp, VarScope};
    let scoped = [
        (VarScope::Environment, &v.environment),
        (VarScope::Globals, &v.globals),
        (VarScope::Collection, &v.collection),
    ];
    scoped
        .into_iter()
        .flat_map(|(scope, changes)| {
            changes.iter().map(move |(key, value)| match value {
                Some(value) => VarOp::Set { scope, key: key.clone(), value: value.clone(), typed: None },
                None => VarOp::Unset { scope, key: key.clone() },
            })
        })
        .collect()
}
