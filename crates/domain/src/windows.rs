//! Maintenance windows: is one open, when does the next open, and can its
//! notice still be given in time.

use chrono::{DateTime, Datelike, Days, TimeDelta, Utc};
use serde::Serialize;

use crate::catalog::MaintenanceWindow;

/// One dated occurrence of a weekly window.
#[derive(Debug, Clone, Serialize)]
pub struct Occurrence<'w> {
    #[serde(rename = "window")]
    #[serde(serialize_with = "window_id")]
    pub window: &'w MaintenanceWindow,
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
}

// serde hands `serialize_with` a reference to the field, itself a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn window_id<S: serde::Serializer>(w: &&MaintenanceWindow, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&w.id)
}

impl Occurrence<'_> {
    /// The last moment the notice can be sent.
    pub fn notify_by(&self) -> DateTime<Utc> {
        self.opens - self.window.notice.to_chrono()
    }

    pub fn notice_met(&self, now: DateTime<Utc>) -> bool {
        now <= self.notify_by()
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.opens <= at && at < self.closes
    }
}

/// A window's length; an end at or before the start runs past midnight.
fn length(window: &MaintenanceWindow) -> TimeDelta {
    let raw = window.end - window.start;
    if raw <= TimeDelta::zero() {
        raw + TimeDelta::days(1)
    } else {
        raw
    }
}

/// The occurrence of `window` that opens on the day of `day`, if `day` is
/// the window's weekday.
fn on_day(window: &MaintenanceWindow, day: DateTime<Utc>) -> Option<Occurrence<'_>> {
    let date = day.date_naive();
    if date.weekday() != window.weekday {
        return None;
    }
    let opens = date.and_time(window.start).and_utc();
    Some(Occurrence {
        window,
        opens,
        closes: opens + length(window),
    })
}

/// Occurrences of all windows opening from the day before `from` onward,
/// in order of opening (preferred first on a tie). The day before is
/// included so a window that crossed midnight into `from` is seen.
fn occurrences(
    windows: &[MaintenanceWindow],
    from: DateTime<Utc>,
    days: u64,
) -> Vec<Occurrence<'_>> {
    let start = from - TimeDelta::days(1);
    let mut found: Vec<Occurrence<'_>> = (0..=days + 1)
        .filter_map(|offset| start.checked_add_days(Days::new(offset)))
        .flat_map(|day| windows.iter().filter_map(move |w| on_day(w, day)))
        .collect();
    found.sort_by_key(|o| (o.opens, o.window.rank));
    found
}

/// The window open at `at`, if any.
pub fn open_at(windows: &[MaintenanceWindow], at: DateTime<Utc>) -> Option<Occurrence<'_>> {
    occurrences(windows, at, 1)
        .into_iter()
        .find(|o| o.contains(at))
}

/// The next window to open strictly after `at`.
pub fn next_after(windows: &[MaintenanceWindow], at: DateTime<Utc>) -> Option<Occurrence<'_>> {
    occurrences(windows, at, 8)
        .into_iter()
        .find(|o| o.opens > at)
}

/// The first window still ahead whose notice can be given at `at`.
pub fn next_with_notice(
    windows: &[MaintenanceWindow],
    at: DateTime<Utc>,
) -> Option<Occurrence<'_>> {
    let longest = windows
        .iter()
        .map(|w| w.notice.as_secs() / 86_400 + 1)
        .max()
        .unwrap_or(0);
    occurrences(windows, at, 8 + longest)
        .into_iter()
        .find(|o| o.opens > at && o.notice_met(at))
}

/// Everything `runbook window` says about the windows at one instant.
#[derive(Debug, Clone, Serialize)]
pub struct WindowStatus<'w> {
    pub at: DateTime<Utc>,
    pub open: Option<Occurrence<'w>>,
    pub next: Option<Occurrence<'w>>,
    /// Whether the next window's notice can still be given on time.
    pub next_notice_met: Option<bool>,
    /// The first window whose notice can still be met, when the next one's
    /// cannot.
    pub next_with_notice: Option<Occurrence<'w>>,
}

pub fn status(windows: &[MaintenanceWindow], at: DateTime<Utc>) -> WindowStatus<'_> {
    let next = next_after(windows, at);
    let next_notice_met = next.as_ref().map(|o| o.notice_met(at));
    let fallback = match next_notice_met {
        Some(false) => next_with_notice(windows, at),
        _ => None,
    };
    WindowStatus {
        at,
        open: open_at(windows, at),
        next,
        next_notice_met,
        next_with_notice: fallback,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveTime, Weekday};

    use super::*;
    use crate::catalog::{Duration, Text};

    fn window(id: &str, weekday: Weekday, start: &str, end: &str, rank: u32) -> MaintenanceWindow {
        MaintenanceWindow {
            id: id.into(),
            title: Text::plain(id),
            rank,
            weekday,
            start: NaiveTime::parse_from_str(start, "%H:%M").unwrap(),
            end: NaiveTime::parse_from_str(end, "%H:%M").unwrap(),
            notice: Duration::from_hours(48),
            origin: crate::catalog::diagnostic::Origin::default(),
        }
    }

    fn seed_windows() -> Vec<MaintenanceWindow> {
        vec![
            window("preferred", Weekday::Sun, "02:00", "05:00", 1),
            window("secondary", Weekday::Wed, "02:00", "04:00", 2),
        ]
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn open_includes_the_start_and_excludes_the_end() {
        let windows = seed_windows();
        // 2026-11-29 is a Sunday.
        assert!(open_at(&windows, at("2026-11-29T01:59:59Z")).is_none());
        let open = open_at(&windows, at("2026-11-29T02:00:00Z")).unwrap();
        assert_eq!(open.window.id, "preferred");
        assert_eq!(open.closes, at("2026-11-29T05:00:00Z"));
        assert!(open_at(&windows, at("2026-11-29T04:59:59Z")).is_some());
        assert!(open_at(&windows, at("2026-11-29T05:00:00Z")).is_none());
    }

    #[test]
    fn a_window_crossing_midnight_is_open_on_both_days() {
        let windows = vec![window("night", Weekday::Sat, "23:00", "01:00", 1)];
        // 2026-11-28 is a Saturday.
        let late = open_at(&windows, at("2026-11-28T23:30:00Z")).unwrap();
        assert_eq!(late.closes, at("2026-11-29T01:00:00Z"));
        let early = open_at(&windows, at("2026-11-29T00:59:00Z")).unwrap();
        assert_eq!(early.opens, at("2026-11-28T23:00:00Z"));
        assert!(open_at(&windows, at("2026-11-29T01:00:00Z")).is_none());
        assert!(open_at(&windows, at("2026-11-28T22:59:59Z")).is_none());
    }

    #[test]
    fn next_is_strictly_after_and_wraps_the_week() {
        let windows = seed_windows();
        // Tuesday 2026-11-24: next is Wednesday 25th.
        let next = next_after(&windows, at("2026-11-24T00:15:00Z")).unwrap();
        assert_eq!(next.window.id, "secondary");
        assert_eq!(next.opens, at("2026-11-25T02:00:00Z"));
        // At the very opening of Sunday's, the next is the Wednesday after.
        let next = next_after(&windows, at("2026-11-29T02:00:00Z")).unwrap();
        assert_eq!(next.opens, at("2026-12-02T02:00:00Z"));
        // Only one weekly window: the next one is a week on.
        let one = vec![window("only", Weekday::Sun, "02:00", "05:00", 1)];
        let next = next_after(&one, at("2026-11-29T02:00:01Z")).unwrap();
        assert_eq!(next.opens, at("2026-12-06T02:00:00Z"));
    }

    #[test]
    fn notice_is_met_up_to_and_including_the_deadline() {
        let windows = seed_windows();
        let next = next_after(&windows, at("2026-11-27T02:00:00Z")).unwrap();
        assert_eq!(next.window.id, "preferred");
        assert_eq!(next.notify_by(), at("2026-11-27T02:00:00Z"));
        assert!(next.notice_met(at("2026-11-27T02:00:00Z")));
        assert!(!next.notice_met(at("2026-11-27T02:00:01Z")));
    }

    #[test]
    fn when_notice_is_missed_the_first_feasible_window_is_offered() {
        let windows = seed_windows();
        let now = at("2026-11-24T00:15:00Z");
        let report = status(&windows, now);
        assert!(report.open.is_none());
        assert_eq!(report.next_notice_met, Some(false));
        let feasible = report.next_with_notice.unwrap();
        assert_eq!(feasible.window.id, "preferred");
        assert_eq!(feasible.opens, at("2026-11-29T02:00:00Z"));
        assert!(feasible.notify_by() >= now);
    }

    #[test]
    fn no_windows_means_no_answers() {
        let report = status(&[], at("2026-11-24T00:00:00Z"));
        assert!(report.open.is_none() && report.next.is_none());
        assert!(report.next_notice_met.is_none());
    }
}
