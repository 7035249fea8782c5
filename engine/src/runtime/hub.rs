//! What the workers of one runtime share: the global injector, the stealers
//! of every worker's deque, the sleep protocol, the parking lot, the
//! wall-clock timers, and the sink that routes completions to parked executions.

use super::job::Job;
use super::park::Parked;
use super::timer::Timers;
use crate::error::Failure;
use crate::handlers::{CompletionKey, CompletionSink};
use crossbeam_deque::{Injector, Stealer};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};

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

pub(crate) struct Shared {
    pub(crate) injector: Injector<Job>,
    pub(crate) stealers: Vec<Stealer<Job>>,
    pub(crate) sleepers: AtomicUsize,
    pub(crate) sleep_lock: Mutex<()>,
    pub(crate) wake: Condvar,
    pub(crate) parked: Parked,
    pub(crate) timers: Timers,
    pub(crate) clock: Clock,
    pub(crate) shutdown: AtomicBool,
    pub(crate) next_id: AtomicU64,
    pub(crate) sink: Arc<dyn CompletionSink>,
    /// Executions asked to stop ([`super::Runtime::abort`]), with the error
    /// and cause to end them with; `aborting` counts them so that the
    /// workers' check costs one load while there are none.
    aborts: Mutex<HashMap<u64, (String, String)>>,
    aborting: AtomicUsize,
}

impl Shared {
    /// The hub of a runtime with these workers' stealers.
    pub(crate) fn new(stealers: Vec<Stealer<Job>>, clock: Clock) -> Arc<Shared> {
        Arc::new_cyclic(|weak: &Weak<Shared>| Shared {
            injector: Injector::new(),
            stealers,
            sleepers: AtomicUsize::new(0),
            sleep_lock: Mutex::new(()),
            wake: Condvar::new(),
            parked: Parked::new(),
            timers: Timers::new(),
            clock,
            shutdown: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            sink: Arc::new(Sink(weak.clone())),
            aborts: Mutex::new(HashMap::new()),
            aborting: AtomicUsize::new(0),
        })
    }

    /// Asks execution `id` to stop with `error` and `cause`: a parked
    /// execution is queued at once; one queued or running stops the next
    /// time a worker takes it; one on a wall-clock timer when it wakes.
    pub(crate) fn abort(&self, id: u64, error: String, cause: String) {
        if let Ok(mut a) = self.aborts.lock() {
            if a.insert(id, (error, cause)).is_none() {
                self.aborting.fetch_add(1, Ordering::SeqCst);
            }
        }
        if let Some(task) = self.parked.take(id) {
            self.inject(Job::Run(task));
        }
    }

    /// The error and cause to stop execution `id` with, if it was asked to stop.
    pub(crate) fn take_abort(&self, id: u64) -> Option<(String, String)> {
        if self.aborting.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let taken = self.aborts.lock().ok()?.remove(&id);
        if taken.is_some() {
            self.aborting.fetch_sub(1, Ordering::SeqCst);
        }
        taken
    }

    /// Queues a job for any worker and wakes one if some sleep.
    pub(crate) fn inject(&self, job: Job) {
        self.injector.push(job);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _g = self.sleep_lock.lock();
            self.wake.notify_one();
        }
    }

    /// Stops the workers and the timer thread (they exit when idle).
    pub(crate) fn shut_down(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
        {
            let _g = self.sleep_lock.lock();
            self.wake.notify_all();
        }
        self.timers.stop();
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
