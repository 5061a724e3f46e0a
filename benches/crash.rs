//! The crash campaign: the release binary is killed (SIGKILL) at random moments of an overwrite
//! import of 1,000 requests, a collection run, and an export, 200 times each. After each kill
//! the next start (`localpost ls`) must find the data folder whole: an import wholly old or wholly
//! new, a run either not kept or kept whole, an export either absent or complete, no temp file
//! left once the next open (or the next export of the same file) has run, and `doctor` clean.
//!
//! `cargo bench --bench crash [-- ROUNDS]` (Linux; 200 rounds by default).
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is a failure report

#[path = "../tests/support/mod.rs"]
mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_localpost");

fn localpost(data: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("LOCALPOST_DATA_DIR")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Starts `args`, kills it after `after`; true when it was still running (so killed midway).
fn kill_after(data: &Path, args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("LOCALPOST_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    running
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out
}

fn temp_left(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        files_under(dir).into_iter().filter(|p| p.to_string_lossy().contains(".lp-tmp")).collect();
    out.extend(
        fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains(".lp-tmp")),
    );
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for file in files_under(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(&file, &target).unwrap();
    }
}

/// Median wall time of running `args` to the end on a fresh copy made by `prepare`.
fn typical(prepare: &dyn Fn() -> PathBuf, args: &[&str]) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let data = prepare();
            let t = Instant::now();
            let (ok, out) = localpost(&data, args);
            assert!(ok, "{out}");
            t.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

#[derive(Default)]
struct Tally {
    rounds: usize,
    killed_midway: usize,
    bad: Vec<String>,
}

impl Tally {
    fn print(&self, what: &str) {
        println!(
            "  {what:<8} {:>4} kills ({} while it was running): {} mixed or lost states",
            self.rounds,
            self.killed_midway,
            self.bad.len()
        );
        for b in self.bad.iter().take(10) {
            println!("      {b}");
        }
    }
}

fn import_campaign(work: &Path, rounds: usize, rng: &mut fastrand::Rng) -> Tally {
    let base = work.join("import-base");
    let spec = localpost::storage::sample::SampleSpec { collections: 1, folders: 10, requests: 1000 };
    localpost::storage::sample::generate(&base, "S", spec).unwrap();
    let changed = work.join("import-changed");
    for file in files_under(&base) {
        let target = changed.join(file.strip_prefix(&base).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, fs::read_to_string(&file).unwrap().replace("?page=", "?v=2&page=")).unwrap();
    }
    let bundle = work.join("v2-bundle.ron");
    let (ok, out) = localpost(&changed, &["export", "--output", bundle.to_str().unwrap()]);
    assert!(ok, "{out}");
    let bundle_arg = bundle.to_str().unwrap().to_owned();
    let args = ["import", bundle_arg.as_str(), "--on-conflict", "overwrite"];
    let round_dir = work.join("import-round");
    let prepare = || {
        let _ = fs::remove_dir_all(&round_dir);
        copy_tree(&base, &round_dir);
        round_dir.clone()
    };
    let full = typical(&prepare, &args);
    println!(
        "  (an import of 1,000 requests takes {:.0} ms; kills fall in 0..{:.0} ms)",
        ms(full),
        ms(full) * 1.2
    );
    let mut tally = Tally::default();
    for round in 0..rounds {
        let data = prepare();
        let after = full.mul_f64(rng.f64() * 1.2);
        tally.killed_midway += usize::from(kill_after(&data, &args, after));
        tally.rounds += 1;
        let (ok, out) = localpost(&data, &["ls", "--depth", "1"]);
        let requests: Vec<String> = files_under(&data)
            .into_iter()
            .filter(|p| {
                p.to_string_lossy().ends_with(".request.ron") && !p.to_string_lossy().contains(".lp-tmp")
            })
            .map(|p| fs::read_to_string(p).unwrap())
            .collect();
        let new = requests.iter().filter(|t| t.contains("?v=2&page=")).count();
        let whole = requests.len() == 1000 && (new == 0 || new == 1000);
        let left = temp_left(&data);
        let (clean, doctor) = localpost(&data, &["doctor"]);
        if !ok || !whole || !left.is_empty() || !clean {
            tally.bad.push(format!(
                "round {round} (kill at {:.0} ms): {} requests, {new} new, {} temp files left ({:?}…); ls: {}; doctor: {}",
                ms(after),
                requests.len(),
                left.len(),
                left.first(),
                out.lines().last().unwrap_or(""),
                doctor.lines().last().unwrap_or("")
            ));
        }
    }
    tally
}

fn run_campaign(work: &Path, rounds: usize, rng: &mut fastrand::Rng) -> Tally {
    let server = support::Server::start(|_| support::Reply::json(r#"{"ok":true}"#));
    let base = work.join("run-base");
    let spec = localpost::storage::sample::SampleSpec { collections: 1, folders: 0, requests: 300 };
    localpost::storage::sample::generate(&base, "S", spec).unwrap();
    let var = format!("base={}", server.url(""));
    let args = ["run", "S/Users API", "--env", "Local", "--var", var.as_str()];
    let data = work.join("run-data");
    copy_tree(&base, &data);
    let full = typical(&|| data.clone(), &args);
    println!("  (a run of 300 requests takes {:.0} ms; kills fall in 0..{:.0} ms)", ms(full), ms(full) * 1.2);
    let mut tally = Tally::default();
    let mut kept_before = runs_of(&data).len();
    for round in 0..rounds {
        let after = full.mul_f64(rng.f64() * 1.2);
        tally.killed_midway += usize::from(kill_after(&data, &args, after));
        tally.rounds += 1;
        let (ok, out) = localpost(&data, &["ls", "--depth", "1"]);
        let runs = runs_of(&data);
        let unreadable: Vec<&PathBuf> = runs
            .iter()
            .filter(|p| localpost::storage::load::read_document::<localpost::model::RunResult>(p).is_err())
            .collect();
        let left = temp_left(&data);
        let (clean, doctor) = localpost(&data, &["doctor"]);
        if !ok || !unreadable.is_empty() || !left.is_empty() || !clean || runs.len() < kept_before {
            tally.bad.push(format!(
                "round {round} (kill at {:.0} ms): unreadable runs {unreadable:?}, {} temp files left ({:?}…); ls: {}; doctor: {}",
                ms(after),
                left.len(),
                left.first(),
                out.lines().last().unwrap_or(""),
                doctor.lines().last().unwrap_or("")
            ));
        }
        kept_before = runs.len();
    }
    tally
}

fn runs_of(data: &Path) -> Vec<PathBuf> {
    files_under(data).into_iter().filter(|p| p.components().any(|c| c.as_os_str() == "runs")).collect()
}

fn export_campaign(work: &Path, rounds: usize, rng: &mut fastrand::Rng) -> Tally {
    let data = work.join("export-data");
    let spec = localpost::storage::sample::SampleSpec { collections: 2, folders: 20, requests: 2000 };
    localpost::storage::sample::generate(&data, "S", spec).unwrap();
    let out_dir = work.join("exports");
    fs::create_dir_all(&out_dir).unwrap();
    let target = out_dir.join("backup.ron");
    let target_arg = target.to_str().unwrap().to_owned();
    let args = ["export", "--output", target_arg.as_str()];
    let before = support_snapshot(&data);
    let full = typical(&|| data.clone(), &args);
    println!(
        "  (an export of 2,000 requests takes {:.0} ms; kills fall in 0..{:.0} ms)",
        ms(full),
        ms(full) * 1.2
    );
    let mut tally = Tally::default();
    for round in 0..rounds {
        // Every other round starts without a previous export, so both "absent" and "the old
        // one" are possible outcomes.
        if round % 2 == 0 {
            let _ = fs::remove_file(&target);
        }
        let after = full.mul_f64(rng.f64() * 1.2);
        tally.killed_midway += usize::from(kill_after(&data, &args, after));
        tally.rounds += 1;
        let complete =
            !target.exists() || localpost::interop::bundle::import(&fs::read(&target).unwrap()).is_ok();
        // The next export of the same file sweeps what the killed one left.
        let (ok, out) = localpost(&data, &args);
        let left: Vec<PathBuf> =
            fs::read_dir(&out_dir).unwrap().flatten().map(|e| e.path()).filter(|p| p != &target).collect();
        let untouched = support_snapshot(&data) == before;
        if !complete || !ok || !left.is_empty() || !untouched {
            tally.bad.push(format!(
                "round {round} (kill at {:.0} ms): complete {complete}, left {left:?}, data untouched {untouched}; {out}",
                ms(after)
            ));
        }
    }
    tally
}

/// Every file of the data folder but its temp files and the app's session.
fn support_snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = files_under(dir)
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains(".lp-tmp"))
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    if !cfg!(target_os = "linux") {
        println!("crash campaign: Linux only");
        return;
    }
    let rounds: usize =
        std::env::args().skip(1).find(|a| !a.starts_with('-')).and_then(|a| a.parse().ok()).unwrap_or(200);
    let work = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(0x00c0_ffee);
    let started = Instant::now();
    println!("crash campaign: SIGKILL at random moments, {rounds} times each");
    let import = import_campaign(work.path(), rounds, &mut rng);
    import.print("import");
    let run = run_campaign(work.path(), rounds, &mut rng);
    run.print("run");
    let export = export_campaign(work.path(), rounds, &mut rng);
    export.print("export");
    let bad = import.bad.len() + run.bad.len() + export.bad.len();
    println!("{bad} mixed or lost states in {:.0} s (target 0)", started.elapsed().as_secs_f64());
    if bad > 0 {
        std::process::exit(1);
    }
}
