//! GNU wget (1.15+: `--method`, `--body-data`, `--body-file`), POSIX shell quoting.

use super::{Prepared, PreparedBody, form_text, header, quote};
use crate::interop::Report;

pub(super) fn wget(p: &Prepared, name: &str, report: &mut Report) -> String {
    let mut args = vec!["wget".to_owned(), "--quiet".to_owned(), format!("--method {}", quote(&p.method))];
    for (k, v) in &p.headers {
        args.push(format!("--header {}", quote(&format!("{k}: {v}"))));
    }
    if let Some((user, password)) = &p.credentials {
        if p.aws_sigv4.is_some() {
            report.warn(name, "wget has no AWS Signature v4 built in; the request goes without it");
        } else {
            // Basic goes with the first request; digest answers the server's challenge.
            if !p.digest {
                args.push("--auth-no-challenge".into());
            }
            args.push(format!("--user {}", quote(user)));
            args.push(format!("--password {}", quote(password)));
        }
    }
    match &p.body {
        PreparedBody::None => {}
        PreparedBody::Text(text) => args.push(format!("--body-data {}", quote(text))),
        PreparedBody::Form(fields) => {
            if header(p, "content-type").is_none() {
                args.push("--header 'Content-Type: application/x-www-form-urlencoded'".into());
            }
            args.push(format!("--body-data {}", quote(&form_text(fields))));
        }
        PreparedBody::File(path) => args.push(format!("--body-file {}", quote(path))),
        PreparedBody::Multipart(_) => report.warn(
            name,
            "wget cannot build a multipart/form-data body; the snippet goes without it (cURL can)",
        ),
    }
    if p.follow_redirects == Some(false) {
        args.push("--max-redirect 0".into());
    } else if let Some(n) = p.max_redirects {
        args.push(format!("--max-redirect {n}"));
    }
    if p.insecure {
        args.push("--no-check-certificate".into());
    }
    if let Some(ms) = p.timeout_ms {
        args.push(format!("--timeout {}", ms.div_ceil(1000)));
    }
    args.push("--output-document -".into());
    args.push(quote(&p.url));
    args.join(" \\\n  ")
}
