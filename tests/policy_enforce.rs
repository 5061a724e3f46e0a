//! The organization policy enforced where it applies: the engine (hosts, TLS bypass, response
//! size), import (formats), export (secrets), history (retention, bodies) and the user's
//! settings file. Policies are injected through the library's API, never through anything a
//! user could reach in the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed setup step should fail loudly

mod support;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use localpost::http::{Engine, SendError, prepare};
use localpost::model::*;
use localpost::policy::{EffectivePolicy, SourceInput, SourceKind};
use localpost::vars::Scopes;
use support::{Reply, Server};

fn policy(text: &str) -> EffectivePolicy {
    let source =
        SourceInput::new("/etc/localpost/policy.ron", SourceKind::Machine, Ok(text.as_bytes().to_vec()));
    let policy = EffectivePolicy::from_inputs(vec![source]);
    assert!(!policy.is_lockdown(), "{}", policy.to_text());
    policy
}

/// An engine as the app and `localpost send` make it: the policy's settings and its guard.
fn engine_under(policy: &EffectivePolicy, user: &Settings) -> Engine {
    let settings = policy.effective_settings(&Settings { proxy: ProxySetting::None, ..user.clone() });
    let engine = Engine::new(settings).unwrap();
    engine.set_guard(Arc::new(policy.clone()));
    engine
}

fn send(engine: &Engine, request: &Request) -> Result<localpost::http::Exchange, SendError> {
    engine.send_blocking(&prepare(request, None, &Scopes::new()).unwrap())
}

/// A listener that only counts: a connection attempt would be waiting in its backlog.
fn counting_listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

fn assert_no_connection(listener: &TcpListener) {
    std::thread::sleep(Duration::from_millis(100));
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Ok((_, from)) => panic!("a connection was made from {from}"),
        Err(e) => panic!("accept failed: {e}"),
    }
}

#[test]
fn a_blocked_host_is_refused_before_any_connection() {
    let p = policy(r#"(schema_version: 1, blocked_hosts: ["127.0.0.1"])"#);
    let (listener, port) = counting_listener();
    let engine = engine_under(&p, &Settings::default());
    let err =
        send(&engine, &Request::new("x").with_url(format!("http://127.0.0.1:{port}/secret"))).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, SendError::Policy { .. }), "{err:?}");
    assert!(message.contains("127.0.0.1") && message.contains("blocked_hosts"), "{message}");
    assert!(message.contains("/etc/localpost/policy.ron"), "the message names the file: {message}");
    assert_no_connection(&listener);
}

#[test]
fn a_host_outside_the_allow_list_is_refused_and_one_inside_is_sent() {
    let p = policy(r#"(schema_version: 1, allowed_hosts: ["localhost"])"#);
    let (listener, port) = counting_listener();
    let engine = engine_under(&p, &Settings::default());
    let err = send(&engine, &Request::new("x").with_url(format!("http://127.0.0.1:{port}/"))).unwrap_err();
    assert!(err.to_string().contains("allowed_hosts"), "{err}");
    assert_no_connection(&listener);

    let allowed = policy(r#"(schema_version: 1, allowed_hosts: ["127.0.0.1"])"#);
    let server = Server::start(|_| Reply::text(200, "fine"));
    let engine = engine_under(&allowed, &Settings::default());
    let ok = send(&engine, &Request::new("x").with_url(server.url("/ok"))).unwrap();
    assert_eq!(ok.response.status, 200);
}

#[test]
fn turning_tls_verification_off_is_refused_when_the_policy_forbids_it() {
    let p = policy("(schema_version: 1, allow_tls_verification_bypass: false)");
    let (listener, port) = counting_listener();
    let engine = engine_under(&p, &Settings::default());
    let mut request = Request::new("x").with_url(format!("https://127.0.0.1:{port}/"));
    request.settings.verify_tls = Some(false);
    let err = send(&engine, &request).unwrap_err();
    assert!(err.to_string().contains("allow_tls_verification_bypass"), "{err}");
    assert_no_connection(&listener);
}

#[test]
fn the_users_settings_file_cannot_loosen_the_policy() {
    let p = policy(
        "(schema_version: 1, allow_tls_verification_bypass: false, history_retention_days: 7, \
         store_response_bodies_in_history: false, max_response_size_bytes: 1000)",
    );
    let user = Settings {
        verify_tls: false,
        history_retention_days: Some(365),
        store_response_bodies_in_history: true,
        max_response_size_bytes: 10_000_000,
        ..Settings::default()
    };
    let applied = p.effective_settings(&user);
    assert!(applied.verify_tls);
    assert_eq!(applied.history_retention_days, Some(7));
    assert!(!applied.store_response_bodies_in_history);
    assert_eq!(applied.max_response_size_bytes, 1000);
    // A stricter user choice stays.
    let stricter = p.effective_settings(&Settings { history_retention_days: Some(2), ..Settings::default() });
    assert_eq!(stricter.history_retention_days, Some(2));
}

#[test]
fn a_response_over_the_policys_size_limit_is_cut_off() {
    let p = policy("(schema_version: 1, max_response_size_bytes: 1000)");
    let server = Server::start(|_| Reply::text(200, &"x".repeat(5000)));
    let engine = engine_under(&p, &Settings::default());
    let err = send(&engine, &Request::new("big").with_url(server.url("/big"))).unwrap_err();
    assert!(matches!(err, SendError::BodyTooLarge { limit_bytes: 1000, .. }), "{err:?}");
    // The message says whose limit it is: the organization's, and where it is set.
    let message = err.to_string();
    assert!(message.contains("Managed by") && message.contains("/etc/localpost/policy.ron"), "{message}");
    // A user's own smaller limit is theirs.
    let own = engine_under(&p, &Settings { max_response_size_bytes: 100, ..Settings::default() });
    let err = send(&own, &Request::new("big").with_url(server.url("/big"))).unwrap_err();
    assert!(err.to_string().contains("Settings"), "{err}");
    let small = Server::start(|_| Reply::text(200, &"x".repeat(500)));
    assert_eq!(send(&engine, &Request::new("small").with_url(small.url("/"))).unwrap().response.status, 200);
}

#[test]
fn history_keeps_no_bodies_and_nothing_older_than_the_policy_allows() {
    let p = policy("(schema_version: 1, history_retention_days: 3, store_response_bodies_in_history: false)");
    let ws_dir = tempfile::tempdir().unwrap();
    // An entry from ten days ago, written when no policy said otherwise.
    let old = HistoryEntry {
        id: HistoryId::new(),
        at: time::OffsetDateTime::now_utc() - time::Duration::days(10),
        request_id: None,
        name: "old".into(),
        request: SentRequest { method: "GET".into(), url: "http://old.test/".into(), ..Default::default() },
        response: None,
        error: Some("refused".into()),
        written: None,
        written_incomplete: false,
    };
    localpost::storage::history::append(ws_dir.path(), &old).unwrap();
    assert_eq!(localpost::storage::history::load(ws_dir.path(), 10).0.len(), 1);

    let server = Server::start(|_| Reply::text(200, "the body"));
    let engine = engine_under(&p, &Settings { history_retention_days: None, ..Settings::default() });
    let request = Request::new("now").with_url(server.url("/now"));
    let prepared = prepare(&request, None, &Scopes::new()).unwrap();
    let result = engine.send_blocking(&prepared);
    let entry = engine.history_entry(&prepared, &result, time::OffsetDateTime::now_utc()).unwrap();
    localpost::storage::history::Keeper::default().record(ws_dir.path(), &entry, &engine.settings()).unwrap();
    let kept = localpost::storage::history::load(ws_dir.path(), 10).0;
    assert_eq!(kept.len(), 1, "the ten-day-old entry is pruned: {kept:?}");
    assert_eq!(kept[0].request.url, server.url("/now"));
    let response = kept[0].response.as_ref().unwrap();
    assert_eq!(response.status, 200);
    assert!(response.body.is_none(), "no response body is kept");
}

#[test]
fn a_format_the_policy_does_not_allow_is_refused_before_parsing() {
    let p = policy(r#"(schema_version: 1, allowed_import_formats: [Bundle])"#);
    let postman = std::fs::read(
        support::corpus().join("postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json"),
    )
    .unwrap();
    let allowed = |bytes: &[u8], p: &localpost::policy::EffectivePolicy| {
        p.check_import_of(localpost::interop::detect(bytes))
    };
    let err = allowed(&postman, &p).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("allowed_import_formats") && message.contains("Postman"), "{message}");
    // Import switched off altogether: even an unknown file is refused for that reason.
    let off = policy("(schema_version: 1, allow_import: false)");
    let err = allowed(b"whatever", &off).unwrap_err();
    assert!(err.to_string().contains("allow_import"), "{err}");
    // Allowed: it imports.
    let any = policy("(schema_version: 1)");
    assert!(allowed(&postman, &any).is_ok());
    assert!(localpost::interop::import(&postman, "echo.json").is_ok());
}

#[test]
fn secrets_stay_out_of_exports_when_the_policy_says_so() {
    let p = policy("(schema_version: 1, allow_secrets_in_exports: false)");
    let err = p.check_export(true).unwrap_err();
    assert!(err.to_string().contains("allow_secrets_in_exports"), "{err}");
    assert!(p.check_export(false).is_ok());
    let off = policy("(schema_version: 1, allow_export: false)");
    assert!(off.check_export(false).unwrap_err().to_string().contains("allow_export"));
}

#[test]
fn a_server_below_the_policys_minimum_tls_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ca = support::TestCa::new("Localpost Test CA");
    let leaf = ca.leaf(&["localhost", "127.0.0.1"], false, false);
    let ca_file = support::write_file(dir.path(), "ca.pem", ca.pem.as_bytes());
    let user = Settings { extra_ca_files: vec![ca_file], ..Settings::default() };
    // A server that speaks TLS 1.2 only.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::try_from(leaf.key_der.clone()).unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS12])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.cert_der.clone()], key)
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let server = Server::start_tls(config, |_| Reply::text(200, "old tls"));

    let baseline = policy("(schema_version: 1)");
    let ok = send(&engine_under(&baseline, &user), &Request::new("x").with_url(server.url("/"))).unwrap();
    assert_eq!(ok.response.status, 200, "TLS 1.2 is fine by default");

    let strict = policy(r#"(schema_version: 1, min_tls_version: "1.3")"#);
    let err = send(&engine_under(&strict, &user), &Request::new("x").with_url(server.url("/"))).unwrap_err();
    assert!(matches!(err, SendError::Tls { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1, "only the first request reached the server");
}

/// `blocked_hosts` address rules hold for names too: `localhost` (or any alias) resolving to a
/// blocked address is refused before any connection, on a redirect hop, behind a proxy, and in
/// a collection run.
#[test]
fn a_hostname_does_not_get_past_address_rules_in_blocked_hosts() {
    let p = policy(r#"(schema_version: 1, blocked_hosts: ["127.0.0.0/8", "::1"])"#);
    let (listener, port) = counting_listener();
    let engine = engine_under(&p, &Settings::default());
    let err = send(&engine, &Request::new("x").with_url(format!("http://localhost:{port}/"))).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, SendError::Policy { .. }), "{err:?}");
    assert!(message.contains("localhost resolves to") && message.contains("blocked_hosts"), "{message}");
    assert_no_connection(&listener);

    // A redirect from an allowed address to a name that resolves to a blocked one.
    let p = policy(r#"(schema_version: 1, blocked_hosts: ["127.0.0.1", "::1"])"#);
    let engine = engine_under(&p, &Settings::default());
    let (listener, port) = counting_listener();
    let to = format!("http://localhost:{port}/inside");
    let outside = Server::start_on("127.0.0.2", move |_| Reply::new(302).header("location", &to));
    let err = send(&engine, &Request::new("x").with_url(outside.url("/start"))).unwrap_err();
    assert!(err.to_string().contains("localhost resolves to 127.0.0.1"), "{err}");
    assert_eq!(outside.requests().len(), 1, "the first hop was allowed");
    assert_no_connection(&listener);

    // Behind a proxy (which would resolve the name itself): resolved here first, and refused.
    let proxy = support::Proxy::start_on("127.0.0.2", None);
    let user = Settings {
        proxy: ProxySetting::Manual {
            url: proxy.url(),
            username: String::new(),
            password: String::new(),
            no_proxy: String::new(),
        },
        ..Settings::default()
    };
    let settings = p.effective_settings(&user);
    let engine = Engine::new(settings).unwrap();
    engine.set_guard(Arc::new(p.clone()));
    let err = send(&engine, &Request::new("x").with_url(format!("http://localhost:{port}/"))).unwrap_err();
    assert!(err.to_string().contains("localhost resolves to"), "{err}");
    assert!(proxy.seen.lock().unwrap().is_empty(), "the proxy was asked");
    assert_no_connection(&listener);

    // A run sends none of them.
    let mut ws = WorkspaceData::new(Workspace::new("W"));
    let mut c = Collection::new("C");
    for i in 0..3 {
        let r = Request::new(format!("r{i}")).with_url(format!("http://localhost:{port}/{i}"));
        c.children.push(ItemId::Request(r.id));
        ws.requests.insert(r.id, r);
    }
    let cid = c.id;
    ws.collections.insert(cid, c);
    let engine = engine_under(&p, &Settings::default());
    let spec = localpost::runner::RunSpec::for_parent(Arc::new(ws), ParentId::Collection(cid));
    let mut outcomes = Vec::new();
    let done =
        localpost::runner::start(&engine, spec, None).wait(|_, o, _| outcomes.push(o.clone())).unwrap();
    assert_eq!(done.tally.errors, 3);
    assert!(
        outcomes.iter().all(|o| o.error.as_deref().is_some_and(|e| e.contains("blocked_hosts"))),
        "{outcomes:?}"
    );
    assert_no_connection(&listener);
}
