//! Distributed Map children advanced on several threads (`fanout.rs`) give
//! exactly what one thread gives: the same outcome, the same result files
//! byte for byte, the same failures past the tolerance or the transition
//! cap. The same definitions run with a handler that allows it and with
//! one that does not (its children run one after another).

use crate::handlers::{Call, Reply, TaskHandler};
use crate::store::{LocalFolder, TempDir};
use crate::{Engine, Failure, Outcome, RunOptions};
use serde_json::{json, Value};
use std::path::Path;

/// Fails (`Bad`, "item N") for `{"bad": true}` items, echoes the rest.
fn check(c: &mut Call<'_>) -> Reply {
    let v = c.input_json();
    if v["bad"] == json!(true) {
        return Reply::Error(Failure::new("Bad", format!("item {}", v["n"])));
    }
    Reply::Json(v)
}

/// [`check`], allowing its children on several threads.
struct Concurrent;

impl TaskHandler for Concurrent {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        check(c)
    }

    fn concurrent_children(&self) -> bool {
        true
    }
}

/// A Distributed Map over `s3://data/items.jsonl` with `extra` fields.
fn def(extra: Value) -> Value {
    let mut state = json!({
        "Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                       "ReaderConfig": {"InputType": "JSONL"},
                       "Parameters": {"Bucket": "data", "Key": "items.jsonl"}},
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "check", "End": true}}
        }
    });
    for (k, v) in extra.as_object().unwrap() {
        state[k] = v.clone();
    }
    json!({"StartAt": "M", "States": {"M": state}})
}

/// A store with `n` items, those at a multiple of `bad` (if not 0) failing.
fn store(n: u64, bad: u64) -> TempDir {
    let d = TempDir::new();
    std::fs::create_dir_all(d.0.join("data")).unwrap();
    std::fs::create_dir_all(d.0.join("out")).unwrap();
    let lines: String = (0..n)
        .map(|i| {
            format!(
                "{}\n",
                json!({"n": i, "bad": bad > 0 && i % bad == bad - 1})
            )
        })
        .collect();
    std::fs::write(d.0.join("data/items.jsonl"), lines).unwrap();
    d
}

/// Files by path, with their bytes.
type Files = Vec<(String, Vec<u8>)>;

/// Every file under `dir`, by path, with its bytes.
fn files(dir: &Path) -> Files {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Runs `def` over `n` items with each handler; both outcomes and both
/// stores' result files.
fn both(def: &Value, n: u64, bad: u64, max_transitions: Option<u32>) -> [(Outcome, Files); 2] {
    let run = |concurrent: bool| {
        let d = store(n, bad);
        let mut e = Engine::new();
        if concurrent {
            e.register("check", Concurrent);
        } else {
            e.register("check", check);
        }
        e.object_store(LocalFolder::new(&d.0));
        let m = e
            .compile(&def.to_string())
            .unwrap_or_else(|d| panic!("{d}"));
        let o = m
            .run_text(
                "{}",
                &RunOptions {
                    start_time_ms: Some(1_700_000_000_000),
                    max_transitions,
                    ..Default::default()
                },
            )
            .unwrap();
        (o, files(&d.0.join("out")))
    };
    [run(true), run(false)]
}

#[test]
fn results_in_the_output_are_those_of_one_thread() {
    for extra in [
        json!({}),
        json!({"MaxConcurrency": 100}),
        json!({"ItemBatcher": {"MaxItemsPerBatch": 3}, "MaxConcurrency": 70}),
        json!({"ToleratedFailurePercentage": 50}),
    ] {
        let [(a, _), (b, _)] = both(&def(extra.clone()), 1_000, 7, None);
        assert_eq!(a, b, "{extra}");
    }
    let [(a, _), _] = both(&def(json!({"ToleratedFailureCount": 1000})), 1_000, 7, None);
    let out: Value = serde_json::from_str(a.output.as_deref().unwrap()).unwrap();
    assert_eq!(out.as_array().unwrap().len(), 1_000);
    assert_eq!(out[6], json!({"Error": "Bad", "Cause": "item 6"}));
    assert_eq!(out[7], json!({"n": 7, "bad": false}));
}

#[test]
fn result_files_are_those_of_one_thread_byte_for_byte() {
    let writer = |config: Value| {
        json!({"ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                                "Parameters": {"Bucket": "out", "Prefix": "runs"},
                                "WriterConfig": config},
               "ToleratedFailurePercentage": 20, "MaxConcurrency": 150})
    };
    for config in [
        json!({"Transformation": "NONE", "OutputType": "JSON"}),
        json!({"Transformation": "COMPACT", "OutputType": "JSONL"}),
        json!({"Transformation": "FLATTEN", "OutputType": "JSON"}),
    ] {
        let [(a, fa), (b, fb)] = both(&def(writer(config.clone())), 2_000, 9, None);
        assert_eq!(a, b, "{config}");
        assert_eq!(fa.len(), 3, "succeeded, failed and the manifest: {config}");
        assert_eq!(fa, fb, "{config}");
    }
}

#[test]
fn a_map_run_past_its_tolerance_fails_as_on_one_thread() {
    // The 500th item fails with none tolerated, while hundreds run.
    let [(a, fa), (b, fb)] = both(
        &def(
            json!({"ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                                     "Parameters": {"Bucket": "out"}}}),
        ),
        1_000,
        500,
        None,
    );
    assert_eq!(
        a.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    assert_eq!(a, b);
    assert_eq!(fa, fb);
}

#[test]
fn the_transition_cap_fails_the_execution_as_on_one_thread() {
    let [(a, _), (b, _)] = both(&def(json!({})), 1_000, 0, Some(300));
    assert_eq!(a.error.as_deref(), Some("States.Runtime"));
    assert!(
        a.cause
            .as_deref()
            .unwrap()
            .contains("cap of 300 state transitions"),
        "{a:?}"
    );
    assert_eq!(a, b);
}
