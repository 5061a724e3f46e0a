//! curl's options: the table of what each one takes, and reading a command's words into them.

use super::{Command, Word, build_request};
use crate::interop::{Format, ImportError, Report};
use crate::model::{FormPart, KeyValue, Request};

/// How an option uses its argument.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Opt {
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

pub(super) fn short_option(c: char) -> Option<Opt> {
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

pub(super) fn long_option(name: &str) -> Option<Opt> {
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
pub(super) enum DataPart {
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
pub(super) struct Parsed {
    pub(super) method: Option<String>,
    pub(super) urls: Vec<String>,
    pub(super) headers: Vec<KeyValue>,
    pub(super) data: Vec<DataPart>,
    pub(super) form: Vec<FormPart>,
    pub(super) user: Option<String>,
    pub(super) auth_kind: Option<&'static str>,
    pub(super) bearer: Option<String>,
    pub(super) aws: Option<String>,
    pub(super) insecure: bool,
    pub(super) location: bool,
    pub(super) max_redirs: Option<u32>,
    pub(super) post30x: bool,
    pub(super) get: bool,
    pub(super) head: bool,
    pub(super) url_queries: Vec<String>,
    pub(super) upload: Option<String>,
    pub(super) max_time_ms: Option<u64>,
}

pub(super) fn command_to_request(
    command: &Command,
    location: &str,
    report: &mut Report,
) -> Result<Request, ImportError> {
    let parsed = read_options(&command.words[1..], location, report)?;
    build_request(parsed, command.line, location, report)
}

pub(super) fn read_options(
    words: &[Word],
    location: &str,
    report: &mut Report,
) -> Result<Parsed, ImportError> {
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

pub(super) fn missing_argument(option: &str, word: &Word) -> ImportError {
    ImportError::Shape {
        format: Format::Curl,
        path: format!("line {}", word.line),
        message: format!("option {option} needs a value and the command ends"),
    }
}

pub(super) fn apply(
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
pub(super) fn redact_userinfo(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}(credentials)@{}", &url[..scheme_end + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// `--data-urlencode` forms: `content`, `=content`, `name=content`, `@file`, `name@file`.
pub(super) fn url_encode_part(arg: &str, location: &str, report: &mut Report) -> DataPart {
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

pub(super) fn file_encode_part(name: &str, path: &str, location: &str, report: &mut Report) -> DataPart {
    report.warn(
        location,
        format!("--data-urlencode reads {path} when curl runs; imported as the text `{name}@{path}`, fill in the value"),
    );
    DataPart::Text(if name.is_empty() { format!("@{path}") } else { format!("{name}@{path}") })
}

/// `-F name=value`, `-F name=@file;type=...;filename=...`, `-F name=<file`.
pub(super) fn form_part(arg: &str, location: &str, report: &mut Report) -> FormPart {
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
