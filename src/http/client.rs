//! The reqwest clients the engine sends with, one per TLS setup (verification on or off, which
//! client certificate), built lazily from [`Settings`] and reused (keep-alive pools).
//!
//! Redirects, cookies and decompression are off in reqwest: the engine does them itself so it
//! can record each hop, ask the guard before each connection and keep the wire size.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::error::SendError;
use super::guard::SendGuard;
use super::resolve::GuardedResolver;
use crate::model::{ClientCertificate, ProxySetting, Settings};

/// Which client a request needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ClientKey {
    pub verify_tls: bool,
    /// Index into `Settings::client_certificates`.
    pub certificate: Option<usize>,
}

/// Where requests go: straight, or through a proxy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ProxyRoute {
    http: Option<Url>,
    https: Option<Url>,
    no_proxy: Vec<String>,
}

impl ProxyRoute {
    /// From the settings; `env` looks up environment variables (for [`ProxySetting::System`]).
    pub fn from_setting(
        setting: &ProxySetting,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, SendError> {
        let parse = |raw: &str| -> Result<Option<Url>, SendError> {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(None);
            }
            let with_scheme = if raw.contains("://") { raw.to_owned() } else { format!("http://{raw}") };
            let url = Url::parse(&with_scheme)
                .map_err(|e| SendError::InvalidProxy { proxy: raw.to_owned(), detail: e.to_string() })?;
            if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
                return Err(SendError::InvalidProxy {
                    proxy: raw.to_owned(),
                    detail: format!("unsupported proxy scheme {}", url.scheme()),
                });
            }
            Ok(Some(url))
        };
        let list =
            |s: &str| s.split(',').map(|p| p.trim().to_ascii_lowercase()).filter(|p| !p.is_empty()).collect();
        match setting {
            ProxySetting::None => Ok(Self::default()),
            ProxySetting::Manual { url, username, password, no_proxy } => {
                let mut proxy = parse(url)?;
                if let Some(p) = proxy.as_mut()
                    && !username.is_empty()
                {
                    let _ = p.set_username(username);
                    let _ = p.set_password(Some(password).filter(|p| !p.is_empty()).map(String::as_str));
                }
                Ok(Self { http: proxy.clone(), https: proxy, no_proxy: list(no_proxy) })
            }
            ProxySetting::System => {
                let var = |name: &str| {
                    env(name).or_else(|| env(&name.to_ascii_lowercase())).filter(|v| !v.is_empty())
                };
                let all = var("ALL_PROXY");
                let http = var("HTTP_PROXY").or_else(|| all.clone());
                let https = var("HTTPS_PROXY").or(all);
                Ok(Self {
                    http: http.as_deref().map(parse).transpose()?.flatten(),
                    https: https.as_deref().map(parse).transpose()?.flatten(),
                    no_proxy: var("NO_PROXY").map(|s| list(&s)).unwrap_or_default(),
                })
            }
        }
    }

    pub fn is_direct(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// The proxy for `url`, if it is not bypassed.
    pub fn proxy_for(&self, url: &Url) -> Option<&Url> {
        let proxy = match url.scheme() {
            "https" => self.https.as_ref(),
            _ => self.http.as_ref(),
        }?;
        let host =
            url.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let bypass =
            self.no_proxy.iter().any(|rule| no_proxy_matches(rule, &host, url.port_or_known_default()));
        (!bypass).then_some(proxy)
    }
}

/// One `NO_PROXY` entry: `*`, a host, `.domain` or `domain` (subdomains too), `host:port`,
/// an IP address or a CIDR block.
fn no_proxy_matches(rule: &str, host: &str, port: Option<u16>) -> bool {
    if rule == "*" {
        return true;
    }
    let (rule_host, rule_port) = match rule.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') && p.parse::<u16>().is_ok() => (h, p.parse::<u16>().ok()),
        _ => (rule, None),
    };
    if rule_port.is_some() && rule_port != port {
        return false;
    }
    let rule_host = rule_host.trim_start_matches('[').trim_end_matches(']');
    if let Some((net, bits)) = rule_host.split_once('/')
        && let (Ok(net), Ok(bits), Ok(ip)) =
            (net.parse::<IpAddr>(), bits.parse::<u32>(), host.parse::<IpAddr>())
    {
        return in_cidr(ip, net, bits);
    }
    let domain = rule_host.trim_start_matches('*').trim_start_matches('.');
    host == domain || (host.ends_with(domain) && host[..host.len() - domain.len()].ends_with('.'))
}

fn in_cidr(ip: IpAddr, net: IpAddr, bits: u32) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) if bits <= 32 => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) if bits <= 128 => {
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// Whether a client-certificate host pattern (`api.example.com`, `*.corp.example`,
/// `host:port`) applies to `url`.
pub(crate) fn certificate_matches(pattern: &str, url: &Url) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    if pattern.is_empty() {
        return false;
    }
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let (pat_host, pat_port) = match pattern.rsplit_once(':') {
        Some((h, p)) if p.parse::<u16>().is_ok() => (h.to_owned(), p.parse::<u16>().ok()),
        _ => (pattern.clone(), None),
    };
    if pat_port.is_some() && pat_port != url.port_or_known_default() {
        return false;
    }
    match pat_host.strip_prefix("*.") {
        Some(domain) => host.ends_with(&format!(".{domain}")),
        None => host == pat_host,
    }
}

/// The client certificate configured for `url`, if any: the first matching entry.
pub(crate) fn certificate_for(settings: &Settings, url: &Url) -> Option<usize> {
    settings.client_certificates.iter().position(|c| certificate_matches(&c.host, url))
}

/// PEM (certificate chain and key) for reqwest's rustls identity.
pub(crate) fn identity_pem(cert: &ClientCertificate) -> Result<Vec<u8>, SendError> {
    let fail = |path: &str, detail: String| SendError::ClientCertificate {
        host: cert.host.clone(),
        path: path.to_owned(),
        detail,
    };
    if !cert.pkcs12_file.is_empty() {
        let der = std::fs::read(&cert.pkcs12_file).map_err(|e| fail(&cert.pkcs12_file, e.to_string()))?;
        let store = p12_keystore::KeyStore::from_pkcs12(
            &der,
            &cert.passphrase,
            p12_keystore::Pkcs12ImportPolicy::default(),
        )
        .map_err(|e| {
            fail(&cert.pkcs12_file, format!("not a readable PKCS#12 file or wrong passphrase: {e}"))
        })?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| fail(&cert.pkcs12_file, "the file holds no private key".into()))?;
        let mut pem = String::new();
        for c in chain.certs() {
            pem.push_str(&pem_block("CERTIFICATE", c.as_der()));
        }
        pem.push_str(&pem_block("PRIVATE KEY", chain.key().as_der()));
        return Ok(pem.into_bytes());
    }
    if cert.cert_file.is_empty() || cert.key_file.is_empty() {
        return Err(fail(
            &cert.cert_file,
            "a certificate file and a key file (or a PKCS#12 file) are needed".into(),
        ));
    }
    let mut pem = std::fs::read(&cert.cert_file).map_err(|e| fail(&cert.cert_file, e.to_string()))?;
    pem.push(b'\n');
    pem.extend(std::fs::read(&cert.key_file).map_err(|e| fail(&cert.key_file, e.to_string()))?);
    Ok(pem)
}

fn pem_block(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Builds a client for `key`.
pub(crate) fn build_client(
    settings: &Settings,
    route: &Arc<ProxyRoute>,
    guard: &Arc<dyn SendGuard>,
    key: ClientKey,
) -> Result<reqwest::Client, SendError> {
    let mut builder = reqwest::Client::builder()
        // Every address a name resolves to meets the policy's address rules first.
        .dns_resolver(Arc::new(GuardedResolver::new(Arc::clone(guard))))
        .redirect(reqwest::redirect::Policy::none())
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .no_zstd()
        .referer(false)
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true)
        .tls_version_min(match settings.min_tls_version {
            crate::model::MinTls::Tls1_2 => reqwest::tls::Version::TLS_1_2,
            crate::model::MinTls::Tls1_3 => reqwest::tls::Version::TLS_1_3,
        });
    if settings.connect_timeout_ms > 0 {
        builder = builder.connect_timeout(Duration::from_millis(settings.connect_timeout_ms));
    }
    if route.is_direct() {
        builder = builder.no_proxy();
    } else {
        let route = Arc::clone(route);
        builder = builder.proxy(reqwest::Proxy::custom(move |url| route.proxy_for(url).cloned()));
    }
    if !settings.extra_ca_files.is_empty() {
        let mut certs = Vec::new();
        for path in &settings.extra_ca_files {
            let pem = std::fs::read(path)
                .map_err(|e| SendError::CaFile { path: path.clone(), detail: e.to_string() })?;
            let found = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| SendError::CaFile { path: path.clone(), detail: e.to_string() })?;
            if found.is_empty() {
                return Err(SendError::CaFile {
                    path: path.clone(),
                    detail: "no PEM certificate in the file".into(),
                });
            }
            certs.extend(found);
        }
        builder = builder.tls_certs_merge(certs);
    }
    if let Some(index) = key.certificate
        && let Some(cert) = settings.client_certificates.get(index)
    {
        let pem = identity_pem(cert)?;
        let identity = reqwest::Identity::from_pem(&pem).map_err(|e| SendError::ClientCertificate {
            host: cert.host.clone(),
            path: if cert.pkcs12_file.is_empty() { cert.cert_file.clone() } else { cert.pkcs12_file.clone() },
            detail: format!("not a usable certificate and key: {e}"),
        })?;
        builder = builder.identity(identity);
    }
    if !key.verify_tls {
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    builder.build().map_err(|e| SendError::Internal(format!("cannot build the HTTP client: {e}")))
}

/// Clients by key, rebuilt when the settings change.
#[derive(Default)]
pub(crate) struct ClientCache {
    clients: HashMap<ClientKey, reqwest::Client>,
}

impl ClientCache {
    pub fn get(
        &mut self,
        settings: &Settings,
        route: &Arc<ProxyRoute>,
        guard: &Arc<dyn SendGuard>,
        key: ClientKey,
    ) -> Result<reqwest::Client, SendError> {
        if let Some(client) = self.clients.get(&key) {
            return Ok(client.clone());
        }
        let client = build_client(settings, route, guard, key)?;
        self.clients.insert(key, client.clone());
        Ok(client)
    }

    pub fn clear(&mut self) {
        self.clients.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn system_proxy_variables_and_no_proxy() {
        let env = |name: &str| match name {
            "HTTP_PROXY" => Some("proxy.local:3128".to_owned()),
            "https_proxy" => Some("http://secure.local:8443".to_owned()),
            "NO_PROXY" => Some("localhost, .internal.test,10.0.0.0/8, api.test:8080".to_owned()),
            _ => None,
        };
        let route = ProxyRoute::from_setting(&ProxySetting::System, env).unwrap();
        assert_eq!(
            route.proxy_for(&url("http://example.com/")).unwrap().as_str(),
            "http://proxy.local:3128/"
        );
        assert_eq!(
            route.proxy_for(&url("https://example.com/")).unwrap().as_str(),
            "http://secure.local:8443/"
        );
        assert!(route.proxy_for(&url("http://localhost:9/")).is_none());
        assert!(route.proxy_for(&url("http://a.internal.test/")).is_none());
        assert!(route.proxy_for(&url("http://internal.test/")).is_none());
        assert!(route.proxy_for(&url("http://10.1.2.3/")).is_none());
        assert!(route.proxy_for(&url("http://api.test:8080/")).is_none());
        assert!(route.proxy_for(&url("http://api.test:9090/")).is_some());
        assert!(route.proxy_for(&url("http://notinternal.test/")).is_some());
    }

    #[test]
    fn manual_proxy_with_credentials_and_none() {
        let setting = ProxySetting::Manual {
            url: "http://p.local:8080".into(),
            username: "u".into(),
            password: "p w".into(),
            no_proxy: "*.skip".into(),
        };
        let route = ProxyRoute::from_setting(&setting, |_| None).unwrap();
        assert_eq!(route.proxy_for(&url("https://x/")).unwrap().as_str(), "http://u:p%20w@p.local:8080/");
        assert!(ProxyRoute::from_setting(&ProxySetting::None, |_| None).unwrap().is_direct());
        let bad = ProxySetting::Manual {
            url: "ftp://p".into(),
            username: String::new(),
            password: String::new(),
            no_proxy: String::new(),
        };
        assert!(matches!(ProxyRoute::from_setting(&bad, |_| None), Err(SendError::InvalidProxy { .. })));
    }

    #[test]
    fn certificate_host_patterns() {
        assert!(certificate_matches("api.test", &url("https://API.test/x")));
        assert!(certificate_matches("*.corp.test", &url("https://a.corp.test/")));
        assert!(!certificate_matches("*.corp.test", &url("https://corp.test/")));
        assert!(certificate_matches("h:8443", &url("https://h:8443/")));
        assert!(!certificate_matches("h:8443", &url("https://h/")));
    }
}
