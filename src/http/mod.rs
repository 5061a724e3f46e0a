//! The HTTP engine: a request the user wrote, plus the variables in effect, in; a recorded
//! exchange out. No egui here: results reach the UI as poll-promise promises.
//!
//! # The life of a request
//!
//! ```text
//! model::Request ──prepare()──▶ PreparedRequest ──Engine::send()/execute()──▶ Exchange
//!  (the recipe:      (variables resolved, auth        (SentRequest as it went out,
//!   {{vars}} and      inherited, body built; pure:      Response, redirect chain, Timing)
//!   inherit)          the UI may call it to preview)              │
//!                                                                  ├─▶ Exchange::to_history_entry ─▶ storage::history
//!                                                                  └─▶ Exchange::to_saved_response (an example)
//! ```
//!
//! 1. **Scopes.** [`crate::vars::Scopes::for_request`] gathers the environment, the folder
//!    chain, the collection and the globals; the runner adds a data row and runtime values.
//! 2. **Prepare.** [`prepare`] resolves `{{variables}}` everywhere (URL, params, path
//!    variables, headers, body, auth), merges params into the URL as Postman does, inherits auth
//!    up the folder chain ([`effective_auth`]) and settings ([`effective_settings`]), and
//!    applies basic, bearer and API-key auth. It fails with [`SendError::MissingVariables`]
//!    (every missing name) before anything is sent. `PreparedRequest::to_sent_request` shows the
//!    request as it will go out.
//! 3. **Send.** [`Engine::send`] runs on the engine's tokio runtime and returns a
//!    [`SendHandle`]: a promise that always resolves (errors, panics and cancellation included)
//!    and a cancel handle; an optional `on_finished` callback lets the UI request a repaint.
//!    The runner awaits [`Engine::execute`] on [`Engine::runtime`] instead. Before each
//!    connection (every redirect hop, every auth retry, every OAuth token fetch) the
//!    [`SendGuard`] is asked; cookies from the workspace's jar are added per hop; digest
//!    (challenge and retry), OAuth 2.0 (token fetched, cached per environment, refreshed) and
//!    AWS SigV4 (signed last) are applied; redirects are followed by the engine itself so each
//!    hop is recorded.
//! 4. **Response.** Bodies stream: counted on the wire, decoded (gzip, deflate, br, zstd),
//!    stopped at the size limit ([`SendError::BodyTooLarge`]), spilled to a temporary file past
//!    [`EngineOptions::spill_threshold_bytes`]. [`ResponseBody`] is cheap to clone.
//! 5. **Record.** [`Engine::history_entry`] makes a send's history entry:
//!    [`Exchange::to_history_entry`] redacts auth headers and secret variable values and caps
//!    bodies. The engine writes nothing: its callers (the app's writer thread, the command
//!    line) store the entry with `Store::record_history`.
//!
//! # Cookies
//!
//! One jar per workspace, in memory in the engine ([`Engine::cookie_jar`],
//! [`Engine::set_cookie_jar`], [`Engine::upsert_cookie`], [`Engine::remove_cookie`],
//! [`Engine::clear_cookies`]). The app loads it with `Store::load_cookies` and saves it with
//! `Store::save_cookies` when an exchange reports `cookies_changed`.
//!
//! # WebSockets
//!
//! A `ws://`/`wss://` URL is prepared the same way, then opened with [`Engine::connect_ws`]
//! (not sent): a live [`ws::WsHandle`] under the same policy, TLS, proxy and cookies (see [`ws`]).
//!
//! # Errors
//!
//! One [`SendError`] enum; each message names the host, file or field. Nothing panics on user
//! input and no promise is left pending.

mod added;
pub mod auth;
mod body;
mod client;
pub mod cookies;
mod engine;
mod error;
pub mod guard;
mod live;
mod prepare;
mod redact;
mod resolve;
mod response;
pub mod sse;
mod url_build;
pub mod ws;

pub use added::{ACCEPT_ENCODING, USER_AGENT, added_headers, is_added_by_engine};
pub use engine::{CancelHandle, Engine, EngineOptions, SendHandle, SendOptions, redacted_request};
pub use error::{MISSING_VARIABLES_PREFIX, SendError, TimeoutPhase, TlsFailure, sent_as_written, size};
pub use guard::{AllowAll, Refusal, SendGuard};
pub use live::{BodyListener, LiveEvent, LiveHead, StopHandle};
pub use prepare::{
    PartValue, PendingAuth, PreparedBody, PreparedPart, PreparedRequest, effective_auth, effective_settings,
    inherited_settings, prepare, prepare_as_written, prepare_in,
};
pub use redact::{REDACTED, Redactions, SECRET};
pub use response::{
    EXAMPLE_BODY_CAP_BYTES, Exchange, RedirectHop, Response, ResponseBody, Timing, failed_history_entry,
};
