//! The GDPR notifications of a personal data breach, drafted from the
//! record: to the supervisory authority (art. 33, the CNIL's online form)
//! and to the people concerned (art. 34). The breach procedure asks each
//! fact in a step of its own; the draft reads them from the run, with
//! when the breach became known, the 72 h deadline from it, and the
//! notifications already sent (the first initial, the next complementary,
//! art. 33(4)).

pub mod markdown;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Procedure};
use crate::run::RunState;

/// The steps of the bundled breach procedure the draft reads, by what
/// each answers. A team's own procedure uses these ids to be drafted too.
pub mod steps {
    pub const NATURE: &str = "analyse";
    pub const PERSONAL_DATA: &str = "personal-data";
    pub const CATEGORIES: &str = "data-categories";
    pub const PEOPLE: &str = "people-affected";
    pub const RECORDS: &str = "records-affected";
    pub const CONSEQUENCES: &str = "consequences";
    pub const HIGH_RISK: &str = "high-risk";
    pub const MEASURES_PROPOSED: &str = "measures-proposed";
    /// Measures taken: what these steps recorded.
    pub const MEASURES_TAKEN: [&str; 2] = ["isolate", "remediate"];
    /// The step whose deadline is the authority's.
    pub const NOTIFY_AUTHORITY: &str = "notify-cnil";
    pub const CONTACT: &str = "dpo";
}

/// Whom a notification is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The supervisory authority (art. 33): the CNIL.
    Authority,
    /// The people concerned (art. 34).
    People,
}

impl Audience {
    pub fn name(self) -> &'static str {
        match self {
            Audience::Authority => "authority",
            Audience::People => "people",
        }
    }

    pub fn parse(given: &str) -> Option<Audience> {
        match given {
            "authority" => Some(Audience::Authority),
            "people" => Some(Audience::People),
            _ => None,
        }
    }
}

/// A notification recorded as sent (`breach_notice_sent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    pub run: String,
    #[serde(rename = "for")]
    pub audience: Audience,
    /// The authority's reference (the CNIL's notification number), or the
    /// team's for a message to the people.
    pub reference: String,
    /// Why it came after the deadline, when it did (art. 33(1)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_reason: Option<String>,
}

/// A notification recorded as sent, with when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentAt {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(flatten)]
    pub sent: Sent,
}

/// The draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    #[serde(rename = "for")]
    pub audience: Audience,
    pub run: String,
    /// `initial`, or `complementary` once one was sent (art. 33(4)).
    pub kind: &'static str,
    /// When the breach became known: the run's start.
    pub became_known: Option<DateTime<Utc>>,
    /// 72 h after it (the authority's deadline).
    pub deadline: Option<DateTime<Utc>>,
    /// Past the deadline with no notification to the authority sent in
    /// time: the reasons for the delay are owed (art. 33(1)).
    pub late: bool,
    pub personal_data: Option<bool>,
    pub nature: Option<String>,
    pub categories: Option<String>,
    pub people: Option<String>,
    pub records: Option<String>,
    pub consequences: Option<String>,
    pub measures_taken: Vec<String>,
    pub measures_proposed: Option<String>,
    /// A high risk to the people: art. 34 applies.
    pub high_risk: Option<bool>,
    /// The contact point: name and how to reach them.
    pub contact: Option<(String, Option<String>)>,
    /// The notifications for this audience already sent, in order.
    pub sent: Vec<SentAt>,
    /// The facts the record does not hold yet: their steps.
    pub missing: Vec<String>,
}

/// The last note a step holds: its evidence.
fn note(run: &RunState, step: &str) -> Option<String> {
    run.notes
        .iter()
        .rev()
        .find(|n| n.step.as_deref() == Some(step))
        .map(|n| n.text.clone())
}

fn yes(run: &RunState, step: &str) -> Option<bool> {
    run.answers.get(step).map(|a| crate::text::is_yes(a))
}

/// The authority's deadline: the fixed one the procedure sets on its
/// notification step (72 h), from the run's start.
fn deadline(run: &RunState, procedure: Option<&Procedure>) -> Option<DateTime<Utc>> {
    let within = procedure?
        .step(steps::NOTIFY_AUTHORITY)?
        .deadline
        .as_ref()
        .and_then(|d| match &d.within {
            crate::catalog::Within::Fixed(within) => Some(within.to_chrono()),
            _ => None,
        })
        .unwrap_or(TimeDelta::hours(72));
    Some(run.started_at? + within)
}

/// The draft for `audience` of breach run `run`, at `now`, given the
/// notifications recorded as sent (any run's: this one's are taken).
pub fn notice(
    run: &RunState,
    catalog: &Catalog,
    audience: Audience,
    sent: &[SentAt],
    lang: &str,
    now: DateTime<Utc>,
) -> Notice {
    use steps as s;
    let procedure = catalog.procedure(&run.procedure);
    let deadline = deadline(run, procedure);
    let of_run: Vec<&SentAt> = sent.iter().filter(|n| n.sent.run == run.id).collect();
    let to_authority_in_time = of_run
        .iter()
        .any(|n| n.sent.audience == Audience::Authority && deadline.is_none_or(|d| n.at <= d));
    let mine: Vec<SentAt> = of_run
        .iter()
        .filter(|n| n.sent.audience == audience)
        .map(|n| (*n).clone())
        .collect();
    // A number is shown with its unit (`1200 people`).
    let counted = |step: &str| {
        let answer = run.answers.get(step)?;
        let unit = procedure
            .and_then(|p| p.step(step))
            .and_then(|st| match &st.expects {
                Some(crate::catalog::answer::Expect::Number { unit }) => Some(unit.as_str()),
                _ => None,
            })
            .unwrap_or_default();
        Some(format!("{answer} {unit}").trim().to_owned())
    };
    let contact = catalog.contact(s::CONTACT).map(|c| {
        (
            c.name.get(lang).to_owned(),
            c.reach.clone().filter(|r| !r.is_empty()),
        )
    });
    let personal_data = yes(run, s::PERSONAL_DATA);
    let mut notice = Notice {
        audience,
        run: run.id.clone(),
        kind: if mine.is_empty() {
            "initial"
        } else {
            "complementary"
        },
        became_known: run.started_at,
        deadline,
        late: deadline.is_some_and(|d| now > d) && !to_authority_in_time,
        personal_data,
        nature: note(run, s::NATURE),
        categories: note(run, s::CATEGORIES),
        people: counted(s::PEOPLE),
        records: counted(s::RECORDS),
        consequences: note(run, s::CONSEQUENCES),
        measures_taken: s::MEASURES_TAKEN
            .iter()
            .filter_map(|st| note(run, st))
            .collect(),
        measures_proposed: note(run, s::MEASURES_PROPOSED),
        high_risk: yes(run, s::HIGH_RISK),
        contact,
        sent: mine,
        missing: Vec::new(),
    };
    notice.missing = missing(&notice);
    notice
}

fn missing(n: &Notice) -> Vec<String> {
    use steps as s;
    let mut out = Vec::new();
    let mut need = |present: bool, step: &str| {
        if !present {
            out.push(step.to_owned());
        }
    };
    need(n.nature.is_some(), s::NATURE);
    need(n.personal_data.is_some(), s::PERSONAL_DATA);
    need(n.categories.is_some(), s::CATEGORIES);
    need(n.people.is_some(), s::PEOPLE);
    need(n.records.is_some(), s::RECORDS);
    need(n.consequences.is_some(), s::CONSEQUENCES);
    need(n.measures_proposed.is_some(), s::MEASURES_PROPOSED);
    need(n.high_risk.is_some(), s::HIGH_RISK);
    need(
        n.contact.as_ref().is_some_and(|(_, reach)| reach.is_some()),
        s::CONTACT,
    );
    out
}
