//! Server-Sent Events as they arrive: the log a `text/event-stream` response fills while it
//! streams, and the listener that fills it.
//!
//! The engine hands every send's body to a [`crate::http::BodyListener`] on its own thread.
//! [`listener`] waits for the head: when its content type is `text/event-stream`, it reads the
//! chunks through an [`EventStream`] and appends each event to an [`SseLog`] shared with the UI
//! (an `Arc<Mutex<..>>`), then asks for a repaint. The log keeps the newest events in memory (at
//! most [`SseLog::MAX_EVENTS`] of them and [`SseLog::MAX_DATA_BYTES`] of data) and counts the
//! ones it let go; the whole body stays in the response (spilled to disk when it is big), so
//! nothing is lost. The UI takes what it draws with [`SseLog::snapshot_rows`], a few rows a
//! frame, and never holds the lock while it lays out text.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use time::OffsetDateTime;

pub use crate::http::sse::is_event_stream;
use crate::http::sse::{Event, EventStream, Ignored};

/// One event and when it arrived.
#[derive(Clone, Debug)]
pub struct Received {
    /// Its place in the stream, from 0 (kept when older events are let go).
    pub seq: u64,
    pub at: OffsetDateTime,
    pub event: Event,
}

/// What the UI reads of the log besides the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogSummary {
    /// The response said `text/event-stream`.
    pub is_stream: bool,
    /// Events received, kept or not.
    pub total: u64,
    /// The oldest events let go to keep memory bounded.
    pub dropped: u64,
    /// Lines the standard says to ignore (comments, unknown fields, bad values).
    pub ignored: Ignored,
    /// Events whose data was cut at the per-event bound.
    pub truncated: u64,
    /// The body ended (or was stopped).
    pub ended: bool,
    /// The stream ended in the middle of an event, which was dropped as the standard says.
    pub unfinished_dropped: bool,
    /// Bumped on every change, so the UI knows when to look again.
    pub generation: u64,
}

#[derive(Default)]
struct LogInner {
    summary: LogSummary,
    events: VecDeque<Received>,
    data_bytes: usize,
}

/// The events of one send, shared between the engine's thread and the UI.
#[derive(Default)]
pub struct SseLog {
    inner: Mutex<LogInner>,
}

impl std::fmt::Debug for SseLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SseLog").field("summary", &self.summary()).finish_non_exhaustive()
    }
}

impl SseLog {
    /// Events kept in memory; older ones are counted in [`LogSummary::dropped`].
    pub const MAX_EVENTS: usize = 50_000;
    /// Data kept in memory, all events together.
    pub const MAX_DATA_BYTES: usize = 64 * 1024 * 1024;

    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn lock(&self) -> MutexGuard<'_, LogInner> {
        // A panic while holding the lock leaves plain data behind: keep using it.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn summary(&self) -> LogSummary {
        self.lock().summary
    }

    fn start(&self) {
        let mut inner = self.lock();
        *inner = LogInner::default();
        inner.summary.is_stream = true;
        inner.summary.generation = 1;
    }

    /// Appends events, letting the oldest go past the bounds.
    pub fn append(&self, events: Vec<Event>, ignored: Ignored) {
        let at = OffsetDateTime::now_utc();
        let mut inner = self.lock();
        let inner = &mut *inner;
        for event in events {
            let seq = inner.summary.total;
            inner.summary.total += 1;
            inner.summary.truncated += u64::from(event.truncated);
            inner.data_bytes += event.data.len();
            inner.events.push_back(Received { seq, at, event });
        }
        while inner.events.len() > Self::MAX_EVENTS
            || (inner.data_bytes > Self::MAX_DATA_BYTES && inner.events.len() > 1)
        {
            if let Some(old) = inner.events.pop_front() {
                inner.data_bytes -= old.event.data.len();
                inner.summary.dropped += 1;
            }
        }
        inner.summary.ignored = ignored;
        inner.summary.generation += 1;
    }

    fn end(&self, unfinished_dropped: bool, ignored: Ignored) {
        let mut inner = self.lock();
        inner.summary.ended = true;
        inner.summary.unfinished_dropped = unfinished_dropped;
        inner.summary.ignored = ignored;
        inner.summary.generation += 1;
    }

    /// The kept events with `seq` in `seqs` (ascending), cloned out of the lock.
    pub fn rows(&self, seqs: &[u64]) -> Vec<Received> {
        let inner = self.lock();
        let first = inner.summary.dropped;
        seqs.iter()
            .filter_map(|&seq| seq.checked_sub(first).and_then(|i| usize::try_from(i).ok()))
            .filter_map(|i| inner.events.get(i).cloned())
            .collect()
    }

    /// The `seq` of each kept event from `from_seq` on that `keep` accepts, and the `seq` the
    /// next event will have.
    pub fn matching(&self, from_seq: u64, mut keep: impl FnMut(&Event) -> bool) -> (Vec<u64>, u64) {
        let inner = self.lock();
        let skip = from_seq.saturating_sub(inner.summary.dropped);
        let skip = usize::try_from(skip).unwrap_or(usize::MAX).min(inner.events.len());
        let seqs = inner.events.range(skip..).filter(|r| keep(&r.event)).map(|r| r.seq).collect();
        (seqs, inner.summary.total)
    }
}

/// What the event view asks of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SseCommand {
    /// Ends the stream of a tab's send where it is; its events stay.
    Stop(super::state::TabId),
}

impl super::App {
    pub(super) fn sse_command(&mut self, command: SseCommand) {
        match command {
            SseCommand::Stop(tab) => {
                if let Some(f) = self
                    .state
                    .tab(tab)
                    .and_then(super::state::Tab::request)
                    .and_then(|r| r.in_flight.as_ref())
                {
                    f.stop();
                }
            }
        }
    }
}

/// The events of one send as a tab shows them: the shared log and the view's own state.
#[derive(Debug)]
pub struct SseSession {
    pub log: Arc<SseLog>,
    /// Shows rows whose event type or data holds this (ignoring case).
    pub filter: String,
    /// Keeps the newest row in sight; unticked, the list stays where the user scrolled.
    pub follow: bool,
    /// The row whose whole data shows below the list.
    pub opened: Option<u64>,
    /// The opened row's data as shown (pretty JSON when it is JSON), kept while it is open.
    opened_text: Option<(u64, Arc<str>)>,
    shown: Shown,
}

/// The rows the filter lets through, brought up to date as events arrive.
#[derive(Debug, Default)]
struct Shown {
    query: String,
    generation: u64,
    next_seq: u64,
    seqs: Vec<u64>,
}

/// The most data the opened row formats as JSON; more shows as it came.
const PRETTY_MAX_BYTES: usize = 256 * 1024;

impl SseSession {
    /// A fresh view and the listener that fills its log; the listener asks `ctx` for a
    /// repaint when events arrive.
    pub fn start(ctx: &egui::Context) -> (Self, crate::http::BodyListener) {
        let log = SseLog::new();
        let ctx = ctx.clone();
        let mut reader = SseReader::new(log.clone(), Box::new(move || ctx.request_repaint()));
        let listener: crate::http::BodyListener = Box::new(move |event| match event {
            crate::http::LiveEvent::Head(head) => reader.head(head.content_type.as_deref()),
            crate::http::LiveEvent::Chunk(bytes) => reader.chunk(bytes),
            crate::http::LiveEvent::End => reader.end(),
        });
        (Self::new(log), listener)
    }

    pub fn new(log: Arc<SseLog>) -> Self {
        Self {
            log,
            filter: String::new(),
            follow: true,
            opened: None,
            opened_text: None,
            shown: Shown::default(),
        }
    }

    /// Whether the response was an event stream.
    pub fn is_stream(&self) -> bool {
        self.log.summary().is_stream
    }

    /// The `seq` of each row the filter lets through, oldest first.
    pub fn shown_seqs(&mut self) -> &[u64] {
        let summary = self.log.summary();
        let shown = &mut self.shown;
        if shown.query != self.filter {
            *shown = Shown { query: self.filter.clone(), ..Shown::default() };
        }
        if shown.generation != summary.generation {
            let needle = shown.query.trim().to_lowercase();
            let (seqs, next) = self.log.matching(shown.next_seq, |e| {
                needle.is_empty() || contains_folded(&e.event, &needle) || contains_folded(&e.data, &needle)
            });
            shown.seqs.extend(seqs);
            shown.next_seq = next;
            shown.generation = summary.generation;
            let gone = shown.seqs.partition_point(|&s| s < summary.dropped);
            shown.seqs.drain(..gone);
        }
        &shown.seqs
    }

    /// The opened row's event and its data as shown (pretty JSON when it parses).
    pub fn opened_event(&mut self) -> Option<(Received, Arc<str>)> {
        let seq = self.opened?;
        let row = self.log.rows(&[seq]).pop()?;
        let text = match &self.opened_text {
            Some((at, text)) if *at == seq => text.clone(),
            _ => {
                let text: Arc<str> = Arc::from(pretty_data(&row.event.data));
                self.opened_text = Some((seq, text.clone()));
                text
            }
        };
        Some((row, text))
    }
}

fn contains_folded(text: &str, lower_needle: &str) -> bool {
    if text.is_ascii() && lower_needle.is_ascii() {
        let (t, n) = (text.as_bytes(), lower_needle.as_bytes());
        return n.len() <= t.len() && t.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    text.to_lowercase().contains(lower_needle)
}

/// An event's data as the opened row shows it: indented when it is JSON (and not huge).
pub fn pretty_data(data: &str) -> String {
    let trimmed = data.trim_start();
    if data.len() <= PRETTY_MAX_BYTES
        && (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(data).is_ok()
        && let Some(pretty) = super::body::pretty_json(data, &std::sync::atomic::AtomicBool::new(false))
    {
        // Re-indented token by token: the keys keep the server's order.
        return pretty;
    }
    data.to_owned()
}

/// One line of an event's data for its row: lines joined with ¶, cut at `max_chars`.
pub fn one_line(data: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, c) in data.chars().enumerate() {
        if i >= max_chars {
            out.push('…');
            break;
        }
        out.push(if c == '\n' { '¶' } else { c });
    }
    out
}

/// Reads a body as an event stream when its head says it is one. Runs on the engine's thread.
pub struct SseReader {
    log: Arc<SseLog>,
    stream: Option<EventStream>,
    repaint: Box<dyn Fn() + Send>,
}

impl SseReader {
    pub fn new(log: Arc<SseLog>, repaint: Box<dyn Fn() + Send>) -> Self {
        Self { log, stream: None, repaint }
    }

    /// The head arrived: an event stream starts a fresh log.
    pub fn head(&mut self, content_type: Option<&str>) {
        if content_type.is_some_and(is_event_stream) {
            self.log.start();
            self.stream = Some(EventStream::new());
            (self.repaint)();
        }
    }

    pub fn chunk(&mut self, bytes: &[u8]) {
        let Some(stream) = &mut self.stream else { return };
        let events = stream.push(bytes);
        if events.is_empty() && stream.ignored == self.log.summary().ignored {
            return;
        }
        self.log.append(events, stream.ignored);
        (self.repaint)();
    }

    pub fn end(&mut self) {
        let Some(stream) = &mut self.stream else { return };
        let dropped = stream.finish();
        self.log.end(dropped, stream.ignored);
        (self.repaint)();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader() -> (SseReader, Arc<SseLog>, Arc<std::sync::atomic::AtomicUsize>) {
        let log = SseLog::new();
        let repaints = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = repaints.clone();
        let repaint = Box::new(move || {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        (SseReader::new(log.clone(), repaint), log, repaints)
    }

    #[test]
    fn data_shows_pretty_when_json_and_on_one_line_in_rows() {
        assert_eq!(pretty_data(r#"{"b":1,"a":[2]}"#), "{\n  \"b\": 1,\n  \"a\": [\n    2\n  ]\n}");
        assert_eq!(pretty_data("{not json"), "{not json");
        assert_eq!(pretty_data("42"), "42");
        assert_eq!(one_line("a\nb", 10), "a¶b");
        assert_eq!(one_line("ééééé", 3), "ééé…");
    }

    #[test]
    fn content_types_that_are_event_streams() {
        assert!(is_event_stream("text/event-stream"));
        assert!(is_event_stream("Text/Event-Stream; charset=utf-8"));
        assert!(!is_event_stream("text/plain"));
        assert!(!is_event_stream("text/event-streams"));
    }

    #[test]
    fn a_stream_fills_the_log_in_order_and_asks_for_repaints() {
        let (mut r, log, repaints) = reader();
        r.head(Some("text/event-stream"));
        r.chunk(b"id: 1\nevent: tick\ndata: {\"n\":1}\n\n: keep-alive\n");
        r.chunk(b"data: two\r\n\r\nda");
        r.chunk(b"ta: half");
        r.end();
        let s = log.summary();
        assert!(s.is_stream && s.ended && s.unfinished_dropped);
        assert_eq!((s.total, s.dropped, s.ignored.comments), (2, 0, 1));
        let rows = log.rows(&[0, 1]);
        assert_eq!(rows[0].event.event, "tick");
        assert_eq!(rows[0].event.id, "1");
        assert_eq!(rows[1].event.data, "two");
        assert_eq!(rows[1].event.id, "1", "the last id stays in effect");
        assert!(repaints.load(std::sync::atomic::Ordering::Relaxed) >= 3);
    }

    #[test]
    fn other_bodies_leave_the_log_alone() {
        let (mut r, log, _) = reader();
        r.head(Some("application/json"));
        r.chunk(b"data: x\n\n");
        r.end();
        assert_eq!(log.summary(), LogSummary::default());
    }

    #[test]
    fn the_log_keeps_the_newest_events_and_counts_the_rest() {
        let log = SseLog::new();
        log.start();
        let event = |i: usize| Event {
            event: "message".into(),
            id: i.to_string(),
            data: "x".into(),
            retry_ms: None,
            truncated: false,
        };
        log.append((0..SseLog::MAX_EVENTS + 10).map(event).collect(), Ignored::default());
        let s = log.summary();
        assert_eq!((s.total, s.dropped), (SseLog::MAX_EVENTS as u64 + 10, 10));
        assert!(log.rows(&[0, 9]).is_empty(), "dropped events are gone");
        assert_eq!(log.rows(&[10])[0].event.id, "10");
        let (odd, next) = log.matching(0, |e| e.id.ends_with('1'));
        assert_eq!(odd.first(), Some(&11));
        assert_eq!(next, SseLog::MAX_EVENTS as u64 + 10);
    }
}
