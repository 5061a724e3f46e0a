//! Text built while a body arrives, chunk by chunk, giving exactly what the whole-body
//! functions of [`super::body`] give at the end: UTF-8 decoded as `String::from_utf8_lossy`
//! does ([`Utf8Stream`]), rows indexed as [`TextDoc::new`] does ([`RowIndexer`]), and JSON
//! re-indented as [`super::body::pretty_json`] does ([`PrettyStream`]). A chunk may end anywhere:
//! inside a character, a string, an escape or a number.

use super::body::{MAX_ROW_BYTES, TextDoc, push_row_cuts};

/// Decodes UTF-8 chunk by chunk; invalid bytes become U+FFFD as `from_utf8_lossy` makes them.
#[derive(Default)]
pub struct Utf8Stream {
    /// The start of a character cut by the end of the last chunk (at most 3 bytes).
    carry: Vec<u8>,
}

impl Utf8Stream {
    /// Decodes `chunk`, handing whole characters to `out` (in one or more pieces).
    pub fn push(&mut self, chunk: &[u8], mut out: impl FnMut(&str)) {
        let joined;
        let mut rest: &[u8] = if self.carry.is_empty() {
            chunk
        } else {
            // Complete the cut character with the first bytes of this chunk.
            let take = chunk.len().min(4 - self.carry.len().min(4));
            let mut head = std::mem::take(&mut self.carry);
            head.extend_from_slice(&chunk[..take]);
            joined = head;
            let used = match std::str::from_utf8(&joined) {
                Ok(s) => {
                    out(s);
                    joined.len()
                }
                Err(e) if e.valid_up_to() > 0 => {
                    out(std::str::from_utf8(&joined[..e.valid_up_to()]).unwrap_or_default());
                    e.valid_up_to()
                }
                Err(e) => match e.error_len() {
                    Some(n) => {
                        out("\u{FFFD}");
                        n
                    }
                    // Still cut: the whole chunk was part of the character.
                    None => {
                        self.carry = joined;
                        return;
                    }
                },
            };
            // Bytes of `joined` past `used` that came from this chunk are decoded again below.
            let from_chunk = used.saturating_sub(joined.len() - take);
            &chunk[from_chunk..]
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    if !s.is_empty() {
                        out(s);
                    }
                    return;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    if valid > 0 {
                        out(std::str::from_utf8(&rest[..valid]).unwrap_or_default());
                    }
                    match e.error_len() {
                        Some(n) => {
                            out("\u{FFFD}");
                            rest = &rest[valid + n..];
                        }
                        None => {
                            self.carry = rest[valid..].to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    /// The body ended: a character still cut becomes U+FFFD.
    pub fn finish(&mut self, mut out: impl FnMut(&str)) {
        if !std::mem::take(&mut self.carry).is_empty() {
            out("\u{FFFD}");
        }
    }
}

/// Indexes display rows of a growing text as [`TextDoc::new`] would index the whole.
#[derive(Default)]
pub struct RowIndexer {
    pub row_starts: Vec<usize>,
    /// Where the row not ended by a newline yet starts.
    open_row: usize,
    /// How far the text was searched for newlines.
    scanned: usize,
}

impl RowIndexer {
    /// Indexes the rows that `text` (the whole text so far) has completed.
    pub fn feed(&mut self, text: &str) {
        let bytes = text.as_bytes();
        while let Some(at) = memchr::memchr(b'\n', &bytes[self.scanned..]) {
            let end = self.scanned + at;
            self.push_row(text, end);
            self.open_row = end + 1;
            self.scanned = end + 1;
        }
        self.scanned = bytes.len();
    }

    /// The rows of the complete `text`.
    pub fn finish(mut self, text: String) -> TextDoc {
        self.feed(&text);
        if self.open_row < text.len() || self.row_starts.is_empty() {
            self.push_row(&text, text.len());
        }
        TextDoc { text, row_starts: self.row_starts }
    }

    /// The rows so far, the open one included (for a live view of a text still growing).
    pub fn rows_so_far(&self, text: &str) -> Vec<usize> {
        let mut rows = self.row_starts.clone();
        if self.open_row < text.len() || rows.is_empty() {
            let mut tail = RowIndexer { row_starts: Vec::new(), open_row: self.open_row, scanned: 0 };
            tail.push_row(text, text.len());
            rows.extend(tail.row_starts);
        }
        rows
    }

    /// The row from `open_row` to `end`, cut every [`MAX_ROW_BYTES`] at character boundaries.
    fn push_row(&mut self, text: &str, end: usize) {
        self.row_starts.push(self.open_row);
        push_row_cuts(text, self.open_row, end, &mut self.row_starts);
    }
}

/// Re-indents JSON text as it arrives, two spaces a level, strings untouched, and indexes the
/// rows it writes as [`TextDoc::new`] would index the result (one pass instead of a second scan
/// of the output for newlines).
pub struct PrettyStream {
    depth: usize,
    /// The last token opened a container that may yet turn out empty.
    last_was_open: bool,
    /// An opener was written; the next token decides between `{}` and a new line.
    pending_open: bool,
    in_string: bool,
    /// Inside a string, right after a backslash.
    escape: bool,
    /// Inside a number or literal.
    in_literal: bool,
    /// Where each row of the output starts; the last is the row still open.
    rows: Vec<usize>,
}

impl Default for PrettyStream {
    fn default() -> Self {
        Self {
            depth: 0,
            last_was_open: false,
            pending_open: false,
            in_string: false,
            escape: false,
            in_literal: false,
            rows: vec![0],
        }
    }
}

/// A new line and its indentation, with room for the usual depths in one copy; `,` first when
/// the line follows a comma.
const LINE: &str = ",\n                                                                                                                                ";

/// What a byte is to the formatter outside strings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Other,
    Quote,
    Open,
    Close,
    Comma,
    Colon,
    Space,
}

const CLASS: [Class; 256] = {
    let mut table = [Class::Other; 256];
    table[b'"' as usize] = Class::Quote;
    table[b'{' as usize] = Class::Open;
    table[b'[' as usize] = Class::Open;
    table[b'}' as usize] = Class::Close;
    table[b']' as usize] = Class::Close;
    table[b',' as usize] = Class::Comma;
    table[b':' as usize] = Class::Colon;
    table[b' ' as usize] = Class::Space;
    table[b'\t' as usize] = Class::Space;
    table[b'\n' as usize] = Class::Space;
    table[b'\r' as usize] = Class::Space;
    table
};

/// Bytes a string run stops at: its end, an escape, and a raw new line (a row of its own).
const STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'\n' as usize] = true;
    table
};

/// Strings shorter than this are scanned byte by byte; longer ones with `memchr`.
const SHORT_STRING: usize = 16;

impl PrettyStream {
    /// The row index of the output so far: where each row starts, the open one last.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// The rows of the finished output (after [`Self::finish`]).
    pub fn into_rows(self) -> Vec<usize> {
        self.rows
    }

    /// A row of `out` ended with the new line at `nl`.
    fn row_ends(&mut self, out: &str, nl: usize) {
        self.cut_long_row(out, nl);
        self.rows.push(nl + 1);
    }

    /// Cuts the open row, ending at `end`, every [`MAX_ROW_BYTES`] at character boundaries.
    fn cut_long_row(&mut self, out: &str, end: usize) {
        let row = self.rows.last().copied().unwrap_or(0);
        if end - row > MAX_ROW_BYTES {
            push_row_cuts(out, row, end, &mut self.rows);
        }
    }

    /// A new line and the indentation of the current depth, after a comma when `comma`.
    fn newline(&mut self, out: &mut String, comma: bool) {
        let line = if comma { LINE } else { &LINE[1..] };
        let width = line.len() - (LINE.len() - 2) + 2 * self.depth;
        let nl = out.len() + usize::from(comma);
        if width <= line.len() {
            out.push_str(&line[..width]);
        } else {
            out.push_str(line);
            for _ in 0..(width - line.len()) / 2 {
                out.push_str("  ");
            }
        }
        self.row_ends(out, nl);
    }

    /// Copies string content from `start`, scanning from `i`, up to and including its closing
    /// quote (or to the end of the piece); returns where it stopped.
    fn string_run(&mut self, text: &str, mut start: usize, mut i: usize, out: &mut String) -> usize {
        let bytes = text.as_bytes();
        loop {
            if self.escape {
                if i >= bytes.len() {
                    break;
                }
                self.escape = false;
                if bytes[i] != b'\n' {
                    // A multi-byte escaped character: its other bytes are never stops.
                    i += 1;
                    continue;
                }
            } else {
                let short = (i + SHORT_STRING).min(bytes.len());
                while i < short && !STRING_STOP[usize::from(bytes[i])] {
                    i += 1;
                }
                if i == short && i < bytes.len() {
                    i = memchr::memchr3(b'"', b'\\', b'\n', &bytes[i..]).map_or(bytes.len(), |at| i + at);
                }
                if i >= bytes.len() {
                    break;
                }
            }
            match bytes[i] {
                b'"' => {
                    out.push_str(&text[start..=i]);
                    self.in_string = false;
                    return i + 1;
                }
                b'\\' => {
                    self.escape = true;
                    i += 1;
                }
                _ => {
                    // A raw new line (not valid JSON, shown as it is): a row ends.
                    out.push_str(&text[start..=i]);
                    let nl = out.len() - 1;
                    self.row_ends(out, nl);
                    i += 1;
                    start = i;
                }
            }
        }
        out.push_str(&text[start..]);
        bytes.len()
    }

    /// Copies a number or literal from `i` up to its delimiter; returns where it stopped.
    fn literal_run(&mut self, text: &str, i: usize, out: &mut String) -> usize {
        let bytes = text.as_bytes();
        let mut end = i;
        while end < bytes.len() && CLASS[usize::from(bytes[end])] == Class::Other {
            end += 1;
        }
        out.push_str(&text[i..end]);
        self.in_literal = end == bytes.len();
        end
    }

    /// Re-indents the next piece of text (whole characters) onto `out`. Runs (string contents,
    /// numbers, literals) are copied whole, and a comma and its new line go in one copy.
    pub fn push(&mut self, text: &str, out: &mut String) {
        let bytes = text.as_bytes();
        let mut i = 0;
        if self.in_string {
            i = self.string_run(text, 0, 0, out);
        } else if self.in_literal {
            i = self.literal_run(text, 0, out);
        }
        while i < bytes.len() {
            let b = bytes[i];
            let class = CLASS[usize::from(b)];
            if self.pending_open {
                match class {
                    Class::Space => {
                        i += 1;
                        continue;
                    }
                    Class::Close => self.pending_open = false,
                    _ => {
                        self.newline(out, false);
                        self.last_was_open = false;
                        self.pending_open = false;
                    }
                }
            }
            match class {
                Class::Quote => {
                    self.in_string = true;
                    self.last_was_open = false;
                    i = self.string_run(text, i, i + 1, out);
                }
                Class::Open => {
                    out.push(char::from(b));
                    self.depth += 1;
                    self.last_was_open = true;
                    self.pending_open = true;
                    i += 1;
                }
                Class::Close => {
                    self.depth = self.depth.saturating_sub(1);
                    if !self.last_was_open {
                        self.newline(out, false);
                    }
                    out.push(char::from(b));
                    self.last_was_open = false;
                    i += 1;
                }
                Class::Comma => {
                    self.newline(out, true);
                    self.last_was_open = false;
                    i += 1;
                }
                Class::Colon => {
                    out.push_str(": ");
                    self.last_was_open = false;
                    i += 1;
                }
                Class::Space => i += 1,
                Class::Other => {
                    if self.last_was_open {
                        self.newline(out, false);
                    }
                    self.last_was_open = false;
                    // Runs stop only at ASCII delimiters, so `i` is a character boundary.
                    i = self.literal_run(text, i, out);
                }
            }
        }
    }

    /// The text ended: a container opened last gets its new line, as the whole-text function
    /// gives it, and the last row is indexed.
    pub fn finish(&mut self, out: &mut String) {
        if self.pending_open {
            self.newline(out, false);
            self.pending_open = false;
            self.last_was_open = false;
        }
        self.cut_long_row(out, out.len());
        // A final new line ends the text, not a row (as `TextDoc::new` counts).
        if self.rows.len() > 1 && self.rows.last() == Some(&out.len()) {
            self.rows.pop();
        }
    }
}

/// The first rows of a text still growing, as a document of its own: at most `max_bytes`, cut
/// where a row starts. `rows` are where the rows of `text` start, the open one last. `None`
/// when not one whole row fits.
pub fn leading_rows(text: &str, rows: &[usize], max_bytes: usize) -> Option<TextDoc> {
    let fit = rows.partition_point(|&start| start <= max_bytes.min(text.len()));
    let end_row = fit.checked_sub(1)?;
    let end = rows[end_row];
    (end > 0).then(|| TextDoc { text: text[..end].to_owned(), row_starts: rows[..end_row].to_vec() })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::app::body::pretty_json;

    fn lossy_in_pieces(bytes: &[u8], cut: usize) -> String {
        let mut s = Utf8Stream::default();
        let mut out = String::new();
        for piece in bytes.chunks(cut.max(1)) {
            s.push(piece, |t| out.push_str(t));
        }
        s.finish(|t| out.push_str(t));
        out
    }

    #[test]
    fn utf8_cut_anywhere_decodes_as_from_utf8_lossy() {
        let samples: [&[u8]; 6] = [
            "héllo wörld \u{2713} 𝄞 done".as_bytes(),
            b"bad \xff byte \xc3 then \xe2\x82 cut",
            b"\xf0\x9f\x98",
            b"\xe2\x82\xac\xe2\x82",
            b"plain ascii",
            b"\xc3\xa9\xff\xfe\xf0\x9f\x98\x80",
        ];
        for sample in samples {
            let expected = String::from_utf8_lossy(sample).into_owned();
            for cut in 1..=sample.len() {
                assert_eq!(lossy_in_pieces(sample, cut), expected, "{sample:?} cut every {cut}");
            }
        }
    }

    #[test]
    fn rows_fed_piece_by_piece_match_the_whole_text_index() {
        let long = "x".repeat(MAX_ROW_BYTES * 2 + 10);
        let texts =
            ["", "a", "a\n", "\n\n", "a\nb", "one\ntwo\n\nthree", &long, &format!("é{long}\nb\n{long}")];
        for text in texts {
            let expected = TextDoc::new(text.to_owned()).row_starts;
            for cut in [1, 2, 3, 7, 4096, usize::MAX] {
                let mut indexer = RowIndexer::default();
                let mut so_far = String::new();
                let mut rest = text;
                while !rest.is_empty() {
                    let mut n = cut.min(rest.len());
                    while !rest.is_char_boundary(n) {
                        n += 1;
                    }
                    so_far.push_str(&rest[..n]);
                    rest = &rest[n..];
                    indexer.feed(&so_far);
                }
                assert_eq!(indexer.rows_so_far(&so_far), expected, "{text:?} live, cut {cut}");
                assert_eq!(indexer.finish(so_far).row_starts, expected, "{text:?} cut {cut}");
            }
        }
    }

    fn pretty_in_pieces(text: &str, cut: usize) -> (String, Vec<usize>) {
        let mut p = PrettyStream::default();
        let mut out = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            let mut n = cut.min(rest.len());
            while !rest.is_char_boundary(n) {
                n += 1;
            }
            p.push(&rest[..n], &mut out);
            rest = &rest[n..];
        }
        p.finish(&mut out);
        (out, p.into_rows())
    }

    #[test]
    fn json_pretty_printed_in_pieces_matches_the_whole_body_formatting() {
        let samples = [
            r#"{"a":1,"b":[true,false,null],"c":{"d":"x\"y\\","e":[]},"f":{},"g":-1.5e+3}"#,
            r#"[ { "name" : "José ñ" , "tags" : [ ] } , [ [ 1 ] ] ]"#,
            r#"{"unterminated": "abc"#,
            r#"[1,2,"#,
            r#"{"#,
            "[\n  1,\n  2\n]",
            "{\"raw\":\"line\nbreak\\\nx\",\"b\":[]}\n",
            "[1\n,2]\n\n",
            "",
            "\n",
            r#"{"k\"#,
            r#"{"k":"\u00e9 \\\" ok", "n": 12345678901234567890}"#,
            "not json at all: hello, world",
            r#"{"a":[{},{"b":[{}]}]}}]]"#,
        ];
        let no = AtomicBool::new(false);
        let long_rows =
            format!(r#"["{}","{}é{}",1]"#, "x".repeat(9000), "y".repeat(MAX_ROW_BYTES - 1), "z".repeat(5000));
        let deep = format!("{}1,2{}", "[".repeat(150), "]".repeat(150));
        for sample in samples.into_iter().chain([long_rows.as_str(), deep.as_str()]) {
            let expected = pretty_json(sample, &no).unwrap();
            let expected_rows = TextDoc::new(expected.clone()).row_starts;
            let cuts: Vec<usize> =
                if sample.len() > 400 { vec![1, 7, 4096, 5000] } else { (1..=sample.len()).collect() };
            for cut in cuts {
                let (text, rows) = pretty_in_pieces(sample, cut);
                assert_eq!(text, expected, "{sample:?} cut every {cut}");
                assert_eq!(rows, expected_rows, "rows of {sample:?} cut every {cut}");
            }
        }
    }

    #[test]
    fn the_leading_rows_of_a_growing_text_end_where_a_row_starts() {
        let text = "one\ntwo\nthree\nfour";
        let rows = [0, 4, 8, 14];
        let doc = leading_rows(text, &rows, 10).unwrap();
        assert_eq!(doc.text, "one\ntwo\n");
        assert_eq!(doc.row_starts, vec![0, 4]);
        assert_eq!(doc.row(1), "two");
        // Everything complete fits; the open row is left out.
        assert_eq!(leading_rows(text, &rows, 1 << 20).unwrap().text, "one\ntwo\nthree\n");
        assert!(leading_rows(text, &rows, 3).is_none());
        assert!(leading_rows("", &[0], 100).is_none());
    }
}
