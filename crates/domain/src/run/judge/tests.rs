use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::catalog::{Sources, load};
use crate::run::StepStatus;
use crate::testing::entry;

const RULES: &str = r#"
[[role]]
id = "lead"
title = "Lead"
holders = ["alice"]

[[procedure]]
id = "roll"
kind = "deploy"
title = "Roll out"

[[procedure.section]]
id = "main"
title = "Main"

[[procedure.section.step]]
id = "first"
text = "First ten per cent"
role = "lead"

[[procedure.section.step]]
id = "second"
text = "All of it, two days later"
role = "lead"
gate = { after = "first", wait = "2d" }

[[procedure.section.step]]
id = "purge"
text = "Purge the cache"
two_person = true
run = { argv = ["echo", "purge"] }
"#;

fn rules() -> Catalog {
    let mut sources = Sources::default();
    sources.add("rules.toml", RULES);
    let loaded = load(sources);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    loaded.catalog
}

fn t0() -> DateTime<Utc> {
    "2026-03-02T09:00:00Z".parse().unwrap()
}

/// A journal of one run of `roll`, an entry per (operator, hours after
/// the start, event).
struct Walk {
    judge: Judge,
    seq: u64,
}

impl Walk {
    fn new(rules: &Catalog) -> Self {
        let mut walk = Walk {
            judge: Judge::new(rules),
            seq: 0,
        };
        let started = walk.by("alice", 0, start(rules, "roll", None).unwrap());
        assert_eq!(started, None);
        walk
    }

    fn by(&mut self, operator: &str, hours: i64, event: Event) -> Option<String> {
        self.seq += 1;
        let at = t0() + TimeDelta::hours(hours);
        let mut entry = entry(self.seq, at, Some("r1"), event);
        entry.operator = operator.to_owned();
        entry.os_user = Some(operator.to_owned());
        match self.judge.entry(&entry) {
            None => None,
            Some(Verdict::Refused(why)) => Some(why),
            Some(other) => panic!("the walk's run is judged: {other:?}"),
        }
    }
}

fn started(hash: &str) -> Event {
    Event::RunStarted {
        procedure: "roll".into(),
        procedure_hash: hash.into(),
        severity: None,
        pinned: None,
    }
}

fn done(step: &str) -> Event {
    Event::StepCompleted {
        step: step.into(),
        note: None,
        value: None,
        hold: None,
    }
}

#[test]
fn a_holders_sign_off_after_its_gate_is_within_the_rules() {
    let rules = rules();
    let mut walk = Walk::new(&rules);
    assert_eq!(walk.by("alice", 1, done("first")), None);
    assert_eq!(walk.by("alice", 50, done("second")), None);
}

#[test]
fn a_sign_off_by_someone_without_the_role_is_named() {
    let rules = rules();
    let mut walk = Walk::new(&rules);
    let why = walk.by("mallory", 1, done("first")).unwrap();
    assert!(why.contains("lead"), "{why}");
}

#[test]
fn a_step_done_before_its_gate_opened_is_named_by_the_entries_own_times() {
    let rules = rules();
    let mut walk = Walk::new(&rules);
    assert_eq!(walk.by("alice", 1, done("first")), None);
    let why = walk.by("alice", 2, done("second")).unwrap();
    assert!(why.contains("first"), "{why}");
}

#[test]
fn skipping_or_failing_a_role_step_is_the_holders_alone() {
    let rules = rules();
    let mut walk = Walk::new(&rules);
    let skip = Event::StepSkipped {
        step: "first".into(),
        reason: "n/a".into(),
    };
    assert!(walk.by("mallory", 1, skip.clone()).is_some());
    let fail = Event::StepFailed {
        step: "second".into(),
        note: "broken".into(),
    };
    assert!(walk.by("mallory", 1, fail).is_some());
    assert_eq!(walk.by("alice", 1, skip), None);
}

#[test]
fn a_two_person_step_done_in_one_entry_or_confirmed_by_its_proposer_is_named() {
    let rules = rules();
    let why = Walk::new(&rules).by("mallory", 1, done("purge")).unwrap();
    assert!(why.contains("step_proposed"), "{why}");
    let proposed = || {
        let mut walk = Walk::new(&rules);
        let proposed = Event::StepProposed {
            step: "purge".into(),
            note: None,
            hold: None,
        };
        assert_eq!(walk.by("mallory", 1, proposed), None);
        walk
    };
    let confirmed = Event::StepConfirmed {
        step: "purge".into(),
    };
    let why = proposed().by("mallory", 1, confirmed.clone()).unwrap();
    assert!(why.contains("mallory"), "{why}");
    assert_eq!(proposed().by("bob", 1, confirmed), None);
}

#[test]
fn a_command_started_that_is_not_the_one_approved_is_named() {
    let rules = rules();
    let approved = || {
        let mut walk = Walk::new(&rules);
        let asked = Event::CommandRequested {
            step: "purge".into(),
            command: "echo PURGING staging".into(),
        };
        assert_eq!(walk.by("mallory", 1, asked), None);
        let approved = Event::CommandApproved {
            step: "purge".into(),
            command: "echo PURGING staging".into(),
        };
        assert_eq!(walk.by("bob", 1, approved), None);
        walk
    };
    let purge = rules.procedure("roll").unwrap().step("purge").unwrap();
    let timeout = purge.run.as_ref().unwrap().timeout.as_secs();
    let started = |command: &str| Event::CommandStarted {
        step: "purge".into(),
        command: command.into(),
        host: "bastion".into(),
        cwd: "/".into(),
        timeout_secs: timeout,
    };
    let why = approved()
        .by("mallory", 1, started("echo PURGING production"))
        .unwrap();
    assert!(why.contains("PURGING staging"), "{why}");
    let honest = approved().by("mallory", 1, started("echo PURGING staging"));
    assert_eq!(honest, None);
}

#[test]
fn a_run_started_with_another_procedure_is_named_and_not_judged_further() {
    let rules = rules();
    let mut judge = Judge::new(&rules);
    let first = entry(1, t0(), Some("r1"), started("0123456789abcdef"));
    let Some(Verdict::Unjudged(why)) = judge.entry(&first) else {
        panic!("a run of another procedure is said unjudged");
    };
    assert!(why.contains("0123456789ab"), "{why}");
    let mut later = entry(2, t0(), Some("r1"), done("second"));
    later.operator = "mallory".into();
    assert_eq!(judge.entry(&later), None);
}

#[test]
fn a_step_marked_not_needed_without_an_answer_is_named() {
    let rules = rules();
    let mut walk = Walk::new(&rules);
    let forged = Event::StepNotNeeded {
        step: "second".into(),
        condition: "first > 1".into(),
        value: "0".into(),
    };
    assert!(walk.by("mallory", 1, forged).is_some());
}

/// The rules as a later, edited catalog has them: `first` lost its role.
fn edited() -> Catalog {
    let mut sources = Sources::default();
    sources.add("rules.toml", RULES.replacen("role = \"lead\"\n", "", 1));
    load(sources).catalog
}

#[test]
fn a_pinned_run_is_judged_by_its_pin_whatever_the_rules_now_say() {
    let (team, edited) = (rules(), edited());
    let mut judge = Judge::new(&edited);
    let first = entry(1, t0(), Some("r1"), start(&team, "roll", None).unwrap());
    let Some(Verdict::PinnedOther(why)) = judge.entry(&first) else {
        panic!("a pin other than the rules' own is said");
    };
    assert!(why.contains("step `first`: `role` changed"), "{why}");
    let mut signed_off = entry(2, t0(), Some("r1"), done("first"));
    signed_off.operator = "mallory".into();
    let Some(Verdict::Refused(why)) = judge.entry(&signed_off) else {
        panic!("the pinned role still holds");
    };
    assert!(why.contains("lead"), "{why}");
}

#[test]
fn a_pin_whose_content_is_not_its_hash_is_refused() {
    let (team, edited) = (rules(), edited());
    let Event::RunStarted { pinned, .. } = start(&edited, "roll", None).unwrap() else {
        unreachable!()
    };
    let forged = Event::RunStarted {
        procedure: "roll".into(),
        procedure_hash: team.procedure("roll").unwrap().content_hash.clone(),
        severity: None,
        pinned,
    };
    let mut judge = Judge::new(&team);
    let Some(Verdict::Refused(why)) = judge.entry(&entry(1, t0(), Some("r1"), forged)) else {
        panic!("a forged pin is refused");
    };
    assert!(why.contains("hashes to"), "{why}");
}

#[test]
fn a_two_person_step_is_skipped_or_failed_only_with_a_second_person() {
    let rules = rules();
    let skipped = || Event::StepSkipped {
        step: "purge".into(),
        reason: "not today".into(),
    };
    let why = Walk::new(&rules).by("mallory", 1, skipped()).unwrap();
    assert!(why.contains("step_skip_proposed"), "{why}");
    let failed = Event::StepFailed {
        step: "purge".into(),
        note: "it broke".into(),
    };
    let why = Walk::new(&rules).by("mallory", 1, failed).unwrap();
    assert!(why.contains("step_fail_proposed"), "{why}");

    let proposed = || Event::StepSkipProposed {
        step: "purge".into(),
        reason: "not today".into(),
    };
    let confirmed = || Event::StepConfirmed {
        step: "purge".into(),
    };
    let mut alone = Walk::new(&rules);
    assert_eq!(alone.by("mallory", 1, proposed()), None);
    assert!(alone.by("mallory", 1, confirmed()).is_some());

    let mut walk = Walk::new(&rules);
    assert_eq!(walk.by("mallory", 1, proposed()), None);
    assert_eq!(walk.by("bob", 2, confirmed()), None);
    let state = walk.judge.folder.get("r1").unwrap();
    assert!(
        matches!(state.status("purge"), StepStatus::Skipped { by, .. } if by == "mallory"),
        "{:?}",
        state.status("purge")
    );
}

#[test]
fn a_database_row_is_judged_by_the_time_the_server_stamped_it() {
    use crate::journal::verify::Judge as _;
    let rules = rules();
    let mut judge = Judge::new(&rules);
    let line = |seq: u64, at: DateTime<Utc>, event: Event| {
        let entry = entry(seq, at, Some("r1"), event);
        serde_json::to_vec(&entry).unwrap()
    };
    let started = line(1, t0(), start(&rules, "roll", None).unwrap());
    assert!(judge.judge(&started, Some(t0())).is_empty());
    let first = line(2, t0(), done("first"));
    assert!(judge.judge(&first, Some(t0())).is_empty());
    // The line claims two days on; the server stamped it an hour on.
    let claimed = t0() + TimeDelta::hours(50);
    let second = line(3, claimed, done("second"));
    let faults = judge.judge(&second, Some(t0() + TimeDelta::hours(1)));
    assert!(
        matches!(&faults[..], [Fault::Refused { why, .. }] if why.contains("first")),
        "{faults:?}"
    );
}
