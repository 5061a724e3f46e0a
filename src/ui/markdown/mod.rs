//! Markdown drawn with egui: a description's blocks (parsed once per text by [`parse`] and kept
//! in a [`DocCache`]) laid out as headings, paragraphs, lists, quotes, code, tables and rules.
//! A link opens the system browser only when clicked; an image is shown as its alt text and
//! address and never fetched.

pub mod parse;
mod table;

use std::sync::Arc;

use egui::text::LayoutJob;
use egui::{Color32, FontId, Stroke, TextFormat, Ui};

use self::parse::ListItem;
pub use self::parse::{Block, MarkdownDoc, Span};

/// Heading sizes, as multiples of the body text's size (level 1 to 6).
const HEADING_SCALE: [f32; 6] = [1.6, 1.35, 1.15, 1.05, 1.0, 0.95];
/// Space between blocks, in points.
const BLOCK_GAP: f32 = 6.0;
/// Indent of a list item's text and of a quote, in points.
const INDENT: f32 = 18.0;

/// The last text parsed and its blocks: parsing runs again only when the text changes.
#[derive(Clone, Default)]
pub struct DocCache {
    hash: Option<u64>,
    doc: Arc<MarkdownDoc>,
    /// How many times a text was parsed (for tests and measurements).
    pub parses: u64,
}

impl DocCache {
    /// The blocks of `text`, parsed only if it is not the text seen last.
    pub fn get(&mut self, text: &str) -> Arc<MarkdownDoc> {
        let hash = egui::util::hash(text);
        if self.hash != Some(hash) {
            self.doc = Arc::new(MarkdownDoc { key: hash, ..parse::parse(text) });
            self.hash = Some(hash);
            self.parses += 1;
        }
        Arc::clone(&self.doc)
    }
}

/// Draws `doc`, as wide as the space available. What is out of sight only reserves the height it
/// took when last drawn, so a long description costs what its visible part costs.
pub fn markdown_ui(ui: &mut Ui, doc: &MarkdownDoc) {
    // The ids under a text depend on it: heights measured for another text are not reused.
    ui.push_id(doc.key, |ui| {
        ui.vertical(|ui| {
            ui.spacing_mut().item_spacing.y = BLOCK_GAP;
            blocks_ui(ui, &doc.blocks, 0);
        });
    });
}

fn blocks_ui(ui: &mut Ui, blocks: &[Block], depth: usize) {
    for (index, block) in blocks.iter().enumerate() {
        ui.push_id(index, |ui| culled_ui(ui, |ui| block_ui(ui, block, depth)));
    }
}

/// Runs `add`, unless the height it took last time (at this width) is out of sight: then only
/// that space is taken.
fn culled_ui(ui: &mut Ui, add: impl FnOnce(&mut Ui)) {
    let id = ui.scope_id().with("height");
    let width = ui.available_width();
    let last: Option<(f32, f32)> = ui.data(|d| d.get_temp(id));
    if let Some((last_width, height)) = last
        && (last_width - width).abs() < 0.5
        && !ui.is_rect_visible(egui::Rect::from_min_size(ui.cursor().min, egui::vec2(width, height)))
    {
        ui.allocate_space(egui::vec2(width, height));
        return;
    }
    let height = ui.scope(add).response.rect.height();
    ui.data_mut(|d| d.insert_temp(id, (width, height)));
}

fn block_ui(ui: &mut Ui, block: &Block, depth: usize) {
    let body = body_size(ui);
    match block {
        Block::Heading(level, spans) => {
            let scale = HEADING_SCALE.get(usize::from(level.saturating_sub(1))).copied().unwrap_or(1.0);
            if *level <= 2 {
                ui.add_space(BLOCK_GAP);
            }
            spans_ui(ui, spans, &Base { size: body * scale, heading: true });
            if *level <= 2 {
                ui.separator();
            }
        }
        Block::Paragraph(spans) => spans_ui(ui, spans, &Base { size: body, heading: false }),
        Block::Code { language, text } => code_ui(ui, language, text),
        Block::List { start, items } => list_ui(ui, *start, items, depth),
        Block::Quote(blocks) => quote_ui(ui, blocks, depth),
        Block::Table(table) => table::table_ui(ui, table),
        Block::Rule => {
            ui.separator();
        }
    }
}

fn body_size(ui: &Ui) -> f32 {
    ui.style().text_styles.get(&egui::TextStyle::Body).map_or(14.0, |f| f.size)
}

/// The style every span of a paragraph or heading starts from.
struct Base {
    size: f32,
    heading: bool,
}

/// A paragraph or heading: text runs laid out as one wrapping line, links as their own widgets.
fn spans_ui(ui: &mut Ui, spans: &[Span], base: &Base) {
    let runs = runs(spans);
    if let [(None, spans)] = runs.as_slice() {
        // No link: one label, laid out once and cached by egui.
        ui.add(egui::Label::new(layout_job(ui, spans, base)).wrap());
        return;
    }
    // A wrapping row is as tall as a button unless told otherwise: text would sit lower than
    // a paragraph without links.
    ui.spacing_mut().interact_size.y = 0.0;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for (link, spans) in runs {
            let job = layout_job(ui, spans, base);
            match link {
                Some(url) if openable(url) => link_ui(ui, job, url),
                Some(url) => {
                    ui.add(egui::Label::new(job)).on_hover_text(format!("Not a web address: {url}"));
                }
                None => {
                    ui.add(egui::Label::new(job));
                }
            }
        }
    });
}

/// Consecutive spans grouped by the link they are in (an image is a run of its own).
fn runs(spans: &[Span]) -> Vec<(Option<&String>, &[Span])> {
    let mut runs: Vec<(Option<&String>, &[Span])> = Vec::new();
    let mut start = 0;
    for i in 1..=spans.len() {
        let ends =
            i == spans.len() || spans[i].link != spans[start].link || spans[i].image || spans[start].image;
        if ends {
            runs.push((spans[start].link.as_ref(), &spans[start..i]));
            start = i;
        }
    }
    runs
}

/// A link to the web or to an address the system knows how to open.
fn openable(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|scheme| lower.starts_with(scheme))
}

fn link_ui(ui: &mut Ui, job: LayoutJob, url: &str) {
    let response = ui.add(egui::Link::new(job)).on_hover_text(url);
    if response.clicked() {
        let new_tab = response.clicked_with_open_in_background();
        ui.ctx().open_url(egui::OpenUrl { url: url.to_owned(), new_tab });
    }
}

fn layout_job(ui: &Ui, spans: &[Span], base: &Base) -> LayoutJob {
    let mut job = LayoutJob::default();
    for span in spans {
        if span.image {
            let format = format(ui, span, base);
            job.append(&format!("🖼 {}", span.text), 0.0, format);
            if let Some(url) = &span.link {
                let weak = TextFormat {
                    color: ui.visuals().weak_text_color(),
                    font_id: FontId::proportional(base.size * 0.9),
                    ..TextFormat::default()
                };
                job.append(&format!(" ({url})"), 0.0, weak);
            }
        } else {
            job.append(&span.text, 0.0, format(ui, span, base));
        }
    }
    job
}

fn format(ui: &Ui, span: &Span, base: &Base) -> TextFormat {
    let visuals = ui.visuals();
    let color = if span.link.is_some() {
        visuals.hyperlink_color
    } else if span.strong || base.heading {
        visuals.strong_text_color()
    } else {
        visuals.text_color()
    };
    let font_id =
        if span.code { FontId::monospace(base.size * 0.9) } else { FontId::proportional(base.size) };
    TextFormat {
        font_id,
        color,
        background: if span.code { visuals.code_bg_color } else { Color32::TRANSPARENT },
        italics: span.emphasis,
        strikethrough: if span.strike { Stroke::new(1.0, color) } else { Stroke::NONE },
        ..TextFormat::default()
    }
}

fn code_ui(ui: &mut Ui, language: &str, text: &str) {
    let visuals = ui.visuals();
    egui::Frame::new()
        .fill(visuals.code_bg_color)
        .stroke(visuals.widgets.noninteractive.bg_stroke)
        .corner_radius(4.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            if !language.is_empty() {
                ui.label(egui::RichText::new(language).small().weak());
            }
            egui::ScrollArea::horizontal().auto_shrink([false, true]).show(ui, |ui| {
                ui.add(egui::Label::new(egui::RichText::new(text).monospace()).extend());
            });
        });
}

fn list_ui(ui: &mut Ui, start: Option<u64>, items: &[ListItem], depth: usize) {
    // Glyphs the shipped fonts have.
    const BULLETS: [&str; 2] = ["•", "–"];
    for (index, item) in items.iter().enumerate() {
        let marker = match (item.checked, start) {
            (Some(true), _) => "☑".to_owned(),
            (Some(false), _) => "☐".to_owned(),
            (None, Some(first)) => format!("{}.", first.saturating_add(index as u64)),
            (None, None) => BULLETS[depth % BULLETS.len()].to_owned(),
        };
        ui.push_id(index, |ui| {
            ui.horizontal_top(|ui| {
                let width = if start.is_some() { INDENT * 1.5 } else { INDENT };
                let size = egui::vec2(width, ui.spacing().interact_size.y.min(body_size(ui) + 4.0));
                ui.allocate_ui_with_layout(size, egui::Layout::right_to_left(egui::Align::Min), |ui| {
                    ui.label(marker);
                });
                ui.vertical(|ui| {
                    ui.spacing_mut().item_spacing.y = BLOCK_GAP * 0.5;
                    blocks_ui(ui, &item.blocks, depth + 1);
                });
            });
        });
    }
}

fn quote_ui(ui: &mut Ui, blocks: &[Block], depth: usize) {
    let bar = ui.visuals().widgets.noninteractive.bg_stroke.color;
    let response = egui::Frame::new()
        .inner_margin(egui::Margin { left: INDENT as i8, right: 0, top: 2, bottom: 2 })
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            blocks_ui(ui, blocks, depth + 1);
        })
        .response;
    let rect = response.rect;
    ui.painter().line_segment(
        [rect.left_top() + egui::vec2(4.0, 0.0), rect.left_bottom() + egui::vec2(4.0, 0.0)],
        Stroke::new(3.0, bar),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_parses_a_text_once_until_it_changes() {
        let mut cache = DocCache::default();
        let first = cache.get("# One");
        let again = cache.get("# One");
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(cache.parses, 1);
        let changed = cache.get("# Two");
        assert_eq!(cache.parses, 2);
        assert!(matches!(&changed.blocks[0], Block::Heading(1, s) if parse::plain_text(s) == "Two"));
    }

    #[test]
    fn only_web_and_mail_addresses_open() {
        assert!(openable("https://example.com"));
        assert!(openable(" HTTP://example.com"));
        assert!(openable("mailto:a@example.com"));
        assert!(!openable("#authentication"));
        assert!(!openable("file:///etc/passwd"));
        assert!(!openable("javascript:alert(1)"));
    }

    #[test]
    fn runs_split_at_links_and_images() {
        let doc = parse::parse("a [b](https://x.test) c ![d](https://x.test/i.png)");
        let Block::Paragraph(spans) = &doc.blocks[0] else { panic!() };
        let runs = runs(spans);
        let links: Vec<_> = runs.iter().map(|(l, _)| l.map(String::as_str)).collect();
        assert_eq!(links, [None, Some("https://x.test"), None, Some("https://x.test/i.png")]);
    }
}
