//! Evaluation of one Choice comparison. Mismatched types give `false`, not
//! an error; a path that selects nothing is an error (AWS's `States.Runtime`),
//! except for `IsPresent`.

use crate::bytecode::{CmpOp, PathId, Program, TestInfo, TestOperand};
use crate::error::Failure;
use crate::json::{Doc, Ref, Val};
use crate::time::parse_rfc3339;
use std::cmp::Ordering;

/// Whether the test holds for `input` (and `ctx` for `$$` paths).
///
/// # Errors
/// AWS's `States.Runtime` ("Invalid path '$.x': The choice state's condition
/// path references an invalid value.") when the `Variable` or a `…Path`
/// operand selects nothing.
pub(crate) fn eval(
    p: &Program,
    t: &TestInfo,
    doc: &mut Doc,
    input: Val,
    ctx: Val,
    vars: Val,
) -> Result<bool, Failure> {
    let var = p.paths[t.variable.idx()].select_with(doc, input, ctx, vars);
    if t.op == CmpOp::IsPresent {
        return Ok(var.is_some() == matches!(t.operand, TestOperand::Bool(true)));
    }
    let Some(var) = var else {
        return Err(invalid_path(p, t.variable));
    };
    let rhs = match &t.operand {
        TestOperand::Bool(b) => return Ok(type_test(t.op, doc, var) == *b),
        TestOperand::Pattern(parts) => {
            return Ok(doc.as_str(var).is_some_and(|s| matches_pattern(s, parts)))
        }
        TestOperand::Timestamp(ns) => {
            return Ok(ts_cmp(
                t.op,
                doc.as_str(var).and_then(parse_rfc3339),
                Some(*ns),
            ))
        }
        TestOperand::Const(c) => doc.copy_from(&p.const_doc, p.consts[c.idx()]),
        TestOperand::Path(x) => match p.paths[x.idx()].select_with(doc, input, ctx, vars) {
            Some(v) => v,
            None => return Err(invalid_path(p, *x)),
        },
    };
    Ok(compare(t.op, doc, var, rhs))
}

/// AWS's cause for a Choice path that selects nothing.
#[cold]
fn invalid_path(p: &Program, path: PathId) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{}': The choice state's condition path references an invalid value.",
        p.paths[path.idx()].source()
    ))
}

fn compare(op: CmpOp, doc: &Doc, var: Val, rhs: Val) -> bool {
    match op {
        CmpOp::StrEq | CmpOp::StrLt | CmpOp::StrGt | CmpOp::StrLe | CmpOp::StrGe => {
            match (doc.get(var), doc.get(rhs)) {
                (Ref::Str(a), Ref::Str(b)) => ord_holds(op, a.cmp(b)),
                _ => false,
            }
        }
        CmpOp::NumEq | CmpOp::NumLt | CmpOp::NumGt | CmpOp::NumLe | CmpOp::NumGe => {
            match (doc.get(var), doc.get(rhs)) {
                (Ref::Int(a), Ref::Int(b)) => ord_holds(op, a.cmp(&b)),
                _ => match (doc.as_f64(var), doc.as_f64(rhs)) {
                    (Some(a), Some(b)) => a.partial_cmp(&b).is_some_and(|o| ord_holds(op, o)),
                    _ => false,
                },
            }
        }
        CmpOp::BoolEq => {
            matches!((doc.as_bool(var), doc.as_bool(rhs)), (Some(a), Some(b)) if a == b)
        }
        CmpOp::TsEq | CmpOp::TsLt | CmpOp::TsGt | CmpOp::TsLe | CmpOp::TsGe => ts_cmp(
            op,
            doc.as_str(var).and_then(parse_rfc3339),
            doc.as_str(rhs).and_then(parse_rfc3339),
        ),
        CmpOp::StrMatches => false,
        CmpOp::IsNull
        | CmpOp::IsPresent
        | CmpOp::IsNumeric
        | CmpOp::IsString
        | CmpOp::IsBoolean
        | CmpOp::IsTimestamp => false,
    }
}

fn ts_cmp(op: CmpOp, a: Option<i128>, b: Option<i128>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => ord_holds(op, a.cmp(&b)),
        _ => false,
    }
}

fn ord_holds(op: CmpOp, o: Ordering) -> bool {
    use CmpOp::*;
    match op {
        StrEq | NumEq | TsEq => o == Ordering::Equal,
        StrLt | NumLt | TsLt => o == Ordering::Less,
        StrGt | NumGt | TsGt => o == Ordering::Greater,
        StrLe | NumLe | TsLe => o != Ordering::Greater,
        StrGe | NumGe | TsGe => o != Ordering::Less,
        _ => false,
    }
}

fn type_test(op: CmpOp, doc: &Doc, v: Val) -> bool {
    match op {
        CmpOp::IsNull => matches!(doc.get(v), Ref::Null),
        CmpOp::IsNumeric => matches!(doc.get(v), Ref::Int(_) | Ref::Float(_)),
        CmpOp::IsString => matches!(doc.get(v), Ref::Str(_)),
        CmpOp::IsBoolean => matches!(doc.get(v), Ref::Bool(_)),
        CmpOp::IsTimestamp => doc.as_str(v).and_then(parse_rfc3339).is_some(),
        _ => false,
    }
}

/// Glob match where the parts were split on `*`: `a*b*c`.
pub(crate) fn matches_pattern(s: &str, parts: &[Box<str>]) -> bool {
    let (first, rest) = match parts.split_first() {
        Some(x) => x,
        None => return s.is_empty(),
    };
    let Some(mut s) = s.strip_prefix(&**first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return s.is_empty();
    };
    for part in middle {
        match s.find(&**part) {
            Some(i) => s = &s[i + part.len()..],
            None => return false,
        }
    }
    s.len() >= last.len() && s.ends_with(&**last)
}

#[cfg(test)]
mod tests {
    use super::matches_pattern;

    fn parts(v: &[&str]) -> Vec<Box<str>> {
        v.iter().map(|s| (*s).into()).collect()
    }

    #[test]
    fn globs() {
        assert!(matches_pattern("log-1.txt", &parts(&["log-", ".txt"])));
        assert!(!matches_pattern("log-1.txt2", &parts(&["log-", ".txt"])));
        assert!(matches_pattern("abc", &parts(&["abc"])));
        assert!(!matches_pattern("abcd", &parts(&["abc"])));
        assert!(matches_pattern("anything", &parts(&["", ""])));
        assert!(matches_pattern("aXbYc", &parts(&["a", "b", "c"])));
        assert!(!matches_pattern("ab", &parts(&["ab", "b"])));
    }
}
