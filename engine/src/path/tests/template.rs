use super::entropy;
use crate::json::Doc;
use crate::path::Template;
use serde_json::{json, Value};

fn eval(tpl: Value, input: Value) -> Result<Value, (String, String)> {
    let t = Template::compile(&tpl).unwrap_or_else(|e| panic!("{e:?}"));
    let mut doc = Doc::new();
    let i = doc.import(&input);
    let c = doc.import(&json!({"Execution": {"Name": "ex"}, "Map": {"Item": {"Index": 3}}}));
    let mut ent = entropy();
    t.eval(&mut doc, i, c, &mut ent)
        .map(|v| doc.export(v))
        .map_err(|f| (f.error.to_string(), f.cause))
}

fn text(tpl: Value, input: Value) -> String {
    let t = Template::compile(&tpl).unwrap();
    let mut doc = Doc::new();
    let i = doc.import(&input);
    let mut ent = entropy();
    let v = t.eval(&mut doc, i, Doc::EMPTY_OBJECT, &mut ent).unwrap();
    doc.to_json(v)
}

#[test]
fn constants_and_paths() {
    let tpl = json!({"k": "v", "n": [1, {"x": null}], "p.$": "$.a", "c.$": "$$.Execution.Name",
                     "nested": {"i.$": "$$.Map.Item.Index", "lit": "$.not_a_path"}, "arr": [{"q.$": "$.a"}, 2]});
    assert_eq!(
        eval(tpl, json!({"a": 7})),
        Ok(json!({"k": "v", "n": [1, {"x": null}], "p": 7, "c": "ex",
                  "nested": {"i": 3, "lit": "$.not_a_path"}, "arr": [{"q": 7}, 2]}))
    );
    assert!(Template::compile(&json!({"a": {"b": [1]}}))
        .unwrap()
        .is_constant());
    assert!(!Template::compile(&json!({"a": {"b.$": "$"}}))
        .unwrap()
        .is_constant());
    assert_eq!(eval(json!("plain"), json!({})), Ok(json!("plain")));
}

#[test]
fn key_order_follows_the_template() {
    let tpl = json!({"z": 1, "a.$": "$.v", "m": 2});
    assert_eq!(text(tpl, json!({"v": 0})), r#"{"z":1,"a":0,"m":2}"#);
}

#[test]
fn intrinsic_values() {
    let tpl = json!({"s.$": "States.Format('{} and {}', $.a, $$.Execution.Name)", "u.$": "States.ArrayLength($.l)"});
    assert_eq!(
        eval(tpl, json!({"a": 1, "l": [1, 2]})),
        Ok(json!({"s": "1 and ex", "u": 2}))
    );
}

#[test]
fn missing_paths() {
    let e = eval(
        json!({"value.$": "$.no_such_jsonpath"}),
        json!({"int-literal": 0}),
    )
    .unwrap_err();
    assert_eq!(e.0, "States.Runtime");
    assert_eq!(
        e.1,
        r#"The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'"#
    );
    let e = eval(json!({"value.$": "$$.Execution.Input.no"}), json!({})).unwrap_err();
    assert_eq!(
        e.1,
        r#"The JSONPath '$$.Execution.Input.no' specified for the field 'value.$' could not be found in the input '{"Execution":{"Name":"ex"},"Map":{"Item":{"Index":3}}}'"#
    );
    let e = eval(json!({"a": {"deep.$": "States.Array($.x)"}}), json!({})).unwrap_err();
    assert_eq!(
        e.1,
        "The JSONPath '$.x' specified for the field 'deep.$' could not be found in the input '{}'"
    );
}

#[test]
fn compile_errors() {
    let msg = |k: &str| {
        format!("The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call")
    };
    let errs = Template::compile(&json!({
        "a.$": 1,
        "b.$": "not a path",
        "o": {"c.$": "States.Nope()", "x/y": {"d.$": "$["}},
        "e.$": "States.StringToJson('{\"text\":\"An \\\"q\\\"\"}')",
        "f.$": "States.Format('x', $.a",
        "g.$": "States.UUID(1)",
    }))
    .unwrap_err();
    let errs: Vec<(String, String)> = errs
        .iter()
        .map(|e| (e.location.clone(), e.to_string()))
        .collect();
    assert_eq!(
        errs,
        vec![
            (String::new(), msg("a.$")),
            (String::new(), msg("b.$")),
            ("/o".to_owned(), msg("c.$")),
            ("/o/x~1y".to_owned(), msg("d.$")),
            (String::new(), msg("e.$")),
            (String::new(), msg("f.$")),
            (String::new(), msg("g.$")),
        ]
    );
    let dup = Template::compile(&json!({"a": 1, "a.$": "$"})).unwrap_err();
    assert_eq!(dup.len(), 1);
}
