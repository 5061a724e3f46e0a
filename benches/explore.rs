//! The response explored, on a generated 200 MB JSON body (`cargo bench --bench explore`):
//!
//! 1. the JSONPath filter, `$..id` (every id, millions of matches) and `$.items[0:10]`, from the
//!    expression to the matches as text, the body parsed by the filter itself (a first filter of
//!    a response) and with the parse already shared (the filters after it);
//! 2. the floor for 1, measured in the same run on the same bytes: `serde_json` parsing the body
//!    into a `Value`, the least a JSONPath over a `Value` can cost;
//! 3. the Tree view: building it (checking the body, indexing the root), opening the 200 MB
//!    `items` array (millions of rows), then the frame time while jumping through every row
//!    (300 jumps, one a frame) and while wheel-scrolling;
//! 4. the floor for 3: the same frame loop drawing a blank egui panel.
//!
//! A frame is the CPU's part: `Context::run_ui` and tessellation. Medians and worst cases are
//! printed with the ratio to their floor (the machine is shared and noisy).
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is a failed run

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

#[path = "frames/mod.rs"]
mod frames;

use frames::{Window, stats};
use localpost::app::body_filter::{FilterOutcome, Parsed, json_path};
use localpost::app::json_tree::TreeView;
use localpost::app::state::TabId;

const SIZE: usize = 200 * 1024 * 1024;
const RUNS: usize = 3;

/// `{"items": [{"id": 0, "name": "item 0", "tags": ["a", "b"], "ok": true}, ...]}`, minified.
fn big_json(target: usize) -> Vec<u8> {
    let mut s = String::with_capacity(target + 200);
    s.push_str("{\"items\":[");
    let mut i = 0u64;
    while s.len() < target {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("{{\"id\":{i},\"name\":\"item {i}\",\"tags\":[\"a\",\"b\"],\"ok\":true}}"));
        i += 1;
    }
    s.push_str("],\"total\":");
    s.push_str(&i.to_string());
    s.push('}');
    s.into_bytes()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn resident_mb() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0.0);
    pages * 4096.0 / 1024.0 / 1024.0
}

/// One JSONPath run: the time and the number of matches.
fn filter(body: &[u8], parsed: &Parsed, query: &str) -> (Duration, usize) {
    let started = Instant::now();
    let outcome = json_path(body, parsed, query, &AtomicBool::new(false)).unwrap();
    let took = started.elapsed();
    match outcome {
        FilterOutcome::Matches { count, doc } => {
            assert!(doc.text.starts_with('['), "the matches as a JSON array");
            (took, count)
        }
        other => panic!("{query}: {other:?}"),
    }
}

fn bench_filter(body: &Arc<[u8]>, items: usize) {
    let floor = median(
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let value: serde_json::Value = serde_json::from_slice(body).unwrap();
                let took = started.elapsed();
                drop(value);
                took
            })
            .collect(),
    );
    println!(
        "floor (serde_json parse of the 200 MB to a Value): median {:.0} ms over {RUNS} runs",
        ms(floor)
    );
    for (query, expected) in [("$..id", items), ("$.items[0:10]", 10)] {
        let first: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let (took, count) = filter(body, &Parsed::default(), query);
                assert_eq!(count, expected, "{query}");
                took
            })
            .collect();
        let shared = Parsed::default();
        filter(body, &shared, query);
        let later: Vec<Duration> = (0..RUNS).map(|_| filter(body, &shared, query).0).collect();
        let (first, later) = (median(first), median(later));
        println!(
            "JSONPath {query} ({expected} matches): first filter {:.0} ms ({:.2}x floor); later filters, parse shared, {:.0} ms ({:.2}x floor)",
            ms(first),
            ms(first) / ms(floor),
            ms(later),
            ms(later) / ms(floor)
        );
    }
}

fn bench_tree(body: &Arc<[u8]>, items: usize) {
    let mut window = Window::new();
    let floor = window.blank_frames(300);
    let floor_median = median(floor.clone());
    println!("floor (blank egui panel): {}", stats(floor));

    let before_mb = resident_mb();
    let mut window = Window::new();
    let mut view = TreeView::new(body.clone());
    let mut out = Vec::new();
    let tab = TabId(1);
    let mut draw = |window: &mut Window, view: &mut TreeView, events: Vec<egui::Event>| {
        window.frame(events, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                localpost::ui::json_tree::tree_ui(ui, tab, "bench", view, &mut out);
            });
        })
    };
    let started = Instant::now();
    loop {
        draw(&mut window, &mut view, Vec::new());
        if view.tree(&window.ctx).is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let built = started.elapsed();
    let rows = view.tree(&window.ctx).unwrap().unwrap().rows();
    println!("tree: built (body checked, root indexed) in {:.0} ms; {rows} rows shown", ms(built));
    // Open `items` (row 1) and wait for its 200 MB to be indexed in the background.
    let started = Instant::now();
    view.toggle(&window.ctx, 1);
    let mut opening = Vec::new();
    loop {
        opening.push(draw(&mut window, &mut view, Vec::new()));
        if view.tree(&window.ctx).unwrap().unwrap().rows() > items {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let rows = view.tree(&window.ctx).unwrap().unwrap().rows();
    println!(
        "tree: opening the 200 MB items array: {:.0} ms to {rows} rows; frames meanwhile {}; {:.0} MB more resident",
        ms(started.elapsed()),
        stats(opening),
        resident_mb() - before_mb
    );
    let jumps: Vec<Duration> = (0..=300)
        .map(|k| {
            view.scroll_to_row = Some(rows.saturating_sub(1) * k / 300);
            draw(&mut window, &mut view, Vec::new())
        })
        .collect();
    println!(
        "tree: jumping end to end: {} ({:.1}x floor median)",
        stats(jumps.clone()),
        ms(median(jumps)) / ms(floor_median)
    );
    let over = egui::Event::PointerMoved(egui::pos2(800.0, 500.0));
    let wheel: Vec<Duration> = (0..300)
        .map(|_| {
            let wheel = egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -2000.0),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            };
            draw(&mut window, &mut view, vec![over.clone(), wheel])
        })
        .collect();
    println!(
        "tree: wheel-scrolling: {} ({:.1}x floor median)",
        stats(wheel.clone()),
        ms(median(wheel)) / ms(floor_median)
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let body: Arc<[u8]> = big_json(SIZE).into();
    let tail = String::from_utf8_lossy(&body[body.len() - 30..]).to_string();
    let items: usize = tail.rsplit(':').next().unwrap().trim_end_matches('}').parse().unwrap();
    println!("body: {:.0} MB of JSON, {items} items", body.len() as f64 / 1024.0 / 1024.0);
    bench_filter(&body, items);
    bench_tree(&body, items);
}
