use crate::path::{CmpOp, Filter, Lit, Operand, Path, PathError, Root, Sel, Step};

fn steps(src: &str) -> Vec<Step> {
    Path::parse(src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
        .steps()
        .to_vec()
}

fn name(n: &str) -> Step {
    Step::Child(Sel::Name(n.into()))
}

fn err(src: &str) -> PathError {
    match Path::parse(src) {
        Ok(p) => panic!("{src} parsed as {:?}", p.steps()),
        Err(e) => e,
    }
}

#[test]
fn roots() {
    assert!(Path::parse("$").unwrap().is_root());
    let ctx = Path::parse("$$.Execution.Input").unwrap();
    assert!(ctx.is_context() && !ctx.is_root());
    assert_eq!(ctx.steps(), &[name("Execution"), name("Input")]);
    let var = Path::parse("$myVar.a").unwrap();
    assert_eq!(var.variable(), Some("myVar"));
    assert!(!var.is_context());
    assert!(Path::parse("$$").unwrap().is_context());
}

#[test]
fn dot_names() {
    assert_eq!(steps("$.error-info"), [name("error-info")]);
    assert_eq!(steps("$.&Ж中"), [name("&Ж中")]);
    assert_eq!(steps("$.store\\.book"), [name("store.book")]);
    assert_eq!(steps("$.\\stor\\e.boo\\k"), [name("store"), name("book")]);
    assert_eq!(
        steps("$.foo\\@bar.baz\\[\\[.\\?pretty"),
        [name("foo@bar"), name("baz[["), name("?pretty")]
    );
    assert_eq!(
        steps("$.&Ж中.\\uD800\\uDF46"),
        [name("&Ж中"), name("\u{10346}")]
    );
    assert_eq!(steps("$.a_b$c"), [name("a_b$c")]);
}

#[test]
fn brackets_and_indices() {
    assert_eq!(steps("$['a b']"), [name("a b")]);
    assert_eq!(steps("$.abc.['def ghi']"), [name("abc"), name("def ghi")]);
    assert_eq!(steps("$[\"x\"]"), [name("x")]);
    assert_eq!(steps("$['it\\'s']"), [name("it's")]);
    assert_eq!(steps("$['Test\\\"\"Name\"']"), [name("Test\\\"\"Name\"")]);
    assert_eq!(
        steps("$.ledgers[0][22][315].foo"),
        [
            name("ledgers"),
            Step::Child(Sel::Index(0)),
            Step::Child(Sel::Index(22)),
            Step::Child(Sel::Index(315)),
            name("foo")
        ]
    );
    assert_eq!(
        steps("$['store'][0]['book']")[1],
        Step::Child(Sel::Index(0))
    );
    assert_eq!(steps("$.a[-1]")[1], Step::Child(Sel::Index(-1)));
    assert_eq!(steps("$.a[ 2 ]")[1], Step::Child(Sel::Index(2)));
}

#[test]
fn indefinite_forms() {
    let cases: [(&str, Step); 9] = [
        ("$.a[*]", Step::Child(Sel::Wildcard)),
        ("$.a.*", Step::Child(Sel::Wildcard)),
        ("$.a[1:3]", Step::Child(Sel::Slice(Some(1), Some(3), None))),
        ("$.a[::2]", Step::Child(Sel::Slice(None, None, Some(2)))),
        ("$.a[-2:]", Step::Child(Sel::Slice(Some(-2), None, None))),
        ("$.a[0,1]", Step::Child(Sel::Indices([0, 1].into()))),
        (
            "$.a['b','c']",
            Step::Child(Sel::Names(["b".into(), "c".into()].into())),
        ),
        ("$.a..b", Step::Descend(Sel::Name("b".into()))),
        ("$.a..*", Step::Descend(Sel::Wildcard)),
    ];
    for (src, step) in cases {
        let p = Path::parse(src).unwrap();
        assert!(!p.is_definite(), "{src}");
        assert_eq!(p.steps()[1], step, "{src}");
    }
    assert!(Path::parse("$.a[0].b['c']").unwrap().is_definite());
}

#[test]
fn filters() {
    let s = steps("$.store.book[?(@.price < 10)]");
    let Step::Child(Sel::Filter(f)) = &s[2] else {
        panic!("{s:?}")
    };
    assert_eq!(
        **f,
        Filter::Cmp(
            Operand::Current([name("price")].into()),
            CmpOp::Lt,
            Operand::Lit(Lit::Num(10.0))
        )
    );
    let s = steps("$.b[?(@.isbn)]");
    let Step::Child(Sel::Filter(f)) = &s[1] else {
        panic!()
    };
    assert_eq!(**f, Filter::Exists(Operand::Current([name("isbn")].into())));
    let s = steps("$.b[?(@.a == 'x' && !(@.b >= 2) || @.c != null)]");
    let Step::Child(Sel::Filter(f)) = &s[1] else {
        panic!()
    };
    assert!(matches!(**f, Filter::Or(..)));
    for ok in [
        "$[?(@.a<=1)]",
        "$[?(@.a>1)]",
        "$[?(@.a==true)]",
        "$[?(@.a==\"s\")]",
        "$[?(@['x y'] == $.lim)]",
        "$..[?(@.price)]",
        "$[?(@.a==-1.5e2)]",
    ] {
        Path::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
}

#[test]
fn errors_carry_offsets() {
    let cases: [(&str, usize); 14] = [
        ("", 0),
        ("a.b", 0),
        ("$.", 2),
        ("$.a.", 4),
        ("$.a b", 3),
        ("$[", 2),
        ("$['a'", 5),
        ("$['a", 2),
        ("$[1:2:0]", 7),
        ("$.a[?(@.b <)]", 11),
        ("$.bar.length()", 12),
        ("$.a[?(@.b[*] > 1)]", 6),
        ("$.a[x]", 4),
        ("$.a\\", 4),
    ];
    for (src, offset) in cases {
        assert_eq!(err(src).offset, offset, "{src}: {}", err(src));
    }
}

#[test]
fn reference_paths() {
    assert!(Path::parse_reference("$.a.b[0]").is_ok());
    assert!(Path::parse_reference("$$.Execution.Input")
        .unwrap()
        .is_context());
    for (src, offset) in [
        ("$.a[*]", 3),
        ("$.a..b", 3),
        ("$.a[?(@.x)]", 3),
        ("$.a[0,1]", 3),
        ("$.x.*", 3),
    ] {
        let e = Path::parse_reference(src).unwrap_err();
        assert_eq!(e.offset, offset, "{src}");
    }
    assert_eq!(Path::parse_reference("$.a").unwrap().variable(), None);
    assert_eq!(Path::parse("$").unwrap().steps().len(), 0);
    assert_eq!(Path::parse("$$.a").unwrap().source(), "$$.a");
    assert_eq!(
        Path::parse("$.a").unwrap().steps(),
        &[Step::Child(Sel::Name("a".into()))]
    );
    let _ = Root::Input;
}
