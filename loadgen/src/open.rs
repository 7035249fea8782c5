//! `open`: open-loop Poisson arrivals at a fixed rate. Latency counts from
//! each execution's scheduled arrival, not from when the feeder got to it, so
//! a stalled engine shows up in the latencies (no coordinated omission).

use crate::arrivals::Poisson;
use crate::load::{drive, period, sleep_until, write_hist_log};
use crate::summary::{secs, LoadReport};
use crate::workload::{Limit, WorkloadArgs};
use anyhow::{bail, Result};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Arguments of `open`.
#[derive(clap::Args, Debug, Clone)]
pub struct OpenArgs {
    #[command(flatten)]
    /// Definition, input, handlers, threads, clock.
    pub workload: WorkloadArgs,
    /// Arrivals per second (mean of a Poisson process).
    #[arg(long)]
    pub rate: f64,
    #[command(flatten)]
    /// When to stop arriving.
    pub limit: Limit,
    /// Seed of the arrival schedule.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write per-interval histograms here (HdrHistogram interval log, V2 deflate).
    #[arg(long)]
    pub hist_log: Option<PathBuf>,
    /// Length of one interval in the log, in seconds.
    #[arg(long, default_value_t = 1.0)]
    pub interval: f64,
}

/// Runs the open loop.
///
/// # Errors
/// Bad arguments, a workload that does not load, or a log that cannot be written.
pub fn run(args: &OpenArgs) -> Result<LoadReport> {
    run_until(args, &AtomicBool::new(false))
}

/// Runs the open loop until its limit or until `stop` is set: then no more
/// executions arrive, and those in flight end and are counted.
///
/// # Errors
/// As [`run`].
pub fn run_until(args: &OpenArgs, stop: &AtomicBool) -> Result<LoadReport> {
    if !(args.rate.is_finite() && args.rate > 0.0) {
        bail!("--rate must be a positive number of arrivals per second");
    }
    args.limit.check()?;
    let w = args.workload.load()?;
    let rt = args.workload.runtime();
    let limit = args.limit;
    let mut schedule = Poisson::new(args.rate, args.seed);
    let max_lag_ns = AtomicU64::new(0);
    let lag = &max_lag_ns;
    let gate = move |i: u64, t0: Instant| {
        let at = Duration::from_nanos(schedule.next()?);
        if !limit.allows(i, at) {
            return None;
        }
        let when = t0 + at;
        if !sleep_until(when, stop) {
            return None;
        }
        let late = Instant::now().saturating_duration_since(when).as_nanos() as u64;
        lag.fetch_max(late, Ordering::Relaxed);
        Some(when)
    };
    let d = drive(&rt, &w, period(args.interval)?, gate, || {});
    write_hist_log(
        args.hist_log.as_deref(),
        &d,
        &format!("stampede-loadgen open {} rate {}", w.name, args.rate),
    )?;
    let mut extra = serde_json::Map::new();
    extra.insert("rate".into(), args.rate.into());
    extra.insert("seed".into(), args.seed.into());
    extra.insert(
        "feeder_max_lag_s".into(),
        secs(max_lag_ns.load(Ordering::Relaxed) as f64 / 1e9).into(),
    );
    Ok(d.into_report("open", w.name, rt.threads(), extra))
}
