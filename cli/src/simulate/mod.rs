//! `stampede simulate SCENARIO.json`: runs a scenario on the virtual clock
//! and prints its report (see `engine/src/sim/README.md` for the format).
//!
//! `--json FILE` and `--html FILE` write the report for machines and for
//! people; `--sweep KEY=V1,V2,…` runs the scenario once per value and prints
//! one table row per value (`sweep/`); `--shard i/n --shard-out FILE` runs
//! one slice of the executions and saves mergeable statistics for `stampede
//! merge` (`single.rs`).
//!
//! A simulation is deterministic: the same scenario and seed give the same
//! bytes on any machine and any `--threads` (one simulation runs T - 1 workers
//! ahead of its event loop; a sweep runs one simulation per thread).

mod args;
mod progress;
mod scenario;
mod single;
mod sweep;

pub(crate) use args::Args;

use crate::signals;
use anyhow::Result;
use std::process::ExitCode;
use sweep::Sweep;

/// A signal stops the simulations: what finished is reported, marked
/// partial, and the exit code is the signal's (see `signals.rs`).
pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let (sc, ctx) = match scenario::load(args)? {
        Ok(loaded) => loaded,
        Err(diags) => return Ok(scenario::bad_scenario(&diags)),
    };
    let stop = signals::install()?;
    if let Some(spec) = &args.sweep {
        let sweep = Sweep::parse(spec, &sc)?;
        let opts = sweep::Opts {
            json: args.json.as_deref(),
            threads: args.threads.map(usize::from),
            quiet: args.quiet,
            stop,
        };
        return sweep::run(opts, &ctx, &sc, &sweep);
    }
    single::run(args, &ctx, &sc, stop)
}

/// The exit code of a run that a signal cut short (130 if none is known).
fn interrupted_code() -> ExitCode {
    ExitCode::from(signals::received().map_or(130, signals::Signal::exit_code))
}
