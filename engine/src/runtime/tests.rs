//! Runtime behaviour: batches, determinism across thread counts, parked
//! executions completed from other threads, the wall clock.

use crate::handlers::{Call, Reply};
use crate::{BatchOptions, Clock, Engine, Outcome, RunOptions, Runtime, Status};
use serde_json::json;
use std::sync::{Arc, Mutex};

/// Scales loop counts; CI has two cores.
const N: u64 = 2_000;

/// `def` compiled with its Task `later` parking every call: the machine,
/// and where the calls' completions wait.
fn deferring(def: &str) -> (crate::Machine, Arc<Mutex<Vec<crate::handlers::Completion>>>) {
    let pending = Arc::new(Mutex::new(Vec::new()));
    let p = Arc::clone(&pending);
    let mut e = Engine::new();
    e.register("later", move |c: &mut Call<'_>| {
        p.lock().unwrap().push(c.defer());
        Reply::Pending
    });
    (e.compile(def).unwrap(), pending)
}

fn retry_machine() -> crate::Machine {
    let mut e = Engine::new();
    // Fails always for n % 3 == 0 and once for n % 3 == 1: decided by input and retry count.
    e.register("flaky", |c: &mut Call<'_>| {
        let d = c.doc_ref();
        let n = d
            .field(c.input(), "n")
            .and_then(|v| d.as_i64(v))
            .unwrap_or(0);
        if n % 3 == 0 || (n % 3 == 1 && c.retry_count() == 0) {
            Reply::Error(crate::Failure::new("Flaky", "try again"))
        } else {
            Reply::Value(c.input())
        }
    });
    let def = json!({"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"flaky","Retry":[{"ErrorEquals":["Flaky"],"MaxAttempts":1,"JitterStrategy":"FULL"}],
             "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"Next":"W"},
        "W":{"Type":"Wait","Seconds":3600,"Next":"M"},
        "M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$","id.$":"States.UUID()","r.$":"States.MathRandom(1, 1000)"},"End":true}}},"ResultPath":"$.out","Next":"Done"},
        "Done":{"Type":"Pass","Parameters":{"t.$":"$$.State.EnteredTime","out.$":"$.out","name.$":"$$.Execution.Name"},"End":true},
        "Caught":{"Type":"Fail","Error":"Caught"}}});
    e.compile(&def.to_string()).unwrap()
}

fn batch(threads: usize) -> Vec<Outcome> {
    let rt = Runtime::builder().threads(threads).build();
    let m = retry_machine();
    let inputs = (0..N).map(|n| json!({"n": n, "items": [n, n + 1, n + 2]}).to_string());
    let opts = BatchOptions {
        run: RunOptions {
            seed: 7,
            start_time_ms: Some(1_700_000_000_000),
            ..Default::default()
        },
        max_in_flight: 256,
        chunk: 16,
    };
    let out = Mutex::new(vec![None; N as usize]);
    let ran = rt.run_batch(&m, inputs, &opts, |i, o| {
        out.lock().unwrap()[i as usize] = Some(o)
    });
    assert_eq!(ran, N);
    out.into_inner()
        .unwrap()
        .into_iter()
        .map(|o| o.expect("every execution reports"))
        .collect()
}

#[test]
fn same_outcomes_on_one_and_four_threads() {
    let one = batch(1);
    let four = batch(4);
    assert_eq!(one, four);
    let failed = one.iter().filter(|o| o.status == Status::Failed).count();
    assert!(
        failed > 0 && failed < one.len(),
        "the batch mixes outcomes: {failed} failed"
    );
    let ok = one.iter().find(|o| o.status == Status::Succeeded).unwrap();
    assert!(
        ok.output
            .as_deref()
            .unwrap()
            .contains("\"t\":\"2023-11-14T23:13:"),
        "an hour of virtual time passed: {:?}",
        ok.output
    );
}

#[test]
fn parked_executions_complete_from_other_threads() {
    let pending = Arc::new(Mutex::new(Vec::new()));
    let p = Arc::clone(&pending);
    let mut e = Engine::new();
    e.register("later", move |c: &mut Call<'_>| {
        let input = c.input_json();
        p.lock().unwrap().push((c.defer(), input));
        Reply::Pending
    });
    let m = e
        .compile(r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"later","End":true}}}"#)
        .unwrap();
    let rt = Runtime::builder().threads(2).build();
    let handles: Vec<_> = (0..N)
        .map(|i| rt.start(&m, json!({"i": i}), &RunOptions::default()))
        .collect();
    // Wait until all are parked, then complete them from two threads.
    while rt.parked() < N as usize {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let all: Vec<_> = std::mem::take(&mut *pending.lock().unwrap());
    assert_eq!(all.len() as u64, N);
    let mut all = all;
    let half = all.split_off(all.len() / 2);
    let t = std::thread::spawn(move || {
        half.into_iter()
            .for_each(|(c, v)| c.succeed(json!({"done": v})))
    });
    all.into_iter()
        .for_each(|(c, v)| c.succeed(json!({"done": v})));
    t.join().unwrap();
    for (i, h) in handles.into_iter().enumerate() {
        let o = h.wait();
        assert_eq!(o.status, Status::Succeeded);
        assert_eq!(o.output.unwrap(), format!("{{\"done\":{{\"i\":{i}}}}}"));
    }
    assert_eq!(rt.parked(), 0);
}

#[test]
fn a_parked_execution_resumes_with_every_value_it_held() {
    // Its document is compacted and frozen while parked: the state after
    // the task reads values made before it (shared, floats, escapes, `$$`).
    let (m, pending) = deferring(
        r#"{"StartAt":"P","States":{
            "P":{"Type":"Pass","Parameters":{"a.$":"$.a","b.$":"$.a","f":-42.5,"s":"x\"y\n\u00e9","n.$":"$$.Execution.Input.n"},"Next":"T"},
            "T":{"Type":"Task","Resource":"later","ResultPath":"$.r","Next":"Q"},
            "Q":{"Type":"Pass","Parameters":{"all.$":"$","again.$":"$$.Execution.Input"},"End":true}}}"#,
    );
    let rt = Runtime::builder().threads(2).build();
    let input = json!({"a": {"deep": [1, 2.25, null, true, "z"]}, "n": -7, "pad": "p".repeat(300)});
    let h = rt.start(&m, input.clone(), &RunOptions::default());
    while rt.parked() < 1 {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let done = pending.lock().unwrap().pop().unwrap();
    done.succeed(json!({"ok": [1, "two"]}));
    let o = h.wait();
    assert_eq!(o.status, Status::Succeeded);
    let out: serde_json::Value = serde_json::from_str(o.output.as_deref().unwrap()).unwrap();
    let a = json!({"deep": [1, 2.25, null, true, "z"]});
    assert_eq!(
        out,
        json!({"all": {"a": a, "b": a, "f": -42.5, "s": "x\"y\n\u{e9}", "n": -7, "r": {"ok": [1, "two"]}},
               "again": input})
    );
}

#[test]
fn completion_before_parking_is_not_lost() {
    let mut e = Engine::new();
    e.register("fast", |c: &mut Call<'_>| {
        let done = c.defer();
        done.succeed(json!("now"));
        Reply::Pending
    });
    let m = e
        .compile(r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"fast","End":true}}}"#)
        .unwrap();
    let rt = Runtime::builder().threads(2).build();
    let hs: Vec<_> = (0..200)
        .map(|_| rt.start(&m, "{}", &RunOptions::default()))
        .collect();
    for h in hs {
        assert_eq!(h.wait().output.as_deref(), Some("\"now\""));
    }
}

#[test]
fn wall_clock_waits_really_wait() {
    let m = Engine::new()
        .compile(r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}"#)
        .unwrap();
    let rt = Runtime::builder().threads(1).clock(Clock::Wall).build();
    let t0 = std::time::Instant::now();
    let o = rt.start(&m, "{}", &RunOptions::default()).wait();
    assert_eq!(o.status, Status::Succeeded);
    assert!(
        t0.elapsed() >= std::time::Duration::from_millis(950),
        "{:?}",
        t0.elapsed()
    );
}

#[test]
fn bad_input_is_a_failed_outcome() {
    let m = Engine::new()
        .compile(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#)
        .unwrap();
    let rt = Runtime::builder().threads(1).build();
    let o = rt.start(&m, "{not json", &RunOptions::default()).wait();
    assert_eq!(o.status, Status::Failed);
    assert!(o.cause.unwrap().contains("invalid execution input"));
}

#[test]
fn blocking_iterator_with_chunk_one_is_fed_at_once() {
    // A closed loop: the iterator takes a token per execution and the
    // outcome callback gives it back; with `chunk: 1` nothing waits for a full chunk.
    let m = Engine::new()
        .compile(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#)
        .unwrap();
    let rt = Runtime::builder().threads(2).build();
    let (give, take) = std::sync::mpsc::sync_channel::<()>(3);
    for _ in 0..3 {
        give.send(()).unwrap();
    }
    let inputs = (0..500).map(move |_| {
        take.recv().unwrap();
        "{}".to_owned()
    });
    let opts = BatchOptions {
        max_in_flight: 0,
        chunk: 1,
        ..Default::default()
    };
    let ran = rt.run_batch(&m, inputs, &opts, |_, _| {
        let _ = give.try_send(());
    });
    assert_eq!(ran, 500);
}

/// The driver's deadline rules hold on every scheduler: an Express execution
/// ends TIMED_OUT after 5 minutes of its clock, a Standard one waits on.
#[test]
fn express_executions_time_out_after_five_minutes_everywhere() {
    let def = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":400,"End":true}}}"#;
    let m = Engine::new()
        .compile_for(def, crate::MachineType::Express)
        .unwrap();
    let express = RunOptions {
        machine_type: crate::MachineType::Express,
        start_time_ms: Some(0),
        ..RunOptions::default()
    };
    let local = m.run_text("{}", &express).unwrap();
    assert_eq!(local.status, Status::TimedOut);
    assert_eq!(local.duration_ms, 300_000);
    let rt = Runtime::builder().threads(2).build();
    let pooled = rt.start(&m, "{}", &express).wait();
    assert_eq!(pooled, local);
    let standard = RunOptions {
        start_time_ms: Some(0),
        ..RunOptions::default()
    };
    let s = m.run_text("{}", &standard).unwrap();
    assert_eq!(s.status, Status::Succeeded);
    assert_eq!(s.duration_ms, 400_000);
}

/// A handler that drops its completion fails the task instead of leaving
/// the execution waiting forever.
#[test]
fn a_dropped_completion_fails_the_task() {
    let mut e = Engine::new();
    e.register("drop", |c: &mut Call<'_>| {
        drop(c.defer());
        Reply::Pending
    });
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"drop","End":true}}}"#;
    let m = e.compile(def).unwrap();
    let o = m.run_text("{}", &RunOptions::default()).unwrap();
    assert_eq!(o.status, Status::Failed);
    assert_eq!(o.error.as_deref(), Some("States.TaskFailed"));
    let rt = Runtime::builder().threads(1).build();
    let p = rt.start(&m, "{}", &RunOptions::default()).wait();
    assert_eq!(p.error.as_deref(), Some("States.TaskFailed"));
}

/// A runaway JSONata expression fails its state with
/// `States.QueryEvaluationError` (the evaluation budget), and the batch
/// around it goes on.
#[test]
fn a_runaway_expression_fails_and_the_batch_goes_on() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
        "Output":"{% $states.input.loop ? ($f := function($n){$f($n+1)}; $f(0)) : {'ok': $states.input.n} %}",
        "End":true}}}"#;
    let m = Engine::new().compile(def).unwrap();
    let rt = Runtime::builder().threads(2).build();
    let inputs = (0..8).map(|n| json!({"n": n, "loop": n % 2 == 0}).to_string());
    let mut got = Vec::new();
    rt.run_batch(&m, inputs, &BatchOptions::default(), |i, o| {
        got.push((i, o))
    });
    got.sort_by_key(|(i, _)| *i);
    assert_eq!(got.len(), 8);
    for (i, o) in got {
        if i % 2 == 0 {
            assert_eq!(o.status, Status::Failed, "{o:?}");
            assert_eq!(
                o.error.as_deref(),
                Some("States.QueryEvaluationError"),
                "{o:?}"
            );
            println!("runaway execution {i}: failed after {} µs", o.wall_us);
        } else {
            assert_eq!(
                o.output.as_deref(),
                Some(&*format!(r#"{{"ok":{i}}}"#)),
                "{o:?}"
            );
        }
    }
}

#[test]
fn start_with_calls_back_once_with_the_outcome() {
    let m = Engine::new()
        .compile(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":7,"End":true}}}"#)
        .unwrap();
    let rt = Runtime::builder().threads(2).build();
    let (tx, rx) = std::sync::mpsc::channel();
    for i in 0..100u64 {
        let tx = tx.clone();
        rt.start_with(&m, "{}", &RunOptions::default(), move |o| {
            let _ = tx.send((i, o));
        });
    }
    drop(tx);
    let mut got: Vec<_> = rx.iter().collect();
    got.sort_by_key(|(i, _)| *i);
    assert_eq!(got.len(), 100);
    assert!(got.iter().all(|(_, o)| o.output.as_deref() == Some("7")));
}

#[test]
fn abort_stops_a_parked_execution_with_its_error_and_cause() {
    let (m, pending) = deferring(
        r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"later","End":true}}}"#,
    );
    let rt = Runtime::builder().threads(2).build();
    let (tx, rx) = std::sync::mpsc::channel();
    let id = rt.start_with(&m, "{}", &RunOptions::default(), move |o| {
        let _ = tx.send(o);
    });
    while rt.parked() < 1 {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    rt.abort(id, "Stop", "asked to");
    let o = rx.recv().unwrap();
    assert_eq!(o.status, Status::Aborted);
    assert_eq!(
        (o.error.as_deref(), o.cause.as_deref()),
        (Some("Stop"), Some("asked to"))
    );
    assert_eq!(o.output, None);
    assert_eq!(rt.parked(), 0);
    // A completion that comes after the stop is harmless.
    pending.lock().unwrap().pop().unwrap().succeed(json!(1));
}

#[test]
fn abort_stops_a_sleeping_execution_when_it_wakes() {
    let m = Engine::new()
        .compile(r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"P"},"P":{"Type":"Pass","End":true}}}"#)
        .unwrap();
    let rt = Runtime::builder().threads(1).clock(Clock::Wall).build();
    let (tx, rx) = std::sync::mpsc::channel();
    let id = rt.start_with(&m, "{}", &RunOptions::default(), move |o| {
        let _ = tx.send(o);
    });
    std::thread::sleep(std::time::Duration::from_millis(50));
    rt.abort(id, "", "");
    let o = rx.recv().unwrap();
    assert_eq!(o.status, Status::Aborted);
    assert_eq!((o.error, o.cause), (None, None));
}
