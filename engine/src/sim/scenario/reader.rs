//! Reading scenario JSON: every problem collected as a [`Diagnostic`] at its
//! JSON pointer, unknown fields included (with a suggestion when one is close).

use crate::asl::Diagnostic;
use serde_json::{Map, Value};

/// A value is missing, of the wrong type or out of range.
pub const INVALID: &str = "SCENARIO_INVALID";
/// A field the scenario format does not have (`/resources/X/latncy_ms`).
pub const UNKNOWN_FIELD: &str = "SCENARIO_UNKNOWN_FIELD";
/// A file named by the scenario is missing, unreadable, or not JSON.
pub const FILE: &str = "SCENARIO_FILE";
/// A `resources` key that matches no Task `Resource` in the definition.
pub const UNMATCHED_RESOURCE: &str = "SCENARIO_UNMATCHED_RESOURCE";

// JSON pointers are built as the definition validator builds them.
pub(crate) use crate::asl::pointer::{index as ptr_index, key as ptr_key};

/// A range a number must lie in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// `> 0`
    Positive,
    /// `>= 0`
    NonNegative,
    /// `[0, 1]`
    Probability,
}

/// The diagnostics collected so far.
#[derive(Debug, Default)]
pub(crate) struct Cx {
    pub(crate) diags: Vec<Diagnostic>,
}

impl Cx {
    /// An error with code [`INVALID`].
    pub(crate) fn err(&mut self, ptr: &str, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(INVALID, ptr, msg));
    }

    /// An error with another code.
    pub(crate) fn err_code(&mut self, code: &'static str, ptr: &str, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, ptr, msg));
    }

    /// `v` as an object whose keys are all in `allowed` (or `comment`);
    /// unknown keys are reported and otherwise ignored.
    pub(crate) fn object<'a>(
        &mut self,
        v: &'a Value,
        ptr: &str,
        allowed: &[&str],
    ) -> Option<&'a Map<String, Value>> {
        let Some(m) = v.as_object() else {
            self.err(ptr, "must be an object");
            return None;
        };
        for k in m.keys() {
            if k != "comment" && !allowed.contains(&k.as_str()) {
                let msg = match closest(k, allowed) {
                    Some(s) => format!("unknown field; did you mean '{s}'?"),
                    None => format!("unknown field (expected one of: {})", allowed.join(", ")),
                };
                self.err_code(UNKNOWN_FIELD, &ptr_key(ptr, k), msg);
            }
        }
        Some(m)
    }

    /// The field `key` of `m`, reporting it as missing when absent.
    pub(crate) fn required<'a>(
        &mut self,
        m: &'a Map<String, Value>,
        base: &str,
        key: &str,
    ) -> Option<&'a Value> {
        let v = m.get(key);
        if v.is_none() {
            self.err(&ptr_key(base, key), "missing required field");
        }
        v
    }

    /// A number in range.
    pub(crate) fn number(&mut self, v: &Value, ptr: &str, check: Check) -> Option<f64> {
        let Some(x) = v.as_f64() else {
            self.err(ptr, "must be a number");
            return None;
        };
        let (ok, msg) = match check {
            Check::Positive => (x > 0.0, "must be > 0"),
            Check::NonNegative => (x >= 0.0, "must be >= 0"),
            Check::Probability => ((0.0..=1.0).contains(&x), "must be between 0 and 1"),
        };
        if !ok {
            self.err(ptr, msg);
            return None;
        }
        Some(x)
    }

    /// An optional number field of `m`.
    pub(crate) fn opt_number(
        &mut self,
        m: &Map<String, Value>,
        base: &str,
        key: &str,
        check: Check,
    ) -> Option<f64> {
        let v = m.get(key)?;
        self.number(v, &ptr_key(base, key), check)
    }

    /// A required number field of `m`.
    pub(crate) fn req_number(
        &mut self,
        m: &Map<String, Value>,
        base: &str,
        key: &str,
        check: Check,
    ) -> Option<f64> {
        let v = self.required(m, base, key)?;
        self.number(v, &ptr_key(base, key), check)
    }

    /// An integer in `min..=max`.
    pub(crate) fn integer(&mut self, v: &Value, ptr: &str, min: u64, max: u64) -> Option<u64> {
        let n = v.as_u64().filter(|n| (min..=max).contains(n));
        if n.is_none() {
            let msg = match (min, max) {
                (0, u64::MAX) => "must be a non-negative integer".to_owned(),
                (1, _) if max >= u64::from(u32::MAX) => "must be a positive integer".to_owned(),
                _ => format!("must be an integer between {min} and {max}"),
            };
            self.err(ptr, msg);
        }
        n
    }

    /// A string.
    pub(crate) fn string<'a>(&mut self, v: &'a Value, ptr: &str) -> Option<&'a str> {
        let s = v.as_str();
        if s.is_none() {
            self.err(ptr, "must be a string");
        }
        s
    }
}

/// The allowed name closest to `k`, if it is a plausible typo.
fn closest<'a>(k: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(k, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape() {
        assert_eq!(ptr_key("/resources", "a/b~c"), "/resources/a~1b~0c");
        assert_eq!(ptr_index("/x", 3), "/x/3");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("latncy_ms", &["latency_ms", "errors"]),
            Some("latency_ms")
        );
        assert_eq!(closest("zzz", &["latency_ms", "errors"]), None);
    }
}
