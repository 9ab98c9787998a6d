//! `audit verify`'s look at the output files: each `command_finished`
//! pins its file by size and SHA-256, so a file edited, cut or removed
//! after the fact is found.

use std::io::{self, BufRead};
use std::path::Path;

use ring::digest::{Context, SHA256};

use crate::run::command::Output;
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

/// A `command_finished` entry: what it recorded of the output, where the
/// command ran, and the journal line that holds it.
#[derive(Debug, Clone)]
pub struct Finished {
    pub line: u64,
    pub started: u64,
    pub output: Output,
    pub host: String,
}

/// Each `command_finished` of `lines`, in order. Only lines holding one
/// are parsed; a line that is not an entry is the chain check's to name.
pub fn each_finished(lines: impl BufRead, mut each: impl FnMut(Finished)) -> io::Result<()> {
    for (n, line) in lines.split(b'\n').enumerate() {
        let line = line?;
        if memchr::memmem::find(&line, b"\"command_finished\"").is_none() {
            continue;
        }
        let Ok(entry) = serde_json::from_slice::<serde_json::Value>(&line) else {
            continue;
        };
        let finished = &entry["event"]["command_finished"];
        let Some(started) = finished["started"].as_u64() else {
            continue;
        };
        if let Ok(output) = serde_json::from_value::<Output>(finished["output"].clone()) {
            each(Finished {
                line: n as u64 + 1,
                started,
                output,
                host: entry["host"].as_str().unwrap_or_default().to_owned(),
            });
        }
    }
    Ok(())
}

/// Every output named by the journal's `lines`, against its entry.
pub fn check(reader: impl BufRead, outputs: Outputs<'_>) -> io::Result<Checked> {
    let mut checked = Checked::default();
    each_finished(reader, |finished| look(&finished, outputs, &mut checked))?;
    Ok(checked)
}

/// One output against its entry.
fn look(finished: &Finished, outputs: Outputs<'_>, checked: &mut Checked) {
    let Finished {
        line,
        started,
        output,
        host,
    } = finished;
    let (line, started) = (*line, *started);
    let mismatch = |file: String, why: Why| Mismatch { line, file, why };
    if let Some((db, _)) = outputs.database {
        let held = match from_database(db, started) {
            Ok(held) => held,
            Err(e) => {
                let found = mismatch(in_table(started), Why::Unreadable(e));
                checked.mismatches.push(found);
                return;
            }
        };
        // What the database holds is checked; what it should hold and
        // does not is missing.
        if held.parts > 0 || output.parts.is_some() {
            if held.sha256 == output.sha256 && held.bytes == output.bytes {
                checked.matching += 1;
                checked.in_database += 1;
            } else {
                let why = Why::Changed {
                    recorded_bytes: output.bytes,
                    found_bytes: held.bytes,
                };
                checked.mismatches.push(mismatch(in_table(started), why));
            }
            return;
        }
    }
    // A command that could not start has no file.
    if output.file.is_empty() {
        return;
    }
    if outputs.database.is_some_and(|(_, here)| host != here) {
        checked.elsewhere += 1;
        return;
    }
    let path = super::output::resolve(outputs.journal, &output.file);
    match super::output::digest(&path) {
        Err(e) => {
            let found = mismatch(output.file.clone(), Why::Unreadable(e.to_string()));
            checked.mismatches.push(found);
        }
        Ok((hash, found_bytes)) if hash != output.sha256 || found_bytes != output.bytes => {
            let why = Why::Changed {
                recorded_bytes: output.bytes,
                found_bytes,
            };
            checked.mismatches.push(mismatch(output.file.clone(), why));
        }
        Ok(_) => checked.matching += 1,
    }
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
