//! The byte layout of one journal line.
//!
//! A line is a JSON object whose last members are the hash (and, on a keyed
//! journal, the MAC):
//!
//! ```text
//! {"seq":1,"ts":"…",…,"prev":"<64 hex>","hash":"<64 hex>"}\n
//! {"seq":1,"ts":"…",…,"prev":"<64 hex>","hash":"<64 hex>","mac":"<64 hex>"}\n
//! ```
//!
//! The hash is SHA-256 over the exact bytes before `,"hash":` — as written,
//! so verifying never depends on serialising JSON the same way twice. The
//! MAC is HMAC-SHA256 over the hash, with a key that is never written.

use ring::{digest, hmac};

const HASH_OPEN: &[u8] = b",\"hash\":\"";
const MAC_OPEN: &[u8] = b"\",\"mac\":\"";
const CLOSE: &[u8] = b"\"}";
const HEX: usize = 64;
/// `,"hash":"<64>"}`
const PLAIN_TAIL: usize = HASH_OPEN.len() + HEX + CLOSE.len();
/// `,"hash":"<64>","mac":"<64>"}`
const KEYED_TAIL: usize = HASH_OPEN.len() + HEX + MAC_OPEN.len() + HEX + CLOSE.len();

/// The hash of the genesis entry's predecessor.
pub const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A line split into the part that is hashed and what seals it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sealed<'a> {
    pub body: &'a [u8],
    pub hash: &'a str,
    pub mac: Option<&'a str>,
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

fn is_hex(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn hex_str(range: &[u8]) -> Option<&str> {
    if is_hex(range) {
        std::str::from_utf8(range).ok()
    } else {
        None
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

pub fn mac_hex(key: &[u8], hash: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    hex(hmac::sign(&key, hash.as_bytes()).as_ref())
}

/// Seals a serialised entry body (a JSON object) into a line with its
/// newline; returns the line and its hash.
pub fn seal(object: &[u8], key: Option<&[u8]>) -> (Vec<u8>, String) {
    // The body is the object without its closing brace.
    let body = object.strip_suffix(b"}").unwrap_or(object);
    let hash = sha256_hex(body);
    let mut line = Vec::with_capacity(body.len() + KEYED_TAIL + 1);
    line.extend_from_slice(body);
    line.extend_from_slice(HASH_OPEN);
    line.extend_from_slice(hash.as_bytes());
    if let Some(key) = key {
        line.extend_from_slice(MAC_OPEN);
        line.extend_from_slice(mac_hex(key, &hash).as_bytes());
    }
    line.extend_from_slice(CLOSE);
    line.push(b'\n');
    (line, hash)
}

/// Splits a line (without its newline) into body, hash and MAC; `None`
/// when its tail is not one of the two layouts.
pub fn unseal(line: &[u8]) -> Option<Sealed<'_>> {
    if !line.ends_with(CLOSE) {
        return None;
    }
    if line.len() >= KEYED_TAIL {
        let tail = &line[line.len() - KEYED_TAIL..];
        let mac_at = HASH_OPEN.len() + HEX;
        if tail.starts_with(HASH_OPEN) && tail[mac_at..].starts_with(MAC_OPEN) {
            let hash = hex_str(&tail[HASH_OPEN.len()..mac_at])?;
            let mac_start = mac_at + MAC_OPEN.len();
            let mac = hex_str(&tail[mac_start..mac_start + HEX])?;
            return Some(Sealed {
                body: &line[..line.len() - KEYED_TAIL],
                hash,
                mac: Some(mac),
            });
        }
    }
    if line.len() >= PLAIN_TAIL {
        let tail = &line[line.len() - PLAIN_TAIL..];
        if tail.starts_with(HASH_OPEN) {
            let hash = hex_str(&tail[HASH_OPEN.len()..HASH_OPEN.len() + HEX])?;
            return Some(Sealed {
                body: &line[..line.len() - PLAIN_TAIL],
                hash,
                mac: None,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_lines_unseal_to_the_same_parts() {
        let (line, hash) = seal(br#"{"seq":1,"prev":"x"}"#, None);
        assert!(line.ends_with(b"\"}\n"));
        let sealed = unseal(&line[..line.len() - 1]).unwrap();
        assert_eq!(sealed.body, br#"{"seq":1,"prev":"x""#);
        assert_eq!(sealed.hash, hash);
        assert_eq!(sealed.hash, sha256_hex(sealed.body));
        assert!(sealed.mac.is_none());
        assert!(serde_json::from_slice::<serde_json::Value>(&line).is_ok());
    }

    #[test]
    fn keyed_lines_carry_a_mac_that_needs_the_key() {
        let (line, hash) = seal(br#"{"seq":1}"#, Some(b"k1"));
        let sealed = unseal(&line[..line.len() - 1]).unwrap();
        assert_eq!(sealed.mac, Some(mac_hex(b"k1", &hash).as_str()));
        assert_ne!(sealed.mac, Some(mac_hex(b"k2", &hash).as_str()));
        assert!(serde_json::from_slice::<serde_json::Value>(&line).is_ok());
    }

    #[test]
    fn malformed_tails_are_refused() {
        assert!(unseal(b"").is_none());
        assert!(unseal(b"{\"seq\":1}").is_none());
        let (line, _) = seal(br#"{"seq":1}"#, None);
        let mut bad = line[..line.len() - 1].to_vec();
        let at = bad.len() - 5;
        bad[at] = b'G';
        assert!(unseal(&bad).is_none());
    }
}
