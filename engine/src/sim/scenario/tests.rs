use super::*;
use crate::sim::dist::LatencyDist;
use crate::sim::resource::OnLimit;
use serde_json::json;

const DEF: &str = r#"{"StartAt":"P","States":{
  "P":{"Type":"Parallel","Next":"M","Branches":[
    {"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","End":true}}}]},
  "M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Ship","States":{
    "Ship":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}}}}"#;

/// A fresh folder holding `order.asl.json`, `inputs.jsonl` and `prices.json`.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stampede-sim-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("order.asl.json"), DEF).unwrap();
    std::fs::write(d.join("inputs.jsonl"), "{\"a\":1}\n\n[2]\n").unwrap();
    std::fs::write(d.join("prices.json"), "{}").unwrap();
    d
}

fn parse(name: &str, v: serde_json::Value) -> Result<Scenario, Vec<Diagnostic>> {
    parse_scenario(&v.to_string(), &dir(name))
}

/// The diagnostics as `pointer: CODE: message` lines.
fn errors(name: &str, v: serde_json::Value) -> Vec<String> {
    parse(name, v)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn issue_example() -> serde_json::Value {
    json!({
      "definition": "order.asl.json",
      "type": "STANDARD",
      "seed": 42,
      "executions": 100000,
      "arrivals": {"process": "poisson", "rate_per_s": 50},
      "input": {"template": {"orderId.$": "States.Format('o-{}', $$.Sim.Seq)"}},
      "resources": {
        "arn:aws:lambda:us-east-1:123456789012:function:charge": {
          "latency_ms": {"dist": "exponential", "mean": 200},
          "errors": [{"error": "Lambda.ServiceException", "p": 0.01}],
          "output": "echo",
          "max_concurrency": 10,
          "on_limit": "queue"
        }
      }
    })
}

#[test]
fn issue_example_parses() {
    let s = parse("example", issue_example()).unwrap();
    assert_eq!(s.definition_text, DEF);
    assert!(s.definition_path.ends_with("order.asl.json"));
    assert_eq!(
        (s.seed, s.executions, s.duration_s),
        (42, Some(100_000), None)
    );
    assert_eq!(s.arrivals, ArrivalSpec::Poisson { rate_per_s: 50.0 });
    assert!(matches!(s.input, InputSpec::Template(_)));
    let r = &s.resources[0];
    assert_eq!(r.latency, LatencyDist::Exponential { mean: 200.0 });
    assert_eq!(r.errors[0].error, "Lambda.ServiceException");
    assert_eq!(r.max_concurrency, Some(10));
    assert_eq!(r.on_limit, OnLimit::Queue { max_queue_ms: None });
    assert_eq!(r.throttle_error, "Lambda.TooManyRequestsException");
    assert_eq!(r.memory_mb, 128);
    assert_eq!(s.quotas, Quotas::default());
    assert!(s.model_for("arn:aws:states:::sqs:sendMessage").is_none());
    assert!(matches!(s.arrival_mode(), ArrivalMode::Open(_)));
}

#[test]
fn everything_else_parses() {
    let s = parse(
        "full",
        json!({
          "name": "spike", "definition": "order.asl.json", "type": "EXPRESS",
          "duration_s": 120, "comment": "free text",
          "arrivals": {"process": "steps", "steps": [{"at_s": 0, "rate_per_s": 10}, {"at_s": 60, "rate_per_s": 50}]},
          "input": {"file": "inputs.jsonl"},
          "resources": {
            "arn:aws:states:::sqs:*": {
              "latency_ms": {"dist": "empirical", "percentiles": {"p0": 5, "p50": 40, "p99.9": 400, "p100": 900}},
              "output": {"value": {"ok": true}},
              "max_rate_per_s": 100, "burst": 20, "on_limit": "throttle", "memory_mb": 1024
            },
            "*": {"latency_ms": 3, "output": {"template": {"id.$": "$.a"}}, "on_limit": "queue", "max_queue_ms": 500}
          },
          "quotas": {"preset": "aws", "start_execution_rate_per_s": 10, "on_start_limit": "reject"},
          "prices": "prices.json"
        }),
    )
    .unwrap();
    assert_eq!(s.name.as_deref(), Some("spike"));
    assert_eq!(s.machine_type, MachineType::Express);
    let InputSpec::File { lines, .. } = &s.input else {
        panic!("file input")
    };
    assert_eq!(lines, &["{\"a\":1}", "[2]"]);
    let sqs = s.model_for("arn:aws:states:::sqs:sendMessage").unwrap();
    assert_eq!(sqs.throttle_error, "ThrottlingException");
    assert_eq!(
        (sqs.on_limit, sqs.bucket_size()),
        (OnLimit::Throttle, Some(20.0))
    );
    let any = s.model_for("arn:aws:lambda:x").unwrap();
    assert_eq!(any.latency, LatencyDist::Constant(3.0));
    assert_eq!(
        any.on_limit,
        OnLimit::Queue {
            max_queue_ms: Some(500.0)
        }
    );
    let se = s.quotas.start_execution.unwrap();
    assert_eq!((se.rate_per_s, se.burst), (10.0, 6000.0));
    assert!(s.quotas.state_transitions.is_none());
    assert_eq!(s.quotas.on_start_limit, StartLimit::Reject);
    assert_eq!(s.prices_text.as_deref(), Some("{}"));
}

#[test]
fn every_problem_at_its_pointer() {
    let mut v = issue_example();
    v["definition"] = json!("missing.asl.json");
    v["arrivals"]["rate_per_s"] = json!(0);
    v["extra"] = json!(1);
    let r = &mut v["resources"]["arn:aws:lambda:us-east-1:123456789012:function:charge"];
    r["latncy_ms"] = json!(5);
    r["errors"] = json!([{"error": "A", "p": 1.5}, {"error": "B", "p": 0.7}, {"p": 0.1}]);
    r["max_concurrency"] = json!(0);
    r["on_limit"] = json!("drop");
    r["memory_mb"] = json!(64);
    v["resources"]["a/b~"] = json!({"latency_ms": {"dist": "normal", "mean": -1}});
    let got = errors("bad", v);
    let want = [
        "/extra: SCENARIO_UNKNOWN_FIELD: unknown field",
        "/definition: SCENARIO_FILE: file not found: ",
        "/arrivals/rate_per_s: SCENARIO_INVALID: must be > 0",
        "/resources/arn:aws:lambda:us-east-1:123456789012:function:charge/latncy_ms: SCENARIO_UNKNOWN_FIELD: unknown field; did you mean 'latency_ms'?",
        "/errors/0/p: SCENARIO_INVALID: must be between 0 and 1",
        "/errors/2/error: SCENARIO_INVALID: missing required field",
        "function:charge/max_concurrency: SCENARIO_INVALID: must be a positive integer",
        "function:charge/on_limit: SCENARIO_INVALID: must be \"queue\" or \"throttle\", not \"drop\"",
        "function:charge/memory_mb: SCENARIO_INVALID: must be an integer between 128 and 10240",
        "/resources/a~1b~0/latency_ms/mean: SCENARIO_INVALID: must be >= 0",
    ];
    for w in want {
        assert!(got.iter().any(|g| g.contains(w)), "{w:?} not in {got:#?}");
    }
    // p = 0.7 alone is fine; the sum check skips the out-of-range 1.5.
    assert!(!got.iter().any(|g| g.contains("sum to")), "{got:#?}");
}

#[test]
fn bounds_and_shapes() {
    let got = errors("bounds", json!({"definition": "order.asl.json"}));
    assert_eq!(
        got,
        ["/: SCENARIO_INVALID: needs 'executions' or 'duration_s' (or both) to bound the run"]
    );
    let got = errors(
        "all",
        json!({"definition": "order.asl.json", "duration_s": 5}),
    );
    assert!(got[0].starts_with("/executions: SCENARIO_INVALID: arrivals \"all\""));
    let got = errors(
        "shapes",
        json!({
          "definition": "order.asl.json", "executions": 1, "type": "FAST", "seed": -1,
          "arrivals": {"process": "steps", "steps": [{"at_s": 5, "rate_per_s": 0}, {"at_s": 5, "rate_per_s": 1}]},
          "input": {"value": 1, "file": "inputs.jsonl"},
          "resources": {"*": {
            "latency_ms": {"dist": "lognormal", "median": 5, "stddev": 1},
            "errors": [{"error": "A", "p": 0.6}, {"error": "B", "p": 0.6}],
            "output": {"template": {"x.$": "not a path"}},
            "burst": 0.5, "on_limit": "throttle", "max_queue_ms": 5
          }},
          "quotas": {"preset": "gcp", "state_transitions_burst": 5}
        }),
    );
    let want = [
        "/type: SCENARIO_INVALID",
        "/seed: SCENARIO_INVALID: must be a non-negative integer",
        "/arrivals/steps/1/at_s: SCENARIO_INVALID: must be greater than the previous step's",
        "/input: SCENARIO_INVALID: needs exactly one of",
        "/resources/*/latency_ms: SCENARIO_INVALID: give either",
        "/resources/*/errors: SCENARIO_INVALID: probabilities sum to 1.2, must be at most 1",
        "/resources/*/output/template: SCENARIO_INVALID: The value for the field 'x.$'",
        "/resources/*/burst: SCENARIO_INVALID: needs max_rate_per_s",
        "/resources/*/burst: SCENARIO_INVALID: must be >= 1",
        "/resources/*/max_queue_ms: SCENARIO_INVALID: only applies",
        "/quotas/preset: SCENARIO_INVALID",
        "/quotas/state_transitions_burst: SCENARIO_INVALID: needs state_transitions_per_s",
    ];
    for w in want {
        assert!(got.iter().any(|g| g.contains(w)), "{w:?} not in {got:#?}");
    }
}

#[test]
fn dist_errors() {
    let d = |latency: serde_json::Value| {
        errors(
            "dists",
            json!({"definition": "order.asl.json", "executions": 1,
                   "resources": {"*": {"latency_ms": latency}}}),
        )
    };
    assert!(d(json!({"dist": "gamma"}))[0]
        .contains("/latency_ms/dist: SCENARIO_INVALID: unknown distribution 'gamma'"));
    assert!(d(json!({"dist": "uniform", "min": 5, "max": 1}))[0]
        .contains("/latency_ms/max: SCENARIO_INVALID: must be >= min"));
    assert!(d(json!({"dist": "exponential", "mean": 0}))[0]
        .contains("/latency_ms/mean: SCENARIO_INVALID: must be > 0"));
    assert!(d(json!({"dist": "exponential", "mean": 1, "stddev": 2}))[0]
        .contains("/latency_ms/stddev: SCENARIO_UNKNOWN_FIELD"));
    assert!(d(json!({"dist": "constant"}))[0]
        .contains("/latency_ms/value: SCENARIO_INVALID: missing required field"));
    assert!(
        d(json!({"dist": "empirical", "percentiles": {"p50": 4, "p100": 9}}))[0]
            .contains("/latency_ms/percentiles: SCENARIO_INVALID: must include p0 and p100")
    );
    assert!(
        d(json!({"dist": "empirical", "percentiles": {"p0": 1, "median": 4, "p100": 9}}))[0]
            .contains("/latency_ms/percentiles/median: SCENARIO_INVALID: must be named")
    );
    assert!(d(json!("fast"))[0].contains("/latency_ms: SCENARIO_INVALID"));
}

#[test]
fn files_and_json() {
    assert_eq!(
        errors("json", json!([1]))[0],
        "/: SCENARIO_INVALID: must be an object"
    );
    let e = parse_scenario("{", Path::new(".")).unwrap_err();
    assert!(e[0].message.starts_with("invalid JSON"));
    let d = dir("files");
    std::fs::write(d.join("bad.jsonl"), "{}\nnope\n").unwrap();
    let got = errors(
        "files",
        json!({"definition": "order.asl.json", "executions": 1,
               "input": {"file": "bad.jsonl"}, "prices": "nothere.json"}),
    );
    assert!(
        got.iter()
            .any(|g| g.starts_with("/input/file: SCENARIO_FILE: line 2: invalid JSON")),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|g| g.starts_with("/prices: SCENARIO_FILE: file not found")),
        "{got:#?}"
    );
}

#[test]
fn closed_and_bursts() {
    let s = parse(
        "closed",
        json!({"definition": "order.asl.json", "duration_s": 60,
               "arrivals": {"process": "closed", "concurrency": 4, "think_ms": {"dist": "constant", "value": 100}}}),
    )
    .unwrap();
    assert!(matches!(
        s.arrival_mode(),
        ArrivalMode::Closed {
            concurrency: 4,
            think_ms: Some(_),
            ..
        }
    ));
    let s = parse(
        "bursts",
        json!({"definition": "order.asl.json", "duration_s": 600,
               "arrivals": {"process": "bursts", "every_s": 60, "size": 1000}}),
    )
    .unwrap();
    assert_eq!(
        s.arrivals,
        ArrivalSpec::Bursts {
            every_s: 60.0,
            size: 1000,
            start_s: 0.0,
            spread_s: 0.0
        }
    );
}

#[test]
fn resources_are_checked_against_the_definition() {
    let mut v = issue_example();
    v["resources"]["arn:aws:states:::sqs:*"] = json!({});
    v["resources"]["arn:aws:dynamodb:*"] = json!({});
    let s = parse("check", v).unwrap();
    let def = crate::Definition::parse(&s.definition_text, crate::MachineType::Standard).unwrap();
    let tasks = task_resources(&def);
    assert_eq!(
        tasks,
        [
            "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "arn:aws:states:::sqs:sendMessage"
        ]
    );
    let got: Vec<String> = check_resources(&s, &tasks)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        ["/resources/arn:aws:dynamodb:*: SCENARIO_UNMATCHED_RESOURCE: matches no Task Resource in the definition"]
    );
}
