use crate::json::Doc;
use crate::path::Path;
use serde_json::{json, Value};

fn set(path: &str, root: Value, value: Value) -> Result<Value, (String, String)> {
    let p = Path::parse_reference(path).unwrap();
    let mut doc = Doc::new();
    let r = doc.import(&root);
    let v = doc.import(&value);
    p.set(&mut doc, r, v)
        .map(|out| doc.export(out))
        .map_err(|f| (f.error.to_string(), f.cause))
}

#[test]
fn writes() {
    assert_eq!(set("$", json!({"a": 1}), json!(2)), Ok(json!(2)));
    assert_eq!(
        set("$.b", json!({"a": 1}), json!(2)),
        Ok(json!({"a": 1, "b": 2}))
    );
    assert_eq!(
        set("$.a", json!({"a": 1, "c": 3}), json!(2)),
        Ok(json!({"a": 2, "c": 3}))
    );
    assert_eq!(
        set("$.x.y.z", json!({"a": 1}), json!(true)),
        Ok(json!({"a": 1, "x": {"y": {"z": true}}}))
    );
    assert_eq!(
        set("$.a.b", json!({"a": {"c": 1}}), json!(2)),
        Ok(json!({"a": {"c": 1, "b": 2}}))
    );
    assert_eq!(
        set("$.l[1]", json!({"l": [1, 2, 3]}), json!(9)),
        Ok(json!({"l": [1, 9, 3]}))
    );
    assert_eq!(
        set("$.l[-1]", json!({"l": [1, 2, 3]}), json!(9)),
        Ok(json!({"l": [1, 2, 9]}))
    );
    assert_eq!(
        set("$.l[0].k", json!({"l": [{"k": 1}]}), json!(9)),
        Ok(json!({"l": [{"k": 9}]}))
    );
    assert_eq!(
        set("$.error-info", json!({}), json!("e")),
        Ok(json!({"error-info": "e"}))
    );
}

#[test]
fn order_is_kept_and_nodes_shared() {
    let p = Path::parse_reference("$.b").unwrap();
    let mut doc = Doc::new();
    let root = doc.import(&json!({"a": [1, 2], "b": 0, "c": {"d": 1}}));
    let v = doc.int(5);
    let out = p.set(&mut doc, root, v).unwrap();
    assert_eq!(doc.to_json(out), r#"{"a":[1,2],"b":5,"c":{"d":1}}"#);
    assert_eq!(doc.field(out, "c"), doc.field(root, "c"));
}

#[test]
fn failures() {
    let e = set("$.a.b", json!({"a": "text"}), json!(1)).unwrap_err();
    assert_eq!(e.0, "States.ResultPathMatchFailure");
    assert_eq!(
        e.1,
        r#"Unable to apply ReferencePath $.a.b to input {"a":"text"}"#
    );
    let e = set("$.a", json!("str"), json!(1)).unwrap_err();
    assert_eq!(e.1, r#"Unable to apply ReferencePath $.a to input "str""#);
    assert!(set("$.l[5]", json!({"l": [1]}), json!(1)).is_err());
    assert!(set("$.l[0]", json!({}), json!(1)).is_err());
    assert!(set("$.l[0]", json!({"l": {}}), json!(1)).is_err());
    assert!(set("$$.a", json!({}), json!(1)).is_err());
}
