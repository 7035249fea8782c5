//! Simulation reports: [`SimStats`], the mergeable recorder a simulation
//! writes into (one per worker or shard, merged on demand, saved as a shard
//! file for `stampede merge`), the cost estimate with its editable
//! [`PriceTable`], and three renderings of the result: [`report_json`]
//! (`--json`), [`report_text`] (the terminal summary) and [`report_html`]
//! (`--html`, a self-contained page with the state machine drawn as a graph).
//! Reading a price table or a shard file fails with a [`PriceTableError`]
//! or a [`ShardError`] (the latter at its JSON pointer).
//!
//! ```
//! use stampede::report::{report_json, CostInputs, PriceTable, ReportMeta, SimStats};
//! use stampede::MachineType;
//!
//! let mut stats = SimStats::new(vec!["Work".into()], vec!["fn".into()]);
//! stats.state_entered(0);
//! stats.resource_busy(0, 0.0, 1, Some(10));
//! stats.resource_invoked(0, 0.0);
//! stats.resource_busy(0, 120.0, 0, Some(10));
//! stats.state_left(0, 120.0);
//! stats.transitions(2);
//! stats.execution_done("SUCCEEDED", None, 120.0);
//! stats.finish(1000.0);
//!
//! let prices = PriceTable::default();
//! let cost = prices.estimate(&CostInputs::from_stats(&stats, MachineType::Standard, &prices, |_| None));
//! let json = report_json(&stats, &cost, &ReportMeta::default());
//! assert_eq!(json["executions"]["by_status"]["SUCCEEDED"], 1);
//! assert_eq!(json["resources"]["fn"]["mean_concurrency"], 0.12);
//! ```

mod cost;
mod error;
mod fields;
mod fmt;
mod hist;
mod html;
mod json;
mod layout;
mod series;
mod shard;
mod stats;
mod summary;
mod text;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_children;

pub use cost::{is_lambda_resource, ChildUsage, Cost, CostInputs, CostLine, PriceTable};
pub use error::{PriceTableError, ShardError, ShardErrorKind};
pub use html::report_html;
pub use json::{report_json, ReportMeta};
pub use shard::SHARD_FORMAT;
pub use stats::SimStats;
pub use text::report_text;
