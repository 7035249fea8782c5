//! The calling thread as a scheduler: runs one execution to its end. Time is
//! virtual: when nothing is runnable it jumps to the next timer, so a
//! one-day Wait costs no wall time. Deferred task completions arrive over a
//! channel from any thread; task tokens through a [`TaskTokens`] registry,
//! with a hook that is asked for completions while the execution waits.

use crate::handlers::{channel_sink, TaskTokens};
use crate::vm::{Advance, Execution, MachineCore, RunEnv};

const FUEL: u32 = 1 << 16;

/// Task tokens for one run on the calling thread: the registry, and what to
/// call when the execution waits only on tokens and none has come (it sends
/// some and answers `true`, or answers `false`: none will come).
pub(crate) struct LocalTokens<'a> {
    pub(crate) tokens: &'a TaskTokens,
    pub(crate) on_wait: &'a mut dyn FnMut() -> bool,
}

/// Runs `exec` to its end, its virtual clock starting at its start time.
pub(crate) fn run_to_end(
    core: &MachineCore,
    exec: &mut Execution,
    mut tokens: Option<LocalTokens<'_>>,
) {
    let (sink, rx) = channel_sink();
    let mut now = exec.info().start_ms;
    let registry = tokens.as_ref().map(|t| t.tokens);
    loop {
        let env = RunEnv {
            prog: &core.program,
            handlers: &core.handlers,
            sink: &sink,
            now_ms: now,
            obs: None,
            tokens: registry,
        };
        match exec.advance(&env, FUEL) {
            Advance::Done => break,
            Advance::Yield => {}
            // Handlers complete on their own threads; wall time passes, virtual time does not.
            Advance::Park => {
                if let Ok((key, result)) = rx.try_recv() {
                    exec.complete(&env, key, result);
                    continue;
                }
                if let Some(t) = tokens.as_mut() {
                    if !(t.on_wait)() {
                        // No completion will come: time passes to the earliest deadline.
                        if let Some((at, key, failure)) = exec.expire_next_token(t.tokens) {
                            now = now.max(at);
                            let env = RunEnv { now_ms: now, ..env };
                            exec.complete(&env, key, Err(failure));
                            continue;
                        }
                    }
                }
                match rx.recv() {
                    Ok((key, result)) => exec.complete(&env, key, result),
                    Err(_) => break,
                }
            }
            Advance::SleepUntil(t) => {
                now = now.max(t);
                exec.wake(now);
            }
        }
    }
    if let Some(t) = registry {
        if exec.counters().tokens > 0 {
            t.close_exec(exec.id());
        }
    }
}
