//! The Auth tab of the request, folder and collection editors: the kind picker, each kind's
//! fields, and the header preview shown under the request's headers.

use egui::{ComboBox, TextEdit, Ui};

use super::Named;
use super::cell;
use super::vars::{VarIndex, var_text_edit};
use crate::model::*;

/// A grid row with a multi-line field of a fixed height that scrolls (a PEM key, a JSON
/// payload), so a long value does not push the rest of the form away.
pub(super) fn text_area(ui: &mut Ui, label: &str, text: &mut String, rows: usize, code: bool) -> bool {
    ui.label(label);
    let row = ui.text_style_height(&egui::TextStyle::Monospace);
    let changed = egui::ScrollArea::vertical()
        .id_salt(label)
        .max_height(row * rows as f32 + 10.0)
        .min_scrolled_height(row * rows as f32 + 10.0)
        .show(ui, |ui| {
            let mut edit = TextEdit::multiline(text).desired_width(320.0).desired_rows(rows);
            if code {
                edit = edit.code_editor();
            }
            ui.add(edit).named(label).changed()
        })
        .inner;
    ui.end_row();
    changed
}

pub(super) fn auth_header_preview(
    auth: &Auth,
    inherited: Option<&(String, Auth)>,
) -> Option<(String, String)> {
    let auth = match auth {
        Auth::Inherit => &inherited?.1,
        other => other,
    };
    Some(match auth {
        Auth::Basic { .. } => ("Authorization".into(), "Basic <from the Auth tab>".into()),
        Auth::Bearer { .. } => ("Authorization".into(), "Bearer <from the Auth tab>".into()),
        Auth::Digest(_) => ("Authorization".into(), "Digest <after the server's challenge>".into()),
        Auth::OAuth2(o) if o.token_in_query => return None,
        Auth::OAuth2(o) if o.access_token.is_empty() && !o.fetch_automatically => return None,
        Auth::OAuth2(o) if o.access_token.is_empty() => {
            ("Authorization".into(), "Bearer <token fetched by OAuth 2.0>".into())
        }
        Auth::OAuth2(_) => ("Authorization".into(), "Bearer <the access token>".into()),
        Auth::AwsSigV4(_) => ("Authorization".into(), "AWS4-HMAC-SHA256 <signed when sent>".into()),
        Auth::OAuth1(o) if o.in_header => ("Authorization".into(), "OAuth <signed when sent>".into()),
        Auth::Hawk(_) => ("Authorization".into(), "Hawk <signed when sent>".into()),
        Auth::Asap(_) => ("Authorization".into(), "Bearer <ASAP token signed when sent>".into()),
        Auth::EdgeGrid(_) => ("Authorization".into(), "EG1-HMAC-SHA256 <signed when sent>".into()),
        Auth::Ntlm(_) => ("Authorization".into(), "NTLM <when the server asks>".into()),
        Auth::Jwt(j) if !j.in_query => {
            ("Authorization".into(), format!("{} <JWT signed when sent>", j.header_prefix.trim()))
        }
        Auth::ApiKey { key, location: ApiKeyLocation::Header, .. } => {
            (key.clone(), "<from the Auth tab>".into())
        }
        _ => return None,
    })
}

/// The auth editor, shared by requests, folders and collections. `can_inherit` is false for
/// collections (the top of the chain).
pub fn auth_ui(
    ui: &mut Ui,
    auth: &mut Auth,
    vars: &VarIndex,
    inherited: Option<&(String, Auth)>,
    can_inherit: bool,
) -> bool {
    let mut changed = false;
    let kinds: Vec<(&str, Auth)> = [
        can_inherit.then_some(("Inherit auth from parent", Auth::Inherit)),
        Some(("No auth", Auth::None)),
        Some(("Basic auth", Auth::Basic { username: String::new(), password: String::new() })),
        Some(("Bearer token", Auth::Bearer { token: String::new() })),
        Some((
            "API key",
            Auth::ApiKey { key: String::new(), value: String::new(), location: ApiKeyLocation::Header },
        )),
        Some(("Digest auth", Auth::Digest(DigestAuth::default()))),
        Some(("OAuth 1.0", Auth::OAuth1(OAuth1Auth::default()))),
        Some(("Hawk", Auth::Hawk(HawkAuth::default()))),
        Some(("JWT Bearer", Auth::Jwt(JwtAuth::default()))),
        Some(("ASAP (Atlassian)", Auth::Asap(AsapAuth::default()))),
        Some(("Akamai EdgeGrid", Auth::EdgeGrid(EdgeGridAuth::default()))),
        Some(("NTLM", Auth::Ntlm(NtlmAuth::default()))),
        Some(("OAuth 2.0", Auth::OAuth2(OAuth2Auth::default()))),
        Some(("AWS Signature v4", Auth::AwsSigV4(AwsSigV4Auth::default()))),
    ]
    .into_iter()
    .flatten()
    .collect();
    ui.horizontal(|ui| {
        ui.label("Type");
        ComboBox::from_id_salt("auth-kind")
            .selected_text(auth.kind_label().to_owned())
            .width(200.0)
            // Every kind in view at once (the popup may reach past the editor pane).
            .height(460.0)
            .show_ui(ui, |ui| {
                for (label, fresh) in kinds {
                    let same = std::mem::discriminant(auth) == std::mem::discriminant(&fresh);
                    if ui.selectable_label(same, label).clicked() && !same {
                        *auth = fresh;
                        changed = true;
                    }
                }
            })
            .named("Auth type");
    });
    ui.add_space(4.0);
    let field = |ui: &mut Ui, label: &str, value: &mut String| -> bool {
        ui.label(label);
        let r = cell(ui, 320.0, |ui| var_text_edit(ui, value, vars, false, |e| e.desired_width(320.0)));
        ui.end_row();
        r.changed()
    };
    egui::Grid::new("auth-fields").num_columns(2).spacing([10.0, 6.0]).show(ui, |ui| match auth {
        Auth::Inherit => {
            match inherited {
                Some((from, a)) => ui.label(format!("This request uses {} from \"{from}\".", a.kind_label())),
                None => ui.label("No parent sets auth: this request is sent without auth."),
            };
            ui.end_row();
        }
        Auth::None => {
            ui.label("This request does not use any authorization.");
            ui.end_row();
        }
        Auth::Basic { username, password } => {
            changed |= field(ui, "Username", username);
            changed |= field(ui, "Password", password);
        }
        Auth::Bearer { token } => changed |= field(ui, "Token", token),
        Auth::ApiKey { key, value, location } => {
            changed |= field(ui, "Key", key);
            changed |= field(ui, "Value", value);
            ui.label("Add to");
            ui.horizontal(|ui| {
                changed |= ui.radio_value(location, ApiKeyLocation::Header, "Header").changed();
                changed |= ui.radio_value(location, ApiKeyLocation::Query, "Query params").changed();
            });
            ui.end_row();
        }
        Auth::Digest(d) => {
            changed |= field(ui, "Username", &mut d.username);
            changed |= field(ui, "Password", &mut d.password);
            changed |= field(ui, "Algorithm (optional)", &mut d.algorithm);
            changed |= field(ui, "Realm (optional)", &mut d.realm);
        }
        Auth::OAuth2(o) => {
            ui.label("Grant type");
            ComboBox::from_id_salt("grant")
                .selected_text(o.grant.label())
                .show_ui(ui, |ui| {
                    for g in OAuth2Grant::ALL {
                        changed |= ui.selectable_value(&mut o.grant, g, g.label()).changed();
                    }
                })
                .named("Grant type");
            ui.end_row();
            changed |= field(ui, "Access token URL", &mut o.access_token_url);
            if matches!(
                o.grant,
                OAuth2Grant::AuthorizationCode | OAuth2Grant::AuthorizationCodePkce | OAuth2Grant::Implicit
            ) {
                changed |= field(ui, "Auth URL", &mut o.auth_url);
                changed |= field(ui, "Callback URL", &mut o.redirect_uri);
            }
            changed |= field(ui, "Client ID", &mut o.client_id);
            changed |= field(ui, "Client secret", &mut o.client_secret);
            if o.grant == OAuth2Grant::Password {
                changed |= field(ui, "Username", &mut o.username);
                changed |= field(ui, "Password", &mut o.password);
            }
            changed |= field(ui, "Scope", &mut o.scope);
            changed |= field(ui, "Audience", &mut o.audience);
            ui.label("Client authentication");
            ui.horizontal(|ui| {
                changed |= ui
                    .radio_value(&mut o.client_auth, OAuth2ClientAuth::BasicHeader, "Basic auth header")
                    .changed();
                changed |=
                    ui.radio_value(&mut o.client_auth, OAuth2ClientAuth::Body, "In the body").changed();
            });
            ui.end_row();
            ui.label("Add token to");
            ui.horizontal(|ui| {
                changed |= ui.radio_value(&mut o.token_in_query, false, "Header").changed();
                changed |= ui.radio_value(&mut o.token_in_query, true, "Query (access_token)").changed();
            });
            ui.end_row();
            if !o.token_in_query {
                changed |= field(ui, "Header prefix", &mut o.header_prefix);
            }
            changed |= field(ui, "Access token", &mut o.access_token);
            if matches!(o.grant, OAuth2Grant::ClientCredentials | OAuth2Grant::Password) && !o.token_in_query {
                ui.label("");
                changed |= ui
                    .checkbox(&mut o.fetch_automatically, "Fetch a token when none is saved")
                    .on_hover_text(
                        "Off: with no access token the request goes without one, as in Postman and newman. \
                         On: Localpost asks the token URL for one before sending, and keeps it until it expires.",
                    )
                    .changed();
                ui.end_row();
            }
        }
        Auth::OAuth1(o) => {
            ui.label("Signature method");
            ComboBox::from_id_salt("oauth1-method")
                .selected_text(o.signature_method.name())
                .show_ui(ui, |ui| {
                    for m in OAuth1Method::ALL {
                        changed |= ui.selectable_value(&mut o.signature_method, m, m.name()).changed();
                    }
                })
                .named("Signature method");
            ui.end_row();
            changed |= field(ui, "Consumer key", &mut o.consumer_key);
            if o.signature_method.is_rsa() {
                changed |= text_area(ui, "Private key (PEM)", &mut o.private_key, 4, false);
            } else {
                changed |= field(ui, "Consumer secret", &mut o.consumer_secret);
            }
            changed |= field(ui, "Access token", &mut o.token);
            if !o.signature_method.is_rsa() {
                changed |= field(ui, "Token secret", &mut o.token_secret);
            }
            changed |= field(ui, "Callback URL (optional)", &mut o.callback);
            changed |= field(ui, "Verifier (optional)", &mut o.verifier);
            changed |= field(ui, "Timestamp (empty: now)", &mut o.timestamp);
            changed |= field(ui, "Nonce (empty: random)", &mut o.nonce);
            changed |= field(ui, "Version", &mut o.version);
            changed |= field(ui, "Realm (optional)", &mut o.realm);
            ui.label("Add to");
            ui.horizontal(|ui| {
                changed |= ui.radio_value(&mut o.in_header, true, "Header").changed();
                changed |= ui.radio_value(&mut o.in_header, false, "Body or query").changed();
            });
            ui.end_row();
            ui.label("");
            ui.vertical(|ui| {
                changed |= ui.checkbox(&mut o.include_body_hash, "Include a body hash").changed();
                changed |= ui.checkbox(&mut o.add_empty_params_to_sign, "Sign empty parameters").changed();
                if o.in_header {
                    changed |= ui
                        .checkbox(&mut o.disable_header_encoding, "Do not encode the header's values")
                        .changed();
                }
            });
            ui.end_row();
        }
        Auth::Jwt(j) => {
            ui.label("Algorithm");
            ComboBox::from_id_salt("jwt-alg")
                .selected_text(j.algorithm.name())
                .show_ui(ui, |ui| {
                    for a in JwtAlgorithm::ALL {
                        changed |= ui.selectable_value(&mut j.algorithm, a, a.name()).changed();
                    }
                })
                .named("JWT algorithm");
            ui.end_row();
            if j.algorithm.is_hmac() {
                changed |= field(ui, "Secret", &mut j.secret);
                ui.label("");
                changed |= ui.checkbox(&mut j.secret_base64, "The secret is base64").changed();
                ui.end_row();
            } else {
                changed |= text_area(ui, "Private key (PKCS #8 PEM)", &mut j.private_key, 4, false);
            }
            changed |= text_area(ui, "Payload (JSON)", &mut j.payload, 4, true);
            changed |= text_area(ui, "Header fields (JSON)", &mut j.header, 2, true);
            ui.label("Add token to");
            ui.horizontal(|ui| {
                changed |= ui.radio_value(&mut j.in_query, false, "Header").changed();
                changed |= ui.radio_value(&mut j.in_query, true, "Query param").changed();
            });
            ui.end_row();
            if j.in_query {
                changed |= field(ui, "Query param name", &mut j.query_param_key);
            } else {
                changed |= field(ui, "Header prefix", &mut j.header_prefix);
            }
        }
        Auth::Hawk(h) => {
            changed |= field(ui, "Hawk Auth ID", &mut h.auth_id);
            changed |= field(ui, "Hawk Auth Key", &mut h.auth_key);
            ui.label("Algorithm");
            ui.horizontal(|ui| {
                for a in [HawkAlgorithm::Sha256, HawkAlgorithm::Sha1] {
                    changed |= ui.radio_value(&mut h.algorithm, a, a.name()).changed();
                }
            });
            ui.end_row();
            changed |= field(ui, "User (optional)", &mut h.user);
            changed |= field(ui, "Nonce (empty: random)", &mut h.nonce);
            changed |= field(ui, "Timestamp (empty: now)", &mut h.timestamp);
            changed |= field(ui, "ext (optional)", &mut h.ext);
            changed |= field(ui, "app (optional)", &mut h.app);
            changed |= field(ui, "dlg (optional)", &mut h.delegation);
            ui.label("");
            changed |= ui.checkbox(&mut h.include_payload_hash, "Include a payload hash").changed();
            ui.end_row();
        }
        Auth::Asap(a) => {
            ui.label("Algorithm");
            ComboBox::from_id_salt("asap-alg")
                .selected_text(a.algorithm.name())
                .show_ui(ui, |ui| {
                    for alg in JwtAlgorithm::ALL.into_iter().filter(|alg| !alg.is_hmac()) {
                        changed |= ui.selectable_value(&mut a.algorithm, alg, alg.name()).changed();
                    }
                })
                .named("ASAP algorithm");
            ui.end_row();
            changed |= field(ui, "Issuer", &mut a.issuer);
            changed |= field(ui, "Audience", &mut a.audience);
            changed |= field(ui, "Key ID", &mut a.key_id);
            changed |= text_area(ui, "Private key (PKCS #8 PEM or data URI)", &mut a.private_key, 4, false);
            changed |= field(ui, "Subject (empty: the issuer)", &mut a.subject);
            changed |= field(ui, "Expiry in seconds (empty: 3600)", &mut a.expiry_seconds);
            changed |= text_area(ui, "More claims (JSON)", &mut a.claims, 3, true);
        }
        Auth::Ntlm(n) => {
            changed |= field(ui, "Username (or DOMAIN\\user)", &mut n.username);
            changed |= field(ui, "Password", &mut n.password);
            changed |= field(ui, "Domain (optional)", &mut n.domain);
            changed |= field(ui, "Workstation (optional)", &mut n.workstation);
            ui.label("");
            changed |= ui
                .checkbox(&mut n.disable_retry, "Send once, without answering the server's challenge")
                .changed();
            ui.end_row();
        }
        Auth::EdgeGrid(e) => {
            changed |= field(ui, "Access token", &mut e.access_token);
            changed |= field(ui, "Client token", &mut e.client_token);
            changed |= field(ui, "Client secret", &mut e.client_secret);
            changed |= field(ui, "Base URL (empty: the request's host)", &mut e.base_url);
            changed |= field(ui, "Headers to sign (comma-separated)", &mut e.headers_to_sign);
            changed |= field(ui, "Max body size (empty: 131072)", &mut e.max_body_size);
            changed |= field(ui, "Nonce (empty: random)", &mut e.nonce);
            changed |= field(ui, "Timestamp (empty: now)", &mut e.timestamp);
        }
        Auth::AwsSigV4(a) => {
            changed |= field(ui, "Access key", &mut a.access_key);
            changed |= field(ui, "Secret key", &mut a.secret_key);
            changed |= field(ui, "Region", &mut a.region);
            changed |= field(ui, "Service", &mut a.service);
            changed |= field(ui, "Session token", &mut a.session_token);
        }
        Auth::Unsupported { kind, params } => {
            ui.label(format!("{kind} auth was imported and is kept, but Localpost cannot send it."));
            ui.end_row();
            for (k, v) in params.iter() {
                ui.label(k.as_str());
                ui.label(v.as_str());
                ui.end_row();
            }
        }
    });
    changed
}
