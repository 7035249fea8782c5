//! Derived figures shared by the JSON, text and HTML renderings, so that
//! all three print the same numbers.

use super::fmt::{fmt_num, thousands};
use super::hist::{round3, Latency};
use super::stats::{ChildStats, ResourceStats, SimStats};
use serde_json::{json, Value};

/// The percentile fields, in report order, with their quantiles.
pub(crate) const PCTS: [(&str, f64); 4] =
    [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999)];

/// `p50, p90, p99, p999, max, mean` of a distribution, in milliseconds.
pub(crate) fn pcts(l: &Latency) -> Vec<(&'static str, f64)> {
    let mut out: Vec<(&'static str, f64)> =
        PCTS.iter().map(|&(k, q)| (k, l.quantile_ms(q))).collect();
    out.push(("max", l.max_us as f64 / 1000.0));
    out.push(("mean", l.mean_ms()));
    out
}

/// [`pcts`] as a JSON object.
pub(crate) fn pcts_json(l: &Latency) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in pcts(l) {
        m.insert(k.to_owned(), json!(v));
    }
    Value::Object(m)
}

/// Mean concurrency of a resource over the simulated time.
pub(crate) fn mean_concurrency(stats: &SimStats, r: &ResourceStats) -> f64 {
    match stats.end_us {
        0 => 0.0,
        end => round3(r.busy.area as f64 / end as f64),
    }
}

/// Mean concurrency over capacity, when the resource has a limit.
pub(crate) fn utilization(stats: &SimStats, r: &ResourceStats) -> Option<f64> {
    let cap = r.busy.capacity.filter(|&c| c > 0)?;
    Some(round4(
        r.busy.area as f64 / stats.end_us.max(1) as f64 / f64::from(cap),
    ))
}

/// The fraction of invocations that queued.
pub(crate) fn p_wait(r: &ResourceStats) -> f64 {
    match r.invocations {
        0 => 0.0,
        n => round4(r.waited as f64 / n as f64),
    }
}

/// The fraction of entries that failed.
pub(crate) fn failure_rate(failed: u64, entered: u64) -> f64 {
    match entered {
        0 => 0.0,
        n => round4(failed as f64 / n as f64),
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A Distributed Map's row in the text and HTML tables: the map and its
/// children's type, child counts by outcome, Map Runs, and child time (p50,
/// p99, mean ms).
pub(crate) fn children_cells(c: &ChildStats) -> Vec<String> {
    let kind = if c.express { "EXPRESS" } else { "STANDARD" };
    vec![
        format!("{} ({kind})", c.map),
        thousands(c.started),
        thousands(c.succeeded),
        thousands(c.failed),
        thousands(c.aborted()),
        thousands(c.runs),
        thousands(c.runs_exceeded),
        thousands(c.tolerated_items),
        fmt_num(c.time.quantile_ms(0.5)),
        fmt_num(c.time.quantile_ms(0.99)),
        fmt_num(c.time.mean_ms()),
    ]
}

/// The first cells of a resource's row in the text and HTML tables: key,
/// invocations, errors, throttles, peak and mean concurrency.
pub(crate) fn resource_counts(stats: &SimStats, r: &ResourceStats) -> Vec<String> {
    vec![
        r.key.clone(),
        thousands(r.invocations),
        thousands(r.errors),
        thousands(r.throttles),
        thousands(u64::from(r.busy.peak())),
        fmt_num(mean_concurrency(stats, r)),
    ]
}
