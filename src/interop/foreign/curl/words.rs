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
    let chars: Vec<char> = text.chars().collect();
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut word_line = 1;
    let (mut line, mut column) = (1usize, 0usize);
    let mut i = 0;
    let finish_word = |words: &mut Vec<Word>, current: &mut String, in_word: &mut bool, word_line: usize| {
        if *in_word {
            words.push(Word { text: std::mem::take(current), line: word_line });
            *in_word = false;
        }
    };
    let finish_command = |commands: &mut Vec<Command>, words: &mut Vec<Word>| {
        // A shell prompt pasted along with the command.
        if words.first().is_some_and(|w| w.text == "$" || w.text == "%" || w.text == ">") {
            words.remove(0);
        }
        if !words.is_empty() {
            let line = words[0].line;
            commands.push(Command { words: std::mem::take(words), line });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        column += 1;
        match c {
            '\n' => {
                finish_word(&mut words, &mut current, &mut in_word, word_line);
                finish_command(&mut commands, &mut words);
                line += 1;
                column = 0;
                i += 1;
            }
            ' ' | '\t' | '\r' => {
                finish_word(&mut words, &mut current, &mut in_word, word_line);
                i += 1;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ';' | '|' | '&' => {
                finish_word(&mut words, &mut current, &mut in_word, word_line);
                finish_command(&mut commands, &mut words);
                i += 1;
            }
            '\\' => {
                match chars.get(i + 1) {
                    Some('\n') => {
                        line += 1;
                        column = 0;
                    }
                    Some(next) => {
                        if !in_word {
                            in_word = true;
                            word_line = line;
                        }
                        current.push(*next);
                    }
                    None => {}
                }
                i += 2;
            }
            '\'' => {
                if !in_word {
                    in_word = true;
                    word_line = line;
                }
                let (start_line, start_column) = (line, column);
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(syntax(start_line, start_column, "unterminated single quote")),
                        Some('\'') => break,
                        Some(ch) => {
                            if *ch == '\n' {
                                line += 1;
                                column = 0;
                            }
                            current.push(*ch);
                        }
                    }
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                if !in_word {
                    in_word = true;
                    word_line = line;
                }
                let (start_line, start_column) = (line, column);
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(syntax(start_line, start_column, "unterminated double quote")),
                        Some('"') => break,
                        Some('\\') => match chars.get(i + 1) {
                            Some(next @ ('"' | '\\' | '$' | '`')) => {
                                current.push(*next);
                                i += 1;
                            }
                            Some('\n') => {
                                line += 1;
                                column = 0;
                                i += 1;
                            }
                            _ => current.push('\\'),
                        },
                        Some(ch) => {
                            if *ch == '\n' {
                                line += 1;
                                column = 0;
                            }
                            current.push(*ch);
                        }
                    }
                    i += 1;
                }
                i += 1;
            }
            '$' if chars.get(i + 1) == Some(&'\'') => {
                if !in_word {
                    in_word = true;
                    word_line = line;
                }
                let (start_line, start_column) = (line, column);
                i += 2;
                loop {
                    match chars.get(i) {
                        None => return Err(syntax(start_line, start_column, "unterminated $'...' quote")),
                        Some('\'') => break,
                        Some('\\') => {
                            i += 1;
                            i += ansi_escape(&chars, i, &mut current);
                            continue;
                        }
                        Some(ch) => current.push(*ch),
                    }
                    i += 1;
                }
                i += 1;
            }
            other => {
                if !in_word {
                    in_word = true;
                    word_line = line;
                }
                current.push(other);
                i += 1;
            }
        }
    }
    finish_word(&mut words, &mut current, &mut in_word, word_line);
    finish_command(&mut commands, &mut words);
    Ok(commands)
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
