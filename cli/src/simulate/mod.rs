//! `stampede simulate SCENARIO.json`: runs a scenario on the virtual clock
//! and prints its report (see `engine/src/sim/README.md` for the format).
//!
//! `--json FILE` and `--html FILE` write the report for machines and for
//! people; `--sweep KEY=V1,V2,…` runs the scenario once per value and prints
//! one table row per value (`sweep/`); `--shard i/n --shard-out FILE` runs
//! one slice of the executions and saves mergeable statistics for `stampede
//! merge` (`single.rs`).
//!
//! One simulation runs on one thread and is deterministic: the same
//! scenario and seed give the same bytes on any machine and any `--threads`
//! (which only spreads the runs of a sweep over cores).

mod args;
mod progress;
mod scenario;
mod single;
mod sweep;

pub(crate) use args::Args;

use anyhow::Result;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use sweep::Sweep;

/// Set by the first Ctrl-C: simulations stop and report what finished.
static STOP: AtomicBool = AtomicBool::new(false);

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let (sc, ctx) = match scenario::load(args)? {
        Ok(loaded) => loaded,
        Err(diags) => return Ok(scenario::bad_scenario(&diags)),
    };
    install_ctrlc();
    if let Some(spec) = &args.sweep {
        let sweep = Sweep::parse(spec, &sc)?;
        let opts = sweep::Opts {
            json: args.json.as_deref(),
            threads: args.threads.map(usize::from),
            quiet: args.quiet,
        };
        return sweep::run(opts, &ctx, &sc, &sweep);
    }
    single::run(args, &ctx, &sc)
}

/// The first Ctrl-C stops the simulation (its report is still printed,
/// marked partial); the second exits at once.
fn install_ctrlc() {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}
