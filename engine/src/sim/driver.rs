//! The event loop of a simulation: admits arrivals, starts executions with
//! their seeded inputs, runs each one until it sleeps or ends, and records
//! how it ended. See "The driver" in `sim/README.md`.

use super::arrivals::ArrivalMode;
use super::clock::{sim_ms, vm_ms};
use super::events::{Ev, Events};
use super::handler::{lock, Shared, StateObserver};
use super::quota::{BucketState, StartLimit, TokenBucket};
use super::rng::{streams, Rng};
use super::slots::Slots;
use super::{InputGen, Scenario};
use crate::error::Failure;
use crate::handlers::CompletionSink;
use crate::handlers::{channel_sink, Completed};
use crate::report::SimStats;
use crate::vm::{self, Advance, Execution, Input, MachineCore, MachineInfo, ObserverCell};
use crate::vm::{RunEnv, RunOptions};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Fuel for one slice of an execution before it yields.
const FUEL: u32 = 1 << 20;

/// How often (in events) to look at the stop flag and the wall clock.
const CHECK_EVERY: u64 = 4096;

/// The random streams the driver draws from, split from the scenario's seed.
struct Streams {
    /// Open-loop arrival times.
    arrivals: Rng,
    /// Closed-loop think times.
    think: Rng,
    /// Parent of every execution's own stream (split by `seq`).
    executions: Rng,
}

/// One simulation run: its clock, its events and its executions.
pub(crate) struct Driver<'a> {
    sc: &'a Scenario,
    /// This shard's index and the number of shards (at least 1).
    shard: (u32, u32),
    core: MachineCore,
    info: Arc<MachineInfo>,
    run_opts: RunOptions,
    shared: Arc<Mutex<Shared>>,
    observer: Box<ObserverCell>,
    sink: Arc<dyn CompletionSink>,
    completions: Receiver<Completed>,
    rng: Streams,
    inputs: InputGen,
    mode: ArrivalMode,
    /// The account's StartExecution token bucket (each shard has 1/n of it).
    start_quota: Option<BucketState>,
    events: Events,
    slots: Slots,
    /// Executions numbered so far (the next `seq`).
    seq: u64,
    /// Executions that ended (counted, throttled or failed to start).
    finished: u64,
    /// The simulated time now, in ms.
    now: f64,
}

impl<'a> Driver<'a> {
    /// A driver for `sc` running the compiled `core`, whose Task handler
    /// serves from `shared`; the first arrivals are scheduled.
    pub(crate) fn new(
        sc: &'a Scenario,
        shard: (u32, u32),
        core: MachineCore,
        shared: Arc<Mutex<Shared>>,
    ) -> Self {
        let shard = (shard.0, shard.1.max(1));
        let n = f64::from(shard.1);
        let observer: Box<ObserverCell> =
            Box::new(RefCell::new(StateObserver(Arc::clone(&shared))));
        let run_opts = RunOptions {
            machine_type: sc.machine_type,
            state_machine_name: sc.name.clone(),
            ..RunOptions::default()
        };
        let (sink, completions) = channel_sink();
        let root = sc.rng();
        let mut driver = Self {
            sc,
            shard,
            info: vm::machine_info(&run_opts),
            core,
            run_opts,
            shared,
            observer,
            sink,
            completions,
            rng: Streams {
                arrivals: root.split(streams::ARRIVALS),
                think: root.split(streams::THINK),
                executions: root.split(streams::EXECUTIONS),
            },
            inputs: InputGen::new(sc.input.clone()),
            mode: sc.arrival_mode(),
            start_quota: sc.quotas.start_execution.map(|b| {
                TokenBucket {
                    rate_per_s: b.rate_per_s / n,
                    burst: (b.burst / n).max(1.0),
                }
                .start()
            }),
            events: Events::default(),
            slots: Slots::default(),
            seq: 0,
            finished: 0,
            now: 0.0,
        };
        driver.first_events();
        driver
    }

    /// The first open-loop arrival, or every closed-loop slot at time 0.
    fn first_events(&mut self) {
        match &mut self.mode {
            ArrivalMode::Open(a) => {
                if let Some(t) = a.next_at(&mut self.rng.arrivals) {
                    self.events.push(t, Ev::Arrive);
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

    /// Takes events in time order until none is left or `stop` is set;
    /// returns whether it stopped early. `progress` is called about every
    /// 100 ms of wall time with (executions finished, simulated seconds).
    pub(crate) fn run_all(
        &mut self,
        stop: Option<&AtomicBool>,
        mut progress: Option<&mut dyn FnMut(u64, f64)>,
    ) -> bool {
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
            lock(&self.shared).replay_busy(self.now);
            let slot = match ev {
                Ev::Wake(slot, gen) => self.wake(slot, gen),
                Ev::Arrive | Ev::Slot | Ev::Begin(_) => self.admit(ev),
            };
            if let Some(slot) = slot {
                if self.run(slot) {
                    self.finish(slot);
                }
            }
        }
        false
    }

    /// Wakes the execution in `slot` if its timer is still its own.
    fn wake(&mut self, slot: u32, gen: u32) -> Option<u32> {
        let l = self.slots.current(slot, gen)?;
        l.exec.wake(vm_ms(self.now));
        Some(slot)
    }

    /// Decides what an arrival, a closed-loop slot or a delayed start does:
    /// the slot of a newly started execution, or `None` when nothing runs
    /// now (not admitted, another shard's, waiting for or refused a
    /// StartExecution token, or its input failed).
    fn admit(&mut self, ev: Ev) -> Option<u32> {
        let now = self.now;
        let admitted = match (&self.mode, ev) {
            (_, Ev::Begin(_)) | (ArrivalMode::Open(_), _) => true,
            (ArrivalMode::Closed { bounds, .. }, _) => bounds.admits(self.seq, now),
        };
        // The next open-loop arrival is drawn whatever this shard does with this one.
        if let (Ev::Arrive, ArrivalMode::Open(a)) = (ev, &mut self.mode) {
            if let Some(t2) = a.next_at(&mut self.rng.arrivals) {
                self.events.push(t2, Ev::Arrive);
            }
        }
        if !admitted {
            return None;
        }
        let this = match ev {
            Ev::Begin(s) => s,
            _ => {
                self.seq += 1;
                self.seq - 1
            }
        };
        let (shard_i, shard_n) = self.shard;
        if this % u64::from(shard_n) != u64::from(shard_i) {
            self.refill_slot(ev);
            return None;
        }
        if !matches!(ev, Ev::Begin(_)) && !self.take_start_token(ev, this) {
            return None;
        }
        self.start(this)
    }

    /// Takes a StartExecution token for `this`, if there is a quota: false
    /// when the start waits for one (a `Begin` event) or is refused.
    fn take_start_token(&mut self, ev: Ev, this: u64) -> bool {
        let Some(q) = self.start_quota.as_mut() else {
            return true;
        };
        let now = self.now;
        match self.sc.quotas.on_start_limit {
            StartLimit::Queue => {
                let at = q.take_at(now);
                if at > now {
                    self.events.push(at, Ev::Begin(this));
                    return false;
                }
            }
            StartLimit::Reject => {
                if !q.try_take(now) {
                    self.ended("THROTTLED", Some("StepFunctions.ThrottlingException"));
                    self.refill_slot(ev);
                    return false;
                }
            }
        }
        true
    }

    /// A closed-loop slot whose start did not happen tries again now.
    fn refill_slot(&mut self, ev: Ev) {
        if ev == Ev::Slot {
            self.events.push(self.now, Ev::Slot);
        }
    }

    /// Counts an execution that ended without running (0 ms).
    fn ended(&mut self, status: &str, error: Option<&str>) {
        lock(&self.shared).stats.execution_done(status, error, 0.0);
        self.finished += 1;
    }

    /// Starts execution `seq` now, with its seeded input, in a free slot.
    fn start(&mut self, seq: u64) -> Option<u32> {
        match self.new_execution(seq) {
            Ok((exec, task_rng)) => {
                let slot = self.slots.insert(exec);
                lock(&self.shared).set_task_rng(slot, task_rng);
                Some(slot)
            }
            Err(e) => {
                self.ended("FAILED", Some(&e.error));
                None
            }
        }
    }

    /// Execution `seq` at the time now: its input, its seeds, and its task stream.
    fn new_execution(&mut self, seq: u64) -> Result<(Execution, Rng), Failure> {
        let rng = self.rng.executions.split(seq);
        let mut input_rng = rng.split(streams::INPUT);
        let text = self.inputs.next(seq, &mut input_rng)?;
        let mut entropy = rng.split(streams::ENTROPY);
        let opts = RunOptions {
            seed: entropy.next_u64(),
            start_time_ms: Some(vm_ms(self.now)),
            ..self.run_opts.clone()
        };
        let exec = vm::start(&self.core, seq, &self.info, &Input::Text(text), &opts)
            .map_err(|e| Failure::new("States.Runtime", e.to_string()))?;
        Ok((exec, rng.split(streams::TASKS)))
    }

    /// Advances the execution in `slot` until it sleeps (its wake-up is
    /// scheduled) or ends; returns whether it ended.
    fn run(&mut self, slot: u32) -> bool {
        lock(&self.shared).current = slot as usize;
        let Some(l) = self.slots.get_mut(slot) else {
            return false;
        };
        let env = RunEnv {
            tokens: None,
            prog: &self.core.program,
            handlers: &self.core.handlers,
            sink: &self.sink,
            now_ms: vm_ms(self.now),
            obs: Some(&*self.observer),
        };
        loop {
            match l.exec.advance(&env, FUEL) {
                Advance::Yield => {}
                Advance::Done => return true,
                // A handler completes on its own thread: wall time passes, simulated time does not.
                Advance::Park => match self.completions.recv() {
                    Ok((key, result)) => l.exec.complete(&env, key, result),
                    Err(_) => return true,
                },
                Advance::SleepUntil(at) => {
                    self.events.push(sim_ms(at), Ev::Wake(slot, l.gen));
                    return false;
                }
            }
        }
    }

    /// Records how the execution in `slot` ended, frees the slot, and in a
    /// closed loop schedules the slot's next start after its think time.
    fn finish(&mut self, slot: u32) {
        let Some(l) = self.slots.get_mut(slot) else {
            return;
        };
        let outcome = vm::Outcome::of(&mut l.exec, 0);
        {
            let mut g = lock(&self.shared);
            g.stats.execution_done(
                outcome.status.as_str(),
                outcome.error.as_deref(),
                outcome.duration_ms as f64,
            );
            g.stats.transitions(outcome.transitions);
        }
        self.slots.remove(slot);
        self.finished += 1;
        if let ArrivalMode::Closed { think_ms, .. } = &self.mode {
            let think = think_ms
                .as_ref()
                .map_or(0.0, |d| d.sample_ms(&mut self.rng.think).max(0.0));
            self.events.push(self.now + think, Ev::Slot);
        }
    }

    /// Ends the run: the last concurrency changes are recorded and the
    /// statistics closed at the later of now and the last recorded change.
    /// Returns them with the number of executions numbered.
    pub(crate) fn into_stats(self) -> (SimStats, u64) {
        let Self {
            shared,
            observer,
            now,
            seq,
            ..
        } = self;
        let mut g = lock(&shared);
        g.replay_busy(f64::INFINITY);
        drop(observer);
        let end = now.max(g.stats.simulated_ms());
        g.stats.finish(end);
        let stats = std::mem::replace(&mut g.stats, SimStats::new(Vec::new(), Vec::new()));
        (stats, seq)
    }
}
