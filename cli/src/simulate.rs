//! `stampede simulate SCENARIO.json`: runs a scenario on the virtual clock
//! and prints its report (see `engine/src/sim/README.md` for the format).
//!
//! `--json FILE` and `--html FILE` write the report for machines and for
//! people; `--sweep KEY=V1,V2,…` runs the scenario once per value and prints
//! one table row per value; `--shard i/n --shard-out FILE` runs one slice of
//! the executions and saves mergeable statistics for `stampede merge`.
//!
//! One simulation runs on one thread and is deterministic: the same
//! scenario and seed give the same bytes on any machine and any `--threads`
//! (which only spreads the runs of a sweep over cores).

use crate::input::{read_bytes, utf8};
use crate::output::emit;
use crate::sweep::{self, Sweep};
use anyhow::{anyhow, bail, Context, Result};
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Map, Value};
use stampede::asl::StateMachine;
use stampede::report::{
    is_lambda_resource, report_html, report_json, report_text, Cost, CostInputs, PriceTable,
    ReportMeta, SimStats,
};
use stampede::sim::{self, Scenario, SimOptions, SimResult};
use stampede::MachineType;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The `format` of a `--shard-out` file.
pub(crate) const SHARD_FILE_FORMAT: &str = "stampede-shard/1";

/// Set by the first Ctrl-C: simulations stop and report what finished.
pub(crate) static STOP: AtomicBool = AtomicBool::new(false);

/// Arguments of `simulate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The scenario (JSON); files it names are read relative to its folder.
    scenario: PathBuf,
    /// Also write the report as JSON to FILE (with `--sweep`: a list, one report per value).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the report as a self-contained HTML page to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "sweep")]
    html: Option<PathBuf>,
    /// Price table (JSON; fields it omits keep the built-in us-east-1
    /// prices). Default: the scenario's `prices`, else the built-in table.
    #[arg(long, value_name = "FILE")]
    prices: Option<PathBuf>,
    /// Run once per value: `max_concurrency=10,50,100` (every resource that
    /// has that limit), `RESOURCE_KEY.max_rate_per_s=…` (one resource;
    /// fields: max_concurrency, max_rate_per_s, burst, max_queue_ms) or
    /// `arrivals.rate_per_s=…` (Poisson arrivals).
    #[arg(long, value_name = "KEY=V1,V2,…")]
    sweep: Option<String>,
    /// Run only the i-th (0-based) of n disjoint slices of the executions;
    /// every shard models 1/n of each resource limit.
    #[arg(long, value_name = "i/n", value_parser = parse_shard, conflicts_with = "sweep")]
    shard: Option<(u32, u32)>,
    /// With `--shard`: save mergeable statistics to FILE for `stampede merge`.
    #[arg(long, value_name = "FILE", requires = "shard")]
    shard_out: Option<PathBuf>,
    /// Threads for the runs of a sweep (default: all cores). One simulation
    /// always runs on one thread; results do not depend on this.
    #[arg(long, short = 't', value_name = "T",
          value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// No progress bar and no report on stdout (files are still written).
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| "expected i/n, e.g. 0/4".to_owned())?;
    let i: u32 = i.trim().parse().map_err(|e| format!("shard index: {e}"))?;
    let n: u32 = n.trim().parse().map_err(|e| format!("shard count: {e}"))?;
    if n == 0 || i >= n {
        return Err(format!("need 0 <= i < n, got {i}/{n}"));
    }
    Ok((i, n))
}

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let text = utf8(read_bytes(&args.scenario)?, "the scenario")?;
    let dir = args
        .scenario
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let sc = match sim::parse_scenario(&text, dir) {
        Ok(sc) => sc,
        Err(mut diags) => {
            diags.extend(unmatched_keys(&text, dir));
            return Ok(bad_scenario(&diags));
        }
    };
    // The definition's problems and unmatched resource keys, all at once.
    let machine = match stampede::asl::parse_with(&sc.definition_text, &parse_options(&sc)) {
        Ok((m, _)) => m,
        Err(d) => {
            let diags: Vec<_> =
                d.0.into_iter()
                    .map(|x| stampede::Diagnostic {
                        location: format!("/definition{}", x.location),
                        ..x
                    })
                    .collect();
            return Ok(bad_scenario(&diags));
        }
    };
    let unmatched = sim::check_resources(&sc, &sim::task_resources(&machine));
    if !unmatched.is_empty() {
        return Ok(bad_scenario(&unmatched));
    }
    let prices = match &args.prices {
        Some(p) => PriceTable::from_json_file(p).map_err(|e| anyhow!(e))?,
        None => match &sc.prices_text {
            Some(t) => PriceTable::from_json_str(t).map_err(|e| {
                let p = sc.prices_path.as_deref().unwrap_or(Path::new("prices"));
                anyhow!("{}: {e}", p.display())
            })?,
            None => PriceTable::default(),
        },
    };
    let scenario_name = sc.name.clone().unwrap_or_else(|| {
        args.scenario.file_stem().map_or_else(
            || "scenario".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        )
    });
    install_ctrlc();
    let ctx = Ctx {
        name: scenario_name,
        prices,
    };
    if let Some(spec) = &args.sweep {
        let sweep = Sweep::parse(spec, &sc)?;
        return sweep::run(args_sweep(args), &ctx, &sc, &sweep);
    }
    single(args, &ctx, &sc)
}

fn args_sweep(args: &Args) -> sweep::Opts<'_> {
    sweep::Opts {
        json: args.json.as_deref(),
        threads: args.threads.map(usize::from),
        quiet: args.quiet,
    }
}

/// What every report of one scenario shares.
pub(crate) struct Ctx {
    pub(crate) name: String,
    pub(crate) prices: PriceTable,
}

fn single(args: &Args, ctx: &Ctx, sc: &Scenario) -> Result<ExitCode> {
    let total = sc
        .executions
        .map(|e| args.shard.map_or(e, |(i, n)| slice_len(e, i, n)));
    let mut progress = SimProgress::new(total, !args.quiet);
    let mut on_progress = |done: u64, sim_s: f64| progress.update(done, sim_s);
    let opts = SimOptions {
        shard: args.shard,
        stop: Some(&STOP),
        progress: Some(&mut on_progress),
    };
    let result = match sim::simulate(sc, opts) {
        Ok(r) => r,
        Err(d) => return Ok(bad_scenario(&d.0)),
    };
    progress.finish();
    let meta = ReportMeta {
        scenario: ctx.name.clone(),
        seed: sc.seed,
        shard: args.shard,
        merged_shards: None,
    };
    let cost = cost(&result.stats, sc.machine_type, &ctx.prices, &memory_map(sc));
    let out = Outputs {
        json: args.json.as_deref(),
        html: args.html.as_deref(),
        quiet: args.quiet,
    };
    out.write(
        &result.stats,
        &cost,
        &meta,
        Some(&result.machine),
        result.partial,
    )?;
    if let (Some(path), Some(shard)) = (&args.shard_out, args.shard) {
        let file = shard_file(ctx, sc, shard, &result);
        write_file(path, &format!("{}\n", serde_json::to_string(&file)?))?;
    }
    Ok(finish_code(&result))
}

/// Exit 130 after an interruption, else 0.
pub(crate) fn finish_code(r: &SimResult) -> ExitCode {
    if r.partial {
        eprintln!(
            "interrupted: the report covers the {} of {} started executions that finished (partial)",
            r.stats.execution_count(),
            r.started
        );
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    }
}

/// Executions of slice `i` of `n` out of `total`.
fn slice_len(total: u64, i: u32, n: u32) -> u64 {
    let (i, n) = (u64::from(i), u64::from(n));
    total / n + u64::from(total % n > i)
}

/// Where and how a report goes.
pub(crate) struct Outputs<'a> {
    pub(crate) json: Option<&'a Path>,
    pub(crate) html: Option<&'a Path>,
    pub(crate) quiet: bool,
}

impl Outputs<'_> {
    /// Prints the text report and writes the JSON and HTML ones.
    pub(crate) fn write(
        &self,
        stats: &SimStats,
        cost: &Cost,
        meta: &ReportMeta,
        machine: Option<&StateMachine>,
        partial: bool,
    ) -> Result<()> {
        if let Some(path) = self.json {
            let v = json_report(stats, cost, meta, partial);
            write_file(path, &format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        }
        if let (Some(path), Some(machine)) = (self.html, machine) {
            write_file(path, &report_html(stats, cost, meta, machine))?;
        }
        if !self.quiet {
            let mut text = String::new();
            if partial {
                text.push_str(
                    "PARTIAL REPORT: interrupted; only finished executions are counted\n",
                );
            }
            text.push_str(&report_text(stats, cost, meta));
            emit(&text)?;
        }
        Ok(())
    }
}

/// `report_json` with `meta.partial` added.
pub(crate) fn json_report(
    stats: &SimStats,
    cost: &Cost,
    meta: &ReportMeta,
    partial: bool,
) -> Value {
    let mut v = report_json(stats, cost, meta);
    if let Some(m) = v.get_mut("meta").and_then(Value::as_object_mut) {
        m.insert("partial".to_owned(), Value::Bool(partial));
    }
    v
}

/// Memory size of each resource key that is a Lambda function (others are not priced).
pub(crate) fn memory_map(sc: &Scenario) -> BTreeMap<String, Option<u32>> {
    sc.resources
        .iter()
        .map(|m| {
            let mb = is_lambda_resource(&m.key).then_some(m.memory_mb);
            (m.key.clone(), mb)
        })
        .collect()
}

/// The cost estimate of `stats`.
pub(crate) fn cost(
    stats: &SimStats,
    machine_type: MachineType,
    prices: &PriceTable,
    memory: &BTreeMap<String, Option<u32>>,
) -> Cost {
    let inputs = CostInputs::from_stats(stats, machine_type, prices, |key| {
        memory.get(key).copied().flatten()
    });
    prices.estimate(&inputs)
}

/// The `--shard-out` document: mergeable statistics and what `merge` needs
/// to price and draw them.
fn shard_file(ctx: &Ctx, sc: &Scenario, (i, n): (u32, u32), r: &SimResult) -> Value {
    let memory: Map<String, Value> = memory_map(sc)
        .into_iter()
        .map(|(k, v)| (k, json!(v)))
        .collect();
    json!({
        "format": SHARD_FILE_FORMAT,
        "meta": {
            "scenario": ctx.name,
            "seed": sc.seed,
            "shard": {"index": i, "count": n},
            "machine_type": machine_type_name(sc.machine_type),
            "lambda_memory_mb": memory,
            "prices": ctx.prices,
            "partial": r.partial,
            "definition": sc.definition_text,
        },
        "stats": r.stats.to_shard_json(),
    })
}

pub(crate) fn machine_type_name(t: MachineType) -> &'static str {
    match t {
        MachineType::Standard => "STANDARD",
        _ => "EXPRESS",
    }
}

fn parse_options(sc: &Scenario) -> stampede::asl::ParseOptions {
    stampede::asl::ParseOptions {
        machine_type: match sc.machine_type {
            MachineType::Standard => stampede::asl::MachineType::Standard,
            _ => stampede::asl::MachineType::Express,
        },
    }
}

/// Prints every problem, one a line (`POINTER: CODE: message`), and returns exit code 2.
pub(crate) fn bad_scenario(diags: &[stampede::Diagnostic]) -> ExitCode {
    let mut text = String::new();
    for d in diags {
        text.push_str(&format!("{d}\n"));
    }
    eprint!("{text}");
    ExitCode::from(2)
}

/// When the scenario has other problems, `parse_scenario` stops before
/// matching resource keys against the definition: do it here from the raw
/// JSON, so that every problem is reported at once.
fn unmatched_keys(text: &str, dir: &Path) -> Vec<stampede::Diagnostic> {
    let Ok(root) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let (Some(def), Some(resources)) = (
        root.get("definition").and_then(Value::as_str),
        root.get("resources").and_then(Value::as_object),
    ) else {
        return Vec::new();
    };
    let Ok(def_text) = std::fs::read_to_string(dir.join(def)) else {
        return Vec::new();
    };
    let Ok((machine, _)) = stampede::asl::parse(&def_text) else {
        return Vec::new();
    };
    let tasks = sim::task_resources(&machine);
    resources
        .keys()
        .filter(|k| {
            let pattern = stampede::handlers::Pattern::parse(k);
            !tasks
                .iter()
                .any(|r| sim::resource::matches(&pattern, r).is_some())
        })
        .map(|k| {
            let escaped = k.replace('~', "~0").replace('/', "~1");
            stampede::Diagnostic::error(
                "SCENARIO_UNMATCHED_RESOURCE",
                format!("/resources/{escaped}"),
                "matches no Task Resource in the definition",
            )
        })
        .collect()
}

pub(crate) fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The first Ctrl-C stops the simulation (its report is still printed,
/// marked partial); the second exits at once.
pub(crate) fn install_ctrlc() {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

/// The progress bar: executions done, simulated time, rate. Only on a
/// terminal, only after the run has lasted a second.
pub(crate) struct SimProgress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
}

impl SimProgress {
    pub(crate) fn new(total: Option<u64>, enabled: bool) -> SimProgress {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
            let template = if total.is_some() {
                "{bar:40.cyan/blue} {human_pos}/{human_len} executions  {msg}"
            } else {
                "{spinner} {human_pos} executions  {msg}"
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        SimProgress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    pub(crate) fn update(&mut self, done: u64, sim_s: f64) {
        let Some(bar) = &self.bar else { return };
        let wall = self.started.elapsed();
        if !self.shown && wall >= Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        let rate = done as f64 / wall.as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} s simulated  {}/s",
            HumanCount(sim_s as u64),
            HumanCount(rate as u64)
        ));
        bar.set_position(done);
    }

    pub(crate) fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Reads a JSON file.
pub(crate) fn read_json(path: &Path) -> Result<Value> {
    let text = utf8(read_bytes(path)?, "the file")?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// `bail!` with a path.
pub(crate) fn fail_at(path: &Path, msg: impl std::fmt::Display) -> Result<ExitCode> {
    bail!("{}: {msg}", path.display())
}
