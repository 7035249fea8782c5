//! Throughput of Stampede on one workload, printed as one JSON line in the
//! shape of the peers' `bench.mjs`, so `bench/compare` can set them side by side.
//!
//! ```text
//! stampede-bench WORKLOAD_DIR N [--threads T] [--seconds S] [--warmup W] [--label X] [--history]
//! ```
//!
//! `--history` records every execution's history (`RunOptions::history`)
//! and adds the events per execution and the bytes each event holds.
//!
//! `WORKLOAD_DIR` holds `definition.json` and `input.json`. Runs `N`
//! executions of the input as one batch on a runtime of `T` worker threads
//! (default: every core); with `--seconds S`, repeats batches of `N` until `S`
//! seconds have passed. `W` untimed executions run first (default `N/10`, at
//! most 10,000). Transitions are the engine's count (states entered, retries
//! included).
use anyhow::{bail, Context, Result};
use bench::Workload;
use stampede::{BatchOptions, Machine, RunOptions, Runtime, Status};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: stampede-bench WORKLOAD_DIR N [--threads T] [--seconds S] [--warmup W] [--label X] [--history]";

struct Args {
    dir: PathBuf,
    n: u64,
    threads: usize,
    seconds: f64,
    warmup: Option<u64>,
    label: Option<String>,
    history: bool,
}

fn args() -> Result<Args> {
    let mut pos = Vec::new();
    let mut a = Args {
        dir: PathBuf::new(),
        n: 0,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        seconds: 0.0,
        warmup: None,
        label: None,
        history: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .with_context(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--threads" => a.threads = value("--threads")?.parse().context("--threads")?,
            "--seconds" => a.seconds = value("--seconds")?.parse().context("--seconds")?,
            "--warmup" => a.warmup = Some(value("--warmup")?.parse().context("--warmup")?),
            "--label" => a.label = Some(value("--label")?),
            "--history" => a.history = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ if arg.starts_with("--") => bail!("unknown option {arg}\n{USAGE}"),
            _ => pos.push(arg),
        }
    }
    let [dir, n] = &pos[..] else {
        bail!("{USAGE}");
    };
    a.dir = dir.into();
    a.n = n
        .parse()
        .with_context(|| format!("N must be a count, not {n:?}"))?;
    if a.n == 0 || a.threads == 0 {
        bail!("N and --threads must be at least 1");
    }
    Ok(a)
}

#[derive(Default)]
struct Tally {
    executions: u64,
    transitions: u64,
    succeeded: u64,
    failed: u64,
    other: u64,
    /// With `--history`: events recorded, and the bytes their histories held.
    events: u64,
    history_bytes: u64,
}

fn run(rt: &Runtime, m: &Machine, input: &Arc<str>, n: u64, history: bool, tally: &mut Tally) {
    let opts = BatchOptions {
        run: RunOptions {
            history,
            ..RunOptions::default()
        },
        ..BatchOptions::default()
    };
    let inputs = std::iter::repeat_n(input.clone(), n as usize);
    rt.run_batch(m, inputs, &opts, |_, o| {
        tally.executions += 1;
        tally.transitions += o.transitions;
        if let Some(h) = &o.history {
            tally.events += h.len() as u64;
            tally.history_bytes += h.bytes_held() as u64;
        }
        match o.status {
            Status::Succeeded => tally.succeeded += 1,
            Status::Failed => tally.failed += 1,
            _ => tally.other += 1,
        }
    });
}

/// Peak resident set size of this process (`VmHWM`), in MiB; 0 where unknown.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() -> ExitCode {
    match run_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stampede-bench: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_main() -> Result<()> {
    let a = args()?;
    let w = Workload::load_from(&a.dir)?;
    let machine = bench::engine()
        .compile(&w.definition)
        .map_err(|d| anyhow::anyhow!("{}: invalid definition: {d:?}", a.dir.display()))?;
    let input: Arc<str> = w.input.as_str().into();
    machine
        .run_text(&input, &RunOptions::default())
        .with_context(|| format!("{}: input.json is not JSON", a.dir.display()))?;
    let rt = Runtime::builder().threads(a.threads).build();

    let warmup = a.warmup.unwrap_or((a.n / 10).min(10_000));
    if warmup > 0 {
        run(
            &rt,
            &machine,
            &input,
            warmup,
            a.history,
            &mut Tally::default(),
        );
    }
    let mut t = Tally::default();
    let t0 = Instant::now();
    loop {
        run(&rt, &machine, &input, a.n, a.history, &mut t);
        if t0.elapsed().as_secs_f64() >= a.seconds {
            break;
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let mut out = serde_json::json!({
        "engine": "stampede",
        "label": a.label.unwrap_or(w.name),
        "threads": a.threads,
        "executions": t.executions,
        "seconds": round3(secs),
        "exec_per_s": round1(t.executions as f64 / secs),
        "states_per_exec": round1(t.transitions as f64 / t.executions.max(1) as f64),
        "transitions_per_s": round1(t.transitions as f64 / secs),
        "peak_rss_mib": round1(peak_rss_mib()),
        "statuses": {"SUCCEEDED": t.succeeded, "FAILED": t.failed, "OTHER": t.other},
    });
    if a.history {
        out["history_events_per_exec"] =
            round1(t.events as f64 / t.executions.max(1) as f64).into();
        out["history_bytes_per_event"] =
            round1(t.history_bytes as f64 / t.events.max(1) as f64).into();
    }
    println!("{out}");
    Ok(())
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
