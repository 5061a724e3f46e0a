//! Path fields beside "Browse…" buttons. Where no system file chooser opens, the app asks for
//! the cursor to go to the field beside the button ([`crate::app::state::PathField`]); the field
//! of that kind drawn next takes it.

use egui::{Context, Id, Response, TextEdit, Ui};

use crate::app::state::{AppState, PathField};

fn key() -> Id {
    Id::unique("localpost-focus-path-field")
}

/// Hands the app's request for the focus to this frame's path fields.
pub fn pass_focus(ctx: &Context, state: &mut AppState) {
    if let Some(field) = state.focus_path_field.take() {
        ctx.data_mut(|d| d.insert_temp(key(), field));
    }
}

/// Adds a path's text field of kind `field`; it takes the focus when asked for.
pub fn add(ui: &mut Ui, field: PathField, edit: TextEdit<'_>) -> Response {
    let response = ui.add(edit);
    let asked = ui.ctx().data(|d| d.get_temp::<PathField>(key())) == Some(field);
    if asked {
        ui.ctx().data_mut(|d| d.remove::<PathField>(key()));
        response.request_focus();
    }
    response
}
