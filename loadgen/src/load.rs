//! The driver under `open` and `closed`: one `run_batch` whose input
//! iterator is the arrival process. The iterator decides when each execution
//! starts and the instant its latency counts from; outcomes come back on this
//! thread and go into the histograms.

use crate::hist::{self, Interval, Percentiles, Recorder};
use crate::summary::{LoadReport, Tally};
use crate::workload::Workload;
use stampede::{BatchOptions, Runtime};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// What a driven run measured.
#[derive(Debug)]
pub struct Driven {
    /// Outcomes.
    pub tally: Tally,
    /// All latencies (µs).
    pub total: hdrhistogram::Histogram<u64>,
    /// Latencies per period.
    pub intervals: Vec<Interval>,
    /// Wall time the run began.
    pub started: SystemTime,
    /// From the start to the last outcome.
    pub seconds: f64,
}

impl Driven {
    /// The report of this run of `workload` in `mode` (`open` or `closed`)
    /// on `threads` workers, with the mode's own fields in `extra`.
    pub fn into_report(
        self,
        mode: &'static str,
        workload: String,
        threads: usize,
        extra: serde_json::Map<String, serde_json::Value>,
    ) -> LoadReport {
        LoadReport {
            mode,
            workload,
            threads,
            tally: self.tally,
            seconds: self.seconds,
            latency: Percentiles::of(&self.total),
            extra,
        }
    }
}

/// The interval length from `--interval` seconds.
///
/// # Errors
/// Not a positive number.
pub fn period(s: f64) -> anyhow::Result<Duration> {
    if !(s.is_finite() && s > 0.0) {
        anyhow::bail!("--interval must be a positive number of seconds");
    }
    Ok(Duration::from_secs_f64(s))
}

/// Arrival control: called for execution `i` (0-based) with the run's start
/// instant; waits until it may start and returns the instant its latency
/// counts from, or `None` to stop arriving.
pub trait Gate: FnMut(u64, Instant) -> Option<Instant> + Send {}
impl<F: FnMut(u64, Instant) -> Option<Instant> + Send> Gate for F {}

/// Runs executions of `w` on `rt` as `gate` lets them in, and calls
/// `on_end()` after each outcome (after it is recorded).
pub fn drive(
    rt: &Runtime,
    w: &Workload,
    period: Duration,
    mut gate: impl Gate,
    mut on_end: impl FnMut(),
) -> Driven {
    let since: Mutex<HashMap<u64, Instant>> = Mutex::new(HashMap::new());
    let started = SystemTime::now();
    let t0 = Instant::now();
    let mut rec = Recorder::new(t0, period);
    let mut tally = Tally::default();
    let input = w.input.clone();
    let since_ref = &since;
    let inputs = (0u64..).map_while(move |i| {
        let at = gate(i, t0)?;
        lock(since_ref).insert(i, at);
        Some(input.clone())
    });
    // Unlimited in flight: the gate is the only admission control.
    // The gate blocks (it waits for arrival times or free slots): queue
    // each execution as soon as it is let in.
    let opts = BatchOptions {
        max_in_flight: 0,
        chunk: 1,
        ..BatchOptions::default()
    };
    let mut last = t0;
    rt.run_batch(&w.machine, inputs, &opts, |i, outcome| {
        let now = Instant::now();
        let from = lock(&since).remove(&i).unwrap_or(now);
        rec.record(now, now.saturating_duration_since(from).as_micros() as u64);
        tally.add(&outcome);
        last = now;
        on_end();
    });
    let (total, intervals) = rec.finish(last);
    Driven {
        tally,
        total,
        intervals,
        started,
        seconds: last.duration_since(t0).as_secs_f64(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Longest sleep between two looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(20);

/// Sleeps until `t`, or until `stop` is set (then false). No spinning: on a
/// small machine a spinning feeder takes a core from the workers. Sleep
/// overshoots by tens of µs; arrivals that came due meanwhile go out at
/// once on wake-up, and their latency still counts from their scheduled time.
pub fn sleep_until(t: Instant, stop: &AtomicBool) -> bool {
    loop {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let now = Instant::now();
        if t <= now {
            return true;
        }
        std::thread::sleep((t - now).min(STOP_POLL));
    }
}

/// Writes the intervals to `path` when asked.
///
/// # Errors
/// The file cannot be written.
pub fn write_hist_log(
    path: Option<&std::path::Path>,
    d: &Driven,
    comment: &str,
) -> anyhow::Result<()> {
    match path {
        Some(p) => hist::write_log_file(p, d.started, &d.intervals, comment),
        None => Ok(()),
    }
}
