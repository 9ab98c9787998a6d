//! `runbook init`: writes a starter site file, never over an existing one,
//! and says what it wrote and what to run next.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{Context, exit};

/// Writes the starter to the file `--site` names (one at most), else the
/// user's own `~/.config/runbook/site.toml`.
pub fn run(context: &Context, flags: &[PathBuf], out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let w = words.init;
    let target = match flags {
        [] => None,
        [one] => Some(one.as_path()),
        _ => {
            crate::say!("{}", w.one_site);
            return Ok(exit::USAGE);
        }
    };
    let default = crate::catalog::source::config_dir(super::env).map(|d| d.join("site.toml"));
    let Some(path) = target.map(Path::to_path_buf).or(default.clone()) else {
        crate::say!("{}", w.no_home);
        return Ok(exit::USAGE);
    };
    let shown = path.display().to_string();
    let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let (text, blanks) = crate::catalog::starter::starter(&context.loaded.catalog, words, &date);
    match write_new(&path, &text) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            crate::say!("{}", (w.exists)(&shown));
            crate::say!("{}", w.exists_hint);
            return Ok(exit::USAGE);
        }
        Err(e) => {
            crate::say!("{}", (w.cannot_write)(&shown, &e.to_string()));
            return Ok(exit::USAGE);
        }
    }
    writeln!(out, "{}", (w.wrote)(&shown, blanks))?;
    if Some(&path) == default.as_ref() {
        writeln!(out, "{}", w.next_default)?;
    } else {
        writeln!(out, "{}", (w.next_site)(&shown))?;
    }
    Ok(exit::OK)
}

/// Creates the file (and its folder), refusing one that exists, and syncs
/// it: a starter half written by a full disk is removed, not left behind.
fn write_new(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(())
}
