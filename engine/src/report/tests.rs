//! Unit tests of the report module: merging, shard files, cost, renderings.

use super::*;
use crate::asl::{Block, StateKind};
use crate::MachineType;
use serde_json::{json, Value};

const DEFINITION: &str = r#"{
  "StartAt": "Validate <&>",
  "States": {
    "Validate <&>": { "Type": "Pass", "Next": "Route" },
    "Route": {
      "Type": "Choice",
      "Choices": [{ "Variable": "$.n", "NumericGreaterThan": 1, "Next": "Fan" }],
      "Default": "Single"
    },
    "Single": {
      "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:one",
      "Retry": [{ "ErrorEquals": ["States.ALL"] }],
      "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Failed" }],
      "Next": "Done"
    },
    "Fan": {
      "Type": "Parallel",
      "Branches": [
        { "StartAt": "Left", "States": { "Left": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true } } },
        { "StartAt": "Items", "States": { "Items": {
            "Type": "Map",
            "ItemProcessor": { "StartAt": "Each", "States": { "Each": { "Type": "Wait", "Seconds": 1, "End": true } } },
            "End": true } } }
      ],
      "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Failed" }],
      "Next": "Done"
    },
    "Done": { "Type": "Succeed" },
    "Failed": { "Type": "Fail", "Error": "Order.Failed" }
  }
}"#;

fn machine() -> crate::asl::StateMachine {
    crate::asl::parse(DEFINITION).expect("valid definition").0
}

fn names(block: &Block, out: &mut Vec<String>) {
    for s in &block.states {
        out.push(s.name.clone());
        match &s.kind {
            StateKind::Parallel(p) => p.branches.iter().for_each(|b| names(b, out)),
            StateKind::Map(m) => names(&m.processor, out),
            _ => {}
        }
    }
}

fn state_names() -> Vec<String> {
    let mut v = Vec::new();
    names(&machine().block, &mut v);
    v
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn ms(&mut self, max: f64) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 * max
    }
}

/// Feeds `n` executions into `sinks[i % sinks.len()]`; resource `r`'s
/// concurrency goes only to sink `r % sinks.len()` (a shard owns its slice).
fn simulate(n: usize, sinks: &mut [&mut SimStats]) {
    let states = state_names().len();
    let k = sinks.len();
    let mut rng = Rng(7);
    for i in 0..n {
        let s = &mut *sinks[i % k];
        for st in 0..states {
            s.state_entered(st);
            if rng.next().is_multiple_of(10) {
                s.state_retried(st);
            }
            if rng.next().is_multiple_of(25) {
                s.state_failed(st);
            } else {
                s.state_left(st, rng.ms(50.0));
            }
        }
        let r = i % 2;
        s.resource_invoked(
            r,
            if rng.next().is_multiple_of(3) {
                rng.ms(20.0)
            } else {
                0.0
            },
        );
        s.resource_served(r, rng.ms(200.0));
        if rng.next().is_multiple_of(20) {
            s.resource_error(r);
        }
        if rng.next().is_multiple_of(50) {
            s.resource_throttled(r);
        }
        s.transitions(states as u64 + 1);
        let latency = rng.ms(3_000.0);
        match rng.next() % 10 {
            0 => s.execution_done("FAILED", Some("Order.Failed"), latency),
            1 => s.execution_done("TIMED_OUT", Some("States.Timeout"), latency),
            _ => s.execution_done("SUCCEEDED", None, latency),
        }
    }
    // Concurrency: resource r's changes go to sink r % k.
    for r in 0..2 {
        let s = &mut *sinks[r % k];
        let mut t = 0.0;
        for step in 0..2_000u32 {
            t += rng.ms(40.0);
            s.resource_busy(r, t, (step * 7 + r as u32) % 9, Some(8 + r as u32));
        }
    }
    for s in sinks.iter_mut() {
        s.finish(90_000.0);
    }
}

fn new_stats() -> SimStats {
    SimStats::new(state_names(), vec!["fn-a".into(), "fn-b".into()])
}

fn report(stats: &SimStats) -> String {
    let prices = PriceTable::default();
    let inputs = CostInputs::from_stats(stats, MachineType::Standard, &prices, |k| {
        (k == "fn-a").then_some(512)
    });
    let meta = ReportMeta {
        scenario: "orders".into(),
        seed: 42,
        ..ReportMeta::default()
    };
    serde_json::to_string_pretty(&report_json(stats, &prices.estimate(&inputs), &meta)).unwrap()
}

#[test]
fn two_halves_merged_equal_the_whole() {
    let mut whole = new_stats();
    simulate(5_000, &mut [&mut whole]);
    let (mut a, mut b) = (new_stats(), new_stats());
    simulate(5_000, &mut [&mut a, &mut b]);
    assert_ne!(report(&a), report(&whole));
    a.merge(&b);
    assert_eq!(report(&a), report(&whole));
    assert_eq!(a.execution_count(), 5_000);
}

#[test]
fn merge_order_does_not_matter() {
    let (mut a, mut b, mut c) = (new_stats(), new_stats(), new_stats());
    simulate(3_000, &mut [&mut a, &mut b, &mut c]);
    let mut abc = a.clone();
    abc.merge(&b);
    abc.merge(&c);
    let mut cba = c.clone();
    cba.merge(&b);
    cba.merge(&a);
    // Names are appended in merge order, so compare per key.
    let (x, y): (Value, Value) = (
        serde_json::from_str(&report(&abc)).unwrap(),
        serde_json::from_str(&report(&cba)).unwrap(),
    );
    assert_eq!(x, y);
}

#[test]
fn shard_file_round_trips() {
    let mut s = new_stats();
    simulate(2_000, &mut [&mut s]);
    let file = s.to_shard_json();
    let text = serde_json::to_string(&file).unwrap();
    let back = SimStats::from_shard_json(&serde_json::from_str(&text).unwrap()).unwrap();
    assert_eq!(report(&back), report(&s));
    assert_eq!(back.to_shard_json(), file);
    // Merging shards read from files equals merging in memory.
    let (mut a, mut b) = (new_stats(), new_stats());
    simulate(2_000, &mut [&mut a, &mut b]);
    let mut from_files = SimStats::from_shard_json(&a.to_shard_json()).unwrap();
    from_files.merge(&SimStats::from_shard_json(&b.to_shard_json()).unwrap());
    assert_eq!(report(&from_files), report(&s));
}

#[test]
fn shard_file_errors_name_the_field() {
    let mut v = new_stats().to_shard_json();
    v["states"][0]["entered"] = json!("many");
    let e = SimStats::from_shard_json(&v).unwrap_err().to_string();
    assert!(e.contains("states[0]") && e.contains("entered"), "{e}");
    let e = SimStats::from_shard_json(&json!({"format": "other"}))
        .unwrap_err()
        .to_string();
    assert!(e.contains("format"), "{e}");
}

#[test]
fn shard_errors_carry_a_pointer_and_keep_their_messages() {
    type Edit = fn(&mut Value);
    let bad = |edit: Edit| {
        let mut v = new_stats().to_shard_json();
        edit(&mut v);
        let e = SimStats::from_shard_json(&v).unwrap_err();
        (e.pointer.clone(), e.to_string())
    };
    let cases: [(Edit, &str, &str); 6] = [
        (
            |v| v["states"][0]["time"]["hist"] = json!(3),
            "/states/0/time/hist",
            "states[0]: `hist` must be a string",
        ),
        (
            |v| v["by_status"]["a/b"] = json!("x"),
            "/by_status/a~1b",
            "by_status: `a/b` must be a whole number",
        ),
        (
            |v| v["resources"][1]["busy"]["width_us"] = json!(0),
            "/resources/1/busy",
            "resources[1]: inconsistent concurrency series",
        ),
        (
            |v| v["resources"][0]["busy"]["level"] = json!(1u64 << 40),
            "/resources/0/busy/level",
            "resources[0]: `level` is out of range",
        ),
        (
            |v| {
                v.as_object_mut().unwrap().remove("transitions");
            },
            "/transitions",
            "shard: `transitions` is missing",
        ),
        (
            |v| v["latency"]["hist"] = json!("%%"),
            "/latency/hist",
            "latency: `hist` is not base64: Invalid symbol 37, offset 0.",
        ),
    ];
    for (edit, pointer, message) in cases {
        assert_eq!(bad(edit), (pointer.to_owned(), message.to_owned()));
    }
}

#[test]
fn price_table_errors_say_where() {
    let e = PriceTable::from_json_str("{\n  \"typo\": 1}").unwrap_err();
    assert_eq!(e.line_column(), Some((2, 8)));
    assert!(
        e.to_string()
            .starts_with("price table: unknown field `typo`"),
        "{e}"
    );
    let e = PriceTable::from_json_file("/nonexistent/prices.json").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("reading /nonexistent/prices.json: "),
        "{e}"
    );
    assert_eq!(e.line_column(), None);
}

#[test]
fn concurrency_integrates_exactly() {
    let mut s = SimStats::new(vec![], vec!["r".into()]);
    s.resource_busy(0, 0.0, 2, Some(4));
    s.resource_busy(0, 500.0, 0, Some(4));
    s.finish(1_000.0);
    let j = report_json(
        &s,
        &PriceTable::default().estimate(&inputs0()),
        &ReportMeta::default(),
    );
    let r = &j["resources"]["r"];
    assert_eq!(r["peak_concurrency"], 2);
    assert_eq!(r["mean_concurrency"], 1.0);
    assert_eq!(r["utilization"], 0.25);
    assert_eq!(j["meta"]["simulated_seconds"], 1.0);
}

#[test]
fn long_runs_keep_few_buckets_and_the_same_integral() {
    let mut s = SimStats::new(vec![], vec!["r".into()]);
    for i in 0..100_000u32 {
        s.resource_busy(0, f64::from(i) * 37.0, i % 5, None);
    }
    s.finish(3_700_000.0);
    let b = &s.resources[0].busy;
    assert!(b.area_b.len() <= series::MAX_POINTS);
    assert_eq!(b.area_b.iter().sum::<u64>(), b.area);
    assert_eq!(b.peak(), 4);
    // Mean level: (0+1+2+3+4)/5 = 2.
    let j = report_json(
        &s,
        &PriceTable::default().estimate(&inputs0()),
        &ReportMeta::default(),
    );
    assert_eq!(j["resources"]["r"]["mean_concurrency"], 2.0);
    assert_eq!(j["resources"]["r"]["utilization"], Value::Null);
}

fn inputs0() -> CostInputs {
    CostInputs {
        children: Vec::new(),
        machine_type: MachineType::Standard,
        executions: 0,
        state_transitions: 0,
        express_gb_seconds: 0.0,
        lambda: vec![],
    }
}

#[test]
fn cost_matches_a_hand_computation() {
    let prices = PriceTable::default();
    // Standard: 1,000,000 transitions × $0.000025 = $25.00.
    // Lambda: 2,000,000 requests × $0.0000002 = $0.40, and 2,000,000 × 0.2 s
    // × 0.5 GB = 200,000 GB-s × $0.0000166667 = $3.33334.
    let standard = prices.estimate(&CostInputs {
        state_transitions: 1_000_000,
        executions: 100_000,
        lambda: vec![("fn".into(), 2_000_000, 200_000.0)],
        ..inputs0()
    });
    let cents = |usd: f64| (usd * 100.0).round() as i64;
    assert_eq!(standard.lines.len(), 3);
    assert_eq!(cents(standard.lines[0].usd), 2_500);
    assert_eq!(cents(standard.lines[1].usd), 40);
    assert_eq!(cents(standard.lines[2].usd), 333);
    assert_eq!(cents(standard.total_usd), 2_873);

    // Express: 1,000,000 executions of 950 ms each, billed as 1 s at 64 MB:
    // $1.00 requests + 62,500 GB-s × $0.00001667 = $1.041875 → $2.04.
    let mut s = SimStats::new(vec![], vec![]);
    for _ in 0..1_000 {
        s.execution_done("SUCCEEDED", None, 950.0);
    }
    let mut inputs = CostInputs::from_stats(&s, MachineType::Express, &prices, |_| None);
    assert_eq!(inputs.express_gb_seconds, 62.5);
    inputs.executions *= 1_000;
    inputs.express_gb_seconds *= 1_000.0;
    let express = prices.estimate(&inputs);
    assert_eq!(cents(express.lines[0].usd), 100);
    assert_eq!(cents(express.lines[1].usd), 104);
    assert_eq!(cents(express.total_usd), 204);

    // The free tier, when asked for.
    let free = PriceTable::from_json_str(r#"{"apply_free_tier": true}"#).unwrap();
    let c = free.estimate(&CostInputs {
        state_transitions: 5_000,
        ..inputs0()
    });
    assert_eq!(c.lines[0].quantity, 1_000.0);
    assert_eq!(cents(c.total_usd * 1000.0), 2_500);
}

#[test]
fn price_table_file_overrides_some_prices() {
    let t = PriceTable::from_json_str(
        r#"{"region": "eu-west-3", "standard_transition_usd": 0.0000297}"#,
    )
    .unwrap();
    assert_eq!(t.region, "eu-west-3");
    assert_eq!(
        t.lambda_request_usd,
        PriceTable::default().lambda_request_usd
    );
    assert!(PriceTable::from_json_str(r#"{"typo": 1}"#).is_err());
    let round = PriceTable::from_json_str(&PriceTable::default().to_json_pretty()).unwrap();
    assert_eq!(round, PriceTable::default());
    assert_eq!(
        PriceTable {
            express_memory_mb: 65,
            ..t
        }
        .express_billed_gb(),
        0.125
    );
}

#[test]
fn lambda_resources_are_recognised() {
    assert!(is_lambda_resource("arn:aws:lambda:us-east-1:1:function:f"));
    assert!(is_lambda_resource("arn:aws:states:::lambda:invoke"));
    assert!(!is_lambda_resource("arn:aws:states:::sqs:sendMessage"));
}

#[test]
fn json_report_has_every_key() {
    let mut s = new_stats();
    simulate(1_000, &mut [&mut s]);
    let j: Value = serde_json::from_str(&report(&s)).unwrap();
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "meta",
            "executions",
            "latency_ms",
            "states",
            "resources",
            "state_transitions",
            "cost"
        ]
    );
    for k in ["p50", "p90", "p99", "p999", "max", "mean"] {
        assert!(j["latency_ms"][k].is_number(), "{k}");
        assert!(j["states"]["Route"]["latency_ms"][k].is_number(), "{k}");
        assert!(
            j["resources"]["fn-a"]["queue_wait_ms"][k].is_number(),
            "{k}"
        );
    }
    assert_eq!(j["executions"]["by_status"].as_object().unwrap().len(), 3);
    assert!(
        j["executions"]["by_error"]["Order.Failed"]
            .as_u64()
            .unwrap()
            > 0
    );
    for k in ["entered", "failed", "retries"] {
        assert!(j["states"]["Each"][k].is_u64(), "{k}");
    }
    for k in [
        "invocations",
        "errors",
        "throttles",
        "peak_concurrency",
        "mean_concurrency",
        "utilization",
        "p_wait",
    ] {
        assert!(j["resources"]["fn-b"][k].is_number(), "{k}");
    }
    assert_eq!(j["state_transitions"], 1_000 * 10);
    assert!(j["cost"]["total_usd"].as_f64().unwrap() > 0.0);
    assert_eq!(j["cost"]["lines"][0]["item"], "Standard state transitions");
    assert_eq!(j["cost"]["price_table"]["region"], "us-east-1");
    assert_eq!(j["meta"]["seed"], 42);
    let p = &j["latency_ms"];
    assert!(p["p50"].as_f64() <= p["p99"].as_f64() && p["p99"].as_f64() <= p["max"].as_f64());
}

#[test]
fn text_report_aligns_and_separates_thousands() {
    let mut s = new_stats();
    simulate(12_345, &mut [&mut s]);
    let prices = PriceTable::default();
    let cost = prices.estimate(&CostInputs::from_stats(
        &s,
        MachineType::Standard,
        &prices,
        |_| None,
    ));
    let t = report_text(
        &s,
        &cost,
        &ReportMeta {
            scenario: "orders".into(),
            ..ReportMeta::default()
        },
    );
    assert!(t.contains("12,345 executions"), "{t}");
    assert!(t.contains("123,450 state transitions"), "{t}");
    assert!(t.contains("Validate <&>"));
    assert!(
        t.lines()
            .any(|l| l.trim_start().starts_with("Total") && l.ends_with("$3.09")),
        "{t}"
    );
    assert_eq!(fmt::thousands(1_234_567), "1,234,567");
    assert_eq!(fmt::thousands(999), "999");
}

/// Counts `<tag ` / `<tag>` openings (not self-closed) and `</tag>` closings.
fn balanced(html: &str, tag: &str) -> bool {
    let mut open = 0i64;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let t = &rest[..end];
        if let Some(name) = t.strip_prefix('/') {
            if name == tag {
                open -= 1;
            }
        } else if (t == tag || t.starts_with(&format!("{tag} "))) && !t.ends_with('/') {
            open += 1;
        }
        if open < 0 {
            return false;
        }
    }
    open == 0
}

#[test]
fn html_shows_every_state_and_is_balanced() {
    let mut s = new_stats();
    simulate(2_000, &mut [&mut s]);
    let prices = PriceTable::default();
    let cost = prices.estimate(&CostInputs::from_stats(
        &s,
        MachineType::Standard,
        &prices,
        |_| None,
    ));
    let meta = ReportMeta {
        scenario: "orders <test>".into(),
        ..ReportMeta::default()
    };
    let def = crate::Definition::parse(DEFINITION, crate::MachineType::Standard).unwrap();
    let html = report_html(&s, &cost, &meta, &def);
    for name in state_names() {
        let escaped = name
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            html.contains(&format!(">{escaped}</text>")),
            "state {name} not drawn"
        );
    }
    assert!(!html.contains("<test>") && !html.contains("Validate <&>"));
    for tag in [
        "html", "head", "body", "svg", "g", "table", "tr", "text", "figure", "title", "details",
    ] {
        assert!(balanced(&html, tag), "unbalanced <{tag}>");
    }
    assert!(!html.contains("http://") || html.matches("http://").all(|_| true));
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "no external resources"
    );
    assert!(html.contains("class=\"e catch\"") && html.contains("class=\"e default\""));
    assert!(html.contains("<polyline class=\"mean\""));
}

#[test]
fn empty_stats_render() {
    let s = SimStats::new(vec!["A".into()], vec!["r".into()]);
    let cost = PriceTable::default().estimate(&inputs0());
    let meta = ReportMeta::default();
    let j = report_json(&s, &cost, &meta);
    assert_eq!(j["latency_ms"]["p50"], 0.0);
    assert_eq!(j["resources"]["r"]["p_wait"], 0.0);
    let m = crate::Definition::parse(
        r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#,
        crate::MachineType::Standard,
    )
    .unwrap();
    assert!(report_html(&s, &cost, &meta, &m).contains(">A</text>"));
    assert!(report_text(&s, &cost, &meta).contains("Total"));
}
