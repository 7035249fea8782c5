//! The simulation's event queue: events in time order, ties in the order
//! they were pushed.

use super::job::JobRef;
use super::queue::T;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// What happens at an event's time.
pub(crate) enum Ev {
    /// The next open-loop arrival.
    Arrive,
    /// A closed-loop slot starts its next execution.
    Slot,
    /// An execution starts now: it waited for a StartExecution token.
    Begin(JobRef),
    /// An execution's timer is due.
    Wake(JobRef),
}

/// An event with its time and push number (which orders ties).
struct Entry {
    t: T,
    n: u64,
    ev: Ev,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.t, self.n).cmp(&(o.t, o.n))
    }
}

/// A min-heap of `(time, push number, event)`.
#[derive(Default)]
pub(crate) struct Events {
    heap: BinaryHeap<Reverse<Entry>>,
    pushed: u64,
}

impl Events {
    /// Schedules `ev` at simulated time `t` (ms).
    pub(crate) fn push(&mut self, t: f64, ev: Ev) {
        self.pushed += 1;
        self.heap.push(Reverse(Entry {
            t: T(t),
            n: self.pushed,
            ev,
        }));
    }

    /// The earliest event and its time.
    pub(crate) fn pop(&mut self) -> Option<(f64, Ev)> {
        self.heap.pop().map(|Reverse(e)| (e.t.0, e.ev))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_order_then_push_order() {
        let mut e = Events::default();
        e.push(5.0, Ev::Slot);
        e.push(1.0, Ev::Arrive);
        e.push(5.0, Ev::Arrive);
        let got: Vec<(f64, bool)> = std::iter::from_fn(|| e.pop())
            .map(|(t, ev)| (t, matches!(ev, Ev::Slot)))
            .collect();
        assert_eq!(got, vec![(1.0, false), (5.0, true), (5.0, false)]);
    }
}
