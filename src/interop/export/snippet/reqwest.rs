//! Rust, with reqwest's blocking client (features `blocking` and, for forms with files,
//! `multipart`).

use std::fmt::Write as _;

use super::{Prepared, PreparedBody, form_text, headers_with_form_type, rust_str, warn_unsigned};
use crate::interop::Report;

const STANDARD_METHODS: [&str; 9] =
    ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "CONNECT", "PATCH", "TRACE"];

pub(super) fn reqwest(p: &Prepared, name: &str, report: &mut Report) -> String {
    let multipart = matches!(p.body, PreparedBody::Multipart(_));
    let features = if multipart { "\"blocking\", \"multipart\"" } else { "\"blocking\"" };
    let mut out = format!("// Cargo.toml: reqwest = {{ version = \"0.13\", features = [{features}] }}\n");
    if p.timeout_ms.is_some() {
        out.push_str("use std::time::Duration;\n");
    }
    out.push_str("\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n");
    out.push_str(&client(p));
    if let PreparedBody::Multipart(parts) = &p.body {
        out.push_str("    let form = reqwest::blocking::multipart::Form::new()");
        for (key, value, is_file, ct) in parts {
            let part = match (is_file, ct.is_empty()) {
                (false, true) => format!(".text({}, {})", rust_str(key), rust_str(value)),
                (true, true) => format!(".file({}, {})?", rust_str(key), rust_str(value)),
                (false, false) => format!(
                    ".part({}, reqwest::blocking::multipart::Part::text({}).mime_str({})?)",
                    rust_str(key),
                    rust_str(value),
                    rust_str(ct)
                ),
                (true, false) => format!(
                    ".part({}, reqwest::blocking::multipart::Part::file({})?.mime_str({})?)",
                    rust_str(key),
                    rust_str(value),
                    rust_str(ct)
                ),
            };
            let _ = write!(out, "\n        {part}");
        }
        out.push_str(";\n");
    }
    let method = if STANDARD_METHODS.contains(&p.method.as_str()) {
        format!("reqwest::Method::{}", p.method)
    } else {
        format!("reqwest::Method::from_bytes({})?", byte_str(&p.method))
    };
    let _ = write!(out, "    let response = client\n        .request({method}, {})", rust_str(&p.url));
    for (k, v) in headers_with_form_type(p) {
        let _ = write!(out, "\n        .header({}, {})", rust_str(&k), rust_str(&v));
    }
    if let Some((user, password)) = &p.credentials
        && !warn_unsigned(p, name, "reqwest", report)
    {
        let _ = write!(out, "\n        .basic_auth({}, Some({}))", rust_str(user), rust_str(password));
    }
    match &p.body {
        PreparedBody::None => {}
        PreparedBody::Text(text) => {
            let _ = write!(out, "\n        .body({})", rust_str(text));
        }
        PreparedBody::Form(fields) => {
            let _ = write!(out, "\n        .body({})", rust_str(&form_text(fields)));
        }
        PreparedBody::File(path) => {
            let _ = write!(out, "\n        .body(std::fs::File::open({})?)", rust_str(path));
        }
        PreparedBody::Multipart(_) => out.push_str("\n        .multipart(form)"),
    }
    out.push_str("\n        .send()?;\n");
    out.push_str(
        "    println!(\"{}\", response.status());\n    println!(\"{}\", response.text()?);\n    Ok(())\n}\n",
    );
    out
}

/// The client builder with the request's timeout, certificate checks and redirect rule.
fn client(p: &Prepared) -> String {
    let mut options = Vec::new();
    if let Some(ms) = p.timeout_ms {
        options.push(format!(".timeout(Duration::from_millis({ms}))"));
    }
    if p.insecure {
        options.push(".danger_accept_invalid_certs(true)".to_owned());
    }
    match (p.follow_redirects, p.max_redirects) {
        (Some(false), _) => options.push(".redirect(reqwest::redirect::Policy::none())".to_owned()),
        (_, Some(n)) => options.push(format!(".redirect(reqwest::redirect::Policy::limited({n}))")),
        _ => {}
    }
    if options.is_empty() {
        return "    let client = reqwest::blocking::Client::new();\n".to_owned();
    }
    let mut out = String::from("    let client = reqwest::blocking::Client::builder()");
    for o in options {
        let _ = write!(out, "\n        {o}");
    }
    out.push_str("\n        .build()?;\n");
    out
}

/// The bytes of a custom method, as an expression.
fn byte_str(s: &str) -> String {
    format!("{}.as_bytes()", rust_str(s))
}
