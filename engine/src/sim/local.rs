//! What one thread of a simulation keeps while it runs slices of
//! executions: its own statistics (merged at the end; every statistic merges
//! exactly, see `report/stats.rs`), the task stream of the execution it is
//! running, its own input generator, and, on the driver's thread only, the
//! resources' limits (so only that thread decides a call that shares them).
//!
//! It is a thread-local because the VM calls the Task handler and the
//! observer through shared objects (`Arc<dyn TaskHandler>`), and each thread
//! must reach its own state from there without a lock.

use super::queue::Limits;
use super::rng::Rng;
use super::InputGen;
use crate::report::SimStats;
use std::cell::RefCell;

/// One thread's state in a simulation.
pub(crate) struct Local {
    /// Statistics this thread recorded.
    pub(crate) stats: SimStats,
    /// The task stream of the execution this thread runs now.
    pub(crate) rng: Rng,
    /// The inputs of the executions this thread starts.
    pub(crate) inputs: InputGen,
    /// The resources' limits: only on the driver's thread (`Some`).
    pub(crate) limits: Option<Vec<Limits>>,
    /// Busy periods `(resource, start, service ms)` of calls to resources
    /// without limits, from a worker's slice (the driver adds them to the
    /// resource's concurrency record when it takes the slice).
    pub(crate) busy: Vec<(u32, f64, f64)>,
    /// A call needed the limits this thread does not have: the slice stopped before it.
    pub(crate) blocked: bool,
    /// Per map of the program: its index among the Distributed Maps the
    /// statistics declared (`None`: an inline Map).
    pub(crate) dmaps: std::sync::Arc<[Option<usize>]>,
}

impl Local {
    /// The statistics' index of the program's map `map`, when it is distributed.
    pub(crate) fn dmap(&self, map: crate::bytecode::MapId) -> Option<usize> {
        self.dmaps.get(map.idx()).copied().flatten()
    }
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Gives this thread its state for a simulation (replacing any left over).
pub(crate) fn install(local: Local) {
    LOCAL.with(|l| *l.borrow_mut() = Some(local));
}

/// Takes this thread's state back at the end of a simulation.
pub(crate) fn take() -> Option<Local> {
    LOCAL.with(|l| l.borrow_mut().take())
}

/// Runs `f` on this thread's state; `None` when the thread is not running a
/// simulation (a handler called from elsewhere).
pub(crate) fn with<R>(f: impl FnOnce(&mut Local) -> R) -> Option<R> {
    LOCAL.with(|l| l.borrow_mut().as_mut().map(f))
}
