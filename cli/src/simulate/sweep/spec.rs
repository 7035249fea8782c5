//! A sweep's `KEY=V1,V2,…`, checked against the scenario, and the scenario
//! with each value put in.
//!
//! Keys: `arrivals.rate_per_s` (Poisson arrivals), `FIELD` (every resource
//! that sets FIELD), `RESOURCE_KEY.FIELD` or `resources.RESOURCE_KEY.FIELD`
//! (one resource), with FIELD one of `max_concurrency`, `max_rate_per_s`,
//! `burst`, `max_queue_ms`.

use anyhow::{anyhow, bail, Result};
use stampede::sim::{self, ArrivalSpec, OnLimit, Scenario};

const FIELDS: [&str; 4] = ["max_concurrency", "max_rate_per_s", "burst", "max_queue_ms"];

/// What to vary and its values.
#[derive(Debug)]
pub(crate) struct Sweep {
    pub(crate) key: String,
    target: Target,
    field: String,
    /// Each value as given, and as a number.
    pub(crate) values: Vec<(String, f64)>,
}

#[derive(Debug)]
enum Target {
    Arrivals,
    /// Indexes into the scenario's resources.
    Resources(Vec<usize>),
}

impl Sweep {
    /// Parses `KEY=V1,V2,…` against the scenario.
    pub(crate) fn parse(spec: &str, sc: &Scenario) -> Result<Sweep> {
        let (key, values) = spec
            .split_once('=')
            .ok_or_else(|| anyhow!("--sweep: expected KEY=V1,V2,…, got {spec:?}"))?;
        let key = key.trim();
        let values = values
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .map(|x| (v.to_owned(), x))
                    .ok_or_else(|| anyhow!("--sweep {key}: {v:?} is not a number > 0"))
            })
            .collect::<Result<Vec<_>>>()?;
        if values.is_empty() {
            bail!("--sweep {key}: no values");
        }
        let (target, field) = if key == "arrivals.rate_per_s" {
            if !matches!(sc.arrivals, ArrivalSpec::Poisson { .. }) {
                bail!("--sweep arrivals.rate_per_s needs Poisson arrivals in the scenario");
            }
            (Target::Arrivals, "rate_per_s".to_owned())
        } else {
            let (sel, field) = match key.rsplit_once('.') {
                Some((sel, f)) if FIELDS.contains(&f) => (Some(sel), f),
                None if FIELDS.contains(&key) => (None, key),
                _ => bail!(
                    "--sweep: unknown key {key:?}; use arrivals.rate_per_s, FIELD or RESOURCE_KEY.FIELD with FIELD one of {}",
                    FIELDS.join(", ")
                ),
            };
            let idx: Vec<usize> = match sel {
                Some(sel) => {
                    let sel = sel.strip_prefix("resources.").unwrap_or(sel);
                    let found = sc.resources.iter().position(|m| m.key == sel);
                    match found.or_else(|| sc.resources.iter().position(|m| m.key.ends_with(sel))) {
                        Some(i) => vec![i],
                        None => bail!(
                            "--sweep: no resource {sel:?} in the scenario (keys: {})",
                            keys(sc)
                        ),
                    }
                }
                None => (0..sc.resources.len())
                    .filter(|&i| has_field(&sc.resources[i], field))
                    .collect(),
            };
            if idx.is_empty() {
                bail!("--sweep: no resource sets {field}; name one as RESOURCE_KEY.{field} (keys: {})", keys(sc));
            }
            if field == "max_concurrency" {
                if let Some((v, _)) = values.iter().find(|(_, x)| x.fract() != 0.0) {
                    bail!("--sweep {key}: {v} is not a whole number");
                }
            }
            (Target::Resources(idx), field.to_owned())
        };
        Ok(Sweep {
            key: key.to_owned(),
            target,
            field,
            values,
        })
    }

    /// The scenario with value `x`.
    pub(crate) fn apply(&self, sc: &Scenario, x: f64) -> Scenario {
        let mut sc = sc.clone();
        match &self.target {
            Target::Arrivals => sc.arrivals = ArrivalSpec::Poisson { rate_per_s: x },
            Target::Resources(idx) => {
                for &i in idx {
                    let m = &mut sc.resources[i];
                    match self.field.as_str() {
                        "max_concurrency" => m.max_concurrency = Some(x as u32),
                        "max_rate_per_s" => m.max_rate_per_s = Some(x),
                        "burst" => m.burst = Some(x),
                        _ => {
                            if let OnLimit::Queue { max_queue_ms } = &mut m.on_limit {
                                *max_queue_ms = Some(x);
                            }
                        }
                    }
                }
            }
        }
        sc
    }
}

fn keys(sc: &Scenario) -> String {
    sc.resources
        .iter()
        .map(|m| m.key.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn has_field(m: &sim::ResourceModel, field: &str) -> bool {
    match field {
        "max_concurrency" => m.max_concurrency.is_some(),
        "max_rate_per_s" => m.max_rate_per_s.is_some(),
        "burst" => m.burst.is_some() || m.max_rate_per_s.is_some(),
        _ => matches!(
            m.on_limit,
            OnLimit::Queue {
                max_queue_ms: Some(_)
            }
        ),
    }
}
