//! `stampede-loadgen`: load generation for Stampede. Each command prints one
//! JSON line on stdout and a human summary on stderr.

use anyhow::Result;
use clap::{Parser, Subcommand};
use stampede_loadgen::{closed, merge, open, parked, throughput};
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Drive the Stampede engine with load and measure it.
#[derive(Parser, Debug)]
#[command(name = "stampede-loadgen", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Park N executions on a deferred task at once, then complete them all; report memory.
    Parked(parked::ParkedArgs),
    /// Open loop: Poisson arrivals at a fixed rate; latency from each scheduled arrival.
    Open(open::OpenArgs),
    /// Closed loop: C executions in flight at all times.
    Closed(closed::ClosedArgs),
    /// One batch of N executions as fast as possible: executions/s, transitions/s.
    Throughput(throughput::ThroughputArgs),
    /// Add the histograms of interval logs written with --hist-log; print percentiles.
    Merge(merge::MergeArgs),
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs a command; `Ok(false)` when it ran but did not pass (parked).
fn run(command: Command) -> Result<bool> {
    match command {
        Command::Parked(a) => {
            let r = parked::run(&a, &mut |line| eprintln!("{line}"))?;
            println!("{}", r.to_json());
            Ok(r.ok())
        }
        Command::Open(a) => {
            let r = open::run(&a)?;
            eprintln!("{}", r.human());
            println!("{}", r.to_json());
            Ok(true)
        }
        Command::Closed(a) => {
            let r = closed::run(&a)?;
            eprintln!("{}", r.human());
            println!("{}", r.to_json());
            Ok(true)
        }
        Command::Throughput(a) => {
            let r = throughput::run(&a)?;
            let j = r.to_json();
            eprintln!(
                "throughput {} on {} threads: {} executions in {:.3} s ({} /s, {} transitions/s)",
                r.workload,
                r.threads,
                r.tally.executions,
                r.seconds,
                j["exec_per_s"],
                j["transitions_per_s"]
            );
            println!("{j}");
            Ok(true)
        }
        Command::Merge(a) => {
            println!("{}", merge::run(&a)?);
            Ok(true)
        }
    }
}
