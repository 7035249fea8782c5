//! Tallies of a conformance run: the final line, a JSON report of the
//! failures, and the most common reasons.

use serde_json::{json, Value};
use std::collections::HashMap;

/// What happened to each case of a run.
#[derive(Debug, Default)]
pub struct Summary {
    /// Cases that matched AWS.
    pub passed: usize,
    /// (case name, why) for each case that did not.
    pub failed: Vec<(String, String)>,
    /// (case name, why) for each skipped case.
    pub skipped: Vec<(String, String)>,
}

impl Summary {
    /// `conformance: N passed, M failed, K skipped`
    pub fn line(&self) -> String {
        self.line_for("conformance")
    }

    /// `LABEL: N passed, M failed, K skipped`
    pub fn line_for(&self, label: &str) -> String {
        format!(
            "{label}: {} passed, {} failed, {} skipped",
            self.passed,
            self.failed.len(),
            self.skipped.len()
        )
    }

    /// The failing cases as a JSON list of `{"name", "reason"}`.
    pub fn report_json(&self) -> String {
        let list: Vec<Value> = self
            .failed
            .iter()
            .map(|(name, reason)| json!({"name": name, "reason": reason}))
            .collect();
        serde_json::to_string_pretty(&list).unwrap_or_default()
    }

    /// The `n` most common first lines of failure reasons (cut to 100
    /// characters), most common first, with their counts.
    pub fn top_reasons(&self, n: usize) -> Vec<(String, usize)> {
        tally(self.failed.iter().map(|(_, r)| r.as_str()), n)
    }

    /// Skip reasons with their counts, most common first.
    pub fn skip_reasons(&self) -> Vec<(String, usize)> {
        tally(self.skipped.iter().map(|(_, r)| r.as_str()), usize::MAX)
    }
}

fn tally<'a>(reasons: impl Iterator<Item = &'a str>, n: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for r in reasons {
        let first = r.lines().next().unwrap_or("");
        let key: String = first.chars().take(100).collect();
        *counts.entry(key).or_default() += 1;
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn line_report_and_tallies() {
        let s = Summary {
            passed: 3,
            failed: vec![
                ("a".into(), "status: x\nmore".into()),
                ("b".into(), "status: x".into()),
                ("c".into(), "cause: y".into()),
            ],
            skipped: vec![("d".into(), "needs JSONata".into())],
        };
        assert_eq!(s.line(), "conformance: 3 passed, 3 failed, 1 skipped");
        let r: Value = serde_json::from_str(&s.report_json()).unwrap();
        assert_eq!(r[0], json!({"name": "a", "reason": "status: x\nmore"}));
        assert_eq!(r.as_array().unwrap().len(), 3);
        assert_eq!(s.top_reasons(1), vec![("status: x".to_owned(), 2)]);
        assert_eq!(s.skip_reasons(), vec![("needs JSONata".to_owned(), 1)]);
    }
}
