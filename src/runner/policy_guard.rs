//! The policy as the engine's [`SendGuard`]: every connection the engine opens (the request,
//! each redirect hop, digest retries, OAuth 2.0 token fetches) asks the effective policy first.
//! Here, where the two meet (the runner, the app and the CLI all send under the policy): `http`
//! and `policy` sit side by side and know nothing of each other.

use crate::http::guard::{Refusal, SendGuard};
use crate::policy::EffectivePolicy;

impl SendGuard for EffectivePolicy {
    fn check_url(&self, url: &url::Url) -> Result<(), Refusal> {
        EffectivePolicy::check_url(self, url).map_err(|violation| Refusal { rule: violation.to_string() })
    }

    fn check_address(&self, host: &str, ip: std::net::IpAddr) -> Result<(), Refusal> {
        self.check_resolved_ip(ip)
            .map_err(|violation| Refusal { rule: format!("{host} resolves to {ip}: {violation}") })
    }

    fn has_address_rules(&self) -> bool {
        EffectivePolicy::has_address_rules(self)
    }

    fn allow_tls_bypass(&self) -> bool {
        self.allows_tls_bypass()
    }

    fn tls_bypass_refusal(&self) -> String {
        self.check_tls_bypass(false).err().map_or_else(String::new, |violation| violation.to_string())
    }

    fn max_response_size_bytes(&self) -> Option<u64> {
        EffectivePolicy::max_response_size_bytes(self)
    }

    fn max_response_size_rule(&self) -> String {
        format!(
            "{}: max_response_size_bytes in {}",
            self.managed_by(),
            self.decided_by("max_response_size_bytes")
        )
    }

    fn sending_blocked(&self) -> Option<String> {
        EffectivePolicy::sending_blocked(self).map(|reason| format!("sending requests is blocked: {reason}"))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::policy::{SourceInput, SourceKind};

    fn policy(text: &str) -> EffectivePolicy {
        let machine =
            SourceInput::new("/etc/localpost/policy.ron", SourceKind::Machine, Ok(text.as_bytes().to_vec()));
        EffectivePolicy::from_inputs(vec![machine])
    }

    #[test]
    fn the_guard_names_the_blocking_rule() {
        let guard: Arc<dyn SendGuard> =
            Arc::new(policy("(schema_version: 1, blocked_hosts: [\"*.internal\"])"));
        let url = url::Url::parse("https://db.internal/x").unwrap();
        let message = guard.check_url(&url).unwrap_err().rule;
        assert!(message.contains("db.internal") && message.contains("*.internal"), "{message}");
        assert!(guard.check_url(&url::Url::parse("http://127.0.0.1:1/").unwrap()).is_ok());
    }
}
