//! A loopback look-alike of postman-echo.com (the endpoints and response shapes of the
//! project's shared oracle script, which stays outside the repository): GET → `{args, headers,
//! url}`; POST, PUT, PATCH, DELETE → `{args, data, files, form, headers, json, url}`; `/status/N`, `/delay/N`,
//! `/headers`, `/response-headers`, cookies, basic and digest auth, `/gzip`, `/deflate`,
//! `/encoding/utf8`, `/type/html`, `/type/xml`, `/redirect-to`, `/ip`, `/stream/N`.

use std::io::Write as _;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::{Received, Reply, Server};

/// Query or form pairs as postman-echo shows them: a repeated key becomes an array.
fn multi(pairs: impl Iterator<Item = (String, String)>) -> Value {
    let mut out = Map::new();
    for (k, v) in pairs {
        match out.get_mut(&k) {
            Some(Value::Array(list)) => list.push(Value::String(v)),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(v)]);
            }
            None => {
                out.insert(k, Value::String(v));
            }
        }
    }
    Value::Object(out)
}

fn query(r: &Received) -> Vec<(String, String)> {
    let q = r.target.split_once('?').map(|(_, q)| q).unwrap_or("");
    url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

fn headers(r: &Received) -> Value {
    let mut out = Map::new();
    for (k, v) in &r.headers {
        out.insert(k.to_ascii_lowercase(), Value::String(v.clone()));
    }
    Value::Object(out)
}

fn send(status: u16, body: &Value) -> Reply {
    Reply::new(status)
        .header("content-type", "application/json; charset=utf-8")
        .body(body.to_string().into_bytes())
}

/// `data, form, files, json` of a request body.
fn body_shape(r: &Received) -> (Value, Value, Value, Value) {
    let ct = r.header("content-type").unwrap_or("").to_owned();
    if ct.starts_with("application/x-www-form-urlencoded") {
        let form = multi(url::form_urlencoded::parse(&r.body).into_owned());
        return (json!(""), form, json!({}), Value::Null);
    }
    if ct.starts_with("multipart/form-data") {
        let boundary = ct.split("boundary=").nth(1).unwrap_or("").trim_matches('"').to_owned();
        let text = String::from_utf8_lossy(&r.body).into_owned();
        let mut fields = Vec::new();
        let mut files = Map::new();
        for part in text.split(&format!("--{boundary}")) {
            let Some((head, content)) = part.split_once("\r\n\r\n") else { continue };
            let content = content.strip_suffix("\r\n").unwrap_or(content);
            let name =
                head.split("name=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_owned();
            match head.split("filename=\"").nth(1).and_then(|s| s.split('"').next()) {
                Some(file) => {
                    use base64::Engine as _;
                    let data = base64::engine::general_purpose::STANDARD.encode(content.as_bytes());
                    files.insert(
                        file.to_owned(),
                        json!(format!("data:application/octet-stream;base64,{data}")),
                    );
                }
                None => fields.push((name, content.to_owned())),
            }
        }
        return (json!(""), multi(fields.into_iter()), Value::Object(files), Value::Null);
    }
    let data = r.body_text();
    if ct.contains("json")
        && let Ok(parsed) = serde_json::from_str::<Value>(&data)
    {
        return (parsed.clone(), json!({}), json!({}), parsed);
    }
    (Value::String(data), json!({}), json!({}), Value::Null)
}

fn compressed(deflate: bool, body: &Value) -> Vec<u8> {
    let bytes = body.to_string().into_bytes();
    if deflate {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&bytes).unwrap();
        e.finish().unwrap()
    } else {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&bytes).unwrap();
        e.finish().unwrap()
    }
}

/// Answers one request as postman-echo would.
pub fn answer(r: &Received) -> Reply {
    let path = r.path().to_owned();
    let host = r.header("host").unwrap_or("127.0.0.1").to_owned();
    let url = format!("http://{host}{}", r.target);
    let args = multi(query(r).into_iter());
    let m = r.method.as_str();
    match path.as_str() {
        "/get" => return send(200, &json!({ "args": args, "headers": headers(r), "url": url })),
        "/" if m == "GET" => return send(200, &json!({ "args": args, "headers": headers(r), "url": url })),
        "/post" | "/put" | "/patch" | "/delete" => {
            let (data, form, files, js) = body_shape(r);
            return send(
                200,
                &json!({ "args": args, "data": data, "files": files, "form": form, "headers": headers(r), "json": js, "url": url }),
            );
        }
        "/headers" => return send(200, &json!({ "headers": headers(r) })),
        "/response-headers" => {
            let mut reply = send(200, &args);
            for (k, v) in query(r) {
                reply = reply.header(&k, &v);
            }
            return reply;
        }
        "/cookies" => {
            let mut cookies = Map::new();
            for c in r.header("cookie").unwrap_or("").split(';') {
                if let Some((k, v)) = c.trim().split_once('=') {
                    cookies.insert(k.to_owned(), json!(v));
                }
            }
            return send(200, &json!({ "cookies": cookies }));
        }
        "/cookies/set" | "/cookies/delete" => {
            let mut reply = Reply::text(302, "Found. Redirecting to /cookies").header("location", "/cookies");
            for (k, v) in query(r) {
                let cookie = if path == "/cookies/set" {
                    format!("{k}={v}; Path=/")
                } else {
                    format!("{k}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
                };
                reply = reply.header("set-cookie", &cookie);
            }
            return reply;
        }
        "/basic-auth" => {
            return if r.header("authorization") == Some("Basic cG9zdG1hbjpwYXNzd29yZA==") {
                send(200, &json!({ "authenticated": true }))
            } else {
                Reply::text(401, "Unauthorized")
            };
        }
        "/digest-auth" => {
            return if r.header("authorization").is_some_and(|a| a.starts_with("Digest ")) {
                send(200, &json!({ "authenticated": true }))
            } else {
                Reply::text(401, "Unauthorized").header(
                    "www-authenticate",
                    r#"Digest realm="Users", nonce="ni1LiL0O37PRRhofWdCLmwFsnEtH1lew", qop="auth""#,
                )
            };
        }
        "/auth/hawk" => {
            return send(200, &json!({ "status": "pass", "message": "Hawk Authentication Successful" }));
        }
        "/oauth1" => {
            return send(
                200,
                &json!({ "status": "pass", "message": "OAuth-1.0a signature verification was successful" }),
            );
        }
        "/oauth2/token" => {
            return send(200, &json!({ "access_token": "local-token", "token_type": "Bearer" }));
        }
        "/oauth2/user/info" => return send(200, &json!({ "user_id": 1, "name": "Local User" })),
        "/gzip" | "/deflate" => {
            let deflate = path == "/deflate";
            let key = if deflate { "deflated" } else { "gzipped" };
            let body = json!({ key: true, "headers": headers(r), "method": m });
            return Reply::new(200)
                .header("content-type", "application/json")
                .header("content-encoding", if deflate { "deflate" } else { "gzip" })
                .body(compressed(deflate, &body));
        }
        "/encoding/utf8" => {
            return Reply::new(200)
                .header("content-type", "text/html; charset=utf-8")
                .body("<h1>Unicode Demo</h1> ∮ E⋅da = Q".as_bytes().to_vec());
        }
        "/redirect-to" => {
            let to =
                query(r).into_iter().find(|(k, _)| k == "url").map(|(_, v)| v).unwrap_or_else(|| "/".into());
            return Reply::new(302).header("location", &to);
        }
        "/type/html" => {
            return Reply::new(200)
                .header("content-type", "text/html; charset=utf-8")
                .body(b"<html><body>hi</body></html>".to_vec());
        }
        "/type/xml" => {
            return Reply::new(200)
                .header("content-type", "application/xml; charset=utf-8")
                .body(br#"<?xml version="1.0"?><root><a>1</a></root>"#.to_vec());
        }
        "/ip" => return send(200, &json!({ "ip": "127.0.0.1" })),
        _ => {}
    }
    if let Some(code) = path.strip_prefix("/status/").and_then(|c| c.parse::<u16>().ok()) {
        return send(code, &json!({ "status": code }));
    }
    if let Some(n) = path.strip_prefix("/delay/").and_then(|c| c.parse::<u64>().ok()) {
        return send(200, &json!({ "delay": n.to_string() })).delay(Duration::from_secs(n.min(10)));
    }
    if let Some(n) = path.strip_prefix("/stream/").and_then(|c| c.parse::<u32>().ok()) {
        let lines: Vec<String> = (0..n)
            .map(|i| json!({ "args": args, "headers": headers(r), "url": url, "id": i }).to_string())
            .collect();
        return send(200, &json!(null)).body(lines.join("\n").into_bytes());
    }
    send(404, &json!({ "error": "not mocked", "path": path }))
}

/// Starts the look-alike on 127.0.0.1.
pub fn start() -> Server {
    Server::start(answer)
}
