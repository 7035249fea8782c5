//! What the VM calls back into during a simulation: the Task handler that
//! serves every Task from the scenario's resource models, the observer that
//! counts per-state statistics, and the sink for deferred completions.

use super::clock::sim_ms;
use super::queue::{Admit, Limits};
use super::resource::{self, ResourceModel};
use super::rng::{splitmix64, Rng};
use crate::bytecode::StateId;
use crate::error::Failure;
use crate::handlers::{Call, Reply, TaskHandler};
use crate::json::Doc;
use crate::report::SimStats;
use crate::vm::Observer;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// What the handler and the observer share with the driver (one thread
/// uses it at a time; the mutex only satisfies `TaskHandler: Sync`).
pub(crate) struct Shared {
    /// Every statistic of the run.
    pub(crate) stats: SimStats,
    /// The scenario's resource models.
    pub(crate) models: Vec<ResourceModel>,
    /// Concurrency and rate limits of each model, with their queues.
    limits: Vec<Limits>,
    /// Resource string → model index (`None`: no model, the task echoes at once).
    lookup: HashMap<Box<str>, Option<usize>>,
    /// Task random stream of each live execution, by slot.
    task_rng: Vec<Rng>,
    /// The slot of the execution running now.
    pub(crate) current: usize,
}

impl Shared {
    /// State before the program is known: models and their limits.
    pub(crate) fn new(models: Vec<ResourceModel>, limits: Vec<Limits>) -> Self {
        Self {
            stats: SimStats::new(Vec::new(), Vec::new()),
            models,
            limits,
            lookup: HashMap::new(),
            task_rng: Vec::new(),
            current: 0,
        }
    }

    /// Gives the execution in `slot` its task random stream.
    pub(crate) fn set_task_rng(&mut self, slot: u32, rng: Rng) {
        let s = slot as usize;
        if self.task_rng.len() <= s {
            self.task_rng.resize(s + 1, rng.clone());
        }
        self.task_rng[s] = rng;
    }

    /// Hands the statistics every change of resource concurrency up to `upto`, in time order.
    pub(crate) fn replay_busy(&mut self, upto: f64) {
        for (r, l) in self.limits.iter_mut().enumerate() {
            let cap = l.capacity();
            let stats = &mut self.stats;
            l.replay(upto, |t, n| stats.resource_busy(r, t, n, cap));
        }
    }

    /// The model serving `resource` (looked up once per resource string).
    fn model_of(&mut self, resource: &str) -> Option<usize> {
        if let Some(r) = self.lookup.get(resource) {
            return *r;
        }
        let r = resource::resolve(&self.models, resource);
        self.lookup.insert(resource.into(), r);
        r
    }
}

/// Locks the shared state (a panic elsewhere does not poison the run).
pub(crate) fn lock(s: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Serves every Task from the scenario's resource models.
pub(crate) struct SimHandler(pub(crate) Arc<Mutex<Shared>>);

impl TaskHandler for SimHandler {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        let mut g = lock(&self.0);
        let sh = &mut *g;
        let Some(r) = sh.model_of(c.resource()) else {
            return Reply::Value(c.input());
        };
        let now = sim_ms(c.now_ms());
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
                        let mut entropy = || splitmix64(&mut seed);
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
pub(crate) struct StateObserver(pub(crate) Arc<Mutex<Shared>>);

impl Observer for StateObserver {
    fn state_entered(&mut self, state: StateId, _at_ms: i64) {
        lock(&self.0).stats.state_entered(state.idx());
    }
    fn state_left(&mut self, state: StateId, entered_ms: i64, at_ms: i64) {
        lock(&self.0)
            .stats
            .state_left(state.idx(), (at_ms - entered_ms) as f64);
    }
    fn state_failed(&mut self, state: StateId) {
        lock(&self.0).stats.state_failed(state.idx());
    }
    fn state_retried(&mut self, state: StateId) {
        lock(&self.0).stats.state_retried(state.idx());
    }
}
