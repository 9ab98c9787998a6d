//! Instants as a person types them on the command line or in a follow-up
//! date: always read as UTC.

/// RFC 3339, or a date and time without zone taken as UTC, with `T` or a
/// space between them and optional seconds.
pub fn parse(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    use chrono::{DateTime, NaiveDateTime, Utc};
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let bare = text.strip_suffix('Z').unwrap_or(text).replace(' ', "T");
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&bare, format) {
            return Ok(t.and_utc());
        }
    }
    Err(format!(
        "`{text}` is not a time: expected e.g. `2026-11-29T02:30:00Z` or `2026-11-29 02:30` (UTC)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_in_the_documented_forms() {
        let expected = parse("2026-11-29T02:30:00Z").unwrap();
        assert_eq!(parse("2026-11-29T02:30Z").unwrap(), expected);
        assert_eq!(parse("2026-11-29 02:30").unwrap(), expected);
        assert_eq!(parse("2026-11-29T03:30:00+01:00").unwrap(), expected);
        assert!(parse("tomorrow").is_err());
        assert!(parse("2026-13-01 00:00").is_err());
    }
}
