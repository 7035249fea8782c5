//! The design card's crates, measured where they would apply (bench/README.md
//! keeps the figures and the decisions):
//!
//! - `parse_input`: JSON text into the engine's arena `Doc` — the engine's
//!   own parser (`Doc::parse`: a serde_json visitor straight into the arena)
//!   against simd-json (text → borrowed value → `Doc`), on the workloads'
//!   inputs and on a JSON Lines batch (a Distributed Map's reader, `run
//!   --inputs`);
//! - `parse_definition`: definition text into a `serde_json::Value` (what
//!   `asl::parse` reads), serde_json against simd-json's serde support;
//! - `scratch`: per-step scratch in the VM — the engine's reused
//!   thread-local vectors against a bumpalo arena reset after each step, on
//!   the shape of a template evaluation (gather a few members, copy them out).
//!
//! rayon (sweeps, the parallel simulation) is measured by the simulation's own work.
use bench::Workload;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use stampede::handlers::{Doc, Entry, Val};
use std::hint::black_box;
use std::time::Duration;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A simd-json borrowed value copied into `doc` (what adopting simd-json
/// for execution inputs would do).
fn simd_into_doc(doc: &mut Doc, v: &simd_json::BorrowedValue<'_>) -> Val {
    use simd_json::{BorrowedValue as B, StaticNode as S};
    match v {
        B::Static(S::Null) => Doc::NULL,
        B::Static(S::Bool(b)) => doc.bool(*b),
        B::Static(S::I64(i)) => doc.int(*i),
        B::Static(S::U64(u)) => match i64::try_from(*u) {
            Ok(i) => doc.int(i),
            Err(_) => doc.float(*u as f64),
        },
        B::Static(S::F64(f)) => doc.float(*f),
        B::String(s) => doc.str(s),
        B::Array(a) => {
            let items: Vec<Val> = a.iter().map(|x| simd_into_doc(doc, x)).collect();
            doc.array(&items)
        }
        B::Object(o) => {
            let entries: Vec<Entry> = o
                .iter()
                .map(|(k, x)| {
                    let val = simd_into_doc(doc, x);
                    Entry {
                        key: doc.key(k),
                        val,
                    }
                })
                .collect();
            doc.object(&entries)
        }
    }
}

/// One line of the batch: the ~200-byte document of `stampede-loadgen parked`.
fn jsonl_batch(lines: usize) -> Vec<String> {
    (0..lines)
        .map(|i| {
            format!(
                r#"{{"order":{{"id":"o-{i:06}","items":[1,2,3],"customer":{{"name":"Ann","tier":"gold"}},"total":42.5}},"pad":"{}"}}"#,
                "x".repeat(80)
            )
        })
        .collect()
}

fn parse_input(c: &mut Criterion) {
    let mut g = c.benchmark_group("crates/parse_input");
    let mut inputs: Vec<(String, Vec<String>)> = Workload::all()
        .into_iter()
        .map(|w| (w.name, vec![w.input]))
        .collect();
    inputs.push(("jsonl_1000".into(), jsonl_batch(1000)));
    // Both build the same document (checked before timing anything).
    for l in inputs.iter().flat_map(|(_, ls)| ls.iter().take(3)) {
        let (mut a, mut b) = (Doc::new(), Doc::new());
        let va = a.parse(l).expect("JSON");
        let mut buf = l.clone().into_bytes();
        let vb = simd_into_doc(
            &mut b,
            &simd_json::to_borrowed_value(&mut buf).expect("JSON"),
        );
        assert_eq!(a.to_json(va), b.to_json(vb));
    }
    for (name, lines) in &inputs {
        g.throughput(Throughput::Bytes(
            lines.iter().map(|l| l.len() as u64).sum(),
        ));
        let mut doc = Doc::new();
        g.bench_with_input(BenchmarkId::new("stampede", name), lines, |b, lines| {
            b.iter(|| {
                for l in lines {
                    doc.reset();
                    black_box(doc.parse(black_box(l)).expect("JSON"));
                }
            })
        });
        let mut buf = Vec::new();
        g.bench_with_input(BenchmarkId::new("simd_json", name), lines, |b, lines| {
            b.iter(|| {
                for l in lines {
                    doc.reset();
                    // simd-json parses in place: a copy of the shared input per parse.
                    buf.clear();
                    buf.extend_from_slice(l.as_bytes());
                    let v = simd_json::to_borrowed_value(&mut buf).expect("JSON");
                    black_box(simd_into_doc(&mut doc, &v));
                }
            })
        });
    }
    g.finish();
}

fn parse_definition(c: &mut Criterion) {
    let mut g = c.benchmark_group("crates/parse_definition");
    let mut defs: Vec<(String, String)> = Workload::all()
        .into_iter()
        .map(|w| (w.name, w.definition))
        .collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    if let Ok(t) = std::fs::read_to_string(root.join("checkout.asl.json")) {
        defs.push(("checkout".into(), t));
    }
    for (name, text) in &defs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("serde_json", name), text, |b, t| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(t)).expect("JSON"))
        });
        let mut buf = Vec::new();
        g.bench_with_input(BenchmarkId::new("simd_json", name), text, |b, t| {
            b.iter(|| {
                buf.clear();
                buf.extend_from_slice(t.as_bytes());
                simd_json::serde::from_slice::<serde_json::Value>(&mut buf).expect("JSON")
            })
        });
    }
    g.finish();
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<Entry>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// One "step": gather `n` members in scratch, then build the object from them.
fn step_vec(doc: &mut Doc, keys: &[&str]) -> Val {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        s.clear();
        for (i, k) in keys.iter().enumerate() {
            let val = doc.int(i as i64);
            let key = doc.key(k);
            s.push(Entry { key, val });
        }
        doc.object(&s)
    })
}

fn step_bump(bump: &mut bumpalo::Bump, doc: &mut Doc, keys: &[&str]) -> Val {
    let v = {
        let mut s = bumpalo::collections::Vec::new_in(&*bump);
        for (i, k) in keys.iter().enumerate() {
            let val = doc.int(i as i64);
            let key = doc.key(k);
            s.push(Entry { key, val });
        }
        doc.object(&s)
    };
    bump.reset();
    v
}

fn scratch(c: &mut Criterion) {
    let mut g = c.benchmark_group("crates/scratch");
    let keys = ["id", "tier", "first", "name", "msg", "len", "static"];
    g.throughput(Throughput::Elements(1));
    let mut doc = Doc::new();
    g.bench_function("thread_local_vec", |b| {
        b.iter(|| {
            if doc.node_count() > 1 << 16 {
                doc.reset();
            }
            step_vec(&mut doc, black_box(&keys))
        })
    });
    let mut bump = bumpalo::Bump::new();
    g.bench_function("bumpalo", |b| {
        b.iter(|| {
            if doc.node_count() > 1 << 16 {
                doc.reset();
            }
            step_bump(&mut bump, &mut doc, black_box(&keys))
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = crates;
    config = config();
    targets = parse_input, parse_definition, scratch
}
criterion_main!(crates);
