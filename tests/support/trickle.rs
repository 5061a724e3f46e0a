//! A server on 127.0.0.1 that trickles a response body: every request gets the head at once
//! (any content type, optionally a `Content-Encoding`), then its body in chunked pieces as a
//! script says (bytes, pauses, gates the test opens, an endless drip), so tests see a body
//! arrive while it is still downloading.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// One step of the body.
#[derive(Clone)]
pub enum Drip {
    /// These bytes as one chunk.
    Write(Vec<u8>),
    Pause(Duration),
    /// Waits until the test opens gate number `n` ([`Trickle::open`]).
    Gate(usize),
    /// Writes these bytes every 10 ms until the client closes the connection (never ends).
    Forever(Vec<u8>),
    /// Closes the connection mid-body (no last chunk).
    Break,
}

#[derive(Default)]
struct Gates {
    open: Mutex<usize>,
    cond: Condvar,
}

pub struct Trickle {
    pub addr: SocketAddr,
    gates: Arc<Gates>,
    requests: Arc<AtomicUsize>,
    client_gone: Arc<AtomicBool>,
}

impl Trickle {
    /// Answers every request with `200`, `content_type`, the `encoding` header if any, and
    /// `drips` as the body.
    pub fn start(content_type: &str, encoding: Option<&str>, drips: Vec<Drip>) -> Trickle {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let gates = Arc::new(Gates::default());
        let requests = Arc::new(AtomicUsize::new(0));
        let client_gone = Arc::new(AtomicBool::new(false));
        let mut head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n");
        if let Some(e) = encoding {
            head.push_str(&format!("content-encoding: {e}\r\n"));
        }
        head.push_str("\r\n");
        let (g, n, gone) = (gates.clone(), requests.clone(), client_gone.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (drips, g, gone, head) = (drips.clone(), g.clone(), gone.clone(), head.clone());
                n.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    if serve(stream, &head, &drips, &g).is_err() {
                        gone.store(true, Ordering::SeqCst);
                    }
                });
            }
        });
        Trickle { addr, gates, requests, client_gone }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Opens gates up to number `n` (from 1).
    pub fn open(&self, n: usize) {
        let mut open = self.gates.open.lock().unwrap();
        *open = (*open).max(n);
        self.gates.cond.notify_all();
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Whether a client closed its connection while the server was still writing.
    pub fn client_gone(&self) -> bool {
        self.client_gone.load(Ordering::SeqCst)
    }
}

fn chunk(out: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    write!(out, "{:x}\r\n", bytes.len())?;
    out.write_all(bytes)?;
    out.write_all(b"\r\n")?;
    out.flush()
}

fn serve(mut stream: TcpStream, head: &str, drips: &[Drip], gates: &Gates) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    stream.write_all(head.as_bytes())?;
    stream.flush()?;
    for drip in drips {
        match drip {
            Drip::Write(bytes) => chunk(&mut stream, bytes)?,
            Drip::Pause(d) => std::thread::sleep(*d),
            Drip::Gate(n) => {
                let open = gates.open.lock().unwrap();
                drop(gates.cond.wait_while(open, |open| *open < *n).unwrap());
            }
            Drip::Break => return stream.shutdown(std::net::Shutdown::Both),
            Drip::Forever(bytes) => loop {
                chunk(&mut stream, bytes)?;
                std::thread::sleep(Duration::from_millis(10));
            },
        }
    }
    stream.write_all(b"0\r\n\r\n")?;
    stream.flush()
}
