//! Validation diagnostics, in the shape ValidateStateMachineDefinition returns.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The definition is rejected.
    Error,
    /// Accepted, but suspicious (e.g. a state no path reaches, where AWS only warns).
    Warning,
}

impl Severity {
    /// `"ERROR"` / `"WARNING"`, as AWS spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
        }
    }
}

/// One problem in a definition, at a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// AWS's code: `SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`, …
    pub code: &'static str,
    /// JSON pointer of the offending field, e.g. `/States/Retry Step/Retry/0/BackoffRate`.
    pub location: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl Diagnostic {
    /// An error diagnostic.
    #[cold]
    pub fn error(
        code: &'static str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            location: location.into(),
            message: message.into(),
        }
    }
    /// A warning diagnostic.
    #[cold]
    pub fn warning(
        code: &'static str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `POINTER: CODE: message`, the CLI's one-line form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = if self.location.is_empty() {
            "/"
        } else {
            &self.location
        };
        write!(f, "{loc}: {}: {}", self.code, self.message)
    }
}

/// All the diagnostics of one definition (errors first is not required; order is document order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
