//! Drawing: egui only. Reads the state, edits drafts in place, and returns everything else the
//! user asked for as [`Command`]s. Never touches the file system, the network or file dialogs.

pub mod auth;
pub mod body_filter;
pub mod checks;
pub mod code;
pub mod code_panel;
pub mod console;
pub mod container;
pub mod cookies;
pub mod docs;
pub mod editors;
pub mod examples;
pub mod graphql;
pub mod json_tree;
pub mod kv;
pub mod live_body;
pub mod local_time;
pub mod markdown;
pub mod modals;
pub mod path_field;
pub mod request;
pub mod response;
pub mod run_detail;
pub mod runner;
pub mod save_as;
pub mod settings;
pub mod sidebar;
pub mod split;
pub mod sse;
pub mod tabs;
pub mod theme;
pub mod vars;
pub mod ws;

use egui::{RichText, Ui};

use crate::app::command::{Action, Command, MenuGroup};
use crate::app::scripts::ConsoleLevel;
use crate::app::state::{AppState, RequestTab, TabId, TabKind};
use crate::app::writer::SaveState;
use crate::app::{UiOutput, UiStatus};
use crate::model::*;

use self::vars::VarIndex;

/// The whole window.
pub fn app_ui(ui: &mut Ui, state: &mut AppState, status: &UiStatus, output: &mut UiOutput) {
    let out = &mut output.commands;
    path_field::pass_focus(ui.ctx(), state);
    egui::Panel::top("top-bar").show(ui, |ui| top_bar_ui(ui, state, status, out));
    egui::Panel::bottom("footer").show(ui, |ui| footer_ui(ui, state, status, out));
    if let Some(error) = &status.load_error {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("The data folder could not be opened");
            ui.label(RichText::new(error).color(theme::error_color(ui.visuals())));
            ui.label(format!("Data folder: {}", state.data_dir.display()));
            ui.label(
                "Nothing was changed. Fix the problem (or start with --data-dir DIR) and restart Localpost.",
            );
        });
        return;
    }
    if status.loading {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.centered_and_justified(|ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Reading {}", state.data_dir.display()));
                });
            });
        });
        return;
    }
    if state.console.open {
        egui::Panel::bottom("console")
            .resizable(true)
            .default_size(200.0)
            .size_range(80.0..=600.0)
            .show(ui, |ui| console::console_ui(ui, &mut state.console, &mut output.commands));
    }
    egui::Panel::left("sidebar").resizable(true).default_size(300.0).size_range(200.0..=600.0).show(
        ui,
        |ui| {
            output.tree_rows = sidebar::sidebar_ui(ui, state, &mut output.commands);
        },
    );
    let out = &mut output.commands;
    if status.outline_only {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.centered_and_justified(|ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading requests…");
                });
            });
        });
        return;
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(banner) = state.policy.banner() {
            egui::Frame::new()
                .fill(theme::error_color(ui.visuals()).gamma_multiply(0.2))
                .inner_margin(6)
                .show(ui, |ui| {
                    ui.label(RichText::new(banner).strong());
                    if ui.small_button("Show the policy").clicked() {
                        out.push(Command::Action(Action::ShowPolicy));
                    }
                });
        }
        tabs::tabs_bar_ui(ui, state, out);
        ui.separator();
        tab_content_ui(ui, state, out);
    });
    modals::modal_ui(ui, state, out);
    notice_ui(ui.ctx(), state, out);
}

fn top_bar_ui(ui: &mut Ui, state: &mut AppState, status: &UiStatus, out: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            for group in [
                MenuGroup::FileNew,
                MenuGroup::FileSave,
                MenuGroup::FileImportExport,
                MenuGroup::FileReload,
                MenuGroup::FileSettings,
            ] {
                menu_group_ui(ui, group, out);
                ui.separator();
            }
            if ui.button("Quit").clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button("Request", |ui| menu_group_ui(ui, MenuGroup::Request, out));
        ui.menu_button("View", |ui| {
            menu_group_ui(ui, MenuGroup::View, out);
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("Theme");
                let mut theme = state.settings.theme;
                let before = theme;
                ui.selectable_value(&mut theme, Theme::System, "System");
                ui.selectable_value(&mut theme, Theme::Light, "Light");
                ui.selectable_value(&mut theme, Theme::Dark, "Dark");
                if theme != before {
                    out.push(Command::SetTheme(theme));
                }
            });
            menu_group_ui(ui, MenuGroup::ViewZoom, out);
        });
        if status.loading || status.load_error.is_some() {
            return;
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(RichText::new(format!("🔒 {}", crate::policy::SIGN_IN_DISABLED_MESSAGE)).weak().small())
                .on_hover_text(format!(
                    "{}. Localpost has no sign-in and no cloud sync at all.",
                    state.policy.managed_by()
                ));
            ui.label(RichText::new("👤 No account · Everything is stored locally").weak()).on_hover_text(
                "Localpost has no sign-in and no cloud. Your work is plain files in your data folder.",
            );
            ui.separator();
            environment_picker_ui(ui, state, out);
        });
    });
}

/// The entries of one group of the menu bar, in the order of [`Action::ALL`].
fn menu_group_ui(ui: &mut Ui, group: MenuGroup, out: &mut Vec<Command>) {
    for action in Action::ALL.into_iter().filter(|a| a.menu_group() == Some(group)) {
        menu_item(ui, action, out);
    }
}

fn menu_item(ui: &mut Ui, action: Action, out: &mut Vec<Command>) {
    let mut button = egui::Button::new(action.label());
    if let Some(s) = action.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&s));
    }
    if ui.add(button).clicked() {
        out.push(Command::Action(action));
        ui.close();
    }
}

fn environment_picker_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    let Some(ws) = state.ws() else { return };
    let active = state.environment();
    let quick_look = ui.button("👁").on_hover_text("Quick look at the variables");
    egui::Popup::from_toggle_button_response(&quick_look).show(|ui| {
        ui.set_min_width(320.0);
        let vars: Vec<(&str, &Variable)> =
            active.map(|e| e.variables.iter().map(|v| (e.name.as_str(), v)).collect()).unwrap_or_default();
        ui.strong(active.map_or("No environment".to_owned(), |e| e.name.clone()));
        egui::Grid::new("quick-look").num_columns(2).show(ui, |ui| {
            for (_, v) in &vars {
                ui.label(&v.key);
                ui.label(if v.secret { "••••••".to_owned() } else { v.value.clone() });
                ui.end_row();
            }
        });
        ui.separator();
        ui.strong("Globals");
        egui::Grid::new("quick-look-globals").num_columns(2).show(ui, |ui| {
            for v in &ws.globals.variables {
                ui.label(&v.key);
                ui.label(if v.secret { "••••••".to_owned() } else { v.value.clone() });
                ui.end_row();
            }
        });
    });
    let selected = active.map_or("No environment".to_owned(), |e| e.name.clone());
    egui::ComboBox::from_id_salt("environment")
        .selected_text(selected)
        .width(180.0)
        .show_ui(ui, |ui| {
            if ui.selectable_label(active.is_none(), "No environment").clicked() {
                out.push(Command::SelectEnvironment(None));
            }
            for env in ws.environments.values() {
                if ui.selectable_label(active.is_some_and(|a| a.id == env.id), &env.name).clicked() {
                    out.push(Command::SelectEnvironment(Some(env.id)));
                }
            }
        })
        .named("Environment");
}

/// The footer's save state when nothing is being written: "Saved" only when no tab holds a
/// draft either.
fn saved_ui(ui: &mut Ui, drafts: usize) {
    let ok = theme::ok_color(ui.visuals());
    if drafts == 0 {
        ui.label(RichText::new("✔ Saved").color(ok))
            .on_hover_text("Every change is saved to the data folder.");
    } else {
        ui.label(RichText::new("✔ Files written").color(ok))
            .on_hover_text("Every file in the data folder is written.");
    }
}

/// How many tabs hold edits that are in no file of the data folder yet.
fn drafts_ui(ui: &mut Ui, drafts: usize) {
    if drafts == 0 {
        return;
    }
    let tabs =
        if drafts == 1 { "1 tab holds a draft".to_owned() } else { format!("{drafts} tabs hold drafts") };
    ui.label(RichText::new(format!("· {tabs}")).color(ui.visuals().warn_fg_color)).on_hover_text(format!(
        "{tabs} not saved to the collection yet (Ctrl+S saves the tab). Request drafts are kept with \
         the open tabs; an example's edits are kept only while the app runs."
    ));
}

fn footer_ui(ui: &mut Ui, state: &AppState, status: &UiStatus, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let sync = ui.label(RichText::new("🔒 Sync off").strong());
        sync.on_hover_text(format!(
            "Sync and sign-in are disabled by your organization's policy. Your data stays on this computer.\nData folder: {}",
            state.data_dir.display()
        ));
        ui.separator();
        match &status.save {
            SaveState::Saved => saved_ui(ui, state.draft_count()),
            SaveState::Saving { pending } => {
                ui.label("⟳ Saving…").on_hover_text(format!("{pending} change(s) being written"));
            }
            SaveState::Error { what, reason } => {
                let r = ui.add(egui::Button::new(RichText::new("⚠ Error").color(theme::error_color(ui.visuals()))).frame(false));
                if r.on_hover_text(format!("Could not save {what}:\n{reason}\n(click to dismiss)")).clicked() {
                    out.push(Command::DismissSaveError);
                }
            }
        }
        drafts_ui(ui, state.draft_count());
        let broken = state.problems.iter().filter(|p| p.is_broken_file()).count();
        if broken > 0 {
            ui.separator();
            let text = format!("⚠ {broken} file(s) did not load");
            let tip: Vec<String> = state.problems.iter().filter(|p| p.is_broken_file()).take(20).map(ToString::to_string).collect();
            ui.label(RichText::new(text).color(theme::error_color(ui.visuals()))).on_hover_text(format!(
                "{}\nThese files are left untouched; fix them and restart. `localpost doctor` lists every problem.",
                tip.join("\n")
            ));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(RichText::new(state.data_dir.display().to_string()).weak().small());
            ui.separator();
            let errors = state.console.entries.iter().filter(|e| e.level == ConsoleLevel::Error).count();
            let label = match errors {
                0 => "Console".to_owned(),
                1 => "Console (1 error)".to_owned(),
                n => format!("Console ({n} errors)"),
            };
            let text = if errors > 0 { RichText::new(label).color(theme::error_color(ui.visuals())) } else { RichText::new(label) };
            if ui
                .selectable_label(state.console.open, text)
                .on_hover_text(Action::ToggleConsole.with_shortcut(ui.ctx()))
                .clicked()
            {
                out.push(Command::Action(Action::ToggleConsole));
            }
        });
    });
}

/// The settings screen over the user's settings: locked ones show the policy's value, and only
/// the others are written back (the user's own choices return if the policy is relaxed).
fn settings_tab_ui(
    ui: &mut Ui,
    user: &mut Settings,
    data_dir: &std::path::Path,
    policy: &crate::policy::EffectivePolicy,
    out: &mut Vec<Command>,
) {
    use crate::policy::SettingKey;
    let locked = |key: SettingKey| policy.settings_lock(key);
    let effective = policy.effective_settings(user);
    let mut shown = user.clone();
    for key in SettingKey::ALL {
        if locked(*key).is_some() {
            key.copy(&effective, &mut shown);
        }
    }
    let lookup = |name: &str| SettingKey::from_name(name).and_then(locked);
    let org = settings::Organization {
        ca_files: policy.extra_ca_files().iter().map(|p| p.display().to_string()).collect(),
        client_certificate_hosts: policy.client_certificates().iter().map(|c| c.host.clone()).collect(),
        note: format!("{} (set in the policy)", policy.managed_by()),
    };
    match settings::settings_ui(ui, &mut shown, data_dir, &lookup, &org) {
        Some(settings::SettingsOutput::Changed) => {
            for key in SettingKey::ALL {
                if locked(*key).is_none() {
                    key.copy(&shown, user);
                }
            }
            out.push(Command::SettingsEdited);
        }
        Some(settings::SettingsOutput::OpenDataFolder) => out.push(Command::OpenDataFolder),
        Some(settings::SettingsOutput::ResetLocalData) => out.push(Command::Action(Action::ResetLocalData)),
        None => {}
    }
}

/// The organization policy: every key with its value, source and status.
fn policy_ui(ui: &mut Ui, policy: &crate::policy::EffectivePolicy, out: &mut Vec<Command>) {
    use crate::policy::{EntryStatus, PolicyState, SourceStatus};
    ui.horizontal(|ui| {
        ui.heading("Organization policy");
        if ui.button("Reload").on_hover_text("Read the machine's policy files again").clicked() {
            out.push(Command::ReloadPolicy);
        }
    });
    let state = match policy.state() {
        PolicyState::Baseline => {
            "Managed by the policy shipped with Localpost (no administrator policy on this machine)"
        }
        PolicyState::Managed => "Managed by your organization",
        PolicyState::Lockdown { .. } => {
            "Lockdown: a policy file is unusable, so the most restrictive values apply"
        }
    };
    ui.label(RichText::new(state).strong());
    ui.label(format!("Organization: {}", policy.organization_name()));
    if let Some(contact) = policy.support_contact() {
        ui.label(format!("Support: {contact}"));
    }
    ui.label(RichText::new(format!("SHA-256 of the effective policy: {}", policy.sha256())).weak().small());
    ui.add_space(6.0);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.strong("Sources");
        egui::Grid::new("policy-sources").num_columns(2).striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
            for source in policy.sources() {
                ui.label(&source.label);
                let status = match &source.status {
                    SourceStatus::Loaded => "loaded".to_owned(),
                    SourceStatus::Failed(e) => format!("error: {e}"),
                    SourceStatus::Ignored(why) => format!("ignored: {why}"),
                };
                ui.label(status);
                ui.end_row();
            }
        });
        ui.add_space(8.0);
        ui.strong("Keys");
        // The value column gets what the other three leave, so a long value wraps at words
        // (a grid's wrapping label alone gets a sliver and breaks after every few characters).
        let value_width = (ui.available_width() - 520.0).clamp(220.0, 720.0);
        egui::Grid::new("policy-keys").num_columns(4).striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
            for h in ["Key", "Value", "Source", "Status"] {
                ui.strong(h);
            }
            ui.end_row();
            for entry in policy.entries() {
                ui.label(RichText::new(&entry.key).monospace());
                ui.allocate_ui_with_layout(
                    egui::vec2(value_width, ui.spacing().interact_size.y),
                    egui::Layout::left_to_right(egui::Align::Center),
                    |ui| {
                        ui.set_width(value_width);
                        ui.add(egui::Label::new(RichText::new(&entry.display).monospace()).wrap());
                    },
                );
                ui.label(entry.sources.join(", "));
                let color = match entry.status {
                    EntryStatus::Ok => theme::ok_color(ui.visuals()),
                    EntryStatus::Unknown | EntryStatus::Conflict => ui.visuals().warn_fg_color,
                    EntryStatus::Error => theme::error_color(ui.visuals()),
                };
                let r = ui.label(RichText::new(entry.status.label()).color(color));
                if !entry.messages.is_empty() {
                    r.on_hover_text(entry.messages.join("\n"));
                }
                ui.end_row();
            }
        });
    });
}

/// The last notice, as a toast over the window's bottom right corner: it covers nothing the user
/// is about to click and moves nothing (a banner pushed the tabs down and caused misclicks).
fn notice_ui(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    let Some(notice) = &state.notice else { return };
    egui::Area::new(egui::Id::unique("notice-toast"))
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -40.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(480.0);
                ui.horizontal(|ui| {
                    let color = if notice.is_error {
                        theme::error_color(ui.visuals())
                    } else {
                        ui.visuals().text_color()
                    };
                    if ui.small_button("✖").named("Dismiss").on_hover_text("Dismiss").clicked() {
                        out.push(Command::DismissNotice);
                    }
                    ui.add(egui::Label::new(RichText::new(&notice.text).color(color)).wrap());
                });
            });
        });
}

/// Gives a widget without a visible label its accessible name (screen readers, UI tests).
pub trait Named {
    fn named(self, name: &str) -> Self;
}

impl Named for egui::Response {
    fn named(self, name: &str) -> Self {
        self.ctx.accesskit_node_builder(self.id, |node| node.set_label(name.to_owned()));
        self
    }
}

impl<T> Named for egui::InnerResponse<T> {
    fn named(self, name: &str) -> Self {
        self.response.ctx.accesskit_node_builder(self.response.id, |node| node.set_label(name.to_owned()));
        self
    }
}

/// Runs `add` in a cell exactly `width` wide. Text fields clamp their width to the space
/// available, which in a grid's first frame is next to nothing.
pub fn cell<R>(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui) -> R) -> R {
    let size = egui::vec2(width, ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(size, egui::Layout::left_to_right(egui::Align::Center), add).inner
}

/// The container chain's first auth that is not "inherit", with the container's name.
pub fn inherited_auth(ws: &WorkspaceData, parent: Option<ParentId>) -> Option<(String, Auth)> {
    let parent = parent?;
    let mut chain = vec![parent];
    if let ParentId::Folder(f) = parent {
        chain.extend(ws.ancestors(ItemId::Folder(f)));
    }
    for p in chain {
        let (name, auth) = match p {
            ParentId::Folder(f) => ws.folders.get(&f).map(|f| (f.name.clone(), f.auth.clone()))?,
            ParentId::Collection(c) => ws.collections.get(&c).map(|c| (c.name.clone(), c.auth.clone()))?,
        };
        if auth != Auth::Inherit {
            return Some((name, auth));
        }
    }
    None
}

fn breadcrumb(ws: &WorkspaceData, parent: Option<ParentId>) -> String {
    let Some(parent) = parent else { return String::new() };
    let mut chain = vec![parent];
    if let ParentId::Folder(f) = parent {
        chain.extend(ws.ancestors(ItemId::Folder(f)));
    }
    chain.iter().rev().filter_map(|p| ws.parent_name(*p)).collect::<Vec<_>>().join(" / ")
}

/// What the editor of the active tab may need besides its workspace.
struct TabContext<'a> {
    tab_id: TabId,
    /// The workspace's active environment.
    env_id: Option<EnvironmentId>,
    policy: &'a crate::policy::EffectivePolicy,
    script_marks: &'a crate::app::scripts::ScriptMarks,
    /// Why scripts do not run (the organization's policy), if they do not.
    scripts_forbidden: Option<String>,
    /// The request editor's share of a request tab's height.
    editor_split: f32,
    /// The state's revision (the Code panel writes its snippet again when it moves).
    revision: u64,
}

/// The active tab's editor, or the empty state when this workspace has no tab open.
fn tab_content_ui(ui: &mut Ui, state: &mut AppState, out: &mut Vec<Command>) {
    let Some(active) = state.active_tab else {
        empty_state_ui(ui, out);
        return;
    };
    let scripts_forbidden = state.scripts_forbidden();
    let AppState {
        tabs,
        library,
        workspace,
        active_environment,
        focus_url,
        settings,
        data_dir,
        policy,
        past_runs,
        script_marks,
        editor_split,
        code,
        revision,
        ..
    } = state;
    let Some(tab) = tabs.iter_mut().find(|t| t.id == active && Some(t.workspace) == *workspace) else {
        empty_state_ui(ui, out);
        return;
    };
    let Some(ws) = library.workspaces.get_mut(&tab.workspace) else { return };
    let cx = TabContext {
        tab_id: tab.id,
        env_id: active_environment.get(&tab.workspace).copied(),
        policy,
        script_marks,
        scripts_forbidden,
        editor_split: *editor_split,
        revision: *revision,
    };
    match &mut tab.kind {
        TabKind::Settings => settings_tab_ui(ui, settings, data_dir, cx.policy, out),
        TabKind::Policy => policy_ui(ui, cx.policy, out),
        TabKind::Runner(r) => runner::runner_ui(ui, cx.tab_id, r, ws, past_runs, out),
        TabKind::Request(r) => request_tab_ui(ui, r, ws, &cx, focus_url, code, out),
        TabKind::Environment(id) => {
            let id = *id;
            let active = cx.env_id == Some(id);
            match ws.environments.get_mut(&id) {
                Some(env) => {
                    if editors::environment_ui(ui, env, active) {
                        out.push(Command::EnvironmentEdited(id));
                    }
                }
                None => {
                    ui.label("This environment was deleted.");
                }
            }
        }
        TabKind::Globals => {
            if editors::globals_ui(ui, &mut ws.globals) {
                out.push(Command::GlobalsEdited);
            }
        }
        TabKind::Preset(id) => {
            let id = *id;
            let vars = VarIndex::build(ws, None, cx.env_id.and_then(|e| ws.environments.get(&e)));
            match ws.header_presets.get_mut(&id) {
                Some(preset) => {
                    if editors::preset_ui(ui, preset, &vars) {
                        out.push(Command::PresetEdited(id));
                    }
                }
                None => {
                    ui.label("This header preset was deleted.");
                }
            }
        }
        TabKind::Container(p) => container::container_tab_ui(ui, *p, ws, &cx, out),
        TabKind::Example(x) => examples::example_tab_ui(ui, cx.tab_id, x, ws, out),
    }
}

/// A request tab: the editor in a resizable panel on top, the response below.
fn request_tab_ui(
    ui: &mut Ui,
    r: &mut RequestTab,
    ws: &WorkspaceData,
    cx: &TabContext<'_>,
    focus_url: &mut bool,
    code: &mut crate::app::code_panel::CodePanel,
    out: &mut Vec<Command>,
) {
    let tab_id = cx.tab_id;
    let websocket = r.draft.is_websocket();
    if !websocket {
        let code_cx = code_panel::CodeContext { tab_id, ws, environment: cx.env_id, revision: cx.revision };
        code_panel::code_sidebar_ui(ui, r, &code_cx, code, out);
    }
    let split = cx.editor_split;
    let env = cx.env_id.and_then(|id| ws.environments.get(&id));
    let vars = VarIndex::build(ws, r.parent, env);
    let editor_cx = request::EditorContext {
        tab_id,
        vars: &vars,
        presets: ws.header_presets.values().map(|p| (p.id, p.name.clone())).collect(),
        inherited_auth: inherited_auth(ws, r.parent),
        breadcrumb: breadcrumb(ws, r.parent),
        tls_bypass_allowed: cx.policy.allows_tls_bypass(),
        script_marks: cx.script_marks,
        scripts_forbidden: cx.scripts_forbidden.clone(),
        inherited_settings: crate::http::inherited_settings(ws, r.parent),
    };
    let mut changed = false;
    let panes = split::split_ui(ui, split, out);
    split::pane_ui(ui, panes.editor, ("editor-pane", tab_id.0), |ui| {
        changed = if websocket {
            ws::websocket_editor_ui(ui, r, &editor_cx, focus_url, out)
        } else {
            request::request_ui(ui, r, &editor_cx, focus_url, out)
        };
    });
    split::pane_ui(ui, panes.response, ("response-pane", tab_id.0), |ui| {
        if websocket {
            ws::websocket_log_ui(ui, r, out, tab_id);
        } else {
            response::response_ui(ui, tab_id, r, out);
        }
    });
    ui.advance_cursor_after_rect(panes.whole);
    if changed {
        out.push(Command::DraftEdited(tab_id));
        // The Code panel, drawn before the editor, follows the edit on the next frame.
        ui.ctx().request_repaint();
    }
}

fn empty_state_ui(ui: &mut Ui, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.heading("Localpost");
        ui.label(
            RichText::new("A local-only API client. No account, no sync: your work stays on this computer.")
                .weak(),
        );
        ui.add_space(12.0);
        if ui.button(Action::NewRequest.with_shortcut(ui.ctx())).clicked() {
            out.push(Command::Action(Action::NewRequest));
        }
        if ui.button(Action::NewWebSocketRequest.label()).clicked() {
            out.push(Command::Action(Action::NewWebSocketRequest));
        }
        if ui.button(Action::NewCollection.label()).clicked() {
            out.push(Command::Action(Action::NewCollection));
        }
        if ui.button(Action::QuickOpen.with_shortcut(ui.ctx())).clicked() {
            out.push(Command::Action(Action::QuickOpen));
        }
    });
}
