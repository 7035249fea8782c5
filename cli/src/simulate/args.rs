//! The arguments of `simulate`.

use std::path::PathBuf;

/// Arguments of `simulate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The scenario (JSON); files it names are read relative to its folder.
    pub(crate) scenario: PathBuf,
    /// Also write the report as JSON to FILE (with `--sweep`: a list, one report per value).
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
    /// Also write the report as a self-contained HTML page to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "sweep")]
    pub(crate) html: Option<PathBuf>,
    /// Price table (JSON; fields it omits keep the built-in us-east-1
    /// prices). Default: the scenario's `prices`, else the built-in table.
    #[arg(long, value_name = "FILE")]
    pub(crate) prices: Option<PathBuf>,
    /// Run once per value: `max_concurrency=10,50,100` (every resource that
    /// has that limit), `RESOURCE_KEY.max_rate_per_s=…` (one resource;
    /// fields: max_concurrency, max_rate_per_s, burst, max_queue_ms) or
    /// `arrivals.rate_per_s=…` (Poisson arrivals).
    #[arg(long, value_name = "KEY=V1,V2,…")]
    pub(crate) sweep: Option<String>,
    /// Run only the i-th (0-based) of n disjoint slices of the executions;
    /// every shard models 1/n of each resource limit.
    #[arg(long, value_name = "i/n", value_parser = parse_shard, conflicts_with = "sweep")]
    pub(crate) shard: Option<(u32, u32)>,
    /// With `--shard`: save mergeable statistics to FILE for `stampede merge`.
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub(crate) shard_out: Option<PathBuf>,
    /// Threads. One simulation (default 1) runs its executions' slices on
    /// T - 1 workers ahead of its event loop; a sweep (default: all cores)
    /// runs one simulation per thread. Results are the same bytes for any T.
    #[arg(long, short = 't', value_name = "T",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) threads: Option<u16>,
    /// No progress bar and no report on stdout (files are still written).
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
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
