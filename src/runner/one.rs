//! One request of a run: scripts before, the send under the policy's guard, tests after.

use tokio_util::sync::CancellationToken;

use super::{
    RunSpec, ScriptRule, State, checks, failed, overlay, run_scripts, script_assertions, script_bridge,
};
use crate::http::{self, Engine, SendError};
use crate::model::{
    AssertionOutcome, CaptureScope, ItemId, RequestId, RequestOutcome, ScriptCounts, WorkspaceData,
};
use crate::script::{self, ConsoleLine, Event, NextRequest, ScriptHost, ScriptJob, VarScope};
use crate::vars::ScopeKind;

/// What sending one request gave.
pub(super) struct Sent {
    /// `None`: a pre-request script skipped the request (`pm.execution.skipRequest`).
    pub(super) outcome: Option<RequestOutcome>,
    pub(super) cookies_changed: bool,
    pub(super) console: Vec<ConsoleLine>,
    pub(super) next: Option<NextRequest>,
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
