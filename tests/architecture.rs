//! The domain never imports the shell: the catalog, clock (and later the
//! run and journal) modules stay free of terminal, async and network crates,
//! so they can be tested without any of them and reused by every front end.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

const DOMAIN: &[&str] = &[
    "src/catalog",
    "src/clock",
    "src/run",
    "src/journal",
    "src/report",
];
const SHELL_CRATES: &[&str] = &["ratatui", "crossterm", "tokio", "reqwest", "futures"];

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
            if code.contains("crate::commands") || code.contains("crate::cli") {
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
