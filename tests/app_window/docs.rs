//! Descriptions rendered as Markdown, and the Save dialog's new collection named inline.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use localpost::app::command::{Action, Command};
use localpost::app::interop::ImportStage;
use localpost::app::state::{Modal, Target};
use localpost::model::{ParentId, WorkspaceData};
use localpost::shell::Window;
use localpost::ui::markdown::DocCache;

use crate::support::app::{apply, new_tab, open, open_sized, settle, shown, step_until, type_into, type_url};
use crate::support::data::populate;

fn import(harness: &mut Harness<'_, Window>, file: &str) {
    let path = crate::support::corpus().join(file);
    apply(harness, Command::Action(Action::Import));
    type_into(harness, "Import file", &path.display().to_string());
    harness.get_by_label("Preview").click();
    harness.run_steps(1);
    step_until(
        harness,
        "the preview",
        |app| matches!(&app.state.modal, Some(Modal::Import(d)) if matches!(d.stage, ImportStage::Preview(_))),
    );
    harness.get_by_label("Import").click();
    harness.run_steps(1);
    step_until(harness, "the import", |app| {
        app.state.modal.is_none() && app.state.ws().is_some_and(|w| !w.collections.is_empty())
    });
    settle(harness);
}

fn ws<'a>(harness: &'a Harness<'_, Window>) -> &'a WorkspaceData {
    harness.state().state.ws().expect("a workspace")
}

/// The open URL commands of the frames stepped through `steps` frames.
fn urls_opened(harness: &mut Harness<'_, Window>, steps: usize) -> Vec<String> {
    let mut urls = Vec::new();
    for _ in 0..steps {
        harness.step();
        for command in &harness.output().platform_output.commands {
            if let egui::OutputCommand::OpenUrl(open) = command {
                urls.push(open.url.clone());
            }
        }
    }
    urls
}

#[test]
fn an_imported_collection_description_is_rendered_and_edited_as_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness =
        open_sized(localpost::app::AppOptions::new(dir.path().to_owned()), egui::vec2(1280.0, 1000.0));
    import(&mut harness, "postman-v2.1/postman-api-scripts-all-levels.postman_collection.json");
    let collection = ws(&harness).collections.values().next().unwrap().id;
    apply(&mut harness, Command::OpenTarget(Target::Collection(collection)));

    // Rendered: the headings, links and code are there, the Markdown marks are not.
    assert!(shown(&harness, "The Postman API allows you to programmatically access data"));
    assert!(shown(&harness, "Overview"), "a heading");
    assert!(!shown(&harness, "# Overview"), "no raw heading mark");
    assert!(!shown(&harness, "[_Run in Postman_]"), "no raw link syntax");
    let link = harness.get_by_label("Run in Postman");
    assert_eq!(link.accesskit_node().role(), egui::accesskit::Role::Link);
    assert!(!shown(&harness, "<a href"), "HTML tags are not shown");
    assert!(shown(&harness, "You need a valid API Key to send requests"), "their text is");

    // Edit shows the text as written; an edit is kept, and Preview renders it.
    harness.get_by_label("Edit description").click();
    harness.run_steps(2);
    let editor = harness.get_by_label("Description");
    assert!(editor.value().unwrap().contains("# Authentication"), "the raw text");
    type_into(&mut harness, "Description", "## Changed\n\nNow **bold** and a list:\n\n1. one\n2. two");
    settle(&mut harness);
    let description = &ws(&harness).collections[&collection].description;
    assert!(description.starts_with("## Changed"), "{description}");
    harness.get_by_label("Preview description").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Changed"));
    assert!(!shown(&harness, "## Changed"));
    assert!(shown(&harness, "Now bold and a list:"), "bold without its stars");
    assert!(shown(&harness, "2."), "a numbered list");

    let on_disk = localpost::storage::Store::open_existing(dir.path()).unwrap();
    let saved =
        on_disk.library.workspaces.values().flat_map(|w| w.collections.values()).find(|c| c.id == collection);
    assert!(saved.unwrap().description.starts_with("## Changed"), "written to the data folder");
}

#[test]
fn an_empty_request_description_offers_to_add_one_and_links_open_only_when_clicked() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    new_tab(&mut harness);
    type_url(&mut harness, "http://127.0.0.1:9/things");
    harness.get_by_label("Docs").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Add a description"));
    assert!(!shown(&harness, "Description"), "no editor until asked");
    harness.get_by_label("✏ Add a description").click();
    harness.run_steps(2);
    assert!(harness.get_by_label("Description").is_focused(), "the editor opens, focused");
    harness
        .get_by_label("Description")
        .type_text(concat!(
            "Lists *things*. See [the guide](https://example.com/guide) and ![a diagram](https://example.com/d.png)",
            "\n\n- one\n  - nested\n    - deeper\n\n- [x] done\n- [ ] to do\n"
        ));
    harness.run_steps(2);
    let draft = &harness.state().state.active().unwrap().request().unwrap().draft;
    assert!(draft.description.starts_with("Lists *things*"));

    harness.get_by_label("Preview description").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Lists things."));
    assert!(shown(&harness, "nested"), "a nested list");
    assert!(shown(&harness, "to do"), "a task list (its boxes drawn with the shipped fonts)");
    assert!(
        shown(&harness, "🖼 a diagram (https://example.com/d.png)"),
        "an image is its alt text and address"
    );
    assert!(shown(&harness, "Docs •"), "the section says it holds a description");
    assert!(urls_opened(&mut harness, 5).is_empty(), "nothing opens by itself");
    harness.get_by_label("the guide").hover();
    assert!(urls_opened(&mut harness, 3).is_empty(), "nor on hover");
    harness.get_by_label("the guide").click();
    assert_eq!(urls_opened(&mut harness, 3), ["https://example.com/guide"], "a click opens the browser");
}

#[test]
fn a_long_imported_description_is_parsed_once_not_once_a_frame() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    import(&mut harness, "postman-v2.1/fastly-api-large.postman_collection.json");
    let (folder, length) = {
        let ws = ws(&harness);
        let longest = ws.folders.values().max_by_key(|f| f.description.len()).unwrap();
        (longest.id, longest.description.len())
    };
    assert!(length > 10_000, "the longest folder description is {length} bytes");
    apply(&mut harness, Command::OpenTarget(Target::Folder(folder)));
    assert!(shown(&harness, "Data model"), "a heading");
    assert!(shown(&harness, "hit_ratio"), "a table cell");
    assert!(shown(&harness, "Ratio of cache hits to cache misses (between 0 and 1)."));
    assert!(!shown(&harness, "| --- |"), "no raw table syntax");

    harness.run_steps(30);

    let tab = harness.state().state.active_tab.unwrap();
    let id = egui::Id::unique(("container-docs", tab.0)).with("doc");
    let parses = harness.ctx.data(|d| d.get_temp::<DocCache>(id)).unwrap().parses;
    assert_eq!(parses, 1, "parsed once, not once a frame");
}

fn save_dialog(harness: &mut Harness<'_, Window>) {
    new_tab(harness);
    type_url(harness, "http://127.0.0.1:9/payments");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run_steps(2);
    assert!(shown(harness, "Save request"));
}

fn chosen(harness: &Harness<'_, Window>) -> Option<ParentId> {
    match &harness.state().state.modal {
        Some(Modal::SaveAs { parent, .. }) => *parent,
        _ => None,
    }
}

fn save_enabled(harness: &Harness<'_, Window>) -> bool {
    !harness.get_by_label("Save").accesskit_node().is_disabled()
}

#[test]
fn a_new_collection_is_named_inline_and_chosen_so_save_works_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    save_dialog(&mut harness);
    assert!(!save_enabled(&harness), "nowhere to save yet");
    harness.get_by_label("+ New collection").click();
    harness.run_steps(2);
    let field = harness.get_by_label("New collection name");
    assert!(field.is_focused(), "the name field is focused");
    assert_eq!(field.value().as_deref(), Some("New Collection"));
    // Its text is selected: what is typed replaces it.
    field.type_text("Payments");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    let payments = ws(&harness).collections.values().find(|c| c.name == "Payments").map(|c| c.id);
    let payments = payments.expect("the collection is made with the typed name");
    assert_eq!(ws(&harness).collections.len(), 1, "no \"New Collection\" besides it");
    assert_eq!(chosen(&harness), Some(ParentId::Collection(payments)), "and chosen");
    assert!(!shown(&harness, "New collection name"), "the field closes");
    assert!(save_enabled(&harness), "Save works at once");
    harness.run_steps(2); // the dialog, shorter without the field, is centred again
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    settle(&mut harness);
    assert!(harness.state().state.modal.is_none());
    let children = &ws(&harness).collections[&payments].children;
    assert_eq!(children.len(), 1, "the request is saved in the new collection");
}

#[test]
fn a_new_collection_name_must_be_given_and_new_and_esc_closes_only_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    save_dialog(&mut harness);
    let before = ws(&harness).collections.len();
    harness.get_by_label("+ New collection").click();
    harness.run_steps(2);
    harness.get_by_label("New collection name").type_text("users api");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert!(shown(&harness, "A collection named “users api” already exists in this workspace."));
    assert_eq!(ws(&harness).collections.len(), before, "nothing made");
    assert!(shown(&harness, "New collection name"), "the field stays open to fix the name");

    type_into(&mut harness, "New collection name", "   ");
    harness.get_by_label("Create collection").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Give the collection a name."));
    assert_eq!(ws(&harness).collections.len(), before);

    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!shown(&harness, "New collection name"), "Esc closes the field");
    assert!(matches!(harness.state().state.modal, Some(Modal::SaveAs { .. })), "and only the field");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().state.modal.is_none(), "a second Esc closes the dialog");
}

#[test]
fn a_new_folder_is_made_in_the_chosen_collection_and_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    save_dialog(&mut harness);
    assert!(harness.get_by_label("+ New folder").accesskit_node().is_disabled(), "no collection chosen yet");
    harness.get_by_label("Save to Users API").click();
    harness.run_steps(2);
    assert_eq!(chosen(&harness), Some(ParentId::Collection(fx.users)));
    harness.get_by_label("+ New folder").click();
    harness.run_steps(2);
    assert!(shown(&harness, "New folder in “Users API”"));
    harness.get_by_label("New folder name").type_text("Admin");
    harness.get_by_label("Create folder").click();
    harness.run_steps(2);
    assert!(shown(&harness, "A folder named “Admin” already exists in “Users API”."));
    type_into(&mut harness, "New folder name", "Drafts");
    harness.get_by_label("Create folder").click();
    harness.run_steps(2);
    let drafts = ws(&harness).folders.values().find(|f| f.name == "Drafts").map(|f| f.id).expect("made");
    assert_eq!(
        ws(&harness).parent_of(localpost::model::ItemId::Folder(drafts)),
        Some(ParentId::Collection(fx.users))
    );
    assert_eq!(chosen(&harness), Some(ParentId::Folder(drafts)));
    assert!(save_enabled(&harness));
    harness.run_steps(2); // the dialog, shorter without the field, is centred again
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    settle(&mut harness);
    assert!(harness.state().state.modal.is_none(), "saved");
    assert_eq!(ws(&harness).folders[&drafts].children.len(), 1, "saved in the new folder");
}
