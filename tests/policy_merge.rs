//! Issue 4, precedence: the baseline, then the machine file, then `policy.d/` in name order; the
//! most restrictive value wins for every security key whatever the order, the last source wins
//! for the others, and conflicts are shown.
#![allow(clippy::unwrap_used)] // Helpers of tests: a failed unwrap is a failed test.

use std::time::Duration;

use localpost::interop::Format;
use localpost::model::{ProxySetting, Settings, Theme};
use localpost::policy::{
    EffectivePolicy, EntryStatus, PolicyEntry, PolicyState, PolicyViolation, ProxyMode, ScriptPermission,
    SettingControl, SettingKey, SourceInput, SourceKind, TlsVersion,
};
use url::Url;

const MACHINE: &str = "/etc/localpost/policy.ron";

fn source(label: &str, text: &str) -> SourceInput {
    let kind = if label == MACHINE { SourceKind::Machine } else { SourceKind::DropIn };
    SourceInput::new(label, kind, Ok(text.as_bytes().to_vec()))
}

fn policy(sources: &[(&str, &str)]) -> EffectivePolicy {
    let p = EffectivePolicy::from_inputs(sources.iter().map(|(l, t)| source(l, t)).collect());
    assert!(!p.is_lockdown(), "{}", p.to_text());
    p
}

fn entry<'a>(p: &'a EffectivePolicy, key: &str) -> &'a PolicyEntry {
    p.entries().iter().find(|e| e.key == key).unwrap_or_else(|| panic!("no entry {key}"))
}

fn check(p: &EffectivePolicy, url: &str) -> Result<(), PolicyViolation> {
    p.check_url(&Url::parse(url).unwrap())
}

#[test]
fn the_baseline_disables_sign_in_sync_telemetry_and_update_checks() {
    let p = EffectivePolicy::baseline();
    assert_eq!(p.state(), &PolicyState::Baseline);
    for key in ["account_sign_in", "cloud_sync", "telemetry", "update_checks"] {
        let e = entry(&p, key);
        assert_eq!((e.display.as_str(), e.status), ("Disabled", EntryStatus::Ok), "{e:?}");
        assert_eq!(e.sources, ["built-in policy"]);
    }
    // ... and otherwise allows what a normal user needs.
    assert!(check(&p, "https://api.example.com/v1").is_ok());
    assert!(check(&p, "http://127.0.0.1:3000/").is_ok());
    assert!(matches!(check(&p, "ftp://files.example.com/"), Err(PolicyViolation::SchemeNotAllowed { .. })));
    assert!(p.allows_tls_bypass() && p.allow_import() && p.allow_export() && p.allow_secrets_in_exports());
    assert_eq!(p.allowed_import_formats(), None);
    assert_eq!((p.history_retention_days(), p.max_response_size_bytes()), (None, None));
    assert!(p.store_response_bodies_in_history());
    assert!(p.allow_scripts() && p.check_scripts().is_ok());
    assert_eq!(p.max_script_timeout_ms(), None);
    assert_eq!(entry(&p, "max_script_timeout_ms").display, "not set: no limit beyond the user's setting");
    assert_eq!(p.min_tls_version(), TlsVersion::Tls1_2);
    assert!(p.proxy().is_none() && p.data_dir().is_none());
    assert_eq!(p.effective_settings(&Settings::default()), Settings::default());
    assert_eq!(p.initial_settings(), Settings::default());
    assert!(p.setting_controls().iter().all(|(_, c)| *c == SettingControl::Free));
}

#[test]
fn the_shipped_file_is_clean_and_sets_every_security_key() {
    let p = EffectivePolicy::baseline();
    assert!(p.entries().iter().all(|e| e.status == EntryStatus::Ok), "{}", p.to_text());
    for key in [
        "blocked_hosts",
        "allowed_schemes",
        "allow_tls_verification_bypass",
        "extra_ca_files",
        "min_tls_version",
        "client_certificates",
        "allow_import",
        "allow_export",
        "allow_secrets_in_exports",
        "store_response_bodies_in_history",
        "allow_scripts",
    ] {
        assert_eq!(entry(&p, key).sources, ["built-in policy"], "{key}");
    }
}

#[test]
fn a_machine_file_cannot_loosen_the_baseline() {
    let p = policy(&[(
        MACHINE,
        r#"(schema_version: 1, allowed_schemes: ["http", "https", "ftp"], account_sign_in: Enabled)"#,
    )]);
    assert!(matches!(check(&p, "ftp://x.example/"), Err(PolicyViolation::SchemeNotAllowed { .. })));
    let schemes = entry(&p, "allowed_schemes");
    assert_eq!(schemes.status, EntryStatus::Conflict);
    assert!(schemes.messages[0].contains("\"ftp\""), "{:?}", schemes.messages);
    let sign_in = entry(&p, "account_sign_in");
    assert_eq!((sign_in.display.as_str(), sign_in.status), ("Disabled", EntryStatus::Error));
}

#[test]
fn allowed_hosts_intersect_and_name_the_rule() {
    let p = policy(&[
        (MACHINE, r#"(schema_version: 1, allowed_hosts: ["*.corp.example", "10.0.0.0/8"])"#),
        (
            "/etc/localpost/policy.d/20-team.ron",
            r#"(schema_version: 1, allowed_hosts: ["api.corp.example", "other.example", "10.1.0.0/16"])"#,
        ),
    ]);
    assert!(check(&p, "https://api.corp.example/x").is_ok());
    assert!(check(&p, "http://10.1.2.3/").is_ok());
    let err = check(&p, "https://www.corp.example/").unwrap_err();
    assert!(
        matches!(&err, PolicyViolation::HostNotAllowed { by, .. } if by.ends_with("20-team.ron")),
        "{err}"
    );
    assert!(err.to_string().contains("www.corp.example"), "{err}");
    let err = check(&p, "https://other.example/").unwrap_err();
    assert!(matches!(&err, PolicyViolation::HostNotAllowed { by, .. } if by == MACHINE), "{err}");
    assert!(check(&p, "http://10.2.0.1/").is_err());
    assert_eq!(entry(&p, "allowed_hosts").status, EntryStatus::Conflict);
}

#[test]
fn blocked_hosts_unite() {
    let p = policy(&[
        (MACHINE, r#"(schema_version: 1, blocked_hosts: ["169.254.169.254"])"#),
        ("/etc/localpost/policy.d/10.ron", r#"(schema_version: 1, blocked_hosts: ["*.tracker.example"])"#),
    ]);
    let err = check(&p, "http://169.254.169.254/latest/meta-data").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the host 169.254.169.254 is blocked by the blocked_hosts rule `169.254.169.254` in /etc/localpost/policy.ron"
    );
    assert!(check(&p, "https://a.tracker.example/").is_err());
    assert!(check(&p, "https://tracker.example/").is_ok());
    assert!(p.check_resolved_ip("169.254.169.254".parse().unwrap()).is_err());
    assert!(p.check_resolved_ip("::ffff:169.254.169.254".parse().unwrap()).is_err());
    assert!(p.check_resolved_ip("93.184.216.34".parse().unwrap()).is_ok());
    assert_eq!(entry(&p, "blocked_hosts").status, EntryStatus::Ok);
}

#[test]
fn booleans_that_loosen_need_every_source_in_any_order() {
    let strict = r#"(schema_version: 1, allow_tls_verification_bypass: false, allow_import: false,
        allow_export: false, allow_secrets_in_exports: false, store_response_bodies_in_history: false,
        allow_scripts: false)"#;
    let loose = r#"(schema_version: 1, allow_tls_verification_bypass: true, allow_import: true,
        allow_export: true, allow_secrets_in_exports: true, store_response_bodies_in_history: true,
        allow_scripts: true)"#;
    for order in [[strict, loose], [loose, strict]] {
        let p = policy(&[(MACHINE, order[0]), ("/etc/localpost/policy.d/10.ron", order[1])]);
        assert!(!p.allows_tls_bypass());
        assert!(!p.allow_import() && !p.allow_export() && !p.allow_secrets_in_exports());
        assert!(!p.store_response_bodies_in_history());
        let err = p.check_tls_bypass(false).unwrap_err();
        let named = if order[0] == strict { MACHINE } else { "/etc/localpost/policy.d/10.ron" };
        assert!(err.to_string().ends_with(&format!("in {named})")), "{err}");
        assert!(p.check_tls_bypass(true).is_ok());
        assert_eq!(entry(&p, "allow_import").status, EntryStatus::Conflict);
        // The second source cannot turn scripts back on, and the refusal names the one that
        // turned them off.
        assert!(!p.allow_scripts());
        let err = p.check_scripts().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "scripts are turned off by the organization's policy (allow_scripts is false in {named})"
            )
        );
        let scripts = entry(&p, "allow_scripts");
        assert_eq!((scripts.display.as_str(), scripts.status), ("false", EntryStatus::Conflict));
        assert!(scripts.messages[0].contains("true in"), "{:?}", scripts.messages);
    }
}

#[test]
fn limits_take_the_smallest_and_tls_the_highest() {
    let p = policy(&[
        (
            MACHINE,
            r#"(schema_version: 1, history_retention_days: 30, max_response_size_bytes: 1000, min_tls_version: "1.3",
            max_script_timeout_ms: 2000)"#,
        ),
        (
            "/etc/localpost/policy.d/10.ron",
            r#"(schema_version: 1, history_retention_days: 90, max_response_size_bytes: 10, min_tls_version: "1.2",
            max_script_timeout_ms: 30000)"#,
        ),
    ]);
    assert_eq!(p.max_script_timeout_ms(), Some(2000));
    let timeout = entry(&p, "max_script_timeout_ms");
    assert_eq!((timeout.display.as_str(), timeout.status), ("2000", EntryStatus::Conflict));
    assert!(
        timeout.messages[0].contains("30000 in /etc/localpost/policy.d/10.ron"),
        "{:?}",
        timeout.messages
    );
    assert_eq!(p.decided_by("max_script_timeout_ms"), MACHINE);
    assert_eq!(p.history_retention_days(), Some(30));
    assert_eq!(p.max_response_size_bytes(), Some(10));
    assert_eq!(p.min_tls_version(), TlsVersion::Tls1_3);
    assert!(p.check_response_size(10).is_ok());
    let err = p.check_response_size(11).unwrap_err();
    assert!(err.to_string().contains("policy.d/10.ron"), "{err}");
    let retention = entry(&p, "history_retention_days");
    assert_eq!((retention.display.as_str(), retention.status), ("30", EntryStatus::Conflict));
    assert_eq!(retention.sources, [MACHINE, "/etc/localpost/policy.d/10.ron"]);
}

#[test]
fn import_formats_intersect() {
    let p = policy(&[
        (MACHINE, "(schema_version: 1, allowed_import_formats: [Bundle, PostmanCollectionV21, Har])"),
        (
            "/etc/localpost/policy.d/10.ron",
            "(schema_version: 1, allowed_import_formats: [Bundle, Har, Curl])",
        ),
    ]);
    assert_eq!(p.allowed_import_formats(), Some(vec![Format::Bundle, Format::Har]));
    assert!(p.check_import(Format::Har).is_ok());
    let err = p.check_import(Format::PostmanCollectionV21).unwrap_err();
    assert!(matches!(
        err,
        PolicyViolation::ImportFormatForbidden { format: Format::PostmanCollectionV21, .. }
    ));
    assert!(p.check_import(Format::Curl).is_err());
    assert!(p.check_export(true).is_ok());
}

#[test]
fn secrets_stay_out_of_exports_when_forbidden() {
    let p = policy(&[(MACHINE, "(schema_version: 1, allow_secrets_in_exports: false)")]);
    assert!(p.check_export(false).is_ok());
    let err = p.check_export(true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "exporting secret values is not allowed (allow_secrets_in_exports is false in /etc/localpost/policy.ron)"
    );
}

#[test]
fn the_last_source_wins_for_names_and_the_conflict_is_shown() {
    let p = policy(&[
        (MACHINE, r#"(schema_version: 1, organization_name: "ACME", support_contact: "it@acme.example")"#),
        ("/etc/localpost/policy.d/10.ron", r#"(schema_version: 1, organization_name: "ACME Research")"#),
    ]);
    assert_eq!(p.organization_name(), "ACME Research");
    assert_eq!(p.managed_by(), "Managed by ACME Research");
    assert_eq!(p.support_contact(), Some("it@acme.example"));
    let name = entry(&p, "organization_name");
    assert_eq!(name.status, EntryStatus::Conflict);
    assert!(
        name.messages[0].contains("the last one, /etc/localpost/policy.d/10.ron, applies"),
        "{:?}",
        name.messages
    );
    assert_eq!(entry(&p, "support_contact").status, EntryStatus::Ok);
    // An administrator source that names nobody.
    let p = policy(&[(MACHINE, "(schema_version: 1)")]);
    assert_eq!(p.managed_by(), "Managed by your organization");
}

#[test]
fn a_locked_proxy_beats_a_later_unlocked_one() {
    let p = policy(&[
        (
            MACHINE,
            r#"(schema_version: 1, proxy: (mode: Fixed(url: "http://proxy.corp.example:3128", no_proxy: ["localhost"]), locked: true))"#,
        ),
        ("/etc/localpost/policy.d/10.ron", "(schema_version: 1, proxy: (mode: None, locked: false))"),
    ]);
    assert!(p.proxy_locked());
    assert!(
        matches!(&p.proxy().unwrap().mode, ProxyMode::Fixed { url, .. } if url == "http://proxy.corp.example:3128")
    );
    let user = Settings { proxy: ProxySetting::None, ..Settings::default() };
    let s = p.effective_settings(&user);
    assert_eq!(
        s.proxy,
        ProxySetting::Manual {
            url: "http://proxy.corp.example:3128".into(),
            username: String::new(),
            password: String::new(),
            no_proxy: "localhost".into()
        }
    );
    assert!(p.setting_control(SettingKey::Proxy).is_locked());
    // Unlocked: only where a new user starts.
    let p = policy(&[(MACHINE, "(schema_version: 1, proxy: (mode: None, locked: false))")]);
    assert_eq!(p.initial_settings().proxy, ProxySetting::None);
    assert_eq!(p.effective_settings(&Settings::default()).proxy, ProxySetting::System);
    assert!(matches!(p.setting_control(SettingKey::Proxy), SettingControl::Recommended { .. }));
}

#[test]
fn trust_anchors_and_client_certificates_unite() {
    let p = policy(&[
        (
            MACHINE,
            r#"(schema_version: 1, extra_ca_files: ["/etc/pki/corp-root.pem"],
            client_certificates: [(host: "*.mtls.example", cert_file: "/etc/pki/a.pem", key_file: "/etc/pki/a.key")])"#,
        ),
        (
            "/etc/localpost/policy.d/10.ron",
            r#"(schema_version: 1, extra_ca_files: ["/etc/pki/corp-root.pem", "/etc/pki/lab.pem"],
            client_certificates: [(host: "*.mtls.example", pkcs12_file: "/etc/pki/b.p12")])"#,
        ),
    ]);
    let cas: Vec<String> = p.extra_ca_files().iter().map(|c| c.display().to_string()).collect();
    assert_eq!(cas, ["/etc/pki/corp-root.pem", "/etc/pki/lab.pem"]);
    assert_eq!(p.client_certificates().len(), 1);
    assert_eq!(p.client_certificates()[0].pkcs12_file, "/etc/pki/b.p12");
    assert_eq!(entry(&p, "client_certificates").status, EntryStatus::Conflict);
    let user = Settings { extra_ca_files: vec!["/home/me/dev-ca.pem".into()], ..Settings::default() };
    let s = p.effective_settings(&user);
    assert_eq!(s.extra_ca_files, ["/etc/pki/corp-root.pem", "/etc/pki/lab.pem", "/home/me/dev-ca.pem"]);
    assert!(matches!(p.setting_control(SettingKey::ExtraCaFiles), SettingControl::Limited { .. }));
}

#[test]
fn defaults_are_where_a_user_starts_and_mandatory_values_always_apply() {
    let p = policy(&[
        (
            MACHINE,
            r#"(schema_version: 1, organization_name: "ACME", allow_tls_verification_bypass: false,
            store_response_bodies_in_history: false, history_retention_days: 14, max_response_size_bytes: 5000000,
            defaults: (theme: Dark, request_timeout_ms: 30000))"#,
        ),
        ("/etc/localpost/policy.d/10.ron", "(schema_version: 1, defaults: (theme: Light))"),
    ]);
    let start = p.initial_settings();
    assert_eq!((start.theme, start.request_timeout_ms), (Theme::Light, 30_000));
    assert_eq!(entry(&p, "defaults.theme").sources, ["/etc/localpost/policy.d/10.ron"]);
    assert!(matches!(p.setting_control(SettingKey::Theme), SettingControl::Recommended { .. }));
    assert_eq!(p.setting_control(SettingKey::FontSize), SettingControl::Free);

    // A user who edited settings.ron to loosen everything gets the policy's values anyway.
    let edited = Settings {
        verify_tls: false,
        store_response_bodies_in_history: true,
        history_retention_days: None,
        max_response_size_bytes: u64::MAX,
        theme: Theme::System,
        ..Settings::default()
    };
    let s = p.effective_settings(&edited);
    assert!(s.verify_tls && !s.store_response_bodies_in_history);
    assert_eq!((s.history_retention_days, s.max_response_size_bytes), (Some(14), 5_000_000));
    assert_eq!(s.theme, Theme::System, "a default is not forced on a user who chose");
    // Within the bounds the user's choice stands.
    let tighter = Settings { history_retention_days: Some(3), max_response_size_bytes: 10, ..edited };
    let s = p.effective_settings(&tighter);
    assert_eq!((s.history_retention_days, s.max_response_size_bytes), (Some(3), 10));

    assert_eq!(p.setting_control(SettingKey::VerifyTls), SettingControl::Locked { by: MACHINE.into() });
    assert!(p.setting_control(SettingKey::StoreResponseBodiesInHistory).is_locked());
    assert!(matches!(
        p.setting_control(SettingKey::HistoryRetentionDays),
        SettingControl::Limited { limit, .. } if limit == "at most 14 days"
    ));
    assert_eq!(p.managed_by(), "Managed by ACME");
}

#[test]
fn the_script_timeout_setting_is_capped_and_shown_as_managed() {
    let p = policy(&[(
        MACHINE,
        r#"(schema_version: 1, organization_name: "ACME", max_script_timeout_ms: 2000,
        defaults: (script_timeout_ms: 1000))"#,
    )]);
    assert_eq!(p.initial_settings().script_timeout_ms, 1000);
    let greedy = Settings { script_timeout_ms: 600_000, ..Settings::default() };
    assert_eq!(p.effective_settings(&greedy).script_timeout_ms, 2000);
    assert_eq!(p.script_permission(&greedy), ScriptPermission::Run { timeout: Duration::from_secs(2) });
    let modest = Settings { script_timeout_ms: 250, ..Settings::default() };
    assert_eq!(p.effective_settings(&modest).script_timeout_ms, 250);
    assert_eq!(p.script_permission(&modest), ScriptPermission::Run { timeout: Duration::from_millis(250) });
    assert_eq!(
        p.setting_control(SettingKey::ScriptTimeoutMs),
        SettingControl::Limited { by: MACHINE.into(), limit: "at most 2000 ms per script".into() }
    );
    assert_eq!(
        p.settings_lock(SettingKey::ScriptTimeoutMs).as_deref(),
        Some("Managed by ACME: at most 2000 ms per script (set in /etc/localpost/policy.ron)")
    );
    // Without a cap the policy's default is only where a user starts.
    let p = policy(&[(MACHINE, "(schema_version: 1, defaults: (script_timeout_ms: 1000))")]);
    assert!(matches!(p.setting_control(SettingKey::ScriptTimeoutMs), SettingControl::Recommended { .. }));
    assert_eq!(p.effective_settings(&greedy).script_timeout_ms, 600_000);
}

#[test]
fn a_settings_file_from_before_script_timeouts_loads_with_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = localpost::storage::Store::open(dir.path()).unwrap();
    opened.store.save_settings(&Settings { font_size: 15.0, ..Settings::default() }).unwrap();
    let file = dir.path().join("settings.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    let old: String =
        text.lines().filter(|l| !l.contains("script_timeout_ms")).collect::<Vec<_>>().join("\n");
    assert_ne!(old, text.trim_end(), "the saved file has script_timeout_ms");
    std::fs::write(&file, old).unwrap();
    let (user, problem) = opened.store.load_settings();
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!((user.font_size, user.script_timeout_ms), (15.0, 5000));
}

#[test]
fn a_users_settings_file_cannot_loosen_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let mut opened = localpost::storage::Store::open(dir.path()).unwrap();
    let loose = Settings { verify_tls: false, ..Settings::default() };
    opened.store.save_settings(&loose).unwrap();
    // Edited by hand, too.
    let file = dir.path().join("settings.ron");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("history_retention_days: None", "history_retention_days: Some(3650)");
    std::fs::write(&file, text).unwrap();
    let (user, problem) = opened.store.load_settings();
    assert!(problem.is_none(), "{problem:?}");
    assert!(!user.verify_tls);
    let p = policy(&[(
        MACHINE,
        "(schema_version: 1, allow_tls_verification_bypass: false, history_retention_days: 7)",
    )]);
    let s = p.effective_settings(&user);
    assert!(s.verify_tls);
    assert_eq!(s.history_retention_days, Some(7));
}

#[test]
fn the_order_of_drop_ins_never_changes_a_security_value() {
    let a = r#"(schema_version: 1, allowed_hosts: ["*.corp.example"], history_retention_days: 30, allow_import: false)"#;
    let b = r#"(schema_version: 1, blocked_hosts: ["bad.corp.example"], max_response_size_bytes: 100, min_tls_version: "1.3")"#;
    let c =
        r#"(schema_version: 1, allowed_schemes: ["https"], history_retention_days: 7, allow_export: false)"#;
    let orders = [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]];
    let probes = [
        "https://x.corp.example/",
        "https://bad.corp.example/",
        "http://x.corp.example/",
        "https://elsewhere.example/",
    ];
    let summary = |p: &EffectivePolicy| {
        (
            probes.iter().map(|u| check(p, u).is_ok()).collect::<Vec<_>>(),
            p.history_retention_days(),
            p.max_response_size_bytes(),
            p.min_tls_version(),
            p.allow_import(),
            p.allow_export(),
        )
    };
    let first = summary(&policy(&[
        ("/d/1.ron", orders[0][0]),
        ("/d/2.ron", orders[0][1]),
        ("/d/3.ron", orders[0][2]),
    ]));
    assert_eq!(first.0, [true, false, false, false]);
    for order in &orders[1..] {
        let p = policy(&[("/d/1.ron", order[0]), ("/d/2.ron", order[1]), ("/d/3.ron", order[2])]);
        assert_eq!(summary(&p), first);
    }
}

#[test]
fn the_sha256_changes_with_the_effective_policy_only() {
    let a = policy(&[(MACHINE, "(schema_version: 1, allow_import: false)")]);
    let same = policy(&[(MACHINE, "// reformatted\n(\n    schema_version: 1,\n    allow_import: false,\n)")]);
    let other = policy(&[(MACHINE, "(schema_version: 1, allow_import: true)")]);
    assert_eq!(a.sha256().len(), 64);
    assert_eq!(a.sha256(), same.sha256());
    assert_ne!(a.sha256(), other.sha256());
    assert_ne!(EffectivePolicy::baseline().sha256(), other.sha256(), "managed differs from baseline");
    let line = a.startup_log_line();
    assert!(line.contains(a.sha256()) && line.starts_with("organization policy: managed"), "{line}");
}

#[test]
fn policy_show_json_lists_every_key() {
    let p = policy(&[(MACHINE, r#"(schema_version: 1, organization_name: "ACME", colour: Red)"#)]);
    let json: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
    assert_eq!(json["state"], "managed");
    assert_eq!(json["organization_name"], "ACME");
    assert_eq!(json["sources"][1]["source"], MACHINE);
    let keys: Vec<&str> =
        json["keys"].as_array().unwrap().iter().map(|k| k["key"].as_str().unwrap()).collect();
    for key in localpost::policy::KEYS {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let colour = json["keys"].as_array().unwrap().iter().find(|k| k["key"] == "colour").unwrap();
    assert_eq!(colour["status"], "unknown");
}

#[test]
fn the_readme_shows_the_shipped_file_and_its_examples_are_valid() {
    let readme = include_str!("../policy/README.md");
    assert!(
        readme.contains(localpost::policy::BASELINE_TEXT.trim_end()),
        "policy/README.md must show organization.ron as it is"
    );
    let blocks: Vec<&str> = readme.split("```ron\n").skip(1).filter_map(|b| b.split("```").next()).collect();
    assert!(blocks.len() >= 8, "{}", blocks.len());
    for block in blocks {
        let text = if block.trim_start().starts_with(['(', '/']) {
            block.to_owned()
        } else {
            format!("(schema_version: 1,\n{block})")
        };
        let parsed = localpost::policy::parse_source(text.as_bytes())
            .unwrap_or_else(|e| panic!("README example does not parse: {e}\n{text}"));
        assert!(parsed.key_problems.is_empty() && parsed.unknown_keys.is_empty(), "{parsed:?}\n{text}");
    }
}

#[test]
fn the_policy_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<EffectivePolicy>();
}
