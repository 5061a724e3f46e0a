//! History in the sidebar: every send, newest first, under day headings (Today, Yesterday, then
//! dates), each with its method, URL, status and time, searchable by URL, method, status (`404`,
//! `5xx`) and time (`14:0`, `2026-11-20`, `yesterday`). The search text is built when the history
//! changes and the list filtered when the query changes, never per frame; only the rows in view
//! are drawn, so thousands of entries scroll as smoothly as ten.

use std::sync::Arc;

use egui::{RichText, Ui};
use time::Date;

use super::super::{Named, local_time, theme};
use crate::app::command::Command;
use crate::app::state::AppState;
use crate::model::*;

/// What the list was computed from: the history changes only by a send (prepended), a reload or
/// a clear, each of which moves one of these; the day moves "Today".
#[derive(Clone, PartialEq)]
struct HistoryKey {
    ws: Option<WorkspaceId>,
    len: usize,
    first: Option<HistoryId>,
    last: Option<HistoryId>,
    today: Date,
}

impl HistoryKey {
    fn of(state: &AppState, today: Date) -> Self {
        let history = &state.history;
        Self {
            ws: state.workspace,
            len: history.len(),
            first: history.first().map(|e| e.id),
            last: history.last().map(|e| e.id),
            today,
        }
    }
}

/// An entry as searched and shown, computed once per history change.
struct Indexed {
    day: Date,
    /// "14:03" on the local clock.
    time: String,
    /// Method, URL, name, status, error, time and day, lowercased: what a search word is looked
    /// for in.
    text: String,
    status: Option<u16>,
}

fn index(history: &[HistoryEntry], today: Date) -> Vec<Indexed> {
    history
        .iter()
        .map(|entry| {
            let at = local_time::local(entry.at);
            let day = at.date();
            let time = local_time::hour_minute(entry.at);
            let status = entry.response.as_ref().map(|r| r.status);
            let outcome = match (&entry.response, &entry.error) {
                (Some(r), _) => format!("{} {}", r.status, r.reason),
                (None, Some(e)) => format!("error {e}"),
                (None, None) => String::new(),
            };
            let text = format!(
                "{}\n{}\n{}\n{outcome}\n{time}\n{day}\n{}",
                entry.request.method,
                entry.request.url,
                entry.name,
                local_time::day_label(day, today)
            )
            .to_lowercase();
            Indexed { day, time, text, status }
        })
        .collect()
}

/// One word of a search; an entry matches when it matches every word.
#[derive(Debug, PartialEq)]
enum Term {
    /// `4xx`: a status class.
    StatusClass(u16),
    /// Anything else: found in the method, URL, name, status, time or day.
    Text(String),
}

fn terms(query: &str) -> Vec<Term> {
    query
        .split_whitespace()
        .map(|word| {
            let word = word.to_lowercase();
            let mut chars = word.chars();
            match (chars.next(), chars.as_str()) {
                (Some(d @ '1'..='5'), "xx") => Term::StatusClass(u16::from(d as u8 - b'0')),
                _ => Term::Text(word),
            }
        })
        .collect()
}

fn matches(entry: &Indexed, terms: &[Term]) -> bool {
    terms.iter().all(|term| match term {
        Term::StatusClass(class) => entry.status.is_some_and(|s| s / 100 == *class),
        Term::Text(word) => entry.text.contains(word.as_str()),
    })
}

/// One line of the list.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Line {
    /// A day's heading, with how many of the entries listed are of that day.
    Day(Date, usize),
    /// An entry: its place in the history.
    Entry(usize),
}

/// The lines for a search: the matching entries, newest first, under their days.
fn lines(index: &[Indexed], terms: &[Term]) -> (Vec<Line>, usize) {
    let mut lines = Vec::new();
    let mut day_line = None;
    let mut found = 0;
    for (i, entry) in index.iter().enumerate().filter(|(_, e)| matches(e, terms)) {
        found += 1;
        match day_line {
            Some(at) if matches!(lines.get(at), Some(Line::Day(d, _)) if *d == entry.day) => {}
            _ => {
                day_line = Some(lines.len());
                lines.push(Line::Day(entry.day, 0));
            }
        }
        if let Some(Line::Day(_, n)) = day_line.and_then(|at| lines.get_mut(at)) {
            *n += 1;
        }
        lines.push(Line::Entry(i));
    }
    (lines, found)
}

/// The searched list, as last computed.
struct Listing {
    key: HistoryKey,
    query: String,
    index: Arc<Vec<Indexed>>,
    lines: Vec<Line>,
    found: usize,
}

/// The listing for the history and query now: the same one until either changes.
fn cached_listing(ui: &Ui, state: &AppState) -> Arc<Listing> {
    type Cached = Option<Arc<Listing>>;
    let id = egui::Id::unique("sidebar-history-listing");
    let key = HistoryKey::of(state, local_time::today());
    let query = state.sidebar.history_query.trim();
    let cached = ui.data(|d| d.get_temp::<Cached>(id)).flatten();
    if let Some(listing) = &cached
        && listing.key == key
        && listing.query == query
    {
        return listing.clone();
    }
    let index = match cached {
        Some(listing) if listing.key == key => listing.index.clone(),
        _ => Arc::new(index(&state.history, key.today)),
    };
    let (lines, found) = lines(&index, &terms(query));
    let listing = Arc::new(Listing { key, query: query.to_owned(), index, lines, found });
    ui.data_mut(|d| d.insert_temp::<Cached>(id, Some(listing.clone())));
    listing
}

pub(super) fn history_ui(ui: &mut Ui, state: &mut AppState, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let clear = egui::Button::new("Clear all");
        let clear_width = 70.0;
        ui.add(
            egui::TextEdit::singleline(&mut state.sidebar.history_query)
                .hint_text("🔍 URL, method, status (404, 5xx), time")
                .desired_width((ui.available_width() - clear_width).max(60.0)),
        )
        .named("Search history");
        if ui.add_enabled(!state.history.is_empty(), clear).clicked() {
            out.push(Command::ClearHistory);
        }
    });
    if state.history.is_empty() {
        ui.label(RichText::new("Requests you send appear here, grouped by day.").weak());
        return;
    }
    let listing = cached_listing(ui, state);
    let total = state.history.len();
    let count = match (listing.query.is_empty(), total) {
        (true, 1) => "1 request".to_owned(),
        (true, n) => format!("{n} requests"),
        (false, n) => format!("{} of {n} match", listing.found),
    };
    ui.label(RichText::new(count).weak().small());
    if listing.lines.is_empty() {
        ui.add_space(8.0);
        ui.label(RichText::new(format!("No request matches \u{201c}{}\u{201d}.", listing.query)).weak());
        return;
    }
    let row_height = ui.spacing().interact_size.y;
    let today = listing.key.today;
    egui::ScrollArea::vertical().id_salt("history").auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        listing.lines.len(),
        |ui, range| {
            for line in &listing.lines[range] {
                match *line {
                    Line::Day(day, n) => day_ui(ui, day, today, n),
                    Line::Entry(i) => {
                        if let (Some(entry), Some(indexed)) = (state.history.get(i), listing.index.get(i)) {
                            entry_ui(ui, entry, indexed, out);
                        }
                    }
                }
            }
        },
    );
}

fn day_ui(ui: &mut Ui, day: Date, today: Date, n: usize) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(local_time::day_label(day, today)).strong());
        ui.label(RichText::new(n.to_string()).weak().small());
    });
}

/// An entry's line: method, status, URL (a click reopens it) and the time on the right.
fn entry_ui(ui: &mut Ui, entry: &HistoryEntry, indexed: &Indexed, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let method = Method::parse(&entry.request.method);
        let color = theme::method_color(&method, ui.visuals());
        // Cut by characters: a custom method may be any Unicode.
        let short: String = method.as_str().chars().take(6).collect();
        ui.add_sized(
            [46.0, 16.0],
            egui::Label::new(RichText::new(short).small().strong().color(color).monospace()),
        );
        let status = match (&entry.response, &entry.error) {
            (Some(r), _) => {
                RichText::new(r.status.to_string()).color(theme::status_color(r.status, ui.visuals()))
            }
            (None, Some(_)) => RichText::new("error").color(theme::error_color(ui.visuals())),
            _ => RichText::new("—").weak(),
        };
        ui.add_sized([40.0, 16.0], egui::Label::new(status.small().monospace()));
        let time_width = 48.0;
        let url_width = (ui.available_width() - time_width).max(40.0);
        let r = ui
            .allocate_ui_with_layout(
                egui::vec2(url_width, ui.spacing().interact_size.y),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| ui.add(egui::Button::new(&entry.request.url).frame(false).truncate()),
            )
            .inner;
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(RichText::new(&indexed.time).weak().small().monospace());
        });
        let mut hover = format!("{}\n{} {}", local_time::format_time(entry.at), method, entry.request.url);
        if !entry.name.is_empty() {
            hover = format!("{}\n{hover}", entry.name);
        }
        if let Some(e) = &entry.error {
            hover.push_str(&format!("\n{e}"));
        }
        if r.on_hover_text(hover).clicked() {
            out.push(Command::OpenHistory(entry.id));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn entry(method: &str, url: &str, status: Option<u16>, at: time::OffsetDateTime) -> HistoryEntry {
        HistoryEntry {
            id: HistoryId::new(),
            at,
            request_id: None,
            name: String::new(),
            request: SentRequest { method: method.into(), url: url.into(), ..SentRequest::default() },
            written: None,
            written_incomplete: false,
            response: status.map(|status| ResponseRecord { status, ..ResponseRecord::default() }),
            error: status.is_none().then(|| "connection refused".to_owned()),
        }
    }

    fn found(history: &[HistoryEntry], query: &str) -> Vec<String> {
        let index = index(history, date!(2026 - 12 - 06));
        let (lines, _) = lines(&index, &terms(query));
        lines
            .iter()
            .filter_map(|l| match l {
                Line::Entry(i) => Some(history[*i].request.url.clone()),
                Line::Day(..) => None,
            })
            .collect()
    }

    fn sample() -> Vec<HistoryEntry> {
        vec![
            entry("GET", "http://api/users", Some(200), datetime!(2026-12-06 14:03 UTC)),
            entry("POST", "http://api/orders", Some(503), datetime!(2026-12-06 09:15 UTC)),
            entry("DELETE", "http://api/users/7", Some(404), datetime!(2026-12-05 23:59 UTC)),
            entry("GET", "http://down/", None, datetime!(2026-11-20 08:00 UTC)),
        ]
    }

    #[test]
    fn a_search_matches_url_method_status_and_time() {
        if local_time::offset() != time::UtcOffset::UTC {
            return; // the sample's days are UTC days
        }
        let h = sample();
        assert_eq!(found(&h, "users"), ["http://api/users", "http://api/users/7"]);
        assert_eq!(found(&h, "post"), ["http://api/orders"]);
        assert_eq!(found(&h, "404"), ["http://api/users/7"]);
        assert_eq!(found(&h, "5xx"), ["http://api/orders"]);
        assert_eq!(found(&h, "2XX"), ["http://api/users"]);
        assert_eq!(found(&h, "14:0"), ["http://api/users"]);
        assert_eq!(found(&h, "yesterday"), ["http://api/users/7"]);
        assert_eq!(found(&h, "2026-11-20"), ["http://down/"]);
        assert_eq!(found(&h, "error"), ["http://down/"]);
        assert_eq!(found(&h, "get users"), ["http://api/users"], "every word must match");
        assert!(found(&h, "nothing-like-this").is_empty());
        assert_eq!(found(&h, "").len(), 4);
    }

    #[test]
    fn entries_are_grouped_under_their_day_with_a_count() {
        if local_time::offset() != time::UtcOffset::UTC {
            return;
        }
        let h = sample();
        let index = index(&h, date!(2026 - 12 - 06));
        let (lines, found) = lines(&index, &[]);
        assert_eq!(found, 4);
        assert_eq!(
            lines,
            [
                Line::Day(date!(2026 - 12 - 06), 2),
                Line::Entry(0),
                Line::Entry(1),
                Line::Day(date!(2026 - 12 - 05), 1),
                Line::Entry(2),
                Line::Day(date!(2026 - 11 - 20), 1),
                Line::Entry(3),
            ]
        );
    }

    #[test]
    fn a_word_like_4xx_is_a_status_class_and_other_words_are_text() {
        assert_eq!(terms(" 4xx  GET "), [Term::StatusClass(4), Term::Text("get".into())]);
        assert_eq!(terms("6xx"), [Term::Text("6xx".into())]);
        assert_eq!(terms("ÄÄxx"), [Term::Text("ääxx".into())]);
    }

    #[test]
    fn ten_thousand_entries_are_indexed_and_searched() {
        let h: Vec<HistoryEntry> = (0..10_000)
            .map(|i| {
                let at = datetime!(2026-12-06 12:00 UTC) - time::Duration::minutes(i);
                entry("GET", &format!("http://api/items/{i}"), Some(200 + (i % 4) as u16 * 100), at)
            })
            .collect();
        let index = index(&h, date!(2026 - 12 - 06));
        let (_, found) = lines(&index, &terms("items/99 5xx"));
        assert_eq!(found, 29, "items/99, items/990..999, items/9900..9999 with a 5xx status");
    }
}
