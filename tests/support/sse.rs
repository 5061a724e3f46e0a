//! A Server-Sent Events server on 127.0.0.1: every request gets `text/event-stream` written in
//! chunked pieces as a script says (bytes, pauses, a gate the test opens, keep-alives until the
//! client goes), so tests see events arrive one by one.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// One step of what the server writes.
#[derive(Clone)]
pub enum Step {
    /// These bytes, as one chunk.
    Write(Vec<u8>),
    Pause(Duration),
    /// Waits until the test calls [`SseServer::open_gate`].
    Gate,
    /// Writes `: ping` every 20 ms until the client closes the connection.
    KeepAlive,
}

/// `Step::Write` of text.
pub fn write(text: &str) -> Step {
    Step::Write(text.as_bytes().to_vec())
}

#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    cond: Condvar,
}

pub struct SseServer {
    pub addr: SocketAddr,
    gate: Arc<Gate>,
    requests: Arc<AtomicUsize>,
    client_gone: Arc<AtomicBool>,
}

impl SseServer {
    /// Plays `steps` to every request, then ends the body.
    pub fn start(steps: Vec<Step>) -> SseServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let gate = Arc::new(Gate::default());
        let requests = Arc::new(AtomicUsize::new(0));
        let client_gone = Arc::new(AtomicBool::new(false));
        let (g, n, gone) = (gate.clone(), requests.clone(), client_gone.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (steps, g, gone) = (steps.clone(), g.clone(), gone.clone());
                n.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    if serve(stream, &steps, &g).is_err() {
                        gone.store(true, Ordering::SeqCst);
                    }
                });
            }
        });
        SseServer { addr, gate, requests, client_gone }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Lets every stream waiting at a [`Step::Gate`] go on.
    pub fn open_gate(&self) {
        *self.gate.open.lock().unwrap() = true;
        self.gate.cond.notify_all();
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

fn serve(mut stream: TcpStream, steps: &[Step], gate: &Gate) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    stream.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n",
    )?;
    stream.flush()?;
    for step in steps {
        match step {
            Step::Write(bytes) => chunk(&mut stream, bytes)?,
            Step::Pause(d) => std::thread::sleep(*d),
            Step::Gate => {
                let open = gate.open.lock().unwrap();
                drop(gate.cond.wait_while(open, |open| !*open).unwrap());
            }
            Step::KeepAlive => loop {
                chunk(&mut stream, b": ping\n")?;
                std::thread::sleep(Duration::from_millis(20));
            },
        }
    }
    stream.write_all(b"0\r\n\r\n")?;
    stream.flush()
}
