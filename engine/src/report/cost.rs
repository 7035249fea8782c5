//! The AWS cost estimate and the price table it uses. The table is plain
//! JSON the user can edit (`PriceTable::from_json_file`); its defaults are
//! us-east-1 list prices:
//!
//! * Standard workflows: $0.025 per 1,000 state transitions, retries
//!   included; 4,000 free per month (off unless `apply_free_tier`).
//! * Express workflows: $1.00 per million requests, and duration at
//!   $0.00001667 per GB-second (the first tier, $0.06 per GB-hour for the first
//!   1,000 GB-hours; later tiers are cheaper and not modelled). "Duration is
//!   calculated from the time your workflow begins executing until it
//!   completes or otherwise terminates, rounded up to the nearest 100ms, and
//!   the amount of memory used in the execution of your workflow, billed in
//!   64-MB chunks" — <https://aws.amazon.com/step-functions/pricing/>.
//! * Lambda (x86): $0.20 per million requests and $0.0000166667 per
//!   GB-second, duration billed per 1 ms — <https://aws.amazon.com/lambda/pricing/>.

use super::error::PriceTableError;
use super::stats::SimStats;
use crate::machine_type::MachineType;
use serde::{Deserialize, Serialize};

/// Unit prices in US dollars. Every field has a default, so a file may name
/// only the prices it changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriceTable {
    /// Where the prices apply (informational).
    pub region: String,
    /// Standard: per state transition.
    pub standard_transition_usd: f64,
    /// Standard: transitions free each month.
    pub standard_free_transitions: u64,
    /// Whether to subtract `standard_free_transitions` (off by default: the
    /// free tier is shared by the whole account).
    pub apply_free_tier: bool,
    /// Express: per request (execution started).
    pub express_request_usd: f64,
    /// Express: per GB-second of billed memory × billed duration.
    pub express_gb_second_usd: f64,
    /// Express: memory an execution uses, in MB, before rounding up to 64 MB
    /// chunks (AWS estimates 50 MB + definition size + payload × Map/Parallel steps).
    pub express_memory_mb: u32,
    /// Lambda: per request.
    pub lambda_request_usd: f64,
    /// Lambda: per GB-second.
    pub lambda_gb_second_usd: f64,
    /// Lambda: memory size in MB when the model names none.
    pub lambda_memory_mb: u32,
}

impl Default for PriceTable {
    fn default() -> Self {
        Self {
            region: "us-east-1".to_owned(),
            standard_transition_usd: 0.000025,
            standard_free_transitions: 4000,
            apply_free_tier: false,
            express_request_usd: 0.000001,
            express_gb_second_usd: 0.00001667,
            express_memory_mb: 64,
            lambda_request_usd: 0.0000002,
            lambda_gb_second_usd: 0.0000166667,
            lambda_memory_mb: 128,
        }
    }
}

/// The usage a cost is computed from.
#[derive(Clone, Debug, PartialEq)]
pub struct CostInputs {
    /// Which workflow pricing applies.
    pub machine_type: MachineType,
    /// Executions started.
    pub executions: u64,
    /// State transitions (retries included).
    pub state_transitions: u64,
    /// Express: Σ billed duration × billed memory, in GB-seconds.
    pub express_gb_seconds: f64,
    /// Per Lambda resource: its key, invocations and GB-seconds.
    pub lambda: Vec<(String, u64, f64)>,
    /// Per Distributed Map state: its child executions, priced by their type.
    pub children: Vec<ChildUsage>,
}

/// What a Distributed Map's child executions used. AWS bills the parent
/// one state transition per child it starts, and each child as an execution
/// of its own `ExecutionType`: Express children by request and duration,
/// Standard ones by their state transitions
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-transitions.html>,
/// "Transitions in Distributed Map state").
#[derive(Clone, Debug, PartialEq)]
pub struct ChildUsage {
    /// The Map state's name.
    pub map: String,
    /// `ExecutionType: EXPRESS`.
    pub express: bool,
    /// Child executions started.
    pub executions: u64,
    /// State transitions the children took (retries included).
    pub transitions: u64,
    /// Express children: Σ billed duration × billed memory, in GB-seconds.
    pub express_gb_seconds: f64,
}

/// One priced item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostLine {
    /// What is billed, e.g. `Standard state transitions`.
    pub item: String,
    /// How many units.
    pub quantity: f64,
    /// The unit, e.g. `transition`, `request`, `GB-second`.
    pub unit: String,
    /// Price of one unit.
    pub unit_price_usd: f64,
    /// quantity × unit price.
    pub usd: f64,
}

/// An estimate: its lines, their total, and the table used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cost {
    /// Σ of the lines.
    pub total_usd: f64,
    /// One line per price item.
    pub lines: Vec<CostLine>,
    /// The prices used.
    pub price_table: PriceTable,
}

impl PriceTable {
    /// Reads a table from JSON text; missing fields keep their defaults.
    ///
    /// # Errors
    /// The text is not JSON, or a field is unknown or has the wrong type.
    pub fn from_json_str(text: &str) -> Result<Self, PriceTableError> {
        serde_json::from_str(text).map_err(|error| PriceTableError::Invalid { path: None, error })
    }

    /// Reads a table from the JSON file at `path`.
    ///
    /// # Errors
    /// The file cannot be read, or [`PriceTable::from_json_str`] fails.
    pub fn from_json_file(path: impl AsRef<std::path::Path>) -> Result<Self, PriceTableError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| PriceTableError::Read {
            path: path.to_owned(),
            error,
        })?;
        serde_json::from_str(&text).map_err(|error| PriceTableError::Invalid {
            path: Some(path.to_owned()),
            error,
        })
    }

    /// The table as pretty JSON, a starting point for a user's own file.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a price table serializes")
    }

    /// Express billed memory in GB: `express_memory_mb` rounded up to 64 MB.
    pub fn express_billed_gb(&self) -> f64 {
        f64::from(self.express_memory_mb.max(1).div_ceil(64) * 64) / 1024.0
    }

    /// Prices `inputs`.
    pub fn estimate(&self, inputs: &CostInputs) -> Cost {
        let mut lines = Vec::new();
        let mut line = |item: String, quantity: f64, unit: &str, unit_price_usd: f64| {
            lines.push(CostLine {
                item,
                quantity,
                unit: unit.to_owned(),
                unit_price_usd,
                usd: round9(quantity * unit_price_usd),
            });
        };
        match inputs.machine_type {
            MachineType::Standard => {
                let free = if self.apply_free_tier {
                    self.standard_free_transitions
                } else {
                    0
                };
                let billed = inputs.state_transitions.saturating_sub(free);
                let item = if self.apply_free_tier {
                    format!("Standard state transitions (after {free} free)")
                } else {
                    "Standard state transitions".to_owned()
                };
                line(
                    item,
                    billed as f64,
                    "transition",
                    self.standard_transition_usd,
                );
            }
            MachineType::Express | MachineType::ExpressSync => {
                line(
                    "Express requests".to_owned(),
                    inputs.executions as f64,
                    "request",
                    self.express_request_usd,
                );
                line(
                    "Express duration".to_owned(),
                    round9(inputs.express_gb_seconds),
                    "GB-second",
                    self.express_gb_second_usd,
                );
            }
        }
        for c in &inputs.children {
            if c.express {
                line(
                    format!("Express requests: Distributed Map {} children", c.map),
                    c.executions as f64,
                    "request",
                    self.express_request_usd,
                );
                line(
                    format!("Express duration: Distributed Map {} children", c.map),
                    round9(c.express_gb_seconds),
                    "GB-second",
                    self.express_gb_second_usd,
                );
            } else {
                line(
                    format!(
                        "Standard state transitions: Distributed Map {} children",
                        c.map
                    ),
                    c.transitions as f64,
                    "transition",
                    self.standard_transition_usd,
                );
            }
        }
        for (key, invocations, gb_seconds) in &inputs.lambda {
            line(
                format!("Lambda requests: {key}"),
                *invocations as f64,
                "request",
                self.lambda_request_usd,
            );
            line(
                format!("Lambda duration: {key}"),
                round9(*gb_seconds),
                "GB-second",
                self.lambda_gb_second_usd,
            );
        }
        let total_usd = round9(lines.iter().map(|l| l.usd).sum());
        Cost {
            total_usd,
            lines,
            price_table: self.clone(),
        }
    }
}

impl CostInputs {
    /// The usage recorded in `stats`. A Distributed Map's children are
    /// priced apart from the parent ([`ChildUsage`]): their transitions
    /// leave the parent's count, which gains one per child started.
    /// `lambda_memory_mb` names the memory
    /// size of each resource that is a Lambda function (`None`: not a Lambda,
    /// not priced); its GB-seconds are Σ service time rounded up to 1 ms
    /// (from [`SimStats::resource_served`]) × memory.
    pub fn from_stats(
        stats: &SimStats,
        machine_type: MachineType,
        prices: &PriceTable,
        lambda_memory_mb: impl Fn(&str) -> Option<u32>,
    ) -> Self {
        let lambda = stats
            .resource_usage()
            .into_iter()
            .filter_map(|(key, invocations, billed_ms)| {
                let mb = lambda_memory_mb(&key)?;
                let gb_s = billed_ms as f64 / 1000.0 * f64::from(mb) / 1024.0;
                Some((key, invocations, gb_s))
            })
            .collect();
        let children: Vec<ChildUsage> = stats
            .children
            .iter()
            .map(|c| ChildUsage {
                map: c.map.clone(),
                express: c.express,
                executions: c.started,
                transitions: c.transitions(&stats.states),
                express_gb_seconds: c.billed_ms as f64 / 1000.0 * prices.express_billed_gb(),
            })
            .collect();
        let in_children: u64 = children.iter().map(|c| c.transitions).sum();
        let started: u64 = children.iter().map(|c| c.executions).sum();
        Self {
            machine_type,
            executions: stats.execution_count(),
            state_transitions: stats.state_transitions().saturating_sub(in_children) + started,
            express_gb_seconds: stats.express_billed_ms() as f64 / 1000.0
                * prices.express_billed_gb(),
            lambda,
            children,
        }
    }
}

/// Whether a `Resource` calls Lambda (a function ARN or the `lambda:invoke`
/// integration), for use as the filter of [`CostInputs::from_stats`].
pub fn is_lambda_resource(resource: &str) -> bool {
    resource.starts_with("arn:")
        && (resource.split(':').nth(2) == Some("lambda") || resource.contains(":::lambda:invoke"))
}

/// Rounds to nine decimals (a billionth of a dollar) to keep float noise
/// out of printed numbers.
fn round9(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}
