//! Reading what a status page needs: components and update templates.

use super::model::{Component, Template};
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
