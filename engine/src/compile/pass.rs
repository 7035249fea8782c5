//! Pass: `Parameters`, then `Result` (or the input) as the result.

use super::builder::Builder;
use super::io;
use super::labels::StateLabels;
use crate::asl::{Pass, QueryLanguage, State};
use crate::bytecode::Op;

pub(super) fn lower(b: &mut Builder, s: &State, pass: &Pass, labels: &StateLabels<'_>) {
    if s.query_language == QueryLanguage::Jsonata {
        io::after_input(b, s, labels);
        return;
    }
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
    io::assign(b, s, 0);
    io::result_path(b, pass.result_path.as_ref());
    io::output_path(b, s);
    io::commit_and_next(b, s, labels);
}
