//! The filter box under a response body, as Insomnia's: a JSONPath for JSON, an XPath for XML.
//! While an expression has matches they are shown in place of the body (as text, or as a tree in
//! the Tree view); "no match" and invalid expressions are said plainly; Esc or ✖ clears it.

use egui::{RichText, Ui};

use super::{Named, theme};
use crate::app::body_filter::{FilterLanguage, FilterOutcome};
use crate::app::command::Command;
use crate::app::response::{BodyMode, BodyView};
use crate::app::state::TabId;

/// The filter bar under the body (JSON and XML, in the text and tree views) and, when the
/// filter found something, what it found in place of the body: `true` then.
pub fn filter_ui(ui: &mut Ui, tab_id: TabId, view: &mut BodyView, out: &mut Vec<Command>) -> bool {
    if !matches!(view.mode, BodyMode::Pretty | BodyMode::Raw | BodyMode::Tree)
        || view.filter.language.is_none()
    {
        return false;
    }
    egui::Panel::bottom(("body-filter-bar", tab_id.0)).show(ui, |ui| filter_bar_ui(ui, tab_id, view));
    filtered_body_ui(ui, tab_id, view, out)
}

/// The filter box, its status and its message. Runs the filter as the expression changes.
pub fn filter_bar_ui(ui: &mut Ui, tab_id: TabId, view: &mut BodyView) {
    let Some(language) = view.filter.language else { return };
    let mut enter = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new(language.name()).weak());
        let id = egui::Id::unique(("body-filter", tab_id.0));
        let hint = match language {
            FilterLanguage::JsonPath => "Filter with JSONPath, e.g. $.data[*].id or $..name",
            FilterLanguage::XPath => "Filter with XPath, e.g. //item/title or //item[@id='2']",
        };
        let status_width = 220.0;
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut view.filter_query)
                    .id(id)
                    .hint_text(hint)
                    .font(egui::TextStyle::Monospace)
                    .desired_width((ui.available_width() - status_width).max(120.0)),
            )
            .named("Filter response body");
        let lost = r.lost_focus();
        enter = lost && ui.input(|i| i.key_pressed(egui::Key::Enter));
        // Esc is also the window's Cancel shortcut, taken before the panels are drawn: the raw
        // events still tell that it was pressed.
        let escape = ui.input(|i| {
            i.raw
                .events
                .iter()
                .any(|e| matches!(e, egui::Event::Key { key: egui::Key::Escape, pressed: true, .. }))
        });
        if lost && escape {
            view.filter_query.clear();
        }
        if !view.filter_query.is_empty()
            && ui.small_button("✖").on_hover_text("Clear the filter (Esc)").clicked()
        {
            view.filter_query.clear();
        }
        view.filter.update(ui.ctx(), &view.filter_query, enter);
        status_ui(ui, view);
    });
    let message = match view.filter.outcome(&view.filter_query) {
        Some(FilterOutcome::Invalid(m) | FilterOutcome::Unreadable(m)) if !view.filter.is_running() => {
            m.clone()
        }
        _ => return,
    };
    ui.add(egui::Label::new(RichText::new(message).color(theme::error_color(ui.visuals()))).wrap())
        .named("Filter message");
}

fn status_ui(ui: &mut Ui, view: &BodyView) {
    if view.filter.is_running() {
        ui.spinner();
        ui.label("Filtering…");
        return;
    }
    match view.filter.outcome(&view.filter_query) {
        Some(FilterOutcome::Matches { count, .. }) => {
            let text = if *count == 1 { "1 match".to_owned() } else { format!("{count} matches") };
            ui.label(RichText::new(text).color(theme::ok_color(ui.visuals())));
        }
        Some(FilterOutcome::NoMatch) => {
            ui.label("No match");
        }
        Some(FilterOutcome::Invalid(_)) => {
            ui.label(RichText::new("Invalid expression").color(theme::error_color(ui.visuals())));
        }
        Some(FilterOutcome::Unreadable(_)) => {
            ui.label(RichText::new("Cannot filter").color(theme::error_color(ui.visuals())));
        }
        None => {}
    }
}

/// Draws what the filter found in place of the body; `false` when the body itself is to be
/// shown (no filter, an invalid expression, or the first run still going).
pub fn filtered_body_ui(ui: &mut Ui, tab_id: TabId, view: &mut BodyView, out: &mut Vec<Command>) -> bool {
    if view.filter.language.is_none() || view.filter_query.trim().is_empty() {
        return false;
    }
    // While a newer expression runs, the last matches stay on screen.
    let Some((query, outcome)) = view.filter.last() else { return false };
    let query = query.clone();
    match outcome.clone() {
        FilterOutcome::Matches { doc, .. } => {
            let json = view.filter.language == Some(FilterLanguage::JsonPath);
            if json
                && view.mode == BodyMode::Tree
                && let Some(tree) = view.filter.result_tree()
            {
                super::json_tree::tree_ui(ui, tab_id, "filtered", tree, out);
            } else {
                super::response::text_rows_ui(ui, tab_id, &doc, json, None, None);
            }
            true
        }
        FilterOutcome::NoMatch => {
            ui.vertical_centered(|ui| {
                ui.add_space(24.0);
                ui.label(RichText::new(format!("No match for {query}")).strong());
                ui.label(RichText::new("Esc or ✖ in the filter box shows the whole body again.").weak());
            });
            true
        }
        FilterOutcome::Invalid(_) | FilterOutcome::Unreadable(_) => false,
    }
}
