//! A request from curl's options read: URL, method, body, headers and auth as curl would send them.

use indexmap::IndexMap;

use super::{DataPart, Parsed};
use crate::interop::foreign::postman::language_of_content_type;
use crate::interop::foreign::query::{percent_decode, percent_encode, query_params, request_name};
use crate::interop::{Format, ImportError, Report};
use crate::model::url_text::UrlText;
use crate::model::{
    Auth, AwsSigV4Auth, Body, BodyMode, DigestAuth, KeyValue, Method, NtlmAuth, RawLanguage, Request,
};

pub(super) fn build_request(
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
    crate::interop::foreign::drop_stale_multipart_type(&mut request);
    request.auth =
        auth(parsed.user.as_deref(), parsed.auth_kind, parsed.bearer, parsed.aws, location, report);
    request.settings.verify_tls = parsed.insecure.then_some(false);
    request.settings.follow_redirects = parsed.location.then_some(true);
    request.settings.max_redirects = parsed.max_redirs;
    request.settings.follow_original_method = parsed.post30x.then_some(true);
    request.settings.timeout_ms = parsed.max_time_ms;
    Ok(request)
}

pub(super) fn append_query(url: &mut String, query: &str) {
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
pub(super) fn url_query(arg: &str) -> String {
    if let Some(raw) = arg.strip_prefix('+') {
        return raw.to_owned();
    }
    match arg.split_once('=') {
        Some((name, value)) => format!("{name}={}", percent_encode(value)),
        None => percent_encode(arg),
    }
}

/// The data parts as curl sends them: joined with `&` (consecutive `--json` parts with nothing).
pub(super) fn join_data(parts: &[DataPart]) -> String {
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

pub(super) const FORM: &str = "application/x-www-form-urlencoded";

pub(super) fn data_body(
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

pub(super) fn add_json_headers(headers: &mut Vec<KeyValue>, content_type: Option<&str>) {
    if content_type.is_none() {
        headers.push(KeyValue::new("Content-Type", "application/json"));
    }
    if !headers.iter().any(|h| h.key.eq_ignore_ascii_case("accept")) {
        headers.push(KeyValue::new("Accept", "application/json"));
    }
}

/// The data as form rows, when it is cleanly `name=value&...` (every `%` a valid escape), so
/// that sending the rows sends the same bytes.
pub(super) fn form_rows(parts: &[DataPart]) -> Option<Vec<KeyValue>> {
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
pub(super) fn clean_escapes(text: &str) -> bool {
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

pub(super) fn auth(
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
