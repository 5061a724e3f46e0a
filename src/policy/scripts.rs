//! The policy and scripts: whether pre-request and test scripts may run, and how long each may
//! take under one user's settings.
//!
//! The answer is a [`ScriptPermission`]; the runner turns it into its own rule
//! (`crate::runner::ScriptRule`, with the script engine's limits). The policy sits below the
//! runner and the script engine, so it names neither.

use std::time::Duration;

use super::effective::EffectivePolicy;
use super::error::PolicyViolation;
use super::parse::MIN_SCRIPT_TIMEOUT_MS;
use crate::model::Settings;

/// What the policy allows a run's scripts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptPermission {
    /// Scripts run; each is stopped after `timeout` (the user's `script_timeout_ms`, capped by
    /// `max_script_timeout_ms`).
    Run { timeout: Duration },
    /// Scripts do not run; the refusal names the key and the file that set it.
    Forbidden(PolicyViolation),
}

impl EffectivePolicy {
    /// `Ok` when scripts may run: no Lockdown, and every source that sets `allow_scripts` says
    /// `true`.
    pub fn check_scripts(&self) -> Result<(), PolicyViolation> {
        if let Some(reason) = self.sending_blocked() {
            return Err(PolicyViolation::Lockdown { action: "running scripts", reason: reason.to_owned() });
        }
        if !self.allow_scripts() {
            return Err(PolicyViolation::ScriptsForbidden { by: self.decided_by("allow_scripts") });
        }
        Ok(())
    }

    /// The deadline a script gets when the user chose `chosen_ms`: at least
    /// [`MIN_SCRIPT_TIMEOUT_MS`], at most `max_script_timeout_ms`. The one place this rule lives;
    /// [`EffectivePolicy::effective_settings`] shows its result.
    pub fn script_timeout_ms(&self, chosen_ms: u64) -> u64 {
        let ms = chosen_ms.max(MIN_SCRIPT_TIMEOUT_MS);
        self.max_script_timeout_ms().map_or(ms, |max| ms.min(max))
    }

    /// Whether a run's scripts run under `settings` (the user's or the effective ones), and for
    /// how long each may take. Ask it when a run starts.
    pub fn script_permission(&self, settings: &Settings) -> ScriptPermission {
        match self.check_scripts() {
            Ok(()) => ScriptPermission::Run {
                timeout: Duration::from_millis(self.script_timeout_ms(settings.script_timeout_ms)),
            },
            Err(refusal) => ScriptPermission::Forbidden(refusal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{SourceInput, SourceKind};

    const MACHINE: &str = "/etc/localpost/policy.ron";

    fn policy(text: &str) -> EffectivePolicy {
        let source = SourceInput::new(MACHINE, SourceKind::Machine, Ok(text.as_bytes().to_vec()));
        EffectivePolicy::from_inputs(vec![source])
    }

    fn user(script_timeout_ms: u64) -> Settings {
        Settings { script_timeout_ms, ..Settings::default() }
    }

    #[test]
    fn the_baseline_runs_scripts_for_as_long_as_the_user_chose() {
        let p = EffectivePolicy::baseline();
        assert_eq!(
            p.script_permission(&Settings::default()),
            ScriptPermission::Run { timeout: Duration::from_secs(5) }
        );
        assert_eq!(
            p.script_permission(&user(60_000)),
            ScriptPermission::Run { timeout: Duration::from_secs(60) }
        );
        // A hand-edited 0 is not "no limit": a script always has a deadline.
        assert_eq!(
            p.script_permission(&user(0)),
            ScriptPermission::Run { timeout: Duration::from_millis(1) }
        );
    }

    #[test]
    fn the_policy_caps_the_timeout() {
        let p = policy("(schema_version: 1, max_script_timeout_ms: 2000)");
        assert_eq!(
            p.script_permission(&user(60_000)),
            ScriptPermission::Run { timeout: Duration::from_secs(2) }
        );
        assert_eq!(
            p.script_permission(&user(500)),
            ScriptPermission::Run { timeout: Duration::from_millis(500) }
        );
        assert_eq!(p.effective_settings(&user(60_000)).script_timeout_ms, 2000);
    }

    #[test]
    fn forbidden_scripts_name_the_key_and_the_file() {
        let p = policy("(schema_version: 1, allow_scripts: false)");
        let ScriptPermission::Forbidden(refusal) = p.script_permission(&Settings::default()) else {
            panic!("scripts allowed")
        };
        assert_eq!(
            refusal.to_string(),
            "scripts are turned off by the organization's policy (allow_scripts is false in /etc/localpost/policy.ron)"
        );
        assert_eq!(p.check_scripts(), Err(refusal));
    }

    #[test]
    fn lockdown_turns_scripts_off_with_the_reason() {
        let p = policy("(schema_version: 1, allow_scripts: maybe)");
        assert!(p.is_lockdown());
        let ScriptPermission::Forbidden(refusal) = p.script_permission(&Settings::default()) else {
            panic!("scripts allowed in lockdown")
        };
        assert!(matches!(refusal, PolicyViolation::Lockdown { action: "running scripts", .. }), "{refusal}");
        assert!(refusal.to_string().contains(MACHINE), "{refusal}");
        assert!(!p.allow_scripts());
        assert_eq!(p.max_script_timeout_ms(), Some(MIN_SCRIPT_TIMEOUT_MS));
    }
}
