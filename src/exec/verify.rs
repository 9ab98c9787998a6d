//! `audit verify`'s look at the output files: each `command_finished`
//! pins its file by size and SHA-256, so a file edited, cut or removed
//! after the fact is found.

use std::io::{self, BufRead};
use std::path::Path;

/// An output file that does not match its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The journal line of the `command_finished` entry.
    pub line: u64,
    pub file: String,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    Unreadable(String),
    Changed {
        recorded_bytes: u64,
        found_bytes: u64,
    },
}

/// Every output file named by the journal's `lines` that does not match
/// its entry; files are found beside `journal`. Only lines holding a
/// `command_finished` are parsed. `host`: only the commands run on this
/// host (a database journal's other hosts keep their own files).
pub fn check(
    reader: impl BufRead,
    journal: &Path,
    host: Option<&str>,
) -> io::Result<Vec<Mismatch>> {
    let mut found = Vec::new();
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line?;
        if memchr::memmem::find(&line, b"\"command_finished\"").is_none() {
            continue;
        }
        let Ok(entry) = serde_json::from_slice::<serde_json::Value>(&line) else {
            // The chain check names a line that is not an entry.
            continue;
        };
        if host.is_some_and(|h| entry["host"].as_str() != Some(h)) {
            continue;
        }
        let output = &entry["event"]["command_finished"]["output"];
        let (Some(file), Some(sha256), Some(bytes)) = (
            output["file"].as_str(),
            output["sha256"].as_str(),
            output["bytes"].as_u64(),
        ) else {
            continue;
        };
        // A command that could not start has no file.
        if file.is_empty() {
            continue;
        }
        let why = match super::output::digest(&super::output::resolve(journal, file)) {
            Err(e) => Some(Why::Unreadable(e.to_string())),
            Ok((hash, found_bytes)) if hash != sha256 || found_bytes != bytes => {
                Some(Why::Changed {
                    recorded_bytes: bytes,
                    found_bytes,
                })
            }
            Ok(_) => None,
        };
        if let Some(why) = why {
            found.push(Mismatch {
                line: n as u64 + 1,
                file: file.to_owned(),
                why,
            });
        }
    }
    Ok(found)
}
