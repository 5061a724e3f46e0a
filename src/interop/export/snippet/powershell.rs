//! PowerShell 7+, with `Invoke-WebRequest`.

use std::fmt::Write as _;

use super::{Prepared, PreparedBody, form_text, header, ps_str, warn_unsigned};
use crate::interop::Report;

const STANDARD_METHODS: [&str; 9] =
    ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "MERGE"];

pub(super) fn powershell(p: &Prepared, name: &str, report: &mut Report) -> String {
    let mut out = String::new();
    let mut args = vec![format!("-Uri {}", ps_str(&p.url))];
    if STANDARD_METHODS.contains(&p.method.as_str()) {
        args.push(format!("-Method {}", ps_str(&p.method)));
    } else {
        args.push(format!("-CustomMethod {}", ps_str(&p.method)));
    }
    let mut headers: Vec<(String, String)> =
        p.headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("content-type")).cloned().collect();
    if let Some((user, password)) = &p.credentials
        && !warn_unsigned(p, name, "Invoke-WebRequest", report)
    {
        let _ = writeln!(
            out,
            "$basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes({}))",
            ps_str(&format!("{user}:{password}"))
        );
        headers.push(("Authorization".into(), "__BASIC__".into()));
    }
    if !headers.is_empty() {
        out.push_str("$headers = [ordered]@{\n");
        for (k, v) in &headers {
            let value = if v == "__BASIC__" { "'Basic ' + $basic".to_owned() } else { ps_str(v) };
            let _ = writeln!(out, "    {} = {value}", ps_str(k));
        }
        out.push_str("}\n");
        args.push("-Headers $headers".into());
    }
    let content_type = header(p, "content-type");
    match &p.body {
        PreparedBody::None => {}
        PreparedBody::Text(text) => {
            let _ = writeln!(out, "$body = {}", ps_str(text));
            args.push("-Body $body".into());
        }
        PreparedBody::Form(fields) => {
            let _ = writeln!(out, "$body = {}", ps_str(&form_text(fields)));
            args.push("-Body $body".into());
            if content_type.is_none() {
                args.push("-ContentType 'application/x-www-form-urlencoded'".into());
            }
        }
        PreparedBody::File(path) => args.push(format!("-InFile {}", ps_str(path))),
        PreparedBody::Multipart(parts) => {
            out.push_str("$form = [ordered]@{\n");
            for (key, value, is_file, ct) in parts {
                if !ct.is_empty() {
                    report.warn(name, format!("-Form cannot set the type of part {key}; it goes without it"));
                }
                let value =
                    if *is_file { format!("Get-Item -LiteralPath {}", ps_str(value)) } else { ps_str(value) };
                let _ = writeln!(out, "    {} = {value}", ps_str(key));
            }
            out.push_str("}\n");
            args.push("-Form $form".into());
        }
    }
    if let Some(ct) = content_type {
        args.push(format!("-ContentType {}", ps_str(ct)));
    }
    if p.follow_redirects == Some(false) {
        args.push("-MaximumRedirection 0".into());
    } else if let Some(n) = p.max_redirects {
        args.push(format!("-MaximumRedirection {n}"));
    }
    if p.insecure {
        args.push("-SkipCertificateCheck".into());
    }
    if let Some(ms) = p.timeout_ms {
        args.push(format!("-TimeoutSec {}", ms.div_ceil(1000)));
    }
    let _ = write!(
        out,
        "$response = Invoke-WebRequest {}\n$response.StatusCode\n$response.Content\n",
        args.join(" `\n    ")
    );
    out
}
