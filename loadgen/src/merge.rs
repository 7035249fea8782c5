//! `merge`: adds the histograms of interval logs (from runs or shards) and
//! prints the same percentiles the runs print.

use crate::hist::{self, Percentiles};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;

/// Arguments of `merge`.
#[derive(clap::Args, Debug, Clone)]
pub struct MergeArgs {
    /// Interval logs written with `--hist-log`.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Reads and adds every histogram of every file; returns the JSON report.
///
/// # Errors
/// A file cannot be read or is not an interval log.
pub fn run(args: &MergeArgs) -> Result<serde_json::Value> {
    let mut all = Vec::new();
    for f in &args.files {
        let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
        let hs = hist::read_log(&bytes).with_context(|| format!("in {}", f.display()))?;
        all.extend(hs);
    }
    if all.is_empty() {
        bail!("no histograms in {} file(s)", args.files.len());
    }
    let total = hist::sum(&all)?;
    let p = Percentiles::of(&total);
    Ok(serde_json::json!({
        "mode": "merge",
        "files": args.files.len(),
        "histograms": all.len(),
        "executions": p.count,
        "latency_us": p.to_json(),
    }))
}
