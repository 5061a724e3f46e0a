//! A Markdown table: columns as wide as their text when the table fits, else the narrow ones
//! keep their width and the wide ones share the rest and wrap.

use egui::Ui;

use super::parse::{CellAlign, Span, Table};
use super::{Base, body_size, layout_job, spans_ui};

/// No column is made narrower than this, in points (a wider table scrolls sideways).
const MIN_COLUMN: f32 = 60.0;
/// The frame's margin, in points.
const MARGIN: f32 = 4.0;

pub(super) fn table_ui(ui: &mut Ui, table: &Table) {
    let columns = table.head.len().max(table.rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let base = Base { size: body_size(ui), heading: false };
    let head = Base { size: base.size, heading: true };
    let rows = || std::iter::once((&table.head, &head)).chain(table.rows.iter().map(|r| (r, &base)));
    let natural = natural_widths(ui, columns, rows, base.size);
    let gap = ui.spacing().item_spacing.x;
    let stroke = ui.visuals().widgets.noninteractive.bg_stroke;
    let available = ui.available_width() - 2.0 * (MARGIN + stroke.width) - gap * (columns - 1) as f32;
    let widths = fit_columns(&natural, available);
    let stripe = ui.visuals().faint_bg_color;
    egui::Frame::new().stroke(stroke).inner_margin(MARGIN).show(ui, |ui| {
        egui::ScrollArea::horizontal().auto_shrink([true, true]).show(ui, |ui| {
            ui.spacing_mut().item_spacing.y = 0.0;
            for (index, (cells, style)) in rows().enumerate() {
                ui.push_id(index, |ui| {
                    super::culled_ui(ui, |ui| {
                        // Each row as tall as its tallest cell; cells are read from their top.
                        let background = ui.painter().add(egui::Shape::Noop);
                        let row = ui.horizontal_top(|ui| {
                            for (column, width) in widths.iter().enumerate() {
                                let align = table.alignments.get(column).copied().unwrap_or_default();
                                cell_ui(ui, (column, *width, align), cells.get(column), style);
                            }
                        });
                        let rect = row.response.rect.expand2(egui::vec2(MARGIN, 1.0));
                        if index == 0 {
                            ui.painter().hline(rect.x_range(), rect.bottom(), stroke);
                        } else if index % 2 == 0 {
                            ui.painter().set(background, egui::Shape::rect_filled(rect, 0.0, stripe));
                        }
                    });
                });
            }
        });
    });
}

fn cell_ui(
    ui: &mut Ui,
    (column, width, align): (usize, f32, CellAlign),
    spans: Option<&Vec<Span>>,
    style: &Base,
) {
    let layout = match align {
        CellAlign::Left => egui::Layout::top_down(egui::Align::Min),
        CellAlign::Center => egui::Layout::top_down(egui::Align::Center),
        CellAlign::Right => egui::Layout::top_down(egui::Align::Max),
    };
    ui.push_id(column, |ui| {
        ui.allocate_ui_with_layout(egui::vec2(width, 0.0), layout, |ui| {
            ui.set_width(width);
            ui.add_space(2.0);
            if let Some(spans) = spans {
                spans_ui(ui, spans, style);
            }
            ui.add_space(2.0);
        });
    });
}

/// The width of each column's widest text on one line, kept until the text or its size changes.
fn natural_widths<'a, R>(ui: &Ui, columns: usize, rows: impl Fn() -> R, size: f32) -> Vec<f32>
where
    R: Iterator<Item = (&'a Vec<Vec<Span>>, &'a Base)>,
{
    let id = ui.scope_id().with("natural-widths");
    if let Some((kept_size, widths)) = ui.data(|d| d.get_temp::<(f32, Vec<f32>)>(id))
        && kept_size == size
    {
        return widths;
    }
    let widths: Vec<f32> = (0..columns)
        .map(|column| {
            rows()
                .filter_map(|(cells, style)| cells.get(column).map(|spans| natural_width(ui, spans, style)))
                .fold(0.0, f32::max)
        })
        .collect();
    ui.data_mut(|d| d.insert_temp(id, (size, widths.clone())));
    widths
}

/// The width of a cell's text on one line.
fn natural_width(ui: &Ui, spans: &[Span], style: &Base) -> f32 {
    let job = layout_job(ui, spans, style);
    ui.fonts_mut(|fonts| fonts.layout_job(job)).size().x.ceil()
}

/// Column widths within `available`: every column its natural width when all fit; else the
/// columns narrower than their share keep theirs and the others share what is left, by their
/// natural widths.
fn fit_columns(natural: &[f32], available: f32) -> Vec<f32> {
    let total: f32 = natural.iter().sum();
    if total <= available {
        return natural.iter().map(|w| w.max(1.0)).collect();
    }
    let mut widths = natural.to_vec();
    let mut wide: Vec<usize> = (0..natural.len()).collect();
    let mut left = available;
    loop {
        let share = left / wide.len().max(1) as f32;
        let (narrow, still): (Vec<usize>, Vec<usize>) = wide.iter().partition(|&&i| natural[i] <= share);
        if narrow.is_empty() || still.is_empty() {
            let sum: f32 = still.iter().map(|&i| natural[i]).sum::<f32>().max(1.0);
            for &i in &still {
                widths[i] = (left * natural[i] / sum).max(MIN_COLUMN);
            }
            return widths;
        }
        left -= narrow.iter().map(|&i| natural[i]).sum::<f32>();
        wide = still;
    }
}

#[cfg(test)]
mod tests {
    use super::fit_columns;

    #[test]
    fn columns_keep_their_width_when_the_table_fits() {
        assert_eq!(fit_columns(&[50.0, 60.0, 100.0], 400.0), [50.0, 60.0, 100.0]);
    }

    #[test]
    fn narrow_columns_keep_theirs_and_wide_ones_share_the_rest() {
        let widths = fit_columns(&[80.0, 60.0, 2000.0], 600.0);
        assert_eq!(&widths[..2], [80.0, 60.0]);
        assert!((widths[2] - 460.0).abs() < 0.01, "{widths:?}");
        let widths = fit_columns(&[900.0, 300.0, 900.0], 600.0);
        assert!((widths.iter().sum::<f32>() - 600.0).abs() < 0.01, "{widths:?}");
        assert!(fit_columns(&[500.0; 30], 600.0).iter().all(|w| *w >= 60.0), "a floor, then it scrolls");
    }
}
