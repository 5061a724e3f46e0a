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

/// The kinds the picker offers, each with its fresh value. Collections (the top of the chain)
/// cannot inherit.
fn auth_kinds(can_inherit: bool) -> Vec<(&'static str, Auth)> {
    [
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
    .collect()
}

/// The "Type" picker: choosing another kind starts it with empty fields.
fn kind_picker_ui(ui: &mut Ui, auth: &mut Auth, can_inherit: bool) -> bool {
    let mut changed = false;
    let kinds = auth_kinds(can_inherit);
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
    changed
}

/// A grid row with a one-line field that highlights {{variables}}.
fn field(ui: &mut Ui, vars: &VarIndex, label: &str, value: &mut String) -> bool {
    ui.label(label);
    let r = cell(ui, 320.0, |ui| var_text_edit(ui, value, vars, false, |e| e.desired_width(320.0)));
    ui.end_row();
    r.changed()
}

/// A grid row with a radio button per choice.
fn radio_row<'a, T: PartialEq>(
    ui: &mut Ui,
    label: &str,
    value: &mut T,
    choices: impl IntoIterator<Item = (T, &'a str)>,
) -> bool {
    let mut changed = false;
    ui.label(label);
    ui.horizontal(|ui| {
        for (choice, text) in choices {
            changed |= ui.radio_value(value, choice, text).changed();
        }
    });
    ui.end_row();
    changed
}

/// A grid row with a drop-down of `choices`, shown by `text`; `name` is its accessible name.
fn combo_row<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    id_salt: &str,
    name: &str,
    value: &mut T,
    choices: impl IntoIterator<Item = T>,
    text: fn(T) -> &'static str,
) -> bool {
    let mut changed = false;
    ui.label(label);
    ComboBox::from_id_salt(id_salt)
        .selected_text(text(*value))
        .show_ui(ui, |ui| {
            for choice in choices {
                changed |= ui.selectable_value(value, choice, text(choice)).changed();
            }
        })
        .named(name);
    ui.end_row();
    changed
}

/// A grid row with a checkbox in the value column.
fn check_row(ui: &mut Ui, value: &mut bool, text: &str) -> bool {
    ui.label("");
    let changed = ui.checkbox(value, text).changed();
    ui.end_row();
    changed
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
    let mut changed = kind_picker_ui(ui, auth, can_inherit);
    ui.add_space(4.0);
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
            changed |= field(ui, vars, "Username", username);
            changed |= field(ui, vars, "Password", password);
        }
        Auth::Bearer { token } => changed |= field(ui, vars, "Token", token),
        Auth::ApiKey { key, value, location } => {
            changed |= field(ui, vars, "Key", key);
            changed |= field(ui, vars, "Value", value);
            let places = [(ApiKeyLocation::Header, "Header"), (ApiKeyLocation::Query, "Query params")];
            changed |= radio_row(ui, "Add to", location, places);
        }
        Auth::Digest(d) => {
            changed |= field(ui, vars, "Username", &mut d.username);
            changed |= field(ui, vars, "Password", &mut d.password);
            changed |= field(ui, vars, "Algorithm (optional)", &mut d.algorithm);
            changed |= field(ui, vars, "Realm (optional)", &mut d.realm);
        }
        Auth::OAuth2(o) => {
            let grants = OAuth2Grant::ALL;
            changed |= combo_row(ui, "Grant type", "grant", "Grant type", &mut o.grant, grants, OAuth2Grant::label);
            changed |= field(ui, vars, "Access token URL", &mut o.access_token_url);
            if matches!(
                o.grant,
                OAuth2Grant::AuthorizationCode | OAuth2Grant::AuthorizationCodePkce | OAuth2Grant::Implicit
            ) {
                changed |= field(ui, vars, "Auth URL", &mut o.auth_url);
                changed |= field(ui, vars, "Callback URL", &mut o.redirect_uri);
            }
            changed |= field(ui, vars, "Client ID", &mut o.client_id);
            changed |= field(ui, vars, "Client secret", &mut o.client_secret);
            if o.grant == OAuth2Grant::Password {
                changed |= field(ui, vars, "Username", &mut o.username);
                changed |= field(ui, vars, "Password", &mut o.password);
            }
            changed |= field(ui, vars, "Scope", &mut o.scope);
            changed |= field(ui, vars, "Audience", &mut o.audience);
            changed |= radio_row(
                ui,
                "Client authentication",
                &mut o.client_auth,
                [(OAuth2ClientAuth::BasicHeader, "Basic auth header"), (OAuth2ClientAuth::Body, "In the body")],
            );
            let token_to = [(false, "Header"), (true, "Query (access_token)")];
            changed |= radio_row(ui, "Add token to", &mut o.token_in_query, token_to);
            if !o.token_in_query {
                changed |= field(ui, vars, "Header prefix", &mut o.header_prefix);
            }
            changed |= field(ui, vars, "Access token", &mut o.access_token);
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
        Auth::OAuth1(o) => changed |= oauth1_ui(ui, vars, o),
        Auth::Jwt(j) => changed |= jwt_ui(ui, vars, j),
        Auth::Hawk(h) => changed |= hawk_ui(ui, vars, h),
        Auth::Asap(a) => changed |= asap_ui(ui, vars, a),
        Auth::Ntlm(n) => changed |= ntlm_ui(ui, vars, n),
        Auth::EdgeGrid(e) => changed |= edgegrid_ui(ui, vars, e),
        Auth::AwsSigV4(a) => changed |= aws_sigv4_ui(ui, vars, a),
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

/// OAuth 1.0: the signature method, then the keys and tokens it needs, and where it goes.
fn oauth1_ui(ui: &mut Ui, vars: &VarIndex, o: &mut OAuth1Auth) -> bool {
    let methods = OAuth1Method::ALL;
    let mut changed = combo_row(
        ui,
        "Signature method",
        "oauth1-method",
        "Signature method",
        &mut o.signature_method,
        methods,
        OAuth1Method::name,
    );
    changed |= field(ui, vars, "Consumer key", &mut o.consumer_key);
    if o.signature_method.is_rsa() {
        changed |= text_area(ui, "Private key (PEM)", &mut o.private_key, 4, false);
    } else {
        changed |= field(ui, vars, "Consumer secret", &mut o.consumer_secret);
    }
    changed |= field(ui, vars, "Access token", &mut o.token);
    if !o.signature_method.is_rsa() {
        changed |= field(ui, vars, "Token secret", &mut o.token_secret);
    }
    changed |= field(ui, vars, "Callback URL (optional)", &mut o.callback);
    changed |= field(ui, vars, "Verifier (optional)", &mut o.verifier);
    changed |= field(ui, vars, "Timestamp (empty: now)", &mut o.timestamp);
    changed |= field(ui, vars, "Nonce (empty: random)", &mut o.nonce);
    changed |= field(ui, vars, "Version", &mut o.version);
    changed |= field(ui, vars, "Realm (optional)", &mut o.realm);
    changed |= radio_row(ui, "Add to", &mut o.in_header, [(true, "Header"), (false, "Body or query")]);
    ui.label("");
    ui.vertical(|ui| {
        changed |= ui.checkbox(&mut o.include_body_hash, "Include a body hash").changed();
        changed |= ui.checkbox(&mut o.add_empty_params_to_sign, "Sign empty parameters").changed();
        if o.in_header {
            changed |=
                ui.checkbox(&mut o.disable_header_encoding, "Do not encode the header's values").changed();
        }
    });
    ui.end_row();
    changed
}

/// JWT Bearer: the algorithm and its secret or key, the claims, and where the token goes.
fn jwt_ui(ui: &mut Ui, vars: &VarIndex, j: &mut JwtAuth) -> bool {
    let algorithms = JwtAlgorithm::ALL;
    let mut changed = combo_row(
        ui,
        "Algorithm",
        "jwt-alg",
        "JWT algorithm",
        &mut j.algorithm,
        algorithms,
        JwtAlgorithm::name,
    );
    if j.algorithm.is_hmac() {
        changed |= field(ui, vars, "Secret", &mut j.secret);
        changed |= check_row(ui, &mut j.secret_base64, "The secret is base64");
    } else {
        changed |= text_area(ui, "Private key (PKCS #8 PEM)", &mut j.private_key, 4, false);
    }
    changed |= text_area(ui, "Payload (JSON)", &mut j.payload, 4, true);
    changed |= text_area(ui, "Header fields (JSON)", &mut j.header, 2, true);
    changed |= radio_row(ui, "Add token to", &mut j.in_query, [(false, "Header"), (true, "Query param")]);
    if j.in_query {
        changed |= field(ui, vars, "Query param name", &mut j.query_param_key);
    } else {
        changed |= field(ui, vars, "Header prefix", &mut j.header_prefix);
    }
    changed
}

/// Hawk: the credentials, the algorithm and the optional parts of the header.
fn hawk_ui(ui: &mut Ui, vars: &VarIndex, h: &mut HawkAuth) -> bool {
    let mut changed = field(ui, vars, "Hawk Auth ID", &mut h.auth_id);
    changed |= field(ui, vars, "Hawk Auth Key", &mut h.auth_key);
    let algorithms = [HawkAlgorithm::Sha256, HawkAlgorithm::Sha1].map(|a| (a, a.name()));
    changed |= radio_row(ui, "Algorithm", &mut h.algorithm, algorithms);
    changed |= field(ui, vars, "User (optional)", &mut h.user);
    changed |= field(ui, vars, "Nonce (empty: random)", &mut h.nonce);
    changed |= field(ui, vars, "Timestamp (empty: now)", &mut h.timestamp);
    changed |= field(ui, vars, "ext (optional)", &mut h.ext);
    changed |= field(ui, vars, "app (optional)", &mut h.app);
    changed |= field(ui, vars, "dlg (optional)", &mut h.delegation);
    changed |= check_row(ui, &mut h.include_payload_hash, "Include a payload hash");
    changed
}

/// ASAP (Atlassian): an asymmetric algorithm, the key and the claims.
fn asap_ui(ui: &mut Ui, vars: &VarIndex, a: &mut AsapAuth) -> bool {
    let algorithms = JwtAlgorithm::ALL.into_iter().filter(|alg| !alg.is_hmac());
    let mut changed = combo_row(
        ui,
        "Algorithm",
        "asap-alg",
        "ASAP algorithm",
        &mut a.algorithm,
        algorithms,
        JwtAlgorithm::name,
    );
    changed |= field(ui, vars, "Issuer", &mut a.issuer);
    changed |= field(ui, vars, "Audience", &mut a.audience);
    changed |= field(ui, vars, "Key ID", &mut a.key_id);
    changed |= text_area(ui, "Private key (PKCS #8 PEM or data URI)", &mut a.private_key, 4, false);
    changed |= field(ui, vars, "Subject (empty: the issuer)", &mut a.subject);
    changed |= field(ui, vars, "Expiry in seconds (empty: 3600)", &mut a.expiry_seconds);
    changed |= text_area(ui, "More claims (JSON)", &mut a.claims, 3, true);
    changed
}

fn ntlm_ui(ui: &mut Ui, vars: &VarIndex, n: &mut NtlmAuth) -> bool {
    let mut changed = field(ui, vars, "Username (or DOMAIN\\user)", &mut n.username);
    changed |= field(ui, vars, "Password", &mut n.password);
    changed |= field(ui, vars, "Domain (optional)", &mut n.domain);
    changed |= field(ui, vars, "Workstation (optional)", &mut n.workstation);
    changed |= check_row(ui, &mut n.disable_retry, "Send once, without answering the server's challenge");
    changed
}

fn edgegrid_ui(ui: &mut Ui, vars: &VarIndex, e: &mut EdgeGridAuth) -> bool {
    let mut changed = field(ui, vars, "Access token", &mut e.access_token);
    changed |= field(ui, vars, "Client token", &mut e.client_token);
    changed |= field(ui, vars, "Client secret", &mut e.client_secret);
    changed |= field(ui, vars, "Base URL (empty: the request's host)", &mut e.base_url);
    changed |= field(ui, vars, "Headers to sign (comma-separated)", &mut e.headers_to_sign);
    changed |= field(ui, vars, "Max body size (empty: 131072)", &mut e.max_body_size);
    changed |= field(ui, vars, "Nonce (empty: random)", &mut e.nonce);
    changed |= field(ui, vars, "Timestamp (empty: now)", &mut e.timestamp);
    changed
}

fn aws_sigv4_ui(ui: &mut Ui, vars: &VarIndex, a: &mut AwsSigV4Auth) -> bool {
    let mut changed = field(ui, vars, "Access key", &mut a.access_key);
    changed |= field(ui, vars, "Secret key", &mut a.secret_key);
    changed |= field(ui, vars, "Region", &mut a.region);
    changed |= field(ui, vars, "Service", &mut a.service);
    changed |= field(ui, vars, "Session token", &mut a.session_token);
    changed
}
