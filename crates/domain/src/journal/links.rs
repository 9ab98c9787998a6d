//! The chain's rule, line by line: a line's seal holds (its hash is its
//! body's, its MAC is the key's), and it follows the line before (the
//! next sequence, naming that line's hash). `audit verify` reports every
//! way a line breaks it; the store's tail stops trusting at the first.
//! Both ask here, so they cannot disagree on what "intact" is.

use super::fault::Fault;
use super::line::{Sealed, ZERO_HASH, mac_hex, sha256_hex};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Previous {
    /// Nothing before: the first line is the genesis.
    Genesis,
    /// The line before could not be read: this one's link is not judged.
    Unknown,
    Known {
        seq: u64,
        hash: String,
    },
}

#[derive(Debug, Clone)]
pub struct Links<'k> {
    key: Option<&'k [u8]>,
    previous: Previous,
}

impl<'k> Links<'k> {
    /// From the first line of a journal.
    pub fn from_genesis(key: Option<&'k [u8]>) -> Self {
        Links {
            key,
            previous: Previous::Genesis,
        }
    }

    /// From a line already verified (a checkpoint): its sequence and hash.
    pub fn from_head(key: Option<&'k [u8]>, seq: u64, hash: String) -> Self {
        Links {
            key,
            previous: Previous::Known { seq, hash },
        }
    }

    /// The seal's faults: a hash that is not the body's, a MAC that is not
    /// the key's (or missing where a key is held).
    pub fn seal(&self, sealed: &Sealed<'_>) -> Vec<Fault> {
        let mut faults = Vec::new();
        if sha256_hex(sealed.body) != sealed.hash {
            faults.push(Fault::HashMismatch);
        }
        match (self.key, sealed.mac) {
            (Some(key), Some(mac)) if mac_hex(key, sealed.hash) != mac => {
                faults.push(Fault::MacMismatch);
            }
            (Some(_), None) => faults.push(Fault::NoMac),
            _ => {}
        }
        faults
    }

    /// Whether the entry `seq`, naming `prev`, follows the line before;
    /// the chain then goes on from it (sealed with `hash`) either way.
    pub fn link(&mut self, seq: u64, prev: &str, hash: &str) -> Option<Fault> {
        let fault = match &self.previous {
            Previous::Genesis if seq != 0 || prev != ZERO_HASH => Some(Fault::NotGenesis),
            Previous::Known { seq: last, .. } if seq != last + 1 => Some(Fault::SequenceJump {
                from: *last,
                to: seq,
            }),
            Previous::Known { hash: last, .. } if prev != last => Some(Fault::BrokenLink { seq }),
            _ => None,
        };
        self.previous = Previous::Known {
            seq,
            hash: hash.to_owned(),
        };
        fault
    }

    /// A line that could not be read: the next one's link is not judged.
    pub fn lost(&mut self) {
        self.previous = Previous::Unknown;
    }

    /// The last line linked: its sequence and hash.
    pub fn head(&self) -> Option<(u64, &str)> {
        match &self.previous {
            Previous::Known { seq, hash } => Some((*seq, hash)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::line::{seal, unseal};

    fn line(seq: u64, prev: &str, key: Option<&[u8]>) -> (Vec<u8>, String) {
        let body = format!("{{\"seq\":{seq},\"prev\":\"{prev}\"}}");
        let (mut line, hash) = seal(body.as_bytes(), key);
        line.pop();
        (line, hash)
    }

    #[test]
    fn each_way_a_line_breaks_the_chain_is_named() {
        let mut links = Links::from_genesis(None);
        assert_eq!(links.link(1, ZERO_HASH, "a"), Some(Fault::NotGenesis));
        assert_eq!(
            links.link(3, "a", "b"),
            Some(Fault::SequenceJump { from: 1, to: 3 })
        );
        assert_eq!(links.link(4, "x", "c"), Some(Fault::BrokenLink { seq: 4 }));
        assert_eq!(links.link(5, "c", "d"), None);
        links.lost();
        assert_eq!(
            links.link(9, "z", "e"),
            None,
            "not judged after a lost line"
        );
        assert_eq!(links.head(), Some((9, "e")));
    }

    #[test]
    fn a_seal_holds_only_with_its_own_hash_and_the_keys_mac() {
        let key = b"k".as_slice();
        let (plain, _) = line(0, ZERO_HASH, None);
        let (keyed, _) = line(0, ZERO_HASH, Some(key));
        let links = Links::from_genesis(Some(key));
        assert_eq!(links.seal(&unseal(&keyed).unwrap()), []);
        assert_eq!(links.seal(&unseal(&plain).unwrap()), [Fault::NoMac]);
        let other = Links::from_genesis(Some(b"other".as_slice()));
        assert_eq!(other.seal(&unseal(&keyed).unwrap()), [Fault::MacMismatch]);
        let mut edited = plain.clone();
        edited[7] = b'1';
        assert_eq!(
            Links::from_genesis(None).seal(&unseal(&edited).unwrap()),
            [Fault::HashMismatch]
        );
    }
}
