//! Journal benchmarks, with their targets:
//! - append with fsync, against a raw write + fdatasync loop on the same
//!   file system in the same run: at least 0.8 of the raw rate;
//! - verify throughput: at least 150 MB/s;
//! - replaying 1,000,000 entries into runs: under 3 s;
//! - verifying 1,000,000 entries while re-judging each by the rules
//!   (`judged`): under 2 s;
//! - appends signed through a real ssh-agent (ed25519), one appender: at
//!   least 500 entries/s, beside the same appends unsigned.
//!
//! Run with `cargo bench --bench journal`. Figures are printed; nothing is
//! asserted about time.

// A benchmark's helpers may unwrap: a failure is a failed run.
#![allow(clippy::print_stderr, clippy::print_stdout)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::{BufReader, Write};
use std::time::Instant;

use chrono::Utc;
use runbook::journal::{Identity, Record, verify::verify};
use runbook::run::Event;
use runbook::store::{Options, Writer};

fn identity() -> Identity {
    Identity {
        operator: "alice".into(),
        os_user: None,
        from: Some("192.0.2.10".into()),
        host: "bastion-1".into(),
        session: "0123456789abcdef".into(),
        signer: None,
        foreign_account: None,
    }
}

fn event(n: u64) -> Event {
    match n % 4 {
        0 => Event::StepCompleted {
            step: format!("step-{}", n % 50),
            note: Some("checked on the dashboard, all green".into()),
            value: None,
            hold: None,
        },
        1 => Event::NoteAdded {
            step: None,
            text: format!("note {n}: error rate back under 1 %"),
        },
        2 => Event::StepSkipped {
            step: format!("step-{}", n % 50),
            reason: "not applicable to this release".into(),
        },
        _ => Event::StepReopened {
            step: format!("step-{}", n % 50),
            reason: None,
        },
    }
}

fn append_against_raw(dir: &std::path::Path) {
    const N: u32 = 400;
    let path = dir.join("append.jsonl");
    let mut writer = Writer::open(&path, identity(), Options::default()).unwrap();
    writer
        .append(
            &[Record {
                run: None,
                event: event(1),
            }],
            Utc::now(),
        )
        .unwrap();
    let line_len = std::fs::metadata(&path).unwrap().len() / 2;

    let raw_path = dir.join("raw.jsonl");
    let mut raw = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&raw_path)
        .unwrap();
    let line = vec![b'x'; usize::try_from(line_len).unwrap()];

    // Interleaved rounds, so both see the same disk weather.
    let (mut ours, mut theirs) = (0.0, 0.0);
    for _ in 0..5 {
        let start = Instant::now();
        for n in 0..N {
            let record = Record {
                run: Some("bench-run".into()),
                event: event(u64::from(n)),
            };
            writer.append(&[record], Utc::now()).unwrap();
        }
        ours += start.elapsed().as_secs_f64();
        let start = Instant::now();
        for _ in 0..N {
            raw.write_all(&line).unwrap();
            raw.sync_data().unwrap();
        }
        theirs += start.elapsed().as_secs_f64();
    }
    let ours_rate = f64::from(5 * N) / ours;
    let raw_rate = f64::from(5 * N) / theirs;
    println!(
        "append+fsync: {ours_rate:.0} entries/s; raw write+fdatasync: {raw_rate:.0} writes/s; ratio {:.2} (target >= 0.80); {line_len} bytes a line",
        ours_rate / raw_rate
    );
}

/// Writes `entries` entries over `runs` runs, in large batches (one fsync a
/// batch) so that building the data set is quick.
fn build(path: &std::path::Path, entries: u64, runs: u64) {
    let mut writer = Writer::open(path, identity(), Options::default()).unwrap();
    let mut batch = Vec::with_capacity(10_000);
    for n in 0..entries {
        let run = format!("run-{}", n % runs);
        let event = if n < runs {
            Event::RunStarted {
                procedure: "deploy".into(),
                procedure_hash: "0".repeat(64),
                severity: None,
                pinned: None,
            }
        } else {
            event(n)
        };
        batch.push(Record {
            run: Some(run),
            event,
        });
        if batch.len() == 10_000 {
            writer.append(&batch, Utc::now()).unwrap();
            batch.clear();
        }
    }
    if !batch.is_empty() {
        writer.append(&batch, Utc::now()).unwrap();
    }
}

fn verify_throughput(dir: &std::path::Path) {
    let path = dir.join("verify.jsonl");
    build(&path, 500_000, 500);
    let bytes = std::fs::metadata(&path).unwrap().len();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let file = std::fs::File::open(&path).unwrap();
        let report = verify(BufReader::with_capacity(1 << 20, file), None, None).unwrap();
        assert!(report.intact(), "{:?}", report.errors.first());
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "verify: {:.0} MB/s over {:.0} MB, 500,000 entries, best of 3 (target >= 150 MB/s)",
        bytes as f64 / best / 1e6,
        bytes as f64 / 1e6
    );
}

fn replay(dir: &std::path::Path) {
    let path = dir.join("replay.jsonl");
    build(&path, 1_000_000, 1_000);
    let mut best = f64::MAX;
    let mut runs = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let (folded, problems) = runbook::run_list::fold_file(&path).unwrap();
        assert!(problems.is_empty());
        runs = folded.len();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("replay: 1,000,001 entries into {runs} runs in {best:.2} s, best of 3 (target < 3 s)");
}

/// A catalog of one 50-step procedure, `walk`: what the judged entries
/// are judged by.
fn walk_rules() -> runbook::catalog::Catalog {
    let mut toml = String::from(
        "[[procedure]]\nid = \"walk\"\nkind = \"maintenance\"\ntitle = \"Walk\"\n\n[[procedure.section]]\nid = \"s\"\ntitle = \"Steps\"\n",
    );
    for n in 0..50 {
        let _ = write!(
            toml,
            "\n[[procedure.section.step]]\nid = \"step-{n}\"\ntext = \"Step {n}\"\n"
        );
    }
    let mut sources = runbook::catalog::Sources::default();
    sources.add("walk.toml", toml);
    let loaded = runbook::catalog::load(sources);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    loaded.catalog
}

/// 1,000,000 entries in 1,000 runs of `walk`, each within the rules: a
/// step done, then reopened, in turn.
fn judged(dir: &std::path::Path) {
    const ENTRIES: u64 = 1_000_000;
    const RUNS: u64 = 1_000;
    let rules = walk_rules();
    let path = dir.join("judged.jsonl");
    let mut writer = Writer::open(&path, identity(), Options::default()).unwrap();
    let mut batch = Vec::with_capacity(10_000);
    for n in 0..ENTRIES {
        let (run, turn) = (n % RUNS, n / RUNS);
        let step = format!("step-{}", (turn / 2) % 50);
        let event = match turn {
            // Pinned, as every run is now started.
            0 => runbook::run::start(&rules, "walk", None).unwrap(),
            t if t % 2 == 1 => Event::StepCompleted {
                step,
                note: Some("checked on the dashboard, all green".into()),
                value: None,
                hold: None,
            },
            _ => Event::StepReopened {
                step: format!("step-{}", ((turn - 1) / 2) % 50),
                reason: Some("redo".into()),
            },
        };
        batch.push(Record {
            run: Some(format!("run-{run}")),
            event,
        });
        if batch.len() == 10_000 {
            writer.append(&batch, Utc::now()).unwrap();
            batch.clear();
        }
    }
    drop(writer);
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let file = std::fs::File::open(&path).unwrap();
        let judges = runbook::run::judge::judges(&rules, 2, &runbook::text::words::EN);
        let verifier = runbook::journal::verify::Verifier::new(None, None, None).judged_by(judges);
        let report =
            runbook::journal::verify::scan(verifier, BufReader::with_capacity(1 << 20, file))
                .unwrap();
        assert!(report.intact(), "{:?}", report.errors.first());
        assert!(report.warnings.is_empty(), "{:?}", report.warnings.first());
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "verify, every entry judged: 1,000,001 entries in {best:.2} s ({:.0} entries/s), best of 3 (target < 2 s)",
        1_000_001.0 / best
    );
}

fn main() {
    // The bench harness passes flags such as `--bench`; a filter word picks one.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    if wanted("append") {
        append_against_raw(dir.path());
    }
    if wanted("verify") {
        verify_throughput(dir.path());
    }
    if wanted("judged") {
        judged(dir.path());
    }
    if wanted("replay") {
        replay(dir.path());
    }
    if wanted("signed") {
        signed_appends(dir.path());
    }
}

/// One appender, one entry per append (each fsynced), signed through a
/// real `ssh-agent` on a socket in the bench's folder, beside the same
/// appends unsigned.
fn signed_appends(dir: &std::path::Path) {
    use std::process::{Command, Stdio};
    const N: u32 = 1_000;
    let key = dir.join("alice");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen");
    assert!(made.success());
    let socket = dir.join("agent.sock");
    let mut agent = Command::new("ssh-agent")
        .arg("-D")
        .arg("-a")
        .arg(&socket)
        .stdout(Stdio::null())
        .spawn()
        .expect("ssh-agent");
    while !socket.exists() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let added = Command::new("ssh-add")
        .arg("-q")
        .arg(&key)
        .env("SSH_AUTH_SOCK", &socket)
        .status()
        .unwrap();
    assert!(added.success());
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let public = ssh_key::PublicKey::from_openssh(public.trim()).unwrap();
    let signing = runbook::store::operator_key::Signing {
        registry: runbook::journal::registry::Registry {
            keys: vec![runbook::journal::registry::Key {
                fingerprint: runbook::journal::sign::fingerprint(&public),
                operator: "alice".into(),
                until: None,
                from: None,
            }],
            ..Default::default()
        },
        key_file: None,
        agent: Some(socket.clone()),
    };
    let from_file = runbook::store::operator_key::Signing {
        key_file: Some(key.clone()),
        agent: None,
        ..signing.clone()
    };
    let rate = |signing: Option<&runbook::store::operator_key::Signing>| {
        let path = dir.join(format!("signed-{}.jsonl", signing.is_some()));
        let _ = std::fs::remove_file(&path);
        let mut identity = identity();
        if let Some(signing) = signing {
            signing.apply(&mut identity, None).unwrap();
            assert!(identity.signer.is_some());
        }
        let mut writer = Writer::open(&path, identity, Options::default()).unwrap();
        let start = Instant::now();
        for n in 0..N {
            let record = Record {
                run: Some("run-1".into()),
                event: event(u64::from(n)),
            };
            writer.append(&[record], Utc::now()).unwrap();
        }
        f64::from(N) / start.elapsed().as_secs_f64()
    };
    let unsigned = rate(None);
    let signed = rate(Some(&signing));
    let by_file = rate(Some(&from_file));
    let _ = agent.kill();
    let _ = agent.wait();
    println!(
        "signed appends through ssh-agent: {signed:.0} entries/s, with a key file {by_file:.0}/s, unsigned {unsigned:.0} entries/s, one appender, fsync each (target >= 500/s)"
    );
}
