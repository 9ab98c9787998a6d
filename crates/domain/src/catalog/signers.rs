//! An OpenSSH `allowed_signers` file (`[identity] signers = "path"`), the
//! registry git uses for SSH-signed commits: one key per line,
//! `principals [options] keytype base64 [comment]`. A principal is an
//! operator's id; its keys are added to that operator (made when the site
//! names no `[[operator]]` of that id). `valid-after`/`valid-before` bound
//! a key's period, read as UTC; a `namespaces` list without `runbook` keeps
//! the key out.

use std::ops::Range;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// One key line, with where its parts are in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub principals: Vec<String>,
    /// `keytype base64`, as `ssh_key` reads it.
    pub key: String,
    pub key_span: Range<usize>,
    pub span: Range<usize>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// `namespaces="…"` lists others than `runbook` only.
    pub other_namespaces: bool,
    pub cert_authority: bool,
}

/// A line that cannot be read: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub span: Range<usize>,
    pub why: String,
}

/// Every line of `text`, in order; comments and blank lines skipped.
pub fn parse(text: &str) -> Vec<Result<Line, Bad>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let offset = start + (line.len() - line.trim_start().len());
        start += raw.len();
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(read_line(line, offset));
    }
    out
}

fn read_line(line: &str, offset: usize) -> Result<Line, Bad> {
    let span = offset..offset + line.len();
    let fields = fields(line);
    let bad = |why: &str| Bad {
        span: span.clone(),
        why: why.to_owned(),
    };
    let (principals, _) = fields.first().ok_or_else(|| bad("an empty line"))?;
    let mut rest = &fields[1..];
    // Options come before the key type when the second field is no type.
    let options = match rest.first() {
        Some((field, _)) if !is_key_type(field) => {
            let options = option_list(field);
            rest = &rest[1..];
            options
        }
        _ => Vec::new(),
    };
    let [(kind, kind_at), (blob, blob_at), ..] = rest else {
        return Err(bad(
            "expected `principals [options] keytype base64`, as git's allowed_signers",
        ));
    };
    let mut parsed = Line {
        principals: principals
            .split(',')
            .map(str::to_owned)
            .filter(|p| !p.is_empty())
            .collect(),
        key: format!("{kind} {blob}"),
        key_span: offset + kind_at..offset + blob_at + blob.len(),
        span: span.clone(),
        from: None,
        until: None,
        other_namespaces: false,
        cert_authority: false,
    };
    for (name, value) in options {
        match name.to_ascii_lowercase().as_str() {
            "cert-authority" => parsed.cert_authority = true,
            "namespaces" => {
                parsed.other_namespaces = !value
                    .unwrap_or_default()
                    .split(',')
                    .any(|n| n.trim() == crate::journal::sign::NAMESPACE);
            }
            "valid-after" => parsed.from = Some(instant(value).map_err(|w| bad(&w))?),
            "valid-before" => parsed.until = Some(instant(value).map_err(|w| bad(&w))?),
            other => return Err(bad(&format!("unknown option `{other}`"))),
        }
    }
    Ok(parsed)
}

fn is_key_type(field: &str) -> bool {
    field.starts_with("ssh-") || field.starts_with("ecdsa-") || field.starts_with("sk-")
}

/// The line's fields split on blanks, a quoted run kept whole, each with
/// its offset in the line.
fn fields(line: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut begun = None;
    let mut quoted = false;
    for (at, c) in line.char_indices() {
        if c.is_whitespace() && !quoted {
            if let Some(start) = begun.take() {
                out.push((std::mem::take(&mut current), start));
            }
            continue;
        }
        begun.get_or_insert(at);
        if c == '"' {
            quoted = !quoted;
        }
        current.push(c);
    }
    if let Some(start) = begun {
        out.push((current, start));
    }
    out
}

/// `a,b="x,y",c` → (a, None), (b, Some("x,y")), (c, None).
fn option_list(field: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in field.chars().chain(std::iter::once(',')) {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                let option = std::mem::take(&mut current);
                match option.split_once('=') {
                    Some((name, value)) => out.push((name.to_owned(), Some(value.to_owned()))),
                    None if !option.is_empty() => out.push((option, None)),
                    None => {}
                }
            }
            c => current.push(c),
        }
    }
    out
}

/// `YYYYMMDD` or `YYYYMMDDHHMM[SS]`, with an optional `Z`.
fn instant(value: Option<String>) -> Result<DateTime<Utc>, String> {
    let value = value.unwrap_or_default();
    let text = value.trim_end_matches(['Z', 'z']);
    let day = NaiveDate::parse_from_str(text, "%Y%m%d").map(|d| d.and_time(chrono::NaiveTime::MIN));
    day.or_else(|_| NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(&format!("{text}00"), "%Y%m%d%H%M%S"))
        .map(|t| t.and_utc())
        .map_err(|_| format!("`{value}` is no date: write YYYYMMDD or YYYYMMDDHHMM[SS]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_git_allowed_signers_file_is_read_with_its_options() {
        let text = "# the team\n\nalice@example.org ssh-ed25519 AAAAC3Nza alice@laptop\n\
            bob,robert namespaces=\"git,runbook\",valid-before=\"20261001\" ssh-ed25519 AAAAB bob\n\
            carol namespaces=\"git\" ssh-ed25519 AAAAC\n\
            dave valid-after=202601021530Z ssh-rsa AAAAD\n";
        let lines: Vec<Line> = parse(text).into_iter().map(Result::unwrap).collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].principals, ["alice@example.org"]);
        assert_eq!(lines[0].key, "ssh-ed25519 AAAAC3Nza");
        assert_eq!(&text[lines[0].key_span.clone()], "ssh-ed25519 AAAAC3Nza");
        assert_eq!(lines[1].principals, ["bob", "robert"]);
        assert!(!lines[1].other_namespaces);
        assert_eq!(
            lines[1].until,
            Some("2026-10-01T00:00:00Z".parse().unwrap())
        );
        assert!(lines[2].other_namespaces, "git only: not for runbook");
        assert_eq!(lines[3].from, Some("2026-01-02T15:30:00Z".parse().unwrap()));
    }

    #[test]
    fn a_line_without_a_key_or_with_a_bad_date_is_said_where_it_is() {
        let text = "alice\nbob valid-before=\"tomorrow\" ssh-ed25519 AAAA\n";
        let lines = parse(text);
        let first = lines[0].as_ref().unwrap_err();
        assert_eq!(&text[first.span.clone()], "alice");
        let second = lines[1].as_ref().unwrap_err();
        assert!(second.why.contains("`\"tomorrow\"`") || second.why.contains("tomorrow"));
        assert_eq!(second.span.start, 6);
    }
}
