//! History events: every case of `shared/conformance/aws-recorded.jsonl`
//! and `aws-recorded-lambda.jsonl` that has a recorded `history` and
//! passes (its result matches AWS's) runs again with history on, and its
//! `GetExecutionHistory` events are compared with AWS's: types, order,
//! ids, `previousEventId`, and every detail field the recording did not
//! redact (rules in `stampede_tests::history`). Lambda cases replay the
//! Lambda results AWS recorded.
//!
//! Prints `history events: N executions identical, M differ` and each
//! difference; fails when fewer than [`IDENTICAL_FLOOR`] are identical or
//! any differs outside [`KNOWN`]. `CONFORMANCE_FILTER=substring` runs only the cases whose
//! name contains it.

use serde_json::Value;
use stampede::handlers::Call;
use stampede::Engine;
use stampede_tests::corpus::{self, Case};
use stampede_tests::history::{
    history_diff, history_placeholders, localstack_parallel, masks_parallel,
};
use stampede_tests::locate::conformance_dir;
use stampede_tests::replay::{invocations, Replay};
use stampede_tests::runner::{check, run_options, run_outcome_with, Actual};
use stampede_tests::skips::{lambda_skips, named_skips};
use std::sync::Arc;

/// Executions whose history is identical to AWS's: every one that passes
/// and has a recorded history, but those in [`KNOWN`].
const IDENTICAL_FLOOR: usize = 511;

/// Histories known to differ, with why; they are printed, not failed.
const KNOWN: &[(&str, &str)] = &[
    (
        "assign/TestAssignReferenceVariables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_ITEM_SELECTOR]",
        "Distributed Map: AWS's recordings disagree on what the Map's exit follows after a Map Run (15 say MapRunSucceeded, which the engine follows; these say MapRunStarted)",
    ),
    (
        "assign/TestAssignReferenceVariables::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_TOLERATED_FAILURE_PATH]",
        "Distributed Map: AWS's recordings disagree on what the Map's exit follows after a Map Run (15 say MapRunSucceeded, which the engine follows; these say MapRunStarted)",
    ),
    (
        "scenarios/TestBaseScenarios::test_map_state_config_distributed_item_selector_parameters",
        "Distributed Map: AWS's recordings disagree on what the Map's exit follows after a Map Run (15 say MapRunSucceeded, which the engine follows; these say MapRunStarted)",
    ),
    (
        "scenarios/TestBaseScenarios::test_map_state_config_distributed_items_path_from_previous",
        "Distributed Map: AWS's recordings disagree on what the Map's exit follows after a Map Run (15 say MapRunSucceeded, which the engine follows; these say MapRunStarted)",
    ),
    (
        "scenarios/TestBaseScenarios::test_map_state_nested_config_distributed",
        "Distributed Map: AWS's recordings disagree on what the Map's exit follows after a Map Run (15 say MapRunSucceeded, which the engine follows; these say MapRunStarted)",
    ),
    (
        "scenarios/TestBaseScenarios::test_lambda_invoke_with_retry_extended_input",
        "recorded 2023-10-24, before AWS added $$.Execution.RedriveCount (redrive, Nov 2023); the engine has it",
    ),
    (
        "scenarios/TestBaseScenarios::test_lambda_service_invoke_with_retry_extended_input",
        "recorded 2023-10-24, before AWS added $$.Execution.RedriveCount (redrive, Nov 2023); the engine has it",
    ),
];

/// The raw corpus lines by case name (for the comparison hints).
fn hints(path: &std::path::Path) -> std::collections::HashMap<String, Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| {
            let name = v.get("name")?.as_str()?.to_owned();
            Some((
                name,
                v.get("comparison_hints").cloned().unwrap_or(Value::Null),
            ))
        })
        .collect()
}

/// Ours against AWS's, or why not compared (`Ok(None)`: the case does not pass).
fn compare(case: &Case, lambda: bool, hint: &Value) -> Result<Option<()>, String> {
    let history = case.history.as_deref().unwrap_or_default();
    let mut engine = Engine::new();
    let replay =
        lambda.then(|| Arc::new(Replay::new(invocations(history), case.placeholders.clone())));
    if let Some(r) = &replay {
        let r = Arc::clone(r);
        engine.register("*", move |c: &mut Call<'_>| r.reply(c));
    }
    let opts = stampede::RunOptions {
        history: true,
        ..run_options(case)
    };
    let outcome = run_outcome_with(case, engine, opts)?;
    if check(&case.expected, &Actual::from(&outcome), &case.placeholders).is_err() {
        return Ok(None);
    }
    let ours = outcome.history.as_ref().ok_or("no history recorded")?;
    if ours.len() as u64 != outcome.events {
        return Err(format!(
            "the history has {} events but the counter says {}",
            ours.len(),
            outcome.events
        ));
    }
    let mut events = match ours.to_value().get("events") {
        Some(Value::Array(a)) => a.clone(),
        _ => return Err("our history is not {\"events\":[…]}".into()),
    };
    if masks_parallel(hint) {
        localstack_parallel(&mut events);
    }
    let ph = history_placeholders(hint, history);
    match history_diff(history, &events, &ph) {
        None => Ok(Some(())),
        Some(d) => Err(d),
    }
}

#[test]
fn histories_match_aws() {
    let dir = conformance_dir().unwrap_or_else(|e| panic!("{e}"));
    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let (mut identical, mut differ, mut not_passing) = (0usize, Vec::new(), 0usize);
    for (file, lambda) in [
        ("aws-recorded.jsonl", false),
        ("aws-recorded-lambda.jsonl", true),
    ] {
        let path = dir.join(file);
        let cases = corpus::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let hints = hints(&path);
        let skips = if lambda {
            lambda_skips()
        } else {
            named_skips()
        };
        for case in cases.iter().filter(|c| c.name.contains(&filter)) {
            if case.history.is_none()
                || case.auto_skip().is_some()
                || skips.contains_key(&case.name)
            {
                continue;
            }
            let hint = hints.get(&case.name).cloned().unwrap_or(Value::Null);
            match compare(case, lambda, &hint) {
                Ok(Some(())) => identical += 1,
                Ok(None) => not_passing += 1,
                Err(d) => match KNOWN.iter().find(|(n, _)| *n == case.name) {
                    Some((_, why)) => println!("KNOWN {}: {why}\n  {d}", case.name),
                    None => differ.push(format!("{}: {d}", case.name)),
                },
            }
        }
    }
    for d in &differ {
        println!("DIFF {d}");
    }
    println!("history events: not compared (result differs from AWS's): {not_passing}");
    println!(
        "history events: {identical} executions identical, {} differ",
        differ.len()
    );
    if filter.is_empty() {
        assert!(
            identical >= IDENTICAL_FLOOR,
            "only {identical} histories identical to AWS's (floor {IDENTICAL_FLOOR})"
        );
    }
    assert!(
        differ.is_empty(),
        "{} histories differ from AWS's",
        differ.len()
    );
}
