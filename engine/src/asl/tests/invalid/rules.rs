//! Choice rules, Parallel and Map fields.

use serde_json::{json, Value};

use super::*;

#[test]
fn choice_rules() {
    one(
        json!({ "StartAt": "C", "States": { "C": { "Type": "Choice", "Choices": [], "Default": "D" }, "D": { "Type": "Succeed" } } }),
        "/States/C/Choices",
        SCHEMA,
        "Value cannot be empty",
    );
    one(
        rule(json!({ "Variable": "$", "IsNull": true })).pipe(|mut d| {
            d["States"]["C"]["Choices"][0]
                .as_object_mut()
                .unwrap()
                .remove("Next");
            d["States"]["C"]["Default"] = json!("Done");
            d
        }),
        "/States/C/Choices/0",
        SCHEMA,
        "[Next]",
    );
    one(
        rule(json!({ "Not": { "Variable": "$", "IsNull": true, "Next": "Done" } })),
        "/States/C/Choices/0/Not/Next",
        SCHEMA,
        "Field 'Next' is not supported",
    );
    one(
        rule(json!({ "Variable": "$", "IsNull": true, "IsString": true })),
        "/States/C/Choices/0",
        SCHEMA,
        "only be one",
    );
    one(
        rule(json!({ "Variable": "$", "StringEquals": 1 })),
        "/States/C/Choices/0/StringEquals",
        SCHEMA,
        "Expected a string",
    );
    one(
        rule(json!({ "Variable": "$", "NumericLessThan": "1" })),
        "/States/C/Choices/0/NumericLessThan",
        SCHEMA,
        "Expected a number",
    );
    one(
        rule(json!({ "Variable": "$", "BooleanEquals": "true" })),
        "/States/C/Choices/0/BooleanEquals",
        SCHEMA,
        "Expected a boolean",
    );
    one(
        rule(json!({ "Variable": "$", "TimestampEquals": "2016-03-14" })),
        "/States/C/Choices/0/TimestampEquals",
        SCHEMA,
        "RFC3339",
    );
    one(
        rule(json!({ "Variable": "$", "IsNull": "yes" })),
        "/States/C/Choices/0/IsNull",
        SCHEMA,
        "Expected a boolean",
    );
    one(
        rule(json!({ "Variable": "$", "NumericEqualsPath": 3 })),
        "/States/C/Choices/0/NumericEqualsPath",
        SCHEMA,
        "Expected a string",
    );
    one(
        rule(json!({ "Variable": "foo", "IsNull": true })),
        "/States/C/Choices/0/Variable",
        SCHEMA,
        "valid JSONPath",
    );
    one(
        rule(json!({ "And": [] })),
        "/States/C/Choices/0/And",
        SCHEMA,
        "Value cannot be empty",
    );
    one(
        rule(json!({ "Variable": "$" })),
        "/States/C/Choices/0",
        SCHEMA,
        "comparison operator",
    );
    one(
        rule(json!({ "Or": [{ "Variable": "$", "IsNull": true, "StringMatchesPath": "$.x" }] })),
        "/States/C/Choices/0/Or/0/StringMatchesPath",
        SCHEMA,
        "Field 'StringMatchesPath' is not supported",
    );
}

#[test]
fn parallel_and_map() {
    let map = |extra: Value| {
        let mut m = json!({ "Type": "Map", "End": true,
            "ItemProcessor": { "StartAt": "I", "States": { "I": pass_end() } } });
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        only("M", m)
    };
    one(
        map(json!({ "Iterator": { "StartAt": "J", "States": { "J": pass_end() } } })),
        "/States/M",
        SCHEMA,
        "[ItemProcessor, Iterator]",
    );
    one(
        map(json!({ "MaxConcurrency": -1 })),
        "/States/M/MaxConcurrency",
        SCHEMA,
        "Minimum value is 0",
    );
    one(
        map(json!({ "ToleratedFailurePercentage": 101 })),
        "/States/M/ToleratedFailurePercentage",
        SCHEMA,
        "Maximum value is 100.0",
    );
    one(
        map(json!({ "ItemsPath": "$.items[*]" })),
        "/States/M/ItemsPath",
        SCHEMA,
        "Reference Path",
    );
    one(
        map(json!({ "ItemSelector": {}, "Parameters": {} })),
        "/States/M",
        SCHEMA,
        "[ItemSelector, Parameters]",
    );
    one(
        map(
            json!({ "ItemProcessor": { "ProcessorConfig": { "Mode": "BOGUS" }, "StartAt": "I", "States": { "I": pass_end() } } }),
        ),
        "/States/M/ItemProcessor/ProcessorConfig/Mode",
        SCHEMA,
        "[INLINE, DISTRIBUTED]",
    );
    one(
        only("M", json!({ "Type": "Map", "End": true })),
        "/States/M",
        SCHEMA,
        "[ItemProcessor]",
    );
    one(
        only(
            "P",
            json!({ "Type": "Parallel", "End": true, "Branches": [{ "StartAt": "B", "States": { "B": pass_end() }, "Extra": 1 }] }),
        ),
        "/States/P/Branches/0/Extra",
        SCHEMA,
        "Field 'Extra' is not supported",
    );
}
