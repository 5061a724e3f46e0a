//! Responses that show while they arrive (issue 18): the status, the first lines and the bytes
//! so far are on screen while the server still holds the rest back; Stop keeps what arrived and
//! says so; the formatted view follows the end; a long body shows a bounded window meanwhile.

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use localpost::shell::Window;

use crate::support::app::{WAIT, new_tab, open, sending, shown, step_until_drawn, type_url, wait_for_send};
use crate::support::trickle::{Drip, Trickle};

/// Starts sending `url` from a new tab; returns once the click went through.
fn start_send(harness: &mut Harness<'_, Window>, url: &str) {
    new_tab(harness);
    type_url(harness, url);
    harness.get_by_label("Send").click();
    harness.run_steps(1);
}

fn wait_shown(harness: &mut Harness<'_, Window>, text: &str) {
    step_until_drawn(harness, &format!("\"{text}\" on screen"), WAIT, |h| shown(h, text));
}

/// The live body's window as the view holds it, while the active tab is sending.
fn live_window_len(harness: &Harness<'_, Window>) -> Option<usize> {
    let tab = harness.state().state.active()?.request()?;
    Some(tab.in_flight.as_ref()?.live.window()?.text.len())
}

#[test]
fn the_first_lines_and_the_bytes_so_far_show_before_the_body_ends() {
    let first = r#"{"items":[{"id":1,"name":"first item"},"#;
    let server = Trickle::start(
        "application/json",
        None,
        vec![
            Drip::Write(first.as_bytes().to_vec()),
            Drip::Gate(1),
            Drip::Write(br#"{"id":2,"name":"second item"}]}"#.to_vec()),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    start_send(&mut harness, &server.url("/items"));

    wait_shown(&mut harness, "first item");
    assert!(sending(harness.state()), "the server holds the rest back: the send is not over");
    assert!(shown(&harness, "200 OK"), "the status shows with the head");
    assert!(shown(&harness, &format!("Receiving… {} B", first.len())), "the bytes so far");
    assert!(!shown(&harness, "second item"));
    assert!(shown(&harness, "Stop"));

    server.open(1);
    wait_for_send(&mut harness);
    // Formatted: the pretty view puts a space after each colon, the raw body has none.
    wait_shown(&mut harness, r#""name": "second item""#);
    assert!(shown(&harness, r#""id": 1,"#));
    assert!(!shown(&harness, "Receiving…"));
}

#[test]
fn stop_keeps_the_partial_body_and_says_it_was_stopped() {
    let server = Trickle::start(
        "text/plain",
        None,
        vec![Drip::Write(b"line one of many\n".to_vec()), Drip::Gate(1), Drip::Write(b"line two\n".to_vec())],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    start_send(&mut harness, &server.url("/log"));
    wait_shown(&mut harness, "line one of many");

    harness.get_by_label("Stop").click();
    harness.run_steps(1);
    wait_for_send(&mut harness);
    wait_shown(&mut harness, "Stopped after 17 B");
    assert!(shown(&harness, "line one of many"), "what arrived stays");
    assert!(!shown(&harness, "line two"));
    assert!(!shown(&harness, "Could not send"), "a stopped body is a response, not an error");
    server.open(1);
}

#[test]
fn a_long_body_shows_a_bounded_window_while_it_arrives() {
    let line = "a line of a long log that keeps coming, with some words in it\n";
    let block = line.repeat(16 * 1024); // about 1 MB
    let mut drips: Vec<Drip> = (0..3).map(|_| Drip::Write(block.clone().into_bytes())).collect();
    drips.push(Drip::Write(b"the latest line so far\n".to_vec()));
    drips.push(Drip::Gate(1));
    drips.push(Drip::Write(b"the end\n".to_vec()));
    let server = Trickle::start("text/plain", None, drips);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    start_send(&mut harness, &server.url("/log"));

    wait_shown(&mut harness, "the latest part while receiving");
    step_until_drawn(&mut harness, "the latest line in the window", WAIT, |h| {
        h.state()
            .state
            .active()
            .and_then(|t| t.request())
            .and_then(|r| r.in_flight.as_ref())
            .and_then(|f| f.live.window())
            .is_some_and(|w| w.text.contains("the latest line so far"))
    });
    let window = live_window_len(&harness).expect("a live window");
    let body = 3 * block.len();
    assert!(window < body / 2, "the window ({window} bytes) is bounded, not the body ({body} bytes)");
    assert!(shown(&harness, "a line of a long log"));

    server.open(1);
    wait_for_send(&mut harness);
    step_until_drawn(&mut harness, "the whole body", Duration::from_secs(20), |h| {
        h.state()
            .state
            .active()
            .and_then(|t| t.request())
            .and_then(|r| r.response.as_ref())
            .is_some_and(|r| r.size_bytes == (body + 23 + 8) as u64)
    });
    assert!(!shown(&harness, "Receiving…"));
}
