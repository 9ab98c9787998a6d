//! Reading what a status page needs: components and update templates.

use super::model::{Component, Template, Viewer};
use super::parsed::{Parsed, RefKind};
use super::reader::{Reader, Value};
use crate::status::Status;

pub fn component(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let Some(table) = reader.table(value, "a component", &["id", "name", "detail"]) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("component", None, id, reader);
    }
    let name = reader.req_text(table, "name");
    let detail = reader.opt_text(table, "detail");
    let (Some(id), Some(name)) = (id, name) else {
        return;
    };
    parsed.catalog.components.push(Component {
        origin: reader.origin(id.span()),
        id: id.into_inner(),
        name,
        detail,
    });
}

pub fn template(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = ["id", "procedure", "severity", "status", "text"];
    let Some(table) = reader.table(value, "an update template", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("template", None, id, reader);
    }
    let procedure = reader.opt_string(table, "procedure");
    if let Some(procedure) = &procedure {
        parsed.refer(RefKind::Procedure, None, procedure, reader);
    }
    let severity = reader.opt_string(table, "severity");
    if let Some(severity) = &severity {
        parsed.refer(RefKind::Severity, None, severity, reader);
    }
    let status = table
        .get("status")
        .and_then(|v| reader.choice(v, &Status::NAMES))
        .map(|(index, _)| Status::ALL[index]);
    let text = reader.req_text(table, "text");
    let (Some(id), Some(text)) = (id, text) else {
        return;
    };
    parsed.catalog.templates.push(Template {
        origin: reader.origin(id.span()),
        id: id.into_inner(),
        procedure: procedure.map(toml::Spanned::into_inner),
        severity: severity.map(toml::Spanned::into_inner),
        status,
        text,
    });
}

pub fn viewer(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = ["id", "password", "token_sha256"];
    let Some(table) = reader.table(value, "a status page viewer", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("viewer", None, id, reader);
    }
    let password = reader.opt_string(table, "password");
    if let Some(password) = &password
        && !is_password_hash(password.get_ref())
    {
        // A password written in clear is said without being repeated.
        reader.error_help(
            "bad-viewer",
            password.span(),
            "`password` is not a PBKDF2 hash".to_owned(),
            "write what `runbook serve --hash-password` prints (pbkdf2-sha256$…), never the password",
        );
    }
    let token = reader.opt_string(table, "token_sha256");
    if let Some(token) = &token
        && !(token.get_ref().len() == 64 && token.get_ref().bytes().all(|b| b.is_ascii_hexdigit()))
    {
        reader.error_help(
            "bad-viewer",
            token.span(),
            "`token_sha256` is not a SHA-256 in hex".to_owned(),
            "write what `runbook serve --hash-token` prints (64 hex digits), never the token",
        );
    }
    let Some(id) = id else {
        return;
    };
    parsed.catalog.viewers.push(Viewer {
        origin: reader.origin(id.span()),
        id: id.into_inner(),
        password: password.map(toml::Spanned::into_inner),
        token_sha256: token.map(|t| t.into_inner().to_ascii_lowercase()),
    });
}

/// `pbkdf2-sha256$ITERATIONS$SALT$HASH`, as `runbook serve
/// --hash-password` writes it.
fn is_password_hash(text: &str) -> bool {
    let parts: Vec<&str> = text.split('$').collect();
    parts.len() == 4
        && parts[0] == "pbkdf2-sha256"
        && parts[1].parse::<u32>().is_ok_and(|n| n >= 10_000)
        && !parts[2].is_empty()
        && !parts[3].is_empty()
}
