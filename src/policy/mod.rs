//! The organization policy: load and validate it, merge its sources, fail closed, and answer the
//! pure checks the other layers ask (may this URL be sent, may this format be imported, which
//! settings are locked).
//!
//! The life of a policy:
//!
//! 1. **Sources** ([`sources`]): the baseline compiled in from `policy/organization.ron`, then the
//!    machine file (`/etc/localpost/policy.ron`), then `policy.d/*.ron` in name order. A source
//!    counts only if it and its folder are owned by root and not writable by group or others.
//!    Nothing a user can write (data folder, home, environment, flags) is a source.
//! 2. **Parsing** ([`parse`]): bytes to checked values. A source that is unreadable, empty, not
//!    UTF-8, over 1 MiB, not valid RON, of a wrong type, of another schema version, or with unknown
//!    keys under `strict` fails; a known key with a bad value takes its most restrictive value and
//!    is reported.
//! 3. **Merging** (`effective/merge.rs`): for every security key the most restrictive value across all
//!    sources wins (allow-lists intersect, block-lists unite, loosening booleans need every source
//!    to allow, limits take the smallest); other keys take the last source's value. Conflicts are
//!    shown on the policy page.
//! 4. **The effective policy** ([`EffectivePolicy`]): [`PolicyState::Baseline`],
//!    [`PolicyState::Managed`], or [`PolicyState::Lockdown`] when any source failed: every key at
//!    its most restrictive value and sending refused, with the file and the error.
//!
//! Each enforcement point makes one call: the engine [`EffectivePolicy::check_url`] (and
//! `allows_tls_bypass`, `max_response_size_bytes`, `sending_blocked`), import
//! [`EffectivePolicy::check_import`], export [`EffectivePolicy::check_export`], a run's scripts
//! [`EffectivePolicy::script_permission`], the app [`EffectivePolicy::effective_settings`] and
//! [`EffectivePolicy::setting_control`].

pub mod effective;
pub mod error;
pub mod keys;
pub mod parse;
pub mod report;
pub mod scripts;
pub mod settings;
pub mod sources;

pub use effective::{
    AllowList, BASELINE_LABEL, BASELINE_TEXT, EffectivePolicy, EntryStatus, LOCKDOWN_LABEL, PolicyEntry,
    PolicyState, SIGN_IN_DISABLED_MESSAGE, SourceInput, SourceKind, SourceReport, SourceStatus,
};
pub use error::{PolicyViolation, Position, SourceError, SourceProblem};
pub use keys::{CheckedHost, HostPattern, ProxyMode, ProxyRule, TlsVersion};
pub use parse::{KEYS, MAX_SOURCE_BYTES, MIN_SCRIPT_TIMEOUT_MS, SCHEMA_VERSION, parse_source};
pub use report::PolicyReport;
pub use scripts::ScriptPermission;
pub use settings::{SettingControl, SettingKey, SettingsDefaults};
pub use sources::{LoadOptions, SourceLocations};
