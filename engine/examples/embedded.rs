//! An embedded orchestrator: a Rust program registers native task handlers
//! (one completes at once, one completes later from another thread, as an
//! async client would) and runs a batch of executions on the work-stealing
//! runtime, with no server.
//!
//! Run it: `cargo run --release -p stampede --example embedded`

use serde_json::json;
use stampede::handlers::{Call, Reply};
use stampede::{BatchOptions, Engine, Failure, RunOptions, Runtime, Status};
use std::sync::mpsc;
use std::time::Duration;

const DEFINITION: &str = r#"{
  "Comment": "Reserve stock, then charge the card (a slow external service), retrying its throttling.",
  "StartAt": "Reserve",
  "States": {
    "Reserve": {
      "Type": "Task", "Resource": "inventory:reserve",
      "ResultPath": "$.reservation", "Next": "Charge"
    },
    "Charge": {
      "Type": "Task", "Resource": "payments:charge",
      "Parameters": {"order.$": "$.orderId", "amount.$": "$.amount"},
      "ResultSelector": {"chargeId.$": "$.id"},
      "ResultPath": "$.payment",
      "Retry": [{"ErrorEquals": ["Payments.Throttled"], "IntervalSeconds": 1, "MaxAttempts": 5}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refused"}],
      "End": true
    },
    "Refused": {"Type": "Fail", "Error": "PaymentRefused", "CausePath": "$.error.Cause"}
  }
}"#;

fn main() {
    // A "payments service": a thread that answers requests after a while.
    let (requests, inbox) = mpsc::channel::<(serde_json::Value, stampede::handlers::Completion)>();
    let service = std::thread::spawn(move || {
        for (req, done) in inbox {
            std::thread::sleep(Duration::from_micros(50));
            let amount = req["amount"].as_f64().unwrap_or(0.0);
            if amount > 900.0 {
                done.fail(Failure::new(
                    "Payments.Declined",
                    format!("amount {amount} over the limit"),
                ));
            } else {
                done.succeed(json!({"id": format!("ch-{}", req["order"].as_str().unwrap_or("?"))}));
            }
        }
    });

    let mut engine = Engine::new();
    engine
        // Completes at once: the result is built in the execution's own arena.
        .register("inventory:reserve", |c: &mut Call<'_>| {
            let d = c.doc();
            let ok = d.str("reserved");
            Reply::Value(ok)
        })
        // Completes later, from the service thread, through a Completion handle.
        .register("payments:charge", move |c: &mut Call<'_>| {
            let done = c.defer();
            match requests.send((c.input_json(), done)) {
                Ok(()) => Reply::Pending,
                Err(_) => Reply::Error(Failure::new("Payments.Unavailable", "service stopped")),
            }
        });
    let machine = engine
        .compile(DEFINITION)
        .unwrap_or_else(|d| panic!("invalid definition:\n{d}"));

    let runtime = Runtime::new();
    let inputs =
        (0..10_000).map(|i| json!({"orderId": format!("o-{i}"), "amount": (i % 1000) as f64}));
    let (mut ok, mut refused) = (0u32, 0u32);
    let t0 = std::time::Instant::now();
    runtime.run_batch(
        &machine,
        inputs,
        &BatchOptions::default(),
        |_, outcome| match outcome.status {
            Status::Succeeded => ok += 1,
            _ => refused += 1,
        },
    );
    println!(
        "{ok} charged, {refused} refused in {:.2?} on {} threads",
        t0.elapsed(),
        runtime.threads()
    );

    // One execution on its own, waiting for its outcome.
    let h = runtime.start(
        &machine,
        json!({"orderId": "o-single", "amount": 12.5}),
        &RunOptions::default(),
    );
    println!("{}", h.wait().to_json_line());
    drop(runtime);
    drop(machine);
    drop(engine);
    let _ = service.join();
}
