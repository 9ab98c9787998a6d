//! A command's output copied to a writer as it comes, for a front end
//! that waits for the command (line mode, `runbook exec`), with the
//! signals such a front end answers while it waits.

use std::io::{self, Write};

/// Copies the output to `out` as it comes, until the command is done.
/// Ctrl-C and SIGTERM interrupt the command (its group is signalled,
/// escalating); a hang-up does not: the command goes on and its end is
/// recorded.
pub fn stream(
    running: super::process::Running,
    mut rx: tokio::sync::mpsc::Receiver<Vec<u8>>,
    out: &mut dyn Write,
) -> io::Result<super::process::Running> {
    use tokio::signal::unix::{SignalKind, signal};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        let mut hangup = signal(SignalKind::hangup())?;
        let mut out_gone = false;
        loop {
            tokio::select! {
                chunk = rx.recv() => match chunk {
                    Some(chunk) if !out_gone => {
                        let written = out.write_all(&chunk).and_then(|()| out.flush());
                        if let Err(e) = written {
                            tracing::warn!("standard output is gone ({e}): the command goes on, its output into its file");
                            out_gone = true;
                        }
                    }
                    Some(_) => {}
                    None => break,
                },
                _ = interrupt.recv() => running.interrupt(),
                _ = terminate.recv() => running.interrupt(),
                _ = hangup.recv() => {
                    out_gone = true;
                    tracing::warn!("hang-up: the command goes on; its end will be recorded");
                }
            }
        }
        Ok::<_, io::Error>(())
    })?;
    Ok(running)
}
