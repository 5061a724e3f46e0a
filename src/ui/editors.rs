//! Editors that open as tabs: environments and globals (variables with the secret flag), header
//! presets, and a collection's or folder's overview (description, auth, variables, scripts).
//! Edits save as you type.

use egui::{RichText, TextEdit, Ui};

use super::auth::auth_ui;
use super::cell;
use super::kv::{KvOptions, kv_table_ui};
use super::vars::VarIndex;
use crate::model::*;

/// The variables table: enabled, key, value (masked when secret, revealed on click), secret flag,
/// description. Returns whether anything changed.
pub fn variables_ui(ui: &mut Ui, id_salt: &str, vars: &mut Vec<Variable>) -> bool {
    let mut changed = false;
    let mut remove = None;
    let revealed_id = egui::Id::unique((id_salt, "revealed"));
    let mut revealed: Vec<VariableId> = ui.memory(|m| m.data.get_temp(revealed_id)).unwrap_or_default();
    let width = ui.available_width();
    egui::Grid::new(id_salt).num_columns(6).striped(true).spacing([6.0, 4.0]).show(ui, |ui| {
        for h in ["", "Variable", "Value", "Secret", "Description", ""] {
            ui.strong(h);
        }
        ui.end_row();
        for (i, v) in vars.iter_mut().enumerate() {
            changed |= ui.checkbox(&mut v.enabled, "").changed();
            changed |= cell(ui, width * 0.2, |ui| {
                ui.add(TextEdit::singleline(&mut v.key).desired_width(width * 0.2).hint_text("name"))
            })
            .changed();
            let show = !v.secret || revealed.contains(&v.id);
            cell(ui, width * 0.34, |ui| {
                changed |= ui
                    .add(TextEdit::singleline(&mut v.value).password(!show).desired_width(width * 0.3))
                    .changed();
                if v.secret {
                    let label = if show { "🙈" } else { "👁" };
                    if ui.small_button(label).on_hover_text(if show { "Hide" } else { "Reveal" }).clicked() {
                        if show {
                            revealed.retain(|id| *id != v.id);
                        } else {
                            revealed.push(v.id);
                        }
                    }
                }
            });
            changed |= ui
                .checkbox(&mut v.secret, "")
                .on_hover_text(
                    "Secret: masked here, and kept out of the shareable files (stored in secrets.ron only)",
                )
                .changed();
            changed |= cell(ui, width * 0.2, |ui| {
                ui.add(TextEdit::singleline(&mut v.description).desired_width(width * 0.2))
            })
            .changed();
            if ui.small_button("✖").clicked() {
                remove = Some(i);
            }
            ui.end_row();
        }
        ui.label("");
        let mut key = String::new();
        let r = cell(ui, width * 0.2, |ui| {
            ui.add(TextEdit::singleline(&mut key).desired_width(width * 0.2).hint_text("Add a variable"))
        });
        if !key.is_empty() {
            vars.push(Variable::new(key, ""));
            changed = true;
            let _ = r;
        }
        ui.end_row();
    });
    if let Some(i) = remove {
        vars.remove(i);
        changed = true;
    }
    ui.memory_mut(|m| m.data.insert_temp(revealed_id, revealed));
    changed
}

pub fn environment_ui(ui: &mut Ui, env: &mut Environment, active: bool) -> bool {
    ui.horizontal(|ui| {
        ui.heading(&env.name);
        if active {
            ui.label(RichText::new("active").weak());
        }
    });
    ui.label(RichText::new("Use a variable as {{name}} in URLs, params, headers, bodies and auth.").weak());
    ui.add_space(6.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| variables_ui(ui, "env-vars", &mut env.variables))
        .inner
}

pub fn globals_ui(ui: &mut Ui, globals: &mut Globals) -> bool {
    ui.heading("Globals");
    ui.label(
        RichText::new(
            "Variables for every request of this workspace; an environment's variable of the same name wins.",
        )
        .weak(),
    );
    ui.add_space(6.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| variables_ui(ui, "global-vars", &mut globals.variables))
        .inner
}

pub fn preset_ui(ui: &mut Ui, preset: &mut HeaderPreset, vars: &VarIndex) -> bool {
    ui.heading(&preset.name);
    ui.label(RichText::new("Insert these headers into a request from its Headers tab.").weak());
    ui.add_space(6.0);
    kv_table_ui(
        ui,
        "preset",
        &mut preset.headers,
        vars,
        None,
        &KvOptions { row_name: "Header", ..KvOptions::default() },
    )
}

/// Which part of a collection or folder overview is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ContainerSection {
    #[default]
    Overview,
    Auth,
    Variables,
    Scripts,
}

pub struct ContainerFields<'a> {
    pub name: &'a str,
    pub description: &'a mut String,
    pub auth: &'a mut Auth,
    pub variables: &'a mut Vec<Variable>,
    pub scripts: &'a mut Scripts,
    pub owner: crate::script::ScriptOwner,
    pub is_collection: bool,
    pub requests: usize,
    pub inherited_auth: Option<(String, Auth)>,
}

/// What the Scripts part of an overview shows besides the scripts.
pub struct ContainerScripts<'a> {
    pub marks: &'a crate::app::scripts::ScriptMarks,
    pub forbidden: Option<&'a str>,
}

#[allow(clippy::needless_pass_by_value)] // the fields are borrows; taking them ends them here
pub fn container_ui(
    ui: &mut Ui,
    id: u64,
    f: ContainerFields<'_>,
    vars: &VarIndex,
    scripts_cx: &ContainerScripts<'_>,
) -> bool {
    let section_id = egui::Id::unique(("container-section", id));
    let event_id = egui::Id::unique(("container-script-event", id));
    let mut section: ContainerSection = ui.memory(|m| m.data.get_temp(section_id)).unwrap_or_default();
    let mut event: crate::script::Event =
        ui.memory(|m| m.data.get_temp(event_id)).unwrap_or(crate::script::Event::PreRequest);
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.heading(f.name);
        ui.label(
            RichText::new(format!(
                "{} {} requests",
                if f.is_collection { "collection ·" } else { "folder ·" },
                f.requests
            ))
            .weak(),
        );
    });
    ui.horizontal(|ui| {
        ui.selectable_value(&mut section, ContainerSection::Overview, "Overview");
        ui.selectable_value(&mut section, ContainerSection::Auth, "Auth");
        ui.selectable_value(
            &mut section,
            ContainerSection::Variables,
            format!("Variables ({})", f.variables.len()),
        );
        let scripts = usize::from(!f.scripts.pre_request.trim().is_empty())
            + usize::from(!f.scripts.test.trim().is_empty());
        let label = if scripts == 0 { "Scripts".to_owned() } else { format!("Scripts ({scripts})") };
        ui.selectable_value(&mut section, ContainerSection::Scripts, label);
    });
    ui.separator();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| match section {
        ContainerSection::Overview => {
            let what = if f.is_collection { "this collection" } else { "this folder" };
            changed |= super::docs::description_ui(
                ui,
                egui::Id::unique(("container-docs", id)),
                f.description,
                &format!("What {what} is for, what it needs, how to use it."),
            );
        }
        ContainerSection::Auth => {
            ui.label(RichText::new("Requests inside that use \"Inherit auth from parent\" use this.").weak());
            changed |= auth_ui(ui, f.auth, vars, f.inherited_auth.as_ref(), !f.is_collection);
        }
        ContainerSection::Variables => {
            ui.label(
                RichText::new("Variables for the requests inside; the environment's win over these.").weak(),
            );
            changed |= variables_ui(ui, "container-vars", f.variables);
        }
        ContainerSection::Scripts => {
            let what = if f.is_collection {
                "every request in this collection"
            } else {
                "every request in this folder"
            };
            ui.label(
                RichText::new(format!("These scripts run for {what}, before the request's own.")).weak(),
            );
            let cx = super::code::ScriptsContext {
                owner: f.owner,
                marks: scripts_cx.marks,
                forbidden: scripts_cx.forbidden,
            };
            changed |= super::code::scripts_ui(ui, f.scripts, &mut event, &cx);
        }
    });
    ui.memory_mut(|m| {
        m.data.insert_temp(section_id, section);
        m.data.insert_temp(event_id, event);
    });
    changed
}
