//! The layers: the domain (catalog, clock, run, journal, report, text) never
//! imports the shell's terminal, async or network crates; the layer that
//! binds it to files (session, runs, config, exit, metrics) never reaches up
//! into a front end; and the two front ends, the console and the command
//! line, sit side by side: the console never imports the command line.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

const DOMAIN: &[&str] = &[
    "src/catalog",
    "src/clock",
    "src/run",
    "src/journal",
    "src/report",
    "src/reference",
    "src/text",
    "src/due",
    "src/notice",
    "src/drill",
];
const SHELL_CRATES: &[&str] = &[
    "ratatui",
    "crossterm",
    "tokio",
    "tokio_postgres",
    "rustls",
    "reqwest",
    "futures",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn domain_modules_do_not_use_terminal_async_or_network_crates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in DOMAIN {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(
        files.len() >= 10,
        "the domain files were not found: {files:?}"
    );
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for name in SHELL_CRATES {
                let used =
                    code.contains(&format!("{name}::")) || code.contains(&format!("use {name}"));
                if used {
                    offences.push(format!(
                        "{}:{}: {}",
                        file.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
            // The domain's journal is lines and chains: where they are kept
            // (a file, a database) is the store's.
            let stored = code.contains("crate::store") || code.contains("crate::session");
            if stored || code.contains("crate::commands") || code.contains("crate::cli") {
                offences.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "the domain reaches into the shell:\n{}",
        offences.join("\n")
    );
}

/// Lines of the `.rs` files under `dirs` (or the files named) that contain
/// one of `needles` outside a comment.
fn offending_lines(dirs: &[&str], needles: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in dirs {
        let path = root.join(dir);
        if path.is_file() {
            files.push(path);
        } else {
            rust_files(&path, &mut files);
        }
    }
    assert!(
        !files.is_empty(),
        "none of {dirs:?} was found: the layer list is out of date"
    );
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if needles.iter().any(|n| code.contains(n)) {
                offences.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    offences
}

#[test]
fn the_console_never_reaches_into_the_command_line() {
    let offences = offending_lines(&["src/tui"], &["crate::commands", "crate::cli"]);
    assert!(
        offences.is_empty(),
        "the console imports the command line:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_layer_under_the_front_ends_never_reaches_up() {
    let offences = offending_lines(
        &[
            "src/session.rs",
            "src/runs.rs",
            "src/store",
            "src/stderr.rs",
            "src/config",
            "src/exit.rs",
            "src/metrics",
        ],
        &["crate::commands", "crate::cli", "crate::tui"],
    );
    assert!(
        offences.is_empty(),
        "a lower layer imports a front end:\n{}",
        offences.join("\n")
    );
}
