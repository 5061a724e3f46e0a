//! Name resolution under the policy. Every address a host name resolves to is checked against
//! the address rules of `blocked_hosts` (`127.0.0.0/8`, `169.254.169.254`) before any connection,
//! so no name (`localhost`, an `/etc/hosts` alias, a DNS record pointing inside) reaches an
//! address that is blocked by number. The clients resolve through [`GuardedResolver`], so every
//! hop (redirects, digest retries, token fetches) is checked.
//!
//! Behind an HTTP proxy the proxy resolves the target, not Localpost; the engine then resolves the
//! target name itself first ([`check_name`]) and refuses when an address it gets is blocked. A
//! name this computer cannot resolve (only the proxy can) is checked by name only.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::guard::{Refusal, SendGuard};

/// Resolves as the system does, then asks the guard about every address.
pub(crate) struct GuardedResolver {
    guard: Arc<dyn SendGuard>,
}

impl GuardedResolver {
    pub fn new(guard: Arc<dyn SendGuard>) -> Self {
        Self { guard }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = Arc::clone(&self.guard);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = lookup(&host).await?;
            check_all(&*guard, &host, &addrs)?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

async fn lookup(host: &str) -> std::io::Result<Vec<SocketAddr>> {
    Ok(tokio::net::lookup_host((host, 0)).await?.collect())
}

fn check_all(guard: &dyn SendGuard, host: &str, addrs: &[SocketAddr]) -> Result<(), Refusal> {
    for addr in addrs {
        guard.check_address(host, addr.ip())?;
    }
    Ok(())
}

/// For a request that goes through a proxy: resolves `host` here and refuses it when an address
/// is blocked (see the module doc). A host that is an address, or has no address rule to meet,
/// is not looked up.
pub(crate) async fn check_name(guard: &dyn SendGuard, host: &str) -> Result<(), Refusal> {
    if !guard.has_address_rules()
        || host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok()
    {
        return Ok(());
    }
    match lookup(host).await {
        Ok(addrs) => check_all(guard, host, &addrs),
        Err(_) => Ok(()),
    }
}
