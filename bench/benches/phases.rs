//! Criterion benchmarks grouped by pipeline phase, as wasmi groups its own:
//!
//! - `parse`: definition text → validated ASL model (`asl::parse`);
//! - `compile`: definition text → runnable machine (`Engine::compile`, parse included);
//! - `execute`: one execution at a time on the calling thread (`Machine::run_text`),
//!   and the JSONata twins of `pass10` and `choice_loop` (`bench/workloads/`);
//! - `runtime`: batches of executions on the work-stealing runtime, on one
//!   thread and on every core;
//! - `baseline`: `pass10` by the engine and by hand-written Rust on
//!   `serde_json` and on the engine's own `Doc` (the gap to the latter is
//!   the interpretation overhead);
//! - `history`: one execution with history off and on, throughput in history
//!   events (the difference per event is what recording costs).
//!
//! Inputs are the peers' workloads in `shared/peers/workloads`, so the numbers
//! compare with `bench/compare`. Throughput is in executions (or definitions).
use bench::{baseline, engine, Workload};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use stampede::{BatchOptions, RunOptions, Runtime, Status};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

/// The allocator the binaries use (DESIGN.md), for the engine and the baseline alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(1));
    for w in Workload::all() {
        g.bench_function(&w.name, |b| {
            b.iter(|| {
                stampede::Definition::parse(
                    black_box(&w.definition),
                    stampede::MachineType::Standard,
                )
                .expect("valid definition")
            })
        });
    }
    g.finish();
}

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    g.throughput(Throughput::Elements(1));
    let e = engine();
    for w in Workload::all() {
        g.bench_function(&w.name, |b| {
            b.iter(|| {
                e.compile(black_box(&w.definition))
                    .expect("valid definition")
            })
        });
    }
    g.finish();
}

fn execute(c: &mut Criterion) {
    let mut g = c.benchmark_group("execute");
    g.throughput(Throughput::Elements(1));
    let opts = RunOptions::default();
    for w in Workload::all() {
        let m = engine().compile(&w.definition).expect("valid definition");
        let first = m.run_text(&w.input, &opts).expect("JSON input");
        assert_eq!(first.status, Status::Succeeded, "{}: {first:?}", w.name);
        g.bench_function(&w.name, |b| {
            b.iter(|| m.run_text(black_box(&w.input), &opts).expect("JSON input"))
        });
    }
    // The same edits in JSONata, beside their JSONPath twins.
    for (w, _) in Workload::twins() {
        let m = engine().compile(&w.definition).expect("valid definition");
        g.bench_function(&w.name, |b| {
            b.iter(|| m.run_text(black_box(&w.input), &opts).expect("JSON input"))
        });
    }
    g.finish();
}

/// Executions per `run_batch` call: enough to keep every worker busy, few
/// enough that a sample of `map100` (10,200 states each) stays short.
fn batch_size(w: &Workload) -> u64 {
    if w.name == "map100" {
        1_000
    } else {
        10_000
    }
}

fn runtime(c: &mut Criterion) {
    let mut g = c.benchmark_group("runtime");
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let opts = BatchOptions {
        run: RunOptions::default(),
        ..BatchOptions::default()
    };
    let mut threads = vec![1];
    if cores > 1 {
        threads.push(cores);
    }
    for &t in &threads {
        let rt = Runtime::builder().threads(t).build();
        for w in Workload::all() {
            let m = engine().compile(&w.definition).expect("valid definition");
            let input: Arc<str> = w.input.as_str().into();
            let n = batch_size(&w);
            g.throughput(Throughput::Elements(n));
            g.bench_with_input(BenchmarkId::new(&w.name, format!("{t}t")), &n, |b, &n| {
                b.iter(|| {
                    let mut failed = 0u64;
                    let ran = rt.run_batch(
                        &m,
                        std::iter::repeat_n(input.clone(), n as usize),
                        &opts,
                        |_, o| failed += u64::from(o.status != Status::Succeeded),
                    );
                    assert_eq!((ran, failed), (n, 0), "{}", w.name);
                })
            });
        }
    }
    g.finish();
}

fn baseline(c: &mut Criterion) {
    let mut g = c.benchmark_group("baseline");
    g.throughput(Throughput::Elements(1));
    let w = Workload::all().swap_remove(0);
    assert_eq!(w.name, "pass10");
    let m = engine().compile(&w.definition).expect("valid definition");
    let opts = RunOptions::default();
    g.bench_function("pass10/hand_written", |b| {
        b.iter(|| baseline::pass10(black_box(&w.input)).expect("pass10 input"))
    });
    // The same edits by hand on the engine's `Doc` (reused, as the engine
    // reuses its documents): the fastest representation available.
    let mut doc = stampede::handlers::Doc::new();
    g.bench_function("pass10/hand_written_doc", |b| {
        b.iter(|| bench::baseline_doc::pass10(&mut doc, black_box(&w.input)).expect("pass10 input"))
    });
    g.bench_function("pass10/engine", |b| {
        b.iter(|| m.run_text(black_box(&w.input), &opts).expect("JSON input"))
    });
    g.finish();
}

fn history(c: &mut Criterion) {
    let mut g = c.benchmark_group("history");
    for w in Workload::all()
        .into_iter()
        .filter(|w| w.name == "pass10" || w.name == "task_retry")
    {
        let m = engine().compile(&w.definition).expect("valid definition");
        let on = RunOptions {
            history: true,
            ..RunOptions::default()
        };
        let first = m.run_text(&w.input, &on).expect("JSON input");
        let events = first.history.as_ref().map_or(0, |h| h.len() as u64);
        assert_eq!(events, first.events, "{}", w.name);
        g.throughput(Throughput::Elements(events));
        for (mode, opts) in [("off", RunOptions::default()), ("on", on)] {
            g.bench_function(format!("{}/{mode}", w.name), |b| {
                b.iter(|| m.run_text(black_box(&w.input), &opts).expect("JSON input"))
            });
        }
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = phases;
    config = config();
    targets = parse, compile, execute, runtime, baseline, history
}
criterion_main!(phases);
