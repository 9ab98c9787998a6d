//! A step's command as a process: its own session and process group (so
//! a hang-up of the operator's terminal never reaches it, and a stop
//! reaches all it started), stdin closed, stdout and stderr into one pipe.
//! A supervisor thread reads the pipe, masks secrets, writes the output
//! file and hands each chunk on; it enforces the timeout and the
//! operator's interrupt by signals to the group, escalating after grace.

use std::io::{self, Read};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::output::Sink;
use super::plan::Plan;
use crate::run::command::{Outcome, Output, Stop};

/// How long a signal is given to work before the next, stronger one.
pub const GRACE: Duration = Duration::from_secs(5);
/// How long the pipe may stay open after the command exited (a child it
/// left behind holding it) before runbook stops reading.
const LINGER: Duration = Duration::from_secs(5);
/// Small enough that the console, feeding one chunk between two keys,
/// answers a key within a few milliseconds even while output streams.
const CHUNK: usize = 16 * 1024;

/// Where each masked chunk of output goes as it comes: the console's
/// pane, or standard output. The chunk is the buffer the pipe was read
/// into, handed on rather than copied.
pub type Tee = Box<dyn FnMut(Vec<u8>) + Send>;

/// How a command ended, as the supervisor saw it.
#[derive(Debug)]
pub struct Done {
    pub outcome: Outcome,
    pub duration_ms: u64,
    pub output: Output,
    /// Writing the output file failed: the journal says how it ended, the
    /// file is short.
    pub fault: Option<io::Error>,
    /// Why a database journal does not hold the output (the file does).
    pub unstored: Option<String>,
}

/// A running command.
#[derive(Debug)]
pub struct Running {
    interrupts: Arc<AtomicUsize>,
    supervisor: JoinHandle<Done>,
    pub started: Instant,
}

impl Running {
    /// The operator's Ctrl-C: SIGINT first; a second one skips the rest of
    /// the grace period to the next signal.
    pub fn interrupt(&self) {
        self.interrupts.fetch_add(1, Ordering::SeqCst);
    }

    pub fn is_finished(&self) -> bool {
        self.supervisor.is_finished()
    }

    /// Waits for the end: bounded by the timeout and the grace periods.
    pub fn wait(self) -> io::Result<Done> {
        self.supervisor
            .join()
            .map_err(|_| io::Error::other("the command's supervisor stopped unexpectedly"))
    }
}

enum Seen {
    Chunk(Vec<u8>),
    Eof,
    Exited(io::Result<ExitStatus>),
}

/// Starts `plan` with its output into `sink`; `tee` gets every masked
/// chunk as it comes (the pane, or standard output).
pub fn spawn(plan: &Plan, sink: Sink, grace: Duration, tee: Tee) -> io::Result<Running> {
    let (program, args) = plan
        .argv
        .split_first()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty command"))?;
    let (reader, writer) = io::pipe()?;
    let mut command = std::process::Command::new(program);
    command
        .args(args)
        .envs(plan.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(writer.try_clone()?)
        .stderr(writer);
    new_session(&mut command);
    let started = Instant::now();
    let child = command.spawn()?;
    // The pipe's write ends now belong to the child alone: EOF comes when
    // it (and whatever it started) is done with them.
    drop(command);
    let (tx, rx) = mpsc::sync_channel::<Seen>(16);
    let pid = i32::try_from(child.id()).unwrap_or(i32::MAX);
    spawn_reader(reader, tx.clone())?;
    spawn_waiter(child, tx)?;
    let interrupts = Arc::new(AtomicUsize::new(0));
    let watch = Supervisor {
        rx,
        pid,
        started,
        timeout: plan.timeout,
        grace,
        interrupts: Arc::clone(&interrupts),
        redactor: plan.redactor(),
        sink,
        tee,
    };
    let supervisor = std::thread::Builder::new()
        .name("runbook-exec".into())
        .spawn(move || watch.run())?;
    Ok(Running {
        interrupts,
        supervisor,
        started,
    })
}

#[allow(unsafe_code)]
fn new_session(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec and
    // calls only setsid(2), which is async-signal-safe and touches no
    // memory of the parent.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

fn spawn_reader(mut pipe: io::PipeReader, tx: SyncSender<Seen>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("runbook-exec-read".into())
        .spawn(move || {
            loop {
                // A buffer of its own for each read: it travels to the
                // pane as it is.
                let mut buf = vec![0; CHUNK];
                match pipe.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        if tx.send(Seen::Chunk(buf)).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = tx.send(Seen::Eof);
        })?;
    Ok(())
}

fn spawn_waiter(mut child: Child, tx: SyncSender<Seen>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("runbook-exec-wait".into())
        .spawn(move || {
            let _ = tx.send(Seen::Exited(child.wait()));
        })?;
    Ok(())
}

/// The next signal to send, and when.
#[derive(Debug, Clone, Copy)]
struct Escalation {
    next: i32,
    at: Instant,
}

struct Supervisor {
    rx: mpsc::Receiver<Seen>,
    pid: i32,
    started: Instant,
    timeout: Duration,
    grace: Duration,
    interrupts: Arc<AtomicUsize>,
    redactor: super::redact::Redactor,
    sink: Sink,
    tee: Tee,
}

impl Supervisor {
    fn run(mut self) -> Done {
        let mut outcome = Outcome::default();
        let mut escalation: Option<Escalation> = None;
        let mut seen_interrupts = 0;
        let mut exited: Option<Instant> = None;
        let mut eof = false;
        let mut finished_at = None;
        while !(eof && exited.is_some()) {
            let now = Instant::now();
            if exited.is_none() {
                self.stop_if_due(now, &mut outcome, &mut escalation, &mut seen_interrupts);
            } else if exited.is_some_and(|at| now.duration_since(at) > LINGER) {
                break;
            }
            match self.rx.recv_timeout(Duration::from_millis(50)) {
                Ok(Seen::Chunk(bytes)) => {
                    let masked = self.redactor.pass(bytes);
                    self.emit(masked);
                }
                Ok(Seen::Eof) => eof = true,
                Ok(Seen::Exited(status)) => {
                    finished_at = Some(Instant::now());
                    exited = Some(Instant::now());
                    match status {
                        Ok(status) => describe(status, &mut outcome),
                        Err(e) => tracing::error!("waiting for the command failed: {e}"),
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        let mut held = Vec::new();
        self.redactor.finish(&mut held);
        self.emit(held);
        let end = finished_at.unwrap_or_else(Instant::now);
        let duration_ms =
            u64::try_from(end.duration_since(self.started).as_millis()).unwrap_or(u64::MAX);
        let kept = self.sink.finish();
        Done {
            outcome,
            duration_ms,
            output: kept.output,
            fault: kept.fault,
            unstored: kept.unstored,
        }
    }

    fn emit(&mut self, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.sink.write(&bytes);
            (self.tee)(bytes);
        }
    }

    /// Starts or goes on stopping the command: the timeout, or the
    /// operator's interrupt, or the next signal of a stop under way.
    fn stop_if_due(
        &self,
        now: Instant,
        outcome: &mut Outcome,
        escalation: &mut Option<Escalation>,
        seen_interrupts: &mut usize,
    ) {
        let interrupts = self.interrupts.load(Ordering::SeqCst);
        let pressed = interrupts > *seen_interrupts;
        *seen_interrupts = interrupts;
        let first = match escalation {
            None if pressed => Some((Stop::Interrupted, libc::SIGINT)),
            None if now.duration_since(self.started) >= self.timeout => {
                Some((Stop::TimedOut, libc::SIGTERM))
            }
            _ => None,
        };
        let signal = if let Some((why, signal)) = first {
            outcome.stopped = Some(why);
            Some(signal)
        } else {
            match escalation {
                Some(e) if pressed || now >= e.at => Some(e.next),
                _ => None,
            }
        };
        let Some(signal) = signal else { return };
        self.signal_group(signal);
        outcome.sent.push(signal_name(signal));
        *escalation = match signal {
            libc::SIGINT => Some(Escalation {
                next: libc::SIGTERM,
                at: now + self.grace,
            }),
            libc::SIGTERM => Some(Escalation {
                next: libc::SIGKILL,
                at: now + self.grace,
            }),
            // After SIGKILL there is nothing stronger: wait for the exit.
            _ => Some(Escalation {
                next: libc::SIGKILL,
                at: now + Duration::from_secs(3600),
            }),
        };
    }

    #[allow(unsafe_code)]
    fn signal_group(&self, signal: i32) {
        // SAFETY: kill(2) with a negative pid signals the process group the
        // command leads (it called setsid); it reads no memory of ours.
        let sent = unsafe { libc::kill(-self.pid, signal) };
        if sent == -1 {
            tracing::warn!(
                "signalling the command's group: {}",
                io::Error::last_os_error()
            );
        }
    }
}

fn describe(status: ExitStatus, outcome: &mut Outcome) {
    use std::os::unix::process::ExitStatusExt;
    outcome.exit = status.code();
    outcome.signal = status.signal().map(signal_name);
}

const SIGNALS: &[(i32, &str)] = &[
    (libc::SIGHUP, "SIGHUP"),
    (libc::SIGINT, "SIGINT"),
    (libc::SIGQUIT, "SIGQUIT"),
    (libc::SIGILL, "SIGILL"),
    (libc::SIGABRT, "SIGABRT"),
    (libc::SIGBUS, "SIGBUS"),
    (libc::SIGFPE, "SIGFPE"),
    (libc::SIGKILL, "SIGKILL"),
    (libc::SIGUSR1, "SIGUSR1"),
    (libc::SIGSEGV, "SIGSEGV"),
    (libc::SIGUSR2, "SIGUSR2"),
    (libc::SIGPIPE, "SIGPIPE"),
    (libc::SIGALRM, "SIGALRM"),
    (libc::SIGTERM, "SIGTERM"),
];

/// A signal's name, as an operator knows it.
pub fn signal_name(signal: i32) -> String {
    SIGNALS.iter().find(|(n, _)| *n == signal).map_or_else(
        || format!("signal {signal}"),
        |(_, name)| (*name).to_owned(),
    )
}

/// A signal's number, from its name.
pub fn signal_number(name: &str) -> Option<i32> {
    SIGNALS
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(number, _)| *number)
        .or_else(|| name.strip_prefix("signal ")?.parse().ok())
}
