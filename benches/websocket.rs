//! WebSocket echo round trips (`cargo bench --bench websocket`), issue 18: 10,000 round trips
//! (send a text message, wait for its echo) through Localpost's connection
//! (`Engine::connect_ws` + `WsHandle::send`, waiting with `WsHandle::next_event` in a task on the
//! engine's runtime as the runner would, and with `WsHandle::recv_timeout` from a plain thread)
//! against the floor, a plain tokio-tungstenite client loop, both to
//! the same loopback echo server, in the same run, alternating. Target: Localpost <= 1.5x.
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is a failed run

use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use localpost::http::ws::{Direction, WsData, WsEvent, WsHandle, WsOptions, WsOutgoing};
use localpost::http::{Engine, prepare};
use localpost::model::{ProxySetting, Request, Settings};
use localpost::vars::Scopes;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const ROUND_TRIPS: usize = 10_000;
const RUNS: usize = 7;

/// An echo server on its own runtime; returns its port.
fn echo_server(runtime: &tokio::runtime::Runtime) -> u16 {
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let port = listener.local_addr().unwrap().port();
    runtime.spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let _ = tcp.set_nodelay(true);
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { return };
                while let Some(Ok(msg)) = ws.next().await {
                    if matches!(msg, Message::Text(_) | Message::Binary(_)) && ws.send(msg).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

/// The floor: tokio-tungstenite alone, the loop a task on its runtime.
fn plain(client: &tokio::runtime::Runtime, port: u16) -> Duration {
    client
        .block_on(client.spawn(async move {
            let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            tcp.set_nodelay(true).unwrap();
            let (mut ws, _) =
                tokio_tungstenite::client_async(format!("ws://127.0.0.1:{port}/"), tcp).await.unwrap();
            let started = Instant::now();
            for i in 0..ROUND_TRIPS {
                ws.send(Message::Text(format!("message {i}").into())).await.unwrap();
                loop {
                    match ws.next().await.unwrap().unwrap() {
                        Message::Text(_) => break,
                        _ => continue,
                    }
                }
            }
            let took = started.elapsed();
            let _ = ws.close(None).await;
            took
        }))
        .unwrap()
}

/// Connects through Localpost's engine to the echo server.
fn connect(engine: &Engine, port: u16) -> WsHandle {
    let request = Request::new("bench").with_url(format!("ws://127.0.0.1:{port}/"));
    let prepared = prepare(&request, None, &Scopes::new()).unwrap();
    engine.connect_ws(prepared, WsOptions::default())
}

/// Whether `event` is the one a loop waits for; an error or the end of the connection is a
/// failed run.
fn arrived(event: Option<WsEvent>, wanted: fn(&WsEvent) -> bool) -> bool {
    match event {
        Some(WsEvent::Error { message, .. }) => panic!("{message}"),
        Some(event) => wanted(&event),
        None => panic!("the connection ended"),
    }
}

fn opened(event: &WsEvent) -> bool {
    matches!(event, WsEvent::Opened { .. })
}

fn echoed(event: &WsEvent) -> bool {
    matches!(event, WsEvent::Message { direction: Direction::Received, data: WsData::Text(_), .. })
}

/// Through Localpost's connection, the loop a task on the engine's runtime awaiting
/// `WsHandle::next_event` (as the runner would).
fn localpost_task(engine: &Engine, port: u16) -> Duration {
    let handle = connect(engine, port);
    let runtime = engine.runtime();
    runtime
        .block_on(runtime.spawn(async move {
            while !arrived(handle.next_event().await, opened) {}
            let started = Instant::now();
            for i in 0..ROUND_TRIPS {
                handle.send(WsOutgoing::Text(format!("message {i}"))).unwrap();
                while !arrived(handle.next_event().await, echoed) {}
            }
            let took = started.elapsed();
            handle.close(1000, "");
            took
        }))
        .unwrap()
}

/// Through Localpost's connection from a thread outside the runtime, waiting with
/// `WsHandle::recv_timeout` (as a command-line caller would).
fn localpost_blocking(engine: &Engine, port: u16) -> Duration {
    let handle = connect(engine, port);
    let wait = Duration::from_secs(10);
    while !arrived(handle.recv_timeout(wait), opened) {}
    let started = Instant::now();
    for i in 0..ROUND_TRIPS {
        handle.send(WsOutgoing::Text(format!("message {i}"))).unwrap();
        while !arrived(handle.recv_timeout(wait), echoed) {}
    }
    let took = started.elapsed();
    handle.close(1000, "");
    took
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let server = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let port = echo_server(&server);
    let client = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let engine = Engine::new(Settings { proxy: ProxySetting::None, ..Settings::default() }).unwrap();
    // Warm up every path once.
    plain(&client, port);
    localpost_task(&engine, port);
    localpost_blocking(&engine, port);
    let (mut floor, mut task, mut blocking) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        let a = plain(&client, port).as_secs_f64() * 1000.0;
        let b = localpost_task(&engine, port).as_secs_f64() * 1000.0;
        let c = localpost_blocking(&engine, port).as_secs_f64() * 1000.0;
        println!(
            "run {run}: tokio-tungstenite {a:.1} ms, Localpost (task) {b:.1} ms ({:.2}x), \
             Localpost (blocking thread) {c:.1} ms ({:.2}x)",
            b / a,
            c / a
        );
        floor.push(a);
        task.push(b);
        blocking.push(c);
    }
    let (a, b, c) = (median(&mut floor), median(&mut task), median(&mut blocking));
    let each = |ms: f64| ms * 1000.0 / ROUND_TRIPS as f64;
    println!(
        "{ROUND_TRIPS} echo round trips, median of {RUNS}: tokio-tungstenite {a:.1} ms ({:.1} µs each); \
         Localpost on the runtime {b:.1} ms ({:.1} µs each, ratio {:.2}x, target <= 1.5x); \
         Localpost from a blocking thread {c:.1} ms ({:.1} µs each, ratio {:.2}x)",
        each(a),
        each(b),
        b / a,
        each(c),
        c / a
    );
}
