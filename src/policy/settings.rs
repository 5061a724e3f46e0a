//! The policy and the user's settings: `defaults` a user starts with, values the policy fixes,
//! and for each setting whether the user may change it (so the UI can show it locked).
//!
//! The user's settings file keeps what the user chose; [`EffectivePolicy::effective_settings`]
//! derives what applies. Never save the effective settings over the user's file: when the policy
//! is relaxed (or a Lockdown ends) the user's own choices come back.

use serde::{Deserialize, Serialize};

use super::effective::EffectivePolicy;
use super::parse::given;
use crate::model::{ClientCertificate, ProxySetting, Settings, Theme};

macro_rules! setting_keys {
    ($($variant:ident => $field:ident: $ty:ty,)*) => {
        /// A user setting (a field of [`Settings`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum SettingKey {
            $($variant,)*
        }

        impl SettingKey {
            pub const ALL: &[SettingKey] = &[$(SettingKey::$variant,)*];

            /// The field's name in `settings.ron` and under `defaults` in a policy.
            pub fn name(self) -> &'static str {
                match self {
                    $(SettingKey::$variant => stringify!($field),)*
                }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.name() == name)
            }

            /// Copies this setting's value from one [`Settings`] to another.
            pub fn copy(self, from: &Settings, to: &mut Settings) {
                match self {
                    $(SettingKey::$variant => to.$field = from.$field.clone(),)*
                }
            }
        }

        /// The `defaults` of a policy: values a user starts with and may change. Written with
        /// the same syntax as the user's `settings.ron`.
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        pub struct SettingsDefaults {
            $(
                #[serde(default, deserialize_with = "given", skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }

        impl SettingsDefaults {
            /// Writes every value this sets into `settings`.
            pub fn apply_to(&self, settings: &mut Settings) {
                $(if let Some(v) = &self.$field { settings.$field = v.clone(); })*
            }

            /// Takes every value `later` sets (later sources win for defaults).
            pub fn merge_from(&mut self, later: &SettingsDefaults) {
                $(if later.$field.is_some() { self.$field = later.$field.clone(); })*
            }

            /// The names of the settings this sets.
            pub fn set_names(&self) -> impl Iterator<Item = &'static str> {
                [$((stringify!($field), self.$field.is_some()),)*]
                    .into_iter()
                    .filter_map(|(name, set)| set.then_some(name))
            }

            /// One set value as RON, for the policy page.
            pub(crate) fn value_of(&self, key: SettingKey) -> Option<(serde_json::Value, String)> {
                match key {
                    $(SettingKey::$variant => self.$field.as_ref().map(super::effective::rendered),)*
                }
            }
        }
    };
}

setting_keys! {
    Theme => theme: Theme,
    FontSize => font_size: f32,
    BlinkCursor => blink_cursor: bool,
    RequestTimeoutMs => request_timeout_ms: u64,
    ConnectTimeoutMs => connect_timeout_ms: u64,
    FollowRedirects => follow_redirects: bool,
    MaxRedirects => max_redirects: u32,
    VerifyTls => verify_tls: bool,
    ExtraCaFiles => extra_ca_files: Vec<String>,
    ClientCertificates => client_certificates: Vec<ClientCertificate>,
    Proxy => proxy: ProxySetting,
    HistoryMaxEntries => history_max_entries: usize,
    HistoryRetentionDays => history_retention_days: Option<u32>,
    StoreResponseBodiesInHistory => store_response_bodies_in_history: bool,
    HistoryBodyCapBytes => history_body_cap_bytes: u64,
    MaxResponseSizeBytes => max_response_size_bytes: u64,
    MinTlsVersion => min_tls_version: crate::model::MinTls,
    ScriptTimeoutMs => script_timeout_ms: u64,
    SendUnresolvedVariables => send_unresolved_variables: bool,
    RunResponseLimitBytes => run_response_limit_bytes: u64,
}

/// How the policy governs one setting; the UI shows the control accordingly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingControl {
    /// The user's choice.
    Free,
    /// The user's choice; the organization suggested the value a new user starts with.
    Recommended { by: String },
    /// The user may choose within a bound the policy sets (`limit` says which, for a tooltip).
    Limited { by: String, limit: String },
    /// Fixed by the policy: shown disabled with a lock and "Managed by <organization>".
    Locked { by: String },
}

impl SettingControl {
    pub fn is_locked(&self) -> bool {
        matches!(self, SettingControl::Locked { .. })
    }
}

impl EffectivePolicy {
    /// The settings a new user starts with (no `settings.ron` yet): the built-in defaults with
    /// the policy's `defaults` (and an unlocked `proxy`) applied. Save these as the user's file.
    pub fn initial_settings(&self) -> Settings {
        let mut settings = Settings::default();
        self.defaults().apply_to(&mut settings);
        if let Some(rule) = self.proxy().filter(|r| !r.locked) {
            settings.proxy = rule.to_setting();
        }
        settings
    }

    /// What applies, from what the user chose: every value the policy fixes or bounds is put in
    /// place, whatever the user's settings file says. Pure and cheap; call it after every load of
    /// the settings and on every change.
    pub fn effective_settings(&self, user: &Settings) -> Settings {
        let mut s = user.clone();
        if !self.allows_tls_bypass() {
            s.verify_tls = true;
        }
        let mut cas: Vec<String> = self.extra_ca_files().iter().map(|p| p.display().to_string()).collect();
        for ca in &user.extra_ca_files {
            if !cas.contains(ca) {
                cas.push(ca.clone());
            }
        }
        s.extra_ca_files = cas;
        // The organization's certificates come first: the first matching host wins.
        let mut certs = self.client_certificates().to_vec();
        certs.extend(user.client_certificates.iter().cloned());
        s.client_certificates = certs;
        if let Some(rule) = self.proxy().filter(|r| r.locked) {
            s.proxy = rule.to_setting();
        }
        if let Some(days) = self.history_retention_days() {
            s.history_retention_days = Some(s.history_retention_days.map_or(days, |d| d.min(days)));
        }
        if !self.store_response_bodies_in_history() {
            s.store_response_bodies_in_history = false;
        }
        let floor = match self.min_tls_version() {
            super::TlsVersion::Tls1_2 => crate::model::MinTls::Tls1_2,
            super::TlsVersion::Tls1_3 => crate::model::MinTls::Tls1_3,
        };
        s.min_tls_version = s.min_tls_version.max(floor);
        if let Some(max) = self.max_response_size_bytes() {
            s.max_response_size_bytes = s.max_response_size_bytes.min(max);
        }
        s.script_timeout_ms = self.script_timeout_ms(s.script_timeout_ms);
        s
    }

    /// Whether and how the policy governs `key`.
    pub fn setting_control(&self, key: SettingKey) -> SettingControl {
        let by = |key: &str| self.decided_by(key);
        let recommended = || match self.defaults_by(key) {
            Some(by) => SettingControl::Recommended { by: by.to_owned() },
            None => SettingControl::Free,
        };
        match key {
            SettingKey::VerifyTls if !self.allows_tls_bypass() => {
                SettingControl::Locked { by: by("allow_tls_verification_bypass") }
            }
            SettingKey::ExtraCaFiles if !self.extra_ca_files().is_empty() => SettingControl::Limited {
                by: by("extra_ca_files"),
                limit: format!(
                    "the organization's {} certificate authorities are always trusted",
                    self.extra_ca_files().len()
                ),
            },
            SettingKey::ClientCertificates if !self.client_certificates().is_empty() => {
                SettingControl::Limited {
                    by: by("client_certificates"),
                    limit: "the organization's client certificates come first".into(),
                }
            }
            SettingKey::Proxy => match self.proxy() {
                Some(rule) if rule.locked => SettingControl::Locked { by: by("proxy") },
                Some(_) => SettingControl::Recommended { by: by("proxy") },
                None => recommended(),
            },
            SettingKey::HistoryRetentionDays => match self.history_retention_days() {
                Some(days) => SettingControl::Limited {
                    by: by("history_retention_days"),
                    limit: format!("at most {days} days"),
                },
                None => recommended(),
            },
            SettingKey::StoreResponseBodiesInHistory if !self.store_response_bodies_in_history() => {
                SettingControl::Locked { by: by("store_response_bodies_in_history") }
            }
            SettingKey::MaxResponseSizeBytes => match self.max_response_size_bytes() {
                Some(max) => SettingControl::Limited {
                    by: by("max_response_size_bytes"),
                    limit: format!("at most {}", bytes_text(max)),
                },
                None => recommended(),
            },
            SettingKey::MinTlsVersion if self.min_tls_version() == super::TlsVersion::Tls1_3 => {
                SettingControl::Limited { by: by("min_tls_version"), limit: "TLS 1.3 at least".into() }
            }
            SettingKey::ScriptTimeoutMs => match self.max_script_timeout_ms() {
                Some(max) => SettingControl::Limited {
                    by: by("max_script_timeout_ms"),
                    limit: format!("at most {max} ms per script"),
                },
                None => recommended(),
            },
            _ => recommended(),
        }
    }

    /// How the settings screen shows `key`: `Some(why)` when the policy fixes or bounds it, so
    /// the screen shows the value in effect, locked, saying who manages it and where. The
    /// organization's certificate lists are shown apart (a user adds to them), so they are not
    /// locked here.
    pub fn settings_lock(&self, key: SettingKey) -> Option<String> {
        match self.setting_control(key) {
            SettingControl::Locked { by } => Some(format!("{} (set in {by})", self.managed_by())),
            SettingControl::Limited { .. }
                if matches!(key, SettingKey::ExtraCaFiles | SettingKey::ClientCertificates) =>
            {
                None
            }
            SettingControl::Limited { by, limit } => {
                Some(format!("{}: {limit} (set in {by})", self.managed_by()))
            }
            SettingControl::Free | SettingControl::Recommended { .. } => None,
        }
    }

    /// Every setting with its control, in the order of [`SettingKey::ALL`].
    pub fn setting_controls(&self) -> Vec<(SettingKey, SettingControl)> {
        SettingKey::ALL.iter().map(|&k| (k, self.setting_control(k))).collect()
    }
}

/// `10 MiB`, `1.5 GiB`, `1000 bytes`: a size as the settings screen writes it.
fn bytes_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    match bytes {
        b if b >= 1024 * MIB && b % (1024 * MIB) == 0 => format!("{} GiB", b / (1024 * MIB)),
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= MIB => format!("{:.1} MiB", b as f64 / MIB as f64),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_has_a_key() {
        // A new field in Settings must be known to the policy (as a default it can set).
        let value: ron::Value = ron::from_str(&ron::to_string(&Settings::default()).unwrap()).unwrap();
        let ron::Value::Map(map) = value else { panic!("{value:?}") };
        let mut fields: Vec<String> = map
            .keys()
            .map(|k| match k {
                ron::Value::String(s) => s.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        fields.sort();
        let mut keys: Vec<String> = SettingKey::ALL.iter().map(|k| k.name().to_owned()).collect();
        keys.sort();
        assert_eq!(fields, keys);
    }

    #[test]
    fn defaults_merge_later_wins() {
        let mut a =
            SettingsDefaults { theme: Some(Theme::Dark), font_size: Some(14.0), ..Default::default() };
        a.merge_from(&SettingsDefaults { theme: Some(Theme::Light), ..Default::default() });
        assert_eq!((a.theme, a.font_size), (Some(Theme::Light), Some(14.0)));
        assert_eq!(a.set_names().collect::<Vec<_>>(), ["theme", "font_size"]);
    }
}
