//! Parallel: each branch a block of its own (lowered later), one
//! `Parallel` op that runs them as child fibers, then the result shapers.

use super::builder::Builder;
use super::labels::StateLabels;
use super::queue::Lowering;
use super::{io, retry};
use crate::asl::{Parallel, State};
use crate::bytecode::{Op, ParallelId, ParallelInfo, StateId};

pub(super) fn lower<'a>(
    b: &mut Builder,
    cx: &mut Lowering<'a>,
    sid: StateId,
    s: &State,
    par: &'a Parallel,
    labels: &StateLabels<'_>,
) {
    io::input_path(b, s);
    io::parameters(b, s, par.parameters.as_ref());
    let branches = par.branches.iter().map(|br| cx.nested(b, br)).collect();
    b.parallels.push(ParallelInfo { branches });
    b.emit(Op::Parallel(ParallelId(b.parallels.len() as u32 - 1)));
    io::after_result(
        b,
        s,
        par.result_selector.as_ref(),
        par.result_path.as_ref(),
        labels,
    );
    retry::attach(b, sid, &par.retry, &par.catch, labels);
}
