//! The parallel driver against itself: every number of threads gives the
//! same report bytes, with and without shared limits, in open and closed
//! loops; the StateTransition quota holds executions as its bucket says.

use super::{parse_scenario, simulate, Scenario, SimOptions};
use crate::report::{report_json, CostInputs, PriceTable, ReportMeta, SimStats};
use crate::MachineType;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// An example scenario with some fields replaced.
fn example(file: &str, changes: &Value) -> Scenario {
    let text = std::fs::read_to_string(examples().join(file)).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    for (k, x) in changes.as_object().unwrap() {
        v[k] = x.clone();
    }
    parse_scenario(&v.to_string(), &examples()).unwrap_or_else(|d| panic!("{d:?}"))
}

fn run(sc: &Scenario, threads: usize) -> SimStats {
    let r = simulate(
        sc,
        SimOptions {
            threads: Some(threads),
            ..SimOptions::default()
        },
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(!r.partial);
    r.stats
}

/// The `--json` report, as the CLI prints it.
fn report(stats: &SimStats) -> String {
    let prices = PriceTable::default();
    let cost = prices.estimate(&CostInputs::from_stats(
        stats,
        MachineType::Standard,
        &prices,
        |k| crate::report::is_lambda_resource(k).then_some(128),
    ));
    let v = report_json(stats, &cost, &ReportMeta::default());
    serde_json::to_string_pretty(&v).unwrap()
}

/// The report for 1, 2 and 4 threads: all the same bytes.
fn same_for_any_threads(sc: &Scenario) -> Value {
    let one = report(&run(sc, 1));
    for t in [2, 4] {
        let other = report(&run(sc, t));
        assert!(
            other == one,
            "{t} threads differ from 1:\n{other}\nvs\n{one}"
        );
    }
    serde_json::from_str(&one).unwrap()
}

#[test]
fn order_sim_is_the_same_on_any_number_of_threads() {
    let v = same_for_any_threads(&example("order-sim.json", &json!({"executions": 4000})));
    // The shared limits were reached: calls queued and were throttled.
    let r = &v["resources"];
    let charge = &r["arn:aws:lambda:us-east-1:123456789012:function:charge-card"];
    assert!(charge["p_wait"].as_f64().unwrap() > 0.0, "{charge}");
    assert!(
        r["arn:aws:states:::dynamodb:*"]["throttles"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(v["executions"]["total"], 4000);
}

#[test]
fn erlang_c_is_the_same_on_any_number_of_threads() {
    let v = same_for_any_threads(&example("erlang-c.json", &json!({"executions": 20000})));
    let r = &v["resources"]["arn:aws:lambda:us-east-1:123456789012:function:work"];
    assert!(r["p_wait"].as_f64().unwrap() > 0.2, "{r}");
}

#[test]
fn closed_loops_and_start_quotas_are_the_same_on_any_number_of_threads() {
    let closed = example(
        "order-sim.json",
        &json!({"executions": 1500,
                "arrivals": {"process": "closed", "concurrency": 150, "think_ms": 20}}),
    );
    same_for_any_threads(&closed);
    let quota = example(
        "order-sim.json",
        &json!({"executions": 1500,
                "quotas": {"start_execution_rate_per_s": 100, "start_execution_burst": 50}}),
    );
    let v = same_for_any_threads(&quota);
    // 1,450 starts wait for tokens at 100/s.
    assert!(v["meta"]["simulated_seconds"].as_f64().unwrap() > 14.0);
}

/// Parallel branches that call one limited resource at the same instant:
/// every branch's call waits for the event loop, in the branches' order.
#[test]
fn parallel_branches_on_a_limited_resource_are_the_same_on_any_number_of_threads() {
    let dir = std::env::temp_dir().join(format!("stampede-par-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let task = |n: &str| {
        let caught = format!("{n}Caught");
        json!({"StartAt": n, "States": {n: {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:1:function:f",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2,
                       "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": caught}], "End": true},
            caught: {"Type": "Pass", "End": true}}})
    };
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel",
        "Branches": [task("A"), task("B"), task("C")], "End": true}}});
    std::fs::write(dir.join("def.json"), def.to_string()).unwrap();
    let sc = parse_scenario(
        &json!({"definition": "def.json", "executions": 600, "seed": 3,
                "arrivals": {"process": "poisson", "rate_per_s": 100},
                "resources": {"arn:aws:lambda:us-east-1:1:function:f": {
                    "latency_ms": {"dist": "exponential", "mean": 30},
                    "max_concurrency": 4, "on_limit": "throttle"}}})
        .to_string(),
        &dir,
    )
    .unwrap();
    let v = same_for_any_threads(&sc);
    std::fs::remove_dir_all(&dir).ok();
    let r = &v["resources"]["arn:aws:lambda:us-east-1:1:function:f"];
    assert!(r["throttles"].as_u64().unwrap() > 0, "{r}");
}

/// 1,000 executions of three Pass states, all at time 0, under a
/// StateTransition bucket of 100 tokens refilled at 100/s: the first 100
/// transitions pass, the other 2,900 wait, so the last execution is held
/// until 2,900 / 100 = 29 s.
#[test]
fn the_state_transition_quota_holds_executions() {
    let dir = std::env::temp_dir().join(format!("stampede-stq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Pass", "End": true}}});
    std::fs::write(dir.join("def.json"), def.to_string()).unwrap();
    let sc = |quotas: Value| {
        parse_scenario(
            &json!({"definition": "def.json", "executions": 1000, "quotas": quotas}).to_string(),
            &dir,
        )
        .unwrap()
    };
    let held = same_for_any_threads(&sc(
        json!({"state_transitions_per_s": 100, "state_transitions_burst": 100}),
    ));
    let free = same_for_any_threads(&sc(json!({})));
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(held["executions"]["by_status"]["SUCCEEDED"], 1000);
    assert_eq!(held["state_transitions"], 3000);
    assert_eq!(held["state_transitions_throttled"]["transitions"], 2900);
    let max = held["latency_ms"]["max"].as_f64().unwrap();
    assert!((max - 29_000.0).abs() < 1.0, "{max}");
    assert!((held["meta"]["simulated_seconds"].as_f64().unwrap() - 29.0).abs() < 0.01);
    assert!(free.get("state_transitions_throttled").is_none());
    assert_eq!(free["latency_ms"]["max"], 0.0);
}
