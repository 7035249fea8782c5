//! One execution in a simulation and the slice of it due next: what a
//! worker (speculatively, ahead of the event loop) or the driver runs, and
//! what the slice asks for next. A slice reads only its execution, its time
//! and its execution's own random streams, so it gives the same result on
//! any thread at any moment; only calls to resources with limits wait for
//! the driver (see `handler.rs`).

use super::clock::{sim_ms, vm_ms};
use super::local;
use super::rng::{streams, Rng};
use crate::error::Failure;
use crate::handlers::{Completed, CompletionSink};
use crate::vm::{self, Advance, Execution, Input, MachineCore, MachineInfo, ObserverCell};
use crate::vm::{RunEnv, RunOptions};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Fuel for one advance of an execution before it yields.
const FUEL: u32 = 1 << 20;

/// A job shared by the event loop and the workers.
pub(crate) type JobRef = Arc<Mutex<Job>>;

/// Locks a job (a panic elsewhere does not poison the run).
pub(crate) fn lock(j: &JobRef) -> MutexGuard<'_, Job> {
    j.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One execution, started or about to start, and its next slice.
pub(crate) struct Job {
    exec: Option<Execution>,
    /// The execution's task stream (latency, error and output draws).
    rng: Rng,
    /// What runs next, or what the last slice asked for.
    pub(crate) due: Due,
    /// Busy periods `(resource, start, service ms)` of calls without limits
    /// made by a worker's slice, for the driver to record.
    pub(crate) busy: Vec<(u32, f64, f64)>,
    /// Transitions when the current slice began.
    mark: u64,
}

/// The state of a job's next slice.
pub(crate) enum Due {
    /// Start execution `seq` at `at` (ms).
    Start { seq: u64, at: f64 },
    /// Wake the execution at `at` and run it.
    Wake { at: f64 },
    /// The slice ran.
    Ran(Ran),
}

/// What a slice ended with.
pub(crate) enum Ran {
    /// Stopped before a call that needs the limits: the driver resumes it at `at`.
    Blocked { at: f64 },
    /// Sleeps until `until` (ms); made `transitions` transitions.
    Sleep { until: f64, transitions: u64 },
    /// The execution ended.
    Done(Ended),
}

/// How an execution ended, for the statistics.
pub(crate) struct Ended {
    pub(crate) status: &'static str,
    pub(crate) error: Option<String>,
    pub(crate) duration_ms: f64,
    /// All its transitions, and those of the last slice.
    pub(crate) transitions: u64,
    pub(crate) last: u64,
    /// False when it failed to start (its input did not render).
    pub(crate) started: bool,
}

impl Job {
    /// A job that starts execution `seq` at `at`.
    pub(crate) fn start(seq: u64, at: f64) -> Job {
        Job {
            exec: None,
            rng: Rng::new(0),
            due: Due::Start { seq, at },
            busy: Vec::new(),
            mark: 0,
        }
    }

    /// Whether its slice still has to run.
    pub(crate) fn pending(&self) -> bool {
        matches!(self.due, Due::Start { .. } | Due::Wake { .. })
    }
}

/// What running a slice needs, shared by every thread of a run.
pub(crate) struct Runner<'a> {
    pub(crate) core: &'a MachineCore,
    pub(crate) info: &'a Arc<MachineInfo>,
    pub(crate) opts: &'a RunOptions,
    pub(crate) sink: &'a Arc<dyn CompletionSink>,
    /// Parent of every execution's own stream (split by `seq`).
    pub(crate) executions: &'a Rng,
}

impl Runner<'_> {
    /// Runs the job's due slice (or resumes a blocked one, on the driver's
    /// thread: `completions` is then given). A slice that already ran is
    /// left as it is.
    pub(crate) fn run(
        &self,
        job: &mut Job,
        obs: &ObserverCell,
        completions: Option<&Receiver<Completed>>,
    ) {
        let at = match job.due {
            Due::Start { seq, at } => match self.new_execution(seq, at) {
                Ok((exec, rng)) => {
                    job.exec = Some(exec);
                    job.rng = rng;
                    job.mark = 0;
                    at
                }
                Err(e) => {
                    job.due = Due::Ran(Ran::Done(Ended {
                        status: "FAILED",
                        error: Some(e.error.into_owned()),
                        duration_ms: 0.0,
                        transitions: 0,
                        last: 0,
                        started: false,
                    }));
                    return;
                }
            },
            Due::Wake { at } => {
                let Some(exec) = job.exec.as_mut() else {
                    return;
                };
                exec.wake(vm_ms(at));
                job.mark = exec.counters().transitions;
                at
            }
            Due::Ran(Ran::Blocked { at }) if completions.is_some() => at,
            Due::Ran(_) => return,
        };
        job.due = Due::Ran(self.advance(job, at, obs, completions));
    }

    /// Execution `seq` at `at`: its input, its seeds, and its task stream.
    fn new_execution(&self, seq: u64, at: f64) -> Result<(Execution, Rng), Failure> {
        let rng = self.executions.split(seq);
        let mut input_rng = rng.split(streams::INPUT);
        let text = local::with(|l| l.inputs.next(seq, &mut input_rng))
            .unwrap_or_else(|| Err(Failure::new("States.Runtime", "no simulation thread")))?;
        let mut entropy = rng.split(streams::ENTROPY);
        let opts = RunOptions {
            seed: entropy.next_u64(),
            start_time_ms: Some(vm_ms(at)),
            ..self.opts.clone()
        };
        let exec = vm::start(self.core, seq, self.info, &Input::Text(text), &opts)
            .map_err(|e| Failure::new("States.Runtime", e.to_string()))?;
        Ok((exec, rng.split(streams::TASKS)))
    }

    /// Advances the execution at `at` until it sleeps, ends, or stops
    /// before a call only the driver may decide.
    fn advance(
        &self,
        job: &mut Job,
        at: f64,
        obs: &ObserverCell,
        completions: Option<&Receiver<Completed>>,
    ) -> Ran {
        let Some(exec) = job.exec.as_mut() else {
            return Ran::Blocked { at };
        };
        local::with(|l| {
            std::mem::swap(&mut l.rng, &mut job.rng);
            l.blocked = false;
        });
        let env = RunEnv {
            tokens: None,
            prog: &self.core.program,
            handlers: &self.core.handlers,
            sink: self.sink,
            now_ms: vm_ms(at),
            obs: Some(obs),
        };
        let ran = loop {
            match exec.advance(&env, FUEL) {
                Advance::Yield => {
                    if local::with(|l| l.blocked).unwrap_or(false) {
                        break Ran::Blocked { at };
                    }
                }
                Advance::Done => break Ran::Done(ended(exec, job.mark)),
                // A handler completes on its own thread: wall time passes, simulated time does not.
                Advance::Park => match completions {
                    Some(rx) => match rx.recv() {
                        Ok((key, result)) => exec.complete(&env, key, result),
                        Err(_) => break Ran::Done(ended(exec, job.mark)),
                    },
                    None => break Ran::Blocked { at },
                },
                Advance::SleepUntil(t) => {
                    break Ran::Sleep {
                        until: sim_ms(t),
                        transitions: exec.counters().transitions - job.mark,
                    }
                }
            }
        };
        local::with(|l| {
            std::mem::swap(&mut l.rng, &mut job.rng);
            job.busy.append(&mut l.busy);
        });
        if matches!(ran, Ran::Done(_)) {
            if let Some(e) = job.exec.take() {
                e.recycle();
            }
        }
        ran
    }
}

/// The outcome of an ended execution.
fn ended(exec: &mut Execution, mark: u64) -> Ended {
    let o = vm::Outcome::of(exec, 0);
    Ended {
        status: o.status.as_str(),
        error: o.error,
        duration_ms: o.duration_ms as f64,
        transitions: o.transitions,
        last: o.transitions.saturating_sub(mark),
        started: true,
    }
}
