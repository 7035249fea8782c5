//! When a simulated resource can start a request: `c` servers taken in
//! FIFO order and an optional rate limit, decided at arrival.
//!
//! The simulation calls resources in non-decreasing virtual time, and each
//! request's service time is sampled when it arrives, so the FIFO start time
//! of a `c`-server queue is known at once (the Kiefer–Wolfowitz recursion:
//! start = max(arrival, earliest time a server frees)). A request therefore
//! becomes a delayed reply, and the busy periods it causes are recorded as
//! future +1/−1 changes, replayed in time order for the statistics.

use super::quota::BucketState;
use super::resource::OnLimit;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// A virtual time in ms, ordered totally (NaN never occurs: inputs are finite).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct T(pub(crate) f64);

impl Eq for T {}
impl PartialOrd for T {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for T {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// The verdict for one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Admit {
    /// Service starts after waiting `wait_ms`.
    Start { wait_ms: f64 },
    /// Refused at once (throttled).
    Throttled,
    /// Gave up after waiting `after_ms` in the queue.
    TimedOut { after_ms: f64 },
}

/// The limits and state of one resource.
#[derive(Debug)]
pub(crate) struct Limits {
    /// Earliest free time of each server (when there is a concurrency limit).
    free_at: Option<BinaryHeap<Reverse<T>>>,
    capacity: Option<u32>,
    /// Starts per second (`max_rate_per_s`, with its burst).
    rate: Option<BucketState>,
    on_limit: OnLimit,
    /// Future changes of the number of requests in service: (time, +1 / −1).
    changes: BinaryHeap<Reverse<(T, i8)>>,
    in_use: u32,
}

impl Limits {
    /// A resource with at most `capacity` requests in service and a token
    /// bucket on starts (each optional).
    pub(crate) fn new(
        capacity: Option<u32>,
        rate: Option<BucketState>,
        on_limit: OnLimit,
    ) -> Limits {
        Limits {
            free_at: capacity.map(|c| {
                (0..c.max(1))
                    .map(|_| Reverse(T(f64::NEG_INFINITY)))
                    .collect()
            }),
            capacity,
            rate,
            on_limit,
            changes: BinaryHeap::new(),
            in_use: 0,
        }
    }

    /// Decides a request arriving at `now` that needs `service_ms` once started.
    pub(crate) fn admit(&mut self, now: f64, service_ms: f64) -> Admit {
        let server_free = self
            .free_at
            .as_ref()
            .and_then(|h| h.peek())
            .map_or(f64::NEG_INFINITY, |r| r.0 .0);
        let start = match self.on_limit {
            OnLimit::Throttle => {
                if server_free > now || self.rate.as_mut().is_some_and(|b| !b.try_take(now)) {
                    return Admit::Throttled;
                }
                now
            }
            OnLimit::Queue { max_queue_ms } => {
                let ready = now.max(server_free);
                // FIFO: the token is reserved in arrival order (a request that
                // then gives up in the queue still used its turn: a client's retry would too).
                let start = match self.rate.as_mut() {
                    Some(b) => b.take_at(ready),
                    None => ready,
                };
                if let Some(m) = max_queue_ms {
                    if start - now > m {
                        return Admit::TimedOut { after_ms: m };
                    }
                }
                start
            }
        };
        let wait = start - now;
        if let Some(h) = self.free_at.as_mut() {
            h.pop();
            h.push(Reverse(T(start + service_ms)));
        }
        self.changes.push(Reverse((T(start), 1)));
        self.changes.push(Reverse((T(start + service_ms), -1)));
        Admit::Start { wait_ms: wait }
    }

    /// Records a call served with no limit from `start` for `service_ms`
    /// (what [`Limits::admit`] records for it when it has no limits).
    pub(crate) fn add_busy(&mut self, start: f64, service_ms: f64) {
        self.changes.push(Reverse((T(start), 1)));
        self.changes.push(Reverse((T(start + service_ms), -1)));
    }

    /// Replays, in time order, the changes up to `upto`: `f(time, in_use)` after each.
    pub(crate) fn replay(&mut self, upto: f64, mut f: impl FnMut(f64, u32)) {
        while let Some(&Reverse((T(t), d))) = self.changes.peek() {
            if t > upto {
                break;
            }
            self.changes.pop();
            self.in_use = if d > 0 {
                self.in_use + 1
            } else {
                self.in_use.saturating_sub(1)
            };
            f(t, self.in_use);
        }
    }

    /// The concurrency limit, if any.
    pub(crate) fn capacity(&self) -> Option<u32> {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifo_servers() {
        let mut l = Limits::new(Some(2), None, OnLimit::Queue { max_queue_ms: None });
        assert_eq!(l.admit(0.0, 10.0), Admit::Start { wait_ms: 0.0 });
        assert_eq!(l.admit(1.0, 10.0), Admit::Start { wait_ms: 0.0 });
        // Both busy until 10 and 11: the third waits for the first.
        assert_eq!(l.admit(2.0, 10.0), Admit::Start { wait_ms: 8.0 });
        assert_eq!(l.admit(3.0, 10.0), Admit::Start { wait_ms: 8.0 });
        let mut seen = Vec::new();
        l.replay(f64::INFINITY, |t, n| seen.push((t, n)));
        let peak = seen.iter().map(|x| x.1).max();
        assert_eq!(peak, Some(2));
        assert_eq!(seen.last(), Some(&(21.0, 0)));
    }

    #[test]
    fn throttle_and_queue_timeout() {
        let mut l = Limits::new(Some(1), None, OnLimit::Throttle);
        assert_eq!(l.admit(0.0, 10.0), Admit::Start { wait_ms: 0.0 });
        assert_eq!(l.admit(5.0, 10.0), Admit::Throttled);
        assert_eq!(l.admit(10.0, 10.0), Admit::Start { wait_ms: 0.0 });
        let mut q = Limits::new(
            Some(1),
            None,
            OnLimit::Queue {
                max_queue_ms: Some(3.0),
            },
        );
        assert_eq!(q.admit(0.0, 10.0), Admit::Start { wait_ms: 0.0 });
        assert_eq!(q.admit(5.0, 10.0), Admit::TimedOut { after_ms: 3.0 });
        assert_eq!(q.admit(8.0, 10.0), Admit::Start { wait_ms: 2.0 });
    }

    #[test]
    fn rate_limit_spaces_starts() {
        let bucket = super::super::quota::TokenBucket {
            rate_per_s: 10.0,
            burst: 1.0,
        }
        .start();
        let mut l = Limits::new(None, Some(bucket), OnLimit::Queue { max_queue_ms: None });
        assert_eq!(l.admit(0.0, 1.0), Admit::Start { wait_ms: 0.0 });
        assert_eq!(l.admit(0.0, 1.0), Admit::Start { wait_ms: 100.0 });
        assert_eq!(l.admit(250.0, 1.0), Admit::Start { wait_ms: 0.0 });
    }
}
