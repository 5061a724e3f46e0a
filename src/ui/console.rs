//! The console: a panel at the bottom of the window listing what scripts printed, the errors
//! they stopped on and the requests they sent, newest last; a filter, a level, Clear, and
//! secret values hidden until revealed.

use egui::{RichText, Ui};

use super::{Named, theme};
use crate::app::command::{Action, Command};
use crate::app::scripts::{Console, ConsoleLevel};

/// The panel's rows, cached on the console's content and view.
#[derive(Clone, Default)]
struct Rows {
    key: (u64, String, Option<ConsoleLevel>, bool),
    rows: std::sync::Arc<Vec<usize>>,
}

pub fn console_ui(ui: &mut Ui, console: &mut Console, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.strong("Console");
        ui.add(egui::TextEdit::singleline(&mut console.filter).hint_text("Filter").desired_width(200.0))
            .named("Filter console");
        let level = console.level.map_or("All levels", ConsoleLevel::label);
        egui::ComboBox::from_id_salt("console-level")
            .selected_text(level)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut console.level, None, "All levels");
                for l in ConsoleLevel::ALL {
                    ui.selectable_value(&mut console.level, Some(l), l.label());
                }
            })
            .named("Console level");
        if console.reveal || console.has_secrets() {
            ui.checkbox(&mut console.reveal, "Reveal secrets")
                .on_hover_text("Secret variables' values are hidden as (secret) until revealed");
        }
        if ui.button("Clear").clicked() {
            out.push(Command::ClearConsole);
        }
        ui.label(RichText::new(format!("{} lines", console.entries.len())).weak().small());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.small_button("✖").on_hover_text(Action::ToggleConsole.with_shortcut(ui.ctx())).clicked() {
                out.push(Command::Action(Action::ToggleConsole));
            }
        });
    });
    ui.separator();
    let key = (console.generation, console.filter.clone(), console.level, console.reveal);
    let cache_id = egui::Id::unique("console-rows");
    let cached: Rows = ui.data(|d| d.get_temp(cache_id)).unwrap_or_default();
    let rows = if cached.key == key {
        cached.rows
    } else {
        let rows = std::sync::Arc::new(console.visible());
        ui.data_mut(|d| d.insert_temp(cache_id, Rows { key, rows: rows.clone() }));
        rows
    };
    if rows.is_empty() {
        let text = if console.entries.is_empty() {
            "Script output appears here: console.log, errors, pm.sendRequest."
        } else {
            "No line matches the filter."
        };
        ui.label(RichText::new(text).weak());
        return;
    }
    let font = egui::FontId::monospace(12.0);
    // Each row is a horizontal line of labels: as tall as an interactive row.
    let row_height = ui.spacing().interact_size.y.max(ui.fonts_mut(|f| f.row_height(&font)));
    let visuals = ui.visuals().clone();
    egui::ScrollArea::both().id_salt("console").auto_shrink([false, false]).stick_to_bottom(true).show_rows(
        ui,
        row_height,
        rows.len(),
        |ui, range| {
            for i in range {
                let Some(entry) = console.entries.get(rows[i]) else { continue };
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!("{:<7}", entry.level.label()))
                            .font(font.clone())
                            .color(theme::console_color(entry.level, &visuals)),
                    );
                    let text = entry.text(console.reveal);
                    // One row per entry: a long or multi-line value shows whole on hover.
                    let first = text.lines().next().unwrap_or_default();
                    let shown =
                        if first.len() < text.len() { format!("{first} …") } else { first.to_owned() };
                    let label = ui.add(egui::Label::new(RichText::new(shown).font(font.clone())).extend());
                    if first.len() < text.len() {
                        label.on_hover_text(text);
                    }
                    ui.label(RichText::new(&entry.source).small().color(theme::muted(&visuals)));
                });
            }
        },
    );
}
