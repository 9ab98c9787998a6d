//! A finished command's output read back for the console's pane: its end
//! only (what the pane's scrollback can hold), from a database journal's
//! output table, else from the file, whichever host ran it.

use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use crate::run::command::Output;
use crate::store::Journal;
use crate::text::Words;

/// How much of the end of an output the pane is given.
pub const SHOWN: u64 = 256 * 1024;

#[derive(Debug, Clone)]
pub struct Source {
    pub journal: Journal,
    /// The journal file, or this host's stand-in for a database journal:
    /// output files are found beside it.
    pub side: PathBuf,
    /// The command's `command_started` entry.
    pub seq: u64,
    pub output: Output,
}

impl Source {
    /// The bytes to feed the pane: a line saying what is left out when the
    /// output is longer than what is shown, then its end; or why it cannot
    /// be read.
    pub fn read_end(&self, words: &Words) -> Vec<Vec<u8>> {
        let mut chunks = Vec::new();
        if self.output.bytes > SHOWN {
            let head = (words.exec.output_head)(SHOWN, self.output.bytes, self.seq);
            chunks.push(format!("{head}\r\n").into_bytes());
        }
        if let Err(e) = self.read(&mut chunks) {
            let said = (words.exec.output_unread)(&e);
            chunks.push(format!("\r\n{said}\r\n").into_bytes());
        }
        chunks
    }

    fn read(&self, chunks: &mut Vec<Vec<u8>>) -> Result<(), String> {
        if let Journal::Postgres(db) = &self.journal {
            let held = match self.output.parts {
                Some(parts) => parts,
                None => db.output_parts(self.seq).map_err(|e| e.to_string())?,
            };
            if held > 0 || self.output.parts.is_some() {
                let wanted = u32::try_from(SHOWN.div_ceil(super::upload::PART)).unwrap_or(1);
                let first = held.saturating_sub(wanted);
                db.read_output_from(self.seq, first, |chunk| {
                    chunks.push(chunk.to_vec());
                    Ok(())
                })
                .map_err(|e| e.to_string())?;
                return Ok(());
            }
        }
        if self.output.file.is_empty() {
            return Ok(());
        }
        let path = super::output::resolve(&self.side, &self.output.file);
        let fail = |e: std::io::Error| format!("{}: {e}", path.display());
        let mut file = std::fs::File::open(&path).map_err(fail)?;
        let length = file.metadata().map_err(fail)?.len();
        file.seek(SeekFrom::Start(length.saturating_sub(SHOWN)))
            .map_err(fail)?;
        let mut end = Vec::new();
        file.read_to_end(&mut end).map_err(fail)?;
        chunks.push(end);
        Ok(())
    }
}
