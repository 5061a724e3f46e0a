//! Data-folder benchmark: load a 10,000-request workspace (500 folders, 20 collections) and save
//! one request in it, beside the floors measured in the same run: reading every file without
//! parsing, and one bare atomic write of the same bytes. Saving is shown at 100 and 10,000
//! requests to show it does not depend on the workspace's size. Then growth: one collection of
//! 10,000, 30,000 and 100,000 requests, each loaded beside its own floor; loading is linear when
//! 100,000 takes ten times 10,000 or less.
//!
//! `cargo bench --bench storage`
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use localpost::model::{ItemId, Request};
use localpost::storage::sample::{SampleSpec, generate};
use localpost::storage::{Place, Store, atomic, document};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { all_files(&p, out) } else { out.push(p) }
    }
}

fn save_times(root: &Path, rounds: usize) -> (Duration, Duration) {
    let mut opened = Store::open_existing(root).unwrap();
    let ws = opened.library.workspaces.values().find(|w| w.workspace.name == "Bench").unwrap().clone();
    let (&id, request) = ws.requests.iter().nth(ws.requests.len() / 2).unwrap();
    let parent = ws.parent_of(ItemId::Request(id)).unwrap();
    let mut request: Request = request.clone();
    let path = opened.store.file_of(Place::Request(id)).unwrap();
    let mut save = Vec::new();
    let mut floor = Vec::new();
    for i in 0..rounds {
        request.description = format!("edit {i}");
        let t = Instant::now();
        opened.store.save_request(parent, &request).unwrap();
        save.push(t.elapsed());
        let bytes = document::to_text(&request).unwrap();
        let t = Instant::now();
        atomic::write_atomic(&path, bytes.as_bytes(), false).unwrap();
        floor.push(t.elapsed());
    }
    (median(save), median(floor))
}

/// Median load time of `root` and of its floor (reading every file without parsing).
fn load_and_floor(root: &Path, runs: usize, expect: usize) -> (Duration, Duration) {
    let mut files = Vec::new();
    all_files(root, &mut files);
    let mut load = Vec::new();
    let mut read = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let bytes: usize = files.iter().map(|p| std::fs::read(p).unwrap().len()).sum();
        read.push(t.elapsed());
        assert!(bytes > 0);
        let t = Instant::now();
        let opened = Store::open_existing(root).unwrap();
        load.push(t.elapsed());
        let n: usize = opened.library.workspaces.values().map(|w| w.requests.len()).sum();
        assert_eq!(n, expect);
        assert!(opened.report.is_clean());
    }
    (median(load), median(read))
}

/// One collection of 10,000, 30,000 and 100,000 requests (no folders): the load must grow with
/// the number of requests, not with its square.
fn growth() {
    let tmp = tempfile::tempdir().unwrap();
    println!("growth: one collection, no folders (medians of 5 loads each)");
    let mut base = None;
    for n in [10_000usize, 30_000, 100_000] {
        let root = tmp.path().join(n.to_string());
        let t = Instant::now();
        generate(&root, "Flat", SampleSpec { collections: 1, folders: 0, requests: n }).unwrap();
        let generated = t.elapsed();
        let (load, read) = load_and_floor(&root, 5, n);
        let base = *base.get_or_insert(load);
        println!(
            "  {n:>7} requests: load {:>8.1} ms  floor {:>8.1} ms  load/floor {:.2}  vs 10,000 x{:.2}  (generated in {:.1} s)",
            ms(load),
            ms(read),
            ms(load) / ms(read),
            load.as_secs_f64() / base.as_secs_f64(),
            generated.as_secs_f64()
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
    println!("  target: 100,000 within ten times 10,000 (x10.00)");
}

fn main() {
    if std::env::args().any(|a| a == "growth") {
        growth();
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("10k");
    let small = tmp.path().join("100");
    let t = Instant::now();
    generate(&big, "Bench", SampleSpec::BENCH).unwrap();
    eprintln!("generated 10,000 requests in {:.1} s", t.elapsed().as_secs_f64());
    generate(&small, "Bench", SampleSpec { collections: 2, folders: 5, requests: 100 }).unwrap();

    let mut files = Vec::new();
    all_files(&big, &mut files);
    let runs = 9;
    let mut load = Vec::new();
    let mut read = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let bytes: usize = files.iter().map(|p| std::fs::read(p).unwrap().len()).sum();
        read.push(t.elapsed());
        assert!(bytes > 0);
        let t = Instant::now();
        let opened = Store::open_existing(&big).unwrap();
        load.push(t.elapsed());
        let n: usize = opened.library.workspaces.values().map(|w| w.requests.len()).sum();
        assert_eq!(n, 10_000);
        assert!(opened.report.is_clean());
    }
    let (load, read) = (median(load), median(read));
    let (save_big, floor_big) = save_times(&big, 60);
    let (save_small, floor_small) = save_times(&small, 60);

    println!("storage benchmark (medians; {runs} loads, 60 saves each)");
    println!("  files in the 10k folder          {:>8}", files.len());
    println!("  load 10,000 requests             {:>8.1} ms   (target <= 300 ms)", ms(load));
    println!("  floor: read every file, no parse {:>8.1} ms   ratio {:.2}", ms(read), ms(load) / ms(read));
    println!("  save one request @ 10,000        {:>8.2} ms   (target <= 5 ms)", ms(save_big));
    println!(
        "  save one request @ 100          {:>8.2} ms   @10k/@100 = {:.2}",
        ms(save_small),
        ms(save_big) / ms(save_small)
    );
    println!(
        "  floor: bare atomic write @10k    {:>8.2} ms   ratio {:.2}",
        ms(floor_big),
        ms(save_big) / ms(floor_big)
    );
    println!("  floor: bare atomic write @100    {:>8.2} ms", ms(floor_small));
    drop(tmp);
    growth();
}
