//! What can be wrong with a line of the journal, as `audit verify`, the
//! store's readers and the chain's rule name it.

use serde::Serialize;

use crate::text::Words;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line number in the file.
    pub line: u64,
    pub fault: Fault,
}

impl Problem {
    /// What is wrong with the line, in the operator's words.
    pub fn what(&self, words: &Words) -> String {
        self.fault.text(words)
    }
}

/// What is wrong with a line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum Fault {
    NoSeal,
    HashMismatch,
    MacMismatch,
    NoMac,
    MacsUnchecked,
    /// Not JSON, or not the members of an entry: the parser's words.
    NotAnEntry {
        detail: String,
    },
    TimeBackwards {
        at: String,
        after: String,
    },
    ExpectedHash {
        seq: u64,
        hash: String,
    },
    Truncated {
        ends: Option<u64>,
        expected: u64,
    },
    NotGenesis,
    SequenceJump {
        from: u64,
        to: u64,
    },
    BrokenLink {
        seq: u64,
    },
    /// The last line has no newline: verify's view.
    TornLastLine {
        bytes: u64,
    },
    /// The last line has no newline: a reader's view.
    TornIgnored {
        bytes: u64,
    },
    Unreadable {
        detail: String,
    },
    /// A signature that does not verify, or a signer that did not sign.
    BadSignature {
        seq: u64,
        run: Option<String>,
        detail: String,
    },
    /// Signed by a key the site's registry does not know.
    UnknownKey {
        seq: u64,
        run: Option<String>,
        key: String,
    },
    /// Signed by one operator's key, in another's name.
    KeyOfAnother {
        seq: u64,
        run: Option<String>,
        key: String,
        owner: String,
        named: String,
    },
    /// Signed by an operator's key outside its period (a retired key).
    KeyOutOfPeriod {
        seq: u64,
        run: Option<String>,
        key: String,
        owner: String,
        period: String,
    },
    /// Not signed, where the site requires every entry signed.
    Unsigned {
        seq: u64,
        run: Option<String>,
        named: String,
    },
    /// Written from one operator's own OS account, in another's name
    /// (`owner` is empty when the account is none of the named
    /// operator's `os_users`).
    AccountOfAnother {
        seq: u64,
        run: Option<String>,
        account: String,
        owner: String,
        named: String,
    },
    /// An entry the rules in force would have refused: what the client
    /// that wrote it did not ask, or was made not to.
    Refused {
        seq: u64,
        run: Option<String>,
        named: String,
        why: String,
    },
    /// An entry dated ahead of the clock of a writer after it (which
    /// recorded its own clock beside the raised `ts`).
    FromTheFuture {
        seq: u64,
        at: String,
        clock: String,
        next: u64,
    },
    /// A run the rules given cannot judge: its procedure is not theirs,
    /// or not as it was when the run started. A warning: catalogs change.
    Unjudged {
        seq: u64,
        run: Option<String>,
        why: String,
    },
    /// A database row dated otherwise than the server stamped it: the
    /// rules go by the server's time.
    NotServerTime {
        seq: u64,
        ts: String,
        server: String,
    },
    /// A policy published by someone the policy in force does not let
    /// publish one, or whose words are not what was signed.
    PolicyRefused {
        seq: u64,
        named: String,
        why: String,
    },
    /// The journal's first policy, trusted on first use: said, so that an
    /// auditor checks who published it.
    PolicyOnFirstUse {
        seq: u64,
        named: String,
    },
    /// A run that pinned a procedure other than the rules' own: judged by
    /// its pin, and said, since catalogs change between runs.
    PinnedOther {
        seq: u64,
        run: Option<String>,
        why: String,
    },
    /// A time that is not a UTC instant written with `Z`: an offset can
    /// hide hours, and times are compared as instants.
    NotUtc {
        seq: u64,
        ts: String,
    },
    /// Written under a database login that is not the named operator's
    /// (`owner` is empty when the login is no one's).
    LoginOfAnother {
        seq: u64,
        run: Option<String>,
        login: String,
        owner: String,
        named: String,
    },
}

impl Fault {
    pub fn text(&self, words: &Words) -> String {
        let w = words.run;
        match self {
            Fault::NoSeal => w.f_no_seal.to_owned(),
            Fault::HashMismatch => w.f_hash.to_owned(),
            Fault::MacMismatch => w.f_mac.to_owned(),
            Fault::NoMac => w.f_no_mac.to_owned(),
            Fault::MacsUnchecked => w.f_macs_unchecked.to_owned(),
            Fault::NotAnEntry { detail } => (w.f_not_an_entry)(detail),
            Fault::TimeBackwards { at, after } => (w.f_time_backwards)(at, after),
            Fault::ExpectedHash { seq, hash } => (w.f_expected_hash)(*seq, hash),
            Fault::Truncated {
                ends: Some(ends),
                expected,
            } => (w.f_truncated)(*ends, *expected),
            Fault::Truncated {
                ends: None,
                expected,
            } => (w.f_empty)(*expected),
            Fault::NotGenesis => w.f_not_genesis.to_owned(),
            Fault::SequenceJump { from, to } => (w.f_jump)(*from, *to),
            Fault::BrokenLink { seq } => (w.f_link)(*seq),
            Fault::TornLastLine { bytes } => (w.f_torn)(*bytes),
            Fault::TornIgnored { bytes } => (w.f_torn_ignored)(*bytes),
            Fault::Unreadable { detail } => (w.f_unreadable)(detail),
            Fault::BadSignature { seq, run, detail } => {
                (w.f_bad_signature)(*seq, run.as_deref().unwrap_or("-"), detail)
            }
            Fault::UnknownKey { seq, run, key } => {
                (w.f_unknown_key)(*seq, run.as_deref().unwrap_or("-"), key)
            }
            Fault::KeyOfAnother {
                seq,
                run,
                key,
                owner,
                named,
            } => (w.f_key_of_another)(*seq, run.as_deref().unwrap_or("-"), key, owner, named),
            Fault::KeyOutOfPeriod {
                seq,
                run,
                key,
                owner,
                period,
            } => (w.f_key_out_of_period)(*seq, run.as_deref().unwrap_or("-"), key, owner, period),
            Fault::Unsigned { seq, run, named } => {
                (w.f_unsigned)(*seq, run.as_deref().unwrap_or("-"), named)
            }
            Fault::AccountOfAnother {
                seq,
                run,
                account,
                owner,
                named,
            } => {
                let run = run.as_deref().unwrap_or("-");
                if owner.is_empty() {
                    (w.f_account_not_theirs)(*seq, run, account, named)
                } else {
                    (w.f_account_of_another)(*seq, run, account, owner, named)
                }
            }
            Fault::Refused {
                seq,
                run,
                named,
                why,
            } => (w.f_refused)(*seq, run.as_deref().unwrap_or("-"), named, why),
            Fault::NotUtc { seq, ts } => (w.f_not_utc)(*seq, ts),
            Fault::FromTheFuture {
                seq,
                at,
                clock,
                next,
            } => (w.f_from_the_future)(*seq, at, *next, clock),
            Fault::Unjudged { seq, run, why } => {
                (w.f_unjudged)(*seq, run.as_deref().unwrap_or("-"), why)
            }
            Fault::NotServerTime { seq, ts, server } => (w.f_not_server_time)(*seq, ts, server),
            Fault::PolicyRefused { seq, named, why } => (w.f_policy_refused)(*seq, named, why),
            Fault::PolicyOnFirstUse { seq, named } => (w.f_policy_first_use)(*seq, named),
            Fault::PinnedOther { seq, run, why } => {
                (w.f_pinned_other)(*seq, run.as_deref().unwrap_or("-"), why)
            }
            Fault::LoginOfAnother {
                seq,
                run,
                login,
                owner,
                named,
            } => {
                let run = run.as_deref().unwrap_or("-");
                if owner.is_empty() {
                    (w.f_login_not_theirs)(*seq, run, login, named)
                } else {
                    (w.f_login_of_another)(*seq, run, login, owner, named)
                }
            }
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(&crate::text::words::EN))
    }
}
