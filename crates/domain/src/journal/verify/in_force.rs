//! The identity policy in force as the verifier reads the journal: the
//! site's registry until the journal publishes a policy, then the latest
//! one accepted.

use chrono::{DateTime, Utc};

use crate::journal::policy::{Accepted, Policy};
use crate::journal::registry::Registry;

#[derive(Debug, Default)]
pub(super) struct InForce {
    policy: Option<Policy>,
    registry: Option<Registry>,
}

/// What a line that publishes a policy came to.
pub(super) enum Seen {
    Accepted(Accepted, bool),
    Refused(String),
}

impl InForce {
    /// The journal's registry, once it published one.
    pub(super) fn registry(&self) -> Option<&Registry> {
        self.registry.as_ref()
    }

    /// `line`, if it publishes a policy: whether it took effect, and
    /// whether the policy requires every entry signed from here on.
    pub(super) fn see(&mut self, line: &[u8], operator: &str, at: DateTime<Utc>) -> Option<Seen> {
        // Only a line that names the event is read whole: the rest of the
        // journal costs one substring search.
        static EVENT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"policy_published\""));
        EVENT.find(line)?;
        let entry: crate::journal::Entry = serde_json::from_slice(line).ok()?;
        let crate::run::Event::PolicyPublished(published) = entry.event else {
            return None;
        };
        Some(match published.accept(self.policy.as_ref(), operator, at) {
            Ok(accepted) => {
                let policy = published.policy;
                let signed = policy.require == crate::catalog::identity::Require::Signature;
                self.registry = Some(policy.registry(None));
                self.policy = Some(policy);
                Seen::Accepted(accepted, signed)
            }
            Err(why) => Seen::Refused(why),
        })
    }
}
