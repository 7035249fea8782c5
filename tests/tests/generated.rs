//! Generated executions: a structure-aware generator of valid state machines
//! (every state type, Retry/Catch, Map and Parallel nesting, intrinsics,
//! the peers' `__fail` injection), each run one by one, in a batch on 1
//! thread and in a batch on 4 threads. The outcomes must be identical byte
//! for byte, every output valid JSON, and nothing may panic.

use serde_json::{json, Value};
use stampede::{handlers, BatchOptions, Engine, Outcome, RunOptions, Runtime, Status};

/// A tiny deterministic generator (xorshift64*), so a failing seed reproduces.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Builds one block (`StartAt` + `States`) of `len` states chained in order;
/// `depth` bounds Map/Parallel nesting. State names are unique per block.
fn block(g: &mut Gen, max_len: u64, depth: u32, prefix: &str) -> Value {
    let len = 1 + g.below(max_len) as usize;
    let mut states = serde_json::Map::new();
    let names: Vec<String> = (0..len).map(|i| format!("{prefix}S{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        let next = names.get(i + 1);
        let mut s = state(g, depth, name, next.map(String::as_str));
        if let Some(n) = next {
            if s.get("Type") != Some(&json!("Choice"))
                && s.get("Type") != Some(&json!("Fail"))
                && s.get("Type") != Some(&json!("Succeed"))
            {
                s["Next"] = json!(n);
            }
        } else if !matches!(s["Type"].as_str(), Some("Choice" | "Fail" | "Succeed")) {
            s["End"] = json!(true);
        }
        states.insert(name.clone(), s);
    }
    // A Choice or Fail/Succeed as the last state would leave no End: make the last a Pass.
    let last = names.last().cloned().unwrap_or_default();
    if states[&last]["Type"] == "Choice" {
        states.insert(last, json!({"Type": "Pass", "End": true}));
    }
    json!({"StartAt": names[0], "States": states})
}

fn retry_catch(g: &mut Gen, s: &mut Value, next: Option<&str>) {
    if g.chance(50) {
        s["Retry"] = json!([{
            "ErrorEquals": [if g.chance(50) { "Boom" } else { "States.ALL" }],
            "MaxAttempts": g.below(3),
            "IntervalSeconds": 1 + g.below(3),
            "BackoffRate": 1.5,
            "JitterStrategy": if g.chance(50) { "FULL" } else { "NONE" }
        }]);
    }
    if let (true, Some(n)) = (g.chance(50), next) {
        s["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": n}]);
    }
}

fn state(g: &mut Gen, depth: u32, name: &str, next: Option<&str>) -> Value {
    let kinds = if depth == 0 { 7 } else { 9 };
    match g.below(kinds) {
        0 => json!({"Type": "Pass", "Parameters": {
            "n.$": "$.n", "sum.$": "States.MathAdd($.n, 1)",
            "id.$": "States.UUID()", "r.$": "States.MathRandom(1, 100)",
            "s.$": "States.Format('{} at {}', $.tag, $$.State.Name)",
            "items.$": "$.items", "tag.$": "$.tag", "fail.$": "$.fail"
        }}),
        1 => json!({"Type": "Pass", "Result": {"k": name}, "ResultPath": "$.last"}),
        2 => {
            // A task that fails its first attempts when the input asks (`__fail`).
            let mut s = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"n.$": "$.n", "items.$": "$.items", "tag.$": "$.tag", "fail.$": "$.fail",
                               "__fail.$": "$.fail"},
                "ResultSelector": {"n.$": "$.n", "items.$": "$.items", "tag.$": "$.tag", "fail.$": "$.fail"}});
            retry_catch(g, &mut s, next);
            s
        }
        3 => json!({"Type": "Wait", "Seconds": g.below(3_600)}),
        4 => match next {
            Some(n) => json!({"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": g.below(10), "Next": n},
                {"And": [{"Variable": "$.tag", "IsPresent": true}, {"Variable": "$.tag", "StringMatches": "t*"}], "Next": n}
            ], "Default": n}),
            None => json!({"Type": "Pass"}),
        },
        5 if next.is_none() && g.chance(30) => {
            json!({"Type": "Fail", "Error": "Gen.Failed", "Cause": name})
        }
        5 => json!({"Type": "Pass", "InputPath": "$", "OutputPath": "$"}),
        6 if next.is_none() => json!({"Type": "Succeed"}),
        6 => json!({"Type": "Pass", "Result": [1, 2, 3], "ResultPath": "$.extra"}),
        7 => {
            let mut s = json!({"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": g.below(3),
                "ItemSelector": {"n.$": "$$.Map.Item.Value", "tag.$": "$.tag", "items": [], "fail.$": "$.fail"},
                "ItemProcessor": block(g, 3, depth - 1, &format!("{name}m")),
                "ResultPath": "$.mapped"});
            retry_catch(g, &mut s, next);
            s
        }
        _ => {
            let branches: Vec<Value> = (0..1 + g.below(3))
                .map(|b| block(g, 3, depth - 1, &format!("{name}b{b}")))
                .collect();
            let mut s =
                json!({"Type": "Parallel", "Branches": branches, "ResultPath": "$.branches"});
            retry_catch(g, &mut s, next);
            s
        }
    }
}

fn input(g: &mut Gen) -> Value {
    let fail = if g.chance(30) {
        json!({"error": "Boom", "cause": "generated", "times": g.below(3)})
    } else {
        Value::Null
    };
    json!({"n": g.below(20), "tag": if g.chance(50) { "t1" } else { "x" },
           "items": (0..g.below(4)).collect::<Vec<_>>(), "fail": fail})
}

fn line(o: &Outcome) -> String {
    format!("{} {} {}", o.to_json_line(), o.transitions, o.events)
}

#[test]
fn generated_machines_agree_on_every_scheduler() {
    let machines: u64 = std::env::var("GENERATED_MACHINES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000);
    let mut engine = Engine::new();
    engine.register("*", handlers::echo_with_failures());
    let one = Runtime::builder().threads(1).build();
    let four = Runtime::builder().threads(4).build();
    let mut statuses = [0u64; 3];
    for seed in 1..=machines {
        let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let depth = g.below(3) as u32;
        let def = json!({"Comment": format!("generated #{seed}"), "StartAt": "Top"})
            .as_object()
            .cloned()
            .unwrap();
        let body = block(&mut g, 6, depth, "");
        let mut def = Value::Object(def);
        def["StartAt"] = body["StartAt"].clone();
        def["States"] = body["States"].clone();
        if g.chance(20) {
            def["TimeoutSeconds"] = json!(1 + g.below(7_200));
        }
        let text = def.to_string();
        let machine = engine
            .compile(&text)
            .unwrap_or_else(|d| panic!("generated machine #{seed} is invalid:\n{d}\n{text}"));
        let inputs: Vec<String> = (0..4).map(|_| input(&mut g).to_string()).collect();
        let opts = RunOptions {
            start_time_ms: Some(1_700_000_000_000),
            seed,
            ..RunOptions::default()
        };
        let batch = BatchOptions {
            run: opts.clone(),
            ..BatchOptions::default()
        };
        let collect = |rt: &Runtime| {
            let mut out = vec![String::new(); inputs.len()];
            rt.run_batch(&machine, inputs.iter().cloned(), &batch, |i, o| {
                out[i as usize] = line(&o);
            });
            out
        };
        let (a, b) = (collect(&one), collect(&four));
        assert_eq!(a, b, "machine #{seed}: 1 vs 4 threads\n{text}");
        for (i, inp) in inputs.iter().enumerate() {
            // One by one, with the seed the batch gave execution i.
            let alone = RunOptions {
                seed: batch.seed_of(i as u64),
                ..opts.clone()
            };
            let single = machine.run_text(inp, &alone).expect("valid input");
            assert_eq!(
                line(&single),
                a[i],
                "machine #{seed} input {i}: batch vs single\n{text}"
            );
            match single.status {
                Status::Succeeded => {
                    let out = single.output.as_deref().unwrap_or("");
                    assert!(serde_json::from_str::<Value>(out).is_ok(), "#{seed}: {out}");
                    statuses[0] += 1;
                }
                Status::Failed => statuses[1] += 1,
                _ => statuses[2] += 1,
            }
            assert!(
                single.transitions >= 1 && single.events >= 2,
                "#{seed}: {single:?}"
            );
            // With history on: the same outcome, as many events as counted,
            // and a transition per state entered (plus one per retry).
            let traced = machine
                .run_text(
                    inp,
                    &RunOptions {
                        history: true,
                        ..alone
                    },
                )
                .expect("valid input");
            assert_eq!(line(&traced), a[i], "#{seed} input {i}: history on\n{text}");
            let history = traced.history.as_ref().expect("recorded");
            assert_eq!(
                history.len() as u64,
                traced.events,
                "#{seed} input {i}\n{text}"
            );
            let entered = history
                .events()
                .filter(|e| e.event_type().ends_with("StateEntered"))
                .count() as u64;
            if text.contains("\"Retry\"") {
                assert!(traced.transitions >= entered, "#{seed} input {i}\n{text}");
            } else {
                assert_eq!(traced.transitions, entered, "#{seed} input {i}\n{text}");
            }
        }
    }
    println!(
        "generated: {machines} machines, {} executions: {} succeeded, {} failed, {} other",
        machines * 4,
        statuses[0],
        statuses[1],
        statuses[2]
    );
    assert!(
        statuses[0] > 0 && statuses[1] > 0,
        "the generator reaches both ends"
    );
}
