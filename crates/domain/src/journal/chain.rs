//! Sealing a batch of records onto a chain's head: the sequence numbers,
//! the links and the hashes. Where the lines then go (a file, a database)
//! is the store's business; the bytes are the same everywhere, so a journal
//! moved between stores keeps its hashes.

use chrono::{DateTime, Utc};

use super::entry::{Appended, Body, Identity, Record, Stamp, timestamp};
use super::line::{ZERO_HASH, seal};
use crate::run::Event;

/// The last entry of a chain: its sequence number and hash.
pub type Head = (u64, String);

/// One sealed line, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub seq: u64,
    pub hash: String,
    /// The line with its newline.
    pub line: Vec<u8>,
}

/// The time a sealed line was stamped with (its `ts`).
pub fn time_of(line: &[u8]) -> Option<DateTime<Utc>> {
    #[derive(serde::Deserialize)]
    struct Ts {
        ts: DateTime<Utc>,
    }
    serde_json::from_slice::<Ts>(line).ok().map(|t| t.ts)
}

/// The records a store must write before the caller's: the genesis entry
/// on an empty journal.
pub fn genesis(head: Option<&Head>, keyed: bool) -> Option<Record> {
    head.is_none().then_some(Record {
        run: None,
        event: Event::JournalCreated { version: 1, keyed },
    })
}

/// Seals `records` after `head` (none: an empty journal), all stamped
/// `now`; in a drill, the entries of runs carry the drill time as well.
pub fn seal_batch(
    head: Option<&Head>,
    records: &[Record],
    identity: &Identity,
    key: Option<&[u8]>,
    now: impl Into<Stamp>,
) -> Result<Vec<Sealed>, Box<dyn std::error::Error + Send + Sync>> {
    let now = now.into();
    let ts = timestamp(now.real);
    let drill_ts = now.drill.map(timestamp);
    let clock = now.clock.map(timestamp);
    let mut seq = head.map(|(seq, _)| *seq);
    let mut prev = head.map_or_else(|| ZERO_HASH.to_owned(), |(_, hash)| hash.clone());
    let mut sealed = Vec::with_capacity(records.len());
    for record in records {
        let next = seq.map_or(0, |s| s + 1);
        let body = Body {
            seq: next,
            ts: ts.clone(),
            drill_ts: record.run.as_ref().and(drill_ts.clone()),
            clock: clock.clone(),
            operator: &identity.operator,
            os_user: identity.os_user.as_deref(),
            from: identity.from.as_deref(),
            host: &identity.host,
            session: &identity.session,
            run: record.run.as_deref(),
            event: &record.event,
            prev: &prev,
        };
        let mut object = serde_json::to_vec(&body)?;
        if let Some(signer) = &identity.signer {
            object = super::sign::sign_object(&object, signer.0.as_ref())?;
        }
        let (line, hash) = seal(&object, key);
        sealed.push(Sealed {
            seq: next,
            hash: hash.clone(),
            line,
        });
        seq = Some(next);
        prev = hash;
    }
    Ok(sealed)
}

/// What the caller is told of its own records: the last `asked` of the
/// batch (the genesis or recovery entries before them are the journal's).
pub fn appended(sealed: &[Sealed], asked: usize, now: DateTime<Utc>) -> Vec<Appended> {
    sealed[sealed.len().saturating_sub(asked)..]
        .iter()
        .map(|s| Appended {
            seq: s.seq,
            hash: s.hash.clone(),
            at: now,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::line::{sha256_hex, unseal};

    fn identity() -> Identity {
        Identity {
            operator: "ana".into(),
            os_user: None,
            from: None,
            host: "h".into(),
            session: "s".into(),
            signer: None,
            foreign_account: None,
        }
    }

    #[test]
    fn a_batch_links_each_line_to_the_one_before() {
        let note = |n: &str| Record {
            run: Some("r".into()),
            event: Event::JournalCreated {
                version: 1,
                keyed: n == "k",
            },
        };
        let head = (41, "a".repeat(64));
        let sealed = seal_batch(
            Some(&head),
            &[note("x"), note("k")],
            &identity(),
            None,
            Utc::now(),
        )
        .unwrap();
        assert_eq!(sealed.iter().map(|s| s.seq).collect::<Vec<_>>(), [42, 43]);
        let first = unseal(sealed[0].line.strip_suffix(b"\n").unwrap()).unwrap();
        assert!(
            first
                .body
                .ends_with(format!("\"prev\":\"{}\"", head.1).as_bytes())
        );
        assert_eq!(sha256_hex(first.body), sealed[0].hash);
        let second = unseal(sealed[1].line.strip_suffix(b"\n").unwrap()).unwrap();
        assert!(
            second
                .body
                .ends_with(format!("\"prev\":\"{}\"", sealed[0].hash).as_bytes())
        );
        assert_eq!(appended(&sealed, 1, Utc::now())[0].seq, 43);
    }

    #[test]
    fn an_empty_journal_starts_at_zero_after_the_zero_hash() {
        assert!(genesis(None, false).is_some());
        assert!(genesis(Some(&(0, String::new())), false).is_none());
        let sealed = seal_batch(
            None,
            &[genesis(None, true).unwrap()],
            &identity(),
            None,
            Utc::now(),
        )
        .unwrap();
        assert_eq!(sealed[0].seq, 0);
        assert!(String::from_utf8_lossy(&sealed[0].line).contains(ZERO_HASH));
    }
}
