//! The one execution driver. Every scheduler (the calling thread, the pool's
//! workers, the simulation) moves an execution on through
//! [`Execution::advance`] and does what it answers; the deadline rules (the
//! machine's `TimeoutSeconds`, the 5-minute limit of an Express execution)
//! live here and nowhere else.

use super::exec::{Execution, RunEnv, RunState};

/// What an execution needs from its scheduler next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Advance {
    /// It ended: read its outcome.
    Done,
    /// Its fuel ran out with work left: advance it again (after others, for fairness).
    Yield,
    /// It waits on deferred task completions: deliver them with `complete`, then advance.
    Park,
    /// Nothing runs before this time of its clock: [`Execution::wake`] it then, and advance.
    SleepUntil(i64),
}

impl Execution {
    /// Runs the execution for up to `fuel` ops at `env.now_ms` and says what
    /// it needs next. A clock past the deadline (or at it, once the deadline
    /// was the reason to sleep) times it out.
    pub(crate) fn advance(&mut self, env: &RunEnv<'_>, fuel: u32) -> Advance {
        self.thaw();
        if let Some(d) = self.deadline() {
            if env.now_ms > d || (self.deadline_armed() && env.now_ms >= d) {
                self.time_out(d);
                return Advance::Done;
            }
        }
        match self.run(env, fuel) {
            RunState::Done => return Advance::Done,
            RunState::OutOfFuel => return Advance::Yield,
            RunState::Waiting => {}
        }
        if self.pending_tasks() > 0 {
            // Completions are instantaneous on the virtual clock: they come before timers.
            return Advance::Park;
        }
        match (self.next_timer(), self.deadline()) {
            // Nothing to wait for (a handler that never completes): it cannot go on.
            (None, _) => Advance::Done,
            (Some(t), Some(d)) if t > d => {
                self.arm_deadline();
                Advance::SleepUntil(d)
            }
            (Some(t), _) => Advance::SleepUntil(t),
        }
    }

    /// Sets the clock to `now_ms` after a sleep: makes the due timers
    /// runnable (none when the sleep was for the deadline).
    pub(crate) fn wake(&mut self, now_ms: i64) {
        if !self.deadline_armed() {
            self.fire_timers(now_ms);
        }
    }
}
