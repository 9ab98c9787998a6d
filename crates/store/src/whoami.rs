//! Who is at the keyboard, from the kernel: the process's uid and its
//! name in the system's user database (NSS: files, LDAP, SSSD alike),
//! whether the account is the host's or a user namespace's, the SSH
//! client's address, the host and a session id. Never `$USER`: anyone can
//! set it.

use std::ffi::CStr;

use crate::journal::Identity;

/// The account this process runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its name in the user database, else `uid:N`.
    pub name: String,
    /// Why it is not the host's account, when it is not: inside a user
    /// namespace, uid 0 or "alice" may be anyone on the host.
    pub foreign: Option<String>,
}

/// This process's account.
#[allow(unsafe_code)]
pub fn account() -> Account {
    // SAFETY: getuid cannot fail and reads no memory of ours.
    let uid = unsafe { libc::getuid() };
    Account {
        name: user_name(uid).unwrap_or_else(|| format!("uid:{uid}")),
        foreign: namespaced(),
    }
}

/// `uid`'s name through `getpwuid_r`, so that every NSS source answers.
#[allow(unsafe_code)]
fn user_name(uid: libc::uid_t) -> Option<String> {
    let mut buffer = vec![0_u8; 1024];
    loop {
        // SAFETY: passwd is plain data; getpwuid_r writes into it and into
        // `buffer`, whose length it is told, and sets `found` to it or null.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let status = unsafe {
            libc::getpwuid_r(
                uid,
                &raw mut entry,
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                &raw mut found,
            )
        };
        if status == libc::ERANGE && buffer.len() < 1 << 20 {
            buffer.resize(buffer.len() * 2, 0);
            continue;
        }
        if status != 0 || found.is_null() || entry.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success pw_name points to a NUL-terminated string in
        // `buffer`, alive here.
        let name = unsafe { CStr::from_ptr(entry.pw_name) };
        return name.to_str().ok().map(str::to_owned);
    }
}

/// Why this process's uids are not the host's: a `uid_map` other than the
/// identity (`0 0 4294967295`), as `unshare --user` makes.
fn namespaced() -> Option<String> {
    let map = std::fs::read_to_string("/proc/self/uid_map").ok()?;
    foreign_map(&map)
}

fn foreign_map(map: &str) -> Option<String> {
    let lines: Vec<Vec<&str>> = map
        .lines()
        .map(|l| l.split_whitespace().collect())
        .filter(|fields: &Vec<&str>| !fields.is_empty())
        .collect();
    let identity = lines.len() == 1 && lines[0] == ["0", "0", "4294967295"];
    (!identity).then(|| {
        let shown: Vec<String> = lines.iter().map(|l| l.join(" ")).collect();
        format!(
            "this process runs in a user namespace (uid_map {}): its account is not the host's",
            shown.join("; ")
        )
    })
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
    crate::journal::line::sha256_hex(seed.as_bytes())[..16].to_owned()
}

/// Who this process records as: the account's name, or `RUNBOOK_OPERATOR`
/// beside it; the SSH client's address; the host and a session.
pub fn detect(env: impl Fn(&str) -> Option<String>) -> Identity {
    let account = account();
    let named = env("RUNBOOK_OPERATOR").filter(|n| !n.trim().is_empty());
    let from = env("SSH_CLIENT")
        .or_else(|| env("SSH_CONNECTION"))
        .and_then(|v| v.split_whitespace().next().map(str::to_owned));
    let host = host();
    let session = session(&host);
    let (operator, os_user) = match named {
        Some(name) if name != account.name => (name, Some(account.name)),
        _ => (account.name, None),
    };
    Identity {
        operator,
        os_user,
        from,
        host,
        session,
        signer: None,
        foreign_account: account.foreign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ssh_client_address_and_operator_override_are_recorded() {
        let env = |name: &str| match name {
            "SSH_CLIENT" => Some("192.0.2.7 51234 22".to_owned()),
            "RUNBOOK_OPERATOR" => Some("someone-else".to_owned()),
            "USER" => Some("forged".to_owned()),
            _ => None,
        };
        let id = detect(env);
        assert_eq!(id.from.as_deref(), Some("192.0.2.7"));
        assert_eq!(id.operator, "someone-else");
        let user = id
            .os_user
            .expect("the real account is kept beside the given name");
        assert_ne!(
            user, "forged",
            "the account comes from the kernel, not $USER"
        );
        assert_eq!(user, account().name);
        assert_eq!(id.session.len(), 16);
    }

    #[test]
    #[allow(unsafe_code)]
    fn the_account_is_the_uid_s_name_in_the_user_database() {
        // SAFETY: as in `account`.
        let uid = unsafe { libc::getuid() };
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
        let listed = passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.get(2) == Some(&uid.to_string().as_str())).then(|| fields[0].to_owned())
        });
        let expected = listed.unwrap_or_else(|| format!("uid:{uid}"));
        assert_eq!(account().name, expected);
    }

    #[test]
    fn only_the_identity_uid_map_is_the_host_s() {
        assert_eq!(foreign_map("         0          0 4294967295\n"), None);
        let inside = foreign_map("         1          0          1\n").unwrap();
        assert!(inside.contains("uid_map 1 0 1"), "{inside}");
        assert!(foreign_map("0 1000 1\n1 100000 65536\n").is_some());
    }
}
