//! The workers of a parallel simulation: threads that run the slices the
//! event loop queued, ahead of it, each into its own statistics. A worker
//! takes a job only if nobody holds it and its slice is still due; the event
//! loop runs any slice no worker has taken when it needs it.
//!
//! The queue is lock-free (crossbeam's `Injector`): with a lock, a worker
//! descheduled while holding it would stall the event loop's next push.
//! Workers spin (then yield) rather than park while the run lasts: on a
//! busy machine a parked worker waits for the scheduler long after work
//! came back.

use super::handler::StateObserver;
use super::job::{JobRef, Runner};
use super::local::{self, Local};
use crate::vm::ObserverCell;
use crossbeam_deque::{Injector, Steal};
use crossbeam_utils::sync::{Parker, Unparker};
use crossbeam_utils::Backoff;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Empty looks at the queue (spinning, then yielding) before a worker parks.
const PARK_AFTER: u32 = 20_000;

/// Slices queued for the workers.
#[derive(Default)]
pub(crate) struct Queue {
    jobs: Injector<JobRef>,
    sleeping: AtomicUsize,
    done: AtomicBool,
    wake: Vec<Unparker>,
}

impl Queue {
    /// A queue for workers woken through `wake`.
    pub(crate) fn new(wake: Vec<Unparker>) -> Queue {
        Queue {
            wake,
            ..Queue::default()
        }
    }

    /// Queues a job whose slice is due (no-op without workers).
    pub(crate) fn push(&self, job: &JobRef) {
        if self.wake.is_empty() {
            return;
        }
        self.jobs.push(JobRef::clone(job));
        if self.sleeping.load(Ordering::Relaxed) > 0 {
            for u in &self.wake {
                u.unpark();
            }
        }
    }

    /// Tells the workers to stop.
    pub(crate) fn close(&self) {
        self.done.store(true, Ordering::Release);
        for u in &self.wake {
            u.unpark();
        }
    }
}

/// One worker: runs queued slices until the queue closes; returns its state.
pub(crate) fn work(q: &Queue, runner: &Runner<'_>, local: Local, parker: &Parker) -> Option<Local> {
    local::install(local);
    let obs: Box<ObserverCell> = Box::new(RefCell::new(StateObserver));
    let backoff = Backoff::new();
    let mut idle = 0u32;
    loop {
        match q.jobs.steal() {
            Steal::Retry => {}
            Steal::Success(job) => {
                if let Ok(mut g) = job.try_lock() {
                    if g.pending() {
                        runner.run(&mut g, &obs, None);
                    }
                }
                backoff.reset();
                idle = 0;
            }
            Steal::Empty => {
                if q.done.load(Ordering::Acquire) {
                    break;
                }
                idle += 1;
                if idle < PARK_AFTER {
                    // Stay runnable: on a busy machine a parked worker waits
                    // for the scheduler long after work came back.
                    backoff.snooze();
                    if backoff.is_completed() {
                        backoff.reset();
                    }
                    continue;
                }
                q.sleeping.fetch_add(1, Ordering::SeqCst);
                if q.jobs.is_empty() && !q.done.load(Ordering::SeqCst) {
                    parker.park_timeout(Duration::from_millis(1));
                }
                q.sleeping.fetch_sub(1, Ordering::SeqCst);
                idle = 0;
            }
        }
    }
    local::take()
}
