//! The effective policy: every source merged, most restrictive value first, failing closed; and the
//! pure checks the engine, import/export, runner and app ask it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use sha2::{Digest as _, Sha256};

use super::error::{PolicyViolation, SourceError, SourceProblem};
use super::keys::{CheckedHost, HostPattern, ProxyRule, TlsVersion};
use super::parse::{self, DISABLED_ONLY_KEYS, KEYS, MIN_SCRIPT_TIMEOUT_MS, ParsedSource, SCHEMA_VERSION};
use super::settings::{SettingKey, SettingsDefaults};
use crate::model::ClientCertificate;
use crate::model::Format;

mod merge;

/// The shipped baseline, compiled into the binary.
pub const BASELINE_TEXT: &str = include_str!("../../policy/organization.ron");
/// How the baseline is named in messages and on the policy page.
pub const BASELINE_LABEL: &str = "built-in policy";
/// Named as the source of the values Lockdown imposes.
pub const LOCKDOWN_LABEL: &str = "lockdown";
/// What the account area says.
pub const SIGN_IN_DISABLED_MESSAGE: &str = "Sign-in is disabled by your organization";

/// Where a source comes from; later kinds take precedence for keys where the last source wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// `policy/organization.ron`, compiled in.
    Baseline,
    /// `/etc/localpost/policy.ron` (or the platform's equivalent).
    Machine,
    /// A file in `policy.d/`, in name order.
    DropIn,
}

/// One source as read, before parsing: what the loader hands over, and what tests inject.
#[derive(Clone, Debug)]
pub struct SourceInput {
    /// The file's path as shown to people.
    pub label: String,
    pub kind: SourceKind,
    /// The bytes, or why they could not be read (wrong owner, permission denied, a folder...).
    pub content: Result<Vec<u8>, SourceError>,
}

impl SourceInput {
    pub fn new(label: impl Into<String>, kind: SourceKind, content: Result<Vec<u8>, SourceError>) -> Self {
        Self { label: label.into(), kind, content }
    }
}

/// What became of a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceStatus {
    Loaded,
    Failed(SourceError),
    /// Not a policy source (e.g. `policy.d/README`); listed so an administrator sees it.
    Ignored(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceReport {
    pub label: String,
    pub kind: SourceKind,
    pub status: SourceStatus,
    /// The SHA-256 of the file's bytes, when they were read.
    pub sha256: Option<String>,
}

/// Which policy applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyState {
    /// No administrator source: the shipped baseline ("Managed by the shipped policy").
    Baseline,
    /// The baseline tightened by one or more administrator sources.
    Managed,
    /// A source is unusable: every key takes its most restrictive value and sending is refused.
    Lockdown { reasons: Vec<SourceProblem> },
}

impl PolicyState {
    pub fn name(&self) -> &'static str {
        match self {
            PolicyState::Baseline => "baseline",
            PolicyState::Managed => "managed",
            PolicyState::Lockdown { .. } => "lockdown",
        }
    }
}

/// How a key of the policy page stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    Ok,
    Unknown,
    Conflict,
    Error,
}

impl EntryStatus {
    pub fn label(self) -> &'static str {
        match self {
            EntryStatus::Ok => "OK",
            EntryStatus::Unknown => "Unknown",
            EntryStatus::Conflict => "Conflict",
            EntryStatus::Error => "Error",
        }
    }
}

/// One row of the policy page: a key, the value in effect, where it came from, and its status.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyEntry {
    pub key: String,
    /// The value in effect (`null`: not set by any source).
    pub value: serde_json::Value,
    /// The value as RON, or what "not set" means for this key.
    pub display: String,
    /// The sources that set it, in order of precedence.
    pub sources: Vec<String>,
    pub status: EntryStatus,
    /// Errors, conflicts and notes, each naming the file (and line and column).
    pub messages: Vec<String>,
}

/// An allow-list one source sets. A value must be in every source's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowList<T> {
    pub by: String,
    pub items: Vec<T>,
}

/// The organization policy in effect. Built once at start (and on Reload); every check is pure.
#[derive(Clone, Debug)]
pub struct EffectivePolicy {
    state: PolicyState,
    lockdown_summary: Option<String>,
    sources: Vec<SourceReport>,
    entries: Vec<PolicyEntry>,
    sha256: String,
    admin_sources: usize,

    organization_name: Option<String>,
    support_contact: Option<String>,
    strict: bool,
    allowed_hosts: Vec<AllowList<HostPattern>>,
    blocked_hosts: Vec<(HostPattern, String)>,
    allowed_schemes: Vec<AllowList<String>>,
    allow_tls_bypass: bool,
    extra_ca_files: Vec<PathBuf>,
    min_tls_version: TlsVersion,
    client_certificates: Vec<ClientCertificate>,
    proxy: Option<ProxyRule>,
    data_dir: Option<String>,
    allow_import: bool,
    allow_export: bool,
    allow_secrets_in_exports: bool,
    allowed_import_formats: Vec<AllowList<Format>>,
    history_retention_days: Option<u32>,
    store_response_bodies_in_history: bool,
    max_response_size_bytes: Option<u64>,
    allow_scripts: bool,
    max_script_timeout_ms: Option<u64>,
    defaults: SettingsDefaults,
    defaults_by: BTreeMap<SettingKey, String>,
    /// For each key, the sources whose value decided it (named in refusals and locked controls).
    decided_by: BTreeMap<&'static str, Vec<String>>,
}

/// A source that parsed, with where it comes from.
struct Loaded {
    label: String,
    kind: SourceKind,
    parsed: ParsedSource,
}

/// What the policy page says about a key besides its value.
#[derive(Default)]
struct KeyMeta {
    sources: Vec<String>,
    messages: Vec<String>,
    error: bool,
    conflict: bool,
}

impl EffectivePolicy {
    /// The shipped baseline alone, as when no administrator source exists.
    pub fn baseline() -> Self {
        Self::from_inputs(Vec::new())
    }

    /// Builds the policy from administrator sources (in precedence order: the machine file, then
    /// `policy.d/` in name order). The baseline is added first. Never fails: anything wrong ends
    /// in Lockdown with the reason.
    pub fn from_inputs(inputs: Vec<SourceInput>) -> Self {
        Self::build(inputs, Vec::new(), Vec::new())
    }

    /// `problems` are failures outside any one source (a policy folder that is writable by
    /// others); `ignored` are files listed but not read.
    pub(crate) fn build(
        inputs: Vec<SourceInput>,
        problems: Vec<SourceProblem>,
        ignored: Vec<SourceReport>,
    ) -> Self {
        let baseline =
            SourceInput::new(BASELINE_LABEL, SourceKind::Baseline, Ok(BASELINE_TEXT.as_bytes().into()));
        let mut reasons = problems;
        let mut reports = Vec::new();
        let mut loaded = Vec::new();
        for input in std::iter::once(baseline).chain(inputs) {
            let sha256 = input.content.as_ref().ok().map(|b| hex_sha256(b));
            let parsed = input.content.and_then(|bytes| parse::parse_source(&bytes));
            let status = match parsed {
                Ok(parsed) => {
                    loaded.push(Loaded { label: input.label.clone(), kind: input.kind, parsed });
                    SourceStatus::Loaded
                }
                Err(error) => {
                    reasons.push(SourceProblem { source: input.label.clone(), error: error.clone() });
                    SourceStatus::Failed(error)
                }
            };
            reports.push(SourceReport { label: input.label, kind: input.kind, status, sha256 });
        }
        // `strict` from any source makes unknown keys in every source an error.
        let strict = loaded.iter().any(|l| l.parsed.strict);
        if strict {
            loaded.retain(|l| {
                let Some(first) = l.parsed.unknown_keys.first() else { return true };
                let error = SourceError::UnknownKeysUnderStrict {
                    position: first.position,
                    keys: l.parsed.unknown_keys.iter().map(|k| k.key.clone()).collect(),
                };
                reasons.push(SourceProblem { source: l.label.clone(), error: error.clone() });
                if let Some(r) = reports.iter_mut().find(|r| r.label == l.label && r.kind == l.kind) {
                    r.status = SourceStatus::Failed(error);
                }
                false
            });
        }
        reports.extend(ignored);
        let admin_sources = reports.iter().filter(|r| r.kind != SourceKind::Baseline).count();
        let state = if !reasons.is_empty() {
            PolicyState::Lockdown { reasons }
        } else if admin_sources > 0 {
            PolicyState::Managed
        } else {
            PolicyState::Baseline
        };
        let mut meta: BTreeMap<String, KeyMeta> = BTreeMap::new();
        let mut policy = merge::merge(&loaded, &mut meta);
        policy.strict = strict;
        policy.admin_sources = admin_sources;
        policy.sources = reports;
        if let PolicyState::Lockdown { reasons } = &state {
            policy.lockdown_summary = Some(lockdown_summary(reasons));
            policy.impose_lockdown();
        }
        policy.state = state;
        policy.entries = policy.entries_from(&loaded, meta);
        policy.sha256 = policy.compute_sha256();
        policy
    }

    fn impose_lockdown(&mut self) {
        let lockdown = || vec![LOCKDOWN_LABEL.to_owned()];
        self.allowed_hosts = vec![AllowList { by: LOCKDOWN_LABEL.into(), items: Vec::new() }];
        self.blocked_hosts = vec![(HostPattern::any(), LOCKDOWN_LABEL.into())];
        self.allowed_schemes = vec![AllowList { by: LOCKDOWN_LABEL.into(), items: Vec::new() }];
        self.allow_tls_bypass = false;
        self.extra_ca_files.clear();
        self.min_tls_version = TlsVersion::Tls1_3;
        self.client_certificates.clear();
        let mode = self.proxy.take().map_or(super::keys::ProxyMode::System, |p| p.mode);
        self.proxy = Some(ProxyRule { mode, locked: true });
        self.allow_import = false;
        self.allow_export = false;
        self.allow_secrets_in_exports = false;
        self.allowed_import_formats = vec![AllowList { by: LOCKDOWN_LABEL.into(), items: Vec::new() }];
        self.store_response_bodies_in_history = false;
        self.max_response_size_bytes = Some(0);
        self.allow_scripts = false;
        self.max_script_timeout_ms = Some(MIN_SCRIPT_TIMEOUT_MS);
        // `history_retention_days` and `data_dir` stay as the readable sources say: pruning
        // deletes the user's files, and a broken policy file must not destroy anyone's data.
        // No request is sent in Lockdown, so no new history is written anyway.
        // Every rule from `allowed_hosts` on decides, but those two and the user's `defaults`.
        let kept = ["data_dir", "history_retention_days", "defaults"];
        for key in
            super::parse::KEYS.into_iter().skip_while(|k| *k != "allowed_hosts").filter(|k| !kept.contains(k))
        {
            self.decided_by.insert(key, lockdown());
        }
    }

    // ---- what the app shows ---------------------------------------------------------------------

    pub fn state(&self) -> &PolicyState {
        &self.state
    }

    pub fn is_lockdown(&self) -> bool {
        matches!(self.state, PolicyState::Lockdown { .. })
    }

    /// The organization's name: the last source that names it; "your organization" when
    /// administrator sources exist but none names it; "the shipped policy" with the baseline only.
    pub fn organization_name(&self) -> &str {
        match &self.organization_name {
            Some(name) => name,
            None if self.admin_sources > 0 => "your organization",
            None => "the shipped policy",
        }
    }

    /// Whom to ask about the policy, if a source says.
    pub fn support_contact(&self) -> Option<&str> {
        self.support_contact.as_deref()
    }

    /// "Managed by <organization_name>", shown on every locked control.
    pub fn managed_by(&self) -> String {
        format!("Managed by {}", self.organization_name())
    }

    /// The Lockdown banner: which file failed and why (one line per failing source).
    pub fn banner(&self) -> Option<String> {
        let PolicyState::Lockdown { reasons } = &self.state else { return None };
        let lines: Vec<String> = reasons.iter().map(ToString::to_string).collect();
        let contact = self.support_contact().map(|c| format!(" Contact: {c}.")).unwrap_or_default();
        Some(format!(
            "The organization policy could not be applied, so Localpost is in lockdown: sending \
             requests, importing and exporting are off until it is fixed.{contact}\n{}",
            lines.join("\n")
        ))
    }

    /// Every source, in precedence order, with what became of it.
    pub fn sources(&self) -> &[SourceReport] {
        &self.sources
    }

    /// Every key with its value, source and status, for the policy page and `policy show`.
    pub fn entries(&self) -> &[PolicyEntry] {
        &self.entries
    }

    /// The SHA-256 of the effective policy (state and every key's value), in hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Whether `strict: true` is in effect.
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// The sources whose value decided `key`, joined for a message.
    pub fn decided_by(&self, key: &str) -> String {
        match self.decided_by.get(key) {
            Some(by) if !by.is_empty() => by.join(", "),
            _ => BASELINE_LABEL.to_owned(),
        }
    }

    // ---- sending: the engine asks before every request and every redirect ----------------------

    /// `Some(reason)` in Lockdown: no request may be sent.
    pub fn sending_blocked(&self) -> Option<&str> {
        self.lockdown_summary.as_deref()
    }

    /// Whether a request to `url` may be sent. Call it before connecting, for the first URL and
    /// for every redirect; the error names the rule and the file that set it.
    pub fn check_url(&self, url: &url::Url) -> Result<(), PolicyViolation> {
        if let Some(reason) = self.sending_blocked() {
            return Err(PolicyViolation::Lockdown { action: "sending requests", reason: reason.to_owned() });
        }
        let scheme = url.scheme();
        if let Some(list) =
            self.allowed_schemes.iter().find(|l| !l.items.iter().any(|s| scheme_allows(s, scheme)))
        {
            return Err(PolicyViolation::SchemeNotAllowed {
                scheme: scheme.to_owned(),
                allowed: list.items.join(", "),
                by: list.by.clone(),
            });
        }
        let host = CheckedHost::of(url).ok_or(PolicyViolation::NoHost)?;
        self.check_host(&host)
    }

    /// Checks an address a host name resolved to against the address rules (`10.0.0.0/8`,
    /// `169.254.169.254`), so a name cannot be used to reach a blocked address. The engine calls
    /// this from its resolver; `check_url` has already passed the name.
    pub fn check_resolved_ip(&self, ip: std::net::IpAddr) -> Result<(), PolicyViolation> {
        if let Some(reason) = self.sending_blocked() {
            return Err(PolicyViolation::Lockdown { action: "sending requests", reason: reason.to_owned() });
        }
        let host = CheckedHost::Ip(ip.to_canonical());
        match self.blocked_hosts.iter().find(|(p, _)| p.is_address() && p.matches(&host)) {
            Some((pattern, by)) => Err(PolicyViolation::HostBlocked {
                host: host.to_string(),
                pattern: pattern.to_string(),
                by: by.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Whether `blocked_hosts` has an address rule (so names must be resolved to be checked).
    pub fn has_address_rules(&self) -> bool {
        self.blocked_hosts.iter().any(|(p, _)| p.is_address())
    }

    fn check_host(&self, host: &CheckedHost) -> Result<(), PolicyViolation> {
        if let Some((pattern, by)) = self.blocked_hosts.iter().find(|(p, _)| p.matches(host)) {
            return Err(PolicyViolation::HostBlocked {
                host: host.to_string(),
                pattern: pattern.to_string(),
                by: by.clone(),
            });
        }
        if let Some(list) = self.allowed_hosts.iter().find(|l| !l.items.iter().any(|p| p.matches(host))) {
            let allowed: Vec<&str> = list.items.iter().map(HostPattern::as_str).collect();
            return Err(PolicyViolation::HostNotAllowed {
                host: host.to_string(),
                allowed: if allowed.is_empty() { "no host".to_owned() } else { allowed.join(", ") },
                by: list.by.clone(),
            });
        }
        Ok(())
    }

    /// Whether TLS certificate verification may be turned off (in settings or on a request).
    pub fn allows_tls_bypass(&self) -> bool {
        self.allow_tls_bypass
    }

    /// `Ok` when verification stays on or the policy allows turning it off.
    pub fn check_tls_bypass(&self, verify_tls: bool) -> Result<(), PolicyViolation> {
        if verify_tls || self.allow_tls_bypass {
            Ok(())
        } else {
            Err(PolicyViolation::TlsBypassForbidden { by: self.decided_by("allow_tls_verification_bypass") })
        }
    }

    /// Certificate authorities every connection trusts besides the system's.
    pub fn extra_ca_files(&self) -> &[PathBuf] {
        &self.extra_ca_files
    }

    pub fn min_tls_version(&self) -> TlsVersion {
        self.min_tls_version
    }

    /// Client certificates for host patterns (`host` is a [`HostPattern`]); the first match wins.
    pub fn client_certificates(&self) -> &[ClientCertificate] {
        &self.client_certificates
    }

    /// The proxy rule, if a source sets one.
    pub fn proxy(&self) -> Option<&ProxyRule> {
        self.proxy.as_ref()
    }

    pub fn proxy_locked(&self) -> bool {
        self.proxy.as_ref().is_some_and(|p| p.locked)
    }

    /// The largest response body a request may download.
    pub fn max_response_size_bytes(&self) -> Option<u64> {
        self.max_response_size_bytes
    }

    /// `Err` when a response of `size_bytes` is over the policy's limit.
    pub fn check_response_size(&self, size_bytes: u64) -> Result<(), PolicyViolation> {
        match self.max_response_size_bytes {
            Some(limit_bytes) if size_bytes > limit_bytes => Err(PolicyViolation::ResponseTooLarge {
                limit_bytes,
                by: self.decided_by("max_response_size_bytes"),
            }),
            _ => Ok(()),
        }
    }

    // ---- scripts ---------------------------------------------------------------------------------

    /// Whether pre-request and test scripts may run (see [`EffectivePolicy::script_permission`]).
    pub fn allow_scripts(&self) -> bool {
        self.allow_scripts
    }

    /// The longest a script may run, in milliseconds; `None` means no limit from the policy.
    pub fn max_script_timeout_ms(&self) -> Option<u64> {
        self.max_script_timeout_ms
    }

    // ---- data ------------------------------------------------------------------------------------

    /// The data folder the policy fixes, if any (`~/` is the user's home folder). It takes the
    /// place of `--data-dir`, `LOCALPOST_DATA_DIR` and the default.
    pub fn data_dir(&self) -> Option<PathBuf> {
        let text = self.data_dir.as_deref()?;
        match text.strip_prefix("~/") {
            Some(rest) => directories::BaseDirs::new().map(|b| b.home_dir().join(rest)),
            None => Some(PathBuf::from(text)),
        }
    }

    pub fn allow_import(&self) -> bool {
        self.allow_import
    }

    pub fn allow_export(&self) -> bool {
        self.allow_export
    }

    pub fn allow_secrets_in_exports(&self) -> bool {
        self.allow_secrets_in_exports
    }

    /// The formats that may be imported; `None` means every format.
    pub fn allowed_import_formats(&self) -> Option<Vec<Format>> {
        let (first, rest) = self.allowed_import_formats.split_first()?;
        Some(first.items.iter().copied().filter(|f| rest.iter().all(|l| l.items.contains(f))).collect())
    }

    /// Whether an import of `format` may go ahead. Call before parsing the input.
    pub fn check_import(&self, format: Format) -> Result<(), PolicyViolation> {
        if let Some(reason) = self.sending_blocked() {
            return Err(PolicyViolation::Lockdown { action: "importing", reason: reason.to_owned() });
        }
        if !self.allow_import {
            return Err(PolicyViolation::ImportForbidden { by: self.decided_by("allow_import") });
        }
        match self.allowed_import_formats.iter().find(|l| !l.items.contains(&format)) {
            Some(list) => Err(PolicyViolation::ImportFormatForbidden { format, by: list.by.clone() }),
            None => Ok(()),
        }
    }

    /// Whether an input in `detected` format (as `interop::detect` tells it; `None`: not a
    /// format Localpost knows) may be imported: checked before anything is parsed. For an
    /// unknown input only whether importing is possible at all; the parser then says why not.
    pub fn check_import_of(&self, detected: Option<Format>) -> Result<(), PolicyViolation> {
        match detected {
            Some(format) => self.check_import(format),
            None => self.check_import_any(),
        }
    }

    /// Whether importing is possible at all (no lockdown, `allow_import`), before the format is
    /// known.
    pub fn check_import_any(&self) -> Result<(), PolicyViolation> {
        if let Some(reason) = self.sending_blocked() {
            return Err(PolicyViolation::Lockdown { action: "importing", reason: reason.to_owned() });
        }
        if !self.allow_import {
            return Err(PolicyViolation::ImportForbidden { by: self.decided_by("allow_import") });
        }
        Ok(())
    }

    /// Whether an export may go ahead, with or without secret values.
    pub fn check_export(&self, include_secrets: bool) -> Result<(), PolicyViolation> {
        if let Some(reason) = self.sending_blocked() {
            return Err(PolicyViolation::Lockdown { action: "exporting", reason: reason.to_owned() });
        }
        if !self.allow_export {
            return Err(PolicyViolation::ExportForbidden { by: self.decided_by("allow_export") });
        }
        if include_secrets && !self.allow_secrets_in_exports {
            return Err(PolicyViolation::SecretsInExportForbidden {
                by: self.decided_by("allow_secrets_in_exports"),
            });
        }
        Ok(())
    }

    /// The most days history may be kept; `None` means no limit from the policy.
    pub fn history_retention_days(&self) -> Option<u32> {
        self.history_retention_days
    }

    pub fn store_response_bodies_in_history(&self) -> bool {
        self.store_response_bodies_in_history
    }

    /// The merged `defaults`.
    pub fn defaults(&self) -> &SettingsDefaults {
        &self.defaults
    }

    /// The source whose `defaults` set `key`, if any.
    pub fn defaults_by(&self, key: SettingKey) -> Option<&str> {
        self.defaults_by.get(&key).map(String::as_str)
    }

    // ---- the policy page ----------------------------------------------------------------------

    fn entries_from(&self, loaded: &[Loaded], mut meta: BTreeMap<String, KeyMeta>) -> Vec<PolicyEntry> {
        for l in loaded.iter().rev() {
            for problem in l.parsed.key_problems.iter().rev() {
                let m = meta.entry(problem.key.clone()).or_default();
                m.error = true;
                let at = problem.position.map(|p| format!(":{p}")).unwrap_or_default();
                // Errors first, in source order.
                m.messages.insert(0, format!("{}{at}: {}: {}", l.label, problem.key, problem.message));
            }
        }
        let mut entries = Vec::new();
        for key in KEYS {
            if key == "defaults" {
                let mut any = false;
                for &setting in SettingKey::ALL {
                    let Some((value, display)) = self.defaults.value_of(setting) else { continue };
                    any = true;
                    let name = format!("defaults.{}", setting.name());
                    let sources = self.defaults_by(setting).map(|s| vec![s.to_owned()]).unwrap_or_default();
                    entries.push(entry(name, value, display, sources, None));
                }
                if !any {
                    let (value, display) = (serde_json::Value::Null, "not set: Localpost's defaults".into());
                    entries.push(entry(key.into(), value, display, Vec::new(), None));
                }
                continue;
            }
            let (value, display) = self.value_of(key);
            let m = meta.remove(key).unwrap_or_default();
            let sources = if self.decided_by.get(key).is_some_and(|b| b == &[LOCKDOWN_LABEL]) {
                vec![LOCKDOWN_LABEL.to_owned()]
            } else {
                m.sources.clone()
            };
            entries.push(entry(key.into(), value, display, sources, Some(m)));
        }
        for l in loaded {
            for unknown in &l.parsed.unknown_keys {
                let at = unknown.position.map(|p| format!(":{p}")).unwrap_or_default();
                let note = if self.strict { "Lockdown under `strict: true`" } else { "ignored" };
                entries.push(PolicyEntry {
                    key: unknown.key.clone(),
                    value: serde_json::Value::Null,
                    display: String::new(),
                    sources: vec![l.label.clone()],
                    status: EntryStatus::Unknown,
                    messages: vec![format!("{}{at}: unknown key `{}`; {note}", l.label, unknown.key)],
                });
            }
        }
        entries
    }

    /// A key's effective value as JSON and as RON (or what "not set" means).
    fn value_of(&self, key: &str) -> (serde_json::Value, String) {
        fn lists<T: Serialize>(lists: &[AllowList<T>], unset: &str) -> (serde_json::Value, String) {
            if lists.is_empty() {
                return (serde_json::Value::Null, unset.to_owned());
            }
            let items: Vec<&Vec<T>> = lists.iter().map(|l| &l.items).collect();
            let json = serde_json::to_value(&items).unwrap_or_default();
            let mut ron: Vec<String> = Vec::new();
            for list in &items {
                let text = rendered(list).1;
                if !ron.contains(&text) {
                    ron.push(text);
                }
            }
            (json, ron.join(" and "))
        }
        fn optional<T: Serialize>(v: Option<&T>, unset: &str) -> (serde_json::Value, String) {
            v.map_or_else(|| (serde_json::Value::Null, unset.to_owned()), rendered)
        }
        match key {
            "schema_version" => rendered(&SCHEMA_VERSION),
            "strict" => rendered(&self.strict),
            "organization_name" => optional(self.organization_name.as_ref(), "not set"),
            "support_contact" => optional(self.support_contact.as_ref(), "not set"),
            k if DISABLED_ONLY_KEYS.contains(&k) => {
                (serde_json::Value::String("Disabled".into()), "Disabled".to_owned())
            }
            "allowed_hosts" => lists(&self.allowed_hosts, "not set: any host"),
            "blocked_hosts" => {
                let hosts: Vec<&HostPattern> = self.blocked_hosts.iter().map(|(p, _)| p).collect();
                rendered(&hosts)
            }
            "allowed_schemes" => lists(&self.allowed_schemes, "not set: any scheme"),
            "allow_tls_verification_bypass" => rendered(&self.allow_tls_bypass),
            "extra_ca_files" => rendered(&self.extra_ca_files),
            "min_tls_version" => rendered(&self.min_tls_version),
            "client_certificates" => rendered(&self.client_certificates),
            "proxy" => optional(self.proxy.as_ref(), "not set: the user's choice"),
            "data_dir" => optional(self.data_dir.as_ref(), "not set: the user's choice"),
            "allow_import" => rendered(&self.allow_import),
            "allow_export" => rendered(&self.allow_export),
            "allow_secrets_in_exports" => rendered(&self.allow_secrets_in_exports),
            "allowed_import_formats" => lists(&self.allowed_import_formats, "not set: every format"),
            "history_retention_days" => optional(self.history_retention_days.as_ref(), "not set: no limit"),
            "store_response_bodies_in_history" => rendered(&self.store_response_bodies_in_history),
            "max_response_size_bytes" => optional(self.max_response_size_bytes.as_ref(), "not set: no limit"),
            "allow_scripts" => rendered(&self.allow_scripts),
            "max_script_timeout_ms" => {
                optional(self.max_script_timeout_ms.as_ref(), "not set: no limit beyond the user's setting")
            }
            _ => (serde_json::Value::Null, String::new()),
        }
    }

    fn compute_sha256(&self) -> String {
        #[derive(Serialize)]
        struct Canonical<'a> {
            state: &'a str,
            lockdown: Option<&'a str>,
            keys: Vec<(&'a str, &'a serde_json::Value)>,
        }
        let canonical = Canonical {
            state: self.state.name(),
            lockdown: self.lockdown_summary.as_deref(),
            keys: self
                .entries
                .iter()
                .filter(|e| e.status != EntryStatus::Unknown)
                .map(|e| (e.key.as_str(), &e.value))
                .collect(),
        };
        hex_sha256(&serde_json::to_vec(&canonical).unwrap_or_default())
    }
}

fn entry(
    key: String,
    value: serde_json::Value,
    display: String,
    sources: Vec<String>,
    meta: Option<KeyMeta>,
) -> PolicyEntry {
    let meta = meta.unwrap_or_default();
    let status = if meta.error {
        EntryStatus::Error
    } else if meta.conflict {
        EntryStatus::Conflict
    } else {
        EntryStatus::Ok
    };
    PolicyEntry { key, value, display, sources, status, messages: meta.messages }
}

/// A value as JSON and as one line of RON.
pub(crate) fn rendered<T: Serialize + ?Sized>(value: &T) -> (serde_json::Value, String) {
    let json = serde_json::to_value(value).unwrap_or_default();
    let one_line = ron::ser::PrettyConfig::new()
        .new_line("")
        .indentor("")
        .separator(" ")
        .compact_arrays(true)
        .compact_structs(true)
        .compact_maps(true);
    let ron = ron::ser::to_string_pretty(value, one_line).unwrap_or_else(|_| json.to_string());
    (json, ron)
}

pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn lockdown_summary(reasons: &[SourceProblem]) -> String {
    match reasons {
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
        [] => "no usable policy".to_owned(),
    }
}

/// Whether `listed`, an entry of `allowed_schemes`, allows a URL with `scheme`: itself, and
/// `http` allows `ws`, `https` allows `wss` (a WebSocket opens with an HTTP request).
fn scheme_allows(listed: &str, scheme: &str) -> bool {
    listed == scheme || matches!((listed, scheme), ("http", "ws") | ("https", "wss"))
}
