//! The response's Tree view: a JSON body as rows to fold and unfold (key, type-coloured value or
//! `{n keys}` / `[n items]`), a selected row whose JSONPath is shown, and copy path / copy value
//! from the bar or the row's context menu. Only the rows on screen are laid out.

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, RichText, Ui};

use super::theme;
use crate::app::command::Command;
use crate::app::json_tree::{JsonKind, JsonNode, JsonTree, NodeKey, TreeView};
use crate::app::state::TabId;

/// A value is shown up to this many characters on its row (copy gives all of it).
const SHOWN_CHARS: usize = 200;
/// Indentation per level, in points.
const INDENT: f32 = 16.0;
/// A container copied as its value is re-indented up to this size, copied as it is beyond.
const PRETTY_COPY_BYTES: usize = 16 * 1024 * 1024;

/// What the user asked of the tree this frame, done once the tree is no longer borrowed.
#[derive(Default)]
struct Asked {
    toggle: Option<usize>,
    select: Option<u32>,
    /// A row moved to with the keyboard, to bring into view.
    reveal: Option<usize>,
    /// The rows on screen this frame.
    visible: std::ops::Range<usize>,
}

/// The keyboard over the tree: Up and Down move the selection, Right unfolds (or goes to the first child),
/// Left folds (or goes to the parent).
fn keys(ui: &Ui, tree: &JsonTree, selected: Option<u32>, asked: &mut Asked) {
    use egui::Key;
    let pressed = |key| ui.input(|i| i.key_pressed(key));
    let (down, up, right, left) =
        (pressed(Key::ArrowDown), pressed(Key::ArrowUp), pressed(Key::ArrowRight), pressed(Key::ArrowLeft));
    if !(down || up || right || left) {
        return;
    }
    let Some(id) = selected else {
        asked.select = tree.id_at(0);
        return;
    };
    let Some(row) = tree.row_of(id) else { return };
    let Some(node) = tree.node(id) else { return };
    let foldable = node.is_container() && node.count > 0;
    if down {
        asked.select = tree.id_at(row + 1);
    } else if up {
        asked.select = row.checked_sub(1).and_then(|r| tree.id_at(r));
    } else if right && foldable && !node.open {
        asked.toggle = Some(row);
    } else if right && foldable {
        asked.select = tree.id_at(row + 1);
    } else if left && foldable && node.open {
        asked.toggle = Some(row);
    } else if left {
        asked.select = tree.parent(id);
    }
}

/// Brings a row chosen with the keyboard into view when it is off screen: below, it comes in at
/// the bottom; above, at the top.
fn view_scroll(tree: &JsonTree, id: u32, asked: &mut Asked) {
    let Some(row) = tree.row_of(id) else { return };
    let shown = &asked.visible;
    if row + 1 >= shown.end {
        asked.reveal = Some(row.saturating_sub(shown.len().saturating_sub(4)));
    } else if row <= shown.start {
        asked.reveal = Some(row);
    }
}

/// Draws the tree of `view`; `salt` tells trees of one tab apart (the body, a filter's result).
pub fn tree_ui(ui: &mut Ui, tab_id: TabId, salt: &str, view: &mut TreeView, out: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let selected = view.selected;
    let scroll_to = view.scroll_to_row.take();
    let scanning_now = view.scanning();
    let tree = match view.tree(&ctx) {
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Building the tree…");
            });
            return;
        }
        Some(Err(e)) => {
            ui.label(RichText::new(e).color(theme::error_color(ui.visuals())));
            return;
        }
        Some(Ok(tree)) => tree,
    };
    let mut asked = Asked::default();
    selection_bar_ui(ui, tree, selected, out);
    ui.separator();
    let shown = Shown { selected, scanning: &scanning_now, scroll_to };
    let top = ui.cursor().top();
    rows_ui(ui, (tab_id, salt), tree, &shown, &mut asked, out);
    let area = egui::Rect::from_x_y_ranges(ui.max_rect().x_range(), top..=ui.max_rect().bottom());
    if ui.rect_contains_pointer(area) && ui.memory(|m| m.focused().is_none()) {
        keys(ui, tree, selected, &mut asked);
        if let Some(id) = asked.select.filter(|_| asked.toggle.is_none()) {
            view_scroll(tree, id, &mut asked);
        }
    }
    if let Some(id) = asked.select {
        view.selected = Some(id);
    }
    if let Some(row) = asked.reveal {
        view.scroll_to_row = Some(row);
    }
    if let Some(row) = asked.toggle {
        view.toggle(&ctx, row);
    }
}

/// The selected node's path and the copy buttons.
fn selection_bar_ui(ui: &mut Ui, tree: &JsonTree, selected: Option<u32>, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let Some(id) = selected.filter(|&id| tree.node(id).is_some()) else {
            ui.label(RichText::new("Click a row to select it and see its path; right-click to copy.").weak());
            return;
        };
        let path = tree.path(id);
        ui.add(egui::Label::new(RichText::new(&path).monospace()).truncate());
        if ui.button("Copy path").on_hover_text("Copy the JSONPath of the selected node").clicked() {
            out.push(Command::CopyToClipboard(path));
        }
        if ui.button("Copy value").on_hover_text("Copy the selected node's value as JSON").clicked() {
            out.push(Command::CopyToClipboard(value_json(tree, id)));
        }
    });
}

/// The node's value as JSON: a container re-indented (up to a size), a scalar as it is written.
fn value_json(tree: &JsonTree, id: u32) -> String {
    let text = String::from_utf8_lossy(tree.value_text(id));
    let container = tree.node(id).is_some_and(JsonNode::is_container);
    if container && text.len() <= PRETTY_COPY_BYTES {
        let never = std::sync::atomic::AtomicBool::new(false);
        if let Some(pretty) = crate::app::body::pretty_json(&text, &never) {
            return pretty;
        }
    }
    text.into_owned()
}

/// What the rows show besides the tree: the selection, the nodes being opened, a row to reveal.
struct Shown<'a> {
    selected: Option<u32>,
    scanning: &'a [u32],
    scroll_to: Option<usize>,
}

fn rows_ui(
    ui: &mut Ui,
    salt: (TabId, &str),
    tree: &JsonTree,
    shown: &Shown<'_>,
    asked: &mut Asked,
    out: &mut Vec<Command>,
) {
    let Shown { selected, scanning, scroll_to } = *shown;
    let font = FontId::monospace(12.0);
    let row_height = ui.spacing().interact_size.y;
    let colors = theme::json_colors(ui.visuals());
    let weak = theme::muted(ui.visuals());
    let mut area =
        egui::ScrollArea::both().id_salt(("json-tree", salt.0.0, salt.1)).auto_shrink([false, false]);
    if let Some(row) = scroll_to {
        let offset = (row as f32) * (row_height + ui.spacing().item_spacing.y) - 60.0;
        area = area.vertical_scroll_offset(offset.max(0.0));
    }
    area.show_rows(ui, row_height, tree.rows(), |ui, range| {
        asked.visible = range.clone();
        for row in range {
            let Some((id, node)) = tree.row(row) else { continue };
            let job = row_text(tree, id, node, &font, &colors, weak);
            ui.horizontal(|ui| {
                ui.set_height(row_height);
                ui.add_space(f32::from(node.depth) * INDENT);
                let r = ui.selectable_label(selected == Some(id), job);
                if r.clicked() {
                    asked.select = Some(id);
                    if node.is_container() && node.count > 0 {
                        asked.toggle = Some(row);
                    }
                }
                r.context_menu(|ui| {
                    if ui.button("Copy path").clicked() {
                        out.push(Command::CopyToClipboard(tree.path(id)));
                        ui.close();
                    }
                    if ui.button("Copy value").clicked() {
                        out.push(Command::CopyToClipboard(value_json(tree, id)));
                        ui.close();
                    }
                    if node.is_container() && node.count > 0 {
                        let label = if node.open { "Fold" } else { "Unfold" };
                        if ui.button(label).clicked() {
                            asked.toggle = Some(row);
                            ui.close();
                        }
                    }
                });
                if scanning.contains(&id) {
                    ui.spinner();
                }
            });
        }
    });
}

/// One row: fold arrow, key, and the value or its size, coloured by type.
fn row_text(
    tree: &JsonTree,
    id: u32,
    node: &JsonNode,
    font: &FontId,
    c: &theme::JsonColors,
    weak: egui::Color32,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    let fmt = |color| TextFormat::simple(font.clone(), color);
    let arrow = match (node.is_container() && node.count > 0, node.open) {
        (false, _) => "  ",
        (true, false) => "⏵ ",
        (true, true) => "⏷ ",
    };
    job.append(arrow, 0.0, fmt(weak));
    match tree.key(id) {
        NodeKey::Root => job.append("$", 0.0, fmt(weak)),
        NodeKey::Index(i) => job.append(&i.to_string(), 0.0, fmt(weak)),
        NodeKey::Name(name) => job.append(&cut(&name, SHOWN_CHARS), 0.0, fmt(c.key)),
    }
    job.append(": ", 0.0, fmt(c.punct));
    let n = node.count;
    let plural = |one: &str, many: &str| if n == 1 { one.to_owned() } else { many.to_owned() };
    let (text, color) = match node.kind {
        JsonKind::Object if n == 0 => ("{}".to_owned(), c.punct),
        JsonKind::Array if n == 0 => ("[]".to_owned(), c.punct),
        JsonKind::Object => (format!("{{{} {}}}", group(n), plural("key", "keys")), weak),
        JsonKind::Array => (format!("[{} {}]", group(n), plural("item", "items")), weak),
        JsonKind::String => (shown_value(tree, id), c.string),
        JsonKind::Number => (shown_value(tree, id), c.number),
        JsonKind::Bool | JsonKind::Null => (shown_value(tree, id), c.literal),
    };
    job.append(&text, 0.0, fmt(color));
    job
}

/// A scalar as written in the body, cut to what a row shows.
fn shown_value(tree: &JsonTree, id: u32) -> String {
    let raw = tree.value_text(id);
    // Enough bytes for the characters shown, whatever their width.
    let head = &raw[..raw.len().min(SHOWN_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut shown = cut(&text, SHOWN_CHARS);
    if head.len() < raw.len() && !shown.ends_with('…') {
        shown.push('…');
    }
    shown
}

/// `text` up to `max` characters, with `…` when cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// `1234567` -> `1,234,567`.
fn group(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_grouped_and_long_text_is_cut_by_characters() {
        assert_eq!(group(7), "7");
        assert_eq!(group(1234), "1,234");
        assert_eq!(group(3_600_000), "3,600,000");
        assert_eq!(cut("héllo", 2), "hé…");
        assert_eq!(cut("héllo", 5), "héllo");
    }
}
