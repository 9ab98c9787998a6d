//! Line mode's input: standard input read on a thread of its own, beside
//! the journal's wake-ups, so that a teammate's entry is said when it is
//! written rather than when the operator next presses Enter.

use std::io::{self, BufRead, Read};
use std::sync::mpsc;

use crate::store::Journal;

/// What the walk waits for next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// A line, in the buffer given.
    Line,
    /// Input ended.
    End,
    /// The journal grew: a teammate may have written.
    Journal,
}

enum Heard {
    Line(Vec<u8>),
    End,
    Failed(io::Error),
    Journal,
}

/// Lines from a reader on a thread, and the journal's wake-ups, in the
/// order they came. Read as a `BufRead` (a question asked in the middle of
/// a command), it gives the lines alone.
pub struct Input {
    rx: mpsc::Receiver<Heard>,
    line: Vec<u8>,
    at: usize,
    ended: bool,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl Input {
    /// Standard input, and `journal`'s growth where it can be watched.
    pub fn stdin(journal: &Journal) -> Input {
        Input::from_reader(|| io::stdin().lock(), journal)
    }

    /// Lines from the reader `open` makes on the thread (a standard input
    /// lock cannot be handed between threads), and `journal`'s growth.
    pub fn from_reader<R: BufRead>(
        open: impl FnOnce() -> R + Send + 'static,
        journal: &Journal,
    ) -> Input {
        let (tx, rx) = mpsc::channel();
        let lines = tx.clone();
        let reading = std::thread::Builder::new()
            .name("runbook-line-input".into())
            .spawn(move || read_lines(open(), &lines));
        if let Err(e) = reading {
            let _ = tx.send(Heard::Failed(e));
        }
        watch(journal, tx);
        Input {
            rx,
            line: Vec::new(),
            at: 0,
            ended: false,
        }
    }

    /// The next line (into `line`), the end of input, or the journal's
    /// growth, whichever comes first.
    pub fn next(&mut self, line: &mut String) -> io::Result<Next> {
        if self.at < self.line.len() {
            return Ok(if self.read_line(line)? == 0 {
                Next::End
            } else {
                Next::Line
            });
        }
        if self.ended {
            return Ok(Next::End);
        }
        match self.rx.recv() {
            Ok(Heard::Line(bytes)) => {
                line.push_str(&String::from_utf8_lossy(&bytes));
                Ok(Next::Line)
            }
            Ok(Heard::Journal) => Ok(Next::Journal),
            Ok(Heard::Failed(e)) => {
                self.ended = true;
                Err(e)
            }
            Ok(Heard::End) | Err(_) => {
                self.ended = true;
                Ok(Next::End)
            }
        }
    }
}

fn read_lines(mut reader: impl BufRead, tx: &mpsc::Sender<Heard>) {
    loop {
        let mut line = Vec::new();
        let heard = match reader.read_until(b'\n', &mut line) {
            Ok(0) => Heard::End,
            Ok(_) => Heard::Line(line),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => Heard::Failed(e),
        };
        let last = !matches!(heard, Heard::Line(_));
        if tx.send(heard).is_err() || last {
            return;
        }
    }
}

/// Wakes the walk when the journal grows: a file's watch, a database's
/// announcements. Where neither can be had, lines alone wake it.
fn watch(journal: &Journal, tx: mpsc::Sender<Heard>) {
    match journal {
        Journal::File(path) => {
            let woken = move || tx.send(Heard::Journal).is_ok();
            if let Err(why) = crate::store::wake::watch(path, woken) {
                tracing::info!("{why}: teammates' entries are said at the next line");
            }
        }
        Journal::Postgres(_) => {
            let Some(mut changes) = journal.changes() else {
                return;
            };
            let listening = std::thread::Builder::new()
                .name("runbook-line-listen".into())
                .spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().build() else {
                        return;
                    };
                    runtime.block_on(async {
                        while changes.changed().await.is_ok() {
                            if tx.send(Heard::Journal).is_err() {
                                return;
                            }
                        }
                    });
                });
            if let Err(e) = listening {
                tracing::info!("{e}: teammates' entries are said at the next line");
            }
        }
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Input {
    /// The rest of the current line, or the next one; the journal's
    /// wake-ups are passed over (the walk says teammates' entries after
    /// the question is answered).
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at >= self.line.len() && !self.ended {
            match self.rx.recv() {
                Ok(Heard::Line(bytes)) => {
                    self.line = bytes;
                    self.at = 0;
                }
                Ok(Heard::Journal) => {}
                Ok(Heard::Failed(e)) => {
                    self.ended = true;
                    return Err(e);
                }
                Ok(Heard::End) | Err(_) => self.ended = true,
            }
        }
        Ok(&self.line[self.at.min(self.line.len())..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.line.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// A reader that gives its lines only when told: an operator typing.
    struct Typed(mpsc::Receiver<Vec<u8>>, Vec<u8>);

    impl Read for Typed {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1.is_empty() {
                self.1 = self.0.recv().unwrap_or_default();
            }
            let n = self.1.len().min(buf.len());
            buf[..n].copy_from_slice(&self.1[..n]);
            self.1.drain(..n);
            Ok(n)
        }
    }

    #[test]
    fn the_journal_growing_wakes_the_walk_between_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        std::fs::write(&path, b"").unwrap();
        let (typing, typed) = mpsc::channel::<Vec<u8>>();
        let mut input = Input::from_reader(
            move || io::BufReader::new(Typed(typed, Vec::new())),
            &Journal::File(path.clone()),
        );
        typing.send(b"first\n".to_vec()).unwrap();
        let mut line = String::new();
        assert_eq!(input.next(&mut line).unwrap(), Next::Line);
        assert_eq!(line, "first\n");
        // Nothing typed: a teammate's write wakes the walk all the same.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"{}\n").unwrap();
        line.clear();
        assert_eq!(input.next(&mut line).unwrap(), Next::Journal);
        assert!(line.is_empty());
        // A question in a command reads the next line, whatever woke.
        file.write_all(b"{}\n").unwrap();
        typing.send(b"y\n".to_vec()).unwrap();
        let mut answer = String::new();
        input.read_line(&mut answer).unwrap();
        assert_eq!(answer, "y\n");
        drop(typing);
        loop {
            line.clear();
            match input.next(&mut line).unwrap() {
                Next::Journal => {}
                other => {
                    assert_eq!(other, Next::End);
                    break;
                }
            }
        }
    }
}
