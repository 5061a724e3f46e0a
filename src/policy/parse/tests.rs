//! Reading policy sources: every key, its errors and their messages.

use super::*;

fn parse(text: &str) -> Result<ParsedSource, SourceError> {
    parse_source(text.as_bytes())
}

#[test]
fn a_minimal_source_parses() {
    let p = parse("(schema_version: 1, allow_import: false)").unwrap();
    assert_eq!(p.values.allow_import, Some(false));
    assert!(p.key_problems.is_empty() && p.unknown_keys.is_empty() && !p.strict);
    assert!(p.sets("allow_import") && !p.sets("allow_export"));
}

#[test]
fn a_named_struct_is_accepted_too() {
    assert!(parse("Policy(schema_version: 1)").is_ok());
    assert!(matches!(parse("Other(schema_version: 1)"), Err(SourceError::Parse { .. })));
}

#[test]
fn parse_errors_carry_line_and_column() {
    let err = parse("(\n    schema_version: 1,\n    allow_import: \"yes\",\n)").unwrap_err();
    let SourceError::Parse { position, .. } = err else { panic!("{err:?}") };
    assert_eq!(position.line, 3);
}

#[test]
fn bad_values_take_their_most_restrictive_value() {
    let p = parse(
        r#"(
                schema_version: 1,
                account_sign_in: Enabled,
                allowed_hosts: ["api.example.com", "https://x.example.com"],
                blocked_hosts: ["a:1"],
                allowed_schemes: ["https", "ht tp"],
                min_tls_version: "1.1",
                allowed_import_formats: [Har, Word],
                extra_ca_files: ["relative.pem"],
                organization_name: "",
            )"#,
    )
    .unwrap();
    let v = &p.values;
    assert_eq!(v.disabled, vec!["account_sign_in"]);
    assert_eq!(v.allowed_hosts, Some(vec![]));
    assert_eq!(v.blocked_hosts.as_ref().map(|b| b[0].as_str()), Some("*"));
    assert_eq!(v.allowed_schemes, Some(vec![]));
    assert_eq!(v.min_tls_version, Some(TlsVersion::Tls1_3));
    assert_eq!(v.allowed_import_formats, Some(vec![]));
    assert_eq!(v.extra_ca_files, Some(vec![]));
    assert_eq!(v.organization_name, None);
    let keys: Vec<&str> = p.key_problems.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "account_sign_in",
            "extra_ca_files",
            "min_tls_version",
            "allowed_import_formats",
            "organization_name",
            "allowed_hosts",
            "blocked_hosts",
            "allowed_schemes"
        ]
    );
    let hosts = p.key_problems.iter().find(|k| k.key == "allowed_hosts").unwrap();
    assert_eq!(hosts.position, Some(Position { line: 4, column: 17 }));
    assert!(hosts.message.contains("https://x.example.com"), "{}", hosts.message);
}

#[test]
fn keys_without_a_safe_fallback_fail_the_source() {
    let err = parse("(schema_version: 1, data_dir: \"relative/dir\")").unwrap_err();
    assert!(matches!(err, SourceError::BadValue { key: "data_dir", .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "data_dir: `relative/dir` is not an absolute path (write an absolute path or ~/...)"
    );
    let err =
        parse("(schema_version: 1, proxy: (mode: Fixed(url: \"gopher://p\"), locked: true))").unwrap_err();
    assert!(matches!(err, SourceError::BadValue { key: "proxy", .. }), "{err:?}");
    assert!(parse("(schema_version: 1, data_dir: \"~/Work/localpost\")").is_ok());
}

#[test]
fn client_certificate_problems_name_the_host_and_the_file() {
    let p = parse(
        "(schema_version: 1, client_certificates: [(host: \"api.example\", cert_file: \"c.pem\", \
         key_file: \"/k.pem\")])",
    )
    .unwrap();
    let [problem] = p.key_problems.as_slice() else { panic!("{:?}", p.key_problems) };
    assert_eq!(
        problem.message,
        "api.example cert_file: `c.pem` is not an absolute path; no client certificate is used"
    );
    assert_eq!(p.values.client_certificates, Some(Vec::new()));
}

#[test]
fn unknown_keys_are_collected_with_their_path() {
    let p = parse("(schema_version: 1, colour: Red, defaults: (themes: Dark))").unwrap();
    let keys: Vec<&str> = p.unknown_keys.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys, ["colour", "defaults.themes"]);
    assert_eq!(p.unknown_keys[0].position, Some(Position { line: 1, column: 21 }));
}

#[test]
fn schema_versions() {
    assert_eq!(parse("(strict: true)").unwrap_err(), SourceError::MissingSchemaVersion { supported: 1 });
    let err = parse("(schema_version: 2, allowed_hosts: (new: \"shape\"))").unwrap_err();
    assert!(matches!(err, SourceError::UnsupportedSchema { found: 2, .. }), "{err:?}");
}

#[test]
fn key_positions_skip_strings_and_comments() {
    let text = "(\n  // allow_import: false,\n  organization_name: \"x: y\", /* data_dir: \"\" */\n  \
                    defaults: (theme: Dark),\n  r#\"raw: \"#\n)";
    let p = key_positions(text);
    assert_eq!(p.keys().collect::<Vec<_>>(), ["defaults", "organization_name"]);
    assert_eq!(p["defaults"], Position { line: 4, column: 3 });
}

#[test]
fn script_keys_parse() {
    let p = parse("(schema_version: 1, allow_scripts: false, max_script_timeout_ms: 2000)").unwrap();
    assert_eq!((p.values.allow_scripts, p.values.max_script_timeout_ms), (Some(false), Some(2000)));
    assert!(p.key_problems.is_empty() && p.sets("allow_scripts") && p.sets("max_script_timeout_ms"));
    let p = parse("(schema_version: 1)").unwrap();
    assert_eq!((p.values.allow_scripts, p.values.max_script_timeout_ms), (None, None));
}

#[test]
fn a_zero_script_timeout_is_a_bad_value_that_stops_every_script() {
    let p = parse("(\n    schema_version: 1,\n    max_script_timeout_ms: 0,\n)").unwrap();
    assert_eq!(p.values.max_script_timeout_ms, Some(MIN_SCRIPT_TIMEOUT_MS));
    let [problem] = p.key_problems.as_slice() else { panic!("{:?}", p.key_problems) };
    assert_eq!(problem.key, "max_script_timeout_ms");
    assert_eq!(problem.position, Some(Position { line: 3, column: 5 }));
    assert!(problem.message.starts_with("0 is not a timeout"), "{}", problem.message);
    assert!(problem.message.contains("allow_scripts: false"), "{}", problem.message);
}

#[test]
fn script_keys_of_a_wrong_type_fail_the_source_naming_the_key() {
    for (text, expected) in [
        ("allow_scripts: \"no\"", "allow_scripts: "),
        ("max_script_timeout_ms: -1", "max_script_timeout_ms: "),
        ("max_script_timeout_ms: \"5s\"", "max_script_timeout_ms: "),
        ("max_script_timeout_ms: Some(5)", "max_script_timeout_ms: "),
    ] {
        let err = parse(&format!("(schema_version: 1, {text})")).unwrap_err();
        let SourceError::Parse { message, .. } = &err else { panic!("{text}: {err:?}") };
        assert!(message.starts_with(expected), "{text}: {message}");
    }
}

#[test]
fn formats_are_read_by_name() {
    assert_eq!(parse_format("PostmanCollectionV21"), Ok(Format::PostmanCollectionV21));
    assert_eq!(
        parse_format("Word").unwrap_err().to_string(),
        "`Word` is not an import format Localpost knows"
    );
}
