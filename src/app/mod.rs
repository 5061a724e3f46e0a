//! The application: owns the state, the background writer, the engine and the tasks in flight.
//! A frame is [`App::begin_frame`] (poll background work), the UI drawing the state and
//! returning commands, then [`App::end_frame`] (apply the commands, [`apply`]: the one place
//! where state changes). The window ([`crate::shell`]) composes the two; the app never draws.

mod apply;
pub mod body;
pub mod body_filter;
pub mod code_panel;
pub mod command;
pub mod cookies;
mod dialogs;
pub mod examples;
pub mod graphql;
pub mod interop;
pub mod job;
pub mod json_tree;
pub mod live_body;
pub mod live_text;
mod outside;
pub mod reset;
pub mod response;
pub mod run_detail;
pub mod runs;
pub mod save_dialog;
pub mod scripts;
pub mod send;
pub mod session;
pub mod sse;
pub mod state;
pub mod tabs;
pub mod tree_selection;
pub mod writer;
pub mod ws;

use std::io::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::model::*;
use crate::storage::{Problem, Store, history};

use self::command::{Action, Command};
use self::session::{SESSION_FILE, Session, SessionTab};
use self::state::{AppState, RequestTab, Tab, TabKind};
use self::writer::{SaveState, WriteJob, Writer};

/// How the app was started.
#[derive(Clone, Debug)]
pub struct AppOptions {
    pub data_dir: PathBuf,
    /// The organization policy in effect (machine-wide; nothing the user writes loosens it).
    pub policy: std::sync::Arc<crate::policy::EffectivePolicy>,
    /// For the start-up benchmark: print `first_frame_ms=N` after the first frame that shows
    /// the collection tree, then exit.
    pub exit_after_first_frame: bool,
    /// Same, but after the frame that shows everything read.
    pub exit_after_full_load: bool,
    pub started: Instant,
    /// Files named on the command line (`localpost FILE`, the desktop's "Open with"): the import
    /// preview opens on the first once the data folder is read.
    pub open_files: Vec<PathBuf>,
    /// Whether "Browse…" asks the system for its file chooser; `false` (tests) answers as a
    /// machine without one does.
    pub file_chooser: bool,
}

/// What the UI shows besides the state.
pub struct UiStatus {
    pub save: SaveState,
    /// The data folder is still being read.
    pub loading: bool,
    /// The tree's top is shown; the rest is still being read.
    pub outline_only: bool,
    /// The data folder could not be opened at all.
    pub load_error: Option<String>,
}

/// What a frame's UI reports back.
#[derive(Default)]
pub struct UiOutput {
    pub commands: Vec<Command>,
    /// Rows of the collection tree drawn this frame.
    pub tree_rows: usize,
}

struct Loaded {
    store: Store,
    library: Library,
    problems: Vec<Problem>,
    /// What a crash had left that opening put right.
    repairs: Vec<crate::storage::Repair>,
    settings: Settings,
    /// False on a first start: the organization's recommended settings are written then.
    settings_existed: bool,
    session: Session,
}

/// What the loading thread reports: a quick outline first, then everything.
enum LoadMsg {
    Outline { library: Library, settings: Settings, session: Session },
    Full(Result<Loaded, String>),
}

/// Reads the data folder in the background. Start it before the window exists so reading
/// overlaps the window's creation.
pub struct Loader {
    rx: std::sync::mpsc::Receiver<LoadMsg>,
    repaint: std::sync::Arc<std::sync::OnceLock<egui::Context>>,
    /// Told when the first frame is painted: the full read waits for it (or a moment) so it does
    /// not compete with opening the window on a small machine.
    painted: Option<std::sync::mpsc::Sender<()>>,
}

impl Loader {
    pub fn start(data_dir: PathBuf) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let (painted_tx, painted_rx) = std::sync::mpsc::channel::<()>();
        let repaint = std::sync::Arc::new(std::sync::OnceLock::<egui::Context>::new());
        let wake = repaint.clone();
        let spawned = std::thread::Builder::new().name("load-data-folder".into()).spawn(move || {
            // An import a crash interrupted is finished or undone before anything is read, so
            // even the first outline shows the data folder whole.
            let early = crate::storage::repair::interrupted_writes(&data_dir);
            let session = crate::storage::load::read_document::<Session>(&data_dir.join(SESSION_FILE))
                .map(|p| p.entity)
                .unwrap_or_default();
            let settings = crate::storage::load::read_document::<Settings>(
                &data_dir.join(crate::storage::layout::SETTINGS_FILE),
            )
            .map(|p| p.entity)
            .unwrap_or_default();
            let library = crate::storage::load::outline(&data_dir);
            let _ = tx.send(LoadMsg::Outline { library, settings, session });
            if let Some(ctx) = wake.get() {
                ctx.request_repaint();
            }
            let _ = painted_rx.recv_timeout(Duration::from_millis(400));
            let _ = tx.send(LoadMsg::Full(load(&data_dir, early)));
            if let Some(ctx) = wake.get() {
                ctx.request_repaint();
            }
        });
        if let Err(e) = spawned {
            let (tx, rx2) = std::sync::mpsc::channel();
            let _ = tx.send(LoadMsg::Full(Err(format!("cannot start reading the data folder: {e}"))));
            return Self { rx: rx2, repaint, painted: None };
        }
        Self { rx, repaint, painted: Some(painted_tx) }
    }
}

pub struct App {
    pub state: AppState,
    /// The window's context, for background work that asks for a repaint when it is done.
    repaint: egui::Context,
    options: AppOptions,
    loading: Option<Loader>,
    /// Only the outline (workspaces and collections) is in; commands wait for the rest.
    outline_only: bool,
    deferred: Vec<Command>,
    load_error: Option<String>,
    writer: Option<Writer>,
    history_loading: Option<job::Job<Vec<HistoryEntry>>>,
    /// When the open tabs last changed and have not been written yet.
    session_changed: Option<Instant>,
    last_session: Option<Session>,
    first_frame_done: bool,
    applied_zoom: Option<f32>,
    applied_blink: Option<bool>,
    applied_theme: Option<Theme>,
    dialogs: dialogs::Dialogs,
    outside: outside::Outside,
    sends: send::Sends,
    reset_backup: reset::Backup,
    interop: interop::Interop,
    /// Finished runs being written into their workspace: (runner tab, workspace, where it went).
    kept: Vec<runs::Keeping>,
    /// GraphQL endpoints' schemas.
    graphql: graphql::Schemas,
}

impl AppOptions {
    /// A window on `data_dir` under the shipped baseline policy (tests, tools).
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            policy: std::sync::Arc::new(crate::policy::EffectivePolicy::baseline()),
            exit_after_first_frame: false,
            exit_after_full_load: false,
            started: Instant::now(),
            open_files: Vec::new(),
            file_chooser: true,
        }
    }
}

impl App {
    /// The window shows the outline as soon as it is read and the rest when it is in.
    pub fn new(ctx: &egui::Context, options: AppOptions, loader: Loader) -> Self {
        egui_extras::install_image_loaders(ctx);
        let _ = loader.repaint.set(ctx.clone());
        Self {
            repaint: ctx.clone(),
            state: AppState::new(options.data_dir.clone(), options.policy.clone()),
            options,
            loading: Some(loader),
            outline_only: false,
            deferred: Vec::new(),
            load_error: None,
            writer: None,
            history_loading: None,
            session_changed: None,
            last_session: None,
            first_frame_done: false,
            applied_zoom: None,
            applied_blink: None,
            applied_theme: None,
            dialogs: dialogs::Dialogs::default(),
            outside: outside::Outside::default(),
            sends: send::Sends::default(),
            reset_backup: reset::Backup::default(),
            interop: interop::Interop::default(),
            kept: Vec::new(),
            graphql: graphql::Schemas::default(),
        }
    }

    /// Waits for the data folder to load (tests and benchmarks; the window never waits).
    pub fn block_until_loaded(&mut self, ctx: &egui::Context) {
        if let Some(loader) = &mut self.loading
            && let Some(painted) = loader.painted.take()
        {
            let _ = painted.send(());
        }
        while let Some(loader) = &self.loading {
            match loader.rx.recv() {
                Ok(msg) => self.on_load_msg(ctx, msg),
                Err(_) => self.loading = None,
            }
        }
    }

    fn on_load_msg(&mut self, ctx: &egui::Context, msg: LoadMsg) {
        match msg {
            LoadMsg::Outline { library, settings, session } => {
                if self.loading.is_some() && self.state.library.workspaces.is_empty() {
                    self.state.settings = settings;
                    self.state.workspace = session
                        .workspace
                        .filter(|id| library.workspaces.contains_key(id))
                        .or_else(|| library.workspaces.keys().next().copied());
                    self.state.library = library;
                    self.state.revision += 1;
                    self.outline_only = true;
                }
            }
            LoadMsg::Full(result) => {
                self.loading = None;
                self.outline_only = false;
                self.finish_loading(ctx, result);
                for command in std::mem::take(&mut self.deferred) {
                    self.apply(ctx, command);
                }
            }
        }
    }

    pub fn save_state(&self) -> SaveState {
        self.writer.as_ref().map_or(SaveState::Saved, Writer::state)
    }

    fn poll(&mut self, ctx: &egui::Context) {
        while let Some(msg) = self.loading.as_ref().and_then(|l| l.rx.try_recv().ok()) {
            self.on_load_msg(ctx, msg);
        }
        if let Some(writer) = &mut self.writer {
            for failed in writer.poll() {
                if let Err(e) = &failed.result {
                    if e.changed_on_disk {
                        self.on_changed_on_disk(failed.key);
                    } else {
                        self.state.error(format!("Could not save {}: {}", failed.what, e.message));
                    }
                }
            }
        }
        if let Some(p) = self.history_loading.take() {
            match p.try_take() {
                Ok(Ok(entries)) => self.state.history = entries,
                Ok(Err(e)) => self.state.error(e),
                Err(p) => self.history_loading = Some(p),
            }
        }
        self.poll_sends(ctx);
        self.poll_websockets(ctx);
        self.poll_runs();
        self.poll_cookies();
        self.poll_kept();
        self.poll_reset_backup();
        self.poll_interop();
        self.poll_graphql(ctx);
        // Files dropped on the window are imported (the dialog previews them first).
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.open_import(ctx, Some(path));
        }
        // A file the app was opened with, once everything is read (an import merges into it).
        if self.loading.is_none() && self.writer.is_some() && !self.options.open_files.is_empty() {
            let path = self.options.open_files.remove(0);
            self.options.open_files.clear();
            self.open_import(ctx, Some(path));
        }
        self.poll_dialogs();
        self.poll_outside(ctx);
        self.apply_appearance(ctx);
    }

    fn finish_loading(&mut self, ctx: &egui::Context, result: Result<Loaded, String>) {
        let loaded = match result {
            Ok(loaded) => loaded,
            Err(e) => {
                self.load_error = Some(e);
                return;
            }
        };
        let repaint = ctx.clone();
        self.writer = Some(Writer::spawn(loaded.store, move || repaint.request_repaint()));
        self.watch_data_folder(ctx);
        let state = &mut self.state;
        state.library = loaded.library;
        state.revision += 1;
        state.problems = loaded.problems;
        // Finishing an interrupted import is news; a removed temp file is not.
        let finished: Vec<String> = loaded
            .repairs
            .iter()
            .filter(|r| r.kind != crate::storage::RepairKind::TempFileRemoved)
            .map(ToString::to_string)
            .collect();
        if !finished.is_empty() {
            state.notify(format!("Put right after a crash: {}", finished.join("; ")));
        }
        state.settings = loaded.settings;
        if !loaded.settings_existed {
            state.settings = state.policy.initial_settings();
            let first = state.settings.clone();
            if let Some(writer) = &mut self.writer {
                writer.submit(WriteJob::Settings(first));
            }
        }
        state.active_environment = loaded.session.active_environment.clone();
        state.workspace = loaded
            .session
            .workspace
            .filter(|id| state.library.workspaces.contains_key(id))
            .or_else(|| state.library.workspaces.keys().next().copied());
        restore_tabs(state, &loaded.session);
        state.code.restore(&loaded.session.code);
        tabs::restore_view(state, &loaded.session);
        // Expand the first collection so a first start shows something.
        if let Some(ws) = state.ws()
            && let Some(c) = ws.collections.keys().next()
        {
            let c = ParentId::Collection(*c);
            state.sidebar.expanded.insert(c);
        }
        self.last_session = Some(loaded.session);
        self.reload_history(ctx);
    }

    fn reload_history(&mut self, ctx: &egui::Context) {
        let Some(ws) = self.state.workspace else { return };
        let Some(writer) = &mut self.writer else { return };
        let (reply, promise) = job::reply(ctx, "reading history");
        writer.submit(WriteJob::Task {
            what: "reading history".into(),
            run: Box::new(move |store| {
                let entries = match store.workspace_dir(ws) {
                    Ok(dir) => history::load(dir, 1000).0,
                    Err(_) => Vec::new(),
                };
                reply.send(entries);
                Ok(())
            }),
        });
        self.history_loading = Some(promise);
    }

    fn submit(&mut self, job: WriteJob) {
        match &mut self.writer {
            Some(writer) => {
                writer.submit(job);
            }
            None => self.state.error("The data folder is not open; nothing can be saved."),
        }
    }

    fn apply_appearance(&mut self, ctx: &egui::Context) {
        let theme = self.state.settings.theme;
        if self.applied_theme != Some(theme) {
            ctx.set_theme(match theme {
                Theme::System => egui::ThemePreference::System,
                Theme::Light => egui::ThemePreference::Light,
                Theme::Dark => egui::ThemePreference::Dark,
            });
            self.applied_theme = Some(theme);
        }
        let blink = self.state.settings.blink_cursor;
        if self.applied_blink != Some(blink) {
            ctx.all_styles_mut(|style| style.visuals.text_cursor.blink = blink);
            self.applied_blink = Some(blink);
        }
        let zoom = (self.state.settings.font_size / 13.0).clamp(0.6, 2.5);
        if self.applied_zoom != Some(zoom) {
            ctx.set_zoom_factor(zoom);
            self.applied_zoom = Some(zoom);
        }
    }

    /// What should be restored next start; written when it changes, a moment after the last edit.
    fn session(&self) -> Session {
        let state = &self.state;
        let tabs = state
            .tabs
            .iter()
            .map(|t| match &t.kind {
                TabKind::Request(r) => SessionTab::Request {
                    workspace: t.workspace,
                    id: r.draft.id,
                    parent: r.parent,
                    draft: r.dirty.then(|| Box::new(r.draft.clone())),
                },
                TabKind::Environment(id) => SessionTab::Environment { workspace: t.workspace, id: *id },
                TabKind::Globals => SessionTab::Globals { workspace: t.workspace },
                TabKind::Preset(id) => SessionTab::Preset { workspace: t.workspace, id: *id },
                TabKind::Container(id) => SessionTab::Container { workspace: t.workspace, id: *id },
                TabKind::Settings => SessionTab::Settings { workspace: t.workspace },
                TabKind::Policy => SessionTab::Policy { workspace: t.workspace },
                TabKind::Runner(r) => SessionTab::Runner { workspace: t.workspace, target: r.target },
                TabKind::Example(x) => {
                    SessionTab::Example { workspace: t.workspace, request: x.request, example: x.example() }
                }
            })
            .collect();
        Session {
            workspace: state.workspace,
            active_environment: state.active_environment.clone(),
            tabs,
            active_tab: state.active_tab.and_then(|id| state.tabs.iter().position(|t| t.id == id)),
            code: state.code.prefs(),
            preview_tab: state.preview_tab.and_then(|id| state.tabs.iter().position(|t| t.id == id)),
            editor_split: Some(state.editor_split),
        }
    }

    fn persist_session_if_due(&mut self, ctx: &egui::Context) {
        if self.writer.is_none() {
            return;
        }
        let session = self.session();
        if self.last_session.as_ref() == Some(&session) {
            self.session_changed = None;
            return;
        }
        let since = *self.session_changed.get_or_insert_with(Instant::now);
        let delay = Duration::from_millis(400);
        if since.elapsed() >= delay {
            self.submit(WriteJob::Session(Box::new(session.clone())));
            self.last_session = Some(session);
            self.session_changed = None;
        } else {
            ctx.request_repaint_after(delay.saturating_sub(since.elapsed()));
        }
    }

    fn shortcuts(&self, ctx: &egui::Context, out: &mut Vec<Command>) {
        ctx.input_mut(|input| {
            for action in Action::ALL {
                // Esc closes the GraphQL editor's completion list before it cancels anything.
                if action == Action::Cancel && graphql::completion_open(&self.state) {
                    continue;
                }
                if let Some(shortcut) = action.shortcut()
                    && input.consume_shortcut(&shortcut)
                {
                    out.push(Command::Action(action));
                }
            }
        });
    }
}

impl App {
    /// A frame's start: polls background work and takes the keyboard shortcuts. Returns what
    /// the UI shows beside the state, and the output the UI adds its commands to.
    pub fn begin_frame(&mut self, ctx: &egui::Context) -> (UiStatus, UiOutput) {
        self.poll(ctx);
        let mut output = UiOutput::default();
        if self.state.modal.is_none() {
            self.shortcuts(ctx, &mut output.commands);
        }
        let status = UiStatus {
            save: self.save_state(),
            loading: self.loading.is_some() && !self.outline_only,
            outline_only: self.outline_only,
            load_error: self.load_error.clone(),
        };
        (status, output)
    }

    /// A frame's end: applies what the UI asked for, and what follows a frame (the session's
    /// save, repaints while work is in flight, the first-frame probe).
    pub fn end_frame(&mut self, ctx: &egui::Context, mut output: UiOutput) {
        for command in std::mem::take(&mut output.commands) {
            if self.outline_only {
                // Changes wait until everything is read, so nothing is written over a half view.
                self.deferred.push(command);
            } else {
                self.apply(ctx, command);
            }
        }
        if let Some(loader) = &mut self.loading
            && let Some(painted) = loader.painted.take()
        {
            let _ = painted.send(());
        }
        self.persist_session_if_due(ctx);
        if self.any_in_flight() || self.any_run_live() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        let shown = !self.state.library.workspaces.is_empty() || self.loading.is_none();
        let tree_shown =
            shown && (output.tree_rows > 0 || self.state.ws().is_some_and(|w| w.collections.is_empty()));
        let wanted = self.options.exit_after_first_frame
            || (self.options.exit_after_full_load && self.loading.is_none() && self.writer.is_some());
        if wanted && !self.first_frame_done && tree_shown {
            self.first_frame_done = true;
            // Not println!: a closed stdout must not panic the window.
            let _ =
                writeln!(std::io::stdout(), "first_frame_ms={}", self.options.started.elapsed().as_millis());
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Writes the open tabs and waits for queued saves, before the process ends.
    pub fn shutdown(&mut self) {
        // Write the open tabs now and let queued saves finish before the process ends.
        if self.writer.is_some() {
            let session = self.session();
            if self.last_session.as_ref() != Some(&session) {
                self.submit(WriteJob::Session(Box::new(session)));
            }
        }
        if let Some(writer) = self.writer.take() {
            let _ = writer.finish();
        }
    }
}

/// Opens the data folder; `early` is what was put right before the outline was read.
fn load(
    data_dir: &std::path::Path,
    early: (Vec<crate::storage::Repair>, Vec<Problem>),
) -> Result<Loaded, String> {
    let opened = Store::open(data_dir).map_err(|e| e.to_string())?;
    let mut store = opened.store;
    let (mut repairs, mut problems) = early;
    problems.extend(opened.report.problems);
    repairs.extend(opened.report.repairs);
    let settings_existed = data_dir.join(crate::storage::layout::SETTINGS_FILE).exists();
    let (settings, p) = store.load_settings();
    problems.extend(p);
    let (session, p) = store.load_app_file::<Session>(SESSION_FILE);
    problems.extend(p);
    Ok(Loaded { store, library: opened.library, problems, repairs, settings, settings_existed, session })
}

fn restore_tabs(state: &mut AppState, session: &Session) {
    for tab in &session.tabs {
        let (workspace, kind) = match tab {
            SessionTab::Request { workspace, id, parent, draft } => {
                let saved = state.library.workspaces.get(workspace).and_then(|w| w.requests.get(id));
                let parent = parent.or_else(|| {
                    state.library.workspaces.get(workspace).and_then(|w| w.parent_of(ItemId::Request(*id)))
                });
                let request = match (draft, saved) {
                    (Some(draft), _) => (**draft).clone(),
                    (None, Some(saved)) => saved.clone(),
                    (None, None) => continue,
                };
                (*workspace, TabKind::Request(Box::new(RequestTab::new(request, parent))))
            }
            SessionTab::Environment { workspace, id } => (*workspace, TabKind::Environment(*id)),
            SessionTab::Globals { workspace } => (*workspace, TabKind::Globals),
            SessionTab::Preset { workspace, id } => (*workspace, TabKind::Preset(*id)),
            SessionTab::Container { workspace, id } => (*workspace, TabKind::Container(*id)),
            SessionTab::Settings { workspace } => (*workspace, TabKind::Settings),
            SessionTab::Policy { workspace } => (*workspace, TabKind::Policy),
            SessionTab::Runner { workspace, target } => {
                let Some(ws) = state.library.workspaces.get(workspace) else { continue };
                let env = state.active_environment.get(workspace).copied();
                (*workspace, TabKind::Runner(Box::new(runs::RunnerTab::new(ws, *target, env))))
            }
            SessionTab::Example { workspace, request, example } => {
                let Some(saved) =
                    state.library.workspaces.get(workspace).and_then(|w| w.example(*request, *example))
                else {
                    continue;
                };
                let tab = examples::ExampleTab::new(*request, saved.clone());
                (*workspace, TabKind::Example(Box::new(tab)))
            }
        };
        if !state.library.workspaces.contains_key(&workspace) {
            continue;
        }
        let id = state.new_tab_id();
        state.tabs.push(Tab { id, workspace, kind });
        state.refresh_dirty(id);
    }
    state.active_tab = session.active_tab.and_then(|i| state.tabs.get(i)).map(|t| t.id);
    if state.active_tab.is_none() {
        state.active_tab =
            state.tabs.iter().rev().find(|t| Some(t.workspace) == state.workspace).map(|t| t.id);
    }
}
