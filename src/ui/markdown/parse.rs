//! Markdown text to blocks and styled spans, with pulldown-cmark: what the renderer draws, made
//! once per text (not per frame). Raw HTML keeps its text and loses its tags; images keep their
//! alt text and address (nothing is ever fetched); nesting deeper than [`MAX_DEPTH`] is flattened,
//! so a hostile text cannot exhaust the stack.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// How deep quotes and lists nest before their content is drawn at the level above.
pub const MAX_DEPTH: usize = 24;

/// A parsed description.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MarkdownDoc {
    pub blocks: Vec<Block>,
    /// Tells one text's blocks from another's (the text's hash, set by the cache).
    pub key: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// Level 1 to 6.
    Heading(u8, Vec<Span>),
    Paragraph(Vec<Span>),
    /// A fenced or indented code block; `language` may be empty.
    Code {
        language: String,
        text: String,
    },
    /// `start` is the first number of a numbered list; `None` for bullets.
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Quote(Vec<Block>),
    Table(Table),
    Rule,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListItem {
    /// A task list item's box: `- [x] done`.
    pub checked: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CellAlign {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub alignments: Vec<CellAlign>,
    pub head: Vec<Vec<Span>>,
    pub rows: Vec<Vec<Vec<Span>>>,
}

/// A run of text with one style.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub strong: bool,
    pub emphasis: bool,
    pub strike: bool,
    pub code: bool,
    /// The address of the link this text is in (or of the image it stands for).
    pub link: Option<String>,
    /// An image, shown as its alt text and address.
    pub image: bool,
}

impl Span {
    fn same_style(&self, other: &Span) -> bool {
        (self.strong, self.emphasis, self.strike, self.code, self.image, &self.link)
            == (other.strong, other.emphasis, other.strike, other.code, other.image, &other.link)
    }
}

/// The text of a list of spans, as a screen reader or a search would read it.
pub fn plain_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// Parses `text` as CommonMark with tables, strikethrough and task lists.
pub fn parse(text: &str) -> MarkdownDoc {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut events = Parser::new_ext(text, options);
    let (blocks, _) = blocks_until_end(&mut events, 0);
    MarkdownDoc { blocks, key: 0 }
}

/// The blocks of a container, up to the end event that closes it. Inline content outside a
/// paragraph (a tight list item's) becomes a paragraph. Returns a task item's box if one was met.
/// Containers past [`MAX_DEPTH`] are read in this same loop (counted, not recursed into), their
/// blocks joining this level.
fn blocks_until_end<'a>(
    events: &mut impl Iterator<Item = Event<'a>>,
    depth: usize,
) -> (Vec<Block>, Option<bool>) {
    let mut blocks = Vec::new();
    let mut pending = Inline::default();
    let mut checked = None;
    let mut flattened = 0usize;
    while let Some(event) = events.next() {
        let block = match event {
            Event::End(end) if is_inline_end(end) => {
                pending.feed(Event::End(end));
                None
            }
            Event::End(_) if flattened > 0 => {
                flattened -= 1;
                flush(&mut pending, &mut blocks);
                continue;
            }
            Event::End(_) => break,
            Event::TaskListMarker(done) => {
                checked = Some(done);
                continue;
            }
            Event::Rule => Some(Block::Rule),
            Event::Start(tag) => match tag {
                Tag::Paragraph => Some(Block::Paragraph(inline_until_end(events))),
                Tag::Heading { level, .. } => {
                    Some(Block::Heading(heading_level(level), inline_until_end(events)))
                }
                Tag::CodeBlock(kind) => Some(code_block(events, kind)),
                Tag::HtmlBlock => html_block(events),
                Tag::Table(alignments) => Some(Block::Table(table(events, &alignments))),
                Tag::BlockQuote(_) if depth < MAX_DEPTH => {
                    Some(Block::Quote(blocks_until_end(events, depth + 1).0))
                }
                Tag::List(start) if depth < MAX_DEPTH => Some(list(events, start, depth + 1)),
                tag if is_inline_start(&tag) => {
                    pending.feed(Event::Start(tag));
                    None
                }
                _ => {
                    // Too deep, or a container drawn flat (definition lists, footnotes).
                    flattened += 1;
                    flush(&mut pending, &mut blocks);
                    continue;
                }
            },
            inline => {
                pending.feed(inline);
                None
            }
        };
        if let Some(block) = block {
            flush(&mut pending, &mut blocks);
            blocks.push(block);
        }
    }
    flush(&mut pending, &mut blocks);
    (blocks, checked)
}

fn is_inline_start(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn flush(pending: &mut Inline, blocks: &mut Vec<Block>) {
    let spans = std::mem::take(pending).finish();
    if !spans.is_empty() {
        blocks.push(Block::Paragraph(spans));
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The spans of a paragraph, heading or table cell, up to its end.
fn inline_until_end<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> Vec<Span> {
    let mut inline = Inline::default();
    for event in events.by_ref() {
        match event {
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell) => break,
            other => inline.feed(other),
        }
    }
    inline.finish()
}

fn code_block<'a>(events: &mut impl Iterator<Item = Event<'a>>, kind: CodeBlockKind<'a>) -> Block {
    let language = match kind {
        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default().to_owned(),
        CodeBlockKind::Indented => String::new(),
    };
    let mut text = String::new();
    for event in events.by_ref() {
        match event {
            Event::End(_) => break,
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) | Event::Code(t) => text.push_str(&t),
            _ => {}
        }
    }
    if text.ends_with('\n') {
        text.pop();
    }
    Block::Code { language, text }
}

/// A block of raw HTML: its text without the tags, or nothing when only tags were there.
fn html_block<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> Option<Block> {
    let mut html = String::new();
    for event in events.by_ref() {
        match event {
            Event::End(_) => break,
            Event::Html(t) | Event::Text(t) | Event::InlineHtml(t) => html.push_str(&t),
            _ => {}
        }
    }
    let text = strip_tags(&html);
    let text = text.trim();
    (!text.is_empty()).then(|| Block::Paragraph(vec![Span { text: text.to_owned(), ..Span::default() }]))
}

/// HTML text without its tags; `<br>` and the end of a `<p>` or `<div>` become line breaks.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('>') else {
            out.push_str(after);
            return out;
        };
        let tag = after[1..close].trim().to_ascii_lowercase();
        let name: String =
            tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        if name == "br" || (tag.starts_with('/') && matches!(name.as_str(), "p" | "div" | "li" | "tr")) {
            out.push('\n');
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

fn list<'a>(events: &mut impl Iterator<Item = Event<'a>>, start: Option<u64>, depth: usize) -> Block {
    let mut items = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Item) => {
                let (blocks, checked) = blocks_until_end(events, depth);
                items.push(ListItem { checked, blocks });
            }
            Event::End(_) => break,
            _ => {}
        }
    }
    Block::List { start, items }
}

fn table<'a>(events: &mut impl Iterator<Item = Event<'a>>, alignments: &[Alignment]) -> Table {
    let mut table = Table {
        alignments: alignments
            .iter()
            .map(|a| match a {
                Alignment::Center => CellAlign::Center,
                Alignment::Right => CellAlign::Right,
                Alignment::None | Alignment::Left => CellAlign::Left,
            })
            .collect(),
        ..Table::default()
    };
    let mut row = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::TableCell) => row.push(inline_until_end(events)),
            Event::End(TagEnd::TableHead) => table.head = std::mem::take(&mut row),
            Event::End(TagEnd::TableRow) => table.rows.push(std::mem::take(&mut row)),
            Event::End(TagEnd::Table) => break,
            _ => {}
        }
    }
    table
}

/// Inline events gathered into spans: the open emphasis, links and image as counters and stacks.
#[derive(Default)]
struct Inline {
    spans: Vec<Span>,
    strong: u32,
    emphasis: u32,
    strike: u32,
    links: Vec<String>,
    /// The image being read: its address and alt text so far.
    image: Option<(String, String)>,
}

impl Inline {
    fn feed(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Strong) => self.strong += 1,
            Event::End(TagEnd::Strong) => self.strong = self.strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.emphasis += 1,
            Event::End(TagEnd::Emphasis) => self.emphasis = self.emphasis.saturating_sub(1),
            Event::Start(Tag::Strikethrough) => self.strike += 1,
            Event::End(TagEnd::Strikethrough) => self.strike = self.strike.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => self.links.push(dest_url.into_string()),
            Event::End(TagEnd::Link) => {
                self.links.pop();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image = Some((dest_url.into_string(), String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((url, alt)) = self.image.take() {
                    let alt = if alt.trim().is_empty() { "image".to_owned() } else { alt };
                    self.push(Span { text: alt, link: Some(url), image: true, ..Span::default() });
                }
            }
            Event::Text(t) => self.text(&t, false),
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t, true),
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => self.text("\n", false),
            Event::InlineHtml(t) | Event::Html(t) => {
                let text = strip_tags(&t);
                if !text.is_empty() {
                    self.text(&text, false);
                }
            }
            Event::FootnoteReference(label) => self.text(&format!("[{label}]"), false),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }, false),
            Event::Start(_) | Event::End(_) | Event::Rule => {}
        }
    }

    fn text(&mut self, text: &str, code: bool) {
        if let Some((_, alt)) = &mut self.image {
            alt.push_str(text);
            return;
        }
        let span = Span {
            text: text.to_owned(),
            strong: self.strong > 0,
            emphasis: self.emphasis > 0,
            strike: self.strike > 0,
            code,
            link: self.links.last().cloned(),
            image: false,
        };
        self.push(span);
    }

    fn push(&mut self, span: Span) {
        match self.spans.last_mut() {
            Some(last) if last.same_style(&span) && !span.image => last.text.push_str(&span.text),
            _ => self.spans.push(span),
        }
    }

    /// The spans, without leading and trailing blanks; empty when there is no text.
    fn finish(mut self) -> Vec<Span> {
        if let Some((url, alt)) = self.image.take() {
            self.push(Span { text: alt, link: Some(url), image: true, ..Span::default() });
        }
        if let Some(first) = self.spans.first_mut() {
            first.text = first.text.trim_start().to_owned();
        }
        if let Some(last) = self.spans.last_mut() {
            last.text = last.text.trim_end().to_owned();
        }
        self.spans.retain(|s| !s.text.is_empty() || s.image);
        self.spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(block: &Block) -> String {
        match block {
            Block::Heading(_, spans) | Block::Paragraph(spans) => plain_text(spans),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn headings_paragraphs_and_emphasis() {
        let doc = parse("# Title\n\nSome **bold**, *it*, ~~gone~~ and `code`.\n\n## Sub");
        assert_eq!(doc.blocks.len(), 3);
        assert!(matches!(&doc.blocks[0], Block::Heading(1, s) if plain_text(s) == "Title"));
        let Block::Paragraph(spans) = &doc.blocks[1] else { panic!("{:?}", doc.blocks[1]) };
        assert_eq!(plain_text(spans), "Some bold, it, gone and code.");
        assert!(spans.iter().any(|s| s.strong && s.text == "bold"));
        assert!(spans.iter().any(|s| s.emphasis && s.text == "it"));
        assert!(spans.iter().any(|s| s.strike && s.text == "gone"));
        assert!(spans.iter().any(|s| s.code && s.text == "code"));
        assert!(matches!(&doc.blocks[2], Block::Heading(2, _)));
    }

    #[test]
    fn nested_lists_keep_their_numbers_and_levels() {
        let doc = parse("3. three\n4. four\n   - a\n   - b\n     - deep\n\n- [x] done\n- [ ] todo\n");
        let Block::List { start: Some(3), items } = &doc.blocks[0] else { panic!("{:?}", doc.blocks) };
        assert_eq!(items.len(), 2);
        assert_eq!(text_of(&items[0].blocks[0]), "three");
        let Block::List { start: None, items: inner } = &items[1].blocks[1] else { panic!("{:?}", items[1]) };
        assert_eq!(inner.len(), 2);
        assert!(matches!(&inner[1].blocks[1], Block::List { items, .. } if items.len() == 1));
        let Block::List { items: tasks, .. } = &doc.blocks[1] else { panic!("{:?}", doc.blocks) };
        assert_eq!(tasks.iter().map(|i| i.checked).collect::<Vec<_>>(), [Some(true), Some(false)]);
        assert_eq!(text_of(&tasks[0].blocks[0]), "done");
    }

    #[test]
    fn code_quotes_rules_and_tables() {
        let doc = parse(
            "```json\n{\"a\": 1}\n```\n\n> quoted **text**\n\n---\n\n| Name | Type |\n| --- | ---: |\n| hits | Integer |\n",
        );
        assert_eq!(doc.blocks[0], Block::Code { language: "json".into(), text: "{\"a\": 1}".into() });
        assert!(matches!(&doc.blocks[1], Block::Quote(b) if text_of(&b[0]) == "quoted text"));
        assert_eq!(doc.blocks[2], Block::Rule);
        let Block::Table(t) = &doc.blocks[3] else { panic!("{:?}", doc.blocks[3]) };
        assert_eq!(t.alignments, [CellAlign::Left, CellAlign::Right]);
        assert_eq!(t.head.iter().map(|c| plain_text(c)).collect::<Vec<_>>(), ["Name", "Type"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(plain_text(&t.rows[0][1]), "Integer");
    }

    #[test]
    fn links_and_images_keep_their_addresses() {
        let doc = parse("See [the docs](https://example.com/d) and ![a cat](https://example.com/cat.png).");
        let Block::Paragraph(spans) = &doc.blocks[0] else { panic!() };
        let link = spans.iter().find(|s| s.text == "the docs").unwrap();
        assert_eq!(link.link.as_deref(), Some("https://example.com/d"));
        let image = spans.iter().find(|s| s.image).unwrap();
        assert_eq!(
            (image.text.as_str(), image.link.as_deref()),
            ("a cat", Some("https://example.com/cat.png"))
        );
    }

    #[test]
    fn html_loses_its_tags_and_keeps_its_text() {
        let doc = parse("You need a valid <a href=\"#auth\">API Key</a>.\n\n<div>\n<p>Block</p>\n</div>\n");
        assert_eq!(text_of(&doc.blocks[0]), "You need a valid API Key.");
        assert_eq!(text_of(&doc.blocks[1]), "Block");
        assert_eq!(strip_tags("a<br/>b <unclosed"), "a\nb <unclosed");
    }

    #[test]
    fn deep_nesting_is_flattened_not_a_stack_overflow() {
        let text = format!("{}deep", "> ".repeat(5000));
        let doc = parse(&text);
        let mut depth = 0;
        let mut blocks = &doc.blocks;
        while let Some(Block::Quote(inner)) = blocks.first() {
            depth += 1;
            blocks = inner;
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(text_of(&blocks[0]), "deep");
        let list =
            "- a\n".to_owned() + &(1..3000).map(|i| format!("{}- x\n", "  ".repeat(i))).collect::<String>();
        assert!(!parse(&list).blocks.is_empty());
    }

    #[test]
    fn any_text_parses() {
        for text in
            ["", "\u{0}", "*", "**", "[", "![", "|", "| a |\n|", "```", "<", "<<>>", "\t\t- \n", "é😀"]
        {
            let _ = parse(text);
        }
        assert!(parse("   ").blocks.is_empty());
    }
}
