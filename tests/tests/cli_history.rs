//! `stampede run --history`: one execution's history as
//! GetExecutionHistory's `{"events":[…]}` (a file, or stdout after the
//! outcome), and a batch's as JSON Lines, one `{"index":N,"events":[…]}`
//! per execution.

use serde_json::Value;
use stampede_tests::locate::stampede_bin;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stampede-history-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stampede(args: &[&str]) -> Output {
    let out = Command::new(stampede_bin())
        .args(args)
        .output()
        .expect("the stampede binary starts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "stampede {args:?} panicked:\n{stderr}"
    );
    out
}

fn types(events: &Value) -> Vec<String> {
    events
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or("?").to_owned())
        .collect()
}

#[test]
fn single_execution_history_to_a_file_and_to_stdout() {
    let def = example("hello.asl.json");
    let input = example("hello.input.json");
    let file = temp("hello-history.json");
    let (d, i, f) = (
        def.to_str().unwrap(),
        input.to_str().unwrap(),
        file.to_str().unwrap(),
    );
    let at = "--start-time-ms=1700000000000";
    let out = stampede(&["run", d, "--input", i, at, "--history", f]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcome: Value = serde_json::from_slice(&out.stdout).expect("one outcome line");
    assert_eq!(outcome["status"], "SUCCEEDED");
    let h: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let t = types(&h["events"]);
    assert_eq!(t.first().map(String::as_str), Some("ExecutionStarted"));
    assert_eq!(t.last().map(String::as_str), Some("ExecutionSucceeded"));
    let ids: Vec<u64> = h["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());

    assert_eq!(h["events"][0]["timestamp"], 1_700_000_000);
    let out = stampede(&["run", d, "--input", i, at, "--history", "-"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let first: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(first["status"], "SUCCEEDED");
    let second: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(second, h, "the same history on stdout");
}

#[test]
fn batch_history_one_line_per_execution() {
    let def = example("hello.asl.json");
    let input = example("hello.input.json");
    let file = temp("batch-history.jsonl");
    let outs = temp("batch-outcomes.jsonl");
    let args = [
        "run",
        def.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "--executions",
        "5",
        "--ordered",
        "-q",
        "--out",
        outs.to_str().unwrap(),
        "--history",
        file.to_str().unwrap(),
    ];
    let out = stampede(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["index"], i as u64);
        assert_eq!(
            types(&l["events"]).last().map(String::as_str),
            Some("ExecutionSucceeded")
        );
    }

    // Both to stdout is refused, with a clear error.
    let out = stampede(&["run", def.to_str().unwrap(), "-n", "2", "--history", "-"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stdout"));
}
