//! When a recurring procedure is due: an anchor (a time of day, a day of
//! the week, month or quarter, or a cron expression) in a time zone, and a
//! grace period after it before the duty is overdue, and when the team
//! started owing it (`since`).
//!
//! Every anchor is turned into one cron expression, evaluated by `croner`
//! in the schedule's zone, so month ends, leap years and clocks that jump
//! for daylight saving are handled in one place.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;
use serde::Serialize;

use super::duration::Duration;
use super::reader::{Reader, Table, Value};
use toml::de::DeValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recurrence {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Recurrence {
    pub const NAMES: [&'static str; 5] = ["daily", "weekly", "monthly", "quarterly", "yearly"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

#[derive(Debug, Clone)]
pub struct Schedule {
    /// As written, or as derived from the anchor: what `runbook due` shows.
    pub cron: String,
    pub zone: Tz,
    pub grace: Duration,
    /// Nothing is owed for a period that began before this.
    pub since: Option<Since>,
    parsed: Cron,
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.cron == other.cron
            && self.zone == other.zone
            && self.grace == other.grace
            && self.since == other.since
    }
}

/// When a team started owing a duty: a day (its midnight in the
/// schedule's zone) or an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

impl Since {
    /// The instant it names, a day read in `zone`.
    pub fn instant(self, zone: Tz) -> DateTime<Utc> {
        match self {
            Since::Instant(at) => at,
            Since::Day(day) => {
                let midnight = day.and_time(NaiveTime::MIN);
                zone.from_local_datetime(&midnight)
                    .earliest()
                    // A midnight that a clock change skipped: an hour on.
                    .or_else(|| {
                        zone.from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                            .earliest()
                    })
                    .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
            }
        }
    }
}

impl FromStr for Since {
    type Err = String;

    /// `2026-12-07`, or `2026-12-07T09:00:00Z` (an offset is required
    /// with a time of day, so that it names one instant).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Since::Day(day));
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Ok(Since::Instant(at.with_timezone(&Utc)));
        }
        if NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").is_ok() {
            return Err(format!(
                "`{text}` has no offset: write a day (`2026-12-07`) or an instant with its offset (`{text}Z`)"
            ));
        }
        Err(format!(
            "`{text}` is not a date: write a day (`2026-12-07`) or an instant (`2026-12-07T09:00:00Z`)"
        ))
    }
}

impl std::fmt::Display for Since {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Since::Day(day) => write!(f, "{day}"),
            Since::Instant(at) => write!(
                f,
                "{}",
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
        }
    }
}

impl Serialize for Schedule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Schedule", 4)?;
        s.serialize_field("cron", &self.cron)?;
        s.serialize_field("zone", self.zone.name())?;
        s.serialize_field("grace", &self.grace)?;
        s.serialize_field("since", &self.since.map(|since| since.to_string()))?;
        s.end()
    }
}

impl Schedule {
    pub fn new(cron: &str, zone: Tz, grace: Duration) -> Result<Self, String> {
        let parsed = parse_cron(cron)?;
        Ok(Schedule {
            cron: cron.to_owned(),
            zone,
            grace,
            since: None,
            parsed,
        })
    }

    /// The first due time the team owes, for a journal whose first entry
    /// is `began` (`None`: nothing recorded yet, so not before `now`): the
    /// first one after the later of that and `since`.
    pub fn first_owed(
        &self,
        began: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let began = began.unwrap_or(now);
        let start = self
            .since
            .map_or(began, |since| since.instant(self.zone).max(began));
        self.due_after(start)
    }

    /// What a bare `recurrence` means: the runbook's habits, in UTC.
    pub fn default_for(recurrence: Recurrence) -> Self {
        let cron = match recurrence {
            Recurrence::Daily => "0 9 * * *",
            Recurrence::Weekly => "0 9 * * 1",
            Recurrence::Monthly => "0 9 1 * *",
            Recurrence::Quarterly => "0 9 1 1,4,7,10 *",
            Recurrence::Yearly => "0 9 1 1 *",
        };
        // The expressions above are fixed and valid.
        Schedule::new(cron, Tz::UTC, default_grace(recurrence))
            .unwrap_or_else(|_| unreachable_schedule())
    }

    /// The latest due time at or before `at`.
    pub fn due_at_or_before(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = at.with_timezone(&self.zone);
        self.parsed
            .find_previous_occurrence(&local, true)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The first due time after `at`.
    pub fn due_after(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = at.with_timezone(&self.zone);
        self.parsed
            .find_next_occurrence(&local, false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// How late a bare `recurrence`'s duty may be done.
fn default_grace(recurrence: Recurrence) -> Duration {
    match recurrence {
        Recurrence::Daily => Duration::from_hours(3),
        Recurrence::Weekly => Duration::from_hours(24),
        Recurrence::Monthly => Duration::from_hours(5 * 24),
        Recurrence::Quarterly => Duration::from_hours(10 * 24),
        Recurrence::Yearly => Duration::from_hours(30 * 24),
    }
}

/// A cron expression parsed once per process: croner sets a bit for each
/// of the 10,000 years a `*` allows, which every start would pay again
/// for each procedure sharing an expression.
fn parse_cron(cron: &str) -> Result<Cron, String> {
    static PARSED: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, Cron>>> =
        std::sync::LazyLock::new(Default::default);
    let mut parsed = PARSED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = parsed.get(cron) {
        return Ok(known.clone());
    }
    let fresh = Cron::from_str(cron).map_err(|e| e.to_string())?;
    parsed.insert(cron.to_owned(), fresh.clone());
    Ok(fresh)
}

#[allow(clippy::panic)]
fn unreachable_schedule() -> Schedule {
    panic!("a default schedule failed to parse")
}

const KEYS: [&str; 8] = [
    "at", "zone", "day", "weekday", "month", "cron", "grace", "since",
];

/// Reads `schedule = { … }` for a procedure of `recurrence`; reports every
/// mistake at its place.
pub fn read(
    reader: &mut Reader,
    value: Value<'_, '_>,
    recurrence: Option<Recurrence>,
) -> Option<Schedule> {
    let table = reader.table(value, "a schedule", &KEYS)?;
    let zone = zone(reader, table)?;
    let since = match table.get("since") {
        Some(value) => Some(since(reader, value, SINCE_HELP)?),
        None => None,
    };
    let mut schedule = read_anchor(reader, table, zone, recurrence)?;
    schedule.since = since;
    Some(schedule)
}

const SINCE_HELP: &str =
    "the day the team started using runbook: nothing is owed for periods before it";

/// `since = 2026-12-07` (a TOML date) or `"2026-12-07"`, or an instant.
pub(super) fn since(reader: &mut Reader, value: Value<'_, '_>, help: &str) -> Option<Since> {
    let text = match value.get_ref() {
        DeValue::Datetime(at) => at.to_string(),
        DeValue::String(text) => text.to_string(),
        _ => {
            reader.wrong_type(value, "a date, such as `2026-12-07`");
            return None;
        }
    };
    match text.parse() {
        Ok(since) => Some(since),
        Err(why) => {
            reader.error_help("bad-value", value.span(), why, help);
            None
        }
    }
}

fn read_anchor(
    reader: &mut Reader,
    table: Table<'_, '_>,
    zone: Tz,
    recurrence: Option<Recurrence>,
) -> Option<Schedule> {
    let grace = reader.opt_duration(table, "grace");
    let grace = grace
        .or(recurrence.map(default_grace))
        .unwrap_or(Duration::from_hours(1));
    if let Some(cron) = reader.opt_string(table, "cron") {
        for key in ["at", "day", "weekday", "month"] {
            if let Some(v) = table.get(key) {
                reader.error_help(
                    "bad-value",
                    v.span(),
                    format!("`{key}` is not allowed here"),
                    "a `cron` expression says everything: leave out at, day, weekday and month",
                );
            }
        }
        return match Schedule::new(cron.get_ref(), zone, grace) {
            Ok(schedule) => Some(schedule),
            Err(why) => {
                reader.error_help(
                    "bad-value",
                    cron.span(),
                    format!("`{}` is not a cron expression", cron.get_ref()),
                    format!("{why}; five fields: minute hour day-of-month month day-of-week"),
                );
                None
            }
        };
    }
    let Some(recurrence) = recurrence else {
        reader.error_help(
            "missing-key",
            table.span(),
            "a schedule without `cron` needs the procedure's `recurrence`",
            "add `recurrence = \"daily\"` (or weekly, monthly, quarterly, yearly), or give `cron`",
        );
        return None;
    };
    let fits = |key: &str| match key {
        "weekday" => recurrence == Recurrence::Weekly,
        "day" => matches!(
            recurrence,
            Recurrence::Monthly | Recurrence::Quarterly | Recurrence::Yearly
        ),
        "month" => recurrence == Recurrence::Yearly,
        _ => true,
    };
    for key in ["weekday", "day", "month"] {
        if let Some(v) = table.get(key).filter(|_| !fits(key)) {
            reader.error_help(
                "bad-value",
                v.span(),
                format!("`{key}` is not allowed here"),
                format!("a {} schedule has no `{key}`", recurrence.name()),
            );
        }
    }
    let at = match table.get("at") {
        Some(v) => reader.time(
            v,
            "write it as `HH:MM`, e.g. `09:00`, in the schedule's zone",
        )?,
        None => NaiveTime::from_hms_opt(9, 0, 0)?,
    };
    let day = match table.get("day") {
        Some(v) => day(reader, v)?,
        None => "1".to_owned(),
    };
    // Monday first in the catalog, Sunday as 0 in cron.
    let weekday = match table.get("weekday") {
        Some(v) => (reader.choice(v, &WEEKDAYS)?.0 + 1) % 7,
        None => 1,
    };
    let month = match table.get("month") {
        Some(v) => month(reader, v)?,
        None => 1,
    };
    let (h, m) = (chrono::Timelike::hour(&at), chrono::Timelike::minute(&at));
    let cron = match recurrence {
        Recurrence::Daily => format!("{m} {h} * * *"),
        Recurrence::Weekly => format!("{m} {h} * * {weekday}"),
        Recurrence::Monthly => format!("{m} {h} {day} * *"),
        Recurrence::Quarterly => format!("{m} {h} {day} 1,4,7,10 *"),
        Recurrence::Yearly => format!("{m} {h} {day} {month} *"),
    };
    Schedule::new(&cron, zone, grace).ok()
}

fn zone(reader: &mut Reader, table: Table<'_, '_>) -> Option<Tz> {
    let Some(value) = table.get("zone") else {
        return Some(Tz::UTC);
    };
    let name = reader.string(value)?;
    if let Ok(zone) = Tz::from_str(&name) {
        return Some(zone);
    }
    reader.error_help(
        "bad-value",
        value.span(),
        format!("`{name}` is not a time zone"),
        "a name of the tz database, such as `UTC` or `Europe/Paris`",
    );
    None
}

/// A day of the month: 1 to 28, or `"last"`; 29 to 31 would skip the
/// months without them.
fn day(reader: &mut Reader, value: Value<'_, '_>) -> Option<String> {
    if value.get_ref().as_str() == Some("last") {
        return Some("L".to_owned());
    }
    if let Some(n) = whole(value).filter(|n| (1..=28).contains(n)) {
        return Some(n.to_string());
    }
    reader.error_help(
        "bad-value",
        value.span(),
        "a day of the month is 1 to 28, or \"last\"",
        "days 29 to 31 do not come every month: write \"last\" for the month's end",
    );
    None
}

fn month(reader: &mut Reader, value: Value<'_, '_>) -> Option<u32> {
    if let Some(n) = whole(value).filter(|n| (1..=12).contains(n)) {
        return Some(n);
    }
    reader.error_help(
        "bad-value",
        value.span(),
        "a month is 1 to 12",
        "1 is January",
    );
    None
}

fn whole(value: Value<'_, '_>) -> Option<u32> {
    let i = value.get_ref().as_integer()?;
    u32::from_str_radix(i.as_str().trim_start_matches('+'), i.radix()).ok()
}
