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

/// A person of the team, as the site's registry names them: the keys that
/// sign for them and the roles they hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    pub id: String,
    pub name: Option<String>,
    pub keys: Vec<OperatorKey>,
    pub roles: Vec<String>,
    #[serde(skip)]
    pub origin: super::diagnostic::Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorKey {
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The OpenSSH public-key line, as written.
    pub openssh: String,
    #[serde(skip)]
    pub origin: super::diagnostic::Origin,
}

/// Reads one `[[operator]]`.
pub fn operator(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let Some(table) = reader.table(value, "an operator", &["id", "name", "keys", "roles"]) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("operator", None, id, reader);
    }
    let name = reader
        .opt_string(table, "name")
        .map(toml::Spanned::into_inner);
    let mut keys = Vec::new();
    for line in reader.string_list(table, "keys") {
        match ssh_key::PublicKey::from_openssh(line.get_ref().trim()) {
            Ok(key) => keys.push(OperatorKey {
                fingerprint: crate::journal::sign::fingerprint(&key),
                openssh: line.get_ref().trim().to_owned(),
                origin: reader.origin(line.span()),
            }),
            Err(e) => reader.error_help(
                "bad-key",
                line.span(),
                format!("not an OpenSSH public key: {e}"),
                "paste the line of the `.pub` file: `ssh-ed25519 AAAA… alice@laptop`",
            ),
        }
    }
    let roles = reader.string_list(table, "roles");
    for role in &roles {
        parsed.refer(super::parse::RefKind::Role, None, role, reader);
    }
    let Some(id) = id else { return };
    parsed.catalog.operators.push(Operator {
        origin: reader.origin(id.span()),
        id: id.into_inner(),
        name,
        keys,
        roles: roles.into_iter().map(toml::Spanned::into_inner).collect(),
    });
}

/// A key held by two operators proves neither: an error at the second.
pub fn check(catalog: &super::Catalog) -> Vec<super::diagnostic::Diagnostic> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut out = Vec::new();
    for operator in &catalog.operators {
        for key in &operator.keys {
            match seen.iter().find(|(f, _)| *f == key.fingerprint) {
                Some((_, first)) if *first != operator.id => out.push(
                    super::diagnostic::Diagnostic::error(
                        "shared-key",
                        key.origin.clone(),
                        format!("key {} is also operator `{first}`'s", key.fingerprint),
                    )
                    .with_help("one key, one person: give each operator their own key"),
                ),
                Some(_) => {}
                None => seen.push((&key.fingerprint, &operator.id)),
            }
        }
    }
    out
}
