//! The desktop app under egui_kittest, shared by the app tests: open a window on a data folder,
//! step it until background work settles (bounded), find what is shown, type into a field.

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use localpost::app::AppOptions;
use localpost::app::command::Command;
use localpost::app::writer::SaveState;
use localpost::shell::Window;

/// The test window's size, unless a test asks for another.
pub const WINDOW: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// How long a test waits for background work before it fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// The app on `dir` under the shipped baseline policy, its data folder read.
pub fn open(dir: &Path) -> Harness<'static, Window> {
    open_with(AppOptions::new(dir.to_owned()))
}

/// The app started with `options`, its data folder read.
pub fn open_with(options: AppOptions) -> Harness<'static, Window> {
    open_sized(options, WINDOW)
}

/// The app started with `options` in a window of `size` (a taller window shows more of a panel).
pub fn open_sized(options: AppOptions, size: egui::Vec2) -> Harness<'static, Window> {
    open_built(Harness::builder().with_size(size), options)
}

/// As the window is for real: a character no font has is drawn as a box (kittest's default
/// panics, to catch a missing glyph in the app's own text; user data may hold any script).
pub fn open_as_shipped(options: AppOptions) -> Harness<'static, Window> {
    open_built(Harness::builder().with_size(WINDOW).allow_missing_glyphs(), options)
}

fn open_built(
    builder: egui_kittest::HarnessBuilder<Window>,
    options: AppOptions,
) -> Harness<'static, Window> {
    let mut harness = builder.build_eframe(move |cc| {
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
    step_until(harness, "every write to reach the disk", |app| app.save_state() == SaveState::Saved);
}

/// Steps, with real time passing, until `done` holds for the app (within [`WAIT`]), failing
/// with `what`; then draws, so what it changed is on screen.
pub fn step_until(harness: &mut Harness<'_, Window>, what: &str, mut done: impl FnMut(&Window) -> bool) {
    step_until_drawn(harness, what, WAIT, |h| done(h.state()));
}

/// Steps, with real time passing, until `done` holds for the window as drawn (within `limit`),
/// failing with `what`; then draws.
pub fn step_until_drawn(
    harness: &mut Harness<'_, Window>,
    what: &str,
    limit: Duration,
    mut done: impl FnMut(&Harness<'_, Window>) -> bool,
) {
    let deadline = Instant::now() + limit;
    loop {
        harness.step();
        if done(harness) {
            break;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(2);
}

/// Opens a new request tab (Ctrl+T).
pub fn new_tab(harness: &mut Harness<'_, Window>) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    harness.run_steps(2);
}

/// Replaces the text of the field labelled `label` with `text`, typed in, then draws.
pub fn type_into(harness: &mut Harness<'_, Window>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

/// Replaces the URL of the active request, typed into its field.
pub fn type_url(harness: &mut Harness<'_, Window>, text: &str) {
    type_into(harness, "URL", text);
}

/// Whether the active tab's request is being sent.
pub fn sending(app: &Window) -> bool {
    app.state.active().and_then(|t| t.request()).is_some_and(|r| r.in_flight.is_some())
}

/// Steps until the active tab's send finished (bounded), then draws.
pub fn wait_for_send(harness: &mut Harness<'_, Window>) {
    step_until(harness, "the send to finish", |app| !sending(app));
}

/// Clicks Send and steps until the active tab's send finished (bounded).
pub fn send_and_wait(harness: &mut Harness<'_, Window>) {
    harness.get_by_label("Send").click();
    harness.run_steps(1);
    wait_for_send(harness);
}

/// Every file under `dir`, read as text and joined (to look for what must not be there).
pub fn all_text_under(dir: &Path) -> String {
    super::files_under(dir)
        .iter()
        .map(|path| String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned())
        .collect()
}
