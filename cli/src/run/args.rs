//! The arguments of `run` and what follows from them: the compiled
//! definition and the options every execution runs with.

use stampede::{Engine, Machine, MachineType, RunOptions};
use std::path::PathBuf;

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
    /// Most state transitions an execution may make before it fails with
    /// States.Runtime (what ends an endless Express loop; a Standard one
    /// ends at AWS's 25,000-event history quota first).
    #[arg(long, value_name = "N", default_value_t = stampede::DEFAULT_MAX_TRANSITIONS)]
    max_transitions: u32,
}

/// `--type`
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Kind {
    /// STANDARD
    Standard,
    /// EXPRESS
    Express,
}

impl Args {
    /// `--inputs` or `--executions` asks for a batch.
    pub(crate) fn is_batch(&self) -> bool {
        self.inputs.is_some() || self.executions.is_some()
    }
}

/// The compiled definition, or `None` after printing its problems to stderr.
pub(crate) fn compile(args: &Args, definition: &str) -> Option<Machine> {
    let mut engine = Engine::new();
    if args.echo_tasks {
        engine.echo_all_tasks();
    }
    match engine.compile_for(definition, machine_type(args)) {
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
        machine_type: machine_type(args),
        state_machine_name: args.state_machine_name.clone(),
        max_transitions: Some(args.max_transitions),
    }
}

/// `--type` as the engine names it.
fn machine_type(args: &Args) -> MachineType {
    match args.kind {
        Kind::Standard => MachineType::Standard,
        Kind::Express => MachineType::Express,
    }
}
