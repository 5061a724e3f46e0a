//! WebSocket connections through the engine against WebSocket servers on 127.0.0.1 that the
//! tests start (tokio-tungstenite), asserting on what the servers received and on the events.
//! No assertion on time: waits are bounded loops that fail with the events seen so far.
// Tests: a failed setup step should fail loudly; tungstenite's handshake callback returns its
// (large) HTTP error response by value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::result_large_err)]

mod support;

#[path = "websocket/server.rs"]
mod server;

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use localpost::http::ws::{
    Direction, EVENT_QUEUE_CAPACITY, QUEUE_BYTES, Reconnect, WsData, WsEvent, WsOptions, WsOutgoing,
    WsSendError, WsState, WsTally, history_summary,
};
use localpost::http::{Engine, PreparedRequest, SendError, prepare};
use localpost::model::*;
use localpost::policy::{EffectivePolicy, SourceInput, SourceKind};
use localpost::vars::{ScopeKind, Scopes};
use server::{WsServer, after_accept, echo_handler, echo_loop, echo_server, write_raw};
use support::{Proxy, Reply, Server, TestCa};
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

// ---- the client side ---------------------------------------------------------------------------

fn settings() -> Settings {
    Settings { proxy: ProxySetting::None, ..Settings::default() }
}

fn engine() -> Engine {
    Engine::new(settings()).unwrap()
}

fn prepared(url: &str) -> PreparedRequest {
    prepare(&Request::new("ws").with_url(url), None, &Scopes::new()).unwrap()
}

/// Events until `done` matches one (bounded: fails with what came).
fn until(handle: &localpost::http::ws::WsHandle, done: impl Fn(&WsEvent) -> bool) -> Vec<WsEvent> {
    let mut seen = Vec::new();
    for _ in 0..200 {
        if let Some(event) = handle.recv_timeout(Duration::from_millis(100)) {
            let stop = done(&event);
            seen.push(event);
            if stop {
                return seen;
            }
        }
    }
    panic!("the awaited event never came; events: {seen:#?}");
}

fn is_open(e: &WsEvent) -> bool {
    matches!(e, WsEvent::Opened { .. })
}

fn is_closed(e: &WsEvent) -> bool {
    matches!(e, WsEvent::Closed { .. })
}

fn received(e: &WsEvent) -> Option<&WsData> {
    match e {
        WsEvent::Message { direction: Direction::Received, data, .. } => Some(data),
        _ => None,
    }
}

fn errors_in(events: &[WsEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            WsEvent::Error { message, .. } => Some(message.clone()),
            _ => None,
        })
        .collect()
}

// ---- connecting and messages -------------------------------------------------------------------

#[test]
fn connects_and_carries_text_and_binary_both_ways_with_variables_resolved() {
    let server = echo_server(&[]);
    let scopes = Scopes::new().with_values(
        ScopeKind::Environment,
        "Dev",
        [("port", server.port.to_string()), ("room", "lobby".to_owned()), ("token", "t0k".to_owned())],
    );
    let mut request = Request::new("chat").with_url("ws://127.0.0.1:{{port}}/chat?room={{room}}");
    request.headers = vec![KeyValue::new("X-Token", "{{token}}")];
    let prepared = prepare(&request, None, &scopes).unwrap();
    let engine = engine();
    let handle = engine.connect_ws(prepared, WsOptions::default());
    let events = until(&handle, is_open);
    assert!(matches!(&events[0], WsEvent::Connecting { attempt: 0, .. }), "{events:?}");
    let WsEvent::Opened { status, headers, protocol, .. } = events.last().unwrap() else { unreachable!() };
    assert_eq!(*status, 101);
    assert!(headers.iter().any(|(k, _)| k == "sec-websocket-accept"), "{headers:?}");
    assert_eq!(*protocol, None);
    assert_eq!(handle.state(), WsState::Open);
    assert!(server.has("path /chat?room=lobby"), "{:?}", server.log());
    assert!(server.has("hdr x-token: t0k"), "{:?}", server.log());

    handle.send(WsOutgoing::Text("héllo {\"a\":1}".into())).unwrap();
    let events = until(&handle, |e| received(e).is_some());
    assert!(
        matches!(&events[0], WsEvent::Message { direction: Direction::Sent, data: WsData::Text(t), size: 14, .. } if t == "héllo {\"a\":1}"),
        "{events:?}"
    );
    assert_eq!(received(events.last().unwrap()), Some(&WsData::Text("héllo {\"a\":1}".into())));

    handle.send(WsOutgoing::Binary(vec![0, 159, 146, 150, 255])).unwrap();
    let events = until(&handle, |e| received(e).is_some());
    assert_eq!(received(events.last().unwrap()), Some(&WsData::Binary(vec![0, 159, 146, 150, 255].into())));
    assert!(server.has("text héllo {\"a\":1}"));
    assert!(server.has("binary b\"\\0\\x9f\\x92\\x96\\xff\""), "{:?}", server.log());
}

#[test]
fn pings_are_answered_and_sent_on_the_interval() {
    let server = WsServer::start(after_accept(|mut ws, log| async move {
        ws.send(Message::Ping(b"srv".to_vec().into())).await.unwrap();
        echo_loop(ws, &log).await;
    }));
    let engine = engine();
    let options = WsOptions { ping_interval: Some(Duration::from_millis(50)), ..WsOptions::default() };
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), options);
    let events = until(&handle, |e| received(e) == Some(&WsData::Ping(b"srv".to_vec().into())));
    assert!(events.iter().any(is_open));
    // The library answers the server's ping by itself; the interval sends ours.
    server.wait_for("pong b\"srv\"");
    server.wait_for("ping b\"\"");
    handle.send(WsOutgoing::Ping(b"me".to_vec())).unwrap();
    until(&handle, |e| received(e) == Some(&WsData::Pong(b"me".to_vec().into())));
}

#[test]
fn the_users_close_sends_its_code_and_the_servers_close_is_reported() {
    let server = echo_server(&[]);
    let engine = engine();
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    until(&handle, is_open);
    handle.close(4000, "bye now");
    let events = until(&handle, is_closed);
    assert!(
        matches!(events.last(), Some(WsEvent::Closed { code: Some(4000), by_server: false, reason, .. }) if reason == "bye now"),
        "{events:?}"
    );
    server.wait_for("close 4000");
    for _ in 0..100 {
        if handle.state() == WsState::Closed {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(handle.state(), WsState::Closed);
    assert_eq!(handle.send(WsOutgoing::Text("late".into())), Err(WsSendError::Ended));

    let server = WsServer::start(after_accept(|mut ws, _log| async move {
        let frame = CloseFrame { code: CloseCode::from(4001), reason: Utf8Bytes::from("done here") };
        let _ = ws.close(Some(frame)).await;
        while ws.next().await.is_some() {}
    }));
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    let events = until(&handle, is_closed);
    assert!(
        matches!(events.last(), Some(WsEvent::Closed { code: Some(4001), by_server: true, reason, .. }) if reason == "done here"),
        "{events:?}"
    );
}

#[test]
fn dropping_the_handle_closes_with_going_away() {
    let server = echo_server(&[]);
    let engine = engine();
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    until(&handle, is_open);
    drop(handle);
    server.wait_for("close 1001");
}

#[test]
fn sending_before_the_connection_opens_is_refused_with_a_message() {
    // A listener that never answers: the connection stays in its upgrade.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let port = listener.local_addr().unwrap().port();
    let engine = engine();
    let handle = engine.connect_ws(prepared(&format!("ws://127.0.0.1:{port}/")), WsOptions::default());
    let err = handle.send(WsOutgoing::Text("early".into())).unwrap_err();
    assert!(err.to_string().contains("not open"), "{err}");
    handle.close(1000, "");
    let events = until(&handle, is_closed);
    assert!(
        matches!(events.last(), Some(WsEvent::Closed { code: None, by_server: false, .. })),
        "{events:?}"
    );
    drop(listener);
}

#[test]
fn reconnects_after_the_server_drops_and_stops_at_the_limit() {
    // Every connection is dropped right after it opens, without a close frame.
    let server = WsServer::start(after_accept(|ws, _log| async move { drop(ws) }));
    let engine = engine();
    let options = WsOptions {
        reconnect: Some(Reconnect { delay: Duration::from_millis(20), max_attempts: 2 }),
        ..WsOptions::default()
    };
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), options);
    let events =
        until(&handle, |e| matches!(e, WsEvent::Error { message, .. } if message.contains("gave up")));
    let attempts: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            WsEvent::Connecting { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(attempts, vec![0, 1, 2], "{events:#?}");
    assert_eq!(events.iter().filter(|e| is_open(e)).count(), 3);
    let errors = errors_in(&events);
    assert!(errors[0].contains("without a close frame"), "{errors:?}");
    assert!(errors.last().unwrap().contains("gave up reconnecting after 2 attempts"), "{errors:?}");
    assert_eq!(server.log().iter().filter(|l| *l == "conn").count(), 3);

    // A close the user asked for is not followed by a reconnect.
    let server = echo_server(&[]);
    let options = WsOptions {
        reconnect: Some(Reconnect { delay: Duration::from_millis(20), max_attempts: 5 }),
        ..WsOptions::default()
    };
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), options);
    until(&handle, is_open);
    handle.close(1000, "");
    until(&handle, is_closed);
    assert_eq!(handle.recv_timeout(Duration::from_millis(200)), None);
    assert_eq!(server.log().iter().filter(|l| *l == "conn").count(), 1);
}

#[test]
fn a_refused_connection_is_named_and_retried_up_to_the_limit() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let engine = engine();
    let options = WsOptions {
        reconnect: Some(Reconnect { delay: Duration::from_millis(10), max_attempts: 2 }),
        ..WsOptions::default()
    };
    let handle = engine.connect_ws(prepared(&format!("ws://127.0.0.1:{port}/")), options);
    let events =
        until(&handle, |e| matches!(e, WsEvent::Error { message, .. } if message.contains("gave up")));
    let errors = errors_in(&events);
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(errors[0].contains("refused") && errors[0].contains(&format!("127.0.0.1:{port}")), "{errors:?}");
    assert!(!events.iter().any(is_open));
}

#[test]
fn a_subprotocol_is_negotiated_and_a_refusal_is_named() {
    let server = echo_server(&[("sec-websocket-protocol", "chat.v1")]);
    let engine = engine();
    let options =
        WsOptions { subprotocols: vec!["chat.v2".into(), "chat.v1".into()], ..WsOptions::default() };
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), options.clone());
    let events = until(&handle, is_open);
    assert!(server.has("hdr sec-websocket-protocol: chat.v2, chat.v1"), "{:?}", server.log());
    assert!(matches!(events.last(), Some(WsEvent::Opened { protocol: Some(p), .. }) if p == "chat.v1"));

    let server = echo_server(&[]);
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), options);
    let events = until(&handle, is_closed_or_error);
    let errors = errors_in(&events);
    assert!(errors[0].contains("accepted none of the subprotocols offered (chat.v2, chat.v1)"), "{errors:?}");
}

fn is_closed_or_error(e: &WsEvent) -> bool {
    matches!(e, WsEvent::Closed { .. } | WsEvent::Error { .. })
}

#[test]
fn cookies_from_the_jar_are_sent_and_set_cookie_on_the_upgrade_is_stored() {
    let server = echo_server(&[("set-cookie", "session=abc; Path=/")]);
    let engine = engine();
    let ws = WorkspaceId::new();
    engine.upsert_cookie(
        Some(ws),
        Cookie {
            name: "theme".into(),
            value: "dark".into(),
            domain: "127.0.0.1".into(),
            path: "/".into(),
            expires: None,
            secure: false,
            http_only: false,
            host_only: true,
            same_site: String::new(),
        },
    );
    let mut p = prepared(&server.url("ws", "/live"));
    p.workspace = Some(ws);
    let handle = engine.connect_ws(p, WsOptions::default());
    let events = until(&handle, is_open);
    assert!(events.last().unwrap().sets_cookies());
    assert!(server.has("hdr cookie: theme=dark"), "{:?}", server.log());
    let jar = engine.cookie_jar(Some(ws));
    assert!(jar.cookies.iter().any(|c| c.name == "session" && c.value == "abc"), "{jar:?}");
}

// ---- refusals and bad input --------------------------------------------------------------------

#[test]
fn a_refused_upgrade_names_the_status_and_the_body() {
    let server = Server::start(|_| Reply::text(403, "no sockets for you"));
    let engine = engine();
    let handle =
        engine.connect_ws(prepared(&server.url("/").replace("http://", "ws://")), WsOptions::default());
    let events = until(&handle, is_closed_or_error);
    let errors = errors_in(&events);
    assert!(
        errors[0].contains("refused the WebSocket upgrade with status 403 Forbidden: no sockets for you"),
        "{errors:?}"
    );
    assert!(errors[0].contains(&format!("127.0.0.1:{}", server.addr.port())), "{errors:?}");
}

#[test]
fn a_server_that_never_answers_the_upgrade_times_out_with_a_message() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts and reads, never answers.
    runtime.spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                while tcp.read(&mut buf).await.is_ok_and(|n| n > 0) {}
            });
        }
    });
    let engine = engine();
    let mut request = Request::new("slow").with_url(format!("ws://127.0.0.1:{port}/"));
    request.settings.timeout_ms = Some(300);
    let handle = engine.connect_ws(prepare(&request, None, &Scopes::new()).unwrap(), WsOptions::default());
    let events = until(&handle, is_closed_or_error);
    let errors = errors_in(&events);
    assert_eq!(errors, vec![format!("127.0.0.1:{port} did not answer the WebSocket upgrade within 0.3 s")]);
}

#[test]
fn invalid_utf8_in_a_text_frame_closes_with_1007() {
    let server = WsServer::start(after_accept(|mut ws, log| async move {
        write_raw(&mut ws, &[0x81, 0x02, 0xff, 0xfe]).await;
        echo_loop(ws, &log).await;
    }));
    let engine = engine();
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    let events = until(&handle, is_closed);
    let errors = errors_in(&events);
    assert!(errors[0].contains("not valid UTF-8") && errors[0].contains("1007"), "{errors:?}");
    assert!(matches!(events.last(), Some(WsEvent::Closed { code: Some(1007), .. })), "{events:?}");
    server.wait_for("close 1007");
}

#[test]
fn a_100_mb_frame_is_refused_before_it_is_read_and_closed_with_1009() {
    // The header announces 100 MB; the payload never needs to come.
    let server = WsServer::start(after_accept(|mut ws, log| async move {
        let mut frame = vec![0x82, 127];
        frame.extend_from_slice(&100_000_000u64.to_be_bytes());
        frame.extend_from_slice(&[7; 1000]);
        write_raw(&mut ws, &frame).await;
        echo_loop(ws, &log).await;
    }));
    let engine = engine();
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    let events = until(&handle, is_closed);
    let errors = errors_in(&events);
    assert!(
        errors[0].contains(
            "a message of 100000000 bytes is larger than the limit of 67108864 bytes: closed with 1009"
        ),
        "{errors:?}"
    );
    assert!(matches!(events.last(), Some(WsEvent::Closed { code: Some(1009), .. })), "{events:?}");
    server.wait_for("close 1009");

    // A smaller limit applies to messages built from fragments too.
    let server = WsServer::start(after_accept(|mut ws, log| async move {
        ws.send(Message::Binary(vec![1; 2048].into())).await.unwrap();
        echo_loop(ws, &log).await;
    }));
    let options = WsOptions { max_message_bytes: 1024, ..WsOptions::default() };
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), options);
    let events = until(&handle, is_closed);
    assert!(
        errors_in(&events)[0].contains("2048 bytes is larger than the limit of 1024 bytes"),
        "{events:?}"
    );
}

#[test]
fn a_connection_closed_mid_message_is_reported_and_nothing_half_read_is_shown() {
    let server = WsServer::start(after_accept(|mut ws, _log| async move {
        ws.send(Message::Text("whole".into())).await.unwrap();
        // A text frame of 1000 bytes of which 10 arrive, then the connection ends.
        let mut frame = vec![0x81, 126, 0x03, 0xe8];
        frame.extend_from_slice(b"0123456789");
        write_raw(&mut ws, &frame).await;
        drop(ws);
    }));
    let engine = engine();
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    let events = until(&handle, is_closed);
    let texts: Vec<_> = events.iter().filter_map(received).collect();
    assert_eq!(texts, vec![&WsData::Text("whole".into())]);
    let errors = errors_in(&events);
    assert!(errors[0].contains("without a close frame"), "{errors:?}");
    assert!(matches!(events.last(), Some(WsEvent::Closed { code: None, by_server: true, .. })));
}

#[test]
fn a_flood_waits_in_a_bounded_queue_and_nothing_is_lost() {
    const COUNT: usize = 100_000;
    let sent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let sent2 = Arc::clone(&sent);
    let server = WsServer::start(after_accept(move |mut ws, _log| {
        let sent = Arc::clone(&sent2);
        async move {
            let payload = "x".repeat(400);
            for i in 0..COUNT {
                if ws.feed(Message::Text(format!("{i:06}{payload}").into())).await.is_err() {
                    return;
                }
                sent.store(i + 1, std::sync::atomic::Ordering::Relaxed);
            }
            let _ = ws.flush().await;
            while ws.next().await.is_some() {}
        }
    }));
    let engine = engine();
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    // Nobody drains: the queue fills, then the connection stops reading and the server waits.
    let mut last = 0;
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(30));
        let now = sent.load(std::sync::atomic::Ordering::Relaxed);
        if now == last && handle.buffered() == EVENT_QUEUE_CAPACITY {
            break;
        }
        last = now;
    }
    assert_eq!(handle.buffered(), EVENT_QUEUE_CAPACITY, "the queue is full and no fuller");
    assert!(sent.load(std::sync::atomic::Ordering::Relaxed) < COUNT, "the server is held back");

    // Draining lets it go on; every message arrives, in order.
    let mut next = 0usize;
    for _ in 0..20_000 {
        let batch = handle.drain(10_000);
        assert!(handle.buffered() <= EVENT_QUEUE_CAPACITY);
        for event in &batch {
            if let Some(WsData::Text(t)) = received(event) {
                assert_eq!(t[..6].parse::<usize>().unwrap(), next);
                next += 1;
            }
        }
        if next == COUNT {
            break;
        }
        if batch.is_empty() {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    assert_eq!(next, COUNT);
}

#[test]
fn big_messages_wait_within_the_byte_budget() {
    const COUNT: usize = 30;
    const SIZE: usize = 3 * 1024 * 1024;
    let server = WsServer::start(after_accept(|mut ws, _log| async move {
        for i in 0..COUNT {
            if ws.send(Message::Binary(vec![i as u8; SIZE].into())).await.is_err() {
                return;
            }
        }
        while ws.next().await.is_some() {}
    }));
    let engine = engine();
    let handle = engine.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    let mut last = usize::MAX;
    for _ in 0..200 {
        std::thread::sleep(Duration::from_millis(30));
        let now = handle.buffered_bytes();
        if now == last && now > 0 {
            break;
        }
        last = now;
    }
    assert!(handle.buffered_bytes() <= QUEUE_BYTES, "{} bytes wait", handle.buffered_bytes());
    assert!(handle.buffered() < COUNT, "not every message was read ahead: {}", handle.buffered());
    let mut got = 0;
    for _ in 0..2000 {
        for event in handle.drain(4) {
            if let Some(WsData::Binary(b)) = received(&event) {
                assert_eq!((b.len(), b[0]), (SIZE, got as u8));
                got += 1;
            }
        }
        assert!(handle.buffered_bytes() <= QUEUE_BYTES);
        if got == COUNT {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(got, COUNT);
}

// ---- TLS, proxy, policy ------------------------------------------------------------------------

fn tls_settings(ca: &TestCa, dir: &std::path::Path) -> Settings {
    Settings { extra_ca_files: vec![support::write_file(dir, "ca.pem", ca.pem.as_bytes())], ..settings() }
}

#[test]
fn wss_trusts_the_settings_ca_and_names_an_unknown_one() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Localpost Test CA");
    let leaf = ca.leaf(&["localhost", "127.0.0.1"], false, false);
    let server = WsServer::start_with(Some(support::server_tls(&leaf, None)), echo_handler(&[]));
    let engine = Engine::new(tls_settings(&ca, dir.path())).unwrap();
    let handle = engine.connect_ws(prepared(&server.url("wss", "/secure")), WsOptions::default());
    until(&handle, is_open);
    handle.send(WsOutgoing::Text("over tls".into())).unwrap();
    until(&handle, |e| received(e) == Some(&WsData::Text("over tls".into())));

    let untrusting = engine_no_ca();
    let handle = untrusting.connect_ws(prepared(&server.url("wss", "/")), WsOptions::default());
    let errors = errors_in(&until(&handle, is_closed_or_error));
    assert!(errors[0].contains("unknown authority"), "{errors:?}");

    let mut insecure = Request::new("x").with_url(server.url("wss", "/"));
    insecure.settings.verify_tls = Some(false);
    let handle =
        untrusting.connect_ws(prepare(&insecure, None, &Scopes::new()).unwrap(), WsOptions::default());
    until(&handle, is_open);
}

fn engine_no_ca() -> Engine {
    engine()
}

#[test]
fn wss_presents_the_client_certificate_the_server_requires() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Localpost Test CA");
    let leaf = ca.leaf(&["127.0.0.1"], false, false);
    let client = ca.leaf(&["client"], false, true);
    let server = WsServer::start_with(Some(support::server_tls(&leaf, Some(&ca))), echo_handler(&[]));

    let without = Engine::new(tls_settings(&ca, dir.path())).unwrap();
    let handle = without.connect_ws(prepared(&server.url("wss", "/")), WsOptions::default());
    let errors = errors_in(&until(&handle, is_closed_or_error));
    assert!(errors[0].contains(&format!("127.0.0.1:{}", server.port)), "{errors:?}");
    assert!(errors[0].contains("the server requires or refused the client certificate"), "{errors:?}");

    let mut with = tls_settings(&ca, dir.path());
    with.client_certificates = vec![ClientCertificate {
        host: format!("127.0.0.1:{}", server.port),
        cert_file: support::write_file(dir.path(), "client.pem", client.cert_pem.as_bytes()),
        key_file: support::write_file(dir.path(), "client.key", client.key_pem.as_bytes()),
        ..ClientCertificate::default()
    }];
    let engine = Engine::new(with).unwrap();
    let handle = engine.connect_ws(prepared(&server.url("wss", "/")), WsOptions::default());
    until(&handle, is_open);
    assert!(server.has("tls client_cert=true"), "{:?}", server.log());
}

#[test]
fn ws_and_wss_go_through_the_proxy_tunnel_with_its_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let proxy = Proxy::start(Some("Basic dXNlcjpwIHc=".into())); // user:p w
    let plain = echo_server(&[]);
    let ca = TestCa::new("Localpost Test CA");
    let leaf = ca.leaf(&["127.0.0.1"], false, false);
    let secure = WsServer::start_with(Some(support::server_tls(&leaf, None)), echo_handler(&[]));
    let mut s = tls_settings(&ca, dir.path());
    s.proxy = ProxySetting::Manual {
        url: proxy.url(),
        username: "user".into(),
        password: "p w".into(),
        no_proxy: String::new(),
    };
    let engine = Engine::new(s.clone()).unwrap();
    for (server, scheme) in [(&plain, "ws"), (&secure, "wss")] {
        let handle = engine.connect_ws(prepared(&server.url(scheme, "/")), WsOptions::default());
        until(&handle, is_open);
        handle.send(WsOutgoing::Text(format!("via {scheme}"))).unwrap();
        until(&handle, |e| received(e).is_some());
        let seen = proxy.seen.lock().unwrap().clone();
        let line = format!("CONNECT 127.0.0.1:{} HTTP/1.1", server.port);
        assert!(
            seen.iter().any(|(l, auth)| *l == line && auth.as_deref() == Some("Basic dXNlcjpwIHc=")),
            "{seen:?}"
        );
    }

    // Wrong credentials: the proxy's refusal is named.
    s.proxy = ProxySetting::Manual {
        url: proxy.url(),
        username: "user".into(),
        password: "wrong".into(),
        no_proxy: String::new(),
    };
    let engine = Engine::new(s).unwrap();
    let handle = engine.connect_ws(prepared(&plain.url("ws", "/")), WsOptions::default());
    let errors = errors_in(&until(&handle, is_closed_or_error));
    assert!(errors[0].contains("the proxy refused the tunnel") && errors[0].contains("407"), "{errors:?}");
}

fn policy(text: &str) -> EffectivePolicy {
    let source =
        SourceInput::new("/etc/localpost/policy.ron", SourceKind::Machine, Ok(text.as_bytes().to_vec()));
    EffectivePolicy::from_inputs(vec![source])
}

fn engine_under(policy: &EffectivePolicy) -> Engine {
    let engine = Engine::new(policy.effective_settings(&settings())).unwrap();
    engine.set_guard(Arc::new(policy.clone()));
    engine
}

#[test]
fn the_policy_refuses_hosts_and_schemes_before_connecting() {
    let server = echo_server(&[]);
    let blocked = engine_under(&policy(r#"(schema_version: 1, blocked_hosts: ["127.0.0.1"])"#));
    let handle = blocked.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    let errors = errors_in(&until(&handle, is_closed_or_error));
    assert!(
        errors[0].contains("blocked by the organization policy") && errors[0].contains("blocked_hosts"),
        "{errors:?}"
    );

    // `https` allows wss and not ws.
    let https_only = engine_under(&policy(r#"(schema_version: 1, allowed_schemes: ["https"])"#));
    let handle = https_only.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    let errors = errors_in(&until(&handle, is_closed_or_error));
    assert!(errors[0].contains("the scheme `ws` is not in allowed_schemes (https)"), "{errors:?}");
    // `http` allows ws.
    let http = engine_under(&policy(r#"(schema_version: 1, allowed_schemes: ["http"])"#));
    let handle = http.connect_ws(prepared(&server.url("ws", "/")), WsOptions::default());
    until(&handle, is_open);
    assert_eq!(server.log().iter().filter(|l| *l == "conn").count(), 1, "only the allowed one connected");

    // An allow-list left empty (its only entry is not a scheme) refuses everything, with no retry.
    let locked = engine_under(&policy("(schema_version: 1, allowed_schemes: [\"https://\"])"));
    let options = WsOptions {
        reconnect: Some(Reconnect { delay: Duration::from_millis(10), max_attempts: 3 }),
        ..WsOptions::default()
    };
    let handle = locked.connect_ws(prepared(&server.url("ws", "/")), options);
    let events = until(&handle, is_closed_or_error);
    assert!(!errors_in(&events).is_empty());
    assert_eq!(handle.recv_timeout(Duration::from_millis(200)), None, "a refusal is not retried");
}

#[test]
fn an_http_send_of_a_ws_url_is_refused_and_prepare_keeps_ws_urls() {
    let p = prepared("ws://example.test:8080/socket?x=1");
    assert_eq!(p.url.as_str(), "ws://example.test:8080/socket?x=1");
    assert_eq!(prepared("WSS://example.test/").url.scheme(), "wss");
    let err = engine().send_blocking(&p).unwrap_err();
    assert!(matches!(err, SendError::UnsupportedScheme { .. }), "{err}");
    let handle = engine().connect_ws(prepared("http://example.test/"), WsOptions::default());
    let errors = errors_in(&until(&handle, is_closed_or_error));
    assert!(errors[0].contains("not a WebSocket URL"), "{errors:?}");
}

#[test]
fn the_history_summary_counts_and_redacts() {
    let server = echo_server(&[]);
    let mut request = Request::new("chat").with_url(server.url("ws", "/chat"));
    request.auth = Auth::Bearer { token: "sekrit-token".into() };
    let prepared = prepare(&request, None, &Scopes::new()).unwrap();
    let engine = engine();
    let handle = engine.connect_ws(prepared.clone(), WsOptions::default());
    let mut tally = WsTally::default();
    for e in until(&handle, is_open) {
        tally.observe(&e);
    }
    assert!(server.has("hdr authorization: Bearer sekrit-token"), "{:?}", server.log());
    handle.send(WsOutgoing::Text("12345".into())).unwrap();
    for e in until(&handle, |e| received(e).is_some()) {
        tally.observe(&e);
    }
    handle.close(1000, "done");
    for e in until(&handle, is_closed) {
        tally.observe(&e);
    }
    let summary = history_summary(&prepared, &tally);
    assert_eq!(summary.request.method, "GET");
    assert!(summary.request.url.starts_with("ws://127.0.0.1:"));
    let auth = summary.request.headers.iter().find(|h| h.name.eq_ignore_ascii_case("authorization")).unwrap();
    assert!(!auth.value.contains("sekrit"), "{auth:?}");
    assert_eq!((summary.counts.sent_messages, summary.counts.sent_bytes), (1, 5));
    assert_eq!((summary.counts.received_messages, summary.counts.received_bytes), (1, 5));
    assert_eq!(summary.counts.close_code, Some(1000));
    assert!(
        summary.line.starts_with("101 · 1 sent (5 bytes) · 1 received (5 bytes) · closed 1000"),
        "{}",
        summary.line
    );
}

#[test]
fn allowed_schemes_http_allows_ws_and_https_allows_wss() {
    let url = |s: &str| url::Url::parse(s).unwrap();
    let https = policy(r#"(schema_version: 1, allowed_schemes: ["https"])"#);
    assert!(https.check_url(&url("wss://a.test/")).is_ok());
    assert!(https.check_url(&url("ws://a.test/")).is_err());
    let ws_only = policy(r#"(schema_version: 1, allowed_schemes: ["ws"])"#);
    assert!(ws_only.check_url(&url("ws://a.test/")).is_ok());
    assert!(ws_only.check_url(&url("wss://a.test/")).is_err());
    assert!(ws_only.check_url(&url("http://a.test/")).is_err());
}
