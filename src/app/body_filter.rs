//! The response filter, as Insomnia's: a JSONPath (RFC 9535, `serde_json_path`) over a JSON body,
//! an XPath 1.0 (`sxd-xpath`) over an XML body. It runs in the background; a newer expression
//! supersedes (cancels) an older one still running; the JSON body is parsed once and the parse is
//! shared by every later filter of the same response. The result is text: the matches as a
//! pretty JSON array, or the matched XML nodes one per line.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::body::{CancelFlag, TextDoc};
use super::job::{self, Job};
use super::json_tree::TreeView;

/// Typing pauses this long before the filter runs (Enter runs it at once).
pub const TYPING_PAUSE: Duration = Duration::from_millis(300);

/// The expression language a body is filtered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterLanguage {
    JsonPath,
    XPath,
}

impl FilterLanguage {
    /// The language for a body: JSON takes JSONPath; text that reads as XML takes XPath.
    pub fn for_body(is_json: bool, body: &[u8]) -> Option<Self> {
        if is_json {
            return Some(Self::JsonPath);
        }
        let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
        let head = text[start..text.len().min(start + 64)].to_ascii_lowercase();
        let html = head.starts_with(b"<!doctype html") || head.starts_with(b"<html");
        (head.starts_with(b"<") && !html).then_some(Self::XPath)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::JsonPath => "JSONPath",
            Self::XPath => "XPath",
        }
    }
}

/// What a filter found.
#[derive(Clone, Debug)]
pub enum FilterOutcome {
    /// The matches, as text to show (a pretty JSON array, or XML nodes one per line).
    Matches {
        count: usize,
        doc: Arc<TextDoc>,
    },
    NoMatch,
    /// The expression is not valid: the parser's message, with where.
    Invalid(String),
    /// The body cannot be read as JSON or XML.
    Unreadable(String),
}

/// A JSON body parsed once, shared by the filters run on it (or why it is not JSON).
pub type Parsed = Arc<OnceLock<Result<Arc<Value>, String>>>;

struct Running {
    query: String,
    job: Job<Option<FilterOutcome>>,
    cancel: CancelFlag,
}

/// A body's filter: what runs, what is shown.
pub struct BodyFilter {
    pub language: Option<FilterLanguage>,
    body: Arc<[u8]>,
    parsed: Parsed,
    running: Option<Running>,
    /// The expression the outcome is for, and the outcome.
    shown: Option<(String, FilterOutcome)>,
    /// The expression last seen in the box and when it changed (typing pauses before a run).
    typed: Option<(String, Instant)>,
    /// JSONPath matches as a tree, for the Tree view (built on first use).
    result_tree: Option<TreeView>,
}

impl BodyFilter {
    pub fn new(language: Option<FilterLanguage>, body: Arc<[u8]>) -> Self {
        Self {
            language,
            body,
            parsed: Parsed::default(),
            running: None,
            shown: None,
            typed: None,
            result_tree: None,
        }
    }

    /// Brings the filter in line with the expression in the box (`query`): clears it, keeps it,
    /// or starts a run (at once with `now`, else once typing pauses); picks up a finished run.
    pub fn update(&mut self, ctx: &egui::Context, query: &str, now: bool) {
        self.poll();
        let query = query.trim();
        let Some(language) = self.language else { return };
        if query.is_empty() {
            self.clear();
            return;
        }
        let current = |q: &str| q == query;
        if self.running.as_ref().is_some_and(|r| current(&r.query))
            || self.shown.as_ref().is_some_and(|(q, _)| current(q))
        {
            return;
        }
        let first = self.typed.is_none();
        let changed_at = match &self.typed {
            Some((q, at)) if q == query => *at,
            _ => {
                let at = Instant::now();
                self.typed = Some((query.to_owned(), at));
                at
            }
        };
        let waited = changed_at.elapsed();
        if !now && !first && waited < TYPING_PAUSE {
            ctx.request_repaint_after(TYPING_PAUSE - waited);
            return;
        }
        self.start(ctx, language, query);
    }

    fn start(&mut self, ctx: &egui::Context, language: FilterLanguage, query: &str) {
        if let Some(old) = self.running.take() {
            old.cancel.cancel();
        }
        let cancel = CancelFlag::default();
        let flag = cancel.clone();
        let body = self.body.clone();
        let parsed = self.parsed.clone();
        let expr = query.to_owned();
        let job = job::spawn(ctx, "filtering the body", move || match language {
            FilterLanguage::JsonPath => json_path(&body, &parsed, &expr, &flag.0),
            FilterLanguage::XPath => xpath(&body, &expr, &flag.0),
        });
        self.running = Some(Running { query: query.to_owned(), job, cancel });
    }

    fn poll(&mut self) {
        let Some(running) = self.running.take() else { return };
        let outcome = match running.job.try_take() {
            Ok(Ok(Some(outcome))) => outcome,
            Ok(Ok(None)) => return,
            Ok(Err(stopped)) => FilterOutcome::Unreadable(stopped),
            Err(job) => {
                self.running = Some(Running { job, ..running });
                return;
            }
        };
        self.result_tree = match (&outcome, self.language) {
            (FilterOutcome::Matches { doc, .. }, Some(FilterLanguage::JsonPath)) => {
                Some(TreeView::new(Arc::from(doc.text.as_bytes())))
            }
            _ => None,
        };
        self.shown = Some((running.query, outcome));
    }

    /// Back to the full body.
    pub fn clear(&mut self) {
        if let Some(old) = self.running.take() {
            old.cancel.cancel();
        }
        self.shown = None;
        self.typed = None;
        self.result_tree = None;
    }

    /// The last JSONPath matches as a tree.
    pub fn result_tree(&mut self) -> Option<&mut TreeView> {
        self.result_tree.as_mut()
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The outcome for the expression in the box, once known.
    pub fn outcome(&self, query: &str) -> Option<&FilterOutcome> {
        self.shown.as_ref().filter(|(q, _)| q == query.trim()).map(|(_, o)| o)
    }

    /// The last outcome, whichever expression it is for (shown while a newer one runs).
    pub fn last(&self) -> Option<&(String, FilterOutcome)> {
        self.shown.as_ref()
    }
}

impl Drop for BodyFilter {
    fn drop(&mut self) {
        if let Some(running) = &self.running {
            running.cancel.cancel();
        }
    }
}

/// `the text up to here` -> its position in characters, counted from 1.
fn char_position(text: &str, byte: usize) -> usize {
    let mut cut = byte.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text[..cut].chars().count() + 1
}

/// Runs a JSONPath over a JSON body (parsed once per response, see `parsed`). `None` if cancelled.
pub fn json_path(body: &[u8], parsed: &Parsed, query: &str, cancel: &AtomicBool) -> Option<FilterOutcome> {
    let path = match serde_json_path::JsonPath::parse(query) {
        Ok(path) => path,
        Err(e) => {
            // The crate counts from 0 at the start of the text (despite its doc).
            let at = char_position(query, e.position());
            return Some(FilterOutcome::Invalid(format!(
                "Invalid JSONPath at character {at}: {}",
                e.message()
            )));
        }
    };
    let value = parsed.get_or_init(|| {
        serde_json::from_slice::<Value>(body)
            .map(Arc::new)
            .map_err(|e| format!("The body is not valid JSON, so it cannot be filtered: {e}"))
    });
    let value = match value {
        Ok(value) => value.clone(),
        Err(e) => return Some(FilterOutcome::Unreadable(e.clone())),
    };
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    let matches = path.query(&value).all();
    if matches.is_empty() {
        return Some(FilterOutcome::NoMatch);
    }
    let count = matches.len();
    let text = serde_json::to_string_pretty(&matches).unwrap_or_default();
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    Some(FilterOutcome::Matches { count, doc: Arc::new(TextDoc::new(text)) })
}

/// Runs an XPath 1.0 over an XML body. `None` if cancelled.
pub fn xpath(body: &[u8], query: &str, cancel: &AtomicBool) -> Option<FilterOutcome> {
    use sxd_xpath::Value as X;
    let expr = match sxd_xpath::Factory::new().build(query) {
        Ok(Some(expr)) => expr,
        Ok(None) => return Some(FilterOutcome::Invalid("The XPath is empty".into())),
        Err(e) => return Some(FilterOutcome::Invalid(format!("Invalid XPath: {e}"))),
    };
    let text = String::from_utf8_lossy(body);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let package = match sxd_document::parser::parse(text) {
        Ok(package) => package,
        Err(e) => {
            let at = e.location().min(text.len());
            let line = text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let column = char_position(&text[text[..at].rfind('\n').map_or(0, |n| n + 1)..], at);
            return Some(FilterOutcome::Unreadable(format!(
                "The body is not well-formed XML (line {line}, column {column}), so it cannot be filtered: {e}"
            )));
        }
    };
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    let document = package.as_document();
    let value = match expr.evaluate(&sxd_xpath::Context::new(), document.root()) {
        Ok(value) => value,
        Err(e) => return Some(FilterOutcome::Invalid(format!("The XPath cannot be evaluated: {e}"))),
    };
    let (count, out) = match value {
        X::Nodeset(nodes) => {
            let nodes = nodes.document_order();
            let mut out = String::new();
            for node in &nodes {
                xml::write_node(*node, &mut out);
                out.push('\n');
            }
            (nodes.len(), out)
        }
        X::String(s) => (1, s),
        X::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => (1, format!("{n:.0}")),
        X::Number(n) => (1, n.to_string()),
        X::Boolean(b) => (1, b.to_string()),
    };
    if count == 0 {
        return Some(FilterOutcome::NoMatch);
    }
    Some(FilterOutcome::Matches { count, doc: Arc::new(TextDoc::new(out.trim_end_matches('\n').to_owned())) })
}

/// Matched XML nodes written back as XML.
mod xml {
    use sxd_document::dom::{ChildOfElement, ChildOfRoot, Element};
    use sxd_xpath::nodeset::Node;

    pub fn write_node(node: Node<'_>, out: &mut String) {
        match node {
            Node::Root(root) => {
                for child in root.children() {
                    match child {
                        ChildOfRoot::Element(e) => write_element(e, out),
                        ChildOfRoot::Comment(c) => out.push_str(&format!("<!--{}-->", c.text())),
                        ChildOfRoot::ProcessingInstruction(p) => write_pi(p.target(), p.value(), out),
                    }
                }
            }
            Node::Element(e) => write_element(e, out),
            Node::Attribute(a) => {
                out.push_str(&qualified(a.preferred_prefix(), a.name().local_part()));
                out.push_str("=\"");
                escape(a.value(), true, out);
                out.push('"');
            }
            Node::Text(t) => escape(t.text(), false, out),
            Node::Comment(c) => out.push_str(&format!("<!--{}-->", c.text())),
            Node::Namespace(n) => out.push_str(&format!("xmlns:{}=\"{}\"", n.prefix(), n.uri())),
            Node::ProcessingInstruction(p) => write_pi(p.target(), p.value(), out),
        }
    }

    fn qualified(prefix: Option<&str>, local: &str) -> String {
        prefix.map_or_else(|| local.to_owned(), |p| format!("{p}:{local}"))
    }

    fn write_pi(target: &str, value: Option<&str>, out: &mut String) {
        out.push_str(&format!("<?{target}"));
        if let Some(v) = value {
            out.push(' ');
            out.push_str(v);
        }
        out.push_str("?>");
    }

    fn write_element(e: Element<'_>, out: &mut String) {
        let name = qualified(e.preferred_prefix(), e.name().local_part());
        out.push('<');
        out.push_str(&name);
        for a in e.attributes() {
            out.push(' ');
            write_node(Node::Attribute(a), out);
        }
        let children = e.children();
        if children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for child in children {
            match child {
                ChildOfElement::Element(c) => write_element(c, out),
                ChildOfElement::Text(t) => escape(t.text(), false, out),
                ChildOfElement::Comment(c) => out.push_str(&format!("<!--{}-->", c.text())),
                ChildOfElement::ProcessingInstruction(p) => write_pi(p.target(), p.value(), out),
            }
        }
        out.push_str(&format!("</{name}>"));
    }

    fn escape(text: &str, attribute: bool, out: &mut String) {
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' if attribute => out.push_str("&quot;"),
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_json(body: &str, query: &str) -> FilterOutcome {
        json_path(body.as_bytes(), &Parsed::default(), query, &AtomicBool::new(false)).unwrap()
    }

    fn text(outcome: &FilterOutcome) -> String {
        match outcome {
            FilterOutcome::Matches { doc, .. } => doc.text.clone(),
            other => panic!("no matches: {other:?}"),
        }
    }

    #[test]
    fn a_json_path_gives_the_matches_as_a_pretty_array() {
        let body = r#"{"data": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3}]}"#;
        let out = run_json(body, "$.data[*].name");
        assert!(matches!(out, FilterOutcome::Matches { count: 2, .. }), "{out:?}");
        assert_eq!(text(&out), "[\n  \"a\",\n  \"b\"\n]");
        assert!(matches!(run_json(body, "$..id"), FilterOutcome::Matches { count: 3, .. }));
        assert!(matches!(run_json(body, "$.data[0:2]"), FilterOutcome::Matches { count: 2, .. }));
        assert!(matches!(run_json(body, "$.nothing"), FilterOutcome::NoMatch));
    }

    #[test]
    fn an_invalid_json_path_says_where() {
        let FilterOutcome::Invalid(message) = run_json("{}", "$.data[") else { panic!() };
        assert!(message.starts_with("Invalid JSONPath at character 7"), "{message}");
        let FilterOutcome::Invalid(message) = run_json("{}", "data") else { panic!() };
        assert!(message.contains("at character 1"), "{message}");
    }

    #[test]
    fn a_body_that_is_not_json_is_said_so() {
        let FilterOutcome::Unreadable(message) = run_json("{\"a\": ", "$.a") else { panic!() };
        assert!(message.contains("not valid JSON") && message.contains("line 1"), "{message}");
    }

    #[test]
    fn an_xpath_gives_the_matched_nodes() {
        let body = br#"<?xml version="1.0"?><store><book id="1"><title>Dune &amp; more</title></book><book id="2"><title>Emma</title></book></store>"#;
        let never = AtomicBool::new(false);
        let out = xpath(body, "//book/title", &never).unwrap();
        assert_eq!(text(&out), "<title>Dune &amp; more</title>\n<title>Emma</title>");
        assert_eq!(text(&xpath(body, "//book[2]/@id", &never).unwrap()), "id=\"2\"");
        assert_eq!(text(&xpath(body, "count(//book)", &never).unwrap()), "2");
        assert!(matches!(xpath(body, "//magazine", &never).unwrap(), FilterOutcome::NoMatch));
        let FilterOutcome::Invalid(message) = xpath(body, "//book[", &never).unwrap() else { panic!() };
        assert!(message.starts_with("Invalid XPath"), "{message}");
        let FilterOutcome::Unreadable(message) = xpath(b"<a>\n<b></a>", "//a", &never).unwrap() else {
            panic!()
        };
        assert!(message.contains("line 2"), "{message}");
    }

    #[test]
    fn the_language_follows_the_body() {
        assert_eq!(FilterLanguage::for_body(true, b"{}"), Some(FilterLanguage::JsonPath));
        assert_eq!(
            FilterLanguage::for_body(false, b"  <?xml version=\"1.0\"?><a/>"),
            Some(FilterLanguage::XPath)
        );
        assert_eq!(FilterLanguage::for_body(false, b"<!DOCTYPE html><html></html>"), None);
        assert_eq!(FilterLanguage::for_body(false, b"plain text"), None);
    }
}
