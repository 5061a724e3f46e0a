//! Opening one WebSocket connection: policy checks, TCP (straight or through an HTTP `CONNECT`
//! tunnel), TLS, and the upgrade with cookies, all within the request's timeout.

use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::error::{Error as WsError, ProtocolError, SubProtocolError};
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use url::Url;

use super::WsOptions;
use crate::http::engine::Engine;
use crate::http::error::{ErrorSite, SendError, classify, host_port};
use crate::http::guard::SendGuard;
use crate::http::prepare::PreparedRequest;

/// The byte stream under the WebSocket: TCP, or TLS over TCP.
pub(super) trait Transport: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Transport for T {}

pub(super) type Socket = WebSocketStream<Box<dyn Transport>>;

/// An open connection and what the server answered.
pub(super) struct Opened {
    pub socket: Socket,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub protocol: Option<String>,
    pub handshake: Duration,
}

/// Why a connection did not open, in words naming the host; `retry` is false for refusals
/// that would fail again the same way (policy, settings, a bad URL).
#[derive(Debug)]
pub(super) struct Failure {
    pub message: String,
    pub retry: bool,
}

impl Failure {
    fn fatal(message: impl Into<String>) -> Self {
        Self { message: message.into(), retry: false }
    }

    fn transient(message: impl Into<String>) -> Self {
        Self { message: message.into(), retry: true }
    }
}

impl From<SendError> for Failure {
    fn from(e: SendError) -> Self {
        let retry = !e.is_before_sending();
        Self { message: e.to_string(), retry }
    }
}

/// How far the connection got, for the timeout's message.
#[derive(Clone, Copy)]
enum Stage {
    Connecting,
    Tls,
    Upgrade,
}

/// `ws` as `http` and `wss` as `https`: for the proxy route and the cookie jar.
pub(super) fn http_equivalent(url: &Url) -> Url {
    let mut out = url.clone();
    let _ = match url.scheme() {
        "wss" => out.set_scheme("https"),
        _ => out.set_scheme("http"),
    };
    out
}

/// Checks and opens one connection.
pub(super) async fn open(
    engine: &Engine,
    prepared: &PreparedRequest,
    options: &WsOptions,
) -> Result<Opened, Failure> {
    let crate::http::engine::WsContext { settings, route, guard, cookies: jars } = engine.ws_context();
    let url = &prepared.url;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(Failure::fatal(format!(
            "not a WebSocket URL: use ws:// or wss://, not {}://: {url}",
            url.scheme()
        )));
    }
    if let Some(reason) = guard.sending_blocked() {
        return Err(SendError::Policy { rule: reason }.into());
    }
    guard.check_url(url).map_err(SendError::from)?;
    let verify_tls = prepared.settings.verify_tls.unwrap_or(settings.verify_tls);
    if !verify_tls && !guard.allow_tls_bypass() {
        return Err(SendError::Policy { rule: guard.tls_bypass_refusal() }.into());
    }
    let route = route?;
    let http_url = http_equivalent(url);
    let proxy = route.proxy_for(&http_url).cloned();
    let timeout_ms = match prepared.settings.timeout_ms.unwrap_or(settings.request_timeout_ms) {
        0 if settings.connect_timeout_ms > 0 => settings.connect_timeout_ms,
        0 => 30_000,
        ms => ms,
    };
    let site = ErrorSite {
        url,
        proxy: proxy.as_ref(),
        connect_timeout_ms: timeout_ms,
        total_timeout_ms: timeout_ms,
    };
    let mut stage = Stage::Connecting;
    let started = Instant::now();
    let steps = async {
        let tcp = match &proxy {
            Some(proxy) => {
                crate::http::resolve::check_name(&*guard, url.host_str().unwrap_or(""))
                    .await
                    .map_err(SendError::from)?;
                tunnel(proxy, url).await?
            }
            None => direct(&*guard, url, &site).await?,
        };
        let transport: Box<dyn Transport> = if url.scheme() == "wss" {
            stage = Stage::Tls;
            Box::new(tls(&settings, url, verify_tls, tcp, &site).await?)
        } else {
            Box::new(tcp)
        };
        stage = Stage::Upgrade;
        let cookie = jars.header_for(prepared.workspace, &http_url);
        upgrade(prepared, options, cookie, guard.max_response_size_bytes(), transport, &site).await
    };
    let result = tokio::time::timeout(Duration::from_millis(timeout_ms), steps).await;
    let host = host_port(url);
    let seconds = (timeout_ms as f64 / 1000.0).to_string();
    let mut opened = match result {
        Ok(result) => result?,
        Err(_) => {
            return Err(Failure::transient(match stage {
                Stage::Connecting => format!("could not connect within {seconds} s to {host}"),
                Stage::Tls => format!("{host} did not finish the TLS handshake within {seconds} s"),
                Stage::Upgrade => format!("{host} did not answer the WebSocket upgrade within {seconds} s"),
            }));
        }
    };
    opened.handshake = started.elapsed();
    let set_cookies: Vec<&str> = opened
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .collect();
    jars.store(prepared.workspace, &http_url, &set_cookies);
    Ok(opened)
}

/// A TCP connection to the target, every address it resolves to checked by the guard first.
async fn direct(guard: &dyn SendGuard, url: &Url, site: &ErrorSite<'_>) -> Result<TcpStream, Failure> {
    let host = url.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']').to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let addrs: Vec<_> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| Failure::transient(format!("cannot find the address of {host}: {e}")))?
        .collect();
    for addr in &addrs {
        guard.check_address(&host, addr.ip()).map_err(SendError::from)?;
    }
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(tcp) => {
                let _ = tcp.set_nodelay(true);
                return Ok(tcp);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e) => classify(&e, site).into(),
        None => Failure::transient(format!("{host} has no address")),
    })
}

/// A TCP connection to the target through an HTTP proxy's `CONNECT` tunnel.
async fn tunnel(proxy: &Url, url: &Url) -> Result<TcpStream, Failure> {
    let shown = {
        let mut shown = proxy.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        shown.to_string()
    };
    if proxy.scheme() != "http" {
        return Err(Failure::fatal(format!(
            "WebSocket connections go through HTTP proxies only, not {}: {shown}",
            proxy.scheme()
        )));
    }
    let proxy_host = proxy.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']');
    let proxy_port = proxy.port_or_known_default().unwrap_or(80);
    let mut tcp = TcpStream::connect((proxy_host, proxy_port))
        .await
        .map_err(|e| Failure::transient(format!("cannot reach the proxy ({e}): {shown}")))?;
    let _ = tcp.set_nodelay(true);
    let target = host_port(url);
    let mut head = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if !proxy.username().is_empty() {
        use base64::Engine as _;
        let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
        let user = decode(proxy.username());
        let pass = decode(proxy.password().unwrap_or(""));
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        head.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    head.push_str("\r\n");
    let io = |e: std::io::Error| {
        Failure::transient(format!("the proxy closed the tunnel to {target} ({e}): {shown}"))
    };
    tcp.write_all(head.as_bytes()).await.map_err(io)?;
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        if answer.len() > 16 * 1024 {
            return Err(Failure::transient(format!("the proxy's answer to CONNECT is too long: {shown}")));
        }
        if tcp.read(&mut byte).await.map_err(io)? == 0 {
            return Err(io(std::io::ErrorKind::UnexpectedEof.into()));
        }
        answer.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&answer);
    let status_line = text.lines().next().unwrap_or("").trim().to_owned();
    let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0);
    if !(200..300).contains(&status) {
        return Err(Failure {
            message: format!("the proxy refused the tunnel to {target} ({status_line}): {shown}"),
            retry: status != 407,
        });
    }
    Ok(tcp)
}

async fn tls(
    settings: &crate::model::Settings,
    url: &Url,
    verify_tls: bool,
    tcp: TcpStream,
    site: &ErrorSite<'_>,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, Failure> {
    let config = {
        let settings = settings.clone();
        let url = url.clone();
        tokio::task::spawn_blocking(move || super::tls::client_config(&settings, &url, verify_tls))
            .await
            .map_err(|e| Failure::fatal(format!("cannot set up TLS: {e}")))??
    };
    let host = url.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']').to_owned();
    let name = rustls::pki_types::ServerName::try_from(host.clone())
        .map_err(|e| Failure::fatal(format!("not a valid TLS server name ({e}): {host}")))?;
    tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| classify(&e, site).into())
}

/// Header names the WebSocket handshake sets itself.
fn handshake_owned(name: &str) -> bool {
    const OWNED: &[&str] = &[
        "host",
        "connection",
        "upgrade",
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-extensions",
        "content-length",
        "transfer-encoding",
    ];
    OWNED.iter().any(|o| name.eq_ignore_ascii_case(o))
}

/// Sends the upgrade request and reads the answer.
async fn upgrade(
    prepared: &PreparedRequest,
    options: &WsOptions,
    jar_cookie: Option<String>,
    policy_max: Option<u64>,
    transport: Box<dyn Transport>,
    site: &ErrorSite<'_>,
) -> Result<Opened, Failure> {
    let url = &prepared.url;
    let host = host_port(url);
    let mut target = url.clone();
    let _ = target.set_username("");
    let _ = target.set_password(None);
    target.set_fragment(None);
    let mut request = target
        .as_str()
        .into_client_request()
        .map_err(|e| Failure::fatal(format!("not a valid WebSocket URL ({e}): {target}")))?;
    let headers = request.headers_mut();
    for header in prepared.headers.iter().filter(|h| !handshake_owned(&h.name)) {
        let name = HeaderName::from_bytes(header.name.trim().as_bytes())
            .map_err(|_| Failure::fatal(format!("not a valid header name: {}", header.name)))?;
        let value = HeaderValue::from_str(&header.value).map_err(|_| {
            Failure::fatal(format!("the value of the header {} is not valid in HTTP", header.name))
        })?;
        headers.append(name, value);
    }
    if !options.subprotocols.is_empty() && !headers.contains_key("sec-websocket-protocol") {
        let joined = options.subprotocols.iter().map(|s| s.trim()).collect::<Vec<_>>().join(", ");
        let value = HeaderValue::from_str(&joined)
            .map_err(|_| Failure::fatal(format!("not a valid subprotocol list: {joined}")))?;
        headers.insert("sec-websocket-protocol", value);
    }
    if let Some(jar) = jar_cookie {
        let merged = match headers.get("cookie").and_then(|v| v.to_str().ok()) {
            Some(own) if !own.trim().is_empty() => format!("{own}; {jar}"),
            _ => jar,
        };
        if let Ok(value) = HeaderValue::from_str(&merged) {
            headers.insert("cookie", value);
        }
    }
    let max = options.max_message_bytes.max(1);
    // The policy's ceiling on responses caps messages too.
    let max = match policy_max {
        Some(ceiling) => max.min(usize::try_from(ceiling).unwrap_or(usize::MAX)),
        None => max,
    };
    let config = WebSocketConfig::default().max_message_size(Some(max)).max_frame_size(Some(max));
    match tokio_tungstenite::client_async_with_config(request, transport, Some(config)).await {
        Ok((socket, response)) => Ok(Opened {
            socket,
            status: response.status().as_u16(),
            headers: response
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
            protocol: response
                .headers()
                .get("sec-websocket-protocol")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            handshake: Duration::ZERO,
        }),
        Err(e) => Err(upgrade_failure(e, &host, &options.subprotocols, site)),
    }
}

/// The upgrade's failure in words.
fn upgrade_failure(e: WsError, host: &str, offered: &[String], site: &ErrorSite<'_>) -> Failure {
    match e {
        WsError::Http(response) => {
            let status = response.status();
            let excerpt = response
                .body()
                .as_deref()
                .map(|b| String::from_utf8_lossy(&b[..b.len().min(300)]).trim().to_owned())
                .filter(|s| !s.is_empty())
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            let code = status.as_u16();
            Failure {
                message: format!(
                    "{host} refused the WebSocket upgrade with status {code} {}{excerpt}",
                    status.canonical_reason().unwrap_or("")
                ),
                retry: code >= 500 || code == 408 || code == 429,
            }
        }
        WsError::Protocol(ProtocolError::SecWebSocketSubProtocolError(kind)) => Failure::fatal(match kind {
            SubProtocolError::NoSubProtocol => {
                format!("{host} accepted none of the subprotocols offered ({})", offered.join(", "))
            }
            SubProtocolError::InvalidSubProtocol => {
                format!("{host} chose a subprotocol that was not offered ({})", offered.join(", "))
            }
            SubProtocolError::ServerSentSubProtocolNoneRequested => {
                format!("{host} chose a subprotocol though none was offered")
            }
        }),
        WsError::Protocol(p) => {
            Failure::transient(format!("{host} did not answer with a valid WebSocket upgrade: {p}"))
        }
        WsError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Failure::transient(format!("{host} closed the connection during the WebSocket upgrade"))
        }
        // TLS alerts (a client certificate refused, with TLS 1.3) arrive here.
        WsError::Io(io) => classify(&io, site).into(),
        other => Failure::transient(format!("the WebSocket upgrade with {host} failed: {other}")),
    }
}
