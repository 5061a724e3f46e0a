//! `localpost run`: the collection runner from a terminal or a CI pipeline.
//!
//! `localpost run WORKSPACE/COLLECTION[/FOLDER...]` runs a saved collection or folder and keeps
//! the result in the workspace; `localpost run --import FILE` runs a Postman (or any importable)
//! collection file directly, touching no data folder, as newman does.
//!
//! Exit status: 0 when every request got a response and every assertion held; 1 when one did
//! not (or the run was cut short); 2 when the input is unusable (no such collection,
//! environment or file, a data file that cannot be read), before anything is sent.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use super::out::errln;
use super::send::{find_environment, parse_var, strip_name};
use crate::http::Engine;
use crate::model::{EnvironmentId, ItemId, ParentId, RequestOutcome, Settings, WorkspaceData};
use crate::policy::EffectivePolicy;
use crate::runner::{self, RunFinished, RunSpec, data, report};
use crate::script::ConsoleLine;
use crate::storage::atomic::AtomicFile;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["path", "import"])))]
pub struct RunArgs {
    /// The collection or folder: workspace, collection and folder names joined by `/`.
    #[arg(value_name = "WORKSPACE/COLLECTION/...")]
    path: Option<String>,
    /// Run a collection file (Postman v2.0/v2.1, Insomnia, a Localpost bundle...) without
    /// saving it; nothing in the data folder is read or written.
    #[arg(long, value_name = "FILE", conflicts_with = "path")]
    import: Option<PathBuf>,
    /// The environment to use, by name (a saved collection's workspace).
    #[arg(long, value_name = "NAME", conflicts_with = "env_file")]
    env: Option<String>,
    /// An environment file: a Postman environment export or a Localpost bundle holding one.
    #[arg(long, short = 'e', value_name = "FILE")]
    env_file: Option<PathBuf>,
    /// A globals file (a Postman globals export, or a Localpost bundle).
    #[arg(long, short = 'g', value_name = "FILE")]
    globals: Option<PathBuf>,
    /// Run only this folder (or request), by name anywhere in the collection; repeatable, run
    /// in the order given.
    #[arg(long = "folder", value_name = "NAME")]
    folders: Vec<String>,
    /// An environment variable, over the environment's own; repeatable.
    #[arg(long = "env-var", value_name = "NAME=VALUE", value_parser = parse_var)]
    env_vars: Vec<(String, String)>,
    /// A global variable, over the globals' own; repeatable.
    #[arg(long = "global-var", value_name = "NAME=VALUE", value_parser = parse_var)]
    global_vars: Vec<(String, String)>,
    /// A data file (CSV with a header row, or a JSON array of objects): one iteration per row.
    #[arg(long, short = 'd', value_name = "FILE")]
    data: Option<PathBuf>,
    /// How long a request may take, in milliseconds (0: no limit).
    #[arg(long, value_name = "MS")]
    timeout_request: Option<u64>,
    /// How long one script may run, in milliseconds (the policy may set a lower limit).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout_script: Option<u64>,
    /// Do not verify TLS certificates (unless the policy forbids it).
    #[arg(long, short = 'k')]
    insecure: bool,
    /// Write the environment as the run left it (a Postman environment file).
    #[arg(long, value_name = "FILE")]
    export_environment: Option<PathBuf>,
    /// Write the globals as the run left them (a Postman globals file).
    #[arg(long, value_name = "FILE")]
    export_globals: Option<PathBuf>,
    /// Exit 0 even when requests or tests fail (bad arguments still exit 2).
    #[arg(long)]
    suppress_exit_code: bool,
    /// Where the JUnit report goes (turns the junit reporter on).
    #[arg(long, value_name = "FILE")]
    reporter_junit_export: Option<PathBuf>,
    /// Colours in the terminal report: on, off, or auto (on for a terminal).
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: Color,
    /// Iterations (default: one per data row, or 1).
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    iterations: Option<u32>,
    /// Pause between requests, in milliseconds.
    #[arg(long, visible_alias = "delay-request", value_name = "MS", default_value_t = 0)]
    delay_ms: u64,
    /// Stop at the first failed request or assertion.
    #[arg(long)]
    bail: bool,
    /// Reports: cli (the terminal), json, junit; comma-separated.
    #[arg(long, short = 'r', value_delimiter = ',', default_value = "cli", value_name = "LIST")]
    reporter: Vec<Reporter>,
    /// Where the json and junit reports go (created if needed).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// A runtime variable (the narrowest scope); repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Do not keep the result in the workspace's runs.
    #[arg(long)]
    no_save: bool,
    /// Send a `{{variable}}` no scope defines as the text written, as newman does, instead of
    /// stopping that request (also a setting: Settings → Requests). The run lists each request
    /// sent so.
    #[arg(long)]
    send_unresolved: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Color {
    On,
    Off,
    Auto,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Reporter {
    Cli,
    Json,
    Junit,
}

/// A bad argument or input: said on stderr, exit status 2.
fn usage(message: impl std::fmt::Display) -> anyhow::Result<ExitCode> {
    errln!("localpost: {message}");
    Ok(ExitCode::from(2))
}

pub fn run(data_dir: &Path, args: &RunArgs, policy: &Arc<EffectivePolicy>) -> anyhow::Result<ExitCode> {
    let Target { mut ws, parent, results_dir, mut settings } = match (&args.import, args.path.as_deref()) {
        (Some(file), _) => match imported_collection(file, policy) {
            Ok((ws, parent)) => Target { ws, parent, results_dir: None, settings: Settings::default() },
            Err(message) => return usage(message),
        },
        (None, Some(path)) => match saved_target(data_dir, path, args.no_save)? {
            Ok(target) => target,
            Err(code) => return Ok(code),
        },
        (None, None) => return usage("give a collection path or --import FILE"),
    };
    let environment = match load_variables(&mut ws, args, policy) {
        Ok(environment) => environment,
        Err(message) => return usage(message),
    };
    let data = match &args.data {
        None => None,
        Some(file) => match data::read(file) {
            Ok(d) => Some(d),
            Err(e) => return usage(e),
        },
    };
    let selected = match select(&ws, parent, &args.folders) {
        Ok(s) => s,
        Err(message) => return usage(message),
    };
    if let Some(ms) = args.timeout_request {
        settings.request_timeout_ms = ms;
    }
    if args.insecure {
        settings.verify_tls = false;
    }
    if let Some(ms) = args.timeout_script {
        settings.script_timeout_ms = ms;
    }
    let saved_env = environment.and_then(|id| ws.environments.get(&id)).cloned();
    let saved_globals = ws.globals.variables.clone();
    let mut spec = RunSpec::for_parent(Arc::new(ws), parent);
    if let Some(requests) = selected {
        spec.requests = requests;
    }
    spec.environment = environment;
    // A variable no scope defines stops its request unless the user chose newman's way (the
    // flag, or the setting): then it is sent as written, and the run says which requests.
    let send_unresolved =
        args.send_unresolved || policy.effective_settings(&settings).send_unresolved_variables;
    spec.missing_as_written = send_unresolved;
    spec.iterations = args.iterations;
    spec.data = data;
    spec.delay = Duration::from_millis(args.delay_ms);
    spec.bail = args.bail;
    spec.results_dir = results_dir;
    spec.keep = runner::KeepRule::from_settings(&policy.effective_settings(&settings));
    spec.runtime = args.vars.clone();
    spec.scripts = policy.script_permission(&settings).into();
    if spec.requests.is_empty() {
        return usage(format!("{} holds no requests", spec.target.name));
    }

    let engine = Engine::new(policy.effective_settings(&settings))?;
    engine.set_guard(policy.clone());
    let cli = args.reporter.contains(&Reporter::Cli);
    let color = match args.color {
        Color::On => true,
        Color::Off => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let total = spec.total();
    let target = spec.target.name.clone();
    let handle = runner::start(&engine, spec, None);
    let mut progress = Progress::new(cli, total, color);
    if cli {
        progress.header(&target);
    }
    let Some(done) = handle.wait(|index, outcome, console| progress.outcome(index, outcome, console)) else {
        anyhow::bail!("the run stopped without a result");
    };
    progress.finish();
    if cli {
        summary(&done, color);
    }
    progress.unresolved_report(send_unresolved);
    write_reports(&done, args)?;
    export_variables(&done, args, saved_env, &saved_globals, policy)?;
    Ok(
        if args.suppress_exit_code || done.tally.all_passed() && !done.run.cancelled && done.problem.is_none()
        {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        },
    )
}

/// What a run runs: the collection or folder `parent` of `ws`, where its result is kept (none
/// for an import), and the settings it is sent with.
struct Target {
    ws: WorkspaceData,
    parent: ParentId,
    results_dir: Option<PathBuf>,
    settings: Settings,
}

/// The saved collection or folder at `path` in the data folder, with the data folder's
/// settings; `Ok(Err(code))` when there is not exactly one (said on stderr).
fn saved_target(data_dir: &Path, path: &str, no_save: bool) -> anyhow::Result<Result<Target, ExitCode>> {
    let mut opened = super::open_store(data_dir)?;
    let (settings, problem) = opened.store.load_settings();
    if let Some(problem) = problem {
        errln!("localpost: warning: {problem}");
    }
    let found = find_parents(opened.library.workspaces.values(), path);
    let (ws_id, parent) = match found.as_slice() {
        [one] => *one,
        [] => {
            errln!("localpost: no collection or folder at {path} in {}", data_dir.display());
            return usage("(run `localpost ls` to see the tree)").map(Err);
        }
        many => {
            errln!("localpost: {path} is ambiguous; it matches {} collections or folders", many.len());
            return Ok(Err(ExitCode::from(2)));
        }
    };
    let results_dir =
        (!no_save).then(|| opened.store.workspace_dir(ws_id).map(Path::to_owned).ok()).flatten();
    let Some(ws) = opened.library.workspaces.shift_remove(&ws_id) else { return Ok(Err(ExitCode::from(2))) };
    Ok(Ok(Target { ws, parent, results_dir, settings }))
}

/// Puts the run's environment and globals in `ws`, from `--env`, `--env-file`, `--env-var`,
/// `--globals` and `--global-var`, and gives the environment's id; `Err` says which name or
/// file is unusable.
fn load_variables(
    ws: &mut WorkspaceData,
    args: &RunArgs,
    policy: &EffectivePolicy,
) -> Result<Option<EnvironmentId>, String> {
    let mut environment = None;
    if let Some(name) = &args.env {
        environment = Some(find_environment(ws, name)?);
    }
    if let Some(file) = &args.env_file {
        let env = imported_environment(file, policy)?;
        environment = Some(env.id);
        ws.environments.insert(env.id, env);
    }
    if !args.env_vars.is_empty() {
        let id = *environment.get_or_insert_with(|| {
            let env = crate::model::Environment::new("Environment");
            let id = env.id;
            ws.environments.insert(id, env);
            id
        });
        if let Some(env) = ws.environments.get_mut(&id) {
            upsert(&mut env.variables, &args.env_vars);
        }
    }
    if let Some(file) = &args.globals {
        ws.globals.variables = imported_globals(file, policy)?;
    }
    upsert(&mut ws.globals.variables, &args.global_vars);
    Ok(environment)
}

/// The collection of an import: its first workspace, every collection of it in order (one
/// collection is the usual case).
fn imported_collection(file: &Path, policy: &EffectivePolicy) -> Result<(WorkspaceData, ParentId), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let imported = super::import::import_checked(&bytes, &name, policy)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let Some(ws) = imported.workspaces.into_iter().find(|w| !w.collections.is_empty()) else {
        return Err(format!("{} holds no collection ({})", file.display(), imported.format));
    };
    let Some(first) = ws.collections.keys().next().copied() else {
        return Err(format!("{} holds no collection", file.display()));
    };
    if ws.collections.len() > 1 {
        errln!(
            "localpost: note: {} holds {} collections; running the first, {}",
            file.display(),
            ws.collections.len(),
            ws.collections.get(&first).map(|c| c.name.as_str()).unwrap_or_default()
        );
    }
    Ok((ws, ParentId::Collection(first)))
}

/// The environment of an environment file (Postman export or Localpost bundle).
fn imported_environment(file: &Path, policy: &EffectivePolicy) -> Result<crate::model::Environment, String> {
    let bytes = std::fs::read(file)
        .map_err(|e| format!("cannot read the environment file {}: {e}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let imported = super::import::import_checked(&bytes, &name, policy)
        .map_err(|e| format!("the environment file {}: {e}", file.display()))?;
    imported.workspaces.into_iter().find_map(|w| w.environments.into_values().next()).ok_or_else(|| {
        format!("the environment file {} holds no environment ({})", file.display(), imported.format)
    })
}

/// Every collection or folder at `path`, as (workspace, parent).
fn find_parents<'a>(
    workspaces: impl Iterator<Item = &'a WorkspaceData>,
    path: &str,
) -> Vec<(crate::model::WorkspaceId, ParentId)> {
    let mut found = Vec::new();
    for ws in workspaces {
        let Some(Some(rest)) = strip_name(path, &ws.workspace.name) else { continue };
        for c in ws.collections.values() {
            match strip_name(rest, &c.name) {
                Some(None) => found.push((ws.id(), ParentId::Collection(c.id))),
                Some(Some(after)) => walk(ws, ParentId::Collection(c.id), after, &mut found, 0),
                None => {}
            }
        }
    }
    found
}

fn walk(
    ws: &WorkspaceData,
    parent: ParentId,
    rest: &str,
    found: &mut Vec<(crate::model::WorkspaceId, ParentId)>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for child in ws.children(parent).into_iter().flatten() {
        if let ItemId::Folder(id) = child
            && let Some(folder) = ws.folders.get(id)
        {
            match strip_name(rest, &folder.name) {
                Some(None) => found.push((ws.id(), ParentId::Folder(*id))),
                Some(Some(after)) => walk(ws, ParentId::Folder(*id), after, found, depth + 1),
                None => {}
            }
        }
    }
}

/// The terminal reporter: a progress bar on a terminal (failures printed above it), one plain
/// line per request otherwise.
struct Progress {
    enabled: bool,
    color: bool,
    bar: bool,
    total: u64,
    done: u64,
    started: std::time::Instant,
    last_draw: Option<std::time::Instant>,
    out: std::io::BufWriter<std::io::Stdout>,
    /// Requests sent with variables no scope defined: (request, the variables).
    unresolved: Vec<(String, Vec<String>)>,
    /// Requests stopped because a variable no scope defined.
    stopped_unresolved: u64,
}

impl Progress {
    fn new(enabled: bool, total: u64, color: bool) -> Self {
        let bar = enabled && std::io::stdout().is_terminal();
        Self {
            enabled,
            color,
            bar,
            total,
            done: 0,
            started: std::time::Instant::now(),
            last_draw: None,
            out: std::io::BufWriter::new(std::io::stdout()),
            unresolved: Vec::new(),
            stopped_unresolved: 0,
        }
    }

    /// Which requests went out with variables no scope defined, and a hint when some were
    /// stopped for it; on stderr, whatever the reporters.
    fn unresolved_report(&self, allowed: bool) {
        if !self.unresolved.is_empty() {
            let n = self.unresolved.len();
            errln!(
                "localpost: {n} request{} went out with variables no scope defines, sent as written:",
                if n == 1 { "" } else { "s" }
            );
            for (name, vars) in self.unresolved.iter().take(20) {
                let vars: Vec<String> = vars.iter().map(|v| format!("{{{{{v}}}}}")).collect();
                errln!("  {name}: {}", vars.join(", "));
            }
            if n > 20 {
                errln!("  ...and {} more (each is in the report's `unresolved`)", n - 20);
            }
        }
        if self.stopped_unresolved > 0 && !allowed {
            let n = self.stopped_unresolved;
            errln!(
                "localpost: {n} request{} not sent: a variable no scope defines (--send-unresolved sends such \
                 text as written, as newman does)",
                if n == 1 { " was" } else { "s were" }
            );
        }
    }

    fn header(&mut self, target: &str) {
        let _ = writeln!(self.out, "{target}: {} requests", self.total);
    }

    fn outcome(&mut self, _index: u64, o: &RequestOutcome, console: &[ConsoleLine]) {
        self.done += 1;
        if !o.unresolved.is_empty() {
            self.unresolved.push((o.name.clone(), o.unresolved.clone()));
        }
        if o.error.as_deref().is_some_and(|e| e.starts_with(crate::http::MISSING_VARIABLES_PREFIX)) {
            self.stopped_unresolved += 1;
        }
        if !self.enabled {
            return;
        }
        if !console.is_empty() {
            if self.bar {
                let _ = write!(self.out, "\r\x1b[2K");
            }
            for line in console {
                let _ = writeln!(
                    self.out,
                    "  | {}{}",
                    if line.level == "log" { String::new() } else { format!("{}: ", line.level) },
                    line.text
                );
            }
        }
        if self.bar {
            if !o.passed() {
                let _ = write!(self.out, "\r\x1b[2K");
                let _ = write_outcome(&mut self.out, o, self.color);
            }
            let now = std::time::Instant::now();
            if self.last_draw.is_none_or(|t| now.duration_since(t) > Duration::from_millis(50))
                || self.done == self.total
            {
                self.last_draw = Some(now);
                self.draw();
            }
        } else {
            let _ = write_outcome(&mut self.out, o, self.color);
        }
    }

    fn draw(&mut self) {
        const WIDTH: u64 = 30;
        let filled = (self.done * WIDTH).checked_div(self.total).unwrap_or(WIDTH).min(WIDTH);
        let bar: String = (0..WIDTH).map(|i| if i < filled { '#' } else { '-' }).collect();
        let _ = write!(
            self.out,
            "\r\x1b[2K[{bar}] {}/{} {:.1} s",
            self.done,
            self.total,
            self.started.elapsed().as_secs_f64()
        );
        let _ = self.out.flush();
    }

    fn finish(&mut self) {
        if self.bar {
            let _ = writeln!(self.out);
        }
        let _ = self.out.flush();
    }
}

/// `ok   GET url -> 200 (12 ms)  name`, then the failed assertions or the error.
fn write_outcome(out: &mut impl std::io::Write, o: &RequestOutcome, color: bool) -> std::io::Result<()> {
    let mark = match (o.passed(), color) {
        (true, false) => "ok  ",
        (false, false) => "FAIL",
        (true, true) => "\x1b[32mok\x1b[0m  ",
        (false, true) => "\x1b[31mFAIL\x1b[0m",
    };
    let status = o.status.map_or_else(|| "---".to_owned(), |s| s.to_string());
    let iteration = if o.iteration > 0 { format!(" [iteration {}]", o.iteration + 1) } else { String::new() };
    writeln!(out, "{mark} {} {} -> {status} ({} ms)  {}{iteration}", o.method, o.url, o.time_ms, o.name)?;
    if let Some(e) = &o.error {
        writeln!(out, "       {e}")?;
    }
    for a in o.assertions.iter().filter(|a| !a.passed) {
        writeln!(out, "       {}: {}", a.name, a.message)?;
    }
    Ok(())
}

fn summary(done: &RunFinished, color: bool) {
    let t = &done.tally;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out);
    let _ = writeln!(out, "{:<18} {:>9} {:>9}", "", "executed", "failed");
    let _ = writeln!(out, "{:<18} {:>9} {:>9}", "iterations", done.run.iterations, "");
    let _ = writeln!(out, "{:<18} {:>9} {:>9}", "requests", t.requests, t.errors);
    let _ = writeln!(out, "{:<18} {:>9} {:>9}", "test-scripts", t.test_scripts, t.test_scripts_failed);
    let _ = writeln!(
        out,
        "{:<18} {:>9} {:>9}",
        "prerequest-scripts", t.pre_request_scripts, t.pre_request_scripts_failed
    );
    let _ = writeln!(out, "{:<18} {:>9} {:>9}", "assertions", t.assertions, t.assertions_failed);
    let _ = writeln!(
        out,
        "total {:.2} s; average response {} ms{}",
        done.elapsed.as_secs_f64(),
        t.total_ms.checked_div(t.requests).unwrap_or(0),
        if done.run.cancelled { "; cut short" } else { "" }
    );
    if !done.failures.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for (i, o) in done.failures.iter().enumerate() {
            let _ = write!(out, "{:>3}. ", i + 1);
            let _ = write_outcome(&mut out, o, color);
        }
        if (done.failures.len() as u64) < t.failed {
            let _ =
                writeln!(out, "     ...and {} more (see the reports)", t.failed - done.failures.len() as u64);
        }
    }
    match &done.saved {
        Some(Ok(path)) => {
            let _ = writeln!(out, "result kept in {}", path.display());
        }
        Some(Err(e)) => errln!("localpost: warning: the result was not kept: {e}"),
        None => {}
    }
    if let Some(problem) = &done.problem {
        errln!("localpost: {problem}");
    }
}

fn write_reports(done: &RunFinished, args: &RunArgs) -> anyhow::Result<()> {
    let mut wanted: Vec<Reporter> = args.reporter.iter().copied().filter(|r| *r != Reporter::Cli).collect();
    if args.reporter_junit_export.is_some() && !wanted.contains(&Reporter::Junit) {
        wanted.push(Reporter::Junit);
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let Some(journal) = &done.journal else {
        anyhow::bail!("the run's results are not available for reports")
    };
    for r in wanted {
        let (name, json) = match r {
            Reporter::Json => ("localpost-run.json", true),
            Reporter::Junit => ("localpost-run.xml", false),
            Reporter::Cli => continue,
        };
        let path = match (&args.reporter_junit_export, json) {
            (Some(file), false) => file.clone(),
            _ => args.out.join(name),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // Streamed into a temporary file beside the report, then moved into place.
        let write = || -> std::io::Result<()> {
            let mut file = AtomicFile::replacing(&path, false)?;
            let mut w = std::io::BufWriter::with_capacity(64 * 1024, &mut file);
            let outcomes = journal.outcomes()?;
            if json {
                report::write_json(&mut w, &done.run, &done.tally, outcomes)?;
            } else {
                report::write_junit(&mut w, &done.run, &done.tally, outcomes)?;
            }
            w.flush()?;
            drop(w);
            file.commit()
        };
        write().with_context(|| format!("cannot write the report {}", path.display()))?;
        errln!("localpost: wrote {}", path.display());
    }
    Ok(())
}

/// Sets `NAME=VALUE` pairs in a variable list (the first enabled definition, or a new one).
fn upsert(vars: &mut Vec<crate::model::Variable>, pairs: &[(String, String)]) {
    for (k, v) in pairs {
        match vars.iter_mut().find(|x| x.key == *k && x.enabled) {
            Some(existing) => existing.value.clone_from(v),
            None => vars.push(crate::model::Variable::new(k.clone(), v.clone())),
        }
    }
}

/// The variables of a globals file (Postman globals export or Localpost bundle).
fn imported_globals(file: &Path, policy: &EffectivePolicy) -> Result<Vec<crate::model::Variable>, String> {
    let bytes =
        std::fs::read(file).map_err(|e| format!("cannot read the globals file {}: {e}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let imported = super::import::import_checked(&bytes, &name, policy)
        .map_err(|e| format!("the globals file {}: {e}", file.display()))?;
    imported
        .workspaces
        .into_iter()
        .map(|w| w.globals.variables)
        .find(|v| !v.is_empty())
        .ok_or_else(|| format!("the globals file {} holds no globals ({})", file.display(), imported.format))
}

/// The requests of `--folder` names, in the order given: each folder's requests (or a request
/// of that name), anywhere under `parent`. `None` when no folder is named.
fn select(
    ws: &WorkspaceData,
    parent: ParentId,
    names: &[String],
) -> Result<Option<Vec<crate::model::RequestId>>, String> {
    if names.is_empty() {
        return Ok(None);
    }
    let under = ws.runnable_requests_under(parent);
    let parents = ws.parent_index();
    let inside = |item: ItemId| WorkspaceData::ancestors_in(&parents, item).contains(&parent);
    let mut out = Vec::new();
    for name in names {
        let folders: Vec<_> = ws
            .folders
            .values()
            .filter(|f| f.name == *name && inside(ItemId::Folder(f.id)))
            .map(|f| f.id)
            .collect();
        if let Some(first) = folders.first() {
            out.extend(ws.runnable_requests_under(ParentId::Folder(*first)));
            continue;
        }
        match under.iter().find(|id| ws.requests.get(*id).is_some_and(|r| r.name == *name)) {
            Some(id) => out.push(*id),
            None => return Err(format!("no folder or request named {name} in the collection")),
        }
    }
    Ok(Some(out))
}

/// `--export-environment` and `--export-globals`: the variables as the run left them, as
/// Postman files.
fn export_variables(
    done: &RunFinished,
    args: &RunArgs,
    saved_env: Option<crate::model::Environment>,
    saved_globals: &[crate::model::Variable],
    policy: &EffectivePolicy,
) -> anyhow::Result<()> {
    use crate::interop::bundle::Secrets;
    use crate::interop::export::postman::{self, PostmanOptions};
    let secrets = if policy.allow_secrets_in_exports() { Secrets::Include } else { Secrets::Exclude };
    let write = |path: &Path, text: &str| -> anyhow::Result<()> {
        let mut file =
            AtomicFile::replacing(path, false).with_context(|| format!("cannot write {}", path.display()))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.commit())
            .with_context(|| format!("cannot write {}", path.display()))?;
        errln!("localpost: wrote {}", path.display());
        Ok(())
    };
    if let Some(path) = &args.export_environment {
        let mut env = saved_env.unwrap_or_else(|| crate::model::Environment::new("Environment"));
        env.variables = runner::RunVariables::apply(&done.variables.environment, &env.variables);
        let exported = postman::environment(&env, PostmanOptions { secrets });
        for w in &exported.report.warnings {
            errln!("localpost: note: {w}");
        }
        write(path, &exported.text)?;
    }
    if let Some(path) = &args.export_globals {
        let vars = runner::RunVariables::apply(&done.variables.globals, saved_globals);
        let exported = postman::globals(&vars, PostmanOptions { secrets });
        for w in &exported.report.warnings {
            errln!("localpost: note: {w}");
        }
        write(path, &exported.text)?;
    }
    Ok(())
}
