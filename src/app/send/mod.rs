//! Sending a request tab through the engine, off the UI thread.
//!
//! Without scripts, the UI thread only prepares the request (resolving `{{variables}}`, which is
//! quick and lets a missing variable be reported before anything is sent). A `send` thread waits
//! until the workspace's cookie jar is read, starts the engine's send, waits for it, turns the
//! exchange into a [`ResponseView`] (reading a body spilled to disk) and wakes the UI. The UI then
//! shows it, lists the send in History at once, and hands the writer thread the history record
//! and the cookie jar to save.
//!
//! With scripts (the collection's, its folders' or the request's), the UI thread takes what they
//! need (the scripts, the scopes, the request's containers) and the `send` thread does the rest,
//! as the runner does for one request: pre-request scripts on a script thread, their variable
//! writes and request changes applied, prepare, send, test scripts (on no response too). As in
//! Postman's window, and unlike a run, a pre-request script that fails stops the send. The
//! UI thread never waits for a script: an endless loop runs into its time limit off screen. The
//! outcome carries the tests and errors for the response area, the console lines (secret values
//! hidden until revealed), and the variable writes the UI saves ([`super::scripts`]).

mod work;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::job::{self, Job};
use time::OffsetDateTime;

use super::response::{BodyView, ResponseOrigin, ResponseView, body_kind};
use super::scripts::{ConsoleEntry, ConsoleLevel, ScriptMark, ScriptReport, WriteTargets};
use super::state::{AppState, Tab, TabId};
use super::writer::WriteJob;
use crate::http::{self, CancelHandle, Engine, Exchange, PreparedRequest, Redactions, SendError};
use crate::model::{
    CollectionId, EnvironmentId, HistoryEntry, ItemId, ParentId, Request, Settings, WorkspaceData,
    WorkspaceId,
};
use crate::runner::ScriptRule;
use crate::runner::script_bridge;
use crate::script::{self, Event, ScriptOwner, ScriptSource, VarOp};
use crate::vars::Scopes;
use work::{Scripted, SendWork, containers_of, prepare, run_scripted, run_send};

/// How long a send waits for its workspace's cookie jar to be read before going without it.
const COOKIE_WAIT: Duration = Duration::from_secs(3);

/// A send in progress.
pub struct InFlight {
    pub started: Instant,
    pub promise: Job<SendOutcome>,
    cancel: Arc<CancelSlot>,
    phase: Arc<AtomicU8>,
    /// The body as it arrives (see [`super::live_body`]).
    pub live: super::live_body::LiveBody,
}

impl InFlight {
    pub fn cancel(&mut self) {
        self.cancel.cancel();
    }

    /// Ends the body where it is (an event stream the user is done with): the send finishes
    /// with what arrived. Before the response's head, the same as [`Self::cancel`].
    pub fn stop(&self) {
        self.cancel.stop();
    }

    /// What the send is doing now.
    pub fn phase(&self) -> SendPhase {
        match self.phase.load(Ordering::Relaxed) {
            1 => SendPhase::PreRequestScripts,
            2 => SendPhase::TestScripts,
            _ => SendPhase::Sending,
        }
    }
}

/// Where a send is (the response area says it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendPhase {
    PreRequestScripts,
    Sending,
    TestScripts,
}

impl SendPhase {
    fn code(self) -> u8 {
        match self {
            SendPhase::Sending => 0,
            SendPhase::PreRequestScripts => 1,
            SendPhase::TestScripts => 2,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SendPhase::PreRequestScripts => "Running pre-request scripts…",
            SendPhase::Sending => "Sending…",
            SendPhase::TestScripts => "Running post-response scripts…",
        }
    }
}

/// Cancels a send whether or not the engine has started it yet.
#[derive(Default)]
struct CancelSlot {
    cancelled: AtomicBool,
    handle: Mutex<Option<CancelHandle>>,
    /// The engine's stop handle, once the send started.
    stop: Mutex<Option<http::StopHandle>>,
    /// Who hears the body as it arrives (the event view, ...): all of them, in order.
    listeners: Mutex<Vec<http::BodyListener>>,
}

impl CancelSlot {
    /// Adds a listener to the body of the send (before it starts).
    fn listen(&self, listener: http::BodyListener) {
        if let Ok(mut list) = self.listeners.lock() {
            list.push(listener);
        }
    }

    /// The listeners as one, for `SendOptions::on_body`.
    fn take_listener(&self) -> Option<http::BodyListener> {
        let mut list = self.listeners.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default();
        match list.len() {
            0 => None,
            1 => list.pop(),
            _ => Some(Box::new(move |event: http::LiveEvent<'_>| {
                for listener in &mut list {
                    let again = match &event {
                        http::LiveEvent::Head(head) => http::LiveEvent::Head(head),
                        http::LiveEvent::Chunk(bytes) => http::LiveEvent::Chunk(bytes),
                        http::LiveEvent::End => http::LiveEvent::End,
                    };
                    listener(again);
                }
            })),
        }
    }

    fn stop(&self) {
        match self.stop.lock().ok().and_then(|s| s.clone()) {
            Some(stop) => stop.stop(),
            None => self.cancel(),
        }
    }

    /// Keeps the engine's stop handle.
    fn arm_stop(&self, stop: http::StopHandle) {
        if let Ok(mut slot) = self.stop.lock() {
            *slot = Some(stop);
        }
    }
    fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        if let Ok(handle) = self.handle.lock()
            && let Some(handle) = handle.as_ref()
        {
            handle.cancel();
        }
    }

    /// Keeps the engine's handle; a cancel that came first takes effect now.
    fn arm(&self, handle: CancelHandle) {
        let check = handle.clone();
        if let Ok(mut slot) = self.handle.lock() {
            *slot = Some(handle);
        }
        if self.cancelled.load(Ordering::SeqCst) {
            check.cancel();
        }
    }
}

/// What a finished send hands back to the UI thread.
pub struct SendOutcome {
    /// The response; `Ok(None)` when a pre-request script skipped the request.
    pub result: Result<Option<ResponseView>, String>,
    /// The entry History lists (`None` when nothing went on the wire).
    history: Option<HistoryEntry>,
    /// What the writer thread records: the send and its result.
    record: Option<(PreparedRequest, Result<Exchange, SendError>, OffsetDateTime)>,
    cookies_changed: bool,
    workspace: Option<WorkspaceId>,
    /// What the scripts did (`None`: the request had none).
    scripts: Option<ScriptsDone>,
    /// Variables no scope defined, sent as written (the setting `send_unresolved_variables`).
    unresolved: Vec<String>,
}

/// A send's scripts, done.
#[derive(Default)]
struct ScriptsDone {
    report: ScriptReport,
    console: Vec<ConsoleEntry>,
    /// Variable writes to keep (not `pm.variables`: those lived for the send).
    ops: Vec<VarOp>,
    targets: WriteTargets,
    /// The scripts that ran, each with the error it stopped on (`None` clears an old mark).
    marks: Vec<((ScriptOwner, Event), Option<ScriptMark>)>,
}

/// Set once a workspace's cookie jar is in the engine.
#[derive(Default)]
pub(super) struct Latch {
    done: Mutex<bool>,
    cond: Condvar,
}

impl Latch {
    fn open(&self) {
        if let Ok(mut done) = self.done.lock() {
            *done = true;
        }
        self.cond.notify_all();
    }

    /// Waits until the jar is in (or `timeout` passed); returns whether it is in.
    pub(super) fn wait(&self, timeout: Duration) -> bool {
        let Ok(done) = self.done.lock() else { return false };
        match self.cond.wait_timeout_while(done, timeout, |done| !*done) {
            Ok((done, _)) => *done,
            Err(_) => false,
        }
    }
}

/// A tab's error when the user cancelled the send.
pub const CANCELLED: &str = "Cancelled.";

/// The engine, created on the first send so start-up does not pay for its runtime.
#[derive(Default)]
pub struct Sends {
    pub(super) engine: Option<Engine>,
    applied: Option<Settings>,
    cookies: HashMap<WorkspaceId, Arc<Latch>>,
}

impl Sends {
    /// Forgets which cookie jars were read, so the next send (or the cookie manager) reads each
    /// again: after an import wrote `cookies.ron` files, the engine's copies are out of date.
    pub(super) fn reread_cookie_jars(&mut self) {
        self.cookies.clear();
    }
}

/// What a send of a tab will do, worked out from the state before anything starts.
struct Planned {
    ws_id: WorkspaceId,
    /// The work, or why the request cannot go (shown in the tab).
    work: Result<SendWork, String>,
    /// Scripts the policy does not let run: reported as skipped, with the reason.
    forbidden: Option<ScriptsDone>,
}

/// Plans the send of tab `tab_id`; `None` when there is nothing to send (no such request tab,
/// or it is already sending).
fn plan_send(state: &AppState, tab_id: TabId) -> Option<Planned> {
    let rule = state.script_rule();
    let send_unresolved = state.effective_settings().send_unresolved_variables;
    let tab = state.tab(tab_id)?;
    let r = tab.request()?;
    if r.in_flight.is_some() {
        return None;
    }
    let ws_id = tab.workspace;
    let ws = state.library.workspaces.get(&ws_id)?;
    let draft = &r.draft;
    let environment = state.active_environment.get(&ws_id).copied();
    let saved = ws.requests.contains_key(&draft.id);
    let scopes = request_scopes(ws, environment, draft, saved, r.parent);
    let chain = inherited_chain(ws, draft, saved, r.parent);
    let pre = script::chain_scripts_owned(ws, &chain, draft, Event::PreRequest);
    let post = script::chain_scripts_owned(ws, &chain, draft, Event::Test);
    let has_scripts = !(pre.is_empty() && post.is_empty());
    let limits = match &rule {
        ScriptRule::Run(limits) if has_scripts => Some(*limits),
        _ => None,
    };
    let forbidden = match &rule {
        ScriptRule::Forbidden(reason) if has_scripts => {
            let sources: Vec<(Event, &ScriptSource)> = pre
                .iter()
                .map(|(_, s)| (Event::PreRequest, s))
                .chain(post.iter().map(|(_, s)| (Event::Test, s)))
                .collect();
            Some(ScriptsDone { report: ScriptReport::forbidden(&sources, reason), ..ScriptsDone::default() })
        }
        _ => None,
    };
    let work = if draft.url.trim().is_empty() {
        Err("Enter a URL to send the request.".to_owned())
    } else if let Some(limits) = limits {
        let collection = chain.iter().rev().find_map(|p| match p {
            ParentId::Collection(c) => Some(*c),
            ParentId::Folder(_) => None,
        });
        Ok(SendWork::Scripted(Box::new(Scripted {
            input: sandbox_input(ws, environment, collection, draft, &scopes),
            containers: containers_of(ws, &chain, saved.then_some(draft)),
            chain,
            request: draft.clone(),
            scopes,
            pre,
            post,
            limits,
            targets: WriteTargets { environment, collection },
            send_unresolved,
        })))
    } else {
        prepare(draft, ws, &chain, &scopes, send_unresolved)
            .map_err(|e| e.to_string())
            .map(|(p, unresolved)| SendWork::Prepared(p, unresolved))
    };
    Some(Planned { ws_id, work, forbidden })
}

/// The variables a request sees: the active environment, its containers (an unsaved request in
/// a folder inherits from that folder as a saved one would), the globals.
pub(super) fn request_scopes(
    ws: &WorkspaceData,
    environment: Option<EnvironmentId>,
    draft: &Request,
    saved: bool,
    parent: Option<ParentId>,
) -> Scopes {
    let mut scopes = Scopes::new();
    if let Some(env) = environment.and_then(|id| ws.environments.get(&id)) {
        scopes = scopes.with_environment(env);
    }
    match (saved, parent) {
        (true, _) | (false, None) => scopes.with_container_chain(ws, ItemId::Request(draft.id)),
        (false, Some(parent)) => with_parent_chain(scopes, ws, parent),
    }
    .with_globals(&ws.globals)
}

/// The containers a request inherits from, nearest first.
pub(super) fn inherited_chain(
    ws: &WorkspaceData,
    draft: &Request,
    saved: bool,
    parent: Option<ParentId>,
) -> Vec<ParentId> {
    match (saved, parent) {
        (false, Some(parent)) => {
            let mut chain = vec![parent];
            if let ParentId::Folder(f) = parent {
                chain.extend(ws.ancestors(ItemId::Folder(f)));
            }
            chain
        }
        _ => ws.ancestors(ItemId::Request(draft.id)),
    }
}

/// What the sandbox is told about the request and where it is.
fn sandbox_input(
    ws: &WorkspaceData,
    environment: Option<EnvironmentId>,
    collection: Option<CollectionId>,
    draft: &Request,
    scopes: &Scopes,
) -> script::SandboxInput {
    script::SandboxInput {
        variables: script_bridge::vars_of(scopes),
        typed: script::TypedValues::default(),
        environment_name: environment.and_then(|id| ws.environments.get(&id)).map(|e| e.name.clone()),
        request: script_bridge::request_view(draft),
        info: script::InfoView {
            iteration: 0,
            iteration_count: 1,
            request_name: draft.name.clone(),
            request_id: draft.id.0.to_string(),
            collection_name: collection
                .and_then(|c| ws.collections.get(&c))
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        },
    }
}

impl super::App {
    pub(super) fn send(&mut self, ctx: &egui::Context, tab_id: TabId) {
        if self.state.tab(tab_id).and_then(Tab::request).is_some_and(|r| r.draft.is_websocket()) {
            return self.ws_send_or_connect(ctx, tab_id);
        }
        let Some(Planned { ws_id, work, forbidden }) = plan_send(&self.state, tab_id) else { return };
        let engine = match self.engine() {
            Ok(engine) => engine,
            Err(e) => return self.set_send_error(tab_id, format!("The HTTP engine could not start: {e}")),
        };
        let work = match work {
            Ok(w) => w,
            Err(e) => return self.set_send_error(tab_id, e),
        };
        let latch = self.cookie_latch(&engine, ws_id);
        let cancel = Arc::new(CancelSlot::default());
        let (events, listener) = super::sse::SseSession::start(ctx);
        cancel.listen(listener);
        let (live, live_listener) = super::live_body::LiveBody::start(ctx);
        cancel.listen(live_listener);
        let live_done = live.clone();
        let phase = Arc::new(AtomicU8::new(SendPhase::Sending.code()));
        let (reply, promise) = job::reply(ctx, "sending");
        let (slot, at) = (cancel.clone(), phase.clone());
        let spawned = std::thread::Builder::new().name("send".into()).spawn(move || {
            latch.wait(COOKIE_WAIT);
            let mut outcome = match work {
                SendWork::Prepared(prepared, unresolved) => {
                    let mut outcome = run_send(&engine, prepared, &slot, ws_id);
                    outcome.scripts = forbidden;
                    outcome.unresolved = unresolved;
                    outcome
                }
                SendWork::Scripted(scripted) => run_scripted(&engine, *scripted, &slot, &at, ws_id),
            };
            live_done.complete(outcome.result.as_mut().ok().and_then(Option::as_mut));
            reply.send(outcome);
        });
        if let Err(e) = spawned {
            return self.set_send_error(tab_id, format!("could not start sending: {e}"));
        }
        if let Some(r) = self.state.tab_mut(tab_id).and_then(Tab::request_mut) {
            r.error = None;
            r.in_flight = Some(InFlight { started: Instant::now(), promise, cancel, phase, live });
            r.sse = Some(events);
        }
    }

    fn set_send_error(&mut self, tab: TabId, message: String) {
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            r.error = Some(message);
        }
    }

    /// The engine with the settings and policy in effect now.
    pub(super) fn engine(&mut self) -> Result<Engine, SendError> {
        let settings = self.state.effective_settings();
        let engine = match &self.sends.engine {
            Some(engine) => engine.clone(),
            None => {
                let engine = Engine::new(settings.clone())?;
                self.sends.applied = Some(settings.clone());
                self.sends.engine = Some(engine.clone());
                engine
            }
        };
        if self.sends.applied.as_ref() != Some(&settings) {
            engine.set_settings(settings.clone());
            self.sends.applied = Some(settings);
        }
        engine.set_guard(self.state.policy.clone());
        Ok(engine)
    }

    /// Reads a workspace's cookie jar into the engine once, on the writer thread.
    pub(super) fn cookie_latch(&mut self, engine: &Engine, ws: WorkspaceId) -> Arc<Latch> {
        if let Some(latch) = self.sends.cookies.get(&ws) {
            return latch.clone();
        }
        let latch = Arc::new(Latch::default());
        if self.writer.is_none() {
            // Nothing read yet (or the folder could not be opened): send without stored cookies.
            latch.open();
            return latch;
        }
        self.sends.cookies.insert(ws, latch.clone());
        let (engine, opened) = (engine.clone(), latch.clone());
        let job = WriteJob::Task {
            what: "reading cookies".into(),
            run: Box::new(move |store| {
                let (jar, _problem) = store.load_cookies(ws);
                engine.set_cookie_jar(Some(ws), jar);
                opened.open();
                Ok(())
            }),
        };
        self.submit(job);
        latch
    }

    pub(super) fn poll_sends(&mut self, _ctx: &egui::Context) {
        let mut finished = Vec::new();
        for tab in &mut self.state.tabs {
            let Some(r) = tab.request_mut() else { continue };
            let Some(in_flight) = r.in_flight.take() else { continue };
            match in_flight.promise.try_take() {
                Ok(Ok(outcome)) => finished.push((tab.id, outcome)),
                Ok(Err(e)) => r.error = Some(e),
                Err(promise) => r.in_flight = Some(InFlight { promise, ..in_flight }),
            }
        }
        for (tab, outcome) in finished {
            self.finish_send(tab, outcome);
        }
    }

    fn finish_send(&mut self, tab: TabId, outcome: SendOutcome) {
        let SendOutcome { result, history, record, cookies_changed, workspace, scripts, unresolved } =
            outcome;
        if !unresolved.is_empty() {
            let name =
                self.state.tab(tab).and_then(Tab::request).map(|r| r.draft.name.clone()).unwrap_or_default();
            self.state.console.extend([ConsoleEntry::new(
                ConsoleLevel::Warn,
                http::sent_as_written(&unresolved),
                format!("request \"{name}\""),
                &Redactions::default(),
            )]);
        }
        let (report, scripts) = match scripts {
            Some(done) => (Some(done.report.clone()), Some(done)),
            None => (None, None),
        };
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            match result {
                Ok(view) => {
                    r.response = view;
                    r.error = None;
                }
                Err(e) => r.error = Some(e),
            }
            r.scripts = report;
        }
        if let Some(done) = scripts {
            self.state.console.extend(done.console);
            for (slot, mark) in done.marks {
                match mark {
                    Some(mark) => self.state.script_marks.insert(slot, mark),
                    None => self.state.script_marks.remove(&slot),
                };
            }
            if let Some(ws) = workspace
                && !done.ops.is_empty()
            {
                self.apply_script_writes(ws, done.targets, &done.ops);
            }
        }
        let Some(ws) = workspace else { return };
        if let Some(entry) = history
            && self.state.workspace == Some(ws)
            && self.state.effective_settings().history_max_entries > 0
        {
            self.state.history.insert(0, entry);
        }
        let Some(engine) = self.sends.engine.clone() else { return };
        if record.is_none() && !cookies_changed {
            return;
        }
        self.submit(WriteJob::Task {
            what: "recording the send in history".into(),
            run: Box::new(move |store| {
                // The entry is redacted and capped here, off the UI thread (a capped body may
                // be read back from its spill file).
                let recorded = match record
                    .and_then(|(prepared, result, at)| engine.history_entry(&prepared, &result, at))
                {
                    Some(entry) => store.record_history(ws, &entry, &engine.settings()).map(drop),
                    None => Ok(()),
                };
                if cookies_changed {
                    store.save_cookies(ws, &engine.cookie_jar(Some(ws)))?;
                }
                recorded
            }),
        });
    }

    pub(super) fn any_in_flight(&self) -> bool {
        self.state.tabs.iter().filter_map(super::state::Tab::request).any(|r| r.in_flight.is_some())
    }
}

/// The scopes of a request not saved yet, placed under `parent`.
fn with_parent_chain(scopes: Scopes, ws: &crate::model::WorkspaceData, parent: ParentId) -> Scopes {
    let (scopes, item) = match parent {
        ParentId::Collection(id) => {
            let Some(c) = ws.collections.get(&id) else { return scopes };
            (scopes.with_variables(crate::vars::ScopeKind::Collection, &c.name, &c.variables), None)
        }
        ParentId::Folder(id) => match ws.folders.get(&id) {
            Some(f) => {
                (scopes.with_variables(crate::vars::ScopeKind::Folder, &f.name, &f.variables), Some(id))
            }
            None => return scopes,
        },
    };
    match item {
        Some(folder) => scopes.with_container_chain(ws, ItemId::Folder(folder)),
        None => scopes,
    }
}

/// The response panel's view of an exchange. Reads a body the engine spilled to disk.
pub fn view_of(exchange: &Exchange) -> std::io::Result<ResponseView> {
    let response = &exchange.response;
    let body: Arc<[u8]> = match response.body.bytes() {
        Some(bytes) => Arc::from(&bytes[..]),
        None => super::live_body::read_spilled(&response.body)?,
    };
    let kind = body_kind(&response.headers, &body);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let t = &exchange.timing;
    let mut timing = Vec::new();
    if !t.auth.is_zero() {
        timing.push(("Auth token".to_owned(), ms(t.auth)));
    }
    if !t.before_final.is_zero() {
        // Without redirects or auth challenges this is setting up the client for the host.
        let label = if exchange.redirects.is_empty() { "Preparing" } else { "Redirects and challenges" };
        timing.push((label.to_owned(), ms(t.before_final)));
    }
    timing.push(("Waiting (time to first byte)".to_owned(), ms(t.first_byte)));
    timing.push(("Download".to_owned(), ms(t.download)));
    timing.push(("Total".to_owned(), ms(t.total)));
    Ok(ResponseView {
        status: response.status,
        reason: response.reason.clone(),
        http_version: response.http_version.clone(),
        time_ms: u64::try_from(t.total.as_millis()).unwrap_or(u64::MAX),
        size_bytes: response.body.len_bytes(),
        wire_size_bytes: Some(response.wire_size_bytes),
        headers: response.headers.clone(),
        body_view: BodyView::new(kind, body.clone()),
        body,
        body_truncated: false,
        sent: exchange.request.clone(),
        redactions: exchange.redactions.clone(),
        redirects: exchange.redirects.iter().map(|hop| (hop.status, hop.location.clone())).collect(),
        timing,
        remote_addr: response.remote_addr.map(|a| a.to_string()),
        origin: ResponseOrigin::Live,
        stopped: response.stopped,
    })
}
