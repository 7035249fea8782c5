//! Batch mode of `run`: many executions of one definition on all cores
//! (their inputs: `inputs.rs`). Execution `i` gets the seed
//! `batch_seed(--seed, i)`, and all start at the same instant of the
//! virtual clock (`--start-time-ms`, default now), so outcomes do not
//! depend on the number of threads. A line that is not JSON does not stop
//! the batch: its execution fails with `States.Runtime` and a warning
//! names the line.
//!
//! With `--history FILE`, each execution's history goes to FILE as one
//! JSON line, `{"index":N,"events":[…]}`, through a second sink.
//!
//! A signal (SIGINT, SIGTERM, SIGHUP; see `signals.rs`) or a failed write
//! stops the feed: no execution starts after it, those in flight end and
//! are summed up (and written, unless a write failed), and the batch exits
//! with the signal's code (or 1 for the write) once it has printed its
//! summary.

use super::args::{compile, options, Args};
use super::inputs::read_inputs;
use super::progress::Progress;
use super::sink::{history_line, Sink};
use super::summary::Summary;
use super::warnings::Warnings;
use crate::files::write_whole;
use crate::input::{read_bytes, utf8};
use crate::signals;
use anyhow::{bail, Result};
use stampede::now_ms;
use stampede::{BatchOptions, Input, Runtime};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

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
    let history_to_stdout = args.history.as_ref().map(|p| p.as_os_str() == "-");
    if history_to_stdout == Some(true) && args.out.is_none() {
        bail!("--history - and the outcomes cannot both go to stdout (give --out FILE, or --history FILE)");
    }
    let mut sink = Sink::open(args.out.as_deref(), args.ordered)?;
    let mut history_sink = match (&args.history, history_to_stdout) {
        (Some(_), Some(true)) => Some(Sink::open(None, args.ordered)?.of_histories()),
        (Some(p), _) => Some(Sink::open(Some(p), args.ordered)?.of_histories()),
        (None, _) => None,
    };
    let signalled = signals::install()?;
    // Set when nothing more can be written.
    let halted = AtomicBool::new(false);

    let progress = Progress::start(inputs.executions, !args.quiet);
    let mut summary = Summary::new();
    let mut warnings = Warnings::new(args.inputs.as_deref());
    let started = Instant::now();
    let n = inputs.texts.len() as u64;
    // The feeder runs on its own thread: it stops at a signal or at `halted`.
    let feed = (0..inputs.executions).map_while(|i| {
        let go = !signalled.load(Ordering::Relaxed) && !halted.load(Ordering::Relaxed);
        go.then(|| Input::Shared(Arc::clone(&inputs.texts[(i % n) as usize])))
    });
    rt.run_batch(&machine, feed, &opts, |index, outcome| {
        summary.add(&outcome);
        warnings.check(&outcome, inputs.lines[(index % n) as usize]);
        if !sink.push(index, &outcome) {
            halted.store(true, Ordering::Relaxed);
        }
        if let (Some(hs), Some(h)) = (history_sink.as_mut(), &outcome.history) {
            if !hs.push_line(index, history_line(index, h)) {
                halted.store(true, Ordering::Relaxed);
            }
        }
        progress.inc();
    });
    let wall = started.elapsed();
    progress.finish();
    drop(rt);
    let written = sink.finish().and_then(|n| match history_sink {
        Some(hs) => hs.finish().map(|_| n),
        None => Ok(n),
    });
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
        write_whole(path, format!("{json}\n"))?;
    }
    if let Err(e) = written {
        eprintln!("error: {e:#}");
        return Ok(ExitCode::from(1));
    }
    // A signal that came after the last execution started cut nothing short.
    match signals::received() {
        Some(signal) if summary.executions() < inputs.executions => {
            eprintln!(
                "interrupted by {}: {} of {} executions ran",
                signal.name(),
                summary.executions(),
                inputs.executions
            );
            Ok(ExitCode::from(signal.exit_code()))
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}
