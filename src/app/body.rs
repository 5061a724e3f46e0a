//! Response bodies prepared for display off the UI thread: pretty JSON by re-indenting tokens
//! (no tree is built, so 200 MB stays cheap), a row index so only visible rows are laid out, and
//! find-in-body. The UI never scans a whole body.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Display rows are cut at this many bytes so a single-line body still scrolls row by row; the
/// text itself is never changed (copy and save use the full body).
pub const MAX_ROW_BYTES: usize = 4096;

/// Text split into display rows.
#[derive(Debug, Default)]
pub struct TextDoc {
    pub text: String,
    /// Byte offset where each display row starts.
    pub row_starts: Vec<usize>,
}

impl TextDoc {
    /// Indexes `text` into rows at newlines, cutting rows longer than [`MAX_ROW_BYTES`].
    pub fn new(text: String) -> Self {
        let bytes = text.as_bytes();
        let mut row_starts = Vec::with_capacity(bytes.len() / 40 + 1);
        let mut start = 0;
        loop {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |at| start + at);
            row_starts.push(start);
            push_row_cuts(&text, start, end, &mut row_starts);
            start = end + 1;
            if start >= bytes.len() {
                break;
            }
        }
        Self { text, row_starts }
    }

    pub fn rows(&self) -> usize {
        self.row_starts.len()
    }

    /// Row `i` without its newline.
    pub fn row(&self, i: usize) -> &str {
        let start = self.row_starts.get(i).copied().unwrap_or(self.text.len());
        let end = self.row_starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches('\n').trim_end_matches('\r')
    }

    /// The row holding byte `offset`.
    pub fn row_of(&self, offset: usize) -> usize {
        self.row_starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }
}

/// Adds where the row of `text` from `row` to `end` is cut: every [`MAX_ROW_BYTES`], at
/// character boundaries.
pub(super) fn push_row_cuts(text: &str, mut row: usize, end: usize, row_starts: &mut Vec<usize>) {
    while end - row > MAX_ROW_BYTES {
        let mut cut = row + MAX_ROW_BYTES;
        while cut > row + 1 && !text.is_char_boundary(cut) {
            cut -= 1;
        }
        row_starts.push(cut);
        row = cut;
    }
}

/// Whether `bytes` look like JSON (by content, not by header).
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    matches!(first, Some(b'{' | b'['))
}

/// Whether a JSON sample is already laid out one value per line with indentation (as most
/// servers' pretty output is): at least a few lines, most of them indented.
pub fn looks_indented(sample: &[u8]) -> bool {
    let lines: Vec<&[u8]> = sample.split(|&b| b == b'\n').take(64).collect();
    if lines.len() < 8 {
        return false;
    }
    let indented = lines.iter().filter(|l| l.first().is_some_and(|&b| b == b' ' || b == b'\t')).count();
    indented * 2 >= lines.len()
}

/// Re-indents JSON text token by token (two spaces), leaving strings untouched. Invalid JSON
/// comes out re-indented as far as its brackets go; nothing is lost.
pub fn pretty_json(input: &str, cancel: &AtomicBool) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len() + input.len() / 3);
    let mut depth: usize = 0;
    let mut i = 0;
    let mut last_was_open = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while i < bytes.len() {
        if i % (1 << 20) == 0 && cancel.load(Ordering::Relaxed) {
            return None;
        }
        let b = bytes[i];
        match b {
            b'"' => {
                // Copy the whole string, escapes included.
                let start = i;
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                let end = i.min(bytes.len());
                out.push_str(&input[start..end]);
                last_was_open = false;
                continue;
            }
            b'{' | b'[' => {
                out.push(b as char);
                depth += 1;
                last_was_open = true;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if !last_was_open {
                    newline(&mut out, depth);
                }
                out.push(b as char);
                last_was_open = false;
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
                last_was_open = false;
            }
            b':' => {
                out.push_str(": ");
                last_was_open = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => {
                if last_was_open {
                    newline(&mut out, depth);
                }
                // A run of literal characters (number, true, null...).
                let start = i;
                while i < bytes.len() && !b" \t\n\r,:{}[]\"".contains(&bytes[i]) {
                    i += 1;
                }
                out.push_str(&input[start..i]);
                last_was_open = false;
                continue;
            }
        }
        if last_was_open {
            // Look ahead: an empty container stays `{}`/`[]`.
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && (bytes[j] == b'}' || bytes[j] == b']') {
                // Leave last_was_open set so the closer does not add a newline.
            } else {
                newline(&mut out, depth);
                last_was_open = false;
            }
        }
        i += 1;
    }
    Some(out)
}

/// Byte offsets of every match of `needle` in `hay` (ASCII case-insensitive), at most `limit`.
pub fn find_all(hay: &str, needle: &str, limit: usize, cancel: &AtomicBool) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let needle_lower = needle.to_ascii_lowercase();
    let n = needle_lower.as_bytes();
    let h = hay.as_bytes();
    // Jump between occurrences of the needle's rarest byte (judged on a sample of the text),
    // not its first: in JSON a leading `"` is everywhere.
    let sample = &h[..h.len().min(1 << 16)];
    let mut counts = [0u32; 256];
    for &b in sample {
        counts[usize::from(b)] += 1;
    }
    let seen =
        |b: u8| counts[usize::from(b.to_ascii_lowercase())] + counts[usize::from(b.to_ascii_uppercase())];
    let k = (0..n.len()).min_by_key(|&i| seen(n[i])).unwrap_or(0);
    let (lower, upper) = (n[k].to_ascii_lowercase(), n[k].to_ascii_uppercase());
    let last_start = h.len().saturating_sub(n.len());
    let mut from = 0;
    let mut next_check = 0;
    while from <= last_start && h.len() >= n.len() {
        if from >= next_check {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            next_check = from + (1 << 22);
        }
        let Some(offset) = memchr::memchr2(lower, upper, &h[from + k..=last_start + k]) else { break };
        let i = from + offset;
        if h[i..i + n.len()].eq_ignore_ascii_case(n) {
            out.push(i);
            if out.len() >= limit {
                break;
            }
            from = i + n.len();
        } else {
            from = i + 1;
        }
    }
    out
}

/// A flag that stops background work whose result is no longer wanted.
#[derive(Clone, Default)]
pub struct CancelFlag(pub Arc<AtomicBool>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_prints_nested_json_and_keeps_strings() {
        let cancel = AtomicBool::new(false);
        let out = pretty_json(r#"{"a":[1,2,{"b":"x, y: {z}"}],"e":{},"f":[]}"#, &cancel).unwrap();
        assert_eq!(
            out,
            "{\n  \"a\": [\n    1,\n    2,\n    {\n      \"b\": \"x, y: {z}\"\n    }\n  ],\n  \"e\": {},\n  \"f\": []\n}"
        );
    }

    #[test]
    fn rows_cut_long_lines_without_losing_text() {
        let line = "é".repeat(MAX_ROW_BYTES);
        let doc = TextDoc::new(format!("{line}\nshort"));
        assert!(doc.rows() >= 3);
        let joined: String = (0..doc.rows()).map(|i| doc.row(i)).collect();
        assert_eq!(joined, format!("{line}short"));
        assert_eq!(doc.row(doc.rows() - 1), "short");
        assert_eq!(doc.row_of(doc.text.len() - 1), doc.rows() - 1);
    }

    /// The rows as the first, byte-at-a-time indexer cut them.
    fn reference_rows(text: &str) -> Vec<usize> {
        let (bytes, mut starts, mut row_start, mut i) = (text.as_bytes(), vec![0], 0, 0);
        while i < bytes.len() {
            if bytes[i] == b'\n' {
                row_start = i + 1;
                if row_start < bytes.len() {
                    starts.push(row_start);
                }
            } else if i - row_start >= MAX_ROW_BYTES {
                let mut cut = i;
                while cut > row_start && !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                row_start = cut;
                starts.push(cut);
            }
            i += 1;
        }
        starts
    }

    #[test]
    fn rows_match_the_reference_cutting() {
        let long = "x".repeat(MAX_ROW_BYTES * 3 + 7);
        let exact = "y".repeat(MAX_ROW_BYTES);
        let wide = "\u{65e5}\u{672c}".repeat(MAX_ROW_BYTES);
        for text in [
            String::new(),
            "\n".to_owned(),
            "a\n\nb\n".to_owned(),
            format!("{long}\n{exact}\n{exact}x\nend"),
            format!("{wide}\n{wide}"),
            format!("\n\n{long}"),
        ] {
            assert_eq!(
                TextDoc::new(text.clone()).row_starts,
                reference_rows(&text),
                "{:?}",
                &text[..text.len().min(20)]
            );
        }
    }

    #[test]
    fn indented_json_is_recognised() {
        assert!(looks_indented(
            b"[\n  {\n    \"id\": 1,\n    \"a\": 2\n  },\n  {\n    \"id\": 2,\n    \"a\": 3\n  }\n]"
        ));
        assert!(!looks_indented(b"[{\"id\":1},{\"id\":2}]"));
        assert!(!looks_indented(b"{\"a\":\n1}"));
    }

    #[test]
    fn finds_case_insensitively() {
        let cancel = AtomicBool::new(false);
        assert_eq!(find_all("Abc abc ABC", "abc", 10, &cancel), vec![0, 4, 8]);
        assert_eq!(find_all("Abc abc ABC", "abc", 2, &cancel), vec![0, 4]);
        assert_eq!(find_all("ab", "abc", 10, &cancel), Vec::<usize>::new());
        assert_eq!(find_all("xx\"Item 9\"", "\"item 9\"", 10, &cancel), vec![2]);
        assert_eq!(find_all("aaaa", "aa", 10, &cancel), vec![0, 2]);
        assert_eq!(find_all("é Zé", "zé", 10, &cancel), vec![3]);
        assert_eq!(find_all("{\"a\":1,\"b\":\"Item 7\"}", "\"item 7\"", 10, &cancel), vec![11]);
        let big = "{\"id\":1,\"name\":\"item 1\"},".repeat(1000) + "{\"name\":\"item 9999\"}";
        assert_eq!(find_all(&big, "\"item 9999\"", 10, &cancel), vec![big.len() - 12]);
    }
}
