//! Merging the sources that loaded: the most restrictive value for every security key, the last
//! source for the others, and the conflicts the policy page shows.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::{AllowList, EffectivePolicy, KeyMeta, Loaded, PolicyState, SourceKind, rendered};
use crate::model::ClientCertificate;
use crate::policy::keys::{HostPattern, ProxyRule, TlsVersion};
use crate::policy::parse::{DISABLED_ONLY_KEYS, SourceValues};
use crate::policy::settings::{SettingKey, SettingsDefaults};

/// The value each source sets for one key: (label, is an administrator source, value).
type SetBy<'a, T> = Vec<(&'a str, bool, T)>;

fn set_by<'a, T: Clone>(loaded: &'a [Loaded], get: impl Fn(&SourceValues) -> Option<T>) -> SetBy<'a, T> {
    loaded
        .iter()
        .filter_map(|l| get(&l.parsed.values).map(|v| (l.label.as_str(), l.kind != SourceKind::Baseline, v)))
        .collect()
}

/// The strictest value (`stricter(a, b)`: a is stricter than b), the sources that set it, and a
/// conflict when an administrator source asked for something looser.
fn strictest<T: Clone + PartialEq + Serialize>(
    key: &'static str,
    set: &SetBy<'_, T>,
    stricter: impl Fn(&T, &T) -> bool,
    meta: &mut BTreeMap<String, KeyMeta>,
    decided: &mut BTreeMap<&'static str, Vec<String>>,
) -> Option<T> {
    let mut best: Option<&T> = None;
    for (_, _, v) in set {
        if best.is_none_or(|b| stricter(v, b)) {
            best = Some(v);
        }
    }
    let best = best?.clone();
    let m = meta.entry(key.to_owned()).or_default();
    m.sources = set.iter().map(|(l, _, _)| (*l).to_owned()).collect();
    decided.insert(key, set.iter().filter(|(_, _, v)| *v == best).map(|(l, _, _)| (*l).to_owned()).collect());
    let looser: Vec<String> = set
        .iter()
        .filter(|(_, admin, v)| *admin && *v != best)
        .map(|(l, _, v)| format!("{} in {l}", rendered(v).1))
        .collect();
    if !looser.is_empty() {
        m.conflict = true;
        m.messages.push(format!(
            "{} is overridden: the most restrictive value, {}, applies (from {})",
            looser.join(", "),
            rendered(&best).1,
            decided.get(key).map(|d| d.join(", ")).unwrap_or_default()
        ));
    }
    Some(best)
}

/// The last source's value; a conflict when administrator sources disagree.
fn last_wins<T: Clone + PartialEq + Serialize>(
    key: &'static str,
    set: &SetBy<'_, T>,
    meta: &mut BTreeMap<String, KeyMeta>,
    decided: &mut BTreeMap<&'static str, Vec<String>>,
) -> Option<T> {
    let (label, _, last) = set.last()?;
    let m = meta.entry(key.to_owned()).or_default();
    m.sources = set.iter().map(|(l, _, _)| (*l).to_owned()).collect();
    decided.insert(key, vec![(*label).to_owned()]);
    let admin: Vec<&(&str, bool, T)> = set.iter().filter(|(_, a, _)| *a).collect();
    if admin.iter().any(|(_, _, v)| v != last) {
        m.conflict = true;
        let all: Vec<String> = admin.iter().map(|(l, _, v)| format!("{} in {l}", rendered(v).1)).collect();
        m.messages.push(format!("sources disagree ({}); the last one, {label}, applies", all.join(", ")));
    }
    Some(last.clone())
}

/// One allow-list per source; a conflict when administrator lists differ.
fn allow_lists<T: Clone + PartialEq + Serialize>(
    key: &'static str,
    set: SetBy<'_, Vec<T>>,
    meta: &mut BTreeMap<String, KeyMeta>,
    decided: &mut BTreeMap<&'static str, Vec<String>>,
) -> Vec<AllowList<T>> {
    if set.is_empty() {
        return Vec::new();
    }
    let m = meta.entry(key.to_owned()).or_default();
    m.sources = set.iter().map(|(l, _, _)| (*l).to_owned()).collect();
    decided.insert(key, m.sources.clone());
    let same = |a: &[T], b: &[T]| a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x));
    let admin: Vec<&(&str, bool, Vec<T>)> = set.iter().filter(|(_, a, _)| *a).collect();
    if admin.windows(2).any(|w| !same(&w[0].2, &w[1].2)) {
        m.conflict = true;
        let labels: Vec<&str> = admin.iter().map(|(l, _, _)| *l).collect();
        m.messages.push(format!(
            "{} set different lists; a value must be in every list to be allowed",
            labels.join(", ")
        ));
    }
    // An administrator cannot allow what the baseline does not.
    if let Some((_, _, baseline)) = set.iter().find(|(_, a, _)| !*a) {
        for (label, _, items) in &admin {
            let beyond: Vec<String> =
                items.iter().filter(|x| !baseline.contains(x)).map(|x| rendered(x).1).collect();
            if !beyond.is_empty() {
                m.conflict = true;
                m.messages.push(format!(
                    "{label} allows {}, which the built-in policy does not; it stays refused",
                    beyond.join(", ")
                ));
            }
        }
    }
    set.into_iter().map(|(by, _, items)| AllowList { by: by.to_owned(), items }).collect()
}

/// The effective policy of the sources that loaded, with each key's sources, conflicts and
/// deciding sources recorded in `meta` and its `decided_by`.
pub(super) fn merge(loaded: &[Loaded], meta: &mut BTreeMap<String, KeyMeta>) -> EffectivePolicy {
    let mut decided = BTreeMap::new();
    let d = &mut decided;
    // Booleans that loosen: every source that sets one must allow. A key no source sets takes
    // its most restrictive value (the shipped baseline sets every key, so this is a safety net).
    let mut loosening = |key: &'static str, get: fn(&SourceValues) -> Option<bool>| {
        strictest(key, &set_by(loaded, get), |a, b| !*a && *b, meta, d).unwrap_or(false)
    };
    let allow_tls_bypass = loosening("allow_tls_verification_bypass", |v| v.allow_tls_verification_bypass);
    let allow_import = loosening("allow_import", |v| v.allow_import);
    let allow_export = loosening("allow_export", |v| v.allow_export);
    let allow_secrets_in_exports = loosening("allow_secrets_in_exports", |v| v.allow_secrets_in_exports);
    let store_response_bodies_in_history =
        loosening("store_response_bodies_in_history", |v| v.store_response_bodies_in_history);
    let allow_scripts = loosening("allow_scripts", |v| v.allow_scripts);

    let min_tls_version =
        strictest("min_tls_version", &set_by(loaded, |v| v.min_tls_version), |a, b| a > b, meta, d)
            .unwrap_or(TlsVersion::Tls1_2);
    let history_retention_days =
        smallest("history_retention_days", loaded, |v| v.history_retention_days, meta, d);
    let max_response_size_bytes =
        smallest("max_response_size_bytes", loaded, |v| v.max_response_size_bytes, meta, d);
    let max_script_timeout_ms =
        smallest("max_script_timeout_ms", loaded, |v| v.max_script_timeout_ms, meta, d);

    let allowed_hosts = allow_lists("allowed_hosts", set_by(loaded, |v| v.allowed_hosts.clone()), meta, d);
    let allowed_schemes =
        allow_lists("allowed_schemes", set_by(loaded, |v| v.allowed_schemes.clone()), meta, d);
    let allowed_import_formats =
        allow_lists("allowed_import_formats", set_by(loaded, |v| v.allowed_import_formats.clone()), meta, d);
    let united = United::of(loaded, meta, d);

    let organization_name =
        last_wins("organization_name", &set_by(loaded, |v| v.organization_name.clone()), meta, d);
    let support_contact =
        last_wins("support_contact", &set_by(loaded, |v| v.support_contact.clone()), meta, d);
    let data_dir = last_wins("data_dir", &set_by(loaded, |v| v.data_dir.clone()), meta, d);
    let proxy = proxy(loaded, meta, d);
    record_other_sources(loaded, meta, d);
    let (defaults, defaults_by) = merged_defaults(loaded);

    EffectivePolicy {
        state: PolicyState::Baseline,
        lockdown_summary: None,
        sources: Vec::new(),
        entries: Vec::new(),
        sha256: String::new(),
        admin_sources: 0,
        organization_name,
        support_contact,
        strict: false,
        allowed_hosts,
        blocked_hosts: united.blocked_hosts,
        allowed_schemes,
        allow_tls_bypass,
        extra_ca_files: united.extra_ca_files,
        min_tls_version,
        client_certificates: united.client_certificates,
        proxy,
        data_dir,
        allow_import,
        allow_export,
        allow_secrets_in_exports,
        allowed_import_formats,
        history_retention_days,
        store_response_bodies_in_history,
        max_response_size_bytes,
        allow_scripts,
        max_script_timeout_ms,
        defaults,
        defaults_by,
        decided_by: decided,
    }
}

/// A limit: the smallest value a source sets (see [`strictest`]).
fn smallest<T: Clone + PartialOrd + Serialize>(
    key: &'static str,
    loaded: &[Loaded],
    get: impl Fn(&SourceValues) -> Option<T>,
    meta: &mut BTreeMap<String, KeyMeta>,
    decided: &mut BTreeMap<&'static str, Vec<String>>,
) -> Option<T> {
    strictest(key, &set_by(loaded, get), |a, b| a < b, meta, decided)
}

/// The keys whose values unite across sources: block-lists and trust anchors.
struct United {
    /// Each pattern with the label of the source that blocks it.
    blocked_hosts: Vec<(HostPattern, String)>,
    /// Each file once.
    extra_ca_files: Vec<PathBuf>,
    /// One per host: the last source's, a conflict when an earlier one set another.
    client_certificates: Vec<ClientCertificate>,
}

impl United {
    fn of(
        loaded: &[Loaded],
        meta: &mut BTreeMap<String, KeyMeta>,
        decided: &mut BTreeMap<&'static str, Vec<String>>,
    ) -> Self {
        let mut blocked_hosts = Vec::new();
        let mut extra_ca_files: Vec<PathBuf> = Vec::new();
        let mut client_certificates: Vec<(ClientCertificate, &str)> = Vec::new();
        for l in loaded {
            let v = &l.parsed.values;
            for p in v.blocked_hosts.iter().flatten() {
                blocked_hosts.push((p.clone(), l.label.clone()));
            }
            for ca in v.extra_ca_files.iter().flatten() {
                if !extra_ca_files.contains(ca) {
                    extra_ca_files.push(ca.clone());
                }
            }
            for cert in v.client_certificates.iter().flatten() {
                if let Some(i) = client_certificates.iter().position(|(c, _)| c.host == cert.host) {
                    let (earlier, by) = client_certificates.remove(i);
                    if earlier != *cert {
                        let m = meta.entry("client_certificates".into()).or_default();
                        m.conflict = true;
                        m.messages.push(format!(
                            "{} and {} both set a certificate for {}; the later one applies",
                            by, l.label, cert.host
                        ));
                    }
                }
                client_certificates.push((cert.clone(), &l.label));
            }
        }
        for (key, union_sources) in [
            ("blocked_hosts", set_by(loaded, |v| v.blocked_hosts.as_ref().map(|_| ()))),
            ("extra_ca_files", set_by(loaded, |v| v.extra_ca_files.as_ref().map(|_| ()))),
            ("client_certificates", set_by(loaded, |v| v.client_certificates.as_ref().map(|_| ()))),
        ] {
            let labels: Vec<String> = union_sources.iter().map(|(l, _, _)| (*l).to_owned()).collect();
            meta.entry(key.into()).or_default().sources = labels.clone();
            decided.insert(key, labels);
        }
        let client_certificates = client_certificates.into_iter().map(|(c, _)| c).collect();
        Self { blocked_hosts, extra_ca_files, client_certificates }
    }
}

/// The proxy: the last source that locks it, else the last that sets it.
fn proxy(
    loaded: &[Loaded],
    meta: &mut BTreeMap<String, KeyMeta>,
    decided: &mut BTreeMap<&'static str, Vec<String>>,
) -> Option<ProxyRule> {
    let proxies = set_by(loaded, |v| v.proxy.clone());
    let locked: SetBy<'_, ProxyRule> = proxies.iter().filter(|(_, _, p)| p.locked).cloned().collect();
    if locked.is_empty() {
        return last_wins("proxy", &proxies, meta, decided);
    }
    let rule = last_wins("proxy", &locked, meta, decided);
    meta.entry("proxy".into()).or_default().sources =
        proxies.iter().map(|(l, _, _)| (*l).to_owned()).collect();
    rule
}

/// The sources of the keys no merge rule above decides: the keys that can only be disabled,
/// `schema_version` (every source) and `strict`.
fn record_other_sources(
    loaded: &[Loaded],
    meta: &mut BTreeMap<String, KeyMeta>,
    decided: &mut BTreeMap<&'static str, Vec<String>>,
) {
    for key in DISABLED_ONLY_KEYS {
        let labels: Vec<String> = loaded
            .iter()
            .filter(|l| l.parsed.values.disabled.contains(&key))
            .map(|l| l.label.clone())
            .collect();
        meta.entry(key.into()).or_default().sources = labels.clone();
        decided.insert(key, labels);
    }
    let all: Vec<String> = loaded.iter().map(|l| l.label.clone()).collect();
    meta.entry("schema_version".into()).or_default().sources = all;
    let strict_by: Vec<String> =
        loaded.iter().filter(|l| l.parsed.sets("strict")).map(|l| l.label.clone()).collect();
    meta.entry("strict".into()).or_default().sources = strict_by;
}

/// The settings defaults, each from the last source that sets it, and the label of that source
/// per setting.
fn merged_defaults(loaded: &[Loaded]) -> (SettingsDefaults, BTreeMap<SettingKey, String>) {
    let mut defaults = SettingsDefaults::default();
    let mut defaults_by = BTreeMap::new();
    for l in loaded {
        defaults.merge_from(&l.parsed.values.defaults);
        for name in l.parsed.values.defaults.set_names() {
            if let Some(key) = SettingKey::from_name(name) {
                defaults_by.insert(key, l.label.clone());
            }
        }
    }
    (defaults, defaults_by)
}
