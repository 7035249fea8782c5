//! `parked`: how much memory a suspended execution costs. Starts N
//! executions of a small machine (a Pass with Parameters, then a Task whose
//! handler defers) in one batch with no in-flight limit, waits until all N
//! are parked at once, then completes every one from two threads.
//! `tokens` does the same with a `.waitForTaskToken` task: each execution
//! waits on its task token, and two threads send every token back with
//! `send_task_success`.

use crate::rss::{self, MIB};
use crate::summary::secs;
use crate::workload::{runtime, ClockArg};
use anyhow::Result;
use stampede::handlers::{Call, Completion, Reply};
use stampede::{BatchOptions, Engine, Status};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The machine every execution runs.
pub const DEFINITION: &str = r#"{
  "Comment": "stampede-loadgen parked: shape the input, then wait on a deferred task",
  "StartAt": "Prepare",
  "States": {
    "Prepare": {
      "Type": "Pass",
      "Parameters": {"order.$": "$.order", "pad.$": "$.pad", "stage": "parked"},
      "Next": "Park"
    },
    "Park": {
      "Type": "Task",
      "Resource": "loadgen:park",
      "ResultPath": "$.result",
      "End": true
    }
  }
}"#;

/// The same machine with a `.waitForTaskToken` task, for `tokens`.
pub const TOKEN_DEFINITION: &str = r#"{
  "Comment": "stampede-loadgen tokens: shape the input, then wait on a task token",
  "StartAt": "Prepare",
  "States": {
    "Prepare": {
      "Type": "Pass",
      "Parameters": {"order.$": "$.order", "pad.$": "$.pad", "stage": "parked"},
      "Next": "Park"
    },
    "Park": {
      "Type": "Task",
      "Resource": "loadgen:park.waitForTaskToken",
      "Parameters": {"token.$": "$$.Task.Token", "order.$": "$.order.id"},
      "ResultPath": "$.result",
      "End": true
    }
  }
}"#;

/// How the parked executions wait, and are completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A deferred handler's `Completion` (`parked`).
    Deferred,
    /// A task token sent back with `send_task_success` (`tokens`).
    Tokens,
}

/// One waiting execution, as the completing threads see it.
enum Waiter {
    Deferred(Completion),
    Token(String),
}

/// The waiting executions: one vector a mode, so a deferred one costs its
/// `Completion` (40 bytes) with no enum tag beside it.
#[derive(Default)]
struct Held {
    deferred: Vec<Completion>,
    tokens: Vec<String>,
}

impl Held {
    fn len(&self) -> usize {
        self.deferred.len() + self.tokens.len()
    }

    /// The second half of each vector.
    fn split_half(&mut self) -> Held {
        Held {
            deferred: self.deferred.split_off(self.deferred.len() / 2),
            tokens: self.tokens.split_off(self.tokens.len() / 2),
        }
    }

    fn into_waiters(self) -> impl Iterator<Item = Waiter> {
        let d = self.deferred.into_iter().map(Waiter::Deferred);
        d.chain(self.tokens.into_iter().map(Waiter::Token))
    }
}

/// Arguments of `parked`.
#[derive(clap::Args, Debug, Clone)]
pub struct ParkedArgs {
    /// Executions to park at once.
    #[arg(long)]
    pub executions: usize,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Size of the input document in bytes (padded with a string).
    #[arg(long, default_value_t = 200)]
    pub doc_bytes: usize,
    /// Give up waiting for all to park after this many seconds without progress.
    #[arg(long, default_value_t = 30.0)]
    pub stall_seconds: f64,
}

/// What a parked run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct ParkedReport {
    /// Executions started.
    pub executions: u64,
    /// Parked at once, at the peak.
    pub parked: u64,
    /// Ended SUCCEEDED.
    pub completed: u64,
    /// Ended any other way.
    pub failed: u64,
    /// Worker threads.
    pub threads: usize,
    /// From the start to all parked.
    pub park_seconds: f64,
    /// From the first completion to the last outcome.
    pub complete_seconds: f64,
    /// The whole run.
    pub seconds: f64,
    /// Resident memory with all parked, in bytes.
    pub rss_parked: u64,
    /// Peak resident memory of the process (`VmHWM`), in bytes.
    pub peak_rss: u64,
    /// Resident memory growth from before the batch to all parked, per execution.
    pub bytes_per_execution: u64,
}

impl ParkedReport {
    /// Every execution parked at once and then succeeded.
    pub fn ok(&self) -> bool {
        self.parked == self.executions && self.completed == self.executions && self.failed == 0
    }

    /// The JSON line for stdout.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "executions": self.executions,
            "parked": self.parked,
            "completed": self.completed,
            "failed": self.failed,
            "threads": self.threads,
            "park_seconds": secs(self.park_seconds),
            "complete_seconds": secs(self.complete_seconds),
            "seconds": secs(self.seconds),
            "rss_parked_mib": mib(self.rss_parked),
            "peak_rss_mib": mib(self.peak_rss),
            "bytes_per_execution": self.bytes_per_execution,
        })
    }
}

fn mib(b: u64) -> f64 {
    (b as f64 / MIB * 10.0).round() / 10.0
}

/// An input document of about `bytes` bytes (never less than its fixed part).
pub fn document(bytes: usize) -> String {
    let head = r#"{"order":{"id":"o-000001","items":[1,2,3],"customer":{"name":"Ann","tier":"gold"},"total":42.5},"pad":""#;
    let tail = r#""}"#;
    let pad = bytes.saturating_sub(head.len() + tail.len());
    format!("{head}{}{tail}", "x".repeat(pad))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs the test; `progress` gets human lines as it goes.
///
/// # Errors
/// The built-in definition does not compile (a bug).
pub fn run(args: &ParkedArgs, progress: &mut dyn FnMut(&str)) -> Result<ParkedReport> {
    run_until(args, Mode::Deferred, progress, &AtomicBool::new(false))
}

/// Runs the test until its end or until `stop` is set: then no more
/// executions start, and those parked so far are completed and counted.
///
/// # Errors
/// As [`run`].
pub fn run_until(
    args: &ParkedArgs,
    mode: Mode,
    progress: &mut dyn FnMut(&str),
    stop: &AtomicBool,
) -> Result<ParkedReport> {
    let n = args.executions;
    let held = Arc::new(Mutex::new(match mode {
        Mode::Deferred => Held {
            deferred: Vec::with_capacity(n),
            ..Held::default()
        },
        Mode::Tokens => Held {
            tokens: Vec::with_capacity(n),
            ..Held::default()
        },
    }));
    let mut engine = Engine::new();
    let sink = Arc::clone(&held);
    let machine = match mode {
        Mode::Deferred => {
            engine.register("loadgen:park", move |c: &mut Call<'_>| {
                let done = c.defer();
                lock(&sink).deferred.push(done);
                Reply::Pending
            });
            engine.compile(DEFINITION)?
        }
        Mode::Tokens => {
            engine.register("loadgen:park.waitForTaskToken", move |c: &mut Call<'_>| {
                if let Some(t) = c.task_token() {
                    lock(&sink).tokens.push(t.to_owned());
                }
                Reply::Value(c.input())
            });
            engine.compile(TOKEN_DEFINITION)?
        }
    };
    let rt = runtime(args.threads, ClockArg::Virtual);
    let tokens = rt.task_tokens().clone();
    let complete = move |w: Waiter| match w {
        Waiter::Deferred(done) => done.succeed(serde_json::json!({"ok": true})),
        Waiter::Token(t) => {
            // Every token is sent once, to a waiting task: refusal would be a bug.
            let sent = tokens.send_task_success(&t, serde_json::json!({"ok": true}));
            debug_assert!(sent.is_ok(), "{sent:?}");
        }
    };
    let complete = &complete;
    let input: Arc<str> = Arc::from(document(args.doc_bytes));
    let opts = BatchOptions {
        max_in_flight: 0,
        ..BatchOptions::default()
    };
    let (ended, succeeded) = (AtomicU64::new(0), AtomicU64::new(0));
    let batch_done = AtomicBool::new(false);
    let stall = Duration::from_secs_f64(args.stall_seconds.max(0.1));
    let before = rss::read();
    let t0 = Instant::now();
    let mut report = std::thread::scope(|s| {
        s.spawn(|| {
            let inputs =
                std::iter::repeat_n(input.clone(), n).take_while(|_| !stop.load(Ordering::Relaxed));
            rt.run_batch(&machine, inputs, &opts, |_, o| {
                if o.status == Status::Succeeded {
                    succeeded.fetch_add(1, Ordering::Relaxed);
                }
                ended.fetch_add(1, Ordering::Release);
            });
            batch_done.store(true, Ordering::Release);
        });
        // All parked, or every execution accounted for (some ended early), or stalled.
        let (mut seen, mut moved) = (0, Instant::now());
        let mut parked = loop {
            let p = rt.parked();
            let e = ended.load(Ordering::Acquire) as usize;
            if p == n || p + e >= n {
                break p;
            }
            if stop.load(Ordering::Relaxed) {
                progress(&format!("stopped at {p} parked of {n}"));
                break p;
            }
            if p != seen {
                (seen, moved) = (p, Instant::now());
            } else if moved.elapsed() > stall {
                progress(&format!("stalled at {p} parked of {n}"));
                break p;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let park_seconds = t0.elapsed().as_secs_f64();
        let rss_parked = rss::read();
        progress(&format!(
            "parked {parked} of {n} in {park_seconds:.2} s; rss {:.0} MiB ({} bytes per execution)",
            rss_parked.now as f64 / MIB,
            rss_parked.now.saturating_sub(before.now) / n.max(1) as u64,
        ));
        let mut first = std::mem::take(&mut *lock(&held));
        parked = parked.min(first.len());
        let second = first.split_half();
        let t1 = Instant::now();
        for half in [first, second] {
            s.spawn(move || {
                for done in half.into_waiters() {
                    complete(done);
                }
            });
        }
        // Executions that park after the count above (a stop or a stall cut
        // the wait short) are completed as they come, until the batch ends.
        s.spawn(|| {
            while !batch_done.load(Ordering::Acquire) {
                for done in std::mem::take(&mut *lock(&held)).into_waiters() {
                    complete(done);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        ParkedReport {
            executions: n as u64,
            parked: parked as u64,
            completed: 0,
            failed: 0,
            threads: rt.threads(),
            park_seconds,
            complete_seconds: t1.elapsed().as_secs_f64(),
            seconds: 0.0,
            rss_parked: rss_parked.now,
            peak_rss: 0,
            bytes_per_execution: rss_parked.now.saturating_sub(before.now) / n.max(1) as u64,
        }
    });
    // The scope joined the batch: every outcome is in.
    report.seconds = t0.elapsed().as_secs_f64();
    report.complete_seconds = report.seconds - report.park_seconds;
    report.completed = succeeded.load(Ordering::Relaxed);
    report.failed = ended.load(Ordering::Relaxed) - report.completed;
    report.peak_rss = rss::read().peak;
    progress(&format!(
        "completed {} failed {} in {:.2} s; peak rss {:.0} MiB",
        report.completed,
        report.failed,
        report.complete_seconds,
        report.peak_rss as f64 / MIB
    ));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_has_the_size_asked() {
        let d = document(200);
        assert_eq!(d.len(), 200);
        let v: serde_json::Value = serde_json::from_str(&d).unwrap();
        assert_eq!(v["order"]["customer"]["tier"], "gold");
        assert!(document(10).len() > 10, "never less than the fixed part");
    }

    #[test]
    fn parks_all_then_completes_all() {
        let args = ParkedArgs {
            executions: 10_000,
            threads: Some(2),
            doc_bytes: 200,
            stall_seconds: 20.0,
        };
        let mut lines = Vec::new();
        let r = run(&args, &mut |l| lines.push(l.to_owned())).unwrap();
        assert_eq!(r.parked, 10_000, "{lines:?}");
        assert_eq!(r.completed, 10_000);
        assert_eq!(r.failed, 0);
        assert!(r.ok());
        assert_eq!(lines.len(), 2);
        let j = r.to_json();
        assert_eq!(j["parked"], 10_000);
        assert_eq!(j["failed"], 0);
    }

    #[test]
    fn parks_all_on_task_tokens_then_sends_every_token() {
        let args = ParkedArgs {
            executions: 10_000,
            threads: Some(2),
            doc_bytes: 200,
            stall_seconds: 20.0,
        };
        let r = run_until(&args, Mode::Tokens, &mut |_| {}, &AtomicBool::new(false)).unwrap();
        assert_eq!(r.parked, 10_000);
        assert_eq!(r.completed, 10_000);
        assert!(r.ok());
    }
}
