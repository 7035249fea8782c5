//! End-to-end tests of the `stampede` binary: exit codes, output shapes,
//! the examples, and hostile files (none may panic or crash it).
//!
//! The binary comes from `stampede_tests::locate::stampede_bin`: built once
//! per test process by `cargo build -p stampede-cli`, its path read from
//! cargo's JSON messages (or `$STAMPEDE_BIN`).

use serde_json::{json, Value};
use stampede_tests::compare::{json_diff, Placeholders};
use stampede_tests::locate::stampede_bin;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository's `examples/` folder.
fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

/// A file under a folder of this test process, with `bytes` in it.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stampede-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `stampede ARGS` (with `stdin` piped in) and checks it ended by
/// itself, without a panic or a crash.
fn stampede(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(stampede_bin())
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the stampede binary starts");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code().is_some_and(|c| c != 101),
        "stampede {args:?} crashed: {:?}\n{stderr}",
        out.status
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("overflow"),
        "stampede {args:?} panicked:\n{stderr}"
    );
    out
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The single JSON line `run` printed.
fn outcome(out: &Output) -> Value {
    let text = stdout(out);
    assert_eq!(text.lines().count(), 1, "one line expected:\n{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn help_and_version() {
    let out = stampede(&["--help"], None);
    assert_eq!(code(&out), 0);
    let help = stdout(&out);
    assert!(help.contains("validate") && help.contains("run"), "{help}");
    let out = stampede(&["--version"], None);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out).trim(),
        format!("stampede {}", env!("CARGO_PKG_VERSION"))
    );
    let out = stampede(&["frobnicate"], None);
    assert_eq!(code(&out), 2);
}

const VALID_EXAMPLES: [&str; 6] = [
    "hello.asl.json",
    "order.asl.json",
    "order.jsonata.asl.json",
    "loan.asl.json",
    "fanout.asl.json",
    "catch.asl.json",
];

#[test]
fn validate_valid_examples() {
    for name in VALID_EXAMPLES {
        let path = example(name);
        let out = stampede(&["validate", path_str(&path)], None);
        assert_eq!(code(&out), 0, "{name}: {}", stdout(&out));
        assert_eq!(stdout(&out), "valid\n", "{name}");
        let out = stampede(&["validate", "--json", path_str(&path)], None);
        assert_eq!(code(&out), 0, "{name}");
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            v,
            json!({"result": "OK", "diagnostics": [], "truncated": false})
        );
    }
}

/// Each line `POINTER: CODE: message`.
fn assert_problem_lines(text: &str) {
    for line in text.lines() {
        let mut parts = line.splitn(3, ": ");
        let (ptr, code, msg) = (parts.next(), parts.next(), parts.next());
        assert!(
            ptr.is_some_and(|p| p.starts_with('/')),
            "pointer in {line:?}"
        );
        assert!(
            code.is_some_and(
                |c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_uppercase() || ch == '_')
            ),
            "code in {line:?}"
        );
        assert!(msg.is_some_and(|m| !m.is_empty()), "message in {line:?}");
    }
}

#[test]
fn validate_invalid_example() {
    let path = example("invalid.asl.json");
    let out = stampede(&["validate", path_str(&path)], None);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert_problem_lines(&text);
    assert!(
        text.lines().count() >= 5,
        "several problems expected:\n{text}"
    );
    for state in ["Start", "Wait", "Pick", "Charge", "Teleport"] {
        let at = format!("/States/{state}");
        assert!(text.contains(&at), "no problem reported in {at}:\n{text}");
    }
}

#[test]
fn validate_json_shape() {
    let path = example("invalid.asl.json");
    let out = stampede(&["validate", "--json", path_str(&path)], None);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["result", "diagnostics", "truncated"]);
    assert_eq!(v["result"], "FAIL");
    assert_eq!(v["truncated"], false);
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    for d in diags {
        let o = d.as_object().unwrap();
        assert!(["ERROR", "WARNING"].contains(&o["severity"].as_str().unwrap()));
        assert!(o["code"].is_string() && o["message"].is_string());
        assert!(o.get("location").is_none_or(Value::is_string));
        assert!(o
            .keys()
            .all(|k| ["severity", "code", "message", "location"].contains(&k.as_str())));
    }
    assert!(diags.iter().any(|d| d["severity"] == "ERROR"));
}

#[test]
fn unreadable_files_exit_2() {
    for args in [
        vec!["validate", "/no/such/definition.json"],
        vec!["validate", "--json", "/no/such/definition.json"],
        vec!["run", "/no/such/definition.json"],
    ] {
        let out = stampede(&args, None);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(
            stderr(&out).contains("cannot read"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
    let hello = example("hello.asl.json");
    let out = stampede(
        &["run", path_str(&hello), "--input", "/no/such/input.json"],
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot read"));
}

/// What each example must end with, compared as JSON by the corpus rules.
fn expected_outcomes() -> Vec<(&'static str, bool, Value)> {
    vec![
        (
            "hello",
            false,
            json!({"status": "SUCCEEDED", "output": {
                "greeting": "Hello, World!", "name": "World",
                "meta": {"by": "stampede", "version": 1}}}),
        ),
        (
            "order",
            true,
            json!({"status": "SUCCEEDED", "output": {
                "orderId": "ord-1001", "status": "SHIPPED",
                "summary": "Order ord-1001 for Ada Lovelace",
                "lines": 3, "reservedLines": 3, "shippedTo": "London"}}),
        ),
        (
            "loan",
            false,
            json!({"status": "SUCCEEDED", "output": {
                "decision": "APPROVED", "id": "app-77", "amount": 15000,
                "note": "auto-approved up to 20000"}}),
        ),
        (
            "fanout",
            false,
            json!({"status": "SUCCEEDED", "output": {
                "release": "v2.14.0",
                "regions": 3,
                "batches": [["eu-west-1", "us-east-1"], ["ap-southeast-2"]],
                "firstRegion": "eu-west-1",
                "tags": ["blue", "green", "canary"],
                "releaseId": "djIuMTQuMA==",
                "digest": "f6271f1b5affdc2d7fd4add81fec15590db28aad5d3779de0b3cd92c2d7e046c",
                "settings": {"timeout": 30, "retries": 5},
                "total": 2}}),
        ),
        (
            "catch",
            false,
            json!({"status": "FAILED", "error": "Inventory.OutOfStock",
                "cause": "order ord-1002: SKU LAMP-3 has no stock"}),
        ),
    ]
}

#[test]
fn run_examples() {
    for (name, echo, expected) in expected_outcomes() {
        let def = example(&format!("{name}.asl.json"));
        let input = example(&format!("{name}.input.json"));
        let mut args = vec!["run", path_str(&def), "--input", path_str(&input)];
        if echo {
            args.push("--echo-tasks");
        }
        let out = stampede(&args, None);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        let got = outcome(&out);
        if let Some(m) = json_diff(&expected, &got, &Placeholders::default()) {
            panic!("{name}: {m}\n  got: {got}");
        }
    }
}

/// The JSONata version of the order example (variables instead of paths)
/// gives the JSONPath version's output, alone and in a batch.
#[test]
fn run_jsonata_order_example() {
    let input = example("order.input.json");
    let mut outputs = Vec::new();
    for name in ["order.asl.json", "order.jsonata.asl.json"] {
        let def = example(name);
        let args = [
            "run",
            path_str(&def),
            "--input",
            path_str(&input),
            "--echo-tasks",
        ];
        let out = stampede(&args, None);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        let got = outcome(&out);
        assert_eq!(got["status"], "SUCCEEDED", "{name}: {got}");
        outputs.push(got["output"].clone());
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[1]["shippedTo"], "London");
    let def = example("order.jsonata.asl.json");
    let args = [
        "run",
        path_str(&def),
        "--input",
        path_str(&input),
        "--echo-tasks",
        "--executions",
        "20",
        "--ordered",
    ];
    let out = stampede(&args, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &Value| v.get("status").is_some())
        .collect();
    assert_eq!(lines.len(), 20, "{}", stdout(&out));
    assert!(lines.iter().all(|l| l["output"] == outputs[0]), "{lines:?}");
}

const ECHO_INPUT: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

#[test]
fn run_input_default_and_stdin() {
    let def = temp_file("echo-input.asl.json", ECHO_INPUT.as_bytes());
    let out = stampede(&["run", path_str(&def)], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(outcome(&out), json!({"status": "SUCCEEDED", "output": {}}));
    let out = stampede(
        &["run", path_str(&def), "--input", "-"],
        Some(b"[1, 2.5, \"x\"]"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        outcome(&out),
        json!({"status": "SUCCEEDED", "output": [1, 2.5, "x"]})
    );
}

#[test]
fn run_failure_is_still_exit_0() {
    let def = temp_file(
        "fails.asl.json",
        br#"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}"#,
    );
    let out = stampede(&["run", path_str(&def)], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        outcome(&out),
        json!({"status": "FAILED", "error": "E", "cause": "C"})
    );
}

#[test]
fn run_invalid_definition_exits_2_with_diagnostics() {
    let path = example("invalid.asl.json");
    let out = stampede(&["run", path_str(&path)], None);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.starts_with("error: invalid definition"), "{err}");
    assert_problem_lines(&err.lines().skip(1).collect::<Vec<_>>().join("\n"));
}

#[test]
fn run_invalid_input_exits_2() {
    let def = temp_file("echo-input2.asl.json", ECHO_INPUT.as_bytes());
    for (i, input) in [&b"{\"a\": "[..], b"", b"nul", b"\xff\xfe\x00"]
        .iter()
        .enumerate()
    {
        let file = temp_file(&format!("bad-input-{i}.json"), input);
        let out = stampede(&["run", path_str(&def), "--input", path_str(&file)], None);
        assert_eq!(code(&out), 2, "input {input:?}");
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).starts_with("error: "), "{}", stderr(&out));
    }
}

/// Bytes from a fixed xorshift generator: garbage, but the same every run.
fn garbage(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Files no definition parser may crash on.
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    const MB10: usize = 10 << 20;
    let big_array = {
        let mut s = String::from("[");
        while s.len() < MB10 {
            s.push_str("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",");
        }
        s.push_str("0]");
        s.into_bytes()
    };
    vec![
        (
            "malformed",
            br#"{"StartAt": "A", "States": {"A": {"Type": "Pass""#.to_vec(),
        ),
        ("empty", Vec::new()),
        ("blank", b" \n\t ".to_vec()),
        ("garbage", garbage(4096)),
        ("garbage-10mb", garbage(MB10)),
        ("array-10mb", big_array),
        ("nested-10mb", vec![b'['; MB10]),
        ("nested-objects", "{\"a\":".repeat(100_000).into_bytes()),
        ("not-an-object", b"[1, 2, 3]".to_vec()),
        ("a-string", b"\"StartAt\"".to_vec()),
        ("null", b"null".to_vec()),
        (
            "states-not-object",
            br#"{"StartAt": "A", "States": []}"#.to_vec(),
        ),
        (
            "state-not-object",
            br#"{"StartAt": "A", "States": {"A": 1}}"#.to_vec(),
        ),
        ("utf16", b"\xff\xfe{\x00}\x00".to_vec()),
    ]
}

#[test]
fn hostile_definitions_fail_cleanly() {
    for (name, bytes) in hostile_files() {
        let file = temp_file(&format!("hostile-{name}.json"), &bytes);
        let out = stampede(&["validate", path_str(&file)], None);
        assert_eq!(code(&out), 1, "validate {name}: {}", stderr(&out));
        assert_problem_lines(&stdout(&out));
        let out = stampede(&["validate", "--json", path_str(&file)], None);
        assert_eq!(code(&out), 1, "validate --json {name}");
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["result"], "FAIL", "{name}");
        let out = stampede(&["run", path_str(&file)], None);
        assert_eq!(code(&out), 2, "run {name}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "run {name}");
    }
}

#[test]
fn hostile_inputs_fail_cleanly() {
    let def = temp_file("echo-input3.asl.json", ECHO_INPUT.as_bytes());
    for (name, bytes) in hostile_files() {
        let file = temp_file(&format!("hostile-input-{name}.json"), &bytes);
        let out = stampede(&["run", path_str(&def), "--input", path_str(&file)], None);
        // Well-formed JSON may be accepted (or refused as too large, as AWS
        // refuses inputs over 256 KiB); anything else is exit 2.
        match code(&out) {
            0 => {
                let _ = outcome(&out);
            }
            2 => assert!(out.stdout.is_empty()),
            c => panic!("run --input {name}: exit {c}: {}", stderr(&out)),
        }
        if name.starts_with("garbage") || ["malformed", "empty", "blank", "utf16"].contains(&name) {
            assert_eq!(code(&out), 2, "run --input {name}");
        }
    }
}

/// A chain of `n` Pass states, each adding one to `$.count`; with `dangling`
/// the last one names a state that does not exist.
fn chain(n: usize, dangling: bool) -> Vec<u8> {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let mut s = json!({
            "Type": "Pass",
            "Parameters": {"count.$": "States.MathAdd($.count, 1)"}
        });
        if i + 1 < n {
            s["Next"] = json!(format!("S{}", i + 1));
        } else if dangling {
            s["Next"] = json!("Nowhere");
        } else {
            s["End"] = json!(true);
        }
        states.insert(format!("S{i}"), s);
    }
    json!({"StartAt": "S0", "States": states})
        .to_string()
        .into_bytes()
}

#[test]
fn ten_thousand_states() {
    let good = temp_file("chain-10000.asl.json", &chain(10_000, false));
    let out = stampede(&["validate", path_str(&good)], None);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let input = temp_file("chain-input.json", b"{\"count\": 0}");
    let out = stampede(&["run", path_str(&good), "--input", path_str(&input)], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        outcome(&out),
        json!({"status": "SUCCEEDED", "output": {"count": 10_000}})
    );

    let bad = temp_file("chain-10000-dangling.asl.json", &chain(10_000, true));
    let out = stampede(&["validate", path_str(&bad)], None);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert_problem_lines(&text);
    assert!(text.contains("/States/S9999"), "{text}");
    let out = stampede(&["run", path_str(&bad)], None);
    assert_eq!(code(&out), 2);
}

// ---- batch mode: `run --inputs FILE.jsonl` / `run --executions N` ----

/// Non-empty lines of `text`, each parsed as JSON.
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// A Pass state whose output depends on the input and on everything that is
/// seeded per execution: `States.MathRandom`, `States.UUID`, the execution name.
const SEEDED: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{
    "in.$":"$","r.$":"States.MathRandom(0, 1000000000)","u.$":"States.UUID()",
    "name.$":"$$.Execution.Name"},"Next":"Q"},"Q":{"Type":"Pass","End":true}}}"#;

#[test]
fn batch_jsonl_with_a_bad_line() {
    let hello = example("hello.asl.json");
    let inputs = temp_file(
        "batch-inputs.jsonl",
        b"{\"name\": \"Ada\"}\n\n{\"name\": \"Bob\"\n  \n{\"name\": \"Cy\"}\r\n",
    );
    let out_file = temp_file("batch-out.jsonl", b"");
    let summary_file = temp_file("batch-summary.json", b"");
    let out = stampede(
        &[
            "run",
            path_str(&hello),
            "--inputs",
            path_str(&inputs),
            "--out",
            path_str(&out_file),
            "--summary-json",
            path_str(&summary_file),
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "outcomes go to --out");
    let err = stderr(&out);
    // The bad line is named by its line in the file (1-based, blank lines counted).
    assert!(
        err.contains(&format!(
            "warning: {}:3: invalid execution input",
            path_str(&inputs)
        )),
        "{err}"
    );
    assert!(err.contains("SUCCEEDED 2, FAILED 1"), "{err}");
    assert!(err.contains("States.Runtime 1"), "{err}");
    assert!(err.contains("p99.9"), "{err}");

    let mut got = json_lines(&std::fs::read_to_string(&out_file).unwrap());
    got.sort_by_key(|v| v["index"].as_u64().unwrap());
    assert_eq!(got.len(), 3);
    let hello_to = |name: &str| {
        json!({"greeting": format!("Hello, {name}!"), "name": name,
               "meta": {"by": "stampede", "version": 1}})
    };
    assert_eq!(
        got[0],
        json!({"index": 0, "status": "SUCCEEDED", "output": hello_to("Ada")})
    );
    assert_eq!(got[1]["index"], 1);
    assert_eq!(got[1]["status"], "FAILED");
    assert_eq!(got[1]["error"], "States.Runtime");
    let cause = got[1]["cause"].as_str().unwrap();
    assert!(cause.starts_with("invalid execution input"), "{cause}");
    assert_eq!(
        got[2],
        json!({"index": 2, "status": "SUCCEEDED", "output": hello_to("Cy")})
    );

    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_file).unwrap()).unwrap();
    assert_eq!(summary["executions"], 3);
    assert_eq!(summary["status"], json!({"SUCCEEDED": 2, "FAILED": 1}));
    assert_eq!(summary["errors"], json!({"States.Runtime": 1}));
    assert_eq!(summary["transitions"], 4);
    for key in ["p50", "p90", "p99", "p99.9", "max"] {
        assert!(summary["durationMs"][key].is_u64(), "{summary}");
        assert!(summary["wallUs"][key].is_u64(), "{summary}");
    }
    assert!(summary["executionsPerSecond"].as_f64().unwrap() > 0.0);
}

/// A batch line over AWS's 256 KiB input quota fails that execution, with a
/// warning naming the line and the size; the other lines run.
#[test]
fn batch_line_over_256_kib_fails_that_execution() {
    let big = format!("{{\"name\":\"{}\"}}", "x".repeat(262_144));
    let text = format!("{{\"name\":\"Ada\"}}\n{big}\n");
    let inputs = temp_file("batch-big-inputs.jsonl", text.as_bytes());
    let out_file = temp_file("batch-big-out.jsonl", b"");
    let out = stampede(
        &[
            "run",
            path_str(&example("hello.asl.json")),
            "--inputs",
            path_str(&inputs),
            "--out",
            path_str(&out_file),
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "warning: {}:2: invalid execution input: 262155 bytes",
            path_str(&inputs)
        )),
        "{err}"
    );
    let mut got = json_lines(&std::fs::read_to_string(&out_file).unwrap());
    got.sort_by_key(|v| v["index"].as_u64().unwrap());
    assert_eq!(got[0]["status"], "SUCCEEDED");
    assert_eq!(got[1]["status"], "FAILED");
    assert_eq!(got[1]["error"], "States.Runtime");
}

/// A definition over AWS's 1 MiB quota is refused by `validate` and `run`,
/// with its own code.
#[test]
fn definition_over_one_mib_exits_2() {
    let comment = "x".repeat(1_048_576);
    let def = format!(
        r#"{{"Comment":"{comment}","StartAt":"A","States":{{"A":{{"Type":"Pass","End":true}}}}}}"#
    );
    let path = temp_file("huge.asl.json", def.as_bytes());
    // `validate` exits 1 for an invalid definition, `run` 2.
    for (cmd, exit) in [("validate", 1), ("run", 2)] {
        let out = stampede(&[cmd, path_str(&path)], None);
        assert_eq!(code(&out), exit, "{cmd}");
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(all.contains("DEFINITION_TOO_LARGE"), "{cmd}: {all}");
    }
}

#[test]
fn batch_thousand_executions_of_one_input() {
    let hello = example("hello.asl.json");
    let input = example("hello.input.json");
    let out = stampede(
        &[
            "run",
            path_str(&hello),
            "--input",
            path_str(&input),
            "--executions",
            "1000",
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), 1000);
    let mut seen = vec![false; 1000];
    for v in &lines {
        assert_eq!(v["status"], "SUCCEEDED", "{v}");
        assert_eq!(v["output"]["greeting"], "Hello, World!");
        seen[v["index"].as_u64().unwrap() as usize] = true;
    }
    assert!(seen.iter().all(|s| *s), "every index once");
    let err = stderr(&out);
    assert!(
        err.contains("1,000 executions") && err.contains("SUCCEEDED 1,000"),
        "{err}"
    );
}

#[test]
fn batch_outcomes_do_not_depend_on_threads() {
    let def = temp_file("seeded.asl.json", SEEDED.as_bytes());
    let inputs = temp_file("seeded.jsonl", b"{\"k\": 1}\n[2]\n\"three\"\nnot json\n");
    let run = |threads: &str, ordered: bool| {
        let mut args = vec![
            "run",
            path_str(&def),
            "--inputs",
            path_str(&inputs),
            "--executions",
            "2000",
            "--seed",
            "42",
            "--start-time-ms",
            "1700000000000",
            "--threads",
            threads,
        ];
        if ordered {
            args.push("--ordered");
        }
        let out = stampede(&args, None);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stdout(&out)
    };
    let sorted = |text: String| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    let one = sorted(run("1", false));
    assert_eq!(one.len(), 2000);
    assert_eq!(one, sorted(run("2", false)));
    // Cycling: execution i runs line i % 4, with its own seed.
    let ordered = run("1", true);
    let values = json_lines(&ordered);
    for (i, v) in values.iter().enumerate() {
        assert_eq!(v["index"], i as u64, "--ordered writes in index order");
    }
    assert_eq!(values[5]["output"]["in"], json!([2]));
    assert_eq!(values[7]["error"], "States.Runtime");
    assert_ne!(values[1]["output"]["r"], values[5]["output"]["r"]);
    assert_ne!(values[1]["output"]["name"], values[5]["output"]["name"]);
    assert_eq!(ordered, run("2", true), "--ordered is byte-identical");
}

#[test]
fn batch_flags_need_a_batch_and_bad_shared_input_exits_2() {
    let hello = example("hello.asl.json");
    for flag in [
        &["--threads", "2"][..],
        &["--out", "/tmp/x"],
        &["--ordered"],
        &["--summary-json", "/tmp/x"],
    ] {
        let mut args = vec!["run", path_str(&hello)];
        args.extend_from_slice(flag);
        let out = stampede(&args, None);
        assert_eq!(code(&out), 2, "{flag:?}");
        assert!(out.stdout.is_empty());
    }
    let bad = temp_file("batch-bad-input.json", b"{\"a\": ");
    let out = stampede(
        &[
            "run",
            path_str(&hello),
            "--input",
            path_str(&bad),
            "-n",
            "3",
        ],
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).starts_with("error: invalid execution input"),
        "{}",
        stderr(&out)
    );
    let blank = temp_file("batch-blank.jsonl", b"\n \n");
    let out = stampede(
        &[
            "run",
            path_str(&hello),
            "--inputs",
            path_str(&blank),
            "-n",
            "3",
        ],
        None,
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    // An empty file and no --executions: an empty batch.
    let out = stampede(
        &["run", path_str(&hello), "--inputs", path_str(&blank)],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("0 executions"), "{}", stderr(&out));
}

#[test]
fn batch_write_failure_is_reported_with_the_summary() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let hello = example("hello.asl.json");
    let input = example("hello.input.json");
    let summary_file = temp_file("batch-full-summary.json", b"");
    let out = stampede(
        &[
            "run",
            path_str(&hello),
            "--input",
            path_str(&input),
            "--executions",
            "100000",
            "--out",
            "/dev/full",
            "--summary-json",
            path_str(&summary_file),
        ],
        None,
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error: cannot write outcomes to /dev/full"),
        "{err}"
    );
    assert!(
        err.contains("SUCCEEDED"),
        "the summary is still printed: {err}"
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_file).unwrap()).unwrap();
    let ran = summary["executions"].as_u64().unwrap();
    assert!(ran > 0 && ran < 100_000, "the batch stopped early: {ran}");
}

/// The number before ` executions in` on the summary's first line.
fn summary_count(stderr: &str) -> u64 {
    let first = stderr
        .lines()
        .find(|l| l.contains(" executions in "))
        .unwrap_or_else(|| panic!("no summary on stderr:\n{stderr}"));
    first
        .split_whitespace()
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap()
}

/// Starts a batch too long to finish, sends `signal` (`TERM`, `HUP`, `INT`)
/// once outcomes have reached `--out`, and checks it stopped cleanly with
/// `code`: whole lines only, as many as the summary counts.
#[cfg(unix)]
fn batch_stopped_by(signal: &str, code: i32) {
    let hello = example("hello.asl.json");
    let input = example("hello.input.json");
    let out_file = temp_file(&format!("batch-{signal}.jsonl"), b"");
    let summary_file = temp_file(&format!("batch-{signal}-summary.json"), b"");
    let child = Command::new(stampede_bin())
        .args([
            "run",
            path_str(&hello),
            "--input",
            path_str(&input),
            "--echo-tasks",
            "--executions",
            "50000000",
            "--out",
            path_str(&out_file),
            "--summary-json",
            path_str(&summary_file),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Outcomes reach the file a buffer (256 KiB) at a time: once one has,
    // the batch is well under way. Then about a second more.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::metadata(&out_file).map_or(0, |m| m.len()) == 0 {
        assert!(std::time::Instant::now() < deadline, "no outcome written");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_secs(1));
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let res = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&res.stderr).into_owned();
    assert_eq!(res.status.code(), Some(code), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(&format!("interrupted by SIG{signal}")),
        "{err}"
    );
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(text.ends_with('\n'), "the file ends on a whole line");
    let lines = json_lines(&text);
    assert!(!lines.is_empty() && (lines.len() as u64) < 50_000_000);
    assert!(lines.iter().all(|l| l["status"] == "SUCCEEDED"));
    assert_eq!(summary_count(&err), lines.len() as u64, "{err}");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_file).unwrap()).unwrap();
    assert_eq!(summary["executions"], lines.len() as u64);
}

#[cfg(unix)]
#[test]
fn batch_stopped_by_sigterm_writes_whole_lines_and_exits_143() {
    batch_stopped_by("TERM", 143);
}

#[cfg(unix)]
#[test]
fn batch_stopped_by_sighup_exits_129() {
    batch_stopped_by("HUP", 129);
}

/// The driver's deadline rules apply to `stampede run`, not only to the
/// simulation: an Express execution ends TIMED_OUT at 5 minutes of its clock.
#[test]
fn run_express_times_out_after_five_minutes() {
    let def = temp_file(
        "wait400.asl.json",
        br#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":400,"End":true}}}"#,
    );
    let d = path_str(&def);
    let out = stampede(&["run", d, "--type", "express"], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(outcome(&out)["status"], "TIMED_OUT");
    let out = stampede(&["run", d], None);
    assert_eq!(outcome(&out)["status"], "SUCCEEDED");
}

/// The endless loop of the hardening issue ends: at AWS's history quota
/// (Standard) or at the transition cap (Express).
#[test]
fn run_endless_loop_ends_at_the_limits() {
    let def = temp_file(
        "endless.asl.json",
        br#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":1,"Next":"Done"}],"Default":"A"},"Done":{"Type":"Succeed"}}}"#,
    );
    let input = temp_file("endless.input.json", br#"{"x":0}"#);
    let (d, i) = (path_str(&def), path_str(&input));
    let out = stampede(&["run", d, "--input", i], None);
    let o = outcome(&out);
    assert_eq!(o["status"], "FAILED");
    assert_eq!(
        o["cause"],
        "The execution reached the maximum number of history events (25000)."
    );
    let out = stampede(
        &[
            "run",
            d,
            "--input",
            i,
            "--type",
            "express",
            "--max-transitions",
            "100000",
        ],
        None,
    );
    let o = outcome(&out);
    assert_eq!(o["status"], "FAILED");
    assert!(
        o["cause"]
            .as_str()
            .unwrap()
            .contains("100000 state transitions"),
        "{o}"
    );
}

/// AWS refuses inputs over 256 KiB before the execution starts.
#[test]
fn run_input_over_256_kib_exits_2() {
    let big = format!("{{\"s\":\"{}\"}}", "x".repeat(262_144));
    let input = temp_file("big.input.json", big.as_bytes());
    let out = stampede(
        &[
            "run",
            path_str(&example("hello.asl.json")),
            "--input",
            path_str(&input),
        ],
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("262152 bytes"), "{}", stderr(&out));
}
