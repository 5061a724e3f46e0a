//! The cookie manager dialog (by domain: name, value, path, expiry, secure, http-only; add,
//! edit, delete, clear a domain, clear all) and the response's Cookies tab (what the response set).

use egui::{Modal, ModalResponse, RichText, Ui};

use crate::app::command::Command;
use crate::app::cookies::form::{CookieForm, CookieKey, SAME_SITE, format_expiry};
use crate::app::cookies::set_cookie::{SetCookieView, set_cookies};
use crate::app::cookies::{ClearScope, CookieCommand, CookieManager};
use crate::app::response::ResponseView;
use crate::model::Cookie;

use super::{Named, cell, theme};

const DIALOG_WIDTH: f32 = 1000.0;
const DOMAIN_LIST_WIDTH: f32 = 200.0;
const LIST_HEIGHT: f32 = 340.0;

fn cookies(command: CookieCommand) -> Command {
    Command::Cookies(command)
}

/// The manager over the window; a clear it asks about is confirmed in a dialog above it.
pub fn manager_ui(ctx: &egui::Context, m: &mut CookieManager, out: &mut Vec<Command>) -> ModalResponse<()> {
    let response = Modal::new(egui::Id::unique("cookie-manager")).show(ctx, |ui| {
        // As wide as the table needs, within a small window too.
        ui.set_width(DIALOG_WIDTH.min(ctx.content_rect().width() - 48.0));
        header_ui(ui, m);
        ui.separator();
        if let Some(error) = &m.error {
            ui.colored_label(theme::error_color(ui.visuals()), error);
        } else if m.jar.is_none() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading cookies…");
            });
        } else {
            body_ui(ui, m, out);
        }
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(
                RichText::new("Changes apply to the next request at once and are saved in this workspace.")
                    .weak(),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Close").named("Close cookies").clicked() {
                    out.push(Command::CloseModal);
                }
            });
        });
    });
    confirm_ui(ctx, m, out);
    response
}

fn header_ui(ui: &mut Ui, m: &mut CookieManager) {
    ui.horizontal(|ui| {
        ui.heading("Cookies");
        ui.label(RichText::new(format!("workspace \u{201c}{}\u{201d}", m.workspace_name)).weak());
    });
    let total = m.jar.as_ref().map_or(0, |j| j.cookies.len());
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(&mut m.filter).hint_text("Filter domains").desired_width(220.0))
            .named("Filter domains");
        let loaded = m.jar.is_some();
        if ui.add_enabled(loaded, egui::Button::new("Add cookie")).clicked() {
            // Any domain ("Add to this domain" fills in the one shown).
            m.form = Some(CookieForm::new_for(""));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let clear_all = ui
                .add_enabled(total > 0, egui::Button::new(danger(ui, "Clear all…")))
                .on_hover_text("Delete every cookie of this workspace");
            if clear_all.clicked() {
                m.confirm = Some(ClearScope::All);
            }
            if loaded {
                let domains = m.domains().len();
                ui.label(
                    RichText::new(format!("{} in {}", plural(total, "cookie"), plural(domains, "domain")))
                        .weak(),
                );
            }
        });
    });
}

fn body_ui(ui: &mut Ui, m: &mut CookieManager, out: &mut Vec<Command>) {
    let domains = m.domains();
    let shown = m.shown_domain(&domains);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            // Narrower in a small window, so the table beside it keeps its columns in view.
            ui.set_width((ui.available_width() * 0.2).clamp(140.0, DOMAIN_LIST_WIDTH));
            domain_list_ui(ui, m, &domains, shown.as_deref());
        });
        // Not a separator: in a dialog, which sizes itself to its content, a vertical one grows
        // with the dialog every frame.
        ui.add_space(16.0);
        ui.vertical(|ui| {
            ui.set_min_height(LIST_HEIGHT);
            if let Some(form) = &mut m.form {
                form_ui(ui, form, out);
            } else if let Some(domain) = &shown {
                domain_cookies_ui(ui, m, domain, out);
            } else if m.jar.as_ref().is_some_and(|j| !j.cookies.is_empty()) {
                ui.label(
                    RichText::new(format!("No domain contains \u{201c}{}\u{201d}.", m.filter.trim())).weak(),
                );
            } else {
                ui.label(
                    RichText::new(
                        "No cookies yet. The cookies a response sets are kept here and sent with the next \
                     request to the same site. You can also add one yourself.",
                    )
                    .weak(),
                );
            }
        });
    });
}

fn domain_list_ui(ui: &mut Ui, m: &mut CookieManager, domains: &[(String, usize)], shown: Option<&str>) {
    ui.strong("Domains");
    egui::ScrollArea::vertical()
        .id_salt("cookie-domains")
        .max_height(LIST_HEIGHT)
        .auto_shrink([false, true])
        .show_rows(ui, ui.spacing().interact_size.y, domains.len(), |ui, rows| {
            for (domain, count) in &domains[rows] {
                let selected = shown == Some(domain.as_str());
                let label = format!("{domain}  ({count})");
                if ui.add(egui::Button::selectable(selected, label).truncate()).clicked() {
                    m.selected = Some(domain.clone());
                    m.form = None;
                }
            }
        });
}

fn domain_cookies_ui(ui: &mut Ui, m: &mut CookieManager, domain: &str, out: &mut Vec<Command>) {
    let list: Vec<Cookie> = m.cookies_of(domain).into_iter().cloned().collect();
    ui.horizontal(|ui| {
        ui.strong(domain);
        ui.label(RichText::new(plural(list.len(), "cookie")).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button(danger(ui, "Clear domain…"))
                .on_hover_text(format!("Delete the cookies of {domain}"))
                .clicked()
            {
                m.confirm = Some(ClearScope::Domain(domain.to_owned()));
            }
            if ui.button("Add to this domain").clicked() {
                m.form = Some(CookieForm::new_for(domain));
            }
        });
    });
    egui::ScrollArea::both()
        .id_salt("cookie-list")
        .max_height(LIST_HEIGHT - 30.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            let value_width = (ui.available_width() * 0.2).clamp(90.0, 150.0);
            egui::Grid::new("cookie-grid").num_columns(7).striped(true).spacing([10.0, 4.0]).show(ui, |ui| {
                for title in ["Name", "Value", "Path", "Expires", "Secure", "HttpOnly", ""] {
                    ui.strong(title);
                }
                ui.end_row();
                for c in &list {
                    cookie_row_ui(ui, m, c, value_width, out);
                    ui.end_row();
                }
            });
        });
}

fn cookie_row_ui(ui: &mut Ui, m: &mut CookieManager, c: &Cookie, value_width: f32, out: &mut Vec<Command>) {
    cell(ui, 110.0, |ui| ui.add(egui::Label::new(&c.name).truncate()));
    cell(ui, value_width, |ui| ui.add(egui::Label::new(&c.value).truncate()).on_hover_text(&c.value));
    cell(ui, 60.0, |ui| ui.add(egui::Label::new(&c.path).truncate()));
    ui.label(c.expires.map_or_else(|| "Session".to_owned(), format_expiry));
    ui.label(yes(c.secure));
    ui.label(yes(c.http_only));
    ui.horizontal(|ui| {
        if ui.small_button("Edit").named(&format!("Edit {}", c.name)).clicked() {
            m.form = Some(CookieForm::edit(c));
        }
        let delete = ui.small_button(danger(ui, "Delete")).named(&format!("Delete {}", c.name));
        if delete.clicked() {
            out.push(cookies(CookieCommand::Delete(CookieKey::of(c))));
        }
    });
}

fn form_ui(ui: &mut Ui, form: &mut CookieForm, out: &mut Vec<Command>) {
    let title = match &form.original {
        Some(key) => format!("Edit cookie \u{201c}{}\u{201d}", key.name),
        None => "Add a cookie".to_owned(),
    };
    ui.strong(title);
    ui.add_space(4.0);
    let mut submit = false;
    egui::Grid::new("cookie-form").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        for (label, text, hint) in [
            ("Name", &mut form.name, "session_id"),
            ("Value", &mut form.value, ""),
            ("Domain", &mut form.domain, "example.com"),
            ("Path", &mut form.path, "/"),
            ("Expires", &mut form.expires, "Session (leave empty), or 2027-12-31 23:59 (UTC)"),
        ] {
            ui.label(label);
            let field = ui
                .add(egui::TextEdit::singleline(text).hint_text(hint).desired_width(420.0))
                .named(&format!("Cookie {}", label.to_lowercase()));
            submit |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.end_row();
        }
        ui.label("");
        ui.horizontal(|ui| {
            ui.checkbox(&mut form.secure, "Secure").on_hover_text("Sent over HTTPS only (and to localhost)");
            ui.checkbox(&mut form.http_only, "HttpOnly").on_hover_text("Hidden from scripts in a browser");
            ui.checkbox(&mut form.subdomains, "Subdomains too")
                .on_hover_text("Also sent to the domain's subdomains (a Domain attribute)");
        });
        ui.end_row();
        ui.label("SameSite");
        egui::ComboBox::from_id_salt("cookie-same-site")
            .selected_text(if form.same_site.is_empty() { "Not set" } else { form.same_site.as_str() })
            .show_ui(ui, |ui| {
                for choice in SAME_SITE {
                    let label = if choice.is_empty() { "Not set" } else { choice };
                    ui.selectable_value(&mut form.same_site, choice.to_owned(), label);
                }
            });
        ui.end_row();
    });
    if let Some(error) = &form.error {
        ui.colored_label(theme::error_color(ui.visuals()), error);
    }
    ui.add_space(4.0);
    let mut cancel = false;
    ui.horizontal(|ui| {
        submit |= ui.button(RichText::new("Save cookie").strong()).clicked();
        cancel = ui.button("Cancel").clicked();
    });
    if submit {
        out.push(cookies(CookieCommand::SaveForm));
    }
    if cancel {
        // Dropped by the UI: there is nothing to undo, nothing was applied.
        form.error = None;
        out.push(cookies(CookieCommand::CancelForm));
    }
}

/// "Clear all…" and "Clear domain…" ask first, in a dialog over the manager.
fn confirm_ui(ctx: &egui::Context, m: &mut CookieManager, out: &mut Vec<Command>) {
    let Some(scope) = m.confirm.clone() else { return };
    let n = m.clear_count(&scope);
    let (title, message) = match &scope {
        ClearScope::All => (
            "Clear all cookies".to_owned(),
            format!(
                "Delete all {} of workspace \u{201c}{}\u{201d}? Requests stop sending them; a response can set them again.",
                plural(n, "cookie"),
                m.workspace_name
            ),
        ),
        ClearScope::Domain(d) => {
            (format!("Clear {d}"), format!("Delete the {} of {d}?", plural(n, "cookie")))
        }
    };
    let response = Modal::new(egui::Id::unique("cookie-clear-confirm")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.heading(title);
        ui.label(message);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(danger(ui, "Delete")).clicked() {
                out.push(cookies(CookieCommand::Clear(scope.clone())));
            }
            if ui.button("Keep them").clicked() {
                m.confirm = None;
            }
        });
    });
    if response.should_close() {
        m.confirm = None;
    }
}

/// The response's Cookies tab: each `Set-Cookie` with every attribute it set.
pub fn response_cookies_ui(ui: &mut Ui, r: &ResponseView, out: &mut Vec<Command>) {
    let list = set_cookies(&r.headers, &r.sent.url);
    ui.horizontal(|ui| {
        if list.is_empty() {
            ui.label(RichText::new("The response set no cookies.").weak());
        } else {
            ui.label(format!("This response set {}.", plural(list.len(), "cookie")));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Manage cookies…")
                .on_hover_text("Every cookie this workspace keeps and sends")
                .clicked()
            {
                out.push(cookies(CookieCommand::Open));
            }
        });
    });
    if list.is_empty() {
        return;
    }
    egui::ScrollArea::both().id_salt("response-cookies").auto_shrink([false, true]).show(ui, |ui| {
        egui::Grid::new("response-cookies-grid").num_columns(8).striped(true).spacing([12.0, 4.0]).show(
            ui,
            |ui| {
                for title in ["Name", "Value", "Domain", "Path", "Expires", "Secure", "HttpOnly", "SameSite"]
                {
                    ui.strong(title);
                }
                ui.end_row();
                for c in &list {
                    set_cookie_row_ui(ui, c);
                    ui.end_row();
                }
            },
        );
    });
}

fn set_cookie_row_ui(ui: &mut Ui, c: &SetCookieView) {
    if let Some(raw) = &c.unreadable {
        ui.label(RichText::new("Not a cookie").color(theme::error_color(ui.visuals())));
        cell(ui, 200.0, |ui| ui.add(egui::Label::new(raw).truncate()).on_hover_text(raw));
        return;
    }
    cell(ui, 120.0, |ui| ui.add(egui::Label::new(&c.name).truncate()));
    cell(ui, 200.0, |ui| ui.add(egui::Label::new(&c.value).truncate()).on_hover_text(&c.value));
    let domain = ui.label(&c.domain);
    if c.host_only {
        domain.on_hover_text("No Domain attribute: sent to this host only");
    }
    ui.label(&c.path);
    if c.deletes {
        ui.label(RichText::new(format!("{} (deletes the cookie)", c.expires)).weak());
    } else {
        ui.label(&c.expires);
    }
    ui.label(yes(c.secure));
    ui.label(yes(c.http_only));
    ui.label(if c.same_site.is_empty() { "" } else { c.same_site.as_str() });
}

fn yes(flag: bool) -> &'static str {
    if flag { "✔" } else { "" }
}

fn danger(ui: &Ui, text: &str) -> RichText {
    RichText::new(text).color(theme::error_color(ui.visuals()))
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}
