//! The simulation's event queue: events in time order, ties in the order
//! they were pushed.

use super::queue::T;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What happens at an event's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ev {
    /// The next open-loop arrival.
    Arrive,
    /// A closed-loop slot starts its next execution.
    Slot,
    /// Execution `seq` starts now: it waited for a StartExecution token.
    Begin(u64),
    /// An execution's timer is due: (slot, generation).
    Wake(u32, u32),
}

/// A min-heap of `(time, push number, event)`.
#[derive(Debug, Default)]
pub(crate) struct Events {
    heap: BinaryHeap<Reverse<(T, u64, Ev)>>,
    pushed: u64,
}

impl Events {
    /// Schedules `ev` at simulated time `t` (ms).
    pub(crate) fn push(&mut self, t: f64, ev: Ev) {
        self.pushed += 1;
        self.heap.push(Reverse((T(t), self.pushed, ev)));
    }

    /// The earliest event and its time.
    pub(crate) fn pop(&mut self) -> Option<(f64, Ev)> {
        self.heap.pop().map(|Reverse((T(t), _, ev))| (t, ev))
    }
}
