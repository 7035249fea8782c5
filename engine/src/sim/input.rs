//! Per-execution input: lines of a file (cycled), a fixed value, or a
//! payload template evaluated with `$$.Sim.Seq` and `$$.Sim.Random`.

use super::rng::Rng;
use crate::error::Failure;
use crate::json::Doc;
use crate::path::Template;

/// The `input` of a scenario, as parsed.
#[derive(Debug, Clone)]
pub enum InputSpec {
    /// One JSON document per non-blank line, used in turn and cycled.
    File {
        /// Where the lines came from (resolved against the scenario's folder).
        path: std::path::PathBuf,
        /// The lines, each valid JSON (checked when parsing the scenario).
        lines: Vec<String>,
    },
    /// The same value for every execution (`{}` when `input` is absent).
    Value(serde_json::Value),
    /// A payload template, compiled once.
    Template(Template),
}

impl Default for InputSpec {
    fn default() -> Self {
        InputSpec::Value(serde_json::Value::Object(Default::default()))
    }
}

/// Makes each execution's input, as JSON text.
#[derive(Debug, Clone)]
pub struct InputGen {
    spec: InputSpec,
    fixed: Option<String>,
    doc: Doc,
}

impl InputGen {
    /// A generator for `spec`.
    pub fn new(spec: InputSpec) -> InputGen {
        let fixed = match &spec {
            InputSpec::Value(v) => Some(v.to_string()),
            _ => None,
        };
        InputGen {
            spec,
            fixed,
            doc: Doc::new(),
        }
    }

    /// The input of execution `seq` (0-based). `rng` should be that
    /// execution's input stream (`streams::EXECUTIONS` → `seq` → `streams::INPUT`):
    /// a template draws `$$.Sim.Random` first, then whatever entropy its
    /// intrinsics ask for (`States.MathRandom`, `States.UUID`).
    ///
    /// # Errors
    /// The template's failure (a path that matches nothing, a failing intrinsic).
    pub fn next(&mut self, seq: u64, rng: &mut Rng) -> Result<String, Failure> {
        match &self.spec {
            InputSpec::File { lines, .. } => Ok(lines[(seq % lines.len() as u64) as usize].clone()),
            InputSpec::Value(_) => Ok(self.fixed.clone().unwrap_or_default()),
            InputSpec::Template(t) => {
                let doc = &mut self.doc;
                doc.reset();
                let random = rng.next_f64();
                let ctx = doc.import(&serde_json::json!({
                    "Sim": {"Seq": seq, "Random": random}
                }));
                let input = doc.import(&serde_json::json!({}));
                let mut entropy = || rng.next_u64();
                let v = t.eval(doc, input, ctx, &mut entropy)?;
                Ok(doc.to_json(v))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(t: serde_json::Value) -> InputGen {
        InputGen::new(InputSpec::Template(Template::compile(&t).unwrap()))
    }

    #[test]
    fn file_lines_cycle() {
        let mut g = InputGen::new(InputSpec::File {
            path: "in.jsonl".into(),
            lines: vec!["1".into(), r#"{"a":2}"#.into()],
        });
        let mut rng = Rng::new(0);
        let got: Vec<String> = (0..3).map(|s| g.next(s, &mut rng).unwrap()).collect();
        assert_eq!(got, ["1", r#"{"a":2}"#, "1"]);
    }

    #[test]
    fn fixed_value() {
        let mut g = InputGen::new(InputSpec::Value(json!({"x": [1, 2]})));
        assert_eq!(g.next(9, &mut Rng::new(0)).unwrap(), r#"{"x":[1,2]}"#);
        let mut g = InputGen::new(InputSpec::default());
        assert_eq!(g.next(0, &mut Rng::new(0)).unwrap(), "{}");
    }

    #[test]
    fn template_sees_seq_and_random() {
        let mut g = template(json!({
            "orderId.$": "States.Format('o-{}', $$.Sim.Seq)",
            "r.$": "$$.Sim.Random",
            "n.$": "States.MathRandom(1, 6)",
            "k": "const"
        }));
        let a = g.next(7, &mut Rng::new(1)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v["orderId"], "o-7");
        assert_eq!(v["k"], "const");
        let r = v["r"].as_f64().unwrap();
        assert!((0.0..1.0).contains(&r));
        assert!((1..=6).contains(&v["n"].as_i64().unwrap()));
        // Same stream, same input; another stream, another random.
        assert_eq!(g.next(7, &mut Rng::new(1)).unwrap(), a);
        assert_ne!(g.next(7, &mut Rng::new(2)).unwrap(), a);
    }

    #[test]
    fn template_failure_is_reported() {
        let mut g = template(json!({"x.$": "$.missing"}));
        let e = g.next(0, &mut Rng::new(0)).unwrap_err();
        assert_eq!(e.error, "States.Runtime");
    }
}
