//! The rules travel with the journal (issue 35): the team publishes its
//! registry and roles into the journal, signed with a tech lead's own key
//! held by a real `ssh-agent`, and from that entry on every process judges
//! by it. A role granted in one's own site layer, or a key swapped into a
//! copy of the team's site, grants nothing, and the difference is said.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::keys::{Agent, keygen, public};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// alice (tech lead), bob and mallory, each with a key of their own in an
/// agent of their own; mallory has a second key no one registered.
struct Team {
    dir: tempfile::TempDir,
    journal: PathBuf,
    site: PathBuf,
    alice: Agent,
    mallory: Agent,
    spare: PathBuf,
}

fn team() -> Team {
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<PathBuf> = ["alice", "bob", "mallory", "spare"]
        .iter()
        .map(|name| keygen(dir.path(), name))
        .collect();
    let site = dir.path().join("team.toml");
    std::fs::write(
        &site,
        format!(
            "[identity]\nrequire = \"signature\"\n\n[[role]]\nid = \"tech-lead\"\nholders = [\"alice\"]\n\n[[operator]]\nid = \"alice\"\nkeys = [\"{}\"]\n\n[[operator]]\nid = \"bob\"\nkeys = [\"{}\"]\n\n[[operator]]\nid = \"mallory\"\nkeys = [\"{}\"]\n",
            public(&keys[0]),
            public(&keys[1]),
            public(&keys[2])
        ),
    )
    .unwrap();
    Team {
        journal: dir.path().join("journal.jsonl"),
        site,
        alice: Agent::holding(dir.path(), &keys[0]),
        mallory: Agent::holding(dir.path(), &keys[2]),
        spare: keys[3].clone(),
        dir,
    }
}

/// The binary on the team's journal, with `sites` as its layers (in
/// `RUNBOOK_SITE`) and `agent`'s keys; no name given but the key's.
fn runbook(team: &Team, sites: &[&Path], agent: &Agent) -> Command {
    let mut command = common::runbook(&team.journal, "-");
    let joined: Vec<String> = sites.iter().map(|p| p.display().to_string()).collect();
    command
        .env_remove("RUNBOOK_OPERATOR")
        .env("RUNBOOK_SITE", joined.join(":"))
        .env("SSH_AUTH_SOCK", &agent.socket);
    command
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn publish(team: &Team) {
    let out = runbook(team, &[&team.site], &team.alice)
        .args(["policy", "publish", "--publisher", "tech-lead"])
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("trusted on first use"), "{said}");
}

#[test]
fn a_role_granted_in_ones_own_site_layer_grants_nothing_once_the_policy_is_published() {
    let team = team();
    let mine = team.dir.path().join("mine.toml");
    std::fs::write(
        &mine,
        "[[operator]]\nid = \"mallory\"\nroles = [\"tech-lead\"]\n",
    )
    .unwrap();
    let sign_off = |team: &Team| {
        common::feed(
            runbook(team, &[&team.site, &mine], &team.mallory).args([
                "run",
                "key-rotation",
                "--plain",
            ]),
            "goto generate-key\ndone\nquit\n",
        )
    };
    // Before any policy, the layer is the site: it grants the role.
    let before = sign_off(&team);
    assert!(text(&before).contains("recorded #"), "{}", text(&before));
    let journal = std::fs::read_to_string(&team.journal).unwrap();
    assert_eq!(journal.matches(r#""step":"generate-key""#).count(), 1);

    publish(&team);
    let after = sign_off(&team);
    let said = text(&after);
    assert!(said.contains("holder of role `tech-lead`"), "{said}");
    let journal = std::fs::read_to_string(&team.journal).unwrap();
    assert_eq!(journal.matches(r#""step":"generate-key""#).count(), 1);

    // What the layer would have granted is named, where settings are.
    let config = runbook(&team, &[&team.site, &mine], &team.mallory)
        .arg("config")
        .output()
        .unwrap();
    let said = text(&config);
    assert!(said.contains("the journal's, entry #"), "{said}");
    assert!(
        said.contains("ignored: the site gives `mallory` role `tech-lead`, which the journal's policy does not"),
        "{said}"
    );
    let shown = runbook(&team, &[&team.site], &team.alice)
        .args(["policy", "show"])
        .output()
        .unwrap();
    assert!(
        text(&shown).contains("published by alice"),
        "{}",
        text(&shown)
    );
}

#[test]
fn a_key_swapped_into_a_copy_of_the_site_is_no_ones_once_the_policy_is_published() {
    let team = team();
    publish(&team);
    // Mallory's copy of the site: alice's key replaced by a spare of his.
    let copy = team.dir.path().join("copy.toml");
    let site = std::fs::read_to_string(&team.site).unwrap();
    let alice_line = site.lines().find(|l| l.contains("ssh-ed25519")).unwrap();
    let spare = format!("keys = [\"{}\"]", public(&team.spare));
    std::fs::write(&copy, site.replacen(alice_line, &spare, 1)).unwrap();
    let as_alice = Agent::holding(team.dir.path(), &team.spare);
    let out = common::feed(
        runbook(&team, &[&copy], &as_alice).args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    let journal = std::fs::read_to_string(&team.journal).unwrap();
    assert!(!journal.contains("run_started"), "{journal}");

    let config = runbook(&team, &[&copy], &as_alice)
        .arg("config")
        .output()
        .unwrap();
    let said = text(&config);
    assert!(
        said.contains("ignored: the site gives `alice` key SHA256:"),
        "{said}"
    );

    // The journal verifies, its first policy said to be trusted on first use.
    let out = runbook(&team, &[&team.site], &team.alice)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("trusted on first use"), "{said}");

    // From the policy's entry on, every entry must be signed, whatever
    // time it claims: a line written by hand and dated years back is named.
    common::forge(
        &team.journal,
        r#""ts":"2020-01-02T03:00:00.000Z","operator":"bob","host":"vm","session":"s","event":{"note_added":{"text":"backdated"}}"#,
    );
    let out = runbook(&team, &[&team.site], &team.alice)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("is not signed"), "{said}");
}

#[test]
fn a_policy_is_published_only_by_a_holder_of_a_publishing_role() {
    let team = team();
    let out = runbook(&team, &[&team.site], &team.mallory)
        .args(["policy", "publish", "--publisher", "tech-lead"])
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("mallory holds none of the roles"), "{said}");
    publish(&team);
    let mine = team.dir.path().join("mine.toml");
    std::fs::write(
        &mine,
        "[[role]]\nid = \"tech-lead\"\nholders = [\"mallory\"]\n",
    )
    .unwrap();
    let out = runbook(&team, &[&team.site, &mine], &team.mallory)
        .args(["policy", "publish"])
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("mallory holds none of the roles"), "{said}");
}
