//! The query editor's checks against the schema, in the background: validation and the
//! variables check 300 ms after the last edit, completion when the editor asks.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::time::{Duration, Instant};

use super::ReadySchema;
use crate::app::job::{self, Job};
use crate::interop::graphql::{self, Completion, Diagnostic, VariableProblem};
use crate::model::GraphQlBody;

/// How long after the last edit the query is checked again.
pub const CHECK_DELAY: Duration = Duration::from_millis(300);

/// A fingerprint of texts (and the schema's generation), to tell whether a result is for what
/// the editor holds now. In-process only; never written anywhere.
pub fn fingerprint(texts: &[&str], generation: u64) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for t in texts {
        t.hash(&mut h);
    }
    generation.hash(&mut h);
    h.finish()
}

/// What a check found.
struct Checked {
    diagnostics: Vec<Diagnostic>,
    variables: Vec<VariableProblem>,
}

/// The query's and the variables' problems, and the check in progress.
#[derive(Default)]
pub struct Checks {
    pub diagnostics: Vec<Diagnostic>,
    pub variables: Vec<VariableProblem>,
    /// The fingerprint of the body and schema the results are for (`None`: never checked).
    pub checked: Option<u64>,
    pending: Option<(u64, Job<Checked>)>,
    /// When the query or the variables were last edited (the check waits [`CHECK_DELAY`]).
    pub edited_at: Option<Instant>,
}

impl Checks {
    /// Whether the results are for exactly this body and schema.
    pub fn is_current(&self, body: &GraphQlBody, schema: &ReadySchema) -> bool {
        self.checked == Some(body_fingerprint(body, schema))
    }

    /// Takes a finished check; starts the next one when the body changed and the user stopped
    /// typing. Returns how long to wait before looking again, when a check is due later.
    pub fn drive(
        &mut self,
        ctx: &egui::Context,
        body: &GraphQlBody,
        schema: &ReadySchema,
    ) -> Option<Duration> {
        if let Some((fp, job)) = self.pending.take() {
            match job.try_take() {
                Ok(Ok(done)) => {
                    self.diagnostics = done.diagnostics;
                    self.variables = done.variables;
                    self.checked = Some(fp);
                }
                Ok(Err(e)) => {
                    self.diagnostics = vec![Diagnostic { line: 1, column: 1, start: 0, end: 0, message: e }];
                    self.variables.clear();
                    self.checked = Some(fp);
                }
                Err(job) => self.pending = Some((fp, job)),
            }
        }
        let fp = body_fingerprint(body, schema);
        if self.checked == Some(fp) || self.pending.as_ref().is_some_and(|(p, _)| *p == fp) {
            return None;
        }
        if body.query.trim().is_empty() {
            // Nothing written yet: nothing to mark.
            self.diagnostics.clear();
            self.variables.clear();
            self.checked = Some(fp);
            self.pending = None;
            return None;
        }
        let waited = self.edited_at.map_or(CHECK_DELAY, |t| t.elapsed());
        if waited < CHECK_DELAY {
            return Some(CHECK_DELAY - waited);
        }
        if self.pending.is_some() {
            // One check at a time; the next starts when this one is in.
            return Some(Duration::from_millis(50));
        }
        let schema = schema.schema.clone();
        let (query, variables, operation) =
            (body.query.clone(), body.variables.clone(), body.operation_name.trim().to_owned());
        let job = job::spawn(ctx, "checking the GraphQL query", move || {
            let variables_json = if variables.trim().is_empty() { "{}" } else { variables.as_str() };
            let operation = (!operation.is_empty()).then_some(operation.as_str());
            Checked {
                diagnostics: graphql::validate(&schema, &query),
                variables: graphql::check_variables(&schema, &query, operation, variables_json),
            }
        });
        self.pending = Some((fp, job));
        None
    }
}

fn body_fingerprint(body: &GraphQlBody, schema: &ReadySchema) -> u64 {
    fingerprint(&[&body.query, &body.variables, &body.operation_name], schema.generation)
}

/// The completion list under the query editor's cursor.
#[derive(Default)]
pub struct CompletionPopup {
    /// The editor asks for completions at this cursor (a byte offset of the query).
    pub requested: Option<usize>,
    pending: Option<(u64, usize, Job<graphql::Completions>)>,
    pub shown: Option<ShownCompletions>,
}

/// A completion list, for the query text and cursor it was computed at.
pub struct ShownCompletions {
    pub items: Vec<Completion>,
    /// The byte range of the query an item replaces.
    pub replace: Range<usize>,
    pub selected: usize,
    /// The fingerprint of the query text (no schema generation) it is for.
    pub text: u64,
    pub cursor: usize,
}

impl ShownCompletions {
    /// Whether the list belongs to `query` with the cursor at `cursor`.
    pub fn fits(&self, query: &str, cursor: usize) -> bool {
        self.cursor == cursor && self.text == fingerprint(&[query], 0)
    }
}

impl CompletionPopup {
    /// Takes finished completions and starts the one asked for.
    pub fn drive(&mut self, ctx: &egui::Context, query: &str, schema: &ReadySchema) {
        if let Some((text, cursor, job)) = self.pending.take() {
            match job.try_take() {
                Ok(Ok(found)) => {
                    self.shown = (!found.items.is_empty()).then_some(ShownCompletions {
                        items: found.items,
                        replace: found.replace,
                        selected: 0,
                        text,
                        cursor,
                    });
                }
                Ok(Err(_)) => self.shown = None,
                Err(job) => self.pending = Some((text, cursor, job)),
            }
        }
        let Some(cursor) = self.requested.take() else { return };
        let (schema, text) = (schema.schema.clone(), query.to_owned());
        let cursor = cursor.min(text.len());
        let job = job::spawn(ctx, "completing the GraphQL query", move || {
            graphql::completions(&schema, &text, cursor)
        });
        self.pending = Some((fingerprint(&[query], 0), cursor, job));
    }

    pub fn close(&mut self) {
        self.shown = None;
        self.requested = None;
    }
}
