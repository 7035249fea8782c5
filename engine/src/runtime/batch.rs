//! Batches: one execution per input, fed to the workers in chunks by a
//! feeder thread with backpressure, outcomes received on the caller's thread.

use super::job::{batch_seed, BatchSink, Chunk, Job};
use super::machine::Machine;
use super::pool::Runtime;
use crate::vm::{self, Input, Outcome, RunOptions};
use crossbeam_channel as chan;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Options of a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Options for every execution; execution `i` gets the seed `mix(seed, i)`.
    pub run: RunOptions,
    /// Most executions started and not yet reported (backpressure); 0 = unlimited.
    pub max_in_flight: usize,
    /// Executions queued together (default 16). Use 1 when the input
    /// iterator blocks (an arrival process, or a gate that waits for earlier
    /// outcomes): a chunk is queued only when full, or when the iterator was
    /// slow (over 100 µs) to give its last item.
    pub chunk: usize,
}

impl BatchOptions {
    /// The seed execution `index` of the batch runs with (derived from
    /// `run.seed` and `index`): running it alone with this seed gives the
    /// same outcome.
    pub fn seed_of(&self, index: u64) -> u64 {
        batch_seed(self.run.seed, index)
    }
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            run: RunOptions::default(),
            max_in_flight: 65_536,
            chunk: 16,
        }
    }
}

impl Runtime {
    /// Runs one execution per input, calling `on_outcome(index, outcome)` on
    /// this thread as each ends (in any order). Returns how many ran.
    ///
    /// A feeder thread pulls the inputs (the iterator may block: an arrival
    /// process) and hands them to the workers in chunks, keeping at most
    /// `max_in_flight` executions started and not yet reported; it parks when
    /// that many are out. This thread receives the outcomes, bundled per worker.
    pub fn run_batch<I, F>(
        &self,
        machine: &Machine,
        inputs: I,
        opts: &BatchOptions,
        mut on_outcome: F,
    ) -> u64
    where
        I: IntoIterator,
        I::Item: Into<Input>,
        I::IntoIter: Send,
        F: FnMut(u64, Outcome),
    {
        let chunk = opts.chunk.max(1);
        let (tx, rx) = chan::unbounded::<Vec<(u64, Outcome)>>();
        let sink = Arc::new(BatchSink { tx });
        let info = vm::machine_info(&opts.run);
        let core = machine.core();
        let max = if opts.max_in_flight == 0 {
            usize::MAX
        } else {
            opts.max_in_flight.max(1)
        };
        let in_flight = AtomicUsize::new(0);
        let submitted = AtomicU64::new(0);
        let done_feeding = AtomicBool::new(false);
        let feeder_waiting = AtomicBool::new(false);
        let mut received = 0u64;
        std::thread::scope(|scope| {
            let feeder = {
                let (in_flight, submitted, done, waiting, info) = (
                    &in_flight,
                    &submitted,
                    &done_feeding,
                    &feeder_waiting,
                    &info,
                );
                let sink = Arc::clone(&sink);
                let mut iter = inputs.into_iter();
                scope.spawn(move || {
                    let mut next_index = 0u64;
                    'feed: loop {
                        while in_flight.load(Ordering::SeqCst) >= max {
                            waiting.store(true, Ordering::SeqCst);
                            if in_flight.load(Ordering::SeqCst) >= max {
                                std::thread::park_timeout(Duration::from_millis(5));
                            }
                            waiting.store(false, Ordering::SeqCst);
                        }
                        let room = (max - in_flight.load(Ordering::SeqCst)).clamp(1, chunk);
                        let mut items = Vec::with_capacity(room);
                        let mut exhausted = false;
                        let began = std::time::Instant::now();
                        // Execution ids for the whole chunk at once (unused ones are skipped).
                        let first_id = self
                            .shared()
                            .next_id
                            .fetch_add(room as u64, Ordering::Relaxed);
                        for _ in 0..room {
                            match iter.next() {
                                Some(input) => items.push(input.into()),
                                None => {
                                    exhausted = true;
                                    break;
                                }
                            }
                            // An iterator that blocks (an arrival process) must not hold
                            // back the executions it already let in.
                            if began.elapsed() > Duration::from_micros(100) {
                                break;
                            }
                        }
                        if !items.is_empty() {
                            in_flight.fetch_add(items.len(), Ordering::SeqCst);
                            submitted.fetch_add(items.len() as u64, Ordering::SeqCst);
                            let first_index = next_index;
                            next_index += items.len() as u64;
                            self.shared().inject(Job::Chunk(Box::new(Chunk {
                                first_id,
                                first_index,
                                core: Arc::clone(core),
                                opts: opts.run.clone(),
                                info: Arc::clone(info),
                                sink: Arc::clone(&sink),
                                items,
                            })));
                        }
                        if exhausted {
                            break 'feed;
                        }
                    }
                    done.store(true, Ordering::SeqCst);
                })
            };
            drop(sink);
            loop {
                if done_feeding.load(Ordering::SeqCst)
                    && received == submitted.load(Ordering::SeqCst)
                {
                    break;
                }
                match rx.recv_timeout(Duration::from_millis(20)) {
                    Ok(batch) => {
                        received += batch.len() as u64;
                        in_flight.fetch_sub(batch.len(), Ordering::SeqCst);
                        if feeder_waiting.load(Ordering::SeqCst) {
                            feeder.thread().unpark();
                        }
                        for (index, outcome) in batch {
                            on_outcome(index, outcome);
                        }
                    }
                    Err(chan::RecvTimeoutError::Timeout) => {}
                    Err(chan::RecvTimeoutError::Disconnected) => break,
                }
            }
            let _ = feeder.join();
        });
        received
    }
}
