//! Waking when a journal file grows: an inotify watch on the file, and
//! one on its folder for a journal not yet created, or replaced. Where no watch can be set, or where one would not see other
//! hosts' writes (a network filesystem), the reader polls instead, and
//! `How` says why.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use inotify::{EventMask, Inotify, WatchMask};

/// How a reader learns that a journal grew.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Woken by the kernel on every write to the file.
    Watched,
    /// Woken by the database's NOTIFY, with a slow poll behind it.
    Announced,
    /// Polled; why no watch is set.
    Polled(String),
}

/// Filesystems whose files other hosts write without this kernel knowing:
/// inotify would never fire for a teammate there (statfs(2) magic).
const REMOTE: [(i64, &str); 7] = [
    (0x6969, "NFS"),
    (0xFF53_4D42, "CIFS"),
    (0xFE53_4D42, "SMB2"),
    (0x517B, "SMB"),
    (0x6573_5546, "FUSE"),
    (0x00C3_6400, "CephFS"),
    (0x0BD0_0BD0, "Lustre"),
];

/// A watch set on `journal`'s folder: `on_change` is called (from a
/// thread of its own) after each batch of writes to the file, until it
/// returns false. Err: why the reader must poll instead.
pub fn watch(
    journal: &Path,
    on_change: impl FnMut() -> bool + Send + 'static,
) -> Result<(), String> {
    let set = set(journal)?;
    std::thread::Builder::new()
        .name("runbook-journal-watch".into())
        .spawn(move || read_events(set, on_change))
        .map_err(|e| format!("starting the watch: {e}"))?;
    Ok(())
}

/// How readers of `journal` would learn of its growth (`runbook config`
/// says it): the watch is set, then given up.
pub fn how(journal: &Path) -> How {
    // A folder not made yet is made by the first console, which then
    // watches it: what matters is the filesystem it will be on.
    let mut existing = journal;
    while let Some(parent) = existing.parent().filter(|p| !p.exists()) {
        existing = parent;
    }
    let outcome = if existing == journal {
        set(journal).map(drop)
    } else {
        let folder = existing.parent().unwrap_or(Path::new("."));
        match remote(folder) {
            Some(kind) => Err(on_remote(folder, kind)),
            None => Inotify::init()
                .map(drop)
                .map_err(|e| format!("inotify: {e}")),
        }
    };
    match outcome {
        Ok(()) => How::Watched,
        Err(why) => How::Polled(why),
    }
}

fn on_remote(folder: &Path, kind: &str) -> String {
    format!(
        "{} is on {kind}, where other hosts' writes raise no inotify event",
        folder.display()
    )
}

/// A watch set: the folder's, for the file's creation or replacement;
/// the file's own, for its writes (its neighbours' writes wake nobody).
struct Set {
    inotify: Inotify,
    folder: PathBuf,
    name: OsString,
}

const ON_FOLDER: WatchMask = WatchMask::CREATE
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::ONLYDIR);
const ON_FILE: WatchMask = WatchMask::MODIFY;

fn set(journal: &Path) -> Result<Set, String> {
    if let Some(folder) = journal.parent().filter(|p| !p.as_os_str().is_empty()) {
        // Where the journal is about to be written: made now so that its
        // first entry is seen.
        let _ = std::fs::create_dir_all(folder);
    }
    let (folder, name) = target(journal)?;
    if let Some(kind) = remote(&folder) {
        return Err(on_remote(&folder, kind));
    }
    let inotify = Inotify::init().map_err(|e| format!("inotify: {e}"))?;
    inotify
        .watches()
        .add(&folder, ON_FOLDER)
        .map_err(|e| format!("inotify watch on {}: {e}", folder.display()))?;
    let set = Set {
        inotify,
        folder,
        name,
    };
    // Not there yet: its creation in the folder sets this watch.
    let _ = set.watch_file();
    Ok(set)
}

impl Set {
    fn watch_file(&self) -> std::io::Result<()> {
        self.inotify
            .watches()
            .add(self.folder.join(&self.name), ON_FILE)
            .map(drop)
    }
}

/// The folder to watch and the file's name in it, symbolic links resolved
/// (a write through a link changes the file it points to).
fn target(journal: &Path) -> Result<(PathBuf, OsString), String> {
    let resolved = std::fs::canonicalize(journal).unwrap_or_else(|_| journal.to_path_buf());
    let name = resolved
        .file_name()
        .ok_or_else(|| format!("{} names no file", journal.display()))?
        .to_owned();
    let folder = match resolved.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let folder =
        std::fs::canonicalize(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    Ok((folder, name))
}

fn read_events(mut set: Set, mut on_change: impl FnMut() -> bool) {
    let mut buffer = [0u8; 4096];
    loop {
        let events = match set.inotify.read_events_blocking(&mut buffer) {
            Ok(events) => events,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                tracing::warn!("the journal's watch stopped: {e}; its readers poll");
                return;
            }
        };
        let mut grew = false;
        let mut created = false;
        for event in events {
            // An overflow lost events, maybe ours: read to be sure.
            grew |= event
                .mask
                .intersects(EventMask::MODIFY | EventMask::Q_OVERFLOW);
            created |= event.name == Some(set.name.as_os_str());
        }
        if created {
            // A new file (made, or moved in place of the old one): its
            // writes from now on.
            if let Err(e) = set.watch_file() {
                tracing::warn!("the journal's watch: {e}");
            }
        }
        if (grew || created) && !on_change() {
            return;
        }
    }
}

/// The kind of network filesystem `folder` is on, if it is on one.
#[allow(unsafe_code)]
fn remote(folder: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: `path` is a NUL-terminated string that outlives the call,
    // and `stat` is written by statfs(2) before it is read, only on success.
    let found = unsafe {
        if libc::statfs(path.as_ptr(), stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init().f_type
    };
    #[allow(clippy::useless_conversion)]
    let found = i64::from(found);
    REMOTE
        .iter()
        .find(|(magic, _)| *magic == found)
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_write_to_the_file_wakes_and_its_neighbours_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal.jsonl");
        let (tx, rx) = mpsc::channel();
        watch(&journal, move || tx.send(()).is_ok()).unwrap();
        // Created after the watch: seen.
        let mut file = std::fs::File::create(&journal).unwrap();
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
        while rx.try_recv().is_ok() {}
        std::fs::write(dir.path().join("journal.jsonl.index"), b"x").unwrap();
        std::fs::write(dir.path().join("other"), b"x").unwrap();
        file.write_all(b"{}\n").unwrap();
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
        // The neighbours' writes came first and woke nothing: the one
        // wake-up is the journal's, and nothing follows it.
        assert_eq!(
            rx.recv_timeout(Duration::from_millis(200)),
            Err(mpsc::RecvTimeoutError::Timeout)
        );
    }

    #[test]
    fn a_journal_through_a_link_is_watched_where_it_lives() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("journal.jsonl"), b"").unwrap();
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(real.join("journal.jsonl"), &link).unwrap();
        let (tx, rx) = mpsc::channel();
        watch(&link, move || tx.send(()).is_ok()).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&link)
            .unwrap()
            .write_all(b"{}\n")
            .unwrap();
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_polled_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"").unwrap();
        let journal = file.join("journal.jsonl");
        let why = watch(&journal, || true).unwrap_err();
        assert!(why.contains("a-file"), "{why}");
        assert!(matches!(how(&journal), How::Polled(_)));
    }

    #[test]
    fn a_folder_not_made_yet_is_made_and_watched() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("state/runbook/journal.jsonl");
        assert_eq!(how(&journal), How::Watched);
        assert!(!journal.parent().unwrap().exists(), "asking made it");
        let (tx, rx) = mpsc::channel();
        watch(&journal, move || tx.send(()).is_ok()).unwrap();
        std::fs::write(&journal, b"{}\n").unwrap();
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
    }
}
