//! A short run of the UI fuzz (see `tests/support/ui_fuzz.rs`): random actions on a workspace
//! imported from the corpus must never panic the window. `cargo bench --bench ui_fuzz` runs the
//! long one (100,000 actions).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod support;

#[test]
fn random_use_of_the_window_never_panics() {
    // A different seed each run widens what CI covers; the report names it for replay.
    let seed = std::env::var("LOCALPOST_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| u64::from(std::process::id()));
    let actions = std::env::var("LOCALPOST_FUZZ_ACTIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(400);
    let report = support::ui_fuzz::run(seed, actions, true);
    assert!(
        report.panics.is_empty(),
        "the window panicked (replay with LOCALPOST_FUZZ_SEED={seed}): {:#?}",
        report.panics
    );
    assert_eq!(report.actions, actions);
    assert!(report.by_kind.len() >= 6, "every kind of action was tried: {:?}", report.by_kind);
    eprintln!("{} actions, no panic: {:?}", report.actions, report.by_kind);
}
