//! The Events view of a `text/event-stream` response: rows appear while the stream runs, the
//! filter narrows them, Stop (in place of Cancel) ends the stream and the events stay, beside
//! the raw body.

use egui_kittest::kittest::Queryable;
use localpost::app::command::Command;
use localpost::app::sse::SseSession;
use localpost::app::state::ResponseSection;
use localpost::shell::Window;

use crate::support::app::{apply, new_tab, open, sending, shown, step_until, type_into, type_url};
use crate::support::sse::{SseServer, Step, write};

fn events(app: &Window) -> Option<&SseSession> {
    app.state.active().and_then(|t| t.request()).and_then(|r| r.sse.as_ref())
}

fn total(app: &Window) -> u64 {
    events(app).map_or(0, |s| s.log.summary().total)
}

#[test]
fn events_show_as_rows_while_streaming_filter_and_stop() {
    let server = SseServer::start(vec![
        write(": welcome\n\nid: 1\nevent: price\ndata: {\"usd\": 7}\n\n"),
        write("id: 2\nevent: news\ndata: hello world\n\n"),
        Step::Gate,
        write("id: 3\nevent: price\ndata: {\"usd\": 8}\n\n"),
        Step::KeepAlive,
    ]);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/prices"));
    harness.get_by_label("Send").click();
    step_until(&mut harness, "two events", |app| total(app) == 2);

    // Streaming: the rows, the count, Stop in place of Cancel (twice: by the URL and above the
    // rows).
    assert!(sending(harness.state()));
    assert!(shown(&harness, "Streaming"));
    assert!(shown(&harness, "2 events · 1 ignored line"));
    assert!(shown(&harness, "hello world"));
    assert!(shown(&harness, "{\"usd\": 7}"));
    assert!(harness.query_by_label("Cancel").is_none(), "Stop replaces Cancel");
    assert_eq!(harness.query_all_by_label("⏹ Stop").count(), 2);

    // The filter keeps the rows whose type or data matches, also for events still to come.
    type_into(&mut harness, "Filter events", "PRICE");
    assert!(shown(&harness, "(1 shown)"));
    assert!(!shown(&harness, "hello world"));
    server.open_gate();
    step_until(&mut harness, "the third event", |app| total(app) == 3);
    assert!(shown(&harness, "(2 shown)"));
    assert!(shown(&harness, "{\"usd\": 8}"));

    // Opening a row shows its data whole, pretty JSON.
    harness.query_all_by_label("{\"usd\": 8}").next().expect("the row").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Event #3"));
    assert!(shown(&harness, "\"usd\": 8\n}"), "pretty JSON below the list");

    // Stop: the send ends with what arrived; the events stay, and the body is there too.
    harness.query_all_by_label("⏹ Stop").next().expect("Stop").click();
    step_until(&mut harness, "the stream to stop", |app| !sending(app));
    assert!(shown(&harness, "Stream closed"));
    assert!(shown(&harness, "Events (3)"));
    assert!(shown(&harness, "{\"usd\": 8}"));
    let tab = harness.state().state.active().and_then(|t| t.request()).unwrap();
    assert_eq!(tab.response_section, ResponseSection::Events);
    let response = tab.response.as_ref().expect("the response so far");
    assert_eq!(response.status, 200);
    assert!(String::from_utf8_lossy(&response.body).contains("data: hello world"));
    // The response's Body (the request editor has one too, drawn first).
    harness.query_all_by_label("Body").last().expect("Body").click();
    harness.run_steps(2);
    assert!(shown(&harness, "event: news"), "the raw stream in the Body view");
}

#[test]
fn closing_the_tab_ends_the_stream() {
    let server = SseServer::start(vec![write("data: one\n\n"), Step::KeepAlive]);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/forever"));
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the first event", |app| total(app) == 1);
    let tab = harness.state().state.active_tab.unwrap();
    apply(&mut harness, Command::CloseTabDiscard(tab));
    step_until(&mut harness, "the server to see the connection closed", |_| server.client_gone());
}

#[test]
fn a_response_that_is_not_an_event_stream_has_no_events_view() {
    let server = crate::support::Server::start(|_| crate::support::Reply::json("{\"a\": 1}"));
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, &server.url("/json"));
    crate::support::app::send_and_wait(&mut harness);
    assert!(!shown(&harness, "Events ("));
    assert!(events(harness.state()).is_some_and(|s| !s.is_stream()));
}
