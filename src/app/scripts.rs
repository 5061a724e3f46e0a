//! Scripts in the window: what a send's scripts reported (tests, errors, the lines they stopped
//! on), the console of script output, and the variable writes saved where Postman saves them.
//!
//! A send with scripts runs them on its own thread ([`super::send`]); this module holds what
//! comes back. Variable writes land, on the UI thread, in the data they name: `pm.environment`
//! in the active environment, `pm.globals` in the workspace's globals, `pm.collectionVariables`
//! in the request's collection, each saved by the writer thread as an edit would be;
//! `pm.variables` lived only for the send.

use std::collections::{HashMap, VecDeque};

use indexmap::IndexMap;

use super::App;
use super::state::AppState;
use super::writer::WriteJob;
use crate::http::Redactions;
use crate::model::{CollectionId, EnvironmentId, ParentId, Variable, WorkspaceId};
use crate::runner::{RunVariables, ScriptRule};
use crate::script::{
    self, Event, EventOutput, ScriptError, ScriptOwner, TestResult, TestStatus, VarOp, VarScope,
};

/// Console entries kept; older ones are dropped first.
pub const CONSOLE_KEPT: usize = 5_000;

/// What the scripts of a tab's last send reported.
#[derive(Clone, Debug, Default)]
pub struct ScriptReport {
    pub tests: Vec<TestResult>,
    pub errors: Vec<ScriptError>,
    /// A pre-request script skipped the request (`pm.execution.skipRequest()`): nothing was sent.
    pub skipped_request: bool,
}

impl ScriptReport {
    pub fn count(&self, status: TestStatus) -> usize {
        self.tests.iter().filter(|t| t.status == status).count()
    }

    /// Takes in one event's tests and errors.
    pub fn absorb(&mut self, out: &EventOutput) {
        self.tests.extend(out.tests.iter().cloned());
        self.errors.extend(out.errors.iter().cloned());
        self.skipped_request |= out.skip_request;
    }

    /// Scripts that may not run: each one's tests are reported skipped, with the reason.
    pub fn forbidden(sources: &[(Event, &script::ScriptSource)], reason: &str) -> Self {
        let tests = sources
            .iter()
            .map(|(event, s)| TestResult {
                name: format!("{} {}", s.owner, event.label()),
                status: TestStatus::Skipped,
                error: reason.to_owned(),
            })
            .collect();
        Self { tests, ..Self::default() }
    }
}

/// Where a script stopped on an error, for its editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptMark {
    /// 1-based, in the script's own text; `None` when the error has no place (a time limit).
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// `line 3:7: ReferenceError: x is not defined`.
    pub message: String,
}

impl From<&ScriptError> for ScriptMark {
    fn from(e: &ScriptError) -> Self {
        Self { line: e.line, column: e.column, message: e.detail() }
    }
}

/// The last error of each script, by whose script and which event.
pub type ScriptMarks = HashMap<(ScriptOwner, Event), ScriptMark>;

/// Which tests the Test results tab lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TestFilter {
    #[default]
    All,
    Passed,
    Failed,
    Skipped,
}

impl TestFilter {
    pub const ALL: [TestFilter; 4] =
        [TestFilter::All, TestFilter::Passed, TestFilter::Failed, TestFilter::Skipped];

    pub fn label(self) -> &'static str {
        match self {
            TestFilter::All => "All",
            TestFilter::Passed => "Passed",
            TestFilter::Failed => "Failed",
            TestFilter::Skipped => "Skipped",
        }
    }

    pub fn shows(self, status: TestStatus) -> bool {
        match self {
            TestFilter::All => true,
            TestFilter::Passed => status == TestStatus::Passed,
            TestFilter::Failed => status == TestStatus::Failed,
            TestFilter::Skipped => status == TestStatus::Skipped,
        }
    }
}

/// A console entry's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsoleLevel {
    Log,
    Info,
    Warn,
    Error,
    /// A request a script sent (`pm.sendRequest`).
    Request,
}

impl ConsoleLevel {
    pub const ALL: [ConsoleLevel; 5] = [
        ConsoleLevel::Log,
        ConsoleLevel::Info,
        ConsoleLevel::Warn,
        ConsoleLevel::Error,
        ConsoleLevel::Request,
    ];

    /// The level of a `console.*` call by its name.
    pub fn of(level: &str) -> Self {
        match level {
            "info" => ConsoleLevel::Info,
            "warn" | "warning" => ConsoleLevel::Warn,
            "error" => ConsoleLevel::Error,
            _ => ConsoleLevel::Log,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConsoleLevel::Log => "log",
            ConsoleLevel::Info => "info",
            ConsoleLevel::Warn => "warn",
            ConsoleLevel::Error => "error",
            ConsoleLevel::Request => "request",
        }
    }
}

/// One console line.
#[derive(Clone, Debug)]
pub struct ConsoleEntry {
    pub level: ConsoleLevel,
    text: String,
    /// `text` with secret values hidden, when it held any.
    masked: Option<String>,
    /// Which script (`request "Login" test script`), or which request.
    pub source: String,
}

impl ConsoleEntry {
    /// An entry whose text has `secrets` hidden until the console reveals them.
    pub fn new(level: ConsoleLevel, text: String, source: String, secrets: &Redactions) -> Self {
        let masked = secrets.scrub(&text);
        let masked = (masked != text).then_some(masked);
        let source = if secrets.secret_values.is_empty() { source } else { secrets.scrub(&source) };
        Self { level, text, masked, source }
    }

    /// The text as shown: secrets hidden unless `reveal`.
    pub fn text(&self, reveal: bool) -> &str {
        match (&self.masked, reveal) {
            (Some(masked), false) => masked,
            _ => &self.text,
        }
    }

    pub fn has_secret(&self) -> bool {
        self.masked.is_some()
    }
}

/// What one event's scripts printed, failed on and sent, as console entries. `fallback` names
/// the source of a line that does not say its script.
pub fn console_entries(out: &EventOutput, fallback: &str, secrets: &Redactions) -> Vec<ConsoleEntry> {
    let mut entries = Vec::with_capacity(out.console.len() + out.errors.len() + out.sent.len());
    for line in &out.console {
        let source = line.script.clone().unwrap_or_else(|| fallback.to_owned());
        entries.push(ConsoleEntry::new(ConsoleLevel::of(&line.level), line.text.clone(), source, secrets));
    }
    for sent in &out.sent {
        let text = format!("pm.sendRequest {} {} -> {}", sent.method, sent.url, sent.outcome);
        entries.push(ConsoleEntry::new(ConsoleLevel::Request, text, fallback.to_owned(), secrets));
    }
    for e in &out.errors {
        let source = format!("{} {}", e.owner, e.event.label());
        entries.push(ConsoleEntry::new(ConsoleLevel::Error, e.detail(), source, secrets));
    }
    entries
}

/// The console panel's content and view.
#[derive(Default)]
pub struct Console {
    pub open: bool,
    pub entries: VecDeque<ConsoleEntry>,
    /// Shows entries whose text or source contains this (case-insensitive).
    pub filter: String,
    /// `None`: every level.
    pub level: Option<ConsoleLevel>,
    /// Shows secret values in clear.
    pub reveal: bool,
    /// Bumped whenever the entries change: the panel's filtered rows are cached on it.
    pub generation: u64,
}

impl Console {
    pub fn extend(&mut self, entries: impl IntoIterator<Item = ConsoleEntry>) {
        for entry in entries {
            if self.entries.len() == CONSOLE_KEPT {
                self.entries.pop_front();
            }
            self.entries.push_back(entry);
            self.generation += 1;
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.generation += 1;
    }

    pub fn has_secrets(&self) -> bool {
        self.entries.iter().any(ConsoleEntry::has_secret)
    }

    /// The indexes of the entries the filter and level let through, oldest first.
    pub fn visible(&self) -> Vec<usize> {
        let needle = self.filter.trim().to_lowercase();
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| self.level.is_none_or(|l| l == e.level))
            .filter(|(_, e)| {
                needle.is_empty()
                    || e.text(self.reveal).to_lowercase().contains(&needle)
                    || e.source.to_lowercase().contains(&needle)
            })
            .map(|(i, _)| i)
            .collect()
    }
}

impl AppState {
    /// Whether scripts run, and under which limits: the user's timeout under the policy's
    /// `allow_scripts` and `max_script_timeout_ms`.
    pub fn script_rule(&self) -> ScriptRule {
        self.policy.script_permission(&self.settings).into()
    }

    /// The reason scripts may not run, for the editors' banner.
    pub fn scripts_forbidden(&self) -> Option<String> {
        match self.script_rule() {
            ScriptRule::Run(_) => None,
            ScriptRule::Forbidden(reason) => Some(reason),
        }
    }
}

/// A scope's changes as `(name, Some(value) | None for removed)`, over its saved variables.
pub fn variable_changes<'a>(
    ops: impl IntoIterator<Item = &'a VarOp>,
    saved: &[Variable],
) -> IndexMap<String, Option<String>> {
    let mut changes: IndexMap<String, Option<String>> = IndexMap::new();
    for op in ops {
        match op {
            VarOp::Set { key, value, .. } => {
                changes.insert(key.clone(), Some(value.clone()));
            }
            VarOp::Unset { key, .. } => {
                changes.insert(key.clone(), None);
            }
            VarOp::Clear { .. } => {
                let keys: Vec<String> =
                    saved.iter().map(|v| v.key.clone()).chain(changes.keys().cloned()).collect();
                for key in keys {
                    changes.insert(key, None);
                }
            }
        }
    }
    changes
}

/// Where a send's variable writes go.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteTargets {
    pub environment: Option<EnvironmentId>,
    pub collection: Option<CollectionId>,
}

impl App {
    /// Saves a send's script variable writes into the environment, globals and collection
    /// they name (in memory now, on disk through the writer).
    pub(super) fn apply_script_writes(&mut self, ws: WorkspaceId, targets: WriteTargets, ops: &[VarOp]) {
        let Some(data) = self.state.library.workspaces.get_mut(&ws) else { return };
        let mut jobs = Vec::new();
        for scope in [VarScope::Environment, VarScope::Globals, VarScope::Collection] {
            let mine: Vec<&VarOp> = ops.iter().filter(|op| op.scope() == scope).collect();
            if mine.is_empty() {
                continue;
            }
            let variables = match scope {
                VarScope::Environment => targets
                    .environment
                    .and_then(|id| data.environments.get_mut(&id))
                    .map(|e| &mut e.variables),
                VarScope::Globals => Some(&mut data.globals.variables),
                VarScope::Collection => {
                    targets.collection.and_then(|id| data.collections.get_mut(&id)).map(|c| &mut c.variables)
                }
                VarScope::Local => None,
            };
            // No environment selected: `pm.environment.set` lasted only for the send (Postman).
            let Some(variables) = variables else {
                if scope == VarScope::Environment {
                    let text = "No environment is selected: what the scripts set with pm.environment was \
                                not kept (select one in the top bar)";
                    let entry = ConsoleEntry::new(
                        ConsoleLevel::Warn,
                        text.to_owned(),
                        String::new(),
                        &Redactions::default(),
                    );
                    self.state.console.extend([entry]);
                }
                continue;
            };
            let changes = variable_changes(mine, variables);
            let updated = RunVariables::apply(&changes, variables);
            if updated == *variables {
                continue;
            }
            *variables = updated;
            jobs.push(scope);
        }
        for scope in jobs {
            let Some(data) = self.state.library.workspaces.get(&ws) else { return };
            let job = match scope {
                VarScope::Environment => {
                    let Some(env) = targets.environment.and_then(|id| data.environments.get(&id)) else {
                        continue;
                    };
                    WriteJob::Environment { ws, environment: env.clone() }
                }
                VarScope::Globals => WriteJob::Globals { ws, globals: data.globals.clone() },
                VarScope::Collection => {
                    if let Some(c) = targets.collection {
                        self.save_container(ws, ParentId::Collection(c));
                    }
                    continue;
                }
                VarScope::Local => continue,
            };
            self.submit(job);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(key: &str, value: &str) -> VarOp {
        VarOp::Set { scope: VarScope::Environment, key: key.into(), value: value.into(), typed: None }
    }

    #[test]
    fn writes_become_changes_over_the_saved_variables() {
        let saved = vec![Variable::new("a", "1"), Variable::new("b", "2")];
        let ops =
            [set("c", "3"), VarOp::Unset { scope: VarScope::Environment, key: "a".into() }, set("b", "two")];
        let changes = variable_changes(&ops, &saved);
        let after = RunVariables::apply(&changes, &saved);
        let pairs: Vec<(&str, &str)> = after.iter().map(|v| (v.key.as_str(), v.value.as_str())).collect();
        assert_eq!(pairs, vec![("b", "two"), ("c", "3")]);

        let ops = [set("x", "1"), VarOp::Clear { scope: VarScope::Environment }, set("y", "2")];
        let after = RunVariables::apply(&variable_changes(&ops, &saved), &saved);
        let pairs: Vec<(&str, &str)> = after.iter().map(|v| (v.key.as_str(), v.value.as_str())).collect();
        assert_eq!(pairs, vec![("y", "2")], "clear removes what was saved and set before it");
    }

    #[test]
    fn a_secret_is_masked_until_revealed_and_the_console_is_capped() {
        let secrets = Redactions { secret_values: vec!["s3cret".into()], ..Redactions::default() };
        let e =
            ConsoleEntry::new(ConsoleLevel::Log, "token is s3cret".into(), "request \"A\"".into(), &secrets);
        assert_eq!(e.text(false), "token is (secret)");
        assert_eq!(e.text(true), "token is s3cret");
        let mut console = Console::default();
        console.extend((0..CONSOLE_KEPT + 10).map(|i| {
            ConsoleEntry::new(ConsoleLevel::Log, format!("line {i}"), String::new(), &Redactions::default())
        }));
        assert_eq!(console.entries.len(), CONSOLE_KEPT);
        assert_eq!(console.entries.front().map(|e| e.text(false)), Some("line 10"));
        console.filter = "LINE 5009".into();
        assert_eq!(console.visible(), vec![CONSOLE_KEPT - 1]);
    }
}
