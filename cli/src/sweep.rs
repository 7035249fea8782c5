//! `stampede simulate SCENARIO --sweep KEY=V1,V2,…`: one run per value, in
//! parallel on `--threads` threads (each run is single-threaded and
//! deterministic), one table row per value, in the order given.
//!
//! Keys: `arrivals.rate_per_s` (Poisson arrivals), `FIELD` (every resource
//! that sets FIELD), `RESOURCE_KEY.FIELD` or `resources.RESOURCE_KEY.FIELD`
//! (one resource), with FIELD one of `max_concurrency`, `max_rate_per_s`,
//! `burst`, `max_queue_ms`.

use crate::output::emit;
use crate::simulate::{
    bad_scenario, cost, json_report, memory_map, write_file, Ctx, SimProgress, STOP,
};
use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};
use stampede::report::ReportMeta;
use stampede::sim::{self, ArrivalSpec, OnLimit, Scenario, SimOptions};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Stack of each sweep worker (deep definitions must not overflow).
const STACK_BYTES: usize = 64 << 20;

const FIELDS: [&str; 4] = ["max_concurrency", "max_rate_per_s", "burst", "max_queue_ms"];

/// What to vary and its values.
#[derive(Debug)]
pub(crate) struct Sweep {
    key: String,
    target: Target,
    field: String,
    values: Vec<(String, f64)>,
}

#[derive(Debug)]
enum Target {
    Arrivals,
    /// Indexes into the scenario's resources.
    Resources(Vec<usize>),
}

pub(crate) struct Opts<'a> {
    pub(crate) json: Option<&'a Path>,
    pub(crate) threads: Option<usize>,
    pub(crate) quiet: bool,
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
    fn apply(&self, sc: &Scenario, x: f64) -> Scenario {
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

/// One run's report and whether it was interrupted, or the scenario's problems.
type RunResult = Result<(Value, bool), Vec<stampede::Diagnostic>>;

/// Runs every value, prints the table, writes `--json` (a list of reports).
pub(crate) fn run(opts: Opts<'_>, ctx: &Ctx, sc: &Scenario, sweep: &Sweep) -> Result<ExitCode> {
    let threads = opts
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, sweep.values.len());
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<RunResult>>> =
        Mutex::new(sweep.values.iter().map(|_| None).collect());
    let done = AtomicUsize::new(0);
    let memory = memory_map(sc);
    let total = sc.executions.map(|e| e * sweep.values.len() as u64);
    let progress = Mutex::new(SimProgress::new(total, !opts.quiet));
    let worker = || loop {
        let i = next.fetch_add(1, Ordering::SeqCst);
        let Some((_, x)) = sweep.values.get(i) else {
            break;
        };
        let scv = sweep.apply(sc, *x);
        let mut last = 0u64;
        let mut on_progress = |n: u64, sim_s: f64| {
            let all = done.fetch_add((n - last) as usize, Ordering::Relaxed) + (n - last) as usize;
            last = n;
            if let Ok(mut p) = progress.lock() {
                p.update(all as u64, sim_s);
            }
        };
        let result = sim::simulate(
            &scv,
            SimOptions {
                shard: None,
                stop: Some(&STOP),
                progress: Some(&mut on_progress),
            },
        );
        let out = result
            .map(|r| {
                let meta = ReportMeta {
                    scenario: ctx.name.clone(),
                    seed: sc.seed,
                    shard: None,
                    merged_shards: None,
                };
                let c = cost(&r.stats, sc.machine_type, &ctx.prices, &memory);
                let mut v = json_report(&r.stats, &c, &meta, r.partial);
                v["meta"]["sweep"] = json!({"key": sweep.key, "value": x});
                (v, r.partial)
            })
            .map_err(|d| d.0);
        if let Ok(mut s) = slots.lock() {
            s[i] = Some(out);
        }
    };
    std::thread::scope(|s| -> Result<()> {
        let handles = (0..threads)
            .map(|k| {
                std::thread::Builder::new()
                    .name(format!("sweep-{k}"))
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(s, worker)
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        for h in handles {
            h.join().map_err(|_| anyhow!("a sweep worker panicked"))?;
        }
        Ok(())
    })?;
    if let Ok(p) = progress.into_inner() {
        p.finish();
    }
    let mut reports = Vec::new();
    let mut partial = false;
    for slot in slots.into_inner().unwrap_or_default() {
        match slot {
            Some(Ok((v, p))) => {
                partial |= p;
                reports.push(v);
            }
            Some(Err(d)) => return Ok(bad_scenario(&d)),
            None => bail!("a sweep run did not finish"),
        }
    }
    if !opts.quiet {
        let mut text = String::new();
        if partial {
            text.push_str("PARTIAL REPORT: interrupted; only finished executions are counted\n");
        }
        text.push_str(&table(&ctx.name, sc, sweep, &reports));
        emit(&text)?;
    }
    if let Some(path) = opts.json {
        let list = Value::Array(reports);
        write_file(path, &format!("{}\n", serde_json::to_string_pretty(&list)?))?;
    }
    if partial {
        eprintln!("interrupted: the sweep's reports cover only finished executions (partial)");
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::SUCCESS)
}

/// Short label of a resource key: the part after the last `:` (with the one
/// before it for a prefix key such as `arn:aws:states:::dynamodb:*`).
fn short(key: &str) -> &str {
    let mut parts = key.rmatch_indices(':').map(|(i, _)| i);
    match parts.next() {
        Some(i) if !matches!(&key[i + 1..], "" | "*") => &key[i + 1..],
        Some(_) => parts.next().map_or(key, |j| &key[j + 1..]),
        None => key,
    }
}

/// The sweep table: one row per value.
fn table(name: &str, sc: &Scenario, sweep: &Sweep, reports: &[Value]) -> String {
    let limited: Vec<&str> = sc
        .resources
        .iter()
        .filter(|m| m.max_concurrency.is_some() || m.max_rate_per_s.is_some())
        .map(|m| m.key.as_str())
        .collect();
    let mut head: Vec<String> = [
        sweep.key.as_str(),
        "executions",
        "succeeded",
        "p50 ms",
        "p99 ms",
        "max ms",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for k in &limited {
        let s = short(k);
        head.extend([
            format!("{s} util"),
            format!("{s} p_wait"),
            format!("{s} wait ms"),
            format!("{s} throttles"),
        ]);
    }
    head.push("cost USD".to_owned());
    let mut rows = vec![head];
    for ((label, _), r) in sweep.values.iter().zip(reports) {
        let total = r["executions"]["total"].as_u64().unwrap_or(0);
        let ok = r["executions"]["by_status"]["SUCCEEDED"]
            .as_u64()
            .unwrap_or(0);
        let mut row = vec![
            label.clone(),
            total.to_string(),
            format!("{:.2}%", 100.0 * ok as f64 / total.max(1) as f64),
            num(&r["latency_ms"]["p50"]),
            num(&r["latency_ms"]["p99"]),
            num(&r["latency_ms"]["max"]),
        ];
        for k in &limited {
            let res = &r["resources"][*k];
            row.push(match res["utilization"].as_f64() {
                Some(u) => format!("{:.1}%", u * 100.0),
                None => "-".to_owned(),
            });
            row.push(format!(
                "{:.1}%",
                res["p_wait"].as_f64().unwrap_or(0.0) * 100.0
            ));
            row.push(num(&res["queue_wait_ms"]["mean"]));
            row.push(res["throttles"].as_u64().unwrap_or(0).to_string());
        }
        row.push(format!(
            "{:.2}",
            r["cost"]["total_usd"].as_f64().unwrap_or(0.0)
        ));
        rows.push(row);
    }
    let mut out = format!(
        "Sweep of {} over {} values: scenario {name} (seed {})\n\n",
        sweep.key,
        sweep.values.len(),
        sc.seed
    );
    let cols = rows[0].len();
    let width: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, s)| format!("{s:>w$}", w = width[c]))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x >= 100.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.1}"),
        None => "-".to_owned(),
    }
}
