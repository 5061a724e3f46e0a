//! The Save dialog: a name, and the collection or folder to save into. "New collection" and
//! "New folder" open an inline name field (focused, its text selected); Enter or ✔ makes it and
//! chooses it, so Save works at once; Esc closes the field, not the dialog.

use egui::{Key, Modal, ModalResponse, Modifiers, RichText, Ui};

use crate::app::command::Command;
use crate::app::save_dialog::{SaveDialogCommand, container_name_problem, default_container_name};
use crate::app::state::TabId;
use crate::model::*;

use super::{Named, theme};

/// The inline field of a new collection (`parent` is `None`) or a new folder in `parent`.
#[derive(Clone, Debug)]
struct NewContainer {
    parent: Option<ParentId>,
    name: String,
    /// The field was just opened: focus it and select its text.
    opened: bool,
    /// The user tried to create it: show why it cannot be.
    tried: bool,
}

/// Save As: a name and the collection or folder to save into.
pub(super) fn save_as_ui(
    ctx: &egui::Context,
    tab: TabId,
    name: &mut String,
    parent: &mut Option<ParentId>,
    library_ws: Option<&WorkspaceData>,
    out: &mut Vec<Command>,
) -> ModalResponse<()> {
    let new_id = egui::Id::unique(("save-as-new-container", tab.0));
    Modal::new(egui::Id::unique("save-as")).show(ctx, |ui| {
        ui.set_width(440.0);
        ui.heading("Save request");
        ui.label("Name");
        ui.add(egui::TextEdit::singleline(name).desired_width(f32::INFINITY)).named("Name to save as");
        ui.add_space(6.0);
        let Some(ws) = library_ws else { return };
        let mut new: Option<NewContainer> = ui.data(|d| d.get_temp(new_id));
        ui.horizontal(|ui| {
            ui.label("Save to");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let folder_parent = (*parent).filter(|p| ws.children(*p).is_some());
                let folder_hint = "Choose a collection or folder below first";
                if ui
                    .add_enabled(folder_parent.is_some(), egui::Button::new("+ New folder"))
                    .on_disabled_hover_text(folder_hint)
                    .clicked()
                    && let Some(p) = folder_parent
                {
                    new = Some(open_field(ws, Some(p)));
                }
                if ui.button("+ New collection").clicked() {
                    new = Some(open_field(ws, None));
                }
            });
        });
        if ws.collections.is_empty() && new.is_none() {
            ui.label(RichText::new("This workspace has no collection yet: make one to save into.").weak());
        }
        if let Some(field) = &mut new
            && new_container_ui(ui, ws, field, out)
        {
            new = None;
        }
        ui.data_mut(|d| match &new {
            Some(field) => {
                d.insert_temp(new_id, field.clone());
            }
            None => {
                d.remove::<NewContainer>(new_id);
            }
        });
        // A destination chosen from outside the list (just made) is scrolled into view.
        let shown_id = new_id.with("shown");
        let reveal = ui.data(|d| d.get_temp::<Option<ParentId>>(shown_id)) != Some(*parent);
        egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
            let mut choice = Choice { chosen: parent, reveal };
            for c in ws.collections.values() {
                container_choice_ui(ui, ws, ParentId::Collection(c.id), 0, &mut choice);
            }
        });
        ui.data_mut(|d| d.insert_temp(shown_id, *parent));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let can_save = parent.is_some() && !name.trim().is_empty();
            let save = ui
                .add_enabled(can_save, egui::Button::new(RichText::new("Save").strong()))
                .on_disabled_hover_text("Name the request and choose where to save it");
            if save.clicked()
                && let Some(p) = parent
            {
                out.push(Command::SaveAs { tab, parent: *p, name: name.clone() });
            }
            if ui.button("Cancel").clicked() {
                out.push(Command::CloseModal);
            }
        });
    })
}

fn open_field(ws: &WorkspaceData, parent: Option<ParentId>) -> NewContainer {
    NewContainer { parent, name: default_container_name(ws, parent), opened: true, tried: false }
}

/// The inline name field of a new collection or folder. Returns whether it is done with (made,
/// or cancelled with Esc or ✖).
fn new_container_ui(
    ui: &mut Ui,
    ws: &WorkspaceData,
    field: &mut NewContainer,
    out: &mut Vec<Command>,
) -> bool {
    let what = if field.parent.is_some() { "folder" } else { "collection" };
    let place =
        field.parent.and_then(|p| ws.parent_name(p)).map(|p| format!(" in “{p}”")).unwrap_or_default();
    let mut problem = None;
    let mut done = false;
    let mut create = false;
    ui.label(RichText::new(format!("New {what}{place}")).weak());
    ui.horizontal(|ui| {
        let text_id = egui::Id::unique(("save-as-new-name", what));
        let response = ui
            .add(egui::TextEdit::singleline(&mut field.name).id(text_id).desired_width(300.0))
            .named(&format!("New {what} name"));
        if field.opened {
            field.opened = false;
            let mut state = egui::text_edit::TextEditState::load(ui.ctx(), text_id).unwrap_or_default();
            state.cursor.set_char_range(Some(egui::text::CCursorRange::select_all_str(&field.name)));
            state.store(ui.ctx(), text_id);
            response.request_focus();
        }
        // Checked after the field took this frame's typing (which may end with Enter).
        problem = container_name_problem(ws, field.parent, &field.name);
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        create |= enter;
        if ui
            .button("✔")
            .on_hover_text(format!("Create the {what}"))
            .named(&format!("Create {what}"))
            .clicked()
        {
            create = true;
        }
        if ui.button("✖").on_hover_text("Cancel").named(&format!("Cancel new {what}")).clicked() {
            done = true;
        }
        if create && problem.is_some() {
            field.tried = true;
            response.request_focus();
        }
    });
    // Esc closes this field only: taken here, before the dialog sees it.
    if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
        done = true;
    }
    if create && !done && problem.is_none() {
        let name = field.name.trim().to_owned();
        out.push(Command::SaveDialog(match field.parent {
            Some(parent) => SaveDialogCommand::CreateFolder { parent, name },
            None => SaveDialogCommand::CreateCollection(name),
        }));
        done = true;
    }
    if let Some(problem) = problem
        && (field.tried || !field.name.trim().is_empty())
    {
        ui.label(RichText::new(problem).color(theme::error_color(ui.visuals())));
    }
    ui.add_space(4.0);
    done
}

/// The destination list's choice, and whether to scroll it into view.
struct Choice<'a> {
    chosen: &'a mut Option<ParentId>,
    reveal: bool,
}

fn container_choice_ui(ui: &mut Ui, ws: &WorkspaceData, p: ParentId, depth: usize, choice: &mut Choice<'_>) {
    let name = ws.parent_name(p).unwrap_or("?");
    ui.horizontal(|ui| {
        ui.add_space(depth as f32 * 14.0);
        let icon = if matches!(p, ParentId::Collection(_)) { "🗀" } else { "📁" };
        let selected = *choice.chosen == Some(p);
        let response =
            ui.selectable_label(selected, format!("{icon} {name}")).named(&format!("Save to {name}"));
        if response.clicked() {
            *choice.chosen = Some(p);
        } else if selected && choice.reveal {
            response.scroll_to_me(None);
        }
    });
    for child in ws.children(p).into_iter().flatten() {
        if let ItemId::Folder(f) = child
            && ws.folders.contains_key(f)
            && depth < 32
        {
            container_choice_ui(ui, ws, ParentId::Folder(*f), depth + 1, choice);
        }
    }
}
