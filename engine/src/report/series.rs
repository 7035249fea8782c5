//! Concurrency of one resource over virtual time: an exact integral of
//! `in_use` (for the mean and utilization) and a series of fixed-width
//! buckets (for the plot), all in whole microseconds and integer units so
//! that merging is exact and order-independent.
//!
//! Buckets start 1 ms wide; whenever the series would pass [`MAX_POINTS`]
//! buckets, the width doubles and neighbouring buckets are combined. The
//! width is therefore a function of the latest time seen only, and two
//! series always share a width after the coarser one is chosen.

use super::error::{ShardError, ShardErrorKind as Kind};
use super::fields::Fields;
use serde_json::{json, Value};

/// The most buckets a series keeps.
pub(crate) const MAX_POINTS: usize = 512;
/// The narrowest bucket: one millisecond.
const BASE_WIDTH_US: u64 = 1000;

/// One resource's concurrency record.
#[derive(Clone, Debug)]
pub(crate) struct Busy {
    /// Its concurrency limit, if any (the largest reported).
    pub(crate) capacity: Option<u32>,
    /// Time of the last change, and the level since then.
    last_us: u64,
    level: u32,
    /// ∫ in_use dt, in in-use × microseconds.
    pub(crate) area: u64,
    /// Bucket width in microseconds.
    pub(crate) width_us: u64,
    /// Per bucket: ∫ in_use dt over the bucket, and the highest level in it.
    pub(crate) area_b: Vec<u64>,
    pub(crate) peak_b: Vec<u32>,
}

impl Default for Busy {
    fn default() -> Self {
        Self {
            capacity: None,
            last_us: 0,
            level: 0,
            area: 0,
            width_us: BASE_WIDTH_US,
            area_b: Vec::new(),
            peak_b: Vec::new(),
        }
    }
}

impl Busy {
    /// The level changes to `level` at `t_us` (earlier times count as the
    /// last one: calls are meant to be time-ordered).
    pub(crate) fn change(&mut self, t_us: u64, level: u32, capacity: Option<u32>) {
        let t = t_us.max(self.last_us);
        self.integrate(t);
        self.level = level;
        if let Some(c) = capacity {
            self.capacity = Some(self.capacity.map_or(c, |old| old.max(c)));
        }
        self.grow_to(t + 1);
        let b = (t / self.width_us) as usize;
        self.peak_b[b] = self.peak_b[b].max(level);
    }

    /// Closes the integral at `end_us` (the level holds until then).
    pub(crate) fn finish(&mut self, end_us: u64) {
        self.integrate(end_us.max(self.last_us));
        self.grow_to(end_us);
    }

    /// The highest level seen: the largest bucket peak. After a merge this
    /// is the largest *sum* of the shards' bucket peaks, an upper bound on
    /// the true peak of the combined traffic.
    pub(crate) fn peak(&self) -> u32 {
        self.peak_b.iter().copied().max().unwrap_or(0)
    }

    /// Adds `level` over `[last_us, t)` to the integral and the buckets.
    fn integrate(&mut self, t: u64) {
        if t <= self.last_us {
            return;
        }
        let (from, level) = (self.last_us, u64::from(self.level));
        self.last_us = t;
        self.area = self.area.saturating_add(level * (t - from));
        if level == 0 {
            return;
        }
        self.grow_to(t);
        let w = self.width_us;
        for b in from / w..=(t - 1) / w {
            let lo = from.max(b * w);
            let hi = t.min((b + 1) * w);
            let b = b as usize;
            self.area_b[b] += level * (hi - lo);
            self.peak_b[b] = self.peak_b[b].max(self.level);
        }
    }

    /// Makes the buckets cover `[0, t)`, coarsening as needed.
    fn grow_to(&mut self, t: u64) {
        while t.div_ceil(self.width_us) > MAX_POINTS as u64 {
            self.coarsen();
        }
        let n = t.div_ceil(self.width_us) as usize;
        if n > self.area_b.len() {
            self.area_b.resize(n, 0);
            self.peak_b.resize(n, 0);
        }
    }

    /// Doubles the width, combining pairs of buckets.
    fn coarsen(&mut self) {
        self.width_us *= 2;
        let pairs = self.area_b.len().div_ceil(2);
        for i in 0..pairs {
            let j = 2 * i;
            let (a1, p1) = (self.area_b.get(j + 1), self.peak_b.get(j + 1));
            self.area_b[i] = self.area_b[j] + a1.copied().unwrap_or(0);
            self.peak_b[i] = self.peak_b[j].max(p1.copied().unwrap_or(0));
        }
        self.area_b.truncate(pairs);
        self.peak_b.truncate(pairs);
    }

    /// Adds another shard's record: integrals, levels and capacities add;
    /// buckets add pairwise at the coarser of the two widths.
    pub(crate) fn merge(&mut self, other: &Busy) {
        let mut other = other.clone();
        while self.width_us < other.width_us {
            self.coarsen();
        }
        while other.width_us < self.width_us {
            other.coarsen();
        }
        if other.area_b.len() > self.area_b.len() {
            self.area_b.resize(other.area_b.len(), 0);
            self.peak_b.resize(other.peak_b.len(), 0);
        }
        for (i, (a, p)) in other.area_b.iter().zip(&other.peak_b).enumerate() {
            self.area_b[i] = self.area_b[i].saturating_add(*a);
            self.peak_b[i] = self.peak_b[i].saturating_add(*p);
        }
        self.area = self.area.saturating_add(other.area);
        self.capacity = match (self.capacity, other.capacity) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
        self.last_us = self.last_us.max(other.last_us);
        self.level = self.level.saturating_add(other.level);
    }

    /// The shard-file form.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "capacity": self.capacity,
            "last_us": self.last_us,
            "level": self.level,
            "area": self.area,
            "width_us": self.width_us,
            "area_b": self.area_b,
            "peak_b": self.peak_b,
        })
    }

    /// Reads what [`Busy::to_json`] wrote, found at pointer `at`.
    pub(crate) fn from_json(v: &Value, at: &str) -> Result<Self, ShardError> {
        let f = Fields::new(v, at);
        let list = |k: &str| -> Result<Vec<u64>, ShardError> {
            let whole = |l: &Vec<Value>| l.iter().map(Value::as_u64).collect();
            f.loose(k, |v| v.as_array().and_then(whole), Kind::NotWholeNumbers)
        };
        let small = |x: u64, k: &str| u32::try_from(x).map_err(|_| f.bad(k, Kind::OutOfRange));
        let capacity = match v.get("capacity") {
            None | Some(Value::Null) => None,
            Some(c) => Some(small(
                c.as_u64()
                    .ok_or_else(|| f.bad("capacity", Kind::NotWholeNumber))?,
                "capacity",
            )?),
        };
        let width_us = f.whole("width_us")?;
        let area_b = list("area_b")?;
        let peak_b = list("peak_b")?
            .into_iter()
            .map(|p| small(p, "peak_b"))
            .collect::<Result<Vec<_>, _>>()?;
        if width_us == 0 || area_b.len() != peak_b.len() || area_b.len() > MAX_POINTS {
            return Err(ShardError::new(at, Kind::InconsistentSeries));
        }
        Ok(Self {
            capacity,
            last_us: f.whole("last_us")?,
            level: small(f.whole("level")?, "level")?,
            area: f.whole("area")?,
            width_us,
            area_b,
            peak_b,
        })
    }
}
