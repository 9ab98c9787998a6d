//! The person's own key signing this process's entries: through the SSH
//! agent (`SSH_AUTH_SOCK`, so a key forwarded to the bastion signs whatever
//! account the person logs in with), or from the config's `signing_key`.
//! Only a key the site's registry of operators knows signs: the operator's
//! name is then the registry's, and a `RUNBOOK_OPERATOR` that says another
//! is refused, naming both.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ssh_key::{PrivateKey, PublicKey, SshSig};

use crate::journal::Identity;
use crate::journal::registry::{Owner, Registry};
use crate::journal::sign::{HASH, NAMESPACE, Signer, SignerHandle, fingerprint, unarmoured};

/// What signing needs: the site's registry and where the key is.
#[derive(Debug, Clone, Default)]
pub struct Signing {
    pub registry: Registry,
    /// The config's `signing_key`, else the agent.
    pub key_file: Option<PathBuf>,
    /// `SSH_AUTH_SOCK`.
    pub agent: Option<PathBuf>,
}

impl Signing {
    /// The operator whose key `fingerprint` is now, when it may sign.
    fn operator_of(&self, fingerprint: &str) -> Option<&str> {
        match self.registry.owner(fingerprint, chrono::Utc::now()) {
            Owner::Valid(operator) => Some(operator),
            _ => None,
        }
    }

    /// Whether the site requires every entry signed (`[identity] require
    /// = "signature"`): without a key of the registry, nothing is recorded.
    pub fn required(&self) -> bool {
        self.registry.signatures.is_some()
    }

    /// Gives `identity` its signer and the registry's name for it, when a
    /// key of the registry is at hand, else the registry's name for an OS
    /// account that is one person's own; `Err` says plainly why not where
    /// a key was asked for and cannot be used.
    pub fn apply(&self, identity: &mut Identity, named: Option<&str>) -> Result<(), String> {
        let why_none = self.find(identity, named)?;
        if identity.signer.is_none() {
            if self.required() {
                let why = why_none.map(|w| format!(" ({w})")).unwrap_or_default();
                return Err(format!(
                    "the site requires every entry signed ([identity] require = \"signature\") and no key of its registry is at hand{why}: add your key to your SSH agent (ssh-add) and forward it to this host (ssh -A), or name it as signing_key in your config; its public key must be in your [[operator]] keys"
                ));
            }
            if self.registry.accounts
                && let Some(why) = &identity.foreign_account
            {
                return Err(format!(
                    "{why}; the site takes the OS account as proof of who acts ([identity] require = \"account\"), so nothing is recorded from here: run runbook outside the namespace, or sign with your own key"
                ));
            }
            self.own_account(identity, named)?;
        }
        Ok(())
    }

    /// An OS account the registry gives to one operator (`os_users`) names
    /// that operator; a `RUNBOOK_OPERATOR` that says another is refused.
    fn own_account(&self, identity: &mut Identity, named: Option<&str>) -> Result<(), String> {
        let account = identity
            .os_user
            .clone()
            .unwrap_or_else(|| identity.operator.clone());
        if let Some(named) = named
            && self
                .registry
                .account_is_not_theirs(named, &account)
                .as_deref()
                == Some("")
        {
            return Err(format!(
                "RUNBOOK_OPERATOR={named} contradicts the OS account {account}, which is none of {named}'s accounts (os_users) in the registry"
            ));
        }
        let Some(owner) = self.registry.account_owner(&account) else {
            return Ok(());
        };
        if let Some(named) = named.filter(|n| *n != owner) {
            return Err(format!(
                "RUNBOOK_OPERATOR={named} contradicts the OS account {account}, which is {owner}'s in the registry"
            ));
        }
        owner.clone_into(&mut identity.operator);
        identity.os_user = (account != owner).then_some(account);
        Ok(())
    }

    /// Finds the signer; `Ok(Some(why))` says why there is none where an
    /// agent was asked.
    fn find(&self, identity: &mut Identity, named: Option<&str>) -> Result<Option<String>, String> {
        if self.registry.keys.is_empty() {
            return Ok(None);
        }
        let mut why_none = None;
        let found: Option<Arc<dyn Signer>> = if let Some(path) = &self.key_file {
            let signer = KeyFile::load(path)?;
            let at = chrono::Utc::now();
            match self.registry.owner(signer.fingerprint(), at) {
                Owner::Valid(_) => {}
                Owner::OutOfPeriod(key) => {
                    return Err(format!(
                        "the signing key {} ({}) is {}'s, but not valid now{}: sign with the key that replaced it",
                        path.display(),
                        signer.fingerprint(),
                        key.operator,
                        key.until
                            .map(|u| format!(" (retired on {})", u.format("%Y-%m-%d %H:%M UTC")))
                            .unwrap_or_default()
                    ));
                }
                Owner::Unknown => {
                    return Err(format!(
                        "the signing key {} ({}) is in no operator's `keys` in the site's registry",
                        path.display(),
                        signer.fingerprint()
                    ));
                }
            }
            Some(Arc::new(signer))
        } else if let Some(socket) = &self.agent {
            let (agent, listed) = Agent::find(socket, |f| self.operator_of(f).is_some())?;
            if agent.is_none() {
                why_none = Some(if listed == 0 {
                    format!(
                        "the SSH agent at {} lists no key: it is locked (ssh-add -X unlocks it) or empty",
                        socket.display()
                    )
                } else {
                    format!(
                        "the SSH agent at {} holds {listed} key(s), none of them an operator's now",
                        socket.display()
                    )
                });
            }
            agent.map(|a| Arc::new(a) as Arc<dyn Signer>)
        } else {
            None
        };
        let Some(signer) = found else {
            return Ok(why_none);
        };
        let operator = self
            .operator_of(signer.fingerprint())
            .unwrap_or_default()
            .to_owned();
        if let Some(named) = named.filter(|n| *n != operator) {
            return Err(format!(
                "RUNBOOK_OPERATOR={named} contradicts the signing key {}, which is {operator}'s in the registry",
                signer.fingerprint()
            ));
        }
        let os_user = identity
            .os_user
            .clone()
            .unwrap_or_else(|| identity.operator.clone());
        identity.os_user = (os_user != operator).then_some(os_user);
        identity.operator = operator;
        identity.signer = Some(SignerHandle(signer));
        Ok(None)
    }
}

/// A key the SSH agent holds, and one connection to the agent kept for
/// the process (the agent's client is not shared between threads: each
/// signature speaks on a duplicate of the connection, under a lock).
struct Agent {
    socket: PathBuf,
    connection: std::sync::Mutex<Option<std::os::unix::net::UnixStream>>,
    key: PublicKey,
    fingerprint: String,
}

impl Agent {
    /// The first key of the agent's that `known` accepts, and how many
    /// keys the agent listed (none: a locked agent lists none).
    fn find(socket: &Path, known: impl Fn(&str) -> bool) -> Result<(Option<Agent>, usize), String> {
        let mut client = ssh_agent_client_rs::Client::connect(socket).map_err(|e| {
            format!(
                "the SSH agent at {} cannot be reached ({e}): start it, or unset SSH_AUTH_SOCK",
                socket.display()
            )
        })?;
        let keys = client
            .list_all_identities()
            .map_err(|e| format!("the SSH agent would not list its keys: {e}"))?;
        let listed = keys.len();
        let found = keys.into_iter().find_map(|identity| {
            let ssh_agent_client_rs::Identity::PublicKey(key) = identity else {
                return None;
            };
            let key = key.into_owned();
            let fingerprint = fingerprint(&key);
            known(&fingerprint).then(|| Agent {
                socket: socket.to_path_buf(),
                connection: std::sync::Mutex::new(None),
                key,
                fingerprint,
            })
        });
        Ok((found, listed))
    }
}

impl Signer for Agent {
    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn sign(&self, message: &[u8]) -> Result<String, String> {
        let refused = |e: &dyn std::fmt::Display| {
            format!(
                "the SSH agent did not sign with {} ({e}): unlock it (ssh-add -X) or accept the confirmation",
                self.fingerprint
            )
        };
        let data = SshSig::signed_data(NAMESPACE, HASH, message).map_err(|e| refused(&e))?;
        let mut connection = self
            .connection
            .lock()
            .map_err(|_| refused(&"a signature failed half way"))?;
        if connection.is_none() {
            let stream =
                std::os::unix::net::UnixStream::connect(&self.socket).map_err(|e| refused(&e))?;
            *connection = Some(stream);
        }
        let stream = connection
            .as_ref()
            .map(std::os::unix::net::UnixStream::try_clone)
            .transpose()
            .map_err(|e| refused(&e))?
            .ok_or_else(|| refused(&"no connection"))?;
        let mut client = ssh_agent_client_rs::Client::with_read_write(Box::new(stream));
        let signed = client.sign(&self.key, &data);
        if signed.is_err() {
            // A broken connection is made anew at the next signature.
            *connection = None;
        }
        let signature = signed.map_err(|e| refused(&e))?;
        let sig = SshSig::new(self.key.key_data().clone(), NAMESPACE, HASH, signature)
            .map_err(|e| refused(&e))?;
        let pem = sig
            .to_pem(ssh_key::LineEnding::LF)
            .map_err(|e| refused(&e))?;
        Ok(unarmoured(&pem))
    }
}

/// A private key read from a file (unencrypted: an encrypted key belongs
/// in the agent).
struct KeyFile {
    key: PrivateKey,
    fingerprint: String,
}

impl KeyFile {
    fn load(path: &Path) -> Result<KeyFile, String> {
        let key = PrivateKey::read_openssh_file(path)
            .map_err(|e| format!("the signing key {} cannot be read: {e}", path.display()))?;
        if key.is_encrypted() {
            return Err(format!(
                "the signing key {} is encrypted: add it to your agent (ssh-add {}) instead",
                path.display(),
                path.display()
            ));
        }
        let fingerprint = fingerprint(key.public_key());
        Ok(KeyFile { key, fingerprint })
    }
}

impl Signer for KeyFile {
    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn sign(&self, message: &[u8]) -> Result<String, String> {
        let sig = self
            .key
            .sign(NAMESPACE, HASH, message)
            .map_err(|e| format!("the key {} did not sign: {e}", self.fingerprint))?;
        let pem = sig
            .to_pem(ssh_key::LineEnding::LF)
            .map_err(|e| format!("the key {} did not sign: {e}", self.fingerprint))?;
        Ok(unarmoured(&pem))
    }
}
