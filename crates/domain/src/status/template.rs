//! Drafting an update from the catalog's templates, so at 3 a.m. the
//! operator edits words rather than writing them.

use chrono::{DateTime, Utc};

use super::{Impact, Status};
use crate::catalog::{Catalog, Template};

/// The run's facts a template may name.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub procedure: &'a str,
    pub severity: Option<&'a str>,
    pub started: Option<DateTime<Utc>>,
    pub status: Status,
    pub impact: Impact,
    pub components: &'a [String],
    /// When the draft is made: the next maintenance window is counted
    /// from it.
    pub now: DateTime<Utc>,
}

/// The template that fits best: the one naming the most of the run's
/// procedure, severity and status, and nothing else (a template for P1
/// is never offered for P3). The first written wins a tie.
pub fn best<'c>(catalog: &'c Catalog, facts: &Facts<'_>) -> Option<&'c Template> {
    let fits = |t: &Template| {
        let procedure = t.procedure.as_deref().map(|p| p == facts.procedure);
        let severity = t
            .severity
            .as_deref()
            .map(|s| facts.severity.is_some_and(|f| f.eq_ignore_ascii_case(s)));
        let status = t.status.map(|s| s == facts.status);
        let named = [procedure, severity, status];
        named
            .iter()
            .all(|n| n.unwrap_or(true))
            .then(|| named.iter().flatten().count())
    };
    let mut best: Option<(usize, &Template)> = None;
    for template in &catalog.templates {
        if let Some(score) = fits(template)
            && best.is_none_or(|(top, _)| score > top)
        {
            best = Some((score, template));
        }
    }
    best.map(|(_, t)| t)
}

/// The draft in `lang`, the run's facts and the site's variables filled
/// in; a name neither knows is left as written, for the operator to see.
pub fn draft(catalog: &Catalog, facts: &Facts<'_>, lang: &str) -> Option<String> {
    let template = best(catalog, facts)?;
    let severity = facts.severity.map(|id| match catalog.severity(id) {
        Some(s) => format!("{} ({})", s.id, s.title.get(lang)),
        None => id.to_owned(),
    });
    let components: Vec<&str> = facts
        .components
        .iter()
        .map(|id| {
            catalog
                .component(id)
                .map_or(id.as_str(), |c| c.name.get(lang))
        })
        .collect();
    let value =
        |name: &str| -> Option<String> {
            Some(match name {
                "severity" => severity.clone().unwrap_or_default(),
                "started" => facts
                    .started
                    .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default(),
                "impact" => facts.impact.name().to_owned(),
                "status" => facts.status.name().to_owned(),
                "components" => components.join(", "),
                "window" => crate::windows::next_with_notice(&catalog.windows, facts.now)
                    .map_or_else(String::new, |o| {
                        format!(
                            "{}, {}–{} UTC",
                            o.window.title.get(lang),
                            o.opens.format("%Y-%m-%d %H:%M"),
                            o.closes.format("%H:%M")
                        )
                    }),
                "procedure" => catalog
                    .procedure(facts.procedure)
                    .map_or(facts.procedure, |p| p.title.get(lang))
                    .to_owned(),
                other => catalog.vars.get(other)?.clone(),
            })
        };
    Some(crate::catalog::vars::expand(template.text.get(lang), value).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Text;

    fn template(id: &str, procedure: Option<&str>, severity: Option<&str>, text: &str) -> Template {
        Template {
            id: id.into(),
            procedure: procedure.map(Into::into),
            severity: severity.map(Into::into),
            status: None,
            text: Text::plain(text),
            origin: crate::catalog::diagnostic::Origin::default(),
        }
    }

    fn facts(severity: Option<&'static str>) -> Facts<'static> {
        Facts {
            procedure: "incident",
            severity,
            started: Some("2026-12-05T02:14:00Z".parse().unwrap()),
            status: Status::Investigating,
            impact: Impact::Major,
            components: &[],
            now: "2026-12-05T02:30:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn the_most_specific_template_that_fits_is_drafted_with_the_run_facts() {
        let catalog = Catalog {
            templates: vec![
                template("any", None, None, "Something is wrong."),
                template(
                    "incident",
                    Some("incident"),
                    None,
                    "Incident since ${started}.",
                ),
                template(
                    "p1",
                    Some("incident"),
                    Some("P1"),
                    "Outage (${impact}) since ${started}.",
                ),
            ],
            ..Catalog::default()
        };
        let p1 = draft(&catalog, &facts(Some("p1")), "en").unwrap();
        assert_eq!(p1, "Outage (major) since 2026-12-05 02:14 UTC.");
        let p3 = draft(&catalog, &facts(Some("P3")), "en").unwrap();
        assert_eq!(p3, "Incident since 2026-12-05 02:14 UTC.");
        let other = Facts {
            procedure: "deploy",
            ..facts(None)
        };
        assert_eq!(
            draft(&catalog, &other, "en").unwrap(),
            "Something is wrong."
        );
    }

    #[test]
    fn no_template_fits_when_each_names_something_else() {
        let catalog = Catalog {
            templates: vec![template("p1", None, Some("P1"), "x")],
            ..Catalog::default()
        };
        assert_eq!(draft(&catalog, &facts(Some("P2")), "en"), None);
    }
}
