//! The arguments of `run` and what follows from them: the compiled
//! definition and the options every execution runs with.

use super::mocks::{self, MockArgs};
use super::tokens::PrintTokens;
use stampede::handlers::{echo_with_failures, TaskHandler};
use stampede::store::LocalFolder;
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
    /// Serve Task states from a mock file in AWS's MockConfigFile.json
    /// format (Step Functions Local's), unchanged [default: $SFN_MOCK_CONFIG].
    /// Invocation n of a state in an execution (retries and Map iterations
    /// count) takes the entry keyed "n" or a range "a-b" holding n; one past
    /// the last key fails the execution with States.Runtime, and so does an
    /// unmocked Task unless --echo-tasks. An entry's "Latency": MS delays it
    /// on the execution's clock.
    #[arg(long, value_name = "FILE")]
    mock_config: Option<PathBuf>,
    /// The mock file's test case to run (default: the only one).
    #[arg(long, value_name = "NAME")]
    test_case: Option<String>,
    /// Serve every Task state (with a mock file: every state its test case
    /// does not mock) with the echo handler: the result is the effective
    /// input, except that an input holding {"__fail": {"error": E, "cause":
    /// C, "times": N}} fails the first N attempts with E and C (always,
    /// without "times"), the peer engines' failure injection.
    #[arg(long)]
    echo_tasks: bool,
    /// Drive `.waitForTaskToken` tasks (one execution only): each task
    /// token is printed on stderr as a JSON line {"token":…,"state":…,
    /// "input":…} when its task waits, and completion lines are read from
    /// FILE (`-`: stdin) while the execution waits: {"token":…,"output":…}
    /// (SendTaskSuccess), {"token":…,"error":…,"cause":…} (SendTaskFailure),
    /// {"token":…,"heartbeat":true} (SendTaskHeartbeat). A refused token
    /// (TaskDoesNotExist, TaskTimedOut, InvalidToken) is a warning; a line of
    /// another shape is an error (exit 2). At the end of FILE the tasks still
    /// waiting time out (States.HeartbeatTimeout or States.Timeout) on the
    /// virtual clock. Tokens are deterministic for a given --seed.
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["inputs", "executions"])]
    pub(crate) tokens_from: Option<PathBuf>,
    /// A folder standing for S3, for a Distributed Map's ItemReader:
    /// s3://BUCKET/KEY is the file DIR/BUCKET/KEY (keys cannot leave it)
    /// [default: $STAMPEDE_S3_ROOT].
    #[arg(long, value_name = "DIR")]
    s3_root: Option<PathBuf>,
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
    /// State machine name (as in `$$.StateMachine.Name`); also chooses the
    /// state machine of the mock file (default: the only one).
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
    /// Record each execution's history and write it to FILE (`-`: stdout,
    /// after the outcome) as GetExecutionHistory's response,
    /// {"events":[…]}. In a batch, one JSON line per execution,
    /// {"index":N,"events":[…]} (in index order with --ordered).
    #[arg(long, value_name = "FILE|-")]
    pub(crate) history: Option<PathBuf>,
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

/// The compiled definition, its Task states served by the mock file and
/// `--echo-tasks`; or `None` after printing the problems to stderr.
pub(crate) fn compile(args: &Args, definition: &str) -> Option<Machine> {
    let mut engine = Engine::new();
    let mock_args = MockArgs {
        file: args.mock_config.as_deref(),
        state_machine: args.state_machine_name.as_deref(),
        test_case: args.test_case.as_deref(),
    };
    let print = args.tokens_from.is_some();
    match (mocks::handler(&mock_args, definition)?, args.echo_tasks) {
        (Some(m), true) => register(&mut engine, m.or_else(echo_with_failures()), print),
        (Some(m), false) => register(&mut engine, m, print),
        (None, true) => register(&mut engine, echo_with_failures(), print),
        (None, false) => {}
    };
    if let Some(root) = s3_root(args.s3_root.as_deref()) {
        engine.object_store(LocalFolder::new(root));
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

/// Serves every Task state with `h`, printing task tokens when `print` (`--tokens-from`).
fn register(engine: &mut Engine, h: impl TaskHandler, print: bool) {
    if print {
        engine.register("*", PrintTokens(h));
    } else {
        engine.register("*", h);
    }
}

/// `--s3-root`, else `$STAMPEDE_S3_ROOT` (when set and not empty).
pub(crate) fn s3_root(flag: Option<&std::path::Path>) -> Option<PathBuf> {
    flag.map(PathBuf::from).or_else(|| {
        std::env::var_os("STAMPEDE_S3_ROOT")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
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
        history: args.history.is_some(),
        arns: None,
    }
}

/// `--type` as the engine names it.
fn machine_type(args: &Args) -> MachineType {
    match args.kind {
        Kind::Standard => MachineType::Standard,
        Kind::Express => MachineType::Express,
    }
}
