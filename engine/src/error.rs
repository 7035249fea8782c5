//! The ASL error every runtime failure becomes: a name that Retry and Catch
//! match (`States.Runtime`, `States.TaskFailed`, a handler's own name) and
//! AWS's cause text.

use std::borrow::Cow;
use std::fmt;

/// An ASL error: name and cause, as AWS reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The error name, e.g. `States.Runtime`.
    pub error: Cow<'static, str>,
    /// The cause text.
    pub cause: String,
}

impl Failure {
    /// A failure with the given name and cause.
    #[cold]
    pub fn new(error: impl Into<Cow<'static, str>>, cause: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: cause.into(),
        }
    }
    /// `States.Runtime` with a cause (without the "An error occurred while executing the state" prefix, which the VM adds).
    #[cold]
    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new("States.Runtime", cause)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for Failure {}
