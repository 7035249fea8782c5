//! The simulation driver: a discrete-event simulation on one virtual clock.
//!
//! Events (arrivals and execution wake-ups) are taken in time order. An
//! execution runs until it waits; a Task served by a resource model gets a
//! delayed reply (queueing delay + sampled latency, or a throttle error),
//! decided when it is called (see `queue.rs`), so the only events are an
//! execution's own timers. One thread runs it, which makes results exact and
//! identical on any machine; parallelism comes from sweeps and `--shard`.

use super::arrivals::ArrivalMode;
use super::queue::{Admit, Limits};
use super::resource::ResourceModel;
use super::rng::{streams, Rng};
use super::{InputGen, Scenario};
use crate::asl::{self, Diagnostic, Diagnostics, StateMachine};
use crate::error::Failure;
use crate::handlers::{Call, CompletionKey, CompletionSink, Registry, Reply, TaskHandler};
use crate::json::Doc;
use crate::report::SimStats;
use crate::vm::{
    self, Advance, Execution, Input, MachineCore, Observer, ObserverCell, RunEnv, RunOptions,
};
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Start of the simulated clock: 2025-01-01T00:00:00Z (so outputs that
/// show times are the same on every run).
pub const SIM_EPOCH_MS: i64 = 1_735_689_600_000;

/// How to run a scenario.
#[derive(Default)]
pub struct SimOptions<'a> {
    /// Run the `i`-th of `n` disjoint slices of the executions (0-based `i`).
    pub shard: Option<(u32, u32)>,
    /// Set to stop early; the report is then marked partial.
    pub stop: Option<&'a AtomicBool>,
    /// Called about every 100 ms of wall time with (executions finished, simulated seconds).
    pub progress: Option<&'a mut dyn FnMut(u64, f64)>,
}

/// What a simulation produced.
#[derive(Debug)]
pub struct SimResult {
    /// All statistics, mergeable with other shards.
    pub stats: SimStats,
    /// The definition, for drawing the graph.
    pub machine: StateMachine,
    /// Stopped before the end (Ctrl-C).
    pub partial: bool,
    /// Executions started.
    pub started: u64,
}

/// What the handler and the observer share with the driver (one thread
/// uses it at a time; the mutex only satisfies `TaskHandler: Sync`).
struct Shared {
    stats: SimStats,
    models: Vec<ResourceModel>,
    limits: Vec<Limits>,
    /// Resource string → model index (`None`: no model, the task echoes at once).
    lookup: HashMap<Box<str>, Option<usize>>,
    /// Task random stream of each live execution, by slot.
    task_rng: Vec<Rng>,
    /// The slot of the execution running now.
    current: usize,
}

fn lock(s: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    s.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Serves every Task from the scenario's resource models.
struct SimHandler(Arc<Mutex<Shared>>);

impl TaskHandler for SimHandler {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        let mut g = lock(&self.0);
        let sh = &mut *g;
        let r = match sh.lookup.get(c.resource()) {
            Some(r) => *r,
            None => {
                let r = super::resource::resolve(&sh.models, c.resource());
                sh.lookup.insert(c.resource().into(), r);
                r
            }
        };
        let Some(r) = r else {
            return Reply::Value(c.input());
        };
        let now = (c.now_ms() - SIM_EPOCH_MS) as f64;
        let rng = &mut sh.task_rng[sh.current];
        let model = &sh.models[r];
        let decision = model.decide(rng);
        let latency = decision.latency_ms.max(0.0);
        match sh.limits[r].admit(now, latency) {
            Admit::Start { wait_ms } => {
                sh.stats.resource_invoked(r, wait_ms);
                sh.stats.resource_served(r, latency);
                let result = match decision.outcome {
                    Ok(spec) => {
                        let input = c.input();
                        let mut seed = rng.next_u64();
                        let mut entropy = || super::rng::splitmix64(&mut seed);
                        spec.render(c.doc(), input, Doc::NULL, &mut entropy)
                    }
                    Err(e) => {
                        sh.stats.resource_error(r);
                        Err(Failure::new(e.error.clone(), e.cause.clone()))
                    }
                };
                Reply::Delayed {
                    after_ms: (wait_ms + latency).round() as u64,
                    result,
                }
            }
            Admit::Throttled => {
                sh.stats.resource_throttled(r);
                Reply::Error(model.throttle_failure())
            }
            Admit::TimedOut { after_ms } => {
                sh.stats.resource_throttled(r);
                Reply::Delayed {
                    after_ms: after_ms.round() as u64,
                    result: Err(model.throttle_failure()),
                }
            }
        }
    }
}

/// Per-state statistics from the VM's observer hooks.
struct StateObserver(Arc<Mutex<Shared>>);

impl Observer for StateObserver {
    fn state_entered(&mut self, state: crate::bytecode::StateId, _at_ms: i64) {
        lock(&self.0).stats.state_entered(state.idx());
    }
    fn state_left(&mut self, state: crate::bytecode::StateId, entered_ms: i64, at_ms: i64) {
        lock(&self.0)
            .stats
            .state_left(state.idx(), (at_ms - entered_ms) as f64);
    }
    fn state_failed(&mut self, state: crate::bytecode::StateId) {
        lock(&self.0).stats.state_failed(state.idx());
    }
    fn state_retried(&mut self, state: crate::bytecode::StateId) {
        lock(&self.0).stats.state_retried(state.idx());
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    /// The next open-loop arrival.
    Arrive,
    /// A closed-loop slot starts its next execution.
    Slot,
    /// Execution `seq` starts now: it waited for a StartExecution token.
    Begin(u64),
    /// An execution's timer is due: (slot, generation).
    Wake(u32, u32),
}

struct Live {
    exec: Execution,
    gen: u32,
}

type Completed = (CompletionKey, Result<serde_json::Value, Failure>);

/// Deferred completions, from any thread, for the execution running now.
struct ChannelSink(Mutex<std::sync::mpsc::Sender<Completed>>);

impl CompletionSink for ChannelSink {
    fn complete(&self, key: CompletionKey, result: Result<serde_json::Value, Failure>) {
        if let Ok(tx) = self.0.lock() {
            let _ = tx.send((key, result));
        }
    }
}

/// Generation of a reused slot (so a stale wake-up is ignored).
fn next_gen(gens: &mut Vec<u32>, s: u32) -> u32 {
    if gens.len() <= s as usize {
        gens.resize(s as usize + 1, 0);
    }
    gens[s as usize] = gens[s as usize].wrapping_add(1);
    gens[s as usize]
}

/// Runs a scenario to its end (or until `opts.stop`).
///
/// # Errors
/// The definition is invalid, a scenario resource matches no Task, or the
/// program does not compile — each problem with its JSON pointer.
pub fn simulate(sc: &Scenario, mut opts: SimOptions<'_>) -> Result<SimResult, Diagnostics> {
    let (machine, _) = asl::validate(&sc.definition_text, sc.machine_type)
        .map_err(|d| prefix(d, "/definition"))?;
    let unmatched = super::check_resources(sc, &super::task_resources(&machine));
    if !unmatched.is_empty() {
        return Err(Diagnostics(unmatched));
    }
    let (shard_i, shard_n) = opts.shard.unwrap_or((0, 1));
    let n = f64::from(shard_n.max(1));
    let models: Vec<ResourceModel> = sc.resources.clone();
    // With --shard, each shard models 1/n of every shared limit.
    let limits = models
        .iter()
        .map(|m| {
            let cap = m
                .max_concurrency
                .map(|c| ((f64::from(c) / n).ceil() as u32).max(1));
            let rate = m.max_rate_per_s.map(|r| {
                super::quota::TokenBucket {
                    rate_per_s: r / n,
                    burst: (m.bucket_size().unwrap_or(1.0) / n).max(1.0),
                }
                .start()
            });
            Limits::new(cap, rate, m.on_limit)
        })
        .collect();
    let mut registry = Registry::default();
    let shared = Arc::new(Mutex::new(Shared {
        stats: SimStats::new(Vec::new(), Vec::new()),
        models,
        limits,
        lookup: HashMap::new(),
        task_rng: Vec::new(),
        current: 0,
    }));
    registry.register("*", Arc::new(SimHandler(Arc::clone(&shared))));
    let program = crate::compile::compile(&machine, &registry)?;
    let program_states = program
        .states
        .iter()
        .map(|s| s.name.to_string())
        .collect::<Vec<_>>();
    {
        let mut g = lock(&shared);
        let keys = g.models.iter().map(|m| m.key.clone()).collect();
        g.stats = SimStats::new(program_states, keys);
    }
    let core = MachineCore {
        program,
        handlers: registry.handlers().to_vec(),
    };
    let observer: Box<ObserverCell> = Box::new(RefCell::new(StateObserver(Arc::clone(&shared))));
    let run_opts = RunOptions {
        machine_type: sc.machine_type,
        state_machine_name: sc.name.clone(),
        ..RunOptions::default()
    };
    let info = vm::machine_info(&run_opts);
    let (tx, rx) = std::sync::mpsc::channel::<Completed>();
    let sink: Arc<dyn CompletionSink> = Arc::new(ChannelSink(Mutex::new(tx)));

    let root = sc.rng();
    let mut arrival_rng = root.split(streams::ARRIVALS);
    let mut think_rng = root.split(streams::THINK);
    let exec_root = root.split(streams::EXECUTIONS);
    let mut inputs = InputGen::new(sc.input.clone());
    let mut mode = sc.arrival_mode();

    let mut events: BinaryHeap<Reverse<(super::queue::T, u64, Ev)>> = BinaryHeap::new();
    let mut ev_seq = 0u64;
    let mut push = |events: &mut BinaryHeap<_>, t: f64, ev: Ev| {
        ev_seq += 1;
        events.push(Reverse((super::queue::T(t), ev_seq, ev)));
    };
    match &mut mode {
        ArrivalMode::Open(a) => {
            if let Some(t) = a.next_at(&mut arrival_rng) {
                push(&mut events, t, Ev::Arrive);
            }
        }
        ArrivalMode::Closed { concurrency, .. } => {
            let per_shard = (f64::from(*concurrency) / n).ceil() as u32;
            for _ in 0..per_shard.max(1) {
                push(&mut events, 0.0, Ev::Slot);
            }
        }
    }

    let mut live: Vec<Option<Live>> = Vec::new();
    let mut free: Vec<u32> = Vec::new();
    let mut gens: Vec<u32> = Vec::new();
    let (mut seq, mut finished, mut partial, mut now) = (0u64, 0u64, false, 0.0f64);
    let mut steps = 0u64;
    let mut last_progress = std::time::Instant::now();
    // The account's StartExecution token bucket (each shard has 1/n of it).
    let mut start_quota = sc.quotas.start_execution.map(|b| {
        super::quota::TokenBucket {
            rate_per_s: b.rate_per_s / n,
            burst: (b.burst / n).max(1.0),
        }
        .start()
    });
    while let Some(Reverse((super::queue::T(t), _, ev))) = events.pop() {
        now = t;
        steps += 1;
        if steps.is_multiple_of(4096) {
            if opts.stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                partial = true;
                break;
            }
            // Progress on wall time, so slow runs update as often as fast ones.
            if last_progress.elapsed() >= std::time::Duration::from_millis(100) {
                last_progress = std::time::Instant::now();
                if let Some(p) = opts.progress.as_deref_mut() {
                    p(finished, now / 1000.0);
                }
            }
        }
        replay_busy(&shared, now);
        // Which execution to run now.
        let slot = match ev {
            Ev::Wake(slot, gen) => match live.get_mut(slot as usize).and_then(|l| l.as_mut()) {
                Some(l) if l.gen == gen => {
                    l.exec.wake(now as i64 + SIM_EPOCH_MS);
                    slot
                }
                _ => continue,
            },
            Ev::Arrive | Ev::Slot | Ev::Begin(_) => {
                let admitted = match (&mode, ev) {
                    (_, Ev::Begin(_)) | (ArrivalMode::Open(_), _) => true,
                    (ArrivalMode::Closed { bounds, .. }, _) => bounds.admits(seq, now),
                };
                // The next open-loop arrival is drawn whatever this shard does with this one.
                if let (Ev::Arrive, ArrivalMode::Open(a)) = (ev, &mut mode) {
                    if let Some(t2) = a.next_at(&mut arrival_rng) {
                        push(&mut events, t2, Ev::Arrive);
                    }
                }
                if !admitted {
                    continue;
                }
                let this = match ev {
                    Ev::Begin(s) => s,
                    _ => {
                        seq += 1;
                        seq - 1
                    }
                };
                if this % u64::from(shard_n.max(1)) != u64::from(shard_i) {
                    if ev == Ev::Slot {
                        push(&mut events, now, Ev::Slot);
                    }
                    continue;
                }
                if let (Some(q), false) = (start_quota.as_mut(), matches!(ev, Ev::Begin(_))) {
                    match sc.quotas.on_start_limit {
                        super::quota::StartLimit::Queue => {
                            let at = q.take_at(now);
                            if at > now {
                                push(&mut events, at, Ev::Begin(this));
                                continue;
                            }
                        }
                        super::quota::StartLimit::Reject => {
                            if !q.try_take(now) {
                                let mut g = lock(&shared);
                                g.stats.execution_done(
                                    "THROTTLED",
                                    Some("StepFunctions.ThrottlingException"),
                                    0.0,
                                );
                                finished += 1;
                                if ev == Ev::Slot {
                                    push(&mut events, now, Ev::Slot);
                                }
                                continue;
                            }
                        }
                    }
                }
                match start(&core, &info, &mut inputs, &exec_root, this, now, &run_opts) {
                    Ok((exec, task_rng)) => {
                        let s = match free.pop() {
                            Some(s) => s,
                            None => {
                                live.push(None);
                                (live.len() - 1) as u32
                            }
                        };
                        let gen = next_gen(&mut gens, s);
                        live[s as usize] = Some(Live { exec, gen });
                        let mut g = lock(&shared);
                        if g.task_rng.len() <= s as usize {
                            g.task_rng.resize(s as usize + 1, task_rng.clone());
                        }
                        g.task_rng[s as usize] = task_rng;
                        s
                    }
                    Err(e) => {
                        let mut g = lock(&shared);
                        g.stats.execution_done("FAILED", Some(&e.error), 0.0);
                        finished += 1;
                        continue;
                    }
                }
            }
        };
        lock(&shared).current = slot as usize;
        let Some(l) = live[slot as usize].as_mut() else {
            continue;
        };
        let env = RunEnv {
            prog: &core.program,
            handlers: &core.handlers,
            sink: &sink,
            now_ms: now as i64 + SIM_EPOCH_MS,
            obs: Some(&*observer),
        };
        let done = loop {
            match l.exec.advance(&env, 1 << 20) {
                Advance::Yield => {}
                Advance::Done => break true,
                // A handler completes on its own thread: wall time passes, simulated time does not.
                Advance::Park => match rx.recv() {
                    Ok((key, result)) => l.exec.complete(&env, key, result),
                    Err(_) => break true,
                },
                Advance::SleepUntil(at) => {
                    push(
                        &mut events,
                        (at - SIM_EPOCH_MS) as f64,
                        Ev::Wake(slot, l.gen),
                    );
                    break false;
                }
            }
        };
        if done {
            let outcome = vm::Outcome::of(&l.exec, 0);
            {
                let mut g = lock(&shared);
                g.stats.execution_done(
                    outcome.status.as_str(),
                    outcome.error.as_deref(),
                    outcome.duration_ms as f64,
                );
                g.stats.transitions(outcome.transitions);
            }
            live[slot as usize] = None;
            free.push(slot);
            finished += 1;
            if let ArrivalMode::Closed { think_ms, .. } = &mode {
                let think = think_ms
                    .as_ref()
                    .map_or(0.0, |d| d.sample_ms(&mut think_rng).max(0.0));
                push(&mut events, now + think, Ev::Slot);
            }
        }
    }
    replay_busy(&shared, f64::INFINITY);
    drop(observer);
    let mut g = lock(&shared);
    let end = now.max(g.stats.simulated_ms());
    g.stats.finish(end);
    let stats = std::mem::replace(&mut g.stats, SimStats::new(Vec::new(), Vec::new()));
    Ok(SimResult {
        stats,
        machine,
        partial,
        started: seq,
    })
}

/// Starts execution `seq` at simulated time `now` (ms): its input, its seeds.
fn start(
    core: &MachineCore,
    info: &Arc<vm::MachineInfo>,
    inputs: &mut InputGen,
    exec_root: &Rng,
    seq: u64,
    now: f64,
    run: &RunOptions,
) -> Result<(Execution, Rng), Failure> {
    let rng = exec_root.split(seq);
    let mut input_rng = rng.split(streams::INPUT);
    let text = inputs.next(seq, &mut input_rng)?;
    let mut entropy = rng.split(streams::ENTROPY);
    let opts = RunOptions {
        seed: entropy.next_u64(),
        start_time_ms: Some(now as i64 + SIM_EPOCH_MS),
        ..run.clone()
    };
    let exec = vm::start(core, seq, info, &Input::Text(text), &opts)
        .map_err(|e| Failure::new("States.Runtime", e.to_string()))?;
    Ok((exec, rng.split(streams::TASKS)))
}

/// Hands the statistics every change of resource concurrency up to `upto`, in time order.
fn replay_busy(shared: &Mutex<Shared>, upto: f64) {
    let mut g = lock(shared);
    let sh = &mut *g;
    for (r, l) in sh.limits.iter_mut().enumerate() {
        let cap = l.capacity();
        let stats = &mut sh.stats;
        l.replay(upto, |t, n| stats.resource_busy(r, t, n, cap));
    }
}

fn prefix(d: Diagnostics, at: &str) -> Diagnostics {
    Diagnostics(
        d.0.into_iter()
            .map(|x| Diagnostic {
                location: format!("{at}{}", x.location),
                ..x
            })
            .collect(),
    )
}

#[cfg(test)]
mod quota_tests {
    use super::*;

    fn scenario(quotas: &str) -> Scenario {
        let dir = std::env::temp_dir().join(format!(
            "stampede-quota-{}-{}",
            std::process::id(),
            quotas.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("d.json"),
            r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
        )
        .unwrap();
        let text = format!(r#"{{"definition":"d.json","executions":1000,"quotas":{quotas}}}"#);
        super::super::parse_scenario(&text, &dir).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn json(r: &SimResult) -> serde_json::Value {
        let prices = crate::report::PriceTable::default();
        let inputs = crate::report::CostInputs::from_stats(
            &r.stats,
            crate::MachineType::Standard,
            &prices,
            |_| None,
        );
        crate::report::report_json(&r.stats, &prices.estimate(&inputs), &Default::default())
    }

    #[test]
    fn start_execution_quota_rejects_or_delays() {
        let r = simulate(&scenario(r#"{"start_execution_rate_per_s":10,"start_execution_burst":100,"on_start_limit":"reject"}"#), SimOptions::default()).unwrap();
        let j = json(&r);
        assert_eq!(
            j["executions"]["by_status"]["SUCCEEDED"], 100,
            "{}",
            j["executions"]
        );
        assert_eq!(j["executions"]["by_status"]["THROTTLED"], 900);
        let r = simulate(
            &scenario(r#"{"start_execution_rate_per_s":10,"start_execution_burst":100}"#),
            SimOptions::default(),
        )
        .unwrap();
        let j = json(&r);
        assert_eq!(j["executions"]["by_status"]["SUCCEEDED"], 1000);
        // 900 queued starts at 10/s: the last starts 90 s in.
        let secs = j["meta"]["simulated_seconds"].as_f64().unwrap();
        assert!((secs - 90.0).abs() < 0.5, "{secs}");
    }
}
