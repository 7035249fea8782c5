//! Workflow variables and JSONata states end to end: `$states` fields,
//! evaluation order, scoping across Map and Parallel, size limits and
//! evaluation failures.

use super::tests::{output, run};
use crate::handlers::{Call, Reply};
use crate::{Engine, Status};
use serde_json::json;

/// An engine whose `double` task returns `{"n": 2 * input.n}`.
fn engine() -> Engine {
    let mut e = Engine::new();
    e.register("double", |c: &mut Call<'_>| {
        let n = c.input_json()["n"].as_i64().unwrap_or(0);
        Reply::Json(json!({ "n": n * 2 }))
    });
    e.register("boom", |_c: &mut Call<'_>| {
        Reply::Error(crate::Failure::new("Boom", "it broke"))
    });
    e
}

#[test]
fn states_input_result_and_context() {
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": { "Type": "Task", "Resource": "double",
               "Arguments": { "n": "{% $states.input.x %}" },
               "Output": { "in": "{% $states.input %}", "res": "{% $states.result %}",
                           "name": "{% $states.context.State.Name %}",
                           "exec": "{% $states.context.Execution.Input.x %}" },
               "End": true } } });
    let o = run(&engine(), def, json!({ "x": 21 }));
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    assert_eq!(
        output(&o),
        json!({ "in": { "x": 21 }, "res": { "n": 42 }, "name": "T", "exec": 21 })
    );
}

#[test]
fn error_output_in_a_catcher() {
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": { "Type": "Task", "Resource": "boom", "Assign": { "never": 1 },
               "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "F",
                           "Assign": { "err": "{% $states.errorOutput.Error %}" },
                           "Output": { "e": "{% $states.errorOutput %}", "i": "{% $states.input %}" } }],
               "End": true },
        "F": { "Type": "Pass", "Output": { "out": "{% $states.input %}", "err": "{% $err %}",
                                           "never": "{% $exists($never) %}" }, "End": true } } });
    let o = run(&engine(), def, json!({ "a": 1 }));
    assert_eq!(
        output(&o),
        json!({ "out": { "e": { "Error": "Boom", "Cause": "it broke" }, "i": { "a": 1 } },
                "err": "Boom", "never": false })
    );
}

#[test]
fn assign_reads_the_values_the_state_entered_with() {
    // A swap: both right-hand sides see the old values; Output too.
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Assign": { "x": 1, "y": 2 }, "Next": "B" },
        "B": { "Type": "Pass", "Assign": { "x": "{% $y %}", "y": "{% $x %}" },
               "Output": { "x": "{% $x %}", "y": "{% $y %}" }, "Next": "C" },
        "C": { "Type": "Pass", "Output": { "x": "{% $x %}", "y": "{% $y %}", "before": "{% $states.input %}" },
               "End": true } } });
    let o = run(&engine(), def, json!({}));
    assert_eq!(
        output(&o),
        json!({ "x": 2, "y": 1, "before": { "x": 1, "y": 2 } })
    );
}

#[test]
fn jsonpath_variables_in_paths_and_templates() {
    let def = json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Result": { "v": 7 }, "Assign": { "seven.$": "$.v", "lit": "x" },
               "Next": "B" },
        "B": { "Type": "Pass", "InputPath": "$seven", "OutputPath": "$.r", "ResultPath": "$.r",
               "Parameters": { "n.$": "$", "lit.$": "$lit", "s.$": "States.Format('{}-{}', $lit, $seven)" },
               "End": true } } });
    let o = run(&engine(), def, json!({}));
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    assert_eq!(output(&o), json!({ "n": 7, "lit": "x", "s": "x-7" }));
}

#[test]
fn iterations_read_outer_variables_and_theirs_vanish() {
    let def = json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Assign": { "k": 10 }, "Next": "M" },
        "M": { "Type": "Map", "ItemProcessor": { "StartAt": "I", "States": {
                 "I": { "Type": "Pass", "Assign": { "inner.$": "$" }, "Next": "J" },
                 "J": { "Type": "Pass", "Parameters": { "k.$": "$k", "inner.$": "$inner" }, "End": true } } },
               "Next": "Z" },
        "Z": { "Type": "Pass", "QueryLanguage": "JSONata",
               "Output": { "items": "{% $states.input %}", "inner": "{% $exists($inner) %}", "k": "{% $k %}" },
               "End": true } } });
    let o = run(&engine(), def, json!([1, 2]));
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    assert_eq!(
        output(&o),
        json!({ "items": [{ "k": 10, "inner": 1 }, { "k": 10, "inner": 2 }], "inner": false, "k": 10 })
    );
}

#[test]
fn undefined_results_fail_with_aws_causes() {
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": { "Type": "Pass", "Output": { "r": "{% $nope %}" }, "End": true } } });
    let o = run(&engine(), def, json!({}));
    assert_eq!(o.error.as_deref(), Some("States.QueryEvaluationError"));
    assert_eq!(
        o.cause.as_deref(),
        Some("An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '$nope' specified for the field 'Output/r' returned nothing (undefined).")
    );
    assert_eq!(o.events, 4, "EvaluationFailed is an event of its own");
    // A wrong type: a Condition that is not a boolean.
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": { "Type": "Choice", "Choices": [{ "Condition": "{% 'yes' %}", "Next": "D" }], "Default": "D" },
        "D": { "Type": "Succeed" } } });
    let o = run(&engine(), def, json!({}));
    assert_eq!(o.error.as_deref(), Some("States.QueryEvaluationError"));
    assert!(o
        .cause
        .as_deref()
        .unwrap_or("")
        .contains("Expected 'boolean', but was 'string'"));
}

#[test]
fn size_limits() {
    let big = "x".repeat(200 * 1024);
    // One variable over 256 KiB.
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Assign": { "v": "{% $states.input.s & $states.input.s %}" }, "End": true } } });
    let o = run(&engine(), def, json!({ "s": big }));
    assert_eq!(
        o.error.as_deref(),
        Some("States.DataLimitExceeded"),
        "{o:?}"
    );
    assert!(o.cause.as_deref().unwrap_or("").contains("'v'"));
    // Two variables under the limit each, over it together.
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Assign": { "a": "{% $states.input.s %}", "b": "{% $states.input.s %}" }, "End": true } } });
    let o = run(&engine(), def, json!({ "s": big }));
    assert_eq!(o.error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(o.cause.as_deref().unwrap_or("").contains("one Assign"));
    // Under the limits: fine, and catchable as any error.
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Assign": { "a": "{% $states.input.s %}" }, "End": true } } });
    let o = run(&engine(), def, json!({ "s": big }));
    assert_eq!(o.status, Status::Succeeded);
}

#[test]
fn execution_total_limit() {
    // 45 variables of 250,000 bytes each pass every per-Assign limit but
    // not the 10 MiB of the whole execution.
    let mut states = serde_json::Map::new();
    for i in 0..45 {
        states.insert(
            format!("S{i}"),
            json!({ "Type": "Pass", "Assign": { format!("v{i}"): "{% $states.input.s %}" },
                    "Next": if i < 44 { format!("S{}", i + 1) } else { "D".to_owned() } }),
        );
    }
    states.insert("D".into(), json!({ "Type": "Succeed" }));
    let def = json!({ "QueryLanguage": "JSONata", "StartAt": "S0", "States": states });
    let o = run(&engine(), def, json!({ "s": "y".repeat(250_000) }));
    assert_eq!(
        o.error.as_deref(),
        Some("States.DataLimitExceeded"),
        "{:?}",
        o.status
    );
    assert!(o
        .cause
        .as_deref()
        .unwrap_or("")
        .contains("an execution may hold"));
}

#[test]
fn a_machine_without_variables_compiles_no_variable_ops() {
    let def = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a.$":"$.a"},"Next":"B"},"B":{"Type":"Pass","End":true}}}"#;
    let (sm, _) = crate::asl::parse(def).unwrap();
    let program = crate::compile::compile(&sm, &crate::handlers::Registry::default()).unwrap();
    let ops = &program.ops;
    assert!(ops.iter().all(|op| !matches!(
        op,
        crate::bytecode::Op::Assign(_)
            | crate::bytecode::Op::CommitVars
            | crate::bytecode::Op::Output(_)
    )));
}
