//! The rules judged beside the chain, on threads of their own: runs are
//! independent, so each run's lines go to one judge of several (by a hash
//! of the run's id) and the judges work side by side while the chain and
//! the signatures are checked on the caller's thread. Lines outside any
//! run (a published policy, a settlement, a post-mortem) go to every
//! judge, which each keep what concerns them. Lines travel in batches,
//! through bounded channels: memory stays bounded whatever the length.

use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use super::{Fault, Judge, Problem, Stamped};

const BATCH: usize = 1024;

/// Lines in one buffer: a batch costs a few allocations, not one a line.
#[derive(Debug, Default)]
struct Batch {
    bytes: Vec<u8>,
    /// (line number, end of its bytes, the server's stamp).
    lines: Vec<(u64, usize, Option<Stamped>)>,
}

impl Batch {
    fn push(&mut self, line: u64, bytes: &[u8], stamped: Option<Stamped>) {
        self.bytes.extend_from_slice(bytes);
        self.lines.push((line, self.bytes.len(), stamped));
    }

    fn each(&self, mut line: impl FnMut(u64, &[u8], Option<Stamped>)) {
        let mut start = 0;
        for &(number, end, stamped) in &self.lines {
            line(number, &self.bytes[start..end], stamped);
            start = end;
        }
    }
}

#[derive(Debug)]
struct Shard {
    batch: Batch,
    send: SyncSender<Batch>,
    thread: JoinHandle<Vec<Problem>>,
}

#[derive(Debug)]
pub(super) struct Judging {
    shards: Vec<Shard>,
}

/// Which of `count` judges judges run `run`: the same for every line of it.
pub fn shard_of(run: &str, count: usize) -> usize {
    use std::hash::Hasher as _;
    // FNV-1a: the same in every process, unlike the std hasher's keys.
    let mut hasher = crate::keyed::Fnv::default();
    hasher.write(run.as_bytes());
    usize::try_from(hasher.finish() % count.max(1) as u64).unwrap_or(0)
}

impl Judging {
    pub(super) fn start(judges: Vec<Box<dyn Judge>>) -> Self {
        let count = judges.len();
        let shards = judges
            .into_iter()
            .enumerate()
            .map(|(index, mut judge)| {
                judge.shard(index, count);
                let (send, batches) = sync_channel::<Batch>(4);
                let thread = std::thread::spawn(move || {
                    let mut problems = Vec::new();
                    for batch in batches {
                        batch.each(|line, bytes, stamped| {
                            let faults = judge.judge(bytes, stamped);
                            problems
                                .extend(faults.into_iter().map(|fault| Problem { line, fault }));
                        });
                    }
                    problems
                });
                Shard {
                    batch: Batch::default(),
                    send,
                    thread,
                }
            })
            .collect();
        Judging { shards }
    }

    /// A line whose chain holds, for the judge of its run (every judge,
    /// for a line outside any run).
    pub(super) fn give(
        &mut self,
        line: u64,
        bytes: &[u8],
        stamped: Option<Stamped>,
        run: Option<&str>,
    ) {
        let count = self.shards.len();
        match run {
            Some(run) => {
                let shard = &mut self.shards[shard_of(run, count)];
                shard.batch.push(line, bytes, stamped);
                shard.send_when_full();
            }
            None => {
                for shard in &mut self.shards {
                    shard.batch.push(line, bytes, stamped);
                    shard.send_when_full();
                }
            }
        }
    }

    pub(super) fn finish(self) -> Vec<Problem> {
        let mut problems = Vec::new();
        for Shard {
            batch,
            send,
            thread,
        } in self.shards
        {
            let _ = send.send(batch);
            drop(send);
            problems.extend(thread.join().unwrap_or_else(|_| {
                vec![Problem {
                    line: 0,
                    fault: Fault::Unreadable {
                        detail: "the rules' judge stopped before the journal's end".to_owned(),
                    },
                }]
            }));
        }
        problems
    }
}

impl Shard {
    fn send_when_full(&mut self) {
        if self.batch.lines.len() >= BATCH {
            let batch = std::mem::take(&mut self.batch);
            // A judge that stopped says so when it is joined.
            let _ = self.send.send(batch);
        }
    }
}
