//! Recurring duties: schedule arithmetic over random dates and zones
//! (month ends, leap years, daylight saving, quarters), due states over
//! synthetic histories, and `runbook due` with its exit codes.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{DateTime, Datelike, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use runbook::catalog::duration::Duration;
use runbook::catalog::schedule::Schedule;
use runbook::catalog::{self, Catalog};
use runbook::due::{Finished, Open, Runs, State};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

const ZONES: [Tz; 5] = [
    Tz::UTC,
    Tz::Europe__Paris,
    Tz::America__New_York,
    Tz::Australia__Lord_Howe,
    Tz::Asia__Kolkata,
];

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2000-01-01 to 2099-12-31, to the second.
    (946_684_800_i64..4_102_358_400).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_daily_duty_falls_at_its_time_every_day(at in instant(), zone in 0..ZONES.len(), hour in 0u32..24, minute in 0u32..60) {
        let zone = ZONES[zone];
        let schedule = Schedule::new(&format!("{minute} {hour} * * *"), zone, Duration::from_hours(3)).unwrap();
        let due = schedule.due_at_or_before(at).unwrap();
        let next = schedule.due_after(at).unwrap();
        prop_assert!(due <= at && at < next, "{due} <= {at} < {next}");
        prop_assert_eq!(schedule.due_after(due).unwrap(), next);
        prop_assert_eq!(schedule.due_at_or_before(due).unwrap(), due);
        // A day is 23 to 25 hours long, with the clocks' changes.
        prop_assert!(next - due <= TimeDelta::hours(25) + TimeDelta::minutes(30), "{due} .. {next}");
        let local = due.with_timezone(&zone);
        // Where the time exists that day, it is the time; where the clocks
        // skipped it, the duty falls within the hour after.
        let wanted = hour * 60 + minute;
        let got = local.hour() * 60 + local.minute();
        prop_assert!(got == wanted || (got > wanted && got - wanted <= 60), "{local} for {hour}:{minute}");
    }

    #[test]
    fn a_monthly_duty_on_the_last_day_ends_every_month(at in instant(), zone in 0..ZONES.len()) {
        let zone = ZONES[zone];
        let schedule = Schedule::new("0 9 L * *", zone, Duration::from_hours(24)).unwrap();
        let due = schedule.due_at_or_before(at).unwrap().with_timezone(&zone);
        let next = schedule.due_after(at).unwrap().with_timezone(&zone);
        for t in [due, next] {
            let tomorrow = t.date_naive().succ_opt().unwrap();
            prop_assert_eq!(tomorrow.day(), 1, "{} is not a month's last day", t);
        }
        // February 29th in leap years, the 28th otherwise.
        if due.month() == 2 {
            let leap = chrono::NaiveDate::from_ymd_opt(due.year(), 2, 29).is_some();
            prop_assert_eq!(due.day(), if leap { 29 } else { 28 });
        }
    }

    #[test]
    fn a_quarterly_duty_opens_each_quarter(at in instant(), zone in 0..ZONES.len(), day in 1u32..=28) {
        let zone = ZONES[zone];
        let schedule = Schedule::new(&format!("0 9 {day} 1,4,7,10 *"), zone, Duration::from_hours(240)).unwrap();
        let due = schedule.due_at_or_before(at).unwrap();
        let next = schedule.due_after(at).unwrap();
        prop_assert!(due <= at && at < next);
        let local = due.with_timezone(&zone);
        prop_assert!([1, 4, 7, 10].contains(&local.month()) && local.day() == day, "{local}");
        // From one quarter to the next: 89 to 92 days.
        let hours = (next - due).num_hours();
        prop_assert!((89 * 24 - 1..=92 * 24 + 1).contains(&hours), "{hours} h from {due} to {next}");
    }
}

#[test]
fn the_clocks_going_forward_and_back_move_a_paris_duty_in_utc_only() {
    let paris = Schedule::new("30 2 * * *", Tz::Europe__Paris, Duration::from_hours(1)).unwrap();
    // 2026-03-29: 02:30 does not exist in Paris (02:00 → 03:00).
    let gap = paris.due_after(utc("2026-03-28T12:00:00Z")).unwrap();
    assert_eq!(
        gap.date_naive(),
        chrono::NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
    );
    // 2026-10-25: 02:30 happens twice; the duty falls once that day.
    let first = paris.due_after(utc("2026-10-24T12:00:00Z")).unwrap();
    let second = paris.due_after(first).unwrap();
    assert!(
        second - first >= TimeDelta::hours(23),
        "{first} then {second}"
    );
    let nine = Schedule::new("0 9 * * *", Tz::Europe__Paris, Duration::from_hours(1)).unwrap();
    assert_eq!(
        nine.due_after(utc("2026-03-28T12:00:00Z")).unwrap(),
        utc("2026-03-29T07:00:00Z")
    );
    assert_eq!(
        nine.due_after(utc("2026-10-24T12:00:00Z")).unwrap(),
        utc("2026-10-25T08:00:00Z")
    );
}

/// The duties of a team whose journal began at the start of 2026.
fn duties(
    catalog: &Catalog,
    finished: &[Finished],
    open: &[Open],
    now: DateTime<Utc>,
) -> Vec<runbook::due::Duty> {
    let runs = Runs {
        finished,
        open,
        began: Some(utc("2026-01-01T00:00:00Z")),
    };
    runbook::due::duties(catalog, runs, now)
}

fn bundled() -> Catalog {
    catalog::load_bundled().catalog
}

fn finished(procedure: &str, started: &str, done: &str, by: &str) -> Finished {
    Finished {
        run: format!("{procedure}-{started}"),
        procedure: procedure.into(),
        started_at: utc(started),
        finished_at: utc(done),
        by: by.into(),
    }
}

fn daily(catalog: &Catalog, history: &[Finished], open: &[Open], at: &str) -> runbook::due::Duty {
    duties(catalog, history, open, utc(at))
        .into_iter()
        .find(|d| d.procedure == "reconciliation-daily")
        .unwrap()
}

#[test]
fn the_daily_reconciliation_is_due_at_nine_paris_and_overdue_at_noon() {
    let c = bundled();
    // 2026-11-24 in winter: 09:00 Paris is 08:00 UTC, noon is 11:00 UTC.
    let before = daily(&c, &[], &[], "2026-11-24T07:59:00Z");
    assert!(
        matches!(before.state, State::Overdue { .. }),
        "yesterday's was never done: {before:?}"
    );
    assert!(before.never_done());
    let due = daily(&c, &[], &[], "2026-11-24T09:00:00Z");
    assert_eq!(
        due.state,
        State::Due {
            by: utc("2026-11-24T11:00:00Z")
        }
    );
    assert_eq!(due.period_start, utc("2026-11-24T08:00:00Z"));
    assert_eq!(due.next_due, utc("2026-11-25T08:00:00Z"));
    let late = daily(&c, &[], &[], "2026-11-24T11:30:00Z");
    assert_eq!(
        late.state,
        State::Overdue {
            since: utc("2026-11-24T11:00:00Z")
        }
    );

    // Done at 10:00: done for the day, by alice.
    let history = [finished(
        "reconciliation-daily",
        "2026-11-24T09:10:00Z",
        "2026-11-24T10:00:00Z",
        "alice",
    )];
    let done = daily(&c, &history, &[], "2026-11-24T15:00:00Z");
    assert_eq!(done.state, State::Done);
    assert_eq!(done.last.as_ref().unwrap().by, "alice");
    assert_eq!(done.last_period_start, Some(utc("2026-11-24T08:00:00Z")));
    // The next morning it is due again.
    let next = daily(&c, &history, &[], "2026-11-25T08:30:00Z");
    assert!(matches!(next.state, State::Due { .. }));
    // As seen before it was finished, it was not done.
    let earlier = daily(&c, &history, &[], "2026-11-24T09:30:00Z");
    assert!(matches!(earlier.state, State::Due { .. }));
    assert!(earlier.never_done());
}

#[test]
fn a_run_finished_late_covers_its_period_and_two_runs_count_once() {
    let c = bundled();
    // Started at 10:50 UTC on the 24th, finished the next day at 09:00 UTC.
    let late = [finished(
        "reconciliation-daily",
        "2026-11-24T10:50:00Z",
        "2026-11-25T09:00:00Z",
        "bob",
    )];
    // Until it is finished, the 24th stays overdue...
    let open = [Open {
        run: "r1".into(),
        procedure: "reconciliation-daily".into(),
        started_at: utc("2026-11-24T10:50:00Z"),
    }];
    let waiting = daily(&c, &[], &open, "2026-11-24T12:00:00Z");
    assert!(matches!(waiting.state, State::Overdue { .. }));
    assert_eq!(waiting.open.as_deref(), Some("r1"));
    // ...and once it is, it covered the 24th, not the 25th.
    let next_day = daily(&c, &late, &[], "2026-11-25T09:30:00Z");
    assert!(matches!(next_day.state, State::Due { .. }), "{next_day:?}");
    assert_eq!(
        next_day.last_period_start,
        Some(utc("2026-11-24T08:00:00Z"))
    );

    let twice = [
        finished(
            "reconciliation-daily",
            "2026-11-24T08:10:00Z",
            "2026-11-24T08:40:00Z",
            "alice",
        ),
        finished(
            "reconciliation-daily",
            "2026-11-24T09:10:00Z",
            "2026-11-24T09:40:00Z",
            "bob",
        ),
    ];
    let duty = daily(&c, &twice, &[], "2026-11-24T10:00:00Z");
    assert_eq!(duty.state, State::Done);
    assert_eq!(
        duty.last.unwrap().by,
        "bob",
        "the last one is the latest finished"
    );
}

#[test]
fn the_quarterly_key_rotation_five_months_on_is_overdue_and_ordered_first() {
    let c = bundled();
    let history = [finished(
        "key-rotation",
        "2026-04-02T09:00:00Z",
        "2026-04-02T10:00:00Z",
        "carol",
    )];
    let all = duties(&c, &history, &[], utc("2026-09-10T12:00:00Z"));
    let rotation = all.iter().find(|d| d.procedure == "key-rotation").unwrap();
    // The July quarter's grace (10 days) ended on 2026-07-11 07:00 UTC.
    assert_eq!(
        rotation.state,
        State::Overdue {
            since: utc("2026-07-11T07:00:00Z")
        }
    );
    assert!(
        matches!(all[0].state, State::Overdue { .. }),
        "overdue duties come first"
    );
    let since: Vec<_> = all
        .iter()
        .filter_map(|d| match d.state {
            State::Overdue { since } => Some(since),
            _ => None,
        })
        .collect();
    assert!(
        since.windows(2).all(|w| w[0] <= w[1]),
        "most overdue first: {since:?}"
    );
}

// -- through the binary ------------------------------------------------------

const CATALOG: &str = r#"
[[procedure]]
id = "backup-check"
kind = "maintenance"
title = "Backup check"
recurrence = "daily"
schedule = { cron = "0 0 * * *", grace = "1h" }

[[procedure.section]]
id = "s"
title = "S"

[[procedure.section.step]]
id = "restore-test"
text = "Restore yesterday's backup on a test database"
"#;

fn due(dir: &std::path::Path, journal: &std::path::Path, at: &str) -> (Option<i32>, String) {
    let out = common::runbook(journal, "alice")
        .args([
            "--catalog",
            dir.join("c.toml").to_str().unwrap(),
            "due",
            "--at",
            at,
        ])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn runbook_due_exits_like_a_monitoring_plugin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.toml"), CATALOG).unwrap();
    let journal = dir.path().join("journal.jsonl");
    let now = Utc::now();
    let today = now.format("%Y-%m-%dT00:30:00Z").to_string();
    let (code, said) = due(dir.path(), &journal, &today);
    assert_eq!(code, Some(0), "nothing recorded, nothing owed: {said}");
    assert!(
        said.contains("not started yet") && said.contains("never done"),
        "{said}"
    );

    let walked = common::feed(
        common::runbook(&journal, "alice").args([
            "--catalog",
            dir.path().join("c.toml").to_str().unwrap(),
            "run",
            "backup-check",
            "--plain",
        ]),
        "done\nfinish\n",
    );
    assert!(walked.status.success(), "{walked:?}");
    let at = (now + TimeDelta::seconds(5)).to_rfc3339();
    let (code, said) = due(dir.path(), &journal, &at);
    assert_eq!(code, Some(0), "done: {said}");
    assert!(said.contains("by alice"), "{said}");

    // The next day at 00:30, within its hour of grace: the journal began
    // today, so tomorrow's period is owed.
    let tomorrow = (now + TimeDelta::days(1))
        .format("%Y-%m-%dT00:30:00Z")
        .to_string();
    let (code, said) = due(dir.path(), &journal, &tomorrow);
    assert_eq!(code, Some(1), "due within its grace: {said}");
    assert!(said.contains("due, 30m left"), "{said}");

    // The next day at 02:00, past its hour of grace.
    let tomorrow = (now + TimeDelta::days(1))
        .format("%Y-%m-%dT02:00:00Z")
        .to_string();
    let (code, said) = due(dir.path(), &journal, &tomorrow);
    assert_eq!(code, Some(2), "overdue: {said}");
    assert!(said.contains("OVERDUE by 1h"), "{said}");

    let json = common::runbook(&journal, "alice")
        .args([
            "--catalog",
            dir.path().join("c.toml").to_str().unwrap(),
            "due",
            "--json",
            "--at",
            &tomorrow,
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json[0]["state"], "overdue");
    assert_eq!(json[0]["last"]["by"], "alice");

    // A journal that cannot be read: UNKNOWN.
    let (code, said) = due(dir.path(), dir.path(), &today);
    assert_eq!(code, Some(3), "{said}");
}

#[test]
fn a_bad_schedule_is_reported_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let bad = CATALOG.replace(
        r#"schedule = { cron = "0 0 * * *", grace = "1h" }"#,
        r#"schedule = { cron = "0 0 * *", zone = "Europe/Pariss", grace = "1h" }"#,
    ) + "\n[[procedure]]\nid = \"m\"\nkind = \"maintenance\"\ntitle = \"M\"\nrecurrence = \"monthly\"\nschedule = { day = 31, weekday = \"monday\" }\n[[procedure.section]]\nid = \"s\"\ntitle = \"S\"\n[[procedure.section.step]]\nid = \"a\"\ntext = \"A\"\n";
    std::fs::write(dir.path().join("c.toml"), bad).unwrap();
    let out = common::runbook(dir.path().join("j.jsonl"), "alice")
        .args(["check", dir.path().join("c.toml").to_str().unwrap()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("c.toml:7:39") && said.contains("is not a time zone"),
        "{said}"
    );
    let out = {
        let fixed = std::fs::read_to_string(dir.path().join("c.toml"))
            .unwrap()
            .replace("Europe/Pariss", "Europe/Paris");
        std::fs::write(dir.path().join("c.toml"), fixed).unwrap();
        common::runbook(dir.path().join("j.jsonl"), "alice")
            .args(["check", dir.path().join("c.toml").to_str().unwrap()])
            .output()
            .unwrap()
    };
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("c.toml:7:21") && said.contains("is not a cron expression"),
        "{said}"
    );
    assert!(said.contains("a day of the month is 1 to 28"), "{said}");
    assert!(said.contains("`weekday` is not allowed here"), "{said}");
}

#[test]
fn a_site_layer_moves_a_duty_like_any_other_value() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    std::fs::write(
        &site,
        "[[procedure]]\nid = \"reconciliation-daily\"\nschedule = { cron = \"30 6 * * 1-5\", zone = \"UTC\", grace = \"1h\" }\n",
    )
    .unwrap();
    let out = common::runbook(dir.path().join("j.jsonl"), "alice")
        .args([
            "--site",
            site.to_str().unwrap(),
            "due",
            "--json",
            "--at",
            "2026-11-28T12:00:00Z",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let daily = json
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["procedure"] == "reconciliation-daily")
        .unwrap();
    // Saturday the 28th: the weekday-only duty last fell on Friday 06:30.
    assert_eq!(daily["period_start"], "2026-11-27T06:30:00Z", "{daily}");
    assert_eq!(daily["next_due"], "2026-11-30T06:30:00Z", "{daily}");
}

#[test]
fn a_weekly_duty_falls_on_its_weekday() {
    let mut sources = catalog::Sources::default();
    sources.add(
        "w.toml",
        "[[procedure]]\nid = \"w\"\nkind = \"maintenance\"\ntitle = \"W\"\nrecurrence = \"weekly\"\nschedule = { weekday = \"sunday\", at = \"18:00\" }\n[[procedure.section]]\nid = \"s\"\ntitle = \"S\"\n[[procedure.section.step]]\nid = \"a\"\ntext = \"A\"\n".to_owned(),
    );
    let loaded = catalog::load(sources);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    let schedule = loaded
        .catalog
        .procedure("w")
        .unwrap()
        .schedule
        .clone()
        .unwrap();
    // Tuesday 2026-11-24: the next one is Sunday the 29th at 18:00 UTC.
    assert_eq!(
        schedule.due_after(utc("2026-11-24T12:00:00Z")).unwrap(),
        utc("2026-11-29T18:00:00Z")
    );
    assert_eq!(schedule.grace, Duration::from_hours(24));
}

/// The bundled duties' state words and exit code on `journal`, with the
/// extra arguments and the config file given.
fn bundled_due(
    journal: &std::path::Path,
    config: Option<&std::path::Path>,
    args: &[&str],
) -> (Option<i32>, serde_json::Value) {
    let mut command = common::runbook(journal, "alice");
    if let Some(config) = config {
        command.env("XDG_CONFIG_HOME", config);
    }
    let out = command.args(["due", "--json"]).args(args).output().unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

fn duty_of<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json.as_array()
        .unwrap()
        .iter()
        .find(|d| d["procedure"] == id)
        .unwrap_or_else(|| panic!("no duty {id} in {json}"))
}

#[test]
fn a_fresh_journal_owes_no_duty_and_says_when_each_first_falls() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    for (lang, words) in [
        ("en", "not started yet (first due"),
        ("fr", "pas encore commencée (première échéance"),
    ] {
        let out = common::runbook(&journal, "alice")
            .args(["--lang", lang, "due"])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{said}");
        assert!(
            !said.contains("OVERDUE") && !said.contains("EN RETARD"),
            "{said}"
        );
        // Every bundled duty: both reconciliations, the key rotation, the
        // two compliance checklists.
        assert_eq!(said.matches(words).count(), 5, "{said}");
    }
    let (code, json) = bundled_due(&journal, None, &[]);
    assert_eq!(code, Some(0));
    for duty in json.as_array().unwrap() {
        assert_eq!(duty["state"], "not_started", "{duty}");
        assert_eq!(duty["first_due"], duty["next_due"], "{duty}");
    }
    assert!(!journal.exists(), "`due` wrote a journal");
}

#[test]
fn since_moves_the_first_due_time_from_a_site_layer_or_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    // Something recorded today: the journal has begun.
    let walked = common::feed(
        common::runbook(&journal, "alice").args(["run", "deploy", "--plain"]),
        "note first day\nquit\n",
    );
    assert!(walked.status.success(), "{walked:?}");
    let began = Utc::now();
    // Forty days on at noon UTC (13:00 or 14:00 in Paris): the daily
    // reconciliation of that day is past its three hours of grace.
    let later = (began + TimeDelta::days(40))
        .format("%Y-%m-%dT12:00:00Z")
        .to_string();
    let (code, json) = bundled_due(&journal, None, &["--at", &later]);
    assert_eq!(code, Some(2), "{json}");
    assert_eq!(duty_of(&json, "reconciliation-daily")["state"], "overdue");

    // A site layer says the team starts owing it in sixty days: only
    // `since` is given, the catalog's 09:00 Paris anchor stays.
    let start = (began + TimeDelta::days(60)).format("%Y-%m-%d").to_string();
    let site = dir.path().join("site.toml");
    std::fs::write(
        &site,
        format!("[[procedure]]\nid = \"reconciliation-daily\"\nschedule = {{ since = {start} }}\n"),
    )
    .unwrap();
    let with_site = ["--site", site.to_str().unwrap(), "--at", &later];
    let (_, json) = bundled_due(&journal, None, &with_site);
    let daily = duty_of(&json, "reconciliation-daily");
    assert_eq!(daily["state"], "not_started", "{daily}");
    let first: DateTime<Utc> = daily["first_due"].as_str().unwrap().parse().unwrap();
    let paris = first.with_timezone(&Tz::Europe__Paris);
    assert_eq!(
        paris.format("%Y-%m-%d %H:%M").to_string(),
        format!("{start} 09:00")
    );
    // The other duties are still owed from the journal's start.
    assert_ne!(
        duty_of(&json, "reconciliation-monthly")["state"],
        "not_started"
    );

    // The config's duties_since does it for every duty; a schedule's own
    // `since` wins over it.
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("runbook")).unwrap();
    let everything = (began + TimeDelta::days(200))
        .format("%Y-%m-%d")
        .to_string();
    std::fs::write(
        config.join("runbook/config.toml"),
        format!("duties_since = \"{everything}\"\n"),
    )
    .unwrap();
    let (code, json) = bundled_due(&journal, Some(&config), &with_site);
    assert_eq!(code, Some(0), "{json}");
    for duty in json.as_array().unwrap() {
        assert_eq!(duty["state"], "not_started", "{duty}");
    }
    let daily: DateTime<Utc> = duty_of(&json, "reconciliation-daily")["first_due"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(daily, first, "the schedule's own since wins");
    let rotation: DateTime<Utc> = duty_of(&json, "key-rotation")["first_due"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(rotation > began + TimeDelta::days(200), "{rotation}");

    // A date that is not one is refused where it is written.
    std::fs::write(
        config.join("runbook/config.toml"),
        "duties_since = \"soon\"\n",
    )
    .unwrap();
    let out = common::runbook(&journal, "alice")
        .env("XDG_CONFIG_HOME", &config)
        .arg("due")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("config.toml") && said.contains("`soon` is not a date"),
        "{said}"
    );
}
