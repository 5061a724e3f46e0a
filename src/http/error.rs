//! [`SendError`]: everything that can stop a request, each with a message a user understands,
//! naming the host, file or field concerned.

use std::error::Error as StdError;

/// Which limit ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Establishing the connection (TCP and TLS).
    Connect,
    /// The whole exchange, body included.
    Total,
}

/// Why a TLS handshake failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsFailure {
    Expired,
    NotYetValid,
    /// The certificate is for another name.
    WrongHost,
    /// Signed by an authority that is not trusted (self-signed, private CA not added).
    UnknownIssuer,
    Revoked,
    /// The server asked for a client certificate, or refused the one given.
    ClientCertificate,
    /// Anything else in the handshake (protocol versions, ciphers, a malformed certificate).
    Handshake,
}

impl TlsFailure {
    fn describe(self) -> &'static str {
        match self {
            TlsFailure::Expired => "the server's certificate has expired",
            TlsFailure::NotYetValid => "the server's certificate is not valid yet",
            TlsFailure::WrongHost => "the server's certificate is for a different host name",
            TlsFailure::UnknownIssuer => {
                "the server's certificate is signed by an unknown authority (add its CA in Settings, \
                 or turn off verification for this request)"
            }
            TlsFailure::Revoked => "the server's certificate has been revoked",
            TlsFailure::ClientCertificate => "the server requires or refused the client certificate",
            TlsFailure::Handshake => "the TLS handshake failed",
        }
    }
}

/// How [`SendError::MissingVariables`]'s message starts (a run's report recognises it).
pub const MISSING_VARIABLES_PREFIX: &str = "not sent: these variables are not defined in any scope";

/// Everything that can stop a send. Messages put the user's data (host, URL, path) last.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Starts with [`MISSING_VARIABLES_PREFIX`].
    #[error("not sent: these variables are not defined in any scope: {}", braces(.names))]
    MissingVariables { names: Vec<String> },
    #[error("not sent: variables refer to each other in a loop: {}", .cycle.join(" → "))]
    VariableCycle { cycle: Vec<String> },
    #[error("invalid URL ({reason}): {url}")]
    InvalidUrl { url: String, reason: String },
    #[error("unsupported URL scheme `{scheme}` (Localpost sends http, https, ws and wss): {url}")]
    UnsupportedScheme { scheme: String, url: String },
    #[error("invalid method `{method}`: a method is letters, digits and !#$%&'*+-.^_`|~")]
    InvalidMethod { method: String },
    #[error("invalid header `{name}`: {reason}")]
    InvalidHeader { name: String, reason: String },
    #[error("invalid {field}: {reason}")]
    InvalidField { field: String, reason: String },
    #[error("cannot read the file of {role} ({reason}): {path}")]
    FileUnreadable { role: String, path: String, reason: String },
    #[error("{kind} is not supported by Localpost; choose another auth type")]
    UnsupportedAuth { kind: String },
    #[error("blocked by the organization policy: {rule}")]
    Policy { rule: String },
    #[error("cannot resolve host name {host} ({detail})")]
    Dns { host: String, detail: String },
    #[error("connection refused by {host}")]
    ConnectionRefused { host: String },
    #[error("connection reset by {host} ({detail})")]
    ConnectionReset { host: String, detail: String },
    #[error("timed out after {after_ms} ms {} {host}", phase_words(*.phase))]
    Timeout { host: String, phase: TimeoutPhase, after_ms: u64 },
    #[error("TLS failure with {host}: {} ({detail})", .kind.describe())]
    Tls { host: String, kind: TlsFailure, detail: String },
    #[error("cannot load the client certificate for {host} ({detail}): {path}")]
    ClientCertificate { host: String, path: String, detail: String },
    #[error("cannot load the CA certificates ({detail}): {path}")]
    CaFile { path: String, detail: String },
    #[error("cannot reach the proxy ({detail}): {proxy}")]
    ProxyUnreachable { proxy: String, detail: String },
    #[error("the proxy refused to forward the request ({detail}): {proxy}")]
    ProxyRefused { proxy: String, detail: String },
    #[error("invalid proxy setting ({detail}): {proxy}")]
    InvalidProxy { proxy: String, detail: String },
    #[error("the response is larger than the limit of {} ({set_by}) and was stopped: {host}", size(*.limit_bytes))]
    BodyTooLarge {
        host: String,
        limit_bytes: u64,
        /// Whose limit it is: the user's setting, or the organization's policy and its file.
        set_by: String,
    },
    #[error("more than {max} redirects; the last one pointed to {url}")]
    TooManyRedirects { max: u32, url: String },
    #[error("cannot decode the {encoding}-encoded response body ({detail}): {host}")]
    Decode { host: String, encoding: String, detail: String },
    #[error("OAuth 2.0 token request failed ({detail}): {url}")]
    OAuth { url: String, detail: String },
    #[error("cannot keep the response body in a temporary file ({detail}): {path}")]
    SpillFile { path: String, detail: String },
    #[error("connection to {host} failed ({detail})")]
    Connection { host: String, detail: String },
    #[error("cancelled")]
    Cancelled,
    #[error("internal error in the HTTP engine: {0}")]
    Internal(String),
}

impl SendError {
    /// Whether the error happened before anything went on the network (variables, URL, files,
    /// policy): nothing was sent.
    pub fn is_before_sending(&self) -> bool {
        matches!(
            self,
            SendError::MissingVariables { .. }
                | SendError::VariableCycle { .. }
                | SendError::InvalidUrl { .. }
                | SendError::UnsupportedScheme { .. }
                | SendError::InvalidMethod { .. }
                | SendError::InvalidHeader { .. }
                | SendError::InvalidField { .. }
                | SendError::FileUnreadable { .. }
                | SendError::UnsupportedAuth { .. }
                | SendError::Policy { .. }
                | SendError::ClientCertificate { .. }
                | SendError::CaFile { .. }
                | SendError::InvalidProxy { .. }
        )
    }
}

/// What is said of a request sent with variables no scope defines, written as is.
pub fn sent_as_written(names: &[String]) -> String {
    let verb = if names.len() == 1 { "is" } else { "are" };
    format!("{} {verb} not defined in any scope: sent as written", braces(names))
}

fn braces(names: &[String]) -> String {
    names.iter().map(|n| format!("{{{{{n}}}}}")).collect::<Vec<_>>().join(", ")
}

fn phase_words(phase: TimeoutPhase) -> &'static str {
    match phase {
        TimeoutPhase::Connect => "connecting to",
        TimeoutPhase::Total => "waiting for",
    }
}

/// `1.5 MiB`, `512 bytes`.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    #[allow(clippy::cast_precision_loss)] // a displayed size
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if (value - value.round()).abs() < 0.05 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Where an error came from, to word the message (texts are made only when an error happens).
pub(crate) struct ErrorSite<'a> {
    pub url: &'a url::Url,
    /// The proxy in use for this URL, if any.
    pub proxy: Option<&'a url::Url>,
    pub connect_timeout_ms: u64,
    pub total_timeout_ms: u64,
}

impl ErrorSite<'_> {
    /// `host:port` of the target.
    pub fn host(&self) -> String {
        host_port(self.url)
    }

    /// The proxy without its credentials.
    fn proxy_text(&self) -> Option<String> {
        self.proxy.map(|url| {
            let mut shown = url.clone();
            let _ = shown.set_username("");
            let _ = shown.set_password(None);
            shown.to_string()
        })
    }
}

/// `host:port` of a URL, for messages.
pub(crate) fn host_port(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Turns a transport error (reqwest, hyper, io, rustls, in any nesting) into a [`SendError`].
pub(crate) fn classify(err: &(dyn StdError + 'static), site: &ErrorSite<'_>) -> SendError {
    let host = site.host();
    let proxy_text = site.proxy_text();
    let proxy_text = proxy_text.as_deref();
    let chain = chain_text(err);
    let mut is_connect = false;
    let mut is_timeout = false;
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        // The policy's resolver refused an address: a refusal, not a network failure.
        if let Some(refusal) = e.downcast_ref::<super::guard::Refusal>() {
            return refusal.clone().into();
        }
        if let Some(re) = e.downcast_ref::<reqwest::Error>() {
            is_connect |= re.is_connect();
            is_timeout |= re.is_timeout();
        }
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return tls_error(tls, host, &chain);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(tls) = io.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
                return tls_error(tls, host, &chain);
            }
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return match proxy_text {
                        Some(proxy) if is_connect => SendError::ProxyUnreachable {
                            proxy: proxy.to_owned(),
                            detail: "connection refused".into(),
                        },
                        _ => SendError::ConnectionRefused { host },
                    };
                }
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    return SendError::ConnectionReset { host, detail: chain };
                }
                std::io::ErrorKind::TimedOut => is_timeout = true,
                _ => {}
            }
        }
        if e.downcast_ref::<tokio::time::error::Elapsed>().is_some() {
            is_timeout = true;
        }
        cur = next_in_chain(e);
    }
    if is_timeout {
        let (phase, after_ms) = if is_connect {
            (TimeoutPhase::Connect, site.connect_timeout_ms)
        } else {
            (TimeoutPhase::Total, site.total_timeout_ms)
        };
        return SendError::Timeout { host, phase, after_ms };
    }
    let lower = chain.to_lowercase();
    if let Some(proxy) = proxy_text
        && (lower.contains("tunnel") || lower.contains("proxy authorization required"))
    {
        return SendError::ProxyRefused { proxy: proxy.to_owned(), detail: chain };
    }
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        if let Some(proxy) = proxy_text {
            return SendError::ProxyUnreachable { proxy: proxy.to_owned(), detail: chain };
        }
        return SendError::Dns { host: host_only(&host), detail: last_cause(err) };
    }
    if lower.contains("connection reset") || lower.contains("broken pipe") {
        return SendError::ConnectionReset { host, detail: chain };
    }
    if lower.contains("incomplete") || lower.contains("connection closed") || lower.contains("unexpected eof")
    {
        return SendError::ConnectionReset {
            host,
            detail: format!("the connection closed before the response was complete: {chain}"),
        };
    }
    if is_connect && let Some(proxy) = proxy_text {
        return SendError::ProxyUnreachable { proxy: proxy.to_owned(), detail: chain };
    }
    SendError::Connection { host, detail: chain }
}

fn tls_error(err: &rustls::Error, host: String, chain: &str) -> SendError {
    use rustls::CertificateError as C;
    let kind = match err {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::Expired | C::ExpiredContext { .. } => TlsFailure::Expired,
            C::NotValidYet | C::NotValidYetContext { .. } => TlsFailure::NotYetValid,
            C::NotValidForName | C::NotValidForNameContext { .. } => TlsFailure::WrongHost,
            C::UnknownIssuer => TlsFailure::UnknownIssuer,
            C::Revoked => TlsFailure::Revoked,
            _ => TlsFailure::Handshake,
        },
        rustls::Error::NoCertificatesPresented => TlsFailure::ClientCertificate,
        rustls::Error::AlertReceived(alert) => {
            let text = format!("{alert:?}");
            if text.contains("Certificate") { TlsFailure::ClientCertificate } else { TlsFailure::Handshake }
        }
        _ => TlsFailure::Handshake,
    };
    SendError::Tls { host, kind, detail: chain.to_owned() }
}

/// The host without the port.
fn host_only(host_port: &str) -> String {
    if host_port.starts_with('[') {
        return host_port.split(']').next().map(|h| format!("{h}]")).unwrap_or_default();
    }
    host_port.rsplit_once(':').map_or(host_port, |(h, _)| h).to_owned()
}

/// The messages of the error chain, without repeats, joined by `: `.
fn chain_text(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = next_in_chain(e);
    }
    // The outermost reqwest message repeats the URL, which the caller already names.
    if parts.len() > 1 && parts[0].starts_with("error sending request") {
        parts.remove(0);
    }
    parts.join(": ")
}

/// The next error in a chain; looks inside an `io::Error` wrapping another error (whose
/// `source()` would skip the wrapped error itself).
fn next_in_chain<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    if let Some(io) = e.downcast_ref::<std::io::Error>()
        && let Some(inner) = io.get_ref()
    {
        return Some(inner);
    }
    e.source()
}

fn last_cause(err: &(dyn StdError + 'static)) -> String {
    let mut cur = err;
    while let Some(next) = next_in_chain(cur) {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_failed() {
        let e = SendError::MissingVariables { names: vec!["host".into(), "token".into()] };
        assert_eq!(
            e.to_string(),
            "not sent: these variables are not defined in any scope: {{host}}, {{token}}"
        );
        assert!(e.to_string().starts_with(MISSING_VARIABLES_PREFIX));
        let e = SendError::BodyTooLarge {
            host: "api.test:443".into(),
            limit_bytes: 1024 * 1024 * 1024,
            set_by: "Settings → Largest response kept".into(),
        };
        assert_eq!(
            e.to_string(),
            "the response is larger than the limit of 1 GiB (Settings → Largest response kept) and was stopped: api.test:443"
        );
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(host_only("[::1]:80"), "[::1]");
        assert_eq!(host_only("example.com:443"), "example.com");
    }
}
