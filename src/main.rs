//! The `localpost` binary: the desktop app, or a subcommand on the data folder.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser as _;
use localpost::app::{AppOptions, Loader};
use localpost::cli::{self, Cli};
use localpost::shell::Window;

/// The application icon at 256 px (assets/render-icons.sh makes it from the SVG).
const WINDOW_ICON: &[u8] = include_bytes!("../assets/icons/hicolor/256x256/apps/localpost.png");

fn main() -> ExitCode {
    let started = Instant::now();
    // While the process has one thread: the only time the local offset can be read.
    localpost::ui::local_time::capture_offset();
    let cli = Cli::parse();
    if let Some(code) = cli::run(&cli) {
        return code;
    }
    let policy = std::sync::Arc::new(localpost::policy::EffectivePolicy::load_machine());
    policy.log_startup();
    let data_dir = policy.data_dir().unwrap_or_else(|| cli.user_data_dir());
    // Reading the data folder starts now, while the window is being created.
    let loader = Loader::start(data_dir.clone());
    let options = AppOptions {
        data_dir,
        policy,
        exit_after_first_frame: cli.exit_after_first_frame,
        exit_after_full_load: cli.exit_after_full_load,
        started,
        open_files: cli.files.clone(),
        file_chooser: true,
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Localpost")
        .with_app_id("localpost")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([720.0, 480.0]);
    // The window's icon (taskbars, title bars, Alt-Tab); the desktop entry names the installed one.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(WINDOW_ICON) {
        viewport = viewport.with_icon(icon);
    }
    let native = eframe::NativeOptions { viewport, ..eframe::NativeOptions::default() };
    let result = eframe::run_native(
        "Localpost",
        native,
        Box::new(move |cc| Ok(Box::new(Window::new(&cc.egui_ctx, options, loader)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "localpost: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}
