//! What a valid definition becomes: defaults, `null` handling, JSONata
//! forms, and warnings that do not fail the parse.

use serde_json::json;

use crate::path::Path;

use super::super::{
    parse, Jitter, NumberOrPath, Operand, QueryLanguage, Rule, Severity, StateKind, Transition,
    Wait,
};

#[test]
fn defaults_and_nulls() {
    let def = json!({ "StartAt": "T", "States": { "T": {
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true,
        "InputPath": null, "ResultPath": null,
        "Retry": [{ "ErrorEquals": ["States.ALL"] }] } } });
    let (m, _) = parse(&def.to_string()).unwrap();
    let s = &m.block.states[0];
    assert_eq!(m.block.pointer, "");
    assert_eq!(s.pointer, "/States/T");
    assert_eq!(s.input_path, None);
    assert_eq!(s.output_path.as_ref().map(Path::source), Some("$"));
    assert_eq!(s.transition, Transition::End);
    let StateKind::Task(t) = &s.kind else {
        panic!("task")
    };
    assert_eq!(t.result_path, None);
    let r = &t.retry[0];
    assert_eq!(
        (r.interval_seconds, r.max_attempts, r.backoff_rate),
        (1, 3, 2.0)
    );
    assert_eq!((r.max_delay_seconds, r.jitter), (None, Jitter::None));
}

#[test]
fn jsonata_forms_are_kept() {
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "Arguments": "{% $states.input %}", "TimeoutSeconds": "{% $t %}",
               "Output": { "x": "{% 1 %}" }, "Next": "W" },
        "W": { "Type": "Wait", "Timestamp": "{% $states.input.ts %}", "Next": "C" },
        "C": { "Type": "Choice", "Choices": [{ "Condition": "{% true %}", "Next": "D" }], "Default": "D" },
        "D": { "Type": "Succeed" } } });
    let (m, _) = parse(&def.to_string()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(m.query_language, QueryLanguage::Jsonata);
    let StateKind::Task(t) = &m.block.states[0].kind else {
        panic!()
    };
    assert_eq!(
        t.parameters.as_ref().map(|p| &p.raw),
        Some(&json!("{% $states.input %}"))
    );
    let Some(NumberOrPath::Expr(q)) = &t.timeout else {
        panic!("{:?}", t.timeout)
    };
    assert_eq!(q.raw, json!("{% $t %}"));
    assert_eq!(q.template.free_variables(), ["t"]);
    let out = m.block.states[0].output.as_ref().map(|q| &q.raw);
    assert_eq!(out, Some(&json!({ "x": "{% 1 %}" })));
    let StateKind::Wait(w) = &m.block.states[1].kind else {
        panic!()
    };
    assert!(matches!(w, Wait::Expr { seconds: false, .. }));
    let StateKind::Choice(c) = &m.block.states[2].kind else {
        panic!()
    };
    assert!(matches!(c.choices[0].rule, Rule::Condition(_)));
}

#[test]
fn choice_path_operands() {
    let def = json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice", "Choices": [{ "Variable": "$.a", "TimestampLessThanPath": "$.b", "Next": "D" }] },
        "D": { "Type": "Succeed" } } });
    let (m, _) = parse(&def.to_string()).unwrap();
    let StateKind::Choice(c) = &m.block.states[0].kind else {
        panic!()
    };
    let Rule::Compare {
        variable, operand, ..
    } = &c.choices[0].rule
    else {
        panic!()
    };
    assert_eq!(variable.source(), "$.a");
    assert_eq!(operand, &Operand::Path(Path::parse("$.b").unwrap()));
}

#[test]
fn warnings_do_not_fail() {
    let def = json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Parameters": { "a": "$.x" }, "Next": "B" },
        "B": { "Type": "Pass", "Result": { "b.$": "$.y" }, "End": true } } });
    let (_, w) = parse(&def.to_string()).unwrap_or_else(|d| panic!("{d}"));
    let got: Vec<(&str, &str, Severity)> =
        w.0.iter()
            .map(|d| (d.location.as_str(), d.code, d.severity))
            .collect();
    assert_eq!(
        got,
        vec![
            ("/States/A/Parameters/a", "NO_DOLLAR", Severity::Warning),
            (
                "/States/B/Result/b.$",
                "PASS_RESULT_IS_STATIC",
                Severity::Warning
            ),
        ]
    );
}

#[test]
fn result_path_cannot_name_a_variable() {
    let def = json!({ "StartAt": "A", "States": { "A": { "Type": "Pass", "ResultPath": "$var", "End": true } } });
    let errs = parse(&def.to_string()).unwrap_err().0;
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].location, "/States/A/ResultPath");
}
