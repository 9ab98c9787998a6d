//! `audit verify`'s look at the output files: each `command_finished`
//! pins its file by size and SHA-256, so a file edited, cut or removed
//! after the fact is found.

use std::io::{self, BufRead};
use std::path::Path;

use ring::digest::{Context, SHA256};

use crate::store::pg::Database;

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

/// Where the outputs are: files beside a journal file; on a database
/// journal, its output table, else this host's files.
#[derive(Debug, Clone, Copy)]
pub struct Outputs<'a> {
    /// The journal file, or this host's stand-in for a database journal.
    pub journal: &'a Path,
    /// A database journal, and this host's name: a command run elsewhere
    /// whose output the database does not hold is not checked here.
    pub database: Option<(&'a Database, &'a str)>,
}

/// What a look at the outputs found.
#[derive(Debug, Default)]
pub struct Checked {
    /// The outputs that do not match their entry.
    pub mismatches: Vec<Mismatch>,
    /// Outputs that match, and how many of them the database holds.
    pub matching: usize,
    pub in_database: usize,
    /// Outputs of commands run on another host, which only it holds.
    pub elsewhere: usize,
}

/// Every output named by the journal's `lines`, against its entry. Only
/// lines holding a `command_finished` are parsed.
pub fn check(reader: impl BufRead, outputs: Outputs<'_>) -> io::Result<Checked> {
    let mut checked = Checked::default();
    let found = &mut checked.mismatches;
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line?;
        if memchr::memmem::find(&line, b"\"command_finished\"").is_none() {
            continue;
        }
        let Ok(entry) = serde_json::from_slice::<serde_json::Value>(&line) else {
            // The chain check names a line that is not an entry.
            continue;
        };
        let finished = &entry["event"]["command_finished"];
        let output = &finished["output"];
        let (Some(file), Some(sha256), Some(bytes)) = (
            output["file"].as_str(),
            output["sha256"].as_str(),
            output["bytes"].as_u64(),
        ) else {
            continue;
        };
        let recorded_parts = output["parts"].as_u64();
        let line = n as u64 + 1;
        if let (Some((db, _)), Some(started)) = (outputs.database, finished["started"].as_u64()) {
            let held = match from_database(db, started) {
                Ok(held) => held,
                Err(e) => {
                    found.push(Mismatch {
                        line,
                        file: in_table(started),
                        why: Why::Unreadable(e),
                    });
                    continue;
                }
            };
            // What the database holds is checked; what it should hold
            // and does not is missing.
            if held.parts > 0 || recorded_parts.is_some() {
                if held.sha256 == sha256 && held.bytes == bytes {
                    checked.matching += 1;
                    checked.in_database += 1;
                } else {
                    found.push(Mismatch {
                        line,
                        file: in_table(started),
                        why: Why::Changed {
                            recorded_bytes: bytes,
                            found_bytes: held.bytes,
                        },
                    });
                }
                continue;
            }
        }
        // A command that could not start has no file.
        if file.is_empty() {
            continue;
        }
        if outputs
            .database
            .is_some_and(|(_, host)| entry["host"].as_str() != Some(host))
        {
            checked.elsewhere += 1;
            continue;
        }
        let why = match super::output::digest(&super::output::resolve(outputs.journal, file)) {
            Err(e) => Some(Why::Unreadable(e.to_string())),
            Ok((hash, found_bytes)) if hash != sha256 || found_bytes != bytes => {
                Some(Why::Changed {
                    recorded_bytes: bytes,
                    found_bytes,
                })
            }
            Ok(_) => {
                checked.matching += 1;
                None
            }
        };
        if let Some(why) = why {
            found.push(Mismatch {
                line,
                file: file.to_owned(),
                why,
            });
        }
    }
    Ok(checked)
}

fn in_table(started: u64) -> String {
    format!("#{started} ({})", crate::store::pg::schema::OUTPUT)
}

/// An output as a database journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub parts: u32,
    pub bytes: u64,
    pub sha256: String,
}

/// The size and SHA-256 of the output of the command started at
/// `started`, read from the database part by part.
pub fn from_database(db: &Database, started: u64) -> Result<Held, String> {
    let mut hasher = Context::new(&SHA256);
    let mut bytes = 0u64;
    let parts = db
        .read_output(started, |chunk| {
            hasher.update(chunk);
            bytes += chunk.len() as u64;
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    Ok(Held {
        parts,
        bytes,
        sha256: crate::journal::line::hex(hasher.finish().as_ref()),
    })
}
