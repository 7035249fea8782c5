//! `--mock-config FILE` (else `$SFN_MOCK_CONFIG`) and `--test-case NAME`:
//! the handler that serves Task states from a mock file in AWS's
//! `MockConfigFile.json` format, its state machine chosen by
//! `--state-machine-name` (or the only one in the file).

use crate::input::{read_bytes, utf8};
use serde_json::Value;
use stampede::handlers::{mock_config, MockConfigError, MockHandler, MockProblemKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The environment variable Step Functions Local and LocalStack read the mock file's path from.
pub(crate) const ENV: &str = "SFN_MOCK_CONFIG";

/// What `run` was told of mocks.
pub(crate) struct MockArgs<'a> {
    /// `--mock-config`.
    pub(crate) file: Option<&'a Path>,
    /// `--state-machine-name`.
    pub(crate) state_machine: Option<&'a str>,
    /// `--test-case`.
    pub(crate) test_case: Option<&'a str>,
}

/// The mock handler `args` ask for (`Some(None)`: no mock file); `None`
/// after printing why it cannot be had (exit 2).
pub(crate) fn handler(args: &MockArgs<'_>, definition: &str) -> Option<Option<MockHandler>> {
    let path = args.file.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let Some(path) = path else {
        if args.test_case.is_some() {
            eprintln!("error: --test-case needs a mock file: --mock-config FILE or {ENV}");
            return None;
        }
        return Some(None);
    };
    if path.as_os_str() == "-" {
        eprintln!("error: the mock file cannot be read from standard input");
        return None;
    }
    let text = match read_bytes(&path).and_then(|b| utf8(b, "the mock file")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e:#}");
            return None;
        }
    };
    match mock_config(&text, args.state_machine, args.test_case) {
        Ok(h) => {
            warn_unknown_states(&h, definition);
            Some(Some(h))
        }
        Err(e) => {
            eprintln!("error: invalid mock file {}", path.display());
            eprint!("{e}");
            hint(&e);
            None
        }
    }
}

/// Names the flag that chooses what the file leaves open.
fn hint(e: &MockConfigError) {
    for p in &e.problems {
        match p.kind {
            MockProblemKind::StateMachineNotChosen { .. } => {
                eprintln!("hint: choose the state machine with --state-machine-name NAME");
            }
            MockProblemKind::TestCaseNotChosen { .. } => {
                eprintln!("hint: choose the test case with --test-case NAME");
            }
            _ => {}
        }
    }
}

/// Warns of states the test case mocks that the definition does not have
/// (a typo, most often); Step Functions Local ignores them, and so do we.
fn warn_unknown_states(h: &MockHandler, definition: &str) {
    let Ok(def) = serde_json::from_str::<Value>(definition) else {
        return;
    };
    let mut names = HashSet::new();
    state_names(&def, &mut names);
    for s in h.mocked_states().filter(|s| !names.contains(*s)) {
        eprintln!(
            "warning: test case '{}' mocks state '{s}', which the definition does not have",
            h.test_case()
        );
    }
}

/// The names of every `States` object, nested ones (Parallel branches, Map
/// processors) included.
fn state_names<'v>(v: &'v Value, out: &mut HashSet<&'v str>) {
    match v {
        Value::Object(o) => {
            for (k, v) in o {
                if let (true, Some(states)) = (k == "States", v.as_object()) {
                    out.extend(states.keys().map(String::as_str));
                }
                state_names(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| state_names(v, out)),
        _ => {}
    }
}
