//! The real binary in a pseudo-terminal, read back through a terminal
//! emulator (vt100): keys in, screen text out. Waits are for a condition on
//! the screen, with a deadline, never a bare sleep.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub struct Console {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    /// Asks the reading thread to stop and drop its end of the pty.
    closing: Arc<std::sync::atomic::AtomicBool>,
    reading: Option<std::thread::JoinHandle<()>>,
    // Keeps the pty open for the child's lifetime.
    master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Console {
    pub fn spawn(journal: impl AsRef<std::ffi::OsStr>, operator: &str, args: &[&str]) -> Console {
        Console::spawn_with(journal, operator, args, "xterm-256color")
    }

    pub fn spawn_with(
        journal: impl AsRef<std::ffi::OsStr>,
        operator: &str,
        args: &[&str],
        term: &str,
    ) -> Console {
        Console::spawn_env(journal, operator, args, term, &[])
    }

    pub fn spawn_env(
        journal: impl AsRef<std::ffi::OsStr>,
        operator: &str,
        args: &[&str],
        term: &str,
        env: &[(&str, &str)],
    ) -> Console {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_runbook"));
        command.args(args);
        command.env("TERM", term);
        command.env("LANG", "C.UTF-8");
        command.env("RUNBOOK_JOURNAL", journal.as_ref());
        command.env("RUNBOOK_OPERATOR", operator);
        command.env("XDG_CONFIG_HOME", "/nonexistent-runbook-test-config");
        command.env_remove("RUNBOOK_CATALOG");
        command.env_remove("RUNBOOK_JOURNAL_KEY");
        command.env_remove("NO_COLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(24).unwrap(),
            std::num::NonZeroU16::new(80).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        let closing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = closing.clone();
        let reading = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Console {
            child,
            writer,
            parser,
            raw,
            closing,
            reading: Some(reading),
            master: pty.master,
        }
    }

    /// Closes the master side of the pty, as a dropped SSH connection does:
    /// every descriptor of it, so the child's terminal is really gone (it
    /// reads end of file, writes fail, and the kernel hangs it up). The
    /// reading thread lets go at its next read, which a running countdown
    /// brings within a second.
    pub fn close_terminal(&mut self) {
        self.closing
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.reading.take().unwrap().join().unwrap();
        self.writer = Box::new(std::io::sink());
        let (master, _) = native_pty_system()
            .openpty(PtySize::default())
            .map(|pair| (pair.master, pair.slave))
            .unwrap();
        drop(std::mem::replace(&mut self.master, master));
    }

    /// The console's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until `text` is on the screen; fails with the screen if it
    /// does not come within `limit`.
    pub fn wait_for_within(&self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!(
            "`{text}` did not appear within {limit:?}:\n{}",
            self.screen()
        );
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_for_within(text, Duration::from_secs(10));
    }

    /// Waits until every one of `texts` is on the screen at once: a frame
    /// can arrive in several reads, so one line seen says nothing of the
    /// others. Fails with the screen and the texts missing.
    pub fn wait_for_all(&self, texts: &[&str]) {
        let limit = Duration::from_secs(10);
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            let missing: Vec<&&str> = texts.iter().filter(|t| !screen.contains(**t)).collect();
            if missing.is_empty() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{missing:?} did not appear within {limit:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the process to end, at most `limit`; its exit code.
    pub fn exit_within(&mut self, limit: Duration) -> u32 {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.drain(deadline);
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        panic!(
            "the console did not exit within {limit:?}:\n{}",
            self.screen()
        );
    }

    /// Lets the reader take in what the process wrote before it ended
    /// (its last bytes, the terminal put back, may still be in the pty),
    /// until the pty reports its end or `deadline`.
    fn drain(&self, deadline: Instant) {
        while let Some(reading) = &self.reading {
            if reading.is_finished() || Instant::now() >= deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn signal(&self, name: &str) {
        let pid = self.child.process_id().unwrap().to_string();
        // The shell's own `kill`: no dependence on procps being installed.
        let status = std::process::Command::new("sh")
            .args(["-c", "kill -s \"$1\" \"$2\"", "sh", name, &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// The terminal was put back: the alternate screen left, the cursor shown.
    pub fn assert_restored(&self) {
        let raw = self.raw.lock().unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(
            text.contains("\x1b[?1049l"),
            "the alternate screen was not left"
        );
        assert!(
            text.rfind("\x1b[?25h") > text.rfind("\x1b[?25l"),
            "the cursor was left hidden"
        );
        assert!(!self.parser.lock().unwrap().screen().alternate_screen());
    }
}
