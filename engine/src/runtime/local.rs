//! The calling thread as a scheduler: runs one execution to its end. Time is
//! virtual: when nothing is runnable it jumps to the next timer, so a
//! one-day Wait costs no wall time. Deferred task completions arrive over a
//! channel from any thread.

use crate::handlers::channel_sink;
use crate::vm::{Advance, Execution, MachineCore, RunEnv};

const FUEL: u32 = 1 << 16;

/// Runs `exec` to its end, its virtual clock starting at its start time.
pub(crate) fn run_to_end(core: &MachineCore, exec: &mut Execution) {
    let (sink, rx) = channel_sink();
    let mut now = exec.info().start_ms;
    loop {
        let env = RunEnv {
            prog: &core.program,
            handlers: &core.handlers,
            sink: &sink,
            now_ms: now,
            obs: None,
        };
        match exec.advance(&env, FUEL) {
            Advance::Done => return,
            Advance::Yield => {}
            // Handlers complete on their own threads; wall time passes, virtual time does not.
            Advance::Park => match rx.recv() {
                Ok((key, result)) => exec.complete(&env, key, result),
                Err(_) => return,
            },
            Advance::SleepUntil(t) => {
                now = now.max(t);
                exec.wake(now);
            }
        }
    }
}
