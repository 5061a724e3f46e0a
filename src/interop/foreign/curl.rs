//! cURL command lines, as pasted from a terminal, documentation or a browser's "Copy as cURL".
//!
//! The text is split into words the way a POSIX shell would (quotes, `$'...'`, backslash
//! escapes and line continuations; `^` continuations of Windows' cmd and PowerShell's backtick
//! too), then curl's own options are read. What a request cannot hold (a proxy, an output file,
//! client certificates) is listed in the report rather than silently dropped.

use indexmap::IndexMap;

use super::postman::language_of_content_type;
use super::query::{percent_decode, percent_encode, query_params, request_name};
use super::tree::Tree;
use crate::interop::{Format, ImportError, Imported, Report};
use crate::model::url_text::UrlText;
use crate::model::{
    Auth, AwsSigV4Auth, Body, BodyMode, Collection, CollectionId, DigestAuth, FormPart, KeyValue, Method,
    NtlmAuth, ParentId, RawLanguage, Request,
};

/// Reads one cURL command (the first, when the text holds several) into a request.
///
/// This is what the app uses when a user pastes a cURL command. Anything the command asks for
/// that a request cannot hold is dropped; [`parse_with_report`] says what.
pub fn parse(text: &str) -> Result<Request, ImportError> {
    parse_with_report(text).map(|(request, _)| request)
}

/// Like [`parse`], with the report of what did not carry over.
pub fn parse_with_report(text: &str) -> Result<(Request, Report), ImportError> {
    let commands = split_commands(text)?;
    let Some(command) = commands.into_iter().find(|c| is_curl(&c.words)) else {
        return Err(no_curl());
    };
    let mut report = Report::default();
    let request = command_to_request(&command, "cURL command", &mut report)?;
    Ok((request, report))
}

fn no_curl() -> ImportError {
    ImportError::Shape {
        format: Format::Curl,
        path: "line 1".into(),
        message: "no command starting with `curl`".into(),
    }
}

/// Whether text starts like a cURL command (after blank and `#` comment lines, and optionally a
/// `$ ` prompt).
pub(crate) fn looks_like(text: &str) -> bool {
    let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')) else {
        return false;
    };
    let text = first.strip_prefix("$ ").unwrap_or(first).trim_start();
    let word: String = text.chars().take_while(|c| !c.is_whitespace()).collect();
    let word = word.to_ascii_lowercase();
    word == "curl" || word == "curl.exe" || word.ends_with("/curl")
}

/// Every cURL command in `text` becomes a request of one collection.
pub(crate) fn import(text: &str, source_name: &str) -> Result<Imported, ImportError> {
    let name = super::stem(source_name);
    let commands = split_commands(text)?;
    let mut report = Report::default();
    let mut tree = Tree::new(uuid::Uuid::new_v4(), &name);
    let mut collection = Collection::new(&name);
    collection.id = CollectionId::new();
    let collection_id = tree.add_collection(collection);
    let mut count = 0;
    for command in &commands {
        if !is_curl(&command.words) {
            let first = command.words.first().map_or("", |w| w.text.as_str());
            report
                .warn(format!("line {}", command.line), format!("`{first}` is not a curl command; ignored"));
            continue;
        }
        count += 1;
        let location = format!("command {count} (line {})", command.line);
        let request = command_to_request(command, &location, &mut report)?;
        tree.add_request(ParentId::Collection(collection_id), request);
    }
    if count == 0 {
        return Err(no_curl());
    }
    Ok(Imported {
        format: Format::Curl,
        workspaces: vec![tree.into_data()],
        cookies: Vec::new(),
        report,
        bundle: None,
    })
}

fn is_curl(words: &[Word]) -> bool {
    words.first().is_some_and(|w| {
        let w = w.text.to_ascii_lowercase();
        w == "curl" || w == "curl.exe" || w.ends_with("/curl")
    })
}

/// A word of a command line, with the line it started on (for messages).
#[derive(Clone, Debug)]
struct Word {
    text: String,
    line: usize,
}

#[derive(Debug)]
struct Command {
    words: Vec<Word>,
    line: usize,
}

fn syntax(line: usize, column: usize, message: &str) -> ImportError {
    ImportError::Syntax { format: Format::Curl, line, column, message: message.to_owned() }
}

/// Splits text into commands of words, shell-style. Commands end at an unescaped newline or
/// at `;`, `&&`, `||`, `|` and `&`.
fn split_commands(text: &str) -> Result<Vec<Command>, ImportError> {
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
fn ansi_escape(chars: &[char], i: usize, out: &mut String) -> usize {
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
fn normalize_continuations(text: &str) -> String {
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

/// How an option uses its argument.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opt {
    Request,
    Url,
    Header,
    UserAgent,
    Referer,
    Cookie,
    Data,
    DataRaw,
    DataBinary,
    DataUrlEncode,
    Json,
    Form,
    FormString,
    User,
    Basic,
    Digest,
    Ntlm,
    Negotiate,
    AnyAuth,
    OAuth2Bearer,
    AwsSigV4,
    Insecure,
    Location,
    MaxRedirs,
    Post30x,
    Get,
    Head,
    UrlQuery,
    UploadFile,
    MaxTime,
    ConnectTimeout,
    Proxy,
    ProxyUser,
    Compressed,
    ClientCert,
    /// Takes an argument that does not change the request (output files, retries...).
    IgnoredWithArg,
    /// A switch that does not change the request (`-s`, `-v`, `--http2`...).
    IgnoredFlag,
}

impl Opt {
    fn takes_arg(self) -> bool {
        !matches!(
            self,
            Opt::Basic
                | Opt::Digest
                | Opt::Ntlm
                | Opt::Negotiate
                | Opt::AnyAuth
                | Opt::Insecure
                | Opt::Location
                | Opt::Post30x
                | Opt::Get
                | Opt::Head
                | Opt::Compressed
                | Opt::IgnoredFlag
        )
    }
}

fn short_option(c: char) -> Option<Opt> {
    Some(match c {
        'X' => Opt::Request,
        'H' => Opt::Header,
        'A' => Opt::UserAgent,
        'e' => Opt::Referer,
        'b' => Opt::Cookie,
        'd' => Opt::Data,
        'F' => Opt::Form,
        'u' => Opt::User,
        'k' => Opt::Insecure,
        'L' => Opt::Location,
        'G' => Opt::Get,
        'I' => Opt::Head,
        'T' => Opt::UploadFile,
        'm' => Opt::MaxTime,
        'x' => Opt::Proxy,
        'U' => Opt::ProxyUser,
        'E' => Opt::ClientCert,
        'o' | 'c' | 'D' | 'w' | 'K' | 'r' | 'y' | 'Y' | 'z' | 'C' | 'Q' | 't' | 'P' => Opt::IgnoredWithArg,
        's' | 'S' | 'v' | 'i' | 'f' | 'O' | 'N' | 'g' | '#' | '4' | '6' | '0' | '1' | '2' | '3' | 'n'
        | 'l' | 'j' | 'J' | 'R' | 'Z' | 'p' | 'q' | 'V' | 'M' | 'h' | 'B' | 'a' => Opt::IgnoredFlag,
        _ => return None,
    })
}

fn long_option(name: &str) -> Option<Opt> {
    Some(match name {
        "request" => Opt::Request,
        "url" => Opt::Url,
        "header" => Opt::Header,
        "user-agent" => Opt::UserAgent,
        "referer" => Opt::Referer,
        "cookie" => Opt::Cookie,
        "data" | "data-ascii" => Opt::Data,
        "data-raw" => Opt::DataRaw,
        "data-binary" => Opt::DataBinary,
        "data-urlencode" => Opt::DataUrlEncode,
        "json" => Opt::Json,
        "form" => Opt::Form,
        "form-string" => Opt::FormString,
        "user" => Opt::User,
        "basic" => Opt::Basic,
        "digest" => Opt::Digest,
        "ntlm" | "ntlm-wb" => Opt::Ntlm,
        "negotiate" => Opt::Negotiate,
        "anyauth" => Opt::AnyAuth,
        "oauth2-bearer" => Opt::OAuth2Bearer,
        "aws-sigv4" => Opt::AwsSigV4,
        "insecure" => Opt::Insecure,
        "location" | "location-trusted" => Opt::Location,
        "max-redirs" => Opt::MaxRedirs,
        "post301" | "post302" | "post303" => Opt::Post30x,
        "get" => Opt::Get,
        "head" => Opt::Head,
        "url-query" => Opt::UrlQuery,
        "upload-file" => Opt::UploadFile,
        "max-time" => Opt::MaxTime,
        "connect-timeout" => Opt::ConnectTimeout,
        "proxy" | "socks5" | "socks5-hostname" | "socks4" | "socks4a" | "preproxy" => Opt::Proxy,
        "proxy-user" => Opt::ProxyUser,
        "compressed" => Opt::Compressed,
        "cert" | "key" | "cacert" | "capath" | "cert-type" | "key-type" | "pass" | "crlfile"
        | "pinnedpubkey" => Opt::ClientCert,
        "output"
        | "cookie-jar"
        | "dump-header"
        | "write-out"
        | "config"
        | "range"
        | "speed-limit"
        | "speed-time"
        | "time-cond"
        | "continue-at"
        | "quote"
        | "telnet-option"
        | "ftp-port"
        | "retry"
        | "retry-delay"
        | "retry-max-time"
        | "stderr"
        | "trace"
        | "trace-ascii"
        | "output-dir"
        | "limit-rate"
        | "keepalive-time"
        | "resolve"
        | "connect-to"
        | "interface"
        | "dns-servers"
        | "max-filesize"
        | "expect100-timeout"
        | "parallel-max"
        | "rate"
        | "trace-config"
        | "etag-save"
        | "etag-compare"
        | "proto"
        | "proto-redir"
        | "proxy-header"
        | "noproxy"
        | "ciphers"
        | "tls-max"
        | "happy-eyeballs-timeout-ms"
        | "local-port"
        | "unix-socket"
        | "abstract-unix-socket"
        | "variable"
        | "expand-url"
        | "create-file-mode"
        | "netrc-file" => Opt::IgnoredWithArg,
        _ => return None,
    })
}

/// Every piece of `--data*`/`--json`, in order.
enum DataPart {
    /// Sent as is (`-d`, `--data-raw`, `--data-binary`).
    Text(String),
    /// `@file`: read from a file when sent.
    File(String),
    /// `--data-urlencode`: a name (maybe empty) and the value before encoding.
    Encoded {
        name: Option<String>,
        value: String,
    },
    Json(String),
}

#[derive(Default)]
struct Parsed {
    method: Option<String>,
    urls: Vec<String>,
    headers: Vec<KeyValue>,
    data: Vec<DataPart>,
    form: Vec<FormPart>,
    user: Option<String>,
    auth_kind: Option<&'static str>,
    bearer: Option<String>,
    aws: Option<String>,
    insecure: bool,
    location: bool,
    max_redirs: Option<u32>,
    post30x: bool,
    get: bool,
    head: bool,
    url_queries: Vec<String>,
    upload: Option<String>,
    max_time_ms: Option<u64>,
}

fn command_to_request(
    command: &Command,
    location: &str,
    report: &mut Report,
) -> Result<Request, ImportError> {
    let parsed = read_options(&command.words[1..], location, report)?;
    build_request(parsed, command.line, location, report)
}

fn read_options(words: &[Word], location: &str, report: &mut Report) -> Result<Parsed, ImportError> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    let mut options_done = false;
    while i < words.len() {
        let word = &words[i].text;
        i += 1;
        if options_done || !word.starts_with('-') || word == "-" {
            parsed.urls.push(word.clone());
            continue;
        }
        if word == "--" {
            options_done = true;
            continue;
        }
        if let Some(name) = word.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) if long_option(n).is_some_and(Opt::takes_arg) => (n, Some(v.to_owned())),
                _ => (name, None),
            };
            let Some(opt) = long_option(name) else {
                if name.starts_with("no-") {
                    continue;
                }
                report.warn(location, format!("curl option --{name} is not understood; ignored"));
                continue;
            };
            let arg = if opt.takes_arg() {
                match inline {
                    Some(v) => Some(v),
                    None => {
                        let Some(next) = words.get(i) else {
                            return Err(missing_argument(&format!("--{name}"), &words[i - 1]));
                        };
                        i += 1;
                        Some(next.text.clone())
                    }
                }
            } else {
                None
            };
            apply(&mut parsed, opt, &format!("--{name}"), arg, location, report);
            continue;
        }
        // Short options, possibly clustered (`-sSL`, `-XPOST`, `-d@file`).
        let cluster: Vec<char> = word.chars().skip(1).collect();
        let mut j = 0;
        while j < cluster.len() {
            let c = cluster[j];
            j += 1;
            let Some(opt) = short_option(c) else {
                report.warn(location, format!("curl option -{c} is not understood; ignored"));
                continue;
            };
            let arg = if opt.takes_arg() {
                if j < cluster.len() {
                    let rest: String = cluster[j..].iter().collect();
                    j = cluster.len();
                    Some(rest)
                } else {
                    let Some(next) = words.get(i) else {
                        return Err(missing_argument(&format!("-{c}"), &words[i - 1]));
                    };
                    i += 1;
                    Some(next.text.clone())
                }
            } else {
                None
            };
            apply(&mut parsed, opt, &format!("-{c}"), arg, location, report);
        }
    }
    Ok(parsed)
}

fn missing_argument(option: &str, word: &Word) -> ImportError {
    ImportError::Shape {
        format: Format::Curl,
        path: format!("line {}", word.line),
        message: format!("option {option} needs a value and the command ends"),
    }
}

fn apply(
    parsed: &mut Parsed,
    opt: Opt,
    name: &str,
    arg: Option<String>,
    location: &str,
    report: &mut Report,
) {
    let arg = arg.unwrap_or_default();
    match opt {
        Opt::Request => parsed.method = Some(arg),
        Opt::Url => parsed.urls.push(arg),
        Opt::Header => {
            if let Some(path) = arg.strip_prefix('@') {
                report.warn(location, format!("headers read from file {path} are not imported"));
                return;
            }
            match arg.split_once(':') {
                Some((key, value)) if value.trim().is_empty() => {
                    report.warn(
                        location,
                        format!("`-H '{}:'` removes a header curl adds by itself; not imported", key.trim()),
                    );
                }
                Some((key, value)) => parsed.headers.push(KeyValue::new(key.trim(), value.trim())),
                // `Name;` sends the header with an empty value.
                None => match arg.strip_suffix(';') {
                    Some(key) => parsed.headers.push(KeyValue::new(key.trim(), "")),
                    None => report.warn(location, format!("header `{}` has no `:`; ignored", arg.trim())),
                },
            }
        }
        Opt::UserAgent => parsed.headers.push(KeyValue::new("User-Agent", arg)),
        Opt::Referer => {
            let referer = arg.strip_suffix(";auto").unwrap_or(&arg).to_owned();
            if !referer.is_empty() {
                parsed.headers.push(KeyValue::new("Referer", referer));
            }
        }
        Opt::Cookie => {
            if arg.contains('=') {
                parsed.headers.push(KeyValue::new("Cookie", arg));
            } else {
                report.warn(location, format!("cookies read from file {arg} are not imported"));
            }
        }
        Opt::Data | Opt::DataBinary => parsed.data.push(match arg.strip_prefix('@') {
            Some(path) => {
                if opt == Opt::Data {
                    report.warn(
                        location,
                        format!("-d @{path}: curl strips line breaks from the file; Localpost sends the file as it is"),
                    );
                }
                DataPart::File(path.to_owned())
            }
            None => DataPart::Text(arg),
        }),
        Opt::DataRaw => parsed.data.push(DataPart::Text(arg)),
        Opt::DataUrlEncode => parsed.data.push(url_encode_part(&arg, location, report)),
        Opt::Json => parsed.data.push(match arg.strip_prefix('@') {
            Some(path) => DataPart::File(path.to_owned()),
            None => DataPart::Json(arg),
        }),
        Opt::Form => parsed.form.push(form_part(&arg, location, report)),
        Opt::FormString => {
            let (key, value) = arg.split_once('=').unwrap_or((&arg, ""));
            parsed.form.push(FormPart::text(key, value));
        }
        Opt::User => parsed.user = Some(arg),
        Opt::Basic => parsed.auth_kind = Some("basic"),
        Opt::Digest => parsed.auth_kind = Some("digest"),
        Opt::Ntlm => parsed.auth_kind = Some("ntlm"),
        Opt::Negotiate => parsed.auth_kind = Some("negotiate"),
        Opt::AnyAuth => {
            report.warn(location, "--anyauth: the server's choice is not known; basic auth is used");
        }
        Opt::OAuth2Bearer => parsed.bearer = Some(arg),
        Opt::AwsSigV4 => parsed.aws = Some(arg),
        Opt::Insecure => parsed.insecure = true,
        Opt::Location => parsed.location = true,
        Opt::MaxRedirs => match arg.trim().parse::<i64>() {
            Ok(n) if n >= 0 => parsed.max_redirs = u32::try_from(n).ok(),
            _ => report.warn(location, format!("{name} {arg}: not a redirect count; ignored")),
        },
        Opt::Post30x => parsed.post30x = true,
        Opt::Get => parsed.get = true,
        Opt::Head => parsed.head = true,
        Opt::UrlQuery => parsed.url_queries.push(arg),
        Opt::UploadFile => parsed.upload = Some(arg),
        Opt::MaxTime => match arg.trim().parse::<f64>() {
            Ok(secs) if secs.is_finite() && secs >= 0.0 => parsed.max_time_ms = Some((secs * 1000.0).round() as u64),
            _ => report.warn(location, format!("{name} {arg}: not a number of seconds; ignored")),
        },
        Opt::ConnectTimeout => report.warn(
            location,
            format!("{name} {arg}: the connect timeout is an app setting in Localpost (Settings); not kept on the request"),
        ),
        Opt::Proxy => report.warn(
            location,
            format!("proxy {}: Localpost's proxy is an app setting (Settings → Proxy); not kept on the request", redact_userinfo(&arg)),
        ),
        Opt::ProxyUser => report.warn(location, "proxy credentials (-U): set them with the proxy in Settings; not kept"),
        Opt::ClientCert => report.warn(
            location,
            format!("{name}: certificates are app settings in Localpost (Settings → Certificates); not kept"),
        ),
        Opt::Compressed | Opt::IgnoredWithArg | Opt::IgnoredFlag => {}
    }
}

/// A URL without `user:password@`, for messages.
fn redact_userinfo(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}(credentials)@{}", &url[..scheme_end + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// `--data-urlencode` forms: `content`, `=content`, `name=content`, `@file`, `name@file`.
fn url_encode_part(arg: &str, location: &str, report: &mut Report) -> DataPart {
    let eq = arg.find('=');
    let at = arg.find('@');
    match (eq, at) {
        (Some(e), Some(a)) if a < e => file_encode_part(&arg[..a], &arg[a + 1..], location, report),
        (None, Some(a)) => file_encode_part(&arg[..a], &arg[a + 1..], location, report),
        (Some(0), _) => DataPart::Encoded { name: None, value: arg[1..].to_owned() },
        (Some(e), _) => DataPart::Encoded { name: Some(arg[..e].to_owned()), value: arg[e + 1..].to_owned() },
        (None, None) => DataPart::Encoded { name: None, value: arg.to_owned() },
    }
}

fn file_encode_part(name: &str, path: &str, location: &str, report: &mut Report) -> DataPart {
    report.warn(
        location,
        format!("--data-urlencode reads {path} when curl runs; imported as the text `{name}@{path}`, fill in the value"),
    );
    DataPart::Text(if name.is_empty() { format!("@{path}") } else { format!("{name}@{path}") })
}

/// `-F name=value`, `-F name=@file;type=...;filename=...`, `-F name=<file`.
fn form_part(arg: &str, location: &str, report: &mut Report) -> FormPart {
    let (key, value) = arg.split_once('=').unwrap_or((arg, ""));
    if let Some(spec) = value.strip_prefix('@').or_else(|| value.strip_prefix('<')) {
        let mut pieces = spec.split(';');
        let path = pieces.next().unwrap_or_default().trim_matches('"').to_owned();
        let mut part = FormPart::file(key, path);
        for piece in pieces {
            match piece.split_once('=') {
                Some(("type", mime)) => part.content_type = mime.to_owned(),
                Some(("filename", name)) => {
                    report.warn(
                        location,
                        format!(
                            "-F {key}: the file name sent ({name}) is not kept; the file's own name is used"
                        ),
                    );
                }
                _ => {}
            }
        }
        if value.starts_with('<') {
            report.warn(
                location,
                format!("-F {key}=<file sends the file's text as a field; imported as a file part"),
            );
        }
        part
    } else {
        let mut pieces = value.split(';');
        let text = pieces.next().unwrap_or_default();
        let mut part = FormPart::text(key, text);
        for piece in pieces {
            if let Some(("type", mime)) = piece.split_once('=') {
                part.content_type = mime.to_owned();
            }
        }
        part
    }
}

fn build_request(
    parsed: Parsed,
    line: usize,
    location: &str,
    report: &mut Report,
) -> Result<Request, ImportError> {
    let mut urls = parsed.urls.into_iter().filter(|u| !u.is_empty());
    let Some(mut url) = urls.next() else {
        return Err(ImportError::Shape {
            format: Format::Curl,
            path: format!("line {line}"),
            message: "the command has no URL".into(),
        });
    };
    let extra: Vec<String> = urls.collect();
    if !extra.is_empty() {
        report.warn(location, format!("only the first URL is imported; also given: {}", extra.join(", ")));
    }
    if !url.contains("://") {
        url = format!("http://{url}");
    }
    for query in &parsed.url_queries {
        append_query(&mut url, &url_query(query));
    }

    let mut headers = parsed.headers;
    let content_type =
        headers.iter().find(|h| h.key.eq_ignore_ascii_case("content-type")).map(|h| h.value.clone());
    let mut body = Body::default();
    let has_data = !parsed.data.is_empty();
    let is_json = parsed.data.iter().any(|p| matches!(p, DataPart::Json(_)));

    if parsed.get && has_data {
        let query = join_data(&parsed.data);
        append_query(&mut url, &query);
    } else if !parsed.form.is_empty() {
        if has_data {
            report.warn(location, "both -d and -F given (curl refuses that); the -F form is imported");
        }
        body.mode = BodyMode::Multipart;
        body.multipart = parsed.form;
    } else if has_data {
        body = data_body(&parsed.data, content_type.as_deref(), is_json, &mut headers, location, report);
    } else if let Some(path) = &parsed.upload {
        body.mode = BodyMode::Binary;
        body.binary_path.clone_from(path);
    }

    let method = match parsed.method {
        Some(m) if !m.trim().is_empty() => m.trim().to_owned(),
        _ if parsed.head => "HEAD".to_owned(),
        _ if parsed.get => "GET".to_owned(),
        _ if parsed.upload.is_some() => "PUT".to_owned(),
        _ if body.mode != BodyMode::None => "POST".to_owned(),
        _ => "GET".to_owned(),
    };

    let mut request = Request::new(request_name(&method, &url));
    request.method = Method::parse(&method);
    request.params = query_params(&url);
    request.url = url;
    request.headers = headers;
    request.body = body;
    super::drop_stale_multipart_type(&mut request);
    request.auth =
        auth(parsed.user.as_deref(), parsed.auth_kind, parsed.bearer, parsed.aws, location, report);
    request.settings.verify_tls = parsed.insecure.then_some(false);
    request.settings.follow_redirects = parsed.location.then_some(true);
    request.settings.max_redirects = parsed.max_redirs;
    request.settings.follow_original_method = parsed.post30x.then_some(true);
    request.settings.timeout_ms = parsed.max_time_ms;
    Ok(request)
}

fn append_query(url: &mut String, query: &str) {
    if query.is_empty() {
        return;
    }
    let u = UrlText::parse(url);
    let joined = match u.query {
        Some(own) if !own.is_empty() => format!("{own}&{query}"),
        _ => query.to_owned(),
    };
    *url = u.with_query(&joined);
}

/// `--url-query`: `name=content` encodes content; `+name=content` is sent as is.
fn url_query(arg: &str) -> String {
    if let Some(raw) = arg.strip_prefix('+') {
        return raw.to_owned();
    }
    match arg.split_once('=') {
        Some((name, value)) => format!("{name}={}", percent_encode(value)),
        None => percent_encode(arg),
    }
}

/// The data parts as curl sends them: joined with `&` (consecutive `--json` parts with nothing).
fn join_data(parts: &[DataPart]) -> String {
    let mut out = String::new();
    let mut previous_json = false;
    for (i, part) in parts.iter().enumerate() {
        let is_json = matches!(part, DataPart::Json(_));
        if i > 0 && !(is_json && previous_json) {
            out.push('&');
        }
        match part {
            DataPart::Text(t) | DataPart::Json(t) => out.push_str(t),
            DataPart::File(path) => {
                out.push('@');
                out.push_str(path);
            }
            DataPart::Encoded { name: Some(name), value } => {
                out.push_str(name);
                out.push('=');
                out.push_str(&percent_encode(value));
            }
            DataPart::Encoded { name: None, value } => out.push_str(&percent_encode(value)),
        }
        previous_json = is_json;
    }
    out
}

const FORM: &str = "application/x-www-form-urlencoded";

fn data_body(
    parts: &[DataPart],
    content_type: Option<&str>,
    is_json: bool,
    headers: &mut Vec<KeyValue>,
    location: &str,
    report: &mut Report,
) -> Body {
    // A single `@file` is the whole body, read when sent.
    if let [DataPart::File(path)] = parts {
        if is_json || parts.iter().any(|p| matches!(p, DataPart::Json(_))) {
            add_json_headers(headers, content_type);
        }
        return Body { mode: BodyMode::Binary, binary_path: path.clone(), ..Body::default() };
    }
    if parts.iter().any(|p| matches!(p, DataPart::File(_))) {
        report.warn(
            location,
            "data read from files (@file) mixed with other data is imported as the text `@file`",
        );
    }
    let text = join_data(parts);
    if is_json {
        add_json_headers(headers, content_type);
        return Body::raw(RawLanguage::Json, text);
    }
    let form_type = content_type.is_none_or(|ct| ct.to_ascii_lowercase().starts_with(FORM));
    if form_type && let Some(rows) = form_rows(parts) {
        return Body { mode: BodyMode::UrlEncoded, urlencoded: rows, ..Body::default() };
    }
    let language = match content_type {
        Some(ct) => language_of_content_type(ct),
        None => {
            if serde_json::from_str::<serde_json::Value>(&text).is_ok()
                && text.trim_start().starts_with(['{', '['])
            {
                report.warn(
                    location,
                    "the data looks like JSON but the command sets no Content-Type, so curl sends it as \
                     application/x-www-form-urlencoded; kept that way",
                );
                RawLanguage::Json
            } else {
                RawLanguage::Text
            }
        }
    };
    if content_type.is_none() {
        headers.push(KeyValue::new("Content-Type", FORM));
    }
    Body::raw(language, text)
}

fn add_json_headers(headers: &mut Vec<KeyValue>, content_type: Option<&str>) {
    if content_type.is_none() {
        headers.push(KeyValue::new("Content-Type", "application/json"));
    }
    if !headers.iter().any(|h| h.key.eq_ignore_ascii_case("accept")) {
        headers.push(KeyValue::new("Accept", "application/json"));
    }
}

/// The data as form rows, when it is cleanly `name=value&...` (every `%` a valid escape), so
/// that sending the rows sends the same bytes.
fn form_rows(parts: &[DataPart]) -> Option<Vec<KeyValue>> {
    let mut rows = Vec::new();
    for part in parts {
        match part {
            DataPart::Text(text) => {
                for pair in text.split('&').filter(|p| !p.is_empty()) {
                    let (key, value) = pair.split_once('=')?;
                    if key.is_empty() || !clean_escapes(key) || !clean_escapes(value) {
                        return None;
                    }
                    rows.push(KeyValue::new(percent_decode(key, true), percent_decode(value, true)));
                }
            }
            DataPart::Encoded { name: Some(name), value } => {
                rows.push(KeyValue::new(name.clone(), value.clone()));
            }
            DataPart::Encoded { name: None, .. } | DataPart::File(_) | DataPart::Json(_) => return None,
        }
    }
    (!rows.is_empty()).then_some(rows)
}

/// Whether every `%` starts a two-digit hex escape.
fn clean_escapes(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if i + 2 >= bytes.len() {
                return false;
            }
            if !(bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

fn auth(
    user: Option<&str>,
    kind: Option<&'static str>,
    bearer: Option<String>,
    aws: Option<String>,
    location: &str,
    report: &mut Report,
) -> Auth {
    if let Some(token) = bearer {
        return Auth::Bearer { token };
    }
    let (username, password) = match user {
        Some(user) => match user.split_once(':') {
            Some((u, p)) => (u.to_owned(), p.to_owned()),
            None => {
                report.warn(
                    location,
                    "-u without a password: curl would ask for it; the password is left empty",
                );
                (user.to_owned(), String::new())
            }
        },
        None => (String::new(), String::new()),
    };
    if let Some(spec) = aws {
        // `aws:amz:REGION:SERVICE`
        let fields: Vec<&str> = spec.split(':').collect();
        return Auth::AwsSigV4(AwsSigV4Auth {
            access_key: username,
            secret_key: password,
            region: fields.get(2).copied().unwrap_or_default().to_owned(),
            service: fields.get(3).copied().unwrap_or_default().to_owned(),
            session_token: String::new(),
        });
    }
    if user.is_none() {
        // The command says exactly how it authenticates: not at all, or by its own headers.
        return Auth::None;
    }
    match kind {
        Some("digest") => Auth::Digest(DigestAuth { username, password, ..DigestAuth::default() }),
        Some("ntlm") => Auth::Ntlm(NtlmAuth { username, password, ..NtlmAuth::default() }),
        Some(other @ "negotiate") => {
            report.warn(
                location,
                format!("{other} auth is kept with its settings but Localpost cannot send it"),
            );
            let mut params = IndexMap::new();
            params.insert("username".to_owned(), username);
            params.insert("password".to_owned(), password);
            Auth::Unsupported { kind: other.to_owned(), params }
        }
        _ => Auth::Basic { username, password },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FormPartKind;

    fn words(text: &str) -> Vec<String> {
        split_commands(text).unwrap().remove(0).words.into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            words(r#"curl 'a b' "c \"d\" \$e" f\ g $'h\ni' "x"'y'z"#),
            ["curl", "a b", "c \"d\" $e", "f g", "h\ni", "xyz"]
        );
        assert_eq!(words("curl \\\n  -X POST \\\n  http://x"), ["curl", "-X", "POST", "http://x"]);
        assert_eq!(words("curl http://x/a\\?b"), ["curl", "http://x/a?b"]);
    }

    #[test]
    fn windows_and_powershell_continuations() {
        assert_eq!(
            words("curl \"http://x/\" ^\n  -H ^\"Accept: */*^\" ^\n  --compressed"),
            ["curl", "http://x/", "-H", "Accept: */*", "--compressed"]
        );
        assert_eq!(words("curl http://x `\n -k"), ["curl", "http://x", "-k"]);
    }

    #[test]
    fn unterminated_quote_is_a_syntax_error() {
        let err = parse("curl 'http://x\n -H foo").unwrap_err();
        assert!(matches!(err, ImportError::Syntax { line: 1, column: 6, .. }), "{err:?}");
    }

    #[test]
    fn commands_end_at_separators() {
        let commands = split_commands("curl http://a | jq .\ncurl http://b; echo done").unwrap();
        let firsts: Vec<&str> = commands.iter().map(|c| c.words[0].text.as_str()).collect();
        assert_eq!(firsts, ["curl", "jq", "curl", "echo"]);
    }

    #[test]
    fn clustered_short_options() {
        let request = parse("curl -sSLk -XPUT -HX-A:1 -d@body.json http://x").unwrap();
        assert_eq!(request.method, Method::Put);
        assert_eq!(request.settings.follow_redirects, Some(true));
        assert_eq!(request.settings.verify_tls, Some(false));
        assert_eq!(request.headers, [KeyValue::new("X-A", "1")]);
        assert_eq!((request.body.mode, request.body.binary_path.as_str()), (BodyMode::Binary, "body.json"));
    }

    #[test]
    fn data_urlencode_and_get() {
        let request = parse("curl -G http://x/s --data-urlencode 'q=a b&c' -d n=1").unwrap();
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.url, "http://x/s?q=a%20b%26c&n=1");
        assert_eq!(request.body.mode, BodyMode::None);
    }

    #[test]
    fn form_data_becomes_rows_when_clean() {
        let request = parse("curl -d 'a=1&b=x%20y' --data-urlencode 'c=d e' http://x").unwrap();
        assert_eq!(request.method, Method::Post);
        let rows: Vec<(&str, &str)> =
            request.body.urlencoded.iter().map(|r| (r.key.as_str(), r.value.as_str())).collect();
        assert_eq!(rows, [("a", "1"), ("b", "x y"), ("c", "d e")]);
    }

    #[test]
    fn multipart_with_file_and_type() {
        let request = parse("curl -F 'name=x' -F 'file=@/tmp/a.png;type=image/png' http://x").unwrap();
        assert_eq!(request.body.mode, BodyMode::Multipart);
        assert_eq!(request.body.multipart[1].kind, FormPartKind::File("/tmp/a.png".into()));
        assert_eq!(request.body.multipart[1].content_type, "image/png");
    }

    #[test]
    fn auth_flags() {
        let digest = parse("curl --digest -u 'a:b:c' http://x").unwrap();
        assert_eq!(
            digest.auth,
            Auth::Digest(DigestAuth {
                username: "a".into(),
                password: "b:c".into(),
                ..DigestAuth::default()
            })
        );
        let bearer = parse("curl --oauth2-bearer tok http://x").unwrap();
        assert_eq!(bearer.auth, Auth::Bearer { token: "tok".into() });
        let none = parse("curl -H 'Authorization: Bearer t' http://x").unwrap();
        assert_eq!(none.auth, Auth::None);
        let aws = parse("curl --aws-sigv4 aws:amz:eu-west-1:s3 -u AK:SK https://x").unwrap();
        let Auth::AwsSigV4(aws) = aws.auth else { panic!() };
        assert_eq!(
            (aws.region.as_str(), aws.service.as_str(), aws.access_key.as_str()),
            ("eu-west-1", "s3", "AK")
        );
    }

    #[test]
    fn proxy_is_reported_without_credentials() {
        let (_, report) = parse_with_report("curl -x http://u:p@proxy:8080 -U u:p http://x").unwrap();
        let text: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].contains("http://(credentials)@proxy:8080"));
        assert!(!text.iter().any(|t| t.contains("u:p")));
    }

    #[test]
    fn url_query_and_head() {
        let request = parse("curl -I --url-query 'a=b c' --url-query +raw=%41 https://x/p#frag").unwrap();
        assert_eq!(request.method, Method::Head);
        assert_eq!(request.url, "https://x/p?a=b%20c&raw=%41#frag");
    }

    #[test]
    fn a_pasted_prompt_is_skipped() {
        assert_eq!(parse("$ curl -s https://x/p").unwrap().url, "https://x/p");
    }

    #[test]
    fn no_url_is_an_error() {
        let err = parse("curl -X POST").unwrap_err();
        assert_eq!(err.to_string(), "read as cURL command: line 1: the command has no URL");
    }
}
