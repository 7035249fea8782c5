//! The conformance corpus: every definition AWS accepted must parse; every
//! definition AWS rejected must be rejected at a location AWS named (or
//! beneath it).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::super::{parse_with, MachineType, ParseOptions};

/// Finds `shared/conformance`: for each ancestor of the crate directory,
/// `<ancestor>/shared` and `<ancestor>/../shared` are tried.
fn corpus_dir() -> PathBuf {
    let start = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in start.ancestors() {
        for cand in [dir.join("shared"), dir.join("..").join("shared")] {
            let c = cand.join("conformance");
            if c.join("aws-rejected.jsonl").is_file() {
                return c;
            }
        }
    }
    panic!(
        "shared/conformance not found beside any ancestor of {}: clone the repository next to a copy of shared/",
        start.display()
    );
}

fn cases(file: &str) -> Vec<Value> {
    let path = corpus_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("corpus line is JSON"))
        .collect()
}

fn options(case: &Value) -> ParseOptions {
    let express = case["request"]["type"] == "EXPRESS";
    ParseOptions {
        machine_type: if express {
            MachineType::Express
        } else {
            MachineType::Standard
        },
    }
}

#[test]
fn accepted_definitions_parse() {
    let mut total = 0;
    let mut failures = Vec::new();
    for file in ["aws-recorded.jsonl", "aws-recorded-lambda.jsonl"] {
        for case in cases(file) {
            total += 1;
            let text = case["definition"].to_string();
            if let Err(d) = parse_with(&text, &options(&case)) {
                failures.push(format!("{}:\n{d}", case["name"]));
            }
        }
    }
    assert!(total > 1000, "only {total} accepted cases found");
    assert!(
        failures.is_empty(),
        "{} of {total} accepted definitions were rejected:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The definition text of a rejected case, made whole where the recording
/// holds a placeholder or a single state:
/// - TestState cases send one state: it is wrapped as the only state of a
///   machine, under the name AWS's pointer uses (`StateName`, or the
///   request's `stateName`).
/// - `<fixture:create_activity>()[activityArn]` stands for an activity ARN.
fn definition_text(case: &Value) -> String {
    if let Some(Value::String(t)) = case.get("definition_text") {
        return t.clone();
    }
    let mut def = case["definition"].clone();
    if def.get("States").is_none() && def.get("Type").is_some() {
        let name = case["request"]["stateName"].as_str().unwrap_or("StateName");
        def = json!({ "StartAt": name, "States": { name: def } });
    }
    def.to_string().replace(
        "<fixture:create_activity>()[activityArn]",
        "arn:aws:states:us-east-1:111111111111:activity:corpus",
    )
}

#[test]
fn rejected_definitions_fail_where_aws_says() {
    let mut rejected = 0;
    let mut accepted_ok = 0;
    let mut problems = Vec::new();
    for case in cases("aws-rejected.jsonl") {
        if case["definition_related"] != true {
            continue;
        }
        let codes = case["codes"].as_array().cloned().unwrap_or_default();
        let text = definition_text(&case);
        let result = parse_with(&text, &options(&case));
        let name = case["name"].as_str().unwrap_or("?");
        if case["expected"]["result"] == "OK" {
            match result {
                Ok(_) => accepted_ok += 1,
                Err(d) => problems.push(format!("{name}: AWS accepted, we rejected:\n{d}")),
            }
            continue;
        }
        if codes.is_empty() {
            // TestState-only refusals (Map/Parallel not testable there): not a definition error.
            continue;
        }
        rejected += 1;
        let Err(diags) = result else {
            problems.push(format!("{name}: AWS rejected, we accepted"));
            continue;
        };
        let pointers: Vec<&str> = case["pointers"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let matched = diags.0.iter().any(|d| {
            codes.iter().any(|c| c == d.code)
                && (pointers.is_empty()
                    || pointers.iter().any(|p| {
                        d.location == *p
                            || (*p == "/" && d.location.starts_with('/'))
                            || d.location.starts_with(&format!("{p}/"))
                    }))
        });
        if !matched {
            problems.push(format!(
                "{name}: AWS said {codes:?} at {pointers:?}; we said:\n{diags}"
            ));
        }
    }
    assert_eq!(rejected, 25, "rejections with codes in the corpus");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(accepted_ok, 4, "ValidateStateMachineDefinition OK cases");
}
