//! Shell-style word splitting: quotes, $'...', escapes and the line continuations of sh, cmd and PowerShell.

use crate::interop::{Format, ImportError};

/// A word of a command line, with the line it started on (for messages).
#[derive(Clone, Debug)]
pub(super) struct Word {
    pub(super) text: String,
    pub(super) line: usize,
}

#[derive(Debug)]
pub(super) struct Command {
    pub(super) words: Vec<Word>,
    pub(super) line: usize,
}

pub(super) fn syntax(line: usize, column: usize, message: &str) -> ImportError {
    ImportError::Syntax { format: Format::Curl, line, column, message: message.to_owned() }
}

/// Splits text into commands of words, shell-style. Commands end at an unescaped newline or
/// at `;`, `&&`, `||`, `|` and `&`.
pub(super) fn split_commands(text: &str) -> Result<Vec<Command>, ImportError> {
    let text = normalize_continuations(text);
    let mut s = Splitter::new(&text);
    while let Some(&c) = s.chars.get(s.i) {
        s.column += 1;
        match c {
            '\n' => {
                s.finish_command();
                s.new_line();
                s.i += 1;
            }
            ' ' | '\t' | '\r' => {
                s.finish_word();
                s.i += 1;
            }
            '#' if !s.in_word => s.skip_comment(),
            ';' | '|' | '&' => {
                s.finish_command();
                s.i += 1;
            }
            '\\' => s.escaped(),
            '\'' => s.quoted(Quote::Single)?,
            '"' => s.quoted(Quote::Double)?,
            '$' if s.chars.get(s.i + 1) == Some(&'\'') => s.quoted(Quote::Ansi)?,
            other => {
                s.start_word();
                s.current.push(other);
                s.i += 1;
            }
        }
    }
    s.finish_command();
    Ok(s.commands)
}

/// The shell's three quotes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// `'...'`: every character as it is.
    Single,
    /// `"..."`: a backslash escapes `"`, `\`, `$`, `` ` `` and a line break, and is kept before
    /// anything else.
    Double,
    /// `$'...'`: C-style escapes (see [`ansi_escape`]).
    Ansi,
}

/// Where [`split_commands`] is in the text, and what it has read so far.
struct Splitter {
    chars: Vec<char>,
    /// The next character to read.
    i: usize,
    line: usize,
    column: usize,
    commands: Vec<Command>,
    /// The words of the command being read.
    words: Vec<Word>,
    /// The word being read, when `in_word`; it started on `word_line`.
    current: String,
    in_word: bool,
    word_line: usize,
}

impl Splitter {
    fn new(text: &str) -> Self {
        Splitter {
            chars: text.chars().collect(),
            i: 0,
            line: 1,
            column: 0,
            commands: Vec::new(),
            words: Vec::new(),
            current: String::new(),
            in_word: false,
            word_line: 1,
        }
    }

    fn new_line(&mut self) {
        self.line += 1;
        self.column = 0;
    }

    /// A character that belongs to a word: starts one unless it is already started.
    fn start_word(&mut self) {
        if !self.in_word {
            self.in_word = true;
            self.word_line = self.line;
        }
    }

    fn finish_word(&mut self) {
        if self.in_word {
            self.words.push(Word { text: std::mem::take(&mut self.current), line: self.word_line });
            self.in_word = false;
        }
    }

    /// Ends the word and the command being read; a command without words is none.
    fn finish_command(&mut self) {
        self.finish_word();
        // A shell prompt pasted along with the command.
        if self.words.first().is_some_and(|w| w.text == "$" || w.text == "%" || w.text == ">") {
            self.words.remove(0);
        }
        if !self.words.is_empty() {
            let line = self.words[0].line;
            self.commands.push(Command { words: std::mem::take(&mut self.words), line });
        }
    }

    /// A `#` comment: skipped up to the end of its line.
    fn skip_comment(&mut self) {
        while self.chars.get(self.i).is_some_and(|c| *c != '\n') {
            self.i += 1;
        }
    }

    /// A backslash outside quotes: a line continuation, or the character after it as it is.
    fn escaped(&mut self) {
        match self.chars.get(self.i + 1) {
            Some('\n') => self.new_line(),
            Some(&next) => {
                self.start_word();
                self.current.push(next);
            }
            None => {}
        }
        self.i += 2;
    }

    /// A quoted part of a word, from its opening quote through its closing one.
    fn quoted(&mut self, quote: Quote) -> Result<(), ImportError> {
        self.start_word();
        let (start_line, start_column) = (self.line, self.column);
        let (open_len, close, unterminated) = match quote {
            Quote::Single => (1, '\'', "unterminated single quote"),
            Quote::Double => (1, '"', "unterminated double quote"),
            Quote::Ansi => (2, '\'', "unterminated $'...' quote"),
        };
        self.i += open_len;
        loop {
            let Some(&c) = self.chars.get(self.i) else {
                return Err(syntax(start_line, start_column, unterminated));
            };
            if c == close {
                break;
            }
            self.i += match (quote, c) {
                (Quote::Double, '\\') => self.double_quoted_escape(),
                (Quote::Ansi, '\\') => 1 + ansi_escape(&self.chars, self.i + 1, &mut self.current),
                // Lines in `$'...'` are not counted.
                (Quote::Ansi, _) => {
                    self.current.push(c);
                    1
                }
                _ => {
                    if c == '\n' {
                        self.new_line();
                    }
                    self.current.push(c);
                    1
                }
            };
        }
        self.i += 1;
        Ok(())
    }

    /// A backslash inside double quotes; returns how many characters it used.
    fn double_quoted_escape(&mut self) -> usize {
        match self.chars.get(self.i + 1) {
            Some(&next @ ('"' | '\\' | '$' | '`')) => {
                self.current.push(next);
                2
            }
            Some('\n') => {
                self.new_line();
                2
            }
            _ => {
                self.current.push('\\');
                1
            }
        }
    }
}

/// One escape of a `$'...'` string starting at `chars[i]` (after the backslash); returns how
/// many characters it used.
pub(super) fn ansi_escape(chars: &[char], i: usize, out: &mut String) -> usize {
    let hex = |from: usize, max: usize| {
        let digits: String =
            chars.iter().skip(from).take(max).take_while(|c| c.is_ascii_hexdigit()).collect();
        (u32::from_str_radix(&digits, 16).ok(), digits.len())
    };
    match chars.get(i) {
        Some('n') => out.push('\n'),
        Some('t') => out.push('\t'),
        Some('r') => out.push('\r'),
        Some('0') => out.push('\0'),
        Some('e' | 'E') => out.push('\u{1b}'),
        Some('x') => {
            let (value, used) = hex(i + 1, 2);
            if let Some(ch) = value.and_then(char::from_u32) {
                out.push(ch);
            }
            return 1 + used;
        }
        Some('u') => {
            let (value, used) = hex(i + 1, 4);
            if let Some(ch) = value.and_then(char::from_u32) {
                out.push(ch);
            }
            return 1 + used;
        }
        Some(ch) => out.push(*ch),
        None => return 0,
    }
    1
}

/// Windows cmd (`^` at the end of a line, `^"` escapes) and PowerShell (`` ` `` at the end of a
/// line) continuations, turned into the shell's.
pub(super) fn normalize_continuations(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let cmd_style = text.lines().any(|l| l.trim_end().ends_with(" ^")) || text.contains("^\"");
    let powershell = text.lines().any(|l| l.trim_end().ends_with(" `"));
    if !cmd_style && !powershell {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' if cmd_style => match chars.next() {
                Some('\n') => out.push(' '),
                // `^"` is the quote that curl's argument parser sees; `\^"` a literal one.
                Some(next) => out.push(next),
                None => {}
            },
            '`' if powershell && chars.peek() == Some(&'\n') => {
                chars.next();
                out.push(' ');
            }
            other => out.push(other),
        }
    }
    out
}
