//! Node.js (18+) with axios 1.x (`npm install axios`); files are read with `node:fs`.

use std::fmt::Write as _;

use super::{Prepared, PreparedBody, file_name, form_text, headers_with_form_type, js_str, warn_unsigned};
use crate::interop::Report;

pub(super) fn axios(p: &Prepared, name: &str, report: &mut Report) -> String {
    let mut out = String::from("const axios = require(\"axios\");\n");
    let reads_files = match &p.body {
        PreparedBody::File(_) => true,
        PreparedBody::Multipart(parts) => parts.iter().any(|(_, _, is_file, _)| *is_file),
        _ => false,
    };
    if reads_files {
        out.push_str("const fs = require(\"node:fs\");\n");
    }
    if p.insecure {
        out.push_str("const https = require(\"node:https\");\n");
    }
    out.push('\n');
    let mut options = vec![format!("method: {}", js_str(&p.method)), format!("url: {}", js_str(&p.url))];
    let headers = headers_with_form_type(p);
    if !headers.is_empty() {
        let mut h = String::from("headers: {\n");
        for (k, v) in &headers {
            let _ = writeln!(h, "    {}: {},", js_str(k), js_str(v));
        }
        h.push_str("  }");
        options.push(h);
    }
    if let Some((user, password)) = &p.credentials
        && !warn_unsigned(p, name, "axios", report)
    {
        options.push(format!("auth: {{ username: {}, password: {} }}", js_str(user), js_str(password)));
    }
    match &p.body {
        PreparedBody::None => {}
        PreparedBody::Text(text) => {
            options.push(format!("data: {}", js_str(text)));
            // As written: axios would re-encode or trim a text it takes for JSON.
            options.push("transformRequest: (data) => data".into());
        }
        PreparedBody::Form(fields) => {
            options.push(format!("data: {}", js_str(&form_text(fields))));
            options.push("transformRequest: (data) => data".into());
        }
        PreparedBody::File(path) => options.push(format!("data: fs.readFileSync({})", js_str(path))),
        PreparedBody::Multipart(parts) => {
            out.push_str("const form = new FormData();\n");
            for (key, value, is_file, ct) in parts {
                if *is_file {
                    let ty =
                        if ct.is_empty() { String::new() } else { format!(", {{ type: {} }}", js_str(ct)) };
                    let _ = writeln!(
                        out,
                        "form.append({}, new Blob([fs.readFileSync({})]{ty}), {});",
                        js_str(key),
                        js_str(value),
                        js_str(file_name(value))
                    );
                } else {
                    if !ct.is_empty() {
                        report.warn(
                            name,
                            format!("FormData cannot give text part {key} a type; it goes without it"),
                        );
                    }
                    let _ = writeln!(out, "form.append({}, {});", js_str(key), js_str(value));
                }
            }
            out.push('\n');
            options.push("data: form".into());
        }
    }
    if p.follow_redirects == Some(false) {
        options.push("maxRedirects: 0".into());
    } else if let Some(n) = p.max_redirects {
        options.push(format!("maxRedirects: {n}"));
    }
    if let Some(ms) = p.timeout_ms {
        options.push(format!("timeout: {ms}"));
    }
    if p.insecure {
        options.push("httpsAgent: new https.Agent({ rejectUnauthorized: false })".into());
    }
    let _ = write!(
        out,
        "axios\n  .request({{\n    {},\n  }})\n  .then((response) => {{\n    console.log(response.status);\n    console.log(typeof response.data === \"string\" ? response.data : JSON.stringify(response.data));\n  }})\n  .catch((error) => {{\n    console.error(error.message);\n    process.exitCode = 1;\n  }});\n",
        options.iter().map(|o| o.replace('\n', "\n  ")).collect::<Vec<_>>().join(",\n    ")
    );
    out
}
