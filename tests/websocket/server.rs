//! A loopback WebSocket server for tests/websocket.rs: accepts (optionally over TLS), logs what
//! it received as lines (`conn`, `hdr name: value`, `text …`, `close 1000`), and runs a handler.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request as HsRequest, Response as HsResponse};
use tokio_tungstenite::tungstenite::http::HeaderValue;

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub type Log = Arc<Mutex<Vec<String>>>;
pub type Handler = Arc<dyn Fn(Box<dyn Io>, Log) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

pub struct WsServer {
    pub port: u16,
    log: Log,
    _runtime: tokio::runtime::Runtime,
}

impl WsServer {
    pub fn start(handler: Handler) -> Self {
        Self::start_with(None, handler)
    }

    pub fn start_with(tls: Option<rustls::ServerConfig>, handler: Handler) -> Self {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        let log: Log = Arc::default();
        let log2 = Arc::clone(&log);
        let acceptor = tls.map(|mut c| {
            c.alpn_protocols = vec![b"http/1.1".to_vec()];
            tokio_rustls::TlsAcceptor::from(Arc::new(c))
        });
        runtime.spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else { continue };
                let (log, handler, acceptor) = (Arc::clone(&log2), Arc::clone(&handler), acceptor.clone());
                tokio::spawn(async move {
                    log.lock().unwrap().push("conn".into());
                    let io: Box<dyn Io> = match acceptor {
                        Some(acceptor) => match acceptor.accept(tcp).await {
                            Ok(tls) => {
                                let client_cert = tls.get_ref().1.peer_certificates().is_some();
                                log.lock().unwrap().push(format!("tls client_cert={client_cert}"));
                                Box::new(tls)
                            }
                            Err(e) => {
                                log.lock().unwrap().push(format!("tls error {e}"));
                                return;
                            }
                        },
                        None => Box::new(tcp),
                    };
                    handler(io, log).await;
                });
            }
        });
        WsServer { port, log, _runtime: runtime }
    }

    pub fn url(&self, scheme: &str, path: &str) -> String {
        format!("{scheme}://127.0.0.1:{}{path}", self.port)
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub fn has(&self, line: &str) -> bool {
        self.log().iter().any(|l| l == line)
    }

    /// Waits (bounded) until the server logged `line`.
    pub fn wait_for(&self, line: &str) {
        for _ in 0..500 {
            if self.has(line) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the server never logged {line:?}: {:?}", self.log());
    }
}

pub type Socket = tokio_tungstenite::WebSocketStream<Box<dyn Io>>;

/// Accepts the upgrade, logging the request's headers (`hdr name: value`) and answering with
/// `answer` extra headers.
pub async fn accept(io: Box<dyn Io>, log: &Log, answer: &[(&'static str, &'static str)]) -> Option<Socket> {
    let log2 = Arc::clone(log);
    let answer = answer.to_vec();
    let callback = move |req: &HsRequest, mut resp: HsResponse| {
        let mut log = log2.lock().unwrap();
        log.push(format!("path {}", req.uri()));
        for (k, v) in req.headers() {
            log.push(format!("hdr {}: {}", k.as_str(), v.to_str().unwrap_or("?")));
        }
        for (k, v) in &answer {
            resp.headers_mut().append(*k, HeaderValue::from_static(v));
        }
        Ok(resp)
    };
    tokio_tungstenite::accept_hdr_async(io, callback).await.ok()
}

/// Logs and echoes every message until the client closes.
pub async fn echo_loop(mut ws: Socket, log: &Log) {
    while let Some(Ok(msg)) = ws.next().await {
        let entry = match &msg {
            Message::Text(t) => format!("text {t}"),
            Message::Binary(b) => format!("binary {b:?}"),
            Message::Ping(p) => format!("ping {p:?}"),
            Message::Pong(p) => format!("pong {p:?}"),
            Message::Close(f) => format!("close {}", f.as_ref().map_or(0, |f| u16::from(f.code))),
            Message::Frame(_) => "frame".into(),
        };
        log.lock().unwrap().push(entry);
        if matches!(msg, Message::Text(_) | Message::Binary(_)) && ws.send(msg).await.is_err() {
            break;
        }
    }
}

pub fn echo_server(answer: &'static [(&'static str, &'static str)]) -> WsServer {
    WsServer::start(echo_handler(answer))
}

pub fn echo_handler(answer: &'static [(&'static str, &'static str)]) -> Handler {
    Arc::new(move |io, log| {
        Box::pin(async move {
            if let Some(ws) = accept(io, &log, answer).await {
                echo_loop(ws, &log).await;
            }
        })
    })
}

/// A handler that accepts, then runs `then` on the socket.
pub fn after_accept<F, Fut>(then: F) -> Handler
where
    F: Fn(Socket, Log) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let then = Arc::new(then);
    Arc::new(move |io, log| {
        let then = Arc::clone(&then);
        Box::pin(async move {
            if let Some(ws) = accept(io, &log, &[]).await {
                then(ws, log).await;
            }
        })
    })
}

/// Writes raw bytes on the socket under the WebSocket (frames the library would not send).
pub async fn write_raw(ws: &mut Socket, bytes: &[u8]) {
    ws.get_mut().write_all(bytes).await.unwrap();
    ws.get_mut().flush().await.unwrap();
}
