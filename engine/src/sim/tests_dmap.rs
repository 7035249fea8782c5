//! Distributed Maps in a simulation: child executions counted, tolerated
//! failures within and over the threshold, and the children's cost.

use super::{parse_scenario, simulate, SimOptions};
use crate::report::{report_json, CostInputs, PriceTable, ReportMeta};
use crate::MachineType;
use serde_json::{json, Value};

/// A Map over `$.items` (Express children, one Lambda Task each) run
/// `executions` times with `items` items each, the Lambda failing with
/// probability `p`, `tolerated` percent of the items tolerated.
fn run(executions: u64, items: u64, p: f64, tolerated: u64) -> Value {
    let dir = std::env::temp_dir().join(format!(
        "stampede-sim-dmap-{}-{executions}-{items}-{tolerated}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let def = json!({"StartAt": "Fan", "States": {"Fan": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 50,
        "ToleratedFailurePercentage": tolerated,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "Work", "States": {"Work": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "End": true}}},
        "ResultSelector": {"n.$": "States.ArrayLength($)"},
        "End": true}}});
    std::fs::write(dir.join("def.json"), def.to_string()).expect("write");
    let list: Vec<u64> = (0..items).collect();
    let sc = json!({
        "definition": "def.json", "seed": 3, "executions": executions,
        "input": {"value": {"items": list}},
        "resources": {"arn:aws:lambda:us-east-1:123456789012:function:work": {
            "latency_ms": {"dist": "exponential", "mean": 40},
            "errors": [{"error": "Boom", "cause": "b", "p": p}],
            "memory_mb": 128
        }}
    });
    let sc = parse_scenario(&sc.to_string(), &dir).unwrap_or_else(|d| panic!("{d:?}"));
    let r = simulate(&sc, SimOptions::default()).unwrap_or_else(|d| panic!("{d}"));
    let prices = PriceTable::default();
    let cost = prices.estimate(&CostInputs::from_stats(
        &r.stats,
        MachineType::Standard,
        &prices,
        |k| crate::report::is_lambda_resource(k).then_some(128),
    ));
    let _ = std::fs::remove_dir_all(&dir);
    report_json(&r.stats, &cost, &ReportMeta::default())
}

#[test]
fn children_within_the_tolerance_are_counted_and_priced() {
    // 200 executions × 40 items; 5% of the calls fail, 50% tolerated: every
    // Map Run succeeds and its failures are tolerated.
    let j = run(200, 40, 0.05, 50);
    let d = &j["distributed_maps"]["Fan"];
    assert_eq!(d["execution_type"], "EXPRESS");
    let c = &d["child_executions"];
    assert_eq!(c["started"], 8_000);
    let failed = c["failed"].as_u64().unwrap();
    assert_eq!(c["succeeded"].as_u64().unwrap() + failed, 8_000);
    assert_eq!(c["aborted"], 0);
    // 5% of 8,000 is 400: a binomial count within ±100 of it.
    assert!((300..=500).contains(&failed), "{failed}");
    assert_eq!(d["map_runs"], 200);
    assert_eq!(d["map_runs_over_tolerance"], 0);
    assert_eq!(d["tolerated_failed_items"].as_u64().unwrap(), failed);
    assert_eq!(d["child_transitions"], 8_000);
    assert_eq!(j["executions"]["by_status"]["SUCCEEDED"], 200);
    let lines = j["cost"]["lines"].as_array().unwrap();
    let qty = |item: &str| {
        lines
            .iter()
            .find(|l| l["item"] == item)
            .map(|l| l["quantity"].as_f64().unwrap())
    };
    // The parent: its Map state and one transition per child started.
    assert_eq!(qty("Standard state transitions"), Some(200.0 + 8_000.0));
    assert_eq!(
        qty("Express requests: Distributed Map Fan children"),
        Some(8_000.0)
    );
    // Each child is billed at least 100 ms of 64 MB: ≥ 8,000 × 0.1 × 0.0625 GB-s.
    assert!(qty("Express duration: Distributed Map Fan children").unwrap() >= 50.0);
}

#[test]
fn runs_over_the_tolerance_fail_and_stop_their_children() {
    // 30% of the calls fail, none tolerated: every Map Run fails at its
    // first failure, and the children still running are stopped.
    let j = run(50, 200, 0.3, 0);
    let d = &j["distributed_maps"]["Fan"];
    assert_eq!(d["map_runs"], 50);
    assert_eq!(d["map_runs_over_tolerance"], 50);
    assert_eq!(d["tolerated_failed_items"], 0);
    let c = &d["child_executions"];
    let (s, ok, f, a) = (
        c["started"].as_u64().unwrap(),
        c["succeeded"].as_u64().unwrap(),
        c["failed"].as_u64().unwrap(),
        c["aborted"].as_u64().unwrap(),
    );
    assert_eq!(ok + f + a, s);
    assert!(f >= 50 && a > 0, "{c}");
    assert_eq!(
        j["executions"]["by_error"]["States.ExceedToleratedFailureThreshold"],
        50
    );
}
