//! Whom a step has the operator call: its own contacts, and, on a step
//! whose deadline is the severity's escalation, the contact that severity
//! escalates to ("P1: the CTO").

use super::{Catalog, Contact, Severity, Step, Within};

/// One person or service to call, and why.
#[derive(Debug, Clone, Copy)]
pub struct Call<'c> {
    pub contact: &'c Contact,
    /// The severity whose escalation this is, if it is one.
    pub escalation: Option<&'c Severity>,
}

/// The calls of `step`; `severity` is the run's, when there is a run (else
/// every severity's escalation contact is listed).
pub fn calls<'c>(catalog: &'c Catalog, step: &Step, severity: Option<&str>) -> Vec<Call<'c>> {
    let mut calls: Vec<Call<'c>> = step
        .contacts
        .iter()
        .filter_map(|id| catalog.contact(id))
        .map(|contact| Call {
            contact,
            escalation: None,
        })
        .collect();
    let escalates = step
        .deadline
        .as_ref()
        .is_some_and(|d| matches!(d.within, Within::Escalation));
    if escalates {
        for level in &catalog.severities {
            if severity.is_some_and(|s| s != level.id) {
                continue;
            }
            let Some(contact) = level
                .escalate_to
                .as_deref()
                .and_then(|id| catalog.contact(id))
            else {
                continue;
            };
            calls.push(Call {
                contact,
                escalation: Some(level),
            });
        }
    }
    calls
}
