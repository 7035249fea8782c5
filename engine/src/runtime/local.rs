//! The calling thread as a scheduler: runs one execution to its end. Time is
//! virtual: when nothing is runnable it jumps to the next timer, so a
//! one-day Wait costs no wall time. Deferred task completions arrive over a
//! channel from any thread.

use crate::error::Failure;
use crate::handlers::{CompletionKey, CompletionSink};
use crate::vm::{Advance, Execution, MachineCore, RunEnv};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

type Msg = (CompletionKey, Result<serde_json::Value, Failure>);

/// Hands completions from any thread to the thread that runs the execution.
pub(crate) struct ChannelSink(Mutex<Sender<Msg>>);

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
pub(crate) fn run_to_end(core: &MachineCore, exec: &mut Execution) {
    let (tx, rx) = channel::<Msg>();
    let sink: Arc<dyn CompletionSink> = Arc::new(ChannelSink(Mutex::new(tx)));
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
