//! A Distributed Map child's own execution facts: AWS runs it as an
//! execution of the state machine `MACHINE/LABEL` (the Map's `Label`, else
//! its state name), so its `$$.Execution` (`Id`, `Name`, `Input`,
//! `StartTime`) and `$$.StateMachine` are its own, not the parent's.

use super::fiber::Fiber;
use super::{ExecInfo, MachineInfo};
use crate::bytecode::{MapInfo, Program};
use std::sync::Arc;

/// The machine a Map Run's children belong to.
pub(crate) fn child_machine(parent: &MachineInfo, label: &str, express: bool) -> Arc<MachineInfo> {
    let arn = format!("{}/{label}", parent.arn);
    let kind = if express { ":express:" } else { ":execution:" };
    Arc::new(MachineInfo {
        name: format!("{}/{label}", parent.name).into(),
        execution_arn_prefix: format!("{}:", arn.replacen(":stateMachine:", kind, 1)).into(),
        arn: arn.into(),
        role_arn: parent.role_arn.clone(),
        express,
        redrivable: parent.redrivable && !express,
        execution_arn: None,
    })
}

/// A child execution of `machine`, named from `seed`, started at `now_ms`.
pub(crate) fn child_info(
    parent: &ExecInfo,
    machine: &Arc<MachineInfo>,
    seed: u64,
    now_ms: i64,
) -> Box<ExecInfo> {
    Box::new(ExecInfo {
        machine: Arc::clone(machine),
        name: None,
        seed,
        start_ms: now_ms,
        limits: parent.limits,
        input: None,
    })
}

/// The execution facts of `child`, about to run as an iteration of the
/// Map `info` (in the state `state_name`): its own when it is a Distributed
/// Map's child and the program reads `$$` (its input becomes its
/// `$$.Execution.Input`); `None` otherwise.
pub(crate) fn adopt(
    child: &mut Fiber,
    parent: &ExecInfo,
    prog: &Program,
    info: &MapInfo,
    state_name: &str,
    now_ms: i64,
) -> Option<Box<ExecInfo>> {
    if !(prog.uses_context && info.distributed) {
        return None;
    }
    let label = info.label.as_deref().unwrap_or(state_name);
    let machine = child_machine(&parent.machine, label, info.express_children);
    let seed = child.rng ^ 0xC41D;
    child.exec_input = Some(child.raw);
    Some(child_info(parent, &machine, seed, now_ms))
}
