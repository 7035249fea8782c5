//! The `stampede` command: validate and run Amazon States Language state
//! machines. Thin over the `stampede` library; one module per command.
//!
//! Exit codes: 0 success (for `run`: the executions reached an end, whatever
//! their status; for `test-state`: a response, whatever its status), 1 `validate` found errors or a batch could not write its
//! outcomes, 2 usage error, unreadable file, invalid definition or invalid
//! input for a single `run`, invalid scenario for `simulate`; a batch or a
//! simulation stopped by a signal before its end exits 128 + the signal's
//! number once its summary is printed: 130 SIGINT (Ctrl-C), 143 SIGTERM,
//! 129 SIGHUP (see `signals.rs`).
#![forbid(unsafe_code)]

mod files;
mod input;
mod merge;
mod output;
mod run;
mod scenario_io;
mod serve;
mod signals;
mod simulate;
mod test_state;
mod validate;

use clap::{Parser, Subcommand};
use mimalloc::MiMalloc;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// Stack for the thread that does the work: deeply nested definitions or
/// inputs must end in an error, never in a stack overflow.
const WORK_STACK_BYTES: usize = 256 << 20;

/// Runs AWS Step Functions state machines (Amazon States Language) locally,
/// with AWS's semantics.
#[derive(Debug, Parser)]
#[command(name = "stampede", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a definition; print `valid` (exit 0) or every problem, one a line (exit 1).
    Validate(validate::Args),
    /// Run one execution and print its outcome as one line of JSON; with
    /// `--inputs FILE.jsonl` or `--executions N`, run a batch on all cores.
    Run(run::Args),
    /// Simulate a scenario on the virtual clock and print its report:
    /// outcomes, latency percentiles, per-state and per-resource figures, cost.
    Simulate(simulate::Args),
    /// Merge the shard files of `simulate --shard i/n --shard-out FILE` into one report.
    Merge(merge::Args),
    /// Serve the Step Functions API (awsJson1_0) on loopback: a drop-in for
    /// Step Functions Local that boto3 and the AWS CLI use unchanged.
    Serve(serve::Args),
    /// Test one state as AWS's TestState API does (mocked service calls);
    /// print the response as one line of JSON (exit 0), or the refusal (exit 2).
    TestState(test_state::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let worker = std::thread::Builder::new()
        .name("stampede".into())
        .stack_size(WORK_STACK_BYTES)
        .spawn(move || dispatch(cli));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        // A panic already printed its message; keep Rust's exit code for it.
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => {
            eprintln!("error: cannot start a worker thread: {e}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Validate(args) => validate::main(&args),
        Command::Run(args) => run::main(&args),
        Command::Simulate(args) => simulate::main(&args),
        Command::Merge(args) => merge::main(&args),
        Command::Serve(args) => serve::main(&args),
        Command::TestState(args) => test_state::main(&args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(2)
    })
}
