//! The WebSocket message log with 100,000 messages, in a headless window (the real log view of
//! a WebSocket tab, the real log: the newest messages in memory, the rest spilled to its file and
//! read back page by page while scrolling). Measured, frame by frame on the CPU:
//!
//! 1. the floor: the same frame loop drawing a blank egui panel;
//! 2. wheel-scrolling from the newest message up through the whole log (into the spilled part);
//! 3. jumping to spread positions of the log, end to end;
//! 4. following a flood: 500 new messages a frame with auto-scroll on.
//!
//! Targets (issue 18): median <= 8 ms, worst <= 33 ms while scrolling. Printed with the ratio to
//! the floor (the machine is shared and noisy). `cargo bench --bench ws_log`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a failed setup should fail loudly

mod frames;

use std::time::Duration;

use frames::{Window, stats};
use localpost::app::state::{RequestTab, TabId};
use localpost::app::ws::WsTab;
use localpost::app::ws::log::{DataKind, EntryKind, LogEntry};
use localpost::model::Request;

const MESSAGES: usize = 100_000;

fn median(mut frames: Vec<Duration>) -> Duration {
    frames.sort();
    frames[frames.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn message(i: usize) -> LogEntry {
    let text = if i.is_multiple_of(3) {
        format!(
            r#"{{"seq": {i}, "type": "tick", "price": {}.{:02}, "symbol": "EURUSD"}}"#,
            1 + i % 7,
            i % 100
        )
    } else {
        format!("message number {i}: the quick brown fox jumps over the lazy dog")
    };
    LogEntry {
        at: time::OffsetDateTime::now_utc(),
        kind: if i.is_multiple_of(2) { EntryKind::Sent } else { EntryKind::Received },
        data: DataKind::Text,
        size_bytes: text.len(),
        text,
    }
}

fn wheel(delta: f32) -> Vec<egui::Event> {
    vec![
        egui::Event::PointerMoved(egui::pos2(900.0, 500.0)),
        egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        },
    ]
}

fn main() {
    let mut window = Window::new();
    let floor = window.blank_frames(300);
    let floor_median = median(floor.clone());
    println!("floor (blank egui panel): {}", stats(floor));

    let mut tab = RequestTab::new(Request::websocket("bench"), None);
    let mut live = WsTab::default();
    for i in 0..MESSAGES {
        live.log.push(message(i));
    }
    println!(
        "log: {} messages, {} in memory, {} spilled to disk",
        live.log.len(),
        live.log.in_memory(),
        live.log.spilled()
    );
    tab.websocket = Some(Box::new(live));
    let tab_id = TabId(1);
    let mut out = Vec::new();
    let mut window = Window::new();
    let mut draw = |window: &mut Window, tab: &mut RequestTab, events: Vec<egui::Event>| {
        if let Some(live) = tab.websocket.as_deref_mut() {
            live.log.poll();
        }
        window.frame(events, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                localpost::ui::ws::websocket_log_ui(ui, tab, &mut out, tab_id);
            });
        })
    };
    for _ in 0..5 {
        draw(&mut window, &mut tab, Vec::new());
    }
    if let Some(live) = tab.websocket.as_deref_mut() {
        live.paused = true;
    }
    // Up through the whole log: 100,000 rows of ~20 px in 600 frames.
    let scrolling: Vec<Duration> = (0..600).map(|_| draw(&mut window, &mut tab, wheel(3_400.0))).collect();
    println!(
        "log: wheel-scrolling up through {MESSAGES} messages: {} ({:.1}x floor median)",
        stats(scrolling.clone()),
        ms(median(scrolling)) / ms(floor_median)
    );
    let back: Vec<Duration> = (0..600).map(|_| draw(&mut window, &mut tab, wheel(-3_400.0))).collect();
    println!(
        "log: wheel-scrolling back down: {} ({:.1}x floor median)",
        stats(back.clone()),
        ms(median(back)) / ms(floor_median)
    );
    // Following a flood with auto-scroll on.
    if let Some(live) = tab.websocket.as_deref_mut() {
        live.paused = false;
    }
    let mut next = MESSAGES;
    let flood: Vec<Duration> = (0..300)
        .map(|_| {
            if let Some(live) = tab.websocket.as_deref_mut() {
                for _ in 0..500 {
                    live.log.push(message(next));
                    next += 1;
                }
            }
            draw(&mut window, &mut tab, Vec::new())
        })
        .collect();
    println!(
        "log: following 500 new messages a frame (to {next}): {} ({:.1}x floor median)",
        stats(flood.clone()),
        ms(median(flood)) / ms(floor_median)
    );
    if let Some(live) = tab.websocket.as_deref() {
        println!("log: {} in memory, {} spilled at the end", live.log.in_memory(), live.log.spilled());
    }
}
