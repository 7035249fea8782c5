use super::run;
use serde_json::json;

#[test]
fn partition_debug() {
    assert_eq!(
        run("States.ArrayPartition($.a, 1)", json!({"a": [0, 1]})),
        Ok(json!([[0], [1]]))
    );
}
#[test]
fn doc_debug() {
    let mut doc = crate::json::Doc::new();
    let a = doc.int(0);
    let b = doc.int(1);
    let x = doc.array(&[a]);
    let y = doc.array(&[b]);
    let z = doc.array(&[x, y]);
    assert_eq!(doc.to_json(z), "[[0],[1]]");
}
