//! The units of work the runtime queues: start an execution, start a chunk
//! of a batch, or run one on; and where each outcome goes.

use crate::error::Failure;
use crate::handlers::CompletionKey;
use crate::vm::{Execution, Input, MachineCore, MachineInfo, Outcome, RunOptions};
use crossbeam_channel::Sender;
use std::sync::Arc;

/// Where an outcome goes.
pub(crate) enum Report {
    /// To a channel at once, tagged with the execution's index (single starts).
    Channel(Sender<(u64, Outcome)>),
    /// To a batch's channel, gathered per worker (fewer wake-ups of the receiver).
    Batch(Arc<BatchSink>),
    /// To a callback, called once on the worker that ends the execution
    /// ([`super::Runtime::start_with`]).
    Callback(OnDone),
}

/// The callback of [`Report::Callback`].
pub(crate) type OnDone = Box<dyn FnOnce(Outcome) + Send>;

/// The receiving end of one batch, shared by its executions.
pub(crate) struct BatchSink {
    pub(crate) tx: Sender<Vec<(u64, Outcome)>>,
}

/// Outcomes a worker gathers before sending them as one message.
const OUTBOX_BATCH: usize = 64;

/// Outcomes held for each batch a worker served lately.
type Outbox = Vec<(Arc<BatchSink>, Vec<(u64, Outcome)>)>;

thread_local! {
    static OUTBOX: std::cell::RefCell<Outbox> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Report {
    pub(crate) fn send(self, index: u64, outcome: Outcome) {
        match self {
            Report::Callback(f) => f(outcome),
            // A receiver that went away no longer wants the outcome.
            Report::Channel(tx) => {
                let _ = tx.send((index, outcome));
            }
            Report::Batch(sink) => OUTBOX.with(|o| {
                let mut o = o.borrow_mut();
                let slot = match o.iter().position(|(s, _)| Arc::ptr_eq(s, &sink)) {
                    Some(i) => i,
                    None => {
                        o.push((sink, Vec::with_capacity(OUTBOX_BATCH)));
                        o.len() - 1
                    }
                };
                o[slot].1.push((index, outcome));
                if o[slot].1.len() >= OUTBOX_BATCH {
                    let (sink, batch) = o.swap_remove(slot);
                    let _ = sink.tx.send(batch);
                }
            }),
        }
    }
}

/// Sends every outcome this worker still holds (before it sleeps or exits).
pub(crate) fn flush_outbox() {
    let pending = OUTBOX.with(|o| std::mem::take(&mut *o.borrow_mut()));
    for (sink, batch) in pending {
        let _ = sink.tx.send(batch);
    }
}

/// An execution not started yet: its input is parsed on the worker that takes it.
pub(crate) struct Start {
    pub(crate) id: u64,
    pub(crate) index: u64,
    pub(crate) core: Arc<MachineCore>,
    pub(crate) input: Input,
    pub(crate) opts: RunOptions,
    pub(crate) info: Arc<MachineInfo>,
    pub(crate) report: Report,
}

/// Completions delivered to a parked task, in arrival order.
pub(crate) type Inbox = Vec<(CompletionKey, Result<serde_json::Value, Failure>)>;

/// A running execution with what it needs to go on.
pub(crate) struct Task {
    pub(crate) exec: Execution,
    pub(crate) core: Arc<MachineCore>,
    pub(crate) index: u64,
    /// The execution's clock (virtual: its own; wall: refreshed on each run).
    pub(crate) now_ms: i64,
    /// Completions that arrived while it was parked (boxed: most tasks
    /// have none, and a parked task should stay small).
    pub(crate) inbox: Option<Box<Inbox>>,
    pub(crate) report: Report,
    /// When a worker first took it.
    pub(crate) started: std::time::Instant,
    /// It has waited on a deferred handler (completions may still come for it).
    pub(crate) deferred: bool,
}

/// Executions of one batch started together: one queue operation and one
/// allocation for several executions.
pub(crate) struct Chunk {
    pub(crate) core: Arc<MachineCore>,
    pub(crate) opts: RunOptions,
    pub(crate) info: Arc<MachineInfo>,
    pub(crate) sink: Arc<BatchSink>,
    /// The first item's execution id and index in the batch; item `k` has
    /// `first_id + k` and `first_index + k`, and execution `index` is
    /// seeded with `batch_seed(opts.seed, index)`.
    pub(crate) first_id: u64,
    pub(crate) first_index: u64,
    /// The inputs, in order (only they, so a batch queued far ahead of
    /// its workers holds little).
    pub(crate) items: Vec<Input>,
}

/// What the runtime queues.
pub(crate) enum Job {
    Start(Box<Start>),
    Chunk(Box<Chunk>),
    Run(Box<Task>),
}

/// The per-execution seed of execution `index` in a batch seeded with `seed`.
pub(crate) fn batch_seed(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod size_tests {
    /// What a parked execution's task costs, pinned so that growth is a
    /// decision (`stampede-loadgen parked` measures the whole).
    #[test]
    fn a_parked_task_fits_a_320_byte_block() {
        let task = std::mem::size_of::<super::Task>();
        assert!(task <= 320, "Task is {task} bytes");
    }
}
