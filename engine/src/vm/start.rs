//! Starting an execution: options in ([`RunOptions`]), names and ARNs for the
//! context object ([`MachineInfo`]), the clock, and a new [`Execution`].

use super::core::MachineCore;
use super::exec::Execution;
use super::input::{load, Input, InputError};
use super::{ExecInfo, MachineInfo};
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
}

/// Names and ARNs for executions run with `opts`.
pub(crate) fn machine_info(opts: &RunOptions) -> Arc<MachineInfo> {
    let sm = opts.state_machine_name.as_deref().unwrap_or("StateMachine");
    let express = opts.machine_type.is_express();
    let kind = if express { "express" } else { "execution" };
    Arc::new(MachineInfo {
        name: sm.into(),
        arn: format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{sm}").into(),
        execution_arn_prefix: format!("arn:aws:states:{REGION}:{ACCOUNT}:{kind}:{sm}:").into(),
        role_arn: format!("arn:aws:iam::{ACCOUNT}:role/StepFunctionsRole").into(),
        express,
        redrivable: opts.machine_type != MachineType::ExpressSync,
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
        input: None,
    };
    Ok(Execution::new(id, &core.program, info, doc, root, opts.seed))
}

/// Wall-clock time in ms since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
