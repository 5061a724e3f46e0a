//! A description (of a collection, a folder or a request): rendered as Markdown, with an
//! Edit / Preview switch. Preview is the default when there is text; an empty description offers
//! "Add a description", which opens the editor.

use egui::{RichText, TextEdit, Ui};

use super::Named;
use super::markdown::{self, DocCache};

/// How a description is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DocsMode {
    #[default]
    Preview,
    Edit,
}

/// The description `text`, its mode and parsed blocks kept under `id`. Returns whether the text
/// changed.
pub fn description_ui(ui: &mut Ui, id: egui::Id, text: &mut String, hint: &str) -> bool {
    let mode_id = id.with("mode");
    let mut mode: DocsMode = ui.data(|d| d.get_temp(mode_id)).unwrap_or_default();
    let mut focus = false;
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.selectable_value(&mut mode, DocsMode::Preview, "Preview").named("Preview description");
        if ui.selectable_value(&mut mode, DocsMode::Edit, "Edit").named("Edit description").clicked() {
            focus = true;
        }
        ui.label(RichText::new("Markdown").weak().small());
    });
    ui.add_space(4.0);
    if mode == DocsMode::Preview && text.trim().is_empty() {
        ui.label(RichText::new("No description yet.").weak());
        if ui.button("✏ Add a description").clicked() {
            mode = DocsMode::Edit;
            focus = true;
        }
    } else if mode == DocsMode::Preview {
        let doc = ui.data_mut(|d| d.get_temp_mut_or_default::<DocCache>(id.with("doc")).get(text));
        markdown::markdown_ui(ui, &doc);
    }
    if mode == DocsMode::Edit {
        let response = ui
            .add(
                TextEdit::multiline(text)
                    .id(id.with("editor"))
                    .font(egui::TextStyle::Monospace)
                    .desired_rows(12)
                    .desired_width(f32::INFINITY)
                    .hint_text(hint),
            )
            .named("Description");
        if focus {
            response.request_focus();
        }
        changed = response.changed();
    }
    ui.data_mut(|d| d.insert_temp(mode_id, mode));
    changed
}
