//! Choice rules → `Test` ops that jump on true or false. `And`, `Or` and
//! `Not` become control flow (short-circuit), not a tree walked at run time.

use super::builder::{Builder, Label};
use super::io::{assign, output};
use super::labels::StateLabels;
use crate::asl::codes::SCHEMA_VALIDATION_FAILED;
use crate::asl::{Choice, ChoiceRule, Comparison, Diagnostic, Operand, QueryLanguage, Rule, State};
use crate::bytecode::*;
use crate::time::parse_rfc3339;

pub(super) fn lower(b: &mut Builder, s: &State, c: &Choice, labels: &StateLabels<'_>) {
    let p = &s.pointer;
    // One exit stub per rule (Assign, OutputPath / Output, then jump), placed after the tests.
    let mut exits = Vec::new();
    for (i, rule) in c.choices.iter().enumerate() {
        let then = b.label();
        let otherwise = b.label();
        lower_rule(b, &rule.rule, then, otherwise, &format!("{p}/Choices/{i}"));
        b.bind(otherwise);
        exits.push((then, rule, i));
    }
    match &c.default {
        Some(d) => exit(b, s, None, d, labels),
        None => {
            b.emit(Op::NoChoiceMatched);
        }
    }
    for (then, rule, i) in exits {
        b.bind(then);
        exit(b, s, Some((rule, i)), &rule.next, labels);
    }
}

/// Leaving the Choice by a rule (or the `Default`): the state's `Assign`,
/// then the rule's (both against the values the state entered with), the
/// rule's `Output` (else the state's), then the jump.
fn exit(
    b: &mut Builder,
    s: &State,
    rule: Option<(&ChoiceRule, usize)>,
    next: &str,
    labels: &StateLabels<'_>,
) {
    let rule_assign = rule.and_then(|(r, i)| r.assign.as_ref().map(|a| (a, i)));
    let assigns = s.assign.is_some() || rule_assign.is_some();
    if assigns && s.query_language == QueryLanguage::JsonPath {
        b.emit(Op::ResultIsInput);
    }
    assign(b, s, 0);
    if let Some((a, i)) = rule_assign {
        let id = b.assign(a, &format!("{}/Choices/{i}/Assign", s.pointer), 0);
        b.emit(Op::Assign(id));
    }
    match rule.and_then(|(r, _)| r.output.as_ref()) {
        Some(o) => {
            let q = b.query_of(o, 0);
            b.emit(Op::Output(q));
        }
        None => output(b, s, 0),
    }
    if assigns {
        b.emit(Op::CommitVars);
    }
    let l = labels.target(b, next);
    b.emit_jump(l);
}

fn lower_rule(b: &mut Builder, r: &Rule, then: Label, otherwise: Label, at: &str) {
    match r {
        Rule::Not(inner) => lower_rule(b, inner, otherwise, then, &format!("{at}/Not")),
        Rule::And(rs) | Rule::Or(rs) => {
            let and = matches!(r, Rule::And(_));
            let name = if and { "And" } else { "Or" };
            for (i, sub) in rs.iter().enumerate() {
                let loc = format!("{at}/{name}/{i}");
                if i + 1 == rs.len() {
                    lower_rule(b, sub, then, otherwise, &loc);
                } else {
                    let next = b.label();
                    if and {
                        lower_rule(b, sub, next, otherwise, &loc);
                    } else {
                        lower_rule(b, sub, then, next, &loc);
                    }
                    b.bind(next);
                }
            }
            if rs.is_empty() {
                // Validation rejects empty And/Or; be total anyway.
                b.emit_jump(if and { then } else { otherwise });
            }
        }
        Rule::Compare {
            variable,
            op,
            operand,
        } => {
            let variable = b.path(variable, false);
            let cmp = cmp_op(*op);
            let operand = match operand {
                Operand::Path(x) => TestOperand::Path(b.path(x, false)),
                Operand::Value(v) => match cmp {
                    CmpOp::IsNull
                    | CmpOp::IsPresent
                    | CmpOp::IsNumeric
                    | CmpOp::IsString
                    | CmpOp::IsBoolean
                    | CmpOp::IsTimestamp => TestOperand::Bool(v.as_bool().unwrap_or(false)),
                    CmpOp::TsEq | CmpOp::TsLt | CmpOp::TsGt | CmpOp::TsLe | CmpOp::TsGe => {
                        match v.as_str().and_then(parse_rfc3339) {
                            Some(ns) => TestOperand::Timestamp(ns),
                            None => {
                                b.diags.push(Diagnostic::error(
                                    SCHEMA_VALIDATION_FAILED,
                                    at,
                                    "String does not match RFC3339 timestamp",
                                ));
                                TestOperand::Bool(false)
                            }
                        }
                    }
                    CmpOp::StrMatches => {
                        TestOperand::Pattern(split_pattern(v.as_str().unwrap_or("")))
                    }
                    _ => TestOperand::Const(b.constant(v)),
                },
            };
            b.tests.push(TestInfo {
                variable,
                op: cmp,
                operand,
            });
            b.emit_test(TestId(b.tests.len() as u32 - 1), then, otherwise);
        }
        Rule::Condition(q) => {
            let q = b.query_of(q, 0);
            b.emit_condition(q, then, otherwise);
        }
    }
}

fn cmp_op(c: Comparison) -> CmpOp {
    use Comparison as C;
    match c {
        C::StringEquals => CmpOp::StrEq,
        C::StringLessThan => CmpOp::StrLt,
        C::StringGreaterThan => CmpOp::StrGt,
        C::StringLessThanEquals => CmpOp::StrLe,
        C::StringGreaterThanEquals => CmpOp::StrGe,
        C::StringMatches => CmpOp::StrMatches,
        C::NumericEquals => CmpOp::NumEq,
        C::NumericLessThan => CmpOp::NumLt,
        C::NumericGreaterThan => CmpOp::NumGt,
        C::NumericLessThanEquals => CmpOp::NumLe,
        C::NumericGreaterThanEquals => CmpOp::NumGe,
        C::BooleanEquals => CmpOp::BoolEq,
        C::TimestampEquals => CmpOp::TsEq,
        C::TimestampLessThan => CmpOp::TsLt,
        C::TimestampGreaterThan => CmpOp::TsGt,
        C::TimestampLessThanEquals => CmpOp::TsLe,
        C::TimestampGreaterThanEquals => CmpOp::TsGe,
        C::IsNull => CmpOp::IsNull,
        C::IsPresent => CmpOp::IsPresent,
        C::IsNumeric => CmpOp::IsNumeric,
        C::IsString => CmpOp::IsString,
        C::IsBoolean => CmpOp::IsBoolean,
        C::IsTimestamp => CmpOp::IsTimestamp,
    }
}

/// Splits a `StringMatches` pattern on unescaped `*`; `\*` is a literal star
/// and `\\` a literal backslash.
pub(crate) fn split_pattern(p: &str) -> Vec<Box<str>> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => cur.push(n),
                None => cur.push('\\'),
            },
            '*' => parts.push(std::mem::take(&mut cur).into_boxed_str()),
            c => cur.push(c),
        }
    }
    parts.push(cur.into_boxed_str());
    parts
}

#[cfg(test)]
mod tests {
    use super::split_pattern;

    #[test]
    fn patterns() {
        let v: Vec<String> = split_pattern(r"log-*.txt")
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(v, ["log-", ".txt"]);
        let v: Vec<String> = split_pattern(r"a\*b*")
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(v, ["a*b", ""]);
    }
}
