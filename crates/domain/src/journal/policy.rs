//! The team's rules of identity, published into the journal: who the
//! operators are (their keys, OS accounts, database logins), who holds
//! which role, what proves who acts, and which roles may publish the next
//! policy. Every process judges by the journal's latest accepted policy,
//! not by whatever site file it was given, so a role granted in one's own
//! site layer, or a key swapped in a copy of the team's site, grants
//! nothing.
//!
//! A policy is signed twice: as an entry (like any), and on its own words,
//! so that a reader that folds the ledger without the chain can still
//! tell a published policy from a forged one. The first policy of a
//! journal is trusted on first use (and said so); each later one must be
//! signed by a key whose holder has a role the policy before names as a
//! publisher.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::registry::{Key, Registry, Required};
use crate::catalog::Catalog;
use crate::catalog::identity::Require;

/// What the policy's own signature covers is its JSON after this, so a
/// policy's signature never passes for an entry's.
const DOMAIN: &[u8] = b"runbook policy 1\n";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// `signature`, `account` or `none`.
    pub require: Require,
    pub operators: Vec<Person>,
    pub roles: Vec<Holders>,
    /// The roles whose holders may publish the next policy.
    pub publishers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<PersonKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub os_users: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub db_roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonKey {
    pub fingerprint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holders {
    pub role: String,
    pub holders: Vec<String>,
}

/// A policy as published: its words and their signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub policy: Policy,
    /// The SSHSIG over the policy's words, as an entry's `sig` is written.
    pub signature: String,
}

impl Policy {
    /// The policy the site `catalog` describes.
    pub fn of(catalog: &Catalog, publishers: Vec<String>) -> Policy {
        let operators = catalog
            .operators
            .iter()
            .map(|o| Person {
                id: o.id.clone(),
                keys: o
                    .keys
                    .iter()
                    .map(|k| PersonKey {
                        fingerprint: k.fingerprint.clone(),
                        from: k.from,
                        until: k.until,
                    })
                    .collect(),
                os_users: o.os_users.clone(),
                db_roles: o.db_roles.clone(),
            })
            .collect();
        let roles = catalog
            .roles
            .iter()
            .map(|r| Holders {
                role: r.id.clone(),
                holders: r.holders.clone(),
            })
            .collect();
        Policy {
            require: catalog.require,
            operators,
            roles,
            publishers,
        }
    }

    /// The words a publisher signs.
    pub fn message(&self) -> Vec<u8> {
        let mut message = DOMAIN.to_vec();
        // Plain data with string keys always serialises.
        message.extend(serde_json::to_vec(self).unwrap_or_default());
        message
    }

    pub fn holds(&self, operator: &str, role: &str) -> bool {
        self.roles
            .iter()
            .any(|r| r.role == role && r.holders.iter().any(|h| h == operator))
    }

    /// Whose key `fingerprint` is, at `at`.
    pub fn owner(&self, fingerprint: &str, at: DateTime<Utc>) -> Option<&str> {
        self.operators.iter().find_map(|o| {
            o.keys
                .iter()
                .any(|k| {
                    k.fingerprint == fingerprint
                        && k.from.is_none_or(|from| at >= from)
                        && k.until.is_none_or(|until| at < until)
                })
                .then_some(o.id.as_str())
        })
    }

    /// The registry signing and `audit verify` check, signatures required
    /// from `since` where the policy requires them.
    pub fn registry(&self, since: Option<DateTime<Utc>>) -> Registry {
        let keys = self.operators.iter().flat_map(|o| {
            o.keys.iter().map(|k| Key {
                fingerprint: k.fingerprint.clone(),
                operator: o.id.clone(),
                until: k.until,
                from: k.from,
            })
        });
        let pairs = |list: fn(&Person) -> &Vec<String>| {
            self.operators
                .iter()
                .flat_map(|o| list(o).iter().map(|n| (n.clone(), o.id.clone())))
                .collect()
        };
        Registry {
            keys: keys.collect(),
            os_users: pairs(|o| &o.os_users),
            db_roles: pairs(|o| &o.db_roles),
            signatures: (self.require == Require::Signature).then_some(Required { since }),
            accounts: self.require == Require::Account,
        }
    }

    /// `catalog` with this policy's operators, roles and requirement in
    /// place of its site's.
    pub fn apply(&self, catalog: &mut Catalog) {
        catalog.require = self.require;
        for role in &mut catalog.roles {
            role.holders = self
                .roles
                .iter()
                .find(|r| r.role == role.id)
                .map(|r| r.holders.clone())
                .unwrap_or_default();
            role.granted.clear();
        }
        let site = std::mem::take(&mut catalog.operators);
        catalog.operators = self
            .operators
            .iter()
            .map(|person| {
                let known = site.iter().find(|o| o.id == person.id);
                crate::catalog::identity::Operator {
                    id: person.id.clone(),
                    name: known.and_then(|o| o.name.clone()),
                    keys: person
                        .keys
                        .iter()
                        .map(|k| {
                            // The site's line of the same key, where it has
                            // it: the fingerprint is what is judged.
                            let line = known
                                .and_then(|o| {
                                    o.keys.iter().find(|s| s.fingerprint == k.fingerprint)
                                })
                                .map(|s| s.openssh.clone())
                                .unwrap_or_default();
                            crate::catalog::identity::OperatorKey {
                                fingerprint: k.fingerprint.clone(),
                                openssh: line,
                                until: k.until,
                                from: k.from,
                                origin: crate::catalog::diagnostic::Origin::default(),
                            }
                        })
                        .collect(),
                    roles: Vec::new(),
                    os_users: person.os_users.clone(),
                    db_roles: person.db_roles.clone(),
                    origin: crate::catalog::diagnostic::Origin::default(),
                }
            })
            .collect();
    }

    /// How the site `catalog` differs from this policy, in words: what a
    /// process says it ignores.
    pub fn differences(&self, catalog: &Catalog) -> Vec<String> {
        let site = Policy::of(catalog, self.publishers.clone());
        let mut said = Vec::new();
        if site.require != self.require {
            said.push(format!(
                "the site requires `{}`, the journal's policy `{}`",
                site.require.name(),
                self.require.name()
            ));
        }
        for role in &site.roles {
            let published = self.roles.iter().find(|r| r.role == role.role);
            let theirs = published.map_or(&[][..], |r| &r.holders[..]);
            for holder in role.holders.iter().filter(|h| !theirs.contains(h)) {
                said.push(format!(
                    "the site gives `{holder}` role `{}`, which the journal's policy does not",
                    role.role
                ));
            }
        }
        for person in &site.operators {
            let published = self.operators.iter().find(|o| o.id == person.id);
            for key in &person.keys {
                let known = published
                    .is_some_and(|p| p.keys.iter().any(|k| k.fingerprint == key.fingerprint));
                if !known {
                    said.push(format!(
                        "the site gives `{}` key {}, which the journal's policy does not",
                        person.id, key.fingerprint
                    ));
                }
            }
            if published
                .is_some_and(|p| p.os_users != person.os_users || p.db_roles != person.db_roles)
            {
                said.push(format!(
                    "the site lists other accounts or logins for `{}` than the journal's policy",
                    person.id
                ));
            }
        }
        said
    }
}

/// How a published policy was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    /// Signed by a publisher the policy before named.
    ByPublisher,
    /// The journal's first: trusted on first use, signed by a publisher
    /// it names itself.
    OnFirstUse,
}

impl Published {
    /// Whether this policy takes effect after `current`, published by
    /// the entry's `operator` at `at`; why not, in words.
    pub fn accept(
        &self,
        current: Option<&Policy>,
        operator: &str,
        at: DateTime<Utc>,
    ) -> Result<Accepted, String> {
        let key = super::sign::check(&self.policy.message(), &self.signature)
            .map_err(|e| format!("its own signature does not hold: {e}"))?;
        let key = super::sign::fingerprint(&key);
        let (judge, accepted) = match current {
            Some(current) => (current, Accepted::ByPublisher),
            None => (&self.policy, Accepted::OnFirstUse),
        };
        let Some(owner) = judge.owner(&key, at) else {
            return Err(format!("it is signed with {key}, which is no operator's"));
        };
        if owner != operator {
            return Err(format!(
                "it is signed with {owner}'s key {key} but names {operator}"
            ));
        }
        if !judge.publishers.iter().any(|role| judge.holds(owner, role)) {
            return Err(format!(
                "{owner} holds none of the roles that may publish it ({})",
                judge.publishers.join(", ")
            ));
        }
        if self.policy.publishers.is_empty() {
            return Err("it names no role that may publish the next".to_owned());
        }
        Ok(accepted)
    }
}

#[cfg(test)]
mod tests;
