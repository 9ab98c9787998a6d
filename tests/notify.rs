//! Notifications end to end: the real binary (`runbook watch`, line mode,
//! `runbook notify`) sending to real HTTP receivers on 127.0.0.1 that
//! record what they get; the journal and `audit verify --anchors` read
//! back. Fixture: `tests/fixtures/notify/catalog.toml`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::receiver::{Answer, Receiver, Request};
use runbook::run::Event;
use runbook::store::read;

const PD_KEY: &str = "pd-routing-key-5f4e3d2c1b";
/// `whsec_` and the base64 of `webhook-test-key-0123`.
const HOOK_SECRET: &str = "whsec_d2ViaG9vay10ZXN0LWtleS0wMTIz";
const HOOK_KEY: &[u8] = b"webhook-test-key-0123";

struct World {
    dir: tempfile::TempDir,
    journal: PathBuf,
    anchors: PathBuf,
    receiver: Receiver,
    key: Option<&'static str>,
}

impl World {
    fn new(receiver: Receiver) -> World {
        let dir = tempfile::tempdir().unwrap();
        World {
            journal: dir.path().join("journal.jsonl"),
            anchors: dir.path().join("heads.jsonl"),
            dir,
            receiver,
            key: None,
        }
    }

    fn runbook(&self, operator: &str) -> Command {
        let mut command = common::runbook(&self.journal, operator);
        command
            .env(
                "RUNBOOK_CATALOG",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notify/catalog.toml"),
            )
            .env("PD_KEY", PD_KEY)
            .env("PD_URL", self.receiver.url("/pd"))
            .env("SLACK_URL", self.receiver.url("/slack/T0/B0/s3cr3t"))
            .env("HOOK_URL", self.receiver.url("/hook"))
            .env("HOOK_SECRET", HOOK_SECRET)
            .env("ANCHOR_FILE", &self.anchors)
            .stdin(Stdio::null());
        if let Some(key) = self.key {
            command.env("RUNBOOK_JOURNAL_KEY", key);
        }
        command
    }

    /// A line-mode session fed `input`; the run's id.
    fn walk(&self, args: &[&str], input: &str) -> String {
        let out = common::feed(self.runbook("alice").args(args), input);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{args:?}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.runs().last().cloned().unwrap()
    }

    fn runs(&self) -> Vec<String> {
        let (entries, _) = read::read_all(&self.journal).unwrap();
        let mut runs: Vec<String> = Vec::new();
        for e in entries {
            if let (Some(run), Event::RunStarted { .. }) = (&e.run, &e.event) {
                runs.push(run.clone());
            }
        }
        runs
    }

    /// `runbook watch`, killed when the guard drops.
    fn watch(&self) -> Watch {
        let log = std::fs::File::create(self.dir.path().join("watch.log")).unwrap();
        Watch(common::watch(self.runbook("watcher"), log.into()))
    }

    fn entries(&self) -> Vec<runbook::journal::Entry> {
        read::read_all(&self.journal).unwrap().0
    }

    /// Waits until the journal holds an entry that `found` accepts.
    fn wait_entry(&self, within: Duration, found: impl Fn(&Event) -> bool) -> Event {
        let deadline = Instant::now() + within;
        loop {
            if let Some(e) = self.entries().into_iter().find(|e| found(&e.event)) {
                return e.event;
            }
            assert!(
                Instant::now() < deadline,
                "no such entry in {within:?}: {:#?}",
                self.entries()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn pending(&self) -> String {
        let out = self
            .runbook("alice")
            .args(["notify", "pending"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

struct Watch(Child);

impl Watch {
    fn kill(mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn sent(event: &Event, target: &str, trigger: &str) -> bool {
    matches!(event, Event::NotificationSent(d) if d.target == target && d.trigger == trigger)
}

/// HMAC-SHA256 written out from RFC 2104, apart from the program's own.
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn check_signature(request: &Request) {
    let id = &request.headers["webhook-id"];
    let timestamp = &request.headers["webhook-timestamp"];
    let signed = format!("{id}.{timestamp}.{}", request.body);
    let expected = format!("v1,{}", base64(&hmac_sha256(HOOK_KEY, signed.as_bytes())));
    assert_eq!(request.headers["webhook-signature"], expected);
    let age = chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap();
    assert!(
        (0..60).contains(&age),
        "timestamp {timestamp} is {age}s old"
    );
}

#[test]
fn an_incident_is_paged_acknowledged_and_resolved_and_every_kind_gets_its_shape() {
    let world = World::new(Receiver::start());
    let watch = world.watch();
    let run = world.walk(
        &["run", "incident", "--severity", "P1", "--plain"],
        "done\ndone\nquit\n",
    );
    let pages = world.receiver.wait_for("/pd", 2, Duration::from_secs(20));
    let trigger = pages[0].json();
    assert_eq!(trigger["routing_key"], PD_KEY);
    assert_eq!(trigger["event_action"], "trigger");
    assert_eq!(trigger["dedup_key"], run.as_str());
    assert_eq!(trigger["payload"]["severity"], "critical");
    assert_eq!(trigger["payload"]["component"], "incident");
    assert!(!trigger["payload"]["source"].as_str().unwrap().is_empty());
    let summary = trigger["payload"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("P1") && summary.contains(&run),
        "{summary}"
    );
    assert_eq!(
        trigger["links"][0]["href"],
        format!("https://runbook.example/runs/{run}")
    );
    assert_eq!(trigger["payload"]["custom_details"]["by"], "alice");
    let ack = pages[1].json();
    assert_eq!(ack["event_action"], "acknowledge");
    assert_eq!(ack["dedup_key"], run.as_str());
    assert!(ack.get("payload").is_none());

    world.walk(&["resume", &run, "--plain"], "done\nfinish\n");
    let pages = world.receiver.wait_for("/pd", 3, Duration::from_secs(20));
    assert_eq!(pages[2].json()["event_action"], "resolve");
    assert_eq!(pages[2].json()["dedup_key"], run.as_str());

    let chat = world
        .receiver
        .wait_for("/slack/T0/B0/s3cr3t", 2, Duration::from_secs(20));
    assert!(chat[0].json()["text"].as_str().unwrap().contains(&run));
    assert!(
        chat[1].json()["text"]
            .as_str()
            .unwrap()
            .contains("finished")
    );

    // Started, finished, and the head at the run's end.
    let hooks = world.receiver.wait_for("/hook", 3, Duration::from_secs(20));
    for hook in &hooks {
        check_signature(hook);
    }
    let types: Vec<String> = hooks
        .iter()
        .map(|h| h.json()["type"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        types.contains(&"runbook.run_started".to_owned()),
        "{types:?}"
    );
    assert!(types.contains(&"runbook.anchor".to_owned()), "{types:?}");
    let ids: std::collections::HashSet<&String> =
        hooks.iter().map(|h| &h.headers["webhook-id"]).collect();
    assert_eq!(ids.len(), hooks.len(), "one id per message");

    // The head at the run's end: an anchor taken earlier (the watch also
    // anchors while entries arrive) does not count.
    let finished = world
        .entries()
        .iter()
        .find(|e| matches!(e.event, Event::RunFinished))
        .map(|e| e.seq)
        .unwrap();
    for target in ["heads", "hook"] {
        world.wait_entry(
            Duration::from_secs(20),
            |e| matches!(e, Event::HeadAnchored { target: t, seq, .. } if t == target && *seq >= finished),
        );
    }
    for target in ["oncall", "chat", "hook"] {
        world.wait_entry(Duration::from_secs(20), |e| sent(e, target, "run_finished"));
    }
    watch.kill();
    let pending = world.pending();
    assert!(
        pending.contains("every notification is delivered"),
        "{pending}"
    );

    told_in_report_without_secrets(&world, &run);
}

/// The post-mortem says who was told, in the run's timeline: the page,
/// its acknowledgement and its resolution, each once; no secret is in the
/// journal, and every anchored head is still in its chain.
fn told_in_report_without_secrets(world: &World, run: &str) {
    let report = world
        .runbook("alice")
        .args(["report", run])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&report.stdout);
    assert_eq!(report.matches("notified oncall").count(), 3, "{report}");
    assert!(report.contains("notified chat"), "{report}");

    let journal = std::fs::read_to_string(&world.journal).unwrap();
    for secret in [PD_KEY, HOOK_SECRET, "s3cr3t"] {
        assert!(!journal.contains(secret), "{secret} in the journal");
    }
    let out = world
        .runbook("alice")
        .args(["audit", "verify", "--anchors"])
        .arg(&world.anchors)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("every anchored head is still in the chain"),
        "{said}"
    );
}

#[test]
fn failures_are_retried_with_backoff_and_a_refusal_is_not() {
    let world = World::new(Receiver::start());
    world.receiver.script(
        "/pd",
        vec![
            Answer::status(500),
            Answer::status(429).with_header("Retry-After", "1"),
        ],
    );
    world
        .receiver
        .script("/slack/T0/B0/s3cr3t", vec![Answer::status(404)]);
    // Longer than the target's 2 s timeout: the first attempt times out.
    world.receiver.script(
        "/hook",
        vec![Answer::status(200).after(Duration::from_secs(4))],
    );
    let _watch = world.watch();
    let run = world.walk(
        &["run", "incident", "--severity", "P1", "--plain"],
        "quit\n",
    );

    let pages = world.receiver.wait_for("/pd", 3, Duration::from_secs(30));
    let gap = |a: &Request, b: &Request| (a.json(), b.json());
    let (first, last) = gap(&pages[0], &pages[2]);
    assert_eq!(first["dedup_key"], last["dedup_key"]);
    assert_eq!(last["event_action"], "trigger");
    let delivered = world.wait_entry(Duration::from_secs(20), |e| {
        sent(e, "oncall", "run_started")
    });
    let Event::NotificationSent(d) = delivered else {
        unreachable!()
    };
    assert_eq!(d.attempts, 3);
    assert_eq!(d.run.as_deref(), Some(run.as_str()));

    let refused = world.wait_entry(
        Duration::from_secs(20),
        |e| matches!(e, Event::NotificationFailed { delivery, .. } if delivery.target == "chat"),
    );
    let Event::NotificationFailed {
        permanent, error, ..
    } = refused
    else {
        unreachable!()
    };
    assert!(permanent);
    assert!(error.starts_with("404"), "{error}");

    let hooked = world.wait_entry(Duration::from_secs(20), |e| sent(e, "hook", "run_started"));
    let Event::NotificationSent(d) = hooked else {
        unreachable!()
    };
    assert_eq!(d.attempts, 2, "the timed-out attempt, then the delivery");

    let pending = world.pending();
    assert!(pending.contains("REFUSED 404"), "{pending}");
    // Refused once, never again: the chat received only the one message.
    assert_eq!(world.receiver.received("/slack/T0/B0/s3cr3t").len(), 1);
}

#[test]
fn a_delivery_cut_by_kill_9_is_sent_again_with_the_same_keys_and_recorded_once() {
    let world = World::new(Receiver::start());
    let hold = Answer::status(202).after(Duration::from_secs(8));
    world.receiver.script("/pd", vec![hold.clone()]);
    world.receiver.script("/hook", vec![hold]);
    let watch = world.watch();
    let run = world.walk(
        &["run", "incident", "--severity", "P1", "--plain"],
        "quit\n",
    );
    world.receiver.wait_for("/pd", 1, Duration::from_secs(20));
    world.receiver.wait_for("/hook", 1, Duration::from_secs(20));
    watch.kill();

    let _again = world.watch();
    let pages = world.receiver.wait_for("/pd", 2, Duration::from_secs(20));
    let hooks = world.receiver.wait_for("/hook", 2, Duration::from_secs(20));
    assert_eq!(pages[0].json(), pages[1].json(), "the same event, resent");
    assert_eq!(pages[1].json()["dedup_key"], run.as_str());
    assert_eq!(
        hooks[0].headers["webhook-id"],
        hooks[1].headers["webhook-id"]
    );
    world.wait_entry(Duration::from_secs(20), |e| {
        sent(e, "oncall", "run_started")
    });
    world.wait_entry(Duration::from_secs(20), |e| sent(e, "hook", "run_started"));
    let recorded = world
        .entries()
        .iter()
        .filter(|e| sent(&e.event, "oncall", "run_started"))
        .count();
    assert_eq!(recorded, 1);
    let distinct: std::collections::HashSet<String> = world
        .receiver
        .received("/pd")
        .iter()
        .map(|r| r.json()["dedup_key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(distinct.len(), 1, "one alert at the receiver");
}

#[test]
fn watch_pages_a_missed_escalation_with_no_console_open() {
    let world = World::new(Receiver::start());
    let run = world.walk(
        &["run", "incident", "--severity", "P1", "--plain"],
        "quit\n",
    );
    // Nobody is at a console: the run was left at once.
    let _watch = world.watch();
    let pages = world.receiver.wait_for("/pd", 2, Duration::from_secs(30));
    let missed = pages
        .iter()
        .map(Request::json)
        .find(|p| p["payload"]["class"] == "deadline_missed")
        .unwrap_or_else(|| panic!("no missed deadline paged: {pages:#?}"));
    assert_eq!(missed["event_action"], "trigger");
    assert_eq!(missed["dedup_key"], run.as_str());
    assert_eq!(missed["payload"]["severity"], "critical");
    let summary = missed["payload"]["summary"].as_str().unwrap();
    assert!(summary.contains("Escalate"), "{summary}");
}

#[test]
fn line_mode_sends_what_it_journals_while_it_runs() {
    let world = World::new(Receiver::start());
    let mut walk = world
        .runbook("alice")
        .args(["run", "incident", "--severity", "P1", "--plain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pages = world.receiver.wait_for("/pd", 1, Duration::from_secs(20));
    assert_eq!(pages[0].json()["event_action"], "trigger");
    walk.stdin.take().unwrap().write_all(b"quit\n").unwrap();
    assert!(walk.wait().unwrap().success());
}

#[test]
fn a_p1_started_and_left_at_once_in_line_mode_is_paged_before_it_exits() {
    let world = World::new(Receiver::start());
    let run = world.walk(
        &["run", "incident", "--severity", "P1", "--plain"],
        "quit\n",
    );
    // No watch runs, and no other runbook comes by: the page went out
    // before the process ended, and is recorded as sent.
    let pages = world.receiver.received("/pd");
    assert_eq!(pages.len(), 1, "{pages:#?}");
    assert_eq!(pages[0].json()["event_action"], "trigger");
    assert_eq!(pages[0].json()["dedup_key"], run.as_str());
    assert!(
        world
            .entries()
            .iter()
            .any(|e| sent(&e.event, "oncall", "run_started"))
    );
    // A target that fails is left to the watch: leaving does not wait on
    // it for long.
    let down = World::new(Receiver::answering(Answer::status(503)));
    let begun = Instant::now();
    down.walk(
        &["run", "incident", "--severity", "P1", "--plain"],
        "quit\n",
    );
    assert!(begun.elapsed() < Duration::from_secs(10));
    assert!(down.pending().contains("run_started"));
}

#[test]
fn a_second_watch_on_one_journal_is_refused() {
    let world = World::new(Receiver::start());
    let _first = world.watch();
    let out = world.runbook("bob").arg("watch").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("another runbook watch"), "{said}");
}

#[test]
fn notify_test_prints_the_answer_and_never_the_secret_url() {
    let world = World::new(Receiver::start());
    let out = world
        .runbook("alice")
        .args(["notify", "test", "oncall"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.starts_with("oncall: 202"), "{said}");
    let page = &world.receiver.received("/pd")[0].json();
    assert_eq!(page["payload"]["severity"], "info");

    // A refused connection: said, without the URL that holds the secret.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let out = world
        .runbook("alice")
        .env("SLACK_URL", format!("http://127.0.0.1:{port}/T0/B0/s3cr3t"))
        .args(["notify", "test", "chat"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("not delivered"), "{said}");
    assert!(!said.contains("s3cr3t"), "{said}");
}

#[test]
fn verify_with_anchors_catches_a_truncated_and_rewritten_journal() {
    let mut world = World::new(Receiver::start());
    world.key = Some("journal-key-for-anchors");
    // A P3: no page, but its end is anchored.
    let run = world.walk(
        &["run", "incident", "--severity", "P3", "--plain"],
        "done\ndone\ndone\nfinish\n",
    );
    let watch = world.watch();
    let anchored = world.wait_entry(
        Duration::from_secs(20),
        |e| matches!(e, Event::HeadAnchored { target, .. } if target == "heads"),
    );
    watch.kill();
    let Event::HeadAnchored { seq, .. } = anchored else {
        unreachable!()
    };
    let verify = |anchors: bool| {
        let mut command = world.runbook("alice");
        command.args(["audit", "verify"]);
        if anchors {
            command.arg("--anchors").arg(&world.anchors);
        }
        command.output().unwrap()
    };
    assert!(verify(true).status.success());

    // Rewrite history with the key: cut the journal before the anchored
    // head, drop the index beside it, and append other entries.
    let text = std::fs::read_to_string(&world.journal).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .take_while(|l| !l.contains(&format!("\"seq\":{seq},")))
        .collect();
    std::fs::write(&world.journal, format!("{}\n", kept.join("\n"))).unwrap();
    let _ = std::fs::remove_file(runbook::store::index::path_for(&world.journal));
    let truncated = verify(true);
    let said = String::from_utf8_lossy(&truncated.stdout);
    assert_eq!(truncated.status.code(), Some(1), "{said}");
    assert!(said.contains("truncated"), "{said}");

    let out = world
        .runbook("alice")
        .args(["__append", "--count", "12", "--run", &run])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        verify(false).status.success(),
        "the rewrite is a valid chain, with the key"
    );
    let rewritten = verify(true);
    let said = String::from_utf8_lossy(&rewritten.stdout);
    assert_eq!(rewritten.status.code(), Some(1), "{said}");
    assert!(said.contains("was rewritten"), "{said}");
}

#[test]
fn a_secret_written_in_a_catalog_is_refused_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    std::fs::write(
        &file,
        "[[notify]]\nid = \"oncall\"\nkind = \"pagerduty\"\nrouting_key = \"R0UT1NGKEY\"\n",
    )
    .unwrap();
    let out = common::runbook(dir.path().join("j.jsonl"), "alice")
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("site.toml:4:15"), "{said}");
    assert!(said.contains("bad-notify"), "{said}");
    assert!(said.contains("${ROUTING_KEY}"), "{said}");
    assert!(!said.contains("R0UT1NGKEY"), "the secret is masked: {said}");
}
