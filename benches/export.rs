//! Export a 10,000-request workspace to a bundle and to Postman v2.1, and import the bundle
//! back into an empty data folder; target <= 500 ms each. Beside each, the floor: the same
//! data serialized with no work of ours (`ron`/`serde_json` of the plain model) and, for the
//! import, copying the source data folder file by file.
//!
//! `cargo bench --bench export`; prints medians of RUNS runs (default 7).

#![allow(clippy::unwrap_used)] // test code: a failure is a failed test

use std::path::Path;
use std::time::{Duration, Instant};

use localpost::interop::apply::{self, Choices, Resolution, Target};
use localpost::interop::bundle::{self, ExportOptions, Scope};
use localpost::interop::export::postman::{self, PostmanOptions};
use localpost::model::{Library, ParentId, WorkspaceId};
use localpost::storage::Store;
use localpost::storage::sample::{SampleSpec, generate};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            let bytes = std::fs::read(entry.path()).unwrap();
            std::fs::write(&target, bytes).unwrap();
            std::fs::File::open(&target).unwrap().sync_all().unwrap();
        }
    }
}

fn row(name: &str, ours: Duration, floor: Duration) {
    let ratio = ours.as_secs_f64() / floor.as_secs_f64().max(1e-9);
    let verdict = if ours <= Duration::from_millis(500) { "ok" } else { "OVER 500 ms" };
    println!(
        "{name:<28} {:>9.1} ms   floor {:>8.1} ms   ratio {ratio:>5.1}   {verdict}",
        ms(ours),
        ms(floor)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(7);
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let ws = generate(&src, "Bench", SampleSpec::BENCH).unwrap();
    let opened = Store::open_existing(&src).unwrap();
    let (store, library) = (&opened.store, &opened.library);
    let data = &library.workspaces[&ws];
    println!(
        "workspace: {} requests, {} folders, {} collections; {runs} runs each",
        data.requests.len(),
        data.folders.len(),
        data.collections.len()
    );

    let options = ExportOptions::default();
    let bundle_ms = time(runs, || export_bundle(store, library, ws, options).text.len());
    let floor = time(runs, || ron::to_string(&data.requests.values().collect::<Vec<_>>()).unwrap().len());
    row("export bundle", bundle_ms, floor);

    let postman_ms = time(runs, || {
        data.collections
            .keys()
            .map(|c| {
                postman::collection_v21(data, ParentId::Collection(*c), PostmanOptions::default())
                    .unwrap()
                    .text
                    .len()
            })
            .sum::<usize>()
    });
    let floor =
        time(runs, || serde_json::to_string(&data.requests.values().collect::<Vec<_>>()).unwrap().len());
    row("export Postman v2.1", postman_ms, floor);

    let text = export_bundle(store, library, ws, options).text;
    println!("bundle: {:.1} MiB", text.len() as f64 / 1024.0 / 1024.0);
    let mut n = 0;
    let mut read_ms = Vec::new();
    let mut import_ms = Vec::new();
    let mut copy_ms = Vec::new();
    for _ in 0..runs {
        n += 1;
        let dst = tmp.path().join(format!("dst-{n}"));
        std::fs::create_dir_all(&dst).unwrap();
        let t = Instant::now();
        let imported = localpost::interop::import(text.as_bytes(), "bench.ron").unwrap();
        read_ms.push(t.elapsed());
        let mut opened = Store::open_existing(&dst).unwrap();
        let plan = apply::plan(&imported, &opened.library, &Target::Auto).unwrap();
        let local = opened.store.local_files(plan.existing_targets());
        let store = &mut opened.store;
        apply::merge(&plan, &Choices::all(Resolution::Overwrite), &opened.library, &local)
            .unwrap()
            .commit(&mut opened.library, |now, next, extras| store.write_library(now, next, extras))
            .unwrap();
        import_ms.push(t.elapsed());
        let copy = tmp.path().join(format!("copy-{n}"));
        let t = Instant::now();
        copy_tree(&src, &copy);
        copy_ms.push(t.elapsed());
        std::fs::remove_dir_all(&dst).unwrap();
        std::fs::remove_dir_all(&copy).unwrap();
    }
    row("import bundle: read+verify", median(read_ms), median(copy_ms.clone()));
    row("import bundle: all, to disk", median(import_ms), median(copy_ms));
}

/// A workspace's bundle as the app makes it: the data folder's records, then the bundle.
fn export_bundle(
    store: &Store,
    library: &Library,
    ws: WorkspaceId,
    options: ExportOptions,
) -> bundle::Exported {
    let scope = Scope::Workspace(ws);
    let records = store.records(bundle::workspaces_of(library, &scope), options.records());
    bundle::export(&records, library, &scope, options).unwrap()
}
