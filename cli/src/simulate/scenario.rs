//! Reading a scenario for `simulate` and checking it whole: the scenario's
//! own problems, its definition's, and resource keys that match no Task,
//! all reported at once; then its prices and its name.

use super::args::Args;
use crate::input::{read_bytes, utf8};
use anyhow::{anyhow, Result};
use serde_json::Value;
use stampede::report::PriceTable;
use stampede::sim::{self, Scenario};
use stampede::Diagnostic;
use std::path::Path;
use std::process::ExitCode;

/// What every report of one scenario shares.
pub(crate) struct Ctx {
    pub(crate) name: String,
    pub(crate) prices: PriceTable,
}

/// A scenario ready to simulate, or every problem found in it.
pub(crate) type Checked = Result<(Scenario, Ctx), Vec<Diagnostic>>;

/// Reads and checks `args.scenario`.
///
/// # Errors
/// A file cannot be read, or the price table is not valid.
pub(crate) fn load(args: &Args) -> Result<Checked> {
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
            return Ok(Err(diags));
        }
    };
    // The definition's problems and unmatched resource keys, all at once.
    let machine = match stampede::Definition::parse(&sc.definition_text, sc.machine_type) {
        Ok(m) => m,
        Err(d) => {
            let diags: Vec<_> =
                d.0.into_iter()
                    .map(|x| Diagnostic {
                        location: format!("/definition{}", x.location),
                        ..x
                    })
                    .collect();
            return Ok(Err(diags));
        }
    };
    let unmatched = sim::check_resources(&sc, &sim::task_resources(&machine));
    if !unmatched.is_empty() {
        return Ok(Err(unmatched));
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
    let name = sc.name.clone().unwrap_or_else(|| {
        args.scenario.file_stem().map_or_else(
            || "scenario".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        )
    });
    Ok(Ok((sc, Ctx { name, prices })))
}

/// Prints every problem, one a line (`POINTER: CODE: message`), and returns exit code 2.
pub(crate) fn bad_scenario(diags: &[Diagnostic]) -> ExitCode {
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
fn unmatched_keys(text: &str, dir: &Path) -> Vec<Diagnostic> {
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
    let Ok(machine) = stampede::Definition::parse(&def_text, stampede::MachineType::Standard)
    else {
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
            Diagnostic::error(
                "SCENARIO_UNMATCHED_RESOURCE",
                format!("/resources/{escaped}"),
                "matches no Task Resource in the definition",
            )
        })
        .collect()
}
