//! The Events view of a Server-Sent Events response (`cargo bench --bench sse`):
//!
//! 1. frames while wheel-scrolling a log full of events (50,000 kept of 100,000 received);
//! 2. frames while a flood arrives: 1,000 events appended before every frame (60,000 a second
//!    at 60 frames a second), the view following the newest;
//! 3. the frame after a filter is typed over the 50,000 events (it scans all of them once), and
//!    the frames after it (they scan only what is new);
//! 4. the floor for all of them, measured in the same run: the same frame loop drawing a blank
//!    egui panel.
//!
//! A frame is the CPU's part: `Context::run_ui` and tessellation. Medians and worst cases are
//! printed with the ratio to the floor (the machine is shared and noisy).
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is a failed run

use std::time::Duration;

#[path = "frames/mod.rs"]
mod frames;

use frames::{Window, stats};
use localpost::app::sse::{SseLog, SseSession};
use localpost::app::state::TabId;
use localpost::http::sse::{Event, Ignored};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut frames: Vec<Duration>) -> Duration {
    frames.sort();
    frames[frames.len() / 2]
}

fn event(n: u64) -> Event {
    let data = if n.is_multiple_of(3) {
        format!(
            "{{\"symbol\": \"ACME\", \"price\": {}.25, \"seq\": {n}, \"tags\": [\"live\", \"quote\"]}}",
            n % 500
        )
    } else if n % 3 == 1 {
        format!("Breaking: item {n}\nsecond line of item {n}")
    } else {
        "ok".to_owned()
    };
    let kind = ["price", "news", "heartbeat"][(n % 3) as usize];
    Event { event: kind.into(), id: n.to_string(), data, retry_ms: Some(3000), truncated: false }
}

fn append(log: &SseLog, from: u64, count: u64) {
    log.append((from..from + count).map(event).collect(), Ignored::default());
}

fn draw(window: &mut Window, session: &mut SseSession, events: Vec<egui::Event>) -> Duration {
    window.frame(events, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            localpost::ui::sse::events_ui(ui, TabId(1), session, true, &mut Vec::new());
        });
    })
}

fn wheel() -> Vec<egui::Event> {
    vec![
        egui::Event::PointerMoved(egui::pos2(800.0, 500.0)),
        egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 600.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        },
    ]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let mut floor_window = Window::new();
    let floor = floor_window.blank_frames(300);
    let floor_median = median(floor.clone());
    println!("floor (blank panel): {}", stats(floor));

    // 1. Scrolling: the log holds the newest 50,000 of 100,000 events.
    let log = SseLog::new();
    append(&log, 0, 100_000);
    let mut session = SseSession::new(log.clone());
    let mut window = Window::new();
    for _ in 0..3 {
        draw(&mut window, &mut session, Vec::new());
    }
    session.follow = false;
    let scrolling: Vec<Duration> = (0..300).map(|_| draw(&mut window, &mut session, wheel())).collect();
    println!(
        "scrolling 50,000 kept events: {} ({:.1}x floor median)",
        stats(scrolling.clone()),
        ms(median(scrolling)) / ms(floor_median)
    );

    // 2. A flood: 1,000 events before every frame, following the newest.
    session.follow = true;
    let mut next = 100_000;
    let flood: Vec<Duration> = (0..300)
        .map(|_| {
            append(&log, next, 1_000);
            next += 1_000;
            draw(&mut window, &mut session, Vec::new())
        })
        .collect();
    println!(
        "1,000 new events a frame, following: {} ({:.1}x floor median); {} received, {} kept",
        stats(flood.clone()),
        ms(median(flood)) / ms(floor_median),
        log.summary().total,
        log.summary().total - log.summary().dropped
    );

    // 3. A filter typed over the full log, then frames with new events.
    session.filter = "acme".into();
    let first = draw(&mut window, &mut session, Vec::new());
    let after: Vec<Duration> = (0..300)
        .map(|_| {
            append(&log, next, 100);
            next += 100;
            draw(&mut window, &mut session, Vec::new())
        })
        .collect();
    println!(
        "filter over 50,000 events: first frame {:.2} ms; then with 100 new events a frame: {} ({:.1}x floor median)",
        ms(first),
        stats(after.clone()),
        ms(median(after)) / ms(floor_median)
    );
}
