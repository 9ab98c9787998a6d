//! `[identity]`: what proves who acts, as the team's site sets it.
//!
//! `require = "account"` (the default): the proof is the signing key when
//! there is one, else the OS account on its host; a second operator whose
//! proof is the first's is the same person. `"signature"`: every entry must
//! be signed by a key of the registry. `"none"`: names are taken as given.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::journal::registry::{Key, Registry, Required};

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

/// Reads `[identity]`; the last file (or site layer) that sets a key wins.
pub fn read(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let Some(table) = reader.table(
        value,
        "the identity policy, `[identity]`",
        &["require", "since", "signers"],
    ) else {
        return;
    };
    if let Some(value) = table.get("require")
        && let Some((index, _)) = reader.choice(value, &Require::NAMES)
    {
        parsed.require = Some([Require::Signature, Require::Account, Require::None][index]);
    }
    if let Some(value) = table.get("since") {
        parsed.identity_since = super::schedule::since(
            reader,
            value,
            "the day every entry had to be signed: unsigned entries after it are reported",
        );
    }
    if let Some(path) = reader.opt_string(table, "signers") {
        let origin = reader.origin(path.span());
        parsed.signers.push((path.into_inner(), origin));
    }
}

/// A person of the team, as the site's registry names them: the keys that
/// sign for them, the roles they hold, their own accounts and logins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    pub id: String,
    pub name: Option<String>,
    pub keys: Vec<OperatorKey>,
    pub roles: Vec<String>,
    /// OS accounts that are this person's own (never a shared one).
    pub os_users: Vec<String>,
    /// PostgreSQL logins that are this person's own.
    pub db_roles: Vec<String>,
    #[serde(skip)]
    pub origin: super::diagnostic::Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorKey {
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The OpenSSH public-key line, as written.
    pub openssh: String,
    /// A retired key signs nothing from this instant on; what it signed
    /// before still verifies.
    pub until: Option<DateTime<Utc>>,
    /// An `allowed_signers` line's `valid-after`.
    pub from: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub origin: super::diagnostic::Origin,
}

impl OperatorKey {
    /// Parses an OpenSSH public-key line; `Err` says why not.
    pub fn parse(line: &str, origin: super::diagnostic::Origin) -> Result<OperatorKey, String> {
        let key = ssh_key::PublicKey::from_openssh(line.trim()).map_err(|e| e.to_string())?;
        Ok(OperatorKey {
            fingerprint: crate::journal::sign::fingerprint(&key),
            openssh: line.trim().to_owned(),
            until: None,
            from: None,
            origin,
        })
    }
}

const KEY_HELP: &str = "paste the line of the `.pub` file: `ssh-ed25519 AAAA… alice@laptop`";

/// Reads one `[[operator]]`.
pub fn operator(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let allowed = [
        "id",
        "name",
        "keys",
        "retired_keys",
        "roles",
        "os_users",
        "db_roles",
    ];
    let Some(table) = reader.table(value, "an operator", &allowed) else {
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
        match OperatorKey::parse(line.get_ref(), reader.origin(line.span())) {
            Ok(key) => keys.push(key),
            Err(e) => reader.error_help(
                "bad-key",
                line.span(),
                format!("not an OpenSSH public key: {e}"),
                KEY_HELP,
            ),
        }
    }
    for retired in reader.opt_array(table, "retired_keys") {
        keys.extend(retired_key(reader, retired));
    }
    let roles = reader.string_list(table, "roles");
    for role in &roles {
        parsed.refer(super::parse::RefKind::Role, None, role, reader);
    }
    let names = |list: Vec<toml::Spanned<String>>| -> Vec<String> {
        list.into_iter().map(toml::Spanned::into_inner).collect()
    };
    let os_users = names(reader.string_list(table, "os_users"));
    let db_roles = names(reader.string_list(table, "db_roles"));
    let Some(id) = id else { return };
    parsed.catalog.operators.push(Operator {
        origin: reader.origin(id.span()),
        id: id.into_inner(),
        name,
        keys,
        roles: names(roles),
        os_users,
        db_roles,
    });
}

/// `{ key = "ssh-ed25519 …", until = 2026-10-01 }`: a replaced key.
fn retired_key(reader: &mut Reader, value: Value<'_, '_>) -> Option<OperatorKey> {
    let table = reader.table(value, "a retired key", &["key", "until"])?;
    let line = reader.req_string(table, "key");
    let Some(value) = table.get("until") else {
        reader.error_help(
            "missing-key",
            table.span(),
            "missing key `until` in a retired key",
            "the day the key was replaced, such as `until = 2026-10-01`",
        );
        return None;
    };
    let until = super::schedule::since(
        reader,
        value,
        "the day the key was replaced: entries from then on may not be signed with it",
    )?;
    let line = line?;
    match OperatorKey::parse(line.get_ref(), reader.origin(line.span())) {
        Ok(key) => Some(OperatorKey {
            until: Some(until.instant(chrono_tz::UTC)),
            ..key
        }),
        Err(e) => {
            reader.error_help(
                "bad-key",
                line.span(),
                format!("not an OpenSSH public key: {e}"),
                KEY_HELP,
            );
            None
        }
    }
}

/// Adds the keys of the `allowed_signers` files the site names to their
/// operators; each file becomes a source, so that its mistakes are shown
/// at their line as the catalog's are.
pub fn load_signers(parsed: &mut Parsed, sources: &mut super::diagnostic::Sources) {
    use super::diagnostic::{Diagnostic, SourceFile};
    for (path, named_at) in std::mem::take(&mut parsed.signers) {
        let path = relative_to(sources, named_at.file, &path);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                let message = format!("cannot read the signers file {}: {e}", path.display());
                parsed.diagnostics.push(
                    Diagnostic::error("unreadable", named_at, message).with_help(
                        "an OpenSSH allowed_signers file, as git's `gpg.ssh.allowedSignersFile`",
                    ),
                );
                continue;
            }
        };
        let file = sources.files.len();
        sources.files.push(SourceFile {
            name: path.display().to_string(),
            text,
        });
        let text = &sources.files[file].text;
        for line in super::signers::parse(text) {
            signer_line(parsed, file, line);
        }
    }
}

fn signer_line(
    parsed: &mut Parsed,
    file: super::diagnostic::FileId,
    line: Result<super::signers::Line, super::signers::Bad>,
) {
    use super::diagnostic::{Diagnostic, Origin};
    let at = |span| Origin { file, span };
    let line = match line {
        Ok(line) => line,
        Err(bad) => {
            parsed
                .diagnostics
                .push(Diagnostic::error("bad-signer", at(bad.span), bad.why));
            return;
        }
    };
    if line.cert_authority {
        let message = "a certificate authority: runbook checks keys, not certificates";
        parsed.diagnostics.push(
            Diagnostic::warning("bad-signer", at(line.span), message)
                .with_help("list each operator's own key"),
        );
        return;
    }
    if line.other_namespaces {
        return;
    }
    let key = match OperatorKey::parse(&line.key, at(line.key_span.clone())) {
        Ok(key) => OperatorKey {
            until: line.until,
            from: line.from,
            ..key
        },
        Err(e) => {
            parsed.diagnostics.push(
                Diagnostic::error(
                    "bad-key",
                    at(line.key_span),
                    format!("not an OpenSSH public key: {e}"),
                )
                .with_help(KEY_HELP),
            );
            return;
        }
    };
    let operators = &mut parsed.catalog.operators;
    let known = line
        .principals
        .iter()
        .find(|p| operators.iter().any(|o| &o.id == *p))
        .or(line.principals.first());
    let Some(id) = known.cloned() else { return };
    match operators.iter_mut().find(|o| o.id == id) {
        Some(operator) => operator.keys.push(key),
        None => operators.push(Operator {
            id,
            name: None,
            keys: vec![key],
            roles: Vec::new(),
            os_users: Vec::new(),
            db_roles: Vec::new(),
            origin: at(line.span),
        }),
    }
}

/// `path` as named in the file `file`: relative to that file's folder.
fn relative_to(
    sources: &super::diagnostic::Sources,
    file: super::diagnostic::FileId,
    path: &str,
) -> std::path::PathBuf {
    let path = std::path::Path::new(path);
    let folder = sources
        .files
        .get(file)
        .filter(|f| !f.name.starts_with("bundled:"))
        .and_then(|f| {
            std::path::Path::new(&f.name)
                .parent()
                .map(std::path::Path::to_path_buf)
        });
    match folder {
        Some(folder) if path.is_relative() => folder.join(path),
        _ => path.to_path_buf(),
    }
}

/// A key, an OS account or a database login held by two operators proves
/// neither: an error at the second.
pub fn check(catalog: &super::Catalog) -> Vec<super::diagnostic::Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
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
    for (what, names) in [
        ("OS account", owned(catalog, |o| &o.os_users)),
        ("database login", owned(catalog, |o| &o.db_roles)),
    ] {
        for (at, (name, operator)) in names.iter().enumerate() {
            if let Some((_, first)) = names[..at].iter().find(|(n, o)| n == name && o != operator) {
                out.push(
                    super::diagnostic::Diagnostic::error(
                        "shared-account",
                        catalog
                            .operators
                            .iter()
                            .find(|o| &o.id == operator)
                            .map(|o| o.origin.clone())
                            .unwrap_or_default(),
                        format!("{what} `{name}` is also operator `{first}`'s"),
                    )
                    .with_help("a shared account stands for no one: list only a person's own"),
                );
            }
        }
    }
    out
}

fn owned<'c>(
    catalog: &'c super::Catalog,
    list: impl Fn(&'c Operator) -> &'c Vec<String>,
) -> Vec<(&'c str, &'c str)> {
    catalog
        .operators
        .iter()
        .flat_map(|o| list(o).iter().map(move |n| (n.as_str(), o.id.as_str())))
        .collect()
}

/// The registry as the journal checks it.
pub fn registry(catalog: &super::Catalog, since: Option<DateTime<Utc>>) -> Registry {
    let keys = catalog.operators.iter().flat_map(|o| {
        o.keys.iter().map(|k| Key {
            fingerprint: k.fingerprint.clone(),
            operator: o.id.clone(),
            until: k.until,
            from: k.from,
        })
    });
    let pairs = |list: Vec<(&str, &str)>| {
        list.into_iter()
            .map(|(n, o)| (n.to_owned(), o.to_owned()))
            .collect()
    };
    Registry {
        keys: keys.collect(),
        os_users: pairs(owned(catalog, |o| &o.os_users)),
        db_roles: pairs(owned(catalog, |o| &o.db_roles)),
        signatures: (catalog.require == Require::Signature).then_some(Required { since }),
    }
}
