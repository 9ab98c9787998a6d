//! What one attempt at a notification comes to, and what a sender is
//! given to make it: shared by every kind of target (`deliver`, `email`).

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Sent {
        answer: String,
    },
    Retry {
        error: String,
        after: Option<Duration>,
    },
    Refused {
        error: String,
    },
}

/// The HTTP client, built at the first request: building it loads TLS
/// and its roots, which a console that never notifies does not pay for.
#[derive(Clone, Default)]
pub struct Http(std::sync::Arc<std::sync::OnceLock<Result<reqwest::Client, String>>>);

impl Http {
    pub fn get(&self) -> Result<&reqwest::Client, String> {
        self.0
            .get_or_init(|| {
                reqwest::Client::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| format!("no HTTP client: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Http(built)"
        } else {
            "Http(not yet)"
        })
    }
}

/// What a sender needs besides the notice: the HTTP client, the words,
/// the environment, and the journal's path (an anchor line names it).
pub struct Tools<'a> {
    pub client: &'a Http,
    pub words: &'static crate::text::Words,
    pub env: &'a (dyn Fn(&str) -> Option<String> + Sync),
    pub journal: &'a str,
}

impl std::fmt::Debug for Tools<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tools")
            .field("journal", &self.journal)
            .finish()
    }
}
