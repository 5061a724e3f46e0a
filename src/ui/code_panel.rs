//! The right edge of a request tab, as in Postman: a narrow bar with the `</>` button and, when
//! open, the Code panel: the language picker, Copy, the "Resolve variables" switch and the
//! snippet of the request as edited, read-only.

use egui::{ComboBox, RichText, TextEdit, Ui};

use super::Named;
use crate::app::code_panel::{CodeCommand, CodePanel, SnippetView};
use crate::app::command::Command;
use crate::app::state::{RequestTab, TabId};
use crate::interop::export::snippet::Language;
use crate::model::{EnvironmentId, WorkspaceData};

/// Snippets longer than this show their start; Copy copies all of it.
const SHOWN_MAX_BYTES: usize = 64 * 1024;

/// What the Code panel needs of the tab it belongs to.
pub struct CodeContext<'a> {
    pub tab_id: TabId,
    pub ws: &'a WorkspaceData,
    pub environment: Option<EnvironmentId>,
    /// The state's revision: variables edited anywhere move it.
    pub revision: u64,
}

/// Draws the bar (and the panel when open) on the right of the space left in `ui`; what
/// is drawn next fills the rest.
pub fn code_sidebar_ui(
    ui: &mut Ui,
    r: &RequestTab,
    cx: &CodeContext<'_>,
    code: &mut CodePanel,
    out: &mut Vec<Command>,
) {
    egui::Panel::right(("code-bar", cx.tab_id.0)).resizable(false).exact_size(40.0).show(ui, |ui| {
        ui.add_space(4.0);
        let button = egui::Button::selectable(code.open, RichText::new("</>").monospace().strong())
            .wrap_mode(egui::TextWrapMode::Extend)
            .min_size(egui::vec2(28.0, 24.0));
        let hint = if code.open {
            "Hide the code snippet"
        } else {
            "Code snippet: this request as cURL, Python, Go…"
        };
        if ui.add(button).named("Code snippet").on_hover_text(hint).clicked() {
            out.push(Command::Code(CodeCommand::Toggle));
        }
    });
    if !code.open {
        return;
    }
    let room = ui.available_width();
    egui::Panel::right(("code-panel", cx.tab_id.0))
        .resizable(true)
        .default_size((room * 0.38).clamp(280.0, 560.0))
        .size_range(240.0..=(room * 0.75).max(241.0))
        .show(ui, |ui| {
            ui.set_min_height(ui.available_height());
            let view = code.view(ui.ctx(), cx.tab_id, r, cx.ws, cx.environment, cx.revision).cloned();
            header_ui(ui, code, view.as_ref(), out);
            match view {
                Some(view) => snippet_ui(ui, cx.tab_id, code.language, &view),
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Writing the snippet…");
                    });
                }
            }
        });
}

/// Title, language picker, Copy, the switch, and what the snippet could not say.
fn header_ui(ui: &mut Ui, code: &CodePanel, view: Option<&SnippetView>, out: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.strong("Code snippet");
        if code.writing() {
            ui.spinner();
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.small_button("✖").named("Close the code snippet").on_hover_text("Close").clicked() {
                out.push(Command::Code(CodeCommand::Toggle));
            }
        });
    });
    ui.horizontal(|ui| {
        let mut language = code.language;
        ComboBox::from_id_salt("snippet-language")
            .selected_text(language.label())
            // Every language in view, none behind a scroll.
            .height(480.0)
            .width((ui.available_width() - 70.0).clamp(120.0, 260.0))
            .show_ui(ui, |ui| {
                for l in Language::ALL {
                    ui.selectable_value(&mut language, l, l.label());
                }
            })
            .response
            .named("Snippet language");
        if language != code.language {
            out.push(Command::Code(CodeCommand::Language(language)));
        }
        let copy = ui.add_enabled(view.is_some(), egui::Button::new("📋 Copy"));
        if copy.named("Copy snippet").on_hover_text("Copy the whole snippet").clicked() {
            out.push(Command::Code(CodeCommand::Copy));
        }
    });
    let mut resolve = code.resolve;
    let switch = ui.checkbox(&mut resolve, "Resolve variables").on_hover_text(
        "On: {{variables}} are replaced by their values, as a send would (active environment, folders, collection, globals; secrets too). Off: kept as written.",
    );
    if switch.changed() {
        out.push(Command::Code(CodeCommand::Resolve(resolve)));
    }
    let Some(view) = view else { return };
    if !view.missing.is_empty() {
        let names: Vec<String> = view.missing.iter().map(|n| format!("{{{{{n}}}}}")).collect();
        ui.label(
            RichText::new(format!("⚠ Not defined, left as written: {}", names.join(", ")))
                .color(ui.visuals().warn_fg_color),
        );
    }
    if view.has_secrets {
        ui.label(RichText::new("🔒 Holds secret values: mind where you paste it.").weak());
    }
    for warning in &view.warnings {
        ui.label(RichText::new(format!("ℹ {warning}")).weak().small());
    }
    ui.add_space(2.0);
}

/// The snippet, read-only and selectable, scrolled both ways.
fn snippet_ui(ui: &mut Ui, tab_id: TabId, language: Language, view: &SnippetView) {
    let text: &str = &view.text;
    let (mut shown, cut) = if text.len() > SHOWN_MAX_BYTES {
        let mut end = SHOWN_MAX_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (&text[..end], true)
    } else {
        (text, false)
    };
    if cut {
        ui.label(
            RichText::new(format!(
                "Showing the first {} KiB of {} KiB; Copy copies all of it.",
                SHOWN_MAX_BYTES / 1024,
                text.len() / 1024
            ))
            .weak(),
        );
    }
    egui::Frame::new().fill(ui.visuals().extreme_bg_color).corner_radius(4).inner_margin(6).show(ui, |ui| {
        egui::ScrollArea::both()
            .id_salt(("snippet", tab_id.0, language.id()))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // Code is not wrapped: long lines scroll sideways, as in an editor.
                let font = egui::TextStyle::Monospace.resolve(ui.style());
                let colors = super::theme::code_colors(ui.visuals());
                let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, _wrap_width: f32| {
                    ui.fonts_mut(|f| f.layout_job(highlight(buf.as_str(), &font, &colors)))
                };
                ui.add(
                    TextEdit::multiline(&mut shown)
                        .code_editor()
                        .frame(egui::Frame::NONE)
                        .desired_width(f32::INFINITY)
                        .desired_rows(12)
                        .layouter(&mut layouter),
                )
                .named("Snippet");
            });
    });
}

/// Strings and comments coloured, the rest plain: enough to read a snippet in any of its
/// languages. Not wrapped.
fn highlight(code: &str, font: &egui::FontId, colors: &super::theme::CodeColors) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::default();
    job.wrap.max_width = f32::INFINITY;
    let mut add = |text: &str, color| job.append(text, 0.0, egui::TextFormat::simple(font.clone(), color));
    let mut rest = code;
    let mut line_start = true;
    while !rest.is_empty() {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let indent = rest.len() - trimmed.len();
        let comment = (line_start && trimmed.starts_with('#')) || trimmed.starts_with("//");
        if comment {
            add(&rest[..indent], colors.plain);
            let end = trimmed.find('\n').unwrap_or(trimmed.len());
            add(&trimmed[..end], colors.comment);
            rest = &trimmed[end..];
            line_start = false;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        let len = if matches!(c, '"' | '\'' | '`') {
            let mut escaped = false;
            let close = rest[1..].char_indices().find(|&(_, ch)| {
                let done = ch == c && !(escaped && c != '\'');
                escaped = ch == '\\' && !escaped;
                done
            });
            let len = close.map_or(rest.len(), |(i, _)| i + 2);
            add(&rest[..len], colors.string);
            len
        } else if c == '\n' {
            add("\n", colors.plain);
            1
        } else {
            let len = rest[c.len_utf8()..]
                .find(['"', '\'', '`', '\n', '/', '#'])
                .map_or(rest.len(), |i| i + c.len_utf8());
            add(&rest[..len], colors.plain);
            len
        };
        line_start = rest[..len].ends_with('\n');
        rest = &rest[len..];
    }
    job
}
