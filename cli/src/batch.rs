//! Batch mode of `run`: many executions of one definition on all cores.
//!
//! `--inputs FILE.jsonl` runs one execution per non-blank line (cycled to
//! `--executions N` when given); `--input FILE --executions N` runs N
//! executions of one input, shared between them. Execution `i` gets the
//! seed `batch_seed(--seed, i)`, and all start at the same instant of the
//! virtual clock (`--start-time-ms`, default now), so outcomes do not
//! depend on the number of threads. A line that is not JSON does not stop
//! the batch: its execution fails with `States.Runtime` and a warning
//! names the line.

use crate::input::{read_bytes, utf8};
use crate::progress::Progress;
use crate::run::{self, Args};
use crate::sink::Sink;
use crate::summary::Summary;
use anyhow::{anyhow, bail, Context, Result};
use stampede::now_ms;
use stampede::{BatchOptions, Input, InputError, Outcome, Runtime, Status};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Distinct bad lines warned about one by one; past that, one last warning.
const MAX_WARNINGS: usize = 10;

/// Ctrl-C presses so far: the first stops starting executions (what ran is
/// still written and summed up), the second exits at once.
static INTERRUPTS: AtomicU32 = AtomicU32::new(0);

/// The inputs of a batch: distinct texts, the line each came from, and how
/// many executions cycle through them.
struct Inputs {
    texts: Vec<Arc<str>>,
    /// 1-based line of each text in its file (0 for `--input`).
    lines: Vec<usize>,
    executions: u64,
}

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
    let Some(machine) = run::compile(args, &definition) else {
        return Ok(ExitCode::from(2));
    };
    let mut opts = BatchOptions {
        run: run::options(args),
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

fn read_inputs(args: &Args) -> Result<Inputs> {
    if let Some(path) = &args.inputs {
        let text = utf8(read_bytes(path)?, "the inputs")?;
        let mut texts = Vec::new();
        let mut lines = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if !line.trim().is_empty() {
                texts.push(Arc::<str>::from(line));
                lines.push(i + 1);
            }
        }
        let executions = args.executions.unwrap_or(texts.len() as u64);
        if texts.is_empty() && executions > 0 {
            bail!("{} has no inputs (every line is blank)", path.display());
        }
        return Ok(Inputs {
            texts,
            lines,
            executions,
        });
    }
    let text = match &args.input {
        Some(path) => utf8(read_bytes(path)?, "the input")?,
        None => "{}".to_owned(),
    };
    // One input for every execution: refuse it at once, as a single run does.
    InputError::check(&text).map_err(|e| anyhow!("{e}"))?;
    Ok(Inputs {
        texts: vec![Arc::from(text)],
        lines: vec![0],
        executions: args.executions.unwrap_or(1),
    })
}

/// Warnings on stderr for input lines that are not JSON, once per line.
struct Warnings<'a> {
    file: Option<&'a Path>,
    warned: std::collections::BTreeSet<usize>,
    more: u64,
}

impl<'a> Warnings<'a> {
    fn new(file: Option<&'a Path>) -> Self {
        Warnings {
            file,
            warned: Default::default(),
            more: 0,
        }
    }

    fn check(&mut self, o: &Outcome, line: usize) {
        let Some(file) = self.file else { return };
        let bad_input = o.status == Status::Failed
            && o.error.as_deref() == Some("States.Runtime")
            && o.cause
                .as_deref()
                .is_some_and(|c| c.starts_with("invalid execution input"));
        if !bad_input || self.warned.contains(&line) {
            return;
        }
        if self.warned.len() < MAX_WARNINGS {
            self.warned.insert(line);
            eprintln!(
                "warning: {}:{line}: {} (its executions fail with States.Runtime)",
                file.display(),
                o.cause.as_deref().unwrap_or_default()
            );
        } else {
            self.more += 1;
        }
    }

    fn finish(&self) {
        if self.more > 0 {
            eprintln!(
                "warning: {} more executions had input that is not JSON",
                self.more
            );
        }
    }
}
