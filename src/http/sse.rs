//! Server-Sent Events: a `text/event-stream` body read as it arrives, as the WHATWG HTML
//! standard's "event stream interpretation" says (section 9.2.6).
//!
//! Bytes go in as the network delivers them ([`EventStream::push`]); whole events come out. A
//! line may be cut anywhere between two chunks, even between the CR and LF of its end. Lines end
//! with CR, LF or CRLF; a leading byte order mark is dropped; bytes that are not UTF-8 become
//! U+FFFD. An event whose data grows past [`EventStream::max_event_bytes`] (a server that never
//! sends the blank line) is cut there and flagged, so memory stays bounded.

/// Whether a `Content-Type` names an event stream (`text/event-stream; charset=utf-8`).
pub fn is_event_stream(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("text/event-stream"))
}

/// Every event of a whole body (one that ended or was stopped), and what it ignored.
pub fn events_of(body: &[u8]) -> (Vec<Event>, Ignored) {
    let mut stream = EventStream::new();
    let events = stream.push(body);
    stream.finish();
    (events, stream.ignored)
}

/// One event as dispatched to a listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The `event:` field; `message` when the server named none.
    pub event: String,
    /// The last event id in effect (the `id:` field of this event or an earlier one).
    pub id: String,
    /// The `data:` lines joined with LF.
    pub data: String,
    /// The reconnection time the stream set, in milliseconds, if it set one so far.
    pub retry_ms: Option<u64>,
    /// The data was cut at [`EventStream::max_event_bytes`].
    pub truncated: bool,
}

/// What a stream sent that the standard says to ignore, counted for the user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ignored {
    /// `:` lines (keep-alives, as a rule).
    pub comments: usize,
    /// Fields other than event, data, id and retry.
    pub unknown_fields: usize,
    /// `retry:` values that are not all digits, and ids holding NUL.
    pub bad_values: usize,
}

/// The reader of one stream.
#[derive(Debug)]
pub struct EventStream {
    /// Bytes of a line not ended yet.
    line: Vec<u8>,
    /// The last chunk ended with CR: an LF starting the next one belongs to that line end.
    after_cr: bool,
    /// The first bytes were looked at for a byte order mark.
    started: bool,
    event: String,
    data: String,
    /// The data holds at least one `data:` line (an empty one counts).
    has_data: bool,
    truncated: bool,
    last_id: String,
    retry_ms: Option<u64>,
    pub ignored: Ignored,
    /// The most data one event may hold before it is cut.
    pub max_event_bytes: usize,
}

impl Default for EventStream {
    fn default() -> Self {
        Self::new()
    }
}

impl EventStream {
    /// One event's data is cut at 16 MiB unless the caller sets another bound.
    pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

    pub fn new() -> Self {
        Self {
            line: Vec::new(),
            after_cr: false,
            started: false,
            event: String::new(),
            data: String::new(),
            has_data: false,
            truncated: false,
            last_id: String::new(),
            retry_ms: None,
            ignored: Ignored::default(),
            max_event_bytes: Self::DEFAULT_MAX_EVENT_BYTES,
        }
    }

    /// The id a reconnecting client sends as `Last-Event-ID`.
    pub fn last_event_id(&self) -> &str {
        &self.last_id
    }

    /// The reconnection time the stream asked for, in milliseconds.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// Reads the next bytes of the stream; returns the events they complete, in order.
    pub fn push(&mut self, mut chunk: &[u8]) -> Vec<Event> {
        let mut events = Vec::new();
        if !self.started {
            // The BOM may itself arrive in pieces: wait until three bytes are here.
            self.line.extend_from_slice(chunk);
            if self.line.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.line) {
                return events;
            }
            self.started = true;
            let held = std::mem::take(&mut self.line);
            let rest = held.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&held);
            return self.push(rest);
        }
        if self.after_cr {
            self.after_cr = false;
            chunk = chunk.strip_prefix(b"\n").unwrap_or(chunk);
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&chunk[..end]);
            let line = std::mem::take(&mut self.line);
            if let Some(event) = self.line_ended(&line) {
                events.push(event);
            }
            let crlf = chunk[end] == b'\r' && chunk.get(end + 1) == Some(&b'\n');
            if chunk[end] == b'\r' && end + 1 == chunk.len() {
                self.after_cr = true;
            }
            chunk = &chunk[end + if crlf { 2 } else { 1 }..];
        }
        self.line.extend_from_slice(chunk);
        events
    }

    /// The stream ended. An event without its closing blank line is dropped, as the standard
    /// says; returns whether one was.
    pub fn finish(&mut self) -> bool {
        let line = std::mem::take(&mut self.line);
        if !line.is_empty() {
            // A last line without its end: still a field of the unfinished event.
            let _ = self.line_ended(&line);
        }
        let dropped = self.has_data;
        self.reset_event();
        dropped
    }

    fn line_ended(&mut self, line: &[u8]) -> Option<Event> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line[0] == b':' {
            self.ignored.comments += 1;
            return None;
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => self.add_data(value),
            "id" if value.contains('\0') => self.ignored.bad_values += 1,
            "id" => value.clone_into(&mut self.last_id),
            "retry" => match value.parse::<u64>() {
                Ok(ms) if value.bytes().all(|b| b.is_ascii_digit()) => self.retry_ms = Some(ms),
                _ => self.ignored.bad_values += 1,
            },
            _ => self.ignored.unknown_fields += 1,
        }
        None
    }

    fn add_data(&mut self, value: &str) {
        if self.has_data {
            self.push_data("\n");
        }
        self.has_data = true;
        self.push_data(value);
    }

    fn push_data(&mut self, text: &str) {
        let room = self.max_event_bytes.saturating_sub(self.data.len());
        if text.len() <= room {
            self.data.push_str(text);
            return;
        }
        let mut cut = room;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        self.data.push_str(&text[..cut]);
        self.truncated = true;
    }

    fn dispatch(&mut self) -> Option<Event> {
        if !self.has_data {
            self.reset_event();
            return None;
        }
        let event = Event {
            event: if self.event.is_empty() { "message".to_owned() } else { std::mem::take(&mut self.event) },
            id: self.last_id.clone(),
            data: std::mem::take(&mut self.data),
            retry_ms: self.retry_ms,
            truncated: self.truncated,
        };
        self.reset_event();
        Some(event)
    }

    fn reset_event(&mut self) {
        self.event.clear();
        self.data.clear();
        self.has_data = false;
        self.truncated = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(chunks: &[&[u8]]) -> (Vec<Event>, EventStream) {
        let mut stream = EventStream::new();
        let events = chunks.iter().flat_map(|c| stream.push(c)).collect();
        (events, stream)
    }

    fn data(events: &[Event]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    #[test]
    fn fields_make_events_and_the_id_carries_over() {
        let (events, stream) =
            all(&[b"event: tick\nid: 7\nretry: 1500\ndata: {\"n\": 1}\n\ndata: second\n\n"]);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].event, "tick");
        assert_eq!(events[0].id, "7");
        assert_eq!(events[0].data, "{\"n\": 1}");
        assert_eq!(events[0].retry_ms, Some(1500));
        assert_eq!(events[1].event, "message", "the type does not carry over");
        assert_eq!(events[1].id, "7", "the last event id does");
        assert_eq!(stream.last_event_id(), "7");
    }

    #[test]
    fn data_lines_join_with_lf_and_one_leading_space_is_dropped() {
        let (events, _) = all(&[b"data:a\ndata:  b\ndata\ndata: c\n\n"]);
        assert_eq!(data(&events), ["a\n b\n\nc"]);
    }

    #[test]
    fn every_line_end_counts_even_cut_between_chunks() {
        // CR alone, CRLF, LF, and a CRLF whose LF starts the next chunk.
        let (events, _) = all(&[b"data: 1\r\rdata: 2\r\n\r\ndata: 3\n\ndata: 4\r", b"\n\r", b"\n"]);
        assert_eq!(data(&events), ["1", "2", "3", "4"]);
    }

    #[test]
    fn a_stream_cut_at_every_byte_reads_the_same() {
        let text: &[u8] =
            "\u{feff}event: é\ndata: héllo\r\n: ping\r\nid: x\n\ndata: 2\r\rdata: end\n\n".as_bytes();
        let (whole, _) = all(&[text]);
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        let (split, stream) = all(&bytes);
        assert_eq!(whole, split);
        assert_eq!(data(&split), ["héllo", "2", "end"]);
        assert_eq!(split[0].event, "é", "the BOM is dropped, not read as part of a field");
        assert_eq!(stream.ignored.comments, 1);
    }

    #[test]
    fn an_event_without_data_is_not_dispatched_and_a_partial_one_is_dropped_at_the_end() {
        let (events, mut stream) = all(&[b"event: nothing\n\nid: 3\n\ndata: half"]);
        assert!(events.is_empty());
        assert_eq!(stream.last_event_id(), "3", "an id alone still sets the last event id");
        assert!(stream.finish(), "the unfinished event is dropped");
        assert!(!stream.finish());
    }

    #[test]
    fn what_the_standard_ignores_is_counted() {
        let (events, stream) = all(&[b":comment\nfoo: bar\nretry: 12s\nid: a\0b\nretry\ndata: ok\n\n"]);
        assert_eq!(data(&events), ["ok"]);
        assert_eq!(events[0].id, "", "an id with NUL is ignored");
        assert_eq!(events[0].retry_ms, None);
        assert_eq!(stream.ignored, Ignored { comments: 1, unknown_fields: 1, bad_values: 3 });
    }

    #[test]
    fn invalid_utf8_becomes_the_replacement_character() {
        let (events, _) = all(&[b"data: a\xFFb\n\n"]);
        assert_eq!(data(&events), ["a\u{fffd}b"]);
    }

    #[test]
    fn an_event_that_never_ends_is_cut_at_the_bound() {
        let mut stream = EventStream { max_event_bytes: 10, ..EventStream::new() };
        let mut events = Vec::new();
        for _ in 0..1000 {
            events.extend(stream.push("data: ééééé\n".as_bytes()));
        }
        events.extend(stream.push(b"\n"));
        assert_eq!(events.len(), 1);
        assert!(events[0].truncated);
        assert!(events[0].data.len() <= 10, "{} bytes", events[0].data.len());
        assert_eq!(events[0].data, "ééééé");
        let next = stream.push(b"data: small\n\n");
        assert!(!next[0].truncated, "the bound is per event");
    }
}
