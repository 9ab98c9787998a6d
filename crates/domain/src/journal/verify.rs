//! Verifying a journal: every line's hash and link, the sequence, the MACs
//! when the key is known, and time that does not go backwards. The first
//! bad line is named with its number and what is wrong with it.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::line::unseal;
use super::links::Links;
use super::registry::{Owner, Registry};

pub use super::fault::{Fault, Problem};

mod in_force;
mod judging;

pub use judging::shard_of;

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
    /// How many entries carry a signature that verifies.
    pub signed: u64,
    /// For a database journal: each login that wrote rows, and how many.
    pub logins: Vec<(String, u64)>,
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
    #[serde(default, borrow)]
    operator: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    run: Option<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    signer: Option<&'a str>,
    #[serde(default)]
    clock: Option<&'a str>,
    #[serde(default, borrow)]
    os_user: Option<std::borrow::Cow<'a, str>>,
    /// Required, not read: a line without an event is no entry.
    #[serde(rename = "event")]
    _event: serde::de::IgnoredAny,
}

/// Judges entries by the rules in force for them: what a client would
/// have refused. Implemented above the journal (`run::judge`), which
/// knows the rules; the verifier gives it each entry whose chain holds.
pub trait Judge: std::fmt::Debug + Send {
    /// The faults of one line, whose fields the verifier has read;
    /// `stamped`: the time a database server stamped its row with, which
    /// the rules go by rather than the time the writer claims.
    fn judge(&mut self, line: &[u8], stamped: Option<Stamped>) -> Vec<Fault>;
    /// This judge is the `index`-th of `count`, each given the lines of
    /// the runs `shard_of` gives it, and every line outside a run.
    fn shard(&mut self, _index: usize, _count: usize) {}
}

/// A time a database server stamped a row with.
pub type Stamped = chrono::DateTime<chrono::Utc>;

/// The journal's latest time so far, for naming entries from the future.
#[derive(Debug, Clone, Copy)]
struct Latest {
    seq: u64,
    at: chrono::DateTime<chrono::Utc>,
    /// The last entry dated more than a minute after the one before it:
    /// where a clock set forward shows first.
    jump: Option<(u64, chrono::DateTime<chrono::Utc>)>,
    /// Whether a later writer's clock already named it.
    named: bool,
}

/// The chain as checked so far: lines are given one at a time (with the
/// database login that wrote each, for a database journal), then `finish`.
#[derive(Debug)]
pub struct Verifier<'k> {
    key: Option<&'k [u8]>,
    registry: Option<&'k Registry>,
    expect: Option<&'k ExpectedHead>,
    report: Report,
    links: Links<'k>,
    last_ts: Option<chrono::DateTime<chrono::Utc>>,
    latest: Option<Latest>,
    expected_seen: bool,
    unchecked_mac_warned: bool,
    /// Whether the signature policy holds from here on: from the first
    /// signed entry (without `since`), or the first dated at or after
    /// `since`. It never lifts, whatever time a later line claims.
    signatures_required: bool,
    /// The policy the journal published, which replaces the site's
    /// registry from its entry on.
    in_force: in_force::InForce,
    judging: Option<judging::Judging>,
}

impl<'k> Verifier<'k> {
    pub fn new(
        key: Option<&'k [u8]>,
        expect: Option<&'k ExpectedHead>,
        registry: Option<&'k Registry>,
    ) -> Self {
        Verifier {
            key,
            registry,
            expect,
            report: Report {
                macs_checked: key.is_some(),
                ..Report::default()
            },
            links: Links::from_genesis(key),
            last_ts: None,
            latest: None,
            expected_seen: false,
            unchecked_mac_warned: false,
            signatures_required: false,
            in_force: in_force::InForce::default(),
            judging: None,
        }
    }

    /// Also judges every entry by the rules, each judge on a thread of
    /// its own, given the runs `shard_of` gives it: each re-decides them.
    #[must_use]
    pub fn judged_by(mut self, judges: Vec<Box<dyn Judge>>) -> Self {
        self.judging = (!judges.is_empty()).then(|| judging::Judging::start(judges));
        self
    }

    /// One whole line, without its newline, and the login that wrote it.
    pub fn push(&mut self, line: &[u8], login: Option<&str>) {
        self.push_row(line, login, None);
    }

    /// A database row: its line, and what the server recorded beside it,
    /// the login and the time it stamped it with.
    pub fn push_row(&mut self, line: &[u8], login: Option<&str>, stamped: Option<Stamped>) {
        self.report.lines += 1;
        self.report.bytes += line.len() as u64 + 1;
        let number = self.report.lines;
        if let Some(fields) = self.check(number, line, stamped)
            && let Some(login) = login
        {
            self.login(number, &fields, login);
        }
    }

    /// A last line without its newline: nothing after it is read.
    pub fn torn(&mut self, bytes: u64) {
        self.report.lines += 1;
        self.report.bytes += bytes;
        let number = self.report.lines;
        self.fail(number, Fault::TornLastLine { bytes });
    }
    fn fail(&mut self, line: u64, fault: Fault) {
        if self.report.errors.len() < 100 {
            self.report.errors.push(Problem { line, fault });
        }
    }

    fn warn(&mut self, line: u64, fault: Fault) {
        self.report.warnings.push(Problem { line, fault });
    }

    /// Checks one complete line (without its newline).
    fn check<'l>(
        &mut self,
        number: u64,
        line: &'l [u8],
        stamped: Option<Stamped>,
    ) -> Option<Fields<'l>> {
        let Some(sealed) = unseal(line) else {
            self.fail(number, Fault::NoSeal);
            self.links.lost();
            return None;
        };
        for fault in self.links.seal(&sealed) {
            self.fail(number, fault);
        }
        if self.key.is_none() && sealed.mac.is_some() && !self.unchecked_mac_warned {
            self.unchecked_mac_warned = true;
            self.warn(number, Fault::MacsUnchecked);
        }
        let fields: Fields<'_> = match serde_json::from_slice(line) {
            Ok(fields) => fields,
            Err(e) => {
                let detail = e.to_string();
                self.fail(number, Fault::NotAnEntry { detail });
                self.links.lost();
                return None;
            }
        };
        if let Some(fault) = self.links.link(fields.seq, fields.prev, sealed.hash) {
            self.fail(number, fault);
        }
        let at = utc(fields.ts);
        if at.is_none() {
            let ts = fields.ts.to_owned();
            self.fail(
                number,
                Fault::NotUtc {
                    seq: fields.seq,
                    ts,
                },
            );
        }
        self.signature(number, sealed.body, &fields, at);
        if let (Some(at), Some(server)) = (at, stamped)
            && (at - server).abs() > chrono::TimeDelta::minutes(1)
        {
            let fault = Fault::NotServerTime {
                seq: fields.seq,
                ts: fields.ts.to_owned(),
                server: stamp(server),
            };
            self.fail(number, fault);
        }
        if let (Some(at), Some(last)) = (at, self.last_ts)
            && at < last
        {
            let fault = Fault::TimeBackwards {
                at: fields.ts.to_owned(),
                after: stamp(last),
            };
            self.warn(number, fault);
        }
        if at.is_some() {
            self.last_ts = at;
        }
        self.future(number, &fields, at);
        self.policy(number, line, &fields, at);
        if let Some(judging) = self.judging.as_mut() {
            judging.give(number, line, stamped, fields.run.as_deref());
        }
        if let Some(expect) = self.expect
            && fields.seq == expect.seq
        {
            self.expected_seen = true;
            if sealed.hash != expect.hash {
                let fault = Fault::ExpectedHash {
                    seq: expect.seq,
                    hash: expect.hash.clone(),
                };
                self.fail(number, fault);
            }
        }
        Some(fields)
    }

    /// A policy published: from its entry on, its registry is the one
    /// checked and, where it requires signatures, every entry must be
    /// signed, whatever time it claims.
    fn policy(
        &mut self,
        number: u64,
        line: &[u8],
        fields: &Fields<'_>,
        at: Option<chrono::DateTime<chrono::Utc>>,
    ) {
        let at = at.unwrap_or_default();
        let (seq, named) = (fields.seq, fields.operator.to_string());
        match self.in_force.see(line, &fields.operator, at) {
            None => {}
            Some(in_force::Seen::Accepted(accepted, signed)) => {
                self.signatures_required = signed;
                if accepted == super::policy::Accepted::OnFirstUse {
                    self.warn(number, Fault::PolicyOnFirstUse { seq, named });
                }
            }
            Some(in_force::Seen::Refused(why)) => {
                self.fail(number, Fault::PolicyRefused { seq, named, why });
            }
        }
    }

    /// A writer whose clock was behind the journal's latest time by more
    /// than a minute: the entries dated ahead of it came from the future
    /// (a clock set forward, to pass a gate). The first of them that
    /// jumped ahead is named, once.
    fn future(
        &mut self,
        number: u64,
        fields: &Fields<'_>,
        at: Option<chrono::DateTime<chrono::Utc>>,
    ) {
        let minute = chrono::TimeDelta::minutes(1);
        let clock = fields.clock.and_then(utc);
        if let (Some(clock), Some(latest)) = (clock, self.latest.as_mut())
            && !latest.named
            && latest.at - clock > minute
        {
            latest.named = true;
            let (seq, at) = latest
                .jump
                .filter(|(_, at)| *at - clock > minute)
                .unwrap_or((latest.seq, latest.at));
            let fault = Fault::FromTheFuture {
                seq,
                at: stamp(at),
                clock: stamp(clock),
                next: fields.seq,
            };
            self.fail(number, fault);
        }
        let Some(at) = at else { return };
        match self.latest.as_mut() {
            Some(latest) if at <= latest.at => {}
            Some(latest) => {
                if at - latest.at > minute {
                    latest.jump = Some((fields.seq, at));
                }
                latest.seq = fields.seq;
                latest.at = at;
                latest.named = false;
            }
            None => {
                self.latest = Some(Latest {
                    seq: fields.seq,
                    at,
                    jump: None,
                    named: false,
                });
            }
        }
    }

    /// A signed entry's signature, its signer, and whose key it is; an
    /// unsigned one's account, and whether it had to be signed.
    fn signature(
        &mut self,
        number: u64,
        body: &[u8],
        fields: &Fields<'_>,
        at: Option<chrono::DateTime<chrono::Utc>>,
    ) {
        let run = fields.run.as_deref().map(str::to_owned);
        let seq = fields.seq;
        let bad = |detail: String| Fault::BadSignature {
            seq,
            run: run.clone(),
            detail,
        };
        let Some(signed) = super::sign::split(body) else {
            if fields.signer.is_some() {
                self.fail(number, bad("a signer but no signature".to_owned()));
            }
            return self.unsigned(number, fields, at);
        };
        let key = match super::sign::check(signed.message, signed.sig) {
            Ok(key) => super::sign::fingerprint(&key),
            Err(detail) => return self.fail(number, bad(detail)),
        };
        if fields.signer != Some(key.as_str()) {
            let detail = format!("signed by {key}, which the entry does not name");
            return self.fail(number, bad(detail));
        }
        self.report.signed += 1;
        let Some(registry) = self.in_force.registry().or(self.registry) else {
            return;
        };
        if registry.signatures.is_some_and(|r| r.since.is_none()) {
            self.signatures_required = true;
        }
        let at = at.unwrap_or_default();
        let fault = match registry.owner(&key, at) {
            Owner::Unknown => Fault::UnknownKey { seq, run, key },
            Owner::OutOfPeriod(found) => Fault::KeyOutOfPeriod {
                seq,
                run,
                key,
                owner: found.operator.clone(),
                period: period(found),
            },
            Owner::Valid(owner) if owner != fields.operator => Fault::KeyOfAnother {
                seq,
                run,
                key,
                owner: owner.to_owned(),
                named: fields.operator.to_string(),
            },
            Owner::Valid(_) => return,
        };
        self.fail(number, fault);
    }

    fn unsigned(
        &mut self,
        number: u64,
        fields: &Fields<'_>,
        at: Option<chrono::DateTime<chrono::Utc>>,
    ) {
        let Some(registry) = self.in_force.registry().or(self.registry) else {
            return;
        };
        let signatures = registry.signatures;
        let run = fields.run.as_deref().map(str::to_owned);
        let named = fields.operator.to_string();
        let account = fields.os_user.as_deref().unwrap_or(&fields.operator);
        if let Some(owner) = registry.account_is_not_theirs(&fields.operator, account) {
            let fault = Fault::AccountOfAnother {
                seq: fields.seq,
                run: run.clone(),
                account: account.to_owned(),
                owner,
                named: named.clone(),
            };
            self.fail(number, fault);
        }
        let Some(required) = signatures else {
            return;
        };
        // A time that is not an instant proves nothing: the policy holds.
        let due = required
            .since
            .is_some_and(|since| at.is_none_or(|at| at >= since));
        self.signatures_required |= due;
        if self.signatures_required {
            let seq = fields.seq;
            self.fail(number, Fault::Unsigned { seq, run, named });
        }
    }

    /// The database login that wrote a row, against the registry's.
    fn login(&mut self, number: u64, fields: &Fields<'_>, login: &str) {
        match self.report.logins.iter_mut().find(|(l, _)| l == login) {
            Some((_, count)) => *count += 1,
            None => self.report.logins.push((login.to_owned(), 1)),
        }
        let Some(registry) = self.in_force.registry().or(self.registry) else {
            return;
        };
        if let Some(owner) = registry.login_is_not_theirs(&fields.operator, login) {
            let fault = Fault::LoginOfAnother {
                seq: fields.seq,
                run: fields.run.as_deref().map(str::to_owned),
                login: login.to_owned(),
                owner,
                named: fields.operator.to_string(),
            };
            self.fail(number, fault);
        }
    }

    pub fn finish(mut self) -> Report {
        if let Some(judging) = self.judging.take() {
            for problem in judging.finish() {
                if matches!(
                    problem.fault,
                    Fault::Unjudged { .. } | Fault::PinnedOther { .. }
                ) {
                    self.report.warnings.push(problem);
                } else {
                    self.report.errors.push(problem);
                }
            }
            self.report.errors.sort_by_key(|p| p.line);
            self.report.warnings.sort_by_key(|p| p.line);
            self.report.errors.truncate(100);
        }
        self.report.head = self.links.head().map(|(seq, hash)| (seq, hash.to_owned()));
        if let Some(expect) = self.expect
            && !self.expected_seen
        {
            let line = self.report.lines;
            self.report.errors.push(Problem {
                line,
                fault: Fault::Truncated {
                    ends: self.report.head.as_ref().map(|(seq, _)| *seq),
                    expected: expect.seq,
                },
            });
        }
        self.report
    }
}

/// Reads the whole journal and checks it. Stops counting errors after
/// the first hundred: the first one is what matters.
pub fn verify(
    input: impl BufRead,
    key: Option<&[u8]>,
    expect: Option<&ExpectedHead>,
) -> std::io::Result<Report> {
    verify_signed(input, key, expect, None)
}

/// As `verify`, with every signature checked against the site's registry
/// when it is given.
pub fn verify_signed(
    input: impl BufRead,
    key: Option<&[u8]>,
    expect: Option<&ExpectedHead>,
    registry: Option<&Registry>,
) -> std::io::Result<Report> {
    scan(Verifier::new(key, expect, registry), input)
}

/// Gives `verifier` every line of `input`, then its report.
pub fn scan(mut verifier: Verifier<'_>, mut input: impl BufRead) -> std::io::Result<Report> {
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        let read = input.read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        let Some(line) = buf.strip_suffix(b"\n") else {
            verifier.torn(read as u64);
            break;
        };
        verifier.push(line, None);
    }
    Ok(verifier.finish())
}

/// A journal time: RFC 3339 in UTC, written with `Z`, as every writer
/// writes it. Anything else (an offset, no zone) is refused: compared as
/// text, `+23:00` hides a day.
fn utc(ts: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if !ts.ends_with('Z') {
        return None;
    }
    super::instant::parse(ts)
}

fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A key's period, in words for a report.
fn period(key: &super::registry::Key) -> String {
    let day = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
    match (key.from, key.until) {
        (_, Some(until)) => format!("retired on {}", day(until)),
        (Some(from), None) => format!("valid from {}", day(from)),
        (None, None) => String::new(),
    }
}

/// A head as an anchor target keeps it: a JSON line with `seq` and
/// `hash` (an anchor file's line), the same inside `data` (a webhook's
/// document), or `SEQ:HASH` as `runbook audit head` prints it.
pub fn anchored_head(line: &str) -> Option<(u64, String)> {
    let line = line.trim();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
        let head = |v: &serde_json::Value| {
            Some((v.get("seq")?.as_u64()?, v.get("hash")?.as_str()?.to_owned()))
        };
        return head(&value).or_else(|| head(value.get("data")?));
    }
    let (seq, hash) = line.split_once(':')?;
    let hash_ok = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    Some((seq.parse().ok()?, hash.to_owned())).filter(|_| hash_ok)
}
