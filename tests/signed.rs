//! Who did it, proven (issue 24), with real keys made by `ssh-keygen` and
//! a real `ssh-agent` per person, each on a socket in a temporary folder
//! and stopped at the end: two people on one OS account sign with their
//! own keys and pass the four-eyes rule; a name that contradicts the key is
//! refused; a flipped signature, a key outside the registry and a renamed
//! operator are caught by `audit verify` even in a re-chained journal; and
//! OpenSSH's own `ssh-keygen -Y verify` accepts an entry's signature.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::keys::{Agent, keygen, public};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use runbook::journal::line::sha256_hex;
use runbook::run::Event;

/// A team of alice and bob (carol has a key, and is not in the registry).
struct Team {
    dir: tempfile::TempDir,
    journal: PathBuf,
    site: PathBuf,
    alice: PathBuf,
    bob: PathBuf,
    carol: PathBuf,
}

fn team() -> Team {
    let dir = tempfile::tempdir().unwrap();
    let alice = keygen(dir.path(), "alice");
    let bob = keygen(dir.path(), "bob");
    let carol = keygen(dir.path(), "carol");
    let site = dir.path().join("site.toml");
    std::fs::write(
        &site,
        format!(
            "[[operator]]\nid = \"alice\"\nname = \"Alice\"\nkeys = [\"{}\"]\n\n[[operator]]\nid = \"bob\"\nkeys = [\"{}\"]\n",
            public(&alice),
            public(&bob)
        ),
    )
    .unwrap();
    Team {
        journal: dir.path().join("journal.jsonl"),
        dir,
        site,
        alice,
        bob,
        carol,
    }
}

/// The binary on the team's journal and site, on this one OS account, with
/// `agent`'s keys and no `RUNBOOK_OPERATOR`.
fn runbook(team: &Team, agent: Option<&Agent>) -> Command {
    let mut command = common::runbook(&team.journal, "-");
    command
        .env_remove("RUNBOOK_OPERATOR")
        .env_remove("SSH_AUTH_SOCK")
        .arg("--site")
        .arg(&team.site);
    if let Some(agent) = agent {
        command.env("SSH_AUTH_SOCK", &agent.socket);
    }
    command
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn lines(journal: &Path) -> Vec<String> {
    std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Alice starts a breach and does its two-person first step; the run's id.
fn alice_isolates(team: &Team, agent: &Agent) -> String {
    let out = common::feed(
        runbook(team, Some(agent)).args(["run", "breach", "--plain"]),
        "done compromised API key K1 disabled\nyes\nquit\n",
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("recorded #2"), "{said}");
    let line = said.lines().find(|l| l.contains(" — run ")).unwrap();
    let id = line.split(" — run ").nth(1).unwrap();
    id.split(',').next().unwrap().trim().to_owned()
}

#[test]
fn two_people_on_one_account_sign_with_their_own_keys_and_pass_the_four_eyes_rule() {
    let team = team();
    let alice = Agent::holding(team.dir.path(), &team.alice);
    let bob = Agent::holding(team.dir.path(), &team.bob);
    let run = alice_isolates(&team, &alice);
    let out = common::feed(
        runbook(&team, Some(&bob)).args(["resume", &run, "--plain"]),
        "confirm\nquit\n",
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("refused"), "{said}");

    let entries = runbook::store::read::read_all(&team.journal).unwrap().0;
    let confirmed = entries
        .iter()
        .find(|e| matches!(e.event, Event::StepConfirmed { .. }))
        .expect("bob's confirmation");
    // Names come from the registry, not from the account (root here).
    assert_eq!(confirmed.operator, "bob");
    let proposed = entries
        .iter()
        .find(|e| matches!(e.event, Event::StepProposed { .. }))
        .unwrap();
    assert_eq!(proposed.operator, "alice");
    assert_ne!(proposed.signer, confirmed.signer);
    // Every entry either of them wrote is signed.
    for entry in &entries {
        assert!(entry.sig.is_some() && entry.signer.is_some(), "{entry:?}");
    }
    let verify = runbook(&team, None)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));

    // The report marks each line signed, with the key.
    let md = text(
        &runbook(&team, None)
            .args(["report", &run])
            .output()
            .unwrap(),
    );
    let alice_key = proposed.signer.as_deref().unwrap();
    let short: String = alice_key.chars().take(19).collect();
    assert!(md.contains(&format!("alice ✓ signed {short}…")), "{md}");
    assert!(!md.contains("claimed"), "{md}");
    let json = runbook(&team, None)
        .args(["report", &run, "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let items = json["items"].as_array().unwrap();
    assert!(items.iter().all(|i| {
        i["signer"]
            .as_str()
            .is_some_and(|s| s.starts_with("SHA256:"))
    }));
}

#[test]
fn an_unsigned_entry_is_marked_claimed_in_the_report() {
    let team = team();
    let out = common::feed(
        runbook(&team, None).args(["run", "deploy", "--plain"]),
        "note no key here\nquit\n",
    );
    let said = text(&out);
    let line = said.lines().find(|l| l.contains(" — run ")).unwrap();
    let run = line.split(" — run ").nth(1).unwrap();
    let run = run.split(',').next().unwrap().trim();
    let md = text(&runbook(&team, None).args(["report", run]).output().unwrap());
    assert!(md.contains("· claimed"), "{md}");
    assert!(!md.contains("✓ signed"), "{md}");
}

#[test]
fn one_key_under_another_name_is_refused_and_nothing_is_recorded() {
    let team = team();
    let alice = Agent::holding(team.dir.path(), &team.alice);
    let run = alice_isolates(&team, &alice);
    let before = std::fs::read(&team.journal).unwrap();
    // Alice's key, calling herself bob: refused, naming both.
    let out = common::feed(
        runbook(&team, Some(&alice))
            .env("RUNBOOK_OPERATOR", "bob")
            .args(["resume", &run, "--plain"]),
        "confirm\nquit\n",
    );
    let said = text(&out);
    assert!(
        said.contains("RUNBOOK_OPERATOR=bob contradicts the signing key")
            && said.contains("alice's"),
        "{said}"
    );
    assert_eq!(std::fs::read(&team.journal).unwrap(), before);
    // Alice confirming her own step with her own key: the same person.
    let own = common::feed(
        runbook(&team, Some(&alice)).args(["resume", &run, "--plain"]),
        "confirm\nquit\n",
    );
    assert!(
        text(&own).contains("needs a second operator"),
        "{}",
        text(&own)
    );
}

/// The journal's lines re-chained after an edit, as someone who can write
/// the file (and has no journal key) would: every hash and link recomputed.
fn rechain(lines: &mut [String]) {
    let mut prev = "0".repeat(64);
    for line in lines.iter_mut() {
        let at = line.rfind(",\"hash\":\"").unwrap();
        let body = &line[..at];
        let old_prev = body.split("\"prev\":\"").nth(1).unwrap()[..64].to_owned();
        let body = body.replacen(
            &format!("\"prev\":\"{old_prev}\""),
            &format!("\"prev\":\"{prev}\""),
            1,
        );
        let hash = sha256_hex(body.as_bytes());
        *line = format!("{body},\"hash\":\"{hash}\"}}");
        prev = hash;
    }
}

fn verify_after(team: &Team, lines: &[String]) -> String {
    let tampered = team.dir.path().join("tampered.jsonl");
    std::fs::write(&tampered, lines.join("\n") + "\n").unwrap();
    let out = runbook(team, None)
        .arg("--journal")
        .arg(&tampered)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    text(&out)
}

#[test]
fn a_flipped_signature_a_key_outside_the_registry_and_a_renamed_operator_are_caught() {
    let team = team();
    let alice = Agent::holding(team.dir.path(), &team.alice);
    let run = alice_isolates(&team, &alice);
    let original = lines(&team.journal);
    let (index, line) = original
        .iter()
        .enumerate()
        .find(|(_, l)| l.contains("step_proposed"))
        .unwrap();
    let seq = format!("entry #{index} (run {run})");

    // One byte of the signature flipped, the chain redone.
    let mut flipped = original.clone();
    let at = line.find("\"sig\":\"").unwrap() + 40;
    let byte = if &line[at..=at] == "A" { "B" } else { "A" };
    flipped[index].replace_range(at..=at, byte);
    rechain(&mut flipped);
    let said = verify_after(&team, &flipped);
    assert!(
        said.contains(&seq) && said.contains("signature is bad"),
        "{said}"
    );

    // Alice renamed bob in her own signed entry.
    let mut renamed = original.clone();
    renamed[index] = line.replacen("\"operator\":\"alice\"", "\"operator\":\"bob\"", 1);
    rechain(&mut renamed);
    let said = verify_after(&team, &renamed);
    assert!(
        said.contains(&seq) && said.contains("does not match the entry"),
        "{said}"
    );

    // The entry re-signed by carol, whose key no operator holds.
    let carol = ssh_key::PrivateKey::read_openssh_file(&team.carol).unwrap();
    let body = &line[..line.rfind(",\"hash\":\"").unwrap()];
    let message = &body[..body.find(",\"signer\":\"").unwrap()];
    let fingerprint = runbook::journal::sign::fingerprint(carol.public_key());
    let message = format!("{message},\"signer\":\"{fingerprint}\"");
    let sig = carol
        .sign("runbook", ssh_key::HashAlg::Sha512, message.as_bytes())
        .unwrap()
        .to_pem(ssh_key::LineEnding::LF)
        .unwrap();
    let sig = runbook::journal::sign::unarmoured(&sig);
    let mut resigned = original.clone();
    resigned[index] = format!("{message},\"sig\":\"{sig}\",\"hash\":\"\"}}");
    rechain(&mut resigned);
    let said = verify_after(&team, &resigned);
    assert!(
        said.contains(&seq) && said.contains("a key of no operator"),
        "{said}"
    );
}

#[test]
fn ssh_keygen_alone_verifies_an_entry_signature() {
    let team = team();
    let alice = Agent::holding(team.dir.path(), &team.alice);
    alice_isolates(&team, &alice);
    let line = lines(&team.journal).into_iter().nth(1).unwrap();
    // As docs/journal-format.md says: the signed bytes are the line's
    // bytes before `,"sig":"`; the signature is `sig` in OpenSSH's armour.
    let body = &line[..line.rfind(",\"hash\":\"").unwrap()];
    let at = body.rfind(",\"sig\":\"").unwrap();
    let message = team.dir.path().join("message");
    std::fs::write(&message, &body[..at]).unwrap();
    let sig = body[at + ",\"sig\":\"".len()..].trim_end_matches('"');
    let armoured = team.dir.path().join("message.sig");
    std::fs::write(&armoured, runbook::journal::sign::armoured(sig)).unwrap();
    let allowed = team.dir.path().join("allowed_signers");
    std::fs::write(&allowed, format!("alice {}\n", public(&team.alice))).unwrap();
    let verify = |namespace: &str| {
        Command::new("ssh-keygen")
            .args(["-Y", "verify", "-n", namespace, "-I", "alice", "-f"])
            .arg(&allowed)
            .arg("-s")
            .arg(&armoured)
            .stdin(std::fs::File::open(&message).unwrap())
            .output()
            .unwrap()
    };
    let out = verify("runbook");
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Good \"runbook\" signature for alice"),
        "{}",
        text(&out)
    );
    // The same signature for another namespace is refused.
    assert!(!verify("git").status.success());
}

#[test]
fn a_key_file_signs_when_the_config_names_it() {
    let team = team();
    let config = team.dir.path().join("config");
    std::fs::create_dir_all(config.join("runbook")).unwrap();
    std::fs::write(
        config.join("runbook/config.toml"),
        format!("signing_key = \"{}\"\n", team.bob.display()),
    )
    .unwrap();
    let out = common::feed(
        runbook(&team, None)
            .env("XDG_CONFIG_HOME", &config)
            .args(["run", "deploy", "--plain"]),
        "note signed from a file\nquit\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    let entries = runbook::store::read::read_all(&team.journal).unwrap().0;
    let note = entries.last().unwrap();
    assert_eq!(note.operator, "bob");
    assert!(note.sig.is_some());
}

/// `require = "signature"`: without a key of the registry, nothing is
/// recorded and the fix is said; with one, the entries are signed; a role
/// granted in an operator's own config counts for nothing.
#[test]
fn under_require_signature_an_unsigned_process_records_nothing_and_own_roles_are_ignored() {
    let team = team();
    let mut site = std::fs::read_to_string(&team.site).unwrap();
    site.push_str("\n[identity]\nrequire = \"signature\"\n");
    std::fs::write(&team.site, site).unwrap();

    let out = common::feed(
        runbook(&team, None).args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("requires every entry signed") && said.contains("ssh-add"),
        "{said}"
    );
    assert!(
        !team.journal.exists() || lines(&team.journal).is_empty(),
        "something was recorded"
    );

    let alice = Agent::holding(team.dir.path(), &team.alice);
    let out = common::feed(
        runbook(&team, Some(&alice)).args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        lines(&team.journal)
            .iter()
            .all(|l| l.contains("\"sig\":\""))
    );

    // Bob writes himself the tech lead's role in his own config: ignored.
    let config = team.dir.path().join("config");
    std::fs::create_dir_all(config.join("runbook")).unwrap();
    std::fs::write(
        config.join("runbook/config.toml"),
        "[roles]\nbob = [\"tech-lead\"]\n",
    )
    .unwrap();
    let shown = runbook(&team, None)
        .env("XDG_CONFIG_HOME", &config)
        .arg("config")
        .output()
        .unwrap();
    assert!(text(&shown).contains("IGNORED"), "{}", text(&shown));
    let access = runbook(&team, None)
        .env("XDG_CONFIG_HOME", &config)
        .args(["access", "--json"])
        .output()
        .unwrap();
    let access: serde_json::Value = serde_json::from_slice(&access.stdout).unwrap();
    let lead = access
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "tech-lead")
        .unwrap();
    assert!(
        !lead["holders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h == "bob"),
        "{lead}"
    );
}

/// A locked agent lists no key: under `require = "signature"` the refusal
/// says so, and nothing is recorded.
#[test]
fn a_locked_agent_is_said_plainly() {
    let team = team();
    let mut site = std::fs::read_to_string(&team.site).unwrap();
    site.push_str("\n[identity]\nrequire = \"signature\"\n");
    std::fs::write(&team.site, site).unwrap();
    let alice = Agent::holding(team.dir.path(), &team.alice);
    alice.lock();
    let out = common::feed(
        runbook(&team, Some(&alice)).args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("lists no key: it is locked (ssh-add -X unlocks it)"),
        "{said}"
    );
    assert!(!team.journal.exists() || lines(&team.journal).is_empty());
}
