//! [`SimStats`]: the recorder a simulation writes into. One per worker (or
//! per shard), merged on demand; every count and sum is an integer and every
//! distribution an HdrHistogram, so merging is exact and order-independent.

use super::hist::{ms_to_us, Latency};
use super::series::Busy;
use std::collections::BTreeMap;

/// Counters and histograms of a simulation run.
///
/// States and resources are addressed by the indexes of the name lists given
/// to [`SimStats::new`]; methods taking an index panic when it is out of
/// range. Times are virtual milliseconds, kept as whole microseconds.
#[derive(Clone, Debug)]
pub struct SimStats {
    pub(crate) by_status: BTreeMap<String, u64>,
    pub(crate) by_error: BTreeMap<String, u64>,
    /// End-to-end latency of whole executions.
    pub(crate) latency: Latency,
    /// Σ over executions of the duration rounded up to 100 ms (Express billing).
    pub(crate) express_billed_ms: u64,
    pub(crate) states: Vec<StateStats>,
    pub(crate) resources: Vec<ResourceStats>,
    pub(crate) transitions: u64,
    /// State transitions that found no StateTransition token (the quota).
    pub(crate) throttled_transitions: u64,
    /// How long each execution held for StateTransition tokens was held.
    pub(crate) transition_hold: Latency,
    /// The end of simulated time (the latest `finish` or change seen).
    pub(crate) end_us: u64,
    /// Per Distributed Map state: its child executions and Map Runs.
    pub(crate) children: Vec<ChildStats>,
}

/// A Distributed Map state's child executions and Map Runs.
#[derive(Clone, Debug, Default)]
pub(crate) struct ChildStats {
    /// The Map state's name.
    pub(crate) map: String,
    /// Its children are Express executions (else Standard).
    pub(crate) express: bool,
    /// The states its children run (indexes of [`SimStats::states`]), whose
    /// transitions are the children's, not the parent's.
    pub(crate) states: Vec<usize>,
    pub(crate) started: u64,
    pub(crate) succeeded: u64,
    pub(crate) failed: u64,
    /// Duration of the children that ended.
    pub(crate) time: Latency,
    /// Σ of those durations rounded up to 100 ms (Express billing).
    pub(crate) billed_ms: u64,
    /// Map Runs that ended, and those over their failure tolerance.
    pub(crate) runs: u64,
    pub(crate) runs_exceeded: u64,
    /// Items that failed in Map Runs that stayed within their tolerance.
    pub(crate) tolerated_items: u64,
}

impl ChildStats {
    /// Children stopped because their Map Run failed (started, never ended).
    pub(crate) fn aborted(&self) -> u64 {
        self.started.saturating_sub(self.succeeded + self.failed)
    }

    /// State transitions the children took (entries and retries of their states).
    pub(crate) fn transitions(&self, states: &[StateStats]) -> u64 {
        self.states
            .iter()
            .filter_map(|&i| states.get(i))
            .map(|s| s.entered + s.retries)
            .sum()
    }
}

/// Per-state counters.
#[derive(Clone, Debug, Default)]
pub(crate) struct StateStats {
    pub(crate) name: String,
    pub(crate) entered: u64,
    pub(crate) failed: u64,
    pub(crate) retries: u64,
    /// Time from entering to leaving normally.
    pub(crate) time: Latency,
}

/// Per-resource counters.
#[derive(Clone, Debug, Default)]
pub(crate) struct ResourceStats {
    pub(crate) key: String,
    pub(crate) invocations: u64,
    pub(crate) errors: u64,
    pub(crate) throttles: u64,
    /// Invocations that queued (waited more than 0).
    pub(crate) waited: u64,
    /// Queueing delay of every invocation (zeros included).
    pub(crate) wait: Latency,
    /// Service time, where the driver reports it ([`SimStats::resource_served`]).
    pub(crate) service: Latency,
    /// Σ service time rounded up to 1 ms (Lambda billing).
    pub(crate) billed_ms: u64,
    pub(crate) busy: Busy,
}

impl SimStats {
    /// An empty recorder for these states and resources.
    pub fn new(state_names: Vec<String>, resource_keys: Vec<String>) -> Self {
        Self {
            by_status: BTreeMap::new(),
            by_error: BTreeMap::new(),
            latency: Latency::default(),
            express_billed_ms: 0,
            states: state_names
                .into_iter()
                .map(|name| StateStats {
                    name,
                    ..StateStats::default()
                })
                .collect(),
            resources: resource_keys
                .into_iter()
                .map(|key| ResourceStats {
                    key,
                    ..ResourceStats::default()
                })
                .collect(),
            transitions: 0,
            throttled_transitions: 0,
            transition_hold: Latency::default(),
            end_us: 0,
            children: Vec::new(),
        }
    }

    /// Declares a Distributed Map state `map` (Express children when
    /// `express`) whose children run the states `states`; its index is the
    /// order of declaration, as the `child_*` methods take it.
    pub fn distributed_map(&mut self, map: &str, express: bool, states: Vec<usize>) -> usize {
        self.children.push(ChildStats {
            map: map.to_owned(),
            express,
            states,
            ..ChildStats::default()
        });
        self.children.len() - 1
    }

    /// Distributed Map `m` started a child execution.
    pub fn child_started(&mut self, m: usize) {
        self.children[m].started += 1;
    }

    /// A child of Distributed Map `m` ended (`ok`: succeeded) after `ms`.
    pub fn child_ended(&mut self, m: usize, ok: bool, ms: f64) {
        let c = &mut self.children[m];
        if ok {
            c.succeeded += 1;
        } else {
            c.failed += 1;
        }
        c.time.record_ms(ms);
        c.billed_ms = c.billed_ms.saturating_add(express_billed_ms(ms));
    }

    /// A Map Run of Distributed Map `m` ended with `failed_items` failed,
    /// over its tolerance when `exceeded`.
    pub fn map_run_ended(&mut self, m: usize, failed_items: u64, exceeded: bool) {
        let c = &mut self.children[m];
        c.runs += 1;
        if exceeded {
            c.runs_exceeded += 1;
        } else {
            c.tolerated_items += failed_items;
        }
    }

    /// An execution ended with `status` (e.g. `SUCCEEDED`), `error` when it
    /// failed, after `latency_ms` of virtual time.
    pub fn execution_done(&mut self, status: &str, error: Option<&str>, latency_ms: f64) {
        bump(&mut self.by_status, status);
        if let Some(e) = error {
            bump(&mut self.by_error, e);
        }
        self.latency.record_ms(latency_ms);
        self.express_billed_ms = self
            .express_billed_ms
            .saturating_add(express_billed_ms(latency_ms));
    }

    /// State `state` was entered.
    pub fn state_entered(&mut self, state: usize) {
        self.states[state].entered += 1;
    }

    /// State `state` was left normally, `spent_ms` after it was entered.
    pub fn state_left(&mut self, state: usize, spent_ms: f64) {
        self.states[state].time.record_ms(spent_ms);
    }

    /// State `state` failed (after its retries, caught or not).
    pub fn state_failed(&mut self, state: usize) {
        self.states[state].failed += 1;
    }

    /// State `state` is retried once.
    pub fn state_retried(&mut self, state: usize) {
        self.states[state].retries += 1;
    }

    /// `n` more state transitions (as AWS bills them, retries included).
    pub fn transitions(&mut self, n: u64) {
        self.transitions += n;
    }

    /// `n` transitions found no StateTransition token: their execution was
    /// held `held_ms` until the bucket had them.
    pub fn transitions_throttled(&mut self, n: u64, held_ms: f64) {
        self.throttled_transitions += n;
        self.transition_hold.record_ms(held_ms);
    }

    /// Resource `r` starts serving an invocation after queueing `waited_ms`.
    pub fn resource_invoked(&mut self, r: usize, waited_ms: f64) {
        let res = &mut self.resources[r];
        res.invocations += 1;
        if ms_to_us(waited_ms) > 0 {
            res.waited += 1;
        }
        res.wait.record_ms(waited_ms);
    }

    /// An invocation of resource `r` took `service_ms` (optional: feeds the
    /// service-time histogram and Lambda's per-millisecond billing).
    pub fn resource_served(&mut self, r: usize, service_ms: f64) {
        let res = &mut self.resources[r];
        res.service.record_ms(service_ms);
        // Lambda bills duration per 1 ms, rounded up.
        let ms = ms_to_us(service_ms).div_ceil(1000).max(1);
        res.billed_ms = res.billed_ms.saturating_add(ms);
    }

    /// An invocation of resource `r` failed.
    pub fn resource_error(&mut self, r: usize) {
        self.resources[r].errors += 1;
    }

    /// An invocation of resource `r` was throttled (rejected for lack of capacity).
    pub fn resource_throttled(&mut self, r: usize) {
        self.resources[r].throttles += 1;
    }

    /// Resource `r` has `in_use` invocations in service from `at_ms` on,
    /// out of `capacity` if limited. Call on every change, in time order.
    pub fn resource_busy(&mut self, r: usize, at_ms: f64, in_use: u32, capacity: Option<u32>) {
        let t = ms_to_us(at_ms);
        self.resources[r].busy.change(t, in_use, capacity);
        self.end_us = self.end_us.max(t);
    }

    /// Simulated time ended at `end_ms`: closes the concurrency integrals.
    pub fn finish(&mut self, end_ms: f64) {
        self.end_us = self.end_us.max(ms_to_us(end_ms));
        for r in &mut self.resources {
            r.busy.finish(self.end_us);
        }
    }

    /// Adds another recorder (another worker's or shard's) into this one.
    ///
    /// Counts, sums and histograms add exactly; states and resources are
    /// matched by name (ones only `other` has are appended). The end of
    /// simulated time is the later of the two. Concurrency integrals and
    /// capacities add (each shard simulates its own slice of the resource),
    /// and the concurrency series add bucket by bucket, so the peak
    /// concurrency of merged shards is the largest sum of the shards' bucket
    /// peaks: an upper bound of the true combined peak. Call [`finish`]
    /// on each shard before merging.
    ///
    /// [`finish`]: SimStats::finish
    pub fn merge(&mut self, other: &SimStats) {
        for (k, n) in &other.by_status {
            *self.by_status.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &other.by_error {
            *self.by_error.entry(k.clone()).or_default() += n;
        }
        self.latency.merge(&other.latency);
        self.express_billed_ms = self
            .express_billed_ms
            .saturating_add(other.express_billed_ms);
        for s in &other.states {
            let m = entry(
                &mut self.states,
                |m| m.name == s.name,
                || StateStats {
                    name: s.name.clone(),
                    ..StateStats::default()
                },
            );
            m.entered += s.entered;
            m.failed += s.failed;
            m.retries += s.retries;
            m.time.merge(&s.time);
        }
        for r in &other.resources {
            let m = entry(
                &mut self.resources,
                |m| m.key == r.key,
                || ResourceStats {
                    key: r.key.clone(),
                    ..ResourceStats::default()
                },
            );
            m.invocations += r.invocations;
            m.errors += r.errors;
            m.throttles += r.throttles;
            m.waited += r.waited;
            m.wait.merge(&r.wait);
            m.service.merge(&r.service);
            m.billed_ms = m.billed_ms.saturating_add(r.billed_ms);
            m.busy.merge(&r.busy);
        }
        for (i, c) in other.children.iter().enumerate() {
            if i == self.children.len() {
                self.children.push(ChildStats {
                    map: c.map.clone(),
                    express: c.express,
                    states: c.states.clone(),
                    ..ChildStats::default()
                });
            }
            let m = &mut self.children[i];
            m.started += c.started;
            m.succeeded += c.succeeded;
            m.failed += c.failed;
            m.time.merge(&c.time);
            m.billed_ms = m.billed_ms.saturating_add(c.billed_ms);
            m.runs += c.runs;
            m.runs_exceeded += c.runs_exceeded;
            m.tolerated_items += c.tolerated_items;
        }
        self.transitions += other.transitions;
        self.throttled_transitions += other.throttled_transitions;
        self.transition_hold.merge(&other.transition_hold);
        self.end_us = self.end_us.max(other.end_us);
    }

    /// Executions recorded so far.
    pub fn execution_count(&self) -> u64 {
        self.latency.count()
    }

    /// State transitions recorded so far.
    pub fn state_transitions(&self) -> u64 {
        self.transitions
    }

    /// The end of simulated time, in milliseconds.
    pub fn simulated_ms(&self) -> f64 {
        self.end_us as f64 / 1000.0
    }

    /// Σ over executions of their duration rounded up to 100 ms, as Express
    /// bills it, in milliseconds.
    pub fn express_billed_ms(&self) -> u64 {
        self.express_billed_ms
    }

    /// Per resource: its key, invocations, and Σ service time rounded up to
    /// 1 ms (as Lambda bills it) in milliseconds.
    pub fn resource_usage(&self) -> Vec<(String, u64, u64)> {
        self.resources
            .iter()
            .map(|r| (r.key.clone(), r.invocations, r.billed_ms))
            .collect()
    }
}

/// What Express bills for a run of `ms`: its duration "rounded up to the
/// nearest 100ms" (https://aws.amazon.com/step-functions/pricing/), at least 100.
fn express_billed_ms(ms: f64) -> u64 {
    ms_to_us(ms).div_ceil(100_000).max(1) * 100
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_owned(), 1);
        }
    }
}

/// The first item of `list` that `is` accepts, or a new one from `new` pushed at the end.
fn entry<T>(list: &mut Vec<T>, is: impl Fn(&T) -> bool, new: impl FnOnce() -> T) -> &mut T {
    let i = match list.iter().position(is) {
        Some(i) => i,
        None => {
            list.push(new());
            list.len() - 1
        }
    };
    &mut list[i]
}
