//! `throughput`: one `run_batch` of N executions as fast as the runtime
//! goes; executions/s and transitions/s for benchmarks and scaling curves
//! (run it with `--threads 1..cores`).

use crate::summary::{per_s, secs, Tally};
use crate::workload::WorkloadArgs;
use anyhow::Result;
use stampede::BatchOptions;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Arguments of `throughput`.
#[derive(clap::Args, Debug, Clone)]
pub struct ThroughputArgs {
    #[command(flatten)]
    /// Definition, input, handlers, threads, clock.
    pub workload: WorkloadArgs,
    /// Executions in the batch.
    #[arg(long)]
    pub executions: u64,
    /// Most executions started and not yet ended (0 = unlimited).
    #[arg(long, default_value_t = 65_536)]
    pub max_in_flight: usize,
}

/// What a throughput run measured.
#[derive(Debug, Clone)]
pub struct ThroughputReport {
    /// The workload's name.
    pub workload: String,
    /// Worker threads.
    pub threads: usize,
    /// Outcomes.
    pub tally: Tally,
    /// Wall time of the batch.
    pub seconds: f64,
}

impl ThroughputReport {
    /// The JSON line for stdout.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "mode": "throughput",
            "workload": self.workload,
            "threads": self.threads,
            "executions": self.tally.executions,
            "seconds": secs(self.seconds),
            "exec_per_s": per_s(self.tally.executions, self.seconds),
            "transitions": self.tally.transitions,
            "transitions_per_s": per_s(self.tally.transitions, self.seconds),
            "statuses": self.tally.statuses_json(),
        })
    }
}

/// Runs the batch.
///
/// # Errors
/// The workload does not load.
pub fn run(args: &ThroughputArgs) -> Result<ThroughputReport> {
    run_until(args, &AtomicBool::new(false))
}

/// Runs the batch until its end or until `stop` is set: then no more
/// executions start, and those in flight end and are counted.
///
/// # Errors
/// As [`run`].
pub fn run_until(args: &ThroughputArgs, stop: &AtomicBool) -> Result<ThroughputReport> {
    let w = args.workload.load()?;
    let rt = args.workload.runtime();
    let opts = BatchOptions {
        max_in_flight: args.max_in_flight,
        ..BatchOptions::default()
    };
    let inputs = std::iter::repeat_n(w.input.clone(), args.executions as usize)
        .take_while(|_| !stop.load(Ordering::Relaxed));
    let mut tally = Tally::default();
    let t0 = Instant::now();
    rt.run_batch(&w.machine, inputs, &opts, |_, o| tally.add(&o));
    let seconds = t0.elapsed().as_secs_f64();
    Ok(ThroughputReport {
        workload: w.name,
        threads: rt.threads(),
        tally,
        seconds,
    })
}
