//! Robustness: malformed, empty, huge and deeply nested inputs never panic,
//! and every truncation or type swap of a real definition is answered.

use serde_json::{json, Value};

use super::super::parse;

#[test]
fn not_json_or_not_an_object() {
    for text in [
        "",
        " ",
        "\n\t",
        "not a definition",
        "{",
        "{\"StartAt\":",
        "[]",
        "1",
        "\"x\"",
        "null",
        "{}}",
        "\u{feff}{}",
    ] {
        let errs = parse(text).unwrap_err().0;
        assert!(!errs.is_empty(), "{text:?}");
        let code = errs[0].code;
        assert!(
            matches!(
                code,
                "INVALID_JSON_DESCRIPTION" | "SCHEMA_VALIDATION_FAILED"
            ),
            "{text:?}: {code}"
        );
    }
    assert_eq!(
        parse("not a definition").unwrap_err().0[0].code,
        "INVALID_JSON_DESCRIPTION"
    );
    assert_eq!(
        parse(" ").unwrap_err().0[0].code,
        "SCHEMA_VALIDATION_FAILED"
    );
    assert_eq!(
        parse("[]").unwrap_err().0[0].message,
        "Definition must be a valid JSON object"
    );
}

#[test]
fn ten_thousand_states() {
    let n = 10_000;
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let s = if i + 1 == n {
            json!({ "Type": "Succeed" })
        } else {
            json!({ "Type": "Pass", "Next": format!("S{}", i + 1) })
        };
        states.insert(format!("S{i}"), s);
    }
    let def = json!({ "StartAt": "S0", "States": states });
    let (m, _) = parse(&def.to_string()).expect("valid");
    assert_eq!(m.block.states.len(), n);
    // The same with every state unreachable but the first: n - 1 diagnostics, no panic.
    let mut def = def;
    def["States"]["S0"] = json!({ "Type": "Succeed" });
    assert_eq!(parse(&def.to_string()).unwrap_err().0.len(), n - 1);
}

#[test]
fn deep_nesting() {
    // Deeper than serde_json's recursion limit: an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse(&deep).is_err());
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    assert!(parse(&deep_obj).is_err());
    // Parallel inside Parallel, as deep as JSON allows.
    let mut inner = json!({ "StartAt": "L", "States": { "L": { "Type": "Pass", "End": true } } });
    for i in 0..30 {
        inner = json!({ "StartAt": format!("P{i}"), "States": { format!("P{i}"): {
            "Type": "Parallel", "End": true, "Branches": [inner] } } });
    }
    assert!(parse(&inner.to_string()).is_ok());
    // Not inside Not.
    let mut r = json!({ "Variable": "$", "IsNull": true });
    for _ in 0..60 {
        r = json!({ "Not": r });
    }
    r["Next"] = json!("D");
    let def = json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice", "Choices": [r] }, "D": { "Type": "Succeed" } } });
    assert!(parse(&def.to_string()).is_ok());
}

/// A definition using most fields, mutated many ways.
fn sample() -> Value {
    json!({
        "Comment": "c", "StartAt": "T", "TimeoutSeconds": 60,
        "States": {
            "T": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": { "a.$": "$.a", "f.$": "States.Format('{}', $.b)" },
                   "ResultSelector": { "r.$": "$.Payload" }, "ResultPath": "$.r",
                   "TimeoutSeconds": 10, "HeartbeatSeconds": 5,
                   "Retry": [{ "ErrorEquals": ["X"], "IntervalSeconds": 2, "MaxAttempts": 1,
                               "BackoffRate": 1.5, "MaxDelaySeconds": 9, "JitterStrategy": "FULL" }],
                   "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.e" }],
                   "Next": "C" },
            "C": { "Type": "Choice", "Default": "M",
                   "Choices": [{ "And": [{ "Variable": "$.n", "NumericGreaterThan": 1 },
                                         { "Not": { "Variable": "$.t", "TimestampLessThan": "2016-03-14T01:59:00Z" } }],
                                 "Next": "W" }] },
            "W": { "Type": "Wait", "SecondsPath": "$.s", "Next": "M" },
            "M": { "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                   "ItemProcessor": { "ProcessorConfig": { "Mode": "INLINE" }, "StartAt": "I",
                                      "States": { "I": { "Type": "Pass", "End": true } } },
                   "Next": "P" },
            "P": { "Type": "Parallel", "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
                   "End": true },
            "F": { "Type": "Fail", "Error": "E", "CausePath": "$.e.Cause" }
        }
    })
}

#[test]
fn sample_is_valid() {
    let (m, _) = parse(&sample().to_string()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(m.block.states.len(), 6);
}

#[test]
fn every_truncation_is_answered() {
    let text = sample().to_string();
    for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        assert!(parse(&text[..end]).is_err());
    }
}

/// Replaces every value in the sample, one at a time, by values of every JSON type.
#[test]
fn every_type_swap_is_answered() {
    let replacements = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("$"),
        json!("{% 1 %}"),
        json!([]),
        json!([1]),
        json!({}),
        json!({ "a": 1 }),
    ];
    let base = sample();
    let mut pointers = Vec::new();
    collect(&base, String::new(), &mut pointers);
    for p in &pointers {
        for r in &replacements {
            let mut d = base.clone();
            *d.pointer_mut(p).unwrap() = r.clone();
            let _ = parse(&d.to_string());
        }
    }
    assert!(pointers.len() > 50);
}

fn collect(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                collect(v, p, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                collect(v, p, out);
            }
        }
        _ => {}
    }
}

/// A definition of `len` characters: one Pass state and a Comment of `fill`.
fn padded(fill: char, target_chars: usize) -> String {
    let base = r#"{"Comment":"","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#;
    let n = target_chars - base.encode_utf16().count();
    let comment: String = std::iter::repeat_n(fill, n / fill.len_utf16()).collect();
    base.replacen("\"\"", &format!("\"{comment}\""), 1)
}

#[test]
fn definitions_over_one_mib_are_refused_with_the_quota() {
    use super::super::MAX_DEFINITION_CHARS;
    let at_limit = padded('x', MAX_DEFINITION_CHARS);
    assert_eq!(at_limit.len(), MAX_DEFINITION_CHARS);
    assert!(parse(&at_limit).is_ok());
    let over = padded('x', MAX_DEFINITION_CHARS + 1);
    let errs = parse(&over).unwrap_err().0;
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code, "DEFINITION_TOO_LARGE");
    assert!(
        errs[0].message.contains("1048577 characters")
            && errs[0].message.contains("less than or equal to 1048576"),
        "{}",
        errs[0].message
    );
    // AWS counts characters, not UTF-8 bytes: 1.5 MB of two-byte text is under it.
    let wide = padded('é', MAX_DEFINITION_CHARS - 2);
    assert!(wide.len() > MAX_DEFINITION_CHARS);
    assert!(parse(&wide).is_ok());
}
