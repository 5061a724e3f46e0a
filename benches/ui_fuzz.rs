//! The long UI fuzz: 100,000 random actions (see `tests/support/ui_fuzz.rs`) on a workspace
//! imported from the corpus, in a release build. Reports the actions tried by kind, the time, and
//! every panic (the window is reopened after one, as a user would restart it). Target: 0 panics.
//!
//! `cargo bench --bench ui_fuzz [-- ACTIONS [SEED]]`
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is a failure report

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let actions: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20_261_205);
    let started = Instant::now();
    // In rounds of at most 10,000 actions, each on a fresh data folder, so progress shows.
    let mut report = support::ui_fuzz::Report::default();
    let mut round = 0;
    while report.actions < actions {
        let n = (actions - report.actions).min(10_000);
        let part = support::ui_fuzz::run(seed + round, n, false);
        report.actions += part.actions;
        report.panics.extend(part.panics);
        for (kind, count) in part.by_kind {
            *report.by_kind.entry(kind).or_default() += count;
        }
        round += 1;
        eprintln!(
            "  {} actions, {} panics, {:.0} s",
            report.actions,
            report.panics.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "UI fuzz: {} actions from seed {seed} in {secs:.0} s ({:.1} ms each)",
        report.actions,
        secs * 1000.0 / report.actions.max(1) as f64
    );
    for (kind, n) in &report.by_kind {
        println!("  {kind:<16} {n:>7}");
    }
    println!("panics: {} (target 0)", report.panics.len());
    for p in &report.panics {
        println!("  {p}");
    }
    if !report.panics.is_empty() {
        std::process::exit(1);
    }
}
