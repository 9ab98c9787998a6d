//! `runbook completions SHELL` and `runbook man [--dir DIR]`: generated
//! from the same clap definitions as `--help`, so they never drift from it.

use std::io::{self, Write};
use std::path::Path;

use super::exit;

pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<u8> {
    let mut command = crate::cli::command();
    // Generated into memory first: clap_complete panics on a write error,
    // and a closed pipe (`runbook completions bash | head`) is no panic.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "runbook", &mut script);
    out.write_all(&script)?;
    Ok(exit::OK)
}

/// The manual page of `runbook` on standard output, or one page per
/// command (`runbook-run.1`, `runbook-audit-verify.1`…) in `dir`.
pub fn man(dir: Option<&Path>, words: &crate::text::Words, out: &mut dyn Write) -> io::Result<u8> {
    let command = crate::cli::command();
    let Some(dir) = dir else {
        clap_mangen::Man::new(command).render(out)?;
        return Ok(exit::OK);
    };
    let written =
        std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(command, dir));
    if let Err(e) = written {
        crate::say!(
            "{}",
            (words.commands.man_failed)(&dir.display().to_string(), &e.to_string())
        );
        return Ok(exit::USAGE);
    }
    let mut pages: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("runbook") && name.ends_with(".1"))
        .collect();
    pages.sort();
    writeln!(
        out,
        "{}",
        (words.commands.man_written)(pages.len(), &dir.display().to_string())
    )?;
    Ok(exit::OK)
}
