//! Variables: `{{name}}` references in anything a user types (URL, params, path variables,
//! headers, body, auth fields), resolved against layered scopes.
//!
//! # Scopes, narrowest wins (Postman's order)
//!
//! 1. runtime values set during a run (captures), [`Scopes::set_runtime`]
//! 2. the data-file row of an iteration, [`Scopes::with_data_row`]
//! 3. the active environment, [`Scopes::with_environment`]
//! 4. the folders above the request, nearest first, then its collection,
//!    [`Scopes::with_container_chain`]
//! 5. the workspace's globals, [`Scopes::with_globals`]
//!
//! [`Scopes::for_request`] builds 3–5 in one call for a saved request. Disabled variables are
//! skipped as if absent.
//!
//! # Resolution
//!
//! [`Scopes::resolve`] replaces every reference and returns a [`Resolved`]: the text, the names no
//! scope defines (left as `{{name}}` in the text, never silently blanked) and any cycles
//! (`{{a}}` → `{{b}}` → `{{a}}`), which are reported rather than followed. Values may hold
//! references themselves (`{{base}}` = `https://{{host}}`); they resolve recursively, up to
//! [`MAX_DEPTH`] levels. Names starting with `$` that no scope defines are
//! [dynamic variables](dynamic) (`{{$guid}}`, `{{$timestamp}}`, `{{$randomEmail}}`...), generated
//! fresh at each occurrence.
//!
//! [`Scopes::lookup`] tells which scope a name comes from (the editor shows it on hover) and
//! [`find_references`] gives the byte range of every reference in a text (the editor highlights
//! them).
//!
//! ```
//! use localpost::vars::{Scopes, ScopeKind};
//! let mut scopes = Scopes::new()
//!     .with_values(ScopeKind::Globals, "Globals", [("host", "example.com")])
//!     .with_values(ScopeKind::Environment, "Dev", [("base", "https://{{host}}/v1")]);
//! scopes.set_runtime("id", "42");
//! let resolved = scopes.resolve("{{base}}/users/{{id}}?trace={{missing}}");
//! assert_eq!(resolved.text, "https://example.com/v1/users/42?trace={{missing}}");
//! assert_eq!(resolved.missing, vec!["missing".to_owned()]);
//! ```

pub mod dynamic;
mod scopes;
#[rustfmt::skip]
mod words;

pub use crate::model::template::{Reference, find_references, offsets_outside_references};
pub use scopes::{Lookup, Resolved, Scope, ScopeKind, Scopes};

/// How deep values may nest references before resolution stops and reports a cycle.
pub const MAX_DEPTH: usize = 16;
