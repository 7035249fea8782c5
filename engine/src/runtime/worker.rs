//! The worker loop: find a job (own deque, the injector, a random victim),
//! start executions and advance them through the VM's driver, and do what it
//! answers: requeue (yield), park (deferred task), sleep on a timer (wall
//! clock) or jump the execution's own clock (virtual), report the outcome.

use super::hub::{Clock, Shared};
use super::job::{batch_seed, flush_outbox, Job, Report, Start, Task};
use crate::vm::{self, Advance, Outcome, RunEnv, Status};
use crossbeam_deque::{Steal, Worker};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Ops an execution runs before it yields its worker (fairness across executions).
const FUEL: u32 = 1 << 14;

pub(crate) fn worker_loop(shared: &Arc<Shared>, local: &Worker<Job>, me: usize) {
    let mut rng = 0x2545_F491_4F6C_DD1D ^ (me as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    loop {
        let job = find_job(shared, local, me, &mut rng).or_else(|| {
            flush_outbox();
            spin(shared, local, me, &mut rng)
        });
        match job {
            Some(job) => run_job(shared, local, job),
            None => {
                if shared.shutdown.load(Ordering::SeqCst) {
                    return;
                }
                // Sleep protocol: announce, re-check, then wait (bounded, as a safety net).
                shared.sleepers.fetch_add(1, Ordering::SeqCst);
                if let Ok(g) = shared.sleep_lock.lock() {
                    if shared.injector.is_empty() && !shared.shutdown.load(Ordering::SeqCst) {
                        let _ = shared.wake.wait_timeout(g, Duration::from_millis(10));
                    }
                }
                shared.sleepers.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// Rounds a worker with nothing to do looks again before it sleeps.
const SPINS: u32 = 32;

/// Looks for a job a few more times, yielding the core between looks,
/// before the worker announces that it sleeps: a job that comes within a
/// few scheduler slices (an HTTP request after the last, a completion from
/// another thread) then costs its injector no wake-up and the worker no
/// sleep (two futex calls and a context switch each way). `yield_now`
/// rather than a busy spin, so a loaded machine's other threads run.
fn spin(shared: &Shared, local: &Worker<Job>, me: usize, rng: &mut u64) -> Option<Job> {
    for _ in 0..SPINS {
        if shared.shutdown.load(Ordering::Relaxed) {
            return None;
        }
        std::thread::yield_now();
        if let Some(j) = find_job(shared, local, me, rng) {
            return Some(j);
        }
    }
    None
}

/// The wall-clock timer thread: wakes each sleeping execution when its time comes.
pub(crate) fn timer_loop(shared: &Shared) {
    shared.timers.run(
        |mut task| {
            task.now_ms = vm::now_ms();
            task.exec.wake(task.now_ms);
            shared.inject(Job::Run(task));
        },
        // Heartbeat and timeout deadlines of tasks waiting in the registry.
        |now| shared.tokens.expire_due(now),
    );
}

fn find_job(shared: &Shared, local: &Worker<Job>, me: usize, rng: &mut u64) -> Option<Job> {
    if let Some(j) = local.pop() {
        return Some(j);
    }
    loop {
        let mut retry = false;
        match shared.injector.steal_batch_and_pop(local) {
            Steal::Success(j) => return Some(j),
            Steal::Retry => retry = true,
            Steal::Empty => {}
        }
        let n = shared.stealers.len();
        if n > 1 {
            *rng ^= *rng << 13;
            *rng ^= *rng >> 7;
            *rng ^= *rng << 17;
            let start = (*rng as usize) % n;
            for k in 0..n {
                let v = (start + k) % n;
                if v == me {
                    continue;
                }
                match shared.stealers[v].steal_batch_and_pop(local) {
                    Steal::Success(j) => return Some(j),
                    Steal::Retry => retry = true,
                    Steal::Empty => {}
                }
            }
        }
        if !retry {
            return None;
        }
    }
}

fn run_job(shared: &Arc<Shared>, local: &Worker<Job>, job: Job) {
    match job {
        Job::Run(t) => run_task(shared, local, t),
        Job::Start(s) => {
            if let Some(t) = start(*s) {
                run_task(shared, local, t);
            }
        }
        Job::Chunk(c) => {
            for (k, input) in (0u64..).zip(c.items) {
                let (id, index) = (c.first_id + k, c.first_index + k);
                let mut opts = c.opts.clone();
                opts.seed = batch_seed(c.opts.seed, index);
                let s = Start {
                    id,
                    index,
                    core: Arc::clone(&c.core),
                    input,
                    opts,
                    info: Arc::clone(&c.info),
                    report: Report::Batch(Arc::clone(&c.sink)),
                };
                if let Some(t) = start(s) {
                    run_task(shared, local, t);
                }
            }
        }
    }
}

/// Parses the input and creates the execution (a bad input is reported at once).
fn start(mut s: Start) -> Option<Box<Task>> {
    let started = std::time::Instant::now();
    s.opts.start_time_ms.get_or_insert_with(vm::now_ms);
    match vm::start(&s.core, s.id, &s.info, &s.input, &s.opts) {
        Ok(exec) => Some(Box::new(Task {
            now_ms: exec.info().start_ms,
            exec,
            core: s.core,
            index: s.index,
            inbox: None,
            report: s.report,
            started,
            deferred: false,
        })),
        Err(e) => {
            s.report
                .send(s.index, Outcome::failure("States.Runtime", e.to_string()));
            None
        }
    }
}

fn finish(shared: &Shared, task: Box<Task>) {
    finish_as(shared, task, None);
}

/// Reports the outcome (ABORTED with `abort`'s error and cause when it was
/// stopped from outside) and frees the execution.
fn finish_as(shared: &Shared, mut task: Box<Task>, abort: Option<(String, String)>) {
    if task.exec.counters().tokens > 0 {
        shared.tokens.close_exec(task.exec.id());
    }
    if task.deferred {
        shared.parked.forget(task.exec.id());
    }
    let wall_us = u64::try_from(task.started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let mut outcome = Outcome::of(&mut task.exec, wall_us);
    if let Some((error, cause)) = abort {
        outcome.status = Status::Aborted;
        outcome.output = None;
        outcome.error = (!error.is_empty()).then_some(error);
        outcome.cause = (!cause.is_empty()).then_some(cause);
    }
    let Task {
        exec,
        report,
        index,
        ..
    } = *task;
    report.send(index, outcome);
    exec.recycle();
}

fn run_task(shared: &Arc<Shared>, local: &Worker<Job>, mut task: Box<Task>) {
    if let Some(abort) = shared.take_abort(task.exec.id()) {
        return finish_as(shared, task, Some(abort));
    }
    let wall = shared.clock == Clock::Wall;
    if wall {
        task.now_ms = vm::now_ms();
    }
    let core = Arc::clone(&task.core);
    let env_for = |now_ms| RunEnv {
        prog: &core.program,
        handlers: &core.handlers,
        sink: &shared.sink,
        now_ms,
        obs: None,
        tokens: Some(&shared.tokens),
    };
    if let Some(inbox) = task.inbox.take() {
        for (key, result) in *inbox {
            task.exec.complete(&env_for(task.now_ms), key, result);
        }
    }
    loop {
        match task.exec.advance(&env_for(task.now_ms), FUEL) {
            Advance::Done => return finish(shared, task),
            Advance::Yield => {
                local.push(Job::Run(task));
                return;
            }
            Advance::Park => {
                task.deferred = true;
                if let Some(task) = shared.parked.park(task) {
                    local.push(Job::Run(task));
                }
                return;
            }
            Advance::SleepUntil(t) if wall => {
                shared.timers.add(t, task);
                return;
            }
            Advance::SleepUntil(t) => {
                task.now_ms = task.now_ms.max(t);
                task.exec.wake(task.now_ms);
            }
        }
    }
}
