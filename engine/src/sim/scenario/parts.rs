//! Reading latency distributions and arrival processes.

use super::reader::{ptr_index, ptr_key, Check, Cx};
use crate::sim::arrivals::{ArrivalSpec, RateStep};
use crate::sim::dist::{Empirical, LatencyDist};
use serde_json::Value;

const DISTS: &str = "constant, uniform, normal, lognormal, exponential, empirical";

/// A latency distribution: `{"dist": …, params}`, or a bare number (constant).
pub(crate) fn dist(cx: &mut Cx, v: &Value, ptr: &str) -> Option<LatencyDist> {
    if v.is_number() {
        return cx
            .number(v, ptr, Check::NonNegative)
            .map(LatencyDist::Constant);
    }
    let Some(m) = v.as_object() else {
        cx.err(ptr, "must be a number or an object with a 'dist' field");
        return None;
    };
    let kind = cx.required(m, ptr, "dist")?;
    let kind = cx.string(kind, &ptr_key(ptr, "dist"))?;
    let allowed: &[&str] = match kind {
        "constant" => &["dist", "value"],
        "uniform" => &["dist", "min", "max"],
        "normal" => &["dist", "mean", "stddev"],
        "lognormal" => &["dist", "median", "sigma", "mean", "stddev"],
        "exponential" => &["dist", "mean"],
        "empirical" => &["dist", "percentiles"],
        other => {
            cx.err(
                &ptr_key(ptr, "dist"),
                format!("unknown distribution '{other}' (expected one of: {DISTS})"),
            );
            return None;
        }
    };
    let m = cx.object(v, ptr, allowed)?;
    use Check::{NonNegative, Positive};
    match kind {
        "constant" => Some(LatencyDist::Constant(cx.req_number(
            m,
            ptr,
            "value",
            NonNegative,
        )?)),
        "uniform" => {
            let min = cx.req_number(m, ptr, "min", NonNegative);
            let max = cx.req_number(m, ptr, "max", NonNegative);
            let (min, max) = (min?, max?);
            if max < min {
                cx.err(&ptr_key(ptr, "max"), "must be >= min");
                return None;
            }
            Some(LatencyDist::Uniform { min, max })
        }
        "normal" => {
            let mean = cx.req_number(m, ptr, "mean", NonNegative);
            let stddev = cx.req_number(m, ptr, "stddev", NonNegative);
            Some(LatencyDist::Normal {
                mean: mean?,
                stddev: stddev?,
            })
        }
        "lognormal" => lognormal(cx, m, ptr),
        "exponential" => Some(LatencyDist::Exponential {
            mean: cx.req_number(m, ptr, "mean", Positive)?,
        }),
        _ => empirical(cx, m, ptr),
    }
}

fn lognormal(cx: &mut Cx, m: &serde_json::Map<String, Value>, ptr: &str) -> Option<LatencyDist> {
    let by_median = m.contains_key("median") || m.contains_key("sigma");
    let by_mean = m.contains_key("mean") || m.contains_key("stddev");
    if by_median && by_mean {
        cx.err(
            ptr,
            "give either 'median' and 'sigma' or 'mean' and 'stddev', not both",
        );
        return None;
    }
    if by_mean {
        let mean = cx.req_number(m, ptr, "mean", Check::Positive);
        let sd = cx.req_number(m, ptr, "stddev", Check::NonNegative);
        return Some(LatencyDist::lognormal_mean(mean?, sd?));
    }
    let median = cx.req_number(m, ptr, "median", Check::Positive);
    let sigma = cx.req_number(m, ptr, "sigma", Check::NonNegative);
    Some(LatencyDist::lognormal_median(median?, sigma?))
}

fn empirical(cx: &mut Cx, m: &serde_json::Map<String, Value>, ptr: &str) -> Option<LatencyDist> {
    let pp = ptr_key(ptr, "percentiles");
    let table = cx.required(m, ptr, "percentiles")?;
    let Some(table) = table.as_object() else {
        cx.err(
            &pp,
            "must be an object like {\"p0\": 5, \"p50\": 40, \"p100\": 900}",
        );
        return None;
    };
    let mut pts = Vec::new();
    let mut ok = true;
    for (k, v) in table {
        let kp = ptr_key(&pp, k);
        let p = k
            .strip_prefix('p')
            .and_then(|n| n.parse::<f64>().ok())
            .filter(|p| (0.0..=100.0).contains(p));
        let Some(p) = p else {
            cx.err(&kp, "must be named p0 … p100 (e.g. p50, p99.9)");
            ok = false;
            continue;
        };
        match cx.number(v, &kp, Check::NonNegative) {
            Some(x) => pts.push((p, x)),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    match Empirical::from_percentiles(pts) {
        Ok(e) => Some(LatencyDist::Empirical(e)),
        Err(msg) => {
            cx.err(&pp, msg.to_string());
            None
        }
    }
}

/// The `arrivals` object (absent: all at once).
pub(crate) fn arrivals(cx: &mut Cx, v: Option<&Value>) -> Option<ArrivalSpec> {
    const P: &str = "/arrivals";
    let Some(v) = v else {
        return Some(ArrivalSpec::All);
    };
    let m = v.as_object().or_else(|| {
        cx.err(P, "must be an object");
        None
    })?;
    let process = match m.get("process") {
        None => "all",
        Some(p) => cx.string(p, "/arrivals/process")?,
    };
    let allowed: &[&str] = match process {
        "all" => &["process"],
        "poisson" => &["process", "rate_per_s"],
        "steps" => &["process", "steps"],
        "bursts" => &["process", "every_s", "size", "start_s", "spread_s"],
        "closed" => &["process", "concurrency", "think_ms"],
        other => {
            cx.err(
                "/arrivals/process",
                format!(
                    "unknown process '{other}' (expected all, poisson, steps, bursts or closed)"
                ),
            );
            return None;
        }
    };
    let m = cx.object(v, P, allowed)?;
    match process {
        "all" => Some(ArrivalSpec::All),
        "poisson" => Some(ArrivalSpec::Poisson {
            rate_per_s: cx.req_number(m, P, "rate_per_s", Check::Positive)?,
        }),
        "steps" => {
            let items = cx_required_array(cx, m, "steps")?;
            steps(cx, items)
        }
        "bursts" => {
            let every_s = cx.req_number(m, P, "every_s", Check::Positive);
            let size = cx
                .required(m, P, "size")
                .and_then(|s| cx.integer(s, "/arrivals/size", 1, u64::MAX));
            let start_s = cx.opt_number(m, P, "start_s", Check::NonNegative);
            let spread_s = cx.opt_number(m, P, "spread_s", Check::NonNegative);
            let (every_s, size) = (every_s?, size?);
            let spread_s = spread_s.unwrap_or(0.0);
            if spread_s > every_s {
                cx.err("/arrivals/spread_s", "must be <= every_s");
                return None;
            }
            Some(ArrivalSpec::Bursts {
                every_s,
                size,
                start_s: start_s.unwrap_or(0.0),
                spread_s,
            })
        }
        _ => {
            let concurrency = cx
                .required(m, P, "concurrency")
                .and_then(|c| cx.integer(c, "/arrivals/concurrency", 1, u32::MAX as u64));
            let think_ms = match m.get("think_ms") {
                Some(t) => Some(dist(cx, t, "/arrivals/think_ms")?),
                None => None,
            };
            Some(ArrivalSpec::Closed {
                concurrency: concurrency? as u32,
                think_ms,
            })
        }
    }
}

fn cx_required_array<'a>(
    cx: &mut Cx,
    m: &'a serde_json::Map<String, Value>,
    key: &str,
) -> Option<&'a Vec<Value>> {
    let v = cx.required(m, "/arrivals", key)?;
    let a = v.as_array().filter(|a| !a.is_empty());
    if a.is_none() {
        cx.err(&ptr_key("/arrivals", key), "must be a non-empty array");
    }
    a
}

fn steps(cx: &mut Cx, items: &[Value]) -> Option<ArrivalSpec> {
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = ptr_index("/arrivals/steps", i);
        let Some(m) = cx.object(item, &p, &["at_s", "rate_per_s"]) else {
            ok = false;
            continue;
        };
        let at_s = cx.req_number(m, &p, "at_s", Check::NonNegative);
        let rate = cx.req_number(m, &p, "rate_per_s", Check::NonNegative);
        match (at_s, rate) {
            (Some(at_s), Some(rate_per_s)) => {
                if out.last().is_some_and(|s: &RateStep| s.at_s >= at_s) {
                    cx.err(
                        &ptr_key(&p, "at_s"),
                        "must be greater than the previous step's",
                    );
                    ok = false;
                }
                out.push(RateStep { at_s, rate_per_s });
            }
            _ => ok = false,
        }
    }
    if ok && out.iter().all(|s| s.rate_per_s == 0.0) {
        cx.err(
            "/arrivals/steps",
            "at least one step must have rate_per_s > 0",
        );
        ok = false;
    }
    ok.then_some(ArrivalSpec::Steps(out))
}
