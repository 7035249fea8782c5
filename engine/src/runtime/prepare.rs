//! Turning options and an input into an [`Execution`], and a finished
//! execution into an [`Outcome`]: shared by every scheduler.

use super::types::{MachineType, Outcome, RunOptions, Status};
use super::MachineCore;
use crate::json::{Doc, Val};
use crate::vm::{End, ExecInfo, Execution, MachineInfo};
use std::sync::Arc;

/// Region in generated ARNs.
const REGION: &str = "us-east-1";
/// Account id in generated ARNs (the one AWS's recorded corpus shows).
const ACCOUNT: &str = "111111111111";

/// Names and ARNs for executions run with `opts`.
pub fn machine_info(opts: &RunOptions) -> Arc<MachineInfo> {
    let sm = opts.state_machine_name.as_deref().unwrap_or("StateMachine");
    let express = opts.machine_type != MachineType::Standard;
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

/// A new execution with id `id`; `opts.seed` seeds it, `opts.start_time_ms` starts its clock.
pub fn execution(
    core: &MachineCore,
    id: u64,
    info: &Arc<MachineInfo>,
    doc: Doc,
    input: Val,
    opts: &RunOptions,
) -> Execution {
    let name = opts.execution_name.as_deref().map(Into::into);
    let info = ExecInfo {
        machine: Arc::clone(info),
        name,
        seed: opts.seed,
        start_ms: opts.start_time_ms.unwrap_or_else(now_ms),
        input: None,
    };
    Execution::new(id, &core.program, info, doc, input, opts.seed)
}

/// The outcome of a finished execution (a still-running one reads as failed);
/// `wall_us` is what the caller measured.
pub fn outcome(exec: &Execution, wall_us: u64) -> Outcome {
    let c = exec.counters();
    let (transitions, events) = (c.transitions, c.events);
    let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let (status, output, error, cause) = match exec.end() {
        Some(End::Succeeded(out)) => (Status::Succeeded, Some(out.clone()), None, None),
        Some(End::Failed(f)) => (Status::Failed, None, nonempty(&f.error), nonempty(&f.cause)),
        Some(End::TimedOut) => (Status::TimedOut, None, None, None),
        None => (
            Status::Failed,
            None,
            Some("States.Runtime".to_owned()),
            Some("the execution stopped with nothing left to run".to_owned()),
        ),
    };
    let duration_ms = if exec.end().is_some() {
        exec.ended_ms() - exec.info().start_ms
    } else {
        0
    };
    Outcome {
        status,
        output,
        error,
        cause,
        transitions,
        events,
        duration_ms,
        wall_us,
    }
}

/// Wall-clock time in ms since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
