//! A unit of work for the runtime: start an execution, or run one on.

use super::pool::{Clock, Info, Shared};
use super::{prepare, Input, MachineCore, Outcome, RunOptions};
use crate::error::Failure;
use crate::handlers::CompletionKey;
use crate::json::Doc;
use crate::vm::{Execution, RunEnv, RunState};
use crossbeam_channel::Sender;
use crossbeam_deque::Worker;
use std::sync::Arc;

/// Ops an execution runs before it yields its worker (fairness across executions).
const FUEL: u32 = 1 << 14;

/// Where an outcome goes.
pub(crate) enum Report {
    /// To a channel at once, tagged with the execution's index (single starts).
    Channel(Sender<(u64, Outcome)>),
    /// To a batch's channel, gathered per worker (fewer wake-ups of the receiver).
    Batch(Arc<BatchSink>),
}

/// The receiving end of one batch, shared by its executions.
pub(crate) struct BatchSink {
    pub(crate) tx: Sender<Vec<(u64, Outcome)>>,
}

/// Outcomes a worker gathers before sending them as one message.
const OUTBOX_BATCH: usize = 64;

/// Outcomes held for each batch a worker served lately.
type Outbox = Vec<(Arc<BatchSink>, Vec<(u64, Outcome)>)>;

thread_local! {
    static OUTBOX: std::cell::RefCell<Outbox> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Report {
    fn send(&self, index: u64, outcome: Outcome) {
        match self {
            // A receiver that went away no longer wants the outcome.
            Report::Channel(tx) => {
                let _ = tx.send((index, outcome));
            }
            Report::Batch(sink) => OUTBOX.with(|o| {
                let mut o = o.borrow_mut();
                let slot = match o.iter().position(|(s, _)| Arc::ptr_eq(s, sink)) {
                    Some(i) => i,
                    None => {
                        o.push((Arc::clone(sink), Vec::with_capacity(OUTBOX_BATCH)));
                        o.len() - 1
                    }
                };
                o[slot].1.push((index, outcome));
                if o[slot].1.len() >= OUTBOX_BATCH {
                    let (sink, batch) = o.swap_remove(slot);
                    let _ = sink.tx.send(batch);
                }
            }),
        }
    }
}

/// Sends every outcome this worker still holds (before it sleeps or exits).
pub(crate) fn flush_outbox() {
    let pending = OUTBOX.with(|o| std::mem::take(&mut *o.borrow_mut()));
    for (sink, batch) in pending {
        let _ = sink.tx.send(batch);
    }
}

/// An execution not started yet: its input is parsed on the worker that takes it.
pub(crate) struct Start {
    pub(crate) id: u64,
    pub(crate) index: u64,
    pub(crate) core: Arc<MachineCore>,
    pub(crate) input: Input,
    pub(crate) opts: RunOptions,
    pub(crate) info: Info,
    pub(crate) report: Report,
}

/// A running execution with what it needs to go on.
pub(crate) struct Task {
    pub(crate) exec: Execution,
    pub(crate) core: Arc<MachineCore>,
    pub(crate) index: u64,
    /// The execution's clock (virtual: its own; wall: refreshed on each run).
    pub(crate) now_ms: i64,
    pub(crate) deadline: Option<i64>,
    /// Completions that arrived while it was parked.
    pub(crate) inbox: Vec<(CompletionKey, Result<serde_json::Value, Failure>)>,
    pub(crate) report: Report,
    /// A wall-clock timer that fired for the deadline rather than a state timer.
    pub(crate) deadline_hit: bool,
    /// When a worker first took it.
    pub(crate) started: std::time::Instant,
    /// It has waited on a deferred handler (completions may still come for it).
    pub(crate) deferred: bool,
}

/// Executions of one batch started together: one queue operation and one
/// allocation for several executions.
pub(crate) struct Chunk {
    pub(crate) core: Arc<MachineCore>,
    pub(crate) opts: RunOptions,
    pub(crate) info: Info,
    pub(crate) sink: Arc<BatchSink>,
    /// (execution id, index in the batch, input); execution `index` is seeded with `batch_seed(opts.seed, index)`.
    pub(crate) items: Vec<(u64, u64, Input)>,
}

/// What the runtime queues.
pub(crate) enum Job {
    Start(Box<Start>),
    Chunk(Box<Chunk>),
    Run(Box<Task>),
}

pub(crate) fn run_job(shared: &Arc<Shared>, local: &Worker<Job>, job: Job) {
    let task = match job {
        Job::Run(t) => t,
        Job::Start(s) => {
            let s = *s;
            match start(s.core, s.id, s.index, s.input, s.opts, &s.info, s.report) {
                Some(t) => t,
                None => return,
            }
        }
        Job::Chunk(c) => {
            let c = *c;
            for (id, index, input) in c.items {
                let mut opts = c.opts.clone();
                opts.seed = super::pool::batch_seed(c.opts.seed, index);
                let report = Report::Batch(Arc::clone(&c.sink));
                if let Some(t) = start(Arc::clone(&c.core), id, index, input, opts, &c.info, report)
                {
                    run_task(shared, local, t);
                }
            }
            return;
        }
    };
    run_task(shared, local, task);
}

fn start(
    core: Arc<MachineCore>,
    id: u64,
    index: u64,
    input: Input,
    opts: RunOptions,
    info: &Info,
    report: Report,
) -> Option<Box<Task>> {
    let s = Start {
        id,
        index,
        core,
        input,
        opts,
        info: Arc::clone(info),
        report,
    };
    let started = std::time::Instant::now();
    let mut doc = match &s.input {
        Input::Text(t) => crate::vm::spare_doc(t.len() * 2),
        Input::Shared(t) => crate::vm::spare_doc(t.len() * 2),
        Input::Json(_) => Doc::new(),
    };
    let parsed = match &s.input {
        Input::Text(t) => doc.parse(t),
        Input::Shared(t) => doc.parse(t),
        Input::Json(v) => Ok(doc.import(v)),
    };
    let input = match parsed {
        Ok(v) => v,
        Err(e) => {
            s.report.send(
                s.index,
                Outcome::failure("States.Runtime", format!("invalid execution input: {e}")),
            );
            return None;
        }
    };
    let mut opts = s.opts;
    if opts.start_time_ms.is_none() {
        opts.start_time_ms = Some(prepare::now_ms());
    }
    let exec = prepare::execution(&s.core, s.id, &s.info, doc, input, &opts);
    let now_ms = exec.info().start_ms;
    let deadline = s
        .core
        .program
        .timeout_seconds
        .map(|t| now_ms.saturating_add((t as i64).saturating_mul(1000)));
    Some(Box::new(Task {
        exec,
        core: s.core,
        index: s.index,
        now_ms,
        deadline,
        inbox: Vec::new(),
        report: s.report,
        deadline_hit: false,
        started,
        deferred: false,
    }))
}

fn finish(shared: &Shared, task: Box<Task>) {
    if task.deferred {
        shared.parked.forget(task.exec.id());
    }
    let wall_us = u64::try_from(task.started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let outcome = prepare::outcome(&task.exec, wall_us);
    task.report.send(task.index, outcome);
    task.exec.recycle();
}

fn run_task(shared: &Arc<Shared>, local: &Worker<Job>, mut task: Box<Task>) {
    let wall = shared.clock == Clock::Wall;
    if wall {
        task.now_ms = prepare::now_ms();
        if task.deadline.is_some_and(|d| task.now_ms >= d) || task.deadline_hit {
            let at = task.deadline.unwrap_or(task.now_ms);
            task.exec.time_out(at);
            return finish(shared, task);
        }
    }
    let core = Arc::clone(&task.core);
    let env_for = |now_ms| RunEnv {
        prog: &core.program,
        handlers: &core.handlers,
        sink: Some(&shared.sink),
        now_ms,
        obs: None,
    };
    for (key, result) in std::mem::take(&mut task.inbox) {
        task.exec.complete(&env_for(task.now_ms), key, result);
    }
    loop {
        match task.exec.run(&env_for(task.now_ms), FUEL) {
            RunState::Done => return finish(shared, task),
            RunState::OutOfFuel => {
                local.push(Job::Run(task));
                return;
            }
            RunState::Waiting => {}
        }
        if task.exec.pending_tasks() > 0 {
            task.deferred = true;
            // Completions are instantaneous on the virtual clock: wait for them before timers.
            if let Some(task) = shared.parked.park(task) {
                local.push(Job::Run(task));
            }
            return;
        }
        let Some(t) = task.exec.next_timer() else {
            return finish(shared, task);
        };
        if task.deadline.is_some_and(|d| t > d) {
            if wall {
                let d = task.deadline.unwrap_or(t);
                task.deadline_hit = true;
                shared.timers.add(d, task);
                return;
            }
            task.exec.time_out(task.deadline.unwrap_or(t));
            return finish(shared, task);
        }
        if wall {
            shared.timers.add(t, task);
            return;
        }
        task.now_ms = task.now_ms.max(t);
        task.exec.fire_timers(task.now_ms);
    }
}

/// Fires the due timers of a task woken by the wall-clock timer thread.
pub(crate) fn wake(mut task: Box<Task>) -> Box<Task> {
    task.now_ms = prepare::now_ms();
    if !task.deadline_hit {
        task.exec.fire_timers(task.now_ms);
    }
    task
}
