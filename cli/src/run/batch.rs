//! Batch mode of `run`: many executions of one definition on all cores
//! (their inputs: `inputs.rs`). Execution `i` gets the
//! seed `batch_seed(--seed, i)`, and all start at the same instant of the
//! virtual clock (`--start-time-ms`, default now), so outcomes do not
//! depend on the number of threads. A line that is not JSON does not stop
//! the batch: its execution fails with `States.Runtime` and a warning
//! names the line.

use super::args::{compile, options, Args};
use super::inputs::read_inputs;
use super::progress::Progress;
use super::sink::Sink;
use super::summary::Summary;
use super::warnings::Warnings;
use crate::input::{read_bytes, utf8};
use anyhow::{bail, Context, Result};
use stampede::runtime::prepare::now_ms;
use stampede::{BatchOptions, Input, Runtime};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Ctrl-C presses so far: the first stops starting executions (what ran is
/// still written and summed up), the second exits at once.
static INTERRUPTS: AtomicU32 = AtomicU32::new(0);

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let stdin_users = [
        Some(&args.definition),
        args.input.as_ref(),
        args.inputs.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter(|p| p.as_os_str() == "-")
    .count();
    if stdin_users > 1 {
        bail!("only one of the definition and the inputs can be read from stdin");
    }
    let definition = utf8(read_bytes(&args.definition)?, "the definition")?;
    let inputs = read_inputs(args)?;
    let Some(machine) = compile(args, &definition) else {
        return Ok(ExitCode::from(2));
    };
    let mut opts = BatchOptions {
        run: options(args),
        ..BatchOptions::default()
    };
    opts.run.start_time_ms.get_or_insert_with(now_ms);
    let mut builder = Runtime::builder();
    if let Some(t) = args.threads {
        builder = builder.threads(t.into());
    }
    let rt = builder.build();
    let mut sink = Sink::open(args.out.as_deref(), args.ordered)?;
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTS.fetch_add(1, Ordering::SeqCst) > 0 {
            std::process::exit(130);
        }
    });

    let progress = Progress::start(inputs.executions, !args.quiet);
    let mut summary = Summary::new();
    let mut warnings = Warnings::new(args.inputs.as_deref());
    let mut stopped = false;
    let started = Instant::now();
    let n = inputs.texts.len() as u64;
    let feed = (0..inputs.executions).map_while(|i| {
        (INTERRUPTS.load(Ordering::Relaxed) == 0)
            .then(|| Input::Shared(Arc::clone(&inputs.texts[(i % n) as usize])))
    });
    // The feeder runs on its own thread: tell it to stop through INTERRUPTS.
    rt.run_batch(&machine, feed, &opts, |index, outcome| {
        summary.add(&outcome);
        warnings.check(&outcome, inputs.lines[(index % n) as usize]);
        if !sink.push(index, &outcome) && !stopped {
            stopped = true;
            INTERRUPTS.fetch_add(1, Ordering::SeqCst);
        }
        progress.inc();
    });
    let wall = started.elapsed();
    progress.finish();
    drop(rt);
    let written = sink.finish();
    warnings.finish();

    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    if !args.quiet {
        eprint!("{}", summary.to_text(wall, threads));
    }
    if let Some(path) = &args.summary_json {
        let json = summary.to_json(wall, threads, args.seed);
        std::fs::write(path, format!("{json}\n"))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Err(e) = written {
        eprintln!("error: {e:#}");
        return Ok(ExitCode::from(1));
    }
    if !stopped && summary.executions() < inputs.executions {
        eprintln!(
            "interrupted: {} of {} executions ran",
            summary.executions(),
            inputs.executions
        );
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::SUCCESS)
}
