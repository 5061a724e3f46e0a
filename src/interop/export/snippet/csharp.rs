//! C# (.NET 6+ top-level statements), with `System.Net.Http.HttpClient`.

use std::fmt::Write as _;

use super::{Prepared, PreparedBody, cs_str, file_name, form_text, headers_with_form_type, warn_unsigned};
use crate::interop::Report;

/// Headers that belong to the body (`HttpContent.Headers`), not to the request.
const CONTENT_HEADERS: [&str; 7] = [
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "content-location",
    "content-disposition",
    "content-md5",
];

pub(super) fn csharp(p: &Prepared, name: &str, report: &mut Report) -> String {
    let mut out = String::from("using System.Net.Http.Headers;\nusing System.Text;\n\n");
    out.push_str(&client(p));
    if let Some(ms) = p.timeout_ms {
        let _ = writeln!(out, "client.Timeout = TimeSpan.FromMilliseconds({ms});");
    }
    let _ = writeln!(
        out,
        "using var request = new HttpRequestMessage(new HttpMethod({}), {});",
        cs_str(&p.method),
        cs_str(&p.url)
    );
    let headers = headers_with_form_type(p);
    let (content_headers, request_headers): (Vec<_>, Vec<_>) =
        headers.into_iter().partition(|(k, _)| CONTENT_HEADERS.contains(&k.to_ascii_lowercase().as_str()));
    for (k, v) in &request_headers {
        let _ = writeln!(out, "request.Headers.TryAddWithoutValidation({}, {});", cs_str(k), cs_str(v));
    }
    if let Some((user, password)) = &p.credentials
        && !warn_unsigned(p, name, "HttpClient", report)
    {
        let _ = writeln!(
            out,
            "request.Headers.Authorization = new AuthenticationHeaderValue(\"Basic\", Convert.ToBase64String(Encoding.UTF8.GetBytes({})));",
            cs_str(&format!("{user}:{password}"))
        );
    }
    if body(p, &mut out) {
        for (k, v) in &content_headers {
            let _ = writeln!(out, "request.Content.Headers.Remove({});", cs_str(k));
            let _ = writeln!(
                out,
                "request.Content.Headers.TryAddWithoutValidation({}, {});",
                cs_str(k),
                cs_str(v)
            );
        }
    } else if !content_headers.is_empty() {
        report.warn(name, "HttpClient sends content headers only with a body; they are left out");
    }
    out.push_str("\nusing var response = await client.SendAsync(request);\n");
    out.push_str("Console.WriteLine((int)response.StatusCode);\nConsole.WriteLine(await response.Content.ReadAsStringAsync());\n");
    out
}

/// Writes `request.Content`; false when there is no body.
fn body(p: &Prepared, out: &mut String) -> bool {
    match &p.body {
        PreparedBody::None => return false,
        PreparedBody::Text(text) => {
            let _ = writeln!(out, "request.Content = new StringContent({});", cs_str(text));
        }
        PreparedBody::Form(fields) => {
            let _ = writeln!(out, "request.Content = new StringContent({});", cs_str(&form_text(fields)));
        }
        PreparedBody::File(path) => {
            let _ =
                writeln!(out, "request.Content = new ByteArrayContent(File.ReadAllBytes({}));", cs_str(path));
        }
        PreparedBody::Multipart(parts) => {
            out.push_str("var form = new MultipartFormDataContent();\n");
            for (i, (key, value, is_file, ct)) in parts.iter().enumerate() {
                let content = if *is_file {
                    format!("new ByteArrayContent(File.ReadAllBytes({}))", cs_str(value))
                } else {
                    format!("new StringContent({})", cs_str(value))
                };
                let _ = writeln!(out, "var part{i} = {content};");
                if !ct.is_empty() {
                    let _ = writeln!(
                        out,
                        "part{i}.Headers.ContentType = MediaTypeHeaderValue.Parse({});",
                        cs_str(ct)
                    );
                }
                if *is_file {
                    let _ =
                        writeln!(out, "form.Add(part{i}, {}, {});", cs_str(key), cs_str(file_name(value)));
                } else {
                    let _ = writeln!(out, "form.Add(part{i}, {});", cs_str(key));
                }
            }
            out.push_str("request.Content = form;\n");
        }
    }
    true
}

/// The client, with a handler when the request changes redirects or certificate checks.
fn client(p: &Prepared) -> String {
    let mut handler = Vec::new();
    match (p.follow_redirects, p.max_redirects) {
        (Some(false), _) => handler.push("AllowAutoRedirect = false".to_owned()),
        (_, Some(n)) => handler.push(format!("MaxAutomaticRedirections = {}", n.max(1))),
        _ => {}
    }
    if p.insecure {
        handler.push(
            "ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator"
                .to_owned(),
        );
    }
    if handler.is_empty() {
        return "using var client = new HttpClient();\n".to_owned();
    }
    let mut out = String::from("var handler = new HttpClientHandler\n{\n");
    for h in handler {
        let _ = writeln!(out, "    {h},");
    }
    out.push_str("};\nusing var client = new HttpClient(handler);\n");
    out
}
