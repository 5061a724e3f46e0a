//! Issue 4, the property: no input bytes, in any number of administrator sources, yield a policy
//! less restrictive than the shipped baseline. Inputs are random bytes, RON built from the real
//! keys with good, bad and wrongly typed values, and random edits of a valid file.
#![allow(clippy::unwrap_used)] // Helpers of tests: a failed unwrap is a failed test.

use localpost::interop::Format;
use localpost::model::{ClientCertificate, ProxySetting, Settings};
use localpost::policy::{EffectivePolicy, PolicyState, ScriptPermission, SourceInput, SourceKind};
use proptest::prelude::*;
use url::Url;

const FORMATS: [Format; 13] = [
    Format::Bundle,
    Format::PostmanCollectionV20,
    Format::PostmanCollectionV21,
    Format::PostmanEnvironment,
    Format::PostmanGlobals,
    Format::PostmanDumpLegacy,
    Format::PostmanDumpArchive,
    Format::InsomniaV4,
    Format::InsomniaV5,
    Format::Har,
    Format::OpenApi3,
    Format::Swagger2,
    Format::Curl,
];

const PROBE_URLS: [&str; 14] = [
    "https://example.com/",
    "http://example.com/",
    "https://api.corp.example/v1",
    "https://a.b.corp.example/",
    "http://127.0.0.1:8080/",
    "http://localhost/",
    "https://[::1]/",
    "http://10.1.2.3/",
    "http://169.254.169.254/latest",
    "https://evil.example/",
    "ftp://files.example.com/",
    "ws://socket.example/",
    "file:///etc/passwd",
    "https://xn--bcher-kva.example/",
];

/// Settings a user could write to loosen everything.
fn loosest_user() -> Settings {
    Settings {
        verify_tls: false,
        store_response_bodies_in_history: true,
        history_retention_days: None,
        max_response_size_bytes: u64::MAX,
        script_timeout_ms: u64::MAX,
        proxy: ProxySetting::None,
        client_certificates: vec![ClientCertificate { host: "*".into(), ..Default::default() }],
        ..Settings::default()
    }
}

/// Fails when `p` allows anything `baseline` does not.
fn not_looser(p: &EffectivePolicy, baseline: &EffectivePolicy) -> Result<(), String> {
    let check =
        |ok: bool, what: &str| if ok { Ok(()) } else { Err(format!("looser than the baseline: {what}")) };
    for u in PROBE_URLS {
        let url = Url::parse(u).map_err(|e| e.to_string())?;
        check(p.check_url(&url).is_err() || baseline.check_url(&url).is_ok(), u)?;
    }
    for ip in ["169.254.169.254", "10.1.2.3", "::1"] {
        let ip = ip.parse().map_err(|e: std::net::AddrParseError| e.to_string())?;
        check(p.check_resolved_ip(ip).is_err() || baseline.check_resolved_ip(ip).is_ok(), "resolved ip")?;
    }
    check(!p.allows_tls_bypass() || baseline.allows_tls_bypass(), "tls bypass")?;
    check(p.min_tls_version() >= baseline.min_tls_version(), "min tls")?;
    for f in FORMATS {
        check(p.check_import(f).is_err() || baseline.check_import(f).is_ok(), "import")?;
    }
    for secrets in [false, true] {
        check(p.check_export(secrets).is_err() || baseline.check_export(secrets).is_ok(), "export")?;
    }
    let at_most = |a: Option<u64>, b: Option<u64>| b.is_none_or(|b| a.is_some_and(|a| a <= b));
    check(
        at_most(p.max_response_size_bytes(), baseline.max_response_size_bytes()),
        "max_response_size_bytes",
    )?;
    // Retention may stay put in Lockdown (pruning deletes files) but never grows.
    check(
        at_most(p.history_retention_days().map(u64::from), baseline.history_retention_days().map(u64::from)),
        "history_retention_days",
    )?;
    check(!p.store_response_bodies_in_history() || baseline.store_response_bodies_in_history(), "bodies")?;
    check(!p.allow_scripts() || baseline.allow_scripts(), "allow_scripts")?;
    check(p.check_scripts().is_err() || baseline.check_scripts().is_ok(), "scripts")?;
    check(at_most(p.max_script_timeout_ms(), baseline.max_script_timeout_ms()), "max_script_timeout_ms")?;
    match (p.script_permission(&loosest_user()), baseline.script_permission(&loosest_user())) {
        (ScriptPermission::Forbidden(_), _) => {}
        (ScriptPermission::Run { timeout: mine }, ScriptPermission::Run { timeout: base }) => {
            check(mine <= base, "script timeout")?;
        }
        (ScriptPermission::Run { .. }, ScriptPermission::Forbidden(_)) => check(false, "script permission")?,
    }
    let (mine, base) = (p.effective_settings(&loosest_user()), baseline.effective_settings(&loosest_user()));
    check(mine.verify_tls >= base.verify_tls, "verify_tls setting")?;
    check(mine.max_response_size_bytes <= base.max_response_size_bytes, "size setting")?;
    check(!mine.store_response_bodies_in_history || base.store_response_bodies_in_history, "bodies setting")?;
    check(mine.script_timeout_ms <= base.script_timeout_ms, "script timeout setting")?;
    for key in ["account_sign_in", "cloud_sync", "telemetry", "update_checks"] {
        let e = p.entries().iter().find(|e| e.key == key).ok_or(key)?;
        check(e.display == "Disabled", key)?;
    }
    if let PolicyState::Lockdown { reasons } = p.state() {
        check(!reasons.is_empty() && p.sending_blocked().is_some(), "lockdown without a reason")?;
        check(!p.allow_import() && !p.allow_export() && !p.allows_tls_bypass(), "lockdown not restrictive")?;
        check(!p.allow_scripts() && p.check_scripts().is_err(), "scripts in lockdown")?;
    }
    Ok(())
}

fn build(sources: &[Vec<u8>]) -> EffectivePolicy {
    let inputs = sources
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let (label, kind) = match i {
                0 => ("/etc/localpost/policy.ron".to_owned(), SourceKind::Machine),
                n => (format!("/etc/localpost/policy.d/{n:02}.ron"), SourceKind::DropIn),
            };
            SourceInput::new(label, kind, Ok(bytes.clone()))
        })
        .collect();
    EffectivePolicy::from_inputs(inputs)
}

/// Values to try for each key: valid ones, bad ones, and wrong types.
const KEY_VALUES: &[(&str, &[&str])] = &[
    ("strict", &["true", "false", "1"]),
    ("organization_name", &["\"ACME\"", "\"\"", "\"a\\nb\"", "ACME"]),
    ("support_contact", &["\"it@acme.example\"", "[]"]),
    ("account_sign_in", &["Disabled", "Enabled", "\"Disabled\"", "true", "Disabled(1)"]),
    ("cloud_sync", &["Disabled", "Allowed"]),
    ("telemetry", &["Disabled", "Enabled"]),
    ("update_checks", &["Disabled", "On"]),
    (
        "allowed_hosts",
        &[
            "[]",
            "[\"*\"]",
            "[\"*.corp.example\"]",
            "[\"api.corp.example\", \"10.0.0.0/8\"]",
            "[\"https://x\"]",
            "\"x\"",
            "[1]",
        ],
    ),
    ("blocked_hosts", &["[]", "[\"*\"]", "[\"evil.example\", \"169.254.0.0/16\"]", "[\"a b\"]", "None"]),
    (
        "allowed_schemes",
        &[
            "[\"http\", \"https\", \"ftp\", \"ws\", \"file\"]",
            "[\"https\"]",
            "[]",
            "[\"HTTP\"]",
            "[\"ht tp\"]",
            "[true]",
        ],
    ),
    ("allow_tls_verification_bypass", &["true", "false", "\"true\""]),
    ("extra_ca_files", &["[\"/etc/ca.pem\"]", "[\"ca.pem\"]", "[]"]),
    ("min_tls_version", &["\"1.0\"", "\"1.2\"", "\"1.3\"", "\"2.0\"", "1.3"]),
    (
        "client_certificates",
        &[
            "[(host: \"*.x.example\", pkcs12_file: \"/c.p12\")]",
            "[(host: \"x\")]",
            "[(host: \"\", cert_file: \"/a\", key_file: \"/b\")]",
        ],
    ),
    (
        "proxy",
        &[
            "(mode: System, locked: true)",
            "(mode: None)",
            "(mode: Fixed(url: \"http://p:1\", no_proxy: []), locked: false)",
            "(mode: Fixed(url: \"bad\"))",
            "System",
        ],
    ),
    ("data_dir", &["\"/srv/lp\"", "\"~/lp\"", "\"rel\"", "\"\""]),
    ("allow_import", &["true", "false"]),
    ("allow_export", &["true", "false"]),
    ("allow_secrets_in_exports", &["true", "false"]),
    ("allowed_import_formats", &["[Har, Curl]", "[]", "[Word]", "[\"Har\"]"]),
    ("history_retention_days", &["0", "7", "4294967295", "4294967296", "-1", "None", "Some(3)"]),
    ("store_response_bodies_in_history", &["true", "false"]),
    ("max_response_size_bytes", &["0", "1000", "18446744073709551615", "18446744073709551616", "1e3"]),
    ("allow_scripts", &["true", "false", "\"false\"", "0"]),
    (
        "max_script_timeout_ms",
        &["0", "1", "2000", "18446744073709551615", "18446744073709551616", "-5", "\"5s\"", "Some(5)"],
    ),
    (
        "defaults",
        &[
            "(verify_tls: false, theme: Dark)",
            "(script_timeout_ms: 0)",
            "(bogus: 1)",
            "(history_retention_days: Some(1))",
            "(font_size: \"x\")",
            "()",
        ],
    ),
    ("colour", &["Red"]),
];

fn ron_source() -> impl Strategy<Value = Vec<u8>> {
    let schema =
        prop::sample::select(vec!["schema_version: 1,", "schema_version: 1,", "schema_version: 2,", ""]);
    let pair = (0..KEY_VALUES.len(), any::<prop::sample::Index>()).prop_map(|(k, v)| {
        let (key, values) = KEY_VALUES[k];
        format!("{key}: {},", values[v.index(values.len())])
    });
    (schema, prop::collection::vec(pair, 0..10), any::<bool>()).prop_map(|(schema, pairs, wrap)| {
        let body = format!("{schema} {}", pairs.join(" "));
        if wrap { format!("Policy({body})") } else { format!("({body})") }.into_bytes()
    })
}

const RICH: &str = r#"(
    schema_version: 1,
    organization_name: "ACME",
    allowed_hosts: ["*.corp.example", "10.0.0.0/8"],
    blocked_hosts: ["169.254.169.254"],
    allowed_schemes: ["https"],
    allow_tls_verification_bypass: false,
    min_tls_version: "1.3",
    proxy: (mode: Fixed(url: "http://proxy.corp.example:3128", no_proxy: ["localhost"]), locked: true),
    allow_secrets_in_exports: false,
    allowed_import_formats: [Bundle, OpenApi3],
    history_retention_days: 30,
    max_response_size_bytes: 1000000,
    allow_scripts: false,
    max_script_timeout_ms: 2000,
    defaults: (theme: Dark),
)"#;

/// Values of the right type, good and bad: sources built from these load (Managed), so the
/// merging is what is under test.
const WELL_TYPED: &[(&str, &[&str])] = &[
    ("organization_name", &["\"ACME\"", "\"\"", "\"Other\""]),
    ("account_sign_in", &["Disabled", "Enabled"]),
    ("cloud_sync", &["Disabled", "Allowed"]),
    (
        "allowed_hosts",
        &[
            "[]",
            "[\"*\"]",
            "[\"*.corp.example\"]",
            "[\"api.corp.example\", \"10.0.0.0/8\", \"::1\"]",
            "[\"https://x\"]",
        ],
    ),
    ("blocked_hosts", &["[]", "[\"*\"]", "[\"evil.example\", \"169.254.0.0/16\"]", "[\"a b\"]"]),
    (
        "allowed_schemes",
        &[
            "[\"http\", \"https\", \"ftp\", \"ws\", \"file\"]",
            "[\"https\"]",
            "[]",
            "[\"HTTP\"]",
            "[\"ht tp\"]",
        ],
    ),
    ("allow_tls_verification_bypass", &["true", "false"]),
    ("extra_ca_files", &["[\"/etc/ca.pem\"]", "[\"ca.pem\"]"]),
    ("min_tls_version", &["\"1.0\"", "\"1.2\"", "\"1.3\"", "\"2.0\""]),
    ("client_certificates", &["[(host: \"*.x.example\", pkcs12_file: \"/c.p12\")]", "[(host: \"x\")]"]),
    (
        "proxy",
        &[
            "(mode: System, locked: true)",
            "(mode: None)",
            "(mode: Fixed(url: \"http://p:1\", no_proxy: []), locked: false)",
        ],
    ),
    ("allow_import", &["true", "false"]),
    ("allow_export", &["true", "false"]),
    ("allow_secrets_in_exports", &["true", "false"]),
    ("allowed_import_formats", &["[Har, Curl]", "[]", "[Word]", "[Bundle, Har, OpenApi3, Curl]"]),
    ("history_retention_days", &["0", "7", "4294967295"]),
    ("store_response_bodies_in_history", &["true", "false"]),
    ("max_response_size_bytes", &["0", "1000", "18446744073709551615"]),
    ("allow_scripts", &["true", "false"]),
    ("max_script_timeout_ms", &["0", "1", "2000", "18446744073709551615"]),
    (
        "defaults",
        &[
            "(verify_tls: false, theme: Dark)",
            "(history_retention_days: Some(1), max_response_size_bytes: 5)",
            "(script_timeout_ms: 18446744073709551615)",
        ],
    ),
];

fn well_typed_source() -> impl Strategy<Value = Vec<u8>> {
    let pair = (0..WELL_TYPED.len(), any::<prop::sample::Index>()).prop_map(|(k, v)| (k, v));
    prop::collection::vec(pair, 0..12).prop_map(|pairs| {
        let mut seen = std::collections::BTreeMap::new();
        for (k, v) in pairs {
            let (key, values) = WELL_TYPED[k];
            seen.insert(key, values[v.index(values.len())]);
        }
        let body: Vec<String> = seen.iter().map(|(k, v)| format!("{k}: {v},")).collect();
        format!("(schema_version: 1, {})", body.join(" ")).into_bytes()
    })
}

fn mutated(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let edit = (0..4u8, any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<u8>());
    prop::collection::vec(edit, 1..6).prop_map(move |edits| {
        let mut bytes = base.as_bytes().to_vec();
        for (op, at, len, byte) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let i = at.index(bytes.len());
            match op {
                0 => {
                    let end = (i + len.index(16)).min(bytes.len());
                    bytes.drain(i..end);
                }
                1 => bytes.insert(i, byte),
                2 => bytes[i] = byte,
                _ => bytes.truncate(i),
            }
        }
        bytes
    })
}

fn any_source() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        ron_source(),
        mutated(RICH),
        mutated(localpost::policy::BASELINE_TEXT),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, ..ProptestConfig::default() })]

    #[test]
    fn no_input_is_looser_than_the_baseline(sources in prop::collection::vec(any_source(), 1..4)) {
        let baseline = EffectivePolicy::baseline();
        let p = build(&sources);
        if let Err(e) = not_looser(&p, &baseline) {
            return Err(TestCaseError::fail(format!("{e}\n{}", p.to_text())));
        }
    }

    #[test]
    fn well_typed_sources_are_never_looser(sources in prop::collection::vec(well_typed_source(), 1..4)) {
        let baseline = EffectivePolicy::baseline();
        let p = build(&sources);
        prop_assert!(!p.is_lockdown(), "{}", p.to_text());
        if let Err(e) = not_looser(&p, &baseline) {
            return Err(TestCaseError::fail(format!("{e}\n{}", p.to_text())));
        }
    }

    #[test]
    fn random_bytes_fail_closed(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let p = build(std::slice::from_ref(&bytes));
        // Random bytes are almost never a valid policy; when they are not, it is Lockdown.
        if localpost::policy::parse_source(&bytes).is_err() {
            prop_assert!(p.is_lockdown());
            prop_assert!(p.check_url(&Url::parse("https://example.com/").unwrap()).is_err());
        }
    }
}

#[test]
fn the_rich_file_is_valid_and_strictly_tighter() {
    let p = build(&[RICH.as_bytes().to_vec()]);
    assert_eq!(p.state(), &PolicyState::Managed, "{}", p.to_text());
    not_looser(&p, &EffectivePolicy::baseline()).unwrap();
    // The check can fail: the baseline is looser than this file.
    assert!(not_looser(&EffectivePolicy::baseline(), &p).is_err());
    assert!(p.check_url(&Url::parse("http://api.corp.example/").unwrap()).is_err());
    assert!(p.check_url(&Url::parse("https://api.corp.example/").unwrap()).is_ok());
}
