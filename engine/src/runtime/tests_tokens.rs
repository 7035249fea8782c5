//! Task tokens: `.waitForTaskToken` tasks completed with `send_task_*` from
//! other threads, AWS's errors for bad tokens, heartbeats and timeouts on
//! both clocks, and deferred calls that report heartbeats.

use crate::handlers::{Call, Completion, Reply, TaskTokens, TokenError, TokenId};
use crate::{Clock, Engine, Input, Machine, RunOptions, Runtime, Status};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RESOURCE: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

/// Tokens the handler saw, with the token field of its effective input.
type Seen = Arc<Mutex<Vec<(String, Value)>>>;

/// A machine whose `.waitForTaskToken` task is served by a handler that
/// records the token and replies like SQS (a reply the task must ignore).
fn machine(task: Value, extra_states: Value) -> (Machine, Seen) {
    let seen: Seen = Arc::default();
    let mut e = Engine::new();
    let s = Arc::clone(&seen);
    e.register(RESOURCE, move |c: &mut Call<'_>| {
        let token = c
            .task_token()
            .expect("a callback task has a token")
            .to_owned();
        s.lock().unwrap().push((token, c.input_json()));
        Reply::Json(json!({"MessageId": "m-1"}))
    });
    let mut t = json!({"Type": "Task", "Resource": RESOURCE,
        "Parameters": {"MessageBody": {"token.$": "$$.Task.Token", "x.$": "$.x"}},
        "ResultPath": "$.cb", "End": true});
    for (k, v) in task.as_object().unwrap() {
        t[k] = v.clone();
    }
    let mut states = json!({"T": t});
    for (k, v) in extra_states.as_object().unwrap() {
        states[k] = v.clone();
    }
    let def = json!({"StartAt": "T", "States": states});
    (e.compile(&def.to_string()).unwrap(), seen)
}

/// Waits until the handler has seen `n` tokens; returns the last.
fn nth_token(seen: &Seen, n: usize) -> String {
    let t0 = Instant::now();
    loop {
        if let Some((t, _)) = seen.lock().unwrap().get(n - 1) {
            return t.clone();
        }
        assert!(t0.elapsed() < Duration::from_secs(20), "no token {n}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn output(o: &crate::Outcome) -> Value {
    serde_json::from_str(o.output.as_deref().expect("an output")).unwrap()
}

#[test]
fn success_from_another_thread_is_the_result_and_a_second_send_times_out() {
    let (m, seen) = machine(json!({}), json!({}));
    let rt = Runtime::builder().threads(2).build();
    let h = rt.start(&m, r#"{"x": 5}"#, &RunOptions::default());
    let token = nth_token(&seen, 1);
    // The handler's effective input carried the same token.
    assert_eq!(
        seen.lock().unwrap()[0].1["MessageBody"]["token"],
        json!(token)
    );
    assert_eq!(seen.lock().unwrap()[0].1["MessageBody"]["x"], json!(5));
    let tokens = rt.task_tokens().clone();
    let sender =
        std::thread::spawn(move || tokens.send_task_success(&token, json!({"approved": true})));
    assert_eq!(sender.join().unwrap(), Ok(()));
    let o = h.wait();
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    assert_eq!(output(&o), json!({"x": 5, "cb": {"approved": true}}));
    let token = nth_token(&seen, 1);
    assert_eq!(
        rt.send_task_success(&token, json!(1)),
        Err(TokenError::TaskTimedOut)
    );
    assert_eq!(
        rt.send_task_heartbeat(&token),
        Err(TokenError::TaskTimedOut)
    );
    assert_eq!(rt.task_tokens().waiting(), 0);
}

#[test]
fn failure_is_caught_by_catch_or_fails_the_execution() {
    let catch = json!({"Catch": [{"ErrorEquals": ["Biz.Rejected"], "ResultPath": "$.err", "Next": "Caught"}]});
    let (caught_m, caught_seen) = machine(catch, json!({"Caught": {"Type": "Pass", "End": true}}));
    let (plain_m, plain_seen) = machine(json!({}), json!({}));
    let rt = Runtime::builder().threads(2).build();
    let a = rt.start(&caught_m, r#"{"x": 1}"#, &RunOptions::default());
    let b = rt.start(&plain_m, r#"{"x": 2}"#, &RunOptions::default());
    let ta = nth_token(&caught_seen, 1);
    let tb = nth_token(&plain_seen, 1);
    assert_ne!(ta, tb, "two executions, two tokens");
    rt.send_task_failure(&ta, "Biz.Rejected", "no stock")
        .unwrap();
    rt.send_task_failure(&tb, "Biz.Rejected", "no stock")
        .unwrap();
    let a = a.wait();
    assert_eq!(a.status, Status::Succeeded);
    assert_eq!(
        output(&a),
        json!({"x": 1, "err": {"Error": "Biz.Rejected", "Cause": "no stock"}})
    );
    let b = b.wait();
    assert_eq!(b.status, Status::Failed);
    assert_eq!(b.error.as_deref(), Some("Biz.Rejected"));
    assert_eq!(b.cause.as_deref(), Some("no stock"));
}

#[test]
fn unknown_and_malformed_tokens_get_aws_errors() {
    let rt = Runtime::new();
    assert_eq!(
        rt.send_task_success("not-a-token", json!(1)),
        Err(TokenError::InvalidToken)
    );
    assert_eq!(rt.send_task_heartbeat(""), Err(TokenError::InvalidToken));
    let never = TokenId {
        exec: 123_456,
        serial: 0,
        nonce: 42,
    }
    .encode();
    assert_eq!(
        rt.send_task_failure(&never, "E", "C"),
        Err(TokenError::TaskDoesNotExist)
    );
}

#[test]
fn a_retried_task_draws_a_new_token_and_the_old_one_is_closed() {
    let retry =
        json!({"Retry": [{"ErrorEquals": ["Biz.Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}]});
    let (m, seen) = machine(retry, json!({}));
    let rt = Runtime::builder().threads(1).build();
    let h = rt.start(&m, r#"{"x": 3}"#, &RunOptions::default());
    let first = nth_token(&seen, 1);
    rt.send_task_failure(&first, "Biz.Flaky", "later").unwrap();
    let second = nth_token(&seen, 2);
    assert_ne!(first, second);
    assert_eq!(
        seen.lock().unwrap()[1].1["MessageBody"]["token"],
        json!(second)
    );
    assert_eq!(
        rt.send_task_success(&first, json!(0)),
        Err(TokenError::TaskTimedOut)
    );
    rt.send_task_success(&second, json!("done")).unwrap();
    let o = h.wait();
    assert_eq!(o.status, Status::Succeeded);
    assert_eq!(output(&o)["cb"], json!("done"));
    assert_eq!(o.transitions, 2, "one state entered, one retry");
}

#[test]
fn jsonata_reads_the_token_from_states_context() {
    let mut e = Engine::new();
    let seen: Seen = Arc::default();
    let s = Arc::clone(&seen);
    e.register(RESOURCE, move |c: &mut Call<'_>| {
        s.lock()
            .unwrap()
            .push((c.task_token().unwrap().to_owned(), c.input_json()));
        Reply::Json(json!(null))
    });
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": RESOURCE,
        "Arguments": {"t": "{% $states.context.Task.Token %}"},
        "Output": "{% $states.result %}", "End": true}}});
    let m = e.compile(&def.to_string()).unwrap();
    let tokens = TaskTokens::new();
    let mut sent = false;
    let seen2 = Arc::clone(&seen);
    let t2 = tokens.clone();
    let o = m
        .run_with_tokens(
            &Input::Text("{}".into()),
            &RunOptions::default(),
            &tokens,
            &mut || {
                let tok = seen2.lock().unwrap()[0].0.clone();
                sent = t2.send_task_success(&tok, json!({"from": "hook"})).is_ok();
                sent
            },
        )
        .unwrap();
    assert!(sent);
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    assert_eq!(output(&o), json!({"from": "hook"}));
    let (tok, input) = seen.lock().unwrap()[0].clone();
    assert_eq!(input, json!({"t": tok}));
}

#[test]
fn tokens_are_deterministic_under_a_seed() {
    let (m, seen) = machine(json!({}), json!({}));
    let run = |seed: u64| {
        let tokens = TaskTokens::new();
        let opts = RunOptions {
            seed,
            start_time_ms: Some(0),
            ..Default::default()
        };
        let o = m
            .run_with_tokens(
                &Input::Text(r#"{"x": 1}"#.into()),
                &opts,
                &tokens,
                &mut || false,
            )
            .unwrap();
        assert_eq!(o.error.as_deref(), Some("States.Timeout"), "{o:?}");
    };
    run(1);
    run(1);
    run(2);
    let s = seen.lock().unwrap();
    assert_eq!(s[0].0, s[1].0);
    assert_ne!(s[0].0, s[2].0);
}

#[test]
fn with_no_one_to_send_the_token_virtual_time_runs_to_the_first_deadline() {
    for (task, error, ms) in [
        (
            json!({"HeartbeatSeconds": 5, "TimeoutSeconds": 60}),
            "States.HeartbeatTimeout",
            5_000,
        ),
        (json!({"TimeoutSeconds": 6}), "States.Timeout", 6_000),
        (
            json!({"HeartbeatSecondsPath": "$.t", "TimeoutSeconds": 60}),
            "States.HeartbeatTimeout",
            7_000,
        ),
        (
            json!({"TimeoutSecondsPath": "$.t"}),
            "States.Timeout",
            7_000,
        ),
        (json!({}), "States.Timeout", 99_999_999_000),
    ] {
        let (m, seen) = machine(task.clone(), json!({}));
        let opts = RunOptions::default();
        // On the calling thread with no registry, and with one whose hook gives up.
        let a = m
            .run(&Input::Text(r#"{"t": 7, "x": 1}"#.into()), &opts)
            .unwrap();
        let tokens = TaskTokens::new();
        let b = m
            .run_with_tokens(
                &Input::Text(r#"{"t": 7, "x": 1}"#.into()),
                &opts,
                &tokens,
                &mut || false,
            )
            .unwrap();
        for o in [&a, &b] {
            assert_eq!(o.status, Status::Failed, "{task}");
            assert_eq!(o.error.as_deref(), Some(error), "{task}");
            assert_eq!(o.duration_ms, ms, "{task}");
        }
        assert_eq!(seen.lock().unwrap().len(), 2);
        assert_eq!(tokens.waiting(), 0);
        let tok = seen.lock().unwrap()[1].0.clone();
        assert_eq!(
            tokens.send_task_success(&tok, json!(1)),
            Err(TokenError::TaskTimedOut)
        );
    }
}

#[test]
fn a_failing_service_call_fails_the_task_and_closes_its_token() {
    let mut e = Engine::new();
    let seen: Seen = Arc::default();
    let s = Arc::clone(&seen);
    e.register(RESOURCE, move |c: &mut Call<'_>| {
        s.lock()
            .unwrap()
            .push((c.task_token().unwrap().to_owned(), json!(null)));
        Reply::Error(crate::Failure::new("SQS.QueueDoesNotExist", "no queue"))
    });
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": RESOURCE, "End": true}}});
    let m = e.compile(&def.to_string()).unwrap();
    let rt = Runtime::new();
    let o = rt.start(&m, "{}", &RunOptions::default()).wait();
    assert_eq!(o.error.as_deref(), Some("SQS.QueueDoesNotExist"));
    let tok = nth_token(&seen, 1);
    assert_eq!(
        rt.send_task_success(&tok, json!(1)),
        Err(TokenError::TaskTimedOut)
    );
}

#[test]
fn a_modelled_callback_arrives_after_its_latency_unless_a_deadline_is_sooner() {
    for (after_ms, task, want) in [
        (1_000, json!({"HeartbeatSeconds": 2}), Ok(1_000)),
        (
            3_000,
            json!({"HeartbeatSeconds": 2}),
            Err(("States.HeartbeatTimeout", 2_000)),
        ),
        (
            3_000,
            json!({"TimeoutSeconds": 1}),
            Err(("States.Timeout", 1_000)),
        ),
    ] {
        let mut e = Engine::new();
        e.register(RESOURCE, move |c: &mut Call<'_>| {
            let v = c.doc().str("called back");
            Reply::Delayed {
                after_ms,
                result: Ok(v),
            }
        });
        let mut t = json!({"Type": "Task", "Resource": RESOURCE, "End": true});
        for (k, v) in task.as_object().unwrap() {
            t[k] = v.clone();
        }
        let m = e
            .compile(&json!({"StartAt": "T", "States": {"T": t}}).to_string())
            .unwrap();
        let o = m.run_text("{}", &RunOptions::default()).unwrap();
        match want {
            Ok(ms) => {
                assert_eq!(o.output.as_deref(), Some(r#""called back""#));
                assert_eq!(o.duration_ms, ms);
            }
            Err((error, ms)) => {
                assert_eq!(o.error.as_deref(), Some(error));
                assert_eq!(o.duration_ms, ms);
            }
        }
    }
}

#[test]
fn wall_clock_heartbeats_keep_a_task_alive_and_their_absence_times_it_out() {
    let hb = json!({"HeartbeatSeconds": 1, "TimeoutSeconds": 30});
    let (alive_m, alive_seen) = machine(hb.clone(), json!({}));
    let (idle_m, idle_seen) = machine(hb, json!({}));
    let (short_m, short_seen) = machine(json!({"TimeoutSeconds": 1}), json!({}));
    let rt = Runtime::builder().threads(2).clock(Clock::Wall).build();
    let t0 = Instant::now();
    let alive = rt.start(&alive_m, r#"{"x": 0}"#, &RunOptions::default());
    let idle = rt.start(&idle_m, r#"{"x": 0}"#, &RunOptions::default());
    let short = rt.start(&short_m, r#"{"x": 0}"#, &RunOptions::default());
    let (ta, ti, ts) = (
        nth_token(&alive_seen, 1),
        nth_token(&idle_seen, 1),
        nth_token(&short_seen, 1),
    );
    // 1.8 s of heartbeats every 300 ms: past HeartbeatSeconds, still alive.
    while t0.elapsed() < Duration::from_millis(1_800) {
        rt.send_task_heartbeat(&ta).unwrap();
        // Heartbeats do not extend TimeoutSeconds.
        let _ = rt.send_task_heartbeat(&ts);
        std::thread::sleep(Duration::from_millis(300));
    }
    let idle = idle.wait();
    assert_eq!(idle.status, Status::Failed);
    assert_eq!(idle.error.as_deref(), Some("States.HeartbeatTimeout"));
    let short = short.wait();
    assert_eq!(short.error.as_deref(), Some("States.Timeout"));
    assert!(short.duration_ms >= 1_000, "{short:?}");
    assert_eq!(
        rt.send_task_success(&ti, json!(1)),
        Err(TokenError::TaskTimedOut)
    );
    rt.send_task_success(&ta, json!("alive")).unwrap();
    let alive = alive.wait();
    assert_eq!(alive.status, Status::Succeeded, "{alive:?}");
    assert!(alive.duration_ms >= 1_500, "{alive:?}");
}

#[test]
fn deferred_calls_report_heartbeats_through_their_completion() {
    let held: Arc<Mutex<Vec<Completion>>> = Arc::default();
    let mut e = Engine::new();
    let h = Arc::clone(&held);
    e.register("slow", move |c: &mut Call<'_>| {
        h.lock().unwrap().push(c.defer());
        Reply::Pending
    });
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "slow",
        "HeartbeatSeconds": 1, "End": true}}});
    let m = e.compile(&def.to_string()).unwrap();
    let rt = Runtime::builder().threads(2).clock(Clock::Wall).build();
    let beating = rt.start(&m, "{}", &RunOptions::default());
    let t0 = Instant::now();
    while held.lock().unwrap().is_empty() {
        assert!(t0.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(1));
    }
    let silent = rt.start(&m, "{}", &RunOptions::default());
    while held.lock().unwrap().len() < 2 {
        assert!(t0.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(1));
    }
    let (first, second) = {
        let mut v = held.lock().unwrap();
        let b = v.pop().unwrap();
        (v.pop().unwrap(), b)
    };
    while t0.elapsed() < Duration::from_millis(1_600) {
        first.heartbeat().unwrap();
        std::thread::sleep(Duration::from_millis(250));
    }
    let silent = silent.wait();
    assert_eq!(silent.error.as_deref(), Some("States.HeartbeatTimeout"));
    assert_eq!(second.heartbeat(), Err(TokenError::TaskTimedOut));
    second.succeed(json!("too late")); // ignored
    first.succeed(json!("kept alive"));
    let beating = beating.wait();
    assert_eq!(
        beating.output.as_deref(),
        Some(r#""kept alive""#),
        "{beating:?}"
    );
}

#[test]
fn many_parked_token_executions_complete_from_another_thread() {
    const N: usize = 10_000;
    let (m, seen) = machine(json!({}), json!({}));
    let rt = Runtime::builder().threads(2).build();
    let opts = crate::BatchOptions {
        max_in_flight: 0,
        ..Default::default()
    };
    let ended = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        s.spawn(|| {
            let inputs = (0..N).map(|i| format!(r#"{{"x": {i}}}"#));
            rt.run_batch(&m, inputs, &opts, |_, o| {
                assert_eq!(o.status, Status::Succeeded);
                let v = output(&o);
                assert_eq!(v["cb"], v["x"], "each execution got its own token's output");
                ended.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
        });
        let t0 = Instant::now();
        while rt.task_tokens().waiting() < N {
            assert!(
                t0.elapsed() < Duration::from_secs(120),
                "parked {}",
                rt.parked()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(rt.parked(), N);
        let all: Vec<(String, Value)> = std::mem::take(&mut *seen.lock().unwrap());
        let tokens = rt.task_tokens().clone();
        s.spawn(move || {
            for (t, input) in all {
                tokens
                    .send_task_success(&t, input["MessageBody"]["x"].clone())
                    .unwrap();
            }
        });
    });
    assert_eq!(ended.into_inner(), N);
    assert_eq!(rt.task_tokens().waiting(), 0);
}
