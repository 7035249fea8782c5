//! The cost estimate of a report: the price table applied to the
//! statistics, with the memory size of each Lambda function.

use stampede::report::{is_lambda_resource, Cost, CostInputs, PriceTable, SimStats};
use stampede::sim::Scenario;
use stampede::MachineType;
use std::collections::BTreeMap;

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
