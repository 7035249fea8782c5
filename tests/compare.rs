//! Comparing an execution's result with AWS's recorded one, by the rules of
//! `shared/conformance/README.md`: JSON values equal with numbers by value,
//! object key order ignored, array order kept; placeholder tokens in the
//! expected text match any text at their place; nothing else is a wildcard.

use serde_json::{Number, Value};
use std::fmt;

/// The redaction tokens of one case (`comparison_hints.placeholders_in_expected`).
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    /// Longest first, so that a token never shadows a longer one it starts.
    tokens: Vec<String>,
}

impl Placeholders {
    /// The given tokens (empty ones are ignored).
    pub fn new<I, S>(tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut tokens: Vec<String> = tokens
            .into_iter()
            .map(Into::into)
            .filter(|t| !t.is_empty())
            .collect();
        tokens.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        tokens.dedup();
        Placeholders { tokens }
    }

    /// Whether `s` is exactly one token.
    pub fn is_token(&self, s: &str) -> bool {
        self.tokens.iter().any(|t| t == s)
    }

    /// Splits `expected` into literal text and wildcards (`None`).
    ///
    /// A token made of word characters at an edge (`date`, `entered-time`)
    /// counts only where it is not glued to other word characters, so the
    /// `date` token does not turn `update` into a wildcard.
    fn segments<'e>(&self, expected: &'e str) -> Vec<Option<&'e str>> {
        let mut segs = Vec::new();
        let (mut lit_start, mut i) = (0, 0);
        while i < expected.len() {
            let hit = self
                .tokens
                .iter()
                .find(|t| expected[i..].starts_with(t.as_str()) && on_boundary(expected, i, t));
            match hit {
                Some(t) => {
                    if lit_start < i {
                        segs.push(Some(&expected[lit_start..i]));
                    }
                    if segs.last() != Some(&None) {
                        segs.push(None);
                    }
                    i += t.len();
                    lit_start = i;
                }
                None => i += expected[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        if lit_start < expected.len() {
            segs.push(Some(&expected[lit_start..]));
        }
        segs
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn on_boundary(s: &str, at: usize, token: &str) -> bool {
    let starts_word = token.chars().next().is_some_and(is_word);
    let ends_word = token.chars().next_back().is_some_and(is_word);
    let before_ok = !starts_word || !s[..at].chars().next_back().is_some_and(is_word);
    let after_ok = !ends_word || !s[at + token.len()..].chars().next().is_some_and(is_word);
    before_ok && after_ok
}

/// Whether `actual` matches the `expected` text, each token in it standing
/// for any text (possibly empty) at its place.
pub fn text_matches(expected: &str, actual: &str, ph: &Placeholders) -> bool {
    let segs = ph.segments(expected);
    if !segs.contains(&None) {
        return expected == actual;
    }
    let mut lits: Vec<&str> = segs.iter().flatten().copied().collect();
    let mut rest = actual;
    if let Some(Some(first)) = segs.first() {
        match rest.strip_prefix(first) {
            Some(r) => rest = r,
            None => return false,
        }
        lits.remove(0);
    }
    let last = match segs.last() {
        Some(Some(_)) => lits.pop(),
        _ => None,
    };
    for lit in lits {
        match rest.find(lit) {
            Some(p) => rest = &rest[p + lit.len()..],
            None => return false,
        }
    }
    last.is_none_or(|l| rest.ends_with(l))
}

/// Numbers by value: `1 == 1.0`; integers exactly, even past 2^53.
pub fn numbers_equal(a: &Number, b: &Number) -> bool {
    fn int(n: &Number) -> Option<i128> {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    }
    fn float_as_int(f: f64) -> Option<i128> {
        (f.fract() == 0.0 && f.abs() < 1e38).then_some(f as i128)
    }
    match (int(a), int(b)) {
        (Some(x), Some(y)) => x == y,
        (Some(x), None) => b.as_f64().and_then(float_as_int) == Some(x),
        (None, Some(y)) => a.as_f64().and_then(float_as_int) == Some(y),
        (None, None) => a.as_f64() == b.as_f64(),
    }
}

/// Where two JSON values first differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// JSON pointer of the difference ("" for the root).
    pub pointer: String,
    /// What was expected there.
    pub expected: String,
    /// What was found there (`(missing)` for an absent key).
    pub actual: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "at {at}: expected {}, got {}",
            self.expected, self.actual
        )
    }
}

/// `None` when `actual` matches `expected`, else the first difference.
pub fn json_diff(expected: &Value, actual: &Value, ph: &Placeholders) -> Option<Mismatch> {
    let mut pointer = String::new();
    diff_at(expected, actual, ph, &mut pointer)
}

fn diff_at(e: &Value, a: &Value, ph: &Placeholders, ptr: &mut String) -> Option<Mismatch> {
    let same = match (e, a) {
        (Value::Object(eo), Value::Object(ao)) => {
            for (k, ev) in eo {
                let len = ptr.len();
                push_pointer(ptr, k);
                let d = match ao.get(k) {
                    Some(av) => diff_at(ev, av, ph, ptr),
                    None => Some(mismatch(ptr, ev, "(missing)".into())),
                };
                if d.is_some() {
                    return d;
                }
                ptr.truncate(len);
            }
            if let Some((k, av)) = ao.iter().find(|(k, _)| !eo.contains_key(*k)) {
                push_pointer(ptr, k);
                return Some(Mismatch {
                    pointer: ptr.clone(),
                    expected: "(no such key)".into(),
                    actual: compact(av),
                });
            }
            true
        }
        (Value::Array(ea), Value::Array(aa)) => {
            for (i, (ev, av)) in ea.iter().zip(aa).enumerate() {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
                if let Some(d) = diff_at(ev, av, ph, ptr) {
                    return Some(d);
                }
                ptr.truncate(len);
            }
            if ea.len() != aa.len() {
                return Some(Mismatch {
                    pointer: ptr.clone(),
                    expected: format!("an array of {}", ea.len()),
                    actual: format!("an array of {}: {}", aa.len(), compact(a)),
                });
            }
            true
        }
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::String(x), Value::String(y)) => text_matches(x, y, ph),
        (Value::String(x), Value::Number(_)) => ph.is_token(x),
        _ => e == a,
    };
    (!same).then(|| mismatch(ptr, e, compact(a)))
}

fn mismatch(ptr: &str, e: &Value, actual: String) -> Mismatch {
    Mismatch {
        pointer: ptr.to_owned(),
        expected: compact(e),
        actual,
    }
}

fn push_pointer(ptr: &mut String, key: &str) {
    ptr.push('/');
    ptr.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

/// Compact JSON text, cut to at most [`SHOW_MAX`] characters.
pub fn compact(v: &Value) -> String {
    shorten(&v.to_string())
}

/// How much of a value a failure message shows.
pub const SHOW_MAX: usize = 240;

/// `s` cut to [`SHOW_MAX`] characters, with `…` where it was cut.
pub fn shorten(s: &str) -> String {
    match s.char_indices().nth(SHOW_MAX) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use serde_json::json;

    fn ph(tokens: &[&str]) -> Placeholders {
        Placeholders::new(tokens.iter().copied())
    }

    fn same(e: Value, a: Value, tokens: &[&str]) -> bool {
        json_diff(&e, &a, &ph(tokens)).is_none()
    }

    #[test]
    fn numbers_by_value() {
        assert!(same(json!(1), json!(1.0), &[]));
        assert!(same(json!({"a": [1.5, 2]}), json!({"a": [1.5, 2.0]}), &[]));
        assert!(!same(json!(1), json!(1.5), &[]));
        assert!(!same(json!(1), json!("1"), &[]));
        let big: Value = serde_json::from_str("9007199254740993").unwrap();
        let near: Value = serde_json::from_str("9007199254740992.0").unwrap();
        assert!(!same(big, near, &[]));
        assert!(same(json!(u64::MAX), json!(u64::MAX), &[]));
        assert!(same(json!(-3), json!(-3.0), &[]));
    }

    #[test]
    fn key_order_ignored_array_order_kept() {
        assert!(same(json!({"a": 1, "b": 2}), json!({"b": 2, "a": 1}), &[]));
        assert!(!same(json!([1, 2]), json!([2, 1]), &[]));
        assert!(!same(json!([1, 2]), json!([1, 2, 3]), &[]));
        assert!(!same(json!({"a": 1}), json!({"a": 1, "b": 2}), &[]));
        assert!(!same(json!({"a": 1, "b": 2}), json!({"a": 1}), &[]));
        assert!(!same(json!(null), json!({}), &[]));
        assert!(same(json!(null), json!(null), &[]));
    }

    #[test]
    fn mismatch_names_the_place() {
        let d = json_diff(
            &json!({"a": {"b/c": [1, 2]}}),
            &json!({"a": {"b/c": [1, 3]}}),
            &ph(&[]),
        )
        .unwrap();
        assert_eq!(d.pointer, "/a/b~1c/1");
        assert_eq!((d.expected.as_str(), d.actual.as_str()), ("2", "3"));
        let d = json_diff(&json!({"a": 1}), &json!({}), &ph(&[])).unwrap();
        assert_eq!((d.pointer.as_str(), d.actual.as_str()), ("/a", "(missing)"));
        let d = json_diff(&json!({}), &json!({"x": true}), &ph(&[])).unwrap();
        assert_eq!(d.to_string(), "at /x: expected (no such key), got true");
    }

    #[test]
    fn placeholder_matches_any_text_at_its_place() {
        let p = ph(&[
            "<partition>",
            "<region>",
            "<ArnPart_0idx>",
            "<ExecArnPart_0idx>",
        ]);
        let e = "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>";
        assert!(text_matches(
            e,
            "arn:aws:states:us-east-1:111111111111:execution:sm-1:exec-2",
            &p
        ));
        assert!(!text_matches(
            e,
            "arn:aws:states:us-east-1:222222222222:execution:sm-1:exec-2",
            &p
        ));
        assert!(!text_matches(e, "arn:aws", &p));
        assert!(text_matches("<region>", "anything at all", &p));
        assert!(text_matches("x<region>", "x", &p));
        assert!(!text_matches("x<region>", "yx", &p));
        assert!(text_matches("<region>y", "abcy", &p));
        assert!(!text_matches("<region>y", "abcyz", &p));
    }

    #[test]
    fn placeholder_inside_a_cause() {
        let p = ph(&["<json-input:1>"]);
        let e = "The JSONPath '$.X' specified for the field 'ErrorPath' could not be found in the input '<json-input:1>'";
        let a = "The JSONPath '$.X' specified for the field 'ErrorPath' could not be found in the input '{\"a\":1}'";
        assert!(text_matches(e, a, &p));
        assert!(!text_matches(e, &a.replace("ErrorPath", "CausePath"), &p));
    }

    #[test]
    fn nothing_else_is_a_wildcard() {
        let p = ph(&[]);
        assert!(!text_matches("<region>", "us-east-1", &p));
        assert!(text_matches("<region>", "<region>", &p));
        assert!(!text_matches("a*", "abc", &p));
        assert!(!same(json!("<uuid:1>"), json!("0b6e…"), &[]));
    }

    #[test]
    fn word_tokens_only_on_word_boundaries() {
        let p = ph(&["date", "entered-time"]);
        assert!(text_matches("date", "2024-01-01T00:00:00Z", &p));
        assert!(text_matches("at date.", "at 12:00.", &p));
        assert!(!text_matches("update", "upgrade", &p));
        assert!(text_matches("update", "update", &p));
        assert!(text_matches("entered-time", "x", &p));
    }

    #[test]
    fn whole_token_matches_a_number() {
        let p = &["RandomNumberGenerated", "<region>"];
        assert!(same(
            json!({"r": "RandomNumberGenerated"}),
            json!({"r": 0.42}),
            p
        ));
        assert!(same(
            json!({"r": "RandomNumberGenerated"}),
            json!({"r": "s"}),
            p
        ));
        assert!(!same(
            json!({"r": "RandomNumberGenerated"}),
            json!({"r": [1]}),
            p
        ));
        assert!(!same(json!({"r": "at <region>"}), json!({"r": 7}), p));
        assert!(!same(json!({"r": "plain"}), json!({"r": 7}), p));
    }

    #[test]
    fn adjacent_and_repeated_tokens() {
        let p = ph(&["<a>", "<b>"]);
        assert!(text_matches("<a><b>", "", &p));
        assert!(text_matches("<a>-<a>", "x-y", &p));
        assert!(!text_matches("<a>-<a>", "xy", &p));
        assert!(text_matches("é<a>ü", "éßü", &p));
    }

    #[test]
    fn shorten_cuts_on_char_boundaries() {
        let long = "é".repeat(SHOW_MAX + 5);
        let s = shorten(&long);
        assert!(s.ends_with('…'));
        assert_eq!(s.chars().count(), SHOW_MAX + 1);
        assert_eq!(shorten("ab"), "ab");
    }
}
