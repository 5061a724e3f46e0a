//! One request of a run: scripts before, the send under the policy's guard, tests after.

use std::borrow::Cow;

use tokio_util::sync::CancellationToken;

use super::{
    RunSpec, ScriptRule, State, checks, failed, kept, overlay, run_scripts, script_assertions, script_bridge,
};
use crate::http::{self, Engine, Exchange, PreparedRequest, SendError};
use crate::model::{
    AssertionOutcome, CaptureScope, ItemId, KeptExchange, ParentId, Request, RequestId, RequestOutcome,
    ResponseKept, ScriptCounts, WorkspaceData,
};
use crate::script::{
    self, ConsoleLine, Event, NextRequest, RequestView, ResponseView, ScriptHost, ScriptJob, ScriptSource,
    VarScope,
};
use crate::vars::{ScopeKind, Scopes};

/// What sending one request gave.
pub(super) struct Sent {
    /// `None`: a pre-request script skipped the request (`pm.execution.skipRequest`).
    pub(super) outcome: Option<RequestOutcome>,
    pub(super) cookies_changed: bool,
    pub(super) console: Vec<ConsoleLine>,
    pub(super) next: Option<NextRequest>,
    /// What the run may keep of the request as sent and its response (see [`super::kept`]).
    pub(super) kept: Option<KeptExchange>,
}

/// Sends one request with its scripts and checks it; `None` when the run was cancelled
/// meanwhile.
#[allow(clippy::too_many_arguments)]
pub(super) async fn send_one(
    engine: &Engine,
    ws: &WorkspaceData,
    spec: &RunSpec,
    state: &mut State,
    (iteration, iterations): (u32, u32),
    id: RequestId,
    row: Option<&Vec<(String, String)>>,
    cancel: &CancellationToken,
) -> Option<Sent> {
    let mut sent =
        Sent { outcome: None, cookies_changed: false, console: Vec::new(), next: None, kept: None };
    let Some(written) = ws.requests.get(&id) else {
        sent.outcome = Some(failed(iteration, id, ws, "the request no longer exists".into()));
        return Some(sent);
    };
    let mut scopes = request_scopes(state, ws, spec, id, row);
    let chain = WorkspaceData::ancestors_in(&state.parents, ItemId::Request(id));
    let (mut scripts, mut assertions) = RequestScripts::of(ws, &chain, written, &spec.scripts);
    let mut counts = ScriptCounts::default();
    let mut request = Cow::Borrowed(written);
    if let ScriptRule::Run(limits) = &spec.scripts
        && !(scripts.pre.is_empty() && scripts.post.is_empty())
    {
        let at = (iteration, iterations);
        scripts.fresh = Some(sandbox_input(ws, spec, state, &scopes, written, &chain, at));
        assertions.extend(start_script_thread(state, engine, *limits));
    }
    if let Some(host) = &state.scripts
        && let Some(job) = scripts.take_job(Event::PreRequest)
    {
        let out = run_scripts(host, job, cancel).await?;
        counts.pre_request = u32::try_from(out.scripts_run).unwrap_or(u32::MAX);
        counts.pre_request_failed = u32::try_from(out.errors.len()).unwrap_or(u32::MAX);
        state.absorb(&out.ops, &mut scopes);
        if let Some(changed) = &out.request {
            request = Cow::Owned(script_bridge::apply_change(written, changed));
        }
        assertions.extend(script_assertions(&out));
        sent.console.extend(out.console);
        sent.next = out.next_request;
        if out.skip_request {
            return Some(sent);
        }
    }
    let (prepared, unresolved) = match prepare(spec, &request, ws, &chain, &scopes, &mut sent.console) {
        Ok(p) => p,
        Err(e) => {
            let mut o = failed(iteration, id, ws, e.to_string());
            o.assertions = assertions;
            o.scripts = counts;
            sent.outcome = Some(o);
            return Some(sent);
        }
    };
    let limits = super::stream::StreamLimits::of(&prepared.settings);
    let result = super::stream::execute_bounded(engine, &prepared, limits, cancel).await?;
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
        kept: ResponseKept::No,
    };
    let exchange = match result {
        Ok(x) => x,
        Err(SendError::Cancelled) => return None,
        Err(e) => {
            outcome.error = Some(e.to_string());
            // Test scripts still run, on no response (as newman): their tests fail, and what
            // they set still counts.
            let views = || (script_bridge::no_response(), script_bridge::sent_view(&prepared, None));
            run_tests(state, &mut scripts, views, &mut outcome, &mut sent, &mut scopes, cancel).await?;
            sent.kept = Some(kept::of_failure(&spec.keep, &prepared));
            sent.outcome = Some(outcome);
            return Some(sent);
        }
    };
    sent.cookies_changed = exchange.cookies_changed;
    check_response(state, written, &exchange, &scopes, limits.max_events, &mut outcome);
    let views = || {
        // A body kept on disk is read on a blocking-friendly thread.
        let response = if exchange.response.body.bytes().is_some() {
            script_bridge::response_view_with_jar(&exchange, engine, prepared.workspace)
        } else {
            tokio::task::block_in_place(|| {
                script_bridge::response_view_with_jar(&exchange, engine, prepared.workspace)
            })
        };
        (response, script_bridge::sent_view(&prepared, Some(&exchange)))
    };
    run_tests(state, &mut scripts, views, &mut outcome, &mut sent, &mut scopes, cancel).await?;
    let keep = || kept::of_exchange(&spec.keep, &exchange, outcome.passed());
    // A body kept on disk is read on a blocking-friendly thread.
    let kept =
        if exchange.response.body.bytes().is_some() { keep() } else { tokio::task::block_in_place(keep) };
    match kept {
        Ok(kept) => sent.kept = Some(kept),
        Err(why) => outcome.kept = why,
    }
    sent.outcome = Some(outcome);
    Some(sent)
}

/// The request's scopes for this run: its base scopes, the data row, then what the run has set
/// so far in each scope.
fn request_scopes(
    state: &mut State,
    ws: &WorkspaceData,
    spec: &RunSpec,
    id: RequestId,
    row: Option<&Vec<(String, String)>>,
) -> Scopes {
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
    scopes
}

/// The scripts of one request that are still to run, and the sandbox input the first of them
/// starts from.
struct RequestScripts {
    pre: Vec<ScriptSource>,
    post: Vec<ScriptSource>,
    fresh: Option<Box<script::SandboxInput>>,
}

impl RequestScripts {
    /// The scripts of the request and its containers. When the rule forbids scripts, none is
    /// to run and each is reported as a skipped assertion with the rule's reason.
    fn of(
        ws: &WorkspaceData,
        chain: &[ParentId],
        written: &Request,
        rule: &ScriptRule,
    ) -> (Self, Vec<AssertionOutcome>) {
        let pre = script::chain_scripts(ws, chain, written, Event::PreRequest);
        let post = script::chain_scripts(ws, chain, written, Event::Test);
        match rule {
            ScriptRule::Run(_) => (Self { pre, post, fresh: None }, Vec::new()),
            ScriptRule::Forbidden(reason) => {
                let labelled =
                    pre.iter().map(|s| (s, Event::PreRequest)).chain(post.iter().map(|s| (s, Event::Test)));
                let skipped = labelled
                    .map(|(s, event)| AssertionOutcome {
                        name: format!("{} {}", s.owner, event.label()),
                        passed: true,
                        message: reason.clone(),
                        skipped: true,
                    })
                    .collect();
                (Self { pre: Vec::new(), post: Vec::new(), fresh: None }, skipped)
            }
        }
    }

    /// The job that runs `event`'s scripts, when there are any; the first job takes the fresh
    /// sandbox input.
    fn take_job(&mut self, event: Event) -> Option<ScriptJob> {
        let scripts = match event {
            Event::PreRequest => &mut self.pre,
            Event::Test => &mut self.post,
        };
        if scripts.is_empty() {
            return None;
        }
        let scripts = std::mem::take(scripts);
        Some(ScriptJob { fresh: self.fresh.take(), event, scripts, response: None, sent: None })
    }
}

/// What a new sandbox starts from for this request: its variables, the typed values scripts
/// set so far, the request as written, and where the run is.
fn sandbox_input(
    ws: &WorkspaceData,
    spec: &RunSpec,
    state: &State,
    scopes: &Scopes,
    written: &Request,
    chain: &[ParentId],
    (iteration, iterations): (u32, u32),
) -> Box<script::SandboxInput> {
    let collection_name =
        chain.last().and_then(|p| ws.parent_name(*p)).map(str::to_owned).unwrap_or_default();
    Box::new(script::SandboxInput {
        variables: script_bridge::vars_of(scopes),
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
    })
}

/// Starts the run's script thread if it is not running yet; a failed assertion when it cannot
/// start.
fn start_script_thread(
    state: &mut State,
    engine: &Engine,
    limits: script::Limits,
) -> Option<AssertionOutcome> {
    if state.scripts.is_some() {
        return None;
    }
    let outbound = Box::new(script_bridge::EngineOutbound { engine: engine.clone() });
    match ScriptHost::spawn_for_run(limits, outbound) {
        Ok(host) => {
            state.scripts = Some(host);
            None
        }
        Err(e) => Some(AssertionOutcome {
            name: "scripts".into(),
            passed: false,
            message: format!("cannot start the script thread: {e}"),
            skipped: false,
        }),
    }
}

/// The request prepared for sending, with the variables sent as written (when the run sends
/// them so, which the console then says).
fn prepare(
    spec: &RunSpec,
    request: &Request,
    ws: &WorkspaceData,
    chain: &[ParentId],
    scopes: &Scopes,
    console: &mut Vec<ConsoleLine>,
) -> Result<(PreparedRequest, Vec<String>), SendError> {
    if !spec.missing_as_written {
        return http::prepare_in(request, Some(ws), chain, scopes).map(|p| (p, Vec::new()));
    }
    let (prepared, missing) = http::prepare_as_written(request, Some(ws), chain, scopes)?;
    if !missing.is_empty() {
        console.push(ConsoleLine {
            level: "warn".into(),
            text: http::sent_as_written(&missing),
            script: None,
        });
    }
    Ok((prepared, missing))
}

/// The request's assertions on the response, and its captures into the run's variables (a
/// capture that fails is a failed assertion).
fn check_response(
    state: &mut State,
    written: &Request,
    exchange: &Exchange,
    scopes: &Scopes,
    max_events: u32,
    outcome: &mut RequestOutcome,
) {
    let time_ms = u64::try_from(exchange.timing.total.as_millis()).unwrap_or(u64::MAX);
    outcome.status = Some(exchange.response.status);
    outcome.time_ms = time_ms;
    outcome.size_bytes = exchange.response.size_bytes();
    let subject = checks::Subject::new(&exchange.response, time_ms).with_event_limit(max_events);
    outcome.assertions.extend(checks::evaluate_all(
        &written.assertions,
        &subject,
        &mut state.compiled,
        scopes,
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
            Err(failure) => outcome.assertions.push(AssertionOutcome {
                name: format!("capture {} from {}", c.variable, c.source),
                passed: false,
                message: failure.to_string(),
                skipped: false,
            }),
        }
    }
}

/// Runs the request's test scripts, when it has some and the script thread runs, on what
/// `views` gives (the response, and the request as sent), and takes in what they did; `None`
/// when the run was cancelled meanwhile.
async fn run_tests(
    state: &mut State,
    scripts: &mut RequestScripts,
    views: impl FnOnce() -> (ResponseView, RequestView),
    outcome: &mut RequestOutcome,
    sent: &mut Sent,
    scopes: &mut Scopes,
    cancel: &CancellationToken,
) -> Option<()> {
    if let Some(host) = &state.scripts
        && let Some(mut job) = scripts.take_job(Event::Test)
    {
        let (response, request) = views();
        job.response = Some(response);
        job.sent = Some(request);
        let out = run_scripts(host, job, cancel).await?;
        state.after_tests(&out, outcome, sent, scopes);
    }
    Some(())
}
