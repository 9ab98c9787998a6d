//! Who is at the keyboard, and where: the OS user, the SSH client address,
//! the host, and a session id. Read from the system, never from input.

use std::os::unix::fs::MetadataExt;

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
}

impl Identity {
    /// What proves this process's entries are this person's.
    pub fn proof(&self) -> String {
        let signer = self.signer.as_ref().map(|s| s.0.fingerprint());
        proof(&self.operator, self.os_user.as_deref(), &self.host, signer)
    }
}

/// The name of the user running this process: its uid looked up in
/// `/etc/passwd`, else `USER`/`LOGNAME`, else `uid:N`.
fn os_user(env: &impl Fn(&str) -> Option<String>) -> String {
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).ok();
    if let Some(uid) = uid {
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        let name = passwd.lines().find_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let id = fields.nth(1)?;
            (id.parse() == Ok(uid)).then(|| name.to_owned())
        });
        if let Some(name) = name {
            return name;
        }
    }
    env("USER")
        .or_else(|| env("LOGNAME"))
        .or_else(|| uid.map(|u| format!("uid:{u}")))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// A session id unique enough to tell two terminals apart in a journal.
fn session(host: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let seed = format!("{host}|{}|{nanos}", std::process::id());
    super::line::sha256_hex(seed.as_bytes())[..16].to_owned()
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

pub fn detect(env: impl Fn(&str) -> Option<String>) -> Identity {
    let user = os_user(&env);
    let named = env("RUNBOOK_OPERATOR").filter(|n| !n.trim().is_empty());
    let from = env("SSH_CLIENT")
        .or_else(|| env("SSH_CONNECTION"))
        .and_then(|v| v.split_whitespace().next().map(str::to_owned));
    let host = host();
    let session = session(&host);
    match named {
        Some(name) if name != user => Identity {
            operator: name,
            os_user: Some(user),
            from,
            host,
            session,
            signer: None,
        },
        _ => Identity {
            operator: user,
            os_user: None,
            from,
            host,
            session,
            signer: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ssh_client_address_and_operator_override_are_recorded() {
        let env = |name: &str| match name {
            "SSH_CLIENT" => Some("192.0.2.7 51234 22".to_owned()),
            "RUNBOOK_OPERATOR" => Some("alice".to_owned()),
            _ => None,
        };
        let id = detect(env);
        assert_eq!(id.from.as_deref(), Some("192.0.2.7"));
        assert_eq!(id.operator, "alice");
        assert!(
            id.os_user.is_some(),
            "the real OS user is kept beside the given name"
        );
        assert_eq!(id.session.len(), 16);
    }
}
