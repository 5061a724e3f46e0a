//! Times as the user's clock shows them. Records keep UTC; the list shows local hours and days.
//! The offset is read once, first thing in `main`, while the process has one thread: the `time`
//! crate reads the system's zone only then. Anywhere else (tests) it is UTC.

use std::sync::OnceLock;

use time::{Date, OffsetDateTime, UtcOffset};

static OFFSET: OnceLock<UtcOffset> = OnceLock::new();

/// Reads the local offset; call before any thread starts.
pub fn capture_offset() {
    let _ = offset();
}

/// The local offset read at start-up (UTC when it could not be read).
pub fn offset() -> UtcOffset {
    *OFFSET.get_or_init(|| UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC))
}

/// `at` on the local clock (as recorded, when a file's date is at the edge of the calendar).
pub fn local(at: OffsetDateTime) -> OffsetDateTime {
    at.checked_to_offset(offset()).unwrap_or(at)
}

/// Today's date on the local clock.
pub fn today() -> Date {
    local(OffsetDateTime::now_utc()).date()
}

/// "14:03" on the local clock.
pub fn hour_minute(at: OffsetDateTime) -> String {
    let at = local(at);
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// "14:03:22" today, else "2026-11-20 14:03", on the local clock.
pub fn format_time(at: OffsetDateTime) -> String {
    let at = local(at);
    if at.date() == today() {
        format!("{:02}:{:02}:{:02}", at.hour(), at.minute(), at.second())
    } else {
        format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())
    }
}

/// A day's heading: "Today", "Yesterday", else "Fri, 20 Nov 2026".
pub fn day_label(day: Date, today: Date) -> String {
    if day == today {
        return "Today".to_owned();
    }
    if today.previous_day() == Some(day) {
        return "Yesterday".to_owned();
    }
    let weekday: String = day.weekday().to_string().chars().take(3).collect();
    let month: String = day.month().to_string().chars().take(3).collect();
    format!("{weekday}, {} {month} {}", day.day(), day.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn days_are_today_yesterday_then_dates() {
        let today = date!(2026 - 12 - 06);
        assert_eq!(day_label(today, today), "Today");
        assert_eq!(day_label(date!(2026 - 12 - 05), today), "Yesterday");
        assert_eq!(day_label(date!(2026 - 11 - 20), today), "Fri, 20 Nov 2026");
        assert_eq!(day_label(date!(2025 - 12 - 31), date!(2026 - 01 - 01)), "Yesterday");
    }

    #[test]
    fn a_date_at_the_calendar_s_edge_is_shown_as_recorded_not_a_panic() {
        let at = datetime!(9999 - 12 - 31 23:59 -12:00);
        if offset() == UtcOffset::UTC {
            assert_eq!(local(at), at, "10000-01-01 in UTC is past the calendar: kept as recorded");
        }
        let _ = hour_minute(at);
        let _ = format_time(datetime!(-9999 - 01 - 01 00:00 +12:00));
    }
}
