//! `stampede simulate SCENARIO --sweep KEY=V1,V2,…`: one run per value, in
//! parallel on `--threads` threads (each run is single-threaded and
//! deterministic), one table row per value, in the order given. The key and
//! its values: `spec.rs`; the table: `table.rs`.

mod spec;
mod table;

pub(crate) use spec::Sweep;

use super::interrupted_code;
use super::progress::SimProgress;
use super::scenario::{bad_scenario, Ctx};
use crate::files::write_whole;
use crate::output::emit;
use crate::scenario_io::cost::{cost, memory_map};
use crate::scenario_io::outputs::{json_report, PARTIAL_BANNER};
use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};
use stampede::report::ReportMeta;
use stampede::sim::{self, Scenario, SimOptions};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Stack of each sweep worker (deep definitions must not overflow).
const STACK_BYTES: usize = 64 << 20;

/// Where a sweep's reports go.
pub(crate) struct Opts<'a> {
    pub(crate) json: Option<&'a Path>,
    pub(crate) threads: Option<usize>,
    pub(crate) quiet: bool,
    /// Set by a signal: every run stops and reports what finished.
    pub(crate) stop: &'a AtomicBool,
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
                stop: Some(opts.stop),
                progress: Some(&mut on_progress),
                // The sweep's runs share the cores: each one runs on one thread.
                threads: Some(1),
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
            text.push_str(PARTIAL_BANNER);
        }
        text.push_str(&table::table(&ctx.name, sc, sweep, &reports));
        emit(&text)?;
    }
    if let Some(path) = opts.json {
        let list = Value::Array(reports);
        write_whole(path, format!("{}\n", serde_json::to_string_pretty(&list)?))?;
    }
    if partial {
        eprintln!("interrupted: the sweep's reports cover only finished executions (partial)");
        return Ok(interrupted_code());
    }
    Ok(ExitCode::SUCCESS)
}
