//! The `--json` report: one document with keys in a fixed order and numbers
//! rounded to fixed precision, so the same run prints the same bytes.

use super::cost::Cost;
use super::hist::round3;
use super::stats::SimStats;
use super::summary::{mean_concurrency, p_wait, pcts_json, utilization};
use serde_json::{json, Map, Value};

/// What the report says about the run itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportMeta {
    /// The scenario's name.
    pub scenario: String,
    /// The seed of the run.
    pub seed: u64,
    /// `Some((i, n))` for shard `i` of `n` (`--shard i/n`).
    pub shard: Option<(u32, u32)>,
    /// How many shard files were merged into this report, if it is a merge.
    pub merged_shards: Option<u32>,
}

/// The report as JSON: `meta`, `executions`, `latency_ms`, `states`,
/// `resources`, `state_transitions`, `cost`.
pub fn report_json(stats: &SimStats, cost: &Cost, meta: &ReportMeta) -> Value {
    let mut states = Map::new();
    for s in &stats.states {
        states.insert(
            s.name.clone(),
            json!({
                "entered": s.entered,
                "failed": s.failed,
                "retries": s.retries,
                "latency_ms": pcts_json(&s.time),
            }),
        );
    }
    let mut resources = Map::new();
    for r in &stats.resources {
        let mut wait = pcts_json(&r.wait);
        // `mean` first for the queueing delay, as the issue lists it.
        if let Value::Object(m) = &mut wait {
            let mean = m.remove("mean").unwrap_or(Value::Null);
            let mut ordered = Map::new();
            ordered.insert("mean".to_owned(), mean);
            ordered.extend(std::mem::take(m));
            *m = ordered;
        }
        resources.insert(
            r.key.clone(),
            json!({
                "invocations": r.invocations,
                "errors": r.errors,
                "throttles": r.throttles,
                "peak_concurrency": r.busy.peak(),
                "mean_concurrency": mean_concurrency(stats, r),
                "capacity": r.busy.capacity,
                "utilization": utilization(stats, r),
                "queue_wait_ms": wait,
                "p_wait": p_wait(r),
                "service_ms": pcts_json(&r.service),
            }),
        );
    }
    let shard = meta
        .shard
        .map(|(index, count)| json!({"index": index, "count": count}));
    let mut report = json!({
        "meta": {
            "scenario": meta.scenario,
            "seed": meta.seed,
            "executions": stats.execution_count(),
            "simulated_seconds": round3(stats.end_us as f64 / 1e6),
            "shard": shard,
            "merged_shards": meta.merged_shards,
        },
        "executions": {
            "total": stats.execution_count(),
            "by_status": stats.by_status,
            "by_error": stats.by_error,
        },
        "latency_ms": pcts_json(&stats.latency),
        "states": states,
        "resources": resources,
        "state_transitions": stats.transitions,
        "cost": cost,
    });
    // Only when the machine has a Distributed Map (other reports keep their bytes).
    if !stats.children.is_empty() {
        let maps: Map<String, Value> = stats
            .children
            .iter()
            .map(|c| {
                (
                    c.map.clone(),
                    json!({
                        "execution_type": if c.express { "EXPRESS" } else { "STANDARD" },
                        "child_executions": {
                            "started": c.started,
                            "succeeded": c.succeeded,
                            "failed": c.failed,
                            "aborted": c.aborted(),
                        },
                        "child_transitions": c.transitions(&stats.states),
                        "child_duration_ms": pcts_json(&c.time),
                        "map_runs": c.runs,
                        "map_runs_over_tolerance": c.runs_exceeded,
                        "tolerated_failed_items": c.tolerated_items,
                    }),
                )
            })
            .collect();
        if let Value::Object(m) = &mut report {
            m.insert("distributed_maps".to_owned(), Value::Object(maps));
        }
    }
    // Only when the StateTransition quota held executions (reports of
    // scenarios without throttled transitions keep their bytes).
    if stats.throttled_transitions > 0 {
        if let Value::Object(m) = &mut report {
            m.insert(
                "state_transitions_throttled".to_owned(),
                json!({
                    "transitions": stats.throttled_transitions,
                    "held_ms": pcts_json(&stats.transition_hold),
                }),
            );
        }
    }
    report
}
