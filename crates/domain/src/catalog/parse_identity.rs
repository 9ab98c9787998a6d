//! Reading `[identity]`, `[[operator]]` and the `allowed_signers` files
//! the site names into the catalog's registry of operators.

use super::identity::{Operator, OperatorKey, Require};
use super::parsed::Parsed;
use super::reader::{Reader, Value};

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
        parsed.refer(super::parsed::RefKind::Role, None, role, reader);
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
