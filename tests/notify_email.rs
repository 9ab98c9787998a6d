//! Email notifications (issue 36, part 3) against a real SMTP server on
//! loopback (Debian's aiosmtpd, started by the test): a status update
//! reaches the site's list over STARTTLS with the login from the
//! environment; the message has its subject, a plain and an HTML part,
//! the update's words, and no secret. A relay that cannot STARTTLS gets
//! nothing.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use runbook::run::Event;

const PASSWORD: &str = "smtp-pass-9f3e1c";

/// Debian's interpreter, where `python3-aiosmtpd` installs the module
/// (a `python3` earlier on the PATH may be another).
const PYTHON: &str = "/usr/bin/python3";

struct Smtp {
    child: Child,
    port: u16,
    out: PathBuf,
    /// The authority that signed the relay's certificate.
    cert: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn openssl(args: &[&str], dir: &Path) {
    let made = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl makes the test certificates (scripts/test installs it)");
    assert!(
        made.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&made.stderr)
    );
}

/// A company's certificate authority and the relay's certificate it
/// signed: the CA's file is what the site names (`ca_file`).
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let days = ["-days", "1"];
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            days[0],
            days[1],
            "-subj",
            "/CN=runbook test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
        dir,
    );
    openssl(
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "relay.key",
            "-out",
            "relay.csr",
        ],
        dir,
    );
    std::fs::write(
        dir.join("relay.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "relay.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            days[0],
            days[1],
            "-extfile",
            "relay.ext",
            "-out",
            "relay.pem",
        ],
        dir,
    );
    (
        dir.join("ca.pem"),
        dir.join("relay.pem"),
        dir.join("relay.key"),
    )
}

fn smtp(dir: &Path, plain: bool) -> Smtp {
    let (ca, cert, key) = certificates(dir);
    let out = dir.join("mail");
    std::fs::create_dir_all(&out).unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/smtp_server.py");
    let mut command = Command::new(PYTHON);
    command
        .arg(script)
        .arg(&out)
        .arg(port.to_string())
        .arg(&cert)
        .arg(&key)
        .args(["runbook", PASSWORD]);
    if plain {
        command.arg("plain");
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {PYTHON} ({e}): scripts/test installs python3-aiosmtpd")
        });
    let mut ready = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut ready)
        .unwrap();
    assert_eq!(
        ready.trim(),
        "ready",
        "the SMTP server did not start: is python3-aiosmtpd installed?"
    );
    Smtp {
        child,
        port,
        out,
        cert: ca,
    }
}

fn site(dir: &Path, smtp: &Smtp) -> PathBuf {
    let site = dir.join("site.toml");
    std::fs::write(
        &site,
        format!(
            "[[notify]]\nid = \"stakeholders\"\nkind = \"email\"\nhost = \"127.0.0.1\"\nport = {}\n\
             from = \"runbook@tontetic.example\"\nto = [\"cto@tontetic.example\", \"support@tontetic.example\"]\n\
             username = \"${{SMTP_USER}}\"\npassword = \"${{SMTP_PASSWORD}}\"\nca_file = \"{}\"\n",
            smtp.port,
            smtp.cert.display()
        ),
    )
    .unwrap();
    site
}

fn runbook(journal: &Path, site: &Path) -> Command {
    let mut command = common::runbook(journal, "alice");
    command
        .arg("--site")
        .arg(site)
        .env("SMTP_USER", "runbook")
        .env("SMTP_PASSWORD", PASSWORD);
    command
}

fn start_incident(journal: &Path, site: &Path) -> String {
    let out = common::feed(
        runbook(journal, site).args(["run", "incident", "--severity", "P2", "--plain"]),
        "quit\n",
    );
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = said.lines().find(|l| l.contains(" — run ")).expect(&said);
    let id = line.split(" — run ").nth(1).unwrap();
    id.split(',').next().unwrap().trim().to_owned()
}

#[test]
fn a_status_update_is_mailed_to_the_list_over_starttls_with_both_parts_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = smtp(dir.path(), false);
    let site = site(dir.path(), &smtp);
    let journal = dir.path().join("journal.jsonl");
    let run = start_incident(&journal, &site);
    let out = runbook(&journal, &site)
        .args([
            "update",
            &run,
            "--status",
            "identified",
            "--impact",
            "major",
            "--component",
            "payments",
            "--public",
        ])
        .arg("Card payments fail <for some>; next update at 03:30.")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mails: Vec<PathBuf> = std::fs::read_dir(&smtp.out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert_eq!(
        mails.len(),
        1,
        "one message for one update (a run's start is not mailed by default)"
    );
    let mail = std::fs::read_to_string(&mails[0]).unwrap();
    let meta = std::fs::read_to_string(mails[0].with_extension("meta")).unwrap();
    assert!(
        meta.contains("tls=True") && meta.contains("auth=True"),
        "{meta}"
    );
    assert!(
        meta.contains("rcpt=cto@tontetic.example,support@tontetic.example"),
        "{meta}"
    );
    assert!(
        mail.contains(&format!("Subject: [Identified] {run}")),
        "{mail}"
    );
    assert!(mail.contains("From: runbook@tontetic.example"), "{mail}");
    assert!(mail.contains("multipart/alternative"), "{mail}");
    assert!(
        mail.contains("Content-Type: text/plain; charset=utf-8"),
        "{mail}"
    );
    assert!(
        mail.contains("Content-Type: text/html; charset=utf-8"),
        "{mail}"
    );
    let decoded = mail.replace("=\r\n", "").replace("=3D", "=");
    assert!(
        decoded.contains("Card payments fail <for some>; next update at 03:30."),
        "{decoded}"
    );
    assert!(
        decoded.contains("Card payments fail &lt;for some&gt;"),
        "the HTML part escapes: {decoded}"
    );
    assert!(!mail.contains(PASSWORD), "{mail}");

    // Journaled as delivered, with the relay's answer.
    let sent = common::events(&journal).into_iter().any(|e| {
        matches!(e, Event::NotificationSent(d) if d.target == "stakeholders" && d.trigger == "status_update" && d.answer.as_deref() == Some("250 2.0.0 stored"))
    });
    assert!(sent, "{:?}", common::events(&journal));
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(!text.contains(PASSWORD));
}

#[test]
fn a_relay_without_starttls_gets_nothing_and_the_failure_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = smtp(dir.path(), true);
    let site = site(dir.path(), &smtp);
    let journal = dir.path().join("journal.jsonl");
    let run = start_incident(&journal, &site);
    let out = runbook(&journal, &site)
        .args([
            "update",
            &run,
            "--status",
            "investigating",
            "--public",
            "Looking into it.",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the update stands: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mails = std::fs::read_dir(&smtp.out).unwrap().count();
    assert_eq!(mails, 0, "nothing in clear");
    let pending = runbook(&journal, &site)
        .args(["notify", "pending"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&pending.stdout).into_owned();
    assert!(
        said.contains("stakeholders") && said.contains("status_update"),
        "{said}"
    );
    assert!(!said.contains(PASSWORD), "{said}");
}
