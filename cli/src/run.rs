//! `stampede run DEFINITION.json [--input FILE|-] [--echo-tasks]`

use crate::input::{read_bytes, utf8};
use crate::output::emit;
use anyhow::{bail, Result};
use stampede::{Engine, MachineType, RunOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The state machine definition (ASL JSON); `-` reads stdin.
    definition: PathBuf,
    /// Execution input as a JSON file, `-` for stdin (default: `{}`).
    #[arg(long, short, value_name = "FILE|-")]
    input: Option<PathBuf>,
    /// Serve every Task state with the echo handler: its result is its input.
    #[arg(long)]
    echo_tasks: bool,
    /// Seed for `States.MathRandom`, `States.UUID` and retry jitter.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Execution name (as in `$$.Execution.Name`).
    #[arg(long)]
    name: Option<String>,
    /// Workflow type: changes the execution ARN and `$$.Execution`.
    #[arg(long = "type", value_enum, default_value_t = Kind::Standard)]
    kind: Kind,
    /// State machine name (as in `$$.StateMachine.Name`).
    #[arg(long)]
    state_machine_name: Option<String>,
    /// Start of the virtual clock, in milliseconds since the Unix epoch (default: now).
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
    if args.definition.as_os_str() == "-" && args.input.as_deref() == Some("-".as_ref()) {
        bail!("the definition and the input cannot both be read from stdin");
    }
    let definition = utf8(read_bytes(&args.definition)?, "the definition")?;
    let input = match &args.input {
        Some(path) => utf8(read_bytes(path)?, "the input")?,
        None => "{}".to_owned(),
    };
    let mut engine = Engine::new();
    if args.echo_tasks {
        engine.echo_all_tasks();
    }
    let machine = match engine.compile(&definition) {
        Ok(m) => m,
        Err(diags) => {
            eprintln!("error: invalid definition {}", args.definition.display());
            eprint!("{diags}");
            return Ok(ExitCode::from(2));
        }
    };
    let opts = RunOptions {
        start_time_ms: args.start_time_ms,
        execution_name: args.name.clone(),
        seed: args.seed,
        machine_type: match args.kind {
            Kind::Standard => MachineType::Standard,
            Kind::Express => MachineType::Express,
        },
        state_machine_name: args.state_machine_name.clone(),
    };
    let outcome = machine.run_text(&input, &opts)?;
    emit(&format!("{}\n", outcome.to_json_line()))?;
    Ok(ExitCode::SUCCESS)
}
