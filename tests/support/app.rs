//! The desktop app under egui_kittest, shared by the app tests: open a window on a data folder,
//! step it until background work settles (bounded), find what is shown.

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use localpost::app::AppOptions;
use localpost::app::command::Command;
use localpost::app::writer::SaveState;
use localpost::shell::Window;

/// The app on `dir` under the shipped baseline policy, its data folder read.
pub fn open(dir: &Path) -> Harness<'static, Window> {
    open_with(AppOptions::new(dir.to_owned()))
}

/// The app started with `options`, its data folder read.
pub fn open_with(options: AppOptions) -> Harness<'static, Window> {
    open_built(Harness::builder(), options)
}

/// As the window is for real: a character no font has is drawn as a box (kittest's default
/// panics, to catch a missing glyph in the app's own text; user data may hold any script).
pub fn open_as_shipped(options: AppOptions) -> Harness<'static, Window> {
    open_built(Harness::builder().allow_missing_glyphs(), options)
}

fn open_built(
    builder: egui_kittest::HarnessBuilder<Window>,
    options: AppOptions,
) -> Harness<'static, Window> {
    let mut harness = builder.with_size(egui::vec2(1280.0, 800.0)).build_eframe(move |cc| {
        let loader = localpost::app::Loader::start(options.data_dir.clone());
        let mut app = Window::new(&cc.egui_ctx, options, loader);
        app.block_until_loaded(&cc.egui_ctx);
        app
    });
    harness.run_steps(3);
    harness
}

/// Applies a command as the UI would have returned it, then draws.
pub fn apply(harness: &mut Harness<'_, Window>, command: Command) {
    harness.state_mut().apply(&egui::Context::default(), command);
    harness.run_steps(2);
}

/// Whether a node whose text (label or value) contains `text` is on screen.
pub fn shown(harness: &Harness<'_, Window>, text: &str) -> bool {
    harness
        .query_all(By::new().predicate(|n| {
            n.value().is_some_and(|v| v.contains(text)) || n.label().is_some_and(|l| l.contains(text))
        }))
        .next()
        .is_some()
}

/// Steps until every write reached the disk (bounded).
pub fn settle(harness: &mut Harness<'_, Window>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        harness.step();
        if harness.state().save_state() == SaveState::Saved || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(harness.state().save_state(), SaveState::Saved);
}

/// Steps until `done` holds (bounded), failing with `what`.
pub fn step_until(harness: &mut Harness<'_, Window>, what: &str, mut done: impl FnMut(&Window) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        harness.step();
        if done(harness.state()) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Opens a new request tab (Ctrl+T).
pub fn new_tab(harness: &mut Harness<'_, Window>) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    harness.run_steps(2);
}

/// Replaces the URL of the active request, typed into its field.
pub fn type_url(harness: &mut Harness<'_, Window>, text: &str) {
    let url = harness.get_by_label("URL");
    url.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("URL").type_text(text);
    harness.run_steps(2);
}

/// Clicks Send and steps until the active tab's send finished (bounded).
pub fn send_and_wait(harness: &mut Harness<'_, Window>) {
    harness.get_by_label("Send").click();
    harness.run_steps(1);
    step_until(harness, "the send to finish", |app| {
        app.state.active().and_then(|t| t.request()).is_some_and(|r| r.in_flight.is_none())
    });
    harness.run_steps(2);
}

/// Every file under `dir`, read as text and joined (to look for what must not be there).
pub fn all_text_under(dir: &Path) -> String {
    super::files_under(dir)
        .iter()
        .map(|path| String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned())
        .collect()
}
