//! Pass: `Parameters`, then `Result` (or the input) as the result.

use super::builder::Builder;
use super::io;
use super::labels::StateLabels;
use crate::asl::{Pass, State};
use crate::bytecode::Op;

pub(super) fn lower(b: &mut Builder, s: &State, pass: &Pass, labels: &StateLabels<'_>) {
    io::input_path(b, s);
    io::parameters(b, s, pass.parameters.as_ref());
    match &pass.result {
        Some(r) => {
            let c = b.constant(r);
            b.emit(Op::ResultConst(c));
        }
        None => {
            b.emit(Op::ResultIsInput);
        }
    }
    io::result_path(b, pass.result_path.as_ref());
    io::output_and_next(b, s, labels);
}
