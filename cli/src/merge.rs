//! `stampede merge SHARD.json… [--json FILE] [--html FILE [--definition DEF]]`:
//! adds the `--shard-out` files of `stampede simulate --shard i/n` runs into
//! one report, the report one run over all executions gives (counts and
//! histograms add exactly; see `SimStats::merge`).

use crate::input::{read_bytes, utf8};
use crate::simulate::{cost, fail_at, read_json, Outputs, SHARD_FILE_FORMAT};
use anyhow::{anyhow, bail, Result};
use stampede::report::{PriceTable, ReportMeta, SimStats};
use stampede::MachineType;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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

/// One shard file, read.
struct Shard {
    scenario: String,
    seed: u64,
    index: u32,
    count: u32,
    machine_type: MachineType,
    memory: BTreeMap<String, Option<u32>>,
    prices: PriceTable,
    partial: bool,
    definition: Option<String>,
    stats: SimStats,
}

fn read_shard(path: &Path) -> Result<Shard> {
    let v = read_json(path)?;
    let err = |m: &str| anyhow!("{}: {m}", path.display());
    if v["format"] != SHARD_FILE_FORMAT {
        return Err(err(&format!(
            "not a shard file (`format` must be \"{SHARD_FILE_FORMAT}\"; write one with simulate --shard i/n --shard-out FILE)"
        )));
    }
    let meta = &v["meta"];
    let memory = meta["lambda_memory_mb"]
        .as_object()
        .ok_or_else(|| err("meta.lambda_memory_mb must be an object"))?
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().map(|x| x as u32)))
        .collect();
    let prices: PriceTable = serde_json::from_value(meta["prices"].clone())
        .map_err(|e| err(&format!("meta.prices: {e}")))?;
    let stats = SimStats::from_shard_json(&v["stats"]).map_err(|e| err(&e.to_string()))?;
    Ok(Shard {
        scenario: meta["scenario"].as_str().unwrap_or("").to_owned(),
        seed: meta["seed"]
            .as_u64()
            .ok_or_else(|| err("meta.seed is missing"))?,
        index: meta["shard"]["index"]
            .as_u64()
            .ok_or_else(|| err("meta.shard.index is missing"))? as u32,
        count: meta["shard"]["count"]
            .as_u64()
            .ok_or_else(|| err("meta.shard.count is missing"))? as u32,
        machine_type: match meta["machine_type"].as_str() {
            Some("EXPRESS") => MachineType::Express,
            _ => MachineType::Standard,
        },
        memory,
        prices,
        partial: meta["partial"].as_bool().unwrap_or(false),
        definition: meta["definition"].as_str().map(str::to_owned),
        stats,
    })
}

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let mut shards = Vec::new();
    for p in &args.shards {
        shards.push((p, read_shard(p)?));
    }
    shards.sort_by_key(|(_, s)| s.index);
    let (first_path, first) = &shards[0];
    for (p, s) in &shards[1..] {
        if s.scenario != first.scenario || s.seed != first.seed || s.count != first.count {
            return fail_at(
                p,
                format!(
                    "shard of scenario {} seed {} ({} shards), but {} is of scenario {} seed {} ({} shards)",
                    s.scenario, s.seed, s.count, first_path.display(), first.scenario, first.seed, first.count
                ),
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
            let opts = stampede::asl::ParseOptions {
                machine_type: match first.machine_type {
                    MachineType::Standard => stampede::asl::MachineType::Standard,
                    _ => stampede::asl::MachineType::Express,
                },
            };
            match stampede::asl::parse_with(&text, &opts) {
                Ok((m, _)) => Some(m),
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
