//! End-to-end behaviour of the VM through the public API: Retry, Catch,
//! joins, the virtual clock, deferred and delayed replies.

use crate::handlers::{Call, Reply};
use crate::json::Doc;
use crate::{Engine, Failure, RunOptions, Status};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// Runs `def` once on `input`, the virtual clock at a fixed start.
pub(super) fn run(engine: &Engine, def: Value, input: Value) -> crate::Outcome {
    let m = engine
        .compile(&def.to_string())
        .unwrap_or_else(|d| panic!("{d}"));
    m.run_text(
        &input.to_string(),
        &RunOptions {
            start_time_ms: Some(1_700_000_000_000),
            ..Default::default()
        },
    )
    .unwrap()
}

/// The outcome's output as a value (`null` when it has none).
pub(super) fn output(o: &crate::Outcome) -> Value {
    serde_json::from_str(o.output.as_deref().unwrap_or("null")).unwrap()
}

/// A handler that fails its first `n` calls with `E`, then echoes, and
/// reports each call's virtual time through `$$`-free means: the retry count.
fn flaky(n: u32) -> (impl crate::handlers::TaskHandler, Arc<AtomicU32>) {
    let calls = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&calls);
    let h = move |call: &mut Call<'_>| {
        let k = c.fetch_add(1, Ordering::SeqCst);
        if k < n {
            Reply::Error(Failure::new("E", format!("attempt {k}")))
        } else {
            let d = call.doc();
            let v = d.int(i64::from(k));
            Reply::Value(v)
        }
    };
    (h, calls)
}

#[test]
fn retry_then_succeed_counts_transitions() {
    let (h, calls) = flaky(2);
    let mut e = Engine::new();
    e.register("flaky", h);
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"flaky","Retry":[{"ErrorEquals":["E"],"MaxAttempts":3}],"End":true}}});
    let o = run(&e, def, json!({}));
    assert_eq!(o.status, Status::Succeeded);
    assert_eq!(output(&o), json!(2));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(o.transitions, 3, "one entry plus two retries");
}

#[test]
fn retries_exhausted_then_caught_with_result_path() {
    let (h, _) = flaky(10);
    let mut e = Engine::new();
    e.register("flaky", h);
    let def = json!({"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"flaky","Retry":[{"ErrorEquals":["E"],"MaxAttempts":2}],
             "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"C"}],"End":true},
        "C":{"Type":"Pass","End":true}}});
    let o = run(&e, def, json!({"keep":1}));
    assert_eq!(o.status, Status::Succeeded);
    assert_eq!(
        output(&o),
        json!({"keep":1,"err":{"Error":"E","Cause":"attempt 2"}})
    );
}

#[test]
fn uncaught_error_fails_execution() {
    let (h, _) = flaky(10);
    let mut e = Engine::new();
    e.register("flaky", h);
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"flaky","End":true}}});
    let o = run(&e, def, json!({}));
    assert_eq!(o.status, Status::Failed);
    assert_eq!(o.error.as_deref(), Some("E"));
    assert_eq!(o.cause.as_deref(), Some("attempt 0"));
}

#[test]
fn backoff_advances_virtual_clock() {
    // Entered time of the Pass after two retries (1 s, then 2 s) is 3 s later.
    let (h, _) = flaky(2);
    let mut e = Engine::new();
    e.register("flaky", h);
    let def = json!({"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"flaky","Retry":[{"ErrorEquals":["E"],"IntervalSeconds":1,"BackoffRate":2}],"ResultPath":null,"Next":"P"},
        "P":{"Type":"Pass","Parameters":{"t.$":"$$.State.EnteredTime"},"End":true}}});
    let o = run(&e, def, json!({}));
    assert_eq!(output(&o), json!({"t":"2023-11-14T22:13:23.000Z"}));
}

#[test]
fn one_day_wait_costs_no_wall_time() {
    let e = Engine::new();
    let def = json!({"StartAt":"W","States":{
        "W":{"Type":"Wait","Seconds":86400,"Next":"P"},
        "P":{"Type":"Pass","Parameters":{"t.$":"$$.State.EnteredTime"},"End":true}}});
    let t0 = std::time::Instant::now();
    let o = run(&e, def, json!({}));
    assert!(t0.elapsed().as_secs() < 5);
    assert_eq!(output(&o), json!({"t":"2023-11-15T22:13:20.000Z"}));
}

#[test]
fn execution_timeout_times_out() {
    let e = Engine::new();
    let def = json!({"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}});
    let o = run(&e, def, json!({}));
    assert_eq!(o.status, Status::TimedOut);
}

#[test]
fn parallel_results_in_branch_order_and_failure_propagates() {
    let e = Engine::new();
    let def = json!({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":10,"Next":"A2"},"A2":{"Type":"Pass","Result":"a","End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}]}}});
    assert_eq!(output(&run(&e, def, json!({}))), json!(["a", "b"]));
    let def = json!({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":10,"End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Fail","Error":"Boom","Cause":"why"}}}]}}});
    let o = run(&e, def, json!({}));
    assert_eq!(
        (o.status, o.error.as_deref(), o.cause.as_deref()),
        (Status::Failed, Some("Boom"), Some("why"))
    );
}

#[test]
fn map_max_concurrency_one_runs_in_sequence() {
    // Each iteration waits 10 s; with MaxConcurrency 1 the last starts 20 s in.
    let e = Engine::new();
    let def = json!({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,
        "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
        "ItemProcessor":{"StartAt":"W","States":{
            "W":{"Type":"Wait","Seconds":10,"Next":"P"},
            "P":{"Type":"Pass","Parameters":{"i.$":"$.i","t.$":"$$.State.EnteredTime"},"End":true}}}}}});
    let o = run(&e, def, json!([7, 8, 9]));
    assert_eq!(
        output(&o),
        json!([
        {"i":0,"t":"2023-11-14T22:13:30.000Z"},
        {"i":1,"t":"2023-11-14T22:13:40.000Z"},
        {"i":2,"t":"2023-11-14T22:13:50.000Z"}])
    );
    let def = json!({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
        "ItemProcessor":{"StartAt":"W","States":{
            "W":{"Type":"Wait","Seconds":10,"Next":"P"},
            "P":{"Type":"Pass","Parameters":{"t.$":"$$.State.EnteredTime"},"End":true}}}}}});
    let o = run(&e, def, json!([1, 2]));
    assert_eq!(
        output(&o),
        json!([{"t":"2023-11-14T22:13:30.000Z"},{"t":"2023-11-14T22:13:30.000Z"}])
    );
}

#[test]
fn deferred_completion_from_another_thread() {
    let mut e = Engine::new();
    e.register("async", |call: &mut Call<'_>| {
        let input = call.input_json();
        let done = call.defer();
        std::thread::spawn(move || done.succeed(json!({"got": input})));
        Reply::Pending
    });
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"async","End":true}}});
    assert_eq!(
        output(&run(&e, def, json!({"x":1}))),
        json!({"got":{"x":1}})
    );
}

#[test]
fn delayed_reply_and_task_timeout() {
    let mut e = Engine::new();
    e.register("slow", |call: &mut Call<'_>| {
        let v = call.doc().str("late");
        Reply::Delayed {
            after_ms: 5_000,
            result: Ok(v),
        }
    });
    let def = json!({"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"slow","ResultPath":"$.r","Next":"P"},
        "P":{"Type":"Pass","Parameters":{"r.$":"$.r","t.$":"$$.State.EnteredTime"},"End":true}}});
    assert_eq!(
        output(&run(&e, def, json!({}))),
        json!({"r":"late","t":"2023-11-14T22:13:25.000Z"})
    );
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"slow","TimeoutSeconds":2,
        "Catch":[{"ErrorEquals":["States.Timeout"],"Next":"C"}],"End":true},
        "C":{"Type":"Pass","Parameters":{"e.$":"$.Error","t.$":"$$.State.EnteredTime"},"End":true}}});
    assert_eq!(
        output(&run(&e, def, json!({}))),
        json!({"e":"States.Timeout","t":"2023-11-14T22:13:22.000Z"})
    );
}

#[test]
fn no_handler_is_a_compile_error_with_pointer() {
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true}}});
    let err = Engine::new().compile(&def.to_string()).unwrap_err();
    assert_eq!(err.0[0].location, "/States/T/Resource");
    assert_eq!(err.0[0].code, "NO_HANDLER");
}

#[test]
fn handler_gets_effective_input_after_parameters() {
    let mut e = Engine::new();
    e.echo_all_tasks();
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"any",
        "InputPath":"$.a","Parameters":{"x.$":"$.b","c":1},"ResultSelector":{"y.$":"$.x"},"ResultPath":"$.out","OutputPath":"$.out","End":true}}});
    assert_eq!(output(&run(&e, def, json!({"a":{"b":5}}))), json!({"y":5}));
}

#[test]
fn doc_values_built_by_handlers_survive() {
    let mut e = Engine::new();
    e.register("build", |call: &mut Call<'_>| {
        let d: &mut Doc = call.doc();
        let a = d.int(1);
        let b = d.str("two");
        Reply::Value(d.array(&[a, b]))
    });
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"build","End":true}}});
    assert_eq!(output(&run(&e, def, json!({}))), json!([1, "two"]));
}

#[test]
fn every_attempt_gets_the_input_of_its_own_evaluation() {
    // A handler that records each input and fails until its third call.
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let rec = Arc::clone(&seen);
    let mut e = Engine::new();
    e.register("rec", move |c: &mut Call<'_>| {
        let mut s = rec.lock().unwrap();
        s.push(c.input_json());
        if s.len() % 3 == 0 {
            Reply::Value(c.input())
        } else {
            Reply::Error(Failure::new("E", "again"))
        }
    });
    let retry = json!([{"ErrorEquals":["E"],"IntervalSeconds":1,"MaxAttempts":5}]);
    for (params, want) in [
        // Reads only the input: the same value each attempt (evaluated once).
        (
            json!({"v.$":"$.v","k":[1]}),
            vec![json!({"v":7,"k":[1]}); 3],
        ),
        // Reads `$$.State.RetryCount`: evaluated again for each attempt.
        (
            json!({"v.$":"$.v","n.$":"$$.State.RetryCount"}),
            (0..3).map(|n| json!({"v":7,"n":n})).collect(),
        ),
    ] {
        seen.lock().unwrap().clear();
        let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"rec",
            "Parameters":params,"Retry":retry,"ResultPath":"$.r","End":true}}});
        let o = run(&e, def, json!({"v":7}));
        assert_eq!(o.status, Status::Succeeded);
        assert_eq!(*seen.lock().unwrap(), want);
        assert_eq!(output(&o)["r"], want[2]);
        assert_eq!(o.transitions, 3);
    }
}

#[test]
fn failure_injection_convention_of_the_peers() {
    let mut e = Engine::new();
    e.register("*", crate::handlers::echo_with_failures());
    let def = json!({"StartAt":"Flaky","States":{
        "Flaky":{"Type":"Task","Resource":"x","Parameters":{"data.$":"$.payload","__fail.$":"$.failspec"},
                 "ResultSelector":{"echoed.$":"$.data"},"ResultPath":"$.task",
                 "Retry":[{"ErrorEquals":["Custom.Transient"],"MaxAttempts":3}],"Next":"Broken"},
        "Broken":{"Type":"Task","Resource":"x","Parameters":{"__fail":{"error":"Custom.Fatal","cause":"always fails"}},
                  "Catch":[{"ErrorEquals":["Custom.Fatal"],"ResultPath":"$.caught","Next":"Done"}],"End":true},
        "Done":{"Type":"Pass","Parameters":{"task.$":"$.task","caught.$":"$.caught"},"End":true}}});
    let o = run(
        &e,
        def,
        json!({"payload":{"k":1},"failspec":{"error":"Custom.Transient","cause":"flaky","times":2}}),
    );
    assert_eq!(
        output(&o),
        json!({"task":{"echoed":{"k":1}},"caught":{"Error":"Custom.Fatal","Cause":"always fails"}})
    );
    assert_eq!(o.transitions, 5, "Flaky, two retries, Broken, Done");
}

#[test]
fn a_handle_from_another_document_is_a_task_failure_not_a_panic() {
    let mut e = Engine::new();
    e.register("bad", |_: &mut Call<'_>| {
        let mut other = Doc::new();
        let mut v = other.str("x");
        for _ in 0..100 {
            v = other.str("padding");
        }
        Reply::Value(v)
    });
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"bad","End":true}}});
    let o = run(&e, def, json!({}));
    assert_eq!(o.status, Status::Failed);
    assert_eq!(o.error.as_deref(), Some("States.TaskFailed"));
}

#[test]
fn a_panicking_handler_fails_its_task() {
    let mut e = Engine::new();
    e.register("boom", |_: &mut Call<'_>| -> Reply {
        panic!("handler bug")
    });
    let def = json!({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"boom","Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"C"}],"End":true},"C":{"Type":"Pass","End":true}}});
    let o = run(&e, def, json!({}));
    assert_eq!(o.status, Status::Succeeded);
    assert_eq!(
        output(&o)["Cause"],
        json!("the task handler panicked: handler bug")
    );
}

/// The endless loop of the hardening issue: a Pass and a Choice that never matches.
fn endless_loop() -> Value {
    json!({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
        "B":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":1,"Next":"Done"}],"Default":"A"},
        "Done":{"Type":"Succeed"}}})
}

#[test]
fn a_standard_endless_loop_fails_at_the_history_quota() {
    let o = run(&Engine::new(), endless_loop(), json!({"x": 0}));
    assert_eq!(o.status, Status::Failed);
    assert_eq!(o.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        o.cause.as_deref(),
        Some("The execution reached the maximum number of history events (25000).")
    );
    assert_eq!(o.events, 25_000);
}

#[test]
fn an_express_endless_loop_fails_at_the_transition_cap() {
    let m = Engine::new()
        .compile_for(&endless_loop().to_string(), crate::MachineType::Express)
        .unwrap();
    let opts = RunOptions {
        machine_type: crate::MachineType::Express,
        max_transitions: Some(10_000),
        ..Default::default()
    };
    let o = m.run_text(r#"{"x":0}"#, &opts).unwrap();
    assert_eq!(o.status, Status::Failed);
    assert_eq!(
        o.cause.as_deref(),
        Some("The execution exceeded its cap of 10000 state transitions (max_transitions).")
    );
    assert_eq!(o.transitions, 10_001);
}

#[test]
fn the_last_history_event_may_be_execution_succeeded() {
    // Events: ExecutionStarted, Entered + Exited per state, ExecutionSucceeded.
    // Init, then A 6,249 times and C 6,248 times, then End: 12,499 states,
    // so the last exit is event 24,999 and ExecutionSucceeded is 25,000.
    let def = json!({"StartAt":"Init","States":{
        "Init":{"Type":"Pass","Next":"A"},
        "A":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThanEquals":6248,"Next":"End"}],"Default":"C"},
        "C":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"A"},
        "End":{"Type":"Pass","End":true}}});
    let o = run(&Engine::new(), def.clone(), json!({"n": 0}));
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    assert_eq!(o.events, 25_000);
    // One more iteration and event 25,000 would be a state's: the execution fails.
    let o = run(&Engine::new(), def, json!({"n": -1}));
    assert_eq!(o.status, Status::Failed);
    assert_eq!(o.events, 25_000);
}

#[test]
fn a_choice_path_that_selects_nothing_fails_with_aws_cause() {
    let def = json!({"StartAt":"B","States":{
        "B":{"Type":"Choice","Choices":[{"Variable":"$.foo","NumericEquals":1,"Next":"D"}],"Default":"D"},
        "D":{"Type":"Succeed"}}});
    let o = run(&Engine::new(), def, json!({}));
    assert_eq!(o.status, Status::Failed);
    assert_eq!(o.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        o.cause.as_deref(),
        Some("An error occurred while executing the state 'B' (entered at the event id #2). Invalid path '$.foo': The choice state's condition path references an invalid value.")
    );
    let def = json!({"StartAt":"B","States":{
        "B":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEqualsPath":"$.b","Next":"D"}],"Default":"D"},
        "D":{"Type":"Succeed"}}});
    let o = run(&Engine::new(), def, json!({"a": 1}));
    assert!(
        o.cause.as_deref().unwrap_or("").ends_with(
            "Invalid path '$.b': The choice state's condition path references an invalid value."
        ),
        "{o:?}"
    );
    // IsPresent tolerates a missing path.
    let def = json!({"StartAt":"B","States":{
        "B":{"Type":"Choice","Choices":[{"Variable":"$.foo","IsPresent":false,"Next":"D"}]},
        "D":{"Type":"Succeed"}}});
    assert_eq!(
        run(&Engine::new(), def, json!({})).status,
        Status::Succeeded
    );
}

#[test]
fn the_context_object_names_the_execution_as_the_embedder_does() {
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
        "Parameters": {"id.$": "$$.Execution.Id", "sm.$": "$$.StateMachine.Id",
                       "role.$": "$$.Execution.RoleArn", "name.$": "$$.Execution.Name"}}}}"#;
    let m = Engine::new().compile(def).unwrap();
    let arns = crate::ExecutionArns {
        state_machine: "arn:aws:states:eu-west-1:123456789012:stateMachine:M".into(),
        execution: "arn:aws:states:eu-west-1:123456789012:express:M:run:abc".into(),
        role: "arn:aws:iam::123456789012:role/R".into(),
    };
    let opts = RunOptions {
        execution_name: Some("run".into()),
        state_machine_name: Some("M".into()),
        machine_type: crate::MachineType::Express,
        arns: Some(arns.clone()),
        ..RunOptions::default()
    };
    let out: serde_json::Value =
        serde_json::from_str(&m.run_text("{}", &opts).unwrap().output.unwrap()).unwrap();
    assert_eq!(out["id"], arns.execution.as_str());
    assert_eq!(out["sm"], arns.state_machine.as_str());
    assert_eq!(out["role"], arns.role.as_str());
    assert_eq!(out["name"], "run");
    // Without them, the names are derived as before.
    let plain = RunOptions {
        execution_name: Some("run".into()),
        ..RunOptions::default()
    };
    let out: serde_json::Value =
        serde_json::from_str(&m.run_text("{}", &plain).unwrap().output.unwrap()).unwrap();
    assert_eq!(
        out["id"],
        "arn:aws:states:us-east-1:111111111111:execution:StateMachine:run"
    );
}
