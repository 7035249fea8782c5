//! Runs the official JSONata 2.0.6 test suite (`shared/jsonata-suite`).

use crate::json::{Doc, Val};
use crate::jsonata::{parse, Budget, Host};
use serde_json::Value as J;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Passed cases must not drop below this.
const FLOOR: usize = 1611;

/// Cases Step Functions' dialect cannot express, with the reason.
const SKIPS: &[(&str, &str)] = &[("function-eval", "$eval is removed by Step Functions")];

struct TestHost {
    vars: HashMap<String, Val>,
    seed: u64,
}

impl Host for TestHost {
    fn variable(&self, name: &str) -> Option<Val> {
        self.vars.get(name).copied()
    }
    fn now_ms(&self) -> i64 {
        1_700_000_000_000
    }
    fn random(&mut self) -> f64 {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.seed >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn same(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || ((x - y).abs() <= 1e-12 * x.abs().max(y.abs()))
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

enum Outcome {
    Pass,
    Fail(String),
    Skip,
}

fn run_case(dir: &Path, group: &str, case: &J, datasets: &Path) -> Outcome {
    let expr = match (case.get("expr"), case.get("expr-file")) {
        (Some(J::String(e)), _) => e.clone(),
        (_, Some(J::String(f))) => std::fs::read_to_string(dir.join(f)).unwrap_or_default(),
        _ => return Outcome::Fail("no expression".into()),
    };
    if SKIPS.iter().any(|(g, _)| *g == group) || expr.contains("$eval") {
        return Outcome::Skip;
    }
    let data: Option<J> = match case.get("data") {
        Some(d) => Some(d.clone()),
        None => match case.get("dataset") {
            Some(J::String(name)) => {
                let text = std::fs::read_to_string(datasets.join(format!("{name}.json")))
                    .unwrap_or_default();
                serde_json::from_str(&text).ok()
            }
            _ => None,
        },
    };
    let expected_code = case
        .get("code")
        .or_else(|| case.get("error").and_then(|e| e.get("code")))
        .and_then(J::as_str)
        .map(str::to_string);
    let mut budget = Budget::default();
    if let Some(d) = case.get("depth").and_then(J::as_u64) {
        budget.max_depth = d as u32;
    }
    budget.max_time = Some(Duration::from_millis(
        case.get("timelimit").and_then(J::as_u64).unwrap_or(5000) * 2,
    ));
    let got = (|| -> Result<Option<J>, String> {
        let e = parse(&expr).map_err(|e| e.code.to_string())?;
        let mut doc = Doc::new();
        let input = data.as_ref().map(|d| doc.import(d));
        let mut vars = HashMap::new();
        if let Some(J::Object(b)) = case.get("bindings") {
            for (k, v) in b {
                vars.insert(k.clone(), doc.import(v));
            }
        }
        let mut host = TestHost { vars, seed: 42 };
        let r = e
            .evaluate(&mut doc, input, &mut host, &budget)
            .map_err(|e| e.code.to_string())?;
        Ok(r.map(|v| doc.export(v)))
    })();
    match (&expected_code, got) {
        (Some(code), Err(c)) if *code == c => Outcome::Pass,
        (Some(code), other) => Outcome::Fail(format!("expected error {code}, got {other:?}")),
        (None, Err(c)) => Outcome::Fail(format!("error {c}, expected {:?}", case.get("result"))),
        (None, Ok(r)) => match case.get("result") {
            Some(want) => match r {
                Some(g) if same(&g, want) => Outcome::Pass,
                Some(g) if case.get("unordered").is_some() => match (&g, want) {
                    (J::Array(x), J::Array(y))
                        if x.len() == y.len() && x.iter().all(|p| y.iter().any(|q| same(p, q))) =>
                    {
                        Outcome::Pass
                    }
                    _ => Outcome::Fail(format!("got {g}, expected {want}")),
                },
                other => Outcome::Fail(format!("got {other:?}, expected {want}")),
            },
            None => match r {
                None => Outcome::Pass,
                Some(g) => Outcome::Fail(format!("got {g}, expected undefined")),
            },
        },
    }
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/jsonata-suite")
}

fn run_suite() -> (usize, usize, usize, usize, Vec<String>) {
    let root = suite_dir();
    let datasets = root.join("datasets");
    let mut groups: Vec<PathBuf> = std::fs::read_dir(root.join("groups"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    groups.sort();
    let (mut pass, mut fail, mut skip, mut panics) = (0, 0, 0, 0);
    let mut report = Vec::new();
    for g in groups {
        let group = g
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&g)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|f| f.extension().is_some_and(|x| x == "json"));
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let Ok(v) = serde_json::from_str::<J>(&text) else {
                continue;
            };
            let cases = match v {
                J::Array(a) => a,
                other => vec![other],
            };
            for (i, case) in cases.iter().enumerate() {
                let name = format!(
                    "{group}/{}#{i}",
                    f.file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_default()
                );
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run_case(&g, &group, case, &datasets)
                }));
                match r {
                    Ok(Outcome::Pass) => pass += 1,
                    Ok(Outcome::Skip) => skip += 1,
                    Ok(Outcome::Fail(why)) => {
                        fail += 1;
                        let expr = case.get("expr").and_then(J::as_str).unwrap_or("(file)");
                        report.push(format!("FAIL {name}: {expr}\n    {why}"));
                    }
                    Err(_) => {
                        fail += 1;
                        panics += 1;
                        report.push(format!("PANIC {name}"));
                    }
                }
            }
        }
    }
    (pass, fail, skip, panics, report)
}

#[test]
fn jsonata_suite() {
    if !suite_dir().join("groups").exists() {
        println!("jsonata suite: folder {} is missing", suite_dir().display());
        assert!(std::env::var("CI").is_err(), "the JSONata suite is missing");
        return;
    }
    let h = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run_suite)
        .expect("thread");
    let (pass, fail, skip, panics, report) = h.join().expect("suite thread");
    if std::env::var("JSONATA_SUITE_VERBOSE").is_ok_and(|v| v == "1") {
        for r in &report {
            println!("{r}");
        }
    }
    println!("jsonata suite: {pass} passed, {fail} failed, {skip} skipped ({panics} panics)");
    assert_eq!(panics, 0, "panics in the suite");
    assert!(pass >= FLOOR, "passed {pass} < floor {FLOOR}");
}
