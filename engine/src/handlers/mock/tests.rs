//! The mocks end to end through [`crate::Engine`]: numbered and ranged
//! entries, retries, Map iterations, Catch, past the last key, unmocked
//! states, Latency, batches, and malformed files.

use super::{mock_config, MockProblemKind};
use crate::handlers::echo_with_failures;
use crate::{BatchOptions, Engine, Outcome, RunOptions, Runtime, Status};
use serde_json::{json, Value};

fn run(definition: &Value, mocks: &Value, case: &str, input: &Value) -> Outcome {
    let mut e = Engine::new();
    e.register("*", mock_config(mocks, None, Some(case)).unwrap());
    let m = e.compile(&definition.to_string()).unwrap();
    m.run_value(input, &RunOptions::default())
}

fn output(o: &Outcome) -> Value {
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    serde_json::from_str(o.output.as_deref().unwrap()).unwrap()
}

/// A Task `T` retried on `Busy` (3 attempts, no wait), then `Next`.
fn retried_task() -> Value {
    json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 3, "IntervalSeconds": 1, "BackoffRate": 1}],
              "End": true}}})
}

fn mocks(case: Value, responses: Value) -> Value {
    json!({"StateMachines": {"M": {"TestCases": case}}, "MockedResponses": responses})
}

#[test]
fn a_throw_then_a_return_with_retry() {
    let m = mocks(
        json!({"Retry": {"T": "R"}}),
        json!({"R": {"0-1": {"Throw": {"Error": "Busy", "Cause": "not yet"}},
                     "2": {"Return": {"ok": 2}}}}),
    );
    let o = run(&retried_task(), &m, "Retry", &json!({}));
    assert_eq!(output(&o), json!({"ok": 2}));
    // Two retries of one second each on the virtual clock.
    assert_eq!(o.duration_ms, 2000);
}

#[test]
fn past_the_last_key_fails_the_execution_with_states_runtime() {
    let m = mocks(
        json!({"C": {"T": "R"}}),
        json!({"R": {"0": {"Throw": {"Error": "Busy", "Cause": "x"}}}}),
    );
    // Retry on Busy would try again, and a Catch on States.ALL would catch
    // anything else: neither handles States.Runtime.
    let mut def = retried_task();
    def["States"]["T"]["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]);
    def["States"]["Caught"] = json!({"Type": "Pass", "End": true});
    let o = run(&def, &m, "C", &json!({}));
    assert_eq!(o.status, Status::Failed);
    assert_eq!(o.error.as_deref(), Some("States.Runtime"));
    let cause = o.cause.unwrap();
    assert!(
        cause.contains("'R'") && cause.contains("invocation 1") && cause.contains("keys: 0"),
        "{cause}"
    );
}

#[test]
fn a_throw_is_caught_by_catch() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Catch": [{"ErrorEquals": ["Lambda.TimeoutException"], "ResultPath": "$.err", "Next": "Caught"}],
              "End": true},
        "Caught": {"Type": "Pass", "End": true}}});
    let m = mocks(
        json!({"Sad": {"T": "Timeout"}}),
        json!({"Timeout": {"0": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}}}}),
    );
    let o = run(&def, &m, "Sad", &json!({"id": 7}));
    assert_eq!(
        output(&o),
        json!({"id": 7, "err": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}})
    );
}

#[test]
fn map_iterations_advance_one_count_per_state() {
    let def = json!({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
                 "ItemProcessor": {"StartAt": "Call", "States": {
                     "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                              "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 2}],
                              "End": true}}},
                 "End": true}}});
    // Floci's report of Step Functions Local 2.0.0: ["idx1","idx2"], the
    // second iteration going on from the first's count.
    let m = mocks(
        json!({"Case1": {"Call": "Seq"}}),
        json!({"Seq": {"0": {"Throw": {"Error": "Boom", "Cause": "attempt0"}},
                       "1": {"Return": "idx1"}, "2": {"Return": "idx2"}, "3": {"Return": "idx3"}}}),
    );
    let o = run(&def, &m, "Case1", &json!({"items": [1, 2]}));
    assert_eq!(output(&o), json!(["idx1", "idx2"]));
}

#[test]
fn unmocked_states_fail_unless_a_fallback_serves_them() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}});
    let m = mocks(
        json!({"OnlyA": {"A": "R"}}),
        json!({"R": {"0": {"Return": {"a": 1}}}}),
    );
    let o = run(&def, &m, "OnlyA", &json!({}));
    assert_eq!(o.error.as_deref(), Some("States.Runtime"));
    let cause = o.cause.unwrap();
    assert!(
        cause.contains("'B' has no mocked response in test case 'OnlyA'"),
        "{cause}"
    );

    let mut e = Engine::new();
    let h = mock_config(&m, Some("M"), Some("OnlyA"))
        .unwrap()
        .or_else(echo_with_failures());
    e.register("*", h);
    let machine = e.compile(&def.to_string()).unwrap();
    let o = machine.run_value(&json!({}), &RunOptions::default());
    assert_eq!(output(&o), json!({"a": 1}));
}

#[test]
fn latency_delays_the_reply_on_the_virtual_clock() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 1, "End": true}}});
    let m = mocks(
        json!({"Slow": {"A": "Quarter", "B": "TooSlow"}, "Fast": {"A": "Quarter", "B": "Quick"}}),
        json!({"Quarter": {"0": {"Return": {"a": 1}, "Latency": 250}},
               "Quick": {"0": {"Throw": {"Error": "E", "Cause": "c"}, "Latency": 500}},
               "TooSlow": {"0": {"Return": 1, "Latency": 1500}}}),
    );
    let fast = run(&def, &m, "Fast", &json!({}));
    assert_eq!(fast.error.as_deref(), Some("E"));
    assert_eq!(fast.duration_ms, 750);
    let slow = run(&def, &m, "Slow", &json!({}));
    assert_eq!(slow.error.as_deref(), Some("States.Timeout"));
    assert_eq!(slow.duration_ms, 1250);
}

#[test]
fn a_batch_keeps_counts_per_execution_on_any_number_of_threads() {
    let m = mocks(
        json!({"Retry": {"T": "R"}}),
        json!({"R": {"0": {"Throw": {"Error": "Busy", "Cause": "x"}},
                     "1": {"Return": {"ok": true}, "Latency": 100}}}),
    );
    let mut e = Engine::new();
    e.register("*", mock_config(&m, None, None).unwrap());
    let machine = e.compile(&retried_task().to_string()).unwrap();
    let outcomes = |threads: usize| {
        let rt = Runtime::builder().threads(threads).build();
        let mut all = vec![None; 200];
        let opts = BatchOptions::default();
        rt.run_batch(
            &machine,
            (0..200).map(|i| json!({"i": i})),
            &opts,
            |i, o| {
                all[i as usize] = Some(o);
            },
        );
        all.into_iter().map(Option::unwrap).collect::<Vec<_>>()
    };
    let one = outcomes(1);
    assert!(one
        .iter()
        .all(|o| output(o) == json!({"ok": true}) && o.duration_ms == 1100));
    assert_eq!(one, outcomes(4));
}

#[test]
fn sequential_runs_each_count_from_zero() {
    let m = mocks(json!({"C": {"T": "R"}}), json!({"R": {"0": {"Return": 1}}}));
    let h = mock_config(&m, None, None).unwrap();
    let mut e = Engine::new();
    e.register("*", h.clone());
    let machine = e.compile(&retried_task().to_string()).unwrap();
    let first = machine.run_value(&json!({}), &RunOptions::default());
    assert_eq!(first.status, Status::Succeeded);
    let again = machine.run_value(&json!({}), &RunOptions::default());
    assert_eq!(again, first);
    assert_eq!((h.state_machine(), h.test_case()), ("M", "C"));
    assert_eq!(h.mocked_states().collect::<Vec<_>>(), ["T"]);
}

/// The problems of `mocks` as `pointer: message` lines.
fn problems(mocks: &Value, machine: Option<&str>, case: Option<&str>) -> Vec<String> {
    let e = mock_config(mocks, machine, case).unwrap_err();
    e.problems.iter().map(ToString::to_string).collect()
}

#[test]
fn a_malformed_file_reports_every_problem_with_its_pointer() {
    let bad = json!({
        "StateMachines": {"M": {"TestCases": {"C": {"T": "R", "U": 5, "V": "Gone"}}, "Extra": 1}},
        "MockedResponses": {
            "R": {"0": {"Return": 1}, "1-x": {"Return": 2}, "3-1": {"Return": 3},
                  "0-2": {"Throw": {"Error": "E"}}, "4": {}, "5": {"Return": 1, "Throw": {"Error": "E"}},
                  "6": {"Return": 1, "Latency": -5, "Retrun": 2}, "7": {"Throw": {"Error": 5, "Cuase": ""}},
                  "8": {"Throw": {"Cause": "no error"}}, "9": [], "10-20": {"Return": 1},
                  "11": {"Return": 1}, "12": {"Return": 1}},
            "S": "not an object"},
        "MockedResponse": {}
    });
    let got = problems(&bad, Some("M"), Some("C"));
    let want = [
        "/MockedResponse: unknown field (expected StateMachines or MockedResponses)",
        "/StateMachines/M/Extra: unknown field (expected TestCases)",
        "/StateMachines/M/TestCases/C/U: must be the name of a mocked response (a string)",
        "/MockedResponses/R/1-x: invalid key",
        "/MockedResponses/R/3-1: invalid key: the range ends before it starts",
        "/MockedResponses/R/4: needs Return or Throw",
        "/MockedResponses/R/5: has both Return and Throw",
        "/MockedResponses/R/6/Retrun: unknown field (expected Return, Throw or Latency)",
        "/MockedResponses/R/6/Latency: Latency must be a whole",
        "/MockedResponses/R/7/Throw/Cuase: unknown field (expected Error or Cause)",
        "/MockedResponses/R/7/Throw/Error: must be a string",
        "/MockedResponses/R/8/Throw: missing field Error",
        "/MockedResponses/R/9: must be an object",
        "/MockedResponses/R/0-2: covers invocations that \"0\" covers too",
        "/MockedResponses/R/11: covers invocations that \"10-20\" covers too",
        "/MockedResponses/R/12: covers invocations that \"10-20\" covers too",
        "/MockedResponses/S: must be an object",
        "/StateMachines/M/TestCases/C/V: no mocked response \"Gone\"",
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (g, w) in got.iter().zip(want) {
        assert!(g.starts_with(w), "{g:?} should start with {w:?}\n{got:#?}");
    }
}

#[test]
fn unknown_or_unnamed_machines_and_test_cases_are_named() {
    let two = json!({"StateMachines": {"A": {"TestCases": {"X": {}, "Y": {}}}, "B": {"TestCases": {}}},
                     "MockedResponses": {}});
    assert_eq!(
        problems(&two, None, Some("X")),
        ["/StateMachines: name the state machine to mock (the file has: A, B)"]
    );
    assert_eq!(
        problems(&two, Some("C"), Some("X")),
        ["/StateMachines: no state machine \"C\" (the file has: A, B)"]
    );
    assert_eq!(
        problems(&two, Some("A"), Some("Z")),
        ["/StateMachines/A/TestCases: no test case \"Z\" (the state machine has: X, Y)"]
    );
    assert_eq!(
        problems(&two, Some("A"), None),
        ["/StateMachines/A/TestCases: name the test case to run (one of: X, Y)"]
    );
    assert!(mock_config(&two, Some("A"), Some("Y")).is_ok());
    let e = mock_config("{\"StateMachines\": }", None, None).unwrap_err();
    assert!(matches!(
        e.problems[0].kind,
        MockProblemKind::Syntax {
            line: 1,
            column: 19,
            ..
        }
    ));
    assert_eq!(
        problems(&json!([]), None, None),
        ["(root): must be an object"]
    );
    assert_eq!(
        problems(&json!({}), None, None),
        [
            "(root): missing field StateMachines",
            "(root): missing field MockedResponses"
        ]
    );
}

#[test]
fn the_aws_example_file_reads_unchanged() {
    // The example of AWS's mock configuration file reference, verbatim.
    let aws = json!({
      "StateMachines":{"LambdaSQSIntegration":{"TestCases":{
          "HappyPath":{"LambdaState":"MockedLambdaSuccess","SQSState":"MockedSQSSuccess"},
          "RetryPath":{"LambdaState":"MockedLambdaRetry","SQSState":"MockedSQSSuccess"},
          "HybridPath":{"LambdaState":"MockedLambdaSuccess"}}}},
      "MockedResponses":{
        "MockedLambdaSuccess":{"0":{"Return":{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}}},
        "LambdaMockedResourceNotReady":{"0":{"Throw":{"Error":"Lambda.ResourceNotReadyException","Cause":"Lambda resource is not ready."}}},
        "MockedSQSSuccess":{"0":{"Return":{"MD5OfMessageBody":"3bcb6e8e-7h85-4375-b0bc-1a59812c6e51","MessageId":"3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}},
        "MockedLambdaRetry":{"0":{"Throw":{"Error":"Lambda.ResourceNotReadyException","Cause":"Lambda resource is not ready."}},
                             "1-2":{"Throw":{"Error":"Lambda.TimeoutException","Cause":"Lambda timed out."}},
                             "3":{"Return":{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}}}}});
    for case in ["HappyPath", "RetryPath", "HybridPath"] {
        assert!(mock_config(&aws, None, Some(case)).is_ok(), "{case}");
    }
    let def = json!({"StartAt": "LambdaState", "States": {
        "LambdaState": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}],
            "Next": "SQSState"},
        "SQSState": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": "q", "MessageBody.$": "$"}, "End": true}}});
    let o = run(&def, &aws, "RetryPath", &json!({}));
    assert_eq!(
        output(&o)["MessageId"],
        "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"
    );
    assert_eq!(o.duration_ms, 2000 + 4000 + 8000);
}
