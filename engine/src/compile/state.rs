//! One state: its side-table entry and `Enter` op, then its type's ops
//! (one file per type), the whole run bound to the state's label.

use super::builder::{Builder, Label};
use super::labels::StateLabels;
use super::queue::Lowering;
use super::{choice, context, fail, io, map, parallel, pass, task, wait};
use crate::asl::{State, StateKind};
use crate::bytecode::{BlockId, Op, OpId, StateId, StateInfo, StateType};

/// Lowers `s` (of `block`) at `label`; returns its entry (`Enter`) op.
pub(super) fn lower<'a>(
    b: &mut Builder,
    cx: &mut Lowering<'a>,
    block: BlockId,
    s: &'a State,
    label: Label,
    labels: &StateLabels<'_>,
) -> OpId {
    let sid = StateId(b.states.len() as u32);
    b.states.push(StateInfo {
        name: s.name.as_str().into(),
        pointer: s.pointer.as_str().into(),
        kind: state_type(&s.kind),
        block,
        entry: OpId(u32::MAX),
        retry_point: OpId(u32::MAX),
        retry_keeps_input: false,
        retriers: Vec::new(),
        catchers: Vec::new(),
        context: context::state_needs(s),
    });
    b.current = sid;
    b.bind(label);
    let entry = b.pc();
    b.emit(Op::Enter(sid));
    b.states[sid.idx()].entry = entry;
    b.states[sid.idx()].retry_point = b.pc();
    match &s.kind {
        StateKind::Pass(x) => pass::lower(b, s, x, labels),
        StateKind::Task(x) => task::lower(b, cx, sid, s, x, labels),
        StateKind::Parallel(x) => parallel::lower(b, cx, sid, s, x, labels),
        StateKind::Map(x) => map::lower(b, cx, sid, s, x, labels),
        StateKind::Wait(x) => wait::lower(b, s, x, labels),
        StateKind::Succeed => {
            io::input_path(b, s);
            io::output(b, s, 0);
            b.emit(Op::End);
        }
        StateKind::Fail(x) => fail::lower(b, x),
        StateKind::Choice(x) => {
            io::input_path(b, s);
            choice::lower(b, s, x, labels);
        }
    }
    entry
}

fn state_type(k: &StateKind) -> StateType {
    match k {
        StateKind::Pass(_) => StateType::Pass,
        StateKind::Task(_) => StateType::Task,
        StateKind::Choice(_) => StateType::Choice,
        StateKind::Wait(_) => StateType::Wait,
        StateKind::Succeed => StateType::Succeed,
        StateKind::Fail(_) => StateType::Fail,
        StateKind::Parallel(_) => StateType::Parallel,
        StateKind::Map(_) => StateType::Map,
    }
}
