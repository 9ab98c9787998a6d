//! One pass over every file: syntax, shape, and the model values, with the
//! ids each file defines and the references it makes kept aside (with
//! their spans) for the cross-file checks in `validate`.

use toml::Spanned;
use toml::de::DeTable;

use super::diagnostic::{FileId, Sources};
use super::parsed::Parsed;
use super::reader::Reader;
use super::{parallel, parse_procedure, parse_reference};

type ReadItem = fn(&mut Reader, &mut Parsed, super::reader::Value<'_, '_>);

/// The kinds of entity a file holds, each an array of tables; a file may
/// also hold `[vars]`.
pub const KINDS: [&str; 13] = [
    "procedure",
    "severity",
    "metric",
    "dashboard",
    "window",
    "role",
    "contact",
    "backup",
    "notify",
    "operator",
    "component",
    "template",
    "viewer",
];

/// The keys a file may have at its top.
pub fn top_keys() -> Vec<&'static str> {
    let mut keys = KINDS.to_vec();
    keys.push("vars");
    keys.push("identity");
    keys
}

fn reader_of(kind: &str) -> Option<ReadItem> {
    Some(match kind {
        "procedure" => parse_procedure::procedure,
        "severity" => parse_reference::severity,
        "metric" => parse_reference::metric,
        "dashboard" => parse_reference::dashboard,
        "window" => parse_reference::window,
        "role" => parse_reference::role,
        "contact" => parse_reference::contact,
        "backup" => parse_reference::backup,
        "notify" => super::parse_notify::target,
        "operator" => super::parse_identity::operator,
        "component" => super::parse_status::component,
        "template" => super::parse_status::template,
        "viewer" => super::parse_status::viewer,
        _ => return None,
    })
}

/// Reads every file of `sources` into one catalog.
///
/// Files are independent until validation, so a large catalog is read on
/// every core; the parts are merged in file order, so the result and the
/// order of diagnostics do not depend on the number of threads.
pub fn parse_all(sources: &Sources) -> Parsed {
    parse_first(sources, sources.files.len())
}

/// As `parse_all`, for the first `count` files only (the base catalog,
/// before any site layer).
pub fn parse_first(sources: &Sources, count: usize) -> Parsed {
    let files = &sources.files[..count.min(sources.files.len())];
    let size = files.iter().map(|f| f.text.len()).sum();
    let parts = parallel::chunks(files, size, |first, files| {
        let mut part = Parsed::default();
        for (offset, source) in files.iter().enumerate() {
            parse_file(&mut part, first + offset, &source.text);
        }
        part
    });
    let mut parsed = Parsed::default();
    for part in parts {
        parsed.merge(part);
    }
    parsed
}

fn parse_file(parsed: &mut Parsed, file: FileId, text: &str) {
    let (document, errors) = DeTable::parse_recoverable(text);
    let mut reader = Reader::new(file);
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_owned();
        reader.error_help(
            "syntax",
            span,
            format!("TOML syntax: {message}"),
            "see docs/checklist-format.md",
        );
    }
    // After a syntax error, the recovered tree is partial: reporting its
    // shape too would only add noise about keys the operator did write.
    if errors.is_empty() {
        let document = Spanned::new(
            document.span(),
            toml::de::DeValue::Table(document.into_inner()),
        );
        read_document(&mut reader, parsed, &document);
    }
    parsed.diagnostics.append(&mut reader.diagnostics);
}

/// Reads one entity table of `kind` (`procedure`, `contact`…).
pub fn read_entity(
    reader: &mut Reader,
    parsed: &mut Parsed,
    kind: &str,
    value: &Spanned<toml::de::DeValue<'_>>,
) {
    let Some(read) = reader_of(kind) else {
        return;
    };
    read(reader, parsed, value);
}

/// The file's settings beside its entities: `[vars]` and `[identity]`.
pub fn read_settings(reader: &mut Reader, parsed: &mut Parsed, top: super::reader::Table<'_, '_>) {
    if let Some(vars) = top.get("vars") {
        super::parse_vars::read(reader, parsed, vars);
    }
    if let Some(identity) = top.get("identity") {
        super::parse_identity::read(reader, parsed, identity);
    }
}

fn read_document(
    reader: &mut Reader,
    parsed: &mut Parsed,
    document: &Spanned<toml::de::DeValue<'_>>,
) {
    let Some(top) = reader.table(document, "a checklist file", &top_keys()) else {
        return;
    };
    read_settings(reader, parsed, top);
    for key in KINDS {
        let (Some(value), Some(read)) = (top.get(key), reader_of(key)) else {
            continue;
        };
        if value.get_ref().as_array().is_none() {
            reader.error_help(
                "not-an-array",
                value.span(),
                format!("`{key}` must be an array of tables"),
                format!("write each one under its own `[[{key}]]` header"),
            );
            continue;
        }
        for item in reader.array(value) {
            read(reader, parsed, item);
        }
    }
}
