//! Lambda replay: every execution of
//! `shared/conformance/aws-recorded-lambda.jsonl`, run with a handler that
//! hands back the Lambda results AWS recorded in its history (see
//! `stampede_tests::replay`), and compared with AWS's recorded result by the
//! main runner's rules.
//!
//! Skips: automatic for features not built yet (`Case::auto_skip`) and for
//! cases without recorded history; else by name in `tests/lambda-skips.txt`,
//! where each case says what engine behaviour it needs. Prints every failure
//! and `lambda: N passed, M failed, K skipped`; fails on any failure outside
//! the skip list. `CONFORMANCE_FILTER=substring` runs only the cases whose
//! name contains it; `LAMBDA_RUN_SKIPPED=1` also runs the listed cases (and
//! reports which of them pass now).

use stampede::handlers::{Call, Reply};
use stampede::Engine;
use stampede_tests::corpus::{self, Case};
use stampede_tests::locate::conformance_dir;
use stampede_tests::replay::{invocations, Replay};
use stampede_tests::runner::{check, run_outcome, Actual};
use stampede_tests::skips::lambda_skips;
use stampede_tests::summary::Summary;
use std::sync::Arc;

/// Runs a case with its recorded Lambda results; on success, the last
/// history event id the engine counted (compared with AWS's for information).
fn replay_case(case: &Case, history: &[serde_json::Value]) -> Result<u64, String> {
    let replay = Arc::new(Replay::new(invocations(history), case.placeholders.clone()));
    let mut engine = Engine::new();
    let r = Arc::clone(&replay);
    let children = case.features.get("distributed_map") == Some(&serde_json::Value::Bool(true));
    engine.register("*", move |c: &mut Call<'_>| {
        if children && r.left() == 0 {
            return identity(c);
        }
        r.reply(c)
    });
    let outcome = run_outcome(case, engine)?;
    check(&case.expected, &Actual::from(&outcome), &case.placeholders)?;
    match replay.left() {
        0 => Ok(outcome.events),
        n => Err(format!(
            "result matched, but {n} recorded Lambda invocations were never made"
        )),
    }
}

/// A Distributed Map's children are executions of their own: AWS records
/// their Lambda invocations in their histories, which the corpus does not
/// hold. The LocalStack tests behind these cases give them the identity
/// function (`SerT.LAMBDA_ID_FUNCTION`), so once the parent's recorded
/// invocations are used up, a call gets its own input back (in the
/// `lambda:invoke` envelope for the optimized integration).
fn identity(c: &mut Call<'_>) -> Reply {
    let input = c.input_json();
    if c.resource() == "arn:aws:states:::lambda:invoke" {
        let payload = input.get("Payload").cloned().unwrap_or_default();
        return Reply::Json(serde_json::json!({
            "ExecutedVersion": "$LATEST", "Payload": payload, "StatusCode": 200
        }));
    }
    Reply::Json(input)
}

#[test]
fn aws_recorded_lambda() {
    let dir = conformance_dir().unwrap_or_else(|e| panic!("{e}"));
    let cases =
        corpus::load(&dir.join("aws-recorded-lambda.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let run_skipped = std::env::var_os("LAMBDA_RUN_SKIPPED").is_some();
    let skips = lambda_skips();
    for name in skips.keys() {
        if !cases.iter().any(|c| &c.name == name) {
            println!("warning: lambda skip list names no such case: {name}");
        }
    }

    let mut summary = Summary::default();
    let (mut listed, mut listed_passing) = (0usize, Vec::new());
    let mut id_diffs = Vec::new();
    for case in cases.iter().filter(|c| c.name.contains(&filter)) {
        let auto = case.auto_skip().map(str::to_owned).or_else(|| {
            case.history
                .is_none()
                .then(|| "no recorded history to replay".to_owned())
        });
        if let Some(reason) = auto {
            summary.skipped.push((case.name.clone(), reason));
            continue;
        }
        let history = case.history.as_deref().unwrap_or_default();
        if let Some(reason) = skips.get(&case.name) {
            listed += 1;
            if run_skipped && replay_case(case, history).is_ok() {
                listed_passing.push(case.name.clone());
            }
            summary.skipped.push((case.name.clone(), reason.clone()));
            continue;
        }
        match replay_case(case, history) {
            Ok(events) => {
                summary.passed += 1;
                match case.last_event_id() {
                    Some(id) if id != events => id_diffs.push(format!(
                        "{}: AWS's last event id {id}, engine's {events}",
                        case.name
                    )),
                    _ => {}
                }
            }
            Err(reason) => {
                println!("FAIL {}\n  {}", case.name, reason.replace('\n', "\n  "));
                summary.failed.push((case.name.clone(), reason));
            }
        }
    }

    // Event ids are informational here (history.rs asserts them for the
    // main corpus): the replayed results are AWS's, the counting the engine's.
    for d in &id_diffs {
        println!("history id differs (not asserted): {d}");
    }
    println!(
        "lambda history ids of passing cases: {} differed",
        id_diffs.len()
    );
    for name in &listed_passing {
        println!("listed in lambda-skips.txt but passes now: {name}");
    }
    for (reason, n) in summary.skip_reasons() {
        println!("skipped {n:5}: {reason}");
    }
    println!("lambda skip list: {listed} cases listed");
    println!("{}", summary.line_for("lambda"));
    assert!(
        !filter.is_empty() || summary.passed > 40,
        "only {} lambda cases passed",
        summary.passed
    );
    assert!(
        summary.failed.is_empty(),
        "{} lambda cases failed outside tests/lambda-skips.txt",
        summary.failed.len()
    );
}
