//! Durations as operators write them: `15m`, `2h`, `1h30m`, `3d`, `72h`, `5y`.
//!
//! One format only, so a file reviewed in a hurry cannot mean two things:
//! one or more `<whole number><unit>` groups, units in decreasing order,
//! each at most once. Units: `s`, `m` (minutes), `h`, `d`, `w`, `y` (365 days).

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// A span of time, whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(u64);

const UNITS: [(char, u64); 6] = [
    ('y', 365 * 86_400),
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// What was wrong with a duration, in words for the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError(pub String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Duration {
    pub const ZERO: Duration = Duration(0);

    pub const fn from_secs(secs: u64) -> Self {
        Duration(secs)
    }

    pub const fn from_minutes(minutes: u64) -> Self {
        Duration(minutes * 60)
    }

    pub const fn from_hours(hours: u64) -> Self {
        Duration(hours * 3_600)
    }

    pub const fn is_zero(&self) -> bool {
        self.0 == 0
    }

    pub const fn as_secs(self) -> u64 {
        self.0
    }

    pub fn to_chrono(self) -> chrono::TimeDelta {
        // Durations come from a file; a value too large for chrono is clamped
        // rather than wrapped, so a silly deadline stays far in the future.
        i64::try_from(self.0)
            .ok()
            .and_then(chrono::TimeDelta::try_seconds)
            .unwrap_or(chrono::TimeDelta::MAX)
    }
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let expected = "a duration such as `15m`, `2h`, `1h30m`, `3d` (units y, w, d, h, m, s)";
        if input.is_empty() {
            return Err(DurationError(format!(
                "empty duration: expected {expected}"
            )));
        }
        let mut total: u64 = 0;
        let mut digits = String::new();
        let mut last_unit: Option<usize> = None;
        for ch in input.chars() {
            if ch.is_ascii_digit() {
                digits.push(ch);
                continue;
            }
            let Some(rank) = UNITS.iter().position(|(unit, _)| *unit == ch) else {
                return Err(DurationError(format!(
                    "`{input}` is not a duration: unexpected `{ch}`; expected {expected}"
                )));
            };
            if digits.is_empty() {
                return Err(DurationError(format!(
                    "`{input}` is not a duration: a number must come before `{ch}`"
                )));
            }
            if last_unit.is_some_and(|last| rank <= last) {
                return Err(DurationError(format!(
                    "`{input}` is not a duration: units must go from largest to smallest, each once"
                )));
            }
            let value: u64 = digits.parse().map_err(|_| {
                DurationError(format!(
                    "`{input}` is not a duration: the number is too large"
                ))
            })?;
            total = value
                .checked_mul(UNITS[rank].1)
                .and_then(|secs| total.checked_add(secs))
                .ok_or_else(|| DurationError(format!("`{input}` is too long a duration")))?;
            digits.clear();
            last_unit = Some(rank);
        }
        if !digits.is_empty() {
            return Err(DurationError(format!(
                "`{input}` is not a duration: `{digits}` has no unit; expected {expected}"
            )));
        }
        Ok(Duration(total))
    }
}

impl fmt::Display for Duration {
    /// The canonical spelling, which parses back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0m");
        }
        let mut rest = self.0;
        // Up to three days, hours read best (`24h`, `48h`, `72h`, as
        // runbooks write them); years and weeks only when exact.
        let short = rest <= 72 * 3_600;
        for (unit, secs) in UNITS {
            let skip = match unit {
                'y' | 'w' => short || !rest.is_multiple_of(secs),
                'd' => short,
                _ => false,
            };
            if skip {
                continue;
            }
            if rest >= secs {
                write!(f, "{}{unit}", rest / secs)?;
                rest %= secs;
            }
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let written = <String as serde::Deserialize>::deserialize(deserializer)?;
        written.parse().map_err(serde::de::Error::custom)
    }
}

/// A signed span for display: "in 3h", "12m ago". Rounded down to minutes
/// above an hour, since a countdown to the second is noise at that range.
pub fn human(delta: chrono::TimeDelta) -> String {
    let secs = delta.num_seconds().unsigned_abs();
    let shown = if secs >= 3_600 {
        secs - secs % 60
    } else {
        secs
    };
    Duration(shown).to_string()
}

/// An elapsed time measured in milliseconds: `0.4s` under ten seconds,
/// where tenths tell a quick command from a slow one, whole units above.
pub fn human_ms(ms: u64) -> String {
    if ms < 10_000 {
        format!("{}.{}s", ms / 1000, ms % 1000 / 100)
    } else {
        human(chrono::TimeDelta::milliseconds(
            i64::try_from(ms).unwrap_or(i64::MAX),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_single_and_compound_units() {
        assert_eq!("15m".parse::<Duration>().unwrap().as_secs(), 900);
        assert_eq!("72h".parse::<Duration>().unwrap().as_secs(), 72 * 3600);
        assert_eq!("1h30m".parse::<Duration>().unwrap().as_secs(), 5400);
        assert_eq!("2d".parse::<Duration>().unwrap().as_secs(), 172_800);
        assert_eq!(
            "5y".parse::<Duration>().unwrap().as_secs(),
            5 * 365 * 86_400
        );
        assert_eq!("0m".parse::<Duration>().unwrap(), Duration::ZERO);
    }

    #[test]
    fn rejects_ambiguous_or_malformed_input() {
        for bad in [
            "", "15", "m", "1m1h", "1h1h", "1.5h", "15 m", "15min", "-1h", "2H",
        ] {
            assert!(
                bad.parse::<Duration>().is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        assert!("99999999999999999999s".parse::<Duration>().is_err());
        assert!("999999999999999y".parse::<Duration>().is_err());
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "15m", "2h", "1h30m", "4d", "1w", "5y", "4d2h3m4s", "0m", "72h",
        ] {
            let parsed: Duration = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
            assert_eq!(parsed.to_string().parse::<Duration>().unwrap(), parsed);
        }
        assert_eq!("3d".parse::<Duration>().unwrap().to_string(), "72h");
        assert_eq!("1d".parse::<Duration>().unwrap().to_string(), "24h");
        assert_eq!("10d".parse::<Duration>().unwrap().to_string(), "10d");
    }

    #[test]
    fn elapsed_times_show_tenths_under_ten_seconds() {
        assert_eq!(human_ms(420), "0.4s");
        assert_eq!(human_ms(9_950), "9.9s");
        assert_eq!(human_ms(75_000), "1m15s");
    }

    #[test]
    fn human_drops_seconds_above_an_hour() {
        assert_eq!(human(chrono::TimeDelta::seconds(3_725)), "1h2m");
        assert_eq!(human(chrono::TimeDelta::seconds(-125)), "2m5s");
    }
}
