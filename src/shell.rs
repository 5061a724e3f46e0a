//! The window: eframe's `App`, composing the application ([`crate::app`]: state, background
//! work, commands applied) and the UI ([`crate::ui`]: draws the state, returns commands). Each
//! frame: the app begins it, the UI draws, the app applies what the UI asked for.

use std::ops::{Deref, DerefMut};

use crate::app::{App, AppOptions, Loader};

/// The application in its window.
pub struct Window {
    app: App,
}

impl Window {
    /// Installs the theme and starts the app (the window shows the outline as soon as it is read).
    pub fn new(ctx: &egui::Context, options: AppOptions, loader: Loader) -> Self {
        crate::ui::theme::install(ctx);
        Self { app: App::new(ctx, options, loader) }
    }

    /// One frame. eframe calls it through [`eframe::App::ui`]; benchmarks drive it with a bare
    /// [`egui::Context`].
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let (status, mut output) = self.app.begin_frame(&ctx);
        crate::ui::app_ui(ui, &mut self.app.state, &status, &mut output);
        self.app.end_frame(&ctx, output);
    }
}

/// The window is the app with a face: tests and benchmarks reach the app's state through it.
impl Deref for Window {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl DerefMut for Window {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

impl eframe::App for Window {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.app.shutdown();
    }
}
