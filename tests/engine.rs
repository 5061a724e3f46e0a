//! The HTTP engine against real servers on 127.0.0.1, asserting on what the servers received.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use localpost::http::{
    Engine, EngineOptions, Exchange, Refusal, SendError, SendGuard, SendOptions, TimeoutPhase, TlsFailure,
    prepare,
};
use localpost::model::*;
use localpost::vars::{ScopeKind, Scopes};
use support::{Payload, Proxy, Reply, Server, TestCa};

fn engine_with(settings: Settings) -> Engine {
    Engine::new(settings).unwrap()
}

fn engine() -> Engine {
    engine_with(Settings { proxy: ProxySetting::None, ..Settings::default() })
}

fn send(engine: &Engine, request: &Request) -> Result<Exchange, SendError> {
    send_with(engine, request, None, &Scopes::new())
}

fn send_with(
    engine: &Engine,
    request: &Request,
    ws: Option<&WorkspaceData>,
    scopes: &Scopes,
) -> Result<Exchange, SendError> {
    let prepared = prepare(request, ws, scopes)?;
    engine.send_blocking(&prepared)
}

fn get(url: &str) -> Request {
    Request::new("test").with_url(url)
}

fn ok_server() -> Server {
    Server::start(|_| Reply::text(200, "ok"))
}

fn text(ex: &Exchange) -> String {
    String::from_utf8_lossy(&ex.response.body.read_all().unwrap()).into_owned()
}

// ---- variables and request building ------------------------------------------------------------

#[test]
fn variables_resolve_everywhere_narrowest_scope_first() {
    let server = ok_server();
    let mut req = Request::new("vars").with_method(Method::Post).with_url("{{base}}/items/:id");
    req.path_variables = vec![KeyValue::new("id", "{{id}}")];
    req.params = vec![KeyValue::new("who", "{{who}}")];
    req.headers = vec![KeyValue::new("X-Who", "{{who}}"), KeyValue::new("X-Time", "{{$timestamp}}")];
    req.body = Body::json(r#"{"who":"{{who}}"}"#);
    let base = format!("http://{{{{host}}}}:{}", server.addr.port());
    let mut scopes = Scopes::new()
        .with_values(ScopeKind::Globals, "Globals", [("who", "globals"), ("host", "127.0.0.1")])
        .with_values(ScopeKind::Collection, "C", [("who", "collection"), ("base", base.as_str())])
        .with_values(ScopeKind::Environment, "Dev", [("who", "environment"), ("id", "7")]);
    let ex = send_with(&engine(), &req, None, &scopes).unwrap();
    let r = server.last();
    assert_eq!(r.target, "/items/7?who=environment");
    assert_eq!(r.header("x-who"), Some("environment"));
    assert!(r.header("x-time").unwrap().parse::<i64>().is_ok());
    assert_eq!(r.body_text(), r#"{"who":"environment"}"#);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(ex.request.url, format!("http://127.0.0.1:{}/items/7?who=environment", server.addr.port()));

    scopes.set_runtime("who", "runtime");
    send_with(&engine(), &req, None, &scopes.clone().with_data_row([("who", "data")])).unwrap();
    assert_eq!(server.last().header("x-who"), Some("runtime"));
}

#[test]
fn missing_variables_are_listed_and_nothing_is_sent() {
    let server = ok_server();
    let mut req = get(&server.url("/{{path}}"));
    req.headers = vec![
        KeyValue::new("Authorization", "Bearer {{token}}"),
        KeyValue::new("X-Off", "{{off}}").disabled(),
    ];
    let err = send(&engine(), &req).unwrap_err();
    assert_eq!(err, SendError::MissingVariables { names: vec!["path".into(), "token".into()] });
    assert!(err.to_string().contains("{{path}}, {{token}}"));
    let cyc = Scopes::new().with_values(ScopeKind::Environment, "E", [("a", "{{b}}"), ("b", "{{a}}")]);
    let err = send_with(&engine(), &get(&server.url("/{{a}}")), None, &cyc).unwrap_err();
    assert!(matches!(err, SendError::VariableCycle { .. }), "{err}");
    assert!(server.requests().is_empty());
}

#[test]
fn params_merge_with_the_url_and_encode_once() {
    let server = ok_server();
    let mut req = get(&server.url("/search?q=already there&x=1"));
    req.params = vec![
        KeyValue::new("q", "already there"),
        KeyValue::new("x", "1"),
        KeyValue::new("name", "Zoë & co/ü"),
        KeyValue::new("expr", "a+b=c#d"),
        KeyValue::new("off", "1").disabled(),
        KeyValue::new("empty", ""),
    ];
    req.path_variables = vec![KeyValue::new("unused", "1")];
    send(&engine(), &req).unwrap();
    assert_eq!(
        server.last().target,
        "/search?q=already%20there&x=1&name=Zo%C3%AB%20%26%20co/%C3%BC&expr=a%2Bb=c%23d&empty="
    );
}

#[test]
fn custom_methods_and_headers_in_order_with_repeats() {
    let server = ok_server();
    let mut req = get(&server.url("/")).with_method(Method::parse("PURGE"));
    req.headers = vec![
        KeyValue::new("X-B", "1"),
        KeyValue::new("X-A", "2"),
        KeyValue::new("X-B", "3"),
        KeyValue::new("X-Off", "no").disabled(),
        KeyValue::new("User-Agent", "mine"),
    ];
    let ex = send(&engine(), &req).unwrap();
    let r = server.last();
    assert_eq!(r.method, "PURGE");
    let xs: Vec<_> = r.headers.iter().filter(|(k, _)| k.starts_with("x-")).cloned().collect();
    assert_eq!(xs, vec![("x-b".into(), "1".into()), ("x-b".into(), "3".into()), ("x-a".into(), "2".into())]);
    assert_eq!(r.header("user-agent"), Some("mine"));
    assert!(r.header("x-off").is_none());
    assert_eq!(ex.request.method, "PURGE");
    assert!(ex.request.headers.iter().any(|h| h.name == "X-A"));
    let bad = get(&server.url("/")).with_method(Method::parse("BAD METHOD"));
    assert!(matches!(send(&engine(), &bad), Err(SendError::InvalidMethod { .. })));
    let mut bad_header = get(&server.url("/"));
    bad_header.headers = vec![KeyValue::new("Bad Name", "x")];
    assert!(matches!(send(&engine(), &bad_header), Err(SendError::InvalidHeader { .. })));
}

#[test]
fn every_body_mode_reaches_the_server() {
    let server = ok_server();
    let dir = tempfile::tempdir().unwrap();
    let file = support::write_file(dir.path(), "report.csv", b"a,b\n1,2\n");
    let e = engine();

    let mut raw = get(&server.url("/raw")).with_method(Method::Post);
    raw.body = Body::raw(RawLanguage::Xml, "<a>{{v}}</a>");
    let scopes = Scopes::new().with_values(ScopeKind::Environment, "E", [("v", "1")]);
    send_with(&e, &raw, None, &scopes).unwrap();
    assert_eq!(server.last().body_text(), "<a>1</a>");
    assert_eq!(server.last().header("content-type"), Some("application/xml"));

    let mut form = get(&server.url("/form")).with_method(Method::Post);
    form.body = Body {
        mode: BodyMode::UrlEncoded,
        urlencoded: vec![
            KeyValue::new("a b", "c&d=é"),
            KeyValue::new("off", "x").disabled(),
            KeyValue::new("n", "1"),
        ],
        ..Body::default()
    };
    send(&e, &form).unwrap();
    assert_eq!(server.last().body_text(), "a%20b=c%26d%3D%C3%A9&n=1");
    assert_eq!(server.last().header("content-type"), Some("application/x-www-form-urlencoded"));

    let mut multi = get(&server.url("/multi")).with_method(Method::Post);
    let mut typed = FormPart::text("meta", "{\"k\":1}");
    typed.content_type = "application/json".into();
    multi.body = Body {
        mode: BodyMode::Multipart,
        multipart: vec![FormPart::text("field", "value"), typed, FormPart::file("upload", &file)],
        ..Body::default()
    };
    let ex = send(&e, &multi).unwrap();
    let r = server.last();
    let ct = r.header("content-type").unwrap().to_owned();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = r.body_text();
    assert!(body.contains("name=\"field\"\r\n\r\nvalue"));
    assert!(body.contains("Content-Type: application/json\r\n\r\n{\"k\":1}"));
    assert!(body.contains("filename=\"report.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n"), "{body}");
    assert_eq!(r.header("content-length").unwrap().parse::<usize>().unwrap(), r.body.len());
    assert_eq!(ex.request.body_summary, "multipart: 2 fields, 1 file (report.csv)");

    let mut bin = get(&server.url("/bin")).with_method(Method::Put);
    bin.body = Body { mode: BodyMode::Binary, binary_path: file.clone(), ..Body::default() };
    send(&e, &bin).unwrap();
    assert_eq!(server.last().body, b"a,b\n1,2\n");
    assert_eq!(server.last().header("content-length"), Some("8"));
    assert_eq!(server.last().header("content-type"), Some("text/csv"));

    let mut gql = get(&server.url("/graphql")).with_method(Method::Post);
    gql.body = Body {
        mode: BodyMode::GraphQl,
        graphql: GraphQlBody {
            query: "query Q($id: ID!) { user(id: $id) { name } }".into(),
            variables: "{\"id\": \"{{v}}\"}".into(),
            operation_name: "Q".into(),
        },
        ..Body::default()
    };
    send_with(&e, &gql, None, &scopes).unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&server.last().body).unwrap();
    assert_eq!(sent["query"], "query Q($id: ID!) { user(id: $id) { name } }");
    assert_eq!(sent["variables"]["id"], "1");
    assert_eq!(sent["operationName"], "Q");
    gql.body.graphql.variables = "not json".into();
    assert!(matches!(send(&e, &gql), Err(SendError::InvalidField { .. })));
}

#[test]
fn a_missing_file_part_is_a_clear_error_and_nothing_is_sent() {
    let server = ok_server();
    let mut req = get(&server.url("/")).with_method(Method::Post);
    req.body = Body {
        mode: BodyMode::Multipart,
        multipart: vec![FormPart::file("doc", "/no/such/file.pdf")],
        ..Body::default()
    };
    let err = send(&engine(), &req).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read the file of form part `doc` (the file does not exist): /no/such/file.pdf"
    );
    assert!(server.requests().is_empty());
}

// ---- auth ----------------------------------------------------------------------------------------

#[test]
fn basic_bearer_and_api_key_auth() {
    let server = ok_server();
    let e = engine();
    let mut req = get(&server.url("/"));
    req.auth = Auth::Basic { username: "ann".into(), password: "{{pw}}".into() };
    let scopes = Scopes::new().with_values(ScopeKind::Environment, "E", [("pw", "s3cret")]);
    send_with(&e, &req, None, &scopes).unwrap();
    assert_eq!(server.last().header("authorization"), Some("Basic YW5uOnMzY3JldA=="));
    req.auth = Auth::Bearer { token: "tok".into() };
    send(&e, &req).unwrap();
    assert_eq!(server.last().header("authorization"), Some("Bearer tok"));
    req.auth = Auth::ApiKey { key: "X-Api-Key".into(), value: "k1".into(), location: ApiKeyLocation::Header };
    send(&e, &req).unwrap();
    assert_eq!(server.last().header("x-api-key"), Some("k1"));
    req.auth = Auth::ApiKey { key: "api key".into(), value: "k 2".into(), location: ApiKeyLocation::Query };
    send(&e, &req).unwrap();
    assert_eq!(server.last().target, "/?api%20key=k%202");
    req.auth = Auth::Unsupported { kind: "WSSE".into(), params: Default::default() };
    assert!(matches!(send(&e, &req), Err(SendError::UnsupportedAuth { .. })));
}

#[test]
fn auth_is_inherited_from_the_nearest_folder_then_the_collection() {
    let server = ok_server();
    let mut ws = WorkspaceData::new(Workspace::new("W"));
    let mut c = Collection::new("C");
    c.auth = Auth::Bearer { token: "from-collection".into() };
    let mut outer = Folder::new("outer");
    outer.auth = Auth::Basic { username: "u".into(), password: "p".into() };
    let mut inner = Folder::new("inner"); // Inherit
    inner.settings.timeout_ms = Some(5000);
    let deep = get(&server.url("/deep"));
    let top = get(&server.url("/top"));
    inner.children.push(ItemId::Request(deep.id));
    outer.children.push(ItemId::Folder(inner.id));
    c.children = vec![ItemId::Folder(outer.id), ItemId::Request(top.id)];
    ws.requests.insert(deep.id, deep.clone());
    ws.requests.insert(top.id, top.clone());
    ws.folders.insert(outer.id, outer.clone());
    ws.folders.insert(inner.id, inner);
    ws.collections.insert(c.id, c);
    let e = engine();
    send_with(&e, &deep, Some(&ws), &Scopes::new()).unwrap();
    assert_eq!(server.last().header("authorization"), Some("Basic dTpw"));
    let (_, from) = localpost::http::effective_auth(&deep, Some(&ws));
    assert_eq!(from, Some(ParentId::Folder(outer.id)));
    assert_eq!(localpost::http::effective_settings(&deep, Some(&ws)).timeout_ms, Some(5000));
    send_with(&e, &top, Some(&ws), &Scopes::new()).unwrap();
    assert_eq!(server.last().header("authorization"), Some("Bearer from-collection"));
    let mut none = top.clone();
    none.auth = Auth::None;
    send_with(&e, &none, Some(&ws), &Scopes::new()).unwrap();
    assert_eq!(server.last().header("authorization"), None);
}

/// Checks an `Authorization: Digest` header the way a server would (MD5, qop=auth).
fn digest_ok(header: &str, method: &str, password: &str) -> bool {
    use md5::Digest as _;
    let params = localpost::http::auth::digest::parse_www_authenticate(&[header]);
    let Some((_, p)) = params.first() else { return false };
    let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let h = |s: String| format!("{:x}", md5::Md5::digest(s.as_bytes()));
    let ha1 = h(format!("{}:{}:{password}", get("username"), get("realm")));
    let ha2 = h(format!("{method}:{}", get("uri")));
    let expected = h(format!("{ha1}:{}:{}:{}:{}:{ha2}", get("nonce"), get("nc"), get("cnonce"), get("qop")));
    get("nonce") == "n0nce" && get("opaque") == "op" && get("response") == expected
}

#[test]
fn digest_auth_answers_the_challenge_and_retries() {
    let server = Server::start(|r| match r.header("authorization") {
        Some(a) if a.starts_with("Digest ") && digest_ok(a, &r.method, "Circle of Life") => {
            Reply::text(200, "welcome")
        }
        _ => Reply::text(401, "who are you").header(
            "www-authenticate",
            r#"Digest realm="test@localpost", qop="auth", nonce="n0nce", opaque="op", algorithm=MD5"#,
        ),
    });
    let mut req = get(&server.url("/dir/index.html?x=1")).with_method(Method::Post);
    req.body = Body::json("{}");
    req.auth = Auth::Digest(DigestAuth {
        username: "Mufasa".into(),
        password: "Circle of Life".into(),
        ..DigestAuth::default()
    });
    let ex = send(&engine(), &req).unwrap();
    assert_eq!(ex.response.status, 200);
    assert_eq!(text(&ex), "welcome");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].header("authorization").is_none());
    assert_eq!(seen[1].body_text(), "{}", "the body is sent again with the answer");
    assert!(
        ex.request
            .headers
            .iter()
            .any(|h| h.name == "Authorization" && h.value.contains("uri=\"/dir/index.html?x=1\""))
    );
    if let Auth::Digest(d) = &mut req.auth {
        d.password = "wrong".into();
    }
    let ex = send(&engine(), &req).unwrap();
    assert_eq!(ex.response.status, 401, "a wrong password ends with the server's 401, not a loop");
}

fn token_server(counter: Arc<AtomicUsize>, expires_in: u64) -> Server {
    Server::start(move |r| {
        if r.path() == "/token" {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let form: Vec<(String, String)> = url::form_urlencoded::parse(&r.body).into_owned().collect();
            let has = |k: &str, v: &str| form.iter().any(|(a, b)| a == k && b == v);
            let basic_ok = r.header("authorization") == Some("Basic YXBwOnNoaGg="); // app:shhh
            let grant_ok = has("grant_type", "client_credentials")
                || (has("grant_type", "password") && has("username", "ann") && has("password", "pw"));
            if !basic_ok || !grant_ok || !has("scope", "read") {
                return Reply::new(400)
                    .header("content-type", "application/json")
                    .body(br#"{"error":"invalid_client","error_description":"bad credentials"}"#.to_vec());
            }
            return Reply::json(&format!(
                r#"{{"access_token":"tok-{n}","token_type":"Bearer","expires_in":{expires_in}}}"#
            ));
        }
        match r.header("authorization") {
            Some(a) if a.starts_with("Bearer tok-") => Reply::text(200, a),
            _ => Reply::text(401, "no token"),
        }
    })
}

fn oauth_request(server: &Server, grant: OAuth2Grant, secret: &str) -> Request {
    let mut req = get(&server.url("/api"));
    req.auth = Auth::OAuth2(OAuth2Auth {
        grant,
        access_token_url: server.url("/token"),
        client_id: "app".into(),
        client_secret: secret.into(),
        username: "ann".into(),
        password: "pw".into(),
        scope: "read".into(),
        fetch_automatically: true,
        ..OAuth2Auth::default()
    });
    req
}

// As newman: the saved token is what is sent (in the header, or in the query as
// `access_token`); with none saved and fetching not turned on, the request goes without one and
// no token is asked for.
#[test]
fn oauth2_sends_the_saved_token_and_fetches_only_when_asked() {
    let fetched = Arc::new(AtomicUsize::new(0));
    let server = token_server(fetched.clone(), 3600);
    let e = engine();
    for grant in OAuth2Grant::ALL {
        let mut req = oauth_request(&server, grant, "shhh");
        let Auth::OAuth2(o) = &mut req.auth else { unreachable!() };
        o.fetch_automatically = false;
        let ex = send(&e, &req).unwrap();
        assert_eq!((ex.response.status, text(&ex)), (401, "no token".to_owned()), "{grant:?}");
        let Auth::OAuth2(o) = &mut req.auth else { unreachable!() };
        o.access_token = "tok-saved".into();
        o.header_prefix = " Bearer ".into();
        assert_eq!(text(&send(&e, &req).unwrap()), "Bearer tok-saved", "{grant:?}");
    }
    assert_eq!(fetched.load(Ordering::SeqCst), 0, "no token was fetched");
    let echo = Server::start(|r| {
        Reply::text(200, &format!("{} {}", r.target, r.header("authorization").unwrap_or("no authorization")))
    });
    let mut req = oauth_request(&echo, OAuth2Grant::AuthorizationCode, "shhh");
    req.url = echo.url("/q?access_token=old&a=1");
    let Auth::OAuth2(o) = &mut req.auth else { unreachable!() };
    o.access_token = "tok-q".into();
    o.token_in_query = true;
    let ex = send(&e, &req).unwrap();
    let seen = text(&ex);
    assert_eq!(seen, "/q?a=1&access_token=tok-q no authorization");
    // A token Localpost would fetch is not put in a URL (it would be kept in history).
    let Auth::OAuth2(o) = &mut req.auth else { unreachable!() };
    o.access_token = String::new();
    o.grant = OAuth2Grant::ClientCredentials;
    o.fetch_automatically = true;
    let err = send(&e, &req).unwrap_err().to_string();
    assert!(
        err.starts_with("invalid OAuth 2.0 auth: a token Localpost fetches goes in the Authorization header"),
        "{err}"
    );
}

#[test]
fn oauth2_client_credentials_token_is_fetched_once_and_cached() {
    let fetched = Arc::new(AtomicUsize::new(0));
    let server = token_server(fetched.clone(), 3600);
    let e = engine();
    let req = oauth_request(&server, OAuth2Grant::ClientCredentials, "shhh");
    let ex = send(&e, &req).unwrap();
    assert_eq!(text(&ex), "Bearer tok-1");
    let ex = send(&e, &req).unwrap();
    assert_eq!(text(&ex), "Bearer tok-1");
    assert_eq!(fetched.load(Ordering::SeqCst), 1, "the second send reuses the cached token");
    // Another environment has its own token.
    let mut env = Environment::new("Other");
    env.variables.push(Variable::new("unused", "1"));
    let scopes = Scopes::new().with_environment(&env);
    let ex = send_with(&e, &req, None, &scopes).unwrap();
    assert_eq!(text(&ex), "Bearer tok-2");
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
}

#[test]
fn oauth2_password_grant_and_expired_tokens_are_fetched_again() {
    let fetched = Arc::new(AtomicUsize::new(0));
    let server = token_server(fetched.clone(), 1); // expires within the safety margin
    let e = engine();
    let req = oauth_request(&server, OAuth2Grant::Password, "shhh");
    assert_eq!(text(&send(&e, &req).unwrap()), "Bearer tok-1");
    assert_eq!(text(&send(&e, &req).unwrap()), "Bearer tok-2");
    let bad = oauth_request(&server, OAuth2Grant::Password, "wrong");
    let err = send(&e, &bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "OAuth 2.0 token request failed (HTTP 400: invalid_client (bad credentials)): {}",
            server.url("/token")
        )
    );
}

#[test]
fn aws_sigv4_signs_what_is_sent() {
    let server = ok_server();
    let mut req = get(&server.url("/bucket/my%20key.txt?list-type=2&prefix=a b")).with_method(Method::Put);
    req.body = Body::raw(RawLanguage::Text, "hello");
    req.headers = vec![KeyValue::new("X-Custom", "1")];
    req.auth = Auth::AwsSigV4(AwsSigV4Auth {
        access_key: "AKID".into(),
        secret_key: "SECRET".into(),
        region: "eu-west-1".into(),
        service: "s3".into(),
        session_token: "sess".into(),
    });
    send(&engine(), &req).unwrap();
    let r = server.last();
    let auth = r.header("authorization").unwrap().to_owned();
    let date = r.header("x-amz-date").unwrap().to_owned();
    assert!(
        auth.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential=AKID/{}/eu-west-1/s3/aws4_request, SignedHeaders=",
            &date[..8]
        )),
        "{auth}"
    );
    // As Postman signs: the headers the user wrote, host and X-Amz-*; not the Accept and the
    // Content-Type Localpost adds (Postman adds its own after signing).
    assert!(
        auth.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom,"),
        "{auth}"
    );
    assert_eq!(r.header("x-amz-security-token"), Some("sess"));
    let body_hash = localpost::http::auth::sigv4::payload_hash(b"hello");
    assert_eq!(r.header("x-amz-content-sha256"), Some(body_hash.as_str()));
    // Recompute the signature from what the server received, over the headers it names (as
    // AWS checks it).
    let url = url::Url::parse(&format!("http://127.0.0.1:{}{}", server.addr.port(), r.target)).unwrap();
    let signed: Vec<&str> =
        auth.split("SignedHeaders=").nth(1).unwrap().split(',').next().unwrap().split(';').collect();
    let headers: Vec<(String, String)> =
        r.headers.iter().filter(|(k, _)| k != "host" && signed.contains(&k.as_str())).cloned().collect();
    let creds = localpost::http::auth::sigv4::Credentials {
        access_key: "AKID",
        secret_key: "SECRET",
        region: "eu-west-1",
        service: "s3",
    };
    let expected = localpost::http::auth::sigv4::sign(&creds, "PUT", &url, &headers, &body_hash, &date);
    assert_eq!(auth, expected.authorization);
}

// ---- redirects, cookies, decoding ----------------------------------------------------------------

#[test]
fn redirects_are_followed_and_recorded() {
    let server = Server::start(|r| match r.path() {
        "/a" => Reply::new(302).header("location", "/b"),
        "/b" => Reply::new(301).header("location", "c?x=1"),
        "/post" => Reply::new(303).header("location", "/c"),
        "/keep" => Reply::new(307).header("location", "/c"),
        "/loop" => Reply::new(302).header("location", "/loop"),
        _ => Reply::text(200, &format!("{} {}", r.method, r.body_text())),
    });
    let e = engine();
    let ex = send(&e, &get(&server.url("/a"))).unwrap();
    assert_eq!(ex.response.status, 200);
    assert_eq!(ex.redirects.iter().map(|h| h.status).collect::<Vec<_>>(), vec![302, 301]);
    assert_eq!(ex.redirects[1].location, server.url("/c?x=1"));
    assert_eq!(ex.response.url, server.url("/c?x=1"));
    assert_eq!(ex.request.url, server.url("/c?x=1"));

    let mut post = get(&server.url("/post")).with_method(Method::Post);
    post.body = Body::json("{}");
    assert_eq!(text(&send(&e, &post).unwrap()), "GET ");
    post.url = server.url("/keep");
    assert_eq!(text(&send(&e, &post).unwrap()), "POST {}");

    let err = send(&e, &get(&server.url("/loop"))).unwrap_err();
    assert!(matches!(err, SendError::TooManyRedirects { max: 10, .. }), "{err}");

    let mut no_follow = get(&server.url("/a"));
    no_follow.settings.follow_redirects = Some(false);
    let ex = send(&e, &no_follow).unwrap();
    assert_eq!(ex.response.status, 302);
    assert!(ex.redirects.is_empty());
}

#[test]
fn cookies_carry_across_requests_and_can_be_edited() {
    let server = Server::start(|r| match r.path() {
        "/login" => Reply::text(200, "in")
            .header("set-cookie", "session=abc123; Path=/; HttpOnly")
            .header("set-cookie", "theme=dark"),
        "/redirect-set" => Reply::new(302).header("set-cookie", "hop=1; Path=/").header("location", "/echo"),
        _ => Reply::text(200, r.header("cookie").unwrap_or("")),
    });
    let e = engine();
    let ws = WorkspaceData::new(Workspace::new("W"));
    let login = get(&server.url("/login"));
    let ex = send_with(&e, &login, Some(&ws), &Scopes::new()).unwrap();
    assert!(ex.cookies_changed);
    assert_eq!(ex.response.cookies.len(), 2);
    assert!(ex.response.cookies[0].http_only);
    let echo = get(&server.url("/echo"));
    assert_eq!(text(&send_with(&e, &echo, Some(&ws), &Scopes::new()).unwrap()), "session=abc123; theme=dark");
    // The cookie set on a redirect hop is sent on the next hop.
    assert!(
        text(&send_with(&e, &get(&server.url("/redirect-set")), Some(&ws), &Scopes::new()).unwrap())
            .contains("hop=1")
    );
    // Another workspace has its own jar.
    let other = WorkspaceData::new(Workspace::new("Other"));
    assert_eq!(text(&send_with(&e, &echo, Some(&other), &Scopes::new()).unwrap()), "");
    // Editing the jar.
    let jar = e.cookie_jar(Some(ws.id()));
    assert_eq!(jar.cookies.len(), 3);
    assert!(e.remove_cookie(Some(ws.id()), "session", "127.0.0.1", "/"));
    let mut c = jar.cookies.iter().find(|c| c.name == "theme").unwrap().clone();
    c.value = "light".into();
    e.upsert_cookie(Some(ws.id()), c);
    let t = text(&send_with(&e, &echo, Some(&ws), &Scopes::new()).unwrap());
    assert!(t.contains("theme=light") && !t.contains("session"), "{t}");
    e.clear_cookies(Some(ws.id()), None);
    assert_eq!(text(&send_with(&e, &echo, Some(&ws), &Scopes::new()).unwrap()), "");
}

fn compress(coding: &str, data: &[u8]) -> Vec<u8> {
    use async_compression::tokio::bufread::{
        BrotliEncoder, DeflateEncoder, GzipEncoder, ZlibEncoder, ZstdEncoder,
    };
    use tokio::io::AsyncReadExt;
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let mut out = Vec::new();
        match coding {
            "gzip" => GzipEncoder::new(data).read_to_end(&mut out).await,
            "br" => BrotliEncoder::new(data).read_to_end(&mut out).await,
            "zstd" => ZstdEncoder::new(data).read_to_end(&mut out).await,
            "deflate" => ZlibEncoder::new(data).read_to_end(&mut out).await,
            _ => DeflateEncoder::new(data).read_to_end(&mut out).await, // raw deflate
        }
        .unwrap();
        out
    })
}

#[test]
fn compressed_bodies_are_decoded_and_the_wire_size_kept() {
    let original: Vec<u8> = "hello localpost ".repeat(2000).into_bytes();
    for coding in ["gzip", "br", "zstd", "deflate", "raw-deflate"] {
        let wire = compress(coding, &original);
        let wire_len = wire.len();
        let header = if coding == "raw-deflate" { "deflate" } else { coding };
        let server =
            Server::start(move |_| Reply::new(200).header("content-encoding", header).body(wire.clone()));
        let ex = send(&engine(), &get(&server.url("/"))).unwrap();
        assert_eq!(ex.response.body.read_all().unwrap(), original, "{coding}");
        assert_eq!(ex.response.wire_size_bytes, wire_len as u64, "{coding}");
        assert_eq!(ex.response.size_bytes(), original.len() as u64);
        assert_eq!(server.last().header("accept-encoding"), Some("gzip, deflate, br, zstd"));
    }
    let server = Server::start(|_| {
        Reply::new(200).header("content-encoding", "gzip").body(b"not gzip at all".to_vec())
    });
    let err = send(&engine(), &get(&server.url("/"))).unwrap_err();
    assert!(matches!(err, SendError::Decode { .. }), "{err}");
    // A HEAD answer announcing gzip has no body to decode.
    let server = Server::start(|_| Reply::new(200).header("content-encoding", "gzip"));
    let ex = send(&engine(), &get(&server.url("/")).with_method(Method::Head)).unwrap();
    assert!(ex.response.body.is_empty());
}

// ---- failures --------------------------------------------------------------------------------

#[test]
fn timeouts_end_with_a_timeout_error() {
    let server = Server::start(|_| Reply::text(200, "late").delay(Duration::from_secs(3)));
    let mut req = get(&server.url("/slow"));
    req.settings.timeout_ms = Some(200);
    let started = Instant::now();
    let err = send(&engine(), &req).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        err,
        SendError::Timeout {
            host: format!("127.0.0.1:{}", server.addr.port()),
            phase: TimeoutPhase::Total,
            after_ms: 200
        }
    );
    assert_eq!(
        err.to_string(),
        format!("timed out after 200 ms waiting for 127.0.0.1:{}", server.addr.port())
    );
}

#[test]
fn a_send_can_be_cancelled_and_always_resolves() {
    let server = Server::start(|_| Reply::text(200, "late").delay(Duration::from_secs(10)));
    let e = engine();
    let finished = Arc::new(AtomicUsize::new(0));
    let f = finished.clone();
    let prepared = prepare(&get(&server.url("/")), None, &Scopes::new()).unwrap();
    let handle = e.send(
        prepared,
        SendOptions {
            on_finished: Some(Box::new(move || {
                f.fetch_add(1, Ordering::SeqCst);
            })),
            ..SendOptions::default()
        },
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(handle.promise.ready().is_none());
    let started = Instant::now();
    handle.cancel();
    let result = handle.promise.block_until_ready();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(result, Err(SendError::Cancelled)));
    // `on_finished` runs right after the promise is fulfilled, on the engine's thread.
    for _ in 0..100 {
        if finished.load(Ordering::SeqCst) > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(finished.load(Ordering::SeqCst), 1);
}

#[test]
fn connection_refused_dns_and_reset_name_the_host() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = send(&engine(), &get(&format!("http://127.0.0.1:{port}/"))).unwrap_err();
    assert_eq!(err, SendError::ConnectionRefused { host: format!("127.0.0.1:{port}") });

    let err = send(&engine(), &get("http://no-such-host.invalid/")).unwrap_err();
    assert!(matches!(&err, SendError::Dns { host, .. } if host == "no-such-host.invalid"), "{err}");

    let server = Server::start(|_| {
        Reply::new(200).header("content-length", "100000").with_body(Payload::BreakAfter(vec![b'x'; 10]))
    });
    let err = send(&engine(), &get(&server.url("/"))).unwrap_err();
    assert!(
        matches!(&err, SendError::ConnectionReset { host, .. } if *host == format!("127.0.0.1:{}", server.addr.port())),
        "{err}"
    );

    for bad in ["ftp://files.test/x", "http://", ""] {
        let err = send(&engine(), &get(bad)).unwrap_err();
        assert!(
            matches!(err, SendError::UnsupportedScheme { .. } | SendError::InvalidUrl { .. }),
            "{bad}: {err}"
        );
    }
}

#[test]
fn a_body_over_the_limit_is_stopped() {
    let server = Server::start(|r| match r.path() {
        "/declared" => Reply::new(200).with_body(Payload::Zeros { total: 5 * 1024 * 1024, chunk: 64 * 1024 }),
        _ => Reply::new(200)
            .header("transfer-encoding", "chunked")
            .with_body(Payload::Zeros { total: 5 * 1024 * 1024, chunk: 64 * 1024 }),
    });
    let e = engine_with(Settings {
        max_response_size_bytes: 1024 * 1024,
        proxy: ProxySetting::None,
        ..Settings::default()
    });
    for path in ["/declared", "/chunked"] {
        let err = send(&e, &get(&server.url(path))).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "the response is larger than the limit of 1 MiB (Settings → Largest response kept) and was stopped: 127.0.0.1:{}",
                server.addr.port()
            )
        );
    }
}

#[test]
fn a_200_mb_body_streams_to_a_temporary_file() {
    const SIZE: u64 = 200 * 1024 * 1024;
    let server =
        Server::start(|_| Reply::new(200).with_body(Payload::Zeros { total: SIZE, chunk: 256 * 1024 }));
    let dir = tempfile::tempdir().unwrap();
    let options = EngineOptions {
        spill_threshold_bytes: 4 * 1024 * 1024,
        spill_dir: Some(dir.path().to_owned()),
        worker_threads: 2,
    };
    let e =
        Engine::with_options(Settings { proxy: ProxySetting::None, ..Settings::default() }, options).unwrap();
    let ex = send(&e, &get(&server.url("/big"))).unwrap();
    let body = &ex.response.body;
    assert!(body.is_spilled());
    assert_eq!(body.len_bytes(), SIZE);
    assert_eq!(ex.response.wire_size_bytes, SIZE);
    assert!(body.head().len() as u64 <= 4 * 1024 * 1024, "only the head stays in memory");
    let path = body.file_path().unwrap().to_owned();
    assert!(path.starts_with(dir.path()));
    assert_eq!(std::fs::metadata(&path).unwrap().len(), SIZE);
    assert_eq!(body.read_prefix(10).unwrap().len(), 10);
    drop(ex);
    assert!(!path.exists(), "the temporary file goes with the last clone of the body");
}

// ---- TLS ---------------------------------------------------------------------------------------

fn tls_settings(ca: Option<&TestCa>, dir: &std::path::Path) -> Settings {
    let mut s = Settings { proxy: ProxySetting::None, ..Settings::default() };
    if let Some(ca) = ca {
        s.extra_ca_files = vec![support::write_file(dir, "ca.pem", ca.pem.as_bytes())];
    }
    s
}

#[test]
fn tls_with_an_extra_ca_is_trusted_and_uses_http2() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Localpost Test CA");
    let leaf = ca.leaf(&["localhost", "127.0.0.1"], false, false);
    let server = Server::start_tls(support::server_tls(&leaf, None), |r| Reply::text(200, &r.version));
    let ex = send(&engine_with(tls_settings(Some(&ca), dir.path())), &get(&server.url("/"))).unwrap();
    assert_eq!(ex.response.http_version, "HTTP/2");
    assert_eq!(text(&ex), "HTTP/2.0");
    assert_eq!(ex.response.remote_addr, Some(server.addr));

    let err = send(&engine_with(tls_settings(None, dir.path())), &get(&server.url("/"))).unwrap_err();
    assert!(matches!(&err, SendError::Tls { kind: TlsFailure::UnknownIssuer, .. }), "{err}");
    assert!(err.to_string().contains("unknown authority"), "{err}");

    let mut insecure = get(&server.url("/"));
    insecure.settings.verify_tls = Some(false);
    assert_eq!(send(&engine_with(tls_settings(None, dir.path())), &insecure).unwrap().response.status, 200);

    let mut bad = tls_settings(None, dir.path());
    bad.extra_ca_files = vec![support::write_file(dir.path(), "junk.pem", b"junk")];
    let err = send(&engine_with(bad), &get(&server.url("/"))).unwrap_err();
    assert!(matches!(err, SendError::CaFile { .. }), "{err}");
}

#[test]
fn expired_and_wrong_host_certificates_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Localpost Test CA");
    let expired = ca.leaf(&["127.0.0.1"], true, false);
    let server = Server::start_tls(support::server_tls(&expired, None), |_| Reply::text(200, "x"));
    let err = send(&engine_with(tls_settings(Some(&ca), dir.path())), &get(&server.url("/"))).unwrap_err();
    assert!(matches!(&err, SendError::Tls { kind: TlsFailure::Expired, .. }), "{err}");

    let other = ca.leaf(&["other.test"], false, false);
    let server = Server::start_tls(support::server_tls(&other, None), |_| Reply::text(200, "x"));
    let err = send(&engine_with(tls_settings(Some(&ca), dir.path())), &get(&server.url("/"))).unwrap_err();
    assert!(matches!(&err, SendError::Tls { kind: TlsFailure::WrongHost, .. }), "{err}");
    assert!(err.to_string().contains(&format!("127.0.0.1:{}", server.addr.port())));
}

#[test]
fn client_certificates_pem_and_pkcs12_are_presented_per_host() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Localpost Test CA");
    let leaf = ca.leaf(&["127.0.0.1"], false, false);
    let client = ca.leaf(&["client"], false, true);
    let server = Server::start_tls(support::server_tls(&leaf, Some(&ca)), |r| {
        Reply::text(200, &format!("cert={}", r.client_cert))
    });
    let url = server.url("/");

    let err = send(&engine_with(tls_settings(Some(&ca), dir.path())), &get(&url));
    assert!(err.is_err(), "no certificate, no answer");

    let mut pem = tls_settings(Some(&ca), dir.path());
    pem.client_certificates = vec![ClientCertificate {
        host: format!("127.0.0.1:{}", server.addr.port()),
        cert_file: support::write_file(dir.path(), "client.pem", client.cert_pem.as_bytes()),
        key_file: support::write_file(dir.path(), "client.key", client.key_pem.as_bytes()),
        ..ClientCertificate::default()
    }];
    assert_eq!(text(&send(&engine_with(pem.clone()), &get(&url)).unwrap()), "cert=true");

    // PKCS#12 made from the same certificate and key.
    let key = p12_keystore::PrivateKey::from_der(&client.key_der).unwrap();
    let cert = p12_keystore::Certificate::from_der(&client.cert_der).unwrap();
    let chain = p12_keystore::PrivateKeyChain::new(b"id".to_vec(), key, vec![cert]);
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry("client", p12_keystore::KeyStoreEntry::PrivateKeyChain(chain));
    let p12 = store.writer("pass").write().unwrap();
    let mut pkcs12 = tls_settings(Some(&ca), dir.path());
    pkcs12.client_certificates = vec![ClientCertificate {
        host: "127.0.0.1".into(),
        pkcs12_file: support::write_file(dir.path(), "client.p12", &p12),
        passphrase: "pass".into(),
        ..ClientCertificate::default()
    }];
    assert_eq!(text(&send(&engine_with(pkcs12.clone()), &get(&url)).unwrap()), "cert=true");
    pkcs12.client_certificates[0].passphrase = "wrong".into();
    let err = send(&engine_with(pkcs12), &get(&url)).unwrap_err();
    assert!(matches!(err, SendError::ClientCertificate { .. }), "{err}");

    // A certificate for another host is not presented.
    pem.client_certificates[0].host = "elsewhere.test".into();
    assert!(send(&engine_with(pem), &get(&url)).is_err());
}

// ---- proxies -------------------------------------------------------------------------------------

fn manual_proxy(proxy: &Proxy, user: &str, pass: &str) -> Settings {
    Settings {
        proxy: ProxySetting::Manual {
            url: proxy.url(),
            username: user.into(),
            password: pass.into(),
            no_proxy: String::new(),
        },
        ..Settings::default()
    }
}

#[test]
fn requests_go_through_an_explicit_proxy_with_auth() {
    let server = Server::start(|r| Reply::text(200, &format!("via proxy {}", r.target)));
    let proxy = Proxy::start(Some("Basic dTpw".into())); // u:p
    let ex = send(&engine_with(manual_proxy(&proxy, "u", "p")), &get(&server.url("/x?y=1"))).unwrap();
    assert_eq!(text(&ex), "via proxy /x?y=1");
    let seen = proxy.seen.lock().unwrap().clone();
    assert_eq!(seen[0].0, format!("GET {} HTTP/1.1", server.url("/x?y=1")));
    assert_eq!(seen[0].1.as_deref(), Some("Basic dTpw"));

    // HTTPS goes through a CONNECT tunnel.
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("CA");
    let tls_server =
        Server::start_tls(support::server_tls(&ca.leaf(&["127.0.0.1"], false, false), None), |_| {
            Reply::text(200, "tunnelled")
        });
    let mut settings = manual_proxy(&proxy, "u", "p");
    settings.extra_ca_files = tls_settings(Some(&ca), dir.path()).extra_ca_files;
    let ex = send(&engine_with(settings), &get(&tls_server.url("/"))).unwrap();
    assert_eq!(text(&ex), "tunnelled");
    assert!(
        proxy
            .seen
            .lock()
            .unwrap()
            .iter()
            .any(|(line, _)| line.starts_with(&format!("CONNECT 127.0.0.1:{}", tls_server.addr.port())))
    );
}

#[test]
fn a_refusing_or_absent_proxy_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("CA");
    let tls_server =
        Server::start_tls(support::server_tls(&ca.leaf(&["127.0.0.1"], false, false), None), |_| {
            Reply::text(200, "x")
        });
    let proxy = Proxy::start(Some("Basic dTpw".into()));
    let mut settings = manual_proxy(&proxy, "u", "wrong");
    settings.extra_ca_files = tls_settings(Some(&ca), dir.path()).extra_ca_files;
    let err = send(&engine_with(settings), &get(&tls_server.url("/"))).unwrap_err();
    assert!(matches!(&err, SendError::ProxyRefused { proxy: p, .. } if p.starts_with(&proxy.url())), "{err}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = Settings {
        proxy: ProxySetting::Manual {
            url: format!("http://127.0.0.1:{port}"),
            username: String::new(),
            password: String::new(),
            no_proxy: String::new(),
        },
        ..Settings::default()
    };
    let err = send(&engine_with(settings), &get("http://example.test/")).unwrap_err();
    assert!(matches!(&err, SendError::ProxyUnreachable { .. }), "{err}");
}

// ---- the policy hook ---------------------------------------------------------------------------

struct Policy {
    blocked_port: u16,
    locked: bool,
}

impl SendGuard for Policy {
    fn check_url(&self, url: &url::Url) -> Result<(), Refusal> {
        if url.port() == Some(self.blocked_port) {
            Err(Refusal {
                rule: format!("hosts on port {} are not allowed (rule: deny-port)", self.blocked_port),
            })
        } else {
            Ok(())
        }
    }
    fn allow_tls_bypass(&self) -> bool {
        false
    }
    fn max_response_size_bytes(&self) -> Option<u64> {
        Some(16)
    }
    fn sending_blocked(&self) -> Option<String> {
        self.locked.then(|| "sending is locked down by your organization".into())
    }
}

#[test]
fn the_guard_is_asked_before_every_connection() {
    let blocked = Server::start(|_| Reply::text(200, "should not be reached"));
    let open = Server::start({
        let to = blocked.url("/");
        move |r| match r.path() {
            "/redirect" => Reply::new(302).header("location", &to),
            _ => Reply::text(200, "ok"),
        }
    });
    let e = engine();
    e.set_guard(Arc::new(Policy { blocked_port: blocked.addr.port(), locked: false }));
    let err = send(&e, &get(&blocked.url("/"))).unwrap_err();
    assert_eq!(
        err,
        SendError::Policy {
            rule: format!("hosts on port {} are not allowed (rule: deny-port)", blocked.addr.port())
        }
    );
    let err = send(&e, &get(&open.url("/redirect"))).unwrap_err();
    assert!(matches!(err, SendError::Policy { .. }), "a redirect hop is checked too");
    let mut oauth = oauth_request(&blocked, OAuth2Grant::ClientCredentials, "x");
    oauth.url = open.url("/api");
    assert!(matches!(send(&e, &oauth), Err(SendError::Policy { .. })), "the token fetch is checked too");
    assert!(blocked.requests().is_empty(), "no connection was made to a refused host");

    assert_eq!(text(&send(&e, &get(&open.url("/"))).unwrap()), "ok");
    let big = Server::start(|_| Reply::text(200, "more than sixteen bytes"));
    assert!(matches!(send(&e, &get(&big.url("/"))), Err(SendError::BodyTooLarge { limit_bytes: 16, .. })));
    let mut insecure = get(&open.url("/"));
    insecure.settings.verify_tls = Some(false);
    assert!(matches!(send(&e, &insecure), Err(SendError::Policy { .. })));
    e.set_guard(Arc::new(Policy { blocked_port: 0, locked: true }));
    let before = open.requests().len();
    assert!(matches!(send(&e, &get(&open.url("/"))), Err(SendError::Policy { .. })));
    assert_eq!(open.requests().len(), before);
}

// ---- history and examples ----------------------------------------------------------------------

#[test]
fn history_is_recorded_with_secrets_redacted_and_bodies_capped() {
    let server = Server::start(|_| Reply::text(200, &"r".repeat(5000)));
    let dir = tempfile::tempdir().unwrap();
    let e = engine_with(Settings {
        history_body_cap_bytes: 1000,
        proxy: ProxySetting::None,
        ..Settings::default()
    });
    let mut env = Environment::new("Prod");
    env.variables =
        vec![Variable::new("key", "top-secret-value").secret(), Variable::new("plain", "visible")];
    let scopes = Scopes::new().with_environment(&env);
    let mut req = get(&server.url("/?k={{key}}&p={{plain}}")).with_method(Method::Post);
    req.auth = Auth::Bearer { token: "bearer-token".into() };
    req.headers = vec![KeyValue::new("X-Key", "{{key}}")];
    req.body = Body::raw(RawLanguage::Text, format!("{}{{{{key}}}}", "b".repeat(3000)));
    let prepared = prepare(&req, None, &scopes).unwrap();
    let started_at = time::OffsetDateTime::now_utc();
    let handle = e.send(prepared.clone(), SendOptions::default());
    let result = handle.promise.block_until_ready().clone();
    let ex = result.as_ref().unwrap().clone();
    assert!(server.last().target.contains("top-secret-value"), "the server gets the real value");
    assert!(!format!("{ex:?}").contains("top-secret-value") && !format!("{ex:?}").contains("bearer-token"));
    assert!(localpost::storage::history::files(dir.path()).is_empty(), "the engine writes no history");
    let entry = e.history_entry(&prepared, &result, started_at).unwrap();
    localpost::storage::history::Keeper::default().record(dir.path(), &entry, &e.settings()).unwrap();
    let entries = localpost::storage::history::load(dir.path(), 10).0;
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    let text = ron::to_string(entry).unwrap();
    assert!(!text.contains("top-secret-value") && !text.contains("bearer-token"), "{text}");
    assert!(entry.request.url.contains("k=(secret)&p=visible"));
    assert_eq!(find_header(&entry.request.headers, "authorization"), Some("Bearer (redacted)"));
    assert_eq!(find_header(&entry.request.headers, "x-key"), Some("(secret)"));
    assert!(entry.request.body_truncated);
    let response = entry.response.as_ref().unwrap();
    assert!(response.body_truncated);
    assert_eq!(response.body.as_ref().unwrap().len_bytes(), 1000);
    assert_eq!(response.size_bytes, 5000);
    assert_eq!(response.status, 200);
    assert_eq!(entry.request_id, None);

    // Failures are recorded too; an example keeps the body.
    let example = ex.to_saved_response("OK example");
    assert_eq!(example.response.body.as_ref().unwrap().len_bytes(), 5000);
    assert_eq!(find_header(&example.request.headers, "authorization"), Some("Bearer (redacted)"));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let prepared = prepare(&get(&format!("http://127.0.0.1:{port}/")), None, &Scopes::new()).unwrap();
    let result = e.send_blocking(&prepared);
    let entry = e.history_entry(&prepared, &result, time::OffsetDateTime::now_utc()).unwrap();
    assert!(entry.error.unwrap().contains("connection refused"));
}

#[test]
fn promises_resolve_for_errors_before_sending() {
    let e = engine();
    let mut req = get("http://127.0.0.1:1/");
    req.body = Body { mode: BodyMode::Binary, binary_path: "/definitely/not/here".into(), ..Body::default() };
    let prepared = prepare(&req, None, &Scopes::new()).unwrap();
    let handle = e.send(prepared, SendOptions::default());
    let err = handle.promise.block_until_ready().as_ref().unwrap_err().clone();
    assert!(matches!(err, SendError::FileUnreadable { .. }), "{err}");
}

// ---- OAuth 1.0a ---------------------------------------------------------------------------------

/// A server that checks an OAuth 1.0a HMAC-SHA1 signature the way RFC 5849 §3.4 says (written
/// here from the RFC, apart from Localpost's signer): 200 when it holds, 401 with the reason.
fn oauth1_verifier(consumer_secret: &'static str, token_secret: &'static str) -> Server {
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    fn dec(s: &str) -> String {
        percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned()
    }
    Server::start(move |r| {
        let (path, query) = r.target.split_once('?').unwrap_or((&r.target, ""));
        let mut params: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').map_or((dec(p), String::new()), |(k, v)| (dec(k), dec(v))))
            .collect();
        if r.header("content-type") == Some("application/x-www-form-urlencoded") {
            params
                .extend(url::form_urlencoded::parse(&r.body).map(|(k, v)| (k.into_owned(), v.into_owned())));
        }
        let Some(header) = r.header("authorization").and_then(|h| h.strip_prefix("OAuth ")) else {
            return Reply::text(401, "no OAuth header");
        };
        let mut signature = String::new();
        for part in header.split(',') {
            let Some((k, v)) = part.split_once('=') else { continue };
            let v = dec(v.trim_matches('"'));
            match k.trim() {
                "realm" => {}
                "oauth_signature" => signature = v,
                k => params.push((k.to_owned(), v)),
            }
        }
        let mut pairs: Vec<(String, String)> = params.iter().map(|(k, v)| (enc(k), enc(v))).collect();
        pairs.sort();
        let normalized: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let host = r.header("host").unwrap_or_default();
        let base =
            format!("{}&{}&{}", r.method, enc(&format!("http://{host}{path}")), enc(&normalized.join("&")));
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(
            format!("{}&{}", enc(consumer_secret), enc(token_secret)).as_bytes(),
        )
        .unwrap();
        mac.update(base.as_bytes());
        let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        if expected == signature {
            Reply::text(200, "signed")
        } else {
            Reply::text(401, &format!("bad signature for {base}"))
        }
    })
}

#[test]
fn oauth1_signs_what_is_sent_as_a_server_checks_it() {
    let server = oauth1_verifier("c s3cret", "t!secret");
    let e = engine();
    let auth = Auth::OAuth1(OAuth1Auth {
        consumer_key: "key one".into(),
        consumer_secret: "c s3cret".into(),
        token: "tok".into(),
        token_secret: "t!secret".into(),
        realm: "Photos".into(),
        ..OAuth1Auth::default()
    });
    let mut get_req = get(&server.url("/photos?size=original&file=vacation (1).jpg&empty="));
    get_req.auth = auth.clone();
    let ex = send(&e, &get_req).unwrap();
    assert_eq!((ex.response.status, text(&ex)), (200, "signed".to_owned()), "{}", text(&ex));
    let mut post = Request::new("form").with_method(Method::Post).with_url(server.url("/upload?x=1"));
    post.body =
        Body { mode: BodyMode::UrlEncoded, urlencoded: vec![KeyValue::new("a b", "c&d")], ..Body::default() };
    post.auth = auth;
    let ex = send(&e, &post).unwrap();
    assert_eq!((ex.response.status, text(&ex)), (200, "signed".to_owned()), "{}", text(&ex));
    // A wrong secret is refused by the server (the check can fail).
    let mut wrong = get_req.clone();
    let Auth::OAuth1(o) = &mut wrong.auth else { unreachable!() };
    o.consumer_secret = "other".into();
    assert_eq!(send(&e, &wrong).unwrap().response.status, 401);
}

/// A server that speaks NTLM as IIS does: 401 offering NTLM, a challenge (with target information)
/// for the negotiate message, and 200 only for an NTLMv2 answer that verifies with the password
/// `Password`, on the connection that got the challenge.
fn ntlm_server() -> Server {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use hmac::{Hmac, Mac};
    const SERVER_CHALLENGE: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
    let challenged = std::sync::Mutex::new(None::<u64>);
    Server::start(move |r| {
        let auth = r.header("authorization").unwrap_or("");
        let Some(b64) = auth.strip_prefix("NTLM ") else {
            return Reply::text(401, "sign in")
                .header("WWW-Authenticate", "Negotiate")
                .header("WWW-Authenticate", "NTLM");
        };
        let msg = STANDARD.decode(b64).unwrap();
        assert_eq!(&msg[..8], b"NTLMSSP\0");
        let u16_at = |at: usize| usize::from(u16::from_le_bytes([msg[at], msg[at + 1]]));
        let u32_at = |at: usize| u32::from_le_bytes(msg[at..at + 4].try_into().unwrap()) as usize;
        let field = |at: usize| &msg[u32_at(at + 4)..u32_at(at + 4) + u16_at(at)];
        match msg[8] {
            1 => {
                *challenged.lock().unwrap() = Some(r.connection);
                let info: Vec<u8> = [2u8, 0, 6, 0]
                    .into_iter()
                    .chain("DOM".encode_utf16().flat_map(u16::to_le_bytes))
                    .chain([0, 0, 0, 0])
                    .collect();
                let mut t2 = b"NTLMSSP\0".to_vec();
                t2.extend_from_slice(&2u32.to_le_bytes());
                t2.extend_from_slice(&[0, 0, 0, 0, 48, 0, 0, 0]);
                t2.extend_from_slice(&(0x0088_0201u32).to_le_bytes()); // unicode, NTLM, extended security, target info
                t2.extend_from_slice(&SERVER_CHALLENGE);
                t2.extend_from_slice(&[0; 8]);
                t2.extend_from_slice(&(info.len() as u16).to_le_bytes());
                t2.extend_from_slice(&(info.len() as u16).to_le_bytes());
                t2.extend_from_slice(&48u32.to_le_bytes());
                t2.extend_from_slice(&info);
                Reply::text(401, "challenge")
                    .header("WWW-Authenticate", &format!("NTLM {}", STANDARD.encode(&t2)))
            }
            3 => {
                if *challenged.lock().unwrap() != Some(r.connection) {
                    return Reply::text(401, "the answer came on another connection");
                }
                let (nt, domain, user) = (field(20), field(28), field(36));
                let text = |b: &[u8]| {
                    String::from_utf16(
                        &b.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<_>>(),
                    )
                    .unwrap()
                };
                let nt_hash = <md4::Md4 as md4::Digest>::digest(
                    "Password".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>(),
                );
                let identity: Vec<u8> = format!("{}{}", text(user).to_uppercase(), text(domain))
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect();
                let key = <Hmac<md5::Md5> as Mac>::new_from_slice(&nt_hash)
                    .unwrap()
                    .chain_update(&identity)
                    .finalize()
                    .into_bytes();
                let proof = <Hmac<md5::Md5> as Mac>::new_from_slice(&key)
                    .unwrap()
                    .chain_update(SERVER_CHALLENGE)
                    .chain_update(&nt[16..])
                    .finalize()
                    .into_bytes();
                if proof.as_slice() == &nt[..16] {
                    Reply::text(200, &format!("welcome {}\\{}", text(domain), text(user)))
                } else {
                    Reply::text(401, "wrong password")
                }
            }
            _ => Reply::text(400, "not an NTLM message"),
        }
    })
}

#[test]
fn ntlm_answers_the_servers_challenge_on_one_connection() {
    let server = ntlm_server();
    let e = engine();
    let mut req = get(&server.url("/secure"));
    req.headers.push(KeyValue::new("Authorization", "Basic dropped"));
    req.auth = Auth::Ntlm(NtlmAuth {
        username: "CORP\\alice".into(),
        password: "{{pw}}".into(),
        ..NtlmAuth::default()
    });
    let scopes = Scopes::new().with_values(ScopeKind::Environment, "E", [("pw", "Password")]);
    let ex = send_with(&e, &req, None, &scopes).unwrap();
    assert_eq!((ex.response.status, text(&ex).as_str()), (200, "welcome CORP\\alice"));
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    // First without credentials (the user's own Authorization header too), then the two messages.
    assert_eq!(seen[0].header("authorization"), None);
    assert!(seen[1].header("authorization").unwrap().starts_with("NTLM TlRMTVNTUAAB"));
    assert!(seen[2].header("authorization").unwrap().starts_with("NTLM TlRMTVNTUAAD"));
    assert_eq!(seen[1].connection, seen[2].connection);

    // A wrong password: the server's refusal is the response.
    let scopes = Scopes::new().with_values(ScopeKind::Environment, "E", [("pw", "nope")]);
    let ex = send_with(&e, &req, None, &scopes).unwrap();
    assert_eq!((ex.response.status, text(&ex).as_str()), (401, "wrong password"));

    // "Send once": no handshake.
    req.auth = Auth::Ntlm(NtlmAuth { username: "alice".into(), disable_retry: true, ..NtlmAuth::default() });
    let before = server.requests().len();
    assert_eq!(send(&e, &req).unwrap().response.status, 401);
    assert_eq!(server.requests().len(), before + 1);

    // A server that does not ask for NTLM gets one plain request.
    let plain = ok_server();
    let mut req = get(&plain.url("/"));
    req.auth = Auth::Ntlm(NtlmAuth { username: "alice".into(), ..NtlmAuth::default() });
    send(&e, &req).unwrap();
    assert_eq!((plain.requests().len(), plain.last().header("authorization")), (1, None));
}
