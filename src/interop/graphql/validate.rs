//! Checks a query document against a schema: syntax errors and the GraphQL validation rules
//! (apollo-compiler's), each with its place in the text for underlining.

use apollo_compiler::ExecutableDocument;
use apollo_compiler::diagnostic::ToCliReport;

use super::Schema;

/// The name the query is given in apollo-compiler's source map, to tell its spans from the schema's.
const QUERY_PATH: &str = "query.graphql";

/// One problem in a query document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte offset where the problem starts in the query.
    pub start: usize,
    /// Byte offset where it ends (exclusive; `>= start`).
    pub end: usize,
    /// What is wrong, worded for the user.
    pub message: String,
}

/// Syntax errors and validation problems of `query` against `schema`, in text order; empty means
/// the document is valid. Documents with several operations are fine; a document with only
/// whitespace and comments is reported as empty.
#[must_use]
pub fn validate(schema: &Schema, query: &str) -> Vec<Diagnostic> {
    let Err(with_errors) = ExecutableDocument::parse_and_validate(schema.valid(), query, QUERY_PATH) else {
        return Vec::new();
    };
    let query_file = with_errors
        .errors
        .iter()
        .next()
        .and_then(|d| d.sources.iter().find(|(_, file)| file.path().as_os_str() == QUERY_PATH))
        .map(|(id, _)| *id);
    let mut out: Vec<Diagnostic> = with_errors
        .errors
        .iter()
        .map(|d| {
            let span = d.error.location().filter(|span| Some(span.file_id()) == query_file);
            let (start, end) = span.map_or((0, 0), |s| (s.offset(), s.end_offset()));
            diagnostic_at(query, start, end, d.error.to_string())
        })
        .collect();
    // apollo-compiler drops unknown fields from a selection set, then reports the set as
    // missing; the user did write one, and the unknown field has its own diagnostic.
    out.retain(|d| {
        !(d.message.contains("must have a subselection set") && query[d.start..d.end].contains('{'))
    });
    out.sort_by_key(|d| (d.start, d.end));
    out.dedup();
    out
}

/// A diagnostic for the byte range `start..end` of `text` (clamped to char boundaries).
pub(super) fn diagnostic_at(text: &str, start: usize, end: usize, message: String) -> Diagnostic {
    let start = floor_char_boundary(text, start);
    let end = floor_char_boundary(text, end).max(start);
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Diagnostic { line, column, start, end, message }
}

/// The largest char boundary of `text` at or before `index`.
pub(super) fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut i = index.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
