//! Why a TestState call gives no response: AWS's exceptions for the API.

use crate::asl::Diagnostics;

/// The kind of a refused call, named as AWS names the exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStateErrorKind {
    /// `ValidationException`: the request does not fit the state (e.g. a mock for a Pass state).
    Validation,
    /// `InvalidDefinition`: the definition is not valid ASL, or its state cannot be tested.
    InvalidDefinition,
    /// The state would call a real AWS service (a Task state with no mock),
    /// which Stampede does not do.
    NeedsService,
}

impl TestStateErrorKind {
    /// AWS's exception name (`NeedsService` has none: `ServiceCallNotSupported`).
    pub fn aws_name(self) -> &'static str {
        match self {
            TestStateErrorKind::Validation => "ValidationException",
            TestStateErrorKind::InvalidDefinition => "InvalidDefinition",
            TestStateErrorKind::NeedsService => "ServiceCallNotSupported",
        }
    }
}

/// A refused TestState call.
#[derive(Debug, Clone, PartialEq)]
pub struct TestStateError {
    /// Which exception.
    pub kind: TestStateErrorKind,
    /// AWS's message.
    pub message: String,
    /// Every problem of an invalid definition, with its JSON pointer (empty otherwise).
    pub diagnostics: Diagnostics,
}

impl TestStateError {
    #[cold]
    pub(crate) fn validation(message: &str) -> TestStateError {
        TestStateError {
            kind: TestStateErrorKind::Validation,
            message: message.to_owned(),
            diagnostics: Diagnostics::default(),
        }
    }

    #[cold]
    pub(crate) fn invalid_definition(message: &str) -> TestStateError {
        TestStateError {
            kind: TestStateErrorKind::InvalidDefinition,
            message: message.to_owned(),
            diagnostics: Diagnostics::default(),
        }
    }

    /// AWS's message for an invalid definition: `Invalid State Machine
    /// Definition: 'CODE: message at /pointer'`, every problem joined by `, `.
    #[cold]
    pub(crate) fn from_diagnostics(d: Diagnostics) -> TestStateError {
        let parts: Vec<String> =
            d.0.iter()
                .filter(|x| x.severity == crate::asl::Severity::Error)
                .map(|x| format!("{}: {} at {}", x.code, x.message, x.location))
                .collect();
        TestStateError {
            kind: TestStateErrorKind::InvalidDefinition,
            message: format!("Invalid State Machine Definition: '{}'", parts.join(", ")),
            diagnostics: d,
        }
    }
}

impl std::fmt::Display for TestStateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.aws_name(), self.message)
    }
}

impl std::error::Error for TestStateError {}
