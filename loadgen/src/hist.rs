//! Latency histograms (microseconds) and their interval logs: HdrHistogram's
//! log format with V2 deflate-encoded histograms, so runs and shards merge.

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use hdrhistogram::serialization::interval_log::{
    IntervalLogIterator, IntervalLogWriterBuilder, LogEntry, Tag,
};
use hdrhistogram::serialization::{Deserializer, V2DeflateSerializer};
use hdrhistogram::Histogram;
use std::time::{Duration, Instant, SystemTime};

/// Highest latency tracked at full precision: one hour in µs (the histogram grows past it).
const HIGHEST_US: u64 = 3_600_000_000;

/// Tag of the interval histograms this tool writes.
pub const TAG: &str = "latency_us";

/// An empty latency histogram: 1 µs to an hour, 3 significant digits, auto-resizing.
pub fn new_histogram() -> Histogram<u64> {
    let mut h = Histogram::new_with_bounds(1, HIGHEST_US, 3).expect("valid bounds");
    h.auto(true);
    h
}

/// The summary every latency report prints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentiles {
    /// Values recorded.
    pub count: u64,
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// 99.9th percentile.
    pub p999: u64,
    /// Largest value.
    pub max: u64,
    /// Mean.
    pub mean: f64,
}

impl Percentiles {
    /// Reads the percentiles of `h`.
    pub fn of(h: &Histogram<u64>) -> Percentiles {
        Percentiles {
            count: h.len(),
            p50: h.value_at_quantile(0.5),
            p90: h.value_at_quantile(0.9),
            p99: h.value_at_quantile(0.99),
            p999: h.value_at_quantile(0.999),
            max: h.max(),
            mean: h.mean(),
        }
    }

    /// `{"p50":…,"p90":…,"p99":…,"p999":…,"max":…,"mean":…}` (µs).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "p50": self.p50, "p90": self.p90, "p99": self.p99, "p999": self.p999,
            "max": self.max, "mean": (self.mean * 10.0).round() / 10.0,
        })
    }

    /// One human line: `p50 12 µs · p90 … · max …`.
    pub fn human(&self) -> String {
        format!(
            "p50 {} µs · p90 {} · p99 {} · p99.9 {} · max {} · mean {:.1}",
            self.p50, self.p90, self.p99, self.p999, self.max, self.mean
        )
    }
}

/// One interval of a log: when it started (since the run's start), how long, and its values.
#[derive(Debug, Clone)]
pub struct Interval {
    /// Start, relative to the run's start.
    pub start: Duration,
    /// Length.
    pub length: Duration,
    /// Values recorded in it.
    pub hist: Histogram<u64>,
}

/// Records latencies into a total histogram and into one histogram per period.
#[derive(Debug)]
pub struct Recorder {
    t0: Instant,
    period: Duration,
    current_start: Duration,
    current: Histogram<u64>,
    /// Finished intervals.
    pub intervals: Vec<Interval>,
    /// Everything recorded.
    pub total: Histogram<u64>,
}

impl Recorder {
    /// A recorder whose intervals last `period`, counted from `t0`.
    pub fn new(t0: Instant, period: Duration) -> Recorder {
        Recorder {
            t0,
            period,
            current_start: Duration::ZERO,
            current: new_histogram(),
            intervals: Vec::new(),
            total: new_histogram(),
        }
    }

    /// Records `us` observed at `now`.
    pub fn record(&mut self, now: Instant, us: u64) {
        let since = now.saturating_duration_since(self.t0);
        if since >= self.current_start + self.period {
            self.roll(since);
        }
        let us = us.max(1);
        self.current.saturating_record(us);
        self.total.saturating_record(us);
    }

    /// Closes the current interval at `since` (when it holds values).
    fn roll(&mut self, since: Duration) {
        if !self.current.is_empty() {
            let hist = std::mem::replace(&mut self.current, new_histogram());
            self.intervals.push(Interval {
                start: self.current_start,
                length: since.saturating_sub(self.current_start),
                hist,
            });
        }
        self.current_start = since;
    }

    /// Closes the last interval and returns (total, intervals).
    pub fn finish(mut self, now: Instant) -> (Histogram<u64>, Vec<Interval>) {
        self.roll(now.saturating_duration_since(self.t0));
        (self.total, self.intervals)
    }
}

/// Writes `intervals` as an interval log (V2 deflate) into `out`; `start` is
/// the wall time the run began (the log's StartTime and BaseTime).
///
/// # Errors
/// Writing or encoding failed.
pub fn write_log(
    out: &mut impl std::io::Write,
    start: SystemTime,
    intervals: &[Interval],
    comment: &str,
) -> Result<()> {
    let mut ser = V2DeflateSerializer::new();
    let mut w = IntervalLogWriterBuilder::new()
        .add_comment(comment)
        .with_start_time(start)
        .with_base_time(start)
        .begin_log_with(out, &mut ser)
        .context("writing the log header")?;
    for i in intervals {
        w.write_histogram(&i.hist, i.start, i.length, Tag::new(TAG))
            .map_err(|e| anyhow::anyhow!("writing an interval histogram: {e:?}"))?;
    }
    Ok(())
}

/// Writes the log into the file at `path`.
///
/// # Errors
/// Creating or writing the file failed.
pub fn write_log_file(
    path: &std::path::Path,
    start: SystemTime,
    intervals: &[Interval],
    comment: &str,
) -> Result<()> {
    let mut buf = Vec::new();
    write_log(&mut buf, start, intervals, comment)?;
    crate::files::write_whole(path, buf)?;
    Ok(())
}

/// Reads every interval histogram in a log.
///
/// # Errors
/// The text is not an interval log, or a histogram does not decode.
pub fn read_log(bytes: &[u8]) -> Result<Vec<Histogram<u64>>> {
    let mut out = Vec::new();
    let mut de = Deserializer::new();
    for entry in IntervalLogIterator::new(bytes) {
        match entry {
            Ok(LogEntry::Interval(i)) => {
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(i.encoded_histogram())
                    .context("histogram is not base64")?;
                let h: Histogram<u64> = de
                    .deserialize(&mut raw.as_slice())
                    .map_err(|e| anyhow::anyhow!("histogram does not decode: {e:?}"))?;
                out.push(h);
            }
            Ok(LogEntry::StartTime(_) | LogEntry::BaseTime(_)) => {}
            Err(e) => bail!("not an interval log: {e:?}"),
        }
    }
    Ok(out)
}

/// Adds every histogram of `hs` into one.
///
/// # Errors
/// A histogram cannot be added (never, with auto-resize on).
pub fn sum<'a>(hs: impl IntoIterator<Item = &'a Histogram<u64>>) -> Result<Histogram<u64>> {
    let mut total = new_histogram();
    for h in hs {
        total
            .add(h)
            .map_err(|e| anyhow::anyhow!("adding histograms: {e:?}"))?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(seed: u64, n: usize) -> Vec<u64> {
        let mut r = crate::arrivals::SplitMix64::new(seed);
        (0..n).map(|_| 1 + r.next_u64() % 2_000_000).collect()
    }

    #[test]
    fn log_round_trip_and_merge_equals_sum() {
        let t0 = Instant::now();
        let mut logs = Vec::new();
        let mut expected = new_histogram();
        for (k, seed) in [1u64, 2, 3].into_iter().enumerate() {
            let mut rec = Recorder::new(t0, Duration::from_millis(10));
            for (j, v) in sample(seed, 5_000).into_iter().enumerate() {
                // Spread the values over 5 intervals of virtual time.
                rec.record(t0 + Duration::from_micros(j as u64 * 10), v);
                expected.saturating_record(v);
            }
            let (total, intervals) = rec.finish(t0 + Duration::from_millis(60));
            assert!(
                intervals.len() >= 5,
                "run {k}: {} intervals",
                intervals.len()
            );
            assert_eq!(sum(intervals.iter().map(|i| &i.hist)).unwrap(), total);
            let mut buf = Vec::new();
            write_log(&mut buf, SystemTime::now(), &intervals, "test").unwrap();
            logs.push(buf);
        }
        let read: Vec<Histogram<u64>> = logs.iter().flat_map(|l| read_log(l).unwrap()).collect();
        let merged = sum(&read).unwrap();
        assert_eq!(merged.len(), 15_000);
        assert_eq!(merged, expected);
        assert_eq!(Percentiles::of(&merged), Percentiles::of(&expected));
    }

    #[test]
    fn rejects_garbage() {
        assert!(read_log(b"not a log line\n").is_err());
    }
}
