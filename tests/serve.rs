//! `runbook serve` through the binary (issue 36, part 2): the public page
//! and `/api/v2/summary.json` from the journal's updates, field by field;
//! `/internal` behind the site's viewers; events that follow the journal
//! and resume by id; and no internal word ever on the public side.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[path = "serve/support.rs"]
mod support;

use support::{Served, get, start_incident, update};

const INTERNAL_WORDS: &str = "Stripe key K7 leaked in a log";

#[test]
fn the_summary_says_the_incident_and_its_public_updates_field_by_field_and_no_internal_word() {
    let served = Served::start();
    let run = start_incident(&served, "P2");
    update(
        &served,
        &run,
        &[
            "--status",
            "investigating",
            "--impact",
            "major",
            "--component",
            "payments",
            "--public",
            "Some payments fail.",
        ],
    );
    update(
        &served,
        &run,
        &[
            "--status",
            "identified",
            "--impact",
            "major",
            INTERNAL_WORDS,
        ],
    );
    update(
        &served,
        &run,
        &[
            "--status",
            "monitoring",
            "--impact",
            "minor",
            "--component",
            "payments",
            "--public",
            "A fix is in place.",
        ],
    );
    let seq = served.wait_for_seq_at_least(served.last_seq());

    let (status, headers, body) = get(served.addr, "/api/v2/summary.json", &[]);
    assert_eq!(status, 200, "{body}");
    assert!(
        headers.contains("content-type: application/json"),
        "{headers}"
    );
    assert!(
        headers.contains("access-control-allow-origin: *"),
        "{headers}"
    );
    assert!(!body.contains(INTERNAL_WORDS), "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["page"]["name"], "Tontetic");
    assert_eq!(json["page"]["url"], "https://status.tontetic.example");
    assert_eq!(json["page"]["time_zone"], "Etc/UTC");
    assert_eq!(json["status"]["indicator"], "major");
    assert_eq!(json["status"]["description"], "Partial system outage");
    let payments = json["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "payments")
        .unwrap();
    assert_eq!(payments["name"], "Payments and contributions");
    assert_eq!(payments["status"], "partial_outage");
    let login = json["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "login")
        .unwrap();
    assert_eq!(login["status"], "operational");
    let incidents = json["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1);
    let incident = &incidents[0];
    assert_eq!(incident["id"], run.as_str());
    assert_eq!(incident["name"], "Payments blocked");
    assert_eq!(incident["status"], "monitoring");
    assert_eq!(incident["impact"], "major");
    assert!(incident["monitoring_at"].is_string());
    assert_eq!(incident["resolved_at"], serde_json::Value::Null);
    let updates = incident["incident_updates"].as_array().unwrap();
    let bodies: Vec<&str> = updates
        .iter()
        .map(|u| u["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["A fix is in place.", "Some payments fail."]);
    assert_eq!(updates[0]["status"], "monitoring");
    assert_eq!(updates[0]["incident_id"], run.as_str());
    assert_eq!(updates[0]["affected_components"][0]["code"], "payments");
    assert_eq!(
        updates[0]["affected_components"][0]["new_status"],
        "degraded_performance"
    );
    assert!(updates[0]["id"].as_str().unwrap().parse::<u64>().unwrap() <= seq);
    assert_eq!(json["scheduled_maintenances"], serde_json::json!([]));
    the_page_says_it_in_french_and_keeps_it_a_month_once_resolved(&served, &run);
}

fn the_page_says_it_in_french_and_keeps_it_a_month_once_resolved(served: &Served, run: &str) {
    // The public page, in French by the browser's language.
    let (status, headers, page) = get(
        served.addr,
        "/",
        &[("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")],
    );
    assert_eq!(status, 200);
    assert!(
        headers.contains("content-security-policy: default-src 'none'"),
        "{headers}"
    );
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    assert!(
        page.contains("Paiements bloqués") && page.contains("A fix is in place."),
        "{page}"
    );
    assert!(page.contains("Sous surveillance"), "{page}");
    assert!(!page.contains(INTERNAL_WORDS), "{page}");

    // Resolved: out of the summary's incidents, on the page's last 30 days.
    update(
        served,
        run,
        &[
            "--status",
            "resolved",
            "--public",
            "All payments go through.",
        ],
    );
    served.wait_for_seq_at_least(served.last_seq());
    let (_, _, body) = get(served.addr, "/api/v2/summary.json", &[]);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["incidents"], serde_json::json!([]));
    assert_eq!(json["status"]["indicator"], "none");
    let (_, _, page) = get(served.addr, "/?lang=en", &[]);
    let past = page
        .split("Resolved in the last 30 days")
        .nth(1)
        .expect(&page);
    assert!(past.contains("All payments go through."), "{page}");
}

#[test]
fn the_internal_page_needs_a_viewer_and_shows_every_update_with_progress_deadlines_and_numbers() {
    let served = Served::start();
    let run = start_incident(&served, "P1");
    update(
        &served,
        &run,
        &[
            "--status",
            "identified",
            "--impact",
            "critical",
            INTERNAL_WORDS,
        ],
    );
    served.wait_for_seq_at_least(served.last_seq());

    let (status, headers, body) = get(served.addr, "/internal", &[]);
    assert_eq!(status, 401, "{body}");
    assert!(
        headers.contains("www-authenticate: basic realm=\"runbook internal\""),
        "{headers}"
    );
    assert!(!body.contains(INTERNAL_WORDS));
    let (status, _, _) = get(
        served.addr,
        "/internal",
        &[("Authorization", &support::basic("board", "wrong"))],
    );
    assert_eq!(status, 401);
    let (status, _, _) = get(served.addr, "/internal/events", &[]);
    assert_eq!(status, 401);

    let (status, headers, page) = get(
        served.addr,
        "/internal",
        &[("Authorization", &support::basic("board", support::PASSWORD))],
    );
    assert_eq!(status, 200, "{page}");
    assert!(
        headers.contains("cache-control: private, no-store"),
        "{headers}"
    );
    assert!(page.contains(INTERNAL_WORDS), "{page}");
    assert!(page.contains(&run), "{page}");
    assert!(
        page.contains("Progress: 1/6"),
        "the update did the communication step: {page}"
    );
    assert!(
        page.contains("Deadlines") && page.contains("Escalation"),
        "{page}"
    );
    assert!(
        page.contains("The team's numbers") && page.contains("P1 incidents: 1"),
        "{page}"
    );
    let (status, _, page) = get(
        served.addr,
        "/internal",
        &[("Authorization", &format!("Bearer {}", support::TOKEN))],
    );
    assert_eq!(status, 200);
    assert!(page.contains(INTERNAL_WORDS));

    // Nothing internal on the public side: no incident at all, as nobody
    // told the public.
    let (_, _, page) = get(served.addr, "/", &[]);
    assert!(
        !page.contains(INTERNAL_WORDS) && !page.contains(&run),
        "{page}"
    );
    assert!(page.contains("All systems operational"), "{page}");
    let (_, _, body) = get(served.addr, "/api/v2/summary.json", &[]);
    assert!(
        !body.contains(INTERNAL_WORDS) && !body.contains(&run),
        "{body}"
    );
}

#[test]
fn events_follow_the_journal_and_a_reconnect_resumes_from_its_id() {
    let served = Served::start();
    let run = start_incident(&served, "P2");
    update(
        &served,
        &run,
        &["--status", "investigating", "--public", "First word."],
    );
    served.wait_for_seq_at_least(served.last_seq());

    let mut stream = support::Events::open(served.addr, "/events?lang=en", None);
    let first = stream.next_event();
    assert!(first.data.contains("First word."), "{first:?}");
    let first_id: u64 = first.id.parse().unwrap();

    update(
        &served,
        &run,
        &["--status", "identified", "--public", "Second word."],
    );
    let second = stream.next_event();
    assert!(second.data.contains("Second word."), "{second:?}");
    assert!(second.id.parse::<u64>().unwrap() > first_id);

    // An internal update changes nothing public: no event for it; the
    // next event the stream sends is the next public word.
    update(&served, &run, &["--status", "identified", INTERNAL_WORDS]);
    update(
        &served,
        &run,
        &["--status", "monitoring", "--public", "Third word."],
    );
    let third = stream.next_event();
    assert!(
        third.data.contains("Third word.") && !third.data.contains(INTERNAL_WORDS),
        "{third:?}"
    );

    // A reader that had the latest page is not sent it again on
    // reconnecting: its first event is the next change.
    let mut again = support::Events::open(served.addr, "/events?lang=en", Some(&third.id));
    update(
        &served,
        &run,
        &["--status", "resolved", "--public", "Fourth word."],
    );
    let next = again.next_event();
    assert!(next.data.contains("Fourth word."), "{next:?}");
    // One that had an older page gets the current one at once.
    let mut behind = support::Events::open(served.addr, "/events?lang=en", Some(&first.id));
    let caught_up = behind.next_event();
    assert!(caught_up.data.contains("Fourth word."), "{caught_up:?}");
}
