//! `stampede-loadgen`: load generation for Stampede. Each command prints one
//! JSON line on stdout and a human summary on stderr.
//!
//! SIGINT, SIGTERM and SIGHUP stop a run: no more executions start, those
//! in flight end, the report of what ran is printed (its JSON line with
//! `stopped_by`), and the exit code is 128 + the signal's number (130, 143,
//! 129). A second signal exits at once.

// Shared with the `stampede` CLI (one source, no copy).
#[path = "../../cli/src/signals.rs"]
mod signals;

use anyhow::Result;
use clap::{Parser, Subcommand};
use serde_json::Value;
use stampede_loadgen::{closed, http, merge, open, parked, throughput};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

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
    /// Park N executions on `.waitForTaskToken` tasks at once, then send every token back.
    Tokens(parked::ParkedArgs),
    /// Open loop: Poisson arrivals at a fixed rate; latency from each scheduled arrival.
    Open(open::OpenArgs),
    /// Closed loop: C executions in flight at all times.
    Closed(closed::ClosedArgs),
    /// One batch of N executions as fast as possible: executions/s, transitions/s.
    Throughput(throughput::ThroughputArgs),
    /// Load on a Step Functions HTTP endpoint (`stampede serve`, moto…):
    /// StartExecution or StartSyncExecution over C keep-alive connections.
    Http(http::HttpArgs),
    /// Add the histograms of interval logs written with --hist-log; print percentiles.
    Merge(merge::MergeArgs),
}

fn main() -> ExitCode {
    let command = Cli::parse().command;
    let passed = signals::install()
        .map_err(anyhow::Error::new)
        .and_then(|stop| run(command, stop));
    match (passed, signals::received()) {
        (Err(e), _) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
        (Ok(_), Some(signal)) => {
            eprintln!(
                "interrupted by {}: the report covers the executions that ran",
                signal.name()
            );
            ExitCode::from(signal.exit_code())
        }
        (Ok(true), None) => ExitCode::SUCCESS,
        (Ok(false), None) => ExitCode::FAILURE,
    }
}

/// Prints a report's JSON line, with `stopped_by` when a signal cut the run short.
fn print_json(mut j: Value) {
    if let (Some(signal), Some(m)) = (signals::received(), j.as_object_mut()) {
        m.insert("stopped_by".into(), signal.name().into());
    }
    println!("{j}");
}

/// Runs a command until it ends or `stop` is set (by a signal); `Ok(false)`
/// when it ran but did not pass (parked).
fn run(command: Command, stop: &AtomicBool) -> Result<bool> {
    match command {
        Command::Parked(a) => {
            let r = parked::run_until(
                &a,
                parked::Mode::Deferred,
                &mut |line| eprintln!("{line}"),
                stop,
            )?;
            print_json(r.to_json());
            Ok(r.ok())
        }
        Command::Tokens(a) => {
            let r = parked::run_until(
                &a,
                parked::Mode::Tokens,
                &mut |line| eprintln!("{line}"),
                stop,
            )?;
            print_json(r.to_json());
            Ok(r.ok())
        }
        Command::Open(a) => {
            let r = open::run_until(&a, stop)?;
            eprintln!("{}", r.human());
            print_json(r.to_json());
            Ok(true)
        }
        Command::Closed(a) => {
            let r = closed::run_until(&a, stop)?;
            eprintln!("{}", r.human());
            print_json(r.to_json());
            Ok(true)
        }
        Command::Throughput(a) => {
            let r = throughput::run_until(&a, stop)?;
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
            print_json(j);
            Ok(true)
        }
        Command::Http(a) => {
            let r = http::run_until(&a, stop)?;
            let j = r.to_json();
            eprintln!(
                "http {} {} x{}: {} ok in {:.2} s ({} /s), p50 {} ms, p99 {} ms, errors {}",
                r.label,
                r.op,
                r.connections,
                r.ok,
                r.seconds,
                j["requests_per_s"],
                j["p50_ms"],
                j["p99_ms"],
                j["errors"]
            );
            match r.drain {
                Some((s, true)) => eprintln!(
                    "  its executions all ended {s:.2} s later: {} completed/s",
                    j["completed_per_s"]
                ),
                Some((s, false)) => eprintln!("  executions still RUNNING {s:.0} s later"),
                None => {}
            }
            print_json(j);
            Ok(true)
        }
        Command::Merge(a) => {
            println!("{}", merge::run(&a)?);
            Ok(true)
        }
    }
}
