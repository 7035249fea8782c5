//! One simulation (or one shard of it with `--shard i/n`): the report on
//! stdout and in `--json`/`--html` files, the mergeable statistics in
//! `--shard-out FILE`.

use super::args::Args;
use super::interrupted_code;
use super::progress::SimProgress;
use super::scenario::{bad_scenario, Ctx};
use crate::files::write_whole;
use crate::scenario_io::cost::{cost, memory_map};
use crate::scenario_io::outputs::Outputs;
use crate::scenario_io::shard_file;
use anyhow::Result;
use stampede::report::ReportMeta;
use stampede::sim::{self, Scenario, SimOptions, SimResult};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

pub(crate) fn run(args: &Args, ctx: &Ctx, sc: &Scenario, stop: &AtomicBool) -> Result<ExitCode> {
    let total = sc
        .executions
        .map(|e| args.shard.map_or(e, |(i, n)| slice_len(e, i, n)));
    let mut progress = SimProgress::new(total, !args.quiet);
    let mut on_progress = |done: u64, sim_s: f64| progress.update(done, sim_s);
    let opts = SimOptions {
        shard: args.shard,
        stop: Some(stop),
        progress: Some(&mut on_progress),
        threads: args.threads.map(usize::from),
    };
    let result = match sim::simulate(sc, opts) {
        Ok(r) => r,
        Err(d) => return Ok(bad_scenario(&d.0)),
    };
    progress.finish();
    let meta = ReportMeta {
        scenario: ctx.name.clone(),
        seed: sc.seed,
        shard: args.shard,
        merged_shards: None,
    };
    let cost = cost(&result.stats, sc.machine_type, &ctx.prices, &memory_map(sc));
    let out = Outputs {
        json: args.json.as_deref(),
        html: args.html.as_deref(),
        quiet: args.quiet,
    };
    out.write(
        &result.stats,
        &cost,
        &meta,
        Some(&result.definition),
        result.partial,
    )?;
    if let (Some(path), Some(shard)) = (&args.shard_out, args.shard) {
        let file = shard_file::to_json(&ctx.name, &ctx.prices, sc, shard, &result);
        write_whole(path, format!("{}\n", serde_json::to_string(&file)?))?;
    }
    Ok(finish_code(&result))
}

/// The signal's exit code after an interruption, else 0.
fn finish_code(r: &SimResult) -> ExitCode {
    if r.partial {
        eprintln!(
            "interrupted: the report covers the {} of {} started executions that finished (partial)",
            r.stats.execution_count(),
            r.started
        );
        interrupted_code()
    } else {
        ExitCode::SUCCESS
    }
}

/// Executions of slice `i` of `n` out of `total`.
fn slice_len(total: u64, i: u32, n: u32) -> u64 {
    let (i, n) = (u64::from(i), u64::from(n));
    total / n + u64::from(total % n > i)
}
