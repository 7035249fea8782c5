//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`; not a
//! public API). Each takes arbitrary bytes or text and returns nothing: any
//! panic, hang or runaway allocation is a bug in the code it reaches. A
//! malformed input is expected and ignored; only the differential checks
//! ([`json`]) assert.

use crate::handlers::mock_config;
use crate::json::{Doc, Val};
use crate::jsonata::{Budget, Host};
use crate::path::{Expr, Path, Scope, Template};
use crate::{Definition, Engine, MachineType, RunOptions};

/// Splits fuzz bytes at the first NUL: the text before it and the text after
/// (`None` past a NUL-less input). Non-UTF-8 halves are dropped.
fn split(data: &[u8]) -> Option<(&str, Option<&str>)> {
    let (head, tail) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let head = std::str::from_utf8(head).ok()?;
    Some((head, tail.and_then(|t| std::str::from_utf8(t).ok())))
}

/// Options every fuzzed execution runs with: a fixed clock and seed, and a
/// cap on transitions so a looping definition ends.
fn run_options(machine_type: MachineType) -> RunOptions {
    RunOptions {
        start_time_ms: Some(1_700_000_000_000),
        seed: 7,
        machine_type,
        max_transitions: Some(10_000),
        ..RunOptions::default()
    }
}

/// A definition, then (after a NUL) its input: parse and validate, compile
/// with every Task echoing its input, and run one execution on the virtual
/// clock. Without an input part the input is `{}`.
pub fn definition(data: &[u8]) {
    let Some((text, input)) = split(data) else {
        return;
    };
    let machine_type = match text.len() % 3 {
        0 => MachineType::Standard,
        1 => MachineType::Express,
        _ => MachineType::ExpressSync,
    };
    let Ok(def) = Definition::parse(text, machine_type) else {
        return;
    };
    let mut engine = Engine::new();
    engine.echo_all_tasks();
    let Ok(machine) = engine.compile_definition(&def) else {
        return;
    };
    let _ = machine.run_text(input.unwrap_or("{}"), &run_options(machine_type));
}

/// The document paths are evaluated against: input, context object and
/// variables with nested objects, arrays, numbers, strings and nulls.
const DOC_INPUT: &str = r#"{"a":{"b":[1,2,{"c":"x","d":[true,false,null]}],"e":3.5,"f":"text"},
  "list":[{"id":1,"price":10,"tags":["t1"]},{"id":2,"price":25.5,"tags":[]},{"id":3,"name":"n"}],
  "n":-7,"s":"str","z":null,"empty":{},"arr":[],"nums":[3,1,2,10,-4]}"#;
const DOC_CTX: &str = r#"{"Execution":{"Id":"arn:x","Input":{"k":1},"Name":"e","StartTime":"2024-01-01T00:00:00Z"},
  "State":{"Name":"S","EnteredTime":"2024-01-01T00:00:00Z","RetryCount":0},
  "StateMachine":{"Id":"arn:sm","Name":"SM"},"Map":{"Item":{"Index":0,"Value":{"v":1}}}}"#;
const DOC_VARS: &str = r#"{"x":{"y":[1,2,3]},"count":4,"name":"v"}"#;

/// The fixed document and its three roots.
fn fixed_doc() -> (Doc, Scope) {
    let mut doc = Doc::new();
    let input = doc.parse(DOC_INPUT).unwrap_or(Doc::NULL);
    let ctx = doc.parse(DOC_CTX).unwrap_or(Doc::NULL);
    let vars = doc.parse(DOC_VARS).unwrap_or(Doc::NULL);
    (doc, Scope { input, ctx, vars })
}

/// A JSONPath or reference path: parse both ways, select on the fixed
/// document, and (as ResultPath) set a value into the input.
pub fn path(text: &str) {
    let (mut doc, scope) = fixed_doc();
    if let Ok(p) = Path::parse(text) {
        let _ = p.select_scope(&mut doc, &scope);
        let _ = p.select_with(&mut doc, scope.input, scope.ctx, scope.vars);
        let _ = p.invalid_path_cause(&doc, scope.input);
    }
    if let Ok(p) = Path::parse_reference(text) {
        let _ = p.select_scope(&mut doc, &scope);
        let value = doc.str("new");
        let _ = p.set(&mut doc, scope.input, value);
        let _ = p.set(&mut doc, Doc::NULL, value);
        let _ = p.set(&mut doc, scope.ctx, scope.vars);
    }
}

/// A splitmix64 stream for `States.MathRandom` / `States.UUID`.
fn entropy(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A payload template (JSON text) or, when the text is not JSON, an
/// intrinsic call or path: compile and evaluate on the fixed document.
pub fn template(text: &str) {
    let (mut doc, scope) = fixed_doc();
    let mut state = 7u64;
    let mut rand = || entropy(&mut state);
    if let Ok(raw) = serde_json::from_str::<serde_json::Value>(text) {
        if let Ok(t) = Template::compile(&raw) {
            let _ = t.is_constant();
            let _ = t.eval_with(&mut doc, scope.input, scope.ctx, scope.vars, &mut rand);
        }
        return;
    }
    if let Ok(e) = Expr::parse(text) {
        let _ = e.source();
        let _ = e.eval_scope(&mut doc, &scope, "Parameters", &mut rand);
    }
}

/// `v` as the arena holds it: an integer is an `i64`, so one past
/// `i64::MAX` becomes an `f64` (a documented limit, see `Doc::parse`).
fn as_arena(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Number(n) if n.is_u64() && !n.is_i64() => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(J::Null, J::Number),
        J::Array(a) => J::Array(a.into_iter().map(as_arena).collect()),
        J::Object(o) => J::Object(o.into_iter().map(|(k, x)| (k, as_arena(x))).collect()),
        other => other,
    }
}

/// The arena parser against `serde_json`: the same texts accepted, the same
/// value, and a written value parses back to itself.
///
/// # Panics
/// When the two parsers disagree or the round trip changes the value.
pub fn json(text: &str) {
    let mut doc = Doc::new();
    let ours = doc.parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (ours, theirs) {
        (Ok(v), Ok(j)) => {
            let j = as_arena(j);
            assert_eq!(doc.export(v), j, "value differs from serde_json");
            let written = doc.to_json(v);
            assert_eq!(written.len(), doc.json_len(v), "json_len of {written}");
            let mut again = Doc::new();
            let back = again
                .parse(&written)
                .unwrap_or_else(|e| panic!("written JSON {written} does not parse: {e}"));
            assert_eq!(again.export(back), j, "round trip through {written}");
            assert_eq!(again.to_json(back), written, "second write differs");
        }
        (Err(_), Err(_)) => {}
        (ours, theirs) => panic!(
            "accept/reject differs: ours {:?}, serde_json {:?}",
            ours.map(|_| ()),
            theirs.map(|_| ())
        ),
    }
}

/// A scenario file read relative to `examples/` (so seeds may name its
/// definitions). Names that leave that folder are skipped: reading any file
/// the text names (`/dev/zero`) is the reader's job, not a bug.
pub fn scenario(text: &str) {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        let escapes = ["/definition", "/input/file", "/prices"].iter().any(|p| {
            v.pointer(p)
                .and_then(|x| x.as_str())
                .is_some_and(|s| s.contains(['/', '\\']) || s.contains(".."))
        });
        if escapes {
            return;
        }
    }
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples"));
    let _ = crate::sim::parse_scenario(text, dir);
}

/// A mock config file (`MockConfigFile.json`), then optionally (after NULs)
/// the state machine and the test case to choose.
pub fn mock(data: &[u8]) {
    let Some((text, rest)) = split(data) else {
        return;
    };
    let (machine, case) = match rest.map(|r| r.split_once('\0').unwrap_or((r, ""))) {
        Some((m, c)) => (Some(m), (!c.is_empty()).then_some(c)),
        None => (None, None),
    };
    let _ = mock_config(text, machine, case);
}

/// The JSONata host: `$x`, `$count` and `$states` bound, a fixed clock and
/// the splitmix stream.
struct FuzzHost {
    vars: Vec<(&'static str, Val)>,
    state: u64,
}

impl Host for FuzzHost {
    fn variable(&self, name: &str) -> Option<Val> {
        self.vars.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }
    fn now_ms(&self) -> i64 {
        1_700_000_000_123
    }
    fn random(&mut self) -> f64 {
        (entropy(&mut self.state) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A JSONata expression: parse, then evaluate on the fixed document with
/// the default budget.
pub fn jsonata(text: &str) {
    let Ok(e) = crate::jsonata::parse(text) else {
        return;
    };
    let _ = e.free_variables();
    let (mut doc, scope) = fixed_doc();
    let states = doc.parse(r#"{"input":{"k":[1,2]},"context":{"Execution":{"Name":"e"}}}"#);
    let mut host = FuzzHost {
        vars: vec![
            ("x", scope.vars),
            ("count", doc.int(4)),
            ("states", states.unwrap_or(Doc::NULL)),
        ],
        state: 7,
    };
    let _ = e.evaluate(&mut doc, Some(scope.input), &mut host, &Budget::default());
}
