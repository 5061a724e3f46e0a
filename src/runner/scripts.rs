//! Scripts in a run: running them, what their tests assert, and the variables they set.

use indexmap::IndexMap;
use tokio_util::sync::CancellationToken;

use super::{Sent, State, script_bridge};
use crate::model::{AssertionOutcome, RequestOutcome};
use crate::script::{self, ScriptHost, ScriptJob, TestStatus, VarOp, VarScope};
use crate::vars::{ScopeKind, Scopes};

impl State {
    /// What a request's test scripts did, into its outcome and the run.
    pub(super) fn after_tests(
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
pub(super) async fn run_scripts(
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
pub(super) fn overlay(scopes: &mut Scopes, kind: ScopeKind, values: &IndexMap<String, Option<String>>) {
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
    pub(super) fn forget_typed(&mut self, scope: VarScope, key: &str) {
        if let Some(values) = self.typed.get_mut(scope.key()) {
            values.shift_remove(key);
        }
    }

    /// Keeps a script's variable writes for the rest of the run, and applies them to the
    /// request's scopes (a pre-request script's writes are seen by the request it precedes).
    pub(super) fn absorb(&mut self, ops: &[VarOp], scopes: &mut Scopes) {
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
pub(super) fn script_assertions(out: &script::EventOutput) -> Vec<AssertionOutcome> {
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
