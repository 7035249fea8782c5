//! The conformance corpus: every execution of
//! `shared/conformance/aws-recorded.jsonl`, run and compared with AWS's
//! recorded result (rules in `shared/conformance/README.md`).
//!
//! One test runs all cases, each on its own thread with panics caught, and
//! prints every failure and the line `conformance: N passed, M failed, K
//! skipped`. Environment:
//! - `CONFORMANCE_FILTER=substring`: run only cases whose name contains it;
//! - `CONFORMANCE_REPORT=path`: write the failing cases and reasons as JSON;
//! - `CONFORMANCE_DIR=path`: where the corpus is (default: found by walking up).
//!
//! Skips: automatic for features not built yet (see `Case::auto_skip`),
//! else by name in `tests/conformance-skips.txt`.

use stampede_tests::corpus;
use stampede_tests::locate::conformance_dir;
use stampede_tests::runner::run_case;
use stampede_tests::skips::named_skips;
use stampede_tests::summary::Summary;

#[test]
fn aws_recorded() {
    let dir = conformance_dir().unwrap_or_else(|e| panic!("{e}"));
    let cases = corpus::load(&dir.join("aws-recorded.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let skips = named_skips();
    for name in skips.keys() {
        if !cases.iter().any(|c| &c.name == name) {
            println!("warning: skip list names no such case: {name}");
        }
    }

    let mut summary = Summary::default();
    for case in cases.iter().filter(|c| c.name.contains(&filter)) {
        let skip = match skips.get(&case.name) {
            Some(reason) => Some(reason.clone()),
            None => case.auto_skip().map(str::to_owned),
        };
        if let Some(reason) = skip {
            summary.skipped.push((case.name.clone(), reason));
            continue;
        }
        match run_case(case) {
            Ok(()) => summary.passed += 1,
            Err(reason) => {
                println!("FAIL {}\n  {}", case.name, reason.replace('\n', "\n  "));
                summary.failed.push((case.name.clone(), reason));
            }
        }
    }

    if let Ok(path) = std::env::var("CONFORMANCE_REPORT") {
        std::fs::write(&path, summary.report_json())
            .unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        println!("failures written to {path}");
    }
    if !summary.failed.is_empty() {
        println!("most common failures:");
        for (reason, n) in summary.top_reasons(10) {
            println!("  {n:5}  {reason}");
        }
    }
    for (reason, n) in summary.skip_reasons() {
        println!("skipped {n:5}: {reason}");
    }
    println!("{}", summary.line());
    assert!(
        summary.failed.is_empty(),
        "{} conformance cases failed",
        summary.failed.len()
    );
}

/// The comparison accepts AWS's own results for every case, and rejects
/// them once changed: a check of the runner itself, whatever the engine does.
#[test]
fn recorded_results_match_themselves() {
    use stampede_tests::runner::{check, Actual};
    let dir = conformance_dir().unwrap_or_else(|e| panic!("{e}"));
    let cases = corpus::load(&dir.join("aws-recorded.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    assert!(cases.len() > 900, "only {} cases", cases.len());
    for case in &cases {
        let e = &case.expected;
        let output = e.output.as_ref().map(ToString::to_string);
        let mut out = Actual {
            status: &e.status,
            output: output.as_deref(),
            error: e.error.as_deref(),
            cause: e.cause.as_deref(),
        };
        assert_eq!(check(e, &out, &case.placeholders), Ok(()), "{}", case.name);
        let changed = format!("{}!", e.error.as_deref().unwrap_or_default());
        match out.status {
            "SUCCEEDED" => out.output = Some(r#"{"changed":true}"#),
            _ => out.error = Some(&changed),
        }
        assert!(check(e, &out, &case.placeholders).is_err(), "{}", case.name);
    }
}
