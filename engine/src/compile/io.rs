//! The I/O shapers around a state's work, in AWS's order: `InputPath`,
//! `Parameters`, (the work), `ResultSelector`, `Assign`, `ResultPath`,
//! `OutputPath`, then the transition (JSONPath); `Arguments`, (the work),
//! `Assign`, `Output`, then the transition (JSONata). `"$"` needs no op;
//! `null` has its own. New variables take effect (`CommitVars`) just before
//! the transition, so `OutputPath` / `Output` read the values the state
//! entered with.

use super::builder::Builder;
use super::labels::StateLabels;
use crate::asl::{Payload, QueryLanguage, State, Transition};
use crate::bytecode::{sees, Op, PathId, ResultTarget};
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
    let Some(t) = t else { return };
    if let Some(q) = &t.query {
        let q = b.query(q, 0);
        b.emit(Op::Arguments(q));
        return;
    }
    let t = b.template(t, &format!("{}/Parameters", s.pointer));
    b.emit(Op::Parameters(t));
}

/// The state's `Assign`, if any (JSONPath: against the result; JSONata:
/// with `$states`, `sees` saying what it holds).
pub(super) fn assign(b: &mut Builder, s: &State, sees: u8) {
    if let Some(a) = &s.assign {
        let id = b.assign(a, &format!("{}/Assign", s.pointer), sees);
        b.emit(Op::Assign(id));
    }
}

/// `OutputPath` (JSONPath) or `Output` (JSONata).
pub(super) fn output(b: &mut Builder, s: &State, sees: u8) {
    match s.query_language {
        QueryLanguage::JsonPath => output_path(b, s),
        QueryLanguage::Jsonata => {
            if let Some(o) = &s.output {
                let q = b.query_of(o, sees);
                b.emit(Op::Output(q));
            }
        }
    }
}

/// `CommitVars` where the state assigns, then the jump to `Next` (or the end).
pub(super) fn commit_and_next(b: &mut Builder, s: &State, labels: &StateLabels<'_>) {
    if s.assign.is_some() {
        b.emit(Op::CommitVars);
    }
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

/// What follows a Task, Parallel or Map: `ResultSelector`, `Assign`,
/// `ResultPath`, `OutputPath` (JSONPath) or the result as output, `Assign`,
/// `Output` (JSONata); then the transition.
pub(super) fn after_result(
    b: &mut Builder,
    s: &State,
    selector: Option<&Payload>,
    rp: Option<&Path>,
    labels: &StateLabels<'_>,
) {
    if s.query_language == QueryLanguage::Jsonata {
        b.emit(Op::ResultRoot);
        assign(b, s, sees::RESULT);
        output(b, s, sees::RESULT);
        commit_and_next(b, s, labels);
        return;
    }
    if let Some(t) = selector {
        let t = b.template(t, &format!("{}/ResultSelector", s.pointer));
        b.emit(Op::ResultSelector(t));
    }
    assign(b, s, 0);
    result_path(b, rp);
    output_path(b, s);
    commit_and_next(b, s, labels);
}

/// What follows a state whose result is its input (Wait): `Assign`, then
/// `OutputPath` / `Output`, then the transition.
pub(super) fn after_input(b: &mut Builder, s: &State, labels: &StateLabels<'_>) {
    if s.assign.is_some() && s.query_language == QueryLanguage::JsonPath {
        b.emit(Op::ResultIsInput);
    }
    assign(b, s, 0);
    output(b, s, 0);
    commit_and_next(b, s, labels);
}
