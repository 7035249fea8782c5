//! A fiber that ends gives its slot back for the next one: a Map Run of
//! many children (Distributed on one thread or on several, or inline) ends
//! with about as many slots as children ran at once, not one per child
//! (10,000,000 children once kept 10,000,000 slots).

use super::{start, Advance, Execution, RunEnv};
use crate::handlers::{channel_sink, Call, Reply, TaskHandler};
use crate::store::{LocalFolder, TempDir};
use crate::{Engine, RunOptions};
use serde_json::{json, Value};

/// Echoes its input, allowing the children on several threads.
struct Concurrent;

impl TaskHandler for Concurrent {
    fn call(&self, c: &mut Call<'_>) -> Reply {
        Reply::Json(c.input_json())
    }

    fn concurrent_children(&self) -> bool {
        true
    }
}

/// A Map of `MaxConcurrency` `max` whose iterations echo their item: over
/// `s3://data/items.jsonl` when `distributed`, else over `$.items`.
fn def(distributed: bool, max: u32) -> Value {
    let mode = if distributed { "DISTRIBUTED" } else { "INLINE" };
    let mut state = json!({
        "Type": "Map", "End": true, "MaxConcurrency": max,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": mode, "ExecutionType": "EXPRESS"},
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "echo", "End": true}}
        }
    });
    if distributed {
        state["ItemReader"] = json!({"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSONL"},
            "Parameters": {"Bucket": "data", "Key": "items.jsonl"}});
    } else {
        state["ItemsPath"] = json!("$.items");
    }
    json!({"StartAt": "M", "States": {"M": state}})
}

/// Runs `def` on `input` to its end with the echo handler (concurrent
/// when `concurrent`) over `store`: the execution, ended.
fn run_to_end(def: &Value, input: &Value, concurrent: bool, store: &TempDir) -> Execution {
    let mut e = Engine::new();
    if concurrent {
        e.register("echo", Concurrent);
    } else {
        e.register("echo", |c: &mut Call<'_>| Reply::Json(c.input_json()));
    }
    e.object_store(LocalFolder::new(&store.0));
    let m = e
        .compile(&def.to_string())
        .unwrap_or_else(|d| panic!("{d}"));
    let core = m.core();
    let opts = RunOptions {
        start_time_ms: Some(1_700_000_000_000),
        ..Default::default()
    };
    let info = super::machine_info(&opts);
    let mut exec = start(
        core,
        1,
        &info,
        &crate::Input::Text(input.to_string()),
        &opts,
    )
    .unwrap();
    let (sink, _rx) = channel_sink();
    let env = RunEnv {
        prog: &core.program,
        handlers: &core.handlers,
        sink: &sink,
        now_ms: 1_700_000_000_000,
        obs: None,
        tokens: None,
    };
    loop {
        match exec.advance(&env, 1 << 16) {
            Advance::Done => break,
            Advance::Yield => {}
            other => panic!("an echo Map waits on nothing: {other:?}"),
        }
    }
    exec
}

#[test]
fn a_map_run_reuses_the_slots_of_children_that_ended() {
    let n = 3000;
    let d = TempDir::new();
    std::fs::create_dir_all(d.0.join("data")).unwrap();
    let lines: String = (0..n).map(|i| format!("{{\"n\":{i}}}\n")).collect();
    std::fs::write(d.0.join("data/items.jsonl"), lines).unwrap();
    let items = json!({ "items": (0..n).collect::<Vec<_>>() });
    // 200 at once: enough for the children to run on several threads.
    for (distributed, concurrent, max) in [(true, true, 200), (true, false, 8), (false, false, 8)] {
        let exec = run_to_end(&def(distributed, max), &items, concurrent, &d);
        assert!(
            exec.end
                .as_deref()
                .is_some_and(|e| matches!(e, super::exec::End::Succeeded(_))),
            "distributed {distributed}, concurrent {concurrent}"
        );
        // The root and the children running at once (an ended child's
        // slot is taken by the next).
        assert!(
            exec.slots.len() <= max as usize + 1,
            "{} slots for {n} children (distributed {distributed}, concurrent {concurrent})",
            exec.slots.len()
        );
    }
}
