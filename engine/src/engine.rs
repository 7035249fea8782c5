//! The embedding API: an [`Engine`] holds task handlers, compiles definitions
//! into [`Machine`]s, and a machine runs executions.

use crate::asl::Diagnostics;
use crate::bytecode::Program;
use crate::handlers::{Registry, TaskHandler};
use crate::json::{Doc, Val};
use crate::runtime::local;
use crate::vm::{End, ExecInfo, Execution};
use std::fmt;
use std::sync::Arc;

/// Final status of an execution, as DescribeExecution reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Reached a Succeed state or an End.
    Succeeded,
    /// Failed with an error and cause.
    Failed,
    /// Exceeded the machine's `TimeoutSeconds`.
    TimedOut,
    /// Stopped from outside.
    Aborted,
}

impl Status {
    /// `"SUCCEEDED"`, `"FAILED"`, `"TIMED_OUT"`, `"ABORTED"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// The result of one execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Final status.
    pub status: Status,
    /// Output as compact JSON text, when it succeeded.
    pub output: Option<String>,
    /// Error name, when it failed or timed out.
    pub error: Option<String>,
    /// Cause text, when it failed or timed out.
    pub cause: Option<String>,
    /// State transitions (states entered, plus retries) it took.
    pub transitions: u64,
    /// History events AWS would have recorded (the id of the last one).
    pub events: u64,
}

impl Outcome {
    /// One line of JSON: `{"status":"SUCCEEDED","output":…}` or
    /// `{"status":"FAILED","error":…,"cause":…}`.
    pub fn to_json_line(&self) -> String {
        let mut s = String::from("{\"status\":\"");
        s.push_str(self.status.as_str());
        s.push('"');
        if let Some(o) = &self.output {
            s.push_str(",\"output\":");
            s.push_str(o);
        }
        if let Some(e) = &self.error {
            s.push_str(",\"error\":");
            crate::json::write_str(e, &mut s);
        }
        if let Some(c) = &self.cause {
            s.push_str(",\"cause\":");
            crate::json::write_str(c, &mut s);
        }
        s.push('}');
        s
    }
}

/// Options for one execution.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Virtual clock start, in milliseconds since the Unix epoch (default: now).
    pub start_time_ms: Option<i64>,
    /// Execution name (default: a generated one).
    pub execution_name: Option<String>,
    /// Seed for `States.MathRandom`, `States.UUID` and jitter.
    pub seed: u64,
    /// Standard or Express (changes the execution ARN and `$$.Execution`).
    pub machine_type: MachineType,
    /// State machine name (default `StateMachine`).
    pub state_machine_name: Option<String>,
}

/// The workflow type of a state machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MachineType {
    /// `STANDARD` (default).
    #[default]
    Standard,
    /// `EXPRESS`.
    Express,
}

/// Error for execution input that is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid execution input: {}", self.0)
    }
}

impl std::error::Error for InputError {}

/// Holds task handlers and compiles definitions.
#[derive(Debug, Default, Clone)]
pub struct Engine {
    registry: Registry,
}

impl Engine {
    /// An engine with no handlers registered.
    pub fn new() -> Self {
        Engine::default()
    }

    /// Registers a handler for the resources `pattern` matches: an exact
    /// `Resource`, a prefix ending in `*`, or `*` for all. Exact beats the
    /// longest prefix, which beats `*`. Chains.
    pub fn register(&mut self, pattern: &str, handler: impl TaskHandler) -> &mut Self {
        self.registry.register(pattern, Arc::new(handler));
        self
    }

    /// Serves every Task state, whatever its `Resource`, with the built-in
    /// `echo` handler (returns its effective input). Used by `stampede run --echo-tasks`.
    pub fn echo_all_tasks(&mut self) -> &mut Self {
        self.register("*", crate::handlers::echo())
    }

    /// Parses, validates and compiles a definition given as JSON text.
    ///
    /// # Errors
    /// Every problem in the definition, each with its JSON pointer; also a
    /// Task whose `Resource` no registered handler serves.
    pub fn compile(&self, definition: &str) -> Result<Machine, Diagnostics> {
        let (sm, _warnings) = crate::asl::parse(definition)?;
        let program = crate::compile::compile(&sm, &self.registry)?;
        Ok(Machine {
            program: Arc::new(program),
            handlers: self.registry.handlers().to_vec(),
        })
    }
}

/// A compiled state machine, ready to run many executions.
#[derive(Clone)]
pub struct Machine {
    program: Arc<Program>,
    handlers: Vec<Arc<dyn TaskHandler>>,
}

impl fmt::Debug for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Machine")
            .field("ops", &self.program.ops.len())
            .finish()
    }
}

impl Machine {
    /// The compiled program (ops and side tables).
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Runs one execution to its end with `input` given as JSON text, on
    /// the calling thread with a virtual clock.
    ///
    /// # Errors
    /// [`InputError`] when `input` is not JSON.
    pub fn run_text(&self, input: &str, opts: &RunOptions) -> Result<Outcome, InputError> {
        let mut doc = Doc::new();
        let v = doc.parse(input).map_err(|e| InputError(e.message))?;
        Ok(self.run_doc(doc, v, opts))
    }

    /// Runs one execution whose input is a `serde_json` value.
    pub fn run_value(&self, input: &serde_json::Value, opts: &RunOptions) -> Outcome {
        let mut doc = Doc::new();
        let v = doc.import(input);
        self.run_doc(doc, v, opts)
    }

    fn run_doc(&self, doc: Doc, input: Val, opts: &RunOptions) -> Outcome {
        let start_ms = opts.start_time_ms.unwrap_or_else(now_ms);
        let name = opts
            .execution_name
            .clone()
            .unwrap_or_else(|| pseudo_uuid(opts.seed));
        let sm = opts.state_machine_name.as_deref().unwrap_or("StateMachine");
        let mut input_doc = Doc::new();
        let input_copy = input_doc.copy_from(&doc, input);
        let express = opts.machine_type == MachineType::Express;
        let execution_arn = if express {
            format!(
                "arn:aws:states:{REGION}:{ACCOUNT}:express:{sm}:{name}:{}",
                pseudo_uuid(opts.seed.wrapping_add(1))
            )
        } else {
            format!("arn:aws:states:{REGION}:{ACCOUNT}:execution:{sm}:{name}")
        };
        let info = ExecInfo {
            execution_arn,
            express,
            name,
            state_machine_name: sm.to_owned(),
            state_machine_arn: format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{sm}"),
            role_arn: format!("arn:aws:iam::{ACCOUNT}:role/StepFunctionsRole"),
            start_ms,
            input_doc,
            input: input_copy,
        };
        let mut exec = Execution::new(0, &self.program, info, doc, input, opts.seed);
        let end = local::run_to_end(&self.program, &self.handlers, &mut exec, start_ms);
        let c = exec.counters();
        let (transitions, events) = (c.transitions, c.events);
        let nonempty = |s: String| if s.is_empty() { None } else { Some(s) };
        match end {
            End::Succeeded(out) => Outcome {
                status: Status::Succeeded,
                output: Some(out),
                error: None,
                cause: None,
                transitions,
                events,
            },
            End::Failed(f) => Outcome {
                status: Status::Failed,
                output: None,
                error: nonempty(f.error.into_owned()),
                cause: nonempty(f.cause),
                transitions,
                events,
            },
            End::TimedOut => Outcome {
                status: Status::TimedOut,
                output: None,
                error: None,
                cause: None,
                transitions,
                events,
            },
        }
    }
}

/// Region in generated ARNs.
const REGION: &str = "us-east-1";
/// Account id in generated ARNs (the one AWS's recorded corpus shows).
const ACCOUNT: &str = "111111111111";

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A UUID-shaped execution name derived from a seed (deterministic).
fn pseudo_uuid(seed: u64) -> String {
    let mut s = seed ^ 0x005E_ED0F_57A3_9EDE;
    let mut next = || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let (a, b) = (next(), next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}
