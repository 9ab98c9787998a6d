//! Who may read `/internal`: the site's `[[viewer]]`s, by a basic-auth
//! password checked against its PBKDF2 hash, or a bearer token against
//! its SHA-256. Neither secret is kept: a credential seen valid is
//! remembered by its own hash, so the slow check runs once per
//! credential, not per request.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;

use base64::Engine as _;
use ring::{digest, pbkdf2};

use crate::catalog::Viewer;

/// PBKDF2-HMAC-SHA256 rounds for a new hash (OWASP's advice for it).
pub const ROUNDS: u32 = 600_000;
const REMEMBERED: usize = 256;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD_NO_PAD
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, bytes).as_ref());
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A password's hash for a `[[viewer]]` (`password = "…"`), with a fresh
/// random salt.
pub fn hash_password(password: &str, rounds: u32) -> Result<String, ring::error::Unspecified> {
    let mut salt = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut salt)?;
    let rounds = NonZeroU32::new(rounds.max(10_000)).ok_or(ring::error::Unspecified)?;
    let mut hash = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        rounds,
        &salt,
        password.as_bytes(),
        &mut hash,
    );
    Ok(format!(
        "pbkdf2-sha256${rounds}${}${}",
        b64().encode(salt),
        b64().encode(hash)
    ))
}

/// A token's hash for a `[[viewer]]` (`token_sha256 = "…"`).
pub fn hash_token(token: &str) -> String {
    hex(&sha256(token.as_bytes()))
}

fn password_matches(stored: &str, password: &str) -> bool {
    let parts: Vec<&str> = stored.split('$').collect();
    let [_, rounds, salt, hash] = parts.as_slice() else {
        return false;
    };
    let (Some(rounds), Ok(salt), Ok(hash)) = (
        rounds.parse::<u32>().ok().and_then(NonZeroU32::new),
        b64().decode(salt),
        b64().decode(hash),
    ) else {
        return false;
    };
    pbkdf2::verify(
        pbkdf2::PBKDF2_HMAC_SHA256,
        rounds,
        &salt,
        password.as_bytes(),
        &hash,
    )
    .is_ok()
}

/// Equal without saying where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug)]
pub struct Viewers {
    viewers: Vec<Viewer>,
    /// Credentials found valid, by their SHA-256: the viewer's id.
    seen: Mutex<HashMap<[u8; 32], String>>,
}

impl Viewers {
    pub fn new(viewers: Vec<Viewer>) -> Self {
        Viewers {
            viewers,
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.viewers.is_empty()
    }

    /// The viewer an `Authorization` header proves, if it proves one.
    pub fn check(&self, authorization: Option<&str>) -> Option<String> {
        let header = authorization?.trim();
        let key = sha256(header.as_bytes());
        if let Ok(seen) = self.seen.lock()
            && let Some(id) = seen.get(&key)
        {
            return Some(id.clone());
        }
        let found = self.verify(header)?;
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() >= REMEMBERED {
                seen.clear();
            }
            seen.insert(key, found.clone());
        }
        Some(found)
    }

    fn verify(&self, header: &str) -> Option<String> {
        let (scheme, credential) = header.split_once(' ')?;
        let credential = credential.trim();
        if scheme.eq_ignore_ascii_case("bearer") {
            let given = hash_token(credential);
            return self
                .viewers
                .iter()
                .find(|v| {
                    v.token_sha256
                        .as_deref()
                        .is_some_and(|t| same(t.as_bytes(), given.as_bytes()))
                })
                .map(|v| v.id.clone());
        }
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(credential)
            .ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (user, password) = decoded.split_once(':')?;
        let viewer = self.viewers.iter().find(|v| v.id == user)?;
        password_matches(viewer.password.as_deref()?, password).then(|| viewer.id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewers() -> Viewers {
        Viewers::new(vec![
            Viewer {
                id: "board".into(),
                password: Some(hash_password("correct horse", 10_000).unwrap()),
                token_sha256: None,
                origin: crate::catalog::diagnostic::Origin::default(),
            },
            Viewer {
                id: "wallboard".into(),
                password: None,
                token_sha256: Some(hash_token("t0ken")),
                origin: crate::catalog::diagnostic::Origin::default(),
            },
        ])
    }

    fn basic(user: &str, password: &str) -> String {
        let pair = format!("{user}:{password}");
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }

    #[test]
    fn a_viewer_is_proved_by_its_password_or_its_token_and_nothing_else() {
        let viewers = viewers();
        assert_eq!(
            viewers
                .check(Some(&basic("board", "correct horse")))
                .as_deref(),
            Some("board")
        );
        // Again, from memory of the credential.
        assert_eq!(
            viewers
                .check(Some(&basic("board", "correct horse")))
                .as_deref(),
            Some("board")
        );
        assert_eq!(viewers.check(Some(&basic("board", "wrong"))), None);
        assert_eq!(viewers.check(Some(&basic("wallboard", ""))), None);
        assert_eq!(
            viewers.check(Some("Bearer t0ken")).as_deref(),
            Some("wallboard")
        );
        assert_eq!(viewers.check(Some("Bearer t0kem")), None);
        assert_eq!(viewers.check(Some("Digest x")), None);
        assert_eq!(viewers.check(None), None);
    }

    #[test]
    fn a_password_hash_is_salted_and_keeps_no_password() {
        let a = hash_password("secret", 10_000).unwrap();
        let b = hash_password("secret", 10_000).unwrap();
        assert_ne!(a, b);
        assert!(!a.contains("secret"));
        assert!(a.starts_with("pbkdf2-sha256$10000$"));
        assert!(password_matches(&a, "secret"));
        assert!(!password_matches(&a, "Secret"));
    }
}
