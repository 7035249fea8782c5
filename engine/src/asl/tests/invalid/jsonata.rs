//! JSONata states and workflow variables: each rule with its pointer and code.

use serde_json::json;

use super::{one, only, SCHEMA};
use crate::asl::tests::errors_of;

fn jsonata(name: &str, state: serde_json::Value) -> serde_json::Value {
    let mut m = only(name, state);
    m["QueryLanguage"] = json!("JSONata");
    m
}

#[test]
fn jsonpath_fields_in_a_jsonata_state() {
    for field in [
        "InputPath",
        "OutputPath",
        "ResultPath",
        "Parameters",
        "Result",
    ] {
        one(
            jsonata("P", json!({ "Type": "Pass", field: "$", "End": true })),
            &format!("/States/P/{field}"),
            SCHEMA,
            "only supported for the 'JSONPath' QueryLanguage",
        );
    }
    one(
        jsonata(
            "W",
            json!({ "Type": "Wait", "SecondsPath": "$.s", "End": true }),
        ),
        "/States/W/SecondsPath",
        SCHEMA,
        "only supported for the 'JSONPath' QueryLanguage",
    );
}

#[test]
fn jsonata_fields_in_a_jsonpath_state() {
    one(
        only("P", json!({ "Type": "Pass", "Output": {}, "End": true })),
        "/States/P/Output",
        SCHEMA,
        "only supported for the 'JSONata' QueryLanguage",
    );
    let errs = errors_of(&json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice", "Choices": [{ "Condition": "{% true %}", "Next": "D" }] },
        "D": { "Type": "Succeed" } } }));
    assert_eq!(
        errs[0].location, "/States/C/Choices/0/Condition",
        "{errs:#?}"
    );
    assert_eq!(errs[0].code, SCHEMA);
    assert!(errs[0]
        .message
        .contains("field 'Condition' is only supported for the 'JSONata' QueryLanguage"));
}

#[test]
fn arguments_only_where_a_state_takes_them() {
    one(
        jsonata("P", json!({ "Type": "Pass", "Arguments": {}, "End": true })),
        "/States/P/Arguments",
        SCHEMA,
        "Field 'Arguments' is not supported",
    );
}

#[test]
fn a_jsonata_machine_cannot_hold_jsonpath_states() {
    one(
        jsonata(
            "P",
            json!({ "Type": "Pass", "QueryLanguage": "JSONPath", "End": true }),
        ),
        "/States/P",
        SCHEMA,
        "'QueryLanguage' can not be 'JSONPath'",
    );
    // A JSONPath machine may hold a JSONata Map whose processor is JSONPath again.
    let ok = json!({ "StartAt": "M", "States": { "M": {
        "Type": "Map", "QueryLanguage": "JSONata", "End": true,
        "ItemProcessor": { "StartAt": "P", "States": {
            "P": { "Type": "Pass", "QueryLanguage": "JSONPath", "End": true } } } } } });
    assert_eq!(errors_of(&ok), vec![]);
}

#[test]
fn malformed_expressions_name_the_string_and_offset() {
    let errs = errors_of(&jsonata(
        "P",
        json!({ "Type": "Pass", "Output": { "a": ["{% 1 + %}"] }, "End": true }),
    ));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].location, "/States/P/Output/a/0");
    assert_eq!(errs[0].code, SCHEMA);
    assert!(errs[0].message.contains("at offset"), "{}", errs[0].message);
    one(
        jsonata(
            "W",
            json!({ "Type": "Wait", "Seconds": "{% ( %}", "End": true }),
        ),
        "/States/W/Seconds",
        SCHEMA,
        "The JSONata expression is not valid",
    );
}

#[test]
fn no_implicit_input_at_the_top_level() {
    for expr in ["{% $ %}", "{% $$.a %}", "{% foo.bar %}"] {
        one(
            jsonata(
                "P",
                json!({ "Type": "Pass", "Output": { "x": expr }, "End": true }),
            ),
            "/States/P/Output",
            SCHEMA,
            "top level",
        );
    }
    let ok = jsonata(
        "P",
        json!({ "Type": "Pass", "Output": "{% $states.input.items[price > 1] %}", "End": true }),
    );
    assert_eq!(errors_of(&ok), vec![]);
}

#[test]
fn variable_names() {
    one(
        only(
            "P",
            json!({ "Type": "Pass", "Assign": { "states": 1 }, "End": true }),
        ),
        "/States/P/Assign/states",
        SCHEMA,
        "reserved",
    );
    one(
        only(
            "P",
            json!({ "Type": "Pass", "Assign": { "1x.$": "$.a" }, "End": true }),
        ),
        "/States/P/Assign/1x.$",
        SCHEMA,
        "not a valid identifier",
    );
    let long = "v".repeat(81);
    one(
        only(
            "P",
            json!({ "Type": "Pass", "Assign": { long.clone(): 1 }, "End": true }),
        ),
        &format!("/States/P/Assign/{long}"),
        SCHEMA,
        "longer than 80",
    );
}

#[test]
fn nested_scopes_cannot_assign_outer_names() {
    let def = json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Assign": { "x": 1 }, "Next": "M" },
        "M": { "Type": "Map", "End": true, "ItemProcessor": { "StartAt": "I", "States": {
            "I": { "Type": "Pass", "Assign": { "x.$": "$", "y": 2 }, "End": true } } } } } });
    one(
        def,
        "/States/M/ItemProcessor/States/I/Assign/x.$",
        SCHEMA,
        "outer scope",
    );
    // Also when the outer assignment comes later; sibling branches may
    // reuse each other's names, and the Parallel's own catchers do not count.
    let def = json!({ "StartAt": "P", "States": {
        "P": { "Type": "Parallel", "Next": "Z", "Branches": [
            { "StartAt": "B1", "States": { "B1": { "Type": "Pass", "Assign": { "v": 1, "c": 0 }, "End": true } } },
            { "StartAt": "B2", "States": { "B2": { "Type": "Pass", "Assign": { "v": 2, "z": 0 }, "End": true } } } ],
          "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Z", "Assign": { "c": 1 } }] },
        "Z": { "Type": "Pass", "Assign": { "z": 1 }, "End": true } } });
    one(
        def,
        "/States/P/Branches/1/States/B2/Assign/z",
        SCHEMA,
        "outer scope",
    );
}
