//! Top level, state shape and graph rules.

use serde_json::json;

use super::*;

#[test]
fn top_level() {
    one(
        json!({ "States": { "A": pass_end() } }),
        "/",
        SCHEMA,
        "These fields are required: [StartAt]",
    );
    one(
        json!({ "StartAt": "B", "States": { "A": pass_end() } }),
        "/StartAt",
        TARGET,
        "Missing 'Next' target: B",
    );
    let mut d = only("A", pass_end());
    d["Coment"] = json!("typo");
    one(d, "/Coment", SCHEMA, "Field 'Coment' is not supported");
    let mut d = only("A", pass_end());
    d["TimeoutSeconds"] = json!(0);
    one(d, "/TimeoutSeconds", SCHEMA, "Minimum value is 1");
    let mut d = only("A", pass_end());
    d["TimeoutSeconds"] = json!(100_000_000);
    one(d, "/TimeoutSeconds", SCHEMA, "Maximum value is 99999999");
    let mut d = only("A", pass_end());
    d["QueryLanguage"] = json!("XPath");
    one(d, "/QueryLanguage", SCHEMA, "[JSONPath, JSONata]");
    one(
        json!({ "StartAt": "A", "States": {} }),
        "/States",
        SCHEMA,
        "Value cannot be empty",
    );
}

#[test]
fn state_shape() {
    one(
        only("A", json!({ "End": true })),
        "/States/A",
        SCHEMA,
        "These fields are required: [Type]",
    );
    one(
        only("A", json!({ "Type": "Pas", "End": true })),
        "/States/A/Type",
        SCHEMA,
        "should have one of these values",
    );
    one(
        only("a/b~c", json!({ "Type": 3, "End": true })),
        "/States/a~1b~0c/Type",
        SCHEMA,
        "'Type'",
    );
    one(
        via_choice(json!({ "Type": "Pass" })),
        "/States/X",
        SCHEMA,
        "[Next or End]",
    );
    one(
        only("A", json!({ "Type": "Pass", "Next": "A", "End": true })),
        "/States/A",
        SCHEMA,
        "[Next, End]",
    );
    one(
        via_choice(json!({ "Type": "Pass", "End": false })),
        "/States/X/End",
        SCHEMA,
        "must be true",
    );
    one(
        only("A", json!({ "Type": "Succeed", "Next": "A" })),
        "/States/A/Next",
        SCHEMA,
        "Field 'Next' is not supported",
    );
    one(
        only("A", json!({ "Type": "Pass", "End": true, "Retry": [] })),
        "/States/A/Retry",
        SCHEMA,
        "Field 'Retry' is not supported",
    );
    one(
        only(
            "A",
            json!({ "Type": "Pass", "End": true, "QueryLanguage": "JSONata", "InputPath": "$" }),
        ),
        "/States/A/InputPath",
        SCHEMA,
        "only supported for the 'JSONPath' QueryLanguage",
    );
    one(
        only("A", json!({ "Type": "Pass", "End": true, "Output": {} })),
        "/States/A/Output",
        SCHEMA,
        "only supported for the 'JSONata' QueryLanguage",
    );
    one(
        json!({ "QueryLanguage": "JSONata", "StartAt": "A",
                "States": { "A": { "Type": "Pass", "End": true, "QueryLanguage": "JSONPath" } } }),
        "/States/A",
        SCHEMA,
        "can not be 'JSONPath'",
    );
    let long = "N".repeat(81);
    one(
        only(&long, pass_end()),
        &format!("/States/{long}"),
        "INVALID_STATE_NAME",
        "80",
    );
}

#[test]
fn graph() {
    one(
        via_choice(
            json!({ "Type": "Choice", "Choices": [{ "Variable": "$", "IsNull": true, "Next": "Done" }], "Default": "Nope" }),
        ),
        "/States/X/Default",
        TARGET,
        "Missing 'Next' target: Nope",
    );
    one(
        rule(json!({ "Variable": "$", "IsNull": true, "Next": "Gone" })).pipe(|mut d| {
            d["States"]["C"]["Choices"][0]["Next"] = json!("Gone");
            d["States"]["C"]["Default"] = json!("Done");
            d
        }),
        "/States/C/Choices/0/Next",
        TARGET,
        "Gone",
    );
    one(
        task(json!({ "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Nowhere" }] })),
        "/States/T/Catch/0/Next",
        TARGET,
        "Missing 'Next' target: Nowhere",
    );
    one(
        json!({ "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "B" }, "B": { "Type": "Pass", "Next": "A" } } }),
        "/",
        "MISSING_END_STATE",
        "Workflow has no terminal state",
    );
    one(
        json!({ "StartAt": "A", "States": { "A": pass_end(), "B": pass_end() } }),
        "/States/B",
        TARGET,
        "State \"B\" is not reachable.",
    );
    one(
        json!({ "StartAt": "P", "States": { "P": { "Type": "Parallel", "End": true,
        "Branches": [{ "StartAt": "X", "States": {
            "X": { "Type": "Choice", "Choices": [{ "Variable": "$", "IsNull": true, "Next": "Y" }], "Default": "P" },
            "Y": { "Type": "Succeed" } } }] } } }),
        "/States/P/Branches/0/States/X/Default",
        TARGET,
        "Missing 'Next' target: P",
    );
    one(
        json!({ "StartAt": "P", "States": { "P": { "Type": "Parallel", "End": true,
        "Branches": [{ "StartAt": "Q", "States": { "X": pass_end() } }] } } }),
        "/States/P/Branches/0/StartAt",
        TARGET,
        "Missing 'Next' target: Q",
    );
    one(
        json!({ "StartAt": "P", "States": { "P": { "Type": "Parallel", "End": true,
        "Branches": [{ "StartAt": "P", "States": { "P": pass_end() } }] } } }),
        "/States/P/Branches/0/States/P",
        "DUPLICATE_STATE_NAME",
        "Duplicate State name: P",
    );
}

/// Three independent problems give three diagnostics, in one call.
#[test]
fn every_problem_at_once() {
    let def = json!({
        "Coment": "typo",
        "StartAt": "Retry Step",
        "States": {
            "Retry Step": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "W",
                            "Retry": [{ "ErrorEquals": ["States.ALL"], "BackoffRate": 0.5 }] },
            "W": { "Type": "Wait", "Timestamp": "yesterday", "End": true },
        }
    });
    let mut got: Vec<(String, &str)> = errors_of(&def)
        .into_iter()
        .map(|d| (d.location, d.code))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("/Coment".to_owned(), SCHEMA),
            ("/States/Retry Step/Retry/0/BackoffRate".to_owned(), SCHEMA),
            ("/States/W/Timestamp".to_owned(), SCHEMA),
        ]
    );
}
