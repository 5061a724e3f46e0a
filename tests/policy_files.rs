//! Issue 4, failing closed: every state a policy file can be in on disk ends in exactly the stated
//! state. Real files in a temporary root laid out like the machine's (`<root>/etc/localpost/...`).
//!
//! Sources must belong to a trusted user. As root these tests trust root, as on a real machine,
//! and make "wrong owner" by giving a file away; as another user they trust that user, and make
//! "wrong owner" by trusting somebody else.
#![allow(clippy::unwrap_used)] // Helpers of tests: a failed unwrap is a failed test.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _, symlink};
use std::path::{Path, PathBuf};

use localpost::interop::Format;
use localpost::policy::{
    EffectivePolicy, EntryStatus, LoadOptions, PolicyState, PolicyViolation, SourceError, SourceInput,
    SourceKind, SourceLocations, SourceStatus, TlsVersion,
};
use url::Url;

const VALID: &str = r#"(
    schema_version: 1,
    organization_name: "ACME",
    blocked_hosts: ["evil.example"],
    history_retention_days: 30,
)
"#;

struct Machine {
    _dir: tempfile::TempDir,
    root: PathBuf,
    loc: SourceLocations,
    uid: u32,
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

impl Machine {
    /// `<root>/etc/localpost` (0755) with no files.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let loc = SourceLocations::under(&root);
        fs::create_dir_all(&loc.folder).unwrap();
        set_mode(&loc.folder, 0o755);
        let uid = fs::metadata(&loc.folder).unwrap().uid();
        Self { _dir: dir, root, loc, uid }
    }

    fn is_root(&self) -> bool {
        self.uid == 0
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> PathBuf {
        if let Some(parent) = path.parent()
            && !parent.exists()
        {
            fs::create_dir_all(parent).unwrap();
            set_mode(parent, 0o755);
        }
        fs::write(path, bytes).unwrap();
        set_mode(path, 0o644);
        path.to_path_buf()
    }

    fn main_file(&self, bytes: impl AsRef<[u8]>) -> PathBuf {
        self.write(&self.loc.main_file, bytes.as_ref())
    }

    fn drop_in(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        self.write(&self.loc.drop_in_dir.join(name), bytes.as_ref())
    }

    fn load(&self) -> EffectivePolicy {
        EffectivePolicy::load(&LoadOptions::under_root(&self.root, self.uid))
    }
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn assert_managed(policy: &EffectivePolicy) {
    assert_eq!(policy.state(), &PolicyState::Managed, "{}", policy.to_text());
    assert_eq!(policy.organization_name(), "ACME");
    assert!(policy.check_url(&url("https://ok.example/")).is_ok());
    assert!(matches!(
        policy.check_url(&url("https://evil.example/")),
        Err(PolicyViolation::HostBlocked { .. })
    ));
}

/// Lockdown with exactly one reason, about `path`, matching `expected`; and everything that
/// Lockdown promises.
fn assert_lockdown(policy: &EffectivePolicy, path: &Path, expected: impl Fn(&SourceError) -> bool) {
    let PolicyState::Lockdown { reasons } = policy.state() else {
        panic!("expected Lockdown for {}, got:\n{}", path.display(), policy.to_text())
    };
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].source, path.display().to_string());
    assert!(expected(&reasons[0].error), "unexpected reason: {:?}", reasons[0].error);
    assert_most_restrictive(policy);
    let banner = policy.banner().unwrap();
    assert!(banner.contains(&path.display().to_string()), "{banner}");
    assert!(policy.sending_blocked().unwrap().contains(&path.display().to_string()));
}

fn assert_most_restrictive(policy: &EffectivePolicy) {
    for u in ["https://example.com/", "http://127.0.0.1:8080/", "https://[::1]/"] {
        assert!(matches!(policy.check_url(&url(u)), Err(PolicyViolation::Lockdown { .. })), "{u}");
    }
    assert!(!policy.allows_tls_bypass());
    assert_eq!(policy.min_tls_version(), TlsVersion::Tls1_3);
    assert!(policy.extra_ca_files().is_empty() && policy.client_certificates().is_empty());
    assert!(policy.check_import(Format::Curl).is_err());
    assert!(policy.check_export(false).is_err());
    assert!(!policy.allow_import() && !policy.allow_export() && !policy.allow_secrets_in_exports());
    assert_eq!(policy.allowed_import_formats(), Some(vec![]));
    assert!(!policy.store_response_bodies_in_history());
    assert_eq!(policy.max_response_size_bytes(), Some(0));
    assert!(!policy.allow_scripts());
    assert!(matches!(policy.check_scripts(), Err(PolicyViolation::Lockdown { .. })));
    assert_eq!(policy.max_script_timeout_ms(), Some(1));
    assert!(policy.proxy_locked());
    assert!(policy.entries().iter().filter(|e| e.key == "account_sign_in").all(|e| e.display == "Disabled"));
}

fn is_parse_at(line: usize) -> impl Fn(&SourceError) -> bool {
    move |e| matches!(e, SourceError::Parse { position, .. } if position.line == line)
}

// ---- no source -------------------------------------------------------------------------------

#[test]
fn no_policy_folder_applies_the_baseline() {
    let m = Machine::new();
    fs::remove_dir(&m.loc.folder).unwrap();
    let policy = m.load();
    assert_eq!(policy.state(), &PolicyState::Baseline);
    assert_eq!(policy.managed_by(), "Managed by the shipped policy");
    assert_eq!(policy.sources().len(), 1);
    assert!(policy.check_url(&url("https://example.com/")).is_ok());
}

#[test]
fn an_empty_policy_folder_applies_the_baseline() {
    let m = Machine::new();
    fs::create_dir(&m.loc.drop_in_dir).unwrap();
    set_mode(&m.loc.drop_in_dir, 0o755);
    assert_eq!(m.load().state(), &PolicyState::Baseline);
}

#[test]
fn a_valid_machine_file_is_managed() {
    let m = Machine::new();
    m.main_file(VALID);
    let policy = m.load();
    assert_managed(&policy);
    assert_eq!(policy.history_retention_days(), Some(30));
    assert_eq!(policy.sources()[1].status, SourceStatus::Loaded);
}

// ---- content -----------------------------------------------------------------------------------

#[test]
fn an_empty_file_is_lockdown() {
    for content in ["", "  \n\t\n"] {
        let m = Machine::new();
        let path = m.main_file(content);
        assert_lockdown(&m.load(), &path, |e| *e == SourceError::Empty);
    }
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    let m = Machine::new();
    m.main_file([b"\xEF\xBB\xBF".as_slice(), VALID.as_bytes()].concat());
    assert_managed(&m.load());
}

#[test]
fn a_utf16_file_is_lockdown() {
    let m = Machine::new();
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain(VALID.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let path = m.main_file(utf16);
    assert_lockdown(&m.load(), &path, |e| matches!(e, SourceError::NotUtf8 { offset: 0 }));
}

#[test]
fn not_utf8_is_lockdown() {
    let m = Machine::new();
    let path = m.main_file(b"(schema_version: 1, organization_name: \"AC\xE9ME\")");
    assert_lockdown(&m.load(), &path, |e| matches!(e, SourceError::NotUtf8 { offset: 42 }));
}

#[test]
fn a_truncated_file_is_lockdown_with_line_and_column() {
    let m = Machine::new();
    let cut = &VALID[..VALID.find("blocked_hosts").unwrap() + 20];
    let path = m.main_file(cut);
    assert_lockdown(&m.load(), &path, is_parse_at(4));
}

#[test]
fn trailing_garbage_is_lockdown() {
    let m = Machine::new();
    let path = m.main_file(format!("{VALID}\nallow_import: false\n"));
    let policy = m.load();
    assert_lockdown(&policy, &path, is_parse_at(6));
    assert!(policy.banner().unwrap().contains("policy.ron:6:2: Non-whitespace trailing characters"));
}

#[test]
fn duplicate_keys_are_lockdown_naming_the_duplicated_key() {
    let m = Machine::new();
    // Another key between the two: the message names the one written twice, not its neighbour.
    let path = m.main_file(
        "(\n schema_version: 1,\n allow_import: false,\n blocked_hosts: [\"a\"],\n allow_import: true,\n)",
    );
    let policy = m.load();
    assert_lockdown(
        &policy,
        &path,
        |e| matches!(e, SourceError::DuplicateKey { key, position } if key == "allow_import" && position.line == 5),
    );
    let banner = policy.banner().unwrap();
    assert!(banner.contains("allow_import is set more than once"), "{banner}");
    assert!(!banner.contains("blocked_hosts"), "{banner}");
}

#[test]
fn wrong_types_are_lockdown() {
    for (line, text) in [
        "allow_import: \"yes\",",
        "allowed_hosts: \"*.corp.example\",",
        "history_retention_days: -1,",
        "history_retention_days: 7.5,",
        "max_response_size_bytes: Some(10),",
        "allow_scripts: \"no\",",
        "max_script_timeout_ms: -1,",
        "max_script_timeout_ms: \"5s\",",
        "account_sign_in: \"Disabled\",",
        "client_certificates: [(cert_file: \"/x.pem\")],",
        "proxy: Fixed(url: \"http://p:1\"),",
        "defaults: (verify_tls: \"no\"),",
        "strict: 1,",
    ]
    .into_iter()
    .map(|t| (3, t))
    {
        let m = Machine::new();
        let path = m.main_file(format!("(\n    schema_version: 1,\n    {text}\n)\n"));
        let policy = m.load();
        let PolicyState::Lockdown { reasons } = policy.state() else { panic!("{text}: not Lockdown") };
        assert_eq!(reasons[0].source, path.display().to_string());
        assert!(
            matches!(&reasons[0].error, SourceError::Parse { position, .. } if position.line == line),
            "{text}: {:?}",
            reasons[0].error
        );
        assert_most_restrictive(&policy);
    }
}

#[test]
fn huge_numbers_and_deep_nesting_are_lockdown() {
    let m = Machine::new();
    let path = m.main_file(format!("(schema_version: 1, max_response_size_bytes: 1{})", "0".repeat(5000)));
    assert_lockdown(&m.load(), &path, is_parse_at(1));
    // Deep nesting under an unknown key and under a known one: refused, not a stack overflow.
    for nested in [
        format!("(schema_version: 1, extra: {}{})", "[".repeat(400_000), "]".repeat(400_000)),
        format!("(schema_version: 1, defaults: {}1{})", "Some(".repeat(150_000), ")".repeat(150_000)),
    ] {
        let m = Machine::new();
        let path = m.main_file(&nested);
        assert_lockdown(&m.load(), &path, is_parse_at(1));
    }
}

#[test]
fn a_huge_but_valid_list_is_managed() {
    let m = Machine::new();
    let hosts: Vec<String> = (0..30_000).map(|i| format!("\"h{i}.corp.example\"")).collect();
    m.main_file(format!(
        "(schema_version: 1, organization_name: \"ACME\", blocked_hosts: [\"evil.example\", {}])",
        hosts.join(",")
    ));
    let policy = m.load();
    assert_managed(&policy);
    assert!(policy.check_url(&url("https://h29999.corp.example/")).is_err());
}

#[test]
fn over_one_mebibyte_is_lockdown() {
    let m = Machine::new();
    let limit = localpost::policy::MAX_SOURCE_BYTES;
    let padded = |len: usize| {
        let mut text = VALID.to_owned();
        text.push_str("//");
        text.push_str(&"x".repeat(len - text.len()));
        text
    };
    let path = m.main_file(padded(limit + 1));
    assert_lockdown(&m.load(), &path, |e| matches!(e, SourceError::TooLarge { .. }));
    m.main_file(padded(limit));
    assert_managed(&m.load());
}

#[test]
fn unknown_keys_are_warnings_without_strict() {
    let m = Machine::new();
    m.main_file(VALID.replace(
        "schema_version: 1,",
        "schema_version: 1,\n    colour: Blue,\n    defaults: (themes: Dark),",
    ));
    let policy = m.load();
    assert_managed(&policy);
    let unknown: Vec<&str> = policy
        .entries()
        .iter()
        .filter(|e| e.status == EntryStatus::Unknown)
        .map(|e| e.key.as_str())
        .collect();
    assert_eq!(unknown, ["colour", "defaults.themes"]);
    let colour = policy.entries().iter().find(|e| e.key == "colour").unwrap();
    assert!(
        colour.messages[0].ends_with("policy.ron:3:5: unknown key `colour`; ignored"),
        "{:?}",
        colour.messages
    );
}

#[test]
fn unknown_keys_under_strict_are_lockdown() {
    let m = Machine::new();
    let path = m.main_file(
        VALID.replace("schema_version: 1,", "schema_version: 1,\n    strict: true,\n    colour: Blue,"),
    );
    assert_lockdown(
        &m.load(),
        &path,
        |e| matches!(e, SourceError::UnknownKeysUnderStrict { keys, position: Some(p) } if keys == &["colour"] && p.line == 4),
    );
    // `strict` in the machine file makes an unknown key in a drop-in an error too.
    let m = Machine::new();
    m.main_file(VALID.replace("schema_version: 1,", "schema_version: 1, strict: true,"));
    let path = m.drop_in("10-extra.ron", "(schema_version: 1, allowed_hostz: [\"x\"])");
    let policy = m.load();
    assert_lockdown(&policy, &path, |e| matches!(e, SourceError::UnknownKeysUnderStrict { .. }));
    assert_eq!(policy.organization_name(), "ACME", "the readable sources still name the organization");
}

#[test]
fn an_unsupported_or_missing_schema_version_is_lockdown() {
    let m = Machine::new();
    let path = m.main_file(VALID.replace("schema_version: 1", "schema_version: 2"));
    assert_lockdown(
        &m.load(),
        &path,
        |e| matches!(e, SourceError::UnsupportedSchema { found: 2, supported: 1, position: Some(p) } if p.line == 2),
    );
    let path = m.main_file(VALID.replace("schema_version: 1,", ""));
    assert_lockdown(&m.load(), &path, |e| matches!(e, SourceError::MissingSchemaVersion { .. }));
}

#[test]
fn a_bad_value_takes_the_most_restrictive_value_with_an_error_entry() {
    let m = Machine::new();
    m.main_file(VALID.replace(
        "schema_version: 1,",
        "schema_version: 1,\n    allowed_schemes: [\"https\", \"https://\"],\n    cloud_sync: Enabled,",
    ));
    let policy = m.load();
    assert_eq!(policy.state(), &PolicyState::Managed);
    for key in ["allowed_schemes", "cloud_sync"] {
        let entry = policy.entries().iter().find(|e| e.key == key).unwrap();
        assert_eq!(entry.status, EntryStatus::Error, "{entry:?}");
        assert!(entry.messages[0].contains("policy.ron:"), "{:?}", entry.messages);
    }
    // allowed_schemes fell back to "no scheme": nothing can be sent, and the message says why.
    let err = policy.check_url(&url("https://ok.example/")).unwrap_err();
    assert!(matches!(err, PolicyViolation::SchemeNotAllowed { .. }), "{err}");
    assert!(err.to_string().contains("policy.ron"), "{err}");
    assert_eq!(policy.entries().iter().find(|e| e.key == "cloud_sync").unwrap().display, "Disabled");
}

#[test]
fn a_wrongly_typed_script_key_is_lockdown_naming_the_key_and_the_file() {
    for (text, message) in [
        ("allow_scripts: \"no\",", "allow_scripts: Expected boolean"),
        ("max_script_timeout_ms: \"5s\",", "max_script_timeout_ms: Expected integer"),
    ] {
        let m = Machine::new();
        let path = m.main_file(format!("(\n    schema_version: 1,\n    {text}\n)\n"));
        let policy = m.load();
        assert_lockdown(&policy, &path, is_parse_at(3));
        let banner = policy.banner().unwrap();
        assert!(banner.contains(&format!("{}:3:", path.display())), "{banner}");
        assert!(banner.contains(message), "{banner}");
    }
}

#[test]
fn a_zero_script_timeout_is_an_error_entry_naming_the_key_and_the_file() {
    let m = Machine::new();
    let path =
        m.main_file(VALID.replace("schema_version: 1,", "schema_version: 1,\n    max_script_timeout_ms: 0,"));
    let policy = m.load();
    assert_managed(&policy);
    let entry = policy.entries().iter().find(|e| e.key == "max_script_timeout_ms").unwrap();
    assert_eq!((entry.status, entry.display.as_str()), (EntryStatus::Error, "1"), "{entry:?}");
    let expected = format!("{}:3:5: max_script_timeout_ms: 0 is not a timeout", path.display());
    assert!(entry.messages[0].starts_with(&expected), "{:?}", entry.messages);
    // The most restrictive value: every script is stopped at once.
    assert_eq!(policy.max_script_timeout_ms(), Some(1));
    let user = localpost::model::Settings::default();
    assert_eq!(policy.effective_settings(&user).script_timeout_ms, 1);
}

#[test]
fn a_bad_proxy_or_data_dir_is_lockdown() {
    let m = Machine::new();
    let path = m.main_file(VALID.replace("schema_version: 1,", "schema_version: 1, data_dir: \"data\","));
    assert_lockdown(&m.load(), &path, |e| matches!(e, SourceError::BadValue { key: "data_dir", .. }));
    let path = m.main_file(VALID.replace(
        "schema_version: 1,",
        "schema_version: 1, proxy: (mode: Fixed(url: \"proxy.corp:3128\"), locked: true),",
    ));
    assert_lockdown(&m.load(), &path, |e| matches!(e, SourceError::BadValue { key: "proxy", .. }));
}

#[test]
fn one_bad_drop_in_is_lockdown_naming_it() {
    let m = Machine::new();
    m.main_file(VALID);
    m.drop_in("10-good.ron", "(schema_version: 1, allow_export: false)");
    let bad = m.drop_in("20-bad.ron", "(schema_version: 1, allow_import: maybe)");
    let policy = m.load();
    assert_lockdown(&policy, &bad, is_parse_at(1));
    assert_eq!(policy.organization_name(), "ACME");
    let statuses: Vec<&SourceStatus> = policy.sources().iter().map(|s| &s.status).collect();
    assert!(matches!(
        statuses[..],
        [SourceStatus::Loaded, SourceStatus::Loaded, SourceStatus::Loaded, SourceStatus::Failed(_)]
    ));
}

#[test]
fn lockdown_never_deletes_history() {
    // Pruning history deletes the user's files; a broken policy must not shorten retention.
    let m = Machine::new();
    m.main_file(VALID);
    m.drop_in("bad.ron", "");
    let policy = m.load();
    assert!(policy.is_lockdown());
    assert_eq!(policy.history_retention_days(), Some(30));
}

// ---- the file system -------------------------------------------------------------------------

#[test]
fn a_folder_instead_of_a_file_is_lockdown() {
    let m = Machine::new();
    fs::create_dir(&m.loc.main_file).unwrap();
    set_mode(&m.loc.main_file, 0o755);
    assert_lockdown(&m.load(), &m.loc.main_file, |e| *e == SourceError::Folder);

    let m = Machine::new();
    let dir = m.loc.drop_in_dir.join("10-dir.ron");
    fs::create_dir_all(&dir).unwrap();
    set_mode(&m.loc.drop_in_dir, 0o755);
    set_mode(&dir, 0o755);
    assert_lockdown(&m.load(), &dir, |e| *e == SourceError::Folder);

    // policy.d as a file, and the policy folder itself as a file.
    let m = Machine::new();
    m.write(&m.loc.drop_in_dir, VALID.as_bytes());
    assert_lockdown(&m.load(), &m.loc.drop_in_dir, |e| *e == SourceError::NotAFolder);
    let m = Machine::new();
    fs::remove_dir(&m.loc.folder).unwrap();
    m.write(&m.loc.folder, VALID.as_bytes());
    assert_lockdown(&m.load(), &m.loc.folder, |e| *e == SourceError::NotAFolder);
}

#[test]
fn a_symlink_counts_only_if_its_target_passes_the_checks() {
    // A trusted target in a trusted folder (as configuration tools do): it counts.
    let m = Machine::new();
    let store = m.root.join("store");
    let target = m.write(&store.join("policy.ron"), VALID.as_bytes());
    symlink(&target, &m.loc.main_file).unwrap();
    assert_managed(&m.load());

    // A target in a folder others can write: Lockdown.
    set_mode(&store, 0o777);
    let policy = m.load();
    assert_lockdown(
        &policy,
        &m.loc.main_file,
        |e| matches!(e, SourceError::Writable { path, .. } if path == &store),
    );

    // A dangling link: Lockdown, not "no file".
    let m = Machine::new();
    symlink(m.root.join("nowhere.ron"), &m.loc.main_file).unwrap();
    assert_lockdown(&m.load(), &m.loc.main_file, |e| matches!(e, SourceError::DanglingLink { .. }));
}

#[test]
fn permission_denied_is_lockdown() {
    let path = "/etc/localpost/policy.ron";
    let denied = SourceError::Read { message: "Permission denied (os error 13)".into() };
    let policy =
        EffectivePolicy::from_inputs(vec![SourceInput::new(path, SourceKind::Machine, Err(denied.clone()))]);
    assert_lockdown(&policy, Path::new(path), |e| *e == denied);

    let m = Machine::new();
    let path = m.main_file(VALID);
    set_mode(&path, 0o000);
    if m.is_root() {
        eprintln!(
            "permission_denied_is_lockdown: running as root, which reads any file; the real-file case runs as a normal user"
        );
        return;
    }
    assert_lockdown(&m.load(), &path, |e| matches!(e, SourceError::Read { .. }));
}

#[test]
fn a_wrong_owner_is_lockdown() {
    let m = Machine::new();
    let path = m.main_file(VALID);
    let policy = if m.is_root() {
        std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
        m.load()
    } else {
        // The test cannot give a file away: trust somebody else instead.
        EffectivePolicy::load(&LoadOptions::under_root(&m.root, m.uid + 1))
    };
    // As a normal user the folder is the first thing owned by the wrong user.
    let expected = if m.is_root() { path.clone() } else { m.loc.folder.clone() };
    assert_lockdown(&policy, &expected, |e| matches!(e, SourceError::WrongOwner { .. }));

    if m.is_root() {
        // A folder that is not root's.
        let m = Machine::new();
        m.main_file(VALID);
        std::os::unix::fs::chown(&m.loc.folder, Some(65534), None).unwrap();
        assert_lockdown(&m.load(), &m.loc.folder, |e| {
            matches!(e, SourceError::WrongOwner { uid: 65534, .. })
        });
    }
}

#[test]
fn group_or_world_writable_is_lockdown() {
    for mode in [0o664, 0o646, 0o666] {
        let m = Machine::new();
        let path = m.main_file(VALID);
        set_mode(&path, mode);
        assert_lockdown(
            &m.load(),
            &path,
            |e| matches!(e, SourceError::Writable { mode: m, .. } if *m == mode),
        );
    }
    // The policy folder, or policy.d, writable by others.
    let m = Machine::new();
    m.main_file(VALID);
    set_mode(&m.loc.folder, 0o775);
    assert_lockdown(&m.load(), &m.loc.folder, |e| matches!(e, SourceError::Writable { .. }));
    let m = Machine::new();
    m.main_file(VALID);
    m.drop_in("10-a.ron", VALID);
    set_mode(&m.loc.drop_in_dir, 0o1777);
    assert_lockdown(&m.load(), &m.loc.drop_in_dir, |e| matches!(e, SourceError::Writable { .. }));
    // Read-only for group and others is fine.
    let m = Machine::new();
    let path = m.main_file(VALID);
    set_mode(&path, 0o600);
    assert_managed(&m.load());
}

#[test]
fn a_fifo_is_lockdown_without_blocking() {
    let m = Machine::new();
    let made = std::process::Command::new("mkfifo").arg(&m.loc.main_file).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("a_fifo_is_lockdown_without_blocking: skipped, `mkfifo` is not available");
        return;
    }
    set_mode(&m.loc.main_file, 0o644);
    assert_lockdown(&m.load(), &m.loc.main_file, |e| *e == SourceError::NotRegular);
}

#[test]
fn only_ron_files_in_policy_d_count() {
    let m = Machine::new();
    m.main_file(VALID);
    m.drop_in("README", "not a policy");
    m.drop_in(".10-a.ron.swp", "\u{0}\u{1}");
    m.drop_in(".hidden.ron", "(schema_version: 1, allow_import: false)");
    m.drop_in("20-b.ron.bak", "(broken");
    m.drop_in("30-c.ron", "(schema_version: 1, allow_export: false)");
    let policy = m.load();
    assert_managed(&policy);
    assert!(!policy.allow_export());
    let ignored: Vec<&str> = policy
        .sources()
        .iter()
        .filter(|s| matches!(s.status, SourceStatus::Ignored(_)))
        .map(|s| s.label.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(ignored, [".10-a.ron.swp", ".hidden.ron", "20-b.ron.bak", "README"]);
    // Each is ignored for its own reason: a hidden `.ron` file is hidden, not "not a .ron".
    let reason = |name: &str| {
        policy
            .sources()
            .iter()
            .find(|s| s.label.ends_with(&format!("/{name}")))
            .map(|s| match &s.status {
                SourceStatus::Ignored(reason) => reason.clone(),
                other => format!("{other:?}"),
            })
            .unwrap()
    };
    assert!(reason(".hidden.ron").contains("hidden file"), "{}", reason(".hidden.ron"));
    assert!(reason("README").contains("only *.ron files count"), "{}", reason("README"));
    assert!(policy.allow_import(), "a hidden drop-in is not read");
}

#[test]
fn drop_ins_are_read_in_name_order_after_the_machine_file() {
    let m = Machine::new();
    m.main_file(VALID);
    m.drop_in("20-b.ron", "(schema_version: 1, organization_name: \"B\")");
    m.drop_in("10-a.ron", "(schema_version: 1, organization_name: \"A\")");
    m.drop_in("2-c.ron", "(schema_version: 1, organization_name: \"C\")");
    let policy = m.load();
    let order: Vec<&str> = policy.sources().iter().map(|s| s.label.rsplit('/').next().unwrap()).collect();
    assert_eq!(order, ["built-in policy", "policy.ron", "10-a.ron", "2-c.ron", "20-b.ron"]);
    assert_eq!(policy.organization_name(), "B");
    let entry = policy.entries().iter().find(|e| e.key == "organization_name").unwrap();
    assert_eq!(entry.status, EntryStatus::Conflict, "{entry:?}");
}
