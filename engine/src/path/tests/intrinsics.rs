use super::run;
use crate::path::{Expr, Func};
use serde_json::{json, Value};

fn ok(expr: &str, input: Value) -> Value {
    run(expr, input).unwrap_or_else(|e| panic!("{expr}: {e:?}"))
}

/// The cause of an IntrinsicFailure.
fn fails(expr: &str, input: Value) -> String {
    match run(expr, input) {
        Err((e, c)) => {
            assert_eq!(e, "States.IntrinsicFailure", "{expr}: {c}");
            c
        }
        Ok(v) => panic!("{expr} gave {v}"),
    }
}

#[test]
fn format() {
    assert_eq!(
        ok("States.Format('a{}b{}', 1, 'x')", json!({})),
        json!("a1bx")
    );
    assert_eq!(
        ok("States.Format('{}', $.v)", json!({"v": null})),
        json!("null")
    );
    assert_eq!(
        ok("States.Format('{}', $.v)", json!({"v": true})),
        json!("true")
    );
    assert_eq!(
        ok("States.Format('{}', $.v)", json!({"v": 1.5})),
        json!("1.5")
    );
    assert_eq!(
        ok(
            "States.Format('{}', $.v)",
            json!({"v": {"Arg1": 1, "Arg2": [], "s": ["a", {"b": "c"}]}})
        ),
        json!("{Arg1=1, Arg2=[], s=[a, {b=c}]}")
    );
    assert_eq!(
        ok(r"States.Format('\{\} {} \\ it\'s', 1)", json!({})),
        json!(r"{} 1 \ it's")
    );
    assert_eq!(
        ok("States.Format($.t, $.n)", json!({"t": "Hi {}!", "n": "Bo"})),
        json!("Hi Bo!")
    );
    assert_eq!(ok("States.Format('plain')", json!({})), json!("plain"));
    fails("States.Format('{} {}', 1)", json!({}));
    fails("States.Format('{}', 1, 2)", json!({}));
    fails("States.Format($.t)", json!({"t": 3}));
}

#[test]
fn json_functions() {
    assert_eq!(
        ok("States.StringToJson($.s)", json!({"s": "{\"a\": [1, 2]}"})),
        json!({"a": [1, 2]})
    );
    assert_eq!(
        ok("States.StringToJson($.s)", json!({"s": "  "})),
        Value::Null
    );
    assert_eq!(ok("States.StringToJson('-0')", json!({})), json!(0));
    fails("States.StringToJson($.s)", json!({"s": "{nope"}));
    fails("States.StringToJson($.s)", json!({"s": 1}));
    assert_eq!(
        ok(
            "States.JsonToString($.o)",
            json!({"o": {"a": [1, "x"], "b": null}})
        ),
        json!("{\"a\":[1,\"x\"],\"b\":null}")
    );
    assert_eq!(
        ok("States.JsonToString($.o)", json!({"o": "s"})),
        json!("\"s\"")
    );
    assert_eq!(
        ok(
            "States.JsonMerge($.a, $.b, false)",
            json!({"a": {"x": 1, "y": {"p": 1}}, "b": {"y": {"q": 2}, "z": 3}})
        ),
        json!({"x": 1, "y": {"q": 2}, "z": 3})
    );
    assert!(fails("States.JsonMerge($.a, $.a, true)", json!({"a": {}})).contains("shallow"));
    fails(
        "States.JsonMerge($.a, $.b, false)",
        json!({"a": {}, "b": [1]}),
    );
    fails("States.JsonMerge($.a, $.a, 'false')", json!({"a": {}}));
}

#[test]
fn arrays() {
    assert_eq!(ok("States.Array()", json!({})), json!([]));
    assert_eq!(
        ok(
            "States.Array(1, 'a', null, true, $.o, 1.5)",
            json!({"o": {"k": 1}})
        ),
        json!([1, "a", null, true, {"k": 1}, 1.5])
    );
    assert_eq!(
        ok(
            "States.ArrayPartition($.a, 4)",
            json!({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]})
        ),
        json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]])
    );
    assert_eq!(
        ok("States.ArrayPartition($.a, 2)", json!({"a": []})),
        json!([])
    );
    fails("States.ArrayPartition($.a, 0)", json!({"a": [1]}));
    fails("States.ArrayPartition($.a, 1.5)", json!({"a": [1]}));
    fails("States.ArrayPartition($.a, 1)", json!({"a": "x"}));
    assert_eq!(
        ok(
            "States.ArrayContains($.a, $.v)",
            json!({"a": [1, {"b": [2]}], "v": {"b": [2.0]}})
        ),
        json!(true)
    );
    assert_eq!(
        ok("States.ArrayContains($.a, 3)", json!({"a": [1, 2]})),
        json!(false)
    );
    fails("States.ArrayContains($.a, 3)", json!({"a": {}}));
    assert_eq!(
        ok("States.ArrayRange(1, 9, 2)", json!({})),
        json!([1, 3, 5, 7, 9])
    );
    assert_eq!(
        ok("States.ArrayRange(5, 1, -2)", json!({})),
        json!([5, 3, 1])
    );
    assert_eq!(ok("States.ArrayRange(5, 1, 1)", json!({})), json!([]));
    assert_eq!(
        ok("States.ArrayRange(0, 999, 1)", json!({}))
            .as_array()
            .map(Vec::len),
        Some(1000)
    );
    assert!(fails("States.ArrayRange(0, 1000, 1)", json!({})).contains("1001"));
    fails("States.ArrayRange(0, 10, 0)", json!({}));
    fails("States.ArrayRange(0, 'a', 1)", json!({}));
    assert_eq!(
        ok("States.ArrayGetItem($.a, 1)", json!({"a": [7, 8]})),
        json!(8)
    );
    assert!(fails("States.ArrayGetItem($.a, 2)", json!({"a": [7, 8]})).contains("out of bounds"));
    fails("States.ArrayGetItem($.a, -1)", json!({"a": [7, 8]}));
    assert_eq!(
        ok("States.ArrayLength($.a)", json!({"a": [1, 2, 3]})),
        json!(3)
    );
    fails("States.ArrayLength($.a)", json!({"a": "abc"}));
    assert_eq!(
        ok(
            "States.ArrayUnique($.a)",
            json!({"a": [1, 1.0, 2, "1", null, null, [1], [1], {"a": 1}, {"a": 1}]})
        ),
        json!([1, 2, "1", null, [1], {"a": 1}])
    );
    fails("States.ArrayUnique($.a)", json!({"a": 1}));
}

#[test]
fn encoding_and_hash() {
    assert_eq!(
        ok("States.Base64Encode('Data to encode')", json!({})),
        json!("RGF0YSB0byBlbmNvZGU=")
    );
    assert_eq!(
        ok("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", json!({})),
        json!("Data to encode")
    );
    assert_eq!(ok("States.Base64Encode('Ж')", json!({})), json!("0JY="));
    fails("States.Base64Decode('***')", json!({}));
    fails("States.Base64Encode($.n)", json!({"n": 1}));
    let long = "a".repeat(10_001);
    assert!(fails("States.Base64Encode($.s)", json!({"s": long})).contains("10000"));
    assert_eq!(
        ok("States.Base64Encode($.s)", json!({"s": "a".repeat(10_000)}))
            .as_str()
            .map(str::len),
        Some(13336)
    );
    assert_eq!(
        ok("States.Hash('input data', 'MD5')", json!({})),
        json!("812f45842bc6d66ee14572ce20db8e86")
    );
    assert_eq!(
        ok("States.Hash('input data', 'SHA-1')", json!({})),
        json!("aaff4a450a104cd177d28d18d74485e8cae074b7")
    );
    assert_eq!(
        ok("States.Hash('input data', 'SHA-256')", json!({})),
        json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")
    );
    assert_eq!(
        ok("States.Hash('input data', 'SHA-384')", json!({}))
            .as_str()
            .map(str::len),
        Some(96)
    );
    assert_eq!(
        ok("States.Hash('input data', 'SHA-512')", json!({}))
            .as_str()
            .map(str::len),
        Some(128)
    );
    assert!(fails("States.Hash('x', 'SHA-3')", json!({})).contains("SHA-3"));
    fails("States.Hash($.s, 'MD5')", json!({"s": "a".repeat(10_001)}));
}

#[test]
fn math() {
    assert_eq!(ok("States.MathAdd(1, -3)", json!({})), json!(-2));
    assert_eq!(
        ok("States.MathAdd($.a, $.b)", json!({"a": 1.5, "b": -1.5})),
        json!(1)
    );
    assert_eq!(ok("States.MathAdd($.a, 0)", json!({"a": -2.5})), json!(-2));
    assert_eq!(ok("States.MathAdd($.a, 0)", json!({"a": 2.5})), json!(3));
    fails("States.MathAdd('1', 2)", json!({}));
    fails(
        "States.MathAdd($.a, 1)",
        json!({"a": 9_223_372_036_854_775_807_i64}),
    );
    for _ in 0..3 {
        let v = ok("States.MathRandom(1, 3)", json!({})).as_i64().unwrap();
        assert!((1..=3).contains(&v));
    }
    let a = ok("States.MathRandom(0, 1000000, 7)", json!({}));
    assert_eq!(a, ok("States.MathRandom(0, 1000000, 7)", json!({})));
    assert_ne!(a, ok("States.MathRandom(0, 1000000, 8)", json!({})));
    assert_eq!(ok("States.MathRandom(12.5, 12.9)", json!({})), json!(12));
    fails("States.MathRandom(5, 1)", json!({}));
    fails("States.MathRandom('a', 1)", json!({}));
    let u = ok("States.UUID()", json!({}));
    let u = u.as_str().unwrap();
    assert_eq!(u.len(), 36);
    assert_eq!(&u[14..15], "4");
    assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    assert_eq!(u.matches('-').count(), 4);
}

#[test]
fn string_split() {
    assert_eq!(
        ok("States.StringSplit('a,b,,c', ',')", json!({})),
        json!(["a", "b", "c"])
    );
    assert_eq!(
        ok(
            "States.StringSplit($.s, '.+,=')",
            json!({"s": "This.is+a,test=string"})
        ),
        json!(["This", "is", "a", "test", "string"])
    );
    assert_eq!(ok("States.StringSplit(',,,', ',')", json!({})), json!([]));
    assert_eq!(
        ok("States.StringSplit('abc', '')", json!({})),
        json!(["abc"])
    );
    fails("States.StringSplit(1, ',')", json!({}));
    fails("States.StringSplit('a', 1)", json!({}));
}

#[test]
fn nesting_and_arguments() {
    assert_eq!(
        ok("States.ArrayGetItem(States.StringSplit($.n, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.n, '-')), -1))", json!({"n": "a-b-c"})),
        json!("c")
    );
    assert_eq!(ok("States.Array( 1 ,  'a' )", json!({})), json!([1, "a"]));
    assert_eq!(ok("States.Array($)", json!({"k": 1})), json!([{"k": 1}]));
    assert_eq!(
        ok("States.Array($.a[*].b)", json!({"a": [{"b": 1}, {"b": 2}]})),
        json!([[1, 2]])
    );
    assert_eq!(ok("States.Array($['a b'])", json!({"a b": 1})), json!([1]));
    assert_eq!(
        ok("States.Array(1e2, -0.5)", json!({})),
        json!([100.0, -0.5])
    );
    let (e, c) = run("States.Array($.missing)", json!({"a": 1})).unwrap_err();
    assert_eq!(e, "States.Runtime");
    assert_eq!(c, "The JSONPath '$.missing' specified for the field 'f.$' could not be found in the input '{\"a\":1}'");
}

#[test]
fn parse_errors() {
    let cases: [(&str, usize); 9] = [
        ("States.Nope()", 0),
        ("States.UUID(1)", 0),
        ("States.ArrayLength()", 0),
        ("States.MathAdd(1, States.Hash('a'))", 18),
        ("States.Format('x'", 17),
        ("States.Format('x) ", 14),
        ("States.Format('\\n')", 15),
        ("States.Array(1) x", 16),
        ("States.Array(,)", 13),
    ];
    for (src, offset) in cases {
        let e = Expr::parse(src).expect_err(src);
        assert_eq!(e.offset, offset, "{src}: {e}");
    }
    assert_eq!(Func::from_name("States.UUID"), Some(Func::Uuid));
    assert_eq!(Func::MathRandom.arity(), (2, 3));
    let Ok(Expr::Call(c)) = Expr::parse("States.MathRandom(1, 2, 3)") else {
        panic!()
    };
    assert_eq!(c.func(), Func::MathRandom);
}

/// The calls validation accepts (formerly `asl::intrinsic`'s own grammar).
#[test]
fn good_calls() {
    for ok in [
        "States.UUID()",
        "States.Format('Hello {}', $.name)",
        "States.Format('a \\' b \\{ \\} \\\\', $$.Execution.Id)",
        "States.Array(1, -2.5e3, null, true, 'x', $.a[0], States.UUID())",
        "States.MathAdd($.a, $.b)",
        "States.JsonMerge($.a, $.b, false)",
        "States.StringToJson($['weird,key'])",
        "States.Format('{}', $varName)",
    ] {
        assert!(Expr::parse(ok).is_ok(), "{ok}: {:?}", Expr::parse(ok).err());
    }
    let deep = format!("{}1{}", "States.Array(".repeat(64), ")".repeat(64));
    assert!(Expr::parse(&deep).is_ok());
}

/// The calls validation rejects, with the ASL grammar's own limits: no
/// `+1` or `.5` numbers, at most 64 nested calls.
#[test]
fn bad_calls() {
    for bad in [
        "States.StringToJson('{\"text\":\"An \\\"x\\\" here\"}')",
        "States.Format('He said, \\\"Hello\\\"')",
        "States.Nope()",
        "States.Format('x'",
        "States.Format('x') extra",
        "States.Format(,)",
        "States.Format('unterminated)",
        "States.Array(+1)",
        "States.Array(.5)",
    ] {
        assert!(Expr::parse(bad).is_err(), "{bad}");
    }
    let deep = format!("{}1{}", "States.Array(".repeat(65), ")".repeat(65));
    assert_eq!(Expr::parse(&deep).unwrap_err().offset, 64 * 13);
}
