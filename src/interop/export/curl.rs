//! A request as a cURL command line (POSIX shell quoting), `{{variables}}` left as written.

use super::{Exported, PreparedBody, prepare};
use crate::interop::Report;
use crate::model::{Request, WorkspaceData};

/// The request as `curl ...`. `data` (the workspace) resolves inherited auth when given.
pub fn request_to_curl(data: Option<&WorkspaceData>, request: &Request) -> Exported {
    if let Some(left_out) = super::websocket_left_out(request) {
        return left_out;
    }
    let mut report = Report::default();
    let p = prepare(data, request, &mut report);
    let mut args: Vec<String> = Vec::new();
    let implied_post =
        matches!(p.body, PreparedBody::Text(_) | PreparedBody::Form(_) | PreparedBody::File(_))
            && p.method == "POST";
    let implied_get = matches!(p.body, PreparedBody::None) && p.method == "GET";
    if p.method == "HEAD" {
        args.push("--head".into());
    } else if !(implied_post
        || implied_get
        || (p.method == "POST" && matches!(p.body, PreparedBody::Multipart(_))))
    {
        args.push(format!("--request {}", quote(&p.method)));
    }
    args.push(quote(&p.url));
    for (k, v) in &p.headers {
        args.push(format!("--header {}", quote(&format!("{k}: {v}"))));
    }
    if let Some((user, password)) = &p.credentials {
        if p.digest {
            args.push("--digest".into());
        }
        if let Some(sig) = &p.aws_sigv4 {
            args.push(format!("--aws-sigv4 {}", quote(sig)));
        }
        args.push(format!("--user {}", quote(&format!("{user}:{password}"))));
    }
    match &p.body {
        PreparedBody::None => {}
        PreparedBody::Text(text) => args.push(format!("--data-raw {}", quote(text))),
        PreparedBody::Form(fields) => {
            for (k, v) in fields {
                args.push(format!("--data-urlencode {}", quote(&format!("{k}={v}"))));
            }
        }
        PreparedBody::Multipart(parts) => {
            for (k, v, is_file, ct) in parts {
                let mut value = if *is_file { format!("{k}=@{v}") } else { format!("{k}={v}") };
                if !ct.is_empty() {
                    value.push_str(&format!(";type={ct}"));
                }
                // `@` and `<` start a file in `--form`; a text value starting so goes literally.
                let flag = if !*is_file && v.starts_with(['@', '<']) { "--form-string" } else { "--form" };
                args.push(format!("{flag} {}", quote(&value)));
            }
        }
        PreparedBody::File(path) => args.push(format!("--data-binary {}", quote(&format!("@{path}")))),
    }
    if p.follow_redirects == Some(true) {
        args.push("--location".into());
    }
    if let Some(n) = p.max_redirects {
        args.push(format!("--max-redirs {n}"));
    }
    if p.insecure {
        args.push("--insecure".into());
    }
    if let Some(ms) = p.timeout_ms {
        args.push(format!("--max-time {}", ms.div_ceil(1000)));
    }
    let text = format!("curl {}", args.join(" \\\n  "));
    Exported { text, report }
}

/// Single-quotes `s` for a POSIX shell unless it is plainly safe.
pub fn quote(s: &str) -> String {
    let safe = !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b));
    if safe { s.to_owned() } else { format!("'{}'", s.replace('\'', "'\\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn a_post_with_json_and_basic_auth() {
        let mut r = Request::new("Create").with_method(Method::Post).with_url("{{base}}/users?x=1");
        r.body = Body::json("{\"name\": \"O'Brien\"}");
        r.auth = Auth::Basic { username: "me".into(), password: "p w".into() };
        r.headers.push(KeyValue::new("X-Off", "1").disabled());
        let out = request_to_curl(None, &r);
        assert_eq!(
            out.text,
            "curl '{{base}}/users?x=1' \\\n  --header 'Content-Type: application/json' \\\n  --user 'me:p w' \\\n  --data-raw '{\"name\": \"O'\\''Brien\"}'"
        );
        assert!(out.report.warnings.is_empty());
    }

    #[test]
    fn multipart_files_and_text_parts() {
        let mut r = Request::new("Upload").with_method(Method::Put).with_url("http://127.0.0.1/u");
        r.body.mode = BodyMode::Multipart;
        r.body.multipart = vec![FormPart::text("note", "@not-a-file"), FormPart::file("f", "/tmp/a b.png")];
        let out = request_to_curl(None, &r).text;
        assert!(out.contains("--request PUT"), "{out}");
        assert!(
            out.contains("--form-string note=@not-a-file") || out.contains("--form 'note=@not-a-file'"),
            "{out}"
        );
        assert!(out.contains("--form 'f=@/tmp/a b.png'"), "{out}");
    }
}
