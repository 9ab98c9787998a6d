//! The site's registry of operators beyond one key each (issue 24), with
//! keys made by `ssh-keygen`: a retired key still proves what it signed
//! and signs nothing new; an OpenSSH `allowed_signers` file names the
//! operators, its mistakes shown at their line; an OS account that is one
//! person's own names them; once signatures are required, an unsigned
//! entry is reported; and `runbook access` says what gave each holder
//! their role.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::keys::{keygen, public};

struct Site {
    dir: tempfile::TempDir,
    journal: PathBuf,
    file: PathBuf,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        Site {
            journal: dir.path().join("journal.jsonl"),
            file: dir.path().join("site.toml"),
            dir,
        }
    }

    fn write(&self, text: &str) {
        std::fs::write(&self.file, text).unwrap();
    }

    fn key(&self, name: &str) -> PathBuf {
        keygen(self.dir.path(), name)
    }

    /// A config folder whose config says `text`.
    fn config(&self, name: &str, text: &str) -> PathBuf {
        let folder = self.dir.path().join(name);
        std::fs::create_dir_all(folder.join("runbook")).unwrap();
        std::fs::write(folder.join("runbook/config.toml"), text).unwrap();
        folder
    }

    /// The binary on this journal and site, with no agent, no name given
    /// and the config folder `config` (none when `None`).
    fn runbook(&self, config: Option<&Path>) -> Command {
        let mut command = common::runbook(&self.journal, "-");
        command
            .env_remove("RUNBOOK_OPERATOR")
            .env_remove("SSH_AUTH_SOCK")
            .arg("--site")
            .arg(&self.file);
        if let Some(config) = config {
            command.env("XDG_CONFIG_HOME", config);
        }
        command
    }

    /// Starts a deploy and writes one note in it, as `config` says.
    fn note(&self, config: Option<&Path>, note: &str) -> Output {
        common::feed(
            self.runbook(config).args(["run", "deploy", "--plain"]),
            &format!("note {note}\nquit\n"),
        )
    }

    fn entries(&self) -> Vec<runbook::journal::Entry> {
        runbook::store::read::read_all(&self.journal).unwrap().0
    }

    fn verify(&self) -> Output {
        self.runbook(None)
            .args(["audit", "verify"])
            .output()
            .unwrap()
    }
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn signing(key: &Path) -> String {
    format!("signing_key = \"{}\"\n", key.display())
}

#[test]
fn a_retired_key_proves_what_it_signed_before_and_signs_nothing_after() {
    let site = Site::new();
    let old = site.key("alice-old");
    let new = site.key("alice-new");
    let with_old = site.config("old", &signing(&old));
    let with_new = site.config("new", &signing(&new));
    site.write(&format!(
        "[[operator]]\nid = \"alice\"\nkeys = [\"{}\"]\n",
        public(&old)
    ));
    let first = site.note(Some(&with_old), "before the key was replaced");
    assert!(first.status.success(), "{}", text(&first));
    let replaced_at = site.entries().last().unwrap().ts + chrono::Duration::microseconds(1);
    // Written after the instant the key is about to be retired from.
    let late = site.note(Some(&with_old), "after it was replaced");
    assert!(late.status.success(), "{}", text(&late));
    let entries = site.entries();
    let late_seq = entries
        .iter()
        .find(|e| e.ts > replaced_at)
        .map(|e| e.seq)
        .unwrap();
    assert!(entries.iter().all(|e| e.sig.is_some()));

    site.write(&format!(
        "[[operator]]\nid = \"alice\"\nkeys = [\"{}\"]\nretired_keys = [{{ key = \"{}\", until = \"{}\" }}]\n",
        public(&new),
        public(&old),
        replaced_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    ));
    let verified = site.verify();
    let said = text(&verified);
    assert_eq!(verified.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!("entry #{late_seq} "))
            && said.contains("outside its period (retired on"),
        "{said}"
    );
    // The first fault is the late entry: all before it verified.
    let first_bad = said.lines().find(|l| l.contains("first bad")).unwrap();
    assert!(first_bad.contains(&format!("#{late_seq} ")), "{said}");

    // The old key now signs nothing; the new one does.
    let before = std::fs::read(&site.journal).unwrap();
    let refused = site.note(Some(&with_old), "with the old key");
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("not valid now") && text(&refused).contains("retired on"),
        "{}",
        text(&refused)
    );
    assert_eq!(std::fs::read(&site.journal).unwrap(), before);
    let fresh = site.note(Some(&with_new), "with the new key");
    assert!(fresh.status.success(), "{}", text(&fresh));
    let last = site.entries().pop().unwrap();
    assert_eq!(last.operator, "alice");
    let new_key = ssh_key::PublicKey::from_openssh(&public(&new)).unwrap();
    assert_eq!(
        last.signer.as_deref(),
        Some(runbook::journal::sign::fingerprint(&new_key).as_str())
    );
}

#[test]
fn an_allowed_signers_file_names_the_operators_and_its_mistakes_are_shown_at_their_line() {
    let site = Site::new();
    let alice = site.key("alice");
    let signers = site.dir.path().join("allowed_signers");
    std::fs::write(
        &signers,
        format!(
            "# as git reads it\nalice@example.org {}\nbob namespaces=\"runbook\" ssh-ed25519 AAAAnot-a-key\n",
            public(&alice)
        ),
    )
    .unwrap();
    site.write("[identity]\nsigners = \"allowed_signers\"\n");
    let checked = site.runbook(None).arg("check").output().unwrap();
    let said = text(&checked);
    assert!(!checked.status.success(), "{said}");
    assert!(
        said.contains(&format!("{}:3:26", signers.display()))
            && said.contains("not an OpenSSH public key"),
        "{said}"
    );

    std::fs::write(&signers, format!("alice@example.org {}\n", public(&alice))).unwrap();
    let config = site.config("alice-config", &signing(&alice));
    let out = site.note(Some(&config), "signed by a key of the signers file");
    assert!(out.status.success(), "{}", text(&out));
    let last = site.entries().pop().unwrap();
    assert_eq!(last.operator, "alice@example.org");
    assert!(last.sig.is_some());
    assert_eq!(site.verify().status.code(), Some(0));
}

/// The renamed copy of a journal, re-chained as someone who can write the
/// file would.
fn renamed(lines: &[String], index: usize, from: &str, to: &str) -> String {
    let mut lines = lines.to_vec();
    lines[index] = lines[index].replacen(
        &format!("\"operator\":\"{from}\""),
        &format!("\"operator\":\"{to}\""),
        1,
    );
    let mut prev = "0".repeat(64);
    for line in &mut lines {
        let body = &line[..line.rfind(",\"hash\":\"").unwrap()];
        let old = body.split("\"prev\":\"").nth(1).unwrap()[..64].to_owned();
        let body = body.replacen(&old, &prev, 1);
        let hash = runbook::journal::line::sha256_hex(body.as_bytes());
        *line = format!("{body},\"hash\":\"{hash}\"}}");
        prev = hash;
    }
    lines.join("\n") + "\n"
}

#[test]
fn an_account_that_is_one_person_s_own_names_them_and_no_one_else() {
    let site = Site::new();
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_owned();
    site.write(&format!(
        "[[operator]]\nid = \"alice\"\nos_users = [\"{user}\"]\n\n[[operator]]\nid = \"bob\"\n"
    ));
    let refused = common::feed(
        site.runbook(None)
            .env("RUNBOOK_OPERATOR", "bob")
            .args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    let said = text(&refused);
    assert!(!refused.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "RUNBOOK_OPERATOR=bob contradicts the OS account {user}, which is alice's"
        )),
        "{said}"
    );
    assert!(!site.journal.exists() || site.entries().is_empty());

    let out = site.note(None, "from my own account");
    assert!(out.status.success(), "{}", text(&out));
    assert!(site.entries().iter().all(|e| e.operator == "alice"));
    assert_eq!(site.verify().status.code(), Some(0));

    // The same entry renamed bob in a re-chained copy: caught.
    let lines: Vec<String> = std::fs::read_to_string(&site.journal)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let copy = site.dir.path().join("renamed.jsonl");
    std::fs::write(&copy, renamed(&lines, 1, "alice", "bob")).unwrap();
    let verified = site
        .runbook(None)
        .arg("--journal")
        .arg(&copy)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    let said = text(&verified);
    assert_eq!(verified.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "entry #1 (run {}) was written from alice's own account {user} but names bob",
            site.entries()[1].run.clone().unwrap()
        )),
        "{said}"
    );
}

#[test]
fn once_signatures_are_required_an_unsigned_entry_after_it_is_reported() {
    let site = Site::new();
    let alice = site.key("alice");
    let registry = format!(
        "[[operator]]\nid = \"alice\"\nkeys = [\"{}\"]\n",
        public(&alice)
    );
    site.write(&registry);
    let signed = site.config("signed", &signing(&alice));
    for (config, note) in [
        (None, "unsigned, before the policy"),
        (Some(signed.as_path()), "signed"),
        (None, "unsigned, after a signed one"),
    ] {
        let out = site.note(config, note);
        assert!(out.status.success(), "{}", text(&out));
    }
    let entries = site.entries();
    let last_signed = entries.iter().rev().find(|e| e.sig.is_some()).unwrap().seq;
    let late = entries
        .iter()
        .find(|e| e.seq > last_signed && e.sig.is_none())
        .map(|e| e.seq)
        .unwrap();
    assert_eq!(site.verify().status.code(), Some(0), "no policy yet");

    // From the first signed entry on, once the site requires signatures.
    site.write(&format!(
        "{registry}\n[identity]\nrequire = \"signature\"\n"
    ));
    let verified = site.verify();
    let said = text(&verified);
    assert_eq!(verified.status.code(), Some(1), "{said}");
    let first_bad = said.lines().find(|l| l.contains("first bad")).unwrap();
    assert!(
        first_bad.contains(&format!("entry #{late} ")) && first_bad.contains("is not signed"),
        "{said}"
    );

    // Or from the day the site says: here, a day after all of them.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d");
    site.write(&format!(
        "{registry}\n[identity]\nrequire = \"signature\"\nsince = {tomorrow}\n"
    ));
    let verified = site.verify();
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    assert!(
        text(&verified).contains("signatures: ")
            && text(&verified).contains(&format!(
                "{} of {} entries signed",
                entries.iter().filter(|e| e.sig.is_some()).count(),
                entries.len()
            )),
        "{}",
        text(&verified)
    );
}

#[test]
fn access_says_what_gave_each_holder_their_role() {
    let site = Site::new();
    site.write("\n[[operator]]\nid = \"alice\"\nroles = [\"tech-lead\"]\n");
    let config = site.config("bob", "[roles]\nbob = [\"tech-lead\"]\n");
    let out = site.runbook(Some(&config)).arg("access").output().unwrap();
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let line = |who: &str| {
        said.lines()
            .find(|l| l.starts_with("tech-lead") && l.split_whitespace().nth(1) == Some(who))
            .unwrap_or_else(|| panic!("no line for {who}: {said}"))
            .to_owned()
    };
    assert!(
        line("alice").contains(&format!("site registry {}:3:", site.file.display())),
        "{said}"
    );
    assert!(
        line("bob").contains(&format!(
            "own config {}",
            config.join("runbook/config.toml").display()
        )),
        "{said}"
    );
    let json = site
        .runbook(Some(&config))
        .args(["access", "--json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let lead = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "tech-lead")
        .unwrap();
    let from: Vec<(&str, &str)> = lead["holders_from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["operator"].as_str().unwrap(), h["from"].as_str().unwrap()))
        .collect();
    assert!(from.contains(&("alice", "registry")), "{from:?}");
    assert!(from.contains(&("bob", "config")), "{from:?}");
}

#[test]
fn an_operator_twice_in_one_site_file_is_an_error_at_the_second() {
    let site = Site::new();
    site.write(
        "[[operator]]\nid = \"alice\"\n\n[[operator]]\nid = \"alice\"\nroles = [\"tech-lead\"]\n",
    );
    let out = site.runbook(None).arg("check").output().unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("error[duplicate-id]: operator `alice` is defined twice")
            && said.contains(&format!("{}:4:1", site.file.display()))
            && said.contains(&format!("first given at {}:1:1", site.file.display())),
        "{said}"
    );
}
