//! A mocked response: entries keyed by invocation number (`"0"`) or
//! inclusive range (`"1-3"`), and the choice of the entry for the n-th
//! invocation of a state.

use super::error::MockProblemKind;

/// What one entry does.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// `Return`: the task's result.
    Return(serde_json::Value),
    /// `Throw`: the task fails with this error and cause.
    Throw {
        /// `Error`.
        error: String,
        /// `Cause` (empty when absent).
        cause: String,
    },
}

/// One entry of a mocked response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// First invocation it covers (0-based).
    pub(crate) first: u32,
    /// Last invocation it covers (inclusive).
    pub(crate) last: u32,
    /// The key as written, for messages.
    pub(crate) key: String,
    /// Its result or error.
    pub(crate) action: Action,
    /// Stampede's `Latency`: milliseconds of the execution's clock before the reply.
    pub(crate) latency_ms: u64,
}

/// A mocked response: its entries sorted by first invocation, none overlapping.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Response {
    pub(crate) entries: Vec<Entry>,
}

impl Response {
    /// The entry for invocation `n` (0-based), if a key covers it.
    pub(crate) fn at(&self, n: u32) -> Option<&Entry> {
        let i = self.entries.partition_point(|e| e.last < n);
        self.entries.get(i).filter(|e| e.first <= n)
    }

    /// The keys, as written (`0, 1-2, 3`), for messages.
    pub(crate) fn keys(&self) -> String {
        let keys: Vec<&str> = self.entries.iter().map(|e| e.key.as_str()).collect();
        keys.join(", ")
    }
}

/// Reads a key: `"N"` is invocation N, `"N-M"` invocations N through M.
/// Digits only, no sign or blanks.
pub(crate) fn parse_key(key: &str) -> Result<(u32, u32), MockProblemKind> {
    let number = |s: &str| {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MockProblemKind::InvalidKey);
        }
        s.parse::<u32>().map_err(|_| MockProblemKind::InvalidKey)
    };
    match key.split_once('-') {
        None => number(key).map(|n| (n, n)),
        Some((a, b)) => {
            let (a, b) = (number(a)?, number(b)?);
            if b < a {
                Err(MockProblemKind::ReversedRange)
            } else {
                Ok((a, b))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str) -> Entry {
        let (first, last) = parse_key(key).unwrap();
        Entry {
            first,
            last,
            key: key.into(),
            action: Action::Return(serde_json::json!(key)),
            latency_ms: 0,
        }
    }

    #[test]
    fn keys_are_numbers_or_inclusive_ranges() {
        assert_eq!(parse_key("0"), Ok((0, 0)));
        assert_eq!(parse_key("1-3"), Ok((1, 3)));
        assert_eq!(parse_key("2-2"), Ok((2, 2)));
        assert_eq!(parse_key("3-1"), Err(MockProblemKind::ReversedRange));
        for bad in [
            "",
            "1-x",
            "-1",
            "1-",
            "+1",
            " 1",
            "1-2-3",
            "99999999999",
            "a",
        ] {
            assert_eq!(parse_key(bad), Err(MockProblemKind::InvalidKey), "{bad:?}");
        }
    }

    #[test]
    fn each_invocation_takes_the_entry_that_covers_it() {
        let r = Response {
            entries: vec![entry("0"), entry("1-3"), entry("5")],
        };
        let keys: Vec<Option<&str>> = (0..7).map(|n| r.at(n).map(|e| e.key.as_str())).collect();
        assert_eq!(
            keys,
            [
                Some("0"),
                Some("1-3"),
                Some("1-3"),
                Some("1-3"),
                None, // a gap
                Some("5"),
                None // past the last key
            ]
        );
        assert_eq!(r.keys(), "0, 1-3, 5");
        assert!(Response::default().at(0).is_none());
    }
}
