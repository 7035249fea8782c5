//! Which parts of the context object (`$$`) a state reads, found at compile
//! time so that entering the state builds only those parts: formatting an
//! execution ARN and two timestamps for a state that reads only
//! `$$.Execution.Input` would be most of its cost.

use crate::asl::{
    Catcher, FailField, NumberOrPath, Operand, Payload, QueryLanguage, Rule, State, StateKind, Wait,
};
use crate::bytecode::ctx;
use crate::path::Path;
use serde_json::Value;

/// Which parts of `$$` state `s` reads: entering it builds just those.
pub(super) fn state_needs(s: &State) -> u16 {
    if s.query_language == QueryLanguage::Jsonata {
        return jsonata_needs(s);
    }
    let p = |x: &Option<Path>| x.as_ref().map_or(0, path_needs);
    let t = |x: &Option<Payload>| x.as_ref().map_or(0, |x| needs_of_value(&x.raw));
    let catchers = |cs: &[Catcher]| cs.iter().fold(0, |n, c| n | t(&c.assign));
    let base = p(&s.input_path) | p(&s.output_path) | t(&s.assign);
    base | match &s.kind {
        StateKind::Pass(x) => t(&x.parameters),
        StateKind::Task(x) => {
            t(&x.parameters)
                | t(&x.result_selector)
                | num_needs(x.timeout.as_ref())
                | num_needs(x.heartbeat.as_ref())
                | catchers(&x.catch)
        }
        StateKind::Parallel(x) => t(&x.parameters) | t(&x.result_selector) | catchers(&x.catch),
        StateKind::Map(x) => {
            // The ItemSelector reads `$$` (with `$$.Map`) when each item starts.
            t(&x.item_selector)
                | t(&x.result_selector)
                | path_needs(&x.items_path)
                | num_needs(x.max_concurrency.as_ref())
                | catchers(&x.catch)
        }
        StateKind::Choice(c) => c
            .choices
            .iter()
            .fold(0, |n, r| n | rule_needs(&r.rule) | t(&r.assign)),
        StateKind::Wait(w) => match w {
            Wait::SecondsPath(q) | Wait::TimestampPath(q) => path_needs(q),
            _ => 0,
        },
        StateKind::Fail(f) => [&f.error, &f.cause].iter().fold(0, |n, x| match x {
            Some(FailField::Path(q)) => n | needs_of(q.source()),
            _ => n,
        }),
        StateKind::Succeed => 0,
    }
}

fn path_needs(p: &Path) -> u16 {
    needs_of(p.source())
}

fn num_needs(n: Option<&NumberOrPath>) -> u16 {
    match n {
        Some(NumberOrPath::Path(q)) => path_needs(q),
        _ => 0,
    }
}

/// The parts of the context object a Choice rule reads.
fn rule_needs(r: &Rule) -> u16 {
    match r {
        Rule::And(rs) | Rule::Or(rs) => rs.iter().fold(0, |n, x| n | rule_needs(x)),
        Rule::Not(x) => rule_needs(x),
        Rule::Compare {
            variable, operand, ..
        } => {
            path_needs(variable)
                | match operand {
                    Operand::Path(q) => path_needs(q),
                    Operand::Value(_) => 0,
                }
        }
        Rule::Condition(_) => 0,
    }
}

/// The context parts the `$$` references in `text` read (a path, or a
/// template string holding intrinsic calls). Anything not recognised asks
/// for the whole object.
fn needs_of(text: &str) -> u16 {
    let mut needs = 0;
    let mut rest = text;
    while let Some(i) = rest.find("$$") {
        rest = &rest[i + 2..];
        let (a, after_a) = name(rest);
        let (b, _) = name(after_a);
        needs |= match (a, b) {
            (Some("Execution"), Some("Input")) => ctx::EXEC_INPUT,
            (Some("Execution"), Some("Id")) => ctx::EXEC_ID,
            (Some("Execution"), Some("Name")) => ctx::EXEC_NAME,
            (Some("Execution"), Some("StartTime")) => ctx::EXEC_START,
            (Some("Execution"), Some("RoleArn")) => ctx::EXEC_ROLE,
            (Some("Execution"), Some("RedriveCount")) => ctx::EXEC_REDRIVE,
            (Some("Execution"), _) => ctx::EXEC_ALL,
            (Some("StateMachine"), _) => ctx::MACHINE,
            (Some("State"), Some("Name")) => ctx::STATE_NAME,
            (Some("State"), Some("EnteredTime")) => ctx::STATE_ENTERED,
            (Some("State"), Some("RetryCount")) => ctx::STATE_RETRY,
            (Some("State"), _) => ctx::STATE_ALL,
            // `$$.Map.Item.*` is added where an ItemSelector is evaluated; `$$.Task` is not modelled.
            (Some("Map" | "Task"), _) => ctx::MAP,
            _ => ctx::ALL,
        };
    }
    needs
}

/// A `.Name` step at the start of `s`, and what follows it.
fn name(s: &str) -> (Option<&str>, &str) {
    let Some(body) = s.strip_prefix('.') else {
        return (None, s);
    };
    let end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    if end == 0 {
        (None, s)
    } else {
        (Some(&body[..end]), &body[end..])
    }
}

/// The needs of a payload (a JSONPath template, or JSONata's `Arguments`,
/// `ItemSelector`, `Assign`).
pub(super) fn payload_needs(p: &Payload) -> u16 {
    match p.query {
        Some(_) => query_needs(&p.raw),
        None => needs_of_value(&p.raw),
    }
}

/// What a JSONata state reads of `$states.context`, from every field that
/// holds expressions.
fn jsonata_needs(s: &State) -> u16 {
    let mut fields: Vec<&Value> = Vec::new();
    payload(&mut fields, &s.assign);
    fields.extend(s.output.as_ref().map(|q| &q.raw));
    match &s.kind {
        StateKind::Task(x) => {
            payload(&mut fields, &x.parameters);
            fields.extend(num(&x.timeout));
            fields.extend(num(&x.heartbeat));
            catchers(&mut fields, &x.catch);
        }
        StateKind::Parallel(x) => {
            payload(&mut fields, &x.parameters);
            catchers(&mut fields, &x.catch);
        }
        StateKind::Map(x) => {
            payload(&mut fields, &x.item_selector);
            fields.extend(x.items.as_ref().map(|q| &q.raw));
            fields.extend(num(&x.max_concurrency));
            catchers(&mut fields, &x.catch);
        }
        StateKind::Choice(c) => {
            for r in &c.choices {
                payload(&mut fields, &r.assign);
                fields.extend(r.output.as_ref().map(|q| &q.raw));
                if let Rule::Condition(q) = &r.rule {
                    fields.push(&q.raw);
                }
            }
        }
        StateKind::Wait(Wait::Expr { expr, .. }) => fields.push(&expr.raw),
        StateKind::Fail(f) => {
            for x in [&f.error, &f.cause].into_iter().flatten() {
                if let FailField::Query(q) = x {
                    fields.push(&q.raw);
                }
            }
        }
        _ => {}
    }
    fields.into_iter().fold(0, |n, v| n | query_needs(v))
}

fn payload<'a>(fields: &mut Vec<&'a Value>, p: &'a Option<Payload>) {
    if let Some(p) = p {
        fields.push(&p.raw);
    }
}

fn catchers<'a>(fields: &mut Vec<&'a Value>, cs: &'a [Catcher]) {
    for c in cs {
        payload(fields, &c.assign);
        fields.extend(c.output.as_ref().map(|q| &q.raw));
    }
}

fn num(n: &Option<NumberOrPath>) -> Option<&Value> {
    match n {
        Some(NumberOrPath::Expr(q)) => Some(&q.raw),
        _ => None,
    }
}

/// The context parts the JSONata expressions in `v` read through
/// `$states.context` (all of it when they use `$states` as a whole).
fn query_needs(v: &Value) -> u16 {
    match v {
        Value::String(s) => {
            let t = s.replace("$states.context", "$$");
            let whole = t
                .match_indices("$states")
                .any(|(i, m)| !t[i + m.len()..].starts_with('.'));
            needs_of(&t) | if whole { ctx::ALL } else { 0 }
        }
        Value::Array(a) => a.iter().fold(0, |n, x| n | query_needs(x)),
        Value::Object(o) => o.values().fold(0, |n, x| n | query_needs(x)),
        _ => 0,
    }
}

/// The needs of every string in a JSON value (a payload template).
pub(super) fn needs_of_value(v: &serde_json::Value) -> u16 {
    match v {
        serde_json::Value::String(s) => needs_of(s),
        serde_json::Value::Array(a) => a.iter().fold(0, |n, x| n | needs_of_value(x)),
        serde_json::Value::Object(o) => o.values().fold(0, |n, x| n | needs_of_value(x)),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_parts() {
        assert_eq!(needs_of("$.a"), 0);
        assert_eq!(needs_of("$$.Execution.Input.order.id"), ctx::EXEC_INPUT);
        assert_eq!(
            needs_of("States.Format('{} {}', $$.Execution.Name, $$.State.EnteredTime)"),
            ctx::EXEC_NAME | ctx::STATE_ENTERED
        );
        assert_eq!(needs_of("$$.Execution"), ctx::EXEC_ALL);
        assert_eq!(needs_of("$$"), ctx::ALL);
        assert_eq!(needs_of("$$['Execution']"), ctx::ALL);
        assert_eq!(needs_of("$$.Map.Item.Value"), ctx::MAP);
    }
}
