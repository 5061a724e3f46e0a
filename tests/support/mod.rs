//! Test servers on 127.0.0.1: an HTTP/1.1 + HTTP/2 server (optionally TLS, optionally asking
//! for a client certificate) that records what it received and answers through a closure, a
//! forward proxy, and certificates made with rcgen.
// Test scaffolding: a failure to bind or build is a broken test machine, fine to panic on.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

/// Readable renderings of imported data, compared with reviewed files (import tests).
pub mod render;

/// A realistic data folder, snapshots, imports written as the app writes them.
pub mod data;

/// The desktop app under egui_kittest: open, apply, step until, find what is shown.
pub mod app;

/// Random actions on the window, to find what panics it.
pub mod ui_fuzz;

/// A Server-Sent Events server that writes its events step by step.
pub mod sse;

/// A server that trickles a body chunk by chunk (gates, pauses, an endless drip).
pub mod trickle;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::Frame;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether the client presented a certificate (TLS servers).
    pub client_cert: bool,
    /// Which connection it came on (numbered from 1 as the server accepts them).
    pub connection: u64,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn header_names(&self) -> Vec<String> {
        self.headers.iter().map(|(k, _)| k.clone()).collect()
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// How to answer.
pub enum Payload {
    Bytes(Vec<u8>),
    /// `total` zero bytes in chunks, generated on the fly.
    Zeros {
        total: u64,
        chunk: usize,
    },
    /// Sends `bytes` then breaks the connection mid-body.
    BreakAfter(Vec<u8>),
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Payload,
    pub delay: Duration,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Self { status, headers: Vec::new(), body: Payload::Bytes(Vec::new()), delay: Duration::ZERO }
    }

    pub fn text(status: u16, text: &str) -> Self {
        Self::new(status).header("content-type", "text/plain").body(text.as_bytes().to_vec())
    }

    pub fn json(text: &str) -> Self {
        Self::new(200).header("content-type", "application/json").body(text.as_bytes().to_vec())
    }

    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_owned(), v.to_owned()));
        self
    }

    pub fn body(mut self, b: Vec<u8>) -> Self {
        self.body = Payload::Bytes(b);
        self
    }

    pub fn with_body(mut self, b: Payload) -> Self {
        self.body = b;
        self
    }

    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
}

type Handler = Arc<dyn Fn(&Received) -> Reply + Send + Sync>;

pub struct Server {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    _runtime: Arc<tokio::runtime::Runtime>,
    tls: bool,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}{path}", self.addr)
    }

    pub fn url_host(&self, host: &str, path: &str) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{host}:{}{path}", self.addr.port())
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn last(&self) -> Received {
        self.requests().pop().expect("the server received no request")
    }

    pub fn start(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Server {
        Self::start_inner(Arc::new(handler), None, "127.0.0.1")
    }

    /// A server on another loopback address (`127.0.0.2`: all of 127/8 is this machine).
    pub fn start_on(ip: &str, handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Server {
        Self::start_inner(Arc::new(handler), None, ip)
    }

    pub fn start_tls(
        config: rustls::ServerConfig,
        handler: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Self::start_inner(Arc::new(handler), Some(Arc::new(config)), "127.0.0.1")
    }

    fn start_inner(handler: Handler, tls: Option<Arc<rustls::ServerConfig>>, ip: &str) -> Server {
        let runtime = Arc::new(
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap(),
        );
        let received = Arc::new(Mutex::new(Vec::new()));
        let listener = runtime.block_on(TcpListener::bind((ip, 0))).unwrap();
        let addr = listener.local_addr().unwrap();
        let is_tls = tls.is_some();
        let rec = received.clone();
        runtime.spawn(async move {
            let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
            let mut connections = 0u64;
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                connections += 1;
                let connection = connections;
                let handler = handler.clone();
                let rec = rec.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    match acceptor {
                        Some(acceptor) => {
                            let Ok(tls) = acceptor.accept(stream).await else { return };
                            let client_cert =
                                tls.get_ref().1.peer_certificates().is_some_and(|c| !c.is_empty());
                            serve(TokioIo::new(tls), handler, rec, client_cert, connection).await;
                        }
                        None => serve(TokioIo::new(stream), handler, rec, false, connection).await,
                    }
                });
            }
        });
        Server { addr, received, _runtime: runtime, tls: is_tls }
    }
}

async fn serve<I>(io: I, handler: Handler, rec: Arc<Mutex<Vec<Received>>>, client_cert: bool, connection: u64)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let handler = handler.clone();
        let rec = rec.clone();
        async move {
            let method = req.method().to_string();
            let target = req.uri().path_and_query().map(ToString::to_string).unwrap_or_default();
            let version = format!("{:?}", req.version());
            let headers = req
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            let body = req.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
            let received = Received { method, target, version, headers, body, client_cert, connection };
            rec.lock().unwrap().push(received.clone());
            let reply = handler(&received);
            if !reply.delay.is_zero() {
                tokio::time::sleep(reply.delay).await;
            }
            let mut builder = hyper::Response::builder().status(reply.status);
            for (k, v) in &reply.headers {
                builder = builder.header(k, v);
            }
            let body: BoxBody<Bytes, std::io::Error> = match reply.body {
                Payload::Bytes(b) => Full::new(Bytes::from(b)).map_err(|never| match never {}).boxed(),
                Payload::Zeros { total, chunk } => {
                    let chunk_bytes = Bytes::from(vec![0u8; chunk]);
                    let count = total / chunk as u64;
                    let rest = (total % chunk as u64) as usize;
                    let stream = futures_util::stream::iter(
                        (0..count).map(move |_| Ok(Frame::data(chunk_bytes.clone()))),
                    )
                    .chain(futures_util::stream::iter(
                        (rest > 0).then(|| Ok(Frame::data(Bytes::from(vec![0u8; rest])))),
                    ));
                    BodyExt::boxed(StreamBody::new(stream))
                }
                Payload::BreakAfter(bytes) => {
                    let stream = futures_util::stream::iter(vec![
                        Ok(Frame::data(Bytes::from(bytes))),
                        Err(std::io::Error::other("server breaks the connection")),
                    ]);
                    BodyExt::boxed(StreamBody::new(stream))
                }
            };
            Ok::<_, Infallible>(builder.body(body).unwrap())
        }
    });
    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
        .serve_connection(io, service)
        .await;
}

use futures_util::StreamExt as _;

/// A forward proxy: absolute-form HTTP requests are forwarded, CONNECT is tunnelled. Records the
/// request lines and any `Proxy-Authorization`; refuses (407) when `required_auth` is set and
/// does not match.
pub struct Proxy {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<(String, Option<String>)>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Proxy {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn start(required_auth: Option<String>) -> Proxy {
        Self::start_on("127.0.0.1", required_auth)
    }

    /// A proxy on another loopback address.
    pub fn start_on(ip: &str, required_auth: Option<String>) -> Proxy {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let listener = runtime.block_on(TcpListener::bind((ip, 0))).unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let seen2 = seen.clone();
        runtime.spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else { continue };
                let seen = seen2.clone();
                let required = required_auth.clone();
                tokio::spawn(async move {
                    let _ = proxy_one(client, seen, required).await;
                });
            }
        });
        Proxy { addr, seen, _runtime: runtime }
    }
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.push(byte[0]);
    }
    Ok((String::from_utf8_lossy(&buf).into_owned(), buf))
}

async fn proxy_one(
    mut client: TcpStream,
    seen: Arc<Mutex<Vec<(String, Option<String>)>>>,
    required: Option<String>,
) -> std::io::Result<()> {
    let (head, raw) = read_head(&mut client).await?;
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or("").to_owned();
    let auth = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("proxy-authorization")))
        .map(|(_, v)| v.trim().to_owned());
    seen.lock().unwrap().push((request_line.clone(), auth.clone()));
    if let Some(req) = &required
        && auth.as_deref() != Some(req.as_str())
    {
        client
            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await?;
        return Ok(());
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("");
    if method == "CONNECT" {
        let mut upstream = TcpStream::connect(target).await?;
        client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    // Absolute form: http://host:port/path
    let rest = target.strip_prefix("http://").unwrap_or(target);
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut upstream = TcpStream::connect(authority).await?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let rewritten = text.replacen(target, if path.is_empty() { "/" } else { path }, 1);
    let rewritten: String = rewritten
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("proxy-authorization"))
        .collect::<Vec<_>>()
        .join("\r\n");
    upstream.write_all(rewritten.as_bytes()).await?;
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    Ok(())
}

/// A test certificate authority.
pub struct TestCa {
    pub pem: String,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
}

pub struct Leaf {
    pub cert_pem: String,
    pub key_pem: String,
    pub cert_der: rustls::pki_types::CertificateDer<'static>,
    pub key_der: Vec<u8>,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).unwrap();
        TestCa { pem: cert.pem(), issuer: rcgen::Issuer::new(params, key) }
    }

    /// A certificate for `names` valid from `not_before` to `not_after` (years offsets from now).
    pub fn leaf(&self, names: &[&str], expired: bool, client: bool) -> Leaf {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params =
            rcgen::CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name.push(rcgen::DnType::CommonName, names.first().copied().unwrap_or("client"));
        let now = time::OffsetDateTime::now_utc();
        if expired {
            params.not_before = now - time::Duration::days(30);
            params.not_after = now - time::Duration::days(1);
        } else {
            params.not_before = now - time::Duration::days(1);
            params.not_after = now + time::Duration::days(30);
        }
        params.extended_key_usages = vec![if client {
            rcgen::ExtendedKeyUsagePurpose::ClientAuth
        } else {
            rcgen::ExtendedKeyUsagePurpose::ServerAuth
        }];
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_der: cert.der().clone(),
            key_der: key.serialize_der(),
        }
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// A TLS server config (HTTP/2 and HTTP/1.1 by ALPN); `client_ca` demands client certificates
/// signed by that CA.
pub fn server_tls(leaf: &Leaf, client_ca: Option<&TestCa>) -> rustls::ServerConfig {
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::try_from(leaf.key_der.clone()).unwrap();
    let mut config = match client_ca {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            let der = rustls_pemfile_der(&ca.pem);
            roots.add(der).unwrap();
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
                    .build()
                    .unwrap();
            builder
                .with_client_cert_verifier(verifier)
                .with_single_cert(vec![leaf.cert_der.clone()], key)
                .unwrap()
        }
        None => builder.with_no_client_auth().with_single_cert(vec![leaf.cert_der.clone()], key).unwrap(),
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    config
}

fn rustls_pemfile_der(pem: &str) -> rustls::pki_types::CertificateDer<'static> {
    use base64::Engine as _;
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    rustls::pki_types::CertificateDer::from(base64::engine::general_purpose::STANDARD.decode(b64).unwrap())
}

/// Every file under `dir`, folders walked.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// The `localpost` binary on data folder `data_dir`, with no proxy from the environment (a
/// test that wants one sets it after).
pub fn localpost(data_dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_localpost"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY");
    cmd
}

/// Writes `text` into `dir/name` and returns the path as a string.
pub fn write_file(dir: &std::path::Path, name: &str, text: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The import corpus kept in the repository (`tests/fixtures/corpus/`, each file's source,
/// commit and license in its `MANIFEST.tsv`).
pub fn corpus() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// A loopback look-alike of postman-echo, which public Postman collections and their scripts
/// call.
pub mod echo;

/// newman, found or installed (tests comparing with Postman's runner).
pub mod newman;
