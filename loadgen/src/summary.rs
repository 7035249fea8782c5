//! Counting outcomes and printing the report of a load run.

use crate::hist::Percentiles;
use stampede::{Outcome, Status};

/// Outcomes by status, with their transitions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Executions that ended.
    pub executions: u64,
    /// SUCCEEDED.
    pub succeeded: u64,
    /// FAILED.
    pub failed: u64,
    /// TIMED_OUT.
    pub timed_out: u64,
    /// ABORTED.
    pub aborted: u64,
    /// State transitions, all executions together.
    pub transitions: u64,
}

impl Tally {
    /// Counts one outcome.
    pub fn add(&mut self, o: &Outcome) {
        self.executions += 1;
        self.transitions += o.transitions;
        match o.status {
            Status::Succeeded => self.succeeded += 1,
            Status::Failed => self.failed += 1,
            Status::TimedOut => self.timed_out += 1,
            Status::Aborted => self.aborted += 1,
        }
    }

    /// `{"SUCCEEDED":…,"FAILED":…,"TIMED_OUT":…,"ABORTED":…}`.
    pub fn statuses_json(&self) -> serde_json::Value {
        serde_json::json!({
            "SUCCEEDED": self.succeeded, "FAILED": self.failed,
            "TIMED_OUT": self.timed_out, "ABORTED": self.aborted,
        })
    }
}

/// Per second, or 0 for an empty interval.
pub fn per_s(n: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        (n as f64 / seconds).round()
    } else {
        0.0
    }
}

/// Seconds rounded to the microsecond, for JSON.
pub fn secs(s: f64) -> f64 {
    (s * 1e6).round() / 1e6
}

/// The report of an open- or closed-loop run.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// `open` or `closed`.
    pub mode: &'static str,
    /// The workload's name.
    pub workload: String,
    /// Worker threads.
    pub threads: usize,
    /// Outcomes.
    pub tally: Tally,
    /// From the first arrival to the last outcome.
    pub seconds: f64,
    /// Latencies (µs).
    pub latency: Percentiles,
    /// Mode-specific fields (rate, concurrency, …).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl LoadReport {
    /// The JSON line for stdout.
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("mode".into(), self.mode.into());
        m.insert("workload".into(), self.workload.clone().into());
        m.insert("threads".into(), self.threads.into());
        m.insert("executions".into(), self.tally.executions.into());
        m.insert("seconds".into(), secs(self.seconds).into());
        m.insert(
            "exec_per_s".into(),
            per_s(self.tally.executions, self.seconds).into(),
        );
        m.insert("transitions".into(), self.tally.transitions.into());
        m.insert(
            "transitions_per_s".into(),
            per_s(self.tally.transitions, self.seconds).into(),
        );
        m.insert("latency_us".into(), self.latency.to_json());
        m.insert("statuses".into(), self.tally.statuses_json());
        m.extend(self.extra.clone());
        serde_json::Value::Object(m)
    }

    /// The human summary for stderr.
    pub fn human(&self) -> String {
        let t = &self.tally;
        format!(
            "{} {} on {} threads: {} executions in {:.3} s ({:.0}/s, {:.0} transitions/s)\n  latency {}\n  succeeded {} · failed {} · timed out {} · aborted {}",
            self.mode,
            self.workload,
            self.threads,
            t.executions,
            self.seconds,
            per_s(t.executions, self.seconds),
            per_s(t.transitions, self.seconds),
            self.latency.human(),
            t.succeeded,
            t.failed,
            t.timed_out,
            t.aborted
        )
    }
}
