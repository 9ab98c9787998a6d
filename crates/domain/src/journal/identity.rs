//! Who is at the keyboard, and where: the OS user, the SSH client address,
//! the host, and a session id, as recorded in every entry. Read from the
//! system by the store (`whoami`), never from input.

use serde::{Deserialize, Serialize};

/// Who is writing: recorded in every entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The operator's name: the OS user, or `RUNBOOK_OPERATOR` when set.
    pub operator: String,
    /// The OS user, when the operator name was given otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_user: Option<String>,
    /// The SSH client address, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    pub host: String,
    pub session: String,
    /// The person's own key, when one signs this process's entries.
    #[serde(skip)]
    pub signer: Option<super::sign::SignerHandle>,
    /// Why the OS account is not the host's (a user namespace), when it
    /// is not: it then proves no one.
    #[serde(skip)]
    pub foreign_account: Option<String>,
}

impl Identity {
    /// What proves this process's entries are this person's.
    pub fn proof(&self) -> String {
        let signer = self.signer.as_ref().map(|s| s.0.fingerprint());
        proof(&self.operator, self.os_user.as_deref(), &self.host, signer)
    }
}

/// What proves who wrote an entry: the key that signed it, else the OS
/// account on its host. A name given by `RUNBOOK_OPERATOR` is a display
/// name: two names on one account are one proof.
pub fn proof(operator: &str, os_user: Option<&str>, host: &str, signer: Option<&str>) -> String {
    match signer {
        Some(key) => format!("key {key}"),
        None => format!("account {}@{host}", os_user.unwrap_or(operator)),
    }
}
