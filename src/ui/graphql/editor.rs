//! The GraphQL query editor: GraphQL coloured, `{{variables}}` highlighted, the schema's
//! problems underlined (their message on hover), and a completion list under the cursor
//! (as you type or on Ctrl+Space; Up, Down, Enter or Tab, Esc).

use std::ops::Range;
use std::sync::Arc;

use egui::text::{CCursor, CCursorRange, LayoutJob, TextFormat};
use egui::{Key, Modifiers, RichText, Stroke, TextEdit, Ui};

use crate::app::graphql::GraphQlTab;
use crate::interop::graphql::{Completion, CompletionKind};
use crate::ui::vars::{VarIndex, references};
use crate::ui::{Named, theme};

/// How many completion items the list shows at once (it scrolls for more).
const LIST_ROWS: f32 = 10.0;
/// The completion list's width.
const LIST_WIDTH: f32 = 460.0;

/// Draws the query editor of `rows` lines; returns whether the query changed.
pub fn query_editor_ui(
    ui: &mut Ui,
    id_salt: impl egui::AsIdSalt,
    query: &mut String,
    g: &mut GraphQlTab,
    vars: &VarIndex,
    rows: usize,
) -> bool {
    let id = ui.make_persistent_id(id_salt);
    let ctx = ui.ctx().clone();
    let focused = ui.memory(|m| m.has_focus(id));
    let cursor_before = cursor_byte(&ctx, id, query);
    let list_open = g.completion.shown.as_ref().is_some_and(|s| s.fits(query, cursor_before));
    let mut changed = false;
    if focused {
        changed |= list_keys(ui, id, query, g, cursor_before);
        if ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Space)) {
            g.completion.requested = Some(cursor_before);
        }
    }
    let marks: Vec<Range<usize>> = g.checks.diagnostics.iter().map(|d| d.start..d.end).collect();
    let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| -> Arc<egui::Galley> {
        let mut job = layout_job(ui, buf.as_str(), vars, &marks);
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let output = TextEdit::multiline(query)
        .id(id)
        .code_editor()
        .desired_rows(rows)
        .desired_width(f32::INFINITY)
        // While the list is open, Esc closes it and the editor keeps the focus.
        .event_filter(egui::EventFilter {
            tab: true,
            horizontal_arrows: true,
            vertical_arrows: true,
            escape: list_open,
        })
        .hint_text("query { … }   Ctrl+Space completes from the schema")
        .layouter(&mut layouter)
        .show(ui);
    let response = output.response.response.clone().named("GraphQL query");
    let cursor = output.state.cursor.char_range().map_or(query.len(), |r| byte_of(query, r.primary.index.0));
    if response.changed() {
        changed = true;
        g.checks.edited_at = Some(std::time::Instant::now());
        let before = query[..cursor.min(query.len())].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '@')) {
            g.completion.requested = Some(cursor);
        } else {
            g.completion.close();
        }
    }
    if let Some(pos) = response.hover_pos() {
        let at = byte_of(query, output.galley.cursor_from_pos(pos - output.galley_pos).index.0);
        if let Some(d) = g.checks.diagnostics.iter().find(|d| d.start <= at && at < d.end.max(d.start + 1)) {
            response.clone().on_hover_text(RichText::new(&d.message).color(theme::error_color(ui.visuals())));
        } else if let Some((_, name)) =
            references(query).into_iter().find(|(r, _)| r.start <= at && at < r.end)
        {
            response.clone().on_hover_text(vars.describe(name));
        }
    }
    // The list stays while the editor has the focus, or while a click (maybe on the list) is
    // under way; the editor losing the focus otherwise (a click elsewhere, Esc) closes it.
    let clicking = ctx.input(|i| i.pointer.any_down() || i.pointer.any_released());
    let keep = response.has_focus() || (list_open && clicking);
    if !keep && g.completion.shown.is_some() {
        g.completion.close();
    }
    let open = keep && g.completion.shown.as_ref().is_some_and(|s| s.fits(query, cursor));
    if open {
        let at = output.galley.pos_from_cursor(CCursor::new(query[..cursor].chars().count()));
        let pos = output.galley_pos + at.left_bottom().to_vec2() + egui::vec2(0.0, 2.0);
        if let Some(picked) = list_ui(ui, id, pos, g) {
            changed |= accept(&ctx, id, query, g, picked);
            ctx.memory_mut(|m| m.request_focus(id));
        }
    }
    changed
}

/// Up, Down, Enter, Tab and Esc while the list is open; they do not reach the text.
fn list_keys(ui: &mut Ui, id: egui::Id, query: &mut String, g: &mut GraphQlTab, cursor: usize) -> bool {
    let Some(shown) = g.completion.shown.as_mut().filter(|s| s.fits(query, cursor)) else { return false };
    let count = shown.items.len();
    let (down, up, enter, escape) = ui.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::Enter) || i.consume_key(Modifiers::NONE, Key::Tab),
            i.consume_key(Modifiers::NONE, Key::Escape),
        )
    });
    if down {
        shown.selected = (shown.selected + 1) % count.max(1);
    }
    if up {
        shown.selected = (shown.selected + count.max(1) - 1) % count.max(1);
    }
    if escape {
        g.completion.close();
        return false;
    }
    if enter {
        let picked = shown.selected;
        return accept(ui.ctx(), id, query, g, picked);
    }
    false
}

/// Puts item `index` of the list in place of its range and the cursor after it.
fn accept(ctx: &egui::Context, id: egui::Id, query: &mut String, g: &mut GraphQlTab, index: usize) -> bool {
    let Some(shown) = g.completion.shown.take() else { return false };
    let Some(item) = shown.items.get(index) else { return false };
    let Some(new) = apply_completion(query, shown.replace.clone(), &item.insert) else { return false };
    let cursor_chars = new.1;
    *query = new.0;
    g.completion.close();
    g.checks.edited_at = Some(std::time::Instant::now());
    if let Some(mut state) = TextEdit::load_state(ctx, id) {
        state.cursor.set_char_range(Some(CCursorRange::one(CCursor::new(cursor_chars))));
        state.store(ctx, id);
    }
    true
}

/// `query` with `range` replaced by `insert`, and the cursor (in characters) after the insert;
/// `None` when the range is not in the text (the text changed since it was computed).
pub fn apply_completion(query: &str, range: Range<usize>, insert: &str) -> Option<(String, usize)> {
    if range.start > range.end
        || range.end > query.len()
        || !query.is_char_boundary(range.start)
        || !query.is_char_boundary(range.end)
    {
        return None;
    }
    let mut out = String::with_capacity(query.len() + insert.len());
    out.push_str(&query[..range.start]);
    out.push_str(insert);
    let cursor = out.chars().count();
    out.push_str(&query[range.end..]);
    Some((out, cursor))
}

/// The completion list at `pos`; returns the item clicked.
fn list_ui(ui: &Ui, id: egui::Id, pos: egui::Pos2, g: &mut GraphQlTab) -> Option<usize> {
    let shown = g.completion.shown.as_mut()?;
    let mut picked = None;
    egui::Area::new(id.with("completions")).order(egui::Order::Foreground).fixed_pos(pos).show(
        ui.ctx(),
        |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(LIST_WIDTH);
                let row_height = ui.spacing().interact_size.y;
                egui::ScrollArea::vertical()
                    .max_height(row_height * LIST_ROWS)
                    .auto_shrink([true, true])
                    .show_rows(ui, row_height, shown.items.len(), |ui, rows| {
                        for i in rows {
                            let item = &shown.items[i];
                            let selected = i == shown.selected;
                            let size = egui::vec2(ui.available_width(), row_height);
                            let row = ui
                                .add(egui::Button::selectable(selected, item_text(ui, item)).min_size(size));
                            let row = match &item.description {
                                Some(text) if !text.is_empty() => row.on_hover_text(text),
                                _ => row,
                            };
                            if selected {
                                row.scroll_to_me(None);
                            }
                            if row.clicked() {
                                picked = Some(i);
                            }
                        }
                    });
                if let Some(text) = shown.items.get(shown.selected).and_then(|i| i.description.as_deref()) {
                    ui.separator();
                    ui.label(RichText::new(first_line(text)).small().weak());
                }
            });
        },
    );
    picked
}

fn item_text(ui: &Ui, item: &Completion) -> egui::WidgetText {
    let visuals = ui.visuals();
    let mut job = LayoutJob::default();
    let mono = egui::TextStyle::Monospace.resolve(ui.style());
    let small = egui::TextStyle::Small.resolve(ui.style());
    let kind = TextFormat::simple(small.clone(), theme::muted(visuals));
    job.append(&format!("{:<6}", kind_label(item.kind)), 0.0, kind);
    let mut label = TextFormat::simple(mono.clone(), visuals.text_color());
    if item.deprecated {
        label.strikethrough = Stroke::new(1.0, visuals.text_color());
    }
    job.append(&item.label, 4.0, label);
    if !item.detail.is_empty() {
        job.append(&item.detail, 10.0, TextFormat::simple(mono, theme::variable_color(visuals)));
    }
    if item.deprecated {
        job.append("deprecated", 10.0, TextFormat::simple(small, theme::error_color(visuals)));
    }
    job.into()
}

fn kind_label(kind: CompletionKind) -> &'static str {
    match kind {
        CompletionKind::Field => "field",
        CompletionKind::Argument => "arg",
        CompletionKind::Type => "type",
        CompletionKind::EnumValue => "enum",
        CompletionKind::Variable => "var",
        CompletionKind::Directive => "dir",
        CompletionKind::Keyword => "kw",
        CompletionKind::Fragment => "frag",
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 120 {
        format!("{}…", line.chars().take(119).collect::<String>())
    } else {
        line.into()
    }
}

/// The byte offset of character `index` of `text` (its end when past it).
fn byte_of(text: &str, index: usize) -> usize {
    text.char_indices().nth(index).map_or(text.len(), |(b, _)| b)
}

/// Where the editor's cursor is, as a byte offset (the end when it has none yet).
fn cursor_byte(ctx: &egui::Context, id: egui::Id, text: &str) -> usize {
    TextEdit::load_state(ctx, id)
        .and_then(|s| s.cursor.char_range())
        .map_or(text.len(), |r| byte_of(text, r.primary.index.0))
}

/// How a stretch of the query looks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Plain,
    Keyword,
    String,
    Number,
    Comment,
    Variable,
    Punct,
}

/// GraphQL's lexical colouring of `text`: (byte range, token), covering only non-plain parts.
fn tokens(text: &str) -> Vec<(Range<usize>, Token)> {
    const KEYWORDS: [&str; 10] =
        ["query", "mutation", "subscription", "fragment", "on", "true", "false", "null", "schema", "type"];
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let token = match c {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                Token::Comment
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                Token::String
            }
            b'$' => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Token::Variable
            }
            b'0'..=b'9' | b'-' => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b'.' | b'e' | b'E'))
                {
                    i += 1;
                }
                Token::Number
            }
            b'{' | b'}' | b'(' | b')' | b'[' | b']' | b':' | b'!' | b'=' | b'@' | b'|' => {
                i += 1;
                Token::Punct
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                if KEYWORDS.contains(&&text[start..i]) { Token::Keyword } else { Token::Plain }
            }
            _ => {
                i += 1;
                Token::Plain
            }
        };
        if token != Token::Plain {
            out.push((start..i.min(bytes.len()), token));
        }
    }
    out
}

/// The query laid out: coloured, variables highlighted, problem ranges underlined.
fn layout_job(ui: &Ui, text: &str, vars: &VarIndex, marks: &[Range<usize>]) -> LayoutJob {
    let style = ui.style();
    let visuals = &style.visuals;
    let font = egui::TextStyle::Monospace.resolve(style);
    let colors = theme::code_colors(visuals);
    let refs = references(text);
    let lexed = tokens(text);
    let marks: Vec<Range<usize>> = marks.iter().map(|m| visible_range(text, m.clone())).collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for r in refs.iter().map(|(r, _)| r).chain(marks.iter()).chain(lexed.iter().map(|(r, _)| r)) {
        cuts.extend([r.start, r.end]);
    }
    cuts.retain(|c| *c <= text.len() && text.is_char_boundary(*c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut job = LayoutJob::default();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let inside = |r: &Range<usize>| r.start <= a && b <= r.end;
        let color = if let Some((_, name)) = refs.iter().find(|(r, _)| inside(r)) {
            if vars.resolves(name) {
                theme::variable_color(visuals)
            } else {
                theme::unresolved_color(visuals)
            }
        } else {
            match lexed.iter().find(|(r, _)| inside(r)).map_or(Token::Plain, |(_, t)| *t) {
                Token::Plain => colors.plain,
                Token::Keyword => colors.keyword,
                Token::String => colors.string,
                Token::Number => colors.number,
                Token::Comment => colors.comment,
                Token::Variable => theme::variable_color(visuals),
                Token::Punct => colors.punct,
            }
        };
        let mut format = TextFormat::simple(font.clone(), color);
        if marks.iter().any(inside) {
            format.underline = Stroke::new(1.5, theme::error_color(visuals));
            format.background = theme::error_line_fill(visuals);
        }
        job.append(&text[a..b], 0.0, format);
    }
    job
}

/// A problem's range made visible: inside the text, on character boundaries, at least one
/// character wide (a problem at the very end marks the last character).
fn visible_range(text: &str, r: Range<usize>) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (mut start, mut end) = (floor(r.start), floor(r.end.max(r.start)));
    if end <= start {
        match text[start..].chars().next() {
            Some(c) => end = start + c.len_utf8(),
            None => start = text[..start].char_indices().next_back().map_or(start, |(i, _)| i),
        }
    }
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_completion_replaces_its_range_and_puts_the_cursor_after_it() {
        let (text, cursor) = apply_completion("{ hero { na } }", 9..11, "name").unwrap();
        assert_eq!(text, "{ hero { name } }");
        assert_eq!(cursor, 13);
        assert_eq!(apply_completion("{ é }", 2..3, "x"), None, "not on a character boundary");
        assert_eq!(apply_completion("{ }", 2..9, "x"), None, "past the end");
    }

    #[test]
    fn problem_ranges_stay_inside_the_text() {
        assert_eq!(visible_range("{ héro }", 4..4), 3..5, "inside a character: that character");
        assert_eq!(visible_range("{ x", 3..3), 2..3);
        assert_eq!(visible_range("ab", 5..9), 1..2);
        assert_eq!(visible_range("", 0..0), 0..0);
    }

    #[test]
    fn keywords_strings_and_variables_are_told_apart() {
        let text = "query Q($id: ID!) { hero(id: \"x\") # c\n}";
        let kinds: Vec<Token> = tokens(text).into_iter().map(|(_, t)| t).collect();
        assert!(kinds.contains(&Token::Keyword));
        assert!(kinds.contains(&Token::Variable));
        assert!(kinds.contains(&Token::String));
        assert!(kinds.contains(&Token::Comment));
        assert!(tokens("{ \"unterminated").iter().all(|(r, _)| r.end <= 15));
    }
}
