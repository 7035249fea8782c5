//! Distributed Map through the `stampede` binary: the examples over the
//! local S3 folder (`--s3-root`, `STAMPEDE_S3_ROOT`, a scenario's
//! `s3_root`), and the errors when no folder is given or a key leaves it.

use serde_json::{json, Value};
use stampede_tests::locate::stampede_bin;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs `stampede ARGS` with `env` set (and `STAMPEDE_S3_ROOT` unset unless given).
fn stampede(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(stampede_bin());
    cmd.args(args).env_remove("STAMPEDE_S3_ROOT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the stampede binary starts");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{args:?} panicked:\n{err}");
    out
}

fn outcome(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn the_csv_example_reads_its_rows() {
    let root = example("s3");
    let out = stampede(
        &[
            "run",
            s(&example("dmap-csv.asl.json")),
            "--s3-root",
            s(&root),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        outcome(&out),
        json!({"status": "SUCCEEDED", "output": [
            {"line": "0: hello, Ada Lovelace (UK)"},
            {"line": "1: hello, Grace Hopper (US)"},
            {"line": "2: hello, Alan Turing (UK)"},
            {"line": "3: hello, Dijkstra, Edsger (NL)"}
        ]})
    );
    // The same from the environment.
    let out = stampede(
        &["run", s(&example("dmap-csv.asl.json"))],
        &[("STAMPEDE_S3_ROOT", s(&root))],
    );
    assert_eq!(outcome(&out)["status"], "SUCCEEDED");
}

#[test]
fn the_jsonl_example_batches_its_lines() {
    let out = stampede(
        &[
            "run",
            s(&example("dmap-jsonl.asl.json")),
            "--input",
            s(&example("dmap-jsonl.input.json")),
            "--s3-root",
            s(&example("s3")),
            "--echo-tasks",
        ],
        &[],
    );
    assert_eq!(
        outcome(&out),
        json!({"status": "SUCCEEDED", "output": {"batches": 4, "first": {"count": 5, "run": "2024-12-01"}}})
    );
}

#[test]
fn without_a_folder_the_error_names_the_option() {
    let out = stampede(&["run", s(&example("dmap-csv.asl.json"))], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/States/Greet/ItemReader: NO_OBJECT_STORE"),
        "{err}"
    );
    assert!(
        err.contains("--s3-root DIR") && err.contains("STAMPEDE_S3_ROOT"),
        "{err}"
    );
}

#[test]
fn a_key_outside_the_folder_fails_the_map() {
    let def = std::env::temp_dir().join(format!("stampede-dmap-{}.json", std::process::id()));
    let text = std::fs::read_to_string(example("dmap-csv.asl.json"))
        .unwrap()
        .replace("\"customers.csv\"", "\"../../README.md\"");
    std::fs::write(&def, text).unwrap();
    let out = stampede(&["run", s(&def), "--s3-root", s(&example("s3"))], &[]);
    let o = outcome(&out);
    assert_eq!(o["error"], "States.ItemReaderFailed", "{o}");
    assert!(
        o["cause"]
            .as_str()
            .unwrap()
            .contains("leaves the store's root"),
        "{o}"
    );
    let _ = std::fs::remove_file(def);
}

#[test]
fn a_scenario_reads_from_its_s3_root() {
    let report =
        std::env::temp_dir().join(format!("stampede-dmap-{}.report.json", std::process::id()));
    let out = stampede(
        &[
            "simulate",
            s(&example("dmap-sim.json")),
            "--json",
            s(&report),
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let _ = std::fs::remove_file(&report);
    let text = r.to_string();
    assert!(
        text.contains("SUCCEEDED") && text.contains("ProcessOrders"),
        "{text}"
    );
    // Without the field, the error says what to add.
    let sc = std::env::temp_dir().join(format!("stampede-dmap-sim-{}.json", std::process::id()));
    let body = std::fs::read_to_string(example("dmap-sim.json"))
        .unwrap()
        .replace("\"s3_root\": \"s3\",", "")
        .replace("dmap-jsonl.asl.json", s(&example("dmap-jsonl.asl.json")));
    std::fs::write(&sc, body).unwrap();
    let out = stampede(&["simulate", s(&sc)], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("s3_root"));
    let _ = std::fs::remove_file(sc);
}
