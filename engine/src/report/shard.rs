//! The shard file: a [`SimStats`] as JSON, so that `stampede merge` can add
//! the outputs of `--shard i/n` runs. Histograms travel as base64 strings of
//! their V2 deflate encoding (the HdrHistogram interval-log format).

use super::error::{ShardError, ShardErrorKind as Kind};
use super::fields::Fields;
use super::hist::Latency;
use super::series::Busy;
use super::stats::{ChildStats, ResourceStats, SimStats, StateStats};
use crate::asl::pointer;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The `format` field of a shard file.
pub const SHARD_FORMAT: &str = "stampede-sim-stats/1";

impl SimStats {
    /// The shard-file form of these statistics.
    pub fn to_shard_json(&self) -> Value {
        let states: Vec<Value> = self
            .states
            .iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "entered": s.entered,
                    "failed": s.failed,
                    "retries": s.retries,
                    "time": s.time.to_json(),
                })
            })
            .collect();
        let resources: Vec<Value> = self
            .resources
            .iter()
            .map(|r| {
                json!({
                    "key": r.key,
                    "invocations": r.invocations,
                    "errors": r.errors,
                    "throttles": r.throttles,
                    "waited": r.waited,
                    "wait": r.wait.to_json(),
                    "service": r.service.to_json(),
                    "billed_ms": r.billed_ms,
                    "busy": r.busy.to_json(),
                })
            })
            .collect();
        let children: Vec<Value> = self
            .children
            .iter()
            .map(|c| {
                json!({
                    "map": c.map,
                    "express": c.express,
                    "states": c.states,
                    "started": c.started,
                    "succeeded": c.succeeded,
                    "failed": c.failed,
                    "time": c.time.to_json(),
                    "billed_ms": c.billed_ms,
                    "runs": c.runs,
                    "runs_exceeded": c.runs_exceeded,
                    "tolerated_items": c.tolerated_items,
                })
            })
            .collect();
        json!({
            "format": SHARD_FORMAT,
            "by_status": self.by_status,
            "by_error": self.by_error,
            "latency": self.latency.to_json(),
            "express_billed_ms": self.express_billed_ms,
            "transitions": self.transitions,
            "throttled_transitions": self.throttled_transitions,
            "transition_hold": self.transition_hold.to_json(),
            "end_us": self.end_us,
            "states": states,
            "resources": resources,
            "distributed_maps": children,
        })
    }

    /// Reads a shard file written by [`SimStats::to_shard_json`].
    ///
    /// # Errors
    /// The first field that is missing or malformed, at its JSON pointer.
    pub fn from_shard_json(v: &Value) -> Result<SimStats, ShardError> {
        let top = Fields::new(v, "");
        if v.get("format").and_then(Value::as_str) != Some(SHARD_FORMAT) {
            return Err(top.bad(
                "format",
                Kind::Format {
                    expected: SHARD_FORMAT,
                },
            ));
        }
        let mut stats = SimStats::new(Vec::new(), Vec::new());
        stats.by_status = counts(top.obj("by_status")?, "/by_status")?;
        stats.by_error = counts(top.obj("by_error")?, "/by_error")?;
        stats.latency = Latency::from_json(top.get("latency")?, "/latency")?;
        stats.express_billed_ms = top.num("express_billed_ms")?;
        stats.transitions = top.num("transitions")?;
        // Absent from shard files written before the StateTransition quota was simulated.
        if v.get("throttled_transitions").is_some() {
            stats.throttled_transitions = top.num("throttled_transitions")?;
            stats.transition_hold =
                Latency::from_json(top.get("transition_hold")?, "/transition_hold")?;
        }
        stats.end_us = top.num("end_us")?;
        for (i, s) in top.list("states")?.iter().enumerate() {
            let at = pointer::index("/states", i);
            let f = Fields::new(s, &at);
            stats.states.push(StateStats {
                name: f.text("name")?,
                entered: f.num("entered")?,
                failed: f.num("failed")?,
                retries: f.num("retries")?,
                time: Latency::from_json(f.get("time")?, &f.at("time"))?,
            });
        }
        for (i, r) in top.list("resources")?.iter().enumerate() {
            let at = pointer::index("/resources", i);
            let f = Fields::new(r, &at);
            stats.resources.push(ResourceStats {
                key: f.text("key")?,
                invocations: f.num("invocations")?,
                errors: f.num("errors")?,
                throttles: f.num("throttles")?,
                waited: f.num("waited")?,
                wait: Latency::from_json(f.get("wait")?, &f.at("wait"))?,
                service: Latency::from_json(f.get("service")?, &f.at("service"))?,
                billed_ms: f.num("billed_ms")?,
                busy: Busy::from_json(f.get("busy")?, &f.at("busy"))?,
            });
        }
        // Absent from shard files of machines without a Distributed Map
        // written before children were counted.
        if v.get("distributed_maps").is_some() {
            for (i, c) in top.list("distributed_maps")?.iter().enumerate() {
                let at = pointer::index("/distributed_maps", i);
                let f = Fields::new(c, &at);
                let states = f
                    .list("states")?
                    .iter()
                    .enumerate()
                    .map(|(j, s)| {
                        s.as_u64().map(|n| n as usize).ok_or_else(|| {
                            ShardError::new(
                                pointer::index(&f.at("states"), j),
                                Kind::NotWholeNumber,
                            )
                        })
                    })
                    .collect::<Result<Vec<usize>, ShardError>>()?;
                stats.children.push(ChildStats {
                    map: f.text("map")?,
                    express: f
                        .get("express")?
                        .as_bool()
                        .ok_or_else(|| f.bad("express", Kind::NotBool))?,
                    states,
                    started: f.num("started")?,
                    succeeded: f.num("succeeded")?,
                    failed: f.num("failed")?,
                    time: Latency::from_json(f.get("time")?, &f.at("time"))?,
                    billed_ms: f.num("billed_ms")?,
                    runs: f.num("runs")?,
                    runs_exceeded: f.num("runs_exceeded")?,
                    tolerated_items: f.num("tolerated_items")?,
                });
            }
        }
        Ok(stats)
    }
}

fn counts(m: &Map<String, Value>, at: &str) -> Result<BTreeMap<String, u64>, ShardError> {
    m.iter()
        .map(|(k, v)| {
            v.as_u64()
                .map(|n| (k.clone(), n))
                .ok_or_else(|| ShardError::new(pointer::key(at, k), Kind::NotWholeNumber))
        })
        .collect()
}
