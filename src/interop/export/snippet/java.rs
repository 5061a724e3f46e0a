//! Java 11+, with the JDK's `java.net.http.HttpClient`. Runs as `java Snippet.java`.

use std::fmt::Write as _;

use super::{Prepared, PreparedBody, file_name, form_text, headers_with_form_type, java_str, warn_unsigned};
use crate::interop::Report;

/// Headers `HttpClient` refuses to have set (it writes them itself).
const RESTRICTED: [&str; 5] = ["connection", "content-length", "expect", "host", "upgrade"];
/// The multipart boundary the snippet writes.
const BOUNDARY: &str = "----LocalpostFormBoundary7MA4YWxkTrZu0gW";

pub(super) fn java(p: &Prepared, name: &str, report: &mut Report) -> String {
    let mut imports = vec![
        "java.net.URI",
        "java.net.http.HttpClient",
        "java.net.http.HttpRequest",
        "java.net.http.HttpResponse",
    ];
    let mut main = String::new();
    let publisher = body(p, &mut imports, &mut main);
    main.push_str(&client(p, name, report));
    let _ = write!(
        main,
        "        HttpRequest request = HttpRequest.newBuilder()\n            .uri(URI.create({}))",
        java_str(&p.url)
    );
    let mut headers = headers_with_form_type(p);
    if matches!(p.body, PreparedBody::Multipart(_)) {
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
        headers.push(("Content-Type".into(), format!("multipart/form-data; boundary={BOUNDARY}")));
    }
    for (k, v) in headers {
        if RESTRICTED.contains(&k.to_ascii_lowercase().as_str()) {
            report.warn(name, format!("Java's HttpClient sets {k} itself; the header is left out"));
            continue;
        }
        let _ = write!(main, "\n            .header({}, {})", java_str(&k), java_str(&v));
    }
    if let Some((user, password)) = &p.credentials
        && !warn_unsigned(p, name, "HttpClient", report)
    {
        imports.extend(["java.nio.charset.StandardCharsets", "java.util.Base64"]);
        let pair = format!("{user}:{password}");
        let _ = write!(
            main,
            "\n            .header(\"Authorization\", \"Basic \" + Base64.getEncoder().encodeToString({}.getBytes(StandardCharsets.UTF_8)))",
            java_str(&pair)
        );
    }
    if let Some(ms) = p.timeout_ms {
        imports.push("java.time.Duration");
        let _ = write!(main, "\n            .timeout(Duration.ofMillis({ms}))");
    }
    let _ =
        write!(main, "\n            .method({}, {publisher})\n            .build();\n", java_str(&p.method));
    main.push_str("        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());\n");
    main.push_str(
        "        System.out.println(response.statusCode());\n        System.out.println(response.body());\n",
    );
    imports.sort_unstable();
    imports.dedup();
    let mut out = String::new();
    for i in imports {
        let _ = writeln!(out, "import {i};");
    }
    let _ = write!(
        out,
        "\npublic class Snippet {{\n    public static void main(String[] args) throws Exception {{\n{main}    }}\n}}\n"
    );
    out
}

/// Writes what builds the body; returns the `BodyPublisher` expression.
fn body(p: &Prepared, imports: &mut Vec<&str>, main: &mut String) -> String {
    match &p.body {
        PreparedBody::None => "HttpRequest.BodyPublishers.noBody()".into(),
        PreparedBody::Text(text) => format!("HttpRequest.BodyPublishers.ofString({})", java_str(text)),
        PreparedBody::Form(fields) => {
            format!("HttpRequest.BodyPublishers.ofString({})", java_str(&form_text(fields)))
        }
        PreparedBody::File(path) => {
            imports.push("java.nio.file.Path");
            format!("HttpRequest.BodyPublishers.ofFile(Path.of({}))", java_str(path))
        }
        PreparedBody::Multipart(parts) => {
            imports.extend(["java.io.ByteArrayOutputStream", "java.nio.charset.StandardCharsets"]);
            main.push_str("        ByteArrayOutputStream form = new ByteArrayOutputStream();\n");
            for (key, value, is_file, ct) in parts {
                let filename = if *is_file {
                    format!("; filename=\"{}\"", quoted(file_name(value)))
                } else {
                    String::new()
                };
                let ct = match (ct.is_empty(), is_file) {
                    (false, _) => format!("Content-Type: {ct}\r\n"),
                    (true, true) => "Content-Type: application/octet-stream\r\n".to_owned(),
                    (true, false) => String::new(),
                };
                let head = format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"{filename}\r\n{ct}\r\n",
                    quoted(key)
                );
                let _ = writeln!(
                    main,
                    "        form.write({}.getBytes(StandardCharsets.UTF_8));",
                    java_str(&head)
                );
                if *is_file {
                    imports.extend(["java.nio.file.Files", "java.nio.file.Path"]);
                    let _ = writeln!(
                        main,
                        "        form.write(Files.readAllBytes(Path.of({})));",
                        java_str(value)
                    );
                } else {
                    let _ = writeln!(
                        main,
                        "        form.write({}.getBytes(StandardCharsets.UTF_8));",
                        java_str(value)
                    );
                }
                main.push_str("        form.write(\"\\r\\n\".getBytes(StandardCharsets.UTF_8));\n");
            }
            let _ = writeln!(
                main,
                "        form.write({}.getBytes(StandardCharsets.UTF_8));",
                java_str(&format!("--{BOUNDARY}--\r\n"))
            );
            "HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())".into()
        }
    }
}

/// A name in a quoted `Content-Disposition` parameter (as browsers write it).
fn quoted(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// The client: redirects followed unless the request says not to.
fn client(p: &Prepared, name: &str, report: &mut Report) -> String {
    if p.insecure {
        report.warn(name, "Java's HttpClient needs an SSLContext to skip certificate checks; not written");
    }
    if p.max_redirects.is_some() {
        report.warn(name, "Java's HttpClient has no redirect limit option (it stops after 5 by default)");
    }
    let redirect = if p.follow_redirects == Some(false) { "NEVER" } else { "NORMAL" };
    format!(
        "        HttpClient client = HttpClient.newBuilder()\n            .followRedirects(HttpClient.Redirect.{redirect})\n            .build();\n"
    )
}
