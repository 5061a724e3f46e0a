//! The effective policy as people and scripts read it: `policy show` (text and JSON), the report
//! a user in Lockdown can hand to the administrator, and the start-up log line.

use std::fmt::Write as _;

use serde::Serialize;

use super::effective::{EffectivePolicy, EntryStatus, PolicyEntry, PolicyState, SourceKind, SourceStatus};

/// `policy show --json`.
#[derive(Debug, Serialize)]
pub struct PolicyReport<'a> {
    /// `baseline`, `managed` or `lockdown`.
    pub state: &'static str,
    pub managed_by: String,
    pub organization_name: &'a str,
    pub support_contact: Option<&'a str>,
    pub sha256: &'a str,
    /// `file:line:column: message` for each source that put Localpost in Lockdown.
    pub lockdown_reasons: Vec<String>,
    pub sources: Vec<SourceLine<'a>>,
    pub keys: &'a [PolicyEntry],
}

#[derive(Debug, Serialize)]
pub struct SourceLine<'a> {
    pub source: &'a str,
    pub kind: SourceKind,
    /// `loaded`, `failed` or `ignored`.
    pub status: &'static str,
    pub message: Option<String>,
    pub sha256: Option<&'a str>,
}

impl EffectivePolicy {
    pub fn report(&self) -> PolicyReport<'_> {
        let lockdown_reasons = match self.state() {
            PolicyState::Lockdown { reasons } => reasons.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        };
        let sources = self
            .sources()
            .iter()
            .map(|s| {
                let (status, message) = match &s.status {
                    SourceStatus::Loaded => ("loaded", None),
                    SourceStatus::Failed(e) => ("failed", Some(e.to_string())),
                    SourceStatus::Ignored(why) => ("ignored", Some(why.clone())),
                };
                SourceLine { source: &s.label, kind: s.kind, status, message, sha256: s.sha256.as_deref() }
            })
            .collect();
        PolicyReport {
            state: self.state().name(),
            managed_by: self.managed_by(),
            organization_name: self.organization_name(),
            support_contact: self.support_contact(),
            sha256: self.sha256(),
            lockdown_reasons,
            sources,
            keys: self.entries(),
        }
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.report()).unwrap_or_default()
    }

    /// The report as text: state, sources, then every key with its value, source and status.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let state = match self.state() {
            PolicyState::Baseline => "Baseline (no administrator policy on this machine)".to_owned(),
            PolicyState::Managed => "Managed".to_owned(),
            PolicyState::Lockdown { .. } => {
                "LOCKDOWN: sending requests, importing and exporting are off".to_owned()
            }
        };
        let _ = writeln!(out, "Organization policy: {}", self.managed_by());
        let _ = writeln!(out, "State: {state}");
        if let Some(contact) = self.support_contact() {
            let _ = writeln!(out, "Support: {contact}");
        }
        let _ = writeln!(out, "SHA-256: {}", self.sha256());
        if let PolicyState::Lockdown { reasons } = self.state() {
            let _ = writeln!(out, "\nWhy:");
            for r in reasons {
                let _ = writeln!(out, "  {r}");
            }
        }
        let _ = writeln!(out, "\nSources, in order (later ones win where the last source decides):");
        for (i, s) in self.sources().iter().enumerate() {
            let status = match &s.status {
                SourceStatus::Loaded => "loaded".to_owned(),
                SourceStatus::Failed(e) => format!("FAILED: {e}"),
                SourceStatus::Ignored(why) => format!("ignored: {why}"),
            };
            let _ = writeln!(out, "  {}. {}  [{status}]", i + 1, s.label);
        }
        let _ = writeln!(out, "\nKeys:");
        let width = self.entries().iter().map(|e| e.key.len()).max().unwrap_or(0);
        for e in self.entries() {
            let marker = match e.status {
                EntryStatus::Ok => String::new(),
                other => format!("  [{}]", other.label()),
            };
            let from = if e.sources.is_empty() {
                String::new()
            } else {
                format!("  (from {})", e.sources.join(", "))
            };
            let _ = writeln!(out, "  {:width$}  {}{from}{marker}", e.key, e.display);
            for m in &e.messages {
                let _ = writeln!(out, "  {:width$}    {m}", "");
            }
        }
        out
    }

    /// One line for the log at start: the state and the SHA-256 of the effective policy, so an
    /// administrator can tell which policy a session ran under.
    pub fn startup_log_line(&self) -> String {
        let loaded = self.sources().iter().filter(|s| s.status == SourceStatus::Loaded).count();
        let mut line = format!(
            "organization policy: {} ({}), {loaded} source(s) loaded, sha256 {}",
            self.state().name(),
            self.managed_by(),
            self.sha256()
        );
        if let Some(reason) = self.sending_blocked() {
            let _ = write!(line, "; lockdown: {reason}");
        }
        line
    }

    /// Writes [`Self::startup_log_line`] to standard error.
    pub fn log_startup(&self) {
        let _ = std::io::Write::write_fmt(
            &mut std::io::stderr(),
            format_args!("localpost: {}\n", self.startup_log_line()),
        );
    }
}
