//! The collections tree by keyboard, as in a file explorer. A click on the tree (or Tab) gives it
//! the keyboard; then Up/Down move the selection over the visible rows, Right unfolds a
//! collection or folder or steps to its first child, Left folds it or steps to its parent,
//! Home/End and Page Up/Down jump, Enter opens (a request in its tab, a collection or folder in
//! its overview), F2 renames in place, Delete asks to delete and Ctrl+D duplicates. While a text
//! field has the keyboard (the filter, the URL, a rename) these keys are the field's. The tree
//! also follows the open tab: its row is selected, its folders unfolded and the row scrolled into
//! view, once per change of tab (not every frame: the user may scroll away).

use egui::{Key, Modifiers, Ui};

use super::super::{Named, theme};
use super::Row;
use crate::app::command::Command;
use crate::app::examples::ExampleCommand;
use crate::app::state::{AppState, Target};
use crate::app::tree_selection::{ancestors, exists, tab_target};
use crate::model::*;

/// The tree's keyboard focus: the tree as a whole, not its rows one by one.
pub(super) fn tree_id() -> egui::Id {
    egui::Id::unique("sidebar-tree")
}

/// The collection, folder or request a row shows.
pub(super) fn row_target(row: &Row) -> Option<Target> {
    match row {
        Row::Container { id, .. } => Some(Target::from(*id)),
        Row::Request(r) => Some(Target::Request(r.id)),
        Row::Example(x) => Some(Target::Example(x.request, x.example)),
        Row::Broken { .. } => None,
    }
}

/// How deep a row is: a collection is 0, what it holds 1, and so on.
fn row_depth(row: &Row) -> usize {
    match row {
        Row::Container { depth, .. } | Row::Broken { depth, .. } => *depth,
        Row::Request(r) => r.depth,
        Row::Example(x) => x.depth,
    }
}

/// Whether a row folds, and is unfolded: a collection or folder, or a request with examples.
fn unfolded(state: &AppState, ws: &WorkspaceData, row: &Row) -> Option<bool> {
    match row {
        Row::Container { open, .. } => Some(*open),
        Row::Request(r) if ws.requests.get(&r.id).is_some_and(|r| !r.examples.is_empty()) => {
            Some(state.sidebar.expanded_requests.contains(&r.id))
        }
        _ => None,
    }
}

/// What folds or unfolds a row.
fn toggle(row: &Row) -> Option<Command> {
    match row {
        Row::Container { id, .. } => Some(Command::ToggleExpanded(*id)),
        Row::Request(r) => Some(Command::Example(ExampleCommand::ToggleExpanded(r.id))),
        _ => None,
    }
}

/// Selects the active tab's row once per change of tab: unfolds what holds it, asks for it to
/// be scrolled into view. Call before the rows are computed, so they show it this frame.
pub(super) fn follow_active_tab(state: &mut AppState) {
    let active = state.active_tab;
    if state.sidebar.tree.followed == active {
        return;
    }
    state.sidebar.tree.followed = active;
    let Some(target) = state.active().and_then(tab_target) else { return };
    let Some(ws) = state.ws() else { return };
    if !exists(ws, target) {
        return;
    }
    let above = ancestors(ws, target);
    state.sidebar.expanded.extend(above);
    if let Target::Example(request, _) = target {
        state.sidebar.expanded_requests.insert(request);
    }
    state.sidebar.tree.select(target);
}

/// What the rows need to know this frame.
pub(super) struct TreeFrame {
    /// The tree has the keyboard (its selection is drawn in the selection colour).
    pub focused: bool,
    /// The row to scroll into view.
    pub scroll_to: Option<usize>,
}

/// The tree's keyboard and selection for one frame, before its rows are drawn: makes the tree a
/// place for the keyboard over the space it is about to fill, takes its keys when it has the
/// keyboard, and says which row to scroll to.
pub(super) fn tree_frame_ui(
    ui: &mut Ui,
    state: &mut AppState,
    rows: &[Row],
    out: &mut Vec<Command>,
) -> TreeFrame {
    let rect = ui.available_rect_before_wrap();
    let focused = focus_ui(ui, rect, state);
    let Some(ws) = state.ws() else { return TreeFrame { focused, scroll_to: None } };
    // The selected row was deleted: the row now in its place, as a file explorer does.
    if let Some(selected) = state.sidebar.tree.selected
        && !exists(ws, selected)
    {
        let next = if focused {
            current(state, ws, rows).and_then(|i| rows.get(i)).and_then(row_target)
        } else {
            None
        };
        state.sidebar.tree.selected = next;
    }
    if focused && state.modal.is_none() && state.sidebar.renaming.is_none() {
        let row_height = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
        let page = (rect.height() / row_height).floor().max(1.0) as usize;
        keys(ui, state, rows, page, out);
    }
    let tree = &mut state.sidebar.tree;
    let mut scroll_to = None;
    if tree.scroll_pending
        && let Some(selected) = tree.selected
    {
        // Not shown yet (unfolding is applied after this frame, or the filter hides it): later.
        scroll_to = rows.iter().position(|r| row_target(r) == Some(selected));
        if let Some(i) = scroll_to {
            tree.scroll_pending = false;
            tree.index_hint = i;
        }
    }
    TreeFrame { focused, scroll_to }
}

/// Scrolls the tree so row `index` is in view; `range` is the rows `show_rows` draws, from the top
/// of the `ui` it gives.
pub(super) fn scroll_to_row(ui: &mut Ui, range: &std::ops::Range<usize>, index: usize, row_height: f32) {
    let step = row_height + ui.spacing().item_spacing.y;
    let content_top = ui.max_rect().top() - range.start as f32 * step;
    let top = content_top + index as f32 * step;
    let rect = egui::Rect::from_x_y_ranges(ui.max_rect().x_range(), top..=top + row_height);
    ui.scroll_to_rect(rect, None);
}

/// Registers the tree as a place for the keyboard over `rect` (a click on its empty part takes
/// it; so does Tab). Gives the keyboard back after a rename or a confirmation a key started, when
/// nothing else took it. Returns whether the tree has the keyboard.
fn focus_ui(ui: &mut Ui, rect: egui::Rect, state: &mut AppState) -> bool {
    let id = tree_id();
    let response = ui.interact(rect, id, egui::Sense::click()).named("Collections tree");
    if response.clicked() {
        response.request_focus();
    }
    let tree = &mut state.sidebar.tree;
    if tree.resume_focus && state.sidebar.renaming.is_none() && state.modal.is_none() {
        tree.resume_focus = false;
        if ui.memory(|m| m.focused().is_none()) {
            response.request_focus();
        }
    }
    let focused = response.has_focus();
    if focused {
        // Arrow keys move the selection, not the keyboard to the next widget.
        let filter =
            egui::EventFilter { horizontal_arrows: true, vertical_arrows: true, ..Default::default() };
        ui.memory_mut(|m| m.set_focus_lock_filter(id, filter));
    }
    focused
}

/// A key that moves the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Move {
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

/// A key that acts on the selected row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    Open,
    Rename,
    Delete,
    Duplicate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TreeKey {
    Move(Move),
    Act(Act),
}

fn tree_key(key: Key, m: Modifiers) -> Option<TreeKey> {
    // Shift is let through (Shift+Down moves too); Ctrl, Alt and Cmd make other shortcuts.
    let plain = !m.command && !m.ctrl && !m.alt && !m.mac_cmd;
    Some(match key {
        Key::ArrowUp if plain => TreeKey::Move(Move::Up),
        Key::ArrowDown if plain => TreeKey::Move(Move::Down),
        Key::ArrowLeft if plain => TreeKey::Move(Move::Left),
        Key::ArrowRight if plain => TreeKey::Move(Move::Right),
        Key::Home if plain => TreeKey::Move(Move::Home),
        Key::End if plain => TreeKey::Move(Move::End),
        Key::PageUp if plain => TreeKey::Move(Move::PageUp),
        Key::PageDown if plain => TreeKey::Move(Move::PageDown),
        Key::Enter if plain => TreeKey::Act(Act::Open),
        Key::F2 if plain => TreeKey::Act(Act::Rename),
        Key::Delete if plain => TreeKey::Act(Act::Delete),
        // Finder's delete.
        Key::Backspace if m.command && !m.shift && !m.alt => TreeKey::Act(Act::Delete),
        Key::D if m.command && !m.shift && !m.alt => TreeKey::Act(Act::Duplicate),
        _ => return None,
    })
}

/// Takes the tree's keys out of this frame's input, in the order pressed.
fn take_keys(ui: &Ui) -> Vec<TreeKey> {
    ui.input_mut(|input| {
        let mut keys = Vec::new();
        input.events.retain(|event| {
            let egui::Event::Key { key, pressed: true, modifiers, .. } = event else { return true };
            match tree_key(*key, *modifiers) {
                Some(k) => {
                    keys.push(k);
                    false
                }
                None => true,
            }
        });
        keys
    })
}

fn keys(ui: &Ui, state: &mut AppState, rows: &[Row], page: usize, out: &mut Vec<Command>) {
    let pressed = take_keys(ui);
    if pressed.is_empty() {
        return;
    }
    let Some(ws) = state.ws() else { return };
    let filtering = !state.sidebar.filter.trim().is_empty();
    let mut at = current(state, ws, rows);
    let unfolded = |row: &Row| unfolded(state, ws, row);
    for key in pressed {
        match key {
            TreeKey::Move(m) => match step(rows, at, m, page, filtering, &unfolded) {
                Step::Select(i) => at = Some(i),
                Step::Toggle(i) => {
                    out.extend(rows.get(i).and_then(toggle));
                    // The rows change: the next key waits for them.
                    break;
                }
                Step::Stay => {}
            },
            TreeKey::Act(act) => {
                let Some(target) = at.and_then(|i| rows.get(i)).and_then(row_target) else { continue };
                out.push(match (act, target) {
                    (Act::Open, Target::Request(id)) => Command::OpenRequest(id),
                    (Act::Open, _) => Command::OpenTarget(target),
                    (Act::Rename, _) => Command::StartRename(target),
                    (Act::Delete, _) => Command::Delete(target),
                    (Act::Duplicate, _) => Command::Duplicate(target),
                });
                if matches!(act, Act::Rename | Act::Delete) {
                    state.sidebar.tree.resume_focus = true;
                }
                break;
            }
        }
    }
    if let Some(i) = at
        && let Some(target) = rows.get(i).and_then(row_target)
    {
        let tree = &mut state.sidebar.tree;
        if tree.selected != Some(target) {
            tree.select(target);
        }
        tree.index_hint = i;
    }
}

/// The selected row's place among `rows`: itself; else, folded away, the nearest container shown
/// above it; else, deleted, the row now where it was.
fn current(state: &AppState, ws: &WorkspaceData, rows: &[Row]) -> Option<usize> {
    let selected = state.sidebar.tree.selected?;
    let position = |t: Target| rows.iter().position(|r| row_target(r) == Some(t));
    if let Some(i) = position(selected) {
        return Some(i);
    }
    if exists(ws, selected) {
        return ancestors(ws, selected).into_iter().find_map(|p| position(Target::from(p)));
    }
    let hint = state.sidebar.tree.index_hint.min(rows.len().checked_sub(1)?);
    (hint..rows.len()).chain((0..hint).rev()).find(|i| rows.get(*i).and_then(row_target).is_some())
}

/// What a move does from row `at`: select a row, or fold or unfold one.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    Select(usize),
    Toggle(usize),
    Stay,
}

/// Whether a row folds, and is unfolded (see [`unfolded`]).
type Unfolded<'a> = &'a dyn Fn(&Row) -> Option<bool>;

fn step(rows: &[Row], at: Option<usize>, m: Move, page: usize, filtering: bool, unfolded: Unfolded) -> Step {
    let selectable = |i: &usize| rows.get(*i).and_then(row_target).is_some();
    let first = (0..rows.len()).find(selectable);
    let last = (0..rows.len()).rev().find(selectable);
    let Some(at) = at.filter(|i| *i < rows.len()) else {
        let to = if matches!(m, Move::Up | Move::End | Move::PageUp) { last } else { first };
        return to.map_or(Step::Stay, Step::Select);
    };
    let to = match m {
        Move::Down => (at + 1..rows.len()).find(selectable),
        Move::Up => (0..at).rev().find(selectable),
        Move::Home => first,
        Move::End => last,
        Move::PageDown => (at + 1..=(at + page).min(rows.len() - 1)).rev().find(selectable),
        Move::PageUp => (at.saturating_sub(page)..at).find(selectable),
        Move::Right => return unfold(rows, at, unfolded),
        Move::Left => return fold(rows, at, filtering, unfolded),
    };
    to.map_or(Step::Stay, Step::Select)
}

/// Right: unfolds a folded row, or steps into an unfolded one.
fn unfold(rows: &[Row], at: usize, unfolded: Unfolded) -> Step {
    let row = &rows[at];
    match unfolded(row) {
        Some(false) => Step::Toggle(at),
        Some(true) => match rows.get(at + 1) {
            Some(child) if row_depth(child) > row_depth(row) && row_target(child).is_some() => {
                Step::Select(at + 1)
            }
            _ => Step::Stay,
        },
        None => Step::Stay,
    }
}

/// Left: folds an unfolded row (a filter keeps containers unfolded), else steps to the parent.
fn fold(rows: &[Row], at: usize, filtering: bool, unfolded: Unfolded) -> Step {
    let row = &rows[at];
    let kept_open = filtering && matches!(row, Row::Container { .. });
    if unfolded(row) == Some(true) && !kept_open {
        return Step::Toggle(at);
    }
    let depth = row_depth(row);
    (0..at)
        .rev()
        .find(|j| row_depth(&rows[*j]) < depth && row_target(&rows[*j]).is_some())
        .map_or(Step::Stay, Step::Select)
}

/// Paints a row's background into `slot` (reserved before the row was drawn, so it lies
/// behind): the selection, or the pointer's hover. A press on the row selects it and gives the
/// tree the keyboard (not while renaming: the rename field keeps it).
pub(super) fn row_background_ui(
    ui: &mut Ui,
    state: &mut AppState,
    row: &Row,
    index: usize,
    (slot, top): (egui::layers::ShapeIdx, f32),
    focused: bool,
) {
    let gap = ui.spacing().item_spacing.y;
    let bottom = ui.cursor().top() - gap;
    let rect = egui::Rect::from_x_y_ranges(ui.max_rect().x_range(), (top - gap / 2.0)..=(bottom + gap / 2.0));
    let target = row_target(row);
    let selected = target.is_some() && state.sidebar.tree.selected == target;
    let pointer_in = ui.rect_contains_pointer(rect) && state.sidebar.renaming.is_none();
    let (pressed, clicked) = ui.input(|i| (i.pointer.primary_pressed(), i.pointer.primary_clicked()));
    if pointer_in
        && pressed
        && let Some(target) = target
    {
        state.sidebar.tree.selected = Some(target);
        state.sidebar.tree.index_hint = index;
    }
    // On the press, and again on the click: egui takes the keyboard from a widget when the
    // pointer clicks elsewhere than on it, and the row's buttons lie on top of the tree.
    if pointer_in && (pressed || clicked) {
        ui.memory_mut(|m| m.request_focus(tree_id()));
    }
    let visuals = ui.visuals();
    let fill = if selected {
        theme::row_selected_fill(visuals, focused)
    } else if pointer_in && !ui.input(|i| i.pointer.any_down()) {
        theme::row_hover_fill(visuals)
    } else {
        return;
    };
    ui.painter().set(slot, egui::epaint::RectShape::filled(rect, 3.0, fill));
}

#[cfg(test)]
mod tests {
    use super::super::RequestRow;
    use super::*;

    /// Collection A (open) › folder F (open) › request r1; request r2; collection B (folded).
    fn rows() -> (Vec<Row>, [ParentId; 3], [RequestId; 2]) {
        let (a, f, b) = (
            ParentId::Collection(CollectionId::new()),
            ParentId::Folder(FolderId::new()),
            ParentId::Collection(CollectionId::new()),
        );
        let (r1, r2) = (RequestId::new(), RequestId::new());
        let rows = vec![
            Row::Container { id: a, depth: 0, open: true },
            Row::Container { id: f, depth: 1, open: true },
            Row::Request(RequestRow { id: r1, parent: f, index: 0, depth: 2 }),
            Row::Request(RequestRow { id: r2, parent: a, index: 1, depth: 1 }),
            Row::Container { id: b, depth: 0, open: false },
        ];
        (rows, [a, f, b], [r1, r2])
    }

    fn containers(row: &Row) -> Option<bool> {
        match row {
            Row::Container { open, .. } => Some(*open),
            _ => None,
        }
    }

    #[test]
    fn up_and_down_move_over_the_visible_rows_and_stop_at_the_ends() {
        let (rows, ..) = rows();
        assert_eq!(
            step(&rows, None, Move::Down, 10, false, &containers),
            Step::Select(0),
            "nothing selected: the first"
        );
        assert_eq!(
            step(&rows, None, Move::Up, 10, false, &containers),
            Step::Select(4),
            "nothing selected: the last"
        );
        assert_eq!(step(&rows, Some(2), Move::Down, 10, false, &containers), Step::Select(3));
        assert_eq!(step(&rows, Some(2), Move::Up, 10, false, &containers), Step::Select(1));
        assert_eq!(step(&rows, Some(4), Move::Down, 10, false, &containers), Step::Stay);
        assert_eq!(step(&rows, Some(0), Move::Up, 10, false, &containers), Step::Stay);
        assert_eq!(step(&rows, Some(3), Move::Home, 10, false, &containers), Step::Select(0));
        assert_eq!(step(&rows, Some(0), Move::End, 10, false, &containers), Step::Select(4));
        assert_eq!(step(&rows, Some(0), Move::PageDown, 2, false, &containers), Step::Select(2));
        assert_eq!(step(&rows, Some(3), Move::PageDown, 10, false, &containers), Step::Select(4));
        assert_eq!(step(&rows, Some(4), Move::PageUp, 3, false, &containers), Step::Select(1));
    }

    #[test]
    fn right_unfolds_then_steps_in_and_left_folds_then_steps_out() {
        let (rows, ..) = rows();
        assert_eq!(
            step(&rows, Some(4), Move::Right, 10, false, &containers),
            Step::Toggle(4),
            "a folded one unfolds"
        );
        assert_eq!(
            step(&rows, Some(0), Move::Right, 10, false, &containers),
            Step::Select(1),
            "an open one: its first child"
        );
        assert_eq!(
            step(&rows, Some(2), Move::Right, 10, false, &containers),
            Step::Stay,
            "a request has nothing inside"
        );
        assert_eq!(
            step(&rows, Some(1), Move::Left, 10, false, &containers),
            Step::Toggle(1),
            "an open one folds"
        );
        assert_eq!(
            step(&rows, Some(2), Move::Left, 10, false, &containers),
            Step::Select(1),
            "a request: its folder"
        );
        assert_eq!(
            step(&rows, Some(3), Move::Left, 10, false, &containers),
            Step::Select(0),
            "a request: its collection"
        );
        assert_eq!(
            step(&rows, Some(4), Move::Left, 10, false, &containers),
            Step::Stay,
            "a folded collection: nowhere"
        );
        assert_eq!(
            step(&rows, Some(1), Move::Left, 10, true, &containers),
            Step::Select(0),
            "filtered: to the parent"
        );
    }

    #[test]
    fn a_request_with_examples_folds_like_a_folder() {
        let (mut rows, [_, f, _], [r1, _]) = rows();
        let example = ExampleId::new();
        let line = super::super::examples::ExampleRow { request: r1, example, index: 0, depth: 3 };
        rows.insert(3, Row::Example(line));
        let r1_unfolded = |open: bool| {
            move |row: &Row| match row {
                Row::Container { open, .. } => Some(*open),
                Row::Request(r) if r.id == r1 => Some(open),
                _ => None,
            }
        };
        assert_eq!(step(&rows, Some(2), Move::Right, 10, false, &r1_unfolded(false)), Step::Toggle(2));
        assert_eq!(step(&rows, Some(2), Move::Right, 10, false, &r1_unfolded(true)), Step::Select(3));
        assert_eq!(
            step(&rows, Some(3), Move::Left, 10, false, &r1_unfolded(true)),
            Step::Select(2),
            "to its request"
        );
        assert_eq!(step(&rows, Some(2), Move::Left, 10, false, &r1_unfolded(true)), Step::Toggle(2));
        assert_eq!(row_target(&rows[3]), Some(Target::Example(r1, example)));
        assert_eq!(
            toggle(&rows[1]).map(|c| format!("{c:?}")),
            Some(format!("{:?}", Command::ToggleExpanded(f)))
        );
    }

    #[test]
    fn keys_with_ctrl_or_alt_are_left_to_other_shortcuts() {
        assert_eq!(tree_key(Key::ArrowDown, Modifiers::NONE), Some(TreeKey::Move(Move::Down)));
        assert_eq!(tree_key(Key::ArrowDown, Modifiers::SHIFT), Some(TreeKey::Move(Move::Down)));
        assert_eq!(tree_key(Key::ArrowDown, Modifiers::COMMAND), None);
        assert_eq!(tree_key(Key::Enter, Modifiers::COMMAND), None, "Ctrl+Enter sends");
        assert_eq!(tree_key(Key::D, Modifiers::COMMAND), Some(TreeKey::Act(Act::Duplicate)));
        assert_eq!(tree_key(Key::D, Modifiers::NONE), None);
        assert_eq!(tree_key(Key::F2, Modifiers::NONE), Some(TreeKey::Act(Act::Rename)));
        assert_eq!(tree_key(Key::Delete, Modifiers::NONE), Some(TreeKey::Act(Act::Delete)));
        for action in crate::app::command::Action::ALL {
            if let Some(s) = action.shortcut() {
                assert_eq!(tree_key(s.logical_key, s.modifiers), None, "{action:?} is a global shortcut");
            }
        }
    }
}
