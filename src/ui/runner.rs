//! The runner tab: pick requests and options, watch the run, browse, compare and export past
//! runs. Tables lay out only their visible rows.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::run_detail::{assertions_ui, mark_ui, run_detail_ui, split_ui};
use super::{Named, path_field, theme};
use crate::app::command::Command;
use crate::app::run_detail::{ResultRow, RunDetail, RunResultCommand};
use crate::app::runs::{BrowseFor, LiveRun, PastRuns, ReportFormat, RunnerPage, RunnerTab, compare};
use crate::app::state::{PathField, TabId};
use crate::model::{RequestOutcome, RunResult, WorkspaceData};
use crate::runner::Tally;

const ROW: f32 = 22.0;

fn pass_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode { Color32::from_rgb(110, 200, 120) } else { Color32::from_rgb(30, 130, 50) }
}

pub fn runner_ui(
    ui: &mut Ui,
    tab: TabId,
    r: &mut RunnerTab,
    ws: &WorkspaceData,
    past: &PastRuns,
    out: &mut Vec<Command>,
) {
    let name = ws.parent_name(r.target).unwrap_or("(deleted)").to_owned();
    ui.horizontal(|ui| {
        // The page switch keeps its place however long the name: the name gives way.
        let room = (ui.available_width() - 220.0).max(80.0);
        let height = ui.spacing().interact_size.y;
        ui.allocate_ui_with_layout(
            egui::vec2(room, height),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.add(egui::Label::new(RichText::new(format!("Run {name}")).heading()).truncate())
                    .on_hover_text(format!("Run {name}"));
            },
        );
        ui.add_space(16.0);
        ui.selectable_value(&mut r.page, RunnerPage::Run, "Run");
        let label = format!("Past runs ({})", past.list.len());
        if ui.selectable_value(&mut r.page, RunnerPage::Past, label).clicked() {
            out.push(Command::RefreshPastRuns);
        }
    });
    ui.separator();
    match r.page {
        RunnerPage::Run => match &r.live {
            Some(_) => live_ui(ui, tab, r, ws, out),
            None => setup_ui(ui, tab, r, ws, &name, out),
        },
        RunnerPage::Past => past_ui(ui, tab, r, past, ws, out),
    }
}

fn setup_ui(
    ui: &mut Ui,
    tab: TabId,
    r: &mut RunnerTab,
    ws: &WorkspaceData,
    name: &str,
    out: &mut Vec<Command>,
) {
    let chosen = r.order.iter().filter(|(_, on)| *on).count();
    egui::Panel::right(("runner-options", tab.0)).resizable(true).default_size(340.0).show(ui, |ui| {
        ui.strong("Run configuration");
        ui.add_space(6.0);
        egui::Grid::new(("runner-grid", tab.0)).num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            ui.label("Environment");
            let current =
                r.environment.and_then(|id| ws.environments.get(&id)).map_or("No environment", |e| &e.name);
            egui::ComboBox::from_id_salt(("runner-env", tab.0))
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut r.environment, None, "No environment");
                    for env in ws.environments.values() {
                        ui.selectable_value(&mut r.environment, Some(env.id), &env.name);
                    }
                })
                .response
                .named("Run environment");
            ui.end_row();
            ui.label("Iterations");
            ui.add(egui::DragValue::new(&mut r.iterations).range(1..=1_000_000)).named("Iterations");
            ui.end_row();
            ui.label("Delay (ms)");
            ui.add(egui::DragValue::new(&mut r.delay_ms).range(0..=3_600_000)).named("Delay (ms)");
            ui.end_row();
            ui.label("Data file");
            ui.horizontal(|ui| {
                path_field::add(
                    ui,
                    PathField::Runner,
                    egui::TextEdit::singleline(&mut r.data_path)
                        .hint_text("CSV or JSON path")
                        .desired_width(170.0),
                );
                if ui.button("Browse…").clicked() {
                    out.push(Command::BrowseRunner { tab, what: BrowseFor::Data });
                }
            });
            ui.end_row();
        });
        ui.label(
            RichText::new("A CSV file with a header row or a JSON array of objects: one iteration per row.")
                .small()
                .weak(),
        );
        ui.checkbox(&mut r.bail, "Stop at the first failure");
        ui.add_space(10.0);
        let run = ui.add_enabled(
            chosen > 0,
            egui::Button::new(RichText::new(format!("▶ Run {name}")).strong())
                .truncate()
                .min_size(egui::vec2(160.0, 28.0)),
        );
        if run.clicked() {
            out.push(Command::StartRun(tab));
        }
        ui.label(RichText::new(format!("{chosen} of {} requests", r.order.len())).weak());
    });
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.strong("Requests");
            if ui.small_button("All").clicked() {
                r.order.iter_mut().for_each(|(_, on)| *on = true);
            }
            if ui.small_button("None").clicked() {
                r.order.iter_mut().for_each(|(_, on)| *on = false);
            }
            ui.label(RichText::new("Order: ⬆ ⬇ move a request").small().weak());
        });
        let mut swap = None;
        let n = r.order.len();
        egui::ScrollArea::vertical().id_salt(("runner-order", tab.0)).show_rows(ui, ROW, n, |ui, rows| {
            for i in rows {
                let (id, on) = &mut r.order[i];
                let Some(request) = ws.requests.get(id) else { continue };
                ui.horizontal(|ui| {
                    ui.checkbox(on, "").named(&format!("Run {}", request.name));
                    let color = theme::method_color(&request.method, ui.visuals());
                    ui.label(RichText::new(request.method.as_str()).monospace().color(color).small());
                    ui.label(&request.name);
                    if !request.assertions.is_empty() {
                        ui.label(
                            RichText::new(format!("{} checks", request.assertions.len())).small().weak(),
                        );
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.add_enabled(i + 1 < n, egui::Button::new("⬇").small()).clicked() {
                            swap = Some((i, i + 1));
                        }
                        if ui.add_enabled(i > 0, egui::Button::new("⬆").small()).clicked() {
                            swap = Some((i - 1, i));
                        }
                    });
                });
            }
        });
        if let Some((a, b)) = swap {
            r.order.swap(a, b);
        }
    });
}

fn counts_ui(ui: &mut Ui, t: &Tally) {
    ui.label(RichText::new(format!("Passed {}", t.passed)).color(pass_color(ui)));
    ui.label(RichText::new(format!("Failed {}", t.failed)).color(ui.visuals().error_fg_color));
    let held = t.assertions - t.assertions_failed - t.assertions_skipped;
    ui.label(format!("Assertions {held}/{}", t.assertions - t.assertions_skipped));
    if t.assertions_skipped > 0 {
        ui.label(
            RichText::new(format!("Skipped {}", t.assertions_skipped))
                .color(theme::skipped_color(ui.visuals())),
        );
    }
    ui.label(format!("Avg {} ms", t.total_ms.checked_div(t.requests).unwrap_or(0)));
}

fn live_ui(ui: &mut Ui, tab: TabId, r: &mut RunnerTab, ws: &WorkspaceData, out: &mut Vec<Command>) {
    let Some(live) = &r.live else { return };
    let LiveRun { tally, total, started, finished, .. } = live;
    let done = tally.requests;
    let elapsed = finished.as_ref().map_or_else(|| started.elapsed(), |f| f.elapsed);
    let mut new_run = false;
    ui.horizontal(|ui| {
        let fraction = if *total == 0 { 1.0 } else { done as f32 / *total as f32 };
        ui.add(egui::ProgressBar::new(fraction).desired_width(260.0).text(format!("{done} / {total}")));
        ui.label(format!("{:.1} s", elapsed.as_secs_f64()));
        counts_ui(ui, tally);
        match finished {
            None => {
                if ui.button("Cancel").clicked() {
                    out.push(Command::CancelRun(tab));
                }
            }
            Some(_) => {
                if ui.button("New run").clicked() {
                    new_run = true;
                }
                if ui.button("Run again").clicked() {
                    out.push(Command::StartRun(tab));
                }
            }
        }
    });
    if let Some(f) = finished {
        let text = if let Some(p) = &f.problem {
            RichText::new(p).color(ui.visuals().error_fg_color)
        } else if f.cancelled {
            RichText::new(format!("Cancelled after {done} requests.")).color(ui.visuals().warn_fg_color)
        } else if tally.all_passed() {
            RichText::new(format!("All {done} requests passed.")).color(pass_color(ui))
        } else {
            RichText::new(format!("{} of {done} requests failed.", tally.failed))
                .color(ui.visuals().error_fg_color)
        };
        ui.horizontal(|ui| {
            ui.label(text);
            match &f.saved {
                Some(Ok(path)) => {
                    ui.label(RichText::new(format!("Kept in {path}")).small().weak());
                }
                Some(Err(e)) => {
                    ui.label(RichText::new(format!("Not kept: {e}")).color(ui.visuals().error_fg_color));
                }
                None => {}
            }
        });
    }
    ui.checkbox(&mut r.failed_only, "Failed only");
    let selected = match r.detail.as_ref().map(|d| d.row) {
        Some(ResultRow::Live(i)) => Some(i),
        _ => None,
    };
    let live = r.live.as_ref().map(|l| &l.outcomes);
    if let Some(outcomes) = live {
        let rows: Vec<(usize, &RequestOutcome)> =
            outcomes.iter().enumerate().filter(|(_, o)| !r.failed_only || !o.passed()).collect();
        let follow = finished.is_none() && selected.is_none();
        let detail = r.detail.as_mut().filter(|_| selected.is_some());
        let clicked = with_detail_ui(ui, tab, detail, ws, out, |ui| {
            outcomes_table(ui, ("live", tab.0), &rows, selected, follow)
        });
        if let Some(i) = clicked {
            out.push(Command::RunResult(RunResultCommand::Open { tab, row: ResultRow::Live(i) }));
        }
    }
    if new_run {
        r.live = None;
        r.detail = None;
    }
}

/// The results (drawn by `table`) and, when a result is open, that result under them, split by
/// a handle the user drags. Returns what `table` returns.
fn with_detail_ui<R>(
    ui: &mut Ui,
    tab: TabId,
    detail: Option<&mut RunDetail>,
    ws: &WorkspaceData,
    out: &mut Vec<Command>,
    table: impl FnOnce(&mut Ui) -> R,
) -> R {
    let Some(d) = detail else { return table(ui) };
    let (above, below) = split_ui(ui, tab, &mut d.share);
    let result = ui.scope_builder(egui::UiBuilder::new().max_rect(above), |ui| table(ui)).inner;
    ui.scope_builder(egui::UiBuilder::new().max_rect(below), |ui| {
        ui.set_clip_rect(below.intersect(ui.clip_rect()));
        ui.add_space(4.0);
        run_detail_ui(ui, tab, d, ws, out);
    });
    ui.advance_cursor_after_rect(above.union(below));
    result
}

/// The results table: iteration, request, status, time, size, checks and the first failure.
/// Its columns share the width it has; a click on a row opens that result (its index in
/// `rows`' first field), which is returned.
fn outcomes_table(
    ui: &mut Ui,
    salt: (&str, u64),
    rows: &[(usize, &RequestOutcome)],
    selected: Option<usize>,
    follow: bool,
) -> Option<usize> {
    let error = ui.visuals().error_fg_color;
    let spacing = ui.spacing().item_spacing.x;
    // Fixed columns: mark, iteration, status, time, size, checks.
    let fixed = [16.0, 30.0, 44.0, 56.0, 66.0, 52.0];
    let free = (ui.available_width() - fixed.iter().sum::<f32>() - spacing * 9.0).max(240.0);
    let mut clicked = None;
    ui.scope(|ui| {
        let room = ui.available_height();
        // Labels that select text would take the click meant for the row.
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt(salt)
            .striped(true)
            .sense(egui::Sense::click())
            .stick_to_bottom(follow)
            // Within the room left above an opened result, however few rows fit.
            .min_scrolled_height(0.0)
            .max_scroll_height(room)
            .column(Column::exact(fixed[0]))
            .column(Column::exact(fixed[1]))
            .column(Column::exact(free * 0.3).clip(true))
            .column(Column::exact(free * 0.4).clip(true))
            .column(Column::exact(fixed[2]))
            .column(Column::exact(fixed[3]))
            .column(Column::exact(fixed[4]))
            .column(Column::exact(fixed[5]).clip(true))
            .column(Column::remainder().at_least(60.0).clip(true))
            .header(ROW, |mut h| {
                for title in ["", "Iter", "Request", "URL", "Status", "Time", "Size", "Checks", "Failure"] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(ROW, rows.len(), |mut row| {
                    let (index, o) = rows[row.index()];
                    row.set_selected(selected == Some(index));
                    outcome_row(&mut row, o, error);
                    if row.response().clicked() {
                        clicked = Some(index);
                    }
                });
            });
    });
    clicked
}

/// One result's cells.
fn outcome_row(row: &mut egui_extras::TableRow<'_, '_>, o: &RequestOutcome, error: Color32) {
    row.col(|ui| mark_ui(ui, o));
    row.col(|ui| {
        ui.label((o.iteration + 1).to_string());
    });
    row.col(|ui| {
        ui.add(egui::Label::new(&o.name).truncate()).on_hover_text(&o.name);
    });
    row.col(|ui| {
        let text = format!("{} {}", o.method, o.url);
        ui.add(egui::Label::new(RichText::new(&text).monospace().small()).truncate()).on_hover_text(&text);
    });
    row.col(|ui| {
        ui.label(o.status.map_or_else(|| "—".to_owned(), |s| s.to_string()));
    });
    row.col(|ui| {
        ui.label(format!("{} ms", o.time_ms));
    });
    row.col(|ui| {
        ui.label(crate::http::size(o.size_bytes));
    });
    row.col(|ui| {
        // Skipped tests neither pass nor fail: counted apart.
        let skipped = o.assertions.iter().filter(|a| a.skipped).count();
        let held = o.assertions.iter().filter(|a| a.passed && !a.skipped).count();
        let counted = o.assertions.len() - skipped;
        let text = if skipped > 0 {
            format!("{held}/{counted} ({skipped} skipped)")
        } else {
            format!("{held}/{counted}")
        };
        let label = ui.add(egui::Label::new(text).truncate());
        if !o.assertions.is_empty() {
            label.on_hover_ui(|ui| assertions_ui(ui, &o.assertions));
        }
    });
    row.col(|ui| {
        let failure = o.error.clone().or_else(|| {
            o.assertions.iter().find(|a| !a.passed).map(|a| format!("{}: {}", a.name, a.message))
        });
        if let Some(f) = failure {
            ui.add(egui::Label::new(RichText::new(&f).color(error)).truncate()).on_hover_text(&f);
        }
    });
}

fn run_label(run: &RunResult, t: &Tally) -> String {
    let when = run
        .started_at
        .format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"));
    // The name last: it is what a narrow list cuts.
    format!(
        "{}  {}/{} passed{}  {}",
        when.unwrap_or_default(),
        t.passed,
        t.requests,
        if run.cancelled { " (cancelled)" } else { "" },
        run.target.name,
    )
}

fn past_ui(
    ui: &mut Ui,
    tab: TabId,
    r: &mut RunnerTab,
    past: &PastRuns,
    ws: &WorkspaceData,
    out: &mut Vec<Command>,
) {
    let list_width = (ui.available_width() * 0.3).clamp(220.0, 380.0);
    egui::Panel::left(("past-list", tab.0))
        .resizable(true)
        .default_size(list_width)
        .size_range(180.0..=(ui.available_width() * 0.5).max(220.0))
        .show(ui, |ui| past_list_ui(ui, tab, r, past, out));
    egui::CentralPanel::default().show(ui, |ui| {
        let Some((run, tally)) = r.opened.and_then(|id| past.get(id)) else {
            ui.label(RichText::new("Open a run on the left.").weak());
            return;
        };
        let label = run_label(run, tally);
        ui.add(egui::Label::new(RichText::new(&label).strong()).truncate()).on_hover_text(&label);
        ui.horizontal_wrapped(|ui| counts_ui(ui, tally));
        ui.horizontal(|ui| {
            let env = run.environment.as_ref().map_or("no environment", |e| e.name.as_str());
            let mut facts = format!("{} iterations · {env}", run.iterations);
            if let Some(d) = &run.data_file {
                facts.push_str(&format!(" · data file {d}"));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Delete run").clicked() {
                    out.push(Command::DeletePastRun(run.id));
                    r.opened = None;
                    r.detail = None;
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(egui::Label::new(RichText::new(&facts).weak()).truncate()).on_hover_text(&facts);
                });
            });
        });
        export_ui(ui, tab, r, run.id, out);
        ui.checkbox(&mut r.failed_only, "Failed only");
        ui.separator();
        match r.compare_with.and_then(|id| past.get(id)).filter(|(b, _)| b.id != run.id) {
            Some(b) => compare_ui(ui, tab, (run, tally), b, r.failed_only),
            None => {
                let selected = match r.detail.as_ref().map(|d| d.row) {
                    Some(ResultRow::Past { run: shown, index }) if shown == run.id => Some(index),
                    _ => None,
                };
                let rows: Vec<(usize, &RequestOutcome)> =
                    run.results.iter().enumerate().filter(|(_, o)| !r.failed_only || !o.passed()).collect();
                let detail = r.detail.as_mut().filter(|_| selected.is_some());
                let clicked = with_detail_ui(ui, tab, detail, ws, out, |ui| {
                    outcomes_table(ui, ("past", tab.0), &rows, selected, false)
                });
                if let Some(index) = clicked {
                    let row = ResultRow::Past { run: run.id, index };
                    out.push(Command::RunResult(RunResultCommand::Open { tab, row }));
                }
            }
        }
    });
}

/// The past runs, newest first: each a "vs" toggle and its label, cut to the list's width.
fn past_list_ui(ui: &mut Ui, tab: TabId, r: &mut RunnerTab, past: &PastRuns, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.strong("Past runs");
        if past.loading.is_some() {
            ui.spinner();
        }
        if ui.small_button("Reload").on_hover_text("Read the runs again").clicked() {
            out.push(Command::RefreshPastRuns);
        }
    });
    for p in &past.problems {
        ui.label(RichText::new(p).small().color(ui.visuals().error_fg_color));
    }
    if past.list.is_empty() && past.loading.is_none() {
        ui.label(RichText::new("No runs yet. Results of every run are kept here.").weak());
    }
    ui.add(
        egui::Label::new(RichText::new("Click to open; \"vs\" picks a run to compare with.").small().weak())
            .wrap(),
    );
    egui::ScrollArea::vertical().id_salt(("past-scroll", tab.0)).auto_shrink([false, false]).show_rows(
        ui,
        ROW,
        past.list.len(),
        |ui, rows| {
            for i in rows {
                let (run, tally) = &past.list[i];
                ui.horizontal(|ui| {
                    let is_b = r.compare_with == Some(run.id);
                    if ui
                        .selectable_label(is_b, "vs")
                        .on_hover_text("Compare the opened run with this one")
                        .clicked()
                    {
                        r.compare_with = if is_b { None } else { Some(run.id) };
                    }
                    let label = run_label(run, tally);
                    let open = ui
                        .add(egui::Button::selectable(r.opened == Some(run.id), label.as_str()).truncate())
                        .on_hover_text(&label);
                    if open.clicked() {
                        r.opened = Some(run.id);
                    }
                });
            }
        },
    );
}

/// Export the opened run: format, path, Browse… and Export, the path field taking what the
/// buttons leave; then what the last export said.
fn export_ui(ui: &mut Ui, tab: TabId, r: &mut RunnerTab, run: crate::model::RunId, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label("Export as");
        ui.selectable_value(&mut r.export_format, ReportFormat::Json, "JSON");
        ui.selectable_value(&mut r.export_format, ReportFormat::Junit, "JUnit XML");
        // Browse… and Export, with their spacing, stay in view.
        let field_width = (ui.available_width() - 150.0).clamp(80.0, 420.0);
        path_field::add(
            ui,
            PathField::Runner,
            egui::TextEdit::singleline(&mut r.export_path).desired_width(field_width),
        )
        .on_hover_text(r.export_path.as_str());
        if ui.button("Browse…").clicked() {
            out.push(Command::BrowseRunner { tab, what: BrowseFor::Export });
        }
        if ui.button("Export").clicked() {
            out.push(Command::ExportRun { tab, run });
        }
    });
    match &r.export_status {
        Some(Ok(m)) => {
            ui.add(egui::Label::new(RichText::new(m).color(pass_color(ui))).wrap());
        }
        Some(Err(e)) => {
            ui.add(egui::Label::new(RichText::new(e).color(ui.visuals().error_fg_color)).wrap());
        }
        None => {}
    }
}

fn compare_ui(
    ui: &mut Ui,
    tab: TabId,
    (a, a_tally): (&RunResult, &Tally),
    (b, b_tally): &(RunResult, Tally),
    differences_only: bool,
) {
    ui.label(RichText::new(format!("A: {}\nB: {}", run_label(a, a_tally), run_label(b, b_tally))).small());
    let rows: Vec<_> = compare(a, b).into_iter().filter(|row| !differences_only || row.differs()).collect();
    let error = ui.visuals().error_fg_color;
    let ok = pass_color(ui);
    let cell = |o: Option<&RequestOutcome>| match o {
        None => ("not run".to_owned(), None),
        Some(o) => (
            format!(
                "{} · {} ms",
                o.status.map_or_else(|| "no response".to_owned(), |s| s.to_string()),
                o.time_ms
            ),
            Some(o.passed()),
        ),
    };
    TableBuilder::new(ui)
        .id_salt(("compare", tab.0))
        .striped(true)
        .column(Column::exact(34.0))
        .column(Column::initial(220.0).resizable(true).clip(true))
        .column(Column::initial(160.0).resizable(true))
        .column(Column::initial(160.0).resizable(true))
        .column(Column::remainder())
        .header(ROW, |mut h| {
            for title in ["Iter", "Request", "A", "B", ""] {
                h.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(ROW, rows.len(), |mut row| {
                let x = &rows[row.index()];
                row.col(|ui| {
                    ui.label((x.iteration + 1).to_string());
                });
                row.col(|ui| {
                    ui.label(x.name);
                });
                for side in [x.a, x.b] {
                    let (text, passed) = cell(side);
                    row.col(|ui| {
                        let color = match passed {
                            Some(true) => ok,
                            Some(false) => error,
                            None => ui.visuals().weak_text_color(),
                        };
                        ui.label(RichText::new(text).color(color));
                    });
                }
                row.col(|ui| {
                    if x.differs() {
                        ui.label(RichText::new("changed").color(ui.visuals().warn_fg_color));
                    }
                });
            });
        });
}
