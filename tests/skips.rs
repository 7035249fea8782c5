//! The named-skip list, `tests/conformance-skips.txt`: one case a line as
//! `CASE NAME | reason`; blank lines and lines starting with `#` are comments.

use std::collections::BTreeMap;

/// Case name → why it is skipped.
pub type Skips = BTreeMap<String, String>;

/// Parses the skip list.
///
/// # Errors
/// A line without ` | `, with an empty name or reason, or naming a case twice;
/// each with its line number.
pub fn parse_skips(text: &str) -> Result<Skips, String> {
    let mut skips = Skips::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let n = i + 1;
        let (name, reason) = line
            .split_once(" | ")
            .ok_or_else(|| format!("line {n}: expected `CASE NAME | reason`"))?;
        let (name, reason) = (name.trim(), reason.trim());
        if name.is_empty() || reason.is_empty() {
            return Err(format!(
                "line {n}: both a case name and a reason are needed"
            ));
        }
        if skips.insert(name.to_owned(), reason.to_owned()).is_some() {
            return Err(format!("line {n}: {name} is listed twice"));
        }
    }
    Ok(skips)
}

/// The skip list kept with the tests.
pub fn named_skips() -> Skips {
    let text = include_str!("conformance-skips.txt");
    parse_skips(text).unwrap_or_else(|e| panic!("tests/conformance-skips.txt: {e}"))
}

/// The skip list of the Lambda replay test, `tests/lambda-skips.txt`.
pub fn lambda_skips() -> Skips {
    let text = include_str!("lambda-skips.txt");
    parse_skips(text).unwrap_or_else(|e| panic!("tests/lambda-skips.txt: {e}"))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn parses_names_with_spaces_and_hashes() {
        let s = parse_skips(
            "# comment\n\n(v2 root)/T::t[A]#1 | AWS changed X (see note)\n  b/c | why  \n",
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s["(v2 root)/T::t[A]#1"], "AWS changed X (see note)");
        assert_eq!(s["b/c"], "why");
    }

    #[test]
    fn rejects_bad_lines() {
        assert!(parse_skips("no reason here").is_err());
        assert!(parse_skips("a | ").is_err());
        assert!(parse_skips("a | x\na | y").unwrap_err().contains("twice"));
    }

    #[test]
    fn the_kept_lists_parse() {
        let _ = named_skips();
        let _ = lambda_skips();
    }
}
