//! Every diagnostic code Stampede reports, each with a small definition that
//! triggers it: AWS's validation codes first (the same names AWS's
//! `ValidateStateMachineDefinition` uses), then the compiler's own.
//!
//! `MISSING_TRANSITION_TARGET` and `SCHEMA_VALIDATION_FAILED` are also what
//! the compiler reports if a target or a timestamp it is given is bad (it
//! never is after validation).

/// The shape of the definition is wrong: a missing or unknown field, a
/// wrong type, a value out of range, a bad path or timestamp.
/// `{"StartAt":"A","States":{"A":{"Type":"Pass"}}}` (no `Next`/`End`).
pub const SCHEMA_VALIDATION_FAILED: &str = "SCHEMA_VALIDATION_FAILED";

/// The text is not JSON. `not a definition`.
pub const INVALID_JSON_DESCRIPTION: &str = "INVALID_JSON_DESCRIPTION";

/// A `StartAt`/`Next`/`Default`/`Catch` target is not a state of the same
/// block, or a state is unreachable.
/// `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Pass","End":true}}}`.
pub const MISSING_TRANSITION_TARGET: &str = "MISSING_TRANSITION_TARGET";

/// A block has no terminal state.
/// `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}`.
pub const MISSING_END_STATE: &str = "MISSING_END_STATE";

/// Two states share a name, anywhere in the machine.
/// `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}]}}}`.
pub const DUPLICATE_STATE_NAME: &str = "DUPLICATE_STATE_NAME";

/// A state name is empty or longer than 80 characters.
pub const INVALID_STATE_NAME: &str = "INVALID_STATE_NAME";

/// Warning: a template field without `.$` holds what looks like a path or
/// an intrinsic call. `{"Parameters":{"a":"$.x"}}`.
pub const NO_DOLLAR: &str = "NO_DOLLAR";

/// Warning: a Pass `Result` holds a `"key.$"` field, which is not evaluated.
/// `{"Type":"Pass","Result":{"a.$":"$.x"},"End":true}`.
pub const PASS_RESULT_IS_STATIC: &str = "PASS_RESULT_IS_STATIC";

/// The definition is over AWS's 1 MiB quota (1,048,576 characters). AWS
/// refuses such a request with a `ValidationException` before validating
/// it; the diagnostic quotes that exception's constraint text.
pub const DEFINITION_TOO_LARGE: &str = "DEFINITION_TOO_LARGE";

// The codes below are the compiler's (`compile::compile`), on definitions
// that validation accepted; they use the same `Diagnostic` shape.

/// A Task's `Resource` has no registered handler (register one, or run
/// with `--echo-tasks`). `{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true}`
/// compiled with an empty `Registry`.
pub const NO_HANDLER: &str = "NO_HANDLER";

/// A Distributed Map reads or writes S3 objects, but the engine was given no
/// object store (`stampede run --s3-root DIR`, `Engine::object_store`).
/// `{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject",…},…}`
/// compiled by an engine without one.
pub const NO_OBJECT_STORE: &str = "NO_OBJECT_STORE";

/// The definition is valid ASL but uses what Stampede does not run yet.
/// No definition triggers it since the Distributed Map's fields were built
/// (the code stays, so that tools matching on it keep working).
pub const UNSUPPORTED_FEATURE: &str = "UNSUPPORTED_FEATURE";

/// A compiler bug, never the definition's fault: a jump label left unbound,
/// or a program the bytecode verifier refuses (tests and debug builds).
/// No definition triggers it.
pub const INTERNAL: &str = "INTERNAL";
