//! `stampede merge SHARD.json… [--json FILE] [--html FILE [--definition DEF]]`:
//! adds the `--shard-out` files of `stampede simulate --shard i/n` runs into
//! one report, the report one run over all executions gives (counts and
//! histograms add exactly; see `SimStats::merge`).

use crate::input::{read_bytes, utf8};
use crate::scenario_io::cost::cost;
use crate::scenario_io::outputs::Outputs;
use crate::scenario_io::shard_file;
use anyhow::{anyhow, bail, Result};
use stampede::report::ReportMeta;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `merge`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Shard files written by `simulate --shard i/n --shard-out FILE`.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Also write the merged report as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the merged report as HTML to FILE.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// The definition to draw in the HTML report (default: the one saved in the shard files).
    #[arg(long, value_name = "DEF", requires = "html")]
    definition: Option<PathBuf>,
    /// Print nothing on stdout (files are still written).
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let mut shards = Vec::new();
    for p in &args.shards {
        shards.push((p, shard_file::read(p)?));
    }
    shards.sort_by_key(|(_, s)| s.index);
    let (first_path, first) = &shards[0];
    for (p, s) in &shards[1..] {
        if s.scenario != first.scenario || s.seed != first.seed || s.count != first.count {
            bail!(
                "{}: shard of scenario {} seed {} ({} shards), but {} is of scenario {} seed {} ({} shards)",
                p.display(), s.scenario, s.seed, s.count, first_path.display(), first.scenario, first.seed, first.count
            );
        }
    }
    for w in shards.windows(2) {
        if w[0].1.index == w[1].1.index {
            bail!(
                "{} and {} are both shard {}/{}",
                w[0].0.display(),
                w[1].0.display(),
                w[0].1.index,
                w[0].1.count
            );
        }
    }
    if shards.len() as u32 != first.count {
        let have: Vec<u32> = shards.iter().map(|(_, s)| s.index).collect();
        eprintln!(
            "warning: {} of {} shards merged (have {have:?}): the report covers only those slices",
            shards.len(),
            first.count
        );
    }
    let mut stats = first.stats.clone();
    for (_, s) in &shards[1..] {
        stats.merge(&s.stats);
    }
    let partial = shards.iter().any(|(_, s)| s.partial);
    let meta = ReportMeta {
        scenario: first.scenario.clone(),
        seed: first.seed,
        shard: None,
        merged_shards: Some(shards.len() as u32),
    };
    let c = cost(&stats, first.machine_type, &first.prices, &first.memory);
    let machine = match &args.html {
        None => None,
        Some(_) => {
            let text = match &args.definition {
                Some(p) => utf8(read_bytes(p)?, "the definition")?,
                None => first.definition.clone().ok_or_else(|| {
                    anyhow!("the shard files hold no definition: name it with --definition DEF")
                })?,
            };
            match stampede::Definition::parse(&text, first.machine_type) {
                Ok(m) => Some(m),
                Err(d) => {
                    eprint!("{d}");
                    return Ok(ExitCode::from(2));
                }
            }
        }
    };
    let out = Outputs {
        json: args.json.as_deref(),
        html: args.html.as_deref(),
        quiet: args.quiet,
    };
    out.write(&stats, &c, &meta, machine.as_ref(), partial)?;
    Ok(ExitCode::SUCCESS)
}
