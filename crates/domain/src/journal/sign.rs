//! Signed entries: an entry a person's own SSH key signs carries, as its
//! last members before the seal, `"signer"` (the key's SHA-256 fingerprint)
//! and `"sig"` (an OpenSSH SSHSIG signature, namespace `runbook`, its PEM
//! body without the armour). The signed message is the line's bytes before
//! `,"sig":"`: every member of the entry, its link to the chain (`prev`)
//! and the signer. The hash then covers the signature, so the chain does
//! too. `ssh-keygen -Y verify -n runbook` checks one entry with nothing but
//! OpenSSH (docs/journal-format.md says how).

use std::fmt;
use std::sync::Arc;

use ssh_key::{HashAlg, PublicKey, SshSig};

/// The SSHSIG namespace of runbook's signatures: a signature made for git
/// or for a file never passes for a journal entry.
pub const NAMESPACE: &str = "runbook";
/// The hash SSHSIG signs over, as OpenSSH's `ssh-keygen -Y sign` does.
pub const HASH: HashAlg = HashAlg::Sha512;

const SIG_OPEN: &[u8] = b",\"sig\":\"";

/// Something that signs with one key: the SSH agent, or a key file.
pub trait Signer: Send + Sync {
    /// The key's fingerprint, `SHA256:…`.
    fn fingerprint(&self) -> &str;
    /// The SSHSIG over `message` (namespace `runbook`), encoded as the PEM
    /// body on one line; or why the key could not sign, in words.
    fn sign(&self, message: &[u8]) -> Result<String, String>;
}

/// A signer shared by the clones of an identity.
#[derive(Clone)]
pub struct SignerHandle(pub Arc<dyn Signer>);

impl fmt::Debug for SignerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signer {}", self.0.fingerprint())
    }
}

impl PartialEq for SignerHandle {
    fn eq(&self, other: &Self) -> bool {
        self.0.fingerprint() == other.0.fingerprint()
    }
}

impl Eq for SignerHandle {}

/// Signs an entry's serialised object (`{…,"prev":"…"}`): returns the
/// object with `signer` and `sig` added as its last members.
pub fn sign_object(object: &[u8], signer: &dyn Signer) -> Result<Vec<u8>, String> {
    let Some(open) = object.strip_suffix(b"}") else {
        return Err("an entry that is not a JSON object".to_owned());
    };
    let mut message = open.to_vec();
    message.extend_from_slice(b",\"signer\":\"");
    message.extend_from_slice(signer.fingerprint().as_bytes());
    message.push(b'"');
    let sig = signer.sign(&message)?;
    let mut entry = message;
    entry.extend_from_slice(SIG_OPEN);
    entry.extend_from_slice(sig.as_bytes());
    entry.extend_from_slice(b"\"}");
    Ok(entry)
}

/// A signed entry's parts: the message signed and the signature's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed<'a> {
    pub message: &'a [u8],
    pub sig: &'a str,
}

/// Splits an entry's body (its bytes before `,"hash":`) into what was
/// signed and the signature; `None` for an unsigned entry.
pub fn split(body: &[u8]) -> Option<Signed<'_>> {
    static OPEN: std::sync::LazyLock<memchr::memmem::FinderRev<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::FinderRev::new(SIG_OPEN));
    let at = OPEN.rfind(body)?;
    let rest = body.get(at + SIG_OPEN.len()..)?;
    let sig = rest.strip_suffix(b"\"")?;
    let sig = std::str::from_utf8(sig).ok()?;
    sig.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
        .then_some(Signed {
            message: &body[..at],
            sig,
        })
}

/// The signature in OpenSSH's armour, as `ssh-keygen -Y verify -s` reads it.
pub fn armoured(sig: &str) -> String {
    let mut pem = String::from("-----BEGIN SSH SIGNATURE-----\n");
    for chunk in sig.as_bytes().chunks(70) {
        pem.push_str(&String::from_utf8_lossy(chunk));
        pem.push('\n');
    }
    pem.push_str("-----END SSH SIGNATURE-----\n");
    pem
}

/// The armour's body on one line: what `sig` holds.
pub fn unarmoured(pem: &str) -> String {
    pem.lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect()
}

/// Checks a signature over `message`: the key that made it, or why not.
pub fn check(message: &[u8], sig: &str) -> Result<PublicKey, String> {
    let parsed = SshSig::from_pem(armoured(sig)).map_err(|e| format!("not a signature: {e}"))?;
    if parsed.namespace() != NAMESPACE {
        return Err(format!(
            "signed for `{}`, not for runbook",
            parsed.namespace()
        ));
    }
    let key = PublicKey::from(parsed.public_key().clone());
    key.verify(NAMESPACE, message, &parsed)
        .map_err(|_| "the signature does not match the entry".to_owned())?;
    Ok(key)
}

/// A key's fingerprint as OpenSSH prints it: `SHA256:…`.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_what_was_signed_from_the_signature_and_leaves_unsigned_bodies() {
        let body = br#"{"seq":1,"prev":"00","signer":"SHA256:abc","sig":"U1NIU0lH+/=""#;
        let signed = split(&body[..]).unwrap();
        assert_eq!(
            signed.message,
            br#"{"seq":1,"prev":"00","signer":"SHA256:abc""#
        );
        assert_eq!(signed.sig, "U1NIU0lH+/=");
        assert_eq!(split(br#"{"seq":1,"prev":"00""#), None);
        // A note that happens to hold the marker is not a signature.
        assert_eq!(split(br#"{"note":",\"sig\":\"x y","prev":"00""#), None);
    }

    #[test]
    fn the_armour_goes_and_comes_back() {
        let body = "A".repeat(150);
        let pem = armoured(&body);
        assert!(pem.lines().all(|l| l.len() <= 70 || l.starts_with("-----")));
        assert_eq!(unarmoured(&pem), body);
    }
}
