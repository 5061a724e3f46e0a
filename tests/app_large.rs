//! A 50 MB JSON response in the window: it opens without blocking, only visible rows are laid
//! out, find-in-body runs in the background and brings a match at the very end into view.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

use std::time::{Duration, Instant};

use egui_kittest::kittest::{By, Queryable};
use localpost::app::response::{BodyMode, ResponseOrigin, ResponseView};
use localpost::model::*;
use support::app::{new_tab, open, shown, step_until_drawn};

/// Preparing and searching 50 MB takes a while in a debug build.
const LARGE_WAIT: Duration = Duration::from_secs(60);

fn big_json(target: usize) -> String {
    let mut s = String::with_capacity(target + 100);
    s.push('[');
    let mut i = 0u64;
    while s.len() < target {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("{{\"id\":{i},\"name\":\"item {i}\",\"tags\":[\"a\",\"b\"],\"ok\":true}}"));
        i += 1;
    }
    s.push(']');
    s
}

#[test]
fn a_50_mb_response_opens_searches_and_scrolls_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);

    let body = big_json(50 * 1024 * 1024);
    let last_id = body.rsplit("\"id\":").next().unwrap().split(',').next().unwrap().to_owned();
    let record = ResponseRecord {
        status: 200,
        reason: "OK".into(),
        http_version: "HTTP/1.1".into(),
        headers: vec![Header::new("content-type", "application/json")],
        size_bytes: body.len() as u64,
        body: Some(StoredBody::Text(body)),
        ..ResponseRecord::default()
    };
    let view = ResponseView::from_record(&record, SentRequest::default(), ResponseOrigin::Live);
    let started = Instant::now();
    {
        let app = harness.state_mut();
        let tab = app.state.tabs.last_mut().unwrap();
        tab.request_mut().unwrap().response = Some(view);
    }
    // The window keeps painting while the body is prepared in the background.
    harness.step();
    assert!(started.elapsed() < Duration::from_secs(2), "a frame took {:?}", started.elapsed());
    step_until_drawn(&mut harness, "the first pretty-printed lines", LARGE_WAIT, |h| {
        shown(h, "\"name\": \"item 0\"")
    });
    assert_eq!(
        harness.state().state.active().unwrap().request().unwrap().response.as_ref().unwrap().body_view.mode,
        BodyMode::Pretty
    );
    // Only the rows in view are in the UI: a few dozen, not millions.
    let rows =
        harness.query_all(By::new().predicate(|n| n.value().is_some_and(|v| v.contains("\"id\": ")))).count();
    assert!((1..200).contains(&rows), "{rows} rows laid out");

    // Find the very last item; the view scrolls to it.
    let needle = format!("\"item {last_id}\"");
    let find = harness.get_by_label("Find in body");
    find.focus();
    find.type_text(&needle);
    harness.run_steps(1);
    step_until_drawn(&mut harness, "the search result", LARGE_WAIT, |h| {
        h.state()
            .state
            .active()
            .unwrap()
            .request()
            .unwrap()
            .response
            .as_ref()
            .unwrap()
            .body_view
            .find
            .matches
            .len()
            == 1
    });
    step_until_drawn(&mut harness, "the last item in view", LARGE_WAIT, |h| shown(h, &needle));
    assert!(shown(&harness, "1 of 1"));
}
