//! Differences from jsonata-js 2.0.6 that the differential test (`diff/`)
//! found, each pinned after its fix.

use super::eval_str;

fn ok(expr: &str, data: &str) -> String {
    eval_str(expr, data).expect("a value")
}

/// `$formatBase` rounds half to even, like `$round` (diff seed 3650).
#[test]
fn format_base_rounds_half_to_even() {
    assert_eq!(ok("$formatBase(0.5, 2)", ""), "\"0\"");
    assert_eq!(ok("$formatBase(1.5, 2)", ""), "\"10\"");
    assert_eq!(ok("$formatBase(2.5, 2)", ""), "\"10\"");
    assert_eq!(ok("$formatBase(-2.5, 10)", ""), "\"-2\"");
}

/// A transform takes an object or an array (`<(oa):o>`): anything else is
/// T0410, undefined stays undefined (diff seeds 1053638, 1199964).
#[test]
fn transform_checks_its_argument() {
    assert_eq!(eval_str("false ~> |$|{}|", ""), Err("T0410".into()));
    assert_eq!(eval_str("\"s\" & \"t\" ~> |$|{}|", ""), Err("T0410".into()));
    assert_eq!(
        eval_str("($t := |$|{\"a\":1}|; $t(5))", ""),
        Err("T0410".into())
    );
    assert_eq!(ok("nothing ~> |$|{}|", "{}"), "undefined");
    assert_eq!(ok("$ ~> |$|{\"a\":1}|", "{\"b\":2}"), "{\"b\":2,\"a\":1}");
    // `=` and `~>` bind alike, left to right: `(1 = 2) ~> |…|`.
    assert_eq!(eval_str("1 = 2 ~> |$|{}|", ""), Err("T0410".into()));
}

/// `$merge` onto an object of the input shares it (the fast path) with the
/// same result as the general path: later keys win in place, new keys are
/// appended in order, and a merge of constructed objects still works.
#[test]
fn merge_onto_an_input_object() {
    let doc = r#"{"a":1,"b":{"c":2},"d":[3]}"#;
    assert_eq!(
        super::eval_str("$merge([$, {'b': 5, 'e': 'x'}, {'a': 0}])", doc),
        Ok(r#"{"a":0,"b":5,"d":[3],"e":"x"}"#.into())
    );
    assert_eq!(
        super::eval_str("$merge([b, {'z': d}])", doc),
        Ok(r#"{"c":2,"z":[3]}"#.into())
    );
    assert_eq!(
        super::eval_str("$merge([{'p': 1}, $])", doc),
        Ok(r#"{"p":1,"a":1,"b":{"c":2},"d":[3]}"#.into())
    );
    assert_eq!(
        super::eval_str("$merge([$, {'f': function(){1}}])", doc),
        Ok(r#"{"a":1,"b":{"c":2},"d":[3]}"#.into())
    );
}

/// The fast path for plain names over an array (`items.price`) leaves array
/// fields to the general path: `[]` stays `[]` (diff seed 2117, during the
/// speed work).
#[test]
fn plain_path_over_arrays() {
    let d = r#"{"items":[{"p":1,"t":[]},{"p":2},{"q":3},{"p":4,"t":["a"]}]}"#;
    assert_eq!(ok("items.p", d), "[1,2,4]");
    assert_eq!(ok("items[0].t", d), "[]");
    assert_eq!(ok("items.t", d), "\"a\"");
    assert_eq!(ok("items.x", d), "undefined");
    let one = r#"{"items":[{"p":1,"t":[]}]}"#;
    assert_eq!(ok("items.p", one), "1");
    assert_eq!(ok("items.t", one), "[]");
}

/// `x = "literal"` compares in place (speed work); the same answers as
/// jsonata-js, undefined equal to nothing and different from nothing.
#[test]
fn string_literal_equality() {
    let d = r#"{"s":"a","xs":["a"],"o":[{"k":"a"},{"k":"b"},{"k":1}]}"#;
    for (e, want) in [
        ("nothing = \"a\"", "false"),
        ("nothing != \"a\"", "false"),
        ("1 = \"1\"", "false"),
        ("s != \"a\"", "false"),
        ("s = \"a\"", "true"),
        ("xs = \"a\"", "false"),
        ("xs[0] = \"a\"", "true"),
        ("o[k = \"a\"]", "{\"k\":\"a\"}"),
        ("o[k != \"a\"].k", "[\"b\",1]"),
        ("$count(o[k = \"b\"])", "1"),
    ] {
        assert_eq!(ok(e, d), want, "{e}");
    }
}

/// Object constructors with distinct literal keys skip grouping (speed
/// work); undefined members drop, duplicates and arrays keep the general path.
#[test]
fn literal_object_constructor() {
    let d = r#"{"id":"c","items":[{"p":1},{"p":2}]}"#;
    assert_eq!(
        ok(r#"{"id": id, "t": $sum(items.p)}"#, d),
        r#"{"id":"c","t":3}"#
    );
    assert_eq!(ok(r#"{"id": id, "x": nothing}"#, d), r#"{"id":"c"}"#);
    assert_eq!(ok(r#"items.{"p": p}"#, d), r#"[{"p":1},{"p":2}]"#);
    assert_eq!(ok(r#"items{"p": p}"#, d), r#"{"p":[1,2]}"#);
    assert_eq!(eval_str(r#"{"a": 1, "a": 2}"#, d), Err("D1009".into()));
}

/// A predicate that is an array of numbers selects an item once per matching
/// index, as jsonata-js does (diff seed 1335630).
#[test]
fn numeric_array_predicate_repeats() {
    let d = r#"{"nums":[5,6,7],"o":[{"k":5},{"k":6}]}"#;
    assert_eq!(ok("nums[[0,0]]", d), "[5,5]");
    assert_eq!(ok("nums[[0,1,0]]", d), "[5,5,6]");
    assert_eq!(ok("nums[[2,0]]", d), "[5,7]");
    assert_eq!(ok("o[[1,1]].k", d), "[6,6]");
}

/// The fast path for one `[field = literal]` filter (`fastpath.rs`) keeps
/// JSONata's rules: singletons unwrap, nothing matched is undefined, a
/// single object is filtered as a one-item array, `[]` keeps the array, and
/// anything beyond plain objects and scalars goes to the general path.
#[test]
fn equality_filter_fast_path() {
    let data = r#"{"orders":[{"id":1,"s":"open","n":2},{"id":2,"s":"closed","n":2.0},{"id":3,"s":"open"},{"s":"open"},{"id":5,"s":["open"]}],
                   "one":{"id":9,"s":"open"},"mixed":[{"id":1,"s":"open"},3]}"#;
    for (expr, want) in [
        ("orders[s='open'].id", "[1,3]"),
        ("orders[s='closed'].id", "2"),
        ("orders[s='none'].id", "undefined"),
        ("orders[s='closed']", r#"{"id":2,"s":"closed","n":2.0}"#),
        ("orders[n=2].id", "[1,2]"),
        ("orders[s=true].id", "undefined"),
        ("orders[s='closed'].id[]", "[2]"),
        ("one[s='open'].id", "9"),
        ("one[s='shut'].id", "undefined"),
        ("mixed[s='open'].id", "1"),
        ("$count(orders[s='open'])", "3"),
        ("orders[id=1].s", r#""open""#),
        ("orders[s='open'].missing", "undefined"),
    ] {
        assert_eq!(eval_str(expr, data), Ok(want.to_string()), "{expr}");
    }
}
