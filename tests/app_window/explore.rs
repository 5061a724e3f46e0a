//! The response explored: the JSON tree (fold, unfold, copy path and value) and the JSONPath /
//! XPath filter under the body (matches, no match, a clear error, Esc, kept per tab).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use localpost::shell::Window;

use crate::support::app::{new_tab, open_sized, send_and_wait, shown, step_until_drawn, type_into, type_url};
use crate::support::{Reply, Server};

const USERS: &str = r#"{"data": [{"id": 1, "name": "Ada", "tags": ["math", "engines"]},
 {"id": 2, "name": "Linus", "tags": []}, {"id": 3, "name": "Grace", "address": {"city": "Arlington"}}],
 "meta": {"total": 3, "next page": null}}"#;

const BOOKS: &str = r#"<?xml version="1.0"?>
<store><book id="1"><title>Dune</title></book><book id="2"><title>Emma</title></book></store>"#;

fn server() -> Server {
    Server::start(|r| match r.path() {
        "/books" => Reply::new(200).header("content-type", "application/xml").body(BOOKS.as_bytes().to_vec()),
        _ => Reply::json(USERS),
    })
}

/// A window on a new data folder, with a new tab that sent `path` and shows its response.
fn sent(server: &Server, path: &str) -> (tempfile::TempDir, Harness<'static, Window>) {
    let dir = tempfile::tempdir().unwrap();
    // Tall enough that the whole of the sample body is on screen.
    let options = localpost::app::AppOptions::new(dir.path().to_owned());
    let mut harness = open_sized(options, egui::vec2(1280.0, 1600.0));
    new_tab(&mut harness);
    type_url(&mut harness, &server.url(path));
    send_and_wait(&mut harness);
    (dir, harness)
}

fn wait_shown(harness: &mut Harness<'static, Window>, text: &str) {
    step_until_drawn(harness, text, crate::support::app::WAIT, |h| shown(h, text));
}

/// What the window put on the clipboard in the next few frames.
fn copied(harness: &mut Harness<'static, Window>) -> Option<String> {
    for _ in 0..3 {
        harness.step();
        let copied = harness.output().platform_output.commands.iter().find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        });
        if copied.is_some() {
            return copied;
        }
    }
    None
}

#[test]
fn the_tree_folds_and_unfolds_and_copies_a_nodes_path_and_value() {
    let server = server();
    let (_dir, mut harness) = sent(&server, "/users");
    harness.get_by_label("Tree").click();
    wait_shown(&mut harness, "data: [3 items]");
    // The first levels are open; a nested object shows its size.
    assert!(shown(&harness, "⏷ data: [3 items]"));
    assert!(shown(&harness, "name: \"Ada\""));
    assert!(shown(&harness, "address: {1 key}"), "folded past the first levels");
    assert!(!shown(&harness, "city"));

    // Folding `data` hides its items; unfolding shows them again.
    harness.get_by_label_contains("data: [3 items]").click();
    harness.run_steps(2);
    assert!(shown(&harness, "⏵ data: [3 items]"));
    assert!(!shown(&harness, "name: \"Ada\""), "folded");
    harness.get_by_label_contains("data: [3 items]").click();
    harness.run_steps(2);
    assert!(shown(&harness, "name: \"Grace\""), "unfolded");

    // Unfolding a nested object.
    harness.get_by_label_contains("address: {1 key}").click();
    harness.run_steps(2);
    assert!(shown(&harness, "city: \"Arlington\""));

    // Selecting a row shows its path; Copy path and Copy value put them on the clipboard.
    harness.get_by_label_contains("name: \"Grace\"").click();
    harness.run_steps(2);
    assert!(shown(&harness, "$.data[2].name"), "the selected node's path");
    harness.get_by_label("Copy path").click();
    assert_eq!(copied(&mut harness).as_deref(), Some("$.data[2].name"));
    harness.get_by_label("Copy value").click();
    assert_eq!(copied(&mut harness).as_deref(), Some("\"Grace\""));

    // A key that is not a plain name is quoted in the path; a container's value is JSON.
    harness.get_by_label_contains("next page: null").click();
    harness.run_steps(2);
    harness.get_by_label("Copy path").click();
    assert_eq!(copied(&mut harness).as_deref(), Some("$.meta['next page']"));
    // The row's context menu copies too (its "Copy value" is the one below the bar's).
    harness.get_by_label_contains("address: {1 key}").click_secondary();
    harness.run_steps(2);
    let in_menu = harness
        .query_all_by_label("Copy value")
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap();
    in_menu.click();
    let value: serde_json::Value = serde_json::from_str(&copied(&mut harness).unwrap()).unwrap();
    assert_eq!(value, serde_json::json!({"city": "Arlington"}));
}

#[test]
fn a_json_path_filter_shows_the_matches_no_match_and_clear_errors() {
    let server = server();
    let (_dir, mut harness) = sent(&server, "/users");
    assert!(shown(&harness, "\"meta\""), "the whole body");

    type_into(&mut harness, "Filter response body", "$.data[*].name");
    harness.key_press(egui::Key::Enter);
    wait_shown(&mut harness, "3 matches");
    assert!(shown(&harness, "\"Linus\""));
    assert!(!shown(&harness, "\"meta\""), "only the matches are shown");

    type_into(&mut harness, "Filter response body", "$.data[");
    harness.key_press(egui::Key::Enter);
    wait_shown(&mut harness, "Invalid expression");
    assert!(shown(&harness, "Invalid JSONPath at character 7"), "the parser's message with where");
    assert!(shown(&harness, "\"meta\""), "the body stays readable under a wrong expression");

    type_into(&mut harness, "Filter response body", "$.nope");
    harness.key_press(egui::Key::Enter);
    wait_shown(&mut harness, "No match for $.nope");

    // The Tree view shows the matches as a tree.
    type_into(&mut harness, "Filter response body", "$.data[?@.id > 1]");
    harness.key_press(egui::Key::Enter);
    wait_shown(&mut harness, "2 matches");
    harness.get_by_label("Tree").click();
    wait_shown(&mut harness, "name: \"Grace\"");
    assert!(!shown(&harness, "name: \"Ada\""));

    // Esc in the box returns to the whole body.
    harness.get_by_label("Filter response body").focus();
    harness.run_steps(1);
    harness.key_press(egui::Key::Escape);
    wait_shown(&mut harness, "name: \"Ada\"");
    assert!(!shown(&harness, "matches"));
    assert_eq!(harness.state().state.active().unwrap().request().unwrap().body_filter, "");
}

#[test]
fn the_filter_is_kept_for_the_tabs_next_response() {
    let server = server();
    let (_dir, mut harness) = sent(&server, "/users");
    type_into(&mut harness, "Filter response body", "$.meta.total");
    harness.key_press(egui::Key::Enter);
    wait_shown(&mut harness, "1 match");
    send_and_wait(&mut harness);
    wait_shown(&mut harness, "1 match");
    assert_eq!(harness.get_by_label("Filter response body").value().as_deref(), Some("$.meta.total"));
    assert!(!shown(&harness, "\"Linus\""));
}

#[test]
fn an_xpath_filters_an_xml_body() {
    let server = server();
    let (_dir, mut harness) = sent(&server, "/books");
    assert!(shown(&harness, "XPath"));
    type_into(&mut harness, "Filter response body", "//book/title");
    harness.key_press(egui::Key::Enter);
    wait_shown(&mut harness, "2 matches");
    assert!(shown(&harness, "<title>Emma</title>"));
    assert!(!shown(&harness, "<store>"));

    type_into(&mut harness, "Filter response body", "//book[");
    harness.key_press(egui::Key::Enter);
    wait_shown(&mut harness, "Invalid XPath");
}
