//! Bodies seen while they arrive (issue 18): the engine's body listener hears the final head,
//! each decoded chunk and the end, in order; Stop ends a body where it is and the exchange
//! keeps what arrived. Against servers on 127.0.0.1 that trickle their bodies.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use localpost::http::{
    BodyListener, Engine, EngineOptions, Exchange, LiveEvent, SendError, SendHandle, SendOptions, prepare,
};
use localpost::model::{ProxySetting, Request, Settings};
use localpost::vars::Scopes;
use support::trickle::{Drip, Trickle};
use support::{Reply, Server};

fn engine_with(options: EngineOptions) -> Engine {
    Engine::with_options(Settings { proxy: ProxySetting::None, ..Settings::default() }, options).unwrap()
}

fn engine() -> Engine {
    engine_with(EngineOptions::default())
}

/// What a listener heard, as text: `head 200 application/json`, `chunk <bytes>`, `end`.
#[derive(Default)]
struct Heard {
    events: Vec<String>,
    bytes: Vec<u8>,
}

/// A listener recording what it hears, and a channel told of every chunk.
fn recorder() -> (Arc<Mutex<Heard>>, BodyListener, mpsc::Receiver<usize>) {
    let heard = Arc::new(Mutex::new(Heard::default()));
    let (tx, rx) = mpsc::channel();
    let sink = heard.clone();
    let listener: BodyListener = Box::new(move |event: LiveEvent<'_>| {
        let mut h = sink.lock().unwrap();
        match event {
            LiveEvent::Head(head) => {
                let ct = head.content_type.clone().unwrap_or_default();
                h.events.push(format!("head {} {ct}", head.status));
            }
            LiveEvent::Chunk(bytes) => {
                h.events.push("chunk".into());
                h.bytes.extend_from_slice(bytes);
                let _ = tx.send(h.bytes.len());
            }
            LiveEvent::End => h.events.push("end".into()),
        }
    });
    (heard, listener, rx)
}

fn start(engine: &Engine, url: &str, listener: BodyListener) -> SendHandle {
    let prepared = prepare(&Request::new("live").with_url(url), None, &Scopes::new()).unwrap();
    engine.send(prepared, SendOptions { on_body: Some(listener), ..SendOptions::default() })
}

fn wait(handle: SendHandle) -> Result<Exchange, SendError> {
    handle.promise.block_and_take()
}

fn body_of(ex: &Exchange) -> Vec<u8> {
    ex.response.body.read_all().unwrap().to_vec()
}

#[test]
fn the_listener_hears_the_head_then_each_chunk_then_the_end() {
    let server = Trickle::start(
        "application/json",
        None,
        vec![
            Drip::Write(br#"{"a":"#.to_vec()),
            Drip::Pause(Duration::from_millis(30)),
            Drip::Write(b"[1,2,".to_vec()),
            Drip::Pause(Duration::from_millis(30)),
            Drip::Write(b"3]}".to_vec()),
        ],
    );
    let (heard, listener, _) = recorder();
    let ex = wait(start(&engine(), &server.url("/"), listener)).unwrap();
    let heard = heard.lock().unwrap();
    assert_eq!(heard.events.first().unwrap(), "head 200 application/json");
    assert_eq!(heard.events.last().unwrap(), "end");
    assert_eq!(heard.events.iter().filter(|e| *e == "end").count(), 1);
    assert!(heard.events.iter().filter(|e| *e == "chunk").count() >= 3, "{:?}", heard.events);
    assert_eq!(heard.bytes, br#"{"a":[1,2,3]}"#);
    assert_eq!(body_of(&ex), heard.bytes);
    assert!(!ex.response.stopped);
}

#[test]
fn the_first_chunk_arrives_while_the_body_is_still_held_back() {
    let server = Trickle::start(
        "text/plain",
        None,
        vec![Drip::Write(b"first line\n".to_vec()), Drip::Gate(1), Drip::Write(b"rest\n".to_vec())],
    );
    let (heard, listener, chunks) = recorder();
    let handle = start(&engine(), &server.url("/"), listener);
    // The server has not finished: the first line is heard all the same.
    let n = chunks.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(n, 11);
    assert!(handle.promise.ready().is_none(), "the send cannot be over before the gate opens");
    assert!(!heard.lock().unwrap().events.contains(&"end".to_owned()));
    server.open(1);
    let ex = wait(handle).unwrap();
    assert_eq!(body_of(&ex), b"first line\nrest\n");
    assert_eq!(heard.lock().unwrap().events.last().unwrap(), "end");
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use async_compression::tokio::bufread::GzipEncoder;
    use tokio::io::AsyncReadExt;
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let mut out = Vec::new();
        GzipEncoder::new(data).read_to_end(&mut out).await.unwrap();
        out
    })
}

#[test]
fn gzip_bodies_are_heard_decoded() {
    let plain: Vec<u8> = (0..20_000).flat_map(|i| format!("{{\"row\":{i}}},").into_bytes()).collect();
    let packed = gzip(&plain);
    let third = packed.len() / 3;
    let server = Trickle::start(
        "application/json",
        Some("gzip"),
        vec![
            Drip::Write(packed[..third].to_vec()),
            Drip::Pause(Duration::from_millis(20)),
            Drip::Write(packed[third..2 * third].to_vec()),
            Drip::Pause(Duration::from_millis(20)),
            Drip::Write(packed[2 * third..].to_vec()),
        ],
    );
    let (heard, listener, _) = recorder();
    let ex = wait(start(&engine(), &server.url("/"), listener)).unwrap();
    let heard = heard.lock().unwrap();
    assert_eq!(heard.bytes.len(), plain.len());
    assert!(heard.bytes == plain, "the listener heard the decoded body");
    assert_eq!(ex.response.content_encoding.as_deref(), Some("gzip"));
    assert_eq!(heard.events.last().unwrap(), "end");
}

#[test]
fn stop_mid_body_keeps_what_arrived_and_says_it_was_stopped() {
    let server = Trickle::start(
        "text/plain",
        None,
        vec![Drip::Write(b"part one\n".to_vec()), Drip::Gate(1), Drip::Write(b"never sent\n".to_vec())],
    );
    let (heard, listener, chunks) = recorder();
    let handle = start(&engine(), &server.url("/"), listener);
    chunks.recv_timeout(Duration::from_secs(10)).unwrap();
    handle.stop.stop();
    let ex = wait(handle).unwrap();
    assert!(ex.response.stopped);
    assert_eq!(body_of(&ex), b"part one\n");
    assert_eq!(ex.response.status, 200);
    assert_eq!(heard.lock().unwrap().events.last().unwrap(), "end", "a stopped body ends too");
    server.open(1);
}

#[test]
fn an_endless_body_streams_to_disk_until_stopped() {
    let server = Trickle::start("text/plain", None, vec![Drip::Forever(vec![b'x'; 8 * 1024])]);
    let (_, listener, chunks) = recorder();
    let engine = engine_with(EngineOptions { spill_threshold_bytes: 16 * 1024, ..EngineOptions::default() });
    let handle = start(&engine, &server.url("/"), listener);
    while chunks.recv_timeout(Duration::from_secs(10)).unwrap() < 64 * 1024 {}
    handle.stop.stop();
    let ex = wait(handle).unwrap();
    assert!(ex.response.stopped);
    assert!(ex.response.body.len_bytes() >= 64 * 1024);
    assert!(ex.response.body.is_spilled(), "past the threshold the body went to a file");
    assert!(body_of(&ex).iter().all(|&b| b == b'x'));
}

#[test]
fn stop_before_the_head_cancels_the_send() {
    let server = Server::start(|_| Reply::text(200, "late").delay(Duration::from_secs(5)));
    let (heard, listener, _) = recorder();
    let handle = start(&engine(), &server.url("/"), listener);
    std::thread::sleep(Duration::from_millis(100));
    handle.stop.stop();
    assert!(matches!(wait(handle), Err(SendError::Cancelled)));
    assert!(heard.lock().unwrap().events.is_empty());
}

#[test]
fn a_body_broken_off_is_an_error_and_no_end_is_heard() {
    let server = Trickle::start(
        "text/plain",
        None,
        vec![Drip::Write(b"only this much".to_vec()), Drip::Pause(Duration::from_millis(30)), Drip::Break],
    );
    let (heard, listener, _) = recorder();
    let result = wait(start(&engine(), &server.url("/"), listener));
    assert!(result.is_err(), "{result:?}");
    let heard = heard.lock().unwrap();
    assert!(heard.events.first().is_some_and(|e| e.starts_with("head 200")), "{:?}", heard.events);
    assert!(!heard.events.contains(&"end".to_owned()));
}
