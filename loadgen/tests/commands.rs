//! The commands end to end, in-process, on small counts (CI has 2 cores).

use stampede_loadgen::closed::{self, ClosedArgs};
use stampede_loadgen::merge::{self, MergeArgs};
use stampede_loadgen::open::{self, OpenArgs};
use stampede_loadgen::throughput::{self, ThroughputArgs};
use stampede_loadgen::workload::{ClockArg, Limit, Tasks, WorkloadArgs};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;

/// A Pass, a Task that fails twice through `__fail` and is retried, then a Succeed.
const DEFINITION: &str = r#"{
  "StartAt": "Shape",
  "States": {
    "Shape": {"Type": "Pass", "Parameters": {"v.$": "$.v", "__fail.$": "$.fail"}, "Next": "Call"},
    "Call": {
      "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:echo",
      "Retry": [{"ErrorEquals": ["Custom.Transient"], "IntervalSeconds": 1, "MaxAttempts": 3}],
      "Next": "Done"
    },
    "Done": {"Type": "Succeed"}
  }
}"#;
const INPUT: &str =
    r#"{"v": 1, "fail": {"error": "Custom.Transient", "cause": "flaky", "times": 2}}"#;

/// A scratch folder with the definition and input written in it.
fn workload(test: &str, tasks: Tasks) -> (PathBuf, WorkloadArgs) {
    let dir = std::env::temp_dir().join(format!("stampede-loadgen-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("definition.json"), DEFINITION).unwrap();
    std::fs::write(dir.join("input.json"), INPUT).unwrap();
    let args = WorkloadArgs {
        definition: dir.join("definition.json"),
        input: dir.join("input.json"),
        tasks,
        threads: Some(2),
        clock: ClockArg::Virtual,
    };
    (dir, args)
}

fn count(n: u64) -> Limit {
    Limit {
        duration: None,
        count: Some(n),
    }
}

#[test]
fn open_then_closed_then_merge() {
    let (dir, w) = workload("merge", Tasks::FailConvention);
    let open_log = dir.join("open.hlog");
    let o = open::run(&OpenArgs {
        workload: w.clone(),
        rate: 5_000.0,
        limit: count(500),
        seed: 9,
        hist_log: Some(open_log.clone()),
        interval: 0.02,
    })
    .unwrap();
    assert_eq!(o.tally.executions, 500);
    assert_eq!(o.tally.succeeded, 500);
    // Shape, Call + 2 retries, Done.
    assert_eq!(o.tally.transitions, 500 * 5);
    assert_eq!(o.latency.count, 500);
    let j = o.to_json();
    assert_eq!(j["workload"], dir.file_name().unwrap().to_str().unwrap());
    assert_eq!(j["statuses"]["SUCCEEDED"], 500);
    assert!(j["latency_us"]["p999"].as_u64().unwrap() >= j["latency_us"]["p50"].as_u64().unwrap());

    let closed_log = dir.join("closed.hlog");
    let c = closed::run(&ClosedArgs {
        workload: w,
        concurrency: 8,
        limit: count(1_000),
        hist_log: Some(closed_log.clone()),
        interval: 0.02,
    })
    .unwrap();
    assert_eq!(c.tally.executions, 1_000);
    assert_eq!(c.tally.succeeded, 1_000);

    let m = merge::run(&MergeArgs {
        files: vec![open_log, closed_log],
    })
    .unwrap();
    assert_eq!(m["executions"], 1_500);
    assert!(m["histograms"].as_u64().unwrap() >= 2);
    assert!(m["latency_us"]["max"].as_u64().unwrap() >= o.latency.max.max(c.latency.max));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn closed_for_a_duration_stops() {
    let (dir, w) = workload("duration", Tasks::Echo);
    let c = closed::run(&ClosedArgs {
        workload: w,
        concurrency: 4,
        limit: Limit {
            duration: Some(0.2),
            count: None,
        },
        hist_log: None,
        interval: 1.0,
    })
    .unwrap();
    assert!(c.tally.executions > 0);
    // Echo ignores `__fail`: no retries.
    assert_eq!(c.tally.transitions, c.tally.executions * 3);
    assert!(c.seconds < 5.0, "took {} s", c.seconds);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn throughput_counts_everything() {
    let (dir, w) = workload("throughput", Tasks::FailConvention);
    let r = throughput::run(&ThroughputArgs {
        workload: w,
        executions: 2_000,
        max_in_flight: 256,
    })
    .unwrap();
    assert_eq!(r.tally.executions, 2_000);
    assert_eq!(r.tally.succeeded, 2_000);
    assert_eq!(r.to_json()["transitions"], 10_000);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_definition_is_an_error() {
    let (dir, mut w) = workload("bad", Tasks::Echo);
    std::fs::write(
        dir.join("broken.json"),
        r#"{"StartAt":"Nowhere","States":{}}"#,
    )
    .unwrap();
    w.definition = dir.join("broken.json");
    let err = throughput::run(&ThroughputArgs {
        workload: w,
        executions: 1,
        max_in_flight: 0,
    })
    .unwrap_err();
    assert!(format!("{err:#}").contains("does not compile"), "{err:#}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_set_stop_flag_starts_nothing() {
    let (dir, w) = workload("stopped", Tasks::Echo);
    let stop = AtomicBool::new(true);
    let o = open::run_until(
        &OpenArgs {
            workload: w.clone(),
            // One arrival a minute: the gate must not sleep through the stop.
            rate: 1.0 / 60.0,
            limit: count(10),
            seed: 1,
            hist_log: None,
            interval: 1.0,
        },
        &stop,
    )
    .unwrap();
    assert_eq!(o.tally.executions, 0);
    let c = closed::run_until(
        &ClosedArgs {
            workload: w.clone(),
            concurrency: 2,
            limit: count(10),
            hist_log: None,
            interval: 1.0,
        },
        &stop,
    )
    .unwrap();
    assert_eq!(c.tally.executions, 0);
    let t = throughput::run_until(
        &ThroughputArgs {
            workload: w,
            executions: 1_000,
            max_in_flight: 0,
        },
        &stop,
    )
    .unwrap();
    assert_eq!(t.tally.executions, 0);
    let _ = std::fs::remove_dir_all(dir);
}

/// SIGTERM mid-run: the report of what ran is printed, marked
/// `stopped_by`, and the exit code is 143.
#[cfg(unix)]
#[test]
fn sigterm_prints_the_report_and_exits_143() {
    let (dir, _) = workload("sigterm", Tasks::Echo);
    let child = Command::new(env!("CARGO_BIN_EXE_stampede-loadgen"))
        .args(["throughput", "--tasks", "echo", "--threads", "2"])
        .args(["--executions", "1000000000"])
        .arg("--definition")
        .arg(dir.join("definition.json"))
        .arg("--input")
        .arg(dir.join("input.json"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let res = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(143), "{err}");
    assert!(err.contains("interrupted by SIGTERM"), "{err}");
    let out = String::from_utf8(res.stdout).unwrap();
    let j: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(j["stopped_by"], "SIGTERM");
    let n = j["executions"].as_u64().unwrap();
    assert!(n < 1_000_000_000);
    assert_eq!(j["statuses"]["SUCCEEDED"], n);
    let _ = std::fs::remove_dir_all(dir);
}
