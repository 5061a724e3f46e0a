//! The live log of a WebSocket tab: every message and connection event, in order.
//!
//! Memory stays bounded however long a connection lives: the newest entries are kept in memory
//! (at most [`WINDOW_ENTRIES`] entries and [`WINDOW_BYTES`] bytes of text), older ones are
//! appended to an unnamed temporary file (deleted by the system when the tab closes) by a
//! background thread ([`super::spill`]). Scrolling into the spilled part asks that thread for
//! pages of entries, searching and filtering asks it to scan the file; the log shows "loading"
//! rows until the answer comes, and the UI thread never reads the file.
//!
//! Entries are addressed by their position since the log was last cleared (`0..len()`), which
//! never changes when an entry moves to the file.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::spill::{Spill, SpillReply};

/// Entries kept in memory at most; older ones go to the spill file.
pub const WINDOW_ENTRIES: usize = 5_000;
/// Bytes of entry text kept in memory at most (a few huge messages spill too).
pub const WINDOW_BYTES: usize = 32 * 1024 * 1024;
/// Entries per page read back from the spill file.
pub const PAGE_ENTRIES: usize = 256;
/// Pages of spilled entries kept in memory for scrolling.
const CACHED_PAGES: usize = 24;
/// A binary message is shown as hex of its first bytes.
pub const BINARY_SHOWN_BYTES: usize = 2048;

/// What a log row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    /// A message this side sent.
    Sent,
    Received,
    /// Connecting (or reconnecting), connected, closed, an error: the connection's own events.
    Event(EventKind),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    Connecting,
    Connected,
    Closed,
    Error,
    Info,
}

/// What a message carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataKind {
    Text,
    Binary,
    Ping,
    Pong,
    None,
}

/// One row of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub kind: EntryKind,
    pub data: DataKind,
    /// Bytes on the wire (the whole message, even when `text` shows part of a binary one).
    pub size_bytes: usize,
    /// The text, a binary message's hex, or the event's description.
    pub text: String,
}

impl LogEntry {
    pub fn event(kind: EventKind, text: impl Into<String>, at: OffsetDateTime) -> Self {
        Self { at, kind: EntryKind::Event(kind), data: DataKind::None, size_bytes: 0, text: text.into() }
    }

    /// Whether the entry passes `filter` (its query already lower-cased).
    pub fn matches(&self, filter: &LogFilter) -> bool {
        let direction = match filter.direction {
            DirectionFilter::All => true,
            DirectionFilter::Sent => self.kind == EntryKind::Sent,
            DirectionFilter::Received => self.kind == EntryKind::Received,
        };
        direction && (filter.query.is_empty() || contains_ignoring_case(&self.text, &filter.query))
    }
}

/// Case-insensitive substring search; `needle` is lower-case already.
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        return n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle)
}

/// Which messages the log shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DirectionFilter {
    #[default]
    All,
    Sent,
    Received,
}

impl DirectionFilter {
    pub const ALL: [DirectionFilter; 3] =
        [DirectionFilter::All, DirectionFilter::Sent, DirectionFilter::Received];

    pub fn label(self) -> &'static str {
        match self {
            DirectionFilter::All => "All",
            DirectionFilter::Sent => "Sent",
            DirectionFilter::Received => "Received",
        }
    }
}

/// The search and direction filter, as applied (the query lower-cased).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub direction: DirectionFilter,
    pub query: String,
}

impl LogFilter {
    pub fn new(direction: DirectionFilter, query: &str) -> Self {
        Self { direction, query: query.trim().to_lowercase() }
    }

    pub fn is_everything(&self) -> bool {
        self.direction == DirectionFilter::All && self.query.is_empty()
    }
}

/// The rows a filter lets through.
struct Filtered {
    filter: LogFilter,
    /// Which scan of the spill file this is (answers to older ones are ignored).
    generation: u64,
    /// Matches among the entries spilled when the filter was applied, once the scan answered.
    disk: Option<Vec<usize>>,
    /// Matches among the later entries, found as they arrived.
    recent: Vec<usize>,
}

/// A row of the log as the view gets it.
#[derive(Clone, Copy, Debug)]
pub enum Row<'a> {
    Entry(&'a LogEntry),
    /// Spilled to disk; being read back.
    Loading,
    /// The spill file could not be read back.
    Unavailable,
}

/// The log: see the module doc.
pub struct LiveLog {
    memory: VecDeque<LogEntry>,
    memory_bytes: usize,
    /// Entries `0..spilled` are in the spill file.
    spilled: usize,
    spill: Option<Spill>,
    /// Why spilling stopped (then entries stay in memory).
    pub spill_error: Option<String>,
    pages: HashMap<usize, Arc<Vec<LogEntry>>>,
    page_order: VecDeque<usize>,
    pending_pages: HashSet<usize>,
    failed_pages: HashSet<usize>,
    filtered: Option<Filtered>,
    generation: u64,
    pub sent: usize,
    pub received: usize,
    /// Repaints the window when the spill thread answers.
    repaint: Option<Arc<dyn Fn() + Send + Sync>>,
    window_entries: usize,
}

impl Default for LiveLog {
    fn default() -> Self {
        Self::new(None)
    }
}

impl std::fmt::Debug for LiveLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveLog")
            .field("len", &self.len())
            .field("spilled", &self.spilled)
            .finish_non_exhaustive()
    }
}

impl LiveLog {
    pub fn new(repaint: Option<Arc<dyn Fn() + Send + Sync>>) -> Self {
        Self {
            memory: VecDeque::new(),
            memory_bytes: 0,
            spilled: 0,
            spill: None,
            spill_error: None,
            pages: HashMap::new(),
            page_order: VecDeque::new(),
            pending_pages: HashSet::new(),
            failed_pages: HashSet::new(),
            filtered: None,
            generation: 0,
            sent: 0,
            received: 0,
            repaint,
            window_entries: WINDOW_ENTRIES,
        }
    }

    /// A log keeping at most `entries` in memory (tests and benchmarks spill sooner).
    #[must_use]
    pub fn with_window(mut self, entries: usize) -> Self {
        self.window_entries = entries.max(1);
        self
    }

    pub fn set_repaint(&mut self, repaint: Arc<dyn Fn() + Send + Sync>) {
        self.repaint = Some(repaint);
    }

    /// Every entry since the last clear.
    pub fn len(&self) -> usize {
        self.spilled + self.memory.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many entries are in the spill file.
    pub fn spilled(&self) -> usize {
        self.spilled
    }

    pub fn in_memory(&self) -> usize {
        self.memory.len()
    }

    pub fn push(&mut self, entry: LogEntry) {
        match entry.kind {
            EntryKind::Sent => self.sent += 1,
            EntryKind::Received => self.received += 1,
            EntryKind::Event(_) => {}
        }
        let index = self.len();
        if let Some(f) = &mut self.filtered
            && entry.matches(&f.filter)
        {
            f.recent.push(index);
        }
        self.memory_bytes += entry.text.len();
        self.memory.push_back(entry);
        self.spill_overflow();
    }

    /// Moves the oldest entries to the spill file while the window is over its bounds.
    fn spill_overflow(&mut self) {
        if self.spill_error.is_some() {
            // Spilling failed: keep the newest window and say what was dropped.
            return self.drop_overflow();
        }
        let mut batch = Vec::new();
        while self.memory.len() > 1
            && (self.memory.len() > self.window_entries || self.memory_bytes > WINDOW_BYTES)
            && let Some(old) = self.memory.pop_front()
        {
            self.memory_bytes -= old.text.len();
            batch.push(old);
        }
        if batch.is_empty() {
            return;
        }
        if self.spill.is_none() {
            match Spill::start(self.repaint.clone()) {
                Ok(spill) => self.spill = Some(spill),
                Err(e) => {
                    self.spill_error = Some(format!("older messages cannot be kept on disk: {e}"));
                    return;
                }
            }
        }
        self.spilled += batch.len();
        if let Some(spill) = &self.spill
            && let Err(e) = spill.append(batch)
        {
            self.spill_error = Some(e);
        }
    }

    fn drop_overflow(&mut self) {
        while self.memory.len() > self.window_entries.max(1)
            && let Some(old) = self.memory.pop_front()
        {
            self.memory_bytes -= old.text.len();
            self.spilled += 1;
        }
    }

    /// Forgets everything (the spill file goes with its thread).
    pub fn clear(&mut self) {
        let repaint = self.repaint.take();
        let window = self.window_entries;
        *self = Self::new(repaint).with_window(window);
    }

    /// Takes what the spill thread answered; call once per frame.
    pub fn poll(&mut self) {
        let Some(spill) = &self.spill else { return };
        for reply in spill.replies() {
            match reply {
                SpillReply::Page { page, entries } => {
                    self.pending_pages.remove(&page);
                    match entries {
                        Ok(entries) => {
                            self.pages.insert(page, Arc::new(entries));
                            self.page_order.push_back(page);
                            while self.page_order.len() > CACHED_PAGES
                                && let Some(old) = self.page_order.pop_front()
                            {
                                self.pages.remove(&old);
                            }
                        }
                        Err(e) => {
                            self.failed_pages.insert(page);
                            self.spill_error = Some(e);
                        }
                    }
                }
                SpillReply::Scan { generation, matches } => {
                    if let Some(f) = &mut self.filtered
                        && f.generation == generation
                    {
                        match matches {
                            Ok(m) => f.disk = Some(m),
                            Err(e) => {
                                f.disk = Some(Vec::new());
                                self.spill_error = Some(e);
                            }
                        }
                    }
                }
                SpillReply::Failed(e) => self.spill_error = Some(e),
            }
        }
    }

    /// Applies a filter: the entries in memory at once, the spilled ones by a background scan.
    pub fn set_filter(&mut self, filter: LogFilter) {
        if filter.is_everything() {
            self.filtered = None;
            return;
        }
        if self.filtered.as_ref().is_some_and(|f| f.filter == filter) {
            return;
        }
        self.generation += 1;
        let recent: Vec<usize> = self
            .memory
            .iter()
            .enumerate()
            .filter(|(_, e)| e.matches(&filter))
            .map(|(i, _)| self.spilled + i)
            .collect();
        let disk = if self.spilled == 0 {
            Some(Vec::new())
        } else if let Some(spill) = &self.spill {
            match spill.scan(self.generation, filter.clone(), self.spilled) {
                Ok(()) => None,
                Err(e) => {
                    self.spill_error = Some(e);
                    Some(Vec::new())
                }
            }
        } else {
            Some(Vec::new())
        };
        self.filtered = Some(Filtered { filter, generation: self.generation, disk, recent });
    }

    /// Whether a filter is applied.
    pub fn is_filtered(&self) -> bool {
        self.filtered.is_some()
    }

    /// Whether the spilled part is still being searched.
    pub fn searching(&self) -> bool {
        self.filtered.as_ref().is_some_and(|f| f.disk.is_none())
    }

    /// How many rows the view has: every entry, or those the filter lets through.
    pub fn row_count(&self) -> usize {
        match &self.filtered {
            None => self.len(),
            Some(f) => f.disk.as_ref().map_or(0, Vec::len) + f.recent.len(),
        }
    }

    /// The entry index of view row `row`.
    pub fn index_of_row(&self, row: usize) -> Option<usize> {
        match &self.filtered {
            None => (row < self.len()).then_some(row),
            Some(f) => {
                let disk = f.disk.as_deref().unwrap_or(&[]);
                if row < disk.len() {
                    disk.get(row).copied()
                } else {
                    f.recent.get(row - disk.len()).copied()
                }
            }
        }
    }

    /// Entry `index`, asking for its page when it is on disk and not read yet.
    pub fn entry(&mut self, index: usize) -> Row<'_> {
        if index >= self.spilled {
            return self.memory.get(index - self.spilled).map_or(Row::Unavailable, Row::Entry);
        }
        let page = index / PAGE_ENTRIES;
        if self.pages.contains_key(&page) {
            return self
                .pages
                .get(&page)
                .and_then(|p| p.get(index % PAGE_ENTRIES))
                .map_or(Row::Unavailable, Row::Entry);
        }
        if self.failed_pages.contains(&page) || self.spill.is_none() {
            return Row::Unavailable;
        }
        if self.pending_pages.insert(page)
            && let Some(spill) = &self.spill
        {
            let first = page * PAGE_ENTRIES;
            let count = PAGE_ENTRIES.min(self.spilled - first);
            if let Err(e) = spill.read_page(page, first, count) {
                self.spill_error = Some(e);
            }
        }
        Row::Loading
    }

    /// Entry `index` if it is at hand (in memory or in a page read back), without asking.
    pub fn peek(&self, index: usize) -> Option<&LogEntry> {
        if index >= self.spilled {
            return self.memory.get(index - self.spilled);
        }
        self.pages.get(&(index / PAGE_ENTRIES)).and_then(|p| p.get(index % PAGE_ENTRIES))
    }

    /// Whether pages or a scan are awaited from the spill thread.
    pub fn waiting(&self) -> bool {
        !self.pending_pages.is_empty() || self.searching()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: EntryKind, text: &str) -> LogEntry {
        LogEntry {
            at: OffsetDateTime::UNIX_EPOCH,
            kind,
            data: DataKind::Text,
            size_bytes: text.len(),
            text: text.to_owned(),
        }
    }

    /// Polls until the spill thread has answered what was asked.
    fn settle(log: &mut LiveLog) {
        for _ in 0..500 {
            log.poll();
            if !log.waiting() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the spill thread did not answer");
    }

    #[test]
    fn old_entries_spill_to_disk_and_read_back_in_order() {
        let mut log = LiveLog::new(None).with_window(100);
        for i in 0..1_000 {
            log.push(message(
                if i % 2 == 0 { EntryKind::Sent } else { EntryKind::Received },
                &format!("m{i}"),
            ));
        }
        assert_eq!(log.len(), 1_000);
        assert_eq!(log.in_memory(), 100);
        assert_eq!(log.spilled(), 900);
        assert!(matches!(log.entry(3), Row::Loading));
        settle(&mut log);
        for i in [0, 3, 255, 256, 899, 900, 999] {
            // A page not read yet is asked for (and shows as loading) until the answer comes.
            let _ = log.entry(i);
            settle(&mut log);
            match log.entry(i) {
                Row::Entry(e) => assert_eq!(e.text, format!("m{i}")),
                other => panic!("entry {i}: {other:?}"),
            }
        }
        assert_eq!((log.sent, log.received), (500, 500));
    }

    #[test]
    fn search_covers_the_spilled_part() {
        let mut log = LiveLog::new(None).with_window(50);
        for i in 0..500 {
            let text = if i % 100 == 7 { format!("Needle {i}") } else { format!("hay {i}") };
            log.push(message(EntryKind::Received, &text));
        }
        log.set_filter(LogFilter::new(DirectionFilter::All, "NEEDLE"));
        assert!(log.searching());
        settle(&mut log);
        let rows: Vec<usize> = (0..log.row_count()).filter_map(|r| log.index_of_row(r)).collect();
        assert_eq!(rows, [7, 107, 207, 307, 407]);
        log.push(message(EntryKind::Received, "needle again"));
        assert_eq!(log.index_of_row(5), Some(500));
        log.set_filter(LogFilter::new(DirectionFilter::Sent, ""));
        settle(&mut log);
        assert_eq!(log.row_count(), 0);
    }

    #[test]
    fn direction_filter_and_non_ascii_search() {
        let mut log = LiveLog::default();
        log.push(message(EntryKind::Sent, "Grüße"));
        log.push(message(EntryKind::Received, "GRÜSSE und GRÜ\u{1E9E}E"));
        log.push(LogEntry::event(EventKind::Connected, "Connected", OffsetDateTime::UNIX_EPOCH));
        log.set_filter(LogFilter::new(DirectionFilter::Received, ""));
        assert_eq!(log.row_count(), 1);
        log.set_filter(LogFilter::new(DirectionFilter::All, "GRÜ\u{1E9E}E"));
        assert_eq!(log.row_count(), 2);
        log.set_filter(LogFilter::new(DirectionFilter::All, "sse"));
        assert_eq!(log.row_count(), 1);
        log.set_filter(LogFilter::new(DirectionFilter::All, ""));
        assert_eq!(log.row_count(), 3);
        log.clear();
        assert!(log.is_empty());
    }

    #[test]
    fn huge_messages_spill_by_size() {
        let mut log = LiveLog::default();
        let big = "x".repeat(WINDOW_BYTES / 2 + 1);
        for _ in 0..3 {
            log.push(message(EntryKind::Received, &big));
        }
        assert_eq!(log.in_memory(), 1);
        assert_eq!(log.spilled(), 2);
    }
}
