//! A command's output sent to a database journal's output table while it
//! runs. A thread of its own reads what the output file holds so far and
//! stores it in parts, so a slow or stalled database never slows the
//! command: the file on this host is the spool, and stays the copy of
//! record when the database cannot take it.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::store::pg::Database;

/// The size of a full part.
pub const PART: u64 = 256 * 1024;
/// A part is sent at least this often while output comes slowly, so that
/// other hosts follow a long command.
const EVERY: Duration = Duration::from_secs(1);

#[derive(Default)]
struct Progress {
    /// Bytes in the file so far.
    written: u64,
    finished: bool,
}

type Shared = Arc<(Mutex<Progress>, Condvar)>;

pub struct Upload {
    shared: Shared,
    thread: Option<JoinHandle<Result<u32, String>>>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload").finish_non_exhaustive()
    }
}

impl Upload {
    /// Starts sending the file at `path`, the output of the command
    /// started at entry `started`, to `db`.
    pub fn start(db: Database, started: u64, path: PathBuf) -> Upload {
        let shared: Shared = Arc::default();
        let theirs = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("runbook-output".into())
            .spawn(move || send(&db, started, &path, &theirs))
            .ok();
        Upload { shared, thread }
    }

    /// The file now holds `written` bytes.
    pub fn written(&self, written: u64) {
        let (lock, wake) = &*self.shared;
        if let Ok(mut progress) = lock.lock() {
            progress.written = written;
        }
        wake.notify_one();
    }

    /// The file is complete at `written` bytes: waits until every part is
    /// stored. The parts stored, or why the database does not hold it all.
    pub fn finish(mut self, written: u64) -> Result<u32, String> {
        let (lock, wake) = &*self.shared;
        if let Ok(mut progress) = lock.lock() {
            progress.written = written;
            progress.finished = true;
        }
        wake.notify_one();
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err("the sending thread stopped".into())),
            None => Err("could not start the sending thread".into()),
        }
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        // A sink dropped unfinished: the thread sends what there is and ends.
        let (lock, wake) = &*self.shared;
        if let Ok(mut progress) = lock.lock() {
            progress.finished = true;
        }
        wake.notify_one();
    }
}

fn send(
    db: &Database,
    started: u64,
    path: &std::path::Path,
    shared: &Shared,
) -> Result<u32, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut sent = 0u64;
    let mut part = 0u32;
    loop {
        let (written, finished, timed_out) = wait(shared, sent)?;
        while sent < written {
            let size = (written - sent).min(PART);
            // A short part only at the end, or when output comes slowly.
            if size < PART && !finished && !timed_out {
                break;
            }
            let mut chunk = vec![0; usize::try_from(size).unwrap_or(0)];
            file.read_exact_at(&mut chunk, sent)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            db.write_output_part(started, part, chunk)
                .map_err(|e| e.to_string())?;
            part += 1;
            sent += size;
        }
        if finished && sent >= written {
            return Ok(part);
        }
    }
}

/// Waits for a full part, the end, or `EVERY`: what the file holds, whether
/// it is complete, and whether the wait timed out.
fn wait(shared: &Shared, sent: u64) -> Result<(u64, bool, bool), String> {
    let (lock, wake) = &**shared;
    let deadline = Instant::now() + EVERY;
    let mut progress = lock.lock().map_err(|_| "poisoned".to_owned())?;
    loop {
        if progress.finished || progress.written.saturating_sub(sent) >= PART {
            return Ok((progress.written, progress.finished, false));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok((progress.written, progress.finished, true));
        }
        progress = wake
            .wait_timeout(progress, deadline - now)
            .map_err(|_| "poisoned".to_owned())?
            .0;
    }
}
