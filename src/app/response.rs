//! A response as the window shows it: from a live send, from history, or from a saved example.
//! Body preparation (indexing, pretty-printing, search) runs in the background; the view polls.

use super::job::{self, Job};
use std::sync::Arc;

use poll_promise::Promise;
use time::OffsetDateTime;

use super::body::{CancelFlag, TextDoc, find_all, looks_like_json, pretty_json};
use crate::model::{Header, ResponseRecord, SentRequest, find_header};

/// Where a shown response came from.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseOrigin {
    Live,
    History(OffsetDateTime),
    Example(String),
    /// A result of a collection run: `run <name> · iteration i · request r`.
    Run(String),
}

/// How the body is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyMode {
    Pretty,
    /// A JSON body as a foldable tree.
    Tree,
    Raw,
    Hex,
    Preview,
}

/// What the body is, judged from its `Content-Type` and its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Text,
    Image,
    Binary,
    Empty,
}

pub struct ResponseView {
    pub status: u16,
    pub reason: String,
    pub http_version: String,
    pub time_ms: u64,
    pub size_bytes: u64,
    pub wire_size_bytes: Option<u64>,
    pub headers: Vec<Header>,
    pub body: Arc<[u8]>,
    /// The body kept (history) was cut; the full one is gone.
    pub body_truncated: bool,
    /// The request as sent, secrets in clear: shown masked (see `redactions`) until revealed.
    pub sent: SentRequest,
    /// What is secret in `sent` (auth headers, secret variables' values).
    pub redactions: crate::http::Redactions,
    /// Each hop of a redirect chain: status and the URL it pointed to.
    pub redirects: Vec<(u16, String)>,
    /// Timing phases in milliseconds, in order.
    pub timing: Vec<(String, f64)>,
    pub remote_addr: Option<String>,
    pub origin: ResponseOrigin,
    pub body_view: BodyView,
    /// The user stopped the body before it ended: `body` is what arrived until then.
    pub stopped: bool,
}

impl ResponseView {
    /// A response kept in history or an example.
    pub fn from_record(record: &ResponseRecord, sent: SentRequest, origin: ResponseOrigin) -> Self {
        let body: Arc<[u8]> =
            record.body.as_ref().map(crate::model::StoredBody::to_bytes).unwrap_or_default().into();
        let kind = body_kind(&record.headers, &body);
        Self {
            status: record.status,
            reason: record.reason.clone(),
            http_version: record.http_version.clone(),
            time_ms: record.time_ms,
            size_bytes: record.size_bytes,
            wire_size_bytes: record.wire_size_bytes,
            headers: record.headers.clone(),
            body_view: BodyView::new(kind, body.clone()),
            body,
            body_truncated: record.body_truncated,
            sent,
            // A kept record was redacted when it was kept.
            redactions: crate::http::Redactions::default(),
            redirects: Vec::new(),
            timing: vec![("Total".into(), record.time_ms as f64)],
            remote_addr: None,
            origin,
            stopped: false,
        }
    }
}

/// A size for people: `37.2 MB`.
pub fn format_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b if b < 1024 * 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
        b => format!("{:.2} GB", b as f64 / 1024.0 / 1024.0 / 1024.0),
    }
}

/// Decides how to show a body.
pub fn body_kind(headers: &[Header], body: &[u8]) -> BodyKind {
    if body.is_empty() {
        return BodyKind::Empty;
    }
    let content_type = find_header(headers, "content-type").unwrap_or_default().to_ascii_lowercase();
    if content_type.starts_with("image/") && !content_type.contains("svg") {
        return BodyKind::Image;
    }
    if content_type.contains("json") || looks_like_json(&body[..body.len().min(64)]) {
        return BodyKind::Json;
    }
    let sample = &body[..body.len().min(8192)];
    let text_like = content_type.starts_with("text/")
        || content_type.contains("xml")
        || content_type.contains("javascript")
        || content_type.contains("html")
        || content_type.contains("urlencoded");
    let valid = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // A sample may end inside a character.
        Err(e) => e.valid_up_to() + 4 >= sample.len() && e.error_len().is_none(),
    };
    if text_like || (valid && !sample.contains(&0)) { BodyKind::Text } else { BodyKind::Binary }
}

/// Search state of a body.
#[derive(Default)]
pub struct FindState {
    pub query: String,
    pub open: bool,
    searched: String,
    pending: Option<Job<Vec<usize>>>,
    pub matches: Arc<Vec<usize>>,
    pub current: usize,
    /// A row to bring into view on the next frame.
    pub scroll_to_row: Option<usize>,
}

impl FindState {
    pub fn is_searching(&self) -> bool {
        self.pending.is_some()
    }

    pub fn next(&mut self, forward: bool) {
        if self.matches.is_empty() {
            return;
        }
        let n = self.matches.len();
        self.current = if forward { (self.current + 1) % n } else { (self.current + n - 1) % n };
    }
}

/// The body's display state: prepared text (raw and pretty), the mode, and find.
pub struct BodyView {
    pub kind: BodyKind,
    pub mode: BodyMode,
    body: Arc<[u8]>,
    raw: Option<Job<Arc<TextDoc>>>,
    pretty: Option<Job<Arc<TextDoc>>>,
    /// The JSON arrived indented already: the pretty view is the raw text, highlighted, and a
    /// big body is not formatted a second time.
    formatted: bool,
    pub find: FindState,
    cancel: CancelFlag,
    /// The JSON tree (built on first use).
    pub tree: super::json_tree::TreeView,
    /// The JSONPath / XPath filter and the expression in its box (seeded from the tab's).
    pub filter: super::body_filter::BodyFilter,
    pub filter_query: String,
    pub filter_seeded: bool,
    /// The formatted start of a body whose text is still being prepared during its download
    /// (see [`super::live_body::LivePreview`]).
    live_preview: Option<super::live_body::LivePreview>,
}

/// Results (matches) are capped so a search for "a" in 200 MB stays bounded.
pub const MAX_MATCHES: usize = 100_000;

impl BodyView {
    pub fn new(kind: BodyKind, body: Arc<[u8]>) -> Self {
        let mode = match kind {
            BodyKind::Json => BodyMode::Pretty,
            BodyKind::Image => BodyMode::Preview,
            BodyKind::Binary => BodyMode::Hex,
            BodyKind::Text | BodyKind::Empty => BodyMode::Raw,
        };
        let formatted =
            kind == BodyKind::Json && super::body::looks_indented(&body[..body.len().min(1 << 16)]);
        let tree = super::json_tree::TreeView::new(body.clone());
        let language = super::body_filter::FilterLanguage::for_body(kind == BodyKind::Json, &body);
        let filter = super::body_filter::BodyFilter::new(language, body.clone());
        Self {
            kind,
            mode,
            body,
            raw: None,
            pretty: None,
            formatted,
            find: FindState::default(),
            cancel: CancelFlag::default(),
            tree,
            filter,
            filter_query: String::new(),
            filter_seeded: false,
            live_preview: None,
        }
    }

    pub fn bytes(&self) -> &Arc<[u8]> {
        &self.body
    }

    /// The text document for the current mode, started in the background on first use.
    /// `None` while it is being prepared (or for hex/preview).
    pub fn doc(&mut self, ctx: &egui::Context) -> Option<Arc<TextDoc>> {
        let pretty = self.mode == BodyMode::Pretty && self.kind == BodyKind::Json && !self.formatted;
        if !matches!(self.mode, BodyMode::Pretty | BodyMode::Raw) {
            return None;
        }
        self.doc_of(ctx, pretty)
    }

    /// The raw text, started in the background on first use: what the pretty view shows while
    /// the body is still being formatted.
    pub fn raw_doc(&mut self, ctx: &egui::Context) -> Option<Arc<TextDoc>> {
        self.doc_of(ctx, false)
    }

    /// Lets text prepared while the body arrived (see [`super::live_body`]) fill this view:
    /// returns whether the pretty text is wanted (else the raw text) and where to send it;
    /// `None` for a body without text or a view already preparing its own.
    pub fn adopt_prepared(
        &mut self,
        ctx: &egui::Context,
        preview: super::live_body::LivePreview,
    ) -> Option<(bool, job::Reply<Arc<TextDoc>>)> {
        if !matches!(self.kind, BodyKind::Json | BodyKind::Text)
            || self.raw.is_some()
            || self.pretty.is_some()
        {
            return None;
        }
        let wants_pretty = self.kind == BodyKind::Json && !self.formatted;
        let (reply, doc) = job::reply(ctx, "formatting the body");
        if wants_pretty {
            self.pretty = Some(doc);
        } else {
            self.raw = Some(doc);
        }
        self.live_preview = Some(preview);
        Some((wants_pretty, reply))
    }

    /// While the text is being prepared during the download: the formatted start to show and
    /// how much of the body is done (0 to 1).
    pub fn live_preview(&self) -> Option<(Arc<TextDoc>, f32)> {
        let preview = self.live_preview.as_ref()?;
        Some((preview.doc()?, preview.done()))
    }

    /// Whether the text is coming from the download's preparation (the raw text need not be
    /// prepared to be shown meanwhile).
    pub fn text_coming(&self) -> bool {
        self.live_preview.as_ref().is_some_and(super::live_body::LivePreview::coming)
    }

    /// A search typed while the document was being prepared starts once it is ready.
    pub fn resume_search(&mut self, ctx: &egui::Context) {
        if !self.find.query.is_empty() && self.find.query != self.find.searched && !self.find.is_searching() {
            self.search(ctx);
        }
    }

    fn doc_of(&mut self, ctx: &egui::Context, pretty: bool) -> Option<Arc<TextDoc>> {
        // The pretty text comes with the raw one, unless it was adopted from the download.
        if (pretty && self.pretty.is_none()) || (!pretty && self.raw.is_none()) {
            self.prepare(ctx);
        }
        let slot = if pretty { &self.pretty } else { &self.raw };
        // Work that stopped unexpectedly shows its reason instead of the body.
        let doc = slot.as_ref().and_then(|p| p.ready()).map(|r| match r {
            Ok(doc) => doc.clone(),
            Err(e) => Arc::new(TextDoc::new(e.clone())),
        });
        if doc.is_some() {
            self.live_preview = None;
        }
        doc
    }

    /// One background thread prepares the raw text first (shown at once) and then, for JSON
    /// that is not laid out yet, the pretty text from it: the raw view is not slowed down by the
    /// formatting, and the body is decoded once.
    fn prepare(&mut self, ctx: &egui::Context) {
        let (raw_tx, raw) = job::reply(ctx, "reading the body");
        // Pretty text prepared during the download is kept (see `install_prepared`).
        let want_pretty = self.kind == BodyKind::Json && !self.formatted && self.pretty.is_none();
        let (pretty_tx, pretty) = if want_pretty {
            let (tx, p) = job::reply(ctx, "formatting the body");
            (Some(tx), Some(p))
        } else {
            (None, None)
        };
        let body = self.body.clone();
        let cancel = self.cancel.clone();
        let spawned = std::thread::Builder::new().name("body-index".into()).spawn(move || {
            let raw = Arc::new(TextDoc::new(String::from_utf8_lossy(&body).into_owned()));
            raw_tx.send(raw.clone());
            if let Some(tx) = pretty_tx {
                let doc = match pretty_json(&raw.text, &cancel.0) {
                    Some(text) => Arc::new(TextDoc::new(text)),
                    None => raw,
                };
                tx.send(doc);
            }
        });
        if spawned.is_err() {
            // No thread to prepare it: an empty view rather than a frozen window.
            self.raw = Some(Promise::from_ready(Ok(Arc::new(TextDoc::default()))));
            if want_pretty {
                self.pretty = Some(Promise::from_ready(Ok(Arc::new(TextDoc::default()))));
            }
            return;
        }
        self.raw = Some(raw);
        if want_pretty {
            self.pretty = pretty;
        }
    }

    /// Starts (or restarts) a search for the query over the current document.
    pub fn search(&mut self, ctx: &egui::Context) {
        let Some(doc) = self.doc(ctx) else { return };
        if self.find.query == self.find.searched
            && (self.find.pending.is_some() || !self.find.matches.is_empty())
        {
            return;
        }
        self.find.searched = self.find.query.clone();
        let query = self.find.query.clone();
        let cancel = self.cancel.clone();
        self.find.pending = Some(job::spawn(ctx, "finding in the body", move || {
            find_all(&doc.text, &query, MAX_MATCHES, &cancel.0)
        }));
    }

    /// Picks up a finished search.
    pub fn poll_find(&mut self, doc: &TextDoc) {
        if let Some(p) = self.find.pending.take() {
            match p.try_take() {
                Ok(matches) => {
                    // A search that stopped unexpectedly finds nothing; the body stays as shown.
                    self.find.matches = Arc::new(matches.unwrap_or_default());
                    self.find.current = 0;
                    self.find.scroll_to_row = self.find.matches.first().map(|&m| doc.row_of(m));
                }
                Err(p) => self.find.pending = Some(p),
            }
        }
    }

    /// The mode changed: results refer to another text.
    pub fn reset_find(&mut self) {
        self.find.matches = Arc::new(Vec::new());
        self.find.searched.clear();
        self.find.pending = None;
    }

    pub fn is_busy(&self) -> bool {
        let busy = |p: &Option<Job<Arc<TextDoc>>>| p.as_ref().is_some_and(|p| p.ready().is_none());
        busy(&self.raw)
            || busy(&self.pretty)
            || self.find.pending.is_some()
            || self.tree.is_busy()
            || self.filter.is_running()
    }
}

impl Drop for BodyView {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}
