//! The work-stealing runtime's public face: [`Runtime`] (worker threads,
//! each with a deque; see `worker.rs`), its builder and clock, and handles
//! to started executions. See `README.md` beside this file for the protocol.

pub use super::hub::Clock;
use super::hub::Shared;
use super::job::{Job, Report, Start};
use super::machine::Machine;
use super::worker::{timer_loop, worker_loop};
use crate::handlers::{TaskTokens, TokenError};
use crate::vm::{self, Input, Outcome, RunOptions};
use crossbeam_channel as chan;
use crossbeam_deque::Worker;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::JoinHandle;

/// Configures a [`Runtime`].
#[derive(Debug, Clone, Default)]
pub struct RuntimeBuilder {
    threads: Option<usize>,
    clock: Clock,
}

impl RuntimeBuilder {
    /// Worker threads (default: the number of cores).
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = Some(n.max(1));
        self
    }
    /// The clock (default virtual).
    pub fn clock(mut self, c: Clock) -> Self {
        self.clock = c;
        self
    }
    /// Starts the workers.
    pub fn build(self) -> Runtime {
        let n = self
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let workers: Vec<Worker<Job>> = (0..n).map(|_| Worker::new_lifo()).collect();
        let stealers = workers.iter().map(Worker::stealer).collect();
        let shared = Shared::new(stealers, self.clock);
        let mut threads = Vec::with_capacity(n + 1);
        for (i, w) in workers.into_iter().enumerate() {
            let s = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name(format!("stampede-{i}"))
                .stack_size(8 << 20)
                .spawn(move || worker_loop(&s, &w, i));
            if let Ok(h) = spawned {
                threads.push(h);
            }
        }
        if self.clock == Clock::Wall {
            let s = Arc::clone(&shared);
            if let Ok(h) = std::thread::Builder::new()
                .name("stampede-timer".into())
                .spawn(move || timer_loop(&s))
            {
                threads.push(h);
            }
        }
        Runtime {
            shared,
            threads,
            workers: n,
        }
    }
}

/// Runs executions on a pool of worker threads with work stealing.
pub struct Runtime {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    workers: usize,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("workers", &self.workers)
            .field("clock", &self.shared.clock)
            .finish()
    }
}

/// A started execution: wait for or poll its outcome.
#[derive(Debug)]
pub struct ExecutionHandle {
    id: u64,
    rx: chan::Receiver<(u64, Outcome)>,
}

impl ExecutionHandle {
    /// The execution's id in its runtime.
    pub fn id(&self) -> u64 {
        self.id
    }
    /// Blocks until the execution ends.
    pub fn wait(self) -> Outcome {
        self.rx.recv().map_or_else(|_| lost(), |(_, o)| o)
    }
    /// The outcome if the execution has ended.
    pub fn try_wait(&self) -> Option<Outcome> {
        self.rx.try_recv().ok().map(|(_, o)| o)
    }
}

fn lost() -> Outcome {
    Outcome::failure(
        "States.Runtime",
        "the runtime stopped before the execution ended",
    )
}

impl Runtime {
    /// A runtime with one worker per core and the virtual clock.
    pub fn new() -> Runtime {
        RuntimeBuilder::default().build()
    }

    /// Configure threads and clock.
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Number of worker threads.
    pub fn threads(&self) -> usize {
        self.workers
    }

    /// Starts one execution; its input is parsed on a worker (a parse error
    /// becomes a failed outcome with `States.Runtime`).
    pub fn start(
        &self,
        machine: &Machine,
        input: impl Into<Input>,
        opts: &RunOptions,
    ) -> ExecutionHandle {
        let (tx, rx) = chan::bounded(1);
        let id = self.inject_start(machine, input.into(), opts, Report::Channel(tx));
        ExecutionHandle { id, rx }
    }

    /// Queues the start of one execution reporting to `report`; its id.
    fn inject_start(
        &self,
        machine: &Machine,
        input: Input,
        opts: &RunOptions,
        report: Report,
    ) -> u64 {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        self.shared.inject(Job::Start(Box::new(Start {
            id,
            index: id,
            core: Arc::clone(machine.core()),
            input,
            opts: opts.clone(),
            info: vm::machine_info(opts),
            report,
        })));
        id
    }

    /// Starts one execution like [`Runtime::start`] and calls `on_done` with
    /// its outcome, once, on the worker thread that ends it (so it must not
    /// block: send the outcome on, e.g. through a channel or a oneshot).
    /// Returns the execution's id, for [`Runtime::abort`].
    pub fn start_with(
        &self,
        machine: &Machine,
        input: impl Into<Input>,
        opts: &RunOptions,
        on_done: impl FnOnce(Outcome) + Send + 'static,
    ) -> u64 {
        self.inject_start(
            machine,
            input.into(),
            opts,
            Report::Callback(Box::new(on_done)),
        )
    }

    /// Stops execution `id` (StopExecution): it ends ABORTED with `error`
    /// and `cause` (empty: none) instead of going on. A parked execution
    /// (waiting on a task handler) stops at once; a queued or running one
    /// the next time a worker takes it up (within one fuel slice); one
    /// sleeping on a wall-clock timer (Wait, Retry interval) when the timer
    /// fires. Its outcome goes where its start said. An id that already
    /// ended is ignored (nothing is kept for it beyond a map entry).
    pub fn abort(&self, id: u64, error: &str, cause: &str) {
        self.shared.abort(id, error.to_owned(), cause.to_owned());
    }

    /// Executions waiting on a task handler's completion right now.
    pub fn parked(&self) -> usize {
        self.shared.parked.len()
    }

    /// The runtime's task tokens: a handle to give threads that complete
    /// `.waitForTaskToken` tasks (cheap to clone; it outlives nothing: once
    /// the runtime is dropped, sends reach no execution).
    pub fn task_tokens(&self) -> &TaskTokens {
        &self.shared.tokens
    }

    /// `SendTaskSuccess`: the task waiting on `token` succeeds with `output`.
    ///
    /// # Errors
    /// [`TokenError`]: not a token, no such task, or it no longer waits
    /// (completed, timed out, or its execution ended).
    pub fn send_task_success(
        &self,
        token: &str,
        output: serde_json::Value,
    ) -> Result<(), TokenError> {
        self.shared.tokens.send_task_success(token, output)
    }

    /// `SendTaskFailure`: the task waiting on `token` fails with `error` and `cause`.
    ///
    /// # Errors
    /// As [`Runtime::send_task_success`].
    pub fn send_task_failure(
        &self,
        token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), TokenError> {
        self.shared.tokens.send_task_failure(token, error, cause)
    }

    /// `SendTaskHeartbeat`: restarts the `HeartbeatSeconds` clock of the
    /// task waiting on `token` (enforced on the wall clock; on the virtual
    /// clock time does not pass while a task waits for its token).
    ///
    /// # Errors
    /// As [`Runtime::send_task_success`].
    pub fn send_task_heartbeat(&self, token: &str) -> Result<(), TokenError> {
        self.shared.tokens.send_task_heartbeat(token)
    }
}

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.shared.shut_down();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
