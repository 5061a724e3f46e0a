//! The policy hook: what the engine asks before it opens any connection.
//!
//! The engine holds an `Arc<dyn SendGuard>` ([`crate::http::Engine::set_guard`]) and consults it
//! before every connection it makes: the request itself, every redirect hop, every digest retry
//! and every OAuth 2.0 token fetch. A refusal ends the send with
//! [`crate::http::SendError::Policy`] before anything touches the network.

/// A connection the guard refuses: the rule that refuses it, in words. It ends the send as
/// [`crate::http::SendError::Policy`]; the resolver carries it through reqwest's error chain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{rule}")]
pub struct Refusal {
    pub rule: String,
}

impl From<Refusal> for crate::http::SendError {
    fn from(refusal: Refusal) -> Self {
        crate::http::SendError::Policy { rule: refusal.rule }
    }
}

/// Answers the organization policy's questions. Implementations must be cheap: they run on
/// every hop of every request.
pub trait SendGuard: Send + Sync {
    /// Refuses, or allows, a connection to `url`.
    fn check_url(&self, url: &url::Url) -> Result<(), Refusal>;

    /// Refuses, or allows, a connection to `ip`, an address `host` resolved to (see
    /// [`crate::http::resolve`]).
    fn check_address(&self, host: &str, ip: std::net::IpAddr) -> Result<(), Refusal> {
        let _ = (host, ip);
        Ok(())
    }

    /// Whether any rule is about addresses (so resolving a name can matter).
    fn has_address_rules(&self) -> bool {
        false
    }

    /// Whether a request may turn TLS certificate verification off. When `false`, a request
    /// asking for it is refused (rather than silently verified).
    fn allow_tls_bypass(&self) -> bool;

    /// Why turning verification off is refused, naming the rule (when it is refused).
    fn tls_bypass_refusal(&self) -> String {
        "TLS certificate verification cannot be turned off".to_owned()
    }

    /// A ceiling on response bodies; the smaller of this and the user's setting applies.
    fn max_response_size_bytes(&self) -> Option<u64>;

    /// Who set that ceiling, for the message when a response reaches it.
    fn max_response_size_rule(&self) -> String {
        "the organization policy".to_owned()
    }

    /// `Some(reason)` refuses every send (a lockdown).
    fn sending_blocked(&self) -> Option<String>;
}

/// The default guard: no policy, everything allowed.
#[derive(Clone, Copy, Debug, Default)]
pub struct AllowAll;

impl SendGuard for AllowAll {
    fn check_url(&self, _url: &url::Url) -> Result<(), Refusal> {
        Ok(())
    }

    fn allow_tls_bypass(&self) -> bool {
        true
    }

    fn max_response_size_bytes(&self) -> Option<u64> {
        None
    }

    fn sending_blocked(&self) -> Option<String> {
        None
    }
}
