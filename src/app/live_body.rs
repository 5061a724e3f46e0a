//! A response body shown while it arrives.
//!
//! The engine's body listener ([`crate::http::BodyListener`]) only counts the bytes and hands a
//! copy of each chunk to a `live-body` thread of the send; it never waits. That thread keeps
//! what the response panel shows during the download: the first [`WINDOW_HEAD_BYTES`] of text
//! and the last [`WINDOW_TAIL_BYTES`], indexed into rows (memory stays bounded for a 200 MB or an
//! endless body, and no frame does work that grows with the body). Meanwhile it prepares the
//! finished view's text: JSON re-indented as [`super::body::pretty_json`] would, other text
//! decoded and indexed, so that when the last byte arrives only the last chunk is left to do.
//! The send thread takes that text ([`LiveBody::complete`]) and the body view shows it at once
//! instead of preparing the whole body again.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::body::{TextDoc, looks_indented};
use super::live_text::{PrettyStream, RowIndexer, Utf8Stream, leading_rows};
use super::response::{BodyKind, ResponseOrigin, ResponseView, body_kind, format_size};
use crate::http::{BodyListener, LiveEvent, LiveHead};
use crate::model::Header;

/// The first bytes of text the live view keeps.
pub const WINDOW_HEAD_BYTES: usize = 1 << 20;
/// The latest bytes the live view keeps once the first part is full.
pub const WINDOW_TAIL_BYTES: usize = 64 << 10;
/// Bodies larger than this are not prepared during the download (the view prepares them
/// afterwards, as before); an endless body therefore costs nothing past it.
pub const PREPARE_MAX_BYTES: u64 = 512 << 20;
/// How much of the body decides how it is shown (as [`BodyView::new`] decides from it).
///
/// [`BodyView::new`]: super::response::BodyView::new
const DECIDE_BYTES: usize = 64 << 10;
/// When the last byte has arrived and at least this much is still to be formatted, the view is
/// given the formatted start at once (see [`LivePreview`]).
const PREVIEW_MIN_BACKLOG: u64 = 4 << 20;
/// The formatted start given to the view: at most this many bytes of text (a few hundred
/// thousand rows, far more than a screen), ...
const PREVIEW_MAX_BYTES: usize = 8 << 20;
/// ... once at least this much is formatted (or all of it is, nearly).
const PREVIEW_MIN_BYTES: usize = 1 << 20;
/// How often the live window is rebuilt while bytes keep coming.
const PUBLISH_EVERY: Duration = Duration::from_millis(50);
/// How long the view waits for the prepared text after the last byte before preparing it anew.
const PREPARED_WAIT: Duration = Duration::from_secs(600);

enum Msg {
    Head(LiveHead),
    Chunk(Vec<u8>),
    End,
}

/// Text prepared during the download for the finished view.
pub struct Prepared {
    pub doc: Arc<TextDoc>,
    /// `doc` is the pretty text (else the raw text).
    pub pretty: bool,
    pub kind: BodyKind,
    pub body_bytes: u64,
}

#[derive(Default)]
struct Shared {
    head: OnceLock<LiveHead>,
    received: AtomicU64,
    first_byte: OnceLock<Instant>,
    /// Nanoseconds from the first byte to the latest.
    last_byte_ns: AtomicU64,
    ended: AtomicBool,
    window: Mutex<Option<Arc<TextDoc>>>,
    /// Bytes between the first part and the latest part of the window (not shown).
    window_gap: AtomicU64,
    /// `Some` once the live-body thread is done: what it prepared, if anything.
    prepared: Mutex<Option<Option<Prepared>>>,
    /// The thread is preparing the finished view's text (it decided the body is text).
    preparing: AtomicBool,
    /// Body bytes decoded (and formatted) for the finished view so far.
    prepared_bytes: AtomicU64,
    /// The start of the finished view's text, given when the last byte came before the
    /// formatting caught up (the view lets go of it once the whole text is ready).
    preview: Mutex<Option<Arc<TextDoc>>>,
    done: Condvar,
}

/// The live side of one send; cheap to clone.
#[derive(Clone, Default)]
pub struct LiveBody {
    shared: Arc<Shared>,
    ctx: egui::Context,
}

impl LiveBody {
    /// A live body and the listener that feeds it (pass it to the send's `on_body`).
    pub fn start(ctx: &egui::Context) -> (Self, BodyListener) {
        let live = Self { shared: Arc::default(), ctx: ctx.clone() };
        let (tx, rx) = mpsc::channel::<Msg>();
        let shared = Arc::clone(&live.shared);
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new().name("live-body".into()).spawn(move || {
            Worker::new(Arc::clone(&shared), repaint).run(&rx);
        });
        if spawned.is_err() {
            // No thread: nothing is shown live and the view prepares the body as before.
            live.finish_with(None);
        }
        (live.clone(), listener(Arc::clone(&live.shared), tx, ctx.clone()))
    }

    /// The head of the response, once it arrived.
    pub fn head(&self) -> Option<&LiveHead> {
        self.shared.head.get()
    }

    /// Decoded body bytes received so far.
    pub fn received_bytes(&self) -> u64 {
        self.shared.received.load(Ordering::Relaxed)
    }

    /// Bytes a second since the first byte, once there is something to measure.
    pub fn rate_bytes_per_s(&self) -> Option<f64> {
        let first = self.shared.first_byte.get()?;
        let ns = if self.is_ended() {
            self.shared.last_byte_ns.load(Ordering::Relaxed)
        } else {
            u64::try_from(first.elapsed().as_nanos()).unwrap_or(u64::MAX)
        };
        let secs = ns as f64 / 1e9;
        (secs >= 0.05).then(|| self.received_bytes() as f64 / secs)
    }

    pub fn is_ended(&self) -> bool {
        self.shared.ended.load(Ordering::Relaxed)
    }

    /// The text shown while the body arrives (a bounded window of it), once the first chunk
    /// has been decoded.
    pub fn window(&self) -> Option<Arc<TextDoc>> {
        self.shared.window.lock().ok().and_then(|w| w.clone())
    }

    /// Bytes the window leaves out between its first part and its latest part.
    pub fn window_gap_bytes(&self) -> u64 {
        self.shared.window_gap.load(Ordering::Relaxed)
    }

    fn finish_with(&self, prepared: Option<Prepared>) {
        if prepared.is_none() {
            self.shared.preparing.store(false, Ordering::Relaxed);
        }
        if let Ok(mut slot) = self.shared.prepared.lock() {
            *slot = Some(prepared);
        }
        self.shared.done.notify_all();
    }

    /// Waits (on the send thread) for the text prepared during the download, at most `timeout`.
    pub fn wait_prepared(&self, timeout: Duration) -> Option<Prepared> {
        let slot = self.shared.prepared.lock().ok()?;
        let (mut slot, _) = self.shared.done.wait_timeout_while(slot, timeout, |s| s.is_none()).ok()?;
        slot.take().flatten()
    }

    /// Gives a finished live response view the text prepared during its download, so it shows
    /// formatted as soon as the last chunk is done; never waits: the view shows the raw text
    /// until then. Text prepared for another body (it should not happen) is prepared anew from
    /// the body. Does nothing when the send failed.
    pub fn complete(&self, view: Option<&mut ResponseView>) {
        let Some(view) = view.filter(|v| v.origin == ResponseOrigin::Live) else { return };
        if !self.is_ended() {
            return;
        }
        let preview = LivePreview { shared: Arc::clone(&self.shared) };
        let Some((pretty, reply)) = view.body_view.adopt_prepared(&self.ctx, preview) else { return };
        let (live, body, kind) = (self.clone(), view.body.clone(), view.body_view.kind);
        // If no thread can start, the reply is dropped and the view says so instead of waiting.
        let _ = std::thread::Builder::new().name("live-body-view".into()).spawn(move || {
            let doc = match live.wait_prepared(PREPARED_WAIT) {
                Some(p) if p.kind == kind && p.pretty == pretty && p.body_bytes == body.len() as u64 => p.doc,
                _ => Arc::new(prepare_anew(&body, pretty)),
            };
            reply.send(doc);
        });
    }
}

/// The engine's side of a live body: counts the bytes and queues each event for the thread.
fn listener(shared: Arc<Shared>, tx: mpsc::Sender<Msg>, ctx: egui::Context) -> BodyListener {
    Box::new(move |event: LiveEvent<'_>| {
        let msg = match event {
            LiveEvent::Head(head) => {
                let _ = shared.head.set(head.clone());
                Msg::Head(head.clone())
            }
            LiveEvent::Chunk(bytes) => {
                let first = *shared.first_byte.get_or_init(Instant::now);
                shared.received.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                let ns = u64::try_from(first.elapsed().as_nanos()).unwrap_or(u64::MAX);
                shared.last_byte_ns.store(ns, Ordering::Relaxed);
                Msg::Chunk(bytes.to_vec())
            }
            LiveEvent::End => {
                shared.ended.store(true, Ordering::Relaxed);
                Msg::End
            }
        };
        // A thread that is gone only means nothing is prepared; the body still arrives.
        let _ = tx.send(msg);
        ctx.request_repaint();
    })
}

/// The finished view's text while the live-body thread is still formatting it: at a loopback's
/// pace a 200 MB body arrives faster than one thread re-indents it, so when the last byte comes
/// most of it may be left to do. The view then shows the formatted start at once, says how much
/// is done, and takes the whole text when it is ready.
#[derive(Clone)]
pub struct LivePreview {
    shared: Arc<Shared>,
}

impl LivePreview {
    /// The formatted start, once there is one (and until the whole text is ready).
    pub fn doc(&self) -> Option<Arc<TextDoc>> {
        self.shared.preview.lock().ok().and_then(|p| p.clone())
    }

    /// Whether the live-body thread is preparing the text (so the view need not prepare it).
    pub fn coming(&self) -> bool {
        self.shared.preparing.load(Ordering::Relaxed)
    }

    /// How much of the body is formatted, from 0 to 1.
    pub fn done(&self) -> f32 {
        let total = self.shared.received.load(Ordering::Relaxed).max(1);
        (self.shared.prepared_bytes.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32
    }
}

/// What the thread prepares for the finished view.
enum Prep {
    /// Not decided yet: the first bytes, kept until they are enough to decide.
    Undecided(Vec<u8>),
    Text {
        utf8: Utf8Stream,
        pretty: Option<PrettyStream>,
        out: String,
        rows: RowIndexer,
        kind: BodyKind,
    },
    /// Nothing to prepare (binary, an event stream, too large).
    Off,
}

struct Worker {
    shared: Arc<Shared>,
    ctx: egui::Context,
    headers: Vec<Header>,
    total: u64,
    /// The window's first part.
    first: String,
    first_utf8: Utf8Stream,
    first_rows: RowIndexer,
    /// The window's latest bytes, once the first part is full.
    tail: VecDeque<u8>,
    prep: Prep,
    /// The formatted start was given to the view (see [`LivePreview`]).
    previewed: bool,
    published: Option<Instant>,
    dirty: bool,
}

impl Worker {
    fn new(shared: Arc<Shared>, ctx: egui::Context) -> Self {
        Self {
            shared,
            ctx,
            headers: Vec::new(),
            total: 0,
            first: String::new(),
            first_utf8: Utf8Stream::default(),
            first_rows: RowIndexer::default(),
            tail: VecDeque::new(),
            prep: Prep::Undecided(Vec::new()),
            previewed: false,
            published: None,
            dirty: false,
        }
    }

    fn run(mut self, rx: &mpsc::Receiver<Msg>) {
        loop {
            // Bytes not shown yet are shown after a short while even if nothing else comes.
            let msg = if self.dirty {
                match rx.recv_timeout(PUBLISH_EVERY) {
                    Ok(msg) => Ok(msg),
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        self.publish();
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => Err(()),
                }
            } else {
                rx.recv().map_err(drop)
            };
            let Ok(msg) = msg else {
                // The send failed: nothing to prepare.
                self.publish();
                return LiveBody { shared: Arc::clone(&self.shared), ctx: self.ctx.clone() }
                    .finish_with(None);
            };
            match msg {
                Msg::Head(head) => {
                    self.headers = head.headers.iter().map(|(k, v)| Header::new(k, v)).collect();
                }
                Msg::Chunk(bytes) => self.chunk(&bytes),
                Msg::End => {
                    self.publish();
                    let prepared = self.finish();
                    return LiveBody { shared: Arc::clone(&self.shared), ctx: self.ctx.clone() }
                        .finish_with(prepared);
                }
            }
            let due = self.published.is_none_or(|at| at.elapsed() >= PUBLISH_EVERY);
            if self.dirty && due {
                self.publish();
            }
        }
    }

    fn chunk(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        self.dirty = true;
        self.window_add(bytes);
        self.prep_add(bytes);
    }

    fn window_add(&mut self, bytes: &[u8]) {
        let room = WINDOW_HEAD_BYTES.saturating_sub(self.first.len());
        let (into_first, rest) = bytes.split_at(room.min(bytes.len()));
        if !into_first.is_empty() {
            let first = &mut self.first;
            self.first_utf8.push(into_first, |s| first.push_str(s));
            self.first_rows.feed(&self.first);
        }
        if !rest.is_empty() {
            self.tail.extend(rest);
            let over = self.tail.len().saturating_sub(WINDOW_TAIL_BYTES);
            self.tail.drain(..over);
        }
    }

    fn prep_add(&mut self, bytes: &[u8]) {
        if self.total > PREPARE_MAX_BYTES {
            self.prep = Prep::Off;
            self.shared.preparing.store(false, Ordering::Relaxed);
        }
        match &mut self.prep {
            Prep::Off => {}
            Prep::Undecided(buf) => {
                buf.extend_from_slice(bytes);
                if buf.len() >= DECIDE_BYTES {
                    let buf = std::mem::take(buf);
                    self.decide(&buf);
                }
            }
            Prep::Text { utf8, pretty, out, rows, .. } => {
                feed_text(utf8, pretty.as_mut(), out, rows, bytes);
                self.shared.prepared_bytes.store(self.total, Ordering::Relaxed);
                self.maybe_preview();
            }
        }
    }

    /// Gives the view the formatted start when the last byte has arrived and much is left.
    fn maybe_preview(&mut self) {
        let Prep::Text { pretty, out, rows, .. } = &self.prep else { return };
        let backlog = self.shared.received.load(Ordering::Relaxed).saturating_sub(self.total);
        if self.previewed
            || !self.shared.ended.load(Ordering::Relaxed)
            || backlog < PREVIEW_MIN_BACKLOG
            || out.len() < PREVIEW_MIN_BYTES
        {
            return;
        }
        self.previewed = true;
        let starts = match pretty {
            Some(p) => p.rows(),
            None => &rows.row_starts,
        };
        if let Some(doc) = leading_rows(out, starts, PREVIEW_MAX_BYTES)
            && let Ok(mut preview) = self.shared.preview.lock()
        {
            *preview = Some(Arc::new(doc));
            self.ctx.request_repaint();
        }
    }

    /// Decides from the first bytes what the finished view shows, as `BodyView::new` does.
    fn decide(&mut self, first: &[u8]) {
        let content_type = crate::model::find_header(&self.headers, "content-type").unwrap_or_default();
        let event_stream = content_type.to_ascii_lowercase().starts_with("text/event-stream");
        let kind = body_kind(&self.headers, first);
        self.prep = match kind {
            BodyKind::Json | BodyKind::Text if !event_stream => {
                let formatted = kind == BodyKind::Json && looks_indented(&first[..first.len().min(1 << 16)]);
                let want_pretty = kind == BodyKind::Json && !formatted;
                let mut prep = Prep::Text {
                    utf8: Utf8Stream::default(),
                    pretty: want_pretty.then(PrettyStream::default),
                    out: String::with_capacity(first.len() * 2),
                    rows: RowIndexer::default(),
                    kind,
                };
                if let Prep::Text { utf8, pretty, out, rows, .. } = &mut prep {
                    feed_text(utf8, pretty.as_mut(), out, rows, first);
                }
                self.shared.prepared_bytes.store(self.total, Ordering::Relaxed);
                self.shared.preparing.store(true, Ordering::Relaxed);
                prep
            }
            _ => Prep::Off,
        };
    }

    fn finish(&mut self) -> Option<Prepared> {
        if let Prep::Undecided(buf) = &mut self.prep {
            let buf = std::mem::take(buf);
            self.decide(&buf);
        }
        let Prep::Text { mut utf8, pretty, mut out, rows, kind } =
            std::mem::replace(&mut self.prep, Prep::Off)
        else {
            return None;
        };
        let is_pretty = pretty.is_some();
        let doc = match pretty {
            Some(mut p) => {
                utf8.finish(|s| p.push(s, &mut out));
                p.finish(&mut out);
                TextDoc { text: out, row_starts: p.into_rows() }
            }
            None => {
                utf8.finish(|s| out.push_str(s));
                rows.finish(out)
            }
        };
        Some(Prepared { doc: Arc::new(doc), pretty: is_pretty, kind, body_bytes: self.total })
    }

    /// Rebuilds the window the view shows.
    fn publish(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        self.published = Some(Instant::now());
        let doc = if self.tail.is_empty() {
            TextDoc { text: self.first.clone(), row_starts: self.first_rows.rows_so_far(&self.first) }
        } else {
            let gap = self.total.saturating_sub((self.first.len() + self.tail.len()) as u64);
            self.shared.window_gap.store(gap, Ordering::Relaxed);
            let (a, b) = self.tail.as_slices();
            let mut latest = Vec::with_capacity(a.len() + b.len());
            latest.extend_from_slice(a);
            latest.extend_from_slice(b);
            // Start at a character (and, when there is one close by, a line).
            let mut from = latest.iter().position(|&b| (b as i8) >= -0x40).unwrap_or(0);
            if let Some(nl) = memchr::memchr(b'\n', &latest[from..(from + 4096).min(latest.len())]) {
                from += nl + 1;
            }
            let mut text = self.first.clone();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&format!(
                "\n··· {} not shown while receiving; the latest part follows ···\n\n",
                format_size(gap + from as u64)
            ));
            text.push_str(&String::from_utf8_lossy(&latest[from..]));
            TextDoc::new(text)
        };
        if let Ok(mut window) = self.shared.window.lock() {
            *window = Some(Arc::new(doc));
        }
        self.ctx.request_repaint();
    }
}

impl super::App {
    /// Stops the body of a tab's send where it is: the response shows what arrived.
    pub(super) fn stop_body(&mut self, tab: super::state::TabId) {
        if let Some(r) = self.state.tab_mut(tab).and_then(super::state::Tab::request_mut)
            && let Some(in_flight) = &r.in_flight
        {
            in_flight.stop();
        }
    }
}

/// The text of a body prepared after the end, as the body view prepares it.
fn prepare_anew(body: &[u8], pretty: bool) -> TextDoc {
    let text = String::from_utf8_lossy(body).into_owned();
    if pretty {
        let never = AtomicBool::new(false);
        if let Some(formatted) = super::body::pretty_json(&text, &never) {
            return TextDoc::new(formatted);
        }
    }
    TextDoc::new(text)
}

/// Decodes the next bytes onto `out`: re-indented (the formatter indexes its rows) or as they
/// are (indexed by `rows`).
fn feed_text(
    utf8: &mut Utf8Stream,
    pretty: Option<&mut PrettyStream>,
    out: &mut String,
    rows: &mut RowIndexer,
    bytes: &[u8],
) {
    match pretty {
        Some(p) => utf8.push(bytes, |s| p.push(s, out)),
        None => {
            utf8.push(bytes, |s| out.push_str(s));
            rows.feed(out);
        }
    }
}

/// A body spilled to disk, read straight into the shared buffer the view keeps (one pass, no
/// copy of a 200 MB `Vec` into an `Arc`). Blocking: call it off the UI thread.
pub fn read_spilled(body: &crate::http::ResponseBody) -> std::io::Result<Arc<[u8]>> {
    use std::io::Read as _;
    let Some(path) = body.file_path() else { return Ok(Arc::from(&body.head()[..])) };
    let len = usize::try_from(body.len_bytes()).map_err(std::io::Error::other)?;
    let mut shared: Arc<[u8]> = std::iter::repeat_n(0u8, len).collect();
    match Arc::get_mut(&mut shared) {
        Some(buf) => std::fs::File::open(path)?.read_exact(buf)?,
        None => return Ok(Arc::from(&body.read_all()?[..])),
    }
    Ok(shared)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn feed(listener: &mut BodyListener, content_type: &str, chunks: &[&[u8]]) {
        let head = LiveHead {
            status: 200,
            reason: "OK".into(),
            headers: vec![("Content-Type".into(), content_type.into())],
            content_type: Some(content_type.into()),
        };
        listener(LiveEvent::Head(&head));
        for c in chunks {
            listener(LiveEvent::Chunk(c));
        }
        listener(LiveEvent::End);
    }

    #[test]
    fn json_arriving_in_pieces_is_prepared_pretty_as_the_view_would_format_it() {
        let ctx = egui::Context::default();
        let (live, mut listener) = LiveBody::start(&ctx);
        let body = br#"{"users":[{"id":1,"name":"Ann"},{"id":2,"name":"Bo"}],"empty":{}}"#;
        let chunks: Vec<&[u8]> = body.chunks(5).collect();
        feed(&mut listener, "application/json", &chunks);
        let prepared = live.wait_prepared(Duration::from_secs(10)).unwrap();
        let no = std::sync::atomic::AtomicBool::new(false);
        let expected = super::super::body::pretty_json(std::str::from_utf8(body).unwrap(), &no).unwrap();
        assert!(prepared.pretty);
        assert_eq!(prepared.kind, BodyKind::Json);
        assert_eq!(prepared.doc.text, expected);
        assert_eq!(prepared.doc.row_starts, TextDoc::new(expected).row_starts);
        assert_eq!(live.received_bytes(), body.len() as u64);
        assert!(live.window().unwrap().text.starts_with(r#"{"users""#));
        // The formatting kept up with the body: no start was given ahead of the whole.
        assert!(LivePreview { shared: Arc::clone(&live.shared) }.doc().is_none());
    }

    #[test]
    fn when_the_last_byte_comes_before_the_formatting_the_view_gets_the_formatted_start() {
        let ctx = egui::Context::default();
        let live = LiveBody { shared: Arc::default(), ctx: ctx.clone() };
        let (tx, rx) = mpsc::channel::<Msg>();
        let mut listener = listener(Arc::clone(&live.shared), tx, ctx.clone());
        let mut body = String::from(r#"{"items":["#);
        for i in 0..120_000 {
            body.push_str(&format!(r#"{{"id":{i},"name":"item {i}","tags":["a","b"],"ok":true}},"#));
        }
        body.push_str("null]}");
        let chunks: Vec<&[u8]> = body.as_bytes().chunks(64 << 10).collect();
        // The whole body arrives before the thread formats any of it.
        feed(&mut listener, "application/json", &chunks);
        let preview = LivePreview { shared: Arc::clone(&live.shared) };
        assert!(preview.coming() || preview.doc().is_none());
        Worker::new(Arc::clone(&live.shared), ctx).run(&rx);
        let whole = live.wait_prepared(Duration::from_secs(10)).unwrap();
        let start = preview.doc().expect("the formatted start");
        assert!(start.text.len() >= PREVIEW_MIN_BYTES && start.text.len() <= PREVIEW_MAX_BYTES);
        assert!(whole.doc.text.starts_with(&start.text), "the start of the whole text");
        assert!(start.text.ends_with('\n'), "whole rows only");
        assert_eq!(start.row_starts[..], whole.doc.row_starts[..start.rows()]);
        assert_eq!(start.row(1), r#"  "items": ["#);
        assert!(preview.coming());
        assert!((preview.done() - 1.0).abs() < f32::EPSILON);
    }

    #[test]
    fn the_view_shows_the_formatted_start_until_the_whole_text_comes() {
        let ctx = egui::Context::default();
        let shared = Arc::new(Shared::default());
        shared.preparing.store(true, Ordering::Relaxed);
        shared.received.store(100, Ordering::Relaxed);
        shared.prepared_bytes.store(40, Ordering::Relaxed);
        let mut view = super::super::response::BodyView::new(BodyKind::Json, Arc::from(&br#"{"a":1}"#[..]));
        let (pretty, reply) = view.adopt_prepared(&ctx, LivePreview { shared: Arc::clone(&shared) }).unwrap();
        assert!(pretty, "minified JSON is shown formatted");
        assert!(view.doc(&ctx).is_none());
        assert!(view.live_preview().is_none(), "no start given yet");
        assert!(view.text_coming(), "the view waits for the download's text instead of preparing its own");

        *shared.preview.lock().unwrap() = Some(Arc::new(TextDoc::new("{\n  \"a\": 1\n".into())));
        let (start, done) = view.live_preview().unwrap();
        assert_eq!(start.row(1), r#"  "a": 1"#);
        assert!((done - 0.4).abs() < 1e-6, "{done}");
        assert!(view.doc(&ctx).is_none());

        reply.send(Arc::new(TextDoc::new("{\n  \"a\": 1\n}".into())));
        assert_eq!(view.doc(&ctx).unwrap().rows(), 3);
        assert!(view.live_preview().is_none(), "the start is let go once the whole is there");
    }

    #[test]
    fn a_long_body_keeps_a_bounded_window_with_its_latest_part() {
        let ctx = egui::Context::default();
        let (live, mut listener) = LiveBody::start(&ctx);
        let line = b"0123456789 abcdefghij\n".repeat(1000);
        let mut chunks: Vec<&[u8]> = std::iter::repeat_n(&line[..], 100).collect();
        chunks.push(b"the very last line\n");
        feed(&mut listener, "text/plain", &chunks);
        assert!(live.wait_prepared(Duration::from_secs(10)).is_some());
        let window = live.window().unwrap();
        assert!(window.text.len() < WINDOW_HEAD_BYTES + WINDOW_TAIL_BYTES + 200);
        assert!(window.text.contains("not shown while receiving"));
        assert!(window.text.trim_end().ends_with("the very last line"));
        assert!(live.window_gap_bytes() > 0);
    }

    #[test]
    fn an_event_stream_or_a_binary_body_is_not_prepared() {
        for (ct, body) in
            [("text/event-stream", &b"data: 1\n\n"[..]), ("application/octet-stream", b"\0\x01\x02")]
        {
            let ctx = egui::Context::default();
            let (live, mut listener) = LiveBody::start(&ctx);
            feed(&mut listener, ct, &[body]);
            assert!(live.wait_prepared(Duration::from_secs(10)).is_none(), "{ct}");
            assert_eq!(live.received_bytes(), body.len() as u64);
        }
    }

    #[test]
    fn a_failed_send_ends_the_thread_without_a_prepared_text() {
        let ctx = egui::Context::default();
        let (live, listener) = LiveBody::start(&ctx);
        drop(listener);
        assert!(live.wait_prepared(Duration::from_secs(10)).is_none());
    }
}
