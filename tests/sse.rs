//! Server-Sent Events against a stream on 127.0.0.1 that writes its events one step at a time:
//! the live event log fills in order while the body still streams (ids, retry, comments,
//! multi-line data, CRLF), malformed lines are counted, Stop ends a stream that never ends, and
//! a run reads a stream only up to N events or a time window, its assertions seeing the events.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed step should fail loudly

mod support;

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use localpost::app::sse::{SseLog, SseReader};
use localpost::http::{Engine, Exchange, LiveEvent, SendError, SendHandle, SendOptions, prepare};
use localpost::model::*;
use localpost::runner::{self, RunSpec};
use localpost::vars::Scopes;
use support::sse::{SseServer, Step, write};

/// How long a test waits for something that should happen at once (a hang guard, not a speed
/// check).
const HANG: Duration = Duration::from_secs(30);

fn engine() -> Engine {
    Engine::new(Settings::default()).unwrap()
}

/// Sends `url` with a listener filling a fresh log.
fn stream(engine: &Engine, url: &str) -> (SendHandle, Arc<SseLog>) {
    let log = SseLog::new();
    let mut reader = SseReader::new(log.clone(), Box::new(|| {}));
    let listener = Box::new(move |event: LiveEvent<'_>| match event {
        LiveEvent::Head(head) => reader.head(head.content_type.as_deref()),
        LiveEvent::Chunk(bytes) => reader.chunk(bytes),
        LiveEvent::End => reader.end(),
    });
    let prepared = prepare(&Request::new("events").with_url(url), None, &Scopes::new()).unwrap();
    let handle = engine.send(prepared, SendOptions { on_body: Some(listener), ..SendOptions::default() });
    (handle, log)
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + HANG;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn finish(handle: SendHandle) -> Result<Exchange, SendError> {
    let deadline = Instant::now() + HANG;
    let mut promise = handle.promise;
    loop {
        match promise.try_take() {
            Ok(result) => return result,
            Err(p) => promise = p,
        }
        assert!(Instant::now() < deadline, "the send never finished");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn events_arrive_in_order_with_ids_and_retry_while_the_body_streams() {
    let server = SseServer::start(vec![
        write(": hello\n\nretry: 2500\nid: 1\nevent: price\ndata: {\"usd\": 7}\n\n"),
        Step::Gate,
        // Multi-line data, CRLF line ends, a line cut between two chunks.
        write("id: 2\r\ndata: line one\r\ndata: line two\r\n\r\nda"),
        write("ta: third, with the last id\n\n"),
        write("event: done\ndata: bye\n\n"),
    ]);
    let engine = engine();
    let (handle, log) = stream(&engine, &server.url("/events"));
    wait_until("the first event", || log.summary().total == 1);
    // The server holds the rest back: the first event showed while the body was streaming.
    let s = log.summary();
    assert!(s.is_stream && !s.ended, "{s:?}");
    assert_eq!(s.ignored.comments, 1);
    server.open_gate();
    let exchange = finish(handle).unwrap();
    let s = log.summary();
    assert!(s.ended && !s.unfinished_dropped && s.dropped == 0, "{s:?}");
    assert_eq!(s.total, 4);
    let rows = log.rows(&[0, 1, 2, 3]);
    let got: Vec<(&str, &str, &str, Option<u64>)> = rows
        .iter()
        .map(|r| (r.event.event.as_str(), r.event.id.as_str(), r.event.data.as_str(), r.event.retry_ms))
        .collect();
    assert_eq!(
        got,
        [
            ("price", "1", "{\"usd\": 7}", Some(2500)),
            ("message", "2", "line one\nline two", Some(2500)),
            ("message", "2", "third, with the last id", Some(2500)),
            ("done", "2", "bye", Some(2500)),
        ]
    );
    // The raw body stays whole for the Body views.
    let body = exchange.response.body.read_all().unwrap();
    assert!(String::from_utf8_lossy(&body).contains("data: bye"));
    assert!(!exchange.response.stopped);
}

#[test]
fn malformed_lines_are_counted_and_an_unfinished_event_is_said() {
    let server = SseServer::start(vec![
        write("colour: blue\nretry: soon\ndata: kept\n\n"),
        write("no colon at all\n\nid: 3\0x\ndata: cut off"),
    ]);
    let engine = engine();
    let (handle, log) = stream(&engine, &server.url("/bad"));
    finish(handle).unwrap();
    let s = log.summary();
    assert_eq!(s.total, 1, "{s:?}");
    assert_eq!(log.rows(&[0])[0].event.data, "kept");
    // `colour:` and `no colon at all` are unknown fields; `retry: soon` and an id with NUL are
    // bad values.
    assert_eq!((s.ignored.unknown_fields, s.ignored.bad_values), (2, 2), "{s:?}");
    assert!(s.unfinished_dropped, "the last event had no blank line after it");
}

#[test]
fn stop_ends_a_stream_that_never_ends_and_keeps_what_arrived() {
    let server = SseServer::start(vec![write("data: a\n\ndata: b\n\n"), Step::KeepAlive]);
    let engine = engine();
    let (handle, log) = stream(&engine, &server.url("/forever"));
    wait_until("two events", || log.summary().total == 2);
    handle.stop.stop();
    let exchange = finish(handle).unwrap();
    assert!(exchange.response.stopped);
    assert!(log.summary().ended);
    let body = String::from_utf8(exchange.response.body.read_all().unwrap().to_vec()).unwrap();
    assert!(body.starts_with("data: a\n\ndata: b\n\n"), "{body:?}");
    wait_until("the server to see the connection closed", || server.client_gone());
}

/// A collection with one request to `url` with `assertions`, run; the outcome.
fn run_one(url: &str, settings: RequestSettings, assertions: Vec<Check>) -> RequestOutcome {
    let mut request = Request::new("stream").with_url(url);
    request.settings = settings;
    request.assertions = assertions.into_iter().map(Assertion::new).collect();
    let mut ws = WorkspaceData::new(Workspace::new("Team"));
    let mut c = Collection::new("API");
    c.children.push(ItemId::Request(request.id));
    ws.requests.insert(request.id, request);
    let cid = c.id;
    ws.collections.insert(c.id, c);
    let spec = RunSpec::for_parent(Arc::new(ws), ParentId::Collection(cid));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let engine = engine();
        let mut outcomes = Vec::new();
        runner::start(&engine, spec, None).wait(|_, o, _| outcomes.push(o.clone()));
        let _ = tx.send(outcomes);
    });
    let mut outcomes = rx.recv_timeout(HANG).expect("the run did not stop reading the stream");
    assert_eq!(outcomes.len(), 1);
    outcomes.pop().unwrap()
}

fn json_eq(path: &str, value: &str) -> Check {
    Check::JsonPathEquals { path: path.into(), value: value.into() }
}

#[test]
fn a_run_stops_after_the_first_n_events_and_checks_them() {
    let mut steps: Vec<Step> =
        (1..=5).map(|n| write(&format!("id: {n}\nevent: tick\ndata: {{\"n\": {n}}}\n\n"))).collect();
    steps.push(Step::KeepAlive);
    let server = SseServer::start(steps);
    // A window longer than the test waits: only the count can end this stream.
    let settings = RequestSettings {
        stream_max_events: Some(3),
        stream_window_ms: Some(3_600_000),
        ..RequestSettings::default()
    };
    let outcome = run_one(
        &server.url("/ticks"),
        settings,
        vec![
            Check::StatusEquals(200),
            json_eq("$.count", "3"),
            json_eq("$.events[0].event", "tick"),
            json_eq("$.events[2].id", "\"3\""),
            json_eq("$.events[2].data.n", "3"),
            Check::JsonPathExists("$.events[3]".into()),
        ],
    );
    assert_eq!(outcome.error, None);
    let failed: Vec<&str> =
        outcome.assertions.iter().filter(|a| !a.passed).map(|a| a.name.as_str()).collect();
    assert_eq!(failed, ["$.events[3] exists"], "{:?}", outcome.assertions);
}

#[test]
fn a_run_stops_at_the_end_of_its_window_and_checks_what_arrived() {
    let server = SseServer::start(vec![
        write("data: first\n\n"),
        write("event: second\ndata: [1, 2]\n\n"),
        Step::KeepAlive,
    ]);
    let settings = RequestSettings {
        stream_max_events: Some(100),
        stream_window_ms: Some(300),
        ..RequestSettings::default()
    };
    let outcome = run_one(
        &server.url("/slow"),
        settings,
        vec![
            json_eq("$.count", "2"),
            json_eq("$.events[1].data[1]", "2"),
            Check::JsonPathGreater { path: "$.ignored_lines".into(), value: 0.0 },
            Check::BodyContains("data: first".into()),
        ],
    );
    assert_eq!(outcome.error, None);
    assert!(outcome.passed(), "{:?}", outcome.assertions);
}

#[test]
fn a_run_reads_an_event_stream_that_ends_by_itself_whole() {
    let server = SseServer::start(vec![write("data: only\n\n")]);
    let outcome =
        run_one(&server.url("/one"), RequestSettings::default(), vec![json_eq("$.events[0].data", "only")]);
    assert!(outcome.passed(), "{:?}", outcome.assertions);
    assert_eq!(server.requests(), 1);
}
