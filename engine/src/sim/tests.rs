//! The simulation driver against theory and against itself: the Erlang C
//! formula for an M/M/c queue, a cost computed by hand, shards that merge
//! into the unsharded run, determinism, and a stop that reports partial.

use super::{parse_scenario, simulate, Scenario, SimOptions};
use crate::report::{report_json, CostInputs, PriceTable, ReportMeta, SimStats};
use crate::MachineType;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// A scenario from JSON, with files resolved against `examples/`.
fn scenario(v: &Value) -> Scenario {
    parse_scenario(&v.to_string(), &examples()).unwrap_or_else(|d| {
        let lines: Vec<String> = d.iter().map(ToString::to_string).collect();
        panic!("invalid scenario:\n{}", lines.join("\n"))
    })
}

fn run(sc: &Scenario, shard: Option<(u32, u32)>) -> SimStats {
    let r = simulate(
        sc,
        SimOptions {
            shard,
            ..SimOptions::default()
        },
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(!r.partial);
    r.stats
}

fn report(stats: &SimStats) -> Value {
    let prices = PriceTable::default();
    let cost = prices.estimate(&CostInputs::from_stats(
        stats,
        MachineType::Standard,
        &prices,
        |k| crate::report::is_lambda_resource(k).then_some(128),
    ));
    report_json(stats, &cost, &ReportMeta::default())
}

/// Erlang C: P(wait) and mean wait of an M/M/c queue.
fn erlang_c(lambda: f64, mu: f64, c: u32) -> (f64, f64) {
    let a = lambda / mu;
    let rho = a / f64::from(c);
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / f64::from(k);
        }
        sum += term;
    }
    let top = term * a / f64::from(c) / (1.0 - rho);
    let p_wait = top / (sum + top);
    (p_wait, p_wait / (f64::from(c) * mu - lambda))
}

fn close(what: &str, got: f64, want: f64, tol: f64) {
    let err = (got / want - 1.0).abs();
    assert!(
        err <= tol,
        "{what}: got {got}, expected {want} (error {:.2}% > {:.0}%)",
        err * 100.0,
        tol * 100.0
    );
}

/// Poisson arrivals at λ = 10/s, exponential service with mean 100 ms
/// (μ = 10/s), two servers, calls queue: ρ = 0.5, P(wait) = 1/3, mean
/// wait 33.3 ms. 200,000 executions keep the estimates' standard error
/// near 1% (measured over seeds 1–8: worst error 1.9% on the mean wait,
/// 0.8% on P(wait), 0.4% on utilisation) and run in about 1.5 s in debug.
#[test]
fn queue_matches_erlang_c() {
    let (lambda, mu, c) = (10.0, 10.0, 2);
    let sc = scenario(&json!({
        "definition": "erlang-c.asl.json",
        "seed": 1,
        "executions": 200_000,
        "arrivals": {"process": "poisson", "rate_per_s": lambda},
        "resources": {"arn:aws:lambda:us-east-1:123456789012:function:work": {
            "latency_ms": {"dist": "exponential", "mean": 1000.0 / mu},
            "max_concurrency": c
        }}
    }));
    let stats = run(&sc, None);
    let r = &stats.resources[0];
    let (p_wait, wait_s) = erlang_c(lambda, mu, c);
    let util = lambda / (f64::from(c) * mu);
    close(
        "P(wait)",
        r.waited as f64 / r.invocations as f64,
        p_wait,
        0.03,
    );
    close("mean wait (ms)", r.wait.mean_ms(), wait_s * 1000.0, 0.03);
    let measured_util = r.busy.area as f64 / stats.end_us as f64 / f64::from(c);
    close("utilisation", measured_util, util, 0.03);
    assert_eq!(r.invocations, 200_000);
}

#[test]
fn erlang_c_formula() {
    // Values from the lead's check of the driver: λ=40, μ=5, c=10.
    let (p, w) = erlang_c(40.0, 5.0, 10);
    assert!((p - 0.40918).abs() < 1e-4, "{p}");
    assert!((w * 1000.0 - 40.918).abs() < 1e-2, "{w}");
    // M/M/1: P(wait) = ρ.
    let (p, w) = erlang_c(8.0, 10.0, 1);
    assert!((p - 0.8).abs() < 1e-12 && (w - 0.4).abs() < 1e-12);
}

/// 1,000 Standard executions of Pass → Task → Pass: 3,000 transitions at
/// $0.025 per 1,000 = $0.075; 1,000 Lambda requests at $0.20 per million =
/// $0.0002; 1,000 × 100 ms × 256 MB = 25 GB-s at $0.0000166667 = $0.0004166675,
/// printed to nine decimals as $0.000416668. Total $0.075616668.
#[test]
fn cost_matches_a_hand_computation() {
    let dir = std::env::temp_dir().join(format!("stampede-sim-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Next": "C"},
        "C": {"Type": "Pass", "End": true}
    }});
    std::fs::write(dir.join("def.json"), def.to_string()).unwrap();
    let sc = parse_scenario(
        &json!({
            "definition": "def.json",
            "executions": 1000,
            "resources": {"arn:aws:lambda:us-east-1:1:function:f": {"latency_ms": 100, "memory_mb": 256}}
        })
        .to_string(),
        &dir,
    )
    .unwrap();
    let stats = run(&sc, None);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(stats.state_transitions(), 3000);
    assert_eq!(
        stats.resource_usage(),
        vec![(
            "arn:aws:lambda:us-east-1:1:function:f".to_owned(),
            1000,
            100_000
        )]
    );
    let prices = PriceTable::default();
    let cost = prices.estimate(&CostInputs::from_stats(
        &stats,
        MachineType::Standard,
        &prices,
        |_| Some(256),
    ));
    let usd: Vec<f64> = cost.lines.iter().map(|l| l.usd).collect();
    assert_eq!(usd, vec![0.075, 0.0002, 0.000416668]);
    assert_eq!(cost.total_usd, 0.075616668);
}

/// A checkout scenario with Map, Choice, Retry, Catch and injected errors
/// but no shared limits.
fn unlimited_checkout(executions: u64) -> Scenario {
    scenario(&json!({
        "definition": "checkout.asl.json",
        "seed": 7,
        "executions": executions,
        "arrivals": {"process": "poisson", "rate_per_s": 50},
        "input": {"template": {
            "orderId.$": "States.Format('o-{}', $$.Sim.Seq)",
            "amount.$": "States.MathRandom(1, 1000)",
            "items.$": "States.ArrayRange(1, States.MathRandom(1, 4), 1)"
        }},
        "resources": {
            "arn:aws:lambda:us-east-1:123456789012:function:price-line": {
                "latency_ms": {"dist": "lognormal", "median": 25, "sigma": 0.4},
                "errors": [{"error": "Lambda.ServiceException", "cause": "x", "p": 0.05}]
            },
            "arn:aws:lambda:us-east-1:123456789012:function:charge-card": {
                "latency_ms": {"dist": "exponential", "mean": 300},
                "errors": [{"error": "Payment.GatewayTimeout", "cause": "t", "p": 0.1},
                           {"error": "Payment.Declined", "cause": "d", "p": 0.05}]
            }
        }
    }))
}

/// The count fields that must be equal between merged shards and one run.
fn counts(v: &Value) -> Value {
    let states: serde_json::Map<String, Value> = v["states"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, s)| {
            (
                k.clone(),
                json!([s["entered"], s["failed"], s["retries"], s["latency_ms"]]),
            )
        })
        .collect();
    let resources: serde_json::Map<String, Value> = v["resources"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, r)| {
            (
                k.clone(),
                json!([r["invocations"], r["errors"], r["throttles"]]),
            )
        })
        .collect();
    json!({
        "executions": v["executions"],
        "latency": v["latency_ms"],
        "transitions": v["state_transitions"],
        "states": states,
        "resources": resources,
    })
}

#[test]
fn merged_shards_equal_the_unsharded_run() {
    let sc = unlimited_checkout(3000);
    let whole = report(&run(&sc, None));
    let mut merged = run(&sc, Some((0, 3)));
    merged.merge(&run(&sc, Some((1, 3))));
    merged.merge(&run(&sc, Some((2, 3))));
    let merged = report(&merged);
    assert_eq!(whole["executions"]["total"], 3000);
    assert!(whole["states"]["ChargeCard"]["retries"].as_u64().unwrap() > 0);
    assert!(whole["executions"]["by_status"]["FAILED"].as_u64().unwrap() > 0);
    assert_eq!(counts(&merged), counts(&whole));
    assert_eq!(merged["cost"]["lines"][0], whole["cost"]["lines"][0]);
}

#[test]
fn shard_files_round_trip() {
    let sc = unlimited_checkout(500);
    let stats = run(&sc, Some((1, 2)));
    let back = SimStats::from_shard_json(&stats.to_shard_json()).unwrap();
    assert_eq!(report(&back), report(&stats));
}

#[test]
fn same_seed_same_report() {
    let sc = unlimited_checkout(1000);
    let a = report(&run(&sc, None)).to_string();
    let b = report(&run(&sc, None)).to_string();
    assert_eq!(a, b);
    let mut other = sc.clone();
    other.seed = 8;
    assert_ne!(report(&run(&other, None)).to_string(), a);
}

#[test]
fn a_stop_reports_what_finished_as_partial() {
    let sc = unlimited_checkout(1_000_000);
    let stop = AtomicBool::new(true);
    let r = simulate(
        &sc,
        SimOptions {
            stop: Some(&stop),
            ..SimOptions::default()
        },
    )
    .unwrap();
    assert!(r.partial);
    assert!(r.stats.execution_count() < 1_000_000);
}
