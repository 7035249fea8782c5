//! Running conformance cases: each on its own thread, with panics caught and
//! a time limit, so one bad case never stops the rest.

use crate::compare::{compact, json_diff, shorten, text_matches, Placeholders};
use crate::corpus::{Case, Expected};
use serde_json::Value;
use stampede::{Engine, MachineType, Outcome, RunOptions};
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Once};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall-clock limit for one case (waits run on the engine's virtual clock).
pub const CASE_TIMEOUT: Duration = Duration::from_secs(20);

/// Stack of a case thread: deep recursion in the engine should show up as a
/// failure of that case, not kill the whole run.
const CASE_STACK_BYTES: usize = 64 << 20;

/// Runs one case with `Engine::new()` and compares its result with AWS's.
///
/// # Errors
/// Why the case failed: compile rejected it, input rejected, a panic, no
/// result in time, or the first difference from the recorded result.
pub fn run_case(case: &Case) -> Result<(), String> {
    let outcome = run_outcome(case, Engine::new())?;
    check(&case.expected, &Actual::from(&outcome), &case.placeholders)
}

/// The options a case runs with: its clock starts at the recorded start
/// (else now), and its machine type is the recorded one.
pub fn run_options(case: &Case) -> RunOptions {
    RunOptions {
        start_time_ms: Some(case.started_ms.unwrap_or_else(now_ms)),
        // The corpus has no field for the start API; its StartSyncExecution
        // recordings are the ones from the `TestExpressSync` test class.
        machine_type: match (case.express, case.name.contains("TestExpressSync")) {
            (false, _) => MachineType::Standard,
            (true, false) => MachineType::Express,
            (true, true) => MachineType::ExpressSync,
        },
        ..RunOptions::default()
    }
}

/// Runs one case with `engine` (its task handlers), isolated as
/// [`run_case`] does, and returns the outcome without comparing it.
///
/// # Errors
/// Compile rejected it, input rejected, a panic, or no result in time.
pub fn run_outcome(case: &Case, engine: Engine) -> Result<Outcome, String> {
    run_outcome_with(case, engine, run_options(case))
}

/// [`run_outcome`] with the given options (e.g. with history on).
///
/// # Errors
/// Compile rejected it, input rejected, a panic, or no result in time.
pub fn run_outcome_with(case: &Case, engine: Engine, opts: RunOptions) -> Result<Outcome, String> {
    let (definition, input) = (case.definition.clone(), case.input_text.clone());
    isolate(CASE_TIMEOUT, move || {
        execute(&engine, &definition, &input, &opts)
    })?
}

/// Runs `f` on its own thread (with a big stack) and waits at most `timeout`.
///
/// # Errors
/// `f` panicked (the message and place, which are kept off stderr), did not
/// finish in time (its thread is left running), or no thread could start.
pub fn isolate<T, F>(timeout: Duration, f: F) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    install_panic_capture();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(CASE_STACK_BYTES)
        .spawn(move || {
            CAPTURE.with(|c| c.set(true));
            let r = panic::catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
                LAST_PANIC
                    .with(|p| p.borrow_mut().take())
                    .unwrap_or_else(|| "(no message)".into())
            });
            let _ = tx.send(r);
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    match rx.recv_timeout(timeout) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(panic)) => Err(format!("engine panicked: {panic}")),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(format!("no result within {:?} (left running)", timeout))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("case thread died".into()),
    }
}

fn execute(
    engine: &Engine,
    definition: &str,
    input: &str,
    opts: &RunOptions,
) -> Result<Outcome, String> {
    let machine = engine.compile(definition).map_err(|d| {
        let shown: Vec<String> = d.0.iter().take(3).map(ToString::to_string).collect();
        let more = d.0.len().saturating_sub(3);
        let more = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        format!("compile rejected it: {}{more}", shown.join("; "))
    })?;
    machine
        .run_text(input, opts)
        .map_err(|e| format!("input rejected: {e}"))
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The parts of an execution's result that are compared (borrowed from an
/// [`Outcome`], or written by hand in tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct Actual<'a> {
    /// `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`.
    pub status: &'a str,
    /// Output JSON text.
    pub output: Option<&'a str>,
    /// Error name.
    pub error: Option<&'a str>,
    /// Cause text.
    pub cause: Option<&'a str>,
}

impl<'a> From<&'a Outcome> for Actual<'a> {
    fn from(o: &'a Outcome) -> Self {
        Actual {
            status: o.status.as_str(),
            output: o.output.as_deref(),
            error: o.error.as_deref(),
            cause: o.cause.as_deref(),
        }
    }
}

/// Compares a result with AWS's recorded one (README "How to compare").
///
/// # Errors
/// Every difference found, one a line.
pub fn check(exp: &Expected, out: &Actual<'_>, ph: &Placeholders) -> Result<(), String> {
    let status = out.status;
    if status != exp.status {
        return Err(format!(
            "status: expected {}, got {status} {}",
            exp.status,
            describe(out)
        ));
    }
    let mut problems = Vec::new();
    if status == "SUCCEEDED" {
        if let Some(e) = &exp.output {
            if let Err(p) = check_output(e, out.output, ph) {
                problems.push(p);
            }
        }
    } else {
        for (what, e, a) in [
            ("error", exp.error.as_deref(), out.error),
            ("cause", exp.cause.as_deref(), out.cause),
        ] {
            let same = match (e, a) {
                (Some(e), Some(a)) => text_matches(e, a, ph),
                (None, None) => true,
                _ => false,
            };
            if !same {
                problems.push(format!(
                    "{what}: expected {}, got {}",
                    show_opt(e),
                    show_opt(a)
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn check_output(expected: &Value, actual: Option<&str>, ph: &Placeholders) -> Result<(), String> {
    let text = actual.ok_or("output: expected one, got none")?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("output is not JSON ({e}): {}", shorten(text)))?;
    match json_diff(expected, &value, ph) {
        None => Ok(()),
        Some(m) => Err(format!(
            "output {m}\n  expected: {}\n  actual:   {}",
            compact(expected),
            compact(&value)
        )),
    }
}

fn describe(out: &Actual<'_>) -> String {
    match out.output {
        Some(o) => format!("with output {}", shorten(o)),
        None => format!(
            "with error {} cause {}",
            show_opt(out.error),
            show_opt(out.cause)
        ),
    }
}

fn show_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "(none)".into(), |s| shorten(&Value::from(s).to_string()))
}

thread_local! {
    /// Set on case threads: their panics are recorded, not printed.
    static CAPTURE: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Wraps the panic hook once: on case threads a panic's message and place
/// are kept for the failure report instead of going to stderr.
fn install_panic_capture() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CAPTURE.with(Cell::get) {
                return previous(info);
            }
            let payload = info.payload();
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-text payload)".into());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
        }));
    });
}

#[cfg(test)]
mod test {
    use super::*;

    fn outcome<'a>(
        status: &'a str,
        output: Option<&'a str>,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> Actual<'a> {
        Actual {
            status,
            output,
            error,
            cause,
        }
    }

    fn expected(
        status: &str,
        output: Option<Value>,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Expected {
        Expected {
            status: status.into(),
            output,
            error: error.map(Into::into),
            cause: cause.map(Into::into),
        }
    }

    #[test]
    fn succeeded_compares_output_as_json() {
        let ph = Placeholders::default();
        let e = expected(
            "SUCCEEDED",
            Some(serde_json::json!({"a": 1, "b": [1, 2]})),
            None,
            None,
        );
        let ok = outcome("SUCCEEDED", Some(r#"{"b":[1.0,2],"a":1}"#), None, None);
        assert_eq!(check(&e, &ok, &ph), Ok(()));
        let bad = outcome("SUCCEEDED", Some(r#"{"b":[2,1],"a":1}"#), None, None);
        assert!(check(&e, &bad, &ph)
            .unwrap_err()
            .starts_with("output at /b/0"));
        let none = outcome("SUCCEEDED", None, None, None);
        assert!(check(&e, &none, &ph).is_err());
        let junk = outcome("SUCCEEDED", Some("{"), None, None);
        assert!(check(&e, &junk, &ph).unwrap_err().contains("not JSON"));
    }

    #[test]
    fn failed_compares_error_and_exact_cause() {
        let ph = Placeholders::new(["<json-input:1>"]);
        let e = expected(
            "FAILED",
            None,
            Some("States.Runtime"),
            Some("bad input '<json-input:1>'"),
        );
        let ok = outcome(
            "FAILED",
            None,
            Some("States.Runtime"),
            Some("bad input '{}'"),
        );
        assert_eq!(check(&e, &ok, &ph), Ok(()));
        let cause = outcome("FAILED", None, Some("States.Runtime"), Some("bad input {}"));
        assert!(check(&e, &cause, &ph).unwrap_err().starts_with("cause: "));
        let both = outcome("FAILED", None, None, Some("x"));
        assert_eq!(check(&e, &both, &ph).unwrap_err().lines().count(), 2);
    }

    #[test]
    fn absent_error_must_stay_absent() {
        let ph = Placeholders::default();
        let e = expected("FAILED", None, None, Some("Condition is false"));
        let ok = outcome("FAILED", None, None, Some("Condition is false"));
        assert_eq!(check(&e, &ok, &ph), Ok(()));
        let extra = outcome(
            "FAILED",
            None,
            Some("States.Fail"),
            Some("Condition is false"),
        );
        assert!(check(&e, &extra, &ph).unwrap_err().starts_with("error: "));
    }

    #[test]
    fn isolate_catches_panics_and_hangs() {
        assert_eq!(isolate(Duration::from_secs(5), || 7), Ok(7));
        let e = isolate(Duration::from_secs(5), || -> u8 { panic!("boom {}", 1) }).unwrap_err();
        assert!(e.starts_with("engine panicked: boom 1 at "), "{e}");
        assert!(e.contains("runner.rs"), "{e}");
        let e = isolate(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(2));
        })
        .unwrap_err();
        assert!(e.starts_with("no result within"), "{e}");
    }

    #[test]
    fn actual_borrows_an_outcome() {
        let def = r#"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}"#;
        let o = execute(&Engine::new(), def, "{}", &RunOptions::default()).unwrap();
        let a = Actual::from(&o);
        assert_eq!(
            (a.status, a.output, a.error, a.cause),
            ("FAILED", None, Some("E"), Some("C"))
        );
    }

    #[test]
    fn status_first() {
        let ph = Placeholders::default();
        let e = expected("TIMED_OUT", None, None, None);
        let got = outcome("SUCCEEDED", Some("{}"), None, None);
        let msg = check(&e, &got, &ph).unwrap_err();
        assert_eq!(
            msg,
            "status: expected TIMED_OUT, got SUCCEEDED with output {}"
        );
    }
}
