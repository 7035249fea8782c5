//! `closed`: a closed loop keeping `C` executions in flight. A new execution
//! starts as soon as one ends; its latency counts from its own start.

use crate::load::{drive, period, write_hist_log};
use crate::summary::LoadReport;
use crate::workload::{Limit, WorkloadArgs};
use anyhow::{bail, Result};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longest wait for a free slot between two looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(20);

/// Arguments of `closed`.
#[derive(clap::Args, Debug, Clone)]
pub struct ClosedArgs {
    #[command(flatten)]
    /// Definition, input, handlers, threads, clock.
    pub workload: WorkloadArgs,
    /// Executions in flight at all times.
    #[arg(long)]
    pub concurrency: usize,
    #[command(flatten)]
    /// When to stop starting executions.
    pub limit: Limit,
    /// Write per-interval histograms here (HdrHistogram interval log, V2 deflate).
    #[arg(long)]
    pub hist_log: Option<PathBuf>,
    /// Length of one interval in the log, in seconds.
    #[arg(long, default_value_t = 1.0)]
    pub interval: f64,
}

/// Runs the closed loop.
///
/// # Errors
/// Bad arguments, a workload that does not load, or a log that cannot be written.
pub fn run(args: &ClosedArgs) -> Result<LoadReport> {
    run_until(args, &AtomicBool::new(false))
}

/// Runs the closed loop until its limit or until `stop` is set: then no
/// more executions start, and those in flight end and are counted.
///
/// # Errors
/// As [`run`].
pub fn run_until(args: &ClosedArgs, stop: &AtomicBool) -> Result<LoadReport> {
    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    args.limit.check()?;
    let w = args.workload.load()?;
    let rt = args.workload.runtime();
    let limit = args.limit;
    // One token per slot: the gate takes one to start an execution (blocking
    // while all are in use), each outcome gives one back. The gate is the
    // admission control, so a start is stamped when it really may start.
    let (give, take) = mpsc::sync_channel::<()>(args.concurrency);
    for _ in 0..args.concurrency {
        give.send(())?;
    }
    let gate = move |i: u64, t0: Instant| {
        if !limit.allows(i, t0.elapsed()) {
            return None;
        }
        // Wait for a free slot, looking at `stop` now and then.
        loop {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            match take.recv_timeout(STOP_POLL) {
                Ok(()) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
        if !limit.allows(i, t0.elapsed()) {
            return None;
        }
        Some(Instant::now())
    };
    let d = drive(&rt, &w, period(args.interval)?, gate, || {
        let _ = give.try_send(());
    });
    write_hist_log(
        args.hist_log.as_deref(),
        &d,
        &format!(
            "stampede-loadgen closed {} concurrency {}",
            w.name, args.concurrency
        ),
    )?;
    let mut extra = serde_json::Map::new();
    extra.insert("concurrency".into(), args.concurrency.into());
    Ok(d.into_report("closed", w.name, rt.threads(), extra))
}
