//! The rules every decision about a step shares: who is asking and what
//! they hold (`Context`), whether the step's gate has opened and its role
//! is held, and the four-eyes rule. Doing a step by hand and running its
//! command ask the same questions here.

use chrono::{DateTime, Utc};

use super::rejection::Rejection;
use super::state::RunState;
use crate::catalog::{Catalog, Procedure, Step};

/// Live metric readings, as the console has them: what a metric-gated
/// step asks of them.
pub trait Readings: std::fmt::Debug {
    /// Since when `metric` has stayed below its alert threshold, if it is
    /// below now with fresh readings.
    fn ok_since(&self, metric: &str) -> Option<DateTime<Utc>>;
    fn is_critical(&self, metric: &str) -> bool;
    /// Whether `metric` is read here at all (a source, its variables set,
    /// something polling it).
    fn reads(&self, _metric: &str) -> bool {
        true
    }
}

/// Who is asking, when, and what they may do.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub procedure: &'a Procedure,
    pub operator: &'a str,
    /// What proves who the operator is (`journal::identity::proof`).
    pub proof: &'a str,
    /// Roles the operator holds, beyond those the catalog gives them.
    pub extra_roles: &'a [String],
    pub now: DateTime<Utc>,
    /// Live readings, where something polls them (the console).
    pub readings: Option<&'a dyn Readings>,
}

impl Context<'_> {
    fn holds(&self, role: &str) -> bool {
        self.extra_roles.iter().any(|r| r == role)
            || self.catalog.roles_of(self.operator).any(|r| r.id == role)
    }
}

pub(super) fn already(state: &RunState, step: &Step) -> Rejection {
    let status = state.status(&step.id);
    Rejection::AlreadyDone {
        step: step.id.clone(),
        status: status.clone(),
    }
}

/// The four-eyes rule: the second operator is neither the first by name
/// nor, unless the site says `require = "none"`, by proof (a second name
/// on one account or one key is the same person).
pub(super) fn second_person(
    ctx: &Context<'_>,
    step: &str,
    first: &str,
    first_proof: &str,
) -> Result<(), Rejection> {
    if first == ctx.operator {
        return Err(Rejection::SecondOperatorRequired {
            step: step.to_owned(),
            first: first.to_owned(),
        });
    }
    if ctx.catalog.require.checks_proof() && first_proof == ctx.proof {
        return Err(Rejection::SamePerson {
            step: step.to_owned(),
            first: first.to_owned(),
            proof: first_proof.to_owned(),
        });
    }
    Ok(())
}

/// The step's gate has opened and the operator holds its role: what doing
/// a step, or running its command, asks first.
pub(super) fn may_act(state: &RunState, ctx: &Context<'_>, step: &Step) -> Result<(), Rejection> {
    let id = step.id.clone();
    if let Some(gate) = &step.gate {
        let opens_at = state
            .status(&gate.after)
            .done_at()
            .map(|done| done + gate.wait.to_chrono());
        if opens_at.is_none_or(|at| ctx.now < at) {
            return Err(Rejection::Gated {
                step: id,
                after: gate.after.clone(),
                opens_at,
            });
        }
    }
    signs_off(state, ctx, step)
}

/// The operator holds the step's role, in their own name: what doing the
/// step, running its command, and closing it otherwise (skip, fail,
/// reopen) all ask.
pub(super) fn signs_off(state: &RunState, ctx: &Context<'_>, step: &Step) -> Result<(), Rejection> {
    let id = step.id.clone();
    if let Some(role) = &step.role {
        if !ctx.holds(role) {
            return Err(Rejection::RoleRequired {
                step: id,
                role: role.clone(),
            });
        }
        // A sign-off is the role holder's own: a holder's name on a proof
        // that acted in this run under another name is that other person.
        let earlier = state
            .proofs
            .iter()
            .find(|(proof, name)| *proof == ctx.proof && name != ctx.operator);
        if ctx.catalog.require.checks_proof()
            && let Some((proof, first)) = earlier
        {
            return Err(Rejection::SignOffByAnother {
                step: id,
                first: first.clone(),
                proof: proof.clone(),
            });
        }
    }
    Ok(())
}
