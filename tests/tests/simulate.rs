//! End-to-end tests of `stampede simulate` and `stampede merge`: the report
//! against queueing theory and a hand-computed cost, shards merged into the
//! unsharded run, byte-identical output, every scenario problem at once,
//! sweeps, Ctrl-C, SIGTERM and SIGHUP, and the HTML page rendered in headless Chromium.

use serde_json::{json, Value};
use stampede_tests::locate::stampede_bin;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .canonicalize()
        .unwrap()
}

/// A fresh folder for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stampede-sim-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a scenario into `dir`, its `definition` resolved against `examples/`.
fn write_scenario(dir: &Path, name: &str, mut v: Value) -> PathBuf {
    let def = v["definition"].as_str().unwrap();
    v["definition"] = json!(examples().join(def));
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

fn stampede(args: &[&str]) -> Output {
    let out = Command::new(stampede_bin())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the stampede binary starts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "stampede {args:?} panicked:\n{stderr}"
    );
    out
}

fn ok(args: &[&str]) -> String {
    let out = stampede(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stampede {args:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Checkout with Map, Choice, Retry, Catch and errors, but no shared limits.
fn checkout_unlimited(executions: u64) -> Value {
    json!({
        "name": "checkout-unlimited",
        "definition": "checkout.asl.json",
        "seed": 11,
        "executions": executions,
        "arrivals": {"process": "poisson", "rate_per_s": 50},
        "input": {"template": {
            "orderId.$": "States.Format('o-{}', $$.Sim.Seq)",
            "amount.$": "States.MathRandom(1, 1000)",
            "items.$": "States.ArrayRange(1, States.MathRandom(1, 4), 1)"
        }},
        "resources": {
            "arn:aws:lambda:us-east-1:123456789012:function:price-line": {
                "latency_ms": {"dist": "lognormal", "median": 25, "sigma": 0.4},
                "errors": [{"error": "Lambda.ServiceException", "cause": "x", "p": 0.05}]
            },
            "arn:aws:lambda:us-east-1:123456789012:function:charge-card": {
                "latency_ms": {"dist": "exponential", "mean": 300},
                "errors": [{"error": "Payment.GatewayTimeout", "cause": "t", "p": 0.1},
                           {"error": "Payment.Declined", "cause": "d", "p": 0.05}],
                "memory_mb": 512
            }
        }
    })
}

/// M/M/2 at ρ = 0.5 through the binary: P(wait) = 1/3, mean wait 33.3 ms,
/// utilisation 0.5, each within 3% (Erlang C).
#[test]
fn queue_matches_erlang_c() {
    let dir = temp_dir("erlang");
    let sc = write_scenario(
        &dir,
        "mmc.json",
        json!({
            "definition": "erlang-c.asl.json",
            "seed": 1,
            "executions": 200_000,
            "arrivals": {"process": "poisson", "rate_per_s": 10},
            "resources": {"arn:aws:lambda:us-east-1:123456789012:function:work": {
                "latency_ms": {"dist": "exponential", "mean": 100},
                "max_concurrency": 2
            }}
        }),
    );
    let out = dir.join("out.json");
    ok(&["simulate", s(&sc), "-q", "--json", s(&out)]);
    let r = &read_json(&out)["resources"]["arn:aws:lambda:us-east-1:123456789012:function:work"];
    // Erlang C for a = λ/μ = 1, c = 2: P(wait) = (a²/2)/(1-ρ) / (1 + a + (a²/2)/(1-ρ)) = 1/3.
    let (p_wait, wait_ms, util) = (1.0 / 3.0, 1.0 / 3.0 / (20.0 - 10.0) * 1000.0, 0.5);
    for (what, got, want) in [
        ("P(wait)", r["p_wait"].as_f64().unwrap(), p_wait),
        (
            "mean wait",
            r["queue_wait_ms"]["mean"].as_f64().unwrap(),
            wait_ms,
        ),
        ("utilization", r["utilization"].as_f64().unwrap(), util),
    ] {
        let err = (got / want - 1.0).abs();
        assert!(
            err <= 0.03,
            "{what}: {got} vs Erlang C {want} ({:.2}%)",
            err * 100.0
        );
    }
}

/// 1,000 Standard executions × 3 transitions = $0.075; Lambda: 1,000
/// requests = $0.0002 and 1,000 × 0.1 s × 0.25 GB = 25 GB-s = $0.000416668.
#[test]
fn cost_matches_a_hand_computation() {
    let dir = temp_dir("cost");
    std::fs::write(
        dir.join("def.json"),
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Next": "C"},
            "C": {"Type": "Pass", "End": true}
        }})
        .to_string(),
    )
    .unwrap();
    let sc = dir.join("cost.json");
    std::fs::write(
        &sc,
        json!({
            "definition": "def.json",
            "executions": 1000,
            "resources": {"arn:aws:lambda:us-east-1:1:function:f": {"latency_ms": 100, "memory_mb": 256}}
        })
        .to_string(),
    )
    .unwrap();
    let out = dir.join("out.json");
    let text = ok(&["simulate", s(&sc), "--json", s(&out)]);
    let cost = &read_json(&out)["cost"];
    assert_eq!(cost["total_usd"], json!(0.075616668));
    let usd: Vec<&Value> = cost["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["usd"])
        .collect();
    assert_eq!(usd, [&json!(0.075), &json!(0.0002), &json!(0.000416668)]);
    assert_eq!(
        cost["price_table"]["standard_transition_usd"],
        json!(0.000025)
    );
    assert!(text.contains("3,000"), "{text}");

    // An edited price file changes the estimate.
    let prices = dir.join("prices.json");
    std::fs::write(&prices, r#"{"standard_transition_usd": 0.00005}"#).unwrap();
    ok(&[
        "simulate",
        s(&sc),
        "-q",
        "--json",
        s(&out),
        "--prices",
        s(&prices),
    ]);
    assert_eq!(read_json(&out)["cost"]["lines"][0]["usd"], json!(0.15));
}

fn counts(v: &Value) -> Value {
    let states: serde_json::Map<String, Value> = v["states"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, s)| (k.clone(), json!([s["entered"], s["failed"], s["retries"]])))
        .collect();
    let resources: serde_json::Map<String, Value> = v["resources"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, r)| (k.clone(), json!([r["invocations"], r["errors"]])))
        .collect();
    json!({
        "by_status": v["executions"]["by_status"],
        "by_error": v["executions"]["by_error"],
        "transitions": v["state_transitions"],
        "states": states,
        "resources": resources,
        "latency": v["latency_ms"],
    })
}

#[test]
fn merged_shards_equal_the_unsharded_run() {
    let dir = temp_dir("shards");
    let sc = write_scenario(&dir, "checkout.json", checkout_unlimited(2000));
    let whole = dir.join("whole.json");
    ok(&["simulate", s(&sc), "-q", "--json", s(&whole)]);
    let mut shard_files = Vec::new();
    for i in 0..3 {
        let f = dir.join(format!("shard-{i}.json"));
        ok(&[
            "simulate",
            s(&sc),
            "-q",
            "--shard",
            &format!("{i}/3"),
            "--shard-out",
            s(&f),
        ]);
        shard_files.push(f);
    }
    let merged = dir.join("merged.json");
    let html = dir.join("merged.html");
    let mut args = vec!["merge", "--json", s(&merged), "--html", s(&html)];
    // In reverse: the order of the files does not matter.
    args.extend(shard_files.iter().rev().map(|f| s(f)));
    let text = ok(&args);
    assert!(text.contains("merged from 3 shards"), "{text}");
    let (whole, merged) = (read_json(&whole), read_json(&merged));
    assert_eq!(whole["executions"]["total"], 2000);
    assert!(whole["states"]["PriceLine"]["retries"].as_u64().unwrap() > 0);
    assert_eq!(counts(&merged), counts(&whole));
    assert_eq!(merged["cost"], whole["cost"]);
    assert_eq!(merged["meta"]["merged_shards"], 3);
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("ChargeCard"));

    // The same shard twice is refused.
    let out = stampede(&["merge", s(&shard_files[0]), s(&shard_files[0])]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn same_seed_gives_byte_identical_json() {
    let dir = temp_dir("determinism");
    let sc = write_scenario(&dir, "checkout.json", checkout_unlimited(1500));
    let run = |name: &str, threads: &str| {
        let f = dir.join(name);
        ok(&[
            "simulate",
            s(&sc),
            "-q",
            "--threads",
            threads,
            "--json",
            s(&f),
        ]);
        std::fs::read(&f).unwrap()
    };
    let a = run("a.json", "1");
    assert_eq!(a, run("b.json", "2"));
    assert_eq!(a, run("c.json", "1"));
    // A sweep runs its values in parallel: the same bytes on 1 or 2 threads.
    let sweep = |name: &str, threads: &str| {
        let f = dir.join(name);
        ok(&[
            "simulate",
            s(&sc),
            "-q",
            "--threads",
            threads,
            "--json",
            s(&f),
            "--sweep",
            "arrivals.rate_per_s=20,80",
        ]);
        std::fs::read(&f).unwrap()
    };
    assert_eq!(sweep("s1.json", "1"), sweep("s2.json", "2"));
}

#[test]
fn a_bad_scenario_reports_every_problem_at_once() {
    let dir = temp_dir("bad");
    let sc = write_scenario(
        &dir,
        "bad.json",
        json!({
            "definition": "checkout.asl.json",
            "executions": 10,
            "sed": 3,
            "arrivals": {"process": "poisson", "rate_per_s": -5},
            "resources": {
                "arn:aws:lambda:us-east-1:123456789012:function:charge-card": {
                    "errors": [{"error": "X", "cause": "y", "p": 1.5}]
                },
                "arn:aws:dynamodb:*": {"latency_ms": 3}
            }
        }),
    );
    let out = stampede(&["simulate", s(&sc)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    for want in [
        "/sed: SCENARIO_UNKNOWN_FIELD: unknown field; did you mean 'seed'?",
        "/arrivals/rate_per_s: SCENARIO_INVALID: must be > 0",
        "/resources/arn:aws:lambda:us-east-1:123456789012:function:charge-card/errors/0/p: SCENARIO_INVALID: must be between 0 and 1",
        "/resources/arn:aws:dynamodb:*: SCENARIO_UNMATCHED_RESOURCE: matches no Task Resource in the definition",
    ] {
        assert_eq!(lines.iter().filter(|l| **l == want).count(), 1, "{want} once in:\n{err}");
    }
    assert_eq!(lines.len(), 4, "{err}");
    assert!(out.stdout.is_empty());

    // A missing definition.
    let sc = dir.join("missing.json");
    std::fs::write(&sc, r#"{"definition": "nope.asl.json", "executions": 1, "arrivals": {"process": "poisson", "rate_per_s": 0}}"#).unwrap();
    let out = stampede(&["simulate", s(&sc)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/definition: SCENARIO_FILE: file not found"),
        "{err}"
    );
    assert!(
        err.contains("/arrivals/rate_per_s: SCENARIO_INVALID"),
        "{err}"
    );
}

#[test]
fn a_sweep_prints_one_row_per_value() {
    let dir = temp_dir("sweep");
    let mut v = checkout_unlimited(800);
    v["resources"]["arn:aws:lambda:us-east-1:123456789012:function:charge-card"]
        ["max_concurrency"] = json!(5);
    let sc = write_scenario(&dir, "checkout.json", v);
    let out = dir.join("sweep.json");
    let text = ok(&[
        "simulate",
        s(&sc),
        "--json",
        s(&out),
        "--sweep",
        "charge-card.max_concurrency=2,5,20",
    ]);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(text.contains("charge-card util"), "{text}");
    let list = read_json(&out);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let wait = |i: usize| {
        list[i]["resources"]["arn:aws:lambda:us-east-1:123456789012:function:charge-card"]
            ["queue_wait_ms"]["mean"]
            .as_f64()
            .unwrap()
    };
    // More concurrency, less queueing.
    assert!(wait(0) > wait(1) && wait(1) >= wait(2), "{text}");
    assert_eq!(
        list[2]["meta"]["sweep"],
        json!({"key": "charge-card.max_concurrency", "value": 20.0})
    );

    let bad = stampede(&["simulate", s(&sc), "--sweep", "nothing.max_concurrency=1"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Runs `stampede ARGS`, sends it `signal` (`INT`, `TERM`, `HUP`) after
/// 1.5 s, and returns what it printed when it ended.
#[cfg(unix)]
fn stopped_by(signal: &str, args: &[&str]) -> Output {
    let child = Command::new(stampede_bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn ctrl_c_prints_a_partial_report() {
    let dir = temp_dir("ctrlc");
    let sc = write_scenario(&dir, "long.json", checkout_unlimited(50_000_000));
    let out = dir.join("partial.json");
    let res = stopped_by("INT", &["simulate", s(&sc), "--json", s(&out)]);
    assert_eq!(
        res.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let text = String::from_utf8_lossy(&res.stdout);
    assert!(text.contains("PARTIAL"), "{text}");
    let v = read_json(&out);
    assert_eq!(v["meta"]["partial"], true);
    assert!(v["executions"]["total"].as_u64().unwrap() < 50_000_000);
}

/// SIGTERM stops a shard the way Ctrl-C does, with its own exit code: the
/// partial report is printed and written whole, and the shard file holds
/// partial statistics that `merge` still adds up.
#[cfg(unix)]
#[test]
fn sigterm_writes_a_partial_report_and_a_mergeable_shard() {
    let dir = temp_dir("sigterm");
    let sc = write_scenario(&dir, "long.json", checkout_unlimited(50_000_000));
    let report = dir.join("partial.json");
    let shard = dir.join("shard0.json");
    let res = stopped_by(
        "TERM",
        &[
            "simulate",
            s(&sc),
            "--json",
            s(&report),
            "--shard",
            "0/2",
            "--shard-out",
            s(&shard),
        ],
    );
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(143), "{err}");
    let text = String::from_utf8_lossy(&res.stdout);
    assert!(text.contains("PARTIAL"), "{text}");
    let v = read_json(&report);
    assert_eq!(v["meta"]["partial"], true);
    let ran = v["executions"]["total"].as_u64().unwrap();
    assert!(ran < 25_000_000);
    let saved = read_json(&shard);
    assert_eq!(saved["meta"]["partial"], true);
    let merged = dir.join("merged.json");
    ok(&["merge", s(&shard), "--json", s(&merged), "--quiet"]);
    let m = read_json(&merged);
    assert_eq!(m["meta"]["partial"], true);
    assert_eq!(m["executions"]["total"].as_u64().unwrap(), ran);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "no temporary file is left: {names:?}"
    );
}

/// A sweep stopped by SIGHUP reports what finished and exits 129.
#[cfg(unix)]
#[test]
fn sighup_stops_a_sweep() {
    let dir = temp_dir("sighup-sweep");
    let sc = write_scenario(&dir, "long.json", checkout_unlimited(50_000_000));
    let report = dir.join("sweep.json");
    let res = stopped_by(
        "HUP",
        &[
            "simulate",
            s(&sc),
            "--json",
            s(&report),
            "--sweep",
            "arrivals.rate_per_s=50,100",
            "--threads",
            "2",
        ],
    );
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(129), "{err}");
    assert!(String::from_utf8_lossy(&res.stdout).contains("PARTIAL"));
    let list = read_json(&report);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["meta"]["partial"] == true));
}

/// The headless Chromium of the issue, or `None` (skip) when it is not
/// installed and this is not CI.
fn chromium() -> Option<&'static str> {
    let found = Command::new("chromium")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Some("chromium");
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    assert!(
        !ci,
        "CI is set but `chromium` is not installed: .ci/run installs Debian's chromium package"
    );
    println!("SKIPPED: `chromium` is not installed (apt-get install chromium); the HTML report was not rendered");
    None
}

#[test]
fn the_html_report_renders_every_state_in_chromium() {
    let dir = temp_dir("html");
    let mut v = checkout_unlimited(300);
    v["resources"]["arn:aws:lambda:us-east-1:123456789012:function:charge-card"]
        ["max_concurrency"] = json!(3);
    let sc = write_scenario(&dir, "checkout.json", v);
    let html = dir.join("report.html");
    ok(&["simulate", s(&sc), "-q", "--html", s(&html)]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("<script"), "the page needs no script");
    let Some(browser) = chromium() else { return };
    let profile = dir.join("profile");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &format!("file://{}", html.display()),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<svg"),
        "no graph in the rendered page:\n{dom}"
    );
    let graph = &dom[dom.find("<svg").unwrap()..];
    let def = read_json(&examples().join("checkout.asl.json"));
    let mut names: Vec<String> = def["States"].as_object().unwrap().keys().cloned().collect();
    names.push("PriceLine".to_owned());
    for name in names {
        assert!(
            graph.contains(&format!(">{name}<")),
            "state {name} is not drawn in the graph"
        );
    }
}
