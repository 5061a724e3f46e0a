//! A request tab's two panes: the editor over the response, split by a handle the user drags.
//! The split is a share of the height (kept across restarts by the app); neither pane gets
//! smaller than it needs to be usable: the editor keeps its URL bar, section tabs and a few
//! rows, the response its status line and a few lines.

use egui::accesskit::Role;
use egui::{Rect, Sense, Ui};

use crate::app::command::Command;
use crate::app::tabs::{DEFAULT_EDITOR_SPLIT, TabCommand};

/// The editor's smallest height: name, URL bar, section tabs, a toolbar and ~4 rows of a table
/// (or ~6 lines of a body).
pub const EDITOR_MIN_HEIGHT: f32 = 300.0;
/// The response's smallest height: its status line, its section tabs and a few lines.
pub const RESPONSE_MIN_HEIGHT: f32 = 140.0;
/// The handle's height: what can be grabbed, a line drawn in its middle.
const HANDLE_HEIGHT: f32 = 9.0;

/// The editor's height in `total` for a `split` share: within both minimums, or shared in
/// their proportion when the two minimums do not fit.
pub fn editor_height(total: f32, split: f32) -> f32 {
    let room = (total - HANDLE_HEIGHT).max(0.0);
    if room < EDITOR_MIN_HEIGHT + RESPONSE_MIN_HEIGHT {
        return room * EDITOR_MIN_HEIGHT / (EDITOR_MIN_HEIGHT + RESPONSE_MIN_HEIGHT);
    }
    (room * split).clamp(EDITOR_MIN_HEIGHT, room - RESPONSE_MIN_HEIGHT)
}

/// Where a request tab's parts go.
pub struct Panes {
    pub whole: Rect,
    pub editor: Rect,
    pub response: Rect,
}

/// Splits the space left into the editor's and the response's panes and draws the handle
/// between them. Dragging the handle (or double-clicking it, back to the default) asks for a
/// new split. Draw the panes with [`pane_ui`], then advance past [`Panes::whole`].
pub fn split_ui(ui: &mut Ui, split: f32, out: &mut Vec<Command>) -> Panes {
    let whole = ui.available_rect_before_wrap();
    let room = (whole.height() - HANDLE_HEIGHT).max(1.0);
    let top = editor_height(whole.height(), split);
    let editor = Rect::from_min_size(whole.min, egui::vec2(whole.width(), top));
    let handle_rect = Rect::from_min_size(
        egui::pos2(whole.left(), editor.bottom()),
        egui::vec2(whole.width(), HANDLE_HEIGHT),
    );
    let response = Rect::from_min_max(egui::pos2(whole.left(), handle_rect.bottom()), whole.max);

    let handle = ui.interact(handle_rect, ui.scope_id().with("editor-split"), Sense::click_and_drag());
    handle.widget_info(|| {
        egui::WidgetInfo::labeled(Role::Splitter, true, "Resize the request editor and the response")
    });
    handle_paint(ui, handle_rect, &handle);
    if handle.hovered() || handle.dragged() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeVertical);
    }
    let handle = handle.on_hover_text(
        "Drag to resize the editor and the response; double-click to share the height equally",
    );
    if handle.double_clicked() {
        out.push(Command::Tabs(TabCommand::SetEditorSplit(DEFAULT_EDITOR_SPLIT)));
    } else if handle.dragged()
        && let Some(pointer) = handle.interact_pointer_pos()
    {
        let wanted = pointer.y - whole.top() - HANDLE_HEIGHT / 2.0;
        let lowest = EDITOR_MIN_HEIGHT.min(room);
        let top = wanted.clamp(lowest, (room - RESPONSE_MIN_HEIGHT).max(lowest));
        out.push(Command::Tabs(TabCommand::SetEditorSplit(top / room)));
    }
    Panes { whole, editor, response }
}

/// One pane: a child filling `rect`, clipped to it.
pub fn pane_ui(ui: &mut Ui, rect: Rect, salt: (&str, u64), add: impl FnOnce(&mut Ui)) {
    let mut child = ui.new_child(
        egui::UiBuilder::new().id_salt(salt).max_rect(rect).layout(egui::Layout::top_down(egui::Align::Min)),
    );
    child.set_clip_rect(rect.intersect(ui.clip_rect()));
    // Fill the pane: a short section (Params) would otherwise leave the rest unused.
    child.set_min_height(rect.height());
    add(&mut child);
}

/// The handle: a line across, thicker with a grip in the middle when it can be grabbed.
fn handle_paint(ui: &Ui, rect: Rect, handle: &egui::Response) {
    let visuals = ui.visuals();
    let active = handle.hovered() || handle.dragged();
    let stroke = if handle.dragged() {
        visuals.widgets.active.fg_stroke
    } else if active {
        visuals.widgets.hovered.fg_stroke
    } else {
        visuals.widgets.noninteractive.bg_stroke
    };
    let y = rect.center().y;
    ui.painter().hline(rect.x_range(), y, stroke);
    let grip = Rect::from_center_size(rect.center(), egui::vec2(40.0, 4.0));
    let grip_color = if active { stroke.color } else { visuals.weak_text_color() };
    ui.painter().rect_filled(grip, 2.0, grip_color);
}
