//! `[identity]`: what proves who acts, as the team's site sets it.
//!
//! `require = "account"` (the default): the proof is the signing key when
//! there is one, else the OS account on its host; a second operator whose
//! proof is the first's is the same person. `"signature"`: every entry must
//! be signed by a key of the registry. `"none"`: names are taken as given.

use serde::Serialize;

use super::parse::Parsed;
use super::reader::{Reader, Value};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Require {
    Signature,
    #[default]
    Account,
    None,
}

impl Require {
    pub const NAMES: [&'static str; 3] = ["signature", "account", "none"];

    pub fn name(self) -> &'static str {
        match self {
            Require::Signature => "signature",
            Require::Account => "account",
            Require::None => "none",
        }
    }

    /// Whether two operators with one proof are one person.
    pub fn checks_proof(self) -> bool {
        self != Require::None
    }
}

/// Reads `[identity]`; the last file (or site layer) that sets it wins.
pub fn read(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let Some(table) = reader.table(value, "the identity policy, `[identity]`", &["require"]) else {
        return;
    };
    if let Some(value) = table.get("require")
        && let Some((index, _)) = reader.choice(value, &Require::NAMES)
    {
        parsed.require = Some([Require::Signature, Require::Account, Require::None][index]);
    }
}
