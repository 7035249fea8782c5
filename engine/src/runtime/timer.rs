//! Wall-clock timers: a heap of sleeping executions and the thread that
//! hands each back to the workers when its time comes.

use super::job::Task;
use crate::vm::now_ms;
use std::cmp::Ordering as Ord;
use std::collections::BinaryHeap;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

struct Entry {
    at: i64,
    seq: u64,
    task: Box<Task>,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ord> {
        Some(self.cmp(o))
    }
}
impl std::cmp::Ord for Entry {
    fn cmp(&self, o: &Self) -> Ord {
        // Earliest first in a max-heap.
        (o.at, o.seq).cmp(&(self.at, self.seq))
    }
}

#[derive(Default)]
struct State {
    heap: BinaryHeap<Entry>,
    seq: u64,
    stopped: bool,
}

pub(crate) struct Timers {
    state: Mutex<State>,
    cv: Condvar,
}

impl Timers {
    pub(crate) fn new() -> Timers {
        Timers {
            state: Mutex::new(State::default()),
            cv: Condvar::new(),
        }
    }

    /// Sleeps `task` until `at` (ms since the epoch).
    pub(crate) fn add(&self, at: i64, task: Box<Task>) {
        let mut s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.seq += 1;
        let seq = s.seq;
        s.heap.push(Entry { at, seq, task });
        self.cv.notify_one();
    }

    pub(crate) fn stop(&self) {
        let mut s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.stopped = true;
        self.cv.notify_all();
    }
}

impl Timers {
    /// The timer thread's loop: hands each task whose time has come (wall
    /// clock) to `due`, and calls `tick` with the time (it answers its own
    /// next deadline), until [`Timers::stop`].
    pub(crate) fn run(
        &self,
        mut due: impl FnMut(Box<Task>),
        mut tick: impl FnMut(i64) -> Option<i64>,
    ) {
        let mut s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loop {
            if s.stopped {
                return;
            }
            let now = now_ms();
            while s.heap.peek().is_some_and(|e| e.at <= now) {
                if let Some(e) = s.heap.pop() {
                    due(e.task);
                }
            }
            let next = match (s.heap.peek().map(|e| e.at), tick(now)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let wait = next.map_or(Duration::from_millis(100), |at| {
                Duration::from_millis((at - now).clamp(1, 100) as u64)
            });
            s = match self.cv.wait_timeout(s, wait) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
    }
}
