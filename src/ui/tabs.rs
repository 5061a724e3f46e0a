//! The tab strip over the editor: one tab per open request or page, each with its method badge
//! and a name that keeps a readable width (elided, with the full name on hover). Tabs shrink to
//! fit down to that width; past it the strip scrolls (mouse wheel, ◀ ▶, the active tab always
//! brought into view) and ⏷ lists every open tab. A tab's context menu closes it, the others,
//! the ones to its right or all; a preview tab (a single click in the sidebar) is in italics.

use egui::accesskit::Role;
use egui::{Rect, RichText, Sense, TextWrapMode, Ui, Vec2, WidgetText};

use crate::app::command::{Action, Command};
use crate::app::state::{AppState, Tab, TabId, TabKind};
use crate::app::tabs::{CloseScope, TabCommand};
use crate::model::Method;

use super::modals::{Look, Question, question_ui};
use super::{Named, theme};

/// A tab never gets narrower than this while its title is longer (the badge and ~10 letters).
pub const TAB_MIN_WIDTH: f32 = 180.0;
/// Nor wider than this (a longer name is elided).
pub const TAB_MAX_WIDTH: f32 = 240.0;
/// Space between two tabs.
const TAB_GAP: f32 = 2.0;
/// Inner space at a tab's ends and between its parts.
const TAB_PAD: f32 = 8.0;
const PART_GAP: f32 = 5.0;
/// How much of the strip ◀ and ▶ scroll.
const SCROLL_STEP: f32 = 0.75;

/// What a tab shows.
struct TabView {
    id: TabId,
    method: Option<Method>,
    title: String,
    dirty: bool,
    preview: bool,
    active: bool,
}

impl TabView {
    /// The tab's accessible name (a draft is marked as it is drawn).
    fn label(&self) -> String {
        if self.dirty { format!("{} •", self.title) } else { self.title.clone() }
    }

    fn hover_text(&self) -> String {
        let mut text = match &self.method {
            Some(m) => format!("{m} {}", self.title),
            None => self.title.clone(),
        };
        if self.dirty {
            text.push_str("\nUnsaved changes");
        }
        if self.preview {
            text.push_str("\nPreview: the next request opened from the sidebar replaces it. Double-click to keep it open.");
        }
        text
    }
}

/// The strip's scroll position, kept between frames.
#[derive(Clone, Copy, Default)]
struct StripMemory {
    offset: f32,
    /// The active tab last frame: a new one is scrolled into view.
    last_active: Option<TabId>,
}

pub(super) fn tab_title(state: &AppState, tab: &Tab) -> (Option<Method>, String, bool) {
    let ws = state.library.workspaces.get(&tab.workspace);
    match &tab.kind {
        TabKind::Request(r) => (Some(r.draft.badge()), r.draft.name.clone(), r.dirty),
        TabKind::Environment(id) => (
            None,
            ws.and_then(|w| w.environments.get(id)).map_or("Environment".into(), |e| format!("⚙ {}", e.name)),
            false,
        ),
        TabKind::Globals => (None, "⚙ Globals".into(), false),
        TabKind::Preset(id) => (
            None,
            ws.and_then(|w| w.header_presets.get(id)).map_or("Preset".into(), |p| format!("☰ {}", p.name)),
            false,
        ),
        TabKind::Settings => (None, "⚙ Settings".into(), false),
        TabKind::Policy => (None, "🔒 Policy".into(), false),
        TabKind::Runner(r) => (
            None,
            ws.and_then(|w| w.parent_name(r.target)).map_or("Runner".into(), |n| format!("Runner: {n}")),
            false,
        ),
        TabKind::Container(p) => (
            None,
            ws.and_then(|w| w.parent_name(*p)).map_or("Collection".into(), |n| format!("🗀 {n}")),
            false,
        ),
        TabKind::Example(x) => (None, format!("e.g. {}", x.saved.name), x.dirty),
    }
}

/// The tabs of the current workspace, in strip order.
fn tab_views(state: &AppState) -> Vec<TabView> {
    state
        .tabs
        .iter()
        .filter(|t| Some(t.workspace) == state.workspace)
        .map(|t| {
            let (method, title, dirty) = tab_title(state, t);
            TabView {
                id: t.id,
                method,
                title,
                dirty,
                preview: state.preview_tab == Some(t.id),
                active: state.active_tab == Some(t.id),
            }
        })
        .collect()
}

/// The badge and title of a tab, laid out; `title_width` elides the title.
struct TabText {
    badge: Option<std::sync::Arc<egui::Galley>>,
    title: std::sync::Arc<egui::Galley>,
}

fn badge_text(ui: &Ui, method: &Method) -> RichText {
    RichText::new(method.as_str()).small().strong().color(theme::method_color(method, ui.visuals()))
}

fn title_text(view: &TabView) -> RichText {
    let text = RichText::new(&view.title);
    if view.preview { text.italics() } else { text }
}

fn lay_out(ui: &Ui, view: &TabView, title_width: f32) -> TabText {
    let badge = view.method.as_ref().map(|m| {
        WidgetText::from(badge_text(ui, m)).into_galley(
            ui,
            Some(TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Button,
        )
    });
    let title = WidgetText::from(title_text(view)).into_galley(
        ui,
        Some(TextWrapMode::Truncate),
        title_width,
        egui::TextStyle::Button,
    );
    TabText { badge, title }
}

/// The close button's side, and the draft mark's.
fn close_size(ui: &Ui) -> f32 {
    ui.spacing().interact_size.y - 4.0
}

/// Everything of a tab but its title: padding, badge, draft mark, close button.
fn chrome_width(ui: &Ui, view: &TabView, text: &TabText) -> f32 {
    let badge = text.badge.as_ref().map_or(0.0, |b| b.size().x + PART_GAP);
    let dirty = if view.dirty { 8.0 + PART_GAP } else { 0.0 };
    TAB_PAD + badge + PART_GAP + dirty + close_size(ui) + TAB_PAD * 0.5
}

/// Each tab's width: its natural width up to [`TAB_MAX_WIDTH`], all shrunk alike to fit
/// `room` but none below [`TAB_MIN_WIDTH`] (unless its text is shorter). Returns the widths and
/// whether they overflow `room`.
fn fit_widths(natural: &[f32], room: f32) -> (Vec<f32>, bool) {
    let total = |cap: f32| -> f32 {
        natural.iter().map(|w| w.min(cap)).sum::<f32>() + TAB_GAP * natural.len().saturating_sub(1) as f32
    };
    let cap = if total(TAB_MAX_WIDTH) <= room {
        TAB_MAX_WIDTH
    } else if total(TAB_MIN_WIDTH) > room {
        TAB_MIN_WIDTH
    } else {
        let (mut lo, mut hi) = (TAB_MIN_WIDTH, TAB_MAX_WIDTH);
        for _ in 0..24 {
            let mid = (lo + hi) / 2.0;
            if total(mid) <= room { lo = mid } else { hi = mid }
        }
        lo
    };
    (natural.iter().map(|w| w.min(cap)).collect(), total(cap) > room + 0.5)
}

/// The strip: tabs, then (when they overflow) ◀ ▶ and the ⏷ list, then +.
pub(super) fn tabs_bar_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    let views = tab_views(state);
    let height = ui.spacing().interact_size.y + 6.0;
    let button = Vec2::splat(height);
    let spacing = ui.spacing().item_spacing.x;
    let natural: Vec<f32> = views
        .iter()
        .map(|v| {
            let text = lay_out(ui, v, f32::INFINITY);
            chrome_width(ui, v, &text) + text.title.size().x
        })
        .collect();
    let room = ui.available_width() - button.x - spacing;
    let (mut widths, mut overflow) = fit_widths(&natural, room);
    let strip_width = if overflow {
        let room = room - 3.0 * (button.x + spacing);
        (widths, overflow) = fit_widths(&natural, room);
        room
    } else {
        widths.iter().sum::<f32>() + TAB_GAP * widths.len().saturating_sub(1) as f32
    };
    let content_width = widths.iter().sum::<f32>() + TAB_GAP * widths.len().saturating_sub(1) as f32;
    let memory_id = ui.scope_id().with("tab-strip");
    let mut memory: StripMemory = ui.data(|d| d.get_temp(memory_id)).unwrap_or_default();
    let max_offset = (content_width - strip_width).max(0.0);
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = spacing;
        if overflow {
            let left = ui.add_enabled(memory.offset > 0.5, egui::Button::new("◀").min_size(button));
            if left.named("Scroll tabs left").on_hover_text("Scroll the tabs left").clicked() {
                memory.offset -= strip_width * SCROLL_STEP;
            }
        }
        let (strip_rect, _) =
            ui.allocate_exact_size(egui::vec2(strip_width.max(0.0), height), Sense::hover());
        let active_span = active_span(&views, &widths);
        memory = scroll_strip(ui, strip_rect, memory, active_span, max_offset);
        let shown_offset = ui.ctx().animate_value_with_time(memory_id.with("shown"), memory.offset, 0.12);
        strip_ui(ui, strip_rect, shown_offset, &views, &widths, out);
        if overflow {
            let right =
                ui.add_enabled(memory.offset < max_offset - 0.5, egui::Button::new("▶").min_size(button));
            if right.named("Scroll tabs right").on_hover_text("Scroll the tabs right").clicked() {
                memory.offset += strip_width * SCROLL_STEP;
            }
            let list = ui.add(egui::Button::new("⏷").min_size(button)).named("All open tabs");
            let list = list.on_hover_text(format!("All open tabs ({})", views.len()));
            let reveal_id = memory_id.with("reveal-active");
            if list.clicked() {
                ui.data_mut(|d| d.insert_temp(reveal_id, true));
            }
            egui::Popup::menu(&list).show(|ui| {
                let reveal = ui.data_mut(|d| d.remove_temp::<bool>(reveal_id)).unwrap_or(false);
                open_tabs_list_ui(ui, &views, reveal, out);
            });
        }
        if ui
            .add(egui::Button::new("+").min_size(button))
            .on_hover_text(Action::NewRequest.with_shortcut(ui.ctx()))
            .clicked()
        {
            out.push(Command::Action(Action::NewRequest));
        }
    });
    memory.offset = memory.offset.clamp(0.0, max_offset);
    ui.data_mut(|d| d.insert_temp(memory_id, memory));
}

/// Where the active tab is in the strip's content: (its left, its right, its id).
fn active_span(views: &[TabView], widths: &[f32]) -> Option<(f32, f32, TabId)> {
    let mut x = 0.0;
    for (view, w) in views.iter().zip(widths) {
        if view.active {
            return Some((x, x + w, view.id));
        }
        x += w + TAB_GAP;
    }
    None
}

/// The wheel over the strip scrolls it (either axis, no Shift needed); a newly active tab is
/// brought into view.
fn scroll_strip(
    ui: &Ui,
    strip: Rect,
    mut memory: StripMemory,
    active: Option<(f32, f32, TabId)>,
    max_offset: f32,
) -> StripMemory {
    if ui.rect_contains_pointer(strip) {
        let delta = ui.input(|i| i.smooth_scroll_delta);
        if delta != Vec2::ZERO {
            memory.offset -= delta.x + delta.y;
            ui.ctx().input_mut(|i| i.smooth_scroll_delta = Vec2::ZERO);
        }
    }
    let active_id = active.map(|(_, _, id)| id);
    if memory.last_active != active_id {
        if let Some((left, right, _)) = active {
            let margin = 24.0_f32.min(strip.width() / 4.0);
            if left < memory.offset + margin {
                memory.offset = left - margin;
            } else if right > memory.offset + strip.width() - margin {
                memory.offset = right - strip.width() + margin;
            }
        }
        memory.last_active = active_id;
    }
    memory.offset = memory.offset.clamp(0.0, max_offset);
    memory
}

/// The tabs themselves, shifted left by `offset` and clipped to `strip`.
fn strip_ui(
    ui: &mut Ui,
    strip: Rect,
    offset: f32,
    views: &[TabView],
    widths: &[f32],
    out: &mut Vec<Command>,
) {
    let mut child = ui.new_child(
        egui::UiBuilder::new().max_rect(strip).layout(egui::Layout::left_to_right(egui::Align::Center)),
    );
    child.set_clip_rect(strip.intersect(ui.clip_rect()));
    let mut x = strip.left() - offset;
    for (view, width) in views.iter().zip(widths) {
        let rect = Rect::from_min_size(egui::pos2(x, strip.top()), egui::vec2(*width, strip.height()));
        x += width + TAB_GAP;
        // Tabs scrolled out of sight are still reachable (list, screen readers), not drawn.
        tab_ui(&mut child, rect, view, views, out);
    }
}

/// One tab: click selects, double-click keeps a preview, middle-click closes, right-click
/// offers the closes.
fn tab_ui(ui: &mut Ui, rect: Rect, view: &TabView, views: &[TabView], out: &mut Vec<Command>) {
    let response = ui.interact(rect, ui.scope_id().with(("tab", view.id.0)), Sense::click());
    let label = view.label();
    response.widget_info(|| egui::WidgetInfo::selected(Role::Tab, true, view.active, &label));
    let visuals = ui.visuals().clone();
    let fill = if view.active {
        visuals.selection.bg_fill.gamma_multiply(0.35)
    } else if response.hovered() {
        visuals.widgets.hovered.weak_bg_fill
    } else {
        visuals.faint_bg_color
    };
    let painter = ui.painter().clone();
    painter.rect_filled(rect, 4.0, fill);
    if view.active {
        let line =
            Rect::from_min_max(egui::pos2(rect.left() + 2.0, rect.bottom() - 2.0), rect.right_bottom());
        painter.rect_filled(line.shrink2(egui::vec2(2.0, 0.0)), 1.0, visuals.selection.bg_fill);
    }
    let probe = lay_out(ui, view, f32::INFINITY);
    let title_width = (rect.width() - chrome_width(ui, view, &probe)).max(8.0);
    let text = lay_out(ui, view, title_width);
    let mut x = rect.left() + TAB_PAD;
    if let Some(badge) = &text.badge {
        painter.galley(
            egui::pos2(x, rect.center().y - badge.size().y / 2.0),
            badge.clone(),
            visuals.text_color(),
        );
        x += badge.size().x + PART_GAP;
    }
    let color = if view.active { visuals.strong_text_color() } else { visuals.text_color() };
    painter.galley(egui::pos2(x, rect.center().y - text.title.size().y / 2.0), text.title.clone(), color);
    let close = close_size(ui);
    let close_rect = Rect::from_center_size(
        egui::pos2(rect.right() - TAB_PAD * 0.5 - close / 2.0, rect.center().y),
        Vec2::splat(close),
    );
    if view.dirty {
        let at = egui::pos2(close_rect.left() - PART_GAP - 4.0, rect.center().y);
        painter.circle_filled(at, 3.5, visuals.warn_fg_color);
    }
    let response = response.on_hover_text(view.hover_text());
    if response.clicked() {
        out.push(Command::SelectTab(view.id));
    }
    if response.double_clicked() && view.preview {
        out.push(Command::Tabs(TabCommand::Keep(view.id)));
    }
    if response.middle_clicked() {
        out.push(Command::CloseTab(view.id));
    }
    response.context_menu(|ui| tab_menu_ui(ui, view, views, out));
    let close_button = ui.put(close_rect, egui::Button::new(RichText::new("✖").small()).frame(false));
    // Named after its tab: a screen reader (or a test) tells one ✖ from the next.
    let close_button = close_button.named(&format!("Close {}", view.title));
    if close_button.on_hover_text(Action::CloseTab.with_shortcut(ui.ctx())).clicked() {
        out.push(Command::CloseTab(view.id));
    }
}

/// A tab's context menu.
fn tab_menu_ui(ui: &mut Ui, view: &TabView, views: &[TabView], out: &mut Vec<Command>) {
    let tab = view.id;
    let at = views.iter().position(|v| v.id == tab).unwrap_or(0);
    let mut item = |ui: &mut Ui, enabled: bool, label: &str, command: Command| {
        if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
            out.push(command);
            ui.close();
        }
    };
    if view.preview {
        item(ui, true, "Keep open", Command::Tabs(TabCommand::Keep(tab)));
        ui.separator();
    }
    item(ui, true, "Close", Command::CloseTab(tab));
    let close = |scope| Command::Tabs(TabCommand::Close { tab, scope });
    item(ui, views.len() > 1, "Close others", close(CloseScope::Others));
    item(ui, at + 1 < views.len(), "Close to the right", close(CloseScope::ToTheRight));
    item(ui, true, "Close all", close(CloseScope::All));
}

/// The ⏷ list: every open tab of the workspace, the active one selected (and scrolled to when
/// `reveal`), drafts marked.
fn open_tabs_list_ui(ui: &mut Ui, views: &[TabView], reveal: bool, out: &mut Vec<Command>) {
    ui.set_min_width(260.0);
    ui.label(RichText::new(format!("{} open tabs", views.len())).weak().small());
    let max_height = (ui.ctx().content_rect().height() - 160.0).max(200.0);
    egui::ScrollArea::vertical().max_height(max_height).min_scrolled_height(max_height).show(ui, |ui| {
        ui.spacing_mut().item_spacing.y = 1.0;
        for view in views {
            let mut job = egui::text::LayoutJob::default();
            if let Some(m) = &view.method {
                badge_text(ui, m).append_to(
                    &mut job,
                    ui.style(),
                    egui::FontSelection::Default,
                    egui::Align::Center,
                );
                job.append("  ", 0.0, egui::TextFormat::default());
            }
            title_text(view).append_to(
                &mut job,
                ui.style(),
                egui::FontSelection::Default,
                egui::Align::Center,
            );
            if view.dirty {
                RichText::new("  •").color(ui.visuals().warn_fg_color).append_to(
                    &mut job,
                    ui.style(),
                    egui::FontSelection::Default,
                    egui::Align::Center,
                );
            }
            let entry = ui.add(egui::Button::selectable(view.active, job).truncate());
            let entry = entry.named(&format!("Open tab {}", view.label())).on_hover_text(view.hover_text());
            if reveal && view.active {
                entry.scroll_to_me(Some(egui::Align::Center));
            }
            if entry.clicked() {
                out.push(Command::SelectTab(view.id));
                ui.close();
            }
        }
    });
}

/// Closing several tabs that hold drafts: save them all, drop them all, or keep them open.
pub(super) fn unsaved_tabs_ui(
    ctx: &egui::Context,
    tabs: &[TabId],
    names: &[String],
    out: &mut Vec<Command>,
) -> egui::ModalResponse<()> {
    let list: Vec<String> = names.iter().map(|n| format!("  • {n}")).collect();
    let message = format!(
        "{} tabs have changes that are not saved:\n{}\nSave them before closing?",
        tabs.len(),
        list.join("\n")
    );
    let answers = vec![
        ("Save all", Look::Strong, Command::Tabs(TabCommand::SaveAllThenClose(tabs.to_vec()))),
        ("Don't save", Look::Plain, Command::Tabs(TabCommand::DiscardAllThenClose(tabs.to_vec()))),
    ];
    let question = Question {
        id: "unsaved-tabs",
        max_width: 460.0,
        title: "Unsaved changes",
        message: &message,
        answers,
    };
    question_ui(ctx, question, out)
}
