//! The shard file (`format` `stampede-shard/1`): what `simulate --shard i/n
//! --shard-out FILE` saves and `merge` adds up, namely mergeable statistics
//! and what `merge` needs to price and draw them.

use super::cost::memory_map;
use super::machine_type;
use crate::input::read_json;
use anyhow::{anyhow, Result};
use serde_json::{json, Map, Value};
use stampede::report::{PriceTable, SimStats};
use stampede::sim::{Scenario, SimResult};
use stampede::MachineType;
use std::collections::BTreeMap;
use std::path::Path;

/// The `format` of a shard file.
const FORMAT: &str = "stampede-shard/1";

/// The shard file of slice `i` of `n` of scenario `sc` (named `name`,
/// priced with `prices`) after run `r`.
pub(crate) fn to_json(
    name: &str,
    prices: &PriceTable,
    sc: &Scenario,
    (i, n): (u32, u32),
    r: &SimResult,
) -> Value {
    let memory: Map<String, Value> = memory_map(sc)
        .into_iter()
        .map(|(k, v)| (k, json!(v)))
        .collect();
    json!({
        "format": FORMAT,
        "meta": {
            "scenario": name,
            "seed": sc.seed,
            "shard": {"index": i, "count": n},
            "machine_type": machine_type::name(sc.machine_type),
            "lambda_memory_mb": memory,
            "prices": prices,
            "partial": r.partial,
            "definition": sc.definition_text,
        },
        "stats": r.stats.to_shard_json(),
    })
}

/// One shard file, read.
pub(crate) struct Shard {
    pub(crate) scenario: String,
    pub(crate) seed: u64,
    pub(crate) index: u32,
    pub(crate) count: u32,
    pub(crate) machine_type: MachineType,
    pub(crate) memory: BTreeMap<String, Option<u32>>,
    pub(crate) prices: PriceTable,
    pub(crate) partial: bool,
    pub(crate) definition: Option<String>,
    pub(crate) stats: SimStats,
}

/// Reads and checks the shard file at `path`.
///
/// # Errors
/// The file cannot be read, is not JSON, or is not a shard file.
pub(crate) fn read(path: &Path) -> Result<Shard> {
    let v = read_json(path)?;
    let err = |m: &str| anyhow!("{}: {m}", path.display());
    if v["format"] != FORMAT {
        return Err(err(&format!(
            "not a shard file (`format` must be \"{FORMAT}\"; write one with simulate --shard i/n --shard-out FILE)"
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
        machine_type: machine_type::from_name(meta["machine_type"].as_str()),
        memory,
        prices,
        partial: meta["partial"].as_bool().unwrap_or(false),
        definition: meta["definition"].as_str().map(str::to_owned),
        stats,
    })
}
