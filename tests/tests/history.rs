//! History event ids: for every case of `shared/conformance/aws-recorded.jsonl`
//! that has a recorded `history` and runs today (not skipped automatically
//! or by name), the engine's `Outcome::events` must be the id of the last
//! event AWS recorded. Causes quote event ids (`entered at the event id
//! #N`), so the engine counts events as AWS's history does.
//!
//! Prints `history ids: N matched, M differed` and each difference.
//! `CONFORMANCE_FILTER=substring` runs only the cases whose name contains it.

use stampede::Engine;
use stampede_tests::corpus;
use stampede_tests::locate::conformance_dir;
use stampede_tests::runner::run_outcome;
use stampede_tests::skips::named_skips;

#[test]
fn last_event_ids_match_aws() {
    let dir = conformance_dir().unwrap_or_else(|e| panic!("{e}"));
    let cases = corpus::load(&dir.join("aws-recorded.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let skips = named_skips();
    let (mut matched, mut differed) = (0usize, Vec::new());
    for case in cases.iter().filter(|c| c.name.contains(&filter)) {
        let Some(expected) = case.last_event_id() else {
            continue;
        };
        if case.auto_skip().is_some() || skips.contains_key(&case.name) {
            continue;
        }
        match run_outcome(case, Engine::new()) {
            Ok(o) if o.events == expected => matched += 1,
            Ok(o) => differed.push(format!(
                "{}: expected last event id {expected}, got {} ({} {})",
                case.name,
                o.events,
                o.status.as_str(),
                o.error.as_deref().unwrap_or("")
            )),
            Err(e) => differed.push(format!("{}: did not run: {e}", case.name)),
        }
    }
    for d in &differed {
        println!("DIFF {d}");
    }
    println!(
        "history ids: {matched} matched, {} differed",
        differed.len()
    );
    let ran = matched + differed.len();
    assert!(
        if filter.is_empty() {
            ran > 200
        } else {
            ran > 0
        },
        "only {ran} cases with history ran"
    );
    assert!(
        differed.is_empty(),
        "{} cases end at another event id than AWS's",
        differed.len()
    );
}
