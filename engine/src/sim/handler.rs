//! What the VM calls back into during a simulation: the Task handler that
//! serves every Task from the scenario's resource models, and the observer
//! that counts per-state statistics. Both write into the calling thread's
//! own state (`local.rs`), so any thread may run a slice without a lock.
//!
//! A call to a resource with limits (`max_concurrency`, `max_rate_per_s`)
//! depends on every earlier call to it, so only the driver's thread, which
//! holds the limits, decides it; on a worker the handler answers
//! [`crate::handlers::Call::not_yet`] and the slice stops before the call,
//! to be resumed by the driver in event order (see `sim/README.md`).

use super::clock::sim_ms;
use super::local::{self, Local};
use super::queue::Admit;
use super::resource::{self, ResourceModel};
use super::rng::splitmix64;
use crate::bytecode::{MapId, StateId};
use crate::error::Failure;
use crate::handlers::{Call, Reply, TaskHandler};
use crate::json::Doc;
use crate::vm::Observer;
use std::sync::OnceLock;

/// Serves every Task from the scenario's resource models.
pub(crate) struct SimHandler {
    models: Vec<ResourceModel>,
    /// Whether each model has a limit (its calls share state).
    limited: Vec<bool>,
    /// `(address of a Task's Resource text, its model)` for every Task of
    /// the compiled program: a lookup by pointer instead of by hashing the ARN.
    by_task: OnceLock<Vec<(usize, Option<usize>)>>,
}

impl SimHandler {
    /// A handler for these models.
    pub(crate) fn new(models: Vec<ResourceModel>) -> Self {
        let limited = models
            .iter()
            .map(|m| m.max_concurrency.is_some() || m.max_rate_per_s.is_some())
            .collect();
        Self {
            models,
            limited,
            by_task: OnceLock::new(),
        }
    }

    /// Learns the program's Task resources (their text stays where it is
    /// while the program lives, so its address identifies it).
    pub(crate) fn index<'a>(&self, resources: impl Iterator<Item = &'a str>) {
        let table = resources
            .map(|r| (r.as_ptr() as usize, resource::resolve(&self.models, r)))
            .collect();
        let _ = self.by_task.set(table);
    }

    /// The model serving `resource`.
    fn model_of(&self, resource: &str) -> Option<usize> {
        let at = resource.as_ptr() as usize;
        if let Some(t) = self.by_task.get() {
            if let Some(&(_, m)) = t.iter().find(|(p, _)| *p == at) {
                return m;
            }
        }
        resource::resolve(&self.models, resource)
    }

    /// Serves one call to model `r` with this thread's state.
    fn serve(&self, l: &mut Local, c: &mut Call<'_>, r: usize) -> Reply {
        let model = &self.models[r];
        let limited = self.limited[r];
        if limited && l.limits.is_none() {
            l.blocked = true;
            c.not_yet();
            return Reply::Pending;
        }
        let now = sim_ms(c.now_ms());
        let decision = model.decide(&mut l.rng);
        let latency = decision.latency_ms.max(0.0);
        let admit = match l.limits.as_mut() {
            Some(limits) => limits[r].admit(now, latency),
            None => {
                l.busy.push((r as u32, now, latency));
                Admit::Start { wait_ms: 0.0 }
            }
        };
        let stats = &mut l.stats;
        match admit {
            Admit::Start { wait_ms } => {
                stats.resource_invoked(r, wait_ms);
                stats.resource_served(r, latency);
                let result = match decision.outcome {
                    Ok(spec) => {
                        let input = c.input();
                        let mut seed = l.rng.next_u64();
                        let mut entropy = || splitmix64(&mut seed);
                        spec.render(c.doc(), input, Doc::NULL, &mut entropy)
                    }
                    Err(e) => {
                        stats.resource_error(r);
                        Err(Failure::new(e.error.clone(), e.cause.clone()))
                    }
                };
                Reply::Delayed {
                    after_ms: (wait_ms + latency).round() as u64,
                    result,
                }
            }
            Admit::Throttled => {
                stats.resource_throttled(r);
                Reply::Error(model.throttle_failure())
            }
            Admit::TimedOut { after_ms } => {
                stats.resource_throttled(r);
                Reply::Delayed {
                    after_ms: after_ms.round() as u64,
                    result: Err(model.throttle_failure()),
                }
            }
        }
    }
}

impl TaskHandler for SimHandler {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        let Some(r) = self.model_of(c.resource()) else {
            return Reply::Value(c.input());
        };
        local::with(|l| self.serve(l, c, r)).unwrap_or_else(|| {
            Reply::Error(Failure::new(
                "States.TaskFailed",
                "the simulation's handler was called outside a simulation",
            ))
        })
    }
}

/// Per-state statistics from the VM's observer hooks, into this thread's statistics.
pub(crate) struct StateObserver;

impl Observer for StateObserver {
    fn state_entered(&mut self, state: StateId, _at_ms: i64) {
        local::with(|l| l.stats.state_entered(state.idx()));
    }
    fn state_left(&mut self, state: StateId, entered_ms: i64, at_ms: i64) {
        local::with(|l| l.stats.state_left(state.idx(), (at_ms - entered_ms) as f64));
    }
    fn state_failed(&mut self, state: StateId) {
        local::with(|l| l.stats.state_failed(state.idx()));
    }
    fn state_retried(&mut self, state: StateId) {
        local::with(|l| l.stats.state_retried(state.idx()));
    }
    fn child_started(&mut self, map: MapId) {
        local::with(|l| {
            if let Some(m) = l.dmap(map) {
                l.stats.child_started(m);
            }
        });
    }
    fn child_ended(&mut self, map: MapId, ok: bool, ms: i64) {
        local::with(|l| {
            if let Some(m) = l.dmap(map) {
                l.stats.child_ended(m, ok, ms as f64);
            }
        });
    }
    fn map_run_ended(&mut self, map: MapId, failed_items: u64, exceeded: bool) {
        local::with(|l| {
            if let Some(m) = l.dmap(map) {
                l.stats.map_run_ended(m, failed_items, exceeded);
            }
        });
    }
}
