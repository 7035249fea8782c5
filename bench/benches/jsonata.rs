//! JSONata evaluation: Stampede's evaluator against `jsonata-core` (a peer
//! Rust engine, a dev-dependency of this crate only) on four typical
//! expressions over one ~300-byte document, in one run.
//!
//! - `stampede`: the expression parsed once; the input parsed once into the
//!   arena [`Doc`], as in an execution; each evaluation writes its result into
//!   the document (counted). The document is reset and the input re-parsed
//!   every 1,024 evaluations, outside the timing, so it does not grow.
//! - `jsonata-core`: `Expression::compile` once; the input converted to its
//!   `JValue` once, outside the loop.
//! - `jsonata-core+convert`: the same, with the input converted from the
//!   arena document to `JValue` in every evaluation: what an engine that keeps
//!   its JSON in another type (as Stampede does) would pay.
//!
//! `cargo bench -p bench --bench jsonata`; figures in `bench/README.md`.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use jsonata_core::value::JValue;
use stampede::__jsonata_bench::Compiled;
use stampede::handlers::{Doc, Ref, Val};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The allocator the binaries use, for both engines.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The input document (about 300 bytes).
const INPUT: &str = r#"{"id":"c-42","first":"ada","last":"Lovelace","orders":[{"id":1,"status":"open","total":12.5},{"id":2,"status":"closed","total":3},{"id":3,"status":"open","total":7.25}],"items":[{"name":"pen","price":1.5,"qty":4},{"name":"book","price":12,"qty":1},{"name":"ink","price":3.25,"qty":2}]}"#;

/// (name, expression, expected result as JSON text).
const CASES: &[(&str, &str, &str)] = &[
    ("path_predicate", "orders[status='open'].id", "[1,3]"),
    ("sum_mapped", "$sum(items.(price*qty))", "24.5"),
    (
        "object_constructor",
        r#"{"id": id, "total": $sum(items.price)}"#,
        r#"{"id":"c-42","total":16.75}"#,
    ),
    (
        "concat_uppercase",
        r#"$uppercase(first) & " " & last"#,
        r#""ADA Lovelace""#,
    ),
];

/// The arena value `v` as a `jsonata-core` value.
fn to_jvalue(doc: &Doc, v: Val) -> JValue {
    match doc.get(v) {
        Ref::Null => JValue::Null,
        Ref::Bool(b) => JValue::Bool(b),
        Ref::Int(i) => JValue::from(i),
        Ref::Float(f) => JValue::from(f),
        Ref::Str(s) => JValue::from(s),
        Ref::Array(items) => {
            JValue::from(items.iter().map(|x| to_jvalue(doc, *x)).collect::<Vec<_>>())
        }
        Ref::Object(o) => JValue::from(
            o.iter()
                .map(|(k, x)| (k.to_string(), to_jvalue(doc, x)))
                .collect::<indexmap::IndexMap<_, _>>(),
        ),
    }
}

/// Evaluations between document resets.
const CHUNK: u64 = 1024;

fn ours(c: &mut Criterion) {
    let mut g = c.benchmark_group("jsonata");
    g.throughput(Throughput::Elements(1));
    for (name, src, want) in CASES {
        let e = Compiled::parse(src).expect("valid expression");
        let mut doc = Doc::new();
        let input = doc.parse(INPUT).expect("valid JSON");
        let r = e
            .evaluate(&mut doc, input)
            .expect("evaluates")
            .expect("a value");
        assert_eq!(doc.to_json(r), *want, "stampede on {src}");
        g.bench_function(format!("stampede/{name}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut done = 0;
                while done < iters {
                    doc.reset();
                    let input = doc.parse(INPUT).expect("valid JSON");
                    let n = CHUNK.min(iters - done);
                    let t = Instant::now();
                    for _ in 0..n {
                        black_box(e.evaluate(&mut doc, black_box(input)).expect("evaluates"));
                    }
                    total += t.elapsed();
                    done += n;
                }
                total
            })
        });

        doc.reset();
        let input = doc.parse(INPUT).expect("valid JSON");
        let peer = jsonata_core::Expression::compile(src).expect("valid expression");
        let data = to_jvalue(&doc, input);
        let r = peer.evaluate(&data).expect("evaluates");
        let got: serde_json::Value =
            serde_json::from_str(&r.to_json_string().expect("JSON")).expect("JSON");
        let want_json: serde_json::Value = serde_json::from_str(want).expect("JSON");
        assert_eq!(got, want_json, "jsonata-core on {src}");
        g.bench_function(format!("jsonata-core/{name}"), |b| {
            b.iter(|| peer.evaluate(black_box(&data)).expect("evaluates"))
        });
        g.bench_function(format!("jsonata-core+convert/{name}"), |b| {
            b.iter(|| {
                let data = to_jvalue(&doc, black_box(input));
                peer.evaluate(&data).expect("evaluates")
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = ours
}
criterion_main!(benches);
