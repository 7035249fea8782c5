//! The work-stealing runtime: worker threads, each with a deque, a global
//! injector, random-victim stealing, parking of executions that wait on a
//! task handler, and (wall clock) a timer thread. The unit of work is a
//! whole execution; see `README.md` beside this file for why.

use super::park::Parked;
use super::prepare;
use super::task::{flush_outbox, BatchSink, Chunk, Job, Report, Start};
use super::timer::Timers;
use super::{Input, MachineCore, Outcome, RunOptions};
use crate::error::Failure;
use crate::handlers::{CompletionKey, CompletionSink};
use crate::vm::MachineInfo;
use crossbeam_channel as chan;
use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

/// Which clock executions run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// Each execution's time jumps to its next timer when it has nothing to
    /// run: a one-day Wait costs nothing, and results do not depend on
    /// threads or load (deterministic).
    #[default]
    Virtual,
    /// Real time: Waits and retry delays sleep (on a timer thread, not a worker).
    Wall,
}

/// Something that can be run: a compiled machine.
pub trait Runnable {
    /// The compiled program and its handlers.
    fn core(&self) -> &Arc<MachineCore>;
}

impl Runnable for Arc<MachineCore> {
    fn core(&self) -> &Arc<MachineCore> {
        self
    }
}

pub(crate) struct Shared {
    pub(crate) injector: Injector<Job>,
    stealers: Vec<Stealer<Job>>,
    sleepers: AtomicUsize,
    sleep_lock: Mutex<()>,
    wake: Condvar,
    pub(crate) parked: Parked,
    pub(crate) timers: Timers,
    pub(crate) clock: Clock,
    shutdown: AtomicBool,
    next_id: AtomicU64,
    pub(crate) sink: Arc<dyn CompletionSink>,
}

impl Shared {
    /// Queues a job for any worker and wakes one if some sleep.
    pub(crate) fn inject(&self, job: Job) {
        self.injector.push(job);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _g = self.sleep_lock.lock();
            self.wake.notify_one();
        }
    }
}

/// Routes completions from any thread to the parked execution.
struct Sink(Weak<Shared>);

impl CompletionSink for Sink {
    fn complete(&self, key: CompletionKey, result: Result<serde_json::Value, Failure>) {
        if let Some(shared) = self.0.upgrade() {
            if let Some(task) = shared.parked.complete(key, result) {
                shared.inject(Job::Run(task));
            }
        }
    }
}

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
        let shared = Arc::new_cyclic(|weak: &Weak<Shared>| Shared {
            injector: Injector::new(),
            stealers,
            sleepers: AtomicUsize::new(0),
            sleep_lock: Mutex::new(()),
            wake: Condvar::new(),
            parked: Parked::new(),
            timers: Timers::new(),
            clock: self.clock,
            shutdown: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            sink: Arc::new(Sink(weak.clone())),
        });
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
                .spawn(move || super::timer::timer_loop(&s))
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

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            run: RunOptions::default(),
            max_in_flight: 65_536,
            chunk: 16,
        }
    }
}

/// The per-execution seed of execution `index` in a batch seeded with `seed`.
pub fn batch_seed(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
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

    /// Number of worker threads.
    pub fn threads(&self) -> usize {
        self.workers
    }

    /// Starts one execution; its input is parsed on a worker (a parse error
    /// becomes a failed outcome with `States.Runtime`).
    pub fn start(
        &self,
        machine: &impl Runnable,
        input: impl Into<Input>,
        opts: &RunOptions,
    ) -> ExecutionHandle {
        let (tx, rx) = chan::bounded(1);
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let info = prepare::machine_info(opts);
        self.shared.inject(Job::Start(Box::new(Start {
            id,
            index: id,
            core: Arc::clone(machine.core()),
            input: input.into(),
            opts: opts.clone(),
            info,
            report: Report::Channel(tx),
        })));
        ExecutionHandle { id, rx }
    }

    /// Runs one execution per input, calling `on_outcome(index, outcome)` on
    /// this thread as each ends (in any order). Returns how many ran.
    ///
    /// A feeder thread pulls the inputs (the iterator may block: an arrival
    /// process) and hands them to the workers in chunks, keeping at most
    /// `max_in_flight` executions started and not yet reported; it parks when
    /// that many are out. This thread receives the outcomes, bundled per worker.
    pub fn run_batch<I, F>(
        &self,
        machine: &impl Runnable,
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
        let info = prepare::machine_info(&opts.run);
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
                            .shared
                            .next_id
                            .fetch_add(room as u64, Ordering::Relaxed);
                        for k in 0..room {
                            match iter.next() {
                                Some(input) => {
                                    items.push((first_id + k as u64, next_index, input.into()));
                                    next_index += 1;
                                }
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
                            self.shared.inject(Job::Chunk(Box::new(Chunk {
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

    /// Executions waiting on a task handler's completion right now.
    pub fn parked(&self) -> usize {
        self.shared.parked.len()
    }
}

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        {
            let _g = self.shared.sleep_lock.lock();
            self.shared.wake.notify_all();
        }
        self.shared.timers.stop();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn find_job(shared: &Shared, local: &Worker<Job>, me: usize, rng: &mut u64) -> Option<Job> {
    if let Some(j) = local.pop() {
        return Some(j);
    }
    loop {
        let mut retry = false;
        match shared.injector.steal_batch_and_pop(local) {
            Steal::Success(j) => return Some(j),
            Steal::Retry => retry = true,
            Steal::Empty => {}
        }
        let n = shared.stealers.len();
        if n > 1 {
            *rng ^= *rng << 13;
            *rng ^= *rng >> 7;
            *rng ^= *rng << 17;
            let start = (*rng as usize) % n;
            for k in 0..n {
                let v = (start + k) % n;
                if v == me {
                    continue;
                }
                match shared.stealers[v].steal_batch_and_pop(local) {
                    Steal::Success(j) => return Some(j),
                    Steal::Retry => retry = true,
                    Steal::Empty => {}
                }
            }
        }
        if !retry {
            return None;
        }
    }
}

fn worker_loop(shared: &Arc<Shared>, local: &Worker<Job>, me: usize) {
    let mut rng = 0x2545_F491_4F6C_DD1D ^ (me as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    loop {
        match find_job(shared, local, me, &mut rng) {
            Some(job) => super::task::run_job(shared, local, job),
            None => {
                flush_outbox();
                if shared.shutdown.load(Ordering::SeqCst) {
                    return;
                }
                // Sleep protocol: announce, re-check, then wait (bounded, as a safety net).
                shared.sleepers.fetch_add(1, Ordering::SeqCst);
                if let Ok(g) = shared.sleep_lock.lock() {
                    if shared.injector.is_empty() && !shared.shutdown.load(Ordering::SeqCst) {
                        let _ = shared.wake.wait_timeout(g, Duration::from_millis(10));
                    }
                }
                shared.sleepers.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// Shared machine facts for one set of options.
pub(crate) type Info = Arc<MachineInfo>;
