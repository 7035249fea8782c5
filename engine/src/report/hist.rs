//! Latency histograms: HdrHistograms of whole microseconds, 3 significant
//! digits, auto-resizing up to a year, plus the exact count, sum, min and
//! max beside them (so means and maxima survive merging exactly).

use super::error::{ShardError, ShardErrorKind as Kind};
use super::fields::Fields;
use base64::Engine as _;
use hdrhistogram::serialization::{Deserializer, Serializer as _, V2DeflateSerializer};
use hdrhistogram::Histogram;
use serde_json::{json, Value};

/// The largest latency kept: a year (366 days) in microseconds; longer ones
/// are recorded as this.
pub(crate) const MAX_US: u64 = 366 * 24 * 3600 * 1_000_000;

/// Converts milliseconds to whole microseconds, clamped to `0..=MAX_US`
/// (NaN and negatives become 0).
pub(crate) fn ms_to_us(ms: f64) -> u64 {
    if ms.is_nan() || ms <= 0.0 {
        return 0;
    }
    let us = (ms * 1000.0).round();
    if us >= MAX_US as f64 {
        MAX_US
    } else {
        us as u64
    }
}

/// Microseconds as milliseconds.
pub(crate) fn us_to_ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// A latency distribution: the histogram plus exact aggregates.
#[derive(Clone, Debug)]
pub(crate) struct Latency {
    pub(crate) hist: Histogram<u64>,
    /// Exact sum of the recorded microseconds.
    pub(crate) sum_us: u64,
    /// Exact smallest and largest recorded values (0 when empty).
    pub(crate) min_us: u64,
    pub(crate) max_us: u64,
}

impl Default for Latency {
    fn default() -> Self {
        Self {
            hist: new_hist(),
            sum_us: 0,
            min_us: 0,
            max_us: 0,
        }
    }
}

fn new_hist() -> Histogram<u64> {
    // `new` makes an auto-resizing histogram: it grows only as far as the
    // largest value recorded, so a state that takes milliseconds costs a few
    // kilobytes, not the ~300 KiB a year-wide histogram would.
    Histogram::new(3).expect("3 significant digits is a valid precision")
}

impl Latency {
    /// Records one value given in milliseconds.
    pub(crate) fn record_ms(&mut self, ms: f64) {
        let us = ms_to_us(ms);
        if self.hist.is_empty() || us < self.min_us {
            self.min_us = us;
        }
        self.max_us = self.max_us.max(us);
        self.sum_us = self.sum_us.saturating_add(us);
        // `record`, not `saturating_record`: only `record` grows an
        // auto-resizing histogram (values are already clamped to MAX_US).
        if self.hist.record(us).is_err() {
            self.hist.saturating_record(us);
        }
    }

    /// Number of values recorded.
    pub(crate) fn count(&self) -> u64 {
        self.hist.len()
    }

    /// Adds `other` into `self`, exactly.
    pub(crate) fn merge(&mut self, other: &Latency) {
        if other.count() == 0 {
            return;
        }
        if self.count() == 0 || other.min_us < self.min_us {
            self.min_us = other.min_us;
        }
        self.max_us = self.max_us.max(other.max_us);
        self.sum_us = self.sum_us.saturating_add(other.sum_us);
        self.hist
            .add(&other.hist)
            .expect("an auto-resizing histogram accepts any other");
    }

    /// Exact mean in milliseconds (0 when empty).
    pub(crate) fn mean_ms(&self) -> f64 {
        match self.count() {
            0 => 0.0,
            n => round3(self.sum_us as f64 / n as f64 / 1000.0),
        }
    }

    /// The value at quantile `q` in milliseconds (0 when empty).
    pub(crate) fn quantile_ms(&self, q: f64) -> f64 {
        if self.count() == 0 {
            return 0.0;
        }
        // The histogram answers with the highest value equivalent to the
        // bucket; never report more than the exact maximum.
        us_to_ms(self.hist.value_at_quantile(q).min(self.max_us))
    }

    /// The shard-file form: counts and the histogram as base64 of the V2
    /// deflate encoding (the HdrHistogram interval-log format).
    pub(crate) fn to_json(&self) -> Value {
        let mut bytes = Vec::new();
        V2DeflateSerializer::new()
            .serialize(&self.hist, &mut bytes)
            .expect("writing to a Vec does not fail");
        json!({
            "sum_us": self.sum_us,
            "min_us": self.min_us,
            "max_us": self.max_us,
            "hist": base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    /// Reads what [`Latency::to_json`] wrote, found at pointer `at`.
    pub(crate) fn from_json(v: &Value, at: &str) -> Result<Self, ShardError> {
        let f = Fields::new(v, at);
        let text = f.loose("hist", Value::as_str, Kind::NotString)?;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| f.bad("hist", Kind::NotBase64(e.to_string())))?;
        let mut hist: Histogram<u64> = Deserializer::new()
            .deserialize(&mut raw.as_slice())
            .map_err(|e| f.bad("hist", Kind::Undecodable(format!("{e:?}"))))?;
        hist.auto(true);
        Ok(Self {
            hist,
            sum_us: f.whole("sum_us")?,
            min_us: f.whole("min_us")?,
            max_us: f.whole("max_us")?,
        })
    }
}

/// Rounds to three decimals (microseconds when the unit is milliseconds), so
/// printed numbers carry no floating-point noise.
pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
