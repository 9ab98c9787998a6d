//! `[identity]`: what proves who acts, as the team's site sets it.
//!
//! `require = "account"` (the default): the proof is the signing key when
//! there is one, else the OS account on its host; a second operator whose
//! proof is the first's is the same person. `"signature"`: every entry must
//! be signed by a key of the registry. `"none"`: names are taken as given.

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Require {
    Signature,
    #[default]
    Account,
    None,
}

impl Require {
    pub const NAMES: [&'static str; 3] = ["signature", "account", "none"];

    pub fn name(self) -> &'static str {
        match self {
            Require::Signature => "signature",
            Require::Account => "account",
            Require::None => "none",
        }
    }

    /// Whether two operators with one proof are one person.
    pub fn checks_proof(self) -> bool {
        self != Require::None
    }
}

/// A person of the team, as the site's registry names them: the keys that
/// sign for them, the roles they hold, their own accounts and logins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    pub id: String,
    pub name: Option<String>,
    pub keys: Vec<OperatorKey>,
    pub roles: Vec<String>,
    /// OS accounts that are this person's own (never a shared one).
    pub os_users: Vec<String>,
    /// PostgreSQL logins that are this person's own.
    pub db_roles: Vec<String>,
    #[serde(skip)]
    pub origin: super::diagnostic::Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorKey {
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The OpenSSH public-key line, as written.
    pub openssh: String,
    /// A retired key signs nothing from this instant on; what it signed
    /// before still verifies.
    pub until: Option<DateTime<Utc>>,
    /// An `allowed_signers` line's `valid-after`.
    pub from: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub origin: super::diagnostic::Origin,
}

impl OperatorKey {
    /// Parses an OpenSSH public-key line; `Err` says why not.
    pub fn parse(line: &str, origin: super::diagnostic::Origin) -> Result<OperatorKey, String> {
        let key = ssh_key::PublicKey::from_openssh(line.trim()).map_err(|e| e.to_string())?;
        Ok(OperatorKey {
            fingerprint: crate::journal::sign::fingerprint(&key),
            openssh: line.trim().to_owned(),
            until: None,
            from: None,
            origin,
        })
    }
}
