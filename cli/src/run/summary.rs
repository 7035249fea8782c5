//! What a batch adds up to: executions by status and by error, state
//! transitions, throughput, and percentiles of execution duration (virtual
//! clock) and of wall time per execution (HdrHistograms, 3 significant
//! digits, clamped to the exact minimum and maximum, so that a run whose
//! executions all take one hour reports 3,600,000 ms and not the upper end
//! of that value's bucket). Rendered as text for stderr and as JSON for
//! `--summary-json`.

use hdrhistogram::Histogram;
use serde_json::{json, Map, Value};
use stampede::{Outcome, Status};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// The statuses in the order they are reported.
const STATUSES: [Status; 4] = [
    Status::Succeeded,
    Status::Failed,
    Status::TimedOut,
    Status::Aborted,
];

/// The percentiles reported, with their labels.
const QUANTILES: [(&str, f64); 4] = [
    ("p50", 0.50),
    ("p90", 0.90),
    ("p99", 0.99),
    ("p99.9", 0.999),
];

/// Counters and histograms over the outcomes of a batch.
#[derive(Debug)]
pub(crate) struct Summary {
    executions: u64,
    by_status: [u64; 4],
    /// Error name → executions that ended with it (failed or timed out).
    by_error: BTreeMap<String, u64>,
    transitions: u64,
    /// `duration_ms` of each execution (the execution's own clock).
    duration_ms: Dist,
    /// `wall_us` of each execution.
    wall_us: Dist,
}

/// A histogram with the exact extremes beside it.
#[derive(Debug)]
struct Dist {
    hist: Histogram<u64>,
    min: u64,
    max: u64,
    /// For an exact mean (the histogram's is bucketed).
    sum: u128,
}

impl Dist {
    fn new() -> Dist {
        Dist {
            hist: Histogram::new(3).expect("3 significant digits is a valid precision"),
            min: u64::MAX,
            max: 0,
            sum: 0,
        }
    }

    fn record(&mut self, v: u64) {
        // An auto-resizing histogram refuses no u64.
        let _ = self.hist.record(v);
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        self.sum += u128::from(v);
    }

    fn quantile(&self, q: f64) -> u64 {
        if self.hist.is_empty() {
            0
        } else {
            self.hist.value_at_quantile(q).clamp(self.min, self.max)
        }
    }

    fn to_json(&self) -> Value {
        let mut m = Map::new();
        for (label, q) in QUANTILES {
            m.insert(label.to_owned(), self.quantile(q).into());
        }
        m.insert("max".to_owned(), self.max.into());
        let n = self.hist.len().max(1);
        m.insert("mean".to_owned(), round3(self.sum as f64 / n as f64).into());
        Value::Object(m)
    }
}

impl Summary {
    pub(crate) fn new() -> Summary {
        Summary {
            executions: 0,
            by_status: [0; 4],
            by_error: BTreeMap::new(),
            transitions: 0,
            duration_ms: Dist::new(),
            wall_us: Dist::new(),
        }
    }

    /// Counts one outcome.
    pub(crate) fn add(&mut self, o: &Outcome) {
        self.executions += 1;
        let slot = STATUSES.iter().position(|s| *s == o.status).unwrap_or(1);
        self.by_status[slot] += 1;
        if o.status != Status::Succeeded {
            let name = o.error.as_deref().unwrap_or(match o.status {
                Status::TimedOut => "States.Timeout",
                _ => "(none)",
            });
            match self.by_error.get_mut(name) {
                Some(n) => *n += 1,
                None => {
                    self.by_error.insert(name.to_owned(), 1);
                }
            }
        }
        self.transitions += o.transitions;
        self.duration_ms.record(o.duration_ms.max(0) as u64);
        self.wall_us.record(o.wall_us);
    }

    /// Executions counted so far.
    pub(crate) fn executions(&self) -> u64 {
        self.executions
    }

    /// The summary as JSON, for a run that took `wall` on `threads` workers.
    pub(crate) fn to_json(&self, wall: Duration, threads: usize, seed: u64) -> Value {
        let secs = wall.as_secs_f64();
        let status: Map<String, Value> = STATUSES
            .iter()
            .zip(self.by_status)
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| (s.as_str().to_owned(), n.into()))
            .collect();
        let errors: Map<String, Value> = self
            .by_error
            .iter()
            .map(|(e, n)| (e.clone(), (*n).into()))
            .collect();
        json!({
            "executions": self.executions,
            "status": status,
            "errors": errors,
            "transitions": self.transitions,
            "threads": threads,
            "seed": seed,
            "wallSeconds": round3(secs),
            "executionsPerSecond": round3(rate(self.executions, secs)),
            "transitionsPerSecond": round3(rate(self.transitions, secs)),
            "durationMs": self.duration_ms.to_json(),
            "wallUs": self.wall_us.to_json(),
        })
    }

    /// The summary as text for stderr.
    pub(crate) fn to_text(&self, wall: Duration, threads: usize) -> String {
        let secs = wall.as_secs_f64();
        let mut s = String::new();
        let plural = if threads == 1 { "" } else { "s" };
        let _ = writeln!(
            s,
            "{} executions in {secs:.3} s on {threads} thread{plural}",
            group(self.executions)
        );
        let statuses: Vec<String> = STATUSES
            .iter()
            .zip(self.by_status)
            .filter(|(_, n)| *n > 0)
            .map(|(st, n)| format!("{} {}", st.as_str(), group(n)))
            .collect();
        if !statuses.is_empty() {
            let _ = writeln!(s, "  status       {}", statuses.join(", "));
        }
        if !self.by_error.is_empty() {
            let errors: Vec<String> = self
                .by_error
                .iter()
                .map(|(e, n)| format!("{e} {}", group(*n)))
                .collect();
            let _ = writeln!(s, "  errors       {}", errors.join(", "));
        }
        let _ = writeln!(
            s,
            "  transitions  {} ({} per execution)",
            group(self.transitions),
            if self.executions == 0 {
                "0".to_owned()
            } else {
                format!("{:.2}", self.transitions as f64 / self.executions as f64)
            }
        );
        let _ = writeln!(
            s,
            "  throughput   {} executions/s, {} transitions/s",
            group(rate(self.executions, secs).round() as u64),
            group(rate(self.transitions, secs).round() as u64)
        );
        let _ = write!(s, "  {:<26}", "");
        for (label, _) in QUANTILES {
            let _ = write!(s, "{label:>11}");
        }
        let _ = writeln!(s, "{:>11}", "max");
        for (label, h) in [
            ("duration ms (execution)", &self.duration_ms),
            ("wall µs (engine)", &self.wall_us),
        ] {
            let _ = write!(s, "  {label:<26}");
            for (_, q) in QUANTILES {
                let _ = write!(s, "{:>11}", group(h.quantile(q)));
            }
            let _ = writeln!(s, "{:>11}", group(h.max));
        }
        s
    }
}

fn rate(n: u64, secs: f64) -> f64 {
    if secs > 0.0 {
        n as f64 / secs
    } else {
        0.0
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `1234567` as `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1_234_567), "1,234,567");
    }

    #[test]
    fn counts_statuses_and_errors() {
        let mut s = Summary::new();
        let mut ok = Outcome::failure("x", "y");
        ok.status = Status::Succeeded;
        ok.error = None;
        ok.transitions = 2;
        ok.duration_ms = 3_600_000;
        s.add(&ok);
        s.add(&Outcome::failure("States.Runtime", "bad"));
        let v = s.to_json(Duration::from_secs(1), 2, 0);
        assert_eq!(v["executions"], 2);
        assert_eq!(v["status"], json!({"SUCCEEDED": 1, "FAILED": 1}));
        assert_eq!(v["errors"], json!({"States.Runtime": 1}));
        assert_eq!(v["transitions"], 2);
        // Exact, not the top of the value's bucket (3,600,383 at 3 digits).
        assert_eq!(v["durationMs"]["max"], 3_600_000);
        assert_eq!(v["durationMs"]["p99.9"], 3_600_000);
        assert_eq!(v["durationMs"]["mean"], 1_800_000.0);
        let text = s.to_text(Duration::from_secs(1), 2);
        assert!(text.contains("SUCCEEDED 1, FAILED 1"), "{text}");
    }
}
