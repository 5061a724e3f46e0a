//! The send thread's side: prepare (with pre-request scripts), the exchange under cancellation,
//! test scripts, and the outcome handed back to the window.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use time::OffsetDateTime;

use super::{CancelSlot, ScriptsDone, SendOutcome, SendPhase, view_of};
use crate::app::scripts::{ScriptMark, WriteTargets, console_entries};
use crate::http::{self, Engine, Exchange, PreparedRequest, Redactions, SendError, SendOptions};
use crate::model::{ParentId, Request, WorkspaceData, WorkspaceId};
use crate::runner::script_bridge;
use crate::script::{
    self, Event, EventOutput, ScriptError, ScriptHost, ScriptJob, ScriptOwner, ScriptSource, VarOp,
};
use crate::vars::Scopes;

/// What the `send` thread is handed.
pub(super) enum SendWork {
    /// No scripts to run: the request as prepared on the UI thread, and the variables no scope
    /// defined that it sends as written.
    Prepared(PreparedRequest, Vec<String>),
    Scripted(Box<Scripted>),
}

/// A send with scripts, as the UI thread hands it over.
pub(super) struct Scripted {
    /// The request's containers (for inherited auth and settings), not the whole workspace.
    pub(super) containers: WorkspaceData,
    pub(super) chain: Vec<ParentId>,
    pub(super) request: Request,
    pub(super) scopes: Scopes,
    pub(super) pre: Vec<(ScriptOwner, ScriptSource)>,
    pub(super) post: Vec<(ScriptOwner, ScriptSource)>,
    pub(super) limits: script::Limits,
    pub(super) input: script::SandboxInput,
    pub(super) targets: WriteTargets,
    /// Send variables no scope defines as written (the setting).
    pub(super) send_unresolved: bool,
}

/// A request prepared to send: with `send_unresolved`, a variable no scope defines is sent as
/// written and named in the result; otherwise it stops the send.
pub(super) fn prepare(
    request: &Request,
    ws: &WorkspaceData,
    chain: &[ParentId],
    scopes: &Scopes,
    send_unresolved: bool,
) -> Result<(PreparedRequest, Vec<String>), SendError> {
    if send_unresolved {
        http::prepare_as_written(request, Some(ws), chain, scopes)
    } else {
        http::prepare_in(request, Some(ws), chain, scopes).map(|p| (p, Vec::new()))
    }
}

/// A copy of what preparing a request reads of its workspace: the workspace's id, the request's
/// containers (their own fields, not their children) and, when it is saved, the request.
pub(super) fn containers_of(
    ws: &WorkspaceData,
    chain: &[ParentId],
    saved: Option<&Request>,
) -> WorkspaceData {
    let mut out = WorkspaceData::new(ws.workspace.clone());
    for parent in chain {
        match parent {
            ParentId::Collection(id) => {
                if let Some(c) = ws.collections.get(id) {
                    let mut c = c.clone();
                    c.children = Vec::new();
                    out.collections.insert(*id, c);
                }
            }
            ParentId::Folder(id) => {
                if let Some(f) = ws.folders.get(id) {
                    let mut f = f.clone();
                    f.children = Vec::new();
                    out.folders.insert(*id, f);
                }
            }
        }
    }
    if let Some(r) = saved {
        out.requests.insert(r.id, r.clone());
    }
    out
}

/// Runs on the `send` thread: the engine's send, then everything the UI needs from it.
pub(super) fn run_send(
    engine: &Engine,
    prepared: PreparedRequest,
    cancel: &CancelSlot,
    ws: WorkspaceId,
) -> SendOutcome {
    let started_at = OffsetDateTime::now_utc();
    let result = transmit(engine, &prepared, cancel);
    outcome_of(engine, prepared, result, started_at, ws)
}

/// The engine's send, cancellable before and while it goes.
pub(super) fn transmit(
    engine: &Engine,
    prepared: &PreparedRequest,
    cancel: &CancelSlot,
) -> Result<Exchange, SendError> {
    if cancel.cancelled.load(Ordering::SeqCst) {
        return Err(SendError::Cancelled);
    }
    let options = SendOptions { on_body: cancel.take_listener(), ..SendOptions::default() };
    let handle = engine.send(prepared.clone(), options);
    cancel.arm_stop(handle.stop.clone());
    cancel.arm(handle.cancel.clone());
    handle.promise.block_and_take()
}

/// A send's result as the UI takes it: the response view, the History entry, what to record.
pub(super) fn outcome_of(
    engine: &Engine,
    prepared: PreparedRequest,
    result: Result<Exchange, SendError>,
    started_at: OffsetDateTime,
    ws: WorkspaceId,
) -> SendOutcome {
    let history = engine.history_entry(&prepared, &result, started_at);
    let view = match &result {
        Ok(exchange) => view_of(exchange)
            .map(Some)
            .map_err(|e| format!("The response arrived but its body could not be read back: {e}")),
        Err(SendError::Cancelled) => Err(super::CANCELLED.to_owned()),
        Err(e) => Err(e.to_string()),
    };
    let cookies_changed = result.as_ref().is_ok_and(|e| e.cookies_changed);
    let record = history.is_some().then_some((prepared, result, started_at));
    SendOutcome {
        result: view,
        history,
        record,
        cookies_changed,
        workspace: Some(ws),
        scripts: None,
        unresolved: Vec::new(),
    }
}

/// How often a send waiting for a script looks at its Cancel.
pub(super) const SCRIPT_POLL: Duration = Duration::from_millis(10);

/// Runs one event's scripts and waits, giving up (`None`) when the send is cancelled; the
/// script thread then stops at the script's time limit on its own.
pub(super) fn run_event(host: &ScriptHost, job: ScriptJob, cancel: &CancelSlot) -> Option<EventOutput> {
    let event = job.event;
    let mut reply = host.submit(job);
    loop {
        match reply.try_recv() {
            Ok(out) => return Some(out),
            Err(tokio::sync::oneshot::error::TryRecvError::Closed) => {
                return Some(crate::script::worker::gone(event));
            }
            Err(tokio::sync::oneshot::error::TryRecvError::Empty) => {
                if cancel.cancelled.load(Ordering::SeqCst) {
                    return None;
                }
                std::thread::sleep(SCRIPT_POLL);
            }
        }
    }
}

/// What a send's scripts did so far, on the `send` thread.
pub(super) struct ScriptTrail {
    done: ScriptsDone,
    outputs: Vec<EventOutput>,
    /// Secret values the console must hide: the scopes', and values scripts set on secret names.
    secrets: Redactions,
    fallback: String,
}

impl ScriptTrail {
    fn absorb(
        &mut self,
        out: EventOutput,
        event: Event,
        sources: &[(ScriptOwner, ScriptSource)],
        scopes: &mut Scopes,
    ) {
        for op in &out.ops {
            if let VarOp::Set { key, value, .. } = op
                && scopes.lookup(key).is_some_and(|l| l.secret)
            {
                self.secrets.secret_values.push(value.clone());
            }
            script_bridge::apply_to_scopes(op, scopes);
        }
        self.done.ops.extend(out.ops.iter().filter(|op| op.scope() != script::VarScope::Local).cloned());
        self.done.report.absorb(&out);
        for (owner, source) in sources {
            let mark = out.errors.iter().find(|e| e.owner == source.owner).map(ScriptMark::from);
            self.done.marks.push(((*owner, event), mark));
        }
        self.outputs.push(out);
    }

    /// The scripts' part of the outcome, console lines masked.
    fn finish(mut self, more_secrets: &[String]) -> ScriptsDone {
        self.secrets.secret_values.extend(more_secrets.iter().cloned());
        for out in &self.outputs {
            self.done.console.extend(console_entries(out, &self.fallback, &self.secrets));
        }
        self.done
    }
}

/// Runs on the `send` thread: a send with scripts, as the runner sends one request.
pub(super) fn run_scripted(
    engine: &Engine,
    s: Scripted,
    cancel: &CancelSlot,
    phase: &AtomicU8,
    ws: WorkspaceId,
) -> SendOutcome {
    let Scripted {
        containers,
        chain,
        request,
        mut scopes,
        pre,
        post,
        limits,
        input,
        targets,
        send_unresolved,
    } = s;
    let mut trail = ScriptTrail {
        done: ScriptsDone { targets, ..ScriptsDone::default() },
        outputs: Vec::new(),
        secrets: Redactions { secret_values: scopes.secret_values(), ..Redactions::default() },
        fallback: format!("request \"{}\"", request.name),
    };
    let cancelled = || SendOutcome {
        result: Err(super::CANCELLED.to_owned()),
        history: None,
        record: None,
        cookies_changed: false,
        workspace: Some(ws),
        scripts: None,
        unresolved: Vec::new(),
    };
    let outbound = Box::new(script_bridge::EngineOutbound { engine: engine.clone() });
    let host = match ScriptHost::spawn(limits, outbound) {
        Ok(host) => host,
        Err(e) => {
            let out = EventOutput::failed(ScriptError::new(
                "the script engine",
                Event::PreRequest,
                format!("cannot start the script thread: {e}"),
            ));
            trail.absorb(out, Event::PreRequest, &[], &mut scopes);
            let mut outcome = SendOutcome { result: Err("The scripts could not run.".into()), ..cancelled() };
            outcome.scripts = Some(trail.finish(&[]));
            return outcome;
        }
    };
    let mut fresh = Some(Box::new(input));
    let mut request = std::borrow::Cow::Borrowed(&request);
    if !pre.is_empty() {
        phase.store(SendPhase::PreRequestScripts.code(), Ordering::Relaxed);
        let job = ScriptJob {
            fresh: fresh.take(),
            event: Event::PreRequest,
            scripts: pre.iter().map(|(_, s)| s.clone()).collect(),
            response: None,
            sent: None,
        };
        let Some(out) = run_event(&host, job, cancel) else { return cancelled() };
        if let Some(changed) = &out.request {
            request = std::borrow::Cow::Owned(script_bridge::apply_change(&request, changed));
        }
        let skip = out.skip_request;
        // As in Postman's window (unlike a run), a pre-request script that fails stops the send.
        let failed = out.errors.first().map(|e| format!("The request was not sent: the {e}"));
        trail.absorb(out, Event::PreRequest, &pre, &mut scopes);
        if let Some(message) = failed {
            let mut outcome = SendOutcome { result: Err(message), ..cancelled() };
            outcome.scripts = Some(trail.finish(&[]));
            return outcome;
        }
        if skip {
            let mut outcome = SendOutcome { result: Ok(None), ..cancelled() };
            outcome.scripts = Some(trail.finish(&[]));
            return outcome;
        }
    }
    let (prepared, unresolved) = match prepare(&request, &containers, &chain, &scopes, send_unresolved) {
        Ok(p) => p,
        Err(e) => {
            let mut outcome = SendOutcome { result: Err(e.to_string()), ..cancelled() };
            outcome.scripts = Some(trail.finish(&[]));
            return outcome;
        }
    };
    phase.store(SendPhase::Sending.code(), Ordering::Relaxed);
    let started_at = OffsetDateTime::now_utc();
    let result = transmit(engine, &prepared, cancel);
    // Test scripts run on a response, and on none when the send failed (as newman); not when
    // the user cancelled.
    if !post.is_empty() && !matches!(result, Err(SendError::Cancelled)) {
        phase.store(SendPhase::TestScripts.code(), Ordering::Relaxed);
        let (response, sent) = match &result {
            Ok(exchange) => (
                script_bridge::response_view_with_jar(exchange, engine, Some(ws)),
                script_bridge::sent_view(&prepared, Some(exchange)),
            ),
            Err(_) => (script_bridge::no_response(), script_bridge::sent_view(&prepared, None)),
        };
        let job = ScriptJob {
            fresh,
            event: Event::Test,
            scripts: post.iter().map(|(_, s)| s.clone()).collect(),
            response: Some(response),
            sent: Some(sent),
        };
        let Some(out) = run_event(&host, job, cancel) else { return cancelled() };
        trail.absorb(out, Event::Test, &post, &mut scopes);
    }
    let secrets = prepared.redactions.secret_values.clone();
    let mut outcome = outcome_of(engine, prepared, result, started_at, ws);
    outcome.scripts = Some(trail.finish(&secrets));
    outcome.unresolved = unresolved;
    outcome
}
