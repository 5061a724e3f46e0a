//! The user's settings (`settings.ron` at the top of the data folder). The organization policy
//! may fix some of them; the effective value is the policy's then.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the operating system.
    #[default]
    System,
    Light,
    Dark,
}

/// The oldest TLS version a connection may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MinTls {
    #[default]
    Tls1_2,
    Tls1_3,
}

/// Which proxy requests go through.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProxySetting {
    /// `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` (and `ALL_PROXY`) from the environment.
    #[default]
    System,
    /// Direct connections only.
    None,
    Manual {
        /// `http://host:port`, `https://...` or `socks5://...`.
        url: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        username: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        password: String,
        /// Comma-separated hosts or domains that bypass the proxy.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        no_proxy: String,
    },
}

/// A client certificate presented to hosts matching `host` (`api.example.com`, `*.corp.example`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientCertificate {
    pub host: String,
    /// PEM certificate (chain) file.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cert_file: String,
    /// PEM private key file.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_file: String,
    /// PKCS#12 (`.p12`/`.pfx`) file, instead of the two PEM files.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pkcs12_file: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub passphrase: String,
}

/// A script's deadline when the user has not chosen one (the script engine's own default).
pub const DEFAULT_SCRIPT_TIMEOUT_MS: u64 = 5_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: Theme,
    /// Points; egui's default body text is 12.5.
    pub font_size: f32,
    /// Whether a focused text field's cursor blinks. Off by default: a blinking cursor redraws
    /// the window twice a second for as long as a field has focus; a steady one costs nothing.
    pub blink_cursor: bool,
    /// Total time a request may take; 0 means no limit.
    pub request_timeout_ms: u64,
    pub connect_timeout_ms: u64,
    pub follow_redirects: bool,
    pub max_redirects: u32,
    pub verify_tls: bool,
    /// Extra PEM files of certificate authorities to trust, besides the system's.
    pub extra_ca_files: Vec<String>,
    pub client_certificates: Vec<ClientCertificate>,
    pub proxy: ProxySetting,
    /// Most history entries kept per workspace.
    pub history_max_entries: usize,
    /// Days history is kept; `None` keeps it until the count limit.
    pub history_retention_days: Option<u32>,
    pub store_response_bodies_in_history: bool,
    /// Largest response body kept in history (the rest is cut).
    pub history_body_cap_bytes: u64,
    /// Largest response body downloaded; a bigger one stops with a clear message.
    pub max_response_size_bytes: u64,
    /// The oldest TLS version accepted (the organization policy may raise it).
    pub min_tls_version: MinTls,
    /// Most time one pre-request or test script may run before it is stopped (at least 1 ms;
    /// the organization policy may lower it).
    pub script_timeout_ms: u64,
    /// Send a request whose `{{variable}}` no scope defines with the text as written, as
    /// Postman and newman do, instead of stopping it with the names (the default: nothing goes
    /// out that the user did not mean to send). Either way, each such send is reported.
    pub send_unresolved_variables: bool,
    /// A collection run keeps the response of each request that passed when its body is at most
    /// this big (0: none); failed requests' responses are always kept.
    pub run_response_limit_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: Theme::System,
            font_size: 13.0,
            blink_cursor: false,
            request_timeout_ms: 0,
            connect_timeout_ms: 30_000,
            follow_redirects: true,
            max_redirects: 10,
            verify_tls: true,
            extra_ca_files: Vec::new(),
            client_certificates: Vec::new(),
            proxy: ProxySetting::System,
            history_max_entries: 1000,
            history_retention_days: None,
            store_response_bodies_in_history: true,
            history_body_cap_bytes: 1024 * 1024,
            max_response_size_bytes: 1024 * 1024 * 1024,
            min_tls_version: MinTls::Tls1_2,
            script_timeout_ms: DEFAULT_SCRIPT_TIMEOUT_MS,
            send_unresolved_variables: false,
            run_response_limit_bytes: 64 * 1024,
        }
    }
}

impl std::fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxySetting::System => f.write_str("System"),
            ProxySetting::None => f.write_str("None"),
            ProxySetting::Manual { url, username, password, no_proxy } => f
                .debug_struct("Manual")
                .field("url", url)
                .field("username", username)
                .field("password", &super::masked::Masked(password))
                .field("no_proxy", no_proxy)
                .finish(),
        }
    }
}

impl std::fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("host", &self.host)
            .field("cert_file", &self.cert_file)
            .field("key_file", &self.key_file)
            .field("pkcs12_file", &self.pkcs12_file)
            .field("passphrase", &super::masked::Masked(&self.passphrase))
            .finish()
    }
}
