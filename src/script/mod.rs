//! Scripts: Postman's pre-request and test scripts, run in a sandboxed JavaScript engine
//! (QuickJS, through `rquickjs`). A layer beside [`crate::vars`], used by the callers of
//! [`crate::http`]: the runner and the app.
//!
//! # The life of a request's scripts
//!
//! 1. The caller gathers the scripts that apply ([`chain_scripts`]: collection, then each folder
//!    down, then the request) and a snapshot of the variables ([`ScriptVars`]) and of the
//!    request as written ([`RequestView`]).
//! 2. A [`Sandbox`] is made for the request: a fresh runtime and context, with the sandbox
//!    library (`js/chai.js`, `js/sandbox.js`) loaded from bytecode compiled once per process.
//!    Nothing is shared with another request's sandbox.
//! 3. [`Sandbox::run`] with [`Event::PreRequest`] runs the pre-request scripts in order. Each is
//!    a function body in sloppy mode (Postman scripts assign undeclared globals); its timers and
//!    `pm.sendRequest` callbacks run before the next script starts. The [`EventOutput`] says what
//!    they did: variable writes ([`VarOp`], in order, to the scope named), a changed request,
//!    tests, console lines, errors, `setNextRequest`, `skipRequest`.
//! 4. The caller applies the writes, builds and sends the request, then runs [`Event::Test`] on
//!    the same sandbox with the response ([`ResponseView`]) and the request as sent.
//!
//! # Limits
//!
//! Every script runs under a deadline (the interrupt handler stops it, even inside a regular
//! expression), a memory limit and a stack limit ([`Limits`]). A script that hits one stops with
//! an error naming it; the other scripts, the run and the app go on. Scripts get no file system,
//! no process environment and no sockets: the only way out is `pm.sendRequest`, which goes
//! through the caller's [`Outbound`] (the engine, under the policy's guard).

mod context;
mod error;
mod libs;
mod natives;
pub mod snippets;
pub mod worker;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use context::{Blank, Sandbox};
pub use error::{CallError, LibraryError, OutboundError, SandboxError};
pub use worker::{ScriptHost, ScriptJob};

/// The default deadline of one script: the `script_timeout_ms` setting's default (a policy's
/// `max_script_timeout_ms` may lower it).
pub const DEFAULT_TIMEOUT: Duration =
    Duration::from_millis(crate::model::settings::DEFAULT_SCRIPT_TIMEOUT_MS);
/// The default memory limit of one request's sandbox.
pub const DEFAULT_MEMORY_BYTES: usize = 64 << 20;
/// The stack a script may use (deep recursion stops with a `RangeError`).
pub const DEFAULT_STACK_BYTES: usize = 1 << 20;

/// What a script may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub timeout: Duration,
    pub memory_bytes: usize,
    pub stack_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            memory_bytes: DEFAULT_MEMORY_BYTES,
            stack_bytes: DEFAULT_STACK_BYTES,
        }
    }
}

/// When a script runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    /// Before the request is built and sent.
    #[serde(rename = "prerequest")]
    PreRequest,
    /// After the response.
    Test,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::PreRequest => "prerequest",
            Event::Test => "test",
        }
    }

    /// How a message names it: "pre-request script", "test script".
    pub fn label(self) -> &'static str {
        match self {
            Event::PreRequest => "pre-request script",
            Event::Test => "test script",
        }
    }
}

/// One script and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptSource {
    /// Where it is: `collection "Echo"`, `folder "Auth"`, `request "Login"`.
    pub owner: String,
    pub code: String,
}

/// Whose script it is: the collection, a folder or the request that holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScriptOwner {
    Collection(crate::model::CollectionId),
    Folder(crate::model::FolderId),
    Request(crate::model::RequestId),
}

/// The scripts of one event for one request, outermost first (collection, folders, request),
/// without the blank ones.
pub fn chain_scripts(
    ws: &crate::model::WorkspaceData,
    chain: &[crate::model::ParentId],
    request: &crate::model::Request,
    event: Event,
) -> Vec<ScriptSource> {
    chain_scripts_owned(ws, chain, request, event).into_iter().map(|(_, s)| s).collect()
}

/// [`chain_scripts`] with who holds each script (the window marks an error's line in the
/// script it came from).
pub fn chain_scripts_owned(
    ws: &crate::model::WorkspaceData,
    chain: &[crate::model::ParentId],
    request: &crate::model::Request,
    event: Event,
) -> Vec<(ScriptOwner, ScriptSource)> {
    use crate::model::ParentId;
    let pick = |s: &crate::model::Scripts| match event {
        Event::PreRequest => s.pre_request.clone(),
        Event::Test => s.test.clone(),
    };
    let mut out = Vec::new();
    // `chain` is nearest first; scripts run outermost first.
    for parent in chain.iter().rev() {
        let (id, owner, scripts) = match parent {
            ParentId::Collection(id) => match ws.collections.get(id) {
                Some(c) => (ScriptOwner::Collection(*id), format!("collection \"{}\"", c.name), &c.scripts),
                None => continue,
            },
            ParentId::Folder(id) => match ws.folders.get(id) {
                Some(f) => (ScriptOwner::Folder(*id), format!("folder \"{}\"", f.name), &f.scripts),
                None => continue,
            },
        };
        let code = pick(scripts);
        if !code.trim().is_empty() {
            out.push((id, ScriptSource { owner, code }));
        }
    }
    let code = pick(&request.scripts);
    if !code.trim().is_empty() {
        out.push((
            ScriptOwner::Request(request.id),
            ScriptSource { owner: format!("request \"{}\"", request.name), code },
        ));
    }
    out
}

/// The variables a script sees, by scope (strings, as stored).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ScriptVars {
    pub globals: indexmap::IndexMap<String, String>,
    pub environment: indexmap::IndexMap<String, String>,
    /// The collection's variables, with its folders' (nearest wins).
    pub collection: indexmap::IndexMap<String, String>,
    /// `pm.variables`: the run's local scope.
    pub local: indexmap::IndexMap<String, String>,
    /// `pm.iterationData`: the data file's row.
    pub data: indexmap::IndexMap<String, String>,
}

/// One header or form field as a script sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
    #[serde(default)]
    pub disabled: bool,
}

/// A request's body as a script sees and may change it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyView {
    /// `raw`, `urlencoded`, `formdata`, `file`, `graphql`, or empty for none.
    pub mode: String,
    #[serde(default)]
    pub raw: Option<String>,
    #[serde(default, skip_deserializing)]
    pub urlencoded: Vec<KeyValue>,
    #[serde(default, skip_deserializing)]
    pub formdata: Vec<KeyValue>,
}

/// A request as `pm.request` shows it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RequestView {
    pub id: String,
    pub name: String,
    pub method: String,
    pub url: String,
    pub headers: Vec<KeyValue>,
    pub body: Option<BodyView>,
}

/// What a pre-request script made of the request (its changes replace the written request's).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ChangedRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<KeyValue>,
    pub body: Option<BodyView>,
}

/// A cookie the response set.
#[derive(Clone, Debug, Serialize)]
pub struct CookieView {
    pub name: String,
    pub value: String,
}

/// A response as `pm.response` shows it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ResponseView {
    pub code: u16,
    /// The reason phrase: `OK`, `Not Found`.
    pub status: String,
    pub headers: Vec<KeyValue>,
    #[serde(rename = "responseTime")]
    pub response_time_ms: u64,
    #[serde(rename = "responseSize")]
    pub response_size_bytes: u64,
    pub cookies: Vec<CookieView>,
    /// The body as text (not serialized: handed to the sandbox as its own string).
    #[serde(skip)]
    pub body: String,
}

/// `pm.info` and the names a script can ask for.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InfoView {
    pub iteration: u32,
    pub iteration_count: u32,
    pub request_name: String,
    pub request_id: String,
    pub collection_name: String,
}

/// Values that scripts set earlier in the run with a type (a number, an object), by scope
/// name (`globals`, `environment`, `collection`, `local`): a later script gets them back typed,
/// as under newman, while the scopes hold their text.
pub type TypedValues = indexmap::IndexMap<&'static str, indexmap::IndexMap<String, serde_json::Value>>;

/// Everything a request's sandbox starts from.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxInput {
    pub variables: ScriptVars,
    pub typed: TypedValues,
    pub environment_name: Option<String>,
    pub request: RequestView,
    pub info: InfoView,
}

/// The scope a script wrote to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum VarScope {
    #[serde(rename = "globals")]
    Globals,
    #[serde(rename = "environment")]
    Environment,
    #[serde(rename = "collectionVariables")]
    Collection,
    /// `pm.variables.set`: the local scope of the run.
    #[serde(rename = "variables")]
    Local,
}

/// One variable write, in the order the scripts made them.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum VarOp {
    Set {
        scope: VarScope,
        key: String,
        value: String,
        /// The value as the script gave it, when it was not text.
        #[serde(default)]
        typed: Option<serde_json::Value>,
    },
    Unset {
        scope: VarScope,
        key: String,
    },
    Clear {
        scope: VarScope,
    },
}

impl VarScope {
    /// The name the sandbox's typed values use.
    pub fn key(self) -> &'static str {
        match self {
            VarScope::Globals => "globals",
            VarScope::Environment => "environment",
            VarScope::Collection => "collection",
            VarScope::Local => "local",
        }
    }
}

impl VarOp {
    pub fn scope(&self) -> VarScope {
        match self {
            VarOp::Set { scope, .. } | VarOp::Unset { scope, .. } | VarOp::Clear { scope } => *scope,
        }
    }

    /// Applies the write to a map of that scope's values.
    pub fn apply_to(&self, values: &mut indexmap::IndexMap<String, String>) {
        match self {
            VarOp::Set { key, value, .. } => {
                values.insert(key.clone(), value.clone());
            }
            VarOp::Unset { key, .. } => {
                values.shift_remove(key);
            }
            VarOp::Clear { .. } => values.clear(),
        }
    }
}

/// How a test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    Passed,
    Failed,
    Skipped,
}

/// One `pm.test` (or legacy `tests[...]`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TestResult {
    pub name: String,
    pub status: TestStatus,
    /// Why it failed: `expected 404 to equal 200`.
    #[serde(default)]
    pub error: String,
}

/// A line a script printed with `console.*`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ConsoleLine {
    pub level: String,
    pub text: String,
    /// Which script printed it (`request "Login" test script`).
    #[serde(default)]
    pub script: Option<String>,
}

/// A script that stopped on an error: a syntax error, an exception, a limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError {
    /// `request "Login"`.
    pub owner: String,
    pub event: Event,
    pub message: String,
    /// 1-based line and column in the script's own text, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl ScriptError {
    /// An error with no place in the script's text (a limit, the engine itself).
    pub fn new(owner: impl Into<String>, event: Event, message: impl Into<String>) -> Self {
        Self { owner: owner.into(), event, message: message.into(), line: None, column: None }
    }

    /// The error without its owner: `line 3:7: ReferenceError: x is not defined`.
    pub fn detail(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("line {l}:{c}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.owner, self.event.label())?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ", line {l}:{c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// `pm.execution.setNextRequest(...)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextRequest {
    /// `setNextRequest(null)`: the run stops after this request.
    Stop,
    /// A request's name or id.
    Named(String),
}

/// A request a script sent with `pm.sendRequest`, for the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptSent {
    pub method: String,
    pub url: String,
    /// `200 OK`, or the error.
    pub outcome: String,
}

/// What one event's scripts did.
#[derive(Clone, Debug, Default)]
pub struct EventOutput {
    pub ops: Vec<VarOp>,
    pub tests: Vec<TestResult>,
    pub console: Vec<ConsoleLine>,
    pub errors: Vec<ScriptError>,
    pub next_request: Option<NextRequest>,
    pub skip_request: bool,
    /// The request as a pre-request script left it, when it changed it.
    pub request: Option<ChangedRequest>,
    pub sent: Vec<ScriptSent>,
    /// How many scripts ran.
    pub scripts_run: usize,
}

impl EventOutput {
    /// An event that could not run at all: only this error.
    pub fn failed(error: ScriptError) -> Self {
        Self { errors: vec![error], ..Self::default() }
    }
}

/// A request a script asks to send (`pm.sendRequest`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SendSpec {
    pub url: String,
    pub method: String,
    #[serde(default)]
    pub header: Vec<KeyValue>,
    #[serde(default)]
    pub body: Option<SendBody>,
}

/// The body of a [`SendSpec`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum SendBody {
    Raw { raw: String },
    Urlencoded { urlencoded: Vec<KeyValue> },
    Formdata { formdata: Vec<KeyValue> },
}

/// The way out of the sandbox for `pm.sendRequest`: the caller sends through its engine.
pub trait Outbound {
    /// Sends and waits (the sandbox's thread blocks; its deadline still runs).
    fn send(&self, spec: &SendSpec) -> Result<ResponseView, OutboundError>;
}

/// No network from scripts (tests, and a caller that has no engine).
pub struct NoOutbound;

impl Outbound for NoOutbound {
    fn send(&self, _spec: &SendSpec) -> Result<ResponseView, OutboundError> {
        Err(OutboundError::Unavailable)
    }
}
