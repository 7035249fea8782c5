//! `stampede run DEFINITION.json [--input FILE|-] [--echo-tasks]`: one
//! execution; with `--inputs FILE.jsonl` or `--executions N`, a batch
//! (see `batch.rs`).

use crate::batch;
use crate::input::{read_bytes, utf8};
use crate::output::emit;
use anyhow::{bail, Result};
use stampede::{Engine, Machine, MachineType, RunOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("batch").args(["inputs", "executions"]).multiple(true))]
pub(crate) struct Args {
    /// The state machine definition (ASL JSON); `-` reads stdin.
    pub(crate) definition: PathBuf,
    /// Execution input as a JSON file, `-` for stdin (default: `{}`).
    #[arg(long, short, value_name = "FILE|-", conflicts_with = "inputs")]
    pub(crate) input: Option<PathBuf>,
    /// Batch: one execution per line of this JSON Lines file (`-` for stdin);
    /// blank lines are skipped.
    #[arg(long, value_name = "FILE.jsonl|-")]
    pub(crate) inputs: Option<PathBuf>,
    /// Batch: run N executions (of `--input`, or cycling through `--inputs`).
    #[arg(long, short = 'n', value_name = "N")]
    pub(crate) executions: Option<u64>,
    /// Batch: worker threads (default: all cores).
    #[arg(long, short = 't', value_name = "T", requires = "batch",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) threads: Option<u16>,
    /// Batch: write the outcomes (JSON Lines) to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", requires = "batch")]
    pub(crate) out: Option<PathBuf>,
    /// Batch: write outcomes in index order (default: as they complete).
    #[arg(long, requires = "batch")]
    pub(crate) ordered: bool,
    /// Batch: also write the summary as JSON to FILE.
    #[arg(long, value_name = "FILE", requires = "batch")]
    pub(crate) summary_json: Option<PathBuf>,
    /// Batch: no progress bar and no summary on stderr (warnings and errors still).
    #[arg(long, short = 'q', requires = "batch")]
    pub(crate) quiet: bool,
    /// Serve every Task state with the echo handler: its result is its input.
    #[arg(long)]
    echo_tasks: bool,
    /// Seed for `States.MathRandom`, `States.UUID` and retry jitter (in a
    /// batch, execution i is seeded from this seed and i).
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    /// Execution name (as in `$$.Execution.Name`).
    #[arg(long)]
    name: Option<String>,
    /// Workflow type: changes the execution ARN and `$$.Execution`.
    #[arg(long = "type", value_enum, default_value_t = Kind::Standard)]
    kind: Kind,
    /// State machine name (as in `$$.StateMachine.Name`).
    #[arg(long)]
    state_machine_name: Option<String>,
    /// Start of the virtual clock, in milliseconds since the Unix epoch
    /// (default: now; in a batch, the same instant for every execution).
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    start_time_ms: Option<i64>,
}

/// `--type`
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Kind {
    /// STANDARD
    Standard,
    /// EXPRESS
    Express,
}

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    if args.inputs.is_some() || args.executions.is_some() {
        return batch::main(args);
    }
    if args.definition.as_os_str() == "-" && args.input.as_deref() == Some("-".as_ref()) {
        bail!("the definition and the input cannot both be read from stdin");
    }
    let definition = utf8(read_bytes(&args.definition)?, "the definition")?;
    let input = match &args.input {
        Some(path) => utf8(read_bytes(path)?, "the input")?,
        None => "{}".to_owned(),
    };
    let Some(machine) = compile(args, &definition) else {
        return Ok(ExitCode::from(2));
    };
    let outcome = machine.run_text(&input, &options(args))?;
    emit(&format!("{}\n", outcome.to_json_line()))?;
    Ok(ExitCode::SUCCESS)
}

/// The compiled definition, or `None` after printing its problems to stderr.
pub(crate) fn compile(args: &Args, definition: &str) -> Option<Machine> {
    let mut engine = Engine::new();
    if args.echo_tasks {
        engine.echo_all_tasks();
    }
    match engine.compile(definition) {
        Ok(m) => Some(m),
        Err(diags) => {
            eprintln!("error: invalid definition {}", args.definition.display());
            eprint!("{diags}");
            None
        }
    }
}

/// The options every execution runs with.
pub(crate) fn options(args: &Args) -> RunOptions {
    RunOptions {
        start_time_ms: args.start_time_ms,
        execution_name: args.name.clone(),
        seed: args.seed,
        machine_type: match args.kind {
            Kind::Standard => MachineType::Standard,
            Kind::Express => MachineType::Express,
        },
        state_machine_name: args.state_machine_name.clone(),
    }
}
