//! The catalog's reference text (calls, site variables) as the operator
//! sees it and copies it.

/// Catalog text as the operator sees it: a site variable no file sets
/// reads as unset, never as nothing.
pub fn shown<'t>(
    words: &crate::text::Words,
    catalog: &crate::catalog::Catalog,
    text: &'t str,
) -> std::borrow::Cow<'t, str> {
    crate::catalog::vars::shown(text, &catalog.run_vars, &|name| {
        (words.reference.unset)(name)
    })
}

/// What a copy takes: nothing while a site variable in it is unset, so
/// no pasted command or number lacks a part.
pub fn copyable(catalog: &crate::catalog::Catalog, text: &str) -> Option<String> {
    crate::catalog::vars::complete(text, &catalog.run_vars).then(|| text.to_owned())
}

/// One call of a step, as a line: "call CTO: +33 …", or "escalate at P1 to
/// CTO: …"; a contact with no way to reach it says so.
pub fn call_line(
    words: &crate::text::Words,
    catalog: &crate::catalog::Catalog,
    lang: &str,
    call: &crate::catalog::calls::Call<'_>,
) -> String {
    let w = words.reference;
    let name = call.contact.name.get(lang);
    let reach = call
        .contact
        .reach
        .as_deref()
        .map_or(std::borrow::Cow::Borrowed(w.not_set), |r| {
            shown(words, catalog, r)
        });
    match call.escalation {
        Some(level) => (w.escalate)(&level.id, name, &reach),
        None => (w.call)(name, &reach),
    }
}
