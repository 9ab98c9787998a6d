//! What a status page shows and how its updates are drafted: the parts of
//! the service people see fail (`[[component]]`), and the words the
//! operator starts from (`[[template]]`).

use serde::Serialize;

use super::Origin;
use crate::catalog::text::Text;
use crate::status::Status;

/// A part of the service as its users know it (the app, payments, login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    pub id: String,
    pub name: Text,
    pub detail: Option<Text>,
    #[serde(skip)]
    pub origin: Origin,
}

/// The words an update starts from, for a procedure, a severity and a
/// status (each optional: the most specific that matches is offered).
/// `${severity}`, `${started}`, `${impact}`, `${components}` and the
/// site's variables are filled in from the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub id: String,
    pub procedure: Option<String>,
    pub severity: Option<String>,
    pub status: Option<Status>,
    pub text: Text,
    #[serde(skip)]
    pub origin: Origin,
}

/// Someone of the company who may read the status page's `/internal`:
/// by a basic-auth password (its PBKDF2 hash, never the password) or a
/// bearer token (its SHA-256). Written in the site; neither reaches the
/// journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Viewer {
    pub id: String,
    /// `pbkdf2-sha256$ITERATIONS$SALT$HASH` (salt and hash in base64), as
    /// `runbook serve --hash-password` prints it.
    #[serde(skip)]
    pub password: Option<String>,
    /// The token's SHA-256, in hex, as `runbook serve --hash-token`
    /// prints it.
    #[serde(skip)]
    pub token_sha256: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}
