//! Import speed: the largest corpus collection (Fastly, 406 requests with a saved example each)
//! repeated to 10,000 requests, imported as one Postman v2.1 file. Target: <= 500 ms.
//!
//! The floor, measured in the same run on the same bytes, is parsing the JSON into a generic
//! `serde_json::Value`: the least any importer has to do. The report prints medians of several
//! runs and the ratio to the floor (the machine is shared and noisy).
//!
//! `cargo bench --bench import`

// A benchmark, not user-facing code: a broken workload should stop it loudly.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

const TARGET_REQUESTS: usize = 10_000;
const RUNS: usize = 7;
const TARGET: Duration = Duration::from_millis(500);

/// The import corpus kept in the repository (`tests/fixtures/corpus/`, with its manifest).
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

fn count_requests(items: &[Value]) -> usize {
    items
        .iter()
        .map(|item| match item.get("item").and_then(Value::as_array) {
            Some(children) => count_requests(children),
            None => 1,
        })
        .sum()
}

/// Keeps the first `budget` requests of a tree of items (and the folders holding them).
fn trim(items: &mut Vec<Value>, budget: &mut usize) {
    items.retain_mut(|item| {
        if *budget == 0 {
            return false;
        }
        match item.get_mut("item").and_then(Value::as_array_mut) {
            Some(children) => {
                trim(children, budget);
                !children.is_empty()
            }
            None => {
                *budget -= 1;
                true
            }
        }
    });
}

/// The Fastly collection with its top-level items copied into folders until 10,000 requests.
fn workload() -> (Vec<u8>, usize) {
    let path = corpus().join("postman-v2.1/fastly-api-large.postman_collection.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut collection: Value = serde_json::from_slice(&bytes).expect("fastly collection is JSON");
    let original = collection["item"].as_array().cloned().unwrap_or_default();
    let per_copy = count_requests(&original);
    let mut items = Vec::new();
    let mut total = 0;
    let mut copy = 0;
    while total < TARGET_REQUESTS {
        copy += 1;
        let mut children = original.clone();
        let mut budget = (TARGET_REQUESTS - total).min(per_copy);
        total += budget;
        trim(&mut children, &mut budget);
        items.push(serde_json::json!({"name": format!("Copy {copy}"), "item": children}));
    }
    collection["item"] = Value::Array(items);
    (serde_json::to_vec(&collection).expect("serializes"), total)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let (bytes, requests) = workload();
    println!(
        "import bench: Fastly collection repeated to {requests} requests, {:.1} MiB of JSON, {RUNS} runs each",
        bytes.len() as f64 / (1024.0 * 1024.0)
    );

    let mut floor = Vec::new();
    let mut import = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let value: Value = serde_json::from_slice(&bytes).expect("parses");
        floor.push(started.elapsed());
        drop(value);

        let started = Instant::now();
        let imported = localpost::interop::foreign::import(&bytes, "fastly-repeated.postman_collection.json")
            .expect("imports");
        import.push(started.elapsed());
        let got: usize = imported.workspaces.iter().map(|w| w.requests.len()).sum();
        assert_eq!(got, requests, "every request imported");
        drop(imported);
    }
    let floor = median(floor);
    let import = median(import);
    println!("  floor (serde_json::Value parse): median {:>7.1} ms", floor.as_secs_f64() * 1000.0);
    println!(
        "  localpost import:                median {:>7.1} ms  ({:.2}x floor; target <= {} ms: {})",
        import.as_secs_f64() * 1000.0,
        import.as_secs_f64() / floor.as_secs_f64(),
        TARGET.as_millis(),
        if import <= TARGET { "met" } else { "MISSED" }
    );
}
