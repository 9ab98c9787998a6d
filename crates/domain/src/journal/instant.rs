//! Reading an entry's time fast: every entry is written as
//! `2026-12-05T09:00:00.000Z`, and a journal of a million lines is read
//! twice over by `audit verify` (the chain, then the rules), so that shape
//! is read by hand and anything else by the full RFC 3339 parser.

use chrono::{DateTime, NaiveDate, Utc};

/// `ts` as an instant, whatever its offset; `None` when it is no RFC 3339
/// time.
pub fn parse(ts: &str) -> Option<DateTime<Utc>> {
    written(ts).or_else(|| {
        DateTime::parse_from_rfc3339(ts)
            .ok()
            .map(|at| at.with_timezone(&Utc))
    })
}

/// The shape the journal writes, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn written(ts: &str) -> Option<DateTime<Utc>> {
    let b = ts.as_bytes();
    if b.len() != 24
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[23] != b'Z'
    {
        return None;
    }
    let number = |at: std::ops::Range<usize>| -> Option<u32> {
        b[at].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)?;
    let time = date.and_hms_milli_opt(
        number(11..13)?,
        number(14..16)?,
        number(17..19)?,
        number(20..23)?,
    )?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_journals_shape_as_the_full_parser_does_and_others_through_it() {
        for ts in [
            "2026-12-05T09:00:00.000Z",
            "2026-02-28T23:59:59.999Z",
            "2024-02-29T12:34:56.789Z",
            "2026-01-02T03:00:00.000+23:00",
            "2026-01-02T03:00:00Z",
        ] {
            let full = DateTime::parse_from_rfc3339(ts)
                .unwrap()
                .with_timezone(&Utc);
            assert_eq!(parse(ts), Some(full), "{ts}");
        }
        for bad in [
            "2026-02-30T09:00:00.000Z",
            "2026-12-05T25:00:00.000Z",
            "2026-12-05T09:00:00.0a0Z",
            "yesterday",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
