//! Starting an execution: options in ([`RunOptions`]), names and ARNs for the
//! context object ([`MachineInfo`]), the clock, and a new [`Execution`].

use super::core::MachineCore;
use super::exec::Execution;
use super::input::{load, Input, InputError};
use super::{ExecInfo, Limits, MachineInfo, DEFAULT_MAX_TRANSITIONS, MAX_HISTORY_EVENTS};
use crate::machine_type::MachineType;
use std::sync::Arc;

/// Region in generated ARNs.
const REGION: &str = "us-east-1";
/// Account id in generated ARNs (the one AWS's recorded corpus shows).
const ACCOUNT: &str = "111111111111";

/// Options for one execution.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Virtual clock start, in milliseconds since the Unix epoch (default: now).
    pub start_time_ms: Option<i64>,
    /// Execution name (default: a generated one).
    pub execution_name: Option<String>,
    /// Seed for `States.MathRandom`, `States.UUID` and jitter.
    pub seed: u64,
    /// Standard or Express: the execution ARN, `$$.Execution`, and the
    /// 5-minute limit of an Express execution.
    pub machine_type: MachineType,
    /// State machine name (default `StateMachine`).
    pub state_machine_name: Option<String>,
    /// Most state transitions the execution may make before it fails with
    /// `States.Runtime` (default [`DEFAULT_MAX_TRANSITIONS`]): what ends an
    /// endless loop of an Express execution, which keeps no history.
    pub max_transitions: Option<u32>,
    /// Record the execution's history ([`Outcome::history`](crate::Outcome::history)):
    /// every event in the shapes of GetExecutionHistory. Off by default;
    /// when off, events are only counted.
    pub history: bool,
    /// The names an embedder gives the execution itself (a server with its
    /// own region, account and Express ids): the context object's
    /// `$$.StateMachine.Id`, `$$.Execution.Id` and `$$.Execution.RoleArn`.
    /// Default: derived from the names above.
    pub arns: Option<ExecutionArns>,
}

/// ARNs an embedder names one execution with ([`RunOptions::arns`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecutionArns {
    /// The state machine's ARN (`$$.StateMachine.Id`).
    pub state_machine: String,
    /// The execution's ARN (`$$.Execution.Id`).
    pub execution: String,
    /// The role it runs with (`$$.Execution.RoleArn`).
    pub role: String,
}

/// Names and ARNs for executions run with `opts`.
pub(crate) fn machine_info(opts: &RunOptions) -> Arc<MachineInfo> {
    let sm = opts.state_machine_name.as_deref().unwrap_or("StateMachine");
    let express = opts.machine_type.is_express();
    let kind = if express { "express" } else { "execution" };
    let (arn, role_arn, execution_arn) = match &opts.arns {
        Some(a) => (
            a.state_machine.as_str().into(),
            a.role.as_str().into(),
            Some(a.execution.as_str().into()),
        ),
        None => (
            format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{sm}").into(),
            format!("arn:aws:iam::{ACCOUNT}:role/StepFunctionsRole").into(),
            None,
        ),
    };
    Arc::new(MachineInfo {
        name: sm.into(),
        arn,
        execution_arn_prefix: format!("arn:aws:states:{REGION}:{ACCOUNT}:{kind}:{sm}:").into(),
        role_arn,
        express,
        redrivable: opts.machine_type != MachineType::ExpressSync,
        execution_arn,
    })
}

/// A new execution with id `id` of `input`: `opts.seed` seeds it and
/// `opts.start_time_ms` (else the wall clock) starts its clock.
///
/// # Errors
/// [`InputError`] when the input is not JSON.
pub(crate) fn start(
    core: &MachineCore,
    id: u64,
    info: &Arc<MachineInfo>,
    input: &Input,
    opts: &RunOptions,
) -> Result<Execution, InputError> {
    let (doc, root) = load(input)?;
    let info = ExecInfo {
        machine: Arc::clone(info),
        name: opts.execution_name.as_deref().map(Into::into),
        seed: opts.seed,
        start_ms: opts.start_time_ms.unwrap_or_else(now_ms),
        limits: Limits {
            events: if opts.machine_type.is_express() {
                u32::MAX
            } else {
                MAX_HISTORY_EVENTS
            },
            transitions: opts.max_transitions.unwrap_or(DEFAULT_MAX_TRANSITIONS),
        },
        input: None,
    };
    let deadline = deadline(
        info.start_ms,
        core.program.timeout_seconds,
        info.machine.express,
    );
    let mut exec = Execution::new(id, &core.program, info, deadline, doc, root, opts.seed);
    if opts.history {
        record_history(&mut exec, input);
    }
    Ok(exec)
}

/// Starts `exec`'s history with its input: the text as given (AWS echoes
/// it in `ExecutionStarted`), or a value written compactly.
#[cold]
fn record_history(exec: &mut Execution, input: &Input) {
    match input {
        Input::Text(t) => exec.record_history(t),
        Input::Shared(t) => exec.record_history(t),
        Input::Json(v) => exec.record_history(&v.to_string()),
    }
}

/// AWS's maximum duration of an Express execution (5 minutes).
const EXPRESS_MAX_MS: i64 = 300_000;

/// The deadline of an execution that starts at `start_ms`: the machine's
/// `TimeoutSeconds`, and at most 5 minutes for an Express execution.
fn deadline(start_ms: i64, timeout_seconds: Option<u64>, express: bool) -> Option<i64> {
    let timeout =
        timeout_seconds.map(|s| i64::try_from(s).unwrap_or(i64::MAX).saturating_mul(1000));
    let limit = if express {
        Some(timeout.map_or(EXPRESS_MAX_MS, |t| t.min(EXPRESS_MAX_MS)))
    } else {
        timeout
    };
    limit.map(|l| start_ms.saturating_add(l))
}

/// Wall-clock time in ms since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::deadline;

    #[test]
    fn express_executions_last_at_most_five_minutes() {
        assert_eq!(deadline(1_000, None, false), None);
        assert_eq!(deadline(1_000, Some(10), false), Some(11_000));
        assert_eq!(deadline(1_000, None, true), Some(301_000));
        assert_eq!(deadline(1_000, Some(10), true), Some(11_000));
        assert_eq!(deadline(1_000, Some(3_600), true), Some(301_000));
    }
}
