//! Verifying a journal: every line's hash and link, the sequence, the MACs
//! when the key is known, and time that does not go backwards. The first
//! bad line is named with its number and what is wrong with it.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::line::{ZERO_HASH, mac_hex, sha256_hex, unseal};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line number in the file.
    pub line: u64,
    pub what: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub lines: u64,
    pub bytes: u64,
    /// The last entry's sequence number and hash.
    pub head: Option<(u64, String)>,
    /// Errors, in file order; the first is the first bad line.
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub macs_checked: bool,
}

impl Report {
    pub fn intact(&self) -> bool {
        self.errors.is_empty()
    }
}

/// The head a journal must reach: `SEQ:HASH` as printed by `audit head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedHead {
    pub seq: u64,
    pub hash: String,
}

impl std::str::FromStr for ExpectedHead {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (seq, hash) = text.split_once(':').ok_or_else(|| {
            format!("`{text}` is not SEQ:HASH (as printed by `runbook audit head`)")
        })?;
        let seq = seq
            .parse()
            .map_err(|_| format!("`{seq}` is not a sequence number"))?;
        let valid = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            return Err(format!("`{hash}` is not a SHA-256 hash (64 hex digits)"));
        }
        Ok(ExpectedHead {
            seq,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

#[derive(Deserialize)]
struct Fields<'a> {
    seq: u64,
    ts: &'a str,
    prev: &'a str,
    /// Required, not read: a line without an event is no entry.
    #[serde(rename = "event")]
    _event: serde::de::IgnoredAny,
}

/// The chain as checked so far.
struct Chain<'k> {
    key: Option<&'k [u8]>,
    expect: Option<&'k ExpectedHead>,
    report: Report,
    previous: Option<(u64, String)>,
    last_ts: String,
    expected_seen: bool,
    unchecked_mac_warned: bool,
}

impl Chain<'_> {
    fn fail(&mut self, line: u64, what: impl Into<String>) {
        if self.report.errors.len() < 100 {
            self.report.errors.push(Problem {
                line,
                what: what.into(),
            });
        }
    }

    fn warn(&mut self, line: u64, what: impl Into<String>) {
        self.report.warnings.push(Problem {
            line,
            what: what.into(),
        });
    }

    /// Checks one complete line (without its newline).
    fn check(&mut self, number: u64, line: &[u8]) {
        let Some(sealed) = unseal(line) else {
            self.fail(
                number,
                "not a journal entry: no hash seal at the end of the line",
            );
            self.previous = None;
            return;
        };
        if sha256_hex(sealed.body) != sealed.hash {
            self.fail(
                number,
                "hash mismatch: the line was changed after it was written",
            );
        }
        match (self.key, sealed.mac) {
            (Some(key), Some(mac)) if mac_hex(key, sealed.hash) != mac => self.fail(
                number,
                "MAC mismatch: the line was forged, or the key is not this journal's",
            ),
            (Some(_), None) => self.fail(
                number,
                "no MAC on a journal checked with a key: written without the key (forged?)",
            ),
            (None, Some(_)) if !self.unchecked_mac_warned => {
                self.unchecked_mac_warned = true;
                self.warn(
                    number,
                    "entries carry MACs, but RUNBOOK_JOURNAL_KEY is not set: MACs were not checked",
                );
            }
            _ => {}
        }
        let fields: Fields<'_> = match serde_json::from_slice(line) {
            Ok(fields) => fields,
            Err(e) => {
                self.fail(number, format!("not a journal entry: {e}"));
                self.previous = None;
                return;
            }
        };
        self.link(number, &fields);
        if fields.ts < self.last_ts.as_str() {
            let what = format!("time goes backwards: {} after {}", fields.ts, self.last_ts);
            self.warn(number, what);
        }
        self.last_ts.clear();
        self.last_ts.push_str(fields.ts);
        if let Some(expect) = self.expect
            && fields.seq == expect.seq
        {
            self.expected_seen = true;
            if sealed.hash != expect.hash {
                self.fail(
                    number,
                    format!(
                        "entry #{} does not have the expected hash {}: the journal was rewritten",
                        expect.seq, expect.hash
                    ),
                );
            }
        }
        self.previous = Some((fields.seq, sealed.hash.to_owned()));
    }

    /// The sequence and the link to the line before.
    fn link(&mut self, number: u64, fields: &Fields<'_>) {
        match self.previous.clone() {
            None if number == 1 && (fields.seq != 0 || fields.prev != ZERO_HASH) => self.fail(
                number,
                "the first entry is not a genesis entry (seq 0, zero prev): the start of the journal is missing",
            ),
            Some((seq, _)) if fields.seq != seq + 1 => self.fail(
                number,
                format!(
                    "sequence jumps from #{seq} to #{}: an entry was deleted, inserted or moved",
                    fields.seq
                ),
            ),
            Some((_, hash)) if fields.prev != hash => self.fail(
                number,
                format!(
                    "entry #{} does not link to the line before it: an entry was replaced, inserted or moved",
                    fields.seq
                ),
            ),
            _ => {}
        }
    }

    fn finish(mut self) -> Report {
        self.report.head = self.previous.take();
        if let Some(expect) = self.expect
            && !self.expected_seen
        {
            let ends = self.report.head.as_ref().map_or_else(
                || "is empty".to_owned(),
                |(seq, _)| format!("ends at #{seq}"),
            );
            let line = self.report.lines;
            self.report.errors.push(Problem {
                line,
                what: format!(
                    "the journal {ends}, before the expected head #{}: it was truncated",
                    expect.seq
                ),
            });
        }
        self.report
    }
}

/// Reads the whole journal and checks it. Stops counting errors after
/// the first hundred: the first one is what matters.
pub fn verify(
    mut input: impl BufRead,
    key: Option<&[u8]>,
    expect: Option<&ExpectedHead>,
) -> std::io::Result<Report> {
    let mut chain = Chain {
        key,
        expect,
        report: Report {
            macs_checked: key.is_some(),
            ..Report::default()
        },
        previous: None,
        last_ts: String::new(),
        expected_seen: false,
        unchecked_mac_warned: false,
    };
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        let read = input.read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        chain.report.lines += 1;
        chain.report.bytes += read as u64;
        let number = chain.report.lines;
        let Some(line) = buf.strip_suffix(b"\n") else {
            chain.fail(
                number,
                format!(
                    "torn last line ({read} bytes without a newline): a write was cut short; the next append records and removes it"
                ),
            );
            break;
        };
        chain.check(number, line);
    }
    Ok(chain.finish())
}
