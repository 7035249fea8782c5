//! The bytecode verifier: every operand indexes its table and every jump
//! lands inside the program. Run on every compile in tests and debug builds.

use super::ids::*;
use super::op::Op;
use super::program::{
    Args, AssignInfo, CatcherInfo, MapInfo, NumSource, Program, ResultTarget, TestOperand,
    Threshold,
};
use std::fmt;

/// What the verifier found wrong: always a compiler bug, never a user error
/// (the compiler reports it as `INTERNAL`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum VerifyError {
    /// The op → state side table does not have one entry per op.
    OpStateLength {
        /// Number of ops.
        ops: usize,
        /// Number of side-table entries.
        op_state: usize,
    },
    /// An operand of op `at` indexes past its table (or a jump does not land on an `Enter`).
    Operand {
        /// Index of the op.
        at: usize,
        /// The op itself.
        op: Op,
    },
    /// Op `at` belongs to no state in the side table.
    NoState {
        /// Index of the op.
        at: usize,
    },
    /// A state's entry, retry point, catcher or block is out of range.
    State {
        /// The state's name.
        name: Box<str>,
    },
    /// A block's entry is out of range.
    BlockEntry,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::OpStateLength { .. } => f.write_str("op_state length differs from ops"),
            VerifyError::Operand { at, op } => {
                write!(f, "op {at} ({op:?}) has an operand out of range")
            }
            VerifyError::NoState { at } => write!(f, "op {at} belongs to no state"),
            VerifyError::State { name } => {
                write!(f, "state {name:?} has a bad entry, retry point or catcher")
            }
            VerifyError::BlockEntry => f.write_str("block entry out of range"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Checks that every index in `p` is in range and every jump target exists.
///
/// # Errors
/// [`VerifyError`]: the first bad operand found (a compiler bug, never a user error).
pub(crate) fn verify(p: &Program) -> Result<(), VerifyError> {
    let n_ops = p.ops.len();
    let op_ok = |o: OpId| o.idx() < n_ops;
    let path_ok = |x: PathId| x.idx() < p.paths.len();
    let query_ok = |q: QueryId| q.idx() < p.queries.len();
    let num_ok = |n: &NumSource| match n {
        NumSource::Value(_) => true,
        NumSource::Path(x) => path_ok(*x),
        NumSource::Query(q) => query_ok(*q),
    };
    let assign_ok = |a: AssignId| match p.assigns.get(a.idx()) {
        Some(AssignInfo::Path(t)) => t.idx() < p.templates.len(),
        Some(AssignInfo::Query(q)) => query_ok(*q),
        None => false,
    };
    let target_ok = |t: &ResultTarget| match t {
        ResultTarget::Path(x) => path_ok(*x),
        _ => true,
    };
    if p.op_state.len() != n_ops {
        return Err(VerifyError::OpStateLength {
            ops: n_ops,
            op_state: p.op_state.len(),
        });
    }
    for (i, op) in p.ops.iter().enumerate() {
        let ok = match *op {
            Op::Enter(s) => s.idx() < p.states.len(),
            Op::InputPath(x) | Op::ResultPath(x) | Op::OutputPath(x) => path_ok(x),
            Op::Parameters(t) | Op::ResultSelector(t) => t.idx() < p.templates.len(),
            Op::ResultConst(c) => c.idx() < p.consts.len(),
            Op::Invoke(t) => p.tasks.get(t.idx()).is_some_and(|t| {
                num_ok_opt(&t.timeout, &num_ok) && num_ok_opt(&t.heartbeat, &num_ok)
            }),
            Op::Parallel(x) => p
                .parallels
                .get(x.idx())
                .is_some_and(|par| par.branches.iter().all(|b| b.idx() < p.blocks.len())),
            Op::Map(x) => p.maps.get(x.idx()).is_some_and(|m| map_ok(p, m)),
            Op::Test {
                test,
                then,
                otherwise,
            } => {
                op_ok(then)
                    && op_ok(otherwise)
                    && p.tests.get(test.idx()).is_some_and(|t| {
                        path_ok(t.variable)
                            && match &t.operand {
                                TestOperand::Const(c) => c.idx() < p.consts.len(),
                                TestOperand::Path(x) => path_ok(*x),
                                _ => true,
                            }
                    })
            }
            Op::Wait(w) => w.idx() < p.waits.len(),
            Op::Jump(t) => op_ok(t) && matches!(p.ops[t.idx()], Op::Enter(_)),
            Op::Fail(f) => f.idx() < p.fails.len(),
            Op::Arguments(q) | Op::Output(q) => query_ok(q),
            Op::Assign(a) => assign_ok(a),
            Op::Condition {
                query,
                then,
                otherwise,
            } => query_ok(query) && op_ok(then) && op_ok(otherwise),
            Op::CommitVars
            | Op::InputNull
            | Op::ResultIsInput
            | Op::ResultRoot
            | Op::ResultDiscard
            | Op::OutputNull
            | Op::NoChoiceMatched
            | Op::End => true,
        };
        if !ok {
            return Err(VerifyError::Operand { at: i, op: *op });
        }
        if p.op_state[i].idx() >= p.states.len() {
            return Err(VerifyError::NoState { at: i });
        }
    }
    for s in &p.states {
        let entry_ok = op_ok(s.entry) && matches!(p.ops[s.entry.idx()], Op::Enter(_));
        let catch_ok = s.catchers.iter().all(|c: &CatcherInfo| {
            op_ok(c.next)
                && target_ok(&c.result)
                && c.output.is_none_or(query_ok)
                && c.assign.is_none_or(assign_ok)
        });
        if !entry_ok || !op_ok(s.retry_point) || !catch_ok || s.block.idx() >= p.blocks.len() {
            return Err(VerifyError::State {
                name: s.name.clone(),
            });
        }
    }
    for b in &p.blocks {
        if !op_ok(b.entry) {
            return Err(VerifyError::BlockEntry);
        }
    }
    Ok(())
}

fn num_ok_opt(n: &Option<NumSource>, ok: &impl Fn(&NumSource) -> bool) -> bool {
    n.as_ref().is_none_or(ok)
}

fn map_ok(p: &Program, m: &MapInfo) -> bool {
    m.processor.idx() < p.blocks.len()
        && m.items_path.idx() < p.paths.len()
        && m.item_selector.is_none_or(|t| t.idx() < p.templates.len())
        && m.items.is_none_or(|q| q.idx() < p.queries.len())
        && m.item_query.is_none_or(|q| q.idx() < p.queries.len())
        && match m.max_concurrency {
            NumSource::Value(_) => true,
            NumSource::Path(x) => x.idx() < p.paths.len(),
            NumSource::Query(q) => q.idx() < p.queries.len(),
        }
        && m.reader
            .as_deref()
            .is_none_or(|r| args_ok(p, r.params) && num_ok_opt(&r.max_items, &|n| num_in(p, n)))
        && m.batcher.as_deref().is_none_or(|b| {
            num_ok_opt(&b.max_items, &|n| num_in(p, n))
                && num_ok_opt(&b.max_bytes, &|n| num_in(p, n))
                && b.batch_input.is_none_or(|a| args_ok(p, a))
        })
        && m.writer.as_deref().is_none_or(|w| args_ok(p, w.params))
        && [m.tolerated_count, m.tolerated_percentage]
            .iter()
            .flatten()
            .all(|t| match *t {
                Threshold::Value(_) => true,
                Threshold::Path(x) => x.idx() < p.paths.len(),
                Threshold::Query(q) => q.idx() < p.queries.len(),
            })
}

fn num_in(p: &Program, n: &NumSource) -> bool {
    match *n {
        NumSource::Value(_) => true,
        NumSource::Path(x) => x.idx() < p.paths.len(),
        NumSource::Query(q) => q.idx() < p.queries.len(),
    }
}

fn args_ok(p: &Program, a: Args) -> bool {
    match a {
        Args::Template(t) => t.idx() < p.templates.len(),
        Args::Query(q) => q.idx() < p.queries.len(),
    }
}
