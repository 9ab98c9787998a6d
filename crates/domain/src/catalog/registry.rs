//! The registry the catalog's operators make, as signing and `audit
//! verify` check it.

use chrono::{DateTime, Utc};

use crate::journal::registry::Registry;

impl super::Catalog {
    /// The site's registry as signing and `audit verify` check it.
    pub fn registry(&self) -> Registry {
        registry(self, self.identity_since)
    }
}

/// The registry as the journal checks it: the site's, as a policy it
/// would publish describes it.
pub fn registry(catalog: &super::Catalog, since: Option<DateTime<Utc>>) -> Registry {
    crate::journal::policy::Policy::of(catalog, Vec::new()).registry(since)
}
