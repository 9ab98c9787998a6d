//! Installing like a tool: `--version` names the commit and the build date;
//! completions and man pages, generated from the same definitions as
//! `--help`, name every command; `scripts/package` builds a Debian package
//! holding the binary, the pages, the completions, the docs and the
//! service, and `dpkg -i` of it gives a `runbook` that checks the bundled
//! catalog.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_runbook");

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("LANG", "C")
        .env_remove("RUNBOOK_LANG")
        .output()
        .unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every visible command, as the man pages name them: `run`,
/// `audit-verify`…
fn commands() -> Vec<(String, String)> {
    fn walk(command: &clap::Command, prefix: &str, out: &mut Vec<(String, String)>) {
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            let name = sub.get_name().to_owned();
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}-{name}")
            };
            out.push((name, path.clone()));
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&runbook::cli::command(), "", &mut out);
    out
}

#[test]
fn the_version_names_the_commit_and_the_build_date() {
    let version = stdout(&run(&["--version"]));
    assert!(
        version.starts_with(&format!("runbook {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let git = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let commit = match git {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        // Built outside a git checkout (a source tarball): said so.
        _ => "unknown".to_owned(),
    };
    assert!(
        version.contains(&format!("(commit {commit}, built ")),
        "{version}"
    );
    let date = version
        .split("built ")
        .nth(1)
        .unwrap()
        .trim_end()
        .trim_end_matches(')');
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{version}"
    );
}

#[test]
fn completions_name_every_command_in_every_shell() {
    let commands = commands();
    assert!(commands.len() > 30, "{commands:?}");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&run(&["completions", shell]));
        for (name, path) in &commands {
            assert!(script.contains(name.as_str()), "{shell} lacks `{path}`");
        }
        assert!(
            !script.contains("__append"),
            "{shell} offers the tests' harness"
        );
    }
    // A shell that does not exist is refused with the ones that do.
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bash"));
}

#[test]
fn man_pages_one_per_command_say_what_help_says() {
    let dir = tempfile::tempdir().unwrap();
    let said = stdout(&run(&["man", "--dir", dir.path().to_str().unwrap()]));
    let commands = commands();
    assert!(
        said.contains(&format!("wrote {} manual page(s)", commands.len() + 1)),
        "{said}"
    );
    let root = std::fs::read_to_string(dir.path().join("runbook.1")).unwrap();
    assert!(root.contains(".TH runbook 1"), "{root}");
    for (_, path) in &commands {
        let page = dir.path().join(format!("runbook-{path}.1"));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(text.contains(".TH runbook-"), "{text}");
    }
    // The page of `init` carries its --help's text.
    let init = std::fs::read_to_string(dir.path().join("runbook-init.1")).unwrap();
    assert!(init.contains("never over an existing file"), "{init}");
    assert!(!dir.path().join("runbook-__append.1").exists());
    // Without --dir, runbook(1) on standard output.
    assert!(stdout(&run(&["man"])).contains(".SH SYNOPSIS"));
}

/// The files the package must hold, beside one man page per command.
const PACKAGED: [&str; 12] = [
    "./usr/bin/runbook",
    "./usr/share/man/man1/runbook.1.gz",
    "./usr/share/bash-completion/completions/runbook",
    "./usr/share/zsh/vendor-completions/_runbook",
    "./usr/share/fish/vendor_completions.d/runbook.fish",
    "./usr/share/doc/runbook/README.md",
    "./usr/share/doc/runbook/checklist-format.md",
    "./usr/share/doc/runbook/journal-format.md",
    "./usr/share/doc/runbook/examples/site.toml",
    "./usr/lib/systemd/system/runbook-watch.service",
    "./usr/lib/systemd/system/runbook-serve.service",
    "./etc/runbook/config.toml",
];

fn dpkg_deb(args: &[&str], deb: &Path) -> String {
    let out = Command::new("dpkg-deb")
        .args(args)
        .arg(deb)
        .output()
        .unwrap();
    assert!(out.status.success(), "dpkg-deb {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_debian_package_holds_everything_and_installs_a_working_runbook() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(root.join("scripts/package"))
        .env("RUNBOOK_BINARY", BIN)
        .env("RUNBOOK_PACKAGE_OUT", out.path())
        .output()
        .unwrap();
    assert!(built.status.success(), "scripts/package: {built:?}");
    let deb = std::path::PathBuf::from(String::from_utf8_lossy(&built.stdout).trim());
    let name = deb.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("runbook_{}_", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );
    assert!(deb.extension().is_some_and(|e| e == "deb"), "{name}");

    let listing = dpkg_deb(&["--contents"], &deb);
    let files: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .collect();
    for wanted in PACKAGED {
        assert!(
            files.contains(&wanted),
            "the package lacks {wanted}:\n{listing}"
        );
    }
    for (_, path) in commands() {
        let page = format!("./usr/share/man/man1/runbook-{path}.1.gz");
        assert!(files.contains(&page.as_str()), "the package lacks {page}");
    }
    let control = dpkg_deb(&["--field"], &deb);
    assert!(control.contains("Package: runbook"), "{control}");
    assert!(
        control.contains("libc6"),
        "its libraries are its dependencies: {control}"
    );
    assert!(dpkg_deb(&["--info"], &deb).contains("conffiles"));

    // The unit runs as its own user and reads /etc/runbook/config.toml.
    let unpacked = tempfile::tempdir().unwrap();
    let x = Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(unpacked.path())
        .status()
        .unwrap();
    assert!(x.success());
    let unit = std::fs::read_to_string(
        unpacked
            .path()
            .join("usr/lib/systemd/system/runbook-watch.service"),
    )
    .unwrap();
    for line in [
        "User=runbook",
        "Environment=XDG_CONFIG_HOME=/etc",
        "ExecStart=/usr/bin/runbook watch",
        "WantedBy=multi-user.target",
    ] {
        assert!(
            unit.lines().any(|l| l == line),
            "the unit lacks {line}:\n{unit}"
        );
    }

    let serve = std::fs::read_to_string(
        unpacked
            .path()
            .join("usr/lib/systemd/system/runbook-serve.service"),
    )
    .unwrap();
    for line in [
        "User=runbook",
        "ExecStart=/usr/bin/runbook serve --listen 127.0.0.1:8080",
        "WantedBy=multi-user.target",
    ] {
        assert!(
            serve.lines().any(|l| l == line),
            "the unit lacks {line}:\n{serve}"
        );
    }

    install_and_check(&deb, unpacked.path());
}

/// `dpkg -i` on this machine (CI runs as root), then the installed
/// `runbook check` on the bundled catalog, then `dpkg --purge`. Elsewhere,
/// without root, the unpacked binary runs the same check.
fn install_and_check(deb: &Path, unpacked: &Path) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    // A developer's own installed runbook is left alone.
    let installed = Command::new("dpkg")
        .args(["--status", "runbook"])
        .output()
        .is_ok_and(|o| o.status.success());
    let root = is_root() && (ci || !installed);
    let home = tempfile::tempdir().unwrap();
    let check = |bin: &Path| {
        Command::new(bin)
            .arg("check")
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env_remove("RUNBOOK_CATALOG")
            .env_remove("RUNBOOK_SITE")
            .output()
            .unwrap()
    };
    if !root {
        assert!(!ci, "CI must install the package: run the tests as root");
        let out = check(&unpacked.join("usr/bin/runbook"));
        assert!(out.status.success(), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("from the bundled checklists"));
        return;
    }
    let install = Command::new("dpkg").arg("-i").arg(deb).output().unwrap();
    assert!(install.status.success(), "dpkg -i: {install:?}");
    let out = check(Path::new("/usr/bin/runbook"));
    let purge = Command::new("dpkg")
        .args(["--purge", "runbook"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("from the bundled checklists"),
        "{out:?}"
    );
    assert!(purge.status.success(), "dpkg --purge: {purge:?}");
    assert!(!Path::new("/usr/bin/runbook").exists());
}

/// Whether this process runs as root, read from /proc.
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}
