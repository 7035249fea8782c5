//! The I/O shapers around a state's work, in AWS's order: `InputPath`,
//! `Parameters`, (the work), `ResultSelector`, `ResultPath`, `OutputPath`,
//! then the transition. `"$"` needs no op; `null` has its own.

use super::builder::Builder;
use super::labels::StateLabels;
use crate::asl::{Payload, State, Transition};
use crate::bytecode::{Op, PathId, ResultTarget};
use crate::path::Path;

/// Whether `p` is the identity `$` (written so, or the default).
fn is_identity(p: &Path) -> bool {
    p.source() == "$"
}

pub(super) fn input_path(b: &mut Builder, s: &State) {
    select(b, s.input_path.as_ref(), Op::InputNull, Op::InputPath);
}

/// `Parameters` (or `Arguments`), when the state has them.
pub(super) fn parameters(b: &mut Builder, s: &State, t: Option<&Payload>) {
    if let Some(t) = t {
        let t = b.template(t, &format!("{}/Parameters", s.pointer));
        b.emit(Op::Parameters(t));
    }
}

pub(super) fn output_path(b: &mut Builder, s: &State) {
    select(b, s.output_path.as_ref(), Op::OutputNull, Op::OutputPath);
}

/// `InputPath` / `OutputPath`: `null` → `null_op`, `$` → nothing, a path → `path_op`.
fn select(b: &mut Builder, p: Option<&Path>, null_op: Op, path_op: fn(PathId) -> Op) {
    match p {
        None => {
            b.emit(null_op);
        }
        Some(x) if is_identity(x) => {}
        Some(x) => {
            let id = b.path(x, false);
            b.emit(path_op(id));
        }
    }
}

/// Where a `ResultPath` (of a state or a catcher) puts the result.
pub(super) fn result_target(b: &mut Builder, path: Option<&Path>) -> ResultTarget {
    match path {
        None => ResultTarget::Discard,
        Some(p) if is_identity(p) => ResultTarget::Root,
        Some(p) => ResultTarget::Path(b.path(p, true)),
    }
}

pub(super) fn result_path(b: &mut Builder, path: Option<&Path>) {
    let op = match result_target(b, path) {
        ResultTarget::Root => Op::ResultRoot,
        ResultTarget::Discard => Op::ResultDiscard,
        ResultTarget::Path(x) => Op::ResultPath(x),
    };
    b.emit(op);
}

/// `ResultSelector`, `ResultPath`, `OutputPath` and the transition: what
/// follows a Task, Parallel or Map.
pub(super) fn after_result(
    b: &mut Builder,
    s: &State,
    selector: Option<&Payload>,
    rp: Option<&Path>,
    labels: &StateLabels<'_>,
) {
    if let Some(t) = selector {
        let t = b.template(t, &format!("{}/ResultSelector", s.pointer));
        b.emit(Op::ResultSelector(t));
    }
    result_path(b, rp);
    output_and_next(b, s, labels);
}

/// `OutputPath`, then a jump to `Next` or the end.
pub(super) fn output_and_next(b: &mut Builder, s: &State, labels: &StateLabels<'_>) {
    output_path(b, s);
    match &s.transition {
        Transition::Next(n) => {
            let l = labels.target(b, n);
            b.emit_jump(l);
        }
        Transition::End | Transition::None => {
            b.emit(Op::End);
        }
    }
}
