//! Runner results that open, and the past-run panel laid out in full.

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use localpost::app::AppOptions;
use localpost::app::command::Command;
use localpost::app::run_detail::{DetailContent, DetailSection, ResultRow};
use localpost::app::runs::{RunnerPage, RunnerTab};
use localpost::app::state::TabKind;
use localpost::model::*;
use localpost::shell::Window;
use localpost::storage::Store;

use crate::support::app::{apply, open, open_sized, shown, step_until};
use crate::support::{Reply, Server};

fn runner(app: &Window) -> &RunnerTab {
    match &app.state.active().expect("a tab is active").kind {
        TabKind::Runner(r) => r,
        _ => panic!("the runner tab is not the active one"),
    }
}

fn runner_mut(app: &mut Window) -> &mut RunnerTab {
    let id = app.state.active_tab.expect("a tab is active");
    match &mut app.state.tab_mut(id).expect("the active tab").kind {
        TabKind::Runner(r) => r,
        _ => panic!("the runner tab is not the active one"),
    }
}

/// A collection named `name` with "list users" (passes, JSON body), "big report" (passes, a
/// body of 8 KB) and "broken" (a 500 whose status assertion fails); the server's address is in
/// the URLs.
fn fixture(dir: &Path, server: &Server, name: &str) -> CollectionId {
    let mut opened = Store::open(dir).unwrap();
    let store = &mut opened.store;
    let mut ws = opened.library.workspaces.values().next().unwrap().workspace.clone();
    let mut c = Collection::new(name);
    let mut list = Request::new("list users").with_url(server.url("/users"));
    list.headers = vec![KeyValue::new("X-Trace", "run-results-test")];
    list.assertions = vec![Assertion::new(Check::StatusEquals(200))];
    let mut big = Request::new("big report").with_url(server.url("/big"));
    big.assertions = vec![Assertion::new(Check::StatusEquals(200))];
    let mut broken = Request::new("broken").with_method(Method::Post).with_url(server.url("/broken"));
    broken.assertions = vec![Assertion::new(Check::StatusEquals(200))];
    c.children = vec![ItemId::Request(list.id), ItemId::Request(big.id), ItemId::Request(broken.id)];
    store.save_collection(ws.id, &c).unwrap();
    for r in [&list, &big, &broken] {
        store.save_request(ParentId::Collection(c.id), r).unwrap();
    }
    ws.collections.push(c.id);
    store.save_workspace(&ws).unwrap();
    c.id
}

fn server() -> Server {
    Server::start(|r| match r.path() {
        "/users" => Reply::json(r#"{"users":[{"name":"Ada Lovelace"}]}"#),
        "/big" => Reply::text(200, &format!("big-start {} big-end", "x".repeat(8 * 1024))),
        _ => Reply::text(500, "database is on fire"),
    })
}

/// Runs the collection from its runner tab and waits until the run is kept.
fn run_to_the_end(harness: &mut Harness<'_, Window>, collection: CollectionId) {
    apply(harness, Command::OpenRunner(ParentId::Collection(collection)));
    runner_mut(harness.state_mut()).failed_only = false;
    apply(harness, Command::StartRun(harness.state().state.active_tab.unwrap()));
    step_until(harness, "the run to finish and be kept", |app| {
        runner(app).live.as_ref().and_then(|l| l.finished.as_ref()).is_some_and(|f| f.saved.is_some())
    });
}

/// Clicks the results table's row of the request sent to `url` (its URL cell).
fn click_row(harness: &mut Harness<'_, Window>, method_and_url: &str) {
    harness.get_by_label(method_and_url).click();
    harness.run_steps(2);
    step_until(harness, "the result's response to be read", |app| {
        runner(app).detail.as_ref().is_some_and(|d| !d.loading())
    });
}

fn section(harness: &mut Harness<'_, Window>, label: &str) {
    harness.get(By::new().predicate(move |n| n.label().is_some_and(|l| l.starts_with(label)))).click();
    harness.run_steps(2);
}

#[test]
fn clicking_a_live_result_opens_the_request_sent_and_its_response() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let collection = fixture(dir.path(), &server, "API");
    let mut harness = open(dir.path());
    run_to_the_end(&mut harness, collection);
    assert!(!shown(&harness, "Ada Lovelace"), "no response shown before a click");

    click_row(&mut harness, &format!("GET {}", server.url("/users")));
    let detail = runner(harness.state()).detail.as_ref().expect("a result is open");
    assert_eq!(detail.row, ResultRow::Live(0));
    assert!(shown(&harness, "run API · iteration 1 · request 1"), "the origin is labelled");
    assert!(shown(&harness, "Ada Lovelace"), "the body the server sent is shown");
    section(&mut harness, "Headers (");
    assert!(shown(&harness, "content-type") || shown(&harness, "Content-Type"));
    section(&mut harness, "Request sent");
    assert!(shown(&harness, "run-results-test"), "the header as sent");

    // A failed result: the 500 and its body, and the failed assertion under Tests.
    click_row(&mut harness, &format!("POST {}", server.url("/broken")));
    assert!(shown(&harness, "run API · iteration 1 · request 3"));
    let detail = runner(harness.state()).detail.as_ref().unwrap();
    assert_eq!(detail.row, ResultRow::Live(2));
    assert_eq!(detail.section, DetailSection::Request, "the section chosen stays");
    section(&mut harness, "Body");
    assert!(shown(&harness, "database is on fire"));
    section(&mut harness, "Tests (0/1)");
    assert!(shown(&harness, "✖ status == 200"), "the failed assertion is listed");

    harness.get_by_label("Close the result").click();
    harness.run_steps(2);
    assert!(runner(harness.state()).detail.is_none(), "✖ closes the result");
}

#[test]
fn a_past_run_opens_its_kept_responses_after_a_restart() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let collection = fixture(dir.path(), &server, "API");
    {
        let mut harness = open(dir.path());
        run_to_the_end(&mut harness, collection);
    }
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("workspaces"))
        .ok()
        .into_iter()
        .flatten()
        .chain(std::fs::read_dir(dir.path()).unwrap())
        .filter_map(Result::ok)
        .flat_map(|e| crate::support::files_under(&e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "responses"))
        .collect();
    assert!(!kept.is_empty(), "the run's responses are kept beside its results");

    let mut harness = open(dir.path());
    apply(&mut harness, Command::OpenRunner(ParentId::Collection(collection)));
    step_until(&mut harness, "the past runs to be read", |app| !app.state.past_runs.list.is_empty());
    let run = harness.state().state.past_runs.list[0].0.id;
    runner_mut(harness.state_mut()).page = RunnerPage::Past;
    runner_mut(harness.state_mut()).opened = Some(run);
    harness.run_steps(2);

    click_row(&mut harness, &format!("POST {}", server.url("/broken")));
    assert!(shown(&harness, "run API · iteration 1 · request 3"));
    assert!(shown(&harness, "database is on fire"), "read back from the data folder");
    assert_eq!(runner(harness.state()).detail.as_ref().unwrap().row, ResultRow::Past { run, index: 2 });
}

#[test]
fn a_passed_response_over_the_limit_is_not_kept_and_the_result_says_why() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let collection = fixture(dir.path(), &server, "API");
    let mut harness = open(dir.path());
    harness.state_mut().state.settings.run_response_limit_bytes = 4 * 1024;
    run_to_the_end(&mut harness, collection);
    let live = runner(harness.state()).live.as_ref().unwrap();
    assert!(matches!(live.outcomes[0].kept, ResponseKept::At { .. }), "a small passed response is kept");
    assert_eq!(live.outcomes[1].kept, ResponseKept::OverLimit { limit_bytes: 4 * 1024 });
    assert!(matches!(live.outcomes[2].kept, ResponseKept::At { .. }), "a failed one always is");

    click_row(&mut harness, &format!("GET {}", server.url("/big")));
    let detail = runner(harness.state()).detail.as_ref().unwrap();
    assert!(matches!(detail.content, DetailContent::NotKept(_)));
    assert!(shown(&harness, "was over the 4 KiB the settings keep"), "the reason is given");
    assert!(!shown(&harness, "big-start"));
}

/// Issue 17, item 11: with a long collection name the past-run panel kept its Export button
/// out of the window.
#[test]
fn issue_17_the_past_run_panel_keeps_export_in_view_with_a_long_name() {
    let server = server();
    let long = "Customer Accounts Service — Regression Suite for the Billing and Invoicing Endpoints (EU region, v2)";
    for size in [egui::vec2(1280.0, 800.0), egui::vec2(1600.0, 1000.0)] {
        let dir = tempfile::tempdir().unwrap();
        let collection = fixture(dir.path(), &server, long);
        let mut harness = open_sized(AppOptions::new(dir.path().to_owned()), size);
        run_to_the_end(&mut harness, collection);
        step_until(&mut harness, "the past runs to be read", |app| !app.state.past_runs.list.is_empty());
        let run = harness.state().state.past_runs.list[0].0.id;
        runner_mut(harness.state_mut()).page = RunnerPage::Past;
        runner_mut(harness.state_mut()).opened = Some(run);
        harness.run_steps(3);
        let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
        for label in ["Export", "Browse…", "Delete run", "Run", "JUnit XML"] {
            let rect = harness.get_by_label(label).rect();
            assert!(window.contains_rect(rect), "{label} at {rect:?} is inside the {size:?} window");
        }
        let past = harness.query_all(By::new().label_contains("Past runs (")).next().unwrap().rect();
        assert!(window.contains_rect(past), "the Past runs switch at {past:?} in {size:?}");
        // The table's columns fit: the last one (Failure) ends inside the window.
        let failure = harness.get_by_label("Failure").rect();
        assert!(failure.right() <= size.x, "Failure column at {failure:?} in {size:?}");
        // Long names are cut with an ellipsis, and the whole name is a hover away.
        let row = harness.query_all(By::new().label_contains("Regression Suite")).count();
        assert!(row > 0, "the run's name is shown (cut)");
        click_row(&mut harness, &format!("POST {}", server.url("/broken")));
        assert!(shown(&harness, "database is on fire"));
        let export = harness.get_by_label("Export").rect();
        assert!(window.contains_rect(export), "Export stays in view with a result open ({size:?})");
    }
}
