//! A single-threaded driver: runs one execution to its end on the calling
//! thread. Time is virtual: when nothing is runnable it jumps to the next
//! timer, so a one-day Wait costs no wall time. Deferred task completions
//! arrive over a channel from any thread.

use crate::bytecode::Program;
use crate::error::Failure;
use crate::handlers::{CompletionKey, CompletionSink, TaskHandler};
use crate::vm::{Execution, RunEnv, RunState};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

type Msg = (CompletionKey, Result<serde_json::Value, Failure>);

struct ChannelSink(Mutex<Sender<Msg>>);

impl CompletionSink for ChannelSink {
    fn complete(&self, key: CompletionKey, result: Result<serde_json::Value, Failure>) {
        if let Ok(tx) = self.0.lock() {
            // The receiver is gone only when the execution already ended.
            let _ = tx.send((key, result));
        }
    }
}

const FUEL: u32 = 1 << 16;

/// Runs `exec` to its end, its virtual clock starting at its start time.
pub(crate) fn run_to_end(prog: &Program, handlers: &[Arc<dyn TaskHandler>], exec: &mut Execution) {
    let start_ms = exec.info().start_ms;
    let (tx, rx) = channel::<Msg>();
    let sink: Arc<dyn CompletionSink> = Arc::new(ChannelSink(Mutex::new(tx)));
    let deadline = prog
        .timeout_seconds
        .map(|s| start_ms.saturating_add((s as i64).saturating_mul(1000)));
    let mut now = start_ms;
    loop {
        let env = RunEnv {
            prog,
            handlers,
            sink: Some(&sink),
            now_ms: now,
            obs: None,
        };
        match exec.run(&env, FUEL) {
            RunState::Done => break,
            RunState::OutOfFuel => continue,
            RunState::Waiting => {}
        }
        if exec.pending_tasks() > 0 {
            // Handlers complete on their own threads; wall time passes, virtual time does not.
            match rx.recv() {
                Ok((key, result)) => exec.complete(&env, key, result),
                Err(_) => break,
            }
            continue;
        }
        match exec.next_timer() {
            Some(t) => {
                if deadline.is_some_and(|d| t > d) {
                    exec.time_out(deadline.unwrap_or(t));
                    break;
                }
                now = now.max(t);
                exec.fire_timers(now);
            }
            None => break,
        }
    }
}
