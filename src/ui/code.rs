//! The script editor: JavaScript with syntax colours (a small tokenizer, cached per text),
//! line numbers in a gutter, the line a script last stopped on marked, and the Scripts section
//! shared by requests, folders and collections (Pre-request / Post-response, snippets beside).

use std::ops::Range;

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, RichText, TextEdit, Ui};

use super::{Named, theme};
use crate::app::scripts::{ScriptMark, ScriptMarks};
use crate::model::Scripts;
use crate::script::snippets::{self, SNIPPETS};
use crate::script::{Event, ScriptOwner};

/// What a piece of script is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Plain,
    Keyword,
    String,
    Number,
    Comment,
    /// `pm`, Postman's API object.
    Pm,
    Punct,
}

const KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "get",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "null",
    "of",
    "return",
    "set",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "undefined",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "NaN",
    "Infinity",
];

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Splits `code` into coloured pieces covering it whole. Every range starts and ends on a
/// character boundary (multi-byte characters only ever sit inside identifiers, strings and
/// comments, whose ends are ASCII or the end of the text).
pub fn tokenize(code: &str) -> Vec<(TokenKind, Range<usize>)> {
    let bytes = code.as_bytes();
    let n = bytes.len();
    let mut out: Vec<(TokenKind, Range<usize>)> = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let kind = match b {
            b'/' if next == Some(b'/') => {
                while i < n && bytes[i] != b'\n' {
                    i += 1;
                }
                TokenKind::Comment
            }
            b'/' if next == Some(b'*') => {
                i += 2;
                while i < n && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(n);
                TokenKind::Comment
            }
            b'"' | b'\'' | b'`' => {
                i += 1;
                while i < n && bytes[i] != b {
                    if bytes[i] == b'\\' {
                        i += 1;
                    } else if bytes[i] == b'\n' && b != b'`' {
                        // An unclosed quote ends at the line's end.
                        break;
                    }
                    i += 1;
                }
                i = (i + 1).min(n);
                TokenKind::String
            }
            b'0'..=b'9' => {
                let hex = b == b'0' && matches!(next, Some(b'x' | b'X'));
                while i < n {
                    let c = bytes[i];
                    let exponent_sign =
                        matches!(c, b'+' | b'-') && !hex && matches!(bytes[i - 1], b'e' | b'E');
                    if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign {
                        i += 1;
                    } else {
                        break;
                    }
                }
                TokenKind::Number
            }
            b'.' if next.is_some_and(|c| c.is_ascii_digit()) => {
                i += 1;
                while i < n && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                TokenKind::Number
            }
            c if is_ident(c) => {
                while i < n && is_ident(bytes[i]) {
                    i += 1;
                }
                let word = &code[start..i];
                // A property (`x.get`, `pm.environment.set`) is a name, not a keyword.
                let property =
                    code[..start].trim_end().ends_with('.') && !code[..start].trim_end().ends_with("...");
                if property {
                    TokenKind::Plain
                } else if word == "pm" || word == "postman" {
                    TokenKind::Pm
                } else if KEYWORDS.contains(&word) {
                    TokenKind::Keyword
                } else {
                    TokenKind::Plain
                }
            }
            c if c.is_ascii_whitespace() => {
                while i < n && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                TokenKind::Plain
            }
            _ => {
                i += 1;
                TokenKind::Punct
            }
        };
        // Safety net: never cut inside a character.
        while i < n && !code.is_char_boundary(i) {
            i += 1;
        }
        match out.last_mut() {
            Some((last, range)) if *last == kind => range.end = i,
            _ => out.push((kind, start..i)),
        }
    }
    out
}

/// The layout of `code` with its colours (wrapping is set by the caller).
fn highlight(code: &str, font: &FontId, colors: &theme::CodeColors) -> LayoutJob {
    let mut job = LayoutJob::default();
    for (kind, range) in tokenize(code) {
        let color = match kind {
            TokenKind::Plain => colors.plain,
            TokenKind::Keyword => colors.keyword,
            TokenKind::String => colors.string,
            TokenKind::Number => colors.number,
            TokenKind::Comment => colors.comment,
            TokenKind::Pm => colors.pm,
            TokenKind::Punct => colors.punct,
        };
        job.append(&code[range], 0.0, TextFormat::simple(font.clone(), color));
    }
    job
}

/// Computes highlighted layouts for egui's frame cache (kept while the text is shown).
#[derive(Default)]
struct Highlighter;

impl egui::cache::ComputerMut<(&str, bool, u32), LayoutJob> for Highlighter {
    fn compute(&mut self, (code, dark, size_bits): (&str, bool, u32)) -> LayoutJob {
        let visuals = if dark { egui::Visuals::dark() } else { egui::Visuals::light() };
        let font = FontId::monospace(f32::from_bits(size_bits));
        highlight(code, &font, &theme::code_colors(&visuals))
    }
}

type HighlightCache = egui::cache::FrameCache<LayoutJob, Highlighter>;

/// A JavaScript editor with line numbers; `mark` marks the line an error stopped on. Returns
/// whether the text changed.
pub fn code_editor_ui(
    ui: &mut Ui,
    id: egui::Id,
    code: &mut String,
    mark: Option<&ScriptMark>,
    name: &str,
) -> bool {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let lines = code.bytes().filter(|b| *b == b'\n').count() + 1;
    let digits = lines.to_string().len().max(2);
    let digit_width = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    let gutter = (digits as f32 * digit_width + 20.0).min(120.0);
    // As tall as the room left (keeping a line for the error under it), and at least a few lines.
    let row_height = ui.fonts_mut(|f| f.row_height(&font));
    let room = ui.available_height() - if mark.is_some() { 40.0 } else { 16.0 };
    let rows = ((room / row_height) as usize).clamp(6, 40);
    let dark = ui.visuals().dark_mode;
    let size_bits = font.size.to_bits();
    let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
        let mut job = ui
            .ctx()
            .memory_mut(|m| m.caches.cache::<HighlightCache>().get((buf.as_str(), dark, size_bits)).clone());
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    // The background (gutter, marked line) goes under the text: a slot now, filled after.
    let background = ui.painter().add(egui::Shape::Noop);
    let output = TextEdit::multiline(code)
        .id(id)
        .code_editor()
        .font(font.clone())
        .desired_width(f32::INFINITY)
        .desired_rows(rows)
        .background_color(egui::Color32::TRANSPARENT)
        .margin(egui::Margin { left: gutter as i8, right: 4, top: 4, bottom: 4 })
        .layouter(&mut layouter)
        .show(ui);
    let response = output.response.response.clone().named(name);
    let rect = response.rect;
    let visuals = ui.visuals();
    let mut shapes = vec![
        egui::Shape::rect_filled(rect, 2.0, visuals.text_edit_bg_color()),
        egui::Shape::rect_filled(
            egui::Rect::from_min_max(rect.min, egui::pos2(rect.left() + gutter - 6.0, rect.bottom())),
            2.0,
            theme::gutter_fill(visuals),
        ),
    ];
    // Only the lines on screen get a number (a long script in a scrolled section has many).
    let visible = rect.intersect(ui.clip_rect());
    let painter = ui.painter().with_clip_rect(visible);
    let number_color = theme::muted(visuals);
    let marked = mark.and_then(|m| m.line);
    let mut line: u32 = 1;
    let rows = &output.galley.rows;
    for (i, row) in rows.iter().enumerate() {
        if i > 0 && !rows[i - 1].ends_with_newline {
            continue;
        }
        let row_rect = row.rect().translate(output.galley_pos.to_vec2());
        if row_rect.top() > visible.bottom() {
            break;
        }
        if row_rect.bottom() >= visible.top() {
            if marked == Some(line) {
                let band = egui::Rect::from_x_y_ranges(rect.x_range(), row_rect.y_range());
                shapes.push(egui::Shape::rect_filled(band, 0.0, theme::error_line_fill(visuals)));
                shapes.push(egui::Shape::circle_filled(
                    egui::pos2(rect.left() + 6.0, row_rect.center().y),
                    3.5,
                    theme::error_color(visuals),
                ));
            }
            painter.text(
                egui::pos2(rect.left() + gutter - 10.0, row_rect.top()),
                egui::Align2::RIGHT_TOP,
                line.to_string(),
                font.clone(),
                number_color,
            );
        }
        line += 1;
    }
    ui.painter().set(background, egui::Shape::Vec(shapes));
    if let Some(mark) = mark {
        ui.label(RichText::new(format!("⚠ {}", mark.message)).color(theme::error_color(ui.visuals())));
    }
    response.changed()
}

/// Where the Scripts section's scripts belong, and what it shows about them.
pub struct ScriptsContext<'a> {
    pub owner: ScriptOwner,
    pub marks: &'a ScriptMarks,
    /// Why scripts do not run here (the organization's policy), shown as a banner.
    pub forbidden: Option<&'a str>,
}

/// The Scripts section: Pre-request / Post-response, the editor, snippets beside it. Returns
/// whether a script changed.
pub fn scripts_ui(ui: &mut Ui, scripts: &mut Scripts, event: &mut Event, cx: &ScriptsContext<'_>) -> bool {
    let mut changed = false;
    if let Some(reason) = cx.forbidden {
        egui::Frame::new()
            .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
            .inner_margin(6)
            .corner_radius(4)
            .show(ui, |ui| {
                ui.label(format!("🔒 Scripts do not run: {reason}. They can still be edited."));
            });
    }
    ui.horizontal(|ui| {
        for (e, label, code) in [
            (Event::PreRequest, "Pre-request", &scripts.pre_request),
            (Event::Test, "Post-response", &scripts.test),
        ] {
            let label = if code.trim().is_empty() { label.to_owned() } else { format!("{label} •") };
            ui.selectable_value(event, e, label);
        }
    });
    let hint = match event {
        Event::PreRequest => "Runs before the request is sent: set variables, change the request.",
        Event::Test => "Runs after the response: write tests with pm.test, read pm.response.",
    };
    ui.label(RichText::new(hint).weak());
    let code = match event {
        Event::PreRequest => &mut scripts.pre_request,
        Event::Test => &mut scripts.test,
    };
    let mark = cx.marks.get(&(cx.owner, *event));
    let name = match event {
        Event::PreRequest => "Pre-request script",
        Event::Test => "Post-response script",
    };
    let id = egui::Id::unique(("script-editor", cx.owner, *event));
    let snippets_width = 230.0;
    ui.horizontal_top(|ui| {
        let editor_width = (ui.available_width() - snippets_width - 12.0).max(200.0);
        ui.vertical(|ui| {
            ui.set_width(editor_width);
            changed |= code_editor_ui(ui, id, code, mark, name);
        });
        ui.vertical(|ui| {
            ui.set_width(snippets_width);
            ui.strong("Snippets");
            ui.label(RichText::new("Click to add at the end.").weak().small());
            for snippet in SNIPPETS.iter().filter(|s| s.applies_to(*event)) {
                if ui.add(egui::Button::new(snippet.name).frame(false)).on_hover_text(snippet.code).clicked()
                {
                    *code = snippets::append(code, snippet);
                    changed = true;
                }
            }
        });
    });
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(code: &str) -> Vec<(TokenKind, &str)> {
        tokenize(code)
            .into_iter()
            .map(|(k, r)| (k, &code[r]))
            .filter(|(k, _)| *k != TokenKind::Plain)
            .collect()
    }

    #[test]
    fn colours_keywords_strings_numbers_comments_and_pm() {
        let code = "const x = pm.response.json(); // note\nlet n = 0x1F + 2.5e-3;";
        let k = kinds(code);
        assert!(k.contains(&(TokenKind::Keyword, "const")));
        assert!(k.contains(&(TokenKind::Pm, "pm")));
        assert!(k.contains(&(TokenKind::Comment, "// note")));
        assert!(k.contains(&(TokenKind::Number, "0x1F")));
        assert!(k.contains(&(TokenKind::Number, "2.5e-3")));
        assert!(k.contains(&(TokenKind::Keyword, "let")));
        let k = kinds("pm.environment.get(\"a\"); x.delete; new Map()");
        assert!(!k.iter().any(|(_, t)| *t == "get" || *t == "delete"), "properties are names: {k:?}");
        assert!(k.contains(&(TokenKind::Keyword, "new")));
    }

    #[test]
    fn template_literals_and_block_comments_span_lines() {
        let code = "a = `one\n${b} two`; /* x\ny */ 'q\\'s'";
        let k = kinds(code);
        assert!(k.contains(&(TokenKind::String, "`one\n${b} two`")));
        assert!(k.contains(&(TokenKind::Comment, "/* x\ny */")));
        assert!(k.contains(&(TokenKind::String, "'q\\'s'")));
    }

    #[test]
    fn the_tokens_cover_any_text_on_character_boundaries() {
        for code in [
            "",
            "é",
            "\"unterminated\nnext",
            "x = 'ünïcödé' // \u{1F600}\n`${'\u{1F642}'}`",
            "/*",
            "\\",
            "1e",
            "0x",
        ] {
            let tokens = tokenize(code);
            let mut at = 0;
            for (_, r) in &tokens {
                assert_eq!(r.start, at, "{code:?}");
                assert!(code.is_char_boundary(r.end), "{code:?}");
                at = r.end;
            }
            assert_eq!(at, code.len(), "{code:?}");
        }
        // An unclosed quote stops at its line's end.
        assert!(kinds("'open\nlet").contains(&(TokenKind::Keyword, "let")));
    }
}
