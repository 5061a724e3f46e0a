//! A collection's or folder's tab: Run, then its overview (the description, rendered as
//! Markdown), auth, variables and scripts.

use egui::Ui;

use crate::app::command::Command;
use crate::model::*;

use super::vars::VarIndex;
use super::{TabContext, editors, inherited_auth};

/// A collection's or folder's overview: Run, then its description, auth, variables and scripts.
pub(super) fn container_tab_ui(
    ui: &mut Ui,
    p: ParentId,
    ws: &mut WorkspaceData,
    cx: &TabContext<'_>,
    out: &mut Vec<Command>,
) {
    let vars = VarIndex::build(ws, Some(p), cx.env_id.and_then(|e| ws.environments.get(&e)));
    let requests = ws.requests_under(p).len();
    let inherited = match p {
        ParentId::Folder(f) => ws.parent_of(ItemId::Folder(f)).and_then(|pp| inherited_auth(ws, Some(pp))),
        ParentId::Collection(_) => None,
    };
    let fields = match p {
        ParentId::Collection(id) => ws.collections.get_mut(&id).map(|c| editors::ContainerFields {
            name: &c.name,
            description: &mut c.description,
            auth: &mut c.auth,
            variables: &mut c.variables,
            scripts: &mut c.scripts,
            owner: crate::script::ScriptOwner::Collection(id),
            is_collection: true,
            requests,
            inherited_auth: None,
        }),
        ParentId::Folder(id) => ws.folders.get_mut(&id).map(|f| editors::ContainerFields {
            name: &f.name,
            description: &mut f.description,
            auth: &mut f.auth,
            variables: &mut f.variables,
            scripts: &mut f.scripts,
            owner: crate::script::ScriptOwner::Folder(id),
            is_collection: false,
            requests,
            inherited_auth: inherited,
        }),
    };
    let Some(fields) = fields else {
        ui.label("This collection or folder was deleted.");
        return;
    };
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
        if ui.button("▶ Run…").on_hover_text("Run every request inside, with checks").clicked() {
            out.push(Command::OpenRunner(p));
        }
    });
    let scripts_cx =
        editors::ContainerScripts { marks: cx.script_marks, forbidden: cx.scripts_forbidden.as_deref() };
    if editors::container_ui(ui, cx.tab_id.0, fields, &vars, &scripts_cx) {
        out.push(Command::ContainerEdited(p));
    }
}
