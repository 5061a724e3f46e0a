//! The settings screen. Settings the organization policy fixes are shown locked, with who
//! manages them and from which file.

use egui::{RichText, TextEdit, Ui};

use crate::model::{ClientCertificate, MinTls, ProxySetting, Settings, Theme};

/// Why a setting cannot be changed here, keyed by the field's name in `settings.ron`.
pub type LockLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What the organization adds to the user's certificate lists (shown apart, read-only).
#[derive(Default)]
pub struct Organization {
    pub ca_files: Vec<String>,
    pub client_certificate_hosts: Vec<String>,
    /// "Managed by ..." for the read-only rows.
    pub note: String,
}

pub enum SettingsOutput {
    Changed,
    OpenDataFolder,
    ResetLocalData,
}

/// The settings form while it is drawn: why a setting is locked, and whether one changed.
struct Form<'a> {
    locked: LockLookup<'a>,
    changed: bool,
}

/// Draws the settings; returns what the user did.
pub fn settings_ui(
    ui: &mut Ui,
    s: &mut Settings,
    data_dir: &std::path::Path,
    locked: LockLookup<'_>,
    org: &Organization,
) -> Option<SettingsOutput> {
    let mut form = Form { locked, changed: false };
    let mut asked = None;
    ui.heading("Settings");
    ui.label(RichText::new("Saved to settings.ron in your data folder as you change them.").weak());
    ui.add_space(6.0);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        form.appearance_ui(ui, s);
        form.requests_ui(ui, s);
        form.scripts_ui(ui, s);
        form.proxy_ui(ui, s);
        form.certificates_ui(ui, s, org);
        form.history_ui(ui, s);
        asked = data_folder_ui(ui, data_dir);
    });
    asked.or_else(|| form.changed.then_some(SettingsOutput::Changed))
}

impl Form<'_> {
    /// Theme and font size.
    fn appearance_ui(&mut self, ui: &mut Ui, s: &mut Settings) {
        let locked = self.locked;
        section(ui, "Appearance");
        egui::Grid::new("settings-appearance").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
            row(
                ui,
                "Theme",
                locked("theme").as_deref(),
                |ui| {
                    let mut c = false;
                    c |= ui.selectable_value(&mut s.theme, Theme::System, "Follow the system").changed();
                    c |= ui.selectable_value(&mut s.theme, Theme::Light, "Light").changed();
                    c |= ui.selectable_value(&mut s.theme, Theme::Dark, "Dark").changed();
                    c
                },
                &mut self.changed,
            );
            row(
                ui,
                "Font size",
                locked("font_size").as_deref(),
                |ui| {
                    ui.add(egui::DragValue::new(&mut s.font_size).range(8.0..=32.0).speed(0.2).suffix(" pt"))
                        .changed()
                },
                &mut self.changed,
            );
            row(
                ui,
                "Text cursor",
                locked("blink_cursor").as_deref(),
                |ui| {
                    ui.checkbox(&mut s.blink_cursor, "Blink")
                        .on_hover_text(
                            "A blinking cursor redraws the window twice a second while a field has focus.",
                        )
                        .changed()
                },
                &mut self.changed,
            );
        });
    }

    /// Timeouts, redirects, undefined variables, TLS and the largest response kept.
    fn requests_ui(&mut self, ui: &mut Ui, s: &mut Settings) {
        let locked = self.locked;
        section(ui, "Requests");
        egui::Grid::new("settings-requests").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
            row(
                ui,
                "Request timeout",
                locked("request_timeout_ms").as_deref(),
                |ui| {
                    let c = ui
                        .add(
                            egui::DragValue::new(&mut s.request_timeout_ms)
                                .range(0..=3_600_000)
                                .suffix(" ms"),
                        )
                        .changed();
                    ui.label(RichText::new("0 = no limit").weak());
                    c
                },
                &mut self.changed,
            );
            row(
                ui,
                "Connect timeout",
                locked("connect_timeout_ms").as_deref(),
                |ui| {
                    ui.add(egui::DragValue::new(&mut s.connect_timeout_ms).range(100..=600_000).suffix(" ms"))
                        .changed()
                },
                &mut self.changed,
            );
            row(
                ui,
                "Follow redirects",
                locked("follow_redirects").as_deref(),
                |ui| ui.checkbox(&mut s.follow_redirects, "").changed(),
                &mut self.changed,
            );
            row(
                ui,
                "Maximum redirects",
                locked("max_redirects").as_deref(),
                |ui| ui.add(egui::DragValue::new(&mut s.max_redirects).range(0..=100)).changed(),
                &mut self.changed,
            );
            row(
                ui,
                "Undefined variables",
                locked("send_unresolved_variables").as_deref(),
                |ui| {
                    ui.checkbox(&mut s.send_unresolved_variables, "Send as written, as Postman does")
                        .on_hover_text(
                            "Off: a request with a {{variable}} no scope defines is not sent, and the \
                             message names the variable. On: it is sent with the text as written, and \
                             the console says so.",
                        )
                        .changed()
                },
                &mut self.changed,
            );
            row(
                ui,
                "Verify TLS certificates",
                locked("verify_tls").as_deref(),
                |ui| ui.checkbox(&mut s.verify_tls, "Turning this off is insecure").changed(),
                &mut self.changed,
            );
            row(
                ui,
                "Oldest TLS version",
                locked("min_tls_version").as_deref(),
                |ui| {
                    let mut c =
                        ui.selectable_value(&mut s.min_tls_version, MinTls::Tls1_2, "TLS 1.2").changed();
                    c |= ui.selectable_value(&mut s.min_tls_version, MinTls::Tls1_3, "TLS 1.3").changed();
                    c
                },
                &mut self.changed,
            );
            row(
                ui,
                "Largest response kept",
                locked("max_response_size_bytes").as_deref(),
                |ui| {
                    let mut mib = s.max_response_size_bytes / (1024 * 1024);
                    let c = ui.add(egui::DragValue::new(&mut mib).range(1..=16_384).suffix(" MiB")).changed();
                    if c {
                        s.max_response_size_bytes = mib * 1024 * 1024;
                    }
                    c
                },
                &mut self.changed,
            );
        });
    }

    /// The scripts' time limit.
    fn scripts_ui(&mut self, ui: &mut Ui, s: &mut Settings) {
        let locked = self.locked;
        section(ui, "Scripts");
        egui::Grid::new("settings-scripts").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
            row(
                ui,
                "Script timeout",
                locked("script_timeout_ms").as_deref(),
                |ui| {
                    let c = ui
                        .add(egui::DragValue::new(&mut s.script_timeout_ms).range(1..=600_000).suffix(" ms"))
                        .changed();
                    ui.label(RichText::new("each pre-request or test script").weak());
                    c
                },
                &mut self.changed,
            );
        });
    }

    /// The system proxy, none, or one set here.
    fn proxy_ui(&mut self, ui: &mut Ui, s: &mut Settings) {
        let locked = self.locked;
        section(ui, "Proxy");
        let lock = locked("proxy");
        ui.add_enabled_ui(lock.is_none(), |ui| {
            let mut kind = match s.proxy {
                ProxySetting::System => 0,
                ProxySetting::None => 1,
                ProxySetting::Manual { .. } => 2,
            };
            ui.horizontal(|ui| {
                let before = kind;
                ui.radio_value(&mut kind, 0, "System (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)");
                ui.radio_value(&mut kind, 1, "No proxy");
                ui.radio_value(&mut kind, 2, "Manual");
                if kind != before {
                    s.proxy = match kind {
                        0 => ProxySetting::System,
                        1 => ProxySetting::None,
                        _ => ProxySetting::Manual {
                            url: String::new(),
                            username: String::new(),
                            password: String::new(),
                            no_proxy: String::new(),
                        },
                    };
                    self.changed = true;
                }
            });
            if let ProxySetting::Manual { url, username, password, no_proxy } = &mut s.proxy {
                egui::Grid::new("settings-proxy").num_columns(2).spacing([16.0, 6.0]).show(ui, |ui| {
                    ui.label("Proxy URL");
                    self.changed |= ui
                        .add(
                            TextEdit::singleline(url)
                                .hint_text("http://proxy.corp:3128")
                                .desired_width(320.0),
                        )
                        .changed();
                    ui.end_row();
                    ui.label("Username");
                    self.changed |= ui.add(TextEdit::singleline(username).desired_width(200.0)).changed();
                    ui.end_row();
                    ui.label("Password");
                    self.changed |=
                        ui.add(TextEdit::singleline(password).password(true).desired_width(200.0)).changed();
                    ui.end_row();
                    ui.label("Bypass for");
                    self.changed |= ui
                        .add(
                            TextEdit::singleline(no_proxy)
                                .hint_text("localhost, .corp.example")
                                .desired_width(320.0),
                        )
                        .changed();
                    ui.end_row();
                });
            }
        })
        .response
        .on_disabled_hover_text(lock.clone().unwrap_or_default());
        lock_note(ui, lock.as_deref());
    }

    /// Extra certificate authorities and client certificates: the organization's first, read-only.
    fn certificates_ui(&mut self, ui: &mut Ui, s: &mut Settings, org: &Organization) {
        let locked = self.locked;
        section(ui, "Certificates");
        let lock = locked("extra_ca_files");
        ui.label("Extra certificate authorities (PEM files), trusted besides the system's:");
        org_rows_ui(ui, &org.ca_files, &org.note);
        ui.add_enabled_ui(lock.is_none(), |ui| {
            self.changed |= path_list_ui(ui, "ca-files", &mut s.extra_ca_files);
        });
        lock_note(ui, lock.as_deref());
        ui.add_space(6.0);
        let lock = locked("client_certificates");
        ui.label("Client certificates, presented to matching hosts:");
        org_rows_ui(ui, &org.client_certificate_hosts, &org.note);
        ui.add_enabled_ui(lock.is_none(), |ui| {
            self.changed |= client_certs_ui(ui, &mut s.client_certificates);
        });
        lock_note(ui, lock.as_deref());
    }

    /// How much history is kept, and for how long.
    fn history_ui(&mut self, ui: &mut Ui, s: &mut Settings) {
        let locked = self.locked;
        section(ui, "History");
        egui::Grid::new("settings-history").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
            row(
                ui,
                "Entries kept per workspace",
                locked("history_max_entries").as_deref(),
                |ui| ui.add(egui::DragValue::new(&mut s.history_max_entries).range(0..=1_000_000)).changed(),
                &mut self.changed,
            );
            row(
                ui,
                "Keep for",
                locked("history_retention_days").as_deref(),
                |ui| {
                    let mut limited = s.history_retention_days.is_some();
                    let mut c = ui.checkbox(&mut limited, "").changed();
                    if c {
                        s.history_retention_days = limited.then_some(30);
                    }
                    if let Some(days) = &mut s.history_retention_days {
                        c |= ui.add(egui::DragValue::new(days).range(1..=3650).suffix(" days")).changed();
                    } else {
                        ui.label(RichText::new("until the count limit").weak());
                    }
                    c
                },
                &mut self.changed,
            );
            row(
                ui,
                "Keep response bodies",
                locked("store_response_bodies_in_history").as_deref(),
                |ui| ui.checkbox(&mut s.store_response_bodies_in_history, "").changed(),
                &mut self.changed,
            );
            row(
                ui,
                "Largest body kept",
                locked("history_body_cap_bytes").as_deref(),
                |ui| {
                    let mut kib = s.history_body_cap_bytes / 1024;
                    let c =
                        ui.add(egui::DragValue::new(&mut kib).range(0..=1_048_576).suffix(" KiB")).changed();
                    if c {
                        s.history_body_cap_bytes = kib * 1024;
                    }
                    c
                },
                &mut self.changed,
            );
            row(
                ui,
                "Run responses kept up to",
                locked("run_response_limit_bytes").as_deref(),
                |ui| {
                    let mut kib = s.run_response_limit_bytes / 1024;
                    let c = ui
                        .add(egui::DragValue::new(&mut kib).range(0..=1_048_576).suffix(" KiB"))
                        .on_hover_text(
                            "A collection run keeps the response of a request that passed when its body is at most this big, so that its result opens later. Failed requests' responses are always kept.",
                        )
                        .changed();
                    if c {
                        s.run_response_limit_bytes = kib * 1024;
                    }
                    c
                },
                &mut self.changed,
            );
        });
    }
}

/// Where the data is, with a button to open it, and the way to reset it. Reset wins over Open
/// when both were clicked.
fn data_folder_ui(ui: &mut Ui, data_dir: &std::path::Path) -> Option<SettingsOutput> {
    let mut open_folder = false;
    let mut reset = false;
    section(ui, "Data folder");
    ui.horizontal(|ui| {
        ui.add(egui::Label::new(RichText::new(data_dir.display().to_string()).monospace()).selectable(true));
        if ui.button("Open in file manager").clicked() {
            open_folder = true;
        }
    });
    ui.label(
        RichText::new("Start Localpost with --data-dir DIR (or LOCALPOST_DATA_DIR) to use another folder.")
            .weak(),
    );
    ui.add_space(6.0);
    let danger = egui::Button::new(
        RichText::new(crate::app::command::Action::ResetLocalData.label())
            .color(super::theme::error_color(ui.visuals())),
    );
    if ui
        .add(danger)
        .on_hover_text("Delete every workspace and setting here, after offering a backup")
        .clicked()
    {
        reset = true;
    }
    if reset {
        Some(SettingsOutput::ResetLocalData)
    } else if open_folder {
        Some(SettingsOutput::OpenDataFolder)
    } else {
        None
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).strong().size(15.0));
    ui.separator();
}

/// Entries the organization adds: shown first, read-only, with who manages them.
fn org_rows_ui(ui: &mut Ui, rows: &[String], note: &str) {
    for row in rows {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("🔒 {row}")).monospace()).on_hover_text(note);
            ui.label(RichText::new(note).weak());
        });
    }
}

fn lock_note(ui: &mut Ui, lock: Option<&str>) {
    if let Some(why) = lock {
        ui.label(RichText::new(format!("🔒 {why}")).weak());
    }
}

/// One labelled setting; disabled with a lock and the reason when the policy fixes it.
fn row(ui: &mut Ui, label: &str, lock: Option<&str>, add: impl FnOnce(&mut Ui) -> bool, changed: &mut bool) {
    match lock {
        Some(why) => {
            ui.label(format!("🔒 {label}")).on_hover_text(why);
        }
        None => {
            ui.label(label);
        }
    }
    let r = ui.horizontal(|ui| {
        let r = ui.add_enabled_ui(lock.is_none(), |ui| ui.horizontal(|ui| add(ui)).inner);
        if let Some(why) = lock {
            // Said next to the value, not only on hover: who decides, and where.
            ui.label(RichText::new(why).weak());
            r.response.clone().on_disabled_hover_text(why);
        }
        r.inner
    });
    *changed |= r.inner;
    ui.end_row();
}

fn path_list_ui(ui: &mut Ui, id: &str, paths: &mut Vec<String>) -> bool {
    let mut changed = false;
    let mut remove = None;
    for (i, p) in paths.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            changed |=
                ui.add(TextEdit::singleline(p).desired_width(420.0).hint_text("/path/to/ca.pem")).changed();
            if ui.small_button("✖").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        paths.remove(i);
        changed = true;
    }
    if ui.button("+ Add file").on_hover_text(id.to_owned()).clicked() {
        paths.push(String::new());
        changed = true;
    }
    changed
}

fn client_certs_ui(ui: &mut Ui, certs: &mut Vec<ClientCertificate>) -> bool {
    let mut changed = false;
    let mut remove = None;
    for (i, c) in certs.iter_mut().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::Grid::new(("client-cert", i)).num_columns(2).spacing([12.0, 4.0]).show(ui, |ui| {
                for (label, value, hint, secret) in [
                    ("Host", &mut c.host, "api.example.com or *.corp.example", false),
                    ("Certificate (PEM)", &mut c.cert_file, "/path/cert.pem", false),
                    ("Key (PEM)", &mut c.key_file, "/path/key.pem", false),
                    ("PKCS#12 (instead)", &mut c.pkcs12_file, "/path/client.p12", false),
                    ("Passphrase", &mut c.passphrase, "", true),
                ] {
                    ui.label(label);
                    changed |= ui
                        .add(
                            TextEdit::singleline(value).password(secret).hint_text(hint).desired_width(320.0),
                        )
                        .changed();
                    ui.end_row();
                }
            });
            if ui.small_button("Remove").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        certs.remove(i);
        changed = true;
    }
    if ui.button("+ Add client certificate").clicked() {
        certs.push(ClientCertificate::default());
        changed = true;
    }
    changed
}
