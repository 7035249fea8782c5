use super::sel;
use crate::json::Doc;
use crate::path::Path;
use serde_json::{json, Value};

fn store() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord", "isbn": "0-395", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
        },
        "expensive": 10,
        "error-info": {"a b": [1, 2, 3]}
    })
}

#[test]
fn definite() {
    assert_eq!(sel("$", json!(1)), Some(json!(1)));
    assert_eq!(sel("$.store.bicycle.color", store()), Some(json!("red")));
    assert_eq!(sel("$.store.book[0].price", store()), Some(json!(8.95)));
    assert_eq!(sel("$.store.book[-1].isbn", store()), Some(json!("0-395")));
    assert_eq!(sel("$['error-info']['a b'][2]", store()), Some(json!(3)));
    assert_eq!(sel("$.error-info.['a b'][0]", store()), Some(json!(1)));
    assert_eq!(sel("$.store.book[9]", store()), None);
    assert_eq!(sel("$.store.book[-9]", store()), None);
    assert_eq!(sel("$.nope.deeper", store()), None);
    assert_eq!(sel("$.expensive.x", store()), None);
    assert_eq!(sel("$[0]", json!({"0": 1})), None);
}

#[test]
fn indefinite() {
    assert_eq!(
        sel("$.store.book[*].author", store()),
        Some(json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ]))
    );
    assert_eq!(
        sel("$.store.bicycle.*", store()),
        Some(json!(["red", 19.95]))
    );
    assert_eq!(
        sel("$.store.book[0,2].price", store()),
        Some(json!([8.95, 8.99]))
    );
    assert_eq!(
        sel("$.store.book[1:3].price", store()),
        Some(json!([12.99, 8.99]))
    );
    assert_eq!(
        sel("$.store.book[::2].price", store()),
        Some(json!([8.95, 8.99]))
    );
    assert_eq!(
        sel("$.store.book[-2:].price", store()),
        Some(json!([8.99, 22.99]))
    );
    assert_eq!(sel("$.store.book[:1].price", store()), Some(json!([8.95])));
    assert_eq!(
        sel("$.store.book[::-1].price", store()),
        Some(json!([22.99, 8.99, 12.99, 8.95]))
    );
    assert_eq!(
        sel("$.store.bicycle['color','price']", store()),
        Some(json!(["red", 19.95]))
    );
    assert_eq!(
        sel("$.store.book[*].isbn", store()),
        Some(json!(["0-553", "0-395"]))
    );
    assert_eq!(sel("$.nothing[*]", store()), Some(json!([])));
    assert_eq!(
        sel("$..price", store()),
        Some(json!([8.95, 12.99, 8.99, 22.99, 19.95]))
    );
    assert_eq!(sel("$..isbn", store()), Some(json!(["0-553", "0-395"])));
    assert_eq!(sel("$..book[2].title", store()), Some(json!(["Moby Dick"])));
    assert_eq!(
        sel("$..*", json!({"a": {"b": 1}})),
        Some(json!([{"b": 1}, 1]))
    );
}

#[test]
fn filter_results() {
    let titles = |f: &str| sel(&format!("$.store.book[?({f})].title"), store());
    assert_eq!(
        titles("@.price < 10"),
        Some(json!(["Sayings", "Moby Dick"]))
    );
    assert_eq!(titles("@.price <= 8.95"), Some(json!(["Sayings"])));
    assert_eq!(titles("@.price > 20"), Some(json!(["The Lord"])));
    assert_eq!(titles("@.price >= 22.99"), Some(json!(["The Lord"])));
    assert_eq!(titles("@.isbn"), Some(json!(["Moby Dick", "The Lord"])));
    assert_eq!(titles("!@.isbn"), Some(json!(["Sayings", "Sword"])));
    assert_eq!(
        titles("@.category == 'reference'"),
        Some(json!(["Sayings"]))
    );
    assert_eq!(titles("@.category != 'fiction'"), Some(json!(["Sayings"])));
    assert_eq!(
        titles("@.category == \"fiction\" && @.price < 10"),
        Some(json!(["Moby Dick"]))
    );
    assert_eq!(
        titles("@.price < 9 || @.price > 20"),
        Some(json!(["Sayings", "Moby Dick", "The Lord"]))
    );
    assert_eq!(
        titles("@.price < $.expensive"),
        Some(json!(["Sayings", "Moby Dick"]))
    );
    assert_eq!(titles("@.price == 'x'"), Some(json!([])));
    assert_eq!(titles("@.price < 'x'"), Some(json!([])));
    assert_eq!(titles("@.missing == null"), Some(json!([])));
    assert_eq!(
        sel("$[?(@.a == null)]", json!([{"a": null}, {"a": 1}])),
        Some(json!([{"a": null}]))
    );
    assert_eq!(
        sel(
            "$[?(@.a == true)].b",
            json!([{"a": true, "b": 1}, {"a": false, "b": 2}])
        ),
        Some(json!([1]))
    );
    assert_eq!(
        sel("$..[?(@.price > 19)].price", store()),
        Some(json!([22.99, 19.95]))
    );
    // AWS: `@` does not match scalar items.
    assert_eq!(sel("$[?(@ > 1)]", json!([1, 2, 3])), Some(json!([])));
    // A filter on an object tests the object itself.
    assert_eq!(
        sel("$.store.bicycle[?(@.color)].price", store()),
        Some(json!([19.95]))
    );
}

#[test]
fn context_paths_read_ctx() {
    let p = Path::parse("$$.Execution.Name").unwrap();
    let mut doc = Doc::new();
    let input = doc.import(&json!({"Execution": "wrong"}));
    let ctx = doc.import(&json!({"Execution": {"Name": "n1"}}));
    let got = p.select(&mut doc, input, ctx).unwrap();
    assert_eq!(doc.as_str(got), Some("n1"));
    let var = Path::parse("$v.x").unwrap();
    assert_eq!(var.select(&mut doc, input, ctx), None);
    let vv = doc.import(&json!({"x": 5}));
    let got = var.select_from(&mut doc, vv, input).unwrap();
    assert_eq!(doc.as_i64(got), Some(5));
}

#[test]
fn jayway_missing_causes() {
    let mut doc = Doc::new();
    let input = doc.import(&json!({"a": {"b": 1}}));
    let cause = |src: &str, doc: &Doc| Path::parse(src).unwrap().invalid_path_cause(doc, input);
    assert_eq!(
        cause("$.NoSuchInputPath", &doc),
        "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
    );
    assert_eq!(
        cause("$.no.such.result.path", &doc),
        "Invalid path '$.no.such.result.path' : Missing property in path $['no']"
    );
    assert_eq!(
        cause("$.a.x.y", &doc),
        "Invalid path '$.a.x.y' : Missing property in path $['a']['x']"
    );
    assert_eq!(
        cause("$.a.c", &doc),
        "Invalid path '$.a.c' : No results for path: $['a']['c']"
    );
}

#[test]
fn definite_select_allocates_nothing() {
    let p = Path::parse("$.store.book[2].isbn").unwrap();
    let mut doc = Doc::new();
    let input = doc.import(&store());
    let (nodes, bytes) = (doc.node_count(), doc.bytes());
    for _ in 0..100 {
        assert!(p.select(&mut doc, input, Doc::EMPTY_OBJECT).is_some());
    }
    assert_eq!((doc.node_count(), doc.bytes()), (nodes, bytes));
}
