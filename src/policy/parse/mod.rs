//! One policy source, from bytes to checked values: size, encoding, RON syntax, types, the schema
//! version, then every key's value. Pure: no file system here.
//!
//! A problem with the file as a whole (too big, not UTF-8, does not parse, a wrong type, an
//! unsupported schema version) is a [`SourceError`], which puts Localpost in Lockdown. A known key
//! with a bad value is a [`KeyProblem`]: the key takes its most restrictive value for this source
//! and the policy page shows the error.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::IntoDeserializer as _;

use super::error::{BadValueReason, Position, SourceError};
use super::keys::{self, HostPattern, HostPatternError, PathError, ProxyRule, TlsVersion};
use super::settings::SettingsDefaults;
use crate::model::ClientCertificate;
use crate::model::Format;

/// The policy schema this version reads.
pub const SCHEMA_VERSION: u32 = 1;
/// The largest policy file read; a bigger one is refused (Lockdown).
pub const MAX_SOURCE_BYTES: usize = 1024 * 1024;
/// How deep values may nest; deeper input is refused rather than risking the stack.
const RECURSION_LIMIT: usize = 64;
const MAX_NAME_CHARS: usize = 100;
const MAX_CONTACT_CHARS: usize = 300;
/// The shortest script deadline a policy may set; also what a bad `max_script_timeout_ms` and
/// Lockdown impose (every script stops at once).
pub const MIN_SCRIPT_TIMEOUT_MS: u64 = 1;

/// The keys that can only be `Disabled`: the promises Localpost makes.
pub const DISABLED_ONLY_KEYS: [&str; 4] = ["account_sign_in", "cloud_sync", "telemetry", "update_checks"];

/// Every top-level key, in the order the policy page and `policy show` list them.
pub const KEYS: [&str; 27] = [
    "schema_version",
    "strict",
    "organization_name",
    "support_contact",
    "account_sign_in",
    "cloud_sync",
    "telemetry",
    "update_checks",
    "allowed_hosts",
    "blocked_hosts",
    "allowed_schemes",
    "allow_tls_verification_bypass",
    "extra_ca_files",
    "min_tls_version",
    "client_certificates",
    "proxy",
    "data_dir",
    "allow_import",
    "allow_export",
    "allow_secrets_in_exports",
    "allowed_import_formats",
    "history_retention_days",
    "store_response_bodies_in_history",
    "max_response_size_bytes",
    "allow_scripts",
    "max_script_timeout_ms",
    "defaults",
];

/// What one source sets; `None` means the source does not set that key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceValues {
    pub organization_name: Option<String>,
    pub support_contact: Option<String>,
    /// Which of [`DISABLED_ONLY_KEYS`] this source states (their value is always `Disabled`).
    pub disabled: Vec<&'static str>,
    pub allowed_hosts: Option<Vec<HostPattern>>,
    pub blocked_hosts: Option<Vec<HostPattern>>,
    pub allowed_schemes: Option<Vec<String>>,
    pub allow_tls_verification_bypass: Option<bool>,
    pub extra_ca_files: Option<Vec<PathBuf>>,
    pub min_tls_version: Option<TlsVersion>,
    pub client_certificates: Option<Vec<ClientCertificate>>,
    pub proxy: Option<ProxyRule>,
    pub data_dir: Option<String>,
    pub allow_import: Option<bool>,
    pub allow_export: Option<bool>,
    pub allow_secrets_in_exports: Option<bool>,
    pub allowed_import_formats: Option<Vec<Format>>,
    pub history_retention_days: Option<u32>,
    pub store_response_bodies_in_history: Option<bool>,
    pub max_response_size_bytes: Option<u64>,
    pub allow_scripts: Option<bool>,
    pub max_script_timeout_ms: Option<u64>,
    pub defaults: SettingsDefaults,
}

/// A known key with a bad value. The key took its most restrictive value for this source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyProblem {
    pub key: String,
    pub position: Option<Position>,
    pub message: String,
}

/// A key this version does not know (`defaults.colour`, `client_certificates.0.pin`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKey {
    pub key: String,
    pub position: Option<Position>,
}

/// A source that parsed: its values, and what was wrong with single keys.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedSource {
    pub values: SourceValues,
    pub strict: bool,
    pub unknown_keys: Vec<UnknownKey>,
    pub key_problems: Vec<KeyProblem>,
    /// Where each top-level key is written.
    pub positions: BTreeMap<String, Position>,
}

impl ParsedSource {
    /// Whether this source writes `key` (a top-level key, or `defaults.<setting>`).
    pub fn sets(&self, key: &str) -> bool {
        self.positions.contains_key(key)
            || key.strip_prefix("defaults.").is_some_and(|k| self.values.defaults.set_names().any(|n| n == k))
    }
}

/// Reads one source's bytes. `Err` means the whole source is unusable (Lockdown).
pub fn parse_source(bytes: &[u8]) -> Result<ParsedSource, SourceError> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(SourceError::TooLarge { limit_bytes: MAX_SOURCE_BYTES });
    }
    let (bytes, bom_len) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    let text =
        std::str::from_utf8(bytes).map_err(|e| SourceError::NotUtf8 { offset: e.valid_up_to() + bom_len })?;
    if text.trim().is_empty() {
        return Err(SourceError::Empty);
    }
    let positions = key_positions(text);
    let mut unknown = Vec::new();
    let raw = match deserialize(text, &mut unknown) {
        Ok(raw) => raw,
        Err(error) => {
            // A newer schema may not parse as this one: say that rather than a syntax error.
            return Err(match probe_schema_version(text) {
                Some(found) if found != SCHEMA_VERSION => SourceError::UnsupportedSchema {
                    position: positions.get("schema_version").copied(),
                    found,
                    supported: SCHEMA_VERSION,
                },
                _ => name_the_key(error, text),
            });
        }
    };
    match raw.schema_version {
        None => return Err(SourceError::MissingSchemaVersion { supported: SCHEMA_VERSION }),
        Some(found) if found != SCHEMA_VERSION => {
            return Err(SourceError::UnsupportedSchema {
                position: positions.get("schema_version").copied(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Some(_) => {}
    }
    let unknown_keys = unknown
        .into_iter()
        .map(|key| {
            let top = key.split('.').next().unwrap_or(&key);
            UnknownKey { position: positions.get(top).copied(), key }
        })
        .collect();
    let mut check = Checker { positions: &positions, problems: Vec::new(), strict: false };
    let values = check.values(raw)?;
    Ok(ParsedSource { strict: check.strict, values, unknown_keys, key_problems: check.problems, positions })
}

fn options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}

fn deserialize(text: &str, unknown: &mut Vec<String>) -> Result<RawPolicy, SourceError> {
    let spanned = |e: ron::error::SpannedError| {
        let position = past_whitespace(text, Position { line: e.span.start.line, column: e.span.start.col });
        match e.code {
            // Named by itself: the key written just before it is not the one at fault.
            ron::Error::DuplicateStructField { field, outer: Some(ref outer) } if outer == "Policy" => {
                SourceError::DuplicateKey { key: field.to_owned(), position }
            }
            ron::Error::DuplicateStructField { field, outer: None } => {
                SourceError::DuplicateKey { key: field.to_owned(), position }
            }
            code => SourceError::Parse { position, message: code.to_string() },
        }
    };
    let mut de = ron::Deserializer::from_str_with_options(text, &options()).map_err(spanned)?;
    let raw: RawPolicy = serde_ignored::deserialize(&mut de, |path| unknown.push(path.to_string()))
        .map_err(|e| spanned(de.span_error(e)))?;
    de.end().map_err(|e| spanned(de.span_error(e)))?;
    Ok(raw)
}

/// RON points at the whitespace before a bad value; people look for the value.
fn past_whitespace(text: &str, at: Position) -> Position {
    let Some(line) = text.lines().nth(at.line.saturating_sub(1)) else { return at };
    let skipped = line.chars().skip(at.column.saturating_sub(1)).take_while(|c| c.is_whitespace()).count();
    if at.column.saturating_sub(1) + skipped < line.chars().count() {
        Position { line: at.line, column: at.column + skipped }
    } else {
        at
    }
}

/// Prefixes a parse error inside a key's value with the key (`allow_import: Expected boolean`).
fn name_the_key(error: SourceError, text: &str) -> SourceError {
    let SourceError::Parse { position, message } = error else { return error };
    let (positions, end) = scan(text);
    if end.is_some_and(|end| position > end) {
        return SourceError::Parse { position, message };
    }
    let key = positions.iter().filter(|(_, p)| **p <= position).max_by_key(|(_, p)| **p).map(|(k, _)| k);
    match key {
        Some(key) if KEYS.contains(&key.as_str()) => {
            SourceError::Parse { position, message: format!("{key}: {message}") }
        }
        _ => SourceError::Parse { position, message },
    }
}

fn probe_schema_version(text: &str) -> Option<u32> {
    #[derive(Deserialize)]
    #[serde(rename = "Policy")]
    struct Probe {
        schema_version: u32,
    }
    options().from_str::<Probe>(text).ok().map(|p| p.schema_version)
}

/// Deserializes a key that is present: absent keys are `None` through `#[serde(default)]`.
pub(crate) fn given<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A bare RON identifier (`Disabled`, `Har`) read by name, so a wrong one is a bad value with a
/// clear message rather than a syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Identifier(String);

impl<'de> Deserialize<'de> for Identifier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name(String);
        impl<'de> Deserialize<'de> for Name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = Name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a name")
                    }
                    fn visit_str<E>(self, s: &str) -> Result<Name, E> {
                        Ok(Name(s.to_owned()))
                    }
                }
                d.deserialize_identifier(V)
            }
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Identifier;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a bare name such as `Disabled`")
            }
            fn visit_enum<A: serde::de::EnumAccess<'de>>(self, a: A) -> Result<Identifier, A::Error> {
                use serde::de::VariantAccess as _;
                let (name, variant): (Name, _) = a.variant()?;
                variant.unit_variant()?;
                Ok(Identifier(name.0))
            }
        }
        d.deserialize_enum("Name", &["Disabled"], V)
    }
}

#[derive(Deserialize)]
#[serde(rename = "Policy")]
struct RawPolicy {
    #[serde(default, deserialize_with = "given")]
    schema_version: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    strict: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    organization_name: Option<String>,
    #[serde(default, deserialize_with = "given")]
    support_contact: Option<String>,
    #[serde(default, deserialize_with = "given")]
    account_sign_in: Option<Identifier>,
    #[serde(default, deserialize_with = "given")]
    cloud_sync: Option<Identifier>,
    #[serde(default, deserialize_with = "given")]
    telemetry: Option<Identifier>,
    #[serde(default, deserialize_with = "given")]
    update_checks: Option<Identifier>,
    #[serde(default, deserialize_with = "given")]
    allowed_hosts: Option<Vec<String>>,
    #[serde(default, deserialize_with = "given")]
    blocked_hosts: Option<Vec<String>>,
    #[serde(default, deserialize_with = "given")]
    allowed_schemes: Option<Vec<String>>,
    #[serde(default, deserialize_with = "given")]
    allow_tls_verification_bypass: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    extra_ca_files: Option<Vec<String>>,
    #[serde(default, deserialize_with = "given")]
    min_tls_version: Option<String>,
    #[serde(default, deserialize_with = "given")]
    client_certificates: Option<Vec<RawClientCertificate>>,
    #[serde(default, deserialize_with = "given")]
    proxy: Option<ProxyRule>,
    #[serde(default, deserialize_with = "given")]
    data_dir: Option<String>,
    #[serde(default, deserialize_with = "given")]
    allow_import: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    allow_export: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    allow_secrets_in_exports: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    allowed_import_formats: Option<Vec<Identifier>>,
    #[serde(default, deserialize_with = "given")]
    history_retention_days: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    store_response_bodies_in_history: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    max_response_size_bytes: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    allow_scripts: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    max_script_timeout_ms: Option<u64>,
    #[serde(default, deserialize_with = "given")]
    defaults: Option<SettingsDefaults>,
}

#[derive(Deserialize)]
struct RawClientCertificate {
    host: String,
    #[serde(default)]
    cert_file: String,
    #[serde(default)]
    key_file: String,
    #[serde(default)]
    pkcs12_file: String,
}

/// Checks every key's value, recording a [`KeyProblem`] and the most restrictive value for each
/// bad one.
struct Checker<'a> {
    positions: &'a BTreeMap<String, Position>,
    problems: Vec<KeyProblem>,
    strict: bool,
}

impl Checker<'_> {
    fn bad(&mut self, key: &str, message: String) {
        self.problems.push(KeyProblem {
            key: key.to_owned(),
            position: self.positions.get(key).copied(),
            message,
        });
    }

    /// A list whose items must all be valid; one bad item makes the whole key `fallback`.
    fn list<T, E: Display>(
        &mut self,
        key: &str,
        items: Option<Vec<String>>,
        parse: impl Fn(&str) -> Result<T, E>,
        (fallback, meaning): (Vec<T>, &str),
    ) -> Option<Vec<T>> {
        let items = items?;
        let parsed: Result<Vec<T>, E> = items.iter().map(|s| parse(s)).collect();
        Some(parsed.unwrap_or_else(|message| {
            self.bad(key, format!("{message}; {meaning}"));
            fallback
        }))
    }

    fn label(&mut self, key: &str, text: Option<String>, max_chars: usize) -> Option<String> {
        keys::parse_label(&text?, max_chars)
            .map_err(|message| self.bad(key, format!("{message}; the value is ignored")))
            .ok()
    }

    fn values(&mut self, raw: RawPolicy) -> Result<SourceValues, SourceError> {
        self.strict = raw.strict.unwrap_or(false);
        let mut disabled = Vec::new();
        for (key, value) in DISABLED_ONLY_KEYS.into_iter().zip([
            raw.account_sign_in,
            raw.cloud_sync,
            raw.telemetry,
            raw.update_checks,
        ]) {
            let Some(Identifier(name)) = value else { continue };
            if name != "Disabled" {
                self.bad(
                    key,
                    format!("the only accepted value is `Disabled`, not `{name}`; it stays Disabled"),
                );
            }
            disabled.push(key);
        }
        let extra_ca_files = self.list(
            "extra_ca_files",
            raw.extra_ca_files,
            keys::parse_absolute_path,
            (Vec::new(), "no extra certificate authority is trusted"),
        );
        let client_certificates = raw.client_certificates.map(|certs| {
            let parsed: Result<Vec<_>, _> = certs.iter().map(client_certificate).collect();
            parsed.unwrap_or_else(|message| {
                self.bad("client_certificates", format!("{message}; no client certificate is used"));
                Vec::new()
            })
        });
        let min_tls_version = raw.min_tls_version.map(|text| {
            TlsVersion::parse(&text).unwrap_or_else(|message| {
                self.bad("min_tls_version", format!("{message}; TLS 1.3 is required instead"));
                TlsVersion::Tls1_3
            })
        });
        let allowed_import_formats = raw.allowed_import_formats.map(|names| {
            let parsed: Result<Vec<Format>, _> = names.iter().map(|n| parse_format(&n.0)).collect();
            parsed.unwrap_or_else(|message| {
                self.bad("allowed_import_formats", format!("{message}; no format may be imported"));
                Vec::new()
            })
        });
        let max_script_timeout_ms = raw.max_script_timeout_ms.map(|ms| {
            if ms < MIN_SCRIPT_TIMEOUT_MS {
                self.bad(
                    "max_script_timeout_ms",
                    format!(
                        "{ms} is not a timeout: write at least {MIN_SCRIPT_TIMEOUT_MS} (milliseconds), or \
                         `allow_scripts: false` to turn scripts off; every script is stopped after \
                         {MIN_SCRIPT_TIMEOUT_MS} ms instead"
                    ),
                );
                MIN_SCRIPT_TIMEOUT_MS
            } else {
                ms
            }
        });
        if let Some(proxy) = &raw.proxy {
            proxy.validate().map_err(|reason| self.escalate("proxy", reason))?;
        }
        if let Some(dir) = &raw.data_dir {
            validate_data_dir(dir).map_err(|reason| self.escalate("data_dir", reason))?;
        }
        Ok(SourceValues {
            organization_name: self.label("organization_name", raw.organization_name, MAX_NAME_CHARS),
            support_contact: self.label("support_contact", raw.support_contact, MAX_CONTACT_CHARS),
            disabled,
            allowed_hosts: self.list(
                "allowed_hosts",
                raw.allowed_hosts,
                HostPattern::parse,
                (Vec::new(), "no host is allowed"),
            ),
            blocked_hosts: self.list(
                "blocked_hosts",
                raw.blocked_hosts,
                HostPattern::parse,
                (vec![HostPattern::any()], "every host is blocked"),
            ),
            allowed_schemes: self.list(
                "allowed_schemes",
                raw.allowed_schemes,
                keys::parse_scheme,
                (Vec::new(), "no scheme is allowed"),
            ),
            allow_tls_verification_bypass: raw.allow_tls_verification_bypass,
            extra_ca_files,
            min_tls_version,
            client_certificates,
            proxy: raw.proxy,
            data_dir: raw.data_dir.map(|d| d.trim().to_owned()),
            allow_import: raw.allow_import,
            allow_export: raw.allow_export,
            allow_secrets_in_exports: raw.allow_secrets_in_exports,
            allowed_import_formats,
            history_retention_days: raw.history_retention_days,
            store_response_bodies_in_history: raw.store_response_bodies_in_history,
            max_response_size_bytes: raw.max_response_size_bytes,
            allow_scripts: raw.allow_scripts,
            max_script_timeout_ms,
            defaults: raw.defaults.unwrap_or_default(),
        })
    }

    fn escalate(&self, key: &'static str, reason: impl Into<BadValueReason>) -> SourceError {
        SourceError::BadValue { key, position: self.positions.get(key).copied(), reason: reason.into() }
    }
}

/// What is wrong with an entry of `client_certificates`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientCertificateError {
    #[error("host: {error}")]
    Host { error: HostPatternError },
    /// A file named by `field` (`cert_file`, `key_file`, `pkcs12_file`) that is not absolute.
    #[error("{host} {field}: {error}")]
    Path { host: String, field: &'static str, error: PathError },
    /// Both a PEM pair and a PKCS #12 file, or neither (or half a pair).
    #[error("{host}: give either cert_file and key_file, or pkcs12_file")]
    PemOrPkcs12 { host: String },
}

fn client_certificate(raw: &RawClientCertificate) -> Result<ClientCertificate, ClientCertificateError> {
    HostPattern::parse(&raw.host).map_err(|error| ClientCertificateError::Host { error })?;
    let path = |text: &str, field: &'static str| -> Result<String, ClientCertificateError> {
        if text.trim().is_empty() {
            return Ok(String::new());
        }
        keys::parse_absolute_path(text)
            .map(|p| p.display().to_string())
            .map_err(|error| ClientCertificateError::Path { host: raw.host.clone(), field, error })
    };
    let cert = ClientCertificate {
        host: raw.host.trim().to_owned(),
        cert_file: path(&raw.cert_file, "cert_file")?,
        key_file: path(&raw.key_file, "key_file")?,
        pkcs12_file: path(&raw.pkcs12_file, "pkcs12_file")?,
        passphrase: String::new(),
    };
    let pem = !cert.cert_file.is_empty() && !cert.key_file.is_empty();
    let p12 = !cert.pkcs12_file.is_empty();
    if pem == p12 {
        return Err(ClientCertificateError::PemOrPkcs12 { host: cert.host });
    }
    Ok(cert)
}

/// A name in `allowed_import_formats` that is not an import format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{name}` is not an import format Localpost knows")]
pub struct UnknownFormat {
    pub name: String,
}

/// Reads an import format by its name in the policy (`PostmanCollectionV21`, `Har`, `Curl`).
pub fn parse_format(name: &str) -> Result<Format, UnknownFormat> {
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = name.into_deserializer();
    Format::deserialize(de).map_err(|_| UnknownFormat { name: name.to_owned() })
}

/// A `data_dir` that is neither an absolute path nor `~/...`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{error} (write an absolute path or ~/...)")]
pub struct DataDirError {
    pub error: PathError,
}

/// `data_dir` is an absolute path, or `~/...` in each user's home folder.
pub fn validate_data_dir(text: &str) -> Result<(), DataDirError> {
    let text = text.trim();
    if text.starts_with("~/") && text.len() > 2 {
        return Ok(());
    }
    keys::parse_absolute_path(text).map(|_| ()).map_err(|error| DataDirError { error })
}

/// Where each top-level key of a RON struct is written, skipping strings and comments. Used to
/// point messages about a key's value at its line and column.
pub fn key_positions(text: &str) -> BTreeMap<String, Position> {
    scan(text).0
}

/// The top-level keys' positions, and where the top-level struct closes.
fn scan(text: &str) -> (BTreeMap<String, Position>, Option<Position>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = BTreeMap::new();
    let mut end = None;
    let (mut i, mut line, mut column, mut depth) = (0usize, 1usize, 1usize, 0usize);
    let advance = |i: &mut usize, line: &mut usize, column: &mut usize| {
        if chars.get(*i) == Some(&'\n') {
            *line += 1;
            *column = 1;
        } else {
            *column += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    advance(&mut i, &mut line, &mut column);
                }
            }
            '/' if next == Some('*') => {
                let mut nesting = 0usize;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        nesting += 1;
                        advance(&mut i, &mut line, &mut column);
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        nesting = nesting.saturating_sub(1);
                        advance(&mut i, &mut line, &mut column);
                        if nesting == 0 {
                            advance(&mut i, &mut line, &mut column);
                            break;
                        }
                    }
                    advance(&mut i, &mut line, &mut column);
                }
            }
            '"' => {
                advance(&mut i, &mut line, &mut column);
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        advance(&mut i, &mut line, &mut column);
                    }
                    advance(&mut i, &mut line, &mut column);
                }
                advance(&mut i, &mut line, &mut column);
            }
            'r' if matches!(next, Some('"' | '#')) => {
                advance(&mut i, &mut line, &mut column);
                let mut hashes = 0;
                while chars.get(i) == Some(&'#') {
                    hashes += 1;
                    advance(&mut i, &mut line, &mut column);
                }
                advance(&mut i, &mut line, &mut column); // the opening quote
                while i < chars.len() {
                    if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                        for _ in 0..=hashes {
                            advance(&mut i, &mut line, &mut column);
                        }
                        break;
                    }
                    advance(&mut i, &mut line, &mut column);
                }
            }
            '\'' => {
                // A char literal: 'x' or '\n'.
                advance(&mut i, &mut line, &mut column);
                if chars.get(i) == Some(&'\\') {
                    advance(&mut i, &mut line, &mut column);
                }
                advance(&mut i, &mut line, &mut column);
                advance(&mut i, &mut line, &mut column);
            }
            '(' | '[' | '{' => {
                depth += 1;
                advance(&mut i, &mut line, &mut column);
            }
            ')' | ']' | '}' => {
                if depth == 1 && end.is_none() {
                    end = Some(Position { line, column });
                }
                depth = depth.saturating_sub(1);
                advance(&mut i, &mut line, &mut column);
            }
            c if depth == 1 && (c.is_alphabetic() || c == '_') => {
                let start = Position { line, column };
                let mut ident = String::new();
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    ident.push(chars[i]);
                    advance(&mut i, &mut line, &mut column);
                }
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if chars.get(j) == Some(&':') {
                    out.entry(ident).or_insert(start);
                }
            }
            _ => advance(&mut i, &mut line, &mut column),
        }
    }
    (out, end)
}

#[cfg(test)]
mod tests;
