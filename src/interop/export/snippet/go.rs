//! Go, with the standard library's `net/http` (and `mime/multipart` for forms with files).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Prepared, PreparedBody, file_name, form_text, go_str, headers_with_form_type, warn_unsigned};
use crate::interop::Report;

const CHECK: &str = "\tif err != nil {\n\t\tpanic(err)\n\t}\n";

pub(super) fn go(p: &Prepared, name: &str, report: &mut Report) -> String {
    let mut imports: BTreeSet<&str> = ["fmt", "io", "net/http"].into();
    let mut main = String::new();
    let _ = writeln!(main, "\turl := {}", go_str(&p.url));
    let payload = body(p, &mut imports, &mut main);
    let _ = writeln!(main, "\treq, err := http.NewRequest({}, url, {payload})", go_str(&p.method));
    main.push_str(CHECK);
    for (k, v) in headers_with_form_type(p) {
        if k.eq_ignore_ascii_case("host") {
            let _ = writeln!(main, "\treq.Host = {}", go_str(&v));
        } else {
            let _ = writeln!(main, "\treq.Header.Add({}, {})", go_str(&k), go_str(&v));
        }
    }
    if matches!(p.body, PreparedBody::Multipart(_)) {
        main.push_str("\treq.Header.Set(\"Content-Type\", writer.FormDataContentType())\n");
    }
    if let Some((user, password)) = &p.credentials
        && !warn_unsigned(p, name, "net/http", report)
    {
        let _ = writeln!(main, "\treq.SetBasicAuth({}, {})", go_str(user), go_str(password));
    }
    main.push_str(&client(p, &mut imports));
    main.push_str("\tres, err := client.Do(req)\n");
    main.push_str(CHECK);
    main.push_str("\tdefer res.Body.Close()\n\n\tbody, err := io.ReadAll(res.Body)\n");
    main.push_str(CHECK);
    main.push_str("\tfmt.Println(res.StatusCode)\n\tfmt.Println(string(body))\n");
    let mut out = String::from("package main\n\nimport (\n");
    for i in imports {
        let _ = writeln!(out, "\t{}", go_str(i));
    }
    let _ = write!(out, ")\n\nfunc main() {{\n{main}}}\n");
    out
}

/// Writes what builds the body; returns the expression `http.NewRequest` takes.
fn body(p: &Prepared, imports: &mut BTreeSet<&str>, main: &mut String) -> &'static str {
    match &p.body {
        PreparedBody::None => return "nil",
        PreparedBody::Text(text) => {
            imports.insert("strings");
            let _ = writeln!(main, "\tpayload := strings.NewReader({})", go_str(text));
        }
        PreparedBody::Form(fields) => {
            imports.insert("strings");
            let _ = writeln!(main, "\tpayload := strings.NewReader({})", go_str(&form_text(fields)));
        }
        PreparedBody::File(path) => {
            imports.insert("os");
            let _ = writeln!(main, "\tpayload, err := os.Open({})", go_str(path));
            main.push_str(CHECK);
            main.push_str("\tdefer payload.Close()\n");
        }
        PreparedBody::Multipart(parts) => {
            imports.extend(["bytes", "mime/multipart"]);
            main.push_str("\tpayload := &bytes.Buffer{}\n\twriter := multipart.NewWriter(payload)\n");
            for (key, value, is_file, ct) in parts {
                multipart_part(main, imports, key, value, *is_file, ct);
            }
            main.push_str("\tif err := writer.Close(); err != nil {\n\t\tpanic(err)\n\t}\n");
        }
    }
    main.push('\n');
    "payload"
}

fn multipart_part(
    main: &mut String,
    imports: &mut BTreeSet<&str>,
    key: &str,
    value: &str,
    is_file: bool,
    ct: &str,
) {
    if !is_file && ct.is_empty() {
        let _ = writeln!(
            main,
            "\tif err := writer.WriteField({}, {}); err != nil {{\n\t\tpanic(err)\n\t}}",
            go_str(key),
            go_str(value)
        );
        return;
    }
    main.push_str("\t{\n");
    if is_file {
        imports.insert("os");
        let _ = writeln!(main, "\t\tfile, err := os.Open({})", go_str(value));
        main.push_str("\t\tif err != nil {\n\t\t\tpanic(err)\n\t\t}\n\t\tdefer file.Close()\n");
    }
    if ct.is_empty() {
        let _ = writeln!(
            main,
            "\t\tpart, err := writer.CreateFormFile({}, {})",
            go_str(key),
            go_str(file_name(value))
        );
    } else {
        imports.insert("net/textproto");
        let filename =
            if is_file { format!("; filename=\"{}\"", quoted(file_name(value))) } else { String::new() };
        let disposition = format!("form-data; name=\"{}\"{filename}", quoted(key));
        let _ = writeln!(
            main,
            "\t\th := make(textproto.MIMEHeader)\n\t\th.Set(\"Content-Disposition\", {})\n\t\th.Set(\"Content-Type\", {})\n\t\tpart, err := writer.CreatePart(h)",
            go_str(&disposition),
            go_str(ct)
        );
    }
    main.push_str("\t\tif err != nil {\n\t\t\tpanic(err)\n\t\t}\n");
    if is_file {
        main.push_str("\t\tif _, err := io.Copy(part, file); err != nil {\n\t\t\tpanic(err)\n\t\t}\n");
    } else {
        let _ = writeln!(
            main,
            "\t\tif _, err := io.WriteString(part, {}); err != nil {{\n\t\t\tpanic(err)\n\t\t}}",
            go_str(value)
        );
    }
    main.push_str("\t}\n");
}

/// A name in a quoted `Content-Disposition` parameter, escaped as Go's `multipart` does.
fn quoted(name: &str) -> String {
    name.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The client: the timeout, certificate checks and redirect rule the request asks for.
fn client(p: &Prepared, imports: &mut BTreeSet<&str>) -> String {
    let mut fields = Vec::new();
    if let Some(ms) = p.timeout_ms {
        imports.insert("time");
        fields.push(format!("Timeout: {ms} * time.Millisecond,"));
    }
    if p.insecure {
        imports.insert("crypto/tls");
        fields.push(
            "Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},".into(),
        );
    }
    match (p.follow_redirects, p.max_redirects) {
        (Some(false), _) => fields.push(
            "CheckRedirect: func(req *http.Request, via []*http.Request) error {\n\t\t\treturn http.ErrUseLastResponse\n\t\t},"
                .into(),
        ),
        (_, Some(n)) => {
            imports.insert("errors");
            fields.push(format!(
                "CheckRedirect: func(req *http.Request, via []*http.Request) error {{\n\t\t\tif len(via) >= {n} {{\n\t\t\t\treturn errors.New(\"stopped after {n} redirects\")\n\t\t\t}}\n\t\t\treturn nil\n\t\t}},"
            ));
        }
        _ => {}
    }
    if fields.is_empty() {
        return "\tclient := &http.Client{}\n".into();
    }
    let mut out = String::from("\tclient := &http.Client{\n");
    for f in fields {
        let _ = writeln!(out, "\t\t{f}");
    }
    out.push_str("\t}\n");
    out
}
