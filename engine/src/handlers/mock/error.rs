//! Every problem of a mock file, each at its JSON pointer, and how they
//! read (one a line, like the definition's diagnostics).

use std::fmt;

/// Every problem found in a mock file (or in choosing its state machine and
/// test case), in the order of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockConfigError {
    /// The problems, at least one.
    pub problems: Vec<MockProblem>,
}

/// One problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockProblem {
    /// JSON pointer (RFC 6901) of the offending value; `""` is the whole file.
    pub pointer: String,
    /// What is wrong there.
    pub kind: MockProblemKind,
}

/// What is wrong at a [`MockProblem`]'s pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MockProblemKind {
    /// The text is not JSON: `{"StateMachines": }`.
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// An object was expected: `{"StateMachines": []}`.
    NotObject,
    /// A test case maps a state to something other than a response's name:
    /// `"TestCases": {"C": {"S": 1}}`.
    NotResponseName,
    /// `Error` or `Cause` of a `Throw` is not a string: `"Error": 5`.
    NotString,
    /// A required field is missing: `{"StateMachines": {}}` (no `MockedResponses`).
    Missing(&'static str),
    /// A field this format does not have: `{"MockedResponse": {}}`.
    UnknownField {
        /// The fields that may be there.
        expected: &'static str,
    },
    /// A mocked response's key is neither `"N"` nor `"N-M"`: `"1-x"`.
    InvalidKey,
    /// A range that ends before it starts: `"3-1"`.
    ReversedRange,
    /// Two keys of one mocked response cover the same invocation: `"0-2"` and `"1"`.
    Overlap {
        /// The other key.
        other: String,
    },
    /// An entry with both `Return` and `Throw`.
    ReturnAndThrow,
    /// An entry with neither `Return` nor `Throw`: `"0": {}`.
    NoReturnOrThrow,
    /// `Latency` is not a whole number of milliseconds: `"Latency": -5`.
    InvalidLatency,
    /// No state machine of that name: `--state-machine-name Other`.
    UnknownStateMachine {
        /// The name asked for.
        name: String,
        /// The names the file has.
        known: Vec<String>,
    },
    /// No state machine was named and the file has not exactly one.
    StateMachineNotChosen {
        /// The names the file has.
        known: Vec<String>,
    },
    /// No test case of that name: `--test-case Missing`.
    UnknownTestCase {
        /// The name asked for.
        name: String,
        /// The test cases the state machine has.
        known: Vec<String>,
    },
    /// No test case was named and the state machine has not exactly one.
    TestCaseNotChosen {
        /// The test cases the state machine has.
        known: Vec<String>,
    },
    /// The chosen test case names a mocked response the file lacks.
    UnknownResponse {
        /// The name.
        name: String,
    },
}

/// `a, b, c`, or `none` for an empty list.
fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

impl fmt::Display for MockProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MockProblemKind as K;
        match self {
            K::Syntax {
                line,
                column,
                message,
            } => write!(f, "not JSON at line {line}, column {column}: {message}"),
            K::NotObject => f.write_str("must be an object"),
            K::NotResponseName => {
                f.write_str("must be the name of a mocked response (a string)")
            }
            K::NotString => f.write_str("must be a string"),
            K::Missing(field) => write!(f, "missing field {field}"),
            K::UnknownField { expected } => write!(f, "unknown field (expected {expected})"),
            K::InvalidKey => f.write_str(
                "invalid key (expected an invocation number such as \"0\" or an inclusive range such as \"1-3\")",
            ),
            K::ReversedRange => f.write_str("invalid key: the range ends before it starts"),
            K::Overlap { other } => write!(f, "covers invocations that \"{other}\" covers too"),
            K::ReturnAndThrow => f.write_str("has both Return and Throw (expected one)"),
            K::NoReturnOrThrow => f.write_str("needs Return or Throw"),
            K::InvalidLatency => {
                f.write_str("Latency must be a whole, non-negative number of milliseconds")
            }
            K::UnknownStateMachine { name, known } => {
                write!(f, "no state machine \"{name}\" (the file has: {})", list(known))
            }
            K::StateMachineNotChosen { known } => write!(
                f,
                "name the state machine to mock (the file has: {})",
                list(known)
            ),
            K::UnknownTestCase { name, known } => write!(
                f,
                "no test case \"{name}\" (the state machine has: {})",
                list(known)
            ),
            K::TestCaseNotChosen { known } => {
                write!(f, "name the test case to run (one of: {})", list(known))
            }
            K::UnknownResponse { name } => write!(
                f,
                "no mocked response \"{name}\" in /MockedResponses"
            ),
        }
    }
}

impl fmt::Display for MockProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {}", self.kind)
    }
}

/// One problem a line.
impl fmt::Display for MockConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MockConfigError {}

/// `parent` with `key` appended as one reference token (RFC 6901: `~` is
/// `~0`, `/` is `~1`).
pub(crate) fn child(parent: &str, key: &str) -> String {
    let mut p = String::with_capacity(parent.len() + key.len() + 1);
    p.push_str(parent);
    p.push('/');
    for c in key.chars() {
        match c {
            '~' => p.push_str("~0"),
            '/' => p.push_str("~1"),
            c => p.push(c),
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_problems_read_one_a_line() {
        assert_eq!(
            child("/MockedResponses", "a/b~c"),
            "/MockedResponses/a~1b~0c"
        );
        let e = MockConfigError {
            problems: vec![
                MockProblem {
                    pointer: "/MockedResponses/R/1-x".into(),
                    kind: MockProblemKind::InvalidKey,
                },
                MockProblem {
                    pointer: String::new(),
                    kind: MockProblemKind::Missing("StateMachines"),
                },
            ],
        };
        let text = e.to_string();
        assert!(
            text.starts_with("/MockedResponses/R/1-x: invalid key"),
            "{text}"
        );
        assert!(
            text.ends_with("(root): missing field StateMachines\n"),
            "{text}"
        );
    }
}
