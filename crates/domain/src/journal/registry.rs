//! The site's registry of operators as the journal checks it: whose key
//! signs, for which period, and which OS accounts and database logins are
//! whose. Built from the catalog (`[[operator]]`, an `allowed_signers` file),
//! so that signing and `audit verify` read one answer.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    pub keys: Vec<Key>,
    /// (OS account, operator): an account that is one person's own.
    pub os_users: Vec<(String, String)>,
    /// (database login, operator).
    pub db_roles: Vec<(String, String)>,
    /// `[identity] require = "signature"`: every entry must be signed, from
    /// `since` (else from the journal's first signed entry).
    pub signatures: Option<Required>,
    /// `[identity] require = "account"`: an OS account proves who acted,
    /// so one that is not the host's (a user namespace's) records nothing.
    pub accounts: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Required {
    pub since: Option<DateTime<Utc>>,
}

/// A key of an operator's, and the period it signs for: a retired key
/// still proves the entries written before it was replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub fingerprint: String,
    pub operator: String,
    /// Entries at or after this instant may not be signed with it.
    pub until: Option<DateTime<Utc>>,
    /// Entries before this instant may not be signed with it.
    pub from: Option<DateTime<Utc>>,
}

/// Whose a key is, at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'r> {
    Unknown,
    Valid(&'r str),
    /// The operator's key, but not for that instant.
    OutOfPeriod(&'r Key),
}

impl<'r> Owner<'r> {
    /// The operator, when the key is theirs at that instant.
    pub fn valid(self) -> Option<&'r str> {
        match self {
            Owner::Valid(operator) => Some(operator),
            _ => None,
        }
    }
}

impl Registry {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.os_users.is_empty() && self.db_roles.is_empty()
    }

    /// Whose `fingerprint` is at `at`. A key listed twice (current and
    /// retired, say) is valid when one of its periods holds `at`.
    pub fn owner(&self, fingerprint: &str, at: DateTime<Utc>) -> Owner<'_> {
        let mut found = Owner::Unknown;
        for key in self.keys.iter().filter(|k| k.fingerprint == fingerprint) {
            if key.from.is_none_or(|from| at >= from) && key.until.is_none_or(|until| at < until) {
                return Owner::Valid(&key.operator);
            }
            found = Owner::OutOfPeriod(key);
        }
        found
    }

    /// Whose own OS account `user` is, if anyone's.
    pub fn account_owner(&self, user: &str) -> Option<&str> {
        owner_of(&self.os_users, user)
    }

    /// Whose own database login `login` is, if anyone's.
    /// Whether `account` is not `operator`'s: `Some(owner)` when it is
    /// another's own, `Some("")` when the operator lists their accounts
    /// and this is none of them.
    pub fn account_is_not_theirs(&self, operator: &str, account: &str) -> Option<String> {
        not_theirs(&self.os_users, operator, account)
    }

    pub fn login_owner(&self, login: &str) -> Option<&str> {
        owner_of(&self.db_roles, login)
    }

    /// Whether `operator` listed its logins and `login` is not one: a row
    /// written under another login than the person's.
    pub fn login_is_not_theirs(&self, operator: &str, login: &str) -> Option<String> {
        not_theirs(&self.db_roles, operator, login)
    }
}

/// Whether `name` (an account, a login) is not `operator`'s, by `pairs`
/// of (name, owner): `Some(owner)` when another's, `Some("")` when the
/// operator has names of their own and this is none of them.
fn not_theirs(pairs: &[(String, String)], operator: &str, name: &str) -> Option<String> {
    if let Some(owner) = owner_of(pairs, name) {
        return (owner != operator).then(|| owner.to_owned());
    }
    pairs.iter().any(|(_, op)| op == operator).then(String::new)
}

fn owner_of<'r>(pairs: &'r [(String, String)], name: &str) -> Option<&'r str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, op)| op.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("an instant")
    }

    #[test]
    fn a_retired_key_proves_what_it_signed_before_and_nothing_after() {
        let registry = Registry {
            keys: vec![Key {
                fingerprint: "SHA256:old".into(),
                operator: "alice".into(),
                until: Some(at("2026-10-01T00:00:00Z")),
                from: None,
            }],
            ..Registry::default()
        };
        assert_eq!(
            registry.owner("SHA256:old", at("2026-09-30T23:59:59Z")),
            Owner::Valid("alice")
        );
        assert!(matches!(
            registry.owner("SHA256:old", at("2026-10-01T00:00:00Z")),
            Owner::OutOfPeriod(key) if key.operator == "alice"
        ));
        assert_eq!(
            registry.owner("SHA256:new", at("2026-09-01T00:00:00Z")),
            Owner::Unknown
        );
    }

    #[test]
    fn an_account_is_checked_against_its_owner_and_the_operator_s_own_list() {
        let registry = Registry {
            os_users: vec![("alice".into(), "alice".into())],
            ..Registry::default()
        };
        assert_eq!(registry.account_is_not_theirs("alice", "alice"), None);
        assert_eq!(
            registry.account_is_not_theirs("bob", "alice").as_deref(),
            Some("alice")
        );
        assert_eq!(
            registry.account_is_not_theirs("alice", "root").as_deref(),
            Some(""),
            "alice lists her accounts, and root is not one"
        );
        assert_eq!(registry.account_is_not_theirs("bob", "root"), None);
    }

    #[test]
    fn a_login_is_checked_against_its_owner_and_the_operator_s_own_list() {
        let registry = Registry {
            db_roles: vec![("alice_db".into(), "alice".into())],
            ..Registry::default()
        };
        assert_eq!(registry.login_is_not_theirs("alice", "alice_db"), None);
        assert_eq!(
            registry.login_is_not_theirs("bob", "alice_db").as_deref(),
            Some("alice")
        );
        assert_eq!(
            registry.login_is_not_theirs("alice", "shared").as_deref(),
            Some("")
        );
        assert_eq!(registry.login_is_not_theirs("bob", "shared"), None);
    }
}
