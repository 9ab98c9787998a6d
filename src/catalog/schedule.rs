//! When a recurring procedure is due: an anchor (a time of day, a day of
//! the week, month or quarter, or a cron expression) in a time zone, and a
//! grace period after it before the duty is overdue.
//!
//! Every anchor is turned into one cron expression, evaluated by `croner`
//! in the schedule's zone, so month ends, leap years and clocks that jump
//! for daylight saving are handled in one place.

use std::str::FromStr;

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use serde::Serialize;

use super::duration::Duration;
use super::model::Recurrence;
use super::parse_reference::WEEKDAYS;
use super::reader::{Reader, Table, Value};

#[derive(Debug, Clone)]
pub struct Schedule {
    /// As written, or as derived from the anchor: what `runbook due` shows.
    pub cron: String,
    pub zone: Tz,
    pub grace: Duration,
    parsed: Cron,
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.cron == other.cron && self.zone == other.zone && self.grace == other.grace
    }
}

impl Serialize for Schedule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Schedule", 3)?;
        s.serialize_field("cron", &self.cron)?;
        s.serialize_field("zone", self.zone.name())?;
        s.serialize_field("grace", &self.grace)?;
        s.end()
    }
}

impl Schedule {
    pub fn new(cron: &str, zone: Tz, grace: Duration) -> Result<Self, String> {
        let parsed = Cron::from_str(cron).map_err(|e| e.to_string())?;
        Ok(Schedule {
            cron: cron.to_owned(),
            zone,
            grace,
            parsed,
        })
    }

    /// What a bare `recurrence` means: the runbook's habits, in UTC.
    pub fn default_for(recurrence: Recurrence) -> Self {
        let (cron, grace) = match recurrence {
            Recurrence::Daily => ("0 9 * * *", Duration::from_hours(3)),
            Recurrence::Weekly => ("0 9 * * 1", Duration::from_hours(24)),
            Recurrence::Monthly => ("0 9 1 * *", Duration::from_hours(5 * 24)),
            Recurrence::Quarterly => ("0 9 1 1,4,7,10 *", Duration::from_hours(10 * 24)),
            Recurrence::Yearly => ("0 9 1 1 *", Duration::from_hours(30 * 24)),
        };
        // The expressions above are fixed and valid.
        Schedule::new(cron, Tz::UTC, grace).unwrap_or_else(|_| unreachable_schedule())
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

#[allow(clippy::panic)]
fn unreachable_schedule() -> Schedule {
    panic!("a default schedule failed to parse")
}

const KEYS: [&str; 7] = ["at", "zone", "day", "weekday", "month", "cron", "grace"];

/// Reads `schedule = { … }` for a procedure of `recurrence`; reports every
/// mistake at its place.
pub fn read(
    reader: &mut Reader,
    value: Value<'_, '_>,
    recurrence: Option<Recurrence>,
) -> Option<Schedule> {
    let table = reader.table(value, "a schedule", &KEYS)?;
    let zone = zone(reader, table)?;
    let grace = reader.opt_duration(table, "grace");
    let default = recurrence.map(Schedule::default_for);
    let grace = grace
        .or(default.as_ref().map(|d| d.grace))
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
