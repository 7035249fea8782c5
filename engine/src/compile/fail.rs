//! Fail: `Error` and `Cause`, literal or from a path or an intrinsic call.

use super::builder::Builder;
use crate::asl::{Fail, FailField};
use crate::bytecode::{FailId, FailInfo, FailSource, Op};

pub(super) fn lower(b: &mut Builder, f: &Fail) {
    let error = source(b, f.error.as_ref());
    let cause = source(b, f.cause.as_ref());
    b.fails.push(FailInfo { error, cause });
    b.emit(Op::Fail(FailId(b.fails.len() as u32 - 1)));
}

fn source(b: &mut Builder, f: Option<&FailField>) -> Option<FailSource> {
    match f? {
        FailField::Literal(s) => Some(FailSource::Literal(s.as_str().into())),
        FailField::Path(e) => Some(FailSource::Expr(Box::new(e.clone()))),
        FailField::Query(q) => Some(FailSource::Query(b.query_of(q, 0))),
    }
}
