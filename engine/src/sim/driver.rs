//! The event loop of a simulation: admits arrivals, takes each execution's
//! slices in event order, decides every call that shares a resource's
//! limits, and records how executions end. Workers (`pool.rs`) run slices
//! ahead of it; it runs any slice they have not. See "The driver" in
//! `sim/README.md`.

use super::arrivals::ArrivalMode;
use super::events::{Ev, Events};
use super::handler::StateObserver;
use super::job::{self, Due, Ended, Job, JobRef, Ran, Runner};
use super::local::{self, Local};
use super::pool::{self, Queue};
use super::quota::{BucketState, StartLimit, TokenBucket};
use super::rng::{streams, Rng};
use super::Scenario;
use crate::handlers::{channel_sink, Completed, CompletionSink};
use crate::report::SimStats;
use crate::vm::{self, MachineCore, MachineInfo, ObserverCell, RunOptions};
use crossbeam_utils::sync::Parker;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often (in events) to look at the stop flag and the wall clock.
const CHECK_EVERY: u64 = 4096;

/// Open-loop arrivals drawn ahead, per thread (their first slices run early).
const AHEAD_PER_THREAD: usize = 64;

/// What every thread of a run reads.
struct Setup {
    core: MachineCore,
    info: Arc<MachineInfo>,
    run_opts: RunOptions,
    sink: Arc<dyn CompletionSink>,
    /// Parent of every execution's own stream (split by `seq`).
    executions: Rng,
}

/// What an arrival drawn ahead will do when its time comes.
enum Plan {
    /// Another shard's execution.
    Other,
    /// Refused a StartExecution token.
    Throttled,
    /// Starts at its arrival.
    Now(JobRef),
    /// Starts later, when a StartExecution token comes.
    Later(JobRef, f64),
}

/// An open-loop arrival drawn ahead.
struct Arrival {
    t: f64,
    plan: Plan,
}

/// The event loop's own state.
struct Loop<'a> {
    sc: &'a Scenario,
    /// This shard's index and the number of shards (at least 1).
    shard: (u32, u32),
    arrivals: Rng,
    think: Rng,
    mode: ArrivalMode,
    /// The account's StartExecution token bucket (each shard has 1/n of it).
    start_quota: Option<BucketState>,
    /// The account's StateTransition token bucket (each shard has 1/n of it).
    transition_quota: Option<BucketState>,
    events: Events,
    ahead: VecDeque<Arrival>,
    /// How many arrivals to draw ahead; whether the arrival process ended.
    lookahead: usize,
    drawn: u64,
    no_more: bool,
    /// Executions numbered so far (the next `seq`).
    seq: u64,
    /// Executions that ended (counted, throttled or failed to start).
    finished: u64,
    /// The simulated time now, in ms.
    now: f64,
    /// The latest end of an execution held for StateTransition tokens.
    held_until: f64,
}

/// One simulation run: its setup, its event loop and its threads.
pub(crate) struct Driver<'a> {
    setup: Setup,
    state: Loop<'a>,
    completions: Receiver<Completed>,
    threads: usize,
    local: Option<Local>,
    workers: Vec<Local>,
}

impl<'a> Driver<'a> {
    /// A driver for `sc` running the compiled `core` on `threads` threads;
    /// `local` is the event loop's thread state (it holds the limits), and
    /// `worker` makes each worker's.
    pub(crate) fn new(
        sc: &'a Scenario,
        shard: (u32, u32),
        core: MachineCore,
        threads: usize,
        local: Local,
    ) -> Self {
        let shard = (shard.0, shard.1.max(1));
        let n = f64::from(shard.1);
        let run_opts = RunOptions {
            machine_type: sc.machine_type,
            state_machine_name: sc.name.clone(),
            max_transitions: sc.max_transitions,
            ..RunOptions::default()
        };
        let (sink, completions) = channel_sink();
        let root = sc.rng();
        let bucket = |b: TokenBucket| {
            TokenBucket {
                rate_per_s: b.rate_per_s / n,
                burst: (b.burst / n).max(1.0),
            }
            .start()
        };
        let threads = threads.max(1);
        let mut state = Loop {
            sc,
            shard,
            arrivals: root.split(streams::ARRIVALS),
            think: root.split(streams::THINK),
            mode: sc.arrival_mode(),
            start_quota: sc.quotas.start_execution.map(bucket),
            transition_quota: match sc.machine_type.is_express() {
                true => None,
                false => sc.quotas.state_transitions.map(bucket),
            },
            events: Events::default(),
            ahead: VecDeque::new(),
            lookahead: if threads > 1 {
                AHEAD_PER_THREAD * threads
            } else {
                1
            },
            drawn: 0,
            no_more: false,
            seq: 0,
            finished: 0,
            now: 0.0,
            held_until: 0.0,
        };
        state.first_events();
        Self {
            setup: Setup {
                info: vm::machine_info(&run_opts),
                core,
                run_opts,
                sink,
                executions: root.split(streams::EXECUTIONS),
            },
            state,
            completions,
            threads,
            local: Some(local),
            workers: Vec::new(),
        }
    }

    /// Takes events in time order until none is left or `stop` is set;
    /// returns whether it stopped early. `progress` is called about every
    /// 100 ms of wall time with (executions finished, simulated seconds).
    /// `worker` makes each worker thread's state.
    pub(crate) fn run_all(
        &mut self,
        stop: Option<&AtomicBool>,
        progress: Option<&mut dyn FnMut(u64, f64)>,
        worker: &(dyn Fn() -> Local + Sync),
    ) -> bool {
        let setup = &self.setup;
        let runner = Runner {
            core: &setup.core,
            info: &setup.info,
            opts: &setup.run_opts,
            sink: &setup.sink,
            executions: &setup.executions,
        };
        let parkers: Vec<Parker> = (1..self.threads).map(|_| Parker::new()).collect();
        let queue = Queue::new(parkers.iter().map(|p| p.unparker().clone()).collect());
        if let Some(l) = self.local.take() {
            local::install(l);
        }
        let state = &mut self.state;
        let completions = &self.completions;
        let (partial, workers) = std::thread::scope(|s| {
            let handles: Vec<_> = parkers
                .into_iter()
                .map(|p| {
                    let (q, r) = (&queue, &runner);
                    s.spawn(move || pool::work(q, r, worker(), &p))
                })
                .collect();
            let partial = state.run(&runner, &queue, completions, stop, progress);
            queue.close();
            let workers: Vec<Local> = handles
                .into_iter()
                .filter_map(|h| h.join().ok().flatten())
                .collect();
            (partial, workers)
        });
        self.local = local::take();
        self.workers = workers;
        partial
    }

    /// Ends the run: the last concurrency changes are recorded and the
    /// statistics closed at the later of now and the last recorded change,
    /// then every worker's statistics added. Returns them with the number of
    /// executions numbered.
    pub(crate) fn into_stats(self) -> (SimStats, u64) {
        let Some(mut l) = self.local else {
            return (SimStats::new(Vec::new(), Vec::new()), self.state.seq);
        };
        replay_busy(&mut l, f64::INFINITY);
        let end = self
            .state
            .now
            .max(self.state.held_until)
            .max(l.stats.simulated_ms());
        l.stats.finish(end);
        for w in &self.workers {
            l.stats.merge(&w.stats);
        }
        (l.stats, self.state.seq)
    }
}

/// Hands the statistics every change of resource concurrency up to `upto`, in time order.
fn replay_busy(l: &mut Local, upto: f64) {
    let Some(limits) = l.limits.as_mut() else {
        return;
    };
    let stats = &mut l.stats;
    for (r, lim) in limits.iter_mut().enumerate() {
        let cap = lim.capacity();
        lim.replay(upto, |t, n| stats.resource_busy(r, t, n, cap));
    }
}

impl Loop<'_> {
    /// The first open-loop arrival, or every closed-loop slot at time 0.
    fn first_events(&mut self) {
        match &self.mode {
            ArrivalMode::Open(_) => {
                self.draw_ahead(None);
                if let Some(a) = self.ahead.front() {
                    self.events.push(a.t, Ev::Arrive);
                }
            }
            ArrivalMode::Closed { concurrency, .. } => {
                let per_shard = (f64::from(*concurrency) / f64::from(self.shard.1)).ceil() as u32;
                for _ in 0..per_shard.max(1) {
                    self.events.push(0.0, Ev::Slot);
                }
            }
        }
    }

    /// Draws open-loop arrivals until `lookahead` are waiting. Each one's
    /// `seq` is its number (every arrival takes one) and its StartExecution
    /// token is decided now: the bucket sees the arrivals in the same order
    /// and at the same times as when each is taken.
    fn draw_ahead(&mut self, queue: Option<&Queue>) {
        while self.ahead.len() < self.lookahead && !self.no_more {
            let ArrivalMode::Open(a) = &mut self.mode else {
                return;
            };
            let Some(t) = a.next_at(&mut self.arrivals) else {
                self.no_more = true;
                return;
            };
            let seq = self.drawn;
            self.drawn += 1;
            let plan = self.plan(seq, t);
            if let (Some(q), Plan::Now(j) | Plan::Later(j, _)) = (queue, &plan) {
                q.push(j);
            }
            self.ahead.push_back(Arrival { t, plan });
        }
    }

    /// What arrival `seq` at `t` will do.
    fn plan(&mut self, seq: u64, t: f64) -> Plan {
        let (shard_i, shard_n) = self.shard;
        if seq % u64::from(shard_n) != u64::from(shard_i) {
            return Plan::Other;
        }
        let Some(q) = self.start_quota.as_mut() else {
            return Plan::Now(new_job(seq, t));
        };
        match self.sc.quotas.on_start_limit {
            StartLimit::Queue => {
                let at = q.take_at(t);
                if at > t {
                    Plan::Later(new_job(seq, at), at)
                } else {
                    Plan::Now(new_job(seq, t))
                }
            }
            StartLimit::Reject if q.try_take(t) => Plan::Now(new_job(seq, t)),
            StartLimit::Reject => Plan::Throttled,
        }
    }

    /// The loop: see [`Driver::run_all`].
    fn run(
        &mut self,
        runner: &Runner<'_>,
        queue: &Queue,
        completions: &Receiver<Completed>,
        stop: Option<&AtomicBool>,
        mut progress: Option<&mut dyn FnMut(u64, f64)>,
    ) -> bool {
        let obs: Box<ObserverCell> = Box::new(RefCell::new(StateObserver));
        let cx = Cx {
            runner,
            queue,
            completions,
            obs: &obs,
        };
        // Arrivals drawn before the workers existed.
        for a in &self.ahead {
            if let Plan::Now(j) | Plan::Later(j, _) = &a.plan {
                queue.push(j);
            }
        }
        let mut steps = 0u64;
        let mut last_progress = Instant::now();
        while let Some((t, ev)) = self.events.pop() {
            self.now = t;
            steps += 1;
            if steps.is_multiple_of(CHECK_EVERY) {
                if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                    return true;
                }
                // Progress on wall time, so slow runs update as often as fast ones.
                if last_progress.elapsed() >= Duration::from_millis(100) {
                    last_progress = Instant::now();
                    if let Some(p) = progress.as_deref_mut() {
                        p(self.finished, self.now / 1000.0);
                    }
                }
            }
            local::with(|l| replay_busy(l, t));
            match ev {
                Ev::Wake(j) | Ev::Begin(j) => self.take(&cx, j),
                Ev::Arrive => self.arrive(&cx),
                Ev::Slot => self.slot(&cx),
            }
        }
        false
    }

    /// An open-loop arrival: the next one is scheduled, then this one
    /// starts, waits for a token, is refused, or is another shard's.
    fn arrive(&mut self, cx: &Cx<'_, '_>) {
        let Some(a) = self.ahead.pop_front() else {
            return;
        };
        self.draw_ahead(Some(cx.queue));
        if let Some(next) = self.ahead.front() {
            self.events.push(next.t, Ev::Arrive);
        }
        self.seq += 1;
        match a.plan {
            Plan::Other => {}
            Plan::Throttled => self.ended("THROTTLED", Some("StepFunctions.ThrottlingException")),
            Plan::Later(j, at) => self.events.push(at, Ev::Begin(j)),
            Plan::Now(j) => self.take(cx, j),
        }
    }

    /// A closed-loop slot: starts the next execution now, or when a
    /// StartExecution token comes, if the bounds admit one.
    fn slot(&mut self, cx: &Cx<'_, '_>) {
        let now = self.now;
        let ArrivalMode::Closed { bounds, .. } = &self.mode else {
            return;
        };
        if !bounds.admits(self.seq, now) {
            return;
        }
        let this = self.seq;
        self.seq += 1;
        let (shard_i, shard_n) = self.shard;
        if this % u64::from(shard_n) != u64::from(shard_i) {
            self.events.push(now, Ev::Slot);
            return;
        }
        if let Some(q) = self.start_quota.as_mut() {
            match self.sc.quotas.on_start_limit {
                StartLimit::Queue => {
                    let at = q.take_at(now);
                    if at > now {
                        let j = new_job(this, at);
                        cx.queue.push(&j);
                        self.events.push(at, Ev::Begin(j));
                        return;
                    }
                }
                StartLimit::Reject => {
                    if !q.try_take(now) {
                        self.ended("THROTTLED", Some("StepFunctions.ThrottlingException"));
                        self.events.push(now, Ev::Slot);
                        return;
                    }
                }
            }
        }
        self.take(cx, new_job(this, now));
    }

    /// Takes the slice of `j` due now: runs it here unless a worker has (or
    /// resumes it where it stopped before a call with limits), records what
    /// it did to the resources, and schedules what it asked for next.
    fn take(&mut self, cx: &Cx<'_, '_>, j: JobRef) {
        let mut g = job::lock(&j);
        let blocked = matches!(g.due, Due::Ran(Ran::Blocked { .. }));
        if g.pending() || blocked {
            cx.runner.run(&mut g, cx.obs, Some(cx.completions));
        }
        if !g.busy.is_empty() {
            local::with(|l| {
                if let Some(limits) = l.limits.as_mut() {
                    for &(r, start, service) in &g.busy {
                        limits[r as usize].add_busy(start, service);
                    }
                }
            });
            g.busy.clear();
        }
        match std::mem::replace(&mut g.due, Due::Wake { at: self.now }) {
            Due::Ran(Ran::Sleep { until, transitions }) => {
                let until = until.max(self.hold(transitions));
                g.due = Due::Wake { at: until };
                drop(g);
                cx.queue.push(&j);
                self.events.push(until, Ev::Wake(j));
            }
            Due::Ran(Ran::Done(e)) => {
                drop(g);
                self.finish(e);
            }
            // Not resumable (no execution): nothing more happens to it.
            _ => {}
        }
    }

    /// When the slice's `transitions` have StateTransition tokens (now,
    /// without a quota): the execution is held until then.
    fn hold(&mut self, transitions: u64) -> f64 {
        let now = self.now;
        let Some(q) = self.transition_quota.as_mut() else {
            return now;
        };
        let (ready, throttled) = q.take_n_at(now, transitions);
        if throttled > 0 {
            local::with(|l| l.stats.transitions_throttled(throttled, ready - now));
        }
        ready
    }

    /// Records how an execution ended; in a closed loop its slot's next
    /// start comes after the think time.
    fn finish(&mut self, e: Ended) {
        if !e.started {
            // As before the parallel driver: a closed-loop slot whose start failed is not refilled.
            return self.ended(e.status, e.error.as_deref());
        }
        let held = self.hold(e.last) - self.now;
        local::with(|l| {
            l.stats
                .execution_done(e.status, e.error.as_deref(), e.duration_ms + held);
            l.stats.transitions(e.transitions);
        });
        self.finished += 1;
        self.held_until = self.held_until.max(self.now + held);
        if let ArrivalMode::Closed { think_ms, .. } = &self.mode {
            let think = think_ms
                .as_ref()
                .map_or(0.0, |d| d.sample_ms(&mut self.think).max(0.0));
            self.events.push(self.now + held + think, Ev::Slot);
        }
    }

    /// Counts an execution that ended without running (0 ms).
    fn ended(&mut self, status: &str, error: Option<&str>) {
        local::with(|l| l.stats.execution_done(status, error, 0.0));
        self.finished += 1;
    }
}

/// What the loop's steps share.
struct Cx<'r, 'a> {
    runner: &'r Runner<'a>,
    queue: &'r Queue,
    completions: &'r Receiver<Completed>,
    obs: &'r ObserverCell,
}

fn new_job(seq: u64, at: f64) -> JobRef {
    Arc::new(Mutex::new(Job::start(seq, at)))
}
