//! Choice rules. JSONPath: `And` / `Or` (non-empty arrays), `Not` (an
//! object), or `Variable` with exactly one comparison operator whose operand
//! has the operator's type; only top-level rules carry `Next` (and `Assign`).
//! JSONata: `Condition` (a boolean or `{% %}`), `Next`, `Assign`, `Output`.

use serde_json::Value;

use super::model::{Choice, ChoiceRule, Comparison, Operand, QueryLanguage, Rule};
use super::reader::{is_jsonata, type_name, Ctx, Obj};
use super::shared::{assign, query, query_field};
use super::{fields, paths, pointer};
use crate::time::parse_rfc3339;

/// The operand type an operator takes.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    Str,
    Num,
    Bool,
    Time,
    /// `Is*`: a boolean, and no `…Path` form.
    Is,
}

const OPS: &[(&str, Comparison, Want)] = &[
    ("StringEquals", Comparison::StringEquals, Want::Str),
    ("StringLessThan", Comparison::StringLessThan, Want::Str),
    (
        "StringGreaterThan",
        Comparison::StringGreaterThan,
        Want::Str,
    ),
    (
        "StringLessThanEquals",
        Comparison::StringLessThanEquals,
        Want::Str,
    ),
    (
        "StringGreaterThanEquals",
        Comparison::StringGreaterThanEquals,
        Want::Str,
    ),
    ("StringMatches", Comparison::StringMatches, Want::Str),
    ("NumericEquals", Comparison::NumericEquals, Want::Num),
    ("NumericLessThan", Comparison::NumericLessThan, Want::Num),
    (
        "NumericGreaterThan",
        Comparison::NumericGreaterThan,
        Want::Num,
    ),
    (
        "NumericLessThanEquals",
        Comparison::NumericLessThanEquals,
        Want::Num,
    ),
    (
        "NumericGreaterThanEquals",
        Comparison::NumericGreaterThanEquals,
        Want::Num,
    ),
    ("BooleanEquals", Comparison::BooleanEquals, Want::Bool),
    ("TimestampEquals", Comparison::TimestampEquals, Want::Time),
    (
        "TimestampLessThan",
        Comparison::TimestampLessThan,
        Want::Time,
    ),
    (
        "TimestampGreaterThan",
        Comparison::TimestampGreaterThan,
        Want::Time,
    ),
    (
        "TimestampLessThanEquals",
        Comparison::TimestampLessThanEquals,
        Want::Time,
    ),
    (
        "TimestampGreaterThanEquals",
        Comparison::TimestampGreaterThanEquals,
        Want::Time,
    ),
    ("IsNull", Comparison::IsNull, Want::Is),
    ("IsPresent", Comparison::IsPresent, Want::Is),
    ("IsNumeric", Comparison::IsNumeric, Want::Is),
    ("IsString", Comparison::IsString, Want::Is),
    ("IsBoolean", Comparison::IsBoolean, Want::Is),
    ("IsTimestamp", Comparison::IsTimestamp, Want::Is),
];

/// The operator a field name stands for, and whether it is the `…Path` form.
fn operator(key: &str) -> Option<(Comparison, Want, bool)> {
    if let Some(&(_, c, w)) = OPS.iter().find(|(n, _, _)| *n == key) {
        return Some((c, w, false));
    }
    let base = key.strip_suffix("Path")?;
    OPS.iter()
        .find(|(n, _, w)| *n == base && *w != Want::Is && *n != "StringMatches")
        .map(|&(_, c, w)| (c, w, true))
}

/// Parses the Choice-specific fields of `obj`.
pub(crate) fn choice(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Choice {
    obj.require(cx, &["Choices"]);
    let default = obj.string(cx, "Default").map(str::to_owned);
    let mut choices = Vec::new();
    if let Some(items) = obj.array(cx, "Choices") {
        let list_ptr = obj.at("Choices");
        if items.is_empty() {
            cx.schema(&list_ptr, "Value cannot be empty");
        }
        for (i, v) in items.iter().enumerate() {
            let ptr = pointer::index(&list_ptr, i);
            if let Some(r) = top_rule(cx, v, &ptr, lang) {
                choices.push(r);
            }
        }
    }
    Choice { choices, default }
}

fn top_rule(cx: &mut Ctx, v: &Value, ptr: &str, lang: QueryLanguage) -> Option<ChoiceRule> {
    let o = Obj::of(cx, v, ptr)?;
    o.require(cx, &["Next"]);
    let next = o.string(cx, "Next").unwrap_or_default().to_owned();
    let rule = match lang {
        QueryLanguage::Jsonata => {
            fields::check(
                cx,
                o,
                &["Condition", "Next", "Assign", "Output", "Comment"],
                lang,
            );
            o.require(cx, &["Condition"]);
            match o.get("Condition") {
                Some(c @ Value::Bool(_)) => {
                    query(cx, &o.at("Condition"), "Condition", c).map(Rule::Condition)
                }
                Some(c @ Value::String(s)) if is_jsonata(s) => {
                    query(cx, &o.at("Condition"), "Condition", c).map(Rule::Condition)
                }
                Some(_) => {
                    cx.schema(
                        &o.at("Condition"),
                        "The field 'Condition' must be a boolean or a JSONata expression",
                    );
                    None
                }
                None => None,
            }
        }
        QueryLanguage::JsonPath => rule(cx, o, true),
    };
    Some(ChoiceRule {
        rule: rule?,
        next,
        assign: assign(cx, o, "Assign", lang),
        output: match lang {
            QueryLanguage::Jsonata => query_field(cx, o, "Output"),
            QueryLanguage::JsonPath => None,
        },
    })
}

/// A JSONPath rule; `top` says whether it is a top-level rule (which has `Next`).
fn rule(cx: &mut Ctx, o: Obj<'_>, top: bool) -> Option<Rule> {
    let mut ops = Vec::new();
    for key in o.map.keys() {
        let k = key.as_str();
        if let Some(op) = operator(k) {
            ops.push((k, op));
        } else if !(matches!(k, "And" | "Or" | "Not" | "Variable" | "Comment")
            || top && matches!(k, "Next" | "Assign"))
        {
            let msg = if k == "Condition" || k == "Output" {
                format!("The QueryLanguage is set to 'JSONPath', but field '{k}' is only supported for the 'JSONata' QueryLanguage")
            } else {
                format!("Field '{k}' is not supported")
            };
            cx.schema(&o.at(k), msg);
        }
    }
    let kinds = ["And", "Or", "Not", "Variable"]
        .iter()
        .filter(|k| o.has(k))
        .count();
    if kinds == 0 && ops.is_empty() {
        cx.schema(
            o.ptr,
            "A Choice rule must have 'And', 'Or', 'Not', or 'Variable' with a comparison operator",
        );
        return None;
    }
    if kinds > 1 {
        o.exclusive(cx, &["And", "Or", "Not", "Variable"]);
        return None;
    }
    if let Some(list) = ["And", "Or"].into_iter().find(|k| o.has(k)) {
        if !ops.is_empty() {
            cx.schema(
                o.ptr,
                format!("A rule with '{list}' has no comparison operator"),
            );
        }
        let items = o.array(cx, list)?;
        let list_ptr = o.at(list);
        if items.is_empty() {
            cx.schema(&list_ptr, "Value cannot be empty");
        }
        let mut rules = Vec::new();
        for (i, v) in items.iter().enumerate() {
            let ptr = pointer::index(&list_ptr, i);
            if let Some(r) = Obj::of(cx, v, &ptr).and_then(|n| rule(cx, n, false)) {
                rules.push(r);
            }
        }
        return Some(if list == "And" {
            Rule::And(rules)
        } else {
            Rule::Or(rules)
        });
    }
    if o.has("Not") {
        let ptr = o.at("Not");
        let inner = o.object(cx, "Not", &ptr).and_then(|n| rule(cx, n, false));
        return inner.map(|r| Rule::Not(Box::new(r)));
    }
    compare(cx, o, &ops)
}

/// `Variable` and its single comparison operator.
fn compare(cx: &mut Ctx, o: Obj<'_>, ops: &[(&str, (Comparison, Want, bool))]) -> Option<Rule> {
    o.require(cx, &["Variable"]);
    let variable = o
        .string(cx, "Variable")
        .map(|v| paths::path(cx, &o.at("Variable"), "Variable", v));
    let &[(key, (op, want, is_path))] = ops else {
        cx.schema(
            o.ptr,
            if ops.is_empty() {
                "A Choice rule with 'Variable' must have a comparison operator".to_owned()
            } else {
                let names: Vec<&str> = ops.iter().map(|(k, _)| *k).collect();
                format!(
                    "There should only be one of the following fields: [{}]",
                    names.join(", ")
                )
            },
        );
        return None;
    };
    let ptr = o.at(key);
    let v = o.get(key)?;
    let mut operand_path = None;
    let ok = match (is_path, want, v) {
        (true, _, Value::String(s)) => {
            operand_path = paths::path(cx, &ptr, key, s);
            operand_path.is_some()
        }
        (false, Want::Str, Value::String(_)) => true,
        (false, Want::Num, Value::Number(_)) => true,
        (false, Want::Bool | Want::Is, Value::Bool(_)) => true,
        (false, Want::Time, Value::String(s)) => {
            let ok = parse_rfc3339(s).is_some();
            if !ok {
                cx.schema(&ptr, "String does not match RFC3339 timestamp");
            }
            ok
        }
        _ => {
            let expected = match (is_path, want) {
                (true, _) | (_, Want::Str | Want::Time) => "a string",
                (_, Want::Num) => "a number",
                (_, Want::Bool | Want::Is) => "a boolean",
            };
            cx.schema(
                &ptr,
                format!("Expected {expected} but found {}", type_name(v)),
            );
            false
        }
    };
    let operand = match operand_path {
        Some(p) => Operand::Path(p),
        None => Operand::Value(v.clone()),
    };
    match variable {
        Some(Some(variable)) if ok => Some(Rule::Compare {
            variable,
            op,
            operand,
        }),
        _ => None,
    }
}
