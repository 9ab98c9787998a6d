//! Doing a step: the checks every way of ticking one passes (not done
//! already, the operator may act, the hold met, the evidence given, the
//! typed answer read), and the steps a typed answer makes unneeded.

use super::event::Event;
use super::rejection::Rejection;
use super::rules::{Context, already, may_act};
use super::state::{RunState, StepStatus};
use crate::catalog::Step;

pub(super) fn complete(
    state: &RunState,
    ctx: &Context<'_>,
    step: &Step,
    note: Option<String>,
    confirmed: bool,
    override_hold: Option<&str>,
) -> Result<Vec<Event>, Rejection> {
    let id = step.id.clone();
    match state.status(&id) {
        StepStatus::Done { .. } => return Err(already(state, step)),
        StepStatus::AwaitingConfirmation { by, .. } => {
            return Err(Rejection::SecondOperatorRequired {
                step: id,
                first: by.clone(),
            });
        }
        _ => {}
    }
    may_act(state, ctx, step)?;
    let held = hold(ctx, step, override_hold)?;
    // A step done by a status update has the update as its evidence.
    if let Some(evidence) = &step.evidence
        && note.is_none()
        && step.update.is_none()
    {
        // The catalog's evidence text in its first language: the operator
        // sees the localised one through the front end.
        return Err(Rejection::EvidenceRequired {
            step: id,
            evidence: evidence.get(crate::catalog::text::FALLBACK).to_owned(),
        });
    }
    if step.confirm && !confirmed {
        let command = step.commands.first().cloned();
        return Err(Rejection::ConfirmationRequired { step: id, command });
    }
    let value = match (&step.expects, &note) {
        (Some(expect), Some(note)) => {
            Some(expect.parse(note).ok_or_else(|| Rejection::WrongAnswer {
                step: id.clone(),
                expected: expect.clone(),
            })?)
        }
        _ => None,
    };
    let mut events = vec![if step.two_person {
        Event::StepProposed {
            step: id.clone(),
            note,
            hold: held,
        }
    } else {
        Event::StepCompleted {
            step: id.clone(),
            note,
            value: value.clone(),
            hold: held,
        }
    }];
    if let (Some(value), Some(expect)) = (&value, &step.expects) {
        events.extend(not_needed(state, ctx.procedure, &id, expect, value));
    }
    Ok(events)
}

/// A text as given, trimmed; nothing when it is blank.
pub(super) fn trimmed(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A metric-gated step: each metric read here must have stayed below
/// alert for the hold's period; a metric that cannot be read here (no
/// source, its variable unset, no reader) refuses the step, unless the
/// operator overrides the hold with a reason. How it was judged is
/// recorded with the step, for `audit verify` to judge again.
fn hold(
    ctx: &Context<'_>,
    step: &Step,
    override_hold: Option<&str>,
) -> Result<Option<super::event::Held>, Rejection> {
    let Some(hold) = &step.hold else {
        return Ok(None);
    };
    let mut judged = super::event::Held::default();
    let needed = hold.period.to_chrono();
    for metric in &hold.metrics {
        let Some(readings) = ctx.readings.filter(|r| r.reads(metric)) else {
            judged.unread.push(metric.clone());
            continue;
        };
        if readings.is_critical(metric) {
            return Err(Rejection::HoldCritical {
                step: step.id.clone(),
                metric: metric.clone(),
                rollback: ctx.procedure.rollback.clone(),
            });
        }
        match readings.ok_since(metric) {
            None => {
                return Err(Rejection::HoldNotMet {
                    step: step.id.clone(),
                    metric: metric.clone(),
                    left: None,
                });
            }
            Some(since) if ctx.now - since < needed => {
                return Err(Rejection::HoldNotMet {
                    step: step.id.clone(),
                    metric: metric.clone(),
                    left: Some(needed - (ctx.now - since)),
                });
            }
            Some(since) => judged.read.push((metric.clone(), since)),
        }
    }
    if !judged.unread.is_empty() {
        let reason = override_hold
            .and_then(trimmed)
            .ok_or_else(|| Rejection::HoldUnjudged {
                step: step.id.clone(),
                metrics: judged.unread.clone(),
            })?;
        judged.overridden = Some(reason);
    }
    Ok(Some(judged))
}

/// The open steps whose `when` reads `decided`'s answer and is false for
/// it: not needed in this run, and recorded so, with the reason.
fn not_needed(
    state: &RunState,
    procedure: &crate::catalog::Procedure,
    decided: &str,
    expect: &crate::catalog::answer::Expect,
    value: &crate::catalog::answer::Answer,
) -> Vec<Event> {
    procedure
        .steps()
        .filter(|s| *state.status(&s.id) == StepStatus::Todo)
        .filter_map(|s| {
            let condition = s.when.as_ref().filter(|c| c.step == decided)?;
            (!condition.holds(expect, value)).then(|| Event::StepNotNeeded {
                step: s.id.clone(),
                condition: condition.text.clone(),
                value: expect.show(value),
            })
        })
        .collect()
}
